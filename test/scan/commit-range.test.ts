/**
 * `ass scan --commits BASE..HEAD` (and what it shares with --diff) on real temporary repositories:
 * every commit of the range, merges, renames, attributes that try to hide a file, the size cap,
 * deduplication, ref errors and shallow clones, hostile commit metadata.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScan } from '../helpers/scan-cli.js';
import { TempRepo } from '../helpers/scan-git.js';
import { githubToken, npmToken, rng } from '../helpers/scan-tokens.js';

interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  column: number;
  fingerprint: string;
  commit?: { sha: string; author: string; date: string; subject: string };
  inHead?: boolean;
}
interface JsonReport {
  mode: string;
  head?: string;
  findings: JsonFinding[];
  stats: { commits: number; files: number; skippedBinary: number; skippedLarge: number; excluded: number; baselined: number };
  skipped: Array<{ path: string; bytes: number; commit?: string; blob?: string }>;
}

async function json(args: string[], cwd: string): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const r = await runScan([...args, '--format', 'json'], cwd);
  expect(r.stderr, r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

const where = (f: JsonFinding) => `${f.path}:${f.line}:${f.ruleId}`;

/** main: one commit; feature: what each test adds. */
function repoWithBase(): { repo: TempRepo; base: string } {
  const repo = new TempRepo();
  repo.write('README.md', '# app\n');
  const base = repo.commit('base');
  repo.git('checkout', '-q', '-b', 'feature');
  return { repo, base };
}

describe('ass scan --commits: every commit of the range', () => {
  it('finds a key added in one commit and removed in the next, at the commit that added it (--diff misses it)', async () => {
    const n = rng(301);
    const secret = githubToken(n);
    const { repo } = repoWithBase();
    repo.write('config.js', 'const a = 1;\n');
    repo.commit('config');
    repo.write('config.js', `const a = 1;\nconst token = "${secret}";\n`);
    const added = repo.commit('wire the API token', { name: 'Ada Lovelace', date: '2024-03-04T05:06:07+02:00' });
    repo.write('config.js', 'const a = 1;\nconst token = process.env.TOKEN;\n');
    repo.commit('read the token from the environment');

    const diff = await json(['--diff', 'main..feature'], repo.dir);
    expect(diff.code).toBe(0);
    expect(diff.report.findings).toEqual([]);

    const { code, report } = await json(['--commits', 'main..feature'], repo.dir);
    expect(code).toBe(1);
    expect(report.mode).toBe('commits');
    expect(report.head).toBe(repo.git('rev-parse', 'feature'));
    expect(report.stats.commits).toBe(3);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'github-pat',
      path: 'config.js',
      line: 2,
      column: 16,
      commit: { sha: added, author: 'Ada Lovelace', date: '2024-03-04T05:06:07+02:00', subject: 'wire the API token' },
      inHead: false,
    });

    const text = await runScan(['--commits', 'main..feature'], repo.dir);
    expect(text.stdout).toContain('config.js:2:16: critical github-pat:');
    expect(text.stdout).toContain(`    added in commit ${added.slice(0, 12)} (2024-03-04, Ada Lovelace): "wire the API token"\n`);
    expect(text.stdout).toContain('    removed by a later commit, but still in the branch history; rotate it\n');
    expect(text.stdout).toContain('1 secret found in 1 file (3 commits, 3 file changes,');
    expect(text.stdout).toContain('rewriting history does not reach those. Rotate it');
    expect(text.stdout).not.toContain(secret);
  });

  it('an empty range (base equal to head) is nothing to scan', async () => {
    const { repo } = repoWithBase();
    const r = await json(['--commits', 'feature..main'], repo.dir);
    expect(r.code).toBe(0);
    expect(r.report.stats.commits).toBe(0);
  });

  it('merges: a line new against every parent is the merge commit’s; what a parent brings is that parent’s commits’', async () => {
    const n = rng(302);
    const onMain = githubToken(n);
    const onTopic = npmToken(n);
    const inMerge = githubToken(n, 'ghs_');
    const { repo } = repoWithBase();
    repo.write('app.js', 'a\nb\nc\n');
    repo.commit('app');
    // main moves on with a key of its own: not this branch's to answer for.
    repo.git('checkout', '-q', 'main');
    repo.write('main.env', `TOKEN=${onMain}\n`);
    repo.commit('main adds a key');
    // A topic branch off feature, merged back with --no-ff.
    repo.git('checkout', '-q', 'feature');
    repo.git('checkout', '-q', '-b', 'topic');
    repo.write('topic.npmrc', `//registry.npmjs.org/:_authToken=${onTopic}\n`);
    const topicCommit = repo.commit('topic adds a key');
    repo.git('checkout', '-q', 'feature');
    repo.git('merge', '-q', '--no-ff', '--no-edit', 'topic');
    // Merge main in, and add a line in the merge itself (an "evil merge").
    repo.git('merge', '-q', '--no-commit', 'main');
    repo.write('app.js', `a\nb\nconst x = "${inMerge}";\nc\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-edit');
    const merge = repo.git('rev-parse', 'HEAD');

    const { report } = await json(['--commits', 'main..feature'], repo.dir);
    expect(report.findings.map((f) => [where(f), f.commit?.sha])).toEqual([
      ['app.js:3:github-app-server-token', merge],
      ['topic.npmrc:1:npm-token', topicCommit],
    ]);
    // Whole history, for contrast: main's key is there too.
    expect((await json(['--history'], repo.dir)).report.findings.map(where)).toContain('main.env:1:github-pat');
  });

  it('renames: a moved file is not reported again, an edited or copied line is judged by its content', async () => {
    const n = rng(303);
    const secret = githubToken(n);
    const { repo } = repoWithBase();
    repo.write('old/settings.py', `A = 1\nTOKEN = "${secret}"\nB = 2\n`);
    const added = repo.commit('settings');
    repo.git('mv', 'old', 'new');
    repo.commit('move settings');
    repo.write('new/settings.py', `A = 1\nTOKEN = "${secret}"\nB = 3\n`);
    repo.commit('edit another line');
    const { report } = await json(['--commits', 'main..feature'], repo.dir);
    // Reported where it was added; still in the head, at the new path.
    expect(report.findings.map((f) => [where(f), f.commit?.sha, f.inHead])).toEqual([['old/settings.py:2:github-pat', added, true]]);
    // Moved and then removed: no longer in the head.
    repo.write('new/settings.py', 'A = 1\nB = 3\n');
    repo.commit('remove');
    expect((await json(['--commits', 'main..feature'], repo.dir)).report.findings[0]?.inHead).toBe(false);
  });

  it('the same secret at the same path added again (line edited, removed and restored) is reported once, at the earliest commit', async () => {
    const n = rng(304);
    const secret = githubToken(n);
    const { repo } = repoWithBase();
    repo.write('a.sh', `export T=${secret}\n`);
    const first = repo.commit('add');
    repo.write('a.sh', `export T=${secret} # for CI\n`);
    repo.commit('comment');
    repo.write('a.sh', 'export T=\n');
    repo.commit('remove');
    repo.write('a.sh', `export T=${secret}\n`);
    repo.commit('restore');
    const { report } = await json(['--commits', 'main..feature'], repo.dir);
    expect(report.findings.map((f) => [where(f), f.commit?.sha, f.inHead])).toEqual([['a.sh:1:github-pat', first, true]]);
  });

  it('a .gitattributes -diff or binary entry hides nothing; NUL bytes and image extensions are skipped like the file scanner skips them', async () => {
    const n = rng(305);
    const hidden = githubToken(n);
    const binaryAttr = npmToken(n);
    const { repo } = repoWithBase();
    repo.write('.gitattributes', 'secrets.env -diff\nkeys.txt binary\n');
    repo.write('secrets.env', `A=1\nGITHUB_TOKEN=${hidden}\n`);
    repo.write('keys.txt', `npm=${binaryAttr}\r\nmore\r\n`);
    repo.write('blob.txt', Buffer.concat([Buffer.from([0, 1, 2, 10]), Buffer.from(`T=${githubToken(n)}\n`)]));
    repo.write('logo.png', `T=${githubToken(n)}\n`);
    repo.commit('attributes');
    // git itself treats them as binary.
    expect(repo.git('diff', '--numstat', 'main', 'feature', '--', 'secrets.env')).toBe('-\t-\tsecrets.env');

    for (const mode of [['--diff', 'main..feature'], ['--commits', 'main..feature'], ['--history']]) {
      const { report } = await json(mode, repo.dir);
      expect(report.findings.map(where), mode.join(' ')).toEqual(['keys.txt:1:npm-token', 'secrets.env:2:github-pat']);
      expect(report.stats.skippedBinary, mode.join(' ')).toBe(2);
    }
  });

  it('the size cap applies in diff, commits and history modes, and what it skipped is listed, never a bare "no secrets"', async () => {
    const n = rng(306);
    const { repo } = repoWithBase();
    repo.write('big.txt', `T=${githubToken(n)}\n${'filler line\n'.repeat(300)}`);
    const commit = repo.commit('big file');
    const size = Number(repo.git('cat-file', '-s', 'HEAD:big.txt'));

    for (const mode of [['--diff', 'main..feature'], ['--commits', 'main..feature'], ['--history']]) {
      const label = mode.join(' ');
      const { code, report } = await json([...mode, '--max-file-size', '2KB'], repo.dir);
      expect(code, label).toBe(0);
      expect(report.findings, label).toEqual([]);
      expect(report.stats.skippedLarge, label).toBe(1);
      expect(report.skipped, label).toEqual([
        mode[0] === '--history'
          ? { path: 'big.txt', bytes: size, blob: repo.git('rev-parse', 'HEAD:big.txt') }
          : { path: 'big.txt', bytes: size, ...(mode[0] === '--commits' ? { commit } : {}) },
      ]);
      const text = await runScan([...mode, '--max-file-size', '2KB'], repo.dir);
      expect(text.stdout, label).toContain('No secrets found in what was scanned');
      expect(text.stdout, label).toContain('1 file was NOT scanned, over the size cap (--max-file-size):\n  big.txt (3.6 kB');
      expect(text.stdout, label).not.toContain('No secrets found (');
      const sarif = JSON.parse((await runScan([...mode, '--max-file-size', '2KB', '--format', 'sarif'], repo.dir)).stdout);
      expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text, label).toMatch(
        /^Not scanned: big\.txt is over the size cap/,
      );
      // Under the cap it is scanned.
      expect((await json(mode, repo.dir)).report.findings.map(where), label).toEqual(['big.txt:1:github-pat']);
    }
  });

  it('paths are relative to a subdirectory given as PATH, and only its files are scanned', async () => {
    const n = rng(307);
    const { repo } = repoWithBase();
    repo.write('pkg/sub/s.env', `T=${githubToken(n)}\n`);
    repo.write('elsewhere.env', `T=${githubToken(n)}\n`);
    repo.commit('two');
    const { report } = await json(['--commits', 'main..feature', 'pkg'], repo.dir);
    expect(report.findings.map((f) => [where(f), f.inHead])).toEqual([['sub/s.env:1:github-pat', true]]);
    expect((await json(['--history', 'pkg'], repo.dir)).report.findings.map(where)).toEqual(['sub/s.env:1:github-pat']);
  });

  it('keeps finding identities: the fingerprint of a tree scan, and a tree scan’s baseline applies', async () => {
    const n = rng(308);
    const known = githubToken(n);
    const fresh = npmToken(n);
    const { repo } = repoWithBase();
    repo.write('conf/app.env', `OLD=${known}\n`);
    repo.commit('known key');
    const tree = await json([], repo.dir);
    const commits = await json(['--commits', 'main..feature'], repo.dir);
    expect(commits.report.findings.map((f) => f.fingerprint)).toEqual(tree.report.findings.map((f) => f.fingerprint));
    expect((await json(['--history'], repo.dir)).report.findings.map((f) => f.fingerprint)).toEqual(
      tree.report.findings.map((f) => f.fingerprint),
    );

    expect((await runScan(['--write-baseline', '.baseline.json'], repo.dir)).code).toBe(0);
    repo.write('conf/app.env', `OLD=${known}\nNEW=${fresh}\n`);
    repo.commit('new key');
    const r = await json(['--commits', 'main..feature', '--baseline', '.baseline.json'], repo.dir);
    expect(r.report.findings.map(where)).toEqual(['conf/app.env:2:npm-token']);
    expect(r.report.stats.baselined).toBe(1);
    const h = await json(['--history', '--baseline', '.baseline.json'], repo.dir);
    expect(h.report.findings.map(where)).toEqual(['conf/app.env:2:npm-token']);
  });
});

describe('ass scan --commits --format sarif', () => {
  it('names the scanned revision and the origin without its credentials in versionControlProvenance, the commit in properties', async () => {
    const n = rng(312);
    const { repo } = repoWithBase();
    repo.git('remote', 'add', 'origin', 'https://x-access-token:ghs_notarealtokenbutsecret0000000000@github.example/octo/app.git');
    repo.write('k.env', `T=${githubToken(n)}\n`);
    const added = repo.commit('key');
    const r = await runScan(['--commits', 'main..feature', '--format', 'sarif'], repo.dir);
    expect(r.stdout).not.toContain('notarealtoken');
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.example/octo/app.git', revisionId: added, mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    expect(run.results[0].properties).toMatchObject({ commitSha: added, commitAuthor: 'Test', commitSubject: 'key', inHead: true });
    expect(run.results[0].message.text).toMatch(
      new RegExp(`^GitHub personal access token \\(classic\\): ghp_\\*{8}, added in commit ${added.slice(0, 12)} \\(`),
    );
    // git@host:path remotes become ssh:// URLs; anything else is left out.
    repo.git('remote', 'set-url', 'origin', 'git@github.example:octo/app.git');
    const ssh = JSON.parse((await runScan(['--commits', 'main..feature', '--format', 'sarif'], repo.dir)).stdout).runs[0];
    expect(ssh.versionControlProvenance[0].repositoryUri).toBe('ssh://github.example/octo/app.git');
    repo.git('remote', 'set-url', 'origin', '/some/local/path');
    const local = JSON.parse((await runScan(['--commits', 'main..feature', '--format', 'sarif'], repo.dir)).stdout).runs[0];
    expect(local.versionControlProvenance).toBeUndefined();
  });
});

describe('ass scan --commits: refs that do not resolve', () => {
  it.each([
    ['nope..main', 'base "nope" is not a branch, tag or commit in this repository'],
    ['main..nope', 'head "nope" is not a branch, tag or commit in this repository'],
    [
      '0123456789abcdef0123456789abcdef01234567..main',
      'base commit "0123456789abcdef0123456789abcdef01234567" is not in this clone (which has full history); check the id, or fetch it',
    ],
  ])('%s exits 2 naming the bad ref, without blaming a shallow clone', async (range, message) => {
    const { repo } = repoWithBase();
    for (const mode of ['--commits', '--diff']) {
      const r = await runScan([mode, range], repo.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain('shallow');
      expect(r.stdout).toBe('');
    }
  });

  it('a ref to a file is not a commit', async () => {
    const { repo } = repoWithBase();
    const blob = repo.git('rev-parse', 'HEAD:README.md');
    const r = await runScan(['--commits', `${blob}..main`], repo.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`base "${blob}" is a blob, not a commit`);
  });

  it('outside a repository, says so', async () => {
    const { tempDir } = await import('../helpers/scan-git.js');
    const r = await runScan(['--commits', 'a..b'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not inside a git repository');
  });
});

describe('ass scan --commits in a shallow clone', () => {
  function history(): { origin: TempRepo; base: string; secretCommit: string; secret: string } {
    const n = rng(309);
    const secret = githubToken(n);
    const { repo: origin, base } = repoWithBase();
    origin.write('a.txt', '1\n');
    origin.commit('one');
    origin.write('b.env', `T=${secret}\n`);
    const secretCommit = origin.commit('two');
    origin.write('c.txt', '3\n');
    origin.commit('three');
    return { origin, base, secretCommit, secret };
  }

  it('a base the clone does not have gets the fetch-depth advice', async () => {
    const { origin, base } = history();
    const clone = origin.clone('--depth', '1', '--branch', 'feature');
    expect(clone.git('rev-parse', '--is-shallow-repository')).toBe('true');
    for (const mode of ['--commits', '--diff']) {
      const r = await runScan([mode, `${base}..HEAD`], clone.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`base "${base}" is not in this clone, which is shallow`);
      expect(r.stderr).toContain('actions/checkout with `fetch-depth: 0`');
    }
  });

  it('a range that reaches past the clone’s oldest commit is refused with the same advice; one within it is scanned', async () => {
    const { origin, secretCommit } = history();
    const clone = origin.clone('--depth', '2', '--branch', 'feature');
    // Within the fetched depth: fine.
    const ok = await json(['--commits', 'HEAD~1..HEAD'], clone.dir);
    expect(ok.code).toBe(0);
    expect(ok.report.stats.commits).toBe(1);
    // From a commit that is not an ancestor, the range runs into the cut.
    clone.git('checkout', '-q', '--orphan', 'unrelated');
    clone.write('x.txt', 'x\n');
    clone.commit('unrelated');
    const r = await runScan(['--commits', 'unrelated..feature'], clone.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the clone is shallow and the commits of unrelated..feature reach past its oldest fetched commit');
    expect(r.stderr).toContain('fetch-depth: 0');
    expect(secretCommit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('--history refuses a shallow clone: it would miss every commit it lacks', async () => {
    const { origin } = history();
    const clone = origin.clone('--depth', '1');
    const r = await runScan(['--history'], clone.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('this clone is shallow: a history scan would miss every commit it lacks');
    expect(r.stderr).toContain('git fetch --unshallow');
  });
});

describe('commit metadata is data, never terminal control', () => {
  it('author names and subjects with escapes, workflow commands and line breaks are cleaned in every format', async () => {
    const n = rng(310);
    const secret = githubToken(n);
    const { repo } = repoWithBase();
    repo.write('x.env', `T=${secret}\n`);
    const evilName = 'Mallory \x1b[2J\x1b]8;;https://evil.example\x07link\x1b]8;;\x07 ::error::pwned \u202eevil';
    repo.commitRaw(
      `${evilName}\r\n::warning::forged <m@example.invalid> 1700000000 +0000`,
      `fix \x1b[31mred\x1b[0m\r::error file=x::boom \u009b2J\u2066\n\nbody\n::error::in body\n`,
    );
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'sarif']) {
      for (const mode of [['--commits', 'main..feature'], ['--history']]) {
        const r = await runScan([...mode, '--format', format], repo.dir);
        expect(r.code).toBe(1);
        outputs.push(r.stdout, r.stderr);
      }
    }
    const all = outputs.join('\n');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(all).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    for (const line of all.split('\n')) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(all).not.toContain(secret);
    const report = JSON.parse(outputs[4]!) as JsonReport;
    const commit = report.findings[0]!.commit!;
    expect(commit.author.startsWith('Mallory ?[2J?]8;;https://evil.example?link?]8;;? ::error::pwned ?evil?')).toBe(true);
    expect(commit.subject).toBe('fix ?[31mred?[0m?::error file=x::boom ?2J?');
    expect(commit.date).toBe('');
  });
});

describe('the built CLI bundle', () => {
  it('scans commits and history on worker threads and finds what one thread finds', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const run = promisify(execFile);
    const bundle = path.join(process.env.ASS_TEST_DIST ?? path.resolve(import.meta.dirname, '../../dist'), 'cli/index.js');
    const n = rng(311);
    const { repo } = repoWithBase();
    const planted: string[] = [];
    // 100 kB per file, each different: 3 MB of commits and of blobs, enough for workers.
    const filler = (i: number) => `${String(i).padStart(3, '0')}${'x'.repeat(96)}\n`.repeat(1000);
    for (let i = 0; i < 30; i++) {
      const secret = i % 10 === 3 ? githubToken(n) : undefined;
      repo.write(`f${i}.txt`, `${filler(i)}${secret ? `T=${secret}\n` : ''}`);
      repo.commit(`file ${i}`);
      if (secret) planted.push(`f${i}.txt:1001:github-pat`);
    }
    repo.write('f13.txt', filler(13));
    repo.commit('remove one');
    for (const mode of [['--commits', 'main..feature'], ['--history']]) {
      const results: string[][] = [];
      for (const workers of ['2', '1']) {
        const r = await run(process.execPath, [bundle, 'scan', ...mode, '--workers', workers, '--format', 'json'], { cwd: repo.dir }).catch(
          (e: { stdout: string; stderr: string; code: number }) => e,
        );
        expect(r.stderr).toBe(workers === '2' ? 'Scanning on 2 worker threads.\n' : '');
        const report = JSON.parse(r.stdout) as JsonReport;
        results.push(report.findings.map((f) => `${where(f)}:${f.inHead}`));
      }
      expect(results[0]).toEqual(planted.map((p) => `${p}:${p !== 'f13.txt:1001:github-pat'}`).sort());
      expect(results[1]).toEqual(results[0]);
    }
    expect(readFileSync(path.join(repo.dir, 'f3.txt'), 'utf8')).toContain('T=ghp_');
  });
});
