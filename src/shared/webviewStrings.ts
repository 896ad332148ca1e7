/**
 * The words of the two webviews, in English: the defaults built into each page and the keys of the tables the
 * host sends in its `init` message, translated into the display language (docs/architecture.md, Localisation).
 * `{0}`, `{1}` … are filled in by the page (shared/l10n.ts formatText). No `vscode`, no DOM, no Node.
 */

/** The traffic panel's words. */
export const TRAFFIC_STRINGS = {
  filterBySocket: 'Filter by socket',
  allSockets: 'All sockets',
  filterByProtocol: 'Filter by protocol',
  filterByEvent: 'Filter by event',
  allEvents: 'All events',
  received: 'Received',
  sent: 'Sent',
  lifecycle: 'Set-up, close, errors',
  impaired: 'Lost, delayed, duplicated',
  lostOnly: 'Lost only',
  filterTextPlaceholder: 'Filter text, address, port…',
  filterByText: 'Filter by text',
  follow: 'Follow new traffic (scroll to the newest entry)',
  pause: 'Pause the live view (traffic is still logged)',
  resume: 'Resume the live view',
  hexView: 'Show payloads as hex bytes instead of text',
  clearLog: 'Clear the traffic log',
  exportLog: 'Export the log as pcapng or JSON Lines',
  toolbar: 'Traffic log tools',
  columnTime: 'time',
  columnSocket: 'socket',
  columnEvent: 'event',
  columnPeer: 'peer',
  columnBytes: 'bytes',
  columnPayload: 'payload',
  columnNotes: 'notes',
  emptyLog:
    'No traffic yet. Start a server or a client from the Sockets view, then send something: every socket call appears here, explained.',
  logGrid: 'Traffic log: arrow keys select an entry',
  log: 'Traffic log',
  shownOf: '{0} of {1}',
  entry: '{0} entry',
  entries: '{0} entries',
  datagramLost: ' · {0} datagram lost',
  datagramsLost: ' · {0} datagrams lost',
  segmentResent: ' · {0} segment resent',
  segmentsResent: ' · {0} segments resent',
  evicted: ' · {0} evicted (counters stay exact)',
  sendFrom: 'Socket to send from',
  sendTo: 'to address:port',
  sendToLabel: 'Destination address:port (UDP)',
  message: 'Message to send',
  encoding: 'Encoding',
  encodingText: 'text',
  lineEnding: 'Line ending',
  noLineEnd: 'no line end',
  send: 'Send',
  sendTitle: 'Send (Enter)',
  sendBox: 'Send from a playground socket',
  noOpenSocket: 'no open socket',
  sendFromSocket: 'Send from {0} ({1})',
  noSocketToSendFrom: 'No open socket to send from',
  sending: 'Sending…',
  sentBytes: 'Sent {0} bytes.',
  badDestination: 'Give the destination as address:port, e.g. 127.0.0.1:50000.',
  portOutOfRange: 'Port {0} is out of range: a UDP port is 1 to 65535.',
  openSocketFirst: 'Open a socket first.',
  messageTooLong: 'The message is {0} characters; the send box takes at most {1}.',
  resizeDiagram: 'Resize the sequence diagram and the detail',
  resizeLog: 'Resize the traffic log',
  logCleared: 'The log was cleared.',
  diagramScope: 'Which lanes the diagram draws',
  allLanes: 'All lanes in view',
  selectedConversation: 'Selected conversation',
  diagram: 'Sequence diagram',
  diagramSelect: 'Select an entry: the diagram then draws only its conversation.',
  diagramEmpty:
    'The sequence diagram draws each socket as a lane and each datagram, handshake and close as an arrow.',
  detailEmpty: 'Select an entry to see its bytes, the notes that explain it, and the socket call behind it.',
  detail: 'Detail',
  noSuchEntry: 'No such entry.',
  laneUdpServer: 'UDP server',
  laneUdpClient: 'UDP client',
  laneTcpServer: 'TCP server (welcoming)',
  laneConnection: 'connection socket',
  laneTcpClient: 'TCP client',
  laneRelay: 'relay',
  laneRelayOf: '{0} relay',
  laneLegClient: 'relay leg (client side)',
  laneLegServer: 'relay leg (to server)',
  laneOutside: 'outside peer',
  lost: 'lost',
  factSocket: 'socket',
  factTime: 'time',
  factLocal: 'local',
  factRemote: 'remote',
  factBytes: 'bytes',
  payloadAsText: 'Payload as text',
  payloadKept: ' (first {0} of {1} bytes kept)',
  hexDump: 'Hex dump',
  payloadGone:
    'The payload is no longer kept (the log keeps payloads within a memory budget); the byte count is exact.',
  whyThisHappened: 'Why this happened',
  openNoteButton: 'Open note',
  openNoteInPanel: 'Open "{0}" in the notes panel',
  theSocketCall: 'The socket call',
  diagramLabel:
    'Sequence diagram: {0} events between {1} sockets. Arrow keys move between events, Enter shows one.',
  // The detail pane: how a connection closed, what the simulated network did.
  closedByLocal: 'closed by this side',
  closedByPeerFin: 'the peer sent FIN (orderly close)',
  closedByReset: 'reset (RST): the connection was aborted',
  closedByServer: 'its server closed',
  impServerDrop:
    "The server's simulated loss dropped this datagram from {0} before recvfrom() could return it: the sender is not told, and gets no reply.",
  impServerDelay:
    "The server's simulated network held this datagram from {0} back before recvfrom() returned it.",
  impUdpDrop:
    "The relay's simulated network dropped this datagram: it never arrives at {0}, and neither side is told. UDP does not resend; only the application can notice (a timeout) and send again.",
  impTcpDrop:
    "The relay's simulated network lost this segment, so TCP resends it after a retransmission timeout: the bytes still reach {0}, complete and in order, only later. The application sees a delay, never a gap.",
  impUdpDelay:
    'The relay held this datagram back before sending it on to {0}; datagrams held for different times can overtake each other.',
  impTcpDelay:
    'The relay held these bytes back before writing them on to {0} (a delay, or the wait for a retransmission); bytes behind them wait too, so they stay in order.',
  impUdpDuplicate:
    'The relay delivers this datagram twice to {0}: UDP does not notice duplicates, the application must.',
  impTcpDuplicate: 'A duplicated segment: the receiving TCP discards the copy, so {0} gets these bytes once.',
  impUdpReorder:
    'The relay holds this datagram back so that a later one overtakes it on the way to {0}: UDP keeps no order.',
  impTcpReorder:
    "Reordered on the simulated network: TCP's sequence numbers put the bytes back in order before {0} reads them.",
  // The detail pane reading a payload as HTTP or SMTP (shared/appProtocol.ts).
  readAs: 'Read as {0}',
  appHttpRequest: 'HTTP request: {0}',
  appHttpResponse: 'HTTP response: {0}',
  appHttpRequestLine: 'method {0}, path {1}, version {2}',
  appHttpInformational: 'informational',
  appHttpSuccess: 'success',
  appHttpRedirection: 'redirection',
  appHttpClientError: 'client error',
  appHttpServerError: 'server error',
  appHttpStatus: 'status {0} ({1}){2}{3}',
  appHttpReason: ', reason "{0}"',
  appHttpNoReason: ', no reason phrase',
  appHttpUsualReason: '; the usual one is "{0}"',
  appNotAHeader: '(not a header)',
  appHeaderLine: '{0} header line',
  appHeaderLines: '{0} header lines',
  appNoHeaderLines: 'no header lines',
  appLine: '{0} line',
  appLines: '{0} lines',
  appByte: '{0} byte',
  appBytes: '{0} bytes',
  appMalformed: '{0} in the head without "Name: value"',
  appBareLfOne: 'line {0} ends with a bare \\n where {1} wants \\r\\n',
  appBareLfMany: '{0} lines end with a bare \\n where {1} wants \\r\\n',
  appNoBlankCapped: 'no blank line in the first {0} bytes',
  appNoBlankSegment:
    'no blank line in this segment: the head goes on in the next one, or the blank line is missing',
  appBlankLine: 'blank line ✓ (the head ends here)',
  appBodyBadLength: 'body {0}; Content-Length "{1}" is not a number',
  appBodyExact: 'body {0} (Content-Length {1} ✓)',
  appBodyShort: 'body {0} of {1} (Content-Length {2}): the rest comes in later segments, or is missing',
  appBodyLong:
    'body {0}, more than Content-Length {1}: the reader takes the {2} after it for the next message',
  appNoBody: 'no body',
  appNoBodyNoLength: 'no body in this segment, and no Content-Length',
  appBodyNoLengthRequest: 'body {0} without a Content-Length: the server cannot tell where it ends',
  appBodyNoLengthResponse: 'body {0}, no Content-Length: it ends when the server closes the connection',
  appHeader: 'header',
  appValue: 'value',
  appCapped: 'only the first {0} of {1} bytes read here',
  smtp211: 'system status',
  smtp214: 'help',
  smtp220: 'service ready',
  smtp221: 'closing the connection',
  smtp250: 'OK',
  smtp251: 'user not local; will forward',
  smtp252: 'cannot verify the user; will try',
  smtp354: 'start the mail input; end it with <CRLF>.<CRLF>',
  smtp421: 'service not available, closing',
  smtp450: 'mailbox unavailable (try again later)',
  smtp451: 'aborted: local error',
  smtp452: 'insufficient storage',
  smtp500: 'syntax error, command unrecognised',
  smtp501: 'syntax error in the parameters',
  smtp502: 'command not implemented',
  smtp503: 'bad sequence of commands',
  smtp504: 'parameter not implemented',
  smtp550: 'mailbox unavailable',
  smtp551: 'user not local',
  smtp552: 'exceeded the storage allocation',
  smtp553: 'mailbox name not allowed',
  smtp554: 'transaction failed',
  smtpSuccess: 'success',
  smtpGoOn: 'go on',
  smtpTryLater: 'try again later',
  smtpFailed: 'failed',
  smtpReplyTitle: 'SMTP reply {0} ({1})',
  smtpMultiLine: 'a multi-line reply: {0}, "{1}-" on all but the last, "{1} " on the last ✓',
  smtpMultiLineBad: '{0}: a multi-line reply has "-" after the code on every line but the last',
  smtpReply: '{0} reply',
  smtpReplies: '{0} replies',
  smtpSeveralReplies: '{0} in one segment (codes {1})',
  smtpGoesOn: '"{0}-": the reply goes on in the next line',
  smtpNoLineEnd: 'the last line has no line end in this segment',
  smtpCode: 'code',
  smtpText: 'text',
  smtpSeveralCommands:
    '{0} commands in one segment: a client waits for the reply to each command before it sends the next',
  smtpThenOther: 'then {0} of other text',
  smtpCommandNoLineEnd: 'the last line has no line end in this segment: SMTP commands end with \\r\\n',
  smtpEndedCrlf: 'ended by \\r\\n ✓',
  smtpCommandTitle: 'SMTP command: {0}',
  smtpCommandsTitle: 'SMTP commands: {0}',
  smtpCommand: 'command',
  smtpArgument: 'argument',
  smtpDataLines: '{0} of message',
  smtpDataEnd: 'ended by <CRLF>.<CRLF> ✓',
  smtpDataBareEnd: 'ends with "." on a line of its own, but with a bare \\n where SMTP wants <CRLF>.<CRLF>',
  smtpDotStuffed: '{0} dot-stuffed (".." for a line that starts with ".")',
  smtpDataTitle: 'SMTP mail data (after DATA)',
} as const;

/** The notes panel's words. */
export const NOTES_STRINGS = {
  search: 'Search the notes',
  contents: 'Table of contents',
  contentsButton: 'Contents',
  back: 'Back to the previous note',
  followCursor: 'Follow cursor',
  noMatch: 'No note mentions all of these words.',
  following: 'The panel shows the note for the socket call under the cursor. Click to stop following.',
  notFollowing: 'Click to show the note for the socket call under the cursor.',
  forSymbol: ' For ',
  inFile: ' in {0}:{1}',
  topics: 'Topics',
  openNote: 'Open “{0}”',
  seeAlso: 'See also',
  codeLanguage: 'Language of the code',
  insertAtCursor: 'Insert at Cursor',
  insertTitle: 'Insert the {0} code at the cursor in the editor',
  code: 'Code',
  codeOf: '{0} code',
} as const;

export type TrafficStrings = { [K in keyof typeof TRAFFIC_STRINGS]: string };
export type NotesStrings = { [K in keyof typeof NOTES_STRINGS]: string };

/** Longest translation a page accepts (the longest English one is under 200 characters). */
const MAX_STRING = 1000;

/**
 * Checks a table from the host against the defaults: a known key with a string of sane length replaces its
 * default; anything else (a missing key, a wrong type, an unknown key) is ignored, so the page always has words.
 */
export function readStrings<T extends Record<string, string>>(defaults: T, x: unknown): T {
  const out: Record<string, string> = { ...defaults };
  if (x && typeof x === 'object' && !Array.isArray(x)) {
    for (const key of Object.keys(defaults)) {
      const v = (x as Record<string, unknown>)[key];
      if (typeof v === 'string' && v.trim() !== '' && v.length <= MAX_STRING) {
        out[key] = v;
      }
    }
  }
  return out as T;
}
