import * as vscode from 'vscode';
import type { SocketRegistry } from '../core/registry';

/** "$(plug) 3 sockets" while the playground holds any; a click focuses the Sockets view. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'socketPlayground.status',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly registry: SocketRegistry,
    viewId: string,
  ) {
    this.item.name = 'Socket Playground';
    this.item.command = `${viewId}.focus`;
    this.sub = registry.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const all = this.registry.openCount;
    if (all === 0) {
      this.item.hide();
      return;
    }
    // Counted as the tree shows them: servers, clients and relays; their connections and legs are folded under.
    const n = this.registry.all().filter((s) => s.isOpen && !s.parentId).length;
    const under = all - n;
    this.item.text = `$(plug) ${n === 1 ? vscode.l10n.t('{0} socket', n) : vscode.l10n.t('{0} sockets', n)}`;
    this.item.tooltip =
      (n === 1
        ? vscode.l10n.t('Socket Playground: {0} open socket', n)
        : vscode.l10n.t('Socket Playground: {0} open sockets', n)) +
      (under > 0
        ? under === 1
          ? vscode.l10n.t(', with {0} connection or relay leg under them', under)
          : vscode.l10n.t(', with {0} connections and relay legs under them', under)
        : '') +
      vscode.l10n.t('. Click to show them.');
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
