/** The OIDC exchange on the server: both factors, run binding, single-use jti, scopes and TTL caps, issuer outages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

describe('OIDC exchange (server)', () => {
  let v: TestVault;
  let issuer: LocalOidcIssuer;
  let agentKey: string;

  beforeAll(async () => {
    v = await startTestVault();
    issuer = await startOidcIssuer();
    const res = await v.call('POST', '/v1/agents', {
      token: v.adminToken,
      body: {
        name: 'deploy-pipeline',
        scopes: ['secrets:read:production/app/*', 'secrets:list:production/app/*'],
        trustPolicy: {
          issuer: issuer.url,
          claims: { repository_id: issuer.claims.repository_id, repository_owner_id: issuer.claims.repository_owner_id },
        },
      },
    });
    expect(res.status).toBe(201);
    agentKey = res.body.agentKey;
    await v.call('PUT', '/v1/secrets/production/app/db-password', {
      token: v.adminToken,
      body: { value: 'canary-exchange-db-pw', tier: 'critical' },
    });
  });
  afterAll(async () => {
    await v.cleanup();
    await issuer.close();
  });

  it('needs both factors and returns a pipeline token bound to the run', async () => {
    const jwt = await issuer.mint({ audience: v.url });
    const noKey = await v.call('POST', '/v1/tokens/exchange', { body: { oidcToken: jwt } });
    expect(noKey.status).toBe(401);

    const res = await v.call('POST', '/v1/tokens/exchange', {
      token: agentKey,
      body: { oidcToken: jwt, scopes: ['secrets:read:production/app/*'], ttl: '10m' },
    });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^ass_p_[0-9A-Za-z]{65}$/);
    expect(res.body.scopes).toEqual(['secrets:read:production/app/*']);
    expect(res.body.claims).toMatchObject({
      run_id: issuer.claims.run_id,
      run_attempt: issuer.claims.run_attempt,
      repository: issuer.claims.repository,
    });

    const read = await v.call('POST', '/v1/batch/read', { token: res.body.token, body: { paths: ['production/app/db-password'] } });
    expect(read.status).toBe(200);
    expect(read.body.secrets[0]).toMatchObject({ path: 'production/app/db-password', value: 'canary-exchange-db-pw', tier: 'critical' });

    // The read is attributed to the run in the audit log, without the value.
    const audit = await v.call('GET', '/v1/audit?eventType=secret.read', { token: v.adminToken });
    const rec = audit.body.events.find((e: any) => e.tokenId === res.body.id);
    expect(rec.claims.run_id).toBe(issuer.claims.run_id);
    expect(audit.text).not.toContain('canary-exchange-db-pw');

    // Replaying the same OIDC token is refused.
    const replay = await v.call('POST', '/v1/tokens/exchange', { token: agentKey, body: { oidcToken: jwt } });
    expect(replay.status).toBe(403);
    expect(replay.body.error.message).toMatch(/already exchanged/);
  });

  it('names the claim that did not match', async () => {
    const jwt = await issuer.mint({ audience: v.url, claims: { repository_id: '999' } });
    const res = await v.call('POST', '/v1/tokens/exchange', { token: agentKey, body: { oidcToken: jwt } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('oidc_rejected');
    expect(res.body.error.message).toContain('repository_id');
  });

  it('refuses scopes beyond the agent and tokens for another audience', async () => {
    const jwt = await issuer.mint({ audience: v.url });
    const wide = await v.call('POST', '/v1/tokens/exchange', {
      token: agentKey,
      body: { oidcToken: jwt, scopes: ['secrets:read:production/*'] },
    });
    expect(wide.status).toBe(403);
    const other = await issuer.mint({ audience: 'https://other-vault.example' });
    const aud = await v.call('POST', '/v1/tokens/exchange', { token: agentKey, body: { oidcToken: other } });
    expect(aud.status).toBe(403);
    expect(aud.body.error.message).toMatch(/audience|aud/i);
  });

  it('revoking the agent revokes its pipeline tokens', async () => {
    const jwt = await issuer.mint({ audience: v.url });
    const res = await v.call('POST', '/v1/tokens/exchange', { token: agentKey, body: { oidcToken: jwt } });
    expect(res.status).toBe(201);
    const revoke = await v.call('DELETE', '/v1/agents/deploy-pipeline', { token: v.adminToken });
    expect(revoke.body.tokensRevoked).toBeGreaterThanOrEqual(1);
    const read = await v.call('GET', '/v1/secrets/production/app/db-password', { token: res.body.token });
    expect(read.status).toBe(401);
    const again = await v.call('POST', '/v1/tokens/exchange', {
      token: agentKey,
      body: { oidcToken: await issuer.mint({ audience: v.url }) },
    });
    expect(again.status).toBe(401);
  });
});

describe('trust-policy scopes', () => {
  it('a pipeline token gets the agent scopes ∩ the policy scopes ∩ the requested scopes', async () => {
    const v = await startTestVault();
    const issuer = await startOidcIssuer();
    try {
      const res = await v.call('POST', '/v1/agents', {
        token: v.adminToken,
        body: {
          name: 'deploy',
          scopes: ['secrets:read:production/*', 'secrets:list:production/*'],
          trustPolicy: {
            issuer: issuer.url,
            claims: { repository_id: issuer.claims.repository_id },
            scopes: ['secrets:*:production/app/*'],
          },
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.trustPolicy.scopes).toEqual(['secrets:*:production/app/*']);
      const key = res.body.agentKey as string;
      const all = await v.call('POST', '/v1/tokens/exchange', { token: key, body: { oidcToken: await issuer.mint({ audience: v.url }) } });
      expect(all.body.scopes.sort()).toEqual(['secrets:list:production/app/*', 'secrets:read:production/app/*']);
      const narrow = await v.call('POST', '/v1/tokens/exchange', {
        token: key,
        body: { oidcToken: await issuer.mint({ audience: v.url }), scopes: ['secrets:read:production/app/db'] },
      });
      expect(narrow.body.scopes).toEqual(['secrets:read:production/app/db']);
      const outside = await v.call('POST', '/v1/tokens/exchange', {
        token: key,
        body: { oidcToken: await issuer.mint({ audience: v.url }), scopes: ['secrets:read:production/other/x'] },
      });
      expect(outside.status).toBe(403);
      expect(outside.body.error.message).toContain('production/app/*');
      const bad = await v.call('POST', '/v1/agents', {
        token: v.adminToken,
        body: { name: 'x', scopes: ['secrets:read:a/*'], trustPolicy: { issuer: issuer.url, claims: { repository_id: '1' }, scopes: [] } },
      });
      expect(bad.status).toBe(400);
    } finally {
      await v.cleanup();
      await issuer.close();
    }
  });
});

describe('agents bound to a CI trust policy', () => {
  let v: TestVault;
  let issuer: LocalOidcIssuer;
  beforeAll(async () => {
    v = await startTestVault({ maxPipelineTtlSeconds: 900 });
    issuer = await startOidcIssuer();
  });
  afterAll(async () => {
    await v.cleanup();
    await issuer.close();
  });

  it('cannot issue tokens from the key alone: both factors are required', async () => {
    const res = await v.call('POST', '/v1/agents', {
      token: v.adminToken,
      body: {
        name: 'ci-only',
        scopes: ['secrets:read:production/app/*'],
        trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
      },
    });
    const key = res.body.agentKey as string;
    const direct = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:production/app/*'], ttl: '24h' } });
    expect(direct.status).toBe(403);
    expect(direct.body.error.message).toMatch(/only through the exchange/);

    // A pipeline asking for more than the vault's maximum gets the maximum, not a failed deploy.
    const ex = await v.call('POST', '/v1/tokens/exchange', {
      token: key,
      body: { oidcToken: await issuer.mint({ audience: v.url }), ttl: '2h' },
    });
    expect(ex.status).toBe(201);
    expect(Date.parse(ex.body.expiresAt) - Date.parse(ex.body.createdAt)).toBe(900_000);

    // An empty scope list is refused rather than read as "everything the agent has".
    const empty = await v.call('POST', '/v1/tokens/exchange', {
      token: key,
      body: { oidcToken: await issuer.mint({ audience: v.url }), scopes: [] },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/at least one scope/);
  });
});

describe('an unreachable OIDC issuer', () => {
  it('fails the exchange without locking the agent key out', async () => {
    const v = await startTestVault({ lockout: { addressFailures: 3, credentialFailures: 3 } });
    try {
      const res = await v.call('POST', '/v1/agents', {
        token: v.adminToken,
        body: { name: 'ci', scopes: ['secrets:read:x/*'], trustPolicy: { issuer: 'http://127.0.0.1:9', claims: { repository_id: '1' } } },
      });
      const key = res.body.agentKey as string;
      const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjkifQ.c2ln';
      for (let i = 0; i < 5; i++) {
        const r = await v.call('POST', '/v1/tokens/exchange', { token: key, body: { oidcToken: jwt } });
        expect(r.status).toBe(403);
        expect(r.body.error.details?.reason).toBe('issuer_unreachable');
      }
      expect((await v.call('GET', '/v1/whoami', { token: key })).status).toBe(200);
      expect((await v.call('GET', '/v1/lockouts?all=true', { token: v.adminToken })).body.lockouts).toEqual([]);
    } finally {
      await v.cleanup();
    }
  });
});
