/**
 * A CodeLens on a recognised client or server program: start the playground's matching peer on the port the
 * file uses. A client file gets "Start matching playground server" (the textbook uppercase server), a server
 * file gets "Start matching playground client". The lens runs the public commands with an argument object, so
 * they ask nothing; without a port in the file the command is run without one and prompts.
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { API_LANGUAGE_IDS, apiLanguageOf } from '../core/assist/languages';
import type { ProgramShape } from '../core/assist/programShape';
import { assist } from '../wings';
import { scannerFor } from './sourceIndex';

/** The command and title of the lens for a program shape. */
export function lensCommand(shape: ProgramShape): vscode.Command {
  const proto = shape.protocol.toUpperCase();
  const on = shape.port !== undefined ? vscode.l10n.t(', port {0}', shape.port) : '';
  const onPort = shape.port !== undefined ? vscode.l10n.t(' on port {0}', shape.port) : '';
  const args = shape.port !== undefined ? [{ port: shape.port }] : [];
  if (shape.role === 'client') {
    return {
      title: vscode.l10n.t('$(server-process) Start matching playground server ({0}{1})', proto, on),
      tooltip: vscode.l10n.t(
        'Socket Playground: start the uppercase {0} server this client talks to{1}',
        proto,
        onPort,
      ),
      command: shape.protocol === 'udp' ? Commands.StartUdpServer : Commands.StartTcpServer,
      arguments: args,
    };
  }
  return {
    title: vscode.l10n.t('$(plug) Start matching playground client ({0}{1})', proto, on),
    tooltip:
      shape.protocol === 'udp'
        ? vscode.l10n.t(
            'Socket Playground: open a UDP client that sends to this server{0} (run the server first)',
            onPort,
          )
        : vscode.l10n.t(
            'Socket Playground: connect a TCP client to this server{0} (run the server first)',
            onPort,
          ),
    command: shape.protocol === 'udp' ? Commands.OpenUdpClient : Commands.ConnectTcpClient,
    arguments: args,
  };
}

export class PlaygroundCodeLensProvider implements vscode.CodeLensProvider {
  /** @inheritdoc */
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const language = apiLanguageOf(doc.languageId);
    const scanner = scannerFor(doc);
    if (!language || !scanner) {
      return [];
    }
    const shape = assist().classifyProgram(language, scanner.text);
    if (!shape) {
      return [];
    }
    const at = scanner.positionAt(shape.offset);
    return [new vscode.CodeLens(new vscode.Range(at.line, 0, at.line, 0), lensCommand(shape))];
  }
}

export function registerCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(
    API_LANGUAGE_IDS.map((language) => ({ language })),
    new PlaygroundCodeLensProvider(),
  );
}
