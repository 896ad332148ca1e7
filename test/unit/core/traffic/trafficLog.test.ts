import * as assert from 'node:assert/strict';
import { TrafficLog, toTrafficEntry, type AppendInput } from '../../../../src/core/traffic/trafficLog';

function input(n: number, payload?: Buffer): AppendInput {
  return {
    socketId: 's1',
    protocol: 'udp',
    event: 'receive',
    local: { address: '127.0.0.1', port: 12000 },
    remote: { address: '127.0.0.1', port: 50000 + n },
    bytes: payload?.length ?? 0,
    payload,
    notes: [{ id: 'n', title: 'N' }],
  };
}

describe('TrafficLog', () => {
  it('numbers entries and evicts the oldest past maxEntries, counting evictions', () => {
    const log = new TrafficLog({ maxEntries: 3 });
    for (let i = 0; i < 5; i++) {
      log.append(input(i));
    }
    assert.equal(log.size, 3);
    assert.equal(log.evicted, 2);
    assert.deepEqual(
      [...log].map((r) => r.seq),
      [3, 4, 5],
    );
    assert.equal(log.firstSeq, 3);
    assert.equal(log.get(2), undefined);
    assert.equal(log.get(4)?.remote?.port, 50003);
    assert.deepEqual(
      log.slice(4).map((r) => r.seq),
      [4, 5],
    );
    log.dispose();
  });

  it('truncates payloads to maxPayloadBytes, keeping the exact byte count', () => {
    const log = new TrafficLog({ maxPayloadBytes: 4 });
    const r = log.get(log.append(input(0, Buffer.from('abcdefgh'))))!;
    assert.equal(r.bytes, 8);
    assert.equal(r.payload?.toString(), 'abcd');
    assert.equal(r.truncated, true);
    const e = toTrafficEntry(r);
    assert.equal(Buffer.from(e.data!, 'base64').toString(), 'abcd');
    assert.equal(e.truncated, true);
    assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    log.dispose();
  });

  it("copies the payload: later changes to the sender's buffer do not change the log", () => {
    const log = new TrafficLog();
    const b = Buffer.from('before');
    const seq = log.append(input(0, b));
    b.write('AFTER!');
    assert.equal(log.get(seq)!.payload!.toString(), 'before');
    log.dispose();
  });

  it('drops the payloads of the oldest entries past the held-bytes budget, not the entries', () => {
    const MiB = 1 << 20;
    const log = new TrafficLog({ maxHeldPayloadBytes: 2 * MiB, maxPayloadBytes: 100_000 });
    for (let i = 0; i < 50; i++) {
      log.append(input(i, Buffer.alloc(100_000, i)));
    }
    assert.equal(log.size, 50);
    const held = [...log].filter((r) => r.payload).length;
    assert.ok(held >= 10 && held <= 21, `held ${held}`);
    const newest = log.get(50)!;
    assert.equal(newest.payload?.length, 100_000);
    assert.ok(
      newest.payload!.every((b) => b === 49),
      'newest payload intact',
    );
    assert.equal(log.get(1)?.payload, undefined);
    assert.equal(log.get(1)?.truncated, true);
    assert.equal(log.get(1)?.bytes, 100_000, 'byte count stays');
    // Every payload still held is the one that was written.
    for (const r of log) {
      if (r.payload) {
        assert.ok(
          r.payload.every((b) => b === r.remote!.port - 50000),
          `payload of ${r.seq}`,
        );
      }
    }
    log.dispose();
  });

  describe('payloads the caller owns (kept as they are rather than copied)', () => {
    const MiB = 1 << 20;
    const KiB = 1 << 10;
    /** A mix of sizes: below and above the size kept by reference, some truncated, some without payload. */
    const sizes = (n: number) =>
      Array.from({ length: n }, (_, i) => [64 * KiB, 100, 20 * KiB, 0, 64 * KiB, 300 * KiB, 8 * KiB][i % 7]!);
    const owned = (n: number, b?: Buffer): AppendInput => ({ ...input(n, b), payloadOwned: true });

    it('reads back the same bytes, truncation and payload budget as copying does', () => {
      const limits = { maxHeldPayloadBytes: 3 * MiB, maxPayloadBytes: 200 * KiB, maxEntries: 150 };
      const copied = new TrafficLog(limits);
      const kept = new TrafficLog(limits);
      sizes(400).forEach((size, i) => {
        const b = size > 0 ? Buffer.alloc(size, i & 0xff) : undefined;
        copied.append(input(i, b));
        kept.append(owned(i, b));
      });
      const a = [...copied];
      const b = [...kept];
      assert.equal(b.length, 150);
      assert.ok(
        b.some((r) => r.payload) && b.some((r) => r.truncated && !r.payload),
        'the budget let some payloads go',
      );
      a.forEach((r, i) => {
        const k = b[i]!;
        assert.equal(k.seq, r.seq);
        assert.equal(k.bytes, r.bytes);
        assert.equal(k.truncated, r.truncated, `truncated of ${r.seq}`);
        assert.equal(k.payload === undefined, r.payload === undefined, `payload of ${r.seq} held`);
        if (r.payload) {
          assert.ok(k.payload!.equals(r.payload), `payload of ${r.seq}`);
          assert.ok(k.payload!.every((x) => x === ((r.remote!.port - 50000) & 0xff)));
        }
      });
      copied.dispose();
      kept.dispose();
    });

    it('keeps a bulk transfer without allocating its ring, and never holds more than the budget', () => {
      const log = new TrafficLog({ maxHeldPayloadBytes: 2 * MiB, maxPayloadBytes: 64 * KiB });
      for (let i = 0; i < 200; i++) {
        log.append(owned(i, Buffer.alloc(64 * KiB, i)));
        assert.ok(log.heldPayloadBytes <= 2 * MiB, `held ${log.heldPayloadBytes} after ${i + 1}`);
      }
      assert.ok(log.heldPayloadBytes >= MiB, `held ${log.heldPayloadBytes}`);
      assert.equal(log.get(1)?.payload, undefined, 'the oldest let go');
      assert.ok(log.get(200)!.payload!.every((x) => x === 199));
      // A small entry needs a ring chunk: the payloads kept in its range are copied in, the budget holds.
      const held = [...log].filter((r) => r.payload).map((r) => r.seq);
      log.append(input(0, Buffer.from('small')));
      assert.ok(log.heldPayloadBytes <= 2 * MiB, `held ${log.heldPayloadBytes} after a small one`);
      for (const seq of held) {
        assert.ok(
          log.get(seq)!.payload!.every((x) => x === seq - 1),
          `payload of ${seq} after a small one`,
        );
      }
      for (let i = 0; i < 2000; i++) {
        log.append(owned(i, i % 3 ? Buffer.alloc(40 * KiB, 7) : Buffer.from('small')));
        assert.ok(log.heldPayloadBytes <= 2 * MiB, `held ${log.heldPayloadBytes} after ${i + 1} mixed`);
      }
      for (const r of log) {
        if (r.payload && r.payload.length > 5) {
          assert.ok(r.payload.every((x) => x === 7));
        }
      }
      log.dispose();
    });

    it('copies a view into a bigger buffer, and anything not marked as owned', () => {
      const log = new TrafficLog();
      const big = Buffer.alloc(64 * KiB, 1);
      const view = big.subarray(0, 32 * KiB);
      const s1 = log.append(owned(0, view));
      const plain = Buffer.alloc(32 * KiB, 2);
      const s2 = log.append(input(1, plain));
      big.fill(9);
      plain.fill(9);
      assert.ok(log.get(s1)!.payload!.every((x) => x === 1));
      assert.ok(log.get(s2)!.payload!.every((x) => x === 2));
      log.dispose();
    });

    it('clear, a smaller ring and a new budget let kept payloads go as copied ones', () => {
      const log = new TrafficLog({ maxHeldPayloadBytes: 4 * MiB });
      for (let i = 0; i < 20; i++) {
        log.append(owned(i, Buffer.alloc(64 * KiB, i)));
      }
      log.setLimits({ maxEntries: 5 });
      assert.deepEqual(
        [...log].map((r) => r.payload![0]),
        [15, 16, 17, 18, 19],
      );
      assert.equal(log.heldPayloadBytes, 5 * 64 * KiB);
      log.setLimits({ maxHeldPayloadBytes: 8 * MiB });
      assert.equal(log.heldPayloadBytes, 0);
      assert.ok([...log].every((r) => r.payload === undefined && r.truncated));
      log.append(owned(0, Buffer.alloc(64 * KiB, 3)));
      log.clear();
      assert.equal(log.heldPayloadBytes, 0);
      log.dispose();
    });
  });

  it('reads back the right address, notes and endpoint after the ids it remembered were freed', () => {
    // The log remembers the last endpoint, address and note lists it interned, with their generation; an id
    // freed by eviction or clear() must not be taken for the value remembered.
    const log = new TrafficLog({ maxEntries: 2 });
    try {
      const local = { address: '127.0.0.1', port: 1000 };
      const notesA = [{ id: 'a', title: 'A' }];
      const notesB = [{ id: 'b', title: 'B' }];
      const entry = (notes: typeof notesA, address?: string): AppendInput => ({
        socketId: 's',
        protocol: 'udp',
        event: 'send',
        local,
        remote: address ? { address, port: 9 } : undefined,
        bytes: 0,
        notes,
      });
      const read = () => {
        const r = log.get(log.lastSeq)!;
        return { local: r.local, address: r.remote?.address, notes: r.notes.map((n) => n.id) };
      };
      log.append(entry(notesA, '10.0.0.1'));
      // Two entries without a remote and with other notes evict the first: its address and notes are freed.
      log.append(entry(notesB));
      log.append(entry(notesB));
      log.append(entry(notesA, '10.0.0.1'));
      assert.deepEqual(read(), { local, address: '10.0.0.1', notes: ['a'] });
      log.clear();
      log.append(entry(notesA, '10.0.0.1'));
      assert.deepEqual(read(), { local, address: '10.0.0.1', notes: ['a'] });
      assert.deepEqual(log.interned, { sockets: 1, endpoints: 1, addresses: 1, noteLists: 1 });
    } finally {
      log.dispose();
    }
  });

  it('keeps errors and who closed, and evicts them with their entries', () => {
    const log = new TrafficLog({ maxEntries: 2 });
    log.append({
      ...input(0),
      event: 'close',
      closedBy: 'reset',
      error: { code: 'ECONNRESET', message: 'reset' },
    });
    assert.equal(log.get(1)?.closedBy, 'reset');
    assert.equal(log.get(1)?.error?.code, 'ECONNRESET');
    log.append(input(1));
    log.append(input(2));
    assert.equal(log.get(1), undefined);
    assert.equal(log.get(3)?.closedBy, undefined);
    log.dispose();
  });

  it('batches append events', async () => {
    const log = new TrafficLog({}, 20);
    const batches: Array<[number, number]> = [];
    log.onDidAppend((b) => batches.push([b.firstSeq, b.lastSeq]));
    for (let i = 0; i < 1000; i++) {
      log.append(input(i));
    }
    // The batch is announced once its timer fires: wait for that event, not for a guess at the timer.
    await new Promise<void>((resolve) => {
      const sub = log.onDidAppend(() => {
        sub.dispose();
        resolve();
      });
    });
    assert.deepEqual(batches, [[1, 1000]]);
    log.append(input(0));
    log.flushNow();
    assert.deepEqual(batches[1], [1001, 1001]);
    log.dispose();
  });

  it('clear empties it and keeps numbering going', () => {
    const log = new TrafficLog({ maxEntries: 10 });
    log.append(input(0));
    log.append(input(1));
    let cleared = 0;
    log.onDidClear(() => cleared++);
    log.clear();
    assert.equal(log.size, 0);
    assert.equal(cleared, 1);
    assert.equal(log.append(input(2)), 3);
    assert.equal(log.firstSeq, 3);
    log.dispose();
  });

  it('shrinking maxEntries keeps the newest', () => {
    const log = new TrafficLog({ maxEntries: 10 });
    for (let i = 0; i < 8; i++) {
      log.append(input(i));
    }
    log.setLimits({ maxEntries: 3 });
    assert.deepEqual(
      [...log].map((r) => r.seq),
      [6, 7, 8],
    );
    assert.equal(log.evicted, 5);
    log.append(input(9));
    assert.deepEqual(
      [...log].map((r) => r.seq),
      [7, 8, 9],
    );
    log.dispose();
  });

  it('reads back every small payload across chunk boundaries, ring wraps, clear and a new budget', () => {
    // Small payloads take the fast path (the chunk the last one went to); chunk ends, wraps of a two-chunk ring,
    // a clear and a new budget must each send it back to the slow path, never to a stale chunk.
    const log = new TrafficLog({ maxEntries: 50_000, maxHeldPayloadBytes: 2 << 20, maxPayloadBytes: 1000 });
    const bytesOf = (n: number) => Buffer.alloc(300 + (n % 700), n & 0xff);
    let n = 0;
    const check = () => {
      let held = 0;
      for (const r of log) {
        if (r.payload) {
          held++;
          const k = r.remote!.port - 50000;
          assert.ok(r.payload.equals(bytesOf(k)), `payload of entry ${k}`);
        }
      }
      return held;
    };
    const appendMany = (count: number) => {
      for (let i = 0; i < count; i++, n++) {
        log.append(input(n % 15000, bytesOf(n % 15000)));
      }
    };
    appendMany(12_000); // about 7.8 MB through a 2 MiB ring: it wraps three times
    assert.ok(check() > 1000, 'the newest payloads are held');
    log.clear();
    appendMany(3000);
    assert.ok(check() > 1000);
    log.setLimits({ maxHeldPayloadBytes: 1 << 20 });
    appendMany(3000);
    assert.ok(check() > 500);
    log.dispose();
  });

  it('takes the time a socket gives and reads the clock otherwise; alternating sockets and events stay apart', () => {
    const log = new TrafficLog({ maxEntries: 100 });
    const before = Date.now();
    const sockets = ['a', 'b', 'a', 'c'] as const;
    const events = ['receive', 'send', 'error', 'send', 'receive', 'close'] as const;
    for (let i = 0; i < 24; i++) {
      log.append({
        ...input(i),
        socketId: sockets[i % sockets.length]!,
        event: events[i % events.length]!,
        protocol: i % 3 === 0 ? 'tcp' : 'udp',
        timeMs: i % 2 ? 1_000_000 + i : undefined,
      });
    }
    [...log].forEach((r, i) => {
      assert.equal(r.socketId, sockets[i % sockets.length]);
      assert.equal(r.event, events[i % events.length]);
      assert.equal(r.protocol, i % 3 === 0 ? 'tcp' : 'udp');
      if (i % 2) {
        assert.equal(r.timeMs, 1_000_000 + i);
      } else {
        assert.ok(r.timeMs >= before && r.timeMs <= Date.now());
      }
    });
    log.dispose();
  });
});
