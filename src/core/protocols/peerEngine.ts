/** What a protocol peer runs on: the registry (its sockets show in the tree) and the traffic log it reads. */
import type { Disposable } from '../events';
import type { SocketRegistry } from '../registry';
import type { LogRecord, TrafficLog } from '../traffic/trafficLog';
import type { SocketId } from '../../shared/types';

export type PeerEngine = { registry: SocketRegistry; log: TrafficLog };

/** A socket's log entries from `fromSeq` on, in seq order. */
export function socketEntries(log: TrafficLog, socketId: SocketId, fromSeq: number): LogRecord[] {
  const from = Math.max(fromSeq, log.firstSeq);
  if (from > log.lastSeq) {
    return [];
  }
  return log.slice(from, log.lastSeq).filter((r) => r.socketId === socketId);
}

/**
 * Resolves with the first non-undefined value of `probe`, re-evaluated on every log batch and socket change;
 * with probe()'s last value after `ms`.
 */
export function until<T>(engine: PeerEngine, probe: () => T | undefined, ms: number): Promise<T | undefined> {
  const first = probe();
  if (first !== undefined) {
    return Promise.resolve(first);
  }
  return new Promise((resolve) => {
    const subs: Disposable[] = [];
    const finish = (v: T | undefined) => {
      clearTimeout(timer);
      for (const s of subs) {
        s.dispose();
      }
      resolve(v);
    };
    const check = () => {
      const v = probe();
      if (v !== undefined) {
        finish(v);
      }
    };
    const timer = setTimeout(() => finish(probe()), ms);
    subs.push(engine.log.onDidAppend(check), engine.registry.onDidChange(check));
  });
}
