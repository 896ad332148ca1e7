import * as assert from 'node:assert/strict';
import { markdownText, splitFirstSentence } from '../../../src/testing/labMessage';

describe('testing/labMessage splitFirstSentence (one sentence a line for the Test Results pane)', () => {
  const cases: Array<[string, string, string[]]> = [
    ['Exited with code 1.', 'Exited with code 1.', []],
    [
      'Expected your program to print the reply "HELLO" (#12); it printed nothing. Did it read the reply? After sending, call clientSocket.recv(1024).',
      'Expected your program to print the reply "HELLO" (#12)',
      ['It printed nothing.', 'Did it read the reply?', 'After sending, call clientSocket.recv(1024).'],
    ],
    // A sentence end inside a quoted payload is part of the quote.
    [
      'It printed "Hi. There" instead. Print the reply.',
      'It printed "Hi. There" instead.',
      ['Print the reply.'],
    ],
    // An escaped quote inside a quoted payload does not end the quote.
    ['It printed "a \\" b. C" here. Fix it.', 'It printed "a \\" b. C" here.', ['Fix it.']],
    // A dot that no capital follows is no sentence end (a version, an address).
    [
      'Got HTTP/1.0 from 127.0.0.1 port 80. Send 1.1 instead.',
      'Got HTTP/1.0 from 127.0.0.1 port 80.',
      ['Send 1.1 instead.'],
    ],
    ['  no end at all  ', 'no end at all', []],
    ['', '', []],
  ];
  for (const [message, head, rest] of cases) {
    it(JSON.stringify(message.slice(0, 50)), () => {
      assert.deepEqual(splitFirstSentence(message), { head, rest });
    });
  }
});

describe('testing/labMessage markdownText (text that renders as itself, and wraps)', () => {
  const cases: Array<[string, string]> = [
    ['Did it read the reply?', 'Did it read the reply?'],
    ['call recv(1024).', 'call recv\\(1024\\)\\.'],
    ['**bold** <b>x</b> [a](b) `c` # h', '\\*\\*bold\\*\\* \\<b\\>x\\</b\\> \\[a\\]\\(b\\) \\`c\\` \\# h'],
    ['&amp; a\\b', '\\&amp; a\\\\b'],
    ['one\ntwo', 'one\n\ntwo'],
  ];
  for (const [text, md] of cases) {
    it(JSON.stringify(text), () => {
      assert.equal(markdownText(text), md);
      assert.ok(!/\u00a0|&nbsp;/.test(markdownText(text)), 'no no-break space');
    });
  }
});
