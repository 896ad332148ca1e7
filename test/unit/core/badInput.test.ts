/** The bad-input rows of docs/contract.md the engine owns: every bad input gets a clear error and changes nothing else. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PlaygroundError } from '../../../src/core/errors';
import { makeEngine } from '../helpers';

type Case = {
  name: string;
  run: (e: ReturnType<typeof makeEngine>, ids: { udp: string; tcpServer: string }) => Promise<unknown>;
  message: RegExp;
  code?: string;
};

const cases: Case[] = [
  {
    name: 'port not an integer',
    run: (e) => e.registry.startUdpServer({ port: 12.5 }),
    message: /port must be an integer from 0 to 65535/,
  },
  { name: 'port < 0', run: (e) => e.registry.startTcpServer({ port: -1 }), message: /from 0 to 65535.*-1/ },
  {
    name: 'port > 65535',
    run: (e) => e.registry.startTcpServer({ port: 70000 }),
    message: /from 0 to 65535.*70000/,
  },
  {
    name: 'port as text',
    run: (e) => e.registry.openUdpClient({ port: 'http' }),
    message: /integer from 0 to 65535.*"http"/,
  },
  { name: 'client without port', run: (e) => e.registry.connectTcpClient({}), message: /needs port/ },
  {
    name: 'malformed host',
    run: (e) => e.registry.startUdpServer({ port: 0, host: 'not a host' }),
    message: /"not a host" is not a valid host/,
  },
  {
    name: 'unresolvable host',
    run: (e) => e.registry.connectTcpClient({ host: 'nowhere.invalid', port: 9 }),
    message: /host "nowhere.invalid" could not be resolved/,
  },
  {
    name: 'non-loopback bind',
    run: (e) => e.registry.startTcpServer({ port: 0, host: '0.0.0.0' }),
    message: /socketPlayground\.allowRemoteBind/,
    code: 'EREMOTEBIND',
  },
  {
    name: 'unknown behavior',
    run: (e) => e.registry.startUdpServer({ port: 0, behavior: 'shout' }),
    message: /behavior must be one of "uppercase", "echo", "sink", "fixed"; got "shout"/,
  },
  {
    name: 'fixed without reply',
    run: (e) => e.registry.startUdpServer({ port: 0, behavior: 'fixed' }),
    message: /needs reply/,
  },
  {
    name: 'unknown framing',
    run: (e) => e.registry.startTcpServer({ port: 0, framing: 'word' }),
    message: /framing must be one of "chunk", "line"/,
  },
  {
    name: 'unknown argument (typo)',
    run: (e) => e.registry.startUdpServer({ prot: 1 }),
    message: /no argument "prot". Allowed: port, host/,
  },
  {
    name: 'argument not an object',
    run: (e) => e.registry.startUdpServer(12000),
    message: /takes one argument object/,
  },
  {
    name: 'hex that is not hex',
    run: (e, ids) => e.registry.send({ socketId: ids.udp, data: 'xyz', encoding: 'hex' }),
    message: /not hex/,
  },
  {
    name: 'hex with a stray "0x" inside (ab0xcd)',
    run: (e, ids) => e.registry.send({ socketId: ids.udp, data: 'ab0xcd', encoding: 'hex' }),
    message: /not hex: "x" is not a hex digit/,
    code: 'EINVAL',
  },
  {
    name: 'hex with commas (1,2,3,4)',
    run: (e, ids) => e.registry.send({ socketId: ids.udp, data: '1,2,3,4', encoding: 'hex' }),
    message: /not hex: "," is not a hex digit/,
    code: 'EINVAL',
  },
  {
    name: 'UDP client to a non-loopback destination without allowRemoteBind',
    run: (e) => e.registry.openUdpClient({ host: '192.0.2.1', port: 9 }),
    message: /192\.0\.2\.1.*every interface \(0\.0\.0\.0\).*socketPlayground\.allowRemoteBind/,
    code: 'EREMOTEBIND',
  },
  {
    name: 'base64 that is not base64',
    run: (e, ids) => e.registry.send({ socketId: ids.udp, data: '###', encoding: 'base64' }),
    message: /not base64/,
  },
  {
    name: 'unknown encoding',
    run: (e, ids) => e.registry.send({ socketId: ids.udp, data: 'x', encoding: 'ascii' }),
    message: /encoding must be one of/,
  },
  {
    name: 'oversized datagram',
    run: (e, ids) => e.registry.send({ socketId: ids.udp, data: 'a'.repeat(70_000) }),
    message: /at most 65,507 bytes/,
    code: 'EMSGSIZE',
  },
  {
    name: 'unknown socket id',
    run: (e) => e.registry.send({ socketId: 'udp-client-999', data: 'x' }),
    message: /no socket with id "udp-client-999"/,
  },
  {
    name: 'socket id missing',
    run: (e) => e.registry.send({ data: 'x' }),
    message: /socketId must be the id/,
  },
  {
    name: 'data not a string',
    run: (e, ids) => e.registry.send({ socketId: ids.udp, data: 42 }),
    message: /data must be a string/,
  },
  {
    name: 'send on a welcoming socket',
    run: (e, ids) => e.registry.send({ socketId: ids.tcpServer, data: 'x' }),
    message: /welcoming socket/,
  },
  {
    name: '"to" on TCP',
    run: (e, ids) =>
      e.registry.send({ socketId: ids.tcpServer, data: 'x', to: { address: '127.0.0.1', port: 1 } }),
    message: /"to" is only for UDP/,
  },
  {
    name: 'bad "to" endpoint',
    run: (e, ids) => e.registry.send({ socketId: ids.udp, data: 'x', to: { address: '127.0.0.1', port: 0 } }),
    message: /to.port 0 is not a destination/,
  },
  {
    name: 'bad impairment',
    run: (e) => e.registry.startUdpServer({ port: 0, impairment: { loss: 1.5 } }),
    message: /impairment.loss must be a probability from 0 to 1/,
  },
  {
    name: 'bad timeout',
    run: (e) => e.registry.connectTcpClient({ port: 1, timeoutMs: -5 }),
    message: /timeoutMs must be an integer/,
  },
];

describe('bad input changes nothing', () => {
  let engine: ReturnType<typeof makeEngine>;
  let ids: { udp: string; tcpServer: string };
  beforeEach(async () => {
    engine = makeEngine();
    const server = await engine.registry.startUdpServer({ port: 0, behavior: 'sink' });
    const udp = await engine.registry.openUdpClient({ port: server.local.port });
    const tcp = await engine.registry.startTcpServer({ port: 0 });
    ids = { udp: udp.id, tcpServer: tcp.id };
  });
  afterEach(async () => {
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const before = JSON.stringify(engine.registry.list());
      const logBefore = engine.log.lastSeq;
      await assert.rejects(c.run(engine, ids), (e: unknown) => {
        assert.ok(e instanceof PlaygroundError, `a PlaygroundError, got ${String(e)}`);
        assert.match(e.message, c.message);
        if (c.code) {
          assert.equal(e.code, c.code);
        }
        return true;
      });
      assert.equal(JSON.stringify(engine.registry.list()), before, 'sockets and counters unchanged');
      assert.equal(engine.log.lastSeq, logBefore, 'nothing logged, nothing sent');
    });
  }

  it('send on a closed socket: error, nothing sent', async () => {
    await engine.registry.closeSocket({ socketId: ids.udp });
    await assert.rejects(engine.registry.send({ socketId: ids.udp, data: 'x' }), /no socket with id/);
  });
});

describe('privileged ports', () => {
  it('binding below 1024 without privileges explains privileged ports', function () {
    // Tests run as root in CI, where port 80 binds fine; so run the engine as an unprivileged user in a child.
    const child = path.join(__dirname, 'privilegedChild.js');
    const asNobody = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, [child], {
      encoding: 'utf8',
      timeout: 10_000,
      ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
    });
    const out = JSON.parse(r.stdout.trim() || '{}') as {
      code?: string;
      message?: string;
      noteId?: string;
      bound?: boolean;
      unprivilegedStart?: number;
    };
    if (out.bound) {
      // The kernel lets this user bind low ports (net.ipv4.ip_unprivileged_port_start lowered): nothing to explain.
      assert.ok((out.unprivilegedStart ?? 1024) <= 80, 'bound only where the kernel allows it');
      return;
    }
    assert.equal(out.code, 'EACCES', r.stderr);
    assert.match(out.message!, /port 80 is a privileged port \(0–1023\)/);
    assert.ok(out.noteId);
  });
});
