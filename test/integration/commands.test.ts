/** The command contract (docs/contract.md) driven with argument objects, inside the real extension host. */
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SocketInfo } from '../../src/shared/types';

const EXTENSION_ID = 'socket-playground.socket-playground';

type Api = {
  trafficPanel(): { feed: { posted: number }; rejected: number; panel: vscode.WebviewPanel } | undefined;
  sockets: {
    getChildren(e?: unknown): Array<{ id: string; parentId?: string }>;
    getTreeItem(e: unknown): vscode.TreeItem;
    refreshCount: number;
  };
};

async function api(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID)!;
  return ext.activate();
}

function exec<T>(id: string, arg?: unknown): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(`socketPlayground.${id}`, arg));
}

function udpRoundTrip(port: number, text: string, host = '127.0.0.1'): Promise<string> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      s.close();
      reject(new Error('no reply'));
    }, 20_000); // generous: only a lost reply should end it, not a busy machine
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m.toString());
    });
    s.send(text, port, host);
  });
}

function portFree(port: number): Promise<boolean> {
  const srv = net.createServer();
  return new Promise((resolve) => {
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Resolves once `cond()` holds (state the extension's events set); the bound only turns a hang into a failure. */
async function waitFor(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) {
      throw new Error('timed out');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Commands (integration, real extension host)', () => {
  before(async () => {
    await api();
  });
  afterEach(async () => {
    await exec('closeAll');
  });

  it('startUdpServer with arguments asks nothing, returns SocketInfo, and serves real datagrams', async () => {
    const info = await exec<SocketInfo>('startUdpServer', { port: 0 });
    assert.equal(info.kind, 'udp-server');
    assert.equal(info.state, 'bound');
    assert.equal(info.local.address, '127.0.0.1');
    assert.equal(await udpRoundTrip(info.local.port, 'integration'), 'INTEGRATION');
    const list = await exec<SocketInfo[]>('listSockets');
    assert.equal(list.length, 1);
    assert.equal(list[0]!.messagesIn, 1);
    assert.equal(list[0]!.messagesOut, 1);
  });

  it('the tree shows what the engine holds: a server with its connections as children', async () => {
    const a = await api();
    const server = await exec<SocketInfo>('startTcpServer', { port: 0 });
    const client = await exec<SocketInfo>('connectTcpClient', { port: server.local.port });
    assert.equal(client.state, 'open');
    const list = await exec<SocketInfo[]>('listSockets');
    assert.deepEqual(list.map((s) => s.kind).sort(), ['tcp-client', 'tcp-connection', 'tcp-server']);
    const roots = a.sockets.getChildren();
    assert.deepEqual(roots.map((r) => r.id).sort(), [client.id, server.id].sort());
    const serverNode = roots.find((r) => r.id === server.id)!;
    const children = a.sockets.getChildren(serverNode);
    assert.equal(children.length, 1);
    const item = a.sockets.getTreeItem(children[0]);
    assert.equal(item.label, 'TCP connection');
    assert.match(String(item.contextValue), /^tcp-connection:open$/);
    assert.match(String(item.description), new RegExp(`:${server.local.port} → `));
    const serverItem = a.sockets.getTreeItem(serverNode);
    assert.equal(serverItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.ok(serverItem.tooltip instanceof vscode.MarkdownString);
  });

  it('the pinger-lab UDP server (loss) shows in the tree how many datagrams it dropped', async () => {
    const a = await api();
    const server = await exec<SocketInfo>('startUdpServer', { port: 0, impairment: { loss: 0.4, seed: 3 } });
    const item = () => a.sockets.getTreeItem(a.sockets.getChildren().find((s) => s.id === server.id));
    assert.match(String(item().description), /^0 lost · 127\.0\.0\.1:\d+/);
    const client = dgram.createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    let replies = 0;
    client.on('message', () => replies++);
    for (let i = 0; i < 50; i++) {
      await new Promise<void>((r) => client.send(`ping ${i}`, server.local.port, '127.0.0.1', () => r()));
    }
    const now = async () => (await exec<SocketInfo[]>('listSockets')).find((x) => x.id === server.id)!;
    await waitFor(async () => {
      const info = await now();
      return info.messagesIn === 50 && replies === info.messagesOut;
    });
    // No late reply is on its way: every datagram is in, and every reply the server sent has arrived.
    client.close();
    const dropped = 50 - replies;
    assert.ok(dropped > 0 && dropped < 50, `40 % loss over 50 pings: ${dropped}`);
    assert.match(String(item().description), new RegExp(`^${dropped} lost · `));
  });

  it('a relay with loss shows in the tree what it lost: UDP counts its drops, TCP loses nothing', async () => {
    const a = await api();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-relay-tree-'));
    /** The relay's drop entries in the log, by socket (its own, for replies; its legs, for requests). */
    const drops = async (): Promise<Map<string, number>> => {
      const file = path.join(dir, `log-${Date.now()}.jsonl`);
      await exec('exportTraffic', { path: file, format: 'jsonl' });
      const byId = new Map<string, number>();
      for (const line of fs.readFileSync(file, 'utf8').trim().split('\n')) {
        const e = JSON.parse(line) as { event: string; socketId: string };
        if (e.event === 'drop') {
          byId.set(e.socketId, (byId.get(e.socketId) ?? 0) + 1);
        }
      }
      return byId;
    };
    const item = (id: string) => a.sockets.getTreeItem(a.sockets.getChildren().find((s) => s.id === id));
    try {
      await exec('clearTraffic');
      const server = await exec<SocketInfo>('startUdpServer', { port: 0, behavior: 'echo' });
      const udp = await exec<SocketInfo>('startRelay', {
        protocol: 'udp',
        listenPort: 0,
        targetPort: server.local.port,
        impairment: { loss: 0.3, seed: 11 },
      });
      assert.match(String(item(udp.id).label), /^UDP relay$/);
      assert.match(String(item(udp.id).description), /^0 lost · /);
      const client = dgram.createSocket('udp4');
      await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
      for (let i = 0; i < 40; i++) {
        await new Promise<void>((r) => client.send(`datagram ${i}`, udp.local.port, '127.0.0.1', () => r()));
      }
      // Every datagram went one of three ways: dropped on the way up, dropped on the way back, or echoed.
      let lost = -1;
      await waitFor(async () => {
        const list = await exec<SocketInfo[]>('listSockets');
        const relay = list.find((s) => s.id === udp.id)!;
        const leg = list.find((s) => s.parentId === udp.id);
        const d = await drops();
        const up = leg ? (d.get(leg.id) ?? 0) : 0;
        const down = d.get(udp.id) ?? 0;
        lost = up + down;
        return relay.messagesIn === 40 && relay.messagesOut + lost === 40;
      });
      client.close();
      assert.ok(lost > 0 && lost < 40, `30 % loss each way over 40 round trips: ${lost}`);
      const udpItem = item(udp.id);
      assert.match(String(udpItem.description), new RegExp(`^${lost} lost · 127\\.0\\.0\\.1:\\d+ → `));
      assert.match((udpItem.tooltip as vscode.MarkdownString).value, new RegExp(`${lost} datagrams`));
      assert.match(String(udpItem.accessibilityInformation?.label), new RegExp(`${lost} lost`));
      const legNode = a.sockets.getChildren(a.sockets.getChildren().find((s) => s.id === udp.id));
      assert.equal(legNode.length, 1);
      assert.equal(a.sockets.getTreeItem(legNode[0]).label, 'Leg to server');

      const echo = await exec<SocketInfo>('startTcpServer', { port: 0, behavior: 'echo' });
      const tcp = await exec<SocketInfo>('startRelay', {
        protocol: 'tcp',
        listenPort: 0,
        targetPort: echo.local.port,
        impairment: { loss: 0.5, seed: 5 },
      });
      const sent = Array.from({ length: 12 }, (_, i) => `line ${i}\n`).join('');
      const got = await new Promise<string>((resolve, reject) => {
        const c = net.connect(tcp.local.port, '127.0.0.1');
        let data = '';
        c.setEncoding('utf8');
        c.on('data', (d: string) => {
          data += d;
          if (data.length >= sent.length) {
            c.end();
            resolve(data);
          }
        });
        c.on('error', reject);
        // One write per line, each a chunk the relay decides on: the next line is written once the relay has
        // read this one (a pause instead would let a busy machine merge them into fewer chunks).
        const relayedIn = async () =>
          (await exec<SocketInfo[]>('listSockets'))
            .filter((s) => s.parentId === tcp.id && s.kind === 'tcp-connection')
            .reduce((n, s) => n + s.bytesIn, 0);
        c.on('connect', async () => {
          let written = 0;
          try {
            for (const line of sent.split(/(?<=\n)/)) {
              c.write(line);
              written += line.length;
              await waitFor(async () => (await relayedIn()) >= written);
            }
          } catch (err) {
            reject(err);
          }
        });
      });
      assert.equal(got, sent, 'every byte, in order');
      const resent = [...(await drops()).entries()]
        .filter(([id]) => id.startsWith('tcp-'))
        .reduce((n, [, k]) => n + k, 0);
      assert.ok(resent > 0, 'with 50 % loss some chunks were lost and resent');
      assert.match(String(item(tcp.id).description), new RegExp(`^0 lost, ${resent} resent · `));
      assert.match((item(tcp.id).tooltip as vscode.MarkdownString).value, /nothing: the \d+ segments/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('send, then the reply is counted exactly', async () => {
    const server = await exec<SocketInfo>('startTcpServer', { port: 0, framing: 'line' });
    const client = await exec<SocketInfo>('connectTcpClient', { port: server.local.port });
    const r = await exec<{ bytes: number }>('send', {
      socketId: client.id,
      data: '68 69 0a',
      encoding: 'hex',
    });
    assert.deepEqual(r, { bytes: 3 });
    await waitFor(
      async () => (await exec<SocketInfo[]>('listSockets')).find((s) => s.id === client.id)!.bytesIn === 3,
    );
  });

  it('bad arguments reject with a clear message and change nothing', async () => {
    await exec('startUdpServer', { port: 0 });
    const before = JSON.stringify(await exec('listSockets'));
    const bad: Array<[string, unknown, RegExp]> = [
      ['startUdpServer', { port: 70000 }, /from 0 to 65535/],
      ['startTcpServer', { port: 0, host: '0.0.0.0' }, /socketPlayground\.allowRemoteBind/],
      ['connectTcpClient', { host: 'bad host', port: 1 }, /not a valid host/],
      ['send', { socketId: 'nope', data: 'x' }, /no socket with id "nope"/],
      ['send', { socketId: 'nope', data: 'x', encoding: 'hex' }, /no socket with id/],
      ['closeSocket', { socketId: 42 }, /socketId must be/],
      ['exportTraffic', { path: '', format: 'jsonl' }, /needs path/],
      ['exportTraffic', { path: '/tmp/x.cap', format: 'pcap' }, /format must be one of "jsonl", "pcapng"/],
    ];
    for (const [cmd, arg, re] of bad) {
      await assert.rejects(exec(cmd, arg), re, cmd);
    }
    assert.equal(JSON.stringify(await exec('listSockets')), before);
  });

  it('connection refused reaches the caller with the start-the-server-first explanation', async () => {
    const srv = net.createServer();
    const port = await new Promise<number>((r) =>
      srv.listen(0, '127.0.0.1', () => r((srv.address() as net.AddressInfo).port)),
    );
    await new Promise((r) => srv.close(r));
    await assert.rejects(exec('connectTcpClient', { port }), /connection refused.*Start the server first/);
  });

  it('closeAll frees every port at once', async () => {
    const t = await exec<SocketInfo>('startTcpServer', { port: 0 });
    const u = await exec<SocketInfo>('startUdpServer', { port: 0 });
    await exec('connectTcpClient', { port: t.local.port });
    await exec('closeAll');
    assert.deepEqual(await exec('listSockets'), []);
    assert.ok(await portFree(t.local.port), 'TCP port re-bindable');
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(u.local.port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('exportTraffic writes JSONL in seq order and pcapng that starts with a section header', async () => {
    await exec('clearTraffic');
    const s = await exec<SocketInfo>('startUdpServer', { port: 0 });
    await udpRoundTrip(s.local.port, 'export me');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-export-'));
    try {
      const j = await exec<{ path: string; entries: number }>('exportTraffic', {
        path: path.join(dir, 'log.jsonl'),
        format: 'jsonl',
      });
      const lines = fs
        .readFileSync(j.path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.equal(lines.length, j.entries);
      assert.deepEqual(
        lines.map((l) => l.event),
        ['bind', 'receive', 'send'],
      );
      assert.equal(Buffer.from(lines[1].data, 'base64').toString(), 'export me');
      assert.ok(lines.every((l, i) => i === 0 || l.seq > lines[i - 1].seq));
      assert.ok(lines.every((l) => Array.isArray(l.notes) && l.notes.length > 0));
      const p = await exec<{ path: string; entries: number }>('exportTraffic', {
        path: path.join(dir, 'cap.pcapng'),
        format: 'pcapng',
      });
      const head = fs.readFileSync(p.path).subarray(0, 4);
      assert.equal(head.readUInt32LE(0), 0x0a0d0d0a);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tree refreshes are coalesced under a flood', async () => {
    const a = await api();
    const s = await exec<SocketInfo>('startUdpServer', { port: 0, behavior: 'sink' });
    const before = a.sockets.refreshCount;
    const c = dgram.createSocket('udp4');
    const start = Date.now();
    // The bound below is in refreshes per elapsed time, measured when the count is read: a slow machine only
    // stretches the elapsed time, and the coalescing must hold over whatever it is.
    for (let i = 0; i < 5000; i++) {
      c.send('x', s.local.port, '127.0.0.1');
      if (i % 100 === 0) {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    // Loopback UDP can drop when the receive buffer fills: wait until arrivals stop, then check the coalescing.
    let last = -1;
    await waitFor(async () => {
      const n = (await exec<SocketInfo[]>('listSockets'))[0]!.messagesIn;
      const stable = n === last;
      last = n;
      await new Promise((r) => setTimeout(r, 100));
      return stable && n > 0;
    });
    c.close();
    const refreshes = a.sockets.refreshCount - before;
    const elapsed = Date.now() - start;
    assert.ok(refreshes <= Math.ceil(elapsed / 250) + 2, `${refreshes} refreshes in ${elapsed} ms`);
    assert.ok(refreshes >= 1);
  });

  it('showTraffic opens the panel; the webview says ready and gets its snapshot (ready → init)', async () => {
    const a = await api();
    const s = await exec<SocketInfo>('startUdpServer', { port: 0 });
    await assert.rejects(
      exec('showTraffic', { socketId: 'no-such-socket' }),
      /no socket with id "no-such-socket"/,
    );
    await assert.rejects(exec('showTraffic', { sockedId: s.id }), /no argument "sockedId"/);
    await exec('showTraffic', { socketId: s.id });
    const panel = a.trafficPanel();
    assert.ok(panel, 'panel open');
    assert.equal(panel.panel.viewType, 'socketPlayground.traffic');
    await waitFor(() => panel.feed.posted >= 1);
    // A second call reveals the same panel instead of opening another.
    await exec('showTraffic', {});
    assert.equal(a.trafficPanel(), panel);
    assert.equal(panel.rejected, 0, 'the webview sent nothing invalid');
    panel.panel.dispose();
    assert.equal(a.trafficPanel(), undefined);
  });
});
