/** The protocol peers as commands in the real extension host: the recording mail server and the HTTP client. */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listListeningPorts } from '../../src/core/os/procNet';
import type { SocketInfo } from '../../src/shared/types';

const EXTENSION_ID = 'socket-playground.socket-playground';
const fixtures = path.resolve(__dirname, '../../../test/fixtures/labs');

type Api = { registry: { size: number; list(): SocketInfo[] } };

function exec<T>(id: string, arg?: unknown): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(`socketPlayground.${id}`, arg));
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

describe('Protocol peers in the extension host', function () {
  this.timeout(60_000);
  let api: Api;

  before(async () => {
    api = await vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate();
  });

  it('startSmtpServer: a mail server in the tree; the correct client sends its mail through it', async () => {
    const info = await exec<SocketInfo>('startSmtpServer', { port: 0, greetDelayMs: 0 });
    try {
      assert.equal(info.kind, 'tcp-server');
      assert.ok(api.registry.list().some((s) => s.id === info.id));
      const child = spawn('python3', [path.join(fixtures, 'smtp_client.py'), String(info.local.port)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      assert.equal(await exited(child), 0);
      assert.match(out, /S: 250 2\.0\.0 OK: message \d+ recorded/);
      assert.match(out, /S: 221 /);
    } finally {
      await exec('closeSocket', { socketId: info.id });
    }
    await assert.rejects(exec('startSmtpServer', { port: 'x' }), /port/);
    await assert.rejects(exec('startSmtpServer', { frobnicate: 1 }), /frobnicate/);
  });

  it("sendHttpRequest: GETs from the student's WebServer.py; the response comes back whole", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'http-peer-'));
    writeFileSync(path.join(dir, 'HelloWorld.html'), '<h1>Hello</h1>\n');
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const child = spawn('python3', [path.join(fixtures, 'web_server.py'), String(port)], {
      cwd: dir,
      stdio: 'ignore',
    });
    try {
      // There is no event for another process binding a port: read the OS's table until it shows it.
      const deadline = Date.now() + 30_000; // python3 can take seconds to start on a busy machine
      while (!(await listListeningPorts()).some((p) => p.protocol === 'tcp' && p.port === port)) {
        assert.ok(Date.now() < deadline, 'the server never listened');
        await new Promise((res) => setImmediate(res));
      }
      const r = await exec<{ status?: number; body: string; socketId: string }>('sendHttpRequest', {
        port,
        path: '/HelloWorld.html',
      });
      assert.ok(r, 'the server never answered');
      assert.equal(r.status, 200);
      assert.equal(r.body, '<h1>Hello</h1>\n');
      const missing = await exec<{ status?: number }>('sendHttpRequest', { port, path: '/nope.html' });
      assert.equal(missing.status, 404);
      await assert.rejects(exec('sendHttpRequest', { port, path: 'no-slash' }), /path must start with/);
      await assert.rejects(exec('sendHttpRequest', {}), /needs port/);
    } finally {
      child.kill();
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
