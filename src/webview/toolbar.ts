/** The toolbar above the traffic list: the filters and the live-view actions. DOM only; the state is the model's. */
import type { SocketInfo } from '../shared/protocol';
import { fillSelect, h, iconButton, select } from './dom';
import type { Direction, Filter } from './model';

export type ToolbarActions = {
  setFilter(f: Partial<Filter>): void;
  toggleFollow(): void;
  togglePause(): void;
  togglePayloadView(): void;
  clearLog(): void;
  exportLog(): void;
};

export type Toolbar = {
  el: HTMLElement;
  setFollow(on: boolean): void;
  setPaused(on: boolean): void;
  setPayloadView(v: 'text' | 'hex'): void;
  /** Refills the socket filter with the sockets open now, keeping `value` when it is still there. */
  setSockets(sockets: SocketInfo[], value: string): void;
};

export function socketOptions(sockets: SocketInfo[]): Array<[string, string]> {
  return sockets.map((s) => [s.id, `${s.id} · ${s.label}`]);
}

function press(b: HTMLButtonElement, on: boolean): void {
  b.classList.toggle('on', on);
  b.setAttribute('aria-pressed', String(on));
}

export function toolbar(filter: Filter, a: ToolbarActions): Toolbar {
  const socketFilter = select<string>('Filter by socket', [['', 'All sockets']], filter.socketId, (v) =>
    a.setFilter({ socketId: v }),
  );
  const protoFilter = select<'all' | 'udp' | 'tcp'>(
    'Filter by protocol',
    [
      ['all', 'UDP + TCP'],
      ['udp', 'UDP'],
      ['tcp', 'TCP'],
    ],
    filter.protocol,
    (v) => a.setFilter({ protocol: v }),
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
    filter.direction,
    (v) => a.setFilter({ direction: v }),
  );
  const textFilter = h('input', {
    type: 'search',
    placeholder: 'Filter text, address, port…',
    'aria-label': 'Filter by text',
    value: filter.text,
  });
  textFilter.addEventListener('input', () => a.setFilter({ text: textFilter.value }));
  const followBtn = iconButton(
    'arrow-down',
    'Follow new traffic (scroll to the newest entry)',
    a.toggleFollow,
  );
  const pauseBtn = iconButton('debug-pause', 'Pause the live view (traffic is still logged)', a.togglePause);
  const viewBtn = iconButton(
    'symbol-numeric',
    'Show payloads as hex bytes instead of text',
    a.togglePayloadView,
  );
  const actions = h(
    'div',
    { class: 'actions' },
    followBtn,
    pauseBtn,
    viewBtn,
    iconButton('clear-all', 'Clear the traffic log', a.clearLog),
    iconButton('save', 'Export the log as pcapng or JSON Lines', a.exportLog),
  );
  const el = h(
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
  el.addEventListener('keydown', (e) => {
    if (
      (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') ||
      e.target instanceof HTMLInputElement ||
      e.target instanceof HTMLSelectElement
    ) {
      return;
    }
    const items = [...el.querySelectorAll<HTMLElement>('select, input, button')];
    const at = items.indexOf(e.target as HTMLElement);
    const next = items[at + (e.key === 'ArrowRight' ? 1 : -1)];
    if (at >= 0 && next) {
      e.preventDefault();
      next.focus();
    }
  });
  return {
    el,
    setFollow: (on) => press(followBtn, on),
    setPaused(on) {
      press(pauseBtn, on);
      const title = on ? 'Resume the live view' : 'Pause the live view (traffic is still logged)';
      pauseBtn.title = title;
      pauseBtn.setAttribute('aria-label', title);
      pauseBtn.firstElementChild!.className = `codicon codicon-${on ? 'debug-continue' : 'debug-pause'}`;
    },
    setPayloadView: (v) => press(viewBtn, v === 'hex'),
    setSockets: (sockets, value) =>
      fillSelect(socketFilter, [['', 'All sockets'], ...socketOptions(sockets)], value),
  };
}
