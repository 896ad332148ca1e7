/**
 * The built-in pack (notes/builtin/ in the repository). Here it is read and parsed from the folder, which is what
 * the unit tests run; the extension bundle replaces this module with a reader of dist/course-notes.json, the same
 * pack parsed at build time (esbuild.mjs), so activation neither reads 59 files nor loads the Markdown parser.
 */
import { existsSync } from 'node:fs';
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

/** The built-in pack, parsed. */
export function loadBuiltinPack(): LoadedPack {
  return parsePack(readPackFilesSync(builtinPackFolder()), parser, isKnownMoment);
}
