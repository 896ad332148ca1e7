/**
 * The one typed protocol between the extension host and the traffic panel's webview (docs/architecture.md).
 * No `vscode`, no DOM, no Node: valid in both runtimes. Every message from the webview is validated with
 * `parseFromWebview` before it is acted on.
 */
import {
  TRAFFIC_EVENTS,
  type Encoding,
  type Endpoint,
  type NoteRef,
  type SocketInfo,
  type TrafficEntry,
  type TrafficEvent,
} from './types';

import type { MdBlock } from './markdownTree';
import type { TrafficStrings } from './webviewStrings';
export type { SocketInfo, Endpoint, NoteRef, TrafficEvent } from './types';

/** Event names by index, as rows carry them (the order of core/types TRAFFIC_EVENTS). */
export const TRAFFIC_EVENT_NAMES: readonly TrafficEvent[] = TRAFFIC_EVENTS;

/** Row flags. */
export const RowFlag = { Truncated: 1, Error: 2, Tcp: 4, PayloadGone: 8 } as const;

/**
 * One log entry as the list needs it, packed in an array to keep 100,000 of them small:
 * [seq, timeMs, socketId, eventIndex, local "addr:port", remote "addr:port" or "", bytes, preview base64, flags, noteIds "a,b"].
 * The full payload and the notes' text come on request (`getEntry`).
 */
export type Row = [number, number, string, number, string, string, number, string, number, string];

export const ROW = {
  Seq: 0,
  Time: 1,
  Socket: 2,
  Event: 3,
  Local: 4,
  Remote: 5,
  Bytes: 6,
  Preview: 7,
  Flags: 8,
  Notes: 9,
} as const;

/** Payload bytes carried by a row for the list preview. */
export const PREVIEW_BYTES = 64;

export type NoteText = {
  id: string;
  title: string;
  body: string;
  /** The body as a syntax tree (shared/markdownTree.ts): what the detail pane renders. */
  tree: MdBlock[];
  code?: { python?: string; c?: string; java?: string; javascript?: string };
};

export type SocketCalls = { python: string; c: string; java: string };

/** One log entry as the detail pane shows it: the exported entry, with its notes' text and the calls behind it. */
export type EntryDetail = Omit<TrafficEntry, 'notes'> & {
  socketLabel?: string;
  notes: NoteText[];
  calls: SocketCalls;
};

export type Totals = { entries: number; evicted: number; held: number };

export type PanelSettings = { payloadView: 'text' | 'hex'; maxEntries: number };

//#region extension -> webview

export type ToWebview =
  | {
      type: 'init';
      rows: Row[];
      sockets: SocketInfo[];
      notes: NoteRef[];
      totals: Totals;
      settings: PanelSettings;
      filterSocketId?: string;
      /** The page's words in the display language (English when absent); checked with readStrings. */
      strings?: TrafficStrings;
    }
  | { type: 'trafficAppended'; rows: Row[]; totals: Totals }
  | { type: 'socketsChanged'; sockets: SocketInfo[] }
  | { type: 'cleared'; totals: Totals }
  | { type: 'setFilter'; socketId?: string }
  | { type: 'entryDetail'; requestId: number; entry?: EntryDetail; error?: string }
  | { type: 'sendResult'; requestId: number; bytes?: number; error?: string };

//#endregion

//#region webview -> extension

export type LineEnding = 'none' | 'lf' | 'crlf';

export type FromWebview =
  | { type: 'ready' }
  | { type: 'getEntry'; requestId: number; seq: number }
  | {
      type: 'sendMessage';
      requestId: number;
      socketId: string;
      data: string;
      encoding: Encoding;
      lineEnding: LineEnding;
      to?: Endpoint;
    }
  | { type: 'clearLog' }
  | { type: 'exportLog'; format: 'jsonl' | 'pcapng' }
  | { type: 'openNote'; noteId: string };

/** The longest text the send box may post (characters): generous, but bounded. */
export const MAX_SEND_TEXT = 1 << 20;

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isInt(x: unknown, min: number, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
}

function isShortString(x: unknown, max = 200): x is string {
  return typeof x === 'string' && x.length <= max;
}

function onlyKeys(o: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(o).every((k) => keys.includes(k));
}

/** A request the webview waits on an answer for: a rejected one is still answered, with the reason. */
export type PendingRequest = { type: 'sendMessage' | 'getEntry'; requestId: number };

export type ParseResult =
  { ok: true; msg: FromWebview } | { ok: false; reason: string; request?: PendingRequest };

/**
 * Validates a message from the webview. Returns the typed message, or a reason why it was rejected. The webview
 * is our own code, but it renders untrusted network bytes: treat whatever it posts as untrusted input. When the
 * rejected message is a request with a usable requestId, `request` says which, so that the host can answer it
 * (the send box would otherwise wait on "Sending…" for ever).
 */
export function parseFromWebview(x: unknown): ParseResult {
  const r = parseMessage(x);
  if (!r.ok && isObj(x) && (x['type'] === 'sendMessage' || x['type'] === 'getEntry')) {
    if (isInt(x['requestId'], 0, 2 ** 31)) {
      return { ...r, request: { type: x['type'], requestId: x['requestId'] } };
    }
  }
  return r;
}

/**
 * The answer to a request the validator refused: the same reply message the request would have got, carrying
 * the reason as its error.
 */
export function rejectionReply(request: PendingRequest, reason: string): ToWebview {
  const error = `The panel's request was refused: ${reason}.`;
  return request.type === 'sendMessage'
    ? { type: 'sendResult', requestId: request.requestId, error }
    : { type: 'entryDetail', requestId: request.requestId, error };
}

function parseMessage(x: unknown): { ok: true; msg: FromWebview } | { ok: false; reason: string } {
  if (!isObj(x) || typeof x['type'] !== 'string') {
    return { ok: false, reason: 'not an object with a string "type"' };
  }
  const t = x['type'];
  switch (t) {
    case 'ready':
    case 'clearLog':
      return onlyKeys(x, ['type'])
        ? { ok: true, msg: { type: t } }
        : { ok: false, reason: `${t} takes no fields` };
    case 'getEntry':
      if (
        !onlyKeys(x, ['type', 'requestId', 'seq']) ||
        !isInt(x['requestId'], 0, 2 ** 31) ||
        !isInt(x['seq'], 1, Number.MAX_SAFE_INTEGER)
      ) {
        return { ok: false, reason: 'getEntry needs integer requestId and seq' };
      }
      return { ok: true, msg: { type: t, requestId: x['requestId'], seq: x['seq'] } };
    case 'sendMessage': {
      if (!onlyKeys(x, ['type', 'requestId', 'socketId', 'data', 'encoding', 'lineEnding', 'to'])) {
        return { ok: false, reason: 'sendMessage has unknown fields' };
      }
      const { requestId, socketId, data, encoding, lineEnding, to } = x;
      if (!isInt(requestId, 0, 2 ** 31)) {
        return { ok: false, reason: 'sendMessage needs an integer requestId' };
      }
      if (!isShortString(socketId, 100) || socketId === '') {
        return { ok: false, reason: 'sendMessage needs a socketId' };
      }
      if (typeof data !== 'string' || data.length > MAX_SEND_TEXT) {
        return {
          ok: false,
          reason: `sendMessage data must be a string of at most ${MAX_SEND_TEXT.toLocaleString('en-US')} characters`,
        };
      }
      if (encoding !== 'utf8' && encoding !== 'hex' && encoding !== 'base64') {
        return { ok: false, reason: 'sendMessage encoding must be utf8, hex or base64' };
      }
      if (lineEnding !== 'none' && lineEnding !== 'lf' && lineEnding !== 'crlf') {
        return { ok: false, reason: 'sendMessage lineEnding must be none, lf or crlf' };
      }
      let ep: Endpoint | undefined;
      if (to !== undefined) {
        if (
          !isObj(to) ||
          !onlyKeys(to, ['address', 'port']) ||
          !isShortString(to['address'], 100) ||
          to['address'] === '' ||
          !isInt(to['port'], 1, 65535)
        ) {
          return {
            ok: false,
            reason: 'sendMessage "to" must be { address, port } with a port from 1 to 65535',
          };
        }
        ep = { address: to['address'] as string, port: to['port'] as number };
      }
      const msg: FromWebview = { type: t, requestId, socketId, data, encoding, lineEnding };
      if (ep) {
        msg.to = ep;
      }
      return { ok: true, msg };
    }
    case 'exportLog':
      if (!onlyKeys(x, ['type', 'format']) || (x['format'] !== 'jsonl' && x['format'] !== 'pcapng')) {
        return { ok: false, reason: 'exportLog format must be jsonl or pcapng' };
      }
      return { ok: true, msg: { type: t, format: x['format'] } };
    case 'openNote':
      if (
        !onlyKeys(x, ['type', 'noteId']) ||
        !isShortString(x['noteId'], 100) ||
        !/^[a-z0-9-]+$/.test(x['noteId'] as string)
      ) {
        return { ok: false, reason: 'openNote needs a note id (lower-case letters, digits, dashes)' };
      }
      return { ok: true, msg: { type: t, noteId: x['noteId'] as string } };
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(t).slice(0, 40)}` };
  }
}

/** Compile-time exhaustiveness: a new message type fails to build until every switch handles it. */
export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}

/** The bytes a line ending adds after the message, whatever the message's encoding. */
export function lineEndingBytes(e: LineEnding): Uint8Array {
  return e === 'lf' ? Uint8Array.of(0x0a) : e === 'crlf' ? Uint8Array.of(0x0d, 0x0a) : new Uint8Array(0);
}
