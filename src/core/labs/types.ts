/** The lab contract: what listLabs and runLab return, and what a lab definition provides. */
import type { Text } from '../../shared/l10n';
import type { NoteRef } from '../../shared/types';

/** One lab as listLabs shows it. */
export type LabInfo = {
  id: string;
  title: string;
  summary: string;
  role: 'client' | 'server';
  defaults: { port: number; [param: string]: unknown };
  /** 'built-in', or the path of the lab file that defines it. */
  source: 'built-in' | string;
  /** What to write, which port, how it is checked (Markdown). */
  instructions?: string;
  /** For a lab file: the built-in lab it is a variant of. */
  extends?: string;
};

export type LabCheckStatus = 'passed' | 'failed' | 'skipped';

/** One check of a run: what was expected, what happened, what to change. */
export type LabCheck = {
  id: string;
  title: string;
  status: LabCheckStatus;
  message: string;
  /** The traffic log entries (seq) that show what happened. */
  evidence?: number[];
  notes?: NoteRef[];
};

/** A check's title and message as translatable texts: the host shows them in the display language. */
export type LabCheckText = { title: Text; message: Text };

/**
 * A check as a lab makes it: the English check (what runLab returns, the command line prints and the report
 * holds) and its texts, which the engine keeps beside the run.
 */
export type MadeCheck = LabCheck & { text: LabCheckText };

/** The outcome of one run of a lab against one program. */
export type LabRun = {
  lab: string;
  passed: boolean;
  seed: number;
  port: number;
  checks: LabCheck[];
  exitCode: number | null;
  /** stdout and stderr as they came, capped. */
  output: string;
  durationMs: number;
};

/** Parameters every lab understands; each lab documents the ones it reads. */
export type LabParams = {
  port: number;
  /** The student's client reads this on stdin (client labs). */
  sentence?: string;
  /** What the playground's clients send, one client each (server labs). */
  sentences?: string[];
  /** Share of pings the pinger server drops, 0..1. */
  loss?: number;
  /** Delay before the pinger server answers, ms. */
  delayMs?: number;
  /** How many pings the pinger sends. */
  count?: number;
  /** The program's whole run is stopped after this. */
  timeoutMs?: number;
  [param: string]: unknown;
};

/** An extra check on what the program printed (lab files). */
export type OutputCheck = { id?: string; title?: string; pattern: string; flags?: string; message?: string };
