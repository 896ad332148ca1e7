/** Thin adapter over a node:net Server: the welcoming socket, which tracks every connection it accepted. */
import { formatEndpoint } from '../../shared/endpoint';
import * as net from 'node:net';
import { explainSocketError } from '../errors';
import { whenReady } from '../events';
import { PlaygroundSocket, type SocketContext } from './socketBase';
import { TcpStream, type ServeOptions } from './tcpClient';
import type { Endpoint, SocketId } from '../../shared/types';

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

export type TcpServerOptions = ServeOptions & { port: number; address: string; family: 4 | 6 };

/** The textbook TCPServer.py: listen on a port; accept() gives one connection socket per client. */
export class TcpServer extends PlaygroundSocket {
  private server: net.Server | undefined;
  private closing: Promise<void> | undefined;
  readonly connections = new Set<TcpStream>();
  acceptedCount = 0;

  private constructor(
    id: SocketId,
    ctx: SocketContext,
    private readonly options: TcpServerOptions,
  ) {
    super(id, 'tcp-server', 'tcp', ctx, 'opening');
    this.behavior = options.behavior;
  }

  static async start(id: SocketId, ctx: SocketContext, options: TcpServerOptions): Promise<TcpServer> {
    const s = new TcpServer(id, ctx, options);
    await s.listen();
    return s;
  }

  get label(): string {
    return `TCP server ${formatEndpoint(this.local)}`;
  }

  private async listen(): Promise<void> {
    const { port, address, family } = this.options;
    const server = net.createServer({ allowHalfOpen: true, noDelay: true });
    // A runaway or hostile client loop must not exhaust the extension host's file descriptors.
    server.maxConnections = MAX_CONNECTIONS;
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
    server.on('connection', (sock) => this.onConnection(sock));
    server.on('drop', (d) => {
      this.record(
        'error',
        0,
        undefined,
        d?.remoteAddress ? { address: d.remoteAddress, port: d.remotePort ?? 0 } : undefined,
        {
          error: {
            code: 'EMFILE',
            message: `connection dropped: this server already holds ${MAX_CONNECTIONS} connections.`,
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

  private onConnection(sock: net.Socket): void {
    if (this.state !== 'listening' || sock.remoteAddress === undefined) {
      // Closed in the meantime, or the peer already vanished before we saw it.
      sock.destroy();
      return;
    }
    // The connection socket keeps the server's local port: clients are told apart by the 4-tuple.
    const conn = new TcpStream(this.ctx.newId('tcp-connection'), 'tcp-connection', this.ctx, sock, this.id, {
      behavior: this.options.behavior,
      reply: this.options.reply,
      framing: this.options.framing,
    });
    this.connections.add(conn);
    this.acceptedCount++;
    conn.onDidChangeState((c) => {
      if (c.state === 'closed' || c.state === 'error') {
        this.connections.delete(conn);
      }
    });
    this.ctx.adopt(conn);
    conn.logOpened('accept');
  }

  /** A server does not send by itself; its connections do. */
  send(_data: Buffer, _to?: Endpoint): Promise<number> {
    return Promise.reject(
      new Error(
        `${this.label} is a welcoming socket and carries no data: send on one of its connections instead.`,
      ),
    );
  }

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
        await Promise.all([...this.connections].map((c) => c.destroy()));
        await closed;
        this.record('close', 0, undefined, undefined, { closedBy: 'local' });
        this.setState('closed');
        this.ctx.closed(this);
      })();
    }
    return this.closing;
  }
}
