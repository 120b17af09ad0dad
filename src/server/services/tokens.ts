import { z } from 'zod';
import { parseCidr } from '../../core/cidr.js';
import { generateCredential } from '../../core/credentials.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { parseSecretPath } from '../../core/paths.js';
import { formatScopes, parseScopes, scopesCoverPath, scopesOutside } from '../../core/scopes.js';
import type { AgentRow, TokenRow } from '../../store/types.js';
import type { RequestContext } from '../context.js';
import { parseBody } from '../validate.js';
import { LIMITS, type ServiceDeps } from './deps.js';
import { principal, requireAgentKey, requireRole } from './guards.js';

const issueSchema = z.strictObject({
  scopes: z.array(z.string()).min(1, 'give at least one scope').max(LIMITS.scopes),
  ttl: z.union([z.string(), z.number()]),
  maxUses: z.number().int().min(1).max(LIMITS.maxUses).optional(),
  allowedIps: z.array(z.string()).max(LIMITS.allowedIps).optional(),
  description: z.string().max(LIMITS.description).optional(),
});

/** A token as listings show it: never the credential or its hash. */
export function tokenView(t: TokenRow, agent: Pick<AgentRow, 'name'> | undefined, now: number) {
  const active = t.revokedAt === null && t.expiresAt > now && (t.maxUses === null || t.uses < t.maxUses);
  return {
    id: t.id,
    kind: t.kind,
    agent: agent?.name ?? null,
    scopes: t.scopes,
    createdAt: new Date(t.createdAt).toISOString(),
    expiresAt: new Date(t.expiresAt).toISOString(),
    maxUses: t.maxUses,
    uses: t.uses,
    allowedIps: t.allowedIps,
    description: t.description,
    revokedAt: t.revokedAt === null ? null : new Date(t.revokedAt).toISOString(),
    active,
    ...(t.claims ? { claims: t.claims } : {}),
  };
}

/** Checks a TTL against a maximum, with a message that says what to do. */
export function checkTtl(raw: unknown, maxSeconds: number, what: string): number {
  const ttl = parseDuration(raw, `${what} TTL`);
  if (ttl > maxSeconds) {
    throw new AppError(
      'invalid_input',
      `The ${what} TTL ${formatDuration(ttl)} exceeds this vault's maximum of ${formatDuration(maxSeconds)}; ask for a shorter TTL and refresh before it expires.`,
    );
  }
  return ttl;
}

/** An agent issues itself a short-lived token whose scopes lie within its own. */
export async function issueToken(deps: ServiceDeps, ctx: RequestContext, body: unknown) {
  const p = requireAgentKey(ctx, 'issue tokens');
  if (p.agent.trustPolicy) {
    // An agent bound to a CI trust policy gets tokens only with both factors: its key alone, if
    // stolen, must not be enough.
    throw new AppError(
      'denied',
      `The agent "${p.agent.name}" is bound to a CI OIDC trust policy, so it gets tokens only through the exchange (agent key plus the job's OIDC token: ass tokens exchange, or the fetch action). For tokens from the key alone, create a separate agent without --oidc-issuer.`,
    );
  }
  const input = parseBody(issueSchema, body);
  const scopes = parseScopes(input.scopes);
  const outside = scopesOutside(scopes, parseScopes(p.agent.scopes));
  if (outside.length > 0) {
    throw new AppError(
      'denied',
      `The agent "${p.agent.name}" may not grant ${formatScopes(outside).join(', ')}: a token's scopes must lie within the agent's (${p.agent.scopes.join(', ')}).`,
    );
  }
  const ttl = checkTtl(input.ttl, deps.settings.maxTokenTtlSeconds, 'token');
  const allowedIps = (input.allowedIps ?? []).map((c) => parseCidr(c).text);
  const now = deps.now();
  const { secret, row } = await mintToken(deps, {
    kind: 'agent',
    agent: p.agent,
    scopes: formatScopes(scopes),
    now,
    ttlSeconds: ttl,
    maxUses: input.maxUses ?? null,
    allowedIps,
    description: input.description ?? null,
    claims: null,
  });
  ctx.audit.reason = `token ${row.id} issued, scopes ${row.scopes.join(' ')}, ttl ${formatDuration(ttl)}`;
  return { token: secret, ...tokenView(row, p.agent, now) };
}

/** Creates and stores a new token; returns the credential (shown once) and its row. */
export async function mintToken(
  deps: Pick<ServiceDeps, 'store'>,
  t: {
    kind: TokenRow['kind'];
    agent: AgentRow;
    scopes: string[];
    now: number;
    ttlSeconds: number;
    maxUses: number | null;
    allowedIps: string[];
    description: string | null;
    claims: Record<string, string> | null;
  },
): Promise<{ secret: string; row: TokenRow }> {
  const cred = generateCredential(t.kind === 'pipeline' ? 'pipeline' : 'token');
  const row: TokenRow = {
    id: cred.id,
    kind: t.kind,
    agentId: t.agent.id,
    hash: cred.hash,
    scopes: t.scopes,
    createdAt: t.now,
    expiresAt: t.now + t.ttlSeconds * 1000,
    maxUses: t.maxUses,
    uses: 0,
    allowedIps: t.allowedIps,
    description: t.description,
    claims: t.claims,
    revokedAt: null,
  };
  await deps.store.createToken(row);
  return { secret: cred.secret, row };
}

export async function listTokens(deps: ServiceDeps, ctx: RequestContext, query: { agent?: string; path?: string; all?: string }) {
  requireRole(ctx, ['admin'], 'list tokens');
  const now = deps.now();
  let agentId: string | undefined;
  if (query.agent) {
    const agent = await deps.store.getAgentByName(query.agent);
    if (!agent) throw new AppError('not_found', `No agent named ${JSON.stringify(query.agent.slice(0, 64))}; see ass agents list.`);
    agentId = agent.id;
  }
  const path = query.path ? parseSecretPath(query.path, 'path filter') : undefined;
  ctx.audit.path = path ?? null;
  const rows = await deps.store.listTokens({ agentId, activeAt: query.all === 'true' ? undefined : now });
  const agents = new Map((await deps.store.listAgents()).map((a) => [a.id, a]));
  const filtered = path ? rows.filter((t) => scopesCoverPath(parseScopes(t.scopes), path)) : rows;
  return { tokens: filtered.map((t) => tokenView(t, agents.get(t.agentId), now)) };
}

export async function tokenSelf(deps: ServiceDeps, ctx: RequestContext) {
  const p = principal(ctx);
  if (p.kind !== 'token') throw new AppError('denied', 'Only a scoped or pipeline token can look itself up.');
  return tokenView(p.token, p.agent, deps.now());
}

export async function revokeSelf(deps: ServiceDeps, ctx: RequestContext) {
  const p = principal(ctx);
  if (p.kind !== 'token') throw new AppError('denied', 'Only a scoped or pipeline token can revoke itself; admins revoke by id.');
  await deps.store.revokeToken(p.token.id, deps.now());
  ctx.audit.reason = `token ${p.token.id} revoked itself`;
  return { id: p.token.id, revoked: true };
}

export async function revokeToken(deps: ServiceDeps, ctx: RequestContext, id: string) {
  requireRole(ctx, ['admin'], 'revoke tokens');
  if (!/^[0-9A-Za-z]{16}$/.test(id))
    throw new AppError('invalid_input', 'A token id is 16 letters and digits, as shown by ass tokens list.');
  const token = await deps.store.getToken(id);
  if (!token) throw new AppError('not_found', `No token with id ${id}; see ass tokens list --all.`);
  await deps.store.revokeToken(id, deps.now());
  ctx.audit.reason = `token ${id} revoked`;
  return { id, revoked: true };
}
