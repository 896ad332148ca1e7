import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'socket-playground.socket-playground';

interface ContributedCommand {
  command: string;
}

function contributedCommands(extension: vscode.Extension<unknown>): string[] {
  const contributes = (extension.packageJSON as { contributes?: { commands?: ContributedCommand[] } })
    .contributes;
  return (contributes?.commands ?? []).map((c) => c.command);
}

/** The files of dist/ this host has loaded as modules. */
function distModules(dist: string): string[] {
  return Object.keys(require.cache)
    .filter((f) => path.dirname(f) === dist)
    .map((f) => path.basename(f))
    .sort();
}

describe('Extension activation (integration)', () => {
  it('is installed in the extension host', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not loaded`);
  });

  it('activates without throwing (and records how long activation took)', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const wasActive = extension.isActive;
    const start = performance.now();
    await extension.activate();
    const ms = performance.now() - start;
    assert.equal(extension.isActive, true);
    if (!wasActive) {
      // The wings (labs, protocols, scenarios, assist) load on first use, never at activation.
      const dist = path.join(extension.extensionPath, 'dist');
      assert.deepEqual(
        distModules(dist).filter((f) => f !== 'extension.js' && f !== 'cli.js'),
        [],
        'activation read only extension.js',
      );
      // Loading the bundle and running activate(): `npm run bench` reports it against the 50 ms budget.
      const out = path.resolve(__dirname, '../../../test-results/activation.json');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, JSON.stringify({ activationMs: ms, date: new Date().toISOString() }));
    }
  });

  it('a wing loads on first use, into the engine extension.js holds', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const dist = path.join(extension.extensionPath, 'dist');
    const main = require.cache[path.join(dist, 'extension.js')];
    assert.ok(main, `extension.js is a module of this host: ${distModules(dist).join(', ')}`);
    const labs = await vscode.commands.executeCommand<{ id: string }[]>('socketPlayground.listLabs', {});
    assert.ok(labs.length > 0);
    const wing = require.cache[path.join(dist, 'labs.js')];
    assert.ok(wing, `listLabs loaded the labs wing: ${distModules(dist).join(', ')}`);
    // The wing took the engine (registry, log, errors) from the extension.js already loaded, not a copy.
    assert.ok(wing.children.includes(main), 'labs.js requires the loaded extension.js');
  });

  it('registers every command contributed in package.json', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const contributed = contributedCommands(extension);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed but not registered',
    );
  });
});
