/** Socket calls in source files → course notes, and client/server recognition for the CodeLens. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiScanner } from '../../../../src/core/assist/apiIndex';
import {
  API_LANGUAGE_IDS,
  API_TABLES,
  apiLanguageOf,
  type ApiLanguage,
} from '../../../../src/core/assist/apiTables';
import { classifyProgram } from '../../../../src/core/assist/programShape';
import { maskSource, usesSockets } from '../../../../src/core/assist/sourceMask';
import { getNote, allNotes } from '../../../../src/core/notes/notes';

const workspace = path.resolve(__dirname, '../../../../../test/fixtures/workspace');

/** The note a hover shows for the identifier marked with `|` (the cursor), or undefined. */
function noteAt(language: ApiLanguage, marked: string): string | undefined {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'the source marks the cursor with |');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return new ApiScanner(language, text).at(offset)?.notes[0];
}

const PY = 'from socket import *\n';
const JS = "const net = require('node:net');\nconst dgram = require('node:dgram');\n";
const JAVA = 'import java.net.*;\n';
const C = '#include <sys/socket.h>\n';

describe('apiIndex (unit)', () => {
  describe('the tables', () => {
    it('name only notes that exist', () => {
      for (const [language, entries] of Object.entries(API_TABLES)) {
        for (const e of entries) {
          assert.ok(e.notes.length > 0, `${language} ${e.name}`);
          for (const id of e.notes) {
            assert.ok(getNote(id), `${language} ${e.name} → ${id}`);
          }
        }
      }
    });

    it('cover every call the slides list, in every language family that has it', () => {
      const slideCalls = [
        'socket',
        'bind',
        'listen',
        'accept',
        'connect',
        'send',
        'recv',
        'sendto',
        'recvfrom',
        'close',
      ];
      for (const language of ['python', 'c'] as const) {
        const names = new Set(API_TABLES[language].map((e) => e.name));
        for (const call of slideCalls) {
          assert.ok(names.has(call), `${language}: ${call}`);
        }
      }
      const java = new Set(API_TABLES.java.map((e) => e.name));
      for (const cls of ['Socket', 'ServerSocket', 'InputStreamReader', 'BufferedReader', 'PrintWriter']) {
        assert.ok(java.has(cls), `java: ${cls}`);
      }
    });

    it('every api: topic of the corpus that the lecture uses has a Python entry pointing at a note with it', () => {
      const python = API_TABLES.python;
      for (const call of [
        'socket',
        'bind',
        'listen',
        'accept',
        'connect',
        'send',
        'recv',
        'sendto',
        'recvfrom',
        'close',
      ]) {
        const entry = python.find((e) => e.name === call);
        assert.ok(entry, call);
        const tagged = allNotes()
          .filter((n) => n.topics.includes(`api:${call}`))
          .map((n) => n.id);
        assert.ok(
          entry.notes.some((id) => tagged.includes(id)),
          `${call}: ${entry.notes.join(', ')} ∩ ${tagged.join(', ')}`,
        );
      }
    });

    it('summaries are one sentence-ish and have no HTML', () => {
      for (const entries of Object.values(API_TABLES)) {
        for (const e of entries) {
          assert.ok(e.summary.length > 10 && e.summary.length < 200, e.label);
          assert.doesNotMatch(e.summary, /<[a-z]/i, e.label);
        }
      }
    });
  });

  describe('language ids', () => {
    it('maps VS Code language ids onto the four families', () => {
      assert.deepEqual(
        API_LANGUAGE_IDS.map((id) => apiLanguageOf(id)),
        ['python', 'javascript', 'javascript', 'javascript', 'javascript', 'java', 'c', 'c'],
      );
      assert.equal(apiLanguageOf('rust'), undefined);
      assert.equal(apiLanguageOf('plaintext'), undefined);
    });
  });

  describe('what is under the cursor', () => {
    const cases: Array<[ApiLanguage, string, string | undefined]> = [
      // Python
      ['python', `${PY}m, a = s.recv|from(2048)`, 'udp-sender-address'],
      ['python', `${PY}s = sock|et(AF_INET, SOCK_DGRAM)`, 'socket-create'],
      ['python', `${PY}s = socket(AF_INET, SOCK_DG|RAM)`, 'socket-create'],
      ['python', `${PY}c, addr = s.accept|()`, 'tcp-connection-socket'],
      ['python', `${PY}s.listen|(1)`, 'tcp-welcoming-socket'],
      [
        'python',
        `${PY}s = socket(AF_INET, SOCK_STREAM)\ns.sendto|(b'x', ('h', 1))`,
        'udp-explicit-destination',
      ],
      ['python', `${PY}s.sentto|(m, a)`, 'slide-code-typos'],
      ['python', `${PY}m = raw_in|put('x')`, 'python2-vs-python3'],
      ['python', 'import socket\ns = socket.sock|et(socket.AF_INET, socket.SOCK_STREAM)', 'socket-create'],
      ['python', 'import socket\ns = socket.socket(socket.AF_IN|ET, socket.SOCK_STREAM)', 'socket-create'],
      ['python', `${PY}except Connection|RefusedError:`, 'connection-refused'],
      ['python', `${PY}# s.recv|from(2048) in a comment`, undefined],
      ['python', `${PY}x = 'recv|from'`, undefined],
      ['python', 'f = open("x")\nf.clo|se()', undefined], // no socket import: file.close() is not a socket call
      ['python', `${PY}s = socket(AF_INET, SOCK_STREAM)\ns.clo|se()`, 'tcp-close'],
      // No FIN on UDP; and the cursor on close() is not "using a socket after it was closed".
      ['python', `${PY}s = socket(AF_INET, SOCK_DGRAM)\ns.clo|se()`, 'udp-no-connection'],
      ['python', `${PY}s = socket(AF_INET, SOCK_DGRAM)\nd = s.re|cv(2048)`, 'udp-message-boundaries'],
      ['python', `${PY}d = s.re|cv(1024)`, 'tcp-byte-stream'],
      ['python', `${PY}x = recv|`, undefined], // not a call
      // JavaScript / TypeScript
      ['javascript', `${JS}const s = dgram.create|Socket('udp4');`, 'socket-create'],
      ['javascript', `${JS}const s = dgram.createSocket('ud|p4');`, 'socket-create'],
      ['javascript', `${JS}const srv = net.createSer|ver((c) => c);`, 'tcp-welcoming-socket'],
      ['javascript', `${JS}const srv = http.createSer|ver((q, r) => r.end());`, undefined],
      ['javascript', `${JS}s.on('mess|age', (msg, rinfo) => {});`, 'udp-sender-address'],
      ['javascript', `${JS}c.on('da|ta', (chunk) => {});`, 'tcp-byte-stream'],
      ['javascript', `${JS}log('da|ta');`, undefined],
      ['javascript', `${JS}s.bi|nd(12000, '127.0.0.1');`, 'bind-call'],
      ['javascript', `${JS}const f = g.bi|nd(this);`, undefined], // Function.prototype.bind
      ['javascript', `${JS}srv.list|en(12000);`, 'tcp-welcoming-socket'],
      ['javascript', `${JS}const c = net.conn|ect(12000);`, 'tcp-handshake'],
      ['javascript', `const fs = require('fs');\nfs.clo|se(fd);`, undefined],
      // Java
      ['java', `${JAVA}ServerSo|cket s = new ServerSocket(6789);`, 'tcp-welcoming-socket'],
      ['java', `${JAVA}Socket c = welcome.acc|ept();`, 'tcp-connection-socket'],
      ['java', `${JAVA}DatagramSocket s = new Datagram|Socket();`, 'socket-create'],
      ['java', `${JAVA}s.rece|ive(packet);`, 'udp-sender-address'],
      ['java', `${JAVA}BufferedRe|ader in;`, 'tcp-message-framing'],
      ['java', `${JAVA}catch (ConnectExce|ption e) {}`, 'connection-refused'],
      ['java', `Soc|ket s;`, undefined], // no java.net import
      // C / C++
      ['c', `${C}int fd = sock|et(AF_INET, SOCK_DGRAM, 0);`, 'socket-create'],
      [
        'c',
        `${C}n = recvfr|om(fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &len);`,
        'udp-sender-address',
      ],
      ['c', `${C}int fd = socket(AF_INET, SOCK_STREAM, 0);\nlist|en(fd, 1);`, 'tcp-welcoming-socket'],
      ['c', `${C}addr.sin_port = hto|ns(12000);`, 'port-numbers'],
      ['c', `${C}struct sockaddr_|in a;`, 'bind-call'],
      ['c', `${C}auto f = std::bi|nd(g, 1);`, undefined],
      ['c', `${C}::bi|nd(fd, a, n);`, 'bind-call'],
      ['c', `${C}/* recvfr|om(fd) */`, undefined],
      ['c', `${C}obj.se|nd(x);`, undefined],
      // UDP-only files: Java's and Node's send name the destination; they are not connect()-ed sends.
      [
        'java',
        `${JAVA}DatagramSocket s = new DatagramSocket();\ns.se|nd(packet);`,
        'udp-explicit-destination',
      ],
      [
        'javascript',
        `${JS}const s = dgram.createSocket('udp4');\ns.se|nd(msg, 12000, '127.0.0.1');`,
        'udp-explicit-destination',
      ],
      ['c', `${C}int fd = socket(AF_INET, SOCK_DGRAM, 0);\nse|nd(fd, buf, n, 0);`, 'udp-connected-socket'],
      [
        'c',
        `${C}int fd = socket(AF_INET, SOCK_DGRAM, 0);\nn = re|cv(fd, buf, sizeof buf, 0);`,
        'udp-message-boundaries',
      ],
      [
        'c',
        `${C}int fd = socket(AF_INET, SOCK_STREAM, 0);\nn = re|cv(fd, buf, sizeof buf, 0);`,
        'tcp-byte-stream',
      ],
      ['java', `${JAVA}DatagramSocket s = new DatagramSocket();\ns.clo|se();`, 'udp-no-connection'],
      // A reset on a UDP socket is Windows' ICMP report, not a TCP reset.
      [
        'python',
        `${PY}s = socket(AF_INET, SOCK_DGRAM)\nexcept ConnectionReset|Error:`,
        'udp-connected-socket',
      ],
      ['python', `${PY}s = socket(AF_INET, SOCK_STREAM)\nexcept ConnectionReset|Error:`, 'connection-reset'],
      // destroy() sends a FIN; resetAndDestroy() the RST.
      ['javascript', `${JS}const c = net.connect(12000);\nc.destr|oy();`, 'tcp-close'],
      ['javascript', `${JS}const c = net.connect(12000);\nc.resetAndDest|roy();`, 'tcp-reset'],
      // Java's keyboard reader is not TCP framing.
      [
        'java',
        `${JAVA}BufferedReader inFromUser = new BufferedReader(new InputStreamReader(System.in));\nString s = inFromUser.readL|ine();`,
        undefined,
      ],
      [
        'java',
        `${JAVA}BufferedReader inFromUser = new Buffered|Reader(new InputStreamReader(System.in));`,
        undefined,
      ],
      [
        'java',
        `${JAVA}BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream()));\nString s = in.readL|ine();`,
        'tcp-message-framing',
      ],
    ];
    for (const [language, marked, want] of cases) {
      it(`${language}: ${marked.split('\n').pop()} → ${want ?? 'nothing'}`, () => {
        assert.equal(noteAt(language, marked), want);
      });
    }

    /** The hover's summary for the marked identifier. */
    const summaryAt = (language: ApiLanguage, marked: string): string | undefined => {
      const offset = marked.indexOf('|');
      const text = marked.slice(0, offset) + marked.slice(offset + 1);
      return new ApiScanner(language, text).at(offset)?.entry.summary;
    };

    it('hover summaries follow the protocol of the file where the meaning differs', () => {
      const cRecvUdp = summaryAt(
        'c',
        `${C}int fd = socket(AF_INET, SOCK_DGRAM, 0);\nn = re|cv(fd, b, 9, 0);`,
      )!;
      assert.match(cRecvUdp, /0 means an empty datagram/);
      assert.doesNotMatch(cRecvUdp, /peer closed/);
      assert.match(
        summaryAt('c', `${C}int fd = socket(AF_INET, SOCK_STREAM, 0);\nn = re|cv(fd, b, 9, 0);`)!,
        /0 means the peer closed/,
      );
      const cSendUdp = summaryAt('c', `${C}int fd = socket(AF_INET, SOCK_DGRAM, 0);\nse|nd(fd, b, 9, 0);`)!;
      assert.doesNotMatch(cSendUdp, /fewer than asked/);
      assert.match(cSendUdp, /whole or not at all/);
      const pySendUdp = summaryAt('python', `${PY}s = socket(AF_INET, SOCK_DGRAM)\ns.se|nd(b'x')`)!;
      assert.doesNotMatch(pySendUdp, /use `sendall`/);
      assert.match(summaryAt('python', `${PY}s = socket(AF_INET, SOCK_STREAM)\ns.se|nd(b'x')`)!, /sendall/);
      assert.match(
        summaryAt('python', `${PY}s = socket(AF_INET, SOCK_DGRAM)\nd = s.re|cv(9)`)!,
        /empty datagram, not a close/,
      );
    });

    it('JS listen() without a host says it binds every interface; ServerSocket() without a port is unbound', () => {
      assert.match(summaryAt('javascript', `${JS}srv.list|en(12000);`)!, /binds `::`, every interface/);
      assert.equal(noteAt('javascript', `${JS}srv.list|en(12000);`), 'tcp-welcoming-socket');
      assert.match(
        summaryAt('java', `${JAVA}ServerSo|cket s = new ServerSocket();`)!,
        /with no port is not bound/,
      );
    });

    it('TCP close() and destroy() hovers mention the reset when unread data is left', () => {
      for (const [language, marked] of [
        ['python', `${PY}s = socket(AF_INET, SOCK_STREAM)\ns.clo|se()`],
        ['c', `${C}int fd = socket(AF_INET, SOCK_STREAM, 0);\nclo|se(fd);`],
        ['java', `${JAVA}Socket c = new Socket("h", 1);\nc.clo|se();`],
        ['javascript', `${JS}const c = net.connect(12000);\nc.destr|oy();`],
      ] as const) {
        assert.match(summaryAt(language, marked)!, /reset.*unread|unread.*reset/, `${language}: ${marked}`);
      }
      assert.match(
        summaryAt('javascript', `${JS}const c = net.connect(12000);\nc.destr|oy();`)!,
        /still gets a FIN/,
      );
    });

    it('the match covers the whole identifier', () => {
      const text = `${PY}m, a = s.recvfrom(2048)`;
      const s = new ApiScanner('python', text);
      const m = s.at(text.indexOf('recvfrom') + 3);
      assert.ok(m);
      assert.equal(text.slice(m.start, m.end), 'recvfrom');
      assert.equal(m.entry.label, 'socket.recvfrom()');
    });

    it('for the cursor, falls back to the first call on the line', () => {
      const text = `${PY}    message, clientAddress = serverSocket.recvfrom(2048)\n`;
      const s = new ApiScanner('python', text);
      assert.equal(s.forCursor(1, 0)?.entry.name, 'recvfrom');
      assert.equal(s.forCursor(0, 0), undefined); // `from socket import *` has no call
    });

    it('positions and offsets round-trip, with CRLF too', () => {
      const text = 'a\r\nbc\r\ndef';
      const s = new ApiScanner('python', text);
      assert.equal(s.offsetAt(2, 1), 8);
      assert.deepEqual(s.positionAt(8), { line: 2, character: 1 });
      assert.equal(s.offsetAt(1, 99), 5); // clamped before the \r
      assert.equal(s.lineCount, 3);
    });
  });

  describe('masking', () => {
    const samples: Array<[ApiLanguage, string]> = [
      ['python', `x = 'a#b'  # c "d"\ny = """multi\nline""" + r'\\'' + f"{z}"\n`],
      ['javascript', "const a = `t ${x} //`; // c\n/* b\n */ const s = 'q\\'';\n"],
      ['java', 'String s = """\n  text\n  """; // c\nchar c = \'"\';\n'],
      ['c', '/* a "b" */ char *s = "x\\"y"; // z\n'],
    ];
    for (const [language, text] of samples) {
      it(`${language}: same length and line breaks, code kept, strings and comments blanked`, () => {
        const masked = maskSource(language, text);
        assert.equal(masked.length, text.length);
        assert.deepEqual(
          [...masked].map((c, i) => (c === '\n') === (text[i] === '\n')),
          [...masked].map(() => true),
        );
        assert.doesNotMatch(masked, /[a-z]\s*[a-z]*\s*\*\/|text|multi|q\\/);
      });
    }

    it('keeps delimiters and the comment start', () => {
      assert.equal(maskSource('python', "a = 'xy'  # hi"), "a = '  '  #   ");
      assert.equal(maskSource('c', 'a = "xy"; // hi'), 'a = "  "; /    ');
    });
  });

  describe('usesSockets', () => {
    const cases: Array<[ApiLanguage, string, boolean]> = [
      ['python', 'from socket import *', true],
      ['python', 'import sys, socket', true],
      ['python', 'import socketserver', false],
      ['javascript', "import * as dgram from 'node:dgram';", true],
      ['javascript', "const net = require('net');", true],
      ['javascript', "import http from 'node:http';", false],
      ['java', 'import java.net.ServerSocket;', true],
      ['java', 'import java.util.List;', false],
      ['c', '#include <sys/socket.h>', true],
      ['c', '#include <winsock2.h>', true],
      ['c', '#include <stdio.h>', false],
    ];
    for (const [language, text, want] of cases) {
      it(`${language}: ${text} → ${want}`, () => {
        assert.equal(usesSockets(language, text), want);
      });
    }
  });

  describe('classifyProgram', () => {
    const files: Array<[string, ApiLanguage, string]> = [
      ['slides_UDPClient.py', 'python', 'udp client 12000'],
      ['slides_UDPServer.py', 'python', 'udp server 12000'],
      ['slides_TCPClient.py', 'python', 'tcp client 12000'],
      ['slides_TCPServer.py', 'python', 'tcp server 12000'],
      ['modern_UDPClient.py', 'python', 'udp client 12000'],
      ['modern_UDPServer.py', 'python', 'udp server 12000'],
      ['modern_TCPClient.py', 'python', 'tcp client 12000'],
      ['modern_TCPServer.py', 'python', 'tcp server 12000'],
      ['udpServer.js', 'javascript', 'udp server 12000'],
      ['udpClient.js', 'javascript', 'udp client 12000'],
      ['tcpServer.ts', 'javascript', 'tcp server 12000'],
      ['tcpClient.js', 'javascript', 'tcp client 12000'],
      ['UDPServer.java', 'java', 'udp server 12000'],
      ['UDPClient.java', 'java', 'udp client 12000'],
      ['TCPServer.java', 'java', 'tcp server 12000'],
      ['TCPClient.java', 'java', 'tcp client 12000'],
      ['udp_server.c', 'c', 'udp server 12000'],
      ['tcp_client.c', 'c', 'tcp client 12000'],
    ];
    for (const [file, language, want] of files) {
      it(`${file}: ${want}`, () => {
        const text = fs.readFileSync(path.join(workspace, file), 'utf8');
        const shape = classifyProgram(language, text);
        assert.ok(shape, 'recognised');
        assert.equal(`${shape.protocol} ${shape.role} ${shape.port}`, want);
        assert.ok(shape.offset >= 0 && shape.offset < text.length);
      });
    }

    const inline: Array<[string, ApiLanguage, string, string | undefined]> = [
      [
        'port from a command-line default',
        'python',
        `${PY}port = int(sys.argv[1]) if len(sys.argv) > 1 else 9999\ns = socket(AF_INET, SOCK_DGRAM)\ns.bind(('', port))\nm, a = s.recvfrom(2048)\n`,
        'udp server 9999',
      ],
      [
        'a literal port in connect',
        'python',
        `${PY}s = socket(AF_INET, SOCK_STREAM)\ns.connect(('h', 8080))\n`,
        'tcp client 8080',
      ],
      ['create_server', 'python', "import socket\ns = socket.create_server(('', 5000))\n", 'tcp server 5000'],
      ['no role', 'python', `${PY}s = socket(AF_INET, SOCK_DGRAM)\n`, undefined],
      ['no socket', 'python', 'print(1)\n', undefined],
      [
        'JS options object',
        'javascript',
        `${JS}const c = net.createConnection({ port: 7000, host: 'h' });\n`,
        'tcp client 7000',
      ],
      [
        'JS port from a constant',
        'javascript',
        `${JS}const PORT = 4242;\nnet.createServer(() => {}).listen(PORT);\n`,
        'tcp server 4242',
      ],
      [
        'JS UDP client with offset/length',
        'javascript',
        `${JS}const s = dgram.createSocket('udp4');\ns.send(b, 0, b.length, 41234, 'h');\n`,
        'udp client 41234',
      ],
      [
        'Java constant',
        'java',
        `${JAVA}static final int PORT = 6789;\nSocket s = new Socket("h", PORT);\n`,
        'tcp client 6789',
      ],
      [
        'C #define without htons argument',
        'c',
        `${C}#define PORT 9000\nint main(void) { int fd = socket(AF_INET, SOCK_STREAM, 0); connect(fd, 0, 0); }\n`,
        'tcp client 9000',
      ],
    ];
    for (const [name, language, text, want] of inline) {
      it(name, () => {
        const shape = classifyProgram(language, text);
        assert.equal(shape && `${shape.protocol} ${shape.role} ${shape.port}`, want);
      });
    }
  });
});
