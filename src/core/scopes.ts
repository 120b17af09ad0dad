import { AppError } from './errors.js';
import { MAX_PATH_SEGMENTS } from './paths.js';

/** What a token may do to a secret. `*` stands for every verb. */
export const VERBS = ['read', 'write', 'list', 'rotate'] as const;
export type Verb = (typeof VERBS)[number];
export type ScopeVerb = Verb | '*';

/**
 * A parsed scope such as `secrets:read:production/gemini/*`.
 *
 * Pattern semantics: literal segments match exactly; a `*` segment in an inner position matches
 * exactly one segment; a final `*` matches one or more remaining segments. `*` is always a whole
 * segment, so `payments/*` never matches `payments-legacy/x`.
 */
export interface Scope {
  readonly verb: ScopeVerb;
  readonly segments: readonly string[];
}

const SEGMENT = /^[A-Za-z0-9._-]+$/;
const EXAMPLE = 'scopes look like secrets:read:production/gemini/* or secrets:write:staging/app/db-password';

export function parseScope(input: unknown): Scope {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new AppError('invalid_scope', `A scope is empty; ${EXAMPLE}.`);
  }
  const text = input.trim();
  const shown = JSON.stringify(text.slice(0, 120));
  const parts = text.split(':');
  if (parts.length !== 3) {
    throw new AppError('invalid_scope', `The scope ${shown} is not valid: ${EXAMPLE}.`);
  }
  const [resource, verb, pattern] = parts as [string, string, string];
  if (resource !== 'secrets') {
    throw new AppError(
      'invalid_scope',
      `The scope ${shown} names the resource ${JSON.stringify(resource.slice(0, 40))}; the only resource is "secrets" (${EXAMPLE}).`,
    );
  }
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
  return { verb: verb as ScopeVerb, segments };
}

/** Parses a list of scopes, or one comma-separated string of them. Duplicates are dropped. */
export function parseScopes(input: unknown): Scope[] {
  const items = typeof input === 'string' ? input.split(',') : Array.isArray(input) ? input : undefined;
  if (!items) throw new AppError('invalid_scope', `Scopes must be a list; ${EXAMPLE}.`);
  const scopes = items.filter((s) => !(typeof s === 'string' && s.trim() === '')).map(parseScope);
  if (scopes.length === 0) throw new AppError('invalid_scope', `No scope was given; ${EXAMPLE}.`);
  return dedupe(scopes);
}

export function formatScope(scope: Scope): string {
  return `secrets:${scope.verb}:${scope.segments.join('/')}`;
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

/** True when any scope grants `verb` on `path`. */
export function scopesAllow(scopes: readonly Scope[], verb: Verb, path: string): boolean {
  return scopes.some((s) => verbCovers(s.verb, verb) && patternMatches(s.segments, path));
}

/** True when any scope (whatever its verb) reaches `path`: the incident runbook's "tokens covering a path". */
export function scopesCoverPath(scopes: readonly Scope[], path: string): boolean {
  return scopes.some((s) => patternMatches(s.segments, path));
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

/** True when scope `a` grants nothing that scope `b` does not. */
export function scopeWithin(a: Scope, b: Scope): boolean {
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
 * of `a` and by some scope of `b`.
 */
export function intersectScopes(a: readonly Scope[], b: readonly Scope[]): Scope[] {
  const out: Scope[] = [];
  for (const x of a) {
    for (const y of b) {
      const verb = x.verb === '*' ? y.verb : y.verb === '*' || y.verb === x.verb ? x.verb : undefined;
      if (!verb) continue;
      const segments = intersectPatterns(x.segments, y.segments);
      if (segments) out.push({ verb, segments });
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
