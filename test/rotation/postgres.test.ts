/**
 * The postgres rotator against the machine's PostgreSQL. The test server trusts local logins, so
 * whether a password "works" is decided the way the server would under scram-sha-256: by checking
 * it against the verifier stored in pg_authid (and, where the server does check passwords, by
 * logging in as well).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { postgresRotator } from '../../src/rotation/postgres.js';
import { RotationStepError } from '../../src/rotation/types.js';
import { errorText, testContext } from '../helpers/rotation.js';
import { PG_URL, pgQuery, postgresAvailable } from '../helpers/stores.js';

const pgUp = await postgresAvailable();
const base = new URL(PG_URL);
const suffix = randomBytes(4).toString('hex');
const ROLE_A = `ass_rot_${suffix}_a`;
const ROLE_B = `ass_rot_${suffix}_b`;
const ADMIN = `ass_rot_${suffix}_admin`;
const PLAIN = `ass_rot_${suffix}_plain`;
const CANARY = `canary${randomBytes(12).toString('hex')}`;
const ADMIN_PATH = 'test/db/admin';

/** A connection string to the test server as `role` with `password`. */
function urlFor(role: string, password: string, database = base.pathname.slice(1)): string {
  const url = new URL(base.href);
  url.username = role;
  url.password = password;
  url.pathname = `/${database}`;
  return url.href;
}

const rotator = postgresRotator({ connectTimeoutMs: 3000 });
const settings = rotator.parseSettings({ adminSecret: ADMIN_PATH, roles: [ROLE_A, ROLE_B] });

function ctxWith(current: string | undefined, admin = urlFor(ADMIN, CANARY), extra: Record<string, unknown> = {}) {
  return testContext({
    path: 'test/db/app',
    current: current === undefined ? undefined : { value: current, version: 1 },
    settings: { ...settings, ...extra },
    secrets: { [ADMIN_PATH]: admin },
  });
}

/** Whether the server would accept `password` for `role`: checked against its stored SCRAM verifier. */
async function passwordAccepted(role: string, password: string): Promise<boolean> {
  const { rows } = await pgQuery('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role]);
  const stored = rows[0]?.rolpassword as string | null;
  const m = stored?.match(/^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/);
  if (!m) return false;
  const salted = pbkdf2Sync(password, Buffer.from(m[2]!, 'base64'), Number(m[1]), 32, 'sha256');
  const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest('base64');
  const serverKey = createHmac('sha256', salted).update('Server Key').digest('base64');
  const byVerifier = storedKey === m[3] && serverKey === m[4];
  if (serverChecksPasswords) {
    const client = new pg.Client({ connectionString: urlFor(role, password) });
    const byLogin = await client.connect().then(
      () => true,
      () => false,
    );
    await client.end().catch(() => {});
    expect(byLogin).toBe(byVerifier);
  }
  return byVerifier;
}

let serverChecksPasswords = false;

const passwordOf = (value: string) => decodeURIComponent(new URL(value).password);
const userOf = (value: string) => new URL(value).username;

describe.skipIf(!pgUp)('postgres rotator (alternating roles)', () => {
  beforeAll(async () => {
    await pgQuery(`CREATE ROLE ${ADMIN} LOGIN CREATEROLE PASSWORD '${CANARY}'`);
    await pgQuery(`CREATE ROLE ${ROLE_A} LOGIN PASSWORD 'initial-a'`);
    await pgQuery(`CREATE ROLE ${ROLE_B} LOGIN PASSWORD 'initial-b'`);
    await pgQuery(`CREATE ROLE ${PLAIN} LOGIN PASSWORD '${CANARY}'`);
    const probe = new pg.Client({ connectionString: urlFor(ROLE_A, 'certainly-wrong') });
    serverChecksPasswords = await probe.connect().then(
      () => false,
      () => true,
    );
    await probe.end().catch(() => {});
  });

  afterAll(async () => {
    for (const role of [ROLE_A, ROLE_B, ADMIN, PLAIN]) await pgQuery(`DROP ROLE IF EXISTS ${role}`);
  });

  it('rotates A → B → A: each new value works, the other role keeps its password until revoke', async () => {
    // First rotation: no current value, so the first role.
    const c1 = ctxWith(undefined);
    const v1 = await rotator.create(c1);
    expect(userOf(v1)).toBe(ROLE_A);
    expect(passwordOf(v1).length).toBeGreaterThanOrEqual(32);
    expect(passwordOf(v1)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(new URL(v1).host).toBe(base.host);
    expect(c1.masked).toEqual(expect.arrayContaining([passwordOf(v1), v1]));
    await rotator.test!(c1, v1);
    expect(await passwordAccepted(ROLE_A, passwordOf(v1))).toBe(true);
    expect(await passwordAccepted(ROLE_A, 'initial-a')).toBe(false);

    // Second: the other role; the first value still works (clients in the grace period).
    const c2 = ctxWith(v1);
    const v2 = await rotator.create(c2);
    expect(userOf(v2)).toBe(ROLE_B);
    await rotator.test!(c2, v2);
    expect(await passwordAccepted(ROLE_B, passwordOf(v2))).toBe(true);
    expect(await passwordAccepted(ROLE_A, passwordOf(v1))).toBe(true);

    // Grace period over: revoking v1 resets ROLE_A to a password nobody knows; v2 is untouched.
    const r = ctxWith(v2);
    await rotator.revoke!(r, v1);
    expect(await passwordAccepted(ROLE_A, passwordOf(v1))).toBe(false);
    expect(await passwordAccepted(ROLE_B, passwordOf(v2))).toBe(true);

    // Third: back to the first role.
    const c3 = ctxWith(v2);
    const v3 = await rotator.create(c3);
    expect(userOf(v3)).toBe(ROLE_A);
    await rotator.test!(c3, v3);
    expect(await passwordAccepted(ROLE_A, passwordOf(v3))).toBe(true);
    expect(await passwordAccepted(ROLE_B, passwordOf(v2))).toBe(true);

    for (const ctx of [c1, c2, r, c3]) {
      const log = ctx.logger.lines.join('\n');
      expect(log).not.toBe('');
      for (const secret of [CANARY, passwordOf(v1), passwordOf(v2), passwordOf(v3)]) expect(log).not.toContain(secret);
    }
  });

  it('a rerun after a crash sets the unused role again, and only the latest password works', async () => {
    const current = urlFor(ROLE_B, 'whatever');
    const first = await rotator.create(ctxWith(current));
    const again = await rotator.create(ctxWith(current));
    expect([userOf(first), userOf(again)]).toEqual([ROLE_A, ROLE_A]);
    expect(await passwordAccepted(ROLE_A, passwordOf(again))).toBe(true);
    expect(await passwordAccepted(ROLE_A, passwordOf(first))).toBe(false);
  });

  it('applies the database, host and port overrides to the new value', async () => {
    const v = await rotator.create(ctxWith(undefined, urlFor(ADMIN, CANARY), { database: 'postgres', host: '127.0.0.1', port: 5432 }));
    const url = new URL(v);
    expect([url.hostname, url.port, url.pathname]).toEqual(['127.0.0.1', '5432', '/postgres']);
  });

  it('names CREATEROLE when the admin secret is not an admin, without its password', async () => {
    const ctx = ctxWith(undefined, urlFor(PLAIN, CANARY));
    const promise = rotator.create(ctx);
    await expect(promise).rejects.toBeInstanceOf(RotationStepError);
    const text = await errorText(rotator.create(ctx));
    expect(text).toMatch(/Permission denied/);
    expect(text).toMatch(/CREATEROLE/);
    expect(text).toContain('create');
    expect(text).not.toContain(CANARY);
    expect(ctx.logger.lines.join('\n')).not.toContain(CANARY);
  });

  it('names a missing role and how to create it', async () => {
    const missing = `ass_rot_${suffix}_missing`;
    const ctx = ctxWith(undefined, urlFor(ADMIN, CANARY), { roles: [missing, ROLE_B] });
    const text = await errorText(rotator.create(ctx));
    expect(text).toMatch(new RegExp(`role "${missing}" does not exist`));
    expect(text).toMatch(/CREATE ROLE/);
    expect(text).not.toContain(CANARY);
  });

  it('says when the admin secret cannot be read or is not a connection string', async () => {
    const unreadable = testContext({ settings, secrets: {} });
    expect(await errorText(rotator.create(unreadable))).toMatch(/Could not read the admin secret test\/db\/admin/);
    const garbage = ctxWith(undefined, `not a url ${CANARY}`);
    const text = await errorText(rotator.create(garbage));
    expect(text).toMatch(/not a postgres:\/\/ connection string/);
    expect(text).not.toContain(CANARY);
  });

  it('refuses a current value that uses neither role', async () => {
    const text = await errorText(rotator.create(ctxWith(urlFor(PLAIN, CANARY))));
    expect(text).toMatch(/neither of the rotation's roles/);
    expect(text).not.toContain(CANARY);
  });

  it('refuses an admin secret that uses one of the rotated roles', async () => {
    const text = await errorText(rotator.create(ctxWith(undefined, urlFor(ROLE_A, CANARY))));
    expect(text).toMatch(/lock the rotation out/);
  });

  it('fails the test step with a redacted connection string', async () => {
    const ctx = ctxWith(undefined);
    const badDb = await errorText(rotator.test!(ctx, urlFor(ROLE_A, CANARY, `nodb_${suffix}`)));
    expect(badDb).toContain(`postgres://${ROLE_A}:****@${base.host}/nodb_${suffix}`);
    expect(badDb).toMatch(/does not exist/);
    expect(badDb).not.toContain(CANARY);
    const unreachable = new URL(urlFor(ROLE_A, CANARY));
    unreachable.port = '1';
    const down = await errorText(rotator.test!(ctx, unreachable.href));
    expect(down).toMatch(/Could not reach PostgreSQL/);
    expect(down).not.toContain(CANARY);
  });

  it('does not revoke the role the current value uses', async () => {
    const current = urlFor(ROLE_B, 'x');
    const text = await errorText(rotator.revoke!(ctxWith(current), urlFor(ROLE_B, CANARY)));
    expect(text).toMatch(/would cut off the current value/);
    expect(text).not.toContain(CANARY);
  });
});

describe('postgres rotator settings', () => {
  it.each([
    [{ roles: ['a', 'b'] }, /"adminSecret"/],
    [{ adminSecret: '/abs/path', roles: ['a', 'b'] }, /"adminSecret".*vault path/],
    [{ adminSecret: 'db/admin', roles: ['a'] }, /"roles".*exactly two/],
    [{ adminSecret: 'db/admin', roles: ['a', 'a'] }, /"roles".*must differ/],
    [{ adminSecret: 'db/admin', roles: ['App-A', 'b'] }, /"roles.0".*plain lowercase identifiers/],
    [{ adminSecret: 'db/admin', roles: ['a', 'b"; DROP ROLE x; --'] }, /"roles.1".*plain lowercase identifiers/],
    [{ adminSecret: 'db/admin', roles: ['a', 'b'], host: 'db/evil' }, /"host"/],
    [{ adminSecret: 'db/admin', roles: ['a', 'b'], port: 70000 }, /"port"/],
    [{ adminSecret: 'db/admin', roles: ['a', 'b'], password: 'x' }, /takes adminSecret, roles/],
  ])('refuses %j and names the fix', (raw, message) => {
    let caught: unknown;
    try {
      rotator.parseSettings(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).toMatch(message);
  });

  it('accepts a complete policy', () => {
    expect(
      rotator.parseSettings({ adminSecret: 'db/admin', roles: ['app_a', 'app_b'], database: 'app', host: 'db.internal', port: 6432 }),
    ).toEqual({
      adminSecret: 'db/admin',
      roles: ['app_a', 'app_b'],
      database: 'app',
      host: 'db.internal',
      port: 6432,
    });
  });
});

describe.skipIf(!pgUp)('postgres rotator against a host someone wrote into the secret', () => {
  const tag = randomBytes(4).toString('hex');
  const [A, B, ADM] = [`ass_rot_${tag}_xa`, `ass_rot_${tag}_xb`, `ass_rot_${tag}_xadm`];
  beforeAll(async () => {
    await pgQuery(`CREATE ROLE ${ADM} LOGIN CREATEROLE PASSWORD 'admin-pw'`);
    await pgQuery(`CREATE ROLE ${A} LOGIN PASSWORD 'a'`);
    await pgQuery(`CREATE ROLE ${B} LOGIN PASSWORD 'b'`);
  });
  afterAll(async () => {
    for (const r of [A, B, ADM]) await pgQuery(`DROP ROLE IF EXISTS ${r}`);
  });

  it('sends the new login to the admin connection’s host, never the current value’s, and proves it only by SCRAM', async () => {
    const { createServer } = await import('node:net');
    const captured: string[] = [];
    let contacted = 0;
    // A fake server that asks for the password in clear, as a thief's would.
    const thief = createServer((sock) => {
      contacted++;
      let buf = Buffer.alloc(0);
      let asked = false;
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (!asked && buf.length >= 4 && buf.length >= buf.readInt32BE(0)) {
          buf = buf.subarray(buf.readInt32BE(0));
          asked = true;
          const r = Buffer.alloc(9);
          r.write('R', 0);
          r.writeInt32BE(8, 1);
          r.writeInt32BE(3, 5);
          sock.write(r);
        }
        if (asked && buf.length >= 5 && buf[0] === 0x70) {
          captured.push(buf.subarray(5).toString());
          sock.destroy();
        }
      });
      sock.on('error', () => {});
    });
    await new Promise<void>((r) => thief.listen(0, '127.0.0.1', r));
    const port = (thief.address() as { port: number }).port;
    try {
      const admin = new URL(PG_URL);
      admin.username = ADM;
      admin.password = 'admin-pw';
      const rot = postgresRotator({ connectTimeoutMs: 3000 });
      const ctx = testContext({
        path: 'prod/db/app',
        current: { value: `postgres://${A}:whatever@127.0.0.1:${port}/app`, version: 1 },
        settings: rot.parseSettings({ adminSecret: 'prod/db/admin', roles: [A, B] }),
        secrets: { 'prod/db/admin': admin.href },
      });
      const value = await rot.create(ctx);
      expect(new URL(value).port).toBe(new URL(PG_URL).port || '5432');
      await rot.test?.(ctx, value);
      // The thief's server was never asked; and a server that asks in clear gets nothing.
      expect(contacted).toBe(0);
      const lured = new URL(value);
      lured.port = String(port);
      const err = await rot.test?.(ctx, lured.href).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(String((err as Error)?.message)).toMatch(/cleartext|SCRAM|connect/i);
      expect(captured).toEqual([]);
    } finally {
      thief.close();
    }
  });
});
