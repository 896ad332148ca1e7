import * as vscode from 'vscode';
import { translatedStrings } from '../l10n';
import { TRAFFIC_STRINGS } from '../shared/webviewStrings';
import { Commands, Config, Views } from '../constants';
import { executeCommand, type Ctx } from '../context';
import { PanelFeed } from '../core/traffic/panelFeed';
import { handleWebviewMessage } from '../core/traffic/panelRequests';
import type { PanelSettings, ToWebview } from '../shared/protocol';
import { webviewHtml, webviewOptions } from './webviewHtml';

/**
 * The traffic panel: a WebviewPanel in the editor area (createOrShow/revive, as in the webview sample).
 * The extension host owns the truth; the webview shows what it is sent, asks for details by seq, and is
 * re-initialised by `ready` → `init` after a reload.
 */
export class TrafficPanel implements vscode.Disposable {
  static current: TrafficPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  readonly feed: PanelFeed;
  /** Messages from the webview that failed validation (tests read it). */
  rejected = 0;

  static createOrShow(ctx: Ctx, socketId?: string): TrafficPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (TrafficPanel.current) {
      TrafficPanel.current.panel.reveal(column);
      TrafficPanel.current.setFilter(socketId);
      return TrafficPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      Views.Traffic,
      vscode.l10n.t('Socket Traffic'),
      column,
      webviewOptions(ctx.extensionUri),
    );
    TrafficPanel.current = new TrafficPanel(panel, ctx, socketId);
    return TrafficPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, ctx: Ctx): void {
    panel.webview.options = webviewOptions(ctx.extensionUri);
    TrafficPanel.current?.dispose();
    TrafficPanel.current = new TrafficPanel(panel, ctx, undefined);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: Ctx,
    socketId: string | undefined,
  ) {
    this.feed = new PanelFeed(
      ctx.log,
      ctx.registry,
      // The page is drawn in the display language: its words come with each snapshot.
      (m) => this.post(m.type === 'init' ? { ...m, strings: translatedStrings(TRAFFIC_STRINGS) } : m),
      () => this.settings(),
    );
    this.feed.filterSocketId = socketId;
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'socket-playground.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      // A hidden panel's webview is gone (no retainContextWhenHidden): post nothing to it. Shown again, it gets
      // a fresh snapshot (and one more when the reloaded page says `ready`).
      panel.onDidChangeViewState(() => this.feed.setVisible(panel.visible)),
      this.feed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Config.Section}.${Config.PayloadView}`)) {
          this.feed.onReady();
        }
      }),
    );
  }

  private html(): string {
    return webviewHtml(this.panel.webview, this.ctx.extensionUri, {
      title: vscode.l10n.t('Socket Traffic'),
      script: ['dist', 'webview.js'],
      styles: [['media', 'traffic.css']],
      label: vscode.l10n.t('Socket traffic'),
      role: 'application',
    });
  }

  private settings(): PanelSettings {
    const s = this.ctx.config.read();
    // The ring's real capacity: the setting as clamped by the log (the panel shows how full the log is).
    return { payloadView: s.payloadView, maxEntries: this.ctx.log.maxEntries };
  }

  setFilter(socketId: string | undefined): void {
    this.feed.setFilter(socketId);
  }

  private post(msg: ToWebview): void {
    void this.panel.webview.postMessage(msg).then(undefined, () => undefined);
  }

  private onMessage(raw: unknown): void {
    handleWebviewMessage(raw, this.ctx.log, this.ctx.registry, {
      post: (m) => this.post(m),
      rejected: (reason) => {
        this.rejected++;
        this.ctx.output.warn(`traffic panel: rejected a message from the webview: ${reason}`);
      },
      ready: () => this.feed.onReady(),
      clearLog: () => this.ctx.log.clear(),
      exportLog: () => void executeCommand(Commands.ExportTraffic).then(undefined, () => undefined),
      // Beside the traffic panel, keeping the focus here: the note explains what the panel shows.
      openNote: (noteId) =>
        void executeCommand(Commands.OpenNotes, { noteId }).then(undefined, () => undefined),
    }).catch((err: unknown) =>
      this.ctx.output.warn(`traffic panel: a message from the webview failed: ${String(err)}`),
    );
  }

  dispose(): void {
    if (TrafficPanel.current === this) {
      TrafficPanel.current = undefined;
    }
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}

export function registerTrafficPanel(ctx: Ctx): vscode.Disposable[] {
  return [
    vscode.window.registerWebviewPanelSerializer(Views.Traffic, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        TrafficPanel.revive(panel, ctx);
      },
    }),
    { dispose: () => TrafficPanel.current?.dispose() },
  ];
}
