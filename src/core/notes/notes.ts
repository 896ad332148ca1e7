/**
 * The course notes as the rest of the extension sees them: the built-in pack, with the run-time packs
 * (`socketPlayground.notes.packs`) laid over it. A run-time note whose id is a built-in one replaces it in place;
 * a new id is added after the built-in notes, in pack order. The built-in pack is loaded on first use, then kept.
 * In another language (`socketPlayground.notes.language`) the built-in pack's translation is laid over the
 * English one first, so a note it does not translate yet still reads in English.
 */
import { builtinLanguages, loadBuiltinPack } from './builtinPack';
import type { Note } from './noteIds';
import type { LoadedPack } from './packLoader';

export { NoteId, type Note, type NoteCode, type NoteIdValue } from './noteIds';

let builtin: LoadedPack | undefined;
let language = 'en';
let translation: LoadedPack | undefined;
let extra: readonly LoadedPack[] = [];
let notes: readonly Note[] | undefined;
let byId: Map<string, Note> | undefined;
let generation = 0;
const listeners = new Set<() => void>();

function builtinPack(): LoadedPack {
  builtin ??= loadBuiltinPack();
  if (!builtin) {
    throw new Error('notes: the built-in pack is missing');
  }
  return builtin;
}

function merge(): readonly Note[] {
  const base = builtinPack();
  const list: Note[] = base.notes.map((n) => ({ ...n, pack: base.id, language: base.language }));
  const index = new Map(list.map((n, i) => [n.id, i]));
  for (const pack of translation ? [translation, ...extra] : extra) {
    for (const n of pack.notes) {
      const note: Note = { ...n, pack: pack.id, language: pack.language };
      const at = index.get(n.id);
      if (at === undefined) {
        index.set(n.id, list.length);
        list.push(note);
      } else {
        list[at] = note;
      }
    }
  }
  return Object.freeze(list);
}

/** Every note: the built-in ones in the order of the lecture, then the run-time packs' new ones. */
export function allNotes(): readonly Note[] {
  return (notes ??= merge());
}

/** The note with this id, or undefined. */
export function getNote(id: string): Note | undefined {
  byId ??= new Map(allNotes().map((n) => [n.id, n]));
  return byId.get(id);
}

/** The built-in pack (in the notes' language) and the run-time packs, in the order they are laid over each other. */
export function notePacks(): readonly LoadedPack[] {
  return [translation ?? builtinPack(), ...extra];
}

/** How many notes the English built-in pack has: they come first in `allNotes`, in the lecture's order. */
export function builtinNoteCount(): number {
  return builtinPack().notes.length;
}

/**
 * Shows the built-in notes in this language (a language code: `es`, or `es-ES`, read as `es` when there is no
 * `es-ES` translation). Returns the language used: English when the built-in pack has no such translation.
 */
export function setNotesLanguage(requested: string): string {
  const available = builtinLanguages();
  const lower = requested.toLowerCase();
  const next =
    available.find((l) => l.toLowerCase() === lower) ??
    available.find((l) => l.toLowerCase() === lower.split('-')[0]) ??
    'en';
  if (next !== language) {
    language = next;
    translation = next === 'en' ? undefined : loadBuiltinPack(next);
    changed();
  }
  return language;
}

/** Replaces the run-time packs (the built-in pack stays underneath). */
export function setRunTimePacks(packs: readonly LoadedPack[]): void {
  extra = [...packs];
  changed();
}

function changed(): void {
  notes = undefined;
  byId = undefined;
  generation++;
  for (const l of [...listeners]) {
    l();
  }
}

/** A number that changes whenever the notes do: caches of derived data compare it. */
export function notesGeneration(): number {
  return generation;
}

/** Calls `listener` after the notes change; returns the unsubscribe. */
export function onDidChangeNotes(listener: () => void): { dispose(): void } {
  listeners.add(listener);
  return { dispose: () => listeners.delete(listener) };
}
