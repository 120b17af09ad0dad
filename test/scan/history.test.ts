/**
 * `ass scan --history` on real temporary repositories: each blob once, every ref, the commit that
 * introduced each finding, and whether HEAD still has it.
 */
import { describe, expect, it } from 'vitest';
import { runScan } from '../helpers/scan-cli.js';
import { TempRepo } from '../helpers/scan-git.js';
import { githubToken, npmToken, rng } from '../helpers/scan-tokens.js';

interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  column: number;
  commit?: { sha: string; subject: string };
  inHead?: boolean;
}
interface JsonReport {
  head?: string;
  findings: JsonFinding[];
  stats: { commits: number; files: number; bytes: number; skippedBinary: number; skippedLarge: number; excluded: number };
}

async function history(cwd: string, ...extra: string[]): Promise<{ code: number; report: JsonReport }> {
  const r = await runScan(['--history', '--format', 'json', ...extra], cwd);
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
}

const where = (f: JsonFinding) => `${f.path}:${f.line}:${f.ruleId}`;

describe('ass scan --history', () => {
  it('finds a key from a merged-then-deleted branch whose file was removed: history only; a key still in HEAD is not', async () => {
    const n = rng(401);
    const gone = githubToken(n);
    const kept = npmToken(n);
    const repo = new TempRepo();
    repo.write('README.md', '# app\n');
    repo.commit('init');
    repo.git('checkout', '-q', '-b', 'experiment');
    repo.write('scripts/deploy.sh', `#!/bin/sh\nexport GH_TOKEN=${gone}\n`);
    const added = repo.commit('deploy script');
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--no-ff', '--no-edit', 'experiment');
    repo.git('branch', '-q', '-D', 'experiment');
    repo.remove('scripts/deploy.sh');
    repo.commit('remove the deploy script');
    repo.write('.npmrc', `//registry.npmjs.org/:_authToken=${kept}\n`);
    const npmrc = repo.commit('npmrc');

    const { code, report } = await history(repo.dir);
    expect(code).toBe(1);
    expect(report.head).toBe(npmrc);
    expect(report.findings.map((f) => [where(f), f.commit?.sha, f.inHead])).toEqual([
      ['.npmrc:1:npm-token', npmrc, true],
      ['scripts/deploy.sh:2:github-pat', added, false],
    ]);
    const text = await runScan(['--history'], repo.dir);
    expect(text.stdout).toContain(
      `scripts/deploy.sh:2:17: critical github-pat: GitHub personal access token (classic) [ghp_********]\n    added in commit ${added.slice(0, 12)}`,
    );
    expect(text.stdout).toContain('    in history only: no longer in HEAD, but still in the repository; rotate it\n');
    expect(text.stdout).toContain('1 of these is no longer in HEAD. Deleting a secret from the current files does not remove it');
    // The tree scan sees only the key that is still there.
    expect(JSON.parse((await runScan(['--format', 'json'], repo.dir)).stdout).findings.map(where)).toEqual(['.npmrc:1:npm-token']);
  });

  it('scans a blob shared by many commits once, and reports its secret once, at the commit that added it', async () => {
    const n = rng(402);
    const secret = githubToken(n);
    const repo = new TempRepo();
    repo.write('config/prod.env', `API=1\nGITHUB_TOKEN=${secret}\n`);
    const first = repo.commit('config');
    for (let i = 0; i < 40; i++) {
      repo.write(`notes/${i % 4}.md`, `note ${i}\n`);
      repo.commit(`note ${i}`);
    }
    repo.git('checkout', '-q', '-b', 'other');
    repo.write('other.txt', 'x\n');
    repo.commit('other branch');
    const { report } = await history(repo.dir);
    const blobs = repo.reachableBlobs();
    // config/prod.env's one blob is in all 42 commits' trees; every blob is read once.
    expect(blobs.length).toBe(1 + 40 + 1);
    expect(report.stats.files).toBe(blobs.length);
    expect(report.stats.commits).toBe(42);
    expect(report.findings.map((f) => [where(f), f.commit?.sha, f.inHead])).toEqual([['config/prod.env:2:github-pat', first, true]]);
  });

  it('a secret that stays through edits and moves with a rename is reported once, where it first appeared', async () => {
    const n = rng(403);
    const secret = githubToken(n);
    const repo = new TempRepo();
    repo.write('app/settings.py', `DEBUG = False\nTOKEN = "${secret}"\n`);
    const first = repo.commit('settings');
    for (let i = 0; i < 5; i++) {
      repo.write('app/settings.py', `DEBUG = False\nTOKEN = "${secret}"\nVERSION = ${i}\n`);
      repo.commit(`bump ${i}`);
    }
    repo.git('mv', 'app', 'service');
    repo.commit('rename');
    repo.write('service/settings.py', `DEBUG = True\nTOKEN = "${secret}"\nVERSION = 9\n`);
    repo.commit('debug');
    const { report } = await history(repo.dir);
    // One blob per version: the first, five bumps, the last (the rename kept its blob).
    expect(report.stats.files).toBe(7);
    // Still in HEAD, at the new path: not history only.
    expect(report.findings.map((f) => [where(f), f.commit?.sha, f.inHead])).toEqual([['app/settings.py:2:github-pat', first, true]]);
  });

  it('other branches, tags, stashes and a tag on a bare blob are history too', async () => {
    const n = rng(404);
    const [onBranch, inStash, onTag] = [githubToken(n), npmToken(n), githubToken(n, 'gho_')];
    const repo = new TempRepo();
    repo.write('a.txt', 'a\n');
    repo.commit('init');
    repo.git('checkout', '-q', '-b', 'wip');
    repo.write('wip.env', `T=${onBranch}\n`);
    const wip = repo.commit('wip');
    repo.git('checkout', '-q', 'main');
    repo.write('a.txt', `a\nNPM=${inStash}\n`);
    repo.git('stash', '-q');
    repo.write('token.txt', `oauth ${onTag}\n`);
    const tagged = repo.git('hash-object', '-w', 'token.txt');
    repo.remove('token.txt');
    repo.git('tag', 'just-a-blob', tagged);
    const { report } = await history(repo.dir);
    expect(report.findings.map((f) => [where(f), f.commit?.sha === wip, f.inHead])).toEqual([
      [`(blob ${tagged.slice(0, 12)}):1:github-oauth-token`, false, false],
      ['a.txt:2:npm-token', false, false],
      ['wip.env:1:github-pat', true, false],
    ]);
    expect(report.findings.find((f) => f.path.startsWith('(blob'))?.commit).toBeUndefined();
    expect(report.findings.find((f) => f.path === 'a.txt')?.commit?.subject).toMatch(/^WIP on main: /);
  });

  it('reads a blob larger than a chunk in overlapping pieces, with the right line numbers', async () => {
    const n = rng(405);
    const a = githubToken(n);
    const b = npmToken(n);
    const repo = new TempRepo();
    const filler = 'lorem ipsum dolor sit amet\n'.repeat(400_000); // ~10.8 MB, more than one 8 MiB chunk
    repo.write('huge.log', `start ${a}\n${filler}end ${b}\n`);
    repo.commit('log');
    const { report } = await history(repo.dir);
    expect(report.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([
      ['github-pat', 1, 7],
      ['npm-token', 400_002, 5],
    ]);
    expect(report.stats.files).toBe(1);
  });

  it('applies --exclude, and an empty repository is nothing to scan', async () => {
    const n = rng(406);
    const repo = new TempRepo();
    expect((await history(repo.dir)).report.stats.commits).toBe(0);
    repo.write('test/fixtures/k.env', `T=${githubToken(n)}\n`);
    repo.write('src/k.env', `T=${githubToken(n)}\n`);
    repo.commit('two');
    const { report } = await history(repo.dir, '-e', 'fixtures/');
    expect(report.findings.map(where)).toEqual(['src/k.env:1:github-pat']);
    expect(report.stats.excluded).toBe(1);
  });
});
