import * as assert from 'node:assert/strict';
import { compactWhere } from '../../../../src/core/sockets/socketView';

describe('core/sockets socketView compactWhere (a row short enough for a 300 px sidebar)', () => {
  const cases: Array<[string, string]> = [
    ['127.0.0.1:5000 → 127.0.0.1:12000', '127.0.0.1:5000 → :12000'],
    ['[::1]:5000 → [::1]:12000', '[::1]:5000 → :12000'],
    // A different host stays: the row must not suggest the peer is local.
    ['127.0.0.1:5000 → 127.0.0.2:12000', '127.0.0.1:5000 → 127.0.0.2:12000'],
    ['[::1]:5000 → 127.0.0.1:12000', '[::1]:5000 → 127.0.0.1:12000'],
    // A host that only ends like the other is not the same host.
    ['27.0.0.1:1 → 127.0.0.1:2', '27.0.0.1:1 → 127.0.0.1:2'],
    ['127.0.0.1:1 → 27.0.0.1:2', '127.0.0.1:1 → 27.0.0.1:2'],
    ['0 lost · 127.0.0.1:5 → 127.0.0.1:6 · 2 legs', '0 lost · 127.0.0.1:5 → :6 · 2 legs'],
    ['127.0.0.1:41234', '127.0.0.1:41234'],
  ];
  for (const [where, row] of cases) {
    it(`${where} → ${row}`, () => assert.equal(compactWhere(where), row));
  }
});
