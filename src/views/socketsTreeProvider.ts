import * as vscode from 'vscode';
import { Views } from '../constants';
import type { SocketRegistry } from '../core/registry';
import { type PlaygroundSocket } from '../core/sockets/socketBase';
import { formatEndpoint } from '../shared/endpoint';
import { describeImpairment, type ImpairmentStats } from '../core/sockets/impairment';
import type { Relay, UdpRelayLeg } from '../core/relay/relay';
import type { TcpServer } from '../core/sockets/tcpServer';
import type { TrafficLog } from '../core/traffic/trafficLog';
import type { Impairment, SocketKind, SocketState } from '../shared/types';
import type { UdpServer } from '../core/sockets/udpSocket';

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

  /** "UDP relay", or for a relay's own sockets which side of it they are. */
  private labelOf(s: PlaygroundSocket): string {
    if (s.kind === 'relay') {
      return `${s.protocol.toUpperCase()} relay`;
    }
    if (s.parentId && this.registry.get(s.parentId)?.kind === 'relay') {
      return s.kind === 'tcp-connection' ? 'Leg from client' : 'Leg to server';
    }
    return KIND_LABEL[s.kind];
  }

  getTreeItem(s: PlaygroundSocket): vscode.TreeItem {
    // Servers and relays are always expanded: VS Code does not expand an item whose collapsible state changes
    // from None to Expanded under the same id (microsoft/vscode#40179), so the first connection or leg would
    // otherwise arrive folded away. A childless expanded item shows no children, which is the truth.
    const parent = s.kind === 'tcp-server' || s.kind === 'relay';
    const label = this.labelOf(s);
    const item = new vscode.TreeItem(
      label,
      parent ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = s.id;
    const where =
      s.kind === 'tcp-server' || s.kind === 'udp-server'
        ? formatEndpoint(s.local)
        : `${formatEndpoint(s.local)} → ${formatEndpoint(s.remote)}`;
    // A TCP relay's bytes are counted on its legs (each a connection of its own), like a server's.
    const traffic =
      s.kind === 'tcp-server'
        ? `${(s as TcpServer).connections.size} conn`
        : s.kind === 'relay' && s.protocol === 'tcp'
          ? `${Math.ceil((s as Relay).legCount / 2)} conn`
          : `↓${bytes(s.bytesIn)} ↑${bytes(s.bytesOut)}`;
    const state = s.state === 'listening' || s.state === 'bound' || s.state === 'open' ? '' : ` · ${s.state}`;
    // What the impairment did comes first: the sidebar is narrow and the end of a description is cut off.
    const impaired =
      s.kind === 'relay'
        ? impairmentSummary(s.protocol, (s as Relay).impairment, (s as Relay).stats)
        : s.kind === 'udp-server'
          ? impairmentSummary('udp', (s as UdpServer).impairmentConfig, (s as UdpServer).impairment?.stats)
          : '';
    item.description = `${impaired ? `${impaired} · ` : ''}${where} · ${traffic}${state}`;
    item.iconPath = new vscode.ThemeIcon(KIND_ICON[s.kind], stateColor(s.state));
    item.contextValue = `${s.kind}:${s.state}`;
    item.tooltip = this.tooltip(s, label);
    item.accessibilityInformation = {
      label:
        `${label} ${where}, ${s.state}${impaired ? `, ${impaired}` : ''}, ` +
        `${s.bytesIn} bytes in, ${s.bytesOut} bytes out`,
    };
    return item;
  }

  private tooltip(s: PlaygroundSocket, label: string): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMd(label)}** \`${s.id}\` — ${s.state}\n\n`);
    md.appendMarkdown(`| | |\n|---|---|\n`);
    md.appendMarkdown(`| local | \`${formatEndpoint(s.local)}\` |\n`);
    if (s.remote) {
      md.appendMarkdown(
        `| ${s.kind === 'relay' ? 'target' : 'remote'} | \`${formatEndpoint(s.remote)}\` |\n`,
      );
    }
    if (s.parentId && s.kind === 'udp-client' && 'client' in s) {
      md.appendMarkdown(`| for client | \`${formatEndpoint((s as UdpRelayLeg).client)}\` |\n`);
    }
    if (s.behavior) {
      md.appendMarkdown(`| behaviour | ${s.behavior} |\n`);
    }
    if (s.kind === 'relay') {
      const relay = s as Relay;
      const how = describeImpairment(relay.impairment, relay.seed);
      md.appendMarkdown(`| impairment | ${how ? escapeMd(how) : 'none'} |\n`);
      for (const [what, text] of impairmentRows(relay)) {
        md.appendMarkdown(`| ${what} | ${text} |\n`);
      }
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

/**
 * What an impairment did, in a few words for the tree (a relay, or the pinger-lab UDP server): UDP loses what is
 * dropped for good; over TCP nothing is lost, the drops only cost retransmissions (simulated), so it says both.
 */
export function impairmentSummary(
  protocol: 'udp' | 'tcp',
  config: Impairment | undefined,
  stats: ImpairmentStats | undefined,
): string {
  if (!config || !stats) {
    return '';
  }
  const { dropped, duplicated, reordered } = stats;
  if (protocol === 'tcp') {
    return config.loss || config.reorder ? `0 lost, ${dropped} resent` : '0 lost';
  }
  const parts: string[] = [];
  if (config.loss) {
    parts.push(`${dropped} lost`);
  }
  if (config.duplicate) {
    parts.push(`${duplicated} duplicated`);
  }
  if (config.reorder) {
    parts.push(`${reordered} reordered`);
  }
  return parts.join(', ');
}

/** The tooltip's rows for a relay's impairment counters. */
function impairmentRows(relay: Relay): Array<[string, string]> {
  if (!relay.impairment) {
    return [];
  }
  const { dropped, delayed, duplicated, reordered } = relay.stats;
  const rows: Array<[string, string]> = [];
  if (relay.protocol === 'udp') {
    rows.push([
      'lost',
      `${dropped} datagrams, never delivered: UDP does not resend, the application must notice`,
    ]);
    if (duplicated) {
      rows.push(['duplicated', `${duplicated} datagrams delivered twice`]);
    }
    if (reordered) {
      rows.push(['reordered', `${reordered} datagrams overtaken by later ones`]);
    }
  } else {
    rows.push([
      'lost',
      `nothing: the ${dropped} segments the link dropped were resent by TCP (simulated), so every byte arrives in order`,
    ]);
  }
  if (delayed) {
    rows.push(['delayed', `${delayed} ${relay.protocol === 'udp' ? 'datagrams' : 'chunks'} held back`]);
  }
  return rows;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function createSocketsTreeView(provider: SocketsTreeProvider): vscode.TreeView<PlaygroundSocket> {
  return vscode.window.createTreeView(Views.Sockets, { treeDataProvider: provider, showCollapseAll: true });
}
