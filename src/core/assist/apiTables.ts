/**
 * The socket API of each language as the hovers know it: which identifier, in which shape, explains which course
 * notes, and the UDP variants of the calls whose meaning changes on a datagram socket. Pure data and its index;
 * the scanner (apiIndex.ts) matches source text against it.
 */
import { NoteId } from '../notes/notes';
import type { ApiLanguage } from './languages';

export { API_LANGUAGE_IDS, apiLanguageOf, type ApiLanguage } from './languages';

const N = NoteId;

/**
 * How an identifier must appear to match:
 * - `call`: a bare function call `name(` (C `bind(`, Python `socket(` after `from socket import *`);
 * - `method`: a member call `x.name(` (Python `sock.recvfrom(`, Java `server.accept(`);
 * - `qualified:<q>`: `q.name` (`net.createServer`, `socket.socket`), call or not;
 * - `word`: the identifier anywhere in code (constants, classes, exceptions);
 * - `event`: a string literal naming an event in `.on('name', …)` / `.once(…)` (Node);
 * - `string`: a string literal with exactly this content (`'udp4'`).
 */
export type ApiForm = 'call' | 'method' | `qualified:${string}` | 'word' | 'event' | 'string';

export type ApiEntry = {
  /** The identifier (or string content) as it appears in code. */
  readonly name: string;
  /** How it is shown in a hover title, e.g. `net.createServer()` or `AF_INET`. */
  readonly label: string;
  readonly forms: readonly ApiForm[];
  /** Note ids, the most specific first; the first one is what a hover and the notes panel open. */
  readonly notes: readonly string[];
  /** One sentence (Markdown) on what the call does, in the terms of this language. */
  readonly summary: string;
  /** Common outside socket code: only matches in a file that uses sockets. */
  readonly generic?: boolean;
};

export type ApiMatch = {
  readonly entry: ApiEntry;
  /** The notes for this place, most specific first: the entry's, or their UDP variant in a UDP file. */
  readonly notes: readonly string[];
  /** Offsets into the text: [start, end) of the identifier (or of the string content). */
  readonly start: number;
  readonly end: number;
};

// ─── the tables ──────────────────────────────────────────────────────────────────────────────────────

type Row = [
  name: string,
  label: string,
  forms: ApiForm[],
  notes: string[],
  summary: string,
  generic?: 'generic',
];

function table(rows: Row[]): readonly ApiEntry[] {
  return rows.map(([name, label, forms, notes, summary, generic]) =>
    Object.freeze({ name, label, forms, notes, summary, ...(generic ? { generic: true } : {}) }),
  );
}

const PY_MODULE: ApiForm[] = ['call', 'qualified:socket'];

// One row per identifier reads as a table: keep it out of the formatter.
// prettier-ignore
const PYTHON = table([
  ['socket', 'socket()', ['call', 'qualified:socket'], [N.SocketCreate, N.SocketApiPython], 'Creates a socket: `socket(AF_INET, SOCK_DGRAM)` for UDP, `socket(AF_INET, SOCK_STREAM)` for TCP.'],
  ['bind', 'socket.bind()', ['method'], [N.BindCall, N.LoopbackBind, N.PrivilegedPorts], "Gives the socket its local address and port, `sock.bind((host, port))`; `''` means every local address.", 'generic'],
  ['listen', 'socket.listen()', ['method'], [N.TcpWelcomingSocket, N.TcpListenBacklog], 'Turns a bound TCP socket into a welcoming socket that accepts connections; the argument is the backlog.', 'generic'],
  ['accept', 'socket.accept()', ['method'], [N.TcpConnectionSocket, N.TcpFourTuple], 'Waits for the next client and returns `(connectionSocket, (address, port))`: a new socket for that one client.', 'generic'],
  ['connect', 'socket.connect()', ['method'], [N.TcpHandshake, N.ConnectionRefused, N.UdpConnectedSocket], 'TCP: runs the three-way handshake with `(host, port)`. UDP: only fixes the default destination.', 'generic'],
  ['connect_ex', 'socket.connect_ex()', ['method'], [N.TcpHandshake, N.SocketErrors], 'Like `connect()`, but returns the error number instead of raising.', 'generic'],
  ['send', 'socket.send()', ['method'], [N.TcpSendAll, N.TcpByteStream], 'Sends **bytes** on a connected socket and returns how many it took, which may be fewer than given (use `sendall`).', 'generic'],
  ['sendall', 'socket.sendall()', ['method'], [N.TcpSendAll], 'Sends all of the **bytes**, calling `send()` as often as needed.', 'generic'],
  ['recv', 'socket.recv()', ['method'], [N.TcpByteStream, N.TcpFraming, N.Blocking], "Waits for data and returns up to `bufsize` **bytes**; on TCP that is whatever has arrived, and `b''` once the peer closed.", 'generic'],
  ['sendto', 'socket.sendto()', ['method'], [N.UdpExplicitDestination, N.UdpDatagramLimit], 'Sends one datagram of **bytes** to the `(host, port)` given with it: UDP names the destination on every send.'],
  ['sentto', 'sentto (slide typo)', ['method'], [N.SlideTypos, N.UdpExplicitDestination], 'A typo on the slides: the method is `sendto`.'],
  ['recvfrom', 'socket.recvfrom()', ['method'], [N.UdpSenderAddress, N.UdpMessageBoundaries], 'Waits for one datagram and returns `(data, (ip, port))`: the bytes and who sent them.'],
  ['close', 'socket.close()', ['method'], [N.TcpClose, N.TcpReset, N.SocketClosed], 'Releases the socket; on TCP the peer sees the end of the stream (FIN), or a reset (RST) if data it sent was left unread.', 'generic'],
  ['shutdown', 'socket.shutdown()', ['method'], [N.TcpClose], 'Ends one or both directions of a TCP connection (`SHUT_WR` sends FIN but keeps reading).', 'generic'],
  ['settimeout', 'socket.settimeout()', ['method'], [N.Blocking, N.ConnectTimeout], 'Makes blocking calls give up after that many seconds with `TimeoutError`.', 'generic'],
  ['setblocking', 'socket.setblocking()', ['method'], [N.Blocking], 'Switches the socket between blocking and non-blocking calls.', 'generic'],
  ['setsockopt', 'socket.setsockopt()', ['method'], [N.ReuseAddr], 'Sets a socket option, e.g. `setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)` before `bind`.', 'generic'],
  ['getsockname', 'socket.getsockname()', ['method'], [N.EphemeralPorts, N.PortNumbers], "Returns the socket's own `(address, port)`: how a client learns the port the OS picked.", 'generic'],
  ['getpeername', 'socket.getpeername()', ['method'], [N.TcpFourTuple], 'Returns the `(address, port)` of the other end of a connected socket.', 'generic'],
  ['create_connection', 'socket.create_connection()', PY_MODULE, [N.TcpHandshake, N.LocalhostIpv6], 'Resolves the host, tries each address and returns a connected TCP socket.'],
  ['create_server', 'socket.create_server()', PY_MODULE, [N.TcpWelcomingSocket, N.ReuseAddr], 'Creates, binds and listens in one call, returning a welcoming TCP socket.'],
  ['getaddrinfo', 'socket.getaddrinfo()', PY_MODULE, [N.HostResolution, N.LocalhostIpv6], 'Resolves a host name and port into the addresses to try, IPv6 and IPv4.'],
  ['gethostbyname', 'socket.gethostbyname()', PY_MODULE, [N.HostResolution], 'Resolves a host name to one IPv4 address (the older, IPv4-only call).'],
  ['gethostname', 'socket.gethostname()', PY_MODULE, [N.HostResolution], "Returns this machine's host name."],
  ['raw_input', 'raw_input() (Python 2)', ['call'], [N.Python2vs3], 'Python 2 only; Python 3 calls it `input()`.'],
  ['AF_INET', 'AF_INET', ['word'], [N.SocketCreate], "Address family IPv4: addresses are `('127.0.0.1', 12000)` pairs."],
  ['AF_INET6', 'AF_INET6', ['word'], [N.SocketCreate, N.LocalhostIpv6], 'Address family IPv6: addresses like `::1`.'],
  ['SOCK_DGRAM', 'SOCK_DGRAM', ['word'], [N.SocketCreate, N.UdpNoConnection], 'Socket type for UDP: separate datagrams, no connection.'],
  ['SOCK_STREAM', 'SOCK_STREAM', ['word'], [N.SocketCreate, N.TcpReliableInOrder], 'Socket type for TCP: a connection carrying a reliable, in-order byte stream.'],
  ['SOL_SOCKET', 'SOL_SOCKET', ['word'], [N.ReuseAddr], 'The option level of socket-wide options such as `SO_REUSEADDR`.'],
  ['SO_REUSEADDR', 'SO_REUSEADDR', ['word'], [N.ReuseAddr, N.AddressInUse], 'Lets a server bind its port again while old connections linger in TIME_WAIT.'],
  ['SHUT_WR', 'SHUT_WR', ['word'], [N.TcpClose], '`shutdown(SHUT_WR)`: no more sending (the peer reads end-of-stream), but keep receiving.'],
  ['SHUT_RDWR', 'SHUT_RDWR', ['word'], [N.TcpClose], '`shutdown(SHUT_RDWR)`: stop both directions.'],
  ['timeout', 'socket.timeout', ['qualified:socket'], [N.Blocking], 'The exception a timed-out call raises; an alias of `TimeoutError` since Python 3.10.'],
  ['TimeoutError', 'TimeoutError', ['word'], [N.Blocking, N.ConnectTimeout], 'Raised when a call on a socket with a timeout takes too long.'],
  ['ConnectionRefusedError', 'ConnectionRefusedError', ['word'], [N.ConnectionRefused], 'Nothing was listening on that port (ECONNREFUSED).'],
  ['ConnectionResetError', 'ConnectionResetError', ['word'], [N.ConnectionReset], 'The peer aborted the connection (ECONNRESET).'],
  ['BrokenPipeError', 'BrokenPipeError', ['word'], [N.ConnectionReset, N.SocketCallOrder], 'send() on a TCP socket that can no longer send (EPIPE): the peer reset the connection, this side shut down sending, or it was never connected.'],
  ['gaierror', 'socket.gaierror', ['word'], [N.HostResolution], 'The host name could not be resolved.'],
]);

// One row per identifier reads as a table: keep it out of the formatter.
// prettier-ignore
const JAVASCRIPT = table([
  ['createSocket', 'dgram.createSocket()', ['qualified:dgram'], [N.SocketCreate, N.UdpNoConnection], "Creates a UDP socket: `dgram.createSocket('udp4')` (or `'udp6'`)."],
  ['createSocket', 'createSocket()', ['call'], [N.SocketCreate, N.UdpNoConnection], "Creates a UDP socket: `createSocket('udp4')` (or `'udp6'`).", 'generic'],
  ['createServer', 'net.createServer()', ['qualified:net'], [N.TcpWelcomingSocket, N.TcpConnectionSocket], 'Creates a TCP server; its connection listener gets one `net.Socket` per accepted client.'],
  ['createServer', 'createServer()', ['call'], [N.TcpWelcomingSocket, N.TcpConnectionSocket], 'Creates a TCP server; its connection listener gets one socket per accepted client.', 'generic'],
  ['createConnection', 'net.createConnection()', ['qualified:net', 'call'], [N.TcpHandshake, N.ConnectionRefused], "Opens a TCP connection (the handshake runs before `'connect'` fires)."],
  ['connect', 'net.connect()', ['qualified:net'], [N.TcpHandshake, N.ConnectionRefused], "Opens a TCP connection (the handshake runs before `'connect'` fires)."],
  ['Socket', 'net.Socket', ['qualified:net'], [N.SocketCreate, N.TcpHandshake], 'A TCP socket: a client before `connect()`, or one accepted connection.'],
  ['bind', 'socket.bind()', ['method'], [N.BindCall, N.LoopbackBind, N.PrivilegedPorts], "Binds a UDP socket to `(port, address)`; `'listening'` fires once it is bound.", 'generic'],
  ['listen', 'server.listen()', ['method'], [N.TcpWelcomingSocket, N.LoopbackBind, N.TcpListenBacklog], "Binds the TCP server to `(port, host)` and accepts connections; with no host it binds `::`, every interface, so other machines can reach it (give `'127.0.0.1'` to stay local).", 'generic'],
  ['send', 'socket.send()', ['method'], [N.UdpExplicitDestination, N.UdpDatagramLimit], 'Sends one datagram: `send(msg, port, address)` names the destination each time.', 'generic'],
  ['write', 'socket.write()', ['method'], [N.TcpByteStream, N.TcpFraming], 'Queues bytes on a TCP connection; the peer may read them in other-sized pieces.', 'generic'],
  ['end', 'socket.end()', ['method'], [N.TcpClose], 'Half-closes a TCP connection: sends FIN after the queued data.', 'generic'],
  ['destroy', 'socket.destroy()', ['method'], [N.TcpClose, N.TcpReset], 'Closes the socket at once, dropping data not yet written; the peer still gets a FIN (a reset only if data it sent was left unread). `resetAndDestroy()` is the call that sends a reset (RST).', 'generic'],
  ['resetAndDestroy', 'socket.resetAndDestroy()', ['method'], [N.TcpReset, N.ConnectionReset], 'Aborts the TCP connection with a reset (RST) instead of a FIN: the peer\'s next read or write fails with ECONNRESET.', 'generic'],
  ['close', 'close()', ['method'], [N.TcpClose, N.SocketClosed], 'Closes a UDP socket, or stops a TCP server from accepting (connections already accepted stay open).', 'generic'],
  ['connect', 'socket.connect()', ['method'], [N.TcpHandshake, N.UdpConnectedSocket], 'TCP: opens the connection. UDP: fixes the default destination.', 'generic'],
  ['address', 'socket.address()', ['method'], [N.EphemeralPorts, N.PortNumbers], "Returns the socket's own `{ address, family, port }` (the real port when you asked for 0).", 'generic'],
  ['setTimeout', 'socket.setTimeout()', ['method'], [N.Blocking], "Emits `'timeout'` after that many idle milliseconds (it does not close the socket).", 'generic'],
  ['message', "'message' event", ['event'], [N.UdpSenderAddress, N.UdpMessageBoundaries], 'One datagram arrived: `(msg, rinfo)`, with the sender in `rinfo.address` and `rinfo.port`.', 'generic'],
  ['data', "'data' event", ['event'], [N.TcpByteStream, N.TcpFraming], 'A chunk of the TCP byte stream arrived: not necessarily one whole message.', 'generic'],
  ['connection', "'connection' event", ['event'], [N.TcpConnectionSocket, N.TcpFourTuple], 'The server accepted a client: the listener gets the new connection socket.', 'generic'],
  ['listening', "'listening' event", ['event'], [N.BindCall], 'The socket is bound (and a TCP server listens).', 'generic'],
  ['connect', "'connect' event", ['event'], [N.TcpHandshake], 'The three-way handshake has completed.', 'generic'],
  ['end', "'end' event", ['event'], [N.TcpClose], 'The peer closed its side (FIN): no more data will arrive.', 'generic'],
  ['close', "'close' event", ['event'], [N.TcpClose, N.SocketClosed], 'The socket is fully closed.', 'generic'],
  ['error', "'error' event", ['event'], [N.SocketErrors], "Something failed; `err.code` names it (`'ECONNREFUSED'`, `'EADDRINUSE'`, …).", 'generic'],
  ['udp4', "'udp4'", ['string'], [N.SocketCreate], 'A UDP socket for IPv4.', 'generic'],
  ['udp6', "'udp6'", ['string'], [N.SocketCreate, N.LocalhostIpv6], 'A UDP socket for IPv6.', 'generic'],
]);

// One row per identifier reads as a table: keep it out of the formatter.
// prettier-ignore
const JAVA = table([
  ['ServerSocket', 'ServerSocket', ['word'], [N.TcpWelcomingSocket, N.TcpConnectionSocket, N.SocketApiJava], 'The welcoming socket: `new ServerSocket(port)` is bound and listening once constructed (`new ServerSocket()` with no port is not bound until `bind()`); `accept()` returns one `Socket` per client.'],
  ['Socket', 'Socket', ['word'], [N.TcpHandshake, N.SocketApiJava], 'A TCP connection: `new Socket(host, port)` connects (handshake) before it returns.', 'generic'],
  ['DatagramSocket', 'DatagramSocket', ['word'], [N.SocketCreate, N.UdpNoConnection, N.SocketApiJava], 'A UDP socket; `new DatagramSocket(port)` binds that port, `new DatagramSocket()` lets the OS pick.'],
  ['DatagramPacket', 'DatagramPacket', ['word'], [N.UdpExplicitDestination, N.UdpSenderAddress], 'One datagram: the bytes plus the address and port it goes to or came from.'],
  ['InetAddress', 'InetAddress', ['word'], [N.HostResolution, N.LocalhostIpv6], 'An IP address; `InetAddress.getByName(host)` resolves a name.', 'generic'],
  ['InetSocketAddress', 'InetSocketAddress', ['word'], [N.BindCall, N.PortNumbers], 'An address and port together: what `bind` and `connect` take.'],
  ['InputStreamReader', 'InputStreamReader', ['word'], [N.SocketApiJava, N.PayloadEncoding], "Turns the socket's bytes into characters (give it a charset, e.g. UTF-8).", 'generic'],
  ['BufferedReader', 'BufferedReader', ['word'], [N.TcpFraming, N.SocketApiJava], '`readLine()` collects the byte stream up to a newline: line framing on top of TCP.', 'generic'],
  ['PrintWriter', 'PrintWriter', ['word'], [N.TcpFraming, N.SocketApiJava], '`println` writes a line; with autoflush on, it sends at once.', 'generic'],
  ['DataOutputStream', 'DataOutputStream', ['word'], [N.SocketApiJava, N.TcpByteStream], 'Writes bytes (and Java primitive values) to the stream.', 'generic'],
  ['accept', 'ServerSocket.accept()', ['method'], [N.TcpConnectionSocket, N.TcpFourTuple], 'Waits for the next client and returns a new `Socket` for it.', 'generic'],
  ['receive', 'DatagramSocket.receive()', ['method'], [N.UdpSenderAddress, N.UdpMessageBoundaries], "Waits for one datagram and fills the packet with its bytes and the sender's address and port.", 'generic'],
  ['send', 'DatagramSocket.send()', ['method'], [N.UdpExplicitDestination, N.UdpDatagramLimit], 'Sends one datagram to the address and port set in the packet.', 'generic'],
  ['bind', 'bind()', ['method'], [N.BindCall, N.PrivilegedPorts], 'Binds the socket to an `InetSocketAddress`.', 'generic'],
  ['connect', 'connect()', ['method'], [N.TcpHandshake, N.UdpConnectedSocket], 'TCP: opens the connection. UDP: fixes the default destination.', 'generic'],
  ['close', 'close()', ['method'], [N.TcpClose, N.TcpReset, N.SocketClosed], 'Closes the socket (TCP: the peer sees end-of-stream, or a reset if data it sent was left unread).', 'generic'],
  ['shutdownOutput', 'Socket.shutdownOutput()', ['method'], [N.TcpClose], 'Half-close: sends FIN, keeps reading.', 'generic'],
  ['getInputStream', 'Socket.getInputStream()', ['method'], [N.TcpByteStream], 'The receiving side of the byte stream.', 'generic'],
  ['getOutputStream', 'Socket.getOutputStream()', ['method'], [N.TcpByteStream, N.TcpSendAll], 'The sending side of the byte stream (`write` sends every byte given).', 'generic'],
  ['readLine', 'readLine()', ['method'], [N.TcpFraming], 'Reads up to the next newline: one way to find message boundaries in a stream.', 'generic'],
  ['setSoTimeout', 'setSoTimeout()', ['method'], [N.Blocking], 'Makes `accept`/`receive`/`read` throw `SocketTimeoutException` after that many milliseconds.', 'generic'],
  ['setReuseAddress', 'setReuseAddress()', ['method'], [N.ReuseAddr], 'Sets `SO_REUSEADDR` (call it before binding).', 'generic'],
  ['getLocalPort', 'getLocalPort()', ['method'], [N.EphemeralPorts], "The socket's own port (the one the OS picked for a client).", 'generic'],
  ['ConnectException', 'ConnectException', ['word'], [N.ConnectionRefused], '"Connection refused": nothing listens on that port.'],
  ['BindException', 'BindException', ['word'], [N.AddressInUse, N.PrivilegedPorts], '"Address already in use", or a port that needs privileges.'],
  ['SocketTimeoutException', 'SocketTimeoutException', ['word'], [N.Blocking], 'A call on a socket with `setSoTimeout` took too long.'],
  ['UnknownHostException', 'UnknownHostException', ['word'], [N.HostResolution], 'The host name could not be resolved.'],
  ['SocketException', 'SocketException', ['word'], [N.SocketErrors, N.ConnectionReset], 'A socket call failed (its message names the reason, e.g. "Connection reset").'],
]);

// One row per identifier reads as a table: keep it out of the formatter.
// prettier-ignore
const C = table([
  ['socket', 'socket()', ['call'], [N.SocketCreate, N.SocketApiC], 'Creates a socket and returns its descriptor: `socket(AF_INET, SOCK_DGRAM, 0)` for UDP, `SOCK_STREAM` for TCP.', 'generic'],
  ['bind', 'bind()', ['call'], [N.BindCall, N.PrivilegedPorts, N.AddressInUse], 'Gives the socket its local address and port (a `struct sockaddr_in` with `htons(port)`).', 'generic'],
  ['listen', 'listen()', ['call'], [N.TcpWelcomingSocket, N.TcpListenBacklog], 'Turns a bound TCP socket into a welcoming socket; the second argument is the backlog.', 'generic'],
  ['accept', 'accept()', ['call'], [N.TcpConnectionSocket, N.TcpFourTuple], "Waits for the next client and returns a new descriptor for that connection (and the client's address).", 'generic'],
  ['connect', 'connect()', ['call'], [N.TcpHandshake, N.ConnectionRefused, N.UdpConnectedSocket], 'TCP: runs the three-way handshake. UDP: fixes the default destination.', 'generic'],
  ['send', 'send()', ['call'], [N.TcpSendAll, N.TcpByteStream], 'Sends on a connected socket; returns how many bytes it took, which may be fewer than asked.', 'generic'],
  ['recv', 'recv()', ['call'], [N.TcpByteStream, N.TcpFraming, N.Blocking], 'Returns up to `len` bytes of whatever has arrived; 0 means the peer closed.', 'generic'],
  ['sendto', 'sendto()', ['call'], [N.UdpExplicitDestination, N.UdpDatagramLimit], 'Sends one datagram to the address given with it.'],
  ['recvfrom', 'recvfrom()', ['call'], [N.UdpSenderAddress, N.UdpMessageBoundaries], 'Waits for one datagram and fills in the address it came from.'],
  ['close', 'close()', ['call'], [N.TcpClose, N.TcpReset, N.SocketClosed], 'Releases the descriptor; on TCP the peer sees end-of-stream, or a reset (RST) if data it sent was left unread.', 'generic'],
  ['closesocket', 'closesocket()', ['call'], [N.TcpClose, N.BerkeleySockets], "Winsock's `close()` for sockets."],
  ['shutdown', 'shutdown()', ['call'], [N.TcpClose], 'Ends one or both directions (`SHUT_WR` sends FIN but keeps reading).', 'generic'],
  ['setsockopt', 'setsockopt()', ['call'], [N.ReuseAddr], 'Sets a socket option, e.g. `SO_REUSEADDR` before `bind`.'],
  ['getaddrinfo', 'getaddrinfo()', ['call'], [N.HostResolution, N.LocalhostIpv6], 'Resolves a host and service into a list of addresses to try.'],
  ['gethostbyname', 'gethostbyname()', ['call'], [N.HostResolution], 'Resolves a host name to IPv4 addresses (obsolete: use `getaddrinfo`).'],
  ['getsockname', 'getsockname()', ['call'], [N.EphemeralPorts], "Fills in the socket's own address: how a client learns the port the OS picked."],
  ['htons', 'htons()', ['call'], [N.PortNumbers], 'Puts a 16-bit port number into network byte order (big-endian) for `sin_port`.', 'generic'],
  ['ntohs', 'ntohs()', ['call'], [N.PortNumbers], 'Reads a 16-bit port number from network byte order.', 'generic'],
  ['inet_pton', 'inet_pton()', ['call'], [N.HostResolution, N.LoopbackBind], 'Parses a textual IPv4/IPv6 address into binary form.'],
  ['inet_ntop', 'inet_ntop()', ['call'], [N.UdpSenderAddress], 'Formats a binary address as text, e.g. the sender from `recvfrom`.'],
  ['WSAStartup', 'WSAStartup()', ['call'], [N.BerkeleySockets], 'Winsock needs this once before any socket call on Windows.'],
  ['AF_INET', 'AF_INET', ['word'], [N.SocketCreate], 'Address family IPv4 (`struct sockaddr_in`).'],
  ['AF_INET6', 'AF_INET6', ['word'], [N.SocketCreate, N.LocalhostIpv6], 'Address family IPv6 (`struct sockaddr_in6`).'],
  ['SOCK_DGRAM', 'SOCK_DGRAM', ['word'], [N.SocketCreate, N.UdpNoConnection], 'Socket type for UDP: separate datagrams, no connection.'],
  ['SOCK_STREAM', 'SOCK_STREAM', ['word'], [N.SocketCreate, N.TcpReliableInOrder], 'Socket type for TCP: a connection carrying a reliable, in-order byte stream.'],
  ['INADDR_ANY', 'INADDR_ANY', ['word'], [N.LoopbackBind], 'Bind to every local address (0.0.0.0): reachable from other machines.'],
  ['INADDR_LOOPBACK', 'INADDR_LOOPBACK', ['word'], [N.LoopbackBind], '127.0.0.1: reachable from this machine only.'],
  ['SOL_SOCKET', 'SOL_SOCKET', ['word'], [N.ReuseAddr], 'The option level of socket-wide options.'],
  ['SO_REUSEADDR', 'SO_REUSEADDR', ['word'], [N.ReuseAddr, N.AddressInUse], 'Lets a server bind its port again while old connections linger in TIME_WAIT.'],
  ['SHUT_WR', 'SHUT_WR', ['word'], [N.TcpClose], 'Half-close: no more sending, keep receiving.'],
  ['sockaddr_in', 'struct sockaddr_in', ['word'], [N.BindCall, N.PortNumbers], 'An IPv4 address and port (`sin_family`, `sin_port` in network order, `sin_addr`).'],
  ['sockaddr_in6', 'struct sockaddr_in6', ['word'], [N.BindCall, N.LocalhostIpv6], 'An IPv6 address and port.'],
  ['EADDRINUSE', 'EADDRINUSE', ['word'], [N.AddressInUse], '"Address already in use".'],
  ['ECONNREFUSED', 'ECONNREFUSED', ['word'], [N.ConnectionRefused], '"Connection refused": nothing listens on that port.'],
  ['ECONNRESET', 'ECONNRESET', ['word'], [N.ConnectionReset], '"Connection reset by peer".'],
  ['EACCES', 'EACCES', ['word'], [N.PrivilegedPorts], '"Permission denied": from bind(), a port below 1024; from sendto(), a broadcast address without `SO_BROADCAST`.'],
]);

/** What a call means instead in a file that creates only UDP sockets: its notes and, where it differs, its summary. */
type UdpVariant = { readonly notes: readonly string[]; readonly summary?: string };

const UDP_CLOSE: UdpVariant = {
  // UDP has no connection to end: lead with that, not with "using a socket after it was closed".
  notes: [N.UdpNoConnection, N.SocketClosed],
  summary: 'Releases the socket and its port; nothing is sent to anyone (UDP has no connection to end).',
};
const UDP_CONNECT: UdpVariant = {
  notes: [N.UdpConnectedSocket],
  summary:
    'On a UDP socket: no handshake, nothing is sent; it only fixes the default destination (and filters what arrives).',
};

/** Python's ConnectionResetError and C's ECONNRESET in a UDP file: only Windows reports them there. */
const UDP_RESET: UdpVariant = {
  notes: [N.UdpConnectedSocket, N.ConnectionRefused],
  summary:
    'On a UDP socket (Windows): an earlier datagram came back as ICMP "port unreachable"; nothing is bound there. No TCP reset is involved.',
};

/**
 * The calls that mean something else on a UDP socket: `close()` sends no FIN, `connect()` only fixes the
 * default destination, `recv()` returns one whole datagram (0 bytes is an empty datagram, not a close), and a
 * `send()` sends one datagram whole or fails. Java's and Node's `send` are the UDP send already (with the
 * destination in the packet or the call), so they keep their own entry.
 */
export const UDP_VARIANTS: Readonly<Record<ApiLanguage, Readonly<Record<string, UdpVariant>>>> = {
  python: {
    close: UDP_CLOSE,
    connect: UDP_CONNECT,
    recv: {
      notes: [N.UdpMessageBoundaries, N.UdpConnectedSocket],
      summary:
        "On a UDP socket: returns one whole datagram (up to `bufsize` bytes; the rest of a longer one is lost). `b''` is an empty datagram, not a close.",
    },
    ConnectionResetError: UDP_RESET,
    send: {
      notes: [N.UdpConnectedSocket, N.UdpExplicitDestination],
      summary:
        'On a connected UDP socket: sends one datagram to the address given to `connect()`, whole or not at all (no need for `sendall`).',
    },
  },
  c: {
    close: UDP_CLOSE,
    connect: UDP_CONNECT,
    recv: {
      notes: [N.UdpMessageBoundaries, N.UdpConnectedSocket],
      summary:
        'On a UDP socket: returns one whole datagram (the rest of one longer than `len` is discarded); 0 means an empty datagram arrived, not that anyone closed.',
    },
    ECONNRESET: UDP_RESET,
    send: {
      notes: [N.UdpConnectedSocket, N.UdpDatagramLimit],
      summary:
        'On a connected UDP socket: sends one datagram, whole or not at all (`EMSGSIZE` when it is too big).',
    },
  },
  java: { close: UDP_CLOSE, connect: UDP_CONNECT },
  javascript: { close: UDP_CLOSE, connect: UDP_CONNECT },
};

/** Every entry, per language family (tests check that each note id exists). */
export const API_TABLES: Readonly<Record<ApiLanguage, readonly ApiEntry[]>> = {
  python: PYTHON,
  javascript: JAVASCRIPT,
  java: JAVA,
  c: C,
};

export const byName: Record<ApiLanguage, Map<string, ApiEntry[]>> = {
  python: index(PYTHON),
  javascript: index(JAVASCRIPT),
  java: index(JAVA),
  c: index(C),
};

function index(entries: readonly ApiEntry[]): Map<string, ApiEntry[]> {
  const m = new Map<string, ApiEntry[]>();
  for (const e of entries) {
    m.set(e.name, [...(m.get(e.name) ?? []), e]);
  }
  return m;
}
