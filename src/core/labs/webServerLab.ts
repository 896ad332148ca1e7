/**
 * The Web server lab: the student's WebServer.py serves files from its folder over HTTP; the playground is the
 * browser. The program runs in a fresh folder that holds the lab's HelloWorld.html. The playground GETs the
 * file, a file that is not there, the file again with the request cut in two pieces, and the file once more;
 * with `concurrent`, it also holds one request half-sent while another must be answered (the multithreaded
 * variant).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { listListeningPorts } from '../os/procNet';
import { NoteId } from '../notes/notes';
import { HttpClientPeer } from '../protocols/httpClient';
import type { HttpResponseParse } from '../protocols/httpMessage';
import type { LogRecord } from '../traffic/trafficLog';
import { englishText, text, type Text } from '../../shared/l10n';
import { errorText, exitProblem, exitVerb, fail, pass, quote, seqs, tail } from './checks';
import type { LabRunContext, ProgramSpec } from './labContext';
import { paragraphs, type LabDefinition } from './labDefinition';
import type { MadeCheck } from './types';

/** The page the student's server serves. */
export const HELLO_WORLD_HTML = [
  '<!DOCTYPE html>',
  '<html>',
  '<head><meta charset="utf-8"><title>Hello World</title></head>',
  '<body>',
  '<h1>Hello World</h1>',
  '<p>Served by your WebServer.py, fetched by the Socket Playground.</p>',
  '</body>',
  '</html>',
  '',
].join('\n');

const FILE = 'HelloWorld.html';
const BIND_WAIT_MS = 10_000;
/** How long the browser waits for each response. */
const RESPONSE_WAIT_MS = 3000;

const WEB_TEXTS = {
  title: text('Web server'),
  summary: text(
    'Your WebServer.py on port 6789: the playground is the browser and GETs HelloWorld.html and a missing file.',
  ),
  instructions: paragraphs(
    text(
      "Write `WebServer.py`: a TCP server on port 6789 that, for each connection, receives the HTTP request, takes the path from its first line (`GET /HelloWorld.html HTTP/1.1`), and answers with the file of that name from its folder: a status line `HTTP/1.1 200 OK`, header lines, a blank line, then the file's bytes. When the file is not there, answer `HTTP/1.1 404 Not Found` (and a short page). Close the connection socket after each response and wait for the next client.",
    ),
    text(
      'The playground runs your server in a fresh folder holding `HelloWorld.html`, then plays the browser: it GETs the file, a file that is not there, the file again with the request arriving in two pieces (read until the blank line `\\r\\n\\r\\n`, not one recv), and the file once more. With the parameter `concurrent` (the multithreaded variant) it also keeps one request half-sent while another one must be answered.',
    ),
  ),
};

export const webServerLab: LabDefinition = {
  id: 'web-server',
  title: englishText(WEB_TEXTS.title),
  summary: englishText(WEB_TEXTS.summary),
  texts: WEB_TEXTS,
  role: 'server',
  protocol: 'tcp',
  defaults: { port: 6789, concurrent: false, timeoutMs: 20_000 },
  params: ['concurrent'],
  instructions: englishText(WEB_TEXTS.instructions),
  run: runWebServerLab,
};

/** The program's own path made absolute: each word that names a file relative to its folder. */
export function absoluteProgram(spec: ProgramSpec, cwd: string): ProgramSpec {
  const base = spec.cwd ?? process.cwd();
  const argv = spec.argv.map((a) =>
    !path.isAbsolute(a) && !a.startsWith('-') && !a.includes('{') && existsSync(path.resolve(base, a))
      ? path.resolve(base, a)
      : a,
  );
  return { ...spec, argv, cwd };
}

async function portListening(port: number): Promise<boolean> {
  const ports = await listListeningPorts().catch(() => []);
  return ports.some((p) => p.protocol === 'tcp' && p.port === port);
}

type Exchange = {
  title: string;
  peer?: HttpClientPeer;
  connectError?: Text;
  sent: LogRecord[];
  response?: HttpResponseParse & { received: LogRecord[]; truncated: boolean };
};

/** What the response looked like, for a message: its first bytes, or that nothing came. */
function described(ex: Exchange): Text {
  if (ex.connectError) {
    return text('the connection failed: {0}', ex.connectError);
  }
  const r = ex.response;
  if (!r || r.raw.length === 0) {
    return r && ex.peer?.closed
      ? text('the server closed the connection without sending anything')
      : text('nothing came back within {0} s', RESPONSE_WAIT_MS / 1000);
  }
  return text('it got {0}{1}', quote(r.raw, 120), seqs(r.received[0]));
}

const evidence = (ex: Exchange) => [
  ...ex.sent.map((r) => r.seq),
  ...(ex.response?.received.map((r) => r.seq) ?? []),
];

async function runWebServerLab(ctx: LabRunContext): Promise<MadeCheck[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'web-server-lab-'));
  try {
    return await webLab(ctx, dir);
  } finally {
    await ctx.program?.stop();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function webLab(ctx: LabRunContext, dir: string): Promise<MadeCheck[]> {
  const html = Buffer.from(HELLO_WORLD_HTML, 'utf8');
  await writeFile(path.join(dir, FILE), html);
  if (ctx.port === 0) {
    const probe = await ctx.registry.startTcpServer({ port: 0, host: '127.0.0.1', behavior: 'sink' });
    await ctx.registry.closeSocket({ socketId: probe.id });
    ctx.port = probe.local.port;
  }
  const port = ctx.port;
  const program = ctx.startProgram(undefined, (spec) => absoluteProgram(spec, dir));
  const checks: MadeCheck[] = [];
  const serverNote = NoteId.TcpServerProgram;

  const bindTitle = text('Listening on port {0}', port);
  let bound = false;
  const bindDeadline = Date.now() + Math.min(BIND_WAIT_MS, ctx.remainingMs);
  while (!program.exit && Date.now() < bindDeadline) {
    if (await portListening(port)) {
      bound = true;
      break;
    }
    await ctx.waitFor(() => program.exit, 20);
  }
  if (!bound) {
    checks.push(
      fail(
        'bound',
        bindTitle,
        text(
          'Expected your server to listen on TCP port {0}; {1}',
          port,
          program.exit
            ? (exitProblem(program, program.exit, ctx.timeoutMs) ??
                text('it exited first. Its output:{0}', tail(program.output)))
            : text(
                "after {0} s nothing listened there. Call serverSocket.bind(('', {1})) and serverSocket.listen(1) before accept().",
                BIND_WAIT_MS / 1000,
                port,
              ),
        ),
        undefined,
        [NoteId.BindCall, NoteId.TcpWelcomingSocket, serverNote],
      ),
    );
    return checks;
  }
  checks.push(pass('bound', bindTitle, text('Your server listens on TCP port {0}.', port)));

  const get = async (title: string, p: string, cut?: number, start?: (ex: Exchange) => Promise<void>) => {
    const ex: Exchange = { title, sent: [] };
    try {
      ex.peer = await HttpClientPeer.connect(ctx.engine, { port, timeoutMs: RESPONSE_WAIT_MS });
      ctx.own(ex.peer.socket);
    } catch (err) {
      ex.connectError = errorText(err);
      return ex;
    }
    const request = ex.peer.request(p);
    ex.sent = await ex.peer.send(request, cut === undefined ? [] : [cut]).catch(() => []);
    await start?.(ex);
    const peer = ex.peer;
    await ctx.waitFor(() => (peer.response().complete || peer.closed ? true : undefined), RESPONSE_WAIT_MS);
    ex.response = peer.response();
    await peer.close();
    return ex;
  };
  const is200WithFile = (ex: Exchange) =>
    ex.response?.status === 200 &&
    ex.response.headers !== undefined &&
    ex.response.body?.equals(html) === true;

  // 1. The file: status line, headers, blank line, exactly the file's bytes.
  const first = await get('file', `/${FILE}`);
  checks.push(checkFile(first, 'get-file', text('GET /{0} gets 200 and the file', FILE), html, port));

  // 2. A missing file: 404, and the server lives on.
  const missing = `/NoSuchFile-${Math.floor(ctx.random(1)() * 1e6)}.html`;
  const nf = await get('missing', missing);
  if (!nf.response?.raw.length && !program.exit) {
    // A server that just crashed: give its exit a moment to show, so the message can say so.
    await ctx.waitFor(() => program.exit, 1000);
  }
  const nfTitle = text('GET {0} gets 404 Not Found', missing);
  if (nf.response?.status === 404) {
    checks.push(
      pass(
        'not-found',
        nfTitle,
        text('Your server answered {0}.', quote(nf.response.statusLine)),
        evidence(nf),
      ),
    );
  } else {
    const crashed = program.exit
      ? text(' Your server {0}', exitVerb(program, program.exit, ctx.timeoutMs))
      : '';
    checks.push(
      fail(
        'not-found',
        nfTitle,
        text(
          'Expected a status line "HTTP/1.1 404 Not Found" for a file that is not in the folder; {0}.{1} ' +
            'Catch the error opening the file (except IOError / FileNotFoundError), send "HTTP/1.1 404 Not Found\\r\\n\\r\\n" and a short page, close the connection socket, and go on serving.',
          described(nf),
          crashed,
        ),
        evidence(nf),
        [NoteId.HttpStatusCodes, NoteId.HttpMessages, serverNote],
      ),
    );
  }

  // 3. A request in two pieces: the second only once the server has read the first.
  const requestLine = `GET /${FILE} HTTP/1.1`;
  const cut = requestLine.indexOf('World');
  const split = await get('split', `/${FILE}`, cut);
  const splitTitle = text('A request that arrives in two pieces is answered');
  if (is200WithFile(split)) {
    checks.push(
      pass(
        'split-request',
        splitTitle,
        text(
          'The request came in {0} pieces; your server read it whole and sent the file.',
          split.sent.length,
        ),
        evidence(split),
      ),
    );
  } else {
    const firstPiece = split.sent[0]?.payload?.toString('latin1') ?? requestLine.slice(0, cut);
    checks.push(
      fail(
        'split-request',
        splitTitle,
        text(
          'The playground sent the request in two pieces, {0} then the rest, and expected the file with 200; {1}.{2}' +
            ' TCP is a byte stream: one recv() returns what has arrived so far, maybe half a request. Keep calling recv() and adding to what you have until it holds the blank line "\\r\\n\\r\\n" that ends the request head, then parse it.',
          quote(firstPiece),
          described(split),
          program.exit ? text(' Your server had exited.') : '',
        ),
        evidence(split),
        [NoteId.ProtocolFraming, NoteId.TcpByteStream, NoteId.HttpMessageEnd],
      ),
    );
  }

  // 4. Optionally: two clients at once. One request stays half-sent; the other must be answered meanwhile.
  if (ctx.params['concurrent'] === true) {
    checks.push(await checkConcurrent(ctx, port, html));
  }

  // 5. Still serving.
  const last = await get('again', `/${FILE}`);
  const keptTitle = text('Kept serving');
  if (is200WithFile(last) && !program.exit) {
    checks.push(
      pass(
        'kept-serving',
        keptTitle,
        text('After every request above, your server still answered one more GET with the file.'),
        evidence(last),
      ),
    );
  } else if (program.exit) {
    checks.push(
      fail(
        'kept-serving',
        keptTitle,
        text(
          'Expected your server to keep serving; it {0}. ' +
            'Put accept(), the request and the response inside a while True: loop, and close only the connection socket after each response.',
          exitVerb(program, program.exit, ctx.timeoutMs),
        ),
        evidence(last),
        [NoteId.TcpWelcomingSocket, serverNote],
      ),
    );
  } else {
    checks.push(
      fail(
        'kept-serving',
        keptTitle,
        text('Expected one more GET /{0} to get the file; {1}.', FILE, described(last)),
        evidence(last),
        [serverNote],
      ),
    );
  }
  return checks;
}

function checkFile(ex: Exchange, id: string, title: Text, html: Buffer, port: number): MadeCheck {
  const r = ex.response;
  const notes = [NoteId.HttpMessages, NoteId.HttpMessageEnd, NoteId.TcpServerProgram];
  const ev = evidence(ex);
  if (!r || r.raw.length === 0) {
    return fail(
      id,
      title,
      text(
        'Expected a response to "GET /{0} HTTP/1.1" on port {1}; {2}. Receive the request, open the file named by its path, and send a status line, a blank line and the file.',
        FILE,
        port,
        described(ex),
      ),
      ev,
      notes,
    );
  }
  if (r.status !== 200) {
    return fail(
      id,
      title,
      text(
        'Expected the status line "HTTP/1.1 200 OK" first; {0}. {1}',
        described(ex),
        r.statusLine === undefined
          ? text('The response needs a first line ending in \\r\\n: "HTTP/1.1 200 OK\\r\\n".')
          : /^HTTP\/1\.[01] \d{3}/.test(r.statusLine)
            ? text(
                'Your server sent status {0} for a file that is in its folder: open the path without its leading "/" (filename[1:]).',
                r.status ?? '',
              )
            : text(
                'Start the response with the version, the code and the reason phrase: "HTTP/1.1 200 OK\\r\\n".',
              ),
      ),
      ev,
      [NoteId.HttpStatusCodes, ...notes],
    );
  }
  if (r.headers === undefined) {
    return fail(
      id,
      title,
      text(
        'Expected the header lines to end with a blank line ("\\r\\n\\r\\n") before the file; {0}. A browser cannot tell where the headers end and the page begins without it: send "HTTP/1.1 200 OK\\r\\n", your header lines, then "\\r\\n".',
        described(ex),
      ),
      ev,
      notes,
    );
  }
  if (!r.complete) {
    return fail(
      id,
      title,
      text(
        'The response never ended: after {0} s it had {1} bytes, no Content-Length saying how many to expect, and the connection was still open. Close the connection socket after the file (or send Content-Length: {2}).',
        RESPONSE_WAIT_MS / 1000,
        r.raw.length,
        html.length,
      ),
      ev,
      [NoteId.HttpMessageEnd, NoteId.TcpClose],
    );
  }
  if (!r.body?.equals(html)) {
    const got = r.body ?? Buffer.alloc(0);
    return fail(
      id,
      title,
      text(
        'Expected the body to be exactly the {0} bytes of {1}; it was {2} bytes, starting {3}. {4}' +
          'Send the file as it is, after the blank line, with nothing added or left out (sendall, then close).',
        html.length,
        FILE,
        got.length,
        quote(got, 60),
        r.contentLength !== undefined && r.contentLength !== html.length
          ? text("Your Content-Length says {0}: give the file's length in bytes. ", r.contentLength)
          : '',
      ),
      ev,
      notes,
    );
  }
  return pass(
    id,
    title,
    text(
      '{0}, {1} header lines, the blank line, and the {2} bytes of {3}.',
      quote(r.statusLine),
      Object.keys(r.headers).length,
      html.length,
      FILE,
    ),
    ev,
  );
}

async function checkConcurrent(ctx: LabRunContext, port: number, html: Buffer): Promise<MadeCheck> {
  const title = text('Serves a second client while the first is still sending');
  let slow: HttpClientPeer | undefined;
  let quick: HttpClientPeer | undefined;
  try {
    slow = await HttpClientPeer.connect(ctx.engine, { port, timeoutMs: RESPONSE_WAIT_MS });
    ctx.own(slow.socket);
    const request = slow.request(`/${FILE}`);
    const half = request.indexOf('\r\n') + 2;
    await slow.send(request.subarray(0, half));
    quick = await HttpClientPeer.connect(ctx.engine, { port, timeoutMs: RESPONSE_WAIT_MS });
    ctx.own(quick.socket);
    await quick.send(quick.request(`/${FILE}`));
    const q = quick;
    await ctx.waitFor(() => (q.response().complete || q.closed ? true : undefined), RESPONSE_WAIT_MS);
    const qr = quick.response();
    const ev = [...quick.entries(), ...slow.entries()].map((r) => r.seq);
    if (qr.status !== 200 || !qr.body?.equals(html)) {
      return fail(
        'concurrent',
        title,
        text(
          "One client sent half a request and waited; a second client sent a whole GET /{0} and expected the file meanwhile; {1}. A server that handles one connection at a time is stuck in the first client's recv(): start a thread for each accepted connection (threading.Thread(target=handle, args=(connectionSocket,)).start()) and go back to accept().",
          FILE,
          qr.raw.length ? text('it got {0}', quote(qr.raw, 80)) : text('it got nothing'),
        ),
        ev,
        [NoteId.TcpConcurrentClients, NoteId.TcpConnectionSocket],
      );
    }
    await slow.send(request.subarray(half));
    const s = slow;
    await ctx.waitFor(() => (s.response().complete || s.closed ? true : undefined), RESPONSE_WAIT_MS);
    const sr = slow.response();
    if (sr.status !== 200 || !sr.body?.equals(html)) {
      return fail(
        'concurrent',
        title,
        text(
          'The second client was served; the first, once it sent the rest of its request, expected the file too and {0}. Each thread reads its own connection until the blank line.',
          sr.raw.length ? text('got {0}', quote(sr.raw, 80)) : text('got nothing'),
        ),
        ev,
        [NoteId.TcpConcurrentClients, NoteId.ProtocolFraming],
      );
    }
    return pass(
      'concurrent',
      title,
      text(
        'A second client got the file while the first was still sending its request, and then the first got it too.',
      ),
      ev,
    );
  } catch (err) {
    return fail(
      'concurrent',
      title,
      text('Could not run two clients at once: {0}.', errorText(err)),
      undefined,
      [NoteId.TcpConcurrentClients],
    );
  } finally {
    await quick?.close();
    await slow?.close();
  }
}
