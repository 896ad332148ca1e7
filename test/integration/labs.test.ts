/** Labs in the real extension host: listLabs and runLab through the commands, on the extension's engine. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabInfo, LabRun } from '../../src/core/labs/types';

const EXTENSION_ID = 'socket-playground.socket-playground';
const fixtures = path.resolve(__dirname, '../../../test/fixtures/labs');

type Api = {
  registry: {
    size: number;
    onDidChange(fn: (e: { type: string; socket: { kind: string } }) => void): vscode.Disposable;
  };
};

function exec<T>(id: string, arg?: unknown): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(`socketPlayground.${id}`, arg));
}

describe('Labs in the extension host', function () {
  this.timeout(60_000);
  let api: Api;

  before(async () => {
    api = await vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate();
  });

  it('listLabs returns the built-in labs', async () => {
    const labs = await exec<LabInfo[]>('listLabs', {});
    assert.deepEqual(
      labs.filter((l) => l.source === 'built-in').map((l) => l.id),
      [
        'udp-uppercase-client',
        'udp-uppercase-server',
        'tcp-uppercase-client',
        'tcp-uppercase-server',
        'udp-pinger',
        'web-server',
        'smtp-client',
      ],
    );
  });

  it("runLab web-server on the extension engine: the browser's connections show in the tree, then go", async () => {
    const kinds: string[] = [];
    const sub = api.registry.onDidChange((e) => e.type === 'added' && kinds.push(e.socket.kind));
    try {
      const run = await exec<LabRun>('runLab', {
        lab: 'web-server',
        port: 0,
        program: ['python3', path.join(fixtures, 'web_server.py'), '{port}'],
      });
      assert.equal(run.passed, true, JSON.stringify(run.checks, null, 1));
      assert.deepEqual(
        run.checks.map((c) => c.id),
        ['bound', 'get-file', 'not-found', 'split-request', 'kept-serving'],
      );
      assert.ok(kinds.filter((k) => k === 'tcp-client').length >= 4, kinds.join(', '));
      assert.equal(api.registry.size, 0);
    } finally {
      sub.dispose();
    }
  });

  it('runLab runs the fixed slides client on the extension engine: its server shows in the tree, then goes', async () => {
    const kinds: string[] = [];
    const sub = api.registry.onDidChange((e) => e.type === 'added' && kinds.push(e.socket.kind));
    try {
      const run = await exec<LabRun>('runLab', {
        lab: 'udp-uppercase-client',
        port: 0,
        seed: 3,
        program: ['python3', path.join(fixtures, 'udp_client.py'), '{port}'],
      });
      assert.equal(run.passed, true, JSON.stringify(run.checks, null, 1));
      assert.equal(run.seed, 3);
      assert.deepEqual(kinds, ['udp-server']);
      assert.equal(api.registry.size, 0);
    } finally {
      sub.dispose();
    }
  });

  it('runLab with a broken solution fails with the message that names the mistake', async () => {
    const run = await exec<LabRun>('runLab', {
      lab: 'tcp-uppercase-server',
      port: 0,
      program: ['python3', path.join(fixtures, 'tcp_server_one_client.py'), '{port}'],
    });
    assert.equal(run.passed, false);
    const kept = run.checks.find((c) => c.id === 'kept-serving')!;
    assert.equal(kept.status, 'failed');
    assert.match(kept.message, /while True/);
  });

  it('runLab with a bad argument rejects and changes nothing', async () => {
    await assert.rejects(exec('runLab', { lab: 'nope', program: ['python3'] }), /no lab "nope"/);
    assert.equal(api.registry.size, 0);
  });
});
