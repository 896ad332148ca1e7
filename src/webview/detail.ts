/** The detail pane for one entry: endpoints, payload as text and as a hex dump, the notes, and the socket calls. */
import { base64ToBytes, escapeText, hexDump } from '../shared/bytes';
import type { EntryDetail } from '../shared/protocol';
import { button, h } from './dom';
import { renderMarkdown } from './markdown';

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

export function renderDetail(e: EntryDetail, openNote: (id: string) => void): HTMLElement {
  const root = h('div', { class: 'detail-body' });
  root.append(
    h('h2', { text: `#${e.seq} ${e.event} · ${e.protocol.toUpperCase()}` }),
    h(
      'dl',
      { class: 'facts' },
      h('dt', { text: 'socket' }),
      h('dd', { text: e.socketLabel ? `${e.socketLabel} (${e.socketId})` : e.socketId }),
      h('dt', { text: 'time' }),
      h('dd', { text: e.time }),
      h('dt', { text: 'local' }),
      h('dd', { text: ep(e.local) }),
      h('dt', { text: 'remote' }),
      h('dd', { text: ep(e.remote) }),
      h('dt', { text: 'bytes' }),
      h('dd', { text: String(e.bytes) }),
    ),
  );
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
    const note = e.truncated ? ` (first ${bytes.length} of ${e.bytes} bytes kept)` : '';
    root.append(
      h('h3', { text: `Payload as text${note}` }),
      h('pre', { class: 'payload', 'data-testid': 'payload-text', text: escapeText(bytes) }),
      h('h3', { text: 'Hex dump' }),
      h('pre', { class: 'hexdump', 'data-testid': 'payload-hex', text: hexDump(bytes) }),
    );
  } else if (e.bytes > 0) {
    root.append(
      h('p', {
        class: 'muted',
        text: 'The payload is no longer kept (the log keeps payloads within a memory budget); the byte count is exact.',
      }),
    );
  }
  if (e.notes.length) {
    root.append(h('h3', { text: 'Why this happened' }));
    for (const n of e.notes) {
      const sec = h('section', { class: 'note', 'aria-label': n.title });
      sec.append(h('h4', { text: n.title }), renderMarkdown(n.body));
      sec.append(button('Open note', 'book', () => openNote(n.id), `Open "${n.title}" in the notes panel`));
      root.append(sec);
    }
  }
  root.append(h('h3', { text: 'The socket call' }));
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
