/** The parse of each open `.sockets` document, cached by version: diagnostics, lenses, hovers and runs share it. */
import * as vscode from 'vscode';
import { scenarios } from '../../wings';
import type { ScenarioBlock, ScenarioFile } from '../../core/scenarios/scenarioTypes';

export const SCENARIO_LANGUAGE = 'sockets';

const cache = new WeakMap<vscode.TextDocument, { version: number; file: ScenarioFile }>();

export function isScenarioDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === SCENARIO_LANGUAGE;
}

/** The document's parse, computed once per version. */
export function parsedDocument(doc: vscode.TextDocument): ScenarioFile {
  const hit = cache.get(doc);
  if (hit && hit.version === doc.version) {
    return hit.file;
  }
  const file = scenarios().parseScenario(doc.getText());
  cache.set(doc, { version: doc.version, file });
  return file;
}

/** The block a 1-based line belongs to. */
export function blockAt(file: ScenarioFile, line: number): ScenarioBlock | undefined {
  return file.blocks.find((b) => line >= b.line && line <= b.endLine);
}

/** A 1-based line and column range from the parser as a VS Code range, clamped to the document. */
export function toRange(
  doc: vscode.TextDocument,
  line: number,
  column = 1,
  endColumn?: number,
): vscode.Range {
  const l = Math.min(Math.max(0, line - 1), doc.lineCount - 1);
  const len = doc.lineAt(l).text.length;
  const start = Math.min(Math.max(0, column - 1), len);
  const end = Math.min(Math.max(start, (endColumn ?? len + 1) - 1), len);
  return new vscode.Range(l, start, l, end);
}
