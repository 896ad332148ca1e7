import * as vscode from 'vscode';
import { Commands } from '../constants';
import { defineCommand, settings, type Ctx } from '../context';
import { isLoopback, resolveHost } from '../core/validate';
import { socketLabel } from '../l10n';
import { askHost, askPort, confirmRemoteBind } from './prompts';

/** Asks for the server a client talks to: its host (the bind address offered) and its port. */
async function askServer(
  ctx: Ctx,
  title: string,
  hostPrompt: string,
): Promise<{ host: string; port: number }> {
  const s = settings(ctx);
  const host = await askHost(title, s.bindAddress, hostPrompt);
  const port = await askPort(title, s.defaultPort, {
    allowZero: false,
    prompt: vscode.l10n.t("The server's port"),
  });
  return { host, port };
}

export function registerClientCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.OpenUdpClient, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.openUdpClient(inv.arg);
      }
      const { host, port } = await askServer(
        ctx,
        vscode.l10n.t('Open UDP Client'),
        vscode.l10n.t('The server to send datagrams to (host name or IP address)'),
      );
      // A remote destination means a client bound to every interface: confirmed, as a remote server bind is.
      const { address } = await resolveHost(host);
      if (!isLoopback(address)) {
        await confirmRemoteBind(
          '0.0.0.0',
          settings(ctx).allowRemoteBind,
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
      const { host, port } = await askServer(
        ctx,
        vscode.l10n.t('Connect TCP Client'),
        vscode.l10n.t('The server to connect to (host name or IP address)'),
      );
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
