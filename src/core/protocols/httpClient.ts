/**
 * The playground's HTTP client (the browser of the web-server lab, and the "Send HTTP Request" command): a TCP
 * client of the registry that sends a GET, whole or in pieces, and reads the response from the traffic log, so
 * every byte shows in the tree and the traffic panel like any socket's.
 */
import { invalidArgument } from '../errors';
import {
  rejectUnknownKeys,
  requireObject,
  validateDestinationPort,
  validateHost,
  validateTimeout,
} from '../validate';
import type { LogRecord } from '../traffic/trafficLog';
import type { SocketInfo } from '../../shared/types';
import { httpGetRequest, parseHttpResponse, type HttpResponseParse } from './httpMessage';
import { socketEntries, until, type PeerEngine } from './peerEngine';
import { untilPeerRead } from './streamQueues';

/** The most of a response the client reads. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** How long a piece waits for the server to read the one before (then it goes anyway). */
const PIECE_WAIT_MS = 2000;

export type HttpClientOptions = { host?: string; port: number; timeoutMs?: number };

/** One HTTP exchange on its own connection. */
export class HttpClientPeer {
  private constructor(
    private readonly engine: PeerEngine,
    readonly socket: SocketInfo,
    readonly host: string,
    /** The first log seq that can be this connection's. */
    private readonly fromSeq: number,
  ) {}

  /** Connects (the three-way handshake); rejects as connectTcpClient does (refused, timed out). */
  static async connect(engine: PeerEngine, o: HttpClientOptions): Promise<HttpClientPeer> {
    const host = o.host ?? '127.0.0.1';
    const before = engine.log.lastSeq;
    const socket = await engine.registry.connectTcpClient({
      host,
      port: o.port,
      timeoutMs: o.timeoutMs ?? 5000,
    });
    return new HttpClientPeer(engine, socket, host, before + 1);
  }

  /** The request a browser sends for `path`. */
  request(path: string): Buffer {
    return httpGetRequest(path, this.host, this.socket.remote?.port ?? 0);
  }

  /**
   * Sends `data`, cut at the offsets in `cuts`: each piece is its own write, and the next goes only once the
   * server has read the one before (see streamQueues), so the pieces reach the server's recv() apart.
   */
  async send(data: Buffer, cuts: number[] = []): Promise<LogRecord[]> {
    const bounds = [0, ...cuts.filter((c) => c > 0 && c < data.length).sort((a, b) => a - b), data.length];
    for (let i = 0; i + 1 < bounds.length; i++) {
      if (i > 0) {
        const local = this.socket.local;
        const remote = this.socket.remote!;
        await untilPeerRead(local, remote, PIECE_WAIT_MS, () => this.closed);
        if (this.closed) {
          break;
        }
      }
      await this.engine.registry.send({
        socketId: this.socket.id,
        data: data.subarray(bounds[i], bounds[i + 1]).toString('base64'),
        encoding: 'base64',
      });
    }
    return this.entries().filter((r) => r.event === 'send');
  }

  /** This connection's log entries. */
  entries(): LogRecord[] {
    return socketEntries(this.engine.log, this.socket.id, this.fromSeq);
  }

  /** True once the server closed (or reset) the connection. */
  get closed(): boolean {
    return (
      this.entries().some((r) => r.event === 'close') || !this.engine.registry.get(this.socket.id)?.isOpen
    );
  }

  /** The response as far as it came, with the receive entries it came in. */
  response(): HttpResponseParse & { received: LogRecord[]; truncated: boolean } {
    const received = this.entries().filter((r) => r.event === 'receive');
    const raw = Buffer.concat(received.map((r) => Buffer.from(r.payload ?? [])));
    // A server that never stops sending: past the cap the response counts as ended (and is judged as it is).
    const tooLarge = raw.length > MAX_RESPONSE_BYTES;
    return {
      ...parseHttpResponse(tooLarge ? raw.subarray(0, MAX_RESPONSE_BYTES) : raw, this.closed || tooLarge),
      received,
      truncated: received.some((r) => r.truncated),
    };
  }

  /** Waits until the response is complete or the connection closed, at most `ms`. */
  async waitForResponse(ms: number): Promise<ReturnType<HttpClientPeer['response']>> {
    await until(this.engine, () => (this.response().complete || this.closed ? true : undefined), ms);
    return this.response();
  }

  /** Closes the connection (idempotent). */
  async close(): Promise<void> {
    if (this.engine.registry.get(this.socket.id)) {
      await this.engine.registry.closeSocket({ socketId: this.socket.id }).catch(() => undefined);
    }
  }
}

/** What socketPlayground.sendHttpRequest returns: the response as far as it came. */
export type HttpGetResult = {
  socketId: string;
  status?: number;
  statusLine?: string;
  headers?: Record<string, string>;
  body: string;
  bytes: number;
  complete: boolean;
};

/** socketPlayground.sendHttpRequest: validates `{ host?, port, path?, timeoutMs? }`, then GETs. */
export function sendHttpRequest(engine: PeerEngine, arg: unknown): Promise<HttpGetResult> {
  const o = requireObject(arg, 'sendHttpRequest');
  rejectUnknownKeys(o, ['host', 'port', 'path', 'timeoutMs'], 'sendHttpRequest');
  if (o['port'] === undefined) {
    throw invalidArgument(
      'sendHttpRequest needs port: the web server\'s port, e.g. { port: 6789, path: "/HelloWorld.html" }.',
    );
  }
  return httpGet(engine, {
    port: validateDestinationPort(o['port']),
    host: validateHost(o['host'] ?? '127.0.0.1'),
    ...(o['path'] !== undefined ? { path: o['path'] as string } : {}),
    timeoutMs: validateTimeout(o['timeoutMs'] ?? 5000),
  });
}

/** The HTTP client as a command: GET `path` from host:port, wait for the response, close. */
export async function httpGet(
  engine: PeerEngine,
  arg: { host?: string; port: number; path?: string; timeoutMs?: number },
): Promise<HttpGetResult> {
  const path = arg.path ?? '/';
  if (typeof path !== 'string' || !/^\/[\x21-\x7e]*$/.test(path) || path.length > 2000) {
    throw invalidArgument(
      `path must start with "/" and hold no spaces, e.g. "/HelloWorld.html"; got ${JSON.stringify(path)}.`,
    );
  }
  const peer = await HttpClientPeer.connect(engine, arg);
  try {
    await peer.send(peer.request(path));
    const r = await peer.waitForResponse(arg.timeoutMs ?? 5000);
    return {
      socketId: peer.socket.id,
      status: r.status,
      statusLine: r.statusLine,
      headers: r.headers,
      body: (r.body ?? Buffer.alloc(0)).toString('utf8'),
      bytes: r.raw.length,
      complete: r.complete,
    };
  } finally {
    await peer.close();
  }
}
