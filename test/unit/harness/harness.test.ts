/** The parts of test/harness/ that decide what `npm start` and `npm test` do before anything else runs. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

/** Compiled to out/test/unit/harness/: four levels below the repo root. */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

// The harness is plain ES modules (it runs before anything is compiled); Node >= 20.19 can require() them.
type DependenciesModule = { dependenciesOutOfDate(repoRoot: string): string | undefined };
type PlaygroundModule = {
  ensurePlayground(templateDir: string, dir: string): boolean;
  registerExtension(extensionsDir: string, extensionRoot: string): string;
};
const load = createRequire(__filename);
const { dependenciesOutOfDate } = load(
  path.join(repoRoot, 'test', 'harness', 'dependencies.mjs'),
) as DependenciesModule;
const { ensurePlayground, registerExtension } = load(
  path.join(repoRoot, 'test', 'harness', 'playground.mjs'),
) as PlaygroundModule;

type Packages = Record<string, { version?: string; optional?: boolean }>;

describe('test harness: what npm start and npm test do first', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-harness-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function writeLocks(wanted: Packages, installed?: Packages): void {
    const lock = (packages: Packages) =>
      JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...packages } });
    fs.writeFileSync(path.join(dir, 'package-lock.json'), lock(wanted));
    if (installed) {
      fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), lock(installed));
    }
  }

  describe('dependenciesOutOfDate', () => {
    const wanted: Packages = {
      'node_modules/mocha': { version: '11.8.0' },
      'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', optional: true },
    };

    it('is satisfied when node_modules holds every locked version (optional ones may be missing)', () => {
      writeLocks(wanted, { 'node_modules/mocha': { version: '11.8.0' } });
      assert.equal(dependenciesOutOfDate(dir), undefined);
    });

    it('asks for npm ci on a fresh clone (no node_modules)', () => {
      writeLocks(wanted);
      assert.equal(dependenciesOutOfDate(dir), 'node_modules is missing');
    });

    it('asks for npm ci when node_modules was not installed by npm from a lock file', () => {
      writeLocks(wanted);
      fs.mkdirSync(path.join(dir, 'node_modules'));
      assert.match(dependenciesOutOfDate(dir) ?? '', /not installed from the lock file/);
    });

    it('names the package whose version differs from the lock file', () => {
      writeLocks(wanted, { 'node_modules/mocha': { version: '10.0.0' } });
      assert.equal(dependenciesOutOfDate(dir), 'mocha is 10.0.0, the lock file wants 11.8.0');
    });

    it('names a locked package that is not installed', () => {
      writeLocks(
        { ...wanted, 'node_modules/typescript': { version: '5.9.3' } },
        {
          'node_modules/mocha': { version: '11.8.0' },
        },
      );
      assert.equal(dependenciesOutOfDate(dir), 'typescript is not installed');
    });
  });

  describe('the persistent playground', () => {
    it('copies the template once and never overwrites the student’s edits', () => {
      const target = path.join(dir, 'playground');
      const template = path.join(repoRoot, 'templates', 'playground');
      assert.equal(ensurePlayground(template, target), true);
      assert.deepEqual(fs.readdirSync(target).sort(), fs.readdirSync(template).sort());
      for (const program of ['UDPClient.py', 'UDPServer.py', 'TCPClient.py', 'TCPServer.py']) {
        assert.ok(fs.existsSync(path.join(target, program)), program);
      }
      fs.writeFileSync(path.join(target, 'UDPClient.py'), '# my own client\n');
      assert.equal(ensurePlayground(template, target), false);
      assert.equal(fs.readFileSync(path.join(target, 'UDPClient.py'), 'utf8'), '# my own client\n');
    });

    it('registers the repository as an installed extension and keeps other entries', () => {
      const extensionsDir = path.join(dir, 'extensions');
      fs.mkdirSync(extensionsDir);
      const other = { identifier: { id: 'someone.else' }, version: '1.0.0' };
      fs.writeFileSync(path.join(extensionsDir, 'extensions.json'), JSON.stringify([other]));
      const id = registerExtension(extensionsDir, repoRoot);
      registerExtension(extensionsDir, repoRoot); // a second start replaces its own entry
      assert.equal(id, 'socket-playground.socket-playground');
      const entries = JSON.parse(fs.readFileSync(path.join(extensionsDir, 'extensions.json'), 'utf8')) as {
        identifier: { id: string };
        location?: { path: string; scheme: string };
      }[];
      assert.deepEqual(
        entries.map((e) => e.identifier.id),
        ['someone.else', 'socket-playground.socket-playground'],
      );
      assert.equal(entries[1]?.location?.path, repoRoot);
      assert.equal(entries[1]?.location?.scheme, 'file');
    });
  });
});
