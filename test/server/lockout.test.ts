/** Lockouts: addresses and credential ids locked after repeated failures, without letting anyone lock a real credential out by its public id. */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAgent, fakeClock, issueToken, startTestVault } from '../helpers/vault.js';

/** A request from a chosen loopback source address (127.0.0.2 is another client). */
function callFrom(localAddress: string, url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', localAddress, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('authentication lockout', () => {
  it('locks out an address after repeated failures, and a credential id after a few wrong secrets', async () => {
    const clock = fakeClock();
    const v = await startTestVault({ now: clock, lockout: { ipFailures: 5, credentialFailures: 3, windowMs: 60_000, lockoutMs: 600_000 } });
    try {
      for (let i = 0; i < 5; i++) expect((await v.call('GET', '/v1/whoami', { token: 'ass_u_garbage' })).status).toBe(401);
      const locked = await v.call('GET', '/v1/whoami', { token: v.adminToken });
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('locked_out');
      expect(Number(locked.headers.get('retry-after'))).toBe(600);
      clock.advance(600_001);
      expect((await v.call('GET', '/v1/whoami', { token: v.adminToken })).status).toBe(200);
    } finally {
      await v.cleanup();
    }
  });
});

describe('lockout cannot be turned against a credential by its public id', () => {
  it('wrong secrets for a token id from one address do not lock the real token out elsewhere', async () => {
    const v = await startTestVault({ lockout: { ipFailures: 100, credentialFailures: 3, windowMs: 60_000, lockoutMs: 600_000 } });
    try {
      const key = await createAgent(v, 'svc', ['secrets:read:p/*']);
      const { token, id } = await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
      // A forged credential with the real id and a valid-looking body (the checksum is public too).
      const { generateCredential } = await import('../../src/core/credentials.js');
      const forged = generateCredential('token', id).secret;
      for (let i = 0; i < 3; i++) expect(await callFrom('127.0.0.2', `${v.url}/v1/tokens/self`, forged)).toBe(401);
      expect(await callFrom('127.0.0.2', `${v.url}/v1/tokens/self`, forged)).toBe(429);
      expect(await callFrom('127.0.0.1', `${v.url}/v1/tokens/self`, token)).toBe(200);
    } finally {
      await v.cleanup();
    }
  });
});

describe('requests without a credential', () => {
  it('count toward the address lockout, malformed ones too, and a locked-out address leaves one audit record, not one per request', async () => {
    const v = await startTestVault({ lockout: { ipFailures: 5, credentialFailures: 5, windowMs: 60_000, lockoutMs: 600_000 } });
    try {
      const db = v.raw();
      const count = () => (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
      const before = count();
      for (let i = 0; i < 2; i++) expect((await v.call('GET', '/v1/secrets/a/b')).status).toBe(401);
      expect((await v.call('POST', '/v1/tokens', { rawBody: '{not json' })).status).toBe(400);
      // Probing for routes counts too, and is not audited.
      for (let i = 0; i < 2; i++) expect((await v.call('GET', '/v1/nope')).status).toBe(404);
      for (let i = 0; i < 20; i++) expect((await v.call('GET', '/v1/secrets/a/b')).status).toBe(429);
      expect(count() - before).toBe(3 + 1);
    } finally {
      await v.cleanup();
    }
  });
});
