import * as assert from 'node:assert/strict';
import { inlineText, isSafeHref, noteLinkTarget } from '../../../src/shared/markdownTree';

describe('markdownTree (unit)', () => {
  const targets: [string, string | undefined][] = [
    ['note:tcp-reset', 'tcp-reset'],
    ['tcp-reset.md', 'tcp-reset'],
    ['./tcp-reset.md', 'tcp-reset'],
    ['tcp-reset', undefined],
    ['../other/tcp-reset.md', undefined],
    ['note:Not-An-Id', undefined],
    ['https://example.org', undefined],
  ];
  for (const [href, id] of targets) {
    it(`note link ${JSON.stringify(href)} → ${String(id)}`, () => {
      assert.equal(noteLinkTarget(href), id);
    });
  }

  const hrefs: [string, boolean][] = [
    ['note:tcp-reset', true],
    ['https://example.org/a?b=c', true],
    ['http://127.0.0.1:12000/', true],
    ['javascript:alert(1)', false],
    ['JavaScript:alert(1)', false],
    ['data:text/html,<b>x</b>', false],
    ['command:socketPlayground.closeAll', false],
    ['file:///etc/passwd', false],
    ['https://exa mple.org', false],
  ];
  for (const [href, safe] of hrefs) {
    it(`${href} is ${safe ? 'kept' : 'dropped'}`, () => {
      assert.equal(isSafeHref(href), safe);
    });
  }

  it('inlineText reads the text of nested marks', () => {
    assert.equal(
      inlineText([
        { type: 'text', value: 'a ' },
        { type: 'strong', children: [{ type: 'inlineCode', value: 'b' }] },
        { type: 'link', children: [{ type: 'emphasis', children: [{ type: 'text', value: ' c' }] }] },
      ]),
      'a b c',
    );
  });
});
