import * as assert from 'node:assert/strict';
import type * as net from 'node:net';
import { PlaygroundError } from '../../../../src/core/errors';
import type { TcpServer } from '../../../../src/core/sockets/tcpServer';
import { makeEngine, portIsFree, rawTcpServer, readBytes, tcpConnect, waitFor } from '../../helpers';

describe('TCP (real loopback sockets)', () => {
  let engine: ReturnType<typeof makeEngine>;
  const raw: net.Socket[] = [];
  beforeEach(() => (engine = makeEngine()));
  afterEach(async () => {
    raw.splice(0).forEach((s) => s.destroy());
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  async function connect(port: number): Promise<net.Socket> {
    const s = await tcpConnect(port);
    raw.push(s);
    return s;
  }

  it("the uppercase server accepts a connection socket per client, on the server's own port", async () => {
    const info = await engine.registry.startTcpServer({ port: 0 });
    assert.equal(info.kind, 'tcp-server');
    assert.equal(info.state, 'listening');
    const a = await connect(info.local.port);
    const b = await connect(info.local.port);
    a.write('from a');
    b.write('from b');
    assert.equal((await readBytes(a, 6)).toString(), 'FROM A');
    assert.equal((await readBytes(b, 6)).toString(), 'FROM B');
    const conns = engine.registry.list().filter((s) => s.kind === 'tcp-connection');
    assert.equal(conns.length, 2);
    for (const c of conns) {
      assert.equal(c.parentId, info.id);
      assert.equal(c.local.port, info.local.port, 'the accepted socket keeps the server port');
      assert.equal(c.state, 'open');
    }
    assert.deepEqual(
      conns.map((c) => c.remote!.port).sort(),
      [a.localPort, b.localPort].sort(),
      'told apart by the 4-tuple',
    );
    const events = [...engine.log].map((r) => r.event);
    assert.deepEqual(events.slice(0, 2), ['bind', 'listen']);
    assert.equal(events.filter((e) => e === 'accept').length, 2);
  });

  it('line framing answers whole lines, however the stream is cut', async () => {
    const info = await engine.registry.startTcpServer({ port: 0, framing: 'line' });
    const c = await connect(info.local.port);
    c.write('hel');
    // The server holds "hel" before the rest is written: two reads, whatever the machine's speed.
    const bytesIn = () => engine.registry.list().find((s) => s.kind === 'tcp-connection')?.bytesIn ?? 0;
    await waitFor(() => bytesIn() === 3, 'the first piece at the server');
    c.write('lo\nwor');
    assert.equal((await readBytes(c, 6)).toString(), 'HELLO\n');
    c.write('ld\nx\n');
    assert.equal((await readBytes(c, 8)).toString(), 'WORLD\nX\n');
    const conn = engine.registry.list().find((s) => s.kind === 'tcp-connection')!;
    assert.equal(conn.bytesIn, 14);
    assert.equal(conn.bytesOut, 14);
    assert.equal(conn.messagesOut, 3, 'one write per line');
  });

  it('half-close: the client sends then FIN; the server answers the rest and closes; logged as peer FIN', async () => {
    const info = await engine.registry.startTcpServer({ port: 0, framing: 'line' });
    const c = await connect(info.local.port);
    const got = readBytes(c, 7);
    c.end('no newline'.slice(0, 7)); // "no newl" then FIN
    assert.equal((await got).toString(), 'NO NEWL');
    await waitFor(
      () => [...engine.log].some((r) => r.event === 'close' && r.closedBy === 'peer-fin'),
      'peer FIN close',
    );
    await waitFor(() => engine.registry.list().every((s) => s.kind !== 'tcp-connection'), 'connection gone');
  });

  it('the TCP client talks to a plain Node server; send returns the byte count', async () => {
    const { server, port } = await rawTcpServer((s) =>
      s.on('data', (d) => s.write(d.toString().toUpperCase())),
    );
    try {
      const info = await engine.registry.connectTcpClient({ port });
      assert.equal(info.kind, 'tcp-client');
      assert.equal(info.state, 'open');
      assert.equal(info.remote?.port, port);
      assert.deepEqual(await engine.registry.send({ socketId: info.id, data: 'aGk=', encoding: 'base64' }), {
        bytes: 2,
      });
      await waitFor(() => engine.registry.get(info.id)!.bytesIn === 2, 'reply');
      const recv = [...engine.log].find((r) => r.socketId === info.id && r.event === 'receive')!;
      assert.equal(recv.payload?.toString(), 'HI');
      assert.deepEqual(
        [...engine.log]
          .filter((r) => r.socketId === info.id)
          .map((r) => r.event)
          .slice(0, 3),
        ['connect', 'send', 'receive'],
      );
    } finally {
      await engine.registry.closeAll();
      await new Promise((r) => server.close(r));
    }
  });

  it('connection refused: an error that says to start the server first, logged, nothing registered', async () => {
    const { server, port } = await rawTcpServer(() => undefined);
    await new Promise((r) => server.close(r)); // now nothing listens there
    await assert.rejects(
      engine.registry.connectTcpClient({ port }),
      (e: unknown) =>
        e instanceof PlaygroundError &&
        e.code === 'ECONNREFUSED' &&
        /connection refused/.test(e.message) &&
        /Start the server first/.test(e.message),
    );
    assert.equal(engine.registry.size, 0);
    const err = [...engine.log].find((r) => r.event === 'error')!;
    assert.equal(err.error?.code, 'ECONNREFUSED');
    assert.ok(
      err.notes.some((n) => /refus/i.test(n.title) || /refus/i.test(n.id)),
      JSON.stringify(err.notes),
    );
  });

  it('peer reset: logged as reset, client state error, no crash, send then refused', async () => {
    const { server, port } = await rawTcpServer((s) => s.on('data', () => s.resetAndDestroy()));
    try {
      const info = await engine.registry.connectTcpClient({ port });
      await engine.registry.send({ socketId: info.id, data: 'boom' });
      await waitFor(() => engine.registry.get(info.id)?.state === 'error', 'reset');
      const s = engine.registry.get(info.id)!;
      assert.equal(s.error?.code, 'ECONNRESET');
      const close = [...engine.log].find((r) => r.socketId === info.id && r.event === 'close')!;
      assert.equal(close.closedBy, 'reset');
      await assert.rejects(
        engine.registry.send({ socketId: info.id, data: 'again' }),
        (e: unknown) => e instanceof PlaygroundError && e.code === 'ESOCKETCLOSED',
      );
      assert.equal(s.messagesOut, 1, 'nothing more sent');
      await engine.registry.closeSocket({ socketId: info.id });
      assert.equal(engine.registry.size, 0, 'closing a dead client removes it');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('peer FIN on a client: logged as peer FIN, the client stays visible as closed', async () => {
    const { server, port } = await rawTcpServer((s) => s.on('data', (d) => s.end(d)));
    try {
      const info = await engine.registry.connectTcpClient({ port });
      await engine.registry.send({ socketId: info.id, data: 'bye' });
      await waitFor(() => engine.registry.get(info.id)?.state === 'closed', 'closed by peer');
      const close = [...engine.log].find((r) => r.socketId === info.id && r.event === 'close')!;
      assert.equal(close.closedBy, 'peer-fin');
      assert.equal(engine.registry.get(info.id)!.bytesIn, 3);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('closing a server destroys its connections and frees the port at once', async () => {
    const info = await engine.registry.startTcpServer({ port: 0 });
    const clients = await Promise.all([1, 2, 3].map(() => connect(info.local.port)));
    await waitFor(() => (engine.registry.get(info.id) as TcpServer).connections.size === 3, '3 connections');
    const ended = clients.map((c) => new Promise<void>((r) => c.once('close', () => r())));
    await engine.registry.closeSocket({ socketId: info.id });
    await Promise.all(ended);
    assert.equal(engine.registry.size, 0);
    assert.ok(await portIsFree(info.local.port, 'tcp'));
  });

  it('vanishing peer mid-stream (destroy without reading) is survived', async () => {
    const info = await engine.registry.startTcpServer({ port: 0, behavior: 'echo' });
    const c = await connect(info.local.port);
    c.write(Buffer.alloc(100_000, 0x61));
    c.destroy();
    await waitFor(() => engine.registry.list().every((s) => s.kind !== 'tcp-connection'), 'connection gone');
    const s = engine.registry.get(info.id)!;
    assert.equal(s.state, 'listening', 'server unaffected');
  });

  it('port in use for TCP', async () => {
    const first = await engine.registry.startTcpServer({ port: 0 });
    await assert.rejects(
      engine.registry.startTcpServer({ port: first.local.port }),
      (e: unknown) =>
        e instanceof PlaygroundError && e.code === 'EADDRINUSE' && /already in use/.test(e.message),
    );
    assert.equal(engine.registry.size, 1);
  });

  it('a connect timeout is reported as such (SYNs dropped by a full accept queue)', async function () {
    // A Python listener with backlog 0 that never accepts: once its queue is full, Linux drops further SYNs,
    // so the next connect gets no answer at all: a real timeout, on loopback.
    const { spawn } = await import('node:child_process');
    const py = spawn(
      'python3',
      [
        '-c',
        'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(30)',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const port = Number(
        await new Promise<string>((resolve) =>
          py.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
        ),
      );
      let timedOut: PlaygroundError | undefined;
      for (let i = 0; i < 6 && !timedOut; i++) {
        try {
          await engine.registry.connectTcpClient({ port, timeoutMs: 300 });
        } catch (e) {
          timedOut = e as PlaygroundError;
        }
      }
      assert.ok(timedOut, 'a connect eventually times out');
      assert.equal(timedOut.code, 'ETIMEDOUT');
      assert.match(timedOut.message, /timed out/);
    } finally {
      py.kill();
    }
  });

  it('the accepted connection can send on its own (panel send box)', async () => {
    const info = await engine.registry.startTcpServer({ port: 0, behavior: 'sink' });
    const c = await connect(info.local.port);
    await waitFor(() => engine.registry.list().some((s) => s.kind === 'tcp-connection'), 'accept');
    const conn = engine.registry.list().find((s) => s.kind === 'tcp-connection')!;
    const got = readBytes(c, 5);
    await engine.registry.send({ socketId: conn.id, data: 'push\n' });
    assert.equal((await got).toString(), 'push\n');
    await assert.rejects(engine.registry.send({ socketId: info.id, data: 'x' }), /welcoming socket/);
  });
});
