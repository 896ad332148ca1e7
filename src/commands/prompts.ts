/** Prompts used when a command is called without arguments. Escape cancels the whole command. */
import * as vscode from 'vscode';
import { type PlaygroundSocket } from '../core/sockets/socketBase';
import { formatEndpoint } from '../shared/endpoint';
import { localizedError, socketLabel, stateText } from '../l10n';
import { isLoopback, validateHost, validatePort, validateDestinationPort } from '../core/validate';
import { Cancelled, type Ctx } from '../context';

export async function askPort(
  title: string,
  defaultPort: number,
  opts: { allowZero: boolean; prompt?: string },
): Promise<number> {
  const value = await vscode.window.showInputBox({
    title,
    prompt:
      opts.prompt ??
      (opts.allowZero
        ? vscode.l10n.t('Port from 0 to 65535 (0 lets the OS pick a free one)')
        : vscode.l10n.t('Port from 1 to 65535')),
    value: String(defaultPort),
    validateInput: (v) => {
      try {
        (opts.allowZero ? validatePort : validateDestinationPort)(v.trim());
        return undefined;
      } catch (err) {
        return localizedError(err);
      }
    },
  });
  if (value === undefined) {
    throw new Cancelled();
  }
  return Number(value.trim());
}

export async function askHost(title: string, defaultHost: string, prompt: string): Promise<string> {
  const value = await vscode.window.showInputBox({
    title,
    prompt,
    value: defaultHost,
    validateInput: (v) => {
      try {
        validateHost(v);
        return undefined;
      } catch (err) {
        return localizedError(err);
      }
    },
  });
  if (value === undefined) {
    throw new Cancelled();
  }
  return value.trim();
}

export async function pick<T extends string>(
  title: string,
  items: Array<{ value: T; label: string; detail?: string }>,
  placeHolder?: string,
): Promise<T> {
  const chosen = await vscode.window.showQuickPick(
    items.map((i) => ({ label: i.label, detail: i.detail, value: i.value })),
    { title, placeHolder },
  );
  if (!chosen) {
    throw new Cancelled();
  }
  return chosen.value;
}

export async function askText(title: string, prompt: string, value = ''): Promise<string> {
  const text = await vscode.window.showInputBox({ title, prompt, value });
  if (text === undefined) {
    throw new Cancelled();
  }
  return text;
}

/**
 * Binding beyond loopback is refused without the setting (the engine refuses it) and confirmed with it: from
 * the palette the user is asked, in a modal, whether other machines may reach `what`.
 */
export async function confirmRemoteBind(host: string, allowed: boolean, what: string): Promise<void> {
  const h = validateHost(host);
  if (!allowed || isLoopback(h) || h === 'localhost') {
    return;
  }
  const bind = vscode.l10n.t('Bind');
  const ok = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0}? Other machines on the network will be able to reach it.', what),
    { modal: true },
    bind,
  );
  if (ok !== bind) {
    throw new Cancelled();
  }
}

/** Picks one of the playground's sockets (filtered), or uses the tree item the command came from. */
export async function pickSocket(
  ctx: Ctx,
  title: string,
  filter: (s: PlaygroundSocket) => boolean,
  preset?: PlaygroundSocket,
): Promise<PlaygroundSocket> {
  if (preset) {
    return preset;
  }
  const candidates = ctx.registry.all().filter(filter);
  if (candidates.length === 0) {
    throw new Error(vscode.l10n.t('there is no socket for that yet: start a server or open a client first.'));
  }
  if (candidates.length === 1) {
    return candidates[0]!;
  }
  const chosen = await vscode.window.showQuickPick(
    candidates.map((s) => ({
      label: socketLabel(s.label),
      description: `${s.id} · ${stateText(s.state)}`,
      detail: s.remote ? vscode.l10n.t('peer {0}', formatEndpoint(s.remote)) : undefined,
      s,
    })),
    { title, placeHolder: vscode.l10n.t('Choose a socket') },
  );
  if (!chosen) {
    throw new Cancelled();
  }
  return chosen.s;
}
