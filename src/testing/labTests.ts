/**
 * Labs in the Testing view: a lab is a test, its checks are its children. Running one runs the lab on the
 * extension's engine against the student's program (a file of the workspace named as the assignment names it,
 * else the active editor's file), and shows each check's verdict and message, and the program's output.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabCheck, LabInfo } from '../core/labs/types';
import type { Ctx } from '../context';
import { labs as labsWing } from '../wings';
import {
  localizedLab,
  programFor,
  rememberedPrograms,
  runLabInHost,
  workspaceLabFiles,
} from '../commands/labCommands';
import { markdownText, splitFirstSentence } from './labMessage';
import { localizedError } from '../l10n';

/** The file names the assignments ask for, by lab kind. */
const CONVENTIONAL: Record<string, string[]> = {
  'udp-uppercase-client': ['UDPClient.py', 'udp_client.py'],
  'udp-uppercase-server': ['UDPServer.py', 'udp_server.py'],
  'tcp-uppercase-client': ['TCPClient.py', 'tcp_client.py'],
  'tcp-uppercase-server': ['TCPServer.py', 'tcp_server.py'],
  'udp-pinger': ['UDPPinger.py', 'UDPPingerClient.py', 'pinger.py'],
};

async function programOf(lab: LabInfo): Promise<{ argv: string[]; cwd?: string } | undefined> {
  const known = rememberedPrograms.get(lab.id);
  if (known) {
    return known;
  }
  const base = lab.extends ?? lab.id;
  for (const name of CONVENTIONAL[base] ?? []) {
    const [found] = await vscode.workspace.findFiles(`**/${name}`, '**/node_modules/**', 1);
    if (found) {
      return { argv: programFor(found.fsPath), cwd: path.dirname(found.fsPath) };
    }
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') {
    return { argv: programFor(active.fsPath), cwd: path.dirname(active.fsPath) };
  }
  return undefined;
}

/**
 * A failed check as the Testing view shows it: Markdown so that long messages wrap, every part added as text
 * (escaped) because messages quote what the student's program sent and printed. The results tree shows the
 * first line only, so that is the first sentence (what failed, prefixed with the check's title for the lab's own
 * message); after a blank line the rest, one sentence a paragraph (the message view does not wrap a long line).
 */
function checkMessage(c: LabCheck, withTitle = false): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const { head, rest } = splitFirstSentence(c.message);
  md.appendMarkdown(markdownText(withTitle ? `${c.title}: ${head}` : head));
  for (const sentence of rest) {
    md.appendMarkdown('\n\n');
    md.appendMarkdown(markdownText(sentence));
  }
  if (c.evidence?.length) {
    md.appendMarkdown('\n\n');
    md.appendMarkdown(
      markdownText(vscode.l10n.t('Evidence: traffic log {0}', c.evidence.map((s) => `#${s}`).join(', '))),
    );
  }
  if (c.notes?.length) {
    md.appendMarkdown('\n\n');
    md.appendMarkdown(markdownText(vscode.l10n.t('Read:')));
    md.appendMarkdown('\n');
    for (const n of c.notes) {
      md.appendMarkdown('\n- ');
      md.appendMarkdown(markdownText(n.title));
    }
  }
  return md;
}

/** Creates the labs' test controller. */
export function registerLabTests(ctx: Ctx): vscode.Disposable[] {
  const controller = vscode.tests.createTestController('socketPlayground.labs', 'Socket Playground Labs');
  const labs = new Map<string, LabInfo>();

  const refresh = async () => {
    const list = await labsWing()
      .listLabs({ labFiles: await workspaceLabFiles() })
      .catch(() => [] as LabInfo[]);
    labs.clear();
    const items: vscode.TestItem[] = [];
    for (const lab of list.map(localizedLab)) {
      labs.set(lab.id, lab);
      const existing = controller.items.get(lab.id);
      const item =
        existing ??
        controller.createTestItem(
          lab.id,
          lab.title,
          lab.source === 'built-in' ? undefined : vscode.Uri.file(lab.source),
        );
      item.label = lab.title;
      item.description = lab.id;
      items.push(item);
    }
    controller.items.replace(items);
  };
  controller.refreshHandler = () => refresh();
  // The labs are listed when the Testing view first asks (or a run needs them), not at activation: listing
  // loads the labs wing, which most sessions never use.
  let listed = false;
  controller.resolveHandler = async (item) => {
    if (!item) {
      listed = true;
      await refresh();
    }
  };
  const relist = () => {
    if (listed) {
      void refresh();
    }
  };

  const watcher = vscode.workspace.createFileSystemWatcher('**/*.lab.json');
  watcher.onDidCreate(relist);
  watcher.onDidChange(relist);
  watcher.onDidDelete(relist);

  const runHandler = async (request: vscode.TestRunRequest, token: vscode.CancellationToken) => {
    const run = controller.createTestRun(request);
    const queue: vscode.TestItem[] = [];
    const add = (item: vscode.TestItem) => {
      const lab = item.parent ?? item; // a check runs its whole lab
      if (!queue.includes(lab) && !request.exclude?.includes(lab)) {
        queue.push(lab);
      }
    };
    if (request.include) {
      request.include.forEach(add);
    } else {
      controller.items.forEach(add);
    }
    for (const item of queue) {
      if (token.isCancellationRequested) {
        run.skipped(item);
        continue;
      }
      const lab = labs.get(item.id);
      if (!lab) {
        run.skipped(item);
        continue;
      }
      run.started(item);
      const program = await programOf(lab);
      if (!program) {
        run.errored(
          item,
          new vscode.TestMessage(
            lab.role === 'client'
              ? vscode.l10n.t(
                  'No program to check: open your client (e.g. {0}) in the editor, or run "Socket Playground: Run Lab…" once.',
                  CONVENTIONAL[lab.extends ?? lab.id]?.[0] ?? vscode.l10n.t('your program'),
                )
              : vscode.l10n.t(
                  'No program to check: open your server (e.g. {0}) in the editor, or run "Socket Playground: Run Lab…" once.',
                  CONVENTIONAL[lab.extends ?? lab.id]?.[0] ?? vscode.l10n.t('your program'),
                ),
          ),
        );
        continue;
      }
      try {
        const detail = await runLabInHost(ctx, {
          lab: lab.id,
          program: program.argv,
          ...(program.cwd ? { cwd: program.cwd } : {}),
        });
        const result = detail.run;
        // What the student reads, in the display language.
        const checks = detail.shown;
        run.appendOutput(
          `$ ${program.argv.join(' ')}\r\n${result.output.replace(/\r?\n/g, '\r\n')}\r\n`,
          undefined,
          item,
        );
        const children: vscode.TestItem[] = checks.map((c, i) => {
          const child =
            item.children.get(`${item.id}/${c.id}`) ??
            controller.createTestItem(`${item.id}/${c.id}`, c.title);
          child.label = c.title;
          // In the order the lab checks them, not alphabetically.
          child.sortText = String(i).padStart(3, '0');
          return child;
        });
        item.children.replace(children);
        checks.forEach((c, i) => {
          const child = children[i]!;
          if (c.status === 'passed') {
            run.passed(child);
          } else if (c.status === 'skipped') {
            run.skipped(child);
          } else {
            run.failed(child, new vscode.TestMessage(checkMessage(c)));
          }
        });
        if (result.passed) {
          run.passed(item, result.durationMs);
        } else {
          const failed = checks.filter((c) => c.status === 'failed');
          run.failed(
            item,
            failed.map((c) => new vscode.TestMessage(checkMessage(c, true))),
            result.durationMs,
          );
        }
      } catch (err) {
        run.errored(item, new vscode.TestMessage(localizedError(err)));
      }
    }
    run.end();
  };
  controller.createRunProfile(vscode.l10n.t('Run Lab'), vscode.TestRunProfileKind.Run, runHandler, true);
  return [controller, watcher];
}
