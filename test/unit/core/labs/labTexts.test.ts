/**
 * The labs' checks are translatable: each check of a run carries its title and message as texts that format to
 * the English the run returns (unchanged for the command line and the reports), and the Spanish bundle says every
 * one of them with each placeholder filled. Real runs, with small node programs as the student's.
 */
import * as assert from 'node:assert/strict';
import { labTexts, listLabs, runLabDetailed } from '../../../../src/core/labs/labEngine';
import { englishText } from '../../../../src/shared/l10n';
import { closeUdp, udpPeer } from '../../helpers';
import { spanish, spanishChecks } from '../../spanish';

/** A UDP client in node: sends its stdin line to the lab's port; prints the reply unless `silent`. */
function udpClient(silent: boolean): string[] {
  const code = [
    "const s = require('node:dgram').createSocket('udp4');",
    "let line = '';",
    "process.stdin.on('data', (c) => (line += c)).on('end', () => s.send(line.trim(), Number(process.argv[1]), '127.0.0.1'));",
    `s.on('message', (m) => { ${silent ? '' : 'console.log(m.toString());'} s.close(); });`,
  ].join('\n');
  return [process.execPath, '-e', code, '{port}'];
}

describe('Lab checks in Spanish (unit)', function () {
  this.timeout(60_000);

  it('a passing run: every check has its texts, and reads in Spanish', async () => {
    const { run, texts } = await runLabDetailed({
      lab: 'udp-uppercase-client',
      port: 0,
      program: udpClient(false),
    });
    assert.equal(run.passed, true, JSON.stringify(run.checks));
    const es = spanishChecks(run.checks, texts);
    assert.equal(es.find((c) => c.id === 'printed')!.title, 'Imprimió la respuesta');
    assert.match(
      es.find((c) => c.id === 'sent')!.message,
      /^Tu cliente envió "hello from the socket lab" a 127\.0\.0\.1:\d+ desde el puerto \d+ \(registro #\d+\)\.$/,
    );
  });

  it('a failed check says what was expected in Spanish, quoting the payload as it was', async () => {
    const { run, texts } = await runLabDetailed({
      lab: 'udp-uppercase-client',
      port: 0,
      program: udpClient(true),
    });
    const i = run.checks.findIndex((c) => c.id === 'printed');
    assert.equal(run.checks[i]!.status, 'failed');
    // The English is what the command line prints and the report holds.
    assert.match(
      run.checks[i]!.message,
      /^Expected your program to print the reply "HELLO FROM THE SOCKET LAB"/,
    );
    const es = spanishChecks(run.checks, texts)[i]!;
    assert.match(
      es.message,
      /^Se esperaba que tu programa imprimiera la respuesta "HELLO FROM THE SOCKET LAB" \(registro #\d+\); no imprimió nada\. ¿Leyó la respuesta\? Después de enviar, llama a clientSocket\.recvfrom\(2048\)/,
    );
  });

  it("a program's exit is told in Spanish inside the check (code, output)", async () => {
    const { run, texts } = await runLabDetailed({
      lab: 'tcp-uppercase-server',
      port: 0,
      program: [process.execPath, '-e', 'console.log("oops"); process.exit(3)'],
    });
    const [bound] = spanishChecks(run.checks, texts);
    assert.equal(bound!.id, 'bound');
    assert.match(run.checks[0]!.message, /it exited with code 3\. Its last output:\noops$/);
    assert.match(
      bound!.message,
      /^Se esperaba que tu servidor enlazara el puerto TCP \d+; terminó con el código 3\. Lo último que imprimió:\noops$/,
    );
  });

  it('a program that cannot start, and a port in use, are told in Spanish', async () => {
    const missing = await runLabDetailed({ lab: 'udp-pinger', port: 0, program: ['/no/such/program-xyz'] });
    const count = spanishChecks(missing.run.checks, missing.texts).find((c) => c.id === 'count')!;
    assert.match(count.message, /, y no se pudo iniciar el programa: .*ENOENT.*\. Revisa el comando/);
    const holder = await udpPeer();
    try {
      const port = holder.address().port;
      const { run, texts } = await runLabDetailed({
        lab: 'udp-pinger',
        port,
        program: [process.execPath, '-e', '0'],
      });
      const [setup] = spanishChecks(run.checks, texts);
      // The engine's own error (port in use) is translated inside the check too.
      assert.match(
        setup!.message,
        new RegExp(`^La práctica no pudo iniciarse: el puerto ${port} ya está en uso`),
      );
    } finally {
      await closeUdp(holder);
    }
  });

  it("the built-in labs' titles and summaries read in Spanish; a lab file's own words stay as written", async () => {
    const labs = await listLabs();
    for (const lab of labs) {
      const t = labTexts(lab);
      assert.equal(englishText(t.title), lab.title);
      assert.equal(englishText(t.summary), lab.summary);
      assert.notEqual(spanish(t.title), lab.title, lab.id);
      assert.notEqual(spanish(t.summary), lab.summary, lab.id);
    }
    const udpServer = labs.find((l) => l.id === 'udp-uppercase-server')!;
    assert.equal(spanish(labTexts(udpServer).title), 'Servidor UDP de mayúsculas');
    const variant = {
      ...udpServer,
      id: 'my-lab',
      extends: udpServer.id,
      title: 'Mi práctica',
      source: '/x.lab.json',
    };
    assert.equal(spanish(labTexts(variant).title), 'Mi práctica');
    assert.equal(spanish(labTexts(variant).summary), spanish(labTexts(udpServer).summary));
  });

  it("the built-in labs' instructions read in Spanish, paragraph by paragraph; a lab file's own stay as written", async () => {
    const labs = await listLabs();
    assert.equal(labs.length, 7);
    for (const lab of labs) {
      const t = labTexts(lab).instructions;
      assert.equal(englishText(t), lab.instructions, `${lab.id}: the English is formatted from the texts`);
      const es = spanish(t);
      assert.equal(es.split('\n\n').length, lab.instructions!.split('\n\n').length, `${lab.id}: paragraphs`);
      assert.match(es, /^Escribe /, lab.id);
      assert.match(es, /El playground /, lab.id);
      // The names a student types stay as they are: files, calls, protocol words.
      for (const code of lab.instructions!.match(/`[^`]*`/g) ?? []) {
        if (!/[<>]/.test(code)) {
          assert.ok(es.includes(code), `${lab.id}: ${code} kept in the Spanish`);
        }
      }
    }
    const tcpServer = labs.find((l) => l.id === 'tcp-uppercase-server')!;
    assert.match(
      spanish(labTexts(tcpServer).instructions),
      /luego 3 clientes, cada uno desde su propio puerto y uno tras otro/,
    );
    const variant = { ...tcpServer, id: 'mine', extends: tcpServer.id, instructions: 'Usa el puerto 5000.' };
    assert.equal(spanish(labTexts(variant).instructions), 'Usa el puerto 5000.');
  });
});
