/**
 * The uppercase client labs (UDP and TCP): the playground is the textbook uppercase server on the lab's port,
 * the student's client reads the sentence on stdin, sends it, prints the reply and closes.
 */
import { asciiUppercase } from '../sockets/codec';
import { NoteId } from '../notes/notes';
import type { Protocol } from '../../shared/types';
import { exitProblem, fail, pass, quote, seqs } from './checks';
import type { LabRunContext } from './labContext';
import type { LabDefinition } from './labDefinition';
import type { LabCheck } from './types';

const DEFAULT_SENTENCE = 'hello from the socket lab';

function instructions(protocol: Protocol): string {
  const P = protocol.toUpperCase();
  return [
    `Write \`${P}Client.py\`: read a lowercase sentence from the keyboard (stdin), send it to the ${P} server on`,
    '`localhost` port 12000, read the reply, print it, close the socket and exit.',
    '',
    `The playground plays the server (it answers with the sentence in upper case) and checks that your client`,
    protocol === 'udp'
      ? 'sent the sentence in one datagram to the right port, printed the reply and exited.'
      : 'connected to the right port, sent the sentence, printed the reply, closed the connection and exited.',
  ].join('\n');
}

export function uppercaseClientLab(protocol: Protocol): LabDefinition {
  const P = protocol.toUpperCase();
  return {
    id: `${protocol}-uppercase-client`,
    title: `${P} uppercase client`,
    summary: `Your ${P}Client.py against the playground's uppercase server: send the sentence, print the reply.`,
    role: 'client',
    protocol,
    defaults: { port: 12000, sentence: DEFAULT_SENTENCE, timeoutMs: 20_000 },
    params: ['sentence'],
    instructions: instructions(protocol),
    run: (ctx) => runClientLab(ctx, protocol),
  };
}

async function runClientLab(ctx: LabRunContext, protocol: Protocol): Promise<LabCheck[]> {
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
  const checks: LabCheck[] = [];
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
  const sentTitle = `Sent the sentence to port ${ctx.port}`;
  if (!firstIn) {
    const what =
      protocol === 'tcp' && accepted
        ? `it connected${seqs(accepted)} but sent nothing.`
        : protocol === 'tcp'
          ? `no connection came to port ${ctx.port}.`
          : `no datagram came to port ${ctx.port}.`;
    checks.push(
      fail(
        'sent',
        sentTitle,
        `Expected your client to ${protocol === 'tcp' ? 'connect to' : 'send a datagram to'} 127.0.0.1:${ctx.port} ` +
          `with the sentence ${quote(sentence)}; ${problem ? `but ${problem}` : what} ` +
          (protocol === 'tcp' && accepted
            ? 'After connect(), send the sentence with clientSocket.send(sentence.encode()).'
            : `Check serverName ('localhost') and serverPort (${ctx.port}) in your client.`),
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
        `Expected the sentence typed on stdin, ${quote(sentence)}; your client sent ${quote(sentText)}${seqs(firstIn)}. ` +
          'Send exactly what input() returned, encoded: message.encode().',
        [firstIn.seq],
        [NoteId.PayloadEncoding, clientNote],
      ),
    );
  } else {
    checks.push(
      pass(
        'sent',
        sentTitle,
        `Your client sent ${quote(sentText)} to 127.0.0.1:${ctx.port} from port ${firstIn.remote?.port ?? '?'}${seqs(firstIn)}.`,
        protocol === 'tcp' && accepted ? [accepted.seq, firstIn.seq] : [firstIn.seq],
      ),
    );
  }

  // The server's reply, and whether the client was still there to take it.
  const reply = entries.find((r) => r.event === 'send' && (protocol === 'udp' || r.socketId === connId));
  const connClose =
    protocol === 'tcp' ? entries.find((r) => r.event === 'close' && r.socketId === connId) : undefined;
  const replyTitle = 'Got the uppercase reply';
  if (!reply) {
    checks.push(
      fail(
        'reply',
        replyTitle,
        firstIn
          ? `The server had nothing to answer${seqs(firstIn)}.`
          : 'Your client sent nothing, so no reply could come back.',
        undefined,
        [clientNote],
      ),
    );
  } else if (connClose?.closedBy === 'reset' && connClose.seq < reply.seq) {
    checks.push(
      fail(
        'reply',
        replyTitle,
        `Your client reset the connection${seqs(connClose)} before the reply ${quote(expected)} arrived. ` +
          'Wait for the reply with recv(1024) before closing.',
        [connClose.seq],
        [NoteId.TcpReset, clientNote],
      ),
    );
  } else {
    checks.push(
      pass(
        'reply',
        replyTitle,
        `The server answered ${quote(reply.payload)} to ${reply.remote ? `port ${reply.remote.port}` : 'your connection'}, the port your client sent from${seqs(reply)}.`,
        [reply.seq],
      ),
    );
  }

  // What the program printed.
  const output = program.output;
  const printedTitle = 'Printed the reply';
  if (output.includes(expected)) {
    const bytesRepr = output.includes(`b'${expected}'`) || output.includes(`b"${expected}"`);
    checks.push(
      bytesRepr
        ? fail(
            'printed',
            printedTitle,
            `Your program printed the reply as bytes, b'${expected}'. Decode it before printing: print(modifiedMessage.decode()).`,
            reply ? [reply.seq] : undefined,
            [NoteId.PayloadEncoding, NoteId.Python2vs3],
          )
        : pass('printed', printedTitle, `Your program printed ${quote(expected)}.`),
    );
  } else {
    checks.push(
      fail(
        'printed',
        printedTitle,
        `Expected your program to print the reply ${quote(expected)}${reply ? seqs(reply) : ''}; ` +
          `it printed ${output.trim() ? quote(output.trim(), 160) : 'nothing'}. ` +
          `Did it read the reply? After sending, call ${protocol === 'udp' ? 'clientSocket.recvfrom(2048)' : 'clientSocket.recv(1024)'}, ` +
          'decode what it returns and print it.',
        reply ? [reply.seq] : undefined,
        [clientNote, protocol === 'udp' ? NoteId.UdpSenderAddress : NoteId.TcpByteStream],
      ),
    );
  }

  // Closing: TCP shows it on the wire (FIN); UDP sends nothing when a socket closes.
  const closedTitle = 'Closed the socket';
  if (protocol === 'tcp') {
    if (connClose?.closedBy === 'peer-fin') {
      checks.push(
        pass('closed', closedTitle, `Your client closed the connection (FIN)${seqs(connClose)}.`, [
          connClose.seq,
        ]),
      );
    } else if (connClose?.closedBy === 'reset') {
      checks.push(
        fail(
          'closed',
          closedTitle,
          `The connection ended with a reset${seqs(connClose)}, not a close: a socket closed with unread data, or a ` +
            'program killed, resets the connection. Read the whole reply, then call clientSocket.close().',
          [connClose.seq],
          [NoteId.TcpReset, NoteId.TcpClose],
        ),
      );
    } else if (accepted) {
      checks.push(
        fail(
          'closed',
          closedTitle,
          'Your client never closed the connection. Call clientSocket.close() after printing the reply.',
          [accepted.seq],
          [NoteId.TcpClose],
        ),
      );
    } else {
      checks.push(
        fail('closed', closedTitle, 'There was no connection to close.', undefined, [NoteId.TcpClose]),
      );
    }
  } else if (exit && !program.startError) {
    checks.push(
      pass(
        'closed',
        closedTitle,
        'UDP sends nothing when a socket closes, so the wire cannot show clientSocket.close(); the port was released when your program ended.',
      ),
    );
  } else {
    checks.push(
      fail(
        'closed',
        closedTitle,
        `Your socket was not closed: ${problem ?? 'the program did not end.'}`,
        undefined,
        [NoteId.SocketClosed],
      ),
    );
  }

  // Exiting on its own, in time.
  const exitedTitle = 'Exited';
  if (!problem && exit) {
    checks.push(
      pass(
        'exited',
        exitedTitle,
        `Your program exited with code 0 after ${exit.timeMs - program.startedAt} ms.`,
      ),
    );
  } else {
    const hint = !exit
      ? firstIn && !output.includes(expected)
        ? ` It is probably blocked in ${protocol === 'udp' ? 'recvfrom()' : 'recv()'} waiting for a reply: a client should read the reply once, print it and exit; clientSocket.settimeout(5) keeps it from waiting forever.`
        : ' A client should print the reply and exit.'
      : '';
    checks.push(
      fail(
        'exited',
        exitedTitle,
        `Expected your ${P} client to exit with code 0; ${problem}${hint}`,
        undefined,
        !exit ? [NoteId.Blocking, clientNote] : [clientNote],
      ),
    );
  }
  return checks;
}
