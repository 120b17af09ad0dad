/** The audit log through the API: every request recorded without a value; edits, deletions, reordering, truncation and a rewritten chain detected; a log altered behind the vault's back is never extended; exports and checkpoints. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordHash, verifyChain } from '../../src/core/audit-chain.js';
import type { AuditRecord } from '../../src/store/types.js';
import { createAgent, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-audit-4c1d9e77aa';

/** The attacker's view: direct write access to the database file, triggers dropped. */
function tamper(v: TestVault, sql: string, ...args: (string | number)[]) {
  const db = v.raw();
  db.exec('DROP TRIGGER IF EXISTS audit_append_only_update; DROP TRIGGER IF EXISTS audit_append_only_delete;');
  db.prepare(sql).run(...args);
}

async function verify(v: TestVault) {
  return (await v.call('GET', '/v1/audit/verify', { token: v.adminToken })).body;
}

describe('audit log', () => {
  let v: TestVault;
  const logs: string[] = [];

  beforeEach(async () => {
    logs.length = 0;
    const logger = {
      debug: (m: string) => logs.push(m),
      info: (m: string) => logs.push(m),
      warning: (m: string) => logs.push(m),
      error: (m: string) => logs.push(m),
    };
    v = await startTestVault({ logger });
    await v.call('PUT', '/v1/secrets/production/payments/stripe/secret-key', {
      token: v.adminToken,
      body: { value: CANARY, tier: 'critical' },
    });
    const key = await createAgent(v, 'payment-service', ['secrets:read:production/payments/*']);
    const { token } = await issueToken(v, key, { scopes: ['secrets:read:production/payments/*'] });
    await v.call('GET', '/v1/secrets/production/payments/stripe/secret-key', { token });
    await v.call('GET', '/v1/secrets/production/other/x', { token });
    await v.call('GET', '/v1/whoami', { token: 'ass_u_nonsense' });
  });
  afterEach(async () => v.cleanup());

  it('records every request, granted or denied, with actor, token, path, tier and IP, never a value', async () => {
    const res = await v.call('GET', '/v1/audit?limit=50', { token: v.adminToken });
    const events = res.body.events as any[];
    const read = events.find((e) => e.event === 'secret.read' && e.status === 'granted');
    expect(read).toMatchObject({
      actorType: 'token',
      agent: 'payment-service',
      path: 'production/payments/stripe/secret-key',
      tier: 'critical',
      ip: '127.0.0.1',
    });
    expect(read.tokenId).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(read.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const denied = events.find((e) => e.event === 'secret.read' && e.status === 'denied');
    expect(denied.reason).toMatch(/scope_missing/);
    expect(events.find((e) => e.event === 'auth.whoami' && e.status === 'denied')).toBeTruthy();
    const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const dump = JSON.stringify(v.raw().prepare('SELECT * FROM audit').all());
    expect(dump).not.toContain(CANARY);
    expect(logs.join('\n')).not.toContain(CANARY);
    const filtered = await v.call('GET', '/v1/audit?status=denied&eventType=secret.read', { token: v.adminToken });
    expect(filtered.body.events).toHaveLength(1);
    const byPath = await v.call('GET', '/v1/audit?resourcePath=production/payments', { token: v.adminToken });
    expect(byPath.body.events.every((e: any) => e.path.startsWith('production/payments/'))).toBe(true);
  });

  it('verifies an intact chain', async () => {
    const r = await verify(v);
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([]);
  });

  it('detects an edited record', async () => {
    tamper(v, "UPDATE audit SET path = 'production/innocent' WHERE seq = 3");
    const r = await verify(v);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p: any) => p.kind)).toContain('hash_mismatch');
    expect(r.problems.find((p: any) => p.kind === 'hash_mismatch').seq).toBe(3);
  });

  it('detects a deleted record', async () => {
    tamper(v, 'DELETE FROM audit WHERE seq = 2');
    const r = await verify(v);
    expect(r.problems.map((p: any) => p.kind)).toEqual(expect.arrayContaining(['gap', 'broken_link']));
  });

  it('detects reordered records', async () => {
    tamper(v, 'UPDATE audit SET seq = -1 WHERE seq = 2');
    tamper(v, 'UPDATE audit SET seq = 2 WHERE seq = 3');
    tamper(v, 'UPDATE audit SET seq = 3 WHERE seq = -1');
    const r = await verify(v);
    expect(r.problems.map((p: any) => p.kind)).toContain('broken_link');
  });

  it('detects a truncated tail', async () => {
    const head = (await verify(v)).headSeq;
    tamper(v, 'DELETE FROM audit WHERE seq >= ?', head - 1);
    const r = await verify(v);
    expect(r.problems.map((p: any) => p.kind)).toContain('truncated');
  });

  it('detects a chain rewritten consistently by someone without the server key', async () => {
    const db = v.raw();
    tamper(v, "UPDATE audit SET actor_name = 'someone-else' WHERE seq = 4");
    // Recompute every hash from record 4 on, as an attacker with the database (but not the key) could.
    const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as any[];
    let prev = rows[2].hash as string;
    for (const row of rows.slice(3)) {
      const rec = {
        time: row.time,
        requestId: row.request_id,
        event: row.event,
        status: row.status,
        actorType: row.actor_type,
        actorId: row.actor_id,
        actorName: row.actor_name,
        agent: row.agent,
        tokenId: row.token_id,
        path: row.path,
        tier: row.tier,
        reason: row.reason,
        ip: row.ip,
        claims: row.claims ? JSON.parse(row.claims) : null,
      };
      const hash = recordHash(rec, row.seq, prev);
      db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, row.seq);
      prev = hash;
    }
    db.prepare('UPDATE audit_head SET hash = ?').run(prev);
    const r = await verify(v);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p: any) => p.kind)).toContain('head_mac_invalid');
  });

  it('notices a log wiped whole (records and head), and will not start without its audit key', async () => {
    tamper(v, 'DELETE FROM audit');
    tamper(v, 'DELETE FROM audit_head');
    const next = await v.call('GET', '/v1/whoami', { token: v.adminToken });
    expect(next.status).toBe(503);
    const r = await verify(v);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p: any) => p.kind)).toContain('head_mac_invalid');
    tamper(v, "DELETE FROM meta WHERE key = 'audit_key'");
    await v.close();
    const { startServer } = await import('../../src/server/index.js');
    await expect(
      startServer({ dataDir: v.dataDir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') } }),
    ).rejects.toThrow(/no audit key/);
  });

  it('exports the evidence of a tampered log without signing it', async () => {
    tamper(v, 'DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)');
    const exp = await v.call('GET', '/v1/audit/export?format=json', { token: v.adminToken });
    expect(exp.status).toBe(200);
    expect(exp.body.checkpoint).toBeNull();
    expect(exp.body.warning).toMatch(/does not match/);
    expect(exp.body.events.length).toBeGreaterThan(3);
  });

  it('refuses to extend (or sign a checkpoint of) a log truncated behind its back', async () => {
    const db = v.raw();
    const head = (await verify(v)).headSeq as number;
    tamper(v, 'DELETE FROM audit WHERE seq >= ?', head - 2);
    const row = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    // The attacker also moves the head back to the new last record (without the key for its MAC).
    db.prepare("UPDATE audit_head SET seq = ?, hash = ?, mac = 'deadbeef'").run(row.seq, row.hash);
    const next = await v.call('GET', '/v1/secrets/production/payments/stripe/secret-key', { token: v.adminToken });
    expect(next.status).toBe(503);
    expect(next.text).not.toContain(CANARY);
    expect(logs.join('\n')).toMatch(/not authentic/);
    expect((await v.call('GET', '/v1/audit/checkpoint', { token: v.adminToken })).status).toBe(503);
    expect(db.prepare('SELECT max(seq) AS m FROM audit').get()).toEqual({ m: row.seq });
  });

  it('exports with the chain fields and a signed checkpoint that detects a later rollback', async () => {
    const exp = await v.call('GET', '/v1/audit/export?format=json', { token: v.adminToken });
    expect(exp.body.events.length).toBeGreaterThan(3);
    expect(exp.text).not.toContain(CANARY);
    const checkpoint = exp.body.checkpoint;
    const records: AuditRecord[] = exp.body.events.map((e: any) => ({ ...e, time: Date.parse(e.time) }));
    expect(verifyChain(records, { checkpoints: [checkpoint] }).ok).toBe(true);
    // An export truncated after the checkpoint was taken fails against it.
    expect(verifyChain(records.slice(0, -2), { checkpoints: [checkpoint] }).problems.map((p) => p.kind)).toContain('truncated');
    // A forged checkpoint fails its signature.
    expect(verifyChain(records, { checkpoints: [{ ...checkpoint, seq: 1 }] }).problems.map((p) => p.kind)).toContain(
      'checkpoint_signature_invalid',
    );
    const csv = await v.call('GET', '/v1/audit/export?format=csv', { token: v.adminToken });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe(
      'seq,time,requestId,event,status,actorType,actorId,actorName,agent,tokenId,path,tier,reason,ip,claims,prevHash,hash',
    );
    expect(csv.text).not.toContain(CANARY);
  });

  it('fails closed: if the audit record cannot be written, the secret is not released', async () => {
    tamper(v, 'DROP TABLE audit_head');
    const res = await v.call('GET', '/v1/secrets/production/payments/stripe/secret-key', { token: v.adminToken });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('audit_unavailable');
    expect(res.text).not.toContain(CANARY);
    expect(logs.join('\n')).toMatch(/audit append failed/);
    expect(logs.join('\n')).not.toContain(CANARY);
  });
});
