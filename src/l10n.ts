/**
 * Host side of localisation (docs/architecture.md, Localisation): VS Code loads `l10n/bundle.l10n.<lang>.json`
 * for its display language, and `vscode.l10n.t` looks each English text up there. The core and the webview
 * never translate: their messages carry the English template and its arguments (shared/l10n.ts), and this
 * module translates them where they reach the user.
 */
import * as vscode from 'vscode';
import { PlaygroundError, errorMessage } from './core/errors';
import { formatText, isText, type Text } from './shared/l10n';
import type { SocketState } from './shared/types';

/** A core error's message in the display language (its English text when the bundle has no translation). */
export function localizedError(err: unknown): string {
  const message = err instanceof PlaygroundError ? err.text : undefined;
  return message ? localizedText(message) : errorMessage(err);
}

/**
 * A translatable message in the display language; a nested message is translated before it goes in. The
 * arguments are put in by formatText, not by `vscode.l10n.t`: VS Code's formatter takes any `{…}` for a
 * placeholder, so a template that shows code with braces (`{ socketId: "{3}" }`) would swallow the `{3}`
 * inside it; called without arguments it returns the translation as written.
 */
export function localizedText(message: Text): string {
  return formatText(
    vscode.l10n.t(message.template),
    message.args.map((arg) => (isText(arg) ? localizedText(arg) : arg)),
  );
}

/** A socket state in the display language ("listening", "bound" …: the words the messages use). */
export function stateText(state: SocketState): string {
  const states: Record<SocketState, string> = {
    opening: vscode.l10n.t('opening'),
    listening: vscode.l10n.t('listening'),
    bound: vscode.l10n.t('bound'),
    connecting: vscode.l10n.t('connecting'),
    open: vscode.l10n.t('open'),
    closing: vscode.l10n.t('closing'),
    closed: vscode.l10n.t('closed'),
    error: vscode.l10n.t('error'),
  };
  return states[state];
}

/**
 * A row's label in the display language. The core names rows from a closed set (socketBase.ts KIND_LABEL, the
 * relays' rows and leg groups); the rest of a row (addresses, byte counts) reads the same in every language.
 */
export function rowLabel(label: string): string {
  const labels: Record<string, string> = {
    'UDP server': vscode.l10n.t('UDP server'),
    'UDP client': vscode.l10n.t('UDP client'),
    'TCP server': vscode.l10n.t('TCP server'),
    'TCP connection': vscode.l10n.t('TCP connection'),
    'TCP client': vscode.l10n.t('TCP client'),
    Relay: vscode.l10n.t('Relay'),
    'UDP relay': vscode.l10n.t('UDP relay'),
    'TCP relay': vscode.l10n.t('TCP relay'),
    'Relay leg': vscode.l10n.t('Relay leg'),
    'Leg from client': vscode.l10n.t('Leg from client'),
    'Leg to server': vscode.l10n.t('Leg to server'),
    'Legs from clients': vscode.l10n.t('Legs from clients'),
    'Legs to server': vscode.l10n.t('Legs to server'),
  };
  return labels[label] ?? label;
}

/**
 * A socket's label ("UDP server 127.0.0.1:12000", socketBase.ts `label`) in the display language: the core
 * starts every label with one of the row names above, and the addresses after it read the same everywhere.
 */
export function socketLabel(label: string): string {
  const space = label.indexOf(' ', label.indexOf(' ') + 1);
  for (const cut of [space, label.indexOf(' ')]) {
    if (cut > 0) {
      const head = rowLabel(label.slice(0, cut));
      if (head !== label.slice(0, cut)) {
        return head + label.slice(cut);
      }
    }
  }
  return label;
}

/**
 * A webview's table of words (shared/webviewStrings.ts) in the display language, for its `init` message. Each
 * English value is a key of the bundle, like the texts of the host's own `vscode.l10n.t` calls.
 */
export function translatedStrings<T extends Record<string, string>>(english: T): T {
  return Object.fromEntries(Object.entries(english).map(([key, value]) => [key, vscode.l10n.t(value)])) as T;
}
