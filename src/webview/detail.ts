/** The detail pane for one entry: endpoints, payload as text and as a hex dump, the notes, and the socket calls. */
import { base64ToBytes, escapeText, hexDump } from '../shared/bytes';
import { recogniseAppProtocol, type AppProtocolView } from '../shared/appProtocol';
import type { EntryDetail } from '../shared/protocol';
import { button, h } from './dom';
import { renderMarkdown } from './markdown';
import { tt } from './strings';

function ep(e: { address: string; port: number } | undefined): string {
  if (!e) {
    return '—';
  }
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

const CLOSED_BY: Record<string, string> = {
  local: 'closed by this side',
  'peer-fin': 'the peer sent FIN (orderly close)',
  reset: 'reset (RST): the connection was aborted',
  'server-closed': 'its server closed',
};

/** What the simulated network did to this datagram or chunk, in one sentence, UDP and TCP told apart. */
function impairmentText(e: EntryDetail): string | undefined {
  const to = ep(e.remote);
  const udp = e.protocol === 'udp';
  // A UDP server with loss (the pinger lab) drops what comes in; a relay drops what it was to send on.
  if (e.socketId.startsWith('udp-server') && (e.event === 'drop' || e.event === 'delay')) {
    return e.event === 'drop'
      ? `The server's simulated loss dropped this datagram from ${to} before recvfrom() could return it: the sender is not told, and gets no reply.`
      : `The server's simulated network held this datagram from ${to} back before recvfrom() returned it.`;
  }
  switch (e.event) {
    case 'drop':
      return udp
        ? `The relay's simulated network dropped this datagram: it never arrives at ${to}, and neither side is told. UDP does not resend; only the application can notice (a timeout) and send again.`
        : `The relay's simulated network lost this segment, so TCP resends it after a retransmission timeout: the bytes still reach ${to}, complete and in order, only later. The application sees a delay, never a gap.`;
    case 'delay':
      return udp
        ? `The relay held this datagram back before sending it on to ${to}; datagrams held for different times can overtake each other.`
        : `The relay held these bytes back before writing them on to ${to} (a delay, or the wait for a retransmission); bytes behind them wait too, so they stay in order.`;
    case 'duplicate':
      return udp
        ? `The relay delivers this datagram twice to ${to}: UDP does not notice duplicates, the application must.`
        : `A duplicated segment: the receiving TCP discards the copy, so ${to} gets these bytes once.`;
    case 'reorder':
      return udp
        ? `The relay holds this datagram back so that a later one overtakes it on the way to ${to}: UDP keeps no order.`
        : `Reordered on the simulated network: TCP's sequence numbers put the bytes back in order before ${to} reads them.`;
    default:
      return undefined;
  }
}

/** The payload read as HTTP or SMTP: the start line, a table of its fields, and what is right or wrong. */
function renderAppProtocol(v: AppProtocolView): HTMLElement {
  const sec = h(
    'section',
    { class: `app-proto ${v.protocol.toLowerCase()}`, 'data-testid': 'app-protocol', 'aria-label': v.title },
    h('h3', { text: `Read as ${v.protocol}` }),
    h('p', { class: 'app-title', 'data-testid': 'app-protocol-title', text: v.title }),
  );
  if (v.table) {
    const [k, val] = v.table.head;
    sec.append(
      h(
        'table',
        { class: 'app-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: k }), h('th', { scope: 'col', text: val }))),
        h(
          'tbody',
          {},
          ...v.table.rows.map(([a, b]) => h('tr', {}, h('td', { text: a }), h('td', { text: b }))),
        ),
      ),
    );
  }
  if (v.checks.length) {
    sec.append(
      h(
        'ul',
        { class: 'app-checks' },
        ...v.checks.map((c) =>
          h('li', {
            class: c.ok === true ? 'ok' : c.ok === false ? 'warn' : 'fact',
            text: c.ok === false ? `⚠ ${c.text}` : c.text,
          }),
        ),
      ),
    );
  }
  return sec;
}

export function renderDetail(e: EntryDetail, openNote: (id: string) => void): HTMLElement {
  const root = h('div', { class: 'detail-body' });
  root.append(
    h('h2', { text: `#${e.seq} ${e.event} · ${e.protocol.toUpperCase()}` }),
    h(
      'dl',
      { class: 'facts' },
      h('dt', { text: tt('factSocket') }),
      h('dd', { text: e.socketLabel ? `${e.socketLabel} (${e.socketId})` : e.socketId }),
      h('dt', { text: tt('factTime') }),
      h('dd', { text: e.time }),
      h('dt', { text: tt('factLocal') }),
      h('dd', { text: ep(e.local) }),
      h('dt', { text: tt('factRemote') }),
      h('dd', { text: ep(e.remote) }),
      h('dt', { text: tt('factBytes') }),
      h('dd', { text: String(e.bytes) }),
    ),
  );
  const impaired = impairmentText(e);
  if (impaired) {
    root.append(h('p', { class: `impaired ev-${e.event} ${e.protocol}`, text: impaired }));
  }
  if (e.closedBy) {
    root.append(h('p', { class: 'closed', text: CLOSED_BY[e.closedBy] ?? e.closedBy }));
  }
  if (e.error) {
    root.append(
      h('p', { class: 'error', role: 'alert', text: `${e.error.code ?? 'error'}: ${e.error.message}` }),
    );
  }
  if (e.data !== undefined) {
    const bytes = base64ToBytes(e.data);
    const note = e.truncated ? tt('payloadKept', bytes.length, e.bytes) : '';
    // Only a TCP stream carries these protocols here; a datagram that looks like one is left as it is.
    const app = e.protocol === 'tcp' ? recogniseAppProtocol(bytes, e.bytes) : undefined;
    if (app) {
      root.append(renderAppProtocol(app));
    }
    root.append(
      h('h3', { text: tt('payloadAsText') + note }),
      h('pre', { class: 'payload', 'data-testid': 'payload-text', text: escapeText(bytes) }),
      h('h3', { text: tt('hexDump') }),
      h('pre', { class: 'hexdump', 'data-testid': 'payload-hex', text: hexDump(bytes) }),
    );
  } else if (e.bytes > 0) {
    root.append(
      h('p', {
        class: 'muted',
        text: tt('payloadGone'),
      }),
    );
  }
  if (e.notes.length) {
    root.append(h('h3', { text: tt('whyThisHappened') }));
    for (const n of e.notes) {
      const sec = h('section', { class: 'note', 'aria-label': n.title });
      sec.append(h('h4', { text: n.title }), renderMarkdown(n.tree, { openNote }));
      sec.append(button(tt('openNoteButton'), 'book', () => openNote(n.id), tt('openNoteInPanel', n.title)));
      root.append(sec);
    }
  }
  root.append(h('h3', { text: tt('theSocketCall') }));
  for (const [lang, code] of [
    ['Python', e.calls.python],
    ['C', e.calls.c],
    ['Java', e.calls.java],
  ] as const) {
    root.append(
      h(
        'div',
        { class: 'call' },
        h('span', { class: 'lang', text: lang }),
        h('pre', {}, h('code', { text: code })),
      ),
    );
  }
  return root;
}
