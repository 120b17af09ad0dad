/** Who may call the vault: whoami, agents and users. */
import { generateCredential, newId } from '../../core/credentials.js';
import { AppError } from '../../core/errors.js';
import { policyFor } from '../../core/rotation-schedule.js';
import { formatScopes, parseScopes } from '../../core/scopes.js';
import type { AgentRow, TrustPolicy } from '../../store/types.js';
import { REASON } from '../freshness.js';
import type { Handlers } from '../pipeline.js';
import { agentView, iso, userView } from './views.js';

export const identityHandlers = {
  async whoami({ principal: p }) {
    if (p.kind === 'user') return { kind: 'user' as const, id: p.id, name: p.name, role: p.role };
    if (p.kind === 'agent')
      return { kind: 'agent' as const, id: p.agent.id, name: p.agent.name, scopes: p.agent.scopes, trustPolicy: p.agent.trustPolicy };
    return {
      kind: p.token.kind,
      id: p.token.id,
      agent: p.agent.name,
      scopes: p.token.scopes,
      expiresAt: iso(p.token.expiresAt),
      claims: p.token.claims,
    };
  },

  async createAgent({ input: { body }, deps, ctx, commit }) {
    const scopes = formatScopes(parseScopes(body.scopes));
    const trustPolicy: TrustPolicy | null = body.trustPolicy === undefined ? null : deps.parseTrustPolicy(body.trustPolicy);
    const key = generateCredential('agent');
    const row: AgentRow = {
      id: newId(),
      name: body.name,
      scopes,
      description: body.description ?? null,
      trustPolicy,
      keyId: key.id,
      keyHash: deps.keys.credentialHash(key.secret),
      createdAt: deps.now(),
      revokedAt: null,
    };
    ctx.audit.reason = `agent ${row.name} created with scopes ${scopes.join(' ')}${trustPolicy ? ` and a trust policy for ${trustPolicy.issuer}` : ''}`;
    await commit(deps.store.changes.createAgent(row), (result) => {
      if (result === 'name_taken') {
        throw new AppError(
          'conflict',
          `An agent named ${row.name} already exists; pick another name or revoke the old one first (one agent per service).`,
        );
      }
    });
    return { ...agentView(row), agentKey: key.secret };
  },

  async listAgents({ deps }) {
    return { agents: (await deps.store.listAgents()).map(agentView) };
  },

  async revokeAgent({ input: { params }, deps, ctx, commit }) {
    const agent = await deps.store.getAgentByName(params.name);
    if (!agent) throw new AppError('not_found', `No agent named ${JSON.stringify(params.name)}; see ass agents list.`);
    const { tokensRevoked } = await commit(deps.store.changes.revokeAgent(agent.id, deps.now()), (r) => {
      if (!r.revoked) throw new AppError('conflict', `The agent ${agent.name} is already revoked.`);
      ctx.audit.reason = REASON.agentRevoked(agent.name, agent.id, r.tokensRevoked);
    });
    return { name: agent.name, revoked: true as const, tokensRevoked };
  },

  async createUser({ input: { body }, deps, ctx, commit }) {
    const cred = generateCredential('user');
    const now = deps.now();
    const row = {
      id: cred.id,
      name: body.name,
      role: body.role,
      approver: body.approver ?? false,
      tokenHash: deps.keys.credentialHash(cred.secret),
      createdAt: now,
      revokedAt: null,
    };
    ctx.audit.reason = `user ${body.name} created with role ${body.role}${body.approver ? ', approver' : ''}`;
    await commit(deps.store.changes.createUser(row), (result) => {
      if (result === 'name_taken') {
        throw new AppError('conflict', `A user named ${body.name} already exists; every person gets their own account.`);
      }
    });
    return { ...userView(row), token: cred.secret };
  },

  async listUsers({ deps }) {
    return { users: (await deps.store.listUsers()).map(userView) };
  },

  async revokeUser({ input: { params }, deps, ctx, commit }) {
    const user = await deps.store.getUserByName(params.name);
    if (!user) throw new AppError('not_found', `No user named ${JSON.stringify(params.name)}; see ass users list.`);
    ctx.audit.reason = REASON.userRevoked(user.name, user.id, user.role);
    await commit(deps.store.changes.revokeUser(user.id, deps.now()), (result) => {
      if (result === 'last_admin') {
        throw new AppError(
          'conflict',
          `${user.name} is the last active admin; create another admin (ass users create --role admin) before revoking this one.`,
        );
      }
      if (result === 'not_active') throw new AppError('conflict', `${user.name} is already revoked.`);
    });
    return { name: user.name, revoked: true as const };
  },

  async rotateAgentKey({ input: { params, body }, principal, deps, ctx, commit, can }) {
    const agent = await deps.store.getAgentByName(params.name);
    if (!agent) throw new AppError('not_found', `No agent named ${JSON.stringify(params.name)}; see ass agents list.`);
    if (principal.kind === 'token') {
      // A rotator rotates an agent's key as part of rotating the secret whose agent-key policy names
      // that agent: it needs secrets:rotate on that secret, and nothing else.
      const policy = body.path ? policyFor(body.path, await deps.store.listRotationPolicies()) : undefined;
      if (!body.path || policy?.rotator !== 'agent-key' || policy.settings.agent !== agent.name || !can('rotate', body.path)) {
        throw new AppError(
          'denied',
          `A token rotates ${agent.name}'s key only for a secret whose agent-key rotation policy names ${agent.name}, with secrets:rotate on it (give its path); or use an admin token or the agent's own key.`,
        );
      }
      ctx.audit.path = body.path;
    }
    if (principal.kind === 'agent' && principal.agent.id !== agent.id) {
      throw new AppError('denied', `An agent key can rotate only its own agent's key; ${params.name} is another agent.`);
    }
    if (principal.kind === 'agent' && principal.agent.replacedKeyUntil !== undefined) {
      // Else whoever kept (or stole) a replaced key could take the agent back from its new key.
      throw new AppError(
        'denied',
        `This key of ${agent.name} was replaced; it works until ${iso(principal.agent.replacedKeyUntil)} to finish what it was doing, but cannot rotate the agent's key. Use the current key.`,
      );
    }
    if (agent.revokedAt !== null) throw new AppError('conflict', `The agent ${agent.name} was revoked; create a new agent instead.`);
    const now = deps.now();
    const grace = body.grace ?? 3600;
    if (grace > 7 * 86_400) throw new AppError('invalid_input', 'The overlap of an old agent key may be at most 7d.');
    const previousUntil = grace > 0 ? now + grace * 1000 : 0;
    const key = generateCredential('agent');
    const overlap =
      grace > 0 ? `the old key ${agent.keyId} works until ${iso(previousUntil)}` : `the old key ${agent.keyId} stopped working`;
    ctx.audit.reason = REASON.agentKeyRotated(agent.name, agent.id, key.id, overlap);
    await commit(deps.store.changes.rotateAgentKey(agent.id, key.id, deps.keys.credentialHash(key.secret), previousUntil, now), (r) => {
      if (r !== 'ok') throw new AppError('conflict', `The agent ${agent.name} was revoked; create a new agent instead.`);
    });
    return {
      name: agent.name,
      agentKey: key.secret,
      keyId: key.id,
      previousKeyId: agent.keyId,
      previousKeyUntil: previousUntil > 0 ? iso(previousUntil) : null,
    };
  },
} satisfies Pick<
  Handlers,
  'whoami' | 'createAgent' | 'listAgents' | 'revokeAgent' | 'createUser' | 'listUsers' | 'revokeUser' | 'rotateAgentKey'
>;
