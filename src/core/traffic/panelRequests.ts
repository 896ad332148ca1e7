/**
 * The host's side of the traffic panel's messages, vscode-free so plain mocha tests it: every message is
 * validated once here (shared/protocol.ts parseFromWebview), every request gets an answer (a refused one too,
 * with the reason), and the send box's text becomes bytes once, on its way to the registry.
 */
import { getNote } from '../notes/notes';
import { socketCallsFor } from '../assist/socketCalls';
import { decodePayload } from '../sockets/codec';
import { errorMessage } from '../errors';
import type { SocketRegistry } from '../registry';
import type { TrafficLog } from './trafficLog';
import type { SocketKind } from '../../shared/types';
import {
  assertNever,
  lineEndingBytes,
  parseFromWebview,
  rejectionReply,
  type EntryDetail,
  type FromWebview,
  type ToWebview,
} from '../../shared/protocol';

/** What the panel does for the messages that are not requests (the host layer owns these: commands, log). */
export type PanelActions = {
  post(msg: ToWebview): void;
  /** A message that failed validation, with the reason (for the output channel). */
  rejected(reason: string): void;
  ready(): void;
  clearLog(): void;
  exportLog(format: 'jsonl' | 'pcapng'): void;
  openNote(noteId: string): void;
};

type SendMessage = Extract<FromWebview, { type: 'sendMessage' }>;

/** The bytes a send-box request stands for: the text decoded in its encoding, then the line ending. */
export function sendBytesOf(msg: SendMessage): Buffer {
  const body = decodePayload(msg.data, msg.encoding);
  const eol = lineEndingBytes(msg.lineEnding);
  return eol.length ? Buffer.concat([body, eol]) : body;
}

/** Handles one message from the webview. Resolves when its answer (if it needs one) has been posted. */
export async function handleWebviewMessage(
  raw: unknown,
  log: TrafficLog,
  registry: SocketRegistry,
  actions: PanelActions,
): Promise<void> {
  const parsed = parseFromWebview(raw);
  if (!parsed.ok) {
    actions.rejected(parsed.reason);
    if (parsed.request) {
      actions.post(rejectionReply(parsed.request, parsed.reason));
    }
    return;
  }
  const msg = parsed.msg;
  switch (msg.type) {
    case 'ready':
      actions.ready();
      break;
    case 'getEntry':
      actions.post({ type: 'entryDetail', requestId: msg.requestId, ...entryDetail(log, registry, msg.seq) });
      break;
    case 'sendMessage': {
      let reply: ToWebview;
      try {
        const r = await registry.sendBytes(msg.socketId, sendBytesOf(msg), msg.to);
        reply = { type: 'sendResult', requestId: msg.requestId, bytes: r.bytes };
      } catch (err) {
        reply = { type: 'sendResult', requestId: msg.requestId, error: errorMessage(err) };
      }
      actions.post(reply);
      break;
    }
    case 'clearLog':
      actions.clearLog();
      break;
    case 'exportLog':
      actions.exportLog(msg.format);
      break;
    case 'openNote':
      actions.openNote(msg.noteId);
      break;
    default:
      assertNever(msg);
  }
}

/** Everything the detail pane shows for one entry: the payload it kept, its notes' text, the socket call. */
export function entryDetail(
  log: TrafficLog,
  registry: SocketRegistry,
  seq: number,
): { entry?: EntryDetail; error?: string } {
  const r = log.get(seq);
  if (!r) {
    return { error: `entry ${seq} is no longer in the log (evicted or cleared).` };
  }
  const socket = registry.get(r.socketId);
  const kind: SocketKind = socket?.kind ?? (r.socketId.replace(/-\d+$/, '') as SocketKind);
  const entry: EntryDetail = {
    seq: r.seq,
    time: new Date(r.timeMs).toISOString(),
    socketId: r.socketId,
    socketLabel: socket?.label,
    protocol: r.protocol,
    event: r.event,
    local: r.local,
    remote: r.remote,
    bytes: r.bytes,
    data: r.payload?.toString('base64'),
    truncated: r.truncated,
    error: r.error,
    closedBy: r.closedBy,
    notes: r.notes.flatMap((n) => {
      const note = getNote(n.id);
      return note
        ? [{ id: note.id, title: note.title, body: note.body, tree: note.tree, code: note.code }]
        : [];
    }),
    calls: socketCallsFor(kind, r.event, r.local, r.remote),
  };
  return { entry };
}
