/**
 * The `audit:read` scope, attacked from both sides: a token with every secrets scope cannot read
 * the audit log, and a token with `audit:read` cannot read, list, see the metadata of, rotate or be
 * counted as reaching any secret. Issuing and exchanging cannot widen into it, and it never needs an
 * approval (it reaches no secret).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ass } from '../helpers/cli-io.js';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-audit-scope-value-7d1c';
const SECRET = 'production/payments/stripe/secret-key';

/** Every audit route, as [method, path, body]. */
const AUDIT_ROUTES: [string, string, unknown?][] = [
  ['GET', '/v1/audit?limit=5'],
  ['GET', '/v1/audit?afterSeq=0&limit=5'],
  ['GET', '/v1/audit/summary?since=1h'],
  ['POST', '/v1/audit/anomalies', { since: '1h' }],
  ['GET', '/v1/audit/verify'],
  ['GET', '/v1/audit/checkpoint'],
  ['GET', '/v1/audit/export?format=json'],
  ['GET', '/v1/audit/export?format=csv'],
];

let v: TestVault;
let issuer: LocalOidcIssuer;
let everything: { token: string; id: string };
let auditor: { token: string; id: string };
let agentKey: string;

beforeAll(async () => {
  // The vault's own approval policy: a critical secret waits for a person, so a token request whose
  // scopes reached it would be held.
  v = await startTestVault({ approvals: 'default' });
  issuer = await startOidcIssuer();
  await v.call('PUT', `/v1/secrets/${SECRET}`, { token: v.adminToken, body: { value: CANARY, tier: 'standard' } });
  await v.call('PUT', `/v1/rotation/policies/${SECRET}`, { token: v.adminToken, body: { rotator: 'random' } });
  agentKey = await createAgent(v, 'mixed', ['secrets:*:*', 'audit:read']);
  everything = await issueToken(v, agentKey, { scopes: ['secrets:*:*'] });
  auditor = await issueToken(v, agentKey, { scopes: ['audit:read'] });
  // Stored after the tokens were issued: from now on a token request whose scopes reach it is held.
  await v.call('PUT', '/v1/secrets/production/critical/db', {
    token: v.adminToken,
    body: { value: `${CANARY}-critical`, tier: 'critical' },
  });
});

afterAll(async () => {
  await v?.cleanup();
  await issuer?.close();
});

describe('audit:read opens the audit log, and only it', () => {
  it.each(AUDIT_ROUTES)('%s %s: a secrets:*:* token is refused, naming audit:read', async (method, path, body) => {
    const res = await v.call(method, path, { token: everything.token, body });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('scope_missing');
    expect(res.body.error.details.missingScope).toBe('audit:read');
    expect(res.body.error.message).toContain('audit:read');
    expect(res.text).not.toContain(CANARY);
  });

  it.each(AUDIT_ROUTES)('%s %s: an audit:read token is answered', async (method, path, body) => {
    const res = await v.call(method, path, { token: auditor.token, body });
    expect(res.status, res.text).toBe(200);
    expect(res.text).not.toContain(CANARY);
  });

  it('the refusal of a secrets token is itself in the log', async () => {
    const page = await v.call('GET', '/v1/audit?eventType=audit.query&status=denied&limit=50', { token: auditor.token });
    expect(page.body.events.some((e: { tokenId: string | null }) => e.tokenId === everything.id)).toBe(true);
  });

  it('an audit:read token reads, lists and sees the metadata of no secret', async () => {
    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/secrets/${SECRET}`],
      ['POST', '/v1/batch/read', { paths: [SECRET] }],
      ['POST', '/v1/batch/read', { prefixes: ['production'] }],
      ['GET', '/v1/metadata?prefix=production'],
      ['GET', '/v1/metadata'],
      ['GET', `/v1/metadata/${SECRET}`],
      ['PUT', `/v1/secrets/${SECRET}`, { value: 'overwritten' }],
      ['DELETE', `/v1/secrets/${SECRET}`],
      ['GET', '/v1/rotation/policies'],
      ['POST', `/v1/rotation/begin/${SECRET}`, { rotator: 'random' }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await v.call(method, path, { token: auditor.token, body });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
      expect(res.body.error.code, `${method} ${path}`).toBe('scope_missing');
      expect(res.body.error.details.missingScope).toMatch(/^secrets:/);
      expect(res.text).not.toContain(CANARY);
    }
    // The secret is untouched.
    const after = await v.call('GET', `/v1/secrets/${SECRET}`, { token: v.adminToken });
    expect(after.body).toMatchObject({ value: CANARY, version: 1 });
  });

  it('an audit:read token cannot rotate an agent key through a rotation policy', async () => {
    await v.call('PUT', '/v1/rotation/policies/ci/agent-key', {
      token: v.adminToken,
      body: { rotator: 'agent-key', settings: { agent: 'mixed' } },
    });
    const res = await v.call('POST', '/v1/agents/mixed/key', { token: auditor.token, body: { path: 'ci/agent-key', grace: '1h' } });
    expect(res.status).toBe(403);
  });

  it('no token list or incident report counts an audit:read token as reaching a path', async () => {
    const covering = await v.call('GET', `/v1/tokens?path=${SECRET}`, { token: v.adminToken });
    const ids = covering.body.tokens.map((t: { id: string }) => t.id);
    expect(ids).toContain(everything.id);
    expect(ids).not.toContain(auditor.id);
    const r = await ass(['incident', SECRET, '--revoke', '--dry-run', '--json'], { ASS_URL: v.url, ASS_TOKEN: v.adminToken });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { wouldRevoke: string[] };
    expect(report.wouldRevoke).toContain(everything.id);
    expect(report.wouldRevoke).not.toContain(auditor.id);
  });

  it('a token asking only for audit:read is never held for approval, even from an agent that reaches critical secrets', async () => {
    const held = await v.call('POST', '/v1/tokens', { token: agentKey, body: { scopes: ['secrets:read:production/*'], ttl: '5m' } });
    expect(held.status).toBe(202);
    const res = await v.call('POST', '/v1/tokens', { token: agentKey, body: { scopes: ['audit:read'], ttl: '5m' } });
    expect(res.status, res.text).toBe(201);
    expect(res.body.scopes).toEqual(['audit:read']);
  });
});

describe('nobody widens into audit:read', () => {
  it('an agent without audit:read cannot issue it, however wide its secrets scopes', async () => {
    const key = await createAgent(v, 'secrets-only', ['secrets:*:*']);
    const res = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['audit:read'], ttl: '5m' } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('may not grant audit:read');
  });

  it('an audit-only agent cannot issue a secrets scope', async () => {
    const key = await createAgent(v, 'audit-only', ['audit:read']);
    const res = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:*'], ttl: '5m' } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('may not grant secrets:read:*');
  });

  it('audit scopes other than audit:read are refused with the valid forms', async () => {
    for (const scope of ['audit:write', 'audit:read:*', 'audit:*']) {
      const res = await v.call('POST', '/v1/agents', { token: v.adminToken, body: { name: 'bad-audit', scopes: [scope] } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_scope');
      expect(res.body.error.message).toMatch(/only audit scope is audit:read.*secrets:VERB:PATTERN/);
    }
  });

  it('the exchange gives audit:read only when the agent and its trust policy both hold it', async () => {
    const trust = (scopes?: string[]) => ({
      issuer: issuer.url,
      claims: { repository_id: issuer.claims.repository_id },
      ...(scopes ? { scopes } : {}),
    });
    const make = async (name: string, scopes: string[], policyScopes?: string[]) => {
      const res = await v.call('POST', '/v1/agents', { token: v.adminToken, body: { name, scopes, trustPolicy: trust(policyScopes) } });
      expect(res.status, res.text).toBe(201);
      return res.body.agentKey as string;
    };
    const exchange = async (key: string, scopes?: string[]) =>
      v.call('POST', '/v1/tokens/exchange', {
        token: key,
        body: { oidcToken: await issuer.mint({ audience: v.url }), ...(scopes ? { scopes } : {}) },
      });

    const ci = await make('ci-auditor', ['audit:read', 'secrets:read:app/*']);
    const ok = await exchange(ci, ['audit:read']);
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.scopes).toEqual(['audit:read']);
    // The pipeline token reads the log and nothing else.
    expect((await v.call('GET', '/v1/audit/checkpoint', { token: ok.body.token })).status).toBe(200);
    expect((await v.call('GET', `/v1/secrets/${SECRET}`, { token: ok.body.token })).status).toBe(403);
    // Asking for more than the agent has is refused, not narrowed.
    const wider = await exchange(ci, ['audit:read', 'secrets:read:*']);
    expect(wider.status).toBe(403);
    expect(wider.body.error.message).toContain('may not grant secrets:read:*');

    const noAudit = await make('ci-secrets', ['secrets:*:app/*', 'secrets:list:*']);
    const refused = await exchange(noAudit, ['audit:read']);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('may not grant audit:read');
    // Without requested scopes the pipeline token gets the agent's, which do not include audit:read.
    const all = await exchange(noAudit);
    expect(all.status).toBe(201);
    expect((await v.call('GET', '/v1/audit/summary', { token: all.body.token })).body.error.code).toBe('scope_missing');

    // The trust policy narrows: an agent holding audit:read whose policy allows only secrets.
    const narrowed = await make('ci-narrowed', ['audit:read', 'secrets:read:app/*'], ['secrets:read:app/*']);
    const viaPolicy = await exchange(narrowed, ['audit:read']);
    expect(viaPolicy.status).toBe(403);
    expect(viaPolicy.body.error.message).toContain('may not grant audit:read');
    const policyAudit = await make('ci-policy-audit', ['audit:read', 'secrets:read:app/*'], ['audit:read']);
    const fromPolicy = await exchange(policyAudit);
    expect(fromPolicy.status).toBe(201);
    expect(fromPolicy.body.scopes).toEqual(['audit:read']);
  });

  it('ass agents create and ass tokens issue take audit:read', async () => {
    const env = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
    const created = await ass(['agents', 'create', '--name', 'auditor-bot', '--scopes', 'audit:read', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const agent = JSON.parse(created.stdout) as { scopes: string[]; agentKey: string };
    expect(agent.scopes).toEqual(['audit:read']);
    const issued = await ass(['tokens', 'issue', '--scopes', 'audit:read', '--ttl', '10m', '--json'], {
      ASS_URL: v.url,
      ASS_AGENT_KEY: agent.agentKey,
    });
    expect(issued.code, issued.stderr).toBe(0);
    const token = JSON.parse(issued.stdout) as { token: string; scopes: string[] };
    expect(token.scopes).toEqual(['audit:read']);
    expect((await v.call('GET', '/v1/audit/verify', { token: token.token })).body.ok).toBe(true);
    const bad = await ass(['agents', 'create', '--name', 'x', '--scopes', 'audit:write'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/only audit scope is audit:read/);
  });
});

describe('the anomaly checks see audit:read as a scope of its own', () => {
  it('widened_scope reports an agent that got audit:read for the first time, and not one that had it', async () => {
    const clock = fakeClock(Date.parse('2026-11-02T10:00:00Z'));
    const vault = await startTestVault({ now: clock });
    try {
      const key = await createAgent(vault, 'reporting', ['secrets:*:*', 'audit:read']);
      const steady = await createAgent(vault, 'steady', ['audit:read', 'secrets:read:app/*']);
      await issueToken(vault, key, { scopes: ['secrets:*:*'] });
      await issueToken(vault, steady, { scopes: ['audit:read'] });
      clock.advance(2 * 24 * 3600_000);
      const widened = await issueToken(vault, key, { scopes: ['audit:read'] });
      const same = await issueToken(vault, steady, { scopes: ['audit:read'] });
      const res = await vault.call('POST', '/v1/audit/anomalies', { token: vault.adminToken, body: { since: '1h' } });
      expect(res.status, res.text).toBe(200);
      const found = res.body.anomalies.filter((a: { check: string }) => a.check === 'widened_scope');
      expect(found.map((a: { subject: { tokenId: string } }) => a.subject.tokenId)).toEqual([widened.id]);
      expect(found[0].title).toContain('audit:read');
      expect(found.some((a: { subject: { tokenId: string } }) => a.subject.tokenId === same.id)).toBe(false);
    } finally {
      await vault.cleanup();
    }
  });
});
