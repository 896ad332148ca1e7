import * as assert from 'node:assert/strict';
import { blockFromTraffic, kindFromId, payloadLine } from '../../../../src/core/scenarios/fromTraffic';
import { runScenario } from '../../../../src/core/scenarios/runner';
import { parseScenario } from '../../../../src/core/scenarios/syntax';
import { closeUdp, makeEngine, udpPeer, udpRequest } from '../../helpers';

describe('scenarios: from the traffic log to a block', () => {
  const payloads: [string, Buffer][] = [
    ['plain text', Buffer.from('hello')],
    ['CRLF and tab', Buffer.from('GET / HTTP/1.0\r\n\tx\r\n\r\n')],
    ['backslash and braces', Buffer.from('a\\b {{port}} }}')],
    ['leading slash (not a regex)', Buffer.from('/abc/')],
    ['leading and trailing space', Buffer.from(' x ')],
    ['NUL and ESC', Buffer.from([0x41, 0x00, 0x1b, 0x5b, 0x6d])],
    ['UTF-8', Buffer.from('año ✓', 'utf8')],
    ['not UTF-8', Buffer.from([0xff, 0xfe, 0x00, 0x41])],
    ['empty', Buffer.alloc(0)],
  ];
  for (const [name, data] of payloads) {
    it(`a payload survives the round trip through the syntax: ${name}`, () => {
      const p = payloadLine(data);
      for (const mark of ['>', '<']) {
        const line = p.encoded === 'hex' ? `${mark}hex ${p.text}` : `${mark} ${p.text}`;
        const f = parseScenario(`### b\nudp 127.0.0.1:1\n${line}`);
        assert.deepEqual(f.errors, [], line);
        const step = f.blocks[0]!.steps[1]!;
        const segs =
          step.op === 'send'
            ? step.payload
            : step.op === 'expect' && step.match.kind === 'bytes'
              ? step.match.payload
              : [];
        assert.equal(step.op, mark === '>' ? 'send' : 'expect', line);
        assert.deepEqual(Buffer.concat(segs as Buffer[]), data, line);
      }
    });
  }

  it('kindFromId reads the kind out of a socket id', () => {
    assert.equal(kindFromId('udp-server-12'), 'udp-server');
    assert.equal(kindFromId('tcp-connection-3'), 'tcp-connection');
    assert.equal(kindFromId('nonsense'), undefined);
  });

  it("a UDP server's conversation is written from its client's side, and replays and passes", async () => {
    const engine = makeEngine();
    const peer = await udpPeer();
    try {
      const s = await engine.registry.startUdpServer({ port: 0 });
      assert.equal((await udpRequest(peer, s.local.port, 'first')).toString(), 'FIRST');
      assert.equal((await udpRequest(peer, s.local.port, 'second\n')).toString(), 'SECOND\n');
      const text = blockFromTraffic(
        { socketId: s.id, kind: 'udp-server', local: s.local, label: s.label },
        [...engine.log],
        'saved',
      );
      assert.match(
        text,
        new RegExp(
          `^### saved\\n#.*\\nudp 127\\.0\\.0\\.1:${s.local.port}\\n> first\\n< FIRST\\n> second\\\\n\\n< SECOND\\\\n\\n$`,
        ),
      );
      const r = await runScenario(engine.registry, parseScenario(text), 'saved.sockets');
      assert.equal(r.passed, true, JSON.stringify(r.blocks[0]?.steps));
      assert.throws(
        () =>
          blockFromTraffic(
            { socketId: 'udp-client-99', kind: 'udp-client', local: s.local, remote: s.local, label: 'x' },
            [...engine.log],
            'n',
          ),
        /no conversation to save/,
      );
      assert.throws(
        () =>
          blockFromTraffic(
            { socketId: 'tcp-server-1', kind: 'tcp-server', local: s.local, label: 'TCP server' },
            [],
            'n',
          ),
        /welcoming socket/,
      );
    } finally {
      await closeUdp(peer);
      await engine.registry.closeAll();
      engine.log.dispose();
    }
  });
});
