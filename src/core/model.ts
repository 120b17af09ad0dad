/** The vocabulary shared by the vault, its store, the API client and the CLI. */

export const SECRET_TYPES = ['api_key', 'password', 'connection_string', 'private_key', 'certificate', 'token', 'other'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

export const TIERS = ['standard', 'sensitive', 'critical'] as const;
export type Tier = (typeof TIERS)[number];

/** Human roles: admin (everything), editor (secrets), viewer (metadata only), auditor (audit log only). */
export const ROLES = ['admin', 'editor', 'viewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** `pending`: a request held for a human approval (it released nothing, and was not refused). */
export const AUDIT_STATUSES = ['granted', 'denied', 'error', 'pending'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

/**
 * Every audit event the vault records. `vault.init` and `vault.rekey` come from the operator's
 * commands, `auth.lockout` from the pipeline; the others each belong to one API route.
 */
export const AUDIT_EVENTS = [
  'vault.init',
  'vault.rekey',
  'vault.migrate',
  'auth.whoami',
  'token.issue',
  'token.exchange',
  'token.list',
  'token.lookup',
  'token.revoke',
  'agent.create',
  'agent.list',
  'agent.revoke',
  'user.create',
  'user.list',
  'user.revoke',
  'secret.read',
  'secret.write',
  'secret.delete',
  'secret.batch_read',
  'secret.list',
  'secret.metadata',
  'audit.query',
  'audit.summary',
  'audit.anomalies',
  'audit.verify',
  'audit.export',
  'audit.checkpoint',
  'agent.rotate_key',
  'rotation.begin',
  'rotation.pending',
  'rotation.finish',
  'rotation.abort',
  'rotation.retire',
  'rotation.policy_set',
  'rotation.policy_delete',
  'rotation.list',
  // A lockout began (recorded with the request that began it); an admin listed or ended lockouts.
  'auth.lockout',
  'lockout.list',
  'lockout.clear',
  // Approvals: a request held for approval, the approvers' decisions, its collection, its expiry.
  'approval.request',
  'approval.list',
  'approval.show',
  'approval.approve',
  'approval.deny',
  'approval.collect',
  'approval.expire',
  'approval.policy_show',
  'approval.policy_set',
  'user.update',
  // Recorded by earlier versions for a refused request before its route was known; still queryable.
  'request.invalid',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/** What kind of caller an audit record names: the credential's kind, or nobody. */
export const ACTOR_TYPES = ['user', 'agent', 'token', 'pipeline', 'anonymous', 'operator'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** An agent's OIDC trust policy: which issuer's tokens, with which exact claims, may be exchanged. */
export interface TrustPolicy {
  issuer: string;
  claims: Record<string, string>;
  /** A further limit on pipeline tokens: they get the agent's ∩ these ∩ the requested scopes. */
  scopes?: string[];
}

/** The rotators a rotation policy can name (src/rotation/). */
export const ROTATORS = ['random', 'postgres', 'command', 'agent-key'] as const;
export type RotatorName = (typeof ROTATORS)[number];

/** A secret's rotation stages: what a read returns, what is being rotated in, what was rotated out. */
export const STAGES = ['current', 'previous', 'pending'] as const;
export type Stage = (typeof STAGES)[number];

/** What an approval request asked for: a token from an agent key, a pipeline token, or a read. */
export const APPROVAL_KINDS = ['token', 'exchange', 'read'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** An approval request's life: pending → approved → collected, or denied, or expired. */
export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired', 'collected'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
