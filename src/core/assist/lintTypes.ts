/** What the Python lint reports: positions, edits, fixes and diagnostics (shaped like VS Code's, without it). */
import type { Text } from '../../shared/l10n';

export type LintSeverity = 'error' | 'warning' | 'information';

export type LintPosition = { line: number; character: number };
export type LintRange = { start: LintPosition; end: LintPosition };
export type LintEdit = { range: LintRange; newText: string };
/** A fix: its title in English, and as a message the host shows in the display language. */
export type LintFix = { title: string; titleText: Text; edits: LintEdit[] };

export type LintCode =
  | 'python2-print'
  | 'python2-raw-input'
  | 'raw-input-typo'
  | 'str-to-send'
  | 'socket-attribute-after-import-star'
  | 'constant-typo'
  | 'sentto-typo'
  | 'single-recv'
  | 'privileged-port'
  | 'address-not-tuple'
  | 'placeholder-host'
  | 'send-not-sendall';

export type LintDiagnostic = {
  code: LintCode;
  severity: LintSeverity;
  /** In English (what tests and API callers read). */
  message: string;
  /** The same message, translatable: the Problems view shows it in the display language. */
  messageText: Text;
  range: LintRange;
  /** The course note that explains it. */
  noteId: string;
  /** Mechanical fixes, the preferred one first; empty when only an explanation helps. */
  fixes: LintFix[];
};

/**
 * Applies edits to a text. Overlapping edits are skipped (the earlier one wins), so the result is well defined
 * for any set of fixes. Returns the new text and how many edits were applied.
 */
export function applyEdits(text: string, edits: readonly LintEdit[]): { text: string; applied: number } {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      lineStarts.push(i + 1);
    }
  }
  const offset = (p: LintPosition): number => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = edits
    .map((e) => ({ from: offset(e.range.start), to: offset(e.range.end), newText: e.newText }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  const kept: typeof sorted = [];
  let lastEnd = -1;
  for (const e of sorted) {
    if (e.from >= lastEnd || (e.from === e.to && e.from === lastEnd)) {
      kept.push(e);
      lastEnd = Math.max(lastEnd, e.to);
    }
  }
  let out = text;
  for (let k = kept.length - 1; k >= 0; k--) {
    const e = kept[k]!;
    out = out.slice(0, e.from) + e.newText + out.slice(e.to);
  }
  return { text: out, applied: kept.length };
}
