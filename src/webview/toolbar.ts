/** The toolbar above the traffic list: the filters and the live-view actions. DOM only; the state is the model's. */
import type { SocketInfo } from '../shared/protocol';
import { fillSelect, h, iconButton, select } from './dom';
import type { Direction, Filter } from './model';
import { tt } from './strings';

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
  const socketFilter = select<string>(tt('filterBySocket'), [['', tt('allSockets')]], filter.socketId, (v) =>
    a.setFilter({ socketId: v }),
  );
  const protoFilter = select<'all' | 'udp' | 'tcp'>(
    tt('filterByProtocol'),
    [
      ['all', 'UDP + TCP'],
      ['udp', 'UDP'],
      ['tcp', 'TCP'],
    ],
    filter.protocol,
    (v) => a.setFilter({ protocol: v }),
  );
  const dirFilter = select<Direction>(
    tt('filterByEvent'),
    [
      ['all', tt('allEvents')],
      ['in', tt('received')],
      ['out', tt('sent')],
      ['life', tt('lifecycle')],
      ['impairment', tt('impaired')],
      ['drop', tt('lostOnly')],
    ],
    filter.direction,
    (v) => a.setFilter({ direction: v }),
  );
  const textFilter = h('input', {
    type: 'search',
    placeholder: tt('filterTextPlaceholder'),
    'aria-label': tt('filterByText'),
    value: filter.text,
  });
  textFilter.addEventListener('input', () => a.setFilter({ text: textFilter.value }));
  const followBtn = iconButton('arrow-down', tt('follow'), a.toggleFollow);
  const pauseBtn = iconButton('debug-pause', tt('pause'), a.togglePause);
  const viewBtn = iconButton('symbol-numeric', tt('hexView'), a.togglePayloadView);
  const actions = h(
    'div',
    { class: 'actions' },
    followBtn,
    pauseBtn,
    viewBtn,
    iconButton('clear-all', tt('clearLog'), a.clearLog),
    iconButton('save', tt('exportLog'), a.exportLog),
  );
  const el = h(
    'header',
    { class: 'toolbar', role: 'toolbar', 'aria-label': tt('toolbar') },
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
      const title = on ? tt('resume') : tt('pause');
      pauseBtn.title = title;
      pauseBtn.setAttribute('aria-label', title);
      pauseBtn.firstElementChild!.className = `codicon codicon-${on ? 'debug-continue' : 'debug-pause'}`;
    },
    setPayloadView: (v) => press(viewBtn, v === 'hex'),
    setSockets: (sockets, value) =>
      fillSelect(socketFilter, [['', tt('allSockets')], ...socketOptions(sockets)], value),
  };
}
