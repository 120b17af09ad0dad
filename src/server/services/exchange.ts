import { z } from 'zod';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { formatScopes, intersectScopes, parseScopes, scopesOutside } from '../../core/scopes.js';
import type { RequestContext } from '../context.js';
import type { OidcVerifier } from '../oidc.js';
import { parseBody } from '../validate.js';
import { LIMITS, type ServiceDeps } from './deps.js';
import { requireAgentKey } from './guards.js';
import { mintToken, tokenView } from './tokens.js';

const exchangeSchema = z.strictObject({
  oidcToken: z
    .string()
    .min(1, 'oidcToken is empty')
    .max(16 * 1024),
  scopes: z.array(z.string()).min(1, "give at least one scope, or leave scopes out to get the agent's").max(LIMITS.scopes).optional(),
  ttl: z.union([z.string(), z.number()]).optional(),
  maxUses: z.number().int().min(1).max(LIMITS.maxUses).optional(),
  description: z.string().max(LIMITS.description).optional(),
});

/** Claims copied onto the pipeline token and into every audit record made with it. */
export const RECORDED_CLAIMS = [
  'iss',
  'sub',
  'jti',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'run_id',
  'run_attempt',
  'run_number',
  'sha',
  'ref',
  'environment',
  'event_name',
  'workflow_ref',
  'job_workflow_ref',
  'actor',
  'actor_id',
  'runner_environment',
] as const;

/**
 * Exchanges the two factors — the agent key that authenticated this request and a CI OIDC token
 * that passes the agent's trust policy — for a short-lived pipeline token bound to the CI run.
 * Either factor alone gets nothing. Each OIDC token (`jti`) is accepted once, also across restarts.
 */
export async function exchange(deps: ServiceDeps & { verifier: OidcVerifier }, ctx: RequestContext, body: unknown) {
  const p = requireAgentKey(ctx, 'exchange an OIDC token');
  const input = parseBody(exchangeSchema, body);
  const policy = p.agent.trustPolicy;
  if (!policy) {
    throw new AppError(
      'denied',
      `The agent "${p.agent.name}" has no OIDC trust policy, so it cannot exchange OIDC tokens. Create the agent with --oidc-issuer and --oidc-claim repository_id=... (see the README).`,
    );
  }
  const verified = await deps.verifier.verify(input.oidcToken, policy, deps.settings.audience);
  const now = deps.now();
  const fresh = await deps.store.useJti(verified.issuer, verified.jti, verified.exp * 1000, now);
  if (!fresh) {
    throw new AppError(
      'oidc_rejected',
      `This OIDC token (jti ${verified.jti.slice(0, 64)}) was already exchanged once; request a fresh token for every exchange.`,
    );
  }
  // Pipeline scopes = the agent's ∩ the trust policy's (if it sets any) ∩ the requested.
  const agentScopes = policy.scopes
    ? intersectScopes(parseScopes(p.agent.scopes), parseScopes(policy.scopes))
    : parseScopes(p.agent.scopes);
  if (agentScopes.length === 0) {
    throw new AppError('denied', `The trust policy of agent "${p.agent.name}" allows no scope the agent has; fix the policy's scopes.`);
  }
  let scopes = agentScopes;
  if (input.scopes && input.scopes.length > 0) {
    const requested = parseScopes(input.scopes);
    const outside = scopesOutside(requested, agentScopes);
    if (outside.length > 0) {
      throw new AppError(
        'denied',
        `The agent "${p.agent.name}" may not grant ${formatScopes(outside).join(', ')} to a pipeline; it may grant ${formatScopes(agentScopes).join(', ')}.`,
      );
    }
    scopes = intersectScopes(requested, agentScopes);
  }
  // A pipeline asking for more than this vault allows gets the maximum (its expiresAt says so),
  // rather than a failed deploy: the cap is the operator's decision, not the workflow's mistake.
  const max = deps.settings.maxPipelineTtlSeconds;
  const ttl = input.ttl === undefined ? max : Math.min(parseDuration(input.ttl, 'pipeline token TTL'), max);
  const claims: Record<string, string> = {};
  for (const name of RECORDED_CLAIMS) {
    const v = verified.claims[name];
    if (typeof v === 'string' || typeof v === 'number') claims[name] = String(v).slice(0, 256);
  }
  const { secret, row } = await mintToken(deps, {
    kind: 'pipeline',
    agent: p.agent,
    scopes: formatScopes(scopes),
    now,
    ttlSeconds: ttl,
    maxUses: input.maxUses ?? null,
    allowedIps: [],
    description:
      input.description ??
      (claims.repository ? `${claims.repository} run ${claims.run_id ?? '?'} attempt ${claims.run_attempt ?? '?'}` : null),
    claims,
  });
  ctx.audit.claims = claims;
  ctx.audit.reason = `pipeline token ${row.id} issued for ${formatDuration(ttl)}, scopes ${row.scopes.join(' ')}`;
  return { token: secret, ...tokenView(row, p.agent, now) };
}
