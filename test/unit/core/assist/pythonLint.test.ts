/** The lecture-era Python pitfalls: the slides' own listings must light up, their fixes must be Python 3. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getNote, allNotes } from '../../../../src/core/notes/notes';
import { applyEdits, type LintDiagnostic } from '../../../../src/core/assist/lintTypes';
import { fixAllPython, lintPython, shouldLintPython } from '../../../../src/core/assist/pythonLint';

const workspace = path.resolve(__dirname, '../../../../../test/fixtures/workspace');
const read = (name: string): string => fs.readFileSync(path.join(workspace, name), 'utf8');

/** What a diagnostic covers, as `severity code line: text`. */
function show(text: string, d: LintDiagnostic): string {
  const lines = text.split('\n');
  const { start, end } = d.range;
  const covered =
    start.line === end.line
      ? lines[start.line]!.slice(start.character, end.character)
      : lines[start.line]!.slice(start.character);
  return `${d.severity} ${d.code} ${start.line}: ${covered}`;
}

function lint(text: string): string[] {
  return lintPython(text).map((d) => show(text, d));
}

function fixed(text: string): string {
  return fixAllPython(text).text;
}

function hasPython(): boolean {
  const r = spawnSync('python3', ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

const STAR = 'from socket import *\n';

describe('pythonLint (unit)', () => {
  describe("the slides' listings, verbatim", () => {
    const expected: Record<string, string[]> = {
      'slides_UDPClient.py': [
        "warning placeholder-host 1: 'hostname'",
        'error socket-attribute-after-import-star 3: socket.AF_INET',
        'error socket-attribute-after-import-star 3: socket.SOCK DGRAM',
        'error constant-typo 3: SOCK DGRAM',
        'error python2-raw-input 4: raw_input',
        'warning str-to-send 5: message',
        'error python2-print 7: print modifiedMessage',
      ],
      'slides_UDPServer.py': ['error python2-print 4: print "The server is ready to receive"'],
      'slides_TCPClient.py': [
        "warning placeholder-host 1: 'servername'",
        'error raw-input-typo 5: raw input',
        'information send-not-sendall 6: send',
        'warning str-to-send 6: sentence',
        'information single-recv 7: clientSocket.recv(1024)',
        "error python2-print 8: print 'From Server:', modifiedSentence",
      ],
      'slides_TCPServer.py': [
        "error python2-print 5: print 'The server is ready to receive'",
        'information single-recv 8: connectionSocket.recv(1024)',
        'information send-not-sendall 10: send',
      ],
    };
    for (const [file, want] of Object.entries(expected)) {
      it(`${file} lights up every problem, and only those`, () => {
        assert.deepEqual(lint(read(file)), want);
      });
    }

    it('every diagnostic names an existing note, and every error or warning has a fix', () => {
      for (const file of Object.keys(expected)) {
        for (const d of lintPython(read(file))) {
          assert.ok(getNote(d.noteId), `${file}: ${d.code} → ${d.noteId}`);
          if (d.severity !== 'information') {
            assert.ok(d.fixes.length > 0, `${file}: ${d.code} has a fix`);
          }
        }
      }
    });

    it('a single recv is Information, never an error or warning', () => {
      const ds = lintPython(read('slides_TCPServer.py')).filter((d) => d.code === 'single-recv');
      assert.equal(ds.length, 1);
      assert.equal(ds[0]!.severity, 'information');
    });

    it('fixing everything in UDPClient gives the modern program, line for line', () => {
      assert.equal(
        fixed(read('slides_UDPClient.py')),
        [
          'from socket import *',
          "serverName = '127.0.0.1'",
          'serverPort = 12000',
          'clientSocket = socket(AF_INET, SOCK_DGRAM)',
          "message = input('Input lowercase sentence:')",
          'clientSocket.sendto(message.encode(), (serverName, serverPort))',
          'modifiedMessage, serverAddress = clientSocket.recvfrom(2048)',
          'print(modifiedMessage.decode())',
          'clientSocket.close()',
          '',
        ].join('\n'),
      );
    });

    it('fixing everything in TCPClient decodes the reply it prints', () => {
      const out = fixed(read('slides_TCPClient.py'));
      assert.match(out, /^sentence = input\('Input lowercase sentence:'\)$/m);
      assert.match(
        out,
        /^clientSocket\.connect\(\('127\.0\.0\.1', serverPort\)\)$|^serverName = '127\.0\.0\.1'$/m,
      );
      assert.match(out, /^clientSocket\.sendall\(sentence\.encode\(\)\)$/m);
      assert.match(out, /^print\('From Server:', modifiedSentence\.decode\(\)\)$/m);
    });

    for (const file of Object.keys(expected)) {
      it(`${file}, fixed, compiles under python3 and leaves at most Information`, function () {
        if (!hasPython()) {
          this.skip();
        }
        const out = fixed(read(file));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-lint-'));
        try {
          const f = path.join(dir, file);
          fs.writeFileSync(f, out);
          const r = spawnSync('python3', ['-m', 'py_compile', f], { encoding: 'utf8' });
          assert.equal(r.status, 0, `py_compile failed:\n${r.stderr}\n${out}`);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
        assert.deepEqual(
          lintPython(out).filter((d) => d.severity !== 'information'),
          [],
          'nothing but Information is left',
        );
      });
    }

    it('the unfixed listings really are not Python 3 (the diagnostics are not crying wolf)', function () {
      if (!hasPython()) {
        this.skip();
      }
      for (const file of Object.keys(expected)) {
        const r = spawnSync('python3', ['-c', 'import sys; compile(sys.stdin.read(), "f", "exec")'], {
          input: read(file),
          encoding: 'utf8',
        });
        assert.notEqual(r.status, 0, `${file} compiles as Python 3?`);
      }
    });
  });

  describe('modern code stays quiet', () => {
    for (const file of fs.readdirSync(workspace).filter((f) => /^modern_.*\.py$/.test(f))) {
      it(`${file} has no diagnostics`, () => {
        assert.deepEqual(lint(read(file)), []);
      });
    }

    it("the course notes' Python code has no errors", () => {
      for (const n of allNotes()) {
        const src = n.code?.python;
        if (src) {
          assert.deepEqual(
            lintPython(src)
              .filter((d) => d.severity === 'error')
              .map((d) => show(src, d)),
            [],
            n.id,
          );
        }
      }
    });
  });

  describe('rules, one case at a time', () => {
    const cases: Array<[name: string, source: string, want: string[], fixedLine?: string]> = [
      [
        'print with a trailing comma keeps the line open',
        `${STAR}x = 1\nprint x,\n`,
        ['error python2-print 2: print x,'],
        "print(x, end=' ')",
      ],
      [
        'print >>file',
        `${STAR}import sys\nprint >>sys.stderr, "oops"\n`,
        ['error python2-print 2: print >>sys.stderr, "oops"'],
        'print("oops", file=sys.stderr)',
      ],
      [
        'print keeps a trailing comment',
        `${STAR}print 'hi'  # greet\n`,
        ["error python2-print 1: print 'hi'"],
        "print('hi')  # greet",
      ],
      [
        'print after a colon',
        `${STAR}while 1: print 'x'\n`,
        ["error python2-print 1: print 'x'"],
        "while 1: print('x')",
      ],
      ['print() is Python 3', `${STAR}print('x')\nprint ('y')\n`, []],
      ['print inside a string or comment', `${STAR}s = "print x"  # print y\n`, []],
      ['raw_input in a comment', `${STAR}# raw_input('x')\n`, []],
      [
        'a program that defines raw_input',
        `${STAR}def raw_input(p):\n    return input(p)\nx = raw_input('a')\n`,
        [],
      ],
      [
        'socket.AF_INET with import socket is fine',
        'import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n',
        [],
      ],
      [
        'socket.socket after the star import',
        `${STAR}s = socket.socket(AF_INET, SOCK_STREAM)\n`,
        ['error socket-attribute-after-import-star 1: socket.socket'],
        's = socket(AF_INET, SOCK_STREAM)',
      ],
      [
        'socket.gethostbyname after the star import',
        `${STAR}ip = socket.gethostbyname('x')\n`,
        ['error socket-attribute-after-import-star 1: socket.gethostbyname'],
        "ip = gethostbyname('x')",
      ],
      ['socket.bind (a class attribute) is not flagged', `${STAR}f = socket.bind\n`, []],
      [
        'an import socket after the star import rebinds the name',
        `${STAR}import socket\nx = socket.AF_INET\n`,
        [],
      ],
      ['SOCK DGRAM in a string', `${STAR}s = "SOCK DGRAM"\n`, []],
      [
        'SO REUSEADDR',
        `${STAR}s = socket(AF_INET, SOCK_STREAM)\ns.setsockopt(SOL_SOCKET, SO REUSEADDR, 1)\n`,
        ['error constant-typo 2: SO REUSEADDR'],
        's.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)',
      ],
      [
        'sentto',
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\ns.sentto(b'x', ('h', 1))\n`,
        ['error sentto-typo 2: sentto'],
        "s.sendto(b'x', ('h', 1))",
      ],
      [
        'an ASCII str literal becomes a bytes literal',
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\ns.sendto('hi', ('h', 12000))\n`,
        ["warning str-to-send 2: 'hi'"],
        "s.sendto(b'hi', ('h', 12000))",
      ],
      [
        'a non-ASCII literal is encoded',
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\ns.sendto('grüß', ('h', 12000))\n`,
        ["warning str-to-send 2: 'grüß'"],
        "s.sendto('grüß'.encode(), ('h', 12000))",
      ],
      [
        'an upper-cased str is still a str',
        `${STAR}s = socket(AF_INET, SOCK_STREAM)\nm = input('x')\ns.sendall(m.upper())\n`,
        ['warning str-to-send 3: m.upper()'],
        's.sendall(m.upper().encode())',
      ],
      [
        'bytes from recv are fine to send',
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\nm, a = s.recvfrom(2048)\ns.sendto(m.upper(), a)\n`,
        [],
      ],
      [
        'encoded input is fine to send',
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\nm = input('x').encode()\ns.sendto(m, ('h', 1))\n`,
        [],
      ],
      [
        'unknown types stay quiet',
        `${STAR}s = socket(AF_INET, SOCK_STREAM)\ns.sendall(make_message())\n`,
        [],
      ],
      [
        'recv on UDP keeps datagram boundaries',
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\ns.connect(('h', 1))\nd = s.recv(2048)\n`,
        [],
      ],
      [
        'a recv loop with an EOF check',
        `${STAR}s = socket(AF_INET, SOCK_STREAM)\nwhile True:\n    d = s.recv(1024)\n    if not d:\n        break\n`,
        [],
      ],
      [
        'a recv collected with +=',
        `${STAR}s = socket(AF_INET, SOCK_STREAM)\nbuf = b''\nbuf += s.recv(1024)\n`,
        [],
      ],
      [
        'walrus read loop',
        `${STAR}s = socket(AF_INET, SOCK_STREAM)\nwhile chunk := s.recv(1024):\n    pass\n`,
        [],
      ],
      [
        'socket() without a type is TCP',
        `${STAR}s = socket()\nd = s.recv(1024)\n`,
        ['information single-recv 2: s.recv(1024)'],
      ],
      [
        'a privileged port literal',
        `${STAR}s = socket(AF_INET, SOCK_STREAM)\ns.bind(('', 80))\n`,
        ['warning privileged-port 2: 80'],
        "s.bind(('', 8080))",
      ],
      [
        'a privileged port through a variable is fixed where it is set',
        `${STAR}serverPort = 53\ns = socket(AF_INET, SOCK_DGRAM)\ns.bind(('', serverPort))\n`,
        ['warning privileged-port 3: serverPort'],
        'serverPort = 8053',
      ],
      [
        'port 0 and port 12000 are fine',
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\ns.bind(('', 0))\nt = socket(AF_INET, SOCK_DGRAM)\nt.bind(('', 12000))\n`,
        [],
      ],
      [
        "'from socket import socket as Socket' beside 'import socket' leaves socket.AF_INET valid",
        `import socket\nfrom socket import socket as Socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.sendto(b'x', ('127.0.0.1', 12000))\n`,
        [],
      ],
      [
        "'from socket import socket' (no alias) does rebind socket to the class",
        `import socket\nfrom socket import socket, AF_INET\ns = socket(socket.AF_INET)\n`,
        ['error socket-attribute-after-import-star 2: socket.AF_INET'],
        's = socket(AF_INET)',
      ],
      [
        "bind('', 12000) with two arguments: one tuple",
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\ns.bind('', 12000)\n`,
        ["error address-not-tuple 2: '', 12000"],
        "s.bind(('', 12000))",
      ],
      [
        'connect(host, port) with two arguments: one tuple',
        `${STAR}host = '127.0.0.1'\ns = socket(AF_INET, SOCK_STREAM)\ns.connect(host, 12000)\ns.sendall(b'x')\n`,
        ['error address-not-tuple 3: host, 12000'],
        's.connect((host, 12000))',
      ],
      [
        'sendto(data, host, port): the address is the second argument, a tuple',
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\ns.sendto(b'hi', '127.0.0.1', 12000)\n`,
        ["error address-not-tuple 2: '127.0.0.1', 12000"],
        "s.sendto(b'hi', ('127.0.0.1', 12000))",
      ],
      [
        'a tuple already, or a flags argument, is fine',
        `${STAR}s = socket(AF_INET, SOCK_DGRAM)\ns.bind(('', 12000))\ns.sendto(b'hi', 0, ('127.0.0.1', 12000))\n`,
        [],
      ],
      [
        'TCP send() with its result ignored: sendall() is meant',
        `${STAR}s = socket(AF_INET, SOCK_STREAM)\ns.connect(('127.0.0.1', 12000))\ns.send(b'hello')\n`,
        ['information send-not-sendall 3: send'],
        "s.sendall(b'hello')",
      ],
      [
        'a TCP send() whose count is used, and a UDP send() on a connected socket, are fine',
        `${STAR}s = socket(AF_INET, SOCK_STREAM)\nn = s.send(b'hello')\nu = socket(AF_INET, SOCK_DGRAM)\nu.send(b'x')\n`,
        [],
      ],
      [
        'a placeholder only matters where it is used as an address',
        `${STAR}hostname = 'hostname'\nprint(hostname)\n`,
        [],
      ],
    ];
    for (const [name, source, want, fixedLine] of cases) {
      it(name, () => {
        assert.deepEqual(lint(source), want);
        if (fixedLine !== undefined) {
          assert.ok(
            fixed(source).split('\n').includes(fixedLine),
            `fixed text has "${fixedLine}":\n${fixed(source)}`,
          );
        }
      });
    }

    it("the import-star message names the constant as it must be written (SOCK_DGRAM, not 'SOCK DGRAM')", () => {
      const d = lintPython(read('slides_UDPClient.py')).find(
        (x) => /SOCK/.test(x.message) && x.code === 'socket-attribute-after-import-star',
      );
      assert.match(d!.message, /Write SOCK_DGRAM, without 'socket\.'/);
      assert.doesNotMatch(d!.message, /Write SOCK DGRAM/);
    });

    it("a placeholder host offers '127.0.0.1' first and 'localhost' second", () => {
      const [d] = lintPython(
        `${STAR}serverName = 'hostname'\ns = socket(AF_INET, SOCK_DGRAM)\ns.sendto(b'x', (serverName, 12000))\n`,
      );
      assert.equal(d?.code, 'placeholder-host');
      assert.deepEqual(
        d?.fixes.map((f) => f.edits[0]!.newText),
        ["'127.0.0.1'", "'localhost'"],
      );
    });

    it("the slides' UDPClient, fixed, runs against a real UDP server: no gaierror left", function () {
      if (!hasPython()) {
        this.skip();
      }
      // After every fix the program must really work: the placeholder was the last thing that made it fail.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-lint-run-'));
      try {
        const client = path.join(dir, 'UDPClient.py');
        fs.writeFileSync(client, fixed(read('slides_UDPClient.py')));
        // A one-shot uppercase server on a free port; the client's port line is pointed at it.
        const harness = [
          'import socket, subprocess, sys',
          's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
          "s.bind(('127.0.0.1', 0))",
          's.settimeout(20)',
          "src = open(sys.argv[1]).read().replace('serverPort = 12000', 'serverPort = %d' % s.getsockname()[1])",
          "p = subprocess.Popen([sys.executable, '-c', src], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)",
          "p.stdin.write(b'hello\\n'); p.stdin.flush()",
          'data, addr = s.recvfrom(2048)',
          's.sendto(data.upper(), addr)',
          'out, err = p.communicate(timeout=20)',
          'sys.stdout.write(out.decode()); sys.stderr.write(err.decode()); sys.exit(p.returncode)',
        ].join('\n');
        const r = spawnSync('python3', ['-c', harness, client], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /HELLO/);
        assert.doesNotMatch(r.stderr, /gaierror/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('the privileged-port warning offers 12000 as a second fix', () => {
      const [d] = lintPython(`${STAR}s = socket(AF_INET, SOCK_STREAM)\ns.bind(('', 443))\n`);
      assert.deepEqual(
        d?.fixes.map((f) => f.title),
        ['Use port 8443', 'Use port 12000 (the course example)'],
      );
    });

    it('handles CRLF line endings', () => {
      const text = read('slides_UDPServer.py').replace(/\n/g, '\r\n');
      assert.deepEqual(lint(text.replace(/\r/g, '')), lint(read('slides_UDPServer.py')));
      assert.match(fixed(text), /^print\("The server is ready to receive"\)\r$/m);
    });
  });

  describe('which files are linted', () => {
    it('only files that use the socket module', () => {
      assert.equal(shouldLintPython('print "hello"\n'), false);
      assert.equal(shouldLintPython('from socket import *\n'), true);
      assert.equal(shouldLintPython('import os, socket\n'), true);
      assert.equal(shouldLintPython('import socketserver\n'), false);
    });
  });

  describe('applyEdits', () => {
    const at = (line: number, character: number) => ({ line, character });
    it('applies non-overlapping edits and skips overlapping ones', () => {
      const r = applyEdits('abcdef\nxyz', [
        { range: { start: at(0, 1), end: at(0, 3) }, newText: 'B' },
        { range: { start: at(0, 2), end: at(0, 4) }, newText: 'Q' },
        { range: { start: at(1, 0), end: at(1, 1) }, newText: 'X' },
      ]);
      assert.deepEqual(r, { text: 'aBdef\nXyz', applied: 2 });
    });
  });
});
