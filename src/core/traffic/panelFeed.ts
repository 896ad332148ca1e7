/**
 * What the traffic panel is sent, and when: a snapshot on `ready`, then appended rows in slices at most a few
 * times a second whatever the traffic rate, plus socket changes. vscode-free, so the flood benchmark and the
 * unit tests drive the same code the panel uses.
 */
import { allNotes } from '../notes/notes';
import { toRow } from './panelRows';
import type { SocketRegistry } from '../registry';
import type { TrafficLog } from './trafficLog';
import type { Disposable } from '../events';
import type { PanelSettings, Row, ToWebview, Totals } from '../../shared/protocol';

/** Rows per message: a flood is delivered in slices so one postMessage never serialises megabytes. */
export const MAX_ROWS_PER_MESSAGE = 10_000;
/** At most this many messages a second per panel, whatever the traffic rate. */
export const POST_INTERVAL_MS = 250;

export class PanelFeed implements Disposable {
  private ready = false;
  private nextSeq = 0; // first seq not yet posted
  private timer: ReturnType<typeof setTimeout> | undefined;
  private socketsDirty = false;
  private readonly subs: Disposable[];
  filterSocketId: string | undefined;
  /** Messages posted so far. */
  posted = 0;
  private visible = true;

  constructor(
    private readonly log: TrafficLog,
    private readonly registry: SocketRegistry,
    private readonly post: (msg: ToWebview) => void,
    private readonly settings: () => PanelSettings,
    private readonly intervalMs = POST_INTERVAL_MS,
  ) {
    this.subs = [
      log.onDidAppend(() => this.schedule()),
      log.onDidClear(() => {
        this.nextSeq = log.lastSeq + 1;
        this.send({ type: 'cleared', totals: this.totals() });
      }),
      registry.onDidChange(() => {
        this.socketsDirty = true;
        this.schedule();
      }),
    ];
  }

  private send(msg: ToWebview): void {
    if (this.ready) {
      this.posted++;
      this.post(msg);
    }
  }

  /** Every entry in the log has been posted (or was evicted before it could be). */
  get caughtUp(): boolean {
    return this.ready && !this.timer && Math.max(this.nextSeq, this.log.firstSeq) > this.log.lastSeq;
  }

  totals(): Totals {
    return { entries: this.log.lastSeq, evicted: this.log.evicted, held: this.log.size };
  }

  private rows(from: number, to: number): Row[] {
    const out: Row[] = [];
    for (let s = Math.max(from, this.log.firstSeq); s <= to; s++) {
      const r = this.log.get(s);
      if (r) {
        out.push(toRow(r));
      }
    }
    return out;
  }

  /** The webview said `ready` (first load, or after a reload): send it everything it needs. */
  onReady(): void {
    if (!this.visible) {
      return; // a page that says ready while hidden gets its snapshot when shown
    }
    this.ready = true;
    const first = this.log.firstSeq;
    const initEnd = Math.min(this.log.lastSeq, first + MAX_ROWS_PER_MESSAGE - 1);
    this.send({
      type: 'init',
      rows: this.rows(first, initEnd),
      sockets: this.registry.list(),
      notes: allNotes().map((n) => ({ id: n.id, title: n.title })),
      totals: this.totals(),
      settings: this.settings(),
      filterSocketId: this.filterSocketId,
    });
    this.nextSeq = initEnd + 1;
    this.socketsDirty = false;
    if (this.nextSeq <= this.log.lastSeq) {
      this.schedule();
    }
  }

  /**
   * The panel was hidden or shown. A hidden panel's webview is torn down (the panel does not retain it), so
   * nothing is posted to it: no appends pile up for a page that is not there. Shown again, it gets a fresh
   * snapshot: now, and again when the reloaded page says `ready` (an `init` is idempotent).
   */
  setVisible(visible: boolean): void {
    if (visible === this.visible) {
      return;
    }
    this.visible = visible;
    if (!visible) {
      this.ready = false;
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      this.socketsDirty = false;
    } else {
      this.onReady();
    }
  }

  setFilter(socketId: string | undefined): void {
    this.filterSocketId = socketId;
    this.send({ type: 'setFilter', socketId });
  }

  private schedule(): void {
    if (!this.ready || this.timer) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, this.intervalMs);
  }

  /** Posts what is new since the last message: at most MAX_ROWS_PER_MESSAGE rows, then comes back for more. */
  pump(): void {
    if (this.socketsDirty) {
      this.socketsDirty = false;
      this.send({ type: 'socketsChanged', sockets: this.registry.list() });
    }
    const from = Math.max(this.nextSeq, this.log.firstSeq);
    if (from <= this.log.lastSeq) {
      const to = Math.min(this.log.lastSeq, from + MAX_ROWS_PER_MESSAGE - 1);
      this.send({ type: 'trafficAppended', rows: this.rows(from, to), totals: this.totals() });
      this.nextSeq = to + 1;
      if (this.nextSeq <= this.log.lastSeq) {
        this.schedule();
      }
    }
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (const s of this.subs) {
      s.dispose();
    }
  }
}
