import { getNote, NoteId } from './notes/notes';
import { formatText, text, type Text } from '../shared/l10n';

/**
 * An error the user caused or the network reported, with Node's `code` kept (code branches on it, never on
 * the message) and the course note that explains it.
 */
export class PlaygroundError extends Error {
  /** The message as a template and its arguments, when the host may translate it (shared/l10n.ts). */
  readonly text?: Text;

  constructor(
    message: string | Text,
    readonly code: string,
    readonly noteId?: string,
    options?: { cause?: unknown },
  ) {
    super(typeof message === 'string' ? message : formatText(message.template, message.args), options);
    this.name = 'PlaygroundError';
    if (typeof message !== 'string') {
      this.text = message;
    }
  }
}

/** Bad argument: says what was wrong and what is allowed. */
export function invalidArgument(message: string | Text, noteId?: string): PlaygroundError {
  return new PlaygroundError(message, 'EINVAL', noteId);
}

export function errorCode(err: unknown): string | undefined {
  if (
    err &&
    typeof err === 'object' &&
    'code' in err &&
    typeof (err as { code: unknown }).code === 'string'
  ) {
    return (err as { code: string }).code;
  }
  return undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Who holds a port: one of the playground's own sockets, or another program as the OS names it. */
export type PortHolder =
  { kind: 'playground'; id: string; label: string } | { kind: 'process'; name: string; pid: number };

/**
 * "Port in use", naming who holds it: the student's next step differs (close the playground's socket, or
 * stop the other program). `cause` is the OS error or the generic explanation it replaces.
 */
export function portInUse(host: string, port: number, holder: PortHolder, cause: unknown): PlaygroundError {
  const message =
    holder.kind === 'playground'
      ? text(
          "port {0} is already in use on {1}: the playground's own {2} (id {3}) holds it. Close that socket " +
            '(closeSocket { socketId: "{3}" }, or its Close button in the Sockets view), pick another port, ' +
            'or use port 0 to let the OS choose a free one.',
          port,
          host,
          holder.label,
          holder.id,
        )
      : text(
          'port {0} is already in use on {1}: {2} (pid {3}) holds it. Stop that program, pick another port, ' +
            'or use port 0 to let the OS choose a free one.',
          port,
          host,
          holder.name,
          holder.pid,
        );
  return new PlaygroundError(message, 'EADDRINUSE', NoteId.AddressInUse, { cause });
}

/** The socket call that failed: the explanation depends on it (EACCES from bind is not EACCES from sendto). */
export type FailedCall = 'bind' | 'listen' | 'connect' | 'send' | 'recv';

type Where = {
  host: string;
  port: number;
  action: FailedCall;
  /**
   * When the caller knows it. Otherwise `listen` and `connect` mean TCP, and `bind` means UDP (the playground's
   * TCP servers bind and listen in one call, reported as `listen`); send and recv are explained for both.
   */
  protocol?: 'udp' | 'tcp';
};

/** `id` if the loaded notes have it, else `fallback` (a note added by a course pack may be missing in another). */
export function noteOr(id: string, fallback: string): string {
  return getNote(id) ? id : fallback;
}

/**
 * Turns an OS error from bind/listen/connect/send/recv into an explanation a student can act on (docs/contract.md,
 * Bad input), for the call that failed: the same code means different things from different calls. Branches on `code`
 * only.
 */
export function explainSocketError(err: unknown, where: Where): PlaygroundError {
  if (err instanceof PlaygroundError) {
    return err;
  }
  const code = errorCode(err) ?? 'EUNKNOWN';
  const { host, port, action } = where;
  const protocol =
    where.protocol ??
    (action === 'listen' || action === 'connect' ? 'tcp' : action === 'bind' ? 'udp' : undefined);
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const opening = action === 'bind' || action === 'listen';
  const made = (message: string | Text, noteId?: string): PlaygroundError =>
    new PlaygroundError(message, code, noteId, { cause: err });
  switch (code) {
    case 'EADDRINUSE':
      if (!opening) {
        return made(
          `connecting to ${at} failed: the local address and port it would use are taken (EADDRINUSE) — ` +
            `the OS ran out of free client ports, or the socket was bound to a port already connected to that server.`,
          NoteId.EphemeralPorts,
        );
      }
      if (protocol === 'udp') {
        return made(
          text(
            'port {0} is already in use on {1}: another UDP socket is bound to it. Close that program ' +
              '(or the playground socket holding it), pick another port, or use port 0 to let the OS choose. ' +
              '(SO_REUSEADDR is no fix here: on UDP it lets a second socket share the port and take its datagrams.)',
            port,
            host,
          ),
          NoteId.AddressInUse,
        );
      }
      return made(
        text(
          'port {0} is already in use on {1}. Either another socket is bound to it (an earlier run of ' +
            'the server, or a playground socket), or a TCP server on that port just stopped and its connections ' +
            'are waiting out TIME_WAIT (about 60 s on Linux) — then nothing is bound, and only SO_REUSEADDR set ' +
            'on both the old and the new server gets past it. Close the holder or wait, pick another port, or use port 0.',
          port,
          host,
        ),
        NoteId.AddressInUse,
      );
    case 'EACCES':
      if (opening) {
        return made(
          port > 0 && port < 1024
            ? text(
                'port {0} is a privileged port (0–1023): binding it needs administrator rights ' +
                  '(root or CAP_NET_BIND_SERVICE on Linux). Use a port from 1024 to 65535, such as 12000.',
                port,
              )
            : text(
                'permission denied binding {0}: the OS refused it (a security policy, or a port reserved on this system).',
                at,
              ),
          port > 0 && port < 1024 ? NoteId.PrivilegedPorts : NoteId.SocketErrors,
        );
      }
      if (protocol === 'tcp') {
        return made(
          `${action === 'connect' ? 'connecting to' : 'sending to'} ${at} was refused by this machine (EACCES): ` +
            `a firewall rule or a security policy here does not allow it.`,
          NoteId.SocketErrors,
        );
      }
      return made(
        `${action === 'connect' ? 'connecting to' : 'sending to'} ${at} was refused by this machine (EACCES): ` +
          `a datagram to a broadcast address needs SO_BROADCAST on the socket first ` +
          `(setsockopt(SOL_SOCKET, SO_BROADCAST, 1); in Node, setBroadcast(true)); otherwise a firewall rule refused it.`,
        noteOr(NoteId.UdpBroadcast, NoteId.SocketErrors),
      );
    case 'EPERM':
      return made(
        opening
          ? `binding ${at} was not permitted (EPERM): a security policy (a sandbox, SELinux/AppArmor, seccomp) forbids it. ` +
              `(A port below 1024 gives EACCES, not EPERM.)`
          : `${action === 'connect' ? 'connecting to' : 'sending to'} ${at} was not permitted (EPERM): a firewall rule ` +
              `on this machine (e.g. iptables/nftables in the output chain) refused the packet.`,
        NoteId.SocketErrors,
      );
    case 'EADDRNOTAVAIL':
      return made(
        `address ${host} is not an address of this machine, so nothing can be bound to it. ` +
          `Use 127.0.0.1 (loopback), ::1, or an address of one of this machine's interfaces.`,
        NoteId.AddressNotAvailable,
      );
    case 'ECONNREFUSED':
      if (action === 'send' || action === 'recv') {
        return made(
          text(
            '{0} refused: an earlier datagram to it came back as ICMP "port unreachable" (ECONNREFUSED on a ' +
              'connected UDP socket), so nothing is bound to that port there. Start the server first.',
            at,
          ),
          NoteId.UdpConnectedSocket,
        );
      }
      return made(
        text(
          'connection refused by {0}: nothing is listening on that port. Start the server first, ' +
            'then connect (check the port and whether the server listens on IPv4 or IPv6).',
          at,
        ),
        NoteId.ConnectionRefused,
      );
    case 'ETIMEDOUT':
      if (action === 'connect') {
        return made(
          text(
            'connecting to {0} timed out: no answer to the handshake. The host may be down or a firewall drops the SYN.',
            at,
          ),
          NoteId.ConnectTimeout,
        );
      }
      return made(
        `the connection to ${at} timed out while established (ETIMEDOUT on ${action}): the peer stopped ` +
          `acknowledging what was sent (TCP gave up after retransmitting), or keepalive probes went unanswered — ` +
          `the peer vanished or the network between broke. The connection is gone: close it and reconnect.`,
        noteOr(NoteId.EstablishedTimeout, NoteId.ConnectionReset),
      );
    case 'ECONNRESET':
      if (protocol === 'udp') {
        return made(
          `${at} answered an earlier datagram with ICMP "port unreachable", which Windows reports on a UDP ` +
            `socket as a reset (WSAECONNRESET): nothing is bound to that port there. UDP has no connection to reset; ` +
            `start the server first, or ignore the error and keep receiving.`,
          NoteId.UdpConnectedSocket,
        );
      }
      return made(
        `the connection to ${at} was reset by the peer (RST)${action === 'send' || action === 'recv' ? ` during ${action}` : ''}: ` +
          `it aborted the connection — typically it closed while data it had received was still unread, or its program ended that way.`,
        NoteId.ConnectionReset,
      );
    case 'EPIPE':
      return made(
        `sending to ${at} failed with EPIPE ("broken pipe"): this socket can no longer send. Either the peer ` +
          `reset the connection, or this side already shut down its sending half, or the TCP socket was never ` +
          `connected (a welcoming socket, or one before connect()). In C the same write raises SIGPIPE, which ends the program unless ignored.`,
        noteOr(NoteId.BrokenPipe, NoteId.ConnectionReset),
      );
    case 'ENOTCONN':
      return made(
        `${action} on a socket that is not connected (ENOTCONN): a TCP socket reads only after connect() or ` +
          `accept(), and a welcoming socket never carries data.`,
        NoteId.SocketCallOrder,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return made(
        text(
          'host "{0}" could not be resolved to an address. Check the spelling, or use an IP address such as 127.0.0.1.',
          host,
        ),
        NoteId.HostResolution,
      );
    case 'EMSGSIZE':
      return made(
        host.includes(':')
          ? text(
              'the datagram is too large to send: a UDP payload can hold at most 65,527 bytes over IPv6 (65,507 over IPv4).',
            )
          : text(
              'the datagram is too large to send: a UDP payload can hold at most 65,507 bytes over IPv4 (65,527 over IPv6).',
            ),
        NoteId.UdpDatagramLimit,
      );
    default:
      return made(`${action} ${at} failed: ${errorMessage(err)}`);
  }
}
