/**
 * Traffic panel in Chromium (README, Speed: renders 100,000 entries and keeps scrolling at ≥ 50 frames per
 * second). Loads the real webview bundle and stylesheet in headless Chromium with a stand-in for
 * acquireVsCodeApi, feeds it 100,000 rows in the batches the host sends, and measures render time and the frame
 * times while scrolling. Writes .bench/panel.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(__dirname, '../../..');
const ENTRIES = Number(process.env.BENCH_PANEL_ENTRIES ?? 100_000);
const BATCH = 10_000;
const SCROLL_MS = Number(process.env.BENCH_SCROLL_MS ?? 3000);

const page = `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/dist/codicons/codicon.css"><link rel="stylesheet" href="/media/traffic.css">
<script src="/stub.js"></script></head><body><div id="app"></div><script src="/dist/webview.js"></script></body></html>`;

// Stands in for the VS Code webview host: records what the panel posts; the page itself is the real bundle.
const stub = `window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => undefined });`;

function serve(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    } else if (url === '/stub.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(stub);
    } else if (/^\/(dist|media)\/[\w./-]+$/.test(url) && !url.includes('..')) {
      const type = url.endsWith('.css') ? 'text/css' : url.endsWith('.js') ? 'text/javascript' : 'font/ttf';
      try {
        res.writeHead(200, { 'content-type': type }).end(readFileSync(path.join(root, url)));
      } catch {
        res.writeHead(404).end();
      }
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1]! };
}

async function main(): Promise<void> {
  const server = await serve();
  const port = (server.address() as AddressInfo).port;
  // Keep Chromium's config and caches out of the home folder.
  const scratch = mkdtempSync(path.join(tmpdir(), 'sp-panel-bench-'));
  const browser = await chromium.launch({
    env: { ...process.env, HOME: scratch, XDG_CONFIG_HOME: scratch, XDG_CACHE_HOME: scratch },
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const p = await ctx.newPage();
    await p.goto(`http://127.0.0.1:${port}/`);
    await p.waitForFunction(() =>
      (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'),
    );
    const result = await p.evaluate(
      async ({ entries, batch, scrollMs }) => {
        const rows = (from: number, n: number) => {
          const out: unknown[] = [];
          const t0 = Date.now();
          for (let i = 0; i < n; i++) {
            const seq = from + i;
            const ev = seq % 3 === 0 ? 4 : 5; // send / receive
            out.push([
              seq,
              t0 + seq,
              seq % 7 === 0 ? 'udp-client-2' : 'udp-server-1',
              ev,
              '127.0.0.1:12000',
              `127.0.0.1:${40000 + (seq % 1000)}`,
              24,
              btoa(`datagram number ${seq}`),
              0,
              'udp-no-connection,udp-sender-address',
            ]);
          }
          return out;
        };
        const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
        const send = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
        const totals = { entries: 0, evicted: 0, held: 0 };
        const start = performance.now();
        send({
          type: 'init',
          rows: [],
          sockets: [],
          notes: [{ id: 'udp-no-connection', title: 'UDP has no connection' }],
          totals,
          settings: { payloadView: 'text', maxEntries: entries },
          filterSocketId: undefined,
        });
        const batchTimes: number[] = [];
        for (let from = 1; from <= entries; from += batch) {
          const b0 = performance.now();
          send({
            type: 'trafficAppended',
            rows: rows(from, Math.min(batch, entries - from + 1)),
            totals: { entries: from + batch - 1, evicted: 0, held: from + batch - 1 },
          });
          await frame();
          batchTimes.push(performance.now() - b0);
        }
        await frame();
        await frame();
        const renderMs = performance.now() - start;
        const vp = document.querySelector('.viewport') as HTMLElement;
        const rendered = document.querySelectorAll('.rows .row:not([hidden])').length;
        const rowCount = Number(vp.getAttribute('aria-rowcount'));
        // Scroll from the top down, one big step per frame, and record frame intervals.
        (document.querySelector('button[title^="Follow"]') as HTMLButtonElement).click();
        vp.scrollTop = 0;
        await frame();
        const frames: number[] = [];
        let last = performance.now();
        const end = last + scrollMs;
        while (performance.now() < end) {
          vp.scrollTop += 733;
          await frame();
          const now = performance.now();
          frames.push(now - last);
          last = now;
        }
        const firstCell = document.querySelector('.rows .row:not([hidden]) .c-seq')?.textContent;
        return { renderMs, batchTimes, frames, rendered, rowCount, scrolledTo: vp.scrollTop, firstCell };
      },
      { entries: ENTRIES, batch: BATCH, scrollMs: SCROLL_MS },
    );
    const f = stats(result.frames);
    const fps = 1000 / f.median;
    const summary = {
      entries: ENTRIES,
      rowCountShown: result.rowCount,
      domRows: result.rendered,
      renderMs: Math.round(result.renderMs),
      batchMedianMs: Math.round(stats(result.batchTimes).median),
      frameMs: f,
      fpsMedian: fps,
      framesOver20ms: result.frames.filter((x) => x > 20).length,
      frames: result.frames.length,
      ok: result.rowCount === ENTRIES && fps >= 50,
    };
    console.log(
      `Traffic panel in Chromium: ${ENTRIES} entries rendered in ${summary.renderMs} ms (median ${summary.batchMedianMs} ms per 10,000-row batch), ${summary.domRows} DOM rows; ` +
        `scrolling: median frame ${f.median.toFixed(1)} ms (${fps.toFixed(0)} fps), p95 ${f.p95.toFixed(1)} ms, ${summary.framesOver20ms}/${summary.frames} frames over 20 ms (budget ≥ 50 fps) ${summary.ok ? 'OK' : 'BELOW BUDGET'}`,
    );
    const dir = path.join(root, '.bench');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'panel.json'),
      JSON.stringify({ date: new Date().toISOString(), ...summary }, null, 2),
    );
    if (!summary.ok) {
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
