import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  builtinPackFolder,
  builtinTranslations,
  loadBuiltinPack,
} from '../../../../src/core/notes/builtinPack';
import { allNotes, NoteId, getNote, setNotesLanguage, type Note } from '../../../../src/core/notes/notes';
import { WELL_KNOWN_PORTS, portRange, serviceName } from '../../../../src/core/os/wellKnownPorts';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The keys the engine imports; each must exist in NoteId. */
const REQUIRED_KEYS = [
  'PortNumbers',
  'EphemeralPorts',
  'PrivilegedPorts',
  'AddressInUse',
  'ConnectionRefused',
  'ConnectionReset',
  'ConnectTimeout',
  'AddressNotAvailable',
  'HostResolution',
  'LocalhostIpv6',
  'LoopbackBind',
  'UdpDatagramLimit',
  'UdpNoConnection',
  'UdpSenderAddress',
  'TcpWelcomingSocket',
  'TcpConnectionSocket',
  'TcpFourTuple',
  'TcpHandshake',
  'TcpByteStream',
  'TcpClose',
  'TcpReset',
  'TcpListenBacklog',
  'PayloadEncoding',
  'SocketClosed',
  'Python2vs3',
  'SlideTypos',
  'LayersDivisionOfLabor',
  'SocketApiC',
  'SocketApiPython',
  'SocketApiJava',
  'Summary',
  'Impairment',
  'ReuseAddr',
] as const;

/** Socket calls a later feature maps to notes through `api:<call>` topics. */
const API_CALLS = [
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
  'shutdown',
  'setsockopt',
  'getaddrinfo',
  'gethostbyname',
  'settimeout',
];

/** Each slide topic → the note covering it → facts its body must state (each entry: any one of the spellings). */
const SLIDE_TOPICS: { topic: string; id: string; facts: string[][] }[] = [
  {
    topic: 'division of labour between network, OS, application',
    id: NoteId.LayersDivisionOfLabor,
    facts: [['IP address'], ['port'], ['reads from and writes to']],
  },
  { topic: 'port numbers and ranges', id: NoteId.PortNumbers, facts: [['0–1023'], ['65535'], ['49152']] },
  {
    topic: 'well-known port table',
    id: 'well-known-ports',
    facts: [
      ['| 21 |'],
      ['| 22 |'],
      ['| 23 |'],
      ['| 25 |'],
      ['| 53 |'],
      ['| 80 |'],
      ['| 110 |'],
      ['| 143 |'],
      ['| 443 |'],
    ],
  },
  { topic: 'client ports are assigned by the OS', id: NoteId.EphemeralPorts, facts: [['OS picks']] },
  {
    topic: 'Berkeley / BSD sockets, de facto standard',
    id: NoteId.BerkeleySockets,
    facts: [['4.2BSD'], ['Winsock']],
  },
  { topic: 'socket API in C', id: NoteId.SocketApiC, facts: [['recvfrom'], ['htons']] },
  { topic: 'socket API in Python', id: NoteId.SocketApiPython, facts: [['bytes'], ['sendall']] },
  {
    topic: 'socket API in Java',
    id: NoteId.SocketApiJava,
    facts: [['ServerSocket'], ['InputStreamReader'], ['BufferedReader'], ['PrintWriter'], ['DatagramSocket']],
  },
  {
    topic: 'client/server pseudo-code',
    id: 'client-server-pseudocode',
    facts: [['accept()'], ['listen()']],
  },
  { topic: 'UDP: no connection, no handshake', id: NoteId.UdpNoConnection, facts: [['handshake']] },
  {
    topic: 'UDP: sender attaches destination',
    id: NoteId.UdpExplicitDestination,
    facts: [['sendto(data, (host, port))']],
  },
  {
    topic: 'UDP: receiver extracts sender address',
    id: NoteId.UdpSenderAddress,
    facts: [['recvfrom'], ['sender']],
  },
  { topic: 'UDP: loss and reordering', id: 'udp-loss-reorder', facts: [['dropped'], ['overtake']] },
  { topic: 'UDP datagrams keep boundaries', id: NoteId.UdpMessageBoundaries, facts: [['one datagram']] },
  {
    topic: 'TCP: server must run first',
    id: NoteId.TcpServerFirst,
    facts: [['before'], ['connection refused']],
  },
  { topic: 'TCP: welcoming socket', id: NoteId.TcpWelcomingSocket, facts: [['welcoming'], ['listen()']] },
  { topic: 'TCP: new socket per client', id: NoteId.TcpConnectionSocket, facts: [['brand-new socket']] },
  {
    topic: 'TCP: reliable in-order byte stream',
    id: NoteId.TcpReliableInOrder,
    facts: [['retransmits'], ['order']],
  },
  { topic: 'TCP: handshake on connect', id: NoteId.TcpHandshake, facts: [['SYN-ACK']] },
  { topic: 'Python UDP client', id: 'udp-client-program', facts: [['input()'], ['encode']] },
  { topic: 'Python UDP server', id: 'udp-server-program', facts: [['recvfrom()'], ['sendto()']] },
  { topic: 'Python TCP client', id: 'tcp-client-program', facts: [['connect()'], ['sendall()']] },
  { topic: 'Python TCP server', id: 'tcp-server-program', facts: [['welcoming socket'], ['accept']] },
  { topic: 'summary', id: NoteId.Summary, facts: [['UDP'], ['TCP'], ['Berkeley']] },
];

/** Each correction the slides need → its own note → the key fact. */
const CORRECTIONS: { correction: string; id: string; facts: string[][] }[] = [
  {
    correction: 'accepted socket keeps the server port; 4-tuple; slide 2789 is wrong',
    id: NoteId.TcpFourTuple,
    facts: [['4-tuple'], ['2789'], ['same local port']],
  },
  {
    correction: 'a TCP recv can return part of a message or several',
    id: NoteId.TcpByteStream,
    facts: [["b'onetwo'"], ["b'hello'"]],
  },
  {
    correction: 'slide code is Python 2',
    id: NoteId.Python2vs3,
    facts: [['raw_input'], ['input()'], ['print('], ['.encode()'], ['.decode()'], ['bytes-like object']],
  },
  {
    correction: 'socket.AF_INET after from socket import *',
    id: NoteId.PythonImportStar,
    facts: [['from socket import *'], ['socket.AF_INET'], ['AttributeError']],
  },
  {
    correction: 'SOCK DGRAM / sentto / raw input typos',
    id: NoteId.SlideTypos,
    facts: [['SOCK DGRAM'], ['sentto'], ['sendto'], ['raw input']],
  },
  {
    correction: 'Telenet and Berkley typos',
    id: 'slide-name-typos',
    facts: [['Telenet'], ['Telnet'], ['Berkley'], ['Berkeley']],
  },
  {
    correction: 'real ephemeral port ranges',
    id: NoteId.EphemeralPorts,
    facts: [['49152–65535'], ['32768–60999'], ['ip_local_port_range'], ['1024–65535'], ['Windows']],
  },
  {
    correction: 'binding below 1024 needs privileges',
    id: NoteId.PrivilegedPorts,
    facts: [['CAP_NET_BIND_SERVICE'], ['ip_unprivileged_port_start'], ['Mojave'], ['Windows']],
  },
  {
    correction: 'UDP payload limit',
    id: NoteId.UdpDatagramLimit,
    facts: [['65,507', '65507'], ['65,527', '65527'], ['1,472', '1472'], ['EMSGSIZE']],
  },
  {
    correction: 'listen(1) backlog meaning',
    id: NoteId.TcpListenBacklog,
    facts: [['listen(1)'], ['backlog'], ['not'], ['backlog + 1'], ['somaxconn']],
  },
  { correction: 'localhost may resolve to ::1', id: NoteId.LocalhostIpv6, facts: [['::1'], ['127.0.0.1']] },
  {
    correction: 'connection refused when the server is not running',
    id: NoteId.ConnectionRefused,
    facts: [['ECONNREFUSED'], ['RST'], ['ICMP'], ['connected']],
  },
  {
    correction: 'address already in use',
    id: NoteId.AddressInUse,
    facts: [['EADDRINUSE'], ['TIME_WAIT'], ['SO_REUSEADDR']],
  },
  {
    correction: 'SO_REUSEADDR, and Windows differs',
    id: NoteId.ReuseAddr,
    facts: [['SO_REUSEADDR'], ['TIME_WAIT'], ['Windows'], ['SO_EXCLUSIVEADDRUSE']],
  },
  // the course errata's new notes
  {
    correction: 'send on an unconnected or shut-down TCP socket is EPIPE, recv is ENOTCONN',
    id: NoteId.BrokenPipe,
    facts: [['EPIPE'], ['ENOTCONN'], ['SIGPIPE'], ['MSG_NOSIGNAL'], ['shutdown(SHUT_WR)']],
  },
  {
    correction: 'a send to a broadcast address needs SO_BROADCAST, else EACCES',
    id: NoteId.UdpBroadcast,
    facts: [['SO_BROADCAST'], ['EACCES'], ['255.255.255.255'], ['wildcard']],
  },
  {
    correction: 'ETIMEDOUT on an established connection is not a connect timeout',
    id: NoteId.EstablishedTimeout,
    facts: [['ETIMEDOUT'], ['tcp_retries2'], ['SO_KEEPALIVE'], ['settimeout()']],
  },
  {
    correction: 'reaching a server from another machine',
    id: NoteId.ReachFromAnotherMachine,
    facts: [["'0.0.0.0'"], ['INADDR_ANY'], ['firewall'], ['allowRemoteBind']],
  },
  {
    correction: "a recv loop must test for b''",
    id: NoteId.RecvLoopEof,
    facts: [["b''"], ['-1'], ['null'], ['UDP']],
  },
  {
    correction: 'lines as messages across languages',
    id: NoteId.LineFramingAcrossLanguages,
    facts: [['readLine()'], ['\\r\\n'], ['TCPClient.py']],
  },
  {
    correction: 'serving several clients with select() or selectors',
    id: NoteId.SelectSelectors,
    facts: [['select()'], ['selectors'], ['Selector']],
  },
  {
    correction: 'closing the welcoming socket in the loop',
    id: NoteId.WelcomingSocketInLoop,
    facts: [['serverSocket.close()'], ['connectionSocket.close()'], ['Bad file descriptor']],
  },
  {
    correction: 'Wireshark decodes UDP port 12000 as LLC',
    id: NoteId.WiresharkDecodeAs,
    facts: [['LLC'], ['12000–12004'], ['udp.port==12000,data'], ['Decode As']],
  },
];

const notesWithApi = allNotes().filter((n) => n.topics.some((t) => t.startsWith('api:')));

function words(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

function mustGet(id: string): Note {
  const note = getNote(id);
  assert.ok(note, `note ${id} exists`);
  return note;
}

function hasTool(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

describe('built-in pack (unit)', () => {
  describe('corpus shape', () => {
    it('has a corpus of 45–100 notes', () => {
      assert.ok(allNotes().length >= 45 && allNotes().length <= 100, `${allNotes().length} notes`);
    });

    it('has unique kebab-case ids', () => {
      const ids = allNotes().map((n) => n.id);
      assert.equal(new Set(ids).size, ids.length, 'ids are unique');
      for (const id of ids) {
        assert.match(id, KEBAB);
      }
    });

    it('NoteId has every key the engine needs, and every NoteId value is a note', () => {
      const keys = Object.keys(NoteId);
      for (const key of REQUIRED_KEYS) {
        assert.ok(keys.includes(key), `NoteId.${key}`);
      }
      const values = Object.values(NoteId);
      assert.equal(new Set(values).size, values.length, 'NoteId values are unique');
      for (const id of values) {
        assert.ok(getNote(id), `NoteId value ${id} has a note`);
      }
    });

    it('loads from notes/builtin/ without a problem, in English, one file per note', () => {
      const pack = loadBuiltinPack()!;
      assert.deepEqual(pack.problems, []);
      assert.deepEqual([pack.id, pack.language], ['builtin', 'en']);
      const files = fs.readdirSync(builtinPackFolder()).filter((f) => f.endsWith('.md'));
      assert.equal(files.length, pack.notes.length);
      // The file names carry the order and the id: 01-layers-division-of-labor.md, ...
      assert.deepEqual(
        files.sort().map((f) => f.replace(/^\d+-|\.md$/g, '')),
        pack.notes.map((n) => n.id),
      );
    });

    it("the code samples come last: a note's body is its file's Markdown after the front matter, verbatim", () => {
      // listNotes and the hovers give the body without the samples; prose after a sample would be cut apart.
      const pack = loadBuiltinPack()!;
      const files = fs
        .readdirSync(builtinPackFolder())
        .filter((f) => f.endsWith('.md'))
        .sort();
      files.forEach((f, i) => {
        const text = fs.readFileSync(path.join(builtinPackFolder(), f), 'utf8');
        assert.ok(
          text.includes(`\n---\n${pack.notes[i]!.body}\n`),
          `${f}: nothing but samples after the body`,
        );
      });
    });

    it('a note about a socket call (topic api:<call>) explains that call (call:<call>), for the hovers', () => {
      for (const n of allNotes()) {
        for (const t of n.topics.filter((x) => x.startsWith('api:'))) {
          assert.ok(n.explains.includes(`call:${t.slice(4)}`), `${n.id} explains call:${t.slice(4)}`);
        }
      }
    });

    it('every body parses into a tree with no Markdown marks left in its text', () => {
      const leftovers: string[] = [];
      const walk = (x: unknown, id: string): void => {
        if (Array.isArray(x)) {
          x.forEach((y) => walk(y, id));
        } else if (x && typeof x === 'object') {
          const o = x as { type?: string; value?: unknown };
          if (o.type === 'text' && typeof o.value === 'string' && /\*\*|`|\]\(|^#{1,6} /.test(o.value)) {
            leftovers.push(`${id}: ${o.value.slice(0, 60)}`);
          }
          Object.values(o).forEach((y) => walk(y, id));
        }
      };
      for (const n of allNotes()) {
        assert.ok(n.tree.length > 0, `${n.id} has a body`);
        walk(n.tree, n.id);
      }
      assert.deepEqual(leftovers, []);
    });

    it('a folder beside notes/builtin/ whose pack.json has the id builtin is its translation', () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'notes-root-'));
      try {
        const pack = (dir: string, json: string): void => {
          fs.mkdirSync(path.join(root, dir));
          fs.writeFileSync(path.join(root, dir, 'pack.json'), json);
        };
        pack('builtin', '{ "id": "builtin", "title": "Notes", "language": "en" }');
        pack('builtin-es', '{ "id": "builtin", "title": "Apuntes", "language": "es" }');
        pack('other', '{ "id": "other", "title": "Other", "language": "fr" }');
        pack('broken', '{ "id": ');
        assert.deepEqual([...builtinTranslations(root)], [['es', path.join(root, 'builtin-es')]]);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('a language without a translation reads in English', () => {
      assert.equal(setNotesLanguage('xx-YY'), 'en');
      assert.equal(getNote(NoteId.Summary)?.language, 'en');
    });

    it('getNote finds every note and nothing else', () => {
      for (const n of allNotes()) {
        assert.equal(getNote(n.id), n);
      }
      assert.equal(getNote('no-such-note'), undefined);
    });

    for (const n of allNotes()) {
      it(`${n.id}: title, topics, body, seeAlso are well-formed`, () => {
        assert.ok(n.title.trim().length > 0, 'title');
        assert.ok(n.topics.length > 0, 'topics');
        for (const t of n.topics) {
          assert.match(t, /^[a-z0-9-]+(?::[a-z0-9-]+)?$/, `topic '${t}' is a lower-case tag`);
        }
        assert.equal(new Set(n.topics).size, n.topics.length, 'topics are unique');
        const w = words(n.body);
        assert.ok(w >= 40 && w <= 260, `body has ${w} words`);
        assert.equal(n.body, n.body.trim(), 'body has no surrounding whitespace');
        assert.doesNotMatch(n.body, /^ {4,}\S/m, 'body was dedented (list continuations indent 2–3)');
        assert.equal((n.body.match(/`/g) ?? []).length % 2, 0, 'inline code backticks are balanced');
        for (const ref of n.seeAlso ?? []) {
          assert.ok(getNote(ref), `seeAlso ${ref} exists`);
          assert.notEqual(ref, n.id, 'no self reference');
        }
      });
    }
  });

  describe('API notes', () => {
    it('every socket call has at least one api:<call> note', () => {
      for (const call of API_CALLS) {
        assert.ok(
          allNotes().some((n) => n.topics.includes(`api:${call}`)),
          `a note is tagged api:${call}`,
        );
      }
    });

    for (const n of notesWithApi) {
      it(`${n.id}: has Python, C and Java code`, () => {
        assert.ok(n.code?.python?.trim(), 'python');
        assert.ok(n.code?.c?.trim(), 'c');
        assert.ok(n.code?.java?.trim(), 'java');
      });
    }
  });

  describe('slide topics are covered', () => {
    for (const row of SLIDE_TOPICS) {
      it(`${row.topic} → ${row.id}`, () => {
        const body = mustGet(row.id).body;
        for (const alternatives of row.facts) {
          assert.ok(
            alternatives.some((f) => body.includes(f)),
            `${row.id} mentions ${alternatives.join(' or ')}`,
          );
        }
      });
    }
  });

  describe('the corrections the slides need each have their own note', () => {
    it('no two corrections share a note', () => {
      const ids = CORRECTIONS.map((c) => c.id);
      assert.equal(new Set(ids).size, ids.length);
    });

    for (const row of CORRECTIONS) {
      it(`${row.correction} → ${row.id}`, () => {
        const body = mustGet(row.id).body;
        for (const alternatives of row.facts) {
          assert.ok(
            alternatives.some((f) => body.includes(f)),
            `${row.id} mentions ${alternatives.join(' or ')}`,
          );
        }
      });
    }

    it('notes that correct slide text are tagged slides-correction', () => {
      for (const id of [
        NoteId.TcpFourTuple,
        NoteId.TcpByteStream,
        NoteId.Python2vs3,
        NoteId.PythonImportStar,
        NoteId.SlideTypos,
        'slide-name-typos',
        NoteId.EphemeralPorts,
        NoteId.PrivilegedPorts,
        NoteId.TcpListenBacklog,
      ]) {
        assert.ok(mustGet(id).topics.includes('slides-correction'), id);
      }
    });
  });

  describe('code snippets', () => {
    let dir = '';
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socket-notes-'));
    });
    after(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const python = allNotes().filter((n) => n.code?.python);
    for (const n of python) {
      it(`${n.id}: Python snippet compiles under python3 and is Python 3 style`, function () {
        if (!hasTool('python3', ['--version'])) {
          this.skip();
        }
        const src = n.code?.python ?? '';
        // Style checks look at code only: comments may quote the slides' mistakes.
        const code = src.replace(/#.*$/gm, '');
        const file = path.join(dir, `${n.id.replace(/-/g, '_')}.py`);
        fs.writeFileSync(file, src + '\n');
        const r = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
        assert.equal(r.status, 0, `py_compile failed:\n${r.stderr}`);
        assert.doesNotMatch(code, /\braw_input\s*\(/, 'no raw_input');
        assert.doesNotMatch(code, /\bsentto\b|SOCK DGRAM/, 'no slide typos');
        if (code.includes('from socket import *')) {
          assert.doesNotMatch(code, /\bsocket\.(AF_|SOCK_)/, 'no socket.AF_INET after a star import');
        }
      });
    }

    it('C snippets compile (gcc -fsyntax-only)', function () {
      if (!hasTool('gcc', ['--version'])) {
        this.skip();
      }
      this.timeout(60000);
      const headers = [
        'sys/types.h',
        'sys/socket.h',
        'sys/time.h',
        'netinet/in.h',
        'arpa/inet.h',
        'netdb.h',
        'unistd.h',
        'string.h',
        'stdio.h',
        'stdlib.h',
        'errno.h',
        'signal.h',
        'ctype.h',
        'stdint.h',
        'time.h',
      ];
      const prelude = '#define _DEFAULT_SOURCE\n' + headers.map((h) => `#include <${h}>`).join('\n');
      const failures: string[] = [];
      for (const n of allNotes().filter((x) => x.code?.c)) {
        const file = path.join(dir, `${n.id.replace(/-/g, '_')}.c`);
        fs.writeFileSync(file, `${prelude}\nint main(void) {\n${n.code?.c ?? ''}\nreturn 0;\n}\n`);
        const r = spawnSync('gcc', ['-std=c11', '-fsyntax-only', '-Wall', '-Wno-unused-variable', file], {
          encoding: 'utf8',
        });
        if (r.status !== 0 || /warning:/.test(r.stderr)) {
          failures.push(`${n.id}:\n${r.stderr}`);
        }
      }
      assert.deepEqual(failures, []);
    });

    it('Java snippets compile (javac)', function () {
      if (!hasTool('javac', ['-version'])) {
        this.skip();
      }
      this.timeout(60000);
      const javaDir = path.join(dir, 'java');
      fs.mkdirSync(javaDir);
      const files = allNotes()
        .filter((n) => n.code?.java)
        .map((n, i) => {
          const cls = `Note${i}`;
          const file = path.join(javaDir, `${cls}.java`);
          fs.writeFileSync(
            file,
            'import java.io.*;\nimport java.net.*;\nimport java.nio.charset.StandardCharsets;\n' +
              `public class ${cls} { // ${n.id}\npublic static void main(String[] args) throws Exception {\n` +
              `${n.code?.java ?? ''}\n}\n}\n`,
          );
          return file;
        });
      const r = spawnSync('javac', ['-d', javaDir, ...files], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    });

    it('JavaScript snippets parse (node --check)', () => {
      const failures: string[] = [];
      for (const n of allNotes().filter((x) => x.code?.javascript)) {
        const file = path.join(dir, `${n.id.replace(/-/g, '_')}.js`);
        fs.writeFileSync(file, (n.code?.javascript ?? '') + '\n');
        const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
        if (r.status !== 0) {
          failures.push(`${n.id}:\n${r.stderr}`);
        }
      }
      assert.deepEqual(failures, []);
    });
  });

  describe('well-known ports', () => {
    const slideTable: [number, string][] = [
      [21, 'FTP'],
      [22, 'SSH'],
      [23, 'Telnet'],
      [25, 'SMTP'],
      [53, 'DNS'],
      [80, 'HTTP'],
      [110, 'POP3'],
      [143, 'IMAP'],
      [443, 'HTTPS'],
    ];
    for (const [port, service] of slideTable) {
      it(`serviceName(${port}) is ${service}`, () => {
        assert.equal(serviceName(port), service);
      });
    }

    it('has the common extra ports and the course port', () => {
      for (const port of [67, 68, 123, 161, 993, 995, 3306, 5432, 8080, 12000]) {
        assert.ok(serviceName(port), `port ${port}`);
      }
      assert.match(serviceName(12000) ?? '', /course/i);
    });

    it('table is sorted, unique, in range, with protocols', () => {
      let last = -1;
      for (const p of WELL_KNOWN_PORTS) {
        assert.ok(Number.isInteger(p.port) && p.port > last && p.port <= 65535, `port ${p.port}`);
        last = p.port;
        assert.ok(p.service && p.name, `names of ${p.port}`);
        assert.ok(p.protocols.length > 0, `protocols of ${p.port}`);
      }
    });

    const byProtocol: [number, 'tcp' | 'udp', string | undefined][] = [
      [53, 'udp', 'DNS'],
      [53, 'tcp', 'DNS'],
      [80, 'tcp', 'HTTP'],
      [80, 'udp', undefined],
      [123, 'udp', 'NTP'],
      [123, 'tcp', undefined],
      [443, 'udp', 'HTTPS'],
      [4242, 'tcp', undefined],
    ];
    for (const [port, protocol, expected] of byProtocol) {
      it(`serviceName(${port}, '${protocol}') is ${String(expected)}`, () => {
        assert.equal(serviceName(port, protocol), expected);
      });
    }
  });

  describe('portRange', () => {
    const table: [number, ReturnType<typeof portRange>][] = [
      [0, 'well-known'],
      [22, 'well-known'],
      [1023, 'well-known'],
      [1024, 'registered'],
      [12000, 'registered'],
      [49151, 'registered'],
      [49152, 'dynamic'],
      [65535, 'dynamic'],
    ];
    for (const [port, range] of table) {
      it(`${port} is ${range}`, () => {
        assert.equal(portRange(port), range);
      });
    }

    for (const bad of [-1, 65536, 1.5, Number.NaN]) {
      it(`${bad} throws a RangeError naming the allowed range`, () => {
        assert.throws(
          () => portRange(bad),
          (e: unknown) => e instanceof RangeError && /0 to 65535/.test(e.message),
        );
      });
    }
  });
});
