import * as assert from 'node:assert/strict';
import type * as dgram from 'node:dgram';
import * as net from 'node:net';
import { PlaygroundError } from '../../../../src/core/errors';
import { deriveSeed, ImpairmentModel } from '../../../../src/core/sockets/impairment';
import type { Relay } from '../../../../src/core/relay/relay';
import type { UdpServer } from '../../../../src/core/sockets/udpSocket';
import type { Impairment, SocketInfo } from '../../../../src/shared/types';
import {
  closeUdp,
  makeEngine,
  portIsFree,
  rawTcpServer,
  readBytes,
  sendPaced,
  tcpConnect,
  udpPeer,
  udpRequest,
  WAIT_MS,
  waitFor,
} from '../../helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Binomial(n, p) ± 5 standard deviations. */
function binomialRange(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [n * p - 5 * sd, n * p + 5 * sd];
}

/** What the seeded model decides for the first n datagrams of one direction. */
function predicted(config: Impairment, n: number) {
  const m = new ImpairmentModel(config);
  return Array.from({ length: n }, () => m.decide());
}

/**
 * Sends `n` numbered datagrams to a relay, paced by what the relay has taken in (not by pauses), so the loopback
 * receive buffers never overflow however busy the machine is.
 */
function sendNumbered(peer: dgram.Socket, relay: () => SocketInfo, n: number): Promise<void> {
  return sendPaced(peer, relay().local.port, n, () => relay().messagesIn);
}

function endOf(sock: net.Socket, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sock.readableEnded) {
      resolve();
      return;
    }
    const t = setTimeout(() => reject(new Error('no end')), ms);
    sock.once('end', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

describe('relay (real loopback sockets)', function () {
  let engine: ReturnType<typeof makeEngine>;
  const udp: dgram.Socket[] = [];
  const tcp: net.Socket[] = [];
  const servers: net.Server[] = [];

  beforeEach(() => (engine = makeEngine({}, { maxEntries: 200_000 })));
  afterEach(async () => {
    await Promise.all(udp.splice(0).map(closeUdp));
    tcp.splice(0).forEach((s) => s.destroy());
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    await engine.registry.closeAll();
    assert.equal(engine.registry.size, 0, 'closeAll leaves nothing');
    engine.log.dispose();
  });

  async function peer(): Promise<dgram.Socket> {
    const p = await udpPeer();
    udp.push(p);
    return p;
  }

  async function connect(port: number): Promise<net.Socket> {
    const s = await tcpConnect(port);
    tcp.push(s);
    return s;
  }

  async function tcpTarget(onConn: (s: net.Socket) => void): Promise<number> {
    const { server, port } = await rawTcpServer((s) => {
      tcp.push(s);
      s.on('error', () => undefined);
      onConn(s);
    });
    servers.push(server);
    return port;
  }

  const relayOf = (info: SocketInfo) => engine.registry.get(info.id) as Relay;
  const entries = (socketId: string, event?: string) =>
    [...engine.log].filter((r) => r.socketId === socketId && (!event || r.event === event));

  describe('UDP', () => {
    it('forwards both ways and logs every datagram on both legs, with notes', async () => {
      const server = await engine.registry.startUdpServer({ port: 0 });
      const info = await engine.registry.startRelay({ protocol: 'udp', targetPort: server.local.port });
      assert.equal(info.kind, 'relay');
      assert.equal(info.state, 'bound');
      assert.ok(info.local.port > 0 && info.local.port !== server.local.port);
      assert.deepEqual(info.remote, { address: '127.0.0.1', port: server.local.port });
      const client = await peer();
      const reply = await udpRequest(client, info.local.port, 'through the relay');
      assert.equal(reply.toString(), 'THROUGH THE RELAY');

      const legs = engine.registry.list().filter((s) => s.parentId === info.id);
      assert.equal(legs.length, 1);
      const leg = legs[0]!;
      assert.equal(leg.kind, 'udp-client');
      assert.deepEqual(leg.remote, info.remote);
      // The target sees the leg's port, not the client's: the relay is a NAT.
      const atServer = entries(server.id, 'receive')[0]!;
      assert.equal(atServer.remote?.port, leg.local.port);
      assert.notEqual(leg.local.port, client.address().port);

      const relayIn = entries(info.id, 'receive')[0]!;
      assert.equal(relayIn.remote?.port, client.address().port);
      assert.equal(relayIn.payload?.toString(), 'through the relay');
      assert.equal(entries(leg.id, 'send')[0]?.payload?.toString(), 'through the relay');
      assert.equal(entries(leg.id, 'receive')[0]?.payload?.toString(), 'THROUGH THE RELAY');
      const relayOut = entries(info.id, 'send')[0]!;
      assert.equal(relayOut.remote?.port, client.address().port);
      assert.equal(relayOut.payload?.toString(), 'THROUGH THE RELAY');
      for (const r of [relayIn, relayOut, ...entries(leg.id)]) {
        assert.ok(r.notes.length > 0, `${r.event} has notes`);
      }
      const r = engine.registry.get(info.id)!;
      assert.deepEqual([r.messagesIn, r.messagesOut, r.bytesIn, r.bytesOut], [1, 1, 17, 17]);
    });

    it('gives each client address its own upstream leg, and answers reach the right client', async () => {
      const server = await engine.registry.startUdpServer({ port: 0, behavior: 'echo' });
      const info = await engine.registry.startRelay({ protocol: 'udp', targetPort: server.local.port });
      const a = await peer();
      const b = await peer();
      const [ra, rb] = await Promise.all([
        udpRequest(a, info.local.port, 'from a'),
        udpRequest(b, info.local.port, 'from b'),
      ]);
      assert.equal(ra.toString(), 'from a');
      assert.equal(rb.toString(), 'from b');
      const legs = engine.registry.list().filter((s) => s.parentId === info.id);
      assert.equal(legs.length, 2);
      assert.equal(relayOf(info).legCount, 2);
      assert.equal(new Set(legs.map((l) => l.local.port)).size, 2);
    });

    it('loss 0.3 over 1,000 datagrams: exactly the seeded drops, within the binomial range, same seed same drops', async () => {
      const config = { loss: 0.3, seed: 1234 };
      const expected = predicted(config, 1000).flatMap((d, i) => (d.drop ? [i] : []));
      const [lo, hi] = binomialRange(1000, 0.3);
      assert.ok(expected.length > lo && expected.length < hi);

      const run = async () => {
        const target = await peer();
        const got: number[] = [];
        target.on('message', (m) => got.push(Number(m.toString())));
        const info = await engine.registry.startRelay({
          protocol: 'udp',
          targetPort: target.address().port,
          impairment: config,
        });
        const client = await peer();
        await sendNumbered(client, () => engine.registry.get(info.id)!, 1000);
        await waitFor(() => engine.registry.get(info.id)!.messagesIn === 1000, '1000 at the relay');
        await waitFor(() => got.length === 1000 - expected.length, 'survivors at the target');
        const relay = relayOf(info);
        const leg = engine.registry.list().find((s) => s.parentId === info.id)!;
        const drops = entries(leg.id, 'drop').map((r) => Number(r.payload!.toString()));
        assert.equal(relay.stats.dropped, expected.length);
        assert.ok(
          drops.every((_, i) => entries(leg.id, 'drop')[i]!.notes.some((n) => n.id === 'impairment')),
        );
        await engine.registry.closeSocket({ socketId: info.id });
        return { drops, got };
      };
      const first = await run();
      const second = await run();
      assert.deepEqual(first.drops, expected, 'the dropped datagrams are the seeded ones');
      assert.deepEqual(second.drops, first.drops, 'same seed, same drops');
      assert.deepEqual(
        first.got,
        [...Array(1000).keys()].filter((i) => !expected.includes(i)),
        'the rest arrive, in order',
      );
    });

    it("a datagram lost before its leg has bound is logged after the bind, with the leg's real port", async () => {
      let seed = 1;
      while (!new ImpairmentModel({ loss: 0.5 }, seed).decide().drop) {
        seed++;
      }
      const target = await peer();
      const info = await engine.registry.startRelay({
        protocol: 'udp',
        targetPort: target.address().port,
        impairment: { loss: 0.5, seed },
      });
      const client = await peer();
      client.send('first', info.local.port, '127.0.0.1'); // the leg is created, and binds, for this one
      await waitFor(() => relayOf(info).stats.dropped === 1, 'the first datagram dropped');
      const leg = engine.registry.list().find((x) => x.parentId === info.id)!;
      await waitFor(() => entries(leg.id, 'drop').length === 1, 'the drop logged');
      const events = entries(leg.id).map((r) => r.event);
      assert.deepEqual(events.slice(0, 3), ['bind', 'connect', 'drop'], 'bound first, then the drop');
      const drop = entries(leg.id, 'drop')[0]!;
      assert.ok(drop.local.port > 0, `the drop names the leg's port: ${drop.local.port}`);
      assert.equal(drop.local.port, leg.local.port);
      assert.equal(drop.payload!.toString(), 'first');
    });

    it('each new client draws its own seeded stream: client n replays seed n derived from the relay seed', async () => {
      // The textbook clients open a fresh socket per run: with one stream for all, every run met the same fate.
      const config = { loss: 0.5, seed: 77 };
      const n = 200;
      const dropsOf = (seed: number) =>
        predicted({ ...config, seed }, n).flatMap((d, i) => (d.drop ? [i] : []));
      const expected = [dropsOf(77), dropsOf(deriveSeed(77, 1)), dropsOf(deriveSeed(77, 2))];
      assert.notDeepEqual(expected[0], expected[1]);
      const target = await peer();
      const info = await engine.registry.startRelay({
        protocol: 'udp',
        targetPort: target.address().port,
        impairment: config,
      });
      for (let c = 0; c < 3; c++) {
        const client = await peer();
        await sendNumbered(client, () => engine.registry.get(info.id)!, n);
        await waitFor(() => engine.registry.get(info.id)!.messagesIn === (c + 1) * n, `client ${c} relayed`);
      }
      const legs = engine.registry
        .list()
        .filter((s) => s.parentId === info.id)
        .sort((a, b) => Number(a.id.replace(/\D/g, '')) - Number(b.id.replace(/\D/g, '')));
      assert.equal(legs.length, 3, 'one leg per client');
      const got = legs.map((leg) => entries(leg.id, 'drop').map((r) => Number(r.payload!.toString())));
      assert.deepEqual(got, expected, 'client n lost exactly what stream n decides');
    });

    it('reorder and duplicate: the seeded counts, and the target really sees swaps and doubles', async () => {
      const config = { reorder: 0.1, duplicate: 0.05, seed: 99 };
      const p = predicted(config, 1000);
      const reorders = p.filter((d) => d.reorder).length;
      const dups = p.filter((d) => d.duplicate).length;
      for (const [n, rate] of [
        [reorders, 0.1],
        [dups, 0.05],
      ] as const) {
        const [lo, hi] = binomialRange(1000, rate);
        assert.ok(n > lo && n < hi);
      }
      const target = await peer();
      const got: number[] = [];
      target.on('message', (m) => got.push(Number(m.toString())));
      const info = await engine.registry.startRelay({
        protocol: 'udp',
        targetPort: target.address().port,
        impairment: config,
      });
      const client = await peer();
      await sendNumbered(client, () => engine.registry.get(info.id)!, 1000);
      await waitFor(() => got.length === 1000 + dups, 'all datagrams and their copies');
      const relay = relayOf(info);
      assert.equal(relay.stats.reordered, reorders);
      assert.equal(relay.stats.duplicated, dups);
      const leg = engine.registry.list().find((s) => s.parentId === info.id)!;
      assert.equal(entries(leg.id, 'reorder').length, reorders);
      assert.equal(entries(leg.id, 'duplicate').length, dups);
      assert.deepEqual(
        [...new Set(got)].sort((a, b) => a - b),
        [...Array(1000).keys()],
      );
      let inversions = 0;
      for (let i = 1; i < got.length; i++) {
        if (got[i]! < got[i - 1]!) {
          inversions++;
        }
      }
      assert.ok(inversions > 0 && inversions <= reorders, `inversions ${inversions}`);
    });

    it('delay applies each way: a round trip takes at least twice the delay', async () => {
      const server = await engine.registry.startUdpServer({ port: 0 });
      const info = await engine.registry.startRelay({
        protocol: 'udp',
        targetPort: server.local.port,
        impairment: { delayMs: 60 },
      });
      const client = await peer();
      const t0 = performance.now();
      assert.equal((await udpRequest(client, info.local.port, 'slow')).toString(), 'SLOW');
      const rtt = performance.now() - t0;
      assert.ok(rtt >= 115, `rtt ${rtt}`);
      assert.equal(entries(info.id, 'delay').length, 1, 'the reply was delayed at the relay');
      const leg = engine.registry.list().find((s) => s.parentId === info.id)!;
      assert.equal(entries(leg.id, 'delay').length, 1, 'the request was delayed on the leg');
    });

    it('an idle mapping is closed like a NAT entry; the next datagram opens a new leg', async () => {
      const server = await engine.registry.startUdpServer({ port: 0, behavior: 'echo' });
      const info = await engine.registry.startRelay({ protocol: 'udp', targetPort: server.local.port });
      const client = await peer();
      await udpRequest(client, info.local.port, 'one');
      const relay = relayOf(info) as Relay & { sweepIdle(now?: number): number };
      const first = engine.registry.list().find((s) => s.parentId === info.id)!;
      assert.equal(relay.sweepIdle(Date.now()), 0, 'fresh mapping stays');
      assert.equal(relay.sweepIdle(Date.now() + 61_000), 1);
      await waitFor(() => !engine.registry.get(first.id), 'leg gone');
      assert.ok(await portIsFree(first.local.port, 'udp'), 'its port is released');
      assert.equal((await udpRequest(client, info.local.port, 'two')).toString(), 'two');
      const second = engine.registry.list().find((s) => s.parentId === info.id)!;
      assert.notEqual(second.id, first.id);
    });

    (process.platform === 'linux' ? it : it.skip)(
      'nothing at the target: the leg reports "connection refused" (ICMP port unreachable)',
      async () => {
        const gone = await udpPeer();
        const port = gone.address().port;
        await closeUdp(gone);
        const info = await engine.registry.startRelay({ protocol: 'udp', targetPort: port });
        const client = await peer();
        const legErrors = () =>
          engine.registry
            .list()
            .filter((s) => s.parentId === info.id)
            .flatMap((l) => entries(l.id, 'error'));
        // The refusal comes back to the leg's socket, which exists only after the first datagram: send again
        // until one is reported (the event awaited), within a generous bound.
        for (const deadline = Date.now() + WAIT_MS; legErrors().length === 0 && Date.now() < deadline;) {
          client.send('anyone there?', info.local.port, '127.0.0.1');
          await sleep(30);
        }
        const e = legErrors()[0];
        assert.equal(e?.error?.code, 'ECONNREFUSED');
        assert.ok(e!.notes.some((n) => n.id === 'connection-refused'));
        assert.equal(engine.registry.get(info.id)!.state, 'bound', 'the relay carries on');
      },
    );

    it('close closes every leg, frees the ports and drops what was still delayed', async () => {
      const target = await peer();
      let arrived = 0;
      target.on('message', () => arrived++);
      const info = await engine.registry.startRelay({
        protocol: 'udp',
        targetPort: target.address().port,
        impairment: { delayMs: 150 },
      });
      const client = await peer();
      client.send('late', info.local.port, '127.0.0.1');
      await waitFor(() => engine.registry.list().some((s) => s.parentId === info.id), 'leg');
      const leg = engine.registry.list().find((s) => s.parentId === info.id)!;
      await waitFor(() => entries(leg.id, 'delay').length === 1, 'delayed');
      await engine.registry.closeSocket({ socketId: info.id });
      assert.equal(engine.registry.size, 0);
      assert.ok(await portIsFree(info.local.port, 'udp'));
      assert.ok(await portIsFree(leg.local.port, 'udp'));
      // A barrier instead of a pause: a second relay with the same delay sends a marker. Timers of one duration
      // fire in the order they were set, so once the marker arrives the closed relay's timer, had it survived,
      // would have fired already.
      const again = await engine.registry.startRelay({
        protocol: 'udp',
        targetPort: target.address().port,
        impairment: { delayMs: 150 },
      });
      client.send('marker', again.local.port, '127.0.0.1');
      await waitFor(() => arrived > 0, 'the marker through the second relay');
      assert.equal(arrived, 1, 'nothing delivered after close: only the marker arrived');
      assert.equal(entries(info.id, 'close').length, 1);
      assert.equal(entries(leg.id, 'close').length, 1);
    });
  });

  describe('TCP', () => {
    it('pipes both ways; each client connection and its upstream connection are legs of the relay', async () => {
      const server = await engine.registry.startTcpServer({ port: 0 });
      const info = await engine.registry.startRelay({ protocol: 'tcp', targetPort: server.local.port });
      assert.equal(info.state, 'listening');
      const c = await connect(info.local.port);
      c.write('hello relay');
      assert.equal((await readBytes(c, 11)).toString(), 'HELLO RELAY');
      const legs = engine.registry.list().filter((s) => s.parentId === info.id);
      assert.deepEqual(legs.map((l) => l.kind).sort(), ['tcp-client', 'tcp-connection']);
      const clientLeg = legs.find((l) => l.kind === 'tcp-connection')!;
      const upLeg = legs.find((l) => l.kind === 'tcp-client')!;
      assert.equal(clientLeg.local.port, info.local.port);
      assert.equal(clientLeg.remote?.port, c.localPort);
      assert.equal(upLeg.remote?.port, server.local.port);
      assert.deepEqual(
        entries(clientLeg.id).map((r) => r.event),
        ['accept', 'receive', 'send'],
      );
      assert.deepEqual(
        entries(upLeg.id).map((r) => r.event),
        ['connect', 'send', 'receive'],
      );
      assert.equal(entries(upLeg.id, 'send')[0]!.payload?.toString(), 'hello relay');
      assert.equal(entries(clientLeg.id, 'send')[0]!.payload?.toString(), 'HELLO RELAY');
      assert.equal(engine.registry.get(clientLeg.id)!.bytesIn, 11);
      assert.equal(engine.registry.get(upLeg.id)!.bytesOut, 11);
    });

    for (const [name, impairment] of [
      ['delay and jitter', { delayMs: 15, jitterMs: 12, seed: 3 }],
      ['loss, reordering and duplicates', { loss: 0.2, reorder: 0.2, duplicate: 0.2, delayMs: 2, seed: 8 }],
    ] as const) {
      it(`${name}: the stream still arrives intact and in order, both ways`, async () => {
        let echoed = 0;
        const port = await tcpTarget((s) =>
          s.on('data', (d) => {
            echoed += d.length;
            s.write(d);
          }),
        );
        const info = await engine.registry.startRelay({ protocol: 'tcp', targetPort: port, impairment });
        const c = await connect(info.local.port);
        const data = Buffer.alloc(256 * 1024);
        for (let i = 0; i < data.length; i++) {
          data[i] = (i * 7 + (i >> 8)) & 0xff;
        }
        // Many small writes, so there are many chunks to delay: every 64 KiB, wait until the relay has read
        // what was written so far (an event, where a pause would depend on the machine's speed).
        const relayedIn = () =>
          engine.registry
            .list()
            .filter((l) => l.parentId === info.id && l.kind === 'tcp-connection')
            .reduce((sum, l) => sum + l.bytesIn, 0);
        for (let off = 0; off < data.length; off += 4096) {
          c.write(data.subarray(off, off + 4096));
          if (off % (64 * 1024) === 0) {
            await waitFor(() => relayedIn() >= off + 4096, `the relay to read ${off + 4096} bytes`);
          }
        }
        const back = await readBytes(c, data.length);
        assert.equal(echoed, data.length);
        assert.ok(back.equals(data), 'same bytes, same order');
        const relay = relayOf(info);
        assert.ok(relay.stats.delayed > 0, 'chunks were held back');
        const legs = engine.registry.list().filter((s) => s.parentId === info.id);
        const delays = legs.flatMap((l) => entries(l.id, 'delay'));
        assert.ok(delays.length > 0);
        assert.ok(delays.every((r) => r.notes.some((n) => n.id === 'tcp-under-loss')));
      });
    }

    it('half-close: the client FIN reaches the server, whose answer still comes back, then its FIN', async () => {
      const port = await tcpTarget((s) => {
        let got = '';
        s.on('data', (d) => (got += d.toString()));
        s.on('end', () => s.end(`you said ${got.length} bytes`));
      });
      const info = await engine.registry.startRelay({
        protocol: 'tcp',
        targetPort: port,
        impairment: { delayMs: 20 },
      });
      const c = await connect(info.local.port);
      let answer = '';
      c.on('data', (d) => (answer += d.toString()));
      const ended = endOf(c);
      c.end('twelve bytes');
      await ended;
      assert.equal(answer, 'you said 12 bytes');
      await waitFor(
        () => engine.registry.list().filter((s) => s.parentId === info.id).length === 0,
        'legs closed',
      );
      const closes = [...engine.log].filter((r) => r.event === 'close' && r.socketId !== info.id);
      assert.equal(closes.length, 2);
      assert.ok(closes.every((r) => r.closedBy === 'peer-fin' || r.closedBy === 'local'));
    });

    it('a reset from the server reaches the client as a reset', async () => {
      const port = await tcpTarget((s) => s.on('data', () => s.resetAndDestroy()));
      const info = await engine.registry.startRelay({ protocol: 'tcp', targetPort: port });
      const c = await connect(info.local.port);
      const err = new Promise<NodeJS.ErrnoException>((resolve) => c.once('error', resolve));
      c.write('provoke');
      assert.equal((await err).code, 'ECONNRESET');
      await waitFor(() => entries(info.id).length > 0 && engine.registry.list().length === 1, 'legs gone');
      const closes = [...engine.log].filter((r) => r.event === 'close' && r.socketId !== info.id);
      assert.deepEqual(
        closes.map((r) => r.closedBy),
        ['reset', 'reset'],
      );
    });

    it('nothing at the target: the client is reset and the relay logs "connection refused" with its note', async () => {
      const free = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const info = await engine.registry.startRelay({ protocol: 'tcp', targetPort: free });
      const c = await connect(info.local.port);
      const closed = new Promise<boolean>((resolve) => c.once('close', resolve));
      c.on('error', () => undefined);
      await closed;
      const e = entries(info.id, 'error')[0]!;
      assert.equal(e.error?.code, 'ECONNREFUSED');
      assert.match(e.error!.message, /connection refused/);
      assert.ok(e.notes.some((n) => n.id === 'connection-refused'));
      await waitFor(() => engine.registry.list().length === 1, 'client leg gone');
    });

    it('backpressure: a server that does not read makes the relay stop reading, not buffer everything', async () => {
      let serverSock: net.Socket | undefined;
      let received = 0;
      const port = await tcpTarget((s) => {
        serverSock = s;
        s.pause();
        s.on('data', (d) => (received += d.length));
      });
      const info = await engine.registry.startRelay({ protocol: 'tcp', targetPort: port });
      const c = await connect(info.local.port);
      const total = 48 * 1024 * 1024;
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      let written = 0;
      let full = false;
      while (written < total && !full) {
        written += chunk.length;
        full = !c.write(chunk);
      }
      await sleep(400);
      const upLeg = engine.registry.list().find((s) => s.parentId === info.id && s.kind === 'tcp-client')!;
      const buffered = upLeg.bytesOut - received;
      assert.ok(written < total, 'the client is held back');
      assert.ok(upLeg.bytesOut < total, `relay forwarded ${upLeg.bytesOut} of ${total}`);
      assert.ok(buffered < 24 * 1024 * 1024, `relay buffers ${buffered} bytes`);
      // Now let everything through.
      const rest = async () => {
        while (written < total) {
          written += chunk.length;
          if (!c.write(chunk)) {
            await new Promise((r) => c.once('drain', r));
          }
        }
      };
      serverSock!.resume();
      await rest();
      await waitFor(() => received >= total, 'all bytes at the server');
      assert.equal(received, total);
    });

    it('closing one leg closes its pair; closing the relay closes everything and frees the port', async () => {
      const server = await engine.registry.startTcpServer({ port: 0, behavior: 'echo' });
      const info = await engine.registry.startRelay({
        protocol: 'tcp',
        targetPort: server.local.port,
        impairment: { delayMs: 200 },
      });
      const a = await connect(info.local.port);
      const b = await connect(info.local.port);
      await waitFor(() => relayOf(info).legCount === 4, 'two pairs');
      const aLeg = engine.registry
        .list()
        .find(
          (s) => s.kind === 'tcp-connection' && s.remote?.port === a.localPort && s.parentId === info.id,
        )!;
      const aEnded = endOf(a);
      await engine.registry.closeSocket({ socketId: aLeg.id });
      await aEnded;
      await waitFor(() => relayOf(info).legCount === 2, 'one pair left');
      b.write('in flight when the relay closes');
      await waitFor(() => relayOf(info).stats.delayed > 0, 'held back');
      const bClosed = new Promise((r) => b.once('close', r));
      b.on('error', () => undefined);
      await engine.registry.closeSocket({ socketId: info.id });
      await bClosed;
      assert.ok(await portIsFree(info.local.port, 'tcp'));
      assert.equal(engine.registry.list().filter((s) => s.parentId === info.id).length, 0);
      assert.equal(engine.registry.get(server.id)!.bytesIn, 0, 'the delayed bytes never left');
    });
  });

  it('leaves no socket handle or timer behind once closed', async () => {
    const count = () => {
      const c: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) {
        c[r] = (c[r] ?? 0) + 1;
      }
      return c;
    };
    // Mocha arms its own test timer once the test is under way: take the baseline after that.
    await new Promise((r) => setImmediate(r));
    const before = count();
    const target = await udpPeer();
    const echo = await engine.registry.startTcpServer({ port: 0, behavior: 'echo' });
    const u = await engine.registry.startRelay({
      protocol: 'udp',
      targetPort: target.address().port,
      impairment: { delayMs: 300, reorder: 0.5, seed: 1 },
    });
    const t = await engine.registry.startRelay({
      protocol: 'tcp',
      targetPort: echo.local.port,
      impairment: { delayMs: 300, seed: 1 },
    });
    const client = await udpPeer();
    for (let i = 0; i < 20; i++) {
      client.send(`d${i}`, u.local.port, '127.0.0.1');
    }
    const c = await tcpConnect(t.local.port);
    c.on('error', () => undefined);
    c.write('held back');
    await waitFor(() => relayOf(u).stats.delayed > 0 && relayOf(t).stats.delayed > 0, 'delays pending');
    const during = count();
    assert.ok((during['Timeout'] ?? 0) > (before['Timeout'] ?? 0), 'delay timers were running');
    await engine.registry.closeAll();
    c.destroy();
    await closeUdp(client);
    await closeUdp(target);
    // A closed handle leaves the list a turn or two after its close event (no JS event marks that moment): wait
    // for the count to come down, and fail naming what is left.
    const kinds = ['UDPWrap', 'TCPSocketWrap', 'TCPServerWrap', 'Timeout'];
    const settled = () => {
      const after = count();
      return kinds.every((k) => (after[k] ?? 0) <= (before[k] ?? 0));
    };
    await waitFor(settled, 'the handles and timers to close').catch(() => undefined);
    const after = count();
    for (const k of kinds) {
      assert.ok((after[k] ?? 0) <= (before[k] ?? 0), `${k}: ${after[k]} left, ${before[k]} before`);
    }
  });

  describe('startRelay argument checks', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ targetPort: 12000 }, /needs protocol/],
      [{ protocol: 'udp' }, /needs protocol .* and targetPort/],
      [{ protocol: 'sctp', targetPort: 12000 }, /protocol must be one of "udp", "tcp"/],
      [{ protocol: 'udp', targetPort: 0 }, /targetPort 0 is not a destination/],
      [{ protocol: 'udp', targetPort: 70000 }, /targetPort must be an integer from 0 to 65535/],
      [{ protocol: 'udp', targetPort: 12000, listenPort: -1 }, /listenPort must be an integer/],
      [{ protocol: 'udp', targetPort: 12000, listenPort: 1.5 }, /listenPort must be an integer/],
      [{ protocol: 'udp', targetPort: 12000, prot: 1 }, /no argument "prot"\. Allowed: protocol, listenPort/],
      [
        { protocol: 'udp', targetPort: 12000, targetHost: 'no such host!' },
        /targetHost .* is not a valid host/,
      ],
      [{ protocol: 'udp', targetPort: 12000, impairment: { loss: 2 } }, /probability from 0 to 1/],
      [{ protocol: 'udp', targetPort: 12000, impairment: { lost: 0.1 } }, /no argument "lost"/],
      [{ protocol: 'tcp', targetPort: 12000, host: '0.0.0.0' }, /socketPlayground\.allowRemoteBind/],
      [{ protocol: 'tcp', targetPort: 12000, listenPort: 12000 }, /would forward to itself/],
      ['udp', /takes one argument object/],
    ];
    for (const [arg, message] of bad) {
      it(`refuses ${JSON.stringify(arg)}`, async () => {
        await assert.rejects(
          engine.registry.startRelay(arg),
          (e: unknown) => e instanceof PlaygroundError && message.test(e.message),
        );
        assert.equal(engine.registry.size, 0, 'nothing else changed');
      });
    }

    it('listen port in use: the usual explanation, and nothing registered', async () => {
      const taken = await engine.registry.startUdpServer({ port: 0 });
      await assert.rejects(
        engine.registry.startRelay({ protocol: 'udp', listenPort: taken.local.port, targetPort: 9 }),
        (e: unknown) => e instanceof PlaygroundError && e.code === 'EADDRINUSE',
      );
      assert.equal(engine.registry.size, 1);
    });

    it('relays IPv6 loopback to IPv4 and shows the impairment and its seed in the label', async () => {
      const server = await engine.registry.startUdpServer({ port: 0 });
      const info = await engine.registry.startRelay({
        protocol: 'udp',
        host: '::1',
        targetHost: '127.0.0.1',
        targetPort: server.local.port,
        impairment: { jitterMs: 3, seed: 5 },
      });
      assert.equal(info.local.address, '::1');
      assert.match(info.label, /^UDP relay \[::1\]:\d+ → 127\.0\.0\.1:\d+ \(delay 0 ± 3 ms, seed 5\)$/);
      const c = await udpPeer('udp6');
      udp.push(c);
      assert.equal((await udpRequest(c, info.local.port, 'six to four', '::1')).toString(), 'SIX TO FOUR');
      const leg = engine.registry.list().find((s) => s.parentId === info.id)!;
      assert.equal(leg.local.address, '127.0.0.1', 'the upstream leg speaks IPv4');
      const lossy = await engine.registry.startRelay({
        protocol: 'tcp',
        targetPort: server.local.port,
        impairment: { loss: 0.2, seed: 5 },
      });
      assert.match(lossy.label, /^TCP relay 127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+ \(loss 20 %, seed 5\)$/);
    });
  });

  describe('the UDP server with impairment beyond loss', () => {
    it('duplicate 1: every request is answered twice', async () => {
      const info = await engine.registry.startUdpServer({ port: 0, impairment: { duplicate: 1 } });
      const client = await peer();
      const replies: string[] = [];
      client.on('message', (m) => replies.push(m.toString()));
      client.send('twice', info.local.port, '127.0.0.1');
      await waitFor(() => replies.length === 2, 'two replies');
      assert.deepEqual(replies, ['TWICE', 'TWICE']);
      assert.equal(entries(info.id, 'duplicate').length, 1);
      assert.equal(engine.registry.get(info.id)!.messagesOut, 2);
    });

    it('delay: the answer waits; close clears the pending timer and sends nothing', async () => {
      const info = await engine.registry.startUdpServer({ port: 0, impairment: { delayMs: 80, seed: 1 } });
      const client = await peer();
      const t0 = performance.now();
      assert.equal((await udpRequest(client, info.local.port, 'wait')).toString(), 'WAIT');
      assert.ok(performance.now() - t0 >= 75);
      client.send('never answered', info.local.port, '127.0.0.1');
      await waitFor(() => entries(info.id, 'delay').length === 2, 'second delayed');
      const server = engine.registry.get(info.id) as UdpServer;
      assert.equal(server.impairment?.pending, 1);
      await engine.registry.closeSocket({ socketId: info.id });
      assert.equal(server.impairment?.pending, 0);
      assert.equal(server.messagesOut, 1);
      assert.match(server.label, /delay 80 ms, seed 1/);
    });
  });
});
