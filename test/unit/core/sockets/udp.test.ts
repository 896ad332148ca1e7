import * as assert from 'node:assert/strict';
import { PlaygroundError } from '../../../../src/core/errors';
import { closeUdp, makeEngine, portIsFree, sendPaced, udpPeer, udpRequest, waitFor } from '../../helpers';

describe('UDP (real loopback sockets)', () => {
  let engine: ReturnType<typeof makeEngine>;
  beforeEach(() => (engine = makeEngine()));
  afterEach(async () => {
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  it('the uppercase server answers each datagram to its sender, with exact counters and notes', async () => {
    const info = await engine.registry.startUdpServer({ port: 0 });
    assert.equal(info.kind, 'udp-server');
    assert.equal(info.state, 'bound');
    assert.equal(info.behavior, 'uppercase');
    assert.equal(info.local.address, '127.0.0.1');
    assert.ok(info.local.port > 0);
    const peer = await udpPeer();
    try {
      const reply = await udpRequest(peer, info.local.port, 'hello, world');
      assert.equal(reply.toString(), 'HELLO, WORLD');
      const s = engine.registry.list()[0]!;
      assert.deepEqual([s.bytesIn, s.bytesOut, s.messagesIn, s.messagesOut], [12, 12, 1, 1]);
      const events = [...engine.log].map((r) => r.event);
      assert.deepEqual(events, ['bind', 'receive', 'send']);
      const recv = [...engine.log][1]!;
      assert.equal(recv.remote?.port, peer.address().port, 'receiver learns the sender');
      assert.equal(recv.payload?.toString(), 'hello, world');
      assert.ok(recv.notes.length > 0);
    } finally {
      await closeUdp(peer);
    }
  });

  for (const [behavior, extra, input, expected] of [
    ['echo', {}, 'MiXed', 'MiXed'],
    ['fixed', { reply: 'OK\n' }, 'anything', 'OK\n'],
  ] as const) {
    it(`behavior ${behavior}`, async () => {
      const info = await engine.registry.startUdpServer({ port: 0, behavior, ...extra });
      const peer = await udpPeer();
      try {
        assert.equal((await udpRequest(peer, info.local.port, input)).toString(), expected);
      } finally {
        await closeUdp(peer);
      }
    });
  }

  it('behavior sink never answers but counts', async () => {
    const info = await engine.registry.startUdpServer({ port: 0, behavior: 'sink' });
    const peer = await udpPeer();
    try {
      await assert.rejects(udpRequest(peer, info.local.port, 'x', '127.0.0.1', 150), /no UDP reply/);
      assert.equal(engine.registry.list()[0]!.messagesIn, 1);
      assert.equal(engine.registry.list()[0]!.messagesOut, 0);
    } finally {
      await closeUdp(peer);
    }
  });

  it('serves IPv6 loopback', async () => {
    const info = await engine.registry.startUdpServer({ port: 0, host: '::1' });
    assert.equal(info.local.address, '::1');
    const peer = await udpPeer('udp6');
    try {
      assert.equal((await udpRequest(peer, info.local.port, 'v6', '::1')).toString(), 'V6');
    } finally {
      await closeUdp(peer);
    }
  });

  it('the UDP client sends to its default destination and to another with "to"', async () => {
    const server = await engine.registry.startUdpServer({ port: 0 });
    const other = await engine.registry.startUdpServer({ port: 0, behavior: 'echo' });
    const client = await engine.registry.openUdpClient({ port: server.local.port });
    assert.equal(client.state, 'bound');
    assert.ok(client.local.port > 0, 'the OS picked a client port');
    assert.deepEqual(client.remote, { address: '127.0.0.1', port: server.local.port });
    assert.deepEqual(await engine.registry.send({ socketId: client.id, data: 'abc' }), { bytes: 3 });
    assert.deepEqual(
      await engine.registry.send({
        socketId: client.id,
        data: '68 69',
        encoding: 'hex',
        to: { address: '127.0.0.1', port: other.local.port },
      }),
      { bytes: 2 },
    );
    await waitFor(() => engine.registry.get(client.id)!.messagesIn === 2, 'two replies');
    const replies = [...engine.log]
      .filter((r) => r.socketId === client.id && r.event === 'receive')
      .map((r) => [r.payload!.toString(), r.remote!.port]);
    assert.deepEqual(
      replies.sort(),
      [
        ['ABC', server.local.port],
        ['hi', other.local.port],
      ].sort(),
    );
  });

  it('refuses a datagram over 65,507 bytes, sending nothing', async () => {
    const server = await engine.registry.startUdpServer({ port: 0, behavior: 'sink' });
    const client = await engine.registry.openUdpClient({ port: server.local.port });
    await assert.rejects(
      engine.registry.send({ socketId: client.id, data: 'x'.repeat(65_508) }),
      (e: unknown) => e instanceof PlaygroundError && e.code === 'EMSGSIZE' && /65,507/.test(e.message),
    );
    assert.deepEqual(await engine.registry.send({ socketId: client.id, data: 'x'.repeat(65_507) }), {
      bytes: 65_507,
    });
    await waitFor(() => engine.registry.get(server.id)!.bytesIn === 65_507, 'max datagram');
    assert.equal(engine.registry.get(client.id)!.messagesOut, 1, 'only the legal one counted');
  });

  it('port in use: a clear error, logged with a note, and nothing registered', async () => {
    const first = await engine.registry.startUdpServer({ port: 0 });
    await assert.rejects(
      engine.registry.startUdpServer({ port: first.local.port }),
      (e: unknown) =>
        e instanceof PlaygroundError &&
        e.code === 'EADDRINUSE' &&
        e.message.includes(`port ${first.local.port} is already in use`),
    );
    assert.equal(engine.registry.size, 1);
    const err = [...engine.log].find((r) => r.event === 'error');
    assert.equal(err?.error?.code, 'EADDRINUSE');
    assert.ok(err!.notes.length > 0);
  });

  it('close frees the port at once and is idempotent', async () => {
    const info = await engine.registry.startUdpServer({ port: 0 });
    await engine.registry.closeSocket({ socketId: info.id });
    assert.ok(await portIsFree(info.local.port, 'udp'));
    assert.equal(engine.registry.size, 0);
    await assert.rejects(engine.registry.closeSocket({ socketId: info.id }), /no socket with id/);
    const closeEntries = [...engine.log].filter((r) => r.event === 'close');
    assert.equal(closeEntries.length, 1);
    assert.equal(closeEntries[0]!.closedBy, 'local');
  });

  it('loss drops exactly what the seeded generator says (pinger lab), counting every arrival', async () => {
    const run = async (seed: number) => {
      const info = await engine.registry.startUdpServer({ port: 0, impairment: { loss: 0.3, seed } });
      const peer = await udpPeer();
      let replies = 0;
      peer.on('message', () => replies++);
      // Paced by what the server has taken in, so no datagram is lost to a full receive buffer on a busy machine.
      await sendPaced(
        peer,
        info.local.port,
        200,
        () => engine.registry.get(info.id)!.messagesIn,
        (i) => `ping ${i}`,
      );
      await waitFor(() => engine.registry.get(info.id)!.messagesIn === 200, '200 pings');
      const drops = [...engine.log].filter((r) => r.socketId === info.id && r.event === 'drop').length;
      await waitFor(() => replies === 200 - drops, 'replies');
      await closeUdp(peer);
      await engine.registry.closeSocket({ socketId: info.id });
      return drops;
    };
    const a = await run(42);
    const b = await run(42);
    assert.equal(a, b, 'same seed, same drops');
    // Binomial(200, 0.3): mean 60, sd 6.5; 4.5 sd either side.
    assert.ok(a > 30 && a < 90, `drops ${a}`);
  });
});
