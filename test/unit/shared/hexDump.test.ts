import * as assert from 'node:assert/strict';
import { hexDump } from '../../../src/shared/bytes';

describe('hexDump rows of 16 or, for a narrow pane, 8 bytes', () => {
  const data = Buffer.from('hello from python\n');
  it('16 a row by default, a gap after the eighth', () => {
    assert.equal(
      hexDump(data),
      '00000000  68 65 6c 6c 6f 20 66 72  6f 6d 20 70 79 74 68 6f  |hello from pytho|\n' +
        '00000010  6e 0a                                             |n.|',
    );
  });
  it('8 a row: offsets step by 8, a gap after the fourth, the same bytes', () => {
    const d = hexDump(data, 8);
    assert.deepEqual(d.split('\n'), [
      '00000000  68 65 6c 6c  6f 20 66 72  |hello fr|',
      '00000008  6f 6d 20 70  79 74 68 6f  |om pytho|',
      '00000010  6e 0a                     |n.|',
    ]);
  });
});
