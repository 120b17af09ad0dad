/** Routing: requests for no route are not audited but count toward the lockout; unknown query parameters are refused. */
import { describe, expect, it } from 'vitest';
import { startTestVault } from '../helpers/vault.js';

describe('requests for no route', () => {
  it('are not audited, and count toward the address lockout', async () => {
    const v = await startTestVault({ lockout: { ipFailures: 5, credentialFailures: 5, windowMs: 60_000, lockoutMs: 600_000 } });
    try {
      const db = v.raw();
      const before = (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
      for (let i = 0; i < 5; i++) expect((await v.call('GET', `/v1/nope${i}`)).status).toBe(404);
      expect((db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n).toBe(before);
      expect((await v.call('GET', '/v1/whoami', { token: v.adminToken })).status).toBe(429);
    } finally {
      await v.cleanup();
    }
  });

  it('unknown query parameters and non-boolean flags are refused', async () => {
    const v = await startTestVault();
    try {
      const typo = await v.call('GET', '/v1/audit?limt=1', { token: v.adminToken });
      expect(typo.status).toBe(400);
      expect(typo.body.error.message).toMatch(/"limt".*limit/);
      expect((await v.call('GET', '/v1/metadata?deleted=yes', { token: v.adminToken })).status).toBe(400);
      expect((await v.call('GET', '/v1/whoami?x=1', { token: v.adminToken })).status).toBe(400);
      expect((await v.call('GET', '/v1/metadata?deleted=true', { token: v.adminToken })).status).toBe(200);
    } finally {
      await v.cleanup();
    }
  });
});
