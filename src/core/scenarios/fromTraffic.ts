/**
 * Turns one socket's conversation in the traffic log into a scenario block that replays it. A client's own
 * sends become `>` and what it received `<`. A server-side socket (a UDP server, a TCP server's connection)
 * is written from its client's side, so the block replays what the client did: what the server received
 * becomes `>`, what it answered `<`, and the block's socket points at the server's own address.
 */
import { formatEndpoint } from '../../shared/endpoint';
import { isValidUtf8 } from '../../shared/bytes';
import { PlaygroundError, invalidArgument } from '../errors';
import type { LogRecord } from '../traffic/trafficLog';
import type { Endpoint, SocketKind } from '../../shared/types';

export type Conversation = {
  socketId: string;
  kind: SocketKind;
  /** The socket's own address and, for clients and connections, its peer. */
  local: Endpoint;
  remote?: Endpoint;
  label: string;
};

/** The kind a socket id names (`udp-server-3` → `udp-server`), for sockets already gone from the registry. */
export function kindFromId(id: string): SocketKind | undefined {
  const m = /^(udp-server|udp-client|tcp-server|tcp-connection|tcp-client|relay)-\d+$/.exec(id);
  return m ? (m[1] as SocketKind) : undefined;
}

const HEX = (b: number) => b.toString(16).padStart(2, '0');

/**
 * One payload as the text after `>` or `<`: readable text with escapes, or `hex …` (the caller writes `>hex`)
 * when the bytes are not text. Escapes keep what an editor would lose or misread: control bytes, a trailing
 * space, `{{`, and a leading `/` that would make an expectation a regular expression.
 */
export function payloadLine(data: Buffer): { encoded: 'text' | 'hex'; text: string } {
  const text = data.toString('utf8');
  const c1 = /[\u0080-\u009f]/.test(text);
  if (!isValidUtf8(data) || c1) {
    return { encoded: 'hex', text: [...data].map(HEX).join(' ') };
  }
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') {
      out += '\\\\';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (c === 0) {
      out += '\\0';
    } else if (c < 0x20 || c === 0x7f) {
      out += `\\x${HEX(c)}`;
    } else {
      out += ch;
    }
  }
  out = out.replace(/\{\{/g, '\\{{');
  if (out.startsWith('/')) {
    out = '\\x2f' + out.slice(1);
  }
  if (out.startsWith(' ')) {
    out = '\\x20' + out.slice(1);
  }
  if (/[ ]$/.test(out)) {
    out = out.slice(0, -1) + '\\x20';
  }
  return { encoded: 'text', text: out };
}

/** The block's text (ending in a newline) for a conversation, from the log records of that socket. */
export function blockFromTraffic(conv: Conversation, records: Iterable<LogRecord>, name: string): string {
  const serverSide = conv.kind === 'udp-server' || conv.kind === 'tcp-connection';
  if (conv.kind === 'tcp-server') {
    throw invalidArgument(
      `${conv.label} is a welcoming socket: it only accepts connections and carries no data. Save one of its connections instead.`,
    );
  }
  if (conv.kind === 'relay') {
    throw invalidArgument(`${conv.label} is a relay: save the client or the server it connects instead.`);
  }
  const protocol = conv.kind.startsWith('udp') ? 'udp' : 'tcp';
  const target = serverSide ? conv.local : conv.remote;
  if (!target) {
    throw invalidArgument(`${conv.label} has no peer address to replay against.`);
  }
  const host = target.address === '0.0.0.0' ? '127.0.0.1' : target.address === '::' ? '::1' : target.address;
  const lines = [
    `### ${name}`,
    `# Saved from ${conv.label} (${conv.socketId}).` +
      (serverSide ? ` Replays its client's side: start that server again before sending.` : ''),
    `${protocol} ${formatEndpoint({ address: host, port: target.port })}`,
  ];
  let steps = 0;
  for (const r of records) {
    if (r.socketId !== conv.socketId || (r.event !== 'send' && r.event !== 'receive')) {
      continue;
    }
    if (r.truncated || !r.payload || r.payload.length < r.bytes) {
      throw new PlaygroundError(
        `entry ${r.seq} of ${conv.socketId} (${r.bytes} bytes) is not kept whole in the traffic log, so it cannot be replayed exactly: raise socketPlayground.maxPayloadBytes and record the session again.`,
        'ETRUNCATED',
      );
    }
    const outgoing = serverSide ? r.event === 'receive' : r.event === 'send';
    const p = payloadLine(r.payload);
    const mark = outgoing ? '>' : '<';
    lines.push(p.encoded === 'hex' ? `${mark}hex ${p.text}` : `${mark} ${p.text}`);
    steps++;
  }
  if (steps === 0) {
    throw new PlaygroundError(
      `${conv.label} has sent and received nothing that is still in the traffic log: there is no conversation to save.`,
      'ENODATA',
    );
  }
  return lines.join('\n') + '\n';
}
