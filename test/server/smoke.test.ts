/** The shortest path a new user takes: store a secret, issue a scoped token, read it back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

describe('vault smoke', () => {
  let v: TestVault;
  beforeAll(async () => {
    v = await startTestVault();
  });
  afterAll(async () => v.cleanup());

  it('stores a secret, issues a scoped token and reads it back', async () => {
    const put = await v.call('PUT', '/v1/secrets/production/gemini/GEMINI_API_KEY', {
      token: v.adminToken,
      body: { value: 'canary-smoke-value-123', type: 'api_key', tier: 'sensitive' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ path: 'production/gemini/GEMINI_API_KEY', version: 1, tier: 'sensitive' });
    const key = await createAgent(v, 'inference-service', ['secrets:read:production/gemini/*']);
    const { token } = await issueToken(v, key, { scopes: ['secrets:read:production/gemini/*'], ttl: '1h' });
    const get = await v.call('GET', '/v1/secrets/production/gemini/GEMINI_API_KEY', { token });
    expect(get.status).toBe(200);
    expect(get.body.value).toBe('canary-smoke-value-123');
    const denied = await v.call('GET', '/v1/secrets/production/stripe/key', { token });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('scope_missing');
    const verify = await v.call('GET', '/v1/audit/verify', { token: v.adminToken });
    expect(verify.body.ok).toBe(true);
    expect(verify.body.count).toBeGreaterThanOrEqual(5);
  });
});
