/**
 * How a route of the vault's HTTP API is declared: its method and path template, zod schemas for
 * the path parameters, the query, the body and the response, and its policy (who may call it, what
 * it needs on which secret path, how many token uses it spends, which audit event it records).
 *
 * The declarations are pure data (plus pure functions of the parsed input), shared by the server,
 * which enforces them in one pipeline, the typed client, which builds requests from them and checks
 * every answer against them, and the generated API reference. A new route is one declaration here
 * and one handler in the server.
 */
import type { z } from 'zod';
import type { AuditEvent, Role } from '../core/model.js';
import type { Verb } from '../core/scopes.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route's parsed input, as the server's handler receives it. */
export interface ParsedInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

/**
 * What a scoped or pipeline token needs on which secret paths. The paths come from the parsed
 * input: a token must hold `secrets:<verb>:` for each path, and for each prefix a scope covering
 * everything below it. `filter`: a token needs some scope with this verb, and the handler shows
 * only what its scopes cover (listings).
 */
export interface SecretAccess<I> {
  verb: Verb;
  paths?: (input: I) => readonly string[];
  prefixes?: (input: I) => readonly string[];
  filter?: true;
}

export interface Access<I> {
  /** No credential needed (the health probe). */
  anonymous?: true;
  /** Human users with one of these roles. */
  users?: readonly Role[];
  /** Agent keys. */
  agent?: true;
  /** Scoped tokens and pipeline tokens (checked against `secret` or `audit` when set; else any token). */
  tokens?: true;
  secret?: SecretAccess<I>;
  /**
   * The audit log: a token needs the scope `audit:read`. No secrets scope (not even `secrets:*:*`)
   * stands in for it, and it grants nothing on secrets.
   */
  audit?: 'read';
  /** Uses of a token's `max_uses` this request spends, before it is authorised. Default 0. */
  uses?: number | ((input: I) => number);
  /** What the caller is trying to do, for refusals: "read secrets", "create agents". */
  what: string;
}

export interface RouteDef<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** `/v1/secrets/{path+}`: `{name}` is one raw segment, `{name+}` the rest of the path. */
  path: string;
  params: P;
  query: Q;
  body: B;
  response: R;
  /** Status of a successful answer (default 200). */
  status: number;
  /** The route may also answer with text of this content type (the CSV export). */
  text?: string;
  summary: string;
  access: Access<ParsedInput<z.output<P>, z.output<Q>, z.output<B>>>;
  /** The audit event recorded for every request to this route; null for the unaudited health probe. */
  event: AuditEvent | null;
  /**
   * Answer even when the request's own audit record cannot be written. Only for the chain
   * verification and the audit export: they release nothing secret, and they are how an operator
   * learns why the log refuses new records.
   */
  answersWithoutAudit?: true;
  /**
   * Serve while the audit log is known to be broken (it failed verification). Only what an operator
   * needs to find out why: the health probe, and reading, verifying and exporting the log. Every
   * other route is refused (`audit_unavailable`) until the log is restored.
   */
  servesBrokenLog?: true;
  /**
   * The credential's allowance this route draws on before its handler runs (per credential,
   * shared by every replica): `read` for secret values (as many as the route's uses), `exchange`
   * for new tokens. Refused with 429 and Retry-After.
   */
  rate?: 'read' | 'exchange';
}

/** Types of a declared route, for the server's handlers and the client. */
export type ParamsOf<R extends RouteDef> = z.output<R['params']>;
export type QueryOf<R extends RouteDef> = z.output<R['query']>;
export type BodyOf<R extends RouteDef> = z.output<R['body']>;
export type InputOf<R extends RouteDef> = ParsedInput<ParamsOf<R>, QueryOf<R>, BodyOf<R>>;
/** What the client sends as the body (before the server's transforms). */
export type BodyInputOf<R extends RouteDef> = z.input<R['body']>;
/** What the server's handler returns (before the response schema strips undeclared fields). */
export type ResponseInputOf<R extends RouteDef> = z.input<R['response']>;
export type ResponseOf<R extends RouteDef> = z.output<R['response']>;

export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  def: Omit<RouteDef<P, Q, B, R>, 'status'> & { status?: number },
): RouteDef<P, Q, B, R> {
  return { ...def, status: def.status ?? 200 };
}

export interface PathTemplate {
  /** Matches a raw request path (never percent-decoded) and captures each parameter. */
  regex: RegExp;
  names: string[];
  /** Parameters that take the rest of the path (`{name+}`). */
  rest: Set<string>;
}

/** Compiles `/v1/secrets/{path+}` into a matcher. */
export function compileTemplate(template: string): PathTemplate {
  const names: string[] = [];
  const rest = new Set<string>();
  const source = template.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\{([a-zA-Z]+)(\+?)\}/g, (_, name: string, plus: string) => {
    names.push(name);
    if (plus) rest.add(name);
    return plus ? '(.+)' : '([^/]+)';
  });
  return { regex: new RegExp(`^${source}$`), names, rest };
}

/** `/v1/secrets/{path+}` with `{path: 'a/b'}` → `/v1/secrets/a/b`, each segment percent-encoded. */
export function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z]+)(\+?)\}/g, (_, name: string, plus: string) => {
    const value = params[name];
    if (typeof value !== 'string') throw new TypeError(`missing path parameter ${name}`);
    return plus ? value.split('/').map(encodeSegment).join('/') : encodeSegment(value);
  });
}

/** Percent-encodes one segment; `.` and `..` are encoded too, so no URL parser folds them away. */
function encodeSegment(segment: string): string {
  return segment === '.' || segment === '..' ? segment.replace(/\./g, '%2E') : encodeURIComponent(segment);
}

/**
 * A table whose entries are built on first read and kept (see `lazy` in schemas.ts): the keys are
 * there from the start, for listing and typing; each value costs its construction only when used.
 */
export function lazily<T extends Record<string, () => unknown>>(thunks: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const table = {} as Record<string, unknown>;
  for (const [key, make] of Object.entries(thunks)) {
    Object.defineProperty(table, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = make();
        Object.defineProperty(table, key, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    });
  }
  return table as { readonly [K in keyof T]: ReturnType<T[K]> };
}
