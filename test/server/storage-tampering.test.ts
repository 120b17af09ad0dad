/**
 * Storage is untrusted: someone who can write the database (a restored backup, a second process on
 * the host, a PostgreSQL role that can write the schema) but does not hold the master key forges
 * rows and edits the columns that carry authority. Each forged or edited row is refused with
 * `integrity_failed` and an audit record, never honoured. On both stores.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCredential } from '../../src/core/credentials.js';
import { postgresAvailable } from '../helpers/stores.js';
import { createAgent, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const pgUp = await postgresAvailable();
if (!pgUp && process.env.CI) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it (.ci/run starts it).');
const backends = pgUp ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

/** The request is refused as tampering, and the refusal is in the audit log. */
async function expectRefused(vault: TestVault, res: { status: number; body: any; text: string }, what: string) {
  expect(res.status, what).toBe(500);
  expect(res.body.error.code, what).toBe('integrity_failed');
  expect(res.body.error.message, what).toMatch(/failed its integrity check: the database was changed outside the vault/);
  const records = await vault.sql("SELECT reason FROM audit WHERE status = 'error' ORDER BY seq DESC LIMIT 1");
  expect(String(records[0]?.reason), what).toMatch(/^integrity_failed: /);
}

describe.each(backends)('a storage writer without the master key (%s)', (backend) => {
  it('cannot forge an admin or a token: forged rows are refused, whatever hash they carry', async () => {
    v = await startTestVault({ backend });
    const now = Date.now();
    // An admin row with the plain SHA-256 of a credential the attacker made (the old scheme).
    const forged = generateCredential('user');
    await v.sql(
      `INSERT INTO users (id, name, role, token_hash, created_at, revoked_at, mac) VALUES (${q(forged.id)}, 'mallory', 'admin', ${q(sha256(forged.secret))}, ${now}, NULL, 'forged')`,
    );
    await expectRefused(v, await v.call('GET', '/v1/users', { token: forged.secret }), 'forged admin');
    // The same, with the MAC column copied from the genuine admin's row.
    const adminMac = (await v.sql("SELECT mac FROM users WHERE name = 'admin'"))[0]?.mac as string;
    const forged2 = generateCredential('user');
    await v.sql(
      `INSERT INTO users (id, name, role, token_hash, created_at, revoked_at, mac) VALUES (${q(forged2.id)}, 'mallory2', 'admin', ${q(sha256(forged2.secret))}, ${now}, NULL, ${q(adminMac)})`,
    );
    await expectRefused(v, await v.call('GET', '/v1/secrets/prod/db', { token: forged2.secret }), 'forged admin with a copied MAC');
    // A token row granting everything, under a real agent.
    const key = await createAgent(v, 'svc', ['secrets:read:app/*']);
    const agentId = (await v.sql("SELECT id FROM agents WHERE name = 'svc'"))[0]?.id as string;
    const token = generateCredential('token');
    await v.sql(
      `INSERT INTO tokens (id, kind, agent_id, hash, scopes, created_at, expires_at, max_uses, uses, allowed_ips, description, claims, revoked_at, mac) VALUES (${q(token.id)}, 'token', ${q(agentId)}, ${q(sha256(token.secret))}, '["secrets:*:*"]', ${now}, ${now + 3600_000}, NULL, 0, '[]', NULL, NULL, NULL, 'x')`,
    );
    await expectRefused(v, await v.call('GET', '/v1/secrets/prod/db', { token: token.secret }), 'forged token');
    // The genuine credentials still work.
    expect((await v.call('GET', '/v1/whoami', { token: v.adminToken })).status).toBe(200);
    expect((await v.call('GET', '/v1/whoami', { token: key })).status).toBe(200);
  });

  it('cannot widen, extend or revive what a row grants', async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-tamper-app' } });
    const viewer = (await v.call('POST', '/v1/users', { token: admin, body: { name: 'vic', role: 'viewer' } })).body.token as string;
    const gone = (await v.call('POST', '/v1/users', { token: admin, body: { name: 'gone', role: 'editor' } })).body.token as string;
    await v.call('DELETE', '/v1/users/gone', { token: admin });
    const key = await createAgent(v, 'svc', ['secrets:read:app/*']);
    const narrow = await issueToken(v, key, { scopes: ['secrets:read:app/db'], ttl: '5m', allowedIps: ['10.9.9.9'] });
    const revoked = await issueToken(v, key, { scopes: ['secrets:read:app/db'], ttl: '5m' });
    await v.call('DELETE', `/v1/tokens/${revoked.id}`, { token: admin });
    const edits: Array<[string, string, string]> = [
      ["UPDATE users SET role = 'admin' WHERE name = 'vic'", viewer, '/v1/users'],
      ["UPDATE users SET revoked_at = NULL WHERE name = 'gone'", gone, '/v1/secrets/app/db'],
      ["UPDATE agents SET scopes = '[\"secrets:*:*\"]' WHERE name = 'svc'", key, '/v1/whoami'],
      [`UPDATE tokens SET allowed_ips = '[]' WHERE id = ${q(narrow.id)}`, narrow.token, '/v1/secrets/app/db'],
      [`UPDATE tokens SET scopes = '["secrets:*:*"]' WHERE id = ${q(narrow.id)}`, narrow.token, '/v1/secrets/app/db'],
      [`UPDATE tokens SET revoked_at = NULL WHERE id = ${q(revoked.id)}`, revoked.token, '/v1/secrets/app/db'],
    ];
    for (const [sql, credential, path] of edits) {
      const before = await v.sql(sql.replace(/^UPDATE (\w+) SET .* WHERE (.*)$/, 'SELECT * FROM $1 WHERE $2'));
      await v.sql(sql);
      await expectRefused(v, await v.call('GET', path, { token: credential }), sql);
      // Put the row back as it was: the next attack starts from a genuine state.
      const table = /^UPDATE (\w+)/.exec(sql)?.[1] as string;
      const row = before[0] as Record<string, unknown>;
      const id = table === 'users' || table === 'agents' ? `name = ${q(row.name as string)}` : `id = ${q(row.id as string)}`;
      const sets = Object.entries(row)
        .filter(([k]) => k !== 'id' && k !== 'name')
        .map(([k, val]) => `${k} = ${val === null ? 'NULL' : typeof val === 'string' ? q(val) : String(val)}`);
      await v.sql(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${id}`);
    }
    expect((await v.call('GET', '/v1/secrets/app/db', { token: admin })).status).toBe(200);
  });

  it('cannot serve an older version of a secret, resurrect a deleted one, or lower its tier', async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/key', { token: admin, body: { value: 'canary-old-value', tier: 'critical' } });
    await v.call('PUT', '/v1/secrets/app/key', { token: admin, body: { value: 'canary-new-value' } });
    await v.sql("UPDATE secrets SET version = 1 WHERE path = 'app/key'");
    const rolledBack = await v.call('GET', '/v1/secrets/app/key', { token: admin });
    expect(rolledBack.text).not.toContain('canary-old-value');
    await expectRefused(v, rolledBack, 'version set back');
    await v.sql("UPDATE secrets SET version = 2, tier = 'standard' WHERE path = 'app/key'");
    await expectRefused(v, await v.call('GET', '/v1/metadata/app/key', { token: admin }), 'tier lowered');
    await v.sql("UPDATE secrets SET tier = 'critical' WHERE path = 'app/key'");
    expect((await v.call('GET', '/v1/secrets/app/key', { token: admin })).body.value).toBe('canary-new-value');

    await v.call('PUT', '/v1/secrets/app/gone', { token: admin, body: { value: 'canary-deleted-value' } });
    await v.call('DELETE', '/v1/secrets/app/gone', { token: admin });
    await v.sql("UPDATE secrets SET deleted_at = NULL WHERE path = 'app/gone'");
    const revived = await v.call('GET', '/v1/secrets/app/gone', { token: admin });
    expect(revived.text).not.toContain('canary-deleted-value');
    await expectRefused(v, revived, 'undeleted');
    await v.sql("UPDATE secret_versions SET deleted_at = NULL WHERE path = 'app/gone'");
    await expectRefused(v, await v.call('GET', '/v1/secrets/app/gone?version=1', { token: admin }), 'version undeleted');
  });
});

describe('ass migrate', () => {
  it('seals a store from before row MACs: every credential keeps working, every row verifies, nothing unsealed is honoured after', async () => {
    // (A store of schema version 2 never had an approval policy: the default one applies.)
    v = await startTestVault({ approvals: 'default' });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-migrated', tier: 'standard' } });
    const key = await createAgent(v, 'svc', ['secrets:read:app/*']);
    const token = await issueToken(v, key, { scopes: ['secrets:read:app/*'], ttl: '10m' });
    // Turn the store back into what schema version 2 kept: bare SHA-256 hashes, no MACs.
    const db = v.raw();
    db.prepare("UPDATE users SET token_hash = ? WHERE name = 'admin'").run(sha256(admin));
    db.prepare("UPDATE agents SET key_hash = ? WHERE name = 'svc'").run(sha256(key));
    db.prepare('UPDATE tokens SET hash = ? WHERE id = ?').run(sha256(token.token), token.id);
    for (const table of ['users', 'agents', 'tokens', 'secrets', 'secret_versions']) db.exec(`ALTER TABLE ${table} DROP COLUMN mac`);
    db.exec(
      'DROP TABLE lockouts; DROP TABLE rate_windows; DROP TABLE secret_stages; DROP TABLE rotations; DROP TABLE rotation_policies; DROP TABLE agent_previous_keys; DROP TABLE approval_policy; DROP TABLE approvals; DROP TABLE approval_decisions; DROP TABLE audit_rollups; ALTER TABLE users DROP COLUMN approver',
    );
    db.exec("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    const data = v.dataDir;
    await v.close();

    const { migrateDataDir, startServer } = await import('../../src/server/index.js');
    const env = { ASS_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };
    await expect(startServer({ dataDir: data, listen: '127.0.0.1:0', env })).rejects.toThrow(
      /schema version 2; this build reads 7\. .*ass migrate/,
    );
    expect(await migrateDataDir(data, { env })).toEqual({ from: 2, to: 7 });
    expect(await migrateDataDir(data, { env })).toEqual({ from: 7, to: 7 });
    const again = await startServer({ dataDir: data, listen: '127.0.0.1:0', env });
    try {
      const call = async (p: string, credential: string) => {
        const res = await fetch(`${again.url}${p}`, { headers: { authorization: `Bearer ${credential}` } });
        return { status: res.status, body: (await res.json()) as any };
      };
      expect((await call('/v1/secrets/app/db', admin)).body.value).toBe('canary-migrated');
      expect((await call('/v1/secrets/app/db', token.token)).body.value).toBe('canary-migrated');
      expect((await call('/v1/whoami', key)).status).toBe(200);
      const audit = await call('/v1/audit?eventType=vault.migrate', admin);
      expect(audit.body.events[0].reason).toBe('store upgraded from schema version 2 to 7');
      // The lockout tables came with the migration: a guess is counted.
      const { generateCredential } = await import('../../src/core/credentials.js');
      const adminId = (await call('/v1/whoami', admin)).body.id as string;
      expect((await call('/v1/whoami', generateCredential('user', adminId).secret)).status).toBe(401);
      const counted = (await call('/v1/lockouts?all=true', admin)).body.lockouts;
      expect(counted).toContainEqual(expect.objectContaining({ id: `user:${adminId}`, failures: 1 }));
      expect((await call('/v1/audit/verify', admin)).body.ok).toBe(true);
    } finally {
      await again.close();
    }
  });
});
