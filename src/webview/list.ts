/**
 * The virtualised traffic list: a spacer as tall as every row in view, and a small pool of row elements moved
 * into place with transforms, so 100,000 entries cost the DOM of one screenful. Cells are set with textContent.
 */
import { ROW, RowFlag, type Row } from '../shared/protocol';
import { h } from './dom';
import { eventName, previewOf, type Model } from './model';
import { tt } from './strings';

export const ROW_H = 22;
const OVERSCAN = 10;
const COLUMNS = ['seq', 'time', 'socket', 'event', 'peer', 'bytes', 'payload', 'notes'] as const;
const COLUMN_TITLE = {
  time: 'columnTime',
  socket: 'columnSocket',
  event: 'columnEvent',
  peer: 'columnPeer',
  bytes: 'columnBytes',
  payload: 'columnPayload',
  notes: 'columnNotes',
} as const;

const ARROW: Record<string, string> = {
  send: '↑ ',
  receive: '↓ ',
  accept: '⇣ ',
  connect: '⇡ ',
  drop: '✕ ',
  delay: '⧗ ',
  duplicate: '⧉ ',
  reorder: '⇅ ',
};

export type ListHooks = {
  isPaused(): boolean;
  /** The user picked an entry (click or keys). */
  select(seq: number): void;
  /** The user scrolled away from the newest entry while following. */
  scrolledAway(): void;
  /** The scroll position changed (saved a moment later). */
  scrolled(): void;
};

function time(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export class TrafficList {
  readonly el: HTMLElement;
  readonly viewport: HTMLDivElement;
  private readonly spacer = h('div', { class: 'spacer' });
  private readonly rowsEl = h('div', { class: 'rows' });
  private readonly emptyEl = h('div', {
    class: 'empty',
    text: tt('emptyLog'),
  });
  private readonly totalsEl = h('span', { class: 'totals' });
  private readonly pool: HTMLDivElement[] = [];
  private queued = false;

  constructor(
    private readonly model: Model,
    private readonly hooks: ListHooks,
  ) {
    const header = h(
      'div',
      { class: 'row head', role: 'row' },
      ...COLUMNS.map((c) =>
        h('span', { class: `c-${c}`, role: 'columnheader', text: c === 'seq' ? '#' : tt(COLUMN_TITLE[c]) }),
      ),
    );
    this.viewport = h(
      'div',
      {
        class: 'viewport',
        tabindex: 0,
        role: 'grid',
        'aria-label': tt('logGrid'),
        'aria-rowcount': 0,
        'aria-readonly': 'true',
      },
      this.spacer,
      this.rowsEl,
    );
    this.el = h(
      'section',
      { class: 'log', 'aria-label': tt('log') },
      h('div', { class: 'log-scroll' }, header, this.viewport, this.emptyEl),
      h('div', { class: 'log-status' }, this.totalsEl),
    );
    this.viewport.addEventListener('scroll', () => {
      const v = this.viewport;
      const atBottom = v.scrollTop + v.clientHeight >= v.scrollHeight - ROW_H;
      if (this.model.state.follow && !atBottom && !this.queued) {
        this.hooks.scrolledAway();
      }
      this.queue();
      this.hooks.scrolled();
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.queue()).observe(this.viewport);
  }

  get scrollTop(): number {
    return this.viewport.scrollTop;
  }

  set scrollTop(v: number) {
    this.viewport.scrollTop = v;
  }

  /** Redraws on the next frame (once, however often it is asked). */
  queue(): void {
    if (!this.queued) {
      this.queued = true;
      requestAnimationFrame(() => {
        this.queued = false;
        this.render();
      });
    }
  }

  /** Puts the entry at view index `at` in sight: centred when it is far away, else scrolled just enough. */
  reveal(at: number, centre = false): void {
    const v = this.viewport;
    const top = at * ROW_H;
    const page = v.clientHeight;
    if (centre || top < v.scrollTop - page || top > v.scrollTop + 2 * page) {
      v.scrollTop = Math.max(0, top - page / 2);
    } else if (top < v.scrollTop) {
      v.scrollTop = top;
    } else if (top + ROW_H > v.scrollTop + page) {
      v.scrollTop = top + ROW_H - page;
    }
  }

  private onKey(e: KeyboardEvent): void {
    const m = this.model;
    const idx = m.state.selectedSeq !== undefined ? m.indexOfSeq(m.state.selectedSeq) : -1;
    const last = m.view.length - 1;
    const page = Math.floor(this.viewport.clientHeight / ROW_H);
    const next: Record<string, number> = {
      ArrowDown: Math.min(last, idx + 1),
      ArrowUp: Math.max(0, idx - 1),
      Home: 0,
      End: last,
      PageDown: Math.min(last, idx + page),
      PageUp: Math.max(0, idx - page),
    };
    const to = next[e.key];
    if (to === undefined) {
      return;
    }
    e.preventDefault();
    const r = m.rowAt(to);
    if (r) {
      this.hooks.select(r[ROW.Seq]);
      this.reveal(to);
    }
  }

  private makeRow(): HTMLDivElement {
    const el = h('div', { class: 'row', role: 'row', 'aria-readonly': 'true' });
    for (const c of COLUMNS) {
      el.append(h('span', { class: `c-${c}`, role: 'gridcell' }));
    }
    el.addEventListener('click', () => this.hooks.select(Number(el.dataset['seq'])));
    return el;
  }

  private fillRow(el: HTMLDivElement, r: Row, viewIndex: number): void {
    const m = this.model;
    const cells = el.children;
    const ev = eventName(r);
    const selected = r[ROW.Seq] === m.state.selectedSeq;
    el.dataset['seq'] = String(r[ROW.Seq]);
    el.id = `row-${r[ROW.Seq]}`;
    el.style.transform = `translateY(${viewIndex * ROW_H}px)`;
    el.className = `row ev-${ev}${r[ROW.Flags] & RowFlag.Tcp ? ' tcp' : ' udp'}${r[ROW.Flags] & RowFlag.Error ? ' err' : ''}${selected ? ' selected' : ''}`;
    el.setAttribute('aria-rowindex', String(viewIndex + 1));
    el.setAttribute('aria-selected', String(selected));
    cells[0]!.textContent = String(r[ROW.Seq]);
    cells[1]!.textContent = time(r[ROW.Time]);
    cells[2]!.textContent = r[ROW.Socket];
    cells[3]!.textContent = (ARROW[ev] ?? '') + ev;
    cells[4]!.textContent = r[ROW.Remote];
    cells[5]!.textContent = String(r[ROW.Bytes]);
    cells[6]!.textContent = previewOf(r, m.state.payloadView);
    const ids = r[ROW.Notes] ? r[ROW.Notes].split(',') : [];
    const first = ids[0] ? (m.notes.get(ids[0]) ?? ids[0]) : '';
    cells[7]!.textContent = first + (ids.length > 1 ? ` +${ids.length - 1}` : '');
    (cells[7] as HTMLElement).title = ids.map((id) => m.notes.get(id) ?? id).join('\n');
  }

  render(): void {
    const m = this.model;
    const v = this.viewport;
    const n = m.view.length;
    this.spacer.style.height = `${n * ROW_H}px`;
    v.setAttribute('aria-rowcount', String(n));
    this.emptyEl.hidden = m.rows.length > 0;
    if (m.state.follow && !this.hooks.isPaused()) {
      v.scrollTop = n * ROW_H;
    } else if (v.scrollTop > Math.max(0, n * ROW_H - v.clientHeight)) {
      // The view shrank under the scroll position (a filter): the browser clamps it only after this frame.
      v.scrollTop = Math.max(0, n * ROW_H - v.clientHeight);
    }
    const first = Math.max(0, Math.floor(v.scrollTop / ROW_H) - OVERSCAN);
    const count = Math.max(0, Math.min(n - first, Math.ceil(v.clientHeight / ROW_H) + 2 * OVERSCAN));
    while (this.pool.length < count) {
      const el = this.makeRow();
      this.pool.push(el);
      this.rowsEl.append(el);
    }
    for (let i = 0; i < this.pool.length; i++) {
      const el = this.pool[i]!;
      const r = i < count ? m.rowAt(first + i) : undefined;
      // A pooled row out of use is hidden (the stylesheet makes [hidden] win over the rows' display: grid).
      el.hidden = !r;
      if (r) {
        this.fillRow(el, r, first + i);
      }
    }
    this.totalsEl.textContent = m.totalsLine();
    const sel = m.state.selectedSeq;
    if (sel !== undefined && this.rowsEl.querySelector(`#row-${sel}:not([hidden])`)) {
      v.setAttribute('aria-activedescendant', `row-${sel}`);
    } else {
      v.removeAttribute('aria-activedescendant');
    }
  }
}
