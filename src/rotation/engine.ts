/**
 * Runs rotations against a vault, the same way from the CLI, the rotate action and the server's
 * own scheduler: for each secret, begin (the lease), make the new value with the policy's rotator,
 * put it as pending, test it, finish (or abort, leaving the current value as it was), then tell
 * whoever must know. A rerun with the same rotation id resumes: a pending value already put is
 * tested and finished, not made again. Every value is masked the moment it enters the process.
 */
import type { RotationPolicy, RotationStatus, VaultClient } from '../client/client.js';
import { isAppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { type RotateContext, type RotationResult, RotationStepError, type Rotator, type RotatorName } from './types.js';

export interface EngineDeps {
  client: VaultClient;
  rotatorFor(name: RotatorName): Rotator;
  logger: Logger;
  /** Registers a value so nothing can print it (`core.setSecret` in an action). */
  mask(value: string): void;
  env: NodeJS.ProcessEnv;
  /** Told once a secret has rotated (webhooks, repository_dispatch); a failure is reported, the rotation stands. */
  notify?(policy: RotationPolicy, result: RotationResult, ctx: RotateContext): Promise<void>;
  signal?: AbortSignal;
  /**
   * Run `command` policies. A policy's script was written by the vault's admins and runs with the
   * privileges of whoever runs the rotation (it can read their environment, files and process), so
   * the one who runs it says yes to that: `--allow-commands`, the action's `allow-commands`.
   */
  allowCommands?: boolean;
}

/** Why a command policy did not run here, and how to let it. */
function commandsRefused(status: RotationStatus): RotationResult {
  return result(status, {
    status: 'skipped',
    reason: 'a command policy runs a script set in the vault with the privileges of this run (its environment, files and credentials)',
    fix: 'to accept that, pass --allow-commands (the rotate action: allow-commands: true)',
  });
}

export interface RotateOptions {
  dryRun?: boolean;
  /** Resume (or ask after) this rotation instead of starting a new one. */
  rotationId?: string;
  /** The secrets were named: rotate them whether or not they are due. */
  explicit?: boolean;
  /** Rotate even while the previous value is in its grace period (a leaked value): its grace ends now. */
  force?: boolean;
}

/** What a failure says, without a value: the message of a vault error or a rotator's step. */
function describe(err: unknown): { reason: string; fix?: string } {
  if (err instanceof RotationStepError) return { reason: `${err.step} step: ${err.message}`, ...(err.fix ? { fix: err.fix } : {}) };
  if (isAppError(err) && err.code === 'approval_required') {
    return {
      reason: err.message,
      fix: "this rotator reads the current value, and a person's reads of a secret that needs approval are held: rotate it with a rotator's token (ASS_TOKEN set to a scoped token with secrets:rotate and secrets:read on it), or let ass server --rotate or the rotate action do it",
    };
  }
  if (isAppError(err)) return { reason: err.message };
  return { reason: err instanceof Error ? `${err.name}: ${err.message}` : 'the rotation failed' };
}

const result = (status: RotationStatus, extra: Partial<RotationResult>): RotationResult => ({
  path: status.path,
  rotator: status.rotator,
  status: 'skipped',
  fromVersion: status.version,
  toVersion: null,
  test: 'none',
  rotationId: null,
  nextDue: status.nextDue,
  graceEnds: null,
  ...extra,
});

/** What a rotator gets for one secret; every value it reads through it is masked first. */
function contextFor(
  deps: EngineDeps,
  path: string,
  settings: Record<string, unknown>,
  rotationId: string,
  current: RotateContext['current'],
): RotateContext {
  return {
    path,
    current,
    settings,
    rotationId,
    env: deps.env,
    logger: deps.logger,
    mask: deps.mask,
    ...(deps.signal ? { signal: deps.signal } : {}),
    // Within the rotation of `path`: the vault does not hold these reads for approval (see getSecret's `rotating`).
    readSecret: async (p) => {
      const s = await deps.client.getSecret(p, { rotating: path });
      deps.mask(s.value);
      return s.value;
    },
  };
}

/** Rotates one secret under its policy. Never throws for a failed rotation: the result says why. */
export async function rotateSecret(
  deps: EngineDeps,
  status: RotationStatus,
  policy: RotationPolicy,
  opts: RotateOptions = {},
): Promise<RotationResult> {
  const { client, logger } = deps;
  const path = status.path;
  if (policy.rotator === 'command' && !deps.allowCommands && !opts.dryRun) return commandsRefused(status);
  let rotator: Rotator;
  let settings: Record<string, unknown>;
  try {
    rotator = deps.rotatorFor(policy.rotator);
    settings = rotator.parseSettings(policy.settings);
  } catch (err) {
    return result(status, { status: 'failed', ...describe(err) });
  }
  if (!policy.enabled && !opts.rotationId) {
    return result(status, {
      status: 'skipped',
      reason: `the policy for ${policy.path} is disabled`,
      fix: `enable it (ass rotation set ${policy.path} --enable) or rotate it by name`,
    });
  }
  if (opts.dryRun) return result(status, { status: 'would-rotate' });

  let rotationId: string;
  let state: Awaited<ReturnType<VaultClient['beginRotation']>>;
  try {
    state = await client.beginRotation(path, {
      rotator: policy.rotator,
      ...(opts.rotationId ? { rotationId: opts.rotationId } : {}),
      ...(opts.force ? { force: true } : {}),
    });
    rotationId = state.rotationId;
  } catch (err) {
    return result(status, { status: 'failed', ...describe(err) });
  }
  if (state.state !== 'pending') {
    return result(status, {
      status: 'skipped',
      rotationId,
      toVersion: state.toVersion,
      reason: `rotation ${rotationId} already ${state.state}${state.reason ? `: ${state.reason}` : ''}`,
    });
  }
  logger.info(`${path}: rotation ${rotationId} ${state.resumed ? 'resumed' : 'began'} (${policy.rotator})`);

  const ctx = contextFor(deps, path, settings, rotationId, undefined);
  let step: 'create' | 'test' | 'finish' = 'create';
  let tested: RotationResult['test'] = 'none';
  let made: string | undefined;
  try {
    // Only a rotator that derives the new value from the current one reads it (every read of a
    // secret that needs approval is one a person's rotation would wait for).
    const current = rotator.usesCurrent ? await client.getSecret(path, { rotating: path }) : undefined;
    if (current) {
      deps.mask(current.value);
      ctx.current = { value: current.value, version: current.version };
    }
    const fromVersion = current?.version ?? state.fromVersion;
    let value: string;
    if (state.resumed && state.pendingVersion !== null) {
      // A rerun after a crash between put and finish: test and finish what was put.
      value = (await client.getSecret(path, { stage: 'pending' })).value;
      deps.mask(value);
    } else {
      value = await rotator.create(ctx);
      deps.mask(value);
      made = value;
      if (value === '') throw new RotationStepError('create', 'the rotator made an empty value');
      await client.putPendingValue(path, rotationId, value);
    }
    step = 'test';
    if (rotator.test) {
      await rotator.test(ctx, value);
      tested = 'passed';
    }
    step = 'finish';
    const done = await client.finishRotation(path, rotationId);
    const rotated = result(status, {
      status: 'rotated',
      rotationId,
      fromVersion,
      toVersion: done.toVersion,
      test: tested,
      graceEnds: done.previousUntil,
      nextDue: status.intervalSeconds ? new Date(Date.now() + status.intervalSeconds * 1000).toISOString() : null,
    });
    logger.info(`${path}: version ${fromVersion} → ${done.toVersion}; the previous value is readable until ${done.previousUntil ?? 'now'}`);
    await after(deps, rotator, policy, rotated, ctx, value);
    return rotated;
  } catch (err) {
    if (step === 'test') tested = 'failed';
    const why = describe(err);
    if (step !== 'finish') {
      // The current value stays; the pending one goes, and the audit log says why.
      await client.abortRotation(path, rotationId, `${step} failed: ${why.reason}`.slice(0, 500)).catch((abortErr: unknown) => {
        logger.warning(`${path}: could not abort rotation ${rotationId} (${describe(abortErr).reason}); its lease expires on its own`);
      });
    }
    logger.error(`${path}: rotation ${rotationId} failed: ${why.reason}`);
    if (step === 'test' && made !== undefined && rotator.revoke) {
      // The value made for this rotation failed its test: invalidate it at the provider too, so a
      // failed run leaves no live credential behind.
      await rotator.revoke(ctx, made).then(
        () => logger.info(`${path}: the value that failed its test was revoked at its provider`),
        (err: unknown) => logger.warning(`${path}: could not revoke the value that failed its test: ${describe(err).reason}`),
      );
    }
    return result(status, { status: 'failed', rotationId, test: tested, ...why });
  }
}

/**
 * The value a rotation replaced, once its grace period is over: the rotator revokes it at its
 * provider (the revoke command, the postgres role reset), then the vault forgets it. A rotator with
 * nothing to revoke (random) just retires it.
 */
export async function revokePrevious(deps: EngineDeps, status: RotationStatus, policy: RotationPolicy, opts: RotateOptions = {}) {
  const { client, logger } = deps;
  const path = status.path;
  if (opts.dryRun) return result(status, { status: 'would-revoke', fromVersion: null });
  if (policy.rotator === 'command' && !deps.allowCommands) return commandsRefused(status);
  let version: number | null = null;
  try {
    const rotator = deps.rotatorFor(policy.rotator);
    const settings = rotator.parseSettings(policy.settings);
    const previous = await client.getSecret(path, { stage: 'previous', revoke: true });
    deps.mask(previous.value);
    version = previous.version;
    if (rotator.revoke) {
      const current = rotator.usesCurrent ? await client.getSecret(path, { rotating: path }) : undefined;
      if (current) deps.mask(current.value);
      const ctx = contextFor(
        deps,
        path,
        settings,
        `revoke-${path}`.slice(0, 64),
        current ? { value: current.value, version: current.version } : undefined,
      );
      await rotator.revoke(ctx, previous.value);
    }
    await client.retirePrevious(path, previous.version);
    logger.info(
      `${path}: version ${previous.version}, replaced at its last rotation, ${rotator.revoke ? 'revoked at its provider and ' : ''}retired`,
    );
    return result(status, { status: 'revoked', fromVersion: previous.version, toVersion: null });
  } catch (err) {
    const why = describe(err);
    logger.error(`${path}: revoking the previous value failed: ${why.reason}`);
    return result(status, {
      status: 'failed',
      fromVersion: version,
      reason: `revoke: ${why.reason}`,
      ...(why.fix ? { fix: why.fix } : {}),
    });
  }
}

/** What follows a finished rotation; a failure here is reported, never undone. */
async function after(
  deps: EngineDeps,
  rotator: Rotator,
  policy: RotationPolicy,
  rotated: RotationResult,
  ctx: RotateContext,
  value: string,
) {
  const problems: string[] = [];
  if (rotator.afterFinish) {
    await rotator.afterFinish(ctx, value).catch((err: unknown) => problems.push(describe(err).reason));
  }
  if (deps.notify) await deps.notify(policy, rotated, ctx).catch((err: unknown) => problems.push(`notify: ${describe(err).reason}`));
  if (problems.length > 0) {
    rotated.reason = `rotated, but ${problems.join('; ')}`;
    for (const p of problems) deps.logger.warning(`${rotated.path}: ${p}`);
  }
}

/** The secrets a run takes: the named paths, or every one due (within what the credential may rotate). */
export async function plan(
  client: VaultClient,
  opts: { paths?: readonly string[]; due?: boolean; prefix?: string },
): Promise<{ items: Array<{ status: RotationStatus; policy: RotationPolicy }>; missing: string[] }> {
  const listing = await client.listRotationPolicies({
    ...(opts.due ? { due: true } : {}),
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
  });
  const byPolicy = new Map(listing.policies.map((p) => [p.path, p]));
  const statuses = opts.paths ? listing.secrets.filter((s) => opts.paths?.includes(s.path)) : listing.secrets;
  const missing = (opts.paths ?? []).filter((p) => !statuses.some((s) => s.path === p));
  const items = statuses.flatMap((status) => {
    const policy = byPolicy.get(status.policy);
    return policy ? [{ status, policy }] : [];
  });
  return { items, missing };
}

/** Rotates each planned secret in turn (one rotation at a time: each holds its own lease). */
export async function rotateAll(
  deps: EngineDeps,
  items: ReadonlyArray<{ status: RotationStatus; policy: RotationPolicy }>,
  opts: RotateOptions = {},
): Promise<RotationResult[]> {
  const results: RotationResult[] = [];
  for (const { status, policy } of items) {
    if (deps.signal?.aborted) break;
    // The last rotation's replaced value first: its grace is over, revoke it before making another.
    if (status.revokeDue) results.push(await revokePrevious(deps, status, policy, opts));
    if (status.due || opts.explicit) results.push(await rotateSecret(deps, status, policy, opts));
  }
  // Failures first: they are what someone has to act on.
  const rank = { failed: 0, rotated: 1, revoked: 2, 'would-rotate': 3, 'would-revoke': 4, skipped: 5 } as const;
  return results.sort((a, b) => rank[a.status] - rank[b.status]);
}
