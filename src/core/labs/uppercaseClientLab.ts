/**
 * The uppercase client labs (UDP and TCP): the playground is the textbook uppercase server on the lab's port,
 * the student's client reads the sentence on stdin, sends it, prints the reply and closes.
 */
import { asciiUppercase } from '../sockets/codec';
import { NoteId } from '../notes/notes';
import type { Protocol } from '../../shared/types';
import { englishText, text, type Text } from '../../shared/l10n';
import { exitProblem, fail, pass, quote, seqs } from './checks';
import type { LabRunContext } from './labContext';
import { paragraphs, type LabDefinition } from './labDefinition';
import type { MadeCheck } from './types';

const DEFAULT_SENTENCE = 'hello from the socket lab';

function instructions(protocol: Protocol): Text {
  const P = protocol.toUpperCase();
  return paragraphs(
    text(
      'Write `{0}Client.py`: read a lowercase sentence from the keyboard (stdin), send it to the {0} server on `localhost` port 12000, read the reply, print it, close the socket and exit.',
      P,
    ),
    protocol === 'udp'
      ? text(
          'The playground plays the server (it answers with the sentence in upper case) and checks that your client sent the sentence in one datagram to the right port, printed the reply and exited.',
        )
      : text(
          'The playground plays the server (it answers with the sentence in upper case) and checks that your client connected to the right port, sent the sentence, printed the reply, closed the connection and exited.',
        ),
  );
}

export function uppercaseClientLab(protocol: Protocol): LabDefinition {
  const P = protocol.toUpperCase();
  const texts = {
    title: text('{0} uppercase client', P),
    summary: text(
      "Your {0}Client.py against the playground's uppercase server: send the sentence, print the reply.",
      P,
    ),
    instructions: instructions(protocol),
  };
  return {
    id: `${protocol}-uppercase-client`,
    title: englishText(texts.title),
    summary: englishText(texts.summary),
    texts,
    role: 'client',
    protocol,
    defaults: { port: 12000, sentence: DEFAULT_SENTENCE, timeoutMs: 20_000 },
    params: ['sentence'],
    instructions: englishText(texts.instructions),
    run: (ctx) => runClientLab(ctx, protocol),
  };
}

async function runClientLab(ctx: LabRunContext, protocol: Protocol): Promise<MadeCheck[]> {
  const P = protocol.toUpperCase();
  const server = ctx.own(
    protocol === 'udp'
      ? await ctx.registry.startUdpServer({ port: ctx.port, host: '127.0.0.1', behavior: 'uppercase' })
      : await ctx.registry.startTcpServer({ port: ctx.port, host: '127.0.0.1', behavior: 'uppercase' }),
  );
  ctx.port = server.local.port;
  const sentence = String(ctx.params.sentence ?? DEFAULT_SENTENCE);
  const program = ctx.startProgram();
  const exit = await ctx.programExit();
  const entries = ctx.entries();
  const checks: MadeCheck[] = [];
  const problem = exitProblem(program, exit, ctx.timeoutMs);
  const expected = asciiUppercase(Buffer.from(sentence, 'utf8')).toString('utf8');
  const clientNote = protocol === 'udp' ? NoteId.UdpClientProgram : NoteId.TcpClientProgram;

  // What the server received: one datagram (UDP) or the bytes of one connection (TCP).
  const received = entries.filter((r) => r.event === 'receive');
  const accepted = entries.find((r) => r.event === 'accept');
  const firstIn = received[0];
  const connId = protocol === 'tcp' ? (accepted?.socketId ?? firstIn?.socketId) : undefined;
  const sentBytes = Buffer.concat(
    received
      .filter((r) => protocol === 'udp' || r.socketId === connId)
      .map((r) => Buffer.from(r.payload ?? [])),
  );
  const sentText =
    protocol === 'udp' ? (firstIn?.payload?.toString('utf8') ?? '') : sentBytes.toString('utf8');
  const sentTitle = text('Sent the sentence to port {0}', ctx.port);
  if (!firstIn) {
    const what =
      protocol === 'tcp' && accepted
        ? text('it connected{0} but sent nothing.', seqs(accepted))
        : protocol === 'tcp'
          ? text('no connection came to port {0}.', ctx.port)
          : text('no datagram came to port {0}.', ctx.port);
    const said = [
      ctx.port,
      quote(sentence),
      problem ? text('but {0}', problem) : what,
      protocol === 'tcp' && accepted
        ? text('After connect(), send the sentence with clientSocket.send(sentence.encode()).')
        : text("Check serverName ('localhost') and serverPort ({0}) in your client.", ctx.port),
    ];
    checks.push(
      fail(
        'sent',
        sentTitle,
        protocol === 'tcp'
          ? text('Expected your client to connect to 127.0.0.1:{0} with the sentence {1}; {2} {3}', ...said)
          : text(
              'Expected your client to send a datagram to 127.0.0.1:{0} with the sentence {1}; {2} {3}',
              ...said,
            ),
        accepted ? [accepted.seq] : undefined,
        protocol === 'udp'
          ? [NoteId.UdpExplicitDestination, NoteId.PortNumbers, clientNote]
          : [NoteId.TcpServerFirst, NoteId.PortNumbers, clientNote],
      ),
    );
  } else if (sentText.replace(/\r?\n$/, '') !== sentence) {
    checks.push(
      fail(
        'sent',
        sentTitle,
        text(
          'Expected the sentence typed on stdin, {0}; your client sent {1}{2}. ' +
            'Send exactly what input() returned, encoded: message.encode().',
          quote(sentence),
          quote(sentText),
          seqs(firstIn),
        ),
        [firstIn.seq],
        [NoteId.PayloadEncoding, clientNote],
      ),
    );
  } else {
    checks.push(
      pass(
        'sent',
        sentTitle,
        text(
          'Your client sent {0} to 127.0.0.1:{1} from port {2}{3}.',
          quote(sentText),
          ctx.port,
          firstIn.remote?.port ?? '?',
          seqs(firstIn),
        ),
        protocol === 'tcp' && accepted ? [accepted.seq, firstIn.seq] : [firstIn.seq],
      ),
    );
  }

  // The server's reply, and whether the client was still there to take it.
  const reply = entries.find((r) => r.event === 'send' && (protocol === 'udp' || r.socketId === connId));
  const connClose =
    protocol === 'tcp' ? entries.find((r) => r.event === 'close' && r.socketId === connId) : undefined;
  const replyTitle = text('Got the uppercase reply');
  if (!reply) {
    checks.push(
      fail(
        'reply',
        replyTitle,
        firstIn
          ? text('The server had nothing to answer{0}.', seqs(firstIn))
          : text('Your client sent nothing, so no reply could come back.'),
        undefined,
        [clientNote],
      ),
    );
  } else if (connClose?.closedBy === 'reset' && connClose.seq < reply.seq) {
    checks.push(
      fail(
        'reply',
        replyTitle,
        text(
          'Your client reset the connection{0} before the reply {1} arrived. ' +
            'Wait for the reply with recv(1024) before closing.',
          seqs(connClose),
          quote(expected),
        ),
        [connClose.seq],
        [NoteId.TcpReset, clientNote],
      ),
    );
  } else {
    checks.push(
      pass(
        'reply',
        replyTitle,
        text(
          'The server answered {0} to {1}, the port your client sent from{2}.',
          quote(reply.payload),
          reply.remote ? text('port {0}', reply.remote.port) : text('your connection'),
          seqs(reply),
        ),
        [reply.seq],
      ),
    );
  }

  // What the program printed.
  const output = program.output;
  const printedTitle = text('Printed the reply');
  if (output.includes(expected)) {
    const bytesRepr = output.includes(`b'${expected}'`) || output.includes(`b"${expected}"`);
    checks.push(
      bytesRepr
        ? fail(
            'printed',
            printedTitle,
            text(
              "Your program printed the reply as bytes, b'{0}'. Decode it before printing: print(modifiedMessage.decode()).",
              expected,
            ),
            reply ? [reply.seq] : undefined,
            [NoteId.PayloadEncoding, NoteId.Python2vs3],
          )
        : pass('printed', printedTitle, text('Your program printed {0}.', quote(expected))),
    );
  } else {
    checks.push(
      fail(
        'printed',
        printedTitle,
        text(
          'Expected your program to print the reply {0}{1}; {2} ' +
            'Did it read the reply? After sending, call {3}, decode what it returns and print it.',
          quote(expected),
          reply ? seqs(reply) : '',
          output.trim() ? text('it printed {0}.', quote(output.trim(), 160)) : text('it printed nothing.'),
          protocol === 'udp' ? 'clientSocket.recvfrom(2048)' : 'clientSocket.recv(1024)',
        ),
        reply ? [reply.seq] : undefined,
        [clientNote, protocol === 'udp' ? NoteId.UdpSenderAddress : NoteId.TcpByteStream],
      ),
    );
  }

  // Closing: TCP shows it on the wire (FIN); UDP sends nothing when a socket closes.
  const closedTitle = text('Closed the socket');
  if (protocol === 'tcp') {
    if (connClose?.closedBy === 'peer-fin') {
      checks.push(
        pass('closed', closedTitle, text('Your client closed the connection (FIN){0}.', seqs(connClose)), [
          connClose.seq,
        ]),
      );
    } else if (connClose?.closedBy === 'reset') {
      checks.push(
        fail(
          'closed',
          closedTitle,
          text(
            'The connection ended with a reset{0}, not a close: a socket closed with unread data, or a ' +
              'program killed, resets the connection. Read the whole reply, then call clientSocket.close().',
            seqs(connClose),
          ),
          [connClose.seq],
          [NoteId.TcpReset, NoteId.TcpClose],
        ),
      );
    } else if (accepted) {
      checks.push(
        fail(
          'closed',
          closedTitle,
          text(
            'Your client never closed the connection. Call clientSocket.close() after printing the reply.',
          ),
          [accepted.seq],
          [NoteId.TcpClose],
        ),
      );
    } else {
      checks.push(
        fail('closed', closedTitle, text('There was no connection to close.'), undefined, [NoteId.TcpClose]),
      );
    }
  } else if (exit && !program.startError) {
    checks.push(
      pass(
        'closed',
        closedTitle,
        text(
          'UDP sends nothing when a socket closes, so the wire cannot show clientSocket.close(); the port was released when your program ended.',
        ),
      ),
    );
  } else {
    checks.push(
      fail(
        'closed',
        closedTitle,
        text('Your socket was not closed: {0}', problem ?? text('the program did not end.')),
        undefined,
        [NoteId.SocketClosed],
      ),
    );
  }

  // Exiting on its own, in time.
  const exitedTitle = text('Exited');
  if (!problem && exit) {
    checks.push(
      pass(
        'exited',
        exitedTitle,
        text('Your program exited with code 0 after {0} ms.', exit.timeMs - program.startedAt),
      ),
    );
  } else {
    const hint = !exit
      ? firstIn && !output.includes(expected)
        ? text(
            ' It is probably blocked in {0} waiting for a reply: a client should read the reply once, print it and exit; clientSocket.settimeout(5) keeps it from waiting forever.',
            protocol === 'udp' ? 'recvfrom()' : 'recv()',
          )
        : text(' A client should print the reply and exit.')
      : '';
    checks.push(
      fail(
        'exited',
        exitedTitle,
        text('Expected your {0} client to exit with code 0; {1}{2}', P, problem ?? '', hint),
        undefined,
        !exit ? [NoteId.Blocking, clientNote] : [clientNote],
      ),
    );
  }
  return checks;
}
