// Shared by the UI tests: the extension in a real VS Code workbench (code-server) driven in headless Chromium
// with playwright-core (docs/testing.md). Screenshots go to test-results/screenshots/.
// SP_UI_EXTENSION_PATH loads another extension folder instead of the repo (to try the harness on its own).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

/** Compiled to out/test/ui/workbench.js: three levels below the repo root. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const screenshotsDir = path.join(repoRoot, 'test-results', 'screenshots');
export const workspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
export const extensionPath = path.resolve(process.env.SP_UI_EXTENSION_PATH ?? repoRoot);

//#region scripts/*.mjs, typed here
export interface CodeServer {
  dirs: { userData: string };
  url: string;
  host: string;
  port: number;
  stop(options?: { keepLogs?: boolean }): Promise<string | undefined>;
}
export interface CodeServerModule {
  startCodeServer(options: { workspace?: string; label?: string; locale?: string }): Promise<CodeServer>;
  workbenchUrl(server: CodeServer, options: { folder?: string; extensionDevelopmentPath?: string }): string;
  launchBrowser(): Promise<Browser>;
}
export interface InstallHostModule {
  installHost(options?: { quiet?: boolean }): Promise<string>;
}

/** The scripts are ES modules and this file is CommonJS; Node ≥ 20.19 can require() ES modules. */
export function loadScript<T>(name: string): T {
  const load = createRequire(__filename);
  try {
    return load(path.join(repoRoot, 'test', 'harness', name)) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') {
      throw new Error(`The UI tests need Node >= 20.19 (require of ES modules); this is ${process.version}.`);
    }
    throw err;
  }
}
//#endregion

export const selectors = {
  activityBarItem: '.part.activitybar a.action-label[aria-label^="Socket Playground"]',
  sidebar: '.part.sidebar',
  treeRows: '.part.sidebar .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRows: '.quick-input-widget .quick-input-list .monaco-list-row',
};

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  // Icons (CSS masks fetched from the server) and the theme arrive after the DOM: let the requests settle so
  // the picture shows what a user sees. WebSocket traffic does not count against "networkidle".
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });
}

/**
 * For an afterEach hook: when the test that just ran failed, saves a screenshot named after it and returns true
 * (the suite then keeps the host's logs).
 */
export async function screenshotIfFailed(
  test: Mocha.Test | undefined,
  page: Page | undefined,
  prefix: string,
): Promise<boolean> {
  if (test?.state !== 'failed') {
    return false;
  }
  if (page) {
    const slug = test.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    await screenshot(page, `failure-${prefix}${slug}`).catch(() => undefined);
  }
  return true;
}

/** What the quick input currently asks: its title, placeholder, prompt/validation message and list. */
export async function describeQuickInput(page: Page): Promise<{ text: string; isList: boolean }> {
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

/**
 * One line saying what the quick input shows (open or closed, title, value, first rows) and which toasts are up:
 * what a failing step's message ends with, so that the failure says where the workbench stood.
 */
export async function workbenchState(page: Page): Promise<string> {
  const parts: string[] = [];
  if (await page.locator(selectors.quickInput).isVisible()) {
    const { text } = await describeQuickInput(page);
    const value = await page
      .locator(selectors.quickInputBox)
      .inputValue({ timeout: 1_000 })
      .catch(() => '?');
    const rows = await page
      .locator(selectors.quickInputRows)
      .allInnerTexts()
      .catch(() => []);
    const shown = rows.slice(0, 6).map((r) => r.split('\n')[0]);
    parts.push(
      `the quick input shows "${text}", value ${JSON.stringify(value)}, rows ${JSON.stringify(shown)}`,
    );
  } else {
    parts.push('no quick input is open');
  }
  const toasts = await page
    .locator('.notification-toast')
    .allInnerTexts()
    .catch(() => []);
  parts.push(toasts.length ? `toasts ${JSON.stringify(toasts.map((t) => t.split('\n')[0]))}` : 'no toast');
  return parts.join('; ');
}

/**
 * Runs one step of a UI flow. When it fails, the error names the step ("the save dialog lists x.jsonl") and
 * says what the workbench showed then, instead of a bare "locator.waitFor: Timeout 30000ms exceeded".
 */
export async function step<T>(page: Page, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    const state = await workbenchState(page).catch(() => 'the workbench did not answer');
    throw new Error(`step failed: ${what}: ${why} (${state})`, { cause: err });
  }
}

export async function isVisible(locator: Locator, timeoutMs: number): Promise<boolean> {
  try {
    await locator.waitFor({ state: 'visible', timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}

/**
 * What to do at one prompt: a string is typed into an input box; `{ pick }` is typed into a quick pick's filter
 * and the first item left (which must contain it) is chosen; undefined accepts what is there (Enter).
 */
export type PromptAnswer = string | { pick: string } | undefined;

/**
 * Answers the prompts a command shows after it is picked from the palette: `answer(prompt)` says what to do at
 * each (see PromptAnswer); strings are used at input boxes only, picks at lists only. Returns the prompts seen.
 *
 * Each step waits for a state of the widget, not for a time: the first prompt may take long to open (the command
 * may activate the extension first), so a caller that expects prompts gives `firstPromptMs` generously. Only the
 * end of a series has no event of its own: after a prompt closes, the next one must open within `nextPromptMs`.
 */
export async function answerPrompts(
  page: Page,
  answer: (prompt: string) => PromptAnswer,
  onAnswer: (prompt: string) => Promise<void> = async () => undefined,
  maxSteps = 10,
  { firstPromptMs = 30_000, nextPromptMs = 5_000 }: { firstPromptMs?: number; nextPromptMs?: number } = {},
): Promise<string[]> {
  const widget = page.locator(selectors.quickInput);
  const seen: string[] = [];
  for (let step = 0; step < maxSteps; step++) {
    if (!(await isVisible(widget, step === 0 ? firstPromptMs : nextPromptMs))) {
      return seen;
    }
    // The prompt says what it asks (a title, placeholder or prompt) once it is drawn: read it then. A prompt that
    // says nothing at all is answered as it is after the bound.
    let { text, isList } = await describeQuickInput(page);
    for (const deadline = Date.now() + 5_000; text === '' && Date.now() < deadline;) {
      await page.waitForTimeout(50);
      ({ text, isList } = await describeQuickInput(page));
    }
    const reply = answer(text);
    if (typeof reply === 'object' && !isList) {
      // A pick is expected here: its items may still be on their way. Wait for them, not for a guess.
      isList = await isVisible(page.locator(selectors.quickInputRows).first(), 15_000);
      text = (await describeQuickInput(page)).text;
    }
    seen.push(`${isList ? 'pick' : 'input'}: ${text}`);
    const input = page.locator(selectors.quickInputBox);
    if (isList && typeof reply === 'object') {
      await input.press('Control+A');
      await input.pressSequentially(reply.pick);
      // The list filters as it is typed: Enter must not pick what was first before the filter applied.
      await page
        .locator(selectors.quickInputRows)
        .first()
        .filter({ hasText: reply.pick })
        .waitFor({ state: 'visible', timeout: 30_000 });
      await onAnswer(text);
    } else if (!isList && typeof reply === 'string') {
      await input.press('Control+A');
      await input.pressSequentially(reply);
      await onAnswer(text);
    }
    await input.press('Enter');
    // Wait for this prompt to close or change into the next one (a state), generously.
    const deadline = Date.now() + 15_000;
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

/**
 * Waits until no quick input is open. A key that opens one (F1, Ctrl+P) while an earlier prompt is still up, or
 * still closing, would let the next keys land in that prompt; a prompt left open is a failure of its own.
 */
export async function quickInputClosed(page: Page, timeoutMs = 30_000): Promise<void> {
  await step(page, 'the quick input of the previous step closes', () =>
    page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: timeoutMs }),
  );
}

/**
 * Opens the command palette with F1 and waits until it is the palette that is open (its input holds the ">" it
 * starts with; F1 may wait for the extension host before the palette shows), so that typing goes into it.
 */
export async function openCommandPalette(page: Page): Promise<Locator> {
  await quickInputClosed(page);
  await page.keyboard.press('F1');
  const input = page.locator(selectors.quickInputBox);
  await step(page, 'F1 opens the command palette', async () => {
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForFunction(
      (sel) => (document.querySelector(sel) as HTMLInputElement | null)?.value.startsWith('>'),
      selectors.quickInputBox,
      { timeout: 30_000 },
    );
  });
  return input;
}

/** Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor tab is the active one. */
export async function quickOpen(page: Page, file: string): Promise<void> {
  await page.locator(selectors.activityBarItem).waitFor({ state: 'visible', timeout: 30_000 });
  await quickInputClosed(page);
  await page.keyboard.press('Control+P');
  const input = page.locator(selectors.quickInputBox);
  await step(page, 'Ctrl+P opens Quick Open', () => input.waitFor({ state: 'visible', timeout: 30_000 }));
  await input.pressSequentially(file);
  await step(page, `Quick Open lists ${file}`, () =>
    page
      .locator(selectors.quickInputRows, { hasText: file })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 }),
  );
  await input.press('Enter');
  await step(page, `${file} opens in the active editor tab`, () =>
    page.locator('.part.editor .tab.active', { hasText: file }).waitFor({ timeout: 30_000 }),
  );
}

/** Runs a palette command by its title and answers its prompts (see answerPrompts). */
export async function runPaletteCommand(
  page: Page,
  title: string,
  answer?: (prompt: string) => PromptAnswer,
): Promise<string[]> {
  const hasAnswers = answer !== undefined;
  answer ??= () => undefined;
  const input = await openCommandPalette(page);
  await input.pressSequentially(title);
  // The command itself, not the first fuzzy match ("Preferences: Color Theme" is listed after "Preferences:
  // Browse Color Themes in Marketplace").
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = page.locator(selectors.quickInputRows).filter({ hasText: new RegExp(`^${escaped}`) });
  await step(page, `the palette lists ${title}`, () =>
    row.first().waitFor({ state: 'visible', timeout: 30_000 }),
  );
  await row.first().click();
  // A command run with answers asks something: wait long for its first prompt. One run without answers asks
  // nothing (or takes the defaults); a prompt it opens later than this is not awaited.
  return answerPrompts(page, answer, undefined, 10, { firstPromptMs: hasAnswers ? 30_000 : 3_000 });
}

export type Workbench = { server: CodeServer; browser: Browser; page: Page; hostConsole: string[] };

/**
 * Starts code-server with the extension under development and opens the workbench in Chromium, on the fixture
 * workspace or on `folder` (a suite that edits files opens a copy: the web workbench saves edits after a second),
 * in VS Code's display language `locale` when given (e.g. `es`).
 */
export async function openWorkbench(
  label: string,
  { folder = workspace, locale }: { folder?: string; locale?: string } = {},
): Promise<Workbench> {
  const { installHost } = loadScript<InstallHostModule>('installHost.mjs');
  const { startCodeServer, workbenchUrl, launchBrowser } = loadScript<CodeServerModule>('codeServer.mjs');
  await installHost({ quiet: true });
  const server = await startCodeServer({ workspace: folder, label, ...(locale ? { locale } : {}) });
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const hostConsole: string[] = [];
  // With an extension under development the workbench mirrors the extension host's console here.
  page.on('console', (msg) => hostConsole.push(msg.text()));
  await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath: extensionPath }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return { server, browser, page, hostConsole };
}

export async function closeWorkbench(wb: Workbench | undefined, keepLogs: boolean): Promise<void> {
  await wb?.browser.close().catch(() => undefined);
  const saved = await wb?.server.stop({ keepLogs });
  if (saved) {
    console.log(`    host logs kept in ${path.relative(repoRoot, saved)}`);
  }
}

/** Rejections the extension host reported as unhandled (VS Code reports one that stays unhandled for 1 s). */
export function unhandledRejections(hostConsole: string[]): string[] {
  return (
    hostConsole
      .filter((line) => /rejected promise not handled|unhandled (promise )?rejection/i.test(line))
      // Console lines from the extension host carry %c styling placeholders and their CSS arguments.
      .map((line) => line.replace(/%c/g, '').replace(/(\s*color: [^\s]*)+\s*$/, ''))
  );
}
