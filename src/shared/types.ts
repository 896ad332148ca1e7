/** Types of the public contract (docs/contract.md). Pure data, shared by every runtime. */

export type SocketId = string;

export type Endpoint = { address: string; port: number };

export type SocketKind =
  'udp-server' | 'udp-client' | 'tcp-server' | 'tcp-connection' | 'tcp-client' | 'relay';

export type SocketState =
  'opening' | 'listening' | 'bound' | 'connecting' | 'open' | 'closing' | 'closed' | 'error';

export type Behavior = 'uppercase' | 'echo' | 'sink' | 'fixed';

export type Framing = 'chunk' | 'line';

export type Encoding = 'utf8' | 'hex' | 'base64';

export type Protocol = 'udp' | 'tcp';

export type Impairment = {
  loss?: number;
  delayMs?: number;
  jitterMs?: number;
  reorder?: number;
  duplicate?: number;
  seed?: number;
};

export type ErrorInfo = { code?: string; message: string };

export type SocketInfo = {
  id: SocketId;
  kind: SocketKind;
  state: SocketState;
  label: string;
  local: Endpoint;
  remote?: Endpoint;
  /** tcp-connection -> its tcp-server; relay legs -> their relay. */
  parentId?: SocketId;
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  behavior?: Behavior;
  error?: ErrorInfo;
};

/** The log's events, in the order rows and the log's columns number them. */
export const TRAFFIC_EVENTS = [
  'bind',
  'listen',
  'accept',
  'connect',
  'send',
  'receive',
  'close',
  'error',
  'drop',
  'delay',
  'duplicate',
  'reorder',
] as const;

export type TrafficEvent = (typeof TRAFFIC_EVENTS)[number];

/** Who ended a connection, for `close` entries. */
export type CloseReason = 'local' | 'peer-fin' | 'reset' | 'server-closed';

export type NoteRef = { id: string; title: string };

/** One traffic log entry, exactly as exported (docs/contract.md, section The traffic log). */
export type TrafficEntry = {
  seq: number;
  /** ISO 8601 */
  time: string;
  socketId: SocketId;
  protocol: Protocol;
  event: TrafficEvent;
  local: Endpoint;
  remote?: Endpoint;
  bytes: number;
  /** base64 of the payload, at most socketPlayground.maxPayloadBytes */
  data?: string;
  truncated?: boolean;
  notes: NoteRef[];
  error?: ErrorInfo;
  /** For `close`: who closed (local, peer FIN, reset). Optional, so readers of older exports keep working. */
  closedBy?: CloseReason;
};

/** The facts about an event that note matching looks at: what `annotate` needs, nothing more. */
export type AnnotationInput = {
  kind: SocketKind;
  protocol: Protocol;
  event: TrafficEvent;
  local: Endpoint;
  remote?: Endpoint;
  errorCode?: string;
  closedBy?: CloseReason;
};
