/**
 * The relay: a man in the middle the student puts between their own client and server. It listens on a port,
 * forwards everything to a target and the answers back, logs every datagram or chunk on both legs, and can
 * impair the link (loss, delay, jitter, reordering, duplication; seeded, so a run can be replayed).
 *
 * UDP works like a NAT: each client address gets its own upstream socket (a leg), so the target sees one
 * peer per client and its replies find their way back; a leg that stays idle is closed. TCP works like a
 * proxy: each accepted connection gets its own upstream connection, piped both ways with backpressure, with
 * half-close (FIN) and reset (RST) passed on to the other side.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { errorCode, errorMessage, explainSocketError, PlaygroundError } from '../errors';
import {
  DatagramLink,
  deriveSeed,
  describeImpairment,
  ImpairmentModel,
  isActive,
  randomSeed,
  StreamLink,
  type ImpairmentEvent,
  type ImpairmentStats,
} from '../sockets/impairment';
import { NoteId } from '../notes/notes';
import { listenServer } from '../sockets/tcpServer';
import { bindDgram } from '../sockets/udpSocket';
import { PlaygroundSocket, type SocketContext } from '../sockets/socketBase';
import { formatEndpoint } from '../../shared/endpoint';
import type { CloseReason, Endpoint, Impairment, Protocol, SocketId } from '../../shared/types';

type Family = 4 | 6;

export type RelayOptions = {
  protocol: Protocol;
  /** Where the relay listens (already resolved and allowed). */
  listen: { address: string; port: number; family: Family };
  /** Where it forwards to: `host` as the user wrote it, `address` resolved. */
  target: { host: string; address: string; port: number; family: Family };
  impairment?: Impairment;
  /** UDP: a client mapping without traffic for this long is closed, like a NAT entry. */
  idleMs?: number;
  /** TCP: how long the upstream handshake may take. */
  connectTimeoutMs?: number;
  /** UDP: most client mappings (each is an OS socket) held at once. */
  maxMappings?: number;
};

/** How long an idle UDP mapping lives (NAT boxes use 30 s to a few minutes). */
export const UDP_IDLE_MS = 60_000;
export const TCP_CONNECT_TIMEOUT_MS = 10_000;
export const MAX_UDP_MAPPINGS = 1024;
/** Datagrams held for a leg whose socket is still binding. */
const MAX_QUEUED_DATAGRAMS = 1024;
/** A TCP leg stops reading while more than this waits (delayed) for the other side. */
const STREAM_HIGH_WATER = 1 << 20;
/** Salt of the seed of the target → client direction (the client → target direction uses the seed itself). */
const DOWNSTREAM_SALT = 0x646f776e;

/** The upstream address that reaches `target`: loopback from loopback, the wildcard otherwise. */
function upstreamBindAddress(target: { address: string; family: Family }): string {
  const loopback = target.family === 6 ? target.address === '::1' : target.address.startsWith('127.');
  if (loopback) {
    return target.family === 6 ? '::1' : '127.0.0.1';
  }
  return target.family === 6 ? '::' : '0.0.0.0';
}

/** Connects a dgram socket to its one peer: sends need no address lookup, and ICMP errors are reported. */
function connectDgram(sock: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      sock.off('connect', onConnect);
      reject(err);
    };
    const onConnect = () => {
      sock.off('error', onError);
      resolve();
    };
    sock.once('error', onError);
    sock.once('connect', onConnect);
    sock.connect(port, address);
  });
}

function createDgram(family: Family): dgram.Socket {
  return dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6 });
}

/** A relay: the listening socket, parent of its legs in the tree. */
export abstract class Relay extends PlaygroundSocket {
  /** The impairment in force (undefined when none), and the seed its decisions come from. */
  readonly impairment: Impairment | undefined;
  readonly seed: number;
  /** Everything the impairment did so far, over all legs and both directions. */
  readonly stats: ImpairmentStats = { dropped: 0, delayed: 0, duplicated: 0, reordered: 0 };

  protected constructor(
    id: SocketId,
    protocol: Protocol,
    ctx: SocketContext,
    protected readonly options: RelayOptions,
  ) {
    super(id, 'relay', protocol, ctx, 'opening');
    this.impairment = isActive(options.impairment) ? options.impairment : undefined;
    this.seed = (options.impairment?.seed ?? randomSeed()) >>> 0;
    this.remote = { address: options.target.address, port: options.target.port };
    this.local = { address: options.listen.address, port: options.listen.port };
  }

  /** Starts a UDP or TCP relay; rejects (with the failure logged) when the port cannot be had. */
  static async start(id: SocketId, ctx: SocketContext, options: RelayOptions): Promise<Relay> {
    const relay: Relay =
      options.protocol === 'udp' ? new UdpRelay(id, ctx, options) : new TcpRelay(id, ctx, options);
    await relay.open();
    return relay;
  }

  protected abstract open(): Promise<void>;

  /** Legs currently open (UDP: one per client address; TCP: two per client connection). */
  abstract get legCount(): number;

  get target(): Endpoint {
    return this.remote!;
  }

  get label(): string {
    const how = describeImpairment(this.impairment, this.seed);
    return (
      `${this.protocol.toUpperCase()} relay ${formatEndpoint(this.local)} → ${formatEndpoint(this.remote)}` +
      (how ? ` (${how})` : '')
    );
  }

  /** Mappings (UDP) or connections (TCP) given decision makers so far. */
  private streams = 0;

  /**
   * The decision makers for the two directions of a new mapping or connection. The n-th one (from 0) draws
   * from seed n derived from the relay's seed: a run is replayed exactly by the same seed and the same order of
   * clients, yet every client meets its own fate. (With one seed for all, the textbook clients, which open a
   * fresh socket per run, met the same fate every run: all lost or none.)
   */
  protected models(): { up?: ImpairmentModel; down?: ImpairmentModel } {
    if (!this.impairment) {
      return {};
    }
    const seed = deriveSeed(this.seed, this.streams++);
    return {
      up: new ImpairmentModel(this.impairment, seed),
      down: new ImpairmentModel(this.impairment, deriveSeed(seed, DOWNSTREAM_SALT)),
    };
  }

  protected count(event: ImpairmentEvent): void {
    switch (event) {
      case 'drop':
        this.stats.dropped++;
        break;
      case 'delay':
        this.stats.delayed++;
        break;
      case 'duplicate':
        this.stats.duplicated++;
        break;
      case 'reorder':
        this.stats.reordered++;
        break;
    }
  }

  protected logOpenFailure(err: unknown, action: 'bind' | 'listen'): PlaygroundError {
    const { address, port } = this.options.listen;
    const explained = explainSocketError(err, { host: address, port, action });
    this.local = { address, port };
    this.record('error', 0, undefined, undefined, {
      error: { code: explained.code, message: explained.message },
    });
    return explained;
  }
}

// ─── UDP ─────────────────────────────────────────────────────────────────────────────────────────────

type Mapping = {
  key: string;
  client: Endpoint;
  leg: UdpRelayLeg;
  up: DatagramLink<Buffer> | undefined;
  down: DatagramLink<Buffer> | undefined;
  /** Set by every datagram; the idle sweep clears it, so the hot path never reads the clock. */
  active: boolean;
  /** When the sweep first found the mapping without traffic. */
  quietSince: number;
  closed: boolean;
};

/** One client's upstream socket: what the target sees as "the client". */
export class UdpRelayLeg extends PlaygroundSocket {
  private sock: dgram.Socket | undefined;
  /**
   * While the socket is binding: what arrived for it, in order, datagrams to forward and what the impairment did
   * to others. Replayed once bound, so the log shows the leg's bind first and every entry with its real port.
   */
  private queue: Array<{ msg: Buffer; event?: ImpairmentEvent }> | undefined = [];
  private closing: Promise<void> | undefined;

  constructor(
    id: SocketId,
    ctx: SocketContext,
    parentId: SocketId,
    target: Endpoint,
    /** The client this leg speaks for. */
    readonly client: Endpoint,
    private readonly onReply: (leg: UdpRelayLeg, msg: Buffer) => void,
    private readonly onClosed: (leg: UdpRelayLeg) => void,
  ) {
    super(id, 'udp-client', 'udp', ctx, 'opening', parentId);
    this.remote = target;
  }

  get label(): string {
    return `Relay leg ${formatEndpoint(this.local)} → ${formatEndpoint(this.remote)} for client ${formatEndpoint(this.client)}`;
  }

  async open(family: Family, address: string): Promise<void> {
    const sock = createDgram(family);
    try {
      await bindDgram(sock, 0, address);
      // Connected to the target, like a NAT entry: only the target's datagrams come back through it, and a
      // target that is not running shows up as ECONNREFUSED (ICMP port unreachable) on this leg.
      await connectDgram(sock, this.remote!.port, this.remote!.address);
    } catch (err) {
      sock.close();
      const pending = this.queue ?? [];
      this.queue = undefined;
      const explained = explainSocketError(err, { host: address, port: 0, action: 'bind' });
      this.local = { address, port: 0 };
      this.record('error', 0, undefined, undefined, {
        error: { code: explained.code, message: explained.message },
      });
      // What the impairment did before the bind failed still happened; the datagrams to forward are lost.
      for (const q of pending) {
        if (q.event) {
          this.record(q.event, q.msg.length, q.msg);
        }
      }
      this.setState('error');
      this.onClosed(this);
      this.ctx.closed(this);
      throw explained;
    }
    if (this.closing) {
      sock.close();
      return;
    }
    this.sock = sock;
    const a = sock.address();
    this.local = { address: a.address, port: a.port };
    sock.on('message', (msg, rinfo) => {
      this.countIn(msg.length);
      this.record('receive', msg.length, msg, rinfo);
      this.onReply(this, msg);
    });
    sock.on('error', (err) =>
      this.record('error', 0, undefined, undefined, {
        error: { code: errorCode(err), message: errorMessage(err) },
      }),
    );
    this.setState('bound');
    this.record('bind', 0);
    this.record('connect', 0);
    const queued = this.queue ?? [];
    this.queue = undefined;
    for (const q of queued) {
      if (q.event) {
        this.record(q.event, q.msg.length, q.msg);
      } else {
        this.forward(q.msg);
      }
    }
  }

  /** Sends one datagram on to the target (queued while the socket is still binding). */
  forward(msg: Buffer): void {
    const sock = this.sock;
    if (!sock) {
      if (this.queue && this.queue.length < MAX_QUEUED_DATAGRAMS) {
        this.queue.push({ msg });
      }
      return;
    }
    if (this.state !== 'bound') {
      return;
    }
    // Hot path: connected, so no address and no callback; a failure surfaces as the socket's 'error' event.
    sock.send(msg);
    this.countOut(msg.length);
    this.record('send', msg.length, msg);
  }

  /** Logs what the impairment did to a datagram this leg was to send. */
  logImpairment(event: ImpairmentEvent, msg: Buffer): void {
    if (this.queue && !this.sock) {
      if (this.queue.length < MAX_QUEUED_DATAGRAMS) {
        this.queue.push({ msg, event });
      }
      return;
    }
    this.record(event, msg.length, msg);
  }

  /** Sends a datagram of the user's own from this leg to the target (the only peer it is connected to). */
  send(data: Buffer, to?: Endpoint): Promise<number> {
    const sock = this.sock;
    const target = this.remote!;
    if (to && (to.port !== target.port || to.address !== target.address)) {
      return Promise.reject(
        new PlaygroundError(
          `${this.label} is connected to the relay's target ${formatEndpoint(target)} and sends only there; leave out "to".`,
          'EISCONN',
          NoteId.UdpConnectedSocket,
        ),
      );
    }
    if (!sock || this.state !== 'bound') {
      return Promise.reject(
        new PlaygroundError(
          `${this.label} is ${this.state}: nothing was sent.`,
          'ESOCKETCLOSED',
          NoteId.SocketClosed,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      sock.send(data, (err) =>
        err
          ? reject(explainSocketError(err, { host: target.address, port: target.port, action: 'send' }))
          : resolve(data.length),
      );
      this.countOut(data.length);
      this.record('send', data.length, data);
    });
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.queue = undefined;
      const sock = this.sock;
      this.onClosed(this);
      if (!sock) {
        this.setState('closed');
        this.ctx.closed(this);
        resolve();
        return;
      }
      this.setState('closing');
      sock.close(() => {
        this.record('close', 0, undefined, undefined, { closedBy: 'local' });
        this.setState('closed');
        this.ctx.closed(this);
        resolve();
      });
    });
    return this.closing;
  }
}

class UdpRelay extends Relay {
  private sock: dgram.Socket | undefined;
  private readonly mappings = new Map<string, Mapping>();
  /** The mapping of the last datagram: most traffic comes from one client at a time, so skip the key. */
  private last: Mapping | undefined;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private closing: Promise<void> | undefined;
  private readonly idleMs: number;

  constructor(id: SocketId, ctx: SocketContext, options: RelayOptions) {
    super(id, 'udp', ctx, options);
    this.idleMs = options.idleMs ?? UDP_IDLE_MS;
  }

  get legCount(): number {
    return this.mappings.size;
  }

  /** The leg serving one client address, if any. */
  legFor(client: Endpoint): UdpRelayLeg | undefined {
    return this.mappings.get(`${client.address}|${client.port}`)?.leg;
  }

  protected async open(): Promise<void> {
    const { address, port, family } = this.options.listen;
    const sock = createDgram(family);
    try {
      await bindDgram(sock, port, address);
    } catch (err) {
      sock.close();
      throw this.logOpenFailure(err, 'bind');
    }
    this.sock = sock;
    const a = sock.address();
    this.local = { address: a.address, port: a.port };
    sock.on('message', (msg, rinfo) => this.onClientMessage(msg, rinfo));
    sock.on('error', (err) =>
      this.record('error', 0, undefined, undefined, {
        error: { code: errorCode(err), message: errorMessage(err) },
      }),
    );
    this.sweeper = setInterval(() => this.sweepIdle(), Math.max(250, Math.min(this.idleMs / 4, 10_000)));
    this.sweeper.unref();
    this.setState('bound');
    this.record('bind', 0);
  }

  private onClientMessage(msg: Buffer, from: Endpoint): void {
    this.countIn(msg.length);
    this.record('receive', msg.length, msg, from);
    let m = this.last;
    if (!m || m.client.port !== from.port || m.client.address !== from.address) {
      const key = `${from.address}|${from.port}`;
      m = this.mappings.get(key) ?? this.createMapping(key, from);
      if (!m) {
        return;
      }
      this.last = m;
    }
    m.active = true;
    if (m.up) {
      m.up.push(msg);
    } else {
      m.leg.forward(msg);
    }
  }

  private createMapping(key: string, from: Endpoint): Mapping | undefined {
    if (this.state !== 'bound') {
      return undefined;
    }
    if (this.mappings.size >= (this.options.maxMappings ?? MAX_UDP_MAPPINGS)) {
      this.record('error', 0, undefined, from, {
        error: {
          code: 'EMAPPINGS',
          message: `the relay already serves ${this.mappings.size} client addresses; this datagram was not forwarded.`,
        },
      });
      return undefined;
    }
    const client: Endpoint = { address: from.address, port: from.port };
    const leg = new UdpRelayLeg(
      this.ctx.newId('udp-client'),
      this.ctx,
      this.id,
      this.target,
      client,
      (_l, reply) => this.onTargetMessage(m, reply),
      (l) => this.forget(l),
    );
    const { up: upModel, down: downModel } = this.models();
    const m: Mapping = {
      key,
      client,
      leg,
      up:
        upModel &&
        new DatagramLink<Buffer>(
          upModel,
          (d) => leg.forward(d),
          (event, d) => {
            this.count(event);
            leg.logImpairment(event, d);
          },
        ),
      down:
        downModel &&
        new DatagramLink<Buffer>(
          downModel,
          (d) => this.toClient(client, d),
          (event, d) => {
            this.count(event);
            this.record(event, d.length, d, client);
          },
        ),
      active: true,
      quietSince: 0,
      closed: false,
    };
    this.mappings.set(key, m);
    this.ctx.adopt(leg);
    const { family } = this.options.target;
    leg.open(family, upstreamBindAddress(this.options.target)).catch(() => undefined);
    return m;
  }

  private onTargetMessage(m: Mapping, msg: Buffer): void {
    if (m.closed) {
      return;
    }
    m.active = true;
    if (m.down) {
      m.down.push(msg);
    } else {
      this.toClient(m.client, msg);
    }
  }

  private toClient(client: Endpoint, msg: Buffer): void {
    const sock = this.sock;
    if (!sock || this.state !== 'bound') {
      return;
    }
    sock.send(msg, client.port, client.address);
    this.countOut(msg.length);
    this.record('send', msg.length, msg, client);
  }

  private forget(leg: UdpRelayLeg): void {
    const key = `${leg.client.address}|${leg.client.port}`;
    const m = this.mappings.get(key);
    if (m && m.leg === leg) {
      m.closed = true;
      this.mappings.delete(key);
      if (this.last === m) {
        this.last = undefined;
      }
      m.up?.dispose();
      m.down?.dispose();
    }
  }

  /**
   * Closes the mappings idle for longer than the idle timeout (and with nothing in flight). Runs on a timer;
   * `now` lets a test look into the future.
   */
  sweepIdle(now = Date.now()): number {
    let closed = 0;
    for (const m of [...this.mappings.values()]) {
      if (m.active || m.up?.pending || m.down?.pending) {
        m.active = false;
        m.quietSince = now;
      } else if (now - m.quietSince >= this.idleMs) {
        closed++;
        void m.leg.close();
      }
    }
    return closed;
  }

  /** Sends a datagram of the user's own from the listening socket; it needs a destination. */
  send(data: Buffer, to?: Endpoint): Promise<number> {
    const sock = this.sock;
    if (!to) {
      return Promise.reject(
        new PlaygroundError(
          `a UDP relay has no default destination for its listening socket: give "to", or send on one of its legs.`,
          'EINVAL',
          NoteId.UdpNoConnection,
        ),
      );
    }
    if (!sock || this.state !== 'bound') {
      return Promise.reject(
        new PlaygroundError(
          `${this.label} is ${this.state}: nothing was sent.`,
          'ESOCKETCLOSED',
          NoteId.SocketClosed,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      sock.send(data, to.port, to.address, (err) =>
        err
          ? reject(explainSocketError(err, { host: to.address, port: to.port, action: 'send' }))
          : resolve(data.length),
      );
      this.countOut(data.length);
      this.record('send', data.length, data, to);
    });
  }

  /** Closes every leg (clearing any delayed datagrams) and the listening socket. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.sweeper) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
      const sock = this.sock;
      if (!sock || this.state === 'closed') {
        this.setState('closed');
        return;
      }
      this.setState('closing');
      const legs = [...this.mappings.values()];
      for (const m of legs) {
        m.up?.dispose();
        m.down?.dispose();
      }
      await Promise.all(legs.map((m) => m.leg.close()));
      await new Promise<void>((resolve) => sock.close(() => resolve()));
      this.record('close', 0, undefined, undefined, { closedBy: 'local' });
      this.setState('closed');
      this.ctx.closed(this);
    })();
    return this.closing;
  }
}

// ─── TCP ─────────────────────────────────────────────────────────────────────────────────────────────

/** One TCP connection of a relay: the client's (accepted) or the upstream one (to the target). */
export class TcpRelayLeg extends PlaygroundSocket {
  private closedBy: CloseReason | undefined;
  private peerEnded = false;
  private weEnded = false;
  private resolveClosed!: () => void;
  /** Resolves when the OS handle is closed. */
  readonly whenClosed: Promise<void>;
  pair: TcpPair | undefined;

  constructor(
    id: SocketId,
    kind: 'tcp-connection' | 'tcp-client',
    ctx: SocketContext,
    readonly sock: net.Socket,
    parentId: SocketId,
  ) {
    super(id, kind, 'tcp', ctx, 'open', parentId);
    this.whenClosed = new Promise((r) => (this.resolveClosed = r));
    this.local = { address: sock.localAddress ?? '', port: sock.localPort ?? 0 };
    this.remote = { address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0 };
    sock.on('end', () => {
      this.peerEnded = true;
      this.closedBy ??= 'peer-fin';
      this.pair?.ended(this);
    });
    sock.on('error', (err) => {
      const code = errorCode(err);
      if (code === 'ECONNRESET' || code === 'EPIPE') {
        this.closedBy = 'reset';
      }
      this.error = { code, message: errorMessage(err) };
    });
    sock.on('close', () => this.onClose());
  }

  get label(): string {
    return this.kind === 'tcp-connection'
      ? `Relay leg ${formatEndpoint(this.remote)} ⇄ ${formatEndpoint(this.local)} (client side)`
      : `Relay leg ${formatEndpoint(this.local)} → ${formatEndpoint(this.remote)} (to the target)`;
  }

  /** True once the peer sent FIN or the connection was reset. */
  get inputEnded(): boolean {
    return this.peerEnded;
  }

  get resetByPeer(): boolean {
    return this.closedBy === 'reset';
  }

  logOpened(event: 'accept' | 'connect'): void {
    this.record(event, 0);
  }

  logReceive(chunk: Buffer): void {
    this.countIn(chunk.length);
    this.record('receive', chunk.length, chunk);
  }

  /** Writes a chunk on; false when the socket's buffer is full (wait for 'drain'). */
  write(chunk: Buffer): boolean {
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

  /** Closes at once (FIN, or RST when unread data is pending). */
  destroy(): Promise<void> {
    if (!this.sock.destroyed) {
      this.closedBy ??= 'local';
      this.setState('closing');
      this.sock.destroy();
    }
    return this.whenClosed;
  }

  private onClose(): void {
    const by: CloseReason = this.closedBy ?? (this.error ? 'reset' : 'local');
    this.record('close', 0, undefined, undefined, {
      closedBy: by,
      error: by === 'reset' ? this.error : undefined,
    });
    this.setState(by === 'reset' ? 'error' : 'closed');
    this.resolveClosed();
    this.ctx.closed(this);
    this.pair?.closed(this);
  }

  /** Sends bytes of the user's own into this leg's connection (they join the relayed stream). */
  send(data: Buffer): Promise<number> {
    if (!this.sock.writable || !this.isOpen) {
      return Promise.reject(
        new PlaygroundError(
          `${this.label} is ${this.state === 'open' ? 'no longer writable' : this.state}: nothing was sent.`,
          'ESOCKETCLOSED',
          NoteId.SocketClosed,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.sock.write(data, (err) =>
        err
          ? reject(
              explainSocketError(err, {
                host: this.remote!.address,
                port: this.remote!.port,
                action: 'send',
              }),
            )
          : resolve(data.length),
      );
      this.countOut(data.length);
      this.record('send', data.length, data);
    });
  }

  /** Closing one leg closes its pair: a relay leg means nothing alone. */
  close(): Promise<void> {
    if (this.pair) {
      return this.pair.close();
    }
    return this.destroy();
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
          const ok = dst.write(chunk);
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
      } else if (!dst.write(chunk)) {
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
      other.destroy();
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
      this.graceTimer = setTimeout(() => this.destroy(), graceMs);
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

class TcpRelay extends Relay {
  private server: net.Server | undefined;
  private closing: Promise<void> | undefined;
  readonly pairs = new Set<TcpPair>();
  /** Accepted clients whose upstream connection is still being made. */
  private readonly connecting = new Map<TcpRelayLeg, net.Socket>();
  acceptedCount = 0;

  constructor(id: SocketId, ctx: SocketContext, options: RelayOptions) {
    super(id, 'tcp', ctx, options);
  }

  get legCount(): number {
    return this.pairs.size * 2 + this.connecting.size;
  }

  protected async open(): Promise<void> {
    const { port, address, family } = this.options.listen;
    // pauseOnConnect: read nothing from a client until its upstream connection exists.
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true });
    try {
      await listenServer(server, port, address, family);
    } catch (err) {
      server.close();
      throw this.logOpenFailure(err, 'listen');
    }
    this.server = server;
    const a = server.address() as net.AddressInfo;
    this.local = { address: a.address, port: a.port };
    server.on('connection', (sock) => this.onConnection(sock));
    server.on('error', (err) =>
      this.record('error', 0, undefined, undefined, {
        error: { code: errorCode(err), message: errorMessage(err) },
      }),
    );
    this.setState('listening');
    this.record('bind', 0);
    this.record('listen', 0);
  }

  private onConnection(sock: net.Socket): void {
    if (this.state !== 'listening' || sock.remoteAddress === undefined) {
      sock.destroy();
      return;
    }
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
    const models = this.models();
    const { address, port, family, host } = this.options.target;
    const up = new net.Socket({ allowHalfOpen: true });
    this.connecting.set(client, up);
    const timer = setTimeout(() => {
      up.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
    }, this.options.connectTimeoutMs ?? TCP_CONNECT_TIMEOUT_MS);
    const onError = (err: Error) => {
      clearTimeout(timer);
      up.off('connect', onConnect);
      this.connecting.delete(client);
      if (this.state !== 'listening') {
        return;
      }
      // The target refused (or never answered): the client cannot be served, so it gets a reset.
      const explained = explainSocketError(err, { host, port, action: 'connect' });
      this.record('error', 0, undefined, this.target, {
        error: { code: explained.code, message: explained.message },
      });
      client.reset();
    };
    const onConnect = () => {
      clearTimeout(timer);
      up.off('error', onError);
      this.connecting.delete(client);
      if (client.sock.destroyed || this.state !== 'listening') {
        up.destroy();
        return;
      }
      const upstream = new TcpRelayLeg(this.ctx.newId('tcp-client'), 'tcp-client', this.ctx, up, this.id);
      this.ctx.adopt(upstream);
      upstream.logOpened('connect');
      const pair = new TcpPair(
        client,
        upstream,
        models.up,
        models.down,
        (e) => this.count(e),
        (p) => {
          this.pairs.delete(p);
          this.stateEmitter.fire(this);
        },
      );
      this.pairs.add(pair);
      pair.start();
      this.stateEmitter.fire(this);
    };
    up.once('error', onError);
    up.once('connect', onConnect);
    // The client gave up while we were still connecting.
    void client.whenClosed.then(() => {
      if (this.connecting.get(client) === up) {
        clearTimeout(timer);
        this.connecting.delete(client);
        up.destroy();
      }
    });
    up.connect({ port, host: address, family, noDelay: true });
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

  /** Stops accepting, closes every leg at once and clears any delayed chunks. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const server = this.server;
      if (!server || this.state === 'closed') {
        this.setState('closed');
        return;
      }
      this.setState('closing');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const waits: Promise<void>[] = [];
      for (const [client, up] of this.connecting) {
        up.destroy();
        waits.push(client.destroy());
      }
      this.connecting.clear();
      for (const p of this.pairs) {
        waits.push(p.destroy());
      }
      await Promise.all(waits);
      await closed;
      this.record('close', 0, undefined, undefined, { closedBy: 'local' });
      this.setState('closed');
      this.ctx.closed(this);
    })();
    return this.closing;
  }
}
