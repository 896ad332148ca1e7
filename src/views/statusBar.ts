import * as vscode from 'vscode';
import type { SocketRegistry } from '../core/registry';
import { plural } from '../core/sockets/socketView';

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
    this.item.text = `$(plug) ${plural(n, 'socket')}`;
    this.item.tooltip =
      `Socket Playground: ${plural(n, 'open socket')}` +
      (under > 0
        ? `, with ${plural(under, 'connection or relay leg', 'connections and relay legs')} under them`
        : '') +
      '. Click to show them.';
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
