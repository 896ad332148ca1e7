import * as assert from 'node:assert/strict';
import { noteRef, notesFor, notesForError } from '../../../../src/core/notes/annotate';
import { ERROR_CODES } from '../../../../src/core/notes/moments';
import { NoteId, allNotes, getNote } from '../../../../src/core/notes/notes';
import {
  TRAFFIC_EVENTS,
  type AnnotationInput,
  type CloseReason,
  type NoteRef,
  type Protocol,
  type SocketKind,
} from '../../../../src/shared/types';

const KINDS: SocketKind[] = [
  'udp-server',
  'udp-client',
  'tcp-server',
  'tcp-connection',
  'tcp-client',
  'relay',
];
const PROTOCOLS: Protocol[] = ['udp', 'tcp'];
const CLOSE_REASONS: (CloseReason | undefined)[] = [undefined, 'local', 'peer-fin', 'reset', 'server-closed'];

const LOOP = '127.0.0.1';

function input(partial: Partial<AnnotationInput> & Pick<AnnotationInput, 'kind' | 'event'>): AnnotationInput {
  const protocol = partial.protocol ?? (partial.kind.startsWith('udp') ? 'udp' : 'tcp');
  return { local: { address: LOOP, port: 12000 }, ...partial, protocol };
}

function ids(refs: NoteRef[]): string[] {
  return refs.map((r) => r.id);
}

/** Checks the invariants every result must satisfy. */
function assertValid(refs: NoteRef[], what: string): void {
  assert.ok(refs.length > 0, `${what}: at least one note`);
  assert.equal(new Set(ids(refs)).size, refs.length, `${what}: no duplicates`);
  for (const r of refs) {
    const note = getNote(r.id);
    assert.ok(note, `${what}: ${r.id} exists`);
    assert.equal(r.title, note.title, `${what}: title of ${r.id}`);
  }
}

describe('annotate (unit)', () => {
  describe('noteRef', () => {
    it('returns id and title of a note', () => {
      const ref = noteRef(NoteId.TcpFourTuple);
      assert.equal(ref.id, NoteId.TcpFourTuple);
      assert.equal(ref.title, getNote(NoteId.TcpFourTuple)?.title);
    });

    it('returns the same shared object each time', () => {
      assert.equal(noteRef(NoteId.Summary), noteRef(NoteId.Summary));
    });

    it('throws on an unknown id', () => {
      assert.throws(() => noteRef('no-such-note'), /unknown note id 'no-such-note'/);
    });
  });

  describe('every event × kind × protocol has notes', () => {
    const ports = [0, 53, 12000, 54321];
    for (const event of TRAFFIC_EVENTS) {
      it(`${event}`, () => {
        for (const kind of KINDS) {
          for (const protocol of PROTOCOLS) {
            for (const port of ports) {
              for (const closedBy of CLOSE_REASONS) {
                for (const errorCode of [undefined, 'ECONNREFUSED', 'EWHATEVER']) {
                  const what = `${kind}/${protocol}/${event}/${port}/${String(closedBy)}/${String(errorCode)}`;
                  assertValid(
                    notesFor({
                      kind,
                      protocol,
                      event,
                      local: { address: LOOP, port },
                      remote: { address: LOOP, port: 40000 },
                      closedBy,
                      errorCode,
                    }),
                    what,
                  );
                }
              }
            }
          }
        }
      });
    }
  });

  describe('event mapping', () => {
    const table: {
      name: string;
      input: AnnotationInput;
      first?: string;
      includes: string[];
      excludes?: string[];
    }[] = [
      {
        name: 'UDP server receives a datagram',
        input: input({ kind: 'udp-server', event: 'receive', remote: { address: LOOP, port: 50000 } }),
        first: NoteId.UdpSenderAddress,
        includes: [NoteId.UdpSenderAddress, NoteId.UdpNoConnection],
      },
      {
        name: 'UDP server replies',
        input: input({ kind: 'udp-server', event: 'send', remote: { address: LOOP, port: 50000 } }),
        includes: [NoteId.UdpExplicitDestination, NoteId.UdpSenderAddress],
      },
      {
        name: 'UDP client sends',
        input: input({
          kind: 'udp-client',
          event: 'send',
          local: { address: LOOP, port: 50000 },
          remote: { address: LOOP, port: 12000 },
        }),
        first: NoteId.UdpExplicitDestination,
        includes: [NoteId.UdpExplicitDestination, NoteId.UdpNoConnection],
      },
      {
        name: 'UDP client receives the reply',
        input: input({ kind: 'udp-client', event: 'receive', local: { address: LOOP, port: 50000 } }),
        includes: [NoteId.UdpSenderAddress],
      },
      {
        name: 'UDP server binds a privileged port',
        input: input({ kind: 'udp-server', event: 'bind', local: { address: LOOP, port: 53 } }),
        first: NoteId.PrivilegedPorts,
        includes: [NoteId.PrivilegedPorts, 'well-known-ports'],
      },
      {
        name: 'UDP server binds 12000 on loopback',
        input: input({ kind: 'udp-server', event: 'bind' }),
        includes: [NoteId.BindCall, NoteId.LoopbackBind],
        excludes: [NoteId.PrivilegedPorts, 'well-known-ports'],
      },
      {
        name: 'UDP server binds the wildcard address',
        input: input({ kind: 'udp-server', event: 'bind', local: { address: '0.0.0.0', port: 12000 } }),
        includes: [NoteId.LoopbackBind],
      },
      {
        name: 'UDP client gets an OS-chosen port',
        input: input({ kind: 'udp-client', event: 'bind', local: { address: '0.0.0.0', port: 53124 } }),
        first: NoteId.EphemeralPorts,
        includes: [NoteId.EphemeralPorts],
        excludes: [NoteId.PrivilegedPorts],
      },
      {
        name: 'TCP server listens',
        input: input({ kind: 'tcp-server', event: 'listen' }),
        first: NoteId.TcpWelcomingSocket,
        includes: [NoteId.TcpWelcomingSocket, NoteId.TcpListenBacklog, NoteId.LoopbackBind],
      },
      {
        name: 'TCP server listens on port 80',
        input: input({ kind: 'tcp-server', event: 'listen', local: { address: LOOP, port: 80 } }),
        includes: [NoteId.PrivilegedPorts, NoteId.TcpWelcomingSocket, 'well-known-ports'],
      },
      {
        name: 'TCP server accepts',
        input: input({ kind: 'tcp-server', event: 'accept', remote: { address: LOOP, port: 50000 } }),
        first: NoteId.TcpConnectionSocket,
        includes: [NoteId.TcpConnectionSocket, NoteId.TcpFourTuple],
      },
      {
        name: 'accepted connection is logged as accept',
        input: input({ kind: 'tcp-connection', event: 'accept', remote: { address: LOOP, port: 50000 } }),
        includes: [NoteId.TcpConnectionSocket, NoteId.TcpFourTuple],
      },
      {
        name: 'TCP client connects',
        input: input({
          kind: 'tcp-client',
          event: 'connect',
          local: { address: LOOP, port: 50000 },
          remote: { address: LOOP, port: 12000 },
        }),
        first: NoteId.TcpHandshake,
        includes: [NoteId.TcpHandshake],
      },
      {
        name: 'TCP client connects to a well-known port',
        input: input({
          kind: 'tcp-client',
          event: 'connect',
          local: { address: LOOP, port: 50000 },
          remote: { address: LOOP, port: 80 },
        }),
        includes: [NoteId.TcpHandshake, 'well-known-ports'],
      },
      {
        name: 'TCP receive',
        input: input({ kind: 'tcp-connection', event: 'receive' }),
        first: NoteId.TcpByteStream,
        includes: [NoteId.TcpByteStream],
      },
      {
        name: 'TCP send',
        input: input({ kind: 'tcp-client', event: 'send', local: { address: LOOP, port: 50000 } }),
        includes: [NoteId.TcpByteStream, NoteId.TcpSendAll],
      },
      {
        name: 'TCP close by peer FIN',
        input: input({ kind: 'tcp-connection', event: 'close', closedBy: 'peer-fin' }),
        first: NoteId.TcpClose,
        includes: [NoteId.TcpClose],
        excludes: [NoteId.TcpReset],
      },
      {
        name: 'TCP close by reset',
        input: input({
          kind: 'tcp-client',
          event: 'close',
          closedBy: 'reset',
          local: { address: LOOP, port: 50000 },
        }),
        first: NoteId.TcpReset,
        includes: [NoteId.TcpReset, NoteId.ConnectionReset],
      },
      {
        name: 'TCP close, local',
        input: input({
          kind: 'tcp-client',
          event: 'close',
          closedBy: 'local',
          local: { address: LOOP, port: 50000 },
        }),
        includes: [NoteId.TcpClose, 'tcp-time-wait'],
      },
      {
        name: 'TCP connection closed because its server closed',
        input: input({ kind: 'tcp-connection', event: 'close', closedBy: 'server-closed' }),
        includes: [NoteId.TcpClose, NoteId.TcpConnectionSocket],
      },
      {
        name: 'TCP server (welcoming socket) closes',
        input: input({ kind: 'tcp-server', event: 'close', closedBy: 'local' }),
        includes: [NoteId.TcpWelcomingSocket],
      },
      {
        name: 'UDP socket closes',
        input: input({ kind: 'udp-client', event: 'close', local: { address: LOOP, port: 50000 } }),
        includes: [NoteId.UdpNoConnection],
      },
      {
        name: 'UDP connect()',
        input: input({ kind: 'udp-client', event: 'connect', local: { address: LOOP, port: 50000 } }),
        first: NoteId.UdpConnectedSocket,
        includes: [NoteId.UdpConnectedSocket],
      },
      {
        name: 'error ECONNREFUSED on a TCP client',
        input: input({ kind: 'tcp-client', event: 'error', errorCode: 'ECONNREFUSED' }),
        first: NoteId.ConnectionRefused,
        includes: [NoteId.ConnectionRefused, NoteId.TcpServerFirst],
      },
      {
        name: 'error ECONNREFUSED on a connected UDP client',
        input: input({ kind: 'udp-client', event: 'error', errorCode: 'ECONNREFUSED' }),
        first: NoteId.ConnectionRefused,
        includes: [NoteId.ConnectionRefused, NoteId.UdpConnectedSocket],
      },
      {
        name: 'error ECONNRESET on UDP (the Windows ICMP quirk) leads with UDP, not with the TCP reset',
        input: input({ kind: 'udp-server', event: 'error', errorCode: 'ECONNRESET' }),
        first: NoteId.UdpConnectedSocket,
        includes: [NoteId.UdpConnectedSocket, NoteId.ConnectionRefused],
        excludes: [NoteId.TcpReset, NoteId.ConnectionReset],
      },
      {
        name: 'error WSAECONNRESET on UDP, the same',
        input: input({ kind: 'udp-client', event: 'error', errorCode: 'WSAECONNRESET' }),
        first: NoteId.UdpConnectedSocket,
        includes: [NoteId.UdpConnectedSocket],
        excludes: [NoteId.TcpReset, NoteId.ConnectionReset],
      },
      {
        name: 'error EACCES on a UDP socket with an ordinary port (a broadcast send) is not a privileged bind',
        input: input({
          kind: 'udp-client',
          event: 'error',
          errorCode: 'EACCES',
          local: { address: LOOP, port: 50000 },
          remote: { address: '127.255.255.255', port: 12000 },
        }),
        // udp-broadcast names the fix (SO_BROADCAST) and links the sendto() note; a privileged bind is not it.
        first: NoteId.UdpBroadcast,
        includes: [NoteId.UdpBroadcast],
        excludes: [NoteId.PrivilegedPorts, 'well-known-ports', NoteId.ReuseAddr],
      },
      {
        name: 'error EPERM is not a privileged-port error',
        input: input({ kind: 'udp-client', event: 'error', errorCode: 'EPERM' }),
        first: NoteId.SocketErrors,
        includes: [NoteId.SocketErrors],
        excludes: [NoteId.PrivilegedPorts],
      },
      {
        name: 'error EADDRINUSE on UDP does not suggest SO_REUSEADDR',
        input: input({ kind: 'udp-server', event: 'error', errorCode: 'EADDRINUSE' }),
        first: NoteId.AddressInUse,
        includes: [NoteId.AddressInUse],
        excludes: [NoteId.ReuseAddr, 'tcp-time-wait'],
      },
      {
        name: 'error ETIMEDOUT on an accepted connection is not a connect timeout',
        input: input({ kind: 'tcp-connection', event: 'error', errorCode: 'ETIMEDOUT' }),
        // An error's moments name the code and the protocol, not the socket's role, so an accepted connection
        // and a client share these notes: the established-timeout note must be among them (the connect-timeout
        // note still leads, for the client). explainSocketError tells the two apart by the call that failed.
        includes: [NoteId.EstablishedTimeout, NoteId.Blocking, NoteId.ConnectTimeout],
        excludes: [NoteId.ConnectionRefused, NoteId.TcpReset],
      },
      {
        name: 'error EPIPE: the peer reset, our own shutdown, or a socket never connected',
        input: input({ kind: 'tcp-client', event: 'error', errorCode: 'EPIPE' }),
        includes: [NoteId.ConnectionReset, NoteId.SocketCallOrder],
      },
      {
        name: 'error EACCES binding port 80',
        input: input({
          kind: 'tcp-server',
          event: 'error',
          errorCode: 'EACCES',
          local: { address: LOOP, port: 80 },
        }),
        first: NoteId.PrivilegedPorts,
        includes: [NoteId.PrivilegedPorts, 'well-known-ports'],
      },
      {
        name: 'error EADDRINUSE',
        input: input({ kind: 'tcp-server', event: 'error', errorCode: 'EADDRINUSE' }),
        first: NoteId.AddressInUse,
        includes: [NoteId.AddressInUse, NoteId.ReuseAddr],
      },
      {
        name: 'error without a code',
        input: input({ kind: 'tcp-client', event: 'error' }),
        first: NoteId.SocketErrors,
        includes: [NoteId.SocketErrors],
      },
    ];

    for (const event of ['drop', 'delay', 'duplicate', 'reorder'] as const) {
      table.push({
        name: `UDP ${event}`,
        input: input({ kind: 'relay', protocol: 'udp', event }),
        first: NoteId.Impairment,
        includes: [NoteId.Impairment, 'udp-loss-reorder'],
        excludes: ['tcp-under-loss'],
      });
      table.push({
        name: `TCP ${event}`,
        input: input({ kind: 'relay', protocol: 'tcp', event }),
        first: NoteId.Impairment,
        includes: [NoteId.Impairment, 'tcp-under-loss'],
        excludes: ['udp-loss-reorder'],
      });
    }

    for (const row of table) {
      it(row.name, () => {
        const refs = notesFor(row.input);
        assertValid(refs, row.name);
        const got = ids(refs);
        if (row.first) {
          assert.equal(got[0], row.first, `first note of ${JSON.stringify(got)}`);
        }
        for (const id of row.includes) {
          assert.ok(got.includes(id), `${JSON.stringify(got)} includes ${id}`);
        }
        for (const id of row.excludes ?? []) {
          assert.ok(!got.includes(id), `${JSON.stringify(got)} excludes ${id}`);
        }
      });
    }
  });

  describe('error codes', () => {
    const PER_PROTOCOL = new Set(['ECONNRESET', 'WSAECONNRESET', 'EACCES', 'WSAEACCES']);
    const table: [string, string][] = [
      ['ECONNREFUSED', NoteId.ConnectionRefused],
      ['EADDRINUSE', NoteId.AddressInUse],
      ['EACCES', NoteId.PrivilegedPorts],
      ['ECONNRESET', NoteId.ConnectionReset],
      ['ECONNABORTED', NoteId.ConnectionReset],
      ['EPIPE', NoteId.BrokenPipe],
      ['ETIMEDOUT', NoteId.ConnectTimeout],
      ['EADDRNOTAVAIL', NoteId.AddressNotAvailable],
      ['ENOTFOUND', NoteId.HostResolution],
      ['EAI_AGAIN', NoteId.HostResolution],
      ['EHOSTUNREACH', 'host-unreachable'],
      ['ENETUNREACH', 'host-unreachable'],
      ['EMSGSIZE', NoteId.UdpDatagramLimit],
      ['ERR_SOCKET_DGRAM_NOT_RUNNING', NoteId.SocketClosed],
      ['ERR_SOCKET_CLOSED', NoteId.SocketClosed],
      ['ESOCKETCLOSED', NoteId.SocketClosed],
      ['ENOTSOCK', NoteId.SocketClosed],
      ['EREMOTEBIND', NoteId.LoopbackBind],
      ['EPERM', NoteId.SocketErrors],
      ['ERR_STREAM_DESTROYED', NoteId.SocketClosed],
      ['EBADF', NoteId.SocketClosed],
      ['ENOTCONN', NoteId.SocketClosed],
      ['EINVAL', 'socket-call-order'],
      ['ERR_SOCKET_BAD_PORT', NoteId.PortNumbers],
      ['EAGAIN', NoteId.Blocking],
      ['WSAECONNREFUSED', NoteId.ConnectionRefused],
    ];
    for (const [code, id] of table) {
      it(`${code} → ${id}`, () => {
        const refs = notesForError(code);
        assertValid(refs, code);
        const event = notesFor(input({ kind: 'tcp-client', event: 'error', errorCode: code }));
        if (PER_PROTOCOL.has(code)) {
          // No note explains the code alone: what it means depends on the protocol (below).
          assert.deepEqual(ids(refs), [NoteId.SocketErrors]);
          assert.equal(event[0]?.id, id, 'a TCP error event leads with the note');
        } else {
          assert.equal(refs[0]?.id, id);
          assert.equal(event[0]?.id, id, 'an error event leads with the same note');
        }
      });
    }

    // These codes mean different things on UDP and on TCP (ECONNRESET: Windows reporting an ICMP port
    // unreachable vs a TCP reset; EACCES: a broadcast without SO_BROADCAST vs a privileged port), so their notes
    // explain `event:udp.error.<CODE>` and `event:tcp.error.<CODE>`, never the protocol-less `error:<CODE>`.
    for (const code of PER_PROTOCOL) {
      it(`${code}: explained per protocol, the UDP and the TCP notes apart`, () => {
        const udp = ids(notesFor(input({ kind: 'udp-client', event: 'error', errorCode: code })));
        const tcp = ids(notesFor(input({ kind: 'tcp-client', event: 'error', errorCode: code })));
        assert.ok(udp.length > 0 && tcp.length > 0);
        assert.notEqual(udp[0], tcp[0], `${code}: UDP ${JSON.stringify(udp)} / TCP ${JSON.stringify(tcp)}`);
        assert.ok(
          !allNotes().some((n) => n.explains.includes(`error:${code}`)),
          `no note explains error:${code}`,
        );
      });
    }

    // The code → notes table is content now: the notes whose `explains` names `error:<CODE>`, in their order.
    it('every known code maps to the notes that explain it', () => {
      for (const code of ERROR_CODES) {
        const explaining = allNotes()
          .filter((n) => n.explains.includes(`error:${code}`))
          .map((n) => n.id);
        if (PER_PROTOCOL.has(code)) {
          for (const p of ['udp', 'tcp']) {
            assert.ok(
              allNotes().some((n) => n.explains.includes(`event:${p}.error.${code}`)),
              `a note explains event:${p}.error.${code}`,
            );
          }
        } else {
          assert.ok(explaining.length > 0, `a note explains error:${code}`);
        }
        assertValid(notesForError(code), code);
        assert.deepEqual(
          ids(notesForError(code)),
          PER_PROTOCOL.has(code) ? [NoteId.SocketErrors] : explaining,
        );
      }
    });

    for (const code of [undefined, '', 'EWHATEVER', 'not a code']) {
      it(`${JSON.stringify(code)} → the general errors note`, () => {
        assert.deepEqual(ids(notesForError(code)), [NoteId.SocketErrors]);
      });
    }

    it('accepts lower-case codes', () => {
      assert.equal(notesForError('econnrefused')[0]?.id, NoteId.ConnectionRefused);
    });
  });

  describe('caching and immutability', () => {
    it('returns the same array for the same situation', () => {
      const a = notesFor(
        input({ kind: 'udp-server', event: 'receive', remote: { address: LOOP, port: 50000 } }),
      );
      const b = notesFor(
        input({ kind: 'udp-server', event: 'receive', remote: { address: '10.0.0.7', port: 61000 } }),
      );
      assert.equal(a, b);
      assert.equal(notesForError('ECONNREFUSED'), notesForError('ECONNREFUSED'));
    });

    it('unknown error codes share one cache slot', () => {
      const a = notesFor(input({ kind: 'tcp-client', event: 'error', errorCode: 'EUNKNOWN1' }));
      const b = notesFor(input({ kind: 'tcp-client', event: 'error', errorCode: 'EUNKNOWN2' }));
      assert.equal(a, b);
    });

    it('fields that do not matter for an event do not split the cache', () => {
      const a = notesFor(input({ kind: 'tcp-connection', event: 'receive', errorCode: 'EPIPE' }));
      const b = notesFor(input({ kind: 'tcp-connection', event: 'receive', closedBy: 'reset' }));
      assert.equal(a, b);
    });

    it('results are frozen', () => {
      const refs = notesFor(input({ kind: 'tcp-server', event: 'listen' }));
      assert.ok(Object.isFrozen(refs));
      assert.ok(refs[0] && Object.isFrozen(refs[0]));
      assert.throws(() => refs.push(noteRef(NoteId.Summary)), TypeError);
      assert.ok(Object.isFrozen(notesForError('EWHATEVER')));
    });

    it('stays total for inputs outside the types', () => {
      const bogus = { kind: 'pipe', protocol: 'udp', event: 'bind', local: { address: LOOP, port: 1 } };
      assertValid(notesFor(bogus as unknown as AnnotationInput), 'bogus kind');
    });

    it('is fast on the hot path', () => {
      const inputs = [
        input({ kind: 'udp-server', event: 'receive', remote: { address: LOOP, port: 50000 } }),
        input({ kind: 'udp-server', event: 'send', remote: { address: LOOP, port: 50000 } }),
        input({ kind: 'tcp-connection', event: 'receive' }),
      ];
      const start = process.hrtime.bigint();
      let n = 0;
      for (let i = 0; i < 300_000; i++) {
        n += notesFor(inputs[i % 3] as AnnotationInput).length;
      }
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      assert.ok(n > 0);
      assert.ok(ms < 1000, `300k calls took ${ms.toFixed(1)} ms`);
    });
  });
});
