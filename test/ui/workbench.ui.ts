// UI test: the Sockets view in a real VS Code workbench (code-server) driven in headless Chromium with
// playwright-core (docs/testing.md). Runs in plain mocha, outside the extension host:
//   mocha --ui bdd --timeout 120000 out/test/ui/**/*.ui.js      (scripts/test.mjs does this as the `ui` stage)
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  answerPrompts,
  closeWorkbench,
  openCommandPalette,
  openWorkbench,
  runPaletteCommand,
  screenshot,
  selectors,
  unhandledRejections,
  type Workbench,
  screenshotIfFailed,
} from './workbench';
import { canBind } from './peers';

/** Whether this process can bind the port right now (the extension host is another process). */

describe('Workbench UI (ui)', function () {
  this.timeout(120_000);

  let wb: Workbench | undefined;
  let page: Page;
  let anyFailed = false;

  before(async () => {
    wb = await openWorkbench('ui');
    page = wb.page;
  });

  afterEach(async function () {
    anyFailed = (await screenshotIfFailed(this.currentTest, page, '')) || anyFailed;
  });

  after(async () => {
    await closeWorkbench(wb, anyFailed);
  });

  it('shows Socket Playground in the activity bar', async () => {
    await page.locator(selectors.activityBarItem).waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('shows the welcome content in the empty Sockets view', async () => {
    await page.locator(selectors.activityBarItem).click();
    // Move away so the item's hover tooltip does not cover the view in the screenshot.
    await page.mouse.move(800, 600);
    const welcome = page
      .locator(selectors.sidebar)
      .getByText(/No sockets/i)
      .first();
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, '01-empty-sockets-view');
  });

  it('starts a UDP server from the command palette and lists it in the tree', async () => {
    await page
      .locator(selectors.sidebar)
      .click({ position: { x: 5, y: 5 } })
      .catch(() => undefined);
    const input = await openCommandPalette(page);
    await input.pressSequentially('Socket Playground: Start UDP Server');
    await page
      .locator(selectors.quickInputRows, { hasText: 'Start UDP Server' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, '02-command-palette');
    await input.press('Enter');

    let portAnswered = false;
    const prompts = await answerPrompts(
      page,
      (prompt) => {
        if (!portAnswered && /port/i.test(prompt)) {
          portAnswered = true;
          return '0';
        }
        return undefined;
      },
      () => screenshot(page, '03-port-prompt'),
    );
    assert.ok(portAnswered, `no input box asked for a port; prompts seen: ${JSON.stringify(prompts)}`);
    assert.equal(
      await page.locator(selectors.quickInput).isVisible(),
      false,
      `the quick input is still open; prompts seen: ${JSON.stringify(prompts)}`,
    );

    const row = page.locator(selectors.treeRows, { hasText: /UDP server/i }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, '04-udp-server-started');
  });

  it('reloading the window with sockets open closes them: every port is free again', async () => {
    await runPaletteCommand(page, 'Socket Playground: Start TCP Server', (prompt) =>
      /port/i.test(prompt) ? '0' : undefined,
    );
    const ports: Array<[number, 'tcp' | 'udp']> = [];
    for (const [label, proto] of [
      [/UDP server/, 'udp'],
      [/TCP server/, 'tcp'],
    ] as const) {
      const row = page.locator(selectors.treeRows, { hasText: label }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      const m = /127\.0\.0\.1:(\d+)/.exec(await row.innerText());
      assert.ok(m, await row.innerText());
      ports.push([Number(m[1]), proto]);
    }
    for (const [port, proto] of ports) {
      assert.equal(await canBind(port, proto), false, `${proto} ${port} is held before the reload`);
    }
    await runPaletteCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // deactivate() closes every socket and awaits it: the ports come free without waiting for any timeout.
    for (const [port, proto] of ports) {
      let free = false;
      // The reload's end is not an event this page sees: try to bind until it works, within a generous bound.
      for (const deadline = Date.now() + 30_000; !free && Date.now() < deadline;) {
        free = await canBind(port, proto);
        if (!free) {
          await page.waitForTimeout(100);
        }
      }
      assert.ok(free, `${proto} port ${port} is free after the reload`);
    }
    // The restored window shows the view again (clicking its activity-bar item would hide it), now empty.
    const welcome = page
      .locator(selectors.sidebar)
      .getByText(/No sockets/i)
      .first();
    // Clicking an open container's item would hide it, and on a busy machine the restore may still be on its
    // way: decide by the item's state (checked once its container is open), not by what is on screen yet.
    const item = page.locator('.part.activitybar li.action-item', {
      has: page.locator('a.action-label[aria-label^="Socket Playground"]'),
    });
    const open = /\bchecked\b/.test((await item.first().getAttribute('class')) ?? '');
    if (!open && !(await welcome.isVisible().catch(() => false))) {
      await page.locator(selectors.activityBarItem).click();
    }
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, '05-after-reload');
  });

  it('leaves no unhandled promise rejection in the extension host', async () => {
    // VS Code reports a rejection that stays unhandled for one second.
    await page.waitForTimeout(2_500); // a second, and room for a busy machine
    assert.deepEqual(unhandledRejections(wb!.hostConsole), []);
  });
});
