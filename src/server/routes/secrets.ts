/** Secret values and metadata. Who may do what on which path is the pipeline's job (src/api/routes.ts). */
import { LIMITS } from '../../api/schemas.js';
import { AppError } from '../../core/errors.js';
import type { Tier } from '../../core/model.js';
import { isUnderPrefix } from '../../core/paths.js';
import { policyFor } from '../../core/rotation-schedule.js';
import { rotatorFor } from '../../rotation/registry.js';
import type { ApprovalAsk } from '../../store/types.js';
import { stricterTier } from '../approvals.js';
import type { Principal, RequestContext } from '../context.js';
import type { ServiceDeps } from '../deps.js';
import { REASON } from '../freshness.js';
import type { Handlers } from '../pipeline.js';
import { actorLabel, iso, metadataView } from './views.js';

function notFound(path: string): AppError {
  return new AppError(
    'not_found',
    `No secret at ${path}. Check the path (paths are case-sensitive), or list what exists with ass secrets list.`,
  );
}

/**
 * A secret's value (the current version, or `version`), decrypted; throws not_found with the reason.
 * `gateTier` is the tier its approval rule goes by: the stricter of the secret's and the version's.
 */
export async function loadValue(deps: ServiceDeps, path: string, version?: number, pending = false) {
  const found = await deps.store.readSecret(path, version);
  if (!found || (found.secret.deletedAt !== null && version === undefined)) throw notFound(path);
  // A version above the current one is a rotation's pending value: only the pending stage reads it.
  if (version !== undefined && version > found.secret.version && !pending) {
    throw new AppError(
      'not_found',
      `Version ${version} of ${path} is not current yet (a rotation's pending value); its current version is ${found.secret.version}.`,
    );
  }
  const row = found.version;
  const v = version ?? found.secret.version;
  if (!row) throw new AppError('not_found', `The secret at ${path} has no version ${v}; its latest version is ${found.secret.version}.`);
  if (row.deletedAt !== null) throw new AppError('not_found', `Version ${v} of ${path} was deleted.`);
  const value = deps.keyring.open(row.ciphertext, path, v).toString('utf8');
  return {
    path,
    version: v,
    value,
    type: row.type,
    tier: row.tier,
    createdAt: iso(row.createdAt),
    gateTier: stricterTier(found.secret.tier, row.tier),
  };
}

/**
 * Whether reading `path` is part of the rotation of `rotating` right now, by a rotator: a token (a
 * person's reads are always held) with secrets:rotate on a secret a rotation policy covers, while a
 * rotation holds its lease or its replaced value is due to be revoked; `path` is the secret itself
 * or a vault path its rotation policy names (an admin credential, a webhook key).
 */
async function withinRotation(
  deps: ServiceDeps,
  principal: Principal,
  rotating: string,
  path: string,
  stage: 'current' | 'pending' | 'previous',
  can: (verb: 'rotate', p: string) => boolean,
): Promise<boolean> {
  if (principal.kind !== 'token' || !can('rotate', rotating)) return false;
  const policy = policyFor(rotating, await deps.store.listRotationPolicies());
  if (!policy) return false;
  const now = deps.now();
  const stages = await deps.store.getSecretStages(rotating);
  const leased = stages?.rotationId !== null && stages?.rotationId !== undefined && (stages.leaseUntil ?? 0) > now;
  const rotated = deps.freshness.rotationOf(rotating);
  const revoking = rotated !== undefined && !rotated.retired && rotated.previousUntil <= now;
  if (!leased && !revoking) return false;
  // The current value only for a rotator that makes the next one from it (postgres); the others
  // never need it, so a rotation begun and aborted cannot be a way to read it.
  if (path === rotating) return stage !== 'current' || rotatorFor(policy.rotator).usesCurrent === true;
  // The vault paths a policy names: the postgres admin credential, the webhook's signing key.
  return path === policy.settings.adminSecret || path === policy.notify?.webhookSecret;
}

/**
 * Holds a read whose secrets need approval, unless the caller's token was released by an approval
 * that covers them: stores the request and throws the 202 (nothing was released).
 */
async function gateRead(
  call: Pick<Parameters<Handlers['getSecret']>[0], 'deps' | 'ctx' | 'principal' | 'commit'>,
  loaded: readonly { path: string; gateTier: Tier }[],
  read: NonNullable<ApprovalAsk['read']>,
  description: string | null,
): Promise<void> {
  const { deps, principal } = call;
  const needing = await deps.approvals.needing(loaded.map((l) => ({ path: l.path, tier: l.gateTier })));
  if (needing.length === 0) return;
  const covered = await deps.approvals.coveredByToken(
    principal,
    needing.map((n) => n.path),
  );
  const held = needing.filter((n) => !covered.has(n.path));
  if (held.length === 0) return;
  await deps.approvals.hold(
    { kind: 'read', principal, held, ask: { scopes: [], ttlSeconds: null, maxUses: null, allowedIps: [], read }, description },
    call.ctx,
    call.commit,
  );
}

/**
 * A token issued with a key its agent has replaced never reads the agent's current key (a secret
 * under that agent's agent-key rotation policy): the overlap lets old jobs finish, not take over.
 */
export async function refuseOwnKeyToReplacedKey(deps: ServiceDeps, principal: Principal, paths: readonly string[]): Promise<void> {
  if (principal.kind !== 'token' || !principal.token.claims?.replaced_key) return;
  const policies = await deps.store.listRotationPolicies();
  for (const path of paths) {
    const policy = policyFor(path, policies);
    if (policy?.rotator === 'agent-key' && policy.settings.agent === principal.agent.name) {
      throw new AppError(
        'denied',
        `This token was issued with a replaced key of ${principal.agent.name}, so it cannot read that agent's current key at ${path}. Use the current key.`,
      );
    }
  }
}

/**
 * The secrets a batch read releases, all or nothing: each path, and every live secret below each
 * prefix (at most LIMITS.batch), decrypted but not yet released (the approval gate comes next).
 */
export async function readBatch(
  deps: ServiceDeps,
  ctx: RequestContext,
  principal: Principal,
  paths: readonly string[],
  requestedPrefixes: readonly string[],
) {
  const wanted = new Set(paths);
  // A prefix below another one in the request adds nothing; each listing stops one row past the
  // limit (plus the prefix's own path), so a request costs at most a bounded number of rows.
  const prefixes = requestedPrefixes.filter((p) => !requestedPrefixes.some((o) => o !== p && isUnderPrefix(p, o)));
  for (const prefix of prefixes) {
    for (const s of await deps.store.listSecrets(prefix, false, LIMITS.batch + 2)) {
      if (s.path !== prefix) wanted.add(s.path);
    }
    if (wanted.size > LIMITS.batch) break;
  }
  if (wanted.size > LIMITS.batch) {
    throw new AppError(
      'invalid_input',
      `The request would read more than ${LIMITS.batch} secrets; the limit is ${LIMITS.batch} per request.`,
    );
  }
  await refuseOwnKeyToReplacedKey(deps, principal, [...wanted]);
  const secrets = [];
  for (const path of wanted) {
    ctx.audit.path = path;
    const s = await loadValue(deps, path);
    secrets.push({ path: s.path, version: s.version, value: s.value, type: s.type, tier: s.tier, gateTier: s.gateTier });
  }
  ctx.audit.path = null;
  return secrets;
}

export const secretHandlers = {
  async putSecret({ input: { params, body }, principal, deps, ctx, commit }) {
    const { path } = params;
    const bytes = Buffer.byteLength(body.value, 'utf8');
    if (bytes > LIMITS.valueBytes) {
      throw new AppError(
        'payload_too_large',
        `The value is ${bytes} bytes; the limit is ${LIMITS.valueBytes}. Store large files elsewhere and keep their key here.`,
      );
    }
    const current = await deps.store.getSecret(path);
    const currentVersion = current?.version ?? 0;
    if (body.expectedVersion !== undefined && body.expectedVersion !== currentVersion) {
      throw new AppError(
        'conflict',
        body.expectedVersion === 0
          ? `A secret already exists at ${path} (version ${currentVersion}); drop --expected-version 0 to write a new version.`
          : `The secret at ${path} is at version ${currentVersion}, not ${body.expectedVersion}: someone else wrote it. Read it again and retry.`,
      );
    }
    const type = body.type ?? current?.type ?? 'other';
    const tier = body.tier ?? current?.tier ?? 'standard';
    ctx.audit.tier = tier;
    const version = currentVersion + 1;
    ctx.audit.reason = REASON.secretWritten(version);
    const now = deps.now();
    const ciphertext = deps.keyring.seal(Buffer.from(body.value, 'utf8'), path, version);
    await commit(
      deps.store.changes.putSecretVersion(
        { path, version, type, tier, ciphertext, createdAt: now, createdBy: actorLabel(principal), deletedAt: null },
        body.description ?? current?.description ?? null,
      ),
      (result) => {
        if (result === 'conflict') {
          throw new AppError('conflict', `The secret at ${path} was written by another request at the same time; read it again and retry.`);
        }
        if (result === 'rotating') {
          throw new AppError(
            'conflict',
            `The secret at ${path} is being rotated (ass rotation show ${path}); write it once the rotation has finished, or abort the rotation first.`,
          );
        }
      },
    );
    return { path, version, type, tier, createdAt: iso(now) };
  },

  async getSecret({ input: { params, query }, deps, ctx, can, principal, commit }) {
    const { path } = params;
    const now = deps.now();
    // What was rotated out, and until when it is readable, comes from the audit log (the
    // freshness index), not from the store: deleting or putting back a stages row revives nothing.
    const rotated = deps.freshness.rotationOf(path);
    let version = query.version;
    if (query.stage === 'previous') {
      if (!rotated || rotated.retired) {
        throw new AppError(
          'not_found',
          `${path} has no previous version: it has not been rotated, or the replaced value was revoked and retired.`,
        );
      }
      if (query.revoke === true && rotated.previousUntil > now) {
        // Revoking a value still in its grace would cut off whoever still holds it.
        throw new AppError(
          'conflict',
          `The previous version of ${path} is in its grace period until ${iso(rotated.previousUntil)}: revoke it after that.`,
        );
      }
      if (rotated.previousUntil <= now && query.revoke === true && can('rotate', path)) {
        // A rotator reads it once more to revoke it at its provider, then retires it.
        ctx.audit.reason = 'previous stage after its grace period, read by a rotator to revoke it';
      } else if (rotated.previousUntil <= now) {
        throw new AppError(
          'not_found',
          `The previous version of ${path} (${rotated.previousVersion}) was readable until ${iso(rotated.previousUntil)}, when its grace period ended; read the current one.`,
        );
      }
      version = rotated.previousVersion;
    } else if (query.stage === 'pending') {
      if (!can('rotate', path)) {
        throw new AppError(
          'denied',
          `Reading the pending value of ${path} needs secrets:rotate:${path} as well: it is a rotator's, until the rotation finishes.`,
        );
      }
      const stages = await deps.store.getSecretStages(path);
      if (!stages?.pendingVersion || !stages.rotationId || (stages.leaseUntil ?? 0) <= now) {
        throw new AppError('not_found', `${path} has no pending value: no rotation holds its lease, or it has put none yet.`);
      }
      version = stages.pendingVersion;
    } else if (version !== undefined && rotated) {
      // Versions a rotation replaced are readable only as the previous stage, within its grace.
      if (version < rotated.previousVersion || (version === rotated.previousVersion && (rotated.retired || rotated.previousUntil <= now))) {
        throw new AppError(
          'not_found',
          `Version ${version} of ${path} was rotated out${version === rotated.previousVersion ? `, and its grace period ended at ${iso(rotated.previousUntil)}` : ' by a later rotation'}; read the current version.`,
        );
      }
    }
    await refuseOwnKeyToReplacedKey(deps, principal, [path]);
    const secret = await loadValue(deps, path, version, query.stage === 'pending');
    ctx.audit.tier = secret.tier;
    // A rotator's reads inside the rotation protocol (the pending value; the replaced one, once more,
    // to revoke it; the current value and the settings it names, within a rotation) are not held: a
    // schedule has nobody to wait for. Only a rotator's token, on a secret a rotation policy covers.
    const protocolRead = query.stage === 'pending' || (query.stage === 'previous' && query.revoke === true);
    const rotatorRead =
      (protocolRead && (await withinRotation(deps, principal, path, path, query.stage ?? 'current', can))) ||
      (query.rotating !== undefined && (await withinRotation(deps, principal, query.rotating, path, query.stage ?? 'current', can)));
    // (A read naming a rotation it is not part of is an ordinary read: held if its secret needs approval.)
    if (rotatorRead && query.rotating !== undefined)
      ctx.audit.reason = `read within the rotation of ${query.rotating} (not held for approval)`;
    if (query.stage === 'pending' && !rotatorRead && (await deps.approvals.needing([{ path, tier: secret.gateTier }])).length > 0) {
      throw new AppError(
        'denied',
        `The pending value of ${path} is read only by its rotator's token while it needs approval; read the current value once the rotation has finished.`,
      );
    }
    if (!rotatorRead) {
      await gateRead(
        { deps, ctx, principal, commit },
        [secret],
        { paths: [path], prefixes: [], version: query.version ?? null, stage: query.stage === 'previous' ? 'previous' : null },
        query.reason ?? null,
      );
    }
    if (query.stage && query.stage !== 'current') ctx.audit.reason ??= `${query.stage} stage, version ${secret.version}`;
    const { gateTier: _, ...answer } = secret;
    return answer;
  },

  async deleteSecret({ input: { params }, deps, ctx, commit }) {
    const { path } = params;
    const secret = await deps.store.getSecret(path);
    if (!secret || secret.deletedAt !== null) throw notFound(path);
    ctx.audit.tier = secret.tier;
    ctx.audit.reason = REASON.secretDeleted(secret.version);
    await commit(deps.store.changes.softDeleteSecret(path, deps.now()), (deleted) => {
      if (!deleted) throw notFound(path);
    });
    return { path, deleted: true as const, version: secret.version };
  },

  /**
   * Reads many secrets in one request, all or nothing. A prefix needs read access to everything
   * below it (the pipeline checks), so listing the names below it reveals nothing the caller could
   * not read anyway. One audit record is written per secret released.
   */
  async batchRead({ input: { body }, deps, ctx, principal, commit }) {
    const secrets = await readBatch(deps, ctx, principal, body.paths, body.prefixes);
    await gateRead(
      { deps, ctx, principal, commit },
      secrets,
      { paths: body.paths, prefixes: body.prefixes, version: null, stage: null },
      body.description ?? null,
    );
    for (const s of secrets) {
      ctx.extraAudit.push({ event: 'secret.read', status: 'granted', path: s.path, tier: s.tier, reason: 'batch read' });
    }
    return { secrets: secrets.map(({ gateTier: _, ...s }) => s) };
  },

  async listMetadata({ input: { query }, deps, can }) {
    const prefix = query.prefix ?? '';
    const rows = await deps.store.listSecrets(prefix, query.deleted ?? false);
    return { secrets: rows.filter((r) => isUnderPrefix(r.path, prefix) && can('list', r.path)).map(metadataView) };
  },

  async getMetadata({ input: { params }, deps, ctx }) {
    const secret = await deps.store.getSecret(params.path);
    if (!secret) throw notFound(params.path);
    ctx.audit.tier = secret.tier;
    const now = deps.now();
    const [versions, stages] = await Promise.all([deps.store.listVersions(params.path), deps.store.getSecretStages(params.path)]);
    const leased = stages?.rotationId && (stages.leaseUntil ?? 0) > now ? stages : undefined;
    const previousLive = stages?.previousVersion !== null && stages?.previousVersion !== undefined && (stages.previousUntil ?? 0) > now;
    const stageOf = (v: number) =>
      v === secret.version
        ? ('current' as const)
        : leased && v === leased.pendingVersion
          ? ('pending' as const)
          : previousLive && v === stages?.previousVersion
            ? ('previous' as const)
            : null;
    return {
      ...metadataView(secret),
      previousUntil: previousLive && stages?.previousUntil ? iso(stages.previousUntil) : null,
      rotation: leased
        ? {
            rotationId: leased.rotationId as string,
            rotator: leased.rotator,
            leaseUntil: leased.leaseUntil ? iso(leased.leaseUntil) : null,
          }
        : null,
      versions: versions.map((v) => ({
        version: v.version,
        stage: stageOf(v.version),
        type: v.type,
        tier: v.tier,
        createdAt: iso(v.createdAt),
        createdBy: v.createdBy,
        deletedAt: v.deletedAt === null ? null : iso(v.deletedAt),
      })),
    };
  },
} satisfies Pick<Handlers, 'putSecret' | 'getSecret' | 'deleteSecret' | 'batchRead' | 'listMetadata' | 'getMetadata'>;
