// UI test: the lossy-link exercise as a student does it, in the real workbench. The student's own UDP server
// (the textbook UDPServer.py) gets a relay with 20 % loss in front of it, started from the palette; a pinger
// sends numbered datagrams through it and counts the echoes. The losses must show in the Sockets tree, in the
// traffic log (drop entries with their notes) and in the sequence diagram, and every count the UI shows must
// equal what the pinger itself saw. Then the same with TCP (TCPClient.py and TCPServer.py): every byte
// arrives, in order, and the panel says why.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { ImpairmentModel } from '../../src/core/sockets/impairment';
import {
  closeWorkbench,
  openWorkbench,
  repoRoot,
  runPaletteCommand,
  screenshot,
  selectors,
  unhandledRejections,
  type PromptAnswer,
  type Workbench,
  screenshotIfFailed,
} from './workbench';
import { runPython, startPythonServer } from './peers';

const PINGER = path.join(repoRoot, 'test', 'fixtures', 'relay', 'udp_pinger.py');
/** Pings through the UDP relay: enough that 20 % loss each way surely shows, few enough to stay quick. */
const PINGS = 60;
/** Runs of TCPClient.py through the TCP relay (one connection, one line and one reply each). */
const TCP_RUNS = 24;

/**
 * Polls `read` until `done` holds for what it returns, and returns that; after `timeoutMs` returns the last
 * value read, so that the caller's assertion reports what was actually there.
 */
async function settle<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    value = await read();
  }
  return value;
}

/**
 * The answers a student gives to Start Relay: the "20 % loss" choice, or (with `custom`) the same loss typed as a
 * custom impairment with a seed, which makes the relay's choices repeat exactly.
 */
function relayAnswers(
  protocol: 'UDP' | 'TCP',
  targetPort: number,
  custom?: string,
): (prompt: string) => PromptAnswer {
  return (prompt) => {
    if (/Which protocol/i.test(prompt)) {
      return { pick: protocol };
    }
    if (/Where is your/i.test(prompt)) {
      return String(targetPort);
    }
    if (/listen on/i.test(prompt)) {
      return '0';
    }
    if (/Impair the link/i.test(prompt)) {
      return { pick: custom ? 'Custom' : '20 % loss' };
    }
    if (/Rates as %/i.test(prompt)) {
      return custom;
    }
    return undefined;
  };
}

/**
 * A seed with which 20 % loss drops the first chunk the relay's first TCP connection carries towards the server,
 * so the run is sure to show a loss and its resend. Later connections draw their own seeded streams (derived from
 * this seed, src/core/relay.ts `models()`), and lose what those decide.
 */
function seedThatLosesTheFirstChunk(loss: number): number {
  for (let seed = 1; seed < 10_000; seed++) {
    if (new ImpairmentModel({ loss }, seed).decide().drop) {
      return seed;
    }
  }
  throw new Error('no seed found');
}

/** The number in front of `word` in a tree row's text (label and description run together there). */
function countBefore(text: string, word: string): number | undefined {
  const m = new RegExp(`(?<!\\d)(\\d+) ${word}\\b`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/** WCAG contrast ratio of two CSS colours given as "rgb(r, g, b)" / "rgba(...)". */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('Relay with 20 % loss (ui)', function () {
  this.timeout(240_000);
  let wb: Workbench | undefined;
  let page: Page;
  let panel: FrameLocator;
  let anyFailed = false;
  const procs: ChildProcess[] = [];
  /** What the UDP pinger saw: how many of its pings (or their echoes) the relay lost. */
  let udp: { lost: number } | undefined;

  const treeRow = (label: RegExp): Locator => page.locator(selectors.treeRows, { hasText: label }).first();
  const totals = (): Promise<string> => panel.locator('.totals').innerText();
  const eventFilter = (): Locator => panel.locator('select[aria-label="Filter by event"]');
  const protoFilter = (): Locator => panel.locator('select[aria-label="Filter by protocol"]');

  async function openPanel(): Promise<void> {
    await runPaletteCommand(page, 'Socket Playground: Show Traffic');
    panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await panel.locator('.viewport').waitFor({ state: 'visible', timeout: 30_000 });
  }

  before(async () => {
    wb = await openWorkbench('ui-relay');
    page = wb.page;
    await page.locator(selectors.activityBarItem).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator(selectors.activityBarItem).click();
  });

  afterEach(async function () {
    anyFailed = (await screenshotIfFailed(this.currentTest, page, 'relay-')) || anyFailed;
  });

  after(async () => {
    procs.forEach((p) => p.kill('SIGKILL'));
    await closeWorkbench(wb, anyFailed);
  });

  it('a UDP relay with 20 % loss, started from the palette, counts in the tree exactly what the pinger lost', async () => {
    const server = await startPythonServer('UDPServer.py');
    procs.push(server.proc);
    const prompts = await runPaletteCommand(
      page,
      'Socket Playground: Start Relay',
      relayAnswers('UDP', server.port),
    );
    assert.equal(prompts.length, 4, `protocol, target, listen port, impairment; saw ${prompts.join(' / ')}`);
    assert.match(prompts[3]!, /^pick: .*Impair the link/);

    const row = treeRow(/UDP relay/);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const where = /127\.0\.0\.1:(\d+) → (?:127\.0\.0\.1)?:(\d+)/.exec(await row.innerText());
    assert.ok(where, `the relay row names both ends: ${await row.innerText()}`);
    assert.equal(Number(where[2]), server.port, 'the relay forwards to UDPServer.py');
    const relayPort = Number(where[1]);
    assert.notEqual(relayPort, server.port);
    assert.equal(countBefore(await row.innerText(), 'lost'), 0, 'nothing lost before any traffic');

    const out = await runPython(PINGER, ['127.0.0.1', String(relayPort), String(PINGS), '0.25'], '', 120_000);
    const summary = JSON.parse(out.trim().split('\n').pop()!) as { sent: number; echoed: number[] };
    assert.equal(summary.sent, PINGS);
    const lost = PINGS - summary.echoed.length;
    // 20 % each way: about 36 % of the round trips fail. None or all failing would mean no relay, or no loss.
    assert.ok(lost > 0 && lost < PINGS, `some pings or echoes lost, not all: ${lost} of ${PINGS}`);
    udp = { lost };

    const text = await settle(
      () => row.innerText(),
      (t) => countBefore(t, 'lost') === lost,
    );
    assert.equal(countBefore(text, 'lost'), lost, `the tree counts what the pinger lost: ${text}`);
    // The relay's leg to the server (one per client address, like a NAT entry) is its child.
    await page
      .locator(selectors.treeRows, { hasText: /Leg to server/ })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    // The tooltip says what was lost and that UDP does not get it back.
    await row.hover();
    const tooltip = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /lost/ }).first();
    await tooltip.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await tooltip.innerText(), new RegExp(`${lost} datagrams`));
    await screenshot(page, '30-relay-udp-loss-tree');
    await page.mouse.move(900, 700);
  });

  it('the traffic panel logs every loss with its notes, counts them, and the diagram draws them as lost', async () => {
    assert.ok(udp, 'needs the UDP relay run');
    await openPanel();
    // The counts over the whole log, as the relay logged them.
    const all = await settle(totals, (t) => new RegExp(`\\b${udp!.lost} datagrams? lost`).test(t));
    assert.match(all, new RegExp(`\\b${udp.lost} datagrams? lost`), `totals: ${all}`);

    // Only the losses: as many log entries as the pinger lost, each a drop with the UDP-loss note.
    await eventFilter().selectOption('impairment');
    await protoFilter().selectOption('udp');
    const filtered = await settle(totals, (t) => new RegExp(`^${udp!.lost} of \\d+ entries`).test(t));
    assert.match(filtered, new RegExp(`^${udp.lost} of \\d+ entries`), `filtered totals: ${filtered}`);
    // The list is virtualised: it holds the rows in sight, every one of them a drop.
    const shown = await panel.locator('.rows .row:not([hidden])').count();
    assert.ok(shown >= 1 && shown <= udp.lost, `${shown} rows in the list`);
    const drops = panel.locator('.rows .row.ev-drop:not([hidden])');
    assert.equal(await drops.count(), shown, 'every entry shown is a drop');
    const first = drops.first();
    assert.match(await first.locator('.c-event').innerText(), /drop/);
    assert.match(
      (await first.locator('.c-notes').getAttribute('title')) ?? '',
      /UDP: datagrams may be lost/,
      'the drop carries the UDP-loss note',
    );

    // The diagram of the filtered view: one "lost" arrow per lost datagram, both ways (pings and echoes).
    const lostMarks = panel.locator('svg.seq g.mark.lost');
    const marksDrawn = await settle(
      () => lostMarks.count(),
      (n) => n === udp!.lost,
      10_000,
    );
    assert.equal(marksDrawn, udp.lost, 'every lost datagram is drawn as lost');
    assert.equal(await panel.locator('svg.seq g.mark').count(), udp.lost, 'and nothing else');
    const directions = new Set(
      (await lostMarks.evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label') ?? ''))).map((l) =>
        l.replace(/^#\d+ /, '').replace(/ · \d+ B/, ''),
      ),
    );
    assert.equal(directions.size, 2, `pings and echoes lost: ${[...directions].join(' | ')}`);

    // Back to everything: the lost arrows look different from the delivered ones.
    await eventFilter().selectOption('all');
    await protoFilter().selectOption('all');
    await settle(totals, (t) => /^\d+ entries/.test(t));
    await panel.locator('svg.seq g.mark.data').first().waitFor({ state: 'attached', timeout: 30_000 });
    // Read both from the chart as it is at one moment (it is redrawn as traffic and filters change).
    const style = await panel.locator('#app').evaluate((app) => {
      const read = (sel: string) => {
        const el = app.querySelector(`svg.seq ${sel}`);
        if (!el) {
          return undefined;
        }
        const cs = getComputedStyle(el);
        return { stroke: cs.stroke, dash: cs.strokeDasharray };
      };
      return { lost: read('g.mark.lost .line'), data: read('g.mark.data .line') };
    });
    assert.ok(style.lost && style.data, `both kinds drawn: ${JSON.stringify(style)}`);
    assert.notEqual(style.lost.stroke, style.data.stroke, 'lost arrows have their own colour');
    assert.notEqual(style.lost.dash, style.data.dash, 'and their own line');

    // Selecting a lost arrow (a ping lost on its way to the server, the far end of the chart) explains it in
    // the detail pane, and the chart scrolls to show the whole arrow.
    await panel.locator('svg.seq g.mark.lost[aria-label*="from relay leg"] text.label').last().click();
    const inView = await settle(
      () =>
        panel.locator('.diagram').evaluate((d) => {
          const line = d.querySelector('svg.seq g.mark.selected .line');
          const r = line?.getBoundingClientRect();
          const v = d.getBoundingClientRect();
          const gutter = d.querySelector('.seq-gutter')?.getBoundingClientRect().width ?? 0;
          return r ? r.left >= v.left + gutter - 1 && r.right <= v.right + 1 : false;
        }),
      (ok) => ok,
      10_000,
    );
    assert.ok(inView, 'the selected lost arrow is scrolled into view');
    const detail = panel.locator('.detail');
    await detail.locator('h2', { hasText: /drop · UDP/ }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await detail.innerText(), /never (arrives|arrived)/);
    assert.match(await detail.innerText(), /UDP: datagrams may be lost, duplicated or reordered/);
    await screenshot(page, '31-relay-udp-loss-panel');
  });

  it('a TCP relay with 20 % loss between TCPClient.py and TCPServer.py delivers every byte, in order', async () => {
    const server = await startPythonServer('TCPServer.py');
    procs.push(server.proc);
    const seed = seedThatLosesTheFirstChunk(0.2);
    const prompts = await runPaletteCommand(
      page,
      'Socket Playground: Start Relay',
      relayAnswers('TCP', server.port, `loss=20% seed=${seed}`),
    );
    assert.equal(
      prompts.length,
      5,
      `protocol, target, listen port, impairment, custom: ${prompts.join(' / ')}`,
    );
    const row = treeRow(/TCP relay/);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const where = /127\.0\.0\.1:(\d+) → (?:127\.0\.0\.1)?:(\d+)/.exec(await row.innerText());
    assert.ok(where, await row.innerText());
    assert.equal(Number(where[2]), server.port);
    const relayPort = Number(where[1]);

    for (let i = 1; i <= TCP_RUNS; i++) {
      const line = `line ${String(i).padStart(2, '0')}: the quick brown fox jumps over the lazy dog`;
      const out = await runPython('TCPClient.py', ['127.0.0.1', String(relayPort)], `${line}\n`, 30_000);
      // input() shows its prompt; the reply is the whole line, upper-cased: nothing missing, nothing swapped.
      assert.equal(
        out.trim().split('\n').pop(),
        `Input lowercase sentence:From Server: ${line.toUpperCase()}`,
      );
    }

    // The tree: no byte lost, and how many segments the simulated network made TCP resend.
    const text = await settle(
      () => row.innerText(),
      (t) => (countBefore(t, 'resent') ?? 0) >= 1,
    );
    assert.match(text, /(?<!\d)0 lost, \d+ resent/, `the TCP relay row says nothing was lost: ${text}`);
    const tcpResent = countBefore(text, 'resent') ?? 0;
    // The seed loses the first connection's line on its way to the server, and the later streams lose some more.
    assert.ok(tcpResent >= 1, `the first line was lost once and resent: ${text}`);

    // The panel: the same count, each loss explained by the TCP note, drawn as lost-and-resent.
    await protoFilter().selectOption('tcp');
    await eventFilter().selectOption('impairment');
    const t = await settle(totals, (s) => new RegExp(`\\b${tcpResent} segments? resent`).test(s));
    assert.match(t, new RegExp(`\\b${tcpResent} segments? resent`), t);
    assert.doesNotMatch(t, /datagrams lost/, 'no UDP loss among TCP entries');
    await eventFilter().selectOption('drop');
    const onlyDrops = await settle(totals, (s) => new RegExp(`^${tcpResent} of \\d+ entries`).test(s));
    assert.match(onlyDrops, new RegExp(`^${tcpResent} of \\d+ entries`), onlyDrops);
    const drop = panel.locator('.rows .row.ev-drop:not([hidden])').first();
    assert.match(
      (await drop.locator('.c-notes').getAttribute('title')) ?? '',
      /Why TCP still delivers in order when the network does not/,
    );
    const resentMarks = await settle(
      () => panel.locator('svg.seq g.mark.lost.resent').count(),
      (n) => n === tcpResent,
      10_000,
    );
    assert.equal(resentMarks, tcpResent, 'each TCP loss drawn as lost and resent');
    await drop.click();
    const detail = panel.locator('.detail');
    await detail.locator('h2', { hasText: /drop · TCP/ }).waitFor({ state: 'visible', timeout: 30_000 });
    const explained = await detail.innerText();
    assert.match(explained, /resen[dt]/i);
    assert.match(explained, /in order/);
    assert.match(explained, /Why TCP still delivers in order when the network does not/);
    await screenshot(page, '32-relay-tcp');
    await eventFilter().selectOption('all');
    await protoFilter().selectOption('all');
  });

  it('stays readable in the high-contrast theme', async () => {
    await runPaletteCommand(page, 'Preferences: Color Theme', (prompt) =>
      /theme/i.test(prompt) ? { pick: 'Dark High Contrast' } : undefined,
    );
    await page.locator('.monaco-workbench.hc-black').waitFor({ state: 'attached', timeout: 30_000 });
    await panel.locator('body.vscode-high-contrast').waitFor({ state: 'attached', timeout: 30_000 });
    await eventFilter().selectOption('impairment');
    await settle(totals, (t) => /^\d+ of \d+ entries/.test(t));
    await panel.locator('.rows .row.ev-drop:not([hidden])').first().click();
    // The row clicked may have been redrawn under the pointer: ask the list what is selected.
    const seq = await panel.locator('.rows .row.selected:not([hidden]) .c-seq').innerText();
    // The chart is redrawn a moment after a selection: wait for the one that shows it.
    await panel
      .locator(`svg.seq g.mark.lost.selected[data-seq="${seq}"]`)
      .waitFor({ state: 'attached', timeout: 30_000 });
    await panel
      .locator('.detail h2', { hasText: `#${seq} drop` })
      .waitFor({ state: 'visible', timeout: 30_000 });
    const colours = await panel.locator('#app').evaluate((app) => {
      const doc = app.ownerDocument;
      const bg = getComputedStyle(doc.body).backgroundColor;
      const of = (sel: string, prop: 'color' | 'stroke' | 'fill') => {
        const el = doc.querySelector(sel);
        return el ? getComputedStyle(el)[prop] : '';
      };
      return {
        bg,
        dropEvent: of('.rows .row.ev-drop:not(.selected):not([hidden]) .c-event', 'color'),
        lostLine: of('svg.seq g.mark.lost .line', 'stroke'),
        lostLabel: of('svg.seq g.mark.lost text', 'fill'),
        totals: of('.totals', 'color'),
        hex: of('[data-testid=payload-hex]', 'color'),
      };
    });
    for (const [what, colour] of Object.entries(colours)) {
      if (what === 'bg') {
        continue;
      }
      assert.ok(colour, `${what} is drawn`);
      const ratio = contrast(colour, colours.bg);
      assert.ok(ratio >= 4.5, `${what} ${colour} on ${colours.bg}: contrast ${ratio.toFixed(2)} < 4.5`);
    }
    await screenshot(page, '33-relay-high-contrast');
  });

  it('leaves no unhandled promise rejection in the extension host', async () => {
    await page.waitForTimeout(2_500); // a second, and room for a busy machine
    assert.deepEqual(unhandledRejections(wb!.hostConsole), []);
  });
});
