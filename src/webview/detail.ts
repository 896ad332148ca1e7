/** The detail pane for one entry: endpoints, payload as text and as a hex dump, the notes, and the socket calls. */
import { base64ToBytes, escapeText, hexDump } from '../shared/bytes';
import { recogniseAppProtocol, type AppProtocolView } from '../shared/appProtocol';
import type { EntryDetail } from '../shared/protocol';
import { TRAFFIC_STRINGS } from '../shared/webviewStrings';
import { button, h } from './dom';
import { renderMarkdown } from './markdown';
import { localText, tt } from './strings';

function ep(e: { address: string; port: number } | undefined): string {
  if (!e) {
    return '—';
  }
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** How a connection ended, in the panel's words. */
function closedBy(how: string): string {
  switch (how) {
    case 'local':
      return tt('closedByLocal');
    case 'peer-fin':
      return tt('closedByPeerFin');
    case 'reset':
      return tt('closedByReset');
    case 'server-closed':
      return tt('closedByServer');
    default:
      return how;
  }
}

/** What the simulated network did to this datagram or chunk, in one sentence, UDP and TCP told apart. */
function impairmentText(e: EntryDetail): string | undefined {
  const to = ep(e.remote);
  const udp = e.protocol === 'udp';
  // A UDP server with loss (the pinger lab) drops what comes in; a relay drops what it was to send on.
  if (e.socketId.startsWith('udp-server') && (e.event === 'drop' || e.event === 'delay')) {
    return e.event === 'drop' ? tt('impServerDrop', to) : tt('impServerDelay', to);
  }
  switch (e.event) {
    case 'drop':
      return udp ? tt('impUdpDrop', to) : tt('impTcpDrop', to);
    case 'delay':
      return udp ? tt('impUdpDelay', to) : tt('impTcpDelay', to);
    case 'duplicate':
      return udp ? tt('impUdpDuplicate', to) : tt('impTcpDuplicate', to);
    case 'reorder':
      return udp ? tt('impUdpReorder', to) : tt('impTcpReorder', to);
    default:
      return undefined;
  }
}

/** The payload read as HTTP or SMTP: the start line, a table of its fields, and what is right or wrong. */
function renderAppProtocol(v: AppProtocolView): HTMLElement {
  const title = localText(v.titleText);
  const sec = h(
    'section',
    { class: `app-proto ${v.protocol.toLowerCase()}`, 'data-testid': 'app-protocol', 'aria-label': title },
    h('h3', { text: tt('readAs', v.protocol) }),
    h('p', { class: 'app-title', 'data-testid': 'app-protocol-title', text: title }),
  );
  if (v.table) {
    const [k, val] = v.table.headText.map(localText);
    sec.append(
      h(
        'table',
        { class: 'app-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: k }), h('th', { scope: 'col', text: val }))),
        h(
          'tbody',
          {},
          ...v.table.rows.map(([a, b]) =>
            // A head line that is not "Name: value" is marked in the first column, in the panel's words.
            h(
              'tr',
              {},
              h('td', { text: a === TRAFFIC_STRINGS.appNotAHeader ? tt('appNotAHeader') : a }),
              h('td', { text: b }),
            ),
          ),
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
            text: c.ok === false ? `⚠ ${localText(c.message)}` : localText(c.message),
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
    root.append(h('p', { class: 'closed', text: closedBy(e.closedBy) }));
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
