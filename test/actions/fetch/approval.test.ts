/**
 * Human approvals in the fetch action. End to end: the built step stubs run as the runner runs
 * them, against a real vault with its default approval policy (a critical secret needs one
 * approval) and a local OIDC issuer; an approver (a user made with approver: true) decides through
 * the client while the main step waits. Canary values must appear only where they belong (the
 * exported env and outputs), and masked before anything else.
 * Then the pure parts: the input, the summaries' escaping, the wait with a fake clock.
 */

import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageError } from '../../../src/actions/common/stage.js';
import { awaitApproval, noWaitError } from '../../../src/actions/fetch/approval.js';
import { parseConfig } from '../../../src/actions/fetch/config.js';
import { failureMessage } from '../../../src/actions/fetch/main.js';
import { renderHeldSummary, renderSummary } from '../../../src/actions/fetch/summary.js';
import type { Approval, VaultClient } from '../../../src/client/client.js';
import { createClient } from '../../../src/client/client.js';
import { generateCredential } from '../../../src/core/credentials.js';
import { AppError } from '../../../src/core/errors.js';
import type { StepResult } from '../../helpers/action-runner.js';
import { actionDefaults, makeRunnerTemp, runStep, visibleLog } from '../../helpers/action-runner.js';
import type { LocalOidcIssuer } from '../../helpers/oidc-issuer.js';
import { startOidcIssuer } from '../../helpers/oidc-issuer.js';
import type { TestVault } from '../../helpers/vault.js';
import { startTestVault } from '../../helpers/vault.js';

const root = path.resolve(import.meta.dirname, '../../..');

const CRITICAL = 'canary-critical-db-9d41e7';
const STANDARD = 'canary-standard-api-5b20c3';
const LATE_V1 = 'canary-late-v1-0e6f1a';
const LATE_V2 = 'canary-late-v2-c8d3b4';
const CANARIES = [CRITICAL, STANDARD, LATE_V1, LATE_V2];

let mainJs: string;
let postJs: string;
let defaults: Record<string, string>;
let vault: TestVault;
let issuer: LocalOidcIssuer;
let runnerTemp: string;
let deployKey: string;
let lateKey: string;
let admin: VaultClient;
let alice: VaultClient;
/** Requests the tests already handled, so each finds its own. */
const seen = new Set<string>();
let run = 5000;

async function put(p: string, value: string, tier: 'standard' | 'critical'): Promise<void> {
  const res = await vault.call('PUT', `/v1/secrets/${p}`, { token: vault.adminToken, body: { value, tier } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`put ${p}: ${res.status} ${res.text}`);
}

async function pipelineAgent(name: string, scope: string): Promise<string> {
  const res = await vault.call('POST', '/v1/agents', {
    token: vault.adminToken,
    body: {
      name,
      scopes: [scope],
      trustPolicy: { issuer: issuer.url, claims: { repository_id: '74', repository_owner_id: '65', environment: 'prod' } },
    },
  });
  if (res.status !== 201) throw new Error(`agent: ${res.status} ${res.text}`);
  return res.body.agentKey as string;
}

function step(script: string, inputs: Record<string, string>, extra: { env?: Record<string, string>; state?: Record<string, string> }) {
  return runStep({ script, inputs: { ...defaults, timeout: '20s', ...inputs }, runnerTemp, timeoutMs: 90_000, ...extra });
}

function runMain(inputs: Record<string, string>): Promise<StepResult> {
  return step(mainJs, { url: vault.url, 'agent-key': deployKey, secrets: 'production/app/*', ...inputs }, { env: issuer.runnerEnv() });
}

function runPost(main: StepResult, inputs: Record<string, string>): Promise<StepResult> {
  return step(
    postJs,
    { url: vault.url, 'agent-key': deployKey, secrets: 'production/app/*', ...inputs },
    { env: { ...main.env }, state: main.state },
  );
}

/**
 * The next approval request the vault holds that no test has seen; undefined if the step ended
 * first (it then failed, which the test's own assertions report).
 */
async function nextPending(step: Promise<StepResult>): Promise<Approval | undefined> {
  let ended = false;
  void step.then(() => (ended = true));
  while (!ended) {
    const { approvals } = await admin.listApprovals({ status: 'pending' });
    const found = approvals.find((a) => !seen.has(a.id));
    if (found) {
      seen.add(found.id);
      return found;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

function errorOf(r: StepResult): string {
  const line = r.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
  return line.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

function expectNoCanary(where: string, text: string) {
  for (const c of CANARIES) expect(text.includes(c), `${where} contains ${c}`).toBe(false);
}

function expectClean(...steps: StepResult[]) {
  for (const r of steps) {
    expectNoCanary('log', visibleLog(r));
    expectNoCanary('state', r.files.state);
    expectNoCanary('summary', r.summary);
  }
}

beforeAll(async () => {
  const dist = process.env.ASS_TEST_DIST ?? path.join(root, 'dist');
  mainJs = path.join(dist, 'actions/fetch-main.js');
  postJs = path.join(dist, 'actions/fetch-post.js');
  defaults = await actionDefaults(path.join(root, 'action.yml'));
  vault = await startTestVault({ approvals: 'default' });
  issuer = await startOidcIssuer();
  await put('production/app/db-password', CRITICAL, 'critical');
  await put('production/app/api-key', STANDARD, 'standard');
  await put('production/late/token', LATE_V1, 'standard');
  deployKey = await pipelineAgent('deploy', 'secrets:read:production/app/*');
  lateKey = await pipelineAgent('late', 'secrets:read:production/late/*');
  admin = createClient({ url: vault.url, credential: vault.adminToken });
  const created = await admin.createUser({ name: 'alice', role: 'viewer', approver: true });
  alice = createClient({ url: vault.url, credential: created.token });
  runnerTemp = await makeRunnerTemp();
}, 180_000);

afterAll(async () => {
  await admin?.close();
  await alice?.close();
  await vault?.cleanup();
  await issuer?.close();
  if (runnerTemp) await rm(runnerTemp, { recursive: true, force: true });
});

/** Each block is another workflow run: an approval belongs to one run attempt. */
function newRun(): string {
  issuer.setRequestOptions({ claims: { run_id: String(++run) } });
  return String(run);
}

describe('fetch action: an exchange held for approval, approved while the step waits', () => {
  let held: Approval | undefined;
  let main: StepResult;
  let post: StepResult;
  let runId: string;

  beforeAll(async () => {
    runId = newRun();
    const pending = runMain({ 'approval-timeout': '2m' });
    held = await nextPending(pending);
    if (held) await alice.approveRequest(held.id, 'release for the deploy');
    main = await pending;
    post = await runPost(main, { 'approval-timeout': '2m' });
  }, 120_000);

  it('the vault held the exchange of this run for the critical secret only', () => {
    expect(held, visibleLog(main)).toBeDefined();
    const h = held as Approval;
    expect(h.kind).toBe('exchange');
    expect(h.paths).toEqual(['production/app/db-password']);
    expect(h.approvers).toContain('alice');
    expect(h.requester).toMatchObject({ type: 'pipeline', name: 'deploy' });
    expect(h.requester.claims?.run_id).toBe(runId);
  });

  it('prints the request, its approvers and the approve command, as log lines and a notice, and writes them to the summary', () => {
    const id = (held as Approval).id;
    const log = visibleLog(main);
    expect(log).toContain(`The vault holds the pipeline token for a human approval: request ${id}`);
    expect(log).toMatch(/ {2}approvers: 1 of .*\balice\b/);
    expect(log).toContain(`  approve:   ass approvals approve ${id}`);
    expect(log).toContain('This step waits up to 2m for the decision (approval-timeout)');
    expect(main.stdout).toMatch(
      new RegExp(
        `^::notice title=Agent Secret Store%3A approval needed::Approval ${id} is needed for production/app/db-password: ask .*alice.* to run "ass approvals approve ${id}"`,
        'm',
      ),
    );
    expect(log).toContain(`Waiting up to 2m for approval ${id}`);
    expect(log).toMatch(new RegExp(`Approval ${id} was approved by alice at \\d{4}-`));
    expect(main.summary).toContain('<h3>Agent Secret Store: approval needed</h3>');
    expect(main.summary).toContain(`<code>ass approvals approve ${id}</code>`);
    expect(main.summary).toContain('<code>alice</code>');
    expect(main.outputs['approval-id']).toBe(id);
  });

  it('then collects the pipeline token with a fresh OIDC token, and exports every secret, masked first', () => {
    expect(main.stderr).toBe('');
    expect(main.code, visibleLog(main)).toBe(0);
    expect(main.env).toEqual({ DB_PASSWORD: CRITICAL, API_KEY: STANDARD });
    expect(main.outputs.DB_PASSWORD).toBe(CRITICAL);
    const token = main.state.token as string;
    expect(token).toMatch(/^ass_p_/);
    expect(main.masks).toEqual(expect.arrayContaining([token, CRITICAL, STANDARD, deployKey]));
    expect(main.stdout.indexOf(`::add-mask::${CRITICAL}`)).toBeLessThan(main.stdout.indexOf('Read production/app/db-password'));
    expect(main.stdout.indexOf(`::add-mask::${token}`)).toBeLessThan(
      main.stdout.indexOf(`Pipeline token ${main.outputs['token-id']} issued`),
    );
    expectClean(main, post);
    expect(visibleLog(main)).not.toContain(token);
  });

  it('the vault released the token once, bound to the run and the approval', async () => {
    const a = await admin.getApproval((held as Approval).id);
    expect(a.status).toBe('collected');
    const { tokens } = await admin.listTokens({ all: true });
    const t = tokens.find((x) => x.id === main.outputs['token-id']);
    expect(t?.kind).toBe('pipeline');
    expect(t?.claims).toMatchObject({ approval: a.id, run_id: runId });
  });

  it('the post step revokes the token and records the approval in the job summary', async () => {
    expect(post.code, visibleLog(post)).toBe(0);
    expect(visibleLog(post)).toContain(`Pipeline token ${main.outputs['token-id']} revoked.`);
    const { tokens } = await admin.listTokens({ all: true });
    expect(tokens.find((x) => x.id === main.outputs['token-id'])?.revokedAt).not.toBeNull();
    const a = await admin.getApproval((held as Approval).id);
    expect(post.summary).toContain('<h4>Human approval</h4>');
    expect(post.summary).toContain(`<td><code>${a.id}</code></td>`);
    expect(post.summary).toContain('approved, released to this step');
    expect(post.summary).toContain(`<code>alice</code> (${a.decidedAt})`);
    expect(post.summary).toContain(`<td>${a.decidedAt}</td>`);
    // The audit summary is still there.
    expect(post.summary).toContain('<code>production/app/db-password</code>');
    expect(post.summary).toMatch(/<th align="left">Revoked<\/th><td>yes<\/td>/);
  });
});

describe('fetch action: approval-timeout 0', () => {
  let main: StepResult;
  let post: StepResult;
  let held: Approval | undefined;

  beforeAll(async () => {
    newRun();
    main = await runMain({});
    post = await runPost(main, {});
    held = (await admin.listApprovals({ status: 'pending' })).approvals.find((a) => !seen.has(a.id));
    if (held) seen.add(held.id);
  }, 120_000);

  it('fails at once with the request id, the approvers and the approve command, naming approval-timeout', () => {
    expect(held).toBeDefined();
    const id = (held as Approval).id;
    expect(main.code).toBe(1);
    const message = errorOf(main);
    expect(message).toContain('Agent Secret Store failed while waiting for a human approval (stage "approval")');
    expect(message).toContain(`Approval ${id} is needed for production/app/db-password`);
    expect(message).toMatch(/ask .*alice/);
    expect(message).toContain(`"ass approvals approve ${id}"`);
    expect(message).toContain('set the input approval-timeout');
    expect(visibleLog(main)).not.toMatch(/Waiting up to/);
    expect(main.outputs['approval-id']).toBe(id);
  });

  it('writes the instructions into the job summary', () => {
    const id = (held as Approval).id;
    expect(main.summary).toContain(`<code>${id}</code>`);
    expect(main.summary).toContain(`<code>ass approvals approve ${id}</code>`);
    expect(main.summary).toContain('<code>alice</code>');
    expect(main.summary).toContain('This step does not wait (approval-timeout is 0): it fails now and exports nothing.');
    expect(post.summary).toContain('not decided while the step waited');
  });

  it('exports nothing, gets no token, and leaks nothing', () => {
    expect(main.files.env).toBe('');
    expect(main.state.token).toBeUndefined();
    expect(Object.keys(main.outputs)).toEqual(['approval-id']);
    expect(post.code).toBe(0);
    expect(visibleLog(post)).toContain('nothing to revoke');
    expectClean(main, post);
  });
});

describe('fetch action: denied', () => {
  let main: StepResult;
  let post: StepResult;
  let held: Approval | undefined;

  beforeAll(async () => {
    newRun();
    const pending = runMain({ 'approval-timeout': '5m' });
    held = await nextPending(pending);
    if (held) await alice.denyRequest(held.id, 'not during the <b>freeze</b> | ask Bob');
    main = await pending;
    post = await runPost(main, {});
  }, 120_000);

  it('fails with the approver and the reason, exporting nothing', () => {
    expect(held).toBeDefined();
    const id = (held as Approval).id;
    expect(main.code).toBe(1);
    const message = errorOf(main);
    expect(message).toContain(`Approval ${id} was denied by alice: not during the <b>freeze</b> | ask Bob.`);
    expect(message).toContain('A denial is final');
    expect(main.files.env).toBe('');
    expect(main.state.token).toBeUndefined();
    expectClean(main, post);
  });

  it("records the denial in the post step's summary, escaped", () => {
    expect(post.summary).toContain('denied by <code>alice</code>: not during the &#60;b&#62;freeze&#60;/b&#62; &#124; ask Bob');
    expect(post.summary).not.toContain('<b>freeze');
  });
});

/**
 * A proxy in front of the vault that, once the exchange has been answered and before the answer
 * reaches the step, relabels a secret critical: the step's batch read is then held.
 */
async function relabellingProxy(): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(vault.url);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', async () => {
            if (req.url === '/v1/tokens/exchange' && answer.statusCode === 201) await put('production/late/token', LATE_V2, 'critical');
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('fetch action: a batch read held after the exchange', () => {
  let main: StepResult;
  let post: StepResult;
  let held: Approval | undefined;

  beforeAll(async () => {
    newRun();
    const proxy = await relabellingProxy();
    try {
      const inputs = {
        url: proxy.url,
        audience: vault.url,
        'agent-key': lateKey,
        secrets: 'production/late/* => LATE_',
        'approval-timeout': '2m',
      };
      const pending = step(mainJs, inputs, { env: issuer.runnerEnv() });
      held = await nextPending(pending);
      if (held) await alice.approveRequest(held.id);
      main = await pending;
      post = await step(postJs, inputs, { env: { ...main.env }, state: main.state });
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('waits for the read with the pipeline token, collects the values and exports them masked', () => {
    expect(held).toBeDefined();
    const h = held as Approval;
    expect(h.kind).toBe('read');
    expect(h.requester.type).toBe('pipeline');
    expect(h.paths).toEqual(['production/late/token']);
    expect(main.code, visibleLog(main)).toBe(0);
    expect(visibleLog(main)).toContain(`The vault holds the read of the secrets for a human approval: request ${h.id}`);
    expect(main.env).toEqual({ LATE_TOKEN: LATE_V2 });
    expect(main.masks).toContain(LATE_V2);
    expect(main.stdout.indexOf(`::add-mask::${LATE_V2}`)).toBeLessThan(main.stdout.indexOf('Read production/late/token'));
    expect(main.outputs['approval-id']).toBe(h.id);
  });

  it('the post step revokes the token and records the approval of the read', async () => {
    expect(post.code, visibleLog(post)).toBe(0);
    const { tokens } = await admin.listTokens({ all: true });
    expect(tokens.find((x) => x.id === main.outputs['token-id'])?.revokedAt).not.toBeNull();
    expect(post.summary).toContain(`<td><code>${(held as Approval).id}</code></td><td>the read: <code>production/late/token</code></td>`);
    expect(post.summary).toContain('approved, released to this step');
    expectClean(main, post);
  });
});

// ---------------------------------------------------------------------------------------------
// The pure parts

const KEY = generateCredential('agent').secret;

function config(inputs: Record<string, string>) {
  return parseConfig((name) => ({ url: 'https://vault.example.com', 'agent-key': KEY, secrets: 'a/b', ...inputs })[name] ?? '');
}

function view(over: Partial<Approval> = {}): Approval {
  return {
    id: 'ap1',
    kind: 'exchange',
    status: 'pending',
    requester: { type: 'agent', name: 'deploy', tokenId: null, claims: null },
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
    createdAt: '2026-11-22T10:00:00.000Z',
    expiresAt: '2026-11-23T10:00:00.000Z',
    decidedAt: null,
    collectedAt: null,
    approveCommand: 'ass approvals approve ap1',
    ...over,
  };
}

describe('approval-timeout input', () => {
  it('defaults to 0 and takes durations or seconds up to 24h', () => {
    expect(config({}).approvalTimeoutMs).toBe(0);
    expect(config({ 'approval-timeout': '0' }).approvalTimeoutMs).toBe(0);
    expect(config({ 'approval-timeout': '0m' }).approvalTimeoutMs).toBe(0);
    expect(config({ 'approval-timeout': '10m' }).approvalTimeoutMs).toBe(600_000);
    expect(config({ 'approval-timeout': '90' }).approvalTimeoutMs).toBe(90_000);
    expect(config({ 'approval-timeout': '24h' }).approvalTimeoutMs).toBe(86_400_000);
  });

  it('refuses anything else, naming the input', () => {
    for (const bad of ['25h', 'soon', '-5', '1.5m']) {
      expect(() => config({ 'approval-timeout': bad }), bad).toThrow(/approval-timeout/);
    }
  });
});

describe('approval summaries', () => {
  it('escape every name, path and reason the vault sends', () => {
    const hostile = '<img src=x onerror=alert(1)>|*_[x](y)`';
    const held = renderHeldSummary(
      { ...view({ paths: [hostile], approvers: [hostile] }), approveCommand: `ass approvals approve ${hostile}` },
      'note <script>',
    );
    const post = renderSummary({
      secrets: [],
      revocation: { state: 'no-token' },
      approvals: [
        {
          id: hostile,
          kind: 'read',
          status: 'denied',
          paths: [hostile],
          requiredApprovals: 2,
          approvedBy: [{ user: hostile, at: hostile }],
          deniedBy: { user: hostile, reason: `${hostile}\n\n# heading` },
          decidedAt: hostile,
        },
      ],
    });
    for (const html of [held, post]) {
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<script');
      expect(html).not.toContain('](y)');
      expect(html).not.toContain('|*');
      expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;&#124;&#42;&#95;&#91;x&#93;(y)&#96;');
    }
    expect(post).not.toContain('\n# heading');
    expect(post).toContain('(2 needed)');
  });
});

describe('the wait', () => {
  /** A client whose getApproval answers from a script, and a clock the sleeps move. */
  function scripted(answers: (Approval | Error)[]) {
    let t = Date.parse('2026-11-22T10:00:00Z');
    const sleeps: number[] = [];
    const client = {
      getApproval: async () => {
        const next = answers.length > 1 ? answers.shift() : answers[0];
        if (next instanceof Error) throw next;
        return next as Approval;
      },
    } as unknown as VaultClient;
    return {
      client,
      sleeps,
      options: {
        now: () => t,
        sleep: async (ms: number) => {
          sleeps.push(ms);
          t += ms;
        },
      },
    };
  }

  it('polls with backoff until approved', async () => {
    const approved = view({
      status: 'approved',
      decisions: [{ user: 'alice', decision: 'approve', reason: null, at: '2026-11-22T10:00:07.000Z' }],
      decidedAt: '2026-11-22T10:00:07.000Z',
    });
    const s = scripted([view(), view(), new AppError('unavailable', 'down', { details: { retryable: true } }), approved]);
    const a = await awaitApproval(s.client, view(), { timeoutMs: 600_000, ...s.options });
    expect(a.status).toBe('approved');
    expect(s.sleeps).toEqual([2000, 3000, 4500]);
  });

  it('stops at the timeout with instructions that name approval-timeout', async () => {
    const s = scripted([view()]);
    const err = await awaitApproval(s.client, view(), { timeoutMs: 60_000, ...s.options }).catch((e: unknown) => e);
    expect(s.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('approval_required');
    expect((err as AppError).message).toMatch(/Still pending after waiting 1m\..*raise approval-timeout/s);
  });

  it('says why the wait was shorter than approval-timeout', async () => {
    const s = scripted([view()]);
    const err = await awaitApproval(s.client, view(), { timeoutMs: 1000, limit: 'the pipeline token expires at T', ...s.options }).catch(
      (e: unknown) => e,
    );
    expect((err as AppError).message).toContain('(approval-timeout; the pipeline token expires at T)');
  });

  it('ends with a denial, naming who denied and why; with an expiry, saying to ask again', async () => {
    const denied = view({
      status: 'denied',
      decisions: [{ user: 'bob', decision: 'deny', reason: 'freeze', at: '2026-11-22T10:00:01.000Z' }],
    });
    const d = scripted([denied]);
    const e1 = (await awaitApproval(d.client, view(), { timeoutMs: 60_000, ...d.options }).catch((e: unknown) => e)) as AppError;
    expect(e1.code).toBe('approval_denied');
    expect(e1.message).toContain('Approval ap1 was denied by bob: freeze.');
    const x = scripted([view({ status: 'expired' })]);
    const e2 = (await awaitApproval(x.client, view(), { timeoutMs: 60_000, ...x.options }).catch((e: unknown) => e)) as AppError;
    expect(e2.code).toBe('approval_expired');
    expect(e2.message).toContain('run the job again');
  });

  it('without a wait, the failure says how to wait', () => {
    const message = failureMessage(new StageError('approval', noWaitError(view())));
    expect(message).toMatch(/^Agent Secret Store failed while waiting for a human approval \(stage "approval"\):\nApproval ap1 is needed/);
    expect(message).toContain('ass approvals approve ap1');
    expect(message).toContain('`approval-timeout: 15m`');
  });
});
