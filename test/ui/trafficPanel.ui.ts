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
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  const m = /127\.0\.0\.1:(\d+)/.exec(await row.innerText());
  assert.ok(m, `no port in the row: ${await row.innerText()}`);
  return Number(m[1]);
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
    await panel.locator('.viewport').waitFor({ state: 'visible', timeout: 20_000 });
    const reply = await runPython('UDPClient.py', ['127.0.0.1', String(port)], 'hello from python\n');
    assert.match(reply, /HELLO FROM PYTHON/);
    const recv = panel.locator('.rows .row.ev-receive', { hasText: 'hello from python' }).first();
    await recv.waitFor({ state: 'visible', timeout: 10_000 });
    const notes = await recv.locator('.c-notes').innerText();
    assert.ok(notes.length > 3, `the receive row names its notes: "${notes}"`);
    await panel
      .locator('.rows .row.ev-send', { hasText: 'HELLO FROM PYTHON' })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, '10-traffic-panel-udp');
  });

  it('the detail pane and the sequence diagram explain the selected datagram', async () => {
    await panel.locator('.rows .row.ev-receive', { hasText: 'hello from python' }).first().click();
    const detail = panel.locator('.detail');
    await detail.locator('[data-testid=payload-text]').waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await detail.locator('[data-testid=payload-text]').innerText(), 'hello from python');
    assert.match(
      await detail.locator('[data-testid=payload-hex]').innerText(),
      /^00000000 {2}68 65 6c 6c 6f 20 66 72 {2}6f 6d 20 70 79 74 68 6f/,
    );
    assert.ok((await detail.locator('.note').count()) >= 1, 'at least one note');
    assert.match(await detail.innerText(), /recvfrom/, 'the socket call behind it');
    const marks = panel.locator('svg.seq g.mark');
    assert.ok((await marks.count()) >= 3, 'bind, and the datagram both ways');
    // The diagram redraws a moment after the selection (it is throttled): the selected event is marked.
    await panel.locator('svg.seq g.mark.selected').first().waitFor({ state: 'attached', timeout: 5_000 });
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
      .waitFor({ state: 'visible', timeout: 10_000 });
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
    await panel.locator('[data-testid=payload-hex]', { hasText: 'c3 28 ff fe' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(dialogs, [], 'no alert ran');
    await screenshot(page, '12-traffic-hostile-payloads');
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
      .waitFor({ state: 'visible', timeout: 15_000 });
    const sendSocket = panel.locator('.sendbox select').first();
    await panel
      .locator('.sendbox select option', { hasText: 'tcp-client' })
      .first()
      .waitFor({ state: 'attached', timeout: 10_000 });
    const value = await panel
      .locator('.sendbox select option', { hasText: 'tcp-client' })
      .first()
      .getAttribute('value');
    await sendSocket.selectOption(value!);
    await panel.locator('.sendbox input.msg').fill('typed in the panel');
    await panel.locator('.sendbox button', { hasText: 'Send' }).click();
    await panel.locator('.sendbox .status', { hasText: 'Sent 18 bytes.' }).waitFor({ timeout: 10_000 });
    await panel
      .locator('.rows .row.ev-receive', { hasText: 'TYPED IN THE PANEL' })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    // TCPServer.py closes the connection after one reply: the panel shows the peer's FIN.
    await panel
      .locator('.rows .row.ev-close', { hasText: String(port) })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
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
    await status.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await status.innerText(), /not hex: "z" is not a hex digit/);
    assert.equal(await panel.locator('.totals').innerText(), entries, 'nothing was sent or logged');
  });

  it('the panel survives a window reload (serializer) and shows the log again', async () => {
    await runPaletteCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await panel.locator('.viewport').waitFor({ state: 'visible', timeout: 30_000 });
    // The sockets did not survive the extension host's restart (deactivate closed them): an honest, empty view.
    await panel.locator('.totals').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await panel.locator('.totals').innerText(), /entries/);
  });

  it('leaves no unhandled promise rejection in the extension host', async () => {
    await page.waitForTimeout(1_200);
    assert.deepEqual(unhandledRejections(wb!.hostConsole), []);
  });
});
