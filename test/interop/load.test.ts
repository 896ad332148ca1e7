/**
 * Load and faults, bounded in count and time, loopback only. `npm test` runs the short form; `npm run stress`
 * sets SP_STRESS=1 for the full one (docs/contract.md, Bad input): 1,000 concurrent TCP clients each verified, a
 * 200,000-datagram flood counted exactly, and peers that misbehave.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TcpServer } from '../../src/core/sockets/tcpServer';
import { makeEngine, portIsFree, readBytes, tcpConnect, waitFor } from '../unit/helpers';

const FULL = process.env.SP_STRESS === '1';
const CLIENTS = FULL ? 1000 : 300;
const DATAGRAMS = FULL ? 200_000 : 20_000;

function udpKernelDrops(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const keys = lines[0]!.split(/\s+/);
  return Number(lines[1]!.split(/\s+/)[keys.indexOf('RcvbufErrors')]);
}

function flood(port: number, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [path.resolve(__dirname, '../bench/loadClient.js'), 'flood', String(port), '0', String(n)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', () => {
      try {
        resolve((JSON.parse(out) as { ops: number }).ops);
      } catch {
        reject(new Error(`flood client: ${out}`));
      }
    });
  });
}

describe(`load and faults (${FULL ? 'full' : 'short'} form)`, function () {
  this.timeout(FULL ? 300_000 : 60_000);
  let engine: ReturnType<typeof makeEngine>;
  const unhandled: unknown[] = [];
  const onUnhandled = (r: unknown) => unhandled.push(r);
  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));
  beforeEach(() => (engine = makeEngine({}, { maxEntries: 100_000 })));
  afterEach(async () => {
    await engine.registry.closeAll();
    engine.log.dispose();
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  });

  it(`${CLIENTS} concurrent TCP clients against the uppercase server, each answered correctly`, async () => {
    const s = await engine.registry.startTcpServer({ port: 0, framing: 'line' });
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const c = await tcpConnect(s.local.port);
        const msg = `client number ${i} says hello\n`;
        c.write(msg);
        const reply = await readBytes(c, msg.length);
        c.end();
        return reply.toString() === msg.toUpperCase();
      }),
    );
    h.disable();
    assert.equal(results.filter(Boolean).length, CLIENTS, 'every client got its own line back, uppercased');
    const server = engine.registry.get(s.id) as TcpServer;
    assert.equal(server.acceptedCount, CLIENTS);
    await waitFor(() => server.connections.size === 0, 'all connections closed');
    const accepts = [...engine.log].filter((r) => r.event === 'accept').length;
    assert.equal(accepts, CLIENTS);
    const bytesIn = [...engine.log].filter((r) => r.event === 'receive').reduce((a, r) => a + r.bytes, 0);
    const expected = Array.from(
      { length: CLIENTS },
      (_, i) => `client number ${i} says hello\n`.length,
    ).reduce((a, b) => a + b, 0);
    assert.equal(bytesIn, expected, 'bytes counted exactly');
    console.log(
      `      event-loop delay p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms with ${CLIENTS} clients`,
    );
  });

  it(`a ${DATAGRAMS}-datagram flood is counted exactly (received + dropped by the kernel = sent)`, async () => {
    const s = await engine.registry.startUdpServer({ port: 0, behavior: 'sink' });
    const before = udpKernelDrops();
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const sent = await flood(s.local.port, DATAGRAMS);
    let last = -1;
    await waitFor(
      () => {
        const n = engine.registry.get(s.id)!.messagesIn;
        const stable = n === last;
        last = n;
        return stable;
      },
      30_000,
      'flood drained',
    );
    h.disable();
    const dropped = udpKernelDrops() - before;
    const info = engine.registry.get(s.id)!;
    assert.equal(sent, DATAGRAMS);
    // Other UDP traffic on this machine could add to the kernel's counter, never subtract: allow that one way.
    assert.ok(
      info.messagesIn + dropped >= sent && info.messagesIn <= sent,
      `received ${info.messagesIn} + dropped ${dropped} vs sent ${sent}`,
    );
    assert.equal(info.bytesIn, info.messagesIn * 44, 'bytes exact');
    assert.equal(engine.log.lastSeq, 1 + info.messagesIn, 'one log entry per datagram (and the bind)');
    const p99 = h.percentile(99) / 1e6;
    console.log(
      `      ${info.messagesIn} received, ${dropped} dropped by the kernel; event-loop delay p99 ${p99.toFixed(1)} ms`,
    );
    assert.ok(p99 < 200, `the event loop kept turning (p99 ${p99} ms)`);
  });

  it('closeAll during a flood: no throw, every port free at once', async () => {
    const s = await engine.registry.startUdpServer({ port: 0 });
    const t = await engine.registry.startTcpServer({ port: 0 });
    const flooding = flood(s.local.port, DATAGRAMS);
    const clients = await Promise.all(Array.from({ length: 20 }, () => tcpConnect(t.local.port)));
    clients.forEach((c) => c.on('error', () => undefined));
    await new Promise((r) => setTimeout(r, 50));
    await engine.registry.closeAll();
    assert.equal(engine.registry.size, 0);
    assert.ok(await portIsFree(t.local.port, 'tcp'), 'TCP port re-bindable at once');
    assert.ok(await portIsFree(s.local.port, 'udp'), 'UDP port re-bindable at once');
    await flooding;
    clients.forEach((c) => c.destroy());
  });

  it('a peer that sends one byte at a time, one that stalls, one that resets mid-stream, one that vanishes', async () => {
    const s = await engine.registry.startTcpServer({ port: 0, framing: 'line' });
    // one byte at a time, each its own segment (Nagle off, a tick between writes)
    const slow = await tcpConnect(s.local.port);
    slow.setNoDelay(true);
    const line = 'drip drip drip\n';
    const got = readBytes(slow, line.length);
    for (const ch of line) {
      slow.write(ch);
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.equal((await got).toString(), line.toUpperCase(), 'framing reassembled the line');
    // a staller: connects, sends nothing
    const stall = await tcpConnect(s.local.port);
    // a resetter: sends half a line then RST
    const reset = await tcpConnect(s.local.port);
    reset.write('half a li');
    await new Promise((r) => setTimeout(r, 20));
    reset.resetAndDestroy();
    // a vanisher: writes a lot and destroys without reading the replies
    const gone = await tcpConnect(s.local.port);
    gone.on('error', () => undefined);
    gone.write(Buffer.alloc(256 * 1024, 0x61));
    gone.write('\n');
    gone.destroy();
    await waitFor(
      () => [...engine.log].some((r) => r.event === 'close' && r.closedBy === 'reset'),
      'reset logged',
    );
    const server = engine.registry.get(s.id) as TcpServer;
    assert.equal(server.state, 'listening', 'the server is unaffected');
    // the staller and the slow client are still connected; closing the server ends them and frees the port
    const stallClosed = new Promise<void>((r) => stall.once('close', () => r()));
    stall.on('error', () => undefined);
    slow.on('error', () => undefined);
    await engine.registry.closeSocket({ socketId: s.id });
    await stallClosed;
    assert.ok(await portIsFree(s.local.port, 'tcp'));
    slow.destroy();
  });

  it('a client whose server vanishes mid-stream sees the reset, and a send afterwards is refused', async () => {
    const srv = net.createServer((c) => {
      c.on('data', () => c.resetAndDestroy());
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const c = await engine.registry.connectTcpClient({ port });
      await engine.registry.send({ socketId: c.id, data: 'x'.repeat(10_000) });
      await waitFor(() => engine.registry.get(c.id)!.state === 'error', 'reset');
      await assert.rejects(engine.registry.send({ socketId: c.id, data: 'more' }), /nothing was sent/);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});
