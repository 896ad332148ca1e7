// The host's handler for the traffic panel's messages, with a real registry and real loopback sockets: every
// request is answered (a refused one with the reason), and the send box's text reaches the socket as the bytes
// it stands for, decoded once.
import * as assert from 'node:assert/strict';
import type * as dgram from 'node:dgram';
import { handleWebviewMessage, type PanelActions } from '../../../../src/core/traffic/panelRequests';
import { MAX_SEND_TEXT, type ToWebview } from '../../../../src/shared/protocol';
import { closeUdp, makeEngine, udpPeer } from '../../helpers';

function recorder() {
  const posted: ToWebview[] = [];
  const rejected: string[] = [];
  const calls: string[] = [];
  const actions: PanelActions = {
    post: (m) => posted.push(m),
    rejected: (r) => rejected.push(r),
    ready: () => calls.push('ready'),
    clearLog: () => calls.push('clearLog'),
    exportLog: (f) => calls.push(`exportLog:${f}`),
    openNote: (id) => calls.push(`openNote:${id}`),
  };
  return { posted, rejected, calls, actions };
}

function nextDatagram(sock: dgram.Socket): Promise<Buffer> {
  return new Promise((resolve) => sock.once('message', (m) => resolve(m)));
}

describe('traffic panel requests (host side)', () => {
  let engine: ReturnType<typeof makeEngine>;
  let peer: dgram.Socket;
  let serverId: string;

  beforeEach(async () => {
    engine = makeEngine();
    peer = await udpPeer();
    serverId = (await engine.registry.startUdpServer({ port: 0, behavior: 'sink' })).id;
  });

  afterEach(async () => {
    await closeUdp(peer);
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  const send = (o: Record<string, unknown>) => ({
    type: 'sendMessage',
    requestId: 5,
    socketId: serverId,
    data: 'hi',
    encoding: 'utf8',
    lineEnding: 'none',
    to: { address: '127.0.0.1', port: peer.address().port },
    ...o,
  });

  it('sends the decoded bytes with the line ending and answers with the count', async () => {
    const r = recorder();
    const got = nextDatagram(peer);
    await handleWebviewMessage(
      send({ data: '48 69', encoding: 'hex', lineEnding: 'crlf' }),
      engine.log,
      engine.registry,
      r.actions,
    );
    assert.deepEqual(await got, Buffer.from([0x48, 0x69, 0x0d, 0x0a]));
    assert.deepEqual(r.posted, [{ type: 'sendResult', requestId: 5, bytes: 4 }]);
    assert.deepEqual(r.rejected, []);
  });

  it('UTF-8 text and base64 arrive byte for byte', async () => {
    const r = recorder();
    let got = nextDatagram(peer);
    await handleWebviewMessage(
      send({ data: 'é<b>', lineEnding: 'lf' }),
      engine.log,
      engine.registry,
      r.actions,
    );
    assert.deepEqual(await got, Buffer.from('é<b>\n'));
    got = nextDatagram(peer);
    await handleWebviewMessage(
      send({ requestId: 6, data: Buffer.from([0, 255, 1]).toString('base64'), encoding: 'base64' }),
      engine.log,
      engine.registry,
      r.actions,
    );
    assert.deepEqual(await got, Buffer.from([0, 255, 1]));
    assert.deepEqual(
      r.posted.map((m) => (m as { bytes: number }).bytes),
      [6, 3],
    );
  });

  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a port over 65535', { to: { address: '127.0.0.1', port: 99999 } }, /port from 1 to 65535/],
    ['a text over 1 MiB', { data: 'x'.repeat(MAX_SEND_TEXT + 1) }, /at most 1,048,576 characters/],
    ['a field the protocol does not have', { shell: 'rm -rf /' }, /unknown fields/],
  ];
  for (const [name, o, re] of refused) {
    it(`${name}: refused at the boundary, answered with the reason, nothing sent or logged`, async () => {
      const r = recorder();
      const before = engine.log.lastSeq;
      await handleWebviewMessage(send(o), engine.log, engine.registry, r.actions);
      assert.equal(r.rejected.length, 1);
      assert.equal(r.posted.length, 1, 'one answer');
      const reply = r.posted[0] as Extract<ToWebview, { type: 'sendResult' }>;
      assert.equal(reply.type, 'sendResult');
      assert.equal(reply.requestId, 5);
      assert.equal(reply.bytes, undefined);
      assert.match(reply.error!, re);
      assert.equal(engine.log.lastSeq, before, 'nothing logged');
      assert.equal(engine.registry.get(serverId)!.messagesOut, 0, 'nothing sent');
    });
  }

  const failed: Array<[string, Record<string, unknown>, RegExp]> = [
    ['hex that is not hex', { data: '48 zz', encoding: 'hex' }, /not hex: "z" is not a hex digit/],
    ['base64 that is not base64', { data: '!!!!', encoding: 'base64' }, /not base64/],
    ['an unknown socket', { socketId: 'udp-server-999' }, /no socket with id "udp-server-999"/],
    ['a datagram over the limit', { data: 'x'.repeat(65_507), lineEnding: 'lf' }, /at most 65,507 bytes/],
    ['a UDP server without a destination', { to: undefined }, /has no default destination/],
  ];
  for (const [name, o, re] of failed) {
    it(`${name}: valid in shape, refused by the engine, answered with the reason`, async () => {
      const r = recorder();
      const m = send(o);
      if (o['to'] === undefined && 'to' in o) {
        delete (m as Record<string, unknown>)['to'];
      }
      await handleWebviewMessage(m, engine.log, engine.registry, r.actions);
      assert.deepEqual(r.rejected, []);
      assert.equal(r.posted.length, 1);
      const reply = r.posted[0] as Extract<ToWebview, { type: 'sendResult' }>;
      assert.equal(reply.requestId, 5);
      assert.match(reply.error!, re);
      assert.equal(engine.registry.get(serverId)!.messagesOut, 0, 'nothing sent');
    });
  }

  it('getEntry answers with the entry, or why not', async () => {
    const r = recorder();
    await handleWebviewMessage(
      { type: 'getEntry', requestId: 1, seq: 1 },
      engine.log,
      engine.registry,
      r.actions,
    );
    await handleWebviewMessage(
      { type: 'getEntry', requestId: 2, seq: 999 },
      engine.log,
      engine.registry,
      r.actions,
    );
    await handleWebviewMessage(
      { type: 'getEntry', requestId: 3, seq: -1 },
      engine.log,
      engine.registry,
      r.actions,
    );
    const [a, b, c] = r.posted as Array<Extract<ToWebview, { type: 'entryDetail' }>>;
    assert.equal(a!.entry?.event, 'bind');
    assert.equal(a!.entry?.socketId, serverId);
    assert.match(a!.entry!.calls.python, /bind/);
    assert.deepEqual([b!.requestId, b!.entry], [2, undefined]);
    assert.match(b!.error!, /no longer in the log/);
    assert.deepEqual([c!.requestId, c!.entry], [3, undefined]);
    assert.match(c!.error!, /refused: getEntry needs integer requestId and seq/);
  });

  it('the other messages go to the host actions; a message with no requestId is only counted', async () => {
    const r = recorder();
    for (const m of [
      { type: 'ready' },
      { type: 'clearLog' },
      { type: 'exportLog', format: 'jsonl' },
      { type: 'openNote', noteId: 'udp-sender-address' },
      { type: 'sendMessage', data: 'x' },
      '<script>',
    ]) {
      await handleWebviewMessage(m, engine.log, engine.registry, r.actions);
    }
    assert.deepEqual(r.calls, ['ready', 'clearLog', 'exportLog:jsonl', 'openNote:udp-sender-address']);
    assert.equal(r.rejected.length, 2);
    assert.deepEqual(r.posted, [], 'no requestId, no one to answer');
  });
});
