/**
 * Column rows (snake_case, as both SQL adapters store them) to the store's records. JSON columns
 * hold lists and objects; times are milliseconds since the epoch.
 */
import type { AgentRow, AuditRecord, SecretRow, SecretVersionRow, TokenRow, UserRow } from './types.js';

export type Row = Record<string, unknown>;

export const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = <T>(v: unknown): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

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

export function toAgent(r: Row): AgentRow {
  return {
    id: r.id as string,
    name: r.name as string,
    scopes: parse<string[]>(r.scopes) ?? [],
    description: (r.description as string | null) ?? null,
    trustPolicy: parse(r.trust_policy),
    keyId: r.key_id as string,
    keyHash: r.key_hash as string,
    createdAt: Number(r.created_at),
    revokedAt: num(r.revoked_at),
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
    description: (r.description as string | null) ?? null,
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
    description: (r.description as string | null) ?? null,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    deletedAt: num(r.deleted_at),
  };
}

export function toVersion(r: Row): SecretVersionRow {
  return {
    path: r.path as string,
    version: Number(r.version),
    type: r.type as SecretVersionRow['type'],
    tier: r.tier as SecretVersionRow['tier'],
    ciphertext: r.ciphertext as Uint8Array,
    createdAt: Number(r.created_at),
    createdBy: r.created_by as string,
    deletedAt: num(r.deleted_at),
  };
}

export function toAuditRecord(r: Row): AuditRecord {
  return {
    seq: Number(r.seq),
    time: Number(r.time),
    requestId: r.request_id as string,
    event: r.event as string,
    status: r.status as AuditRecord['status'],
    actorType: r.actor_type as string,
    actorId: (r.actor_id as string | null) ?? null,
    actorName: (r.actor_name as string | null) ?? null,
    agent: (r.agent as string | null) ?? null,
    tokenId: (r.token_id as string | null) ?? null,
    path: (r.path as string | null) ?? null,
    tier: (r.tier as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    ip: (r.ip as string | null) ?? null,
    claims: parse(r.claims),
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}
