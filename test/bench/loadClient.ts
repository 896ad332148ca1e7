/**
 * Load generator, run as its own process so the server under test has the event loop to itself.
 * Usage: node loadClient.js <udp|tcp|bulk|flood> <port> <durationMs> [window | MiB | datagrams]
 * Prints one JSON line: { ops, ms, bytes }.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';

const [mode, portArg, durArg, windowArg] = process.argv.slice(2);
const port = Number(portArg);
const durationMs = Number(durArg ?? 2000);
const window = Number(windowArg ?? 8);
const payload = Buffer.from('the quick brown fox jumps over the lazy dog\n');

function done(ops: number, ms: number, bytes = 0): void {
  process.stdout.write(JSON.stringify({ ops, ms, bytes }) + '\n');
  process.exit(0);
}

if (mode === 'udp') {
  const sock = dgram.createSocket('udp4');
  let ops = 0;
  let inflight = 0;
  const start = performance.now();
  const end = start + durationMs;
  const pump = () => {
    while (inflight < window && performance.now() < end) {
      inflight++;
      sock.send(payload, port, '127.0.0.1');
    }
  };
  sock.on('message', () => {
    ops++;
    inflight--;
    if (performance.now() < end) {
      pump();
    } else if (inflight === 0) {
      done(ops, performance.now() - start);
    }
  });
  // A lost datagram would stall a window slot forever: refill stalled windows, and stop on time regardless.
  setInterval(() => {
    inflight = Math.min(inflight, window - 1);
    pump();
  }, 50).unref();
  setTimeout(() => done(ops, performance.now() - start), durationMs + 500);
  sock.bind(0, '127.0.0.1', pump);
} else if (mode === 'tcp') {
  // Each request is one line; the server answers per chunk, so keep one request in flight per connection and
  // use `window` connections.
  let ops = 0;
  const start = performance.now();
  const end = start + durationMs;
  let open = 0;
  for (let i = 0; i < window; i++) {
    const s = net.connect({ port, host: '127.0.0.1', noDelay: true }, () => {
      open++;
      s.write(payload);
    });
    let got = 0;
    s.on('data', (d) => {
      got += d.length;
      while (got >= payload.length) {
        got -= payload.length;
        ops++;
        if (performance.now() < end) {
          s.write(payload);
        } else {
          s.end();
        }
      }
    });
    s.on('close', () => {
      if (--open === 0) {
        done(ops, performance.now() - start);
      }
    });
    s.on('error', () => undefined);
  }
} else if (mode === 'bulk') {
  const total = Number(windowArg ?? 256) * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const s = net.connect({ port, host: '127.0.0.1' }, () => {
    let sent = 0;
    const start = performance.now();
    const write = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!s.write(chunk)) {
          s.once('drain', write);
          return;
        }
      }
      s.end();
    };
    s.on('close', () => done(1, performance.now() - start, sent));
    write();
  });
  s.on('data', () => undefined);
} else if (mode === 'flood') {
  // Sends `window` datagrams (durArg is unused) as fast as the socket takes them, in bursts of 64.
  const total = window;
  const sock = dgram.createSocket('udp4');
  const start = performance.now();
  let sent = 0;
  const burst = () => {
    let pending = 0;
    for (let i = 0; i < 64 && sent < total; i++, sent++) {
      pending++;
      sock.send(payload, port, '127.0.0.1', () => {
        if (--pending === 0) {
          if (sent < total) {
            setImmediate(burst);
          } else {
            done(sent, performance.now() - start, sent * payload.length);
          }
        }
      });
    }
  };
  sock.bind(0, '127.0.0.1', burst);
} else {
  console.error('mode must be udp, tcp, bulk or flood');
  process.exit(2);
}
