/**
 * Localisation stays complete: package.json's `%key%` strings and package.nls(.es).json agree, every text the
 * host translates (a `vscode.l10n.t` call, a core `text(...)` template, a webview string) has its Spanish in
 * l10n/bundle.l10n.es.json, and each translation keeps its placeholders.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { englishText, formatText, joinText, placeholders, plainText, text } from '../../src/shared/l10n';
import { spanish } from './spanish';
import { lintPython } from '../../src/core/assist/pythonLint';
import type { LintCode } from '../../src/core/assist/lintTypes';
import { PlaygroundError, explainSocketError } from '../../src/core/errors';
import { validatePort } from '../../src/core/validate';
import { NOTES_STRINGS, TRAFFIC_STRINGS, readStrings } from '../../src/shared/webviewStrings';

const root = path.resolve(__dirname, '../../..');
const readJson = (p: string): unknown => JSON.parse(readFileSync(path.join(root, p), 'utf8'));
const pkg = readJson('package.json') as Record<string, unknown>;
const nlsEn = readJson('package.nls.json') as Record<string, string>;
const nlsEs = readJson('package.nls.es.json') as Record<string, string>;
const bundleEs = readJson('l10n/bundle.l10n.es.json') as Record<string, string>;

/** Every `%key%` string anywhere in package.json. */
function nlsKeys(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    const m = /^%(.+)%$/.exec(value);
    if (m) {
      out.push(m[1]!);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v) => nlsKeys(v, out));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => nlsKeys(v, out));
  }
  return out;
}

/** A sentence is three words or more: a shorter English value ("Sockets", a product name) may stay as it is. */
const isSentence = (s: string): boolean => s.trim().split(/\s+/).length >= 3;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

const LITERAL = String.raw`('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")`;

/** The value of a single- or double-quoted TypeScript string literal (the escapes our sources use). */
function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.startsWith('u') || e.startsWith('x')) {
      return String.fromCodePoint(parseInt(e.replace(/[ux{}]/g, ''), 16));
    }
    return ({ n: '\n', r: '\r', t: '\t', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

/**
 * The English texts the code hands to the translator: first arguments of `l10n.t(` in the host, of `text(` in
 * the core and shared/ (a literal, or literals joined with `+`). A call whose first argument is not a literal is
 * reported: the bundle could not be checked for it.
 */
function translatedTexts(): { texts: Set<string>; notLiteral: string[] } {
  const texts = new Set<string>();
  const notLiteral: string[] = [];
  for (const file of sourceFiles('src')) {
    const core = file.startsWith(path.join('src', 'core')) || file.startsWith(path.join('src', 'shared'));
    // The webview formats what the host sent; shared/l10n.ts defines text() and formats.
    if (file.startsWith(path.join('src', 'webview')) || file === path.join('src', 'shared', 'l10n.ts')) {
      continue;
    }
    const source = readFileSync(path.join(root, file), 'utf8');
    // In the core, `text(` is the helper from shared/l10n.ts (not a method named text, which takes no argument).
    const call = core ? String.raw`(?<![\w.])text\((?!\))\s*` : String.raw`\bl10n\.t\(\s*`;
    const re = new RegExp(call + String.raw`(?:${LITERAL}((?:\s*\+\s*${LITERAL})*)|(.))`, 'g');
    for (const m of source.matchAll(re)) {
      if (m[1] === undefined) {
        // src/l10n.ts translates the core's templates and the webviews' tables (their texts are added below).
        const arg = m.index + 'l10n.t('.length;
        if (
          file === path.join('src', 'l10n.ts') &&
          (source.startsWith('message.template', arg) || source.startsWith('value)', arg))
        ) {
          continue;
        }
        notLiteral.push(`${file}: ${source.slice(m.index, m.index + 60)}`);
        continue;
      }
      const parts = [m[1], ...(m[2]?.match(new RegExp(LITERAL, 'g')) ?? [])];
      texts.add(parts.map(unquote).join(''));
    }
  }
  for (const table of [TRAFFIC_STRINGS, NOTES_STRINGS]) {
    Object.values(table).forEach((t) => texts.add(t));
  }
  return { texts, notLiteral };
}

describe('l10n: package.nls', () => {
  const used = nlsKeys(pkg);

  it('every %key% in package.json is in package.nls.json and package.nls.es.json', () => {
    assert.ok(used.length > 50, `only ${used.length} keys`);
    assert.deepEqual(
      used.filter((k) => !(k in nlsEn)),
      [],
    );
    assert.deepEqual(
      used.filter((k) => !(k in nlsEs)),
      [],
    );
  });

  it('no key is unused, and both files have the same keys', () => {
    assert.deepEqual(
      Object.keys(nlsEn).filter((k) => !used.includes(k)),
      [],
    );
    assert.deepEqual(Object.keys(nlsEs).sort(), Object.keys(nlsEn).sort());
  });

  it('every Spanish value is filled in and, for a sentence, differs from the English', () => {
    for (const [key, en] of Object.entries(nlsEn)) {
      const es = nlsEs[key] ?? '';
      assert.ok(es.trim() !== '', key);
      if (isSentence(en)) {
        assert.notEqual(es, en, key);
      }
      // Links to commands and setting references must survive translation.
      assert.deepEqual(
        es.match(/\(command:[\w.]+\)|#socketPlayground\.[\w.]+#/g) ?? [],
        en.match(/\(command:[\w.]+\)|#socketPlayground\.[\w.]+#/g) ?? [],
        key,
      );
    }
  });

  it('the product name and the command category stay "Socket Playground"', () => {
    const commands = (pkg['contributes'] as { commands: Array<{ category: string }> }).commands;
    assert.ok(commands.every((c) => c.category === 'Socket Playground'));
    assert.equal(nlsEs['extension.displayName'], 'Socket Playground');
    assert.equal(pkg['l10n'], './l10n');
  });
});

describe('l10n: the Spanish bundle', () => {
  const { texts, notLiteral } = translatedTexts();

  it('every translated call has a literal English text', () => {
    assert.deepEqual(notLiteral, []);
    assert.ok(texts.size > 150, `only ${texts.size} texts found`);
  });

  it('has every text the code translates, and nothing else', () => {
    assert.deepEqual(
      [...texts].filter((t) => !(t in bundleEs)),
      [],
    );
    assert.deepEqual(
      Object.keys(bundleEs).filter((k) => !texts.has(k)),
      [],
    );
  });

  it('keeps the placeholders of each text, and translates every sentence', () => {
    for (const [en, es] of Object.entries(bundleEs)) {
      assert.ok(es.trim() !== '', en);
      assert.deepEqual(placeholders(es), placeholders(en), en);
      // Icons ($(plug)) are ids, not words.
      assert.deepEqual(es.match(/\$\([\w-]+\)/g) ?? [], en.match(/\$\([\w-]+\)/g) ?? [], en);
      if (isSentence(en) && !/^GET /.test(en)) {
        assert.notEqual(es, en, en);
      }
    }
  });
});

describe("l10n: the webviews' tables", () => {
  it('a table from the host replaces the defaults it names, and nothing bad gets in', () => {
    const got = readStrings(TRAFFIC_STRINGS, {
      send: 'Enviar',
      detail: 42,
      log: '',
      sending: 'x'.repeat(5000),
      unknownKey: 'ignored',
    });
    assert.equal(got.send, 'Enviar');
    assert.equal(got.detail, 'Detail');
    assert.equal(got.log, 'Traffic log');
    assert.equal(got.sending, 'Sending…');
    assert.ok(!('unknownKey' in got));
    assert.deepEqual(readStrings(NOTES_STRINGS, 'nonsense'), NOTES_STRINGS);
    assert.deepEqual(readStrings(NOTES_STRINGS, undefined), NOTES_STRINGS);
  });

  it('the Spanish bundle fills every webview string, keeping its placeholders', () => {
    for (const table of [TRAFFIC_STRINGS, NOTES_STRINGS]) {
      const spanish = readStrings(
        table,
        Object.fromEntries(Object.entries(table).map(([k, v]) => [k, bundleEs[v]])),
      );
      for (const [key, en] of Object.entries(table)) {
        const es = (spanish as Record<string, string>)[key]!;
        assert.ok(bundleEs[en], key);
        assert.deepEqual(placeholders(es), placeholders(en), key);
      }
    }
  });
});

describe('l10n: translatable core messages', () => {
  it('formatText fills {0}, {1}…, repeats, and leaves an unknown placeholder as written', () => {
    assert.equal(formatText('{1} of {0}, {1} again, {2}', [3, 'five']), 'five of 3, five again, {2}');
    assert.deepEqual(placeholders('{1} of {0} and {1}'), ['{0}', '{1}']);
  });

  it('a nested message is formatted in its place, and an argument is never filled again', () => {
    const inner = text('it exited with code {0}', 1);
    assert.equal(
      englishText(text('Expected {0}; {1}.', 'a reply', inner)),
      'Expected a reply; it exited with code 1.',
    );
    assert.equal(englishText(text('sent {0}', '{0} {1}')), 'sent {0} {1}');
    // Words shown as written (an instructor's title) are a message no bundle holds.
    assert.equal(englishText(plainText('My check {0}')), 'My check {0}');
    assert.equal(bundleEs[plainText('x').template], undefined);
    // Punctuation between messages: each part is translated, the separator stays.
    const joined = joinText([text('nothing'), 'min/avg/max RTT'], '; ');
    assert.equal(englishText(joined), 'nothing; min/avg/max RTT');
    assert.equal(spanish(joined), 'nada; min/avg/max RTT');
  });

  it('a PlaygroundError built from a text keeps the template and says it in English', () => {
    const err = new PlaygroundError(text('port {0} on {1}', 12000, '127.0.0.1'), 'EX');
    assert.equal(err.message, 'port 12000 on 127.0.0.1');
    assert.deepEqual(err.text, { template: 'port {0} on {1}', args: [12000, '127.0.0.1'] });
  });

  it('the errors a student sees most carry a template the Spanish bundle translates', () => {
    const os = (code: string) => Object.assign(new Error(code), { code });
    const errors = [
      explainSocketError(os('ECONNREFUSED'), { host: '127.0.0.1', port: 12000, action: 'connect' }),
      explainSocketError(os('EADDRINUSE'), { host: '127.0.0.1', port: 12000, action: 'bind' }),
      explainSocketError(os('EACCES'), { host: '127.0.0.1', port: 80, action: 'listen' }),
      explainSocketError(os('EMSGSIZE'), { host: '127.0.0.1', port: 12000, action: 'send' }),
      explainSocketError(os('ENOTFOUND'), { host: 'nohost.invalid', port: 1, action: 'connect' }),
    ];
    try {
      validatePort(70000);
    } catch (err) {
      errors.push(err as PlaygroundError);
    }
    for (const err of errors) {
      assert.ok(err.text, err.message);
      assert.equal(formatText(err.text.template, err.text.args), err.message);
      const es = bundleEs[err.text.template];
      assert.ok(es, err.text.template);
      const spanish = formatText(es, err.text.args);
      assert.doesNotMatch(spanish, /\{\d+\}/, spanish);
    }
  });
});

describe("l10n: the Python lint's problems", () => {
  // One file with every rule in it (the slides' Python 2 and their typos, and the course's pitfalls).
  const source = [
    'from socket import *',
    "serverName = 'hostname'",
    'serverPort = 80',
    's = socket(AF_INET, SOCK STREAM)',
    't = socket.AF_INET',
    'u = socket.timeout',
    "s.bind(('', 80))",
    's.connect((serverName, serverPort))',
    's.connect(serverName, serverPort)',
    "message = raw input('Input: ')",
    "other = raw_input('Input: ')",
    "s.send('hello')",
    's.sentto(message, (serverName, serverPort))',
    'data = s.recv(1024)',
    'print data',
    "print 'text'",
    '',
  ].join('\n');
  const found = lintPython(source);

  it('covers every rule', () => {
    const codes: LintCode[] = [
      'python2-print',
      'python2-raw-input',
      'raw-input-typo',
      'str-to-send',
      'socket-attribute-after-import-star',
      'constant-typo',
      'sentto-typo',
      'single-recv',
      'privileged-port',
      'address-not-tuple',
      'placeholder-host',
      'send-not-sendall',
    ];
    assert.deepEqual([...new Set(found.map((d) => d.code))].sort(), codes.sort());
  });

  it('each message and fix title is its translatable text in English, and the bundle says it in Spanish', () => {
    for (const d of found) {
      assert.equal(englishText(d.messageText), d.message);
      const es = spanish(d.messageText);
      assert.notEqual(es, d.message, d.message);
      assert.doesNotMatch(es, /\{\d+\}/, es);
      for (const f of d.fixes) {
        assert.equal(englishText(f.titleText), f.title);
        assert.doesNotMatch(spanish(f.titleText), /\{\d+\}/);
      }
    }
    const privileged = found.find((d) => d.code === 'privileged-port')!;
    assert.match(spanish(privileged.messageText), /^El puerto 80 es menor que 1024/);
    assert.equal(spanish(privileged.fixes[0]!.titleText), 'Usar el puerto 8080');
    const typo = found.find((d) => d.code === 'constant-typo')!;
    assert.equal(
      spanish(typo.messageText),
      "'SOCK STREAM' es una errata de la diapositiva (un SyntaxError): la constante es SOCK_STREAM.",
    );
  });
});
