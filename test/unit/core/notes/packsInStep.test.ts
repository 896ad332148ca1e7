import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JSON_SCHEMA, load as loadYaml } from 'js-yaml';
import type { Nodes, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { builtinPackFolder } from '../../../../src/core/notes/builtinPack';
import { isKnownMoment } from '../../../../src/core/notes/moments';
import * as parser from '../../../../src/core/notes/packFormat';
import { parsePack, readPackFilesSync } from '../../../../src/core/notes/packLoader';

/** One note file, reduced to what must be the same in every language (and the title, which must not). */
type NoteShape = {
  frontMatter: Record<string, unknown>;
  title: string;
  /** The top-level Markdown blocks in order (`list:3` is a list of three items, `table:4x2` four rows of two). */
  blocks: string[];
  code: { lang: string; lines: string[] }[];
  tables: number;
  /** The inline code of the prose (identifiers, calls, commands, file names), which a translation keeps. */
  inlineCode: string[];
};

const COMMENT_STYLE: Record<string, 'hash' | 'slash'> = {
  python: 'hash',
  c: 'slash',
  java: 'slash',
  javascript: 'slash',
};

/**
 * The code of a block with its comments removed, as its non-empty lines (trailing blanks trimmed): what a
 * translation may change in a code sample is its comments, nothing else. String literals are kept as they are,
 * so a '#' or '//' inside a string is not taken for a comment.
 */
export function codeWithoutComments(code: string, lang: string): string[] {
  const style = COMMENT_STYLE[lang] ?? 'hash';
  let out = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    const next = code[i + 1];
    if (style === 'hash' && c === '#') {
      while (i < code.length && code[i] !== '\n') {
        i++;
      }
    } else if (style === 'slash' && c === '/' && next === '/') {
      while (i < code.length && code[i] !== '\n') {
        i++;
      }
    } else if (style === 'slash' && c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      const comment = code.slice(i, end < 0 ? code.length : end + 2);
      // Keep the line breaks of a block comment, so the lines around it stay apart.
      out += comment.replace(/[^\n]/g, '');
      i += comment.length;
    } else if (c === '"' || c === "'" || (c === '`' && lang === 'javascript')) {
      const triple = lang === 'python' && code.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + triple.length;
      while (j < code.length && !code.startsWith(triple, j)) {
        j += code[j] === '\\' ? 2 : 1;
      }
      j = Math.min(code.length, j + triple.length);
      out += code.slice(i, j);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

function blockShape(node: RootContent): string {
  switch (node.type) {
    case 'heading':
      return `heading:${node.depth}`;
    case 'list':
      return `list:${node.ordered ? 'ordered' : 'bullet'}:${node.children.length}`;
    case 'table':
      return `table:${node.children.length}x${node.children[0]?.children.length ?? 0}`;
    case 'code':
      return `code:${node.lang ?? ''}`;
    default:
      return node.type;
  }
}

function collect(node: Nodes, type: string, into: Nodes[]): Nodes[] {
  if (node.type === type) {
    into.push(node);
  }
  if ('children' in node) {
    for (const child of node.children) {
      collect(child, type, into);
    }
  }
  return into;
}

/** Reads one note file into its shape; throws with the file's name if it has no front matter. */
export function noteShape(file: string): NoteShape {
  const text = fs.readFileSync(file, 'utf8');
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  assert.ok(m, `${path.basename(file)}: front matter`);
  const data = loadYaml(m[1]!, { schema: JSON_SCHEMA }) as Record<string, unknown>;
  const { title, ...frontMatter } = data;
  const root = fromMarkdown(text.slice(m[0].length), {
    extensions: [gfmTable()],
    mdastExtensions: [gfmTableFromMarkdown()],
  });
  const code = collect(root, 'code', []).map((n) => {
    const c = n as Extract<Nodes, { type: 'code' }>;
    const lang = c.lang ?? '';
    return { lang, lines: codeWithoutComments(c.value, lang) };
  });
  return {
    frontMatter,
    title: typeof title === 'string' ? title.trim() : '',
    blocks: root.children.map(blockShape),
    code,
    tables: collect(root, 'table', []).length,
    inlineCode: [
      ...new Set(collect(root, 'inlineCode', []).map((n) => (n as { value: string }).value)),
    ].sort(),
  };
}

/** Every way the pack in `other` is out of step with the pack in `base` (empty when they are in step). */
export function packDifferences(base: string, other: string): string[] {
  const md = (dir: string): string[] =>
    fs
      .readdirSync(dir)
      .filter((n) => n.toLowerCase().endsWith('.md'))
      .sort();
  const baseNames = md(base);
  const otherNames = md(other);
  const diffs: string[] = [];
  for (const n of baseNames.filter((x) => !otherNames.includes(x))) {
    diffs.push(`${n}: only in ${path.basename(base)}`);
  }
  for (const n of otherNames.filter((x) => !baseNames.includes(x))) {
    diffs.push(`${n}: only in ${path.basename(other)}`);
  }
  for (const name of baseNames.filter((x) => otherNames.includes(x))) {
    const a = noteShape(path.join(base, name));
    const b = noteShape(path.join(other, name));
    const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
    if (!same(a.frontMatter, b.frontMatter)) {
      diffs.push(`${name}: front matter differs (apart from the title)`);
    }
    if (b.title === '' || b.title === a.title) {
      diffs.push(`${name}: title is empty or not translated`);
    }
    if (!same(a.blocks, b.blocks)) {
      diffs.push(`${name}: Markdown blocks differ: ${a.blocks.join(' ')} / ${b.blocks.join(' ')}`);
    }
    if (a.tables !== b.tables) {
      diffs.push(`${name}: ${a.tables} tables / ${b.tables}`);
    }
    const lost = a.inlineCode.filter((c) => !b.inlineCode.includes(c));
    const added = b.inlineCode.filter((c) => !a.inlineCode.includes(c));
    if (lost.length > 0 || added.length > 0) {
      diffs.push(
        `${name}: inline code differs: lost ${JSON.stringify(lost)}, added ${JSON.stringify(added)}`,
      );
    }
    if (
      !same(
        a.code.map((c) => c.lang),
        b.code.map((c) => c.lang),
      )
    ) {
      diffs.push(`${name}: code block languages differ`);
    }
    a.code.forEach((c, i) => {
      const d = b.code[i];
      if (d && c.lang === d.lang && !same(c.lines, d.lines)) {
        const at = c.lines.findIndex((l, k) => l !== d.lines[k]);
        diffs.push(
          `${name}: ${c.lang} block ${i + 1} differs outside comments at ` +
            `'${c.lines[at] ?? '(end)'}' / '${d.lines[at] ?? '(end)'}'`,
        );
      }
    });
  }
  return diffs;
}

describe('course packs in step (unit)', () => {
  const en = builtinPackFolder();
  const es = path.join(path.dirname(en), 'builtin-es');

  it('the Spanish pack has the same notes as the English one, same front matter, code and tables', () => {
    assert.deepEqual(packDifferences(en, es), []);
  });

  it('both packs load without problems, with the same ids in the same order', () => {
    const enPack = parsePack(readPackFilesSync(en), parser, isKnownMoment);
    const esPack = parsePack(readPackFilesSync(es), parser, isKnownMoment);
    assert.deepEqual(enPack.problems, []);
    assert.deepEqual(esPack.problems, []);
    assert.ok(enPack.notes.length > 0, 'the English pack has notes');
    assert.deepEqual(
      esPack.notes.map((n) => n.id),
      enPack.notes.map((n) => n.id),
    );
    assert.deepEqual(
      esPack.notes.map((n) => n.explains),
      enPack.notes.map((n) => n.explains),
    );
  });

  it('the Spanish pack.json is the built-in pack in es', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(es, 'pack.json'), 'utf8')) as unknown;
    assert.deepEqual(manifest, {
      id: 'builtin',
      title: 'Apuntes del curso de Socket Playground',
      language: 'es',
    });
  });

  it('comments are stripped, string literals and code are not', () => {
    assert.deepEqual(codeWithoutComments("s = '#1'  # the first\n# only a comment\nx = 2", 'python'), [
      "s = '#1'",
      'x = 2',
    ]);
    assert.deepEqual(codeWithoutComments('int a = 1; // one\n/* two\n lines */ b("//");', 'c'), [
      'int a = 1;',
      ' b("//");',
    ]);
    assert.notDeepEqual(
      codeWithoutComments('send(b"hi")', 'python'),
      codeWithoutComments('send(b"ho")', 'python'),
    );
  });

  describe('the check itself fails when the packs drift', () => {
    let dir = '';
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packs-in-step-'));
      for (const lang of ['en', 'es']) {
        fs.mkdirSync(path.join(dir, lang));
      }
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const note = (title: string, body: string, topics = '[udp]'): string =>
      `---\nid: demo\ntitle: "${title}"\ntopics: ${topics}\nexplains: []\n---\n${body}\n`;
    const write = (lang: string, name: string, text: string): void => {
      fs.writeFileSync(path.join(dir, lang, name), text);
    };
    const code = (line: string): string => '```python\n' + line + '\n```';

    it('accepts a faithful translation (comments translated)', () => {
      write('en', '01-demo.md', note('Hello', `Text.\n\n${code('x = 1  # one')}`));
      write('es', '01-demo.md', note('Hola', `Texto.\n\n${code('x = 1  # uno')}`));
      assert.deepEqual(packDifferences(path.join(dir, 'en'), path.join(dir, 'es')), []);
    });

    it('a note added to one language only', () => {
      write('en', '01-demo.md', note('Hello', 'Text.'));
      write('es', '01-demo.md', note('Hola', 'Texto.'));
      write('en', '02-extra.md', note('Extra', 'More.'));
      assert.deepEqual(packDifferences(path.join(dir, 'en'), path.join(dir, 'es')), [
        '02-extra.md: only in en',
      ]);
      write('es', '03-solo.md', note('Solo', 'Más.'));
      assert.equal(packDifferences(path.join(dir, 'en'), path.join(dir, 'es')).length, 2);
    });

    for (const [what, es, expected] of [
      ['untranslated title', note('Hello', 'Texto.'), /title/],
      ['different topics', note('Hola', 'Texto.', '[tcp]'), /front matter/],
      ['changed code', note('Hola', `Texto.\n\n${code('x = 2')}`), /python block 1/],
      ['a translated identifier', note('Hola', `Usa \`enviar()\`.\n\n${code('x = 1')}`), /inline code/],
      ['a missing code block', note('Hola', 'Texto.'), /languages differ/],
      ['a dropped table', note('Hola', `Texto.\n\n${code('x = 1')}`), /tables/],
    ] as const) {
      it(`is caught: ${what}`, () => {
        const table = what === 'a dropped table' ? '\n\n| a | b |\n| --- | --- |\n| 1 | 2 |' : '';
        write('en', '01-demo.md', note('Hello', `Use \`send()\`.\n\n${code('x = 1')}${table}`));
        write('es', '01-demo.md', es);
        const diffs = packDifferences(path.join(dir, 'en'), path.join(dir, 'es'));
        assert.ok(
          diffs.some((d) => expected.test(d)),
          diffs.join('\n'),
        );
      });
    }
  });
});
