/** Bad input on every route: 4xx with a code and the field named; never a 5xx, a stack trace, a secret or a partial write. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-bad-input-77e0c2';

/** Each route with the credential that may call it, and bodies/paths that are wrong in one way. */
function cases(agentKey: string, admin: string): { method: string; path: string; token: string; body?: unknown; raw?: string }[] {
  const bodies: unknown[] = [
    null,
    [],
    'text',
    42,
    { unknown: 1 },
    { value: 5 },
    { scopes: 'x' },
    { scopes: [], ttl: -1 },
    { name: '../../etc', role: 'root' },
    { paths: 'x' },
    { paths: ['a/../b'] },
    { oidcToken: '' },
  ];
  const out: { method: string; path: string; token: string; body?: unknown; raw?: string }[] = [];
  const routes: [string, string, string][] = [
    ['POST', '/v1/tokens', agentKey],
    ['POST', '/v1/tokens/exchange', agentKey],
    ['POST', '/v1/agents', admin],
    ['POST', '/v1/users', admin],
    ['PUT', '/v1/secrets/production/x', admin],
    ['POST', '/v1/batch/read', admin],
  ];
  for (const [method, path, token] of routes) {
    for (const body of bodies) out.push({ method, path, token, body });
    out.push({ method, path, token, raw: `{"value": "${CANARY}"` });
    out.push({ method, path, token, raw: 'x'.repeat(1024 * 1024 + 10) });
  }
  const badPaths = ['production%2Fx', 'production/..', 'production//x', 'production/%00', 'production/x%20y', `a/${'b/'.repeat(40)}c`];
  for (const p of badPaths) {
    out.push({ method: 'GET', path: `/v1/secrets/${p}`, token: admin });
    out.push({ method: 'PUT', path: `/v1/secrets/${p}`, token: admin, body: { value: CANARY } });
    out.push({ method: 'DELETE', path: `/v1/secrets/${p}`, token: admin });
    out.push({ method: 'GET', path: `/v1/metadata/${p}`, token: admin });
  }
  for (const q of ['limit=-1', 'limit=abc', 'status=maybe', 'since=yesterday', 'afterSeq=x', 'resourcePath=a//b']) {
    out.push({ method: 'GET', path: `/v1/audit?${q}`, token: admin });
  }
  out.push({ method: 'GET', path: '/v1/secrets/production/x?version=0', token: admin });
  out.push({ method: 'GET', path: '/v1/secrets/production/x?version=1e3', token: admin });
  out.push({ method: 'GET', path: '/v1/audit/export?format=xml', token: admin });
  out.push({ method: 'GET', path: '/v1/tokens?path=../x', token: admin });
  out.push({ method: 'DELETE', path: '/v1/tokens/not-an-id', token: admin });
  out.push({ method: 'GET', path: '/v1/nothing-here', token: admin });
  out.push({ method: 'PATCH', path: '/v1/secrets/production/x', token: admin, body: {} });
  return out;
}

describe('bad input on every route', () => {
  let v: TestVault;
  let key: string;
  beforeAll(async () => {
    v = await startTestVault();
    key = await createAgent(v, 'svc', ['secrets:read:production/*']);
  });
  afterAll(async () => v.cleanup());

  it('answers 4xx with a code, a message and a request id; never a 5xx, a stack trace, a secret, or a partial write', async () => {
    const db = v.raw();
    const count = () =>
      JSON.stringify(
        ['secrets', 'secret_versions', 'agents', 'users', 'tokens'].map(
          (t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as any).n,
        ),
      );
    const before = count();
    for (const c of cases(key, v.adminToken)) {
      const res = await v.call(c.method, c.path, { token: c.token, body: c.body, rawBody: c.raw });
      const label = `${c.method} ${c.path.slice(0, 60)} ${JSON.stringify(c.body ?? c.raw?.slice(0, 30))}`;
      expect(res.status, label).toBeGreaterThanOrEqual(400);
      expect(res.status, label).toBeLessThan(500);
      expect(res.body?.error?.code, label).toMatch(/^[a-z_]+$/);
      expect(res.body.error.message.length, label).toBeGreaterThan(10);
      expect(res.body.error.requestId, label).toBe(res.headers.get('x-request-id'));
      expect(res.text, label).not.toMatch(/\n\s+at |node_modules|sqlite/i);
      expect(res.text, label).not.toContain(CANARY);
    }
    expect(count()).toBe(before);
    const audit = JSON.stringify(db.prepare('SELECT * FROM audit').all());
    expect(audit).not.toContain(CANARY);
    expect((await v.call('GET', '/v1/audit/verify', { token: v.adminToken })).body.ok).toBe(true);
  });

  it('names the field that was wrong', async () => {
    const res = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: 'alice', role: 'root' } });
    expect(res.body.error.message).toMatch(/role/);
    expect(res.body.error.message).toMatch(/admin, editor, viewer, auditor/);
    const missing = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:production/x'] } });
    expect(missing.body.error.message).toMatch(/missing the field ttl/);
    const unknown = await v.call('PUT', '/v1/secrets/production/x', { token: v.adminToken, body: { value: 'v', teir: 'critical' } });
    expect(unknown.body.error.message).toMatch(/unknown field.*"teir"/);
    const event = await v.call('GET', '/v1/audit?eventType=secret.read,nope', { token: v.adminToken });
    expect(event.body.error.message).toMatch(
      /^The query parameter eventType is not valid: "nope" is not an audit event; the events are vault\.init, /,
    );
    const limit = await v.call('GET', '/v1/audit?limit=0', { token: v.adminToken });
    expect(limit.body.error.message).toBe('The query parameter limit is not valid: must be a whole number from 1 to 100000.');
  });

  it('refuses a "__proto__" key anywhere rather than let it vanish (a trust-policy claim would silently bind nothing)', async () => {
    const raw =
      '{"name":"proto-ci","scopes":["secrets:read:production/*"],"trustPolicy":{"issuer":"https://token.actions.githubusercontent.com","claims":{"repository_id":"1","__proto__":"x"}}}';
    const res = await v.call('POST', '/v1/agents', { token: v.adminToken, rawBody: raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/"__proto__"/);
    expect((await v.call('GET', '/v1/agents', { token: v.adminToken })).body.agents.map((a: { name: string }) => a.name)).not.toContain(
      'proto-ci',
    );
    const query = await v.call('GET', '/v1/whoami?__proto__=x', { token: v.adminToken });
    expect(query.status).toBe(400);
    expect(query.body.error.message).toMatch(/Unknown query parameter "__proto__"/);
    for (const name of ['constructor', 'prototype', 'toString']) {
      const named = await v.call('POST', '/v1/agents', {
        token: v.adminToken,
        body: {
          name: `ci-${name.toLowerCase()}`,
          scopes: ['secrets:read:production/*'],
          trustPolicy: { claims: { repository_id: '1', [name]: 'x' } },
        },
      });
      expect(named.status, name).toBe(400);
    }
  });
});
