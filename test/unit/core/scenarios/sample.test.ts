/**
 * The sample scenario file the walkthrough opens: it parses clean, its self-contained blocks pass against the
 * playground's own servers, and its SMTP dialogue passes against a plain Node mail server that greets late
 * and answers in pieces (the interop tests run the other blocks against the textbook servers).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import { runScenario } from '../../../../src/core/scenarios/runner';
import { parseScenario } from '../../../../src/core/scenarios/syntax';
import { makeEngine, rawTcpServer } from '../../helpers';

const SAMPLE = path.resolve(__dirname, '../../../../../media/samples/textbook.sockets');

/** A mail server in a few lines: one reply per command line, each written in two pieces. */
async function tinySmtp(conns: net.Socket[]): Promise<{ server: net.Server; port: number; mail: string[] }> {
  const mail: string[] = [];
  const { server, port } = await rawTcpServer((c) => {
    conns.push(c);
    let pending = '';
    let inData = false;
    const say = (line: string) => {
      c.write(line.slice(0, 2));
      setImmediate(() => c.write(`${line.slice(2)}\r\n`));
    };
    say('220 tiny.example ready');
    c.on('data', (d: Buffer) => {
      pending += d.toString('latin1');
      let i: number;
      while ((i = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            say('250 queued');
          } else {
            mail.push(line);
          }
        } else if (line === 'DATA') {
          inData = true;
          say('354 end with .');
        } else if (line === 'QUIT') {
          say('221 bye');
        } else {
          say('250 ok');
        }
      }
    });
  });
  return { server, port, mail };
}

describe('scenarios: the sample file', function () {
  const text = readFileSync(SAMPLE, 'utf8');
  let engine: ReturnType<typeof makeEngine>;
  const conns: net.Socket[] = [];
  beforeEach(() => (engine = makeEngine()));
  afterEach(async () => {
    conns.splice(0).forEach((c) => c.destroy());
    await engine.registry.closeAll();
    engine.log.dispose();
  });

  it('parses without an error and has the textbook blocks', () => {
    const f = parseScenario(text);
    assert.deepEqual(f.errors, []);
    assert.deepEqual(
      f.blocks.map((b) => b.name),
      [
        'Uppercase over UDP',
        'Uppercase over TCP',
        'Ping series',
        'Your UDPServer.py',
        'Your TCPServer.py',
        'HTTP GET',
        'SMTP dialogue',
      ],
    );
  });

  for (const name of ['Uppercase over UDP', 'Uppercase over TCP', 'Ping series']) {
    it(`"${name}" runs on its own and passes`, async () => {
      const r = await runScenario(engine.registry, parseScenario(text), SAMPLE, { block: name });
      assert.equal(r.passed, true, JSON.stringify(r.blocks[0]!.steps));
      assert.equal(engine.registry.size, 0);
    });
  }

  it('"SMTP dialogue" passes against a mail server that answers in pieces', async () => {
    const smtp = await tinySmtp(conns);
    try {
      const file = parseScenario(text.replace('@smtp = 8025', `@smtp = ${smtp.port}`));
      const r = await runScenario(engine.registry, file, SAMPLE, { block: 'SMTP dialogue' });
      assert.equal(r.passed, true, JSON.stringify(r.blocks[0]!.steps));
      assert.deepEqual(smtp.mail, ['Subject: hello', '', 'Sent from a scenario file.']);
    } finally {
      await new Promise((resolve) => smtp.server.close(resolve));
    }
  });
});
