import * as assert from 'node:assert/strict';
import { parseHex, toHex } from '../../../src/shared/bytes';

describe('shared/bytes parseHex (strict hex: digit pairs and whitespace only)', () => {
  const good: Array<[string, number[]]> = [
    ['', []],
    ['   ', []],
    ['48', [0x48]],
    ['4869', [0x48, 0x69]],
    ['48 69', [0x48, 0x69]],
    ['48  69\t0a\r\n', [0x48, 0x69, 0x0a]],
    ['DEadBEef', [0xde, 0xad, 0xbe, 0xef]],
    ['00 ff 7F 80', [0x00, 0xff, 0x7f, 0x80]],
    [' 0a0b 0c ', [0x0a, 0x0b, 0x0c]],
  ];
  for (const [text, bytes] of good) {
    it(`reads ${JSON.stringify(text)} as [${toHex(Uint8Array.from(bytes))}]`, () => {
      const r = parseHex(text);
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.deepEqual([...r.bytes], bytes);
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['ab0xcd', /^"x" is not a hex digit \(write bytes without a "0x" prefix\)/],
    ['0x48', /^"x" is not a hex digit \(write bytes without a "0x" prefix\)/],
    ['1,2,3,4', /^"," is not a hex digit/],
    ['12,34', /^"," is not a hex digit/],
    ['de:ad', /^":" is not a hex digit/],
    ['de-ad', /^"-" is not a hex digit/],
    ['zz', /^"z" is not a hex digit/],
    ['48\u000069', /^"\\0" is not a hex digit/],
    ['48\u001b', /^"\\x1b" is not a hex digit/],
    ['4869😀', /^"😀" is not a hex digit/],
    ['abc', /^"abc" has an odd number of digits \(3\)/],
    ['a bc', /^"a" has an odd number of digits \(1\)/],
    ['48 6', /^"6" has an odd number of digits \(1\)/],
    ['4 8', /^"4" has an odd number/],
  ];
  for (const [text, re] of bad) {
    it(`refuses ${JSON.stringify(text)}, saying why and what is allowed`, () => {
      const r = parseHex(text);
      assert.equal(r.ok, false);
      assert.ok(!r.ok);
      assert.match(r.reason, re);
      assert.match(r.reason, /pairs of 0-9 and a-f|two hex digits/);
    });
  }

  it('reads what toHex writes, for every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const r = parseHex(toHex(all));
    assert.ok(r.ok);
    assert.deepEqual(r.bytes, all);
  });
});
