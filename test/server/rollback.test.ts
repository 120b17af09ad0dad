/**
 * Rollback: someone who can write the store puts back what the vault wrote earlier. A row MAC says
 * the vault wrote a row, not that it is the latest, and an authentic chain head can be an old one.
 * Each attack here uses genuine old state (copied rows with their MACs, an earlier head with its
 * MAC) and must be refused: by the freshness index rebuilt from the log, by the high-water mark kept
 * outside the store, by the checkpoints in the sink, and by the monitor that verifies the log while
 * the vault runs. On both stores.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HIGH_WATER_FILE } from '../../src/server/index.js';
import type { SqlStore } from '../../src/store/sql/store.js';
import { postgresAvailable } from '../helpers/stores.js';
import { createAgent, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const pgUp = await postgresAvailable();
if (!pgUp && process.env.CI) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it (.ci/run starts it).');
const backends = pgUp ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const lit = (v: unknown) =>
  v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'bigint' ? String(v) : q(String(v));

let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

/** Puts `columns` of a row back to what `row` held (a copy taken earlier, MAC and all). */
async function putBack(vault: TestVault, table: string, where: string, row: Record<string, unknown>, columns: string[]) {
  await vault.sql(`UPDATE ${table} SET ${columns.map((c) => `${c} = ${lit(row[c])}`).join(', ')} WHERE ${where}`);
}

async function one(vault: TestVault, sql: string): Promise<Record<string, unknown>> {
  const rows = await vault.sql(sql);
  expect(rows.length, sql).toBe(1);
  return rows[0] as Record<string, unknown>;
}

/** The request is refused because the row is older than the log says, and nothing of the old state leaks. */
function expectStale(res: { status: number; body: any; text: string }, what: string, canary?: string) {
  expect(res.status, what).toBe(500);
  expect(res.body.error.code, what).toBe('integrity_failed');
  expect(res.body.error.message, what).toMatch(/older than the audit log says/);
  if (canary) expect(res.text, what).not.toContain(canary);
}

/** Lets the attacker delete and edit audit rows (the append-only trigger is the database's, not a key). */
async function dropAppendOnly(vault: TestVault) {
  if (vault.backend === 'sqlite') await vault.sql('DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;');
  else await vault.sql('ALTER TABLE audit DISABLE TRIGGER audit_append_only');
}

/** Polls until `check` holds (bounded: 200 tries). */
async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe.each(backends)('rows put back from before a change (%s)', (backend) => {
  it('a revoked user, agent or token whose earlier row is put back stays revoked, also after a restart', async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    const user = (await v.call('POST', '/v1/users', { token: admin, body: { name: 'eve', role: 'editor' } })).body.token as string;
    const key = await createAgent(v, 'svc', ['secrets:read:app/*']);
    const other = await createAgent(v, 'other', ['secrets:read:app/*']);
    const token = await issueToken(v, other, { scopes: ['secrets:read:app/*'] });
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-rollback-db' } });
    const userRow = await one(v, "SELECT * FROM users WHERE name = 'eve'");
    const agentRow = await one(v, "SELECT * FROM agents WHERE name = 'svc'");
    const tokenRow = await one(v, `SELECT * FROM tokens WHERE id = ${q(token.id)}`);
    expect((await v.call('DELETE', '/v1/users/eve', { token: admin })).status).toBe(200);
    expect((await v.call('DELETE', '/v1/agents/svc', { token: admin })).status).toBe(200);
    expect((await v.call('DELETE', `/v1/tokens/${token.id}`, { token: admin })).status).toBe(200);

    await putBack(v, 'users', "name = 'eve'", userRow, ['revoked_at', 'mac']);
    await putBack(v, 'agents', "name = 'svc'", agentRow, ['revoked_at', 'mac']);
    await putBack(v, 'tokens', `id = ${q(token.id)}`, tokenRow, ['revoked_at', 'mac']);
    for (let round = 0; round < 2; round++) {
      expectStale(await v.call('GET', '/v1/secrets/app/db', { token: user }), 'user', 'canary-rollback-db');
      expectStale(await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:app/db'], ttl: '5m' } }), 'agent');
      expectStale(await v.call('GET', '/v1/secrets/app/db', { token: token.token }), 'token', 'canary-rollback-db');
      // Listings that read the rows refuse them too, rather than show them as live.
      expectStale(await v.call('GET', '/v1/users', { token: admin }), 'user listing');
      // The index is rebuilt from the log at start-up: a restart does not forget.
      await v.stop();
      await v.start();
    }
    expect((await v.call('GET', '/v1/whoami', { token: admin })).status).toBe(200);
  });

  it("a secret's earlier row, or a deleted secret's rows from before the delete, are not served", async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/key', { token: admin, body: { value: 'canary-rollback-v1' } });
    const v1 = await one(v, "SELECT * FROM secrets WHERE path = 'app/key'");
    await v.call('PUT', '/v1/secrets/app/key', { token: admin, body: { value: 'canary-rollback-v2' } });
    await putBack(v, 'secrets', "path = 'app/key'", v1, ['version', 'updated_at', 'mac']);
    expectStale(await v.call('GET', '/v1/secrets/app/key', { token: admin }), 'secret set back a version', 'canary-rollback-v1');
    // A write against the old row would make a second "version 2": refused too.
    expectStale(await v.call('PUT', '/v1/secrets/app/key', { token: admin, body: { value: 'x' } }), 'write on a stale row');

    await v.call('PUT', '/v1/secrets/app/gone', { token: admin, body: { value: 'canary-rollback-gone' } });
    const live = await one(v, "SELECT * FROM secrets WHERE path = 'app/gone'");
    const liveVersion = await one(v, "SELECT * FROM secret_versions WHERE path = 'app/gone' AND version = 1");
    await v.call('DELETE', '/v1/secrets/app/gone', { token: admin });
    await putBack(v, 'secrets', "path = 'app/gone'", live, ['deleted_at', 'updated_at', 'mac']);
    await putBack(v, 'secret_versions', "path = 'app/gone' AND version = 1", liveVersion, ['deleted_at', 'mac']);
    for (let round = 0; round < 2; round++) {
      expectStale(await v.call('GET', '/v1/secrets/app/gone', { token: admin }), 'deleted secret revived', 'canary-rollback-gone');
      await v.stop();
      await v.start();
    }
    expect((await v.call('PUT', '/v1/secrets/app/fresh', { token: admin, body: { value: 'y' } })).status).toBe(200);
  });
});

/**
 * Holds the answer of the vault's next statement outside a transaction whose SQL matches `sql` (as a
 * busy PostgreSQL connection would): the statement has run, on the database as it was, and its rows
 * reach the vault only when the test releases them.
 */
function holdNextRead(vault: TestVault, sql: RegExp) {
  const driver = (vault.store as SqlStore).driver;
  const statement = driver.statement.bind(driver);
  let reached: () => void = () => {};
  let release: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = false;
  driver.statement = async (step) => {
    const answer = await statement(step);
    if (!held && step.kind !== 'script' && sql.test(step.sql)) {
      held = true;
      reached();
      await gate;
    }
    return answer;
  };
  return { arrived, release };
}

describe.each(backends)('reads that race a commit (%s)', (backend) => {
  it('a row read just before a write to it commits is read again, not refused as put back', async () => {
    // The default policy: a token request lists the secrets its scopes reach (as in the crash test).
    v = await startTestVault({ backend, approvals: 'default' });
    const admin = v.adminToken;
    const key = await createAgent(v, 'svc', ['secrets:read:app/*']);
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-race-v1' } });

    // A read of the secret: it has version 1 in hand when version 2 commits and the log index notes it.
    let hold = holdNextRead(v, /FROM secrets/);
    const read = v.call('GET', '/v1/secrets/app/db', { token: admin });
    await hold.arrived;
    expect((await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-race-v2' } })).status).toBe(200);
    hold.release();
    const got = await read;
    expect([got.status, got.body.value]).toEqual([200, 'canary-race-v2']);

    // A token request listing the secrets it would reach, beside a write to one of them.
    hold = holdNextRead(v, /FROM secrets/);
    const issue = v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:app/*'], ttl: '15m' } });
    await hold.arrived;
    expect((await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-race-v3' } })).status).toBe(200);
    hold.release();
    expect((await issue).status).toBe(201);
    expect((await v.call('GET', '/v1/health')).body).toEqual({ status: 'ok', audit: 'intact' });
  });

  it('a row put back is still refused when other commits land while it is read', async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/key', { token: admin, body: { value: 'canary-race-old' } });
    const v1 = await one(v, "SELECT * FROM secrets WHERE path = 'app/key'");
    await v.call('PUT', '/v1/secrets/app/key', { token: admin, body: { value: 'canary-race-new' } });
    await putBack(v, 'secrets', "path = 'app/key'", v1, ['version', 'updated_at', 'mac']);

    const hold = holdNextRead(v, /FROM secrets/);
    const read = v.call('GET', '/v1/secrets/app/key', { token: admin });
    await hold.arrived;
    expect((await v.call('PUT', '/v1/secrets/app/other', { token: admin, body: { value: 'x' } })).status).toBe(200);
    hold.release();
    expectStale(await read, 'secret set back a version, read while the log moved', 'canary-race-old');
  });
});

describe.each(backends)('the audit log rolled back (%s)', (backend) => {
  it('an earlier head put back with the newest records deleted: the running vault refuses to append, and stops serving', async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-head-db' } });
    const head = await one(v, 'SELECT * FROM audit_head');
    for (let i = 0; i < 3; i++) await v.call('GET', '/v1/secrets/app/db', { token: admin });
    await dropAppendOnly(v);
    await v.sql(`DELETE FROM audit WHERE seq > ${lit(head.seq)}`);
    await putBack(v, 'audit_head', 'id = 1', head, ['seq', 'hash', 'mac']);
    // The head is authentic and names the last record: only the mark says it is old.
    const res = await v.call('GET', '/v1/secrets/app/db', { token: admin });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('audit_unavailable');
    expect(res.text).not.toContain('canary-head-db');
    const health = await v.call('GET', '/v1/health');
    expect(health.body).toEqual({ status: 'failing', audit: 'broken' });
    const again = await v.call('GET', '/v1/secrets/app/db', { token: admin });
    expect(again.status).toBe(503);
    expect(again.body.error.message).toMatch(/failed verification/);
  });

  it('a log rolled back while the vault is stopped is refused at start-up, by the high-water mark beside the store', async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'v1' } });
    const head = await one(v, 'SELECT * FROM audit_head');
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'v2' } });
    await v.stop();
    const mark = JSON.parse(await readFile(path.join(v.dataPath, HIGH_WATER_FILE), 'utf8'));
    expect(mark.seq).toBeGreaterThan(Number(head.seq));
    await dropAppendOnly(v);
    await v.sql(`DELETE FROM audit WHERE seq > ${lit(head.seq)}`);
    await putBack(v, 'audit_head', 'id = 1', head, ['seq', 'hash', 'mac']);
    await expect(v.start()).rejects.toThrow(/behind its high-water mark/);
    // The mark is MAC'd: setting it back to match is refused too.
    await writeFile(path.join(v.dataPath, HIGH_WATER_FILE), JSON.stringify({ ...mark, seq: Number(head.seq), hash: head.hash }));
    await expect(v.start()).rejects.toThrow(/high-water mark .* is not authentic/);
  });

  it('with the mark gone too, the newest checkpoint in the sink refuses the rolled-back log', async () => {
    v = await startTestVault({ backend });
    const sink = path.join(v.dataPath, '..', 'checkpoints.jsonl');
    await v.stop();
    await v.start({ checkpointSink: sink, checkpointEverySeconds: 0.05 });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'v1' } });
    const head = await one(v, 'SELECT * FROM audit_head');
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'v2' } });
    expect((await v.call('GET', '/v1/health')).body).toEqual({ status: 'ok', audit: 'intact', checkpoints: 'ok' });
    // Stopping sends a last checkpoint of the newest record.
    await v.stop();
    const lines = (await readFile(sink, 'utf8')).trim().split('\n');
    const last = JSON.parse(lines.at(-1) as string);
    expect(last.seq).toBe(Number((await one(v, 'SELECT seq FROM audit_head')).seq));
    await dropAppendOnly(v);
    await v.sql(`DELETE FROM audit WHERE seq > ${lit(head.seq)}`);
    await putBack(v, 'audit_head', 'id = 1', head, ['seq', 'hash', 'mac']);
    await rm(path.join(v.dataPath, HIGH_WATER_FILE));
    await expect(v.start({ checkpointSink: sink })).rejects.toThrow(/behind its newest checkpoint in the sink/);
    // A checkpoint that this vault did not sign is not believed (and is no way around the check).
    await writeFile(sink, `${JSON.stringify({ ...last, signature: Buffer.alloc(64).toString('base64') })}\n`);
    await expect(v.start({ checkpointSink: sink })).rejects.toThrow(/not signed by this vault's audit key/);
  });

  it('an edited record in the middle of the log is found while the vault runs; until it is restored only the audit routes answer', async () => {
    v = await startTestVault({ backend, auditSweepEverySeconds: 0.05 });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-sweep-db' } });
    for (let i = 0; i < 3; i++) await v.call('GET', '/v1/secrets/app/db', { token: admin });
    await dropAppendOnly(v);
    await v.sql("UPDATE audit SET path = 'app/innocent' WHERE seq = 3");
    await eventually(async () => (await v?.call('GET', '/v1/health'))?.body.audit === 'broken', 'the sweep finds the edit');
    const res = await v.call('GET', '/v1/secrets/app/db', { token: admin });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('audit_unavailable');
    expect(res.text).not.toContain('canary-sweep-db');
    expect((await v.call('PUT', '/v1/secrets/app/other', { token: admin, body: { value: 'x' } })).status).toBe(503);
    expect((await v.call('GET', '/v1/audit/checkpoint', { token: admin })).status).toBe(503);
    // What the operator needs to find out why still answers.
    const verify = await v.call('GET', '/v1/audit/verify', { token: admin });
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(false);
    expect(verify.body.problems[0].seq).toBe(3);
    expect((await v.call('GET', '/v1/audit?limit=5', { token: admin })).status).toBe(200);
    const exported = await v.call('GET', '/v1/audit/export', { token: admin });
    expect(exported.status).toBe(200);
    expect(exported.body.checkpoint).toBeNull();
    // A restart verifies the whole log before it serves: still broken.
    await v.stop();
    await v.start();
    expect((await v.call('GET', '/v1/health')).body.audit).toBe('broken');
    expect((await v.call('GET', '/v1/secrets/app/db', { token: admin })).status).toBe(503);
  });

  it('an operator running ass audit verify on a broken log stops the vault at once, without waiting for the sweep', async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-verify-db' } });
    await dropAppendOnly(v);
    await v.sql("UPDATE audit SET reason = 'nothing happened' WHERE seq = 2");
    expect((await v.call('GET', '/v1/secrets/app/db', { token: admin })).status).toBe(200);
    expect((await v.call('GET', '/v1/audit/verify', { token: admin })).body.ok).toBe(false);
    const res = await v.call('GET', '/v1/secrets/app/db', { token: admin });
    expect(res.status).toBe(503);
    expect(res.text).not.toContain('canary-verify-db');
  });

  it('a record added after the head outside the vault stops it at the next append', async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    await v.call('PUT', '/v1/secrets/app/db', { token: admin, body: { value: 'canary-forged-tail' } });
    const last = await one(v, 'SELECT * FROM audit ORDER BY seq DESC LIMIT 1');
    const forged = { ...last, seq: Number(last.seq) + 1, prev_hash: last.hash, request_id: 'forged', reason: 'forged' };
    const cols = Object.keys(forged);
    await v.sql(
      `INSERT INTO audit (${cols.join(', ')}) VALUES (${cols.map((c) => lit((forged as Record<string, unknown>)[c])).join(', ')})`,
    );
    const res = await v.call('GET', '/v1/secrets/app/db', { token: admin });
    expect(res.status).toBe(503);
    expect(res.text).not.toContain('canary-forged-tail');
    expect((await v.call('GET', '/v1/health')).body.audit).toBe('broken');
  });

  it('an honest vault restarts, and keeps working, without a false alarm', async () => {
    v = await startTestVault({ backend, auditSweepEverySeconds: 0.05, auditFollowEveryMs: 20 });
    const admin = v.adminToken;
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => v?.call('PUT', `/v1/secrets/app/k${i}`, { token: admin, body: { value: `v${round}` } })),
      );
      await v.call('DELETE', '/v1/secrets/app/k0', { token: admin });
      await new Promise((r) => setTimeout(r, 120));
      expect((await v.call('GET', '/v1/health')).body).toEqual({ status: 'ok', audit: 'intact' });
      await v.stop();
      await v.start();
    }
    expect((await v.call('GET', '/v1/secrets/app/k1', { token: admin })).body.value).toBe('v2');
    expect((await v.call('GET', '/v1/audit/verify', { token: admin })).body.ok).toBe(true);
  });
});

describe.runIf(pgUp)('two replicas on one PostgreSQL store', () => {
  it('each follows what the other writes: no false alarm, and a row put back after a revocation on one is refused by the other', async () => {
    v = await startTestVault({ backend: 'postgres', auditFollowEveryMs: 20 });
    const b = await v.replica({ auditFollowEveryMs: 20, auditSweepEverySeconds: 0.1 });
    const callB = async (method: string, p: string, token: string, body?: unknown) => {
      const res = await fetch(`${b.url}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any, text: '' };
    };
    const admin = v.adminToken;
    // Both write at once: every append is checked against each one's own mark, and neither is behind.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2
          ? v?.call('PUT', `/v1/secrets/app/k${i % 5}`, { token: admin, body: { value: `a${i}` } })
          : callB('PUT', `/v1/secrets/app/k${i % 5}`, admin, { value: `b${i}` }),
      ),
    );
    const user = (await v.call('POST', '/v1/users', { token: admin, body: { name: 'eve', role: 'editor' } })).body.token as string;
    const row = await one(v, "SELECT * FROM users WHERE name = 'eve'");
    expect((await callB('GET', '/v1/whoami', user)).status).toBe(200);
    expect((await v.call('DELETE', '/v1/users/eve', { token: admin })).status).toBe(200);
    await putBack(v, 'users', "name = 'eve'", row, ['revoked_at', 'mac']);
    // B learns of the revocation from the log within its follow interval.
    await eventually(async () => (await callB('GET', '/v1/whoami', user)).status === 500, 'replica B refuses the restored row');
    expectStale(await callB('GET', '/v1/secrets/app/k1', user), 'on replica B');
    expect((await callB('GET', '/v1/health', admin)).body).toEqual({ status: 'ok', audit: 'intact' });
    expect((await v.call('GET', '/v1/audit/verify', { token: admin })).body.ok).toBe(true);
  });
});
