/** The short text the editor draws at the end of a line after a run: ✓, ✗ or – with what happened. Pure. */
import type { BlockRun, StepRun } from './runner';

export type Mark = { status: 'passed' | 'failed' | 'skipped'; text: string };

/** Longest mark drawn; the whole message is in the mark's hover. */
export const MAX_MARK_CHARS = 160;

function truncate(s: string, n = MAX_MARK_CHARS): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The mark for a step line: a failure wins; a line run several times (a repeat) says how often it passed. */
export function stepMark(steps: readonly StepRun[]): Mark {
  const failed = steps.find((s) => s.status === 'failed');
  if (failed) {
    return { status: 'failed', text: `✗ ${truncate(failed.message)}` };
  }
  const passed = steps.filter((s) => s.status === 'passed');
  if (passed.length === 0) {
    return { status: 'skipped', text: `– ${truncate(steps[0]?.message ?? 'not run')}` };
  }
  const last = passed[passed.length - 1]!;
  const times = passed.length > 1 ? ` ×${passed.length}, last:` : '';
  return { status: 'passed', text: `✓${times} ${truncate(last.message)}` };
}

/** The mark for a block's `###` line. */
export function blockMark(run: BlockRun): Mark {
  const failed = run.steps.filter((s) => s.status === 'failed').length;
  return run.passed
    ? { status: 'passed', text: `✓ passed in ${run.durationMs} ms` }
    : { status: 'failed', text: `✗ failed (${failed} step${failed === 1 ? '' : 's'})` };
}
