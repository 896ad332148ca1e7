/** The protocol wing's pure parts (HTTP responses, SMTP replies, /proc queues) and the mail server on loopback. */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { httpGetRequest, parseHttpResponse } from '../../../../src/core/protocols/httpMessage';
import {
  envelopeAddress,
  parseCommand,
  replyPieces,
  unstuff,
} from '../../../../src/core/protocols/smtpDialogue';
import { formatDialogue, SmtpServerPeer } from '../../../../src/core/protocols/smtpServer';
import { parseTcpQueues } from '../../../../src/core/protocols/streamQueues';
import { httpGet } from '../../../../src/core/protocols/httpClient';
import { makeEngine, portIsFree } from '../../helpers';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('protocols (unit)', () => {
  describe('parseHttpResponse', () => {
    const table: Array<[string, boolean, Partial<ReturnType<typeof parseHttpResponse>>]> = [
      ['', false, { complete: false, status: undefined }],
      ['HTTP/1.1 200 OK', false, { statusLine: undefined, complete: false }],
      [
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n',
        false,
        { status: 200, headers: undefined, complete: false },
      ],
      ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nh', false, { contentLength: 2, complete: false }],
      ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi', false, { complete: true, bareLf: false }],
      ['HTTP/1.1 404 Not Found\r\n\r\nnope', false, { status: 404, complete: false }],
      ['HTTP/1.1 404 Not Found\r\n\r\nnope', true, { status: 404, complete: true }],
      ['HTTP/1.0 200 OK\n\nbody', true, { status: 200, version: 'HTTP/1.0', bareLf: true, complete: true }],
      ['200 OK\r\n\r\n', true, { status: undefined, statusLine: '200 OK', complete: true }],
      ['HTTP/1.1 200 OK\r\n', true, { headers: undefined, complete: true }],
    ];
    for (const [text, closed, want] of table) {
      it(`${JSON.stringify(text)}${closed ? ' (closed)' : ''}`, () => {
        const r = parseHttpResponse(b(text), closed);
        for (const [k, v] of Object.entries(want)) {
          assert.deepEqual((r as Record<string, unknown>)[k], v, k);
        }
      });
    }

    it('the body is cut at Content-Length, headers are lower-cased', () => {
      const r = parseHttpResponse(
        b('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 3\r\n\r\nabcdef'),
        false,
      );
      assert.equal(r.body?.toString(), 'abc');
      assert.equal(r.headers?.['content-type'], 'text/html');
    });

    it('a GET request ends with the blank line', () => {
      assert.match(
        httpGetRequest('/a.html', '127.0.0.1', 80).toString(),
        /^GET \/a\.html HTTP\/1\.1\r\nHost: 127\.0\.0\.1:80\r\n[^]*\r\n\r\n$/,
      );
    });
  });

  describe('SMTP dialogue', () => {
    it('parses commands and envelope addresses', () => {
      assert.deepEqual(parseCommand('mail FROM:<a@b>'), { verb: 'MAIL', arg: 'FROM:<a@b>' });
      assert.deepEqual(parseCommand('HELO me'), { verb: 'HELO', arg: 'me' });
      assert.equal(envelopeAddress('FROM:<a@b>', 'FROM'), 'a@b');
      assert.equal(envelopeAddress('FROM: <a@b>', 'FROM'), 'a@b');
      assert.equal(envelopeAddress('FROM:a@b', 'FROM'), undefined);
      assert.equal(envelopeAddress('TO:<x@y>', 'FROM'), undefined);
    });

    it('undoes dot-stuffing', () => {
      assert.equal(unstuff('..hidden'), '.hidden');
      assert.equal(unstuff('plain'), 'plain');
    });

    it('cuts a reply into pieces that join to the reply, the last line after its code', () => {
      for (const reply of [
        '250 OK\r\n',
        '221 bye now\r\n',
        '250-a\r\n250-b\r\n250 HELP\r\n',
        '354 End data with <CR><LF>.<CR><LF>\r\n',
      ]) {
        const pieces = replyPieces(reply);
        assert.equal(pieces.join(''), reply);
        assert.ok(pieces.length >= 2, reply);
        assert.ok(pieces.every((p) => p.length > 0));
        assert.ok(!pieces[pieces.length - 2]!.endsWith('\r\n') || reply.split('\r\n').length > 2);
        assert.match(pieces[pieces.length - 2]!, /^\d{3}[ -]/);
      }
    });
  });

  it('parseTcpQueues reads tx and rx queues by 4-tuple', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1A0B 0100007F:C350 01 0000000A:00000003 00:00000000 00000000  1000        0 1234 1',
      'garbage line',
    ].join('\n');
    const q = parseTcpQueues(text);
    assert.deepEqual(q.get('127.0.0.1:6667>127.0.0.1:50000'), { tx: 10, rx: 3 });
    assert.equal(q.size, 1);
    const v6 = parseTcpQueues(
      '  sl\n   0: 0000000000000000FFFF00000100007F:1A0B 0000000000000000FFFF00000100007F:C350 01 00000000:00000007 00:0 0 1000 0 1 1',
    );
    assert.deepEqual(v6.get('127.0.0.1:6667>127.0.0.1:50000'), { tx: 0, rx: 7 });
  });

  describe('SmtpServerPeer on loopback', () => {
    it('records a pipelined dialogue, marks the early lines, and closes everything', async () => {
      const engine = makeEngine();
      const server = await SmtpServerPeer.start(engine, { port: 0, greetDelayMs: 0 });
      const port = server.socket.local.port;
      const sock = net.connect(port, '127.0.0.1');
      const got: Buffer[] = [];
      sock.on('data', (c: Buffer) => got.push(c));
      await new Promise<void>((r) => sock.once('connect', () => r()));
      sock.write('HELO me\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n..dot\r\nline\n.\r\nQUIT\r\n');
      await new Promise<void>((r) => sock.once('close', () => r()));
      assert.equal(await server.whenSettled(5000), true);
      const [d] = server.dialogues;
      assert.ok(d);
      assert.equal(d.mails.length, 1);
      assert.deepEqual(d.mails[0], { from: 'a@b', to: ['c@d'], message: '.dot\r\nline', helo: 'me' });
      assert.equal(d.quit, true);
      assert.ok(
        d.lines.slice(1).some((l) => l.early),
        'MAIL came before HELO was answered',
      );
      assert.equal(d.lines.find((l) => l.text === 'line')!.crlf, false);
      const text = Buffer.concat(got).toString();
      assert.match(text, /^220 .*\r\n250 .*\r\n/);
      assert.match(text, /221 .*\r\n$/);
      assert.match(formatDialogue(d), /C: HELO me/);
      await server.close();
      assert.equal(engine.registry.size, 0);
      assert.ok(await portIsFree(port, 'tcp'));
      engine.registry.dispose();
      engine.log.dispose();
    });
  });

  it('httpGet: GET through the registry, the response read from the log', async () => {
    const engine = makeEngine();
    const srv = net.createServer((c) => {
      c.once('data', () => c.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const r = await httpGet(engine, { port, path: '/x' });
      assert.equal(r.status, 200);
      assert.equal(r.body, 'hello');
      assert.equal(r.complete, true);
      assert.ok(engine.log.slice().some((e) => e.socketId === r.socketId && e.event === 'send'));
      await assert.rejects(httpGet(engine, { port, path: 'no slash' }), /path must start with "\/"/);
      assert.equal(engine.registry.size, 0);
    } finally {
      await new Promise((r) => srv.close(r));
      engine.registry.dispose();
      engine.log.dispose();
    }
  });
});
