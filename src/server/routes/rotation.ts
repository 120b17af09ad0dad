/**
 * Rotation in the vault: policies (what rotates how often), and the protocol a rotator follows
 * for one secret — begin (the lease), put the pending value, finish (pending → current → previous
 * until the grace period ends) or abort. Rotators themselves run where the rotation runs (the CLI,
 * the rotate action, `ass server --rotate`): the vault only keeps the stages, refuses a second
 * rotator on a path, and audits every step with the rotation id and who ran it.
 */
import type { z } from 'zod';
import { LIMITS, type RotationStatus } from '../../api/schemas.js';
import { newId } from '../../core/credentials.js';
import { formatDuration } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { isLoopbackHost } from '../../core/net.js';
import { parsePathPrefix, parseSecretPath } from '../../core/paths.js';
import { dueStatus, policyFor } from '../../core/rotation-schedule.js';
import type { RotationPolicyRow, RotationRow, SecretStagesRow } from '../../store/types.js';
import type { ServiceDeps } from '../deps.js';
import { REASON } from '../freshness.js';
import type { Handlers } from '../pipeline.js';
import { actorLabel, iso } from './views.js';

/** The lease a rotation gets unless it asks for less (a rotation that stops half-way frees the path after it). */
const DEFAULT_LEASE_SECONDS = 15 * 60;
const MAX_LEASE_SECONDS = 3600;
/** How long the replaced value stays readable unless the policy or the finish step says otherwise. */
export const DEFAULT_GRACE_SECONDS = 3600;
const MAX_GRACE_SECONDS = 30 * 86_400;
const MAX_SETTINGS_BYTES = 8 * 1024;

function noLease(path: string, rotationId: string, stages: SecretStagesRow | undefined): AppError {
  const holder = stages?.rotationId;
  return new AppError(
    'conflict',
    holder && holder !== rotationId
      ? `Rotation ${rotationId} does not hold the lease on ${path}: rotation ${holder} does. Begin again once it has finished.`
      : `Rotation ${rotationId} does not hold the lease on ${path}: it expired, finished or was aborted. Begin the rotation again (the same id resumes it while it holds the lease).`,
  );
}

/** The answer for a rotation: its record and the secret's stages. */
async function stateOf(deps: ServiceDeps, rotationId: string, path: string, resumed = false) {
  const [rotation, stages] = await Promise.all([deps.store.getRotation(rotationId), deps.store.getSecretStages(path)]);
  if (!rotation) throw new AppError('not_found', `No rotation ${rotationId}.`);
  const holds = stages?.rotationId === rotationId;
  return {
    rotationId,
    path,
    state: rotation.state,
    rotator: rotation.rotator,
    fromVersion: rotation.fromVersion,
    toVersion: rotation.toVersion,
    pendingVersion: holds ? (stages?.pendingVersion ?? null) : null,
    leaseUntil: holds && stages?.leaseUntil ? iso(stages.leaseUntil) : null,
    previousVersion: stages?.previousVersion ?? null,
    previousUntil: stages?.previousUntil ? iso(stages.previousUntil) : null,
    resumed,
    reason: rotation.reason,
  };
}

function checkSeconds(seconds: number, max: number, what: string): number {
  if (seconds > max)
    throw new AppError('invalid_input', `The ${what} may be at most ${formatDuration(max)}; ${formatDuration(seconds)} was given.`);
  return seconds;
}

/** A policy path: a secret path, or `prefix/*` for every secret below the prefix. */
function policyPath(raw: string): string {
  if (raw.endsWith('/*')) return `${parsePathPrefix(raw.slice(0, -2), 'policy prefix')}/*`;
  return parseSecretPath(raw, 'policy path');
}

function checkNotify(notify: { webhook?: string; webhookSecret?: string } | undefined): void {
  if (!notify?.webhook) {
    if (notify?.webhookSecret)
      throw new AppError(
        'invalid_input',
        'A webhook key (notify.webhookSecret, --webhook-secret) needs the webhook URL it signs for (notify.webhook, --webhook).',
      );
    return;
  }
  let url: URL;
  try {
    url = new URL(notify.webhook);
  } catch {
    throw new AppError(
      'invalid_input',
      'notify.webhook is not a URL: give an https:// URL, such as https://deploy.example.com/hooks/rotated.',
    );
  }
  if (url.username || url.password)
    throw new AppError('invalid_input', 'notify.webhook must not carry a user or password; sign with notify.webhookSecret instead.');
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
    throw new AppError(
      'invalid_input',
      'notify.webhook must be https:// (plain http only to loopback): the notice names the secret that changed.',
    );
  }
  if (!notify.webhookSecret) {
    throw new AppError(
      'invalid_input',
      'A webhook (notify.webhook, --webhook) needs the vault path of the key that signs each notice (notify.webhookSecret, --webhook-secret), so the receiver can tell it is genuine.',
    );
  }
}

export function policyView(p: RotationPolicyRow) {
  return {
    path: p.path,
    rotator: p.rotator as RotationRow['rotator'] & ('random' | 'postgres' | 'command' | 'agent-key'),
    settings: p.settings,
    intervalSeconds: p.intervalSeconds,
    graceSeconds: p.graceSeconds,
    notify: (p.notify ?? null) as { webhook?: string; webhookSecret?: string; dispatch?: { repository: string; eventType: string } } | null,
    enabled: p.enabled,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    updatedBy: p.updatedBy,
  };
}

export const rotationHandlers = {
  async listRotationPolicies({ input: { query }, deps, principal, can }) {
    const now = deps.now();
    const prefix = query.prefix ?? '';
    const policies = await deps.store.listRotationPolicies();
    const secrets: z.input<ReturnType<typeof RotationStatus>>[] = [];
    for (const s of await deps.store.listSecrets(prefix, false)) {
      if (!can('rotate', s.path)) continue;
      const policy = policyFor(s.path, policies);
      if (!policy) continue;
      const due = dueStatus({ type: s.type, tier: s.tier, currentSince: s.updatedAt }, policy, now);
      const stages = await deps.store.getSecretStages(s.path);
      // From the log, like every read of the previous stage: the store cannot hide or revive it.
      const rotated = deps.freshness.rotationOf(s.path);
      const revokeDue = rotated !== undefined && !rotated.retired && rotated.previousUntil <= now;
      if (query.due && !due.due && !revokeDue) continue;
      const leased = stages?.rotationId && (stages.leaseUntil ?? 0) > now ? stages : undefined;
      secrets.push({
        path: s.path,
        type: s.type,
        tier: s.tier,
        policy: policy.path,
        rotator: policyView(policy).rotator,
        enabled: policy.enabled,
        intervalSeconds: due.intervalSeconds,
        version: s.version,
        lastRotatedAt: iso(s.updatedAt),
        nextDue: iso(due.nextDue),
        due: due.due,
        overdueSeconds: due.overdueSeconds,
        rotating: leased
          ? { rotationId: leased.rotationId as string, leaseUntil: leased.leaseUntil ? iso(leased.leaseUntil) : null }
          : null,
        previousUntil: rotated && !rotated.retired && rotated.previousUntil > now ? iso(rotated.previousUntil) : null,
        revokeDue,
      });
    }
    // Most urgent first: critical before sensitive before standard, then the longest overdue.
    const rank = { critical: 0, sensitive: 1, standard: 2 } as const;
    secrets.sort((a, b) => rank[a.tier] - rank[b.tier] || b.overdueSeconds - a.overdueSeconds || a.path.localeCompare(b.path));
    // A token sees the policies behind what it may rotate; a user sees them all.
    const shown = principal.kind === 'user' ? policies : policies.filter((p) => secrets.some((s) => s.policy === p.path));
    return { policies: shown.map(policyView), secrets };
  },

  async putRotationPolicy({ input: { params, body }, principal, deps, ctx, commit }) {
    const path = policyPath(params.path);
    ctx.audit.path = path;
    const settings = body.settings ?? {};
    if (Buffer.byteLength(JSON.stringify(settings)) > MAX_SETTINGS_BYTES) {
      throw new AppError('invalid_input', `The rotator settings are over ${MAX_SETTINGS_BYTES} bytes.`);
    }
    if (body.rotator === 'agent-key' && (typeof settings.agent !== 'string' || !(await deps.store.getAgentByName(settings.agent)))) {
      throw new AppError(
        'invalid_input',
        'The agent-key rotator needs the name of an existing agent (settings.agent; ass rotation set --agent NAME; see ass agents list).',
      );
    }
    if (path.endsWith('/*') && body.rotator !== 'random') {
      // A prefix policy covers whatever anyone with write access creates below it: only the random
      // rotator is harmless there. A command would mint provider credentials for a planted secret,
      // a postgres rotation would reset the real login's role.
      throw new AppError(
        'invalid_input',
        `Only the random rotator may cover a prefix (${path}); set a ${body.rotator} policy on each secret's own path, since anyone who can write below the prefix could put a secret under it.`,
      );
    }
    if (body.every !== undefined && body.every < 60) throw new AppError('invalid_input', 'The rotation interval must be at least 1m.');
    checkNotify(body.notify);
    // Each change gets a later revision than the last, even within one millisecond: the log names
    // it, so a copy of an earlier row put back is refused (freshness.ts).
    const before = (await deps.store.listRotationPolicies()).find((p) => p.path === path);
    const now = Math.max(deps.now(), (before?.updatedAt ?? 0) + 1);
    const row: RotationPolicyRow = {
      path,
      rotator: body.rotator,
      settings,
      intervalSeconds: body.every ?? null,
      graceSeconds: checkSeconds(body.grace ?? DEFAULT_GRACE_SECONDS, MAX_GRACE_SECONDS, 'grace period'),
      notify: body.notify ?? null,
      enabled: body.enabled ?? true,
      createdAt: now,
      updatedAt: now,
      updatedBy: actorLabel(principal),
    };
    let outcome = 'created';
    await commit(deps.store.changes.putRotationPolicy(row), (r) => {
      outcome = r;
      ctx.audit.reason = `${REASON.policySet(r, row.updatedAt)}: ${row.rotator}, every ${row.intervalSeconds ? formatDuration(row.intervalSeconds) : 'default for type and tier'}, grace ${formatDuration(row.graceSeconds)}${row.enabled ? '' : ', disabled'}`;
    });
    const stored = (await deps.store.listRotationPolicies()).find((p) => p.path === path);
    deps.logger.info(`rotation policy for ${path} ${outcome} by ${actorLabel(principal)}`);
    return policyView(stored ?? row);
  },

  async deleteRotationPolicy({ input: { params }, deps, ctx, commit }) {
    const path = policyPath(params.path);
    ctx.audit.path = path;
    ctx.audit.reason = 'rotation policy deleted';
    await commit(deps.store.changes.deleteRotationPolicy(path), (deleted) => {
      if (!deleted) throw new AppError('not_found', `No rotation policy for ${path}; see ass rotation list.`);
    });
    return { path, deleted: true as const };
  },

  async beginRotation({ input: { params, body }, principal, deps, ctx, commit }) {
    const { path } = params;
    const now = deps.now();
    const rotationId = body.rotationId ?? newId();
    const lease = checkSeconds(body.lease ?? DEFAULT_LEASE_SECONDS, MAX_LEASE_SECONDS, 'lease');
    const leaseUntil = now + lease * 1000;
    const rotation: RotationRow = {
      id: rotationId,
      path,
      rotator: body.rotator,
      state: 'pending',
      startedBy: actorLabel(principal),
      startedAt: now,
      finishedAt: null,
      fromVersion: 0,
      toVersion: null,
      reason: null,
    };
    let resumed = false;
    await commit(deps.store.changes.beginRotation(rotation, leaseUntil, now, body.force === true), (r) => {
      switch (r.result) {
        case 'no_secret':
          throw new AppError('not_found', `No secret at ${path} to rotate: create it first (ass secrets set), then rotate it.`);
        case 'conflict_id':
          throw new AppError('conflict', `Rotation id ${rotationId} belongs to a rotation of another secret; use a new id.`);
        case 'busy':
          throw new AppError(
            'conflict',
            `Rotation ${r.stages.rotationId} (${r.stages.rotator}) is rotating ${path} until ${iso(r.stages.leaseUntil ?? now)}; wait for it, or abort it (ass rotate ${path} --abort ${r.stages.rotationId}).`,
            { retryAfter: Math.max(1, Math.ceil(((r.stages.leaseUntil ?? now) - now) / 1000)) },
          );
        case 'in_grace':
          throw new AppError(
            'conflict',
            `The previous value of ${path} (version ${r.stages.previousVersion}) is in its grace period until ${iso(r.stages.previousUntil ?? now)}; rotating now would end it early. Wait, or rotate with --force if the current value leaked.`,
            { retryAfter: Math.max(1, Math.ceil(((r.stages.previousUntil ?? now) - now) / 1000)) },
          );
        case 'ended':
          ctx.audit.reason = `rotation ${rotationId} (${r.rotation.rotator}) asked again: it ${r.rotation.state}`;
          return;
        default:
          resumed = r.result === 'resumed';
          ctx.audit.tier = null;
          ctx.audit.reason = `rotation ${rotationId} (${body.rotator}) ${resumed ? 'resumed' : 'began'} at version ${r.rotation.fromVersion}, lease until ${iso(leaseUntil)}${body.force ? ', forced: the previous value’s grace period ends now' : ''}`;
      }
    });
    return stateOf(deps, rotationId, path, resumed);
  },

  async putPendingValue({ input: { params, body }, principal, deps, ctx, commit }) {
    const { path } = params;
    const bytes = Buffer.byteLength(body.value, 'utf8');
    if (bytes > LIMITS.valueBytes)
      throw new AppError('payload_too_large', `The value is ${bytes} bytes; the limit is ${LIMITS.valueBytes}.`);
    const now = deps.now();
    const secret = await deps.store.getSecret(path);
    if (!secret || secret.deletedAt !== null) throw new AppError('not_found', `No secret at ${path}.`);
    ctx.audit.tier = secret.tier;
    const version = secret.version + 1;
    const rotator = (await deps.store.getRotation(body.rotationId))?.rotator ?? 'unknown rotator';
    const ciphertext = deps.keyring.seal(Buffer.from(body.value, 'utf8'), path, version);
    await commit(
      deps.store.changes.putPendingVersion(
        body.rotationId,
        {
          path,
          version,
          type: secret.type,
          tier: secret.tier,
          ciphertext,
          createdAt: now,
          createdBy: actorLabel(principal),
          deletedAt: null,
        },
        now,
      ),
      (r) => {
        if (r.result === 'no_lease') throw noLease(path, body.rotationId, r.stages);
        ctx.audit.reason = `rotation ${body.rotationId} (${rotator}) put version ${r.version} as pending`;
      },
    );
    return stateOf(deps, body.rotationId, path);
  },

  async finishRotation({ input: { params, body }, principal, deps, ctx, commit }) {
    const { path } = params;
    const now = deps.now();
    const secret = await deps.store.getSecret(path);
    if (!secret) throw new AppError('not_found', `No secret at ${path}.`);
    ctx.audit.tier = secret.tier;
    const policy = policyFor(path, await deps.store.listRotationPolicies());
    const policyGrace = policy?.graceSeconds ?? DEFAULT_GRACE_SECONDS;
    if (principal.kind !== 'user' && body.grace !== undefined && body.grace > policyGrace) {
      // The grace period is the admin's call (the policy): a rotator may shorten it, never stretch it.
      throw new AppError(
        'denied',
        `A rotator may not keep the replaced value of ${path} readable longer than its policy's grace period (${formatDuration(policyGrace)}); an admin changes that with ass rotation set.`,
      );
    }
    const grace = checkSeconds(body.grace ?? policyGrace, MAX_GRACE_SECONDS, 'grace period');
    const previousUntil = now + grace * 1000;
    const rotator = (await deps.store.getRotation(body.rotationId))?.rotator ?? 'unknown';
    await commit(deps.store.changes.finishRotation(body.rotationId, path, now, previousUntil), (r) => {
      if (r.result === 'no_pending') {
        throw new AppError('conflict', `Rotation ${body.rotationId} has put no pending value for ${path}: put one, test it, then finish.`);
      }
      if (r.result !== 'ok') throw noLease(path, body.rotationId, undefined);
      ctx.audit.reason = REASON.rotationFinished(r.version, body.rotationId, rotator, r.previousVersion, iso(previousUntil));
    });
    return stateOf(deps, body.rotationId, path);
  },

  async retirePrevious({ input: { params, body }, deps, ctx, commit }) {
    const { path } = params;
    const now = deps.now();
    const stages = await deps.store.getSecretStages(path);
    if (stages?.previousVersion === body.version && (stages.previousUntil ?? 0) > now) {
      throw new AppError(
        'conflict',
        `Version ${body.version} of ${path} is in its grace period until ${iso(stages.previousUntil ?? 0)}: retire it after that.`,
      );
    }
    await commit(deps.store.changes.retirePrevious(path, body.version, now), (r) => {
      if (r !== 'ok') throw new AppError('conflict', `Version ${body.version} is not the previous version of ${path}; nothing to retire.`);
      ctx.audit.reason = `version ${body.version} retired after its grace period (revoked at its provider first, where its rotator has one)`;
    });
    return { path, version: body.version, retired: true as const };
  },

  async abortRotation({ input: { params, body }, deps, ctx, commit }) {
    const { path } = params;
    const now = deps.now();
    const reason = body.reason.replace(/\s+/g, ' ').slice(0, 300);
    const rotator = (await deps.store.getRotation(body.rotationId))?.rotator ?? 'unknown';
    await commit(deps.store.changes.abortRotation(body.rotationId, path, now, reason), (r) => {
      if (r !== 'ok') throw noLease(path, body.rotationId, undefined);
      ctx.audit.reason = `rotation ${body.rotationId} (${rotator}) aborted, the current version stays: ${reason}`;
    });
    return stateOf(deps, body.rotationId, path);
  },
} satisfies Pick<
  Handlers,
  | 'listRotationPolicies'
  | 'putRotationPolicy'
  | 'deleteRotationPolicy'
  | 'beginRotation'
  | 'putPendingValue'
  | 'finishRotation'
  | 'abortRotation'
  | 'retirePrevious'
>;
