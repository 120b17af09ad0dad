import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { isUnderPrefix, parsePathPrefix, parseSecretPath } from '../../core/paths.js';
import { parseScopes, type Scope, scopesAllow, scopeWithin } from '../../core/scopes.js';
import { SECRET_TYPES, type SecretRow, TIERS } from '../../store/types.js';
import type { RequestContext } from '../context.js';
import { parseBody } from '../validate.js';
import type { ServiceDeps } from './deps.js';
import { LIMITS } from './deps.js';
import { authorizeSecret, METADATA_ROLES, principal, requireRole } from './guards.js';

const putSchema = z.strictObject({
  value: z.string({ error: 'value must be a string' }).min(1, 'value is empty: a secret needs a value'),
  type: z.enum(SECRET_TYPES).optional(),
  tier: z.enum(TIERS).optional(),
  description: z.string().max(LIMITS.description).optional(),
  expectedVersion: z.number().int().min(0).optional(),
});

const batchSchema = z.strictObject({
  paths: z.array(z.string()).max(LIMITS.batch).optional(),
  prefixes: z.array(z.string()).max(LIMITS.batch).optional(),
});

/**
 * Spends one use of a scoped token per unit of work, before the work (and before the scope
 * check, so a probing request burns a use too). Users and agent keys have no use counter.
 */
export async function spendUses(deps: ServiceDeps, ctx: RequestContext, n: number): Promise<void> {
  const p = principal(ctx);
  if (p.kind !== 'token') return;
  const res = await deps.store.spendToken(p.token.id, n, deps.now());
  if (res.ok) return;
  switch (res.reason) {
    case 'exhausted':
      throw new AppError(
        'token_exhausted',
        `Token ${p.token.id} has no uses left (max uses ${p.token.maxUses ?? 'unlimited'}${n > 1 ? `, this request needs ${n}` : ''}); issue a new token.`,
      );
    case 'expired':
      throw new AppError('token_expired', `Token ${p.token.id} has expired; issue a new one.`);
    default:
      throw new AppError('token_revoked', `Token ${p.token.id} was revoked; issue a new one.`);
  }
}

function actorLabel(ctx: RequestContext): string {
  const p = principal(ctx);
  if (p.kind === 'user') return `user:${p.name}`;
  if (p.kind === 'agent') return `agent:${p.agent.name}`;
  return `${p.token.kind === 'pipeline' ? 'pipeline' : 'token'}:${p.token.id}`;
}

function notFound(path: string): AppError {
  return new AppError(
    'not_found',
    `No secret at ${path}. Check the path (paths are case-sensitive), or list what exists with ass secrets list.`,
  );
}

export async function putSecret(deps: ServiceDeps, ctx: RequestContext, rawPath: string, body: unknown) {
  const path = parseSecretPath(rawPath);
  ctx.audit.path = path;
  const input = parseBody(putSchema, body);
  await spendUses(deps, ctx, 1);
  authorizeSecret(ctx, 'write', path);
  const bytes = Buffer.byteLength(input.value, 'utf8');
  if (bytes > LIMITS.valueBytes) {
    throw new AppError(
      'payload_too_large',
      `The value is ${bytes} bytes; the limit is ${LIMITS.valueBytes}. Store large files elsewhere and keep their key here.`,
    );
  }
  const current = await deps.store.getSecret(path);
  const currentVersion = current?.version ?? 0;
  if (input.expectedVersion !== undefined && input.expectedVersion !== currentVersion) {
    throw new AppError(
      'conflict',
      input.expectedVersion === 0
        ? `A secret already exists at ${path} (version ${currentVersion}); drop --expected-version 0 to write a new version.`
        : `The secret at ${path} is at version ${currentVersion}, not ${input.expectedVersion}: someone else wrote it. Read it again and retry.`,
    );
  }
  const type = input.type ?? current?.type ?? 'other';
  const tier = input.tier ?? current?.tier ?? 'standard';
  ctx.audit.tier = tier;
  const version = currentVersion + 1;
  const now = deps.now();
  const ciphertext = deps.keyring.seal(Buffer.from(input.value, 'utf8'), path, version);
  const res = await deps.store.putSecretVersion(
    { path, version, type, tier, ciphertext, createdAt: now, createdBy: actorLabel(ctx), deletedAt: null },
    input.description ?? current?.description ?? null,
  );
  if (res === 'conflict') {
    throw new AppError('conflict', `The secret at ${path} was written by another request at the same time; read it again and retry.`);
  }
  return { path, version, type, tier, createdAt: new Date(now).toISOString() };
}

async function loadValue(deps: ServiceDeps, path: string, version?: number) {
  const secret = await deps.store.getSecret(path);
  if (!secret || (secret.deletedAt !== null && version === undefined)) throw notFound(path);
  const v = version ?? secret.version;
  const row = await deps.store.getSecretVersion(path, v);
  if (!row) throw new AppError('not_found', `The secret at ${path} has no version ${v}; its latest version is ${secret.version}.`);
  if (row.deletedAt !== null) throw new AppError('not_found', `Version ${v} of ${path} was deleted.`);
  const value = deps.keyring.open(row.ciphertext, path, v).toString('utf8');
  return { path, version: v, value, type: row.type, tier: row.tier, createdAt: new Date(row.createdAt).toISOString() };
}

export async function getSecret(deps: ServiceDeps, ctx: RequestContext, rawPath: string, rawVersion: string | undefined) {
  const path = parseSecretPath(rawPath);
  ctx.audit.path = path;
  let version: number | undefined;
  if (rawVersion !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(rawVersion))
      throw new AppError('invalid_input', 'version must be a positive whole number, such as ?version=3.');
    version = Number(rawVersion);
  }
  await spendUses(deps, ctx, 1);
  authorizeSecret(ctx, 'read', path);
  const secret = await loadValue(deps, path, version);
  ctx.audit.tier = secret.tier;
  return secret;
}

export async function deleteSecret(deps: ServiceDeps, ctx: RequestContext, rawPath: string) {
  const path = parseSecretPath(rawPath);
  ctx.audit.path = path;
  await spendUses(deps, ctx, 1);
  authorizeSecret(ctx, 'write', path);
  const secret = await deps.store.getSecret(path);
  if (!secret || secret.deletedAt !== null) throw notFound(path);
  ctx.audit.tier = secret.tier;
  await deps.store.softDeleteSecret(path, deps.now());
  return { path, deleted: true, version: secret.version };
}

/**
 * Reads many secrets in one request: all or nothing. Each path and each prefix counts as one use
 * of a scoped token. A prefix needs read access to everything below it, so listing the names
 * below it reveals nothing the caller could not read anyway. One audit record is written per
 * secret released.
 */
export async function batchRead(deps: ServiceDeps, ctx: RequestContext, body: unknown) {
  const input = parseBody(batchSchema, body);
  const paths = (input.paths ?? []).map((p, i) => parseSecretPath(p, `paths[${i}]`));
  const prefixes = (input.prefixes ?? []).map((p, i) => parsePathPrefix(p, `prefixes[${i}]`));
  if (paths.length + prefixes.length === 0) {
    throw new AppError('invalid_input', 'Give at least one entry in paths or prefixes.');
  }
  ctx.audit.path = paths[0] ?? prefixes[0] ?? null;
  await spendUses(deps, ctx, paths.length + prefixes.length);
  for (const path of paths) authorizeSecret(ctx, 'read', path);
  const p = principal(ctx);
  for (const prefix of prefixes) {
    if (p.kind === 'token') {
      const wanted: Scope = { verb: 'read', segments: prefix === '' ? ['*'] : [...prefix.split('/'), '*'] };
      const scopes = parseScopes(p.token.scopes);
      if (!scopes.some((s) => scopeWithin(wanted, s))) {
        const needed = `secrets:read:${prefix === '' ? '*' : `${prefix}/*`}`;
        ctx.audit.path = prefix || null;
        throw new AppError(
          'scope_missing',
          `Token ${p.token.id} lacks the scope ${needed}, which reading every secret below ${prefix || 'the root'} needs; its scopes are ${p.token.scopes.join(', ')}.`,
          {
            details: { missingScope: needed },
          },
        );
      }
    } else {
      // Users and agent keys: the role (or the refusal for agent keys) does not depend on the path.
      authorizeSecret(ctx, 'read', prefix || 'root');
    }
  }
  const wanted = new Set(paths);
  for (const prefix of prefixes) {
    for (const s of await deps.store.listSecrets(prefix, false)) {
      if (s.path !== prefix) wanted.add(s.path);
    }
  }
  if (wanted.size > LIMITS.batch) {
    throw new AppError('invalid_input', `The request would read ${wanted.size} secrets; the limit is ${LIMITS.batch} per request.`);
  }
  const secrets = [];
  for (const path of wanted) {
    ctx.audit.path = path;
    const s = await loadValue(deps, path);
    secrets.push({ path: s.path, version: s.version, value: s.value, type: s.type, tier: s.tier });
  }
  ctx.audit.path = null;
  ctx.audit.event = 'secret.batch_read';
  for (const s of secrets) {
    ctx.extraAudit.push({ event: 'secret.read', status: 'granted', path: s.path, tier: s.tier, reason: 'batch read' });
  }
  return { secrets };
}

function metaOf(s: SecretRow) {
  return {
    path: s.path,
    version: s.version,
    type: s.type,
    tier: s.tier,
    description: s.description,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    deleted: s.deletedAt !== null,
  };
}

export async function listMetadata(deps: ServiceDeps, ctx: RequestContext, rawPrefix: string | undefined, includeDeleted: boolean) {
  const prefix = parsePathPrefix(rawPrefix);
  ctx.audit.path = prefix || null;
  const p = principal(ctx);
  await spendUses(deps, ctx, 1);
  if (p.kind === 'user') requireRole(ctx, METADATA_ROLES, 'list secrets');
  else if (p.kind === 'agent') authorizeSecret(ctx, 'list', prefix || 'root');
  const rows = await deps.store.listSecrets(prefix, includeDeleted);
  let visible = rows;
  if (p.kind === 'token') {
    const scopes = parseScopes(p.token.scopes);
    if (!scopes.some((s) => s.verb === 'list' || s.verb === '*')) authorizeSecret(ctx, 'list', prefix || 'root');
    visible = rows.filter((r) => scopesAllow(scopes, 'list', r.path));
  }
  return { secrets: visible.filter((r) => isUnderPrefix(r.path, prefix)).map(metaOf) };
}

export async function getMetadata(deps: ServiceDeps, ctx: RequestContext, rawPath: string) {
  const path = parseSecretPath(rawPath);
  ctx.audit.path = path;
  await spendUses(deps, ctx, 1);
  const p = principal(ctx);
  if (p.kind === 'user') requireRole(ctx, METADATA_ROLES, 'read secret metadata');
  else authorizeSecret(ctx, 'list', path);
  const secret = await deps.store.getSecret(path);
  if (!secret) throw notFound(path);
  ctx.audit.tier = secret.tier;
  const versions = await deps.store.listVersions(path);
  return {
    ...metaOf(secret),
    versions: versions.map((v) => ({
      version: v.version,
      type: v.type,
      tier: v.tier,
      createdAt: new Date(v.createdAt).toISOString(),
      createdBy: v.createdBy,
      deletedAt: v.deletedAt === null ? null : new Date(v.deletedAt).toISOString(),
    })),
  };
}
