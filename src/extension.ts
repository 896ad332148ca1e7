import * as vscode from 'vscode';
import { registerClientCommands } from './commands/clientCommands';
import { readSettings, wrap, type Ctx } from './context';
import { PlaygroundError } from './core/errors';
import { rejectUnknownKeys, requireObject } from './core/validate';
import { registerLogCommands } from './commands/logCommands';
import { registerNotesCommands } from './commands/notesCommands';
import { registerLabCommands } from './commands/labCommands';
import { registerProtocolCommands } from './commands/protocolCommands';
import { registerLabTests } from './testing/labTests';
import { registerLanguageFeatures } from './language';
import { NotesPanel, registerNotesPanel } from './views/notesPanel';
import { registerRelayCommands } from './commands/relayCommands';
import { registerServerCommands } from './commands/serverCommands';
import { registerSocketCommands } from './commands/socketCommands';
import { Commands, Config, ContextKeys, Views } from './constants';
import { setUnexpectedErrorHandler } from './core/events';
import { SocketRegistry } from './core/registry';
import { TrafficLog } from './core/traffic/trafficLog';
import { createPortsView } from './views/portsTreeProvider';
import { createSocketsTreeView, SocketsTreeProvider } from './views/socketsTreeProvider';
import { StatusBar } from './views/statusBar';
import { registerTrafficPanel, TrafficPanel } from './views/trafficPanel';

/** What activate returns: used by other extensions and by the integration tests. */
export type SocketPlaygroundApi = {
  readonly registry: SocketRegistry;
  readonly log: TrafficLog;
  readonly sockets: SocketsTreeProvider;
  /** The open traffic panel, if any (tests read its counters). */
  trafficPanel(): TrafficPanel | undefined;
  /** The open notes panel, if any (tests read which note it shows). */
  notesPanel(): NotesPanel | undefined;
};

let registry: SocketRegistry | undefined;

export function activate(context: vscode.ExtensionContext): SocketPlaygroundApi {
  try {
    return activateInner(context);
  } catch (err) {
    // VS Code does not tell the user when activation throws; we do.
    void vscode.window.showErrorMessage(
      `Socket Playground failed to start: ${err instanceof Error ? err.message : String(err)}`,
    );
    throw err;
  }
}

function activateInner(context: vscode.ExtensionContext): SocketPlaygroundApi {
  const output = vscode.window.createOutputChannel('Socket Playground', { log: true });
  context.subscriptions.push(output);
  setUnexpectedErrorHandler((err) =>
    output.error(err instanceof Error ? (err.stack ?? err.message) : String(err)),
  );

  const settings = readSettings();
  const log = new TrafficLog({
    maxEntries: settings.maxLogEntries,
    maxPayloadBytes: settings.maxPayloadBytes,
  });
  registry = new SocketRegistry(log, readSettings);
  context.subscriptions.push(log);

  const sockets = new SocketsTreeProvider(registry, log);
  const treeView = createSocketsTreeView(sockets);
  context.subscriptions.push(sockets, treeView, ...createPortsView(registry).disposables);

  const reg = registry;
  const ctx: Ctx = {
    registry: reg,
    log,
    output,
    extensionUri: context.extensionUri,
    async reveal(socketId) {
      const s = reg.get(socketId);
      if (s && treeView.visible) {
        await treeView.reveal(s, { select: true, focus: false }).then(undefined, () => undefined);
      }
    },
  };

  context.subscriptions.push(
    ...registerServerCommands(ctx),
    ...registerClientCommands(ctx),
    ...registerSocketCommands(ctx),
    ...registerLogCommands(ctx),
    ...registerRelayCommands(ctx),
    ...registerTrafficPanel(ctx),
    ...registerNotesCommands(ctx),
    ...registerLabCommands(ctx),
    ...registerProtocolCommands(ctx),
    ...registerLabTests(ctx),
    ...registerNotesPanel(ctx),
    ...registerLanguageFeatures(),
    vscode.commands.registerCommand(
      Commands.ShowTraffic,
      wrap(ctx, Commands.ShowTraffic, async (inv) => {
        let socketId: string | undefined;
        if (inv.mode === 'ui') {
          socketId = inv.socket?.id;
        } else {
          const o = requireObject(inv.arg, 'showTraffic');
          rejectUnknownKeys(o, ['socketId'], 'showTraffic');
          if (o['socketId'] !== undefined && (typeof o['socketId'] !== 'string' || !reg.get(o['socketId']))) {
            throw new PlaygroundError(
              `no socket with id ${JSON.stringify(o['socketId'])}: listSockets shows the open ones.`,
              'ENOTSOCK',
            );
          }
          socketId = o['socketId'] as string | undefined;
        }
        TrafficPanel.createOrShow(ctx, socketId);
      }),
    ),
    vscode.commands.registerCommand(Commands.ShowOutput, () => output.show(true)),
    new StatusBar(reg, Views.Sockets),
    reg.onDidChange(
      () => void vscode.commands.executeCommand('setContext', ContextKeys.HasSockets, reg.size > 0),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Config.Section)) {
        const s = readSettings();
        log.setLimits({ maxEntries: s.maxLogEntries, maxPayloadBytes: s.maxPayloadBytes });
      }
    }),
    reg.onDidChange((e) => {
      if (e.type !== 'changed') {
        output.info(`${e.type} ${e.socket.id}: ${e.socket.label} (${e.socket.state})`);
      }
    }),
  );
  void vscode.commands.executeCommand('setContext', ContextKeys.HasSockets, false);
  output.info('Socket Playground activated');
  return {
    registry: reg,
    log,
    sockets,
    trafficPanel: () => TrafficPanel.current,
    notesPanel: () => NotesPanel.current,
  };
}

/** Sockets left open would keep their ports bound after a reload: close them and wait (subscriptions are not awaited). */
export async function deactivate(): Promise<void> {
  const r = registry;
  registry = undefined;
  await r?.closeAll();
  r?.dispose();
  // Reset the context key (house style 3.4); during a host shutdown the command may be cancelled: nothing to do then.
  void Promise.resolve(vscode.commands.executeCommand('setContext', ContextKeys.HasSockets, false)).catch(
    () => undefined,
  );
}
