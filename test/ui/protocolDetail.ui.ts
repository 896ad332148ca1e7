// UI test: the traffic panel's detail pane reads HTTP in a TCP payload (the playground's HTTP client against
// Python's http.server), and the Sockets and Ports rows fit the default sidebar at 1280×800.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import {
  closeWorkbench,
  openWorkbench,
  runPaletteCommand,
  screenshot,
  screenshotIfFailed,
  selectors,
  unhandledRejections,
  type Workbench,
} from './workbench';
import { startPythonServer } from './peers';

/** `python3 -m http.server` on a port the OS picks, serving `dir`; resolves once it says its port. */
function startHttpServer(dir: string): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`http.server did not start: ${out}`)), 15_000);
    proc.once('error', reject);
    proc.stderr!.resume();
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve({ proc, port: Number(m[1]) });
      }
    });
  });
}

/** The traffic panel's frame among the webviews, found by its app element. */
async function trafficFrame(page: Page): Promise<FrameLocator> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const n = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < n; i++) {
      const frame = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
      if ((await frame.locator('#app[aria-label="Socket traffic"]').count()) === 1) {
        return frame;
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error('no traffic panel');
}

/**
 * The sidebar's tree rows, each with what is cut: `cut` when the row is wider than it shows (its end is then in
 * the tooltip), `lost` when even its label and first address (or a group's label) do not show.
 */
async function rowFit(page: Page): Promise<Array<{ row: string; cut: boolean; lost: boolean }>> {
  return page.locator(selectors.sidebar).evaluate((bar) => {
    const out: Array<{ row: string; cut: boolean; lost: boolean }> = [];
    for (const row of bar.querySelectorAll<HTMLElement>('.monaco-list-row')) {
      const box = row.querySelector<HTMLElement>('.monaco-icon-label-container');
      const name = row.querySelector<HTMLElement>('.label-name');
      if (!box || !name) {
        continue;
      }
      // A selected row's action buttons are drawn over its end (the workbench does that): the text ends there.
      const actions = [...row.querySelectorAll<HTMLElement>('.actions .action-item')].filter(
        (a) => a.getBoundingClientRect().width > 0,
      );
      const right = Math.min(
        box.getBoundingClientRect().right,
        ...actions.map((a) => a.getBoundingClientRect().left),
      );
      let end = name.getBoundingClientRect().right;
      const desc = row.querySelector<HTMLElement>('.label-description');
      const text = desc?.firstChild;
      const m =
        text?.nodeType === Node.TEXT_NODE
          ? /(\[[^\]]+\]|\d+\.\d+\.\d+\.\d+):\d+/.exec(text.textContent ?? '')
          : null;
      if (text && m) {
        const range = document.createRange();
        range.setStart(text, 0);
        range.setEnd(text, m.index + m[0].length);
        end = range.getBoundingClientRect().right;
      }
      out.push({
        row: `${row.innerText.replace(/\s+/g, ' ')} (${box.scrollWidth}px in ${box.clientWidth}px)`,
        cut: box.scrollWidth > box.clientWidth + 1,
        // The selected row's buttons narrow it by three icons; they go when it is not selected, and the tooltip has it all.
        lost: actions.length === 0 && end > right + 1,
      });
    }
    return out;
  });
}

describe('Protocol detail and tree rows (ui)', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let page: Page;
  let anyFailed = false;
  const procs: ChildProcess[] = [];
  // Made in before(), not when the file loads: a run whose --grep leaves this suite out makes no folder to leak.
  let site = '';
  const html = '<html><head><title>Hello</title></head><body>Hello World</body></html>\n';

  before(async () => {
    site = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-ui-http-'));
    fs.writeFileSync(path.join(site, 'HelloWorld.html'), html);
    wb = await openWorkbench('ui-protocol-detail');
    page = wb.page;
    await page.locator(selectors.activityBarItem).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator(selectors.activityBarItem).click();
  });

  afterEach(async function () {
    anyFailed = (await screenshotIfFailed(this.currentTest, page, 'protocol-')) || anyFailed;
  });

  after(async () => {
    procs.forEach((p) => p.kill('SIGKILL'));
    await closeWorkbench(wb, anyFailed);
    if (site) {
      fs.rmSync(site, { recursive: true, force: true });
    }
  });

  it('the detail pane shows an HTTP response and request as what they are', async () => {
    const server = await startHttpServer(site);
    procs.push(server.proc);
    await runPaletteCommand(page, 'Socket Playground: Send HTTP Request', (prompt) => {
      if (/path/i.test(prompt)) {
        return '/HelloWorld.html';
      }
      if (/port/i.test(prompt)) {
        return String(server.port);
      }
      return /host/i.test(prompt) ? '127.0.0.1' : undefined;
    });
    const panel = await trafficFrame(page);
    // http.server writes its head and the file apart: the head is the receive that starts with the status line.
    const response = panel.locator('.rows .row.ev-receive', { hasText: 'HTTP/1.0 200 OK' }).first();
    await response.waitFor({ state: 'visible', timeout: 20_000 });
    await response.click();
    const title = panel.locator('.detail [data-testid=app-protocol-title]');
    await title.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await title.innerText(), 'HTTP response: HTTP/1.0 200 OK');
    const view = panel.locator('.detail [data-testid=app-protocol]');
    const text = await view.innerText();
    assert.match(text, /Content-Length\s+\d+/, 'the headers table');
    assert.match(text, /blank line ✓/);
    assert.match(text, /status 200 \(success\)/);
    // The structured view is above the hex dump, and the dump is still there.
    const order = await panel.locator('.detail').evaluate((d) => {
      const v = d.querySelector('[data-testid=app-protocol]');
      const hex = d.querySelector('[data-testid=payload-hex]');
      return v && hex ? v.compareDocumentPosition(hex) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    assert.ok(order, 'the protocol view comes before the hex dump');
    // The command's toast would cover the end of the detail pane in the picture.
    await runPaletteCommand(page, 'Notifications: Clear All Notifications');
    await view.locator('.app-checks').scrollIntoViewIfNeeded();
    await screenshot(page, '50-detail-http-response');

    await panel.locator('.rows .row.ev-send', { hasText: 'GET /HelloWorld.html' }).first().click();
    await title.filter({ hasText: 'HTTP request' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await title.innerText(), 'HTTP request: GET /HelloWorld.html HTTP/1.1');
    const req = await view.innerText();
    assert.match(req, /Host\s+127\.0\.0\.1:\d+/);
    assert.match(req, /blank line ✓/);
    assert.match(req, /no body/);
    assert.doesNotMatch(req, /bare/, 'the playground ends its lines with \\r\\n');
    await view.locator('.app-checks').scrollIntoViewIfNeeded();
    await screenshot(page, '51-detail-http-request');
  });

  it('the Sockets and Ports rows fit the default sidebar at 1280×800', async () => {
    const udp = await startPythonServer('UDPServer.py');
    procs.push(udp.proc);
    await runPaletteCommand(page, 'Socket Playground: Start UDP Server', (p) =>
      /port/i.test(p) ? '0' : undefined,
    );
    await runPaletteCommand(page, 'Socket Playground: Start TCP Server', (p) =>
      /port/i.test(p) ? '0' : undefined,
    );
    await runPaletteCommand(page, 'Socket Playground: Start SMTP Server', (p) =>
      /port/i.test(p) ? '0' : undefined,
    );
    await runPaletteCommand(page, 'Socket Playground: Start Relay', (p) => {
      if (/Which protocol/i.test(p)) {
        return { pick: 'UDP' };
      }
      if (/Where is your/i.test(p)) {
        return String(udp.port);
      }
      if (/listen on/i.test(p)) {
        return '0';
      }
      return /Impair the link/i.test(p) ? { pick: '20 % loss' } : undefined;
    });
    const tcpRow = page.locator(selectors.treeRows, { hasText: /TCP server/ }).first();
    await tcpRow.waitFor({ state: 'visible', timeout: 15_000 });
    const tcpPort = /127\.0\.0\.1:(\d+)/.exec(await tcpRow.innerText())?.[1];
    assert.ok(tcpPort, `the TCP server row names its port: ${await tcpRow.innerText()}`);
    await runPaletteCommand(page, 'Socket Playground: Connect TCP Client', (p) => {
      if (/host/i.test(p)) {
        return '127.0.0.1';
      }
      return /port/i.test(p) ? tcpPort : undefined;
    });
    await page
      .locator(selectors.treeRows, { hasText: /UDP relay/ })
      .first()
      .waitFor({ timeout: 15_000 });
    await page
      .locator(selectors.treeRows, { hasText: /TCP client/ })
      .first()
      .waitFor({ timeout: 15_000 });
    await runPaletteCommand(page, 'Socket Playground: Refresh Ports');
    const held = page.locator(selectors.treeRows, { hasText: 'Held by the playground' }).first();
    await held.waitFor({ state: 'visible', timeout: 15_000 });
    if ((await held.getAttribute('aria-expanded')) === 'false') {
      await held.click();
    }
    await page
      .locator(`${selectors.treeRows}[aria-expanded="true"]`, { hasText: 'Held by the playground' })
      .first()
      .waitFor({ timeout: 15_000 });
    await page.setViewportSize({ width: 1280, height: 800 });
    // Away from the tree: a focused or hovered row draws its action buttons over the end of its text.
    await page.mouse.click(800, 600);
    await page.mouse.move(1000, 700);
    await screenshot(page, '52-sockets-and-ports-1280x800');
    const rows = await rowFit(page);
    console.log(
      `    rows cut at the end (the tooltip has it): ${JSON.stringify(
        rows.filter((r) => r.cut).map((r) => r.row),
        null,
        1,
      )}`,
    );
    assert.ok(rows.length >= 8, `sockets and ports rows drawn: ${rows.length}`);
    assert.deepEqual(
      rows.filter((r) => r.lost).map((r) => r.row),
      [],
      'every row shows its label and first address',
    );
  });

  it('leaves no unhandled promise rejection in the extension host', () => {
    assert.deepEqual(unhandledRejections(wb!.hostConsole), []);
  });
});
