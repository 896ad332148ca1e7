import * as assert from 'node:assert/strict';
import { seededRandom } from '../../../../src/core/sockets/behavior';
import {
  DatagramLink,
  deriveSeed,
  describeImpairment,
  ImpairmentModel,
  isActive,
  parseImpairmentText,
  REORDER_HOLD_MS,
  StreamLink,
  TCP_RETRANSMIT_MS,
  type ImpairmentEvent,
  type Timers,
} from '../../../../src/core/sockets/impairment';
import type { Impairment } from '../../../../src/shared/types';
import { validateImpairment } from '../../../../src/core/validate';

/** A fake clock: timers run only when the test advances time, in due order. */
class FakeClock implements Timers {
  now = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { due: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      let next: [number, { due: number; fn: () => void }] | undefined;
      for (const t of this.timers) {
        if (
          t[1].due <= end &&
          (!next || t[1].due < next[1].due || (t[1].due === next[1].due && t[0] < next[0]))
        ) {
          next = t;
        }
      }
      if (!next) {
        break;
      }
      this.timers.delete(next[0]);
      this.now = next[1].due;
      next[1].fn();
    }
    this.now = end;
  }
}

function decisions(config: Impairment, n: number) {
  const m = new ImpairmentModel(config);
  return Array.from({ length: n }, () => m.decide());
}

/** Binomial(n, p) ± 5 standard deviations: a correct implementation fails this about once in 3 million runs. */
function binomialRange(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [n * p - 5 * sd, n * p + 5 * sd];
}

describe('impairment (pure, seeded)', () => {
  describe('ImpairmentModel', () => {
    it('the same seed gives the same decisions; another seed gives others', () => {
      const config = { loss: 0.2, delayMs: 30, jitterMs: 20, reorder: 0.1, duplicate: 0.05, seed: 7 };
      assert.deepEqual(decisions(config, 500), decisions(config, 500));
      assert.notDeepEqual(decisions(config, 500), decisions({ ...config, seed: 8 }, 500));
    });

    it('loss alone draws exactly seededRandom(seed) once per datagram (the pinger lab as before)', () => {
      for (const seed of [0, 1, 42, -5, 2 ** 31 + 3]) {
        const r = seededRandom(seed);
        const expected = Array.from({ length: 300 }, () => r() < 0.3);
        assert.deepEqual(
          decisions({ loss: 0.3, seed }, 300).map((d) => d.drop),
          expected,
          `seed ${seed}`,
        );
      }
    });

    for (const [name, rate, pick] of [
      ['loss', 0.3, (d: { drop: boolean }) => d.drop],
      ['reorder', 0.1, (d: { reorder: boolean }) => d.reorder],
      ['duplicate', 0.05, (d: { duplicate: boolean }) => d.duplicate],
    ] as const) {
      it(`${name} ${rate} over 1,000 datagrams is within the binomial range, for many seeds`, () => {
        const [lo, hi] = binomialRange(1000, rate);
        for (let seed = 1; seed <= 20; seed++) {
          const n = decisions({ [name]: rate, seed }, 1000).filter((d) => pick(d as never)).length;
          assert.ok(n > lo && n < hi, `seed ${seed}: ${n} not in (${lo}, ${hi})`);
        }
      });
    }

    it('each effect has its own stream: adding jitter, reordering or duplicates leaves the drops alone', () => {
      const drops = (c: Impairment) => decisions(c, 1000).map((d) => d.drop);
      const base = drops({ loss: 0.25, seed: 3 });
      assert.deepEqual(drops({ loss: 0.25, seed: 3, jitterMs: 40, delayMs: 10 }), base);
      assert.deepEqual(drops({ loss: 0.25, seed: 3, reorder: 0.3, duplicate: 0.2 }), base);
    });

    it('a dropped datagram is neither delayed, duplicated nor reordered', () => {
      for (const d of decisions({ loss: 0.5, delayMs: 10, reorder: 1, duplicate: 1, seed: 1 }, 200)) {
        if (d.drop) {
          assert.deepEqual(d, { drop: true, delayMs: 0, duplicate: false, reorder: false });
        } else {
          assert.ok(d.reorder && d.duplicate && d.delayMs === 10);
        }
      }
    });

    it('delay ± jitter stays within its bounds, never negative, and centres on the delay', () => {
      const ds = decisions({ delayMs: 50, jitterMs: 20, seed: 9 }, 2000).map((d) => d.delayMs);
      assert.ok(ds.every((x) => x >= 30 && x <= 70 && Number.isInteger(x)));
      const mean = ds.reduce((a, b) => a + b, 0) / ds.length;
      assert.ok(Math.abs(mean - 50) < 1.5, `mean ${mean}`);
      assert.ok(new Set(ds).size > 30, 'jitter varies');
      const small = decisions({ delayMs: 5, jitterMs: 20, seed: 9 }, 500).map((d) => d.delayMs);
      assert.ok(small.every((x) => x >= 0 && x <= 25));
      assert.ok(
        small.some((x) => x === 0),
        'clamped at zero',
      );
    });

    it('rates 0 and 1 are exact', () => {
      assert.ok(decisions({ loss: 1, seed: 1 }, 100).every((d) => d.drop));
      assert.ok(decisions({ loss: 0, duplicate: 1, seed: 1 }, 100).every((d) => !d.drop && d.duplicate));
    });

    it('without a seed it picks one and reports it, so a run can be replayed', () => {
      const a = new ImpairmentModel({ loss: 0.5 });
      const replay = new ImpairmentModel({ loss: 0.5, seed: a.seed });
      for (let i = 0; i < 100; i++) {
        assert.deepEqual(a.decide(), replay.decide());
      }
    });

    it('isActive and isIdentity: a seed alone changes nothing', () => {
      assert.equal(isActive(undefined), false);
      assert.equal(isActive({}), false);
      assert.equal(isActive({ seed: 1 }), false);
      assert.equal(isActive({ jitterMs: 1 }), true);
      assert.equal(new ImpairmentModel({ seed: 1 }).isIdentity, true);
      assert.equal(new ImpairmentModel({ reorder: 0.1 }).isIdentity, false);
    });

    it('derived seeds differ from the seed and from each other, deterministically', () => {
      assert.equal(deriveSeed(5, 0), 5);
      const seen = new Set<number>();
      for (let salt = 1; salt < 50; salt++) {
        seen.add(deriveSeed(5, salt));
      }
      assert.equal(seen.size, 49);
      assert.equal(deriveSeed(5, 3), deriveSeed(5, 3));
    });
  });

  describe('DatagramLink (UDP)', () => {
    function link(config: Impairment, holdMs = REORDER_HOLD_MS) {
      const clock = new FakeClock();
      const delivered: number[] = [];
      const events: Array<[ImpairmentEvent, number, number]> = [];
      const l = new DatagramLink<number>(
        new ImpairmentModel(config),
        (x) => delivered.push(x),
        (e, x, ms) => events.push([e, x, ms]),
        { timers: clock, holdMs, now: () => clock.now, sizeOf: () => 1 },
      );
      return { clock, delivered, events, l };
    }

    it('drops exactly what the model decides, reporting each drop', () => {
      const { delivered, events, l } = link({ loss: 0.3, seed: 11 });
      const expected = decisions({ loss: 0.3, seed: 11 }, 1000);
      for (let i = 0; i < 1000; i++) {
        l.push(i);
      }
      const dropped = expected.flatMap((d, i) => (d.drop ? [i] : []));
      assert.deepEqual(
        events.map(([e, x]) => [e, x]),
        dropped.map((i) => ['drop', i]),
      );
      assert.deepEqual(
        delivered,
        expected.flatMap((d, i) => (d.drop ? [] : [i])),
      );
      assert.equal(l.stats.dropped, dropped.length);
    });

    it('delays each datagram on its own timer: jitter alone can reorder, as on a real network', () => {
      const { clock, delivered, events, l } = link({ delayMs: 20, jitterMs: 15, seed: 4 });
      for (let i = 0; i < 50; i++) {
        l.push(i);
        clock.advance(1);
      }
      assert.equal(events.filter(([e]) => e === 'delay').length, 50);
      assert.ok(delivered.length < 50, 'some still in flight');
      clock.advance(100);
      assert.deepEqual(
        [...delivered].sort((a, b) => a - b),
        [...Array(50).keys()],
        'all arrive',
      );
      assert.notDeepEqual(delivered, [...Array(50).keys()], 'but not all in order');
      assert.equal(l.pending, 0);
      assert.equal(clock.pending, 0);
    });

    it('a duplicated datagram arrives twice', () => {
      const { delivered, events, l } = link({ duplicate: 1, seed: 1 });
      l.push(1);
      l.push(2);
      assert.deepEqual(delivered, [1, 1, 2, 2]);
      assert.deepEqual(
        events.map(([e]) => e),
        ['duplicate', 'duplicate'],
      );
    });

    it('a reordered datagram is overtaken by the next one; alone it goes out after the hold time', () => {
      // Find a seed whose first decision reorders and whose second does not.
      let seed = 1;
      for (; seed < 10_000; seed++) {
        const [a, b] = decisions({ reorder: 0.5, seed }, 2);
        if (a!.reorder && !b!.reorder) {
          break;
        }
      }
      const { clock, delivered, events, l } = link({ reorder: 0.5, seed });
      l.push(1);
      assert.deepEqual(delivered, []);
      assert.deepEqual(events[0]?.slice(0, 2), ['reorder', 1]);
      l.push(2);
      assert.deepEqual(delivered, [2, 1], 'overtaken');
      assert.equal(clock.pending, 0, 'hold timer cleared');

      const alone = link({ reorder: 1, seed: 1 }, 50);
      alone.l.push(7);
      alone.clock.advance(49);
      assert.deepEqual(alone.delivered, []);
      alone.clock.advance(1);
      assert.deepEqual(alone.delivered, [7]);
    });

    it('reorder counts are the seeded ones and within the binomial range', () => {
      const { clock, delivered, l } = link({ reorder: 0.1, seed: 21 });
      for (let i = 0; i < 1000; i++) {
        l.push(i);
      }
      clock.advance(REORDER_HOLD_MS);
      const expected = decisions({ reorder: 0.1, seed: 21 }, 1000).filter((d) => d.reorder).length;
      assert.equal(l.stats.reordered, expected);
      const [lo, hi] = binomialRange(1000, 0.1);
      assert.ok(expected > lo && expected < hi);
      assert.equal(delivered.length, 1000);
      let inversions = 0;
      for (let i = 1; i < delivered.length; i++) {
        if (delivered[i]! < delivered[i - 1]!) {
          inversions++;
        }
      }
      assert.ok(inversions > 0 && inversions <= expected, `inversions ${inversions}`);
    });

    it('dispose clears every timer and delivers nothing more', () => {
      const { clock, delivered, l } = link({ delayMs: 10, reorder: 0.5, seed: 2 });
      for (let i = 0; i < 20; i++) {
        l.push(i);
      }
      assert.ok(clock.pending > 0);
      l.dispose();
      l.dispose();
      assert.equal(clock.pending, 0);
      assert.equal(l.pending, 0);
      clock.advance(1000);
      l.push(99);
      assert.deepEqual(delivered, []);
    });
  });

  describe('StreamLink (TCP)', () => {
    function stream(config: Impairment, accept: () => boolean = () => true) {
      const clock = new FakeClock();
      const out: Buffer[] = [];
      const events: ImpairmentEvent[] = [];
      const l = new StreamLink<Buffer>(
        new ImpairmentModel(config),
        (b) => {
          out.push(b);
          return accept();
        },
        (e) => events.push(e),
        { timers: clock, now: () => clock.now },
      );
      return { clock, out, events, l };
    }

    it('delay, jitter, loss, reordering and duplicates never scramble the stream', () => {
      const { clock, out, events, l } = stream({
        loss: 0.2,
        delayMs: 30,
        jitterMs: 25,
        reorder: 0.2,
        duplicate: 0.2,
        seed: 5,
      });
      const sent: Buffer[] = [];
      for (let i = 0; i < 300; i++) {
        const b = Buffer.from(`chunk ${i};`);
        sent.push(b);
        l.push(b);
        clock.advance(i % 7);
      }
      clock.advance(10_000);
      assert.equal(Buffer.concat(out).toString(), Buffer.concat(sent).toString());
      assert.equal(l.pending, 0);
      assert.equal(l.bytes, 0);
      for (const e of ['drop', 'delay', 'reorder', 'duplicate'] as const) {
        assert.ok(events.includes(e), e);
      }
    });

    it('a lost chunk costs a retransmission timeout, and the chunks behind it wait', () => {
      let seed = 1;
      for (; seed < 10_000; seed++) {
        const [a, b] = decisions({ loss: 0.5, seed }, 2);
        if (a!.drop && !b!.drop) {
          break;
        }
      }
      const { clock, out, l } = stream({ loss: 0.5, seed });
      l.push(Buffer.from('a'));
      l.push(Buffer.from('b'));
      assert.equal(out.length, 0, 'b waits behind a');
      clock.advance(TCP_RETRANSMIT_MS - 1);
      assert.equal(out.length, 0);
      clock.advance(1);
      assert.equal(Buffer.concat(out).toString(), 'ab');
    });

    it('without impairment chunks pass at once; backpressure pauses until resume, then onIdle', () => {
      let ok = true;
      const { clock, out, l } = stream({ seed: 1 }, () => ok);
      let idle = 0;
      l.onIdle = () => idle++;
      l.push(Buffer.from('1'));
      assert.equal(out.length, 1);
      assert.equal(idle, 1);
      ok = false;
      l.push(Buffer.from('2'));
      l.push(Buffer.from('3'));
      assert.equal(out.length, 2, 'blocked after the refused write');
      assert.equal(l.pending, 1);
      ok = true;
      l.resume();
      assert.equal(Buffer.concat(out).toString(), '123');
      assert.equal(idle, 2);
      assert.equal(clock.pending, 0);
    });

    it('dispose forgets queued chunks and clears the timer', () => {
      const { clock, out, l } = stream({ delayMs: 50, seed: 1 });
      l.push(Buffer.from('x'));
      assert.equal(clock.pending, 1);
      l.dispose();
      assert.equal(clock.pending, 0);
      clock.advance(100);
      assert.equal(out.length, 0);
      assert.equal(l.bytes, 0);
    });
  });

  describe('parseImpairmentText', () => {
    const good: Array<[string, Impairment]> = [
      ['', {}],
      ['loss=20%', { loss: 0.2 }],
      ['loss=0.2 seed=7', { loss: 0.2, seed: 7 }],
      ['delay=100ms jitter=20', { delayMs: 100, jitterMs: 20 }],
      ['delayMs: 5, jitterMs: 1', { delayMs: 5, jitterMs: 1 }],
      ['reorder=5%; duplicate=1%', { reorder: 0.05, duplicate: 0.01 }],
      ['LOSS=10% dup=0.5', { loss: 0.1, duplicate: 0.5 }],
      ['seed=-3', { seed: -3 }],
      ['loss = 20 % delay = 100 ms', { loss: 0.2, delayMs: 100 }],
    ];
    for (const [text, expected] of good) {
      it(`reads ${JSON.stringify(text)}`, () => {
        assert.deepEqual(parseImpairmentText(text), expected);
        assert.deepEqual(validateImpairment(parseImpairmentText(text)), expected);
      });
    }
    for (const text of ['loss', 'loss=', 'lose=20%', 'delay=5%', 'loss=5ms', 'loss=1e3', 'seed=x', '=5']) {
      it(`refuses ${JSON.stringify(text)} with a message`, () => {
        assert.throws(() => parseImpairmentText(text), /is not understood|only for/);
      });
    }
    it('values out of range are left to validateImpairment, which names the rule', () => {
      assert.throws(() => validateImpairment(parseImpairmentText('loss=150%')), /probability from 0 to 1/);
      assert.throws(() => validateImpairment(parseImpairmentText('seed=1.5')), /seed must be an integer/);
    });
  });

  it('describeImpairment', () => {
    assert.equal(describeImpairment(undefined), '');
    assert.equal(describeImpairment({ seed: 3 }), '');
    assert.equal(
      describeImpairment({ loss: 0.2, delayMs: 100, jitterMs: 20, reorder: 0.05, duplicate: 0.015, seed: 7 }),
      'loss 20 %, delay 100 ± 20 ms, reorder 5 %, duplicate 1.5 %, seed 7',
    );
    assert.equal(describeImpairment({ jitterMs: 5 }, 9), 'delay 0 ± 5 ms, seed 9');
  });
});
