/**
 * Error explanations depend on the call that failed: EACCES from bind below 1024 is a privileged port, EACCES
 * from a UDP send is a broadcast without SO_BROADCAST; ETIMEDOUT from connect is an unanswered handshake, from
 * send an established connection that died; and so on. A table over (code, call), then the same through real
 * sockets where loopback can produce the error.
 */
import * as assert from 'node:assert/strict';
import { explainSocketError, type FailedCall } from '../../../src/core/errors';
import { NoteId, getNote } from '../../../src/core/notes/notes';
import { makeEngine } from '../helpers';

const errno = (code: string): Error => Object.assign(new Error(`${code} (from the OS)`), { code });

type Row = {
  code: string;
  action: FailedCall;
  protocol?: 'udp' | 'tcp';
  port?: number;
  host?: string;
  says: RegExp;
  never?: RegExp;
  note: string;
};

describe('explainSocketError: the call that failed decides the explanation', () => {
  const rows: Row[] = [
    {
      code: 'EACCES',
      action: 'bind',
      port: 80,
      says: /privileged port/,
      note: NoteId.PrivilegedPorts,
    },
    {
      code: 'EACCES',
      action: 'send',
      port: 12000,
      says: /broadcast address needs SO_BROADCAST/,
      never: /privileged/,
      note: NoteId.UdpBroadcast,
    },
    {
      code: 'EACCES',
      action: 'send',
      port: 80,
      says: /SO_BROADCAST/,
      never: /privileged/,
      note: NoteId.UdpBroadcast,
    },
    {
      code: 'EACCES',
      action: 'connect',
      says: /firewall rule or a security policy/,
      never: /privileged|SO_BROADCAST/,
      note: NoteId.SocketErrors,
    },
    {
      code: 'EPERM',
      action: 'bind',
      port: 80,
      says: /not permitted \(EPERM\): a security policy/,
      never: /privileged port \(/,
      note: NoteId.SocketErrors,
    },
    { code: 'EPERM', action: 'send', says: /firewall rule/, note: NoteId.SocketErrors },
    {
      code: 'ETIMEDOUT',
      action: 'connect',
      says: /connecting to .* timed out: no answer to the handshake/,
      note: NoteId.ConnectTimeout,
    },
    {
      code: 'ETIMEDOUT',
      action: 'send',
      says: /timed out while established \(ETIMEDOUT on send\)/,
      never: /handshake|SYN/,
      note: NoteId.EstablishedTimeout,
    },
    {
      code: 'EADDRINUSE',
      action: 'listen',
      says: /TIME_WAIT .* nothing is bound/,
      never: /: another socket is bound to it/,
      note: NoteId.AddressInUse,
    },
    {
      code: 'EADDRINUSE',
      action: 'bind',
      protocol: 'udp',
      says: /another UDP socket is bound to it.*SO_REUSEADDR is no fix/,
      never: /TIME_WAIT/,
      note: NoteId.AddressInUse,
    },
    {
      code: 'ECONNRESET',
      action: 'recv',
      protocol: 'udp',
      says: /ICMP "port unreachable".*WSAECONNRESET/,
      never: /reset by the peer/,
      note: NoteId.UdpConnectedSocket,
    },
    {
      code: 'ECONNRESET',
      action: 'send',
      protocol: 'tcp',
      says: /reset by the peer \(RST\) during send/,
      note: NoteId.ConnectionReset,
    },
    {
      code: 'EPIPE',
      action: 'send',
      says: /peer reset the connection.*shut down its sending half.*never connected/,
      never: /the peer aborted/,
      note: NoteId.BrokenPipe,
    },
    {
      code: 'ECONNREFUSED',
      action: 'send',
      says: /ICMP "port unreachable"/,
      never: /then connect/,
      note: NoteId.UdpConnectedSocket,
    },
    {
      code: 'ECONNREFUSED',
      action: 'connect',
      says: /nothing is listening.*Start the server first/,
      note: NoteId.ConnectionRefused,
    },
    {
      code: 'EMSGSIZE',
      action: 'send',
      host: '::1',
      says: /65,527 bytes over IPv6/,
      note: NoteId.UdpDatagramLimit,
    },
    {
      code: 'EMSGSIZE',
      action: 'send',
      host: '127.0.0.1',
      says: /65,507 bytes over IPv4/,
      note: NoteId.UdpDatagramLimit,
    },
    { code: 'ENOTCONN', action: 'recv', says: /not connected \(ENOTCONN\)/, note: NoteId.SocketCallOrder },
  ];
  for (const r of rows) {
    it(`${r.code} from ${r.action}${r.protocol ? ` (${r.protocol})` : ''}${r.port ? ` port ${r.port}` : ''}`, () => {
      const e = explainSocketError(errno(r.code), {
        host: r.host ?? '127.0.0.1',
        port: r.port ?? 12000,
        action: r.action,
        ...(r.protocol ? { protocol: r.protocol } : {}),
      });
      assert.equal(e.code, r.code);
      assert.match(e.message, r.says);
      if (r.never) {
        assert.doesNotMatch(e.message, r.never);
      }
      assert.equal(e.noteId, r.note);
      assert.ok(getNote(e.noteId!), `${e.noteId} is a note`);
    });
  }

  describe('through real sockets on loopback', () => {
    let engine: ReturnType<typeof makeEngine>;
    beforeEach(() => {
      engine = makeEngine();
    });
    afterEach(async () => {
      await engine.registry.closeAll();
      engine.log.dispose();
    });

    it('a UDP send to the loopback broadcast address without SO_BROADCAST: EACCES explained as broadcast', async () => {
      // 127.255.255.255 is the broadcast address of 127.0.0.0/8: the kernel refuses it (EACCES) before anything
      // is sent, exactly as for 255.255.255.255, without any traffic leaving loopback.
      const client = await engine.registry.openUdpClient({ port: 12000, host: '127.255.255.255' });
      await assert.rejects(
        engine.registry.send({ socketId: client.id, data: 'hi' }),
        (e: Error & { code?: string; noteId?: string }) => {
          assert.equal(e.code, 'EACCES');
          assert.match(e.message, /SO_BROADCAST/);
          assert.doesNotMatch(e.message, /privileged/);
          return true;
        },
      );
      const logged = [...engine.log].find((r) => r.event === 'error' && r.error?.code === 'EACCES');
      assert.ok(logged, 'the failure is logged');
      assert.ok(!logged.notes.some((n) => n.id === NoteId.PrivilegedPorts), 'no privileged-port note');
    });

    // The playground's own socket holds the port, so the explanation names it: something is bound, so neither
    // TIME_WAIT nor SO_REUSEADDR is the answer (the OS-error explanations above cover those cases).
    it('a second UDP or TCP server on a port a playground socket holds: the holder named, no SO_REUSEADDR advice', async () => {
      const udp = await engine.registry.startUdpServer({ port: 0 });
      await assert.rejects(
        engine.registry.startUdpServer({ port: udp.local.port }),
        (e: Error & { code?: string; noteId?: string }) =>
          e.code === 'EADDRINUSE' &&
          e.noteId === NoteId.AddressInUse &&
          new RegExp(`UDP server 127\\.0\\.0\\.1:${udp.local.port} \\(id ${udp.id}\\)`).test(e.message) &&
          !/SO_REUSEADDR|TIME_WAIT/.test(e.message),
      );
      const tcp = await engine.registry.startTcpServer({ port: 0 });
      await assert.rejects(
        engine.registry.startTcpServer({ port: tcp.local.port }),
        (e: Error & { code?: string }) =>
          e.code === 'EADDRINUSE' &&
          e.message.includes(`(id ${tcp.id})`) &&
          !/SO_REUSEADDR|TIME_WAIT/.test(e.message),
      );
      const udpError = [...engine.log].find((r) => r.event === 'error' && r.protocol === 'udp');
      assert.ok(udpError, 'the failed bind is logged');
      assert.ok(!udpError.notes.some((n) => n.id === NoteId.ReuseAddr), 'UDP: no SO_REUSEADDR note');
    });
  });
});
