/**
 * Human approvals, end to end against a real vault on its default policy (seed 003's: sensitive
 * and critical secrets need one approval within 24 h): held requests, decisions, collection once,
 * expiry, the webhook, and the attacks on each promise.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/rotation/notify.js';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { createAgent, fakeClock, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-approval-value-7f3a9c';

let v: TestVault;
let approver: string;
let approver2: string;
let viewer: string;
let editor: string;
let seq = 0;
const fresh = (what: string) => `${what}-${++seq}`;

async function user(name: string, role: string, isApprover = false): Promise<string> {
  const res = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name, role, approver: isApprover } });
  expect(res.status).toBe(201);
  return res.body.token as string;
}

async function secret(tier: 'standard' | 'sensitive' | 'critical', value = CANARY): Promise<string> {
  const path = `production/${fresh('s')}/key`;
  const res = await v.call('PUT', `/v1/secrets/${path}`, { token: v.adminToken, body: { value, tier } });
  expect(res.status).toBe(200);
  return path;
}

async function auditEvents(path: string) {
  const res = await v.call('GET', `/v1/audit?resourcePath=${encodeURIComponent(path)}&limit=100`, { token: v.adminToken });
  return (res.body.events as { event: string; status: string; reason: string; actorName: string }[]).reverse();
}

beforeAll(async () => {
  v = await startTestVault({ approvals: 'default' });
  approver = await user('alice', 'viewer', true);
  approver2 = await user('bob', 'auditor', true);
  viewer = await user('victor', 'viewer');
  editor = await user('erin', 'editor');
});

afterAll(async () => {
  await v.cleanup();
});

describe('a critical read held for approval', () => {
  it('answers 202 approval_required with the request, approved by another user, collected once', async () => {
    const path = await secret('critical');
    const held = await v.call('GET', `/v1/secrets/${path}?reason=${encodeURIComponent('incident 42')}`, { token: editor });
    expect(held.status).toBe(202);
    expect(held.body.error.code).toBe('approval_required');
    expect(held.body.status).toBe('pending');
    expect(held.body.paths).toEqual([path]);
    expect(held.body.approvers).toEqual(['admin', 'alice', 'bob']);
    expect(held.body.requester).toMatchObject({ type: 'user', name: 'erin' });
    expect(held.body.description).toBe('incident 42');
    expect(held.body.approveCommand).toBe(`ass approvals approve ${held.body.approvalId}`);
    expect(held.text).not.toContain(CANARY);
    const id = held.body.approvalId as string;

    // The requester polls: still pending, nothing released.
    const early = await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} });
    expect(early.status).toBe(202);
    expect(early.text).not.toContain(CANARY);

    const ok = await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver, body: { reason: 'on call' } });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect(ok.body.decisions).toMatchObject([{ user: 'alice', decision: 'approve', reason: 'on call' }]);

    const got = await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} });
    expect(got.status).toBe(200);
    expect(got.body.secrets).toEqual([expect.objectContaining({ path, value: CANARY, tier: 'critical' })]);
    expect(got.body.approval.status).toBe('collected');

    const again = await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already collected/);
    expect(again.text).not.toContain(CANARY);

    // A new read is a new request: the approval was for one read.
    // (A fresh requester: erin's own requests include one tampered with above, which refuses her until restored.)
    const back = await v.call('GET', `/v1/secrets/${path}`, { token: await user(fresh('frank'), 'editor') });
    expect(back.status).toBe(202);

    const events = (await auditEvents(path)).map((e) => `${e.event}:${e.status}`);
    expect(events).toEqual(
      expect.arrayContaining([
        'secret.read:pending',
        'approval.request:granted',
        'approval.collect:pending',
        'approval.approve:granted',
        'approval.collect:granted',
        'secret.read:granted',
        'approval.collect:error',
      ]),
    );
    const log = JSON.stringify(await v.sql('SELECT * FROM audit'));
    expect(log).not.toContain(CANARY);
  });

  it('holds a standard read of nothing: standard secrets read at once', async () => {
    const path = await secret('standard');
    const res = await v.call('GET', `/v1/secrets/${path}`, { token: editor });
    expect(res.status).toBe(200);
    expect(res.body.value).toBe(CANARY);
  });

  it('refuses self-approval, and approval by a plain viewer, with clear errors', async () => {
    const path = await secret('critical');
    const held = await v.call('GET', `/v1/secrets/${path}`, { token: v.adminToken });
    const id = held.body.approvalId as string;
    expect(held.body.approvers).toEqual(['alice', 'bob']);
    const self = await v.call('POST', `/v1/approvals/${id}/approve`, { token: v.adminToken, body: {} });
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/No one approves their own request/);
    const plain = await v.call('POST', `/v1/approvals/${id}/approve`, { token: viewer, body: {} });
    expect(plain.status).toBe(403);
    expect(plain.body.error.message).toMatch(/viewer role cannot approve requests: only admins and approvers/);
    const unknown = await v.call('POST', '/v1/approvals/0123456789abcdef/approve', { token: approver, body: {} });
    expect(unknown.status).toBe(404);
    const malformed = await v.call('POST', '/v1/approvals/nope/approve', { token: approver, body: {} });
    expect(malformed.status).toBe(400);
    // Nothing of that changed the request.
    const show = await v.call('GET', `/v1/approvals/${id}`, { token: v.adminToken });
    expect(show.body.status).toBe('pending');
    expect(show.body.decisions).toEqual([]);
    // Someone else's request is not theirs to see or collect.
    expect((await v.call('GET', `/v1/approvals/${id}`, { token: editor })).status).toBe(403);
    expect((await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} })).status).toBe(403);
  });

  it('a denial is final and tells the requester why', async () => {
    const path = await secret('sensitive');
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    const noReason = await v.call('POST', `/v1/approvals/${id}/deny`, { token: approver, body: {} });
    expect(noReason.status).toBe(400);
    const deny = await v.call('POST', `/v1/approvals/${id}/deny`, { token: approver, body: { reason: 'not during the freeze' } });
    expect(deny.status).toBe(200);
    expect(deny.body.status).toBe('denied');
    const collect = await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} });
    expect(collect.status).toBe(403);
    expect(collect.body.error.code).toBe('approval_denied');
    const late = await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver2, body: {} });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/final/);
    const twice = await v.call('POST', `/v1/approvals/${id}/deny`, { token: approver, body: { reason: 'again' } });
    expect(twice.status).toBe(409);
  });

  it('holds a token request whose scopes reach a critical secret; the token reads only the approved paths', async () => {
    const path = await secret('critical');
    const other = await secret('critical');
    const plain = await secret('standard');
    const key = await createAgent(v, fresh('svc'), ['secrets:read:production/*']);
    const held = await v.call('POST', '/v1/tokens', {
      token: key,
      body: { scopes: [`secrets:read:${path}`, `secrets:read:${plain}`], ttl: '10m', maxUses: 3, description: 'invoice run' },
    });
    expect(held.status).toBe(202);
    expect(held.body.kind).toBe('token');
    expect(held.body.paths).toEqual([path]);
    expect(held.body.scopes).toEqual([`secrets:read:${path}`, `secrets:read:${plain}`]);
    const id = held.body.approvalId as string;
    // The same request again is the same request.
    const again = await v.call('POST', '/v1/tokens', {
      token: key,
      body: { scopes: [`secrets:read:${path}`, `secrets:read:${plain}`], ttl: '10m', maxUses: 3, description: 'invoice run' },
    });
    expect(again.body.approvalId).toBe(id);
    expect((await v.call('GET', `/v1/approvals/${id}`, { token: key })).body.status).toBe('pending');
    await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver, body: {} });
    const got = await v.call('POST', `/v1/approvals/${id}/collect`, { token: key, body: {} });
    expect(got.status).toBe(200);
    const token = got.body.token;
    expect(token.maxUses).toBe(3);
    expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(600_000);
    expect(token.claims.approval).toBe(id);
    expect((await v.call('GET', `/v1/secrets/${path}`, { token: token.token })).body.value).toBe(CANARY);
    expect((await v.call('GET', `/v1/secrets/${plain}`, { token: token.token })).status).toBe(200);
    expect((await v.call('POST', `/v1/approvals/${id}/collect`, { token: key, body: {} })).status).toBe(409);
    // A wider token (its own approval) reaches another critical secret only with another approval.
    const wide = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:production/*'], ttl: '5m' } });
    expect(wide.status).toBe(202);
    expect(wide.body.paths).toContain(other);
  });

  it('a token whose scopes reach a secret that became critical later is held at the read', async () => {
    const base = `production/${fresh('later')}`;
    const key = await createAgent(v, fresh('svc'), [`secrets:read:${base}/*`]);
    const tok = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: [`secrets:read:${base}/*`], ttl: '10m' } });
    expect(tok.status).toBe(201);
    await v.call('PUT', `/v1/secrets/${base}/db`, { token: v.adminToken, body: { value: CANARY, tier: 'critical' } });
    const read = await v.call('GET', `/v1/secrets/${base}/db`, { token: tok.body.token });
    expect(read.status).toBe(202);
    expect(read.body.requester).toMatchObject({ type: 'token', tokenId: tok.body.id });
    const batch = await v.call('POST', '/v1/batch/read', { token: tok.body.token, body: { prefixes: [base], description: 'deploy' } });
    expect(batch.status).toBe(202);
    expect(batch.text).not.toContain(CANARY);
    await v.call('POST', `/v1/approvals/${batch.body.approvalId}/approve`, { token: approver2, body: {} });
    // Only the token that asked collects.
    expect((await v.call('POST', `/v1/approvals/${batch.body.approvalId}/collect`, { token: key, body: {} })).status).toBe(403);
    const got = await v.call('POST', `/v1/approvals/${batch.body.approvalId}/collect`, { token: tok.body.token, body: {} });
    expect(got.status).toBe(200);
    expect(got.body.secrets.map((s: { path: string }) => s.path)).toEqual([`${base}/db`]);
  });

  it("judges a version by the stricter of its own tier and the secret's: relabelling does not unlock old values", async () => {
    const path = await secret('critical', 'canary-old-critical');
    await v.call('PUT', `/v1/secrets/${path}`, { token: editor, body: { value: 'now-public', tier: 'standard' } });
    expect((await v.call('GET', `/v1/secrets/${path}`, { token: editor })).status).toBe(200);
    const old = await v.call('GET', `/v1/secrets/${path}?version=1`, { token: editor });
    expect(old.status).toBe(202);
    expect(old.text).not.toContain('canary-old-critical');
  });
});

describe('N required approvals', () => {
  it('takes N distinct approvers; one is not enough, the same one twice counts once', async () => {
    const prefix = `payments-${fresh('p')}`;
    const set = await v.call('PUT', '/v1/approvals/policy', {
      token: v.adminToken,
      body: {
        tiers: { standard: { requiredApprovals: 0 }, sensitive: { requiredApprovals: 1 }, critical: { requiredApprovals: 1 } },
        prefixes: [{ prefix, requiredApprovals: 2, timeout: '2h' }],
      },
    });
    expect(set.status).toBe(200);
    try {
      await v.call('PUT', `/v1/secrets/${prefix}/stripe`, { token: v.adminToken, body: { value: CANARY, tier: 'standard' } });
      const held = await v.call('GET', `/v1/secrets/${prefix}/stripe`, { token: editor });
      expect(held.status).toBe(202);
      expect(held.body.requiredApprovals).toBe(2);
      expect(held.body.rule).toBe(`prefix ${prefix}`);
      expect(Date.parse(held.body.expiresAt) - Date.parse(held.body.createdAt)).toBe(7_200_000);
      const id = held.body.approvalId as string;
      const one = await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver, body: {} });
      expect(one.body.status).toBe('pending');
      const dup = await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver, body: {} });
      expect(dup.status).toBe(409);
      expect(dup.body.error.message).toMatch(/2 distinct approvers/);
      expect((await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} })).status).toBe(202);
      const two = await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver2, body: {} });
      expect(two.body.status).toBe('approved');
      expect((await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} })).body.secrets[0].value).toBe(CANARY);
    } finally {
      await v.call('PUT', '/v1/approvals/policy', {
        token: v.adminToken,
        body: { tiers: { standard: { requiredApprovals: 0 }, sensitive: { requiredApprovals: 1 }, critical: { requiredApprovals: 1 } } },
      });
    }
  });

  it('counts concurrent approvals in one transaction: N approvers racing approve it exactly once', async () => {
    const path = await secret('critical');
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    const results = await Promise.all(
      [approver, approver2, v.adminToken].map((t) => v.call('POST', `/v1/approvals/${id}/approve`, { token: t, body: {} })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(2);
    const collects = await Promise.all(
      Array.from({ length: 5 }, () => v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} })),
    );
    expect(collects.filter((r) => r.status === 200)).toHaveLength(1);
  });
});

describe('the approval policy', () => {
  it('refuses bad input and names the fix; only admins set it', async () => {
    const tiers = { standard: { requiredApprovals: 0 }, sensitive: { requiredApprovals: 1 }, critical: { requiredApprovals: 1 } };
    const put = (body: unknown, token = v.adminToken) => v.call('PUT', '/v1/approvals/policy', { token, body });
    expect((await put({ tiers, approvers: ['nobody'] })).body.error.message).toMatch(/No active user named nobody/);
    expect((await put({ tiers, approvers: ['victor'] })).body.error.message).toMatch(/ass users update victor --approver/);
    expect((await put({ tiers: { ...tiers, critical: { requiredApprovals: 1, timeout: '30d' } } })).body.error.message).toMatch(
      /from 1m to 7d/,
    );
    expect((await put({ tiers: { ...tiers, critical: { requiredApprovals: 11 } } })).status).toBe(400);
    expect((await put({ tiers, notify: { webhook: 'https://hooks.example.com/x' } })).status).toBe(400);
    expect((await put({ tiers, notify: { webhook: 'http://hooks.example.com/x', webhookSecret: 'ops/hook' } })).status).toBe(400);
    expect((await put({ tiers }, editor)).status).toBe(403);
    const current = await v.call('GET', '/v1/approvals/policy', { token: viewer });
    expect(current.status).toBe(200);
    const stale = await put({ tiers, expectedRevision: current.body.revision - 1 });
    expect(stale.status).toBe(409);
    // None of the refused changes changed it.
    expect((await v.call('GET', '/v1/approvals/policy', { token: viewer })).body.revision).toBe(current.body.revision);
  });

  it('limits approvers to those the policy names', async () => {
    const prefix = `restricted-${fresh('r')}`;
    const tiers = { standard: { requiredApprovals: 0 }, sensitive: { requiredApprovals: 1 }, critical: { requiredApprovals: 1 } };
    await v.call('PUT', '/v1/approvals/policy', {
      token: v.adminToken,
      body: { tiers, prefixes: [{ prefix, requiredApprovals: 1, approvers: ['bob'] }] },
    });
    try {
      await v.call('PUT', `/v1/secrets/${prefix}/k`, { token: v.adminToken, body: { value: CANARY } });
      const held = await v.call('GET', `/v1/secrets/${prefix}/k`, { token: editor });
      expect(held.body.approvers).toEqual(['bob']);
      const alice = await v.call('POST', `/v1/approvals/${held.body.approvalId}/approve`, { token: approver, body: {} });
      expect(alice.status).toBe(403);
      expect(alice.body.error.message).toMatch(/only bob/);
      expect((await v.call('POST', `/v1/approvals/${held.body.approvalId}/approve`, { token: approver2, body: {} })).status).toBe(200);
    } finally {
      await v.call('PUT', '/v1/approvals/policy', { token: v.adminToken, body: { tiers } });
    }
  });

  it('a user made an approver (and no longer one) is audited', async () => {
    const name = fresh('carol');
    await user(name, 'viewer');
    const on = await v.call('PATCH', `/v1/users/${name}`, { token: v.adminToken, body: { approver: true } });
    expect(on.body.approver).toBe(true);
    const again = await v.call('PATCH', `/v1/users/${name}`, { token: v.adminToken, body: { approver: true } });
    expect(again.status).toBe(409);
    const off = await v.call('PATCH', `/v1/users/${name}`, { token: v.adminToken, body: { approver: false } });
    expect(off.body.approver).toBe(false);
    expect((await v.call('PATCH', `/v1/users/${name}`, { token: editor, body: { approver: true } })).status).toBe(403);
  });
});

describe('expiry', () => {
  it('a request expires at its timeout: no decision, no collection, and the sweep records it', async () => {
    const clock = fakeClock(Date.now());
    const w = await startTestVault({ approvals: 'default', now: clock });
    try {
      const alice = (await w.call('POST', '/v1/users', { token: w.adminToken, body: { name: 'alice', role: 'viewer', approver: true } }))
        .body.token;
      await w.call('PUT', '/v1/secrets/ops/root', { token: w.adminToken, body: { value: CANARY, tier: 'critical' } });
      const a = (await w.call('GET', '/v1/secrets/ops/root', { token: w.adminToken })).body.approvalId as string;
      const b = (await w.call('GET', '/v1/secrets/ops/root?reason=second', { token: w.adminToken })).body.approvalId as string;
      // b is approved in time but not collected in time.
      expect((await w.call('POST', `/v1/approvals/${b}/approve`, { token: alice, body: {} })).status).toBe(200);
      clock.advance(24 * 3600_000 + 1000);
      const late = await w.call('POST', `/v1/approvals/${a}/approve`, { token: alice, body: {} });
      expect(late.status).toBe(410);
      expect(late.body.error.code).toBe('approval_expired');
      expect((await w.call('GET', `/v1/approvals/${a}`, { token: w.adminToken })).body.status).toBe('expired');
      const collect = await w.call('POST', `/v1/approvals/${b}/collect`, { token: w.adminToken, body: {} });
      expect(collect.status).toBe(410);
      expect(collect.text).not.toContain(CANARY);
      expect(await w.sweepApprovals()).toBe(2);
      expect(await w.sweepApprovals()).toBe(0);
      const expired = (await w.call('GET', '/v1/audit?eventType=approval.expire', { token: w.adminToken })).body.events;
      expect(expired).toHaveLength(2);
      expect((await w.call('GET', '/v1/approvals?status=expired', { token: w.adminToken })).body.approvals).toHaveLength(2);
      expect((await w.call('GET', '/v1/audit/verify', { token: w.adminToken })).body.ok).toBe(true);
    } finally {
      await w.cleanup();
    }
  });
});

describe('a pipeline held for approval', () => {
  let issuer: LocalOidcIssuer;
  beforeAll(async () => {
    issuer = await startOidcIssuer();
  });
  afterAll(async () => {
    await issuer.close();
  });

  it('collects its pipeline token with a fresh OIDC token of the same run, never another run', async () => {
    const path = await secret('critical');
    const name = fresh('deploy');
    const created = await v.call('POST', '/v1/agents', {
      token: v.adminToken,
      body: {
        name,
        scopes: ['secrets:read:production/*'],
        trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
      },
    });
    const key = created.body.agentKey as string;
    const held = await v.call('POST', '/v1/tokens/exchange', {
      token: key,
      body: { oidcToken: await issuer.mint({ audience: v.url }), scopes: [`secrets:read:${path}`], ttl: '5m' },
    });
    expect(held.status).toBe(202);
    expect(held.body.kind).toBe('exchange');
    expect(held.body.requester.type).toBe('pipeline');
    expect(held.body.requester.claims).toMatchObject({ repository: 'octo-org/octo-repo', run_id: issuer.claims.run_id, actor: 'octocat' });
    const id = held.body.approvalId as string;
    await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver, body: {} });
    const without = await v.call('POST', `/v1/approvals/${id}/collect`, { token: key, body: {} });
    expect(without.status).toBe(400);
    const otherRun = await v.call('POST', `/v1/approvals/${id}/collect`, {
      token: key,
      body: { oidcToken: await issuer.mint({ audience: v.url, claims: { run_id: '999' } }) },
    });
    expect(otherRun.status).toBe(403);
    expect(otherRun.body.error.message).toMatch(/another run/);
    const got = await v.call('POST', `/v1/approvals/${id}/collect`, {
      token: key,
      body: { oidcToken: await issuer.mint({ audience: v.url }) },
    });
    expect(got.status).toBe(200);
    expect(got.body.token.kind).toBe('pipeline');
    expect(got.body.token.claims).toMatchObject({ run_id: issuer.claims.run_id, approval: id });
    expect((await v.call('GET', `/v1/secrets/${path}`, { token: got.body.token.token })).body.value).toBe(CANARY);
  });

  it('the same run asks once: a re-run attempt after the approval collects it, with its own claims', async () => {
    const path = await secret('critical');
    const created = await v.call('POST', '/v1/agents', {
      token: v.adminToken,
      body: {
        name: fresh('deploy'),
        scopes: ['secrets:read:production/*'],
        trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
      },
    });
    const key = created.body.agentKey as string;
    const exchange = async (claims: Record<string, unknown> = {}) =>
      v.call('POST', '/v1/tokens/exchange', {
        token: key,
        body: { oidcToken: await issuer.mint({ audience: v.url, claims }), scopes: [`secrets:read:${path}`] },
      });
    const first = await exchange();
    const again = await exchange();
    expect(again.body.approvalId).toBe(first.body.approvalId);
    expect((await v.call('GET', '/v1/approvals?status=pending', { token: key })).body.approvals).toHaveLength(1);
    await v.call('POST', `/v1/approvals/${first.body.approvalId}/approve`, { token: approver, body: {} });
    const rerun = await exchange({ run_attempt: '2', actor: 'someone-else' });
    expect(rerun.status).toBe(202);
    expect(rerun.body.approvalId).toBe(first.body.approvalId);
    expect(rerun.body.status).toBe('approved');
    expect(rerun.body.error.message).toMatch(/was approved; collect it/);
    const got = await v.call('POST', `/v1/approvals/${rerun.body.approvalId}/collect`, {
      token: key,
      body: { oidcToken: await issuer.mint({ audience: v.url, claims: { run_attempt: '2' } }) },
    });
    expect(got.status).toBe(200);
    expect(got.body.token.claims.run_attempt).toBe('2');
    // Another commit of the same run id is not the same run.
    const otherSha = await exchange({ sha: 'f'.repeat(40) });
    expect(otherSha.body.approvalId).not.toBe(first.body.approvalId);
  });

  it('the person who started the run may not approve it', async () => {
    await user('octocat', 'viewer', true);
    const path = await secret('critical');
    const created = await v.call('POST', '/v1/agents', {
      token: v.adminToken,
      body: {
        name: fresh('deploy'),
        scopes: ['secrets:read:production/*'],
        trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
      },
    });
    const held = await v.call('POST', '/v1/tokens/exchange', {
      token: created.body.agentKey,
      body: { oidcToken: await issuer.mint({ audience: v.url }), scopes: [`secrets:read:${path}`] },
    });
    expect(held.body.approvers).not.toContain('octocat');
    const octocat = (await v.call('GET', '/v1/users', { token: v.adminToken })).body.users.find(
      (u: { name: string }) => u.name === 'octocat',
    );
    expect(octocat.approver).toBe(true);
  });
});

describe('the webhook', () => {
  let hook: Server;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const HOOK_KEY = 'hook-key-0123456789abcdef-canary';

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

  it('is told of each request and decision, signed, in a Slack-compatible shape, with no secret', async () => {
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/slack`;
    await v.call('PUT', '/v1/secrets/ops/approval-hook', { token: v.adminToken, body: { value: HOOK_KEY, tier: 'standard' } });
    const tiers = { standard: { requiredApprovals: 0 }, sensitive: { requiredApprovals: 1 }, critical: { requiredApprovals: 1 } };
    const set = await v.call('PUT', '/v1/approvals/policy', {
      token: v.adminToken,
      body: { tiers, notify: { webhook: url, webhookSecret: 'ops/approval-hook' } },
    });
    expect(set.status).toBe(200);
    try {
      const path = await secret('critical');
      const held = await v.call('GET', `/v1/secrets/${path}?reason=${encodeURIComponent('<!channel> <https://evil.example|click> & go')}`, {
        token: editor,
      });
      const id = held.body.approvalId as string;
      await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver, body: {} });
      await expect.poll(() => received.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
      const [created, decided] = received;
      for (const r of [created, decided]) {
        expect(r?.headers['content-type']).toBe('application/json');
        expect(verifyWebhookSignature(r?.body as string, r?.headers['x-ass-signature-256'] as string, HOOK_KEY)).toBe(true);
        expect(r?.body).not.toContain(CANARY);
        expect(r?.body).not.toContain(HOOK_KEY);
      }
      expect(created?.headers['x-ass-event']).toBe('approval.requested');
      expect(decided?.headers['x-ass-event']).toBe('approval.approved');
      const body = JSON.parse(created?.body as string);
      expect(body.text).toContain(`ass approvals approve ${id}`);
      expect(body.blocks[0].type).toBe('section');
      expect(body.approval).toMatchObject({ id, paths: [path], status: 'pending' });
      // The requester's text cannot ping the channel or hide a link.
      expect(body.text).not.toContain('<!channel>');
      expect(body.text).toContain('&lt;!channel&gt;');
      expect(body.text).not.toContain('<https://evil.example');
    } finally {
      await v.call('PUT', '/v1/approvals/policy', { token: v.adminToken, body: { tiers } });
    }
  });
});

describe('limits', () => {
  it('a requester has at most 20 requests pending', async () => {
    const token = await user(fresh('flood'), 'editor');
    const paths = [];
    for (let i = 0; i < 21; i++) paths.push(await secret('critical'));
    const answers = [];
    for (const p of paths) answers.push(await v.call('GET', `/v1/secrets/${p}`, { token }));
    expect(answers.slice(0, 20).every((a) => a.status === 202)).toBe(true);
    expect(answers[20]?.status).toBe(429);
    expect(answers[20]?.body.error.message).toMatch(/20 approval requests pending/);
  });
});

describe('attacks on the store', () => {
  // Each attack tampers with its requester's requests, which then refuse that requester: a fresh one each.
  let editor = '';
  beforeEach(async () => {
    editor = await user(fresh('requester'), 'editor');
  });

  it('a request marked approved in the database releases nothing', async () => {
    const path = await secret('critical');
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    await v.sql(`UPDATE approvals SET status = 'approved' WHERE id = '${id}'`);
    const res = await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('integrity_failed');
    expect(res.text).not.toContain(CANARY);
  });

  it('a collected request put back as it was before its collection is refused (the log says collected)', async () => {
    const path = await secret('critical');
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver, body: {} });
    const [before] = await v.sql(`SELECT * FROM approvals WHERE id = '${id}'`);
    expect((await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} })).status).toBe(200);
    await v.sql(`UPDATE approvals SET status = 'approved', collected_at = NULL, mac = '${before?.mac}' WHERE id = '${id}'`);
    const replay = await v.call('POST', `/v1/approvals/${id}/collect`, { token: editor, body: {} });
    expect(replay.status).toBe(500);
    expect(replay.body.error.code).toBe('integrity_failed');
    expect(replay.text).not.toContain(CANARY);
  });

  it('a denial undone in the database stays a denial', async () => {
    const path = await secret('critical');
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    const [before] = await v.sql(`SELECT * FROM approvals WHERE id = '${id}'`);
    await v.call('POST', `/v1/approvals/${id}/deny`, { token: approver, body: { reason: 'no' } });
    await v.sql(`UPDATE approvals SET status = 'pending', decided_at = NULL, mac = '${before?.mac}' WHERE id = '${id}'`);
    await v.sql(`DELETE FROM approval_decisions WHERE approval_id = '${id}'`);
    const res = await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver2, body: {} });
    expect(res.body.error.code).toBe('integrity_failed');
  });

  it('a token cannot claim an approval it was not released by', async () => {
    const path = await secret('critical');
    const key = await createAgent(v, fresh('svc'), ['secrets:read:production/*']);
    const tok = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:production/none/*'], ttl: '5m' } });
    const id = (await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.approvalId as string;
    await v.call('POST', `/v1/approvals/${id}/approve`, { token: approver, body: {} });
    await v.sql(`UPDATE tokens SET claims = '{"approval":"${id}"}', scopes = '["secrets:read:production/*"]' WHERE id = '${tok.body.id}'`);
    const res = await v.call('GET', `/v1/secrets/${path}`, { token: tok.body.token });
    expect(res.status).toBe(500);
    expect(res.text).not.toContain(CANARY);
  });

  it('an approver flag put back after its removal, or a policy removed or rolled back, is refused', async () => {
    const name = fresh('mallory');
    const token = await user(name, 'viewer', true);
    const [row] = await v.sql(`SELECT * FROM users WHERE name = '${name}'`);
    await v.call('PATCH', `/v1/users/${name}`, { token: v.adminToken, body: { approver: false } });
    const [removed] = await v.sql(`SELECT * FROM users WHERE name = '${name}'`);
    await v.sql(`UPDATE users SET approver = 1, mac = '${row?.mac}' WHERE name = '${name}'`);
    expect((await v.call('GET', '/v1/whoami', { token })).body.error.code).toBe('integrity_failed');
    await v.sql(`UPDATE users SET approver = 0, mac = '${removed?.mac}' WHERE name = '${name}'`);

    const tiers = { standard: { requiredApprovals: 0 }, sensitive: { requiredApprovals: 1 }, critical: { requiredApprovals: 1 } };
    await v.call('PUT', '/v1/approvals/policy', { token: v.adminToken, body: { tiers: { ...tiers, standard: { requiredApprovals: 0 } } } });
    const [lenient] = await v.sql('SELECT * FROM approval_policy');
    await v.call('PUT', '/v1/approvals/policy', { token: v.adminToken, body: { tiers: { ...tiers, critical: { requiredApprovals: 2 } } } });
    const path = await secret('critical');
    await v.sql(`UPDATE approval_policy SET policy = '${lenient?.policy}', revision = ${lenient?.revision}, mac = '${lenient?.mac}'`);
    expect((await v.call('GET', `/v1/secrets/${path}`, { token: editor })).body.error.code).toBe('integrity_failed');
    await v.sql('DELETE FROM approval_policy');
    const gone = await v.call('GET', `/v1/secrets/${path}`, { token: editor });
    expect(gone.body.error.code).toBe('integrity_failed');
    expect(gone.text).not.toContain(CANARY);
    // The operator's way back: set the policy again (audited).
    expect((await v.call('PUT', '/v1/approvals/policy', { token: v.adminToken, body: { tiers } })).status).toBe(200);
    // (A fresh requester: erin's own requests include one tampered with above, which refuses her until restored.)
    const back = await v.call('GET', `/v1/secrets/${path}`, { token: await user(fresh('frank'), 'editor') });
    expect(back.status).toBe(202);
  });
});

describe('rotation under the default approval policy', () => {
  it("a rotator's reads within a rotation are not held; the same token's plain reads are", async () => {
    const path = await secret('critical');
    await v.call('PUT', `/v1/rotation/policies/${path}`, { token: v.adminToken, body: { rotator: 'random', settings: { length: 40 } } });
    const key = await createAgent(v, fresh('rotator'), ['secrets:rotate:production/*', 'secrets:read:production/*']);
    const issued = await v.call('POST', '/v1/tokens', {
      token: key,
      body: { scopes: [`secrets:rotate:${path}`, `secrets:read:${path}`], ttl: '5m' },
    });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;
    expect((await v.call('GET', `/v1/secrets/${path}`, { token })).status).toBe(202);
    // Naming a rotation that is not under way gets nothing.
    const idle = await v.call('GET', `/v1/secrets/${path}?rotating=${path}`, { token });
    expect(idle.status).toBe(202);
    expect(idle.text).not.toContain(CANARY);
    const begun = await v.call('POST', `/v1/rotation/begin/${path}`, { token, body: { rotator: 'random' } });
    expect(begun.status).toBe(200);
    // A random rotator never needs the current value: reading it stays held, also within the rotation.
    expect((await v.call('GET', `/v1/secrets/${path}?rotating=${path}`, { token })).status).toBe(202);
    const rotationId = begun.body.rotationId as string;
    await v.call('PUT', `/v1/rotation/pending/${path}`, { token, body: { rotationId, value: 'canary-next-value-0123456789' } });
    const inside = await v.call('GET', `/v1/secrets/${path}?stage=pending`, { token });
    expect(inside.status).toBe(200);
    expect(inside.body.value).toBe('canary-next-value-0123456789');
    // Another critical secret, not named by the policy, is not part of this rotation.
    const other = await secret('critical');
    expect((await v.call('GET', `/v1/secrets/${other}?rotating=${path}`, { token: v.adminToken })).status).toBe(202);
    // A token that may read but not rotate cannot claim the rotation.
    const reader = await createAgent(v, fresh('reader'), [`secrets:read:${path}`]);
    const held = await v.call('POST', '/v1/tokens', { token: reader, body: { scopes: [`secrets:read:${path}`], ttl: '5m' } });
    expect(held.status).toBe(202);
    const events = await auditEvents(path);
    expect(events.some((e) => e.event === 'secret.read' && e.status === 'granted' && e.reason?.includes('pending stage'))).toBe(true);
  });

  it('the server rotates a critical secret on schedule without waiting for anyone', async () => {
    const clock = fakeClock(Date.now());
    const w = await startTestVault({ approvals: 'default', now: clock, rotate: true, rotateEverySeconds: 3600 });
    try {
      await w.call('PUT', '/v1/secrets/ops/api-key', { token: w.adminToken, body: { value: CANARY, tier: 'critical' } });
      const policy = await w.call('PUT', '/v1/rotation/policies/ops/api-key', {
        token: w.adminToken,
        body: { rotator: 'random', every: '1d', settings: { length: 40 } },
      });
      expect(policy.status).toBe(200);
      clock.advance(2 * 86_400_000);
      const results = await w.runRotationPass?.();
      expect(results?.map((r) => r.status)).toEqual(['rotated']);
      const meta = await w.call('GET', '/v1/metadata/ops/api-key', { token: w.adminToken });
      expect(meta.body.version).toBe(2);
      // People still ask before they read it.
      expect((await w.call('GET', '/v1/secrets/ops/api-key', { token: w.adminToken })).status).toBe(202);
    } finally {
      await w.cleanup();
    }
  });
});

describe('on PostgreSQL', () => {
  it('holds, counts racing approvals once and releases once across two replicas', async () => {
    const w = await startTestVault({ approvals: 'default', backend: 'postgres' });
    try {
      const other = await w.replica();
      const users = [];
      for (const name of ['p1', 'p2', 'p3']) {
        users.push((await w.call('POST', '/v1/users', { token: w.adminToken, body: { name, role: 'viewer', approver: true } })).body.token);
      }
      const requester = (await w.call('POST', '/v1/users', { token: w.adminToken, body: { name: 'req', role: 'editor' } })).body.token;
      await w.call('PUT', '/v1/secrets/pg/critical', { token: w.adminToken, body: { value: CANARY, tier: 'critical' } });
      const held = await w.call('GET', '/v1/secrets/pg/critical', { token: requester });
      expect(held.status).toBe(202);
      const id = held.body.approvalId as string;
      const at = (i: number) => (i % 2 ? other.url : w.url);
      const decide = await Promise.all(
        users.map((t, i) =>
          fetch(`${at(i)}/v1/approvals/${id}/approve`, {
            method: 'POST',
            headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
            body: '{}',
          }),
        ),
      );
      expect(decide.filter((r) => r.status === 200)).toHaveLength(1);
      const collects = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          fetch(`${at(i)}/v1/approvals/${id}/collect`, {
            method: 'POST',
            headers: { authorization: `Bearer ${requester}`, 'content-type': 'application/json' },
            body: '{}',
          }),
        ),
      );
      expect(collects.filter((r) => r.status === 200)).toHaveLength(1);
      expect((await w.call('GET', '/v1/audit/verify', { token: w.adminToken })).body.ok).toBe(true);
    } finally {
      await w.cleanup();
    }
  });
});

describe('who may approve, as it stands', () => {
  it('a request shows the approvers of today: one made an approver after it was asked is listed', async () => {
    const path = await secret('critical');
    const requester = await user(fresh('req'), 'editor');
    const held = await v.call('GET', `/v1/secrets/${path}`, { token: requester });
    const name = fresh('late');
    await user(name, 'viewer');
    expect(held.body.approvers).not.toContain(name);
    await v.call('PATCH', `/v1/users/${name}`, { token: v.adminToken, body: { approver: true } });
    const shown = await v.call('GET', `/v1/approvals/${held.body.approvalId}`, { token: requester });
    expect(shown.body.approvers).toContain(name);
    expect(shown.body.approvers).not.toContain(requester);
  });
});

describe('a person rotates by hand', () => {
  it('a random-rotated critical secret rotates with a user token: the rotator never reads the current value', async () => {
    const { plan, rotateAll } = await import('../../src/rotation/engine.js');
    const { createClient } = await import('../../src/client/client.js');
    const { rotatorFor } = await import('../../src/rotation/registry.js');
    const path = await secret('critical');
    await v.call('PUT', `/v1/rotation/policies/${path}`, { token: v.adminToken, body: { rotator: 'random', settings: { length: 40 } } });
    const client = createClient({ url: v.url, credential: editor });
    try {
      const logs: string[] = [];
      const logger = { info: (m: string) => logs.push(m), warning: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
      const { items } = await plan(client, { paths: [path] });
      const results = await rotateAll({ client, logger, mask: () => {}, rotatorFor, env: {} } as never, items, { explicit: true });
      expect(results.map((r: { status: string }) => r.status)).toEqual(['rotated']);
      expect(JSON.stringify(logs)).not.toContain(CANARY);
    } finally {
      await client.close();
    }
  });
});
