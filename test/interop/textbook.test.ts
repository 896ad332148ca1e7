/**
 * Interop with real peers run as processes: the four textbook programs in Python 3 (test/fixtures/textbook) and
 * netcat. The playground's servers serve the textbook clients and nc; its clients talk to the textbook servers.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { startPythonServer, TEXTBOOK } from '../textbook';
import { makeEngine, WAIT_MS, waitFor } from '../unit/helpers';

function run(
  cmd: string,
  args: string[],
  input: string,
  ms = WAIT_MS,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out; stdout=${stdout} stderr=${stderr}`));
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

function freePort(): Promise<number> {
  const srv = net.createServer();
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    }),
  );
}

const haveNc = spawnSync('sh', ['-c', 'command -v nc'], { encoding: 'utf8' }).status === 0;

describe('interop: textbook Python 3 programs and netcat', function () {
  let engine: ReturnType<typeof makeEngine>;
  const procs: ChildProcess[] = [];
  beforeEach(() => (engine = makeEngine()));
  afterEach(async () => {
    procs.splice(0).forEach((p) => p.kill('SIGKILL'));
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  it('UDPClient.py -> playground UDP server (uppercase)', async () => {
    const s = await engine.registry.startUdpServer({ port: 0 });
    const r = await run(
      'python3',
      [path.join(TEXTBOOK, 'UDPClient.py'), '127.0.0.1', String(s.local.port)],
      'hello from python\n',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /HELLO FROM PYTHON/);
    const info = engine.registry.get(s.id)!;
    assert.equal(info.messagesIn, 1);
    assert.equal(info.bytesIn, 'hello from python'.length);
    const recv = [...engine.log].find((e) => e.event === 'receive')!;
    assert.equal(recv.payload?.toString(), 'hello from python');
  });

  it('TCPClient.py -> playground TCP server (uppercase); connection row appears and goes', async () => {
    const s = await engine.registry.startTcpServer({ port: 0 });
    const r = await run(
      'python3',
      [path.join(TEXTBOOK, 'TCPClient.py'), '127.0.0.1', String(s.local.port)],
      'tcp from python\n',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /From Server: TCP FROM PYTHON/);
    const accept = [...engine.log].find((e) => e.event === 'accept')!;
    assert.equal(accept.local.port, s.local.port);
    await waitFor(() => engine.registry.list().length === 1, 'connection closed');
    const close = [...engine.log].find((e) => e.event === 'close')!;
    assert.equal(close.closedBy, 'peer-fin');
  });

  it('playground UDP client -> UDPServer.py', async () => {
    const { proc, port } = await startPythonServer('UDPServer.py');
    procs.push(proc);
    const c = await engine.registry.openUdpClient({ port });
    await engine.registry.send({ socketId: c.id, data: 'to the python server' });
    await waitFor(() => engine.registry.get(c.id)!.messagesIn === 1, 'reply');
    const reply = [...engine.log].find((e) => e.socketId === c.id && e.event === 'receive')!;
    assert.equal(reply.payload?.toString(), 'TO THE PYTHON SERVER');
    assert.equal(reply.remote?.port, port);
  });

  it('playground TCP client -> TCPServer.py; the server closes after one reply (peer FIN)', async () => {
    const { proc, port } = await startPythonServer('TCPServer.py');
    procs.push(proc);
    const c = await engine.registry.connectTcpClient({ port });
    await engine.registry.send({ socketId: c.id, data: 'tcp to python' });
    await waitFor(() => engine.registry.get(c.id)!.state === 'closed', 'server closed');
    const reply = [...engine.log].find((e) => e.socketId === c.id && e.event === 'receive')!;
    assert.equal(reply.payload?.toString(), 'TCP TO PYTHON');
    assert.equal(
      [...engine.log].find((e) => e.socketId === c.id && e.event === 'close')?.closedBy,
      'peer-fin',
    );
  });

  it('IPv6: UDPClient.py over ::1', async () => {
    const s = await engine.registry.startUdpServer({ port: 0, host: '::1' });
    const r = await run(
      'python3',
      [path.join(TEXTBOOK, 'UDPClient.py'), '::1', String(s.local.port)],
      'six\n',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /SIX/);
  });

  (haveNc ? describe : describe.skip)(
    'netcat (skipped only when nc is not installed: apt-get install netcat-openbsd)',
    () => {
      it('nc (TCP) -> line-framed uppercase server, several lines and half-close', async () => {
        const s = await engine.registry.startTcpServer({ port: 0, framing: 'line' });
        // -N: shut down the socket (send FIN) after EOF on stdin, then wait for the server to finish.
        const r = await run('nc', ['-N', '127.0.0.1', String(s.local.port)], 'one\ntwo\nthree');
        assert.equal(r.stdout, 'ONE\nTWO\nTHREE');
        const conn = [...engine.log].filter((e) => e.event === 'send' && e.protocol === 'tcp');
        assert.equal(conn.length, 3, 'one reply per line, the last at FIN');
      });

      it('nc -u -> UDP echo server', async () => {
        const s = await engine.registry.startUdpServer({ port: 0, behavior: 'echo' });
        // OpenBSD nc -u stops reading once stdin ends, so keep stdin open until the reply is printed.
        const nc = spawn('nc', ['-u', '-w', '30', '127.0.0.1', String(s.local.port)], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        procs.push(nc);
        let got = '';
        nc.stdout.on('data', (d: Buffer) => (got += d.toString()));
        nc.stdin.write('datagram via nc\n');
        await waitFor(() => got === 'datagram via nc\n', 'echo printed by nc');
        assert.equal(engine.registry.get(s.id)!.messagesIn, 1);
        const recv = [...engine.log].find((e) => e.event === 'receive')!;
        assert.equal(recv.remote?.address, '127.0.0.1');
      });

      it('playground TCP client -> nc -l server', async () => {
        // nc cannot report an OS-chosen port, so ask the OS for a free one first.
        const port = await freePort();
        const nc = spawn('nc', ['-l', '127.0.0.1', String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
        procs.push(nc);
        let got = '';
        nc.stdout.on('data', (d: Buffer) => (got += d.toString()));
        // nc says nothing once it listens: try until it accepts (refused meanwhile), within a generous bound.
        let info;
        for (const deadline = Date.now() + WAIT_MS; !info && Date.now() < deadline;) {
          info = await engine.registry
            .connectTcpClient({ port })
            .catch(() => new Promise((r) => setTimeout(r, 50)).then(() => undefined));
        }
        assert.ok(info, 'connected to nc');
        nc.stdin.write('from nc\n');
        await engine.registry.send({ socketId: info.id, data: 'from playground\n' });
        await waitFor(() => got === 'from playground\n', 'nc got data');
        await waitFor(() => engine.registry.get(info.id)!.bytesIn === 8, 'playground got data');
      });
    },
  );
});
