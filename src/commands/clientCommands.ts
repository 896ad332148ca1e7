import * as vscode from 'vscode';
import { Commands } from '../constants';
import { defineCommand, settings, type Ctx } from '../context';
import { isLoopback, resolveHost } from '../core/validate';
import { socketLabel } from '../l10n';
import { askHost, askPort, confirmRemoteBind } from './prompts';

export function registerClientCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.OpenUdpClient, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.openUdpClient(inv.arg);
      }
      const title = vscode.l10n.t('Open UDP Client');
      const s = settings(ctx);
      const host = await askHost(
        title,
        s.bindAddress,
        vscode.l10n.t('The server to send datagrams to (host name or IP address)'),
      );
      const port = await askPort(title, s.defaultPort, {
        allowZero: false,
        prompt: vscode.l10n.t("The server's port"),
      });
      // A remote destination means a client bound to every interface: confirmed, as a remote server bind is.
      const { address } = await resolveHost(host);
      if (!isLoopback(address)) {
        await confirmRemoteBind(
          '0.0.0.0',
          s.allowRemoteBind,
          vscode.l10n.t('Bind a UDP client to every interface to reach {0}', host),
        );
      }
      const info = await ctx.registry.openUdpClient({ host, port });
      await ctx.reveal(info.id);
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          '{0}: the OS chose local port {1}. Use "Send" to send a datagram.',
          socketLabel(info.label),
          info.local.port,
        ),
      );
      return info;
    }),
    defineCommand(ctx, Commands.ConnectTcpClient, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.connectTcpClient(inv.arg);
      }
      const title = vscode.l10n.t('Connect TCP Client');
      const s = settings(ctx);
      const host = await askHost(
        title,
        s.bindAddress,
        vscode.l10n.t('The server to connect to (host name or IP address)'),
      );
      const port = await askPort(title, s.defaultPort, {
        allowZero: false,
        prompt: vscode.l10n.t("The server's port"),
      });
      const info = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Connecting to {0}:{1}…', host, port),
        },
        () => ctx.registry.connectTcpClient({ host, port }),
      );
      await ctx.reveal(info.id);
      return info;
    }),
  ];
}
