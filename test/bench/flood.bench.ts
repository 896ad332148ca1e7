/**
 * A 200,000-datagram flood into a playground UDP server with the traffic panel's feed attached (README, Speed:
 * event-loop delay p99 ≤ 50 ms, exact counters). The feed's messages are serialised as postMessage would.
 * Counters are checked against what the kernel says it delivered: datagrams sent = received by the server +
 * dropped by the kernel for a full receive buffer (/proc/net/snmp Udp RcvbufErrors). Writes .bench/flood.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PanelFeed } from '../../src/core/traffic/panelFeed';
import { SocketRegistry } from '../../src/core/registry';
import { TrafficLog } from '../../src/core/traffic/trafficLog';

const DATAGRAMS = Number(process.env.BENCH_FLOOD ?? 200_000);

function udpStats(): { inDatagrams: number; rcvbufErrors: number } {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const keys = lines[0]!.split(/\s+/);
    const vals = lines[1]!.split(/\s+/).map(Number);
    const get = (k: string) => vals[keys.indexOf(k)] ?? 0;
    return { inDatagrams: get('InDatagrams'), rcvbufErrors: get('RcvbufErrors') };
  } catch {
    return { inDatagrams: NaN, rcvbufErrors: NaN };
  }
}

async function main(): Promise<void> {
  const log = new TrafficLog({ maxEntries: 100_000 });
  const reg = new SocketRegistry(log, () => ({
    bindAddress: '127.0.0.1',
    allowRemoteBind: false,
    defaultPort: 0,
  }));
  let postedBytes = 0;
  let posts = 0;
  const feed = new PanelFeed(
    log,
    reg,
    (m) => {
      posts++;
      postedBytes += JSON.stringify(m).length; // what postMessage would serialise
    },
    () => ({ payloadView: 'text', maxEntries: 100_000 }),
  );
  feed.onReady();
  const info = await reg.startUdpServer({ port: 0, behavior: 'sink' });
  const h = monitorEventLoopDelay({ resolution: 1 });
  const before = udpStats();
  h.enable();
  const t0 = performance.now();
  const sent = await new Promise<number>((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [path.join(__dirname, 'loadClient.js'), 'flood', String(info.local.port), '0', String(DATAGRAMS)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', () => {
      try {
        resolve((JSON.parse(out) as { ops: number }).ops);
      } catch {
        reject(new Error(out));
      }
    });
  });
  // Let the last datagrams and the panel's last slices drain.
  let last = -1;
  while (reg.get(info.id)!.messagesIn !== last) {
    last = reg.get(info.id)!.messagesIn;
    await new Promise((r) => setTimeout(r, 300));
  }
  const elapsed = performance.now() - t0;
  h.disable();
  const after = udpStats();
  const s = reg.get(info.id)!;
  const kernelDropped = after.rcvbufErrors - before.rcvbufErrors;
  const exact = s.messagesIn + kernelDropped === sent && s.bytesIn === s.messagesIn * 44;
  const p99 = h.percentile(99) / 1e6;
  const result = {
    datagrams: sent,
    received: s.messagesIn,
    kernelDropped,
    countersExact: exact,
    logEntries: log.lastSeq,
    logHeld: log.size,
    logEvicted: log.evicted,
    panelMessages: posts,
    panelMB: +(postedBytes / 1e6).toFixed(1),
    elapsedMs: Math.round(elapsed),
    eventLoopDelayMs: { p50: h.percentile(50) / 1e6, p99, max: h.max / 1e6 },
    ok: exact && p99 <= 50,
  };
  console.log(
    `UDP flood: ${sent} datagrams sent, ${s.messagesIn} received + ${kernelDropped} dropped by the kernel (counters ${exact ? 'exact' : 'NOT EXACT'}); ` +
      `event-loop delay p50 ${result.eventLoopDelayMs.p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${result.eventLoopDelayMs.max.toFixed(1)} ms (budget p99 ≤ 50 ms) ${result.ok ? 'OK' : 'BELOW BUDGET'}; ` +
      `panel fed ${posts} messages (${result.panelMB} MB)`,
  );
  feed.dispose();
  await reg.closeAll();
  log.dispose();
  const dir = path.resolve(__dirname, '../../../.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'flood.json'),
    JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2),
  );
  if (!result.ok) {
    process.exitCode = 1;
  }
}

void main();
