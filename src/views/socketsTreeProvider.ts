import * as vscode from 'vscode';
import { Views } from '../constants';
import type { SocketRegistry } from '../core/registry';
import { PlaygroundSocket } from '../core/sockets/socketBase';
import { GROUP_MIN, plural, type SocketRow, type Tone } from '../core/sockets/socketView';
import type { TrafficLog } from '../core/traffic/trafficLog';
import { localizedText, rowLabel } from '../l10n';

/** A row that is not a live socket: a group of folded siblings, or a closed connection still shown. */
export type RowNode = { row: SocketRow; parent: PlaygroundSocket; members?: PlaygroundSocket[] };
export type SocketsTreeElement = PlaygroundSocket | RowNode;

function toneColor(tone: Tone): vscode.ThemeColor {
  switch (tone) {
    case 'error':
      return new vscode.ThemeColor('errorForeground');
    case 'dim':
      return new vscode.ThemeColor('disabledForeground');
    case 'busy':
      return new vscode.ThemeColor('charts.yellow');
    default:
      return new vscode.ThemeColor('charts.green');
  }
}

/**
 * The Sockets tree: a thin view over the registry. Refreshes are coalesced so that a flood of traffic (counters
 * changing thousands of times a second) redraws the tree at most a few times a second.
 */
export class SocketsTreeProvider implements vscode.TreeDataProvider<SocketsTreeElement>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<SocketsTreeElement | undefined>();
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

  getChildren(element?: SocketsTreeElement): SocketsTreeElement[] {
    if (!element) {
      return this.registry.all().filter((s) => !s.parentId || !this.registry.get(s.parentId));
    }
    if (!(element instanceof PlaygroundSocket)) {
      return element.members ?? [];
    }
    const { loose, groups } = this.childrenOf(element);
    const retained: RowNode[] = element.retainedRows().map((row) => ({ row, parent: element }));
    return [...loose, ...groups, ...retained];
  }

  /** A socket's live children: those drawn one by one, and the groups folded from GROUP_MIN siblings on. */
  private childrenOf(parent: PlaygroundSocket): { loose: PlaygroundSocket[]; groups: RowNode[] } {
    const kids = this.registry.all().filter((s) => s.parentId === parent.id);
    const byKey = new Map<string, { group: NonNullable<SocketRow['group']>; members: PlaygroundSocket[] }>();
    const rows = new Map<PlaygroundSocket, SocketRow>();
    for (const k of kids) {
      const row = k.describe();
      rows.set(k, row);
      if (row.group) {
        const g = byKey.get(row.group.key) ?? { group: row.group, members: [] };
        g.members.push(k);
        byKey.set(row.group.key, g);
      }
    }
    const folded = new Set<PlaygroundSocket>();
    const groups: RowNode[] = [];
    for (const [key, { group, members }] of byKey) {
      if (members.length < GROUP_MIN) {
        continue;
      }
      members.forEach((m) => folded.add(m));
      const open = members.filter((m) => m.isOpen).length;
      groups.push({
        parent,
        members,
        row: {
          id: `${parent.id}/${key}`,
          label: rowLabel(group.label),
          description:
            legs(members.length) + (open === members.length ? '' : vscode.l10n.t(', {0} open', open)),
          tooltip: vscode.l10n.t(
            '**{0}**: {1}, folded so the tree stays short. Expand to see each.',
            rowLabel(group.label),
            legs(members.length),
          ),
          contextValue: 'group',
          icon: 'list-tree',
          tone: 'ok',
          accessibility: `${group.label}, ${plural(members.length, group.noun)}`,
          expandable: true,
        },
      });
    }
    return { loose: kids.filter((k) => !folded.has(k)), groups };
  }

  getParent(element: SocketsTreeElement): SocketsTreeElement | undefined {
    if (!(element instanceof PlaygroundSocket)) {
      return element.parent;
    }
    const parent = element.parentId ? this.registry.get(element.parentId) : undefined;
    if (!parent) {
      return undefined;
    }
    return this.childrenOf(parent).groups.find((g) => g.members?.includes(element)) ?? parent;
  }

  getTreeItem(element: SocketsTreeElement): vscode.TreeItem {
    const row = element instanceof PlaygroundSocket ? element.describe() : element.row;
    const group = !(element instanceof PlaygroundSocket) && element.members !== undefined;
    // Servers and relays are always expanded: VS Code does not expand an item whose collapsible state changes
    // from None to Expanded under the same id (microsoft/vscode#40179), so the first connection or leg would
    // otherwise arrive folded away. A childless expanded item shows no children, which is the truth. Groups
    // start folded: that is what they are for.
    const item = new vscode.TreeItem(
      rowLabel(row.label),
      group
        ? vscode.TreeItemCollapsibleState.Collapsed
        : row.expandable
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.None,
    );
    item.id = row.id;
    // The core writes each part in English and as a translatable text: the tree shows the display language.
    item.description = row.descriptionText ? localizedText(row.descriptionText) : row.description;
    item.iconPath = new vscode.ThemeIcon(row.icon, toneColor(row.tone));
    item.contextValue = row.contextValue;
    const md = new vscode.MarkdownString(
      row.tooltipText ? localizedText(row.tooltipText) : row.tooltip,
      true,
    );
    md.isTrusted = false;
    item.tooltip = md;
    item.accessibilityInformation = {
      label: row.accessibilityText ? localizedText(row.accessibilityText) : row.accessibility,
    };
    return item;
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

export function createSocketsTreeView(provider: SocketsTreeProvider): vscode.TreeView<SocketsTreeElement> {
  return vscode.window.createTreeView(Views.Sockets, { treeDataProvider: provider, showCollapseAll: true });
}

/** "1 leg", "3 legs" (the only groups the tree folds are a relay's legs). */
function legs(n: number): string {
  return n === 1 ? vscode.l10n.t('{0} leg', n) : vscode.l10n.t('{0} legs', n);
}
