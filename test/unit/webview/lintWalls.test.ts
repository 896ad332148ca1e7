// The lint walls of the webview, run on probe text: a future edit cannot quietly drop a ban.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

describe('lint: the webview never parses HTML and imports only shared/ and itself', function () {
  this.timeout(60_000);
  const probes: Array<[string, string]> = [
    [
      'Object.assign(el, { innerHTML })',
      'export const f = (el: HTMLElement, s: string) => Object.assign(el, { innerHTML: s });',
    ],
    [
      "Object.assign(el, { 'outerHTML': s })",
      "export const f = (el: HTMLElement, s: string) => Object.assign(el, { 'outerHTML': s });",
    ],
    ['el.innerHTML =', 'export const f = (el: HTMLElement, s: string) => { el.innerHTML = s; };'],
    ["el['innerHTML'] =", "export const f = (el: HTMLElement, s: string) => { el['innerHTML'] = s; };"],
    ['new DOMParser()', "export const f = (s: string) => new DOMParser().parseFromString(s, 'text/html');"],
    ['window.DOMParser', 'export const f = () => new window.DOMParser();'],
    [
      'createContextualFragment',
      'export const f = (s: string) => document.createRange().createContextualFragment(s);',
    ],
    ['document.write', 'export const f = (s: string) => document.write(s);'],
    [
      'insertAdjacentHTML',
      "export const f = (el: HTMLElement, s: string) => el.insertAdjacentHTML('beforeend', s);",
    ],
    ['an import of core/', "import { toRow } from '../core/traffic/panelRows';\nexport const f = toRow;"],
    ['an import of vscode', "import * as vscode from 'vscode';\nexport const f = vscode;"],
  ];
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: repoRoot });
  });
  for (const [name, code] of probes) {
    it(`refuses ${name}`, async () => {
      const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, 'src/webview/probe.ts') });
      const rules = result!.messages.map((m) => m.ruleId);
      assert.ok(
        rules.some((r) => r?.startsWith('no-restricted-')),
        `expected a no-restricted-* error, got ${JSON.stringify(result!.messages.map((m) => m.message))}`,
      );
    });
  }

  it('lets textContent and an import of shared/ through', async () => {
    const code =
      "import { toHex } from '../shared/bytes';\nexport const f = (el: HTMLElement, b: Uint8Array) => { el.textContent = toHex(b); };\n";
    const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, 'src/webview/probe.ts') });
    assert.deepEqual(
      result!.messages.map((m) => m.message),
      [],
    );
  });
});
