/** config.ts: the schema it clamps to is package.json's, and a bad value is clamped with one warning. */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SETTINGS, SettingsReader, type ConfigurationSource } from '../../src/config';
import { Config } from '../../src/constants';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const schema: Record<string, Record<string, unknown>> = pkg.contributes.configuration[0].properties;

/** A configuration section backed by a plain object (what VS Code hands out, minus the rest). */
function source(values: Record<string, unknown>): () => ConfigurationSource {
  return () => ({
    get: <T>(key: string, fallback?: T): T | undefined =>
      (key in values ? values[key] : fallback) as T | undefined,
  });
}

describe('config.ts (every setting read in one place)', () => {
  it('has exactly the settings package.json contributes, with the same type, default and range', () => {
    const ours = Object.keys(SETTINGS).map((k) => `${Config.Section}.${k}`);
    assert.deepEqual(ours.sort(), Object.keys(schema).sort());
    for (const [key, spec] of Object.entries(SETTINGS)) {
      const s = schema[`${Config.Section}.${key}`]!;
      const label = `socketPlayground.${key}`;
      assert.equal(spec.type, s['type'], `${label} type`);
      assert.deepEqual(spec.default, s['default'], `${label} default`);
      assert.equal('minimum' in spec ? spec.minimum : undefined, s['minimum'], `${label} minimum`);
      assert.equal('maximum' in spec ? spec.maximum : undefined, s['maximum'], `${label} maximum`);
      assert.deepEqual('enum' in spec ? [...spec.enum] : undefined, s['enum'], `${label} enum`);
      assert.equal('pattern' in spec ? spec.pattern : undefined, s['pattern'], `${label} pattern`);
      assert.equal('maxItems' in spec ? spec.maxItems : undefined, s['maxItems'], `${label} maxItems`);
    }
  });

  it('reads the notes packs and language: a bad list or code is replaced, with one warning', () => {
    const warnings: string[] = [];
    const values: Record<string, unknown> = {
      'notes.packs': ['course', 42, ''],
      'notes.language': 'Español!',
    };
    const reader = new SettingsReader(
      () => ({ get: <T>(key: string, d?: T) => (key in values ? values[key] : d) as T }),
      (m) => warnings.push(m),
    );
    const s = reader.read();
    assert.deepEqual(s.notesPacks, ['course']);
    assert.equal(s.notesLanguage, 'auto');
    reader.read();
    assert.equal(warnings.length, 2, warnings.join('\n'));
    values['notes.packs'] = Array.from({ length: 25 }, (_, i) => `p${i}`);
    values['notes.language'] = 'es';
    const t = reader.read();
    assert.equal(t.notesPacks.length, 20);
    assert.equal(t.notesLanguage, 'es');
    assert.equal(warnings.length, 3);
  });

  it('reads the defaults when nothing is set, without a warning', () => {
    const warnings: string[] = [];
    const r = new SettingsReader(source({}), (m) => warnings.push(m));
    assert.deepEqual(r.read(), {
      bindAddress: '127.0.0.1',
      allowRemoteBind: false,
      defaultPort: 12000,
      maxLogEntries: 100_000,
      maxPayloadBytes: 65_536,
      payloadView: 'text',
      notesFollowCursor: true,
      notesPacks: [],
      notesLanguage: 'auto',
    });
    assert.deepEqual(warnings, []);
  });

  const rows: Array<[string, unknown, unknown, RegExp]> = [
    ['maxLogEntries', -1, 100, /outside its range 100 to 1000000: using 100/],
    ['maxLogEntries', 0, 100, /outside its range/],
    ['maxLogEntries', 5_000_000, 1_000_000, /using 1000000/],
    ['maxLogEntries', 'many', 100_000, /is not a number: using the default 100000/],
    ['maxLogEntries', 2500.7, 2500, /is not an integer: using 2500/],
    ['maxPayloadBytes', -1, 0, /outside its range 0 to 1048576: using 0/],
    ['maxPayloadBytes', 1e12, 1_048_576, /using 1048576/],
    ['defaultPort', 70000, 65535, /outside its range 0 to 65535/],
    ['defaultPort', Number.NaN, 12000, /not a number/],
    ['payloadView', 'binary', 'text', /is not one of "text", "hex": using the default "text"/],
    ['allowRemoteBind', 'yes', false, /is not true or false/],
    ['bindAddress', 7, '127.0.0.1', /is not a string/],
    ['notes.followCursor', 1, true, /is not true or false/],
  ];
  for (const [key, raw, expected, warning] of rows) {
    it(`${key} = ${JSON.stringify(raw)} reads as ${JSON.stringify(expected)}, with one warning naming it`, () => {
      const warnings: string[] = [];
      const r = new SettingsReader(source({ [key]: raw }), (m) => warnings.push(m));
      const field = key === 'notes.followCursor' ? 'notesFollowCursor' : key;
      for (let i = 0; i < 5; i++) {
        assert.equal((r.read() as Record<string, unknown>)[field], expected);
      }
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, new RegExp(`^setting socketPlayground\\.${key.replace('.', '\\.')} = `));
      assert.match(warnings[0]!, warning);
      assert.deepEqual(r.warnings, warnings);
    });
  }

  it('warns again only for a new bad value, and not for values in range', () => {
    const values: Record<string, unknown> = { maxLogEntries: -1 };
    const warnings: string[] = [];
    const r = new SettingsReader(source(values), (m) => warnings.push(m));
    r.read();
    r.read();
    values['maxLogEntries'] = -2;
    r.read();
    values['maxLogEntries'] = 500;
    assert.equal(r.read().maxLogEntries, 500);
    values['maxLogEntries'] = -2; // fixed, then broken again: worth saying again
    r.read();
    values['maxPayloadBytes'] = 100;
    r.read();
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0]!, /= -1 /);
    assert.match(warnings[1]!, /= -2 /);
    assert.match(warnings[2]!, /= -2 /);
  });
});
