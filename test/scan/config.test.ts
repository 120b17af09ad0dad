/**
 * Custom rules and allowlists from `.ass-scan.json`, as gitleaks users write them: each mistake is
 * refused before scanning with a message that names the field, dangerous expressions are refused,
 * and custom rules run on the same engine (prefilter, windows, filters, suppression comments).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredRules, parseScanConfig } from '../../src/scan/config.js';
import { scanString } from '../../src/scan/index.js';
import { runScan } from '../helpers/scan-cli.js';
import { tempDir } from '../helpers/scan-git.js';
import { githubToken, HEX, randomString, rng } from '../helpers/scan-tokens.js';

const n = rng(77);
const acmeKey = () => `acme_${randomString(n, 32, HEX)}`;

const ACME = {
  id: 'acme-api-key',
  description: 'Acme API key',
  regex: '\\b(acme_[a-f0-9]{32})\\b',
  keywords: ['acme_'],
};

function rulesOf(config: object) {
  return configuredRules(parseScanConfig(JSON.stringify(config), '.ass-scan.json'))!;
}

function scan(config: object, text: string, file = 'app.ts') {
  return scanString(text, file, { compiled: rulesOf(config) }).findings.map((f) => f.ruleId);
}

describe('scan config: custom rules', () => {
  it('a custom rule finds its secret beside the built-in rules, with its id, severity and a redacted preview', () => {
    const key = acmeKey();
    const text = `const a = "${key}";\nconst b = "${githubToken(n)}";`;
    const findings = scanString(text, 'x.ts', { compiled: rulesOf({ rules: [{ ...ACME, severity: 'critical' }] }) }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity, f.provider])).toEqual([
      ['acme-api-key', 'critical', 'Custom'],
      ['github-pat', 'critical', 'GitHub'],
    ]);
    expect(findings[0]!.preview).toBe('acme_********');
  });

  it("takes gitleaks' leading (?i) as case-insensitive", () => {
    const cfg = { rules: [{ ...ACME, regex: '(?i)\\b(acme_[a-f0-9]{32})\\b' }] };
    expect(scan(cfg, `k = "${acmeKey().toUpperCase()}"`)).toEqual(['acme-api-key']);
  });

  it('secretGroup picks the secret; entropy filters low-entropy values; placeholders are not findings', () => {
    const cfg = { rules: [{ ...ACME, regex: '(acme)_([a-f0-9]{32})', secretGroup: 2, entropy: 3.5 }] };
    expect(scan(cfg, `k = "${acmeKey()}"`)).toEqual(['acme-api-key']);
    expect(scan(cfg, `k = "acme_${'ab'.repeat(16)}"`)).toEqual([]);
    expect(scan(cfg, `k = "acme_${'0123456789abcdef'.repeat(2)}"`)).toEqual([]);
  });

  it('the prefilter: a rule runs only near its keywords', () => {
    const cfg = { rules: [{ ...ACME, regex: '\\b([a-f0-9]{32})\\b', keywords: ['acme'] }] };
    const hex = randomString(n, 32, HEX);
    expect(scan(cfg, `ACME_KEY = "${hex}"`)).toEqual(['acme-api-key']);
    expect(scan(cfg, `OTHER = "${hex}"`)).toEqual([]);
  });

  it('path limits a rule to matching files', () => {
    const cfg = { rules: [{ ...ACME, path: '\\.env$' }] };
    expect(scan(cfg, `K=${acmeKey()}`, 'deploy/.env')).toEqual(['acme-api-key']);
    expect(scan(cfg, `K=${acmeKey()}`, 'src/a.ts')).toEqual([]);
  });

  it('a rule allowlist: regexes and stopwords on the secret, paths on the file', () => {
    const cfg = { rules: [{ ...ACME, allowlist: { regexes: ['^acme_0{4}'], stopwords: ['dead'], paths: ['(^|/)fixtures/'] } }] };
    expect(scan(cfg, `k = "acme_0000${randomString(n, 28, HEX)}"`)).toEqual([]);
    expect(scan(cfg, `k = "acme_${randomString(n, 12, HEX)}dead${randomString(n, 16, HEX)}"`)).toEqual([]);
    expect(scan(cfg, `k = "${acmeKey()}"`, 'test/fixtures/a.ts')).toEqual([]);
    expect(scan(cfg, `k = "${acmeKey()}"`, 'src/a.ts')).toEqual(['acme-api-key']);
  });

  it('the top-level allowlist applies to built-in rules too', () => {
    const cfg = { allowlist: { paths: ['^docs/'] } };
    expect(scan(cfg, `t = "${githubToken(n)}"`, 'docs/setup.md')).toEqual([]);
    expect(scan(cfg, `t = "${githubToken(n)}"`, 'src/setup.ts')).toEqual(['github-pat']);
  });

  it('disabledRules switches built-in rules off, and frees their id for a replacement', () => {
    const t = githubToken(n);
    expect(scan({ disabledRules: ['github-pat'] }, `t = "${t}"`)).toEqual([]);
    const replacement = {
      id: 'github-pat',
      description: 'Our GitHub PAT rule',
      regex: '\\b(ghp_[A-Za-z0-9]{36})\\b',
      keywords: ['ghp_'],
      severity: 'low',
    };
    const f = scanString(`t = "${t}"`, 'a.ts', { compiled: rulesOf({ disabledRules: ['github-pat'], rules: [replacement] }) }).findings;
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([['github-pat', 'low']]);
  });

  it('inline and block suppression comments cover custom rules', () => {
    const cfg = { rules: [ACME] };
    expect(scan(cfg, `k = "${acmeKey()}" // gitleaks:allow`)).toEqual([]);
    expect(scan(cfg, `// secretlint-disable\nk = "${acmeKey()}"\n// secretlint-enable\nj = "${acmeKey()}"`)).toEqual(['acme-api-key']);
    expect(scan(cfg, `// ass:disable acme-api-key\nk = "${acmeKey()}"`)).toEqual([]);
  });

  it('a configuration that changes nothing keeps the default rules (and their worker threads)', () => {
    expect(configuredRules(parseScanConfig('{}', 'c'))).toBeUndefined();
    expect(configuredRules(parseScanConfig('{"rules": []}', 'c'))).toBeUndefined();
  });
});

describe('scan config: mistakes name their field', () => {
  it.each([
    ['not JSON', '{rules: []}', /\.ass-scan\.json is not JSON/],
    ['unknown top-level field', { rulez: [] }, /\.ass-scan\.json: the top level has an unknown field "rulez"/],
    ['unknown rule field', { rules: [{ ...ACME, tags: ['x'] }] }, /rules\[0\] has an unknown field "tags"/],
    [
      'id shape',
      { rules: [{ ...ACME, id: 'Acme Key' }] },
      /rules\[0\]\.id must be lower-case letters and digits in words joined by hyphens/,
    ],
    ['missing regex', { rules: [{ id: 'a', description: 'x', keywords: ['ab'] }] }, /rules\[0\]\.regex is required/],
    ['no keywords', { rules: [{ ...ACME, keywords: [] }] }, /rules\[0\]\.keywords must list at least one literal/],
    ['short keyword', { rules: [{ ...ACME, keywords: ['a'] }] }, /rules\[0\]\.keywords\[0\] must be at least 2 characters/],
    ['non-ASCII keyword', { rules: [{ ...ACME, keywords: ['clé_'] }] }, /rules\[0\]\.keywords\[0\] must be printable ASCII/],
    ['entropy range', { rules: [{ ...ACME, entropy: 9 }] }, /rules\[0\]\.entropy is bits per character: between 0 and 8/],
    ['severity', { rules: [{ ...ACME, severity: 'urgent' }] }, /rules\[0\]\.severity /],
    ['invalid regex', { rules: [{ ...ACME, regex: 'acme_([a-f' }] }, /rules\[0\]\.regex is not a valid JavaScript regular expression/],
    [
      'nested quantifier',
      { rules: [{ ...ACME, regex: '(acme_[a-f0-9]+)+' }] },
      /rules\[0\]\.regex could take time that grows faster than the input: .*repeated inside the repeated group/,
    ],
    ['adjacent unbounded', { rules: [{ ...ACME, regex: 'acme_.*.*' }] }, /rules\[0\]\.regex could take time .*both repeat without bound/],
    [
      'dangerous allowlist regex',
      { rules: [{ ...ACME, allowlist: { regexes: ['(a|b+)*c'] } }] },
      /rules\[0\]\.allowlist\.regexes\[0\] could take time/,
    ],
    ['mid-expression flags', { rules: [{ ...ACME, regex: 'acme_(?i)[a-f0-9]{32}' }] }, /rules\[0\]\.regex sets flags in the middle/],
    ['unsupported flag', { rules: [{ ...ACME, regex: '(?x)acme' }] }, /rules\[0\]\.regex starts with the flags \(\?x\)/],
    ['empty match', { rules: [{ ...ACME, regex: '(acme_[a-f0-9]{32})?' }] }, /rules\[0\]\.regex matches the empty string/],
    [
      'secretGroup out of range',
      { rules: [{ ...ACME, secretGroup: 3 }] },
      /rules\[0\]\.secretGroup is 3 but the expression has 1 capture group/,
    ],
    ['duplicate id', { rules: [ACME, ACME] }, /rules\[1\]\.id repeats "acme-api-key"/],
    [
      'built-in id',
      { rules: [{ ...ACME, id: 'github-pat' }] },
      /rules\[0\]\.id is the built-in rule "github-pat"; pick another id, or list it in disabledRules/,
    ],
    ['unknown disabled rule', { disabledRules: ['github-pats'] }, /disabledRules\[0\] names "github-pats", which is not a built-in rule/],
    ['bad path regex', { allowlist: { paths: ['(docs'] } }, /allowlist\.paths\[0\] is not a valid JavaScript regular expression/],
  ])('%s', (_name, config, message) => {
    const text = typeof config === 'string' ? config : JSON.stringify(config);
    expect(() => parseScanConfig(text, '.ass-scan.json')).toThrow(message);
    try {
      parseScanConfig(text, '.ass-scan.json');
    } catch (err) {
      expect((err as { code?: string }).code).toBe('invalid_input');
      expect((err as Error).message).toContain('docs/scan.md');
    }
  });
});

describe('ass scan: the configuration file', () => {
  it('reads .ass-scan.json from the scanned directory', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, '.ass-scan.json'), JSON.stringify({ rules: [ACME] }));
    writeFileSync(path.join(root, 'app.ts'), `const k = "${acmeKey()}";\n`);
    const r = await runScan(['--format', 'json'], root);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['acme-api-key']);
    expect(r.stderr).toContain('.ass-scan.json: 1 custom rule, 0 disabled.');
  });

  it('--config names another file; --list-rules shows the custom rules', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'scan-rules.json'), JSON.stringify({ rules: [ACME], disabledRules: ['github-pat'] }));
    const list = await runScan(['--list-rules', '--config', 'scan-rules.json'], root);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('acme-api-key\tCustom\thigh\tAcme API key');
    expect(list.stdout).not.toMatch(/^github-pat\t/m);
  });

  it('a mistake exits 2 before scanning and names the file and field', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, '.ass-scan.json'), JSON.stringify({ rules: [{ ...ACME, regex: '(a+)+' }] }));
    writeFileSync(path.join(root, 'app.ts'), `const t = "${githubToken(n)}";\n`);
    const r = await runScan([], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.ass-scan\.json: rules\[0\]\.regex could take time/);
    expect(r.stdout).toBe('');
  });

  it('a missing --config file is a usage error', async () => {
    const r = await runScan(['--config', 'nope.json'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.json could not be read \(ENOENT\)/);
  });
});
