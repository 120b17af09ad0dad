/**
 * Attacks on human approvals (issue 10), against a real vault over loopback on its default policy.
 *
 * Tests named `attack ...` replay a way around a promise that a review found and that was closed
 * (each asserts the promised behaviour); every other test is a regression test for a promise that
 * held under attack.
 */
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { createAgent, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-attack-value-91be27';
const PLAIN_CANARY = 'canary-standard-value-44d0c1';
const TIERS = { standard: { requiredApprovals: 0 }, sensitive: { requiredApprovals: 1 }, critical: { requiredApprovals: 1 } };

let v: TestVault;
let issuer: LocalOidcIssuer;
let alice: string; // viewer, approver
let bob: string; // auditor, approver
let seq = 0;
const fresh = (what: string) => `${what}${++seq}`;

async function user(name: string, role: string, isApprover = false): Promise<string> {
  const res = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name, role, approver: isApprover } });
  expect(res.status).toBe(201);
  return res.body.token as string;
}

/** A fresh editor (each requester has its own 20 pending requests, and tampering tests refuse their requester). */
const editorNamed = () => user(fresh('ed'), 'editor');

async function put(path: string, tier: 'standard' | 'sensitive' | 'critical', value = CANARY, token = v.adminToken) {
  const res = await v.call('PUT', `/v1/secrets/${path}`, { token, body: { value, tier } });
  expect(res.status).toBe(200);
  return path;
}

async function secret(tier: 'standard' | 'sensitive' | 'critical', value = CANARY): Promise<string> {
  return put(`production/${fresh('s')}/key`, tier, value);
}

async function setPolicy(body: Record<string, unknown>) {
  const res = await v.call('PUT', '/v1/approvals/policy', { token: v.adminToken, body: { tiers: TIERS, ...body } });
  expect(res.status).toBe(200);
}

async function resetPolicy() {
  await setPolicy({});
}

async function agentWithTrust(claims: Record<string, string>, scopes = ['secrets:read:production/*']) {
  const res = await v.call('POST', '/v1/agents', {
    token: v.adminToken,
    body: { name: fresh('pipe'), scopes, trustPolicy: { issuer: issuer.url, claims } },
  });
  expect(res.status).toBe(201);
  return res.body.agentKey as string;
}

beforeAll(async () => {
  v = await startTestVault({ approvals: 'default' });
  issuer = await startOidcIssuer();
  alice = await user('alice', 'viewer', true);
  bob = await user('bob', 'auditor', true);
});

afterAll(async () => {
  await issuer.close();
  await v.cleanup();
});

// ---------------------------------------------------------------------------------------------
// Holes a review found, now closed: each comment says how the attack worked before the fix.

describe('closed: the rotation exemption (rotating=) releases critical values without approval', () => {
  // Was: an editor's `can('rotate', ...)` is true for every path, and beginning a rotation needs no
  // rotation policy: any editor takes a lease on any critical secret, reads it with
  // ?rotating=PATH (not held), and aborts. The approval gate on editors is void.
  it('attack rotating-editor: an editor begins a rotation of a critical secret and reads it with rotating= (no approval)', async () => {
    const editor = await editorNamed();
    const path = await secret('critical');
    expect((await v.call('GET', `/v1/secrets/${path}`, { token: editor })).status).toBe(202);
    const begun = await v.call('POST', `/v1/rotation/begin/${path}`, { token: editor, body: { rotator: 'random' } });
    expect(begun.status).toBe(200);
    const read = await v.call('GET', `/v1/secrets/${path}?rotating=${path}`, { token: editor });
    await v.call('POST', `/v1/rotation/abort/${path}`, {
      token: editor,
      body: { rotationId: begun.body.rotationId, reason: 'only wanted the value' },
    });
    // The promise: a critical secret is never released on a credential alone.
    expect(read.text).not.toContain(CANARY);
  });

  // At token issue, rotate+read on a secret exempts it only when a rotation policy covers it
  // (Approvals.readableBy's rotatorOf); at the read, withinRotation() exempts any secret the token
  // may rotate, policy or not. So a token whose scopes carry rotate over a prefix reads every
  // critical secret later created below it, no approval ever asked.
  it('attack rotating-token: a token with rotate on a prefix reads a critical secret created later (no rotation policy) by beginning a rotation', async () => {
    const base = `production/${fresh('rot')}`;
    await put(`${base}/plain`, 'standard', PLAIN_CANARY);
    const key = await createAgent(v, fresh('svc'), [`secrets:*:${base}/*`]);
    const tok = await v.call('POST', '/v1/tokens', {
      token: key,
      body: { scopes: [`secrets:read:${base}/*`, `secrets:rotate:${base}/*`], ttl: '10m' },
    });
    expect(tok.status).toBe(201);
    const token = tok.body.token as string;
    await put(`${base}/db`, 'critical');
    expect((await v.call('GET', `/v1/secrets/${base}/db`, { token })).status).toBe(202);
    const begun = await v.call('POST', `/v1/rotation/begin/${base}/db`, { token, body: { rotator: 'random' } });
    expect(begun.status).toBe(200);
    const read = await v.call('GET', `/v1/secrets/${base}/db?rotating=${base}/db`, { token });
    await v.call('POST', `/v1/rotation/abort/${base}/db`, { token, body: { rotationId: begun.body.rotationId, reason: 'x' } });
    expect(read.text).not.toContain(CANARY);
  });

  // The other rotator-only reads skip the gate the same way for an editor: the replaced value
  // once its grace ended (stage=previous&revoke=true, still live at its provider until revoked),
  // the current value while the replaced one awaits revocation (rotating=, no lease needed), and
  // someone else's pending value during their rotation (stage=pending: the next current value).
  it('attack rotation-stages-editor: an editor reads the replaced, the current and the pending value of a rotated critical secret without approval', async () => {
    const editor = await editorNamed();
    const path = await secret('critical');
    const begin = async () =>
      (await v.call('POST', `/v1/rotation/begin/${path}`, { token: v.adminToken, body: { rotator: 'random' } })).body;
    const r1 = await begin();
    await v.call('PUT', `/v1/rotation/pending/${path}`, {
      token: v.adminToken,
      body: { rotationId: r1.rotationId, value: 'canary-rotated-v2' },
    });
    const fin = await v.call('POST', `/v1/rotation/finish/${path}`, { token: v.adminToken, body: { rotationId: r1.rotationId, grace: 0 } });
    expect(fin.status).toBe(200);
    expect((await v.call('GET', `/v1/secrets/${path}`, { token: editor })).status).toBe(202);
    const previous = await v.call('GET', `/v1/secrets/${path}?stage=previous&revoke=true`, { token: editor });
    const current = await v.call('GET', `/v1/secrets/${path}?rotating=${path}`, { token: editor });
    await v.call('POST', `/v1/rotation/retire/${path}`, { token: v.adminToken, body: { version: 1 } });
    const r2 = await begin();
    await v.call('PUT', `/v1/rotation/pending/${path}`, {
      token: v.adminToken,
      body: { rotationId: r2.rotationId, value: 'canary-pending-v3' },
    });
    const pending = await v.call('GET', `/v1/secrets/${path}?stage=pending`, { token: editor });
    await v.call('POST', `/v1/rotation/abort/${path}`, { token: v.adminToken, body: { rotationId: r2.rotationId, reason: 'test' } });
    expect.soft(previous.text).not.toContain(CANARY);
    expect.soft(current.text).not.toContain('canary-rotated-v2');
    expect.soft(pending.text).not.toContain('canary-pending-v3');
  });

  it('(holds) the same scopes asked for after the critical secret exists are held at issue: rotate alone exempts nothing there', async () => {
    const base = `production/${fresh('rot')}`;
    await put(`${base}/db`, 'critical');
    const key = await createAgent(v, fresh('svc'), [`secrets:*:${base}/*`]);
    const tok = await v.call('POST', '/v1/tokens', {
      token: key,
      body: { scopes: [`secrets:read:${base}/*`, `secrets:rotate:${base}/*`], ttl: '10m' },
    });
    expect(tok.status).toBe(202);
    expect(tok.body.paths).toEqual([`${base}/db`]);
  });
});

describe('closed: pipelines whose issuer does not send GitHub run claims', () => {
  // Was: collectApproval compared only RUN_CLAIMS (repository_id, repository, run_id, run_attempt)
  // that the held request recorded; verifyRun records only GitHub's claim names. A GitLab,
  // Buildkite or CircleCI token (README: supported) records none of them, so any later run the
  // trust policy accepts collects the approval given to another run.
  const gitlab = (pipeline: string, login = 'glenn') => ({
    audience: v.url,
    claims: {
      repository: undefined,
      repository_id: undefined,
      repository_owner: undefined,
      repository_owner_id: undefined,
      run_id: undefined,
      run_attempt: undefined,
      run_number: undefined,
      actor: undefined,
      actor_id: undefined,
      workflow_ref: undefined,
      job_workflow_ref: undefined,
      project_id: '4242',
      project_path: 'group/app',
      pipeline_id: pipeline,
      user_login: login,
      sub: 'project_path:group/app:ref_type:branch:ref:main',
    },
  });

  it('attack oidc-run-binding: an exchange approved for GitLab pipeline 1001 is collected by pipeline 2002', async () => {
    const path = await secret('critical');
    const key = await agentWithTrust({ project_id: '4242' });
    const held = await v.call('POST', '/v1/tokens/exchange', {
      token: key,
      body: { oidcToken: await issuer.mint(gitlab('1001')), scopes: [`secrets:read:${path}`] },
    });
    expect(held.status).toBe(202);
    const id = held.body.approvalId as string;
    expect((await v.call('POST', `/v1/approvals/${id}/approve`, { token: alice, body: {} })).status).toBe(200);
    const other = await v.call('POST', `/v1/approvals/${id}/collect`, {
      token: key,
      body: { oidcToken: await issuer.mint(gitlab('2002')) },
    });
    // The promise: "a fresh OIDC token of the same repository, run and attempt".
    expect(other.status).toBe(403);
  });

  it('attack oidc-self-approval-gitlab: the GitLab user who started the pipeline (user_login) approves it', async () => {
    const glenn = await user('glenn', 'viewer', true);
    const path = await secret('critical');
    const key = await agentWithTrust({ project_id: '4242' });
    const held = await v.call('POST', '/v1/tokens/exchange', {
      token: key,
      body: { oidcToken: await issuer.mint(gitlab('3003', 'glenn')), scopes: [`secrets:read:${path}`] },
    });
    expect(held.status).toBe(202);
    const self = await v.call('POST', `/v1/approvals/${held.body.approvalId}/approve`, { token: glenn, body: {} });
    expect(self.status).toBe(403);
  });
});

describe('closed: self-approval of a GitHub re-run', () => {
  // Was (on a re-run GitHub keeps `actor` (who started the first attempt) and sets `triggering_actor`
  // (who clicked re-run)): selfApproval() looked at `actor` only and verifyRun did not record
  // triggering_actor, so the person who re-ran the job approved their own attempt.
  it('attack rerun-self-approval: the triggering_actor of a re-run approves their own exchange', async () => {
    const rerunner = await user('rerunner', 'viewer', true);
    const path = await secret('critical');
    const key = await agentWithTrust({ repository_id: issuer.claims.repository_id });
    const held = await v.call('POST', '/v1/tokens/exchange', {
      token: key,
      body: {
        oidcToken: await issuer.mint({
          audience: v.url,
          claims: { actor: 'original-author', triggering_actor: 'rerunner', run_attempt: '2' },
        }),
        scopes: [`secrets:read:${path}`],
      },
    });
    expect(held.status).toBe(202);
    const self = await v.call('POST', `/v1/approvals/${held.body.approvalId}/approve`, { token: rerunner, body: {} });
    expect(self.status).toBe(403);
  });

  it('(holds) the actor of the run, in any case, may not approve it', async () => {
    const mona = await user('mona', 'viewer', true);
    const path = await secret('critical');
    const key = await agentWithTrust({ repository_id: issuer.claims.repository_id });
    const held = await v.call('POST', '/v1/tokens/exchange', {
      token: key,
      body: { oidcToken: await issuer.mint({ audience: v.url, claims: { actor: 'MONA' } }), scopes: [`secrets:read:${path}`] },
    });
    expect(held.status).toBe(202);
    expect(held.body.approvers).not.toContain('mona');
    const self = await v.call('POST', `/v1/approvals/${held.body.approvalId}/approve`, { token: mona, body: {} });
    expect(self.status).toBe(403);
    // A read by the pipeline token it gets later is the same run: mona still cannot approve it.
    await v.call('POST', `/v1/approvals/${held.body.approvalId}/approve`, { token: alice, body: {} });
    const got = await v.call('POST', `/v1/approvals/${held.body.approvalId}/collect`, {
      token: key,
      body: { oidcToken: await issuer.mint({ audience: v.url, claims: { actor: 'MONA' } }) },
    });
    expect(got.status).toBe(200);
    const other = await secret('critical');
    const read = await v.call('GET', `/v1/secrets/${other}`, { token: got.body.token.token });
    expect(read.status).toBe(403); // the token's scopes were one path
  });
});

describe('closed: who may decide is judged from the secret as it is now, not as it was asked for', () => {
  // Was: decide() recomputed the approver restriction with the secret's current row tier
  // (`tiers.get(p)`), not the tier the request was held under (the version's gate tier). A
  // tier-scoped prefix rule naming its approvers stops applying once the secret is relabelled,
  // so any approver may decide a read of the old critical version the policy reserves to bob.
  it('attack approver-restriction-relabel: after a relabel, an approver the rule excludes approves a read of the old critical version', async () => {
    const prefix = `vault-${fresh('r')}`;
    await setPolicy({ prefixes: [{ prefix, tier: 'critical', requiredApprovals: 1, approvers: ['bob'] }] });
    try {
      const editor = await editorNamed();
      await put(`${prefix}/k`, 'critical');
      // The editor relabels it (a write needs no approval).
      await put(`${prefix}/k`, 'standard', 'new-standard-value', editor);
      const held = await v.call('GET', `/v1/secrets/${prefix}/k?version=1`, { token: editor });
      expect(held.status).toBe(202);
      expect(held.body.approvers).toEqual(['bob']);
      const byAlice = await v.call('POST', `/v1/approvals/${held.body.approvalId}/approve`, { token: alice, body: {} });
      expect(byAlice.status).toBe(403);
    } finally {
      await resetPolicy();
    }
  });

  it('(holds) without a relabel the rule names who decides', async () => {
    const prefix = `vault-${fresh('r')}`;
    await setPolicy({ prefixes: [{ prefix, tier: 'critical', requiredApprovals: 1, approvers: ['bob'] }] });
    try {
      const editor = await editorNamed();
      await put(`${prefix}/k`, 'critical');
      const held = await v.call('GET', `/v1/secrets/${prefix}/k`, { token: editor });
      expect(held.body.approvers).toEqual(['bob']);
      expect((await v.call('POST', `/v1/approvals/${held.body.approvalId}/approve`, { token: alice, body: {} })).status).toBe(403);
      expect((await v.call('POST', `/v1/approvals/${held.body.approvalId}/approve`, { token: bob, body: {} })).status).toBe(200);
    } finally {
      await resetPolicy();
    }
  });
});

describe('closed: a revoked approver still counts', () => {
  // Was: decideApproval counted every stored `approve` decision, including those of users revoked (or
  // no longer approvers) since: with 2 required, one yes from a user whose access was pulled
  // (say, for cause) and one from another approver approve the request.
  async function twoRequired(fn: (prefix: string) => Promise<void>) {
    const prefix = `dual-${fresh('d')}`;
    await setPolicy({ prefixes: [{ prefix, requiredApprovals: 2 }] });
    try {
      await fn(prefix);
    } finally {
      await resetPolicy();
    }
  }

  it('attack revoked-approver: the approval of an approver revoked before the second approval still counts', async () => {
    await twoRequired(async (prefix) => {
      const name = fresh('temp');
      const temp = await user(name, 'viewer', true);
      const editor = await editorNamed();
      await put(`${prefix}/k`, 'standard');
      const held = await v.call('GET', `/v1/secrets/${prefix}/k`, { token: editor });
      expect(held.body.requiredApprovals).toBe(2);
      const id = held.body.approvalId as string;
      expect((await v.call('POST', `/v1/approvals/${id}/approve`, { token: temp, body: {} })).body.status).toBe('pending');
      expect((await v.call('DELETE', `/v1/users/${name}`, { token: v.adminToken })).status).toBe(200);
      const second = await v.call('POST', `/v1/approvals/${id}/approve`, { token: alice, body: {} });
      expect(second.status).toBe(200);
      // One live approver said yes: the request needs another.
      expect(second.body.status).toBe('pending');
    });
  });

  it('attack unflagged-approver: the approval of a user no longer an approver still counts', async () => {
    await twoRequired(async (prefix) => {
      const name = fresh('temp');
      const temp = await user(name, 'viewer', true);
      const editor = await editorNamed();
      await put(`${prefix}/k`, 'standard');
      const id = (await v.call('GET', `/v1/secrets/${prefix}/k`, { token: editor })).body.approvalId as string;
      expect((await v.call('POST', `/v1/approvals/${id}/approve`, { token: temp, body: {} })).body.status).toBe('pending');
      expect((await v.call('PATCH', `/v1/users/${name}`, { token: v.adminToken, body: { approver: false } })).status).toBe(200);
      const second = await v.call('POST', `/v1/approvals/${id}/approve`, { token: alice, body: {} });
      expect(second.body.status).toBe('pending');
    });
  });

  it('(holds) a revoked approver cannot decide afterwards', async () => {
    const name = fresh('temp');
    const temp = await user(name, 'viewer', true);
    await v.call('DELETE', `/v1/users/${name}`, { token: v.adminToken });
    const editor = await editorNamed();
    const path = await secret('critical');
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    expect((await v.call('POST', `/v1/approvals/${id}/approve`, { token: temp, body: {} })).status).toBe(401);
  });
});

describe('closed: one token fills the pending requests of every credential of its agent', () => {
  // Was: createApproval counted pending requests per requester_id, which for a token (and an exchange)
  // is the agent's id: one token of an agent, however narrow (a leaked low-value token will do),
  // holds 20 reads with 20 different reasons and every other token and CI run of that agent is
  // answered 429 for up to 24 h (nobody but an approver denying each can clear them).
  it('attack pending-cap-shared: a second token of the same agent gets 429 after the first held 20 requests', async () => {
    const base = `production/${fresh('cap')}`;
    const key = await createAgent(v, fresh('svc'), [`secrets:read:${base}/*`]);
    const issue = async () => {
      const t = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: [`secrets:read:${base}/*`], ttl: '10m' } });
      expect(t.status).toBe(201); // nothing below base needs approval yet
      return t.body.token as string;
    };
    const noisy = await issue();
    const victim = await issue();
    await put(`${base}/db`, 'critical');
    for (let i = 0; i < 20; i++) {
      expect((await v.call('GET', `/v1/secrets/${base}/db?reason=flood-${i}`, { token: noisy })).status).toBe(202);
    }
    // Another token of the agent (another instance of the service) asks once.
    const asked = await v.call('GET', `/v1/secrets/${base}/db?reason=${encodeURIComponent('nightly job')}`, { token: victim });
    expect(asked.status).toBe(202);
  });
});

// ---------------------------------------------------------------------------------------------
// Promises that held under attack (regression tests)

describe('reads: every route, version and stage is gated', () => {
  it('a batch read over a prefix, over paths, or mixing standard and critical releases nothing (and no standard value leaks in the 202)', async () => {
    const editor = await editorNamed();
    const base = `production/${fresh('b')}`;
    await put(`${base}/plain`, 'standard', PLAIN_CANARY);
    await put(`${base}/deep/db`, 'critical');
    for (const body of [{ prefixes: [base] }, { paths: [`${base}/plain`, `${base}/deep/db`] }, { prefixes: [`${base}/deep`] }]) {
      const res = await v.call('POST', '/v1/batch/read', { token: editor, body });
      expect(res.status).toBe(202);
      expect(res.body.paths).toEqual([`${base}/deep/db`]);
      expect(res.text).not.toContain(CANARY);
      expect(res.text).not.toContain(PLAIN_CANARY);
    }
  });

  it('an old version, a version by number, and the same path twice in a batch are held', async () => {
    const editor = await editorNamed();
    const path = await secret('sensitive');
    await put(path, 'sensitive', 'second-value');
    for (const q of ['?version=1', '?version=2', '?stage=current']) {
      const res = await v.call('GET', `/v1/secrets/${path}${q}`, { token: editor });
      expect(res.status).toBe(202);
      expect(res.text).not.toContain(CANARY);
      expect(res.text).not.toContain('second-value');
    }
    const batch = await v.call('POST', '/v1/batch/read', { token: editor, body: { paths: [path, path] } });
    expect(batch.status).toBe(202);
  });

  it('naming a rotation that is not under way, or one of another secret, gets nothing (an ordinary read, held)', async () => {
    const editor = await editorNamed();
    const path = await secret('critical');
    const other = await secret('standard');
    for (const rotating of [path, other]) {
      const res = await v.call('GET', `/v1/secrets/${path}?rotating=${rotating}`, { token: editor });
      expect(res.status).toBe(202);
      expect(res.text).not.toContain(CANARY);
    }
    // stage=previous on a secret never rotated, and stage=pending without a lease
    expect((await v.call('GET', `/v1/secrets/${path}?stage=previous`, { token: editor })).status).toBe(404);
    expect((await v.call('GET', `/v1/secrets/${path}?stage=pending`, { token: editor })).status).toBe(404);
  });

  it('path tricks: encoded, case-changed, trailing-slash and relative paths are refused or are other secrets', async () => {
    const editor = await editorNamed();
    const path = await secret('critical');
    const [top, rest] = [path.slice(0, path.indexOf('/')), path.slice(path.indexOf('/') + 1)];
    // Raw request targets (fetch would normalise /./ and the like before the vault sees them).
    const raw = (target: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const u = new URL(v.url);
        const req = request(
          { host: u.hostname, port: u.port, path: target, method: 'GET', headers: { authorization: `Bearer ${editor}` } },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    for (const p of [`${top}%2F${rest}`, `${top}%2f${rest}`, `${path}/`, `${top}/./${rest}`, `${top}//${rest}`, `${top}/x/../${rest}`]) {
      const res = await raw(`/v1/secrets/${p}`);
      expect([400, 404]).toContain(res.status);
      expect(res.text).not.toContain(CANARY);
    }
    const upper = await v.call('GET', `/v1/secrets/${path.toUpperCase()}`, { token: editor });
    expect(upper.status).toBe(404);
  });

  it('metadata routes never carry a value', async () => {
    const path = await secret('critical');
    const viewer = await user(fresh('vw'), 'viewer');
    for (const url of [`/v1/metadata/${path}`, `/v1/metadata?prefix=production`]) {
      const res = await v.call('GET', url, { token: viewer });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(CANARY);
    }
    expect((await v.call('GET', `/v1/secrets/${path}`, { token: viewer })).status).toBe(403);
  });
});

describe('prefix rules and siblings', () => {
  it('a rule for `payments` covers payments/x, never payments-legacy/x (segment boundaries), and `payments/*` is the same prefix', async () => {
    const p = `payments${fresh('')}`;
    await setPolicy({ prefixes: [{ prefix: `${p}/*`, requiredApprovals: 2 }] });
    try {
      const editor = await editorNamed();
      await put(`${p}/x`, 'standard', PLAIN_CANARY);
      await put(`${p}-legacy/x`, 'standard', 'legacy-standard');
      const held = await v.call('GET', `/v1/secrets/${p}/x`, { token: editor });
      expect(held.status).toBe(202);
      expect(held.body.requiredApprovals).toBe(2);
      expect(held.text).not.toContain(PLAIN_CANARY);
      expect((await v.call('GET', `/v1/secrets/${p}-legacy/x`, { token: editor })).status).toBe(200);
      // A batch over both holds exactly the one below the rule.
      const batch = await v.call('POST', '/v1/batch/read', { token: editor, body: { paths: [`${p}/x`, `${p}-legacy/x`] } });
      expect(batch.status).toBe(202);
      expect(batch.body.paths).toEqual([`${p}/x`]);
      expect(batch.text).not.toContain('legacy-standard');
    } finally {
      await resetPolicy();
    }
  });

  it('a wildcard scope (inner * and a whole-vault *) reaches the critical secret at token issue', async () => {
    const path = await secret('critical');
    const key = await createAgent(v, fresh('svc'), ['secrets:read:*']);
    const segs = path.split('/');
    for (const scope of ['secrets:read:*', `secrets:read:production/*/key`, `secrets:read:${segs[0]}/${segs[1]}/*`]) {
      const res = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: [scope], ttl: '5m' } });
      expect(res.status).toBe(202);
      expect(res.body.paths).toContain(path);
      expect(res.text).not.toContain(CANARY);
    }
  });
});

describe('tokens from a collected approval', () => {
  it('read only the approved paths: a critical secret created later, or via a batch prefix, is held; another token of the agent gets nothing', async () => {
    const base = `production/${fresh('c')}`;
    await put(`${base}/a`, 'critical');
    const key = await createAgent(v, fresh('svc'), [`secrets:read:${base}/*`]);
    const asked = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: [`secrets:read:${base}/*`], ttl: '10m' } });
    expect(asked.status).toBe(202);
    const id = asked.body.approvalId as string;
    await v.call('POST', `/v1/approvals/${id}/approve`, { token: alice, body: {} });
    const got = await v.call('POST', `/v1/approvals/${id}/collect`, { token: key, body: {} });
    expect(got.status).toBe(200);
    const token = got.body.token.token as string;
    expect((await v.call('GET', `/v1/secrets/${base}/a`, { token })).body.value).toBe(CANARY);
    await put(`${base}/b`, 'critical', 'canary-b-later');
    const b = await v.call('GET', `/v1/secrets/${base}/b`, { token });
    expect(b.status).toBe(202);
    expect(b.text).not.toContain('canary-b-later');
    const batch = await v.call('POST', '/v1/batch/read', { token, body: { prefixes: [base] } });
    expect(batch.status).toBe(202);
    expect(batch.body.paths).toEqual([`${base}/b`]);
    expect(batch.text).not.toContain(CANARY);
    // A relabel up of an approved path does not matter (it was approved); a sibling token of the agent gets no coverage.
    const sibling = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: [`secrets:read:${base}/a`], ttl: '5m' } });
    expect(sibling.status).toBe(202);
    expect(sibling.body.approvalId).not.toBe(id);
    // Another agent cannot collect or see it.
    const stranger = await createAgent(v, fresh('svc'), [`secrets:read:${base}/*`]);
    expect((await v.call('POST', `/v1/approvals/${id}/collect`, { token: stranger, body: {} })).status).toBe(403);
    expect((await v.call('GET', `/v1/approvals/${id}`, { token: stranger })).status).toBe(403);
    // The token itself cannot collect its agent's token request.
    expect((await v.call('POST', `/v1/approvals/${id}/collect`, { token, body: {} })).status).toBe(403);
  });

  it('a held read collected by a different token of the same agent, or by the agent key, is refused', async () => {
    const path = await secret('critical');
    const key = await createAgent(v, fresh('svc'), ['secrets:read:production/*']);
    const t1 = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:production/none/*'], ttl: '5m' } });
    const t2 = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:production/none/*'], ttl: '5m' } });
    expect(t1.status).toBe(201);
    // t1 cannot even ask: its scopes do not reach the path.
    expect((await v.call('GET', `/v1/secrets/${path}`, { token: t1.body.token })).status).toBe(403);
    const editor = await editorNamed();
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    await v.call('POST', `/v1/approvals/${id}/approve`, { token: alice, body: {} });
    for (const t of [t2.body.token, key, alice, v.adminToken]) {
      const r = await v.call('POST', `/v1/approvals/${id}/collect`, { token: t, body: {} });
      expect(r.status).toBe(403);
      expect(r.text).not.toContain(CANARY);
    }
  });
});

describe('collected exactly once; decisions final', () => {
  it('racing collections of an approved token request release one token', async () => {
    const path = await secret('critical');
    const key = await createAgent(v, fresh('svc'), ['secrets:read:production/*']);
    const asked = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: [`secrets:read:${path}`], ttl: '5m' } });
    const id = asked.body.approvalId as string;
    await v.call('POST', `/v1/approvals/${id}/approve`, { token: alice, body: {} });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => v.call('POST', `/v1/approvals/${id}/collect`, { token: key, body: {} })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    const tokens = await v.sql(`SELECT id FROM tokens WHERE claims LIKE '%${id}%'`);
    expect(tokens).toHaveLength(1);
    // The released credential is in the answer only: not in the audit log.
    const secretToken = results.find((r) => r.status === 200)?.body.token.token as string;
    expect(JSON.stringify(await v.sql('SELECT * FROM audit'))).not.toContain(secretToken);
    expect(JSON.stringify(await v.sql(`SELECT * FROM approvals WHERE id = '${id}'`))).not.toContain(secretToken);
  });

  it('an approval and a denial racing end in exactly one final state', async () => {
    const editor = await editorNamed();
    const path = await secret('critical');
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    const [a, d] = await Promise.all([
      v.call('POST', `/v1/approvals/${id}/approve`, { token: alice, body: {} }),
      v.call('POST', `/v1/approvals/${id}/deny`, { token: bob, body: { reason: 'no' } }),
    ]);
    expect([a.status, d.status].sort()).toEqual([200, 409]);
    const final = (await v.call('GET', `/v1/approvals/${id}`, { token: v.adminToken })).body.status;
    expect(final).toBe(a.status === 200 ? 'approved' : 'denied');
    const collect = await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} });
    expect(collect.status).toBe(final === 'approved' ? 200 : 403);
  });

  it('the requester cannot approve from another identity it holds: a token of its own agent is no user', async () => {
    const path = await secret('critical');
    const key = await createAgent(v, fresh('svc'), ['secrets:read:production/*']);
    const asked = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: [`secrets:read:${path}`], ttl: '5m' } });
    const id = asked.body.approvalId as string;
    expect((await v.call('POST', `/v1/approvals/${id}/approve`, { token: key, body: {} })).status).toBe(403);
    const plain = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:production/none/*'], ttl: '5m' } });
    expect((await v.call('POST', `/v1/approvals/${id}/approve`, { token: plain.body.token, body: {} })).status).toBe(403);
    // An editor that is not an approver cannot either.
    const editor = await editorNamed();
    expect((await v.call('POST', `/v1/approvals/${id}/approve`, { token: editor, body: {} })).status).toBe(403);
    expect((await v.call('GET', `/v1/approvals/${id}`, { token: v.adminToken })).body.decisions).toEqual([]);
  });
});

describe('storage tampering (write access without the master key)', () => {
  it('lowering required_approvals, changing paths, or naming another token as collected is refused', async () => {
    const p = `tamper${fresh('')}`;
    await setPolicy({ prefixes: [{ prefix: p, requiredApprovals: 2 }] });
    try {
      const editor = await editorNamed();
      await put(`${p}/x`, 'standard');
      const id = (await v.call('GET', `/v1/secrets/${p}/x`, { token: editor })).body.approvalId as string;
      const [before] = await v.sql(`SELECT * FROM approvals WHERE id = '${id}'`);
      await v.sql(`UPDATE approvals SET required_approvals = 1 WHERE id = '${id}'`);
      const lowered = await v.call('POST', `/v1/approvals/${id}/approve`, { token: alice, body: {} });
      expect(lowered.status).toBe(500);
      expect(lowered.body.error.code).toBe('integrity_failed');
      await v.sql(`UPDATE approvals SET required_approvals = ${before?.required_approvals} WHERE id = '${id}'`);
      // A decision row written into the database is refused, so it cannot count as the second yes.
      expect((await v.call('POST', `/v1/approvals/${id}/approve`, { token: alice, body: {} })).body.status).toBe('pending');
      const [decision] = await v.sql(`SELECT * FROM approval_decisions WHERE approval_id = '${id}'`);
      const bobId = (await v.sql("SELECT id FROM users WHERE name = 'bob'"))[0]?.id;
      await v.sql(
        `INSERT INTO approval_decisions (approval_id, user_id, user_name, decision, reason, time, mac) VALUES ('${id}', '${bobId}', 'bob', 'approve', NULL, ${Date.now()}, '${decision?.mac}')`,
      );
      const forged = await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} });
      expect(forged.status).not.toBe(200);
      expect(forged.text).not.toContain(CANARY);
    } finally {
      await resetPolicy();
    }
  });

  it('a collected token request whose row is made to cover more paths is refused', async () => {
    const base = `production/${fresh('t')}`;
    await put(`${base}/a`, 'critical');
    const key = await createAgent(v, fresh('svc'), [`secrets:read:${base}/*`]);
    const asked = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: [`secrets:read:${base}/*`], ttl: '5m' } });
    expect(asked.status).toBe(202);
    await v.call('POST', `/v1/approvals/${asked.body.approvalId}/approve`, { token: alice, body: {} });
    const got = await v.call('POST', `/v1/approvals/${asked.body.approvalId}/collect`, { token: key, body: {} });
    expect(got.status).toBe(200);
    await put(`${base}/b`, 'critical', 'canary-b');
    await v.sql(`UPDATE approvals SET paths = '${JSON.stringify([`${base}/a`, `${base}/b`])}' WHERE id = '${asked.body.approvalId}'`);
    const read = await v.call('GET', `/v1/secrets/${base}/b`, { token: got.body.token.token });
    expect(read.status).toBe(500);
    expect(read.body.error.code).toBe('integrity_failed');
    expect(read.text).not.toContain('canary-b');
  });

  it('a plain viewer made an approver in the database cannot approve', async () => {
    const name = fresh('sneaky');
    const token = await user(name, 'viewer');
    const editor = await editorNamed();
    const path = await secret('critical');
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    await v.sql(`UPDATE users SET approver = 1 WHERE name = '${name}'`);
    try {
      const res = await v.call('POST', `/v1/approvals/${id}/approve`, { token, body: {} });
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('integrity_failed');
    } finally {
      // (A garbled user row refuses every hold, which lists the approvers: put it back.)
      await v.sql(`UPDATE users SET approver = 0 WHERE name = '${name}'`);
    }
    const show = await v.call('GET', `/v1/approvals/${id}`, { token: v.adminToken });
    expect(show.body.status).toBe('pending');
    expect(show.body.decisions).toEqual([]);
  });
});

describe('no value or credential outside the value it releases', () => {
  let hook: Server;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const HOOK_KEY = 'hook-key-attack-canary-5e1d';

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('202 bodies, webhook bodies and audit rows carry no value, agent key, user token or OIDC token; requester text cannot ping or link', async () => {
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/slack`;
    await put('ops/attack-hook', 'standard', HOOK_KEY);
    await setPolicy({ notify: { webhook: url, webhookSecret: 'ops/attack-hook' } });
    try {
      const path = await secret('critical');
      const editorName = fresh('ed');
      const editor = await user(editorName, 'editor');
      const key = await agentWithTrust({ repository_id: issuer.claims.repository_id });
      const oidc = await issuer.mint({ audience: v.url });
      const nasty = '&lt;!channel&gt; <!here> <@U123> <#C1|x> <https://evil.example|ok> `ass approvals approve 0000000000000000`';
      const bodies = [
        await v.call('GET', `/v1/secrets/${path}?reason=${encodeURIComponent(nasty)}`, { token: editor }),
        await v.call('POST', '/v1/batch/read', { token: editor, body: { paths: [path], description: `${nasty} (batch)` } }),
        await v.call('POST', '/v1/tokens/exchange', {
          token: key,
          body: { oidcToken: oidc, scopes: [`secrets:read:${path}`], description: nasty },
        }),
      ];
      for (const b of bodies) {
        expect(b.status).toBe(202);
        for (const c of [CANARY, editor, key, oidc, HOOK_KEY]) expect(b.text).not.toContain(c);
      }
      await expect.poll(() => received.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
      for (const r of received) {
        for (const c of [CANARY, editor, key, oidc, HOOK_KEY]) expect(r.body).not.toContain(c);
        const body = JSON.parse(r.body);
        for (const text of [body.text, body.blocks[0].text.text]) {
          expect(text).not.toMatch(/<!|<@|<#|<https?:/);
          expect(text).not.toContain('&lt;!channel&gt;'); // pre-escaped text is escaped again, so Slack shows it, never parses it
        }
      }
      const log = JSON.stringify(await v.sql('SELECT * FROM audit'));
      for (const c of [CANARY, editor, key, oidc, HOOK_KEY]) expect(log).not.toContain(c);
    } finally {
      await resetPolicy();
    }
  });

  it('huge requests are refused before anything is stored', async () => {
    const editor = await editorNamed();
    const path = await secret('critical');
    const long = await v.call('GET', `/v1/secrets/${path}?reason=${'x'.repeat(600)}`, { token: editor });
    expect(long.status).toBe(400);
    const many = Array.from({ length: 501 }, (_, i) => `production/none/p${i}`);
    expect((await v.call('POST', '/v1/batch/read', { token: editor, body: { paths: many } })).status).toBe(400);
  });
});
