/**
 * Scenario files in the real extension host: a `.sockets` file in the workspace run through
 * socketPlayground.runScenario against a playground server the test starts, a syntax error in the Problems
 * view, the CodeLenses, and a real UDPClient.py session saved with socketPlayground.saveAsScenario and replayed.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SocketInfo } from '../../src/shared/types';

const EXTENSION_ID = 'socket-playground.socket-playground';
const TEXTBOOK = path.resolve(__dirname, '../../../test/fixtures/textbook');

type StepRun = Step & { received?: Uint8Array };
type Api = {
  scenarios: {
    controller: vscode.TestController;
    resultsFor(
      uri: vscode.Uri,
    ): { steps: Map<number, StepRun[]>; blocks: Map<number, { passed: boolean }> } | undefined;
  };
};

type Step = { line: number; op: string; status: string; message: string };
type Result = {
  path: string;
  passed: boolean;
  blocks: { name: string; line: number; passed: boolean; steps: Step[] }[];
};

function exec<T>(id: string, arg?: unknown): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(`socketPlayground.${id}`, arg));
}

function folder(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests run with the fixture workspace open');
  return f.uri.fsPath;
}

async function waitFor<T>(get: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined) {
      return v;
    }
    if (Date.now() - start > ms) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('integration: scenario files', function () {
  this.timeout(60_000);
  const written: string[] = [];
  const write = (name: string, text: string): string => {
    const p = path.join(folder(), name);
    fs.writeFileSync(p, text);
    written.push(p);
    return p;
  };

  let api: Api;
  before(async () => {
    api = await vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await exec('closeAll');
  });
  after(() => {
    for (const p of written) {
      fs.rmSync(p, { force: true });
    }
  });

  it('runScenario runs a workspace file against a playground server: passed and failed steps, sockets closed', async () => {
    const server = await exec<SocketInfo>('startUdpServer', { port: 0 });
    write(
      'it-uppercase.sockets',
      [
        `@port = ${server.local.port}`,
        '### passes',
        'udp 127.0.0.1:{{port}}',
        '> hello',
        '< HELLO',
        '### fails',
        'udp 127.0.0.1:{{port}}',
        '> hello',
        '< hello',
        '> never sent',
      ].join('\n'),
    );
    const r = await exec<Result>('runScenario', { path: 'it-uppercase.sockets' });
    assert.equal(r.path, path.join(folder(), 'it-uppercase.sockets'));
    assert.equal(r.passed, false);
    assert.deepEqual(
      r.blocks.map((b) => [b.name, b.line, b.passed]),
      [
        ['passes', 2, true],
        ['fails', 6, false],
      ],
    );
    assert.deepEqual(
      r.blocks[1]!.steps.map((s) => `${s.line} ${s.op} ${s.status}`),
      ['7 udp passed', '8 send passed', '9 expect failed', '10 send skipped'],
    );
    assert.match(
      r.blocks[1]!.steps[2]!.message,
      /expected "hello" \(68 65 6c 6c 6f\).*"HELLO" \(48 45 4c 4c 4f\)/,
    );
    const left = await exec<SocketInfo[]>('listSockets');
    assert.deepEqual(
      left.map((s) => s.id),
      [server.id],
      'the blocks closed their clients',
    );

    // The Testing view: the file is a suite, each block a test at its line.
    const uri = vscode.Uri.file(r.path);
    const suite = api.scenarios.controller.items.get(uri.toString());
    assert.ok(suite, 'the file is a test suite');
    const tests: string[] = [];
    suite.children.forEach((t) => tests.push(`${t.label} ${t.range?.start.line}`));
    assert.deepEqual(tests, ['passes 1', 'fails 5']);
    // The inline marks: one per line, with the bytes that came.
    const results = api.scenarios.resultsFor(uri)!;
    assert.equal(results.blocks.get(2)?.passed, true);
    assert.equal(results.blocks.get(6)?.passed, false);
    assert.equal(Buffer.from(results.steps.get(5)![0]!.received!).toString(), 'HELLO');
    assert.equal(results.steps.get(9)![0]!.status, 'failed');

    const one = await exec<Result>('runScenario', { path: 'it-uppercase.sockets', block: 'passes' });
    assert.deepEqual(
      one.blocks.map((b) => b.name),
      ['passes'],
    );
    assert.equal(one.passed, true);
  });

  it('runScenario rejects bad arguments and names the blocks there are', async () => {
    write('it-names.sockets', '### only\nudp 127.0.0.1:9\n');
    await assert.rejects(exec('runScenario', { path: 42 }), /path/);
    await assert.rejects(exec('runScenario', { path: 'it-names.sockets', blok: 'x' }), /blok/);
    await assert.rejects(
      exec('runScenario', { path: 'it-names.sockets', block: 'other' }),
      /no block named "other".*"only"/,
    );
    await assert.rejects(
      exec('runScenario', { path: 'no-such-file.sockets' }),
      /cannot read the scenario file/,
    );
  });

  it('a syntax error is a diagnostic on its line, the block does not run, and each block has a Send lens', async () => {
    const p = write(
      'it-broken.sockets',
      '### broken\nudp 127.0.0.1:{{nope}}\n> hi\n### fine\nudp 127.0.0.1:9\n',
    );
    const doc = await vscode.workspace.openTextDocument(p);
    assert.equal(doc.languageId, 'sockets');
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'Socket Playground');
      return d.length > 0 ? d : undefined;
    }, 'diagnostics');
    assert.equal(diags.length, 1);
    assert.equal(diags[0]!.range.start.line, 1);
    assert.equal(diags[0]!.range.start.character, 14);
    assert.equal(diags[0]!.code, 'unknown-variable');
    assert.match(diags[0]!.message, /unknown variable \{\{nope\}\}/);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      doc.uri,
    );
    const titles = lenses.map((l) => `${l.range.start.line} ${l.command?.title}`);
    assert.ok(titles.includes('0 $(run-all) Run All (2 blocks)'), titles.join(' | '));
    assert.ok(titles.includes('0 $(play) Send (1 problem)'), titles.join(' | '));
    assert.ok(titles.includes('3 $(play) Send'), titles.join(' | '));

    const r = await exec<Result>('runScenario', { path: p, block: 'broken' });
    assert.deepEqual(
      r.blocks[0]!.steps.map((s) => `${s.line} ${s.op} ${s.status}`),
      ['2 syntax failed', '3 send skipped'],
    );
    assert.deepEqual(await exec<SocketInfo[]>('listSockets'), [], 'nothing was opened');

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(2, 1),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .join('\n');
    assert.match(text, /Sends one datagram of 2 bytes \(68 69\)/);
  });

  it('completion offers the line kinds and the variables defined above', async () => {
    const p = write('it-complete.sockets', '@port = 12000\n### b\nudp 127.0.0.1:{{\n');
    const doc = await vscode.workspace.openTextDocument(p);
    const vars = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(2, 16),
    );
    const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    assert.ok(
      vars.items.some((i) => label(i) === 'port'),
      vars.items.map(label).join(', '),
    );
    const kinds = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(3, 0),
    );
    for (const k of ['udp', 'tcp', '>hex', '@timeout', 'repeat', 'server', 'end']) {
      assert.ok(
        kinds.items.some((i) => label(i) === k),
        k,
      );
    }
  });

  it('saveAsScenario turns a real UDPClient.py session into a block that replays and passes', async () => {
    const server = await exec<SocketInfo>('startUdpServer', { port: 0 });
    const client = spawn('python3', [
      path.join(TEXTBOOK, 'UDPClient.py'),
      '127.0.0.1',
      String(server.local.port),
    ]);
    let out = '';
    client.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      client.on('close', resolve);
      client.stdin.end('saved from python\n');
    });
    assert.equal(code, 0);
    assert.match(out, /SAVED FROM PYTHON/);
    const target = path.join(folder(), 'it-saved.sockets');
    written.push(target);
    fs.rmSync(target, { force: true });
    const saved = await exec<{ path: string; block: string; line: number }>('saveAsScenario', {
      socketId: server.id,
      path: 'it-saved.sockets',
    });
    assert.equal(saved.path, target);
    assert.equal(saved.line, 1);
    const text = fs.readFileSync(target, 'utf8');
    assert.match(text, /^> saved from python$/m);
    assert.match(text, /^< SAVED FROM PYTHON$/m);
    const replay = await exec<Result>('runScenario', { path: target, block: saved.block });
    assert.equal(replay.passed, true, JSON.stringify(replay.blocks));

    // Saved again into the same file: appended under a new name, after a blank line.
    const again = await exec<{ block: string; line: number }>('saveAsScenario', {
      socketId: server.id,
      path: target,
    });
    assert.notEqual(again.block, saved.block);
    const lines = fs.readFileSync(target, 'utf8').split('\n');
    assert.equal(lines[again.line - 2], '');
    assert.ok(lines[again.line - 1]!.startsWith('### '));
    await assert.rejects(exec('saveAsScenario', { socketId: 'udp-client-424242' }), /no socket with id/);
  });

  it('openScenarioSamples puts the sample in the workspace, and its self-contained block passes', async () => {
    const target = path.join(folder(), 'textbook.sockets');
    written.push(target);
    fs.rmSync(target, { force: true });
    const opened = await exec<{ path: string }>('openScenarioSamples');
    assert.equal(opened.path, target);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'sockets');
    const r = await exec<Result>('runScenario', { path: target, block: 'Uppercase over UDP' });
    assert.equal(r.passed, true, JSON.stringify(r.blocks));
    // Without an argument: the active .sockets editor, every block (self-contained ones: the sample's other
    // blocks would talk to whatever else listens on 12000, 8000 and 8025 on this machine).
    const active = write(
      'it-active.sockets',
      '### a\nserver udp echo 0\nudp 127.0.0.1:{{serverPort}}\n> a\n< a\n### b\nserver tcp uppercase 0\ntcp 127.0.0.1:{{serverPort}}\n> b\n< B\n',
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(active));
    const all = await exec<Result>('runScenario');
    assert.equal(all.path, active);
    // The editor title's Run button passes the file's URI instead of an argument object.
    const fromTitle = await exec<Result>('runScenario', vscode.Uri.file(active));
    assert.equal(fromTitle.passed, true, JSON.stringify(fromTitle.blocks));
    assert.deepEqual(
      all.blocks.map((b) => [b.name, b.passed]),
      [
        ['a', true],
        ['b', true],
      ],
    );
    assert.deepEqual(await exec<SocketInfo[]>('listSockets'), [], 'every block closed what it opened');
  });
});
