/** The short text the editor draws at the end of a line after a run: ✓, ✗ or – with what happened. Pure. */
import { englishText, text, type Text } from '../../shared/l10n';
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
  return { status: run.passed ? 'passed' : 'failed', text: englishText(blockMarkText(run)) };
}

/** A block mark's words as a translatable text (the editor draws them in the display language). */
export function blockMarkText(run: BlockRun): Text {
  const failed = run.steps.filter((s) => s.status === 'failed').length;
  return run.passed
    ? text('✓ passed in {0} ms', run.durationMs)
    : failed === 1
      ? text('✗ failed ({0} step)', failed)
      : text('✗ failed ({0} steps)', failed);
}
