/**
 * The TCP relay, like a proxy: each accepted connection gets its own upstream connection, piped both ways with
 * backpressure, with half-close (FIN) and reset (RST) passed on to the other side. The listening socket is a
 * playground TCP listener and the legs are playground TCP streams: listen, connect, send, close and error
 * handling are theirs.
 */
import * as net from 'node:net';
import { explainSocketError, PlaygroundError } from '../errors';
import {
  StreamLink,
  type ImpairmentEvent,
  type ImpairmentModel,
  type ImpairmentStats,
} from '../sockets/impairment';
import { NoteId } from '../notes/notes';
import { IN, OUT, type SocketContext } from '../sockets/socketBase';
import { counted, STATE_TEXT, type SocketRow } from '../sockets/socketView';
import { englishText, joinText, text, type Text, type TextArg } from '../../shared/l10n';
import { connectStream, TcpStreamBase } from '../sockets/tcpClient';
import { TcpListener } from '../sockets/tcpServer';
import { formatEndpoint } from '../../shared/endpoint';
import type { Endpoint, SocketId } from '../../shared/types';
import {
  MAX_RELAY_CONNECTIONS,
  RelayImpairment,
  relaySetup,
  TCP_CONNECT_TIMEOUT_MS,
  type RelayOptions,
} from './relayCore';

/** A TCP leg stops reading while more than this waits (delayed) for the other side. */
const STREAM_HIGH_WATER = 1 << 20;

/** One TCP connection of a relay: the client's (accepted) or the upstream one (to the target). */
export class TcpRelayLeg extends TcpStreamBase {
  private peerEnded = false;
  private weEnded = false;
  pair: TcpPair | undefined;

  get label(): string {
    return this.kind === 'tcp-connection'
      ? `Relay leg ${formatEndpoint(this.remote)} ⇄ ${formatEndpoint(this.local)} (client side)`
      : `Relay leg ${formatEndpoint(this.local)} → ${formatEndpoint(this.remote)} (to the target)`;
  }

  protected onEnd(): void {
    this.peerEnded = true;
    this.closedBy ??= 'peer-fin';
    this.pair?.ended(this);
  }

  protected override afterClose(): void {
    this.pair?.closed(this);
  }

  /** True once the peer sent FIN or the connection was reset. */
  get inputEnded(): boolean {
    return this.peerEnded;
  }

  get resetByPeer(): boolean {
    return this.closedBy === 'reset';
  }

  logReceive(chunk: Buffer): void {
    this.countIn(chunk.length);
    this.record('receive', chunk.length, chunk);
  }

  /** Writes a relayed chunk on; false when the socket's buffer is full (wait for 'drain'). */
  forward(chunk: Buffer): boolean {
    if (!this.sock.writable) {
      return true;
    }
    const ok = this.sock.write(chunk);
    this.countOut(chunk.length);
    this.record('send', chunk.length, chunk);
    return ok;
  }

  logImpairment(event: ImpairmentEvent, chunk: Buffer): void {
    this.record(event, chunk.length, chunk);
  }

  /** Sends FIN (once). */
  end(): void {
    if (!this.weEnded && !this.sock.destroyed) {
      this.weEnded = true;
      this.closedBy ??= 'local';
      this.setState('closing');
      this.sock.end();
    }
  }

  /** Aborts with RST: how the relay passes on a reset from the other side. */
  reset(): void {
    if (!this.sock.destroyed) {
      this.closedBy = 'reset';
      this.setState('closing');
      this.sock.resetAndDestroy();
    }
  }

  /** Closing one leg closes its pair: a relay leg means nothing alone. */
  override close(): Promise<void> {
    if (this.pair) {
      return this.pair.close();
    }
    return this.destroy();
  }

  protected override rowLabel(): string {
    return this.kind === 'tcp-connection' ? 'Leg from client' : 'Leg to server';
  }

  protected override rowGroup(): SocketRow['group'] {
    return this.kind === 'tcp-connection'
      ? { key: 'tcp-legs-from', label: 'Legs from clients', noun: 'leg' }
      : { key: 'tcp-legs-to', label: 'Legs to server', noun: 'leg' };
  }
}

/** One direction of a pair: reads from `src`, writes to `dst`, through the impairment when there is one. */
class Pipe {
  private readonly link: StreamLink<Buffer> | undefined;
  private finForwarded = false;

  constructor(
    private readonly src: TcpRelayLeg,
    private readonly dst: TcpRelayLeg,
    model: ImpairmentModel | undefined,
    count: (event: ImpairmentEvent) => void,
  ) {
    if (model) {
      this.link = new StreamLink<Buffer>(
        model,
        (chunk) => {
          const ok = dst.forward(chunk);
          this.flow();
          return ok;
        },
        (event, chunk) => {
          count(event);
          dst.logImpairment(event, chunk);
        },
      );
    }
  }

  start(): void {
    const { src, dst, link } = this;
    src.sock.on('data', (chunk: Buffer) => {
      src.logReceive(chunk);
      if (link) {
        link.push(chunk);
        this.flow();
      } else if (!dst.forward(chunk)) {
        // Backpressure: stop reading until the other side has taken what we wrote.
        src.sock.pause();
      }
    });
    dst.sock.on('drain', () => {
      if (link) {
        link.resume();
        this.flow();
      } else {
        src.sock.resume();
      }
    });
    src.sock.resume();
  }

  /** With an impairment, read while less than the high-water mark waits for the other side. */
  private flow(): void {
    if (!this.link || this.src.sock.destroyed) {
      return;
    }
    if (this.link.bytes > STREAM_HIGH_WATER) {
      this.src.sock.pause();
    } else if (!this.src.inputEnded) {
      this.src.sock.resume();
    }
  }

  /** `src` sent FIN: pass it on once every byte before it has been delivered (half-close). */
  srcEnded(): void {
    const forward = () => {
      if (!this.finForwarded) {
        this.finForwarded = true;
        this.dst.end();
      }
    };
    if (this.link && this.link.pending > 0) {
      this.link.onIdle = forward;
    } else {
      forward();
    }
  }

  get pending(): number {
    return this.link?.pending ?? 0;
  }

  dispose(): void {
    this.link?.dispose();
  }
}

/** A client connection and its upstream connection, piped both ways. */
export class TcpPair {
  private readonly up: Pipe;
  private readonly down: Pipe;
  private closing: Promise<void> | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private finished = false;
  private readonly done: Promise<void>;

  constructor(
    readonly client: TcpRelayLeg,
    readonly upstream: TcpRelayLeg,
    upModel: ImpairmentModel | undefined,
    downModel: ImpairmentModel | undefined,
    count: (event: ImpairmentEvent) => void,
    private readonly onDone: (pair: TcpPair) => void,
  ) {
    this.up = new Pipe(client, upstream, upModel, count);
    this.down = new Pipe(upstream, client, downModel, count);
    client.pair = this;
    upstream.pair = this;
    this.done = Promise.all([client.whenClosed, upstream.whenClosed]).then(() => {
      this.finished = true;
      if (this.graceTimer) {
        clearTimeout(this.graceTimer);
      }
      this.up.dispose();
      this.down.dispose();
      this.onDone(this);
    });
  }

  start(): void {
    this.up.start();
    this.down.start();
    // A FIN that came in while the upstream connection was being set up.
    if (this.client.inputEnded) {
      this.up.srcEnded();
    }
  }

  /** Chunks held back by the impairment, both directions. */
  get pending(): number {
    return this.up.pending + this.down.pending;
  }

  /** @internal FIN from one side. */
  ended(leg: TcpRelayLeg): void {
    (leg === this.client ? this.up : this.down).srcEnded();
  }

  /** @internal One leg's socket closed: a reset is passed on as a reset, any other abrupt end as a close. */
  closed(leg: TcpRelayLeg): void {
    const other = leg === this.client ? this.upstream : this.client;
    if (other.sock.destroyed) {
      return;
    }
    if (leg.resetByPeer) {
      // A reset discards whatever was still in flight, on a real network too.
      (leg === this.client ? this.up : this.down).dispose();
      other.reset();
    } else if (!leg.inputEnded) {
      void other.destroy();
    }
  }

  /** Graceful close of both connections (FIN each way); a peer that does not answer is cut off after 2 s. */
  close(graceMs = 2000): Promise<void> {
    this.closing ??= (() => {
      if (this.finished) {
        return this.done;
      }
      this.client.end();
      this.upstream.end();
      this.graceTimer = setTimeout(() => void this.destroy(), graceMs);
      this.graceTimer.unref();
      return this.done;
    })();
    return this.closing;
  }

  /** Closes both connections at once and forgets anything still delayed. */
  destroy(): Promise<void> {
    this.up.dispose();
    this.down.dispose();
    void this.client.destroy();
    void this.upstream.destroy();
    return this.done;
  }
}

/** The relay's listening socket: accepts clients, connects each upstream, and pairs the two. */
export class TcpRelay extends TcpListener {
  readonly impairmentState: RelayImpairment;
  readonly pairs = new Set<TcpPair>();
  /** Accepted clients whose upstream connection is still being made, with the means to abort it. */
  private readonly connecting = new Map<TcpRelayLeg, { up: net.Socket; abort: AbortController }>();
  acceptedCount = 0;

  constructor(
    id: SocketId,
    ctx: SocketContext,
    private readonly options: RelayOptions,
  ) {
    super(id, 'relay', 'tcp', ctx, 'opening');
    ({ local: this.local, remote: this.remote, impairment: this.impairmentState } = relaySetup(options));
  }

  /** What the impairment did so far. */
  get stats(): ImpairmentStats {
    return this.impairmentState.stats;
  }

  get label(): string {
    return this.impairmentState.label(this.local, this.remote!);
  }

  /** Legs currently open (two per client connection, one while its upstream connection is being made). */
  get legCount(): number {
    return this.pairs.size * 2 + this.connecting.size;
  }

  /** Upstream connections still being made (their timers run until they succeed, fail or are aborted). */
  get pendingConnects(): number {
    return this.connecting.size;
  }

  async open(): Promise<void> {
    // pauseOnConnect: read nothing from a client until its upstream connection exists.
    await this.listenOn(
      this.options.listen,
      { allowHalfOpen: true, pauseOnConnect: true, noDelay: true },
      this.options.maxConnections ?? MAX_RELAY_CONNECTIONS,
    );
  }

  protected onConnection(sock: net.Socket): void {
    this.acceptedCount++;
    const client = new TcpRelayLeg(
      this.ctx.newId('tcp-connection'),
      'tcp-connection',
      this.ctx,
      sock,
      this.id,
    );
    this.ctx.adopt(client);
    client.logOpened('accept');
    // Drawn now, in accept order, so a seeded run replays whatever order the upstream connects complete in.
    const models = this.impairmentState.models();
    const { address, port, family, host } = this.options.target;
    const up = new net.Socket({ allowHalfOpen: true });
    const abort = new AbortController();
    this.connecting.set(client, { up, abort });
    const timeoutMs = this.options.connectTimeoutMs ?? TCP_CONNECT_TIMEOUT_MS;
    connectStream(up, { address, port, family, timeoutMs }, abort.signal).then(
      () => {
        this.connecting.delete(client);
        if (client.sock.destroyed || this.state !== 'listening') {
          up.destroy();
          return;
        }
        this.pairUp(client, up, models);
      },
      (err: unknown) => {
        up.destroy();
        this.connecting.delete(client);
        if (this.state !== 'listening' || abort.signal.aborted) {
          return;
        }
        // The target refused (or never answered): the client cannot be served, so it gets a reset.
        const explained = explainSocketError(err, { host, port, action: 'connect' });
        this.record('error', 0, undefined, this.remote!, {
          error: { code: explained.code, message: explained.message },
        });
        client.reset();
      },
    );
    // The client gave up while we were still connecting.
    void client.whenClosed.then(() => this.connecting.get(client)?.abort.abort());
  }

  private pairUp(
    client: TcpRelayLeg,
    up: net.Socket,
    models: { up?: ImpairmentModel; down?: ImpairmentModel },
  ): void {
    const upstream = new TcpRelayLeg(this.ctx.newId('tcp-client'), 'tcp-client', this.ctx, up, this.id);
    this.ctx.adopt(upstream);
    upstream.logOpened('connect');
    const pair = new TcpPair(
      client,
      upstream,
      models.up,
      models.down,
      (e) => this.impairmentState.count(e),
      (p) => {
        this.pairs.delete(p);
        this.stateEmitter.fire(this);
      },
    );
    this.pairs.add(pair);
    pair.start();
    this.stateEmitter.fire(this);
  }

  /** A relay's listening socket carries no data: its legs do. */
  send(_data: Buffer, _to?: Endpoint): Promise<number> {
    return Promise.reject(
      new PlaygroundError(
        `${this.label} is a listening socket and carries no data: send on one of its legs instead.`,
        'EINVAL',
        NoteId.TcpWelcomingSocket,
      ),
    );
  }

  /** Closes every leg at once, aborts the upstream connects still under way (and their timers). */
  protected async closeChildren(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const [client, { up, abort }] of this.connecting) {
      abort.abort();
      up.destroy();
      waits.push(client.destroy());
    }
    this.connecting.clear();
    for (const p of this.pairs) {
      waits.push(p.destroy());
    }
    await Promise.all(waits);
  }

  override describe(): SocketRow {
    const row = super.describe();
    const how = this.impairmentState.summaryText;
    row.accessibilityText = text(
      'TCP relay {0}, {1}{2}, {3} client connections open, {4} served',
      this.rowWhere(),
      STATE_TEXT[this.state],
      how ? joinText([', ', how], '') : '',
      this.pairs.size,
      this.acceptedCount,
    );
    row.accessibility = englishText(row.accessibilityText);
    return row;
  }

  protected override get hasChildren(): boolean {
    return true;
  }

  protected override get impairmentView(): RelayImpairment {
    return this.impairmentState;
  }

  protected override rowSummary(): Text {
    return text('{0} conn, {1} served', this.pairs.size + this.connecting.size, this.acceptedCount);
  }

  protected override tooltipRows(): Array<[Text, TextArg]> {
    const rows = super.tooltipRows().filter(([k]) => k !== IN && k !== OUT);
    rows.push(...this.impairmentState.tooltipRows());
    rows.push([
      text('connections'),
      text(
        '{0} open (each with its leg to the server), {1} served',
        counted(this.pairs.size, 'client connection'),
        this.acceptedCount,
      ),
    ]);
    return rows;
  }

  protected override tooltipNote(): Text {
    return joinText(
      [
        '\n\n',
        text("The relay's listening socket carries no data itself: the bytes flow on its legs."),
        '\n',
      ],
      '',
    );
  }
}
