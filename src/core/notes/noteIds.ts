/**
 * The shape of a course note and the ids the engine, the matcher and the language features refer to. The notes
 * themselves are content (notes/builtin/, one Markdown file per note); this file holds no note text.
 */
import type { MdBlock } from '../../shared/markdownTree';

export type NoteCode = { python?: string; c?: string; java?: string; javascript?: string };

export type Note = {
  /** Stable kebab-case id. */
  id: string;
  title: string;
  /** Lower-case tags; `api:<call>` names each socket call the note explains. */
  topics: string[];
  /** The moments the note explains (moments.ts): where the matcher shows it. */
  explains: string[];
  /** Markdown, without the code samples (hovers show it as Markdown text). */
  body: string;
  /** The body as a syntax tree: what the webviews render. */
  tree: MdBlock[];
  code?: NoteCode;
  seeAlso?: string[];
  /** The id of the pack the note comes from (`builtin` for the project's own). */
  pack: string;
  /** The pack's language (a BCP 47 tag such as `en` or `es`). */
  language: string;
};

/** Named ids for the notes the engine refers to in code (the matcher finds the rest through their `explains`). */
export const NoteId = {
  // slide topics
  LayersDivisionOfLabor: 'layers-division-of-labor',
  PortNumbers: 'port-numbers',
  EphemeralPorts: 'ephemeral-ports',
  PrivilegedPorts: 'privileged-ports',
  BerkeleySockets: 'berkeley-sockets',
  SocketApiC: 'socket-api-c',
  SocketApiPython: 'socket-api-python',
  SocketApiJava: 'socket-api-java',
  SocketCreate: 'socket-create',
  BindCall: 'bind-call',
  LoopbackBind: 'loopback-bind',
  UdpNoConnection: 'udp-no-connection',
  UdpExplicitDestination: 'udp-explicit-destination',
  UdpSenderAddress: 'udp-sender-address',
  UdpMessageBoundaries: 'udp-message-boundaries',
  UdpDatagramLimit: 'udp-datagram-limit',
  UdpConnectedSocket: 'udp-connected-socket',
  UdpLossReorder: 'udp-loss-reorder',
  UdpClientProgram: 'udp-client-program',
  UdpServerProgram: 'udp-server-program',
  TcpServerFirst: 'tcp-server-first',
  TcpWelcomingSocket: 'tcp-welcoming-socket',
  TcpListenBacklog: 'tcp-listen-backlog',
  TcpConnectionSocket: 'tcp-connection-socket',
  TcpFourTuple: 'tcp-four-tuple',
  TcpHandshake: 'tcp-handshake',
  TcpByteStream: 'tcp-byte-stream',
  TcpFraming: 'tcp-message-framing',
  TcpSendAll: 'tcp-send-all',
  TcpReliableInOrder: 'tcp-reliable-in-order',
  TcpClose: 'tcp-close',
  TcpReset: 'tcp-reset',
  TcpConcurrentClients: 'tcp-concurrent-clients',
  TcpClientProgram: 'tcp-client-program',
  TcpServerProgram: 'tcp-server-program',
  Summary: 'summary',
  // slide corrections
  Python2vs3: 'python2-vs-python3',
  PythonImportStar: 'python-import-star',
  SlideTypos: 'slide-code-typos',
  // errors and pitfalls
  SocketErrors: 'socket-errors',
  AddressInUse: 'address-in-use',
  ReuseAddr: 'reuse-addr',
  ConnectionRefused: 'connection-refused',
  ConnectionReset: 'connection-reset',
  ConnectTimeout: 'connect-timeout',
  AddressNotAvailable: 'address-not-available',
  HostResolution: 'host-resolution',
  LocalhostIpv6: 'localhost-ipv6',
  SocketClosed: 'socket-closed',
  SocketCallOrder: 'socket-call-order',
  Blocking: 'blocking-and-timeouts',
  PayloadEncoding: 'payload-encoding',
  // the playground itself
  Impairment: 'impairment',
  // what the labs teach (the UDP Pinger)
  MeasuringRtt: 'measuring-rtt',
  LossRate: 'loss-rate',
  // written for the course errata: broadcast, broken pipe, ETIMEDOUT on a working connection, reaching another
  // machine, reading to the end, line framing, select, the welcoming socket in the loop, Wireshark's Decode As
  UdpBroadcast: 'udp-broadcast',
  BrokenPipe: 'broken-pipe',
  EstablishedTimeout: 'established-timeout',
  ReachFromAnotherMachine: 'reach-from-another-machine',
  RecvLoopEof: 'recv-loop-eof',
  LineFramingAcrossLanguages: 'line-framing-across-languages',
  SelectSelectors: 'select-and-selectors',
  WelcomingSocketInLoop: 'welcoming-socket-in-loop',
  WiresharkDecodeAs: 'wireshark-decode-as',
  // what the protocol labs teach (the web server, the SMTP client)
  HttpMessages: 'http-request-response',
  HttpStatusCodes: 'http-status-codes',
  HttpMessageEnd: 'http-content-length-blank-line',
  ProtocolFraming: 'protocol-framing-over-tcp',
  SmtpDialogue: 'smtp-dialogue',
  SmtpReplyCodes: 'smtp-reply-codes',
  SmtpDotStuffing: 'smtp-dot-stuffing',
  CrlfLineEnds: 'crlf-line-ends',
} as const;

export type NoteIdValue = (typeof NoteId)[keyof typeof NoteId];
