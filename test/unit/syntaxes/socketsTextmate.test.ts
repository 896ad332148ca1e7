/**
 * The `*.sockets` grammar run by the same engine VS Code runs it with: vscode-textmate over the Oniguruma
 * regex library (WebAssembly). The tokens, line by line with the rule stack carried from line to line as the
 * editor does, are what themes colour: this catches what the JavaScript RegExp check beside it cannot (a
 * pattern Oniguruma reads differently, a capture that never gets its scope, a rule that swallows the next one).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.resolve(__dirname, '../../../..');
const grammarPath = path.join(root, 'syntaxes/sockets.tmLanguage.json');

type Token = { text: string; scopes: string[] };

let grammar: textmate.IGrammar;

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: (scopeName) =>
      Promise.resolve(
        scopeName === 'source.sockets'
          ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
          : null,
      ),
  });
  const loaded = await registry.loadGrammar('source.sockets');
  assert.ok(loaded, 'the grammar loads');
  grammar = loaded;
});

/** Tokenizes lines as the editor does: each line starts from the rule stack the one before it ended with. */
function tokenize(lines: string[]): Token[][] {
  let stack = textmate.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The innermost scope on each token with text, as [scope, text], ignoring the root scope alone. */
function scoped(tokens: Token[]): Array<[string, string]> {
  return tokens
    .filter((t) => t.text.trim() !== '' && t.scopes.length > 1)
    .map((t) => [t.scopes[t.scopes.length - 1]!, t.text]);
}

function expectToken(line: string, scope: string, text: string): void {
  const [tokens] = tokenize([line]);
  const got = tokens!.filter((t) => t.text === text).map((t) => t.scopes);
  assert.ok(
    got.some((scopes) => scopes.includes(scope)),
    `${JSON.stringify(line)}: expected ${scope} on ${JSON.stringify(text)}; got ${JSON.stringify(scoped(tokens!))}`,
  );
}

describe('sockets grammar in vscode-textmate (the editor’s engine)', () => {
  const table: Array<[string, string, string]> = [
    ['### Uppercase over UDP', 'entity.name.section.sockets', 'Uppercase over UDP'],
    ['### Uppercase over UDP', 'punctuation.definition.heading.sockets', '###'],
    ['# a comment', 'comment.line.number-sign.sockets', ' a comment'],
    ['@port = 12000', 'variable.other.definition.sockets', 'port'],
    ['@port = 12000', 'keyword.operator.assignment.sockets', '='],
    ['udp 127.0.0.1:{{port}}', 'keyword.control.socket.sockets', 'udp'],
    ['udp 127.0.0.1:{{port}}', 'variable.other.readwrite.sockets', 'port'],
    ['tcp localhost:80', 'constant.other.endpoint.sockets', 'localhost:80'],
    ['> hello\\r\\n', 'keyword.operator.send.sockets', '>'],
    ['> hello\\r\\n', 'constant.character.escape.sockets', '\\r'],
    ['>hex 48 65', 'storage.modifier.encoding.sockets', 'hex'],
    ['< HELLO', 'string.unquoted.expected.sockets', ' HELLO'],
    ['<b64 SGk=', 'storage.modifier.encoding.sockets', 'b64'],
    ['< /^HEL+O$/i', 'string.regexp.sockets', '^HEL+O$'],
    ['< /^HEL+O$/i', 'keyword.other.regexp-flags.sockets', 'i'],
    ['server udp uppercase 0', 'keyword.control.server.sockets', 'server'],
    ['server udp uppercase 0', 'storage.type.protocol.sockets', 'udp'],
    ['server udp uppercase 0', 'support.constant.behavior.sockets', 'uppercase'],
    ['server udp uppercase 0', 'constant.numeric.port.sockets', '0'],
    ['wait 200', 'constant.numeric.sockets', '200'],
    ['repeat 3', 'keyword.control.flow.sockets', 'repeat'],
    ['  done', 'keyword.control.flow.sockets', 'done'],
    ['close', 'keyword.control.flow.sockets', 'close'],
  ];
  for (const [line, scope, text] of table) {
    it(`${JSON.stringify(line)}: ${JSON.stringify(text)} is ${scope}`, () => expectToken(line, scope, text));
  }

  it('a "> hex" with a space is text, and "###" is a heading, not a comment', () => {
    const [hexText] = tokenize(['> hex 41']);
    assert.ok(!hexText!.some((t) => t.scopes.includes('storage.modifier.encoding.sockets')));
    const [heading] = tokenize(['###']);
    assert.ok(heading!.some((t) => t.scopes.includes('markup.heading.block.sockets')));
    assert.ok(!heading!.some((t) => t.scopes.includes('comment.line.number-sign.sockets')));
  });

  it('the sample file: every line tokenizes on its own, and every directive gets its keyword scope', () => {
    const file = readFileSync(path.join(root, 'media/samples/textbook.sockets'), 'utf8');
    const lines = file.split(/\r?\n/);
    const tokens = tokenize(lines);
    let directives = 0;
    lines.forEach((line, i) => {
      const t = tokens[i]!;
      const where = `line ${i + 1}: ${JSON.stringify(line)}`;
      // Every rule is one line long: no line leaves a rule open for the next one.
      assert.equal(t.map((x) => x.text).join(''), line, where);
      const first = line.trim().split(/\s+/)[0] ?? '';
      if (line.trim() === '') {
        return;
      }
      const scopes = t.flatMap((x) => x.scopes);
      if (first.startsWith('#')) {
        assert.ok(
          scopes.some((s) => s.startsWith('comment.') || s.startsWith('markup.heading.')),
          where,
        );
        return;
      }
      directives++;
      assert.ok(
        scopes.some((s) =>
          /^(keyword|variable\.other\.definition|punctuation\.definition\.variable)\./.test(s),
        ),
        `${where} has no keyword scope: ${JSON.stringify(scoped(t))}`,
      );
    });
    assert.ok(directives > 20, `the sample has directives (${directives})`);
    // A rule that never ends would carry its scope into the next line: after every line the stack is the one
    // an empty line leaves.
    const rootState = grammar.tokenizeLine('', textmate.INITIAL).ruleStack;
    let stack = textmate.INITIAL;
    lines.forEach((line, i) => {
      stack = grammar.tokenizeLine(line, stack).ruleStack;
      assert.ok(stack.equals(rootState), `line ${i + 1} leaves a rule open: ${JSON.stringify(line)}`);
    });
  });
});
