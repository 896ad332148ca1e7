import * as assert from 'node:assert/strict';
import { MAX_SEND_TEXT, parseFromWebview, rejectionReply } from '../../../src/shared/protocol';
import { seededRandom } from '../../../src/core/sockets/behavior';

describe('protocol: messages from the webview are validated', () => {
  const good: unknown[] = [
    { type: 'ready' },
    { type: 'clearLog' },
    { type: 'getEntry', requestId: 1, seq: 5 },
    {
      type: 'sendMessage',
      requestId: 2,
      socketId: 'udp-client-1',
      data: 'hi',
      encoding: 'utf8',
      lineEnding: 'lf',
    },
    {
      type: 'sendMessage',
      requestId: 3,
      socketId: 'udp-server-1',
      data: '00ff',
      encoding: 'hex',
      lineEnding: 'none',
      to: { address: '127.0.0.1', port: 5 },
    },
    { type: 'exportLog', format: 'pcapng' },
    { type: 'openNote', noteId: 'tcp-byte-stream' },
  ];
  for (const m of good) {
    it(`accepts ${JSON.stringify(m)}`, () => {
      const r = parseFromWebview(m);
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.deepEqual(r.msg, m);
    });
  }
  const bad: Array<[unknown, RegExp]> = [
    [null, /not an object/],
    ['ready', /not an object/],
    [[{ type: 'ready' }], /not an object/],
    [{ type: 'ready', extra: 1 }, /takes no fields/],
    [{ type: 'evalThis', code: 'x' }, /unknown message type/],
    [{ type: 'getEntry', requestId: 1, seq: -1 }, /integer requestId and seq/],
    [{ type: 'getEntry', requestId: 1.5, seq: 1 }, /integer/],
    [
      { type: 'sendMessage', requestId: 1, socketId: '', data: 'x', encoding: 'utf8', lineEnding: 'none' },
      /socketId/,
    ],
    [
      { type: 'sendMessage', requestId: 1, socketId: 'a', data: 5, encoding: 'utf8', lineEnding: 'none' },
      /data must be a string/,
    ],
    [
      {
        type: 'sendMessage',
        requestId: 1,
        socketId: 'a',
        data: 'x'.repeat(MAX_SEND_TEXT + 1),
        encoding: 'utf8',
        lineEnding: 'none',
      },
      /at most/,
    ],
    [
      { type: 'sendMessage', requestId: 1, socketId: 'a', data: 'x', encoding: 'latin1', lineEnding: 'none' },
      /encoding/,
    ],
    [
      { type: 'sendMessage', requestId: 1, socketId: 'a', data: 'x', encoding: 'utf8', lineEnding: '\r' },
      /lineEnding/,
    ],
    [
      {
        type: 'sendMessage',
        requestId: 1,
        socketId: 'a',
        data: 'x',
        encoding: 'utf8',
        lineEnding: 'none',
        to: { address: 'x', port: 70000 },
      },
      /"to"/,
    ],
    [
      {
        type: 'sendMessage',
        requestId: 1,
        socketId: 'a',
        data: 'x',
        encoding: 'utf8',
        lineEnding: 'none',
        to: { address: 'x', port: 1, evil: 1 },
      },
      /"to"/,
    ],
    [
      {
        type: 'sendMessage',
        requestId: 1,
        socketId: 'a',
        data: 'x',
        encoding: 'utf8',
        lineEnding: 'none',
        __proto__: { polluted: true },
        constructor: 1,
      },
      /unknown fields/,
    ],
    [{ type: 'exportLog', format: '../../etc/passwd' }, /format/],
    [{ type: 'openNote', noteId: '<img src=x onerror=alert(1)>' }, /note id/],
  ];
  for (const [m, re] of bad) {
    it(`rejects ${JSON.stringify(m)?.slice(0, 80)}`, () => {
      const r = parseFromWebview(m);
      assert.equal(r.ok, false);
      assert.match((r as { reason: string }).reason, re);
    });
  }

  it('fuzz: 20,000 generated messages never throw, and whatever passes is well-formed', () => {
    const rnd = seededRandom(12345);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const values: unknown[] = [
      undefined,
      null,
      0,
      -1,
      1.5,
      2 ** 53,
      NaN,
      '',
      'x',
      'ready',
      {},
      [],
      true,
      { address: '1.2.3.4', port: 1 },
      'utf8',
      'hex',
      'lf',
    ];
    const keys = [
      'type',
      'requestId',
      'seq',
      'socketId',
      'data',
      'encoding',
      'lineEnding',
      'to',
      'format',
      'noteId',
      'junk',
    ];
    const types = ['ready', 'clearLog', 'getEntry', 'sendMessage', 'exportLog', 'openNote', 'nope', 5];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const m: Record<string, unknown> = { type: pick(types) };
      const n = Math.floor(rnd() * 6);
      for (let k = 0; k < n; k++) {
        m[pick(keys)] = pick(values);
      }
      const r = parseFromWebview(m);
      if (r.ok) {
        accepted++;
        assert.equal(typeof r.msg.type, 'string');
        if (r.msg.type === 'sendMessage') {
          assert.equal(typeof r.msg.data, 'string');
        }
      }
    }
    assert.ok(accepted > 0 && accepted < 20_000, `accepted ${accepted}`);
  });

  describe('a refused request still gets an answer', () => {
    const send = (o: Record<string, unknown>) => ({
      type: 'sendMessage',
      requestId: 9,
      socketId: 'udp-server-1',
      data: 'x',
      encoding: 'utf8',
      lineEnding: 'none',
      ...o,
    });
    for (const [name, m] of [
      ['a port over 65535', send({ to: { address: '127.0.0.1', port: 99999 } })],
      ['port 0', send({ to: { address: '127.0.0.1', port: 0 } })],
      ['an empty address', send({ to: { address: '', port: 5 } })],
      ['a text over 1 MiB', send({ data: 'x'.repeat(MAX_SEND_TEXT + 1) })],
      ['an unknown encoding', send({ encoding: 'rot13' })],
      ['an unknown field', send({ evil: true })],
    ] as const) {
      it(`sendMessage with ${name}: refused, and the request named so the host can answer`, () => {
        const r = parseFromWebview(m);
        assert.equal(r.ok, false);
        assert.ok(!r.ok);
        assert.deepEqual(r.request, { type: 'sendMessage', requestId: 9 });
        const reply = rejectionReply(r.request!, r.reason);
        assert.equal(reply.type, 'sendResult');
        assert.equal((reply as { requestId: number }).requestId, 9);
        assert.match((reply as { error: string }).error, /^The panel's request was refused: sendMessage/);
      });
    }

    it('getEntry with a bad seq is answered as an entryDetail with the reason', () => {
      const r = parseFromWebview({ type: 'getEntry', requestId: 4, seq: 'x' });
      assert.ok(!r.ok);
      assert.deepEqual(rejectionReply(r.request!, r.reason), {
        type: 'entryDetail',
        requestId: 4,
        error: "The panel's request was refused: getEntry needs integer requestId and seq.",
      });
    });

    it('without a usable requestId there is no one to answer', () => {
      for (const m of [
        send({ requestId: 'x', to: { address: 'a', port: 99999 } }),
        send({ requestId: -1 }),
        { type: 'clearLog', x: 1 },
        { type: 'nope', requestId: 3 },
      ]) {
        const r = parseFromWebview(m);
        assert.ok(!r.ok);
        assert.equal(r.request, undefined, JSON.stringify(m).slice(0, 60));
      }
    });
  });
});
