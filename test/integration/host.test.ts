/**
 * The host's hardening, through the public commands in the real extension host: settings out of range are
 * clamped with one warning, "port in use" names who holds the port, a UDP client never binds every interface
 * without the setting, strict hex, and an export never writes through a symbolic link.
 */
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SocketInfo } from '../../src/shared/types';
import { startPythonServer } from '../textbook';

const EXTENSION_ID = 'socket-playground.socket-playground';

type Api = {
  log: { maxEntries: number; maxPayloadBytes: number; size: number; lastSeq: number };
  config: { warnings: readonly string[] };
};

async function api(): Promise<Api> {
  return vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate();
}

function exec<T>(id: string, arg?: unknown): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(`socketPlayground.${id}`, arg));
}

/** Sets a user setting and resolves once VS Code has told the extensions (theirs run before ours). */
async function setSetting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('socketPlayground');
  if (config.inspect(key)?.globalValue === value) {
    return; // no change, so no event to wait for
  }
  const changed = new Promise<void>((resolve) => {
    const d = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`socketPlayground.${key}`)) {
        d.dispose();
        resolve();
      }
    });
  });
  await vscode.workspace
    .getConfiguration('socketPlayground')
    .update(key, value, vscode.ConfigurationTarget.Global);
  await changed;
}

function udpRoundTrip(port: number, text: string): Promise<string> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.on('message', (m) => {
      s.close();
      resolve(m.toString());
    });
    s.send(text, port, '127.0.0.1');
  });
}

function countOf(warnings: readonly string[], key: string): number {
  return warnings.filter((w) => w.startsWith(`setting socketPlayground.${key} = `)).length;
}

describe('Host hardening (integration, real extension host)', () => {
  before(async () => {
    await api();
  });
  afterEach(async () => {
    await exec('closeAll');
  });

  describe('settings out of range', () => {
    after(async () => {
      await setSetting('maxLogEntries', undefined);
      await setSetting('maxPayloadBytes', undefined);
    });

    it('maxLogEntries -1 and maxPayloadBytes -1: clamped, one warning each, the log keeps entries and sends succeed', async () => {
      const a = await api();
      const before = [...a.config.warnings];
      await setSetting('maxLogEntries', -1);
      await setSetting('maxPayloadBytes', -1);
      assert.equal(a.log.maxEntries, 100, 'the schema minimum');
      assert.equal(a.log.maxPayloadBytes, 0);

      // Every command reads the settings again: the warnings must not repeat.
      const server = await exec<SocketInfo>('startUdpServer', { port: 0 });
      assert.equal(await udpRoundTrip(server.local.port, 'still works'), 'STILL WORKS');
      const client = await exec<SocketInfo>('openUdpClient', { port: server.local.port });
      for (let i = 0; i < 3; i++) {
        const r = await exec<{ bytes: number }>('send', { socketId: client.id, data: 'hello' });
        assert.deepEqual(r, { bytes: 5 }, 'a send is not rejected with a RangeError');
      }
      assert.ok(a.log.size > 0, 'the log keeps entries');
      assert.ok(a.log.size <= 100);

      const added = a.config.warnings.slice(before.length);
      assert.equal(countOf(added, 'maxLogEntries'), 1, added.join('\n'));
      assert.equal(countOf(added, 'maxPayloadBytes'), 1, added.join('\n'));
      assert.match(added.join('\n'), /maxLogEntries = -1 is outside its range 100 to 1000000: using 100/);
      assert.match(added.join('\n'), /maxPayloadBytes = -1 is outside its range 0 to 1048576: using 0/);

      await setSetting('maxLogEntries', undefined);
      assert.equal(a.log.maxEntries, 100_000, 'back to the default');
    });

    it('maxLogEntries 0 (a log that silently kept nothing) keeps entries', async () => {
      const a = await api();
      await setSetting('maxLogEntries', 0);
      assert.equal(a.log.maxEntries, 100);
      const seq = a.log.lastSeq;
      await exec('startTcpServer', { port: 0 });
      assert.ok(a.log.lastSeq > seq && a.log.size > 0, 'the listen was logged');
    });
  });

  describe('port in use names who holds it', () => {
    it('a second UDP and TCP server on a port the playground holds name its socket (label and id)', async () => {
      for (const cmd of ['startUdpServer', 'startTcpServer']) {
        const first = await exec<SocketInfo>(cmd, { port: 0 });
        await assert.rejects(
          exec(cmd, { port: first.local.port }),
          (err: Error) =>
            err.message.includes(`port ${first.local.port} is already in use on 127.0.0.1`) &&
            err.message.includes(`the playground's own ${first.label} (id ${first.id}) holds it`),
          cmd,
        );
      }
      assert.equal((await exec<SocketInfo[]>('listSockets')).length, 2, 'nothing else was added');
    });

    it('the CodeLens "Start matching playground server", run while the playground server holds the port, says so', async () => {
      const first = await exec<SocketInfo>('startUdpServer', { port: 0 });
      const content =
        `from socket import *\nserverPort = ${first.local.port}\n` +
        `clientSocket = socket(AF_INET, SOCK_DGRAM)\nclientSocket.sendto(b'hi', ('127.0.0.1', serverPort))\n`;
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        doc.uri,
        10,
      );
      const lens = lenses.find((l) => l.command?.command === 'socketPlayground.startUdpServer');
      assert.ok(lens?.command, 'the lens is offered');
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? [])),
        ),
        new RegExp(`the playground's own .* \\(id ${first.id}\\) holds it`),
      );
    });

    (process.platform === 'linux' ? it : it.skip)(
      'a port the textbook UDPServer.py holds names python3 and its pid (from /proc)',
      async () => {
        const { proc: child, port } = await startPythonServer('UDPServer.py');
        try {
          await assert.rejects(
            exec('startUdpServer', { port }),
            new RegExp(
              `port ${port} is already in use on 127\\.0\\.0\\.1: python3\\S* \\(pid ${child.pid}\\) holds it`,
            ),
          );
        } finally {
          child.kill();
        }
      },
    );
  });

  it('openUdpClient to a non-loopback destination is refused without allowRemoteBind, and nothing is bound', async () => {
    const a = await api();
    const seq = a.log.lastSeq;
    await assert.rejects(
      exec('openUdpClient', { host: '192.0.2.1', port: 9 }),
      /192\.0\.2\.1.*every interface \(0\.0\.0\.0\).*"socketPlayground\.allowRemoteBind"/,
    );
    assert.deepEqual(await exec('listSockets'), []);
    assert.equal(a.log.lastSeq, seq, 'nothing logged');
  });

  it('send with hex that has stray characters (ab0xcd, 1,2,3,4) is refused and nothing is sent', async () => {
    const a = await api();
    const server = await exec<SocketInfo>('startUdpServer', { port: 0, behavior: 'sink' });
    const client = await exec<SocketInfo>('openUdpClient', { port: server.local.port });
    const seq = a.log.lastSeq;
    for (const [data, bad] of [
      ['ab0xcd', 'x'],
      ['1,2,3,4', ','],
    ]) {
      await assert.rejects(
        exec('send', { socketId: client.id, data, encoding: 'hex' }),
        new RegExp(`data is not hex: "${bad}" is not a hex digit`),
      );
    }
    assert.equal(a.log.lastSeq, seq, 'nothing logged');
    const after = (await exec<SocketInfo[]>('listSockets')).find((s) => s.id === client.id)!;
    assert.equal(after.bytesOut, 0, 'nothing sent');
    assert.deepEqual(await exec('send', { socketId: client.id, data: 'ab cd', encoding: 'hex' }), {
      bytes: 2,
    });
  });

  it('exportTraffic refuses a symbolic link as its path, and the file it points to is untouched', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-link-'));
    try {
      const target = path.join(dir, 'precious.txt');
      fs.writeFileSync(target, 'precious');
      const link = path.join(dir, 'capture.jsonl');
      fs.symlinkSync(target, link);
      await assert.rejects(
        exec('exportTraffic', { path: link, format: 'jsonl' }),
        new RegExp(`${link.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a symbolic link`),
      );
      assert.equal(fs.readFileSync(target, 'utf8'), 'precious');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
