/** Users: revoked by an admin, never the last admin. */
import { describe, expect, it } from 'vitest';
import { startTestVault } from '../helpers/vault.js';

describe('users', () => {
  it('are revoked by an admin; the last admin cannot be', async () => {
    const v = await startTestVault();
    try {
      const alice = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: 'alice', role: 'editor' } });
      expect((await v.call('GET', '/v1/whoami', { token: alice.body.token })).status).toBe(200);
      expect((await v.call('DELETE', '/v1/users/alice', { token: alice.body.token })).status).toBe(403);
      expect((await v.call('DELETE', '/v1/users/alice', { token: v.adminToken })).body).toEqual({ name: 'alice', revoked: true });
      expect((await v.call('GET', '/v1/whoami', { token: alice.body.token })).status).toBe(401);
      const last = await v.call('DELETE', '/v1/users/admin', { token: v.adminToken });
      expect(last.status).toBe(409);
      expect(last.body.error.message).toMatch(/last active admin/);
      expect((await v.call('DELETE', '/v1/users/nobody', { token: v.adminToken })).status).toBe(404);
    } finally {
      await v.cleanup();
    }
  });
});
