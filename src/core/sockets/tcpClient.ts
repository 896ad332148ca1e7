/** Thin adapter over a node:net Socket: one TCP byte stream, either a client or a server's accepted connection. */
import { text } from '../../shared/l10n';
import { formatEndpoint } from '../../shared/endpoint';
import * as net from 'node:net';
import { replyFor } from './behavior';
import { LineFramer } from './codec';
import { PlaygroundError, errorCode, errorMessage, explainSocketError } from '../errors';
import { NoteId } from '../notes/notes';
import { PlaygroundSocket, type SocketContext } from './socketBase';
import type { Behavior, CloseReason, Framing, SocketId, SocketKind } from '../../shared/types';

export type ServeOptions = { behavior: Behavior; reply?: Buffer; framing: Framing };

/**
 * What every playground TCP stream shares (clients, a server's connections, a relay's legs): explicit state,
 * who closed, the send path with its callback, graceful close with a grace period, and destroy.
 */
export abstract class TcpStreamBase extends PlaygroundSocket {
  private closing: Promise<void> | undefined;
  protected closedBy: CloseReason | undefined;
  private resolveClosed!: () => void;
  /** Resolves when the OS handle is closed. */
  readonly whenClosed: Promise<void>;

  constructor(
    id: SocketId,
    kind: Extract<SocketKind, 'tcp-client' | 'tcp-connection'>,
    ctx: SocketContext,
    readonly sock: net.Socket,
    parentId: SocketId | undefined,
  ) {
    super(id, kind, 'tcp', ctx, 'open', parentId);
    this.whenClosed = new Promise((r) => (this.resolveClosed = r));
    this.local = { address: sock.localAddress ?? '', port: sock.localPort ?? 0 };
    this.remote = { address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0 };
    sock.on('end', () => this.onEnd());
    sock.on('error', (err) => this.onError(err));
    sock.on('close', () => this.onClose());
  }

  /** Logs how this stream came to be: `connect` (client) or `accept` (server side). */
  logOpened(event: 'connect' | 'accept'): void {
    this.record(event, 0);
  }

  /** The peer sent FIN. */
  protected abstract onEnd(): void;

  /** After the close was logged and the state set. */
  protected afterClose(): void {}

  private onError(err: Error): void {
    const code = errorCode(err);
    if (code === 'ECONNRESET' || code === 'EPIPE') {
      this.closedBy = 'reset';
    }
    this.error = { code, message: errorMessage(err) };
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
    this.afterClose();
  }

  /** Sends bytes onto the stream; resolves once the OS has taken them. */
  send(data: Buffer): Promise<number> {
    if (!this.sock.writable || !this.isOpen) {
      return Promise.reject(
        new PlaygroundError(
          this.state === 'open'
            ? text('{0} is no longer writable: nothing was sent. Open a new connection.', this.label)
            : text('{0} is {1}: nothing was sent. Open a new connection.', this.label, this.state),
          'ESOCKETCLOSED',
          NoteId.SocketClosed,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.sock.write(data, (err) => {
        if (err) {
          reject(
            explainSocketError(err, { host: this.remote!.address, port: this.remote!.port, action: 'send' }),
          );
        } else {
          resolve(data.length);
        }
      });
      this.countOut(data.length);
      this.record('send', data.length, data);
    });
  }

  /** Graceful close: FIN, then wait for the OS to finish; a stalled peer is cut off after `graceMs`. */
  close(graceMs = 2000): Promise<void> {
    if (!this.closing) {
      if (this.sock.destroyed) {
        this.closing = this.whenClosed;
      } else {
        this.closedBy ??= 'local';
        this.setState('closing');
        this.sock.end();
        const timer = setTimeout(() => this.sock.destroy(), graceMs);
        timer.unref();
        this.closing = this.whenClosed.finally(() => clearTimeout(timer));
      }
    }
    return this.closing;
  }

  /**
   * Immediate close without waiting for the peer, as when a server shuts down: the OS sends FIN, or RST when
   * received data is still unread.
   */
  destroy(): Promise<void> {
    this.closedBy ??= 'local';
    if (!this.sock.destroyed) {
      this.setState('closing');
      this.sock.destroy();
    }
    return this.whenClosed;
  }
}

/**
 * One TCP connection. TCP is a byte stream: every 'data' chunk is logged as it arrived and never presented as a
 * "message"; line framing, when asked for, is done by LineFramer on top. A serving connection stops reading
 * while its replies wait unsent (backpressure), so a client that writes and never reads cannot make the host
 * buffer without bound.
 */
export class TcpStream extends TcpStreamBase {
  private framer: LineFramer | undefined;
  /** Reading stopped until the peer takes our replies. */
  private paused = false;

  constructor(
    id: SocketId,
    kind: Extract<SocketKind, 'tcp-client' | 'tcp-connection'>,
    ctx: SocketContext,
    sock: net.Socket,
    parentId: SocketId | undefined,
    private readonly serve: ServeOptions | undefined,
  ) {
    super(id, kind, ctx, sock, parentId);
    if (serve) {
      this.behavior = serve.behavior;
      if (serve.framing === 'line') {
        this.framer = new LineFramer();
      }
      sock.on('drain', () => {
        if (this.paused) {
          this.paused = false;
          sock.resume();
        }
      });
    }
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  get label(): string {
    return this.kind === 'tcp-connection'
      ? `TCP connection ${formatEndpoint(this.local)} ⇄ ${formatEndpoint(this.remote)}`
      : `TCP client ${formatEndpoint(this.local)} → ${formatEndpoint(this.remote)}`;
  }

  /** True while reading is paused because the peer has not taken our replies (backpressure). */
  get readingPaused(): boolean {
    return this.paused;
  }

  private onData(chunk: Buffer): void {
    this.countIn(chunk.length);
    if (this.serve && !this.framer) {
      // The answer goes to the OS first and both entries are written after it, in their order: the peer does
      // not wait for the bookkeeping. Both happened in this handler, at one moment: the clock is read once.
      const out = this.write(chunk);
      const now = Date.now();
      this.recordOwned('receive', chunk, undefined, now);
      if (out) {
        this.recordOwned('send', out, undefined, now);
      }
      return;
    }
    this.recordOwned('receive', chunk);
    if (this.framer) {
      for (const line of this.framer.push(chunk)) {
        this.reply(line);
      }
      if (this.framer.overflowed) {
        this.lineTooLong();
      }
    }
  }

  /** A line past the framer's cap: say why, and close (the server will not hold an endless line). */
  private lineTooLong(): void {
    if (this.sock.destroyed) {
      return;
    }
    const max = this.framer!.maxLine;
    this.record('error', 0, undefined, undefined, {
      error: {
        code: 'ELINETOOLONG',
        message:
          `no line end ("\\n") within ${max.toLocaleString('en-US')} bytes: this line-framing server holds at most ` +
          `${max.toLocaleString('en-US')} bytes of an unfinished line, so it closed the connection.`,
      },
    });
    void this.destroy();
  }

  private reply(input: Buffer): void {
    const out = this.write(input);
    if (out) {
      this.recordOwned('send', out);
    }
  }

  /** Writes the answer to `input` (counted, not logged); returns what was written, if anything. */
  private write(input: Buffer): Buffer | undefined {
    const out = replyFor(this.serve!.behavior, input, this.serve!.reply);
    if (out === undefined || out.length === 0 || !this.sock.writable) {
      return undefined;
    }
    // Hot path: no callback and no promise per reply; a failed write surfaces as the socket's 'error' event.
    if (!this.sock.write(out) && !this.paused) {
      // The reply waits in our buffer: read no more until the peer takes it ('drain').
      this.paused = true;
      this.sock.pause();
    }
    this.countOut(out.length);
    return out;
  }

  /** The peer sent FIN: it will send no more. We answer what is buffered, then close our side too. */
  protected onEnd(): void {
    this.closedBy ??= 'peer-fin';
    if (this.framer) {
      const rest = this.framer.flush();
      if (rest) {
        this.reply(rest);
      }
    }
    this.setState('closing');
    this.sock.end();
  }
}

/**
 * Connects `sock` (the three-way handshake), rejecting after `timeoutMs` with ETIMEDOUT, or at once when
 * `signal` aborts; either way no timer or listener is left behind.
 */
export function connectStream(
  sock: net.Socket,
  options: { address: string; port: number; family: 4 | 6; timeoutMs: number },
  signal?: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
    }, options.timeoutMs);
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onConnect = () => {
      cleanup();
      resolve();
    };
    const onAbort = () => {
      cleanup();
      reject(Object.assign(new Error('connect aborted'), { code: 'ABORT_ERR' }));
    };
    const cleanup = () => {
      clearTimeout(timer);
      sock.off('error', onError);
      sock.off('connect', onConnect);
      signal?.removeEventListener('abort', onAbort);
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort);
    sock.once('error', onError);
    sock.once('connect', onConnect);
    sock.connect({ port: options.port, host: options.address, family: options.family, noDelay: true });
  });
}

export type TcpClientOptions = {
  host: string;
  address: string;
  family: 4 | 6;
  port: number;
  timeoutMs: number;
};

/** The textbook TCPClient.py: connect (three-way handshake), then send and receive on the stream. */
export async function connectTcpClient(
  id: SocketId,
  ctx: SocketContext,
  options: TcpClientOptions,
): Promise<TcpStream> {
  const { address, port, timeoutMs, family } = options;
  const sock = new net.Socket({ allowHalfOpen: true });
  try {
    await connectStream(sock, { address, port, family, timeoutMs });
  } catch (err) {
    sock.destroy();
    throw explainSocketError(err, { host: options.host, port, action: 'connect' });
  }
  const c = new TcpStream(id, 'tcp-client', ctx, sock, undefined, undefined);
  c.logOpened('connect');
  return c;
}
