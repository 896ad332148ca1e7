import * as assert from 'node:assert/strict';
import { parsePingOutput, toMs } from '../../../../src/core/labs/pingOutput';

describe('pingOutput: reading what a UDP Pinger printed', () => {
  it('reads units: no unit is seconds', () => {
    const table: Array<[number, string | undefined, number]> = [
      [0.5, undefined, 500],
      [0.5, 's', 500],
      [2, 'ms', 2],
      [2, 'milliseconds', 2],
      [1500, 'us', 1.5],
    ];
    for (const [v, u, ms] of table) {
      assert.equal(toMs(v, u), ms, `${v} ${u}`);
    }
  });

  it('reply lines, RTT lines and timeouts, one ping each', () => {
    const out = [
      'PING 1 1700000000.1',
      'RTT: 0.000200 s',
      'Request timed out',
      'PING 3 1700000002.1',
      'RTT: 0.5 ms',
      'min/avg/max RTT = 0.000200/0.000350/0.000500 s',
      'Packet loss: 33 %',
    ].join('\n');
    const { pings, summary } = parsePingOutput(out);
    assert.deepEqual([...pings.keys()], [1, 2, 3]);
    assert.equal(pings.get(1)?.rttMs, 0.2);
    assert.equal(pings.get(2)?.timeout, true);
    assert.equal(pings.get(3)?.rttMs, 0.5);
    assert.equal(summary.minMs, 0.2);
    assert.equal(summary.maxMs, 0.5);
    assert.equal(summary.lossPercent, 33);
  });

  it('an RTT line without the reply is the next ping; one-line replies with the RTT too', () => {
    const { pings } = parsePingOutput('Reply: PING 1 17 RTT=1.5ms\nRequest timed out\nrtt 2 ms\n');
    assert.equal(pings.get(1)?.rttMs, 1.5);
    assert.equal(pings.get(2)?.timeout, true);
    assert.equal(pings.get(3)?.rttMs, 2);
  });

  it('summary words on separate lines; numbering from 0', () => {
    const { pings, summary } = parsePingOutput(
      'PING 0 5\nRTT 0.001\nMinimum RTT: 1 ms\nAverage RTT: 1.5 ms\nMaximum: 2 ms',
      0,
    );
    assert.equal(pings.get(1)?.rttMs, 1);
    assert.equal(summary.minMs, 1);
    assert.equal(summary.avgMs, 1.5);
    assert.equal(summary.maxMs, 2);
  });

  it('unrelated output is ignored, never thrown on', () => {
    const { pings, summary } = parsePingOutput(
      'hello\n\u0000\u001b[31m\nTraceback (most recent call last):\n',
    );
    assert.equal(pings.size, 0);
    assert.deepEqual(summary, {});
  });
});
