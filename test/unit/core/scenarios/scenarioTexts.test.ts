/**
 * The scenario language's problems, hovers and completion summaries are translatable: each formats to the
 * English the parser reports, and the Spanish bundle says it with every placeholder filled.
 */
import * as assert from 'node:assert/strict';
import { DIRECTIVES } from '../../../../src/core/scenarios/help';
import { parseScenario } from '../../../../src/core/scenarios/syntax';
import { englishText } from '../../../../src/shared/l10n';
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
});
