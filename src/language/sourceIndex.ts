/**
 * Per-document analysis shared by the hovers, the diagnostics, the CodeLens and the notes panel's
 * follow-the-cursor: one `ApiScanner` and one lint result per document version, computed on first use.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApiScanner } from '../core/assist/apiIndex';
import type { ApiMatch } from '../core/assist/apiTables';
import { apiLanguageOf } from '../core/assist/languages';
import type { LintDiagnostic } from '../core/assist/lintTypes';
import { assist } from '../wings';
import type { ShowReason } from '../shared/notesProtocol';

type Entry = { version: number; scanner?: ApiScanner; lint?: LintDiagnostic[] };

/** Small: the active editor and a few visible ones are all that is asked about. */
const MAX_ENTRIES = 16;
const cache = new Map<string, Entry>();

function entryFor(doc: vscode.TextDocument): Entry {
  const key = doc.uri.toString();
  let e = cache.get(key);
  if (!e || e.version !== doc.version) {
    e = { version: doc.version };
    cache.delete(key);
    if (cache.size >= MAX_ENTRIES) {
      cache.delete(cache.keys().next().value as string);
    }
  } else {
    cache.delete(key); // re-insert: most recently used last
  }
  cache.set(key, e);
  return e;
}

/** Forgets a closed document. */
export function forgetDocument(doc: vscode.TextDocument): void {
  cache.delete(doc.uri.toString());
}

/** The socket-call scanner for a document, or undefined for languages without socket assistance. */
export function scannerFor(doc: vscode.TextDocument): ApiScanner | undefined {
  const language = apiLanguageOf(doc.languageId);
  if (!language) {
    return undefined;
  }
  const e = entryFor(doc);
  e.scanner ??= new (assist().ApiScanner)(language, doc.getText());
  return e.scanner;
}

/** The lecture-pitfall lint of a Python document that uses sockets; empty otherwise. */
export function lintFor(doc: vscode.TextDocument): LintDiagnostic[] {
  if (doc.languageId !== 'python') {
    return [];
  }
  const e = entryFor(doc);
  if (!e.lint) {
    const text = doc.getText();
    const { lintPython, shouldLintPython } = assist();
    e.lint = shouldLintPython(text) ? lintPython(text) : [];
  }
  return e.lint;
}

export function toRange(r: {
  start: { line: number; character: number };
  end: { line: number; character: number };
}): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** The match under a position (for hovers). */
export function apiAt(
  doc: vscode.TextDocument,
  pos: vscode.Position,
): { match: ApiMatch; range: vscode.Range } | undefined {
  const scanner = scannerFor(doc);
  const match = scanner?.at(scanner.offsetAt(pos.line, pos.character));
  if (!scanner || !match) {
    return undefined;
  }
  const start = scanner.positionAt(match.start);
  const end = scanner.positionAt(match.end);
  return { match, range: new vscode.Range(start.line, start.character, end.line, end.character) };
}

/**
 * The note for a cursor: a lecture pitfall diagnosed right there first (the cursor on `sentto` explains the
 * typo), then the socket call under the cursor, then the first call on its line.
 */
export function noteAtCursor(
  doc: vscode.TextDocument,
  pos: vscode.Position,
): { noteId: string; reason: ShowReason } | undefined {
  const file = path.basename(doc.uri.path) || doc.uri.toString();
  const line = pos.line + 1;
  const diag = lintFor(doc).find((d) => toRange(d.range).contains(pos));
  if (diag) {
    return { noteId: diag.noteId, reason: { kind: 'diagnostic', message: diag.message, file, line } };
  }
  const scanner = scannerFor(doc);
  const match = scanner?.forCursor(pos.line, pos.character);
  if (!scanner || !match) {
    return undefined;
  }
  const noteId = match.notes[0];
  if (!noteId) {
    return undefined;
  }
  return { noteId, reason: { kind: 'cursor', symbol: match.entry.label, file, line } };
}
