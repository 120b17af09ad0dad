/** Routing: requests for no route are neither audited nor counted toward a lockout; unknown query parameters are refused. */
import { describe, expect, it } from 'vitest';
import { startTestVault } from '../helpers/vault.js';

describe('requests for no route', () => {
  it('are not audited, and guess no credential, so they count toward no lockout', async () => {
    const v = await startTestVault({ lockout: { addressFailures: 5, credentialFailures: 5 } });
    try {
      const db = v.raw();
      const before = (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
      for (let i = 0; i < 5; i++) expect((await v.call('GET', `/v1/nope${i}`)).status).toBe(404);
      expect((db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n).toBe(before);
      expect((await v.call('GET', '/v1/lockouts?all=true', { token: v.adminToken })).body.lockouts).toEqual([]);
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
