/**
 * The course notes as the rest of the extension sees them: every note, and one by id. The corpus is loaded on
 * first use (see lectureNotes.ts), then kept.
 */
import { loadNotes } from './lectureNotes';
import type { Note } from './noteIds';

export { NoteId, type Note, type NoteCode, type NoteIdValue } from './noteIds';

let notes: readonly Note[] | undefined;
let byId: Map<string, Note> | undefined;

/** Every note, in the order of the lecture. */
export function allNotes(): readonly Note[] {
  return (notes ??= loadNotes());
}

/** The note with this id, or undefined. */
export function getNote(id: string): Note | undefined {
  byId ??= new Map(allNotes().map((n) => [n.id, n]));
  return byId.get(id);
}
