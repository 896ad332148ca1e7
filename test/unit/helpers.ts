/**
 * Real loopback peers for tests: plain Node sockets, OS-assigned ports, awaited teardown.
 *
 * Every wait here ends on an event or a state (a reply, n bytes, a condition coming true); the time bounds are
 * only there to turn a hang into a failure that says what was awaited. They are generous on purpose: on a busy
 * machine (two cores, several test runs and CPU hogs beside this one) a loopback reply can take seconds.
 */
import * as dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { SocketRegistry, type EngineSettings } from '../../src/core/registry';
import { TrafficLog, type LogLimits } from '../../src/core/traffic/trafficLog';

/** How long a helper waits for an event before it fails: well above any loaded machine's hiccup, under mocha's timeout. */
export const WAIT_MS = 20_000;

export function makeEngine(settings: Partial<EngineSettings> = {}, limits: Partial<LogLimits> = {}) {
  const log = new TrafficLog(limits, 5);
  const s: EngineSettings = { bindAddress: '127.0.0.1', allowRemoteBind: false, defaultPort: 0, ...settings };
  const registry = new SocketRegistry(log, () => s);
  return { log, registry, settings: s };
}

export function udpPeer(type: 'udp4' | 'udp6' = 'udp4'): Promise<dgram.Socket> {
  const sock = dgram.createSocket(type);
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', () => resolve(sock));
  });
}

/** Sends one datagram and waits for one reply (or rejects after `ms`: only a test of silence passes a short one). */
export function udpRequest(
  sock: dgram.Socket,
  port: number,
  data: string | Buffer,
  host = '127.0.0.1',
  ms = WAIT_MS,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.off('message', onMsg);
      reject(new Error('no UDP reply'));
    }, ms);
    const onMsg = (msg: Buffer) => {
      clearTimeout(timer);
      resolve(msg);
    };
    sock.once('message', onMsg);
    sock.send(data, port, host);
  });
}

export function closeUdp(sock: dgram.Socket): Promise<void> {
  return new Promise((resolve) => sock.close(() => resolve()));
}

export function tcpConnect(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Collects bytes from a stream until `n` bytes arrived (or rejects after `ms`). */
export function readBytes(sock: net.Socket, n: number, ms = WAIT_MS): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const timer = setTimeout(() => {
      sock.off('data', onData);
      reject(new Error(`got ${got} of ${n} bytes`));
    }, ms);
    const onData = (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= n) {
        clearTimeout(timer);
        sock.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    sock.on('data', onData);
  });
}

/**
 * Resolves once `cond()` holds, checking it every few milliseconds (the state it reads is set by socket and log
 * events); rejects naming `what` after `ms`. `waitFor(cond, what)` uses the generous default.
 */
export function waitFor(cond: () => boolean, what?: string): Promise<void>;
export function waitFor(cond: () => boolean, ms: number, what?: string): Promise<void>;
export function waitFor(cond: () => boolean, msOrWhat?: number | string, what = 'condition'): Promise<void> {
  const ms = typeof msOrWhat === 'number' ? msOrWhat : WAIT_MS;
  const label = typeof msOrWhat === 'string' ? msOrWhat : what;
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) {
        resolve();
      } else if (Date.now() - start > ms) {
        reject(new Error(`timed out after ${ms} ms waiting for ${label}`));
      } else {
        // Checked from an immediate, not from the timer's callback: there the timer still counts among the
        // process's active resources, and some conditions are "no timer left".
        setTimeout(() => setImmediate(tick), 5);
      }
    };
    tick();
  });
}

/**
 * Sends `n` datagrams (`payload(i)`), never more than `window` ahead of what the receiver has counted
 * (`received()`): paced by the receiver's progress rather than by sleeps, so a busy machine cannot overflow the
 * loopback receive buffers and lose some (which a fixed pause between bursts does not rule out).
 */
export async function sendPaced(
  sock: dgram.Socket,
  port: number,
  n: number,
  received: () => number,
  payload: (i: number) => string | Buffer = (i) => String(i),
  { host = '127.0.0.1', window = 50 }: { host?: string; window?: number } = {},
): Promise<void> {
  const base = received();
  for (let i = 0; i < n; i++) {
    if (i - (received() - base) >= window) {
      await waitFor(() => i - (received() - base) < window, `the receiver to take datagram ${i - window}`);
    }
    sock.send(payload(i), port, host);
  }
}

/** A TCP server of plain Node; resolves with it and its port. */
export function rawTcpServer(onConn: (s: net.Socket) => void): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer(onConn);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as net.AddressInfo).port }),
    );
  });
}

/** True when a port can be bound again right now (no handle left behind). */
export async function portIsFree(
  port: number,
  protocol: 'tcp' | 'udp',
  host = '127.0.0.1',
): Promise<boolean> {
  if (protocol === 'tcp') {
    const s = net.createServer();
    return new Promise((resolve) => {
      s.once('error', () => resolve(false));
      s.listen(port, host, () => s.close(() => resolve(true)));
    });
  }
  const u = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    u.once('error', () => {
      u.close();
      resolve(false);
    });
    u.bind(port, host, () => u.close(() => resolve(true)));
  });
}

/**
 * Datagrams the kernel dropped for a full receive buffer on the UDP socket bound to 127.0.0.1:port (its own
 * "drops" in /proc/net/udp; Linux only, else undefined). Per socket, so other programs' drops do not count.
 */
export function udpSocketDrops(port: number): number | undefined {
  try {
    const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
    for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1] === local) {
        return Number(fields[fields.length - 1]);
      }
    }
    return undefined;
  } catch {
    return undefined;
  }
}
