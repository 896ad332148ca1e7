/**
 * Runs scenario files in the extension host and shows the results three ways: a mark at the end of each line
 * (✓ / ✗ and the bytes that came), the Testing view (a file is a suite, a block a test, a failed step a test
 * message with expected and actual), and, because the sockets go through the registry, the tree and traffic
 * panel. Runs are queued: one block at a time, so two clicks never race for the same server port.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../../context';
import type { BlockRun, ScenarioResult, StepRun } from '../../core/scenarios/runner';
import type { ScenarioBlock, ScenarioFile } from '../../core/scenarios/scenarioTypes';
import { invalidArgument } from '../../core/errors';
import { scenarios } from '../../wings';
import { isScenarioDocument, parsedDocument, SCENARIO_LANGUAGE } from './documents';
import { localizedText } from '../../l10n';

/** A step with its message in the display language (the run keeps the English for runScenario's callers). */
function shown(s: StepRun): StepRun {
  return s.text ? { ...s, message: localizedText(s.text) } : s;
}

/** A step's status in the display language. */
function statusWord(status: StepRun['status']): string {
  return status === 'passed'
    ? vscode.l10n.t('passed')
    : status === 'failed'
      ? vscode.l10n.t('failed')
      : vscode.l10n.t('skipped');
}

const CONTROLLER_ID = 'socketPlayground.scenarios';

type FileResults = { steps: Map<number, StepRun[]>; blocks: Map<number, BlockRun> };

export class ScenarioRuns implements vscode.Disposable {
  readonly controller: vscode.TestController;
  private readonly results = new Map<string, FileResults>();
  private readonly decorations: Record<'passed' | 'failed' | 'skipped', vscode.TextEditorDecorationType>;
  private readonly disposables: vscode.Disposable[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly dirty = new Set<string>();
  /** Aborted on dispose: a run still waiting on an expectation stops at once and closes its sockets. */
  private readonly stopAll = new AbortController();

  constructor(private readonly ctx: Ctx) {
    this.controller = vscode.tests.createTestController(CONTROLLER_ID, 'Socket Scenarios');
    this.controller.resolveHandler = (item) => (item ? Promise.resolve() : this.discover());
    this.controller.createRunProfile(
      'Run',
      vscode.TestRunProfileKind.Run,
      (request, token) => this.runRequest(request, token),
      true,
    );
    const mark = (color: string): vscode.TextEditorDecorationType =>
      vscode.window.createTextEditorDecorationType({
        after: { color: new vscode.ThemeColor(color), margin: '0 0 0 2em', fontStyle: 'italic' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
    this.decorations = {
      passed: mark('testing.iconPassed'),
      failed: mark('testing.iconFailed'),
      skipped: mark('testing.iconSkipped'),
    };
    vscode.workspace.textDocuments.forEach((d) => this.refreshItems(d));
    this.disposables.push(
      this.controller,
      ...Object.values(this.decorations),
      vscode.workspace.onDidOpenTextDocument((d) => this.refreshItems(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isScenarioDocument(e.document) && e.contentChanges.length > 0) {
          // Marks are tied to line numbers: after an edit they would point at the wrong lines.
          this.results.delete(e.document.uri.toString());
          this.render(e.document.uri.toString());
          this.refreshItems(e.document);
        }
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()),
    );
  }

  /** The results the last runs left for a document (tests and hovers read them). */
  resultsFor(uri: vscode.Uri): FileResults | undefined {
    return this.results.get(uri.toString());
  }

  private async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles('**/*.sockets', '**/node_modules/**', 500);
    for (const uri of files) {
      if (this.controller.items.get(uri.toString())) {
        continue;
      }
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        this.setItems(uri, scenarios().parseScenario(text));
      } catch {
        // A file that vanished between the search and the read has no tests.
      }
    }
  }

  private refreshItems(doc: vscode.TextDocument): void {
    if (isScenarioDocument(doc)) {
      this.setItems(doc.uri, parsedDocument(doc));
    }
  }

  private setItems(uri: vscode.Uri, file: ScenarioFile): vscode.TestItem {
    const id = uri.toString();
    let item = this.controller.items.get(id);
    if (!item) {
      item = this.controller.createTestItem(id, uri.path.split('/').pop() ?? id, uri);
      this.controller.items.add(item);
    }
    item.children.replace(
      file.blocks.map((b) => {
        const child = this.controller.createTestItem(`${id}#${b.name}`, b.name, uri);
        child.range = new vscode.Range(b.line - 1, 0, b.line - 1, 0);
        return child;
      }),
    );
    return item;
  }

  /** The text to run: the open document (with unsaved edits) or the file on disk. */
  async readScenario(uri: vscode.Uri): Promise<string> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) {
      return open.getText();
    }
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (err) {
      throw invalidArgument(
        `cannot read the scenario file ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** socketPlayground.runScenario: runs the file (or one block) and reports everywhere. */
  runFile(uri: vscode.Uri, text: string, blockName?: string): Promise<ScenarioResult> {
    const file = scenarios().parseScenario(text);
    if (blockName !== undefined && !file.blocks.some((b) => b.name === blockName)) {
      const names = file.blocks.map((b) => JSON.stringify(b.name)).join(', ');
      return Promise.reject(
        invalidArgument(
          `no block named ${JSON.stringify(blockName)} in ${uri.fsPath || uri.toString()}; its blocks: ${names || 'none (start one with "### name")'}.`,
        ),
      );
    }
    const fileItem = this.setItems(uri, file);
    const items =
      blockName !== undefined ? [fileItem.children.get(`${uri.toString()}#${blockName}`)!] : [fileItem];
    const run = this.controller.createTestRun(
      new vscode.TestRunRequest(items),
      vscode.l10n.t('Scenario {0}', fileItem.label),
      true,
    );
    return this.enqueue(async () => {
      try {
        return scenarios().toScenarioResult(
          await this.execute(uri, file, blockName, run, this.stopAll.signal),
        );
      } finally {
        run.end();
      }
    });
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const selected: vscode.TestItem[] = [];
    if (request.include) {
      selected.push(...request.include);
    } else {
      await this.discover();
      this.controller.items.forEach((i) => selected.push(i));
    }
    // Group by file: a file item runs all its blocks, a block item only itself.
    const byFile = new Map<string, { uri: vscode.Uri; blocks: Set<string> | 'all' }>();
    for (const item of selected) {
      if (!item.uri || request.exclude?.includes(item)) {
        continue;
      }
      const key = item.uri.toString();
      const isFile = item.id === key;
      const entry = byFile.get(key) ?? { uri: item.uri, blocks: new Set<string>() };
      if (isFile) {
        entry.blocks = 'all';
      } else if (entry.blocks !== 'all') {
        entry.blocks.add(item.label);
      }
      byFile.set(key, entry);
    }
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      await this.enqueue(async () => {
        for (const { uri, blocks } of byFile.values()) {
          if (token.isCancellationRequested) {
            break;
          }
          let text: string;
          try {
            text = await this.readScenario(uri);
          } catch (err) {
            const fileItem = this.controller.items.get(uri.toString());
            if (fileItem) {
              run.errored(fileItem, new vscode.TestMessage(err instanceof Error ? err.message : String(err)));
            }
            continue;
          }
          const file = scenarios().parseScenario(text);
          this.setItems(uri, file);
          const names = blocks === 'all' ? [undefined] : [...blocks];
          for (const name of names) {
            await this.execute(uri, file, name, run, AbortSignal.any([ac.signal, this.stopAll.signal]));
          }
        }
      });
    } finally {
      sub.dispose();
      run.end();
    }
  }

  private blockItem(uri: vscode.Uri, block: ScenarioBlock): vscode.TestItem | undefined {
    return this.controller.items.get(uri.toString())?.children.get(`${uri.toString()}#${block.name}`);
  }

  private async execute(
    uri: vscode.Uri,
    file: ScenarioFile,
    blockName: string | undefined,
    run: vscode.TestRun,
    signal: AbortSignal | undefined,
  ) {
    const key = uri.toString();
    const results = this.results.get(key) ?? { steps: new Map(), blocks: new Map() };
    this.results.set(key, results);
    const path = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    return scenarios().runScenario(this.ctx.registry, file, path, {
      block: blockName,
      signal,
      onBlockStart: (block) => {
        for (let l = block.line; l <= block.endLine; l++) {
          results.steps.delete(l);
        }
        results.blocks.delete(block.line);
        const item = this.blockItem(uri, block);
        if (item) {
          run.started(item);
        }
        this.render(key);
      },
      onStep: (_block, step) => {
        const list = results.steps.get(step.line) ?? [];
        list.push(step);
        results.steps.set(step.line, list);
        this.scheduleRender(key);
      },
      onBlockEnd: (block, br) => {
        results.blocks.set(block.line, br);
        const item = this.blockItem(uri, block);
        if (item) {
          if (br.passed) {
            run.passed(item, br.durationMs);
          } else {
            run.failed(item, this.messages(uri, br), br.durationMs);
          }
          for (const s of br.steps.map(shown)) {
            run.appendOutput(
              `${vscode.l10n.t('{0}, line {1} ({2}): {3}: {4}', block.name, s.line, s.op, statusWord(s.status), s.message)}\r\n`,
              undefined,
              item,
            );
          }
        }
        this.ctx.output.info(
          br.passed
            ? vscode.l10n.t('scenario {0} › {1}: passed ({2} ms)', path, block.name, br.durationMs)
            : vscode.l10n.t('scenario {0} › {1}: failed ({2} ms)', path, block.name, br.durationMs),
        );
        this.render(key);
      },
    });
  }

  private messages(uri: vscode.Uri, br: BlockRun): vscode.TestMessage[] {
    return br.steps
      .filter((s) => s.status === 'failed')
      .map(shown)
      .map((s) => {
        const m =
          s.expected !== undefined && s.received !== undefined
            ? vscode.TestMessage.diff(s.message, s.expected, scenarios().describeBytes(s.received))
            : new vscode.TestMessage(s.message);
        m.location = new vscode.Location(
          uri,
          new vscode.Position(s.line - 1, Math.max(0, (s.column ?? 1) - 1)),
        );
        return m;
      });
  }

  private scheduleRender(key: string): void {
    this.dirty.add(key);
    // A repeat of thousands of steps would redraw thousands of times: at most one redraw per 50 ms.
    this.renderTimer ??= setTimeout(() => {
      this.renderTimer = undefined;
      for (const k of this.dirty) {
        this.render(k);
      }
      this.dirty.clear();
    }, 50);
  }

  private renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.languageId === SCENARIO_LANGUAGE) {
        this.render(editor.document.uri.toString());
      }
    }
  }

  private render(key: string): void {
    const results = this.results.get(key);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== key) {
        continue;
      }
      const out: Record<'passed' | 'failed' | 'skipped', vscode.DecorationOptions[]> = {
        passed: [],
        failed: [],
        skipped: [],
      };
      const doc = editor.document;
      const add = (line: number, status: keyof typeof out, text: string, hover: string) => {
        if (line < 1 || line > doc.lineCount) {
          return;
        }
        const end = doc.lineAt(line - 1).range.end;
        const md = new vscode.MarkdownString();
        md.appendText(hover);
        out[status].push({
          range: new vscode.Range(end, end),
          hoverMessage: md,
          renderOptions: { after: { contentText: text } },
        });
      };
      for (const [line, br] of results?.blocks ?? []) {
        const m = scenarios().blockMark(br);
        add(
          line,
          m.status,
          localizedText(scenarios().blockMarkText(br)),
          br.passed
            ? vscode.l10n.t('{0}: passed in {1} ms', br.name, br.durationMs)
            : vscode.l10n.t('{0}: failed in {1} ms', br.name, br.durationMs),
        );
      }
      for (const [line, steps] of results?.steps ?? []) {
        if (results?.blocks.has(line)) {
          continue;
        }
        const local = steps.map(shown);
        const m = scenarios().stepMark(local);
        add(line, m.status, m.text, local.map((s) => `${statusWord(s.status)}: ${s.message}`).join('\n'));
      }
      for (const status of ['passed', 'failed', 'skipped'] as const) {
        editor.setDecorations(this.decorations[status], out[status]);
      }
    }
  }

  dispose(): void {
    this.stopAll.abort();
    if (this.renderTimer) {
      clearTimeout(this.renderTimer);
    }
    this.disposables.forEach((d) => d.dispose());
  }
}
