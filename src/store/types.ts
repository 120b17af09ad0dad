/**
 * The storage contract. Both adapters (the embedded SQLite default and PostgreSQL) are one
 * implementation over a small driver (src/store/sql/), and pass the same contract tests.
 *
 * Reads are plain methods. Every change the vault makes on a caller's behalf is a `Change`: a
 * program the caller hands to `commit` together with the audit records that describe it, and the
 * two land in one transaction or not at all. The operations that must be atomic under concurrency
 * (spending token uses, a new secret version, the audit chain, a `jti`) are each one statement or
 * one transaction.
 */

import type { AuditEntry, AuditHead, AuditRecord } from '../core/audit-chain.js';
import type { LockoutPolicy, LockoutRow, RateWindow } from '../core/limits.js';
import type { ApprovalKind, ApprovalStatus, AuditStatus, Role, SecretType, Tier, TrustPolicy } from '../core/model.js';
import type { Program } from './sql/program.js';

export type { AuditEntry, AuditHead, AuditRecord } from '../core/audit-chain.js';
export { type AuditStatus, ROLES, type Role, SECRET_TYPES, type SecretType, TIERS, type Tier, type TrustPolicy } from '../core/model.js';

export interface UserRow {
  id: string;
  name: string;
  role: Role;
  tokenHash: string;
  /** May decide approval requests (admins may anyway). */
  approver: boolean;
  createdAt: number;
  revokedAt: number | null;
}

export interface AgentRow {
  id: string;
  name: string;
  scopes: string[];
  description: string | null;
  trustPolicy: TrustPolicy | null;
  keyId: string;
  keyHash: string;
  createdAt: number;
  revokedAt: number | null;
  /**
   * Set when the agent was reached through a key it replaced (see getAgentByKeyId): until when
   * that key works. Such a key may finish its work, never rotate the agent's key again.
   */
  replacedKeyUntil?: number;
}

/** A scoped token (`ass_t_`, issued by an agent) or a pipeline token (`ass_p_`, from the OIDC exchange). */
export type TokenKind = 'token' | 'pipeline';

/** One hour's summary counts (AuditSummaryRows as JSON), sealed: derived from the log, never trusted unsealed. */
export interface AuditRollupRow {
  /** The hour's start, ms since the epoch. */
  hour: number;
  records: number;
  counts: string;
}

export interface TokenRow {
  id: string;
  kind: TokenKind;
  agentId: string;
  hash: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
  maxUses: number | null;
  uses: number;
  allowedIps: string[];
  description: string | null;
  /** For pipeline tokens: the CI claims it is bound to (repository, run_id, run_attempt, ...). */
  claims: Record<string, string> | null;
  revokedAt: number | null;
}

export interface SecretRow {
  path: string;
  version: number;
  type: SecretType;
  tier: Tier;
  description: string | null;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/**
 * A secret's rotation stages: the rotation holding its lease (and the version it has put, not yet
 * current), and the version a finished rotation replaced, readable until `previousUntil`.
 */
export interface SecretStagesRow {
  path: string;
  rotationId: string | null;
  rotator: string | null;
  leaseUntil: number | null;
  pendingVersion: number | null;
  previousVersion: number | null;
  previousUntil: number | null;
  updatedAt: number;
}

/** One rotation, for reruns (the same id resumes, or answers how it ended) and for the record. */
export interface RotationRow {
  id: string;
  path: string;
  rotator: string;
  state: 'pending' | 'finished' | 'aborted';
  startedBy: string;
  startedAt: number;
  finishedAt: number | null;
  fromVersion: number;
  toVersion: number | null;
  reason: string | null;
}

/** A rotation policy for one secret (`path`) or every secret below a prefix (`prefix/*`). */
export interface RotationPolicyRow {
  path: string;
  rotator: string;
  settings: Record<string, unknown>;
  /** Seconds; null: the default for the secret's type and tier. */
  intervalSeconds: number | null;
  graceSeconds: number;
  notify: Record<string, unknown> | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
}

/** One rule of an approval policy: how many distinct approvers, how long a request waits. */
export interface ApprovalRule {
  requiredApprovals: number;
  timeoutSeconds: number;
}

/** The approval policy: a rule per tier, rules per path prefix (longest wins), who may approve, the webhook. */
export interface ApprovalPolicy {
  tiers: Record<Tier, ApprovalRule>;
  prefixes: (ApprovalRule & { prefix: string; tier: Tier | null; approvers: string[] })[];
  /** Only these users may approve (each must be an admin or an approver); empty: every admin and approver. */
  approvers: string[];
  notify: { webhook: string; webhookSecret: string } | null;
}

export interface ApprovalPolicyRow {
  policy: ApprovalPolicy;
  /** The time of the change that wrote it (ms); the freshness index knows the latest. */
  revision: number;
  updatedBy: string;
}

/** What a held request asked for, to release exactly that on collection. */
export interface ApprovalAsk {
  /** Token requests: the scopes, TTL, uses and allowlist asked for. */
  scopes: string[];
  ttlSeconds: number | null;
  maxUses: number | null;
  allowedIps: string[];
  /** Reads: the paths and prefixes of the read, and the version or stage asked for. */
  read: { paths: string[]; prefixes: string[]; version: number | null; stage: 'previous' | null } | null;
  /**
   * The only users the policy let decide when the request was made (null: every admin and
   * approver); a later relabelling of a secret does not widen it. Set by the vault, not asked for.
   */
  allowedApprovers?: string[] | null;
}

/** One approval request (a held token request, OIDC exchange or read). */
export interface ApprovalRow {
  id: string;
  kind: ApprovalKind;
  status: ApprovalStatus;
  requesterType: 'user' | 'agent' | 'token' | 'pipeline';
  /** The user's or the agent's id. */
  requesterId: string;
  requesterName: string;
  /** The token that asked (a held read made with a token). */
  tokenId: string | null;
  /** A pipeline's CI claims (repository, workflow, ref, run). */
  claims: Record<string, string> | null;
  /** The secrets the approvers decide on. */
  paths: string[];
  ask: ApprovalAsk;
  description: string | null;
  ip: string;
  requiredApprovals: number;
  /** Who could approve when it was made (eligibility is checked again at each decision). */
  approvers: string[];
  rule: string;
  createdAt: number;
  expiresAt: number;
  decidedAt: number | null;
  collectedAt: number | null;
  collectedTokenId: string | null;
}

export interface ApprovalDecisionRow {
  approvalId: string;
  userId: string;
  userName: string;
  decision: 'approve' | 'deny';
  reason: string | null;
  time: number;
}

/** An agent's replaced key, accepted until `until` (a key rotated with an overlap). */
export interface PreviousAgentKeyRow {
  keyId: string;
  agentId: string;
  keyHash: string;
  until: number;
}

export interface SecretVersionRow {
  path: string;
  version: number;
  type: SecretType;
  tier: Tier;
  ciphertext: Uint8Array;
  createdAt: number;
  createdBy: string;
  deletedAt: number | null;
}

/**
 * How the audit service seals new records; the store calls it inside its serialised append.
 * `verifyHead` runs first, on the stored head and the last stored record: it throws when they do
 * not match or the head is not authentic, and the append (with every change it carries) fails.
 * So a log truncated or rewritten behind the vault's back is never silently extended.
 */
export interface AuditSealer {
  /** The MAC of the genesis head (seq 0), written when a vault is created. */
  genesisMac(): string;
  verifyHead(head: AuditHead | undefined, last: { seq: number; hash: string } | undefined): void;
  seal(entry: AuditEntry, seq: number, prevHash: string): { hash: string; headMac: string };
}

export interface AuditQuery {
  limit?: number;
  afterSeq?: number;
  since?: number;
  eventTypes?: readonly string[];
  status?: AuditStatus;
  resourcePath?: string;
  /** Only records before this time. */
  until?: number;
  actorType?: string;
  actorName?: string;
  agent?: string;
  ip?: string;
  tiers?: readonly string[];
  tokenId?: string;
  /** Only records of exactly these paths (resourcePath is a prefix). */
  paths?: readonly string[];
  /** Only records from one of these client addresses. */
  ips?: readonly string[];
  /** Only records naming one of these tokens. */
  tokenIds?: readonly string[];
  /** Only records whose CI claims name this repository (`repository`, or GitLab's `project_path`). */
  repository?: string;
  /** Only records whose CI claims name this ref (no `ref` claim: ''). */
  ref?: string;
  /** Only records in one of these windows, [from, to) each. */
  ranges?: readonly (readonly [number, number])[];
  /** Only records up to this sequence number (a consistent view while others append). */
  upToSeq?: number;
  /** Newest first (default true for queries, false for exports and verification). */
  newestFirst?: boolean;
}

/** What `countAudit` can group records by (`slot`: the record's time slot, see AuditCountQuery). */
export const AUDIT_GROUP_KEYS = [
  'event',
  'status',
  'actorType',
  'actorName',
  'agent',
  'tokenId',
  'path',
  'tier',
  'ip',
  'claims',
  /** The repository its CI claims name (`repository`, or GitLab's `project_path`). */
  'repository',
  /** The ref its CI claims name ('' when they name none). */
  'ref',
  'slot',
] as const;
export type AuditGroupKey = (typeof AUDIT_GROUP_KEYS)[number];

export interface AuditCountQuery extends Omit<AuditQuery, 'limit' | 'afterSeq' | 'newestFirst'> {
  groupBy: readonly AuditGroupKey[];
  /** The slot a record falls in: floor(((time - from) mod period) / ms); without period, floor((time - from) / ms). */
  slot?: { from: number; ms: number; period?: number };
  /** At most this many groups, the largest first. */
  limit: number;
}

export interface AuditCountRow {
  key: Partial<Record<AuditGroupKey, string | number | null>>;
  count: number;
  firstTime: number;
  lastTime: number;
}

/** Counts over one window of the audit log, grouped the ways a summary reads them (the store's GROUP BYs). */
export interface AuditSummaryRows {
  byEventStatus: { event: string; status: string; count: number }[];
  /** Busiest first, at most `limit`. */
  byActor: { actorType: string; actorName: string | null; agent: string | null; count: number; denied: number }[];
  byPath: { path: string; tier: string | null; reads: number; writes: number; denied: number; count: number }[];
  byAddress: { ip: string | null; count: number; denied: number }[];
  /** Hour buckets (ms since the epoch of the hour's start). */
  byHour: { hour: number; count: number; reads: number; denied: number }[];
  /** Refusals by event and reason, most frequent first, at most `limit`. */
  denials: { event: string; code: string; reason: string | null; count: number }[];
  /** The OIDC exchanges in the window by result and by the claims that name the pipeline (at most 10,000 groups). */
  exchanges: { status: string; claims: Record<string, string> | null; count: number }[];
}

export type SpendResult = { ok: true; uses: number } | { ok: false; reason: 'not_found' | 'revoked' | 'expired' | 'exhausted' };

/**
 * A change to commit with its audit records. Opaque to callers: made by `store.changes`, run by
 * `store.commit` inside the transaction that also appends the audit records.
 */
export interface Change<T> {
  readonly program: () => Program<T>;
}

export interface Changes {
  createUser(user: UserRow): Change<'created' | 'name_taken'>;
  /** Refuses to revoke the last active admin (two admins revoking each other must not leave none). */
  revokeUser(id: string, now: number): Change<'revoked' | 'not_active' | 'last_admin'>;
  createAgent(agent: AgentRow): Change<'created' | 'name_taken'>;
  /** Revokes the agent's key and every live token it issued; `revoked` is false if it already was. */
  revokeAgent(id: string, now: number): Change<{ revoked: boolean; tokensRevoked: number }>;
  createToken(token: TokenRow): Change<void>;
  revokeToken(id: string, now: number): Change<boolean>;
  /**
   * Writes version `version` of a path; `conflict` unless the current version is exactly
   * `version - 1`, `rotating` while a rotation holds the secret's lease.
   */
  putSecretVersion(row: SecretVersionRow, description: string | null): Change<'ok' | 'conflict' | 'rotating'>;
  softDeleteSecret(path: string, now: number): Change<boolean>;
  /**
   * Passes every secret version's ciphertext to `rewrap` and stores what it returns (undefined:
   * leave the row). Returns how many rows changed (`ass rekey`).
   */
  /**
   * Takes a secret's rotation lease for `rotation` (a new one, or a rerun of the same id, which
   * resumes). Refused while another rotation holds an unexpired lease; a finished or aborted id
   * answers how it ended.
   */
  beginRotation(
    rotation: RotationRow,
    leaseUntil: number,
    now: number,
    force?: boolean,
  ): Change<
    | { result: 'begun' | 'resumed'; rotation: RotationRow; stages: SecretStagesRow }
    | { result: 'ended'; rotation: RotationRow }
    | { result: 'busy'; stages: SecretStagesRow }
    | { result: 'in_grace'; stages: SecretStagesRow }
    | { result: 'no_secret' }
    | { result: 'conflict_id'; rotation: RotationRow }
  >;
  /** Stores the pending value of the rotation holding the lease (again: it replaces the first). */
  putPendingVersion(
    rotationId: string,
    row: SecretVersionRow,
    now: number,
  ): Change<{ result: 'ok'; version: number } | { result: 'no_lease'; stages: SecretStagesRow | undefined }>;
  /** Makes the pending version current and the current one previous until `previousUntil`. */
  finishRotation(
    rotationId: string,
    path: string,
    now: number,
    previousUntil: number,
  ): Change<{ result: 'ok'; version: number; previousVersion: number } | { result: 'no_lease' | 'no_pending' }>;
  /** Forgets the previous version once the rotator revoked it at its provider (it is no longer readable at all). */
  retirePrevious(path: string, version: number, now: number): Change<'ok' | 'not_previous'>;
  /** Drops the pending version; the current one stays. */
  abortRotation(rotationId: string, path: string, now: number, reason: string): Change<'ok' | 'no_lease'>;
  putRotationPolicy(policy: RotationPolicyRow): Change<'created' | 'updated'>;
  deleteRotationPolicy(path: string): Change<boolean>;
  /** Gives an agent a new key; the old one is accepted until `previousUntil` (0: not at all). */
  rotateAgentKey(agentId: string, newKeyId: string, newKeyHash: string, previousUntil: number, now: number): Change<'ok' | 'not_active'>;
  /** Makes a user an approver, or no longer one. */
  setUserApprover(id: string, approver: boolean): Change<{ result: 'updated' | 'unchanged'; user: UserRow } | { result: 'not_active' }>;
  putApprovalPolicy(row: ApprovalPolicyRow, expectedRevision?: number): Change<'ok' | 'conflict'>;
  /**
   * Stores a new request, unless the same requester already has the same request pending (that one
   * is returned), or has `maxPending` pending already.
   */
  createApproval(
    row: ApprovalRow,
    now: number,
    maxPending: number,
  ): Change<{ result: 'created' | 'existing'; row: ApprovalRow } | { result: 'too_many' }>;
  /**
   * Records one approver's decision on a pending, unexpired request, in one transaction: N required
   * approvals take N distinct approvers; one denial ends it.
   */
  decideApproval(
    decision: ApprovalDecisionRow,
    now: number,
    /** Whose approvals count: the users who may still approve (a revoked or former approver's do not). */
    counts: ReadonlySet<string>,
  ): Change<
    | { result: 'approved' | 'recorded' | 'denied'; row: ApprovalRow; decisions: ApprovalDecisionRow[] }
    | { result: 'already_decided'; row: ApprovalRow; decisions: ApprovalDecisionRow[] }
    | { result: 'not_pending' | 'expired'; row: ApprovalRow }
    | { result: 'not_found' }
  >;
  /** Marks an approved, unexpired request collected (once), storing the token it released, if any. */
  collectApproval(
    id: string,
    now: number,
    token: TokenRow | null,
  ): Change<{ result: 'collected'; row: ApprovalRow } | { result: 'not_approved' | 'expired'; row: ApprovalRow } | { result: 'not_found' }>;
  /** Marks requests past their timeout (pending or approved, not collected) expired; returns them. */
  expireApprovals(now: number, limit: number): Change<ApprovalRow[]>;
  /** Ends the lockouts (and forgets the counters) of the given keys, or of every key; returns how many. */
  clearLockouts(keys: readonly string[] | 'all'): Change<number>;
  rewrapSecretVersions(rewrap: (row: { path: string; version: number; ciphertext: Uint8Array }) => Uint8Array | undefined): Change<number>;
}

/**
 * A commit's transaction failed as a whole (the audit head did not verify, or the records could not
 * be written): nothing it carried was kept. A change that fails on its own rejects with its own error.
 */
export class CommitFailed extends Error {
  constructor(cause: unknown) {
    super(`the audit transaction failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CommitFailed';
  }
}

/**
 * How the store authenticates the rows that carry authority (users, agents, tokens, secrets and
 * their versions): a MAC over each row's fields under a key the database never holds. A row whose
 * MAC does not verify is refused, never honoured (`integrity_failed`).
 */
export interface RowIntegrity {
  rowMac(table: string, fields: readonly unknown[]): string;
  rowMacValid(table: string, fields: readonly unknown[], mac: unknown): boolean;
}

/**
 * Whether a row that passed its MAC check is also the latest the vault wrote (see
 * src/server/freshness.ts): throws `integrity_failed` for an earlier copy put back.
 */
export interface RowFreshness {
  check(table: string, row: unknown): void;
  /**
   * Grows whenever the index takes in a record that may change it: a read that saw it grow may
   * have read a row from before a commit the index has since taken in (see SqlStore's `fresh`).
   */
  readonly generation: number;
}

/** What a migration may need besides SQL: the keys, to seal rows that earlier versions left unsealed. */
export interface MigrationKeys extends RowIntegrity {
  /** The keyed form of a credential's bare SHA-256 digest (hex), as earlier versions stored it. */
  rekeyDigest(digestHex: string): string;
}

/** What `commit` hands back: the change's result and the records appended with it. */
export interface Committed<T> {
  result: T;
  records: AuditRecord[];
}

export interface Store {
  /**
   * Gives the store the keys that authenticate its rows. Until then it reads settings only: every
   * read or write of a row that carries authority needs them.
   */
  useIntegrity(integrity: RowIntegrity, freshness?: RowFreshness): void;
  /** Runs the migrations from the store's schema version to this build's, in one transaction (`ass migrate`). */
  migrate(keys: MigrationKeys): Promise<{ from: number; to: number }>;

  /** Free-form settings (the sealed audit key, the schema version). */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /** Stores `value` unless the key exists; returns what is stored (safe when replicas race). */
  setMetaIfAbsent(key: string, value: string): Promise<string>;

  getUser(id: string): Promise<UserRow | undefined>;
  getUserByName(name: string): Promise<UserRow | undefined>;
  listUsers(): Promise<UserRow[]>;

  getApprovalPolicy(): Promise<ApprovalPolicyRow | undefined>;
  getApproval(id: string): Promise<{ row: ApprovalRow; decisions: ApprovalDecisionRow[] } | undefined>;
  /** Newest first; `requesterId` narrows to one user's or agent's requests. */
  listApprovals(filter: { statuses?: readonly string[]; requesterId?: string; limit: number }): Promise<ApprovalRow[]>;
  listApprovalDecisions(ids: readonly string[]): Promise<ApprovalDecisionRow[]>;

  getAgentByName(name: string): Promise<AgentRow | undefined>;
  getAgentById(id: string): Promise<AgentRow | undefined>;
  /** The agent a key opens; with `now`, also through a replaced key whose overlap has not ended (as that key). */
  getAgentByKeyId(keyId: string, now?: number): Promise<AgentRow | undefined>;
  listAgents(): Promise<AgentRow[]>;

  getToken(id: string): Promise<TokenRow | undefined>;
  /** A token and the agent that issued it, in one query (every request made with a token needs both). */
  getTokenWithAgent(id: string): Promise<{ token: TokenRow; agent: AgentRow } | undefined>;
  /** Tokens, newest first: live at `activeAt`, or created in [createdSince, createdBefore). */
  listTokens(filter: { agentId?: string; activeAt?: number; createdSince?: number; createdBefore?: number }): Promise<TokenRow[]>;
  /**
   * Atomically spends `n` uses of a live token (not revoked, not expired, and with at least `n`
   * uses left). Concurrent callers can never together spend more than `maxUses`.
   */
  spendToken(id: string, n: number, now: number): Promise<SpendResult>;

  getSecret(path: string): Promise<SecretRow | undefined>;
  getSecretStages(path: string): Promise<SecretStagesRow | undefined>;
  getRotation(id: string): Promise<RotationRow | undefined>;
  listRotationPolicies(): Promise<RotationPolicyRow[]>;
  getSecretVersion(path: string, version: number): Promise<SecretVersionRow | undefined>;
  /** A secret and one of its versions (the current one by default), in one query. */
  readSecret(path: string, version?: number): Promise<{ secret: SecretRow; version: SecretVersionRow | undefined } | undefined>;
  /** The secrets at or below `prefix` in path order; with `limit`, at most that many (the first ones). */
  listSecrets(prefix: string, includeDeleted: boolean, limit?: number): Promise<SecretRow[]>;
  listVersions(path: string): Promise<SecretVersionRow[]>;

  readonly changes: Changes;
  /**
   * Runs `change` (if any), then appends the records `entries` returns for its result, in one
   * transaction. If the change or `entries` throws, nothing of it is kept and the promise rejects
   * with that error; if the records cannot be appended, the change is not kept either. Records get
   * gapless sequence numbers; commits from concurrent requests may share one transaction.
   */
  commit<T>(change: Change<T> | null, entries: (result: T) => AuditEntry[], seal: AuditSealer): Promise<Committed<T>>;

  /** Writes the genesis head (seq 0) of a new vault's audit chain; refuses if the log has begun. */
  initAuditHead(genesisMac: string): Promise<void>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** Counts of the records with `since <= time < until`, grouped in the store (an index range scan). */
  /**
   * The summary's counts over [since, until): whole hours that ended before `now` (less a margin for
   * late appends) from sealed hourly rollups, made on first use; the rest from the log itself.
   */
  summarizeAudit(since: number, until: number, limit: number, now: number): Promise<AuditSummaryRows>;
  /** Makes the missing rollups of the hours that ended in [from, now) (the server runs it every few minutes). */
  rollUpAudit(from: number, now: number): Promise<number>;
  /** Records matching the filters counted by the store, grouped (GROUP BY over the time index). */
  countAudit(q: AuditCountQuery): Promise<AuditCountRow[]>;
  getAuditHead(): Promise<AuditHead | undefined>;
  /** The record with the highest sequence number, if any. */
  getAuditTail(): Promise<{ seq: number; hash: string } | undefined>;

  /**
   * Adds one guessing failure to each counter, in one transaction (rows locked, so replicas racing
   * on one counter see each other's failures): the new rows, and which of them this call locked.
   */
  recordFailures(
    failures: readonly { key: string; threshold: number }[],
    now: number,
    policy: LockoutPolicy,
  ): Promise<{ row: LockoutRow; lockedNow: boolean }[]>;
  /** Every counter still counting, locked, or remembering earlier lockouts. */
  listLockouts(now: number, policy: LockoutPolicy): Promise<LockoutRow[]>;
  /**
   * Takes `n` requests (default 1) from `key`'s sliding window of a minute if they stay within
   * `limit`; otherwise takes nothing and returns how the window stands, for a Retry-After.
   */
  takeRate(key: string, now: number, limit: number, n?: number): Promise<{ ok: true } | { ok: false; window: RateWindow }>;

  /** Records a JWT id as used; false if it was seen before. Expired ids may be pruned. */
  useJti(issuer: string, jti: string, exp: number, now: number): Promise<boolean>;

  close(): Promise<void>;
}
