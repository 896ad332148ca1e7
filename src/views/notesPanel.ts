import * as vscode from 'vscode';
import { translatedStrings } from '../l10n';
import { NOTES_STRINGS } from '../shared/webviewStrings';
import { Config, Views } from '../constants';
import type { Ctx } from '../context';
import { apiLanguageOf } from '../core/assist/languages';
import {
  allNotes,
  builtinNoteCount,
  getNote,
  NoteId,
  notePacks,
  onDidChangeNotes,
  type Note,
} from '../core/notes/notes';
import { noteAtCursor } from '../language/sourceIndex';
import {
  parseNotesFromWebview,
  type CodeLanguage,
  type NoteData,
  type NoteSection,
  type NotesFromWebview,
  type NotesToWebview,
  type ShowReason,
} from '../shared/notesProtocol';
import { assertNever } from '../shared/protocol';
import { webviewHtml, webviewOptions } from './webviewHtml';

/**
 * The table of contents follows the lecture: each section starts at this note, in corpus order. Built when
 * asked: vscode.l10n answers in the display language only once the extension is activated.
 */
const SECTION_STARTS = (): ReadonlyArray<[title: string, firstNoteId: string]> => [
  [vscode.l10n.t('Layers and ports'), NoteId.LayersDivisionOfLabor],
  [vscode.l10n.t('The socket API'), NoteId.BerkeleySockets],
  ['UDP', NoteId.UdpNoConnection],
  ['TCP', NoteId.TcpServerFirst],
  [vscode.l10n.t('Summary'), NoteId.Summary],
  [vscode.l10n.t('Corrections to the slides'), NoteId.Python2vs3],
  [vscode.l10n.t('Errors and pitfalls'), NoteId.SocketErrors],
  [vscode.l10n.t('The playground'), NoteId.Impairment],
];

function noteSections(): NoteSection[] {
  const sections: NoteSection[] = [];
  // The built-in notes (some perhaps replaced by a course pack) keep the lecture's sections; the notes a course
  // pack adds follow, one section per pack.
  const builtinCount = builtinNoteCount();
  const starts = SECTION_STARTS();
  allNotes().forEach((n, i) => {
    const start =
      i < builtinCount
        ? starts.find(([, id]) => id === n.id)?.[0]
        : sections.at(-1)?.title === packTitle(n.pack)
          ? undefined
          : packTitle(n.pack);
    if (start || sections.length === 0) {
      sections.push({ title: start ?? vscode.l10n.t('Notes'), noteIds: [] });
    }
    sections[sections.length - 1]!.noteIds.push(n.id);
  });
  return sections;
}

function packTitle(id: string): string {
  return notePacks().find((p) => p.id === id)?.title ?? id;
}

/** Cursor moves are coalesced: the panel follows where the cursor rests, not every keystroke. */
const FOLLOW_DEBOUNCE_MS = 120;

/** The code tab for an editor language: the socket-assistance families and the notes' code languages coincide. */
function codeLanguageOf(languageId: string | undefined): CodeLanguage | undefined {
  return languageId ? apiLanguageOf(languageId) : undefined;
}

function followCursorSetting(ctx: Ctx): boolean {
  return ctx.config.read().notesFollowCursor;
}

/**
 * The course notes panel: a WebviewPanel beside the editor with a table of contents, search, the note, its
 * code in four languages, and links to related notes. It follows the socket call under the cursor when
 * `socketPlayground.notes.followCursor` is on. The host owns which note is asked for; the webview reports
 * what it rendered (`shown`), which is what tests check.
 */
export class NotesPanel implements vscode.Disposable {
  static current: NotesPanel | undefined;

  private postInit(show: { noteId: string; reason: ShowReason } | undefined): void {
    this.post({
      type: 'init',
      notes: allNotes().map(toNoteData),
      sections: noteSections(),
      followCursor: followCursorSetting(this.ctx),
      codeLanguage: this.codeLanguage(),
      strings: translatedStrings(NOTES_STRINGS),
      ...(show ? { noteId: show.noteId, reason: show.reason } : {}),
    });
  }

  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** The webview is live and has asked for its state (it is re-created each time the panel is shown again). */
  private ready = false;
  /** What to show once the webview is ready. */
  private pending: { noteId: string; reason: ShowReason } | undefined;
  private followTimer: NodeJS.Timeout | undefined;
  /** The last text editor with socket assistance that had focus (the webview takes focus when clicked). */
  private lastEditor: vscode.TextEditor | undefined;
  /** The note the webview last reported as rendered. */
  shownNoteId: string | undefined;
  /** The note the host last asked for. */
  requestedNoteId: string | undefined;
  /** Messages from the webview that failed validation (tests read it). */
  rejected = 0;
  /** Cursor moves passed over because following is off (tests wait on it instead of on time). */
  cursorMovesIgnored = 0;
  /** Cursor moves followed to the end, whether or not they changed the note (tests wait on it). */
  cursorMovesSettled = 0;

  /** Opens the panel beside the editor (or reveals it) and shows a note, or the one for the cursor. */
  static createOrShow(ctx: Ctx, noteId?: string): NotesPanel {
    const show =
      noteId !== undefined
        ? { noteId, reason: { kind: 'command' } as const }
        : NotesPanel.forActiveEditor(ctx);
    if (NotesPanel.current) {
      NotesPanel.current.panel.reveal(undefined, true);
      if (show) {
        NotesPanel.current.show(show.noteId, show.reason);
      }
      return NotesPanel.current;
    }
    // Beside whatever is open in the active group, a text editor or a webview such as the traffic panel (which
    // is no activeTextEditor): the note explains what is on screen, it must not cover it.
    const busy = vscode.window.activeTextEditor || vscode.window.tabGroups.activeTabGroup.activeTab;
    const column = busy ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(
      Views.Notes,
      vscode.l10n.t('Socket Notes'),
      { viewColumn: column, preserveFocus: true },
      webviewOptions(ctx.extensionUri, { findWidget: true }),
    );
    NotesPanel.current = new NotesPanel(panel, ctx, show);
    return NotesPanel.current;
  }

  /** Restores the panel after a window reload (the webview's own state keeps the note it showed). */
  static revive(panel: vscode.WebviewPanel, ctx: Ctx): void {
    panel.webview.options = webviewOptions(ctx.extensionUri, { findWidget: true });
    NotesPanel.current?.dispose();
    NotesPanel.current = new NotesPanel(panel, ctx, undefined);
  }

  private static forActiveEditor(ctx: Ctx): { noteId: string; reason: ShowReason } | undefined {
    const editor = vscode.window.activeTextEditor;
    return editor && followCursorSetting(ctx)
      ? noteAtCursor(editor.document, editor.selection.active)
      : undefined;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: Ctx,
    initial: { noteId: string; reason: ShowReason } | undefined,
  ) {
    this.pending = initial;
    this.requestedNoteId = initial?.noteId;
    this.lastEditor = vscode.window.activeTextEditor;
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'socket-playground.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      // A course pack was loaded or edited: the webview gets the new notes and keeps the note it shows.
      onDidChangeNotes(() => {
        if (this.ready) {
          const noteId = this.shownNoteId && getNote(this.shownNoteId) ? this.shownNoteId : undefined;
          this.postInit(noteId ? { noteId, reason: { kind: 'command' } } : undefined);
        }
      }),
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is destroyed (no retainContextWhenHidden): hold messages until it says ready again.
        if (!panel.visible) {
          this.ready = false;
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onCursor(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) {
          this.onCursor(e);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Config.Section}.${Config.NotesFollowCursor}`)) {
          if (!followCursorSetting(this.ctx)) {
            clearTimeout(this.followTimer);
            this.followTimer = undefined;
          }
          this.post({ type: 'followCursorChanged', followCursor: followCursorSetting(this.ctx) });
        }
      }),
    );
  }

  /** Asks the webview to show a note. */
  show(noteId: string, reason: ShowReason): void {
    this.requestedNoteId = noteId;
    if (!this.ready) {
      this.pending = { noteId, reason };
      return;
    }
    this.post({ type: 'showNote', noteId, reason, codeLanguage: this.codeLanguage() });
  }

  private onCursor(editor: vscode.TextEditor): void {
    if (!apiLanguageOf(editor.document.languageId)) {
      return;
    }
    this.lastEditor = editor;
    clearTimeout(this.followTimer);
    if (!followCursorSetting(this.ctx)) {
      this.cursorMovesIgnored++;
      return;
    }
    this.followTimer = setTimeout(() => {
      this.followTimer = undefined;
      // Following may have been turned off while the move waited.
      if (editor.document.isClosed || !followCursorSetting(this.ctx)) {
        return;
      }
      const found = noteAtCursor(editor.document, editor.selection.active);
      // Off any socket call, the panel keeps what it shows: no flicker while typing between calls.
      if (found && (found.noteId !== this.requestedNoteId || !this.ready)) {
        this.show(found.noteId, found.reason);
      }
      this.cursorMovesSettled++;
    }, FOLLOW_DEBOUNCE_MS);
  }

  private codeLanguage(): CodeLanguage | undefined {
    const editor = vscode.window.activeTextEditor ?? this.lastEditor;
    return codeLanguageOf(editor?.document.languageId);
  }

  private html(): string {
    return webviewHtml(this.panel.webview, this.ctx.extensionUri, {
      title: vscode.l10n.t('Socket Notes'),
      script: ['dist', 'notes.js'],
      styles: [['media', 'notes.css']],
      label: vscode.l10n.t('Socket programming course notes'),
    });
  }

  private post(msg: NotesToWebview): void {
    void this.panel.webview.postMessage(msg).then(undefined, () => undefined);
  }

  private onMessage(raw: unknown): void {
    const parsed = parseNotesFromWebview(raw);
    if (!parsed.ok) {
      this.rejected++;
      this.ctx.output.warn(`notes panel: rejected a message from the webview: ${parsed.reason}`);
      return;
    }
    const msg: NotesFromWebview = parsed.msg;
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        const pending = this.pending;
        this.pending = undefined;
        this.postInit(pending);
        break;
      }
      case 'shown':
        this.shownNoteId = getNote(msg.noteId) ? msg.noteId : this.shownNoteId;
        // The student may have moved on inside the panel (contents, search, See also, Back): what it shows now
        // is the latest request, so the cursor's note is shown again when the cursor goes back to its call.
        this.requestedNoteId = this.shownNoteId;
        break;
      case 'setFollowCursor':
        void vscode.workspace
          .getConfiguration(Config.Section)
          .update(Config.NotesFollowCursor, msg.enabled, vscode.ConfigurationTarget.Global)
          .then(undefined, (err: unknown) => this.ctx.output.warn(`notes panel: ${String(err)}`));
        break;
      case 'insertCode':
        void this.insertCode(msg.noteId, msg.language);
        break;
      default:
        assertNever(msg);
    }
  }

  /** Inserts a note's code sample at the cursor of the last editor (the panel has focus when its button is clicked). */
  private async insertCode(noteId: string, language: CodeLanguage): Promise<void> {
    const code = getNote(noteId)?.code?.[language];
    const editor = this.lastEditor && !this.lastEditor.document.isClosed ? this.lastEditor : undefined;
    if (!code) {
      return;
    }
    if (!editor) {
      // The note languages are VS Code language ids too.
      const doc = await vscode.workspace.openTextDocument({ content: `${code}\n`, language });
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      return;
    }
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    await editor.edit((b) => b.insert(editor.selection.active, `${code}\n`));
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    if (NotesPanel.current === this) {
      NotesPanel.current = undefined;
    }
    clearTimeout(this.followTimer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}

function toNoteData(n: Note): NoteData {
  return {
    id: n.id,
    title: n.title,
    topics: [...n.topics],
    body: n.body,
    tree: n.tree,
    ...(n.code ? { code: { ...n.code } } : {}),
    ...(n.seeAlso ? { seeAlso: [...n.seeAlso] } : {}),
    pack: n.pack,
    language: n.language,
  };
}

/** Registers the serializer that revives the panel after a reload. */
export function registerNotesPanel(ctx: Ctx): vscode.Disposable[] {
  return [
    vscode.window.registerWebviewPanelSerializer(Views.Notes, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        NotesPanel.revive(panel, ctx);
        return Promise.resolve();
      },
    }),
    { dispose: () => NotesPanel.current?.dispose() },
  ];
}
