import { AppError } from '../../core/errors.js';
import { missingScopeHint, parseScopes, scopesAllow, type Verb } from '../../core/scopes.js';
import type { Role } from '../../store/types.js';
import type { Principal, RequestContext } from '../context.js';

export function principal(ctx: RequestContext): Principal {
  if (!ctx.principal) throw new AppError('unauthenticated', 'No credential was sent: set the Authorization header to "Bearer <token>".');
  return ctx.principal;
}

/** Only human users with one of `roles` pass. */
export function requireRole(ctx: RequestContext, roles: readonly Role[], what: string): Principal & { kind: 'user' } {
  const p = principal(ctx);
  if (p.kind !== 'user') {
    throw new AppError(
      'denied',
      `Only a human user with the ${roles.join(' or ')} role can ${what}; this request used ${p.kind === 'agent' ? 'an agent key' : 'a scoped token'}.`,
    );
  }
  if (!roles.includes(p.role)) {
    throw new AppError('denied', `The ${p.role} role cannot ${what}; it needs ${roles.join(' or ')}.`);
  }
  return p;
}

export function requireAgentKey(ctx: RequestContext, what: string): Principal & { kind: 'agent' } {
  const p = principal(ctx);
  if (p.kind !== 'agent') {
    throw new AppError('denied', `Only an agent key can ${what}: set ASS_AGENT_KEY (the key printed by ass agents create).`);
  }
  return p;
}

/** Roles that may use secret values, and those that may see metadata. */
export const VALUE_ROLES: readonly Role[] = ['admin', 'editor'];
export const METADATA_ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];

/** Whether the caller may `verb` the path; throws a 403 that names the missing scope. */
export function authorizeSecret(ctx: RequestContext, verb: Verb, path: string): void {
  const p = principal(ctx);
  if (p.kind === 'user') {
    const roles = verb === 'list' ? METADATA_ROLES : VALUE_ROLES;
    if (!roles.includes(p.role)) {
      throw new AppError(
        'denied',
        `The ${p.role} role cannot ${verb} secrets${verb === 'read' ? ' (it never sees values)' : ''}; ask an admin or editor.`,
      );
    }
    return;
  }
  if (p.kind === 'agent') {
    throw new AppError(
      'denied',
      'An agent key cannot use secrets directly: issue a scoped token first (ass tokens issue), or let the CLI do it for you.',
    );
  }
  const scopes = parseScopes(p.token.scopes);
  if (!scopesAllow(scopes, verb, path)) {
    throw new AppError(
      'scope_missing',
      `Token ${p.token.id} lacks the scope ${missingScopeHint(verb, path)}; its scopes are ${p.token.scopes.join(', ')}. Issue a token whose scopes cover this path.`,
      {
        details: { missingScope: missingScopeHint(verb, path) },
      },
    );
  }
}
