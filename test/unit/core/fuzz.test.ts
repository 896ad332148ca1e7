/**
 * Fuzz tests of the parsers and codecs: thousands of generated inputs (seeded, so a failure replays), no throw
 * escapes except the documented PlaygroundError, and the round-trips hold.
 */
import * as assert from 'node:assert/strict';
import { seededRandom } from '../../../src/core/sockets/behavior';
import { LineFramer, decodePayload, escapeText, hexDump, toHex } from '../../../src/core/sockets/codec';
import { PlaygroundError } from '../../../src/core/errors';
import { PcapngConverter, buildFrame, pcapngHeader } from '../../../src/core/traffic/pcapng';
import { toTrafficEntry, TrafficLog } from '../../../src/core/traffic/trafficLog';
import { ipVersion, validateHost, validateImpairment, validatePort } from '../../../src/core/validate';

const rnd = seededRandom(20261125);
const int = (n: number) => Math.floor(rnd() * n);
const bytes = (max: number) => Buffer.from(Array.from({ length: int(max) }, () => int(256)));
const ALPHABET = 'abcdefABCDEF0123456789 :-xX=+/\n\t\u00e9\u0000<>&"\'\\';
const text = (max: number) => Array.from({ length: int(max) }, () => ALPHABET[int(ALPHABET.length)]).join('');

describe('fuzz', () => {
  it('decodePayload: hex and base64 round-trip; garbage throws only PlaygroundError (5,000 inputs)', () => {
    for (let i = 0; i < 2000; i++) {
      const b = bytes(64);
      assert.deepEqual(decodePayload(toHex(b), 'hex'), b);
      assert.deepEqual(decodePayload(b.toString('base64'), 'base64'), b);
      assert.deepEqual(decodePayload(b.toString('hex').toUpperCase(), 'hex'), b);
    }
    for (let i = 0; i < 3000; i++) {
      const t = text(40);
      for (const enc of ['hex', 'base64', 'utf8'] as const) {
        try {
          const out = decodePayload(t, enc);
          assert.ok(Buffer.isBuffer(out));
          if (enc === 'utf8') {
            assert.equal(out.toString('utf8'), t);
          }
        } catch (e) {
          assert.ok(
            e instanceof PlaygroundError && e.code === 'EINVAL',
            `${enc} ${JSON.stringify(t)}: ${String(e)}`,
          );
        }
      }
    }
  });

  it('LineFramer: any cutting of a stream gives back the same lines and bytes (2,000 streams)', () => {
    for (let i = 0; i < 2000; i++) {
      const lines = Array.from({ length: int(8) }, () =>
        Buffer.concat([bytes(20).filter((b) => b !== 10), Buffer.from('\n')]),
      );
      const tail = Buffer.from(bytes(10).filter((b) => b !== 10));
      const stream = Buffer.concat([...lines, tail]);
      const f = new LineFramer(1 << 20);
      const got: Buffer[] = [];
      let at = 0;
      while (at < stream.length) {
        const n = 1 + int(12);
        got.push(...f.push(stream.subarray(at, at + n)));
        at += n;
      }
      assert.deepEqual(
        got.map((b) => b.toString('hex')),
        lines.map((b) => b.toString('hex')),
      );
      const rest = f.flush();
      assert.equal(rest?.toString('hex') ?? '', tail.toString('hex'));
    }
  });

  it('escapeText and hexDump never throw and never emit raw control bytes (5,000 payloads)', () => {
    for (let i = 0; i < 5000; i++) {
      const b = bytes(80);
      const t = escapeText(b);
      // eslint-disable-next-line no-control-regex -- finding raw control characters is the point
      assert.doesNotMatch(t, /[\u0000-\u001f\u007f]/, 'no raw control character');
      const d = hexDump(b);
      assert.equal(d === '' ? 0 : d.split('\n').length, Math.ceil(b.length / 16));
      // eslint-disable-next-line no-control-regex -- finding raw control characters is the point
      assert.doesNotMatch(d.replace(/\n/g, ''), /[\u0000-\u001f\u007f]/, 'hex dump is printable');
    }
  });

  it('validators: random ports and hosts either validate or throw PlaygroundError (10,000 inputs)', () => {
    const values: unknown[] = [
      0,
      1,
      -1,
      65535,
      65536,
      1.5,
      NaN,
      '',
      ' ',
      '80',
      'x',
      null,
      undefined,
      {},
      [],
      true,
    ];
    for (let i = 0; i < 5000; i++) {
      const v = rnd() < 0.5 ? values[int(values.length)] : int(70000) - 1000;
      try {
        const p = validatePort(v);
        assert.ok(Number.isInteger(p) && p >= 0 && p <= 65535);
      } catch (e) {
        assert.ok(e instanceof PlaygroundError);
      }
    }
    for (let i = 0; i < 5000; i++) {
      const h = rnd() < 0.3 ? `${int(300)}.${int(300)}.${int(300)}.${int(300)}` : text(20);
      try {
        const out = validateHost(h);
        assert.ok(out.length > 0);
        if (/^[\d.]+$/.test(out)) {
          assert.equal(ipVersion(out), 4);
        }
      } catch (e) {
        assert.ok(e instanceof PlaygroundError, String(e));
      }
    }
    for (let i = 0; i < 2000; i++) {
      const imp = {
        loss: rnd() * 1.4 - 0.2,
        delayMs: int(70_000) - 100,
        seed: rnd() < 0.5 ? int(1000) : rnd(),
      };
      try {
        validateImpairment(imp);
        assert.ok(imp.loss >= 0 && imp.loss <= 1);
      } catch (e) {
        assert.ok(e instanceof PlaygroundError);
      }
    }
  });

  it('pcapng writer: random records give well-formed blocks (lengths consistent, 4-byte aligned)', () => {
    const log = new TrafficLog({ maxEntries: 5000, maxPayloadBytes: 100 });
    const events = [
      'bind',
      'listen',
      'accept',
      'connect',
      'send',
      'receive',
      'close',
      'error',
      'drop',
    ] as const;
    const addr = () =>
      rnd() < 0.2 ? `::${int(3) === 0 ? '1' : 'ffff:127.0.0.1'}` : `127.0.${int(3)}.${1 + int(3)}`;
    for (let i = 0; i < 3000; i++) {
      const tcp = rnd() < 0.5;
      const a = addr();
      const b = a.includes(':') ? '::1' : `127.0.0.${1 + int(3)}`;
      const payload = rnd() < 0.7 ? bytes(200) : undefined;
      log.append({
        socketId: `${tcp ? 'tcp-client' : 'udp-client'}-${int(5)}`,
        protocol: tcp ? 'tcp' : 'udp',
        event: events[int(events.length)]!,
        local: { address: a, port: int(65536) },
        remote: rnd() < 0.9 ? { address: b, port: int(65536) } : undefined,
        bytes: payload ? payload.length + int(3) : 0,
        payload,
        notes: [{ id: 'n', title: 'N' }],
        closedBy: rnd() < 0.3 ? (['local', 'peer-fin', 'reset'] as const)[int(3)] : undefined,
      });
    }
    const conv = new PcapngConverter();
    for (const r of log) {
      conv.learn(r);
    }
    const blocks = [pcapngHeader(), ...[...log].flatMap((r) => conv.packets(r))];
    const file = Buffer.concat(blocks);
    let off = 0;
    let n = 0;
    while (off < file.length) {
      const len = file.readUInt32LE(off + 4);
      assert.equal(len % 4, 0, `block ${n} aligned`);
      assert.equal(file.readUInt32LE(off + len - 4), len, `block ${n} trailer`);
      off += len;
      n++;
    }
    assert.equal(off, file.length);
    assert.ok(n > 1000, `${n} blocks`);
    // Every JSONL entry of the same log is valid JSON with the TrafficEntry fields.
    for (const r of log) {
      const e = JSON.parse(JSON.stringify(toTrafficEntry(r)));
      assert.ok(e.seq > 0 && typeof e.time === 'string' && Array.isArray(e.notes));
    }
    log.dispose();
  });

  it('buildFrame: IPv4 header checksum verifies for random frames', () => {
    for (let i = 0; i < 1000; i++) {
      const { frame } = buildFrame({
        src: { address: `127.${int(256)}.${int(256)}.${int(256)}`, port: int(65536) },
        dst: { address: '127.0.0.1', port: int(65536) },
        protocol: rnd() < 0.5 ? 'udp' : 'tcp',
        payload: bytes(100),
        length: 100,
        tcp: { seq: int(2 ** 32), ack: int(2 ** 32), flags: 0x18 },
      });
      const ip = frame.subarray(14, 34);
      let sum = 0;
      for (let k = 0; k < 20; k += 2) {
        sum += ip.readUInt16BE(k);
      }
      while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
      }
      assert.equal(sum, 0xffff, 'IPv4 header checksum');
    }
  });
});
