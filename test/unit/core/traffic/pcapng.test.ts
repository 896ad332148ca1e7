/**
 * The pcapng converter on its own: a log entry larger than one IP packet becomes MSS-sized segments with
 * contiguous sequence numbers (IPv4 and IPv6), and a datagram a relay dropped marks the frame that brought it.
 * tshark reads the same files in test/interop/pcapng.test.ts.
 */
import * as assert from 'node:assert/strict';
import { MSS_IPV4, MSS_IPV6, PcapngConverter } from '../../../../src/core/traffic/pcapng';
import type { LogRecord } from '../../../../src/core/traffic/trafficLog';
import type { Endpoint } from '../../../../src/shared/types';

type Frame = { capLen: number; origLen: number; frame: Buffer; comment?: string };

/** Reads Enhanced Packet Blocks back: lengths, the frame bytes and the comment option. */
function parse(blocks: Buffer[]): Frame[] {
  return blocks.map((b) => {
    assert.equal(b.readUInt32LE(0), 6, 'an Enhanced Packet Block');
    const capLen = b.readUInt32LE(20);
    const origLen = b.readUInt32LE(24);
    const frame = b.subarray(28, 28 + capLen);
    let at = 28 + ((capLen + 3) & ~3);
    let comment: string | undefined;
    while (at + 4 <= b.length - 4) {
      const code = b.readUInt16LE(at);
      const len = b.readUInt16LE(at + 2);
      if (code === 0) {
        break;
      }
      if (code === 1) {
        comment = b.subarray(at + 4, at + 4 + len).toString('utf8');
      }
      at += 4 + ((len + 3) & ~3);
    }
    return { capLen, origLen, frame, ...(comment !== undefined ? { comment } : {}) };
  });
}

let seq = 0;
function rec(partial: Partial<LogRecord> & Pick<LogRecord, 'event' | 'protocol' | 'local'>): LogRecord {
  return { seq: ++seq, timeMs: 1_700_000_000_000, socketId: 's', bytes: 0, notes: [], ...partial };
}

describe('PcapngConverter (unit)', () => {
  for (const [family, client, server, ipHeader, mss] of [
    ['IPv4', { address: '127.0.0.1', port: 50000 }, { address: '127.0.0.1', port: 12000 }, 20, MSS_IPV4],
    ['IPv6', { address: '::1', port: 50000 }, { address: '::1', port: 12000 }, 40, MSS_IPV6],
  ] as [string, Endpoint, Endpoint, number, number][]) {
    it(`${family}: a 200,000-byte send becomes MSS segments, contiguous, every frame whole and Ethernet-sized`, () => {
      const conv = new PcapngConverter();
      const payload = Buffer.alloc(200_000, 7);
      const records = [
        rec({ event: 'connect', protocol: 'tcp', local: client, remote: server }),
        rec({
          event: 'send',
          protocol: 'tcp',
          local: client,
          remote: server,
          bytes: payload.length,
          payload,
        }),
      ];
      records.forEach((r) => conv.learn(r));
      const frames = parse(records.flatMap((r) => conv.packets(r)));
      const tcpAt = 14 + ipHeader;
      const data = frames.filter((f) => f.frame.length > tcpAt + 20 && f.frame.readUInt16BE(tcpAt) === 50000);
      assert.equal(data.length, Math.ceil(payload.length / mss));
      let next = data[0]!.frame.readUInt32BE(tcpAt + 4);
      let total = 0;
      for (const f of data) {
        assert.equal(f.capLen, f.origLen, 'nothing cut off');
        assert.ok(f.capLen <= 1514, `frame of ${f.capLen} bytes`);
        assert.equal(f.frame.readUInt32BE(tcpAt + 4), next, 'each segment starts where the last one ended');
        const len = f.frame.length - tcpAt - 20;
        next = (next + len) >>> 0;
        total += len;
      }
      assert.equal(total, payload.length);
      // The receiver acknowledges along the way: pure ACKs from the server, the last one for everything.
      const acks = frames.filter(
        (f) => f.frame.readUInt16BE(tcpAt) === 12000 && f.frame.length === tcpAt + 20,
      );
      assert.ok(acks.length >= Math.floor(payload.length / (32 * 1024)), `${acks.length} ACKs`);
      assert.equal(acks.at(-1)!.frame.readUInt32BE(tcpAt + 8), next, 'the last ACK covers every byte');
    });
  }

  it('a dropped datagram marks the frame that brought it to the relay, even among many identical ones', () => {
    const conv = new PcapngConverter();
    const client = { address: '127.0.0.1', port: 50001 };
    const relay = { address: '127.0.0.1', port: 40000 };
    const leg = { address: '127.0.0.1', port: 40001 };
    const server = { address: '127.0.0.1', port: 12000 };
    const ping = Buffer.from('ping');
    const records: LogRecord[] = [];
    // 10,000 pings forwarded (more than the converter keeps track of), then one more that is dropped.
    for (let i = 0; i < 10_000; i++) {
      records.push(
        rec({ event: 'receive', protocol: 'udp', local: relay, remote: client, bytes: 4, payload: ping }),
      );
      records.push(
        rec({ event: 'send', protocol: 'udp', local: leg, remote: server, bytes: 4, payload: ping }),
      );
    }
    const arrived = rec({
      event: 'receive',
      protocol: 'udp',
      local: relay,
      remote: client,
      bytes: 4,
      payload: ping,
    });
    const drop = rec({ event: 'drop', protocol: 'udp', local: leg, remote: server, bytes: 4, payload: ping });
    records.push(arrived, drop);
    records.forEach((r) => conv.learn(r));
    const marked: number[] = [];
    for (const r of records) {
      for (const f of parse(conv.packets(r))) {
        if (f.comment?.includes('DROPPED')) {
          marked.push(r.seq);
        }
      }
    }
    assert.deepEqual(marked, [arrived.seq], 'only the frame of the dropped datagram');
    assert.deepEqual(conv.packets(drop), [], 'no frame for the drop itself');
  });
});
