/**
 * The store's tables, written once for both SQL dialects, and the versions they went through.
 * Times are milliseconds since the epoch; JSON columns hold lists and objects; path columns sort
 * byte-wise on both databases (SQLite's default, `COLLATE "C"` on PostgreSQL), which the prefix
 * range scans rely on.
 */
import { AppError } from '../../core/errors.js';
import type { MigrationKeys } from '../types.js';
import { macOf } from './integrity.js';
import { all, get, type Program, run, script } from './program.js';
import { toAgent, toSecret, toToken, toUser, toVersion } from './rows.js';

export type Dialect = 'sqlite' | 'postgres';

/** The schema this build reads and writes. */
export const SCHEMA_VERSION = 7;

function types(d: Dialect) {
  return d === 'sqlite' ? { int: 'INTEGER', blob: 'BLOB', path: 'TEXT' } : { int: 'BIGINT', blob: 'BYTEA', path: 'TEXT COLLATE "C"' };
}

export function schemaSql(d: Dialect): string {
  const t = types(d);
  const appendOnly =
    d === 'sqlite'
      ? `CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;`
      : `CREATE OR REPLACE FUNCTION ass_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION ass_audit_append_only();`;
  return `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, token_hash TEXT NOT NULL,
  created_at ${t.int} NOT NULL, revoked_at ${t.int}, mac TEXT NOT NULL, approver ${t.int} NOT NULL DEFAULT 0);
CREATE TABLE agents (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, description TEXT,
  trust_policy TEXT, key_id TEXT NOT NULL UNIQUE, key_hash TEXT NOT NULL,
  created_at ${t.int} NOT NULL, revoked_at ${t.int}, mac TEXT NOT NULL);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, agent_id TEXT NOT NULL REFERENCES agents(id), hash TEXT NOT NULL,
  scopes TEXT NOT NULL, created_at ${t.int} NOT NULL, expires_at ${t.int} NOT NULL, max_uses ${t.int},
  uses ${t.int} NOT NULL DEFAULT 0, allowed_ips TEXT NOT NULL, description TEXT, claims TEXT, revoked_at ${t.int},
  mac TEXT NOT NULL);
CREATE INDEX tokens_agent ON tokens(agent_id);
CREATE TABLE secrets (
  path ${t.path} PRIMARY KEY, version ${t.int} NOT NULL, type TEXT NOT NULL, tier TEXT NOT NULL, description TEXT,
  created_at ${t.int} NOT NULL, updated_at ${t.int} NOT NULL, deleted_at ${t.int}, mac TEXT NOT NULL);
CREATE TABLE secret_versions (
  path ${t.path} NOT NULL, version ${t.int} NOT NULL, type TEXT NOT NULL, tier TEXT NOT NULL, ciphertext ${t.blob} NOT NULL,
  created_at ${t.int} NOT NULL, created_by TEXT NOT NULL, deleted_at ${t.int}, mac TEXT NOT NULL, PRIMARY KEY (path, version));
CREATE TABLE audit (
  seq ${t.int} PRIMARY KEY, time ${t.int} NOT NULL, request_id TEXT NOT NULL, event TEXT NOT NULL,
  status TEXT NOT NULL, actor_type TEXT NOT NULL, actor_id TEXT, actor_name TEXT, agent TEXT, token_id TEXT,
  path ${t.path}, tier TEXT, reason TEXT, ip TEXT, claims TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_time ON audit(time);
CREATE INDEX audit_path ON audit(path);
${appendOnly}
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq ${t.int} NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE oidc_jti (issuer TEXT NOT NULL, jti TEXT NOT NULL, exp ${t.int} NOT NULL, PRIMARY KEY (issuer, jti));
${limitTablesSql(d)}${rotationTablesSql(d)}${approvalTablesSql(d)}${rollupTablesSql(d)}`;
}

/** Approvals: the policy (one row), each request, each approver's decision (one per approver and request). */
function approvalTablesSql(d: Dialect): string {
  const t = types(d);
  return `CREATE TABLE approval_policy (id INTEGER PRIMARY KEY CHECK (id = 1), policy TEXT NOT NULL, revision ${t.int} NOT NULL,
  updated_by TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE approvals (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, requester_type TEXT NOT NULL, requester_id TEXT NOT NULL,
  requester_name TEXT NOT NULL, token_id TEXT, claims TEXT, paths TEXT NOT NULL, ask TEXT NOT NULL, description TEXT,
  ip TEXT NOT NULL, required_approvals ${t.int} NOT NULL, approvers TEXT NOT NULL, rule TEXT NOT NULL,
  created_at ${t.int} NOT NULL, expires_at ${t.int} NOT NULL, decided_at ${t.int}, collected_at ${t.int},
  collected_token_id TEXT, mac TEXT NOT NULL);
CREATE INDEX approvals_status ON approvals(status, expires_at);
CREATE INDEX approvals_requester ON approvals(requester_id, status);
CREATE TABLE approval_decisions (
  approval_id TEXT NOT NULL, user_id TEXT NOT NULL, user_name TEXT NOT NULL, decision TEXT NOT NULL, reason TEXT,
  time ${t.int} NOT NULL, mac TEXT NOT NULL, PRIMARY KEY (approval_id, user_id));
`;
}

/** Rotation: a secret's stages and lease, each rotation for reruns, the policies, an agent's replaced keys. */
function rotationTablesSql(d: Dialect): string {
  const t = types(d);
  return `CREATE TABLE secret_stages (
  path ${t.path} PRIMARY KEY, rotation_id TEXT, rotator TEXT, lease_until ${t.int}, pending_version ${t.int},
  previous_version ${t.int}, previous_until ${t.int}, updated_at ${t.int} NOT NULL, mac TEXT NOT NULL);
CREATE TABLE rotations (
  id TEXT PRIMARY KEY, path ${t.path} NOT NULL, rotator TEXT NOT NULL, state TEXT NOT NULL, started_by TEXT NOT NULL,
  started_at ${t.int} NOT NULL, finished_at ${t.int}, from_version ${t.int} NOT NULL, to_version ${t.int}, reason TEXT);
CREATE INDEX rotations_path ON rotations(path);
CREATE TABLE rotation_policies (
  path ${t.path} PRIMARY KEY, rotator TEXT NOT NULL, settings TEXT NOT NULL, interval_seconds ${t.int},
  grace_seconds ${t.int} NOT NULL, notify TEXT, enabled ${t.int} NOT NULL, created_at ${t.int} NOT NULL,
  updated_at ${t.int} NOT NULL, updated_by TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE agent_previous_keys (
  key_id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, key_hash TEXT NOT NULL, until ${t.int} NOT NULL, mac TEXT NOT NULL);
`;
}

/**
 * Lockout counters and rate windows, shared by every replica. Not sealed: they can only ever
 * refuse a request, never grant one, so a storage writer gains nothing by editing them.
 */
function limitTablesSql(d: Dialect): string {
  const t = types(d);
  return `CREATE TABLE lockouts (
  key TEXT PRIMARY KEY, failures ${t.int} NOT NULL, window_start ${t.int} NOT NULL, strikes ${t.int} NOT NULL,
  locked_until ${t.int} NOT NULL, last_failure ${t.int} NOT NULL, refused ${t.int} NOT NULL);
CREATE TABLE rate_windows (key TEXT PRIMARY KEY, window_start ${t.int} NOT NULL, count ${t.int} NOT NULL, previous ${t.int} NOT NULL);
`;
}

/** Hourly counts of the audit log for summaries (derived, sealed, made again when missing or altered). */
function rollupTablesSql(d: Dialect): string {
  const t = types(d);
  return `CREATE TABLE audit_rollups (hour ${t.int} PRIMARY KEY, records ${t.int} NOT NULL, counts TEXT NOT NULL, mac TEXT NOT NULL);
`;
}

/** Steps from one schema version to the next, for stores made by earlier builds (`ass migrate`). */
const MIGRATIONS: Record<number, (d: Dialect, keys: MigrationKeys) => Program<void>> = {
  // 1 → 2: scoped tokens are kind 'token' (as their credential prefix and the API say), and no
  // store keeps a placeholder head row before `ass init` has anchored the chain.
  1: function* () {
    yield* run("UPDATE tokens SET kind = 'token' WHERE kind = 'agent'");
    yield* run("DELETE FROM audit_head WHERE mac = ''");
  },
  // 2 → 3: credential hashes keyed under the vault's key, and every row that carries authority
  // sealed with a MAC. Run by the operator, on a store they trust: whatever it holds now is sealed.
  2: function* (_d, keys) {
    for (const table of ['users', 'agents', 'tokens', 'secrets', 'secret_versions']) {
      yield* run(`ALTER TABLE ${table} ADD COLUMN mac TEXT NOT NULL DEFAULT ''`);
    }
    for (const r of yield* all('SELECT * FROM users')) {
      const u = { ...toUser(r), tokenHash: keys.rekeyDigest(r.token_hash as string) };
      yield* run('UPDATE users SET token_hash = ?, mac = ? WHERE id = ?', [u.tokenHash, macOf(keys, 'users', u), u.id]);
    }
    for (const r of yield* all('SELECT * FROM agents')) {
      const a = { ...toAgent(r), keyHash: keys.rekeyDigest(r.key_hash as string) };
      yield* run('UPDATE agents SET key_hash = ?, mac = ? WHERE id = ?', [a.keyHash, macOf(keys, 'agents', a), a.id]);
    }
    for (const r of yield* all('SELECT * FROM tokens')) {
      const t = { ...toToken(r), hash: keys.rekeyDigest(r.hash as string) };
      yield* run('UPDATE tokens SET hash = ?, mac = ? WHERE id = ?', [t.hash, macOf(keys, 'tokens', t), t.id]);
    }
    for (const r of yield* all('SELECT * FROM secrets')) {
      const sec = toSecret(r);
      yield* run('UPDATE secrets SET mac = ? WHERE path = ?', [macOf(keys, 'secrets', sec), sec.path]);
    }
    for (const r of yield* all('SELECT path, version, type, tier, created_at, created_by, deleted_at FROM secret_versions')) {
      const v = toVersion({ ...r, ciphertext: null });
      yield* run('UPDATE secret_versions SET mac = ? WHERE path = ? AND version = ?', [
        macOf(keys, 'secret_versions', v),
        v.path,
        v.version,
      ]);
    }
  },
  // 3 → 4: lockout and rate-limit state moves into the store, shared by every replica.
  3: function* (d) {
    yield* script(limitTablesSql(d));
  },
  // 4 → 5: rotation (stages, rotations, policies, agents' replaced keys).
  4: function* (d) {
    yield* script(rotationTablesSql(d));
  },
  // 5 → 6: approvals, and users that may decide them (an existing user is no approver; its MAC stays valid).
  5: function* (d) {
    yield* run(`ALTER TABLE users ADD COLUMN approver ${types(d).int} NOT NULL DEFAULT 0`);
    yield* script(approvalTablesSql(d));
  },
  // 6 → 7: hourly rollups of the audit log (made on first use; nothing to convert).
  6: function* (d) {
    yield* script(rollupTablesSql(d));
  },
};

/** Runs every step from the store's schema version to this build's, inside the caller's transaction. */
export function* migrations(d: Dialect, keys: MigrationKeys): Program<{ from: number; to: number }> {
  const row = yield* get('SELECT value FROM meta WHERE key = ?', ['schema_version']);
  const from = Number(row?.value ?? 0);
  for (let v = from; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new AppError('internal', `No migration from schema version ${v}.`);
    yield* step(d, keys);
    yield* run('UPDATE meta SET value = ? WHERE key = ?', [String(v + 1), 'schema_version']);
  }
  return { from, to: SCHEMA_VERSION };
}

function* metaTableExists(d: Dialect): Program<boolean> {
  const row =
    d === 'sqlite'
      ? yield* get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
      : yield* get("SELECT to_regclass('meta') AS name");
  return Boolean(row?.name);
}

/**
 * Opens the schema inside the caller's transaction: creates it when `create` and the database has
 * none, and refuses one written by a newer build. An older one is refused too (it needs `ass
 * migrate`, which opens it with `older` and then runs `migrations`). Without `create`, a database
 * with no vault is refused and left as it was.
 */
export function* openSchema(d: Dialect, opts: { create: boolean; where: string; older?: boolean }): Program<'created' | 'opened'> {
  if (!(yield* metaTableExists(d))) {
    if (!opts.create) {
      throw new AppError('not_found', `${opts.where} holds no vault: create one with ass init (with the same --data or --database-url).`);
    }
    yield* script(schemaSql(d));
    yield* run('INSERT INTO meta (key, value) VALUES (?, ?)', ['schema_version', String(SCHEMA_VERSION)]);
    return 'created';
  }
  const row = yield* get('SELECT value FROM meta WHERE key = ?', ['schema_version']);
  const version = Number(row?.value ?? 0);
  if (!Number.isInteger(version) || version < 1) {
    throw new AppError('internal', `${opts.where} has a meta table without a valid schema version; it was not made by ass init.`);
  }
  if (version > SCHEMA_VERSION) {
    throw new AppError(
      'conflict',
      `${opts.where} has schema version ${version}, newer than this build reads (${SCHEMA_VERSION}): upgrade ass, or restore a backup made for this version.`,
    );
  }
  if (version < SCHEMA_VERSION && !opts.older) {
    throw new AppError(
      'conflict',
      `${opts.where} has schema version ${version}; this build reads ${SCHEMA_VERSION}. Stop every vault process using it, back it up, then run ass migrate with the same --data (and --database-url) to upgrade it.`,
    );
  }
  return 'opened';
}
