import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateCredential } from '../../src/core/credentials.js';
import { base62, crc32, validPrefixedCrc62 } from '../../src/scan/checksum.js';
import { scanString } from '../../src/scan/index.js';
import { RULES } from '../../src/scan/rules.js';
import { negativeCases, positiveCases } from '../helpers/scan-cases.js';
import { githubToken, rng } from '../helpers/scan-tokens.js';

const positives = positiveCases();

describe('rules', () => {
  it('cover at least 250 credential types with unique ids, providers and severities', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(250);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(r.provider.length).toBeGreaterThan(0);
      expect(['critical', 'high', 'medium', 'low']).toContain(r.severity);
      expect(r.keywords.length).toBeGreaterThan(0);
      expect(r.pattern.flags).not.toContain('g');
    }
  });

  it('has a true example for every rule', () => {
    const covered = new Set(positives.map((c) => c.ruleId));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(positives.map((c, i) => [`${c.ruleId} #${i}`, c] as const))('finds %s', (_name, c) => {
    const { findings } = scanString(c.text, c.path ?? 'case.txt');
    expect(findings.map((f) => f.ruleId)).toEqual([c.ruleId]);
    const f = findings[0]!;
    expect(f.path).toBe(c.path ?? 'case.txt');
    expect(f.preview).not.toContain(c.secret);
    expect(f.preview.endsWith('********')).toBe(true);
  });

  it.each(negativeCases().map((c) => [c.name, c.text] as const))('does not report: %s', (_name, text) => {
    expect(scanString(text, 'case.txt').findings).toEqual([]);
  });

  it('reports exact 1-based line and column', () => {
    const t = githubToken(rng(3));
    const text = `first line\n  héllo = "${t}"\n`;
    const [f] = scanString(text, 'x.py').findings;
    expect(f).toMatchObject({ ruleId: 'github-pat', line: 2, column: 12, endLine: 2, endColumn: 12 + 40 });
  });

  it('reports a PEM key at its BEGIN line', () => {
    const c = positives.find((p) => p.ruleId === 'private-key' && p.text.startsWith('key'))!;
    const [f] = scanString(`a\n${c.text}`, 'k.py').findings;
    expect(f).toMatchObject({ ruleId: 'private-key', line: 3, column: 1 });
  });

  it('finds several secrets on one line and in one file, each once', () => {
    const n = rng(9);
    const a = githubToken(n);
    const b = githubToken(n, 'ghs_');
    const text = `x = ["${a}", "${b}"]\n\ny = "${a}"\n`;
    const found = scanString(text, 'm.py').findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`);
    expect(found).toEqual(['github-pat@1:7', 'github-app-server-token@1:51', 'github-pat@3:6']);
  });
});

describe('checksums', () => {
  it('our CRC32 equals zlib', () => {
    for (const s of ['', 'a', 'hello world', 'ass_a_0123456789abcdef']) expect(crc32(s)).toBe(zlibCrc32(s));
  });

  it('accepts credentials minted by the vault itself (src/core/credentials.ts)', () => {
    for (const kind of ['user', 'agent', 'token', 'pipeline'] as const) {
      const { secret } = generateCredential(kind);
      const { findings } = scanString(`ASS_TOKEN=${secret}`, '.env');
      expect(findings.map((f) => f.ruleId)).toEqual(['ass-credential']);
    }
  });

  it('validates the GitHub checksum over the 30 random characters', () => {
    const random = 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123';
    const token = `ghp_${random}${base62(crc32(random), 6)}`;
    expect(validPrefixedCrc62(token)).toBe(true);
    expect(validPrefixedCrc62(`ghp_${random}${base62(crc32(`ghp_${random}`), 6)}`)).toBe(false);
  });
});
