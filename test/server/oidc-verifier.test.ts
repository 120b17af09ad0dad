/** The OIDC verifier: issuer, audience, algorithm, times, claims and JWKS handling against a local issuer signing real RS256 JWTs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import type { OidcVerifier, TrustPolicy } from '../../src/server/oidc.js';
import { createOidcVerifier, GITHUB_ISSUER, parseTrustPolicy } from '../../src/server/oidc.js';
import type { LocalOidcIssuer } from '../helpers/oidc-issuer.js';
import { generateSigningKey, startOidcIssuer } from '../helpers/oidc-issuer.js';

const T = Date.UTC(2026, 10, 22, 12, 0, 0);
const T_S = Math.floor(T / 1000);
const AUD = 'https://vault.example.test';

let issuer: LocalOidcIssuer;
let other: LocalOidcIssuer;
let policy: TrustPolicy;

beforeAll(async () => {
  issuer = await startOidcIssuer({ now: () => T });
  other = await startOidcIssuer({ now: () => T });
  policy = parseTrustPolicy({ issuer: issuer.url, claims: { repository_id: '74', repository_owner_id: '65', environment: 'prod' } });
});
afterAll(async () => {
  await issuer?.close();
  await other?.close();
});

function verifier(overrides: Partial<Parameters<typeof createOidcVerifier>[0]> = {}): OidcVerifier {
  return createOidcVerifier({ now: () => T, logger: silentLogger, ...overrides });
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const appError = err as AppError;
  expect(appError.code).toBe('oidc_rejected');
  return appError;
}

describe('createOidcVerifier', () => {
  it('accepts a genuine token that matches the policy and returns its jti, exp and claims', async () => {
    const jwt = await issuer.mint({ audience: AUD });
    const v = await verifier().verify(jwt, policy, AUD);
    expect(v.issuer).toBe(issuer.url);
    expect(v.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(v.exp).toBe(T_S + 300);
    expect(v.claims.repository).toBe('octo-org/octo-repo');
    expect(v.claims.run_id).toBe('32291736541');
  });

  it('names the claim, expected and received value on a wrong repository_id', async () => {
    const jwt = await issuer.mint({ audience: AUD, claims: { repository_id: '75' } });
    const err = await rejection(verifier().verify(jwt, policy, AUD));
    expect(err.message).toContain('claim "repository_id" is "75", expected "74"');
    expect(err.details).toMatchObject({ reason: 'claim_mismatch', claim: 'repository_id', expected: '74', received: '75' });
  });

  it('refuses a token without repository_id', async () => {
    const jwt = await issuer.mint({ audience: AUD, claims: { repository_id: undefined } });
    const err = await rejection(verifier().verify(jwt, policy, AUD));
    expect(err.message).toContain('claim "repository_id" is missing (expected "74")');
  });

  it('compares claims as exact strings: a number is not the string', async () => {
    const jwt = await issuer.mint({ audience: AUD, claims: { repository_id: 74 } });
    const err = await rejection(verifier().verify(jwt, policy, AUD));
    expect(err.details).toMatchObject({ claim: 'repository_id' });
  });

  it('refuses a missing environment claim (job without an environment)', async () => {
    const jwt = await issuer.mint({ audience: AUD, claims: { environment: undefined } });
    const err = await rejection(verifier().verify(jwt, policy, AUD));
    expect(err.message).toContain('"environment"');
  });

  it('refuses a wrong issuer without fetching any keys', async () => {
    const before = { ...other.stats };
    const jwt = await other.mint({ audience: AUD });
    const err = await rejection(verifier().verify(jwt, policy, AUD));
    expect(err.message).toContain(`issuer is "${other.url}"`);
    expect(err.details).toMatchObject({ reason: 'issuer' });
    expect(other.stats.jwks).toBe(before.jwks);
  });

  it('refuses a wrong audience, including the GitHub default owner URL and multi-valued aud', async () => {
    const v = verifier();
    let err = await rejection(v.verify(await issuer.mint({ audience: 'https://other.example' }), policy, AUD));
    expect(err.message).toContain('audience');
    expect(err.message).toContain(AUD);
    err = await rejection(v.verify(await issuer.mint(), policy, AUD));
    expect(err.details).toMatchObject({ reason: 'audience', received: 'https://github.com/octo-org' });
    err = await rejection(v.verify(await issuer.mint({ audience: [AUD, 'https://other.example'] }), policy, AUD));
    expect(err.details).toMatchObject({ reason: 'audience' });
  });

  it('refuses an expired token beyond 60 s leeway and accepts one within it', async () => {
    const expired = await issuer.mint({ audience: AUD, iat: T_S - 200, lifetimeSeconds: 120 }); // exp = T-80
    const err = await rejection(verifier().verify(expired, policy, AUD));
    expect(err.details).toMatchObject({ reason: 'expired' });
    const justExpired = await issuer.mint({ audience: AUD, iat: T_S - 200, lifetimeSeconds: 170 }); // exp = T-30
    await expect(verifier().verify(justExpired, policy, AUD)).resolves.toBeTruthy();
  });

  it('refuses a token that is not valid yet (nbf, iat in the future)', async () => {
    let err = await rejection(verifier().verify(await issuer.mint({ audience: AUD, claims: { nbf: T_S + 120 } }), policy, AUD));
    expect(err.details).toMatchObject({ reason: 'not_yet_valid' });
    err = await rejection(verifier().verify(await issuer.mint({ audience: AUD, iat: T_S + 300 }), policy, AUD));
    expect(err.details).toMatchObject({ reason: 'not_yet_valid' });
  });

  it('refuses a token issued too long ago even if it has not expired', async () => {
    const old = await issuer.mint({ audience: AUD, iat: T_S - 600, lifetimeSeconds: 3600 });
    const err = await rejection(verifier().verify(old, policy, AUD));
    expect(err.details).toMatchObject({ reason: 'too_old' });
    const v = verifier({ maxTokenAgeSeconds: 3600 });
    await expect(v.verify(old, policy, AUD)).resolves.toBeTruthy();
  });

  it('refuses alg none', async () => {
    const err = await rejection(verifier().verify(await issuer.mint({ audience: AUD, forge: 'alg-none' }), policy, AUD));
    expect(err.message).toContain('only RS256');
  });

  it('refuses HS256 signed with the public key bytes', async () => {
    const err = await rejection(verifier().verify(await issuer.mint({ audience: AUD, forge: 'hs256-public-key' }), policy, AUD));
    expect(err.message).toContain('"HS256"');
    expect(err.details).toMatchObject({ reason: 'algorithm' });
  });

  it('refuses a token signed by a foreign key that claims the issuer key id', async () => {
    const foreign = await generateSigningKey(issuer.key.kid);
    const err = await rejection(verifier().verify(await issuer.mint({ audience: AUD, key: foreign }), policy, AUD));
    expect(err.details).toMatchObject({ reason: 'signature' });
  });

  it('refuses a token with an unknown kid, refetching the JWKS at most once per cooldown', async () => {
    const v = verifier();
    await v.verify(await issuer.mint({ audience: AUD }), policy, AUD); // warm the cache
    const jwksBefore = issuer.stats.jwks;
    const foreign = await generateSigningKey('not-published');
    for (let i = 0; i < 3; i++) {
      const err = await rejection(v.verify(await issuer.mint({ audience: AUD, key: foreign }), policy, AUD));
      expect(err.details).toMatchObject({ reason: 'unknown_key', kid: 'not-published' });
    }
    expect(issuer.stats.jwks - jwksBefore).toBeLessThanOrEqual(1);
  });

  it('refuses a token without jti', async () => {
    const err = await rejection(verifier().verify(await issuer.mint({ audience: AUD, claims: { jti: undefined } }), policy, AUD));
    expect(err.message).toContain('jti');
  });

  it('refuses garbage', async () => {
    const err = await rejection(verifier().verify('not.a.jwt', policy, AUD));
    expect(err.details).toMatchObject({ reason: 'malformed' });
  });

  it('caches discovery and keys per issuer, and picks up a rotated key through one refetch', async () => {
    const local = await startOidcIssuer({ now: () => T });
    try {
      const p = parseTrustPolicy({ issuer: local.url, claims: { repository_id: '74' } });
      const v = verifier({ jwksCooldownMs: 0 });
      await Promise.all([1, 2, 3].map(async () => v.verify(await local.mint({ audience: AUD }), p, AUD)));
      await v.verify(await local.mint({ audience: AUD }), p, AUD);
      expect(local.stats.discovery).toBe(1);
      expect(local.stats.jwks).toBe(1);
      const rotated = await generateSigningKey('rotated');
      local.addKey(rotated, true);
      await expect(v.verify(await local.mint({ audience: AUD }), p, AUD)).resolves.toBeTruthy();
      expect(local.stats.jwks).toBe(2);
    } finally {
      await local.close();
    }
  });

  it('refuses a discovery document whose jwks_uri is on another origin', async () => {
    const local = await startOidcIssuer({ now: () => T });
    try {
      local.setDiscovery({ jwks_uri: `${other.url}/.well-known/jwks` });
      const p = parseTrustPolicy({ issuer: local.url, claims: { repository_id: '74' } });
      const err = await rejection(verifier().verify(await local.mint({ audience: AUD }), p, AUD));
      expect(err.message).toContain('another origin');
      expect(other.stats.jwks).toBe(0);
    } finally {
      await local.close();
    }
  });

  it('reports an unreachable issuer and does not cache the failure', async () => {
    const local = await startOidcIssuer({ now: () => T });
    const jwt = await local.mint({ audience: AUD });
    const p = parseTrustPolicy({ issuer: local.url, claims: { repository_id: '74' } });
    await local.close();
    const err = await rejection(verifier({ fetchTimeoutMs: 2000 }).verify(jwt, p, AUD));
    expect(err.details).toMatchObject({ reason: 'issuer_unreachable' });
  });

  it('refuses a plain-http issuer that is not on loopback', async () => {
    const jwt = await issuer.mint({ audience: AUD, issuer: 'http://issuer.example.com' });
    const err = await rejection(verifier().verify(jwt, { issuer: 'http://issuer.example.com', claims: { repository_id: '74' } }, AUD));
    expect(err.message).toContain('plain http');
  });
});

describe('parseTrustPolicy', () => {
  const bad = (input: unknown) => {
    try {
      parseTrustPolicy(input);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid_input');
      return (err as AppError).message;
    }
    throw new Error('expected parseTrustPolicy to throw');
  };

  it('defaults the issuer to GitHub and keeps claims as strings', () => {
    expect(parseTrustPolicy({ claims: { repository_id: 123, repository_owner_id: '456', ref: 'refs/heads/main' } })).toEqual({
      issuer: GITHUB_ISSUER,
      claims: { repository_id: '123', repository_owner_id: '456', ref: 'refs/heads/main' },
    });
  });

  it('refuses a GitHub policy without repository_id and says why', () => {
    expect(bad({ claims: { repository: 'octo-org/octo-repo' } })).toMatch(/repository_id.*re-registered/s);
    expect(bad({ issuer: 'https://token.actions.githubusercontent.com/avocado-corp', claims: { repository_owner_id: '65' } })).toContain(
      'repository_id',
    );
    expect(bad({ issuer: 'https://token.actions.octo.ghe.com', claims: { ref: 'refs/heads/main' } })).toContain('repository_id');
    expect(bad({ issuer: 'https://ghes.example.com/_services/token', claims: { ref: 'refs/heads/main' } })).toContain('repository_id');
  });

  it('refuses a non-numeric GitHub id', () => {
    expect(bad({ claims: { repository_id: 'octo-repo' } })).toContain('numeric');
  });

  it('refuses wildcards, empty values and policies that bind nothing', () => {
    expect(bad({ claims: { repository_id: '74', ref: 'refs/heads/*' } })).toContain("'*'");
    expect(bad({ claims: { repository_id: '*' } })).toContain("'*'");
    expect(bad({ claims: { repository_id: '74', environment: '' } })).toContain('empty');
    expect(bad({ issuer: 'https://gitlab.example.com', claims: {} })).toContain('binds no claims');
    expect(bad({ issuer: 'https://gitlab.example.com' })).toContain('claims');
  });

  it('refuses bad claim names, reserved claims and unknown fields', () => {
    expect(bad({ claims: { repository_id: '74', 'Repository-Name': 'x' } })).toContain('lower-case');
    expect(bad({ claims: { repository_id: '74', aud: 'x' } })).toContain('"aud"');
    expect(bad({ claims: { repository_id: '74' }, extra: 1 })).toContain('unknown field');
    expect(bad(null)).toContain('object');
  });

  it('accepts plain http only on loopback', () => {
    expect(parseTrustPolicy({ issuer: 'http://127.0.0.1:8080', claims: { project_id: '42' } }).issuer).toBe('http://127.0.0.1:8080');
    expect(parseTrustPolicy({ issuer: 'http://localhost:8080', claims: { project_id: '42' } }).issuer).toBe('http://localhost:8080');
    expect(parseTrustPolicy({ issuer: 'http://[::1]:8080', claims: { project_id: '42' } }).issuer).toBe('http://[::1]:8080');
    expect(bad({ issuer: 'http://gitlab.example.com', claims: { project_id: '42' } })).toContain('plain http');
    expect(bad({ issuer: 'http://127.0.0.1.nip.io', claims: { project_id: '42' } })).toContain('plain http');
    expect(bad({ issuer: 'ftp://x.example', claims: { project_id: '42' } })).toContain('https');
    expect(bad({ issuer: 'https://x.example/?a=b', claims: { project_id: '42' } })).toContain('query');
  });

  it('accepts other CI issuers with their own claims', () => {
    expect(parseTrustPolicy({ issuer: 'https://gitlab.com', claims: { project_id: '42', ref_protected: 'true' } }).claims).toEqual({
      project_id: '42',
      ref_protected: 'true',
    });
  });
});
