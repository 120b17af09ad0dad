import { AppError } from './errors.js';
import { MAX_PATH_SEGMENTS } from './paths.js';

/** What a token may do to a secret. `*` stands for every verb. */
export const VERBS = ['read', 'write', 'list', 'rotate'] as const;
export type Verb = (typeof VERBS)[number];
export type ScopeVerb = Verb | '*';

/** What a scope grants access to: secrets (by verb and path pattern), or the audit log. */
export const RESOURCES = ['secrets', 'audit'] as const;
export type Resource = (typeof RESOURCES)[number];

/**
 * A parsed secrets scope such as `secrets:read:production/gemini/*`.
 *
 * Pattern semantics: literal segments match exactly; a `*` segment in an inner position matches
 * exactly one segment; a final `*` matches one or more remaining segments. `*` is always a whole
 * segment, so `payments/*` never matches `payments-legacy/x`.
 */
export interface SecretScope {
  readonly resource: 'secrets';
  readonly verb: ScopeVerb;
  readonly segments: readonly string[];
}

/**
 * `audit:read`: reading, summarising, checking, verifying, checkpointing and exporting the audit
 * log, and nothing on any secret. It has neither a verb nor a pattern on purpose: code that looks
 * at `verb` or `segments` must first narrow to a secrets scope (the compiler insists), so an audit
 * scope can never be mistaken for a read scope on some path.
 */
export interface AuditScope {
  readonly resource: 'audit';
  readonly access: 'read';
}

/** A parsed scope. Scopes of different resources never grant, contain or intersect one another. */
export type Scope = SecretScope | AuditScope;

/** The one audit scope. */
export const AUDIT_READ: AuditScope = Object.freeze({ resource: 'audit', access: 'read' });
export const AUDIT_READ_TEXT = 'audit:read';

const SEGMENT = /^[A-Za-z0-9._-]+$/;
const EXAMPLE =
  'scopes look like secrets:read:production/gemini/* or secrets:write:staging/app/db-password, or audit:read for the audit log';
const FORMS = 'the valid forms are secrets:VERB:PATTERN (secrets:read:production/gemini/*) and audit:read';

export function parseScope(input: unknown): Scope {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new AppError('invalid_scope', `A scope is empty; ${EXAMPLE}.`);
  }
  const text = input.trim();
  const shown = JSON.stringify(text.slice(0, 120));
  const parts = text.split(':');
  if (parts[0] === 'audit') {
    if (text === AUDIT_READ_TEXT) return AUDIT_READ;
    throw new AppError(
      'invalid_scope',
      `The scope ${shown} is not valid: the only audit scope is audit:read (reading the audit log; it takes no other verb and no path pattern). ${capitalise(FORMS)}.`,
    );
  }
  if (parts[0] !== 'secrets' && parts.length >= 2) {
    throw new AppError(
      'invalid_scope',
      `The scope ${shown} names the resource ${JSON.stringify((parts[0] ?? '').slice(0, 40))}; the resources are "secrets" and "audit": ${FORMS}.`,
    );
  }
  if (parts.length !== 3) {
    throw new AppError('invalid_scope', `The scope ${shown} is not valid: ${EXAMPLE}.`);
  }
  const [, verb, pattern] = parts as [string, string, string];
  if (verb !== '*' && !(VERBS as readonly string[]).includes(verb)) {
    throw new AppError(
      'invalid_scope',
      `The scope ${shown} has the verb ${JSON.stringify(verb.slice(0, 40))}; use one of ${VERBS.join(', ')} or *.`,
    );
  }
  if (pattern === '') {
    throw new AppError('invalid_scope', `The scope ${shown} has no path pattern; ${EXAMPLE}.`);
  }
  const segments = pattern.split('/');
  if (segments.length > MAX_PATH_SEGMENTS) {
    throw new AppError('invalid_scope', `The scope ${shown} has more than ${MAX_PATH_SEGMENTS} segments.`);
  }
  for (const segment of segments) {
    if (segment === '*') continue;
    if (segment === '' || segment === '.' || segment === '..' || !SEGMENT.test(segment)) {
      throw new AppError(
        'invalid_scope',
        segment.includes('*')
          ? `The scope ${shown} uses '*' inside a segment; '*' must stand for a whole segment (production/gemini/*, not production/gem*).`
          : `The scope ${shown} has an invalid path segment; segments may contain only letters, digits, '.', '_' and '-'.`,
      );
    }
  }
  return { resource: 'secrets', verb: verb as ScopeVerb, segments };
}

const capitalise = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/** Parses a list of scopes, or one comma-separated string of them. Duplicates are dropped. */
export function parseScopes(input: unknown): Scope[] {
  const items = typeof input === 'string' ? input.split(',') : Array.isArray(input) ? input : undefined;
  if (!items) throw new AppError('invalid_scope', `Scopes must be a list; ${EXAMPLE}.`);
  const scopes = items.filter((s) => !(typeof s === 'string' && s.trim() === '')).map(parseScope);
  if (scopes.length === 0) throw new AppError('invalid_scope', `No scope was given; ${EXAMPLE}.`);
  return dedupe(scopes);
}

export function formatScope(scope: Scope): string {
  return scope.resource === 'audit' ? AUDIT_READ_TEXT : `secrets:${scope.verb}:${scope.segments.join('/')}`;
}

/** The secrets scopes of a list (an audit scope grants nothing on any secret). */
export function secretScopes(scopes: readonly Scope[]): SecretScope[] {
  return scopes.filter((s): s is SecretScope => s.resource === 'secrets');
}

/** True when the scopes include `audit:read`. No secrets scope, not even `secrets:*:*`, grants it. */
export function scopesAllowAudit(scopes: readonly Scope[]): boolean {
  return scopes.some((s) => s.resource === 'audit');
}

export function formatScopes(scopes: readonly Scope[]): string[] {
  return scopes.map(formatScope);
}

/** True when the pattern matches the (canonical) path. */
export function patternMatches(pattern: readonly string[], path: string): boolean {
  const segs = path.split('/');
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '*' && i === pattern.length - 1) return segs.length > i;
    if (i >= segs.length) return false;
    if (p !== '*' && p !== segs[i]) return false;
  }
  return segs.length === pattern.length;
}

function verbCovers(granted: ScopeVerb, wanted: ScopeVerb): boolean {
  return granted === '*' || granted === wanted;
}

/** True when any secrets scope grants `verb` on `path`. */
export function scopesAllow(scopes: readonly Scope[], verb: Verb, path: string): boolean {
  return scopes.some((s) => s.resource === 'secrets' && verbCovers(s.verb, verb) && patternMatches(s.segments, path));
}

/**
 * True when any secrets scope (whatever its verb) reaches `path`: the incident runbook's "tokens
 * covering a path". `audit:read` reaches no path.
 */
export function scopesCoverPath(scopes: readonly Scope[], path: string): boolean {
  return scopes.some((s) => s.resource === 'secrets' && patternMatches(s.segments, path));
}

/** True when every path matched by pattern `a` is matched by pattern `b`. */
export function patternWithin(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < b.length; i++) {
    const bs = b[i];
    const bRest = bs === '*' && i === b.length - 1;
    if (bRest) return a.length > i;
    if (i >= a.length) return false;
    const as = a[i];
    const aRest = as === '*' && i === a.length - 1;
    if (aRest) return false;
    if (bs === '*') continue;
    if (as !== bs) return false;
  }
  return a.length === b.length;
}

/** True when scope `a` grants nothing that scope `b` does not (never across resources). */
export function scopeWithin(a: Scope, b: Scope): boolean {
  if (a.resource === 'audit' || b.resource === 'audit') return a.resource === b.resource;
  return verbCovers(b.verb, a.verb) && patternWithin(a.segments, b.segments);
}

/** The requested scopes that are not within any of the allowed ones (empty when all are). */
export function scopesOutside(requested: readonly Scope[], allowed: readonly Scope[]): Scope[] {
  return requested.filter((r) => !allowed.some((a) => scopeWithin(r, a)));
}

function intersectPatterns(a: readonly string[], b: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const aEnd = i >= a.length;
    const bEnd = i >= b.length;
    if (aEnd && bEnd) return out;
    if (aEnd || bEnd) return undefined;
    const as = a[i] as string;
    const bs = b[i] as string;
    const aRest = as === '*' && i === a.length - 1;
    const bRest = bs === '*' && i === b.length - 1;
    if (aRest && bRest) return [...out, '*'];
    if (aRest) return [...out, ...b.slice(i)];
    if (bRest) return [...out, ...a.slice(i)];
    if (as === '*') out.push(bs);
    else if (bs === '*' || as === bs) out.push(as);
    else return undefined;
  }
}

/**
 * The scopes granted by both lists: every path and verb in the result is allowed by some scope
 * of `a` and by some scope of `b`; `audit:read` is in it only when both lists hold it.
 */
export function intersectScopes(a: readonly Scope[], b: readonly Scope[]): Scope[] {
  const out: Scope[] = [];
  if (scopesAllowAudit(a) && scopesAllowAudit(b)) out.push(AUDIT_READ);
  for (const x of secretScopes(a)) {
    for (const y of secretScopes(b)) {
      const verb = x.verb === '*' ? y.verb : y.verb === '*' || y.verb === x.verb ? x.verb : undefined;
      if (!verb) continue;
      const segments = intersectPatterns(x.segments, y.segments);
      if (segments) out.push({ resource: 'secrets', verb, segments });
    }
  }
  return dedupe(out);
}

/** Removes exact duplicates and scopes already within another scope of the list. */
function dedupe(scopes: Scope[]): Scope[] {
  const out: Scope[] = [];
  scopes.forEach((s, i) => {
    const redundant = scopes.some((t, j) => j !== i && scopeWithin(s, t) && (!scopeWithin(t, s) || j < i));
    if (!redundant) out.push(s);
  });
  return out;
}

/** Human-readable hint naming the scope that would allow `verb` on `path`. */
export function missingScopeHint(verb: Verb, path: string): string {
  return `secrets:${verb}:${path}`;
}

const parsedCache = new Map<string, Scope[]>();

/**
 * `parseScopes` for scope lists read from the store, memoised: the same token's scopes are checked
 * on every request it makes. Bounded; only lists that parsed cleanly are kept.
 */
export function parseScopesCached(scopes: readonly string[]): Scope[] {
  const key = scopes.join('\n');
  let parsed = parsedCache.get(key);
  if (!parsed) {
    parsed = parseScopes(scopes);
    if (parsedCache.size >= 10_000) parsedCache.clear();
    parsedCache.set(key, parsed);
  }
  return parsed;
}
