/**
 * Reads what a UDP Pinger client printed: per ping, a timeout or a reply and its RTT, and the summary lines
 * (min/avg/max RTT, loss rate). Pure, so the tolerant reading gets table tests.
 */

export type PingLine = { timeout?: boolean; reply?: boolean; rttMs?: number; line: number };

export type PingSummary = {
  minMs?: number;
  avgMs?: number;
  maxMs?: number;
  /** Printed decimals of the summary values, for the tolerance of the comparison. */
  decimals?: number;
  lossPercent?: number;
  line?: number;
};

export type PingOutput = { pings: Map<number, PingLine>; summary: PingSummary };

const NUM = '(\\d+(?:\\.\\d+)?(?:[eE]-?\\d+)?)';
const UNIT = '\\s*(ms|msec|milliseconds?|µs|us|microseconds?|s|sec|secs|seconds?)?\\b';

/** Milliseconds for a number and its printed unit; no unit means seconds (what time.time() differences are). */
export function toMs(value: number, unit: string | undefined): number {
  const u = (unit ?? 's').toLowerCase();
  if (u.startsWith('ms') || u.startsWith('milli')) {
    return value;
  }
  if (u === 'us' || u === 'µs' || u.startsWith('micro')) {
    return value / 1000;
  }
  return value * 1000;
}

function rttOf(line: string): number | undefined {
  const m = new RegExp(`(?:\\brtt\\b|round[- ]trip(?: time)?)[^\\d\\n]*?${NUM}${UNIT}`, 'i').exec(line);
  return m ? toMs(Number(m[1]), m[2]) : undefined;
}

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function readSummary(line: string, summary: PingSummary, index: number): void {
  const triple = new RegExp(`min/avg/max(?:/\\w+)?[^\\d\\n]*${NUM}/${NUM}/${NUM}${UNIT}`, 'i').exec(line);
  if (triple) {
    summary.minMs = toMs(Number(triple[1]), triple[4]);
    summary.avgMs = toMs(Number(triple[2]), triple[4]);
    summary.maxMs = toMs(Number(triple[3]), triple[4]);
    summary.decimals = Math.min(decimalsOf(triple[1]!), decimalsOf(triple[2]!), decimalsOf(triple[3]!));
    summary.line = index;
  } else {
    for (const [key, re] of [
      ['minMs', /\bmin(?:imum)?\b/i],
      ['avgMs', /\b(?:avg|average|mean)\b/i],
      ['maxMs', /\bmax(?:imum)?\b/i],
    ] as const) {
      const k = re.exec(line);
      if (k) {
        const m = new RegExp(`^[^\\d\\n]*?${NUM}${UNIT}`, 'i').exec(line.slice(k.index + k[0].length));
        if (m) {
          summary[key] = toMs(Number(m[1]), m[2]);
          summary.decimals = Math.min(summary.decimals ?? 99, decimalsOf(m[1]!));
          summary.line = index;
        }
      }
    }
  }
  if (/\bloss\b|\blost\b/i.test(line)) {
    const pct = new RegExp(`${NUM}\\s*%`).exec(line);
    if (pct) {
      summary.lossPercent = Number(pct[1]);
      summary.line ??= index;
    }
  }
}

/**
 * Reads the output line by line. A "Request timed out" line is the outcome of the next ping not yet
 * accounted for; a line with the server's reply (`PING n …`) is ping n's; an RTT line belongs to the reply
 * just printed, or, without one, is the next ping's reply. `firstNumber` is the program's first sequence number.
 */
export function parsePingOutput(output: string, firstNumber = 1): PingOutput {
  const pings = new Map<number, PingLine>();
  const summary: PingSummary = {};
  const slot = (n: number, line: number) => {
    let p = pings.get(n);
    if (!p) {
      p = { line };
      pings.set(n, p);
    }
    return p;
  };
  let next = 1;
  let lastReply = 0;
  output.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) {
      return;
    }
    if (
      /\b(min|minimum|max|maximum|avg|average|mean|loss|lost|statistics)\b/i.test(line) &&
      !/timed? ?out/i.test(line)
    ) {
      readSummary(line, summary, index);
      return;
    }
    if (/timed? ?out/i.test(line)) {
      slot(next, index).timeout = true;
      next++;
      return;
    }
    const reply = /\bPING (\d+)\b/.exec(line);
    const rtt = rttOf(line);
    if (reply) {
      const n = Number(reply[1]) - firstNumber + 1;
      const p = slot(n, index);
      p.reply = true;
      if (rtt !== undefined) {
        p.rttMs = rtt;
      }
      next = n + 1;
      lastReply = n;
    } else if (rtt !== undefined) {
      if (lastReply === next - 1 && lastReply > 0 && pings.get(lastReply)?.rttMs === undefined) {
        pings.get(lastReply)!.rttMs = rtt;
      } else {
        const p = slot(next, index);
        p.reply = true;
        p.rttMs = rtt;
        lastReply = next;
        next++;
      }
    }
  });
  return { pings, summary };
}
