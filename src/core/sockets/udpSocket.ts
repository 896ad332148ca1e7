/** Thin adapter over node:dgram: the playground's UDP server and UDP client. */
import { text, type Text, type TextArg } from '../../shared/l10n';
import { formatEndpoint } from '../../shared/endpoint';
import * as dgram from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import { replyFor } from './behavior';
import { explainSocketError, errorCode, errorMessage, PlaygroundError } from '../errors';
import { NoteId } from '../notes/notes';
import { whenReady } from '../events';
import {
  DatagramLink,
  describeImpairment,
  ImpairmentModel,
  impairmentSummaryText,
  impairmentText,
  isActive,
} from './impairment';
import { counted, escapeMarkdown } from './socketView';
import { PlaygroundSocket, type LogExtra, type SocketContext } from './socketBase';
import type { Behavior, Endpoint, Impairment, SocketId } from '../../shared/types';

type Family = 4 | 6;

/** Binds a dgram socket; resolves once it is listening, rejects with the bind error. */
export function bindDgram(sock: dgram.Socket, port: number, address: string): Promise<void> {
  return whenReady(sock, 'listening', () => sock.bind({ port, address, exclusive: true }));
}

/**
 * Resolves a send's destination. An IP address (every reply goes to one: the sender's) is its own answer, given
 * at once: dgram's default asks `dns.lookup`, which answers an address a tick later, so every datagram waited a
 * turn of the event loop before reaching the OS. Host names still go to `dns.lookup`.
 */
function lookupAddress(
  hostname: string,
  options: LookupOneOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = isIP(hostname);
  if (family !== 0) {
    callback(null, hostname, family);
  } else {
    dnsLookup(hostname, options, callback);
  }
}

/** A dgram socket of the given family (IPv6 only for 6, so a v6 socket never takes v4 traffic). */
export function createDgram(family: Family): dgram.Socket {
  return dgram.createSocket({
    type: family === 6 ? 'udp6' : 'udp4',
    ipv6Only: family === 6,
    lookup: lookupAddress as dgram.SocketOptions['lookup'],
  });
}

/** Connects a dgram socket to its one peer: sends need no address lookup, and ICMP errors are reported. */
export function connectDgram(sock: dgram.Socket, port: number, address: string): Promise<void> {
  return whenReady(sock, 'connect', () => sock.connect(port, address));
}

/**
 * What every playground UDP socket shares (servers, clients, and the relay's sockets): bind, the one send path
 * (counted and logged only once the OS took the datagram), error logging and close.
 */
export abstract class UdpSocketBase extends PlaygroundSocket {
  protected sock: dgram.Socket | undefined;
  protected closing: Promise<void> | undefined;

  /**
   * Binds (and, for a socket with one peer, connects); on failure logs the explained error, calls
   * `openFailed()` and throws it.
   */
  protected async bindSocket(family: Family, port: number, address: string, peer?: Endpoint): Promise<void> {
    const sock = createDgram(family);
    try {
      await bindDgram(sock, port, address);
      if (peer) {
        await connectDgram(sock, peer.port, peer.address);
      }
    } catch (err) {
      sock.close();
      const explained = explainSocketError(err, { host: address, port, action: 'bind' });
      this.local = { address, port };
      this.record('error', 0, undefined, undefined, {
        error: { code: explained.code, message: explained.message },
      });
      this.openFailed();
      throw explained;
    }
    if (this.closing) {
      // Closed while binding (a relay leg whose mapping went away).
      sock.close();
      return;
    }
    this.sock = sock;
    const a = sock.address();
    this.local = { address: a.address, port: a.port };
    // rinfo is a fresh object per datagram with address and port: used as the Endpoint as is (no copy per datagram).
    sock.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    sock.on('error', (err) => this.onSocketError(err));
    this.setState('bound');
    this.record('bind', 0);
    if (peer) {
      this.record('connect', 0);
    }
  }

  /** What the close entry says besides "closed locally" (why it closed), if anything. */
  protected closeExtra(): LogExtra | undefined {
    return undefined;
  }

  /** Called after a failed bind was logged. */
  protected openFailed(): void {}

  protected abstract onMessage(msg: Buffer, from: Endpoint): void;

  protected onSocketError(err: Error): void {
    // UDP errors (e.g. ECONNREFUSED from an ICMP port-unreachable on Linux) do not end the socket.
    this.record('error', 0, undefined, undefined, {
      error: { code: errorCode(err), message: errorMessage(err) },
    });
  }

  /**
   * Hands one datagram to the OS (to `to`, or to the connected peer). It is counted and logged as sent only once
   * the OS took it; a failure is logged as an error instead, so the counters say what really went. A callback per
   * datagram costs little, and the OS calls it before the next datagram can arrive, so the log keeps call order.
   */
  protected transmit(data: Buffer, to: Endpoint | undefined, done?: (err?: Error) => void): void {
    const sock = this.sock;
    if (!sock || this.state !== 'bound') {
      return;
    }
    const cb = (err: Error | null) => {
      if (err) {
        const dest = to ?? this.remote ?? { address: '', port: 0 };
        const explained = explainSocketError(err, { host: dest.address, port: dest.port, action: 'send' });
        this.record('error', 0, undefined, to, {
          error: { code: explained.code, message: explained.message },
        });
        done?.(explained);
      } else {
        this.countOut(data.length);
        this.record('send', data.length, data, to);
        done?.();
      }
    };
    if (to) {
      sock.send(data, to.port, to.address, cb);
    } else {
      sock.send(data, cb);
    }
  }

  /** Sends one datagram; resolves with its size once the OS has taken it, rejects with the explained failure. */
  protected sendDatagram(data: Buffer, to: Endpoint | undefined): Promise<number> {
    if (!this.sock || this.state !== 'bound') {
      return Promise.reject(
        new PlaygroundError(
          text('{0} is {1}: nothing was sent.', this.label, this.state),
          'ESOCKETCLOSED',
          NoteId.SocketClosed,
        ),
      );
    }
    return new Promise((resolve, reject) =>
      this.transmit(data, to, (err) => (err ? reject(err) : resolve(data.length))),
    );
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closing = new Promise<void>((resolve) => {
        const sock = this.sock;
        if (!sock || this.state === 'closed') {
          const wasOpening = this.state === 'opening';
          this.setState('closed');
          if (wasOpening) {
            this.ctx.closed(this);
          }
          resolve();
          return;
        }
        this.setState('closing');
        sock.close(() => {
          this.record('close', 0, undefined, undefined, { closedBy: 'local', ...this.closeExtra() });
          this.setState('closed');
          this.ctx.closed(this);
          resolve();
        });
      });
    }
    return this.closing;
  }
}

export type UdpServerOptions = {
  port: number;
  address: string;
  family: Family;
  behavior: Behavior;
  reply?: Buffer;
  impairment?: Impairment;
};

/** The textbook UDPServer.py: bound to a port, answers every datagram to whoever sent it. */
export class UdpServer extends UdpSocketBase {
  /** The impairment applied to incoming datagrams (undefined when none): seeded loss makes the pinger-lab server. */
  readonly impairment: DatagramLink<{ msg: Buffer; from: Endpoint }> | undefined;
  dropped = 0;

  private constructor(
    id: SocketId,
    ctx: SocketContext,
    private readonly options: UdpServerOptions,
  ) {
    super(id, 'udp-server', 'udp', ctx, 'opening');
    this.behavior = options.behavior;
    const impairment = options.impairment;
    if (impairment && isActive(impairment)) {
      this.impairment = new DatagramLink(
        new ImpairmentModel(impairment),
        (d) => this.answer(d.msg, d.from),
        (event, d, _ms, reason) => {
          if (event === 'drop') {
            this.dropped++;
          }
          this.record(
            event,
            d.msg.length,
            d.msg,
            d.from,
            reason ? { error: { code: 'EQUEUEFULL', message: reason } } : undefined,
          );
        },
        { sizeOf: (d) => d.msg.length },
      );
    }
  }

  /** The impairment asked for, when one is in force (the Sockets view reports what it did). */
  get impairmentConfig(): Impairment | undefined {
    return this.impairment ? this.options.impairment : undefined;
  }

  static async start(id: SocketId, ctx: SocketContext, options: UdpServerOptions): Promise<UdpServer> {
    const s = new UdpServer(id, ctx, options);
    await s.bindSocket(options.family, options.port, options.address);
    return s;
  }

  get label(): string {
    const how = this.impairment
      ? describeImpairment(this.options.impairment, this.impairment.model.seed)
      : '';
    return `UDP server ${formatEndpoint(this.local)}${how ? ` (${how})` : ''}`;
  }

  /** A server that answers (all but `sink`): two of them sending to each other would never stop. */
  override get replies(): boolean {
    return this.options.behavior !== 'sink';
  }

  protected override rowPrefix(): Text | '' {
    return impairmentSummaryText('udp', this.impairmentConfig, this.impairment?.stats);
  }

  protected override tooltipRows(): Array<[Text, TextArg]> {
    const rows = super.tooltipRows();
    const how = this.impairment
      ? impairmentText(this.options.impairment, this.impairment.model.seed, escapeMarkdown)
      : '';
    if (how) {
      rows.push([text('impairment'), how]);
      rows.push([
        text('lost'),
        text('{0} dropped on arrival, never answered', counted(this.impairment!.stats.dropped, 'datagram')),
      ]);
    }
    return rows;
  }

  protected onMessage(msg: Buffer, from: Endpoint): void {
    this.countIn(msg.length);
    if (this.impairment) {
      this.recordOwned('receive', msg, from);
      // The pinger-lab server: drop exactly the share asked for (and delay, duplicate, reorder), seeded.
      this.impairment.push({ msg, from });
      return;
    }
    // The reply goes to the OS first and the bookkeeping after it, so the peer does not wait for the log. The log
    // still reads receive, then send: the send is logged from its callback, which runs after this handler.
    this.answer(msg, from);
    this.recordOwned('receive', msg, from);
  }

  private answer(msg: Buffer, from: Endpoint): void {
    const reply = replyFor(this.options.behavior, msg, this.options.reply);
    if (reply !== undefined) {
      this.transmit(reply, from);
    }
  }

  /** Also forgets datagrams the impairment still holds, and clears their timers. */
  override close(): Promise<void> {
    this.impairment?.dispose();
    return super.close();
  }

  /** A server can also send on its own (from the panel's send box); it needs a destination. */
  async send(data: Buffer, to?: Endpoint): Promise<number> {
    if (!to) {
      throw new Error('a UDP server has no default destination: give "to" ({ address, port }).');
    }
    return this.sendDatagram(data, to);
  }
}

export type UdpClientOptions = {
  /** Default destination. */
  remote: Endpoint;
  family: Family;
  localPort: number;
  localAddress: string;
};

/** The textbook UDPClient.py: an unconnected socket with a default destination; every send names it. */
export class UdpClient extends UdpSocketBase {
  private constructor(id: SocketId, ctx: SocketContext, remote: Endpoint) {
    super(id, 'udp-client', 'udp', ctx, 'opening');
    this.remote = remote;
  }

  static async open(id: SocketId, ctx: SocketContext, options: UdpClientOptions): Promise<UdpClient> {
    const c = new UdpClient(id, ctx, options.remote);
    await c.bindSocket(options.family, options.localPort, options.localAddress);
    return c;
  }

  get label(): string {
    return `UDP client ${formatEndpoint(this.local)} → ${formatEndpoint(this.remote)}`;
  }

  protected onMessage(msg: Buffer, from: Endpoint): void {
    this.countIn(msg.length);
    this.recordOwned('receive', msg, from);
  }

  send(data: Buffer, to?: Endpoint): Promise<number> {
    return this.sendDatagram(data, to ?? this.remote!);
  }
}
