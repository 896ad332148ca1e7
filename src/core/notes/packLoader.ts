/**
 * Reads a course pack from a folder: `pack.json` and every `*.md` file beside it, in file-name order (name
 * them `01-…`, `02-…` to set the order of the contents). Vscode-free; the host watches the folders and calls
 * this again when they change. Bounded: at most MAX_NOTE_FILES notes of at most MAX_NOTE_BYTES each, larger
 * or further files are problems, not memory.
 */
import { promises as fsp, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isKnownMoment } from './moments';
import type { NoteFile, PackManifest, PackProblem } from './packFormat';

export const MAX_NOTE_FILES = 500;
export const MAX_NOTE_BYTES = 256 * 1024;

/** A pack as loaded: what `listNotePacks` reports, plus the notes themselves. */
export type LoadedPack = PackManifest & {
  /** The folder the pack was read from. */
  path: string;
  notes: NoteFile[];
  problems: PackProblem[];
};

/** The files of a pack folder, as text (or the reason one could not be read). */
export type PackFiles = {
  folder: string;
  manifest?: string;
  notes: { name: string; text?: string; error?: string }[];
};

type Parser = typeof import('./packFormat');

/** Builds a pack from its files' text: every problem found, and every note that could be read. */
export function parsePack(
  files: PackFiles,
  parser: Parser,
  isKnownMoment: (m: string) => boolean,
): LoadedPack {
  const problems: PackProblem[] = [];
  const manifestFile = path.join(files.folder, 'pack.json');
  let manifest: PackManifest | undefined;
  if (files.manifest === undefined) {
    problems.push({
      file: manifestFile,
      line: 1,
      message: 'pack.json is missing: { "id", "title", "language" }',
    });
  } else {
    const m = parser.parseManifest(files.manifest, manifestFile);
    manifest = m.manifest;
    problems.push(...m.problems);
  }
  const fallbackId =
    path
      .basename(files.folder)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-') || 'pack';
  const notes: NoteFile[] = [];
  const lineOfId = new Map<string, { file: string }>();
  for (const f of files.notes) {
    const file = path.join(files.folder, f.name);
    if (f.text === undefined) {
      problems.push({ file, line: 1, message: f.error ?? 'could not be read' });
      continue;
    }
    const r = parser.parseNoteFile(f.text, file, isKnownMoment);
    problems.push(...r.problems);
    if (!r.note) {
      continue;
    }
    const first = lineOfId.get(r.note.id);
    if (first) {
      const line = f.text.split(/\r?\n/).findIndex((l) => l.startsWith('id:')) + 1 || 1;
      problems.push({
        file,
        line,
        message: `duplicate id '${r.note.id}' (also in ${path.basename(first.file)})`,
      });
      continue;
    }
    lineOfId.set(r.note.id, { file });
    notes.push(r.note);
  }
  return {
    id: manifest?.id ?? fallbackId,
    title: manifest?.title ?? fallbackId,
    language: manifest?.language ?? 'en',
    path: files.folder,
    notes,
    problems,
  };
}

function noteNames(names: string[]): { names: string[]; extra: string[] } {
  const md = names.filter((n) => n.toLowerCase().endsWith('.md')).sort();
  return { names: md.slice(0, MAX_NOTE_FILES), extra: md.slice(MAX_NOTE_FILES) };
}

const tooMany = (extra: string[]): PackFiles['notes'] =>
  extra.map((name) => ({ name, error: `more than ${MAX_NOTE_FILES} notes in one pack: not read` }));
const tooBig = (size: number): string => `${size} bytes: a note is at most ${MAX_NOTE_BYTES} bytes; not read`;

/** Reads a pack folder's files synchronously (the built-in pack in tests and at build time). */
export function readPackFilesSync(folder: string): PackFiles {
  const manifestPath = path.join(folder, 'pack.json');
  let manifest: string | undefined;
  try {
    manifest = readFileSync(manifestPath, 'utf8');
  } catch {
    manifest = undefined;
  }
  const { names, extra } = noteNames(readdirSync(folder));
  const notes: PackFiles['notes'] = names.map((name) => {
    const file = path.join(folder, name);
    try {
      const size = statSync(file).size;
      return size > MAX_NOTE_BYTES
        ? { name, error: tooBig(size) }
        : { name, text: readFileSync(file, 'utf8') };
    } catch (e) {
      return { name, error: `could not be read: ${(e as Error).message}` };
    }
  });
  return { folder, manifest, notes: [...notes, ...tooMany(extra)] };
}

/** Reads a pack folder's files. A missing folder is one problem on the folder, not an exception. */
export async function readPackFiles(folder: string): Promise<PackFiles> {
  let entries: string[];
  try {
    entries = await fsp.readdir(folder);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      folder,
      notes: [
        {
          name: '.',
          error: code === 'ENOENT' ? 'the pack folder does not exist' : `cannot read the folder: ${code}`,
        },
      ],
    };
  }
  let manifest: string | undefined;
  if (entries.includes('pack.json')) {
    manifest = await fsp.readFile(path.join(folder, 'pack.json'), 'utf8').catch(() => undefined);
  }
  const { names, extra } = noteNames(entries);
  const notes = await Promise.all(
    names.map(async (name): Promise<PackFiles['notes'][number]> => {
      const file = path.join(folder, name);
      try {
        const size = (await fsp.stat(file)).size;
        return size > MAX_NOTE_BYTES
          ? { name, error: tooBig(size) }
          : { name, text: await fsp.readFile(file, 'utf8') };
      } catch (e) {
        return { name, error: `could not be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
      }
    }),
  );
  return { folder, manifest, notes: [...notes, ...tooMany(extra)] };
}

/** Reads and parses a pack folder (run-time packs). The parser is loaded on the first call. */
export async function loadPack(folder: string): Promise<LoadedPack> {
  const files = await readPackFiles(folder);
  // The Markdown and YAML parsers are loaded only here: the built-in pack arrives parsed (builtinPack.ts).
  const parser = await import('./packFormat');
  return parsePack(files, parser, isKnownMoment);
}
