/**
 * The labs against real python3 programs on real loopback sockets: the correct solutions pass every check,
 * each broken one fails with the message that names its mistake.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runLab } from './spanishLab';
import type { LabCheck, LabRun } from '../../src/core/labs/types';
import { makeEngine, portIsFree } from '../unit/helpers';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/labs');
const py = (file: string, ...args: string[]) => ['python3', path.join(fixtures, file), ...args];

function check(run: LabRun, id: string): LabCheck {
  const c = run.checks.find((k) => k.id === id);
  assert.ok(c, `no check ${id} in ${run.checks.map((k) => k.id).join(', ')}`);
  return c;
}

function assertPassed(run: LabRun): void {
  const failed = run.checks.filter((c) => c.status === 'failed');
  assert.deepEqual(
    failed.map((c) => `${c.id}: ${c.message}`),
    [],
    `output:\n${run.output}`,
  );
  assert.equal(run.passed, true);
}

describe('Labs against python3 programs (interop)', function () {
  describe('uppercase clients', () => {
    for (const protocol of ['udp', 'tcp'] as const) {
      it(`${protocol}-uppercase-client: the slides' client, fixed, passes every check (three runs)`, async () => {
        for (let i = 0; i < 3; i++) {
          const run = await runLab({
            lab: `${protocol}-uppercase-client`,
            port: 0,
            program: py(`${protocol}_client.py`, '{port}'),
          });
          assertPassed(run);
          assert.deepEqual(
            run.checks.map((c) => c.id),
            ['sent', 'reply', 'printed', 'closed', 'exited'],
          );
          assert.equal(run.exitCode, 0);
          assert.ok(check(run, 'sent').evidence?.length);
          assert.match(run.output, /HELLO FROM THE SOCKET LAB/);
          assert.ok(await portIsFree(run.port, protocol), 'the lab server port is free again');
        }
      });

      it(`${protocol}-uppercase-client: a client that never reads the reply fails "printed"`, async () => {
        const run = await runLab({
          lab: `${protocol}-uppercase-client`,
          port: 0,
          program: py(`${protocol}_client_no_read.py`, '{port}'),
          input: 'never read\n',
        });
        assert.equal(run.passed, false);
        assert.equal(check(run, 'sent').status, 'passed');
        const printed = check(run, 'printed');
        assert.equal(printed.status, 'failed');
        assert.match(printed.message, /NEVER READ/);
        assert.match(printed.message, /Did it read the reply\?/);
        assert.ok(printed.notes?.length);
      });
    }

    it('udp-uppercase-client: a client sending to the wrong port fails "sent" naming the port', async () => {
      const run = await runLab({
        lab: 'udp-uppercase-client',
        port: 0,
        program: py('udp_client.py', '9'),
        timeoutMs: 8000,
      });
      const sent = check(run, 'sent');
      assert.equal(sent.status, 'failed');
      assert.match(
        sent.message,
        new RegExp(`no datagram came to port ${run.port}|serverPort \\(${run.port}\\)`),
      );
    });
  });

  describe('uppercase servers', () => {
    for (const protocol of ['udp', 'tcp'] as const) {
      it(`${protocol}-uppercase-server: the slides' server, fixed, passes every check (two runs)`, async () => {
        for (let i = 0; i < 2; i++) {
          const run = await runLab({
            lab: `${protocol}-uppercase-server`,
            port: 0,
            program: py(`${protocol}_server.py`, '{port}'),
          });
          assertPassed(run);
          assert.deepEqual(
            run.checks.map((c) => c.id),
            ['bound', 'reply-to-sender', 'uppercase', 'kept-serving'],
          );
          assert.ok(
            await portIsFree(run.port, protocol),
            'the student server was stopped and its port is free',
          );
        }
      });
    }

    it('udp-uppercase-server: replying to a fixed port fails "reply-to-sender" and says to use the address recvfrom returned', async () => {
      const run = await runLab({
        lab: 'udp-uppercase-server',
        port: 0,
        program: py('udp_server_fixed_port.py', '{port}'),
      });
      const c = check(run, 'reply-to-sender');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /no reply came back to that port/);
      assert.match(c.message, /sendto\(modifiedMessage, clientAddress\)/);
    });

    it("udp-uppercase-server: answering everyone at the first client's address names where the reply went", async () => {
      const run = await runLab({
        lab: 'udp-uppercase-server',
        port: 0,
        seed: 4,
        program: py('udp_server_first_client.py', '{port}'),
      });
      const c = check(run, 'reply-to-sender');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /client 2 .* went to client 1 \(port \d+\) instead \(log #\d+\)/);
      assert.equal(c.evidence?.length, 2, 'the datagram sent and the stray reply');
    });

    it('udp-uppercase-server: echoing without upper() fails "uppercase"', async () => {
      const run = await runLab({
        lab: 'udp-uppercase-server',
        port: 0,
        program: py('udp_server_no_upper.py', '{port}'),
      });
      assert.equal(check(run, 'reply-to-sender').status, 'passed');
      const c = check(run, 'uppercase');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /upper\(\)/);
    });

    it('tcp-uppercase-server: a server that exits after one client fails "kept-serving"', async () => {
      const run = await runLab({
        lab: 'tcp-uppercase-server',
        port: 0,
        program: py('tcp_server_one_client.py', '{port}'),
      });
      const c = check(run, 'kept-serving');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /after 1 of 3 clients/);
      assert.match(c.message, /while True/);
    });

    it('tcp-uppercase-server: a program that never binds fails "bound" with what it printed', async () => {
      const run = await runLab({
        lab: 'tcp-uppercase-server',
        port: 0,
        program: ['python3', '-c', 'import sys; print("oops"); sys.exit(3)'],
      });
      const c = check(run, 'bound');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /exited with code 3/);
      assert.match(c.message, /oops/);
    });
  });

  describe('udp-pinger', () => {
    it('a correct pinger passes with 10 pings (seed 7), 3 of them lost', async () => {
      const run = await runLab({
        lab: 'udp-pinger',
        port: 0,
        seed: 7,
        program: py('pinger.py', '{port}', '10'),
      });
      assertPassed(run);
      assert.equal(run.seed, 7);
      assert.equal(check(run, 'timeout').status, 'passed');
      assert.equal(check(run, 'summary').status, 'passed');
      assert.equal((run.output.match(/Request timed out/g) ?? []).length, 3, 'exactly 30 % of 10');
      assert.match(
        check(run, 'timed-out').message,
        /^"Request timed out" for pings \d+, \d+, \d+, and only for them\.$/,
      );
    });

    it('a correct pinger passes 4 pings with several seeds, with the same lost pings for the same seed', async () => {
      const engine = makeEngine();
      try {
        const runs: LabRun[] = [];
        for (const seed of [1, 2, 1]) {
          const run = await runLab(
            {
              lab: 'udp-pinger',
              port: 0,
              seed,
              params: { count: 4 },
              program: py('pinger.py', '{port}', '4'),
            },
            { engine },
          );
          assertPassed(run);
          runs.push(run);
        }
        // Seed 1 twice: the same pings lost, so the same verdicts word for word.
        assert.equal(check(runs[0]!, 'timed-out').message, check(runs[2]!, 'timed-out').message);
        assert.equal(check(runs[0]!, 'timeout').message, check(runs[2]!, 'timeout').message);
        assert.equal(engine.registry.size, 0, 'no socket left in the passed engine');
      } finally {
        await engine.registry.closeAll();
        engine.log.dispose();
      }
    });

    it('a pinger without a timeout fails "timeout" naming settimeout, and is stopped', async () => {
      const run = await runLab({
        lab: 'udp-pinger',
        port: 0,
        seed: 1,
        params: { count: 4, loss: 0.5 },
        timeoutMs: 3000,
        program: py('pinger_no_timeout.py', '{port}', '4'),
      });
      const c = check(run, 'timeout');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /blocks forever/);
      assert.match(c.message, /settimeout\(1\)/);
      assert.ok(c.notes?.some((n) => n.id === 'blocking-and-timeouts'));
      assert.equal(run.exitCode, null);
      assert.equal(check(run, 'exited').status, 'failed');
    });

    it('a pinger with the wrong message format fails "format"', async () => {
      const run = await runLab({
        lab: 'udp-pinger',
        port: 0,
        seed: 1,
        params: { count: 4, loss: 0 },
        program: py('pinger_bad_format.py', '{port}', '4'),
      });
      const c = check(run, 'format');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /"ping:1"/);
      assert.match(c.message, /Ping \{sequence_number\}/);
    });

    it('a pinger printing a wrong loss rate fails "summary"', async () => {
      const run = await runLab({
        lab: 'udp-pinger',
        port: 0,
        seed: 1,
        params: { count: 4, loss: 0.25 },
        program: py('pinger_wrong_summary.py', '{port}', '4'),
      });
      assert.equal(check(run, 'timed-out').status, 'passed');
      const c = check(run, 'summary');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /loss rate printed 0 %, but the server dropped 1 of 4/);
    });
  });
});
