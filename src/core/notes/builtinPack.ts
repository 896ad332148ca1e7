/**
 * The built-in pack (notes/builtin/ in the repository) and its translations: any other folder of notes/ whose
 * pack.json has the id `builtin` is the built-in pack in that pack's language (e.g. notes/builtin-es/ with
 * `"language": "es"`). Here they are read and parsed from the folders, which is what the unit tests run; the
 * extension bundle replaces this module with a reader of dist/course-notes.json (and course-notes.<lang>.json),
 * the same packs parsed at build time (esbuild.mjs), so activation neither reads 59 files nor loads the parser.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isKnownMoment } from './moments';
import * as parser from './packFormat';
import { parsePack, readPackFilesSync, type LoadedPack } from './packLoader';

/** The folder of the built-in pack: found from this file upwards (src/ or out/src/ both work). */
export function builtinPackFolder(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'notes', 'builtin');
    if (existsSync(path.join(candidate, 'pack.json'))) {
      return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error('builtinPack: notes/builtin/pack.json not found above ' + __dirname);
}

/** Language → folder of the built-in pack's translations found beside `builtin` (the English one excluded). */
export function builtinTranslations(notesRoot = path.dirname(builtinPackFolder())): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(notesRoot).sort()) {
    const folder = path.join(notesRoot, name);
    if (name === 'builtin' || !existsSync(path.join(folder, 'pack.json'))) {
      continue;
    }
    try {
      const m = JSON.parse(readFileSync(path.join(folder, 'pack.json'), 'utf8')) as Record<string, unknown>;
      if (m['id'] === 'builtin' && typeof m['language'] === 'string' && m['language'] !== 'en') {
        out.set(m['language'], folder);
      }
    } catch {
      // Not a translation of the built-in pack (the build reports a broken one when it parses it).
    }
  }
  return out;
}

/** The built-in pack in English, or its translation into `language` (undefined when there is none). */
export function loadBuiltinPack(language?: string): LoadedPack | undefined {
  const folder =
    language === undefined || language === 'en' ? builtinPackFolder() : builtinTranslations().get(language);
  return folder === undefined ? undefined : parsePack(readPackFilesSync(folder), parser, isKnownMoment);
}

/** The languages the built-in pack is available in, English first. */
export function builtinLanguages(): string[] {
  return ['en', ...builtinTranslations().keys()];
}
