// UI test: labs in the Testing view of the real workbench. A workspace with the student's UDPClient.py (correct)
// and TCPClient.py (it never reads the reply), and two lab files pointing the client labs at free ports: the
// labs appear as tests, running one shows its checks as children, passed or failed, and the failed check's
// message in the test results. Screenshots of both.
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  closeWorkbench,
  openWorkbench,
  repoRoot,
  runPaletteCommand,
  screenshot,
  screenshotIfFailed,
  selectors,
  unhandledRejections,
  type Workbench,
} from './workbench';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'labs');

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The student's file: a fixture with its default port set to the lab's, as a student would write it. */
function studentFile(folder: string, fixture: string, name: string, port: number): void {
  const text = fs.readFileSync(path.join(FIXTURES, fixture), 'utf8').replace(/else 12000/, `else ${port}`);
  fs.writeFileSync(path.join(folder, name), text);
}

function testRow(page: Page, label: string): Locator {
  return page.locator('.part.sidebar .monaco-list-row').filter({ hasText: label });
}

/** Expands a test's row to show its checks (they are added when the run reports them). */
async function expand(page: Page, row: Locator): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await row.getAttribute('aria-expanded')) !== 'true' && Date.now() < deadline) {
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
    }
    await page.waitForTimeout(200);
  }
}

async function runTestRow(page: Page, label: string): Promise<void> {
  const row = testRow(page, label).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.hover();
  await row.locator('.action-label[aria-label^="Run Test"]').click();
}

describe('Labs in the Testing view (ui)', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let page: Page;
  let anyFailed = false;
  // Made in before(), not when the file loads: a run whose --grep leaves this suite out makes no folder to leak.
  let root = '';
  let folder = '';

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-ui-labs-'));
    folder = path.join(root, 'assignment');
    fs.mkdirSync(folder);
    const udpPort = await freeUdpPort();
    const tcpPort = await freeUdpPort();
    studentFile(folder, 'udp_client.py', 'UDPClient.py', udpPort);
    studentFile(folder, 'tcp_client_no_read.py', 'TCPClient.py', tcpPort);
    const lab = (id: string, base: string, title: string, port: number) =>
      fs.writeFileSync(
        path.join(folder, `${id}.lab.json`),
        JSON.stringify({ id, extends: base, title, params: { port } }, null, 2),
      );
    lab('my-udp-client', 'udp-uppercase-client', 'My UDP client', udpPort);
    lab('my-tcp-client', 'tcp-uppercase-client', 'My TCP client', tcpPort);
    wb = await openWorkbench('ui-labs', { folder });
    page = wb.page;
  });

  afterEach(async function () {
    anyFailed = (await screenshotIfFailed(this.currentTest, page, 'labs-')) || anyFailed;
  });

  after(async () => {
    await closeWorkbench(wb, anyFailed);
    if (root) {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('lists the labs, built-in and from the lab files, as tests', async () => {
    await page.locator(selectors.activityBarItem).waitFor({ state: 'visible', timeout: 60_000 });
    // Any command activates the extension; its test controller then shows the labs in the Testing view.
    await runPaletteCommand(page, 'Socket Playground: Show Output');
    await runPaletteCommand(page, 'Testing: Focus on Test Explorer View');
    await testRow(page, 'My UDP client').first().waitFor({ state: 'visible', timeout: 30_000 });
    await testRow(page, 'UDP Pinger').first().waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('a passing lab: the test and each of its checks pass', async () => {
    await runTestRow(page, 'My UDP client');
    const row = testRow(page, 'My UDP client').first();
    await row.locator('.codicon-testing-passed-icon').waitFor({ state: 'visible', timeout: 30_000 });
    await expand(page, row);
    for (const check of [
      'Sent the sentence to port',
      'Got the uppercase reply',
      'Printed the reply',
      'Exited',
    ]) {
      await testRow(page, check).first().locator('.codicon-testing-passed-icon').waitFor({ timeout: 30_000 });
    }
    await screenshot(page, 'labs-testing-view-passed');
  });

  it('a failing lab: the failed check says what to change', async () => {
    // Collapse the passing lab so the failing one's checks are the only ones with these titles in view.
    const passing = testRow(page, 'My UDP client').first();
    if ((await passing.getAttribute('aria-expanded')) === 'true') {
      await passing.locator('.monaco-tl-twistie').click();
    }
    await runTestRow(page, 'My TCP client');
    const row = testRow(page, 'My TCP client').first();
    await row.locator('.codicon-testing-failed-icon').waitFor({ state: 'visible', timeout: 30_000 });
    await expand(page, row);
    const printed = testRow(page, 'Printed the reply').first();
    await printed.locator('.codicon-testing-failed-icon').waitFor({ timeout: 30_000 });
    await testRow(page, 'Sent the sentence to port')
      .first()
      .locator('.codicon-testing-passed-icon')
      .waitFor({ timeout: 30_000 });
    // The failed check's message, in the Test Results view: its row, and selected, the whole message.
    const message = page
      .locator('.monaco-list-row')
      .filter({ hasText: /Printed the reply\s*Expected your program to print the reply/ })
      .first();
    await message.waitFor({ state: 'visible', timeout: 30_000 });
    await message.click();
    // One sentence a paragraph (the message view does not wrap a long line): the question, then what to call.
    const question = page.locator('.rendered-markdown p', { hasText: 'Did it read the reply?' }).first();
    await question.waitFor({ state: 'visible', timeout: 30_000 });
    // Plain spaces, so that a long line wraps (no-break spaces would make it one line).
    assert.equal((await question.innerText()).trim(), 'Did it read the reply?');
    const call = page.locator('.rendered-markdown p', { hasText: 'After sending, call' }).first();
    assert.match(await call.innerText(), /^After sending, call clientSocket\.recv\(1024\)/);
    await screenshot(page, 'labs-testing-view-failed');
  });

  it('leaves no unhandled promise rejection in the extension host', () => {
    assert.deepEqual(unhandledRejections(wb!.hostConsole), []);
  });
});
