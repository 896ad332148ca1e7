// UI test: a student's scenario file in the real workbench. A `.sockets` file with a passing and a failing
// block is opened from Quick Open, highlighted, and run with the Run All lens; each line gets its ✓ or ✗ mark
// with the bytes that came, and the Testing view lists the file with one passed and one failed block.
// The suite works on a copy of the fixture workspace (the web workbench saves edits on its own).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  closeWorkbench,
  openWorkbench,
  quickOpen,
  runPaletteCommand,
  screenshot,
  screenshotIfFailed,
  unhandledRejections,
  workspace,
  type Workbench,
} from './workbench';

const FILE = 'uppercase.sockets';
const SCENARIO = [
  '# Two conversations with the playground uppercase server: one right, one wrong.',
  '@timeout = 10000', // generous: a reply on a busy machine can take seconds; the wrong block fails on content
  '',
  '### Uppercase over UDP',
  'server udp uppercase 0',
  'udp 127.0.0.1:{{serverPort}}',
  '> hello from the editor',
  '< HELLO FROM THE EDITOR',
  '',
  '### Expects lowercase (fails)',
  'server tcp uppercase 0',
  'tcp 127.0.0.1:{{serverPort}}',
  '> hello',
  '< hello',
  '> not sent',
  '',
].join('\n');

/** The texts the editor draws after lines (decorations' `after` content is CSS, not DOM text). */
async function inlineMarks(page: Page): Promise<string[]> {
  return page.locator('.part.editor .monaco-editor .view-lines span').evaluateAll((els) =>
    els
      .map((el) => getComputedStyle(el, '::after').content)
      .filter((c) => c && c !== 'none' && c !== 'normal' && c !== '""')
      .map((c) => c.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1')),
  );
}

async function waitForMarks(page: Page, want: RegExp[], timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let marks: string[] = [];
  for (;;) {
    marks = await inlineMarks(page);
    if (want.every((re) => marks.some((m) => re.test(m))) || Date.now() > deadline) {
      break;
    }
    await page.waitForTimeout(100);
  }
  for (const re of want) {
    assert.ok(
      marks.some((m) => re.test(m)),
      `a mark matching ${re} among ${JSON.stringify(marks)}`,
    );
  }
  return marks;
}

describe('Scenario files (ui)', function () {
  this.timeout(180_000);

  let wb: Workbench | undefined;
  let page: Page;
  let anyFailed = false;
  // Made in before(), not when the file loads: a run whose --grep leaves this suite out makes no folder to leak.
  let copyRoot = '';
  let folder = '';

  before(async () => {
    copyRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-ui-scenarios-'));
    folder = path.join(copyRoot, 'workspace');
    fs.cpSync(workspace, folder, { recursive: true });
    fs.writeFileSync(path.join(folder, FILE), SCENARIO);
    wb = await openWorkbench('ui-scenarios', { folder });
    page = wb.page;
  });

  afterEach(async function () {
    anyFailed = (await screenshotIfFailed(this.currentTest, page, 'scenarios-')) || anyFailed;
  });

  after(async () => {
    await closeWorkbench(wb, anyFailed);
    if (copyRoot) {
      fs.rmSync(copyRoot, { recursive: true, force: true });
    }
  });

  it('Run All marks each line passed or failed, with the bytes that came', async () => {
    await quickOpen(page, FILE);

    // The grammar colours the lines: the send and expect markers are tokens of their own.
    const sendLine = page.locator('.part.editor .view-line', { hasText: '> hello from the editor' }).first();
    await sendLine.waitFor({ timeout: 30_000 });
    // Tokens arrive after the text (the grammar runs in the background): wait for a second one to be drawn.
    await sendLine
      .locator('span span')
      .nth(1)
      .waitFor({ state: 'attached', timeout: 30_000 })
      .catch(() => undefined);
    assert.ok(
      (await sendLine.locator('span span').count()) > 1,
      'the send line is split into coloured tokens',
    );

    const runAll = page.locator('.part.editor .codelens-decoration a', { hasText: 'Run All' });
    await runAll.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator('.part.editor .codelens-decoration a', { hasText: 'Send' }).count(), 2);
    await runAll.first().click();

    const marks = await waitForMarks(page, [
      /^✓ passed in \d+ ms$/,
      /^✗ failed \(1 step\)$/,
      /^✓ received "HELLO FROM THE EDITOR"/,
      /^✗ expected "hello" \(68 65 6c 6c 6f\).*"HELLO" \(48 45 4c 4c 4f\)/,
      /^– skipped/,
    ]);
    assert.ok(marks.length >= 10, `a mark on every step line: ${JSON.stringify(marks)}`);
    await page.mouse.move(5, 5);
    await screenshot(page, '40-scenario-run-inline');
  });

  it('the Testing view shows the file as a suite with one passed and one failed block', async () => {
    await runPaletteCommand(page, 'View: Show Testing');
    const tree = page.locator('.part.sidebar .test-explorer');
    await tree.waitFor({ state: 'visible', timeout: 30_000 });
    const file = page.locator('.part.sidebar .monaco-list-row', { hasText: FILE });
    await file.first().waitFor({ state: 'visible', timeout: 30_000 });
    // Expand the suite when it is collapsed, to show its blocks.
    const block = page.locator('.part.sidebar .monaco-list-row', { hasText: 'Uppercase over UDP' });
    if (!(await block.isVisible())) {
      await file.first().click();
    }
    await block.waitFor({ state: 'visible', timeout: 30_000 });
    const failing = page.locator('.part.sidebar .monaco-list-row', { hasText: 'Expects lowercase (fails)' });
    await failing.waitFor({ state: 'visible', timeout: 30_000 });
    // The result icons are drawn once the run's results reach the view: wait for them, then count.
    await block
      .locator('.codicon-testing-passed-icon')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    await failing
      .locator('.codicon-testing-failed-icon')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    assert.equal(await block.locator('.codicon-testing-passed-icon').count(), 1, 'the UDP block passed');
    assert.equal(await failing.locator('.codicon-testing-failed-icon').count(), 1, 'the TCP block failed');
    await screenshot(page, '41-scenario-testing-view');
    assert.deepEqual(unhandledRejections(wb!.hostConsole), []);
  });
});
