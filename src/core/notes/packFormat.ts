/**
 * The course-pack format, parsed: `pack.json` and one Markdown note with YAML front matter. Pure functions of
 * the files' text (the folder reading is packLoader.ts), so the built-in pack, run-time packs and the tests all go
 * through the same checks. Every problem names its file and line, and a broken file never stops the others.
 *
 * Libraries: js-yaml reads the front matter (small, and its errors carry a line), mdast-util-from-markdown with
 * the GFM table extension reads the Markdown into a syntax tree, which is narrowed here to the few node types the
 * webviews render (shared/markdownTree.ts). This module is the only one that loads them; the extension bundle
 * keeps it in a file of its own that is required only when a run-time pack is read (see esbuild.mjs).
 */
import { load as loadYaml, JSON_SCHEMA, YAMLException } from 'js-yaml';
import type { Nodes as MdastNode, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { isSafeHref, type MdBlock, type MdInline } from '../../shared/markdownTree';
import type { Note, NoteCode } from './noteIds';

/** A problem in a pack file: shown as a diagnostic on that file and line (1-based). */
export type PackProblem = { file: string; line: number; message: string };

/** A note as its file declares it (the pack's id and language are added by the loader). */
export type NoteFile = Omit<Note, 'pack' | 'language'>;

/** What `pack.json` declares. */
export type PackManifest = { id: string; title: string; language: string };

const FRONT_MATTER_KEYS = ['id', 'title', 'topics', 'explains', 'seeAlso'] as const;
const CODE_TAGS = ['python', 'c', 'java', 'javascript'] as const;
const NOTE_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const PACK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The 1-based line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
    }
  }
  return line;
}

/** Parses `pack.json`. A broken manifest is a problem; the caller falls back to the folder's name. */
export function parseManifest(
  text: string,
  file: string,
): { manifest?: PackManifest; problems: PackProblem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return {
      problems: [{ file, line: jsonErrorLine(text, msg), message: `pack.json: ${msg.split('\n')[0]}` }],
    };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      problems: [{ file, line: 1, message: 'pack.json must be an object { "id", "title", "language" }' }],
    };
  }
  const o = data as Record<string, unknown>;
  const problems: PackProblem[] = [];
  const keyLine = (key: string): number => {
    const i = text.indexOf(`"${key}"`);
    return i < 0 ? 1 : lineAt(text, i);
  };
  for (const key of Object.keys(o)) {
    if (key !== 'id' && key !== 'title' && key !== 'language' && key !== '$schema') {
      problems.push({
        file,
        line: keyLine(key),
        message: `unknown key '${key}' (a pack has id, title, language)`,
      });
    }
  }
  const id = o['id'];
  const title = o['title'];
  const language = o['language'];
  if (typeof id !== 'string' || !PACK_ID.test(id)) {
    problems.push({ file, line: keyLine('id'), message: 'id must be lower-case letters, digits and dashes' });
  }
  if (typeof title !== 'string' || title.trim() === '') {
    problems.push({ file, line: keyLine('title'), message: 'title is missing' });
  }
  if (typeof language !== 'string' || !LANGUAGE.test(language)) {
    problems.push({
      file,
      line: keyLine('language'),
      message: "language must be a language code such as 'en' or 'es'",
    });
  }
  if (
    typeof id === 'string' &&
    PACK_ID.test(id) &&
    typeof title === 'string' &&
    typeof language === 'string'
  ) {
    return {
      manifest: { id, title: title.trim() || id, language: LANGUAGE.test(language) ? language : 'en' },
      problems,
    };
  }
  return { problems };
}

/**
 * The line of a JSON.parse error. V8 says "at position N", "(line L column C)", or quotes a few characters
 * around the bad token (`Unexpected token '}', ..."title": }" is not valid JSON`); 1 when it says none.
 */
function jsonErrorLine(text: string, msg: string): number {
  const line = /\(line (\d+) column \d+\)/.exec(msg);
  if (line) {
    return Number(line[1]);
  }
  const pos = /at position (\d+)/.exec(msg);
  if (pos) {
    return lineAt(text, Number(pos[1]));
  }
  const quoted = /^Unexpected token '(.)', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(msg);
  const at = quoted ? text.indexOf(quoted[2]!) : -1;
  return at < 0 ? 1 : lineAt(text, at + Math.max(0, quoted![2]!.indexOf(quoted![1]!)));
}

/**
 * The line to blame for a YAML error. js-yaml reports where it noticed the error, which for an unclosed quote or
 * bracket is the end of the front matter: blame the first line that opens one and does not close it.
 */
function yamlErrorLine(yamlLines: readonly string[], markLine: number | undefined): number {
  const last = markLine === undefined ? yamlLines.length - 1 : Math.min(markLine, yamlLines.length - 1);
  for (let i = 0; i <= last; i++) {
    const l = (yamlLines[i] ?? '').replace(/\\./g, '').replace(/#.*$/, '');
    const quotes = (l.match(/"/g) ?? []).length;
    const count = (c: string): number => l.split(c).length - 1;
    if (quotes % 2 === 1 || count('[') > count(']') || count('{') > count('}')) {
      return i + 2;
    }
  }
  return last + 2;
}

/** Splits `---` front matter from the body; `bodyLine` is the 1-based line where the body starts. */
function splitFrontMatter(text: string): { yaml: string; body: string; bodyLine: number } | undefined {
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) {
    return undefined;
  }
  return { yaml: m[1]!, body: text.slice(m[0].length), bodyLine: lineAt(text, m[0].length) };
}

/** The line (1-based, in the file) of the first front-matter line that starts with `key:`. */
function keyLineIn(yamlLines: readonly string[], key: string): number {
  const i = yamlLines.findIndex((l) => l.startsWith(`${key}:`));
  return i < 0 ? 1 : i + 2;
}

/** The line of the first front-matter line holding `value`, from the `key:` line on (lists may wrap). */
function valueLineIn(yamlLines: readonly string[], key: string, value: string): number {
  const from = Math.max(0, keyLineIn(yamlLines, key) - 2);
  for (let i = from; i < yamlLines.length; i++) {
    if (yamlLines[i]!.includes(value)) {
      return i + 2;
    }
  }
  return keyLineIn(yamlLines, key);
}

/**
 * Parses one note file. Returns the note when it has at least a valid id and a title (problems in other fields
 * drop only that field's bad entries), and every problem with its line.
 */
export function parseNoteFile(
  text: string,
  file: string,
  isKnownMoment: (name: string) => boolean,
): { note?: NoteFile; problems: PackProblem[] } {
  const problems: PackProblem[] = [];
  const problem = (line: number, message: string): void => {
    problems.push({ file, line, message });
  };
  const split = splitFrontMatter(text.replace(/^\uFEFF/, ''));
  if (!split) {
    problem(
      1,
      "no front matter: a note starts with a '---' line, its id, title and explains, and another '---'",
    );
    return { problems };
  }
  const yamlLines = split.yaml.split(/\r?\n/);
  let data: unknown;
  try {
    data = loadYaml(split.yaml, { schema: JSON_SCHEMA, filename: file });
  } catch (e) {
    const line = yamlErrorLine(yamlLines, e instanceof YAMLException ? e.mark?.line : undefined);
    problem(line, `broken YAML in the front matter: ${e instanceof YAMLException ? e.reason : String(e)}`);
    return { problems };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problem(1, 'the front matter must be a mapping (id: …, title: …)');
    return { problems };
  }
  const o = data as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(FRONT_MATTER_KEYS as readonly string[]).includes(key)) {
      problem(keyLineIn(yamlLines, key), `unknown key '${key}' (a note has ${FRONT_MATTER_KEYS.join(', ')})`);
    }
  }
  const stringList = (key: string): string[] => {
    const v = o[key];
    if (v === undefined || v === null) {
      return [];
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      problem(keyLineIn(yamlLines, key), `${key} must be a list of strings`);
      return [];
    }
    return v as string[];
  };
  const id = o['id'];
  const title = o['title'];
  let ok = true;
  if (typeof id !== 'string' || !NOTE_ID.test(id)) {
    problem(
      id === undefined ? 1 : keyLineIn(yamlLines, 'id'),
      id === undefined ? 'id is missing' : 'id must be lower-case letters, digits and dashes',
    );
    ok = false;
  }
  if (typeof title !== 'string' || title.trim() === '') {
    problem(title === undefined ? 1 : keyLineIn(yamlLines, 'title'), 'title is missing');
    ok = false;
  }
  const topics = stringList('topics');
  const explains: string[] = [];
  for (const m of stringList('explains')) {
    if (isKnownMoment(m)) {
      explains.push(m);
    } else {
      problem(valueLineIn(yamlLines, 'explains', m), `unknown moment '${m}' (see docs/notes-packs.md)`);
    }
  }
  const seeAlso = o['seeAlso'] === undefined ? undefined : stringList('seeAlso');
  const { body, tree, code } = parseBody(split.body);
  if (!ok) {
    return { problems };
  }
  const note: NoteFile = { id: id as string, title: (title as string).trim(), topics, explains, body, tree };
  if (code) {
    note.code = code;
  }
  if (seeAlso) {
    note.seeAlso = seeAlso;
  }
  return { note, problems };
}

/**
 * The body: the first fenced block tagged python, c, java or javascript is that language's code sample and leaves
 * the body; everything else is the body's Markdown (as text, for hovers) and its tree (for the webviews).
 */
export function parseBody(markdown: string): { body: string; tree: MdBlock[]; code?: NoteCode } {
  const root = fromMarkdown(markdown, {
    extensions: [gfmTable()],
    mdastExtensions: [gfmTableFromMarkdown()],
  });
  const code: NoteCode = {};
  const cuts: [number, number][] = [];
  const kept: RootContent[] = [];
  for (const node of root.children) {
    const lang = node.type === 'code' ? (node.lang ?? '') : '';
    if (
      node.type === 'code' &&
      (CODE_TAGS as readonly string[]).includes(lang) &&
      code[lang as keyof NoteCode] === undefined
    ) {
      code[lang as keyof NoteCode] = node.value;
      cuts.push([node.position?.start.offset ?? 0, node.position?.end.offset ?? 0]);
    } else {
      kept.push(node);
    }
  }
  // The text between the code blocks, each piece trimmed, one blank line apart.
  const pieces: string[] = [];
  let at = 0;
  for (const [from, to] of cuts) {
    pieces.push(markdown.slice(at, from));
    at = to;
  }
  pieces.push(markdown.slice(at));
  const body = pieces
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join('\n\n');
  const tree = kept.flatMap(block);
  return Object.keys(code).length > 0 ? { body, tree, code } : { body, tree };
}

function block(node: RootContent | MdastNode): MdBlock[] {
  switch (node.type) {
    case 'paragraph':
      return [{ type: 'paragraph', children: inlines(node.children) }];
    case 'heading':
      return [{ type: 'heading', depth: node.depth, children: inlines(node.children) }];
    case 'list': {
      const list: MdBlock = {
        type: 'list',
        ordered: node.ordered === true,
        items: node.children.map((item) => item.children.flatMap(block)),
      };
      if (node.ordered && typeof node.start === 'number' && node.start !== 1) {
        list.start = node.start;
      }
      return [list];
    }
    case 'code':
      return [
        node.lang ? { type: 'code', lang: node.lang, text: node.value } : { type: 'code', text: node.value },
      ];
    case 'blockquote':
      return [{ type: 'blockquote', children: node.children.flatMap(block) }];
    case 'table': {
      const [head, ...rows] = node.children.map((row) => row.children.map((cell) => inlines(cell.children)));
      return [{ type: 'table', header: head ?? [], rows }];
    }
    case 'thematicBreak':
      return [{ type: 'thematicBreak' }];
    case 'html':
      // Raw HTML is shown as the text it is, never interpreted.
      return [{ type: 'paragraph', children: [{ type: 'text', value: node.value }] }];
    default:
      // Definitions and anything else the notes do not use: nothing to show.
      return [];
  }
}

function inlines(nodes: readonly PhrasingContent[]): MdInline[] {
  const out: MdInline[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        out.push({ type: 'text', value: n.value });
        break;
      case 'inlineCode':
        out.push({ type: 'inlineCode', value: n.value });
        break;
      case 'emphasis':
      case 'strong':
      case 'delete':
        out.push({ type: n.type, children: inlines(n.children) });
        break;
      case 'link':
        out.push(
          isSafeHref(n.url)
            ? { type: 'link', href: n.url, children: inlines(n.children) }
            : { type: 'link', children: inlines(n.children) },
        );
        break;
      case 'break':
        out.push({ type: 'break' });
        break;
      case 'html':
        out.push({ type: 'text', value: n.value });
        break;
      case 'image':
        out.push({ type: 'text', value: n.alt ?? '' });
        break;
      default:
        // References without definitions and footnotes: their text, if any.
        if ('children' in n) {
          out.push(...inlines(n.children as PhrasingContent[]));
        } else if ('value' in n && typeof n.value === 'string') {
          out.push({ type: 'text', value: n.value });
        }
    }
  }
  return out;
}
