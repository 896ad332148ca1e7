import * as vscode from 'vscode';
import { localizedError } from './l10n';
import { registerClientCommands } from './commands/clientCommands';
import { setContext, type Ctx } from './context';
import { SettingsReader } from './config';
import { registerLogCommands } from './commands/logCommands';
import { registerNotesCommands } from './commands/notesCommands';
import { lastShownLabChecks, localizedLab, registerLabCommands } from './commands/labCommands';
import { registerProtocolCommands } from './commands/protocolCommands';
import { registerLabTests } from './testing/labTests';
import { registerLanguageFeatures } from './language';
import { NotesPanel, registerNotesPanel } from './views/notesPanel';
import { registerRelayCommands } from './commands/relayCommands';
import { registerServerCommands } from './commands/serverCommands';
import { registerSocketCommands } from './commands/socketCommands';
import { registerScenarioCommands } from './commands/scenarioCommands';
import { registerScenarioLanguage } from './language/scenarios';
import type { ScenarioRuns } from './language/scenarios/scenarioRuns';
import { Config, ContextKeys, Views } from './constants';
import { setUnexpectedErrorHandler } from './core/events';
import { SocketRegistry } from './core/registry';
import { TrafficLog } from './core/traffic/trafficLog';
import type { LabCheck, LabInfo } from './core/labs/types';
import { createPortsView } from './views/portsTreeProvider';
import { createSocketsTreeView, SocketsTreeProvider } from './views/socketsTreeProvider';
import { StatusBar } from './views/statusBar';
import { registerTrafficPanel, TrafficPanel } from './views/trafficPanel';

/** What activate returns: used by other extensions and by the integration tests. */
export type SocketPlaygroundApi = {
  readonly registry: SocketRegistry;
  readonly log: TrafficLog;
  readonly sockets: SocketsTreeProvider;
  /** The settings as the extension reads them, and the warnings about bad values (tests read both). */
  readonly config: SettingsReader;
  /** The open traffic panel, if any (tests read its counters). */
  trafficPanel(): TrafficPanel | undefined;
  /** The open notes panel, if any (tests read which note it shows). */
  notesPanel(): NotesPanel | undefined;
  /** Scenario runs: the Testing view's controller and the results shown inline (tests read them). */
  readonly scenarios: ScenarioRuns;
  /** An error's message as the user reads it, in the display language (tests check the Spanish). */
  localizedError(err: unknown): string;
  /** The last lab run's checks as the Testing view and the output showed them, in the display language. */
  lastLabChecks(): readonly LabCheck[] | undefined;
  /** A lab as the Labs picker and its instructions show it, in the display language. */
  localizedLab(lab: LabInfo): LabInfo;
};

let registry: SocketRegistry | undefined;

export function activate(context: vscode.ExtensionContext): SocketPlaygroundApi {
  try {
    return activateInner(context);
  } catch (err) {
    // VS Code does not tell the user when activation throws; we do.
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Socket Playground failed to start: {0}',
        err instanceof Error ? err.message : String(err),
      ),
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

  const config = new SettingsReader(
    () => vscode.workspace.getConfiguration(Config.Section),
    (message) => output.warn(message),
  );
  const settings = config.read();
  const log = new TrafficLog({
    maxEntries: settings.maxLogEntries,
    maxPayloadBytes: settings.maxPayloadBytes,
  });
  registry = new SocketRegistry(log, () => config.read());
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
    config,
    async reveal(socketId) {
      const s = reg.get(socketId);
      if (s && treeView.visible) {
        await treeView.reveal(s, { select: true, focus: false }).then(undefined, () => undefined);
      }
    },
  };

  const scenarios = registerScenarioLanguage(ctx);
  context.subscriptions.push(
    ...scenarios.disposables,
    ...registerScenarioCommands(ctx, scenarios.runs),
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
    new StatusBar(reg, Views.Sockets),
    reg.onDidChange(() => void setContext(ContextKeys.HasSockets, reg.size > 0)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Config.Section)) {
        const s = config.read();
        log.setLimits({ maxEntries: s.maxLogEntries, maxPayloadBytes: s.maxPayloadBytes });
      }
    }),
    reg.onDidChange((e) => {
      if (e.type !== 'changed') {
        output.info(`${e.type} ${e.socket.id}: ${e.socket.label} (${e.socket.state})`);
      }
    }),
  );
  void setContext(ContextKeys.HasSockets, false);
  output.info('Socket Playground activated');
  return {
    registry: reg,
    log,
    sockets,
    config,
    trafficPanel: () => TrafficPanel.current,
    notesPanel: () => NotesPanel.current,
    scenarios: scenarios.runs,
    localizedError,
    lastLabChecks: lastShownLabChecks,
    localizedLab,
  };
}

/** Sockets left open would keep their ports bound after a reload: close them and wait (subscriptions are not awaited). */
export async function deactivate(): Promise<void> {
  const r = registry;
  registry = undefined;
  await r?.closeAll();
  r?.dispose();
  // Reset the context key so no when-clause sees stale state; during a host shutdown the command may be cancelled: nothing to do then.
  void setContext(ContextKeys.HasSockets, false).catch(() => undefined);
}
