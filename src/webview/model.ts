/**
 * The webview's data: the rows it was sent, the filtered view over them, the selection, the counts, and the UI
 * state it saves. Plain TypeScript with no DOM, so plain mocha tests it (test/unit/webview).
 */
import { base64ToBytes, escapeText, toHex } from '../shared/bytes';
import { ROW, RowFlag, TRAFFIC_EVENT_NAMES, type Row, type SocketInfo } from '../shared/protocol';
import { tt } from './strings';

/** The event filter: by direction, the socket's life cycle, or what the simulated network did. */
export type Direction = 'all' | 'in' | 'out' | 'life' | 'impairment' | 'drop';

export type Filter = {
  socketId: string;
  protocol: 'all' | 'udp' | 'tcp';
  direction: Direction;
  text: string;
};

export type UiState = {
  filter: Filter;
  follow: boolean;
  selectedSeq?: number;
  payloadView: 'text' | 'hex';
  scrollTop?: number;
  /** Where the splitters are: the log's share of the height, the diagram's share of the width below it (%). */
  layout?: { logPct: number; diagramPct: number };
  diagramScope?: DiagramScope;
};

export const DEFAULT_FILTER: Filter = { socketId: '', protocol: 'all', direction: 'all', text: '' };

/** What the diagram draws: every lane in view, or only the selected entry's conversation. */
export type DiagramScope = 'all' | 'conversation';

export const DEFAULT_LAYOUT = { logPct: 40, diagramPct: 60 };

const DIRECTIONS: readonly Direction[] = ['all', 'in', 'out', 'life', 'impairment', 'drop'];

function pct(x: unknown, fallback: number): number {
  return typeof x === 'number' && x >= 15 && x <= 85 ? x : fallback;
}

function obj(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

/**
 * The UI state saved by an earlier page (getState), checked field by field: whatever is missing or of the wrong
 * shape falls back to its default, so an old or damaged state never breaks the panel.
 */
export function restoreUiState(saved: unknown): UiState {
  const s = obj(saved);
  const f = obj(s['filter']);
  const layout = obj(s['layout']);
  const str = (x: unknown, d: string) => (typeof x === 'string' && x.length <= 500 ? x : d);
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined);
  const protocol = f['protocol'] === 'udp' || f['protocol'] === 'tcp' ? f['protocol'] : 'all';
  const direction = DIRECTIONS.includes(f['direction'] as Direction) ? (f['direction'] as Direction) : 'all';
  return {
    filter: { socketId: str(f['socketId'], ''), protocol, direction, text: str(f['text'], '') },
    follow: typeof s['follow'] === 'boolean' ? s['follow'] : true,
    selectedSeq: num(s['selectedSeq']),
    payloadView: s['payloadView'] === 'hex' ? 'hex' : 'text',
    scrollTop: num(s['scrollTop']),
    layout: {
      logPct: pct(layout['logPct'], DEFAULT_LAYOUT.logPct),
      diagramPct: pct(layout['diagramPct'], DEFAULT_LAYOUT.diagramPct),
    },
    diagramScope: s['diagramScope'] === 'conversation' ? 'conversation' : 'all',
  };
}

const IN = new Set(['receive', 'accept']);
const OUT = new Set(['send', 'connect']);
const IMPAIRMENT = new Set(['drop', 'delay', 'duplicate', 'reorder']);
const DROP_EVENT = TRAFFIC_EVENT_NAMES.indexOf('drop');

/** Losses among the entries in view: UDP datagrams dropped for good, TCP segments dropped and resent. */
export type LossCounts = { udpLost: number; tcpResent: number };

export function eventName(r: Row): string {
  return TRAFFIC_EVENT_NAMES[r[ROW.Event]] ?? '?';
}

export function previewOf(r: Row, view: 'text' | 'hex'): string {
  const b64 = r[ROW.Preview];
  if (!b64) {
    return r[ROW.Flags] & RowFlag.PayloadGone ? '(payload no longer kept)' : '';
  }
  const bytes = base64ToBytes(b64);
  const more = r[ROW.Bytes] > bytes.length ? ' …' : '';
  return (view === 'hex' ? toHex(bytes) : escapeText(bytes)) + more;
}

export class Model {
  rows: Row[] = [];
  /** Indexes into rows that pass the filter, in order. */
  view: number[] = [];
  sockets: SocketInfo[] = [];
  notes = new Map<string, string>();
  maxEntries = 100_000;
  totals = { entries: 0, evicted: 0, held: 0 };
  private textCache = new Map<number, string>();

  constructor(public state: UiState) {}

  matches(r: Row): boolean {
    const f = this.state.filter;
    // A server's filter includes its accepted connections, a relay's its legs (where upstream losses are logged).
    if (f.socketId && r[ROW.Socket] !== f.socketId && this.parentOf(r[ROW.Socket]) !== f.socketId) {
      return false;
    }
    if (f.protocol !== 'all' && (f.protocol === 'tcp') !== Boolean(r[ROW.Flags] & RowFlag.Tcp)) {
      return false;
    }
    const ev = eventName(r);
    if (f.direction === 'in' && !IN.has(ev)) {
      return false;
    }
    if (f.direction === 'out' && !OUT.has(ev)) {
      return false;
    }
    if (f.direction === 'life' && (IN.has(ev) || OUT.has(ev) || IMPAIRMENT.has(ev))) {
      return false;
    }
    if (f.direction === 'impairment' && !IMPAIRMENT.has(ev)) {
      return false;
    }
    if (f.direction === 'drop' && ev !== 'drop') {
      return false;
    }
    if (f.text) {
      const needle = f.text.toLowerCase();
      const hay =
        `${ev} ${r[ROW.Socket]} ${r[ROW.Local]} ${r[ROW.Remote]} ${this.searchText(r)}`.toLowerCase();
      if (!hay.includes(needle)) {
        return false;
      }
    }
    return true;
  }

  private readonly parents = new Map<string, string>();
  parentOf(socketId: string): string | undefined {
    return this.parents.get(socketId);
  }

  /**
   * Every socket seen, closed ones too, as last seen: the rows of a socket that has gone are still drawn with
   * its kind and its parent (a relay's legs). Bounded: the oldest are forgotten first.
   */
  readonly known = new Map<string, SocketInfo>();
  static readonly MAX_KNOWN = 20_000;

  setSockets(sockets: SocketInfo[]): void {
    this.sockets = sockets;
    for (const s of sockets) {
      if (s.parentId) {
        this.parents.set(s.id, s.parentId);
      }
      this.known.delete(s.id);
      this.known.set(s.id, s);
    }
    for (const id of this.known.keys()) {
      if (this.known.size <= Model.MAX_KNOWN) {
        break;
      }
      this.known.delete(id);
      this.parents.delete(id);
    }
  }

  private searchText(r: Row): string {
    let t = this.textCache.get(r[ROW.Seq]);
    if (t === undefined) {
      t = previewOf(r, 'text');
      if (this.textCache.size > 50_000) {
        this.textCache.clear();
      }
      this.textCache.set(r[ROW.Seq], t);
    }
    return t;
  }

  /** Counted over the view, kept up to date as rows arrive (the totals line shows them). */
  losses: LossCounts = { udpLost: 0, tcpResent: 0 };

  private countLoss(r: Row): void {
    if (r[ROW.Event] === DROP_EVENT) {
      if (r[ROW.Flags] & RowFlag.Tcp) {
        this.losses.tcpResent++;
      } else {
        this.losses.udpLost++;
      }
    }
  }

  rebuildView(): void {
    const v: number[] = [];
    this.losses = { udpLost: 0, tcpResent: 0 };
    for (let i = 0; i < this.rows.length; i++) {
      const r = this.rows[i]!;
      if (this.matches(r)) {
        v.push(i);
        this.countLoss(r);
      }
    }
    this.view = v;
  }

  /** Adds rows; drops the oldest past maxEntries (the host's ring did the same). Returns true if the view was rebuilt. */
  append(rows: Row[]): boolean {
    const base = this.rows.length;
    for (const r of rows) {
      this.rows.push(r);
    }
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (this.matches(r)) {
        this.view.push(base + i);
        this.countLoss(r);
      }
    }
    // Trim in bulk (10 % slack) so a steady stream does not shift the arrays on every message.
    if (this.rows.length > this.maxEntries * 1.1) {
      const drop = this.rows.length - this.maxEntries;
      this.rows = this.rows.slice(drop);
      this.rebuildView();
      return true;
    }
    return false;
  }

  clear(): void {
    this.rows = [];
    this.view = [];
    this.losses = { udpLost: 0, tcpResent: 0 };
    this.textCache.clear();
  }

  indexOfSeq(seq: number): number {
    // rows are in seq order: binary search
    let lo = 0;
    let hi = this.view.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.rows[this.view[mid]!]![ROW.Seq];
      if (s === seq) {
        return mid;
      }
      if (s < seq) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  rowAt(viewIndex: number): Row | undefined {
    const i = this.view[viewIndex];
    return i === undefined ? undefined : this.rows[i];
  }

  /** The row with this seq, if it passes the filter. */
  rowBySeq(seq: number): Row | undefined {
    return this.rowAt(this.indexOfSeq(seq));
  }

  /** The status line under the list: "N of M entries", losses, evictions. */
  totalsLine(): string {
    const shown =
      this.view.length === this.rows.length
        ? `${this.rows.length}`
        : tt('shownOf', this.view.length, this.rows.length);
    const { udpLost, tcpResent } = this.losses;
    return (
      (this.rows.length === 1 && this.view.length === 1 ? tt('entry', shown) : tt('entries', shown)) +
      (udpLost ? (udpLost === 1 ? tt('datagramLost', udpLost) : tt('datagramsLost', udpLost)) : '') +
      (tcpResent
        ? tcpResent === 1
          ? tt('segmentResent', tcpResent)
          : tt('segmentsResent', tcpResent)
        : '') +
      (this.totals.evicted ? tt('evicted', this.totals.evicted) : '')
    );
  }

  /** The socket a row's lane belongs with: a server's connection or a relay's leg goes with its parent. */
  familyOf(socketId: string): string {
    return this.parentOf(socketId) ?? socketId;
  }

  /**
   * Whether `r` is part of the conversation `sel` belongs to. For an entry between two endpoints: the entries
   * between the same two (both sides, when the peer is a playground socket too), and the set-up and close of
   * the sockets at either end (a connection's welcoming socket too). For an entry of one socket alone (a bind):
   * everything that socket and its family did or were sent. Never across protocols: UDP and TCP are not mixed.
   */
  inConversation(sel: Row, r: Row): boolean {
    if ((sel[ROW.Flags] & RowFlag.Tcp) !== (r[ROW.Flags] & RowFlag.Tcp)) {
      return false;
    }
    const family = this.familyOf(r[ROW.Socket]) === this.familyOf(sel[ROW.Socket]);
    const a = sel[ROW.Local];
    const b = sel[ROW.Remote];
    const rl = r[ROW.Local];
    const rr = r[ROW.Remote];
    if (!b) {
      return family || rr === a || rl === a;
    }
    if (!rr) {
      return family || rl === b || rl === a;
    }
    return (rl === a && rr === b) || (rl === b && rr === a);
  }

  /**
   * The rows the diagram draws: at most `max` consecutive rows of the view (ending near the selection when the
   * user is not following, else at the newest), narrowed to the selection's conversation when asked.
   */
  diagramRows(max: number): Row[] {
    const v = this.view;
    let end = v.length;
    const selSeq = this.state.selectedSeq;
    const sel = selSeq !== undefined ? this.rowBySeq(selSeq) : undefined;
    if (sel && !this.state.follow) {
      end = Math.min(v.length, this.indexOfSeq(sel[ROW.Seq]) + max / 2);
    }
    const out: Row[] = [];
    const only = this.state.diagramScope === 'conversation' && sel ? sel : undefined;
    // Walk back from the end: in conversation mode the chart still gets `max` rows of that conversation.
    for (let i = end - 1; i >= 0 && out.length < max; i--) {
      const r = this.rowAt(i)!;
      if (!only || this.inConversation(only, r)) {
        out.push(r);
      }
      if (only && end - i > 50 * max) {
        break; // a bounded scan: a conversation buried under 100,000 other rows is not worth a long frame
      }
    }
    return out.reverse();
  }
}
