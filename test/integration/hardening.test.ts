/**
 * Hardening round 2 and the student's-first-hour fixes that show through the commands and the Sockets tree,
 * inside the real extension host.
 */
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SocketInfo, TrafficEntry } from '../../src/shared/types';

const EXTENSION_ID = 'socket-playground.socket-playground';

type Node = { id?: string; row?: { id: string }; members?: unknown[] };
type Api = {
  sockets: {
    getChildren(e?: unknown): Node[];
    getTreeItem(e: unknown): vscode.TreeItem;
  };
};

async function api(): Promise<Api> {
  return vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate();
}

function exec<T>(id: string, arg?: unknown): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(`socketPlayground.${id}`, arg));
}

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function logEntries(): Promise<TrafficEntry[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-hardening-'));
  try {
    const file = path.join(dir, 'log.jsonl');
    await exec('exportTraffic', { path: file, format: 'jsonl' });
    const text = fs.readFileSync(file, 'utf8').trim();
    return text ? text.split('\n').map((l) => JSON.parse(l) as TrafficEntry) : [];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

describe('Hardening through the commands (integration, real extension host)', () => {
  const raw: Array<net.Socket | dgram.Socket> = [];
  before(async () => {
    await api();
  });
  afterEach(async () => {
    for (const s of raw.splice(0)) {
      if (s instanceof net.Socket) {
        s.destroy();
      } else {
        s.close();
      }
    }
    await exec('closeAll');
  });

  it('startRelay refuses a relay that would close a loop with another playground relay', async () => {
    const probe = net.createServer();
    const port = await new Promise<number>((r) =>
      probe.listen(0, '127.0.0.1', () => r((probe.address() as net.AddressInfo).port)),
    );
    await new Promise((r) => probe.close(r));
    const first = await exec<SocketInfo>('startRelay', { protocol: 'tcp', listenPort: 0, targetPort: port });
    const before = JSON.stringify((await exec<SocketInfo[]>('listSockets')).map((s) => s.id));
    await assert.rejects(
      exec('startRelay', { protocol: 'tcp', listenPort: port, targetPort: first.local.port }),
      /leads back to it .* in a loop/,
    );
    assert.equal(JSON.stringify((await exec<SocketInfo[]>('listSockets')).map((s) => s.id)), before);
  });

  it('send refuses a datagram from one answering server to another: they would answer each other forever', async () => {
    const a = await exec<SocketInfo>('startUdpServer', { port: 0, behavior: 'echo' });
    const b = await exec<SocketInfo>('startUdpServer', { port: 0, behavior: 'echo' });
    await assert.rejects(
      exec('send', { socketId: a.id, data: 'ping', to: { address: '127.0.0.1', port: b.local.port } }),
      /answer each other forever/,
    );
    const list = await exec<SocketInfo[]>('listSockets');
    assert.deepEqual(
      list.map((s) => [s.messagesIn, s.messagesOut]),
      [
        [0, 0],
        [0, 0],
      ],
      'nothing was sent, nothing ping-ponged',
    );
  });

  it("startUdpServer checks a fixed reply in bytes: 'é' × 40,000 is refused", async () => {
    await assert.rejects(
      exec('startUdpServer', { port: 0, behavior: 'fixed', reply: 'é'.repeat(40_000) }),
      /80,000 bytes in UTF-8/,
    );
    assert.deepEqual(await exec('listSockets'), []);
  });

  it('a line-framing server closes a connection whose line never ends, with the reason in the log', async () => {
    const server = await exec<SocketInfo>('startTcpServer', { port: 0, framing: 'line' });
    const c = await connect(server.local.port);
    raw.push(c);
    c.on('error', () => undefined);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.write(Buffer.alloc(100 * 1024, 0x78));
    await closed;
    await waitFor(
      async () => (await logEntries()).some((e) => e.error?.code === 'ELINETOOLONG'),
      'the entry',
    );
    const e = (await logEntries()).find((x) => x.error?.code === 'ELINETOOLONG')!;
    assert.match(e.error!.message, /65,536 bytes/);
  });

  it('after a client leaves, the server row keeps what it served and the closed connection stays, dimmed', async () => {
    const a = await api();
    const server = await exec<SocketInfo>('startTcpServer', { port: 0 });
    const c = await connect(server.local.port);
    raw.push(c);
    c.write('hello tree');
    await new Promise<void>((r) => c.once('data', () => r()));
    c.end();
    const serverNode = () => a.sockets.getChildren().find((n) => n.id === server.id)!;
    await waitFor(
      () => /0 open, 1 served/.test(String(a.sockets.getTreeItem(serverNode()).description)),
      'the server row updated',
    );
    const item = a.sockets.getTreeItem(serverNode());
    assert.equal(item.label, 'TCP server');
    assert.match(String(item.description), /^127\.0\.0\.1:\d+ · 0 open, 1 served$/);
    const tip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /10 bytes in, 10 bytes out/);
    assert.match(tip, /carries no data itself/);
    const kids = a.sockets.getChildren(serverNode());
    assert.equal(kids.length, 1);
    const closedItem = a.sockets.getTreeItem(kids[0]);
    assert.equal(closedItem.label, 'TCP connection');
    assert.match(String(closedItem.description), /· closed$/);
    assert.equal(closedItem.contextValue, 'tcp-connection:closed:retained');
    assert.equal(
      ((closedItem.iconPath as vscode.ThemeIcon).color as vscode.ThemeColor).id,
      'disabledForeground',
    );
  });

  it('relay legs fold into one group row with their count; the relay row shows its seed', async () => {
    const a = await api();
    const server = await exec<SocketInfo>('startUdpServer', { port: 0, behavior: 'echo' });
    const relay = await exec<SocketInfo>('startRelay', {
      protocol: 'udp',
      listenPort: 0,
      targetPort: server.local.port,
      impairment: { delayMs: 1, seed: 77 },
    });
    for (let i = 0; i < 5; i++) {
      const s = dgram.createSocket('udp4');
      raw.push(s);
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
      const echoed = new Promise<void>((r) => s.once('message', () => r()));
      s.send(`run ${i}`, relay.local.port, '127.0.0.1');
      await echoed;
    }
    const relayNode = () => a.sockets.getChildren().find((n) => n.id === relay.id)!;
    const relayItem = a.sockets.getTreeItem(relayNode());
    assert.match(String(relayItem.description), /· 5 legs · seed 77$/);
    assert.match((relayItem.tooltip as vscode.MarkdownString).value, /\| seed \| 77 /);
    const kids = a.sockets.getChildren(relayNode());
    assert.equal(kids.length, 1, 'one group row, not five leg rows');
    const group = a.sockets.getTreeItem(kids[0]);
    assert.equal(group.label, 'Legs to server');
    assert.equal(group.description, '5 legs');
    assert.equal(group.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const legs = a.sockets.getChildren(kids[0]);
    assert.equal(legs.length, 5);
    const leg = a.sockets.getTreeItem(legs[0]);
    assert.equal(leg.label, 'Leg to server');
    assert.match(String(leg.description), /expires after 60 s idle/);
    assert.match(String(leg.contextValue), /^udp-client:bound$/);
  });
});
