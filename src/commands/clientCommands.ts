import * as vscode from 'vscode';
import { Commands } from '../constants';
import { defineCommand, settings, type Ctx } from '../context';
import { isLoopback, resolveHost } from '../core/validate';
import { askHost, askPort, confirmRemoteBind } from './prompts';

export function registerClientCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.OpenUdpClient, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.openUdpClient(inv.arg);
      }
      const title = 'Open UDP Client';
      const s = settings(ctx);
      const host = await askHost(
        title,
        s.bindAddress,
        'The server to send datagrams to (host name or IP address)',
      );
      const port = await askPort(title, s.defaultPort, { allowZero: false, prompt: "The server's port" });
      // A remote destination means a client bound to every interface: confirmed, as a remote server bind is.
      const { address } = await resolveHost(host);
      if (!isLoopback(address)) {
        await confirmRemoteBind(
          '0.0.0.0',
          s.allowRemoteBind,
          `Bind a UDP client to every interface to reach ${host}`,
        );
      }
      const info = await ctx.registry.openUdpClient({ host, port });
      await ctx.reveal(info.id);
      void vscode.window.showInformationMessage(
        `${info.label}: the OS chose local port ${info.local.port}. Use "Send" to send a datagram.`,
      );
      return info;
    }),
    defineCommand(ctx, Commands.ConnectTcpClient, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.connectTcpClient(inv.arg);
      }
      const title = 'Connect TCP Client';
      const s = settings(ctx);
      const host = await askHost(title, s.bindAddress, 'The server to connect to (host name or IP address)');
      const port = await askPort(title, s.defaultPort, { allowZero: false, prompt: "The server's port" });
      const info = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Connecting to ${host}:${port}…` },
        () => ctx.registry.connectTcpClient({ host, port }),
      );
      await ctx.reveal(info.id);
      return info;
    }),
  ];
}
