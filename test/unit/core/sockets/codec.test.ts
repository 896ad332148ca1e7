import * as assert from 'node:assert/strict';
import {
  LineFramer,
  MAX_LINE_BYTES,
  asciiUppercase,
  decodePayload,
  escapeText,
  hexDump,
  toHex,
} from '../../../../src/core/sockets/codec';
import { PlaygroundError } from '../../../../src/core/errors';

describe('codec', () => {
  describe('decodePayload', () => {
    const good: Array<[string, 'utf8' | 'hex' | 'base64', number[]]> = [
      ['hi', 'utf8', [0x68, 0x69]],
      ['é', 'utf8', [0xc3, 0xa9]],
      ['', 'utf8', []],
      ['48 69', 'hex', [0x48, 0x69]],
      ['4869', 'hex', [0x48, 0x69]],
      ['de ad\tBE\nef', 'hex', [0xde, 0xad, 0xbe, 0xef]],
      ['', 'hex', []],
      ['aGk=', 'base64', [0x68, 0x69]],
      ['aGVs bG8=', 'base64', [0x68, 0x65, 0x6c, 0x6c, 0x6f]],
      ['AA==', 'base64', [0]],
    ];
    for (const [input, enc, bytes] of good) {
      it(`${enc} ${JSON.stringify(input)} -> ${toHex(Buffer.from(bytes))}`, () => {
        assert.deepEqual([...decodePayload(input, enc)], bytes);
      });
    }
    const bad: Array<[string, 'hex' | 'base64', RegExp]> = [
      ['zz', 'hex', /"z" is not a hex digit/],
      ['abc', 'hex', /odd number of digits \(3\)/],
      ['48 6', 'hex', /odd number/],
      // Strict: only digit pairs and whitespace (these were once read as "ab cd", two bytes, 0x48 0x69, …).
      ['ab0xcd', 'hex', /"x" is not a hex digit \(write bytes without a "0x" prefix\)/],
      ['1,2,3,4', 'hex', /"," is not a hex digit/],
      ['0x48 0x69', 'hex', /"x" is not a hex digit/],
      ['de:ad:BE:ef', 'hex', /":" is not a hex digit/],
      ['aGk', 'base64', /not base64/],
      ['aG!k', 'base64', /not base64/],
      ['====', 'base64', /not base64/],
    ];
    for (const [input, enc, re] of bad) {
      it(`rejects ${enc} ${JSON.stringify(input)} with a clear error`, () => {
        assert.throws(
          () => decodePayload(input, enc),
          (err: unknown) =>
            err instanceof PlaygroundError &&
            err.code === 'EINVAL' &&
            re.test(err.message) &&
            /Allowed|two hex digits|allowed/.test(err.message),
        );
      });
    }
    it('rejects an unknown encoding', () => {
      assert.throws(() => decodePayload('x', 'latin1' as never), /encoding must be one of utf8, hex, base64/);
    });
  });

  it('uppercases ASCII only, like Python bytes.upper()', () => {
    const input = Buffer.concat([Buffer.from('hello, wörld 123 z{'), Buffer.from([0xff, 0x00])]);
    const out = asciiUppercase(input);
    assert.equal(out.subarray(0, -2).toString(), 'HELLO, WöRLD 123 Z{');
    assert.deepEqual([...out.subarray(-2)], [0xff, 0x00]);
    assert.equal(input.toString('latin1').slice(0, 5), 'hello', 'input untouched');
  });

  it('hexDump shows offsets, hex and printable ASCII', () => {
    const dump = hexDump(Buffer.from('Hello, world!\n\x00\x01ABC'));
    const lines = dump.split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0]!,
      /^00000000 {2}48 65 6c 6c 6f 2c 20 77 {2}6f 72 6c 64 21 0a 00 01 {2}\|Hello, world!\.\.\.\|$/,
    );
    assert.match(lines[1]!, /^00000010 {2}41 42 43 +\|ABC\|$/);
    assert.equal(hexDump(Buffer.alloc(0)), '');
  });

  describe('escapeText', () => {
    const cases: Array<[Buffer, string]> = [
      [Buffer.from('plain'), 'plain'],
      [Buffer.from('a\nb\r\n\t'), 'a\\nb\\r\\n\\t'],
      [Buffer.from('\x1b[31mred'), '\\x1b[31mred'],
      [Buffer.from([0x00, 0x41]), '\\0A'],
      [Buffer.from('<script>alert(1)</script>'), '<script>alert(1)</script>'],
      [Buffer.from([0x68, 0xff, 0xfe]), 'h\\xff\\xfe'],
      [Buffer.from('back\\slash'), 'back\\\\slash'],
      [Buffer.from('ünïcödé ✓'), 'ünïcödé ✓'],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input.toString('latin1'))}`, () => assert.equal(escapeText(input), expected));
    }
  });

  describe('LineFramer', () => {
    it('joins a line split over chunks and splits several lines in one chunk', () => {
      const f = new LineFramer();
      assert.deepEqual(f.push(Buffer.from('hel')), []);
      assert.deepEqual(
        f.push(Buffer.from('lo\nwor')).map((b) => b.toString()),
        ['hello\n'],
      );
      assert.deepEqual(
        f.push(Buffer.from('ld\na\nb\n')).map((b) => b.toString()),
        ['world\n', 'a\n', 'b\n'],
      );
      assert.equal(f.bufferedBytes, 0);
      assert.equal(f.flush(), undefined);
    });
    it('returns the unterminated rest on flush', () => {
      const f = new LineFramer();
      f.push(Buffer.from('x\npartial'));
      assert.equal(f.flush()?.toString(), 'partial');
    });
    it('caps its buffer: a line longer than maxLine stops the framer (overflowed), and nothing is kept', () => {
      const f = new LineFramer(8);
      assert.deepEqual(f.push(Buffer.from('ab\ncd')), [Buffer.from('ab\n')]);
      assert.equal(f.overflowed, false);
      assert.deepEqual(f.push(Buffer.from('efgh')), []);
      assert.equal(f.bufferedBytes, 6);
      assert.deepEqual(f.push(Buffer.from('ijk\n')), [], 'the 10-byte line is over the cap of 8');
      assert.equal(f.overflowed, true);
      assert.equal(f.bufferedBytes, 0);
      assert.deepEqual(f.push(Buffer.from('x\n')), [], 'nothing more is framed');
      assert.equal(new LineFramer().maxLine, MAX_LINE_BYTES);
    });
    it('holds an unfinished line in one buffer of its own, not in the pieces it came in', () => {
      // Each 1-byte piece is a view into a 64 KiB block; keeping the views would pin every block.
      const f = new LineFramer();
      const blocks: Buffer[] = [];
      for (let i = 0; i < 1000; i++) {
        const block = Buffer.alloc(64 * 1024, 0x61);
        blocks.push(block);
        f.push(block.subarray(0, 1));
      }
      assert.equal(f.bufferedBytes, 1000);
      blocks.forEach((b) => b.fill(0x7a)); // if the framer kept views, its bytes would change too
      assert.equal(f.push(Buffer.from('\n'))[0]!.toString(), 'a'.repeat(1000) + '\n');
    });
    it('gives the same lines however the stream is cut (byte at a time)', () => {
      const text = 'one\ntwo\nthree\n';
      const f = new LineFramer();
      const lines: string[] = [];
      for (const b of Buffer.from(text)) {
        lines.push(...f.push(Buffer.from([b])).map((x) => x.toString()));
      }
      assert.deepEqual(lines, ['one\n', 'two\n', 'three\n']);
    });
  });
});
