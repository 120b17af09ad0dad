import type { AgentRow, AuditStatus, Role, TokenRow } from '../store/types.js';

/** Who is calling, once the credential has been checked. */
export type Principal =
  | { kind: 'user'; id: string; name: string; role: Role }
  | { kind: 'agent'; id: string; name: string; agent: AgentRow }
  | { kind: 'token'; id: string; token: TokenRow; agent: AgentRow };

/** What will be written to the audit log for this request; handlers fill it in as they go. */
export interface AuditDraft {
  event: string;
  status: AuditStatus;
  path: string | null;
  tier: string | null;
  reason: string | null;
  /** CI claims to record (the OIDC exchange sets them before the pipeline token exists). */
  claims?: Record<string, string> | null;
}

/** Per-request state handed to every service call. */
export interface RequestContext {
  requestId: string;
  /** The client address: the TCP peer, or the forwarded address when the peer is a trusted proxy. */
  ip: string;
  principal?: Principal;
  audit: AuditDraft;
  /**
   * Additional audit records for this request (a batch read writes one per secret released);
   * they are written before the response leaves, like the main record.
   */
  extraAudit: AuditDraft[];
  /**
   * Set for the second and later requests refused by one address lockout: the first refusal is
   * recorded, the rest are not, so a locked-out client cannot flood the log.
   */
  skipAudit?: boolean;
}

export function actorOf(p: Principal | undefined): {
  actorType: string;
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
        actorType: p.token.kind === 'pipeline' ? 'pipeline' : 'token',
        actorId: p.agent.id,
        actorName: p.agent.name,
        agent: p.agent.name,
        tokenId: p.token.id,
        claims: p.token.claims,
      };
  }
}
