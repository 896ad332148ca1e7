// UI test: the traffic panel in the real workbench with real peers. The textbook Python clients talk to the
// playground's servers; the panel shows each event with its notes, the detail pane and the diagram show it, the
// send box reaches a Python server, and hostile payloads are shown literally without creating any element.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import type { FrameLocator, Page } from 'playwright-core';
import {
  closeWorkbench,
  openWorkbench,
  runPaletteCommand,
  screenshot,
  selectors,
  unhandledRejections,
  type Workbench,
  screenshotIfFailed,
} from './workbench';
import { runPython, startPythonServer } from './peers';

/** The port in a Sockets-view row such as "UDP server 127.0.0.1:41234 · ↓0 B ↑0 B". */
async function portOfRow(page: Page, label: RegExp): Promise<number> {
  const row = page.locator(selectors.treeRows, { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  const m = /127\.0\.0\.1:(\d+)/.exec(await row.innerText());
  assert.ok(m, `no port in the row: ${await row.innerText()}`);
  return Number(m[1]);
}

/** Lets the workbench and the webview lay out after a resize: two animation frames in each. */
async function settle(page: Page, panel?: FrameLocator): Promise<void> {
  const frames = () =>
    new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
  await page.evaluate(frames);
  await panel?.locator('#app').evaluate(frames);
}

/** Screenshots of the whole workbench at the two laptop sizes students have (then back to 1280×800). */
async function screenshotsAtLaptopSizes(
  page: Page,
  panel: FrameLocator | undefined,
  name: string,
  check: (size: string) => Promise<void> = async () => undefined,
): Promise<void> {
  for (const [width, height] of [
    [1440, 900],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await settle(page, panel);
    await check(`${width}×${height}`);
    await screenshot(page, `${name}-${width}x${height}`);
  }
}

/** What is cut at this size: the hex dump wider than its pane, send-box or toolbar controls past the edge. */
async function cutOff(panel: FrameLocator): Promise<string[]> {
  return panel.locator('#app').evaluate((app) => {
    const cut: string[] = [];
    const width = app.ownerDocument.documentElement.clientWidth;
    const pre = app.querySelector<HTMLElement>('pre.hexdump');
    if (pre && pre.scrollWidth > pre.clientWidth + 1) {
      cut.push(`hex dump ${pre.scrollWidth}px in ${pre.clientWidth}px`);
    }
    for (const el of app.querySelectorAll<HTMLElement>('.sendbox > *:not([hidden])')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > width + 1 || r.left < -1)) {
        cut.push(
          `send box ${el.className || el.tagName} at ${Math.round(r.left)}-${Math.round(r.right)} of ${width}`,
        );
      }
    }
    for (const el of app.querySelectorAll<HTMLElement>('.toolbar select, .toolbar input, .toolbar button')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1) {
        cut.push(`toolbar ${el.getAttribute('aria-label')} ends at ${Math.round(r.right)} of ${width}`);
      }
    }
    return cut;
  });
}

/** The traffic panel's frame among several webviews (the notes panel is one too), found by its app element. */
async function trafficFrame(page: Page): Promise<FrameLocator> {
  const n = await page.locator('iframe.webview.ready').count();
  for (let i = 0; i < n; i++) {
    const frame = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
    if ((await frame.locator('#app[aria-label="Socket traffic"]').count()) === 1) {
      return frame;
    }
  }
  throw new Error(`no traffic panel among ${n} webviews`);
}

/** The hex bytes of a dump, whatever its row width. */
function dumpBytes(dump: string): string {
  return dump
    .split('\n')
    .map((line) => line.slice(10, line.indexOf('|')).trim())
    .join(' ')
    .split(/\s+/)
    .join(' ');
}

/** Rows of the list a user can see: rendered, not hidden, inside the list's viewport. */
async function visibleRows(panel: FrameLocator): Promise<Array<{ seq: string; cls: string }>> {
  return panel.locator('.viewport').evaluate((vp) => {
    const box = vp.getBoundingClientRect();
    return [...vp.querySelectorAll<HTMLElement>('.rows .row')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return (
          style.display !== 'none' &&
          style.visibility !== 'hidden' &&
          r.height > 0 &&
          r.bottom > box.top &&
          r.top < box.bottom
        );
      })
      .map((el) => ({ seq: el.dataset['seq'] ?? '', cls: el.className }));
  });
}

/** "3 of 126 entries ·…" → [3, 126]; "126 entries" → [126, 126]. */
async function entryCounts(panel: FrameLocator): Promise<[number, number]> {
  const text = await panel.locator('.totals').innerText();
  const m = /^(\d+)(?: of (\d+))? entr/.exec(text);
  assert.ok(m, `no count in "${text}"`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

describe('Traffic panel (ui)', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let page: Page;
  let panel: FrameLocator;
  let anyFailed = false;
  const procs: ChildProcess[] = [];
  const dialogs: string[] = [];

  before(async () => {
    wb = await openWorkbench('ui-traffic');
    page = wb.page;
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.locator(selectors.activityBarItem).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator(selectors.activityBarItem).click();
  });

  afterEach(async function () {
    anyFailed = (await screenshotIfFailed(this.currentTest, page, 'traffic-')) || anyFailed;
  });

  after(async () => {
    procs.forEach((p) => p.kill('SIGKILL'));
    await closeWorkbench(wb, anyFailed);
  });

  it('shows UDPClient.py traffic with its notes, as it happens', async () => {
    await runPaletteCommand(page, 'Socket Playground: Start UDP Server', (prompt) =>
      /port/i.test(prompt) ? '0' : undefined,
    );
    const port = await portOfRow(page, /UDP server/);
    await runPaletteCommand(page, 'Socket Playground: Show Traffic');
    panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await panel.locator('.viewport').waitFor({ state: 'visible', timeout: 30_000 });
    const reply = await runPython('UDPClient.py', ['127.0.0.1', String(port)], 'hello from python\n');
    assert.match(reply, /HELLO FROM PYTHON/);
    const recv = panel.locator('.rows .row.ev-receive', { hasText: 'hello from python' }).first();
    await recv.waitFor({ state: 'visible', timeout: 30_000 });
    const notes = await recv.locator('.c-notes').innerText();
    assert.ok(notes.length > 3, `the receive row names its notes: "${notes}"`);
    await panel
      .locator('.rows .row.ev-send', { hasText: 'HELLO FROM PYTHON' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, '10-traffic-panel-udp');
  });

  it('the detail pane and the sequence diagram explain the selected datagram', async () => {
    await panel.locator('.rows .row.ev-receive', { hasText: 'hello from python' }).first().click();
    const detail = panel.locator('.detail');
    await detail.locator('[data-testid=payload-text]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await detail.locator('[data-testid=payload-text]').innerText(), 'hello from python');
    const dump = await detail.locator('[data-testid=payload-hex]').innerText();
    assert.match(dump, /^00000000 {2}68 65 6c 6c/);
    assert.equal(dumpBytes(dump), '68 65 6c 6c 6f 20 66 72 6f 6d 20 70 79 74 68 6f 6e');
    assert.ok((await detail.locator('.note').count()) >= 1, 'at least one note');
    assert.match(await detail.innerText(), /recvfrom/, 'the socket call behind it');
    const marks = panel.locator('svg.seq g.mark');
    assert.ok((await marks.count()) >= 3, 'bind, and the datagram both ways');
    // The diagram redraws a moment after the selection (it is throttled): the selected event is marked.
    await panel.locator('svg.seq g.mark.selected').first().waitFor({ state: 'attached', timeout: 30_000 });
    assert.match(await panel.locator('svg.seq').innerHTML(), /sendto\(\) → recvfrom\(\)/);
    await screenshot(page, '11-traffic-detail-and-diagram');
  });

  it('hostile payloads are shown literally and create no element', async () => {
    const port = await portOfRow(page, /UDP server/);
    const sock = dgram.createSocket('udp4');
    const hostile = [
      Buffer.from('<img src=x onerror="alert(1)">'),
      Buffer.from('<script>alert(2)</script>'),
      Buffer.from('\x1b[31mred\x1b[0m'),
      Buffer.from([0x41, 0x00, 0x42]),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
    ];
    for (const b of hostile) {
      await new Promise<void>((r) => sock.send(b, port, '127.0.0.1', () => r()));
    }
    sock.close();
    await panel
      .locator('.rows .row.ev-receive', { hasText: '\\xc3(\\xff\\xfe' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    const texts = await panel.locator('.rows .row.ev-receive .c-payload').allInnerTexts();
    for (const expected of [
      '<img src=x onerror="alert(1)">',
      '<script>alert(2)</script>',
      '\\x1b[31mred\\x1b[0m',
      'A\\0B',
      '\\xc3(\\xff\\xfe',
    ]) {
      assert.ok(texts.includes(expected), `"${expected}" shown literally; got ${JSON.stringify(texts)}`);
    }
    const counts = await panel.locator('#app').evaluate((app) => {
      const doc = app.ownerDocument;
      return {
        img: doc.querySelectorAll('img').length,
        payloadScripts: [...doc.querySelectorAll('script')].filter((s) =>
          (s.textContent ?? '').includes('alert('),
        ).length,
        handlers: doc.querySelectorAll('[onerror], [onload], [onclick]').length,
        appScripts: app.querySelectorAll('script, img, iframe, object, embed').length,
      };
    });
    assert.deepEqual(
      counts,
      { img: 0, payloadScripts: 0, handlers: 0, appScripts: 0 },
      'no element made from a payload',
    );
    await panel.locator('.rows .row.ev-receive', { hasText: '\\xc3(\\xff\\xfe' }).first().click();
    await panel.locator('[data-testid=payload-hex]', { hasText: 'c3 28 ff fe' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(dialogs, [], 'no alert ran');
    await screenshot(page, '12-traffic-hostile-payloads');
  });

  it('a filter leaves no stale row on screen: the visible rows are the "N of M" it counts', async () => {
    const port = await portOfRow(page, /UDP server/);
    // Follow new traffic again (a click on a row stopped it), so that the newest rows are the ones drawn.
    const follow = panel.locator('.toolbar button[aria-label^="Follow new traffic"]');
    if ((await follow.getAttribute('aria-pressed')) !== 'true') {
      await follow.click();
    }
    // A screenful and more of datagrams, so that the list's row pool is full before the filter.
    const sock = dgram.createSocket('udp4');
    for (let i = 0; i < 40; i++) {
      const tag = i % 5 === 0 ? ' tagged' : '';
      await new Promise<void>((r) => sock.send(`filler ${i}${tag}`, port, '127.0.0.1', () => r()));
    }
    sock.close();
    await panel
      .locator('.rows .row.ev-receive', { hasText: 'filler 39' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    const before = await visibleRows(panel);
    assert.ok(before.length >= 8, `a full list before the filter: ${before.length} rows`);
    const dir = panel.locator('.toolbar select[aria-label="Filter by event"]');
    const search = panel.locator('.toolbar input[type=search]');
    try {
      // "Lost only" on a log with no loss: nothing may stay on screen under "0 of M entries".
      await dir.selectOption('drop');
      await panel.locator('.totals', { hasText: /^0 of \d+ entries/ }).waitFor({ timeout: 30_000 });
      await settle(page, panel);
      assert.deepEqual(await visibleRows(panel), [], 'no stale row under "0 of M"');
      // Eight received datagrams, fewer than a screenful: exactly they are on screen, nothing else.
      await search.fill('tagged');
      await dir.selectOption('in');
      await panel.locator('.totals', { hasText: /^8 of \d+ entries/ }).waitFor({ timeout: 30_000 });
      await settle(page, panel);
      const shown = await visibleRows(panel);
      const [n] = await entryCounts(panel);
      assert.equal(shown.length, n, `visible rows ${JSON.stringify(shown.map((r) => r.seq))} vs the counter`);
      assert.ok(
        shown.every((r) => /\bev-receive\b/.test(r.cls)),
        JSON.stringify(shown),
      );
      await screenshot(page, '14-traffic-filtered');
    } finally {
      // Back to everything for the next tests.
      await search.fill('');
      await dir.selectOption('all');
    }
    // Unfiltered again: "M entries", no "of".
    await panel.locator('.totals', { hasText: /^\d+ entries/ }).waitFor({ timeout: 30_000 });
    const [all, total] = await entryCounts(panel);
    assert.equal(all, total);
  });

  it('the send box sends from a playground TCP client to TCPServer.py and shows the reply', async () => {
    const { proc, port } = await startPythonServer('TCPServer.py');
    procs.push(proc);
    await runPaletteCommand(page, 'Socket Playground: Connect TCP Client', (prompt) => {
      if (/host/i.test(prompt)) {
        return '127.0.0.1';
      }
      return /port/i.test(prompt) ? String(port) : undefined;
    });
    await page
      .locator(selectors.treeRows, { hasText: /TCP client/ })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    const sendSocket = panel.locator('.sendbox select').first();
    await panel
      .locator('.sendbox select option', { hasText: 'tcp-client' })
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 });
    const value = await panel
      .locator('.sendbox select option', { hasText: 'tcp-client' })
      .first()
      .getAttribute('value');
    await sendSocket.selectOption(value!);
    await panel.locator('.sendbox input.msg').fill('typed in the panel');
    await panel.locator('.sendbox button', { hasText: 'Send' }).click();
    await panel.locator('.sendbox .status', { hasText: 'Sent 18 bytes.' }).waitFor({ timeout: 30_000 });
    await panel
      .locator('.rows .row.ev-receive', { hasText: 'TYPED IN THE PANEL' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    // TCPServer.py closes the connection after one reply: the panel shows the peer's FIN.
    await panel
      .locator('.rows .row.ev-close', { hasText: String(port) })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, '13-traffic-send-box');
    // A bad hex input is refused in place, and nothing is sent.
    const entries = await panel.locator('.totals').innerText();
    await panel.locator('.sendbox select[aria-label="Encoding"]').selectOption('hex');
    await panel.locator('.sendbox input.msg').fill('48 zz');
    // TCPServer.py closed the connection, so the box fell back to the UDP server, which needs a destination.
    const to = panel.locator('.sendbox input.to');
    if (await to.isVisible()) {
      await to.fill('127.0.0.1:9');
    }
    await panel.locator('.sendbox button', { hasText: 'Send' }).click();
    const status = panel.locator('.sendbox .status.error');
    await status.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await status.innerText(), /not hex: "z" is not a hex digit/);
    assert.equal(await panel.locator('.totals').innerText(), entries, 'nothing was sent or logged');
    // A port over 65535 is refused in the box itself: an answer at once, never a wait on "Sending…".
    await panel.locator('.sendbox select[aria-label="Encoding"]').selectOption('utf8');
    await panel.locator('.sendbox input.msg').fill('to nowhere');
    const udp = await panel
      .locator('.sendbox select option', { hasText: 'udp-server' })
      .first()
      .getAttribute('value');
    await sendSocket.selectOption(udp!);
    await to.fill('127.0.0.1:99999');
    await panel.locator('.sendbox button', { hasText: 'Send' }).click();
    await panel
      .locator('.sendbox .status.error', { hasText: 'Port 99999 is out of range: a UDP port is 1 to 65535.' })
      .waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await panel.locator('.totals').innerText(), entries, 'nothing was sent or logged');
    // Send errors are said in the box, not in notifications that would stay and cover it.
    assert.equal(await page.locator('.notifications-toasts .notification-toast').count(), 0, 'no toast');
  });

  it('at 1280×800 and 1440×900 the panel fits: CSP, detail, hex dump, diagram and send box', async () => {
    const csp = await panel.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /default-src 'none'/);
    assert.match(csp ?? '', /base-uri 'none'/);
    assert.match(csp ?? '', /form-action 'none'/);
    // Python's datagram is far up the list by now: find it with the text filter, pick it, clear the filter.
    const search = panel.locator('.toolbar input[type=search]');
    await search.fill('hello from python');
    await panel.locator('.rows .row.ev-receive', { hasText: 'hello from python' }).first().click();
    await search.fill('');
    await panel.locator('[data-testid=payload-hex]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await panel.locator('.detail h2').first().innerText(), /receive · UDP/);
    await screenshotsAtLaptopSizes(page, panel, '15-traffic-laptop', async (size) =>
      assert.deepEqual(await cutOff(panel), [], `nothing cut at ${size}`),
    );
    const scope = panel.locator('.diagram-pane select[aria-label="Which lanes the diagram draws"]');
    await scope.selectOption('conversation');
    // The chart redraws a moment later (it is throttled): wait for the other clients' lanes to go.
    await panel
      .locator('svg.seq-head text.lane-title', { hasText: 'outside peer' })
      .nth(1)
      .waitFor({ state: 'detached', timeout: 30_000 });
    await panel.locator('svg.seq g.mark.selected').first().waitFor({ state: 'attached', timeout: 30_000 });
    await screenshotsAtLaptopSizes(page, panel, '16-traffic-conversation', async (size) => {
      assert.deepEqual(await cutOff(panel), [], `nothing cut at ${size}`);
      // Python's client and this server only: the hostile peer and the fillers' sender are other conversations.
      const peers = await panel.locator('svg.seq-head text.lane-title', { hasText: 'outside peer' }).count();
      assert.equal(peers, 1, `one outside peer lane at ${size}`);
    });
    await scope.selectOption('all');
  });

  it('hidden behind another tab, the panel catches up when it is shown again', async () => {
    const port = await portOfRow(page, /UDP server/);
    const follow = panel.locator('.toolbar button[aria-label^="Follow new traffic"]');
    if ((await follow.getAttribute('aria-pressed')) !== 'true') {
      await follow.click();
    }
    // An untitled editor in the same group hides the panel (its webview is released: nothing is posted to it).
    await runPaletteCommand(page, 'File: New Untitled Text File');
    await page
      .locator('.part.editor .tab.active', { hasText: 'Untitled' })
      .waitFor({ state: 'visible', timeout: 30_000 });
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.send('sent while hidden', port, '127.0.0.1', () => r()));
    sock.close();
    await page
      .locator(selectors.treeRows, { hasText: /UDP server/ })
      .first()
      .waitFor({ state: 'visible' });
    const untitled = page.locator('.part.editor .tab', { hasText: 'Untitled' }).first();
    await untitled.hover();
    await untitled.locator('.codicon-close').click();
    await page
      .locator('.part.editor .tab', { hasText: 'Untitled' })
      .waitFor({ state: 'detached', timeout: 30_000 });
    panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await panel
      .locator('.rows .row.ev-receive', { hasText: 'sent while hidden' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('"Open note" opens the notes beside the traffic panel, which stays in view', async () => {
    await panel.locator('.detail .note button', { hasText: 'Open note' }).first().click();
    const groups = page.locator('.part.editor .editor-group-container');
    await page
      .locator('.part.editor .tab', { hasText: 'Socket Notes' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    const actives = await groups.locator('.tab.active').allInnerTexts();
    assert.ok(
      actives.some((t) => /Socket Traffic/.test(t)) && actives.some((t) => /Socket Notes/.test(t)),
      `traffic and notes side by side; active tabs: ${JSON.stringify(actives)}`,
    );
    // Half a laptop's width: the panel stacks its panes and wraps its send box, and still cuts nothing off.
    const traffic = await trafficFrame(page);
    await screenshotsAtLaptopSizes(page, traffic, '17-traffic-and-notes', async (size) =>
      assert.deepEqual(await cutOff(traffic), [], `nothing cut beside the notes at ${size}`),
    );
    // Close the notes again: the other tests find the traffic panel as the only webview.
    await page.locator('.part.editor .tab', { hasText: 'Socket Notes' }).first().hover();
    await page
      .locator('.part.editor .tab', { hasText: 'Socket Notes' })
      .first()
      .locator('.codicon-close')
      .click();
    await page
      .locator('.part.editor .tab', { hasText: 'Socket Notes' })
      .waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('the panel survives a window reload (serializer) and shows the log again', async () => {
    await runPaletteCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await panel.locator('.viewport').waitFor({ state: 'visible', timeout: 30_000 });
    // The sockets did not survive the extension host's restart (deactivate closed them): an honest, empty view.
    await panel.locator('.totals').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await panel.locator('.totals').innerText(), /entries/);
  });

  it('leaves no unhandled promise rejection in the extension host', async () => {
    await page.waitForTimeout(2_500); // a second, and room for a busy machine
    assert.deepEqual(unhandledRejections(wb!.hostConsole), []);
  });
});
