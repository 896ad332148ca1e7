/**
 * Code assistance in the real extension host: hovers in each language, the Python diagnostics and quick fixes
 * on the slides' own listings, the CodeLens, and the contributed snippets.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';

const EXTENSION_ID = 'socket-playground.socket-playground';
const SOURCE = 'Socket Playground';

type SocketInfo = { id: string; kind: string; local: { address: string; port: number } };

function exec<T>(id: string, ...args: unknown[]): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(id, ...args));
}

function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with the fixture workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function waitFor<T>(
  get: () => T | undefined | Promise<T | undefined>,
  what: string,
  ms = 30_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) {
      return v;
    }
    if (Date.now() - start > ms) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

function hoverText(h: vscode.Hover): string {
  return h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

/** Our diagnostics for a document, as `severity code line` strings, once they are published. */
async function ourDiagnostics(uri: vscode.Uri, atLeast = 1): Promise<string[]> {
  const severity = ['error', 'warning', 'information', 'hint'];
  return waitFor(() => {
    const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
    return ours.length >= atLeast
      ? ours.map((d) => `${severity[d.severity]} ${String(d.code)} ${d.range.start.line}`)
      : undefined;
  }, `diagnostics on ${uri.path}`);
}

async function closeAllEditors(): Promise<void> {
  await exec('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
  await exec('workbench.action.closeAllEditors');
}

function freeTcpPort(): Promise<number> {
  const srv = net.createServer();
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('Code assistance (integration, real extension host)', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  after(async () => {
    await closeAllEditors();
    await exec('socketPlayground.closeAll');
  });

  describe('hovers', () => {
    const cases: Array<[file: string, languageId: string, word: string, title: RegExp]> = [
      ['slides_UDPClient.py', 'python', 'recvfrom', /recvfrom\(\) tells you who sent the datagram/],
      ['slides_UDPClient.py', 'python', 'AF_INET', /socket\(\): choosing address family and type/],
      ['modern_TCPServer.py', 'python', 'accept', /accept\(\): a new socket for every client/],
      ['udpServer.js', 'javascript', 'createSocket', /socket\(\): choosing address family/],
      ['udpServer.js', 'javascript', "'message'", /recvfrom\(\) tells you who sent/],
      ['tcpServer.ts', 'typescript', 'createServer', /The welcoming socket: listen\(\)/],
      ['TCPServer.java', 'java', 'ServerSocket', /The welcoming socket: listen\(\)/],
      ['UDPClient.java', 'java', 'DatagramSocket', /socket\(\): choosing address family/],
      ['udp_server.c', 'c', 'recvfrom', /recvfrom\(\) tells you who sent/],
      ['tcp_client.c', 'c', 'connect', /connect\(\) and the three-way handshake/],
    ];
    for (const [file, languageId, word, title] of cases) {
      it(`${file}: ${word}`, async () => {
        const doc = await vscode.workspace.openTextDocument(fixture(file));
        assert.equal(doc.languageId, languageId);
        const text = doc.getText();
        // The word as code, not inside a comment: the first occurrence after the imports.
        const at = text.indexOf(word, text.search(/\n(?!\s*(?:#|\/\/|\/\*|\*|import|from|#include))/));
        assert.ok(at >= 0, `${word} in ${file}`);
        const pos = doc.positionAt(at + (word.startsWith("'") ? 2 : 1));
        const hovers = await exec<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
        const ours = hovers.map(hoverText).find((t) => t.includes('socketPlayground.openNotes'));
        assert.ok(ours, `a Socket Playground hover on ${word}; got ${JSON.stringify(hovers.map(hoverText))}`);
        assert.match(ours, title);
        assert.match(ours, /\[Open the note\]\(command:socketPlayground\.openNotes\?/);
        const link = /command:socketPlayground\.openNotes\?([^ )]+)/.exec(ours)![1]!;
        const arg = JSON.parse(decodeURIComponent(link)) as { noteId: string };
        assert.match(arg.noteId, /^[a-z0-9-]+$/);
      });
    }

    /** Our hover's text at the last `word` in an untitled document. */
    async function hoverIn(languageId: string, content: string, word: string): Promise<string> {
      const doc = await vscode.workspace.openTextDocument({ language: languageId, content });
      const pos = doc.positionAt(content.lastIndexOf(word) + 1);
      const hovers = await exec<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      const ours = hovers.map(hoverText).find((t) => t.includes('socketPlayground.openNotes'));
      assert.ok(ours, `a Socket Playground hover on ${word}`);
      return ours;
    }

    it('hovers follow the protocol of the file: C recv on UDP, Java send on UDP, close on UDP', async () => {
      const cUdp = await hoverIn(
        'c',
        '#include <sys/socket.h>\nint fd = socket(AF_INET, SOCK_DGRAM, 0);\nn = recv(fd, buf, sizeof buf, 0);\n',
        'recv',
      );
      assert.match(cUdp, /empty datagram/);
      assert.doesNotMatch(cUdp, /peer closed/);
      const cTcp = await hoverIn(
        'c',
        '#include <sys/socket.h>\nint fd = socket(AF_INET, SOCK_STREAM, 0);\nn = recv(fd, buf, sizeof buf, 0);\n',
        'recv',
      );
      assert.match(cTcp, /0 means the peer closed/);
      const javaUdp = await hoverIn(
        'java',
        'import java.net.*;\nDatagramSocket s = new DatagramSocket();\ns.send(packet);\n',
        'send',
      );
      const primary = (hover: string): string => {
        const link = /\[Open the note\]\(command:socketPlayground\.openNotes\?([^ )]+)/.exec(hover)![1]!;
        return (JSON.parse(decodeURIComponent(link)) as { noteId: string }).noteId;
      };
      assert.equal(primary(javaUdp), 'udp-explicit-destination');
      const slides = (await vscode.workspace.openTextDocument(fixture('slides_UDPClient.py'))).getText();
      const pyClose = await hoverIn('python', slides, 'close');
      assert.equal(primary(pyClose), 'udp-no-connection', 'not "using a socket after it was closed"');
    });

    it('trusts only the openNotes command, and shows nothing on ordinary code', async () => {
      const doc = await vscode.workspace.openTextDocument(fixture('modern_UDPServer.py'));
      const text = doc.getText();
      const pos = doc.positionAt(text.indexOf('recvfrom') + 2);
      const hovers = await exec<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      for (const h of hovers) {
        for (const c of h.contents) {
          if (c instanceof vscode.MarkdownString && c.value.includes('socketPlayground.openNotes')) {
            assert.notEqual(c.isTrusted, true, 'not trusted for every command');
          }
        }
      }
      const plain = doc.positionAt(text.indexOf('modifiedMessage') + 2);
      const none = await exec<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, plain);
      assert.ok(!none.some((h) => hoverText(h).includes('socketPlayground.openNotes')));
    });

    it('the hover link opens the note it names', async () => {
      const doc = await vscode.workspace.openTextDocument(fixture('slides_TCPServer.py'));
      const pos = doc.positionAt(doc.getText().indexOf('listen') + 1);
      const [hover] = (await exec<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)).filter((h) =>
        hoverText(h).includes('socketPlayground.openNotes'),
      );
      assert.ok(hover);
      const link = /command:socketPlayground\.openNotes\?([^ )]+)/.exec(hoverText(hover))![1]!;
      const arg = JSON.parse(decodeURIComponent(link)) as { noteId: string };
      await exec('socketPlayground.openNotes', arg);
      const api = await vscode.extensions
        .getExtension<{ notesPanel(): { shownNoteId?: string } | undefined }>(EXTENSION_ID)!
        .activate();
      await waitFor(() => api.notesPanel()?.shownNoteId === arg.noteId || undefined, `note ${arg.noteId}`);
    });
  });

  describe("diagnostics on the slides' Python listings", () => {
    const expected: Record<string, string[]> = {
      'slides_UDPClient.py': [
        'warning placeholder-host 1',
        'error socket-attribute-after-import-star 3',
        'error socket-attribute-after-import-star 3',
        'error constant-typo 3',
        'error python2-raw-input 4',
        'warning str-to-send 5',
        'error python2-print 7',
      ],
      'slides_UDPServer.py': ['error python2-print 4'],
      'slides_TCPClient.py': [
        'warning placeholder-host 1',
        'error raw-input-typo 5',
        'information send-not-sendall 6',
        'warning str-to-send 6',
        'information single-recv 7',
        'error python2-print 8',
      ],
      'slides_TCPServer.py': [
        'error python2-print 5',
        'information single-recv 8',
        'information send-not-sendall 10',
      ],
    };
    for (const [file, want] of Object.entries(expected)) {
      it(`${file} lights up`, async () => {
        const doc = await vscode.workspace.openTextDocument(fixture(file));
        assert.deepEqual(await ourDiagnostics(doc.uri, want.length), want);
      });
    }

    it('the modern programs have none', async () => {
      const files = [
        'modern_UDPClient.py',
        'modern_UDPServer.py',
        'modern_TCPClient.py',
        'modern_TCPServer.py',
      ];
      const docs = [];
      for (const file of files) {
        docs.push(await vscode.workspace.openTextDocument(fixture(file)));
      }
      // A barrier instead of a pause: documents are linted in the order they open, so once a new document with
      // a known finding, opened last, has its diagnostics, the modern programs have been linted too.
      const barrier = await vscode.workspace.openTextDocument({
        language: 'python',
        content: 'from socket import *\nprint "barrier"\n',
      });
      assert.deepEqual(await ourDiagnostics(barrier.uri), ['error python2-print 1']);
      for (const [i, doc] of docs.entries()) {
        assert.deepEqual(
          vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === SOURCE),
          [],
          files[i],
        );
      }
    });
  });

  describe('quick fixes', () => {
    afterEach(closeAllEditors);

    /** An unsaved copy of a fixture, so fixes never touch the files on disk. */
    async function scratchCopy(file: string): Promise<vscode.TextEditor> {
      const content = (await vscode.workspace.openTextDocument(fixture(file))).getText();
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
      return vscode.window.showTextDocument(doc);
    }

    async function actionsAt(doc: vscode.TextDocument, word: string): Promise<vscode.CodeAction[]> {
      const at = doc.getText().indexOf(word);
      const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + word.length));
      return exec<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range);
    }

    it('raw_input → input(), applied through the real code action', async () => {
      const editor = await scratchCopy('slides_UDPClient.py');
      await ourDiagnostics(editor.document.uri, 7);
      const actions = await actionsAt(editor.document, 'raw_input');
      const fix = actions.find((a) => a.title === 'Use input()');
      assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(fix.isPreferred, true);
      assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(editor.document.getText(), /^message = input\('Input lowercase sentence:'\)$/m);
      const after = await waitFor(() => {
        const codes = vscode.languages
          .getDiagnostics(editor.document.uri)
          .filter((d) => d.source === SOURCE)
          .map((d) => String(d.code));
        return codes.includes('python2-raw-input') ? undefined : codes;
      }, 'the diagnostic to go');
      assert.equal(after.length, 6);
    });

    it('every problem of a slide listing has its fix, and "fix all" gives Python 3', async () => {
      const editor = await scratchCopy('slides_UDPClient.py');
      const doc = editor.document;
      await ourDiagnostics(doc.uri, 7);
      const titles = async (word: string) => (await actionsAt(doc, word)).map((a) => a.title);
      assert.ok((await titles('socket.AF_INET')).includes("Remove 'socket.' (write AF_INET)"));
      assert.ok((await titles('SOCK DGRAM')).includes('Write SOCK_DGRAM'));
      assert.ok((await titles('message, (')).includes('Send bytes: message.encode()'));
      assert.ok((await titles('print modifiedMessage')).includes('Convert to print() and decode the bytes'));
      assert.ok((await titles("'hostname'")).includes("Use '127.0.0.1' (a server on this machine)"));
      const all = (await actionsAt(doc, 'print')).find((a) =>
        a.title.startsWith('Fix all Python 3 problems'),
      );
      assert.ok(all?.edit, 'a fix-all action');
      assert.ok(await vscode.workspace.applyEdit(all.edit));
      assert.equal(
        doc.getText(),
        [
          'from socket import *',
          "serverName = '127.0.0.1'",
          'serverPort = 12000',
          'clientSocket = socket(AF_INET, SOCK_DGRAM)',
          "message = input('Input lowercase sentence:')",
          'clientSocket.sendto(message.encode(), (serverName, serverPort))',
          'modifiedMessage, serverAddress = clientSocket.recvfrom(2048)',
          'print(modifiedMessage.decode())',
          'clientSocket.close()',
          '',
        ].join('\n'),
      );
      await waitFor(
        () => vscode.languages.getDiagnostics(doc.uri).every((d) => d.source !== SOURCE) || undefined,
        'no diagnostics left',
      );
    });

    it('source.fixAll is offered for the whole file', async () => {
      const editor = await scratchCopy('slides_TCPClient.py');
      await ourDiagnostics(editor.document.uri, 6);
      const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
      const actions = await exec<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        editor.document.uri,
        whole,
        vscode.CodeActionKind.SourceFixAll.value,
      );
      const all = actions.find((a) => a.kind?.value === vscode.CodeActionKind.SourceFixAll.value);
      assert.ok(all?.edit);
      assert.ok(await vscode.workspace.applyEdit(all.edit));
      assert.match(editor.document.getText(), /^clientSocket\.sendall\(sentence\.encode\(\)\)$/m);
      assert.match(editor.document.getText(), /^serverName = '127\.0\.0\.1'$/m);
      assert.match(editor.document.getText(), /^print\('From Server:', modifiedSentence\.decode\(\)\)$/m);
    });

    it('the single recv is explained, not "fixed"', async () => {
      const editor = await scratchCopy('slides_TCPServer.py');
      await ourDiagnostics(editor.document.uri, 3);
      const actions = await actionsAt(editor.document, 'connectionSocket.recv(1024)');
      const explain = actions.find((a) => a.title.startsWith('Explain: '));
      assert.ok(explain?.command, `actions: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(explain.command.command, 'socketPlayground.openNotes');
      assert.deepEqual(explain.command.arguments, [{ noteId: 'tcp-byte-stream' }]);
      assert.ok(!actions.some((a) => a.edit && a.diagnostics?.some((d) => d.code === 'single-recv')));
      await exec(explain.command.command, ...(explain.command.arguments ?? []));
      const api = await vscode.extensions
        .getExtension<{ notesPanel(): { shownNoteId?: string } | undefined }>(EXTENSION_ID)!
        .activate();
      await waitFor(() => api.notesPanel()?.shownNoteId === 'tcp-byte-stream' || undefined, 'the note');
    });
  });

  describe('CodeLens', () => {
    const cases: Array<[file: string, command: string, title: RegExp]> = [
      [
        'slides_UDPClient.py',
        'socketPlayground.startUdpServer',
        /Start matching playground server \(UDP, port 12000\)/,
      ],
      [
        'modern_TCPServer.py',
        'socketPlayground.connectTcpClient',
        /Start matching playground client \(TCP, port 12000\)/,
      ],
      [
        'udpServer.js',
        'socketPlayground.openUdpClient',
        /Start matching playground client \(UDP, port 12000\)/,
      ],
      [
        'TCPClient.java',
        'socketPlayground.startTcpServer',
        /Start matching playground server \(TCP, port 12000\)/,
      ],
      ['tcp_client.c', 'socketPlayground.startTcpServer', /Start matching playground server/],
    ];
    for (const [file, command, title] of cases) {
      it(`${file}: ${command}`, async () => {
        const doc = await vscode.workspace.openTextDocument(fixture(file));
        const lenses = await exec<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
        const lens = lenses.find((l) => l.command?.command === command);
        assert.ok(lens?.command, `lenses: ${lenses.map((l) => l.command?.title).join(' | ')}`);
        assert.match(lens.command.title, title);
        assert.deepEqual(lens.command.arguments, [{ port: 12000 }]);
      });
    }

    it('running the lens starts the matching server on the port in the file', async () => {
      const port = await freeTcpPort();
      const content = `from socket import *\nserverPort = ${port}\nclientSocket = socket(AF_INET, SOCK_DGRAM)\nclientSocket.sendto(b'hi', ('127.0.0.1', serverPort))\n`;
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
      const lenses = await exec<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      const lens = lenses.find((l) => l.command?.command === 'socketPlayground.startUdpServer');
      assert.ok(lens?.command);
      const info = await exec<SocketInfo>(lens.command.command, ...(lens.command.arguments ?? []));
      try {
        assert.equal(info.kind, 'udp-server');
        assert.equal(info.local.port, port);
      } finally {
        await exec('socketPlayground.closeSocket', { socketId: info.id });
      }
    });
  });

  describe('snippets', () => {
    afterEach(closeAllEditors);

    const cases: Array<[language: string, name: string, expect: RegExp]> = [
      [
        'python',
        'UDP client (Python 3)',
        /clientSocket\.sendto\(message\.encode\(\), \(serverName, serverPort\)\)/,
      ],
      ['python', 'TCP server (Python 3)', /connectionSocket, addr = serverSocket\.accept\(\)/],
      ['javascript', 'UDP server (Node.js)', /dgram\.createSocket\('udp4'\)/],
      ['typescript', 'TCP client (Node.js)', /net\.createConnection\(/],
      ['java', 'TCP server (Java)', /welcomeSocket\.accept\(\)/],
    ];
    for (const [language, name, expect] of cases) {
      it(`${language}: ${name} inserts`, async () => {
        const doc = await vscode.workspace.openTextDocument({ language, content: '' });
        const editor = await vscode.window.showTextDocument(doc);
        await exec('editor.action.insertSnippet', { langId: language, name });
        await waitFor(() => doc.getText().length > 0 || undefined, 'the snippet text');
        assert.match(doc.getText(), expect);
        assert.match(doc.getText(), /12000/);
        if (language === 'python') {
          // The course's own snippets lint clean. Edits are linted after a pause: rather than guess its end, add a
          // line that must be flagged and wait for that flag; the lint that reports it read the snippet too.
          const barrierLine = doc.lineCount;
          await editor.edit((b) => b.insert(doc.lineAt(doc.lineCount - 1).range.end, '\nprint "barrier"'));
          assert.deepEqual(await ourDiagnostics(doc.uri), [`error python2-print ${barrierLine}`]);
        }
      });
    }

    it('are offered as completions by prefix', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'udpcl' });
      await vscode.window.showTextDocument(doc);
      const list = await exec<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        new vscode.Position(0, 5),
      );
      const item = list.items.find(
        (i) =>
          i.kind === vscode.CompletionItemKind.Snippet &&
          String(typeof i.label === 'string' ? i.label : i.label.label) === 'udpclient',
      );
      assert.ok(
        item,
        `snippets: ${list.items
          .filter((i) => i.kind === vscode.CompletionItemKind.Snippet)
          .map((i) => JSON.stringify(i.label))
          .join(', ')}`,
      );
    });
  });
});
