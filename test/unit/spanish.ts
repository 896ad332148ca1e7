/**
 * Messages in Spanish as the host makes them (src/l10n.ts localizedText), without VS Code: each template, nested
 * ones too, looked up in l10n/bundle.l10n.es.json, then formatted.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { englishText, formatText, type Text } from '../../src/shared/l10n';
import type { LabCheck, LabCheckText } from '../../src/core/labs/types';

/** The Spanish bundle: English text → Spanish text. */
export const bundleEs = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../l10n/bundle.l10n.es.json'), 'utf8'),
) as Record<string, string>;

/** A message in Spanish; fails when a template (other than words shown as written) has no translation. */
export function spanish(message: Text): string {
  const es = bundleEs[message.template];
  assert.ok(
    es !== undefined || message.template === '{0}' || /^(\{\d+\}[^\w{}]*)+$/.test(message.template),
    `no Spanish for ${JSON.stringify(message.template)}`,
  );
  return formatText(
    es ?? message.template,
    message.args.map((a) => (typeof a === 'object' ? spanish(a) : a)),
  );
}

/**
 * A lab run's checks and their texts agree: each text formats to the English check, and reads in Spanish with
 * every placeholder filled. Returns the Spanish checks.
 */
export function spanishChecks(checks: readonly LabCheck[], texts: readonly LabCheckText[]): LabCheck[] {
  assert.equal(texts.length, checks.length, 'one text per check');
  return checks.map((c, i) => {
    const t = texts[i]!;
    assert.equal(englishText(t.title), c.title, `title of ${c.id}`);
    assert.equal(englishText(t.message), c.message, `message of ${c.id}`);
    const es = { ...c, title: spanish(t.title), message: spanish(t.message) };
    assert.doesNotMatch(es.message, /\{\d+\}/, es.message);
    assert.doesNotMatch(es.title, /\{\d+\}/, es.title);
    return es;
  });
}
