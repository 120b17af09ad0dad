/**
 * Input built to break the audit log or the server rather than to get a secret: text a database
 * will not store as written, a flood of malformed requests, and queries shaped to grow the server's
 * memory. On both stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/api/schemas.js';
import { generateCredential } from '../../src/core/credentials.js';
import { postgresAvailable } from '../helpers/stores.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

const pgUp = await postgresAvailable();
if (!pgUp && process.env.CI) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it (.ci/run starts it).');
const backends = pgUp ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

/** A body whose zod error names a record key the attacker chose (here, raw NUL or a lone surrogate). */
const bodyWithKey = (key: string) => `{"name":"a","scopes":["secrets:read:x"],"trustPolicy":{"claims":{"${key}":[]}}}`;
const json = { 'content-type': 'application/json' };

let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

const count = async () => Number((await (v as TestVault).sql('SELECT count(*) AS n FROM audit'))[0]?.n);

describe.each(backends)('text a database will not keep as written (%s)', (backend) => {
  it('is recorded, stored as hashed, and leaves the chain verifiable', async () => {
    v = await startTestVault({ backend, lockout: { addressFailures: 1000 } });
    const before = await count();
    for (const key of ['\\u0000', '\\ud800', '\\udfff', 'a\\u0007b']) {
      const res = await v.call('POST', '/v1/agents', { rawBody: bodyWithKey(key), headers: json });
      expect(res.status, key).toBe(400);
    }
    // A surrogate pair that a 500-character cut would split: an emoji straddling the limit.
    const keys = Array.from({ length: 22 }, (_, i) => `k${i}`.padEnd(20, 'x'));
    keys.push(`${'y'.repeat(17)}😀`);
    const query = keys.map((k) => `${encodeURIComponent(k)}=1`).join('&');
    expect((await v.call('GET', `/v1/metadata?${query}`)).status).toBe(400);
    expect(await count()).toBe(before + 5);
    const verify = await v.call('GET', '/v1/audit/verify', { token: v.adminToken });
    expect(verify.body.problems).toEqual([]);
    expect(verify.body.ok).toBe(true);
  });

  it('one poisoned request never takes other requests in its group commit down with it', async () => {
    v = await startTestVault({ backend, lockout: { addressFailures: 1000 } });
    await v.call('PUT', '/v1/secrets/prod/db', { token: v.adminToken, body: { value: 'canary-hostile-1' } });
    const legit: Promise<{ status: number }>[] = [];
    const attack: Promise<{ status: number }>[] = [];
    for (let i = 0; i < 20; i++) {
      attack.push(v.call('POST', '/v1/agents', { rawBody: bodyWithKey('\\u0000'), headers: json }));
      legit.push(v.call('GET', '/v1/secrets/prod/db', { token: v.adminToken }));
    }
    expect((await Promise.all(attack)).map((r) => r.status)).toEqual(Array(20).fill(400));
    expect((await Promise.all(legit)).map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await v.call('GET', '/v1/audit/verify', { token: v.adminToken })).body.ok).toBe(true);
  });

  it('keeps the prepared-statement cache bounded whatever an auditor asks for', async () => {
    v = await startTestVault({ backend });
    const auditor = (await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: 'aud', role: 'auditor' } })).body.token;
    const driver = (v.store as unknown as { driver: { stmts?: Map<string, unknown>; texts?: Map<string, unknown> } }).driver;
    const size = () => (driver.stmts ?? driver.texts)?.size ?? 0;
    const before = size();
    const events = ['secret.read', 'secret.write', 'token.issue', 'agent.create'];
    for (let i = 1; i <= 400; i++) {
      const types = Array.from({ length: (i % 7) + 1 }, (_, j) => events[(i + j) % events.length]).join(',');
      const res = await v.call('GET', `/v1/audit?limit=${i}&status=granted&eventType=${types}`, { token: auditor });
      expect(res.status).toBe(200);
    }
    expect(size() - before).toBeLessThan(20);
  }, 60_000);
});

describe('a flood of refused requests', () => {
  it('an admin’s typos are recorded as the admin’s, and lock nothing out', async () => {
    v = await startTestVault({ lockout: { addressFailures: 5, credentialFailures: 5 } });
    // A valid credential's malformed requests are recorded as that user's, and never count.
    for (let i = 0; i < 10; i++) {
      const typo = await v.call('GET', '/v1/metadata?prefx=a', { token: v.adminToken });
      expect(typo.status).toBe(400);
    }
    const typos = (await v.call('GET', '/v1/audit?eventType=secret.list&limit=10', { token: v.adminToken })).body.events;
    expect(typos.every((e: { actorName: string }) => e.actorName === 'admin')).toBe(true);
    expect((await v.call('GET', '/v1/lockouts?all=true', { token: v.adminToken })).body.lockouts).toEqual([]);
  });

  it('with one unknown credential id: the address lockout is recorded once, not per request', async () => {
    v = await startTestVault({ lockout: { addressFailures: 3, credentialFailures: 3 } });
    const forged = generateCredential('token').secret;
    const before = await count();
    for (let i = 0; i < 100; i++) await v.call('GET', '/v1/whoami', { token: forged });
    expect((await count()) - before).toBe(3 + 1);
  });
});

describe.each(backends)('a batch read shaped to make the store work (%s)', (backend) => {
  it('lists each prefix once, nested prefixes not at all, and never more rows than the limit needs', async () => {
    v = await startTestVault({ backend });
    const admin = v.adminToken;
    // More secrets below the prefix than one batch may return.
    await Promise.all(
      Array.from({ length: LIMITS.batch + 10 }, (_, i) =>
        v?.call('PUT', `/v1/secrets/big/s${String(i).padStart(3, '0')}`, { token: admin, body: { value: `v${i}` } }),
      ),
    );
    const calls: Array<{ prefix: string; rows: number }> = [];
    const list = v.store.listSecrets.bind(v.store);
    v.store.listSecrets = async (prefix, deleted, limit) => {
      const rows = await list(prefix, deleted, limit);
      calls.push({ prefix, rows: rows.length });
      return rows;
    };
    // 500 copies of one prefix: one listing (and a refusal, since it holds more than the limit).
    const copies = await v.call('POST', '/v1/batch/read', { token: admin, body: { prefixes: Array(500).fill('big') } });
    expect(copies.status).toBe(400);
    expect(copies.body.error.message).toMatch(new RegExp(`more than ${LIMITS.batch} secrets`));
    expect(calls).toEqual([{ prefix: 'big', rows: LIMITS.batch + 2 }]);
    calls.length = 0;
    // Nested prefixes are covered by the outer one.
    const nested = ['big', ...Array.from({ length: LIMITS.batch - 1 }, (_, i) => `big/s${String(i).padStart(3, '0')}`)];
    expect((await v.call('POST', '/v1/batch/read', { token: admin, body: { prefixes: nested } })).status).toBe(400);
    expect(calls.map((c) => c.prefix)).toEqual(['big']);
    calls.length = 0;
    // Within the limit, the answer is whole.
    await v.call('PUT', '/v1/secrets/small/a', { token: admin, body: { value: 'a' } });
    const ok = await v.call('POST', '/v1/batch/read', { token: admin, body: { prefixes: ['small', 'small/a', 'small'] } });
    expect(ok.status).toBe(200);
    expect(ok.body.secrets.map((s: { path: string }) => s.path)).toEqual(['small/a']);
    expect(calls.every((c) => c.rows <= LIMITS.batch + 2)).toBe(true);
  });
});
