/**
 * The scan action's commit-range and history modes, through the built bundle as the runner runs
 * it: pull requests, pushes (new branches, force pushes, deletions), shallow clones, the size cap,
 * hostile commit metadata.
 */
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionEnv, readOutputs, runBundle, runnerFiles, SCAN_BUNDLE } from '../../helpers/scan-action.js';
import { TempRepo } from '../../helpers/scan-git.js';
import { githubToken, npmToken, rng } from '../../helpers/scan-tokens.js';

const n = rng(501);
const REMOVED = githubToken(n);
const KEPT = npmToken(n);
const ON_MAIN = githubToken(n, 'ghs_');
const ZERO = '0'.repeat(40);

let repo: TempRepo;
let base: string;
let added: string;
let head: string;

beforeAll(() => {
  expect(existsSync(SCAN_BUNDLE), 'dist/actions/scan.js missing: run npm run build').toBe(true);
  repo = new TempRepo();
  repo.write('README.md', '# app\n');
  repo.write('old.env', `OLD=${ON_MAIN}\n`);
  base = repo.commit('base');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write('src/config.ts', `export const token = "${REMOVED}";\n`);
  added = repo.commit('add token');
  repo.write('src/config.ts', 'export const token = process.env.TOKEN;\n');
  repo.write('.npmrc', `//registry.npmjs.org/:_authToken=${KEPT}\n`);
  head = repo.commit('use the environment; add npmrc');
});

function assertNoSecrets(...texts: string[]) {
  for (const t of texts) for (const s of [REMOVED, KEPT, ON_MAIN]) expect(t).not.toContain(s);
}

function annotations(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('::error title='));
}

describe('the scan action: every commit that lands', () => {
  it('on pull_request: a key added and removed again within the PR is annotated at the commit that added it', () => {
    const files = runnerFiles({ pull_request: { number: 9, base: { sha: base }, head: { sha: head } } });
    const r = runBundle(actionEnv(files, repo.dir, 'pull_request', {}));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Scanning every commit of ${head.slice(0, 12)} that ${base.slice(0, 12)} lacks, each against its parent.`);
    const errors = annotations(r.stdout);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      new RegExp(`^::error title=Hardcoded secret \\(npm-token\\) added in ${head.slice(0, 12)},file=\\.npmrc,line=1,`),
    );
    expect(errors[1]).toMatch(
      new RegExp(
        `^::error title=Hardcoded secret \\(github-pat\\) added in ${added.slice(0, 12)},file=src/config\\.ts,line=1,endLine=1,col=23,endColumn=63::` +
          `GitHub personal access token \\(classic\\) \\(github-pat, critical\\): ghp_\\*{8}\\. Added in commit ${added.slice(0, 12)} \\([\\d-]+, Test\\): "add token"\\. ` +
          'It is removed by a later commit, but still in the branch history: deleting it is not enough, rotate it\\.$',
      ),
    );
    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('2 possible secrets in the 2 commits of this pull request.');
    expect(summary).toContain('| File | Line | Rule | Severity | Preview | Introduced by |');
    expect(summary).toContain(`<code>${added.slice(0, 12)}</code>`);
    expect(summary).toContain('**removed by a later commit, but still in the branch history**');
    expect(summary).toContain('**1 of these is no longer in the head, but is still in the git history.**');
    expect(readOutputs(files.output)).toMatchObject({ mode: 'commits', 'findings-count': '2' });
    assertNoSecrets(r.stdout, r.stderr, summary, readFileSync(readOutputs(files.output)['sarif-file']!, 'utf8'));
  });

  it('on push: scans before..after only', () => {
    const files = runnerFiles({ ref: 'refs/heads/feature', before: added, after: head });
    const r = runBundle(actionEnv(files, repo.dir, 'push', {}));
    expect(r.code).toBe(1);
    expect(annotations(r.stdout).map((l) => /file=([^,]+)/.exec(l)?.[1])).toEqual(['.npmrc']);
    expect(readFileSync(files.summary, 'utf8')).toContain('1 possible secret in the 1 commit of this push.');
  });

  it('on push of a new branch (before is all zeros): the commits no other branch or tag has', () => {
    const files = runnerFiles({ ref: 'refs/heads/feature', before: ZERO, after: head, created: true });
    const r = runBundle(actionEnv(files, repo.dir, 'push', {}));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('refs/heads/feature is new, so the commits it has that no other branch or tag has are scanned.');
    // Not main's key: main has it already.
    expect(annotations(r.stdout).map((l) => /file=([^,]+)/.exec(l)?.[1])).toEqual(['.npmrc', 'src/config.ts']);
    expect(readOutputs(files.output)['findings-count']).toBe('2');
  });

  it('on a force push whose old tip is gone: the same, and says why', () => {
    const files = runnerFiles({ ref: 'refs/heads/feature', before: 'f'.repeat(40), after: head, forced: true });
    const r = runBundle(actionEnv(files, repo.dir, 'push', {}));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`The push's previous tip ffffffffffff is not in this clone (a force push replaced it)`);
    expect(readOutputs(files.output)['findings-count']).toBe('2');
  });

  it('on a push that deletes a branch: nothing to scan, and it passes', () => {
    const files = runnerFiles({ ref: 'refs/heads/gone', before: head, after: ZERO, deleted: true });
    const r = runBundle(actionEnv(files, repo.dir, 'push', {}));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The push deleted refs/heads/gone: no commits to scan.');
    expect(readOutputs(files.output)['findings-count']).toBe('0');
  });

  it('a shallow checkout gets the fetch-depth advice; a bad base input is named, not blamed on the depth', () => {
    const clone = repo.clone('--depth', '1', '--branch', 'feature');
    const pr = runnerFiles({ pull_request: { number: 9, base: { sha: base }, head: { sha: head } } });
    const shallow = runBundle(actionEnv(pr, clone.dir, 'pull_request', {}));
    expect(shallow.code).toBe(1);
    expect(shallow.stdout).toContain(`::error::base "${base}" is not in this clone, which is shallow`);
    expect(shallow.stdout).toContain('actions/checkout with `fetch-depth: 0`');

    const bad = runBundle(actionEnv(runnerFiles({}), repo.dir, 'workflow_dispatch', { mode: 'commits', base: 'nope', head: 'feature' }));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('::error::base "nope" is not a branch, tag or commit in this repository');
    expect(bad.stdout).not.toContain('shallow');
  });

  it('mode: history scans every ref, marks what HEAD no longer has, and writes SARIF with the revision', () => {
    const files = runnerFiles({});
    const env = actionEnv(files, repo.dir, 'schedule', { mode: 'history', 'fail-on-findings': 'false' });
    env.GITHUB_SERVER_URL = 'https://github.example';
    const r = runBundle(env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Scanning the whole git history: every blob reachable from any branch, tag or other ref.');
    // HEAD is feature: main's key is still there, the removed one is not.
    const errors = annotations(r.stdout);
    expect(errors.map((l) => /file=([^,]+)/.exec(l)?.[1])).toEqual(['.npmrc', 'old.env', 'src/config.ts']);
    expect(errors[2]).toContain(
      'It is in history only: no longer in HEAD, but still in the repository: deleting it is not enough, rotate it.',
    );
    const outputs = readOutputs(files.output);
    expect(outputs).toMatchObject({ mode: 'history', 'findings-count': '3' });
    const sarif = JSON.parse(readFileSync(outputs['sarif-file']!, 'utf8'));
    expect(sarif.runs[0].versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.example/octo/app', revisionId: head, mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    const removed = sarif.runs[0].results.find((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
      x.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('config.ts'),
    );
    expect(removed.properties).toMatchObject({ commitSha: added, commitSubject: 'add token', inHead: false });
    expect(removed.message.text).toContain('It is in history only: no longer in HEAD, but still in the repository. Deleting a secret');
    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('3 possible secrets in the whole git history (3 commits).');
    expect(summary).toContain('**1 of these is no longer in HEAD, but is still in the git history.**');
    assertNoSecrets(r.stdout, r.stderr, summary, JSON.stringify(sarif));
  });

  it('max-file-size: what the cap skips is a warning, a summary list and a SARIF notification', () => {
    const files = runnerFiles({ pull_request: { number: 9, base: { sha: base }, head: { sha: head } } });
    const r = runBundle(actionEnv(files, repo.dir, 'pull_request', { 'max-file-size': '40' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('::warning::2 files were not scanned, over the size cap:%0A  src/config.ts (');
    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('No secrets found in the 2 commits of this pull request (but see below).');
    expect(summary).toContain('**2 files were not scanned**');
    const sarif = JSON.parse(readFileSync(readOutputs(files.output)['sarif-file']!, 'utf8'));
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toHaveLength(2);

    const bad = runBundle(actionEnv(runnerFiles({}), repo.dir, 'schedule', { 'max-file-size': 'big' }));
    expect(bad.stdout).toContain('::error::Input "max-file-size" must be a size like 10MB or 500KB, not "big".');
  });

  it('a .gitattributes -diff or binary entry does not hide a file from the pull-request check', () => {
    const hidden = new TempRepo();
    hidden.write('a.txt', 'a\n');
    const hiddenBase = hidden.commit('base');
    hidden.write('.gitattributes', '*.env -diff\ncreds.txt binary\n');
    hidden.write('deploy.env', `GH=${githubToken(n)}\n`);
    hidden.write('creds.txt', `npm=${npmToken(n)}\n`);
    const hiddenHead = hidden.commit('hide keys');
    expect(hidden.git('diff', hiddenBase, hiddenHead, '--', 'deploy.env')).toContain('Binary files');
    for (const mode of ['auto', 'diff']) {
      const files = runnerFiles({ pull_request: { number: 4, base: { sha: hiddenBase }, head: { sha: hiddenHead } } });
      const r = runBundle(actionEnv(files, hidden.dir, 'pull_request', { mode }));
      expect(r.code, mode).toBe(1);
      expect(
        annotations(r.stdout).map((l) => /\(([a-z-]+)\)[^,]*,file=([^,]+)/.exec(l)?.slice(1).join(' ')),
        mode,
      ).toEqual(['npm-token creds.txt', 'github-pat deploy.env']);
    }
  });

  it('hostile commit metadata reaches annotations, the summary and SARIF cleaned', () => {
    const evil = new TempRepo();
    evil.write('a.txt', 'a\n');
    const evilBase = evil.commit('base');
    evil.write('leak.env', `T=${githubToken(n)}\n`);
    evil.commitRaw(
      'Eve \x1b[31m::error::from-author\x1b[0m\r\n::add-mask::x <e@example.invalid> 1700000000 +0000',
      'oops %0A::error::from-subject \x1b]0;title\x07 \u202etxt\n',
    );
    const files = runnerFiles({ pull_request: { number: 3, base: { sha: evilBase }, head: { sha: evil.git('rev-parse', 'HEAD') } } });
    const r = runBundle(actionEnv(files, evil.dir, 'pull_request', {}));
    expect(r.code).toBe(1);
    const commands = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(commands.map((l) => l.slice(0, 20))).toEqual(['::error title=Hardco', '::error::1 possible ']);
    expect(commands[0]).toContain('Eve ?[31m::error::from-author?[0m?');
    expect(commands[0]).toContain('oops %250A::error::from-subject ?]0;title? ?txt');
    const summary = readFileSync(files.summary, 'utf8');
    const sarif = readFileSync(readOutputs(files.output)['sarif-file']!, 'utf8');
    for (const text of [r.stdout, summary, sarif]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    expect(summary).not.toContain('\n::');
  });
});
