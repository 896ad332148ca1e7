/**
 * `npm run bench`: the playground's servers (logging on) against raw Node servers doing the same work, measured
 * in the same run, in pairs: each round runs raw Node and the playground back to back (the order alternating),
 * and the ratio is the median of the rounds' own ratios. On a shared machine the speed of both drifts by ±10 %
 * within a minute; a pair measured seconds apart shares the drift, so its ratio does not. The ratio of the two
 * medians is printed beside it. Writes .bench/engine.json. Load comes from a separate process (loadClient.js).
 */
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { asciiUppercase } from '../../src/core/sockets/codec';
import { SocketRegistry } from '../../src/core/registry';
import { TrafficLog } from '../../src/core/traffic/trafficLog';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const DURATION = Number(process.env.BENCH_MS ?? 1200);
const BULK_MB = Number(process.env.BENCH_BULK_MB ?? 256);
/** BENCH_ONLY=udp,tcp,bulk runs only those lines. */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const wanted = (name: string) => ONLY.length === 0 || ONLY.includes(name);

type Result = { ops: number; ms: number; bytes: number };

function load(mode: string, port: number, extra: number, durationMs = DURATION): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [path.join(__dirname, 'loadClient.js'), mode, String(port), String(durationMs), String(extra)],
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

type Server = { port: number; close(): Promise<void>; check?(): void };

async function rawUdp(): Promise<Server> {
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => s.send(asciiUppercase(m), r.port, r.address));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return { port: s.address().port, close: () => new Promise((r) => s.close(() => r())) };
}

async function rawTcp(sink: boolean): Promise<Server> {
  const conns = new Set<net.Socket>();
  const srv = net.createServer({ noDelay: true }, (c) => {
    conns.add(c);
    c.on('close', () => conns.delete(c));
    c.on('data', (d) => {
      if (!sink) {
        c.write(asciiUppercase(d));
      }
    });
    c.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () =>
      new Promise((r) => {
        conns.forEach((c) => c.destroy());
        srv.close(() => r());
      }),
  };
}

async function playground(kind: 'udp' | 'tcp' | 'sink'): Promise<Server & { log: TrafficLog }> {
  const log = new TrafficLog({ maxEntries: 100_000 });
  const reg = new SocketRegistry(log, () => ({
    bindAddress: '127.0.0.1',
    allowRemoteBind: false,
    defaultPort: 0,
  }));
  const info =
    kind === 'udp'
      ? await reg.startUdpServer({ port: 0 })
      : await reg.startTcpServer({ port: 0, behavior: kind === 'sink' ? 'sink' : 'uppercase' });
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
  makeRaw: () => Promise<Server>,
  makePg: () => Promise<Server & { log: TrafficLog }>,
  mode: string,
  extra: number,
  metric: (r: Result) => number,
  unit: string,
  budget: number,
  work: (r: Result) => number,
  workUnit: string,
) {
  const raw: number[] = [];
  const pg: number[] = [];
  const pairs: number[] = [];
  // The server's own CPU time per unit of work (the load runs in another process): on a shared machine the
  // rates swing with what else runs, the CPU a server spends per round trip or MiB much less.
  const rawCpu: number[] = [];
  const pgCpu: number[] = [];
  // One short round of each first, not counted: the first playground round would otherwise also pay for what
  // happens once per process (the course notes read on the first datagram, the code compiled by the JIT).
  for (const make of [makeRaw, makePg]) {
    const server = await make();
    await load(mode, server.port, mode === 'bulk' ? Math.min(extra, 16) : extra, Math.min(DURATION, 500));
    await server.close();
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const which of i % 2 ? ['pg', 'raw'] : ['raw', 'pg']) {
      const server = which === 'raw' ? await makeRaw() : await makePg();
      const cpu = process.cpuUsage();
      const r = await load(mode, server.port, extra);
      const used = process.cpuUsage(cpu);
      await server.close();
      (which === 'raw' ? raw : pg).push(metric(r));
      (which === 'raw' ? rawCpu : pgCpu).push((used.user + used.system) / Math.max(1, work(r)));
    }
    pairs.push(pg[pg.length - 1]! / raw[raw.length - 1]!);
  }
  const ratio = median(pairs);
  const ratioOfMedians = median(pg) / median(raw);
  const cpuRatio = median(rawCpu) / median(pgCpu);
  const line = `${name.padEnd(34)} raw ${median(raw).toFixed(0).padStart(9)} ${unit}   playground ${median(pg).toFixed(0).padStart(9)} ${unit}   ratio ${ratio.toFixed(3)}  (budget ≥ ${budget}) ${ratio >= budget ? 'OK' : 'BELOW BUDGET'}`;
  console.log(line);
  console.log(
    `${''.padEnd(34)} ${pairs.length} pairs: ${[...pairs]
      .sort((a, b) => a - b)
      .map((x) => x.toFixed(2))
      .join(' ')}; ratio of the medians ${ratioOfMedians.toFixed(3)}`,
  );
  console.log(
    `${''.padEnd(34)} server CPU: raw ${median(rawCpu).toFixed(1)} µs/${workUnit}, playground ${median(pgCpu).toFixed(1)} µs/${workUnit}, raw/playground ${cpuRatio.toFixed(3)}`,
  );
  return {
    rawCpuUsPerUnit: rawCpu,
    playgroundCpuUsPerUnit: pgCpu,
    cpuRatio,
    name,
    unit,
    raw,
    playground: pg,
    rawMedian: median(raw),
    playgroundMedian: median(pg),
    ratio,
    pairRatios: pairs,
    ratioOfMedians,
    budget,
    ok: ratio >= budget,
  };
}

async function main(): Promise<void> {
  console.log(
    `Socket Playground engine benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${ROUNDS} rounds of ${DURATION} ms, medians`,
  );
  const results = [];
  if (wanted('udp')) {
    results.push(
      await compare(
        'UDP request/response (window 8)',
        rawUdp,
        () => playground('udp'),
        'udp',
        8,
        (r) => (r.ops / r.ms) * 1000,
        'rt/s',
        0.8,
        (r) => r.ops,
        'rt',
      ),
    );
  }
  if (wanted('tcp')) {
    results.push(
      await compare(
        'TCP request/response (8 conns)',
        () => rawTcp(false),
        () => playground('tcp'),
        'tcp',
        8,
        (r) => (r.ops / r.ms) * 1000,
        'rt/s',
        0.8,
        (r) => r.ops,
        'rt',
      ),
    );
  }
  if (wanted('bulk')) {
    results.push(
      await compare(
        `TCP bulk into sink (${BULK_MB} MiB)`,
        () => rawTcp(true),
        () => playground('sink'),
        'bulk',
        BULK_MB,
        (r) => r.bytes / 1024 / 1024 / (r.ms / 1000),
        'MiB/s',
        0.7,
        (r) => r.bytes / 1024 / 1024,
        'MiB',
      ),
    );
  }
  const dir = path.resolve(__dirname, '../../../.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'engine.json'),
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

void main();
