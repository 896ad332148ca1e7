/**
 * The detail pane's reading of HTTP and SMTP in the page's language: the view's texts are the traffic panel's
 * words, so the table the host sends (each English value translated, here straight from the Spanish bundle) says
 * them in Spanish; the English fields are unchanged.
 */
import * as assert from 'node:assert/strict';
import { recogniseAppProtocol } from '../../../src/shared/appProtocol';
import { englishText } from '../../../src/shared/l10n';
import { TRAFFIC_STRINGS } from '../../../src/shared/webviewStrings';
import { localText, setTrafficStrings } from '../../../src/webview/strings';
import { bundleEs } from '../spanish';

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('The detail pane reads HTTP and SMTP in Spanish (unit)', () => {
  before(() => {
    // What the host sends in Spanish: translatedStrings(TRAFFIC_STRINGS), each value through the bundle.
    setTrafficStrings(
      Object.fromEntries(Object.entries(TRAFFIC_STRINGS).map(([k, v]) => [k, bundleEs[v] ?? v])),
    );
  });
  after(() => setTrafficStrings(undefined));

  /** Every text of the view formats to its English field, and none is left English or unfilled in Spanish. */
  function both(payload: string): { title: string; head: string[]; checks: string[] } {
    const v = recogniseAppProtocol(bytes(payload))!;
    assert.ok(v, 'recognised');
    assert.equal(englishText(v.titleText), v.title);
    for (const c of v.checks) {
      assert.equal(englishText(c.message), c.text);
    }
    const es = {
      title: localText(v.titleText),
      head: v.table?.headText.map(localText) ?? [],
      checks: v.checks.map((c) => localText(c.message)),
    };
    for (const s of [es.title, ...es.checks]) {
      assert.doesNotMatch(s, /\{\d+\}/, s);
    }
    return es;
  }

  it('a browser GET', () => {
    const es = both('GET /HelloWorld.html HTTP/1.1\r\nHost: 127.0.0.1:6789\r\nConnection: close\r\n\r\n');
    assert.equal(es.title, 'Petición HTTP: GET /HelloWorld.html HTTP/1.1');
    assert.deepEqual(es.head, ['cabecera', 'valor']);
    assert.deepEqual(es.checks, [
      'método GET, ruta /HelloWorld.html, versión HTTP/1.1',
      '2 líneas de cabecera',
      'línea en blanco ✓ (aquí termina la cabecera)',
      'sin cuerpo',
    ]);
  });

  it('a response with an unusual reason, a bare \\n, and a body longer than its Content-Length', () => {
    const es = both('HTTP/1.1 404 Gone Fishing\nContent-Length: 2\r\n\r\nabcd');
    assert.equal(es.title, 'Respuesta HTTP: HTTP/1.1 404 Gone Fishing');
    assert.ok(
      es.checks.includes(
        'estado 404 (error del cliente), frase de motivo "Gone Fishing"; la habitual es "Not Found"',
      ),
      es.checks.join('\n'),
    );
    assert.ok(
      es.checks.includes('la línea 1 termina con un \\n solo donde HTTP pide \\r\\n'),
      es.checks.join('\n'),
    );
    assert.ok(
      es.checks.includes(
        'cuerpo de 4 bytes, más que Content-Length 2: quien lee toma los 2 siguientes como el próximo mensaje',
      ),
      es.checks.join('\n'),
    );
  });

  it('SMTP replies, commands and the end of the mail data', () => {
    assert.equal(
      both('354 End data with <CR><LF>.<CR><LF>\r\n').title,
      'Respuesta SMTP 354 (empieza la entrada del correo; termínala con <CRLF>.<CRLF>)',
    );
    const multi = both('250-mail.example.com\r\n250-SIZE 1000\r\n250 HELP\r\n');
    assert.deepEqual(multi.head, ['código', 'texto']);
    assert.deepEqual(multi.checks, [
      'una respuesta de varias líneas: 3 líneas, "250-" en todas menos la última, "250 " en la última ✓',
    ]);
    const cmds = both('HELO alice\r\nMAIL FROM:<a@example.com>\r\n');
    assert.equal(cmds.title, 'Comandos SMTP: HELO, MAIL FROM:');
    assert.match(cmds.checks[0]!, /^2 comandos en un solo segmento: un cliente espera la respuesta/);
    const data = both('Subject: hi\r\n\r\nHello\r\n..dot\r\n.\r\n');
    assert.equal(data.title, 'Datos del correo SMTP (después de DATA)');
    assert.ok(data.checks.includes('terminado en <CRLF>.<CRLF> ✓'), data.checks.join('\n'));
    assert.ok(
      data.checks.some((c) => c.startsWith('1 línea con el punto duplicado')),
      data.checks.join('\n'),
    );
  });

  it('without a table from the host the page says it in English', () => {
    setTrafficStrings(undefined);
    const v = recogniseAppProtocol(bytes('QUIT\r\n'))!;
    assert.equal(localText(v.titleText), 'SMTP command: QUIT');
    assert.deepEqual(
      v.checks.map((c) => localText(c.message)),
      v.checks.map((c) => c.text),
    );
  });
});
