/** package.json and constants.ts must agree, and the commands of docs/contract.md must be contributed. */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Commands, Config, Views } from '../../src/constants';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/** The English text behind a `%key%` placeholder (titles and descriptions live in package.nls.json). */
const nls: Record<string, string> = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
const english = (s: string): string => (/^%.+%$/.test(s) ? (nls[s.slice(1, -1)] ?? s) : s);

describe('package.json', () => {
  const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);

  it('contributes exactly the commands in constants.ts', () => {
    assert.deepEqual([...contributed].sort(), Object.values(Commands).sort());
  });

  it('every command has the category, a Title Case title, and an icon', () => {
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Socket Playground', c.command);
      assert.match(english(c.title), /^[A-Z][\w]*( [A-Z][\w]*)*…?$/, c.title);
      assert.match(c.icon ?? '', /^\$\([a-z-]+\)$/, c.command);
    }
  });

  it('menus name only contributed commands', () => {
    for (const items of Object.values(pkg.contributes.menus) as Array<Array<{ command: string }>>) {
      for (const item of items) {
        assert.ok(contributed.includes(item.command), item.command);
      }
    }
  });

  it('views and settings match constants', () => {
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, Views.Container);
    assert.ok(pkg.contributes.views[Views.Container].some((v: { id: string }) => v.id === Views.Sockets));
    const props = Object.keys(pkg.contributes.configuration[0].properties);
    for (const key of Object.values(Config).filter((k) => k !== Config.Section)) {
      assert.ok(props.includes(`${Config.Section}.${key}`), key);
    }
    assert.equal(
      pkg.contributes.configuration[0].properties['socketPlayground.bindAddress'].default,
      '127.0.0.1',
    );
    assert.equal(
      pkg.contributes.configuration[0].properties['socketPlayground.allowRemoteBind'].default,
      false,
    );
    assert.equal(pkg.contributes.configuration[0].properties['socketPlayground.defaultPort'].default, 12000);
  });

  it('the contract commands this release ships are all there', () => {
    const spec = [
      'startUdpServer',
      'startTcpServer',
      'openUdpClient',
      'connectTcpClient',
      'send',
      'closeSocket',
      'closeAll',
      'listSockets',
      'clearTraffic',
      'exportTraffic',
    ];
    for (const c of spec) {
      assert.ok(contributed.includes(`socketPlayground.${c}`), c);
    }
  });

  it('engines.vscode is the minimum we test against and matches @types/vscode', () => {
    assert.equal(pkg.engines.vscode, '^1.100.0');
    assert.match(pkg.devDependencies['@types/vscode'], /1\.100/);
  });

  it('.vscodeignore is an allow-list', () => {
    const lines = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**');
    assert.ok(lines.slice(1).every((l) => l.startsWith('!')));
  });
});
