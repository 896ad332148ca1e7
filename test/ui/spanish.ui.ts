// UI test: the workbench with VS Code's display language on Spanish (code-server --locale es). The Sockets
// view, the command palette, the traffic panel (toolbar, columns, totals, detail) and the notes panel
// (contents, search, the note itself) and a lab's instructions read in Spanish; screenshots 60-63 show them.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import {
  closeWorkbench,
  openWorkbench,
  runPaletteCommand,
  screenshot,
  screenshotIfFailed,
  selectors,
  type Workbench,
} from './workbench';
import { runPython } from './peers';

/** The webview whose app element has this accessible name (several webviews may be open). */
async function webview(page: Page, label: string): Promise<FrameLocator> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const n = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < n; i++) {
      const frame = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
      if ((await frame.locator(`#app[aria-label="${label}"]`).count()) === 1) {
        return frame;
      }
    }
    assert.ok(Date.now() < deadline, `no webview "${label}" among ${n}`);
    await page.waitForTimeout(200);
  }
}

describe('In Spanish (ui)', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let page: Page;
  let anyFailed = false;

  before(async () => {
    wb = await openWorkbench('ui-spanish', { locale: 'es' });
    page = wb.page;
    await page.locator(selectors.activityBarItem).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator(selectors.activityBarItem).click();
  });

  afterEach(async function () {
    anyFailed = (await screenshotIfFailed(this.currentTest, page, 'spanish-')) || anyFailed;
  });

  after(async () => {
    await closeWorkbench(wb, anyFailed);
  });

  it('the Sockets view welcomes in Spanish and the palette has the Spanish commands', async () => {
    await page
      .locator(selectors.sidebar)
      .getByText(/Todavía no hay sockets/)
      .waitFor({ state: 'visible', timeout: 20_000 });
    const prompts = await runPaletteCommand(page, 'Socket Playground: Iniciar servidor UDP', (prompt) =>
      /Puerto de 0 a 65535/.test(prompt) ? '0' : undefined,
    );
    assert.ok(
      prompts.some((p) => /¿Cómo debe responder el servidor\?/.test(p)),
      `the prompts: ${prompts.join(' / ')}`,
    );
    const row = page.locator(selectors.treeRows, { hasText: /Servidor UDP/ }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, '60-spanish-sockets-view');
  });

  it('the traffic panel reads in Spanish, with a real client’s datagrams', async () => {
    const row = page.locator(selectors.treeRows, { hasText: /Servidor UDP/ }).first();
    const m = /127\.0\.0\.1:(\d+)/.exec(await row.innerText());
    assert.ok(m, `no port in the row: ${await row.innerText()}`);
    await runPaletteCommand(page, 'Socket Playground: Mostrar tráfico');
    const panel = await webview(page, 'Tráfico de sockets');
    await panel.locator('.viewport').waitFor({ state: 'visible', timeout: 20_000 });
    const reply = await runPython('UDPClient.py', ['127.0.0.1', m[1]!], 'hola desde python\n');
    assert.match(reply, /HOLA DESDE PYTHON/);
    const recv = panel.locator('.rows .row.ev-receive', { hasText: 'hola desde python' }).first();
    await recv.waitFor({ state: 'visible', timeout: 10_000 });
    await recv.click();
    assert.equal(
      await panel.locator('input[type=search]').first().getAttribute('placeholder'),
      'Filtrar texto, dirección, puerto…',
    );
    assert.match(await panel.locator('.row.head').innerText(), /hora[\s\S]*evento[\s\S]*carga útil/);
    assert.match(await panel.locator('.totals').innerText(), /^\d+ entradas/);
    assert.equal(await panel.locator('.pane-title').first().textContent(), 'Diagrama de secuencia');
    await screenshot(page, '61-spanish-traffic-panel');
  });

  it('the notes panel reads in Spanish: contents, search and the note', async () => {
    await runPaletteCommand(page, 'Socket Playground: Abrir apuntes', () => ({ pick: 'connection refused' }));
    const notes = await webview(page, 'Apuntes del curso de programación con sockets');
    const search = notes.locator('input[type=search]');
    await search.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await search.getAttribute('placeholder'), 'Buscar en los apuntes');
    assert.match(await notes.locator('.toc').innerText(), /Capas y puertos[\s\S]*La API de sockets/);
    assert.match(await notes.locator('article.note h1').innerText(), /\S/);
    assert.equal(await notes.locator('.toc').getAttribute('aria-label'), 'Índice');
    await screenshot(page, '62-spanish-notes-panel');
  });

  it("a lab's instructions open in Spanish from the Labs list", async () => {
    await runPaletteCommand(page, 'Socket Playground: Listar prácticas', () => ({ pick: 'Pinger UDP' }));
    // The instructions open as a Markdown preview beside the editor (a webview), or as the Markdown itself.
    const spanish = /Escribe UDPPinger\.py: envía 10 pings al servidor UDP/;
    const deadline = Date.now() + 30_000;
    let seen = '';
    for (;;) {
      const frames = page.frameLocator('iframe.webview.ready');
      const n = await page.locator('iframe.webview.ready').count();
      for (let i = 0; i < n && !spanish.test(seen); i++) {
        const body = frames.nth(i).frameLocator('#active-frame').locator('body');
        seen = (await body.innerText({ timeout: 2_000 }).catch(() => '')).replace(/`/g, '');
      }
      if (!spanish.test(seen)) {
        seen = (await page.locator('.editor-instance .view-lines').allInnerTexts())
          .join('\n')
          .replace(/`/g, '');
      }
      if (spanish.test(seen) || Date.now() > deadline) {
        break;
      }
      await page.waitForTimeout(250);
    }
    assert.match(seen, spanish);
    assert.match(seen, /El playground hace de servidor de pings/);
    await screenshot(page, '63-spanish-lab-instructions');
  });
});
