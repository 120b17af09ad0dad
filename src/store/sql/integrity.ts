/**
 * Which fields of each row carry authority, in a fixed order, for the row MACs (see RowIntegrity in
 * ../types.ts). Everything a storage writer could change to gain or restore access is here: roles
 * and revocation, scopes and trust policies, credential hashes, token expiry, address allowlists and
 * kind, a secret's current version, tier and deletion. A token's use counter is not: it changes on
 * every request, and setting it back is outside the model (see the README's threat model).
 */
import { AppError } from '../../core/errors.js';
import type {
  AgentRow,
  ApprovalDecisionRow,
  ApprovalPolicyRow,
  ApprovalRow,
  AuditRollupRow,
  PreviousAgentKeyRow,
  RotationPolicyRow,
  RowIntegrity,
  SecretRow,
  SecretStagesRow,
  SecretVersionRow,
  TokenRow,
  UserRow,
} from '../types.js';

export const rowFields = {
  // An approver's flag is sealed only when set, so the rows of earlier versions keep their MACs.
  users: (u: UserRow) => [u.id, u.name, u.role, u.tokenHash, u.createdAt, u.revokedAt, ...(u.approver ? ['approver'] : [])],
  agents: (a: AgentRow) => [a.id, a.name, a.scopes, a.description, a.trustPolicy, a.keyId, a.keyHash, a.createdAt, a.revokedAt],
  tokens: (t: TokenRow) => [
    t.id,
    t.kind,
    t.agentId,
    t.hash,
    t.scopes,
    t.createdAt,
    t.expiresAt,
    t.maxUses,
    t.allowedIps,
    t.description,
    t.claims,
    t.revokedAt,
  ],
  secrets: (s: SecretRow) => [s.path, s.version, s.type, s.tier, s.description, s.createdAt, s.updatedAt, s.deletedAt],
  secret_versions: (v: SecretVersionRow) => [v.path, v.version, v.type, v.tier, v.createdAt, v.createdBy, v.deletedAt],
  secret_stages: (s: SecretStagesRow) => [
    s.path,
    s.rotationId,
    s.rotator,
    s.leaseUntil,
    s.pendingVersion,
    s.previousVersion,
    s.previousUntil,
    s.updatedAt,
  ],
  // The command a `command` rotator runs is here: a policy someone wrote into the database must
  // never make the next rotation run their command.
  rotation_policies: (p: RotationPolicyRow) => [
    p.path,
    p.rotator,
    p.settings,
    p.intervalSeconds,
    p.graceSeconds,
    p.notify,
    p.enabled,
    p.createdAt,
    p.updatedAt,
    p.updatedBy,
  ],
  agent_previous_keys: (k: PreviousAgentKeyRow) => [k.keyId, k.agentId, k.keyHash, k.until],
  // Everything of an approval: a request someone wrote into the database, or one they marked
  // approved, must never release a token.
  approval_policy: (p: ApprovalPolicyRow) => [p.policy, p.revision, p.updatedBy],
  approvals: (a: ApprovalRow) => [
    a.id,
    a.kind,
    a.status,
    a.requesterType,
    a.requesterId,
    a.requesterName,
    a.tokenId,
    a.claims,
    a.paths,
    a.ask,
    a.description,
    a.ip,
    a.requiredApprovals,
    a.approvers,
    a.rule,
    a.createdAt,
    a.expiresAt,
    a.decidedAt,
    a.collectedAt,
    a.collectedTokenId,
  ],
  approval_decisions: (d: ApprovalDecisionRow) => [d.approvalId, d.userId, d.userName, d.decision, d.reason, d.time],
  // Counts derived from the log: a rollup someone edited to hide an hour's reads is counted again.
  audit_rollups: (r: AuditRollupRow) => [r.hour, r.records, r.counts],
} as const;

export type Table = keyof typeof rowFields;
type RowOf<T extends Table> = Parameters<(typeof rowFields)[T]>[0];

const KEY_OF: { [T in Table]: (row: RowOf<T>) => string } = {
  users: (u) => `user ${u.name} (${u.id})`,
  agents: (a) => `agent ${a.name} (${a.id})`,
  tokens: (t) => `token ${t.id}`,
  secrets: (s) => `secret ${s.path}`,
  secret_versions: (v) => `version ${v.version} of ${v.path}`,
  secret_stages: (s) => `the rotation stages of ${s.path}`,
  rotation_policies: (p) => `the rotation policy for ${p.path}`,
  agent_previous_keys: (k) => `the replaced key ${k.keyId}`,
  approval_policy: () => 'the approval policy',
  approvals: (a) => `approval ${a.id}`,
  approval_decisions: (d) => `${d.userName}'s decision on approval ${d.approvalId}`,
  audit_rollups: (r) => `the audit rollup of ${new Date(r.hour).toISOString()}`,
};

export function macOf<T extends Table>(integrity: RowIntegrity, table: T, row: RowOf<T>): string {
  return integrity.rowMac(table, (rowFields[table] as (r: RowOf<T>) => unknown[])(row));
}

/** The row, if its MAC verifies; otherwise the request fails (and is audited) without using it. */
export function verified<T extends Table>(integrity: RowIntegrity, table: T, row: RowOf<T>, mac: unknown): RowOf<T> {
  if (integrity.rowMacValid(table, (rowFields[table] as (r: RowOf<T>) => unknown[])(row), mac)) return row;
  throw new AppError(
    'integrity_failed',
    `The stored record of ${KEY_OF[table](row)} failed its integrity check: the database was changed outside the vault, so the record is not used. Restore the database from a backup, and check the audit log (ass audit verify).`,
  );
}
