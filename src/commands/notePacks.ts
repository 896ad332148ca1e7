/**
 * Course packs at run time (host side): reads `socketPlayground.notes.packs`, loads each folder with the
 * vscode-free loader (core/notes/packLoader.ts), lays the packs over the built-in notes, shows every problem as a
 * diagnostic on its file and line, and loads again when a pack's files change on disk or the setting changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from '../constants';
import { setNotesLanguage, setRunTimePacks } from '../core/notes/notes';
import { loadPack, type LoadedPack } from '../core/notes/packLoader';
import type { Ctx } from '../context';

/** File changes are coalesced: an editor's save (or a copy of a whole folder) loads once, not per file. */
const RELOAD_DEBOUNCE_MS = 150;

/** The pack folders of the setting, absolute: relative ones are read from the first workspace folder. */
export function packFolders(ctx: Ctx): string[] {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const out: string[] = [];
  for (const entry of ctx.config.read().notesPacks) {
    const folder = path.isAbsolute(entry) ? entry : root ? path.join(root, entry) : undefined;
    if (folder && !out.includes(path.normalize(folder))) {
      out.push(path.normalize(folder));
    }
  }
  return out;
}

export class NotePackHost implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('socketPlayground.notePacks');
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  /** The folders the packs now laid over the built-in ones were read from. */
  private loadedFolders: string[] = [];

  constructor(private readonly ctx: Ctx) {
    this.applyLanguage();
    this.disposables.push(
      this.diagnostics,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Config.Section}.${Config.NotesLanguage}`)) {
          this.applyLanguage();
        }
        if (e.affectsConfiguration(`${Config.Section}.${Config.NotesPacks}`)) {
          void this.reload();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
    );
    if (packFolders(this.ctx).length > 0) {
      void this.reload();
    }
  }

  /** `socketPlayground.notes.language`: `auto` is VS Code's display language. */
  private applyLanguage(): void {
    const raw = this.ctx.config.read().notesLanguage;
    const requested = raw !== 'auto' ? raw : vscode.env.language;
    const used = setNotesLanguage(requested);
    this.ctx.output.info(`course notes: language ${used} (asked for ${requested})`);
  }

  /** Loads the packs of the setting now (again if a load is running), and resolves when they are in place. */
  reload(): Promise<void> {
    if (this.disposed) {
      return Promise.resolve();
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.loadOnce();
      } while (this.again && !this.disposed);
    })()
      .catch((err: unknown) => this.ctx.output.error(`course packs: ${String(err)}`))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Resolves once the packs match the setting (a command reads them right after changing it). */
  async settled(): Promise<void> {
    if (this.running) {
      await this.running;
    }
    if (JSON.stringify(packFolders(this.ctx)) !== JSON.stringify(this.loadedFolders)) {
      await this.reload();
    }
  }

  private async loadOnce(): Promise<void> {
    const folders = packFolders(this.ctx);
    const packs: LoadedPack[] = await Promise.all(folders.map((f) => loadPack(f)));
    if (this.disposed) {
      return;
    }
    this.loadedFolders = folders;
    setRunTimePacks(packs);
    this.showProblems(packs);
    this.watch(folders);
    const problems = packs.reduce((n, p) => n + p.problems.length, 0);
    if (packs.length > 0) {
      this.ctx.output.info(
        `course packs: ${packs.map((p) => `${p.id} (${p.notes.length} notes)`).join(', ')}; ${problems} problem(s)`,
      );
    }
  }

  private showProblems(packs: readonly LoadedPack[]): void {
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of packs.flatMap((pack) => pack.problems)) {
      const line = Math.max(0, p.line - 1);
      const d = new vscode.Diagnostic(
        new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
        p.message,
        vscode.DiagnosticSeverity.Error,
      );
      d.source = 'Socket Playground notes';
      const list = byFile.get(p.file) ?? [];
      list.push(d);
      byFile.set(p.file, list);
    }
    for (const [file, list] of byFile) {
      this.diagnostics.set(vscode.Uri.file(file), list);
    }
  }

  /**
   * Node's fs.watch, not a FileSystemWatcher: pack folders are usually outside the workspace, where VS Code's
   * watcher does not report changes in every host (a remote or a web host watches only the workspace).
   */
  private watch(folders: readonly string[]): void {
    for (const w of this.watchers.splice(0)) {
      w.dispose();
    }
    for (const folder of folders) {
      try {
        const watcher = fs.watch(folder, { persistent: false }, (_event, name) => {
          if (name === null || /\.(md|json)$/i.test(name)) {
            this.reloadSoon();
          }
        });
        // The folder may go away (then the next load reports it): stop watching, do not throw.
        watcher.on('error', () => watcher.close());
        this.watchers.push({ dispose: () => watcher.close() });
      } catch {
        // A folder that does not exist (yet) is already a problem of its pack; nothing to watch.
      }
    }
  }

  private reloadSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const d of [...this.watchers.splice(0), ...this.disposables.splice(0)]) {
      d.dispose();
    }
  }
}
