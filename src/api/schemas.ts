/**
 * The shapes that cross the wire: request fields (validated on the server, typed for the client)
 * and response objects (the server serialises every answer through them, so a field that is not
 * declared here never leaves it; the client checks every answer against them).
 */
import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import {
  ACTOR_TYPES,
  APPROVAL_KINDS,
  APPROVAL_STATUSES,
  AUDIT_EVENTS,
  AUDIT_STATUSES,
  ROLES,
  ROTATORS,
  SECRET_TYPES,
  STAGES,
  TIERS,
} from '../core/model.js';
import { parsePathPrefix, parseSecretPath } from '../core/paths.js';
import { quoteName } from '../core/text.js';

/**
 * Builds a schema on first use and keeps it. zod builds schemas eagerly, and at a cost (tens of
 * microseconds per node): a process that uses three routes of twenty-four (the fetch action) must
 * not pay for the rest when it starts.
 */
export function lazy<T>(make: () => T): (() => T) & { readonly lazySchema: true } {
  let value: T | undefined;
  return Object.assign(() => (value ??= make()), { lazySchema: true as const });
}

/** Size limits for stored values and free text. */
export const LIMITS = {
  valueBytes: 64 * 1024,
  description: 512,
  name: 64,
  scopes: 64,
  allowedIps: 64,
  batch: 500,
  maxUses: 1_000_000,
  auditPage: 100_000,
} as const;

// ---------------------------------------------------------------------------------------------
// Building blocks

/** Times on the wire: ISO 8601 in UTC. */
export const Time = lazy(() => z.iso.datetime());
export const NullableTime = lazy(() => Time().nullable());

/** A secret path as a path parameter or body field: checked by the path rules, never normalised. */
export const SecretPath = lazy(() =>
  z
    .codec(z.string(), z.string(), {
      decode: (s) => parseSecretPath(s),
      encode: (s) => s,
    })
    .describe('a secret path, such as production/payments/stripe/secret-key'),
);

/** A path prefix: the secrets below it, at any depth. `what` names it in errors (default "path prefix"). */
export const PathPrefix = (what?: string) =>
  z
    .codec(z.string(), z.string(), {
      decode: (s) => parsePathPrefix(s, what),
      encode: (s) => s,
    })
    .describe('a path prefix such as production/payments: the secrets below it, at any depth');

export const Name = lazy(() =>
  z
    .string()
    .min(1, 'give a name')
    .max(LIMITS.name)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit'),
);

/** A token id as shown in listings: 16 letters and digits. */
export const TokenId = lazy(() =>
  z.string().regex(/^[0-9A-Za-z]{16}$/, 'a token id is 16 letters and digits, as shown by ass tokens list'),
);

export const ScopeList = lazy(() => z.array(z.string().max(600)).min(1, 'give at least one scope').max(LIMITS.scopes));

/** A duration as `15m`/`1h`, or whole seconds; parsed to seconds. */
export const Ttl = lazy(() =>
  z
    .union([z.string().max(40), z.number()])
    .transform((v) => parseDuration(v, 'TTL'))
    .describe('a duration such as 15m or 1h, or whole seconds'),
);

const Description = lazy(() =>
  z
    .string()
    .max(LIMITS.description)
    .regex(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
      /^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/,
      'a description is one line of text, without control characters or direction overrides',
    ),
);

/** A boolean query parameter: `true` or `false`. */
export const QueryFlag = lazy(() =>
  z.codec(z.enum(['true', 'false'], { error: 'must be true or false' }), z.boolean(), {
    decode: (s) => s === 'true',
    encode: (b) => (b ? 'true' : 'false'),
  }),
);

/** A whole-number query parameter. */
export const queryInt = (min: number, max: number) =>
  z.codec(
    z.string().regex(/^\d{1,15}$/, `must be a whole number from ${min} to ${max}`),
    z.number().int().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`),
    {
      decode: (s) => Number(s),
      encode: (n) => String(n),
    },
  );

// ---------------------------------------------------------------------------------------------
// Identities

export const TrustPolicyInput = lazy(() =>
  z.strictObject({
    issuer: z.string().max(512).optional(),
    claims: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    scopes: z.array(z.string().max(600)).max(LIMITS.scopes).optional(),
  }),
);

export const TrustPolicy = lazy(() =>
  z.object({
    issuer: z.string(),
    claims: z.record(z.string(), z.string()),
    scopes: z.array(z.string()).optional(),
  }),
);
// The wire shape and the vault's own type (src/core/model.ts) are one: either change breaks the build.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const trustPolicyIsOneType: Same<z.output<ReturnType<typeof TrustPolicy>>, import('../core/model.js').TrustPolicy> = true;
void trustPolicyIsOneType;

export const WhoAmI = lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('user'), id: z.string(), name: z.string(), role: z.enum(ROLES) }),
    z.object({
      kind: z.literal('agent'),
      id: z.string(),
      name: z.string(),
      scopes: z.array(z.string()),
      trustPolicy: TrustPolicy().nullable(),
    }),
    z.object({
      kind: z.enum(['token', 'pipeline']),
      id: z.string(),
      agent: z.string(),
      scopes: z.array(z.string()),
      expiresAt: Time(),
      claims: z.record(z.string(), z.string()).nullable(),
    }),
  ]),
);

export const Agent = lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    description: z.string().nullable(),
    trustPolicy: TrustPolicy().nullable(),
    createdAt: Time(),
    revokedAt: NullableTime(),
  }),
);

export const CreatedAgent = lazy(() => Agent().extend({ agentKey: z.string() }));

export const User = lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    /** May decide approval requests (admins may whether or not this is set). */
    approver: z.boolean(),
    createdAt: Time(),
    revokedAt: NullableTime(),
  }),
);

export const CreatedUser = lazy(() => User().extend({ token: z.string() }));

// ---------------------------------------------------------------------------------------------
// Tokens

/** A scoped or pipeline token as listings show it: never the credential or its hash. */
export const Token = lazy(() =>
  z.object({
    id: z.string(),
    kind: z.enum(['token', 'pipeline']),
    agent: z.string().nullable(),
    scopes: z.array(z.string()),
    createdAt: Time(),
    expiresAt: Time(),
    maxUses: z.number().int().nullable(),
    uses: z.number().int(),
    allowedIps: z.array(z.string()),
    description: z.string().nullable(),
    revokedAt: NullableTime(),
    active: z.boolean(),
    /** Pipeline tokens: the CI claims they are bound to (repository, run_id, ...). */
    claims: z.record(z.string(), z.string()).nullable(),
  }),
);

/** A token just minted: the credential, shown once, and its listing entry. */
export const IssuedToken = lazy(() => Token().extend({ token: z.string() }));

export const Revoked = lazy(() => z.object({ id: z.string(), revoked: z.literal(true) }));

// ---------------------------------------------------------------------------------------------
// Secrets

const SecretType = lazy(() => z.enum(SECRET_TYPES));
const Tier = lazy(() => z.enum(TIERS));

export const StoredSecret = lazy(() =>
  z.object({ path: z.string(), version: z.number().int(), type: SecretType(), tier: Tier(), createdAt: Time() }),
);

export const SecretValue = lazy(() => StoredSecret().extend({ value: z.string() }));

export const SecretMetadata = lazy(() =>
  z.object({
    path: z.string(),
    version: z.number().int(),
    type: SecretType(),
    tier: Tier(),
    description: z.string().nullable(),
    createdAt: Time(),
    updatedAt: Time(),
    deleted: z.boolean(),
  }),
);

export const SecretVersion = lazy(() =>
  z.object({
    version: z.number().int(),
    /** current, previous (readable with ?stage=previous until `previousUntil`), pending (being rotated in), or null. */
    stage: z.enum(STAGES).nullable(),
    type: SecretType(),
    tier: Tier(),
    createdAt: Time(),
    createdBy: z.string(),
    deletedAt: NullableTime(),
  }),
);

export const SecretDetail = lazy(() =>
  SecretMetadata().extend({
    versions: z.array(SecretVersion()),
    /** Until when the previous version stays readable (null: there is none). */
    previousUntil: NullableTime(),
    /** The rotation holding the secret's lease, if one does. */
    rotation: z.object({ rotationId: z.string(), rotator: z.string().nullable(), leaseUntil: NullableTime() }).nullable(),
  }),
);

export const BatchPaths = lazy(() => z.array(SecretPath()).max(LIMITS.batch));
export const BatchPrefixes = lazy(() => z.array(PathPrefix()).max(LIMITS.batch));

// ---------------------------------------------------------------------------------------------
// Audit

export const AuditStatus = lazy(() => z.enum(AUDIT_STATUSES));

export const AuditRecord = lazy(() =>
  z.object({
    seq: z.number().int(),
    time: Time(),
    requestId: z.string(),
    event: z.string(),
    status: AuditStatus(),
    actorType: z.enum(ACTOR_TYPES),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    agent: z.string().nullable(),
    tokenId: z.string().nullable(),
    path: z.string().nullable(),
    tier: z.string().nullable(),
    reason: z.string().nullable(),
    ip: z.string().nullable(),
    claims: z.record(z.string(), z.string()).nullable(),
    prevHash: z.string(),
    hash: z.string(),
  }),
);

/** `eventType=secret.read,secret.write`: a list of known events. */
export const EventTypes = lazy(() =>
  z
    .codec(
      z.string().max(2000),
      z
        .array(
          z.enum(AUDIT_EVENTS, {
            error: (iss) => `${quoteName(String(iss.input))} is not an audit event; the events are ${AUDIT_EVENTS.join(', ')}`,
          }),
        )
        .min(1, 'name at least one audit event'),
      {
        decode: (s) =>
          s
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean) as (typeof AUDIT_EVENTS)[number][],
        encode: (list) => list.join(','),
      },
    )
    .describe('audit events, comma-separated: secret.read,secret.write'),
);

/** `since`: a duration back from now (`15m`, `7d`) or an ISO time. The server resolves it against its clock. */
export const Since = lazy(() =>
  z
    .string()
    .max(40)
    .refine((s) => (/^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s))) || /^(\d+|(\d+[smhd])+)$/.test(s.trim()), {
      message: 'must be a duration back from now (15m, 1h, 7d) or an ISO time (2026-01-31T12:00:00Z)',
    })
    .describe('a duration back from now (15m, 1h, 7d) or an ISO time (2026-01-31T12:00:00Z)'),
);

/** The audit filters, as query parameters (every audit route that filters takes them). */
export const AuditFilters = lazy(() => ({
  since: Since().optional(),
  eventType: EventTypes().optional(),
  status: AuditStatus().optional(),
  resourcePath: PathPrefix('resourcePath').optional(),
}));

export const Problem = lazy(() => z.object({ seq: z.number().int().nullable(), kind: z.string(), message: z.string() }));

export const Health = lazy(() =>
  z.object({
    status: z
      .enum(['ok', 'degraded', 'failing'])
      .describe(
        'ok; degraded: the vault serves, but the last checkpoint could not be sent to the sink; failing: the audit log failed verification and the vault releases and changes nothing until it is restored',
      ),
    audit: z.enum(['intact', 'broken']).describe('whether the audit log passed its last verification'),
    checkpoints: z
      .enum(['ok', 'failing'])
      .optional()
      .describe('with a checkpoint sink: whether the last checkpoint reached it (the server log says why not)'),
  }),
);

export const Verification = lazy(() =>
  z.object({
    ok: z.boolean(),
    count: z.number().int(),
    headSeq: z.number().int(),
    headHash: z.string(),
    problems: z.array(Problem()),
  }),
);

export const Checkpoint = lazy(() =>
  z.object({
    origin: z.string(),
    seq: z.number().int(),
    hash: z.string(),
    time: z.string(),
    signature: z.string(),
    publicKey: z.string(),
  }),
);

export const AuditExport = lazy(() =>
  z.object({
    version: z.literal(1),
    events: z.array(AuditRecord()),
    checkpoint: Checkpoint().nullable(),
    warning: z.string().optional(),
  }),
);

export { Description, SecretType, Tier };

// ---------------------------------------------------------------------------------------------
// Rotation

/** A duration option (`--every 30d`, `--grace 1h`): a string with units, or whole seconds. */
export const Duration = (what: string) =>
  z
    .union([z.string().max(40), z.number()])
    .transform((v) => parseDuration(v, what))
    .describe('a duration such as 1h, 30d or 90m, or whole seconds');

/** A grace period: a duration, or 0 (also "0s") to end the replaced value's life at once. */
export const Grace = lazy(() =>
  z.union([z.literal(0), z.enum(['0', '0s', '0m', '0h']).transform(() => 0 as const), Duration('grace period')]),
);

export const RotationId = lazy(() =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'a rotation id is 8 to 64 letters, digits, _ or - (the begin step returns one)')
    .describe('the id the begin step returned (or chose: a rerun with the same id resumes)'),
);

export const RotationState = lazy(() =>
  z.object({
    rotationId: z.string(),
    path: z.string(),
    state: z.enum(['pending', 'finished', 'aborted']),
    rotator: z.string(),
    fromVersion: z.number().int(),
    toVersion: z.number().int().nullable(),
    pendingVersion: z.number().int().nullable(),
    leaseUntil: NullableTime(),
    previousVersion: z.number().int().nullable(),
    previousUntil: NullableTime(),
    resumed: z.boolean(),
    reason: z.string().nullable(),
  }),
);

export const RotationNotify = lazy(() =>
  z.strictObject({
    webhook: z.string().max(2000).optional().describe('an https URL told of each rotation (plain http only to loopback)'),
    webhookSecret: SecretPath().optional().describe('the vault path of the HMAC-SHA256 key that signs each webhook'),
    dispatch: z
      .strictObject({
        repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'OWNER/REPO'),
        eventType: z.string().min(1).max(100),
      })
      .optional()
      .describe('a repository_dispatch event sent after each rotation'),
  }),
);

export const RotationPolicy = lazy(() =>
  z.object({
    path: z.string(),
    rotator: z.enum(ROTATORS),
    settings: z.record(z.string(), z.unknown()),
    /** Seconds; null: the default for each secret's type and tier. */
    intervalSeconds: z.number().int().nullable(),
    graceSeconds: z.number().int(),
    notify: RotationNotify().nullable(),
    enabled: z.boolean(),
    createdAt: Time(),
    updatedAt: Time(),
    updatedBy: z.string(),
  }),
);

/** Where one secret stands with its rotation policy. */
export const RotationStatus = lazy(() =>
  z.object({
    path: z.string(),
    type: SecretType(),
    tier: Tier(),
    policy: z.string(),
    rotator: z.enum(ROTATORS),
    enabled: z.boolean(),
    intervalSeconds: z.number().int(),
    version: z.number().int(),
    lastRotatedAt: Time(),
    nextDue: Time(),
    /** The interval has passed (for a disabled policy too: a schedule that stopped must show). */
    due: z.boolean(),
    overdueSeconds: z.number().int(),
    rotating: z.object({ rotationId: z.string(), leaseUntil: NullableTime() }).nullable(),
    previousUntil: NullableTime(),
    /** The grace period of the value the last rotation replaced has ended, and it has not been revoked yet. */
    revokeDue: z.boolean(),
  }),
);

// ---------------------------------------------------------------------------------------------
// Approvals

/** Approval request ids, as listings show them: 16 letters and digits. */
export const ApprovalId = lazy(() =>
  z.string().regex(/^[0-9A-Za-z]{16}$/, 'an approval id is 16 letters and digits, as ass approvals list shows it'),
);

/** How many distinct approvers a rule wants, and how long a request waits for them. */
const ApprovalRuleInput = lazy(() =>
  z.strictObject({
    requiredApprovals: z.number().int().min(0, 'requiredApprovals is 0 (no approval) or more').max(10, 'requiredApprovals is at most 10'),
    timeout: Duration('approval timeout').optional().describe('how long a request waits for its approvals (default 24h, at most 7d)'),
  }),
);

export const ApprovalPolicyInput = lazy(() =>
  z.strictObject({
    tiers: z.strictObject({ standard: ApprovalRuleInput(), sensitive: ApprovalRuleInput(), critical: ApprovalRuleInput() }),
    prefixes: z
      .array(
        ApprovalRuleInput().extend({
          prefix: PathPrefix('approval prefix'),
          tier: Tier().optional().describe('only secrets of this tier below the prefix (default: every tier)'),
          approvers: z.array(Name()).max(100).optional().describe('only these users may approve (each an admin or an approver)'),
        }),
      )
      .max(100)
      .optional()
      .describe('rules for the secrets below a prefix; the longest matching prefix wins over the tier rule'),
    approvers: z
      .array(Name())
      .max(100)
      .optional()
      .describe('only these users may approve (each an admin or an approver); empty: every admin and approver'),
    notify: RotationNotify()
      .omit({ dispatch: true })
      .optional()
      .describe('a webhook told of each request and decision, in a shape a Slack incoming webhook accepts'),
    expectedRevision: z.number().int().min(0).optional().describe('refuse the change unless the stored policy is at this revision'),
  }),
);

const ApprovalRule = lazy(() => z.object({ requiredApprovals: z.number().int(), timeoutSeconds: z.number().int() }));

export const ApprovalPolicy = lazy(() =>
  z.object({
    tiers: z.object({ standard: ApprovalRule(), sensitive: ApprovalRule(), critical: ApprovalRule() }),
    prefixes: z.array(ApprovalRule().extend({ prefix: z.string(), tier: Tier().nullable(), approvers: z.array(z.string()) })),
    approvers: z.array(z.string()),
    notify: z.object({ webhook: z.string(), webhookSecret: z.string() }).nullable(),
    /** 0 for the built-in default (no policy was ever set). */
    revision: z.number().int(),
    updatedAt: NullableTime(),
    updatedBy: z.string().nullable(),
  }),
);

export const Approval = lazy(() =>
  z.object({
    id: z.string(),
    kind: z.enum(APPROVAL_KINDS),
    status: z.enum(APPROVAL_STATUSES),
    requester: z.object({
      type: z.enum(['user', 'agent', 'token', 'pipeline']),
      name: z.string(),
      tokenId: z.string().nullable(),
      /** A pipeline's CI claims: repository, workflow, ref, run. */
      claims: z.record(z.string(), z.string()).nullable(),
    }),
    /** The secrets the approvers decide on. */
    paths: z.array(z.string()),
    /** The scopes a token request asked for (none for a read). */
    scopes: z.array(z.string()),
    ttl: z.number().int().nullable(),
    maxUses: z.number().int().nullable(),
    description: z.string().nullable(),
    ip: z.string(),
    requiredApprovals: z.number().int(),
    /** The approvals that count: by distinct users who may still approve (all of them once decided). */
    approvals: z.number().int(),
    /** Who may approve: admins and approvers, as the policy narrows them, never the requester. */
    approvers: z.array(z.string()),
    rule: z.string(),
    decisions: z.array(z.object({ user: z.string(), decision: z.enum(['approve', 'deny']), reason: z.string().nullable(), at: Time() })),
    createdAt: Time(),
    expiresAt: Time(),
    decidedAt: NullableTime(),
    collectedAt: NullableTime(),
    approveCommand: z.string(),
  }),
);

/** What a collection releases: the token asked for, or the values a held read asked for. */
export const Collected = lazy(() =>
  z.object({
    approval: Approval(),
    token: IssuedToken().optional(),
    secrets: z.array(SecretValue().omit({ createdAt: true })).optional(),
  }),
);

// ---------------------------------------------------------------------------------------------
// Audit summaries

const Count = lazy(() => z.number().int());

export const AuditSummary = lazy(() =>
  z.object({
    since: Time(),
    until: Time(),
    requests: Count(),
    granted: Count(),
    denied: Count(),
    errors: Count(),
    pending: Count(),
    events: z.array(z.object({ event: z.string(), granted: Count(), denied: Count(), error: Count(), pending: Count() })),
    secrets: z.array(z.object({ path: z.string(), tier: z.string().nullable(), reads: Count(), writes: Count(), denied: Count() })),
    actors: z.array(
      z.object({ type: z.string(), name: z.string().nullable(), agent: z.string().nullable(), requests: Count(), denied: Count() }),
    ),
    addresses: z.array(z.object({ ip: z.string().nullable(), requests: Count(), denied: Count() })),
    hours: z.array(z.object({ hour: Time(), requests: Count(), reads: Count(), denied: Count() })),
    /** Refusals grouped by their code (the reason's first word), with one reason as an example. */
    denials: z.array(z.object({ code: z.string(), event: z.string(), count: Count(), example: z.string().nullable() })),
    tokens: z.object({ issued: Count(), exchanged: Count(), revoked: Count() }),
    exchanges: z.array(z.object({ repository: z.string(), workflow: z.string(), granted: Count(), refused: Count() })),
    approvals: z.object({ requested: Count(), approved: Count(), denied: Count(), collected: Count(), expired: Count() }),
    rotations: z.object({
      finished: Count(),
      aborted: Count(),
      /** How many are overdue; `overdue` lists the most overdue first, at most `limit`. */
      overdueTotal: Count(),
      overdue: z.array(z.object({ path: z.string(), tier: z.string(), rotator: z.string(), overdueSeconds: Count() })),
    }),
    lockouts: Count(),
  }),
);

/** The anomaly checks of `POST /v1/audit/anomalies`, each documented in docs/anomalies.md. */
export const ANOMALY_CHECKS = [
  'chain_broken',
  'read_volume',
  'read_spike',
  'denied_burst',
  'lockout',
  'off_hours_critical',
  'unknown_address',
  'first_read',
  'new_agent',
  'widened_scope',
  'long_lived_token',
  'unexpected_pipeline',
  'rotation_overdue',
] as const;
export type AnomalyCheck = (typeof ANOMALY_CHECKS)[number];
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const ClockTime = () =>
  z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time of day as HH:MM (09:00, 18:30; 24:00 for midnight at the end)');
const TimeZone = () =>
  z
    .string()
    .max(64)
    .refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be an IANA time zone such as UTC, Europe/Berlin or America/New_York' },
    );
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * How far back the anomaly checks' window, and their lookback before it, may each reach. What a
 * report costs grows with both (business hours are worked out over them, and each off-hours stretch
 * is a term of one query), so an `audit:read` token cannot ask for decades.
 */
export const MAX_SPAN_DAYS = 366;

const withinSpan = (text: string) => {
  try {
    return parseDuration(text) <= MAX_SPAN_DAYS * 86_400;
  } catch {
    return true; // not a duration: Since() and the server say what it should be
  }
};

/**
 * What the anomaly checks count as normal: thresholds, business hours, known address ranges and
 * pipelines. Every field is optional; the defaults are seed 001's.
 */
export const AnomalyConfig = lazy(() =>
  z.strictObject({
    readsPerHour: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .optional()
      .describe('reads in any hour of the window above which read_volume reports (default 500)'),
    spikeFactor: z
      .number()
      .min(1.5)
      .max(1000)
      .optional()
      .describe("an actor's reads in an hour above this multiple of the same hour's mean in past weeks is a spike (default 3)"),
    spikeMinimum: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .optional()
      .describe('fewer reads than this in an hour are never a spike (default 50)'),
    baselineWeeks: z.number().int().min(1).max(12).optional().describe('how many past weeks make the baseline of read_spike (default 4)'),
    deniedPerHour: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .optional()
      .describe('refused requests from one actor or address in an hour above which denied_burst reports (default 10)'),
    businessHours: z
      .strictObject({
        days: z
          .array(z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }))
          .min(1)
          .max(7)
          .optional(),
        start: ClockTime().optional(),
        end: ClockTime().optional(),
        timeZone: TimeZone().optional(),
      })
      .optional()
      .describe('when critical-tier access is expected (default mon-fri 09:00-19:00 UTC)'),
    offHoursHabit: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe(
        'an actor that used a critical secret outside business hours in at least this many separate nights or weekends of the lookback does so by habit, and is not reported for it (default 4; 0 reports every use)',
      ),
    checkPipelineAddresses: z
      .boolean()
      .optional()
      .describe(
        "also check the addresses of pipelines (OIDC exchanges and pipeline tokens) against knownRanges: for self-hosted runners only (default false: a hosted runner's address changes with every run, and unexpected_pipeline checks who a pipeline is)",
      ),
    knownRanges: z
      .array(z.string().max(64))
      .max(500)
      .optional()
      .describe('address ranges (CIDR) requests are expected from; empty: any address not seen in the lookback is new'),
    lookback: Since()
      .refine(withinSpan, { message: `must be at most ${MAX_SPAN_DAYS}d` })
      .optional()
      .describe(`how far back "never before" and "new" look (default 30d, at most ${MAX_SPAN_DAYS}d)`),
    maxCriticalTokenTtl: z
      .string()
      .max(40)
      .optional()
      .describe('tokens for critical paths living longer than this are reported (default 1h)'),
    pipelines: z
      .strictObject({
        repositories: z.array(z.string().min(1).max(200)).max(500).optional(),
        refs: z.array(z.string().min(1).max(300)).max(500).optional(),
      })
      .optional()
      .describe('the repositories and refs (a trailing * matches any rest) pipelines are expected from; empty: those seen in the lookback'),
    disable: z.array(z.enum(ANOMALY_CHECKS)).max(ANOMALY_CHECKS.length).optional().describe('checks not to run'),
  }),
);

export const Anomaly = lazy(() =>
  z.object({
    check: z.enum(ANOMALY_CHECKS),
    severity: z.enum(SEVERITIES),
    title: z.string().describe('one line'),
    detail: z.string(),
    action: z.string().describe('what to do about it'),
    subject: z
      .object({
        actor: z.string().optional(),
        agent: z.string().optional(),
        path: z.string().optional(),
        tier: z.string().optional(),
        ip: z.string().optional(),
        repository: z.string().optional(),
        ref: z.string().optional(),
        tokenId: z.string().optional(),
      })
      .describe('what the finding is about'),
    count: Count().describe('how many records triggered it'),
    firstTime: NullableTime(),
    lastTime: NullableTime(),
    records: z.array(AuditRecord()).describe('the records that triggered it, at most 10, newest first'),
  }),
);

export const AnomalyReport = lazy(() =>
  z.object({
    since: Time(),
    until: Time(),
    /** Whether the vault's own verification of its log is intact (the monitor, and the records up to now). */
    verified: z.boolean(),
    checks: z.array(z.object({ check: z.enum(ANOMALY_CHECKS), ran: z.boolean(), note: z.string().nullable() })),
    anomalies: z.array(Anomaly()).describe('most severe first'),
    /** The configuration the checks ran with, defaults filled in. */
    config: z.record(z.string(), z.unknown()),
  }),
);
