/**
 * The UDP Pinger lab: the playground is the pinger server on the lab's port. It answers each ping in upper
 * case, drops a seeded share of them (exactly round(loss × count) of the first count pings), and can delay
 * its answers. The student's client sends `count` pings `Ping <n> <time>`, waits at most 1 s for each reply,
 * prints "Request timed out" for the lost ones and the RTT for the others.
 */
import { asciiUppercase } from '../sockets/codec';
import { NoteId } from '../notes/notes';
import type { LogRecord } from '../traffic/trafficLog';
import { englishText, joinText, text, type Text } from '../../shared/l10n';
import { exitProblem, fail, pass, quote, seqs, skip } from './checks';
import { noteRef, type LabRunContext } from './labContext';
import { paragraphs, type LabDefinition } from './labDefinition';
import { parsePingOutput } from './pingOutput';
import type { MadeCheck } from './types';

/** The client's timeout the assignment asks for. */
const CLIENT_TIMEOUT_MS = 1000;
/** After a lost reply the next ping must come about a second later: at least this… */
const MIN_GAP_MS = 900;
/** …and at most this (a busy machine may be slow, a 2 s timeout is not "about a second"). */
const MAX_GAP_MS = 1900;

const RTT_NOTE = NoteId.MeasuringRtt;
const LOSS_NOTE = NoteId.LossRate;

const PINGER_TEXTS = {
  title: text('UDP Pinger'),
  summary: text(
    'Your UDPPinger.py against the pinger server: 10 pings, a 1 s timeout, RTTs and the lost ones.',
  ),
  instructions: paragraphs(
    text(
      'Write `UDPPinger.py`: send 10 pings to the UDP server on `localhost` port 12000, one after the other. Each ping is one datagram `Ping <sequence number> <time>`, numbered from 1. Wait at most one second for each reply (`clientSocket.settimeout(1)`): when the reply comes, print it and its round-trip time (e.g. `RTT: 0.000213 s`); when it does not, print `Request timed out` and send the next ping. Optionally print a summary at the end: `min/avg/max RTT` and the packet loss rate in %.',
    ),
    text(
      'The playground plays the pinger server: it drops 30 % of the pings (which ones depends on the seed) and answers the others in upper case. It checks the pings, the timeout, the lines you print, and the summary.',
    ),
  ),
};

export const pingerLab: LabDefinition = {
  id: 'udp-pinger',
  title: englishText(PINGER_TEXTS.title),
  summary: englishText(PINGER_TEXTS.summary),
  texts: PINGER_TEXTS,
  role: 'client',
  protocol: 'udp',
  defaults: { port: 12000, loss: 0.3, delayMs: 0, count: 10, timeoutMs: 20_000 },
  params: ['loss', 'delayMs', 'count'],
  instructions: englishText(PINGER_TEXTS.instructions),
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

async function runPinger(ctx: LabRunContext): Promise<MadeCheck[]> {
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
  const checks: MadeCheck[] = [];
  const pingNote = NoteId.UdpClientProgram;

  // 1. The pings: count datagrams `Ping <n> <time>`, numbered in order.
  const texts = pings.map((r) => r.payload?.toString('utf8') ?? '');
  const countTitle = text('Sent {0} pings', count);
  if (pings.length === count) {
    checks.push(
      pass(
        'count',
        countTitle,
        text('The server received {0} datagrams.', count),
        pings.map((r) => r.seq),
      ),
    );
  } else {
    const problem = exitProblem(program, exit, ctx.timeoutMs);
    checks.push(
      fail(
        'count',
        countTitle,
        text(
          'Expected {0} pings, one datagram each, to port {1}; the server received {2}{3}{4}',
          count,
          ctx.port,
          pings.length,
          problem ? text(', and {0}', problem) : '.',
          pings.length === 0
            ? text(' Check serverPort ({0}) and that each ping is sent with sendto().', ctx.port)
            : '',
        ),
        pings.map((r) => r.seq),
        [pingNote, NoteId.UdpExplicitDestination],
      ),
    );
  }
  const formatTitle = text('Each ping is "Ping <n> <time>", in order');
  const firstNumber = Number(/^Ping (\d+) /.exec(texts[0] ?? '')?.[1] ?? 1) === 0 ? 0 : 1;
  const badIndex = texts.findIndex((t, i) => {
    const m = /^Ping (\d+) (\S.*)$/.exec(t.replace(/\r?\n$/, ''));
    return !m || Number(m[1]) !== i + firstNumber;
  });
  if (pings.length === 0) {
    checks.push(skip('format', formatTitle, text('No ping came, so none could be checked.')));
  } else if (badIndex >= 0) {
    const t = texts[badIndex]!;
    const numbered = /^Ping (\d+) (\S.*)$/.exec(t.replace(/\r?\n$/, ''));
    checks.push(
      fail(
        'format',
        formatTitle,
        text(
          'Ping {0} should read "Ping {1} <time>"; it was {2}{3}. {4}',
          badIndex + 1,
          badIndex + firstNumber,
          quote(t),
          seqs(pings[badIndex]),
          numbered
            ? text('Number the pings 1, 2, 3, … in the order you send them.')
            : text(
                'Build it as f"Ping {sequence_number} {time.time()}": the word Ping, a space, the number, a space, the time.',
              ),
        ),
        [pings[badIndex]!.seq],
        [pingNote, NoteId.PayloadEncoding],
      ),
    );
  } else {
    checks.push(
      pass(
        'format',
        formatTitle,
        text('{0} pings, numbered {1} to {2}.', pings.length, firstNumber, pings.length - 1 + firstNumber),
        pings.map((r) => r.seq),
      ),
    );
  }

  // 2. The timeout: after a lost reply the next ping comes about a second later; the program never hangs.
  const timeoutTitle = text('Waited 1 s for each reply, never forever');
  const timeoutNotes = [NoteId.Blocking, NoteId.UdpLossReorder];
  const lostIndices = [...dropped.keys()].filter((i) => i <= pings.length).sort((a, b) => a - b);
  let timeoutCheck: MadeCheck | undefined;
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
          text(
            'The server dropped ping {0}{1}; your client sent ping {2} only {3} later{4}. ' +
              'Expected it to wait 1 s for the reply first: call clientSocket.settimeout(1) before recvfrom().',
            i,
            seqs(lost, drop),
            i + 1,
            seconds(gap),
            seqs(nextPing),
          ),
          evidence,
          timeoutNotes,
        );
        break;
      }
      if (gap > MAX_GAP_MS) {
        timeoutCheck = fail(
          'timeout',
          timeoutTitle,
          text(
            'The server dropped ping {0}{1}; your client waited {2} before ping {3}{4}. ' +
              'Expected about 1 s: clientSocket.settimeout(1).',
            i,
            seqs(lost, drop),
            seconds(gap),
            i + 1,
            seqs(nextPing),
          ),
          evidence,
          timeoutNotes,
        );
        break;
      }
    } else if (!exit) {
      timeoutCheck = fail(
        'timeout',
        timeoutTitle,
        text(
          'The server dropped ping {0}{1} and your client was still waiting for its reply when the lab stopped it, ' +
            '{2} after the start: recvfrom() blocks forever when the reply is lost. Call clientSocket.settimeout(1) ' +
            'before sending, and catch the timeout (except timeout:) to print "Request timed out" and go on.',
          i,
          seqs(lost, drop),
          seconds(ctx.timeoutMs),
        ),
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
      text(
        'Your client was still running after {0} and was stopped. With a 1 s timeout, {1} pings take at most about {1} s.',
        seconds(ctx.timeoutMs),
        count,
      ),
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
            text('No ping was dropped in this run, so the timeout could not be watched.'),
          )
        : pass(
            'timeout',
            timeoutTitle,
            text(
              'After each lost reply (pings {0}) your client waited about a second, then went on.',
              lostIndices.join(', '),
            ),
            lostIndices.flatMap((i) => [pings[i - 1]!.seq]),
          );
  }
  checks.push(timeoutCheck);

  // 3. What it printed: "Request timed out" exactly for the lost pings, an RTT for the others.
  const parsed = parsePingOutput(program.output, firstNumber);
  const lostSet = new Set(lostIndices);
  const timedOutTitle = text('"Request timed out" for exactly the lost pings');
  const sent = pings.length;
  let printedCheck: MadeCheck | undefined;
  for (let i = 1; i <= sent; i++) {
    const line = parsed.pings.get(i);
    if (lostSet.has(i) && !line?.timeout) {
      printedCheck = fail(
        'timed-out',
        timedOutTitle,
        text(
          'The server dropped ping {0}{1}, but your program printed no "Request timed out" for it. ' +
            'When recvfrom() raises a timeout, print "Request timed out".',
          i,
          seqs(
            pings[i - 1],
            drops.find((d) => d.seq > pings[i - 1]!.seq),
          ),
        ),
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
        text(
          'Ping {0} was answered{1}, but your program printed "Request timed out" for it. {2}' +
            'Print "Request timed out" only when recvfrom() times out.',
          i,
          seqs(reply),
          delayMs > 0
            ? text('The server waits {0} ms before answering: is your timeout shorter than 1 s? ', delayMs)
            : '',
        ),
        reply ? [reply.seq] : [pings[i - 1]!.seq],
        [NoteId.Blocking],
      );
      break;
    }
  }
  checks.push(
    printedCheck ??
      (sent === 0
        ? skip('timed-out', timedOutTitle, text('No ping was sent.'))
        : pass(
            'timed-out',
            timedOutTitle,
            lostIndices.length
              ? text('"Request timed out" for pings {0}, and only for them.', lostIndices.join(', '))
              : text('No ping was lost, and none was reported as timed out.'),
          )),
  );

  const rttTitle = text('An RTT for each answered ping');
  const answered = Array.from({ length: sent }, (_, k) => k + 1).filter((i) => !lostSet.has(i));
  const noRtt = answered.find((i) => parsed.pings.get(i)?.rttMs === undefined);
  const rtts = answered.map((i) => parsed.pings.get(i)?.rttMs).filter((v): v is number => v !== undefined);
  if (sent === 0 || answered.length === 0) {
    checks.push(skip('rtt', rttTitle, text('No ping was answered.')));
  } else if (noRtt !== undefined) {
    const reply = sends.find((s) => s.seq > pings[noRtt - 1]!.seq);
    checks.push(
      fail(
        'rtt',
        rttTitle,
        text(
          'Ping {0} was answered{1}; expected a line with its round-trip time, e.g. "RTT: 0.000213 s", and found none. ' +
            'Take time.time() before sendto() and after recvfrom(); print the difference with the word RTT.',
          noRtt,
          seqs(reply),
        ),
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
        text(
          'An RTT of {0} ms cannot be right: {1}a reply counts only within 1 s. ' +
            'Measure from just before sendto() to just after recvfrom(), and say the unit (s or ms).',
          bad.toFixed(3),
          delayMs > 0 ? text('the server waited {0} ms before each answer, and ', delayMs) : '',
        ),
        undefined,
        [RTT_NOTE],
      ),
    );
  } else {
    checks.push(
      pass(
        'rtt',
        rttTitle,
        text(
          '{0} RTTs, from {1} to {2} ms.',
          rtts.length,
          Math.min(...rtts).toFixed(3),
          Math.max(...rtts).toFixed(3),
        ),
      ),
    );
  }

  // 4. The summary, when printed: min/avg/max agree with the RTTs printed, the loss rate with the server's count.
  const summaryTitle = text('Summary agrees with what the server saw');
  const s = parsed.summary;
  const hasRtt = s.minMs !== undefined || s.avgMs !== undefined || s.maxMs !== undefined;
  if (!hasRtt && s.lossPercent === undefined) {
    checks.push(
      skip(
        'summary',
        summaryTitle,
        text('No summary printed (min/avg/max RTT, loss rate): nothing to compare.'),
      ),
    );
  } else {
    const problems: Text[] = [];
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
            text(
              '{0} RTT printed {1} ms, but the RTTs you printed give {2} ms',
              name,
              printed.toFixed(3),
              want.toFixed(3),
            ),
          );
        }
      }
    }
    if (s.lossPercent !== undefined && sent > 0) {
      const want = (100 * drops.length) / sent;
      if (Math.abs(s.lossPercent - want) > 0.6) {
        problems.push(
          text(
            'loss rate printed {0} %, but the server dropped {1} of {2} pings ({3} %)',
            s.lossPercent,
            drops.length,
            sent,
            want.toFixed(0),
          ),
        );
      }
    }
    checks.push(
      problems.length
        ? fail(
            'summary',
            summaryTitle,
            text(
              'Expected the summary to agree with the run: {0}. Compute min, max and the mean over the answered pings only, and loss = lost / sent × 100.',
              joinText(problems, '; '),
            ),
            drops.map((d) => d.seq),
            [RTT_NOTE, LOSS_NOTE],
          )
        : pass(
            'summary',
            summaryTitle,
            text(
              'The summary agrees: {0}.',
              joinText(
                [
                  ...(hasRtt ? ['min/avg/max RTT'] : []),
                  ...(s.lossPercent !== undefined ? [text('loss {0} %', s.lossPercent)] : []),
                ],
                ', ',
              ),
            ),
          ),
    );
  }

  // 5. It ended by itself, with code 0.
  const problem = exitProblem(program, exit, ctx.timeoutMs);
  checks.push(
    problem
      ? fail(
          'exited',
          text('Exited'),
          text('Expected your pinger to exit with code 0 after the last ping; {0}', problem),
          undefined,
          exit ? [pingNote] : [NoteId.Blocking],
        )
      : pass(
          'exited',
          text('Exited'),
          text('Your pinger exited with code 0 after {0}.', seconds(exit!.timeMs - program.startedAt)),
        ),
  );
  return checks;
}
