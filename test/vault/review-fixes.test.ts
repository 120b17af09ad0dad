import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDataDir, rekeyDataDir, startServer } from '../../src/server/index.js';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { createAgent, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

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

describe('dev vaults and file modes', () => {
  it('a --dev vault deletes its folder on close; the database file is owner-only', async () => {
    const dev = await startServer({ dev: true, listen: '127.0.0.1:0' });
    const db = path.join(dev.dataDir, 'vault.db');
    expect(statSync(db).mode & 0o777).toBe(0o600);
    await dev.close();
    expect(existsSync(dev.dataDir)).toBe(false);
  });
});

describe('master key rotation', () => {
  it('keeps the audit chain verifiable and its checkpoint key stable; old secrets read with the previous key until ass rekey', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ass-rotate-'));
    const keyA = Buffer.alloc(32, 1).toString('base64');
    const keyB = Buffer.alloc(32, 2).toString('base64');
    try {
      const { adminToken } = await initDataDir(dir, { env: { ASS_MASTER_KEY: keyA } });
      const call = async (url: string, method: string, p: string, body?: unknown) => {
        const res = await fetch(`${url}${p}`, {
          method,
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const a = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyA } });
      await call(a.url, 'PUT', '/v1/secrets/p/old', { value: 'sealed-under-a' });
      const before = (await call(a.url, 'GET', '/v1/audit/checkpoint')).body;
      await a.close();

      const b = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyB, ASS_MASTER_KEY_PREVIOUS: keyA } });
      expect((await call(b.url, 'GET', '/v1/secrets/p/old')).body.value).toBe('sealed-under-a');
      const verify = (await call(b.url, 'GET', '/v1/audit/verify')).body;
      expect(verify.problems).toEqual([]);
      const after = (await call(b.url, 'GET', '/v1/audit/checkpoint')).body;
      expect(after.publicKey).toBe(before.publicKey);
      await b.close();

      // Without A, the audit log keeps working (its key was rewrapped under B at start), but the
      // secret sealed under A is unreadable, with an error that says what to do.
      const c = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyB } });
      expect((await call(c.url, 'GET', '/v1/audit/verify')).body.ok).toBe(true);
      const old = await call(c.url, 'GET', '/v1/secrets/p/old');
      expect(old.status).toBe(500);
      expect(old.body.error.code).toBe('key_unavailable');
      expect(old.body.error.message).toMatch(/ASS_MASTER_KEY_PREVIOUS.*ass rekey/);
      expect(old.body.error.message).not.toContain('sealed-under-a');
      await c.close();

      // ass rekey reseals every data key under B; afterwards A is no longer needed.
      await expect(rekeyDataDir(dir, { env: { ASS_MASTER_KEY: keyB } })).rejects.toThrow(/ASS_MASTER_KEY_PREVIOUS/);
      expect(await rekeyDataDir(dir, { env: { ASS_MASTER_KEY: keyB, ASS_MASTER_KEY_PREVIOUS: keyA } })).toMatchObject({
        versionsRewrapped: 1,
      });
      expect(await rekeyDataDir(dir, { env: { ASS_MASTER_KEY: keyB, ASS_MASTER_KEY_PREVIOUS: keyA } })).toMatchObject({
        versionsRewrapped: 0,
      });
      const d = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyB } });
      expect((await call(d.url, 'GET', '/v1/secrets/p/old')).body.value).toBe('sealed-under-a');
      expect((await call(d.url, 'GET', '/v1/audit/verify')).body.ok).toBe(true);
      await d.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('requests without a credential', () => {
  it('count toward the address lockout (bad input does not), and a locked-out address leaves one audit record, not one per request', async () => {
    const v = await startTestVault({ lockout: { ipFailures: 5, credentialFailures: 5, windowMs: 60_000, lockoutMs: 600_000 } });
    try {
      const db = v.raw();
      const count = () => (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
      const before = count();
      for (let i = 0; i < 3; i++) expect((await v.call('GET', '/v1/secrets/a/b')).status).toBe(401);
      // Malformed requests guess nothing: refused, audited, not counted.
      for (let i = 0; i < 4; i++) expect((await v.call('POST', '/v1/tokens', { rawBody: '{not json' })).status).toBe(400);
      expect((await v.call('GET', '/v1/whoami?zz=1')).status).toBe(400);
      // Probing for routes counts, and is not audited.
      for (let i = 0; i < 2; i++) expect((await v.call('GET', '/v1/nope')).status).toBe(404);
      for (let i = 0; i < 20; i++) expect((await v.call('GET', '/v1/secrets/a/b')).status).toBe(429);
      expect(count() - before).toBe(3 + 5 + 1);
    } finally {
      await v.cleanup();
    }
  });
});

describe('an unreachable OIDC issuer', () => {
  it('fails the exchange without locking the agent key out', async () => {
    const v = await startTestVault({ lockout: { ipFailures: 100, credentialFailures: 3, windowMs: 60_000, lockoutMs: 600_000 } });
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
    } finally {
      await v.cleanup();
    }
  });
});
