/**
 * The UDP Pinger lab: the playground is the pinger server on the lab's port. It answers each ping in upper
 * case, drops a seeded share of them (exactly round(loss × count) of the first count pings), and can delay
 * its answers. The student's client sends `count` pings `Ping <n> <time>`, waits at most 1 s for each reply,
 * prints "Request timed out" for the lost ones and the RTT for the others.
 */
import { asciiUppercase } from '../sockets/codec';
import { NoteId } from '../notes/notes';
import type { LogRecord } from '../traffic/trafficLog';
import { exitProblem, fail, pass, quote, seqs, skip } from './checks';
import { noteRef, type LabRunContext } from './labContext';
import type { LabDefinition } from './labDefinition';
import { parsePingOutput } from './pingOutput';
import type { LabCheck } from './types';

/** The client's timeout the assignment asks for. */
const CLIENT_TIMEOUT_MS = 1000;
/** After a lost reply the next ping must come about a second later: at least this… */
const MIN_GAP_MS = 900;
/** …and at most this (a busy machine may be slow, a 2 s timeout is not "about a second"). */
const MAX_GAP_MS = 1900;

const RTT_NOTE = NoteId.MeasuringRtt;
const LOSS_NOTE = NoteId.LossRate;

export const pingerLab: LabDefinition = {
  id: 'udp-pinger',
  title: 'UDP Pinger',
  summary: 'Your UDPPinger.py against the pinger server: 10 pings, a 1 s timeout, RTTs and the lost ones.',
  role: 'client',
  protocol: 'udp',
  defaults: { port: 12000, loss: 0.3, delayMs: 0, count: 10, timeoutMs: 20_000 },
  params: ['loss', 'delayMs', 'count'],
  instructions: [
    'Write `UDPPinger.py`: send 10 pings to the UDP server on `localhost` port 12000, one after the other. Each ping is',
    'one datagram `Ping <sequence number> <time>`, numbered from 1. Wait at most one second for each reply',
    '(`clientSocket.settimeout(1)`): when the reply comes, print it and its round-trip time (e.g. `RTT: 0.000213 s`);',
    'when it does not, print `Request timed out` and send the next ping.',
    'Optionally print a summary at the end: `min/avg/max RTT` and the packet loss rate in %.',
    '',
    'The playground plays the pinger server: it drops 30 % of the pings (which ones depends on the seed) and',
    'answers the others in upper case. It checks the pings, the timeout, the lines you print, and the summary.',
  ].join('\n'),
  run: runPinger,
};

function shuffledDrops(rnd: () => number, count: number, drops: number): Set<number> {
  const order = Array.from({ length: count }, (_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return new Set(order.slice(0, drops));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function runPinger(ctx: LabRunContext): Promise<LabCheck[]> {
  const loss = Number(ctx.params.loss ?? 0.3);
  const delayMs = Number(ctx.params.delayMs ?? 0);
  const count = Number(ctx.params.count ?? 10);
  const dropSet = shuffledDrops(ctx.random(2), count, Math.round(loss * count));
  const extraRandom = ctx.random(3);
  const server = ctx.own(
    await ctx.registry.startUdpServer({ port: ctx.port, host: '127.0.0.1', behavior: 'sink' }),
  );
  ctx.port = server.local.port;

  // The pinger server: answer or drop each ping as it arrives.
  let arrivals = 0;
  const dropped = new Map<number, LogRecord>(); // arrival index → the ping's receive entry
  ctx.onEntry((r) => {
    if (r.socketId !== server.id || r.event !== 'receive' || !r.remote) {
      return;
    }
    arrivals++;
    const payload = Buffer.from(r.payload ?? []);
    const to = { address: r.remote.address, port: r.remote.port };
    const drop = arrivals <= count ? dropSet.has(arrivals) : extraRandom() < loss;
    if (drop) {
      dropped.set(arrivals, r);
      ctx.log.append({
        socketId: server.id,
        protocol: 'udp',
        event: 'drop',
        local: server.local,
        remote: to,
        bytes: payload.length,
        payload,
        notes: [noteRef(NoteId.Impairment), noteRef(NoteId.UdpLossReorder)],
      });
      return;
    }
    const reply = asciiUppercase(payload).toString('base64');
    const send = () =>
      void ctx.registry
        .send({ socketId: server.id, data: reply, encoding: 'base64', to })
        .catch(() => undefined);
    if (delayMs > 0) {
      ctx.later(delayMs, send);
    } else {
      send();
    }
  });

  const program = ctx.startProgram();
  const exit = await ctx.programExit();
  const entries = ctx.entries();
  const pings = entries.filter((r) => r.socketId === server.id && r.event === 'receive');
  const sends = entries.filter((r) => r.socketId === server.id && r.event === 'send');
  const drops = entries.filter((r) => r.socketId === server.id && r.event === 'drop');
  const checks: LabCheck[] = [];
  const pingNote = NoteId.UdpClientProgram;

  // 1. The pings: count datagrams `Ping <n> <time>`, numbered in order.
  const texts = pings.map((r) => r.payload?.toString('utf8') ?? '');
  const countTitle = `Sent ${count} pings`;
  if (pings.length === count) {
    checks.push(
      pass(
        'count',
        countTitle,
        `The server received ${count} datagrams.`,
        pings.map((r) => r.seq),
      ),
    );
  } else {
    const problem = exitProblem(program, exit, ctx.timeoutMs);
    checks.push(
      fail(
        'count',
        countTitle,
        `Expected ${count} pings, one datagram each, to port ${ctx.port}; the server received ${pings.length}` +
          (problem ? `, and ${problem}` : '.') +
          (pings.length === 0
            ? ` Check serverPort (${ctx.port}) and that each ping is sent with sendto().`
            : ''),
        pings.map((r) => r.seq),
        [pingNote, NoteId.UdpExplicitDestination],
      ),
    );
  }
  const formatTitle = 'Each ping is "Ping <n> <time>", in order';
  const firstNumber = Number(/^Ping (\d+) /.exec(texts[0] ?? '')?.[1] ?? 1) === 0 ? 0 : 1;
  const badIndex = texts.findIndex((t, i) => {
    const m = /^Ping (\d+) (\S.*)$/.exec(t.replace(/\r?\n$/, ''));
    return !m || Number(m[1]) !== i + firstNumber;
  });
  if (pings.length === 0) {
    checks.push(skip('format', formatTitle, 'No ping came, so none could be checked.'));
  } else if (badIndex >= 0) {
    const t = texts[badIndex]!;
    const numbered = /^Ping (\d+) (\S.*)$/.exec(t.replace(/\r?\n$/, ''));
    checks.push(
      fail(
        'format',
        formatTitle,
        `Ping ${badIndex + 1} should read "Ping ${badIndex + firstNumber} <time>"; it was ${quote(t)}${seqs(pings[badIndex])}. ` +
          (numbered
            ? 'Number the pings 1, 2, 3, … in the order you send them.'
            : 'Build it as f"Ping {sequence_number} {time.time()}": the word Ping, a space, the number, a space, the time.'),
        [pings[badIndex]!.seq],
        [pingNote, NoteId.PayloadEncoding],
      ),
    );
  } else {
    checks.push(
      pass(
        'format',
        formatTitle,
        `${pings.length} pings, numbered ${firstNumber} to ${pings.length - 1 + firstNumber}.`,
        pings.map((r) => r.seq),
      ),
    );
  }

  // 2. The timeout: after a lost reply the next ping comes about a second later; the program never hangs.
  const timeoutTitle = 'Waited 1 s for each reply, never forever';
  const timeoutNotes = [NoteId.Blocking, NoteId.UdpLossReorder];
  const lostIndices = [...dropped.keys()].filter((i) => i <= pings.length).sort((a, b) => a - b);
  let timeoutCheck: LabCheck | undefined;
  for (const i of lostIndices) {
    const lost = pings[i - 1]!;
    const nextPing = pings[i];
    const drop = drops.find((d) => d.seq > lost.seq);
    const evidence = [lost.seq, ...(drop ? [drop.seq] : []), ...(nextPing ? [nextPing.seq] : [])];
    if (nextPing) {
      const gap = nextPing.timeMs - lost.timeMs;
      if (gap < MIN_GAP_MS) {
        timeoutCheck = fail(
          'timeout',
          timeoutTitle,
          `The server dropped ping ${i}${seqs(lost, drop)}; your client sent ping ${i + 1} only ${seconds(gap)} later${seqs(nextPing)}. ` +
            'Expected it to wait 1 s for the reply first: call clientSocket.settimeout(1) before recvfrom().',
          evidence,
          timeoutNotes,
        );
        break;
      }
      if (gap > MAX_GAP_MS) {
        timeoutCheck = fail(
          'timeout',
          timeoutTitle,
          `The server dropped ping ${i}${seqs(lost, drop)}; your client waited ${seconds(gap)} before ping ${i + 1}${seqs(nextPing)}. ` +
            'Expected about 1 s: clientSocket.settimeout(1).',
          evidence,
          timeoutNotes,
        );
        break;
      }
    } else if (!exit) {
      timeoutCheck = fail(
        'timeout',
        timeoutTitle,
        `The server dropped ping ${i}${seqs(lost, drop)} and your client was still waiting for its reply when the lab stopped it, ` +
          `${seconds(ctx.timeoutMs)} after the start: recvfrom() blocks forever when the reply is lost. Call clientSocket.settimeout(1) ` +
          'before sending, and catch the timeout (except timeout:) to print "Request timed out" and go on.',
        evidence,
        timeoutNotes,
      );
      break;
    }
  }
  if (!timeoutCheck && !exit) {
    timeoutCheck = fail(
      'timeout',
      timeoutTitle,
      `Your client was still running after ${seconds(ctx.timeoutMs)} and was stopped. With a 1 s timeout, ${count} pings take at most about ${count} s.`,
      pings.length ? [pings[pings.length - 1]!.seq] : undefined,
      timeoutNotes,
    );
  }
  if (!timeoutCheck) {
    timeoutCheck =
      lostIndices.length === 0
        ? skip(
            'timeout',
            timeoutTitle,
            'No ping was dropped in this run, so the timeout could not be watched.',
          )
        : pass(
            'timeout',
            timeoutTitle,
            `After each lost reply (pings ${lostIndices.join(', ')}) your client waited about a second, then went on.`,
            lostIndices.flatMap((i) => [pings[i - 1]!.seq]),
          );
  }
  checks.push(timeoutCheck);

  // 3. What it printed: "Request timed out" exactly for the lost pings, an RTT for the others.
  const parsed = parsePingOutput(program.output, firstNumber);
  const lostSet = new Set(lostIndices);
  const timedOutTitle = '"Request timed out" for exactly the lost pings';
  const sent = pings.length;
  let printedCheck: LabCheck | undefined;
  for (let i = 1; i <= sent; i++) {
    const line = parsed.pings.get(i);
    if (lostSet.has(i) && !line?.timeout) {
      printedCheck = fail(
        'timed-out',
        timedOutTitle,
        `The server dropped ping ${i}${seqs(
          pings[i - 1],
          drops.find((d) => d.seq > pings[i - 1]!.seq),
        )}, but your program printed no "Request timed out" for it. ` +
          'When recvfrom() raises a timeout, print "Request timed out".',
        [pings[i - 1]!.seq],
        [NoteId.Blocking],
      );
      break;
    }
    if (!lostSet.has(i) && line?.timeout) {
      const reply = sends.find((s) => s.seq > pings[i - 1]!.seq);
      printedCheck = fail(
        'timed-out',
        timedOutTitle,
        `Ping ${i} was answered${seqs(reply)}, but your program printed "Request timed out" for it. ` +
          (delayMs > 0
            ? `The server waits ${delayMs} ms before answering: is your timeout shorter than 1 s? `
            : '') +
          'Print "Request timed out" only when recvfrom() times out.',
        reply ? [reply.seq] : [pings[i - 1]!.seq],
        [NoteId.Blocking],
      );
      break;
    }
  }
  checks.push(
    printedCheck ??
      (sent === 0
        ? skip('timed-out', timedOutTitle, 'No ping was sent.')
        : pass(
            'timed-out',
            timedOutTitle,
            lostIndices.length
              ? `"Request timed out" for pings ${lostIndices.join(', ')}, and only for them.`
              : 'No ping was lost, and none was reported as timed out.',
          )),
  );

  const rttTitle = 'An RTT for each answered ping';
  const answered = Array.from({ length: sent }, (_, k) => k + 1).filter((i) => !lostSet.has(i));
  const noRtt = answered.find((i) => parsed.pings.get(i)?.rttMs === undefined);
  const rtts = answered.map((i) => parsed.pings.get(i)?.rttMs).filter((v): v is number => v !== undefined);
  if (sent === 0 || answered.length === 0) {
    checks.push(skip('rtt', rttTitle, 'No ping was answered.'));
  } else if (noRtt !== undefined) {
    const reply = sends.find((s) => s.seq > pings[noRtt - 1]!.seq);
    checks.push(
      fail(
        'rtt',
        rttTitle,
        `Ping ${noRtt} was answered${seqs(reply)}; expected a line with its round-trip time, e.g. "RTT: 0.000213 s", and found none. ` +
          'Take time.time() before sendto() and after recvfrom(); print the difference with the word RTT.',
        reply ? [reply.seq] : undefined,
        [RTT_NOTE],
      ),
    );
  } else if (
    rtts.some((v) => v < 0 || v > CLIENT_TIMEOUT_MS + delayMs) ||
    (delayMs > 0 && rtts.some((v) => v < delayMs * 0.9))
  ) {
    const bad = rtts.find(
      (v) => v < 0 || v > CLIENT_TIMEOUT_MS + delayMs || (delayMs > 0 && v < delayMs * 0.9),
    )!;
    checks.push(
      fail(
        'rtt',
        rttTitle,
        `An RTT of ${bad.toFixed(3)} ms cannot be right: ${delayMs > 0 ? `the server waited ${delayMs} ms before each answer, and ` : ''}a reply counts only within 1 s. ` +
          'Measure from just before sendto() to just after recvfrom(), and say the unit (s or ms).',
        undefined,
        [RTT_NOTE],
      ),
    );
  } else {
    checks.push(
      pass(
        'rtt',
        rttTitle,
        `${rtts.length} RTTs, from ${Math.min(...rtts).toFixed(3)} to ${Math.max(...rtts).toFixed(3)} ms.`,
      ),
    );
  }

  // 4. The summary, when printed: min/avg/max agree with the RTTs printed, the loss rate with the server's count.
  const summaryTitle = 'Summary agrees with what the server saw';
  const s = parsed.summary;
  const hasRtt = s.minMs !== undefined || s.avgMs !== undefined || s.maxMs !== undefined;
  if (!hasRtt && s.lossPercent === undefined) {
    checks.push(
      skip('summary', summaryTitle, 'No summary printed (min/avg/max RTT, loss rate): nothing to compare.'),
    );
  } else {
    const problems: string[] = [];
    // What the printed precision can show, plus a little: 0.1234 printed as 0.123 is fine.
    const unitTol = 10 ** -(s.decimals ?? 3) * 1000;
    const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(unitTol, Math.abs(b) * 0.02, 0.001);
    if (rtts.length > 0) {
      const min = Math.min(...rtts);
      const max = Math.max(...rtts);
      const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
      for (const [name, printed, want] of [
        ['min', s.minMs, min],
        ['avg', s.avgMs, avg],
        ['max', s.maxMs, max],
      ] as const) {
        if (printed !== undefined && !near(printed, want)) {
          problems.push(
            `${name} RTT printed ${printed.toFixed(3)} ms, but the RTTs you printed give ${want.toFixed(3)} ms`,
          );
        }
      }
    }
    if (s.lossPercent !== undefined && sent > 0) {
      const want = (100 * drops.length) / sent;
      if (Math.abs(s.lossPercent - want) > 0.6) {
        problems.push(
          `loss rate printed ${s.lossPercent} %, but the server dropped ${drops.length} of ${sent} pings (${want.toFixed(0)} %)`,
        );
      }
    }
    checks.push(
      problems.length
        ? fail(
            'summary',
            summaryTitle,
            `Expected the summary to agree with the run: ${problems.join('; ')}. Compute min, max and the mean over the answered pings only, and loss = lost / sent × 100.`,
            drops.map((d) => d.seq),
            [RTT_NOTE, LOSS_NOTE],
          )
        : pass(
            'summary',
            summaryTitle,
            `The summary agrees: ${[hasRtt ? 'min/avg/max RTT' : '', s.lossPercent !== undefined ? `loss ${s.lossPercent} %` : ''].filter(Boolean).join(', ')}.`,
          ),
    );
  }

  // 5. It ended by itself, with code 0.
  const problem = exitProblem(program, exit, ctx.timeoutMs);
  checks.push(
    problem
      ? fail(
          'exited',
          'Exited',
          `Expected your pinger to exit with code 0 after the last ping; ${problem}`,
          undefined,
          exit ? [pingNote] : [NoteId.Blocking],
        )
      : pass(
          'exited',
          'Exited',
          `Your pinger exited with code 0 after ${seconds(exit!.timeMs - program.startedAt)}.`,
        ),
  );
  return checks;
}
