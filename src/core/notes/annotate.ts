/**
 * Pure matcher from traffic events and error codes to the course notes that explain them (the rule the tests hold:
 * "every traffic event and every error code maps to at least one note").
 *
 * Hot path: `notesFor` runs for every logged event, so results are computed once per distinct situation
 * and cached. The cache key is a number packed from the few fields that matter (socket kind, protocol,
 * event, port class, address class, close reason, error code); a numeric key means a call costs one
 * table lookup and allocates nothing, not even a key string. The key space is finite (unknown error codes
 * collapse to one slot), so the cache cannot grow without bound.
 *
 * Returned arrays and their NoteRef objects are shared and frozen: callers may store them in log entries
 * but must not mutate them.
 */

import type { AnnotationInput, CloseReason, NoteRef, SocketKind, TrafficEvent } from '../../shared/types';
import { allNotes, getNote, NoteId } from './notes';
import { NewNoteId } from './noteIds';

/** `id` if the loaded notes have it, else `fallback` (errata notes arrive with the Markdown pack). */
function noteOr(id: string, fallback: string): string {
  return getNote(id) ? id : fallback;
}

const N = NoteId;

// ─── note references ─────────────────────────────────────────────────────────────────────────────────

// Built on first use: the corpus is loaded lazily (notes.ts), so importing this module costs nothing at activation.
let refs: Map<string, NoteRef> | undefined;

/** The shared `{ id, title }` of a note. Throws on an unknown id: that is a programming error. */
export function noteRef(id: string): NoteRef {
  refs ??= new Map(allNotes().map((n) => [n.id, Object.freeze({ id: n.id, title: n.title })]));
  const ref = refs.get(id);
  if (!ref) {
    throw new Error(`annotate: unknown note id '${id}'`);
  }
  return ref;
}

const PENDING: ReadonlySet<string> = new Set(Object.values(NewNoteId));

/**
 * A frozen, duplicate-free list of refs, in the given order (most specific first). An errata note that the
 * loaded notes lack yet (a NewNoteId) is left out; the notes after it in the list cover the case meanwhile.
 */
function refList(ids: readonly string[]): NoteRef[] {
  const seen = new Set<string>();
  const out: NoteRef[] = [];
  for (const id of ids) {
    if (PENDING.has(id) && !getNote(id)) {
      continue;
    }
    if (!seen.has(id)) {
      seen.add(id);
      out.push(noteRef(id));
    }
  }
  return Object.freeze(out) as NoteRef[];
}

// ─── error codes ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Error code → note ids, most specific first. Codes are Node's (`err.code`: errno names and `ERR_*`),
 * plus the Winsock names the code-assistance hovers may meet in Windows output.
 */
export const ERROR_NOTE_IDS: Readonly<Record<string, readonly string[]>> = {
  // bind
  EACCES: [N.PrivilegedPorts],
  // Not a privileged-port error (bind below 1024 gives EACCES): a security policy or a firewall rule.
  EPERM: [N.SocketErrors],
  WSAEACCES: [N.PrivilegedPorts],
  EADDRINUSE: [N.AddressInUse, N.ReuseAddr],
  WSAEADDRINUSE: [N.AddressInUse, N.ReuseAddr],
  EADDRNOTAVAIL: [N.AddressNotAvailable],
  WSAEADDRNOTAVAIL: [N.AddressNotAvailable],
  ERR_SOCKET_BAD_PORT: [N.PortNumbers],
  EREMOTEBIND: [N.LoopbackBind], // the playground's own: non-loopback bind without allowRemoteBind
  // connect
  ECONNREFUSED: [N.ConnectionRefused],
  WSAECONNREFUSED: [N.ConnectionRefused],
  ETIMEDOUT: [N.ConnectTimeout],
  WSAETIMEDOUT: [N.ConnectTimeout],
  ERR_SOCKET_CONNECTION_TIMEOUT: [N.ConnectTimeout],
  EHOSTUNREACH: [N.HostUnreachable],
  ENETUNREACH: [N.HostUnreachable],
  EHOSTDOWN: [N.HostUnreachable],
  ENETDOWN: [N.HostUnreachable],
  // name lookup
  ENOTFOUND: [N.HostResolution],
  EAI_AGAIN: [N.HostResolution],
  EAI_NONAME: [N.HostResolution],
  EAI_FAIL: [N.HostResolution],
  EAI_NODATA: [N.HostResolution],
  ERR_INVALID_IP_ADDRESS: [N.HostResolution],
  // an established connection breaking
  ECONNRESET: [N.ConnectionReset, N.TcpReset],
  WSAECONNRESET: [N.ConnectionReset, N.TcpReset],
  ECONNABORTED: [N.ConnectionReset, N.TcpReset],
  WSAECONNABORTED: [N.ConnectionReset, N.TcpReset],
  // send() that cannot send: the peer reset, this side shut down, or a TCP socket never connected.
  EPIPE: [NewNoteId.BrokenPipe, N.ConnectionReset, N.TcpClose, N.SocketCallOrder],
  // UDP
  EMSGSIZE: [N.UdpDatagramLimit],
  WSAEMSGSIZE: [N.UdpDatagramLimit],
  ERR_SOCKET_DGRAM_NOT_CONNECTED: [N.UdpExplicitDestination, N.UdpConnectedSocket],
  ERR_SOCKET_DGRAM_IS_CONNECTED: [N.UdpConnectedSocket],
  // a socket that is closed or in the wrong state
  ERR_SOCKET_DGRAM_NOT_RUNNING: [N.SocketClosed],
  ERR_SOCKET_CLOSED: [N.SocketClosed],
  ESOCKETCLOSED: [N.SocketClosed], // the playground's own: send on a closed socket
  ERR_STREAM_DESTROYED: [N.SocketClosed],
  ERR_STREAM_WRITE_AFTER_END: [N.SocketClosed, N.TcpClose],
  ERR_SERVER_NOT_RUNNING: [N.SocketClosed],
  EBADF: [N.SocketClosed],
  ENOTSOCK: [N.SocketClosed],
  WSAENOTSOCK: [N.SocketClosed],
  ESHUTDOWN: [N.SocketClosed],
  ENOTCONN: [N.SocketClosed, N.SocketCallOrder],
  EINVAL: [N.SocketCallOrder],
  EOPNOTSUPP: [N.SocketCallOrder],
  EISCONN: [N.SocketCallOrder],
  EALREADY: [N.SocketCallOrder],
  ERR_SERVER_ALREADY_LISTEN: [N.SocketCallOrder],
  ERR_SOCKET_ALREADY_BOUND: [N.SocketCallOrder],
  // blocking
  EAGAIN: [N.Blocking],
  EWOULDBLOCK: [N.Blocking],
};

/** Slot 0 is "no code or an unknown code"; known codes get slots 1..n. */
const errorSlot = new Map<string, number>();
const errorIdsBySlot: (readonly string[])[] = [[N.SocketErrors]];
const codeBySlot: (string | undefined)[] = [undefined];
for (const [code, ids] of Object.entries(ERROR_NOTE_IDS)) {
  errorSlot.set(code, errorIdsBySlot.length);
  errorIdsBySlot.push(ids);
  codeBySlot.push(code);
}
let errorListsBySlot: NoteRef[][] | undefined;
const ERROR_SLOTS = errorIdsBySlot.length;

function errorLists(): NoteRef[][] {
  return (errorListsBySlot ??= errorIdsBySlot.map(refList));
}

/** The general errors note: for unknown codes and invalid input. */
function general(): NoteRef[] {
  return errorLists()[0] as NoteRef[];
}

function slotOf(code: string | undefined): number {
  if (code === undefined || code === '') {
    return 0;
  }
  // Exact match first; a lower-case spelling costs one extra lookup (and a string) only on a miss.
  return errorSlot.get(code) ?? errorSlot.get(code.toUpperCase()) ?? 0;
}

/** Notes for an error code; never empty (unknown or missing codes get the general errors note). */
export function notesForError(code: string | undefined): NoteRef[] {
  return errorLists()[slotOf(code)] ?? general();
}

// ─── events ──────────────────────────────────────────────────────────────────────────────────────────

const KIND_INDEX: Readonly<Record<SocketKind, number>> = {
  'udp-server': 0,
  'udp-client': 1,
  'tcp-server': 2,
  'tcp-connection': 3,
  'tcp-client': 4,
  relay: 5,
};

const EVENT_INDEX: Readonly<Record<TrafficEvent, number>> = {
  bind: 0,
  listen: 1,
  accept: 2,
  connect: 3,
  send: 4,
  receive: 5,
  close: 6,
  error: 7,
  drop: 8,
  delay: 9,
  duplicate: 10,
  reorder: 11,
};

const CLOSE_REASONS: readonly (CloseReason | undefined)[] = [
  undefined,
  'local',
  'peer-fin',
  'reset',
  'server-closed',
];

/** 0: no port (or 0), 1: well-known 1–1023, 2: anything else. */
type PortClass = 0 | 1 | 2;
/** 0: a specific address, 1: loopback, 2: wildcard (every interface). */
type AddressClass = 0 | 1 | 2;

function portClass(port: number | undefined): PortClass {
  if (port === undefined || port <= 0) {
    return 0;
  }
  return port < 1024 ? 1 : 2;
}

function addressClass(address: string): AddressClass {
  if (address === '0.0.0.0' || address === '::' || address === '' || address === '::ffff:0.0.0.0') {
    return 2;
  }
  if (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.')) {
    return 1;
  }
  return 0;
}

function closeIndex(reason: CloseReason | undefined): number {
  switch (reason) {
    case 'local':
      return 1;
    case 'peer-fin':
      return 2;
    case 'reset':
      return 3;
    case 'server-closed':
      return 4;
    default:
      return 0;
  }
}

type Situation = {
  kind: SocketKind;
  udp: boolean;
  event: TrafficEvent;
  local: PortClass;
  remote: PortClass;
  address: AddressClass;
  closedBy: CloseReason | undefined;
  errorSlot: number;
};

/** The rules. Each case cites the lecture topic it explains; order within a list is most specific first. */
function idsFor(s: Situation): string[] {
  const ids: string[] = [];
  const client = s.kind === 'udp-client' || s.kind === 'tcp-client';
  const server = !client; // udp-server, tcp-server, tcp-connection, relay
  switch (s.event) {
    case 'bind': {
      // Slides "Port numbers": servers bind a known port, clients get one from the OS.
      if (s.local === 1) {
        ids.push(N.PrivilegedPorts, N.WellKnownPorts);
      }
      if (client) {
        ids.push(N.EphemeralPorts);
      } else {
        ids.push(N.BindCall, N.LoopbackBind);
      }
      break;
    }
    case 'listen': {
      if (s.local === 1) {
        ids.push(N.PrivilegedPorts);
      }
      if (s.udp) {
        // UDP has no listen(); a bound UDP socket is already receiving.
        ids.push(N.BindCall, N.UdpNoConnection);
      } else {
        // Slides "TCP socket programming": the welcoming socket.
        ids.push(N.TcpWelcomingSocket, N.TcpListenBacklog);
      }
      if (server) {
        ids.push(N.LoopbackBind);
      }
      break;
    }
    case 'accept': {
      // Slides "TCP: connection process": a new socket per client, same port (the 4-tuple correction).
      ids.push(...(s.udp ? [N.UdpNoConnection] : [N.TcpConnectionSocket, N.TcpFourTuple]));
      break;
    }
    case 'connect': {
      if (s.udp) {
        ids.push(N.UdpConnectedSocket, N.UdpNoConnection);
      } else if (s.kind === 'tcp-client') {
        ids.push(N.TcpHandshake, N.EphemeralPorts);
      } else if (s.kind === 'tcp-connection') {
        ids.push(N.TcpHandshake, N.TcpFourTuple);
      } else if (s.kind === 'relay') {
        ids.push(N.TcpHandshake, N.TcpServerFirst);
      } else {
        ids.push(N.TcpHandshake);
      }
      break;
    }
    case 'send': {
      if (!s.udp) {
        // Slides "Python TCP client": "no need to say to whom"; a send may be split or merged.
        ids.push(N.TcpByteStream, N.TcpSendAll);
      } else if (s.kind === 'udp-server') {
        // The reply goes to the address recvfrom() reported.
        ids.push(N.UdpExplicitDestination, N.UdpSenderAddress);
      } else if (s.kind === 'udp-client') {
        // Slides "Socket programming: UDP": no handshake, destination attached to each datagram.
        ids.push(N.UdpExplicitDestination, N.UdpNoConnection);
      } else {
        ids.push(N.UdpExplicitDestination, N.UdpMessageBoundaries);
      }
      break;
    }
    case 'receive': {
      if (!s.udp) {
        // The byte-stream correction: a recv returns any slice of the stream.
        ids.push(N.TcpByteStream, N.TcpFraming);
      } else if (s.kind === 'udp-server') {
        // Slides "Python UDP server": recvfrom gets the data and who sent it.
        ids.push(N.UdpSenderAddress, N.UdpNoConnection);
      } else {
        ids.push(N.UdpSenderAddress, N.UdpMessageBoundaries);
      }
      break;
    }
    case 'close': {
      if (s.udp) {
        // Closing a UDP socket tells nobody.
        ids.push(N.UdpNoConnection);
      } else if (s.kind === 'tcp-server') {
        // Closing the welcoming socket stops new clients; accepted ones are separate sockets.
        ids.push(N.TcpWelcomingSocket, N.TcpConnectionSocket);
      } else if (s.closedBy === 'reset') {
        ids.push(N.TcpReset, N.ConnectionReset);
      } else if (s.closedBy === 'peer-fin') {
        ids.push(N.TcpClose);
      } else if (s.closedBy === 'server-closed') {
        ids.push(N.TcpClose, N.TcpConnectionSocket);
      } else {
        // Closed locally: FIN, and this side passes through TIME_WAIT.
        ids.push(N.TcpClose, N.TcpTimeWait);
      }
      break;
    }
    case 'error': {
      ids.push(...(errorIdsBySlot[s.errorSlot] ?? [N.SocketErrors]));
      const code = codeBySlot[s.errorSlot];
      if (code === 'ECONNREFUSED' || code === 'WSAECONNREFUSED') {
        ids.push(s.udp ? N.UdpConnectedSocket : N.TcpServerFirst);
      } else if ((code === 'ECONNRESET' || code === 'WSAECONNRESET') && s.udp) {
        // Windows reports an ICMP port-unreachable on a UDP socket as a reset: no TCP reset is involved, so the
        // UDP note leads and the refused-port note follows.
        ids.splice(0, ids.length, N.UdpConnectedSocket, N.ConnectionRefused);
      } else if (code === 'EACCES' && s.local === 1) {
        ids.push(N.WellKnownPorts);
      } else if ((code === 'EACCES' || code === 'WSAEACCES') && s.udp) {
        // A UDP socket on an ordinary port: a send to a broadcast address without SO_BROADCAST, not a bind.
        ids.splice(0, ids.length, noteOr(NewNoteId.UdpBroadcast, N.SocketErrors), N.UdpExplicitDestination);
      } else if ((code === 'EADDRINUSE' || code === 'WSAEADDRINUSE') && s.udp) {
        // No TIME_WAIT on UDP, and SO_REUSEADDR there would let a second socket share the port.
        ids.splice(0, ids.length, N.AddressInUse, N.BindCall);
      } else if ((code === 'ETIMEDOUT' || code === 'WSAETIMEDOUT') && s.kind === 'tcp-connection') {
        // An accepted connection never ran connect(): its timeout is an established connection's.
        ids.splice(0, ids.length, noteOr(NewNoteId.EstablishedTimeout, N.ConnectionReset), N.Blocking);
      }
      break;
    }
    case 'drop':
    case 'delay':
    case 'duplicate':
    case 'reorder': {
      // Slides "UDP: data may be lost or received out-of-order" vs TCP's in-order delivery.
      ids.push(N.Impairment, s.udp ? N.UdpLossReorder : N.TcpUnderLoss);
      break;
    }
  }
  // A well-known port on either end: show what service normally lives there.
  if (s.event !== 'error' && (s.local === 1 || s.remote === 1)) {
    ids.push(N.WellKnownPorts);
  }
  if (ids.length === 0) {
    ids.push(N.SocketErrors);
  }
  return ids;
}

const cache = new Map<number, NoteRef[]>();

/** Notes explaining one traffic event; never empty. Cached: the same situation returns the same frozen array. */
export function notesFor(input: AnnotationInput): NoteRef[] {
  const kind = KIND_INDEX[input.kind];
  const event = EVENT_INDEX[input.event];
  if (kind === undefined || event === undefined) {
    return general(); // not a valid input; stay total rather than throw into a socket callback
  }
  const udp = input.protocol === 'udp' ? 1 : 0;
  const local = portClass(input.local?.port);
  const remote = portClass(input.remote?.port);
  // Only the fields a rule looks at are part of the key; the rest stay 0 so equal situations share a slot.
  const address = event <= 1 && input.local ? addressClass(input.local.address) : 0;
  const closedBy = event === 6 ? closeIndex(input.closedBy) : 0;
  const err = event === 7 ? slotOf(input.errorCode) : 0;

  const key =
    ((((((kind * 12 + event) * 2 + udp) * 3 + local) * 3 + remote) * 3 + address) * 5 + closedBy) *
      ERROR_SLOTS +
    err;
  let list = cache.get(key);
  if (list === undefined) {
    list = refList(
      idsFor({
        kind: input.kind,
        udp: udp === 1,
        event: input.event,
        local,
        remote,
        address: address as AddressClass,
        closedBy: CLOSE_REASONS[closedBy],
        errorSlot: err,
      }),
    );
    cache.set(key, list);
  }
  return list;
}
