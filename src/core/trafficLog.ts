/** The traffic log: a bounded ring buffer of entries, with batched change events. Pure: no sockets here. */
import { Emitter, type Disposable, type Event } from './events';
import type { CloseReason, Endpoint, ErrorInfo, NoteRef, Protocol, SocketId, TrafficEntry, TrafficEvent } from './types';

/** One log record as held in memory: like TrafficEntry, but the payload stays a Buffer and the time a number. */
export type LogRecord = {
  seq: number;
  timeMs: number;
  socketId: SocketId;
  protocol: Protocol;
  event: TrafficEvent;
  local: Endpoint;
  remote?: Endpoint;
  bytes: number;
  payload?: Buffer;
  truncated?: boolean;
  notes: NoteRef[];
  error?: ErrorInfo;
  closedBy?: CloseReason;
};

export type AppendInput = Omit<LogRecord, 'seq' | 'timeMs' | 'truncated'>;

export type LogLimits = {
  /** Entries kept; older ones are evicted (socketPlayground.maxLogEntries). */
  maxEntries: number;
  /** Payload bytes kept per entry (socketPlayground.maxPayloadBytes). */
  maxPayloadBytes: number;
  /**
   * Payload bytes kept over all entries. 100,000 entries of 64 KiB would be 6.5 GB, so past this budget the
   * oldest entries lose their payload (their metadata and byte counts stay).
   */
  maxHeldPayloadBytes: number;
};

export type AppendBatch = { firstSeq: number; lastSeq: number };

export const DEFAULT_LIMITS: LogLimits = {
  maxEntries: 100_000,
  maxPayloadBytes: 65_536,
  maxHeldPayloadBytes: 64 * 1024 * 1024,
};

export function toTrafficEntry(r: LogRecord): TrafficEntry {
  const e: TrafficEntry = {
    seq: r.seq,
    time: new Date(r.timeMs).toISOString(),
    socketId: r.socketId,
    protocol: r.protocol,
    event: r.event,
    local: r.local,
    bytes: r.bytes,
    notes: r.notes,
  };
  if (r.remote) {
    e.remote = r.remote;
  }
  if (r.payload) {
    e.data = r.payload.toString('base64');
  }
  if (r.truncated) {
    e.truncated = true;
  }
  if (r.error) {
    e.error = r.error;
  }
  if (r.closedBy) {
    e.closedBy = r.closedBy;
  }
  return e;
}

export class TrafficLog implements Disposable {
  private ring: Array<LogRecord | undefined>;
  private head = 0; // index of the oldest record
  private count = 0;
  private nextSeq = 1;
  private evictedCount = 0;
  private heldPayloadBytes = 0;
  private payloadCursor = 1; // seq of the oldest record that may still hold a payload
  private pendingFirst = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private limits: LogLimits;

  private readonly appendEmitter = new Emitter<AppendBatch>();
  private readonly clearEmitter = new Emitter<void>();

  /** Fired at most once per `batchMs` with the range of records appended since the last batch. */
  readonly onDidAppend: Event<AppendBatch> = this.appendEmitter.event;
  readonly onDidClear: Event<void> = this.clearEmitter.event;

  constructor(
    limits: Partial<LogLimits> = {},
    private readonly batchMs = 50,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.ring = new Array<LogRecord | undefined>(this.limits.maxEntries);
  }

  get size(): number {
    return this.count;
  }

  /** How many records the ring has evicted since the last clear. */
  get evicted(): number {
    return this.evictedCount;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  get maxPayloadBytes(): number {
    return this.limits.maxPayloadBytes;
  }

  /** Appends one record and returns it. Copies only what it keeps of the payload when it truncates. */
  append(input: AppendInput): LogRecord {
    const rec = input as LogRecord;
    rec.seq = this.nextSeq++;
    rec.timeMs = Date.now();
    const payload = input.payload;
    if (payload) {
      const max = this.limits.maxPayloadBytes;
      if (payload.length > max) {
        rec.payload = Buffer.from(payload.subarray(0, max));
        rec.truncated = true;
      }
      this.heldPayloadBytes += rec.payload!.length;
    }
    const cap = this.ring.length;
    if (this.count === cap) {
      const old = this.ring[this.head];
      if (old?.payload) {
        this.heldPayloadBytes -= old.payload.length;
      }
      this.ring[this.head] = rec;
      this.head = (this.head + 1) % cap;
      this.evictedCount++;
    } else {
      this.ring[(this.head + this.count) % cap] = rec;
      this.count++;
    }
    if (this.heldPayloadBytes > this.limits.maxHeldPayloadBytes) {
      this.releaseOldPayloads();
    }
    if (this.pendingFirst === 0) {
      this.pendingFirst = rec.seq;
      this.timer = setTimeout(this.flush, this.batchMs);
      this.timer.unref?.();
    }
    return rec;
  }

  private releaseOldPayloads(): void {
    const target = this.limits.maxHeldPayloadBytes * 0.75;
    let seq = Math.max(this.payloadCursor, this.firstSeq);
    while (this.heldPayloadBytes > target && seq <= this.lastSeq) {
      const r = this.get(seq);
      if (r?.payload) {
        this.heldPayloadBytes -= r.payload.length;
        r.payload = undefined;
        r.truncated = true;
      }
      seq++;
    }
    this.payloadCursor = seq;
  }

  private readonly flush = (): void => {
    this.timer = undefined;
    const first = this.pendingFirst;
    this.pendingFirst = 0;
    if (first !== 0 && first <= this.lastSeq) {
      this.appendEmitter.fire({ firstSeq: Math.max(first, this.firstSeq), lastSeq: this.lastSeq });
    }
  };

  /** Delivers a pending batch now (tests, export). */
  flushNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.flush();
    }
  }

  /** Seq of the oldest record held (lastSeq + 1 when empty). */
  get firstSeq(): number {
    return this.count === 0 ? this.nextSeq : this.ring[this.head]!.seq;
  }

  get(seq: number): LogRecord | undefined {
    if (this.count === 0) {
      return undefined;
    }
    const offset = seq - this.firstSeq;
    if (offset < 0 || offset >= this.count) {
      return undefined;
    }
    return this.ring[(this.head + offset) % this.ring.length];
  }

  /** Records with seq in [fromSeq, toSeq], oldest first. */
  slice(fromSeq = this.firstSeq, toSeq = this.lastSeq): LogRecord[] {
    const out: LogRecord[] = [];
    const from = Math.max(fromSeq, this.firstSeq);
    const to = Math.min(toSeq, this.lastSeq);
    for (let s = from; s <= to; s++) {
      out.push(this.get(s)!);
    }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<LogRecord> {
    for (let i = 0; i < this.count; i++) {
      yield this.ring[(this.head + i) % this.ring.length]!;
    }
  }

  clear(): void {
    this.ring = new Array<LogRecord | undefined>(this.limits.maxEntries);
    this.head = 0;
    this.count = 0;
    this.evictedCount = 0;
    this.heldPayloadBytes = 0;
    this.payloadCursor = this.nextSeq;
    this.pendingFirst = 0;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.clearEmitter.fire();
  }

  /** Applies new limits; shrinking keeps the newest records. */
  setLimits(limits: Partial<LogLimits>): void {
    const next = { ...this.limits, ...limits };
    if (next.maxEntries !== this.limits.maxEntries) {
      const kept = this.slice().slice(-next.maxEntries);
      this.evictedCount += this.count - kept.length;
      this.ring = new Array<LogRecord | undefined>(next.maxEntries);
      kept.forEach((r, i) => (this.ring[i] = r));
      this.head = 0;
      this.count = kept.length;
    }
    this.limits = next;
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.appendEmitter.dispose();
    this.clearEmitter.dispose();
  }
}
