/**
 * The protocol labs (web-server, smtp-client) against real python3 programs on loopback: the correct solutions
 * pass every check, run after run; each broken one fails with the message that names its mistake. And the
 * reference peers on their own: the HTTP client against the correct server, the mail server against the
 * correct client.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { runLab } from './spanishLab';
import type { LabCheck, LabRun } from '../../src/core/labs/types';
import { SmtpServerPeer } from '../../src/core/protocols/smtpServer';
import { readdirSync } from 'node:fs';
import * as os from 'node:os';
import { makeEngine, portIsFree, waitFor } from '../unit/helpers';

function handles(): string {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) {
    if (/Timeout|TCP|Process|Pipe/.test(r)) {
      m.set(r, (m.get(r) ?? 0) + 1);
    }
  }
  return JSON.stringify([...m].sort());
}

const labFolders = () => readdirSync(os.tmpdir()).filter((n) => n.startsWith('web-server-lab-'));

const fixtures = path.resolve(__dirname, '../../../test/fixtures/labs');
const py = (file: string, ...args: string[]) => ['python3', path.join(fixtures, file), ...args];

function check(run: LabRun, id: string): LabCheck {
  const c = run.checks.find((k) => k.id === id);
  assert.ok(c, `no check ${id} in ${run.checks.map((k) => k.id).join(', ')}`);
  return c;
}

function assertPassed(run: LabRun): void {
  assert.deepEqual(
    run.checks.filter((c) => c.status === 'failed').map((c) => `${c.id}: ${c.message}`),
    [],
    `output:\n${run.output}`,
  );
  assert.equal(run.passed, true);
}

describe('Protocol labs against python3 programs (interop)', function () {
  describe('web-server', () => {
    it('the correct WebServer.py passes every check (two runs), in a fresh folder, relative path made absolute', async () => {
      for (let i = 0; i < 2; i++) {
        const run = await runLab({
          lab: 'web-server',
          port: 0,
          cwd: fixtures,
          program: ['python3', 'web_server.py', '{port}'],
        });
        assertPassed(run);
        assert.deepEqual(
          run.checks.map((c) => c.id),
          ['bound', 'get-file', 'not-found', 'split-request', 'kept-serving'],
        );
        assert.match(check(run, 'get-file').message, /"HTTP\/1\.1 200 OK"/);
        assert.ok(await portIsFree(run.port, 'tcp'), 'the port is free again');
      }
    });

    it('the threaded server passes with concurrent: true (two runs)', async () => {
      for (let i = 0; i < 2; i++) {
        const run = await runLab({
          lab: 'web-server',
          port: 0,
          params: { concurrent: true },
          program: py('web_server_threaded.py', '{port}'),
        });
        assertPassed(run);
        assert.equal(check(run, 'concurrent').status, 'passed');
      }
    });

    it('a single-threaded server fails "concurrent" naming threads', async () => {
      const run = await runLab({
        lab: 'web-server',
        port: 0,
        params: { concurrent: true },
        program: py('web_server.py', '{port}'),
      });
      const c = check(run, 'concurrent');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /thread/);
      assert.equal(check(run, 'get-file').status, 'passed');
    });

    it('a server that crashes on a missing file fails "not-found", quoting its traceback, and "kept-serving"', async () => {
      const run = await runLab({ lab: 'web-server', port: 0, program: py('web_server_no_404.py', '{port}') });
      assert.equal(run.passed, false);
      assert.equal(check(run, 'get-file').status, 'passed');
      const nf = check(run, 'not-found');
      assert.equal(nf.status, 'failed');
      assert.match(nf.message, /404 Not Found/);
      assert.match(nf.message, /exited with code 1/);
      assert.match(nf.message, /FileNotFoundError/);
      assert.ok(nf.notes?.some((n) => n.id === 'http-status-codes'));
      assert.equal(check(run, 'kept-serving').status, 'failed');
    });

    it('a server that reads the request with one recv() fails "split-request" naming the blank line (three runs)', async () => {
      for (let i = 0; i < 3; i++) {
        const run = await runLab({
          lab: 'web-server',
          port: 0,
          program: py('web_server_one_recv.py', '{port}'),
        });
        assert.equal(check(run, 'get-file').status, 'passed');
        assert.equal(check(run, 'not-found').status, 'passed');
        const split = check(run, 'split-request');
        assert.equal(split.status, 'failed', split.message);
        assert.match(split.message, /two pieces, "GET \/Hello" then the rest/);
        assert.match(split.message, /404 Not Found/);
        assert.match(split.message, /\\r\\n\\r\\n/);
        assert.ok(split.notes?.some((n) => n.id === 'protocol-framing-over-tcp'));
        assert.equal(check(run, 'kept-serving').status, 'passed');
      }
    });

    it('a program that never listens fails "bound" with what it printed', async () => {
      const run = await runLab({
        lab: 'web-server',
        port: 0,
        program: ['python3', '-c', 'print("no server here")'],
      });
      const b = check(run, 'bound');
      assert.equal(b.status, 'failed');
      assert.match(b.message, /no server here/);
    });
  });

  describe('smtp-client', () => {
    it('the correct client passes every check (two runs); the recorded mail is in the message check', async () => {
      for (let i = 0; i < 2; i++) {
        const run = await runLab({ lab: 'smtp-client', port: 0, program: py('smtp_client.py', '{port}') });
        assertPassed(run);
        assert.deepEqual(
          run.checks.map((c) => c.id),
          [
            'connected',
            'greeting',
            'replies',
            'helo',
            'mail-from',
            'rcpt-to',
            'data',
            'message',
            'quit',
            'crlf',
            'exited',
          ],
        );
        const m = check(run, 'message').message;
        assert.match(m, /MAIL FROM:<alice@example\.com>\s+RCPT TO:<bob@example\.com>/);
        assert.match(m, /I love computer networks!/);
        // Dot-stuffing undone: the recorded line starts with one dot, not two.
        assert.match(m, /\r\n\.a line that starts with a dot/);
        assert.match(m, /C: QUIT/);
        assert.match(run.output, /S: 221/);
        assert.equal(run.exitCode, 0);
        assert.ok(await portIsFree(run.port, 'tcp'));
      }
    });

    it('a client that sends every command at once fails "greeting" and "replies", naming what it did not wait for', async () => {
      const run = await runLab({
        lab: 'smtp-client',
        port: 0,
        program: py('smtp_client_no_wait.py', '{port}'),
      });
      assert.equal(run.passed, false);
      const g = check(run, 'greeting');
      assert.equal(g.status, 'failed');
      assert.match(g.message, /"HELO student\.example" before the server's greeting/);
      assert.match(g.message, /read its "220/);
      const r = check(run, 'replies');
      assert.equal(r.status, 'failed');
      assert.match(
        r.message,
        /"MAIL FROM:<alice@example\.com>" .* before the reply to "HELO student\.example" had ended/,
      );
      assert.equal(check(run, 'crlf').status, 'passed');
    });

    it('a client with one recv() per reply (the skeleton\'s shape) fails "greeting", quoting the half it read (three runs)', async () => {
      for (let i = 0; i < 3; i++) {
        const run = await runLab({
          lab: 'smtp-client',
          port: 0,
          program: py('smtp_client_one_recv.py', '{port}'),
        });
        const g = check(run, 'greeting');
        assert.equal(g.status, 'failed');
        assert.match(
          g.message,
          /before the server's greeting had ended: only "220 [^"]+" of it had been sent/,
        );
        assert.equal(check(run, 'replies').status, 'failed');
      }
    });

    it('a client that ends lines with \\n fails "crlf" naming the bare \\n, and the message end', async () => {
      const run = await runLab({ lab: 'smtp-client', port: 0, program: py('smtp_client_lf.py', '{port}') });
      assert.equal(check(run, 'greeting').status, 'passed');
      assert.equal(check(run, 'replies').status, 'passed');
      const c = check(run, 'crlf');
      assert.equal(c.status, 'failed');
      assert.match(c.message, /"HELO student\.example" \(log #\d+\) ended with a bare \\n, not \\r\\n/);
      assert.ok(c.notes?.some((n) => n.id === 'crlf-line-ends'));
      assert.match(check(run, 'message').message, /bare \\n, "\\n\.\\n"/);
    });
  });

  it('a broken run of each leaves no socket, timer, process or temporary folder behind', async () => {
    // After one turn, so mocha's own timer for this test is already among them.
    await new Promise((r) => setImmediate(r));
    const before = handles();
    const folders = labFolders();
    await runLab({ lab: 'web-server', port: 0, program: py('web_server_no_404.py', '{port}') });
    await runLab({ lab: 'smtp-client', port: 0, program: py('smtp_client_no_wait.py', '{port}') });
    // A closed handle leaves the list a turn or two after its close event; no JS event marks that moment.
    await waitFor(() => handles() === before, 'the handles of the runs to close').catch(() => {
      assert.equal(handles(), before, 'handles left open');
    });
    assert.deepEqual(labFolders(), folders);
  });

  describe('the mail server peer on its own', () => {
    it('records a mail from the correct client, and frees its port on close', async () => {
      const { registry, log } = makeEngine();
      const server = await SmtpServerPeer.start({ registry, log }, { port: 0, greetDelayMs: 0 });
      const mails: string[] = [];
      server.onDidRecordMail((e) => mails.push(e.mail.message));
      const port = server.socket.local.port;
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn('python3', [path.join(fixtures, 'smtp_client.py'), String(port)], {
          stdio: 'ignore',
        });
        child.on('close', resolve);
      });
      assert.equal(code, 0);
      assert.equal(mails.length, 1);
      assert.match(mails[0]!, /^Subject: Hello from my SMTP client\r\n/);
      assert.ok(registry.list().some((s) => s.id === server.socket.id));
      await server.close();
      assert.equal(registry.size, 0);
      assert.ok(await portIsFree(port, 'tcp'));
      registry.dispose();
      log.dispose();
    });
  });
});
