import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { momentsFor } from '../../../../src/core/notes/annotate';
import { allMoments, isKnownMoment } from '../../../../src/core/notes/moments';
import { allNotes } from '../../../../src/core/notes/notes';
import { TRAFFIC_EVENTS, type AnnotationInput, type SocketKind } from '../../../../src/shared/types';

const LOOP = '127.0.0.1';
const at = (port: number) => ({ address: LOOP, port });

describe('moments (unit)', () => {
  const table: { name: string; input: AnnotationInput; moments: string[] }[] = [
    {
      name: 'a UDP server receives a datagram',
      input: { kind: 'udp-server', protocol: 'udp', event: 'receive', local: at(12000), remote: at(50000) },
      moments: ['event:udp.receive', 'event:udp.receive.server', 'event:udp.no-connection'],
    },
    {
      name: 'a UDP client sends',
      input: { kind: 'udp-client', protocol: 'udp', event: 'send', local: at(50000), remote: at(12000) },
      moments: ['event:udp.send', 'event:udp.send.client', 'event:udp.no-connection'],
    },
    {
      name: 'a UDP server binds a privileged port',
      input: { kind: 'udp-server', protocol: 'udp', event: 'bind', local: at(53) },
      moments: ['port:privileged', 'port:well-known', 'event:udp.bind.server', 'event:udp.bind'],
    },
    {
      name: 'the welcoming socket listens',
      input: { kind: 'tcp-server', protocol: 'tcp', event: 'listen', local: at(12000) },
      moments: ['event:tcp.listen', 'event:tcp.listen.server'],
    },
    {
      name: 'the welcoming socket accepts',
      input: { kind: 'tcp-server', protocol: 'tcp', event: 'accept', local: at(12000), remote: at(50000) },
      moments: ['event:tcp.accept'],
    },
    {
      name: 'a TCP client connects to port 80',
      input: { kind: 'tcp-client', protocol: 'tcp', event: 'connect', local: at(50000), remote: at(80) },
      moments: ['event:tcp.connect', 'event:tcp.connect.client', 'port:well-known'],
    },
    {
      name: 'a reset close',
      input: { kind: 'tcp-client', protocol: 'tcp', event: 'close', local: at(50000), closedBy: 'reset' },
      moments: ['event:tcp.close.reset', 'event:tcp.close'],
    },
    {
      name: 'the peer sends FIN',
      input: {
        kind: 'tcp-connection',
        protocol: 'tcp',
        event: 'close',
        local: at(12000),
        closedBy: 'peer-fin',
      },
      moments: ['event:tcp.close.fin', 'event:tcp.close.peer-fin', 'event:tcp.close'],
    },
    {
      name: 'the welcoming socket closes',
      input: { kind: 'tcp-server', protocol: 'tcp', event: 'close', local: at(12000), closedBy: 'local' },
      moments: ['event:tcp.close.welcoming', 'event:tcp.close'],
    },
    {
      name: 'a refused connection',
      input: {
        kind: 'tcp-client',
        protocol: 'tcp',
        event: 'error',
        local: at(50000),
        errorCode: 'ECONNREFUSED',
      },
      moments: ['error:ECONNREFUSED', 'event:tcp.error.ECONNREFUSED', 'event:tcp.error'],
    },
    {
      name: 'a lower-case code is the same moment',
      input: {
        kind: 'tcp-client',
        protocol: 'tcp',
        event: 'error',
        local: at(50000),
        errorCode: 'econnrefused',
      },
      moments: ['error:ECONNREFUSED', 'event:tcp.error.ECONNREFUSED', 'event:tcp.error'],
    },
    {
      name: 'EACCES on port 80',
      input: { kind: 'tcp-server', protocol: 'tcp', event: 'error', local: at(80), errorCode: 'EACCES' },
      moments: [
        'error:EACCES',
        'event:tcp.error.EACCES',
        'port:privileged',
        'port:well-known',
        'event:tcp.error',
      ],
    },
    {
      name: 'an unknown error code',
      input: {
        kind: 'udp-client',
        protocol: 'udp',
        event: 'error',
        local: at(50000),
        errorCode: 'EWHATEVER',
      },
      moments: ['error:other', 'event:udp.error'],
    },
    {
      name: 'the relay drops a datagram',
      input: { kind: 'relay', protocol: 'udp', event: 'drop', local: at(40000) },
      moments: ['event:udp.drop', 'event:udp.impaired'],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      assert.deepEqual(momentsFor(row.input), row.moments);
    });
  }

  it('every moment the matcher produces is in the vocabulary', () => {
    const kinds: SocketKind[] = [
      'udp-server',
      'udp-client',
      'tcp-server',
      'tcp-connection',
      'tcp-client',
      'relay',
    ];
    for (const kind of kinds) {
      for (const protocol of ['udp', 'tcp'] as const) {
        for (const event of TRAFFIC_EVENTS) {
          for (const port of [0, 53, 12000]) {
            for (const closedBy of [undefined, 'local', 'peer-fin', 'reset', 'server-closed'] as const) {
              for (const errorCode of [undefined, 'ECONNRESET', 'EACCES', 'EWHATEVER']) {
                const input = { kind, protocol, event, local: at(port), remote: at(80), closedBy, errorCode };
                for (const m of momentsFor(input)) {
                  assert.ok(isKnownMoment(m), `${m} (${JSON.stringify(input)})`);
                }
              }
            }
          }
        }
      }
    }
  });

  it('the vocabulary has no duplicates, and every traffic event and error has a note', () => {
    const all = allMoments();
    assert.equal(new Set(all).size, all.length);
    const explained = new Set(allNotes().flatMap((n) => n.explains));
    for (const m of all.filter((x) => x.startsWith('error:'))) {
      // A code that means different things on UDP and TCP is explained per protocol instead, on both.
      const code = m.slice('error:'.length);
      const perProtocol =
        explained.has(`event:udp.error.${code}`) && explained.has(`event:tcp.error.${code}`);
      assert.ok(
        explained.has(m) || perProtocol,
        `a built-in note explains ${m}, or the code on UDP and on TCP`,
      );
    }
  });

  it('docs/notes-packs.md documents every moment of the vocabulary', () => {
    const doc = fs.readFileSync(
      path.join(__dirname, '..', '..', '..', '..', '..', 'docs', 'notes-packs.md'),
      'utf8',
    );
    const missing = allMoments().filter((m) => !doc.includes(`\`${m}\``) && !documentedByPattern(doc, m));
    assert.deepEqual(missing, []);
  });
});

/**
 * The docs list the per-code moments once, as a pattern over the list of codes: `event:<udp|tcp>.error.<CODE>`
 * and `error:<CODE>` with every code written out in the codes table.
 */
function documentedByPattern(doc: string, m: string): boolean {
  const code = /^(?:error:|event:(?:udp|tcp)\.error\.)([A-Z_0-9]+)$/.exec(m)?.[1];
  return code !== undefined && doc.includes(`\`${code}\``);
}
