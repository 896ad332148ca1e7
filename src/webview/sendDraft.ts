/**
 * What the send box checks before it posts, in plain TypeScript (no DOM) so plain mocha tests it. The host
 * validates again at its boundary and answers every request; checking here too means the box says what is
 * wrong at once, and never waits on a request the host would refuse.
 */
import { MAX_SEND_TEXT, type FromWebview, type LineEnding } from '../shared/protocol';
import type { Encoding, Endpoint } from '../shared/types';
import { tt } from './strings';

export type SendDraft = {
  socketId: string;
  text: string;
  encoding: Encoding;
  lineEnding: LineEnding;
  /** The destination field as typed, when the socket needs one (a UDP server); undefined otherwise. */
  to?: string;
};

export type SendMessage = Extract<FromWebview, { type: 'sendMessage' }>;

/** Parses "address:port" or "[v6 address]:port" with the port in 0-65535; undefined with the reason otherwise. */
export function parseDestination(text: string): { ok: true; to: Endpoint } | { ok: false; reason: string } {
  const m = /^\s*(?:\[([^\]\s]+)\]|([^:\s[\]]+)):(\d+)\s*$/.exec(text);
  if (!m) {
    return { ok: false, reason: tt('badDestination') };
  }
  const port = Number(m[3]);
  if (m[3]!.length > 5 || port < 1 || port > 65535) {
    return { ok: false, reason: tt('portOutOfRange', m[3]!) };
  }
  return { ok: true, to: { address: (m[1] ?? m[2])!, port } };
}

/** The message to post for a draft, or the reason it cannot be sent (said in the send box, nothing posted). */
export function buildSendMessage(
  d: SendDraft,
  requestId: number,
): { ok: true; msg: SendMessage } | { ok: false; reason: string; field: 'socket' | 'to' | 'text' } {
  if (!d.socketId) {
    return { ok: false, reason: tt('openSocketFirst'), field: 'socket' };
  }
  if (d.text.length > MAX_SEND_TEXT) {
    return {
      ok: false,
      reason: tt(
        'messageTooLong',
        d.text.length.toLocaleString('en-US'),
        MAX_SEND_TEXT.toLocaleString('en-US'),
      ),
      field: 'text',
    };
  }
  const msg: SendMessage = {
    type: 'sendMessage',
    requestId,
    socketId: d.socketId,
    data: d.text,
    encoding: d.encoding,
    lineEnding: d.lineEnding,
  };
  if (d.to !== undefined) {
    const to = parseDestination(d.to);
    if (!to.ok) {
      return { ok: false, reason: to.reason, field: 'to' };
    }
    msg.to = to.to;
  }
  return { ok: true, msg };
}
