/** Labs in VS Code: listLabs and runLab, on the extension's engine (the lab's sockets show in the tree). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { LabRunDetail } from '../core/labs/labEngine';
import { labs as labsWing } from '../wings';
import type { LabCheck, LabCheckText, LabInfo, LabRun } from '../core/labs/types';
import { localizedText } from '../l10n';
import { rejectUnknownKeys, requireObject } from '../core/validate';
import { Cancelled, defineCommand, showMarkdownPreviewToSide, type Ctx } from '../context';

/** The workspace's lab files (`*.lab.json`, not in node_modules). */
export async function workspaceLabFiles(): Promise<string[]> {
  if (!vscode.workspace.workspaceFolders?.length) {
    return [];
  }
  const uris = await vscode.workspace.findFiles('**/*.lab.json', '**/node_modules/**', 200);
  return uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
}

/** The command that runs a source file, by its language (any argv can be typed instead). */
export function programFor(file: string): string[] {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') {
    return ['node', file];
  }
  if (ext === '.java') {
    return ['java', file];
  }
  return [process.platform === 'win32' ? 'python' : 'python3', file];
}

/** Splits a typed command line into words; "double" or 'single' quotes keep spaces. */
export function splitArgv(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    out.push(m[1] ?? m[2] ?? m[3]!);
  }
  return out;
}

/** The program each lab ran last from the command palette: the Testing view runs the same one. */
export const rememberedPrograms = new Map<string, { argv: string[]; cwd?: string }>();

const quoteWord = (w: string) => (/\s/.test(w) ? `"${w}"` : w);

/** A check's title and message in the display language (the run holds them in English, for API callers). */
export function localizedCheck(check: LabCheck, text: LabCheckText | undefined): LabCheck {
  return text ? { ...check, title: localizedText(text.title), message: localizedText(text.message) } : check;
}

/** A lab's title, summary and instructions in the display language (a lab file's own words stay as written). */
export function localizedLab(lab: LabInfo): LabInfo {
  const texts = labsWing().labTexts(lab);
  return {
    ...lab,
    title: localizedText(texts.title),
    summary: localizedText(texts.summary),
    instructions: localizedText(texts.instructions),
  };
}

const STATUS_MARK = { passed: '✔', failed: '✘', skipped: '–' } as const;

/** A run as the host shows it: the English run (what runLab returns) and its checks in the display language. */
export type ShownLabRun = LabRunDetail & { shown: LabCheck[] };

let lastShown: LabCheck[] | undefined;

/** The checks of the last lab run as the student read them, in the display language (tests check the Spanish). */
export function lastShownLabChecks(): readonly LabCheck[] | undefined {
  return lastShown;
}

/** Runs a lab on the extension's engine and writes the outcome to the output channel. */
export async function runLabInHost(ctx: Ctx, arg: Record<string, unknown>): Promise<ShownLabRun> {
  const labFiles = await workspaceLabFiles();
  // A relative report path means the workspace's, not the extension host's working folder.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (typeof arg['report'] === 'string' && !path.isAbsolute(arg['report']) && folder?.scheme === 'file') {
    arg = { ...arg, report: path.join(folder.fsPath, arg['report']) };
  }
  ctx.output.info(
    `runLab ${String(arg['lab'])}: ${(arg['program'] as string[] | undefined)?.join(' ') ?? ''}`,
  );
  const detail = await labsWing().runLabDetailed(arg, {
    engine: { registry: ctx.registry, log: ctx.log },
    labFiles,
  });
  const run = detail.run;
  const shown = run.checks.map((check, i) => localizedCheck(check, detail.texts[i]));
  lastShown = shown;
  for (const c of shown) {
    ctx.output.info(`  ${STATUS_MARK[c.status]} ${c.title}${c.status === 'failed' ? `: ${c.message}` : ''}`);
  }
  ctx.output.info(
    run.passed
      ? vscode.l10n.t(
          'runLab {0}: passed (seed {1}, port {2}, {3} ms)',
          run.lab,
          run.seed,
          run.port,
          run.durationMs,
        )
      : vscode.l10n.t(
          'runLab {0}: failed (seed {1}, port {2}, {3} ms)',
          run.lab,
          run.seed,
          run.port,
          run.durationMs,
        ),
  );
  return { ...detail, shown };
}

async function pickLab(): Promise<LabInfo> {
  const labs = await labsWing().listLabs({ labFiles: await workspaceLabFiles() });
  const picked = await vscode.window.showQuickPick(
    labs.map(localizedLab).map((l) => ({ label: l.title, description: l.id, detail: l.summary, lab: l })),
    {
      title: vscode.l10n.t('Socket Playground: Run Lab'),
      placeHolder: vscode.l10n.t('Which assignment?'),
      matchOnDescription: true,
    },
  );
  if (!picked) {
    throw new Cancelled();
  }
  return picked.lab;
}

async function askProgram(lab: LabInfo): Promise<string[]> {
  const file = vscode.window.activeTextEditor?.document.uri;
  const suggested = file?.scheme === 'file' ? programFor(file.fsPath).map(quoteWord).join(' ') : 'python3 ';
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Run Lab: {0}', lab.title),
    prompt:
      lab.role === 'client'
        ? vscode.l10n.t(
            "The program to check (your client); {0} is replaced by the lab's port ({1}).",
            '{port}',
            lab.defaults.port,
          )
        : vscode.l10n.t(
            "The program to check (your server); {0} is replaced by the lab's port ({1}).",
            '{port}',
            lab.defaults.port,
          ),
    value: suggested,
    validateInput: (v) =>
      splitArgv(v).length
        ? undefined
        : vscode.l10n.t('Type the command that runs your program, e.g. python3 UDPClient.py'),
  });
  if (text === undefined) {
    throw new Cancelled();
  }
  return splitArgv(text);
}

async function showOutcome(ctx: Ctx, lab: LabInfo, detail: ShownLabRun): Promise<void> {
  const { run } = detail;
  const failed = detail.shown.filter((c) => c.status === 'failed');
  const showOutput = vscode.l10n.t('Show Output');
  const instructions = vscode.l10n.t('Instructions');
  const actions = [showOutput, instructions];
  const choice = run.passed
    ? await vscode.window.showInformationMessage(
        vscode.l10n.t('{0}: all {1} checks passed (seed {2}).', lab.title, run.checks.length, run.seed),
        ...actions,
      )
    : await vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0}: {1} of {2} checks failed. {3}: {4}',
          lab.title,
          failed.length,
          run.checks.length,
          failed[0]!.title,
          failed[0]!.message,
        ),
        ...actions,
      );
  if (choice === showOutput) {
    ctx.output.show(true);
  } else if (choice === instructions) {
    await showInstructions(lab);
  }
}

/** Opens a lab's instructions as Markdown beside the editor. */
export async function showInstructions(lab: LabInfo): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({
    language: 'markdown',
    content: `# ${lab.title}\n\n${lab.instructions ?? lab.summary}\n`,
  });
  await showMarkdownPreviewToSide(doc.uri).then(undefined, () =>
    vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside),
  );
}

export function registerLabCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.ListLabs, async (inv): Promise<LabInfo[]> => {
      if (inv.mode === 'api') {
        rejectUnknownKeys(requireObject(inv.arg, 'listLabs'), [], 'listLabs');
      }
      const labs = await labsWing().listLabs({ labFiles: await workspaceLabFiles() });
      if (inv.mode === 'ui') {
        void vscode.window
          .showQuickPick(
            labs
              .map(localizedLab)
              .map((l) => ({ label: l.title, description: l.id, detail: l.summary, lab: l })),
            {
              title: vscode.l10n.t('Socket Playground: Labs'),
              placeHolder: vscode.l10n.t('Show the instructions of a lab'),
            },
          )
          .then((p) => (p ? showInstructions(p.lab) : undefined));
      }
      return labs;
    }),
    defineCommand(ctx, Commands.RunLab, async (inv): Promise<LabRun> => {
      if (inv.mode === 'api') {
        return (await runLabInHost(ctx, requireObject(inv.arg, 'runLab'))).run;
      }
      const lab = await pickLab();
      const program = await askProgram(lab);
      const cwd =
        program.length > 1 && path.isAbsolute(program[program.length - 1]!)
          ? path.dirname(program[program.length - 1]!)
          : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      rememberedPrograms.set(lab.id, { argv: program, ...(cwd ? { cwd } : {}) });
      const detail = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Running lab {0}…', lab.title),
        },
        () => runLabInHost(ctx, { lab: lab.id, program, ...(cwd ? { cwd } : {}) }),
      );
      void showOutcome(ctx, lab, detail);
      return detail.run;
    }),
  ];
}
