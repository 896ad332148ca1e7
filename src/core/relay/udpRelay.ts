/**
 * The UDP relay, like a NAT: each client address gets its own upstream socket (a leg), so the target sees one
 * peer per client and its replies find their way back; a leg that stays idle is closed, and that is logged.
 * Both the listening socket and the legs are playground UDP sockets: they bind, send, log and close as every
 * other one does.
 */
import { PlaygroundError } from '../errors';
import { DatagramLink, type ImpairmentEvent, type ImpairmentStats } from '../sockets/impairment';
import { NoteId } from '../notes/notes';
import type { SocketContext } from '../sockets/socketBase';
import { counted, type SocketRow } from '../sockets/socketView';
import { joinText, text, type Text, type TextArg } from '../../shared/l10n';
import { UdpSocketBase } from '../sockets/udpSocket';
import { formatEndpoint } from '../../shared/endpoint';
import type { Endpoint, SocketId } from '../../shared/types';
import {
  MAX_UDP_MAPPINGS,
  RelayImpairment,
  relaySetup,
  UDP_IDLE_MS,
  upstreamBindAddress,
  type Family,
  type RelayOptions,
} from './relayCore';

/** Datagrams held for a leg whose socket is still binding. */
const MAX_QUEUED_DATAGRAMS = 1024;

type Mapping = {
  key: string;
  client: Endpoint;
  leg: UdpRelayLeg;
  up: DatagramLink<Buffer> | undefined;
  down: DatagramLink<Buffer> | undefined;
  /** Set by every datagram; the idle sweep clears it, so the hot path never reads the clock. */
  active: boolean;
  /** When the sweep first found the mapping without traffic (0: not quiet). */
  quietSince: number;
  closed: boolean;
};

/** A drop the link's full queue forced is logged with its reason. */
function overflowExtra(reason: string | undefined) {
  return reason ? { error: { code: 'EQUEUEFULL', message: reason } } : undefined;
}

/** One client's upstream socket: what the target sees as "the client". */
export class UdpRelayLeg extends UdpSocketBase {
  /**
   * While the socket is binding: what arrived for it, in order, datagrams to forward and what the impairment did
   * to others. Replayed once bound, so the log shows the leg's bind first and every entry with its real port.
   */
  private queue: Array<{ msg: Buffer; event?: ImpairmentEvent; reason?: string }> | undefined = [];
  /** Set when the relay closes the mapping for being idle: the close entry says so. */
  private expiredAfterMs: number | undefined;

  constructor(
    id: SocketId,
    ctx: SocketContext,
    parentId: SocketId,
    target: Endpoint,
    /** The client this leg speaks for. */
    readonly client: Endpoint,
    private readonly onReply: (leg: UdpRelayLeg, msg: Buffer) => void,
    private readonly onClosed: (leg: UdpRelayLeg) => void,
    /** How long the mapping may stay idle, and since when it is (0: it is not). */
    private readonly idle: () => { idleMs: number; quietSince: number },
  ) {
    super(id, 'udp-client', 'udp', ctx, 'opening', parentId);
    this.remote = target;
  }

  get label(): string {
    return `Relay leg ${formatEndpoint(this.local)} → ${formatEndpoint(this.remote)} for client ${formatEndpoint(this.client)}`;
  }

  /**
   * Binds and connects to the target, like a NAT entry: only the target's datagrams come back through it, and a
   * target that is not running shows up as ECONNREFUSED (ICMP port unreachable) on this leg.
   */
  async open(family: Family, address: string): Promise<void> {
    await this.bindSocket(family, 0, address, this.remote);
    if (!this.sock) {
      return; // closed while binding
    }
    const queued = this.queue ?? [];
    this.queue = undefined;
    for (const q of queued) {
      if (q.event) {
        this.record(q.event, q.msg.length, q.msg, undefined, overflowExtra(q.reason));
      } else {
        this.forward(q.msg);
      }
    }
  }

  protected override openFailed(): void {
    // What the impairment did before the bind failed still happened; the datagrams to forward are lost.
    const pending = this.queue ?? [];
    this.queue = undefined;
    for (const q of pending) {
      if (q.event) {
        this.record(q.event, q.msg.length, q.msg, undefined, overflowExtra(q.reason));
      }
    }
    this.setState('error');
    this.onClosed(this);
    this.ctx.closed(this);
  }

  protected onMessage(msg: Buffer, from: Endpoint): void {
    this.countIn(msg.length);
    this.record('receive', msg.length, msg, from);
    this.onReply(this, msg);
  }

  /** Sends one datagram on to the target (queued while the socket is still binding). */
  forward(msg: Buffer): void {
    if (!this.sock) {
      if (this.queue && this.queue.length < MAX_QUEUED_DATAGRAMS) {
        this.queue.push({ msg });
      }
      return;
    }
    this.transmit(msg, undefined);
  }

  /** Logs what the impairment did to a datagram this leg was to send. */
  logImpairment(event: ImpairmentEvent, msg: Buffer, reason?: string): void {
    if (this.queue && !this.sock) {
      if (this.queue.length < MAX_QUEUED_DATAGRAMS) {
        this.queue.push({ msg, event, reason });
      }
      return;
    }
    this.record(event, msg.length, msg, undefined, overflowExtra(reason));
  }

  /** Sends a datagram of the user's own from this leg to the target (the only peer it is connected to). */
  send(data: Buffer, to?: Endpoint): Promise<number> {
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
    return this.sendDatagram(data, undefined);
  }

  /** Closes the leg because its mapping was idle for `idleMs`: the close entry says why. */
  expire(idleMs: number): Promise<void> {
    this.expiredAfterMs = idleMs;
    return this.close();
  }

  protected override closeExtra() {
    return this.expiredAfterMs === undefined
      ? undefined
      : {
          error: {
            code: 'EIDLE',
            message:
              `no datagram either way for ${this.expiredAfterMs / 1000} s: the relay forgot this client's mapping, ` +
              `as a NAT forgets an idle entry. The client's next datagram gets a new leg (a new port).`,
          },
        };
  }

  override close(): Promise<void> {
    this.queue = undefined;
    if (!this.closing) {
      this.onClosed(this);
    }
    return super.close();
  }

  protected override rowLabel(): string {
    return 'Leg to server';
  }

  protected override rowGroup(): SocketRow['group'] {
    return { key: 'udp-legs', label: 'Legs to server', noun: 'leg' };
  }

  /** When the mapping will expire, in words. */
  private expiry(): Text {
    const { idleMs, quietSince } = this.idle();
    const s = Math.round(idleMs / 1000);
    if (!quietSince) {
      return text('expires after {0} s idle', s);
    }
    const left = Math.max(0, Math.ceil((quietSince + idleMs - Date.now()) / 1000));
    return text('idle, expires in about {0} s', left);
  }

  protected override rowSuffix(): Text {
    return joinText([text('for {0}', formatEndpoint(this.client)), this.expiry()], ' · ');
  }

  protected override tooltipRows(): Array<[Text, TextArg]> {
    const rows = super.tooltipRows();
    rows.splice(2, 0, [text('for client'), `\`${formatEndpoint(this.client)}\``]);
    rows.push([
      text('mapping'),
      text('{0}: a mapping with no datagram either way is closed, like a NAT entry', this.expiry()),
    ]);
    return rows;
  }
}

/** The relay's listening socket (the address clients send to), parent of its legs in the tree. */
export class UdpRelay extends UdpSocketBase {
  readonly impairmentState: RelayImpairment;
  private readonly mappings = new Map<string, Mapping>();
  /** The mapping of the last datagram: most traffic comes from one client at a time, so skip the key. */
  private last: Mapping | undefined;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private readonly idleMs: number;
  /** Mappings closed for being idle, so far. */
  expiredCount = 0;

  constructor(
    id: SocketId,
    ctx: SocketContext,
    private readonly options: RelayOptions,
  ) {
    super(id, 'relay', 'udp', ctx, 'opening');
    ({ local: this.local, remote: this.remote, impairment: this.impairmentState } = relaySetup(options));
    this.idleMs = options.idleMs ?? UDP_IDLE_MS;
  }

  /** What the impairment did so far. */
  get stats(): ImpairmentStats {
    return this.impairmentState.stats;
  }

  get label(): string {
    return this.impairmentState.label(this.local, this.remote!);
  }

  /** A relay answers its clients with what the target answers: it can take part in a loop. */
  override get replies(): boolean {
    return true;
  }

  /** Legs currently open (one per client address). */
  get legCount(): number {
    return this.mappings.size;
  }

  /** The leg serving one client address, if any. */
  legFor(client: Endpoint): UdpRelayLeg | undefined {
    return this.mappings.get(`${client.address}|${client.port}`)?.leg;
  }

  async open(): Promise<void> {
    const { address, port, family } = this.options.listen;
    await this.bindSocket(family, port, address);
    this.sweeper = setInterval(() => this.sweepIdle(), Math.max(250, Math.min(this.idleMs / 4, 10_000)));
    this.sweeper.unref();
  }

  protected onMessage(msg: Buffer, from: Endpoint): void {
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
      this.remote!,
      client,
      (_l, reply) => this.onTargetMessage(m, reply),
      (l) => this.forget(l),
      () => ({ idleMs: this.idleMs, quietSince: m.active ? 0 : m.quietSince }),
    );
    const { up: upModel, down: downModel } = this.impairmentState.models();
    const count = (event: ImpairmentEvent, reason: string | undefined) =>
      this.impairmentState.count(event, reason !== undefined);
    const m: Mapping = {
      key,
      client,
      leg,
      up:
        upModel &&
        new DatagramLink<Buffer>(
          upModel,
          (d) => leg.forward(d),
          (event, d, _ms, reason) => {
            count(event, reason);
            leg.logImpairment(event, d, reason);
          },
        ),
      down:
        downModel &&
        new DatagramLink<Buffer>(
          downModel,
          (d) => this.toClient(client, d),
          (event, d, _ms, reason) => {
            count(event, reason);
            this.record(event, d.length, d, client, overflowExtra(reason));
          },
        ),
      active: true,
      quietSince: 0,
      closed: false,
    };
    this.mappings.set(key, m);
    this.ctx.adopt(leg);
    this.stateEmitter.fire(this);
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
    this.transmit(msg, client);
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
      this.stateEmitter.fire(this);
    }
  }

  /**
   * Closes the mappings idle for longer than the idle timeout (and with nothing in flight); each close is
   * logged on its leg with the reason. Runs on a timer; `now` lets a test look into the future.
   */
  sweepIdle(now = Date.now()): number {
    let closed = 0;
    for (const m of [...this.mappings.values()]) {
      if (m.active || m.up?.pending || m.down?.pending) {
        m.active = false;
        m.quietSince = now;
      } else if (now - m.quietSince >= this.idleMs) {
        closed++;
        this.expiredCount++;
        void m.leg.expire(this.idleMs);
      }
    }
    return closed;
  }

  /** Sends a datagram of the user's own from the listening socket; it needs a destination. */
  send(data: Buffer, to?: Endpoint): Promise<number> {
    if (!to) {
      return Promise.reject(
        new PlaygroundError(
          `a UDP relay has no default destination for its listening socket: give "to", or send on one of its legs.`,
          'EINVAL',
          NoteId.UdpNoConnection,
        ),
      );
    }
    return this.sendDatagram(data, to);
  }

  /** Closes every leg (clearing any delayed datagrams) and the listening socket. */
  override close(): Promise<void> {
    this.relayClosing ??= (async () => {
      if (this.sweeper) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
      if (this.state === 'bound') {
        this.setState('closing');
      }
      const legs = [...this.mappings.values()];
      for (const m of legs) {
        m.up?.dispose();
        m.down?.dispose();
      }
      await Promise.all(legs.map((m) => m.leg.close()));
      await super.close();
    })();
    return this.relayClosing;
  }

  private relayClosing: Promise<void> | undefined;

  protected override get hasChildren(): boolean {
    return true;
  }

  protected override get impairmentView(): RelayImpairment {
    return this.impairmentState;
  }

  // Its legs carry the bytes (their rows and the tooltip count them): the relay's row keeps to what it did.
  protected override rowSummary(): Text {
    return counted(this.mappings.size, 'leg');
  }

  protected override tooltipRows(): Array<[Text, TextArg]> {
    const rows = super.tooltipRows();
    rows.splice(2, 0, ...this.impairmentState.tooltipRows());
    rows.push([
      text('legs'),
      text(
        '{0} open (one per client address); {1} closed after {2} s idle',
        this.mappings.size,
        this.expiredCount,
        this.idleMs / 1000,
      ),
    ]);
    return rows;
  }
}
