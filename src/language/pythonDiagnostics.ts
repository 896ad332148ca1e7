/**
 * Diagnostics and quick fixes for lecture-era Python socket code (the rules live in core/pythonLint.ts).
 * Every diagnostic gets its mechanical fixes, an "Explain" action that opens the course note, and, when a file
 * has several, one action that fixes them all (also offered as `source.fixAll`).
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { getNote } from '../core/notes/notes';
import { applyEdits, type LintDiagnostic, type LintEdit, type LintSeverity } from '../core/assist/lintTypes';
import { lintFor, toRange } from './sourceIndex';
import { localizedText } from '../l10n';

export const DIAGNOSTIC_SOURCE = 'Socket Playground';

/** Edits are debounced this long after typing stops. */
const DEBOUNCE_MS = 250;

const SEVERITY: Record<LintSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

function toDiagnostic(d: LintDiagnostic): vscode.Diagnostic {
  const diag = new vscode.Diagnostic(toRange(d.range), localizedText(d.messageText), SEVERITY[d.severity]);
  diag.source = DIAGNOSTIC_SOURCE;
  diag.code = d.code;
  return diag;
}

function workspaceEdit(uri: vscode.Uri, edits: readonly LintEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) {
    we.replace(uri, toRange(e.range), e.newText);
  }
  return we;
}

/** Keeps the diagnostics of open Python documents current. */
export class PythonDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('socketPlayground');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.refresh(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.cancel(doc.uri);
        this.collection.delete(doc.uri);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) {
      this.refresh(doc);
    }
  }

  refresh(doc: vscode.TextDocument): void {
    if (doc.languageId !== 'python') {
      return;
    }
    const found = lintFor(doc);
    if (found.length === 0) {
      this.collection.delete(doc.uri);
    } else {
      this.collection.set(doc.uri, found.map(toDiagnostic));
    }
  }

  private schedule(doc: vscode.TextDocument): void {
    if (doc.languageId !== 'python') {
      return;
    }
    this.cancel(doc.uri);
    const key = doc.uri.toString();
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.refresh(doc);
      }, DEBOUNCE_MS),
    );
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) {
      clearTimeout(t);
    }
    this.timers.clear();
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}

export class PythonQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.SourceFixAll],
  };

  /** @inheritdoc */
  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const lint = lintFor(doc);
    if (lint.length === 0) {
      return [];
    }
    const wantsFixAll = context.only?.contains(vscode.CodeActionKind.SourceFixAll) ?? false;
    const actions: vscode.CodeAction[] = [];
    if (!wantsFixAll) {
      for (const diag of context.diagnostics) {
        if (diag.source !== DIAGNOSTIC_SOURCE) {
          continue;
        }
        const d = lint.find((l) => l.code === diag.code && toRange(l.range).isEqual(diag.range));
        if (d) {
          actions.push(...this.actionsFor(doc, d, diag));
        }
      }
      // Also offer fixes for our problems that touch the range even if the context did not pass them (a
      // lightbulb on a line reports only the diagnostics VS Code has already published).
      if (actions.length === 0) {
        for (const d of lint.filter((l) => toRange(l.range).intersection(range))) {
          actions.push(...this.actionsFor(doc, d, toDiagnostic(d)));
        }
      }
    }
    const fixable = lint.filter((d) => d.fixes.length > 0);
    if (fixable.length > 1 || (wantsFixAll && fixable.length > 0)) {
      const edits = fixable.flatMap((d) => d.fixes[0]!.edits);
      const title = vscode.l10n.t(
        'Fix all Python 3 problems from the slides in this file ({0})',
        fixable.length,
      );
      const kind = wantsFixAll ? vscode.CodeActionKind.SourceFixAll : vscode.CodeActionKind.QuickFix;
      const all = new vscode.CodeAction(title, kind);
      // applyEdits drops overlapping edits; pass VS Code the same non-overlapping set.
      all.edit = workspaceEdit(doc.uri, nonOverlapping(doc.getText(), edits));
      all.diagnostics = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
      actions.push(all);
    }
    return actions;
  }

  private actionsFor(
    doc: vscode.TextDocument,
    d: LintDiagnostic,
    diag: vscode.Diagnostic,
  ): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    d.fixes.forEach((fix, i) => {
      const action = new vscode.CodeAction(localizedText(fix.titleText), vscode.CodeActionKind.QuickFix);
      action.edit = workspaceEdit(doc.uri, fix.edits);
      action.diagnostics = [diag];
      action.isPreferred = i === 0;
      out.push(action);
    });
    const note = getNote(d.noteId);
    if (note) {
      const explain = new vscode.CodeAction(
        vscode.l10n.t('Explain: {0}', note.title),
        vscode.CodeActionKind.QuickFix,
      );
      explain.command = {
        title: vscode.l10n.t('Open the note'),
        command: Commands.OpenNotes,
        arguments: [{ noteId: note.id }],
      };
      explain.diagnostics = [diag];
      out.push(explain);
    }
    return out;
  }
}

/** The subset of edits that `applyEdits` would apply (VS Code rejects overlapping edits in one WorkspaceEdit). */
function nonOverlapping(text: string, edits: LintEdit[]): LintEdit[] {
  const kept: LintEdit[] = [];
  for (const e of edits) {
    if (applyEdits(text, [...kept, e]).applied === kept.length + 1) {
      kept.push(e);
    }
  }
  return kept;
}

export function registerPythonDiagnostics(): vscode.Disposable[] {
  const diagnostics = new PythonDiagnostics();
  return [
    diagnostics,
    vscode.languages.registerCodeActionsProvider('python', new PythonQuickFixes(), PythonQuickFixes.metadata),
  ];
}
