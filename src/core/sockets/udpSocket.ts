/** Thin adapter over node:dgram: the playground's UDP server and UDP client. */
import { formatEndpoint } from '../../shared/endpoint';
import * as dgram from 'node:dgram';
import { replyFor } from './behavior';
import { explainSocketError, errorCode, errorMessage } from '../errors';
import { whenReady } from '../events';
import { DatagramLink, describeImpairment, ImpairmentModel, isActive } from './impairment';
import { PlaygroundSocket, type SocketContext } from './socketBase';
import type { Behavior, Endpoint, Impairment, SocketId } from '../../shared/types';

type Family = 4 | 6;

/** Binds a dgram socket; resolves once it is listening, rejects with the bind error. */
export function bindDgram(sock: dgram.Socket, port: number, address: string): Promise<void> {
  return whenReady(sock, 'listening', () => sock.bind({ port, address, exclusive: true }));
}

abstract class UdpSocketBase extends PlaygroundSocket {
  protected sock: dgram.Socket | undefined;
  private closing: Promise<void> | undefined;

  protected async open(family: Family, port: number, address: string): Promise<void> {
    const sock = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6 });
    try {
      await bindDgram(sock, port, address);
    } catch (err) {
      sock.close();
      const explained = explainSocketError(err, { host: address, port, action: 'bind' });
      this.local = { address, port };
      this.record('error', 0, undefined, undefined, {
        error: { code: explained.code, message: explained.message },
      });
      throw explained;
    }
    this.sock = sock;
    const a = sock.address();
    this.local = { address: a.address, port: a.port };
    // rinfo is a fresh object per datagram with address and port: used as the Endpoint as is (no copy per datagram).
    sock.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    sock.on('error', (err) => this.onSocketError(err));
    this.setState('bound');
    this.record('bind', 0);
  }

  protected abstract onMessage(msg: Buffer, from: Endpoint): void;

  protected onSocketError(err: Error): void {
    // UDP errors (e.g. ECONNREFUSED from an ICMP port-unreachable on Linux) do not end the socket.
    this.record('error', 0, undefined, undefined, {
      error: { code: errorCode(err), message: errorMessage(err) },
    });
  }

  /** Sends one datagram; counts it once the OS has taken it. */
  protected sendDatagram(data: Buffer, to: Endpoint): Promise<number> {
    const sock = this.sock!;
    return new Promise((resolve, reject) => {
      sock.send(data, to.port, to.address, (err) => {
        if (err) {
          const explained = explainSocketError(err, { host: to.address, port: to.port, action: 'send' });
          this.record('error', 0, undefined, to, {
            error: { code: explained.code, message: explained.message },
          });
          reject(explained);
        } else {
          resolve(data.length);
        }
      });
      // Logged when handed to the OS, in call order, so the log reads like the program.
      this.countOut(data.length);
      this.record('send', data.length, data, to);
    });
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closing = new Promise<void>((resolve) => {
        const sock = this.sock;
        if (!sock || this.state === 'closed') {
          this.setState('closed');
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
        (event, d) => {
          if (event === 'drop') {
            this.dropped++;
          }
          this.record(event, d.msg.length, d.msg, d.from);
        },
      );
    }
  }

  /** The impairment asked for, when one is in force (the Sockets view reports what it did). */
  get impairmentConfig(): Impairment | undefined {
    return this.impairment ? this.options.impairment : undefined;
  }

  static async start(id: SocketId, ctx: SocketContext, options: UdpServerOptions): Promise<UdpServer> {
    const s = new UdpServer(id, ctx, options);
    await s.open(options.family, options.port, options.address);
    return s;
  }

  get label(): string {
    const how = this.impairment
      ? describeImpairment(this.options.impairment, this.impairment.model.seed)
      : '';
    return `UDP server ${formatEndpoint(this.local)}${how ? ` (${how})` : ''}`;
  }

  protected onMessage(msg: Buffer, from: Endpoint): void {
    this.countIn(msg.length);
    this.record('receive', msg.length, msg, from);
    if (this.impairment) {
      // The pinger-lab server: drop exactly the share asked for (and delay, duplicate, reorder), seeded.
      this.impairment.push({ msg, from });
    } else {
      this.answer(msg, from);
    }
  }

  private answer(msg: Buffer, from: Endpoint): void {
    const reply = replyFor(this.options.behavior, msg, this.options.reply);
    if (reply !== undefined && this.sock && this.state === 'bound') {
      // Hot path: no callback and no promise per reply; a failed send surfaces as the socket's 'error' event.
      this.sock.send(reply, from.port, from.address);
      this.countOut(reply.length);
      this.record('send', reply.length, reply, from);
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
    await c.open(options.family, options.localPort, options.localAddress);
    return c;
  }

  get label(): string {
    return `UDP client ${formatEndpoint(this.local)} → ${formatEndpoint(this.remote)}`;
  }

  protected onMessage(msg: Buffer, from: Endpoint): void {
    this.countIn(msg.length);
    this.record('receive', msg.length, msg, from);
  }

  send(data: Buffer, to?: Endpoint): Promise<number> {
    return this.sendDatagram(data, to ?? this.remote!);
  }
}
