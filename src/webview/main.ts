/**
 * The traffic panel (browser side). Talks to the host only through the typed protocol; renders every payload
 * with textContent; keeps only UI state in getState/setState (the host owns the log and re-sends it on `ready`).
 */
import {
  assertNever,
  ROW,
  RowFlag,
  type EntryDetail,
  type FromWebview,
  type LineEnding,
  type Row,
  type SocketInfo,
  type ToWebview,
} from '../shared/protocol';
import { renderDetail } from './detail';
import { SEQ_W, diagramNodes, renderDiagram } from './diagram';
import { button, fillSelect, h, icon, iconButton, select } from './dom';
import { DEFAULT_FILTER, Model, eventName, previewOf, type Direction, type UiState } from './model';
import { splitter } from './splitter';

declare function acquireVsCodeApi(): {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
};

const vscode = acquireVsCodeApi();
const ROW_H = 22;
const OVERSCAN = 10;
/** Events the diagram draws at most: a screenful or two of a conversation, around the selection or the newest. */
const DIAGRAM_ROWS = 80;
/** Height of the diagram's sticky lane header (diagram.ts HEAD_H). */
const DIAGRAM_HEAD_H = 42;
const DEFAULT_LAYOUT = { logPct: 40, diagramPct: 60 };

function loadState(): UiState {
  const s = vscode.getState() as Partial<UiState> | undefined;
  return {
    filter: { ...DEFAULT_FILTER, ...(s?.filter ?? {}) },
    follow: s?.follow ?? true,
    selectedSeq: s?.selectedSeq,
    payloadView: s?.payloadView === 'hex' ? 'hex' : 'text',
    scrollTop: s?.scrollTop,
    layout: {
      logPct: pct(s?.layout?.logPct, DEFAULT_LAYOUT.logPct),
      diagramPct: pct(s?.layout?.diagramPct, DEFAULT_LAYOUT.diagramPct),
    },
  };
}

function pct(x: unknown, fallback: number): number {
  return typeof x === 'number' && x >= 15 && x <= 85 ? x : fallback;
}

const model = new Model(loadState());
let paused = false;
let requestId = 1;
const pendingDetail = new Map<number, number>(); // requestId -> seq
const pendingSend = new Set<number>();

function post(m: FromWebview): void {
  vscode.postMessage(m);
}

function saveState(): void {
  vscode.setState({ ...model.state, scrollTop: viewport.scrollTop });
}

//#region layout

const app = document.getElementById('app')!;
const totalsEl = h('span', { class: 'totals' });
const socketFilter = select<string>(
  'Filter by socket',
  [['', 'All sockets']],
  model.state.filter.socketId,
  (v) => setFilter({ socketId: v }),
);
const protoFilter = select<'all' | 'udp' | 'tcp'>(
  'Filter by protocol',
  [
    ['all', 'UDP + TCP'],
    ['udp', 'UDP'],
    ['tcp', 'TCP'],
  ],
  model.state.filter.protocol,
  (v) => setFilter({ protocol: v }),
);
const dirFilter = select<Direction>(
  'Filter by event',
  [
    ['all', 'All events'],
    ['in', 'Received'],
    ['out', 'Sent'],
    ['life', 'Set-up, close, errors'],
    ['impairment', 'Lost, delayed, duplicated'],
    ['drop', 'Lost only'],
  ],
  model.state.filter.direction,
  (v) => setFilter({ direction: v }),
);
const textFilter = h('input', {
  type: 'search',
  placeholder: 'Filter text, address, port…',
  'aria-label': 'Filter by text',
  value: model.state.filter.text,
});
textFilter.addEventListener('input', () => setFilter({ text: textFilter.value }));
const followBtn = iconButton('arrow-down', 'Follow new traffic (scroll to the newest entry)', () =>
  setFollow(!model.state.follow),
);
const pauseBtn = iconButton('debug-pause', 'Pause the live view (traffic is still logged)', () =>
  setPaused(!paused),
);
const viewBtn = iconButton('symbol-numeric', 'Show payloads as hex bytes instead of text', () =>
  setPayloadView(model.state.payloadView === 'hex' ? 'text' : 'hex'),
);
const actions = h(
  'div',
  { class: 'actions' },
  followBtn,
  pauseBtn,
  viewBtn,
  iconButton('clear-all', 'Clear the traffic log', () => post({ type: 'clearLog' })),
  iconButton('save', 'Export the log as pcapng or JSON Lines', () =>
    post({ type: 'exportLog', format: 'pcapng' }),
  ),
);
const toolbar = h(
  'header',
  { class: 'toolbar', role: 'toolbar', 'aria-label': 'Traffic log tools' },
  socketFilter,
  protoFilter,
  dirFilter,
  textFilter,
  actions,
);
// Arrow keys move between the toolbar's controls (one tab stop would hide the filters from Tab users, so
// every control stays tabbable; the arrows are a shortcut, as in VS Code's own toolbars).
toolbar.addEventListener('keydown', (e) => {
  if ((e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') || e.target instanceof HTMLInputElement) {
    return;
  }
  if (e.target instanceof HTMLSelectElement) {
    return;
  }
  const items = [...toolbar.querySelectorAll<HTMLElement>('select, input, button')];
  const at = items.indexOf(e.target as HTMLElement);
  const next = items[at + (e.key === 'ArrowRight' ? 1 : -1)];
  if (at >= 0 && next) {
    e.preventDefault();
    next.focus();
  }
});

const header = h(
  'div',
  { class: 'row head', role: 'row' },
  ...['#', 'time', 'socket', 'event', 'peer', 'bytes', 'payload', 'notes'].map((c) =>
    h('span', { class: `c-${c === '#' ? 'seq' : c}`, role: 'columnheader', text: c }),
  ),
);
const spacer = h('div', { class: 'spacer' });
const rowsEl = h('div', { class: 'rows' });
const viewport = h(
  'div',
  {
    class: 'viewport',
    tabindex: 0,
    role: 'grid',
    'aria-label': 'Traffic log: arrow keys select an entry',
    'aria-rowcount': 0,
    'aria-readonly': 'true',
  },
  spacer,
  rowsEl,
);
const emptyEl = h('div', {
  class: 'empty',
  text: 'No traffic yet. Start a server or a client from the Sockets view, then send something: every socket call appears here, explained.',
});
const statusEl = h('div', { class: 'log-status' }, totalsEl);
const logSection = h(
  'section',
  { class: 'log', 'aria-label': 'Traffic log' },
  h('div', { class: 'log-scroll' }, header, viewport, emptyEl),
  statusEl,
);

const detailEl = h(
  'div',
  { class: 'detail' },
  h('p', {
    class: 'muted',
    text: 'Select an entry to see its bytes, the notes that explain it, and the socket call behind it.',
  }),
);
const diagramEl = h('div', { class: 'diagram' });
const diagramPane = h(
  'section',
  { class: 'pane diagram-pane', 'aria-labelledby': 'diagram-title' },
  h('h2', { class: 'pane-title', id: 'diagram-title', text: 'Sequence diagram' }),
  diagramEl,
);
const detailPane = h(
  'section',
  { class: 'pane detail-pane', 'aria-labelledby': 'detail-title' },
  h('h2', { class: 'pane-title', id: 'detail-title', text: 'Detail' }),
  detailEl,
);
const split = h('main', { class: 'split' });
const side = h('div', { class: 'side' });
const layout = model.state.layout ?? DEFAULT_LAYOUT;
split.style.setProperty('--log-pct', String(layout.logPct));
side.style.setProperty('--diagram-pct', String(layout.diagramPct));
side.append(
  diagramPane,
  splitter({
    orientation: 'vertical',
    label: 'Resize the sequence diagram and the detail',
    container: side,
    value: layout.diagramPct,
    defaultValue: DEFAULT_LAYOUT.diagramPct,
    min: 15,
    max: 85,
    onChange: (v) => {
      side.style.setProperty('--diagram-pct', String(v));
      model.state.layout = { ...(model.state.layout ?? DEFAULT_LAYOUT), diagramPct: v };
    },
    onCommit: () => saveState(),
  }),
  detailPane,
);
split.append(
  logSection,
  splitter({
    orientation: 'horizontal',
    label: 'Resize the traffic log',
    container: split,
    value: layout.logPct,
    defaultValue: DEFAULT_LAYOUT.logPct,
    min: 15,
    max: 85,
    onChange: (v) => {
      split.style.setProperty('--log-pct', String(v));
      model.state.layout = { ...(model.state.layout ?? DEFAULT_LAYOUT), logPct: v };
      queueRender();
    },
    onCommit: () => saveState(),
  }),
  side,
);

// Send box
const sendSocket = h('select', { 'aria-label': 'Socket to send from', title: 'Socket to send from' });
const sendTo = h('input', {
  type: 'text',
  placeholder: 'to address:port',
  'aria-label': 'Destination address:port (UDP)',
  class: 'to',
});
const sendText = h('input', {
  type: 'text',
  placeholder: 'Message to send',
  'aria-label': 'Message to send',
  class: 'msg',
});
const sendEnc = select<'utf8' | 'hex' | 'base64'>(
  'Encoding',
  [
    ['utf8', 'text'],
    ['hex', 'hex'],
    ['base64', 'base64'],
  ],
  'utf8',
  () => undefined,
);
const sendEol = select<LineEnding>(
  'Line ending',
  [
    ['none', 'no line end'],
    ['lf', 'LF \\n'],
    ['crlf', 'CRLF \\r\\n'],
  ],
  'none',
  () => undefined,
);
const sendStatus = h('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
const sendBtn = button('Send', 'send', () => doSend(), 'Send (Enter)');
sendText.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    doSend();
  }
});
sendSocket.addEventListener('change', () => updateSendBox());
const sendBox = h(
  'footer',
  { class: 'sendbox', role: 'group', 'aria-label': 'Send from a playground socket' },
  icon('comment'),
  sendSocket,
  sendTo,
  sendText,
  sendEnc,
  sendEol,
  sendBtn,
  sendStatus,
);

app.append(toolbar, split, sendBox);

//#endregion

//#region list

const pool: HTMLDivElement[] = [];

function makeRow(): HTMLDivElement {
  const el = h('div', { class: 'row', role: 'row', 'aria-readonly': 'true' });
  for (const c of ['seq', 'time', 'socket', 'event', 'peer', 'bytes', 'payload', 'notes']) {
    el.append(h('span', { class: `c-${c}`, role: 'gridcell' }));
  }
  el.addEventListener('click', () => select_(Number(el.dataset['seq'])));
  return el;
}

function time(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

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

function fillRow(el: HTMLDivElement, r: Row, viewIndex: number): void {
  const cells = el.children;
  const ev = eventName(r);
  el.dataset['seq'] = String(r[ROW.Seq]);
  el.id = `row-${r[ROW.Seq]}`;
  el.style.transform = `translateY(${viewIndex * ROW_H}px)`;
  el.className = `row ev-${ev}${r[ROW.Flags] & RowFlag.Tcp ? ' tcp' : ' udp'}${r[ROW.Flags] & RowFlag.Error ? ' err' : ''}${r[ROW.Seq] === model.state.selectedSeq ? ' selected' : ''}`;
  el.setAttribute('aria-rowindex', String(viewIndex + 1));
  el.setAttribute('aria-selected', String(r[ROW.Seq] === model.state.selectedSeq));
  cells[0]!.textContent = String(r[ROW.Seq]);
  cells[1]!.textContent = time(r[ROW.Time]);
  cells[2]!.textContent = r[ROW.Socket];
  cells[3]!.textContent = (ARROW[ev] ?? '') + ev;
  cells[4]!.textContent = r[ROW.Remote];
  cells[5]!.textContent = String(r[ROW.Bytes]);
  cells[6]!.textContent = previewOf(r, model.state.payloadView);
  const ids = r[ROW.Notes] ? r[ROW.Notes].split(',') : [];
  const first = ids[0] ? (model.notes.get(ids[0]) ?? ids[0]) : '';
  cells[7]!.textContent = first + (ids.length > 1 ? ` +${ids.length - 1}` : '');
  (cells[7] as HTMLElement).title = ids.map((id) => model.notes.get(id) ?? id).join('\n');
}

let renderQueued = false;
function queueRender(): void {
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      renderList();
    });
  }
}

function renderList(): void {
  const n = model.view.length;
  spacer.style.height = `${n * ROW_H}px`;
  viewport.setAttribute('aria-rowcount', String(n));
  emptyEl.hidden = model.rows.length > 0;
  if (model.state.follow && !paused) {
    viewport.scrollTop = n * ROW_H;
  } else if (viewport.scrollTop > Math.max(0, n * ROW_H - viewport.clientHeight)) {
    // The view shrank under the scroll position (a filter): the browser clamps it only after this frame.
    viewport.scrollTop = Math.max(0, n * ROW_H - viewport.clientHeight);
  }
  const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_H) - OVERSCAN);
  const count = Math.min(n - first, Math.ceil(viewport.clientHeight / ROW_H) + 2 * OVERSCAN);
  while (pool.length < count) {
    const el = makeRow();
    pool.push(el);
    rowsEl.append(el);
  }
  for (let i = 0; i < pool.length; i++) {
    const el = pool[i]!;
    const r = i < count ? model.rowAt(first + i) : undefined;
    if (r) {
      el.hidden = false;
      fillRow(el, r, first + i);
    } else {
      el.hidden = true;
    }
  }
  const t = model.totals;
  const shown =
    model.view.length === model.rows.length
      ? `${model.rows.length}`
      : `${model.view.length} of ${model.rows.length}`;
  const { udpLost, tcpResent } = model.losses;
  totalsEl.textContent =
    `${shown} entries` +
    (udpLost ? ` · ${udpLost} datagrams lost` : '') +
    (tcpResent ? ` · ${tcpResent} segments resent` : '') +
    (t.evicted ? ` · ${t.evicted} evicted (counters stay exact)` : '');
  const sel = model.state.selectedSeq;
  if (sel !== undefined && rowsEl.querySelector(`#row-${sel}:not([hidden])`)) {
    viewport.setAttribute('aria-activedescendant', `row-${sel}`);
  } else {
    viewport.removeAttribute('aria-activedescendant');
  }
}

viewport.addEventListener('scroll', () => {
  const atBottom = viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - ROW_H;
  if (model.state.follow && !atBottom && !renderQueued) {
    setFollow(false);
  }
  queueRender();
  saveStateSoon();
});

viewport.addEventListener('keydown', (e) => {
  const idx = model.state.selectedSeq !== undefined ? model.indexOfSeq(model.state.selectedSeq) : -1;
  let next = -1;
  if (e.key === 'ArrowDown') {
    next = Math.min(model.view.length - 1, idx + 1);
  } else if (e.key === 'ArrowUp') {
    next = Math.max(0, idx <= 0 ? 0 : idx - 1);
  } else if (e.key === 'Home') {
    next = 0;
  } else if (e.key === 'End') {
    next = model.view.length - 1;
  } else if (e.key === 'PageDown') {
    next = Math.min(model.view.length - 1, idx + Math.floor(viewport.clientHeight / ROW_H));
  } else if (e.key === 'PageUp') {
    next = Math.max(0, idx - Math.floor(viewport.clientHeight / ROW_H));
  } else {
    return;
  }
  e.preventDefault();
  const r = model.rowAt(next);
  if (r) {
    select_(r[ROW.Seq]);
    const top = next * ROW_H;
    if (top < viewport.scrollTop) {
      viewport.scrollTop = top;
    } else if (top + ROW_H > viewport.scrollTop + viewport.clientHeight) {
      viewport.scrollTop = top + ROW_H - viewport.clientHeight;
    }
  }
});

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveStateSoon(): void {
  if (!saveTimer) {
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      saveState();
    }, 300);
  }
}

//#endregion

//#region actions

function setFilter(f: Partial<UiState['filter']>): void {
  model.state.filter = { ...model.state.filter, ...f };
  model.rebuildView();
  // Keep the selected entry in sight when it passes the new filter.
  const at = model.state.selectedSeq !== undefined ? model.indexOfSeq(model.state.selectedSeq) : -1;
  if (at >= 0 && !model.state.follow) {
    viewport.scrollTop = Math.max(0, at * ROW_H - viewport.clientHeight / 2);
  }
  saveState();
  queueRender();
  queueDiagram();
}

function setFollow(on: boolean): void {
  model.state.follow = on;
  followBtn.classList.toggle('on', on);
  followBtn.setAttribute('aria-pressed', String(on));
  saveState();
  if (on) {
    queueRender();
  }
}

function setPaused(on: boolean): void {
  paused = on;
  pauseBtn.classList.toggle('on', on);
  pauseBtn.setAttribute('aria-pressed', String(on));
  const title = on ? 'Resume the live view' : 'Pause the live view (traffic is still logged)';
  pauseBtn.title = title;
  pauseBtn.setAttribute('aria-label', title);
  pauseBtn.firstElementChild!.className = `codicon codicon-${on ? 'debug-continue' : 'debug-pause'}`;
  if (!on) {
    queueRender();
    queueDiagram();
  }
}

function setPayloadView(v: 'text' | 'hex'): void {
  model.state.payloadView = v;
  viewBtn.classList.toggle('on', v === 'hex');
  viewBtn.setAttribute('aria-pressed', String(v === 'hex'));
  saveState();
  queueRender();
}

/** Selects an entry; one the user picks stops following new traffic, so that it stays in view. */
function select_(seq: number, byUser = true): void {
  if (!Number.isFinite(seq)) {
    return;
  }
  if (byUser && model.state.follow) {
    setFollow(false);
  }
  model.state.selectedSeq = seq;
  // Picked in the diagram: show it in the list too.
  const at = model.indexOfSeq(seq);
  if (byUser && at >= 0) {
    const top = at * ROW_H;
    const page = viewport.clientHeight;
    if (top < viewport.scrollTop - page || top > viewport.scrollTop + 2 * page) {
      viewport.scrollTop = Math.max(0, top - page / 2); // far away: centred
    } else if (top < viewport.scrollTop) {
      viewport.scrollTop = top;
    } else if (top + ROW_H > viewport.scrollTop + page) {
      viewport.scrollTop = top + ROW_H - page;
    }
  }
  saveState();
  const id = requestId++;
  pendingDetail.set(id, seq);
  post({ type: 'getEntry', requestId: id, seq });
  queueRender();
  queueDiagram();
}

function showDetail(e: EntryDetail | undefined, error: string | undefined): void {
  if (!e) {
    detailEl.replaceChildren(h('p', { class: 'muted', text: error ?? 'No such entry.' }));
    return;
  }
  detailEl.replaceChildren(renderDetail(e, (noteId) => post({ type: 'openNote', noteId })));
}

let diagramQueued = false;
function queueDiagram(): void {
  if (!diagramQueued) {
    diagramQueued = true;
    // The diagram is heavier than the list: redraw it at most a few times a second.
    setTimeout(() => {
      diagramQueued = false;
      if (!paused) {
        renderDiagramNow();
      }
    }, 200);
  }
}

function renderDiagramNow(): void {
  const v = model.view;
  let end = v.length;
  if (model.state.selectedSeq !== undefined && !model.state.follow) {
    const at = model.indexOfSeq(model.state.selectedSeq);
    if (at >= 0) {
      end = Math.min(v.length, at + DIAGRAM_ROWS / 2);
    }
  }
  const start = Math.max(0, end - DIAGRAM_ROWS);
  const rows: Row[] = [];
  for (let i = start; i < end; i++) {
    rows.push(model.rowAt(i)!);
  }
  if (!rows.length) {
    diagramEl.replaceChildren(
      h('p', {
        class: 'muted',
        text: 'The sequence diagram draws each socket as a lane and each datagram, handshake and close as an arrow.',
      }),
    );
    return;
  }
  // The chart is rebuilt a few times a second: keep the horizontal scroll and a keyboard user's focus.
  const focused = diagramEl.contains(document.activeElement)
    ? (document.activeElement as Element).getAttribute('data-seq')
    : null;
  const left = diagramEl.scrollLeft;
  const d = renderDiagram({
    rows,
    sockets: model.sockets,
    known: model.known,
    selectedSeq: model.state.selectedSeq,
    onSelect: select_,
  });
  diagramEl.replaceChildren(...diagramNodes(d));
  diagramEl.scrollLeft = left;
  // Bring the selected event (or, when following, the newest) into view, both ways; leave the scroll alone
  // while it is in view, so that reading the chart is not disturbed by new traffic.
  const t = d.target;
  if (t && (t.selected || model.state.follow)) {
    const room = diagramEl.clientHeight - DIAGRAM_HEAD_H;
    if (!t.selected) {
      diagramEl.scrollTop = diagramEl.scrollHeight;
    } else if (t.y < diagramEl.scrollTop + 24 || t.y > diagramEl.scrollTop + room - 24) {
      diagramEl.scrollTop = Math.max(0, t.y - room / 2);
    }
    // Sideways, scroll as little as shows it whole (or its start, if it is wider than the pane): the chart's
    // left part, where a relay's clients are, stays in view when it can.
    const width = diagramEl.clientWidth - SEQ_W;
    if (t.left < diagramEl.scrollLeft || t.right - t.left > width) {
      diagramEl.scrollLeft = t.left;
    } else if (t.right > diagramEl.scrollLeft + width) {
      diagramEl.scrollLeft = t.right - width;
    }
  }
  if (focused !== null) {
    const again = diagramEl.querySelector<SVGGElement>(`g.mark[data-seq="${CSS.escape(focused)}"]`);
    if (again) {
      diagramEl.querySelector('g.mark[tabindex="0"]')?.setAttribute('tabindex', '-1');
      again.setAttribute('tabindex', '0');
      again.focus({ preventScroll: true });
    }
  }
}

function socketOptions(sockets: SocketInfo[]): Array<[string, string]> {
  return sockets.map((s) => [s.id, `${s.id} · ${s.label}`]);
}

function updateSockets(sockets: SocketInfo[]): void {
  model.setSockets(sockets);
  fillSelect(socketFilter, [['', 'All sockets'], ...socketOptions(sockets)], model.state.filter.socketId);
  const canSend = sockets.filter(
    (s) => s.kind !== 'tcp-server' && s.kind !== 'relay' && (s.state === 'bound' || s.state === 'open'),
  );
  const prev = sendSocket.value;
  fillSelect(sendSocket, canSend.length ? socketOptions(canSend) : [['', 'no open socket']], prev);
  updateSendBox();
}

function updateSendBox(): void {
  const s = model.sockets.find((x) => x.id === sendSocket.value);
  sendTo.hidden = !s || s.kind !== 'udp-server';
  sendBtn.disabled = !s;
  sendSocket.title = s ? `Send from ${s.label} (${s.id})` : 'No open socket to send from';
}

function setSendStatus(text: string, kind: '' | 'ok' | 'error'): void {
  sendStatus.textContent = text;
  sendStatus.title = text;
  sendStatus.className = `status${kind ? ` ${kind}` : ''}`;
}

function parseTo(text: string): { address: string; port: number } | undefined {
  const m = /^\s*(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})\s*$/.exec(text);
  return m ? { address: (m[1] ?? m[2])!, port: Number(m[3]) } : undefined;
}

function doSend(): void {
  const socketId = sendSocket.value;
  if (!socketId) {
    setSendStatus('Open a socket first.', 'error');
    return;
  }
  const msg: FromWebview = {
    type: 'sendMessage',
    requestId: requestId++,
    socketId,
    data: sendText.value,
    encoding: sendEnc.value as 'utf8' | 'hex' | 'base64',
    lineEnding: sendEol.value as LineEnding,
  };
  if (!sendTo.hidden) {
    const to = parseTo(sendTo.value);
    if (!to) {
      setSendStatus('Give the destination as address:port, e.g. 127.0.0.1:50000.', 'error');
      sendTo.focus();
      return;
    }
    msg.to = to;
  }
  pendingSend.add(msg.requestId);
  setSendStatus('Sending…', '');
  post(msg);
}

//#endregion

//#region messages

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      model.maxEntries = msg.settings.maxEntries;
      model.notes = new Map(msg.notes.map((n) => [n.id, n.title]));
      model.totals = msg.totals;
      if (!vscode.getState()) {
        model.state.payloadView = msg.settings.payloadView;
      }
      if (msg.filterSocketId !== undefined) {
        model.state.filter.socketId = msg.filterSocketId;
      }
      model.clear();
      updateSockets(msg.sockets);
      model.append(msg.rows);
      model.rebuildView();
      setFollow(model.state.follow);
      setPayloadView(model.state.payloadView);
      if (!model.state.follow && model.state.scrollTop !== undefined) {
        viewport.scrollTop = model.state.scrollTop;
      }
      queueRender();
      queueDiagram();
      if (model.state.selectedSeq !== undefined) {
        select_(model.state.selectedSeq, false);
      }
      break;
    case 'trafficAppended':
      model.totals = msg.totals;
      model.append(msg.rows);
      if (!paused) {
        queueRender();
        queueDiagram();
      }
      break;
    case 'socketsChanged':
      updateSockets(msg.sockets);
      break;
    case 'cleared':
      model.totals = msg.totals;
      model.clear();
      model.state.selectedSeq = undefined;
      showDetail(undefined, 'The log was cleared.');
      queueRender();
      queueDiagram();
      break;
    case 'setFilter':
      fillSelect(socketFilter, [['', 'All sockets'], ...socketOptions(model.sockets)], msg.socketId ?? '');
      setFilter({ socketId: msg.socketId ?? '' });
      break;
    case 'entryDetail':
      if (pendingDetail.get(msg.requestId) === model.state.selectedSeq) {
        showDetail(msg.entry, msg.error);
      }
      pendingDetail.delete(msg.requestId);
      break;
    case 'sendResult':
      if (pendingSend.delete(msg.requestId)) {
        setSendStatus(msg.error ? msg.error : `Sent ${msg.bytes} bytes.`, msg.error ? 'error' : 'ok');
      }
      break;
    default:
      assertNever(msg);
  }
});

new ResizeObserver(() => queueRender()).observe(viewport);
post({ type: 'ready' });

//#endregion
