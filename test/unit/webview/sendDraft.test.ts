// What the send box checks itself before it posts (plain mocha): the destination's port range and the size.
import * as assert from 'node:assert/strict';
import { MAX_SEND_TEXT, parseFromWebview } from '../../../src/shared/protocol';
import { buildSendMessage, parseDestination, type SendDraft } from '../../../src/webview/sendDraft';

const draft = (o: Partial<SendDraft> = {}): SendDraft => ({
  socketId: 'udp-server-1',
  text: 'hi',
  encoding: 'utf8',
  lineEnding: 'none',
  ...o,
});

describe('send box: checked in the webview before it posts', () => {
  it('parses address:port and [v6]:port', () => {
    assert.deepEqual(parseDestination('127.0.0.1:50000'), {
      ok: true,
      to: { address: '127.0.0.1', port: 50000 },
    });
    assert.deepEqual(parseDestination(' [::1]:9 '), { ok: true, to: { address: '::1', port: 9 } });
    assert.deepEqual(parseDestination('localhost:65535'), {
      ok: true,
      to: { address: 'localhost', port: 65535 },
    });
  });

  for (const [text, re] of [
    ['127.0.0.1:99999', /out of range: a UDP port is 1 to 65535/],
    ['127.0.0.1:65536', /out of range/],
    ['127.0.0.1:0', /out of range/],
    ['127.0.0.1:00000000000000000000012', /out of range/],
    ['127.0.0.1', /address:port/],
    ['::1:5', /address:port/],
    ['127.0.0.1:-5', /address:port/],
    ['', /address:port/],
  ] as const) {
    it(`refuses the destination ${JSON.stringify(text)}`, () => {
      const r = parseDestination(text);
      assert.equal(r.ok, false);
      assert.match((r as { reason: string }).reason, re);
    });
  }

  it('a valid draft becomes a message the host accepts as it is', () => {
    const r = buildSendMessage(draft({ to: '127.0.0.1:50000', lineEnding: 'crlf' }), 7);
    assert.ok(r.ok);
    assert.deepEqual(r.msg, {
      type: 'sendMessage',
      requestId: 7,
      socketId: 'udp-server-1',
      data: 'hi',
      encoding: 'utf8',
      lineEnding: 'crlf',
      to: { address: '127.0.0.1', port: 50000 },
    });
    const parsed = parseFromWebview(r.msg);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.msg, r.msg);
  });

  it('refuses a port over 65535 in place: nothing to post, the destination field named', () => {
    const r = buildSendMessage(draft({ to: '127.0.0.1:99999' }), 1);
    assert.equal(r.ok, false);
    assert.equal((r as { field: string }).field, 'to');
  });

  it('refuses a text over the limit, and takes one at the limit', () => {
    const over = buildSendMessage(draft({ text: 'x'.repeat(MAX_SEND_TEXT + 1), to: undefined }), 1);
    assert.equal(over.ok, false);
    assert.match(
      (over as { reason: string }).reason,
      /1,048,577 characters; the send box takes at most 1,048,576/,
    );
    assert.equal((over as { field: string }).field, 'text');
    const at = buildSendMessage(draft({ text: 'x'.repeat(MAX_SEND_TEXT), socketId: 'tcp-client-1' }), 1);
    assert.ok(at.ok);
    assert.ok(parseFromWebview(at.msg).ok, 'the host takes what the box lets through');
  });

  it('without a socket there is nothing to send', () => {
    const r = buildSendMessage(draft({ socketId: '' }), 1);
    assert.deepEqual(r, { ok: false, reason: 'Open a socket first.', field: 'socket' });
  });
});
