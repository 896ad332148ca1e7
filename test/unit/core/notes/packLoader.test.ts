import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { notesFor } from '../../../../src/core/notes/annotate';
import { allNotes, getNote, NoteId, notePacks, setRunTimePacks } from '../../../../src/core/notes/notes';
import { parseBody, parseManifest, parseNoteFile } from '../../../../src/core/notes/packFormat';
import { isKnownMoment } from '../../../../src/core/notes/moments';
import { loadPack, MAX_NOTE_BYTES } from '../../../../src/core/notes/packLoader';

const REFUSED = {
  kind: 'tcp-client',
  protocol: 'tcp',
  event: 'error',
  local: { address: '127.0.0.1', port: 50000 },
  errorCode: 'ECONNREFUSED',
} as const;

const GOOD = `---
id: my-refused
title: "Nobody listens"
topics: [tcp]
explains: ["error:ECONNREFUSED"]
---
Start the **server** first.
`;

describe('course packs (unit)', () => {
  describe('parseNoteFile: broken files give a problem on their line', () => {
    const table: { name: string; text: string; line: number; message: RegExp; loads: boolean }[] = [
      {
        name: 'no front matter',
        text: 'Just text\n',
        line: 1,
        message: /no front matter/,
        loads: false,
      },
      {
        name: 'broken YAML',
        text: '---\nid: a-note\ntitle: "unclosed\nexplains: []\n---\nBody\n',
        line: 3,
        message: /broken YAML/,
        loads: false,
      },
      {
        name: 'an unknown key',
        text: '---\nid: a-note\ntitle: T\nauthor: me\n---\nBody\n',
        line: 4,
        message: /unknown key 'author'/,
        loads: true,
      },
      {
        name: 'an unknown moment',
        text: '---\nid: a-note\ntitle: T\nexplains:\n  - "error:ECONNREFUSED"\n  - "event:udp.teleport"\n---\nBody\n',
        line: 6,
        message: /unknown moment 'event:udp.teleport'/,
        loads: true,
      },
      {
        name: 'a missing title',
        text: '---\nid: a-note\nexplains: []\n---\nBody\n',
        line: 1,
        message: /title is missing/,
        loads: false,
      },
      {
        name: 'a bad id',
        text: '---\nid: Not An Id\ntitle: T\n---\nBody\n',
        line: 2,
        message: /id must be/,
        loads: false,
      },
      {
        name: 'explains that is not a list',
        text: '---\nid: a-note\ntitle: T\ntopics: []\nexplains: 42\n---\nBody\n',
        line: 5,
        message: /explains must be a list of strings/,
        loads: true,
      },
    ];
    for (const row of table) {
      it(row.name, () => {
        const r = parseNoteFile(row.text, '/p/n.md', isKnownMoment);
        assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
        assert.equal(r.problems[0]?.file, '/p/n.md');
        assert.equal(r.problems[0]?.line, row.line, r.problems[0]?.message);
        assert.match(r.problems[0]?.message ?? '', row.message);
        assert.equal(r.note !== undefined, row.loads);
      });
    }

    it('a good note has no problem and keeps only known moments', () => {
      const r = parseNoteFile(GOOD, '/p/n.md', isKnownMoment);
      assert.deepEqual(r.problems, []);
      assert.equal(r.note?.id, 'my-refused');
      assert.deepEqual(r.note?.explains, ['error:ECONNREFUSED']);
      assert.equal(r.note?.body, 'Start the **server** first.');
    });
  });

  describe('parseManifest', () => {
    const table: { name: string; text: string; line: number; message: RegExp }[] = [
      { name: 'broken JSON', text: '{\n  "id": "x",\n  "title": \n}', line: 4, message: /pack.json/ },
      {
        name: 'an unknown key',
        text: '{\n "id": "x",\n "title": "X",\n "language": "en",\n "v": 1\n}',
        line: 5,
        message: /unknown key 'v'/,
      },
      {
        name: 'a missing title',
        text: '{\n "id": "x",\n "language": "en"\n}',
        line: 1,
        message: /title is missing/,
      },
      {
        name: 'a bad language',
        text: '{\n "id": "x",\n "title": "X",\n "language": "English"\n}',
        line: 4,
        message: /language/,
      },
    ];
    for (const row of table) {
      it(row.name, () => {
        const r = parseManifest(row.text, '/p/pack.json');
        assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
        assert.equal(r.problems[0]?.line, row.line);
        assert.match(r.problems[0]?.message ?? '', row.message);
      });
    }
  });

  describe('parseBody', () => {
    it('takes the tagged code blocks out of the body and keeps tables, lists and other code', () => {
      const md =
        'Intro with `code`.\n\n| a | b |\n| --- | --- |\n| 1 | `2` |\n\n- one\n- two\n\n```text\nkept\n```\n\n' +
        '```python\nprint(1)\n```\n\n```c\nint x;\n```\n';
      const r = parseBody(md);
      assert.deepEqual(r.code, { python: 'print(1)', c: 'int x;' });
      assert.equal(
        r.body,
        'Intro with `code`.\n\n| a | b |\n| --- | --- |\n| 1 | `2` |\n\n- one\n- two\n\n```text\nkept\n```',
      );
      assert.deepEqual(
        r.tree.map((b) => b.type),
        ['paragraph', 'table', 'list', 'code'],
      );
    });

    it('keeps note and http(s) links, drops any other target, and shows raw HTML as text', () => {
      const r = parseBody(
        '[a](note:tcp-reset) [b](https://example.org/x) [c](javascript:alert(1)) <b>hi</b>',
      );
      const para = r.tree[0];
      assert.ok(para?.type === 'paragraph');
      const links = para.children.filter((c) => c.type === 'link');
      assert.deepEqual(
        links.map((l) => (l.type === 'link' ? (l.href ?? null) : null)),
        ['note:tcp-reset', 'https://example.org/x', null],
      );
      assert.ok(para.children.some((c) => c.type === 'text' && c.value === '<b>'));
    });
  });

  describe('loadPack from a folder, laid over the built-in notes', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notes-pack-'));
      fs.writeFileSync(
        path.join(dir, 'pack.json'),
        '{ "id": "my-course", "title": "My course", "language": "es" }',
      );
      fs.writeFileSync(path.join(dir, '01-new.md'), GOOD);
      fs.writeFileSync(
        path.join(dir, '02-override.md'),
        '---\nid: connection-refused\ntitle: "Our refused connection"\nexplains: ["error:ECONNREFUSED"]\n---\nOurs.\n',
      );
      fs.writeFileSync(path.join(dir, '03-dup.md'), GOOD.replace('Nobody listens', 'Again'));
      fs.writeFileSync(path.join(dir, '04-broken.md'), '---\nid: broken\ntitle: [\n---\n');
      fs.writeFileSync(path.join(dir, '05-huge.md'), 'x'.repeat(MAX_NOTE_BYTES + 1));
      fs.writeFileSync(path.join(dir, 'README.txt'), 'not a note');
    });
    after(() => {
      setRunTimePacks([]);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('loads the good notes and reports each broken file with its line', async () => {
      const pack = await loadPack(dir);
      assert.equal(pack.id, 'my-course');
      assert.equal(pack.language, 'es');
      assert.deepEqual(
        pack.notes.map((n) => n.id),
        ['my-refused', 'connection-refused'],
      );
      assert.deepEqual(
        pack.problems.map((p) => [path.basename(p.file), p.line, p.message.split(' ').slice(0, 2).join(' ')]),
        [
          ['03-dup.md', 2, 'duplicate id'],
          ['04-broken.md', 3, 'broken YAML'],
          ['05-huge.md', 1, `${MAX_NOTE_BYTES + 1} bytes:`],
        ],
      );
    });

    it('a missing folder is one problem, not an exception', async () => {
      const pack = await loadPack(path.join(dir, 'nope'));
      assert.equal(pack.notes.length, 0);
      assert.match(pack.problems.map((p) => p.message).join(), /does not exist/);
    });

    it('an override replaces the built-in note in place; a new note is matched through explains', async () => {
      const before = allNotes().length;
      const at = allNotes().findIndex((n) => n.id === NoteId.ConnectionRefused);
      setRunTimePacks([await loadPack(dir)]);
      assert.equal(allNotes().length, before + 1);
      assert.equal(allNotes()[at]?.title, 'Our refused connection');
      assert.equal(getNote(NoteId.ConnectionRefused)?.pack, 'my-course');
      assert.equal(getNote('my-refused')?.language, 'es');
      assert.equal(notePacks().length, 2);
      const ids = notesFor(REFUSED).map((r) => r.id);
      // By the pack's order within error:ECONNREFUSED: the override keeps the built-in place, the new note follows.
      assert.deepEqual(ids, [NoteId.ConnectionRefused, 'my-refused', NoteId.TcpServerFirst]);
      assert.equal(notesFor(REFUSED)[0]?.title, 'Our refused connection');
      setRunTimePacks([]);
      assert.equal(getNote(NoteId.ConnectionRefused)?.pack, 'builtin');
      assert.equal(getNote('my-refused'), undefined);
      assert.ok(!notesFor(REFUSED).some((r) => r.id === 'my-refused'));
    });
  });

  describe('docs/example-pack', () => {
    it('loads without a problem', async () => {
      const pack = await loadPack(path.join(__dirname, '..', '..', '..', '..', '..', 'docs', 'example-pack'));
      assert.deepEqual(pack.problems, []);
      assert.ok(pack.notes.length >= 2);
    });
  });
});
