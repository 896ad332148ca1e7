/**
 * Course packs in the real extension host: a pack folder written here, set through the setting, with an override
 * of a built-in note, a new note on refused connections and a broken file; then a refused connection, the log
 * entry's notes, the problems (command and Problems view) and a reload when a file changes on disk.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'socket-playground.socket-playground';

type LogRecord = { event: string; error?: { code?: string }; notes: { id: string; title: string }[] };
type Api = { log: { lastSeq: number; slice(fromSeq?: number): LogRecord[] } };
type PackSummary = {
  id: string;
  title: string;
  language: string;
  path: string;
  notes: number;
  problems: { file: string; line: number; message: string }[];
};
type NoteSummary = { id: string; title: string; pack: string; language: string };

function exec<T>(id: string, arg?: unknown): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(`socketPlayground.${id}`, arg));
}

/** Resolves when `check` holds, re-checking whenever diagnostics change (every pack reload sets them). */
function when(check: () => Promise<boolean> | boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    let done = false;
    const attempt = async (): Promise<void> => {
      if (!done && (await check())) {
        done = true;
        subs.forEach((s) => s.dispose());
        clearInterval(poll);
        resolve();
      }
    };
    subs.push(vscode.languages.onDidChangeDiagnostics(() => void attempt()));
    // The reload follows a file watcher; a slow re-check covers a machine where the event came before we listened.
    const poll = setInterval(() => void attempt().catch(reject), 200);
    void attempt().catch(reject);
  });
}

const PACK_JSON = '{ "id": "test-course", "title": "Test course", "language": "es" }\n';
const OVERRIDE = `---
id: connection-refused
title: "Refused: our course's words"
topics: [tcp, errors]
explains: ["error:ECONNREFUSED"]
---
Nadie escucha en ese puerto.
`;
const NEW_NOTE = `---
id: test-refused-lab
title: "Lab 1: start TCPServer.py first"
topics: [lab]
explains: ["error:ECONNREFUSED"]
---
Run the server in its own terminal.
`;
const BROKEN = `---
id: test-broken
title: "Broken"
explains: ["error:ECONNREFUSED", "event:tcp.teleport"]
---
Body.
`;

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  const port = await new Promise<number>((r) =>
    srv.listen(0, '127.0.0.1', () => r((srv.address() as net.AddressInfo).port)),
  );
  await new Promise((r) => srv.close(r));
  return port;
}

describe('Course packs (integration, real extension host)', function () {
  this.timeout(60_000);
  let api: Api;
  let dir: string;

  before(async () => {
    api = (await vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate()) as Api;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socket-pack-'));
    fs.writeFileSync(path.join(dir, 'pack.json'), PACK_JSON);
    fs.writeFileSync(path.join(dir, '01-override.md'), OVERRIDE);
    fs.writeFileSync(path.join(dir, '02-new.md'), NEW_NOTE);
    fs.writeFileSync(path.join(dir, '03-broken.md'), BROKEN);
    await vscode.workspace
      .getConfiguration('socketPlayground')
      .update('notes.packs', [dir], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('socketPlayground')
      .update('notes.packs', undefined, vscode.ConfigurationTarget.Global);
    await exec('closeAll');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('listNotePacks reports the built-in pack and the new one, with the broken file and its line', async () => {
    const packs = await exec<PackSummary[]>('listNotePacks', {});
    assert.equal(packs[0]?.id, 'builtin');
    assert.ok((packs[0]?.notes ?? 0) >= 45);
    assert.deepEqual(packs[0]?.problems, []);
    const pack = packs.find((p) => p.id === 'test-course');
    assert.ok(pack, JSON.stringify(packs.map((p) => p.id)));
    assert.equal(pack.language, 'es');
    assert.equal(pack.path, dir);
    assert.equal(pack.notes, 3, 'the broken file still loads, without its unknown moment');
    assert.deepEqual(
      pack.problems.map((p) => ({ ...p, message: p.message.replace(/ \(.*$/, '') })),
      [{ file: path.join(dir, '03-broken.md'), line: 4, message: "unknown moment 'event:tcp.teleport'" }],
    );
    await assert.rejects(exec('listNotePacks', { all: true }), /listNotePacks has no argument "all"/);
  });

  it('the problem is a diagnostic on its file and line', async () => {
    const uri = vscode.Uri.file(path.join(dir, '03-broken.md'));
    await when(() => vscode.languages.getDiagnostics(uri).length > 0);
    const [d] = vscode.languages.getDiagnostics(uri);
    assert.equal(d?.range.start.line, 3);
    assert.match(d?.message ?? '', /unknown moment 'event:tcp\.teleport'/);
  });

  it('listNotes gives each note its pack and language; the override replaces the built-in note', async () => {
    const notes = await exec<NoteSummary[]>('listNotes', {});
    const refused = notes.find((n) => n.id === 'connection-refused');
    assert.deepEqual(
      { title: refused?.title, pack: refused?.pack, language: refused?.language },
      { title: "Refused: our course's words", pack: 'test-course', language: 'es' },
    );
    assert.equal(notes.filter((n) => n.id === 'connection-refused').length, 1);
    assert.equal(notes.find((n) => n.id === 'test-refused-lab')?.pack, 'test-course');
    assert.equal(notes.find((n) => n.id === 'udp-sender-address')?.pack, 'builtin');
  });

  it('a refused connection logs an error entry with the override and the new note', async () => {
    const port = await closedPort();
    const from = api.log.lastSeq + 1;
    await assert.rejects(exec('connectTcpClient', { port }), /refused/);
    const entry = api.log.slice(from).find((r) => r.event === 'error' && r.error?.code === 'ECONNREFUSED');
    assert.ok(entry, 'an error entry for the refused connection');
    assert.deepEqual(
      entry.notes.map((n) => n.id),
      // The override keeps the built-in place; the pack's new notes follow in file order.
      ['connection-refused', 'test-refused-lab', 'test-broken', 'tcp-server-first'],
    );
    assert.equal(entry.notes[0]?.title, "Refused: our course's words");
  });

  it('editing a file on disk reloads the pack, without a restart', async () => {
    fs.writeFileSync(path.join(dir, '03-broken.md'), BROKEN.replace(', "event:tcp.teleport"', ''));
    await when(async () => {
      const packs = await exec<PackSummary[]>('listNotePacks', {});
      return packs.find((p) => p.id === 'test-course')?.problems.length === 0;
    });
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(path.join(dir, '03-broken.md'))).length, 0);
    fs.rmSync(path.join(dir, '02-new.md'));
    await when(async () => {
      const notes = await exec<NoteSummary[]>('listNotes', {});
      return !notes.some((n) => n.id === 'test-refused-lab');
    });
  });

  it('newNotePack scaffolds a pack that loads without a problem, and refuses to overwrite one', async () => {
    const target = path.join(dir, 'scaffold');
    const r = await exec<{ path: string; files: string[] }>('newNotePack', {
      folder: target,
      id: 'scaffolded',
    });
    assert.equal(r.path, target);
    assert.deepEqual(fs.readdirSync(target).sort(), ['01-my-connection-refused.md', 'pack.json']);
    await assert.rejects(exec('newNotePack', { folder: target }), /already holds a pack/);
    await vscode.workspace
      .getConfiguration('socketPlayground')
      .update('notes.packs', [dir, target], vscode.ConfigurationTarget.Global);
    const packs = await exec<PackSummary[]>('listNotePacks', {});
    const scaffolded = packs.find((p) => p.id === 'scaffolded');
    assert.deepEqual(
      { notes: scaffolded?.notes, problems: scaffolded?.problems },
      { notes: 1, problems: [] },
    );
  });
});
