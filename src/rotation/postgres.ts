/**
 * The `postgres` rotator, with AWS's "alternating users" strategy: the secret is a connection
 * string for one of two login roles with the same privileges. Each rotation sets a new password on
 * the role the current value does NOT use, so the current value keeps working through the grace
 * period while clients pick up the new one; nothing ever changes the password of a role in use.
 *
 * Passwords are set through an admin connection string kept in another secret (`adminSecret`),
 * whose role needs CREATEROLE (PostgreSQL 16 and later: CREATEROLE plus ADMIN OPTION on both
 * roles) or superuser. The password reaches the server as a SCRAM-SHA-256 verifier computed here,
 * as psql's `\password` does, so even a server that logs DDL (`log_statement = 'ddl'`) never
 * writes the password itself to its log.
 */
import { createHash, createHmac, randomBytes as nodeRandomBytes, pbkdf2Sync } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import { parseSecretPath } from '../core/paths.js';
import { oneLine, quoteName } from '../core/text.js';
import type { RandomBytes } from './random.js';
import { parseSettingsWith } from './settings.js';
import { type RotateContext, RotationStepError, type Rotator } from './types.js';

type Step = RotationStepError['step'];

/** A plain, unquoted PostgreSQL identifier (what `CREATE ROLE app_a` makes). */
const IDENTIFIER = /^[a-z_][a-z0-9_$]{0,62}$/;
const roleField = z.string().regex(IDENTIFIER, {
  error: 'give two existing login roles as plain lowercase identifiers (letters, digits, _), such as ["app_a", "app_b"].',
});

const PORT_FIX = 'give a TCP port from 1 to 65535, such as 5432.';

const schema = z.strictObject(
  {
    adminSecret: z
      .string({ error: 'give the vault path of the secret that holds the admin connection string, such as production/db/admin.' })
      .refine(isSecretPath, {
        error: 'give the vault path of the secret that holds the admin connection string, such as production/db/admin.',
      }),
    roles: z
      .tuple([roleField, roleField], {
        error: 'give exactly two existing login roles with the same privileges, such as ["app_a", "app_b"].',
      })
      .refine(([a, b]) => a !== b, { error: 'the two roles must differ: alternating needs two roles, such as ["app_a", "app_b"].' }),
    database: z
      .string()
      .regex(/^[^\s/?#%]{1,63}$/, { error: 'give a database name without spaces, "/", "?", "#" or "%", such as app.' })
      .optional(),
    host: z
      .string()
      .regex(/^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]+\])$/, { error: 'give a host name or address, such as db.internal or [::1].' })
      .optional(),
    port: z.number({ error: PORT_FIX }).int({ error: PORT_FIX }).min(1, { error: PORT_FIX }).max(65535, { error: PORT_FIX }).optional(),
  },
  { error: 'unknown setting; the postgres rotator takes adminSecret, roles, database, host and port.' },
);

export type PostgresSettings = z.output<typeof schema>;

function isSecretPath(text: string): boolean {
  try {
    parseSecretPath(text);
    return true;
  } catch {
    return false;
  }
}

export interface PostgresRotatorDeps {
  randomBytes?: RandomBytes;
  /** How long to wait for a connection (default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802, RFC 7677): the server
 * recognises this form in `ALTER ROLE ... PASSWORD` and keeps it as given. The passwords made here
 * are ASCII, for which SASLprep changes nothing.
 */
export function scramVerifier(password: string, salt: Buffer, iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** A connection string as messages may show it: `postgres://user:****@host:port/db`, nothing after. */
export function redactConnectionString(url: URL): string {
  const user = url.username ? `${decodeURIComponent(url.username)}:****@` : '';
  return oneLine(`${url.protocol}//${user}${url.host}${url.pathname}`);
}

/** Replaces every known secret (and any `user:password@` in a URL) in text from PostgreSQL or a driver. */
function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) out = out.split(s).join('****');
  return oneLine(out.replace(/(\/\/[^:/@\s]*):[^@\s]*@/g, '$1:****@'));
}

/** Parses a connection string; the error says which one failed, never its text. */
function parseUrl(text: string, step: Step, what: string, fix: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {}
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    throw new RotationStepError(step, `${what} is not a postgres:// connection string.`, fix);
  }
  return url;
}

const userOf = (url: URL): string => decodeURIComponent(url.username);

/** What a rotation needs from one connection string besides the URL: its secrets, for scrubbing. */
function secretsOf(text: string, url: URL): string[] {
  return [text, url.password, decodeURIComponent(url.password)];
}

/** Turns a failure of the driver or the server into a step error with the fix; never a value. */
function explain(err: unknown, where: { step: Step; target: URL; role?: string; authFix: string; secrets: string[] }): RotationStepError {
  if (err instanceof RotationStepError) return err;
  const shown = redactConnectionString(where.target);
  const code = (err as { code?: unknown }).code;
  const role = where.role ? quoteName(where.role) : 'the role';
  switch (code) {
    case '28P01':
    case '28000':
      return new RotationStepError(where.step, `PostgreSQL refused the login for ${shown}.`, where.authFix);
    case '3D000':
      return new RotationStepError(
        where.step,
        `The database in ${shown} does not exist.`,
        'Set the rotation setting "database" to an existing database, or fix the database in the connection string.',
      );
    case '42501':
      return new RotationStepError(
        where.step,
        `Permission denied: ${quoteName(userOf(where.target))} may not change the password of ${role}.`,
        'Use an admin connection string whose role has CREATEROLE (on PostgreSQL 16 and later also ADMIN OPTION on both roles, which the role that created them has) or is a superuser.',
      );
    case '42704':
      return missingRole(where.step, where.role ?? '?');
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return new RotationStepError(
        where.step,
        `Could not reach PostgreSQL at ${shown} (${code}).`,
        'Check the host and port (the settings "host" and "port" override them) and that this machine can reach the server.',
      );
  }
  const detail = scrub(errorMessage(err), where.secrets);
  return new RotationStepError(
    where.step,
    `PostgreSQL failed at ${shown}${typeof code === 'string' ? ` (${code})` : ''}: ${detail}`,
    'Fix the cause above and rotate again; rerunning is safe.',
  );
}

function missingRole(step: Step, role: string): RotationStepError {
  return new RotationStepError(
    step,
    `The role ${quoteName(role)} does not exist.`,
    `Create it with the same privileges as the other role (CREATE ROLE ${role} LOGIN; then the same GRANTs), or fix "roles" in the rotation policy.`,
  );
}

/** Runs `work` on a fresh connection and always closes it. */
async function withClient<T>(
  connectionString: string,
  timeoutMs: number,
  work: (client: pg.Client) => Promise<T>,
  opts: { scramOnly?: boolean } = {},
): Promise<T> {
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: 30_000,
    application_name: 'ass-rotation',
  });
  // A dropped connection is also reported by the pending query; without a listener the process would crash.
  client.on('error', () => {});
  if (opts.scramOnly) {
    // The new password proves itself with SCRAM only, which never shows it to the server: a server
    // that asks for it in clear or as MD5 (a host someone put into a connection string to catch it)
    // gets nothing. pg binds these handlers when it connects, so overriding them here takes effect.
    const refuse = (method: string) => () => {
      (client as unknown as { connection: { stream: { destroy(err: Error): void } } }).connection.stream.destroy(
        new Error(`the server asked for the password by ${method}; only SCRAM-SHA-256 is allowed for a new password`),
      );
    };
    Object.assign(client, { _handleAuthCleartextPassword: refuse('cleartext'), _handleAuthMD5Password: refuse('MD5') });
  }
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Checks the role exists and may log in, so the failure names the fix rather than a later login error. */
async function checkRole(client: pg.Client, role: string, step: Step): Promise<void> {
  const found = await client.query<{ rolcanlogin: boolean }>('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [role]);
  if (found.rows.length === 0) throw missingRole(step, role);
  if (!found.rows[0]!.rolcanlogin) {
    throw new RotationStepError(step, `The role ${quoteName(role)} cannot log in.`, `Allow it: ALTER ROLE ${role} LOGIN;`);
  }
}

/**
 * ALTER ROLE takes no bind parameters, so the statement is built with pg's escaping; what it
 * carries is the SCRAM verifier, not the password, and nothing here logs it.
 */
async function setPassword(client: pg.Client, role: string, password: string, randomBytes: RandomBytes): Promise<void> {
  const verifier = scramVerifier(password, randomBytes(16));
  await client.query(`ALTER ROLE ${pg.escapeIdentifier(role)} PASSWORD ${pg.escapeLiteral(verifier)}`);
}

/** 43 URL-safe characters (256 bits): no quoting needed in a connection string. */
const newPassword = (randomBytes: RandomBytes) => randomBytes(32).toString('base64url');

/** The role the next value uses: the one the current value does not (ROLE_A when there is none). */
function nextRole(roles: readonly [string, string], current: URL | undefined, path: string): string {
  if (!current) return roles[0];
  const user = userOf(current);
  if (user === roles[0]) return roles[1];
  if (user === roles[1]) return roles[0];
  throw new RotationStepError(
    'create',
    `The current value of ${path} connects as ${quoteName(user)}, which is neither of the rotation's roles ${quoteName(roles[0])} and ${quoteName(roles[1])}.`,
    'Put the role the current value uses into "roles" (with a second role), or store a connection string for the first role as the current value.',
  );
}

/** The new value: the base's scheme, host, port, database and options, with overrides and the new credentials. */
function connectionStringFor(base: URL, role: string, password: string, s: PostgresSettings): string {
  const url = new URL(base.href);
  url.username = encodeURIComponent(role);
  url.password = password;
  if (s.host) url.hostname = s.host;
  if (s.port) url.port = String(s.port);
  if (s.database) url.pathname = `/${encodeURIComponent(s.database)}`;
  return url.href;
}

interface Admin {
  text: string;
  url: URL;
}

async function readAdmin(ctx: RotateContext, s: PostgresSettings, step: Step): Promise<Admin> {
  let text: string;
  try {
    text = await ctx.readSecret(s.adminSecret);
  } catch (err) {
    throw new RotationStepError(
      step,
      `Could not read the admin secret ${s.adminSecret}: ${scrub(errorMessage(err), [])}`,
      'Store the admin connection string at that path and give the rotation read access to it (scope secrets:read on the path).',
    );
  }
  const url = parseUrl(
    text,
    step,
    `The admin secret ${s.adminSecret}`,
    'Store a connection string such as postgres://admin:…@host:5432/app there.',
  );
  return { text, url };
}

/** Sets a new password nobody else knows on `role` through the admin connection. */
async function resetPassword(
  admin: Admin,
  role: string,
  password: string,
  step: Step,
  deps: Required<PostgresRotatorDeps>,
  extraSecrets: string[],
): Promise<void> {
  if (userOf(admin.url) === role) {
    throw new RotationStepError(
      step,
      `The admin secret connects as ${quoteName(role)}, one of the rotated roles; changing its password would lock the rotation out.`,
      'Use a separate admin role for the admin secret.',
    );
  }
  const secrets = [password, ...secretsOf(admin.text, admin.url), ...extraSecrets];
  try {
    await withClient(admin.text, deps.connectTimeoutMs, async (client) => {
      await checkRole(client, role, step);
      await setPassword(client, role, password, deps.randomBytes);
    });
  } catch (err) {
    throw explain(err, {
      step,
      target: admin.url,
      role,
      secrets,
      authFix: 'Update the admin secret with a working admin connection string.',
    });
  }
}

/** The `postgres` rotator (alternating roles). */
export function postgresRotator(options: PostgresRotatorDeps = {}): Rotator {
  const deps = { randomBytes: options.randomBytes ?? nodeRandomBytes, connectTimeoutMs: options.connectTimeoutMs ?? 10_000 };
  const settingsOf = (ctx: RotateContext): PostgresSettings => schema.parse(ctx.settings);
  const currentUrl = (ctx: RotateContext, step: Step) =>
    ctx.current
      ? parseUrl(
          ctx.current.value,
          step,
          `The current value of ${ctx.path}`,
          'Store a postgres:// connection string for one of the two roles as the current value.',
        )
      : undefined;

  return {
    name: 'postgres',
    usesCurrent: true,
    parseSettings: (raw) => parseSettingsWith('postgres', schema, raw),

    /** Safe to repeat: a rerun sets yet another password on the same (unused) role. */
    async create(ctx) {
      const s = settingsOf(ctx);
      ctx.signal?.throwIfAborted();
      const admin = await readAdmin(ctx, s, 'create');
      const current = currentUrl(ctx, 'create');
      const role = nextRole(s.roles, current, ctx.path);
      const password = newPassword(deps.randomBytes);
      ctx.mask(password);
      // Host, port and database come from the admin connection (or the policy), never from the
      // current value: whoever can write the secret must not choose where the new password goes.
      const value = connectionStringFor(admin.url, role, password, s);
      ctx.mask(value);
      await resetPassword(admin, role, password, 'create', deps, current && ctx.current ? secretsOf(ctx.current.value, current) : []);
      ctx.logger.info(`Set a new password on role ${quoteName(role)}; the other role keeps its password until the grace period ends.`);
      return value;
    },

    async test(ctx, value) {
      const s = settingsOf(ctx);
      const url = parseUrl(value, 'test', 'The new value', 'Rotate again; the rotator made a value it cannot parse.');
      const expected = userOf(url);
      if (!s.roles.includes(expected)) {
        throw new RotationStepError('test', `The new value connects as ${quoteName(expected)}, which is neither of the rotation's roles.`);
      }
      ctx.signal?.throwIfAborted();
      let actual: string | undefined;
      try {
        actual = await withClient(
          value,
          deps.connectTimeoutMs,
          async (client) => {
            const result = await client.query<{ user: string }>('SELECT current_user AS "user"');
            return result.rows[0]?.user;
          },
          { scramOnly: true },
        );
      } catch (err) {
        throw explain(err, {
          step: 'test',
          target: url,
          role: expected,
          secrets: secretsOf(value, url),
          authFix:
            'The password just set was not accepted: check that pg_hba.conf allows this role with scram-sha-256 (or md5) and that the admin secret points at the same server as the connection string.',
        });
      }
      if (actual !== expected) {
        throw new RotationStepError(
          'test',
          `Connected with the new value as ${quoteName(actual ?? '?')} instead of ${quoteName(expected)}.`,
          'Check for a login hook or pooler that maps roles, and point the connection string straight at the server.',
        );
      }
    },

    /**
     * Hardening, not a requirement of the strategy (the next rotation resets this role anyway):
     * once the grace period is over, the previous role gets a random password that is neither
     * returned nor stored, so a leaked copy of the old connection string stops working. Sessions
     * already open stay open until they disconnect; PostgreSQL checks passwords only at login.
     */
    async revoke(ctx, previous) {
      const s = settingsOf(ctx);
      const prev = parseUrl(previous, 'revoke', 'The previous value', 'Nothing to revoke: it was not a connection string.');
      const role = userOf(prev);
      if (!s.roles.includes(role)) {
        throw new RotationStepError(
          'revoke',
          `The previous value connects as ${quoteName(role)}, which is neither of the rotation's roles; its password is left alone.`,
          "Change that role's password by hand if the old connection string must stop working.",
        );
      }
      const current = currentUrl(ctx, 'revoke');
      if (current && userOf(current) === role) {
        throw new RotationStepError(
          'revoke',
          `The previous and the current value both connect as ${quoteName(role)}; resetting its password would cut off the current value.`,
          'Nothing to do now: the next rotation moves the secret to the other role.',
        );
      }
      ctx.signal?.throwIfAborted();
      const admin = await readAdmin(ctx, s, 'revoke');
      const unknown = newPassword(deps.randomBytes);
      ctx.mask(unknown);
      await resetPassword(admin, role, unknown, 'revoke', deps, secretsOf(previous, prev));
      ctx.logger.info(`Reset the password of role ${quoteName(role)}: the previous connection string no longer logs in.`);
    },
  };
}
