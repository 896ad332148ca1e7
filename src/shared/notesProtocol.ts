/**
 * The typed protocol between the extension host and the notes panel's webview (docs/architecture.md), kept apart from
 * the traffic panel's `protocol.ts`. No `vscode`, no DOM, no Node. Messages from the webview are validated with
 * `parseNotesFromWebview` before the host acts on them.
 */

import type { MdBlock } from './markdownTree';
import type { NotesStrings } from './webviewStrings';

export type CodeLanguage = 'python' | 'c' | 'java' | 'javascript';

export const CODE_LANGUAGES: readonly CodeLanguage[] = ['python', 'c', 'java', 'javascript'];

/** One course note as the panel shows it. */
export type NoteData = {
  id: string;
  title: string;
  topics: string[];
  /** Markdown text (search reads it). */
  body: string;
  /** The body as a syntax tree: what the panel renders, with createElement and textContent only. */
  tree: MdBlock[];
  code?: Partial<Record<CodeLanguage, string>>;
  seeAlso?: string[];
  /** The pack the note comes from (`builtin`, or a course pack's id) and its language. */
  pack: string;
  language: string;
};

/** A group of the table of contents, in corpus order. */
export type NoteSection = { title: string; noteIds: string[] };

/** Why a note is shown: a command (traffic panel, error "Explain", hover link) or the editor's cursor. */
export type ShowReason =
  | { kind: 'command' }
  | { kind: 'cursor'; symbol: string; file: string; line: number }
  | { kind: 'diagnostic'; message: string; file: string; line: number };

//#region extension → webview

export type NotesToWebview =
  | {
      type: 'init';
      notes: NoteData[];
      sections: NoteSection[];
      /** The note to show; when absent the webview keeps its restored one (or the first). */
      noteId?: string;
      reason?: ShowReason;
      followCursor: boolean;
      /** The language of the active editor, to pick the code tab. */
      codeLanguage?: CodeLanguage;
      /** The page's words in the display language (English when absent); checked with readStrings. */
      strings?: NotesStrings;
    }
  | { type: 'showNote'; noteId: string; reason: ShowReason; codeLanguage?: CodeLanguage }
  | { type: 'followCursorChanged'; followCursor: boolean };

//#endregion

//#region webview → extension

export type NotesFromWebview =
  | { type: 'ready' }
  /** The webview rendered this note (the host records it; tests read it). */
  | { type: 'shown'; noteId: string }
  /** The follow-the-cursor toggle in the panel: updates the `socketPlayground.notes.followCursor` setting. */
  | { type: 'setFollowCursor'; enabled: boolean }
  /** Copy a code sample into the active editor at the cursor. */
  | { type: 'insertCode'; noteId: string; language: CodeLanguage };

//#endregion

const NOTE_ID = /^[a-z0-9-]{1,100}$/;

function onlyKeys(x: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(x).every((k) => keys.includes(k));
}

/** Validates a message from the webview: it is untrusted input. */
export function parseNotesFromWebview(
  x: unknown,
): { ok: true; msg: NotesFromWebview } | { ok: false; reason: string } {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    return { ok: false, reason: 'a message must be an object' };
  }
  const o = x as Record<string, unknown>;
  switch (o['type']) {
    case 'ready':
      return onlyKeys(o, ['type'])
        ? { ok: true, msg: { type: 'ready' } }
        : { ok: false, reason: 'ready takes nothing' };
    case 'shown':
      if (!onlyKeys(o, ['type', 'noteId']) || typeof o['noteId'] !== 'string' || !NOTE_ID.test(o['noteId'])) {
        return { ok: false, reason: 'shown needs a note id (lower-case letters, digits, dashes)' };
      }
      return { ok: true, msg: { type: 'shown', noteId: o['noteId'] } };
    case 'setFollowCursor':
      if (!onlyKeys(o, ['type', 'enabled']) || typeof o['enabled'] !== 'boolean') {
        return { ok: false, reason: 'setFollowCursor needs enabled: boolean' };
      }
      return { ok: true, msg: { type: 'setFollowCursor', enabled: o['enabled'] } };
    case 'insertCode':
      if (
        !onlyKeys(o, ['type', 'noteId', 'language']) ||
        typeof o['noteId'] !== 'string' ||
        !NOTE_ID.test(o['noteId']) ||
        !CODE_LANGUAGES.includes(o['language'] as CodeLanguage)
      ) {
        return {
          ok: false,
          reason: `insertCode needs a note id and a language (${CODE_LANGUAGES.join(', ')})`,
        };
      }
      return {
        ok: true,
        msg: { type: 'insertCode', noteId: o['noteId'], language: o['language'] as CodeLanguage },
      };
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(o['type']).slice(0, 40)}` };
  }
}
