import { z } from 'zod';
import { generateCredential, newId } from '../../core/credentials.js';
import { AppError } from '../../core/errors.js';
import { formatScopes, parseScopes } from '../../core/scopes.js';
import { type AgentRow, ROLES, type TrustPolicyRow } from '../../store/types.js';
import type { RequestContext } from '../context.js';
import { parseBody } from '../validate.js';
import { LIMITS, type ServiceDeps } from './deps.js';
import { requireRole } from './guards.js';

const NAME = z
  .string()
  .min(1)
  .max(LIMITS.name)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit');

const agentSchema = z.strictObject({
  name: NAME,
  scopes: z.array(z.string()).min(1, 'give at least one scope').max(LIMITS.scopes),
  description: z.string().max(LIMITS.description).optional(),
  trustPolicy: z.unknown().optional(),
});

const userSchema = z.strictObject({
  name: NAME,
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }),
});

/** Validates an OIDC trust policy; replaced by the OIDC module's stricter parser when present. */
export type TrustPolicyParser = (input: unknown) => TrustPolicyRow;

function agentView(a: AgentRow) {
  return {
    id: a.id,
    name: a.name,
    scopes: a.scopes,
    description: a.description,
    trustPolicy: a.trustPolicy,
    createdAt: new Date(a.createdAt).toISOString(),
    revokedAt: a.revokedAt === null ? null : new Date(a.revokedAt).toISOString(),
  };
}

export async function createAgent(deps: ServiceDeps & { parseTrustPolicy?: TrustPolicyParser }, ctx: RequestContext, body: unknown) {
  requireRole(ctx, ['admin'], 'create agents');
  const input = parseBody(agentSchema, body);
  const scopes = formatScopes(parseScopes(input.scopes));
  let trustPolicy: TrustPolicyRow | null = null;
  if (input.trustPolicy !== undefined) {
    if (!deps.parseTrustPolicy) throw new AppError('invalid_input', 'This server does not support OIDC trust policies.');
    trustPolicy = deps.parseTrustPolicy(input.trustPolicy);
  }
  if (await deps.store.getAgentByName(input.name)) {
    throw new AppError(
      'conflict',
      `An agent named ${input.name} already exists; pick another name or revoke the old one first (one agent per service).`,
    );
  }
  const key = generateCredential('agent');
  const row: AgentRow = {
    id: newId(),
    name: input.name,
    scopes,
    description: input.description ?? null,
    trustPolicy,
    keyId: key.id,
    keyHash: key.hash,
    createdAt: deps.now(),
    revokedAt: null,
  };
  await deps.store.createAgent(row);
  ctx.audit.reason = `agent ${row.name} created with scopes ${scopes.join(' ')}`;
  return { ...agentView(row), agentKey: key.secret };
}

export async function listAgents(deps: ServiceDeps, ctx: RequestContext) {
  requireRole(ctx, ['admin'], 'list agents');
  return { agents: (await deps.store.listAgents()).map(agentView) };
}

export async function revokeAgent(deps: ServiceDeps, ctx: RequestContext, name: string) {
  requireRole(ctx, ['admin'], 'revoke agents');
  const agent = await deps.store.getAgentByName(name);
  if (!agent) throw new AppError('not_found', `No agent named ${JSON.stringify(name.slice(0, 64))}; see ass agents list.`);
  const { tokensRevoked } = await deps.store.revokeAgent(agent.id, deps.now());
  ctx.audit.reason = `agent ${agent.name} revoked with ${tokensRevoked} live token(s)`;
  return { name: agent.name, revoked: true, tokensRevoked };
}

export async function createUser(deps: ServiceDeps, ctx: RequestContext, body: unknown) {
  requireRole(ctx, ['admin'], 'create users');
  const input = parseBody(userSchema, body);
  if ((await deps.store.listUsers()).some((u) => u.name === input.name)) {
    throw new AppError('conflict', `A user named ${input.name} already exists; every person gets their own account.`);
  }
  const cred = generateCredential('user');
  const now = deps.now();
  await deps.store.createUser({ id: cred.id, name: input.name, role: input.role, tokenHash: cred.hash, createdAt: now, revokedAt: null });
  ctx.audit.reason = `user ${input.name} created with role ${input.role}`;
  return { id: cred.id, name: input.name, role: input.role, token: cred.secret, createdAt: new Date(now).toISOString() };
}

export async function revokeUser(deps: ServiceDeps, ctx: RequestContext, name: string) {
  requireRole(ctx, ['admin'], 'revoke users');
  const users = await deps.store.listUsers();
  const user = users.find((u) => u.name === name);
  if (!user) throw new AppError('not_found', `No user named ${JSON.stringify(name.slice(0, 64))}; see ass users list.`);
  const result = await deps.store.revokeUser(user.id, deps.now());
  if (result === 'last_admin') {
    throw new AppError(
      'conflict',
      `${user.name} is the last active admin; create another admin (ass users create --role admin) before revoking this one.`,
    );
  }
  ctx.audit.reason = `user ${user.name} (${user.role}) revoked`;
  return { name: user.name, revoked: true };
}

export async function listUsers(deps: ServiceDeps, ctx: RequestContext) {
  requireRole(ctx, ['admin'], 'list users');
  const users = await deps.store.listUsers();
  return {
    users: users.map((u) => ({
      id: u.id,
      name: u.name,
      role: u.role,
      createdAt: new Date(u.createdAt).toISOString(),
      revoked: u.revokedAt !== null,
    })),
  };
}
