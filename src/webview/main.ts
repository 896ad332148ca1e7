/**
 * The traffic panel (browser side), wired together: the model (model.ts, no DOM), the toolbar, the virtual
 * list, the diagram and detail panes and the send box, and the one switch over the host's messages. Talks to the
 * host only through the typed protocol; renders every payload with textContent; keeps only UI state in
 * getState/setState (the host owns the log and re-sends it on `ready`).
 */
import { assertNever, type FromWebview, type ToWebview } from '../shared/protocol';
import { DetailPane } from './detailPane';
import { DiagramPane } from './diagramPane';
import { splitLayout } from './layout';
import { TrafficList, ROW_H } from './list';
import { Model, restoreUiState, type UiState } from './model';
import { SendBox } from './sendBox';
import { toolbar } from './toolbar';
import { setTrafficStrings, tt } from './strings';

declare function acquireVsCodeApi(): {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
};

const vscode = acquireVsCodeApi();
const model = new Model(restoreUiState(vscode.getState()));
let paused = false;
let requestId = 1;
const pendingDetail = new Map<number, number>(); // requestId -> seq

function post(m: FromWebview): void {
  vscode.postMessage(m);
}

function saveState(): void {
  vscode.setState({ ...model.state, scrollTop: list.scrollTop });
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveStateSoon(): void {
  if (!saveTimer) {
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      saveState();
    }, 300);
  }
}

// Built on the first `init`, which brings the words in the display language (strings.ts): drawn before, the
// page would show English until a redraw.
let bar!: ReturnType<typeof toolbar>;
let list!: TrafficList;
let diagram!: DiagramPane;
let detail!: DetailPane;
let sendBox!: SendBox;
let built = false;

function build(): void {
  built = true;
  bar = toolbar(model.state.filter, {
    setFilter,
    toggleFollow: () => setFollow(!model.state.follow),
    togglePause: () => setPaused(!paused),
    togglePayloadView: () => setPayloadView(model.state.payloadView === 'hex' ? 'text' : 'hex'),
    clearLog: () => post({ type: 'clearLog' }),
    exportLog: () => post({ type: 'exportLog', format: 'pcapng' }),
  });
  list = new TrafficList(model, {
    isPaused: () => paused,
    select: (seq) => select(seq),
    scrolledAway: () => setFollow(false),
    scrolled: saveStateSoon,
  });
  diagram = new DiagramPane(model, {
    isPaused: () => paused,
    select: (seq) => select(seq),
    scopeChanged: saveState,
  });
  detail = new DetailPane((noteId) => post({ type: 'openNote', noteId }));
  sendBox = new SendBox(post, () => requestId++);

  document
    .getElementById('app')!
    .append(
      bar.el,
      splitLayout(
        model.state,
        { log: list.el, diagram: diagram.el, detail: detail.el },
        { resized: () => list.queue(), commit: saveState },
      ),
      sendBox.el,
    );
}

function redraw(): void {
  list.queue();
  diagram.queue();
}

function setFilter(f: Partial<UiState['filter']>): void {
  model.state.filter = { ...model.state.filter, ...f };
  model.rebuildView();
  // Keep the selected entry in sight when it passes the new filter.
  const at = model.state.selectedSeq !== undefined ? model.indexOfSeq(model.state.selectedSeq) : -1;
  if (at >= 0 && !model.state.follow) {
    list.scrollTop = Math.max(0, at * ROW_H - list.viewport.clientHeight / 2);
  }
  saveState();
  redraw();
}

function setFollow(on: boolean): void {
  model.state.follow = on;
  bar.setFollow(on);
  saveState();
  if (on) {
    list.queue();
  }
}

function setPaused(on: boolean): void {
  paused = on;
  bar.setPaused(on);
  if (!on) {
    redraw();
  }
}

function setPayloadView(v: 'text' | 'hex'): void {
  model.state.payloadView = v;
  bar.setPayloadView(v);
  saveState();
  list.queue();
}

/** Selects an entry; one the user picks stops following new traffic, so that it stays in view. */
function select(seq: number, byUser = true): void {
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
    list.reveal(at);
  }
  saveState();
  const id = requestId++;
  pendingDetail.set(id, seq);
  post({ type: 'getEntry', requestId: id, seq });
  redraw();
}

function setSockets(sockets: Parameters<Model['setSockets']>[0]): void {
  model.setSockets(sockets);
  bar.setSockets(sockets, model.state.filter.socketId);
  sendBox.setSockets(sockets);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  if (msg.type !== 'init' && !built) {
    return; // the host answers `ready` with an `init`, which builds the page
  }
  switch (msg.type) {
    case 'init':
      if (!built) {
        setTrafficStrings(msg.strings);
        build();
      }
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
      setSockets(msg.sockets);
      model.append(msg.rows);
      model.rebuildView();
      setFollow(model.state.follow);
      setPayloadView(model.state.payloadView);
      if (!model.state.follow && model.state.scrollTop !== undefined) {
        list.scrollTop = model.state.scrollTop;
      }
      redraw();
      if (model.state.selectedSeq !== undefined) {
        select(model.state.selectedSeq, false);
      }
      break;
    case 'trafficAppended':
      model.totals = msg.totals;
      model.append(msg.rows);
      if (!paused) {
        redraw();
      }
      break;
    case 'socketsChanged':
      setSockets(msg.sockets);
      break;
    case 'cleared':
      model.totals = msg.totals;
      model.clear();
      model.state.selectedSeq = undefined;
      detail.show(undefined, tt('logCleared'));
      redraw();
      break;
    case 'setFilter':
      bar.setSockets(model.sockets, msg.socketId ?? '');
      setFilter({ socketId: msg.socketId ?? '' });
      break;
    case 'entryDetail':
      if (pendingDetail.get(msg.requestId) === model.state.selectedSeq) {
        detail.show(msg.entry, msg.error);
      }
      pendingDetail.delete(msg.requestId);
      break;
    case 'sendResult':
      sendBox.onResult(msg);
      break;
    default:
      assertNever(msg);
  }
});

post({ type: 'ready' });
