/**
 * The lab engine's front door: `listLabs` and `runLab`, the same for the extension and the command line.
 * A run starts the reference peer, starts the student's program, watches the run's traffic and output,
 * checks, and always stops everything (the program's whole process tree, every socket, every timer).
 */
import { randomSeed } from '../sockets/impairment';
import { SocketRegistry } from '../registry';
import { TrafficLog, toTrafficEntry } from '../traffic/trafficLog';
import { invalidArgument } from '../errors';
import { rejectUnknownKeys, requireObject, validatePort } from '../validate';
import { NoteId } from '../notes/notes';
import type { TrafficEntry } from '../../shared/types';
import { BUILT_IN_LABS } from './builtInLabs';
import { errorText, fail, pass } from './checks';
import { LabRunContext, type LabEngine } from './labContext';
import type { LabDefinition } from './labDefinition';
import { findLabFiles, LabFileError, loadLabFile, validateParam } from './labFile';
import { writeReport } from './report';
import { englishText, plainText, text, type Text } from '../../shared/l10n';
import type { LabCheck, LabCheckText, LabInfo, LabRun, MadeCheck } from './types';

export type { LabEngine } from './labContext';

/** Where lab files are looked for: folders (their `*.lab.json`) or files. */
export type LabSources = { labFiles?: readonly string[] };

export type RunLabEnvironment = LabSources & {
  /** The engine to run on (the extension's, so the lab shows in the tree and the panel); default: a private one. */
  engine?: LabEngine;
};

/** Default for the whole run of the program. */
export const DEFAULT_TIMEOUT_MS = 20_000;

const RUN_KEYS = ['lab', 'program', 'cwd', 'port', 'seed', 'input', 'timeoutMs', 'params', 'report'];

function toInfo(l: LabDefinition): LabInfo {
  const { port, ...rest } = l.defaults;
  return {
    id: l.id,
    title: l.title,
    summary: l.summary,
    role: l.role,
    defaults: { port, ...rest },
    source: l.source ?? 'built-in',
    instructions: l.instructions,
    ...(l.base ? { extends: l.base } : {}),
  };
}

/** Every lab file found in the sources, loaded; files that fail to load are returned as problems. */
export async function loadLabs(
  sources: LabSources = {},
): Promise<{ labs: LabDefinition[]; problems: LabFileError[] }> {
  const labs: LabDefinition[] = [...BUILT_IN_LABS];
  const problems: LabFileError[] = [];
  for (const where of sources.labFiles ?? []) {
    for (const file of await findLabFiles(where)) {
      try {
        const lab = await loadLabFile(file);
        if (labs.some((l) => l.id === lab.id)) {
          problems.push(
            new LabFileError(
              file,
              'id',
              `"${lab.id}" is already defined by ${labs.find((l) => l.id === lab.id)!.source}.`,
            ),
          );
        } else {
          labs.push(lab);
        }
      } catch (err) {
        problems.push(err instanceof LabFileError ? err : new LabFileError(file, '', String(err)));
      }
    }
  }
  return { labs, problems };
}

/**
 * A lab's title, summary and instructions as translatable texts: a built-in lab's own (also for a lab file that keeps them),
 * and a lab file's own words as written.
 */
export function labTexts(info: LabInfo): { title: Text; summary: Text; instructions: Text } {
  const base = BUILT_IN_LABS.find((l) => l.id === (info.extends ?? info.id));
  const own = (english: string, t: Text | undefined): Text =>
    t && englishText(t) === english ? t : plainText(english);
  return {
    title: own(info.title, base?.texts?.title),
    summary: own(info.summary, base?.texts?.summary),
    instructions: own(info.instructions ?? info.summary, base?.texts?.instructions ?? base?.texts?.summary),
  };
}

/** socketPlayground.listLabs: the built-in labs and those of the lab files. */
export async function listLabs(sources: LabSources = {}): Promise<LabInfo[]> {
  return (await loadLabs(sources)).labs.map(toInfo);
}

type RunRequest = {
  lab: LabDefinition;
  program: string[];
  cwd?: string;
  port?: number;
  seed: number;
  input?: string;
  timeoutMs: number;
  params: Record<string, unknown>;
  report?: string;
};

async function validateRun(arg: unknown, sources: LabSources): Promise<RunRequest> {
  const o = requireObject(arg, 'runLab');
  rejectUnknownKeys(o, RUN_KEYS, 'runLab');
  const { labs, problems } = await loadLabs(sources);
  if (typeof o['lab'] !== 'string' || o['lab'] === '') {
    throw invalidArgument(`runLab needs lab: the id of a lab, one of ${labs.map((l) => l.id).join(', ')}.`);
  }
  const lab = labs.find((l) => l.id === o['lab']);
  if (!lab) {
    const broken = problems.find(
      (p) => p.message.includes(`"${String(o['lab'])}"`) || p.file.includes(String(o['lab'])),
    );
    throw invalidArgument(
      `no lab "${String(o['lab'])}"; the labs are: ${labs.map((l) => l.id).join(', ')}.` +
        (broken ? ` (${broken.message})` : ''),
    );
  }
  const program = o['program'];
  if (
    !Array.isArray(program) ||
    program.length === 0 ||
    program.length > 256 ||
    !program.every((a) => typeof a === 'string' && a.length > 0 && a.length <= 4096 && !a.includes('\0'))
  ) {
    throw invalidArgument(
      'program must be the command to run as a list of words, e.g. ["python3", "UDPClient.py"].',
    );
  }
  const req: RunRequest = {
    lab,
    program: program as string[],
    seed: 0,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    params: {},
  };
  if (o['cwd'] !== undefined) {
    if (typeof o['cwd'] !== 'string' || o['cwd'] === '') {
      throw invalidArgument('cwd must be the folder to run the program in.');
    }
    req.cwd = o['cwd'];
  }
  if (o['port'] !== undefined) {
    req.port = validatePort(o['port']);
  }
  const seed = o['seed'];
  if (
    seed !== undefined &&
    (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
  ) {
    throw invalidArgument(`seed must be an integer from 0 to 4294967295; got ${JSON.stringify(seed)}.`);
  }
  req.seed = seed === undefined ? randomSeed() : (seed as number);
  if (o['input'] !== undefined) {
    if (typeof o['input'] !== 'string' || o['input'].length > 1024 * 1024) {
      throw invalidArgument('input must be text (at most 1 MiB): what the program reads on stdin.');
    }
    req.input = o['input'];
  }
  const where = (f: string, m: string) => invalidArgument(`${f} ${m}`);
  if (o['timeoutMs'] !== undefined) {
    req.timeoutMs = validateParam('timeoutMs', o['timeoutMs'], lab, where) as number;
  } else if (typeof lab.defaults.timeoutMs === 'number') {
    req.timeoutMs = lab.defaults.timeoutMs;
  }
  if (o['params'] !== undefined) {
    const p = o['params'];
    if (!p || typeof p !== 'object' || Array.isArray(p)) {
      throw invalidArgument('params must be an object, e.g. { "loss": 0.5 }.');
    }
    for (const [k, v] of Object.entries(p)) {
      req.params[k] = validateParam(k, v, lab, (f, m) => invalidArgument(`params.${f} ${m}`));
    }
  }
  if (o['report'] !== undefined) {
    if (typeof o['report'] !== 'string' || o['report'] === '') {
      throw invalidArgument(
        'report must be the path of the report to write (Markdown; the JSON goes beside it).',
      );
    }
    req.report = o['report'];
  }
  return req;
}

/** A private engine for one run: its own registry and log, on loopback. */
function privateEngine(): LabEngine {
  const log = new TrafficLog({ maxEntries: 20_000 }, 1);
  const registry = new SocketRegistry(log, () => ({
    bindAddress: '127.0.0.1',
    allowRemoteBind: false,
    defaultPort: 12000,
  }));
  return { registry, log };
}

/** The lab file's own checks on the output: its title and message are the instructor's words, not translated. */
function outputChecks(lab: LabDefinition, output: string): MadeCheck[] {
  return (lab.outputChecks ?? []).map((c, i) => {
    const id = c.id ?? `output-${i + 1}`;
    const pattern = `/${c.pattern}/${c.flags ?? ''}`;
    const title = c.title !== undefined ? plainText(c.title) : text('Output matches {0}', pattern);
    return new RegExp(c.pattern, c.flags).test(output)
      ? pass(id, title, text('The output matches {0}.', pattern))
      : fail(
          id,
          title,
          c.message !== undefined
            ? plainText(c.message)
            : text('Expected the output to match {0}; it does not.', pattern),
          undefined,
          [],
        );
  });
}

/**
 * The run's result, the log entries its checks cite (for the report), and each check's title and message as
 * translatable texts, in the order of `run.checks` (for the host, which shows them in the display language).
 */
export type LabRunDetail = {
  run: LabRun;
  evidence: TrafficEntry[];
  program: string[];
  texts: LabCheckText[];
};

/** socketPlayground.runLab, with the log entries the checks cite. */
export async function runLabDetailed(arg: unknown, env: RunLabEnvironment = {}): Promise<LabRunDetail> {
  const req = await validateRun(arg, env);
  const { lab } = req;
  const engine = env.engine ?? privateEngine();
  const params = { ...lab.defaults, ...req.params };
  const port = req.port ?? (params.port as number);
  params.port = port;
  let input = req.input;
  if (lab.role === 'client' && 'sentence' in params) {
    if (input !== undefined) {
      params.sentence = input.split(/\r?\n/)[0] ?? '';
    } else {
      input = `${String(params.sentence)}\n`;
    }
  }
  const ctx = new LabRunContext(
    engine,
    params,
    req.seed,
    req.timeoutMs,
    { argv: req.program, cwd: req.cwd, input },
    port,
  );
  let made: MadeCheck[];
  let evidence: TrafficEntry[] = [];
  try {
    try {
      made = await lab.run(ctx);
    } catch (err) {
      // The playground's side could not start (port in use, …): the run fails with the reason.
      const message = err instanceof Error ? err.message : String(err);
      made = [
        fail(
          'setup',
          text("The playground's side started on port {0}", ctx.port),
          text('The lab could not start: {0}', errorText(err)),
          undefined,
          /in use/i.test(message) ? [NoteId.AddressInUse] : [NoteId.SocketErrors],
        ),
      ];
    }
    made.push(...outputChecks(lab, ctx.program?.output ?? ''));
    const cited = new Set(made.flatMap((c) => c.evidence ?? []));
    evidence = ctx
      .entries()
      .filter((r) => cited.has(r.seq))
      .map(toTrafficEntry);
  } finally {
    await ctx.close();
    if (!env.engine) {
      await engine.registry.closeAll();
      engine.registry.dispose();
      engine.log.dispose();
    }
  }
  // The English checks go into the run (and the report, the JSON, the command line) as they always were; their
  // texts go beside it.
  const checks: LabCheck[] = made.map(({ text: _text, ...check }) => check);
  const texts = made.map((c) => c.text);
  const exit = ctx.program?.exit;
  const run: LabRun = {
    lab: lab.id,
    passed: checks.every((c) => c.status !== 'failed'),
    seed: req.seed,
    port: ctx.port,
    checks,
    exitCode: ctx.program?.killed || !exit ? null : exit.code,
    output: ctx.program?.output ?? '',
    durationMs: Date.now() - ctx.startedAt,
  };
  const detail: LabRunDetail = { run, evidence, program: req.program, texts };
  if (req.report) {
    await writeReport(req.report, detail, lab);
  }
  return detail;
}

/** socketPlayground.runLab: runs a lab against the student's program and returns what each check found. */
export async function runLab(arg: unknown, env: RunLabEnvironment = {}): Promise<LabRun> {
  return (await runLabDetailed(arg, env)).run;
}
