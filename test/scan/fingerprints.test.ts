/**
 * Fingerprints must not let anyone who reads a report or a baseline test guesses of a secret
 * cheaply: no output holds a fast unsalted hash of it. Baselines are salted and keyed with scrypt;
 * SARIF/JSON fingerprints come from non-secret data only. Both keep their jobs: baselines survive
 * line moves and never cover a different secret; report fingerprints are stable across runs.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASELINE_KDF, baselineKey, newBaselineSalt } from '../../src/scan/fingerprint.js';
import { scanString } from '../../src/scan/index.js';
import { positiveCases } from '../helpers/scan-cases.js';
import { runScan } from '../helpers/scan-cli.js';
import { tempDir } from '../helpers/scan-git.js';
import { githubToken, npmToken, rng } from '../helpers/scan-tokens.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Every ordered, non-empty combination of the parts, joined by each separator old code could have used. */
function fastHashes(ruleId: string, file: string, secret: string): Set<string> {
  const flat = secret.replace(/\\n|\s+/g, '');
  const out = new Set<string>();
  for (const s of [secret, flat]) {
    const parts = [ruleId, file, s];
    const orders: string[][] = [];
    const permute = (rest: string[], acc: string[]) => {
      if (acc.length > 0) orders.push(acc);
      for (const [i, p] of rest.entries()) permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, p]);
    };
    permute(parts, []);
    for (const order of orders) {
      if (!order.includes(s)) continue;
      for (const sep of ['\0', '', ':', '\n', '|', '/']) out.add(sha256(order.join(sep)));
    }
  }
  return out;
}

/** Every run of 64 hex digits in a text (sha256-sized values). */
function hexValues(text: string): string[] {
  return [...text.matchAll(/[a-fA-F0-9]{64}/g)].map((m) => m[0].toLowerCase());
}

function jsonFindings(stdout: string): Array<{ path: string; line: number; ruleId: string; fingerprint: string }> {
  return JSON.parse(stdout).findings;
}

function sarifFingerprints(stdout: string): Array<Record<string, string>> {
  return JSON.parse(stdout).runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints);
}

describe('scan fingerprints: nothing to guess offline', () => {
  it('SARIF, JSON and baseline hold no sha256 of any combination of rule, path and secret', async () => {
    const root = tempDir();
    const cases = positiveCases(77);
    const files = cases.map((c, i) => c.path ?? `case-${i}.txt`);
    for (const [i, c] of cases.entries()) writeFileSync(path.join(root, files[i]!), `# case ${i}\n${c.text}\n`);
    const json = await runScan(['--format', 'json'], root);
    const sarif = await runScan(['--format', 'sarif'], root);
    expect((await runScan(['--write-baseline', 'base.json'], root)).code).toBe(0);
    const baseline = readFileSync(path.join(root, 'base.json'), 'utf8');
    expect(jsonFindings(json.stdout)).toHaveLength(cases.length);

    const published = new Set([...hexValues(json.stdout), ...hexValues(sarif.stdout), ...hexValues(baseline)]);
    expect(published.size).toBeGreaterThanOrEqual(cases.length * 2);
    for (const [i, c] of cases.entries()) {
      for (const h of fastHashes(c.ruleId, files[i]!, c.secret)) expect(published.has(h), `case ${i} (${c.ruleId})`).toBe(false);
    }
  });

  it('SARIF sets primaryLocationLineHash itself, so upload-sarif does not hash the line holding the secret', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'a.env'), `GH=${githubToken(rng(31))}\n`);
    const [fp] = sarifFingerprints((await runScan(['--format', 'sarif'], root)).stdout);
    expect(fp).toEqual({ 'assFinding/v2': expect.stringMatching(/^[a-f0-9]{64}$/), primaryLocationLineHash: fp!['assFinding/v2'] });
  });

  it('report fingerprints are stable across runs and line moves and distinct for two secrets of one rule in a file', async () => {
    const root = tempDir();
    const n = rng(32);
    const a = githubToken(n);
    const b = githubToken(n);
    writeFileSync(path.join(root, 'conf.py'), `A = "${a}"\nB = "${b}"\nN = "${npmToken(n)}"\n`);
    const first = jsonFindings((await runScan(['--format', 'json'], root)).stdout).map((f) => f.fingerprint);
    const again = jsonFindings((await runScan(['--format', 'json'], root)).stdout).map((f) => f.fingerprint);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(3);
    const sarif = sarifFingerprints((await runScan(['--format', 'sarif'], root)).stdout).map((p) => p['assFinding/v2']);
    expect(sarif).toEqual(first);

    writeFileSync(path.join(root, 'conf.py'), `import os\n\n\nclass C:\n    A = "${a}"\n    B = "${b}"\n    N = "${npmToken(rng(32))}"\n`);
    const moved = jsonFindings((await runScan(['--format', 'json'], root)).stdout);
    expect(moved.map((f) => f.line)).toEqual([5, 6, 7]);
    expect(moved.map((f) => f.fingerprint)).toEqual(first);
  });
});

describe('scan baselines: salted, slow, and still doing their job', () => {
  it('two baselines of the same tree have different salts and keys, and both suppress every finding', async () => {
    const root = tempDir();
    const n = rng(33);
    writeFileSync(path.join(root, 'conf.py'), `A = "${githubToken(n)}"\nB = "${npmToken(n)}"\n`);
    await runScan(['--write-baseline', 'one.json'], root);
    await runScan(['--write-baseline', 'two.json'], root);
    const one = JSON.parse(readFileSync(path.join(root, 'one.json'), 'utf8'));
    const two = JSON.parse(readFileSync(path.join(root, 'two.json'), 'utf8'));
    for (const b of [one, two]) {
      expect(b).toMatchObject({ version: 2, kdf: 'scrypt:N=1024,r=4,p=1', salt: expect.stringMatching(/^[a-f0-9]{32}$/) });
      expect(b.findings).toHaveLength(2);
    }
    expect(one.salt).not.toBe(two.salt);
    const keys = (b: { findings: Array<{ fingerprint: string }> }) => b.findings.map((e) => e.fingerprint);
    expect(keys(one).filter((k: string) => keys(two).includes(k))).toEqual([]);
    for (const file of ['one.json', 'two.json']) {
      const r = await runScan(['--baseline', file], root);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('2 baselined');
    }
  });

  it('survives a line move, does not cover a different secret in the same place, and reports unused entries', async () => {
    const root = tempDir();
    const n = rng(34);
    const old1 = githubToken(n);
    const old2 = npmToken(n);
    writeFileSync(path.join(root, 'conf.py'), `A = "${old1}"\nB = "${old2}"\n`);
    await runScan(['--write-baseline', 'b.json'], root);
    writeFileSync(path.join(root, 'conf.py'), `# moved\n\n  B = "${old2}"\n  A = "${old1}"\n`);
    const moved = await runScan(['--baseline', 'b.json'], root);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('2 baselined');
    expect(moved.stderr).not.toContain('no longer found');

    const fresh = githubToken(n);
    writeFileSync(path.join(root, 'conf.py'), `# moved\n\n  B = "${old2}"\n  A = "${fresh}"\n`);
    const r = await runScan(['--baseline', 'b.json', '--format', 'json'], root);
    expect(r.code).toBe(1);
    expect(jsonFindings(r.stdout).map((f) => [f.line, f.ruleId])).toEqual([[4, 'github-pat']]);
    expect(r.stderr).toContain('1 baseline entry is no longer found');
  });

  it('refuses an old-format (version 1, unsalted sha256) baseline with the regeneration command', async () => {
    const root = tempDir();
    const token = githubToken(rng(35));
    writeFileSync(path.join(root, 'a.env'), `GH=${token}\n`);
    const v1 = { version: 1, findings: [{ fingerprint: sha256(`github-pat\0a.env\0${token}`), ruleId: 'github-pat', path: 'a.env' }] };
    writeFileSync(path.join(root, 'old.json'), JSON.stringify(v1));
    const r = await runScan(['--baseline', 'old.json'], root);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('baseline file old.json has the old version 1 format');
    expect(r.stderr).toContain('regenerate it with `ass scan --write-baseline old.json`');
  });

  it('refuses a baseline whose salt or KDF was tampered with', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'a.env'), `GH=${githubToken(rng(36))}\n`);
    await runScan(['--write-baseline', 'b.json'], root);
    const good = JSON.parse(readFileSync(path.join(root, 'b.json'), 'utf8'));
    for (const bad of [
      { ...good, kdf: 'scrypt:N=2,r=1,p=1' },
      { ...good, salt: '' },
      { ...good, salt: undefined },
    ]) {
      writeFileSync(path.join(root, 'bad.json'), JSON.stringify(bad));
      const r = await runScan(['--baseline', 'bad.json'], root);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('regenerate it with `ass scan --write-baseline bad.json`');
    }
  });

  it('baseline keys are scrypt over salt, rule, path and secret, one per finding, only with a salt', () => {
    const salt = newBaselineSalt();
    const token = githubToken(rng(37));
    const k = baselineKey(salt, 'github-pat', 'a.env', token);
    expect(k).toMatch(/^[a-f0-9]{64}$/);
    expect(baselineKey(salt, 'github-pat', 'a.env', token)).toBe(k);
    expect(baselineKey(newBaselineSalt(), 'github-pat', 'a.env', token)).not.toBe(k);
    expect(baselineKey(salt, 'github-pat', 'b.env', token)).not.toBe(k);
    expect(baselineKey(salt, 'npm-token', 'a.env', token)).not.toBe(k);
    expect(BASELINE_KDF).toMatchObject({ name: 'scrypt', N: 1024, r: 4, p: 1 });

    const next = rng(38);
    const text = Array.from({ length: 50 }, () => `T=${githubToken(next)}`).join('\n');
    const plain = scanString(text, 'x.env');
    const keyed = scanString(text, 'x.env', { baselineSalt: salt });
    expect(keyed.findings).toHaveLength(50);
    expect(keyed.findings.every((f) => /^[a-f0-9]{64}$/.test(f.baselineKey ?? ''))).toBe(true);
    expect(new Set(keyed.findings.map((f) => f.baselineKey)).size).toBe(50);
    expect(plain.findings.every((f) => f.baselineKey === undefined)).toBe(true);
  });
});
