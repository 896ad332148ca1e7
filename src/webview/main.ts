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
import { renderDiagram } from './diagram';
import { button, fillSelect, h, icon, select } from './dom';
import { DEFAULT_FILTER, Model, eventName, previewOf, type Direction, type UiState } from './model';

declare function acquireVsCodeApi(): {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
};

const vscode = acquireVsCodeApi();
const ROW_H = 22;
const OVERSCAN = 10;
const DIAGRAM_ROWS = 40;

function loadState(): UiState {
  const s = vscode.getState() as Partial<UiState> | undefined;
  return {
    filter: { ...DEFAULT_FILTER, ...(s?.filter ?? {}) },
    follow: s?.follow ?? true,
    selectedSeq: s?.selectedSeq,
    payloadView: s?.payloadView === 'hex' ? 'hex' : 'text',
    scrollTop: s?.scrollTop,
  };
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
const totalsEl = h('span', { class: 'totals', 'aria-live': 'polite' });
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
  'Filter by direction',
  [
    ['all', 'All events'],
    ['in', 'Received'],
    ['out', 'Sent'],
    ['life', 'Set-up, close, errors'],
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
const followBtn = button(
  'Follow',
  'arrow-down',
  () => setFollow(!model.state.follow),
  'Follow new traffic (scroll to the newest entry)',
);
const pauseBtn = button(
  'Pause',
  'debug-pause',
  () => setPaused(!paused),
  'Pause the live view (traffic is still logged)',
);
const viewBtn = button(
  'Hex',
  'symbol-numeric',
  () => setPayloadView(model.state.payloadView === 'hex' ? 'text' : 'hex'),
  'Show payloads as hex bytes instead of text',
);
const toolbar = h(
  'header',
  { class: 'toolbar', role: 'toolbar', 'aria-label': 'Traffic log tools' },
  socketFilter,
  protoFilter,
  dirFilter,
  textFilter,
  followBtn,
  pauseBtn,
  viewBtn,
  button('Clear', 'clear-all', () => post({ type: 'clearLog' }), 'Clear the traffic log'),
  button(
    'Export',
    'save',
    () => post({ type: 'exportLog', format: 'pcapng' }),
    'Export the log as pcapng or JSON Lines',
  ),
  totalsEl,
);

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
  { class: 'viewport', tabindex: 0, role: 'grid', 'aria-label': 'Traffic log', 'aria-rowcount': 0 },
  spacer,
  rowsEl,
);
const emptyEl = h('div', {
  class: 'empty',
  text: 'No traffic yet. Start a server or a client from the Sockets view, then send something: every socket call appears here, explained.',
});
const logSection = h('section', { class: 'log' }, header, viewport, emptyEl);

const detailEl = h(
  'div',
  { class: 'detail', 'aria-live': 'polite' },
  h('p', {
    class: 'muted',
    text: 'Select an entry to see its bytes, the notes that explain it, and the socket call behind it.',
  }),
);
const diagramEl = h('div', { class: 'diagram', 'aria-label': 'Sequence diagram' });
const side = h(
  'section',
  { class: 'side' },
  h(
    'div',
    { class: 'pane diagram-pane' },
    h('h2', { class: 'pane-title', text: 'Sequence diagram' }),
    diagramEl,
  ),
  h('div', { class: 'pane detail-pane' }, h('h2', { class: 'pane-title', text: 'Detail' }), detailEl),
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
  { class: 'sendbox', 'aria-label': 'Send' },
  icon('comment'),
  sendSocket,
  sendTo,
  sendText,
  sendEnc,
  sendEol,
  sendBtn,
  sendStatus,
);

app.append(toolbar, h('main', { class: 'split' }, logSection, side), sendBox);

//#endregion

//#region list

const pool: HTMLDivElement[] = [];

function makeRow(): HTMLDivElement {
  const el = h('div', { class: 'row', role: 'row' });
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

const ARROW: Record<string, string> = { send: '↑ ', receive: '↓ ', accept: '⇣ ', connect: '⇡ ' };

function fillRow(el: HTMLDivElement, r: Row, viewIndex: number): void {
  const cells = el.children;
  const ev = eventName(r);
  el.dataset['seq'] = String(r[ROW.Seq]);
  el.style.transform = `translateY(${viewIndex * ROW_H}px)`;
  el.className = `row ev-${ev}${r[ROW.Flags] & RowFlag.Error ? ' err' : ''}${r[ROW.Seq] === model.state.selectedSeq ? ' selected' : ''}`;
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
  totalsEl.textContent = `${shown} entries${t.evicted ? ` · ${t.evicted} evicted (counters stay exact)` : ''}`;
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
  pauseBtn.querySelector('span:last-child')!.textContent = on ? 'Resume' : 'Pause';
  if (!on) {
    queueRender();
    queueDiagram();
  }
}

function setPayloadView(v: 'text' | 'hex'): void {
  model.state.payloadView = v;
  viewBtn.classList.toggle('on', v === 'hex');
  saveState();
  queueRender();
}

function select_(seq: number): void {
  if (!Number.isFinite(seq)) {
    return;
  }
  model.state.selectedSeq = seq;
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
  diagramEl.replaceChildren(
    renderDiagram({ rows, sockets: model.sockets, selectedSeq: model.state.selectedSeq, onSelect: select_ }),
  );
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
}

function parseTo(text: string): { address: string; port: number } | undefined {
  const m = /^\s*(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})\s*$/.exec(text);
  return m ? { address: (m[1] ?? m[2])!, port: Number(m[3]) } : undefined;
}

function doSend(): void {
  const socketId = sendSocket.value;
  if (!socketId) {
    sendStatus.textContent = 'Open a socket first.';
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
      sendStatus.textContent = 'Give the destination as address:port, e.g. 127.0.0.1:50000.';
      sendStatus.className = 'status error';
      return;
    }
    msg.to = to;
  }
  pendingSend.add(msg.requestId);
  sendStatus.textContent = 'Sending…';
  sendStatus.className = 'status';
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
        select_(model.state.selectedSeq);
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
        sendStatus.textContent = msg.error ? msg.error : `Sent ${msg.bytes} bytes.`;
        sendStatus.className = msg.error ? 'status error' : 'status ok';
      }
      break;
    default:
      assertNever(msg);
  }
});

new ResizeObserver(() => queueRender()).observe(viewport);
post({ type: 'ready' });

//#endregion
