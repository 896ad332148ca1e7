/**
 * runLab for the interop tests, which also checks every run's checks in Spanish: each check's texts format to
 * the English the run returns, and the Spanish bundle says each one with every placeholder filled. So every
 * outcome these tests provoke with real programs (each broken program's mistake) is covered in both languages.
 */
import { runLabDetailed, type RunLabEnvironment } from '../../src/core/labs/labEngine';
import type { LabRun } from '../../src/core/labs/types';
import { spanishChecks } from '../unit/spanish';

export async function runLab(arg: unknown, env: RunLabEnvironment = {}): Promise<LabRun> {
  const { run, texts } = await runLabDetailed(arg, env);
  spanishChecks(run.checks, texts);
  return run;
}
