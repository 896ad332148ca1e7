/**
 * Impairment: what a lossy, slow, jittery network would do to each datagram or chunk (docs/contract.md, `impairment`).
 * Pure and seeded: the decisions for a given seed are the same on every run, so a lecture demo or a test
 * replays exactly. No sockets here; timers are injectable so the schedulers are testable on a fake clock.
 *
 * Each effect draws from its own random stream (derived from the seed), so turning on jitter does not change
 * which datagrams are dropped, and loss alone draws exactly `seededRandom(seed)` once per datagram, as the
 * pinger-lab server always did.
 */
import { seededRandom } from './behavior';
import type { Disposable } from '../events';
import type { Impairment } from '../../shared/types';
import { englishText, joinText, text, type Text } from '../../shared/l10n';

export type ImpairmentEvent = 'drop' | 'delay' | 'duplicate' | 'reorder';

/** What happens to one datagram or chunk. */
export type ImpairmentDecision = {
  drop: boolean;
  /** How long to hold it before forwarding: delayMs ± jitterMs, never negative, whole milliseconds. */
  delayMs: number;
  duplicate: boolean;
  /** Hold it back so that a later one overtakes it. */
  reorder: boolean;
};

/** A finaliser from MurmurHash3 (fmix32): spreads nearby seeds far apart, so derived streams do not overlap. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seed for stream `salt` of `seed`; salt 0 is the seed itself. */
export function deriveSeed(seed: number, salt: number): number {
  return salt === 0 ? seed >>> 0 : fmix32((seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
}

/** A seed for when the user gave none: different on every start. */
export function randomSeed(): number {
  return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) >>> 0;
}

/** True when the impairment changes anything (a seed alone does not). */
export function isActive(config: Impairment | undefined): boolean {
  return (
    !!config &&
    ((config.loss ?? 0) > 0 ||
      (config.delayMs ?? 0) > 0 ||
      (config.jitterMs ?? 0) > 0 ||
      (config.reorder ?? 0) > 0 ||
      (config.duplicate ?? 0) > 0)
  );
}

/** Salts of the per-effect streams. */
const LOSS = 0;
const DELAY = 1;
const DUPLICATE = 2;
const REORDER = 3;

/** The seeded decision maker: one `decide()` per datagram or chunk, in arrival order. */
export class ImpairmentModel {
  readonly seed: number;
  private readonly loss: number;
  private readonly delay: number;
  private readonly jitter: number;
  private readonly duplicate: number;
  private readonly reorder: number;
  private readonly lossRandom: () => number;
  private readonly delayRandom: () => number;
  private readonly duplicateRandom: () => number;
  private readonly reorderRandom: () => number;

  constructor(config: Impairment, seed = config.seed ?? randomSeed()) {
    this.seed = seed >>> 0;
    this.loss = config.loss ?? 0;
    this.delay = config.delayMs ?? 0;
    this.jitter = config.jitterMs ?? 0;
    this.duplicate = config.duplicate ?? 0;
    this.reorder = config.reorder ?? 0;
    this.lossRandom = seededRandom(deriveSeed(this.seed, LOSS));
    this.delayRandom = seededRandom(deriveSeed(this.seed, DELAY));
    this.duplicateRandom = seededRandom(deriveSeed(this.seed, DUPLICATE));
    this.reorderRandom = seededRandom(deriveSeed(this.seed, REORDER));
  }

  /** True when this model can only ever say "forward at once": callers then skip it on the hot path. */
  get isIdentity(): boolean {
    return !this.loss && !this.delay && !this.jitter && !this.duplicate && !this.reorder;
  }

  /** The fate of the next datagram or chunk. A dropped one draws nothing from the other streams. */
  decide(): ImpairmentDecision {
    // A stream is drawn only when its rate is set, so the loss stream stays exactly seededRandom(seed).
    if (this.loss > 0 && this.lossRandom() < this.loss) {
      return { drop: true, delayMs: 0, duplicate: false, reorder: false };
    }
    let delayMs = this.delay;
    if (this.jitter > 0) {
      delayMs += (this.delayRandom() * 2 - 1) * this.jitter;
    }
    return {
      drop: false,
      delayMs: Math.max(0, Math.round(delayMs)),
      duplicate: this.duplicate > 0 && this.duplicateRandom() < this.duplicate,
      reorder: this.reorder > 0 && this.reorderRandom() < this.reorder,
    };
  }
}

/** setTimeout/clearTimeout, injectable for tests. */
export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Told about every drop, delay, duplicate and reorder, as it is decided (the caller logs it). `reason` is set
 * for a drop that the link's bounded queue forced (not the seeded loss).
 */
export type ImpairmentReport<T> = (event: ImpairmentEvent, item: T, delayMs: number, reason?: string) => void;

export type ImpairmentStats = {
  dropped: number;
  delayed: number;
  duplicated: number;
  reordered: number;
  /** Of `dropped`: the datagrams the full queue turned away. */
  overflowed: number;
};

/** Fresh zero counters. */
export function emptyStats(): ImpairmentStats {
  return { dropped: 0, delayed: 0, duplicated: 0, reordered: 0, overflowed: 0 };
}

/**
 * How long a datagram picked for reordering waits for a later one to overtake it. If none comes (a client
 * that waits for each reply sends nothing more), it goes out anyway after this long.
 */
export const REORDER_HOLD_MS = 100;

/**
 * The bounds of a link's queue (held and delayed datagrams). A router's queue is bounded too: what does not
 * fit is dropped. 30 s of delay on a 2,000/s flood of 32 KiB datagrams would otherwise hold 2 GB.
 */
export const MAX_QUEUED_DATAGRAMS = 4096;
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

type Delayed<T> = { item: T; due: number; order: number; twice: boolean; size: number };

/**
 * A one-way datagram link (UDP): drops, delays (each datagram due at its own time, so jitter can reorder by
 * itself, as on a real network), duplicates, and holds datagrams back so later ones overtake them. The delayed
 * datagrams wait in one queue ordered by due time, with one timer for the earliest; the queue is bounded in
 * datagrams and bytes, and what overflows is dropped and reported with the reason.
 */
export class DatagramLink<T> implements Disposable {
  readonly stats: ImpairmentStats = emptyStats();
  private held: Array<{ item: T; d: ImpairmentDecision }> = [];
  private holdTimer: unknown;
  /** A binary min-heap on (due, order). */
  private readonly heap: Array<Delayed<T>> = [];
  private timer: unknown;
  private timerDue = Infinity;
  private order = 0;
  private queuedBytes = 0;
  private disposed = false;
  private readonly holdMs: number;
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly sizeOf: (item: T) => number;
  private readonly maxDatagrams: number;
  private readonly maxBytes: number;

  constructor(
    readonly model: ImpairmentModel,
    private readonly deliver: (item: T) => void,
    private readonly report: ImpairmentReport<T>,
    options: {
      holdMs?: number;
      timers?: Timers;
      now?: () => number;
      sizeOf?: (item: T) => number;
      maxDatagrams?: number;
      maxBytes?: number;
    } = {},
  ) {
    this.holdMs = options.holdMs ?? REORDER_HOLD_MS;
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? (() => performance.now());
    this.sizeOf = options.sizeOf ?? ((item) => (item as { length?: number }).length ?? 0);
    this.maxDatagrams = options.maxDatagrams ?? MAX_QUEUED_DATAGRAMS;
    this.maxBytes = options.maxBytes ?? MAX_QUEUED_BYTES;
  }

  /** Datagrams decided but not yet delivered (held for reordering or waiting out their delay). */
  get pending(): number {
    return this.held.length + this.heap.length;
  }

  /** Bytes decided but not yet delivered. */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** One datagram into the link. Delivery may be now, later, twice, or never. */
  push(item: T): void {
    if (this.disposed) {
      return;
    }
    const d = this.model.decide();
    if (d.drop) {
      this.stats.dropped++;
      this.report('drop', item, 0);
      return;
    }
    if ((d.reorder || d.delayMs > 0) && !this.fits(item)) {
      return;
    }
    if (d.duplicate) {
      this.stats.duplicated++;
      this.report('duplicate', item, d.delayMs);
    }
    if (d.reorder) {
      // Held until the next datagram that is not held itself has gone out first.
      this.stats.reordered++;
      this.report('reorder', item, d.delayMs);
      this.held.push({ item, d });
      this.queuedBytes += this.sizeOf(item);
      this.holdTimer ??= this.timers.setTimeout(() => {
        this.holdTimer = undefined;
        this.releaseHeld();
      }, this.holdMs);
      return;
    }
    this.emit(item, d, false);
    this.releaseHeld();
  }

  /** Room for one more in the queue? If not, the datagram is dropped and the reason reported. */
  private fits(item: T): boolean {
    const size = this.sizeOf(item);
    if (this.pending < this.maxDatagrams && this.queuedBytes + size <= this.maxBytes) {
      return true;
    }
    this.stats.dropped++;
    this.stats.overflowed++;
    this.report(
      'drop',
      item,
      0,
      `the link's queue is full (${this.pending} datagrams, ${this.queuedBytes} bytes held; at most ` +
        `${this.maxDatagrams} datagrams and ${this.maxBytes} bytes): dropped, as a router drops when its queue overflows`,
    );
    return false;
  }

  private releaseHeld(): void {
    if (this.holdTimer !== undefined) {
      this.timers.clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
    }
    const held = this.held;
    this.held = [];
    for (const h of held) {
      this.queuedBytes -= this.sizeOf(h.item);
      this.emit(h.item, h.d, true);
    }
  }

  private emit(item: T, d: ImpairmentDecision, wasHeld: boolean): void {
    if (d.delayMs <= 0) {
      this.deliverOnce(item, d.duplicate);
      return;
    }
    if (wasHeld && !this.fits(item)) {
      return;
    }
    this.stats.delayed++;
    this.report('delay', item, d.delayMs);
    const size = this.sizeOf(item);
    this.queuedBytes += size;
    this.heapPush({ item, due: this.now() + d.delayMs, order: this.order++, twice: d.duplicate, size });
    this.arm();
  }

  /** One timer, for the earliest due datagram. */
  private arm(): void {
    const first = this.heap[0];
    if (!first || first.due >= this.timerDue) {
      return;
    }
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
    }
    this.timerDue = first.due;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = undefined;
        this.timerDue = Infinity;
        this.releaseDue();
      },
      Math.max(0, Math.ceil(first.due - this.now())),
    );
  }

  private releaseDue(): void {
    // Timers may fire a fraction of a millisecond before the clock reads the due time.
    const now = this.now() + 0.5;
    while (!this.disposed && this.heap.length > 0 && this.heap[0]!.due <= now) {
      const next = this.heapPop()!;
      this.queuedBytes -= next.size;
      this.deliverOnce(next.item, next.twice);
    }
    if (!this.disposed) {
      this.arm();
    }
  }

  private deliverOnce(item: T, twice: boolean): void {
    if (this.disposed) {
      return;
    }
    this.deliver(item);
    if (twice) {
      this.deliver(item);
    }
  }

  private static before<T>(a: Delayed<T>, b: Delayed<T>): boolean {
    return a.due < b.due || (a.due === b.due && a.order < b.order);
  }

  private heapPush(x: Delayed<T>): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!DatagramLink.before(h[i]!, h[p]!)) {
        break;
      }
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private heapPop(): Delayed<T> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && DatagramLink.before(h[l]!, h[m]!)) {
          m = l;
        }
        if (r < h.length && DatagramLink.before(h[r]!, h[m]!)) {
          m = r;
        }
        if (m === i) {
          break;
        }
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  /** Forgets everything not yet delivered and clears every timer. Idempotent. */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    if (this.holdTimer !== undefined) {
      this.timers.clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
    }
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.heap.length = 0;
    this.held = [];
    this.queuedBytes = 0;
  }
}

/**
 * Simulated time a lost TCP segment costs: the sender retransmits after its retransmission timeout (Linux's
 * minimum RTO is 200 ms), and every byte behind it waits (head-of-line blocking).
 */
export const TCP_RETRANSMIT_MS = 200;
/** Simulated time a reordered TCP segment costs: the receiver holds later bytes until the gap is filled. */
export const TCP_REORDER_MS = 20;

/**
 * A one-way byte-stream link (TCP): every chunk arrives, in order. Delay and jitter hold chunks back, but a
 * chunk is never released before the one ahead of it, because TCP's sequence numbers would put them back in
 * order anyway. Loss costs a simulated retransmission timeout, reordering a short wait for the gap, and a
 * duplicate costs nothing (the receiving TCP discards it): what a TCP application sees of a bad network.
 *
 * `deliver` returns false when the destination is backed up; delivery then pauses until `resume()`.
 */
export class StreamLink<T extends { length: number }> implements Disposable {
  readonly stats: ImpairmentStats = emptyStats();
  private readonly queue: Array<{ item: T; due: number }> = [];
  private head = 0;
  private lastDue = 0;
  private timer: unknown;
  private blocked = false;
  private disposed = false;
  private queuedBytes = 0;
  private readonly timers: Timers;
  private readonly now: () => number;

  /** Called when everything pushed has been delivered (to forward a FIN after the data). */
  onIdle: (() => void) | undefined;

  constructor(
    readonly model: ImpairmentModel,
    private readonly deliver: (item: T) => boolean,
    private readonly report: ImpairmentReport<T>,
    options: { timers?: Timers; now?: () => number } = {},
  ) {
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? (() => performance.now());
  }

  /** Bytes accepted but not yet delivered. */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** Chunks accepted but not yet delivered. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  push(item: T): void {
    if (this.disposed) {
      return;
    }
    const d = this.model.decide();
    let extra = d.delayMs;
    if (d.drop) {
      this.stats.dropped++;
      this.report('drop', item, TCP_RETRANSMIT_MS);
      extra += TCP_RETRANSMIT_MS;
    }
    if (d.reorder) {
      this.stats.reordered++;
      this.report('reorder', item, TCP_REORDER_MS);
      extra += TCP_REORDER_MS;
    }
    if (d.duplicate) {
      this.stats.duplicated++;
      this.report('duplicate', item, 0);
    }
    const now = this.now();
    // In order: never due before the chunk ahead of it.
    const due = Math.max(now + extra, this.pending > 0 ? this.lastDue : 0);
    this.lastDue = due;
    if (due > now) {
      this.stats.delayed++;
      this.report('delay', item, Math.round(due - now));
    }
    this.queue.push({ item, due });
    this.queuedBytes += item.length;
    this.pump();
  }

  /** The destination drained: continue delivering. */
  resume(): void {
    this.blocked = false;
    this.pump();
  }

  private pump(): void {
    if (this.disposed || this.blocked || this.timer !== undefined) {
      return;
    }
    const now = this.now();
    while (this.head < this.queue.length) {
      const next = this.queue[this.head]!;
      if (next.due > now) {
        this.timer = this.timers.setTimeout(
          () => {
            this.timer = undefined;
            this.pump();
          },
          Math.max(1, Math.ceil(next.due - now)),
        );
        return;
      }
      this.head++;
      this.queuedBytes -= next.item.length;
      const ok = this.deliver(next.item);
      if (this.disposed) {
        return;
      }
      if (!ok) {
        this.blocked = true;
        break;
      }
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      if (!this.blocked) {
        this.onIdle?.();
      }
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Forgets everything not yet delivered and clears the timer. Idempotent. */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.queue.length = 0;
    this.head = 0;
    this.queuedBytes = 0;
    this.onIdle = undefined;
  }
}

/**
 * Reads an impairment typed in one line, e.g. `loss=20% delay=100ms jitter=20 reorder=5% duplicate=0.01
 * seed=7` (spaces or commas between; `%` divides by 100; `delay`/`jitter` are also accepted as `delayMs` and
 * `jitterMs`). Returns the object to validate; throws an Error naming the bad part.
 */
export function parseImpairmentText(text: string): Impairment {
  const out: Record<string, number> = {};
  const names: Record<string, keyof Impairment> = {
    loss: 'loss',
    delay: 'delayMs',
    delayms: 'delayMs',
    jitter: 'jitterMs',
    jitterms: 'jitterMs',
    reorder: 'reorder',
    duplicate: 'duplicate',
    dup: 'duplicate',
    seed: 'seed',
  };
  const parts = text
    .replace(/\s*[=:]\s*/g, '=')
    .replace(/(\d)\s+(%|ms)(?=$|[\s,;])/g, '$1$2')
    .split(/[\s,;]+/)
    .filter((p) => p !== '');
  for (const part of parts) {
    const m = /^([A-Za-z]+)=(-?\d+(?:\.\d+)?)(%|ms)?$/.exec(part);
    const key = m ? names[m[1]!.toLowerCase()] : undefined;
    if (!m || !key) {
      throw new Error(
        `"${part}" is not understood: write name=value pairs with loss, delay, jitter, reorder, duplicate, seed, ` +
          `e.g. "loss=20% delay=100ms jitter=20 seed=1".`,
      );
    }
    let value = Number(m[2]);
    if (m[3] === '%') {
      if (key === 'delayMs' || key === 'jitterMs' || key === 'seed') {
        throw new Error(`"${part}": % is only for rates (loss, reorder, duplicate).`);
      }
      value /= 100;
    } else if (m[3] === 'ms' && key !== 'delayMs' && key !== 'jitterMs') {
      throw new Error(`"${part}": ms is only for delay and jitter.`);
    }
    out[key] = value;
  }
  return out as Impairment;
}

/** A one-line summary, e.g. "loss 20 %, delay 100 ± 20 ms, seed 7". Empty for no impairment. */
export function describeImpairment(config: Impairment | undefined, seed?: number): string {
  const t = impairmentText(config, seed);
  return t ? englishText(t) : '';
}

/**
 * describeImpairment as a translatable text, or '' without impairment. `esc` is applied to the numbers (a
 * Markdown tooltip escapes them; the words need no escaping).
 */
export function impairmentText(
  config: Impairment | undefined,
  seed?: number,
  esc: (s: string) => string = (s) => s,
): Text | '' {
  if (!config || !isActive(config)) {
    return '';
  }
  const pct = (x: number) => esc(`${Math.round(x * 1000) / 10} %`);
  const parts: Text[] = [];
  if (config.loss) {
    parts.push(text('loss {0}', pct(config.loss)));
  }
  if (config.delayMs || config.jitterMs) {
    parts.push(
      text(
        'delay {0}{1} ms',
        esc(String(config.delayMs ?? 0)),
        config.jitterMs ? esc(` ± ${config.jitterMs}`) : '',
      ),
    );
  }
  if (config.reorder) {
    parts.push(text('reorder {0}', pct(config.reorder)));
  }
  if (config.duplicate) {
    parts.push(text('duplicate {0}', pct(config.duplicate)));
  }
  const s = seed ?? config.seed;
  if (s !== undefined) {
    parts.push(text('seed {0}', esc(String(s))));
  }
  return joinText(parts, ', ');
}

/**
 * What an impairment did, in a few words for the tree (a relay, or the pinger-lab UDP server): UDP loses what is
 * dropped for good; over TCP nothing is lost, the drops only cost retransmissions (simulated), so it says both.
 */
export function impairmentSummary(
  protocol: 'udp' | 'tcp',
  config: Impairment | undefined,
  stats: ImpairmentStats | undefined,
): string {
  const t = impairmentSummaryText(protocol, config, stats);
  return t ? englishText(t) : '';
}

/** impairmentSummary as a translatable text, or ''. */
export function impairmentSummaryText(
  protocol: 'udp' | 'tcp',
  config: Impairment | undefined,
  stats: ImpairmentStats | undefined,
): Text | '' {
  if (!config || !stats) {
    return '';
  }
  const { dropped, duplicated, reordered } = stats;
  if (protocol === 'tcp') {
    return config.loss || config.reorder ? text('0 lost, {0} resent', dropped) : text('0 lost');
  }
  const parts: Text[] = [];
  if (config.loss || stats.overflowed) {
    parts.push(text('{0} lost', dropped));
  }
  if (config.duplicate) {
    parts.push(text('{0} duplicated', duplicated));
  }
  if (config.reorder) {
    parts.push(text('{0} reordered', reordered));
  }
  return parts.length ? joinText(parts, ', ') : '';
}
