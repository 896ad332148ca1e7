/** "Port in use" names who holds the port: the playground's own socket, or the program the OS names. */
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { PlaygroundError } from '../../../src/core/errors';
import { NoteId } from '../../../src/core/notes/notes';
import { findPortHolder } from '../../../src/core/os/portHolder';
import { makeEngine } from '../helpers';
import { startPythonServer } from '../../textbook';

function inUse(re: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof PlaygroundError, String(err));
    assert.equal(err.code, 'EADDRINUSE');
    assert.equal(err.noteId, NoteId.AddressInUse, 'the note on "address in use" and SO_REUSEADDR');
    assert.match(err.message, /^port \d+ is already in use on 127\.0\.0\.1: /);
    assert.match(err.message, re);
    assert.match(err.message, /use port 0/);
    return true;
  };
}

describe('port in use names who holds it', () => {
  let engine: ReturnType<typeof makeEngine>;
  beforeEach(() => (engine = makeEngine()));
  afterEach(async () => {
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  it('a second playground UDP server on the port names the first (label and id)', async () => {
    const first = await engine.registry.startUdpServer({ port: 0 });
    const before = JSON.stringify(engine.registry.list());
    await assert.rejects(
      engine.registry.startUdpServer({ port: first.local.port }),
      inUse(new RegExp(`the playground's own ${first.label} \\(id ${first.id}\\) holds it`)),
    );
    assert.equal(JSON.stringify(engine.registry.list()), before, 'nothing else changed');
  });

  it('a TCP server on the port of a playground TCP server or TCP relay names that socket', async () => {
    const server = await engine.registry.startTcpServer({ port: 0 });
    await assert.rejects(
      engine.registry.startTcpServer({ port: server.local.port }),
      inUse(new RegExp(`\\(id ${server.id}\\) holds it.*closeSocket \\{ socketId: "${server.id}" \\}`)),
    );
    const relay = await engine.registry.startRelay({ protocol: 'tcp', targetPort: server.local.port });
    await assert.rejects(
      engine.registry.startTcpServer({ port: relay.local.port }),
      inUse(new RegExp(`\\(id ${relay.id}\\) holds it`)),
    );
  });

  it('a UDP relay asked for a port a playground server holds names the server', async () => {
    const server = await engine.registry.startUdpServer({ port: 0 });
    await assert.rejects(
      engine.registry.startRelay({ protocol: 'udp', listenPort: server.local.port, targetPort: 9 }),
      inUse(new RegExp(`\\(id ${server.id}\\) holds it`)),
    );
  });

  (process.platform === 'linux' ? describe : describe.skip)('held by another program (Linux /proc)', () => {
    it('a port this test process holds (outside the registry) names node and this pid', async () => {
      const srv = net.createServer();
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      const port = (srv.address() as net.AddressInfo).port;
      try {
        await assert.rejects(
          engine.registry.startTcpServer({ port }),
          inUse(new RegExp(`: \\S+ \\(pid ${process.pid}\\) holds it\\. Stop that program`)),
        );
      } finally {
        await new Promise((r) => srv.close(r));
      }
    });

    it('the textbook UDPServer.py holding the port is named python3 with its pid', async () => {
      const { proc: child, port } = await startPythonServer('UDPServer.py');
      try {
        await assert.rejects(
          engine.registry.startUdpServer({ port }),
          inUse(new RegExp(`: python3\\S* \\(pid ${child.pid}\\) holds it`)),
        );
        assert.equal((await findPortHolder('udp', port, '127.0.0.1'))?.pid, child.pid);
      } finally {
        child.kill();
      }
    });
  });

  it('nobody to name (another OS, or the holder is gone): the general explanation stays', async () => {
    assert.equal(await findPortHolder('udp', 9, '127.0.0.1', { platform: 'darwin' }), undefined);
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const port = sock.address().port;
    await new Promise<void>((r) => sock.close(r));
    assert.equal(await findPortHolder('udp', port, '127.0.0.1'), undefined);
  });
});
