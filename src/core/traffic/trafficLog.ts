/**
 * The traffic log: a bounded ring buffer of entries with batched change events. Pure: no sockets here.
 *
 * Stored column by column in typed arrays, with payload bytes copied into a ring of fixed-size chunks, so that
 * logging a datagram allocates nothing that outlives it: a 100,000-entry log is a few typed arrays, not 100,000
 * objects and Buffers for the garbage collector to walk (README, Speed: a 200,000-datagram flood must keep
 * event-loop delay low). Records are materialised as objects only when read. A large chunk that the socket
 * handed over and nobody writes to again is kept as it is instead of copied (see storePayload).
 */
import { Emitter, type Disposable, type Event } from '../events';
import type {
  CloseReason,
  Endpoint,
  ErrorInfo,
  NoteRef,
  SocketId,
  TrafficEntry,
  TrafficEvent,
} from '../../shared/types';
import { TRAFFIC_EVENTS } from '../../shared/types';
import { Interner, keyCache, type KeyCache } from './interner';

/** One log record as read back: a TrafficEntry whose payload is a Buffer and whose time is a number. */
export type LogRecord = Omit<TrafficEntry, 'time' | 'data'> & {
  timeMs: number;
  /** A view into the log's storage: read it before awaiting, copy it to keep it. */
  payload?: Buffer;
};

/** What a socket appends: the entry's facts, with the payload as bytes (the log assigns seq and time). */
export type AppendInput = Pick<
  TrafficEntry,
  'socketId' | 'protocol' | 'event' | 'local' | 'remote' | 'bytes' | 'notes' | 'error' | 'closedBy'
> & {
  payload?: Buffer;
  /**
   * The payload is a buffer of its own that nobody writes to again (a chunk read from a socket, a fresh reply):
   * the log may keep it instead of copying it. Left out, the payload is always copied.
   */
  payloadOwned?: boolean;
  /**
   * When it happened (ms since the epoch), for a socket that already read the clock for the same moment (an
   * answer written in the handler of the chunk it answers). Left out, the log reads the clock.
   */
  timeMs?: number;
  /**
   * What the log interned for this input, kept on it by the log: a socket appends through one input object
   * for all its entries, so its ids are found here, whichever other sockets appended in between (a server's
   * eight connections interleave). Callers leave it out.
   */
  ids?: InputIds;
};

/** The ids the log last interned for one input, each with the generation it had then (stale once it changes). */
export type InputIds = {
  socket: KeyCache;
  localRef: Endpoint | undefined;
  local: number;
  localGen: number;
  /** Two note lists, the newer first: a socket's receive and send alternate. */
  notesRef: [NoteRef[] | undefined, NoteRef[] | undefined];
  notes: [number, number];
  notesGen: [number, number];
};

function inputIds(): InputIds {
  return {
    socket: keyCache(),
    localRef: undefined,
    local: -1,
    localGen: -1,
    notesRef: [undefined, undefined],
    notes: [-1, -1],
    notesGen: [-1, -1],
  };
}

export type LogLimits = {
  /** Entries kept; older ones are evicted (socketPlayground.maxLogEntries). */
  maxEntries: number;
  /** Payload bytes kept per entry (socketPlayground.maxPayloadBytes), at most CHUNK bytes. */
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

/** Payload storage chunk: a payload never spans two chunks, so one entry keeps at most this much. */
const CHUNK = 1 << 20;

/**
 * Smallest payload kept by reference rather than copied. Below it a copy costs less than the object the
 * garbage collector would have to keep (a flood of small datagrams stays a few typed arrays).
 */
const KEEP_MIN = 8 * 1024;

/** Most entries a ring may hold: the columns are preallocated, so a huge number must not reach them. */
const MAX_ENTRIES = 10_000_000;

/** An integer in [min, max]; a value that is not a finite number falls back. */
function clampInt(value: number, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/**
 * The log guards its own limits, whoever computed them: a ring of -1 entries would throw a RangeError and one
 * of 0 would keep nothing, so sizes are clamped to what works (at least one entry, payload bytes 0..CHUNK).
 */
function normalizeLimits(l: LogLimits): LogLimits {
  return {
    maxEntries: clampInt(l.maxEntries, 1, MAX_ENTRIES, DEFAULT_LIMITS.maxEntries),
    maxPayloadBytes: clampInt(l.maxPayloadBytes, 0, CHUNK, DEFAULT_LIMITS.maxPayloadBytes),
    maxHeldPayloadBytes: clampInt(
      l.maxHeldPayloadBytes,
      0,
      Number.MAX_SAFE_INTEGER,
      DEFAULT_LIMITS.maxHeldPayloadBytes,
    ),
  };
}

// A plain object, not a Map: read for every entry.
const EVENT_INDEX = Object.fromEntries(TRAFFIC_EVENTS.map((e, i) => [e, i])) as Record<TrafficEvent, number>;
const FLAG_TCP = 0x80;
const FLAG_TRUNCATED = 1;

export function toTrafficEntry(r: LogRecord): TrafficEntry {
  const e: TrafficEntry = {
    seq: r.seq,
    time: new Date(r.timeMs).toISOString(),
    socketId: r.socketId,
    protocol: r.protocol,
    event: r.event,
    local: { address: r.local.address, port: r.local.port },
    bytes: r.bytes,
    notes: r.notes,
  };
  if (r.remote) {
    e.remote = { address: r.remote.address, port: r.remote.port };
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

type Columns = {
  time: Float64Array;
  socket: Uint32Array;
  kind: Uint8Array; // event index | FLAG_TCP
  flags: Uint8Array;
  local: Uint32Array;
  remoteAddr: Int32Array; // -1: none
  remotePort: Int32Array;
  bytes: Float64Array;
  payloadAt: Float64Array; // virtual offset into the chunk ring; -1: none
  payloadLen: Uint32Array;
  notes: Uint32Array;
  kept: Float64Array; // 1 + position of the payload kept by reference in the kept queue; 0: none
};

function columns(n: number): Columns {
  return {
    time: new Float64Array(n),
    socket: new Uint32Array(n),
    kind: new Uint8Array(n),
    flags: new Uint8Array(n),
    local: new Uint32Array(n),
    remoteAddr: new Int32Array(n),
    remotePort: new Int32Array(n),
    bytes: new Float64Array(n),
    payloadAt: new Float64Array(n),
    payloadLen: new Uint32Array(n),
    notes: new Uint32Array(n),
    kept: new Float64Array(n),
  };
}

export class TrafficLog implements Disposable {
  private cols: Columns;
  private cap: number;
  private head = 0; // slot of the oldest record
  private count = 0;
  private nextSeq = 1;
  private evictedCount = 0;
  /** Rare fields (errors, who closed), by seq. */
  private readonly extras = new Map<number, { error?: ErrorInfo; closedBy?: CloseReason }>();

  private readonly sockets = new Interner<SocketId>();
  private readonly endpoints = new Interner<Endpoint>();
  private readonly addresses = new Interner<string>();
  private readonly noteLists = new Interner<NoteRef[]>();
  private readonly noteListIds = new WeakMap<NoteRef[], { id: number; gen: number }>();
  private readonly lastLocal = new WeakMap<Endpoint, { id: number; gen: number }>();

  private chunks: Buffer[] = [];
  private maxChunks: number;
  private writeAt = 0; // virtual offset of the next payload byte
  /** The ring chunk the last payload was copied into, and the virtual offset where it ends (storePayload). */
  private writeChunk: Buffer | undefined;
  private writeChunkEnd = 0;
  /**
   * The payloads kept by reference, in virtual-offset order (buffer, slot, offset), so that the ones gone stale
   * are let go at once. Position p of the queue is index p - keptBase of these arrays; a slot's `kept` column
   * names its position. A buffer let go is undefined.
   */
  private keptBufs: Array<Buffer | undefined> = [];
  private keptSlots: number[] = [];
  private keptAts: number[] = [];
  private keptHead = 0;
  private keptBase = 0;

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
    this.limits = normalizeLimits({ ...DEFAULT_LIMITS, ...limits });
    this.cap = this.limits.maxEntries;
    this.cols = columns(this.cap);
    this.maxChunks = Math.max(1, Math.ceil(this.limits.maxHeldPayloadBytes / CHUNK));
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

  /** Seq of the oldest record held (lastSeq + 1 when empty). */
  get firstSeq(): number {
    return this.nextSeq - this.count;
  }

  get maxPayloadBytes(): number {
    return this.limits.maxPayloadBytes;
  }

  /** How many entries the ring holds at most (socketPlayground.maxLogEntries, as clamped). */
  get maxEntries(): number {
    return this.cap;
  }

  /**
   * The last remote address interned, with its generation: a remote address is a fresh string per datagram, and
   * comparing it to the last one is cheaper than hashing it. (A socket's own ids are kept on its input: InputIds.)
   */
  private readonly lastAddress = keyCache();
  private lastEvents: [TrafficEvent | '', TrafficEvent | ''] = ['', ''];
  private lastEventIndex = [0, 0];

  /**
   * The event's column value. The last two events are remembered (a server's receive and send alternate): a
   * lookup keyed by a string that varies is a megamorphic load, a comparison of interned strings is not.
   */
  private eventIndex(event: TrafficEvent): number {
    const last = this.lastEvents;
    if (event === last[0]) {
      return this.lastEventIndex[0]!;
    }
    if (event === last[1]) {
      return this.lastEventIndex[1]!;
    }
    const index = EVENT_INDEX[event];
    last[1] = last[0];
    last[0] = event;
    this.lastEventIndex[1] = this.lastEventIndex[0]!;
    this.lastEventIndex[0] = index;
    return index;
  }

  /** A socket's local endpoint is the same object for all its entries: found by identity on its input. */
  private localId(e: Endpoint, ids: InputIds): number {
    if (e === ids.localRef && this.endpoints.gen[ids.local] === ids.localGen) {
      this.endpoints.retain(ids.local);
      return ids.local;
    }
    const id = this.endpointIdOf(e);
    ids.localRef = e;
    ids.local = id;
    ids.localGen = this.endpoints.gen[id]!;
    return id;
  }

  private endpointIdOf(e: Endpoint): number {
    const known = this.lastLocal.get(e);
    if (known !== undefined && this.endpoints.gen[known.id] === known.gen) {
      this.endpoints.retain(known.id);
      return known.id;
    }
    const id = this.endpoints.id(`${e.address}|${e.port}`, () => ({ address: e.address, port: e.port }));
    // Local endpoints are the same object for every entry of a socket: remember it by identity.
    this.lastLocal.set(e, { id, gen: this.endpoints.gen[id]! });
    return id;
  }

  private noteListId(notes: NoteRef[], ids: InputIds): number {
    const refs = ids.notesRef;
    for (let k = 0; k < 2; k++) {
      const id = ids.notes[k]!;
      if (notes === refs[k] && this.noteLists.gen[id] === ids.notesGen[k]) {
        this.noteLists.retain(id);
        return id;
      }
    }
    const id = this.noteListIdOf(notes);
    // Two slots, the older one replaced: a socket's receive and send alternate between two lists.
    refs[1] = refs[0];
    refs[0] = notes;
    ids.notes[1] = ids.notes[0];
    ids.notes[0] = id;
    ids.notesGen[1] = ids.notesGen[0];
    ids.notesGen[0] = this.noteLists.gen[id]!;
    return id;
  }

  private noteListIdOf(notes: NoteRef[]): number {
    const known = this.noteListIds.get(notes);
    if (known !== undefined && this.noteLists.gen[known.id] === known.gen) {
      this.noteLists.retain(known.id);
      return known.id;
    }
    const id = this.noteLists.id(notes.map((n) => n.id).join(','), () => notes);
    this.noteListIds.set(notes, { id, gen: this.noteLists.gen[id]! });
    return id;
  }

  /** Drops the references the record in `slot` holds (it is being evicted). */
  private releaseSlot(slot: number): void {
    const c = this.cols;
    this.sockets.release(c.socket[slot]!);
    this.endpoints.release(c.local[slot]!);
    const ra = c.remoteAddr[slot]!;
    if (ra >= 0) {
      this.addresses.release(ra);
    }
    this.noteLists.release(c.notes[slot]!);
    const k = c.kept[slot]!;
    if (k !== 0) {
      this.keptBufs[k - 1 - this.keptBase] = undefined;
      c.kept[slot] = 0;
    }
  }

  /** Payload memory the log holds: its allocated ring chunks plus the payloads it kept instead of copying. */
  get heldPayloadBytes(): number {
    let n = 0;
    for (const c of this.chunks) {
      n += c ? c.length : 0;
    }
    for (let i = this.keptHead; i < this.keptBufs.length; i++) {
      n += this.keptBufs[i]?.length ?? 0;
    }
    return n;
  }

  /** Distinct socket ids, endpoints, addresses and note lists the log's lookup tables hold. */
  get interned(): { sockets: number; endpoints: number; addresses: number; noteLists: number } {
    return {
      sockets: this.sockets.size,
      endpoints: this.endpoints.size,
      addresses: this.addresses.size,
      noteLists: this.noteLists.size,
    };
  }

  /**
   * Stores what the log keeps of a payload at the next virtual offset of the chunk ring, and returns the offset.
   * The offset alone decides how long the payload lives (payloadAlive), however it is stored: copied into the
   * ring chunk, or, for a large buffer the caller owns whole (`owned`), kept as it is while that ring chunk has
   * not been allocated. Either way the bytes held stay within the ring's budget: a ring chunk that gets
   * allocated takes in the kept payloads of its range, and a kept payload is let go as soon as the writer has
   * come round the ring past it. Keeping instead of copying saves the copy and the ring's memory for bulk
   * transfers (a 64 KiB chunk per read).
   */
  private storePayload(p: Buffer, len: number, owned: boolean, slot: number): number {
    const at = this.writeAt;
    const chunk = this.writeChunk;
    // Most entries fit in the chunk the last one went to, with no kept payload to look after.
    if (chunk !== undefined && at + len <= this.writeChunkEnd && this.keptHead === this.keptAts.length) {
      this.writeAt = at + len;
      chunk.set(len === p.length ? p : p.subarray(0, len), at - (this.writeChunkEnd - CHUNK));
      return at;
    }
    return this.storePayloadAnywhere(p, len, owned, slot);
  }

  private storePayloadAnywhere(p: Buffer, len: number, owned: boolean, slot: number): number {
    let at = this.writeAt;
    const inChunk = at % CHUNK;
    if (inChunk + len > CHUNK) {
      at += CHUNK - inChunk; // never span two chunks
    }
    this.writeAt = at + len;
    if (this.keptHead < this.keptAts.length) {
      this.releaseStaleKept();
    }
    const ci = Math.floor(at / CHUNK) % this.maxChunks;
    let chunk = this.chunks[ci];
    if (!chunk) {
      if (
        owned &&
        len >= KEEP_MIN &&
        len === p.length &&
        p.byteOffset === 0 &&
        p.byteLength === p.buffer.byteLength // a view into a bigger buffer would keep all of it alive
      ) {
        this.cols.kept[slot] = this.keptBase + this.keptBufs.length + 1;
        this.keptBufs.push(p);
        this.keptSlots.push(slot);
        this.keptAts.push(at);
        this.writeChunk = undefined;
        return at;
      }
      chunk = Buffer.allocUnsafeSlow(CHUNK);
      this.chunks[ci] = chunk;
      this.absorbKept(chunk, at - (at % CHUNK));
    }
    this.writeChunk = chunk;
    this.writeChunkEnd = at - (at % CHUNK) + CHUNK;
    // TypedArray#set is a builtin (Buffer#copy checks its arguments and calls into C++): cheaper per entry.
    chunk.set(len === p.length ? p : p.subarray(0, len), at % CHUNK);
    return at;
  }

  /** Lets go of the kept payloads whose offsets the writer has come round to (they read as gone). */
  private releaseStaleKept(): void {
    const bufs = this.keptBufs;
    const ats = this.keptAts;
    let h = this.keptHead;
    while (h < ats.length && !this.payloadAlive(ats[h]!)) {
      if (bufs[h] !== undefined) {
        bufs[h] = undefined;
        this.cols.kept[this.keptSlots[h]!] = 0;
      }
      h++;
    }
    if (h === ats.length) {
      this.keptBase += h;
      bufs.length = 0;
      this.keptSlots.length = 0;
      ats.length = 0;
      h = 0;
    } else if (h > 1024 && h * 2 > ats.length) {
      this.keptBase += h;
      bufs.splice(0, h);
      this.keptSlots.splice(0, h);
      ats.splice(0, h);
      h = 0;
    }
    this.keptHead = h;
  }

  /** A ring chunk was just allocated for the range from `base`: copies in the payloads kept in that range. */
  private absorbKept(chunk: Buffer, base: number): void {
    const ats = this.keptAts;
    // Kept payloads only ever sit in ranges without a chunk, and this range is the newest: they are the last.
    while (ats.length > this.keptHead && ats[ats.length - 1]! >= base) {
      const at = ats.pop()!;
      const slot = this.keptSlots.pop()!;
      const p = this.keptBufs.pop();
      if (p !== undefined) {
        chunk.set(p, at % CHUNK);
        this.cols.kept[slot] = 0;
      }
    }
  }

  /** The payload kept by reference for the record in `slot`, if any. */
  private keptIn(slot: number): Buffer | undefined {
    const k = this.cols.kept[slot]!;
    return k === 0 ? undefined : this.keptBufs[k - 1 - this.keptBase];
  }

  /** Forgets every kept payload (the log was cleared, or the ring started afresh). */
  private dropKept(): void {
    this.cols.kept.fill(0);
    this.keptBufs = [];
    this.keptSlots = [];
    this.keptAts = [];
    this.keptHead = 0;
    this.keptBase = 0;
  }

  private payloadAlive(at: number): boolean {
    // A chunk is overwritten once the writer has come round the ring to it again.
    return Math.floor(at / CHUNK) > Math.floor(this.writeAt / CHUNK) - this.maxChunks;
  }

  /** Appends one record; returns its seq. The payload is copied (up to maxPayloadBytes). */
  append(input: AppendInput): number {
    const seq = this.nextSeq++;
    let slot: number;
    if (this.count === this.cap) {
      slot = this.head;
      this.releaseSlot(slot);
      if (this.extras.size > 0) {
        this.extras.delete(seq - this.cap);
      }
      // A compare, not `%`: this runs for every entry.
      this.head = slot + 1 === this.cap ? 0 : slot + 1;
      this.evictedCount++;
    } else {
      slot = this.head + this.count;
      if (slot >= this.cap) {
        slot -= this.cap;
      }
      this.count++;
    }
    const c = this.cols;
    const ids = (input.ids ??= inputIds());
    c.time[slot] = input.timeMs ?? Date.now();
    c.socket[slot] = this.sockets.idOfKeyVia(ids.socket, input.socketId);
    c.kind[slot] = this.eventIndex(input.event) | (input.protocol === 'tcp' ? FLAG_TCP : 0);
    c.local[slot] = this.localId(input.local, ids);
    const remote = input.remote;
    if (remote) {
      c.remoteAddr[slot] = this.addresses.idOfKeyVia(this.lastAddress, remote.address);
      c.remotePort[slot] = remote.port;
    } else {
      c.remoteAddr[slot] = -1;
    }
    c.bytes[slot] = input.bytes;
    let flags = 0;
    const p = input.payload;
    if (p) {
      const len = Math.min(p.length, this.limits.maxPayloadBytes);
      if (len < p.length) {
        flags |= FLAG_TRUNCATED;
      }
      c.payloadAt[slot] = this.storePayload(p, len, input.payloadOwned === true, slot);
      c.payloadLen[slot] = len;
    } else {
      c.payloadAt[slot] = -1;
    }
    c.flags[slot] = flags;
    c.notes[slot] = this.noteListId(input.notes, ids);
    if (input.error || input.closedBy) {
      this.extras.set(seq, { error: input.error, closedBy: input.closedBy });
    }
    if (this.pendingFirst === 0) {
      this.pendingFirst = seq;
      this.timer = setTimeout(this.flush, this.batchMs);
      this.timer.unref?.();
    }
    return seq;
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

  /** The record with this seq, or undefined when evicted or not yet written. */
  get(seq: number): LogRecord | undefined {
    const offset = seq - this.firstSeq;
    if (offset < 0 || offset >= this.count) {
      return undefined;
    }
    const slot = (this.head + offset) % this.cap;
    const c = this.cols;
    const kind = c.kind[slot]!;
    const r: LogRecord = {
      seq,
      timeMs: c.time[slot]!,
      socketId: this.sockets.values[c.socket[slot]!]!,
      protocol: kind & FLAG_TCP ? 'tcp' : 'udp',
      event: TRAFFIC_EVENTS[kind & 0x7f]!,
      local: this.endpoints.values[c.local[slot]!]!,
      bytes: c.bytes[slot]!,
      notes: this.noteLists.values[c.notes[slot]!]!,
    };
    const ra = c.remoteAddr[slot]!;
    if (ra >= 0) {
      r.remote = { address: this.addresses.values[ra]!, port: c.remotePort[slot]! };
    }
    const at = c.payloadAt[slot]!;
    if (at >= 0) {
      if (this.payloadAlive(at)) {
        const kept = this.keptIn(slot);
        if (kept) {
          r.payload = kept; // kept only when whole
        } else {
          const chunk = this.chunks[Math.floor(at / CHUNK) % this.maxChunks]!;
          const from = at % CHUNK;
          r.payload = chunk.subarray(from, from + c.payloadLen[slot]!);
        }
        if (c.flags[slot]! & FLAG_TRUNCATED) {
          r.truncated = true;
        }
      } else {
        r.truncated = true; // the payload budget let it go; the byte count stays exact
      }
    }
    const extra = this.extras.get(seq);
    if (extra) {
      if (extra.error) {
        r.error = extra.error;
      }
      if (extra.closedBy) {
        r.closedBy = extra.closedBy;
      }
    }
    return r;
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
    const last = this.lastSeq;
    for (let s = this.firstSeq; s <= last; s++) {
      const r = this.get(s);
      if (r) {
        yield r;
      }
    }
  }

  clear(): void {
    this.sockets.clear();
    this.endpoints.clear();
    this.addresses.clear();
    this.noteLists.clear();
    this.head = 0;
    this.count = 0;
    this.evictedCount = 0;
    this.extras.clear();
    this.dropKept();
    this.writeChunk = undefined;
    this.pendingFirst = 0;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.clearEmitter.fire();
  }

  /** Applies new limits; shrinking keeps the newest records. */
  setLimits(limits: Partial<LogLimits>): void {
    const next = normalizeLimits({ ...this.limits, ...limits });
    if (next.maxEntries !== this.cap) {
      const keep = Math.min(this.count, next.maxEntries);
      const cols = columns(next.maxEntries);
      const old = this.cols;
      const firstKept = this.count - keep;
      for (let i = 0; i < firstKept; i++) {
        this.releaseSlot((this.head + i) % this.cap);
      }
      for (let i = 0; i < keep; i++) {
        const from = (this.head + firstKept + i) % this.cap;
        for (const k of Object.keys(cols) as Array<keyof Columns>) {
          cols[k][i] = old[k][from]!;
        }
        const keptAt = cols.kept[i]!;
        if (keptAt !== 0) {
          this.keptSlots[keptAt - 1 - this.keptBase] = i; // the record moved to slot i
        }
      }
      for (let s = this.firstSeq; s < this.firstSeq + firstKept; s++) {
        this.extras.delete(s);
      }
      this.evictedCount += firstKept;
      this.cols = cols;
      this.cap = next.maxEntries;
      this.head = 0;
      this.count = keep;
    }
    if (next.maxHeldPayloadBytes !== this.limits.maxHeldPayloadBytes) {
      // Changing the chunk ring's size would remap every offset: start a fresh ring; older payloads read as gone.
      this.maxChunks = Math.max(1, Math.ceil(next.maxHeldPayloadBytes / CHUNK));
      this.chunks = [];
      this.dropKept();
      this.writeChunk = undefined;
      this.writeAt = (Math.floor(this.writeAt / CHUNK) + this.maxChunks + 1) * CHUNK;
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
