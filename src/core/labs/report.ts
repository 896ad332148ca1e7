/** The report of a run for submission: Markdown for people, JSON beside it for tools. */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LabDefinition } from './labDefinition';
import type { LabRunDetail } from './labEngine';

const MARK = { passed: '✅', failed: '❌', skipped: '➖' } as const;

/** A fenced block that no backtick run inside the text can close. */
function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text}\n${f}`;
}

/** The run as Markdown. Program output is untrusted: it only ever appears inside a fenced block. */
export function reportMarkdown(detail: LabRunDetail, lab: LabDefinition): string {
  const { run, evidence, program } = detail;
  const bySeq = new Map(evidence.map((e) => [e.seq, e]));
  const lines = [
    `# Lab report: ${lab.title} (\`${run.lab}\`)`,
    '',
    `- Result: **${run.passed ? 'passed' : 'failed'}** (${run.checks.filter((c) => c.status === 'passed').length} of ${run.checks.length} checks passed)`,
    `- Program: \`${program.join(' ').replace(/`/g, "'")}\``,
    `- Seed: ${run.seed} (run again with this seed for the same run)`,
    `- Port: ${run.port}`,
    `- Exit code: ${run.exitCode === null ? 'none (stopped by the lab)' : run.exitCode}`,
    `- Duration: ${run.durationMs} ms`,
    `- Date: ${new Date().toISOString()}`,
    '',
    '## Checks',
    '',
  ];
  for (const c of run.checks) {
    lines.push(`### ${MARK[c.status]} ${c.title} (${c.status})`, '', fence(c.message), '');
    if (c.evidence?.length) {
      lines.push('Evidence (traffic log):', '');
      for (const seq of c.evidence) {
        const e = bySeq.get(seq);
        if (e) {
          const data = e.data ? Buffer.from(e.data, 'base64').toString('utf8') : '';
          lines.push(
            `- #${e.seq} ${e.time} ${e.protocol} ${e.event}${e.remote ? ` ${e.remote.address}:${e.remote.port}` : ''}, ${e.bytes} bytes${data ? `: ${JSON.stringify(data.length > 100 ? `${data.slice(0, 100)}…` : data).replace(/`/g, "'")}` : ''}`,
          );
        } else {
          lines.push(`- #${seq}`);
        }
      }
      lines.push('');
    }
    if (c.notes?.length) {
      lines.push(`Read: ${c.notes.map((n) => `${n.title} (\`${n.id}\`)`).join(', ')}`, '');
    }
  }
  lines.push('## Program output', '', fence(run.output || '(nothing)'), '');
  return lines.join('\n');
}

/** Where a report goes: `x.md` and `x.json` for a path `x`, `x.md` or `x.json`. */
export function reportPaths(p: string): { markdown: string; json: string } {
  const base = p.replace(/\.(md|json)$/i, '');
  return { markdown: `${base}.md`, json: `${base}.json` };
}

/** Writes the report; rejects naming the path and the cause. */
export async function writeReport(
  p: string,
  detail: LabRunDetail,
  lab: LabDefinition,
): Promise<{ markdown: string; json: string }> {
  const paths = reportPaths(path.resolve(p));
  try {
    await mkdir(path.dirname(paths.markdown), { recursive: true });
    await writeFile(paths.markdown, reportMarkdown(detail, lab), 'utf8');
    await writeFile(
      paths.json,
      `${JSON.stringify({ ...detail.run, program: detail.program, evidence: detail.evidence }, null, 2)}\n`,
      'utf8',
    );
  } catch (err) {
    throw new Error(
      `cannot write the lab report to ${paths.markdown}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return paths;
}
