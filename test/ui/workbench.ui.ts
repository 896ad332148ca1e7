// UI tests: the extension in a real VS Code workbench (code-server) driven in headless Chromium with
// playwright-core (docs/offline-vscode-host.md). Runs in plain mocha, outside the extension host:
//   mocha --ui bdd --timeout 120000 out/test/ui/**/*.ui.js      (scripts/test.mjs does this as the `ui` stage)
// Screenshots go to test-results/screenshots/. SP_UI_EXTENSION_PATH loads another extension folder instead of
// the repo (to try the harness on its own).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

/** Compiled to out/test/ui/workbench.ui.js: three levels below the repo root. */
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const screenshotsDir = path.join(repoRoot, 'test-results', 'screenshots');
const workspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
const extensionPath = path.resolve(process.env.SP_UI_EXTENSION_PATH ?? repoRoot);

//#region scripts/*.mjs, typed here
interface CodeServer {
  url: string;
  host: string;
  port: number;
  stop(options?: { keepLogs?: boolean }): Promise<string | undefined>;
}
interface CodeServerModule {
  startCodeServer(options: { workspace?: string; label?: string }): Promise<CodeServer>;
  workbenchUrl(server: CodeServer, options: { folder?: string; extensionDevelopmentPath?: string }): string;
  launchBrowser(): Promise<Browser>;
}
interface InstallHostModule {
  installHost(options?: { quiet?: boolean }): Promise<string>;
}

/** The scripts are ES modules and this file is CommonJS; Node ≥ 20.19 can require() ES modules. */
function loadScript<T>(name: string): T {
  const load = createRequire(__filename);
  try {
    return load(path.join(repoRoot, 'scripts', name)) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') {
      throw new Error(`The UI tests need Node >= 20.19 (require of ES modules); this is ${process.version}.`);
    }
    throw err;
  }
}
//#endregion

const selectors = {
  activityBarItem: '.part.activitybar a.action-label[aria-label^="Socket Playground"]',
  sidebar: '.part.sidebar',
  treeRows: '.part.sidebar .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRows: '.quick-input-widget .quick-input-list .monaco-list-row',
};

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  // Icons (CSS masks fetched from the server) and the theme arrive after the DOM: let the requests settle so
  // the picture shows what a user sees. WebSocket traffic does not count against "networkidle".
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });
}

/** What the quick input currently asks: its title, placeholder, prompt/validation message and list. */
async function describeQuickInput(page: Page): Promise<{ text: string; isList: boolean }> {
  const widget = page.locator(selectors.quickInput);
  const title = await widget
    .locator('.quick-input-title')
    .innerText()
    .catch(() => '');
  const message = await widget
    .locator('.quick-input-message')
    .innerText()
    .catch(() => '');
  const placeholder =
    (await page
      .locator(selectors.quickInputBox)
      .getAttribute('placeholder')
      .catch(() => '')) ?? '';
  const isList = await page
    .locator(selectors.quickInputRows)
    .first()
    .isVisible()
    .catch(() => false);
  return { text: [title, placeholder, message].filter(Boolean).join(' | '), isList };
}

async function isVisible(locator: Locator, timeoutMs: number): Promise<boolean> {
  try {
    await locator.waitFor({ state: 'visible', timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}

/**
 * Answers the prompts a command shows after it is picked from the palette: `answer(prompt)` gives the text to
 * type into an input box, or undefined to accept what is there (Enter). Returns the prompts seen.
 */
async function answerPrompts(
  page: Page,
  answer: (prompt: string) => string | undefined,
  onAnswer: (prompt: string) => Promise<void> = async () => undefined,
  maxSteps = 10,
): Promise<string[]> {
  const widget = page.locator(selectors.quickInput);
  const seen: string[] = [];
  for (let step = 0; step < maxSteps; step++) {
    // The palette closes before the command's first prompt opens; a prompt that opens later than this is not ours.
    if (!(await isVisible(widget, 3_000))) {
      return seen;
    }
    // Let the prompt finish rendering (list items, default value) before answering it.
    await page.waitForTimeout(200);
    const { text, isList } = await describeQuickInput(page);
    seen.push(`${isList ? 'pick' : 'input'}: ${text}`);
    const input = page.locator(selectors.quickInputBox);
    const typed = isList ? undefined : answer(text);
    if (typed !== undefined) {
      await input.press('Control+A');
      await input.pressSequentially(typed);
      await onAnswer(text);
    }
    await input.press('Enter');
    // Wait for this prompt to close or change into the next one.
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline) {
      if (!(await widget.isVisible())) {
        break;
      }
      const next = await describeQuickInput(page);
      if (next.text !== text || next.isList !== isList) {
        break;
      }
      await page.waitForTimeout(100);
    }
  }
  return seen;
}

describe('Workbench UI (ui)', function () {
  this.timeout(120_000);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let anyFailed = false;
  const hostConsole: string[] = [];

  before(async () => {
    const { installHost } = loadScript<InstallHostModule>('installHost.mjs');
    const { startCodeServer, workbenchUrl, launchBrowser } = loadScript<CodeServerModule>('codeServer.mjs');
    await installHost({ quiet: true });
    server = await startCodeServer({ workspace, label: 'ui' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // With an extension under development the workbench mirrors the extension host's console here.
    page.on('console', (msg) => hostConsole.push(msg.text()));
    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: extensionPath }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state === 'failed' && page) {
      anyFailed = true;
      const slug = test.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await screenshot(page, `failure-${slug}`).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    const saved = await server?.stop({ keepLogs: anyFailed });
    if (saved) {
      console.log(`    host logs kept in ${path.relative(repoRoot, saved)}`);
    }
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
    await welcome.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, '01-empty-sockets-view');
  });

  it('starts a UDP server from the command palette and lists it in the tree', async () => {
    await page
      .locator(selectors.sidebar)
      .click({ position: { x: 5, y: 5 } })
      .catch(() => undefined);
    await page.keyboard.press('F1');
    const input = page.locator(selectors.quickInputBox);
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.pressSequentially('Socket Playground: Start UDP Server');
    await page
      .locator(selectors.quickInputRows, { hasText: 'Start UDP Server' })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
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
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, '04-udp-server-started');
  });

  it('leaves no unhandled promise rejection in the extension host', async () => {
    // VS Code reports a rejection that stays unhandled for one second.
    await page.waitForTimeout(1_200);
    const rejections = hostConsole
      .filter((line) => /rejected promise not handled|unhandled (promise )?rejection/i.test(line))
      // Console lines from the extension host carry %c styling placeholders and their CSS arguments.
      .map((line) => line.replace(/%c/g, '').replace(/(\s*color: [^\s]*)+\s*$/, ''));
    assert.deepEqual(rejections, []);
  });
});
