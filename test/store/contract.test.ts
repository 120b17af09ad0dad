import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, verifyChain } from '../../src/core/audit-chain.js';
import { makeSealer } from '../../src/server/audit.js';
import { script } from '../../src/store/sql/program.js';
import type { SqlStore } from '../../src/store/sql/store.js';
import { type AgentRow, type AuditEntry, type Change, CommitFailed, type SecretVersionRow, type TokenRow } from '../../src/store/types.js';
import { postgresAvailable, postgresFactory, type StoreFactory, sqliteFactory } from '../helpers/stores.js';

// CI must exercise PostgreSQL; a developer machine without it gets a loud skip instead.
const pgUp = await postgresAvailable();
if (!pgUp && process.env.CI) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it (.ci/run starts it).');
const factories: StoreFactory[] = pgUp ? [sqliteFactory, postgresFactory] : [sqliteFactory];
if (!pgUp) console.warn('PostgreSQL not reachable: running the store contract against SQLite only.');

const NOW = Date.parse('2026-11-22T10:00:00Z');
const headKey = Buffer.alloc(32, 9);
const seal = makeSealer(headKey);

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
    kind: 'token',
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
function version(path: string, v: number, by = 't'): SecretVersionRow {
  return {
    path,
    version: v,
    type: 'other',
    tier: 'standard',
    ciphertext: new Uint8Array([v]),
    createdAt: NOW,
    createdBy: by,
    deletedAt: null,
  };
}
function entry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
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
    ...extra,
  };
}

describe.each(factories)('store contract: $name', (factory) => {
  let store: SqlStore;
  let cleanup: () => Promise<void>;
  let n = 0;
  /** Commits a change with one audit record, as the vault does for every change. */
  const apply = async <T>(change: Change<T>): Promise<T> => (await store.commit(change, () => [entry(++n)], seal)).result;
  /** Runs SQL behind the store's back, as someone with write access to the database could. */
  const tamper = (sql: string) => store.driver.transaction(script(sql));
  const dropAppendOnly = () =>
    tamper(
      store.driver.dialect === 'sqlite'
        ? 'DROP TRIGGER IF EXISTS audit_append_only_delete; DROP TRIGGER IF EXISTS audit_append_only_update'
        : 'DROP TRIGGER IF EXISTS audit_append_only ON audit',
    );

  beforeEach(async () => {
    ({ store, cleanup } = await factory.open());
    await store.initAuditHead(seal.genesisMac());
    await apply(store.changes.createAgent(agent('A1')));
  });
  afterEach(async () => cleanup());

  it('round-trips identities and tokens, and reads a token with its agent in one query', async () => {
    expect(
      await apply(
        store.changes.createUser({
          id: 'U1',
          name: 'alice',
          role: 'auditor',
          approver: false,
          tokenHash: 'h',
          createdAt: NOW,
          revokedAt: null,
        }),
      ),
    ).toBe('created');
    expect(
      await apply(
        store.changes.createUser({
          id: 'U2',
          name: 'alice',
          role: 'admin',
          approver: false,
          tokenHash: 'h',
          createdAt: NOW,
          revokedAt: null,
        }),
      ),
    ).toBe('name_taken');
    expect(await store.getUser('U1')).toMatchObject({ name: 'alice', role: 'auditor', approver: false, revokedAt: null });
    expect(await store.getUserByName('alice')).toMatchObject({ id: 'U1' });
    expect(await store.getAgentByName('agent-A1')).toMatchObject({ id: 'A1', scopes: ['secrets:read:x/*'] });
    expect(await apply(store.changes.createAgent(agent('A2', 'agent-A1')))).toBe('name_taken');
    await apply(store.changes.createToken(token('T1', 'A1', { claims: { run_id: '42' }, allowedIps: ['10.0.0.0/8'], maxUses: 5 })));
    expect(await store.getToken('T1')).toMatchObject({
      kind: 'token',
      claims: { run_id: '42' },
      allowedIps: ['10.0.0.0/8'],
      maxUses: 5,
      uses: 0,
    });
    const both = await store.getTokenWithAgent('T1');
    expect(both?.token).toEqual(await store.getToken('T1'));
    expect(both?.agent).toEqual(await store.getAgentById('A1'));
    expect(await store.getTokenWithAgent('nope')).toBeUndefined();
    expect((await store.listTokens({ activeAt: NOW })).map((t) => t.id)).toEqual(['T1']);
    expect(await store.listTokens({ activeAt: NOW + 60_000 })).toEqual([]);
  });

  it('spends token uses atomically under concurrency', async () => {
    await apply(store.changes.createToken(token('T2', 'A1', { maxUses: 3 })));
    const results = await Promise.all(Array.from({ length: 50 }, () => store.spendToken('T2', 1, NOW)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.reason === 'exhausted')).toHaveLength(47);
    expect((await store.getToken('T2'))?.uses).toBe(3);
    await apply(store.changes.createToken(token('T3', 'A1', { maxUses: 2 })));
    expect(await store.spendToken('T3', 3, NOW)).toEqual({ ok: false, reason: 'exhausted' });
    expect(await store.spendToken('T3', 1, NOW + 60_000)).toEqual({ ok: false, reason: 'expired' });
    expect(await apply(store.changes.revokeToken('T3', NOW))).toBe(true);
    expect(await apply(store.changes.revokeToken('T3', NOW))).toBe(false);
    expect(await store.spendToken('T3', 1, NOW)).toEqual({ ok: false, reason: 'revoked' });
    expect(await store.spendToken('nope', 1, NOW)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('lets exactly one of many concurrent writers create a version', async () => {
    const first = await Promise.all(
      Array.from({ length: 10 }, (_, i) => apply(store.changes.putSecretVersion(version('p/q', 1, `w${i}`), null))),
    );
    expect(first.filter((r) => r === 'ok')).toHaveLength(1);
    const second = await Promise.all(
      Array.from({ length: 10 }, (_, i) => apply(store.changes.putSecretVersion(version('p/q', 2, `w${i}`), 'd'))),
    );
    expect(second.filter((r) => r === 'ok')).toHaveLength(1);
    expect(await apply(store.changes.putSecretVersion(version('p/q', 4, 'late'), null))).toBe('conflict');
    expect((await store.getSecret('p/q'))?.version).toBe(2);
    expect((await store.listVersions('p/q')).map((v) => v.version)).toEqual([1, 2]);
    expect(Buffer.from((await store.getSecretVersion('p/q', 2))!.ciphertext)).toEqual(Buffer.from([2]));
    // A secret with its current (or a named) version in one query.
    expect((await store.readSecret('p/q'))?.version?.version).toBe(2);
    expect((await store.readSecret('p/q', 1))?.version?.version).toBe(1);
    expect(await store.readSecret('p/q', 9)).toMatchObject({ secret: { version: 2 }, version: undefined });
    expect(await store.readSecret('p/none')).toBeUndefined();
  });

  it('lists by prefix on segment boundaries, and soft-deletes', async () => {
    for (const p of ['a/b', 'a/b/c', 'a/b/c/d', 'a/b-c/x', 'a/bc', 'a/b.c'])
      await apply(store.changes.putSecretVersion(version(p, 1), null));
    expect((await store.listSecrets('a/b', false)).map((s) => s.path)).toEqual(['a/b', 'a/b/c', 'a/b/c/d']);
    expect(await apply(store.changes.softDeleteSecret('a/b/c', NOW))).toBe(true);
    expect(await apply(store.changes.softDeleteSecret('a/b/c', NOW))).toBe(false);
    expect((await store.listSecrets('a/b', false)).map((s) => s.path)).toEqual(['a/b', 'a/b/c/d']);
    expect((await store.listSecrets('a/b', true)).map((s) => s.path)).toEqual(['a/b', 'a/b/c', 'a/b/c/d']);
    expect((await store.listVersions('a/b/c'))[0]?.deletedAt).toBe(NOW);
  });

  it('appends audit records with gapless sequence numbers and a valid chain under concurrency', async () => {
    const appended = await Promise.all(Array.from({ length: 60 }, (_, i) => store.commit(null, () => [entry(100 + i)], seal)));
    const seqs = appended.flatMap((c) => c.records.map((r) => r.seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 2));
    const records = await store.queryAudit({ newestFirst: false });
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    const result = verifyChain(records, { head: await store.getAuditHead(), headKey });
    expect(result.problems).toEqual([]);
    expect(result.count).toBe(61);
    expect((await store.queryAudit({ limit: 5 })).map((r) => r.seq)).toEqual([61, 60, 59, 58, 57]);
    expect((await store.queryAudit({ afterSeq: 59, newestFirst: false })).map((r) => r.seq)).toEqual([60, 61]);
    expect((await store.queryAudit({ resourcePath: 'x/101' })).map((r) => r.path)).toEqual(['x/101']);
  });

  it('counts audit records in whole time slots, by CI claim, and for exact paths', async () => {
    const HOUR = 3_600_000;
    const at = (hour: number, minute: number, extra: Partial<AuditEntry> = {}) =>
      store.commit(null, () => [entry(0, { time: NOW + hour * HOUR + minute * 60_000, ...extra })], seal);
    // Hour 0: three records at different minutes; hour 2: one; a week later, hour 2 again (the
    // agent made before each test left a record at NOW + 1: the counts start after it).
    const since = NOW + 1000;
    for (const m of [1, 29, 59]) await at(0, m, { path: 'x/a' });
    await at(2, 30, { path: 'x/a/b' });
    await at(7 * 24 + 2, 5, { path: 'x/b' });
    const slots = await store.countAudit({ since, groupBy: ['slot'], slot: { from: NOW, ms: HOUR }, limit: 10 });
    expect(slots.map((s) => [s.key.slot, s.count])).toEqual([
      [0, 3],
      [2, 1],
      [170, 1],
    ]);
    const weekly = await store.countAudit({ since, groupBy: ['slot'], slot: { from: NOW, ms: HOUR, period: 7 * 24 * HOUR }, limit: 10 });
    expect(weekly.map((s) => [s.key.slot, s.count])).toEqual([
      [0, 3],
      [2, 2],
    ]);
    // Exact paths (resourcePath is a prefix: x/a also finds x/a/b).
    expect((await store.countAudit({ since, paths: ['x/a'], groupBy: ['path'], limit: 10 })).map((r) => r.count)).toEqual([3]);
    expect(await store.countAudit({ since, paths: [], groupBy: [], limit: 1 })).toEqual([{ key: {}, count: 0, firstTime: 0, lastTime: 0 }]);
    // Addresses from a list.
    const byIp = async (ips: string[]) =>
      (await store.countAudit({ since, ips, groupBy: ['ip'], limit: 10 })).map((r) => [r.key.ip, r.count]);
    expect(await byIp(['127.0.0.1', '10.9.9.9'])).toEqual([['127.0.0.1', 5]]);
    expect(await byIp(['10.9.9.9'])).toEqual([]);
    // Repository and ref from the claims (GitLab's project_path stands for the repository; no ref groups as '').
    await at(3, 0, { claims: { repository: 'o/r', ref: 'refs/heads/main', run_id: '1' } });
    await at(3, 1, { claims: { repository: 'o/r', ref: 'refs/heads/main', run_id: '2' } });
    await at(3, 2, { claims: { project_path: 'g/p', ref: 'main' } });
    await at(3, 3, { claims: { repository: 'o/r' } });
    const byRepo = await store.countAudit({ since: NOW + 3 * HOUR, until: NOW + 4 * HOUR, groupBy: ['repository', 'ref'], limit: 10 });
    expect(byRepo.map((r) => [r.key.repository, r.key.ref, r.count])).toEqual([
      ['o/r', 'refs/heads/main', 2],
      ['g/p', 'main', 1],
      ['o/r', '', 1],
    ]);
    expect((await store.queryAudit({ repository: 'o/r', ref: 'refs/heads/main' })).map((r) => r.claims?.run_id)).toEqual(['2', '1']);
    expect(await store.queryAudit({ repository: 'g/p', ref: '' })).toEqual([]);
  });

  it('lists the tokens created in a time range', async () => {
    for (const [id, minutes] of [
      ['T1', 0],
      ['T2', 10],
      ['T3', 20],
    ] as const) {
      await apply(store.changes.createToken(token(id, 'A1', { createdAt: NOW + minutes * 60_000 })));
    }
    const ids = async (f: { createdSince?: number; createdBefore?: number }) =>
      (await store.listTokens({ agentId: 'A1', ...f })).map((t) => t.id);
    expect(await ids({ createdSince: NOW + 10 * 60_000 })).toEqual(['T3', 'T2']);
    expect(await ids({ createdSince: NOW, createdBefore: NOW + 20 * 60_000 })).toEqual(['T2', 'T1']);
  });

  it('commits a change and its records together, or neither', async () => {
    const tail = async () => (await store.getAuditTail())?.seq;
    const before = await tail();
    // The records of one commit land together: one that cannot be stored takes the others and the change with it.
    const bad = [entry(1), entry(2), entry(3, { event: null as unknown as string })];
    await expect(store.commit(store.changes.createAgent(agent('A7')), () => bad, seal)).rejects.toBeInstanceOf(CommitFailed);
    expect(await store.getAgentById('A7')).toBeUndefined();
    expect(await tail()).toBe(before);
    // A change refused by its caller (the entries callback throws) is undone alone; a commit in the
    // same batch still lands.
    const refused = store.commit(
      store.changes.createAgent(agent('A8')),
      () => {
        throw new Error('refused by the caller');
      },
      seal,
    );
    const fine = store.commit(store.changes.createAgent(agent('A9')), () => [entry(9)], seal);
    await expect(refused).rejects.toThrow('refused by the caller');
    await expect(fine).resolves.toMatchObject({ result: 'created' });
    expect(await store.getAgentById('A8')).toBeUndefined();
    expect(await store.getAgentById('A9')).toBeDefined();
    expect(await tail()).toBe((before as number) + 1);
    // A log altered behind the store's back takes every change offered to it down with it.
    await dropAppendOnly();
    await tamper(`DELETE FROM audit WHERE seq = ${(before as number) + 1}`);
    await expect(apply(store.changes.createAgent(agent('A10')))).rejects.toBeInstanceOf(CommitFailed);
    expect(await store.getAgentById('A10')).toBeUndefined();
  });

  it('refuses to extend a log whose head does not match its last record', async () => {
    for (let i = 0; i < 3; i++) await store.commit(null, () => [entry(i)], seal);
    expect(await store.getAuditTail()).toMatchObject({ seq: 4 });
    await dropAppendOnly();
    await tamper('DELETE FROM audit WHERE seq = 4');
    await expect(store.commit(null, () => [entry(9)], seal)).rejects.toThrow(/not the authenticated head/);
    await expect(store.commit(null, () => [entry(9)], makeSealer(Buffer.alloc(32, 1)))).rejects.toThrow(/not authentic/);
  });

  it('anchors a new log with a genesis head once, and refuses to extend a wiped one', async () => {
    await expect(store.initAuditHead(seal.genesisMac())).rejects.toThrow(/already begun/);
    await dropAppendOnly();
    await tamper('DELETE FROM audit');
    await tamper('DELETE FROM audit_head');
    await expect(store.commit(null, () => [entry(2)], seal)).rejects.toThrow(/head is missing/);
  });

  it('stores a meta value once, whoever races for it, and revokes users, never the last admin', async () => {
    const results = await Promise.all(['a', 'b', 'c'].map((v) => store.setMetaIfAbsent('k', v)));
    expect(new Set(results).size).toBe(1);
    await apply(
      store.changes.createUser({ id: 'U9', name: 'zoe', role: 'viewer', approver: false, tokenHash: 'h', createdAt: NOW, revokedAt: null }),
    );
    expect(await apply(store.changes.revokeUser('U9', NOW))).toBe('revoked');
    expect(await apply(store.changes.revokeUser('U9', NOW))).toBe('not_active');
    expect((await store.getUser('U9'))?.revokedAt).toBe(NOW);
    // Two admins revoking each other at once leave one admin, never none.
    await apply(
      store.changes.createUser({ id: 'AD1', name: 'ann', role: 'admin', approver: false, tokenHash: 'h', createdAt: NOW, revokedAt: null }),
    );
    await apply(
      store.changes.createUser({ id: 'AD2', name: 'ben', role: 'admin', approver: false, tokenHash: 'h', createdAt: NOW, revokedAt: null }),
    );
    const both = await Promise.all([apply(store.changes.revokeUser('AD1', NOW)), apply(store.changes.revokeUser('AD2', NOW))]);
    expect(both.sort()).toEqual(['last_admin', 'revoked']);
    expect((await store.listUsers()).filter((u) => u.role === 'admin' && u.revokedAt === null)).toHaveLength(1);
  });

  it('refuses to update or delete audit records', async () => {
    await store.commit(null, () => [entry(1)], seal);
    await expect(tamper("UPDATE audit SET path = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(tamper('DELETE FROM audit WHERE seq = 1')).rejects.toThrow(/append-only/);
  });

  it('revokes an agent with its live tokens in one step', async () => {
    await apply(store.changes.createToken(token('T4', 'A1')));
    await apply(store.changes.createToken(token('T5', 'A1')));
    await apply(store.changes.createToken(token('T6', 'A1', { expiresAt: NOW - 1 })));
    expect(await apply(store.changes.revokeAgent('A1', NOW))).toEqual({ revoked: true, tokensRevoked: 2 });
    expect(await apply(store.changes.revokeAgent('A1', NOW))).toEqual({ revoked: false, tokensRevoked: 0 });
    expect((await store.getAgentById('A1'))?.revokedAt).toBe(NOW);
    expect((await store.getToken('T4'))?.revokedAt).toBe(NOW);
  });

  it('reseals every version through the rewrap callback', async () => {
    await apply(store.changes.putSecretVersion(version('r/a', 1), null));
    await apply(store.changes.putSecretVersion(version('r/a', 2), null));
    expect(await apply(store.changes.rewrapSecretVersions((r) => (r.version === 2 ? new Uint8Array([42]) : undefined)))).toBe(1);
    expect(Buffer.from((await store.getSecretVersion('r/a', 2))!.ciphertext)).toEqual(Buffer.from([42]));
  });

  it('accepts each jti once, also under concurrency', async () => {
    const res = await Promise.all(Array.from({ length: 10 }, () => store.useJti('https://issuer', 'jti-1', NOW + 300_000, NOW)));
    expect(res.filter(Boolean)).toHaveLength(1);
    expect(await store.useJti('https://other-issuer', 'jti-1', NOW + 300_000, NOW)).toBe(true);
  });
});

describe.each(factories)('store schema: $name', (factory) => {
  it('refuses a store made by a newer build, and a database without a vault unless asked to create one', async () => {
    const { store, cleanup, reopen, openEmpty } = await factory.open();
    try {
      await store.driver.read(script("UPDATE meta SET value = '99' WHERE key = 'schema_version'"));
      await expect(reopen()).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/schema version 99, newer than this build/),
      });
      await expect(openEmpty()).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/holds no vault/) });
    } finally {
      await cleanup();
    }
  });
});
