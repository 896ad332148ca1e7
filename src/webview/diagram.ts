/**
 * The live message-sequence chart: one lane per socket (a server's connection sockets and a relay's legs next to
 * it, outside peers by endpoint), arrows for datagrams, connection set-up, data and close, each with the socket
 * call on each side, drawn from real traffic. What the simulated network lost is drawn as an arrow that stops
 * short at a cross: red for UDP (gone for good), orange for TCP (resent by TCP, so it still arrives).
 * SVG built with createElementNS; every label is set with textContent.
 */
import { ROW, RowFlag, type Row, type SocketInfo } from '../shared/protocol';
import { h, svg } from './dom';
import { eventName } from './model';
import { tt } from './strings';

const ROW_H = 34;
/** Height of the lane header, drawn in its own SVG that stays in view when the diagram scrolls. */
const HEAD_H = 42;
const TOP = 20;
/** Left margin of the chart; the "#seq" numbers are in a column of their own that stays in view. */
const LEFT = 12;
export const SEQ_W = 52;
const MIN_GAP = 96;
/** Estimated advance of one character of 11 px text: monospace labels, proportional lane titles. */
const MONO_CH = 6.7;
const TITLE_CH = 6.4;
/** Where along a lost arrow the cross sits. */
const LOST_AT = 0.62;

/** A lane: one socket, one outside peer, or (for a relay) all its legs or all its clients of one role. */
type Lane = {
  key: string;
  title: string;
  /** The endpoints drawn on this lane: the sub-title shows the one, or how many. */
  members: Set<string>;
  /** The playground sockets drawn on it (a relay's legs can share one endpoint: accepted sockets do). */
  sockets: Set<string>;
  x: number;
  parentKey?: string;
  role?: 'relay' | 'legs-client' | 'legs-server' | 'clients';
  relayKey?: string;
};

const KIND_TITLE: Record<string, Parameters<typeof tt>[0]> = {
  'udp-server': 'laneUdpServer',
  'udp-client': 'laneUdpClient',
  'tcp-server': 'laneTcpServer',
  'tcp-connection': 'laneConnection',
  'tcp-client': 'laneTcpClient',
  relay: 'laneRelay',
};

export type DiagramInput = {
  rows: Row[];
  /** The open sockets (their endpoints tell whose an address is). */
  sockets: SocketInfo[];
  /** Every socket seen, closed ones too (their kind and parent say how to draw their old rows). */
  known: ReadonlyMap<string, SocketInfo>;
  selectedSeq?: number;
  onSelect: (seq: number) => void;
};

export type DiagramOutput = {
  /** The lane titles (the header that stays in view), the "#seq" column, and the chart. */
  head: SVGSVGElement;
  seqs: SVGSVGElement;
  body: SVGSVGElement;
  /** Where the selected event's mark is in `body` (else the newest event's), to scroll it into view. */
  target?: { y: number; left: number; right: number; selected: boolean };
};

type Mark =
  | { kind: 'box'; seq: number; lane: Lane; text: string; cls: string }
  | { kind: 'arrow' | 'lost'; seq: number; from: Lane; to: Lane; text: string; cls: string };

const textWidth = (text: string, ch = MONO_CH) => text.length * ch;

export function renderDiagram(input: DiagramInput): DiagramOutput {
  const known = input.known;
  const kindOf = (socketId: string): string => known.get(socketId)?.kind ?? socketId.replace(/-\d+$/, '');
  /** The relay a socket is a leg of, if it is one. */
  const relayOf = (socketId: string): string | undefined => {
    const parent = known.get(socketId)?.parentId;
    return parent && kindOf(parent) === 'relay' ? parent : undefined;
  };
  const lanes: Lane[] = [];
  const laneByKey = new Map<string, Lane>();
  // Which socket owns a local endpoint (and, for TCP, a local+remote pair), learnt from the rows themselves.
  const byLocal = new Map<string, string>();
  const byPair = new Map<string, string>();
  const localOf = new Map<string, string>();
  for (const r of input.rows) {
    const sid = r[ROW.Socket];
    localOf.set(sid, r[ROW.Local]);
    if (r[ROW.Remote]) {
      byPair.set(`${r[ROW.Local]}|${r[ROW.Remote]}`, sid);
    }
    if (kindOf(sid) !== 'tcp-connection' && !byLocal.has(r[ROW.Local])) {
      byLocal.set(r[ROW.Local], sid);
    }
  }
  for (const s of input.sockets) {
    const ep = s.local.address.includes(':')
      ? `[${s.local.address}]:${s.local.port}`
      : `${s.local.address}:${s.local.port}`;
    if (s.kind !== 'tcp-connection' && !byLocal.has(ep)) {
      byLocal.set(ep, s.id);
    }
  }

  const addLane = (lane: Omit<Lane, 'members' | 'sockets' | 'x'>, member: string, socket?: string): Lane => {
    let l = laneByKey.get(lane.key);
    if (!l) {
      l = { ...lane, members: new Set(), sockets: new Set(), x: 0 };
      const at = l.parentKey ? lanes.findIndex((x) => x.key === l!.parentKey) : -1;
      if (at >= 0) {
        // After the parent and its other children.
        let end = at + 1;
        while (end < lanes.length && lanes[end]!.parentKey === l.parentKey) {
          end++;
        }
        lanes.splice(end, 0, l);
      } else {
        lanes.push(l);
      }
      laneByKey.set(l.key, l);
    }
    if (member) {
      l.members.add(member);
    }
    if (socket) {
      l.sockets.add(socket);
    }
    return l;
  };
  const socketLane = (sid: string): Lane => {
    const local = localOf.get(sid) ?? '';
    const relay = relayOf(sid);
    if (relay) {
      // A relay's legs share a lane per side: a new one per client would crowd the chart with lanes that
      // each carry one exchange. Which socket it was is in the log and the detail.
      const clientSide = kindOf(sid) === 'tcp-connection';
      return addLane(
        {
          key: `s:${relay}:${clientSide ? 'client' : 'server'}`,
          title: clientSide ? tt('laneLegClient') : tt('laneLegServer'),
          parentKey: `s:${relay}`,
          role: clientSide ? 'legs-client' : 'legs-server',
          relayKey: `s:${relay}`,
        },
        local,
        sid,
      );
    }
    const s = known.get(sid);
    const k = kindOf(sid);
    return addLane(
      {
        key: `s:${sid}`,
        title:
          k === 'relay'
            ? tt('laneRelayOf', s?.label.slice(0, 3) ?? '').trim()
            : KIND_TITLE[k]
              ? tt(KIND_TITLE[k])
              : k,
        parentKey: s?.parentId ? `s:${s.parentId}` : undefined,
        role: k === 'relay' ? 'relay' : undefined,
      },
      local,
    );
  };
  const peerLane = (r: Row): Lane | undefined => {
    const remote = r[ROW.Remote];
    if (!remote) {
      return undefined;
    }
    const pair = byPair.get(`${remote}|${r[ROW.Local]}`);
    if (pair) {
      return socketLane(pair);
    }
    const owner = byLocal.get(remote);
    if (owner && owner !== r[ROW.Socket]) {
      return socketLane(owner);
    }
    // The outside clients of a relay (of its listening socket, or of its client-side legs) share one lane.
    const sid = r[ROW.Socket];
    const relay = kindOf(sid) === 'relay' ? sid : kindOf(sid) === 'tcp-connection' ? relayOf(sid) : undefined;
    if (relay) {
      return addLane(
        { key: `e:clients:${relay}`, title: 'client', role: 'clients', relayKey: `s:${relay}` },
        remote,
      );
    }
    return addLane({ key: `e:${remote}`, title: tt('laneOutside') }, remote);
  };

  const marks: Mark[] = [];
  const pendingSends = new Map<string, number[]>(); // "fromLane>toLane" -> bytes of sends not yet matched
  /** Outside peers a relay's legs talk to: its target, drawn right of the legs. */
  const relayTargets = new Map<string, Lane[]>();

  for (const r of input.rows) {
    const seq = r[ROW.Seq];
    const ev = eventName(r);
    const sid = r[ROW.Socket];
    const tcp = Boolean(r[ROW.Flags] & RowFlag.Tcp);
    const me = socketLane(sid);
    const bytes = r[ROW.Bytes];
    if (me.role === 'legs-server' && me.relayKey) {
      const peer = peerLane(r);
      if (peer && !peer.role && peer.key.startsWith('e:')) {
        const list = relayTargets.get(me.relayKey) ?? [];
        if (!list.includes(peer)) {
          list.push(peer);
        }
        relayTargets.set(me.relayKey, list);
      }
    }
    switch (ev) {
      case 'bind':
        marks.push({ kind: 'box', seq, lane: me, text: 'socket() + bind()', cls: 'life' });
        break;
      case 'listen':
        marks.push({ kind: 'box', seq, lane: me, text: 'listen()', cls: 'life' });
        break;
      case 'accept': {
        const peer = peerLane(r);
        marks.push({ kind: 'box', seq, lane: me, text: 'accept() → new socket', cls: 'life' });
        if (peer && peer.key.startsWith('e:')) {
          marks.push({
            kind: 'arrow',
            seq,
            from: peer,
            to: me,
            text: 'handshake: SYN, SYN-ACK, ACK',
            cls: 'ctl',
          });
        }
        break;
      }
      case 'connect': {
        const remote = r[ROW.Remote];
        const server = byLocal.get(remote);
        const to = server ? socketLane(server) : peerLane(r);
        if (to) {
          marks.push({ kind: 'arrow', seq, from: me, to, text: 'connect(): SYN, SYN-ACK, ACK', cls: 'ctl' });
        }
        break;
      }
      case 'send': {
        const to = peerLane(r);
        if (to) {
          const key = `${me.key}>${to.key}`;
          pendingSends.set(key, [...(pendingSends.get(key) ?? []), bytes]);
          marks.push({
            kind: 'arrow',
            seq,
            from: me,
            to,
            text: `${tcp ? 'send() → recv()' : 'sendto() → recvfrom()'} · ${bytes} B`,
            cls: 'data',
          });
        }
        break;
      }
      case 'receive': {
        const from = peerLane(r);
        if (!from) {
          break;
        }
        // Drawn already as the matching send of a playground socket in this window?
        const q = pendingSends.get(`${from.key}>${me.key}`);
        const i = q ? q.indexOf(bytes) : -1;
        if (q && i >= 0) {
          q.splice(i, 1);
          break;
        }
        marks.push({
          kind: 'arrow',
          seq,
          from,
          to: me,
          text: `${tcp ? 'recv()' : 'recvfrom()'} · ${bytes} B`,
          cls: 'data',
        });
        break;
      }
      case 'close': {
        const peer = peerLane(r);
        marks.push({ kind: 'box', seq, lane: me, text: 'close()', cls: 'life' });
        if (peer && tcp) {
          const rst = r[ROW.Flags] & RowFlag.Error ? 'RST' : 'FIN';
          marks.push({
            kind: 'arrow',
            seq,
            from: me,
            to: peer,
            text: rst,
            cls: rst === 'RST' ? 'err' : 'ctl',
          });
        }
        break;
      }
      case 'error':
        marks.push({ kind: 'box', seq, lane: me, text: 'error', cls: 'err' });
        break;
      case 'drop': {
        // Logged by the socket that was to send it, with the destination it never reached (UDP) or reached
        // only after TCP's retransmission (TCP).
        const peer = peerLane(r);
        // A UDP server with loss (the pinger lab) drops what comes in: that arrow points at it.
        const incoming = kindOf(sid) === 'udp-server';
        if (peer && peer !== me) {
          marks.push({
            kind: 'lost',
            seq,
            from: incoming ? peer : me,
            to: incoming ? me : peer,
            text: tcp ? `lost, TCP resends · ${bytes} B` : `lost · ${bytes} B`,
            cls: tcp ? 'lost resent' : 'lost',
          });
        } else {
          marks.push({ kind: 'box', seq, lane: me, text: tt('lost'), cls: tcp ? 'lost resent' : 'lost' });
        }
        break;
      }
      default:
        marks.push({ kind: 'box', seq, lane: me, text: ev, cls: 'imp' });
    }
  }

  const ordered = orderLanes(lanes, relayTargets);
  for (const l of ordered) {
    l.title = laneTitle(l);
  }
  const subOf = new Map(ordered.map((l) => [l, nameMembers(l)]));
  placeLanes(ordered, marks, subOf);
  const last = ordered[ordered.length - 1];
  const width = Math.ceil((last ? last.x + laneHalf(last, marks, subOf) : LEFT) + 24);
  const height = TOP + Math.max(marks.length, 1) * ROW_H;

  const head = svg('svg', {
    width,
    height: HEAD_H,
    viewBox: `0 0 ${width} ${HEAD_H}`,
    class: 'seq-head',
    'aria-hidden': 'true',
  });
  for (const l of ordered) {
    head.append(svg('text', { x: l.x, y: 16, class: 'lane-title', 'text-anchor': 'middle' }, l.title));
    head.append(svg('text', { x: l.x, y: 32, class: 'lane-sub', 'text-anchor': 'middle' }, subOf.get(l)));
    head.append(svg('line', { x1: l.x, y1: 36, x2: l.x, y2: HEAD_H, class: 'lifeline' }));
  }

  const seqs = svg('svg', {
    width: SEQ_W,
    height,
    viewBox: `0 0 ${SEQ_W} ${height}`,
    class: 'seq-col',
    'aria-hidden': 'true',
  });
  const body = svg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    class: 'seq',
    role: 'group',
    'aria-label': tt('diagramLabel', marks.length, ordered.length),
  });
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'arrowhead',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'head' }));
  defs.append(marker);
  body.append(defs);
  for (const l of ordered) {
    body.append(svg('line', { x1: l.x, y1: 0, x2: l.x, y2: height, class: 'lifeline' }));
  }

  let target: DiagramOutput['target'];
  const groups: SVGGElement[] = [];
  marks.forEach((m, i) => {
    const y = TOP + i * ROW_H;
    const selected = m.seq === input.selectedSeq;
    if (selected || (!target?.selected && i === marks.length - 1)) {
      // The lanes it joins, titles included.
      const ends = m.kind === 'box' ? [m.lane] : [m.from, m.to];
      const left = Math.min(...ends.map((l) => l.x - laneHalf(l, marks, subOf)));
      const right = Math.max(...ends.map((l) => l.x + laneHalf(l, marks, subOf)));
      if (!target?.selected) {
        target = { y, left: Math.max(0, left - LEFT), right: right + LEFT, selected };
      }
    }
    const no = svg(
      'text',
      { x: SEQ_W - 6, y: y + 4, class: `seqno${selected ? ' selected' : ''}` },
      `#${m.seq}`,
    );
    no.setAttribute('text-anchor', 'end');
    no.addEventListener('click', () => input.onSelect(m.seq));
    seqs.append(no);
    const g = svg('g', {
      class: `mark ${m.cls}${selected ? ' selected' : ''}`,
      tabindex: -1,
      role: 'button',
      'data-seq': m.seq,
      'aria-current': selected ? 'true' : undefined,
    });
    // The whole row is the target (and shows the selection as a band), not just the thin arrow or the box.
    g.append(svg('rect', { x: 0, y: y - ROW_H / 2, width, height: ROW_H, class: 'hit' }));
    if (m.kind === 'box') {
      g.setAttribute('aria-label', `#${m.seq} ${m.text} at ${m.lane.title} ${subOf.get(m.lane)}`);
      const w = textWidth(m.text) + 14;
      g.append(svg('rect', { x: m.lane.x - w / 2, y: y - 11, width: w, height: 22, rx: 4, class: 'box' }));
      g.append(svg('text', { x: m.lane.x, y: y + 4, 'text-anchor': 'middle', class: 'label' }, m.text));
    } else {
      g.setAttribute(
        'aria-label',
        `#${m.seq} ${m.text}, from ${m.from.title} ${subOf.get(m.from)} to ${m.to.title} ${subOf.get(m.to)}`,
      );
      drawArrow(g, m, y);
    }
    g.addEventListener('click', () => input.onSelect(m.seq));
    g.addEventListener('keydown', (e) => onMarkKey(e, groups, i, input.onSelect));
    groups.push(g);
    body.append(g);
  });
  // One tab stop for the whole chart (roving tabindex): the selected event, else the newest.
  const stop = groups.find((g) => g.classList.contains('selected')) ?? groups[groups.length - 1];
  stop?.setAttribute('tabindex', '0');
  return { head, seqs, body, target };
}

function drawArrow(g: SVGGElement, m: Extract<Mark, { from: Lane }>, y: number): void {
  const x1 = m.from.x;
  const x2 = m.to.x;
  const self = x1 === x2;
  const dir = x2 > x1 ? 1 : -1;
  if (self) {
    g.append(
      svg('path', { d: `M ${x1} ${y - 8} h 30 v 16 h -28`, class: 'line', 'marker-end': 'url(#arrowhead)' }),
    );
  } else if (m.kind === 'lost') {
    // Stops short of the receiver at a cross: it never got there (or, for TCP, not this time).
    const xe = x1 + (x2 - x1) * LOST_AT;
    g.append(svg('line', { x1, y1: y, x2: xe, y2: y, class: 'line' }));
    g.append(
      svg('path', {
        d: `M ${xe - 5} ${y - 5} L ${xe + 5} ${y + 5} M ${xe - 5} ${y + 5} L ${xe + 5} ${y - 5}`,
        class: 'cross',
      }),
    );
  } else {
    g.append(
      svg('line', { x1, y1: y, x2: x2 - dir * 4, y2: y, class: 'line', 'marker-end': 'url(#arrowhead)' }),
    );
  }
  g.append(
    svg(
      'text',
      {
        x: self ? x1 + 36 : (x1 + x2) / 2,
        y: y - 6,
        'text-anchor': self ? 'start' : 'middle',
        class: 'label',
      },
      m.text,
    ),
  );
}

function onMarkKey(
  e: KeyboardEvent,
  groups: SVGGElement[],
  i: number,
  onSelect: (seq: number) => void,
): void {
  let next = -1;
  switch (e.key) {
    case 'ArrowDown':
    case 'ArrowRight':
      next = Math.min(groups.length - 1, i + 1);
      break;
    case 'ArrowUp':
    case 'ArrowLeft':
      next = Math.max(0, i - 1);
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = groups.length - 1;
      break;
    case 'Enter':
    case ' ':
      e.preventDefault();
      onSelect(Number(groups[i]!.dataset['seq']));
      return;
    default:
      return;
  }
  e.preventDefault();
  const target = groups[next];
  if (target) {
    groups[i]!.setAttribute('tabindex', '-1');
    target.setAttribute('tabindex', '0');
    target.focus();
  }
}

/**
 * Left to right as a reader expects: a relay's clients, the relay, its legs (client side, then to the server),
 * then the server behind it. Other lanes keep the order they first appeared in (children after their parent).
 */
function orderLanes(lanes: Lane[], targets: Map<string, Lane[]>): Lane[] {
  const groupOf = new Map<Lane, string>();
  for (const l of lanes) {
    const g = l.role === 'relay' ? l.key : l.relayKey;
    if (g) {
      groupOf.set(l, g);
    }
  }
  for (const [g, list] of targets) {
    list.forEach((l) => groupOf.has(l) || groupOf.set(l, g));
  }
  const rank = (l: Lane) =>
    l.role === 'clients'
      ? 0
      : l.role === 'relay'
        ? 1
        : l.role === 'legs-client'
          ? 2
          : l.role === 'legs-server'
            ? 3
            : 4;
  const out: Lane[] = [];
  const done = new Set<string>();
  for (const l of lanes) {
    const g = groupOf.get(l);
    if (g === undefined) {
      out.push(l);
    } else if (!done.has(g)) {
      done.add(g);
      out.push(...lanes.filter((x) => groupOf.get(x) === g).sort((a, b) => rank(a) - rank(b)));
    }
  }
  return out;
}

/** The lane's second line: its one endpoint, or how many it stands for. */
function nameMembers(l: Lane): string {
  const list = [...l.members];
  const count = l.role === 'clients' ? list.length : l.sockets.size;
  const what = l.role === 'clients' ? 'clients' : 'sockets';
  if (count <= 1 || (l.role !== 'clients' && l.sockets.size === 0)) {
    return list.length <= 1 ? (list[0] ?? '') : `${list.length} endpoints`;
  }
  // Accepted sockets all have the relay's port: say so ("127.0.0.1:40000, 24 sockets").
  if (list.length === 1) {
    return `${list[0]}, ${count} ${what}`;
  }
  const addresses = new Set(list.map((e) => e.replace(/:\d+$/, '')));
  return addresses.size === 1 ? `${[...addresses][0]}, ${count} ${what}` : `${count} ${what}`;
}

/** "client" or "clients", "relay leg" or "relay legs": as many as the lane stands for. */
function laneTitle(l: Lane): string {
  if (l.role === 'clients' && l.members.size > 1) {
    return 'clients';
  }
  return l.role?.startsWith('legs') && l.sockets.size > 1 ? l.title.replace('leg', 'legs') : l.title;
}

/** Half the room a lane needs around its lifeline: its title, its address and the boxes drawn on it. */
function laneHalf(l: Lane, marks: Mark[], subOf: Map<Lane, string>): number {
  let w = Math.max(textWidth(l.title, TITLE_CH), textWidth(subOf.get(l) ?? ''));
  for (const m of marks) {
    if (m.kind === 'box' && m.lane === l) {
      w = Math.max(w, textWidth(m.text) + 14);
    }
  }
  return w / 2 + 8;
}

/**
 * Spaces the lanes so that every label fits between the lifelines it belongs to: adjacent lanes are at least
 * as far apart as their titles and boxes need, and an arrow's span is widened (evenly over the gaps it
 * crosses) until its label fits inside it with a margin.
 */
function placeLanes(lanes: Lane[], marks: Mark[], subOf: Map<Lane, string>): void {
  const index = new Map(lanes.map((l, i) => [l, i]));
  const half = lanes.map((l) => laneHalf(l, marks, subOf));
  const gaps = lanes.slice(1).map((_, i) => Math.max(MIN_GAP, half[i]! + half[i + 1]!));
  for (const m of marks) {
    if (m.kind === 'box') {
      continue;
    }
    const a = index.get(m.from)!;
    const b = index.get(m.to)!;
    const need = textWidth(m.text) + 28;
    if (a === b) {
      // A self arrow's label starts right of the loop and runs towards the next lane.
      if (a < gaps.length) {
        gaps[a] = Math.max(gaps[a]!, need + 36 - half[a + 1]!);
      }
      continue;
    }
    const [lo, hi] = a < b ? [a, b] : [b, a];
    let span = 0;
    for (let i = lo; i < hi; i++) {
      span += gaps[i]!;
    }
    if (span < need) {
      const extra = (need - span) / (hi - lo);
      for (let i = lo; i < hi; i++) {
        gaps[i] = gaps[i]! + extra;
      }
    }
  }
  let x = LEFT + (half[0] ?? 0);
  lanes.forEach((l, i) => {
    l.x = Math.round(x);
    x += gaps[i] ?? 0;
  });
}

/**
 * The container's contents for a diagram: the lane titles stay in view when the chart scrolls down, the event
 * numbers when it scrolls sideways (a relay's four or five lanes are wider than the pane).
 */
export function diagramNodes(d: DiagramOutput): HTMLElement[] {
  return [
    h('div', { class: 'diagram-head' }, h('div', { class: 'corner' }), d.head),
    h('div', { class: 'diagram-body' }, h('div', { class: 'seq-gutter' }, d.seqs), d.body),
  ];
}
