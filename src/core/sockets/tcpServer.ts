/** Thin adapter over a node:net Server: the welcoming socket, which tracks every connection it accepted. */
import { formatEndpoint } from '../../shared/endpoint';
import * as net from 'node:net';
import { explainSocketError } from '../errors';
import { whenReady } from '../events';
import { PlaygroundSocket, type SocketContext } from './socketBase';
import { TcpStream, type ServeOptions } from './tcpClient';
import type { Endpoint, SocketId } from '../../shared/types';
import { englishText, joinText, text, type Text, type TextArg } from '../../shared/l10n';
import { counted, STATE_TEXT, type SocketRow } from './socketView';

/** Listens; resolves once listening, rejects with the listen error (the loser of the race is removed). */
export function listenServer(
  server: net.Server,
  port: number,
  address: string,
  family: 4 | 6,
): Promise<void> {
  return whenReady(server, 'listening', () =>
    server.listen({ port, host: address, exclusive: true, ipv6Only: family === 6 }),
  );
}

/** Connections one playground server holds at once; more are refused by Node (and counted in the log). */
export const MAX_CONNECTIONS = 4096;

/** Closed connections a server keeps showing (dimmed) after they ended, and for how long. */
export const RETAINED_CLOSED = 5;
export const RETAINED_MS = 60_000;

/**
 * A listening TCP socket (a server's welcoming socket, or a relay's): listen, the connection cap, error
 * logging, and close, which stops accepting and then closes what was accepted (`closeChildren`).
 */
export abstract class TcpListener extends PlaygroundSocket {
  protected server: net.Server | undefined;
  private closing: Promise<void> | undefined;

  /** Listens; on failure logs the explained error and throws it. */
  protected async listenOn(
    listen: { port: number; address: string; family: 4 | 6 },
    serverOptions: net.ServerOpts,
    maxConnections: number,
  ): Promise<void> {
    const { port, address, family } = listen;
    const server = net.createServer(serverOptions);
    // A runaway or hostile client loop must not exhaust the extension host's file descriptors.
    server.maxConnections = maxConnections;
    try {
      await listenServer(server, port, address, family);
    } catch (err) {
      server.close();
      const explained = explainSocketError(err, { host: address, port, action: 'listen' });
      this.local = { address, port };
      this.record('error', 0, undefined, undefined, {
        error: { code: explained.code, message: explained.message },
      });
      throw explained;
    }
    this.server = server;
    const a = server.address() as net.AddressInfo;
    this.local = { address: a.address, port: a.port };
    server.on('connection', (sock) => {
      if (this.state !== 'listening' || sock.remoteAddress === undefined) {
        // Closed in the meantime, or the peer already vanished before we saw it.
        sock.destroy();
        return;
      }
      this.onConnection(sock);
    });
    server.on('drop', (d) => {
      this.record(
        'error',
        0,
        undefined,
        d?.remoteAddress ? { address: d.remoteAddress, port: d.remotePort ?? 0 } : undefined,
        {
          error: {
            code: 'EMFILE',
            message: `connection dropped: ${this.label} already holds ${maxConnections} connections.`,
          },
        },
      );
    });
    server.on('error', (err) =>
      this.record('error', 0, undefined, undefined, {
        error: { code: (err as NodeJS.ErrnoException).code, message: err.message },
      }),
    );
    this.setState('listening');
    this.record('bind', 0);
    this.record('listen', 0);
  }

  /** A connection accepted while listening. */
  protected abstract onConnection(sock: net.Socket): void;

  /** Closes every accepted connection at once (and anything else the listener holds). */
  protected abstract closeChildren(): Promise<void>;

  /**
   * Stops accepting and destroys the accepted connections: `server.close()` alone waits for every connection to
   * end, which could be forever (Node's test-net-server-close).
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        const server = this.server;
        if (!server || this.state === 'closed') {
          this.setState('closed');
          return;
        }
        this.setState('closing');
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await this.closeChildren();
        await closed;
        this.record('close', 0, undefined, undefined, { closedBy: 'local' });
        this.setState('closed');
        this.ctx.closed(this);
      })();
    }
    return this.closing;
  }
}

export type TcpServerOptions = ServeOptions & { port: number; address: string; family: 4 | 6 };

/** The textbook TCPServer.py: listen on a port; accept() gives one connection socket per client. */
export class TcpServer extends TcpListener {
  readonly connections = new Set<TcpStream>();
  acceptedCount = 0;
  /** Bytes carried by the connections that have closed (the welcoming socket itself carries none). */
  private closedBytesIn = 0;
  private closedBytesOut = 0;
  /** The last closed connections, still shown for a while: their rows as they were, and when they closed. */
  private readonly retained: Array<{ row: SocketRow; closedAt: number }> = [];
  private retainTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    id: SocketId,
    ctx: SocketContext,
    private readonly options: TcpServerOptions,
    private readonly now: () => number = Date.now,
  ) {
    super(id, 'tcp-server', 'tcp', ctx, 'opening');
    this.behavior = options.behavior;
  }

  static async start(id: SocketId, ctx: SocketContext, options: TcpServerOptions): Promise<TcpServer> {
    const s = new TcpServer(id, ctx, options);
    await s.listenOn(options, { allowHalfOpen: true, noDelay: true }, MAX_CONNECTIONS);
    return s;
  }

  get label(): string {
    return `TCP server ${formatEndpoint(this.local)}`;
  }

  /** Bytes in and out over every connection this server accepted, open or closed. */
  get servedBytes(): { in: number; out: number } {
    let bin = this.closedBytesIn;
    let bout = this.closedBytesOut;
    for (const c of this.connections) {
      bin += c.bytesIn;
      bout += c.bytesOut;
    }
    return { in: bin, out: bout };
  }

  protected onConnection(sock: net.Socket): void {
    // The connection socket keeps the server's local port: clients are told apart by the 4-tuple.
    const conn = new TcpStream(this.ctx.newId('tcp-connection'), 'tcp-connection', this.ctx, sock, this.id, {
      behavior: this.options.behavior,
      reply: this.options.reply,
      framing: this.options.framing,
    });
    this.connections.add(conn);
    this.acceptedCount++;
    conn.onDidChangeState((c) => {
      if ((c.state === 'closed' || c.state === 'error') && this.connections.delete(conn)) {
        this.closedBytesIn += conn.bytesIn;
        this.closedBytesOut += conn.bytesOut;
        this.retain(conn);
      }
    });
    this.ctx.adopt(conn);
    conn.logOpened('accept');
  }

  /** Keeps a closed connection's row in view (the last RETAINED_CLOSED, for RETAINED_MS). */
  private retain(conn: TcpStream): void {
    if (this.state !== 'listening') {
      return;
    }
    const row = conn.describe();
    row.id = `${conn.id}:closed`;
    row.contextValue = `${conn.kind}:closed:retained`;
    row.tone = 'dim';
    row.tooltipText = joinText(
      [
        row.tooltipText ?? row.tooltip,
        '\n\n',
        text(
          'This connection has closed; it stays here for {0} s so you can see what it carried.',
          RETAINED_MS / 1000,
        ),
      ],
      '',
    );
    row.tooltip = englishText(row.tooltipText);
    this.retained.push({ row, closedAt: this.now() });
    if (this.retained.length > RETAINED_CLOSED) {
      this.retained.shift();
    }
    this.armRetainTimer();
    this.stateEmitter.fire(this);
  }

  private armRetainTimer(): void {
    if (this.retainTimer || this.retained.length === 0) {
      return;
    }
    const wait = Math.max(0, this.retained[0]!.closedAt + RETAINED_MS - this.now());
    this.retainTimer = setTimeout(() => {
      this.retainTimer = undefined;
      this.expireRetained();
    }, wait);
    this.retainTimer.unref();
  }

  /** Forgets the closed connections shown for long enough; `now` lets a test look into the future. */
  expireRetained(now = this.now()): void {
    const before = this.retained.length;
    while (this.retained.length > 0 && now - this.retained[0]!.closedAt >= RETAINED_MS) {
      this.retained.shift();
    }
    if (this.retained.length !== before) {
      this.stateEmitter.fire(this);
    }
    if (this.retainTimer && this.retained.length === 0) {
      clearTimeout(this.retainTimer);
      this.retainTimer = undefined;
    }
    this.armRetainTimer();
  }

  override retainedRows(): SocketRow[] {
    return this.retained.map((r) => r.row);
  }

  override describe(): SocketRow {
    const row = super.describe();
    const served = this.servedBytes;
    // The welcoming socket's own counters are always 0: say what its connections carried instead.
    row.accessibilityText = text(
      'TCP server, welcoming socket {0}, {1}, {2} connections open, {3} served; its connections carried {4} bytes in, {5} bytes out',
      formatEndpoint(this.local),
      STATE_TEXT[this.state],
      this.connections.size,
      this.acceptedCount,
      served.in,
      served.out,
    );
    row.accessibility = englishText(row.accessibilityText);
    return row;
  }

  protected override get hasChildren(): boolean {
    return true;
  }

  // The row says what fits a narrow sidebar; "welcoming socket" and what the connections carried are in the
  // tooltip (and the connections' own rows show their bytes).
  protected override rowSummary(): Text {
    return text('{0} open, {1} served', this.connections.size, this.acceptedCount);
  }

  protected override tooltipRows(): Array<[Text, TextArg]> {
    const served = this.servedBytes;
    const rows: Array<[Text, TextArg]> = [[text('welcoming socket'), `\`${formatEndpoint(this.local)}\``]];
    if (this.behavior) {
      rows.push([text('behaviour'), this.behavior]);
    }
    rows.push([text('framing'), this.options.framing]);
    rows.push([
      text('connections'),
      text('{0} open, {1} served in all', this.connections.size, this.acceptedCount),
    ]);
    rows.push([
      text('on its connections'),
      text('{0} in, {1} out (open and closed ones)', counted(served.in, 'byte'), counted(served.out, 'byte')),
    ]);
    return rows;
  }

  protected override tooltipNote(): Text {
    return joinText(
      [
        '\n\n',
        text(
          'The welcoming socket only accepts connections and carries no data itself: each accepted client gets ' +
            'a connection socket of its own (the rows below), and the bytes flow there.',
        ),
        '\n',
      ],
      '',
    );
  }

  /** A server does not send by itself; its connections do. */
  send(_data: Buffer, _to?: Endpoint): Promise<number> {
    return Promise.reject(
      new Error(
        `${this.label} is a welcoming socket and carries no data: send on one of its connections instead.`,
      ),
    );
  }

  protected async closeChildren(): Promise<void> {
    if (this.retainTimer) {
      clearTimeout(this.retainTimer);
      this.retainTimer = undefined;
    }
    this.retained.length = 0;
    await Promise.all([...this.connections].map((c) => c.destroy()));
  }
}
