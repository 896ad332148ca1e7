import * as vscode from 'vscode';
import { Commands, Views } from '../constants';
import { registerCommand } from '../context';
import { errorMessage } from '../core/errors';
import {
  SocketOwnerCache,
  describeAddress,
  describePort,
  listListeningPorts,
  type PortEntry,
  type SocketOwner,
} from '../core/os/procNet';
import type { SocketRegistry } from '../core/registry';
import { type PlaygroundSocket } from '../core/sockets/socketBase';
import { formatEndpoint } from '../shared/endpoint';
import { markdownText } from '../shared/markdownText';
import type { Protocol } from '../shared/types';

/** A row of the Ports view: a group, a port the playground holds, or a port of the machine. */
export type PortNode =
  | { type: 'group'; group: 'playground' | Protocol }
  | { type: 'held'; socket: PlaygroundSocket }
  | { type: 'port'; entry: PortEntry; held: PlaygroundSocket | undefined };

// Built when asked: vscode.l10n answers in the display language only once the extension is activated.
const RANGE_TEXT = (): Record<string, string> => ({
  'well-known': vscode.l10n.t('well-known (0–1023)'),
  registered: vscode.l10n.t('registered (1024–49151)'),
  dynamic: vscode.l10n.t('dynamic/ephemeral (49152–65535)'),
});

/** How often the machine's ports are read again while the view is visible. */
const AUTO_REFRESH_MS = 5000;

const GROUPS: PortNode[] = [
  { type: 'group', group: 'playground' },
  { type: 'group', group: 'tcp' },
  { type: 'group', group: 'udp' },
];

/** The socket kinds that hold a port of their own (accepted TCP connections share their server's). */
function holdsPort(s: PlaygroundSocket): boolean {
  return s.isOpen && s.local.port > 0 && s.kind !== 'tcp-connection';
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The Ports view: the ports the playground holds, and the machine's listening TCP and bound UDP ports read from
 * the OS (any program's, so a student sees whether their own server is up and on which address). Read on
 * demand and every few seconds while visible; never while hidden.
 */
export class PortsTreeProvider implements vscode.TreeDataProvider<PortNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<PortNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private entries: PortEntry[] = [];
  private loaded = false;
  private loading: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private visible = false;
  private disposed = false;
  /** The last error reading the OS's ports, shown as the view's message. */
  error: string | undefined;
  /** Told when the error message changes (the TreeView shows it). */
  onDidChangeMessage: ((message: string | undefined) => void) | undefined;

  constructor(
    private readonly registry: SocketRegistry,
    private readonly list: () => Promise<PortEntry[]> = defaultList(),
  ) {
    this.disposables.push(
      registry.onDidChange(() => {
        // A socket opened or closed: the OS list changed too. Coalesce bursts (a flood of connections).
        if (this.visible && !this.debounce) {
          this.debounce = setTimeout(() => {
            this.debounce = undefined;
            void this.refresh();
          }, 300);
        }
      }),
    );
  }

  /** The machine's ports as last read. */
  get machinePorts(): readonly PortEntry[] {
    return this.entries;
  }

  /** Reads the machine's ports again and redraws; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.loading ??= this.list()
      .then(
        (entries) => {
          this.entries = entries;
          this.setError(undefined);
        },
        (err: unknown) =>
          this.setError(vscode.l10n.t("Could not read this machine's ports: {0}", errorMessage(err))),
      )
      .finally(() => {
        this.loaded = true;
        this.loading = undefined;
        if (!this.disposed) {
          this.changeEmitter.fire(undefined);
        }
      });
    return this.loading;
  }

  private setError(message: string | undefined): void {
    if (message !== this.error) {
      this.error = message;
      this.onDidChangeMessage?.(message);
    }
  }

  /** Refreshes now and every few seconds while the view is visible. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && !this.timer && !this.disposed) {
      void this.refresh();
      this.timer = setInterval(() => void this.refresh(), AUTO_REFRESH_MS);
    } else if (!visible && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private held(): PlaygroundSocket[] {
    return this.registry
      .all()
      .filter(holdsPort)
      .sort((a, b) => a.local.port - b.local.port);
  }

  /** The playground socket holding this port, if any. */
  private holder(e: PortEntry): PlaygroundSocket | undefined {
    return this.registry
      .all()
      .find(
        (s) =>
          holdsPort(s) &&
          s.protocol === e.protocol &&
          s.local.port === e.port &&
          sameAddress(s.local.address, e.address),
      );
  }

  getChildren(element?: PortNode): PortNode[] {
    if (!element) {
      if (!this.loaded && !this.loading) {
        void this.refresh();
      }
      return GROUPS;
    }
    if (element.type !== 'group') {
      return [];
    }
    if (element.group === 'playground') {
      return this.held().map((socket) => ({ type: 'held', socket }));
    }
    return this.entries
      .filter((e) => e.protocol === element.group)
      .map((entry) => ({ type: 'port', entry, held: this.holder(entry) }));
  }

  getParent(element: PortNode): PortNode | undefined {
    switch (element.type) {
      case 'group':
        return undefined;
      case 'held':
        return GROUPS[0];
      case 'port':
        return GROUPS.find((g) => g.type === 'group' && g.group === element.entry.protocol);
    }
  }

  getTreeItem(node: PortNode): vscode.TreeItem {
    switch (node.type) {
      case 'group':
        return this.groupItem(node.group);
      case 'held':
        return this.heldItem(node.socket);
      case 'port':
        return this.portItem(node.entry, node.held);
    }
  }

  private groupItem(group: 'playground' | Protocol): vscode.TreeItem {
    const count =
      group === 'playground' ? this.held().length : this.entries.filter((e) => e.protocol === group).length;
    const label =
      group === 'playground'
        ? vscode.l10n.t('Held by the playground')
        : group === 'tcp'
          ? vscode.l10n.t('TCP ports listening')
          : vscode.l10n.t('UDP ports bound');
    const item = new vscode.TreeItem(
      label,
      count > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `ports:${group}`;
    item.description = this.loaded || group === 'playground' ? String(count) : vscode.l10n.t('reading…');
    item.iconPath = new vscode.ThemeIcon(
      group === 'playground' ? 'beaker' : group === 'tcp' ? 'plug' : 'broadcast',
    );
    item.contextValue = `portsGroup:${group}`;
    item.tooltip =
      group === 'playground'
        ? vscode.l10n.t('Ports the playground’s own sockets hold (servers, relays, clients).')
        : group === 'tcp'
          ? vscode.l10n.t(
              'Every TCP socket in LISTEN on this machine, from any program: a server accepting connections.',
            )
          : vscode.l10n.t(
              'Every unconnected UDP socket on this machine, from any program: each can receive datagrams.',
            );
    return item;
  }

  private heldItem(s: PlaygroundSocket): vscode.TreeItem {
    const { service, range } = describePort(s.local.port, s.protocol);
    const item = new vscode.TreeItem(`${formatEndpoint(s.local)}`, vscode.TreeItemCollapsibleState.None);
    item.id = `ports:held:${s.id}`;
    // The socket's kind ("UDP relay"), not its label: the label repeats the address the row already shows, and
    // the whole of it is in the tooltip.
    item.description = [s.describe().label, service].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(
      s.protocol === 'tcp' ? 'plug' : 'broadcast',
      new vscode.ThemeColor('charts.green'),
    );
    item.contextValue = `portsHeld:${s.kind}`;
    item.tooltip = this.tooltip(s.protocol, s.local.address, s.local.port, service, range, s.label);
    item.accessibilityInformation = {
      label: vscode.l10n.t(
        '{0} port {1} on {2}, held by {3}',
        s.protocol.toUpperCase(),
        s.local.port,
        s.local.address,
        s.label,
      ),
    };
    return item;
  }

  private portItem(e: PortEntry, held: PlaygroundSocket | undefined): vscode.TreeItem {
    const { service, range } = describePort(e.port, e.protocol);
    const item = new vscode.TreeItem(formatEndpoint(e), vscode.TreeItemCollapsibleState.None);
    item.id = `ports:${e.protocol}:${e.address}:${e.port}`;
    // Whose port it is, when the OS tells: "python3 (pid 4242)" answers "is my server up?" at a glance.
    const owner = held ? 'playground' : e.owner ? `${e.owner.name} (pid ${e.owner.pid})` : undefined;
    item.description = [owner, service, range].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(
      e.protocol === 'tcp' ? 'plug' : 'broadcast',
      held ? new vscode.ThemeColor('charts.green') : undefined,
    );
    item.contextValue = `port:${e.protocol}${held ? ':playground' : ''}`;
    item.tooltip = this.tooltip(e.protocol, e.address, e.port, service, range, held?.label, e.owner);
    item.accessibilityInformation = {
      label: `${e.protocol.toUpperCase()} port ${e.port} on ${e.address}${service ? `, ${service}` : ''}, ${range}${owner ? `, held by ${owner}` : ''}`,
    };
    return item;
  }

  private tooltip(
    protocol: Protocol,
    address: string,
    port: number,
    service: string | undefined,
    range: string,
    heldBy: string | undefined,
    owner?: SocketOwner,
  ): vscode.MarkdownString {
    // Program names and command lines come from other programs: every piece of text goes in through
    // markdownText (inert: no link, emphasis, HTML or table break), and the string trusts nothing.
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendMarkdown(
      vscode.l10n.t(
        '**{0} port {1}**{2}\n\n',
        protocol.toUpperCase(),
        port,
        service ? ` — ${markdownText(service)}` : '',
      ),
    );
    md.appendMarkdown(`| | |\n|---|---|\n`);
    md.appendMarkdown(vscode.l10n.t('| address | {0} |\n', markdownText(address)));
    md.appendMarkdown(vscode.l10n.t('| range | {0} |\n', markdownText(RANGE_TEXT()[range] ?? range)));
    if (heldBy) {
      md.appendMarkdown(vscode.l10n.t('| held by | {0} |\n', markdownText(heldBy)));
    } else if (owner) {
      md.appendMarkdown(vscode.l10n.t('| program | {0} (pid {1}) |\n', markdownText(owner.name), owner.pid));
      md.appendMarkdown(vscode.l10n.t('| command | {0} |\n', markdownText(owner.command)));
    }
    md.appendMarkdown(`\n${markdownText(describeAddress(address))}\n`);
    return md;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (this.debounce) {
      clearTimeout(this.debounce);
      this.debounce = undefined;
    }
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

/** The machine's ports, each with the program that holds it where the OS tells (owners cached between reads). */
function defaultList(): () => Promise<PortEntry[]> {
  const owners = new SocketOwnerCache();
  return async () => owners.annotate(await listListeningPorts());
}

/** Creates the Ports view (a TreeView, for visibility and messages) and its refresh command. */
export function createPortsView(registry: SocketRegistry): {
  provider: PortsTreeProvider;
  treeView: vscode.TreeView<PortNode>;
  disposables: vscode.Disposable[];
} {
  const provider = new PortsTreeProvider(registry);
  const treeView = vscode.window.createTreeView(Views.Ports, { treeDataProvider: provider });
  provider.onDidChangeMessage = (message) => (treeView.message = message);
  provider.setVisible(treeView.visible);
  return {
    provider,
    treeView,
    disposables: [
      provider,
      treeView,
      treeView.onDidChangeVisibility((e) => provider.setVisible(e.visible)),
      registerCommand(Commands.RefreshPorts, () => provider.refresh()),
    ],
  };
}
