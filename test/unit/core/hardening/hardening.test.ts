/**
 * Hardening round 2 in the socket and relay wings: hostile or careless peers, loops, and what the tree shows
 * after clients leave. Real loopback sockets; every test closes what it opened.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type * as dgram from 'node:dgram';
import * as net from 'node:net';
import { PlaygroundError } from '../../../../src/core/errors';
import {
  Relay as RelayStart,
  type Relay,
  type TcpRelay,
  type UdpRelay,
} from '../../../../src/core/relay/relay';
import { DatagramLink, ImpairmentModel, type ImpairmentEvent } from '../../../../src/core/sockets/impairment';
import type { TcpStream } from '../../../../src/core/sockets/tcpClient';
import { RETAINED_CLOSED, RETAINED_MS, type TcpServer } from '../../../../src/core/sockets/tcpServer';
import type { UdpClient } from '../../../../src/core/sockets/udpSocket';
import { TrafficLog } from '../../../../src/core/traffic/trafficLog';
import type { SocketInfo } from '../../../../src/shared/types';
import { closeUdp, makeEngine, readBytes, tcpConnect, udpPeer, udpRequest, waitFor } from '../../helpers';

describe('hardening round 2 (sockets, relay, log)', function () {
  let engine: ReturnType<typeof makeEngine>;
  const raw: net.Socket[] = [];
  const udp: dgram.Socket[] = [];
  const children: ChildProcess[] = [];
  // A small payload budget, so the log's copies do not blur the memory measurements.
  beforeEach(() => (engine = makeEngine({}, { maxHeldPayloadBytes: 1 << 20 })));
  afterEach(async () => {
    raw.splice(0).forEach((s) => s.destroy());
    await Promise.all(udp.splice(0).map(closeUdp));
    for (const c of children.splice(0)) {
      c.kill();
    }
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  const get = <T>(info: SocketInfo) => engine.registry.get(info.id) as T;
  const entries = (socketId: string, event?: string) =>
    [...engine.log].filter((r) => r.socketId === socketId && (!event || r.event === event));

  it('backpressure: a client that writes 64 MB and never reads makes the server stop reading; it resumes when the client reads', async () => {
    const info = await engine.registry.startTcpServer({ port: 0, behavior: 'echo' });
    const client = await tcpConnect(info.local.port);
    raw.push(client);
    client.pause(); // never reads, like a sendall() of a file before any recv()
    const TOTAL = 64 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let pushed = 0;
    const pushAll = new Promise<void>((resolve) => {
      const more = () => {
        while (pushed < TOTAL) {
          pushed += chunk.length;
          if (!client.write(chunk)) {
            client.once('drain', more);
            return;
          }
        }
        resolve();
      };
      more();
    });
    const mem = () => {
      const m = process.memoryUsage();
      return m.arrayBuffers + m.external;
    };
    const before = mem();
    await waitFor(() => engine.registry.list().some((s) => s.kind === 'tcp-connection'), 'accepted');
    const conn = engine.registry.all().find((s) => s.kind === 'tcp-connection') as TcpStream;
    // Both ends stuck: the server's socket is paused (Node reads nothing more from the kernel) and the client's
    // writes back up because nobody reads them.
    await waitFor(
      () => conn.readingPaused && conn.sock.isPaused() && client.writableNeedDrain,
      'the server paused reading and the client is blocked',
    );
    const pausedAt = conn.bytesIn;
    assert.ok(conn.sock.writableLength < 4 * 1024 * 1024, `replies held: ${conn.sock.writableLength} bytes`);
    assert.ok(pausedAt < TOTAL / 4, `the server read ${pausedAt} of ${TOTAL} bytes before pausing`);
    assert.ok(pushed < TOTAL, 'the client could not push everything while nobody read');
    assert.ok(mem() - before < 32 * 1024 * 1024, `host buffers grew by ${mem() - before} bytes`);
    // The client reads: everything flows, and every byte comes back.
    let got = 0;
    const allBack = new Promise<void>((resolve) =>
      client.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= TOTAL) {
          resolve();
        }
      }),
    );
    client.resume();
    await pushAll;
    await allBack;
    assert.equal(conn.bytesIn, TOTAL);
    assert.equal(conn.bytesOut, TOTAL);
  });

  it('line framing: a line that never ends is capped at 64 KiB; the server logs why and closes the connection', async () => {
    const info = await engine.registry.startTcpServer({ port: 0, framing: 'line' });
    const client = await tcpConnect(info.local.port);
    raw.push(client);
    client.on('error', () => undefined);
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.write('ok\n');
    assert.equal((await readBytes(client, 3)).toString(), 'OK\n');
    const piece = Buffer.alloc(4096, 0x62);
    const writer = setInterval(() => client.writable && client.write(piece), 1);
    try {
      await closed;
    } finally {
      clearInterval(writer);
    }
    const conn = engine.log.slice().find((r) => r.event === 'error' && r.error?.code === 'ELINETOOLONG');
    assert.ok(conn, 'an error entry says why');
    assert.match(conn.error!.message, /no line end .* within 65,536 bytes/);
    assert.ok(entries(conn.socketId, 'close').length === 1, 'and the connection closed');
  });

  it('a delaying link under a flood holds a bounded queue; what overflows is a counted drop with its reason', () => {
    const reports: Array<[ImpairmentEvent, string | undefined]> = [];
    const timers = new Set<unknown>();
    let id = 0;
    const link = new DatagramLink<Buffer>(
      new ImpairmentModel({ delayMs: 30_000, seed: 1 }),
      () => undefined,
      (e, _d, _ms, reason) => reports.push([e, reason]),
      {
        maxDatagrams: 100,
        maxBytes: 1 << 20,
        timers: {
          setTimeout: () => {
            const h = ++id;
            timers.add(h);
            return h;
          },
          clearTimeout: (h) => timers.delete(h),
        },
        now: () => 0,
      },
    );
    for (let i = 0; i < 500; i++) {
      link.push(Buffer.alloc(32 * 1024));
    }
    // 1 MiB holds 32 datagrams of 32 KiB: the byte bound comes first.
    assert.equal(link.pending, 32);
    assert.ok(link.bytes <= 1 << 20);
    assert.equal(link.stats.overflowed, 468);
    assert.equal(link.stats.dropped, 468);
    const drops = reports.filter(([e]) => e === 'drop');
    assert.equal(drops.length, 468);
    assert.match(drops[0]![1]!, /queue is full .* as a router drops/);
    assert.equal(timers.size, 1, 'one timer for the whole queue');
    link.dispose();
    assert.equal(timers.size, 0);
  });

  it('a failed UDP send is logged as an error and not counted as sent', async () => {
    const target = await udpPeer();
    udp.push(target);
    const info = await engine.registry.openUdpClient({ port: target.address().port });
    const client = get<UdpClient>(info);
    await assert.rejects(client.send(Buffer.alloc(70_000)), /EMSGSIZE|datagram|too long/i);
    assert.equal(client.messagesOut, 0);
    assert.equal(client.bytesOut, 0);
    assert.equal(entries(info.id, 'send').length, 0, 'no send entry for what did not go');
    assert.equal(entries(info.id, 'error').length, 1);
  });

  it("a fixed reply is checked in bytes: 'é' × 40,000 is 80,000 bytes, refused; nothing starts", async () => {
    await assert.rejects(
      engine.registry.startUdpServer({ port: 0, behavior: 'fixed', reply: 'é'.repeat(40_000) }),
      /reply is 80,000 bytes in UTF-8 \(40,000 characters\)/,
    );
    assert.equal(engine.registry.size, 0);
  });

  it('two relays in a loop: the second is refused, and so is a relay pointed at itself; a chain to a server is fine', async () => {
    const a = await engine.registry.startRelay({ protocol: 'tcp', targetPort: 1 });
    // Find a free port for b, then point a's twin at it: a → b → a.
    const probe = net.createServer();
    const port = await new Promise<number>((r) =>
      probe.listen(0, '127.0.0.1', () => r((probe.address() as net.AddressInfo).port)),
    );
    await new Promise((r) => probe.close(r));
    const loopA = await engine.registry.startRelay({ protocol: 'tcp', targetPort: port });
    await assert.rejects(
      engine.registry.startRelay({ protocol: 'tcp', listenPort: port, targetPort: loopA.local.port }),
      (e: unknown) =>
        e instanceof PlaygroundError && e.code === 'ELOOP' && /leads back to it/.test(e.message),
    );
    assert.equal(engine.registry.get(loopA.id)?.isOpen, true, 'the first relay is untouched');
    await assert.rejects(
      engine.registry.startRelay({ protocol: 'tcp', host: '127.0.0.1', listenPort: port, targetPort: port }),
      /the target itself|relay itself/,
    );
    const server = await engine.registry.startTcpServer({ port: 0 });
    const chain2 = await engine.registry.startRelay({ protocol: 'tcp', targetPort: server.local.port });
    const chain1 = await engine.registry.startRelay({ protocol: 'tcp', targetPort: chain2.local.port });
    const c = await tcpConnect(chain1.local.port);
    raw.push(c);
    c.write('through two relays');
    assert.equal((await readBytes(c, 18)).toString(), 'THROUGH TWO RELAYS');
    assert.ok(a.id);
  });

  it('a TCP relay holds at most its connection cap; the next client is dropped and the drop logged', async () => {
    const server = await engine.registry.startTcpServer({ port: 0, behavior: 'echo' });
    let n = 0;
    const opened: Relay[] = [];
    const ctx = {
      log: engine.log,
      adopt: () => undefined,
      closed: () => undefined,
      newId: (kind: string) => `${kind}-cap-${++n}`,
    };
    const relay = await RelayStart.start('relay-cap', ctx, {
      protocol: 'tcp',
      listen: { address: '127.0.0.1', port: 0, family: 4 },
      target: { host: '127.0.0.1', address: '127.0.0.1', port: server.local.port, family: 4 },
      maxConnections: 2,
    });
    opened.push(relay);
    try {
      const clients = await Promise.all([0, 1].map(() => tcpConnect(relay.local.port)));
      raw.push(...clients);
      await waitFor(() => relay.legCount === 4, 'two pairs');
      const third = await tcpConnect(relay.local.port);
      raw.push(third);
      const ended = new Promise<void>((r) => third.once('close', () => r()));
      third.on('error', () => undefined);
      await ended;
      const drop = [...engine.log].find((r) => r.socketId === 'relay-cap' && r.error?.code === 'EMFILE');
      assert.ok(drop, 'the refusal is logged');
      assert.match(drop.error!.message, /already holds 2 connections/);
      assert.equal(relay.legCount, 4);
    } finally {
      await Promise.all(opened.map((r) => r.close()));
    }
  });

  it('a UDP echo server sending to another playground echo server (or to itself) is refused; nothing is sent', async () => {
    const one = await engine.registry.startUdpServer({ port: 0, behavior: 'echo' });
    const two = await engine.registry.startUdpServer({ port: 0, behavior: 'uppercase' });
    const relay = await engine.registry.startRelay({ protocol: 'udp', targetPort: two.local.port });
    for (const [from, to] of [
      [one, two],
      [one, one],
      [relay, one],
      [one, relay],
    ] as const) {
      await assert.rejects(
        engine.registry.send({
          socketId: from.id,
          data: 'ping',
          to: { address: '127.0.0.1', port: to.local.port },
        }),
        (e: unknown) => e instanceof PlaygroundError && e.code === 'ELOOP' && /forever/.test(e.message),
      );
    }
    assert.equal(entries(one.id, 'send').length, 0);
    // A sink does not answer: sending to it is fine.
    const sink = await engine.registry.startUdpServer({ port: 0, behavior: 'sink' });
    const r = await engine.registry.send({
      socketId: one.id,
      data: 'ping',
      to: { address: '127.0.0.1', port: sink.local.port },
    });
    assert.deepEqual(r, { bytes: 4 });
  });

  it('the log forgets socket ids and endpoints once their last entry is evicted', () => {
    const log = new TrafficLog({ maxEntries: 1000 }, 5);
    try {
      for (let i = 0; i < 50_000; i++) {
        log.append({
          socketId: `udp-client-${i}`,
          protocol: 'udp',
          event: 'send',
          local: { address: '127.0.0.1', port: 1024 + (i % 60_000) },
          remote: { address: `127.0.${(i >> 8) & 255}.${i & 255}`, port: 12000 },
          bytes: 1,
          notes: [{ id: `n${i}`, title: 't' }],
        });
      }
      const t = log.interned;
      assert.ok(
        t.sockets <= 1000 && t.endpoints <= 1000 && t.addresses <= 1000 && t.noteLists <= 1000,
        JSON.stringify(t),
      );
      const last = log.get(log.lastSeq)!;
      assert.equal(last.socketId, 'udp-client-49999');
      assert.equal(last.local.port, 1024 + (49_999 % 60_000));
      assert.equal(last.notes[0]!.id, 'n49999');
      assert.equal(log.get(log.firstSeq)!.socketId, 'udp-client-49000');
      log.clear();
      assert.deepEqual(log.interned, { sockets: 0, endpoints: 0, addresses: 0, noteLists: 0 });
    } finally {
      log.dispose();
    }
  });

  it('closing a TCP relay whose upstream connect is still pending leaves no timer behind', async function () {
    // A listener that never accepts, with its accept queue full: the relay's connect to it stays pending.
    const py = spawn('python3', [
      '-c',
      'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()',
    ]);
    children.push(py);
    const port = await new Promise<number>((resolve, reject) => {
      py.once('error', reject);
      py.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    });
    for (let i = 0; i < 3; i++) {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      raw.push(s);
    }
    const info = await engine.registry.startRelay({ protocol: 'tcp', targetPort: port });
    const relay = get<TcpRelay>(info);
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timeouts();
    const c = await tcpConnect(info.local.port);
    raw.push(c);
    c.on('error', () => undefined);
    await waitFor(() => relay.pendingConnects === 1, 'the upstream connect under way');
    assert.ok(timeouts() > before, 'its timeout timer runs');
    await engine.registry.closeSocket({ socketId: info.id });
    assert.equal(relay.pendingConnects, 0);
    assert.ok(timeouts() <= before, `timers: ${timeouts()} after, ${before} before`);
  });

  it('the TCP server keeps on its row how many it served and what they carried, and the last closed ones for a while', async () => {
    const info = await engine.registry.startTcpServer({ port: 0 });
    const server = get<TcpServer>(info);
    for (let i = 0; i < RETAINED_CLOSED + 2; i++) {
      const c = await tcpConnect(info.local.port);
      c.write('hello');
      await readBytes(c, 5);
      const gone = server.acceptedCount;
      c.end();
      await waitFor(
        () =>
          server.connections.size === 0 && server.retainedRows().length === Math.min(gone, RETAINED_CLOSED),
        'closed and retained',
      );
      c.destroy();
    }
    const row = server.describe();
    assert.equal(row.label, 'TCP server');
    assert.match(row.description, /^127\.0\.0\.1:\d+ · 0 open, 7 served$/);
    assert.match(row.accessibility, /its connections carried 35 bytes in, 35 bytes out/);
    assert.match(row.tooltip, /35 bytes in, 35 bytes out/);
    assert.match(row.tooltip, /carries no data itself/);
    const kept = server.retainedRows();
    assert.equal(kept.length, RETAINED_CLOSED);
    for (const r of kept) {
      assert.equal(r.tone, 'dim');
      assert.match(r.description, /· closed/);
      assert.match(r.contextValue, /^tcp-connection:closed:retained$/);
    }
    server.expireRetained(Date.now() + RETAINED_MS);
    assert.equal(server.retainedRows().length, 0, 'gone after a while');
  });

  it('relay legs fold into a group, say when their mapping expires, and the expiry is logged', async () => {
    const target = await engine.registry.startUdpServer({ port: 0, behavior: 'echo' });
    const info = await engine.registry.startRelay({
      protocol: 'udp',
      targetPort: target.local.port,
      impairment: { loss: 0.000001, seed: 42 },
    });
    const relay = get<UdpRelay>(info);
    for (let i = 0; i < 4; i++) {
      const p = await udpPeer();
      udp.push(p);
      await udpRequest(p, info.local.port, `hi ${i}`);
    }
    const legs = engine.registry.all().filter((s) => s.parentId === info.id);
    assert.equal(legs.length, 4);
    const leg = legs[0]!.describe();
    assert.equal(leg.label, 'Leg to server');
    assert.deepEqual(leg.group, { key: 'udp-legs', label: 'Legs to server', noun: 'leg' });
    assert.match(leg.description, /expires after 60 s idle/);
    const row = relay.describe();
    assert.match(row.description, /· 4 legs · seed 42$/);
    assert.match(row.tooltip, /\| seed \| 42/);
    relay.sweepIdle(Date.now());
    assert.match(legs[0]!.describe().description, /idle, expires in about \d+ s/);
    assert.equal(relay.sweepIdle(Date.now() + 61_000), 4);
    await waitFor(
      () => relay.legCount === 0 && engine.registry.all().every((s) => s.parentId !== info.id),
      'legs closed',
    );
    const close = entries(legs[0]!.id, 'close')[0]!;
    assert.equal(close.error?.code, 'EIDLE');
    assert.match(close.error!.message, /no datagram either way for 60 s/);
    assert.match(relay.describe().tooltip, /4 closed after 60 s idle/);
    assert.ok((relay as Relay).legCount === 0);
  });

  it('tooltips count in singular and plural right', async () => {
    const target = await udpPeer();
    udp.push(target);
    const info = await engine.registry.openUdpClient({ port: target.address().port });
    await engine.registry.send({ socketId: info.id, data: 'x' });
    const row = engine.registry.get(info.id)!.describe();
    assert.match(row.tooltip, /\| out \| 1 byte in 1 datagram \|/);
    assert.match(row.tooltip, /\| in \| 0 bytes in 0 datagrams \|/);
  });
});
