import * as assert from 'node:assert/strict';
import { MAX_PARSED, recogniseAppProtocol, type AppProtocolView } from '../../../src/shared/appProtocol';

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** The checks as one line each, ✓ / ⚠ / · first, so a table row names what it expects in plain words. */
function checks(v: AppProtocolView): string[] {
  return v.checks.map((c) => `${c.ok === true ? '✓' : c.ok === false ? '⚠' : '·'} ${c.text}`);
}

type Case = {
  name: string;
  payload: string;
  kind: AppProtocolView['kind'];
  title: string;
  rows?: Array<[string, string]>;
  /** Each must be (a part of) one of the checks. */
  has: RegExp[];
  /** None may match any check. */
  hasNot?: RegExp[];
};

const html = '<html><body>Hello World</body></html>\n'; // 39 bytes

const cases: Case[] = [
  {
    name: 'a browser GET',
    payload: 'GET /HelloWorld.html HTTP/1.1\r\nHost: 127.0.0.1:6789\r\nConnection: close\r\n\r\n',
    kind: 'http-request',
    title: 'HTTP request: GET /HelloWorld.html HTTP/1.1',
    rows: [
      ['Host', '127.0.0.1:6789'],
      ['Connection', 'close'],
    ],
    has: [
      /^· method GET, path \/HelloWorld.html, version HTTP\/1.1$/,
      /^✓ blank line/,
      /^· no body$/,
      /^· 2 header lines$/,
    ],
    hasNot: [/bare/],
  },
  {
    name: 'a request whose head is cut by the segment',
    payload: 'GET /HelloWorld.html HTTP/1.1\r\nHost: 127.0',
    kind: 'http-request',
    title: 'HTTP request: GET /HelloWorld.html HTTP/1.1',
    rows: [],
    has: [/^⚠ no blank line in this segment/],
  },
  {
    name: 'a request with bare \\n line ends',
    payload: 'GET / HTTP/1.0\nHost: x\n\n',
    kind: 'http-request',
    title: 'HTTP request: GET / HTTP/1.0',
    has: [/^⚠ 3 lines end with a bare \\n where HTTP wants \\r\\n$/, /^✓ blank line/],
  },
  {
    name: 'a POST with a body and no Content-Length',
    payload: 'POST /form HTTP/1.1\r\nHost: x\r\n\r\nname=ada',
    kind: 'http-request',
    title: 'HTTP request: POST /form HTTP/1.1',
    has: [/^⚠ body 8 bytes without a Content-Length/],
  },
  {
    name: 'a 200 with the body its Content-Length says',
    payload: `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${html.length}\r\n\r\n${html}`,
    kind: 'http-response',
    title: 'HTTP response: HTTP/1.1 200 OK',
    rows: [
      ['Content-Type', 'text/html'],
      ['Content-Length', String(html.length)],
    ],
    has: [
      /^· status 200 \(success\), reason "OK"$/,
      /^✓ blank line/,
      new RegExp(`^✓ body ${html.length} bytes \\(Content-Length ${html.length} ✓\\)$`),
    ],
  },
  {
    name: 'a 404 without a reason phrase, only a status line and the blank line',
    payload: 'HTTP/1.1 404\r\n\r\n',
    kind: 'http-response',
    title: 'HTTP response: HTTP/1.1 404',
    has: [/^· status 404 \(client error\), no reason phrase$/, /^· no header lines$/, /no Content-Length/],
  },
  {
    name: 'a body shorter than Content-Length (the rest comes later)',
    payload: 'HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nabc',
    kind: 'http-response',
    title: 'HTTP response: HTTP/1.0 200 OK',
    has: [/^· body 3 of 100 bytes \(Content-Length 100\): the rest comes/],
  },
  {
    name: 'a body longer than Content-Length',
    payload: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabcd',
    kind: 'http-response',
    title: 'HTTP response: HTTP/1.1 200 OK',
    has: [/^⚠ body 4 bytes, more than Content-Length 2: the reader takes the 2 after it/],
  },
  {
    name: 'a Content-Length that is not a number, and an unusual reason phrase',
    payload: 'HTTP/1.1 404 Gone Fishing\r\nContent-Length: lots\r\n\r\n',
    kind: 'http-response',
    title: 'HTTP response: HTTP/1.1 404 Gone Fishing',
    has: [/the usual one is "Not Found"/, /^⚠ body 0 bytes; Content-Length "lots" is not a number$/],
  },
  {
    name: 'a head line that is no header',
    payload: 'HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n',
    kind: 'http-response',
    title: 'HTTP response: HTTP/1.1 200 OK',
    rows: [['(not a header)', 'this is not a header']],
    has: [/^⚠ 1 line in the head without "Name: value"$/],
  },
  {
    name: 'control bytes in a header are shown as escapes',
    payload: 'HTTP/1.1 200 OK\r\nX-Evil: a\x1b[31mb\x00\r\n\r\n',
    kind: 'http-response',
    title: 'HTTP response: HTTP/1.1 200 OK',
    rows: [['X-Evil', 'a\\x1b[31mb\\x00']],
    has: [],
  },
  {
    name: 'the greeting',
    payload: '220 mail.example ESMTP ready\r\n',
    kind: 'smtp-reply',
    title: 'SMTP reply 220 (service ready)',
    rows: [['220 ', 'mail.example ESMTP ready']],
    has: [],
    hasNot: [/bare/],
  },
  {
    name: 'a multi-line EHLO reply',
    payload: '250-mail.example\r\n250-SIZE 1000000\r\n250 HELP\r\n',
    kind: 'smtp-reply',
    title: 'SMTP reply 250 (OK)',
    rows: [
      ['250-', 'mail.example'],
      ['250-', 'SIZE 1000000'],
      ['250 ', 'HELP'],
    ],
    has: [/^✓ a multi-line reply: 3 lines/],
  },
  {
    name: 'a multi-line reply with its dashes wrong',
    payload: '250 a\r\n250 b\r\n',
    kind: 'smtp-reply',
    title: 'SMTP reply 250 (OK)',
    has: [/^⚠ 2 lines: a multi-line reply has "-" after the code/],
  },
  {
    name: '354 after DATA, with a bare \\n',
    payload: '354 End data with <CR><LF>.<CR><LF>\n',
    kind: 'smtp-reply',
    title: 'SMTP reply 354 (start the mail input; end it with <CRLF>.<CRLF>)',
    has: [/^⚠ line 1 ends with a bare \\n where SMTP wants \\r\\n$/],
  },
  {
    name: 'HELO',
    payload: 'HELO alice\r\n',
    kind: 'smtp-command',
    title: 'SMTP command: HELO alice',
    rows: [['HELO', 'alice']],
    has: [/^✓ ended by \\r\\n ✓$/],
  },
  {
    name: 'MAIL FROM, lower case as smtplib sends it',
    payload: 'mail FROM:<alice@example.com>\r\n',
    kind: 'smtp-command',
    title: 'SMTP command: MAIL FROM: <alice@example.com>',
    rows: [['MAIL FROM:', '<alice@example.com>']],
    has: [/✓ ended by/],
  },
  {
    name: 'QUIT ended by a bare \\n',
    payload: 'QUIT\n',
    kind: 'smtp-command',
    title: 'SMTP command: QUIT',
    has: [/^⚠ line 1 ends with a bare \\n where SMTP wants \\r\\n$/],
    hasNot: [/✓/],
  },
  {
    name: 'every command at once (a client that does not wait for replies)',
    payload: 'HELO a\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n',
    kind: 'smtp-command',
    title: 'SMTP commands: HELO, MAIL FROM:, RCPT TO:, DATA',
    has: [/^⚠ 4 commands in one segment: a client waits for the reply/],
  },
  {
    name: 'a mail ended by <CRLF>.<CRLF>, with a dot-stuffed line',
    payload: 'Subject: hi\r\nFrom: a@x\r\n\r\nI love computer networks!\r\n..dots\r\n.\r\n',
    kind: 'smtp-data',
    title: 'SMTP mail data (after DATA)',
    rows: [
      ['Subject', 'hi'],
      ['From', 'a@x'],
    ],
    has: [/^✓ ended by <CRLF>.<CRLF> ✓$/, /^· 1 line dot-stuffed/],
  },
  {
    name: 'a mail ended by \\n.\\n',
    payload: 'I love computer networks!\n.\n',
    kind: 'smtp-data',
    title: 'SMTP mail data (after DATA)',
    has: [/^⚠ ends with "\." on a line of its own, but with a bare \\n/],
  },
];

describe('shared/appProtocol recogniseAppProtocol (HTTP and SMTP in a TCP payload)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const v = recogniseAppProtocol(bytes(c.payload));
      assert.ok(v, 'recognised');
      assert.equal(v.kind, c.kind);
      assert.equal(v.title, c.title);
      if (c.rows) {
        assert.deepEqual(v.table?.rows ?? [], c.rows);
      }
      const got = checks(v);
      for (const re of c.has) {
        assert.ok(
          got.some((t) => re.test(t)),
          `${re} in ${JSON.stringify(got, null, 1)}`,
        );
      }
      for (const re of c.hasNot ?? []) {
        assert.ok(!got.some((t) => re.test(t)), `no ${re} in ${JSON.stringify(got, null, 1)}`);
      }
    });
  }

  const none: Array<[string, string]> = [
    ['empty', ''],
    ['the uppercase sentence', 'hello from python\n'],
    ['a number alone', '404\n'],
    ['a word that starts like a verb', 'HELOISE is here\r\n'],
    ['a method the HTTP list does not know', 'FETCH / HTTP/1.1\r\n\r\n'],
    ['HTTP mid-body (a later segment)', 'body body body\r\n\r\n'],
    ['binary', '\x00\x01\x02\xff'],
  ];
  for (const [name, payload] of none) {
    it(`is nothing for ${name}`, () => {
      assert.equal(recogniseAppProtocol(bytes(payload)), undefined);
    });
  }

  it(`reads only the first ${MAX_PARSED} bytes, and says so; the body is counted in the whole payload`, () => {
    const big = `HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(100_000)}`;
    const v = recogniseAppProtocol(bytes(big));
    assert.ok(v);
    const got = checks(v);
    assert.ok(got.includes('✓ body 100000 bytes (Content-Length 100000 ✓)'), JSON.stringify(got));
    assert.ok(
      got.includes(`· only the first ${MAX_PARSED} of ${big.length} bytes read here`),
      JSON.stringify(got),
    );
  });

  it('counts the body in the whole payload when the log kept only its first part', () => {
    const kept = bytes('HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nabc');
    const v = recogniseAppProtocol(kept, kept.length - 3 + 5000);
    assert.ok(v);
    assert.ok(checks(v).includes('✓ body 5000 bytes (Content-Length 5000 ✓)'), JSON.stringify(checks(v)));
  });

  it('a head longer than the cap says its blank line was not in what was read', () => {
    const v = recogniseAppProtocol(bytes(`GET / HTTP/1.1\r\n${'X-Pad: y\r\n'.repeat(2000)}\r\n`));
    assert.ok(v);
    assert.ok(
      checks(v).includes(`⚠ no blank line in the first ${MAX_PARSED} bytes`),
      JSON.stringify(checks(v)),
    );
    assert.ok((v.table?.rows.length ?? 0) < 1000, 'no more rows than the cap holds');
  });
});
