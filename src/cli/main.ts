/**
 * The command line for labs, without VS Code: the same engine, the same checks, for autograders.
 *
 *   socket-playground labs [--json] [--labs PATH]…
 *   socket-playground lab <id> [--port N] [--seed N] [--input TEXT] [--timeout MS] [--param NAME=VALUE]…
 *                            [--labs PATH]… [--json] [--report PATH] -- <program argv>
 *
 * Exit code: 0 when every check passed, 1 when one failed, 2 for bad usage.
 */
import { listLabs, runLabDetailed } from '../core/labs/labEngine';
import type { LabRun } from '../core/labs/types';

const USAGE = `Usage:
  socket-playground labs [--json] [--labs PATH]
  socket-playground lab <id> [--port N] [--seed N] [--input TEXT] [--timeout MS]
                           [--param NAME=VALUE] [--labs PATH] [--json] [--report PATH] -- <program argv>

  labs           list the labs (built-in, and the *.lab.json files of --labs, default the current folder)
  lab <id>       run lab <id> against the program after --, e.g. -- python3 UDPClient.py
  --port N       the lab's port (default 12000; 0 picks a free one, passed to the program as {port})
  --seed N       replay a run: the seed drives every random choice (loss, order)
  --input TEXT   what the program reads on stdin (client labs: the sentence)
  --timeout MS   stop the program after MS milliseconds (default 20000)
  --param N=V    a lab parameter, e.g. --param loss=0.5 --param count=4 (V is JSON or text)
  --labs PATH    a folder of *.lab.json files, or one file (repeatable)
  --json         print the run (or the list) as JSON
  --report PATH  write the run as Markdown to PATH, and as JSON beside it

Exit code: 0 every check passed, 1 a check failed, 2 bad usage.`;

class UsageError extends Error {}

type Parsed =
  | { command: 'help' }
  | { command: 'labs'; json: boolean; labs: string[] }
  | { command: 'lab'; json: boolean; labs: string[]; arg: Record<string, unknown> };

function integer(flag: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v)) {
    throw new UsageError(
      `${flag} needs a whole number, e.g. ${flag} 12000; got ${v === undefined ? 'nothing' : JSON.stringify(v)}.`,
    );
  }
  return Number(v);
}

/** Reads the command line; throws UsageError with what was wrong. */
export function parseArgs(argv: string[]): Parsed {
  const dashes = argv.indexOf('--');
  const own = dashes >= 0 ? argv.slice(0, dashes) : argv;
  const program = dashes >= 0 ? argv.slice(dashes + 1) : [];
  if (own.length === 0 || own.includes('--help') || own.includes('-h') || own[0] === 'help') {
    return { command: 'help' };
  }
  const [command, ...rest] = own;
  const labs: string[] = [];
  let json = false;
  const arg: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = () => {
      const v = rest[++i];
      if (v === undefined) {
        throw new UsageError(`${a} needs a value.`);
      }
      return v;
    };
    switch (a) {
      case '--json':
        json = true;
        break;
      case '--labs':
        labs.push(value());
        break;
      case '--port':
        arg['port'] = integer(a, rest[++i]);
        break;
      case '--seed':
        arg['seed'] = integer(a, rest[++i]);
        break;
      case '--timeout':
        arg['timeoutMs'] = integer(a, rest[++i]);
        break;
      case '--input':
        arg['input'] = value();
        break;
      case '--report':
        arg['report'] = value();
        break;
      case '--param': {
        const v = value();
        const eq = v.indexOf('=');
        if (eq <= 0) {
          throw new UsageError(`--param needs NAME=VALUE, e.g. --param loss=0.5; got ${JSON.stringify(v)}.`);
        }
        const raw = v.slice(eq + 1);
        let parsed: unknown = raw;
        try {
          parsed = JSON.parse(raw);
        } catch {
          // plain text
        }
        params[v.slice(0, eq)] = parsed;
        break;
      }
      default:
        if (a.startsWith('-')) {
          throw new UsageError(`unknown option ${a}.`);
        }
        positional.push(a);
    }
  }
  if (command === 'labs') {
    if (positional.length || dashes >= 0) {
      throw new UsageError('labs takes no lab id and no program.');
    }
    return { command: 'labs', json, labs };
  }
  if (command !== 'lab') {
    throw new UsageError(`unknown command ${JSON.stringify(command)}: use "lab" or "labs".`);
  }
  if (positional.length !== 1) {
    throw new UsageError(
      'lab needs exactly one lab id, e.g. socket-playground lab udp-pinger -- python3 UDPPinger.py',
    );
  }
  if (program.length === 0) {
    throw new UsageError('lab needs the program to check after --, e.g. -- python3 UDPClient.py');
  }
  arg['lab'] = positional[0];
  arg['program'] = program;
  if (Object.keys(params).length) {
    arg['params'] = params;
  }
  return { command: 'lab', json, labs, arg };
}

const MARK = { passed: '✔', failed: '✘', skipped: '–' } as const;

/** The run as the terminal shows it. */
export function formatRun(run: LabRun): string {
  const lines = [`${run.lab} (port ${run.port}, seed ${run.seed})`];
  for (const c of run.checks) {
    lines.push(`  ${MARK[c.status]} ${c.title}${c.status === 'skipped' ? ' (skipped)' : ''}`);
    if (c.status !== 'passed') {
      for (const l of c.message.split('\n')) {
        lines.push(`      ${l}`);
      }
      if (c.notes?.length) {
        lines.push(`      Read: ${c.notes.map((n) => n.title).join('; ')}`);
      }
    }
  }
  const passed = run.checks.filter((c) => c.status === 'passed').length;
  lines.push(
    `${run.passed ? 'PASSED' : 'FAILED'}: ${passed} of ${run.checks.length} checks passed in ${run.durationMs} ms.`,
  );
  return lines.join('\n');
}

/** Runs the command line; resolves with the exit code. */
export async function main(
  argv: string[],
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`socket-playground: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (parsed.command === 'help') {
    out(USAGE);
    return 0;
  }
  const labFiles = parsed.labs.length ? parsed.labs : [process.cwd()];
  if (parsed.command === 'labs') {
    const labs = await listLabs({ labFiles });
    out(
      parsed.json
        ? JSON.stringify(labs, null, 2)
        : labs
            .map(
              (l) =>
                `${l.id.padEnd(24)} ${l.role.padEnd(7)} ${l.title}${l.source === 'built-in' ? '' : `  (${l.source})`}`,
            )
            .join('\n'),
    );
    return 0;
  }
  try {
    const { run } = await runLabDetailed(parsed.arg, { labFiles });
    out(parsed.json ? JSON.stringify(run, null, 2) : formatRun(run));
    return run.passed ? 0 : 1;
  } catch (e) {
    // A bad argument (unknown lab, bad parameter) is bad usage; anything else is a failure to check.
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof Error && (e as { code?: string }).code === 'EINVAL') {
      err(`socket-playground: ${message}`);
      return 2;
    }
    err(`socket-playground: ${message}`);
    return 1;
  }
}

if (require.main === module) {
  void main(
    process.argv.slice(2),
    (s) => process.stdout.write(`${s}\n`),
    (s) => process.stderr.write(`${s}\n`),
  ).then((code) => {
    process.exitCode = code;
  });
}
