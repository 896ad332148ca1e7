/** The labs command line as a process: exit codes, --json, reports, and the same result as the engine. */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLab } from '../../src/core/labs/labEngine';
import type { LabRun } from '../../src/core/labs/types';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist', 'cli.js');
const fixtures = path.join(root, 'test', 'fixtures', 'labs');

function runCli(
  args: string[],
  cwd = root,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What a run decides, without what varies from run to run (ports, times, durations). */
function verdict(run: LabRun) {
  return run.checks.map((c) => ({
    id: c.id,
    status: c.status,
    message: c.message
      .replace(/\d+\.\d+/g, 'N')
      .replace(/\d+ ms/g, 'T')
      .replace(/port \d+/g, 'port P'),
  }));
}

describe('Labs command line (dist/cli.js as a process)', function () {
  let tmp: string;

  before(() => {
    if (!existsSync(cli)) {
      const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
      assert.equal(r.status, 0, 'the build failed');
    }
    tmp = mkdtempSync(path.join(os.tmpdir(), 'labs-cli-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('starts with a shebang, so npx and the bin entry run it', () => {
    assert.match(readFileSync(cli, 'utf8'), /^#!\/usr\/bin\/env node\n/);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(pkg.bin['socket-playground'], 'dist/cli.js');
  });

  it('labs lists the seven built-in labs; --json gives LabInfo[]', async () => {
    const text = await runCli(['labs'], tmp);
    assert.equal(text.code, 0);
    for (const id of [
      'udp-uppercase-client',
      'udp-uppercase-server',
      'tcp-uppercase-client',
      'tcp-uppercase-server',
      'udp-pinger',
      'web-server',
      'smtp-client',
    ]) {
      assert.match(text.stdout, new RegExp(`^${id} `, 'm'));
    }
    const json = await runCli(['labs', '--json'], tmp);
    const labs = JSON.parse(json.stdout) as Array<{ id: string; source: string; defaults: { port: number } }>;
    assert.equal(labs.length, 7);
    assert.ok(labs.every((l) => l.source === 'built-in'));
    assert.deepEqual(
      labs.map((l) => l.defaults.port),
      [12000, 12000, 12000, 12000, 12000, 6789, 2525],
    );
  });

  it('exit 0 and the checks when all pass; exit 1 when one fails', async () => {
    const ok = await runCli([
      'lab',
      'tcp-uppercase-client',
      '--port',
      '0',
      '--',
      'python3',
      path.join(fixtures, 'tcp_client.py'),
      '{port}',
    ]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /✔ Printed the reply/);
    assert.match(ok.stdout, /PASSED: 5 of 5 checks passed/);
    const bad = await runCli([
      'lab',
      'tcp-uppercase-client',
      '--port',
      '0',
      '--',
      'python3',
      path.join(fixtures, 'tcp_client_no_read.py'),
      '{port}',
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /✘ Printed the reply/);
    assert.match(bad.stdout, /Did it read the reply\?/);
  });

  it('web-server and smtp-client as a process: exit 0 for the correct programs, 1 for the broken ones', async () => {
    const web = (file: string) =>
      runCli(['lab', 'web-server', '--port', '0', '--', 'python3', path.join(fixtures, file), '{port}'], tmp);
    const okWeb = await web('web_server.py');
    assert.equal(okWeb.code, 0, okWeb.stdout + okWeb.stderr);
    assert.match(okWeb.stdout, /PASSED: 5 of 5 checks passed/);
    const badWeb = await web('web_server_no_404.py');
    assert.equal(badWeb.code, 1);
    assert.match(badWeb.stdout, /✘ GET \/NoSuchFile-\d+\.html gets 404 Not Found/);
    const smtp = (file: string) =>
      runCli(
        ['lab', 'smtp-client', '--port', '0', '--', 'python3', path.join(fixtures, file), '{port}'],
        tmp,
      );
    const okSmtp = await smtp('smtp_client.py');
    assert.equal(okSmtp.code, 0, okSmtp.stdout + okSmtp.stderr);
    const badSmtp = await smtp('smtp_client_lf.py');
    assert.equal(badSmtp.code, 1);
    assert.match(badSmtp.stdout, /✘ Every line ended with \\r\\n/);
    assert.match(badSmtp.stdout, /ended with a bare \\n/);
  });

  it('exit 2 for bad usage, with the usage', async () => {
    for (const args of [
      [],
      ['lab'],
      ['lab', 'udp-pinger'],
      ['lab', 'no-such-lab', '--', 'python3', 'x.py'],
      ['lab', 'udp-pinger', '--port', 'twelve', '--', 'python3', 'x.py'],
      ['lab', 'udp-pinger', '--param', 'loss=2', '--', 'python3', 'x.py'],
      ['lab', 'udp-pinger', '--frobnicate', '--', 'python3', 'x.py'],
      ['frob'],
    ]) {
      const r = await runCli(args, tmp);
      if (args.length === 0) {
        assert.equal(r.code, 0, 'no arguments prints the usage');
        assert.match(r.stdout, /Usage:/);
        continue;
      }
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /socket-playground: /);
    }
  });

  it('--json prints the LabRun; the same seed gives the same verdict as the engine', async () => {
    const program = ['python3', path.join(fixtures, 'pinger.py'), '{port}', '4'];
    const r = await runCli([
      'lab',
      'udp-pinger',
      '--port',
      '0',
      '--seed',
      '5',
      '--param',
      'count=4',
      '--json',
      '--',
      ...program,
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const fromCli = JSON.parse(r.stdout) as LabRun;
    assert.equal(fromCli.lab, 'udp-pinger');
    assert.equal(fromCli.seed, 5);
    assert.equal(fromCli.exitCode, 0);
    assert.equal(typeof fromCli.durationMs, 'number');
    assert.match(fromCli.output, /Request timed out/);
    const fromEngine = await runLab({ lab: 'udp-pinger', port: 0, seed: 5, params: { count: 4 }, program });
    assert.deepEqual(verdict(fromCli), verdict(fromEngine));
  });

  it('--report writes Markdown and JSON beside it; lab files from --labs are listed and run', async () => {
    const labFile = path.join(tmp, 'quiet.lab.json');
    writeFileSync(
      labFile,
      JSON.stringify({
        id: 'quiet-client',
        extends: 'udp-uppercase-client',
        title: 'Quiet client',
        params: { sentence: 'quiet please' },
        checks: [
          {
            id: 'prompt',
            pattern: '^Input lowercase sentence:',
            flags: 'm',
            message: 'Print the prompt first.',
          },
        ],
      }),
    );
    const list = await runCli(['labs', '--labs', tmp], tmp);
    assert.match(list.stdout, /^quiet-client .*Quiet client/m);
    const report = path.join(tmp, 'out', 'report.md');
    const r = await runCli([
      'lab',
      'quiet-client',
      '--labs',
      tmp,
      '--port',
      '0',
      '--report',
      report,
      '--',
      'python3',
      path.join(fixtures, 'udp_client.py'),
      '{port}',
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✔ Output matches|✔ prompt|Sent the sentence/);
    const md = readFileSync(report, 'utf8');
    assert.match(md, /# Lab report: Quiet client \(`quiet-client`\)/);
    assert.match(md, /QUIET PLEASE/);
    const json = JSON.parse(readFileSync(path.join(tmp, 'out', 'report.json'), 'utf8'));
    assert.equal(json.lab, 'quiet-client');
    assert.equal(json.passed, true);
    assert.ok(json.evidence.length > 0);
    assert.ok(json.checks.some((c: { id: string }) => c.id === 'prompt'));
  });
});
