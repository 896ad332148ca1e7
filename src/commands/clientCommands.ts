import * as vscode from 'vscode';
import { Commands } from '../constants';
import { readSettings, wrap, type Ctx } from '../context';
import { askHost, askPort } from './prompts';

export function registerClientCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      Commands.OpenUdpClient,
      wrap(ctx, Commands.OpenUdpClient, async (inv) => {
        if (inv.mode === 'api') {
          return ctx.registry.openUdpClient(inv.arg);
        }
        const title = 'Open UDP Client';
        const s = readSettings();
        const host = await askHost(
          title,
          s.bindAddress,
          'The server to send datagrams to (host name or IP address)',
        );
        const port = await askPort(title, s.defaultPort, { allowZero: false, prompt: "The server's port" });
        const info = await ctx.registry.openUdpClient({ host, port });
        await ctx.reveal(info.id);
        void vscode.window.showInformationMessage(
          `${info.label}: the OS chose local port ${info.local.port}. Use "Send" to send a datagram.`,
        );
        return info;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.ConnectTcpClient,
      wrap(ctx, Commands.ConnectTcpClient, async (inv) => {
        if (inv.mode === 'api') {
          return ctx.registry.connectTcpClient(inv.arg);
        }
        const title = 'Connect TCP Client';
        const s = readSettings();
        const host = await askHost(
          title,
          s.bindAddress,
          'The server to connect to (host name or IP address)',
        );
        const port = await askPort(title, s.defaultPort, { allowZero: false, prompt: "The server's port" });
        const info = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Connecting to ${host}:${port}…` },
          () => ctx.registry.connectTcpClient({ host, port }),
        );
        await ctx.reveal(info.id);
        return info;
      }),
    ),
  ];
}
