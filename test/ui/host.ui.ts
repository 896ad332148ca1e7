// UI tests of the host's hardening in a real workbench: the Ports view's tooltip for a program whose command
// line is hostile Markdown (shown literally: no link, since a command link would run a playground command, no
// image, no bold, no theme icon), and Export Traffic from the palette onto an existing file or a link.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  closeWorkbench,
  openCommandPalette,
  openWorkbench,
  runPaletteCommand,
  screenshot,
  screenshotIfFailed,
  selectors,
  step,
  type Workbench,
} from './workbench';
import { startPythonServer } from './peers';

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

describe('Host hardening (ui)', function () {
  this.timeout(120_000);

  let wb: Workbench | undefined;
  let page: Page;
  let anyFailed = false;
  let server: ChildProcess | undefined;
  let port = 0;

  before(async () => {
    ({ proc: server, port } = await startPythonServer('UDPServer.py', '127.0.0.1', HOSTILE));
    wb = await openWorkbench('host');
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
    const group = page.locator(selectors.treeRows, { hasText: 'UDP ports bound' }).first();
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
    await tooltip.waitFor({ state: 'visible', timeout: 30_000 });
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

  /**
   * Runs Export Traffic from the palette, picks JSON Lines, enters `file` into the save dialog and presses Enter
   * once the dialog lists the file's folder.
   */
  async function exportTo(file: string): Promise<void> {
    const name = path.basename(file);
    const input = await openCommandPalette(page);
    await input.pressSequentially('Socket Playground: Export Traffic');
    const command = page
      .locator(selectors.quickInputRows)
      .filter({ hasText: /^Socket Playground: Export Traffic/ })
      .first();
    await step(page, 'the palette lists Socket Playground: Export Traffic', () =>
      command.waitFor({ state: 'visible', timeout: 30_000 }),
    );
    await command.click();
    const jsonl = page.locator(selectors.quickInputRows, { hasText: 'JSON Lines' }).first();
    await step(page, 'Export Traffic asks for a format and offers JSON Lines', () =>
      jsonl.waitFor({ state: 'visible', timeout: 30_000 }),
    );
    await jsonl.click();
    // The save dialog: a quick input holding the proposed path once it has listed the proposed folder.
    await step(page, 'the save dialog opens on socket-playground.jsonl', () =>
      page.waitForFunction(
        (sel) =>
          (document.querySelector(sel) as HTMLInputElement | null)?.value.endsWith('socket-playground.jsonl'),
        selectors.quickInputBox,
        { timeout: 30_000 },
      ),
    );
    // The whole path at once, as a paste, not key by key. Typed, every prefix makes the dialog list another folder
    // (/, /tmp/, ...), each listing superseding the one before; but a superseded listing that lands late (a large
    // folder such as /tmp/ lands after the file's small one) still resets the folder the dialog thinks it is in.
    // The rows on screen are right, yet Enter is taken as "list this folder", not "save here": no question comes,
    // and only a second Enter would ask it. Pasted, the dialog lists one folder, the file's.
    await input.fill(file);
    await step(page, `the save dialog lists ${name}`, () =>
      page
        .locator(selectors.quickInputRows, { hasText: name })
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 }),
    );
    await input.press('Enter');
  }

  /** Answers the save dialog's "already exists" question with OK or Cancel, and waits for what follows. */
  async function answerOverwrite(name: string, choice: 'OK' | 'Cancel'): Promise<void> {
    const question = page.locator(selectors.quickInput).filter({ hasText: `${name} already exists` });
    await step(page, `the save dialog asks before replacing ${name}`, () =>
      question.waitFor({ state: 'visible', timeout: 30_000 }),
    );
    // The question replaces the dialog's title; OK and Cancel are buttons beside the path.
    await page
      .locator('.quick-input-widget .monaco-button')
      .filter({ hasText: new RegExp(`^${choice}$`) })
      .first()
      .click();
    if (choice === 'OK') {
      await step(page, `the save dialog closes after OK on ${name}`, () =>
        page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: 30_000 }),
      );
    } else {
      // Cancel goes back to the dialog, on the same path.
      await step(page, `the save dialog comes back after Cancel on ${name}`, () =>
        page
          .locator(selectors.quickInput)
          .filter({ hasNotText: 'already exists' })
          .filter({ hasText: 'Export Traffic' })
          .waitFor({ state: 'visible', timeout: 30_000 }),
      );
    }
  }

  it('Export Traffic from the palette asks before replacing a file, and refuses a symbolic link', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-ui-export-'));
    try {
      const file = path.join(dir, 'existing.jsonl');
      fs.writeFileSync(file, 'keep me\n');
      // Cancel: the file stays as it was.
      await exportTo(file);
      await answerOverwrite('existing.jsonl', 'Cancel');
      await page.keyboard.press('Escape');
      await step(page, 'Escape closes the save dialog', () =>
        page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: 30_000 }),
      );
      assert.equal(fs.readFileSync(file, 'utf8'), 'keep me\n', 'not replaced after Cancel');
      // OK: replaced by the export. Its toast stays 15 s unless the pointer is on it: it is looked for at once.
      await exportTo(file);
      await answerOverwrite('existing.jsonl', 'OK');
      await step(page, `a toast says the entries were exported to ${file}`, () =>
        page
          .locator('.notification-toast', { hasText: `entries to ${file}` })
          .first()
          .waitFor({ state: 'visible', timeout: 30_000 }),
      );
      assert.notEqual(fs.readFileSync(file, 'utf8'), 'keep me\n', 'replaced after OK');

      // A link chosen in the dialog: refused with a clear error, and the file it points to is untouched.
      const target = path.join(dir, 'precious.txt');
      fs.writeFileSync(target, 'precious');
      const link = path.join(dir, 'link.jsonl');
      fs.symlinkSync(target, link);
      await exportTo(link);
      await answerOverwrite('link.jsonl', 'OK');
      const error = page.locator('.notification-toast', { hasText: 'is a symbolic link' }).first();
      await step(page, 'an error toast says link.jsonl is a symbolic link', () =>
        error.waitFor({ state: 'visible', timeout: 30_000 }),
      );
      assert.match(
        await error.innerText(),
        new RegExp(`${link.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a symbolic link`),
      );
      await screenshot(page, '41-export-refuses-a-link');
      assert.equal(fs.readFileSync(target, 'utf8'), 'precious');
      assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is left as it was');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
