/** Scoped tokens: max_uses spent atomically, hard expiry, TTL and scope limits, IP allowlists, revocation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

describe('scoped tokens', () => {
  const clock = fakeClock();
  let v: TestVault;
  let key: string;

  beforeAll(async () => {
    v = await startTestVault({ now: clock });
    key = await createAgent(v, 'payment-service', ['secrets:read:production/stripe/*', 'secrets:write:production/stripe/*']);
    for (const name of ['STRIPE_SECRET_KEY', 'WEBHOOK_SECRET']) {
      await v.call('PUT', `/v1/secrets/production/stripe/${name}`, {
        token: v.adminToken,
        body: { value: `canary-${name}-value`, tier: 'critical' },
      });
    }
  });
  afterAll(async () => v.cleanup());

  it('max_uses is spent atomically: 50 parallel reads with max_uses=3 release exactly 3 secrets', async () => {
    for (let round = 0; round < 3; round++) {
      const { token } = await issueToken(v, key, { scopes: ['secrets:read:production/stripe/*'], maxUses: 3 });
      const results = await Promise.all(
        Array.from({ length: 50 }, () => v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token })),
      );
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(3);
      expect(results.filter((r) => r.status === 403 && r.body.error.code === 'token_exhausted')).toHaveLength(47);
    }
  });

  it('a batch read spends one use per entry and is refused as a whole when uses run out', async () => {
    const { token } = await issueToken(v, key, { scopes: ['secrets:read:production/stripe/*'], maxUses: 1 });
    const res = await v.call('POST', '/v1/batch/read', {
      token,
      body: { paths: ['production/stripe/STRIPE_SECRET_KEY', 'production/stripe/WEBHOOK_SECRET'] },
    });
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('canary-');
  });

  it('a denied request still burns a use (probing costs the prober)', async () => {
    const { token } = await issueToken(v, key, { scopes: ['secrets:read:production/stripe/STRIPE_SECRET_KEY'], maxUses: 1 });
    const denied = await v.call('GET', '/v1/secrets/production/stripe/WEBHOOK_SECRET', { token });
    expect(denied.status).toBe(403);
    const after = await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token });
    expect(after.status).toBe(403);
    expect(after.body.error.code).toBe('token_exhausted');
  });

  it('expires hard at its TTL', async () => {
    const { token, expiresAt } = (await issueToken(v, key, { scopes: ['secrets:read:production/stripe/*'], ttl: '15m' })) as any;
    expect(Date.parse(expiresAt)).toBe(clock() + 15 * 60_000);
    expect((await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token })).status).toBe(200);
    clock.advance(15 * 60_000);
    const res = await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
  });

  it('refuses TTLs over the maximum and scopes beyond the agent', async () => {
    const long = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:production/stripe/*'], ttl: '25h' } });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/exceeds this vault's maximum of 1d/);
    const broad = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:*'], ttl: '1h' } });
    expect(broad.status).toBe(403);
    expect(broad.body.error.message).toContain('secrets:read:*');
    const sideways = await v.call('POST', '/v1/tokens', {
      token: key,
      body: { scopes: ['secrets:read:production/stripe-legacy/*'], ttl: '1h' },
    });
    expect(sideways.status).toBe(403);
  });

  it('checks IP allowlists against the peer, and believes X-Forwarded-For only from trusted proxies', async () => {
    const { token } = await issueToken(v, key, { scopes: ['secrets:read:production/stripe/*'], allowedIps: ['10.0.1.50/32'] });
    const spoofed = await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', {
      token,
      headers: { 'x-forwarded-for': '10.0.1.50' },
    });
    expect(spoofed.status).toBe(403);
    expect(spoofed.body.error.code).toBe('ip_not_allowed');
    const { token: local } = await issueToken(v, key, { scopes: ['secrets:read:production/stripe/*'], allowedIps: ['127.0.0.0/8', '::1'] });
    expect((await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token: local })).status).toBe(200);

    const proxied = await startTestVault({ trustedProxies: ['127.0.0.1/32'] });
    try {
      const k = await createAgent(proxied, 'svc', ['secrets:read:p/*']);
      await proxied.call('PUT', '/v1/secrets/p/x', { token: proxied.adminToken, body: { value: 'v1' } });
      const { token: t } = await issueToken(proxied, k, { scopes: ['secrets:read:p/*'], allowedIps: ['10.0.1.50'] });
      expect((await proxied.call('GET', '/v1/secrets/p/x', { token: t, headers: { 'x-forwarded-for': '10.0.1.50' } })).status).toBe(200);
      expect((await proxied.call('GET', '/v1/secrets/p/x', { token: t, headers: { 'x-forwarded-for': '10.0.1.51' } })).status).toBe(403);
      expect((await proxied.call('GET', '/v1/secrets/p/x', { token: t })).status).toBe(403);
    } finally {
      await proxied.cleanup();
    }
  });

  it('revokes one token, and an agent with every token it issued', async () => {
    const a = await issueToken(v, key, { scopes: ['secrets:read:production/stripe/*'] });
    const b = await issueToken(v, key, { scopes: ['secrets:read:production/stripe/*'] });
    const covering = await v.call('GET', '/v1/tokens?path=production/stripe/STRIPE_SECRET_KEY', { token: v.adminToken });
    expect(covering.body.tokens.map((t: any) => t.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(covering.text).not.toMatch(/ass_t_/);
    expect((await v.call('DELETE', `/v1/tokens/${a.id}`, { token: v.adminToken })).status).toBe(200);
    expect((await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token: a.token })).body.error.code).toBe(
      'token_revoked',
    );
    expect((await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token: b.token })).status).toBe(200);
    const self = await v.call('DELETE', '/v1/tokens/self', { token: b.token });
    expect(self.body).toEqual({ id: b.id, revoked: true });
    expect((await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token: b.token })).status).toBe(401);

    const k2 = await createAgent(v, 'doomed-service', ['secrets:read:production/stripe/*']);
    const t1 = await issueToken(v, k2, { scopes: ['secrets:read:production/stripe/*'] });
    const t2 = await issueToken(v, k2, { scopes: ['secrets:read:production/stripe/*'] });
    const rev = await v.call('DELETE', '/v1/agents/doomed-service', { token: v.adminToken });
    expect(rev.body).toEqual({ name: 'doomed-service', revoked: true, tokensRevoked: 2 });
    for (const t of [t1, t2])
      expect((await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token: t.token })).status).toBe(401);
    expect(
      (await v.call('POST', '/v1/tokens', { token: k2, body: { scopes: ['secrets:read:production/stripe/*'], ttl: '1h' } })).status,
    ).toBe(401);
  });

  it('an agent key cannot read secrets itself', async () => {
    const res = await v.call('GET', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token: key });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/issue a scoped token/);
  });
});
