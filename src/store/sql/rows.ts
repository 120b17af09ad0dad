/**
 * Column rows (snake_case, as both dialects store them) to the store's records and back. JSON
 * columns hold lists and objects; times are milliseconds since the epoch (PostgreSQL's BIGINT
 * arrives as a string, hence `Number`).
 */
import type { AuditRecord } from '../../core/audit-chain.js';
import type { AgentRow, SecretRow, SecretVersionRow, TokenRow, UserRow } from '../types.js';
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
    createdAt: Number(r.created_at),
    revokedAt: num(r.revoked_at),
  };
}

/** `prefix` selects aliased columns of a join (`a_id`, `a_name`, ...). */
export function toAgent(r: Row, prefix = ''): AgentRow {
  return {
    id: r[`${prefix}id`] as string,
    name: r[`${prefix}name`] as string,
    scopes: parse<string[]>(r[`${prefix}scopes`]) ?? [],
    description: str(r[`${prefix}description`]),
    trustPolicy: parse(r[`${prefix}trust_policy`]),
    keyId: r[`${prefix}key_id`] as string,
    keyHash: r[`${prefix}key_hash`] as string,
    createdAt: Number(r[`${prefix}created_at`]),
    revokedAt: num(r[`${prefix}revoked_at`]),
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
  return {
    path: r[`${prefix}path`] as string,
    version: Number(r[`${prefix}version`]),
    type: r[`${prefix}type`] as SecretVersionRow['type'],
    tier: r[`${prefix}tier`] as SecretVersionRow['tier'],
    ciphertext: r[`${prefix}ciphertext`] as Uint8Array,
    createdAt: Number(r[`${prefix}created_at`]),
    createdBy: r[`${prefix}created_by`] as string,
    deletedAt: num(r[`${prefix}deleted_at`]),
  };
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
    claims: parse(r.claims),
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}
