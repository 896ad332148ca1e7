import * as vscode from 'vscode';
import { Config } from './constants';
import type { SocketRegistry, EngineSettings } from './core/registry';
import { PlaygroundError, errorMessage } from './core/errors';
import { PlaygroundSocket } from './core/sockets/socketBase';
import type { TrafficLog } from './core/traffic/trafficLog';

/** What every command needs: one object, built once in activate (rust-analyzer's Ctx). */
export type Ctx = {
  readonly registry: SocketRegistry;
  readonly log: TrafficLog;
  readonly output: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
  reveal(socketId: string): Promise<void>;
};

export function readSettings(): EngineSettings & { maxLogEntries: number; maxPayloadBytes: number } {
  const c = vscode.workspace.getConfiguration(Config.Section);
  return {
    bindAddress: c.get<string>(Config.BindAddress, '127.0.0.1'),
    allowRemoteBind: c.get<boolean>(Config.AllowRemoteBind, false),
    defaultPort: c.get<number>(Config.DefaultPort, 12000),
    maxLogEntries: c.get<number>(Config.MaxLogEntries, 100_000),
    maxPayloadBytes: c.get<number>(Config.MaxPayloadBytes, 65_536),
  };
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
  const actions = noteId ? ['Explain', 'Show Output'] : ['Show Output'];
  const choice = await vscode.window.showErrorMessage(`Socket Playground: ${errorMessage(err)}`, ...actions);
  if (choice === 'Show Output') {
    ctx.output.show(true);
  } else if (choice === 'Explain' && noteId) {
    const cmds = await vscode.commands.getCommands(true);
    if (cmds.includes('socketPlayground.openNotes')) {
      await vscode.commands.executeCommand('socketPlayground.openNotes', { noteId });
    } else {
      ctx.output.show(true);
    }
  }
}
