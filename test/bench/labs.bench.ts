/**
 * `node out/test/bench/labs.bench.js`: what a lab costs an autograder. For the uppercase client labs, the
 * student's program (the fixture python3 clients) alone against a plain Node uppercase server, and the same
 * program under the lab (runLab, wall clock), alternating, medians: the difference is what the lab adds
 * (budget < 500 ms). For the server labs the lab's whole run is reported beside the program's own start-up.
 * And the command line's start-up without VS Code: from spawning `node dist/cli.js lab …` to the moment the
 * student's program starts, less what the program itself takes to boot (budget < 300 ms). Writes .bench/labs.json.
 */
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { asciiUppercase } from '../../src/core/sockets/codec';
import { runLab } from '../../src/core/labs/labEngine';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test', 'fixtures', 'labs');
const cli = path.join(root, 'dist', 'cli.js');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a program to its end; resolves with its wall time and stdout. */
function timeProgram(
  argv: string[],
  input?: string,
): Promise<{ ms: number; stdout: string; startedAt: number }> {
  const startedAt = Date.now();
  const t = performance.now();
  const p = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  p.stdin.on('error', () => undefined); // a program may exit without reading its input
  p.stdin.end(input ?? '');
  return new Promise((resolve, reject) => {
    p.on('error', reject);
    p.on('close', () => resolve({ ms: performance.now() - t, stdout, startedAt }));
  });
}

/** A plain Node uppercase server (UDP or TCP), the baseline's peer. */
async function rawServer(protocol: 'udp' | 'tcp'): Promise<{ port: number; close(): Promise<void> }> {
  if (protocol === 'udp') {
    const s = dgram.createSocket('udp4');
    s.on('message', (m, r) => s.send(asciiUppercase(m), r.port, r.address));
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    return { port: s.address().port, close: () => new Promise((r) => s.close(() => r())) };
  }
  const srv = net.createServer((c) => {
    c.on('data', (d) => c.write(asciiUppercase(d)));
    c.on('end', () => c.end());
    c.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () => new Promise((r) => srv.close(() => r())),
  };
}

type Figure = { name: string; value: number; unit: string; budget?: number; ok?: boolean; detail: string };

async function clientLab(protocol: 'udp' | 'tcp'): Promise<Figure> {
  const file = path.join(fixtures, `${protocol}_client.py`);
  const alone: number[] = [];
  const lab: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const server = await rawServer(protocol);
    alone.push((await timeProgram(['python3', file, String(server.port)], 'hello from the socket lab\n')).ms);
    await server.close();
    const t = performance.now();
    const run = await runLab({
      lab: `${protocol}-uppercase-client`,
      port: 0,
      program: ['python3', file, '{port}'],
    });
    lab.push(performance.now() - t);
    if (!run.passed) {
      throw new Error(`the correct ${protocol} client failed its lab: ${JSON.stringify(run.checks)}`);
    }
  }
  const added = median(lab) - median(alone);
  return {
    name: `${protocol}-uppercase-client: added to the program's own run`,
    value: added,
    unit: 'ms',
    budget: 500,
    ok: added < 500,
    detail: `program alone ${median(alone).toFixed(0)} ms, under the lab ${median(lab).toFixed(0)} ms (medians of ${ROUNDS})`,
  };
}

async function serverLab(protocol: 'udp' | 'tcp'): Promise<Figure> {
  const file = path.join(fixtures, `${protocol}_server.py`);
  const boot: number[] = [];
  const lab: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    boot.push((await timeProgram(['python3', '-c', 'import socket'])).ms);
    const t = performance.now();
    const run = await runLab({
      lab: `${protocol}-uppercase-server`,
      port: 0,
      program: ['python3', file, '{port}'],
    });
    lab.push(performance.now() - t);
    if (!run.passed) {
      throw new Error(`the correct ${protocol} server failed its lab: ${JSON.stringify(run.checks)}`);
    }
  }
  const added = median(lab) - median(boot);
  return {
    name: `${protocol}-uppercase-server: the lab's run beyond python3's start-up`,
    value: added,
    unit: 'ms',
    budget: 500,
    ok: added < 500,
    detail: `python3 start-up ${median(boot).toFixed(0)} ms, the whole lab (bind wait, 3 clients, stop) ${median(lab).toFixed(0)} ms`,
  };
}

/**
 * From spawning the CLI to its first check starting: the "student's program" is date(1), which prints the
 * time it started within a millisecond or two of its spawn. Node's own boot (`node -e 0`) is reported beside
 * it: it is part of the CLI's start-up, and on a loaded machine most of it.
 */
async function cliStartup(): Promise<Figure> {
  const stamp = ['date', '+T%s%3N'];
  const boot: number[] = [];
  const nodeBoot: number[] = [];
  const cliMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const b = await timeProgram(stamp);
    boot.push(Number(/T(\d+)/.exec(b.stdout)![1]) - b.startedAt);
    nodeBoot.push((await timeProgram([process.execPath, '-e', '0'])).ms);
    const r = await timeProgram([
      process.execPath,
      cli,
      'lab',
      'udp-uppercase-client',
      '--port',
      '0',
      '--json',
      '--',
      ...stamp,
    ]);
    const run = JSON.parse(r.stdout) as { output: string };
    cliMs.push(Number(/T(\d+)/.exec(run.output)![1]) - r.startedAt);
  }
  const value = median(cliMs) - median(boot);
  return {
    name: 'CLI start-up to the first check',
    value,
    unit: 'ms',
    budget: 300,
    ok: value < 300,
    detail: `spawn to the program's first line ${median(cliMs)} ms, less date's own start ${median(boot)} ms; of it node's own boot (node -e 0, to exit) ${median(nodeBoot).toFixed(0)} ms, so the CLI itself ${(value - median(nodeBoot)).toFixed(0)} ms (medians of ${ROUNDS})`,
  };
}

async function main(): Promise<void> {
  if (!existsSync(cli)) {
    throw new Error('dist/cli.js is missing: run node esbuild.mjs first.');
  }
  const figures: Figure[] = [];
  for (const f of [
    () => clientLab('udp'),
    () => clientLab('tcp'),
    () => serverLab('udp'),
    () => serverLab('tcp'),
    cliStartup,
  ]) {
    const fig = await f();
    figures.push(fig);
    console.log(
      `Labs: ${fig.name}: ${fig.value.toFixed(0)} ${fig.unit}${fig.budget ? ` (budget < ${fig.budget} ${fig.unit}) ${fig.ok ? 'OK' : 'OVER BUDGET'}` : ''}; ${fig.detail}`,
    );
  }
  const dir = path.join(root, '.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'labs.json'),
    JSON.stringify(
      { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, figures },
      null,
      2,
    ),
  );
  if (figures.some((f) => f.ok === false)) {
    process.exitCode = 1;
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
