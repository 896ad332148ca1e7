import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Behavior, Framing, SocketInfo } from '../shared/types';
import { defineCommand, settings, type Ctx } from '../context';
import { askPort, askText, confirmRemoteBind, pick } from './prompts';

const BEHAVIOR_ITEMS: Array<{ value: Behavior; label: string; detail: string }> = [
  { value: 'uppercase', label: 'Uppercase', detail: 'The textbook server: answers each message in capitals' },
  { value: 'echo', label: 'Echo', detail: 'Answers each message unchanged' },
  { value: 'sink', label: 'Sink', detail: 'Never answers: watch what arrives' },
  { value: 'fixed', label: 'Fixed reply', detail: 'Answers every message with the same text' },
];

async function askServerBasics(
  ctx: Ctx,
  title: string,
): Promise<{ port: number; behavior: Behavior; reply?: string }> {
  const s = settings(ctx);
  const port = await askPort(title, s.defaultPort, { allowZero: true });
  const behavior = await pick(title, BEHAVIOR_ITEMS, 'How should the server answer?');
  const reply =
    behavior === 'fixed'
      ? await askText(title, 'The reply the server sends to every message', 'OK\n')
      : undefined;
  await confirmRemoteBind(s.bindAddress, s.allowRemoteBind, `Bind the server to ${s.bindAddress}`);
  return { port, behavior, reply };
}

async function announce(ctx: Ctx, info: SocketInfo, hint: string): Promise<void> {
  await ctx.reveal(info.id);
  void vscode.window.showInformationMessage(`${info.label} is ${info.state}. ${hint}`);
}

export function registerServerCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.StartUdpServer, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.startUdpServer(inv.arg);
      }
      const basics = await askServerBasics(ctx, 'Start UDP Server');
      const info = await ctx.registry.startUdpServer(basics);
      await announce(
        ctx,
        info,
        `Send it datagrams, e.g. python3 UDPClient.py with serverPort = ${info.local.port}.`,
      );
      return info;
    }),
    defineCommand(ctx, Commands.StartTcpServer, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.startTcpServer(inv.arg);
      }
      const basics = await askServerBasics(ctx, 'Start TCP Server');
      const framing = await pick<Framing>(
        'Start TCP Server',
        [
          {
            value: 'chunk',
            label: 'Each chunk',
            detail: "Answer every chunk as it arrives, like the textbook server's single recv()",
          },
          {
            value: 'line',
            label: 'Each line',
            detail: 'Collect bytes until a newline, then answer the whole line',
          },
        ],
        'When should the server answer? (TCP is a byte stream with no message boundaries)',
      );
      const info = await ctx.registry.startTcpServer({ ...basics, framing });
      await announce(
        ctx,
        info,
        `Connect to it, e.g. python3 TCPClient.py with serverPort = ${info.local.port}.`,
      );
      return info;
    }),
  ];
}
