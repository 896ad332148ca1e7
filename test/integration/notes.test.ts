/** The notes commands and panel in the real extension host: the contract, the links, following the cursor. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as dgram from 'node:dgram';
import * as vscode from 'vscode';

const EXTENSION_ID = 'socket-playground.socket-playground';

type NotesPanelApi = {
  shownNoteId?: string;
  requestedNoteId?: string;
  rejected: number;
  cursorMovesIgnored: number;
  cursorMovesSettled: number;
  panel: vscode.WebviewPanel;
};
type Api = {
  notesPanel(): NotesPanelApi | undefined;
  log: { slice(): Array<{ socketId: string; notes: { id: string }[] }> };
};
type NoteSummary = {
  id: string;
  title: string;
  topics: string[];
  body: string;
  pack: string;
  language: string;
};
type SocketInfo = { id: string; local: { port: number } };

async function api(): Promise<Api> {
  return vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate();
}

function exec<T>(id: string, arg?: unknown): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(`socketPlayground.${id}`, arg));
}

async function waitFor<T>(get: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined) {
      return v;
    }
    if (Date.now() - start > ms) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function shown(noteId: string, ms = 30_000): Promise<void> {
  const a = await api();
  await waitFor(
    () => (a.notesPanel()?.shownNoteId === noteId ? true : undefined),
    `the notes panel to show ${noteId} (it shows ${a.notesPanel()?.shownNoteId ?? 'nothing'})`,
    ms,
  );
}

function fixture(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, name);
}

/** Puts the cursor inside the first occurrence of `word` (after `after`, when given). */
function moveTo(editor: vscode.TextEditor, word: string, after = ''): void {
  const text = editor.document.getText();
  const at = text.indexOf(word, after ? text.indexOf(after) : 0);
  assert.ok(at >= 0, word);
  const pos = editor.document.positionAt(at + 1);
  editor.selection = new vscode.Selection(pos, pos);
}

async function setFollow(on: boolean | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('socketPlayground')
    .update('notes.followCursor', on, vscode.ConfigurationTarget.Global);
  // update() can settle before this host's view of the settings changes: wait until it reads the new value.
  const expected = on ?? true;
  await waitFor(
    () =>
      vscode.workspace.getConfiguration('socketPlayground').get<boolean>('notes.followCursor') === expected
        ? true
        : undefined,
    `notes.followCursor to read ${expected}`,
  );
}

describe('Course notes (integration, real extension host)', () => {
  before(async () => {
    await api();
  });
  after(async () => {
    await setFollow(undefined);
    await exec('closeAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('listNotes', () => {
    it('returns the whole corpus with id, title, topics and body', async () => {
      const notes = await exec<NoteSummary[]>('listNotes', {});
      assert.ok(notes.length >= 45, `${notes.length} notes`);
      for (const n of notes) {
        assert.deepEqual(Object.keys(n).sort(), ['body', 'id', 'language', 'pack', 'title', 'topics']);
        assert.match(n.id, /^[a-z0-9-]+$/);
        assert.ok(n.title && n.body.length > 100 && Array.isArray(n.topics));
      }
      assert.ok(notes.some((n) => n.topics.includes('api:recvfrom')));
    });

    it('is the built-in pack of the repository (notes/builtin/), as shipped in dist/course-notes.json', async () => {
      // Read without the extension's parser: each file's id and title lines, and its body verbatim.
      const folder = path.join(__dirname, '..', '..', '..', 'notes', 'builtin');
      const files = fs
        .readdirSync(folder)
        .filter((f) => f.endsWith('.md'))
        .sort();
      const notes = await exec<NoteSummary[]>('listNotes', {});
      const builtin = notes.filter((n) => n.pack === 'builtin');
      assert.deepEqual(
        builtin.map((n) => n.id),
        files.map((f) => /^id: (.+)$/m.exec(fs.readFileSync(path.join(folder, f), 'utf8'))?.[1]),
      );
      files.forEach((f, i) => {
        const text = fs.readFileSync(path.join(folder, f), 'utf8');
        const n = builtin[i]!;
        assert.equal(JSON.parse(/^title: (.+)$/m.exec(text)?.[1] ?? '""'), n.title, f);
        assert.ok(text.includes(`\n---\n${n.body}\n`), `${f}: the body is the file's Markdown`);
        assert.equal(n.language, 'en');
      });
    });

    it('rejects arguments it does not know', async () => {
      await assert.rejects(exec('listNotes', { filter: 'udp' }), /listNotes has no argument "filter"/);
    });
  });

  describe('openNotes', () => {
    it('rejects an unknown note id and names where the ids come from', async () => {
      await assert.rejects(
        exec('openNotes', { noteId: 'no-such-note' }),
        /no note with id "no-such-note".*listNotes/,
      );
      await assert.rejects(exec('openNotes', { noteId: 42 }), /no note with id 42/);
      await assert.rejects(exec('openNotes', { note: 'x' }), /openNotes has no argument "note"/);
    });

    it('opens a webview beside the editor and shows the note asked for', async () => {
      const editor = await vscode.window.showTextDocument(fixture('modern_UDPClient.py'), {
        viewColumn: vscode.ViewColumn.One,
      });
      assert.equal(editor.viewColumn, vscode.ViewColumn.One);
      await exec('openNotes', { noteId: 'tcp-four-tuple' });
      await shown('tcp-four-tuple');
      const panel = (await api()).notesPanel()!;
      assert.equal(panel.panel.viewType, 'socketPlayground.notes');
      assert.equal(panel.panel.viewColumn, vscode.ViewColumn.Two, 'beside the editor');
      assert.equal(panel.panel.title, 'Socket Notes');
      // The editor keeps the focus, so typing and the cursor go on where they were.
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
    });

    it('a second call reuses the panel', async () => {
      const first = (await api()).notesPanel();
      await exec('openNotes', { noteId: 'summary' });
      await shown('summary');
      assert.equal((await api()).notesPanel(), first);
    });

    it('opens every note the traffic log attaches to events (the traffic panel links)', async () => {
      const server = await exec<SocketInfo>('startUdpServer', { port: 0 });
      const client = dgram.createSocket('udp4');
      await new Promise<void>((resolve) =>
        client.send('hello', server.local.port, '127.0.0.1', () => resolve()),
      );
      // The server's receive and its reply are in the log (an event in the host), however long that took.
      const log = (await api()).log;
      await waitFor(() => {
        const mine = log
          .slice()
          .filter((r) => r.socketId === server.id)
          .map((r) => r as typeof r & { event?: string });
        return mine.some((r) => r.event === 'receive') && mine.some((r) => r.event === 'send')
          ? true
          : undefined;
      }, "the server's receive and reply in the log");
      client.close();
      const ids = new Set<string>();
      for (const r of (await api()).log.slice()) {
        if (r.socketId === server.id) {
          r.notes.forEach((n) => ids.add(n.id));
        }
      }
      assert.ok(ids.size >= 2, `notes on the server's events: ${[...ids].join(', ')}`);
      // What the traffic panel's note links and the errors' Explain button pass to openNotes.
      for (const id of [...ids, 'connection-refused', 'address-in-use', 'privileged-ports']) {
        await exec('openNotes', { noteId: id });
        await shown(id);
      }
      await exec('closeSocket', { socketId: server.id });
      assert.equal((await api()).notesPanel()!.rejected, 0, 'the webview sent only valid messages');
    });
  });

  describe('follows the cursor', () => {
    let editor: vscode.TextEditor;

    before(async () => {
      await setFollow(true);
      editor = await vscode.window.showTextDocument(fixture('slides_UDPServer.py'), {
        viewColumn: vscode.ViewColumn.One,
        preserveFocus: false,
      });
      await exec('openNotes', { noteId: 'summary' });
      await shown('summary');
      await vscode.window.showTextDocument(editor.document, {
        viewColumn: vscode.ViewColumn.One,
        preserveFocus: false,
      });
    });

    it('shows the note for the socket call under the cursor', async () => {
      moveTo(editor, 'recvfrom');
      await shown('udp-sender-address');
      moveTo(editor, 'bind');
      await shown('bind-call');
      moveTo(editor, 'sendto');
      await shown('udp-explicit-destination');
    });

    it('a lecture pitfall under the cursor shows the note that explains it', async () => {
      moveTo(editor, 'print');
      await shown('python2-vs-python3');
    });

    it('the start of a line explains the call on it', async () => {
      const line = editor.document.lineAt(
        editor.document
          .getText()
          .split('\n')
          .findIndex((l) => l.includes('recvfrom')),
      );
      editor.selection = new vscode.Selection(line.range.start, line.range.start);
      await shown('udp-sender-address');
    });

    it('keeps its note while the cursor is off socket calls', async () => {
      moveTo(editor, 'bind');
      await shown('bind-call');
      const panel = (await api()).notesPanel()!;
      const settled = panel.cursorMovesSettled;
      moveTo(editor, 'serverPort = 12000');
      await waitFor(() => (panel.cursorMovesSettled > settled ? true : undefined), 'the move to be followed');
      assert.equal(panel.requestedNoteId, 'bind-call');
      assert.equal(panel.shownNoteId, 'bind-call');
    });

    it('follows into other languages', async () => {
      const c = await vscode.window.showTextDocument(fixture('udp_server.c'), {
        viewColumn: vscode.ViewColumn.One,
        preserveFocus: false,
      });
      moveTo(c, 'recvfrom(', 'for (;;)');
      await shown('udp-sender-address');
      moveTo(c, 'htons');
      await shown('port-numbers');
      editor = await vscode.window.showTextDocument(fixture('slides_UDPServer.py'), {
        viewColumn: vscode.ViewColumn.One,
        preserveFocus: false,
      });
    });

    it('stops following when the setting is off, and resumes when it is on', async () => {
      moveTo(editor, 'bind');
      await shown('bind-call');
      await setFollow(false);
      const panel = (await api()).notesPanel()!;
      const ignored = panel.cursorMovesIgnored;
      moveTo(editor, 'recvfrom');
      // The panel saw the move and passed over it: had it followed, it would have asked for another note.
      await waitFor(
        () => (panel.cursorMovesIgnored > ignored ? true : undefined),
        'the move to be passed over',
      );
      assert.equal(panel.requestedNoteId, 'bind-call');
      assert.equal(panel.shownNoteId, 'bind-call');
      await setFollow(true);
      moveTo(editor, 'sendto');
      await shown('udp-explicit-destination');
    });

    it('survives being hidden and shown again (the webview is rebuilt and re-initialised)', async () => {
      const panel = (await api()).notesPanel()!;
      // Open another editor in the panel's group: the webview is hidden and destroyed.
      await vscode.window.showTextDocument(fixture('modern_TCPClient.py'), {
        viewColumn: panel.panel.viewColumn,
        preserveFocus: false,
      });
      await waitFor(() => (panel.panel.visible ? undefined : true), 'the panel to be hidden');
      editor = await vscode.window.showTextDocument(fixture('slides_UDPServer.py'), {
        viewColumn: vscode.ViewColumn.One,
        preserveFocus: false,
      });
      moveTo(editor, 'recvfrom');
      // The host asks for the note while the webview is gone; it is held until the webview is back.
      await waitFor(() => (panel.requestedNoteId === 'udp-sender-address' ? true : undefined), 'the request');
      panel.panel.reveal(undefined, true);
      await shown('udp-sender-address');
    });
  });
});
