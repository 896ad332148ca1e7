/** Packs log records into the compact rows the traffic panel holds (see shared/protocol.ts `Row`). Pure. */
import { PREVIEW_BYTES, RowFlag, TRAFFIC_EVENT_NAMES, type Row } from '../../shared/protocol';
import type { LogRecord } from './trafficLog';
import { formatEndpoint } from '../../shared/endpoint';

const EVENT_INDEX = new Map(TRAFFIC_EVENT_NAMES.map((e, i) => [e, i]));

export function toRow(r: LogRecord): Row {
  let flags = r.protocol === 'tcp' ? RowFlag.Tcp : 0;
  if (r.truncated) {
    flags |= r.payload ? RowFlag.Truncated : RowFlag.PayloadGone;
  }
  if (r.error) {
    flags |= RowFlag.Error;
  }
  return [
    r.seq,
    r.timeMs,
    r.socketId,
    EVENT_INDEX.get(r.event)!,
    formatEndpoint(r.local),
    formatEndpoint(r.remote),
    r.bytes,
    r.payload ? r.payload.subarray(0, PREVIEW_BYTES).toString('base64') : '',
    flags,
    r.notes.map((n) => n.id).join(','),
  ];
}
