/** Code assistance for socket code: hovers, Python diagnostics and quick fixes, and the playground CodeLens. */
import * as vscode from 'vscode';
import { registerCodeLens } from './codeLens';
import { registerHoverProvider } from './hoverProvider';
import { registerPythonDiagnostics } from './pythonDiagnostics';
import { forgetDocument } from './sourceIndex';

export function registerLanguageFeatures(): vscode.Disposable[] {
  return [
    registerHoverProvider(),
    ...registerPythonDiagnostics(),
    registerCodeLens(),
    vscode.workspace.onDidCloseTextDocument(forgetDocument),
  ];
}
