/**
 * The protocol labs' reference peers as playground sockets: an HTTP client that GETs a path (the response shows
 * in the traffic panel), and a recording SMTP server (each mail it records goes to the output channel), so a
 * student can try their program by hand before running the lab.
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { HttpGetResult } from '../core/protocols/httpClient';
import { protocols } from '../wings';
import type { SocketInfo } from '../shared/types';
import { Cancelled, defineCommand, executeCommand, settings, type Ctx } from '../context';
import { askHost, askPort } from './prompts';

async function askPath(): Promise<string> {
  const path = await vscode.window.showInputBox({
    title: vscode.l10n.t('Send HTTP Request'),
    prompt: vscode.l10n.t('The path to GET (it starts with /)'),
    value: '/HelloWorld.html',
    validateInput: (v) =>
      /^\/[\x21-\x7e]*$/.test(v) ? undefined : vscode.l10n.t('A path starts with "/" and has no spaces'),
  });
  if (path === undefined) {
    throw new Cancelled();
  }
  return path;
}

export function registerProtocolCommands(ctx: Ctx): vscode.Disposable[] {
  const engine = { registry: ctx.registry, log: ctx.log };
  return [
    defineCommand(ctx, Commands.SendHttpRequest, async (inv): Promise<HttpGetResult> => {
      if (inv.mode === 'api') {
        return protocols().sendHttpRequest(engine, inv.arg);
      }
      const title = vscode.l10n.t('Send HTTP Request');
      const host = await askHost(
        title,
        settings(ctx).bindAddress,
        vscode.l10n.t('The web server (host name or IP address)'),
      );
      const port = await askPort(title, 6789, {
        allowZero: false,
        prompt: vscode.l10n.t("The web server's port"),
      });
      const path = await askPath();
      const r = await protocols().sendHttpRequest(engine, { host, port, path });
      ctx.output.info(
        `GET ${path} from ${host}:${port}: ${r.statusLine ?? 'no status line'} (${r.bytes} bytes)`,
      );
      // The client's connection has usually closed by now (Connection: close): then the panel opens unscoped.
      await executeCommand(
        Commands.ShowTraffic,
        ctx.registry.get(r.socketId) ? { socketId: r.socketId } : {},
      );
      void vscode.window.showInformationMessage(
        r.statusLine
          ? vscode.l10n.t('GET {0}: {1} ({2} bytes).', path, r.statusLine, r.bytes)
          : vscode.l10n.t('GET {0}: no response ({1} bytes).', path, r.bytes),
      );
      return r;
    }),
    defineCommand(ctx, Commands.StartSmtpServer, async (inv): Promise<SocketInfo> => {
      const arg =
        inv.mode === 'api'
          ? inv.arg
          : {
              port: await askPort(vscode.l10n.t('Start SMTP Server'), 2525, {
                allowZero: true,
                prompt: vscode.l10n.t(
                  'Port for the mail server (25 needs privileges; 2525 is the usual test port)',
                ),
              }),
            };
      const { startSmtpServer, formatMail, formatDialogue } = protocols();
      const server = await startSmtpServer(engine, arg);
      server.onDidRecordMail(({ mail, session }) => {
        ctx.output.info(`SMTP server ${server.socket.local.port}: recorded a mail\n${formatMail(mail)}`);
        ctx.output.info(`The dialogue:\n${formatDialogue(session)}`);
      });
      if (inv.mode === 'ui') {
        await ctx.reveal(server.socket.id);
        void vscode.window.showInformationMessage(
          vscode.l10n.t(
            'Mail server on port {0}: it records every mail (see the output channel) and delivers none.',
            server.socket.local.port,
          ),
        );
      }
      return server.socket;
    }),
  ];
}
