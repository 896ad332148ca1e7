/**
 * socketPlayground.runScenario `{ path, block? }` and socketPlayground.saveAsScenario `{ socketId, path? }`.
 * With an argument they ask nothing (tasks, keybindings, tests, the CodeLenses); without one, runScenario runs
 * the active `.sockets` editor and saveAsScenario asks for the socket and the file.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { defineCommand, Cancelled, type Ctx } from '../context';
import { invalidArgument } from '../core/errors';
import type { Conversation } from '../core/scenarios/fromTraffic';
import { scenarios } from '../wings';
import { rejectUnknownKeys, requireObject, validateString } from '../core/validate';
import type { ScenarioRuns } from '../language/scenarios/scenarioRuns';
import { isScenarioDocument } from '../language/scenarios/documents';
import { pickSocket } from './prompts';

/** A path from an argument: absolute, relative to the first workspace folder, or a URI (`untitled:`…). */
export function scenarioUri(p: string): vscode.Uri {
  if (/^[a-z][\w+.-]+:/i.test(p) && !/^[a-z]:[\\/]/i.test(p)) {
    return vscode.Uri.parse(p, true);
  }
  if (path.isAbsolute(p)) {
    return vscode.Uri.file(p);
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw invalidArgument(`path "${p}" is relative, and no folder is open: give an absolute path.`);
  }
  return vscode.Uri.joinPath(folder.uri, p);
}

function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

async function pickScenarioFile(): Promise<vscode.Uri> {
  const files = await vscode.workspace.findFiles('**/*.sockets', '**/node_modules/**', 200);
  if (files.length === 0) {
    throw new Error(
      vscode.l10n.t(
        'there is no .sockets file open or in the workspace: create one (e.g. requests.sockets) first.',
      ),
    );
  }
  if (files.length === 1) {
    return files[0]!;
  }
  const chosen = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: vscode.l10n.t('Run Scenario'), placeHolder: vscode.l10n.t('Choose a scenario file') },
  );
  if (!chosen) {
    throw new Cancelled();
  }
  return chosen.uri;
}

/** What the log knows about a socket, for one that may already be closed and gone from the registry. */
function conversationOf(ctx: Ctx, socketId: string): Conversation {
  const live = ctx.registry.get(socketId);
  if (live) {
    return { socketId, kind: live.kind, local: live.local, remote: live.remote, label: live.label };
  }
  const kind = scenarios().kindFromId(socketId);
  const first = [...ctx.log].find(
    (r) => r.socketId === socketId && (r.event === 'send' || r.event === 'receive'),
  );
  if (!kind || !first) {
    throw invalidArgument(
      `no socket with id ${JSON.stringify(socketId)} in the playground or the traffic log: listSockets shows the open ones.`,
    );
  }
  return { socketId, kind, local: first.local, remote: first.remote, label: `${kind} ${socketId}` };
}

/** Appends text to a file (the open document when there is one, so unsaved edits are kept), creating it. */
async function appendToFile(uri: vscode.Uri, block: string): Promise<number> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  let existing = '';
  if (open) {
    existing = open.getText();
  } else {
    try {
      existing = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      existing = '';
    }
  }
  const sep = existing === '' ? '' : existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  // The block's first line: the line after what is there (and the blank separator line).
  const line = (existing + sep).split('\n').length;
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, open.lineAt(open.lineCount - 1).range.end, sep + block);
    if (!(await vscode.workspace.applyEdit(edit))) {
      throw new Error(`could not edit ${displayPath(uri)}.`);
    }
    await open.save();
  } else {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(existing + sep + block));
  }
  return line;
}

function uniqueName(existing: string, wanted: string): string {
  const names = new Set(
    scenarios()
      .parseScenario(existing)
      .blocks.map((b) => b.name),
  );
  let name = wanted;
  for (let n = 2; names.has(name); n++) {
    name = `${wanted} (${n})`;
  }
  return name;
}

/**
 * socketPlayground.openScenarioSamples: the sample file, copied into the workspace (never over a file already
 * there) so the student can edit and save it; without a folder, as an unsaved document.
 */
async function openSamples(ctx: Ctx): Promise<{ path: string }> {
  const source = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'samples', 'textbook.sockets');
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
  const folder = vscode.workspace.workspaceFolders?.[0];
  let doc: vscode.TextDocument;
  if (folder) {
    const target = vscode.Uri.joinPath(folder.uri, 'textbook.sockets');
    const exists = await vscode.workspace.fs.stat(target).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    }
    doc = await vscode.workspace.openTextDocument(target);
  } else {
    doc = await vscode.workspace.openTextDocument({ language: 'sockets', content: text });
  }
  await vscode.window.showTextDocument(doc);
  return { path: displayPath(doc.uri) };
}

export function registerScenarioCommands(ctx: Ctx, runs: ScenarioRuns): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.OpenScenarioSamples, async () => openSamples(ctx)),
    defineCommand(ctx, Commands.RunScenario, async (inv) => {
      // The editor title's Run button passes the file's URI: run that file, as from the palette.
      const fromTitle = inv.mode === 'api' && inv.arg instanceof vscode.Uri ? inv.arg : undefined;
      if (inv.mode === 'api' && !fromTitle) {
        const o = requireObject(inv.arg, 'runScenario');
        rejectUnknownKeys(o, ['path', 'block'], 'runScenario');
        if (o['path'] === undefined) {
          throw invalidArgument(
            'runScenario needs path: the .sockets file to run, e.g. { path: "requests.sockets" }.',
          );
        }
        const uri = scenarioUri(validateString(o['path'], 'path', 4096));
        const block = o['block'] === undefined ? undefined : validateString(o['block'], 'block', 1000);
        return runs.runFile(uri, await runs.readScenario(uri), block);
      }
      const active = vscode.window.activeTextEditor?.document;
      const uri = fromTitle ?? (active && isScenarioDocument(active) ? active.uri : await pickScenarioFile());
      const result = await runs.runFile(uri, await runs.readScenario(uri));
      const passed = result.blocks.filter((b) => b.passed).length;
      vscode.window.setStatusBarMessage(
        result.blocks.length === 1
          ? vscode.l10n.t('$(beaker) Scenario: {0} of {1} block passed', passed, result.blocks.length)
          : vscode.l10n.t('$(beaker) Scenario: {0} of {1} blocks passed', passed, result.blocks.length),
        8000,
      );
      return result;
    }),
    defineCommand(ctx, Commands.SaveAsScenario, async (inv) => {
      let socketId: string;
      let target: vscode.Uri | undefined;
      if (inv.mode === 'api') {
        const o = requireObject(inv.arg, 'saveAsScenario');
        rejectUnknownKeys(o, ['socketId', 'path'], 'saveAsScenario');
        socketId = validateString(o['socketId'], 'socketId', 200);
        if (o['path'] !== undefined) {
          target = scenarioUri(validateString(o['path'], 'path', 4096));
        }
      } else {
        socketId = (
          await pickSocket(
            ctx,
            vscode.l10n.t('Save as Scenario'),
            (s) => s.kind !== 'tcp-server' && s.kind !== 'relay',
            inv.socket,
          )
        ).id;
      }
      const conv = conversationOf(ctx, socketId);
      if (!target) {
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (inv.mode === 'api') {
          if (!folder) {
            throw invalidArgument('saveAsScenario needs path when no folder is open.');
          }
          target = vscode.Uri.joinPath(folder.uri, `saved-${socketId}.sockets`);
        } else {
          target = await chooseTarget(folder);
        }
      }
      if (!target.path.endsWith('.sockets')) {
        throw invalidArgument(`a scenario file ends in .sockets; got ${displayPath(target)}.`);
      }
      // Check the conversation before touching the file: nothing is written when there is nothing to save.
      const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ');
      scenarios().blockFromTraffic(conv, ctx.log, 'probe');
      const runsText = await runs.readScenario(target).catch(() => '');
      const name = uniqueName(runsText, `${conv.label} at ${stamp}`);
      const text = scenarios().blockFromTraffic(conv, ctx.log, name);
      const line = await appendToFile(target, text);
      if (inv.mode === 'ui') {
        const doc = await vscode.workspace.openTextDocument(target);
        const editor = await vscode.window.showTextDocument(doc);
        const at = new vscode.Position(Math.max(0, line - 1), 0);
        editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
      }
      ctx.output.info(
        `saved ${socketId} as scenario block "${name}" in ${displayPath(target)}, line ${line}`,
      );
      return { path: displayPath(target), block: name, line };
    }),
  ];
}

async function chooseTarget(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.Uri> {
  const files = await vscode.workspace.findFiles('**/*.sockets', '**/node_modules/**', 200);
  const NEW = vscode.l10n.t('$(new-file) New scenario file…');
  const chosen = await vscode.window.showQuickPick(
    [{ label: NEW }, ...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))],
    {
      title: vscode.l10n.t('Save as Scenario'),
      placeHolder: vscode.l10n.t('Append the block to which .sockets file?'),
    },
  );
  if (!chosen) {
    throw new Cancelled();
  }
  if ('uri' in chosen && chosen.uri) {
    return chosen.uri;
  }
  const uri = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('New scenario file'),
    filters: { [vscode.l10n.t('Socket scenarios')]: ['sockets'] },
    defaultUri: folder ? vscode.Uri.joinPath(folder.uri, 'conversation.sockets') : undefined,
  });
  if (!uri) {
    throw new Cancelled();
  }
  return uri;
}
