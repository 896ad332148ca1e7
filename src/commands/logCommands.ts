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
import { wrap, type Ctx } from '../context';
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
    vscode.commands.registerCommand(
      Commands.ClearTraffic,
      wrap(ctx, Commands.ClearTraffic, async () => {
        ctx.log.clear();
      }),
    ),
    vscode.commands.registerCommand(
      Commands.ExportTraffic,
      wrap(ctx, Commands.ExportTraffic, async (inv) => {
        const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        if (inv.mode === 'api') {
          return run(validateExportArgs(inv.arg, base));
        }
        const format = await pick('Export Traffic', [
          {
            value: 'pcapng' as const,
            label: 'pcapng',
            detail: 'For Wireshark and tshark: synthetic frames with the real addresses, ports and bytes',
          },
          { value: 'jsonl' as const, label: 'JSON Lines', detail: 'One traffic entry per line, with notes' },
        ]);
        const uri = await vscode.window.showSaveDialog({
          title: 'Export Traffic',
          defaultUri: vscode.Uri.file(path.join(base ?? os.homedir(), `socket-playground.${format}`)),
          filters: format === 'pcapng' ? { 'pcapng capture': ['pcapng'] } : { 'JSON Lines': ['jsonl'] },
        });
        if (!uri) {
          return undefined;
        }
        const result = await run({ path: uri.fsPath, format });
        void vscode.window.showInformationMessage(
          `Exported ${result.entries} entries to ${result.path}.${format === 'pcapng' ? " Wireshark shows UDP on ports 12000-12004 as LLC: use Decode As… (UDP port 12000 as 'data'), or tshark -d udp.port==12000,data." : ''}`,
        );
        return result;
      }),
    ),
  ];
}
