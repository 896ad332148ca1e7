/**
 * The words the pages show: English until the host's `init` brings the table for the display language
 * (shared/webviewStrings.ts). Each page reads them through `tt` (traffic) or `nt` (notes) when it draws.
 */
import { formatText, type TextArg } from '../shared/l10n';
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
