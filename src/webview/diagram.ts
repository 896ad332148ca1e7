/**
 * The live message-sequence chart: one lane per socket (a server's connection sockets next to it, outside peers
 * by endpoint), arrows for datagrams, connection set-up, data and close, each with the socket call on each side,
 * drawn from real traffic. SVG built with createElementNS; every label is set with textContent.
 */
import { ROW, type Row, type SocketInfo } from '../shared/protocol';
import { svg } from './dom';
import { eventName } from './model';

const LANE_W = 156;
const ROW_H = 36;
const TOP = 64;

type Lane = { key: string; title: string; sub: string; x: number };

const KIND_TITLE: Record<string, string> = {
  'udp-server': 'UDP server',
  'udp-client': 'UDP client',
  'tcp-server': 'TCP server (welcoming)',
  'tcp-connection': 'connection socket',
  'tcp-client': 'TCP client',
  relay: 'relay',
};

function kindOf(socketId: string, sockets: Map<string, SocketInfo>): string {
  return sockets.get(socketId)?.kind ?? socketId.replace(/-\d+$/, '');
}

export type DiagramInput = {
  rows: Row[];
  sockets: SocketInfo[];
  selectedSeq?: number;
  onSelect: (seq: number) => void;
};

export function renderDiagram(input: DiagramInput): SVGSVGElement {
  const sockets = new Map(input.sockets.map((s) => [s.id, s]));
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
    const k = kindOf(sid, sockets);
    if (k !== 'tcp-connection' && !byLocal.has(r[ROW.Local])) {
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

  const addLane = (key: string, title: string, sub: string, after?: string): Lane => {
    let lane = laneByKey.get(key);
    if (!lane) {
      lane = { key, title, sub, x: 0 };
      const at = after ? lanes.findIndex((l) => l.key === after) : -1;
      if (at >= 0) {
        let end = at + 1;
        while (end < lanes.length && lanes[end]!.key.startsWith('s:tcp-connection')) {
          end++;
        }
        lanes.splice(end, 0, lane);
      } else {
        lanes.push(lane);
      }
      laneByKey.set(key, lane);
    }
    return lane;
  };
  const socketLane = (sid: string): Lane => {
    const s = sockets.get(sid);
    const k = kindOf(sid, sockets);
    return addLane(
      `s:${sid}`,
      KIND_TITLE[k] ?? k,
      localOf.get(sid) ?? '',
      s?.parentId ? `s:${s.parentId}` : undefined,
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
    return addLane(`e:${remote}`, 'outside peer', remote);
  };

  type Mark =
    | { kind: 'box'; seq: number; lane: Lane; text: string; cls: string }
    | { kind: 'arrow'; seq: number; from: Lane; to: Lane; text: string; cls: string };
  const marks: Mark[] = [];
  const pendingSends = new Map<string, number[]>(); // "fromLane>toLane" -> bytes of sends not yet matched

  for (const r of input.rows) {
    const seq = r[ROW.Seq];
    const ev = eventName(r);
    const sid = r[ROW.Socket];
    const tcp =
      kindOf(sid, sockets).startsWith('tcp') || (kindOf(sid, sockets) === 'relay' && r[ROW.Flags] & 4);
    const me = socketLane(sid);
    const bytes = r[ROW.Bytes];
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
          const note = r[ROW.Flags] & 2 ? 'RST' : 'FIN';
          marks.push({
            kind: 'arrow',
            seq,
            from: me,
            to: peer,
            text: note,
            cls: note === 'RST' ? 'err' : 'ctl',
          });
        }
        break;
      }
      case 'error':
        marks.push({ kind: 'box', seq, lane: me, text: 'error', cls: 'err' });
        break;
      default:
        marks.push({ kind: 'box', seq, lane: me, text: ev, cls: ev === 'drop' ? 'err' : 'imp' });
    }
  }

  lanes.forEach((l, i) => (l.x = 16 + LANE_W / 2 + i * LANE_W));
  const width = Math.max(lanes.length, 1) * LANE_W + 32;
  const height = TOP + marks.length * ROW_H + 24;
  const root = svg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    class: 'seq',
    role: 'img',
    'aria-label': `Sequence diagram of ${marks.length} events between ${lanes.length} sockets`,
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
  root.append(defs);

  for (const l of lanes) {
    root.append(svg('line', { x1: l.x, y1: 44, x2: l.x, y2: height - 8, class: 'lifeline' }));
    root.append(svg('text', { x: l.x, y: 18, class: 'lane-title', 'text-anchor': 'middle' }, l.title));
    root.append(svg('text', { x: l.x, y: 34, class: 'lane-sub', 'text-anchor': 'middle' }, l.sub));
  }

  marks.forEach((m, i) => {
    const y = TOP + i * ROW_H;
    const g = svg('g', {
      class: `mark ${m.cls}${m.seq === input.selectedSeq ? ' selected' : ''}`,
      tabindex: 0,
      role: 'button',
      'data-seq': m.seq,
    });
    g.setAttribute('aria-label', `#${m.seq} ${m.text}`);
    if (m.kind === 'box') {
      const w = Math.min(LANE_W - 12, 14 + m.text.length * 6.6);
      g.append(svg('rect', { x: m.lane.x - w / 2, y: y - 11, width: w, height: 22, rx: 4 }));
      g.append(svg('text', { x: m.lane.x, y: y + 4, 'text-anchor': 'middle' }, m.text));
    } else {
      const x1 = m.from.x;
      const x2 = m.to.x;
      const self = x1 === x2;
      if (self) {
        g.append(
          svg('path', {
            d: `M ${x1} ${y - 8} h 30 v 16 h -28`,
            class: 'line',
            'marker-end': 'url(#arrowhead)',
          }),
        );
      } else {
        g.append(
          svg('line', {
            x1,
            y1: y,
            x2: x2 + (x2 > x1 ? -4 : 4),
            y2: y,
            class: 'line',
            'marker-end': 'url(#arrowhead)',
          }),
        );
      }
      g.append(
        svg(
          'text',
          { x: self ? x1 + 36 : (x1 + x2) / 2, y: y - 6, 'text-anchor': self ? 'start' : 'middle' },
          m.text,
        ),
      );
      // a wide invisible hit area makes thin arrows easy to click
      g.append(
        svg('rect', {
          x: Math.min(x1, x2),
          y: y - 16,
          width: Math.max(Math.abs(x2 - x1), 40),
          height: 24,
          class: 'hit',
        }),
      );
    }
    g.append(svg('text', { x: 4, y: y + 4, class: 'seqno' }, `#${m.seq}`));
    g.addEventListener('click', () => input.onSelect(m.seq));
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        input.onSelect(m.seq);
      }
    });
    root.append(g);
  });
  return root;
}
