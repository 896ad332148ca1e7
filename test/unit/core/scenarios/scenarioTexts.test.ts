/**
 * The scenario language's problems, hovers and completion summaries are translatable: each formats to the
 * English the parser reports, and the Spanish bundle says it with every placeholder filled.
 */
import * as assert from 'node:assert/strict';
import { DIRECTIVES } from '../../../../src/core/scenarios/help';
import { blockMarkText } from '../../../../src/core/scenarios/marks';
import { runScenario } from '../../../../src/core/scenarios/runner';
import { parseScenario } from '../../../../src/core/scenarios/syntax';
import { englishText } from '../../../../src/shared/l10n';
import { makeEngine } from '../../helpers';
import { spanish } from '../../spanish';

// One file with most kinds of lines and of mistakes.
const SOURCE = [
  '@host = 127.0.0.1',
  '@timeout = 500',
  '# a comment',
  '### Echo',
  'server tcp echo 0 line',
  'tcp {{host}}:{{serverPort}}',
  '> hello\\n',
  '< hello\\n',
  '< /^HEL+O$/i',
  'wait 10',
  'repeat 2',
  '> ping {{i}}',
  'done',
  'end',
  'close',
  '### Echo',
  'udp 127.0.0.1:99999',
  '> \\q',
  '< {{nope}}',
  'frobnicate',
  '@1bad = x',
  'server udp bouncy 0',
  'repeat zero',
  '### UDP',
  'udp 127.0.0.1:12000',
  '>hex 48 65',
  '<b64 SEk=',
  'end',
  '',
].join('\n');

describe('Scenario files in Spanish (unit)', () => {
  const file = parseScenario(SOURCE);

  it('every problem is its text in English, and reads in Spanish', () => {
    assert.ok(file.errors.length >= 7, file.errors.map((e) => e.message).join('\n'));
    for (const e of file.errors) {
      assert.ok(e.text, e.message);
      assert.equal(englishText(e.text), e.message);
      const es = spanish(e.text);
      assert.notEqual(es, e.message);
      assert.doesNotMatch(es, /\{\d+\}/, es);
    }
    const es = file.errors.map((e) => spanish(e.text!));
    assert.ok(
      es.includes(
        'ya hay un bloque llamado "Echo" en la línea 4: el nombre elige el bloque que se ejecuta, así que cada uno debe ser único.',
      ),
      es.join('\n'),
    );
    assert.ok(
      es.some((m) => m.startsWith('secuencia de escape desconocida "\\q"')),
      es.join('\n'),
    );
    assert.ok(
      es.some((m) =>
        m.startsWith(
          'variable desconocida {{nope}}: defínela más arriba con "@nope = value" (definidas hasta ahora: host, timeout).',
        ),
      ),
      es.join('\n'),
    );
    assert.ok(
      es.some((m) => m.startsWith('línea desconocida "frobnicate"')),
      es.join('\n'),
    );
    assert.ok(
      es.some((m) => m.startsWith('"end" es un semicierre TCP (FIN)')),
      es.join('\n'),
    );
  });

  it('every hover is its text in English, and reads in Spanish', () => {
    assert.ok(file.lines.length >= 12);
    for (const info of file.lines) {
      assert.ok(info.detailText, info.detail);
      assert.equal(englishText(info.detailText), info.detail);
      assert.doesNotMatch(spanish(info.detailText), /\{\d+\}/);
    }
    const at = (line: number) => spanish(file.lines.find((l) => l.line === line)!.detailText!);
    assert.equal(
      at(6),
      'Abre el socket del bloque: un **cliente TCP** que se conecta a `127.0.0.1:{{serverPort}}` (handshake de tres vías; falla con «connection refused» si no escucha nadie). Se cierra cuando termina el bloque.',
    );
    assert.match(
      at(5),
      /^Inicia un \*\*servidor TCP\*\* del playground \(echo, delimitación por líneas\) en el puerto que elija el SO;/,
    );
    assert.match(at(11), /^Ejecuta 2 veces las líneas hasta "done"; \{\{i\}\} es la vuelta, de 1 a 2\.$/);
    assert.match(at(26), /^Envía un datagrama de 2 bytes \(48 65\)\.$/);
  });

  it('every completion summary reads in Spanish', () => {
    for (const d of DIRECTIVES) {
      assert.equal(englishText(d.summaryText), d.summary);
      assert.notEqual(spanish(d.summaryText), d.summary, d.label);
    }
  });

  it("a run's step results read in Spanish: what was sent, received, and what was expected", async () => {
    const engine = makeEngine();
    try {
      const run = await runScenario(
        engine.registry,
        parseScenario(
          [
            '@timeout = 100',
            '### Upper',
            'server udp uppercase 0',
            'udp 127.0.0.1:{{serverPort}}',
            '> hello',
            '< HELLO',
            '< nope',
            'close',
            '',
          ].join('\n'),
        ),
        'upper.sockets',
      );
      const steps = run.blocks[0]!.steps;
      assert.deepEqual(
        steps.map((s) => s.status),
        ['passed', 'passed', 'passed', 'passed', 'failed', 'skipped'],
      );
      const es = steps.map((s) => {
        assert.ok(s.text, s.message);
        assert.equal(englishText(s.text), s.message);
        return spanish(s.text);
      });
      assert.match(
        es[0]!,
        /^se inició UDP server 127\.0\.0\.1:\d+ \(udp-server-\d+\); \{\{serverPort\}\} = \d+$/,
      );
      assert.equal(es[2], 'se enviaron 5 bytes: "hello" (68 65 6c 6c 6f)');
      assert.equal(es[3], 'se recibió "HELLO" (48 45 4c 4c 4f)');
      assert.equal(es[4], 'se esperaba "nope" (6e 6f 70 65) en 100 ms como mucho; no llegó nada');
      assert.equal(es[5], 'omitido: falló un paso anterior');
      assert.equal(spanish(blockMarkText(run.blocks[0]!)), '✗ falló (1 paso)');
    } finally {
      await engine.registry.closeAll();
      engine.registry.dispose();
      engine.log.dispose();
    }
  });
});
