/**
 * The uppercase server labs (UDP and TCP): the student's server on the lab's port; the playground's clients,
 * each from its own port (over TCP one after the other), send sentences and check each reply came back to its
 * sender in upper case, and that the server kept serving.
 */
import { asciiUppercase } from '../sockets/codec';
import { listListeningPorts } from '../os/procNet';
import { NoteId } from '../notes/notes';
import type { LogRecord } from '../traffic/trafficLog';
import type { Protocol, SocketInfo } from '../../shared/types';
import { englishText, text, type Text } from '../../shared/l10n';
import { errorText, exitProblem, exitVerb, fail, pass, quote, seqs, skip, tail } from './checks';
import type { LabRunContext } from './labContext';
import { paragraphs, type LabDefinition } from './labDefinition';
import type { MadeCheck } from './types';

const DEFAULT_SENTENCES = ['hello', 'socket programming is fun', 'one more, from another port'];
/** How long the lab waits for the server to bind its port. */
const BIND_WAIT_MS = 10_000;
/** How long each client waits for its reply. */
const REPLY_WAIT_MS = 2_000;

export function uppercaseServerLab(protocol: Protocol): LabDefinition {
  const P = protocol.toUpperCase();
  const texts = {
    title: text('{0} uppercase server', P),
    summary: text(
      "Your {0}Server.py on port 12000: the playground's clients send sentences and expect them in upper case.",
      P,
    ),
    instructions: paragraphs(
      protocol === 'udp'
        ? text(
            'Write `{0}Server.py`: bind port 12000, then forever: receive a datagram with recvfrom(), and send the sentence in upper case back to the address it came from.',
            P,
          )
        : text(
            'Write `{0}Server.py`: bind port 12000, then forever: accept a connection, receive the sentence, send it back in upper case, close the connection socket.',
            P,
          ),
      protocol === 'udp'
        ? text(
            'The playground starts your server, waits until the port is bound, then {0} clients, each from its own port, send a sentence each. It checks every reply went back to its sender, in upper case, and that your server was still serving after the last one.',
            DEFAULT_SENTENCES.length,
          )
        : text(
            'The playground starts your server, waits until the port is bound, then {0} clients, each from its own port and one after the other, send a sentence each. It checks every reply went back to its sender, in upper case, and that your server was still serving after the last one.',
            DEFAULT_SENTENCES.length,
          ),
    ),
  };
  return {
    id: `${protocol}-uppercase-server`,
    title: englishText(texts.title),
    summary: englishText(texts.summary),
    texts,
    role: 'server',
    protocol,
    defaults: { port: 12000, sentences: DEFAULT_SENTENCES, timeoutMs: 20_000 },
    params: ['sentences'],
    instructions: englishText(texts.instructions),
    run: (ctx) => runServerLab(ctx, protocol),
  };
}

/** True when some process has the port bound (UDP) or listening (TCP) on this machine. */
async function portBound(protocol: Protocol, port: number): Promise<boolean> {
  const ports = await listListeningPorts().catch(() => []);
  return ports.some((p) => p.protocol === protocol && p.port === port);
}

/** A free port for the student's server (port 0 asks for one): the OS picks it for a socket we close at once. */
async function freePort(ctx: LabRunContext, protocol: Protocol): Promise<number> {
  const probe =
    protocol === 'udp'
      ? await ctx.registry.startUdpServer({ port: 0, host: '127.0.0.1', behavior: 'sink' })
      : await ctx.registry.startTcpServer({ port: 0, host: '127.0.0.1', behavior: 'sink' });
  await ctx.registry.closeSocket({ socketId: probe.id });
  return probe.local.port;
}

type Exchange = {
  sentence: string;
  client?: SocketInfo;
  sent?: LogRecord;
  replies: LogRecord[];
  reply: string;
  connectError?: Text;
  closedBy?: LogRecord;
};

async function runServerLab(ctx: LabRunContext, protocol: Protocol): Promise<MadeCheck[]> {
  const P = protocol.toUpperCase();
  const serverNote = protocol === 'udp' ? NoteId.UdpServerProgram : NoteId.TcpServerProgram;
  if (ctx.port === 0) {
    ctx.port = await freePort(ctx, protocol);
  }
  const port = ctx.port;
  const program = ctx.startProgram();
  const checks: MadeCheck[] = [];

  // Bound: there is no event for another process binding a port, so the OS's table is read until it shows it.
  const bindTitle = text('Bound port {0}', port);
  let bound = false;
  const bindDeadline = Date.now() + Math.min(BIND_WAIT_MS, ctx.remainingMs);
  while (!program.exit && Date.now() < bindDeadline) {
    if (await portBound(protocol, port)) {
      bound = true;
      break;
    }
    await ctx.waitFor(() => program.exit, 20);
  }
  if (!bound) {
    const problem = exitProblem(program, program.exit, ctx.timeoutMs);
    checks.push(
      fail(
        'bound',
        bindTitle,
        text(
          'Expected your server to bind {0} port {1}; {2}',
          P,
          port,
          program.exit
            ? (problem ?? text('it exited before binding. Its output:{0}', tail(program.output)))
            : text(
                "after {0} s nothing was bound there. Call serverSocket.bind(('', {1})) " +
                  '(and listen(1) for TCP) before waiting for clients.',
                Math.round(BIND_WAIT_MS / 1000),
                port,
              ),
        ),
        undefined,
        [NoteId.BindCall, NoteId.PortNumbers, serverNote],
      ),
    );
    await ctx.programExit();
    return checks;
  }
  checks.push(pass('bound', bindTitle, text('Your server bound {0} port {1}.', P, port)));

  // The sentences, in a seeded order: the same seed sends them in the same order.
  const sentences = [...((ctx.params.sentences as string[] | undefined) ?? DEFAULT_SENTENCES)];
  const rnd = ctx.random(1);
  for (let i = sentences.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [sentences[i], sentences[j]] = [sentences[j]!, sentences[i]!];
  }

  const exchanges: Exchange[] = [];
  for (const sentence of sentences) {
    const ex: Exchange = { sentence, replies: [], reply: '' };
    exchanges.push(ex);
    const expected = asciiUppercase(Buffer.from(sentence, 'utf8'));
    try {
      if (protocol === 'udp') {
        ex.client = ctx.own(await ctx.registry.openUdpClient({ host: '127.0.0.1', port }));
      } else {
        ex.client = ctx.own(
          await ctx.registry.connectTcpClient({ host: '127.0.0.1', port, timeoutMs: REPLY_WAIT_MS }),
        );
      }
    } catch (err) {
      ex.connectError = errorText(err);
      continue;
    }
    const id = ex.client.id;
    await ctx.registry.send({ socketId: id, data: sentence });
    const mine = () => ctx.entries().filter((r) => r.socketId === id);
    ex.sent = mine().find((r) => r.event === 'send');
    // UDP: one datagram is the reply. TCP: bytes until the sentence's length arrived or the server closed.
    await ctx.waitFor(() => {
      const rs = mine();
      const got = rs.filter((r) => r.event === 'receive');
      const bytes = got.reduce((n, r) => n + r.bytes, 0);
      const closed = rs.some((r) => r.event === 'close');
      return got.length > 0 && (protocol === 'udp' || bytes >= expected.length) ? true : closed || undefined;
    }, REPLY_WAIT_MS);
    const rs = mine();
    ex.replies = rs.filter((r) => r.event === 'receive');
    ex.reply = Buffer.concat(ex.replies.map((r) => Buffer.from(r.payload ?? []))).toString('utf8');
    if (protocol === 'tcp') {
      // One client after the other: this one closes before the next connects.
      await ctx.registry.closeSocket({ socketId: id }).catch(() => undefined);
      ex.closedBy = ctx.entries().find((r) => r.socketId === id && r.event === 'close');
    }
    if (program.exit || ex.replies.length === 0) {
      // The server is gone, or did not answer this client: the verdict is in, the next clients would only wait.
      break;
    }
  }
  if (exchanges.some((e) => e.replies.length === 0) && !program.exit) {
    // A refused connection can come before the exit of a server that just quit: give its exit a moment to show.
    await ctx.waitFor(() => program.exit, 1000);
  }

  // Every reply back to its sender: a datagram on the sender's own socket, from the server's port.
  const replyTitle = text('Each reply went back to its sender');
  const missing = exchanges.find((e) => e.replies.length === 0);
  const others = ctx
    .entries()
    .filter((r) => r.event === 'receive' && exchanges.every((e) => e.client?.id !== r.socketId));
  if (missing) {
    const n = exchanges.indexOf(missing) + 1;
    const from = missing.client ? text('from port {0}', missing.client.local.port) : '';
    let why: Text;
    if (missing.connectError) {
      why = text('client {0} could not connect: {1}', n, missing.connectError);
    } else if (program.exit && exchanges.indexOf(missing) > 0) {
      why = text(
        'client {0} {1} sent {2}{3} after your server had exited, and got no reply',
        n,
        from,
        quote(missing.sentence),
        seqs(missing.sent),
      );
    } else {
      why = text(
        'client {0} {1} sent {2}{3} and no reply came back to that port within {4} s',
        n,
        from,
        quote(missing.sentence),
        seqs(missing.sent),
        REPLY_WAIT_MS / 1000,
      );
      // Where it went instead, when it reached another of the lab's clients (e.g. the first client's address kept).
      const stray = ctx
        .entries()
        .find(
          (r) =>
            r.event === 'receive' &&
            r.seq > (missing.sent?.seq ?? 0) &&
            exchanges.some((e) => e !== missing && e.client?.id === r.socketId),
        );
      if (stray) {
        const k = exchanges.findIndex((e) => e.client?.id === stray.socketId) + 1;
        why = text(
          '{0}; the reply {1} went to client {2} (port {3}) instead{4}',
          why,
          quote(stray.payload),
          k,
          stray.local.port,
          seqs(stray),
        );
        others.push(stray);
      }
    }
    const fix =
      protocol === 'udp'
        ? text(
            'Send each reply to the address recvfrom() returned with that datagram: serverSocket.sendto(modifiedMessage, clientAddress), not to a fixed port or the first client.',
          )
        : text(
            'On each accepted connection, recv() the sentence and send the reply on that same connectionSocket.',
          );
    checks.push(
      fail(
        'reply-to-sender',
        replyTitle,
        text('Expected every client to get its reply; {0}. {1}', why, fix),
        [...(missing.sent ? [missing.sent.seq] : []), ...others.map((r) => r.seq)],
        protocol === 'udp'
          ? [NoteId.UdpSenderAddress, serverNote]
          : [NoteId.TcpConnectionSocket, NoteId.TcpFourTuple, serverNote],
      ),
    );
  } else {
    checks.push(
      pass(
        'reply-to-sender',
        replyTitle,
        text(
          '{0} clients, ports {1}: each got its reply on its own port.',
          exchanges.length,
          exchanges.map((e) => e.client?.local.port).join(', '),
        ),
        exchanges.flatMap((e) => e.replies.map((r) => r.seq)),
      ),
    );
  }

  // Upper case: each reply is its own sentence in capitals.
  const upperTitle = text('Each reply is the sentence in upper case');
  const wrong = exchanges.find(
    (e) => e.replies.length > 0 && e.reply !== asciiUppercase(Buffer.from(e.sentence)).toString('utf8'),
  );
  const answered = exchanges.filter((e) => e.replies.length > 0);
  if (wrong) {
    const expected = asciiUppercase(Buffer.from(wrong.sentence)).toString('utf8');
    const n = exchanges.indexOf(wrong) + 1;
    checks.push(
      fail(
        'uppercase',
        upperTitle,
        text(
          'Client {0} sent {1} and expected {2}; it got {3}{4}. {5}',
          n,
          quote(wrong.sentence),
          quote(expected),
          quote(wrong.reply),
          seqs(...wrong.replies),
          wrong.reply.toUpperCase() === expected
            ? text('Send sentence.upper() (decode, upper(), encode) and nothing else.')
            : protocol === 'tcp' && expected.startsWith(wrong.reply)
              ? text('Part of the reply is missing: send all of it (sendall) before closing.')
              : text('Reply with the received sentence in upper case, and only that.'),
        ),
        wrong.replies.map((r) => r.seq),
        [serverNote, NoteId.PayloadEncoding],
      ),
    );
  } else if (answered.length === 0) {
    checks.push(
      fail('uppercase', upperTitle, text('No reply came back, so none could be checked.'), undefined, [
        serverNote,
      ]),
    );
  } else {
    checks.push(
      pass(
        'uppercase',
        upperTitle,
        text('{0} replies, each its sentence in upper case.', answered.length),
        answered.flatMap((e) => e.replies.map((r) => r.seq)),
      ),
    );
  }

  // Kept serving: still running after the last client, every client answered.
  const keptTitle = text('Kept serving');
  const exitAfter = program.exit;
  const served = exchanges.filter((e) => e.replies.length > 0).length;
  if (exitAfter) {
    checks.push(
      fail(
        'kept-serving',
        keptTitle,
        text(
          'Expected your server to keep serving; it {0} after {1} of {2} clients. {3}',
          exitVerb(program, exitAfter, ctx.timeoutMs),
          served,
          sentences.length,
          protocol === 'udp'
            ? text('Put recvfrom() and sendto() inside a while True: loop.')
            : text(
                'Put accept(), recv(), send() and connectionSocket.close() inside a while True: loop; close only the connection socket, never the welcoming one.',
              ),
        ),
        undefined,
        protocol === 'udp' ? [serverNote] : [NoteId.TcpWelcomingSocket, serverNote],
      ),
    );
  } else if (served < sentences.length) {
    checks.push(
      skip(
        'kept-serving',
        keptTitle,
        text(
          'Not judged: your server is still running, but client {0} got no reply (see above).',
          served + 1,
        ),
      ),
    );
  } else {
    checks.push(
      pass(
        'kept-serving',
        keptTitle,
        text('Still running after {0} clients; the playground stopped it.', sentences.length),
      ),
    );
  }
  await program.stop();
  return checks;
}
