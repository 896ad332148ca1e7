/** Scenario runs on real loopback sockets: the playground's own servers and plain Node servers. */
import * as assert from 'node:assert/strict';
import type * as net from 'node:net';
import { parseScenario } from '../../../../src/core/scenarios/syntax';
import { runScenario, toScenarioResult, type ScenarioRun } from '../../../../src/core/scenarios/runner';
import { SocketRegistry } from '../../../../src/core/registry';
import { TrafficLog } from '../../../../src/core/traffic/trafficLog';
import { makeEngine, portIsFree, rawTcpServer } from '../../helpers';

type Engine = ReturnType<typeof makeEngine>;

function run(engine: Engine, text: string, block?: string): Promise<ScenarioRun> {
  return runScenario(engine.registry, parseScenario(text), '/tmp/test.sockets', { block });
}

function statuses(r: ScenarioRun, i = 0): string[] {
  return r.blocks[i]!.steps.map((s) => `${s.line} ${s.op} ${s.status}`);
}

/** A port nothing listens on: bound by the OS, then released. */
async function deadPort(): Promise<number> {
  const { server, port } = await rawTcpServer(() => undefined);
  await new Promise((r) => server.close(r));
  return port;
}

describe('scenarios: runner', function () {
  let engine: Engine;
  const servers: net.Server[] = [];
  const conns: net.Socket[] = [];
  /** A plain Node server whose connections the test tears down. */
  const nodeServer = async (onConn: (c: net.Socket) => void) => {
    const s = await rawTcpServer((c) => {
      conns.push(c);
      onConn(c);
    });
    servers.push(s.server);
    return s;
  };
  beforeEach(() => (engine = makeEngine()));
  afterEach(async () => {
    conns.splice(0).forEach((c) => c.destroy());
    for (const s of servers.splice(0)) {
      await new Promise((r) => s.close(r));
    }
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  it('self-contained UDP block against the playground uppercase server; sockets show in the log and close', async () => {
    const r = await run(
      engine,
      '### Uppercase over UDP\nserver udp uppercase 0\nudp 127.0.0.1:{{serverPort}}\n> hello\n< HELLO\n> again\n< /^AG.IN$/',
    );
    assert.deepEqual(statuses(r), [
      '2 server passed',
      '3 udp passed',
      '4 send passed',
      '5 expect passed',
      '6 send passed',
      '7 expect passed',
    ]);
    assert.equal(r.passed, true);
    assert.match(r.blocks[0]!.steps[3]!.message, /received "HELLO" \(48 45 4c 4c 4f\)/);
    assert.equal(engine.registry.size, 0, 'the block closed its server and client');
    const kinds = new Set([...engine.log].map((e) => `${e.socketId.replace(/-\d+$/, '')} ${e.event}`));
    for (const k of [
      'udp-server bind',
      'udp-client bind',
      'udp-client send',
      'udp-client receive',
      'udp-server close',
    ]) {
      assert.ok(kinds.has(k), `${k} in ${[...kinds].join(', ')}`);
    }
    const serverPort = Number(/= (\d+)/.exec(r.blocks[0]!.steps[0]!.message)![1]);
    assert.ok(await portIsFree(serverPort, 'udp'));
  });

  it('TCP block against a playground server started outside it, via a variable; the result has the contract shape', async () => {
    const s = await engine.registry.startTcpServer({ port: 0 });
    const r = await run(
      engine,
      `@port = ${s.local.port}\n### tcp\ntcp 127.0.0.1:{{port}}\n> abc\n< ABC\nclose`,
    );
    assert.equal(r.passed, true, JSON.stringify(r));
    const c = toScenarioResult(r);
    assert.deepEqual(Object.keys(c).sort(), ['blocks', 'passed', 'path']);
    assert.deepEqual(Object.keys(c.blocks[0]!).sort(), ['line', 'name', 'passed', 'steps']);
    assert.deepEqual(Object.keys(c.blocks[0]!.steps[0]!).sort(), ['line', 'message', 'op', 'status']);
    assert.equal(c.blocks[0]!.line, 2);
    assert.deepEqual(
      engine.registry.list().map((x) => x.id),
      [s.id],
      'only the outside server is left',
    );
  });

  it('TCP: an expectation spanning two segments accumulates until met', async () => {
    let conn: net.Socket | undefined;
    const { port } = await nodeServer((c) => {
      conn = c;
      c.once('data', () => c.write('HEL'));
    });
    // Write the rest only once the client's log shows "HEL" arrived on its own: two real segments.
    const sub = engine.log.onDidAppend(({ firstSeq, lastSeq }) => {
      for (const e of engine.log.slice(firstSeq, lastSeq)) {
        if (e.event === 'receive' && e.socketId.startsWith('tcp-client') && e.payload?.toString() === 'HEL') {
          conn!.write('LO\n');
        }
      }
    });
    try {
      const r = await run(engine, `### pieces\ntcp 127.0.0.1:${port}\n> hi\n< HELLO\\n`);
      assert.equal(r.passed, true, JSON.stringify(r.blocks[0]!.steps));
      const receives = [...engine.log].filter((e) => e.event === 'receive').map((e) => e.payload?.toString());
      assert.deepEqual(receives, ['HEL', 'LO\n']);
    } finally {
      sub.dispose();
    }
  });

  it('TCP: two expectations met by one segment; the second reads what the first left', async () => {
    const { port } = await nodeServer((c) => c.once('data', () => c.write('ONE\nTWO\n')));
    const r = await run(engine, `### one segment\ntcp 127.0.0.1:${port}\n> go\n< ONE\\n\n< /^TWO\\n/`);
    assert.equal(r.passed, true, JSON.stringify(r.blocks[0]!.steps));
    assert.equal([...engine.log].filter((e) => e.event === 'receive').length, 1);
    assert.match(r.blocks[0]!.steps[3]!.message, /"TWO\\n"/);
  });

  it('TCP half-close: "end" sends FIN and the answer that comes after it is still read', async () => {
    const { port } = await nodeServer((c) => {
      const parts: Buffer[] = [];
      c.on('data', (d: Buffer) => parts.push(d));
      c.on('end', () => c.end(Buffer.concat(parts).toString().toUpperCase()));
    });
    const r = await run(engine, `### fin\ntcp 127.0.0.1:${port}\n> one \n> two\nend\n< ONE TWO`);
    assert.equal(r.passed, true, JSON.stringify(r.blocks[0]!.steps));
    assert.equal(engine.registry.size, 0);
  });

  it('a refused connection fails that step naming the port; the rest is skipped', async () => {
    const port = await deadPort();
    const r = await run(engine, `### refused\ntcp 127.0.0.1:${port}\n> hi\n< HI`);
    assert.equal(r.passed, false);
    assert.deepEqual(statuses(r), ['2 tcp failed', '3 send skipped', '4 expect skipped']);
    assert.match(r.blocks[0]!.steps[0]!.message, /refused/i);
    assert.match(r.blocks[0]!.steps[0]!.message, new RegExp(String(port)));
    assert.equal(engine.registry.size, 0);
  });

  it('an unmet expectation names what was expected and what came, as text and hex', async () => {
    const r = await run(
      engine,
      '### wrong\nserver udp uppercase 0\nudp 127.0.0.1:{{serverPort}}\n> hi\n< hi\n> more',
    );
    assert.deepEqual(statuses(r), [
      '2 server passed',
      '3 udp passed',
      '4 send passed',
      '5 expect failed',
      '6 send skipped',
    ]);
    const step = r.blocks[0]!.steps[3]!;
    assert.match(step.message, /expected "hi" \(68 69\); the datagram that came is "HI" \(48 49\)/);
    assert.equal(step.received?.toString(), 'HI');
    assert.equal(engine.registry.size, 0, 'sockets closed on failure too');
  });

  it('a timeout (short @timeout) fails with "nothing came"; TCP shows the partial bytes', async () => {
    const udp = await run(
      engine,
      '### quiet\n@timeout = 100\nserver udp sink 0\nudp 127.0.0.1:{{serverPort}}\n> hi\n< HI',
    );
    assert.match(udp.blocks[0]!.steps[3]!.message, /expected "HI" \(48 49\) within 100 ms; nothing came/);
    assert.match(udp.blocks[0]!.steps[3]!.message, /Is the server running\?/);
    const { port } = await nodeServer((c) => c.once('data', () => c.write('HE')));
    const tcp = await run(engine, `### partial\n@timeout = 100\ntcp 127.0.0.1:${port}\n> x\n< HELLO`);
    assert.match(tcp.blocks[0]!.steps[2]!.message, /within 100 ms; only this came: "HE" \(48 45\)/);
    assert.equal(engine.registry.size, 0);
  });

  it('TCP: a wrong first byte fails at once, and a peer that closes early fails without waiting', async () => {
    const { port } = await nodeServer((c) => c.once('data', () => c.end('NO')));
    const r = await run(engine, `### early\n@timeout = 600000\ntcp 127.0.0.1:${port}\n> x\n< YES`);
    assert.match(
      r.blocks[0]!.steps[2]!.message,
      /expected "YES" \(59 45 53\); the stream has "NO" \(4e 4f\)/,
    );
    const r2 = await run(engine, `### closes\n@timeout = 600000\ntcp 127.0.0.1:${port}\n> x\n< NO MORE`);
    assert.match(r2.blocks[0]!.steps[2]!.message, /the connection closed, and before that came "NO"/);
  });

  it('a syntax error: the block does not run and opens nothing; other blocks still run', async () => {
    const r = await run(
      engine,
      '### broken\nserver udp echo 0\nudp 127.0.0.1:{{serverPort}}\n> \\q\n### fine\nserver udp echo 0\nudp 127.0.0.1:{{serverPort}}\n> ok\n< ok',
    );
    assert.deepEqual(statuses(r, 0), ['4 syntax failed', '2 server skipped', '3 udp skipped']);
    assert.match(r.blocks[0]!.steps[0]!.message, /line 4, column 3: unknown escape/);
    assert.equal(r.blocks[1]!.passed, true);
    assert.equal(r.passed, false);
    const servers = new Set([...engine.log].filter((e) => e.event === 'bind').map((e) => e.socketId));
    assert.equal(servers.size, 2, 'only the second block bound sockets (its server and client)');
  });

  it('a block chosen by name runs alone; an unknown name rejects with the names', async () => {
    const text =
      '### first\nserver udp echo 0\nudp 127.0.0.1:{{serverPort}}\n> 1\n< 1\n### second\nserver udp uppercase 0\nudp 127.0.0.1:{{serverPort}}\n> b\n< B';
    const r = await run(engine, text, 'second');
    assert.deepEqual(
      r.blocks.map((b) => [b.name, b.line, b.passed]),
      [['second', 6, true]],
    );
    await assert.rejects(run(engine, text, 'third'), /no block named "third".*"first", "second"/);
  });

  it('hex and base64 sends, repeat with {{i}}, and wait, against the echo server', async () => {
    const r = await run(
      engine,
      '### bytes\nserver udp echo 0\nudp 127.0.0.1:{{serverPort}}\n>hex 00 ff 0a\n<hex 00ff0a\n>b64 SGk=\n< Hi\nrepeat 3\n> ping {{i}}\n< ping {{i}}\ndone\nwait 1\nclose',
    );
    assert.equal(r.passed, true, JSON.stringify(r.blocks[0]!.steps));
    assert.equal(r.blocks[0]!.steps.filter((s) => s.line === 9).length, 3);
    assert.equal(
      [...engine.log].filter((e) => e.event === 'send' && e.socketId.startsWith('udp-client')).length,
      5,
    );
  });

  it('cancelling stops the run and still closes the sockets', async () => {
    const ac = new AbortController();
    const file = parseScenario(
      '### slow\nserver udp sink 0\nudp 127.0.0.1:{{serverPort}}\n> x\n< never\n> y',
    );
    const r = await runScenario(engine.registry, file, 'x', {
      signal: ac.signal,
      onStep: (_b, s) => {
        if (s.op === 'send') {
          ac.abort();
        }
      },
    });
    assert.deepEqual(statuses(r), [
      '2 server passed',
      '3 udp passed',
      '4 send passed',
      '5 expect failed',
      '6 send skipped',
    ]);
    assert.equal(r.blocks[0]!.steps[3]!.message, 'cancelled');
    assert.equal(engine.registry.size, 0);
  });

  it("expectations read the log as soon as it has the bytes, not at the log's next batch event", async () => {
    // A log whose batch events would come only after ten minutes: a pass here can only come from reading the
    // log directly while the expectation waits.
    const log = new TrafficLog({}, 600_000);
    const registry = new SocketRegistry(log, () => ({
      bindAddress: '127.0.0.1',
      allowRemoteBind: false,
      defaultPort: 0,
    }));
    try {
      const text =
        '### b\nserver tcp echo 0\ntcp 127.0.0.1:{{serverPort}}\nrepeat 20\n> ping {{i}};\n< ping {{i}};\ndone';
      const r = await runScenario(registry, parseScenario(text), 'x');
      assert.equal(r.passed, true, JSON.stringify(r.blocks[0]!.steps.filter((s) => s.status !== 'passed')));
    } finally {
      await registry.closeAll();
      log.dispose();
    }
  });
});
