/**
 * The SMTP mail client lab: the student's client sends one mail; the playground is the mail server. It greets
 * late, answers in pieces, and records the dialogue and the mail. The checks: wait for the 220 greeting and
 * for each reply, send HELO/EHLO, MAIL FROM, RCPT TO, DATA, the message ended by <CRLF>.<CRLF>, and QUIT, with
 * every line ended by CRLF.
 */
import { NoteId } from '../notes/notes';
import {
  formatDialogue,
  formatMail,
  SmtpServerPeer,
  type SmtpLine,
  type SmtpSession,
} from '../protocols/smtpServer';
import { parseCommand } from '../protocols/smtpDialogue';
import { exitProblem, fail, pass, quote } from './checks';
import type { LabRunContext } from './labContext';
import type { LabDefinition } from './labDefinition';
import type { LabCheck } from './types';

export const smtpClientLab: LabDefinition = {
  id: 'smtp-client',
  title: 'SMTP mail client',
  summary:
    "Your SMTP client sends one mail to the playground's mail server, which records the dialogue and the mail.",
  role: 'client',
  protocol: 'tcp',
  defaults: { port: 2525, greetDelayMs: 200, timeoutMs: 20_000 },
  params: ['greetDelayMs'],
  instructions: [
    'Write an SMTP client that sends one mail to the mail server on `localhost` port 2525 (a real server listens on',
    '25; the playground cannot bind a port below 1024). Connect, then wait for the `220` greeting. Send',
    '`HELO <your name>` (or EHLO), `MAIL FROM:<you@example.com>`, `RCPT TO:<someone@example.com>`, `DATA`, the',
    "message's lines, a line with a single `.`, and `QUIT`. Read each reply before the next command, and check its code",
    '(250, 354, 221). Every line ends with `\\r\\n`.',
    '',
    'The playground plays the mail server. It greets late and sends each reply in pieces: a client that sends before',
    'the reply has ended (reading one recv() and going on) is caught. It records the dialogue and the mail, shown in',
    'the last check.',
  ].join('\n'),
  run: (ctx) => runSmtpLab(ctx),
};

const describeLine = (l: SmtpLine) => quote(l.text, 60);

async function runSmtpLab(ctx: LabRunContext): Promise<LabCheck[]> {
  const server = await SmtpServerPeer.start(ctx.engine, {
    port: ctx.port,
    host: '127.0.0.1',
    greetDelayMs: Number(ctx.params['greetDelayMs'] ?? 200),
  });
  ctx.own(server.socket);
  ctx.port = server.socket.local.port;
  try {
    const program = ctx.startProgram();
    const exit = await ctx.programExit();
    // A client that exits at once may leave lines the server has not handled yet (it greets late): let the
    // dialogue settle before judging it.
    await server.whenSettled(Math.max(2000, Math.min(5000, ctx.remainingMs)));
    const checks: LabCheck[] = [];
    const s: SmtpSession | undefined = server.dialogues[0];
    const entries = ctx.entries();
    if (!s) {
      const problem = exitProblem(program, exit, ctx.timeoutMs);
      checks.push(
        fail(
          'connected',
          `Connected to the mail server on port ${ctx.port}`,
          `Expected your client to connect to localhost port ${ctx.port}; no connection came.${problem ? ` Your program: ${problem}` : ''} Connect with clientSocket.connect(("localhost", ${ctx.port})).`,
          undefined,
          [NoteId.TcpClientProgram, NoteId.ConnectionRefused],
        ),
      );
      return checks;
    }
    const ev = entries.filter((r) => r.socketId === s.connectionId).map((r) => r.seq);
    checks.push(
      pass(
        'connected',
        `Connected to the mail server on port ${ctx.port}`,
        `Your client connected from port ${s.client.port}.`,
      ),
    );

    const commands = s.lines.filter((l) => !l.inData);
    // 1. The greeting first.
    const greetTitle = 'Waited for the 220 greeting';
    const first = s.lines[0];
    if (!first) {
      checks.push(
        fail('greeting', greetTitle, 'Your client sent nothing at all.', ev, [NoteId.SmtpDialogue]),
      );
    } else if (first.early) {
      checks.push(
        fail(
          'greeting',
          greetTitle,
          `Your client sent ${describeLine(first)} before the server's greeting had ${first.early.sentSoFar ? `ended: only ${quote(first.early.sentSoFar)} of it had been sent` : 'even begun'}${` (log #${first.seq})`}. ` +
            'The server speaks first: read its "220 …" line (up to its \\r\\n) before sending HELO.',
          [first.seq],
          [NoteId.SmtpDialogue, NoteId.SmtpReplyCodes],
        ),
      );
    } else {
      checks.push(
        pass('greeting', greetTitle, 'Your client read the 220 greeting before its first command.', [
          first.seq,
        ]),
      );
    }

    // 2. Each reply before the next command.
    const waitTitle = 'Waited for each reply before the next command';
    const early = s.lines.slice(1).find((l) => l.early);
    if (early) {
      const i = s.lines.indexOf(early);
      const prev = s.lines[i - 1]!;
      const what = early.early!;
      checks.push(
        fail(
          'replies',
          waitTitle,
          `Your client sent ${describeLine(early)} (log #${early.seq}) before the reply to ${describeLine(prev)} had ended: ` +
            (what.sentSoFar
              ? `only ${quote(what.sentSoFar)} of ${quote(what.waitingFor)} had been sent.`
              : `none of ${quote(what.waitingFor)} had been sent yet.`) +
            ' A reply can arrive in pieces, and one recv() returns only what has come so far: keep reading until the reply\'s last line (a code followed by a space, e.g. "250 ") ends with \\r\\n, check its code, and only then send the next command.',
          [early.seq],
          [NoteId.SmtpReplyCodes, NoteId.ProtocolFraming, NoteId.TcpByteStream],
        ),
      );
    } else if (s.lines.length > 1) {
      checks.push(
        pass(
          'replies',
          waitTitle,
          `Each of ${commands.length} commands came after the reply to the one before had ended.`,
        ),
      );
    } else {
      checks.push(
        fail(
          'replies',
          waitTitle,
          'Your client sent at most one line, so there was no dialogue to check.',
          ev,
          [NoteId.SmtpDialogue],
        ),
      );
    }

    // 3. The commands in order.
    const verbs = commands.map((l) => parseCommand(l.text).verb);
    const has = (v: string) => verbs.indexOf(v);
    const order = [
      {
        id: 'helo',
        verb: ['HELO', 'EHLO'],
        title: 'Sent HELO (or EHLO)',
        fix: 'Send "HELO yourname\\r\\n" after the greeting.',
      },
      {
        id: 'mail-from',
        verb: ['MAIL'],
        title: 'Sent MAIL FROM',
        fix: 'Send "MAIL FROM:<you@example.com>\\r\\n" after HELO\'s 250.',
      },
      {
        id: 'rcpt-to',
        verb: ['RCPT'],
        title: 'Sent RCPT TO',
        fix: 'Send "RCPT TO:<someone@example.com>\\r\\n" after MAIL FROM\'s 250.',
      },
      {
        id: 'data',
        verb: ['DATA'],
        title: 'Sent DATA',
        fix: 'Send "DATA\\r\\n" after RCPT TO\'s 250, and wait for 354.',
      },
    ];
    let last = -1;
    for (const step of order) {
      const at = Math.max(...step.verb.map(has));
      const line = at >= 0 ? commands[at] : undefined;
      const reply = line ? s.replies.find((r) => r.forLine === s.lines.indexOf(line)) : undefined;
      if (!line) {
        checks.push(
          fail(
            step.id,
            step.title,
            `Expected ${step.verb.join(' or ')}; your client's commands were: ${verbs.length ? verbs.join(', ') : 'none'}. ${step.fix}`,
            ev,
            [NoteId.SmtpDialogue],
          ),
        );
      } else if (at < last) {
        checks.push(
          fail(
            step.id,
            step.title,
            `${describeLine(line)} came out of order (after ${verbs.slice(0, at).join(', ') || 'nothing'}). The order is HELO, MAIL FROM, RCPT TO, DATA, the message, QUIT.`,
            [line.seq],
            [NoteId.SmtpDialogue],
          ),
        );
      } else if (reply && !/^(250|354)/.test(reply.text)) {
        checks.push(
          fail(
            step.id,
            step.title,
            `${describeLine(line)} was refused: the server answered ${quote(reply.text.trimEnd())}. ${step.fix}`,
            [line.seq, reply.lastSeq],
            [NoteId.SmtpReplyCodes, NoteId.SmtpDialogue],
          ),
        );
      } else {
        checks.push(
          pass(step.id, step.title, `${describeLine(line)} → ${quote(reply?.text.trimEnd() ?? '')}`, [
            line.seq,
          ]),
        );
      }
      last = Math.max(last, at);
    }

    // 4. The message, ended by <CRLF>.<CRLF>; the recorded mail is shown here.
    const msgTitle = 'Sent a message ended by <CRLF>.<CRLF>';
    const mail = s.mails[0];
    if (!mail) {
      const inData = s.lines.some((l) => l.inData);
      checks.push(
        fail(
          'message',
          msgTitle,
          inData
            ? 'Your client sent message lines after DATA but never the line with a single "." that ends the message, so the server is still waiting. End the message with "\\r\\n.\\r\\n".'
            : 'No message came after DATA. After the 354 reply, send the message lines, then "\\r\\n.\\r\\n".',
          ev,
          [NoteId.SmtpDotStuffing, NoteId.SmtpDialogue],
        ),
      );
    } else if (s.dataEndCrlf === false) {
      checks.push(
        fail(
          'message',
          msgTitle,
          `The message ended with a bare \\n, "\\n.\\n", where SMTP wants "\\r\\n.\\r\\n". The server recorded it anyway:\n${formatMail(mail)}\n\nThe dialogue:\n${formatDialogue(s)}`,
          ev,
          [NoteId.SmtpDotStuffing, NoteId.CrlfLineEnds],
        ),
      );
    } else {
      checks.push(
        pass(
          'message',
          msgTitle,
          `The server recorded this mail:\n${formatMail(mail)}\n\nThe dialogue:\n${formatDialogue(s)}`,
          ev,
        ),
      );
    }

    // 5. QUIT.
    const quitTitle = 'Sent QUIT';
    checks.push(
      s.quit
        ? pass('quit', quitTitle, 'Your client ended the dialogue with QUIT and got 221.')
        : fail(
            'quit',
            quitTitle,
            `Expected QUIT at the end; the dialogue ended after ${verbs.length ? verbs[verbs.length - 1] : 'nothing'}. Send "QUIT\\r\\n", read the 221, then close the socket.`,
            ev,
            [NoteId.SmtpDialogue],
          ),
    );

    // 6. CRLF everywhere.
    const crlfTitle = 'Every line ended with \\r\\n (CRLF)';
    const bare = s.lines.find((l) => !l.crlf);
    if (bare) {
      const n = s.lines.filter((l) => !l.crlf).length;
      checks.push(
        fail(
          'crlf',
          crlfTitle,
          `${describeLine(bare)} (log #${bare.seq}) ended with a bare \\n, not \\r\\n${n > 1 ? `, and so did ${n - 1} more of your ${s.lines.length} lines` : ''}. SMTP (like HTTP) ends every line with the two bytes \\r\\n; many real servers refuse bare \\n. Write "HELO me\\r\\n", not "HELO me\\n".`,
          [bare.seq],
          [NoteId.CrlfLineEnds, NoteId.SmtpDialogue],
        ),
      );
    } else {
      checks.push(pass('crlf', crlfTitle, `All ${s.lines.length} lines ended with \\r\\n.`));
    }

    // 7. The program ended by itself.
    const problem = exitProblem(program, exit, ctx.timeoutMs);
    checks.push(
      problem
        ? fail(
            'exited',
            'Exited by itself',
            `Expected your client to exit after QUIT; ${problem}`,
            undefined,
            [NoteId.TcpClose],
          )
        : pass('exited', 'Exited by itself', 'Your client exited with code 0.'),
    );
    return checks;
  } finally {
    await server.close();
  }
}
