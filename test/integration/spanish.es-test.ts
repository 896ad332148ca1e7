/**
 * The extension in a Spanish host (runTest.ts starts code-server with `--locale es` for this file alone): the
 * tree, the errors and the notes read in Spanish, from the real bundles.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabCheck, LabInfo, LabRun } from '../../src/core/labs/types';
import type { SocketInfo } from '../../src/shared/types';

const labFixtures = path.resolve(__dirname, '../../../test/fixtures/labs');

const EXTENSION_ID = 'socket-playground.socket-playground';

type Api = {
  sockets: {
    getChildren(e?: unknown): Array<{ id: string }>;
    getTreeItem(e: unknown): vscode.TreeItem;
  };
  localizedError(err: unknown): string;
  lastLabChecks(): readonly LabCheck[] | undefined;
  localizedLab(lab: LabInfo): LabInfo;
};

/** Our diagnostics on a document, once they are published (waits on VS Code's diagnostics event). */
function ourDiagnostics(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Socket Playground');
  return new Promise((resolve) => {
    const now = ours();
    if (now.length) {
      resolve(now);
      return;
    }
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      const found = e.uris.some((u) => u.toString() === uri.toString()) ? ours() : [];
      if (found.length) {
        sub.dispose();
        resolve(found);
      }
    });
  });
}

async function api(): Promise<Api> {
  return vscode.extensions.getExtension<Api>(EXTENSION_ID)!.activate();
}

function exec<T>(id: string, arg?: unknown): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(`socketPlayground.${id}`, arg));
}

describe('in Spanish (display language es)', () => {
  afterEach(() => exec('closeAll'));

  it('VS Code reports the display language the host was started with', () => {
    assert.match(vscode.env.language, /^es\b/);
  });

  it('the command titles come from package.nls.es.json', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: {
        commands: Array<{ command: string; title: string | { value: string; original: string } }>;
      };
    };
    // VS Code puts the display language's text in place of each %key% when it reads the manifest (a command title
    // becomes { value, original }: the palette also matches the English).
    const start = pkg.contributes.commands.find((c) => c.command === 'socketPlayground.startUdpServer');
    assert.deepEqual(start?.title, { value: 'Iniciar servidor UDP', original: 'Start UDP Server' });
  });

  it('the Sockets tree labels a server in Spanish', async () => {
    const a = await api();
    const server = await exec<SocketInfo>('startUdpServer', { port: 0 });
    const node = a.sockets.getChildren().find((s) => s.id === server.id);
    assert.ok(node, 'the server is in the tree');
    assert.equal(a.sockets.getTreeItem(node).label, 'Servidor UDP');
  });

  it("the Sockets tree's description and tooltip read in Spanish", async () => {
    const a = await api();
    const server = await exec<SocketInfo>('startUdpServer', { port: 0, impairment: { loss: 0.5, seed: 7 } });
    const node = a.sockets.getChildren().find((s) => s.id === server.id)!;
    const item = a.sockets.getTreeItem(node);
    assert.match(String(item.description), /^perdidos: 0 · 127\.0\.0\.1:\d+ · ↓0 B ↑0 B$/);
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /^\*\*Servidor UDP\*\* `udp-server-\d+` — enlazado/);
    assert.match(tooltip, /\| degradación \| pérdida 50 %, semilla 7 \|/);
    assert.match(item.accessibilityInformation?.label ?? '', /^Servidor UDP 127\.0\.0\.1:\d+, enlazado/);
  });

  it('a port already in use is explained in Spanish, naming the holder', async () => {
    const a = await api();
    const holder = net.createServer();
    await new Promise<void>((resolve, reject) => {
      holder.once('error', reject);
      holder.listen(0, '127.0.0.1', resolve);
    });
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const err = await exec('startTcpServer', { port }).then(
        () => assert.fail('a taken port was bound'),
        (e: unknown) => e,
      );
      // Callers of the API get the English message (their code may read it); the user sees the translation.
      assert.match(String((err as Error).message), new RegExp(`port ${port} is already in use`));
      const spanish = a.localizedError(err);
      assert.match(spanish, new RegExp(`^el puerto ${port} ya está en uso en 127\\.0\\.0\\.1`), spanish);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('a refused connection is explained in Spanish', async () => {
    const a = await api();
    // A port nothing listens on: bind one, read its number, close it.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const err = await exec('connectTcpClient', { host: '127.0.0.1', port }).then(
      () => assert.fail('connected to a closed port'),
      (e: unknown) => e,
    );
    assert.match(a.localizedError(err), /«connection refused» \(conexión rechazada\) por 127\.0\.0\.1:/);
  });

  it("a port held by the playground's own socket is explained in Spanish, with that socket's id", async () => {
    const a = await api();
    const holder = await exec<SocketInfo>('startUdpServer', { port: 0 });
    const err = await exec('startUdpServer', { port: holder.local.port }).then(
      () => assert.fail('a taken port was bound'),
      (e: unknown) => e,
    );
    const spanish = a.localizedError(err);
    // The template shows a command with braces: the id still goes into it (VS Code's own formatter lost it).
    assert.match(spanish, /lo ocupa un socket del propio playground/, spanish);
    assert.ok(spanish.includes(`closeSocket { socketId: "${holder.id}" }`), spanish);
  });

  it("a slide listing's lint problems and quick fixes read in Spanish", async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'slides_UDPClient.py'));
    await vscode.window.showTextDocument(doc);
    try {
      const found = await ourDiagnostics(doc.uri);
      const typo = found.find((d) => d.code === 'constant-typo');
      assert.equal(
        typo?.message,
        "'SOCK DGRAM' es una errata de la diapositiva (un SyntaxError): la constante es SOCK_DGRAM.",
      );
      const print = found.find((d) => d.code === 'python2-print');
      assert.match(
        print?.message ?? '',
        /^Sentencia print de Python 2: en Python 3, donde print es una función/,
      );
      const at = doc.getText().indexOf('SOCK DGRAM');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'SOCK DGRAM'.length)),
      );
      const titles = actions.map((x) => x.title);
      assert.ok(titles.includes('Escribir SOCK_DGRAM'), titles.join(' | '));
      assert.ok(
        titles.some((t) => t.startsWith('Corregir todos los problemas de Python 3')),
        titles.join(' | '),
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('a failed lab check reads in Spanish where the student sees it; runLab still returns English', async function () {
    this.timeout(60_000);
    const a = await api();
    const run = await exec<LabRun>('runLab', {
      lab: 'tcp-uppercase-server',
      port: 0,
      program: ['python3', path.join(labFixtures, 'tcp_server_one_client.py'), '{port}'],
    });
    const english = run.checks.find((c) => c.id === 'kept-serving')!;
    assert.equal(english.status, 'failed');
    assert.match(english.message, /^Expected your server to keep serving; it exited/);
    // What the Testing view, the output and the outcome message showed for the same run.
    const shown = a.lastLabChecks()?.find((c) => c.id === 'kept-serving');
    assert.equal(shown?.title, 'Siguió atendiendo');
    assert.match(
      shown?.message ?? '',
      /^Se esperaba que tu servidor siguiera atendiendo; terminó .*tras 1 de 3 clientes\. Pon accept\(\), recv\(\), send\(\) y connectionSocket\.close\(\) dentro de un bucle while True:/s,
    );
    assert.equal(a.lastLabChecks()?.find((c) => c.id === 'bound')?.title, `Enlazó el puerto ${run.port}`);
  });

  it("a lab's instructions open in Spanish", async () => {
    const a = await api();
    const labs = await exec<LabInfo[]>('listLabs', {});
    const pinger = labs.find((l) => l.id === 'udp-pinger')!;
    // listLabs returns English (an API); what the student reads is the lab in the display language.
    assert.match(pinger.instructions ?? '', /^Write `UDPPinger\.py`/);
    const shown = a.localizedLab(pinger);
    assert.match(shown.instructions ?? '', /^Escribe `UDPPinger\.py`: envía 10 pings al servidor UDP/);
    assert.match(shown.instructions ?? '', /El playground hace de servidor de pings: descarta el 30 %/);
    assert.equal(shown.title, 'Pinger UDP');
  });

  it("a scenario file's problems and hovers read in Spanish", async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'sockets',
      content: '### Echo\nudp 127.0.0.1:12000\n> \\q\nfrobnicate\n',
    });
    await vscode.window.showTextDocument(doc);
    try {
      const messages = (await ourDiagnostics(doc.uri)).map((d) => d.message);
      assert.ok(
        messages.some((m) => m.startsWith('secuencia de escape desconocida "\\q"')),
        messages.join(' | '),
      );
      assert.ok(
        messages.some((m) => m.startsWith('línea desconocida "frobnicate"')),
        messages.join(' | '),
      );
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        new vscode.Position(1, 2),
      );
      const said = hovers
        .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
        .join('\n');
      assert.match(
        said,
        /Abre el socket del bloque: un \*\*cliente UDP\*\* que envía a `127\.0\.0\.1:12000`/,
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('the notes follow the display language (notes.language auto)', async () => {
    const notes = await exec<Array<{ id: string; title: string; language?: string }>>('listNotes');
    const refused = notes.find((n) => n.id === 'connection-refused');
    assert.ok(refused, 'the connection-refused note');
    assert.equal(refused.language, 'es');
  });
});
