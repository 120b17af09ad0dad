/**
 * The store, written once over a `Driver` (SQLite or PostgreSQL): the queries, the rules (the last
 * admin, spend classification, the audit head) and the audit group commit.
 */
import type { AuditEntry, AuditRecord } from '../../core/audit-chain.js';
import { ChainVerifier, GENESIS_HASH } from '../../core/audit-chain.js';
import {
  addFailure,
  type LockoutPolicy,
  type LockoutRow,
  RATE_WINDOW_MS,
  type RateWindow,
  rateEstimate,
  rowLive,
} from '../../core/limits.js';
import {
  type AgentRow,
  type ApprovalDecisionRow,
  type ApprovalPolicyRow,
  type ApprovalRow,
  type AuditCountQuery,
  type AuditCountRow,
  type AuditGroupKey,
  type AuditQuery,
  type AuditSealer,
  type AuditSummaryRows,
  type Change,
  type Changes,
  CommitFailed,
  type Committed,
  type MigrationKeys,
  type RotationPolicyRow,
  type RotationRow,
  type RowFreshness,
  type RowIntegrity,
  type SecretStagesRow,
  type SecretVersionRow,
  type SpendResult,
  type Store,
  type TokenRow,
  type UserRow,
} from '../types.js';
import { macOf, rowFields, type Table, verified } from './integrity.js';
import { all, type Driver, get, type Program, type Row, run } from './program.js';
import {
  AGENT_COLUMNS,
  auditClaims,
  json,
  toAgent,
  toApproval,
  toApprovalPolicy,
  toAuditRecord,
  toDecision,
  toPolicy,
  toPreviousKey,
  toRotation,
  toSecret,
  toStages,
  toToken,
  toUser,
  toVersion,
  VERSION_COLUMNS,
} from './rows.js';
import { type Dialect, migrations } from './schema.js';

const change = <T>(program: () => Program<T>): Change<T> => ({ program });

/**
 * What makes two pipeline requests the same: the run (every attempt of it) and what it runs, not
 * the OIDC token's own id or who clicked re-run.
 */
const SAME_RUN = [
  'iss',
  'repository_id',
  'repository',
  'run_id',
  'ref',
  'sha',
  'environment',
  'workflow_ref',
  'job_workflow_ref',
  'project_id',
  'pipeline_id',
  'pipeline_slug',
  'build_number',
  'oidc.circleci.com/workflow-id',
] as const;
function sameRun(claims: Record<string, string> | null): Record<string, string> | null {
  if (!claims) return null;
  return Object.fromEntries(SAME_RUN.flatMap((k) => (claims[k] === undefined ? [] : [[k, claims[k]]])));
}

/** Rows equal to `prefix` or below it: a range scan on a byte-ordered key ('/' sorts before '0'). */
function prefixRange(column: string, prefix: string): { sql: string; args: string[] } {
  return { sql: `(${column} = ? OR (${column} >= ? AND ${column} < ?))`, args: [prefix, `${prefix}/`, `${prefix}0`] };
}

const TOKEN_WITH_AGENT = `SELECT t.*, ${AGENT_COLUMNS.map((c) => `a.${c} AS a_${c}`).join(', ')}, a.mac AS a_mac FROM tokens t JOIN agents a ON a.id = t.agent_id WHERE t.id = ?`;
const SECRET_AND = `SELECT s.*, ${VERSION_COLUMNS.map((c) => `v.${c} AS v_${c}`).join(', ')}, v.mac AS v_mac FROM secrets s LEFT JOIN secret_versions v ON v.path = s.path`;
const SECRET_WITH_CURRENT = `${SECRET_AND} AND v.version = s.version WHERE s.path = ?`;
const SECRET_WITH_VERSION = `${SECRET_AND} AND v.version = ? WHERE s.path = ?`;

/**
 * How many times a read is tried while commits the vault notes meanwhile make its rows look older
 * than the audit log (see SqlStore's `fresh`): each retry races only the commits of its own moment.
 */
const FRESH_READ_TRIES = 5;

/** At most this many counters in a listing (lockouts in force first). */
const LOCKOUT_LISTING = 1000;

const toLockout = (r: Row): LockoutRow => ({
  key: r.key as string,
  failures: Number(r.failures),
  windowStart: Number(r.window_start),
  strikes: Number(r.strikes),
  lockedUntil: Number(r.locked_until),
  lastFailure: Number(r.last_failure),
  refused: Number(r.refused),
});

/**
 * One request more in a key's window: rolls the window over when a new minute began (this
 * minute's count becomes the previous one), in one statement, so replicas never lose a count.
 */
const TAKE_RATE = `INSERT INTO rate_windows (key, window_start, count, previous) VALUES (?, ?, ?, 0)
ON CONFLICT (key) DO UPDATE SET
  previous = CASE WHEN rate_windows.window_start >= excluded.window_start THEN rate_windows.previous
    WHEN rate_windows.window_start = excluded.window_start - ${RATE_WINDOW_MS} THEN rate_windows.count ELSE 0 END,
  count = CASE WHEN rate_windows.window_start >= excluded.window_start THEN rate_windows.count + excluded.count ELSE excluded.count END,
  window_start = CASE WHEN rate_windows.window_start >= excluded.window_start THEN rate_windows.window_start ELSE excluded.window_start END
RETURNING window_start, count, previous`;

const INSERT_AUDIT =
  'INSERT INTO audit (seq, time, request_id, event, status, actor_type, actor_id, actor_name, agent, token_id, path, tier, reason, ip, claims, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Every change, bound to the keys that seal the rows it writes and check the rows it reads. */
function makeChanges(keys: () => RowIntegrity, fresh: (table: Table, row: unknown) => void): Changes {
  const mac = <T extends Table>(table: T, row: Parameters<(typeof rowFields)[T]>[0]) => macOf(keys(), table, row);
  /** A row a change reads: authentic and the latest, or the change fails. */
  const checked = <T extends Table>(table: T, row: Parameters<(typeof rowFields)[T]>[0], rowMac: unknown) => {
    const authentic = verified(keys(), table, row, rowMac);
    fresh(table, authentic);
    return authentic;
  };
  /** A secret's stages, authenticated (locked for the change). */
  function* stagesOf(path: string): Program<SecretStagesRow | undefined> {
    const r = yield* get('SELECT * FROM secret_stages WHERE path = ?', [path], { lock: true });
    return r ? checked('secret_stages', toStages(r), r.mac) : undefined;
  }
  /** The stages, if `rotationId` holds an unexpired lease on the path. */
  function* leaseOf(path: string, rotationId: string, now: number): Program<SecretStagesRow | undefined> {
    const stages = yield* stagesOf(path);
    return stages && stages.rotationId === rotationId && (stages.leaseUntil ?? 0) > now ? stages : undefined;
  }
  /** Removes the version a rotation put but never made current. */
  function* dropPending(stages: SecretStagesRow): Program<void> {
    if (stages.pendingVersion !== null) {
      yield* run('DELETE FROM secret_versions WHERE path = ? AND version = ?', [stages.path, stages.pendingVersion]);
    }
  }
  /** A new secret version, sealed (a plain write, or a rotation's pending value). */
  function* insertVersion(row: SecretVersionRow): Program<void> {
    yield* run(`INSERT INTO secret_versions (${VERSION_COLUMNS.join(', ')}, mac) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`, [
      row.path,
      row.version,
      row.type,
      row.tier,
      row.ciphertext,
      row.createdAt,
      row.createdBy,
      mac('secret_versions', { ...row, deletedAt: null }),
    ]);
  }
  /** A new token row, sealed (issued directly, or released by a collected approval). */
  function* insertToken(t: TokenRow): Program<void> {
    yield* run(
      'INSERT INTO tokens (id, kind, agent_id, hash, scopes, created_at, expires_at, max_uses, uses, allowed_ips, description, claims, revoked_at, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        t.id,
        t.kind,
        t.agentId,
        t.hash,
        JSON.stringify(t.scopes),
        t.createdAt,
        t.expiresAt,
        t.maxUses,
        t.uses,
        JSON.stringify(t.allowedIps),
        t.description,
        json(t.claims),
        t.revokedAt,
        mac('tokens', t),
      ],
    );
  }
  function* writeStages(s: SecretStagesRow, exists: boolean): Program<void> {
    const args = [
      s.rotationId,
      s.rotator,
      s.leaseUntil,
      s.pendingVersion,
      s.previousVersion,
      s.previousUntil,
      s.updatedAt,
      mac('secret_stages', s),
    ];
    if (exists) {
      yield* run(
        'UPDATE secret_stages SET rotation_id = ?, rotator = ?, lease_until = ?, pending_version = ?, previous_version = ?, previous_until = ?, updated_at = ?, mac = ? WHERE path = ?',
        [...args, s.path],
      );
    } else {
      yield* run(
        'INSERT INTO secret_stages (rotation_id, rotator, lease_until, pending_version, previous_version, previous_until, updated_at, mac, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [...args, s.path],
      );
    }
  }

  return {
    createUser: (u: UserRow) =>
      change(function* () {
        if (yield* get('SELECT id FROM users WHERE name = ?', [u.name])) return 'name_taken' as const;
        yield* run(
          'INSERT INTO users (id, name, role, token_hash, created_at, revoked_at, approver, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [u.id, u.name, u.role, u.tokenHash, u.createdAt, u.revokedAt, u.approver ? 1 : 0, mac('users', u)],
        );
        return 'created' as const;
      }),

    revokeUser: (id: string, now: number) =>
      change(function* () {
        // Lock the active admins first: a concurrent revocation (another replica) waits here, then sees this one.
        const admins = (yield* all("SELECT * FROM users WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id", [], { lock: true })).map(
          (r) => checked('users', toUser(r), r.mac),
        );
        const row = yield* get('SELECT * FROM users WHERE id = ?', [id], { lock: true });
        if (!row) return 'not_active' as const;
        const user = checked('users', toUser(row), row.mac);
        if (user.revokedAt !== null) return 'not_active' as const;
        if (user.role === 'admin' && admins.length <= 1) return 'last_admin' as const;
        const revoked = { ...user, revokedAt: now };
        yield* run('UPDATE users SET revoked_at = ?, mac = ? WHERE id = ?', [now, mac('users', revoked), id]);
        return 'revoked' as const;
      }),

    createAgent: (a: AgentRow) =>
      change(function* () {
        if (yield* get('SELECT id FROM agents WHERE name = ?', [a.name])) return 'name_taken' as const;
        yield* run(`INSERT INTO agents (${AGENT_COLUMNS.join(', ')}, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
          a.id,
          a.name,
          JSON.stringify(a.scopes),
          a.description,
          json(a.trustPolicy),
          a.keyId,
          a.keyHash,
          a.createdAt,
          a.revokedAt,
          mac('agents', a),
        ]);
        return 'created' as const;
      }),

    revokeAgent: (id: string, now: number) =>
      change(function* () {
        const row = yield* get('SELECT * FROM agents WHERE id = ?', [id], { lock: true });
        if (!row) return { revoked: false, tokensRevoked: 0 };
        const agent = checked('agents', toAgent(row), row.mac);
        let revoked = false;
        if (agent.revokedAt === null) {
          yield* run('UPDATE agents SET revoked_at = ?, mac = ? WHERE id = ?', [now, mac('agents', { ...agent, revokedAt: now }), id]);
          revoked = true;
        }
        let tokensRevoked = 0;
        const live = yield* all('SELECT * FROM tokens WHERE agent_id = ? AND revoked_at IS NULL AND expires_at > ?', [id, now], {
          lock: true,
        });
        for (const r of live) {
          const token = checked('tokens', toToken(r), r.mac);
          yield* run('UPDATE tokens SET revoked_at = ?, mac = ? WHERE id = ?', [
            now,
            mac('tokens', { ...token, revokedAt: now }),
            token.id,
          ]);
          tokensRevoked++;
        }
        return { revoked, tokensRevoked };
      }),

    createToken: (t: TokenRow) =>
      change(function* () {
        yield* insertToken(t);
      }),

    revokeToken: (id: string, now: number) =>
      change(function* () {
        const row = yield* get('SELECT * FROM tokens WHERE id = ?', [id], { lock: true });
        if (!row) return false;
        const token = checked('tokens', toToken(row), row.mac);
        if (token.revokedAt !== null) return false;
        yield* run('UPDATE tokens SET revoked_at = ?, mac = ? WHERE id = ?', [now, mac('tokens', { ...token, revokedAt: now }), id]);
        return true;
      }),

    putSecretVersion: (row: SecretVersionRow, description: string | null) =>
      change(function* () {
        const currentRow = yield* get('SELECT * FROM secrets WHERE path = ?', [row.path], { lock: true });
        const current = currentRow ? checked('secrets', toSecret(currentRow), currentRow.mac) : undefined;
        const currentVersion = current ? current.version : 0;
        if (currentVersion !== row.version - 1) return 'conflict' as const;
        const stages = current ? yield* stagesOf(row.path) : undefined;
        if (stages?.rotationId) {
          if ((stages.leaseUntil ?? 0) > row.createdAt) return 'rotating' as const;
          // A rotation that stopped half-way: its pending value (this version number) goes.
          yield* dropPending(stages);
          yield* writeStages(
            { ...stages, rotationId: null, rotator: null, leaseUntil: null, pendingVersion: null, updatedAt: row.createdAt },
            true,
          );
          yield* run("UPDATE rotations SET state = 'aborted', finished_at = ?, reason = ? WHERE id = ? AND state = 'pending'", [
            row.createdAt,
            'its lease expired; the secret was written directly',
            stages.rotationId,
          ]);
        }
        yield* insertVersion(row);
        const secret = {
          path: row.path,
          version: row.version,
          type: row.type,
          tier: row.tier,
          description,
          createdAt: current ? current.createdAt : row.createdAt,
          updatedAt: row.createdAt,
          deletedAt: null,
        };
        if (current) {
          yield* run(
            'UPDATE secrets SET version = ?, type = ?, tier = ?, description = ?, updated_at = ?, deleted_at = NULL, mac = ? WHERE path = ?',
            [secret.version, secret.type, secret.tier, secret.description, secret.updatedAt, mac('secrets', secret), row.path],
          );
        } else {
          yield* run(
            'INSERT INTO secrets (path, version, type, tier, description, created_at, updated_at, deleted_at, mac) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)',
            [
              secret.path,
              secret.version,
              secret.type,
              secret.tier,
              secret.description,
              secret.createdAt,
              secret.updatedAt,
              mac('secrets', secret),
            ],
          );
        }
        return 'ok' as const;
      }),

    softDeleteSecret: (path: string, now: number) =>
      change(function* () {
        const row = yield* get('SELECT * FROM secrets WHERE path = ?', [path], { lock: true });
        if (!row) return false;
        const secret = checked('secrets', toSecret(row), row.mac);
        if (secret.deletedAt !== null) return false;
        const deleted = { ...secret, deletedAt: now, updatedAt: now };
        yield* run('UPDATE secrets SET deleted_at = ?, updated_at = ?, mac = ? WHERE path = ?', [now, now, mac('secrets', deleted), path]);
        for (const r of yield* all('SELECT * FROM secret_versions WHERE path = ? AND deleted_at IS NULL', [path], { lock: true })) {
          const version = checked('secret_versions', toVersion(r), r.mac);
          yield* run('UPDATE secret_versions SET deleted_at = ?, mac = ? WHERE path = ? AND version = ?', [
            now,
            mac('secret_versions', { ...version, deletedAt: now }),
            path,
            version.version,
          ]);
        }
        return true;
      }),

    beginRotation: (rotation: RotationRow, leaseUntil: number, now: number, force = false) =>
      change(function* () {
        const secretRow = yield* get('SELECT * FROM secrets WHERE path = ?', [rotation.path], { lock: true });
        const secret = secretRow ? checked('secrets', toSecret(secretRow), secretRow.mac) : undefined;
        if (!secret || secret.deletedAt !== null) return { result: 'no_secret' as const };
        const knownRow = yield* get('SELECT * FROM rotations WHERE id = ?', [rotation.id], { lock: true });
        const known = knownRow ? toRotation(knownRow) : undefined;
        if (known && known.path !== rotation.path) return { result: 'conflict_id' as const, rotation: known };
        if (known && known.state !== 'pending') return { result: 'ended' as const, rotation: known };
        const stagesRow = yield* get('SELECT * FROM secret_stages WHERE path = ?', [rotation.path], { lock: true });
        const stages = stagesRow ? checked('secret_stages', toStages(stagesRow), stagesRow.mac) : undefined;
        const holder = stages?.rotationId ?? null;
        if (holder !== null && holder !== rotation.id && (stages?.leaseUntil ?? 0) > now) {
          return { result: 'busy' as const, stages: stages as SecretStagesRow };
        }
        if (
          !force &&
          holder !== rotation.id &&
          stages?.previousVersion !== null &&
          stages?.previousVersion !== undefined &&
          (stages.previousUntil ?? 0) > now
        ) {
          // Another rotation now would end the previous value's grace period early.
          return { result: 'in_grace' as const, stages };
        }
        if (holder !== null && holder !== rotation.id) {
          // An expired lease: that rotation stopped half-way (a crashed job). Its pending value goes.
          yield* dropPending(stages as SecretStagesRow);
          yield* run("UPDATE rotations SET state = 'aborted', finished_at = ?, reason = ? WHERE id = ? AND state = 'pending'", [
            now,
            `its lease expired; rotation ${rotation.id} took over`,
            holder,
          ]);
        }
        const resumed = known !== undefined && holder === rotation.id;
        if (!known) {
          yield* run(
            'INSERT INTO rotations (id, path, rotator, state, started_by, started_at, finished_at, from_version, to_version, reason) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL, NULL)',
            [rotation.id, rotation.path, rotation.rotator, 'pending', rotation.startedBy, rotation.startedAt, secret.version],
          );
        }
        const next: SecretStagesRow = {
          path: rotation.path,
          rotationId: rotation.id,
          rotator: rotation.rotator,
          leaseUntil,
          pendingVersion: resumed ? (stages?.pendingVersion ?? null) : null,
          previousVersion: stages?.previousVersion ?? null,
          previousUntil: stages?.previousUntil ?? null,
          updatedAt: now,
        };
        yield* writeStages(next, stages !== undefined);
        const row = known ?? { ...rotation, fromVersion: secret.version };
        return { result: resumed ? ('resumed' as const) : ('begun' as const), rotation: row, stages: next };
      }),

    putPendingVersion: (rotationId: string, row: SecretVersionRow, now: number) =>
      change(function* () {
        const stages = yield* leaseOf(row.path, rotationId, now);
        if (!stages) return { result: 'no_lease' as const, stages: yield* stagesOf(row.path) };
        const secretRow = yield* get('SELECT * FROM secrets WHERE path = ?', [row.path], { lock: true });
        const secret = secretRow ? checked('secrets', toSecret(secretRow), secretRow.mac) : undefined;
        if (!secret || secret.version + 1 !== row.version) return { result: 'no_lease' as const, stages };
        yield* dropPending(stages);
        yield* insertVersion(row);
        yield* writeStages({ ...stages, pendingVersion: row.version, updatedAt: now }, true);
        return { result: 'ok' as const, version: row.version };
      }),

    finishRotation: (rotationId: string, path: string, now: number, previousUntil: number) =>
      change(function* () {
        const stages = yield* leaseOf(path, rotationId, now);
        if (!stages) return { result: 'no_lease' as const };
        if (stages.pendingVersion === null) return { result: 'no_pending' as const };
        const secretRow = yield* get('SELECT * FROM secrets WHERE path = ?', [path], { lock: true });
        const secret = secretRow ? checked('secrets', toSecret(secretRow), secretRow.mac) : undefined;
        if (!secret || secret.deletedAt !== null || secret.version + 1 !== stages.pendingVersion) return { result: 'no_lease' as const };
        const promoted = { ...secret, version: stages.pendingVersion, updatedAt: now };
        yield* run('UPDATE secrets SET version = ?, updated_at = ?, mac = ? WHERE path = ?', [
          promoted.version,
          now,
          mac('secrets', promoted),
          path,
        ]);
        yield* writeStages(
          {
            ...stages,
            rotationId: null,
            rotator: null,
            leaseUntil: null,
            pendingVersion: null,
            previousVersion: secret.version,
            previousUntil,
            updatedAt: now,
          },
          true,
        );
        yield* run("UPDATE rotations SET state = 'finished', finished_at = ?, to_version = ? WHERE id = ?", [
          now,
          promoted.version,
          rotationId,
        ]);
        return { result: 'ok' as const, version: promoted.version, previousVersion: secret.version };
      }),

    abortRotation: (rotationId: string, path: string, now: number, reason: string) =>
      change(function* () {
        const stages = yield* stagesOf(path);
        if (!stages || stages.rotationId !== rotationId) return 'no_lease' as const;
        yield* dropPending(stages);
        yield* writeStages({ ...stages, rotationId: null, rotator: null, leaseUntil: null, pendingVersion: null, updatedAt: now }, true);
        yield* run("UPDATE rotations SET state = 'aborted', finished_at = ?, reason = ? WHERE id = ?", [now, reason, rotationId]);
        return 'ok' as const;
      }),

    retirePrevious: (path: string, version: number, now: number) =>
      change(function* () {
        const stages = yield* stagesOf(path);
        if (!stages || stages.previousVersion !== version || (stages.previousUntil ?? 0) > now) return 'not_previous' as const;
        yield* writeStages({ ...stages, previousVersion: null, previousUntil: null, updatedAt: now }, true);
        return 'ok' as const;
      }),

    putRotationPolicy: (p: RotationPolicyRow) =>
      change(function* () {
        const existing = yield* get('SELECT created_at FROM rotation_policies WHERE path = ?', [p.path], { lock: true });
        const row = existing ? { ...p, createdAt: Number(existing.created_at) } : p;
        const args = [
          row.rotator,
          JSON.stringify(row.settings),
          row.intervalSeconds,
          row.graceSeconds,
          json(row.notify),
          row.enabled ? 1 : 0,
          row.createdAt,
          row.updatedAt,
          row.updatedBy,
          mac('rotation_policies', row),
        ];
        if (existing) {
          yield* run(
            'UPDATE rotation_policies SET rotator = ?, settings = ?, interval_seconds = ?, grace_seconds = ?, notify = ?, enabled = ?, created_at = ?, updated_at = ?, updated_by = ?, mac = ? WHERE path = ?',
            [...args, row.path],
          );
          return 'updated' as const;
        }
        yield* run(
          'INSERT INTO rotation_policies (rotator, settings, interval_seconds, grace_seconds, notify, enabled, created_at, updated_at, updated_by, mac, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [...args, row.path],
        );
        return 'created' as const;
      }),

    deleteRotationPolicy: (path: string) =>
      change(function* () {
        return (yield* run('DELETE FROM rotation_policies WHERE path = ?', [path])) > 0;
      }),

    rotateAgentKey: (agentId: string, newKeyId: string, newKeyHash: string, previousUntil: number, now: number) =>
      change(function* () {
        const row = yield* get('SELECT * FROM agents WHERE id = ?', [agentId], { lock: true });
        if (!row) return 'not_active' as const;
        const agent = checked('agents', toAgent(row), row.mac);
        if (agent.revokedAt !== null) return 'not_active' as const;
        // Earlier replaced keys keep their own overlaps (a rerun after a crash must not cut short
        // the key that jobs still hold); only those whose time is up go.
        yield* run('DELETE FROM agent_previous_keys WHERE until <= ?', [now]);
        if (previousUntil > now) {
          const prev = { keyId: agent.keyId, agentId, keyHash: agent.keyHash, until: previousUntil };
          yield* run('INSERT INTO agent_previous_keys (key_id, agent_id, key_hash, until, mac) VALUES (?, ?, ?, ?, ?)', [
            prev.keyId,
            agentId,
            prev.keyHash,
            prev.until,
            mac('agent_previous_keys', prev),
          ]);
        }
        const next = { ...agent, keyId: newKeyId, keyHash: newKeyHash };
        yield* run('UPDATE agents SET key_id = ?, key_hash = ?, mac = ? WHERE id = ?', [
          newKeyId,
          newKeyHash,
          mac('agents', next),
          agentId,
        ]);
        return 'ok' as const;
      }),

    setUserApprover: (id: string, approver: boolean) =>
      change(function* () {
        const row = yield* get('SELECT * FROM users WHERE id = ?', [id], { lock: true });
        if (!row) return { result: 'not_active' as const };
        const user = checked('users', toUser(row), row.mac);
        if (user.revokedAt !== null) return { result: 'not_active' as const };
        if (user.approver === approver) return { result: 'unchanged' as const, user };
        const updated = { ...user, approver };
        yield* run('UPDATE users SET approver = ?, mac = ? WHERE id = ?', [approver ? 1 : 0, mac('users', updated), id]);
        return { result: 'updated' as const, user: updated };
      }),

    putApprovalPolicy: (p: ApprovalPolicyRow, expectedRevision?: number) =>
      change(function* () {
        const r = yield* get('SELECT * FROM approval_policy WHERE id = 1', [], { lock: true });
        const current = r ? checked('approval_policy', toApprovalPolicy(r), r.mac) : undefined;
        if (expectedRevision !== undefined && (current?.revision ?? 0) !== expectedRevision) return 'conflict' as const;
        // Revisions only go forward, even when two changes land in the same millisecond.
        const row = { ...p, revision: Math.max(p.revision, (current?.revision ?? 0) + 1) };
        const args = [JSON.stringify(row.policy), row.revision, row.updatedBy, mac('approval_policy', row)];
        if (current) yield* run('UPDATE approval_policy SET policy = ?, revision = ?, updated_by = ?, mac = ? WHERE id = 1', args);
        else yield* run('INSERT INTO approval_policy (policy, revision, updated_by, mac, id) VALUES (?, ?, ?, ?, 1)', args);
        p.revision = row.revision;
        return 'ok' as const;
      }),

    createApproval: (a: ApprovalRow, now: number, maxPending: number) =>
      change(function* () {
        const open = (yield* all(
          "SELECT * FROM approvals WHERE requester_id = ? AND status IN ('pending', 'approved') AND expires_at > ?",
          [a.requesterId, now],
          { lock: true },
        )).map((r) => checked('approvals', toApproval(r), r.mac));
        // The same request again (a client retrying, a CI job re-run) is the same request: approvers
        // see it once, and one already approved is collected rather than asked for again.
        const same = open.find(
          (p) =>
            p.kind === a.kind &&
            p.tokenId === a.tokenId &&
            p.requesterType === a.requesterType &&
            p.description === a.description &&
            JSON.stringify(p.paths) === JSON.stringify(a.paths) &&
            JSON.stringify(p.ask) === JSON.stringify(a.ask) &&
            JSON.stringify(sameRun(p.claims)) === JSON.stringify(sameRun(a.claims)),
        );
        if (same) return { result: 'existing' as const, row: same };
        // The cap is per credential (and per CI run): one leaked token or one looping run cannot
        // use up the agent's other tokens' and runs' requests.
        const capOf = (r: ApprovalRow) =>
          r.tokenId ?? (r.kind === 'exchange' ? `run:${JSON.stringify(sameRun(r.claims))}` : `${r.requesterType}:${r.requesterId}`);
        const pending = open.filter((p) => p.status === 'pending');
        if (pending.filter((p) => capOf(p) === capOf(a)).length >= maxPending) return { result: 'too_many' as const };
        // And all of one agent's (or user's) credentials and runs together: five times that.
        if (pending.length >= maxPending * 5) return { result: 'too_many' as const };
        yield* run(
          `INSERT INTO approvals (id, kind, status, requester_type, requester_id, requester_name, token_id, claims, paths, ask, description, ip,
            required_approvals, approvers, rule, created_at, expires_at, decided_at, collected_at, collected_token_id, mac)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            a.id,
            a.kind,
            a.status,
            a.requesterType,
            a.requesterId,
            a.requesterName,
            a.tokenId,
            json(a.claims),
            JSON.stringify(a.paths),
            JSON.stringify(a.ask),
            a.description,
            a.ip,
            a.requiredApprovals,
            JSON.stringify(a.approvers),
            a.rule,
            a.createdAt,
            a.expiresAt,
            a.decidedAt,
            a.collectedAt,
            a.collectedTokenId,
            mac('approvals', a),
          ],
        );
        return { result: 'created' as const, row: a };
      }),

    decideApproval: (d: ApprovalDecisionRow, now: number, counts: ReadonlySet<string>) =>
      change(function* () {
        const r = yield* get('SELECT * FROM approvals WHERE id = ?', [d.approvalId], { lock: true });
        if (!r) return { result: 'not_found' as const };
        const row = checked('approvals', toApproval(r), r.mac);
        if (row.status !== 'pending') return { result: 'not_pending' as const, row };
        if (row.expiresAt <= now) return { result: 'expired' as const, row };
        const decisions = (yield* all('SELECT * FROM approval_decisions WHERE approval_id = ? ORDER BY time, user_id', [row.id], {
          lock: true,
        })).map((x) => checked('approval_decisions', toDecision(x), x.mac));
        const count = (list: readonly ApprovalDecisionRow[]) =>
          new Set(list.filter((x) => x.decision === 'approve' && counts.has(x.userId)).map((x) => x.userId)).size;
        const mine = decisions.find((x) => x.userId === d.userId);
        if (mine) {
          // An approver who approved, stopped counting (unflagged) and counts again confirms it by
          // approving again: the request is counted afresh rather than stuck.
          if (mine.decision !== 'approve' || d.decision !== 'approve' || count(decisions) < row.requiredApprovals) {
            return { result: 'already_decided' as const, row, decisions };
          }
          const decided = { ...row, status: 'approved' as const, decidedAt: now };
          yield* run('UPDATE approvals SET status = ?, decided_at = ?, mac = ? WHERE id = ?', [
            'approved',
            now,
            mac('approvals', decided),
            row.id,
          ]);
          return { result: 'approved' as const, row: decided, decisions };
        }
        yield* run(
          'INSERT INTO approval_decisions (approval_id, user_id, user_name, decision, reason, time, mac) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [d.approvalId, d.userId, d.userName, d.decision, d.reason, d.time, mac('approval_decisions', d)],
        );
        const all_ = [...decisions, d];
        // Distinct approvers, counted inside the transaction that holds the request's row.
        const approvals = count(all_);
        const status = d.decision === 'deny' ? 'denied' : approvals >= row.requiredApprovals ? 'approved' : 'pending';
        if (status === 'pending') return { result: 'recorded' as const, row, decisions: all_ };
        const decided = { ...row, status, decidedAt: now } as ApprovalRow;
        yield* run('UPDATE approvals SET status = ?, decided_at = ?, mac = ? WHERE id = ?', [
          status,
          now,
          mac('approvals', decided),
          row.id,
        ]);
        return { result: status === 'denied' ? ('denied' as const) : ('approved' as const), row: decided, decisions: all_ };
      }),

    collectApproval: (id: string, now: number, token: TokenRow | null) =>
      change(function* () {
        const r = yield* get('SELECT * FROM approvals WHERE id = ?', [id], { lock: true });
        if (!r) return { result: 'not_found' as const };
        const row = checked('approvals', toApproval(r), r.mac);
        if (row.status !== 'approved') return { result: 'not_approved' as const, row };
        if (row.expiresAt <= now) return { result: 'expired' as const, row };
        const collected: ApprovalRow = { ...row, status: 'collected', collectedAt: now, collectedTokenId: token?.id ?? null };
        yield* run('UPDATE approvals SET status = ?, collected_at = ?, collected_token_id = ?, mac = ? WHERE id = ?', [
          'collected',
          now,
          collected.collectedTokenId,
          mac('approvals', collected),
          id,
        ]);
        if (token) yield* insertToken(token);
        return { result: 'collected' as const, row: collected };
      }),

    expireApprovals: (now: number, limit: number) =>
      change(function* () {
        const rows = (yield* all(
          "SELECT * FROM approvals WHERE status IN ('pending', 'approved') AND expires_at <= ? ORDER BY expires_at LIMIT ?",
          [now, limit],
          {
            lock: true,
          },
        )).map((r) => checked('approvals', toApproval(r), r.mac));
        const expired: ApprovalRow[] = [];
        for (const row of rows) {
          const e: ApprovalRow = { ...row, status: 'expired' };
          yield* run('UPDATE approvals SET status = ?, mac = ? WHERE id = ?', ['expired', mac('approvals', e), row.id]);
          expired.push(e);
        }
        return expired;
      }),

    clearLockouts: (keys: readonly string[] | 'all') =>
      change(function* () {
        if (keys === 'all') return yield* run('DELETE FROM lockouts');
        let n = 0;
        for (const key of keys) n += yield* run('DELETE FROM lockouts WHERE key = ?', [key]);
        return n;
      }),

    rewrapSecretVersions: (rewrap) =>
      change(function* () {
        let changed = 0;
        // The ciphertext is sealed to its path and version by its own AEAD tags, not by the row MAC.
        for (const r of yield* all('SELECT path, version, ciphertext FROM secret_versions ORDER BY path, version', [], { lock: true })) {
          const next = rewrap({ path: r.path as string, version: Number(r.version), ciphertext: r.ciphertext as Uint8Array });
          if (next) {
            yield* run('UPDATE secret_versions SET ciphertext = ? WHERE path = ? AND version = ?', [next, r.path, Number(r.version)]);
            changed++;
          }
        }
        return changed;
      }),
  };
}

interface Pending {
  change: Change<unknown> | null;
  entries: (result: unknown) => AuditEntry[];
  seal: AuditSealer;
  resolve: (c: Committed<unknown>) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: Committed<unknown> } | { ok: false; error: unknown };

/**
 * One transaction for a batch of commits: the authenticated head is checked against the last
 * record once, then each commit (its change and its records) runs in a savepoint: one that fails
 * is rolled back alone and its caller gets the error. If anything else fails (the head check, the
 * commit itself), the whole transaction rolls back and every caller in it gets the error.
 */
function* flushProgram(batch: readonly Pending[]): Program<Outcome[]> {
  const headRow = yield* get('SELECT seq, hash, mac FROM audit_head WHERE id = 1', [], { lock: true });
  const lastRow = yield* get('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  const head = headRow ? { seq: Number(headRow.seq), hash: headRow.hash as string, mac: headRow.mac as string } : undefined;
  (batch[0] as Pending).seal.verifyHead(head, lastRow ? { seq: Number(lastRow.seq), hash: lastRow.hash as string } : undefined);
  let seq = (head as { seq: number }).seq;
  let prevHash = (head as { hash: string }).hash;
  let headMac = '';
  const outcomes: Outcome[] = [];
  for (const item of batch) {
    // Each commit in its own savepoint: a change or a record that fails takes only its own
    // request down, and the chain goes on from the last record that stayed.
    const mark = { seq, prevHash, headMac };
    // The change and the caller's `entries` may refuse (their errors reach the caller as they are);
    // once the records are being written, a failure means the audit log could not take them.
    let writingRecords = false;
    yield* run('SAVEPOINT ass_commit');
    try {
      const result = item.change ? yield* item.change.program() : undefined;
      const entries = item.entries(result);
      writingRecords = true;
      const records: AuditRecord[] = [];
      for (const entry of entries) {
        seq += 1;
        const sealed = item.seal.seal(entry, seq, prevHash);
        yield* run(INSERT_AUDIT, [
          seq,
          entry.time,
          entry.requestId,
          entry.event,
          entry.status,
          entry.actorType,
          entry.actorId,
          entry.actorName,
          entry.agent,
          entry.tokenId,
          entry.path,
          entry.tier,
          entry.reason,
          entry.ip,
          json(entry.claims),
          prevHash,
          sealed.hash,
        ]);
        records.push({ ...entry, seq, prevHash, hash: sealed.hash });
        prevHash = sealed.hash;
        headMac = sealed.headMac;
      }
      yield* run('RELEASE SAVEPOINT ass_commit');
      outcomes.push({ ok: true, value: { result, records } });
    } catch (error) {
      yield* run('ROLLBACK TO SAVEPOINT ass_commit');
      yield* run('RELEASE SAVEPOINT ass_commit');
      ({ seq, prevHash, headMac } = mark);
      outcomes.push({ ok: false, error: writingRecords ? new CommitFailed(error) : error });
    }
  }
  if (headMac) yield* run('UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1', [seq, prevHash, headMac]);
  return outcomes;
}

const HOUR_MS = 3_600_000;
/** An hour is rolled up once it ended this long ago (appends stamped just before its end have landed). */
const ROLLUP_MARGIN_MS = 2 * 60_000;
/** Groups kept per part of a summary before the parts are merged and cut to the caller's limit. */
const SUMMARY_PART_LIMIT = 100_000;
/** The claims a summary names a pipeline by (the run's own ids would make every run a group). */
const PIPELINE_CLAIMS = ['repository', 'project_path', 'iss', 'workflow_ref', 'job_workflow_ref', 'pipeline_slug'];

function pipelineNames(claims: Record<string, string>): Record<string, string> {
  return Object.fromEntries(PIPELINE_CLAIMS.filter((k) => typeof claims[k] === 'string').map((k) => [k, claims[k] as string]));
}

function mergeExchanges(rows: AuditSummaryRows['exchanges']): AuditSummaryRows['exchanges'] {
  const out = new Map<string, AuditSummaryRows['exchanges'][number]>();
  for (const r of rows) {
    const key = `${r.status}\n${JSON.stringify(r.claims)}`;
    const e = out.get(key);
    if (e) e.count += r.count;
    else out.set(key, { ...r });
  }
  return [...out.values()].sort((a, b) => b.count - a.count).slice(0, 10_000);
}

/** Adds up summaries of disjoint ranges, and cuts each table to `limit` in the order the SQL gives. */
export function mergeSummaries(parts: readonly AuditSummaryRows[], limit: number): AuditSummaryRows {
  const sum = <T, K>(rows: T[], key: (r: T) => K, add: (into: T, r: T) => void) => {
    const out = new Map<K, T>();
    for (const r of rows) {
      const e = out.get(key(r));
      if (e) add(e, r);
      else out.set(key(r), { ...r });
    }
    return [...out.values()];
  };
  const text = (v: string | null) => v ?? '';
  const all = <K extends keyof AuditSummaryRows>(k: K): AuditSummaryRows[K] =>
    parts.flatMap((p) => p[k] as unknown[]) as AuditSummaryRows[K];
  return {
    byEventStatus: sum(
      all('byEventStatus'),
      (r) => `${r.event}\n${r.status}`,
      (e, r) => {
        e.count += r.count;
      },
    ),
    byActor: sum(
      all('byActor'),
      (r) => JSON.stringify([r.actorType, r.actorName, r.agent]),
      (e, r) => {
        e.count += r.count;
        e.denied += r.denied;
      },
    )
      .sort((a, b) => b.count - a.count || cmp(text(a.actorName), text(b.actorName)))
      .slice(0, limit),
    byPath: sum(
      all('byPath'),
      (r) => r.path,
      (e, r) => {
        e.reads += r.reads;
        e.writes += r.writes;
        e.denied += r.denied;
        e.count += r.count;
        if (e.tier === null || (r.tier !== null && r.tier > e.tier)) e.tier = r.tier;
      },
    )
      .sort((a, b) => b.count - a.count || cmp(a.path, b.path))
      .slice(0, limit),
    byAddress: sum(
      all('byAddress'),
      (r) => r.ip,
      (e, r) => {
        e.count += r.count;
        e.denied += r.denied;
      },
    )
      .sort((a, b) => b.count - a.count || cmp(text(a.ip), text(b.ip)))
      .slice(0, limit),
    byHour: sum(
      all('byHour'),
      (r) => r.hour,
      (e, r) => {
        e.count += r.count;
        e.reads += r.reads;
        e.denied += r.denied;
      },
    ).sort((a, b) => a.hour - b.hour),
    denials: sum(
      all('denials'),
      (r) => `${r.event}\n${r.code}`,
      (e, r) => {
        e.count += r.count;
        if (e.reason === null || (r.reason !== null && r.reason < e.reason)) e.reason = r.reason;
      },
    )
      .sort((a, b) => b.count - a.count || cmp(a.event, b.event))
      .slice(0, limit),
    exchanges: mergeExchanges(all('exchanges')),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A JSON string as JSON.stringify writes it: no raw control character, only JSON's own escapes. */
const JSON_STRING = String.raw`"([^"\\\x01-\x1f]|\\(["\\/bfnrt]|u[0-9a-fA-F]{4}))*"`;
/**
 * The claims the vault writes (a flat JSON object of strings), matched exactly. PostgreSQL before 16
 * cannot ask whether text is JSON without failing the whole query on text that is not, and a claims
 * column edited behind the vault's back must not stop the anomaly checks (it fails its record's hash,
 * which they report).
 */
const CLAIMS_OBJECT = String.raw`^\{\}$|^\{${JSON_STRING}:${JSON_STRING}(,${JSON_STRING}:${JSON_STRING})*\}$`;

/** The column (or, for a claim, the expression) each audit grouping key reads, in each dialect (a fixed list: never text from a request). */
function auditColumns(d: Dialect): Record<Exclude<AuditGroupKey, 'slot'>, string> {
  const claim = (name: string) =>
    d === 'sqlite'
      ? `CASE WHEN json_valid(claims) THEN json_extract(claims, '$.${name}') END`
      : `CASE WHEN claims ~ '${CLAIMS_OBJECT}' THEN claims::json ->> '${name}' END`;
  return {
    event: 'event',
    status: 'status',
    actorType: 'actor_type',
    actorName: 'actor_name',
    agent: 'agent',
    tokenId: 'token_id',
    path: 'path',
    tier: 'tier',
    ip: 'ip',
    claims: 'claims',
    // GitHub names the repository, GitLab the project; a claim set without a ref groups under ''.
    repository: `COALESCE(${claim('repository')}, ${claim('project_path')})`,
    ref: `COALESCE(${claim('ref')}, '')`,
  };
}

export class SqlStore implements Store {
  readonly changes: Changes = makeChanges(
    () => this.keys(),
    (table, row) => this.freshness?.check(table, row),
  );
  private queue: Pending[] = [];
  private scheduled = false;
  private flushing = false;
  private integrity: RowIntegrity | undefined;
  private freshness: RowFreshness | undefined;

  /** The audit grouping expressions of this store's dialect. */
  private readonly columns: ReturnType<typeof auditColumns>;

  constructor(readonly driver: Driver) {
    this.columns = auditColumns(driver.dialect);
  }

  useIntegrity(integrity: RowIntegrity, freshness?: RowFreshness): void {
    this.integrity = integrity;
    this.freshness = freshness;
  }

  private keys(): RowIntegrity {
    if (!this.integrity) throw new Error('the store read or wrote a row before its keys were loaded');
    return this.integrity;
  }

  /** A mapped row, if its MAC verifies (`mac` is the row's MAC column, or the alias of a join's). */
  private checked<T extends Table>(table: T, row: Parameters<(typeof rowFields)[T]>[0], mac: unknown) {
    const authentic = verified(this.keys(), table, row, mac);
    try {
      this.freshness?.check(table, authentic);
    } catch (err) {
      if (typeof err === 'object' && err !== null) this.refusedAsOlder.add(err);
      throw err;
    }
    return authentic;
  }

  /** The errors of rows the freshness index refused (as older than the log says), for `fresh`. */
  private readonly refusedAsOlder = new WeakSet<object>();

  /**
   * Runs a read outside a transaction, again if the freshness index refused a row it read while the
   * index took in new records. On PostgreSQL such a read sees the rows as they were when its
   * statement began, on a pooled connection of its own, while the vault notes a commit that lands
   * meanwhile (its own, or another replica's): the row it read is then honestly older than the
   * index, and a read begun after that note sees the commit. A row refused by an index that did
   * not move while it was read is an earlier copy put back, and so is one still refused after a few
   * tries. (SQLite reads run whole before anything else does: nothing moves under them.)
   */
  private async fresh<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const before = this.freshness?.generation;
      try {
        return await read();
      } catch (err) {
        const raced = typeof err === 'object' && err !== null && this.refusedAsOlder.has(err) && this.freshness?.generation !== before;
        if (!raced || attempt >= FRESH_READ_TRIES) throw err;
      }
    }
  }

  /** One row, mapped by `map` (which checks it), by `fresh`. */
  private row<T>(sql: string, args: readonly unknown[], map: (r: Row) => T): Promise<T | undefined> {
    return this.fresh(async () => {
      const r = await this.one(sql, args);
      return r ? map(r) : undefined;
    });
  }

  /** Rows, each mapped by `map` (which checks it), by `fresh`. */
  private rows<T>(sql: string, args: readonly unknown[], map: (r: Row) => T): Promise<T[]> {
    return this.fresh(async () => (await this.many(sql, args)).map(map));
  }

  async migrate(keys: MigrationKeys) {
    return this.driver.transaction(migrations(this.driver.dialect, keys));
  }

  private one(sql: string, args: readonly unknown[] = []): Promise<Row | undefined> {
    return this.driver.statement({ kind: 'get', sql, args }) as Promise<Row | undefined>;
  }

  private many(sql: string, args: readonly unknown[] = []): Promise<Row[]> {
    return this.driver.statement({ kind: 'all', sql, args }) as Promise<Row[]>;
  }

  async getMeta(key: string) {
    return (await this.one('SELECT value FROM meta WHERE key = ?', [key]))?.value as string | undefined;
  }

  async setMeta(key: string, value: string) {
    await this.driver.read(
      run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]),
    );
  }

  async setMetaIfAbsent(key: string, value: string) {
    await this.driver.read(run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]));
    return (await this.getMeta(key)) as string;
  }

  getUser(id: string) {
    return this.row('SELECT * FROM users WHERE id = ?', [id], (r) => this.checked('users', toUser(r), r.mac));
  }

  getUserByName(name: string) {
    return this.row('SELECT * FROM users WHERE name = ?', [name], (r) => this.checked('users', toUser(r), r.mac));
  }

  listUsers() {
    return this.rows('SELECT * FROM users ORDER BY created_at, name', [], (r) => this.checked('users', toUser(r), r.mac));
  }

  getApprovalPolicy() {
    return this.row('SELECT * FROM approval_policy WHERE id = 1', [], (r) => this.checked('approval_policy', toApprovalPolicy(r), r.mac));
  }

  async getApproval(id: string) {
    const row = await this.row('SELECT * FROM approvals WHERE id = ?', [id], (r) => this.checked('approvals', toApproval(r), r.mac));
    if (!row) return undefined;
    return { row, decisions: await this.listApprovalDecisions([id]) };
  }

  async listApprovals(filter: { statuses?: readonly string[]; requesterId?: string; limit: number }) {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.statuses?.length) {
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
      args.push(...filter.statuses);
    }
    if (filter.requesterId) {
      where.push('requester_id = ?');
      args.push(filter.requesterId);
    }
    const sql = `SELECT * FROM approvals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`;
    return this.rows(sql, [...args, filter.limit], (r) => this.checked('approvals', toApproval(r), r.mac));
  }

  async listApprovalDecisions(ids: readonly string[]) {
    if (ids.length === 0) return [];
    return this.rows(
      `SELECT * FROM approval_decisions WHERE approval_id IN (${ids.map(() => '?').join(', ')}) ORDER BY time, user_id`,
      ids,
      (r) => this.checked('approval_decisions', toDecision(r), r.mac),
    );
  }

  private agentBy(column: 'name' | 'id' | 'key_id', value: string) {
    return this.row(`SELECT * FROM agents WHERE ${column} = ?`, [value], (r) => this.checked('agents', toAgent(r), r.mac));
  }

  getAgentByName(name: string) {
    return this.agentBy('name', name);
  }

  getAgentById(id: string) {
    return this.agentBy('id', id);
  }

  async getAgentByKeyId(keyId: string, now?: number) {
    const agent = await this.agentBy('key_id', keyId);
    if (agent || now === undefined) return agent;
    // A key replaced with an overlap still opens its agent until its time is up.
    const prev = await this.row('SELECT * FROM agent_previous_keys WHERE key_id = ?', [keyId], (r) =>
      this.checked('agent_previous_keys', toPreviousKey(r), r.mac),
    );
    if (!prev || prev.until <= now) return undefined;
    const owner = await this.agentBy('id', prev.agentId);
    return owner ? { ...owner, keyId: prev.keyId, keyHash: prev.keyHash, replacedKeyUntil: prev.until } : undefined;
  }

  listAgents() {
    return this.rows('SELECT * FROM agents ORDER BY created_at, name', [], (r) => this.checked('agents', toAgent(r), r.mac));
  }

  getToken(id: string) {
    return this.row('SELECT * FROM tokens WHERE id = ?', [id], (r) => this.checked('tokens', toToken(r), r.mac));
  }

  getTokenWithAgent(id: string) {
    return this.row(TOKEN_WITH_AGENT, [id], (r) => ({
      token: this.checked('tokens', toToken(r), r.mac),
      agent: this.checked('agents', toAgent(r, 'a_'), r.a_mac),
    }));
  }

  async listTokens(filter: { agentId?: string; activeAt?: number; createdSince?: number; createdBefore?: number }) {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.agentId) {
      where.push('agent_id = ?');
      args.push(filter.agentId);
    }
    if (filter.createdSince !== undefined) {
      where.push('created_at >= ?');
      args.push(filter.createdSince);
    }
    if (filter.createdBefore !== undefined) {
      where.push('created_at < ?');
      args.push(filter.createdBefore);
    }
    if (filter.activeAt !== undefined) {
      where.push('revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)');
      args.push(filter.activeAt);
    }
    const sql = `SELECT * FROM tokens ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`;
    return this.rows(sql, args, (r) => this.checked('tokens', toToken(r), r.mac));
  }

  async spendToken(id: string, n: number, now: number): Promise<SpendResult> {
    // One conditional UPDATE: the check and the spend cannot be separated by another request.
    const spent = await this.one(
      'UPDATE tokens SET uses = uses + ? WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses + ? <= max_uses) RETURNING uses',
      [n, id, now, n],
    );
    if (spent) return { ok: true, uses: Number(spent.uses) };
    // Only to say why: nothing was spent.
    const t = await this.one('SELECT revoked_at, expires_at FROM tokens WHERE id = ?', [id]);
    if (!t) return { ok: false, reason: 'not_found' };
    if (t.revoked_at !== null) return { ok: false, reason: 'revoked' };
    if (Number(t.expires_at) <= now) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'exhausted' };
  }

  getSecret(path: string) {
    return this.row('SELECT * FROM secrets WHERE path = ?', [path], (r) => this.checked('secrets', toSecret(r), r.mac));
  }

  getSecretStages(path: string) {
    return this.row('SELECT * FROM secret_stages WHERE path = ?', [path], (r) => this.checked('secret_stages', toStages(r), r.mac));
  }

  async getRotation(id: string) {
    const r = await this.one('SELECT * FROM rotations WHERE id = ?', [id]);
    return r ? toRotation(r) : undefined;
  }

  listRotationPolicies() {
    return this.rows('SELECT * FROM rotation_policies ORDER BY path', [], (r) => this.checked('rotation_policies', toPolicy(r), r.mac));
  }

  getSecretVersion(path: string, version: number) {
    return this.row('SELECT * FROM secret_versions WHERE path = ? AND version = ?', [path, version], (r) =>
      this.checked('secret_versions', toVersion(r), r.mac),
    );
  }

  readSecret(path: string, version?: number) {
    const [sql, args] = version === undefined ? [SECRET_WITH_CURRENT, [path]] : [SECRET_WITH_VERSION, [version, path]];
    return this.row(sql, args, (r) => ({
      // The secrets row's MAC covers its current version and deletion: neither can be set back.
      secret: this.checked('secrets', toSecret(r), r.mac),
      version: r.v_path === null || r.v_path === undefined ? undefined : this.checked('secret_versions', toVersion(r, 'v_'), r.v_mac),
    }));
  }

  async listSecrets(prefix: string, includeDeleted: boolean, limit?: number) {
    const deleted = includeDeleted ? '' : 'AND deleted_at IS NULL';
    const range = prefix === '' ? { sql: '1 = 1', args: [] as unknown[] } : prefixRange('path', prefix);
    const map = (r: Row) => this.checked('secrets', toSecret(r), r.mac);
    return limit === undefined
      ? this.rows(`SELECT * FROM secrets WHERE ${range.sql} ${deleted} ORDER BY path`, range.args, map)
      : this.rows(`SELECT * FROM secrets WHERE ${range.sql} ${deleted} ORDER BY path LIMIT ?`, [...range.args, limit], map);
  }

  listVersions(path: string) {
    return this.rows('SELECT * FROM secret_versions WHERE path = ? ORDER BY version', [path], (r) =>
      this.checked('secret_versions', toVersion(r), r.mac),
    );
  }

  commit<T>(change: Change<T> | null, entries: (result: T) => AuditEntry[], seal: AuditSealer): Promise<Committed<T>> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        change: change as Change<unknown> | null,
        entries: entries as (r: unknown) => AuditEntry[],
        seal,
        resolve: resolve as (c: Committed<unknown>) => void,
        reject,
      });
      this.schedule();
    });
  }

  /**
   * Group commit: what arrives within one turn of the event loop (and, on PostgreSQL, while the
   * previous batch is committing) goes into one transaction, and each caller's promise settles
   * only after that transaction commits, so nothing is released before its record is stored.
   */
  private schedule() {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush() {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.flushing = true;
    let outcomes: Outcome[];
    try {
      outcomes = await this.driver.transaction(flushProgram(batch));
    } catch (err) {
      const failed = new CommitFailed(err);
      for (const b of batch) b.reject(failed);
      return;
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    }
    for (const [i, b] of batch.entries()) {
      const o = outcomes[i] as Outcome;
      if (o.ok) b.resolve(o.value);
      else b.reject(o.error);
    }
  }

  async initAuditHead(genesisMac: string) {
    await this.driver.transaction(
      (function* () {
        const head = yield* get('SELECT seq FROM audit_head WHERE id = 1', [], { lock: true });
        const any = yield* get('SELECT seq FROM audit LIMIT 1');
        if (head || any) throw new Error('the audit log has already begun');
        yield* run('INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, ?, ?)', [GENESIS_HASH, genesisMac]);
      })(),
    );
  }

  /** The WHERE clause of an audit query (every filter is a bound argument). */
  private auditWhere(q: Omit<AuditQuery, 'limit' | 'newestFirst'>): { sql: string; args: unknown[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      args.push(...values);
    };
    const list = (column: string, values: readonly unknown[]) => add(`${column} IN (${values.map(() => '?').join(', ')})`, ...values);
    if (q.afterSeq !== undefined) add('seq > ?', q.afterSeq);
    if (q.upToSeq !== undefined) add('seq <= ?', q.upToSeq);
    if (q.since !== undefined) add('time >= ?', q.since);
    if (q.until !== undefined) add('time < ?', q.until);
    if (q.ranges) {
      if (q.ranges.length === 0) add('1 = 0');
      else add(`(${q.ranges.map(() => '(time >= ? AND time < ?)').join(' OR ')})`, ...q.ranges.flat());
    }
    if (q.eventTypes?.length) list('event', [...new Set(q.eventTypes)].sort());
    if (q.status) add('status = ?', q.status);
    if (q.actorType !== undefined) add('actor_type = ?', q.actorType);
    if (q.actorName !== undefined) add('actor_name = ?', q.actorName);
    if (q.agent !== undefined) add('agent = ?', q.agent);
    if (q.ip !== undefined) add('ip = ?', q.ip);
    if (q.tokenId !== undefined) add('token_id = ?', q.tokenId);
    if (q.tiers?.length) list('tier', [...new Set(q.tiers)].sort());
    if (q.paths) {
      if (q.paths.length === 0) add('1 = 0');
      else list('path', [...new Set(q.paths)].sort());
    }
    if (q.ips) {
      if (q.ips.length === 0) add('1 = 0');
      else list('ip', [...new Set(q.ips)].sort());
    }
    if (q.tokenIds) {
      if (q.tokenIds.length === 0) add('1 = 0');
      else list('token_id', [...new Set(q.tokenIds)].sort());
    }
    if (q.repository !== undefined) add(`${this.columns.repository} = ?`, q.repository);
    if (q.ref !== undefined) add(`${this.columns.ref} = ?`, q.ref);
    if (q.resourcePath) {
      const range = prefixRange('path', q.resourcePath);
      add(range.sql, ...range.args);
    }
    return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
  }

  async queryAudit(q: AuditQuery) {
    const { sql: where, args } = this.auditWhere(q);
    const order = (q.newestFirst ?? true) ? 'DESC' : 'ASC';
    if (q.limit !== undefined) args.push(Math.max(0, Math.floor(q.limit)));
    const limit = q.limit !== undefined ? 'LIMIT ?' : '';
    return (await this.many(`SELECT * FROM audit ${where} ORDER BY seq ${order} ${limit}`, args)).map(toAuditRecord);
  }

  async countAudit(q: AuditCountQuery): Promise<AuditCountRow[]> {
    const { sql: where, args } = this.auditWhere(q);
    const columns: string[] = [];
    const slotArgs: unknown[] = [];
    for (const k of q.groupBy) {
      if (k === 'slot') {
        const s = q.slot;
        if (!s || !(s.ms > 0)) throw new Error('countAudit: grouping by slot needs slot.ms');
        // Integer arithmetic on both dialects: node:sqlite binds every JS number as a REAL, which
        // would make the division fractional (one group per record), hence the casts.
        const int = 'CAST(? AS BIGINT)';
        columns.push(s.period ? `((time - ${int}) % ${int}) / ${int}` : `(time - ${int}) / ${int}`);
        slotArgs.push(
          ...(s.period ? [Math.floor(s.from), Math.floor(s.period), Math.floor(s.ms)] : [Math.floor(s.from), Math.floor(s.ms)]),
        );
      } else columns.push(this.columns[k]);
    }
    const keys = columns.map((c, i) => `${c} AS k${i}`);
    const groups = columns.map((_, i) => `k${i}`);
    // Ties in the same order on both stores (their NULLs sort apart by default).
    const sql = `SELECT ${[...keys, 'COUNT(*) AS n', 'MIN(time) AS t0', 'MAX(time) AS t1'].join(', ')} FROM audit ${where}${
      groups.length ? ` GROUP BY ${groups.join(', ')}` : ''
    } ORDER BY n DESC${groups.length ? `, ${groups.map((g) => `${g} NULLS FIRST`).join(', ')}` : ''} LIMIT ?`;
    const rows = await this.many(sql, [...slotArgs, ...args, Math.max(1, Math.floor(q.limit))]);
    return rows.map((r) => {
      const key: AuditCountRow['key'] = {};
      q.groupBy.forEach((k, i) => {
        const v = r[`k${i}`];
        key[k] = v === null || v === undefined ? null : k === 'slot' ? Math.floor(Number(v)) : String(v);
      });
      return { key, count: Number(r.n ?? 0), firstTime: Number(r.t0 ?? 0), lastTime: Number(r.t1 ?? 0) };
    });
  }

  async summarizeAudit(requestedSince: number, until: number, limit: number, now: number): Promise<AuditSummaryRows> {
    // Nothing is older than the log's first record: a `since` of years (or of 1970) must not make
    // and store a rollup for every hour before it.
    const oldest = await this.one('SELECT MIN(time) AS t FROM audit');
    const since = Math.max(requestedSince, oldest?.t === null || oldest?.t === undefined ? until : Number(oldest.t));
    // Whole hours that ended (with a margin for appends stamped just before) come from rollups.
    const first = Math.ceil(since / HOUR_MS) * HOUR_MS;
    const end = Math.min(Math.floor(until / HOUR_MS) * HOUR_MS, Math.floor((now - ROLLUP_MARGIN_MS) / HOUR_MS) * HOUR_MS);
    if (end - first < 2 * HOUR_MS) return this.summarizeRange(since, until, limit);
    const parts = await Promise.all([
      this.summarizeRange(since, first, SUMMARY_PART_LIMIT),
      this.rollups(first, end),
      this.summarizeRange(end, until, SUMMARY_PART_LIMIT),
    ]);
    return mergeSummaries([parts[0], ...parts[1], parts[2]], limit);
  }

  async rollUpAudit(from: number, now: number): Promise<number> {
    const first = Math.ceil(from / HOUR_MS) * HOUR_MS;
    const end = Math.floor((now - ROLLUP_MARGIN_MS) / HOUR_MS) * HOUR_MS;
    if (end <= first) return 0;
    const have = new Set(
      (await this.many('SELECT hour FROM audit_rollups WHERE hour >= ? AND hour < ?', [first, end])).map((r) => Number(r.hour)),
    );
    let made = 0;
    for (let h = first; h < end; h += HOUR_MS) {
      if (have.has(h)) continue;
      if ((await this.makeRollup(h)).sealed) made++;
    }
    return made;
  }

  /** The sealed rollups of the hours in [first, end), making those missing or failing their MAC. */
  private async rollups(first: number, end: number): Promise<AuditSummaryRows[]> {
    const rows = await this.many('SELECT hour, records, counts, mac FROM audit_rollups WHERE hour >= ? AND hour < ?', [first, end]);
    const have = new Map<number, AuditSummaryRows>();
    for (const r of rows) {
      const row = { hour: Number(r.hour), records: Number(r.records), counts: r.counts as string };
      if (!this.keys().rowMacValid('audit_rollups', rowFields.audit_rollups(row), r.mac)) continue; // altered: counted again
      try {
        have.set(row.hour, JSON.parse(row.counts) as AuditSummaryRows);
      } catch {}
    }
    const out: AuditSummaryRows[] = [];
    for (let h = first; h < end; h += HOUR_MS) out.push(have.get(h) ?? (await this.makeRollup(h)).counts);
    return out;
  }

  /** The hour's counts from the log, sealed as its rollup when the hour's records verify (see hourInChain). */
  private async makeRollup(hour: number): Promise<{ counts: AuditSummaryRows; sealed: boolean }> {
    const counts = await this.summarizeRange(hour, hour + HOUR_MS, SUMMARY_PART_LIMIT);
    const row = { hour, records: counts.byEventStatus.reduce((n, r) => n + r.count, 0), counts: JSON.stringify(counts) };
    if (!(await this.hourInChain(hour, row.records))) return { counts, sealed: false };
    await this.driver.statement({
      kind: 'run',
      sql: 'INSERT INTO audit_rollups (hour, records, counts, mac) VALUES (?, ?, ?, ?) ON CONFLICT (hour) DO UPDATE SET records = excluded.records, counts = excluded.counts, mac = excluded.mac',
      args: [row.hour, row.records, row.counts, macOf(this.keys(), 'audit_rollups', row)],
    });
    return { counts, sealed: true };
  }

  /**
   * Whether the hour's `records`, as the log holds them now, are a stretch of the chain: every record
   * from the last one before the hour to the first one after it is there, links to the one before
   * and matches its hash, and the hour's records are all among them. A rollup is sealed for good, so
   * it is made only from an hour that verifies: reads deleted (or edited) behind the vault's back
   * once the hour is over and put back after it was rolled up would otherwise stay out of every
   * summary, under a valid MAC. An hour that does not verify (or ends the log, or whose records a
   * replica's clock put out of order) is counted from the log each time, and the monitor's sweep
   * reports the log.
   */
  private async hourInChain(hour: number, records: number): Promise<boolean> {
    const end = hour + HOUR_MS;
    const before = await this.one('SELECT seq FROM audit WHERE time < ? ORDER BY time DESC, seq DESC LIMIT 1', [hour]);
    const after = await this.one('SELECT seq FROM audit WHERE time >= ? ORDER BY time, seq LIMIT 1', [end]);
    const head = await this.getAuditHead();
    if (!after || !head || Number(after.seq) > head.seq) return false;
    const from = before ? Number(before.seq) : 1;
    const to = Number(after.seq);
    if (to < from) return false;
    const stretch = (await this.many('SELECT * FROM audit WHERE seq >= ? AND seq <= ? ORDER BY seq', [from, to])).map(toAuditRecord);
    const first = stretch[0];
    if (!first || stretch.length !== to - from + 1 || (from === 1 && first.prevHash !== GENESIS_HASH)) return false;
    const verifier = new ChainVerifier({ after: { seq: from - 1, hash: first.prevHash }, maxProblems: 1 });
    for (const r of stretch) verifier.push(r);
    if (verifier.finish().problems.length > 0) return false;
    return stretch.filter((r) => r.time >= hour && r.time < end).length === records;
  }

  /** The summary's counts straight from the log (GROUP BYs over the time index). */
  private async summarizeRange(since: number, until: number, limit: number): Promise<AuditSummaryRows> {
    const w = 'time >= ? AND time < ?';
    const args = [since, until];
    const denied = "SUM(CASE WHEN status = 'denied' THEN 1 ELSE 0 END)";
    const code =
      this.driver.dialect === 'sqlite'
        ? "CASE WHEN instr(reason, ':') > 0 THEN substr(reason, 1, instr(reason, ':') - 1) ELSE 'other' END"
        : "CASE WHEN strpos(reason, ':') > 0 THEN split_part(reason, ':', 1) ELSE 'other' END";
    const n = (v: unknown) => Number(v ?? 0);
    const [byEventStatus, byActor, byPath, byAddress, byHour, denials, exchanges] = await Promise.all([
      this.many(`SELECT event, status, COUNT(*) AS n FROM audit WHERE ${w} GROUP BY event, status`, args),
      this.many(
        `SELECT actor_type, actor_name, agent, COUNT(*) AS n, ${denied} AS d FROM audit WHERE ${w} GROUP BY actor_type, actor_name, agent ORDER BY n DESC, COALESCE(actor_name, '') LIMIT ?`,
        [...args, limit],
      ),
      this.many(
        `SELECT path, MAX(tier) AS tier, SUM(CASE WHEN event = 'secret.read' AND status = 'granted' THEN 1 ELSE 0 END) AS r,
           SUM(CASE WHEN event IN ('secret.write', 'secret.delete', 'rotation.finish') AND status = 'granted' THEN 1 ELSE 0 END) AS wr,
           ${denied} AS d, COUNT(*) AS n
         FROM audit WHERE ${w} AND path IS NOT NULL GROUP BY path ORDER BY n DESC, path LIMIT ?`,
        [...args, limit],
      ),
      this.many(`SELECT ip, COUNT(*) AS n, ${denied} AS d FROM audit WHERE ${w} GROUP BY ip ORDER BY n DESC, COALESCE(ip, '') LIMIT ?`, [
        ...args,
        limit,
      ]),
      this.many(
        `SELECT time / 3600000 AS h, COUNT(*) AS n, SUM(CASE WHEN event = 'secret.read' AND status = 'granted' THEN 1 ELSE 0 END) AS r, ${denied} AS d
         FROM audit WHERE ${w} GROUP BY time / 3600000 ORDER BY h`,
        args,
      ),
      // Grouped by the reason's code (its text up to the first ':'), so ids in the text do not split a code.
      this.many(
        `SELECT event, ${code} AS code, MIN(reason) AS reason, COUNT(*) AS n FROM audit WHERE ${w} AND status IN ('denied', 'error') GROUP BY event, ${code} ORDER BY n DESC, event LIMIT ?`,
        [...args, limit],
      ),
      this.many(
        `SELECT status, claims, COUNT(*) AS n FROM audit WHERE ${w} AND event = 'token.exchange' GROUP BY status, claims ORDER BY n DESC LIMIT 10000`,
        args,
      ),
    ]);
    return {
      byEventStatus: byEventStatus.map((r) => ({ event: r.event as string, status: r.status as string, count: n(r.n) })),
      byActor: byActor.map((r) => ({
        actorType: r.actor_type as string,
        actorName: (r.actor_name as string | null) ?? null,
        agent: (r.agent as string | null) ?? null,
        count: n(r.n),
        denied: n(r.d),
      })),
      byPath: byPath.map((r) => ({
        path: r.path as string,
        tier: (r.tier as string | null) ?? null,
        reads: n(r.r),
        writes: n(r.wr),
        denied: n(r.d),
        count: n(r.n),
      })),
      byAddress: byAddress.map((r) => ({ ip: (r.ip as string | null) ?? null, count: n(r.n), denied: n(r.d) })),
      byHour: byHour.map((r) => ({ hour: Math.floor(n(r.h)) * 3_600_000, count: n(r.n), reads: n(r.r), denied: n(r.d) })),
      denials: denials.map((r) => ({
        event: r.event as string,
        code: (r.code as string | null) ?? 'other',
        reason: (r.reason as string | null) ?? null,
        count: n(r.n),
      })),
      exchanges: mergeExchanges(
        exchanges.map((r) => ({
          status: r.status as string,
          claims: typeof r.claims === 'string' ? pipelineNames(auditClaims(r.claims) ?? {}) : null,
          count: n(r.n),
        })),
      ),
    };
  }

  async getAuditHead() {
    const r = await this.one('SELECT seq, hash, mac FROM audit_head WHERE id = 1');
    return r ? { seq: Number(r.seq), hash: r.hash as string, mac: r.mac as string } : undefined;
  }

  async getAuditTail() {
    const r = await this.one('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    return r ? { seq: Number(r.seq), hash: r.hash as string } : undefined;
  }

  private failuresRecorded = 0;

  async recordFailures(failures: readonly { key: string; threshold: number }[], now: number, policy: LockoutPolicy) {
    // Every so often the dead counters go, so guesses from ever new addresses leave no lasting rows.
    if (++this.failuresRecorded % 256 === 0) await this.pruneLockouts(now, policy);
    return this.driver.transaction(
      (function* () {
        const out: { row: LockoutRow; lockedNow: boolean }[] = [];
        // In key order, so two replicas locking the same pair of rows cannot deadlock.
        for (const f of [...failures].sort((a, b) => (a.key < b.key ? -1 : 1))) {
          // The row exists before it is locked, so a replica counting the same key at the same moment
          // waits for this one instead of writing over it.
          yield* run(
            'INSERT INTO lockouts (key, failures, window_start, strikes, locked_until, last_failure, refused) VALUES (?, 0, ?, 0, 0, 0, 0) ON CONFLICT (key) DO NOTHING',
            [f.key, now],
          );
          const stored = yield* get('SELECT * FROM lockouts WHERE key = ?', [f.key], { lock: true });
          const next = addFailure(stored && toLockout(stored), f.key, now, f.threshold, policy);
          const r = next.row;
          const updated = yield* run(
            'UPDATE lockouts SET failures = ?, window_start = ?, strikes = ?, locked_until = ?, last_failure = ?, refused = ? WHERE key = ?',
            [r.failures, r.windowStart, r.strikes, r.lockedUntil, r.lastFailure, r.refused, r.key],
          );
          // (Pruned in between by another replica: the row is written afresh.)
          if (updated === 0) {
            yield* run(
              'INSERT INTO lockouts (key, failures, window_start, strikes, locked_until, last_failure, refused) VALUES (?, ?, ?, ?, ?, ?, ?)',
              [r.key, r.failures, r.windowStart, r.strikes, r.lockedUntil, r.lastFailure, r.refused],
            );
          }
          out.push(next);
        }
        return failures.map((f) => out.find((o) => o.row.key === f.key) as { row: LockoutRow; lockedNow: boolean });
      })(),
    );
  }

  async listLockouts(now: number, policy: LockoutPolicy) {
    await this.pruneLockouts(now, policy);
    const rows = await this.many(`SELECT * FROM lockouts ORDER BY locked_until DESC, key LIMIT ${LOCKOUT_LISTING}`);
    return rows.map(toLockout).filter((r) => rowLive(r, now, policy));
  }

  /** Drops the counters that have nothing left to say (see `rowLive`), in one statement. */
  private async pruneLockouts(now: number, policy: LockoutPolicy) {
    await this.driver.read(
      run(
        'DELETE FROM lockouts WHERE locked_until <= ? AND window_start <= ? AND (strikes = 0 OR (last_failure <= ? AND locked_until <= ?))',
        [now, now - policy.windowMs, now - policy.maxMs, now - policy.maxMs],
      ),
    );
  }

  private rateTakes = 0;
  /** The embedded store's rate windows (see takeRate). */
  private readonly rateWindows = new Map<string, RateWindow>();

  async takeRate(key: string, now: number, limit: number, n = 1) {
    const windowStart = Math.floor(now / RATE_WINDOW_MS) * RATE_WINDOW_MS;
    // The embedded SQLite store has one process, so its windows are that process's own: exact,
    // and without a write on every read (a restart starts the minute afresh). PostgreSQL, shared
    // by replicas, keeps them in a table.
    if (this.driver.dialect === 'sqlite') return this.takeRateInMemory(key, now, windowStart, limit, n);
    if (++this.rateTakes % 1000 === 0) {
      await this.driver.read(run('DELETE FROM rate_windows WHERE window_start < ?', [windowStart - RATE_WINDOW_MS]));
    }
    const r = (await this.one(TAKE_RATE, [key, windowStart, n])) as Row;
    const window = { windowStart: Number(r.window_start), count: Number(r.count), previous: Number(r.previous) };
    if (rateEstimate(window, now) <= limit) return { ok: true as const };
    // Over the limit: give the requests back, so a client that waits as told is served.
    await this.driver.read(
      run('UPDATE rate_windows SET count = count - ? WHERE key = ? AND window_start = ? AND count >= ?', [n, key, window.windowStart, n]),
    );
    return { ok: false as const, window: { ...window, count: window.count - n } };
  }

  private takeRateInMemory(key: string, now: number, windowStart: number, limit: number, n: number) {
    if (++this.rateTakes % 1000 === 0) {
      for (const [k, w] of this.rateWindows) if (w.windowStart < windowStart - RATE_WINDOW_MS) this.rateWindows.delete(k);
    }
    const stored = this.rateWindows.get(key);
    const window: RateWindow =
      !stored || stored.windowStart < windowStart - RATE_WINDOW_MS
        ? { windowStart, count: 0, previous: 0 }
        : stored.windowStart < windowStart
          ? { windowStart, count: 0, previous: stored.count }
          : stored;
    if (rateEstimate({ ...window, count: window.count + n }, now) > limit) {
      this.rateWindows.set(key, window);
      return { ok: false as const, window: { ...window } };
    }
    this.rateWindows.set(key, { ...window, count: window.count + n });
    return { ok: true as const };
  }

  useJti(issuer: string, jti: string, exp: number, now: number) {
    return this.driver.transaction(
      (function* () {
        yield* run('DELETE FROM oidc_jti WHERE exp < ?', [now - 3600_000]);
        return (yield* run('INSERT INTO oidc_jti (issuer, jti, exp) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [issuer, jti, exp])) === 1;
      })(),
    );
  }

  async close() {
    // Let a pending group commit finish before the connection goes.
    while (this.scheduled || this.flushing || this.queue.length > 0) await new Promise((r) => setImmediate(r));
    await this.driver.close();
  }
}
