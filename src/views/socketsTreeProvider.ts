import * as vscode from 'vscode';
import { Views } from '../constants';
import type { SocketRegistry } from '../core/registry';
import { formatEndpoint, type PlaygroundSocket } from '../core/socketBase';
import type { Relay } from '../core/relay';
import type { TcpServer } from '../core/tcpServer';
import type { TrafficLog } from '../core/trafficLog';
import type { SocketKind, SocketState } from '../core/types';

const KIND_LABEL: Record<SocketKind, string> = {
  'udp-server': 'UDP server',
  'udp-client': 'UDP client',
  'tcp-server': 'TCP server',
  'tcp-connection': 'TCP connection',
  'tcp-client': 'TCP client',
  relay: 'Relay',
};

const KIND_ICON: Record<SocketKind, string> = {
  'udp-server': 'broadcast',
  'udp-client': 'send',
  'tcp-server': 'server-process',
  'tcp-connection': 'plug',
  'tcp-client': 'debug-disconnect',
  relay: 'arrow-swap',
};

function stateColor(state: SocketState): vscode.ThemeColor | undefined {
  switch (state) {
    case 'error':
      return new vscode.ThemeColor('errorForeground');
    case 'closed':
    case 'closing':
      return new vscode.ThemeColor('disabledForeground');
    case 'opening':
    case 'connecting':
      return new vscode.ThemeColor('charts.yellow');
    default:
      return new vscode.ThemeColor('charts.green');
  }
}

function bytes(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(1)} KiB`;
  }
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The Sockets tree: a thin view over the registry. Refreshes are coalesced so that a flood of traffic (counters
 * changing thousands of times a second) redraws the tree at most a few times a second.
 */
export class SocketsTreeProvider implements vscode.TreeDataProvider<PlaygroundSocket>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<PlaygroundSocket | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Full refreshes fired so far (tests check the coalescing). */
  refreshCount = 0;

  constructor(
    private readonly registry: SocketRegistry,
    log: TrafficLog,
    private readonly delayMs = 250,
  ) {
    this.disposables.push(
      registry.onDidChange(() => this.scheduleRefresh()),
      log.onDidAppend(() => this.scheduleRefresh()),
      this.changeEmitter,
    );
  }

  private scheduleRefresh(): void {
    if (this.timer) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refreshCount++;
      this.changeEmitter.fire(undefined);
    }, this.delayMs);
  }

  getChildren(element?: PlaygroundSocket): PlaygroundSocket[] {
    const all = this.registry.all();
    if (!element) {
      return all.filter((s) => !s.parentId || !this.registry.get(s.parentId));
    }
    return all.filter((s) => s.parentId === element.id);
  }

  getParent(element: PlaygroundSocket): PlaygroundSocket | undefined {
    return element.parentId ? this.registry.get(element.parentId) : undefined;
  }

  getTreeItem(s: PlaygroundSocket): vscode.TreeItem {
    const hasChildren =
      (s.kind === 'tcp-server' && (s as TcpServer).connections.size > 0) ||
      (s.kind === 'relay' && (s as Relay).legCount > 0);
    const item = new vscode.TreeItem(
      KIND_LABEL[s.kind],
      hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = s.id;
    const where =
      s.kind === 'tcp-server' || s.kind === 'udp-server'
        ? formatEndpoint(s.local)
        : `${formatEndpoint(s.local)} → ${formatEndpoint(s.remote)}`;
    const traffic =
      s.kind === 'tcp-server'
        ? `${(s as TcpServer).connections.size} conn`
        : `↓${bytes(s.bytesIn)} ↑${bytes(s.bytesOut)}`;
    const state = s.state === 'listening' || s.state === 'bound' || s.state === 'open' ? '' : ` · ${s.state}`;
    item.description = `${where} · ${traffic}${state}`;
    item.iconPath = new vscode.ThemeIcon(KIND_ICON[s.kind], stateColor(s.state));
    item.contextValue = `${s.kind}:${s.state}`;
    item.tooltip = this.tooltip(s);
    item.accessibilityInformation = {
      label: `${KIND_LABEL[s.kind]} ${where}, ${s.state}, ${s.bytesIn} bytes in, ${s.bytesOut} bytes out`,
    };
    return item;
  }

  private tooltip(s: PlaygroundSocket): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${KIND_LABEL[s.kind]}** \`${s.id}\` — ${s.state}\n\n`);
    md.appendMarkdown(`| | |\n|---|---|\n`);
    md.appendMarkdown(`| local | \`${formatEndpoint(s.local)}\` |\n`);
    if (s.remote) {
      md.appendMarkdown(`| remote | \`${formatEndpoint(s.remote)}\` |\n`);
    }
    if (s.behavior) {
      md.appendMarkdown(`| behaviour | ${s.behavior} |\n`);
    }
    md.appendMarkdown(
      `| in | ${s.bytesIn} bytes in ${s.messagesIn} ${s.protocol === 'udp' ? 'datagrams' : 'chunks'} |\n`,
    );
    md.appendMarkdown(
      `| out | ${s.bytesOut} bytes in ${s.messagesOut} ${s.protocol === 'udp' ? 'datagrams' : 'writes'} |\n`,
    );
    if (s.error) {
      md.appendMarkdown(`\n$(error) ${s.error.code ?? ''} ${escapeMd(s.error.message)}\n`);
    }
    md.isTrusted = false;
    return md;
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function createSocketsTreeView(provider: SocketsTreeProvider): vscode.TreeView<PlaygroundSocket> {
  return vscode.window.createTreeView(Views.Sockets, { treeDataProvider: provider, showCollapseAll: true });
}
