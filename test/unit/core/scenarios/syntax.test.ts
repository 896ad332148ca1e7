import * as assert from 'node:assert/strict';
import { parseScenario } from '../../../../src/core/scenarios/syntax';
import type { Step } from '../../../../src/core/scenarios/scenarioTypes';

function bytesOf(step: Step | undefined): string {
  assert.ok(step && (step.op === 'send' || (step.op === 'expect' && step.match.kind === 'bytes')));
  const segs = step.op === 'send' ? step.payload : step.match.kind === 'bytes' ? step.match.payload : [];
  return Buffer.concat(segs.map((s) => (Buffer.isBuffer(s) ? s : Buffer.from(`{${s.variable}}`)))).toString(
    'hex',
  );
}

describe('scenarios: syntax', () => {
  it('parses the core syntax: comments, variables, blocks, socket, send, exact and regex expectations', () => {
    const f = parseScenario(
      [
        '# a comment',
        '@port = 12000',
        '### Uppercase over UDP',
        'udp 127.0.0.1:{{port}}',
        '> hello',
        '< HELLO',
        '< /^HEL+O$/i',
      ].join('\n'),
    );
    assert.deepEqual(f.errors, []);
    assert.equal(f.blocks.length, 1);
    const b = f.blocks[0]!;
    assert.equal(b.name, 'Uppercase over UDP');
    assert.equal(b.line, 3);
    assert.equal(b.endLine, 7);
    assert.deepEqual(
      b.steps.map((s) => [s.op, s.line]),
      [
        ['udp', 4],
        ['send', 5],
        ['expect', 6],
        ['expect', 7],
      ],
    );
    const sock = b.steps[0]!;
    assert.ok(sock.op === 'udp');
    assert.equal(sock.endpoint, '127.0.0.1:12000');
    assert.equal(bytesOf(b.steps[1]), Buffer.from('hello').toString('hex'));
    const re = b.steps[3]!;
    assert.ok(re.op === 'expect' && re.match.kind === 'regex');
    assert.equal(re.match.source, '^HEL+O$');
    assert.equal(re.match.flags, 'i');
    assert.equal(re.timeoutMs, 2000);
  });

  it('turns escapes into bytes: \\r \\n \\t \\0 \\\\ \\{ \\xHH, and multi-byte UTF-8 as is', () => {
    const f = parseScenario('### b\ntcp localhost:80\n> a\\r\\n\\t\\0\\\\\\x41\\xff\\{{x}} é');
    assert.deepEqual(f.errors, []);
    assert.equal(
      bytesOf(f.blocks[0]!.steps[1]),
      Buffer.concat([
        Buffer.from('a\r\n\t\0\\A'),
        Buffer.from([0xff]),
        Buffer.from('{{x}} é', 'utf8'),
      ]).toString('hex'),
    );
  });

  it('hex and base64 sends and expectations', () => {
    const f = parseScenario('### b\nudp 127.0.0.1:9\n>hex 48 65 6c\n>b64 SGk=\n<hex 48 49\n> hex is text');
    assert.deepEqual(f.errors, []);
    const s = f.blocks[0]!.steps;
    assert.equal(bytesOf(s[1]), '48656c');
    assert.equal(bytesOf(s[2]), Buffer.from('Hi').toString('hex'));
    assert.equal(bytesOf(s[3]), '4849');
    assert.equal(bytesOf(s[4]), Buffer.from('hex is text').toString('hex'));
  });

  it('@timeout applies to the lines after it; wait, close, end, server with {{serverPort}}', () => {
    const f = parseScenario(
      [
        '### self-contained',
        'server tcp echo 0 line',
        '@timeout = 150',
        'tcp 127.0.0.1:{{serverPort}}',
        '> hi {{serverPort}}\\n',
        'wait 20',
        'end',
        '< /hi \\d+/',
        'close',
      ].join('\n'),
    );
    assert.deepEqual(f.errors, []);
    const s = f.blocks[0]!.steps;
    assert.deepEqual(
      s.map((x) => x.op),
      ['server', 'tcp', 'send', 'wait', 'end', 'expect', 'close'],
    );
    const server = s[0]!;
    assert.ok(server.op === 'server');
    assert.equal(server.protocol, 'tcp');
    assert.equal(server.behavior, 'echo');
    assert.equal(server.framing, 'line');
    const tcp = s[1]!;
    assert.ok(tcp.op === 'tcp');
    assert.equal(tcp.endpoint, '127.0.0.1:{{serverPort}}');
    assert.equal(tcp.timeoutMs, 150);
    const send = s[2]!;
    assert.ok(send.op === 'send');
    assert.deepEqual(send.payload[1], { variable: 'serverPort' });
    assert.ok(s[5]!.op === 'expect' && s[5]!.timeoutMs === 150);
  });

  it('repeat N … done unrolls with {{i}}', () => {
    const f = parseScenario(
      '### pings\nudp 127.0.0.1:12000\nrepeat 3\n> ping {{i}}\n< PING {{i}}\ndone\nclose',
    );
    assert.deepEqual(f.errors, []);
    const s = f.blocks[0]!.steps;
    assert.equal(s.length, 1 + 6 + 1);
    assert.equal(bytesOf(s[5]), Buffer.from('ping 3').toString('hex'));
    assert.equal(bytesOf(s[6]), Buffer.from('PING 3').toString('hex'));
    assert.equal(s[5]!.line, 4);
  });

  it('variables are substituted in file order and are visible to later blocks', () => {
    const f = parseScenario(
      '@host = 127.0.0.1\n### a\n@port = 7\nudp {{host}}:{{port}}\n### b\ntcp {{host}}:{{port}}',
    );
    assert.deepEqual(f.errors, []);
    const b = f.blocks[1]!.steps[0]!;
    assert.ok(b.op === 'tcp');
    assert.equal(b.endpoint, '127.0.0.1:7');
    assert.deepEqual(
      f.variables.map((v) => [v.name, v.line]),
      [
        ['host', 1],
        ['port', 3],
      ],
    );
  });

  // Table of bad lines: each gives one error on its line, at the column of the culprit.
  const bad: { name: string; text: string; line: number; column: number; code?: string; message: RegExp }[] =
    [
      {
        name: 'unknown variable',
        text: '### b\nudp 127.0.0.1:{{nope}}',
        line: 2,
        column: 15,
        code: 'unknown-variable',
        message: /unknown variable \{\{nope\}\}/,
      },
      {
        name: 'unknown escape',
        text: '### b\nudp 127.0.0.1:1\n> ab\\q',
        line: 3,
        column: 5,
        code: 'escape',
        message: /unknown escape "\\q"/,
      },
      {
        name: 'short \\x',
        text: '### b\nudp 127.0.0.1:1\n> \\x4',
        line: 3,
        column: 3,
        code: 'escape',
        message: /two hex digits/,
      },
      {
        name: 'bad regex',
        text: '### b\nudp 127.0.0.1:1\n< /a(/',
        line: 3,
        column: 3,
        code: 'regex',
        message: /not a valid regular expression/,
      },
      { name: 'bad hex', text: '### b\nudp 127.0.0.1:1\n>hex 4g', line: 3, column: 6, message: /not hex/ },
      {
        name: 'send before socket',
        text: '### b\n> hi',
        line: 2,
        column: 1,
        message: /needs the block's socket first/,
      },
      {
        name: 'step outside a block',
        text: 'udp 127.0.0.1:1',
        line: 1,
        column: 1,
        message: /inside a block/,
      },
      { name: 'bad endpoint', text: '### b\ntcp 127.0.0.1', line: 2, column: 5, message: /not HOST:PORT/ },
      { name: 'unknown keyword', text: '### b\nsend hi', line: 2, column: 1, message: /unknown line "send"/ },
      {
        name: 'bad timeout',
        text: '@timeout = soon',
        line: 1,
        column: 12,
        message: /@timeout needs milliseconds/,
      },
      { name: 'end on UDP', text: '### b\nudp 127.0.0.1:1\nend', line: 3, column: 1, message: /half-close/ },
      {
        name: 'send after end',
        text: '### b\ntcp 127.0.0.1:1\nend\n> x',
        line: 4,
        column: 1,
        message: /no sends after "end"/,
      },
      {
        name: 'serverPort without server',
        text: '### b\ntcp 127.0.0.1:{{serverPort}}',
        line: 2,
        column: 15,
        code: 'unknown-variable',
        message: /server/,
      },
      {
        name: 'repeat without done',
        text: '### b\nudp 127.0.0.1:1\nrepeat 2\n> x',
        line: 3,
        column: 1,
        message: /has no done/,
      },
      {
        name: 'bad behaviour',
        text: '### b\nserver udp shout 0',
        line: 2,
        column: 12,
        message: /unknown behaviour "shout"/,
      },
      {
        name: 'two sockets',
        text: '### b\nudp 127.0.0.1:1\ntcp 127.0.0.1:1',
        line: 3,
        column: 1,
        message: /one socket per block/,
      },
      {
        name: 'duplicate block',
        text: '### b\n### b',
        line: 2,
        column: 1,
        code: 'duplicate-block',
        message: /already on line 1/,
      },
    ];
  for (const c of bad) {
    it(`error with line and column: ${c.name}`, () => {
      const f = parseScenario(c.text);
      assert.equal(f.errors.length, 1, JSON.stringify(f.errors));
      const e = f.errors[0]!;
      assert.match(e.message, c.message);
      assert.equal(e.line, c.line, e.message);
      assert.equal(e.column, c.column, e.message);
      assert.ok(e.endColumn > e.column);
      if (c.code) {
        assert.equal(e.code, c.code);
      }
    });
  }

  it('an error stops only its own block; an error before the first block stops them all', () => {
    const one = parseScenario('### good\nudp 127.0.0.1:1\n> x\n### bad\nudp 127.0.0.1:1\n> \\q');
    assert.equal(one.blocks[0]!.errors.length, 0);
    assert.equal(one.blocks[1]!.errors.length, 1);
    const all = parseScenario('@timeout = -1\n### a\nudp 127.0.0.1:1\n### b\nudp 127.0.0.1:1');
    assert.equal(all.errors.length, 1);
    assert.ok(all.blocks.every((b) => b.errors.length === 1));
  });

  it('a mistake on the socket or server line is one error, not one more on every line below', () => {
    const f = parseScenario('### b\nudp 127.0.0.1:{{nope}}\n> hi\n< HI\nclose');
    assert.deepEqual(
      f.errors.map((e) => e.line),
      [2],
    );
    const g = parseScenario('### b\nserver udp shout 0\nudp 127.0.0.1:{{serverPort}}\n> hi');
    assert.deepEqual(
      g.errors.map((e) => e.line),
      [2],
    );
  });

  it('a huge repeat is refused, not unrolled into memory', () => {
    const f = parseScenario('### b\nudp 127.0.0.1:1\nrepeat 100000\n> x\ndone');
    assert.equal(f.errors.length, 1);
    assert.match(f.errors[0]!.message, /whole number of times 1-10000/);
    const g = parseScenario('### b\nudp 127.0.0.1:1\nrepeat 10000\n' + '> x\n'.repeat(20) + 'done');
    assert.match(g.errors[0]?.message ?? '', /more than 100,000 steps/);
    assert.ok(g.blocks[0]!.steps.length <= 100_001);
  });

  it('describes every line for hovers, and CRLF files parse the same', () => {
    const f = parseScenario('### b\r\nudp 127.0.0.1:1\r\n> hi\\n\r\n< HI\r\n');
    assert.deepEqual(f.errors, []);
    const send = f.lines.find((l) => l.line === 3)!;
    assert.equal(send.kind, 'send');
    assert.match(send.detail, /one datagram of 3 bytes \(68 69 0a\)/);
    assert.equal(f.lines.find((l) => l.line === 1)!.kind, 'block');
  });
});
