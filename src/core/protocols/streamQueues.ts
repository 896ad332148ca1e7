/**
 * Has the other program read what we sent? Linux shows, for every TCP socket in /proc/net/tcp{,6}, the bytes
 * sent but not yet acknowledged (tx_queue) and the bytes received but not yet read by the program (rx_queue).
 * The protocol peers use it to send a request or a reply in two pieces that really arrive apart: the second
 * piece goes only once the program has read the first, so a program that reads once and stops is caught every
 * time, not only when the scheduler happens to let it. Where /proc is missing it returns at once (the pieces
 * then go one after the other, which is still two segments).
 */
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { parseProcAddress } from '../os/procNet';
import type { Endpoint } from '../../shared/types';

/** A dual-stack server's side of an IPv4 connection is listed as ::ffff:127.0.0.1: one spelling for both. */
const plain = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
const key = (a: Endpoint, b: Endpoint) => `${plain(a.address)}:${a.port}>${plain(b.address)}:${b.port}`;

/** The tx and rx queues of each TCP socket, keyed `local>remote` (addresses as procNet writes them). */
export function parseTcpQueues(
  text: string,
  order: 'LE' | 'BE' = 'LE',
): Map<string, { tx: number; rx: number }> {
  const out = new Map<string, { tx: number; rx: number }>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5 || !/^\d+:$/.test(f[0]!)) {
      continue;
    }
    const local = parseProcAddress(f[1]!, order);
    const remote = parseProcAddress(f[2]!, order);
    const q = /^([0-9A-Fa-f]+):([0-9A-Fa-f]+)$/.exec(f[4]!);
    if (local && remote && q) {
      out.set(key(local, remote), {
        tx: parseInt(q[1]!, 16),
        rx: parseInt(q[2]!, 16),
      });
    }
  }
  return out;
}

async function queues(): Promise<Map<string, { tx: number; rx: number }> | undefined> {
  const texts = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'latin1').catch(() => undefined)),
  );
  if (texts.every((t) => t === undefined)) {
    return undefined;
  }
  const order = endianness();
  const all = new Map<string, { tx: number; rx: number }>();
  for (const t of texts) {
    for (const [k, v] of parseTcpQueues(t ?? '', order)) {
      all.set(k, v);
    }
  }
  return all;
}

/**
 * Resolves once the bytes our socket (`local`, connected to `remote`) sent were acknowledged and the program at
 * `remote` has read them all, or the connection is gone, or after `maxMs`. Polled: the kernel sends no event.
 */
export async function untilPeerRead(
  local: Endpoint,
  remote: Endpoint,
  maxMs: number,
  stopped: () => boolean = () => false,
): Promise<'read' | 'gone' | 'timeout' | 'unknown'> {
  const until = Date.now() + maxMs;
  for (let pollMs = 1; ; pollMs = Math.min(pollMs * 2, 20)) {
    const q = await queues();
    if (!q) {
      return 'unknown';
    }
    const mine = q.get(key(local, remote));
    const theirs = q.get(key(remote, local));
    if (!mine || !theirs || stopped()) {
      return 'gone';
    }
    if (mine.tx === 0 && theirs.rx === 0) {
      return 'read';
    }
    if (Date.now() >= until) {
      return 'timeout';
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
