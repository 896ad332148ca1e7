/**
 * The Sockets tree's rows are translatable: each row's description, tooltip and screen-reader text come with
 * the texts they are made from, which format to the English the row holds and read in Spanish through the
 * bundle. Real sockets on loopback, as the tree draws them.
 */
import * as assert from 'node:assert/strict';
import type * as dgram from 'node:dgram';
import type * as net from 'node:net';
import type { SocketRow } from '../../../../src/core/sockets/socketView';
import { englishText } from '../../../../src/shared/l10n';
import { closeUdp, makeEngine, readBytes, tcpConnect, udpPeer, udpRequest, waitFor } from '../../helpers';
import { spanish } from '../../spanish';

/** The row's three texts in Spanish, after checking each formats to the row's English. */
function inSpanish(row: SocketRow): { description: string; tooltip: string; accessibility: string } {
  assert.ok(row.descriptionText && row.tooltipText && row.accessibilityText, `texts of ${row.id}`);
  assert.equal(englishText(row.descriptionText), row.description);
  assert.equal(englishText(row.tooltipText), row.tooltip);
  assert.equal(englishText(row.accessibilityText), row.accessibility);
  const es = {
    description: spanish(row.descriptionText),
    tooltip: spanish(row.tooltipText),
    accessibility: spanish(row.accessibilityText),
  };
  for (const s of Object.values(es)) {
    assert.doesNotMatch(s, /\{\d+\}/, s);
  }
  return es;
}

describe('Sockets tree rows in Spanish (unit)', () => {
  let engine: ReturnType<typeof makeEngine>;
  const udp: dgram.Socket[] = [];
  const tcp: net.Socket[] = [];

  beforeEach(() => {
    engine = makeEngine();
  });

  afterEach(async () => {
    tcp.splice(0).forEach((c) => c.destroy());
    await Promise.all(udp.splice(0).map(closeUdp));
    await engine.registry.closeAll();
    engine.registry.dispose();
    engine.log.dispose();
  });

  it('a UDP server with loss: what it lost, its impairment and its counters', async () => {
    const info = await engine.registry.startUdpServer({
      port: 0,
      behavior: 'echo',
      impairment: { loss: 0.5, seed: 7 },
    });
    const es = inSpanish(engine.registry.get(info.id)!.describe());
    assert.match(es.description, /^perdidos: 0 · 127\.0\.0\.1:\d+ · ↓0 B ↑0 B$/);
    assert.match(es.tooltip, new RegExp(`^\\*\\*Servidor UDP\\*\\* \`${info.id}\` — enlazado\\n\\n`));
    assert.match(es.tooltip, /\| degradación \| pérdida 50 %, semilla 7 \|/);
    assert.match(es.tooltip, /\| entrada \| 0 bytes en 0 datagramas \|/);
    assert.match(es.tooltip, /\| perdido \| 0 datagramas descartados al llegar, nunca respondidos \|/);
    assert.match(
      es.accessibility,
      /^Servidor UDP 127\.0\.0\.1:\d+, enlazado, perdidos: 0, 0 bytes de entrada, 0 bytes de salida$/,
    );
  });

  it("a TCP server's welcoming socket, a connection, and a closed one kept in view", async () => {
    const info = await engine.registry.startTcpServer({ port: 0, behavior: 'echo' });
    const c = await tcpConnect(info.local.port);
    tcp.push(c);
    c.write('hello');
    await readBytes(c, 5);
    const server = engine.registry.get(info.id)!;
    const es = inSpanish(server.describe());
    assert.match(es.description, /^127\.0\.0\.1:\d+ · abiertas: 1, atendidas: 1$/);
    assert.match(es.tooltip, /El socket de bienvenida solo acepta conexiones y no transporta datos/);
    assert.match(
      es.tooltip,
      /\| en sus conexiones \| 5 bytes de entrada, 5 bytes de salida \(abiertas y cerradas\) \|/,
    );
    assert.match(
      es.accessibility,
      /^Servidor TCP, socket de bienvenida 127\.0\.0\.1:\d+, escuchando, conexiones abiertas: 1, atendidas: 1;/,
    );
    const conn = engine.registry.all().find((s) => s.parentId === info.id)!;
    assert.match(inSpanish(conn.describe()).tooltip, /\| salida \| 5 bytes en 1 escritura \|/);
    c.end();
    await waitFor(() => server.retainedRows().length === 1, 'the closed connection kept');
    const kept = inSpanish(server.retainedRows()[0]!);
    assert.match(kept.description, / · cerrado$/);
    assert.match(
      kept.tooltip,
      /Esta conexión se cerró; se queda aquí \d+ s para que puedas ver lo que transportó\.$/,
    );
  });

  it("relays: a UDP relay's legs and seed, a TCP relay's resends", async () => {
    const target = await engine.registry.startUdpServer({ port: 0, behavior: 'echo' });
    const relay = await engine.registry.startRelay({
      protocol: 'udp',
      targetPort: target.local.port,
      impairment: { loss: 0.000001, seed: 42 },
    });
    const p = await udpPeer();
    udp.push(p);
    await udpRequest(p, relay.local.port, 'hi');
    const es = inSpanish(engine.registry.get(relay.id)!.describe());
    assert.match(es.description, /· 1 tramo · semilla 42$/);
    assert.match(
      es.tooltip,
      /\| semilla \| 42 \(la misma semilla y los mismos clientes en el mismo orden repiten esta ejecución\) \|/,
    );
    const leg = engine.registry.all().find((s) => s.parentId === relay.id)!;
    assert.match(
      inSpanish(leg.describe()).description,
      /· para 127\.0\.0\.1:\d+ · caduca tras 60 s de inactividad$/,
    );
    const tcpTarget = await engine.registry.startTcpServer({ port: 0, behavior: 'echo' });
    const tcpRelay = await engine.registry.startRelay({
      protocol: 'tcp',
      targetPort: tcpTarget.local.port,
      impairment: { loss: 0.000001, seed: 1 },
    });
    const row = inSpanish(engine.registry.get(tcpRelay.id)!.describe());
    assert.match(row.description, /^perdidos: 0, reenviados: 0 · /);
    assert.match(
      row.tooltip,
      /\| perdido \| nada: TCP \(simulado\) reenvió los 0 segmentos que descartó el enlace/,
    );
    assert.match(
      row.tooltip,
      /El socket de escucha del relay no transporta datos: los bytes circulan por sus tramos\./,
    );
  });
});
