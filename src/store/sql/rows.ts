/**
 * Column rows (snake_case, as both dialects store them) to the store's records and back. JSON
 * columns hold lists and objects; times are milliseconds since the epoch (PostgreSQL's BIGINT
 * arrives as a string, hence `Number`).
 */
import type { AuditRecord } from '../../core/audit-chain.js';
import type {
  AgentRow,
  ApprovalDecisionRow,
  ApprovalPolicyRow,
  ApprovalRow,
  PreviousAgentKeyRow,
  RotationPolicyRow,
  RotationRow,
  SecretRow,
  SecretStagesRow,
  SecretVersionRow,
  TokenRow,
  UserRow,
} from '../types.js';
import type { Row } from './program.js';

export const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = <T>(v: unknown): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : (v as string));

export function toUser(r: Row): UserRow {
  return {
    id: r.id as string,
    name: r.name as string,
    role: r.role as UserRow['role'],
    tokenHash: r.token_hash as string,
    approver: Number(r.approver ?? 0) === 1,
    createdAt: Number(r.created_at),
    revokedAt: num(r.revoked_at),
  };
}

export function toApprovalPolicy(r: Row): ApprovalPolicyRow {
  return { policy: JSON.parse(r.policy as string), revision: Number(r.revision), updatedBy: r.updated_by as string };
}

export function toApproval(r: Row): ApprovalRow {
  return {
    id: r.id as string,
    kind: r.kind as ApprovalRow['kind'],
    status: r.status as ApprovalRow['status'],
    requesterType: r.requester_type as ApprovalRow['requesterType'],
    requesterId: r.requester_id as string,
    requesterName: r.requester_name as string,
    tokenId: str(r.token_id),
    claims: parse(r.claims),
    paths: parse<string[]>(r.paths) ?? [],
    ask: JSON.parse(r.ask as string),
    description: str(r.description),
    ip: r.ip as string,
    requiredApprovals: Number(r.required_approvals),
    approvers: parse<string[]>(r.approvers) ?? [],
    rule: r.rule as string,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    decidedAt: num(r.decided_at),
    collectedAt: num(r.collected_at),
    collectedTokenId: str(r.collected_token_id),
  };
}

export function toDecision(r: Row): ApprovalDecisionRow {
  return {
    approvalId: r.approval_id as string,
    userId: r.user_id as string,
    userName: r.user_name as string,
    decision: r.decision as ApprovalDecisionRow['decision'],
    reason: str(r.reason),
    time: Number(r.time),
  };
}

/** Column names with a join's alias prefix (`a_id`, ...), made once per prefix rather than per row. */
function columns<const C extends readonly string[]>(names: C) {
  const byPrefix = new Map<string, Record<C[number], string>>();
  return (prefix: string): Record<C[number], string> => {
    let k = byPrefix.get(prefix);
    if (!k) {
      k = Object.fromEntries(names.map((n) => [n, `${prefix}${n}`])) as Record<C[number], string>;
      byPrefix.set(prefix, k);
    }
    return k;
  };
}

export const AGENT_COLUMNS = [
  'id',
  'name',
  'scopes',
  'description',
  'trust_policy',
  'key_id',
  'key_hash',
  'created_at',
  'revoked_at',
] as const;
export const VERSION_COLUMNS = ['path', 'version', 'type', 'tier', 'ciphertext', 'created_at', 'created_by', 'deleted_at'] as const;
const agentColumns = columns(AGENT_COLUMNS);
const versionColumns = columns(VERSION_COLUMNS);

/** `prefix` selects aliased columns of a join (`a_id`, `a_name`, ...). */
export function toAgent(r: Row, prefix = ''): AgentRow {
  const c = agentColumns(prefix);
  return {
    id: r[c.id] as string,
    name: r[c.name] as string,
    scopes: parse<string[]>(r[c.scopes]) ?? [],
    description: str(r[c.description]),
    trustPolicy: parse(r[c.trust_policy]),
    keyId: r[c.key_id] as string,
    keyHash: r[c.key_hash] as string,
    createdAt: Number(r[c.created_at]),
    revokedAt: num(r[c.revoked_at]),
  };
}

export function toToken(r: Row): TokenRow {
  return {
    id: r.id as string,
    kind: r.kind as TokenRow['kind'],
    agentId: r.agent_id as string,
    hash: r.hash as string,
    scopes: parse<string[]>(r.scopes) ?? [],
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    maxUses: num(r.max_uses),
    uses: Number(r.uses),
    allowedIps: parse<string[]>(r.allowed_ips) ?? [],
    description: str(r.description),
    claims: parse(r.claims),
    revokedAt: num(r.revoked_at),
  };
}

export function toSecret(r: Row): SecretRow {
  return {
    path: r.path as string,
    version: Number(r.version),
    type: r.type as SecretRow['type'],
    tier: r.tier as SecretRow['tier'],
    description: str(r.description),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    deletedAt: num(r.deleted_at),
  };
}

export function toVersion(r: Row, prefix = ''): SecretVersionRow {
  const c = versionColumns(prefix);
  return {
    path: r[c.path] as string,
    version: Number(r[c.version]),
    type: r[c.type] as SecretVersionRow['type'],
    tier: r[c.tier] as SecretVersionRow['tier'],
    ciphertext: r[c.ciphertext] as Uint8Array,
    createdAt: Number(r[c.created_at]),
    createdBy: r[c.created_by] as string,
    deletedAt: num(r[c.deleted_at]),
  };
}

/** The key that holds an audit record's claims column when it is not what the vault writes. */
export const UNREADABLE_CLAIMS = '(not a JSON object of strings)';

/**
 * An audit record's claims as stored. The vault writes a JSON object of strings or nothing; any
 * other text was put there behind its back, and is kept (cut short) under a key of its own, so the
 * record fails its hash and is reported as edited, instead of failing every read of the log (the
 * monitor's sweep, `ass audit verify`, the anomaly checks) and so hiding the edit.
 */
export function auditClaims(v: unknown): Record<string, string> | null {
  if (v === null || v === undefined) return null;
  const text = String(v);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null) return null;
    if (typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((x) => typeof x === 'string')) {
      return parsed as Record<string, string>;
    }
  } catch {}
  return { [UNREADABLE_CLAIMS]: text.slice(0, 1000) };
}

export function toAuditRecord(r: Row): AuditRecord {
  return {
    seq: Number(r.seq),
    time: Number(r.time),
    requestId: r.request_id as string,
    event: r.event as string,
    status: r.status as AuditRecord['status'],
    actorType: r.actor_type as AuditRecord['actorType'],
    actorId: str(r.actor_id),
    actorName: str(r.actor_name),
    agent: str(r.agent),
    tokenId: str(r.token_id),
    path: str(r.path),
    tier: str(r.tier),
    reason: str(r.reason),
    ip: str(r.ip),
    claims: auditClaims(r.claims),
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}

export function toStages(r: Row): SecretStagesRow {
  return {
    path: r.path as string,
    rotationId: str(r.rotation_id),
    rotator: str(r.rotator),
    leaseUntil: num(r.lease_until),
    pendingVersion: num(r.pending_version),
    previousVersion: num(r.previous_version),
    previousUntil: num(r.previous_until),
    updatedAt: Number(r.updated_at),
  };
}

export function toRotation(r: Row): RotationRow {
  return {
    id: r.id as string,
    path: r.path as string,
    rotator: r.rotator as string,
    state: r.state as RotationRow['state'],
    startedBy: r.started_by as string,
    startedAt: Number(r.started_at),
    finishedAt: num(r.finished_at),
    fromVersion: Number(r.from_version),
    toVersion: num(r.to_version),
    reason: str(r.reason),
  };
}

export function toPolicy(r: Row): RotationPolicyRow {
  return {
    path: r.path as string,
    rotator: r.rotator as string,
    settings: parse<Record<string, unknown>>(r.settings) ?? {},
    intervalSeconds: num(r.interval_seconds),
    graceSeconds: Number(r.grace_seconds),
    notify: parse<Record<string, unknown>>(r.notify),
    enabled: Number(r.enabled) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by as string,
  };
}

export function toPreviousKey(r: Row): PreviousAgentKeyRow {
  return { keyId: r.key_id as string, agentId: r.agent_id as string, keyHash: r.key_hash as string, until: Number(r.until) };
}
