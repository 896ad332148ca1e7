/** What every playground socket shares: identity, explicit state, exact counters, and logging with notes. */
import { notesFor } from '../notes/annotate';
import { notesGeneration } from '../notes/notes';
import { Emitter, type Event } from '../events';
import type { AppendInput, TrafficLog } from '../traffic/trafficLog';
import { formatEndpoint } from '../../shared/endpoint';
import { englishText, joinText, text, type Text, type TextArg } from '../../shared/l10n';
import {
  bytesText,
  compactWhere,
  counted,
  escapeMarkdown,
  markdownTableText,
  rowNameText,
  STATE_TEXT,
  stateTone,
  type SocketRow,
} from './socketView';
import type {
  Behavior,
  CloseReason,
  Endpoint,
  ErrorInfo,
  NoteRef,
  Protocol,
  SocketId,
  SocketInfo,
  SocketKind,
  SocketState,
  TrafficEvent,
} from '../../shared/types';
import { TRAFFIC_EVENTS } from '../../shared/types';

/** The notes cache's key for an event with a peer on a well-known port (made once, not per entry). */
const LOW_PORT_KEY = Object.fromEntries(TRAFFIC_EVENTS.map((e) => [e, `${e}<1024`])) as Record<
  TrafficEvent,
  string
>;

/** What a socket needs from the engine that owns it. */
export type SocketContext = {
  readonly log: TrafficLog;
  /** Registers a socket the engine did not create itself (a TCP server's accepted connections). */
  adopt(socket: PlaygroundSocket): void;
  /** A socket that closed is told to the engine, which may forget it. */
  closed(socket: PlaygroundSocket): void;
  newId(kind: SocketKind): SocketId;
};

/** What the tree calls each kind, and its codicon. */
const KIND_LABEL: Record<SocketKind, string> = {
  'udp-server': 'UDP server',
  'udp-client': 'UDP client',
  'tcp-server': 'TCP server',
  'tcp-connection': 'TCP connection',
  'tcp-client': 'TCP client',
  relay: 'Relay',
};

/** The tooltip rows of what a socket received and sent (a relay, whose legs carry the bytes, leaves them out). */
export const IN = text('in');
export const OUT = text('out');

const KIND_ICON: Record<SocketKind, string> = {
  'udp-server': 'broadcast',
  'udp-client': 'send',
  'tcp-server': 'server-process',
  'tcp-connection': 'plug',
  'tcp-client': 'debug-disconnect',
  relay: 'arrow-swap',
};

export type LogExtra = { error?: ErrorInfo; closedBy?: CloseReason; errorCode?: string };

export abstract class PlaygroundSocket {
  state: SocketState;
  local: Endpoint = { address: '', port: 0 };
  remote?: Endpoint;
  behavior?: Behavior;
  error?: ErrorInfo;
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  messagesOut = 0;

  protected readonly stateEmitter = new Emitter<PlaygroundSocket>();
  /** Fired when state, endpoints or error change (not on every byte: counters are read when drawn). */
  readonly onDidChangeState: Event<PlaygroundSocket> = this.stateEmitter.event;

  constructor(
    readonly id: SocketId,
    readonly kind: SocketKind,
    readonly protocol: Protocol,
    protected readonly ctx: SocketContext,
    initialState: SocketState,
    readonly parentId?: SocketId,
  ) {
    this.state = initialState;
  }

  /** A short human label, e.g. "UDP server 127.0.0.1:12000". */
  abstract get label(): string;

  /** Sends bytes (UDP: one datagram; TCP: onto the stream) and resolves with the count handed to the OS. */
  abstract send(data: Buffer, to?: Endpoint): Promise<number>;

  /** Closes and releases the port; resolves when the OS handle is closed. Idempotent. */
  abstract close(): Promise<void>;

  /** Best-effort, synchronous, idempotent close. */
  dispose(): void {
    void this.close().catch(() => undefined);
  }

  get isOpen(): boolean {
    return this.state === 'bound' || this.state === 'listening' || this.state === 'open';
  }

  info(): SocketInfo {
    const i: SocketInfo = {
      id: this.id,
      kind: this.kind,
      state: this.state,
      label: this.label,
      local: { ...this.local },
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
    };
    if (this.remote) {
      i.remote = { ...this.remote };
    }
    if (this.parentId) {
      i.parentId = this.parentId;
    }
    if (this.behavior) {
      i.behavior = this.behavior;
    }
    if (this.error) {
      i.error = { ...this.error };
    }
    return i;
  }

  /** True for a socket that answers what it receives (a loop between two of them would never end). */
  get replies(): boolean {
    return false;
  }

  /** The socket's row in the Sockets tree. Subclasses adjust the parts (label, summary, tooltip rows). */
  describe(): SocketRow {
    const label = this.rowLabel();
    const where = this.rowWhere();
    const prefix = this.rowPrefix();
    const state = STATE_TEXT[this.state];
    const suffix = this.rowSuffix();
    // Each part is a translatable text; the row's strings are their English (what tests and logs read).
    const tooltip = joinText(
      [
        joinText(['**', rowNameText(label), '** `', this.id, '` — ', state, '\n\n'], ''),
        markdownTableText(this.tooltipRows()),
        this.tooltipNote(),
        this.error
          ? `\n$(error) ${escapeMarkdown(this.error.code ?? '')} ${escapeMarkdown(this.error.message)}\n`
          : '',
      ],
      '',
    );
    const description = joinText(
      [prefix, compactWhere(where), this.rowSummary(), this.isOpen ? '' : state, suffix].filter(
        (p) => p !== '',
      ),
      ' · ',
    );
    const accessibility = text(
      '{0} {1}, {2}{3}, {4} bytes in, {5} bytes out',
      rowNameText(label),
      where,
      state,
      prefix ? joinText([', ', prefix], '') : '',
      this.bytesIn,
      this.bytesOut,
    );
    const row: SocketRow = {
      id: this.id,
      label,
      description: englishText(description),
      tooltip: englishText(tooltip),
      contextValue: `${this.kind}:${this.state}`,
      icon: KIND_ICON[this.kind],
      tone: stateTone(this.state),
      accessibility: englishText(accessibility),
      expandable: this.hasChildren,
      descriptionText: description,
      tooltipText: tooltip,
      accessibilityText: accessibility,
    };
    const group = this.rowGroup();
    if (group) {
      row.group = group;
    }
    return row;
  }

  /** Rows the socket keeps under its own for a while, though they are no sockets any more (closed ones). */
  retainedRows(): SocketRow[] {
    return [];
  }

  /** True for sockets drawn with children (a server's connections, a relay's legs). */
  protected get hasChildren(): boolean {
    return false;
  }

  /** What an impairment did and its seed, for sockets that have one (relays). */
  protected get impairmentView():
    { readonly summaryText: Text | ''; readonly seedText: Text | '' } | undefined {
    return undefined;
  }

  protected rowLabel(): string {
    return this.kind === 'relay' ? `${this.protocol.toUpperCase()} relay` : KIND_LABEL[this.kind];
  }

  protected rowWhere(): string {
    return this.remote
      ? `${formatEndpoint(this.local)} → ${formatEndpoint(this.remote)}`
      : formatEndpoint(this.local);
  }

  /** What it carried, in a few characters. */
  protected rowSummary(): TextArg {
    return `↓${bytesText(this.bytesIn)} ↑${bytesText(this.bytesOut)}`;
  }

  /** Said first (the end of a narrow row is cut off): what an impairment did. */
  protected rowPrefix(): Text | '' {
    return this.impairmentView?.summaryText ?? '';
  }

  /** Said last: details worth a glance (a seed, when an idle mapping expires). */
  protected rowSuffix(): Text | '' {
    return this.impairmentView?.seedText ?? '';
  }

  protected rowGroup(): SocketRow['group'] {
    return undefined;
  }

  /** The tooltip's table: a name and a value (Markdown) a row. */
  protected tooltipRows(): Array<[Text, TextArg]> {
    const rows: Array<[Text, TextArg]> = [[text('local'), `\`${formatEndpoint(this.local)}\``]];
    if (this.remote) {
      rows.push([
        this.kind === 'relay' ? text('target') : text('remote'),
        `\`${formatEndpoint(this.remote)}\``,
      ]);
    }
    if (this.behavior) {
      rows.push([text('behaviour'), this.behavior]);
    }
    const udp = this.protocol === 'udp';
    rows.push([
      IN,
      text('{0} in {1}', counted(this.bytesIn, 'byte'), counted(this.messagesIn, udp ? 'datagram' : 'chunk')),
    ]);
    rows.push([
      OUT,
      text(
        '{0} in {1}',
        counted(this.bytesOut, 'byte'),
        counted(this.messagesOut, udp ? 'datagram' : 'write'),
      ),
    ]);
    return rows;
  }

  /** Markdown after the table (a sentence that explains the row), or ''. */
  protected tooltipNote(): Text | '' {
    return '';
  }

  protected setState(state: SocketState): void {
    if (this.state !== state) {
      this.state = state;
      this.stateEmitter.fire(this);
    }
  }

  /** The log input this socket's entries are written through (see appendEntry). */
  private appendInput: AppendInput | undefined;
  /** Notes for plain traffic events, cached per event and port class: this is the hot path of every datagram. */
  private readonly notesCache = new Map<string, NoteRef[]>();
  /** The notes' generation the cache was filled from: a course pack loaded or edited empties it. */
  private notesCacheGeneration = notesGeneration();

  /** Appends one traffic entry for this socket, with the notes that explain it (the payload is copied). */
  protected record(
    event: TrafficEvent,
    bytes: number,
    payload?: Buffer,
    remote?: Endpoint,
    extra?: LogExtra,
  ): number {
    return this.appendEntry(event, bytes, payload, remote, extra, false);
  }

  /**
   * Like record, for a buffer of its own that nobody writes to again (a chunk read from the socket, a reply made
   * for it): the log may keep it rather than copy it, which spares a bulk transfer a copy of every byte.
   */
  protected recordOwned(event: TrafficEvent, payload: Buffer, remote?: Endpoint, timeMs?: number): number {
    return this.appendEntry(event, payload.length, payload, remote, undefined, true, timeMs);
  }

  private appendEntry(
    event: TrafficEvent,
    bytes: number,
    payload: Buffer | undefined,
    remote: Endpoint | undefined,
    extra: LogExtra | undefined,
    payloadOwned: boolean,
    timeMs?: number,
  ): number {
    const peer = remote ?? this.remote;
    let notes: NoteRef[] | undefined;
    if (!extra) {
      if (this.notesCacheGeneration !== notesGeneration()) {
        this.notesCache.clear();
        this.notesCacheGeneration = notesGeneration();
      }
      const key = peer && peer.port < 1024 ? LOW_PORT_KEY[event] : event;
      notes = this.notesCache.get(key);
      if (!notes) {
        notes = this.computeNotes(event, peer, extra);
        this.notesCache.set(key, notes);
      }
    } else {
      notes = this.computeNotes(event, peer, extra);
    }
    // One input object per socket, filled for each entry: the log copies what it keeps and holds no reference
    // to the input, and an object less per datagram is garbage the collector never sees.
    const input = (this.appendInput ??= {
      socketId: this.id,
      protocol: this.protocol,
      event,
      local: this.local,
      remote: undefined,
      bytes: 0,
      payload: undefined,
      payloadOwned: false,
      notes,
      error: undefined,
      closedBy: undefined,
      timeMs: undefined,
      ids: undefined,
    });
    input.event = event;
    input.local = this.local;
    input.remote = peer;
    input.bytes = bytes;
    input.payload = payload;
    input.payloadOwned = payloadOwned;
    input.notes = notes;
    input.error = extra?.error;
    input.closedBy = extra?.closedBy;
    input.timeMs = timeMs;
    const seq = this.ctx.log.append(input);
    input.payload = undefined; // not kept alive by the socket
    return seq;
  }

  private computeNotes(
    event: TrafficEvent,
    remote: Endpoint | undefined,
    extra: LogExtra | undefined,
  ): NoteRef[] {
    return notesFor({
      kind: this.kind,
      protocol: this.protocol,
      event,
      local: this.local,
      remote,
      errorCode: extra?.error?.code ?? extra?.errorCode,
      closedBy: extra?.closedBy,
    });
  }

  protected countIn(bytes: number): void {
    this.bytesIn += bytes;
    this.messagesIn++;
  }

  protected countOut(bytes: number): void {
    this.bytesOut += bytes;
    this.messagesOut++;
  }
}
