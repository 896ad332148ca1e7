import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { seededRandom } from '../../../../src/core/sockets/behavior';
import {
  addressScope,
  describeAddress,
  describePort,
  findSocketOwners,
  formatIpv6,
  listening,
  listListeningPorts,
  netstatPath,
  parseNetstat,
  parseProcAddress,
  parseProcNet,
  SocketOwnerCache,
  type PortEntry,
} from '../../../../src/core/os/procNet';
import { startPythonServer } from '../../../textbook';

// Real lines, read from /proc/net on Linux 6.x (x86-64, little-endian) with sockets on 12345–12349.
const PROC_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 640 1 00000000afef20bc 100 0 0 10 0
   1: 0100007F:8993 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 127171 1 0000000028e37c13 100 0 0 10 0
   3: 0100007F:B32B 0100007F:C108 06 00000000:00000000 03:00001644 00000000     0        0 0 3 00000000b2b4f2ba
   4: 0100007F:3039 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 99817 1 0000000012345678 20 4 30 10 -1
`;
const PROC_TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:3039 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 210658 1 000000003e4a5ad9 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:303C 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 210661 1 000000003a63f9dc 100 0 0 10 0
   2: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 000000003a63f9dd 100 0 0 10 0
`;
const PROC_UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
10537: 0100007F:303B 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 210660 2 00000000dc98cbf0 0
10540: 0100007F:E1F2 0100007F:2EE0 01 00000000:00000000 00:00000000 00000000  1000        0 210700 2 00000000dc98cbf1 0
 2371: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 15873 2 00000000dc98cbf2 0
`;
const PROC_UDP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
10536: 00000000000000000000000001000000:303A 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 210659 2 000000002efd3cde 0
10539: 00000000000000000000000000000000:303D 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 210662 2 00000000bb16ed3b 0
  812: 000080FE00000000FF1000021A0C3E64:0222 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 31337 2 00000000bb16ed3c 0
`;

const MACOS_NETSTAT = `Active Internet connections (including servers)
Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)
tcp4       0      0  192.168.1.20.52344     17.253.35.204.443      ESTABLISHED
tcp4       0      0  127.0.0.1.12000        *.*                    LISTEN
tcp6       0      0  ::1.12000              *.*                    LISTEN
tcp46      0      0  *.8080                 *.*                    LISTEN
tcp4       0      0  *.22                   *.*                    LISTEN
tcp6       0      0  fe80::1%lo0.631        *.*                    LISTEN
udp4       0      0  *.5353                 *.*
udp6       0      0  *.5353                 *.*
udp4       0      0  127.0.0.1.12000        *.*
udp4       0      0  192.168.1.20.61234     8.8.8.8.53
Active LOCAL (UNIX) domain sockets
Address          Type   Recv-Q Send-Q            Inode             Conn             Refs          Nextref Addr
8f2c5a3e1b2c3d4e stream      0      0                0 8f2c5a3e1b2c3d4f                0                0
`;

const WINDOWS_NETSTAT = `
Active Connections

  Proto  Local Address          Foreign Address        State
  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING
  TCP    127.0.0.1:12000        0.0.0.0:0              LISTENING
  TCP    192.168.1.20:50123     20.42.73.29:443        ESTABLISHED
  TCP    [::]:135               [::]:0                 LISTENING
  TCP    [::1]:12000            [::]:0                 LISTENING
  UDP    0.0.0.0:5353           *:*
  UDP    127.0.0.1:12000        *:*
  UDP    [fe80::1c2b:3d4e:5f60:7182%12]:1900  *:*
`;

// German Windows translates the state; the listening test must not depend on it.
const WINDOWS_GERMAN = `
Aktive Verbindungen

  Proto  Lokale Adresse         Remoteadresse          Status
  TCP    127.0.0.1:12000        0.0.0.0:0              ABHÖREN
  TCP    127.0.0.1:50000        127.0.0.1:12000        HERGESTELLT
`;

// Linux net-tools, for the BSDs and old systems that print it this way.
const LINUX_NETSTAT = `Active Internet connections (servers and established)
Proto Recv-Q Send-Q Local Address           Foreign Address         State
tcp        0      0 127.0.0.1:631           0.0.0.0:*               LISTEN
tcp6       0      0 :::22                   :::*                    LISTEN
udp        0      0 0.0.0.0:68              0.0.0.0:*
`;

const pick = (e: PortEntry) => [e.protocol, e.address, e.port, e.state];

describe('procNet (ports of the machine)', () => {
  describe('parseProcAddress', () => {
    const table: Array<[string, 'LE' | 'BE', { address: string; port: number; family: 4 | 6 } | undefined]> =
      [
        ['0100007F:3039', 'LE', { address: '127.0.0.1', port: 12345, family: 4 }],
        ['00000000:07E8', 'LE', { address: '0.0.0.0', port: 2024, family: 4 }],
        ['3500007F:0035', 'LE', { address: '127.0.0.53', port: 53, family: 4 }],
        ['7F000001:0050', 'BE', { address: '127.0.0.1', port: 80, family: 4 }],
        ['00000000000000000000000001000000:3039', 'LE', { address: '::1', port: 12345, family: 6 }],
        ['00000000000000000000000000000000:0016', 'LE', { address: '::', port: 22, family: 6 }],
        [
          '0000000000000000FFFF00000100007F:303C',
          'LE',
          { address: '::ffff:127.0.0.1', port: 12348, family: 6 },
        ],
        [
          '000080FE00000000FF1000021A0C3E64:0222',
          'LE',
          { address: 'fe80::200:10ff:643e:c1a', port: 546, family: 6 },
        ],
        ['00000000000000000000000000000001:0001', 'BE', { address: '::1', port: 1, family: 6 }],
        ['0100007f:ffff', 'LE', { address: '127.0.0.1', port: 65535, family: 4 }],
        ['0100007F:303', 'LE', undefined],
        ['0100007F3039', 'LE', undefined],
        ['0100007G:3039', 'LE', undefined],
        ['01000007F:3039', 'LE', undefined],
        ['', 'LE', undefined],
      ];
    for (const [text, order, expected] of table) {
      it(`${JSON.stringify(text)} (${order})`, () =>
        assert.deepEqual(parseProcAddress(text, order), expected));
    }
  });

  describe('formatIpv6 (RFC 5952)', () => {
    const table: Array<[string, string]> = [
      ['20010db8000000000000000000020001', '2001:db8::2:1'],
      ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
      ['20010000000000010000000000000001', '2001:0:0:1::1'],
      ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
      ['00000000000000000000000000000000', '::'],
      ['00000000000000000000000000000001', '::1'],
      ['fe800000000000000000000000000000', 'fe80::'],
      ['00000000000000000000ffffc0a80001', '::ffff:192.168.0.1'],
      ['ffffffffffffffffffffffffffffffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ];
    for (const [hex, expected] of table) {
      it(expected, () => assert.equal(formatIpv6(Buffer.from(hex, 'hex')), expected));
    }
  });

  describe('parseProcNet', () => {
    it('tcp: every socket with its state, remote, uid and inode', () => {
      const e = parseProcNet(PROC_TCP, 'tcp');
      assert.deepEqual(e.map(pick), [
        ['tcp', '0.0.0.0', 2024, 'LISTEN'],
        ['tcp', '127.0.0.1', 35219, 'LISTEN'],
        ['tcp', '127.0.0.1', 45867, 'TIME_WAIT'],
        ['tcp', '127.0.0.1', 12345, 'ESTABLISHED'],
      ]);
      assert.equal(e[0]!.remoteAddress, undefined);
      assert.equal(e[2]!.remotePort, 49416);
      assert.equal(e[1]!.uid, 1000);
      assert.equal(e[1]!.inode, 127171);
      assert.ok(e.every((x) => x.family === 4));
    });

    it('tcp6: ::1, ::ffff:127.0.0.1 and ::', () => {
      assert.deepEqual(parseProcNet(PROC_TCP6, 'tcp').map(pick), [
        ['tcp', '::1', 12345, 'LISTEN'],
        ['tcp', '::ffff:127.0.0.1', 12348, 'LISTEN'],
        ['tcp', '::', 22, 'LISTEN'],
      ]);
    });

    it('udp: 07 is an unconnected (listening) socket, 01 a connected one', () => {
      const e = parseProcNet(PROC_UDP, 'udp');
      assert.deepEqual(e.map(pick), [
        ['udp', '127.0.0.1', 12347, 'UNCONN'],
        ['udp', '127.0.0.1', 57842, 'ESTABLISHED'],
        ['udp', '127.0.0.53', 53, 'UNCONN'],
      ]);
      assert.equal(e[1]!.remotePort, 12000);
    });

    it('udp6', () => {
      assert.deepEqual(parseProcNet(PROC_UDP6, 'udp').map(pick), [
        ['udp', '::1', 12346, 'UNCONN'],
        ['udp', '::', 12349, 'UNCONN'],
        ['udp', 'fe80::200:10ff:643e:c1a', 546, 'UNCONN'],
      ]);
    });

    it('skips headers, blank, truncated and malformed lines', () => {
      const text = [
        'garbage',
        '',
        '   0:',
        '   1: 0100007F:3039',
        '   2: 0100007F:3039 00000000:0000',
        '   3: 0100007F:3039 00000000:0000 0Z 0',
        '   4: ZZZZ:3039 00000000:0000 0A',
        '   5: 0100007F:3039 00000000:0000 0A',
      ].join('\n');
      assert.deepEqual(parseProcNet(text, 'tcp').map(pick), [['tcp', '127.0.0.1', 12345, 'LISTEN']]);
    });
  });

  describe('parseNetstat', () => {
    it('macOS: tcp4/tcp6/tcp46, "*" addresses, scoped IPv6, UNIX section ignored', () => {
      assert.deepEqual(listening(parseNetstat(MACOS_NETSTAT)).map(pick), [
        ['tcp', '0.0.0.0', 22, 'LISTEN'],
        ['tcp', 'fe80::1', 631, 'LISTEN'],
        ['tcp', '::', 8080, 'LISTEN'],
        ['tcp', '127.0.0.1', 12000, 'LISTEN'],
        ['tcp', '::1', 12000, 'LISTEN'],
        ['udp', '0.0.0.0', 5353, 'UNCONN'],
        ['udp', '::', 5353, 'UNCONN'],
        ['udp', '127.0.0.1', 12000, 'UNCONN'],
      ]);
      const all = parseNetstat(MACOS_NETSTAT);
      const est = all.find((e) => e.state === 'ESTABLISHED' && e.protocol === 'tcp')!;
      assert.deepEqual(
        [est.address, est.port, est.remoteAddress, est.remotePort],
        ['192.168.1.20', 52344, '17.253.35.204', 443],
      );
      assert.ok(all.some((e) => e.protocol === 'udp' && e.state === 'ESTABLISHED' && e.remotePort === 53));
    });

    it('Windows: brackets and zones', () => {
      assert.deepEqual(listening(parseNetstat(WINDOWS_NETSTAT)).map(pick), [
        ['tcp', '0.0.0.0', 135, 'LISTEN'],
        ['tcp', '::', 135, 'LISTEN'],
        ['tcp', '127.0.0.1', 12000, 'LISTEN'],
        ['tcp', '::1', 12000, 'LISTEN'],
        ['udp', 'fe80::1c2b:3d4e:5f60:7182', 1900, 'UNCONN'],
        ['udp', '0.0.0.0', 5353, 'UNCONN'],
        ['udp', '127.0.0.1', 12000, 'UNCONN'],
      ]);
    });

    it('Windows in another language: listening is recognised by the remote 0.0.0.0:0', () => {
      assert.deepEqual(listening(parseNetstat(WINDOWS_GERMAN)).map(pick), [
        ['tcp', '127.0.0.1', 12000, 'LISTEN'],
      ]);
      assert.equal(parseNetstat(WINDOWS_GERMAN).length, 2);
    });

    it('net-tools style (addr:port)', () => {
      assert.deepEqual(listening(parseNetstat(LINUX_NETSTAT)).map(pick), [
        ['tcp', '::', 22, 'LISTEN'],
        ['tcp', '127.0.0.1', 631, 'LISTEN'],
        ['udp', '0.0.0.0', 68, 'UNCONN'],
      ]);
    });
  });

  it('listening(): servers only, sorted, without doubles', () => {
    const e = listening([
      ...parseProcNet(PROC_TCP, 'tcp'),
      ...parseProcNet(PROC_TCP, 'tcp'),
      ...parseProcNet(PROC_UDP, 'udp'),
    ]);
    assert.deepEqual(e.map(pick), [
      ['tcp', '0.0.0.0', 2024, 'LISTEN'],
      ['tcp', '127.0.0.1', 35219, 'LISTEN'],
      ['udp', '127.0.0.53', 53, 'UNCONN'],
      ['udp', '127.0.0.1', 12347, 'UNCONN'],
    ]);
  });

  it('fuzz: 20,000 random and mutated lines never throw, and whatever parses is well-formed', () => {
    const random = seededRandom(2024);
    const int = (n: number) => Math.floor(random() * n);
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789ABCDEFabcdefXZ:'[int(25)]).join('');
    const real = [PROC_TCP, PROC_TCP6, PROC_UDP, PROC_UDP6, MACOS_NETSTAT, WINDOWS_NETSTAT, LINUX_NETSTAT]
      .join('\n')
      .split('\n');
    const tokens = [
      'tcp',
      'udp',
      'TCP',
      'UDP',
      'tcp46',
      '*.*',
      '*:*',
      '[::]:0',
      '0A',
      '07',
      '1:',
      ':',
      '.',
      '%',
      '[',
      ']',
    ];
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      switch (int(4)) {
        case 0: {
          // A real line with a few characters changed, removed or duplicated.
          let l = real[int(real.length)]!;
          for (let k = 0; k < 1 + int(4); k++) {
            const at = int(l.length + 1);
            const op = int(3);
            l =
              op === 0
                ? l.slice(0, at) + hex(1) + l.slice(at + 1)
                : op === 1
                  ? l.slice(0, at) + l.slice(at + 1 + int(5))
                  : l.slice(0, at) + l.slice(at - 3, at) + l.slice(at);
          }
          lines.push(l);
          break;
        }
        case 1:
          lines.push(
            `${int(99999)}: ${hex([8, 32, 7, 33][int(4)]!)}:${hex(4)} ${hex(8)}:${hex(int(6))} ${hex(2)} ${hex(int(40))}`,
          );
          break;
        case 2:
          lines.push(
            Array.from({ length: int(8) }, () => tokens[int(tokens.length)]! + hex(int(12))).join(' '),
          );
          break;
        default:
          lines.push(String.fromCharCode(...Array.from({ length: int(80) }, () => int(0x2fff))));
      }
    }
    const text = lines.join('\n');
    const parsed = [
      ...parseProcNet(text, 'tcp'),
      ...parseProcNet(text, 'udp', 'BE'),
      ...parseNetstat(text),
      ...parseNetstat(lines.join('\r\n')),
    ];
    assert.ok(parsed.length > 100, `some lines parse (${parsed.length})`);
    for (const e of [...parsed, ...listening(parsed)]) {
      assert.ok(e.protocol === 'tcp' || e.protocol === 'udp');
      assert.ok(e.family === 4 || e.family === 6);
      assert.ok(Number.isInteger(e.port) && e.port >= 0 && e.port <= 65535, `port ${e.port}`);
      assert.match(e.address, /^[0-9a-f:.]+$/, e.address);
      assert.equal(typeof e.state, 'string');
      if (e.remotePort !== undefined) {
        assert.ok(Number.isInteger(e.remotePort) && e.remotePort >= 0 && e.remotePort <= 65535);
      }
    }
  });

  describe('listListeningPorts', () => {
    it('Linux: reads the four /proc files; a missing tcp6/udp6 (IPv6 off) is not an error', async () => {
      const files: Record<string, string> = { '/proc/net/tcp': PROC_TCP, '/proc/net/udp': PROC_UDP };
      const read = (p: string) =>
        p in files ? Promise.resolve(files[p]!) : Promise.reject(new Error('ENOENT'));
      const e = await listListeningPorts({ platform: 'linux', read });
      assert.deepEqual(
        e.map((x) => `${x.protocol} ${x.address}:${x.port}`),
        ['tcp 0.0.0.0:2024', 'tcp 127.0.0.1:35219', 'udp 127.0.0.53:53', 'udp 127.0.0.1:12347'],
      );
      await assert.rejects(
        listListeningPorts({ platform: 'linux', read: () => Promise.reject(new Error('ENOENT')) }),
        /could not read \/proc\/net/,
      );
    });

    it('macOS and Windows run netstat -an (on Windows by its absolute path, never from the current folder)', async () => {
      const calls: string[] = [];
      const run = (file: string, args: string[]) => {
        calls.push(`${file} ${args.join(' ')}`);
        return Promise.resolve(file.endsWith('netstat.exe') ? WINDOWS_NETSTAT : MACOS_NETSTAT);
      };
      const env = { SystemRoot: 'D:\\WINNT' };
      assert.equal((await listListeningPorts({ platform: 'darwin', run })).length, 8);
      assert.equal((await listListeningPorts({ platform: 'win32', run, env })).length, 7);
      assert.deepEqual(calls, ['netstat -an', 'D:\\WINNT\\System32\\netstat.exe -an']);
      await assert.rejects(
        listListeningPorts({
          platform: 'darwin',
          run: () => Promise.reject(new Error('spawn netstat ENOENT')),
        }),
        /could not run netstat .*ENOENT/,
      );
    });

    it('netstatPath: Windows gets %SystemRoot%\\System32\\netstat.exe; a missing or relative root falls back to C:\\Windows', () => {
      assert.equal(netstatPath('win32', { SystemRoot: 'C:\\Windows' }), 'C:\\Windows\\System32\\netstat.exe');
      assert.equal(netstatPath('win32', {}), 'C:\\Windows\\System32\\netstat.exe');
      assert.equal(netstatPath('win32', { SystemRoot: 'evil' }), 'C:\\Windows\\System32\\netstat.exe');
      assert.equal(netstatPath('win32', { SystemRoot: '.\\tools' }), 'C:\\Windows\\System32\\netstat.exe');
      assert.equal(netstatPath('darwin', {}), 'netstat');
    });

    (process.platform === 'linux' ? it : it.skip)(
      'on this machine: a TCP server on 127.0.0.1 and a UDP socket on ::1 are listed with their ports',
      async () => {
        const server = net.createServer();
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const u = dgram.createSocket('udp6');
        await new Promise<void>((r) => u.bind(0, '::1', r));
        try {
          const tcpPort = (server.address() as net.AddressInfo).port;
          const udpPort = u.address().port;
          const e = await listListeningPorts();
          assert.ok(e.some((x) => x.protocol === 'tcp' && x.address === '127.0.0.1' && x.port === tcpPort));
          assert.ok(e.some((x) => x.protocol === 'udp' && x.address === '::1' && x.port === udpPort));
        } finally {
          await new Promise((r) => server.close(r));
          await new Promise<void>((r) => u.close(() => r()));
        }
      },
    );
  });

  describe('labels', () => {
    const table: Array<[number, 'tcp' | 'udp', string | undefined, string]> = [
      [22, 'tcp', 'SSH', 'well-known'],
      [53, 'udp', 'DNS', 'well-known'],
      [80, 'udp', undefined, 'well-known'],
      [1023, 'tcp', undefined, 'well-known'],
      [1024, 'tcp', undefined, 'registered'],
      [12000, 'udp', 'course example', 'registered'],
      [49151, 'tcp', undefined, 'registered'],
      [49152, 'tcp', undefined, 'dynamic'],
      [65535, 'udp', undefined, 'dynamic'],
    ];
    for (const [port, protocol, service, range] of table) {
      it(`${protocol} ${port}: ${service ?? '—'}, ${range}`, () =>
        assert.deepEqual(describePort(port, protocol), { service, range }));
    }

    it('address scopes say who can connect', () => {
      assert.equal(addressScope('127.0.0.1'), 'loopback');
      assert.equal(addressScope('127.0.0.53'), 'loopback');
      assert.equal(addressScope('::1'), 'loopback');
      assert.equal(addressScope('::ffff:127.0.0.1'), 'loopback');
      assert.equal(addressScope('0.0.0.0'), 'all-interfaces');
      assert.equal(addressScope('::'), 'all-interfaces');
      assert.equal(addressScope('192.168.1.20'), 'specific');
      assert.match(describeAddress('::1'), /IPv6 loopback.*127\.0\.0\.1 does not reach it/);
      assert.match(describeAddress('127.0.0.1'), /IPv4 loopback.*::1 does not reach it/);
      assert.match(describeAddress('0.0.0.0'), /other machines/);
    });
  });

  describe('who holds a port (Linux /proc/<pid>/fd)', () => {
    let procDir: string;

    /** A procfs of our own: pid → the socket inodes among its fds, its name and its argv. */
    function fakeProc(procs: Record<string, { sockets: number[]; comm?: string; argv?: string[] }>): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-proc-'));
      for (const [pid, p] of Object.entries(procs)) {
        fs.mkdirSync(path.join(dir, pid, 'fd'), { recursive: true });
        fs.symlinkSync('/dev/null', path.join(dir, pid, 'fd', '0'));
        fs.symlinkSync('pipe:[77]', path.join(dir, pid, 'fd', '1'));
        p.sockets.forEach((inode, i) =>
          fs.symlinkSync(`socket:[${inode}]`, path.join(dir, pid, 'fd', String(3 + i))),
        );
        if (p.comm !== undefined) {
          fs.writeFileSync(path.join(dir, pid, 'comm'), `${p.comm}\n`);
        }
        if (p.argv !== undefined) {
          fs.writeFileSync(path.join(dir, pid, 'cmdline'), `${p.argv.join('\0')}\0`);
        }
      }
      fs.mkdirSync(path.join(dir, 'net')); // not a pid: ignored
      return dir;
    }

    afterEach(() => procDir && fs.rmSync(procDir, { recursive: true, force: true }));

    it('finds the process of each inode asked for, and nothing else', async () => {
      procDir = fakeProc({
        '100': { sockets: [4242, 5000], comm: 'python3', argv: ['python3', 'UDPServer.py', '12000'] },
        '200': { sockets: [6000], comm: 'node' }, // no cmdline (a kernel thread has none): the name stands in
        '300': { sockets: [] },
      });
      const owners = await findSocketOwners([4242, 6000, 9999, 0], { procDir });
      assert.deepEqual(owners.get(4242), {
        pid: 100,
        name: 'python3',
        command: 'python3 UDPServer.py 12000',
      });
      assert.deepEqual(owners.get(6000), { pid: 200, name: 'node', command: 'node' });
      assert.equal(owners.has(5000), false, 'not asked for');
      assert.equal(owners.has(9999), false, 'held by nobody we can see');
      assert.equal((await findSocketOwners([], { procDir })).size, 0);
      assert.equal((await findSocketOwners([4242], { procDir: path.join(procDir, 'missing') })).size, 0);
    });

    it('cuts long command lines', async () => {
      procDir = fakeProc({ '7': { sockets: [1], comm: 'java', argv: ['java', '-cp', 'x'.repeat(500)] } });
      const owner = (await findSocketOwners([1], { procDir, maxCommand: 40 })).get(1)!;
      assert.equal(owner.command.length, 40);
      assert.ok(owner.command.endsWith('…'));
    });

    it('the cache scans only for sockets it has not seen, and forgets closed ones', async () => {
      procDir = fakeProc({ '100': { sockets: [4242], comm: 'python3', argv: ['python3', 'a.py'] } });
      const cache = new SocketOwnerCache('linux', { procDir });
      const entry: PortEntry = {
        protocol: 'udp',
        family: 4,
        address: '127.0.0.1',
        port: 12000,
        state: 'UNCONN',
        inode: 4242,
      };
      assert.equal((await cache.annotate([entry]))[0]!.owner?.pid, 100);
      fs.rmSync(path.join(procDir, '100'), { recursive: true }); // a rescan would now find nothing
      assert.equal((await cache.annotate([entry]))[0]!.owner?.pid, 100, 'answered from the cache');
      await cache.annotate([]); // the socket closed: forgotten
      assert.equal((await cache.annotate([entry]))[0]!.owner, undefined, 'scanned again, nobody holds it');
      assert.deepEqual(await new SocketOwnerCache('darwin', { procDir }).annotate([entry]), [entry]);
    });

    it('a real Python 3 UDP server started outside the playground is found with its pid and command', async function () {
      if (process.platform !== 'linux') {
        this.skip(); // /proc/<pid>/fd is Linux's; elsewhere the Ports view shows ports without owners
      }
      const { proc: child, port } = await startPythonServer('UDPServer.py');
      try {
        const entries = await new SocketOwnerCache().annotate(await listListeningPorts());
        const mine = entries.find((e) => e.protocol === 'udp' && e.port === port);
        assert.ok(mine, `port ${port} is not in the list`);
        assert.equal(mine.address, '127.0.0.1');
        assert.equal(mine.owner?.pid, child.pid);
        assert.match(mine.owner!.name, /^python3/);
        assert.match(mine.owner!.command, /UDPServer\.py 0 127\.0\.0\.1$/);
      } finally {
        child.kill();
      }
    });
  });
});
