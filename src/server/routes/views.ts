/**
 * Store rows as the API shows them (the response schemas then drop anything undeclared), and the
 * principal narrowings handlers rely on after the pipeline has authorised the caller.
 */
import type { ResponseInputOf } from '../../api/define.js';
import type { Api } from '../../api/routes.js';
import { AppError } from '../../core/errors.js';
import type { AgentRow, SecretRow, TokenRow, UserRow } from '../../store/types.js';
import type { Principal } from '../context.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

type TokenView = ResponseInputOf<Api['tokenSelf']>;

/** A token as listings show it: never the credential or its hash. */
export function tokenView(t: TokenRow, agent: Pick<AgentRow, 'name'>, now: number): TokenView {
  return {
    id: t.id,
    kind: t.kind,
    agent: agent.name,
    scopes: t.scopes,
    createdAt: iso(t.createdAt),
    expiresAt: iso(t.expiresAt),
    maxUses: t.maxUses,
    uses: t.uses,
    allowedIps: t.allowedIps,
    description: t.description,
    revokedAt: isoOrNull(t.revokedAt),
    active: t.revokedAt === null && t.expiresAt > now && (t.maxUses === null || t.uses < t.maxUses),
    claims: t.claims,
  };
}

export function agentView(a: AgentRow) {
  return {
    id: a.id,
    name: a.name,
    scopes: a.scopes,
    description: a.description,
    trustPolicy: a.trustPolicy,
    createdAt: iso(a.createdAt),
    revokedAt: isoOrNull(a.revokedAt),
  };
}

export function userView(u: UserRow) {
  return { id: u.id, name: u.name, role: u.role, approver: u.approver, createdAt: iso(u.createdAt), revokedAt: isoOrNull(u.revokedAt) };
}

export function metadataView(s: SecretRow) {
  return {
    path: s.path,
    version: s.version,
    type: s.type,
    tier: s.tier,
    description: s.description,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    deleted: s.deletedAt !== null,
  };
}

export { iso, isoOrNull };

function wrongKind(): never {
  // The pipeline authorised the caller against the route's policy; reaching this is a bug.
  throw new AppError('internal', 'The request reached a handler its credential may not use.');
}

export function asUser(p: Principal): Principal & { kind: 'user' } {
  return p.kind === 'user' ? p : wrongKind();
}

export function asAgent(p: Principal): Principal & { kind: 'agent' } {
  return p.kind === 'agent' ? p : wrongKind();
}

export function asToken(p: Principal): Principal & { kind: 'token' } {
  return p.kind === 'token' ? p : wrongKind();
}

/** How a writer is named on a secret version. */
export function actorLabel(p: Principal): string {
  if (p.kind === 'user') return `user:${p.name}`;
  if (p.kind === 'agent') return `agent:${p.agent.name}`;
  return `${p.token.kind}:${p.token.id}`;
}
