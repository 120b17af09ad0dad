import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/actions/scan/main.js';
import { COMMENT_MARKER } from '../../../src/actions/scan/report.js';
import { actionEnv, readOutputs, runnerFiles } from '../../helpers/scan-action.js';
import { TempRepo } from '../../helpers/scan-git.js';
import { githubToken, rng } from '../../helpers/scan-tokens.js';

const API = 'https://api.github.com';
const SECRET = githubToken(rng(555));
const TOKEN = 'ghs_faketokenforthenocktest000000000000';
let repo: TempRepo;
let base: string;
let head: string;
let savedEnv: NodeJS.ProcessEnv;

beforeAll(() => {
  repo = new TempRepo();
  repo.write('README.md', 'hello\n');
  base = repo.commit('base');
  repo.write('deploy.sh', `#!/bin/sh\nexport GH_TOKEN=${SECRET}\n`);
  head = repo.commit('add deploy');
});

beforeEach(() => {
  savedEnv = { ...process.env };
  nock.disableNetConnect();
});

afterEach(() => {
  process.env = savedEnv;
  process.exitCode = undefined;
  nock.cleanAll();
  nock.enableNetConnect();
});

function setup(inputs: Record<string, string>) {
  const files = runnerFiles({ pull_request: { number: 7, base: { sha: base }, head: { sha: head } } });
  const env = actionEnv(files, repo.dir, 'pull_request', { comment: 'true', 'github-token': TOKEN, ...inputs });
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete process.env[k];
  Object.assign(process.env, env);
  return files;
}

describe('scan action PR comment', () => {
  it('updates the existing marked comment instead of adding another', async () => {
    const files = setup({});
    let sent = '';
    const scope = nock(API)
      .get('/repos/octo/app/issues/7/comments')
      .query({ per_page: '100' })
      .reply(200, [
        { id: 101, body: 'LGTM' },
        { id: 102, body: `${COMMENT_MARKER}\nold results` },
      ])
      .patch('/repos/octo/app/issues/comments/102', (body: { body: string }) => {
        sent = body.body;
        return true;
      })
      .reply(200, { id: 102 });
    await run();
    expect(scope.isDone()).toBe(true);
    expect(process.exitCode).toBe(1);
    expect(sent.startsWith(`${COMMENT_MARKER}\n## Secret scan\n\n1 possible secret in the 1 commit of this pull request.`)).toBe(true);
    expect(sent).toContain(
      `| deploy.sh | 2 | github-pat | critical | <code>ghp&#95;${'&#42;'.repeat(8)}</code> | <code>${head.slice(0, 12)}</code> `,
    );
    expect(sent).not.toContain(SECRET);
    expect(readOutputs(files.output)['findings-count']).toBe('1');
  });

  it('creates one comment when none exists', async () => {
    setup({ 'fail-on-findings': 'false' });
    let sent = '';
    const scope = nock(API)
      .get('/repos/octo/app/issues/7/comments')
      .query({ per_page: '100' })
      .reply(200, [{ id: 101, body: 'LGTM' }])
      .post('/repos/octo/app/issues/7/comments', (body: { body: string }) => {
        sent = body.body;
        return true;
      })
      .matchHeader('authorization', `token ${TOKEN}`)
      .reply(201, { id: 103 });
    await run();
    expect(scope.isDone()).toBe(true);
    expect(process.exitCode).toBeUndefined();
    expect(sent).toContain(COMMENT_MARKER);
    expect(sent).not.toContain(SECRET);
  });

  it('posts nothing when a PR adds no secrets and there is no earlier comment', async () => {
    const files = setup({ base: head, head });
    const scope = nock(API).get('/repos/octo/app/issues/7/comments').query({ per_page: '100' }).reply(200, []);
    await run();
    expect(scope.isDone()).toBe(true);
    expect(process.exitCode).toBeUndefined();
    // An unexpected POST would hit the disabled network and fail the step.
    expect(readOutputs(files.output)['findings-count']).toBe('0');
  });
});
