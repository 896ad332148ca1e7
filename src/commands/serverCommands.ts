import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Behavior, Framing, SocketInfo } from '../shared/types';
import { defineCommand, settings, type Ctx } from '../context';
import { socketLabel, stateText } from '../l10n';
import { askPort, askText, confirmRemoteBind, pick } from './prompts';

// Built when asked: vscode.l10n answers in the display language only once the extension is activated.
const BEHAVIOR_ITEMS = (): Array<{ value: Behavior; label: string; detail: string }> => [
  {
    value: 'uppercase',
    label: vscode.l10n.t('Uppercase'),
    detail: vscode.l10n.t('The textbook server: answers each message in capitals'),
  },
  { value: 'echo', label: vscode.l10n.t('Echo'), detail: vscode.l10n.t('Answers each message unchanged') },
  { value: 'sink', label: vscode.l10n.t('Sink'), detail: vscode.l10n.t('Never answers: watch what arrives') },
  {
    value: 'fixed',
    label: vscode.l10n.t('Fixed reply'),
    detail: vscode.l10n.t('Answers every message with the same text'),
  },
];

async function askServerBasics(
  ctx: Ctx,
  title: string,
): Promise<{ port: number; behavior: Behavior; reply?: string }> {
  const s = settings(ctx);
  const port = await askPort(title, s.defaultPort, { allowZero: true });
  const behavior = await pick(title, BEHAVIOR_ITEMS(), vscode.l10n.t('How should the server answer?'));
  const reply =
    behavior === 'fixed'
      ? await askText(title, vscode.l10n.t('The reply the server sends to every message'), 'OK\n')
      : undefined;
  await confirmRemoteBind(
    s.bindAddress,
    s.allowRemoteBind,
    vscode.l10n.t('Bind the server to {0}', s.bindAddress),
  );
  return { port, behavior, reply };
}

async function announce(ctx: Ctx, info: SocketInfo, hint: string): Promise<void> {
  await ctx.reveal(info.id);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('{0} is {1}. {2}', socketLabel(info.label), stateText(info.state), hint),
  );
}

export function registerServerCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.StartUdpServer, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.startUdpServer(inv.arg);
      }
      const basics = await askServerBasics(ctx, vscode.l10n.t('Start UDP Server'));
      const info = await ctx.registry.startUdpServer(basics);
      await announce(
        ctx,
        info,
        vscode.l10n.t('Send it datagrams, e.g. python3 UDPClient.py with serverPort = {0}.', info.local.port),
      );
      return info;
    }),
    defineCommand(ctx, Commands.StartTcpServer, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.startTcpServer(inv.arg);
      }
      const basics = await askServerBasics(ctx, vscode.l10n.t('Start TCP Server'));
      const framing = await pick<Framing>(
        vscode.l10n.t('Start TCP Server'),
        [
          {
            value: 'chunk',
            label: vscode.l10n.t('Each chunk'),
            detail: vscode.l10n.t(
              "Answer every chunk as it arrives, like the textbook server's single recv()",
            ),
          },
          {
            value: 'line',
            label: vscode.l10n.t('Each line'),
            detail: vscode.l10n.t('Collect bytes until a newline, then answer the whole line'),
          },
        ],
        vscode.l10n.t('When should the server answer? (TCP is a byte stream with no message boundaries)'),
      );
      const info = await ctx.registry.startTcpServer({ ...basics, framing });
      await announce(
        ctx,
        info,
        vscode.l10n.t('Connect to it, e.g. python3 TCPClient.py with serverPort = {0}.', info.local.port),
      );
      return info;
    }),
  ];
}
