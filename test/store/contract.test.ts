import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, makeSealer, verifyChain } from '../../src/server/audit.js';
import type { AgentRow, AuditEntry, Store, TokenRow } from '../../src/store/types.js';
import { postgresAvailable, postgresFactory, type StoreFactory, sqliteFactory } from '../helpers/stores.js';

// CI must exercise PostgreSQL; a developer machine without it gets a loud skip instead.
const pgUp = await postgresAvailable();
if (!pgUp && process.env.CI) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it (.ci/run starts it).');
const factories: StoreFactory[] = pgUp ? [sqliteFactory, postgresFactory] : [sqliteFactory];
if (!pgUp) console.warn('PostgreSQL not reachable: running the store contract against SQLite only.');

const NOW = Date.parse('2026-11-22T10:00:00Z');
const headKey = Buffer.alloc(32, 9);

function agent(id: string, name = `agent-${id}`): AgentRow {
  return {
    id,
    name,
    scopes: ['secrets:read:x/*'],
    description: null,
    trustPolicy: null,
    keyId: `key${id}`.padEnd(16, '0'),
    keyHash: 'h',
    createdAt: NOW,
    revokedAt: null,
  };
}
function token(id: string, agentId: string, extra: Partial<TokenRow> = {}): TokenRow {
  return {
    id,
    kind: 'agent',
    agentId,
    hash: 'h',
    scopes: ['secrets:read:x/*'],
    createdAt: NOW,
    expiresAt: NOW + 60_000,
    maxUses: null,
    uses: 0,
    allowedIps: [],
    description: null,
    claims: null,
    revokedAt: null,
    ...extra,
  };
}
function entry(i: number): AuditEntry {
  return {
    time: NOW + i,
    requestId: `req-${i}`,
    event: 'secret.read',
    status: 'granted',
    actorType: 'token',
    actorId: 'a',
    actorName: 'n',
    agent: 'n',
    tokenId: 't',
    path: `x/${i}`,
    tier: 'standard',
    reason: null,
    ip: '127.0.0.1',
    claims: i % 2 ? { run_id: String(i) } : null,
  };
}

describe.each(factories)('store contract: $name', (factory) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await factory.open());
    await store.initAuditHead(makeSealer(headKey).genesisMac());
    await store.createAgent(agent('A1'));
  });
  afterEach(async () => cleanup());

  it('round-trips identities and tokens', async () => {
    await store.createUser({ id: 'U1', name: 'alice', role: 'auditor', tokenHash: 'h', createdAt: NOW, revokedAt: null });
    expect(await store.getUser('U1')).toMatchObject({ name: 'alice', role: 'auditor', revokedAt: null });
    expect(await store.getAgentByName('agent-A1')).toMatchObject({ id: 'A1', scopes: ['secrets:read:x/*'] });
    await store.createToken(token('T1', 'A1', { claims: { run_id: '42' }, allowedIps: ['10.0.0.0/8'], maxUses: 5 }));
    expect(await store.getToken('T1')).toMatchObject({ claims: { run_id: '42' }, allowedIps: ['10.0.0.0/8'], maxUses: 5, uses: 0 });
    expect((await store.listTokens({ activeAt: NOW })).map((t) => t.id)).toEqual(['T1']);
    expect(await store.listTokens({ activeAt: NOW + 60_000 })).toEqual([]);
  });

  it('spends token uses atomically under concurrency', async () => {
    await store.createToken(token('T2', 'A1', { maxUses: 3 }));
    const results = await Promise.all(Array.from({ length: 50 }, () => store.spendToken('T2', 1, NOW)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.reason === 'exhausted')).toHaveLength(47);
    expect((await store.getToken('T2'))?.uses).toBe(3);
    await store.createToken(token('T3', 'A1', { maxUses: 2 }));
    expect(await store.spendToken('T3', 3, NOW)).toEqual({ ok: false, reason: 'exhausted' });
    expect(await store.spendToken('T3', 1, NOW + 60_000)).toEqual({ ok: false, reason: 'expired' });
    await store.revokeToken('T3', NOW);
    expect(await store.spendToken('T3', 1, NOW)).toEqual({ ok: false, reason: 'revoked' });
    expect(await store.spendToken('nope', 1, NOW)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('lets exactly one of many concurrent writers create a version', async () => {
    const row = (v: number, by: string) => ({
      path: 'p/q',
      version: v,
      type: 'other' as const,
      tier: 'standard' as const,
      ciphertext: new Uint8Array([v]),
      createdAt: NOW,
      createdBy: by,
      deletedAt: null,
    });
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => store.putSecretVersion(row(1, `w${i}`), null)));
    expect(first.filter((r) => r === 'ok')).toHaveLength(1);
    const second = await Promise.all(Array.from({ length: 10 }, (_, i) => store.putSecretVersion(row(2, `w${i}`), 'd')));
    expect(second.filter((r) => r === 'ok')).toHaveLength(1);
    expect(await store.putSecretVersion(row(4, 'late'), null)).toBe('conflict');
    expect((await store.getSecret('p/q'))?.version).toBe(2);
    expect((await store.listVersions('p/q')).map((v) => v.version)).toEqual([1, 2]);
    expect(Buffer.from((await store.getSecretVersion('p/q', 2))!.ciphertext)).toEqual(Buffer.from([2]));
  });

  it('lists by prefix on segment boundaries, and soft-deletes', async () => {
    for (const p of ['a/b', 'a/b/c', 'a/b/c/d', 'a/b-c/x', 'a/bc', 'a/b.c']) {
      await store.putSecretVersion(
        {
          path: p,
          version: 1,
          type: 'other',
          tier: 'standard',
          ciphertext: new Uint8Array([1]),
          createdAt: NOW,
          createdBy: 't',
          deletedAt: null,
        },
        null,
      );
    }
    expect((await store.listSecrets('a/b', false)).map((s) => s.path)).toEqual(['a/b', 'a/b/c', 'a/b/c/d']);
    expect(await store.softDeleteSecret('a/b/c', NOW)).toBe(true);
    expect(await store.softDeleteSecret('a/b/c', NOW)).toBe(false);
    expect((await store.listSecrets('a/b', false)).map((s) => s.path)).toEqual(['a/b', 'a/b/c/d']);
    expect((await store.listSecrets('a/b', true)).map((s) => s.path)).toEqual(['a/b', 'a/b/c', 'a/b/c/d']);
    expect((await store.listVersions('a/b/c'))[0]?.deletedAt).toBe(NOW);
  });

  it('appends audit records with gapless sequence numbers and a valid chain under concurrency', async () => {
    const seal = makeSealer(headKey);
    const appended = await Promise.all(Array.from({ length: 60 }, (_, i) => store.appendAudit(entry(i), seal)));
    expect(appended.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const records = await store.queryAudit({ newestFirst: false });
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    const result = verifyChain(records, { head: await store.getAuditHead(), headKey });
    expect(result.problems).toEqual([]);
    expect(result.count).toBe(60);
    expect((await store.queryAudit({ limit: 5 })).map((r) => r.seq)).toEqual([60, 59, 58, 57, 56]);
    expect((await store.queryAudit({ afterSeq: 58, newestFirst: false })).map((r) => r.seq)).toEqual([59, 60]);
    expect((await store.queryAudit({ resourcePath: 'x/1' })).map((r) => r.path)).toEqual(['x/1']);
  });

  it('refuses to extend a log whose head does not match its last record', async () => {
    const seal = makeSealer(headKey);
    for (let i = 0; i < 3; i++) await store.appendAudit(entry(i), seal);
    expect(await store.getAuditTail()).toMatchObject({ seq: 3 });
    const s = store as unknown as { db?: { exec(sql: string): void }; pool?: { query(sql: string): Promise<unknown> } };
    const run = async (sql: string) => (s.db ? s.db.exec(sql) : await s.pool!.query(sql));
    await run(s.db ? 'DROP TRIGGER IF EXISTS audit_append_only_delete' : 'DROP TRIGGER IF EXISTS audit_append_only ON audit');
    await run('DELETE FROM audit WHERE seq = 3');
    await expect(store.appendAudit(entry(9), seal)).rejects.toThrow(/not the authenticated head/);
    await expect(store.appendAudit(entry(9), makeSealer(Buffer.alloc(32, 1)))).rejects.toThrow(/not authentic/);
  });

  it('anchors a new log with a genesis head, and refuses to extend a wiped one', async () => {
    const seal = makeSealer(headKey);
    await expect(store.initAuditHead(seal.genesisMac())).resolves.toBeUndefined();
    await store.appendAudit(entry(1), seal);
    await expect(store.initAuditHead(seal.genesisMac())).rejects.toThrow(/already begun/);
    const s = store as unknown as { db?: { exec(sql: string): void }; pool?: { query(sql: string): Promise<unknown> } };
    const run = async (sql: string) => (s.db ? s.db.exec(sql) : await s.pool!.query(sql));
    await run(s.db ? 'DROP TRIGGER IF EXISTS audit_append_only_delete' : 'DROP TRIGGER IF EXISTS audit_append_only ON audit');
    await run('DELETE FROM audit');
    await run('DELETE FROM audit_head');
    await expect(store.appendAudit(entry(2), seal)).rejects.toThrow(/head is missing/);
  });

  it('stores a meta value once, whoever races for it, and revokes users', async () => {
    const results = await Promise.all(['a', 'b', 'c'].map((v) => store.setMetaIfAbsent('k', v)));
    expect(new Set(results).size).toBe(1);
    await store.createUser({ id: 'U9', name: 'zoe', role: 'viewer', tokenHash: 'h', createdAt: NOW, revokedAt: null });
    expect(await store.revokeUser('U9', NOW)).toBe('revoked');
    expect(await store.revokeUser('U9', NOW)).toBe('not_active');
    expect((await store.getUser('U9'))?.revokedAt).toBe(NOW);
    // Two admins revoking each other at once leave one admin, never none.
    await store.createUser({ id: 'AD1', name: 'ann', role: 'admin', tokenHash: 'h', createdAt: NOW, revokedAt: null });
    await store.createUser({ id: 'AD2', name: 'ben', role: 'admin', tokenHash: 'h', createdAt: NOW, revokedAt: null });
    const both = await Promise.all([store.revokeUser('AD1', NOW), store.revokeUser('AD2', NOW)]);
    expect(both.sort()).toEqual(['last_admin', 'revoked']);
    expect((await store.listUsers()).filter((u) => u.role === 'admin' && u.revokedAt === null)).toHaveLength(1);
  });

  it('refuses to update or delete audit records', async () => {
    await store.appendAudit(entry(1), makeSealer(headKey));
    const s = store as unknown as { db?: { exec(sql: string): void }; pool?: { query(sql: string): Promise<unknown> } };
    const run = async (sql: string) => (s.db ? s.db.exec(sql) : await s.pool!.query(sql));
    await expect(run("UPDATE audit SET path = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(run('DELETE FROM audit WHERE seq = 1')).rejects.toThrow(/append-only/);
  });

  it('revokes an agent with its live tokens in one step', async () => {
    await store.createToken(token('T4', 'A1'));
    await store.createToken(token('T5', 'A1'));
    await store.createToken(token('T6', 'A1', { expiresAt: NOW - 1 }));
    expect(await store.revokeAgent('A1', NOW)).toEqual({ tokensRevoked: 2 });
    expect((await store.getAgentById('A1'))?.revokedAt).toBe(NOW);
    expect((await store.getToken('T4'))?.revokedAt).toBe(NOW);
  });

  it('accepts each jti once, also under concurrency', async () => {
    const res = await Promise.all(Array.from({ length: 10 }, () => store.useJti('https://issuer', 'jti-1', NOW + 300_000, NOW)));
    expect(res.filter(Boolean)).toHaveLength(1);
    expect(await store.useJti('https://other-issuer', 'jti-1', NOW + 300_000, NOW)).toBe(true);
  });
});
