import * as vscode from 'vscode';
import { Commands, Views } from '../constants';
import { formatEndpoint, parseEndpoint } from '../shared/endpoint';
import type { Endpoint } from '../shared/types';
import { validateEndpoint } from '../core/validate';
import { localizedError, socketLabel } from '../l10n';
import { defineCommand, focusView, registerCommand, type Ctx } from '../context';
import { askText, pickSocket } from './prompts';

function parseEndpointText(text: string): Endpoint {
  const e = parseEndpoint(text);
  if (!e) {
    throw new Error(vscode.l10n.t('"{0}" is not address:port, e.g. 127.0.0.1:50000 or [::1]:50000.', text));
  }
  return validateEndpoint(e);
}

export function registerSocketCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.Send, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.send(inv.arg);
      }
      const s = await pickSocket(
        ctx,
        vscode.l10n.t('Send'),
        (x) => x.isOpen && x.kind !== 'tcp-server',
        inv.socket,
      );
      let to: Endpoint | undefined;
      if (s.kind === 'udp-server') {
        const last = [...ctx.log].reverse().find((r) => r.socketId === s.id && r.event === 'receive')?.remote;
        const text = await vscode.window.showInputBox({
          title: vscode.l10n.t('Send from {0}', socketLabel(s.label)),
          prompt: vscode.l10n.t(
            'Destination address:port (a UDP server has no connection: every datagram names its destination)',
          ),
          value: last ? formatEndpoint(last) : '127.0.0.1:',
          validateInput: (v) => {
            try {
              parseEndpointText(v);
              return undefined;
            } catch (err) {
              return localizedError(err);
            }
          },
        });
        if (text === undefined) {
          return undefined;
        }
        to = parseEndpointText(text);
      }
      const data = await askText(
        vscode.l10n.t('Send from {0}', socketLabel(s.label)),
        vscode.l10n.t('Text to send (UTF-8). End with \\n for a newline.'),
        'hello\\n',
      );
      // In the prompt, \n and \r\n are typed as escapes: a newline is what line-based servers wait for.
      const unescaped = data.replace(/\\r/g, '\r').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      return ctx.registry.send({ socketId: s.id, data: unescaped, ...(to ? { to } : {}) });
    }),
    defineCommand(ctx, Commands.CloseSocket, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.closeSocket(inv.arg);
      }
      const s = await pickSocket(ctx, vscode.l10n.t('Close Socket'), () => true, inv.socket);
      return ctx.registry.closeSocket({ socketId: s.id });
    }),
    defineCommand(ctx, Commands.CloseAll, async () => ctx.registry.closeAll()),
    // No prompt and nothing awaited: callers (tasks, tests, other extensions) get the list at once; from the
    // palette it also brings the Sockets view forward, where the same list is drawn.
    defineCommand(ctx, Commands.ListSockets, async (inv) => {
      if (inv.mode === 'ui') {
        void focusView(Views.Sockets).then(undefined, () => undefined);
      }
      return ctx.registry.list();
    }),
    registerCommand(Commands.CopySocketAddress, (arg: unknown) => {
      const s = inferSocket(ctx, arg);
      if (s) {
        void vscode.env.clipboard.writeText(formatEndpoint(s.local));
      }
      return undefined;
    }),
  ];
}

function inferSocket(ctx: Ctx, arg: unknown) {
  if (arg && typeof arg === 'object' && 'id' in arg && typeof (arg as { id: unknown }).id === 'string') {
    return ctx.registry.get((arg as { id: string }).id);
  }
  return undefined;
}
