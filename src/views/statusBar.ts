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
    const n = this.registry.openCount;
    if (n === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(plug) ${n} socket${n === 1 ? '' : 's'}`;
    this.item.tooltip = `Socket Playground: ${n} open socket${n === 1 ? '' : 's'}. Click to show them.`;
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
