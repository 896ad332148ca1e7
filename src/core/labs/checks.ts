/** Small helpers the labs share to build checks and describe what they saw. */
import type { LogRecord } from '../traffic/trafficLog';
import { formatEndpoint } from '../../shared/endpoint';
import { englishText, plainText, text, type Text } from '../../shared/l10n';
import { PlaygroundError } from '../errors';
import type { LabCheckStatus, MadeCheck } from './types';
import { noteRef } from './labContext';
import type { ProgramExit, ProgramProcess } from './processRunner';

/** A check with its title and message in English, and the texts they were made from. */
function made(id: string, title: Text, status: LabCheckStatus, message: Text): MadeCheck {
  return {
    id,
    title: englishText(title),
    status,
    message: englishText(message),
    text: { title, message },
  };
}

/** Moves the check's texts behind its other fields, so the English check keeps its fields' order. */
function withText(check: MadeCheck, extra: object): MadeCheck {
  const { text: t, ...rest } = check;
  return { ...rest, ...extra, text: t };
}

export function pass(id: string, title: Text, message: Text, evidence?: number[]): MadeCheck {
  return withText(made(id, title, 'passed', message), evidence?.length ? { evidence } : {});
}

export function fail(
  id: string,
  title: Text,
  message: Text,
  evidence: number[] | undefined,
  noteIds: string[],
): MadeCheck {
  return withText(made(id, title, 'failed', message), {
    ...(evidence?.length ? { evidence } : {}),
    notes: noteIds.map(noteRef),
  });
}

export function skip(id: string, title: Text, message: Text): MadeCheck {
  return made(id, title, 'skipped', message);
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

/** " (log #12)" or " (log #12, #13)"; nothing without a record. */
export function seqs(...records: Array<LogRecord | undefined>): Text | '' {
  const s = records.filter((r): r is LogRecord => r !== undefined).map((r) => `#${r.seq}`);
  return s.length ? text(' (log {0})', s.join(', ')) : '';
}

/** The last lines of the program's output, for a message about a crash. */
export function tail(output: string, lines = 6): Text | string {
  const all = output.trimEnd().split('\n');
  const t = all.slice(-lines).join('\n');
  return t ? `\n${t}` : text(' (it printed nothing)');
}

/** Why a program could not run or ended badly, in one clause ("it exited with code 1. …"); undefined when it exited with 0. */
export function exitProblem(
  p: ProgramProcess,
  exit: ProgramExit | undefined,
  timeoutMs: number,
): Text | undefined {
  if (p.startError) {
    return text(
      'the program could not be started: {0}. Check the command (e.g. python3 UDPClient.py) and the working folder.',
      p.startError.message,
    );
  }
  if (!exit) {
    return text('it was still running after {0} s and was stopped.', timeoutMs / 1000);
  }
  if (exit.signal && !p.killed) {
    return text('it was killed by {0}.', exit.signal);
  }
  if (exit.code !== 0 && exit.code !== null) {
    return text('it exited with code {0}. Its last output:{1}', exit.code, tail(p.output));
  }
  return undefined;
}

/**
 * What the program did, as the subject's verb ("exited with code 1. …", "was killed by SIGKILL."), for a
 * sentence that names the program itself ("Your server {0}"); "exited" when it ended with 0.
 */
export function exitVerb(p: ProgramProcess, exit: ProgramExit | undefined, timeoutMs: number): Text {
  if (p.startError) {
    return exitProblem(p, exit, timeoutMs)!;
  }
  if (!exit) {
    return text('was still running after {0} s and was stopped.', timeoutMs / 1000);
  }
  if (exit.signal && !p.killed) {
    return text('was killed by {0}.', exit.signal);
  }
  if (exit.code !== 0 && exit.code !== null) {
    return text('exited with code {0}. Its last output:{1}', exit.code, tail(p.output));
  }
  return text('exited');
}

/** An error's message as a text: translatable when the engine made it (port in use, refused, …), else as written. */
export function errorText(err: unknown): Text {
  if (err instanceof PlaygroundError && err.text) {
    return err.text;
  }
  return plainText(err instanceof Error ? err.message : String(err));
}
