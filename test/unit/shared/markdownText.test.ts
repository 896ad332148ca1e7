import * as assert from 'node:assert/strict';
import { markdownText } from '../../../src/shared/markdownText';

/** The text a Markdown renderer shows for escaped input: each backslash-escape stands for its character. */
function shown(md: string): string {
  return md.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

describe('shared/markdownText (untrusted text made inert for Markdown tooltips)', () => {
  const hostile = [
    '[click](command:socketPlayground.closeAll)',
    '[x](https://example.com) <img src=x onerror=alert(1)>',
    'python3 **bold** _it_ `code` | a | b |',
    '$(alert) $(loading~spin)',
    '&lt;script&gt; &#x3c;',
    '# heading\n- item\n> quote',
    'https://example.com www.example.com',
    '![img](x.png)',
  ];
  for (const text of hostile) {
    it(`neutralises ${JSON.stringify(text)}`, () => {
      const md = markdownText(text);
      // Every ASCII punctuation character is escaped, so nothing can open a link, tag, entity, icon or cell.
      assert.doesNotMatch(md, /(^|[^\\])[[\]()<>`*_|$&#!]/);
      assert.ok(!md.includes('\n'), 'stays on one line');
      assert.equal(shown(md), text.replace(/\n/g, '\\n'), 'reads as the original text');
    });
  }

  it('control characters become visible escapes, and long text is cut', () => {
    assert.equal(shown(markdownText('a\u001b[31mb\tc\u0000')), 'a\\x1b[31mb\\tc\\x00');
    assert.equal(shown(markdownText('x'.repeat(600), 40)).length, 40);
    assert.equal(markdownText('plain text 123'), 'plain text 123');
  });
});
