/**
 * Lab files (`*.lab.json`): an instructor's variant of a built-in lab: its parameters, title, instructions
 * and extra checks on the output. Validated field by field; an error names the file and the field.
 */
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { LabDefinition } from './labDefinition';
import type { LabParams, OutputCheck } from './types';
import { BUILT_IN_LABS } from './builtInLabs';

export class LabFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field ? `"${field}" ` : ''}${message}`);
    this.name = 'LabFileError';
  }
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const TOP_KEYS = ['$schema', 'id', 'extends', 'title', 'summary', 'instructions', 'params', 'checks'];
const CHECK_KEYS = ['id', 'title', 'pattern', 'flags', 'message'];

type Rule = {
  type: 'integer' | 'number' | 'string' | 'string[]' | 'boolean';
  min?: number;
  max?: number;
  maxItems?: number;
};

/** The parameters a lab file may set, with their ranges (the schema in schemas/lab.schema.json says the same). */
export const PARAM_RULES: Record<string, Rule> = {
  port: { type: 'integer', min: 0, max: 65535 },
  timeoutMs: { type: 'integer', min: 100, max: 600_000 },
  sentence: { type: 'string', max: 1000 },
  sentences: { type: 'string[]', max: 1000, maxItems: 20 },
  loss: { type: 'number', min: 0, max: 1 },
  delayMs: { type: 'integer', min: 0, max: 900 },
  count: { type: 'integer', min: 1, max: 100 },
  concurrent: { type: 'boolean' },
  greetDelayMs: { type: 'integer', min: 0, max: 5000 },
};

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Checks one parameter's value; returns it or throws naming the field. */
export function validateParam(
  name: string,
  value: unknown,
  lab: LabDefinition,
  where: (f: string, m: string) => Error,
): unknown {
  const rule = PARAM_RULES[name];
  if (!rule || (name !== 'port' && name !== 'timeoutMs' && !lab.params.includes(name))) {
    const allowed = ['port', 'timeoutMs', ...lab.params].join(', ');
    throw where(name, `is not a parameter of ${lab.id}; it has: ${allowed}.`);
  }
  const range = rule.min !== undefined ? ` from ${rule.min} to ${rule.max}` : '';
  switch (rule.type) {
    case 'integer':
    case 'number':
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        (rule.type === 'integer' && !Number.isInteger(value))
      ) {
        throw where(
          name,
          `must be ${rule.type === 'integer' ? 'an integer' : 'a number'}${range}; got ${JSON.stringify(value) ?? typeName(value)}.`,
        );
      }
      if (value < rule.min! || value > rule.max!) {
        throw where(name, `must be${range}; got ${value}.`);
      }
      return value;
    case 'string':
      if (typeof value !== 'string' || value.length > rule.max! || /[\r\n]/.test(value)) {
        throw where(
          name,
          `must be one line of text (at most ${rule.max} characters); got ${typeName(value)}.`,
        );
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') {
        throw where(name, `must be true or false; got ${JSON.stringify(value) ?? typeName(value)}.`);
      }
      return value;
    case 'string[]':
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        value.length > rule.maxItems! ||
        !value.every((s) => typeof s === 'string' && s.length > 0 && s.length <= rule.max!)
      ) {
        throw where(
          name,
          `must be a list of 1 to ${rule.maxItems} non-empty sentences; got ${typeName(value)}.`,
        );
      }
      return value;
  }
}

function str(
  o: Record<string, unknown>,
  key: string,
  file: string,
  max: number,
  required = false,
): string | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) {
      throw new LabFileError(file, key, 'is required.');
    }
    return undefined;
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw new LabFileError(
      file,
      key,
      `must be non-empty text of at most ${max} characters; got ${typeName(v)}.`,
    );
  }
  return v;
}

/** Parses and validates one lab file's text into a lab definition. */
export function parseLabFile(text: string, file: string): LabDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LabFileError(
      file,
      '',
      `is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new LabFileError(
      file,
      '',
      'must hold one JSON object, e.g. { "id": "my-pinger", "extends": "udp-pinger" }.',
    );
  }
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!TOP_KEYS.includes(k)) {
      throw new LabFileError(
        file,
        k,
        `is not a lab file field; the fields are: ${TOP_KEYS.slice(1).join(', ')}.`,
      );
    }
  }
  const id = str(o, 'id', file, 64, true)!;
  if (!ID.test(id)) {
    throw new LabFileError(
      file,
      'id',
      `must be lower-case letters, digits and dashes (e.g. "pinger-lossy"); got ${JSON.stringify(id)}.`,
    );
  }
  const baseId = str(o, 'extends', file, 64, true)!;
  const base = BUILT_IN_LABS.find((l) => l.id === baseId);
  if (!base) {
    throw new LabFileError(
      file,
      'extends',
      `must name a built-in lab (${BUILT_IN_LABS.map((l) => l.id).join(', ')}); got ${JSON.stringify(baseId)}.`,
    );
  }
  if (BUILT_IN_LABS.some((l) => l.id === id)) {
    throw new LabFileError(file, 'id', `"${id}" is a built-in lab's id: give the variant its own id.`);
  }
  const params: LabParams = { ...base.defaults };
  if (o['params'] !== undefined) {
    const p = o['params'];
    if (!p || typeof p !== 'object' || Array.isArray(p)) {
      throw new LabFileError(file, 'params', `must be an object, e.g. { "loss": 0.5 }; got ${typeName(p)}.`);
    }
    for (const [k, v] of Object.entries(p)) {
      params[k] = validateParam(k, v, base, (f, m) => new LabFileError(file, `params.${f}`, m));
    }
  }
  const outputChecks: OutputCheck[] = [];
  if (o['checks'] !== undefined) {
    const cs = o['checks'];
    if (!Array.isArray(cs) || cs.length > 20) {
      throw new LabFileError(
        file,
        'checks',
        `must be a list of at most 20 output checks; got ${typeName(cs)}.`,
      );
    }
    cs.forEach((c, i) => {
      const field = `checks[${i}]`;
      if (!c || typeof c !== 'object' || Array.isArray(c)) {
        throw new LabFileError(file, field, 'must be an object like { "pattern": "RTT" }.');
      }
      const co = c as Record<string, unknown>;
      for (const k of Object.keys(co)) {
        if (!CHECK_KEYS.includes(k)) {
          throw new LabFileError(
            file,
            `${field}.${k}`,
            `is not an output check field; they are: ${CHECK_KEYS.join(', ')}.`,
          );
        }
      }
      const pattern = str(co, 'pattern', file, 500, true);
      const flags = str(co, 'flags', file, 8);
      try {
        new RegExp(pattern!, flags);
      } catch (err) {
        throw new LabFileError(
          file,
          `${field}.pattern`,
          `is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      if (flags && !/^[imsu]*$/.test(flags)) {
        throw new LabFileError(
          file,
          `${field}.flags`,
          `may hold only i, m, s, u; got ${JSON.stringify(flags)}.`,
        );
      }
      const checkId = str(co, 'id', file, 64);
      if (checkId && !ID.test(checkId)) {
        throw new LabFileError(file, `${field}.id`, 'must be lower-case letters, digits and dashes.');
      }
      outputChecks.push({
        id: checkId ?? `output-${i + 1}`,
        title: str(co, 'title', file, 200),
        pattern: pattern!,
        flags,
        message: str(co, 'message', file, 1000),
      });
    });
  }
  return {
    ...base,
    id,
    title: str(o, 'title', file, 200) ?? base.title,
    summary: str(o, 'summary', file, 500) ?? base.summary,
    instructions: str(o, 'instructions', file, 20_000) ?? base.instructions,
    defaults: params,
    outputChecks,
    source: file,
    base: base.id,
  };
}

/** Reads and validates one lab file. */
export async function loadLabFile(file: string): Promise<LabDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new LabFileError(file, '', `cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (text.length > 1024 * 1024) {
    throw new LabFileError(file, '', 'is larger than 1 MiB: a lab file holds parameters and texts only.');
  }
  return parseLabFile(text, file);
}

/** The `*.lab.json` files directly in a folder (or the file itself). */
export async function findLabFiles(where: string): Promise<string[]> {
  if (where.endsWith('.lab.json')) {
    return [where];
  }
  const names = await readdir(where).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.lab.json'))
    .sort()
    .map((n) => path.join(where, n));
}
