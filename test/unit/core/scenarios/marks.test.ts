import * as assert from 'node:assert/strict';
import { blockMark, MAX_MARK_CHARS, stepMark } from '../../../../src/core/scenarios/marks';
import type { StepRun } from '../../../../src/core/scenarios/runner';

const step = (status: StepRun['status'], message: string): StepRun => ({
  line: 3,
  op: 'expect',
  status,
  message,
});

describe('scenarios: inline marks', () => {
  const table: [string, StepRun[], string, string][] = [
    ['passed', [step('passed', 'received "HI" (48 49)')], 'passed', '✓ received "HI" (48 49)'],
    ['failed', [step('failed', 'expected "hi"; got "HI"')], 'failed', '✗ expected "hi"; got "HI"'],
    [
      'skipped',
      [step('skipped', 'skipped: an earlier step failed')],
      'skipped',
      '– skipped: an earlier step failed',
    ],
    [
      'a repeat that passed three times',
      [step('passed', 'received "1"'), step('passed', 'received "2"'), step('passed', 'received "3"')],
      'passed',
      '✓ ×3, last: received "3"',
    ],
    [
      'a repeat that failed in round 2',
      [step('passed', 'received "1"'), step('failed', 'timed out'), step('skipped', 'skipped')],
      'failed',
      '✗ timed out',
    ],
  ];
  for (const [name, steps, status, text] of table) {
    it(name, () => {
      assert.deepEqual(stepMark(steps), { status, text });
    });
  }

  it('a long message is cut to fit, with an ellipsis', () => {
    const m = stepMark([step('failed', 'x'.repeat(1000))]);
    assert.equal(m.text.length, MAX_MARK_CHARS + 2);
    assert.ok(m.text.endsWith('…'));
  });

  it('block marks', () => {
    assert.deepEqual(blockMark({ name: 'b', line: 1, passed: true, steps: [], durationMs: 12 }), {
      status: 'passed',
      text: '✓ passed in 12 ms',
    });
    assert.equal(
      blockMark({
        name: 'b',
        line: 1,
        passed: false,
        steps: [step('failed', 'x'), step('skipped', 'y')],
        durationMs: 5,
      }).text,
      '✗ failed (1 step)',
    );
  });
});
