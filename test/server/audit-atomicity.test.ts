/**
 * A change and its audit record commit together or not at all. With the audit table refusing
 * inserts (a full disk, a broken replica, someone's trigger), every change the API offers is
 * refused with 503 and leaves the store exactly as it was; reads release nothing. Once appends work
 * again, everything works and the chain verifies. On both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { postgresAvailable } from '../helpers/stores.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

const pgUp = await postgresAvailable();
if (!pgUp && process.env.CI) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it (.ci/run starts it).');
const backends = pgUp ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

const CANARY = 'canary-atomicity-5e1f0c';
const TABLES = ['users', 'agents', 'tokens', 'secrets', 'secret_versions', 'audit', 'audit_head'];

describe.each(backends)('changes without their audit record (%s)', (backend) => {
  let v: TestVault;
  let issuer: LocalOidcIssuer;
  let agentKey: string;
  let ciKey: string;
  let token: { token: string; id: string };

  /** Everything the store holds, to compare before and after. */
  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    for (const t of TABLES) out[t] = await v.sql(`SELECT * FROM ${t} ORDER BY 1, 2`);
    return JSON.stringify(out);
  };
  const breakAppends = () =>
    v.sql(
      backend === 'sqlite'
        ? "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        : `CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
           CREATE TRIGGER refuse_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
    );
  const mendAppends = () =>
    v.sql(backend === 'sqlite' ? 'DROP TRIGGER refuse_audit' : 'DROP TRIGGER refuse_audit ON audit; DROP FUNCTION refuse_audit()');

  beforeAll(async () => {
    v = await startTestVault({ backend });
    issuer = await startOidcIssuer();
    const admin = v.adminToken;
    agentKey = (await v.call('POST', '/v1/agents', { token: admin, body: { name: 'app', scopes: ['secrets:*:app/*'] } })).body.agentKey;
    ciKey = (
      await v.call('POST', '/v1/agents', {
        token: admin,
        body: {
          name: 'ci',
          scopes: ['secrets:read:app/*'],
          trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
        },
      })
    ).body.agentKey;
    await v.call('POST', '/v1/users', { token: admin, body: { name: 'bob', role: 'editor' } });
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: CANARY } });
    token = (await v.call('POST', '/v1/tokens', { token: agentKey, body: { scopes: ['secrets:*:app/*'], ttl: '15m' } })).body;
  });
  afterAll(async () => {
    await v.cleanup();
    await issuer.close();
  });

  it('refuses every change with 503, leaving no trace, and releases no value', async () => {
    const admin = v.adminToken;
    const before = await snapshot();
    await breakAppends();
    try {
      const attempts: Array<[string, string, string, unknown?]> = [
        ['PUT', '/v1/secrets/app/db', admin, { value: 'canary-new-value' }],
        ['PUT', '/v1/secrets/app/new', token.token, { value: 'canary-new-secret' }],
        ['DELETE', '/v1/secrets/app/db', admin],
        ['POST', '/v1/agents', admin, { name: 'ghost', scopes: ['secrets:read:x/*'] }],
        ['DELETE', '/v1/agents/app', admin],
        ['POST', '/v1/users', admin, { name: 'mallory', role: 'admin' }],
        ['DELETE', '/v1/users/bob', admin],
        ['POST', '/v1/tokens', agentKey, { scopes: ['secrets:read:app/*'], ttl: '5m' }],
        ['POST', '/v1/tokens/exchange', ciKey, { oidcToken: await issuer.mint({ audience: v.url }) }],
        ['DELETE', `/v1/tokens/${token.id}`, admin],
        ['DELETE', '/v1/tokens/self', token.token],
        ['GET', '/v1/secrets/app/db', admin],
        ['POST', '/v1/batch/read', admin, { paths: ['app/db'] }],
      ];
      for (const [method, p, credential, body] of attempts) {
        const res = await v.call(method, p, { token: credential, body });
        expect(res.status, `${method} ${p}`).toBe(503);
        expect(res.body.error.code, `${method} ${p}`).toBe('audit_unavailable');
        expect(res.text).not.toContain('canary');
        expect(res.text).not.toMatch(/ass_[uatp]_/);
      }
    } finally {
      await mendAppends();
    }
    // Nothing changed but what fails closed: the token's use counter (a refused request still
    // spends its use) and the consumed OIDC token (its jti may not be replayed).
    const after = JSON.parse(await snapshot());
    const expected = JSON.parse(before);
    for (const t of expected.tokens) if (t.id === token.id) t.uses = typeof t.uses === 'string' ? String(Number(t.uses) + 1) : t.uses + 1;
    expect(JSON.stringify(after)).toBe(JSON.stringify(expected));
  });

  it('works again once the log accepts records, and the chain verifies', async () => {
    const admin = v.adminToken;
    expect((await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-after' } })).body.version).toBe(2);
    expect((await v.call('DELETE', '/v1/users/bob', { token: admin })).status).toBe(200);
    const verify = await v.call('GET', '/v1/audit/verify', { token: admin });
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
    const events = (await v.call('GET', '/v1/audit?limit=3', { token: admin })).body.events.map((e: { event: string }) => e.event);
    expect(events).toEqual(['audit.verify', 'user.revoke', 'secret.write']);
  });
});
