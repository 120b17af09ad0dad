/**
 * The storage contract. Every adapter (the embedded SQLite default, and PostgreSQL next) passes
 * the same contract tests. Methods are async so a networked database fits; the operations that
 * must be atomic under concurrency (spending token uses, writing a new secret version, appending
 * to the audit chain, accepting a `jti`) are single adapter calls, so each adapter makes them
 * atomic in its own way (one conditional UPDATE, a unique key, a serialised append).
 */

export { type AuditStatus, ROLES, type Role, SECRET_TYPES, type SecretType, TIERS, type Tier } from '../core/model.js';

import type { AuditStatus, Role, SecretType, Tier } from '../core/model.js';

export interface UserRow {
  id: string;
  name: string;
  role: Role;
  tokenHash: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface TrustPolicyRow {
  issuer: string;
  claims: Record<string, string>;
  /** Optional further limit on the scopes of pipeline tokens minted under this policy. */
  scopes?: string[];
}

export interface AgentRow {
  id: string;
  name: string;
  scopes: string[];
  description: string | null;
  trustPolicy: TrustPolicyRow | null;
  keyId: string;
  keyHash: string;
  createdAt: number;
  revokedAt: number | null;
}

export type TokenKind = 'agent' | 'pipeline';

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

/** One audit record as the service hands it to the store (seq and hashes are added there). */
export interface AuditEntry {
  time: number;
  requestId: string;
  event: string;
  status: AuditStatus;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  agent: string | null;
  tokenId: string | null;
  path: string | null;
  tier: string | null;
  reason: string | null;
  ip: string | null;
  claims: Record<string, string> | null;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
  mac: string;
}

/**
 * How the audit service seals new records; the store calls it inside its serialised append.
 * `verifyHead` runs first, on the stored head and the last stored record: it throws when they do
 * not match or the head is not authentic, and the append (with the request it records) fails.
 * So a log truncated or rewritten behind the server's back is never silently extended.
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
  eventTypes?: string[];
  status?: AuditStatus;
  resourcePath?: string;
  /** Only records up to this sequence number (a consistent view while others append). */
  upToSeq?: number;
  /** Newest first (default true for queries, false for exports and verification). */
  newestFirst?: boolean;
}

export type SpendResult = { ok: true; uses: number } | { ok: false; reason: 'not_found' | 'revoked' | 'expired' | 'exhausted' };

export interface Store {
  /** Free-form settings (schema version, instance origin). */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /** Stores `value` unless the key exists; returns what is stored (safe when replicas race). */
  setMetaIfAbsent(key: string, value: string): Promise<string>;

  createUser(user: UserRow): Promise<void>;
  getUser(id: string): Promise<UserRow | undefined>;
  listUsers(): Promise<UserRow[]>;
  /**
   * Revokes a user's token, atomically refusing to revoke the last active admin (two admins
   * revoking each other at once must not leave the vault without one).
   */
  revokeUser(id: string, now: number): Promise<'revoked' | 'not_active' | 'last_admin'>;

  createAgent(agent: AgentRow): Promise<void>;
  getAgentByName(name: string): Promise<AgentRow | undefined>;
  getAgentById(id: string): Promise<AgentRow | undefined>;
  getAgentByKeyId(keyId: string): Promise<AgentRow | undefined>;
  listAgents(): Promise<AgentRow[]>;
  /** Revokes the agent's key and every live token it issued, in one transaction. */
  revokeAgent(id: string, now: number): Promise<{ tokensRevoked: number }>;

  createToken(token: TokenRow): Promise<void>;
  getToken(id: string): Promise<TokenRow | undefined>;
  listTokens(filter: { agentId?: string; activeAt?: number }): Promise<TokenRow[]>;
  revokeToken(id: string, now: number): Promise<boolean>;
  /**
   * Atomically spends `n` uses of a live token (not revoked, not expired, and with at least `n`
   * uses left). Concurrent callers can never together spend more than `maxUses`.
   */
  spendToken(id: string, n: number, now: number): Promise<SpendResult>;

  getSecret(path: string): Promise<SecretRow | undefined>;
  getSecretVersion(path: string, version: number): Promise<SecretVersionRow | undefined>;
  listSecrets(prefix: string, includeDeleted: boolean): Promise<SecretRow[]>;
  listVersions(path: string): Promise<SecretVersionRow[]>;
  /**
   * Writes version `version` of `path`; fails with `conflict` unless the current version is
   * exactly `version - 1` at the time of the write (optimistic concurrency).
   */
  putSecretVersion(row: SecretVersionRow, description: string | null): Promise<'ok' | 'conflict'>;
  softDeleteSecret(path: string, now: number): Promise<boolean>;
  /**
   * Passes every secret version's ciphertext to `rewrap` and stores what it returns (undefined:
   * leave the row). Returns how many rows changed. Used by `ass rekey` after a master-key rotation.
   */
  rewrapSecretVersions(rewrap: (row: { path: string; version: number; ciphertext: Uint8Array }) => Uint8Array | undefined): Promise<number>;

  /** Writes the genesis head (seq 0) of a new vault's audit chain; refuses if the log has begun. */
  initAuditHead(genesisMac: string): Promise<void>;
  /** Appends to the audit chain; records get gapless sequence numbers. */
  appendAudit(entry: AuditEntry, seal: AuditSealer): Promise<AuditRecord>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  getAuditHead(): Promise<AuditHead | undefined>;
  /** The record with the highest sequence number, if any. */
  getAuditTail(): Promise<{ seq: number; hash: string } | undefined>;

  /** Records a JWT id as used; false if it was seen before. Expired ids may be pruned. */
  useJti(issuer: string, jti: string, exp: number, now: number): Promise<boolean>;

  close(): Promise<void>;
}
