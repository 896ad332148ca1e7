/**
 * How a socket describes itself for the Sockets tree, without `vscode`: each socket kind writes its own row, so
 * the tree draws any socket (a new kind included) without knowing its class.
 */
import { joinText, text, type Text, type TextArg } from '../../shared/l10n';
import type { SocketState } from '../../shared/types';

/** A colour hint for the row's icon; the view maps it to a theme colour. */
export type Tone = 'ok' | 'busy' | 'error' | 'dim';

/** One row of the Sockets tree. */
export type SocketRow = {
  /** Stable across redraws (a live socket's id, or a derived one for rows that are not sockets). */
  id: string;
  label: string;
  description: string;
  /** Markdown; every part that comes from outside (addresses typed by the user, error messages) is escaped. */
  tooltip: string;
  /** `<kind>:<state>`, e.g. `tcp-connection:open` (the context menus match on it). */
  contextValue: string;
  /** A codicon id, e.g. `server-process`. */
  icon: string;
  tone: Tone;
  /** What a screen reader says for the row. */
  accessibility: string;
  /**
   * The description, tooltip and accessibility text as translatable texts (the strings above are their English):
   * the tree shows them in the display language.
   */
  descriptionText?: Text;
  tooltipText?: Text;
  accessibilityText?: Text;
  /** True when the row has children (drawn expanded: see the tree provider for why). */
  expandable: boolean;
  /**
   * Siblings with the same group key are folded under one collapsed row once there are GROUP_MIN of them (a
   * relay's legs pile up as clients come and go).
   */
  group?: { key: string; label: string; noun: string };
};

/** Siblings of one group folded under a row of their own from this many on. */
export const GROUP_MIN = 3;

/** "1 datagram", "2 datagrams": English plurals for the counts the tree shows. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The nouns the tree counts, one template for one and one for more ("1 datagram", "2 datagrams"). */
const COUNTED = {
  byte: [text('{0} byte'), text('{0} bytes')],
  datagram: [text('{0} datagram'), text('{0} datagrams')],
  chunk: [text('{0} chunk'), text('{0} chunks')],
  write: [text('{0} write'), text('{0} writes')],
  segment: [text('{0} segment'), text('{0} segments')],
  'client connection': [text('{0} client connection'), text('{0} client connections')],
  leg: [text('{0} leg'), text('{0} legs')],
} as const;

/** A count with its noun as a translatable text; in English the same as `plural(n, noun)`. */
export function counted(n: number, noun: keyof typeof COUNTED): Text {
  return { template: COUNTED[noun][n === 1 ? 0 : 1].template, args: [n] };
}

/** A socket state as the messages say it (the host translates these words). */
export const STATE_TEXT: Record<SocketState, Text> = {
  opening: text('opening'),
  listening: text('listening'),
  bound: text('bound'),
  connecting: text('connecting'),
  open: text('open'),
  closing: text('closing'),
  closed: text('closed'),
  error: text('error'),
};

/**
 * A row name from the closed set the tree uses ("UDP server", "Leg to server"…) as a message: the host's bundle
 * holds each (src/l10n.ts rowLabel translates the same names).
 */
export function rowNameText(label: string): Text {
  return { template: label, args: [] };
}

/** markdownTable as a translatable text: the names and values are translated, the table's markup stays. */
export function markdownTableText(rows: Array<[TextArg, TextArg]>): Text {
  return joinText(['| | |\n|---|---|\n', ...rows.flatMap(([k, v]) => ['| ', k, ' | ', v, ' |\n'])], '');
}

/** A byte count for a narrow row: "512 B", "1.5 KiB", "3.2 MiB". */
export function bytesText(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(1)} KiB`;
  }
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The row's "local → remote" with the remote's host left out when it is the local one ("127.0.0.1:5 → :6"):
 * the playground binds loopback, so the repeated host would fill half a 300 px sidebar row; the tooltip has both.
 */
export function compactWhere(where: string): string {
  return where.replace(/(^|\s)(\[[^\]]+\]|[^\s:[\]]+):(\d+) → \2:(\d+)/, '$1$2:$3 → :$4');
}

/** Escapes Markdown so untrusted text shows literally in a tooltip. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** The tone of a socket in this state. */
export function stateTone(state: SocketState): Tone {
  switch (state) {
    case 'error':
      return 'error';
    case 'closed':
    case 'closing':
      return 'dim';
    case 'opening':
    case 'connecting':
      return 'busy';
    default:
      return 'ok';
  }
}

/** A Markdown table of label/value rows (values are Markdown already). */
export function markdownTable(rows: Array<[string, string]>): string {
  return `| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |\n`).join('')}`;
}
