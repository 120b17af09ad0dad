import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionEnv, readOutputs, runBundle, runBundleAsync, runnerFiles, SCAN_BUNDLE } from '../../helpers/scan-action.js';
import { runScan } from '../../helpers/scan-cli.js';
import { TempRepo, tempDir } from '../../helpers/scan-git.js';
import { githubToken, npmToken, rng } from '../../helpers/scan-tokens.js';

const n = rng(2024);
const OLD_SECRET = githubToken(n);
const NEW_SECRET = npmToken(n);
const WEIRD_SECRET = githubToken(n, 'ghs_');

let repo: TempRepo;
let base: string;
let head: string;

beforeAll(() => {
  expect(existsSync(SCAN_BUNDLE), 'dist/actions/scan.js missing: run npm run build').toBe(true);
  repo = new TempRepo();
  repo.write('src/app.ts', `export const a = 1;\nexport const legacy = "${OLD_SECRET}";\n`);
  base = repo.commit('base');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write('src/app.ts', `export const a = 1;\nexport const legacy = "${OLD_SECRET}";\n// new\nconst npm = "${NEW_SECRET}";\n`);
  repo.write('cfg/we|ird<b>.env', `TOKEN=${WEIRD_SECRET}\n`);
  head = repo.commit('feature');
});

function prEvent(b = base, h = head) {
  return { pull_request: { number: 7, base: { sha: b }, head: { sha: h } } };
}

function assertNoSecrets(...texts: string[]) {
  for (const t of texts) for (const s of [OLD_SECRET, NEW_SECRET, WEIRD_SECRET]) expect(t).not.toContain(s);
}

describe('the scan action (dist/actions/scan.js) as the runner runs it', () => {
  it('on pull_request: annotates the lines its commits add, writes outputs, summary and SARIF, and fails', () => {
    const files = runnerFiles(prEvent());
    const r = runBundle(actionEnv(files, repo.dir, 'pull_request', { 'fail-on-findings': 'true' }));
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(3); // two findings + the failure message
    const sha = head.slice(0, 12);
    expect(errors[0]).toMatch(
      new RegExp(
        `^::error title=Hardcoded secret \\(github-app-server-token\\) added in ${sha},file=cfg/we\\|ird<b>\\.env,line=1,endLine=1,col=7,endColumn=47::GitHub App installation`,
      ),
    );
    expect(errors[1]).toMatch(
      new RegExp(
        `^::error title=Hardcoded secret \\(npm-token\\) added in ${sha},file=src/app\\.ts,line=4,endLine=4,col=14,endColumn=54::npm access token \\(npm-token, critical\\): npm_\\*{8}\\. Added in commit ${sha} \\(\\d{4}-\\d\\d-\\d\\d, Test\\): "feature"\\. Remove it, rotate it, and load it at run time\\.$`,
      ),
    );
    expect(errors[2]).toBe('::error::2 possible secrets found; see the annotations and the job summary.');

    const outputs = readOutputs(files.output);
    expect(outputs['findings-count']).toBe('2');
    expect(outputs.mode).toBe('commits');
    expect(outputs['sarif-file']).toBe(path.join(files.dir, 'ass-scan.sarif'));

    const sarif = JSON.parse(readFileSync(outputs['sarif-file']!, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.name).toBe('ass-scan');
    expect(
      sarif.runs[0].results.map(
        (x: {
          ruleId: string;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
        }) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine],
      ),
    ).toEqual([
      ['github-app-server-token', 'cfg/we%7Cird%3Cb%3E.env', 1],
      ['npm-token', 'src/app.ts', 4],
    ]);
    const fp = sarif.runs[0].results[1].partialFingerprints;
    expect(fp['assFinding/v2']).toMatch(/^[a-f0-9]{64}$/);
    expect(fp.primaryLocationLineHash).toBe(fp['assFinding/v2']);
    expect(sarif.runs[0].results[1].properties).toMatchObject({
      commitSha: head,
      commitAuthor: 'Test',
      commitSubject: 'feature',
      inHead: true,
    });
    expect(sarif.runs[0].versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/octo/app', revisionId: head, mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);

    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('2 possible secrets in the 1 commit of this pull request.');
    expect(summary).toContain(
      `| cfg/we&#124;ird&#60;b&#62;.env | 1 | github-app-server-token | critical | <code>ghs&#95;${'&#42;'.repeat(8)}</code> | <code>${sha}</code> `,
    );
    expect(summary).toContain(`| src/app.ts | 4 | npm-token | critical | <code>npm&#95;${'&#42;'.repeat(8)}</code> | <code>${sha}</code> `);
    assertNoSecrets(r.stdout, r.stderr, readFileSync(files.output, 'utf8'), summary, JSON.stringify(sarif));
  });

  it('posts the PR comment through the octokit chunk it loads only then (GitHub API stood in for on loopback)', async () => {
    const requests: { method: string; url: string; authorization: string; body: string }[] = [];
    const api = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? '', body });
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET') res.end(JSON.stringify([{ id: 101, body: 'LGTM' }]));
        else res.writeHead(201).end(JSON.stringify({ id: 102 }));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', () => resolve()));
    try {
      const files = runnerFiles(prEvent());
      const env = actionEnv(files, repo.dir, 'pull_request', {
        comment: 'true',
        'github-token': 'ghs_bundletestfaketoken0000000000000000',
        'fail-on-findings': 'false',
      });
      env.GITHUB_API_URL = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
      const r = await runBundleAsync(env);
      expect(r.stderr).toBe('');
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toContain('Commented on pull request #7.');
      expect(requests.map((q) => `${q.method} ${q.url}`)).toEqual([
        'GET /repos/octo/app/issues/7/comments?per_page=100',
        'POST /repos/octo/app/issues/7/comments',
      ]);
      expect(requests[1]?.authorization).toBe('token ghs_bundletestfaketoken0000000000000000');
      const comment = (JSON.parse(requests[1]?.body ?? '{}') as { body: string }).body;
      expect(comment).toContain('<!-- ass-scan:pr-comment -->');
      expect(comment).toContain('| cfg/we&#124;ird&#60;b&#62;.env | 1 | github-app-server-token |');
      expect(comment).toContain('2 possible secrets in the 1 commit of this pull request.');
      assertNoSecrets(comment, r.stdout);
    } finally {
      api.close();
    }
  });

  it('fail-on-findings: false reports but passes', () => {
    const files = runnerFiles(prEvent());
    const r = runBundle(actionEnv(files, repo.dir, 'pull_request', { 'fail-on-findings': 'false' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '::warning::2 possible secrets found; see the annotations and the job summary. Not failing because fail-on-findings is false.',
    );
    expect(readOutputs(files.output)['findings-count']).toBe('2');
  });

  it('mode: tree scans the whole tree, on worker threads', () => {
    const files = runnerFiles({ ref: 'refs/heads/feature', before: base, after: head });
    const r = runBundle(actionEnv(files, repo.dir, 'push', { mode: 'tree', workers: '2', 'fail-on-findings': 'true' }));
    expect(r.code).toBe(1);
    const outputs = readOutputs(files.output);
    expect(outputs.mode).toBe('tree');
    expect(outputs['findings-count']).toBe('3');
    expect(r.stdout).toMatch(/::error title=Hardcoded secret \(github-pat\),file=src\/app\.ts,line=2,/);
    assertNoSecrets(r.stdout, r.stderr, readFileSync(files.summary, 'utf8'));
  });

  it('spreads a large tree over worker threads and finds the same secrets', () => {
    const dir = tempDir('ass-scan-big-');
    const planted: string[] = [];
    for (let i = 0; i < 600; i++) {
      const sub = path.join(dir, `pkg${i % 7}`, `mod${i % 13}`);
      mkdirSync(sub, { recursive: true });
      const secret = i % 97 === 0 ? githubToken(n) : undefined;
      if (secret) planted.push(`pkg${i % 7}/mod${i % 13}/f${i}.js`);
      writeFileSync(path.join(sub, `f${i}.js`), `// file ${i}\nexport const token = ${secret ? `"${secret}"` : 'process.env.TOKEN'};\n`);
    }
    const files = runnerFiles({});
    const r = runBundle(actionEnv(files, dir, 'workflow_dispatch', { workers: '2' }));
    expect(r.stdout).toContain('Scanning on 2 worker threads.');
    expect(r.stdout).toContain('600 files, 0.0 MB scanned; 7 finding(s).');
    const annotated = [...r.stdout.matchAll(/^::error title=Hardcoded secret \(github-pat\),file=([^,]+),line=2,/gm)].map((m) => m[1]);
    expect(annotated).toEqual(planted.sort());
    expect(readOutputs(files.output)['findings-count']).toBe(String(planted.length));
  });

  it('applies a salted baseline on worker threads and refuses an old-format one', async () => {
    const dir = tempDir('ass-scan-bl-');
    for (let i = 0; i < 450; i++) {
      const sub = path.join(dir, `pkg${i % 5}`);
      mkdirSync(sub, { recursive: true });
      const secret = i % 90 === 0 ? githubToken(n) : undefined;
      writeFileSync(path.join(sub, `f${i}.js`), `export const token = ${secret ? `"${secret}"` : 'process.env.TOKEN'};\n`);
    }
    expect((await runScan(['--write-baseline', 'baseline.json', '--workers', '1'], dir)).code).toBe(0);
    const files = runnerFiles({});
    const r = runBundle(actionEnv(files, dir, 'workflow_dispatch', { workers: '2', baseline: 'baseline.json' }));
    expect(r.stdout).toContain('Scanning on 2 worker threads.');
    expect(r.code).toBe(0);
    expect(readOutputs(files.output)['findings-count']).toBe('0');
    expect(readFileSync(files.summary, 'utf8')).toContain('(5 known findings in the baseline not shown)');

    writeFileSync(path.join(dir, 'old.json'), JSON.stringify({ version: 1, findings: [] }));
    const old = runBundle(actionEnv(runnerFiles({}), dir, 'workflow_dispatch', { baseline: 'old.json' }));
    expect(old.code).toBe(1);
    expect(old.stdout).toContain('has the old version 1 format');
    expect(old.stdout).toContain('regenerate it with `ass scan --write-baseline old.json`');
  });

  it('says a PR base commit is missing from a full clone without blaming the clone depth', () => {
    const files = runnerFiles(prEvent('1111111111111111111111111111111111111111'));
    const r = runBundle(actionEnv(files, repo.dir, 'pull_request', {}));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '::error::base commit "1111111111111111111111111111111111111111" is not in this clone (which has full history); check the id, or fetch it',
    );
    expect(r.stdout).not.toContain('shallow');
  });

  it('rejects bad inputs with one message naming each', () => {
    const files = runnerFiles(prEvent());
    const r = runBundle(actionEnv(files, repo.dir, 'pull_request', { mode: 'everything', 'fail-on-findings': 'yes' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '::error::Input "mode" must be auto, diff, commits, history or tree. Input "fail-on-findings" must be true or false, not "yes".',
    );
  });
});
