/**
 * Scenario files against the textbook Python 3 servers (test/fixtures/textbook), run as real processes on a
 * port the OS picked (they print it), and a session of UDPClient.py saved as a scenario and replayed.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/core/scenarios/syntax';
import { runScenario } from '../../src/core/scenarios/runner';
import { blockFromTraffic } from '../../src/core/scenarios/fromTraffic';
import { startPythonServer, TEXTBOOK } from '../textbook';
import { makeEngine, WAIT_MS } from '../unit/helpers';

describe('interop: scenario files against the textbook Python 3 servers', function () {
  let engine: ReturnType<typeof makeEngine>;
  const procs: ChildProcess[] = [];
  beforeEach(() => (engine = makeEngine()));
  afterEach(async () => {
    procs.splice(0).forEach((p) => p.kill('SIGKILL'));
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  it('UDPServer.py: a ping series and a failing expectation', async () => {
    const { proc, port } = await startPythonServer('UDPServer.py');
    procs.push(proc);
    const text = [
      `@port = ${port}`,
      '### uppercase',
      'udp 127.0.0.1:{{port}}',
      '> hello from a scenario',
      '< HELLO FROM A SCENARIO',
      'repeat 5',
      '> ping {{i}}',
      '< /^PING {{i}}$/',
      'done',
      '### expects lowercase (fails)',
      'udp 127.0.0.1:{{port}}',
      '> abc',
      '< abc',
    ].join('\n');
    const r = await runScenario(engine.registry, parseScenario(text), 'x.sockets');
    assert.equal(r.blocks[0]!.passed, true, JSON.stringify(r.blocks[0]!.steps));
    assert.equal(r.blocks[0]!.steps.length, 1 + 2 + 10);
    assert.equal(r.blocks[1]!.passed, false);
    assert.match(
      r.blocks[1]!.steps[2]!.message,
      /expected "abc" \(61 62 63\); the datagram that came is "ABC" \(41 42 43\)/,
    );
    assert.equal(engine.registry.size, 0);
  });

  it('TCPServer.py: one sentence per connection, the server closes after its reply', async () => {
    const { proc, port } = await startPythonServer('TCPServer.py');
    procs.push(proc);
    const text = [
      `@port = ${port}`,
      '### first connection',
      'tcp 127.0.0.1:{{port}}',
      '> tcp from a scenario',
      '< TCP FROM',
      '< / A SCENARIO$/',
      '### second connection',
      'tcp 127.0.0.1:{{port}}',
      '> again',
      '< AGAIN',
    ].join('\n');
    const r = await runScenario(engine.registry, parseScenario(text), 'x.sockets');
    assert.equal(r.passed, true, JSON.stringify(r.blocks.map((b) => b.steps)));
    const closes = [...engine.log].filter((e) => e.event === 'close' && e.socketId.startsWith('tcp-client'));
    assert.equal(closes.length, 2);
  });

  it('a session of UDPClient.py against the uppercase server, saved as a scenario, replays and passes', async () => {
    const s = await engine.registry.startUdpServer({ port: 0 });
    const client = spawn(
      'python3',
      [path.join(TEXTBOOK, 'UDPClient.py'), '127.0.0.1', String(s.local.port)],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    procs.push(client);
    let out = '';
    client.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      client.on('close', resolve);
      client.stdin!.end('a sentence from python\n');
    });
    assert.equal(code, 0);
    assert.match(out, /A SENTENCE FROM PYTHON/);
    const text = blockFromTraffic(
      { socketId: s.id, kind: 'udp-server', local: s.local, label: s.label },
      [...engine.log],
      'UDPClient.py session',
    );
    assert.match(text, /^> a sentence from python$/m);
    assert.match(text, /^< A SENTENCE FROM PYTHON$/m);
    const r = await runScenario(engine.registry, parseScenario(text), 'saved.sockets');
    assert.equal(r.passed, true, JSON.stringify(r.blocks[0]?.steps));
    assert.equal(engine.registry.get(s.id)?.messagesIn, 2, 'the replay reached the same server');
  });

  it('the sample file: its blocks for your own servers pass against UDPServer.py, TCPServer.py and http.server', async () => {
    const sample = readFileSync(path.resolve(__dirname, '../../../media/samples/textbook.sockets'), 'utf8');
    const udp = await startPythonServer('UDPServer.py');
    procs.push(udp.proc);
    const tcp = await startPythonServer('TCPServer.py');
    procs.push(tcp.proc);
    const web = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1'], {
      cwd: TEXTBOOK,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    procs.push(web);
    const webPort = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`http.server did not start: ${out}`)), WAIT_MS);
      web.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = / port (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const run = (text: string, block: string) =>
      runScenario(engine.registry, parseScenario(text), 'textbook.sockets', { block });
    const withUdp = await run(sample.replace('@port = 12000', `@port = ${udp.port}`), 'Your UDPServer.py');
    assert.equal(withUdp.passed, true, JSON.stringify(withUdp.blocks[0]!.steps));
    const withTcp = await run(sample.replace('@port = 12000', `@port = ${tcp.port}`), 'Your TCPServer.py');
    assert.equal(withTcp.passed, true, JSON.stringify(withTcp.blocks[0]!.steps));
    const withWeb = await run(sample.replace('@web = 8000', `@web = ${webPort}`), 'HTTP GET');
    assert.equal(withWeb.passed, true, JSON.stringify(withWeb.blocks[0]!.steps));
  });
});
