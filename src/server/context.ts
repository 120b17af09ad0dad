import type { ActorType, AuditStatus } from '../core/model.js';
import type { AgentRow, TokenRow } from '../store/types.js';

/** Who is calling, once the credential has been checked. `token` covers scoped and pipeline tokens. */
export type Principal =
  | { kind: 'user'; id: string; name: string; role: import('../core/model.js').Role }
  | { kind: 'agent'; id: string; name: string; agent: AgentRow }
  | { kind: 'token'; id: string; token: TokenRow; agent: AgentRow };

/** The credential kind a principal presented: `token` and `pipeline` are told apart. */
export function credentialKind(p: Principal): 'user' | 'agent' | 'token' | 'pipeline' {
  return p.kind === 'token' ? p.token.kind : p.kind;
}

/** What will be written to the audit log for this request; the pipeline and handlers fill it in. */
export interface AuditDraft {
  event: string;
  status: AuditStatus;
  path: string | null;
  tier: string | null;
  reason: string | null;
  /** CI claims to record (the OIDC exchange sets them before the pipeline token exists). */
  claims?: Record<string, string> | null;
}

/** Per-request state. */
export interface RequestContext {
  requestId: string;
  /** The client address: the TCP peer, or the forwarded address when the peer is a trusted proxy. */
  ip: string;
  principal?: Principal;
  audit: AuditDraft;
  /**
   * Further audit records of this request (a batch read writes one per secret released); they are
   * written with the main record, in the same transaction.
   */
  extraAudit: AuditDraft[];
  /**
   * Set for the second and later requests refused by one address lockout: the first refusal is
   * recorded, the rest are not, so a locked-out client cannot flood the log.
   */
  skipAudit?: boolean;
  /** The request's records were already appended, with the change they describe. */
  audited?: boolean;
}

export function actorOf(p: Principal | undefined): {
  actorType: ActorType;
  actorId: string | null;
  actorName: string | null;
  agent: string | null;
  tokenId: string | null;
  claims: Record<string, string> | null;
} {
  if (!p) return { actorType: 'anonymous', actorId: null, actorName: null, agent: null, tokenId: null, claims: null };
  switch (p.kind) {
    case 'user':
      return { actorType: 'user', actorId: p.id, actorName: p.name, agent: null, tokenId: null, claims: null };
    case 'agent':
      return { actorType: 'agent', actorId: p.agent.id, actorName: p.agent.name, agent: p.agent.name, tokenId: null, claims: null };
    case 'token':
      return {
        actorType: p.token.kind,
        actorId: p.agent.id,
        actorName: p.agent.name,
        agent: p.agent.name,
        tokenId: p.token.id,
        claims: p.token.claims,
      };
  }
}
