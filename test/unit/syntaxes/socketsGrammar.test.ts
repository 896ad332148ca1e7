/**
 * The TextMate grammar of `*.sockets`: every regex compiles, and sample lines get the scopes the themes colour.
 * VS Code runs the grammar with Oniguruma; the patterns keep to the syntax Oniguruma and JavaScript share, so
 * JavaScript's RegExp can check each rule on its own here. socketsTextmate.test.ts runs the whole grammar in
 * vscode-textmate, the editor's own engine.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

type Capture = { name?: string; patterns?: Rule[] };
type Rule = { include?: string; match?: string; name?: string; captures?: Record<string, Capture> };
type Grammar = { scopeName: string; patterns: Rule[]; repository: Record<string, Rule> };

const root = path.resolve(__dirname, '../../../..');
const grammar = JSON.parse(
  readFileSync(path.join(root, 'syntaxes/sockets.tmLanguage.json'), 'utf8'),
) as Grammar;

function resolve(r: Rule): Rule {
  if (r.include) {
    const target = grammar.repository[r.include.replace(/^#/, '')];
    assert.ok(target, `include ${r.include} exists`);
    return target;
  }
  return r;
}

/** The scopes on a line: the first top-level rule that matches, its captures, and what their patterns find. */
function scopes(line: string): { rule: string; tokens: [string, string][] } {
  for (const ref of grammar.patterns) {
    const rule = resolve(ref);
    const m = new RegExp(rule.match!).exec(line);
    if (!m) {
      continue;
    }
    const tokens: [string, string][] = [];
    for (const [i, cap] of Object.entries(rule.captures ?? {})) {
      const text = m[Number(i)];
      if (text === undefined || text === '') {
        continue;
      }
      if (cap.name) {
        tokens.push([cap.name, text]);
      }
      for (const sub of (cap.patterns ?? []).map(resolve)) {
        for (const sm of text.matchAll(new RegExp(sub.match!, 'g'))) {
          tokens.push([sub.name ?? Object.values(sub.captures ?? {})[0]?.name ?? '?', sm[0]]);
        }
      }
    }
    return { rule: ref.include ?? '?', tokens };
  }
  return { rule: 'none', tokens: [] };
}

function has(line: string, scope: string, text: string): void {
  const s = scopes(line);
  assert.ok(
    s.tokens.some(([n, t]) => n.startsWith(scope) && t === text),
    `${JSON.stringify(line)}: expected ${scope} on ${JSON.stringify(text)}; got ${JSON.stringify(s.tokens)}`,
  );
}

describe('sockets grammar', () => {
  it('every regex compiles, every include resolves, and scopes end in .sockets', () => {
    assert.equal(grammar.scopeName, 'source.sockets');
    const walk = (r: Rule) => {
      const rule = resolve(r);
      if (rule.match) {
        assert.doesNotThrow(() => new RegExp(rule.match!), rule.match);
      }
      for (const c of Object.values(rule.captures ?? {})) {
        if (c.name) {
          assert.match(c.name, /\.sockets$/);
        }
        (c.patterns ?? []).forEach(walk);
      }
      if (rule.name) {
        assert.match(rule.name, /\.sockets$/);
      }
    };
    grammar.patterns.forEach(walk);
  });

  const table: [string, string, string, string][] = [
    ['### Uppercase over UDP', 'block', 'entity.name.section', 'Uppercase over UDP'],
    ['# a comment', 'comment', '', ''],
    ['@port = 12000', 'variable-definition', 'variable.other.definition', 'port'],
    ['udp 127.0.0.1:{{port}}', 'socket', 'keyword.control.socket', 'udp'],
    ['tcp localhost:80', 'socket', 'constant.other.endpoint', 'localhost:80'],
    ['> hello\\r\\n', 'send', 'keyword.operator.send', '>'],
    ['>hex 48 65', 'send', 'storage.modifier.encoding', 'hex'],
    ['< HELLO', 'expectation', 'string.unquoted.expected', ' HELLO'],
    ['<b64 SGk=', 'expectation', 'storage.modifier.encoding', 'b64'],
    ['< /^HEL+O$/i', 'regex-expectation', 'string.regexp', '^HEL+O$'],
    ['server udp uppercase 0', 'server', 'support.constant.behavior', 'uppercase'],
    ['wait 200', 'numbered', 'constant.numeric', '200'],
    ['repeat 3', 'numbered', 'keyword.control.flow', 'repeat'],
    ['  done', 'bare-keyword', 'keyword.control.flow', 'done'],
    ['end', 'bare-keyword', 'keyword.control.flow', 'end'],
    ['close', 'bare-keyword', 'keyword.control.flow', 'close'],
  ];
  for (const [line, rule, scope, text] of table) {
    it(`${JSON.stringify(line)} is ${rule}`, () => {
      const s = scopes(line);
      assert.equal(s.rule, `#${rule}`);
      if (scope) {
        has(line, scope, text);
      }
    });
  }

  it('escapes and variable references inside payloads', () => {
    has('> a\\r\\n\\x41 {{name}}', 'constant.character.escape', '\\r');
    has('> a\\r\\n\\x41 {{name}}', 'constant.character.escape', '\\x41');
    has('> a\\r\\n\\x41 {{name}}', 'meta.template.expression', '{{name}}');
    has('< /PING {{i}}$/', 'meta.template.expression', '{{i}}');
  });

  it('a "> hex" with a space is text, and "###" is a block, not a comment', () => {
    assert.ok(!scopes('> hex 41').tokens.some(([n]) => n.startsWith('storage.modifier')));
    assert.equal(scopes('###').rule, '#block');
  });
});
