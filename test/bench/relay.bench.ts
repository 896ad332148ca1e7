/**
 * `node out/test/bench/relay.bench.js`: the relay (logging on, no impairment) against a direct connection to
 * the same server, measured in the same run, alternating, several rounds; prints medians and ratios and writes
 * .bench/relay.json. Three processes, so each has its event loop to itself: the load (loadClient.js), the
 * target server (this file run with `target <udp|tcp|sink>`), and the relay (this process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { asciiUppercase } from '../../src/core/codec';
import { SocketRegistry } from '../../src/core/registry';
import { TrafficLog } from '../../src/core/trafficLog';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION = Number(process.env.BENCH_MS ?? 2000);
const BULK_MB = Number(process.env.BENCH_BULK_MB ?? 256);
const BUDGET = 0.6;

type Result = { ops: number; ms: number; bytes: number };
type TargetKind = 'udp' | 'tcp' | 'sink';

/** Target mode: a raw Node server (uppercase over UDP or TCP, or a TCP sink); prints its port. */
function serveTarget(kind: TargetKind): void {
  if (kind === 'udp') {
    const s = dgram.createSocket('udp4');
    s.on('message', (m, r) => s.send(asciiUppercase(m), r.port, r.address));
    s.bind(0, '127.0.0.1', () => process.stdout.write(`${s.address().port}\n`));
    return;
  }
  const srv = net.createServer({ noDelay: true }, (c) => {
    c.on('data', (d) => {
      if (kind === 'tcp') {
        c.write(asciiUppercase(d));
      }
    });
    c.on('error', () => undefined);
  });
  srv.listen(0, '127.0.0.1', () => process.stdout.write(`${(srv.address() as net.AddressInfo).port}\n`));
}

/** Starts a target server process; resolves with its port and a way to stop it. */
function startTarget(kind: TargetKind): Promise<{ port: number; stop(): Promise<void> }> {
  const p: ChildProcess = spawn(process.execPath, [__filename, 'target', kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        resolve({
          port: Number(m[1]),
          stop: () =>
            new Promise<void>((r) => {
              p.once('close', () => r());
              p.kill('SIGKILL');
            }),
        });
      }
    });
    p.once('error', reject);
  });
}

function load(mode: string, port: number, extra: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [path.join(__dirname, 'loadClient.js'), mode, String(port), String(DURATION), String(extra)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', () => {
      try {
        resolve(JSON.parse(out) as Result);
      } catch {
        reject(new Error(`load client printed ${out}`));
      }
    });
  });
}

/** A relay in this process, logging as the extension does; resolves with its port. */
async function startRelay(
  protocol: 'udp' | 'tcp',
  targetPort: number,
): Promise<{ port: number; log: TrafficLog; close(): Promise<void> }> {
  const log = new TrafficLog({ maxEntries: 100_000 });
  const reg = new SocketRegistry(log, () => ({
    bindAddress: '127.0.0.1',
    allowRemoteBind: false,
    defaultPort: 0,
  }));
  const info = await reg.startRelay({ protocol, targetPort });
  return {
    port: info.local.port,
    log,
    close: async () => {
      await reg.closeAll();
      log.dispose();
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function compare(
  name: string,
  protocol: 'udp' | 'tcp',
  target: TargetKind,
  mode: string,
  extra: number,
  metric: (r: Result) => number,
  unit: string,
) {
  const direct: number[] = [];
  const relayed: number[] = [];
  let entries = 0;
  for (let i = 0; i < ROUNDS; i++) {
    for (const which of i % 2 ? ['relay', 'direct'] : ['direct', 'relay']) {
      const t = await startTarget(target);
      if (which === 'direct') {
        direct.push(metric(await load(mode, t.port, extra)));
      } else {
        const relay = await startRelay(protocol, t.port);
        relayed.push(metric(await load(mode, relay.port, extra)));
        entries = Math.max(entries, relay.log.lastSeq);
        await relay.close();
      }
      await t.stop();
    }
  }
  const ratio = median(relayed) / median(direct);
  console.log(
    `${name.padEnd(34)} direct ${median(direct).toFixed(0).padStart(9)} ${unit}   relay ${median(relayed).toFixed(0).padStart(9)} ${unit}   ratio ${ratio.toFixed(3)}  (budget ≥ ${BUDGET}) ${ratio >= BUDGET ? 'OK' : 'BELOW BUDGET'}`,
  );
  return {
    name,
    unit,
    direct,
    relay: relayed,
    directMedian: median(direct),
    relayMedian: median(relayed),
    ratio,
    budget: BUDGET,
    ok: ratio >= BUDGET,
    logEntriesLastRound: entries,
  };
}

async function main(): Promise<void> {
  console.log(
    `Socket Playground relay benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${ROUNDS} rounds of ${DURATION} ms, medians; relay logging on, no impairment`,
  );
  const results = [];
  results.push(
    await compare(
      'UDP round trips (window 8)',
      'udp',
      'udp',
      'udp',
      8,
      (r) => (r.ops / r.ms) * 1000,
      'rt/s',
    ),
  );
  results.push(
    await compare(
      'TCP round trips (8 conns)',
      'tcp',
      'tcp',
      'tcp',
      8,
      (r) => (r.ops / r.ms) * 1000,
      'rt/s',
    ),
  );
  results.push(
    await compare(
      `TCP bulk throughput (${BULK_MB} MiB)`,
      'tcp',
      'sink',
      'bulk',
      BULK_MB,
      (r) => r.bytes / 1024 / 1024 / (r.ms / 1000),
      'MiB/s',
    ),
  );
  const dir = path.resolve(__dirname, '../../../.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'relay.json'),
    JSON.stringify(
      { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, results },
      null,
      2,
    ),
  );
  if (results.some((r) => !r.ok)) {
    process.exitCode = 1;
  }
}

if (process.argv[2] === 'target') {
  serveTarget((process.argv[3] ?? 'udp') as TargetKind);
} else {
  void main();
}
