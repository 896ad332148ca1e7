/** The log guards its own limits: a bad size never throws and never silently keeps nothing. */
import * as assert from 'node:assert/strict';
import { TrafficLog, type AppendInput } from '../../../../src/core/traffic/trafficLog';

const entry = (payload?: Buffer): AppendInput => ({
  socketId: 'udp-client-1',
  protocol: 'udp',
  event: 'send',
  local: { address: '127.0.0.1', port: 5000 },
  remote: { address: '127.0.0.1', port: 12000 },
  bytes: payload?.length ?? 0,
  payload,
  notes: [],
});

describe('TrafficLog limits are clamped, not trusted', () => {
  it('maxEntries -1 or 0 (once a RangeError at activation, or a log that kept nothing) keeps at least one entry', () => {
    for (const maxEntries of [-1, 0, 0.5]) {
      const log = new TrafficLog({ maxEntries }, 5);
      try {
        log.append(entry());
        log.append(entry());
        assert.ok(log.maxEntries >= 1, `maxEntries ${maxEntries} → ${log.maxEntries}`);
        assert.equal(log.size, 1);
        assert.equal(log.lastSeq, 2);
      } finally {
        log.dispose();
      }
    }
  });

  it('a size that is not a number falls back to the default', () => {
    const log = new TrafficLog({ maxEntries: Number.NaN, maxPayloadBytes: Number.NaN }, 5);
    try {
      assert.equal(log.maxEntries, 100_000);
      assert.equal(log.maxPayloadBytes, 65_536);
    } finally {
      log.dispose();
    }
  });

  it('setLimits with a negative size shrinks to one entry instead of throwing', () => {
    const log = new TrafficLog({ maxEntries: 10 }, 5);
    try {
      for (let i = 0; i < 5; i++) {
        log.append(entry());
      }
      log.setLimits({ maxEntries: -1 });
      assert.equal(log.maxEntries, 1);
      assert.equal(log.size, 1);
      assert.equal([...log][0]!.seq, 5, 'the newest entry is kept');
      log.setLimits({ maxEntries: 1e12 });
      assert.ok(log.maxEntries <= 10_000_000, 'an absurd size is capped before the ring is allocated');
    } finally {
      log.dispose();
    }
  });

  it('maxPayloadBytes -1 keeps no payload bytes but logs the entry with its exact byte count', () => {
    const log = new TrafficLog({ maxPayloadBytes: -1 }, 5);
    try {
      assert.equal(log.maxPayloadBytes, 0);
      log.append(entry(Buffer.from('hello')));
      const r = [...log][0]!;
      assert.equal(r.bytes, 5);
      assert.equal(r.truncated, true);
      log.setLimits({ maxPayloadBytes: -5 });
      assert.equal(log.maxPayloadBytes, 0);
    } finally {
      log.dispose();
    }
  });
});
