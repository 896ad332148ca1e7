import * as vscode from 'vscode';
import * as path from 'node:path';
import * as os from 'node:os';
import { Commands } from '../constants';
import type { TrafficLog } from '../core/traffic/trafficLog';
import {
  exportJsonl,
  exportPcapng,
  validateExportArgs,
  type ExportArgs,
} from '../core/traffic/exportTraffic';
import { checkExportTarget, rejectUnknownKeys, requireObject } from '../core/validate';
import { defineCommand, registerCommand, type Ctx } from '../context';
import { TrafficPanel } from '../views/trafficPanel';
import { pick } from './prompts';

export type Exporter = (log: TrafficLog, file: string) => Promise<number>;

export function registerLogCommands(
  ctx: Ctx,
  exporters: Partial<Record<ExportArgs['format'], Exporter>> = {},
): vscode.Disposable[] {
  const run = async (args: ExportArgs): Promise<{ path: string; entries: number }> => {
    const exporter = exporters[args.format] ?? (args.format === 'jsonl' ? exportJsonl : exportPcapng);
    const entries = await exporter(ctx.log, args.path);
    ctx.output.info(`exported ${entries} entries to ${args.path}`);
    return { path: args.path, entries };
  };
  return [
    defineCommand(ctx, Commands.ShowTraffic, async (inv) => {
      let socketId: string | undefined;
      if (inv.mode === 'ui') {
        socketId = inv.socket?.id;
      } else {
        const o = requireObject(inv.arg, 'showTraffic');
        rejectUnknownKeys(o, ['socketId'], 'showTraffic');
        // The same check, and the same message, as send and closeSocket give for a bad or unknown id.
        socketId = o['socketId'] === undefined ? undefined : ctx.registry.requireSocket(o['socketId']).id;
      }
      TrafficPanel.createOrShow(ctx, socketId);
      return undefined;
    }),
    // The extension's own log (what each command did, and why one failed), not the traffic log.
    registerCommand(Commands.ShowOutput, () => ctx.output.show(true)),
    defineCommand(ctx, Commands.ClearTraffic, async () => {
      ctx.log.clear();
    }),
    defineCommand(ctx, Commands.ExportTraffic, async (inv) => {
      const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (inv.mode === 'api') {
        // The caller named the path: an existing file is replaced, but never through a symbolic link.
        const args = validateExportArgs(inv.arg, base);
        await checkExportTarget(args.path);
        return run(args);
      }
      const format = await pick(vscode.l10n.t('Export Traffic'), [
        {
          value: 'pcapng' as const,
          label: 'pcapng',
          detail: vscode.l10n.t(
            'For Wireshark and tshark: synthetic frames with the real addresses, ports and bytes',
          ),
        },
        {
          value: 'jsonl' as const,
          label: 'JSON Lines',
          detail: vscode.l10n.t('One traffic entry per line, with notes'),
        },
      ]);
      const uri = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export Traffic'),
        defaultUri: vscode.Uri.file(path.join(base ?? os.homedir(), `socket-playground.${format}`)),
        filters:
          format === 'pcapng'
            ? { [vscode.l10n.t('pcapng capture')]: ['pcapng'] }
            : { 'JSON Lines': ['jsonl'] },
      });
      if (!uri) {
        return undefined;
      }
      // The save dialog has already asked before replacing an existing file (VS Code's own dialog and the
      // system's both do; a UI test holds it). What it does not do is refuse a link: that is checked here.
      await checkExportTarget(uri.fsPath);
      const result = await run({ path: uri.fsPath, format });
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Exported {0} entries to {1}.', result.entries, result.path) +
          (format === 'pcapng'
            ? vscode.l10n.t(
                " Wireshark shows UDP on ports 12000-12004 as LLC: use Decode As… (UDP port 12000 as 'data'), or tshark -d udp.port==12000,data.",
              )
            : ''),
      );
      return result;
    }),
  ];
}
