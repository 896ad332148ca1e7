// UI test: what a student sees with the slides' Python UDP client open. The editor shows the lecture-era
// problems (squiggles, Problems view), a hover on a socket call shows the course note with a link, the notes
// panel opens beside the editor and follows the cursor, its table of contents and search work, a quick fix
// from Ctrl+. edits the code, and the CodeLens starts the matching playground server. The web workbench saves
// an edit after a second (files.autoSave is afterDelay there), so the suite works on a copy of the fixture
// workspace; every edit is undone, and the copy on disk is checked to be the slide's listing again at the end.
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import {
  closeWorkbench,
  openWorkbench,
  quickOpen,
  runPaletteCommand,
  screenshot,
  selectors,
  unhandledRejections,
  workspace,
  type Workbench,
  screenshotIfFailed,
} from './workbench';
import { canBind } from './peers';

const FILE = 'slides_UDPClient.py';

const editorSel = {
  /** The text editor in the editor area (not the quick input or the Problems filter). */
  lines: '.part.editor .monaco-editor .view-lines .view-line',
  hover: '.monaco-hover:not(.hidden)',
  codeActions: '.action-widget .monaco-list-row',
  codeLens: '.part.editor .monaco-editor .codelens-decoration a',
};

/** Monaco draws spaces as U+00A0. */
function plain(s: string): string {
  return s.replace(/\u00a0/g, ' ');
}

/** Polls a locator's text until it matches, then asserts on the last text read (so a failure shows it). */
async function waitForText(locator: Locator, re: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = plain(await locator.innerText({ timeout: 1_000 }).catch(() => ''));
    if (re.test(text) || Date.now() > deadline) {
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(text, re, `${what}: read ${JSON.stringify(text.slice(0, 300))}`);
  return text;
}

/** The editor's visible lines, in line order (Monaco positions them absolutely; DOM order is not line order). */
async function editorLines(page: Page): Promise<string[]> {
  const lines = await page.locator(editorSel.lines).evaluateAll((els) =>
    els
      .map((el) => ({ top: parseFloat((el as HTMLElement).style.top || '0'), text: el.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
  return lines.map(plain);
}

/** The line of the editor that contains `has`, read from the DOM. */
async function lineWith(page: Page, has: string | RegExp): Promise<string | undefined> {
  return (await editorLines(page)).find((l) => (typeof has === 'string' ? l.includes(has) : has.test(l)));
}

/**
 * Where a character of a word in the editor is on screen: the first line containing `lineHas`, the first
 * `word` on it, the character `charIndex` of that word. Clicking or hovering there is what a student does.
 */
async function wordPoint(
  page: Page,
  lineHas: string,
  word: string,
  charIndex = 1,
): Promise<{ x: number; y: number }> {
  const found = await page.evaluate(
    ({ sel, lineHas, word, charIndex }) => {
      for (const el of document.querySelectorAll(sel)) {
        const text = (el.textContent ?? '').replace(/\u00a0/g, ' ');
        const from = text.indexOf(lineHas);
        const at = from < 0 ? -1 : text.indexOf(word, from);
        if (at < 0) {
          continue;
        }
        let target = at + charIndex;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const len = node.textContent?.length ?? 0;
          if (target < len) {
            const range = document.createRange();
            range.setStart(node, target);
            range.setEnd(node, target + 1);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          target -= len;
        }
      }
      return undefined;
    },
    { sel: editorSel.lines, lineHas, word, charIndex },
  );
  assert.ok(
    found,
    `"${word}" on a line with "${lineHas}" is on screen; lines: ${JSON.stringify(await editorLines(page))}`,
  );
  return found;
}

/** Clicks into the editor text on a word: the cursor goes there. */
async function clickWord(page: Page, lineHas: string, word: string, charIndex = 1): Promise<void> {
  const { x, y } = await wordPoint(page, lineHas, word, charIndex);
  await page.mouse.click(x, y);
}

/** The notes panel's content frame, found among the webviews by its app element. */
async function findNotesPanel(page: Page, timeoutMs = 30_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  const frames = page.frameLocator('iframe.webview.ready');
  for (;;) {
    const n = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < n; i++) {
      const frame = frames.nth(i).frameLocator('#active-frame');
      const app = frame.locator('#app[aria-label="Socket programming course notes"] article.note h1');
      if (await app.isVisible().catch(() => false)) {
        return frame;
      }
    }
    assert.ok(Date.now() < deadline, `no visible notes panel among ${n} webviews`);
    await page.waitForTimeout(200);
  }
}

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

describe('Notes beside Python (ui)', function () {
  this.timeout(180_000);

  let wb: Workbench | undefined;
  let page: Page;
  let notes: FrameLocator;
  let anyFailed = false;
  const original = fs.readFileSync(path.join(workspace, FILE), 'utf8');
  // Made in before(), not when the file loads: a run whose --grep leaves this suite out makes no folder to leak.
  let copyRoot = '';
  let copy = '';

  before(async () => {
    copyRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-ui-notes-'));
    const folder = path.join(copyRoot, 'workspace');
    copy = path.join(folder, FILE);
    fs.cpSync(workspace, folder, { recursive: true });
    wb = await openWorkbench('ui-notes', { folder });
    page = wb.page;
  });

  afterEach(async function () {
    anyFailed = (await screenshotIfFailed(this.currentTest, page, 'notes-')) || anyFailed;
  });

  after(async () => {
    await closeWorkbench(wb, anyFailed);
    if (copyRoot) {
      fs.rmSync(copyRoot, { recursive: true, force: true });
    }
  });

  it("opens the slides' UDPClient.py from Quick Open and shows its Python 2 problems", async () => {
    await quickOpen(page, FILE);
    await page
      .locator('.part.editor .tab.active', { hasText: FILE })
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator(editorSel.lines, { hasText: 'recvfrom' }).waitFor({ timeout: 30_000 });

    // Squiggles: the extension's diagnostics arrive after the file opens (it activates on Python).
    const squiggles = page.locator('.part.editor .monaco-editor .squiggly-error');
    await squiggles.first().waitFor({ state: 'attached', timeout: 30_000 });

    // The status bar counts them; clicking the count opens the Problems view.
    const problemsItem = page.locator('.statusbar-item', { has: page.locator('.codicon-error') }).first();
    await problemsItem.click();
    const rows = page.locator('.part.panel .markers-panel .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
    const messages = await waitForText(
      page.locator('.part.panel .markers-panel'),
      /print statement/,
      'the Problems view lists the print statement',
    );
    for (const expected of [
      /raw_input\(\) is Python 2: Python 3 calls it input\(\)/,
      /Python 2 print statement: a SyntaxError in Python 3/,
      /'SOCK DGRAM' is a typo on the slide \(a SyntaxError\): the constant is SOCK_DGRAM/,
      /the name socket is the socket class, which has no attribute 'AF_INET'/,
      /message is a str, but sendto\(\) sends bytes in Python 3/,
    ]) {
      assert.match(messages, expected);
    }
    assert.match(messages, /Socket Playground/, 'the source is named');
    await screenshot(page, '23-problems-slides-udpclient');
    // Close the panel again: the student reads the code and the notes side by side.
    await problemsItem.click();
    await rows.first().waitFor({ state: 'hidden', timeout: 30_000 });
  });

  it('hovering recvfrom shows the note it belongs to and a link that opens it', async () => {
    const { x, y } = await wordPoint(page, 'recvfrom', 'recvfrom', 3);
    await page.mouse.move(x, y);
    const hover = page.locator(editorSel.hover, { hasText: 'recvfrom' }).first();
    await hover.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await waitForText(hover, /UDP: recvfrom\(\) tells you who sent the datagram/, 'note title');
    assert.match(text, /Open the note/);
    const link = hover.locator('a', { hasText: 'Open the note' });
    const href = (await link.getAttribute('data-href')) ?? (await link.getAttribute('href')) ?? '';
    assert.match(href, /^command:socketPlayground\.openNotes\?/, `the link runs openNotes: ${href}`);
    assert.deepEqual(JSON.parse(decodeURIComponent(href.slice(href.indexOf('?') + 1))), {
      noteId: 'udp-sender-address',
    });
    // Concise: what the call does, the note's opening sentences, the links; the rest is in the panel.
    assert.ok(text.length < 600, `the hover is short (${text.length} characters): ${text}`);
    // The hover fades in: picture it once it is fully drawn.
    await hover.evaluate(
      (el) =>
        new Promise<void>((resolve) => {
          const check = (): void =>
            getComputedStyle(el).opacity === '1' ? resolve() : void requestAnimationFrame(check);
          check();
        }),
    );
    await screenshot(page, '21-hover-recvfrom');
    await page.keyboard.press('Escape');
    await page.mouse.move(640, 780);
    await hover.waitFor({ state: 'hidden', timeout: 30_000 });
  });

  it('Open Notes puts the panel beside the editor on the note for the cursor', async () => {
    await clickWord(page, 'recvfrom', 'recvfrom', 2);
    await runPaletteCommand(page, 'Socket Playground: Open Notes');
    notes = await findNotesPanel(page);
    const h1 = notes.locator('article.note h1');
    await waitForText(h1, /^UDP: recvfrom\(\) tells you who sent the datagram$/, 'the note for recvfrom');
    await waitForText(
      notes.locator('.bar .context'),
      /For socket\.recvfrom\(\) in slides_UDPClient\.py:7$/,
      'the panel says why it shows this note',
    );
    const topics = await notes.locator('article.note .topics li').allInnerTexts();
    assert.ok(topics.includes('recvfrom()'), `topics read as calls, not ids: ${JSON.stringify(topics)}`);
    // Beside: two editor groups, the Python file on the left, the panel on the right.
    const groups = page.locator('.part.editor .editor-group-container');
    assert.equal(await groups.count(), 2, 'two editor groups');
    const left = await groups.nth(0).boundingBox();
    const right = await groups.nth(1).boundingBox();
    assert.ok(left && right && left.x < right.x, 'side by side');
    assert.match(await groups.nth(0).locator('.tab.active').innerText(), /slides_UDPClient\.py/);
    assert.match(await groups.nth(1).locator('.tab.active').innerText(), /Socket Notes/);
    // The editor kept the focus: typing goes on in the code.
    assert.equal(
      await page.evaluate(() => !!document.activeElement?.closest('.monaco-editor')),
      true,
      'the editor has the focus',
    );
    await screenshot(page, '20-notes-beside-python');
  });

  it('the panel follows the cursor from call to call, and to a problem', async () => {
    const h1 = notes.locator('article.note h1');
    await clickWord(page, 'clientSocket = socket(', 'socket(', 2);
    await waitForText(h1, /^socket\(\): choosing address family and type$/, 'note for socket()');
    await clickWord(page, '.sendto(', 'sendto', 2);
    await waitForText(h1, /^UDP: each datagram names its destination \(sendto\)$/, 'note for sendto');
    // On a diagnosed pitfall the panel explains the pitfall and quotes the problem.
    await clickWord(page, 'print', 'print', 1);
    await waitForText(h1, /^The slide code is Python 2$/, 'note for the print statement');
    await waitForText(
      notes.locator('.bar .context'),
      /slides_UDPClient\.py:8: Python 2 print statement/,
      'the problem is quoted',
    );
    // Its three numbered points are one list of three, each wrapped line inside its point.
    assert.deepEqual(
      (await notes.locator('article.note .md ol > li').allInnerTexts()).map((t) => t.slice(0, 30)),
      ['print is a function. print mod', "raw_input is gone. Python 3's ", 'Sockets carry bytes, not text.'],
    );
    assert.equal(await notes.locator('article.note .md > p').count(), 2, 'two paragraphs around the list');
    // The code is shown whole in the narrow panel: long lines wrap rather than run out of the box.
    const code = notes.locator('article.note pre.code');
    await code.scrollIntoViewIfNeeded();
    const size = await code.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    assert.ok(size.scroll <= size.client, `no code hidden to the right: ${JSON.stringify(size)}`);
    assert.match(await code.innerText(), /# Python 2: raw_input\(\.\.\.\)/);
    await screenshot(page, '24-notes-follow-print');
    // Keyboard navigation moves the cursor too: up one line onto recvfrom's line.
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowUp');
    await waitForText(h1, /^UDP: recvfrom\(\) tells you who sent the datagram$/, 'note after ArrowUp');
  });

  it('the table of contents and search of the panel open other notes', async () => {
    const h1 = notes.locator('article.note h1');
    const toggle = notes.locator('.toc-toggle');
    const toc = notes.locator('nav.toc');
    // Beside a Python file the panel is narrow: the contents are a drawer behind a button.
    if (await toggle.isVisible()) {
      await toggle.click();
    }
    await toc.waitFor({ state: 'visible', timeout: 30_000 });
    const sections = await toc.locator('h2').allInnerTexts();
    assert.ok(sections.length >= 6, `sections: ${JSON.stringify(sections)}`);
    // The drawer opens on the note being read, highlighted and scrolled into view.
    const current = toc.locator('.toc-item[aria-current="page"]');
    assert.equal(await current.innerText(), 'UDP: recvfrom() tells you who sent the datagram');
    const [tocBox, currentBox] = [await toc.boundingBox(), await current.boundingBox()];
    assert.ok(
      tocBox &&
        currentBox &&
        currentBox.y >= tocBox.y &&
        currentBox.y + currentBox.height <= tocBox.y + tocBox.height,
      `the current note is in view: ${JSON.stringify({ tocBox, currentBox })}`,
    );
    const item = toc.locator('.toc-item', { hasText: 'The accepted socket keeps the server port' });
    await item.scrollIntoViewIfNeeded();
    await screenshot(page, '25-notes-contents');
    await item.click();
    await waitForText(
      h1,
      /^The accepted socket keeps the server port: the 4-tuple$/,
      'note picked in the TOC',
    );

    const search = notes.locator('.search input[type=search]');
    await search.click();
    await search.pressSequentially('ephemeral');
    const count = await waitForText(notes.locator('.search .count'), /^\d+ notes?$/, 'a result count');
    const hits = toc.locator('.results .toc-item');
    assert.equal(await hits.count(), Number(/^\d+/.exec(count)![0]), 'as many hits as counted');
    // The results start at the top (the contents had been scrolled down to the 4-tuple note).
    assert.equal(await toc.evaluate((el) => el.scrollTop), 0, 'the best hit is in view');
    assert.doesNotMatch(
      await hits.first().innerText(),
      /(^|…|\s)- /,
      'snippets show no Markdown list markers',
    );
    assert.match(await hits.first().locator('.title').innerText(), /Ephemeral \(client\) ports/);
    assert.match((await hits.first().locator('mark').first().innerText()).toLowerCase(), /^ephemeral$/);
    await screenshot(page, '26-notes-search');
    await search.press('Enter');
    await waitForText(
      h1,
      /^Ephemeral \(client\) ports: who picks them, from which range$/,
      'first hit opened',
    );

    // Back returns to the note before.
    await notes.locator('button[title="Back to the previous note"]').click();
    await waitForText(h1, /^The accepted socket keeps the server port: the 4-tuple$/, 'back');
    await search.fill('');
    await search.press('Escape');
  });

  it('a See also link opens the related note, and its table reads as a table', async () => {
    const h1 = notes.locator('article.note h1');
    await clickWord(page, 'print', 'print', 1);
    await waitForText(h1, /^The slide code is Python 2$/, 'back on the print statement');
    await notes.locator('.see-also button', { hasText: 'Typos in the slide code' }).click();
    await waitForText(h1, /^Typos in the slide code: SOCK DGRAM, sentto, raw input$/, 'the related note');
    const table = notes.locator('article.note .md-table table');
    assert.deepEqual(await table.locator('th').allInnerTexts(), [
      'on the slide',
      'what Python 3.11 says',
      'correct',
    ]);
    const firstRow = (await table.locator('tbody tr').first().locator('td').allInnerTexts()).map(plain);
    assert.deepEqual(firstRow, [
      'SOCK DGRAM',
      'SyntaxError: invalid syntax. Perhaps you forgot a comma?',
      'SOCK_DGRAM',
    ]);
    // Inline code in a cell is code, not backticks.
    assert.equal(await table.locator('tbody tr').first().locator('td code').count(), 2);
    assert.doesNotMatch(await table.innerText(), /`/);
    await screenshot(page, '28-notes-table');
  });

  it('Ctrl+. on raw_input offers the fix, and applying it changes the code', async () => {
    await clickWord(page, 'raw_input', 'raw_input', 2);
    // The panel was moved on to a See also note: the cursor on a problem still brings its note back.
    await waitForText(
      notes.locator('article.note h1'),
      /^The slide code is Python 2$/,
      'the note for raw_input',
    );
    await waitForText(
      notes.locator('.bar .context'),
      /slides_UDPClient\.py:5: raw_input\(\) is Python 2/,
      'the problem is quoted',
    );
    await page.keyboard.press('Control+Period');
    const rows = page.locator(editorSel.codeActions);
    await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
    const titles = (await rows.allInnerTexts()).map(plain);
    assert.ok(
      titles.some((t) => /Use input\(\)/.test(t)),
      `actions: ${JSON.stringify(titles)}`,
    );
    assert.ok(
      titles.some((t) => /Explain: The slide code is Python 2/.test(t)),
      `actions: ${JSON.stringify(titles)}`,
    );
    // The preferred fix is the one selected: Enter applies it, as a student at the keyboard would.
    assert.equal(
      plain(await page.locator(`${editorSel.codeActions}.focused`).innerText()).trim(),
      'Use input()',
    );
    await screenshot(page, '22-quick-fix');
    await page.keyboard.press('Enter');
    await rows.first().waitFor({ state: 'hidden', timeout: 30_000 });
    await page.locator(editorSel.lines, { hasText: "= input('Input lowercase" }).waitFor({ timeout: 30_000 });
    assert.equal(await lineWith(page, 'message ='), "message = input('Input lowercase sentence:')");
    assert.equal(await lineWith(page, 'raw_input'), undefined);
    // Undo puts the slide's line back.
    await page.keyboard.press('Control+Z');
    await page.locator(editorSel.lines, { hasText: 'raw_input' }).waitFor({ timeout: 30_000 });
    assert.equal(await lineWith(page, 'message ='), "message = raw_input('Input lowercase sentence:')");
  });

  it('the CodeLens starts the matching playground server, shown in the Sockets view', async () => {
    const lens = page.locator(editorSel.codeLens, { hasText: 'Start matching playground server' }).first();
    await waitForText(
      lens,
      /Start matching playground server \(UDP, port 12000\)/,
      'the lens names the port',
    );
    // Not the fixed 12000 (other test runs share this machine): the student's own port, typed into the file.
    const port = await freeUdpPort();
    const at = await wordPoint(page, 'serverPort = ', '12000', 2);
    await page.mouse.dblclick(at.x, at.y);
    await page.keyboard.type(String(port));
    await waitForText(lens, new RegExp(`\\(UDP, port ${port}\\)`), 'the lens follows the edit');
    await lens.click();
    await page.locator(selectors.activityBarItem).click();
    const row = page.locator(selectors.treeRows, { hasText: `127.0.0.1:${port}` }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await row.innerText(), /UDP server/);
    assert.equal(await canBind(port, 'udp'), false, `the playground holds UDP ${port}`);
    await page.mouse.move(640, 780);
    await screenshot(page, '27-codelens-server');
    await runPaletteCommand(page, 'Socket Playground: Close All Sockets');
    await row.waitFor({ state: 'hidden', timeout: 30_000 });
    await clickWord(page, 'serverPort', 'serverPort', 1);
    await page.keyboard.press('Control+Z');
    await page.locator(editorSel.lines, { hasText: 'serverPort = 12000' }).waitFor({ timeout: 30_000 });
  });

  it('after the undos the file on disk is the slide listing again', async () => {
    // Auto-save writes the undone text a second after the last edit.
    let onDisk = '';
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      onDisk = fs.readFileSync(copy, 'utf8');
      if (onDisk === original) {
        break;
      }
    }
    assert.equal(onDisk, original);
    assert.equal(
      fs.readFileSync(path.join(workspace, FILE), 'utf8'),
      original,
      'the fixture was never touched',
    );
  });

  it('leaves no unhandled promise rejection in the extension host', async () => {
    // VS Code reports a rejection that stays unhandled for one second.
    await page.waitForTimeout(2_500); // a second, and room for a busy machine
    assert.deepEqual(unhandledRejections(wb!.hostConsole), []);
  });
});
