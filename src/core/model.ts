/** The vocabulary shared by the vault, its store, the API client and the CLI. */

export const SECRET_TYPES = ['api_key', 'password', 'connection_string', 'private_key', 'certificate', 'token', 'other'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

export const TIERS = ['standard', 'sensitive', 'critical'] as const;
export type Tier = (typeof TIERS)[number];

/** Human roles: admin (everything), editor (secrets), viewer (metadata only), auditor (audit log only). */
export const ROLES = ['admin', 'editor', 'viewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const AUDIT_STATUSES = ['granted', 'denied', 'error'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];
