import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/core/errors.js';
import {
  formatScope,
  formatScopes,
  intersectScopes,
  parseScope,
  parseScopes,
  patternMatches,
  type Scope,
  scopesAllow,
  scopesAllowAudit,
  scopesCoverPath,
  scopesOutside,
  scopeWithin,
} from '../../src/core/scopes.js';

const seg = fc.constantFrom('production', 'staging', 'payments', 'payments-legacy', 'stripe', 'gemini', 'x', 'a.b', 'KEY_1');
const path = fc.array(seg, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
const patternSeg = fc.oneof(seg, fc.constant('*'));
const pattern = fc.array(patternSeg, { minLength: 1, maxLength: 5 });
const verb = fc.constantFrom('read', 'write', 'list', 'rotate', '*');
const scope = fc.tuple(verb, pattern).map(([v, p]) => parseScope(`secrets:${v}:${p.join('/')}`));

describe('scope grammar', () => {
  it('parses and formats the seed examples', () => {
    expect(formatScope(parseScope('secrets:read:production/gemini/*'))).toBe('secrets:read:production/gemini/*');
    expect(parseScopes('secrets:read:production/gemini/*,secrets:read:production/bedrock/*')).toHaveLength(2);
    expect(parseScope('secrets:*:*')).toEqual({ resource: 'secrets', verb: '*', segments: ['*'] });
  });

  it.each([
    ['secrets:read', /not valid/],
    ['vault:read:x', /the resources are "secrets" and "audit"/],
    ['secrets:delete:x', /verb "delete"/],
    ['secrets:read:prod/gem*', /whole segment/],
    ['secrets:read:prod//x', /invalid path segment/],
    ['secrets:read:../x', /invalid path segment/],
    ['secrets:read:', /no path pattern/],
  ])('rejects %s with a message that says how to fix it', (text, message) => {
    expect(() => parseScope(text)).toThrow(message);
    try {
      parseScope(text);
    } catch (err) {
      expect((err as AppError).code).toBe('invalid_scope');
    }
  });

  it('is segment-bounded: payments/* never matches payments-legacy/x', () => {
    const s = [parseScope('secrets:read:production/payments/*')];
    expect(scopesAllow(s, 'read', 'production/payments/stripe/key')).toBe(true);
    expect(scopesAllow(s, 'read', 'production/payments-legacy/x')).toBe(false);
    expect(scopesAllow(s, 'read', 'production/payments')).toBe(false);
    expect(scopesAllow(s, 'write', 'production/payments/stripe/key')).toBe(false);
  });

  it('an inner * matches exactly one segment', () => {
    const s = [parseScope('secrets:read:*/gemini/KEY')];
    expect(scopesAllow(s, 'read', 'production/gemini/KEY')).toBe(true);
    expect(scopesAllow(s, 'read', 'a/b/gemini/KEY')).toBe(false);
  });

  it('a staging scope never reaches production', () => {
    const s = [parseScope('secrets:read:staging/payments/*')];
    expect(scopesAllow(s, 'read', 'production/payments/stripe/secret-key')).toBe(false);
  });

  it('property: within(a, b) means every path a allows, b allows', () => {
    fc.assert(
      fc.property(scope, scope, path, fc.constantFrom('read', 'write', 'list', 'rotate'), (a, b, p, v) => {
        if (scopeWithin(a, b) && scopesAllow([a], v as 'read', p)) {
          expect(scopesAllow([b], v as 'read', p)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('property: the intersection allows exactly what both allow', () => {
    fc.assert(
      fc.property(scope, scope, path, fc.constantFrom('read', 'write', 'list', 'rotate'), (a, b, p, v) => {
        const both = scopesAllow([a], v as 'read', p) && scopesAllow([b], v as 'read', p);
        expect(scopesAllow(intersectScopes([a], [b]), v as 'read', p)).toBe(both);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: a pattern matches a path iff its literal segments agree', () => {
    fc.assert(
      fc.property(pattern, path, (pat, p) => {
        const segs = p.split('/');
        const last = pat.length - 1;
        const expected =
          (pat[last] === '*' ? segs.length >= pat.length : segs.length === pat.length) && pat.every((s, i) => s === '*' || s === segs[i]);
        expect(patternMatches(pat, p)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('reports the requested scopes outside the allowed ones', () => {
    const allowed = parseScopes(['secrets:read:production/gemini/*']);
    expect(scopesOutside(parseScopes(['secrets:read:production/gemini/KEY']), allowed)).toEqual([]);
    expect(scopesOutside(parseScopes(['secrets:read:*']), allowed).map(formatScope)).toEqual(['secrets:read:*']);
    expect(scopesOutside(parseScopes(['secrets:write:production/gemini/*']), allowed)).toHaveLength(1);
  });
});

describe('the audit:read scope', () => {
  const everything = parseScope('secrets:*:*');
  const audit = parseScope('audit:read');

  it('parses, formats and round-trips', () => {
    expect(audit).toEqual({ resource: 'audit', access: 'read' });
    expect(formatScope(audit)).toBe('audit:read');
    expect(formatScopes(parseScopes('audit:read, secrets:read:app/*'))).toEqual(['audit:read', 'secrets:read:app/*']);
    expect(formatScopes(parseScopes(['audit:read', 'audit:read']))).toEqual(['audit:read']);
  });

  it.each([['audit:write'], ['audit:*'], ['audit:read:x'], ['audit:read:*'], ['audit'], ['audit:'], ['audit:list:logs']])(
    'rejects %s, naming the valid forms',
    (text) => {
      let err: AppError | undefined;
      try {
        parseScope(text);
      } catch (e) {
        err = e as AppError;
      }
      expect(err?.code).toBe('invalid_scope');
      expect(err?.message).toMatch(/only audit scope is audit:read/);
      expect(err?.message).toMatch(/secrets:VERB:PATTERN/);
    },
  );

  it('grants nothing on any secret', () => {
    for (const verb of ['read', 'write', 'list', 'rotate'] as const) {
      expect(scopesAllow([audit], verb, 'production/payments/stripe/key')).toBe(false);
      expect(scopesAllow([audit], verb, 'audit')).toBe(false);
    }
    expect(scopesCoverPath([audit], 'production/payments/stripe/key')).toBe(false);
    expect(scopesCoverPath([audit], 'audit/read')).toBe(false);
  });

  it('no secrets scope, not even secrets:*:*, grants it or contains it', () => {
    expect(scopesAllowAudit([everything])).toBe(false);
    expect(scopesAllowAudit(parseScopes(['secrets:read:*', 'secrets:list:*', 'secrets:rotate:*', 'secrets:write:*']))).toBe(false);
    expect(scopeWithin(audit, everything)).toBe(false);
    expect(scopeWithin(everything, audit)).toBe(false);
    expect(scopesOutside([audit], [everything]).map(formatScope)).toEqual(['audit:read']);
    expect(scopesOutside([everything], [audit]).map(formatScope)).toEqual(['secrets:*:*']);
    expect(scopesAllowAudit([audit])).toBe(true);
    expect(scopeWithin(audit, audit)).toBe(true);
  });

  it('intersects only with itself', () => {
    expect(intersectScopes([audit], [everything])).toEqual([]);
    expect(intersectScopes([everything], [audit])).toEqual([]);
    expect(intersectScopes([audit, everything], [audit]).map(formatScope)).toEqual(['audit:read']);
    expect(intersectScopes([audit, everything], [parseScope('secrets:read:app/*')]).map(formatScope)).toEqual(['secrets:read:app/*']);
    expect(intersectScopes([audit, everything], [audit, everything]).map(formatScope).sort()).toEqual(['audit:read', 'secrets:*:*']);
  });

  it('property: mixed lists keep the resources apart', () => {
    const mixed = fc.array(fc.oneof(scope, fc.constant(audit as Scope)), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(mixed, mixed, path, fc.constantFrom('read', 'write', 'list', 'rotate'), (a, b, p, v) => {
        const both = intersectScopes(a, b);
        expect(scopesAllowAudit(both)).toBe(scopesAllowAudit(a) && scopesAllowAudit(b));
        expect(scopesAllow(both, v as 'read', p)).toBe(scopesAllow(a, v as 'read', p) && scopesAllow(b, v as 'read', p));
        // Adding audit:read to a list changes nothing it allows on secrets.
        expect(scopesAllow([...a, audit], v as 'read', p)).toBe(scopesAllow(a, v as 'read', p));
        expect(scopesCoverPath([...a, audit], p)).toBe(scopesCoverPath(a, p));
        expect(scopesOutside([audit], a).length === 0).toBe(scopesAllowAudit(a));
      }),
      { numRuns: 2000 },
    );
  });
});
