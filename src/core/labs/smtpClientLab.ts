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
import { englishText, joinText, text } from '../../shared/l10n';
import { exitProblem, fail, pass, quote } from './checks';
import type { LabRunContext } from './labContext';
import { paragraphs, type LabDefinition } from './labDefinition';
import type { MadeCheck } from './types';

const SMTP_TEXTS = {
  title: text('SMTP mail client'),
  summary: text(
    "Your SMTP client sends one mail to the playground's mail server, which records the dialogue and the mail.",
  ),
  instructions: paragraphs(
    text(
      "Write an SMTP client that sends one mail to the mail server on `localhost` port 2525 (a real server listens on 25; the playground cannot bind a port below 1024). Connect, then wait for the `220` greeting. Send `HELO <your name>` (or EHLO), `MAIL FROM:<you@example.com>`, `RCPT TO:<someone@example.com>`, `DATA`, the message's lines, a line with a single `.`, and `QUIT`. Read each reply before the next command, and check its code (250, 354, 221). Every line ends with `\\r\\n`.",
    ),
    text(
      'The playground plays the mail server. It greets late and sends each reply in pieces: a client that sends before the reply has ended (reading one recv() and going on) is caught. It records the dialogue and the mail, shown in the last check.',
    ),
  ),
};

export const smtpClientLab: LabDefinition = {
  id: 'smtp-client',
  title: englishText(SMTP_TEXTS.title),
  summary: englishText(SMTP_TEXTS.summary),
  texts: SMTP_TEXTS,
  role: 'client',
  protocol: 'tcp',
  defaults: { port: 2525, greetDelayMs: 200, timeoutMs: 20_000 },
  params: ['greetDelayMs'],
  instructions: englishText(SMTP_TEXTS.instructions),
  run: (ctx) => runSmtpLab(ctx),
};

const describeLine = (l: SmtpLine) => quote(l.text, 60);

async function runSmtpLab(ctx: LabRunContext): Promise<MadeCheck[]> {
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
    const checks: MadeCheck[] = [];
    const connectedTitle = text('Connected to the mail server on port {0}', ctx.port);
    const s: SmtpSession | undefined = server.dialogues[0];
    const entries = ctx.entries();
    if (!s) {
      const problem = exitProblem(program, exit, ctx.timeoutMs);
      checks.push(
        fail(
          'connected',
          connectedTitle,
          text(
            'Expected your client to connect to localhost port {0}; no connection came.{1} Connect with clientSocket.connect(("localhost", {0})).',
            ctx.port,
            problem ? text(' Your program: {0}', problem) : '',
          ),
          undefined,
          [NoteId.TcpClientProgram, NoteId.ConnectionRefused],
        ),
      );
      return checks;
    }
    const ev = entries.filter((r) => r.socketId === s.connectionId).map((r) => r.seq);
    checks.push(
      pass('connected', connectedTitle, text('Your client connected from port {0}.', s.client.port)),
    );

    const commands = s.lines.filter((l) => !l.inData);
    // 1. The greeting first.
    const greetTitle = text('Waited for the 220 greeting');
    const first = s.lines[0];
    if (!first) {
      checks.push(
        fail('greeting', greetTitle, text('Your client sent nothing at all.'), ev, [NoteId.SmtpDialogue]),
      );
    } else if (first.early) {
      checks.push(
        fail(
          'greeting',
          greetTitle,
          text(
            "Your client sent {0} before the server's greeting had {1}{2}. " +
              'The server speaks first: read its "220 …" line (up to its \\r\\n) before sending HELO.',
            describeLine(first),
            first.early.sentSoFar
              ? text('ended: only {0} of it had been sent', quote(first.early.sentSoFar))
              : text('even begun'),
            text(' (log {0})', `#${first.seq}`),
          ),
          [first.seq],
          [NoteId.SmtpDialogue, NoteId.SmtpReplyCodes],
        ),
      );
    } else {
      checks.push(
        pass('greeting', greetTitle, text('Your client read the 220 greeting before its first command.'), [
          first.seq,
        ]),
      );
    }

    // 2. Each reply before the next command.
    const waitTitle = text('Waited for each reply before the next command');
    const early = s.lines.slice(1).find((l) => l.early);
    if (early) {
      const i = s.lines.indexOf(early);
      const prev = s.lines[i - 1]!;
      const what = early.early!;
      checks.push(
        fail(
          'replies',
          waitTitle,
          text(
            'Your client sent {0}{1} before the reply to {2} had ended: {3}' +
              ' A reply can arrive in pieces, and one recv() returns only what has come so far: keep reading until the reply\'s last line (a code followed by a space, e.g. "250 ") ends with \\r\\n, check its code, and only then send the next command.',
            describeLine(early),
            text(' (log {0})', `#${early.seq}`),
            describeLine(prev),
            what.sentSoFar
              ? text('only {0} of {1} had been sent.', quote(what.sentSoFar), quote(what.waitingFor))
              : text('none of {0} had been sent yet.', quote(what.waitingFor)),
          ),
          [early.seq],
          [NoteId.SmtpReplyCodes, NoteId.ProtocolFraming, NoteId.TcpByteStream],
        ),
      );
    } else if (s.lines.length > 1) {
      checks.push(
        pass(
          'replies',
          waitTitle,
          text('Each of {0} commands came after the reply to the one before had ended.', commands.length),
        ),
      );
    } else {
      checks.push(
        fail(
          'replies',
          waitTitle,
          text('Your client sent at most one line, so there was no dialogue to check.'),
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
        title: text('Sent HELO (or EHLO)'),
        fix: text('Send "HELO yourname\\r\\n" after the greeting.'),
      },
      {
        id: 'mail-from',
        verb: ['MAIL'],
        title: text('Sent MAIL FROM'),
        fix: text('Send "MAIL FROM:<you@example.com>\\r\\n" after HELO\'s 250.'),
      },
      {
        id: 'rcpt-to',
        verb: ['RCPT'],
        title: text('Sent RCPT TO'),
        fix: text('Send "RCPT TO:<someone@example.com>\\r\\n" after MAIL FROM\'s 250.'),
      },
      {
        id: 'data',
        verb: ['DATA'],
        title: text('Sent DATA'),
        fix: text('Send "DATA\\r\\n" after RCPT TO\'s 250, and wait for 354.'),
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
            text(
              "Expected {0}; your client's commands were: {1}. {2}",
              step.verb.length > 1 ? text('{0} or {1}', step.verb[0]!, step.verb[1]!) : step.verb[0]!,
              verbs.length ? verbs.join(', ') : text('none'),
              step.fix,
            ),
            ev,
            [NoteId.SmtpDialogue],
          ),
        );
      } else if (at < last) {
        checks.push(
          fail(
            step.id,
            step.title,
            text(
              '{0} came out of order (after {1}). The order is HELO, MAIL FROM, RCPT TO, DATA, the message, QUIT.',
              describeLine(line),
              verbs.slice(0, at).join(', ') || text('nothing'),
            ),
            [line.seq],
            [NoteId.SmtpDialogue],
          ),
        );
      } else if (reply && !/^(250|354)/.test(reply.text)) {
        checks.push(
          fail(
            step.id,
            step.title,
            text(
              '{0} was refused: the server answered {1}. {2}',
              describeLine(line),
              quote(reply.text.trimEnd()),
              step.fix,
            ),
            [line.seq, reply.lastSeq],
            [NoteId.SmtpReplyCodes, NoteId.SmtpDialogue],
          ),
        );
      } else {
        checks.push(
          pass(
            step.id,
            step.title,
            joinText([describeLine(line), quote(reply?.text.trimEnd() ?? '')], ' → '),
            [line.seq],
          ),
        );
      }
      last = Math.max(last, at);
    }

    // 4. The message, ended by <CRLF>.<CRLF>; the recorded mail is shown here.
    const msgTitle = text('Sent a message ended by <CRLF>.<CRLF>');
    const mail = s.mails[0];
    if (!mail) {
      const inData = s.lines.some((l) => l.inData);
      checks.push(
        fail(
          'message',
          msgTitle,
          inData
            ? text(
                'Your client sent message lines after DATA but never the line with a single "." that ends the message, so the server is still waiting. End the message with "\\r\\n.\\r\\n".',
              )
            : text(
                'No message came after DATA. After the 354 reply, send the message lines, then "\\r\\n.\\r\\n".',
              ),
          ev,
          [NoteId.SmtpDotStuffing, NoteId.SmtpDialogue],
        ),
      );
    } else if (s.dataEndCrlf === false) {
      checks.push(
        fail(
          'message',
          msgTitle,
          text(
            'The message ended with a bare \\n, "\\n.\\n", where SMTP wants "\\r\\n.\\r\\n". The server recorded it anyway:\n{0}\n\nThe dialogue:\n{1}',
            formatMail(mail),
            formatDialogue(s),
          ),
          ev,
          [NoteId.SmtpDotStuffing, NoteId.CrlfLineEnds],
        ),
      );
    } else {
      checks.push(
        pass(
          'message',
          msgTitle,
          text(
            'The server recorded this mail:\n{0}\n\nThe dialogue:\n{1}',
            formatMail(mail),
            formatDialogue(s),
          ),
          ev,
        ),
      );
    }

    // 5. QUIT.
    const quitTitle = text('Sent QUIT');
    checks.push(
      s.quit
        ? pass('quit', quitTitle, text('Your client ended the dialogue with QUIT and got 221.'))
        : fail(
            'quit',
            quitTitle,
            text(
              'Expected QUIT at the end; the dialogue ended after {0}. Send "QUIT\\r\\n", read the 221, then close the socket.',
              verbs.length ? verbs[verbs.length - 1]! : text('nothing'),
            ),
            ev,
            [NoteId.SmtpDialogue],
          ),
    );

    // 6. CRLF everywhere.
    const crlfTitle = text('Every line ended with \\r\\n (CRLF)');
    const bare = s.lines.find((l) => !l.crlf);
    if (bare) {
      const n = s.lines.filter((l) => !l.crlf).length;
      checks.push(
        fail(
          'crlf',
          crlfTitle,
          text(
            '{0}{1} ended with a bare \\n, not \\r\\n{2}. SMTP (like HTTP) ends every line with the two bytes \\r\\n; many real servers refuse bare \\n. Write "HELO me\\r\\n", not "HELO me\\n".',
            describeLine(bare),
            text(' (log {0})', `#${bare.seq}`),
            n > 1 ? text(', and so did {0} more of your {1} lines', n - 1, s.lines.length) : '',
          ),
          [bare.seq],
          [NoteId.CrlfLineEnds, NoteId.SmtpDialogue],
        ),
      );
    } else {
      checks.push(pass('crlf', crlfTitle, text('All {0} lines ended with \\r\\n.', s.lines.length)));
    }

    // 7. The program ended by itself.
    const problem = exitProblem(program, exit, ctx.timeoutMs);
    checks.push(
      problem
        ? fail(
            'exited',
            text('Exited by itself'),
            text('Expected your client to exit after QUIT; {0}', problem),
            undefined,
            [NoteId.TcpClose],
          )
        : pass('exited', text('Exited by itself'), text('Your client exited with code 0.')),
    );
    return checks;
  } finally {
    await server.close();
  }
}
