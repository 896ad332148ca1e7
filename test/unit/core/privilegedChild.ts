// Run as an unprivileged user by badInput.test.ts: tries to start a server on port 80 and prints the outcome.
import { readFileSync } from 'node:fs';
import { PlaygroundError } from '../../../src/core/errors';
import { makeEngine } from '../helpers';

async function main(): Promise<void> {
  const engine = makeEngine();
  let unprivilegedStart = 1024;
  try {
    unprivilegedStart = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());
  } catch {
    // not Linux
  }
  try {
    await engine.registry.startTcpServer({ port: 80 });
    process.stdout.write(JSON.stringify({ bound: true, unprivilegedStart }) + '\n');
  } catch (e) {
    const err = e as PlaygroundError;
    process.stdout.write(JSON.stringify({ code: err.code, message: err.message, noteId: err.noteId }) + '\n');
  }
  await engine.registry.closeAll();
  engine.log.dispose();
}
void main();
