/** Secrets and roles: versions, compare-and-set, soft deletes, what each role sees, scope-filtered listings, all-or-nothing batch reads. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-secrets-roles-9f3b2c71d0';

describe('secrets and roles', () => {
  let v: TestVault;
  const users: Record<string, string> = {};

  beforeAll(async () => {
    v = await startTestVault();
    for (const role of ['editor', 'viewer', 'auditor']) {
      const res = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: `${role}-1`, role } });
      expect(res.status).toBe(201);
      expect(res.body.token).toMatch(/^ass_u_/);
      users[role] = res.body.token;
    }
  });
  afterAll(async () => v.cleanup());

  it('versions every write, checks the expected version, and keeps old versions', async () => {
    const p = '/v1/secrets/staging/app/db-password';
    const first = await v.call('PUT', p, {
      token: users.editor,
      body: { value: `${CANARY}-1`, type: 'password', tier: 'sensitive', expectedVersion: 0 },
    });
    expect(first.body).toMatchObject({ version: 1, type: 'password', tier: 'sensitive' });
    const createOnly = await v.call('PUT', p, { token: users.editor, body: { value: 'x', expectedVersion: 0 } });
    expect(createOnly.status).toBe(409);
    const stale = await v.call('PUT', p, { token: users.editor, body: { value: 'x', expectedVersion: 5 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/version 1, not 5/);
    const second = await v.call('PUT', p, { token: users.editor, body: { value: `${CANARY}-2`, expectedVersion: 1 } });
    expect(second.body).toMatchObject({ version: 2, type: 'password', tier: 'sensitive' });
    expect((await v.call('GET', p, { token: users.editor })).body.value).toBe(`${CANARY}-2`);
    expect((await v.call('GET', `${p}?version=1`, { token: users.editor })).body.value).toBe(`${CANARY}-1`);
    const meta = await v.call('GET', '/v1/metadata/staging/app/db-password', { token: users.viewer });
    expect(meta.body.versions.map((x: any) => x.version)).toEqual([1, 2]);
    expect(meta.body.versions[0].createdBy).toBe('user:editor-1');
    expect(meta.text).not.toContain(CANARY);
  });

  it('soft-deletes: the secret disappears from reads and lists, its versions stay for the record', async () => {
    await v.call('PUT', '/v1/secrets/staging/app/old-key', { token: v.adminToken, body: { value: `${CANARY}-old` } });
    const del = await v.call('DELETE', '/v1/secrets/staging/app/old-key', { token: users.editor });
    expect(del.body).toEqual({ path: 'staging/app/old-key', deleted: true, version: 1 });
    expect((await v.call('GET', '/v1/secrets/staging/app/old-key', { token: users.editor })).status).toBe(404);
    const list = await v.call('GET', '/v1/metadata?prefix=staging/app', { token: users.viewer });
    expect(list.body.secrets.map((s: any) => s.path)).toEqual(['staging/app/db-password']);
    const withDeleted = await v.call('GET', '/v1/metadata?prefix=staging/app&deleted=true', { token: users.viewer });
    expect(withDeleted.body.secrets.find((s: any) => s.path === 'staging/app/old-key').deleted).toBe(true);
    expect((await v.call('DELETE', '/v1/secrets/staging/app/old-key', { token: users.editor })).status).toBe(404);
  });

  it('viewers and auditors never see values; auditors read the audit log, viewers do not', async () => {
    for (const role of ['viewer', 'auditor']) {
      const res = await v.call('GET', '/v1/secrets/staging/app/db-password', { token: users[role] });
      expect(res.status).toBe(403);
      expect(res.text).not.toContain(CANARY);
      expect((await v.call('POST', '/v1/batch/read', { token: users[role], body: { paths: ['staging/app/db-password'] } })).status).toBe(
        403,
      );
      expect((await v.call('PUT', '/v1/secrets/staging/app/x', { token: users[role], body: { value: 'v' } })).status).toBe(403);
    }
    expect((await v.call('GET', '/v1/metadata', { token: users.auditor })).status).toBe(403);
    expect((await v.call('GET', '/v1/audit', { token: users.auditor })).status).toBe(200);
    expect((await v.call('GET', '/v1/audit', { token: users.viewer })).status).toBe(403);
    expect((await v.call('GET', '/v1/audit', { token: users.editor })).status).toBe(403);
    for (const role of ['editor', 'viewer', 'auditor']) {
      expect((await v.call('POST', '/v1/agents', { token: users[role], body: { name: 'x', scopes: ['secrets:read:x'] } })).status).toBe(
        403,
      );
      expect((await v.call('POST', '/v1/users', { token: users[role], body: { name: 'y', role: 'admin' } })).status).toBe(403);
      expect((await v.call('GET', '/v1/tokens', { token: users[role] })).status).toBe(403);
    }
  });

  it('a token lists only what its list scopes cover, and never values', async () => {
    await v.call('PUT', '/v1/secrets/production/gemini/GEMINI_API_KEY', { token: v.adminToken, body: { value: `${CANARY}-gemini` } });
    await v.call('PUT', '/v1/secrets/production/stripe/STRIPE_SECRET_KEY', { token: v.adminToken, body: { value: `${CANARY}-stripe` } });
    const key = await createAgent(v, 'lister', ['secrets:list:production/gemini/*', 'secrets:read:production/gemini/*']);
    const { token } = await issueToken(v, key, { scopes: ['secrets:list:production/gemini/*', 'secrets:read:production/gemini/*'] });
    const list = await v.call('GET', '/v1/metadata?prefix=production', { token });
    expect(list.body.secrets.map((s: any) => s.path)).toEqual(['production/gemini/GEMINI_API_KEY']);
    expect(list.text).not.toContain(CANARY);
    const batch = await v.call('POST', '/v1/batch/read', { token, body: { prefixes: ['production/gemini'] } });
    expect(batch.body.secrets.map((s: any) => s.path)).toEqual(['production/gemini/GEMINI_API_KEY']);
    const wider = await v.call('POST', '/v1/batch/read', { token, body: { prefixes: ['production'] } });
    expect(wider.status).toBe(403);
    expect(wider.body.error.message).toContain('secrets:read:production/*');
    expect(wider.text).not.toContain(CANARY);
  });

  it('a batch read is all or nothing', async () => {
    const res = await v.call('POST', '/v1/batch/read', {
      token: v.adminToken,
      body: { paths: ['production/gemini/GEMINI_API_KEY', 'production/missing/x'] },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('production/missing/x');
    expect(res.text).not.toContain(CANARY);
  });
});
