/**
 * The request pipeline: every API request goes through `handleRequest`, in one fixed order.
 *
 *   validate → authenticate (guesses count toward lockouts) → rate limit → spend uses → authorise →
 *   handler → audit → send
 *
 * Each step is driven by the route's declaration in src/api/routes.ts; handlers hold only what is
 * particular to their route. A handler that changes something commits the change together with
 * the request's audit records (`call.commit`), so a change is never kept without its record; for
 * every other request the records are appended before the answer leaves, and if they cannot be,
 * nothing is released (fail closed).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { type Access, compileTemplate, type InputOf, type PathTemplate, type ResponseInputOf, type RouteDef } from '../api/define.js';
import { API, type Api, type RouteName } from '../api/routes.js';
import { validate } from '../api/validate.js';
import { type AuditEntry, AuditTamperError } from '../core/audit-chain.js';
import type { Cidr } from '../core/cidr.js';
import { AppError, isAppError } from '../core/errors.js';
import {
  AUDIT_READ_TEXT,
  missingScopeHint,
  parseScopesCached,
  type SecretScope,
  scopesAllow,
  scopesAllowAudit,
  scopeWithin,
  secretScopes,
  type Verb,
} from '../core/scopes.js';
import { quoteName, storableText } from '../core/text.js';
import { type Change, CommitFailed } from '../store/types.js';
import { authenticate } from './auth.js';
import { actorOf, credentialKind, type Principal, type RequestContext } from './context.js';
import type { ServiceDeps } from './deps.js';
import { clientAddress, readBody, send } from './http.js';
import { credentialSubject, type GuessOutcome } from './limits.js';

/** A text answer (the CSV export) instead of the route's JSON response. */
export class TextReply {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

/** What a handler gets: its parsed input, the caller, the dependencies and the commit. */
export interface Call<R extends RouteDef> {
  input: InputOf<R>;
  ctx: RequestContext;
  /** The authenticated caller (anonymous routes have none and never read it). */
  principal: Principal;
  deps: ServiceDeps;
  /**
   * Runs `change` and appends this request's audit records in one transaction. `finish` runs inside
   * it with the change's result: it may fill in the audit record, or throw (an AppError) to undo the
   * change, which is then recorded as refused. One commit per request.
   */
  commit<T>(change: Change<T>, finish?: (result: T) => void): Promise<T>;
  /** Whether the caller may `verb` the path (for listings that show a token only what it covers). */
  can(verb: Verb, path: string): boolean;
}

export type Handler<R extends RouteDef> = (call: Call<R>) => Promise<ResponseInputOf<R> | TextReply>;
export type Handlers = { [K in RouteName]: Handler<Api[K]> };

interface CompiledRoute {
  name: RouteName;
  def: RouteDef;
  template: PathTemplate;
  handler: Handler<RouteDef>;
}

export interface PipelineDeps extends ServiceDeps {
  handlers: Handlers;
  trustedProxies: Cidr[];
}

export function compileRoutes(handlers: Handlers): CompiledRoute[] {
  // Literal paths before templated ones: /v1/tokens/self before /v1/tokens/{id}.
  return (Object.keys(API) as RouteName[])
    .map((name) => ({
      name,
      def: API[name] as RouteDef,
      template: compileTemplate(API[name].path),
      handler: handlers[name] as Handler<RouteDef>,
    }))
    .sort((a, b) => a.template.names.length - b.template.names.length);
}

function statusForAudit(err: AppError): 'denied' | 'error' | 'pending' {
  if (err.code === 'approval_required') return 'pending';
  if (!err.isUserError) return 'error';
  return err.status === 401 || err.status === 403 || err.status === 429 ? 'denied' : 'error';
}

/** Every string of a record made storable (see src/core/text.ts): what is hashed is what is stored. */
const text = (s: string | null, max = 500) => (s === null ? null : storableText(s, max));

function entriesOf(ctx: RequestContext, time: number): AuditEntry[] {
  const actor = actorOf(ctx.principal);
  return [ctx.audit, ...ctx.extraAudit].map((d) => {
    const claims = d.claims ?? actor.claims;
    return {
      time,
      requestId: ctx.requestId,
      event: d.event,
      status: d.status,
      actorType: actor.actorType,
      actorId: text(actor.actorId),
      actorName: text(actor.actorName),
      agent: text(actor.agent),
      tokenId: text(actor.tokenId),
      path: text(d.path),
      tier: text(d.tier),
      reason: text(d.reason),
      ip: text(ctx.ip, 100),
      claims: claims && Object.fromEntries(Object.entries(claims).map(([k, v]) => [storableText(k, 64), storableText(v, 256)])),
    };
  });
}

function auditUnavailable(requestId: string): AppError {
  return new AppError(
    'audit_unavailable',
    `The audit log could not be written, so nothing was changed or released. Quote request id ${requestId} to the operator.`,
  );
}

/** A commit refused because the log's head failed its check: the log is broken. */
function noteTamper(deps: ServiceDeps, err: unknown): void {
  const cause = err instanceof CommitFailed ? err.cause : undefined;
  if (cause instanceof AuditTamperError) deps.monitor.markBroken({ seq: null, kind: 'head_mismatch', message: cause.message });
}

/**
 * What a guessed credential led to: a lockout that began is recorded with the request (once); a
 * refusal during a lockout after its first is counted on the lockout, not recorded again, so a
 * guesser cannot flood the log.
 */
function noteGuess(ctx: RequestContext, o: GuessOutcome): void {
  ctx.extraAudit.push(...o.began);
  if (o.retryAfter !== undefined && o.repeated && o.began.length === 0) ctx.skipAudit = true;
}

/** The credential a principal presented, as lockouts and rate limits name it. */
export function principalSubject(p: Principal): string {
  switch (p.kind) {
    case 'user':
      return credentialSubject('user', p.id);
    case 'agent':
      return credentialSubject('agent', p.agent.keyId);
    case 'token':
      return credentialSubject(p.token.kind, p.token.id);
  }
}

/** The route's query parameters: a strict object schema's keys. */
function queryKeys(def: RouteDef): string[] {
  return Object.keys((def.query as unknown as z.ZodObject).shape ?? {});
}

export function createPipeline(deps: PipelineDeps) {
  const routes = compileRoutes(deps.handlers);
  const { store, logger } = deps;
  const seal = deps.audit.sealer;

  return async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    // The path is matched raw, never percent-decoded: an encoded slash cannot smuggle a segment.
    const pathname = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    const ctx: RequestContext = {
      requestId,
      ip: clientAddress(req, deps.trustedProxies),
      audit: { event: 'request.invalid', status: 'granted', path: null, tier: null, reason: null },
      extraAudit: [],
    };
    let route: CompiledRoute | undefined;
    let captures: string[] = [];
    let methodMismatch = false;
    for (const r of routes) {
      const m = r.template.regex.exec(pathname);
      if (!m) continue;
      if (r.def.method !== method) {
        methodMismatch = true;
        continue;
      }
      route = r;
      captures = m.slice(1);
      break;
    }
    const def = route?.def;
    if (def?.event) ctx.audit.event = def.event;
    let status = def?.status ?? 200;
    let payload = '';
    let contentType = 'application/json; charset=utf-8';
    let errorCode: string | undefined;
    const headers: Record<string, string> = {};
    try {
      // A log that failed verification: only what tells the operator why is served.
      if (def && !def.servesBrokenLog) deps.monitor.assertIntact();
      if (!route || !def) {
        req.resume();
        // Probing for routes touches nothing, so it is not audited (and, guessing no credential, not counted).
        throw new AppError(
          methodMismatch ? 'invalid_input' : 'not_found',
          methodMismatch
            ? `${method} is not supported on ${pathname.slice(0, 200)}.`
            : `There is no API route ${pathname.slice(0, 200)}; see docs/api.md.`,
        );
      }

      // 1. Validate the path parameters, the query and the body against the route's schemas.
      const access = def.access as Access<InputOf<RouteDef>>;
      const noted = (o: GuessOutcome) => noteGuess(ctx, o);
      let input: InputOf<RouteDef>;
      try {
        input = parseInput(route, captures, url.slice(q === -1 ? url.length : q + 1), await readBody(req)) as InputOf<RouteDef>;
      } catch (err) {
        // The record of a malformed request says who sent it, when the credential is valid.
        if (!access.anonymous) ctx.principal = await authenticate(deps, req.headers.authorization, ctx.ip, noted).catch(() => undefined);
        throw err;
      }
      ctx.audit.path = auditPath(access, input);

      // 2. Authenticate. A guessed credential counts toward the lockouts of its address and id.
      if (!access.anonymous) ctx.principal = await authenticate(deps, req.headers.authorization, ctx.ip, noted);
      const principal = ctx.principal as Principal;

      // 3. The credential's own rate limit, shared by every replica; a batch counts as its uses do.
      if (def.rate && principal) {
        await deps.limits.take(def.rate, principalSubject(principal), typeof access.uses === 'function' ? access.uses(input) : 1);
      }

      // 4. Spend uses (before the check, so a probing request burns a use too).
      if (principal?.kind === 'token' && access.uses) {
        await spendUses(deps, principal, typeof access.uses === 'number' ? access.uses : access.uses(input));
      }

      // 5. Authorise.
      if (!access.anonymous) authorise(access, input, principal);

      // 6. The route's own work.
      const scopes = principal?.kind === 'token' ? parseScopesCached(principal.token.scopes) : undefined;
      const result = await route.handler({
        input,
        ctx,
        principal,
        deps,
        can: (verb, path) => !scopes || scopesAllow(scopes, verb, path),
        commit: async (change, finish) => {
          if (ctx.audited) throw new Error('a request commits at most once');
          try {
            const { result, records } = await store.commit(
              change,
              (r) => {
                finish?.(r);
                return entriesOf(ctx, deps.now());
              },
              seal,
            );
            ctx.audited = true;
            deps.monitor.noteCommitted(records);
            return result;
          } catch (err) {
            if (err instanceof CommitFailed) {
              logger.error(`request ${requestId}: ${err.message}; nothing was changed`);
              noteTamper(deps, err);
              throw auditUnavailable(requestId);
            }
            throw err;
          }
        },
      });
      if (result instanceof TextReply) {
        payload = result.text;
        contentType = result.contentType;
      } else {
        // The response schema is an allowlist: a field it does not declare never leaves the server.
        const parsed = def.response.safeParse(result);
        if (!parsed.success) {
          logger.error(`request ${requestId}: ${route.name} answered outside its schema: ${parsed.error.issues[0]?.message ?? ''}`);
          throw new AppError('internal', 'The vault built an answer that does not match its API.');
        }
        payload = JSON.stringify(parsed.data);
      }
    } catch (err) {
      const appErr = isAppError(err) ? err : undefined;
      if (!appErr) logger.error(`request ${requestId} failed: ${err instanceof Error ? err.message : String(err)}`);
      const e = appErr ?? new AppError('internal', 'The vault hit an internal error.');
      errorCode = e.code;
      ctx.audit.status = statusForAudit(e);
      ctx.audit.reason = `${e.code}: ${e.message}`;
      ctx.extraAudit = ctx.extraAudit.filter((d) => d.event === 'auth.lockout');
      status = e.status;
      contentType = 'application/json; charset=utf-8';
      if (e.retryAfter !== undefined) headers['retry-after'] = String(e.retryAfter);
      const message = e.isUserError ? e.message : `${e.message} Quote request id ${requestId} to the operator.`;
      const error = { code: e.code, message, requestId, ...(e.details ? { details: e.details } : {}) };
      // A request held for approval (202) answers with the pending request itself, its error beside it.
      payload = JSON.stringify(e.code === 'approval_required' ? { ...e.details, error } : { error });
    }

    // 7. Audit: every request to a route, granted or not, unless its records went in with its change.
    if (def?.event && !ctx.skipAudit && !ctx.audited) {
      try {
        const { records } = await store.commit(null, () => entriesOf(ctx, deps.now()), seal);
        deps.monitor.noteCommitted(records);
      } catch (err) {
        noteTamper(deps, err);
        // Fail closed: whatever the request produced (a secret value included) is not released.
        logger.error(
          `request ${requestId}: audit append failed${def.answersWithoutAudit ? '' : ', response withheld'}: ${err instanceof Error ? err.message : String(err)}`,
        );
        // (A refusal that already says the log is unavailable keeps its own, more precise, words.)
        if (!def.answersWithoutAudit && errorCode !== 'audit_unavailable') {
          status = 503;
          contentType = 'application/json; charset=utf-8';
          const e = auditUnavailable(requestId);
          payload = JSON.stringify({ error: { code: e.code, message: e.message, requestId } });
        }
      }
    }

    // 8. Send.
    send(res, status, requestId, payload, contentType, headers);
  };
}

function parseInput(route: CompiledRoute, captures: string[], search: string, rawBody: unknown): InputOf<RouteDef> {
  const { def, template } = route;
  const rawParams: Record<string, string> = {};
  template.names.forEach((name, i) => {
    rawParams[name] = captures[i] as string;
  });
  const params = validate(def.params, rawParams, 'path');
  // A null-prototype object: a "__proto__" parameter is an unknown parameter like any other, not a prototype.
  const rawQuery: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(search)) rawQuery[k] = v;
  const allowed = queryKeys(def);
  const unknown = Object.keys(rawQuery).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new AppError(
      'invalid_input',
      `Unknown query parameter ${unknown.map((k) => quoteName(k)).join(', ')}; ${allowed.length ? `this route takes ${allowed.join(', ')}` : 'this route takes none'}.`,
    );
  }
  const query = validate(def.query, rawQuery, 'query');
  // A route without a body ignores one; a route with one treats an empty body as {}.
  const body = def.method === 'GET' || def.method === 'DELETE' ? undefined : validate(def.body, rawBody ?? {}, 'body');
  return { params, query, body };
}

/** The path the request's audit record names: the first secret path or prefix it touches. */
function auditPath(access: Access<InputOf<RouteDef>>, input: InputOf<RouteDef>): string | null {
  const s = access.secret;
  if (!s) return null;
  return s.paths?.(input)[0] || s.prefixes?.(input)[0] || null;
}

async function spendUses(deps: ServiceDeps, p: Principal & { kind: 'token' }, n: number): Promise<void> {
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

function describeKind(p: Principal): string {
  switch (credentialKind(p)) {
    case 'user':
      return 'a user token';
    case 'agent':
      return 'an agent key';
    case 'token':
      return 'a scoped token';
    case 'pipeline':
      return 'a pipeline token';
  }
}

function allowedCallers(access: { users?: readonly string[]; agent?: true; tokens?: true; secret?: unknown; audit?: 'read' }): string {
  const who: string[] = [];
  if (access.users) who.push(`a user with the ${access.users.join(' or ')} role`);
  if (access.agent) who.push('an agent key');
  if (access.tokens) {
    who.push(
      access.audit ? `a token with ${AUDIT_READ_TEXT}` : access.secret ? 'a token with the right scope' : 'a scoped or pipeline token',
    );
  }
  return who.join(' or ');
}

/** Checks the caller against the route's policy; throws a 403 that says what would be allowed. */
function authorise(access: Access<InputOf<RouteDef>>, input: InputOf<RouteDef>, p: Principal): void {
  const kind = credentialKind(p);
  const allowed = kind === 'user' ? access.users !== undefined : kind === 'agent' ? access.agent === true : access.tokens === true;
  if (!allowed) {
    let hint = '';
    if (kind === 'agent' && access.secret) {
      hint = ' An agent key cannot use secrets directly: issue a scoped token first (ass tokens issue), or let the CLI do it for you.';
    } else if (access.agent && !access.users && !access.tokens) {
      hint = ' Set ASS_AGENT_KEY to the key ass agents create printed.';
    }
    throw new AppError('denied', `Only ${allowedCallers(access)} can ${access.what}; this request used ${describeKind(p)}.${hint}`);
  }
  if (p.kind === 'user') {
    const roles = access.users as readonly string[];
    if (!roles.includes(p.role)) {
      const never = access.secret?.verb === 'read' && p.role === 'viewer' ? ' (it never sees values)' : '';
      throw new AppError('denied', `The ${p.role} role cannot ${access.what}${never}; it needs ${roles.join(' or ')}.`);
    }
    return;
  }
  if (p.kind !== 'token') return;
  const scopes = parseScopesCached(p.token.scopes);
  const missing = (needed: string, why = '', fix = 'Issue a token whose scopes cover this path.') => {
    throw new AppError(
      'scope_missing',
      `Token ${p.token.id} lacks the scope ${needed}${why}; its scopes are ${p.token.scopes.join(', ')}. ${fix}`,
      {
        details: { missingScope: needed },
      },
    );
  };
  // The audit log is its own resource: only audit:read opens it (secrets:*:* does not).
  if (access.audit === 'read' && !scopesAllowAudit(scopes)) {
    missing(
      AUDIT_READ_TEXT,
      `, which reading the audit log needs`,
      'Issue a token with audit:read, from an agent that holds it (ass agents create --scopes audit:read).',
    );
  }
  if (!access.secret) return;
  const s = access.secret;
  for (const path of s.paths?.(input) ?? []) {
    if (!scopesAllow(scopes, s.verb, path)) missing(missingScopeHint(s.verb, path));
  }
  for (const prefix of s.prefixes?.(input) ?? []) {
    const whole: SecretScope = { resource: 'secrets', verb: s.verb, segments: prefix === '' ? ['*'] : [...prefix.split('/'), '*'] };
    if (s.filter) {
      // A listing shows what the scopes cover; it needs at least one secrets scope with this verb.
      if (!secretScopes(scopes).some((x) => x.verb === s.verb || x.verb === '*'))
        missing(missingScopeHint(s.verb, prefix === '' ? '*' : `${prefix}/*`));
    } else if (!scopes.some((x) => scopeWithin(whole, x))) {
      missing(
        `secrets:${s.verb}:${prefix === '' ? '*' : `${prefix}/*`}`,
        `, which ${s.verb === 'read' ? 'reading' : 'using'} every secret below ${prefix || 'the root'} needs`,
      );
    }
  }
}
