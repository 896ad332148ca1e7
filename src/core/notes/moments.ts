/**
 * The moments vocabulary: the names of the situations a note can explain (its `explains` list). The matcher
 * (annotate.ts) turns each logged event into an ordered list of moments, most specific first, and shows the notes
 * that explain them. docs/notes-packs.md documents every name; the unit tests keep that page and this file in step.
 *
 * Families:
 * - `event:<udp|tcp>.<event>`: a traffic event of the log, and finer ones below it
 *   (`event:tcp.close.reset`, `event:udp.bind.client`, `event:tcp.error.ECONNREFUSED`, ...);
 * - `error:<CODE>`: an error code, whatever the event (`error:other` for a code the playground does not know);
 * - `call:<name>`: a socket call in the editor's code (hovers and the notes panel's follow-the-cursor);
 * - `port:privileged` (binding or listening below 1024) and `port:well-known` (either end on 1–1023).
 */
import type { CloseReason, SocketKind, TrafficEvent } from '../../shared/types';
import { TRAFFIC_EVENTS } from '../../shared/types';

/**
 * Every error code the playground names: Node's `err.code` (errno names and `ERR_*`), the playground's own
 * (`EREMOTEBIND`, `ESOCKETCLOSED`) and the Winsock names the code-assistance may meet in Windows output.
 */
export const ERROR_CODES: readonly string[] = [
  'EACCES',
  'EPERM',
  'WSAEACCES',
  'EADDRINUSE',
  'WSAEADDRINUSE',
  'EADDRNOTAVAIL',
  'WSAEADDRNOTAVAIL',
  'ERR_SOCKET_BAD_PORT',
  'EREMOTEBIND',
  'ECONNREFUSED',
  'WSAECONNREFUSED',
  'ETIMEDOUT',
  'WSAETIMEDOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EAI_NODATA',
  'ERR_INVALID_IP_ADDRESS',
  'ECONNRESET',
  'WSAECONNRESET',
  'ECONNABORTED',
  'WSAECONNABORTED',
  'EPIPE',
  'EMSGSIZE',
  'WSAEMSGSIZE',
  'ERR_SOCKET_DGRAM_NOT_CONNECTED',
  'ERR_SOCKET_DGRAM_IS_CONNECTED',
  'ERR_SOCKET_DGRAM_NOT_RUNNING',
  'ERR_SOCKET_CLOSED',
  'ESOCKETCLOSED',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_SERVER_NOT_RUNNING',
  'EBADF',
  'ENOTSOCK',
  'WSAENOTSOCK',
  'ESHUTDOWN',
  'ENOTCONN',
  'EINVAL',
  'EOPNOTSUPP',
  'EISCONN',
  'EALREADY',
  'ERR_SERVER_ALREADY_LISTEN',
  'ERR_SOCKET_ALREADY_BOUND',
  'EAGAIN',
  'EWOULDBLOCK',
];

/**
 * The socket calls `call:<name>` may name: the Berkeley calls as C and Python spell them (Java's and Node's
 * equivalents are mapped onto these by the code assistance, core/assist/apiIndex.ts).
 */
export const CALL_NAMES: readonly string[] = [
  'socket',
  'bind',
  'listen',
  'accept',
  'connect',
  'send',
  'sendall',
  'sendto',
  'recv',
  'recvfrom',
  'close',
  'shutdown',
  'setsockopt',
  'getsockopt',
  'getsockname',
  'getpeername',
  'settimeout',
  'setblocking',
  'gethostbyname',
  'getaddrinfo',
  'select',
];

/** The role a socket kind plays in a finer moment's name. */
export type Role = 'server' | 'client' | 'connection' | 'relay';

export const ROLE_OF: Readonly<Record<SocketKind, Role>> = {
  'udp-server': 'server',
  'udp-client': 'client',
  'tcp-server': 'server',
  'tcp-connection': 'connection',
  'tcp-client': 'client',
  relay: 'relay',
};

const ROLES: readonly Role[] = ['server', 'client', 'connection', 'relay'];
const CLOSE_MOMENTS = ['welcoming', 'reset', 'fin', 'local', 'peer-fin', 'server-closed'];

/** What the matcher knows about one event: the fields its moments depend on, already classified. */
export type Situation = {
  kind: SocketKind;
  udp: boolean;
  event: TrafficEvent;
  /** The local port is 1–1023. */
  localPrivileged: boolean;
  /** Either end is on a well-known port (1–1023). */
  wellKnown: boolean;
  closedBy: CloseReason | undefined;
  /** The error code as the vocabulary spells it, or undefined when unknown or missing. */
  errorCode: string | undefined;
};

/** The moments of one event, most specific first; the matcher shows the notes of each, in this order. */
export function momentsOf(s: Situation): string[] {
  const p = s.udp ? 'udp' : 'tcp';
  const base = `event:${p}.${s.event}`;
  const role = ROLE_OF[s.kind];
  const m: string[] = [];
  switch (s.event) {
    case 'bind':
      // Servers bind a port they choose (a privileged one needs rights); clients get one from the OS.
      if (s.localPrivileged) {
        m.push('port:privileged', 'port:well-known');
      }
      m.push(`${base}.${role}`, base);
      break;
    case 'listen':
      if (s.localPrivileged) {
        m.push('port:privileged');
      }
      // TCP: the welcoming socket. UDP has no listen(): a bound UDP socket already receives.
      m.push(base);
      if (s.udp) {
        m.push('event:udp.no-connection');
      }
      if (role !== 'client') {
        m.push(`${base}.${role}`);
      }
      break;
    case 'accept':
      // TCP: a new connection socket per client, on the server's own port (the 4-tuple tells them apart).
      m.push(base);
      if (s.udp) {
        m.push('event:udp.no-connection');
      }
      break;
    case 'connect':
      m.push(base);
      if (s.udp) {
        m.push('event:udp.no-connection');
      } else {
        m.push(`${base}.${role}`);
      }
      break;
    case 'send':
    case 'receive':
      m.push(base);
      if (s.udp) {
        m.push(`${base}.${role}`);
        if ((s.event === 'send' && role === 'client') || (s.event === 'receive' && role === 'server')) {
          m.push('event:udp.no-connection');
        }
      }
      break;
    case 'close':
      if (s.udp) {
        m.push(base, 'event:udp.no-connection');
      } else if (s.kind === 'tcp-server') {
        // Closing the welcoming socket stops new clients; accepted connections are sockets of their own.
        m.push(`${base}.welcoming`, base);
      } else if (s.closedBy === 'reset') {
        m.push(`${base}.reset`, base);
      } else {
        // An orderly close (FIN): by the peer, because the server closed, or locally (then TIME_WAIT).
        const how = s.closedBy === 'peer-fin' || s.closedBy === 'server-closed' ? s.closedBy : 'local';
        m.push(`${base}.fin`, `${base}.${how}`, base);
      }
      break;
    case 'error':
      m.push(s.errorCode === undefined ? 'error:other' : `error:${s.errorCode}`);
      if (s.errorCode !== undefined) {
        m.push(`${base}.${s.errorCode}`);
      }
      // A permission error on a privileged port: which service normally lives there.
      if (s.errorCode === 'EACCES' && s.localPrivileged) {
        m.push('port:privileged', 'port:well-known');
      }
      m.push(base);
      break;
    case 'drop':
    case 'delay':
    case 'duplicate':
    case 'reorder':
      // The relay's impairments: UDP loses and reorders for real; TCP hides it (retransmission, order).
      m.push(base, `event:${p}.impaired`);
      break;
  }
  if (s.event !== 'error' && s.wellKnown && !m.includes('port:well-known')) {
    m.push('port:well-known');
  }
  return m;
}

let vocabulary: Set<string> | undefined;

/** Every moment name the matcher can produce or a note can explain, in the documented order. */
export function allMoments(): readonly string[] {
  const out: string[] = ['port:privileged', 'port:well-known', 'event:udp.no-connection'];
  for (const p of ['udp', 'tcp'] as const) {
    for (const e of TRAFFIC_EVENTS) {
      out.push(`event:${p}.${e}`);
      // The events whose finer moments name the socket's role.
      const roles =
        e === 'bind' || (e === 'connect' && p === 'tcp') || ((e === 'send' || e === 'receive') && p === 'udp')
          ? ROLES
          : e === 'listen'
            ? ROLES.filter((r) => r !== 'client')
            : [];
      out.push(...roles.map((r) => `event:${p}.${e}.${r}`));
      if (e === 'close' && p === 'tcp') {
        out.push(...CLOSE_MOMENTS.map((c) => `event:tcp.close.${c}`));
      }
      if (e === 'error') {
        out.push(...ERROR_CODES.map((c) => `event:${p}.error.${c}`));
      }
    }
    out.push(`event:${p}.impaired`);
  }
  out.push('error:other', ...ERROR_CODES.map((c) => `error:${c}`));
  out.push(...CALL_NAMES.map((c) => `call:${c}`));
  return out;
}

/** True for a name of the vocabulary (a note's `explains` may hold only these). */
export function isKnownMoment(name: string): boolean {
  vocabulary ??= new Set(allMoments());
  return vocabulary.has(name);
}
