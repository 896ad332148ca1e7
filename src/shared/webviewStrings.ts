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
