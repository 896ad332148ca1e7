/** Small helpers the labs share to build checks and describe what they saw. */
import type { LogRecord } from '../traffic/trafficLog';
import { formatEndpoint } from '../../shared/endpoint';
import type { LabCheck } from './types';
import { noteRef } from './labContext';
import type { ProgramExit, ProgramProcess } from './processRunner';

export function pass(id: string, title: string, message: string, evidence?: number[]): LabCheck {
  return { id, title, status: 'passed', message, ...(evidence?.length ? { evidence } : {}) };
}

export function fail(
  id: string,
  title: string,
  message: string,
  evidence: number[] | undefined,
  noteIds: string[],
): LabCheck {
  return {
    id,
    title,
    status: 'failed',
    message,
    ...(evidence?.length ? { evidence } : {}),
    notes: noteIds.map(noteRef),
  };
}

export function skip(id: string, title: string, message: string): LabCheck {
  return { id, title, status: 'skipped', message };
}

/** Text for a payload in a message: quoted, control bytes escaped, long ones cut. */
export function quote(data: Buffer | string | undefined, max = 80): string {
  const s = typeof data === 'string' ? data : (data?.toString('utf8') ?? '');
  const json = JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
  return json;
}

export function where(r: LogRecord): string {
  return r.remote ? formatEndpoint(r.remote) : formatEndpoint(r.local);
}

/** "(log #12)" or "(log #12, #13)". */
export function seqs(...records: Array<LogRecord | undefined>): string {
  const s = records.filter((r): r is LogRecord => r !== undefined).map((r) => `#${r.seq}`);
  return s.length ? ` (log ${s.join(', ')})` : '';
}

/** The last lines of the program's output, for a message about a crash. */
export function tail(output: string, lines = 6): string {
  const all = output.trimEnd().split('\n');
  const t = all.slice(-lines).join('\n');
  return t ? `\n${t}` : ' (it printed nothing)';
}

/** Why a program could not run or ended badly, in one sentence; undefined when it exited with 0. */
export function exitProblem(
  p: ProgramProcess,
  exit: ProgramExit | undefined,
  timeoutMs: number,
): string | undefined {
  if (p.startError) {
    return `the program could not be started: ${p.startError.message}. Check the command (e.g. python3 UDPClient.py) and the working folder.`;
  }
  if (!exit) {
    return `it was still running after ${timeoutMs / 1000} s and was stopped.`;
  }
  if (exit.signal && !p.killed) {
    return `it was killed by ${exit.signal}.`;
  }
  if (exit.code !== 0 && exit.code !== null) {
    return `it exited with code ${exit.code}. Its last output:${tail(p.output)}`;
  }
  return undefined;
}
