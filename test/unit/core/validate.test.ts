import * as assert from 'node:assert/strict';
import { PlaygroundError } from '../../../src/core/errors';
import {
  ipVersion,
  isLoopback,
  resolveBindAddress,
  validateHost,
  validateImpairment,
  validatePort,
  validateDestinationPort,
} from '../../../src/core/validate';

describe('validate', () => {
  describe('ports', () => {
    for (const ok of [0, 1, 1023, 12000, 65535, '8080']) {
      it(`accepts ${JSON.stringify(ok)}`, () => assert.equal(validatePort(ok), Number(ok)));
    }
    for (const bad of [-1, 65536, 1.5, NaN, Infinity, 'abc', '', null, {}, true, '12 000']) {
      it(`rejects ${String(bad)} naming the range`, () =>
        assert.throws(
          () => validatePort(bad),
          (e: unknown) => e instanceof PlaygroundError && /integer from 0 to 65535/.test(e.message),
        ));
    }
    it('a destination port cannot be 0', () =>
      assert.throws(() => validateDestinationPort(0), /not a destination/));
  });

  describe('hosts', () => {
    const ok: Array<[string, string]> = [
      ['127.0.0.1', '127.0.0.1'],
      ['localhost', 'localhost'],
      ['::1', '::1'],
      ['[::1]', '::1'],
      ['fe80::1%eth0', 'fe80::1%eth0'],
      ['example.org', 'example.org'],
      [' 10.0.0.1 ', '10.0.0.1'],
    ];
    for (const [input, out] of ok) {
      it(`accepts ${JSON.stringify(input)}`, () => assert.equal(validateHost(input), out));
    }
    for (const bad of [
      '',
      '   ',
      'bad host',
      '256.1.1.1',
      '1.2.3',
      'a..b',
      '-x.org',
      ':::1',
      'http://x',
      42,
    ]) {
      it(`rejects ${JSON.stringify(bad)} naming the host`, () =>
        assert.throws(
          () => validateHost(bad),
          (e: unknown) =>
            e instanceof PlaygroundError &&
            e.message.includes(typeof bad === 'string' && bad.trim() ? JSON.stringify(bad) : 'host'),
        ));
    }
    const versions: Array<[string, number]> = [
      ['1.2.3.4', 4],
      ['::', 6],
      ['::ffff:127.0.0.1', 6],
      ['2001:db8::1', 6],
      ['1:2:3:4:5:6:7:8', 6],
      ['1:2:3:4:5:6:7:8:9', 0],
      ['1::2::3', 0],
      ['localhost', 0],
    ];
    for (const [h, v] of versions) {
      it(`ipVersion(${h}) = ${v}`, () => assert.equal(ipVersion(h), v));
    }
    it('knows loopback', () => {
      for (const h of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
        assert.ok(isLoopback(h), h);
      }
      for (const h of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::2']) {
        assert.ok(!isLoopback(h), h);
      }
    });
  });

  describe('bind address policy', () => {
    it('refuses 0.0.0.0 without allowRemoteBind, naming the setting', async () => {
      await assert.rejects(
        resolveBindAddress('0.0.0.0', false),
        (e: unknown) =>
          e instanceof PlaygroundError &&
          e.message.includes('socketPlayground.allowRemoteBind') &&
          e.code === 'EREMOTEBIND',
      );
    });
    it('allows it with allowRemoteBind', async () => {
      assert.deepEqual(await resolveBindAddress('0.0.0.0', true), { address: '0.0.0.0', family: 4 });
    });
    it('resolves localhost to a loopback address', async () => {
      const r = await resolveBindAddress('localhost', false);
      assert.ok(isLoopback(r.address), r.address);
    });
    it('names an unresolvable host', async () => {
      await assert.rejects(
        resolveBindAddress('no-such-host.invalid', false),
        (e: unknown) => e instanceof PlaygroundError && e.message.includes('"no-such-host.invalid"'),
      );
    });
  });

  describe('impairment', () => {
    it('accepts rates and a seed', () =>
      assert.deepEqual(validateImpairment({ loss: 0.2, seed: 7 }), { loss: 0.2, seed: 7 }));
    for (const bad of [
      { loss: 2 },
      { loss: -0.1 },
      { delayMs: -1 },
      { seed: 1.5 },
      { lost: 0.2 },
      'x',
      [1],
    ]) {
      it(`rejects ${JSON.stringify(bad)}`, () =>
        assert.throws(() => validateImpairment(bad), PlaygroundError));
    }
  });
});
