import * as vscode from 'vscode';
import { Commands, Config, Views } from '../constants';
import { executeCommand, type Ctx } from '../context';
import { decodePayload } from '../core/sockets/codec';
import { errorMessage } from '../core/errors';
import { getNote } from '../core/notes/notes';
import { PanelFeed } from '../core/traffic/panelFeed';
import { socketCallsFor } from '../core/assist/socketCalls';
import type { SocketKind } from '../shared/types';
import {
  assertNever,
  lineEndingBytes,
  parseFromWebview,
  type EntryDetail,
  type FromWebview,
  type PanelSettings,
  type ToWebview,
} from '../shared/protocol';
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
      'Socket Traffic',
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
      (m) => this.post(m),
      () => this.settings(),
    );
    this.feed.filterSocketId = socketId;
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'socket-playground.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
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
      title: 'Socket Traffic',
      script: ['dist', 'webview.js'],
      styles: [['media', 'traffic.css']],
      label: 'Socket traffic',
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
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) {
      this.rejected++;
      this.ctx.output.warn(`traffic panel: rejected a message from the webview: ${parsed.reason}`);
      return;
    }
    const msg: FromWebview = parsed.msg;
    switch (msg.type) {
      case 'ready':
        this.feed.onReady();
        break;
      case 'getEntry':
        this.post({ type: 'entryDetail', requestId: msg.requestId, ...this.detail(msg.seq) });
        break;
      case 'sendMessage': {
        // Decode here so the line ending can be appended to any encoding; the engine re-validates everything.
        let arg: Record<string, unknown>;
        try {
          const bytes = Buffer.concat([
            decodePayload(msg.data, msg.encoding),
            Buffer.from(lineEndingBytes(msg.lineEnding)),
          ]);
          arg = { socketId: msg.socketId, data: bytes.toString('base64'), encoding: 'base64' };
          if (msg.to) {
            arg['to'] = msg.to;
          }
        } catch (err) {
          this.post({ type: 'sendResult', requestId: msg.requestId, error: errorMessage(err) });
          break;
        }
        this.ctx.registry.send(arg).then(
          (r) => this.post({ type: 'sendResult', requestId: msg.requestId, bytes: r.bytes }),
          (err: unknown) =>
            this.post({ type: 'sendResult', requestId: msg.requestId, error: errorMessage(err) }),
        );
        break;
      }
      case 'clearLog':
        this.ctx.log.clear();
        break;
      case 'exportLog':
        void executeCommand(Commands.ExportTraffic).then(undefined, () => undefined);
        break;
      case 'openNote':
        void executeCommand(Commands.OpenNotes, { noteId: msg.noteId }).then(undefined, () => undefined);
        break;
      default:
        assertNever(msg);
    }
  }

  private detail(seq: number): { entry?: EntryDetail; error?: string } {
    const r = this.ctx.log.get(seq);
    if (!r) {
      return { error: `entry ${seq} is no longer in the log (evicted or cleared).` };
    }
    const socket = this.ctx.registry.get(r.socketId);
    const kind: SocketKind = socket?.kind ?? (kindFromId(r.socketId) as SocketKind);
    const entry: EntryDetail = {
      seq: r.seq,
      time: new Date(r.timeMs).toISOString(),
      socketId: r.socketId,
      socketLabel: socket?.label,
      protocol: r.protocol,
      event: r.event,
      local: r.local,
      remote: r.remote,
      bytes: r.bytes,
      data: r.payload?.toString('base64'),
      truncated: r.truncated,
      error: r.error,
      closedBy: r.closedBy,
      notes: r.notes.flatMap((n) => {
        const note = getNote(n.id);
        return note ? [{ id: note.id, title: note.title, body: note.body, code: note.code }] : [];
      }),
      calls: socketCallsFor(kind, r.event, r.local, r.remote),
    };
    return { entry };
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

function kindFromId(id: string): string {
  return id.replace(/-\d+$/, '');
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
