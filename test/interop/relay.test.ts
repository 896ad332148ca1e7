/**
 * The relay between real programs: the textbook Python 3 client and server (test/fixtures/textbook), with and
 * without impairment; and the Ports view's OS reading, which must see a Python server started outside the
 * playground on the right port and address.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { listListeningPorts } from '../../src/core/os/procNet';
import type { Relay } from '../../src/core/relay/relay';
import type { Impairment } from '../../src/shared/types';
import { startPythonServer, TEXTBOOK } from '../textbook';
import { makeEngine, waitFor } from '../unit/helpers';

/** Runs a program to its end with `input` on stdin. */
function run(
  args: string[],
  input: string,
  ms = 10_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`python3 ${args.join(' ')} timed out; stdout=${stdout} stderr=${stderr}`));
    }, ms);
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    p.stdin.end(input);
  });
}

describe('interop: the relay between the textbook Python 3 programs; the Ports view', function () {
  let engine: ReturnType<typeof makeEngine>;
  const procs: ChildProcess[] = [];
  beforeEach(() => (engine = makeEngine()));
  afterEach(async () => {
    procs.splice(0).forEach((p) => p.kill('SIGKILL'));
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  /** Starts a textbook server on a free port of `host` (stopped after the test); resolves with the port. */
  async function startServer(program: string, host = '127.0.0.1'): Promise<number> {
    const { proc, port } = await startPythonServer(program, host);
    procs.push(proc);
    return port;
  }

  const legsOf = (relayId: string) => engine.registry.list().filter((s) => s.parentId === relayId);
  const logOf = (socketId: string, event: string) =>
    [...engine.log].filter((r) => r.socketId === socketId && r.event === event);

  for (const impairment of [undefined, { delayMs: 40, jitterMs: 30, duplicate: 0.5, seed: 3 }] as const) {
    const how = impairment ? ' (delay, jitter, duplicates)' : '';
    it(`UDPClient.py -> UDP relay -> UDPServer.py${how}: every byte arrives, both legs logged`, async () => {
      const serverPort = await startServer('UDPServer.py');
      const relay = await engine.registry.startRelay({
        protocol: 'udp',
        targetPort: serverPort,
        ...(impairment ? { impairment } : {}),
      });
      const sentence = 'relayed by the playground';
      const r = await run(
        [path.join(TEXTBOOK, 'UDPClient.py'), '127.0.0.1', String(relay.local.port)],
        `${sentence}\n`,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /RELAYED BY THE PLAYGROUND/);
      const [leg] = legsOf(relay.id);
      assert.ok(leg, 'one upstream leg for the client');
      assert.equal(leg.remote?.port, serverPort);
      // Leg 1: client -> relay -> server. Leg 2: server -> leg -> relay -> client.
      assert.equal(logOf(relay.id, 'receive')[0]?.payload?.toString(), sentence);
      assert.equal(logOf(leg.id, 'send')[0]?.payload?.toString(), sentence);
      // Every answer the leg got is passed on (a duplicated one twice).
      await waitFor(
        () =>
          logOf(relay.id, 'send').length ===
          logOf(leg.id, 'receive').length + logOf(relay.id, 'duplicate').length,
        'every answer passed on',
      );
      assert.ok(logOf(leg.id, 'receive').every((e) => e.payload?.toString() === sentence.toUpperCase()));
      assert.ok(logOf(relay.id, 'send').every((e) => e.payload?.toString() === sentence.toUpperCase()));
      const info = engine.registry.get(relay.id)!;
      assert.equal(info.bytesIn, sentence.length);
      if (impairment) {
        assert.ok(logOf(leg.id, 'delay').length + logOf(relay.id, 'delay').length > 0);
      }
    });

    it(`TCPClient.py -> TCP relay -> TCPServer.py${how}: the stream arrives whole, FIN passed on`, async () => {
      const serverPort = await startServer('TCPServer.py');
      const tcpImpairment: Impairment | undefined = impairment && { ...impairment, loss: 0.3 };
      const relay = await engine.registry.startRelay({
        protocol: 'tcp',
        targetPort: serverPort,
        ...(tcpImpairment ? { impairment: tcpImpairment } : {}),
      });
      const sentence = 'a byte stream through two connections';
      const r = await run(
        [path.join(TEXTBOOK, 'TCPClient.py'), '127.0.0.1', String(relay.local.port)],
        `${sentence}\n`,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /From Server: A BYTE STREAM THROUGH TWO CONNECTIONS/);
      const legs = [...engine.log].filter((e) => e.socketId !== relay.id);
      const accept = legs.find((e) => e.event === 'accept')!;
      const connect = legs.find((e) => e.event === 'connect')!;
      assert.equal(accept.local.port, relay.local.port);
      assert.equal(connect.remote?.port, serverPort);
      const bytes = (id: string, event: string) => logOf(id, event).reduce((n, e) => n + e.bytes, 0);
      assert.equal(bytes(accept.socketId, 'receive'), sentence.length);
      assert.equal(bytes(connect.socketId, 'send'), sentence.length);
      assert.equal(bytes(connect.socketId, 'receive'), sentence.length);
      assert.equal(bytes(accept.socketId, 'send'), sentence.length);
      await waitFor(() => legsOf(relay.id).length === 0, 'both legs closed');
      const closes = legs.filter((e) => e.event === 'close');
      assert.equal(
        [...engine.log].filter((e) => e.event === 'close' && e.socketId === connect.socketId)[0]?.closedBy,
        'peer-fin',
        'the server closed first',
      );
      assert.ok(closes.length <= 2);
      if (tcpImpairment) {
        const stats = (engine.registry.get(relay.id) as Relay).stats;
        assert.ok(stats.delayed > 0);
      }
    });
  }

  it('Ports view: a Python server started outside the playground shows its port and address', async () => {
    const tcpPort = await startServer('TCPServer.py', '127.0.0.1');
    const udpPort = await startServer('UDPServer.py', '::1');
    const ours = await engine.registry.startUdpServer({ port: 0 });
    const ports = await listListeningPorts();
    const tcp = ports.filter((p) => p.port === tcpPort && p.protocol === 'tcp');
    const udp = ports.filter((p) => p.port === udpPort && p.protocol === 'udp');
    assert.deepEqual(
      tcp.map((p) => [p.address, p.family, p.state]),
      [['127.0.0.1', 4, 'LISTEN']],
    );
    assert.deepEqual(
      udp.map((p) => [p.address, p.family, p.state]),
      [['::1', 6, 'UNCONN']],
    );
    assert.ok(
      ports.some((p) => p.protocol === 'udp' && p.port === ours.local.port && p.address === '127.0.0.1'),
    );
    // Gone once the program stops: a process's sockets are closed before its exit is reported.
    await Promise.all(
      procs.splice(0).map((p) => {
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGKILL');
        return p.exitCode !== null || p.signalCode !== null ? undefined : exited;
      }),
    );
    const still = (await listListeningPorts()).some((p) => p.port === tcpPort && p.protocol === 'tcp');
    assert.equal(still, false, 'the port is no longer listed');
  });
});
