import * as vscode from 'vscode';
import {
  Commands,
  type CommandArgs,
  type CommandId,
  type CommandResults,
  type ContextKey,
} from './constants';
import type { Settings, SettingsReader } from './config';
import type { SocketRegistry } from './core/registry';
import { PlaygroundError, errorMessage } from './core/errors';
import { PlaygroundSocket } from './core/sockets/socketBase';
import type { TrafficLog } from './core/traffic/trafficLog';
import { localizedError } from './l10n';

/** What every command needs: one object, built once in activate (rust-analyzer's Ctx). */
export type Ctx = {
  readonly registry: SocketRegistry;
  readonly log: TrafficLog;
  readonly output: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
  /** Every setting, checked and clamped (see config.ts); read afresh at each call. */
  readonly config: SettingsReader;
  reveal(socketId: string): Promise<void>;
};

/** The settings now (shorthand for `ctx.config.read()`). */
export function settings(ctx: Ctx): Settings {
  return ctx.config.read();
}

/** A command handler: gets the argument as passed (untrusted; validated by whoever uses it). */
type Handler<K extends CommandId> = (
  arg?: unknown,
) => CommandResults[K] | undefined | Promise<CommandResults[K] | undefined>;

/** Registers a command under its typed id: the handler must return that command's result type. */
export function registerCommand<K extends CommandId>(id: K, handler: Handler<K>): vscode.Disposable {
  return vscode.commands.registerCommand(id, handler);
}

/**
 * Runs a playground command with its typed argument (none: the command prompts) and resolves with its
 * typed result (undefined when the user cancelled a prompt).
 */
export function executeCommand<K extends CommandId>(
  id: K,
  ...arg: CommandArgs[K] extends void ? [] : [arg?: CommandArgs[K]]
): Promise<CommandResults[K] | undefined> {
  return Promise.resolve(vscode.commands.executeCommand<CommandResults[K] | undefined>(id, ...arg));
}

/** Sets a `when`-clause context key of ours (built-in commands go through small helpers like this one). */
export function setContext(key: ContextKey, value: unknown): Promise<void> {
  return Promise.resolve(vscode.commands.executeCommand<void>('setContext', key, value));
}

/** Shows a Markdown document rendered beside the editor (the built-in Markdown extension's preview). */
export function showMarkdownPreviewToSide(uri: vscode.Uri): Promise<void> {
  return Promise.resolve(vscode.commands.executeCommand<void>('markdown.showPreviewToSide', uri));
}

/** Brings one of our views forward (VS Code contributes `<viewId>.focus` for every view). */
export function focusView(viewId: string): Promise<void> {
  return Promise.resolve(vscode.commands.executeCommand<void>(`${viewId}.focus`));
}

/** Registers a command whose handler is wrapped (see `wrap`): the usual way a command module declares one. */
export function defineCommand<K extends CommandId>(
  ctx: Ctx,
  id: K,
  handler: (inv: Invocation) => Promise<CommandResults[K] | undefined>,
): vscode.Disposable {
  return registerCommand(id, wrap(ctx, id, handler));
}

/**
 * How a command was called. `api`: with an argument object (keybindings, tasks, tests) — ask nothing, reject
 * on error. `ui`: from the palette (no argument) or a tree item (the socket) — prompt, and show errors.
 */
export type Invocation = { mode: 'api'; arg: unknown } | { mode: 'ui'; socket?: PlaygroundSocket };

export function invocation(arg: unknown): Invocation {
  if (arg === undefined) {
    return { mode: 'ui' };
  }
  if (arg instanceof PlaygroundSocket) {
    return { mode: 'ui', socket: arg };
  }
  return { mode: 'api', arg };
}

/** Thrown by prompts when the user presses Escape: ends the command quietly. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * Wraps a command handler: API calls reject with the error (message says what was wrong and what is allowed);
 * UI calls show it to the user. Both are logged to the output channel.
 */
export function wrap<R>(
  ctx: Ctx,
  id: string,
  handler: (inv: Invocation) => Promise<R>,
): (arg?: unknown) => Promise<R | undefined> {
  return async (arg?: unknown) => {
    const inv = invocation(arg);
    try {
      return await handler(inv);
    } catch (err) {
      if (err instanceof Cancelled) {
        return undefined;
      }
      const message = errorMessage(err);
      ctx.output.warn(`${id}: ${message}`);
      if (inv.mode === 'api') {
        throw err instanceof Error ? err : new Error(message);
      }
      void showError(ctx, err);
      return undefined;
    }
  };
}

async function showError(ctx: Ctx, err: unknown): Promise<void> {
  const noteId = err instanceof PlaygroundError ? err.noteId : undefined;
  const explain = vscode.l10n.t('Explain');
  const showOutput = vscode.l10n.t('Show Output');
  const actions = noteId ? [explain, showOutput] : [showOutput];
  const choice = await vscode.window.showErrorMessage(
    `Socket Playground: ${localizedError(err)}`,
    ...actions,
  );
  if (choice === showOutput) {
    ctx.output.show(true);
  } else if (choice === explain && noteId) {
    await executeCommand(Commands.OpenNotes, { noteId }).catch((e: unknown) =>
      ctx.output.warn(`openNotes ${noteId}: ${errorMessage(e)}`),
    );
  }
}
