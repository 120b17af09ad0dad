/**
 * The vault's HTTP API, one declaration per route (see define.ts). docs/api.md is generated from
 * this table (`npm run docs:api`) and a test fails when it drifts.
 */
import { z } from 'zod';
import { ROLES, ROTATORS, STAGES } from '../core/model.js';
import { defineRoute, lazily, type RouteDef } from './define.js';
import {
  Agent,
  AnomalyConfig,
  AnomalyReport,
  Approval,
  ApprovalId,
  ApprovalPolicy,
  ApprovalPolicyInput,
  AuditExport,
  AuditFilters,
  AuditRecord,
  AuditSummary,
  BatchPaths,
  BatchPrefixes,
  Checkpoint,
  Collected,
  CreatedAgent,
  CreatedUser,
  Description,
  Duration,
  Grace,
  Health,
  IssuedToken,
  LIMITS,
  lazy,
  Name,
  NullableTime,
  PathPrefix,
  QueryFlag,
  queryInt,
  Revoked,
  RotationId,
  RotationNotify,
  RotationPolicy,
  RotationState,
  RotationStatus,
  ScopeList,
  SecretDetail,
  SecretMetadata,
  SecretPath,
  SecretType,
  SecretValue,
  Since,
  StoredSecret,
  Tier,
  Token,
  TokenId,
  TrustPolicyInput,
  Ttl,
  User,
  Verification,
  WhoAmI,
} from './schemas.js';

const NoParams = lazy(() => z.strictObject({}));
const NoQuery = lazy(() => z.strictObject({}));
const NoBody = lazy(() => z.undefined());
const PathParam = lazy(() => z.strictObject({ path: SecretPath() }));

/** Roles that may use secret values, those that may see metadata, and those that read the audit log. */
export const VALUE_ROLES = ['admin', 'editor'] as const;
export const METADATA_ROLES = ['admin', 'editor', 'viewer'] as const;
export const AUDIT_ROLES = ['admin', 'auditor'] as const;
const ADMIN = ['admin'] as const;

const Lockout = lazy(() =>
  z.object({
    subject: z.enum(['address', 'credential']),
    /** The address (an IPv6 /64 counts as one) or KIND:ID of the credential. */
    id: z.string(),
    /** When the lockout ends (ISO 8601); null while it is only counting. */
    lockedUntil: z.string().nullable(),
    retryAfter: z.number().int().nullable(),
    failures: z.number().int(),
    lockouts: z.number().int(),
    refused: z.number().int(),
  }),
);

export const API = lazily({
  health: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/health',
      summary: 'Liveness probe, and whether the audit log verifies.',
      params: NoParams(),
      query: NoQuery(),
      body: NoBody(),
      response: Health(),
      access: { anonymous: true, what: 'check health' },
      event: null,
      servesBrokenLog: true,
    }),

  whoami: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/whoami',
      summary: 'Who the credential belongs to.',
      params: NoParams(),
      query: NoQuery(),
      body: NoBody(),
      response: WhoAmI(),
      access: { users: ROLES, agent: true, tokens: true, what: 'look themselves up' },
      event: 'auth.whoami',
    }),

  issueToken: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/tokens',
      summary:
        "An agent issues itself a short-lived token whose scopes lie within the agent's; a `ttl` over the vault's maximum is refused.",
      params: NoParams(),
      query: NoQuery(),
      body: z.strictObject({
        scopes: ScopeList(),
        ttl: Ttl(),
        maxUses: z.number().int().min(1).max(LIMITS.maxUses).optional(),
        allowedIps: z.array(z.string().max(100).describe('an IPv4 or IPv6 address or CIDR range')).max(LIMITS.allowedIps).optional(),
        description: Description().optional(),
      }),
      response: IssuedToken(),
      status: 201,
      access: { agent: true, what: 'issue tokens' },
      event: 'token.issue',
      rate: 'exchange',
    }),

  exchangeToken: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/tokens/exchange',
      summary:
        "The agent key plus a CI OIDC token that passes the agent's trust policy become a pipeline token bound to the run; `ttl` defaults to the vault's maximum for pipeline tokens and is capped at it.",
      params: NoParams(),
      query: NoQuery(),
      body: z.strictObject({
        oidcToken: z
          .string()
          .min(1, 'oidcToken is empty')
          .max(16 * 1024),
        scopes: z
          .array(z.string().max(600))
          .min(1, "give at least one scope, or leave scopes out to get the agent's")
          .max(LIMITS.scopes)
          .optional(),
        ttl: Ttl().optional(),
        maxUses: z.number().int().min(1).max(LIMITS.maxUses).optional(),
        description: Description().optional(),
      }),
      response: IssuedToken(),
      status: 201,
      access: { agent: true, what: 'exchange an OIDC token' },
      event: 'token.exchange',
      // (Its exchange allowance is taken in the handler, once the OIDC token has passed: the key
      // alone, or a run the policy refuses, must not use up the production pipeline's.)
    }),

  listTokens: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/tokens',
      summary: 'Tokens, live ones unless `all`; `path`: those whose scopes reach a secret (incident response).',
      params: NoParams(),
      query: z.strictObject({ agent: Name().optional(), path: SecretPath().optional(), all: QueryFlag().optional() }),
      body: NoBody(),
      response: z.object({ tokens: z.array(Token()) }),
      access: { users: ADMIN, what: 'list tokens' },
      event: 'token.list',
    }),

  tokenSelf: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/tokens/self',
      summary: 'A scoped or pipeline token looks itself up.',
      params: NoParams(),
      query: NoQuery(),
      body: NoBody(),
      response: Token(),
      access: { tokens: true, what: 'look a token up' },
      event: 'token.lookup',
    }),

  revokeSelf: () =>
    defineRoute({
      method: 'DELETE',
      path: '/v1/tokens/self',
      summary: 'A scoped or pipeline token revokes itself (the fetch action does at the end of the job).',
      params: NoParams(),
      query: NoQuery(),
      body: NoBody(),
      response: Revoked(),
      access: { tokens: true, what: 'revoke a token' },
      event: 'token.revoke',
    }),

  revokeToken: () =>
    defineRoute({
      method: 'DELETE',
      path: '/v1/tokens/{id}',
      summary: 'Revoke a token by its id.',
      params: z.strictObject({ id: TokenId() }),
      query: NoQuery(),
      body: NoBody(),
      response: Revoked(),
      access: { users: ADMIN, what: 'revoke tokens' },
      event: 'token.revoke',
    }),

  createAgent: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/agents',
      summary: 'Register an agent (one per service); its key is in the answer, once.',
      params: NoParams(),
      query: NoQuery(),
      body: z.strictObject({
        name: Name(),
        scopes: ScopeList(),
        description: Description().optional(),
        trustPolicy: TrustPolicyInput().optional(),
      }),
      response: CreatedAgent(),
      status: 201,
      access: { users: ADMIN, what: 'create agents' },
      event: 'agent.create',
    }),

  listAgents: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/agents',
      summary: 'Agents, with their scopes and trust policies.',
      params: NoParams(),
      query: NoQuery(),
      body: NoBody(),
      response: z.object({ agents: z.array(Agent()) }),
      access: { users: ADMIN, what: 'list agents' },
      event: 'agent.list',
    }),

  revokeAgent: () =>
    defineRoute({
      method: 'DELETE',
      path: '/v1/agents/{name}',
      summary: 'Revoke an agent: its key and every live token it issued, in one transaction.',
      params: z.strictObject({ name: Name() }),
      query: NoQuery(),
      body: NoBody(),
      response: z.object({ name: z.string(), revoked: z.literal(true), tokensRevoked: z.number().int() }),
      access: { users: ADMIN, what: 'revoke agents' },
      event: 'agent.revoke',
    }),

  createUser: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/users',
      summary: "Create a person's account; their token is in the answer, once.",
      params: NoParams(),
      query: NoQuery(),
      body: z.strictObject({
        name: Name(),
        role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }),
        approver: z.boolean().optional().describe('may decide approval requests (admins may anyway)'),
      }),
      response: CreatedUser(),
      status: 201,
      access: { users: ADMIN, what: 'create users' },
      event: 'user.create',
    }),

  listUsers: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/users',
      summary: 'Users, revoked ones included.',
      params: NoParams(),
      query: NoQuery(),
      body: NoBody(),
      response: z.object({ users: z.array(User()) }),
      access: { users: ADMIN, what: 'list users' },
      event: 'user.list',
    }),

  updateUser: () =>
    defineRoute({
      method: 'PATCH',
      path: '/v1/users/{name}',
      summary: 'Make a user an approver of approval requests, or no longer one.',
      params: z.strictObject({ name: Name() }),
      query: NoQuery(),
      body: z.strictObject({ approver: z.boolean({ error: 'approver must be true or false' }) }),
      response: User(),
      access: { users: ADMIN, what: 'update users' },
      event: 'user.update',
    }),

  revokeUser: () =>
    defineRoute({
      method: 'DELETE',
      path: '/v1/users/{name}',
      summary: "Revoke a user's token (never the last active admin).",
      params: z.strictObject({ name: Name() }),
      query: NoQuery(),
      body: NoBody(),
      response: z.object({ name: z.string(), revoked: z.literal(true) }),
      access: { users: ADMIN, what: 'revoke users' },
      event: 'user.revoke',
    }),

  putSecret: () =>
    defineRoute({
      method: 'PUT',
      path: '/v1/secrets/{path+}',
      summary: 'Store a new version (`expectedVersion`: compare-and-set, 0 = create only).',
      params: PathParam(),
      query: NoQuery(),
      body: z.strictObject({
        value: z
          .string({ error: 'value must be a string' })
          .min(1, 'value is empty: a secret needs a value')
          .describe(`at most ${LIMITS.valueBytes} bytes in UTF-8`),
        type: SecretType().optional(),
        tier: Tier().optional(),
        description: Description().optional(),
        expectedVersion: z.number().int().min(0).optional(),
      }),
      response: StoredSecret(),
      access: {
        users: VALUE_ROLES,
        tokens: true,
        secret: { verb: 'write', paths: (i) => [i.params.path] },
        uses: 1,
        what: 'write secrets',
      },
      event: 'secret.write',
    }),

  getSecret: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/secrets/{path+}',
      summary:
        'Read a secret value: the current version, `version`, or a rotation `stage` (`previous` until its grace period ends; `pending` needs `secrets:rotate` too).',
      params: PathParam(),
      query: z
        .strictObject({
          version: queryInt(1, 999_999_999).optional(),
          stage: z.enum(STAGES, { error: 'must be current, previous or pending' }).optional(),
          revoke: QueryFlag()
            .optional()
            .describe('with stage=previous: a rotator reading the replaced value once more after its grace period, to revoke it'),
          reason: Description().optional().describe('why, for the approvers, should the read be held for approval'),
          rotating: SecretPath()
            .optional()
            .describe(
              "a rotator's read within the rotation of this secret (its lease is held, or its replaced value is due to be revoked): the secret itself, or a vault path its rotation policy names; needs secrets:rotate on it, and is not held for approval",
            ),
        })
        .refine((q) => q.version === undefined || q.stage === undefined, { message: 'give version or stage, not both' }),
      body: NoBody(),
      response: SecretValue(),
      access: { users: VALUE_ROLES, tokens: true, secret: { verb: 'read', paths: (i) => [i.params.path] }, uses: 1, what: 'read secrets' },
      event: 'secret.read',
      rate: 'read',
    }),

  deleteSecret: () =>
    defineRoute({
      method: 'DELETE',
      path: '/v1/secrets/{path+}',
      summary: 'Soft-delete a secret; its versions are kept.',
      params: PathParam(),
      query: NoQuery(),
      body: NoBody(),
      response: z.object({ path: z.string(), deleted: z.literal(true), version: z.number().int() }),
      access: {
        users: VALUE_ROLES,
        tokens: true,
        secret: { verb: 'write', paths: (i) => [i.params.path] },
        uses: 1,
        what: 'delete secrets',
      },
      event: 'secret.delete',
    }),

  batchRead: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/batch/read',
      summary: 'Read many secrets at once, all or nothing: each path, and every live secret below each prefix.',
      params: NoParams(),
      query: NoQuery(),
      body: z
        .strictObject({
          paths: BatchPaths().optional(),
          prefixes: BatchPrefixes().optional(),
          description: Description().optional().describe('why, for the approvers, should the read be held for approval'),
        })
        // The same path or prefix twice would cost the same work twice.
        .transform((b) => ({
          paths: [...new Set(b.paths ?? [])],
          prefixes: [...new Set(b.prefixes ?? [])],
          ...(b.description === undefined ? {} : { description: b.description }),
        }))
        .refine((b) => b.paths.length + b.prefixes.length > 0, 'give at least one entry in paths or prefixes')
        .refine((b) => b.paths.length + b.prefixes.length <= LIMITS.batch, `at most ${LIMITS.batch} paths and prefixes in all`)
        .describe(
          `At least one entry in paths or prefixes and at most ${LIMITS.batch} in all (a repeated entry counts once); at most ${LIMITS.batch} secrets in the answer.`,
        ),
      response: z.object({ secrets: z.array(SecretValue().omit({ createdAt: true })) }),
      access: {
        users: VALUE_ROLES,
        tokens: true,
        secret: { verb: 'read', paths: (i) => i.body.paths, prefixes: (i) => i.body.prefixes },
        uses: (i) => i.body.paths.length + i.body.prefixes.length,
        what: 'read secrets',
      },
      event: 'secret.batch_read',
      rate: 'read',
    }),

  listMetadata: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/metadata',
      summary: "Secrets' metadata below `prefix`, never values; a token sees what its list scopes cover.",
      params: NoParams(),
      query: z.strictObject({
        prefix: PathPrefix().optional(),
        deleted: QueryFlag().optional(),
      }),
      body: NoBody(),
      response: z.object({ secrets: z.array(SecretMetadata()) }),
      access: {
        users: METADATA_ROLES,
        tokens: true,
        secret: { verb: 'list', filter: true, prefixes: (i) => [i.query.prefix ?? ''] },
        uses: 1,
        what: 'list secrets',
      },
      event: 'secret.list',
    }),

  getMetadata: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/metadata/{path+}',
      summary: "One secret's metadata and versions, never values.",
      params: PathParam(),
      query: NoQuery(),
      body: NoBody(),
      response: SecretDetail(),
      access: {
        users: METADATA_ROLES,
        tokens: true,
        secret: { verb: 'list', paths: (i) => [i.params.path] },
        uses: 1,
        what: 'read secret metadata',
      },
      event: 'secret.metadata',
    }),

  queryAudit: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/audit',
      summary: 'Audit records, newest first; with `afterSeq`, oldest first from there (tailing).',
      params: NoParams(),
      query: z.strictObject({
        limit: queryInt(1, LIMITS.auditPage).optional(),
        afterSeq: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
        ...AuditFilters(),
      }),
      body: NoBody(),
      response: z.object({ events: z.array(AuditRecord()), nextSeq: z.number().int() }),
      access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'read the audit log' },
      event: 'audit.query',
      servesBrokenLog: true,
    }),

  auditSummary: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/audit/summary',
      summary:
        'What happened in a window (`since`, default 24h): requests by event and result, reads and writes per secret, per actor and per address, an hourly series, refusals by reason, tokens, exchanges by repository and workflow, approvals, rotations (and what is overdue), lockouts. Counted by the store.',
      params: NoParams(),
      query: z.strictObject({ since: Since().optional(), limit: queryInt(1, 1000).optional() }),
      body: NoBody(),
      response: AuditSummary(),
      access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'summarise the audit log' },
      event: 'audit.summary',
    }),

  auditAnomalies: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/audit/anomalies',
      summary:
        'Suspicious patterns in a window (`since`, default 1h), each with a severity, what to do and the records that triggered it: read volume and spikes against past weeks, bursts of refusals, lockouts, critical access outside business hours, unknown addresses, first reads, new agents and widened scopes, long-lived tokens for critical paths, pipelines from unexpected repositories or refs, overdue rotations, and a log that fails verification. The body carries the thresholds (docs/anomalies.md).',
      params: NoParams(),
      query: NoQuery(),
      body: z.strictObject({ since: Since().optional(), config: AnomalyConfig().optional() }),
      response: AnomalyReport(),
      access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'check the audit log for anomalies' },
      event: 'audit.anomalies',
      servesBrokenLog: true,
    }),

  verifyAudit: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/audit/verify',
      summary: 'Recompute the whole hash chain and check it against the authenticated head.',
      params: NoParams(),
      query: NoQuery(),
      body: NoBody(),
      response: Verification(),
      access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'verify the audit log' },
      event: 'audit.verify',
      servesBrokenLog: true,
      answersWithoutAudit: true,
    }),

  exportAudit: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/audit/export',
      summary: 'Every matching record with its chain fields: JSON with a signed checkpoint, or CSV.',
      params: NoParams(),
      query: z.strictObject({ format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional(), ...AuditFilters() }),
      body: NoBody(),
      response: AuditExport(),
      text: 'text/csv; charset=utf-8',
      access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'export the audit log' },
      event: 'audit.export',
      servesBrokenLog: true,
      answersWithoutAudit: true,
    }),

  auditCheckpoint: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/audit/checkpoint',
      summary: 'A signed (Ed25519) checkpoint of the chain head, to keep off the vault machine.',
      params: NoParams(),
      query: NoQuery(),
      body: NoBody(),
      response: Checkpoint(),
      access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'read audit checkpoints' },
      event: 'audit.checkpoint',
    }),

  rotateAgentKey: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/agents/{name}/key',
      summary:
        "Give an agent a new key (shown once). The old key keeps working for `grace` (default 1h; 0 ends it now), so whatever holds it can switch over. An admin, the agent's own key, or a rotator with `secrets:rotate` on `path`, a secret under an agent-key rotation policy for this agent.",
      params: z.strictObject({ name: Name() }),
      query: NoQuery(),
      body: z.strictObject({
        grace: Grace().optional(),
        path: SecretPath().optional().describe('for a rotator: the secret whose agent-key rotation policy names this agent'),
      }),
      response: z.object({
        name: z.string(),
        agentKey: z.string(),
        keyId: z.string(),
        previousKeyId: z.string(),
        previousKeyUntil: NullableTime(),
      }),
      access: { users: ADMIN, agent: true, tokens: true, what: 'rotate agent keys' },
      event: 'agent.rotate_key',
    }),

  listRotationPolicies: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/rotation/policies',
      summary:
        'Rotation policies, and every secret one covers with when it is due (`due`: only those due or overdue, disabled policies included, or whose replaced value is due to be revoked). A token sees what its rotate scopes cover.',
      params: NoParams(),
      query: z.strictObject({ due: QueryFlag().optional(), prefix: PathPrefix().optional() }),
      body: NoBody(),
      response: z.object({ policies: z.array(RotationPolicy()), secrets: z.array(RotationStatus()) }),
      access: {
        users: METADATA_ROLES,
        tokens: true,
        secret: { verb: 'rotate', filter: true, prefixes: (i) => [i.query.prefix ?? ''] },
        what: 'list rotation policies',
      },
      event: 'rotation.list',
    }),

  putRotationPolicy: () =>
    defineRoute({
      method: 'PUT',
      path: '/v1/rotation/policies/{path+}',
      summary:
        'Set the rotation policy of a secret (`path`) or of every secret below a prefix (`prefix/*`): the rotator and its settings, the interval (default by type and tier), the grace period, where to notify.',
      params: z.strictObject({ path: z.string().min(1).max(1100) }),
      query: NoQuery(),
      body: z.strictObject({
        rotator: z.enum(ROTATORS, { error: `must be one of ${ROTATORS.join(', ')}` }),
        settings: z.record(z.string().max(64), z.unknown()).optional(),
        every: Duration('rotation interval').optional(),
        grace: Grace().optional(),
        notify: RotationNotify().optional(),
        enabled: z.boolean().optional(),
      }),
      response: RotationPolicy(),
      access: { users: ADMIN, what: 'set rotation policies' },
      event: 'rotation.policy_set',
    }),

  deleteRotationPolicy: () =>
    defineRoute({
      method: 'DELETE',
      path: '/v1/rotation/policies/{path+}',
      summary: 'Remove a rotation policy (the secrets stay as they are).',
      params: z.strictObject({ path: z.string().min(1).max(1100) }),
      query: NoQuery(),
      body: NoBody(),
      response: z.object({ path: z.string(), deleted: z.literal(true) }),
      access: { users: ADMIN, what: 'delete rotation policies' },
      event: 'rotation.policy_delete',
    }),

  beginRotation: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/rotation/begin/{path+}',
      summary:
        "Begin rotating a secret: takes its lease (`lease`, default 15m) and returns the rotation's id. Refused while another rotation holds it; the same `rotationId` again resumes (or says how it ended).",
      params: PathParam(),
      query: NoQuery(),
      body: z.strictObject({
        rotationId: RotationId().optional(),
        rotator: z.enum(ROTATORS, { error: `must be one of ${ROTATORS.join(', ')}` }),
        lease: Duration('lease').optional(),
        force: z
          .boolean()
          .optional()
          .describe('rotate even while the previous value is in its grace period, ending it early (a leaked value)'),
      }),
      response: RotationState(),
      access: {
        users: VALUE_ROLES,
        tokens: true,
        secret: { verb: 'rotate', paths: (i) => [i.params.path] },
        uses: 1,
        what: 'rotate secrets',
      },
      event: 'rotation.begin',
    }),

  putPendingValue: () =>
    defineRoute({
      method: 'PUT',
      path: '/v1/rotation/pending/{path+}',
      summary: 'Store the new value as the pending version (not yet what a read returns); again replaces it.',
      params: PathParam(),
      query: NoQuery(),
      body: z.strictObject({
        rotationId: RotationId(),
        value: z
          .string({ error: 'value must be a string' })
          .min(1, 'value is empty')
          .describe(`at most ${LIMITS.valueBytes} bytes in UTF-8`),
      }),
      response: RotationState(),
      access: {
        users: VALUE_ROLES,
        tokens: true,
        secret: { verb: 'rotate', paths: (i) => [i.params.path] },
        uses: 1,
        what: 'rotate secrets',
      },
      event: 'rotation.pending',
    }),

  finishRotation: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/rotation/finish/{path+}',
      summary:
        "Promote the pending version to current; the current one becomes previous, readable for `grace` (default: the policy's, else 1h).",
      params: PathParam(),
      query: NoQuery(),
      body: z.strictObject({ rotationId: RotationId(), grace: Grace().optional() }),
      response: RotationState(),
      access: {
        users: VALUE_ROLES,
        tokens: true,
        secret: { verb: 'rotate', paths: (i) => [i.params.path] },
        uses: 1,
        what: 'rotate secrets',
      },
      event: 'rotation.finish',
    }),

  abortRotation: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/rotation/abort/{path+}',
      summary: 'Drop the pending version and release the lease; the current value stays.',
      params: PathParam(),
      query: NoQuery(),
      body: z.strictObject({ rotationId: RotationId(), reason: z.string().min(1).max(500) }),
      response: RotationState(),
      access: {
        users: VALUE_ROLES,
        tokens: true,
        secret: { verb: 'rotate', paths: (i) => [i.params.path] },
        uses: 1,
        what: 'rotate secrets',
      },
      event: 'rotation.abort',
    }),

  retirePrevious: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/rotation/retire/{path+}',
      summary:
        'After its grace period, once the rotator has revoked the replaced value at its provider: forget it (the previous stage is gone, for rotators too).',
      params: PathParam(),
      query: NoQuery(),
      body: z.strictObject({ version: z.number().int().min(1) }),
      response: z.object({ path: z.string(), version: z.number().int(), retired: z.literal(true) }),
      access: {
        users: VALUE_ROLES,
        tokens: true,
        secret: { verb: 'rotate', paths: (i) => [i.params.path] },
        uses: 1,
        what: 'rotate secrets',
      },
      event: 'rotation.retire',
    }),

  listLockouts: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/lockouts',
      summary:
        'Addresses and credential ids in a lockout, or still counting failed credential checks (`all`), with when each lockout ends.',
      params: NoParams(),
      query: z.strictObject({ all: QueryFlag().optional() }),
      body: NoBody(),
      response: z.object({ lockouts: z.array(Lockout()) }),
      access: { users: ADMIN, what: 'list lockouts' },
      event: 'lockout.list',
      servesBrokenLog: true,
    }),

  clearLockouts: () =>
    defineRoute({
      method: 'DELETE',
      path: '/v1/lockouts',
      summary: 'End lockouts and forget their counters: one `address`, one `credential` id, or `all`.',
      params: NoParams(),
      query: z
        .strictObject({
          address: z.string().min(1).max(100).optional(),
          credential: z
            .string()
            .regex(
              /^(user|agent|token|pipeline):[A-Za-z0-9]{1,100}$/,
              'must be KIND:ID as ass lockouts list shows it, such as token:4f7KpQ2mX9aB3cD1',
            )
            .optional(),
          all: QueryFlag().optional(),
        })
        .refine((q) => [q.address, q.credential, q.all].filter((x) => x !== undefined && x !== false).length === 1, {
          message: 'give exactly one of address, credential or all',
        }),
      body: NoBody(),
      response: z.object({ cleared: z.number().int() }),
      access: { users: ADMIN, what: 'clear lockouts' },
      event: 'lockout.clear',
    }),

  approvalPolicy: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/approvals/policy',
      summary: 'The approval policy: required approvals and timeout per tier and per path prefix, who may approve, the webhook.',
      params: NoParams(),
      query: NoQuery(),
      body: NoBody(),
      response: ApprovalPolicy(),
      access: { users: ROLES, agent: true, tokens: true, what: 'read the approval policy' },
      event: 'approval.policy_show',
    }),

  setApprovalPolicy: () =>
    defineRoute({
      method: 'PUT',
      path: '/v1/approvals/policy',
      summary:
        'Replace the approval policy (`expectedRevision`: only if nobody changed it since). Every approver it names must be an admin or an approver.',
      params: NoParams(),
      query: NoQuery(),
      body: ApprovalPolicyInput(),
      response: ApprovalPolicy(),
      access: { users: ADMIN, what: 'set the approval policy' },
      event: 'approval.policy_set',
    }),

  listApprovals: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/approvals',
      summary:
        'Approval requests, newest first: every one for admins and approvers, their own for everybody else (`status` narrows; default pending and approved).',
      params: NoParams(),
      query: z.strictObject({
        status: z
          .enum(['pending', 'approved', 'denied', 'expired', 'collected', 'all'], {
            error: 'must be pending, approved, denied, expired, collected or all',
          })
          .optional(),
        limit: queryInt(1, 1000).optional(),
      }),
      body: NoBody(),
      response: z.object({ approvals: z.array(Approval()) }),
      access: { users: ROLES, agent: true, tokens: true, what: 'list approval requests' },
      event: 'approval.list',
    }),

  getApproval: () =>
    defineRoute({
      method: 'GET',
      path: '/v1/approvals/{id}',
      summary:
        'One approval request: what it covers, who asked, who may approve, the decisions so far (approvers, and the requester polling).',
      params: z.strictObject({ id: ApprovalId() }),
      query: NoQuery(),
      body: NoBody(),
      response: Approval(),
      access: { users: ROLES, agent: true, tokens: true, what: 'read approval requests' },
      event: 'approval.show',
    }),

  approveRequest: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/approvals/{id}/approve',
      summary:
        'Approve a pending request (an admin or approver, never the requester; N required approvals means N distinct approvers). Final.',
      params: z.strictObject({ id: ApprovalId() }),
      query: NoQuery(),
      body: z.strictObject({ reason: Description().optional() }),
      response: Approval(),
      access: { users: ROLES, what: 'approve requests' },
      event: 'approval.approve',
    }),

  denyRequest: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/approvals/{id}/deny',
      summary: 'Deny a pending request, with a reason the requester sees. One denial ends it.',
      params: z.strictObject({ id: ApprovalId() }),
      query: NoQuery(),
      body: z.strictObject({ reason: Description().min(1, 'give a reason: the requester sees it') }),
      response: Approval(),
      access: { users: ROLES, what: 'deny requests' },
      event: 'approval.deny',
    }),

  collectApproval: () =>
    defineRoute({
      method: 'POST',
      path: '/v1/approvals/{id}/collect',
      summary:
        "The requester collects what an approved request asked for, once: a token (the requested TTL and `maxUses`, reading only the approved paths among those needing approval) or the held read's values. A pipeline sends a fresh OIDC token of the same run. Pending: 202 `approval_required` again.",
      params: z.strictObject({ id: ApprovalId() }),
      query: NoQuery(),
      body: z.strictObject({
        oidcToken: z
          .string()
          .min(1)
          .max(16 * 1024)
          .optional()
          .describe('for an exchange held for approval: a fresh OIDC token of the same CI run'),
      }),
      response: Collected(),
      access: { users: ROLES, agent: true, tokens: true, what: 'collect approved requests' },
      event: 'approval.collect',
    }),
});

// Every entry is a route declaration.
API satisfies Record<string, RouteDef>;

export type Api = typeof API;
export type RouteName = keyof Api;
