import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { positiveCases } from '../helpers/scan-cases.js';
import { runScan } from '../helpers/scan-cli.js';
import { TempRepo, tempDir } from '../helpers/scan-git.js';
import { githubToken, npmToken, rng } from '../helpers/scan-tokens.js';

const run = runScan;

describe('ass scan: usage', () => {
  it.each([
    [['--format', 'xml'], /--format must be one of text, json, sarif, got "xml"/],
    [['--json', '--format', 'sarif'], /Give --json or --format, not both/],
    [['--bogus'], /Unknown option --bogus\.[\s\S]*ass scan --help/],
    [['--diff', 'main'], /--diff expects BASE\.\.HEAD \(for example --diff origin\/main\.\.HEAD\)/],
    [['--staged', '--stdin'], /Choose one of --diff, --commits, --history, --staged and --stdin/],
    [['--commits', 'main'], /--commits expects BASE\.\.HEAD \(for example --commits origin\/main\.\.HEAD\)/],
    [['--history', '--diff', 'a..b'], /Choose one of --diff, --commits, --history/],
    [['--history', 'a', 'b'], /Git modes take at most one PATH/],
    [['--workers', 'many'], /--workers must be a whole number/],
    [['--max-file-size', 'huge'], /--max-file-size must be a size like 10MB/],
    [['does-not-exist'], /No such file or directory: does-not-exist/],
  ])('%j exits 2 with a message saying what to fix', async (argv, message) => {
    const r = await run(argv, tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--help exits 0 and lists the modes', async () => {
    const r = await run(['--help'], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--diff BASE..HEAD');
    expect(r.stdout).toContain('--commits BASE..HEAD');
    expect(r.stdout).toContain('--history');
    expect(r.stdout).toContain('--staged');
  });

  it('--list-rules prints every rule id with provider and severity', async () => {
    const r = await run(['--list-rules'], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^github-pat\tGitHub\tcritical\t/m);
    expect(r.stdout).toMatch(/^ass-credential\tAgent Secret Store\tcritical\t/m);
  });
});

describe('ass scan: trees', () => {
  it('exits 0 on a clean tree and 1 with findings, paths relative to the scanned directory', async () => {
    const root = tempDir();
    const n = rng(11);
    const token = githubToken(n);
    mkdirSync(path.join(root, 'proj/src'), { recursive: true });
    writeFileSync(path.join(root, 'proj/src/clean.ts'), 'export const x = 1;\n');
    expect((await run(['proj'], root)).code).toBe(0);
    writeFileSync(path.join(root, 'proj/src/app.ts'), `// config\nconst t = "${token}";\n`);
    const r = await run(['proj'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/app.ts:2:12: critical github-pat:');
    expect(r.stdout).not.toContain('proj/src');
    expect(r.stdout).not.toContain(token);
  });

  it('skips .git/, node_modules/, binaries, excluded paths and files over the size cap', async () => {
    const root = tempDir();
    const n = rng(12);
    const t = () => `k = "${githubToken(n)}"\n`;
    for (const rel of ['.git/config', 'node_modules/x/index.js', 'fixtures/a.txt', 'src/a.test.ts', 'big.txt']) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), t() + (rel === 'big.txt' ? 'x'.repeat(3000) : ''));
    }
    writeFileSync(path.join(root, 'image.dat'), Buffer.concat([Buffer.from(t()), Buffer.from([0, 1, 2])]));
    writeFileSync(path.join(root, 'blob.txt'), Buffer.concat([Buffer.from([0]), Buffer.from(t())]));
    writeFileSync(path.join(root, 'kept.txt'), t());
    const r = await run(['--format', 'json', '-e', 'fixtures/', '-e', '*.test.ts', '--max-file-size', '2KB'], root);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { path: string }) => f.path)).toEqual(['kept.txt']);
    expect(json.stats).toMatchObject({ files: 1, skippedBinary: 2, skippedLarge: 1, excluded: 2 });
  });

  it('scans large files in chunks with correct line numbers', async () => {
    const root = tempDir();
    const n = rng(13);
    const a = githubToken(n);
    const b = npmToken(n);
    const filler = 'lorem ipsum dolor sit amet\n'.repeat(400_000); // ~10.8 MB, more than one 8 MiB chunk
    writeFileSync(path.join(root, 'huge.log'), `start ${a}\n${filler}end ${b}\n`);
    const r = await run(['--format', 'json'], root);
    const found = JSON.parse(r.stdout).findings.map((f: { ruleId: string; line: number; column: number }) => [f.ruleId, f.line, f.column]);
    expect(found).toEqual([
      ['github-pat', 1, 7],
      ['npm-token', 400_002, 5],
    ]);
  });

  it('reads stdin with - or --stdin', async () => {
    const token = githubToken(rng(14));
    const r = await run(['-'], tempDir(), `hello\ntoken: ${token}\n`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stdin:2:8: critical github-pat:');
    const named = await run(['--stdin', '--stdin-name', 'pasted.env', '--format', 'json'], tempDir(), `X=${token}`);
    expect(JSON.parse(named.stdout).findings[0].path).toBe('pasted.env');
    expect((await run(['--stdin'], tempDir(), 'nothing here')).code).toBe(0);
  });

  it('writes the report to --output', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'a.env'), `GH=${githubToken(rng(15))}\n`);
    const r = await run(['--format', 'sarif', '--output', 'out.sarif', 'a.env'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('1 finding; sarif report written to out.sarif.');
    const sarif = JSON.parse(readFileSync(path.join(root, 'out.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('a.env');
  });
});

describe('ass scan: baseline', () => {
  it('suppresses known findings even after their lines move, and still reports new ones', async () => {
    const root = tempDir();
    const n = rng(16);
    const old1 = githubToken(n);
    const old2 = npmToken(n);
    writeFileSync(path.join(root, 'conf.py'), `A = "${old1}"\nB = "${old2}"\n`);
    expect((await run(['--write-baseline', '.ass-baseline.json'], root)).code).toBe(0);
    const baseline = readFileSync(path.join(root, '.ass-baseline.json'), 'utf8');
    expect(baseline).not.toContain(old1);
    expect(baseline).not.toContain(old2);
    expect(JSON.parse(baseline).findings).toHaveLength(2);
    expect((await run(['--baseline', '.ass-baseline.json'], root)).code).toBe(0);

    // Lines move: new content above, order swapped, indentation changed.
    writeFileSync(path.join(root, 'conf.py'), `import os\n\n\nclass C:\n    B = "${old2}"\n    A = "${old1}"\n`);
    const moved = await run(['--baseline', '.ass-baseline.json'], root);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('2 baselined');

    // A different secret on the same line is not covered.
    const fresh = githubToken(n);
    writeFileSync(path.join(root, 'conf.py'), `import os\n\n\nclass C:\n    B = "${old2}"\n    A = "${fresh}"\n`);
    const r = await run(['--baseline', '.ass-baseline.json', '--format', 'json'], root);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { line: number }) => f.line)).toEqual([6]);
    expect(r.stderr).toContain('1 baseline entry is no longer found');
  });

  it('rejects a file that is not a baseline with the fix', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'b.json'), '{"hello": 1}');
    const r = await run(['--baseline', 'b.json'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('regenerate it with `ass scan --write-baseline b.json`');
  });
});

describe('ass scan: diffs', () => {
  it('--diff reports only lines added since the merge-base, at their new line numbers', async () => {
    const repo = new TempRepo();
    const n = rng(17);
    const oldSecret = githubToken(n);
    const newSecret = npmToken(n);
    const mainOnly = githubToken(n, 'ghs_');
    repo.write('app/config.js', `const a = 1;\nconst legacy = "${oldSecret}";\nconst b = 2;\n`);
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('app/config.js', `const a = 1;\nconst legacy = "${oldSecret}";\n// added\nconst npm = "${newSecret}";\nconst b = 2;\n`);
    repo.write('docs/notes.md', '++ not a header\n');
    repo.commit('feature');
    // main moves on with its own secret: not the PR's fault, must not show up.
    repo.git('checkout', '-q', 'main');
    repo.write('other.js', `const s = "${mainOnly}";\n`);
    repo.commit('main moves');
    repo.git('checkout', '-q', 'feature');

    const r = await run(['--diff', 'main..feature', '--format', 'json'], repo.dir);
    expect(r.code).toBe(1);
    const found = JSON.parse(r.stdout).findings.map(
      (f: { path: string; line: number; column: number; ruleId: string }) => `${f.path}:${f.line}:${f.column}:${f.ruleId}`,
    );
    expect(found).toEqual(['app/config.js:4:14:npm-token']);

    // Whole-tree mode sees the old secret too.
    const tree = await run(['--format', 'json'], repo.dir);
    expect(
      JSON.parse(tree.stdout)
        .findings.map((f: { ruleId: string }) => f.ruleId)
        .sort(),
    ).toEqual(['github-pat', 'npm-token']);

    // Same base and head: nothing to scan, not an error.
    expect((await run(['--diff', 'feature..feature'], repo.dir)).code).toBe(0);
  });

  it('--diff from a subdirectory reports paths relative to it', async () => {
    const repo = new TempRepo();
    repo.write('a.txt', 'x\n');
    const base = repo.commit('base');
    const token = githubToken(rng(18));
    repo.write('pkg/sub/s.env', `T=${token}\n`);
    repo.write('elsewhere.env', `T=${githubToken(rng(19))}\n`);
    repo.commit('add');
    const r = await run(['--diff', `${base}..HEAD`, '--format', 'json', 'pkg'], repo.dir);
    expect(JSON.parse(r.stdout).findings.map((f: { path: string }) => f.path)).toEqual(['sub/s.env']);
  });

  it('--staged scans what is about to be committed', async () => {
    const repo = new TempRepo();
    repo.write('a.txt', 'x\n');
    repo.commit('base');
    const token = githubToken(rng(20));
    repo.write('a.txt', `x\nGH=${token}\n`);
    expect((await run(['--staged'], repo.dir)).code).toBe(0);
    repo.git('add', 'a.txt');
    const r = await run(['--staged'], repo.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a.txt:2:4: critical github-pat');
  });

  it('explains fetch-depth when the base commit is missing', async () => {
    const repo = new TempRepo();
    repo.write('a.txt', 'x\n');
    repo.commit('base');
    const r = await run(['--diff', '0123456789abcdef0123456789abcdef01234567..HEAD'], repo.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('base commit "0123456789abcdef0123456789abcdef01234567" is not in this clone');
    expect(r.stderr).toContain('fetch-depth: 0');
  });
});

describe('ass scan: canaries', () => {
  it('no output format ever contains a planted secret', async () => {
    const root = tempDir();
    const cases = positiveCases(99);
    cases.forEach((c, i) => {
      const file = path.join(root, c.path ?? `case-${i}.txt`);
      writeFileSync(file, `# case ${i}\n${c.text}\n`);
    });
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'sarif']) {
      const r = await run(['--format', format], root);
      expect(r.code).toBe(1);
      outputs.push(r.stdout, r.stderr);
    }
    const json = JSON.parse((await run(['--format', 'json'], root)).stdout);
    expect(json.findings.length).toBe(cases.length);
    await run(['--write-baseline', 'base.json'], root);
    outputs.push(readFileSync(path.join(root, 'base.json'), 'utf8'));
    const all = outputs.join('\n');
    for (const c of cases) {
      const flat = c.secret.replace(/\\n|\s/g, '');
      expect(all).not.toContain(flat);
      // Not even a long piece of it: previews show at most 12 leading characters.
      expect(all).not.toContain(flat.slice(-12));
    }
  });
});
