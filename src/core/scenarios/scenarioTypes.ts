/** What a parsed scenario file is made of: blocks, steps, variables, errors, and the limits the parser keeps. */
import type { Text } from '../../shared/l10n';
import type { Behavior, Framing, Protocol } from '../../shared/types';

/** One problem in a scenario file; lines and columns are 1-based, `endColumn` is exclusive. */
export type ScenarioError = {
  line: number;
  column: number;
  endColumn: number;
  message: string;
  /** A stable code for the Problems view: `syntax`, `unknown-variable`, `escape`, `regex`, `duplicate-block`. */
  code: string;
  /** The message as a translatable text (the editor shows it in the display language). */
  text?: Text;
};

/** Bytes known at parse time, or a variable only known once the block runs (`{{serverPort}}`). */
export type Segment = Buffer | { variable: string };

export type ExpectMatch =
  | { kind: 'bytes'; payload: Segment[]; display: string }
  | { kind: 'regex'; source: string; flags: string; display: string };

/** One thing a block does, in order. Lines are 1-based. */
export type Step =
  | { op: 'udp' | 'tcp'; line: number; endpoint: string; timeoutMs: number }
  | {
      op: 'server';
      line: number;
      protocol: Protocol;
      behavior: Behavior;
      port: number;
      reply?: Buffer;
      framing: Framing;
    }
  | { op: 'send'; line: number; payload: Segment[]; display: string }
  | { op: 'expect'; line: number; match: ExpectMatch; timeoutMs: number }
  | { op: 'wait'; line: number; ms: number }
  | { op: 'close' | 'end'; line: number };

export type StepOp = Step['op'];

export type ScenarioBlock = {
  name: string;
  /** The `###` line. */
  line: number;
  /** The last line that belongs to the block. */
  endLine: number;
  steps: Step[];
  /** Errors on the block's own lines (and on the file's lines before it): a block with any does not run. */
  errors: ScenarioError[];
};

/** What a line is, for hovers and highlighting in the editor. */
export type LineInfo = { line: number; kind: LineKind; detail: string; detailText?: Text };

export type LineKind =
  | 'comment'
  | 'block'
  | 'variable'
  | 'timeout'
  | 'socket'
  | 'server'
  | 'send'
  | 'expect'
  | 'wait'
  | 'close'
  | 'end'
  | 'repeat'
  | 'done';

export type VariableDef = { name: string; line: number; value: string };

export type ScenarioFile = {
  blocks: ScenarioBlock[];
  errors: ScenarioError[];
  variables: VariableDef[];
  lines: LineInfo[];
};

export const DEFAULT_TIMEOUT_MS = 2000;
export const MAX_TIMEOUT_MS = 600_000;
export const MAX_REPEAT = 10_000;
/** Steps one file may unroll to: repeats multiply, and a typo (`repeat 1000000`) must not eat memory. */
export const MAX_STEPS = 100_000;
/** Variables the runner fills in; the parser leaves them in place. */
export const RUNTIME_VARIABLES = ['serverPort'] as const;

/** The keywords a line can start with, for completion and the grammar. */
export const KEYWORDS = ['udp', 'tcp', 'server', 'wait', 'close', 'end', 'repeat', 'done'] as const;
