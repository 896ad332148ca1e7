/**
 * The words the pages show: English until the host's `init` brings the table for the display language
 * (shared/webviewStrings.ts). Each page reads them through `tt` (traffic) or `nt` (notes) when it draws.
 */
import { formatText, isText, type Text, type TextArg } from '../shared/l10n';
import {
  NOTES_STRINGS,
  TRAFFIC_STRINGS,
  readStrings,
  type NotesStrings,
  type TrafficStrings,
} from '../shared/webviewStrings';

let traffic: TrafficStrings = { ...TRAFFIC_STRINGS };
let notes: NotesStrings = { ...NOTES_STRINGS };

/** Takes the traffic panel's table from an `init` message (validated: a bad entry keeps its English). */
export function setTrafficStrings(x: unknown): void {
  traffic = readStrings<TrafficStrings>(TRAFFIC_STRINGS, x);
}

/** Takes the notes panel's table from an `init` message. */
export function setNotesStrings(x: unknown): void {
  notes = readStrings<NotesStrings>(NOTES_STRINGS, x);
}

/** A traffic panel string, with its `{0}` … filled in. */
export function tt(key: keyof TrafficStrings, ...args: TextArg[]): string {
  return formatText(traffic[key], args);
}

/** A notes panel string, with its `{0}` … filled in. */
export function nt(key: keyof NotesStrings, ...args: TextArg[]): string {
  return formatText(notes[key], args);
}

/** The traffic panel's keys by their English words, to say a message made from them (shared/appProtocol.ts). */
const TRAFFIC_KEYS = new Map(
  Object.entries(TRAFFIC_STRINGS).map(([key, english]) => [english as string, key as keyof TrafficStrings]),
);

/**
 * A message whose templates are the traffic panel's words, in the page's language: each template (nested
 * ones too) replaced by its translation from the host's table; one that is not in the table stays as written.
 */
export function localText(message: Text): string {
  const key = TRAFFIC_KEYS.get(message.template);
  return formatText(
    key ? traffic[key] : message.template,
    message.args.map((arg) => (isText(arg) ? localText(arg) : arg)),
  );
}
