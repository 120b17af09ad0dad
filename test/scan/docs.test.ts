/**
 * docs/scan.md says what the scanner does: its rule tables list every rule under its family with
 * the counts, and its configuration example is one the scanner accepts and acts on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredRules, parseScanConfig } from '../../src/scan/config.js';
import { scanString } from '../../src/scan/index.js';
import { RULES } from '../../src/scan/rules.js';
import { FAMILIES, FAMILY_LABELS, ruleFamily } from '../../src/scan/rules-providers.js';
import { HEX, randomString, rng } from '../helpers/scan-tokens.js';

const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/scan.md'), 'utf8');
const rulesSection = doc.slice(doc.indexOf('\n## Rules\n'));

describe('docs/scan.md', () => {
  it('lists every rule once, in its family, with its provider and severity', () => {
    for (const f of FAMILIES) {
      const start = rulesSection.indexOf(`\n### ${FAMILY_LABELS[f]}\n`);
      expect(start, f).toBeGreaterThan(0);
      const next = rulesSection.indexOf('\n### ', start + 5);
      const table = rulesSection.slice(start, next === -1 ? undefined : next);
      const listed = [...table.matchAll(/^\| `([a-z0-9-]+)` \| ([^|]+) \| (\w+) \|/gm)].map((m) => `${m[1]} ${m[2]!.trim()} ${m[3]}`);
      const expected = RULES.filter((r) => ruleFamily(r) === f).map((r) => `${r.id} ${r.provider} ${r.severity}`);
      expect(listed, f).toEqual(expected);
      expect(rulesSection, f).toContain(`| ${expected.length} |`);
    }
    expect(rulesSection).toContain(`| all | ${RULES.length} |`);
    expect(doc).toContain(`**${RULES.length} rules in ${FAMILIES.length} families**`);
  });

  it('its .ass-scan.json example is accepted and finds an Acme key', () => {
    const section = doc.slice(doc.indexOf('## Custom rules'));
    const json = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
    const config = parseScanConfig(json, 'docs example');
    const compiled = configuredRules(config)!;
    const key = `acme_live_${randomString(rng(5), 32, HEX)}`;
    expect(scanString(`ACME = "${key}"`, 'src/a.ts', { compiled }).findings.map((f) => f.ruleId)).toEqual(['acme-api-key']);
    expect(scanString(`ACME = "${key}"`, 'test/fixtures/a.ts', { compiled }).findings).toEqual([]);
    expect(config.disabled).toEqual(['mailchimp-api-key']);
  });
});
