/**
 * The extension in a Spanish host (runTest.ts starts code-server with `--locale es` for this file alone): the
 * tree, the errors and the notes read in Spanish, from the real bundles.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { SocketInfo } from '../../src/shared/types';

const EXTENSION_ID = 'socket-playground.socket-playground';

type Api = {
  sockets: {
    getChildren(e?: unknown): Array<{ id: string }>;
    getTreeItem(e: unknown): vscode.TreeItem;
  };
  localizedError(err: unknown): string;
};

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

  it('the notes follow the display language (notes.language auto)', async () => {
    const notes = await exec<Array<{ id: string; title: string; language?: string }>>('listNotes');
    const refused = notes.find((n) => n.id === 'connection-refused');
    assert.ok(refused, 'the connection-refused note');
    assert.equal(refused.language, 'es');
  });
});
