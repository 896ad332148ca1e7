// UI test: the Ports view's tooltip, in a real workbench, for a program whose command line is hostile Markdown.
// The tooltip must show the command line literally: no link (a command link would run a playground command),
// no image, no bold, no theme icon.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  closeWorkbench,
  openWorkbench,
  runPaletteCommand,
  screenshot,
  screenshotIfFailed,
  selectors,
  type Workbench,
} from './workbench';
import { TEXTBOOK } from './peers';

/**
 * Extra arguments UDPServer.py ignores: they only make its command line hostile. Short, because the view keeps
 * the first 200 characters of a command line, and the interpreter's path comes first.
 */
const HOSTILE = [
  '[go](command:socketPlayground.closeAll)',
  // A backtick ended the code span the command line was once shown in (and was replaced by a quote).
  '`id`|x',
  '$(zap)',
  '<img src=x>',
  '**b**',
];

describe('Ports view (ui)', function () {
  this.timeout(120_000);

  let wb: Workbench | undefined;
  let page: Page;
  let anyFailed = false;
  let server: ChildProcess | undefined;
  let port = 0;

  before(async () => {
    server = spawn('python3', [path.join(TEXTBOOK, 'UDPServer.py'), '0', '127.0.0.1', ...HOSTILE], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      server!.once('error', reject);
      server!.once('exit', (code) => reject(new Error(`UDPServer.py exited with ${code}`)));
      server!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /on port (\d+)/.exec(out);
        if (m) {
          resolve(Number(m[1]));
        }
      });
    });
    wb = await openWorkbench('ports');
    page = wb.page;
  });

  afterEach(async function () {
    anyFailed = (await screenshotIfFailed(this.currentTest, page, '')) || anyFailed;
  });

  after(async () => {
    server?.kill();
    await closeWorkbench(wb, anyFailed);
  });

  it("a program's command line with Markdown, HTML and icons shows literally in the tooltip, and nothing in it is a link", async function () {
    if (process.platform !== 'linux') {
      this.skip(); // the program's name and command line come from /proc: Linux only
    }
    await page.locator(selectors.activityBarItem).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator(selectors.activityBarItem).click();
    await runPaletteCommand(page, 'Socket Playground: Refresh Ports');
    // The group may have been drawn before the first read (empty, so collapsed): open it.
    const group = page.locator(selectors.treeRows, { hasText: 'UDP ports bound on this machine' }).first();
    await group.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await group.getAttribute('aria-expanded')) !== 'true') {
      await group.click();
    }
    const row = page.locator(selectors.treeRows, { hasText: `127.0.0.1:${port}` }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await row.innerText(), /python3 \(pid \d+\)/, 'the row names the program');
    await row.hover();
    const tooltip = page
      .locator('.monaco-hover, .workbench-hover')
      .filter({ hasText: /command/ })
      .first();
    await tooltip.waitFor({ state: 'visible', timeout: 15_000 });
    const text = await tooltip.innerText();
    for (const piece of HOSTILE) {
      assert.ok(text.includes(piece), `"${piece}" is shown as written: ${text}`);
    }
    assert.equal(await tooltip.locator('a').count(), 0, 'no link, no command link');
    assert.equal(await tooltip.locator('img').count(), 0, 'no image');
    assert.equal(await tooltip.locator('strong, b').filter({ hasText: /^b$/ }).count(), 0, 'no bold');
    assert.equal(await tooltip.locator('.codicon-zap').count(), 0, 'no theme icon');
    await screenshot(page, '40-ports-hostile-command-line');
    await page.mouse.move(900, 700);
  });
});
