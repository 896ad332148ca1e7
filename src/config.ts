/**
 * Every setting of the extension, read in one place: its key, its default and its range, as package.json's
 * `contributes.configuration` declares them (a unit test compares the two, so they cannot drift). VS Code does
 * not enforce a schema's minimum, maximum or enum on read, and a workspace's settings file can hold anything:
 * each value is checked here and clamped (or replaced by the default), with one warning per bad value.
 *
 * No runtime `vscode` import: the host hands in the configuration section, so the unit tests run this module
 * as it ships.
 */
import type * as vscode from 'vscode';
import { Config } from './constants';

type IntegerSpec = { type: 'integer'; default: number; minimum: number; maximum: number };
type BooleanSpec = { type: 'boolean'; default: boolean };
type StringSpec = { type: 'string'; default: string };
type EnumSpec<T extends string> = { type: 'string'; default: T; enum: readonly T[] };
type PatternSpec = { type: 'string'; default: string; pattern: string };
type StringListSpec = { type: 'array'; default: string[]; maxItems: number };

/** The schema of each setting (keys under `socketPlayground.`): the same defaults and ranges as package.json. */
export const SETTINGS = {
  bindAddress: { type: 'string', default: '127.0.0.1' } as StringSpec,
  allowRemoteBind: { type: 'boolean', default: false } as BooleanSpec,
  defaultPort: { type: 'integer', default: 12000, minimum: 0, maximum: 65535 } as IntegerSpec,
  maxLogEntries: { type: 'integer', default: 100_000, minimum: 100, maximum: 1_000_000 } as IntegerSpec,
  maxPayloadBytes: { type: 'integer', default: 65_536, minimum: 0, maximum: 1_048_576 } as IntegerSpec,
  payloadView: { type: 'string', default: 'text', enum: ['text', 'hex'] } as EnumSpec<'text' | 'hex'>,
  'notes.followCursor': { type: 'boolean', default: true } as BooleanSpec,
  'notes.packs': { type: 'array', default: [], maxItems: 20 } as StringListSpec,
  'notes.language': {
    type: 'string',
    default: 'auto',
    pattern: '^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$',
  } as PatternSpec,
} as const;

export type SettingKey = keyof typeof SETTINGS;

/** The settings as the extension uses them: every value of the right type and inside its range. */
export type Settings = {
  bindAddress: string;
  allowRemoteBind: boolean;
  defaultPort: number;
  maxLogEntries: number;
  maxPayloadBytes: number;
  payloadView: 'text' | 'hex';
  notesFollowCursor: boolean;
  /** Pack folders as written in the setting (workspace-relative or absolute), at most `maxItems`. */
  notesPacks: string[];
  /** `auto` or a language code. */
  notesLanguage: string;
};

/** What the reader needs of a configuration section (vscode.WorkspaceConfiguration has it). */
export type ConfigurationSource = Pick<vscode.WorkspaceConfiguration, 'get'>;

/** A settings file edited again and again keeps only the latest warnings in memory. */
const MAX_WARNINGS_KEPT = 100;

type Checked<T> = { value: T; problem?: string };

function describeValue(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function checkInteger(spec: IntegerSpec, raw: unknown): Checked<number> {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    return { value: spec.default, problem: `is not a number: using the default ${spec.default}` };
  }
  const int = Math.trunc(raw);
  const value = Math.min(spec.maximum, Math.max(spec.minimum, int));
  if (value !== raw) {
    return {
      value,
      problem:
        int !== raw && value === int
          ? `is not an integer: using ${value}`
          : `is outside its range ${spec.minimum} to ${spec.maximum}: using ${value}`,
    };
  }
  return { value };
}

function checkBoolean(spec: BooleanSpec, raw: unknown): Checked<boolean> {
  return typeof raw === 'boolean'
    ? { value: raw }
    : { value: spec.default, problem: `is not true or false: using the default ${spec.default}` };
}

function checkString(spec: StringSpec, raw: unknown): Checked<string> {
  return typeof raw === 'string'
    ? { value: raw }
    : { value: spec.default, problem: `is not a string: using the default "${spec.default}"` };
}

function checkPattern(spec: PatternSpec, raw: unknown): Checked<string> {
  return typeof raw === 'string' && new RegExp(spec.pattern).test(raw)
    ? { value: raw }
    : {
        value: spec.default,
        problem: `is not "auto" or a language code such as "es": using "${spec.default}"`,
      };
}

function checkStringList(spec: StringListSpec, raw: unknown): Checked<string[]> {
  if (!Array.isArray(raw)) {
    return { value: [...spec.default], problem: 'is not a list of folders: using none' };
  }
  const strings = raw.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  const value = strings.slice(0, spec.maxItems);
  if (strings.length !== raw.length) {
    return { value, problem: `holds entries that are not folder names: using the ${value.length} that are` };
  }
  if (value.length !== strings.length) {
    return { value, problem: `lists more than ${spec.maxItems} folders: using the first ${spec.maxItems}` };
  }
  return { value };
}

function checkEnum<T extends string>(spec: EnumSpec<T>, raw: unknown): Checked<T> {
  return typeof raw === 'string' && (spec.enum as readonly string[]).includes(raw)
    ? { value: raw as T }
    : {
        value: spec.default,
        problem: `is not one of ${spec.enum.map((e) => `"${e}"`).join(', ')}: using the default "${spec.default}"`,
      };
}

/**
 * Reads the settings on demand (each command reads them afresh, so a change applies at once) and warns once
 * per bad value: reading the same bad value again says nothing more; a different bad value warns again.
 */
export class SettingsReader {
  /** The bad value last warned about, per key (JSON), so a value is reported once, not at every read. */
  private readonly warned = new Map<SettingKey, string>();
  /** Every warning given so far, in order (the integration tests read it; the output channel has the same). */
  readonly warnings: string[] = [];

  constructor(
    private readonly source: () => ConfigurationSource,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** All settings, checked and clamped. */
  read(): Settings {
    const c = this.source();
    const check = <K extends SettingKey, T>(key: K, checker: (raw: unknown) => Checked<T>): T => {
      const raw = c.get<unknown>(key, SETTINGS[key].default);
      return this.take(key, raw, checker(raw));
    };
    return {
      bindAddress: check('bindAddress', (v) => checkString(SETTINGS.bindAddress, v)),
      allowRemoteBind: check('allowRemoteBind', (v) => checkBoolean(SETTINGS.allowRemoteBind, v)),
      defaultPort: check('defaultPort', (v) => checkInteger(SETTINGS.defaultPort, v)),
      maxLogEntries: check('maxLogEntries', (v) => checkInteger(SETTINGS.maxLogEntries, v)),
      maxPayloadBytes: check('maxPayloadBytes', (v) => checkInteger(SETTINGS.maxPayloadBytes, v)),
      payloadView: check('payloadView', (v) => checkEnum(SETTINGS.payloadView, v)),
      notesFollowCursor: check('notes.followCursor', (v) => checkBoolean(SETTINGS['notes.followCursor'], v)),
      notesPacks: check('notes.packs', (v) => checkStringList(SETTINGS['notes.packs'], v)),
      notesLanguage: check('notes.language', (v) => checkPattern(SETTINGS['notes.language'], v)),
    };
  }

  private take<T>(key: SettingKey, raw: unknown, checked: Checked<T>): T {
    if (checked.problem === undefined) {
      this.warned.delete(key);
      return checked.value;
    }
    const shown = describeValue(raw);
    if (this.warned.get(key) !== shown) {
      this.warned.set(key, shown);
      const message = `setting ${Config.Section}.${key} = ${shown} ${checked.problem}.`;
      this.warnings.push(message);
      if (this.warnings.length > MAX_WARNINGS_KEPT) {
        this.warnings.shift();
      }
      this.warn(message);
    }
    return checked.value;
  }
}
