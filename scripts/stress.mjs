// `npm run stress`: the full load and fault suite (SP_STRESS=1: 1,000 concurrent TCP clients, a 200,000-datagram
// flood, misbehaving peers), the flood benchmark with the panel feed attached, and a 200,000-datagram flood in
// the real extension host with the traffic panel open. Bounded, loopback only.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, SP_STRESS: '1', SP_FLOOD_DATAGRAMS: '200000' };
const steps = [
  ['npx', ['tsc', '-p', 'test/tsconfig.json']],
  ['npx', ['mocha', '--no-config', '--ui', 'bdd', '--timeout', '300000', 'out/test/interop/load.test.js']],
  ['node', ['out/test/bench/flood.bench.js']],
  // The same flood in the real extension host with the traffic panel open (needs the host: npm test installs it).
  ['node', ['scripts/test.mjs', '--only', 'integration', '--grep', 'Flood with the traffic panel open']],
];
for (const [cmd, args] of steps) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
}
