/**
 * Second attack review of human approvals (issue 10), the fetch action: what a hostile (or
 * man-in-the-middled) vault's held answer can do to the workflow log, the job summary, the step's
 * outputs, and how long the step waits. The built step stubs run as the runner runs them, against
 * a stub vault (which also answers the runner's OIDC token request).
 *
 * Tests named `attack ...` replay a hole this review found, since closed (the comment above
 * each says how it worked). The other tests are regression tests for promises that held.
 */
import { rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../../src/core/credentials.js';
import { actionDefaults, makeRunnerTemp, runStep, type StepResult, visibleLog } from '../../helpers/action-runner.js';
import { type StubRequest, sendJson, startStubServer } from '../../helpers/cli-stub-server.js';

const root = path.resolve(import.meta.dirname, '../../..');
const KEY = generateCredential('agent').secret;
const PIPELINE_TOKEN = generateCredential('pipeline').secret;
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const ID = 'Ab12Cd34Ef56Gh78';
const T0 = '2026-11-23T10:00:00.000Z';

let mainJs: string;
let postJs: string;
let defaults: Record<string, string>;
let runnerTemp: string;

beforeAll(async () => {
  const dist = process.env.ASS_TEST_DIST ?? path.join(root, 'dist');
  mainJs = path.join(dist, 'actions/fetch-main.js');
  postJs = path.join(dist, 'actions/fetch-post.js');
  defaults = await actionDefaults(path.join(root, 'action.yml'));
  runnerTemp = await makeRunnerTemp();
});

afterAll(async () => {
  if (runnerTemp) await rm(runnerTemp, { recursive: true, force: true });
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

/** A request as the vault's Approval schema shows it. */
function view(over: Record<string, unknown> = {}) {
  return {
    id: ID,
    kind: 'exchange',
    status: 'pending',
    requester: { type: 'pipeline', name: 'deploy', tokenId: null, claims: null },
    paths: ['prod/db'],
    scopes: [],
    ttl: null,
    maxUses: null,
    description: null,
    ip: '127.0.0.1',
    requiredApprovals: 1,
    approvals: 0,
    approvers: ['alice'],
    rule: 'tier critical',
    decisions: [],
    createdAt: T0,
    expiresAt: '2026-11-24T10:00:00.000Z',
    decidedAt: null,
    collectedAt: null,
    approveCommand: `ass approvals approve ${ID}`,
    ...over,
  };
}

function held(res: ServerResponse, details: Record<string, unknown>) {
  sendJson(res, 202, {
    error: { code: 'approval_required', message: 'held', requestId: 'r1', details: { approvalId: details.id, ...details } },
  });
}

function issued(over: Record<string, unknown> = {}) {
  return {
    id: 'tok1',
    kind: 'pipeline',
    agent: 'deploy',
    scopes: ['secrets:read:prod/*'],
    createdAt: T0,
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    maxUses: null,
    uses: 0,
    allowedIps: [],
    description: null,
    revokedAt: null,
    active: true,
    claims: null,
    token: PIPELINE_TOKEN,
    ...over,
  };
}

/** A stub vault: `vault` answers everything but the runner's OIDC token request. */
async function hostile(vault: (req: StubRequest, res: ServerResponse) => void) {
  const s = await startStubServer((req, res) => {
    if (req.url.startsWith('/oidc')) return sendJson(res, 200, { value: JWT });
    if (req.method === 'DELETE' && req.url === '/v1/tokens/self') return sendJson(res, 200, { id: 'tok1', revoked: true });
    return vault(req, res);
  });
  closers.push(s.close);
  return s;
}

async function runBoth(url: string, inputs: Record<string, string> = {}, timeoutMs = 90_000) {
  const all = { ...defaults, url, 'agent-key': KEY, secrets: 'prod/db', timeout: '20s', ...inputs };
  const main = await runStep({
    script: mainJs,
    inputs: all,
    runnerTemp,
    timeoutMs,
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/oidc?x=1`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token' },
  });
  const post = await runStep({ script: postJs, inputs: all, runnerTemp, timeoutMs, env: { ...main.env }, state: main.state });
  return { main, post };
}

/** Lines the runner would read as workflow commands: `::` after leading whitespace (the runner trims it). */
function commandLines(r: StepResult): string[] {
  return r.stdout.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith('::'));
}

/** The commands the action itself writes; anything else in the log came from the vault. */
const OWN = /^::(add-mask|notice title=Agent Secret Store%3A approval needed|error|warning|debug)::/;

describe('a hostile held answer: the log, outputs and job summary', () => {
  const INJECT = '\n::set-env name=NODE_OPTIONS::--require=/tmp/pwn.js\r::add-mask::x\n  ::error::forged';
  const HTML =
    '</td></tr></table><a href="https://evil.example/approve">Approve here</a><img src="https://evil.example/p.gif"><table><tr><td>';

  let main: StepResult;
  let post: StepResult;
  beforeAll(async () => {
    const s = await hostile((_req, res) =>
      held(
        res,
        view({
          // (Ids and times that are not an id and times make the answer no held request at all: below.)
          kind: 'exchange',
          paths: [`prod/db${INJECT}`, `<b>x</b>${HTML}`],
          approvers: [`alice${INJECT}`, `bob${HTML}`],
          rule: `tier critical${INJECT}${HTML}`,
          approveCommand: `ass approvals approve ${ID}${INJECT}${HTML}`,
          requiredApprovals: 1,
          decisions: [{ user: `carol${HTML}`, decision: 'approve', reason: HTML, at: T0 }],
          requester: { type: 'pipeline', name: `deploy${INJECT}${HTML}`, tokenId: null, claims: { repository: `o/r${INJECT}${HTML}` } },
          description: `${INJECT}${HTML}`,
        }),
      ),
    );
    ({ main, post } = await runBoth(s.url));
  }, 120_000);

  it('(holds) no vault text starts a workflow command: every line that begins with :: is one the action wrote', () => {
    expect(main.code).toBe(1);
    const foreign = [...commandLines(main), ...commandLines(post)].filter((l) => !OWN.test(l));
    expect(foreign).toEqual([]);
    // The runner-file commands were not forged either.
    expect(main.files.env).toBe('');
    expect(Object.keys(main.outputs)).toEqual(['approval-id']);
    expect(main.masks).toEqual([KEY, JWT]);
  });

  it('(holds) the post step summary escapes every vault string (no tag of the vault opens)', () => {
    expect(post.code, visibleLog(post)).toBe(0);
    expect(post.summary).toContain('<h4>Human approval</h4>');
    expect(post.summary).not.toContain('<a href');
    expect(post.summary).not.toContain('<img');
    expect(post.summary).not.toContain('<b>');
  });

  it('(holds) an answer whose id or times are not an id and times is no held request: it fails as an error, with nothing of it in the summary', async () => {
    const s = await hostile((_req, res) =>
      held(res, view({ id: `${ID}\nDB_PASSWORD=pwned`, expiresAt: `2026-11-24${INJECT}${HTML}`, decidedAt: `${T0}${HTML}` })),
    );
    const r = await runBoth(s.url);
    expect(r.main.code).toBe(1);
    expect(Object.keys(r.main.outputs)).toEqual([]);
    expect(r.main.summary).not.toContain('<a href');
    expect(r.main.files.env).toBe('');
    expect([...commandLines(r.main), ...commandLines(r.post)].filter((l) => !OWN.test(l))).toEqual([]);
  });

  it('(holds) the held summary escapes the strings of the answer', () => {
    expect(main.summary).toContain('<h3>Agent Secret Store: approval needed</h3>');
    expect(main.summary).not.toContain('<a href');
    expect(main.summary).not.toContain('<img');
    expect(main.summary).not.toMatch(/\n\s*\n[\s\S]*<\/table>/); // no blank line inside the HTML block
  });
});

describe('a hostile held answer with values of the wrong type', () => {
  // Was (a review found this hole; closed): action-held-summary-requiredApprovals: approvalOf (src/client/approvals.ts) checks only
  // that id/approvalId are strings and paths/approvers arrays; the rest of a 202's details is used
  // as the vault sent it. renderHeldSummary (src/actions/fetch/summary.ts) writes
  // `${held.requiredApprovals} of ...` into the job summary's HTML unescaped, so a string there
  // opens tags of the vault's choosing: a link "Approve here" to a phishing page, a tracking image.
  it('attack action-held-summary-requiredApprovals: a string requiredApprovals opens no tag in the job summary', async () => {
    const s = await hostile((_req, res) =>
      held(res, view({ requiredApprovals: '1</td></tr></table><a href="https://evil.example/approve">Approve here</a><table><tr><td>' })),
    );
    const { main } = await runBoth(s.url);
    expect(main.code).toBe(1);
    // Not the API's shape: no held request at all, so nothing of it reaches the summary.
    expect(main.summary).not.toContain('approval needed');
    expect(main.summary).not.toContain('<a href');
  });

  // Was (a review found this hole; closed): action-post-summary-types: the same unchecked details reach the post step's summary
  // (recordOf → state → renderApprovals). A `decidedAt` (or a decision's `at`, or `status`) that is
  // not a string makes escapeMarkdown throw, and the whole post summary, with what was read and
  // whether the token was revoked, is replaced by a warning. Low: validate the 202's details with
  // the API's Approval schema (as every 2xx answer is).
  it('attack action-post-summary-types: a non-string decidedAt does not cost the post step its summary', async () => {
    const s = await hostile((_req, res) => held(res, view({ decidedAt: 1_700_000_000_000 })));
    const { main, post } = await runBoth(s.url);
    expect(main.code).toBe(1);
    expect(post.summary).toContain('Agent Secret Store: secrets fetched');
  });
});

describe('how long the step waits', () => {
  it('(holds) a vault that answers "pending" forever: the step ends at approval-timeout, polling at most every 30 s', async () => {
    let polls = 0;
    const s = await hostile((req, res) => {
      if (req.url === '/v1/tokens/exchange') return held(res, view());
      polls++;
      return sendJson(res, 200, view());
    });
    const { main } = await runBoth(s.url, { 'approval-timeout': '3s' });
    expect(main.code).toBe(1);
    expect(main.ms).toBeLessThan(3000 + 4000);
    expect(polls).toBeGreaterThanOrEqual(1);
    expect(polls).toBeLessThanOrEqual(4);
    expect(visibleLog(main)).toContain('Still pending after waiting 3s');
  }, 60_000);

  it('(holds) a vault that never answers a poll: the step ends within approval-timeout plus one poll limit (15 s)', async () => {
    const s = await hostile((req, res) => {
      if (req.url === '/v1/tokens/exchange') return held(res, view());
      // Never answer: the connection stays open.
      void res;
    });
    const { main } = await runBoth(s.url, { 'approval-timeout': '2s' }, 60_000);
    expect(main.code).toBe(1);
    expect(main.ms).toBeLessThan(2000 + 15_000 + 5000);
  }, 60_000);

  // Was (a review found this hole; closed): action-two-waits: `approval-timeout` bounds each held request, not the step: a vault (or
  // an honest one whose secret was relabelled critical meanwhile) that approves the exchange just
  // before the wait ends and then holds the batch read makes the step wait a second
  // approval-timeout (src/actions/fetch/main.ts `approved` runs once per hold with the full
  // config.approvalTimeoutMs). A job whose timeout-minutes is set "just above approval-timeout",
  // as the README advises, is then killed mid-wait. Low: keep one deadline for all waits, or say
  // in the README that the step may wait twice.
  it('attack action-two-waits: the step waits at most approval-timeout in all, across an exchange and a read both held', async () => {
    let exchangePolls = 0;
    const s = await hostile((req, res) => {
      if (req.url === '/v1/tokens/exchange') return held(res, view());
      if (req.url === `/v1/approvals/${ID}`) {
        exchangePolls++;
        return sendJson(
          res,
          200,
          exchangePolls < 3
            ? view()
            : view({
                status: 'approved',
                decidedAt: T0,
                decisions: [{ user: 'alice', decision: 'approve', reason: null, at: T0 }],
              }),
        );
      }
      if (req.url === `/v1/approvals/${ID}/collect`) {
        return sendJson(res, 200, {
          approval: view({ status: 'collected', decidedAt: T0, collectedAt: T0 }),
          token: issued(),
        });
      }
      const read = { id: 'Zz12Cd34Ef56Gh99', kind: 'read', approveCommand: 'ass approvals approve Zz12Cd34Ef56Gh99' };
      if (req.url === '/v1/batch/read') return held(res, view(read));
      if (req.url === `/v1/approvals/${read.id}`) return sendJson(res, 200, view(read));
      return sendJson(res, 404, { error: { code: 'not_found', message: 'no', requestId: 'r' } });
    });
    const { main } = await runBoth(s.url, { 'approval-timeout': '4s' });
    expect(main.code).toBe(1);
    // Approved at the last poll of the first wait (about 4 s in).
    expect(exchangePolls).toBe(3);
    expect(visibleLog(main)).toContain('Zz12Cd34Ef56Gh99');
    // One approval-timeout (4 s) and the step's own work.
    expect(main.ms).toBeLessThan(4000 + 2500);
  }, 60_000);
});
