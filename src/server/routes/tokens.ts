/** Scoped tokens (issued by an agent key), pipeline tokens (the OIDC exchange), listing and revocation. */
import { parseCidr } from '../../core/cidr.js';
import { generateCredential } from '../../core/credentials.js';
import { formatDuration } from '../../core/duration.js';
import { AppError, isAppError } from '../../core/errors.js';
import {
  formatScopes,
  intersectScopes,
  parseScopes,
  parseScopesCached,
  type Scope,
  scopesCoverPath,
  scopesOutside,
} from '../../core/scopes.js';
import type { AgentRow, TokenRow, TrustPolicy } from '../../store/types.js';
import type { RequestContext } from '../context.js';
import type { ServiceDeps } from '../deps.js';
import { REASON } from '../freshness.js';
import { credentialSubject, lockedOut } from '../limits.js';
import type { Handlers } from '../pipeline.js';
import { asAgent, asToken, asUser, tokenView } from './views.js';

/** Claims copied onto a pipeline token and into every audit record made with it. */
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
  'triggering_actor',
  'runner_environment',
  // GitLab, Buildkite and CircleCI name their projects, runs and people differently.
  'project_id',
  'project_path',
  'namespace_id',
  'pipeline_id',
  'pipeline_source',
  'job_id',
  'user_login',
  'user_id',
  'organization_slug',
  'pipeline_slug',
  'build_number',
  'oidc.circleci.com/project-id',
  'oidc.circleci.com/workflow-id',
] as const;

/**
 * The claims that name one CI run, per CI: an approval given to a run is collected only by that run
 * (and a CI whose tokens name no run cannot have its exchanges approved).
 */
export const RUN_ID_CLAIMS = ['run_id', 'pipeline_id', 'build_number', 'oidc.circleci.com/workflow-id'] as const;

/** A new token row with a fresh credential (returned once; only its hash is stored); also used by ass server --rotate. */
export function newToken(
  keys: Pick<ServiceDeps['keys'], 'credentialHash'>,
  t: Pick<TokenRow, 'kind' | 'scopes' | 'maxUses' | 'allowedIps' | 'description' | 'claims'> & {
    agent: AgentRow;
    now: number;
    ttlSeconds: number;
  },
): { secret: string; row: TokenRow } {
  const cred = generateCredential(t.kind);
  return {
    secret: cred.secret,
    row: {
      id: cred.id,
      kind: t.kind,
      agentId: t.agent.id,
      hash: keys.credentialHash(cred.secret),
      scopes: t.scopes,
      createdAt: t.now,
      expiresAt: t.now + t.ttlSeconds * 1000,
      maxUses: t.maxUses,
      uses: 0,
      allowedIps: t.allowedIps,
      description: t.description,
      claims: t.claims,
      revokedAt: null,
    },
  };
}

function checkTtl(ttl: number, maxSeconds: number): number {
  if (ttl > maxSeconds) {
    throw new AppError(
      'invalid_input',
      `The token TTL ${formatDuration(ttl)} exceeds this vault's maximum of ${formatDuration(maxSeconds)}; ask for a shorter TTL and refresh before it expires.`,
    );
  }
  return ttl;
}

/**
 * OIDC rejections that can only be forgery: a signature that does not verify under the issuer's
 * published key, or an algorithm the issuer never uses (`none`, HS256 keyed with the public key).
 * A key id the issuer has not published (yet: it may be rotating its keys), an issuer outage, and
 * a genuine token that fails the trust policy, has expired, or names another audience or issuer
 * are mistakes or accidents to explain, not attacks, and count toward nothing.
 */
const FORGED = new Set(['signature', 'algorithm']);

/** A forged OIDC token counts against the agent key that sent it and its address; a lockout answers 429. */
async function countOidcRejection(deps: ServiceDeps, ctx: RequestContext, keyId: string, err: unknown): Promise<void> {
  if (!isAppError(err) || err.code !== 'oidc_rejected' || !FORGED.has(String(err.details?.reason))) return;
  const outcome = await deps.limits.guess(ctx.ip, credentialSubject('agent', keyId));
  ctx.extraAudit.push(...outcome.began);
  if (outcome.retryAfter !== undefined) {
    if (outcome.repeated && outcome.began.length === 0) ctx.skipAudit = true;
    throw lockedOut(outcome.retryAfter, true);
  }
}

/**
 * A key the agent replaced (still in its overlap) gets tokens that end with the overlap and say
 * where they came from, so they can never read the agent's new key (see secrets.ts): else whoever
 * kept the old key could read the new one and take the agent back.
 */
export function replacedKeyTtl(agent: AgentRow, ttl: number, now: number): number {
  if (agent.replacedKeyUntil === undefined) return ttl;
  return Math.max(1, Math.min(ttl, Math.floor((agent.replacedKeyUntil - now) / 1000)));
}

export function replacedKeyClaims(agent: AgentRow): Record<string, string> | null {
  return agent.replacedKeyUntil === undefined ? null : { replaced_key: agent.keyId };
}

/**
 * Checks a CI run's OIDC token against the agent's trust policy, spends its `jti` (each is accepted
 * once, also across restarts), and returns the claims recorded on the pipeline token. A forged one
 * counts toward the key's lockout; only a token the policy accepts draws on the key's allowance.
 */
export async function verifyRun(
  deps: ServiceDeps,
  ctx: RequestContext,
  agent: AgentRow,
  oidcToken: string,
): Promise<Record<string, string>> {
  const policy = agent.trustPolicy;
  if (!policy) {
    throw new AppError(
      'denied',
      `The agent "${agent.name}" has no OIDC trust policy, so it cannot exchange OIDC tokens. Create the agent with --oidc-issuer and --oidc-claim repository_id=... (see the README).`,
    );
  }
  let verified: Awaited<ReturnType<ServiceDeps['verifier']['verify']>>;
  try {
    verified = await deps.verifier.verify(oidcToken, policy, deps.settings.audience);
  } catch (err) {
    await countOidcRejection(deps, ctx, agent.keyId, err);
    throw err;
  }
  // Only an exchange the trust policy accepts draws on the key's allowance: a run the policy
  // refuses, or the key alone, cannot use up the production pipeline's exchanges.
  await deps.limits.take('exchange', credentialSubject('agent', agent.keyId));
  if (!(await deps.store.useJti(verified.issuer, verified.jti, verified.exp * 1000, deps.now()))) {
    throw new AppError(
      'oidc_rejected',
      `This OIDC token (jti ${verified.jti.slice(0, 64)}) was already exchanged once; request a fresh token for every exchange.`,
    );
  }
  const claims: Record<string, string> = {};
  for (const name of RECORDED_CLAIMS) {
    const v = verified.claims[name];
    if (typeof v === 'string' || typeof v === 'number') claims[name] = String(v).slice(0, 256);
  }
  return claims;
}

/**
 * Holds a token request or exchange whose read scopes reach a secret that needs approval: stores
 * the request (what was asked, to release exactly that) and throws the 202.
 */
async function holdForApproval(
  call: Pick<Parameters<Handlers['issueToken']>[0], 'deps' | 'ctx' | 'principal' | 'commit'>,
  kind: 'token' | 'exchange',
  scopes: Scope[],
  ask: { ttlSeconds: number | null; maxUses: number | null; allowedIps: string[]; description: string | null },
  claims?: Record<string, string>,
): Promise<void> {
  const { deps } = call;
  const held = await deps.approvals.needing(await deps.approvals.readableBy(scopes));
  if (held.length === 0) return;
  if (claims && !RUN_ID_CLAIMS.some((c) => claims[c] !== undefined)) {
    throw new AppError(
      'denied',
      `The scopes reach ${held.length} secret(s) that need approval, and this CI's OIDC token names no run (${RUN_ID_CLAIMS.join(', ')}) an approval could be bound to. Ask for scopes that reach none of them, or let a person fetch them.`,
    );
  }
  const { description, ...rest } = ask;
  await deps.approvals.hold(
    {
      kind,
      principal: call.principal,
      held,
      ask: { scopes: formatScopes(scopes), ...rest, read: null },
      description,
      ...(claims ? { claims } : {}),
    },
    call.ctx,
    call.commit,
  );
}

export const tokenHandlers = {
  async issueToken({ input: { body }, principal, deps, ctx, commit }) {
    const { agent } = asAgent(principal);
    if (agent.trustPolicy) {
      // An agent bound to a CI trust policy gets tokens only with both factors: its key alone, if
      // stolen, must not be enough.
      throw new AppError(
        'denied',
        `The agent "${agent.name}" is bound to a CI OIDC trust policy, so it gets tokens only through the exchange (agent key plus the job's OIDC token: ass tokens exchange, or the fetch action). For tokens from the key alone, create a separate agent without --oidc-issuer.`,
      );
    }
    const scopes = parseScopes(body.scopes);
    const outside = scopesOutside(scopes, parseScopesCached(agent.scopes));
    if (outside.length > 0) {
      throw new AppError(
        'denied',
        `The agent "${agent.name}" may not grant ${formatScopes(outside).join(', ')}: a token's scopes must lie within the agent's (${agent.scopes.join(', ')}).`,
      );
    }
    const ttl = replacedKeyTtl(agent, checkTtl(body.ttl, deps.settings.maxTokenTtlSeconds), deps.now());
    const now = deps.now();
    const allowedIps = (body.allowedIps ?? []).map((c) => parseCidr(c).text);
    await holdForApproval({ deps, ctx, principal, commit }, 'token', scopes, {
      ttlSeconds: ttl,
      maxUses: body.maxUses ?? null,
      allowedIps,
      description: body.description ?? null,
    });
    const { secret, row } = newToken(deps.keys, {
      kind: 'token',
      agent,
      scopes: formatScopes(scopes),
      now,
      ttlSeconds: ttl,
      maxUses: body.maxUses ?? null,
      allowedIps,
      description: body.description ?? null,
      claims: replacedKeyClaims(agent),
    });
    ctx.audit.reason = `token ${row.id} issued, scopes ${row.scopes.join(' ')}, ttl ${formatDuration(ttl)}`;
    await commit(deps.store.changes.createToken(row));
    return { token: secret, ...tokenView(row, agent, now) };
  },

  /**
   * Exchanges the two factors (the agent key that authenticated this request and a CI OIDC token
   * that passes the agent's trust policy) for a short-lived pipeline token bound to the CI run.
   * Either factor alone gets nothing. Each OIDC token (`jti`) is accepted once, also across restarts.
   */
  async exchangeToken({ input: { body }, principal, deps, ctx, commit }) {
    const { agent } = asAgent(principal);
    const policy = agent.trustPolicy as TrustPolicy;
    const claims = await verifyRun(deps, ctx, agent, body.oidcToken);
    const now = deps.now();
    // Pipeline scopes = the agent's ∩ the trust policy's (if it sets any) ∩ the requested.
    const agentScopes = policy.scopes
      ? intersectScopes(parseScopesCached(agent.scopes), parseScopes(policy.scopes))
      : parseScopesCached(agent.scopes);
    if (agentScopes.length === 0) {
      throw new AppError('denied', `The trust policy of agent "${agent.name}" allows no scope the agent has; fix the policy's scopes.`);
    }
    let scopes = agentScopes;
    if (body.scopes) {
      const requested = parseScopes(body.scopes);
      const outside = scopesOutside(requested, agentScopes);
      if (outside.length > 0) {
        throw new AppError(
          'denied',
          `The agent "${agent.name}" may not grant ${formatScopes(outside).join(', ')} to a pipeline; it may grant ${formatScopes(agentScopes).join(', ')}.`,
        );
      }
      scopes = intersectScopes(requested, agentScopes);
    }
    // A pipeline asking for more than this vault allows gets the maximum (its expiresAt says so),
    // rather than a failed deploy: the cap is the operator's decision, not the workflow's mistake.
    const max = deps.settings.maxPipelineTtlSeconds;
    const ttl = replacedKeyTtl(agent, body.ttl === undefined ? max : Math.min(body.ttl, max), now);
    ctx.audit.claims = claims;
    await holdForApproval(
      { deps, ctx, principal, commit },
      'exchange',
      scopes,
      { ttlSeconds: body.ttl ?? null, maxUses: body.maxUses ?? null, allowedIps: [], description: body.description ?? null },
      claims,
    );
    const { secret, row } = newToken(deps.keys, {
      kind: 'pipeline',
      agent,
      scopes: formatScopes(scopes),
      now,
      ttlSeconds: ttl,
      maxUses: body.maxUses ?? null,
      allowedIps: [],
      description:
        body.description ??
        (claims.repository ? `${claims.repository} run ${claims.run_id ?? '?'} attempt ${claims.run_attempt ?? '?'}` : null),
      claims,
    });
    Object.assign(claims, replacedKeyClaims(agent));
    ctx.audit.claims = claims;
    ctx.audit.reason = `pipeline token ${row.id} issued for ${formatDuration(ttl)}, scopes ${row.scopes.join(' ')}`;
    await commit(deps.store.changes.createToken(row));
    return { token: secret, ...tokenView(row, agent, now) };
  },

  async listTokens({ input: { query }, deps, ctx }) {
    const now = deps.now();
    ctx.audit.path = query.path ?? null;
    let agentId: string | undefined;
    if (query.agent) {
      const agent = await deps.store.getAgentByName(query.agent);
      if (!agent) throw new AppError('not_found', `No agent named ${JSON.stringify(query.agent)}; see ass agents list.`);
      agentId = agent.id;
    }
    const rows = await deps.store.listTokens({ agentId, activeAt: query.all ? undefined : now });
    const agents = new Map((await deps.store.listAgents()).map((a) => [a.id, a]));
    const path = query.path;
    const filtered = path ? rows.filter((t) => scopesCoverPath(parseScopesCached(t.scopes), path)) : rows;
    return { tokens: filtered.flatMap((t) => (agents.has(t.agentId) ? [tokenView(t, agents.get(t.agentId) as AgentRow, now)] : [])) };
  },

  async tokenSelf({ principal, deps }) {
    const p = asToken(principal);
    return tokenView(p.token, p.agent, deps.now());
  },

  async revokeSelf({ principal, deps, ctx, commit }) {
    const p = asToken(principal);
    ctx.audit.reason = REASON.tokenRevoked(p.token.id, true);
    await commit(deps.store.changes.revokeToken(p.token.id, deps.now()), (revoked) => {
      if (!revoked) throw new AppError('token_revoked', `Token ${p.token.id} was revoked meanwhile.`);
    });
    return { id: p.token.id, revoked: true as const };
  },

  async revokeToken({ input: { params }, principal, deps, ctx, commit }) {
    asUser(principal);
    const token = await deps.store.getToken(params.id);
    if (!token) throw new AppError('not_found', `No token with id ${params.id}; see ass tokens list --all.`);
    ctx.audit.reason = REASON.tokenRevoked(params.id, false);
    await commit(deps.store.changes.revokeToken(params.id, deps.now()), (revoked) => {
      if (!revoked) throw new AppError('conflict', `Token ${params.id} is already revoked.`);
    });
    return { id: params.id, revoked: true as const };
  },
} satisfies Pick<Handlers, 'issueToken' | 'exchangeToken' | 'listTokens' | 'tokenSelf' | 'revokeSelf' | 'revokeToken'>;
