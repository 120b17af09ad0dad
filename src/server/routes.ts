import { AppError } from '../core/errors.js';
import type { Route } from './http.js';
import * as audit from './services/audit-log.js';
import type { ServiceDeps } from './services/deps.js';
import { principal } from './services/guards.js';
import type { TrustPolicyParser } from './services/identities.js';
import * as ids from './services/identities.js';
import * as secrets from './services/secrets.js';
import * as tokens from './services/tokens.js';

export interface RouteDeps extends ServiceDeps {
  parseTrustPolicy?: TrustPolicyParser;
  exchange?: (ctx: Parameters<Route['handler']>[0]['ctx'], body: unknown) => Promise<unknown>;
}

const SECRET = /^\/v1\/secrets\/(.+)$/;
const AUDIT_QUERY = ['limit', 'afterSeq', 'since', 'eventType', 'status', 'resourcePath'];

/** A boolean query parameter: absent, `true` or `false`; anything else is refused. */
function flag(query: Record<string, string | undefined>, name: string): boolean {
  const v = query[name];
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new AppError('invalid_input', `The query parameter ${name} must be true or false.`);
}
const META = /^\/v1\/metadata\/(.+)$/;

/** The route table. Order matters only where patterns overlap (`/v1/tokens/self` before `/v1/tokens/{id}`). */
export function buildRoutes(deps: RouteDeps): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/health$/,
      event: 'health',
      anonymous: true,
      audited: false,
      handler: async () => ({ body: { status: 'ok' } }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/whoami$/,
      event: 'auth.whoami',
      handler: async ({ ctx }) => {
        const p = principal(ctx);
        if (p.kind === 'user') return { body: { kind: 'user', id: p.id, name: p.name, role: p.role } };
        if (p.kind === 'agent') return { body: { kind: 'agent', id: p.agent.id, name: p.agent.name, scopes: p.agent.scopes } };
        return {
          body: {
            kind: p.token.kind === 'pipeline' ? 'pipeline' : 'token',
            id: p.token.id,
            agent: p.agent.name,
            scopes: p.token.scopes,
            expiresAt: new Date(p.token.expiresAt).toISOString(),
          },
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/tokens$/,
      event: 'token.issue',
      handler: async ({ ctx, body }) => ({ status: 201, body: await tokens.issueToken(deps, ctx, body) }),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/tokens\/exchange$/,
      event: 'token.exchange',
      handler: async ({ ctx, body }) => {
        if (!deps.exchange) throw new Error('exchange not configured');
        return { status: 201, body: await deps.exchange(ctx, body) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/tokens$/,
      event: 'token.list',
      query: ['agent', 'path', 'all'],
      handler: async ({ ctx, query }) => ({
        body: await tokens.listTokens(deps, ctx, { ...query, all: flag(query, 'all') ? 'true' : 'false' }),
      }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/tokens\/self$/,
      event: 'token.lookup',
      handler: async ({ ctx }) => ({ body: await tokens.tokenSelf(deps, ctx) }),
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/tokens\/self$/,
      event: 'token.revoke',
      handler: async ({ ctx }) => ({ body: await tokens.revokeSelf(deps, ctx) }),
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/tokens\/([^/]+)$/,
      event: 'token.revoke',
      handler: async ({ ctx, params }) => ({ body: await tokens.revokeToken(deps, ctx, params[0] as string) }),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/agents$/,
      event: 'agent.create',
      handler: async ({ ctx, body }) => ({ status: 201, body: await ids.createAgent(deps, ctx, body) }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/agents$/,
      event: 'agent.list',
      handler: async ({ ctx }) => ({ body: await ids.listAgents(deps, ctx) }),
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/agents\/([^/]+)$/,
      event: 'agent.revoke',
      handler: async ({ ctx, params }) => ({ body: await ids.revokeAgent(deps, ctx, params[0] as string) }),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/users$/,
      event: 'user.create',
      handler: async ({ ctx, body }) => ({ status: 201, body: await ids.createUser(deps, ctx, body) }),
    },
    { method: 'GET', pattern: /^\/v1\/users$/, event: 'user.list', handler: async ({ ctx }) => ({ body: await ids.listUsers(deps, ctx) }) },
    {
      method: 'DELETE',
      pattern: /^\/v1\/users\/([^/]+)$/,
      event: 'user.revoke',
      handler: async ({ ctx, params }) => ({ body: await ids.revokeUser(deps, ctx, params[0] as string) }),
    },
    {
      method: 'GET',
      pattern: SECRET,
      event: 'secret.read',
      query: ['version'],
      handler: async ({ ctx, params, query }) => ({ body: await secrets.getSecret(deps, ctx, params[0] as string, query.version) }),
    },
    {
      method: 'PUT',
      pattern: SECRET,
      event: 'secret.write',
      handler: async ({ ctx, params, body }) => ({ body: await secrets.putSecret(deps, ctx, params[0] as string, body) }),
    },
    {
      method: 'DELETE',
      pattern: SECRET,
      event: 'secret.delete',
      handler: async ({ ctx, params }) => ({ body: await secrets.deleteSecret(deps, ctx, params[0] as string) }),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/batch\/read$/,
      event: 'secret.batch_read',
      handler: async ({ ctx, body }) => ({ body: await secrets.batchRead(deps, ctx, body) }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/metadata$/,
      event: 'secret.list',
      query: ['prefix', 'deleted'],
      handler: async ({ ctx, query }) => ({ body: await secrets.listMetadata(deps, ctx, query.prefix, flag(query, 'deleted')) }),
    },
    {
      method: 'GET',
      pattern: META,
      event: 'secret.metadata',
      handler: async ({ ctx, params }) => ({ body: await secrets.getMetadata(deps, ctx, params[0] as string) }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/audit$/,
      event: 'audit.query',
      query: AUDIT_QUERY,
      handler: async ({ ctx, query }) => ({ body: await audit.queryAudit(deps, ctx, query) }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/audit\/verify$/,
      event: 'audit.verify',
      answersWithoutAudit: true,
      handler: async ({ ctx }) => ({ body: await audit.verifyAudit(deps, ctx) }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/audit\/checkpoint$/,
      event: 'audit.checkpoint',
      handler: async ({ ctx }) => ({ body: await audit.getCheckpoint(deps, ctx) }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/audit\/export$/,
      event: 'audit.export',
      answersWithoutAudit: true,
      query: ['format', ...AUDIT_QUERY],
      handler: async ({ ctx, query }) => {
        const out = await audit.exportAudit(deps, ctx, query);
        return out.kind === 'csv' ? { text: out.body, contentType: 'text/csv; charset=utf-8' } : { body: out.body };
      },
    },
  ];
}
