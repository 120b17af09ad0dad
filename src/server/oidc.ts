/**
 * Verification of CI OIDC tokens (GitHub Actions and any other OIDC issuer) against an agent's trust
 * policy. The exchange service (`services/exchange.ts`) owns the agent key check, `jti` single use,
 * scope intersection and run binding; this module answers one question: is this JWT a genuine,
 * current token from the trusted issuer, addressed to this vault, whose claims match the policy?
 *
 * Security decisions (docs/fetch-action.md, reference vault-security.md O-1..O-9):
 * - The issuer, and through its discovery document the JWKS URL, come from the stored policy only,
 *   never from the token; the JWKS URL must share the issuer's origin.
 * - RS256 only. `none`, HS* (key confusion with the public key) and every other alg are refused
 *   before any key is looked up.
 * - `iss` and `aud` exact; `exp`/`nbf`/`iat` with at most 60 s leeway; `iat` no older than a bound
 *   (default 6 min); `jti` required.
 * - Policy claims compare as exact strings, one claim at a time: no globs, no string building.
 * - JWKS per issuer cached by jose (10 min; an unknown `kid` refetches at most once per 30 s).
 */

import type { JWTPayload } from 'jose';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { TrustPolicy } from '../core/model.js';
import { isLoopbackHost } from '../core/net.js';
import { formatScopes, parseScopes } from '../core/scopes.js';

export type { TrustPolicy } from '../core/model.js';

export interface VerifiedOidcToken {
  issuer: string;
  jti: string;
  /** Expiry of the OIDC token, seconds since the epoch (keep the `jti` until then plus leeway). */
  exp: number;
  claims: Record<string, unknown>;
}

export interface OidcVerifier {
  verify(jwt: string, policy: TrustPolicy, audience: string): Promise<VerifiedOidcToken>;
}

export interface OidcVerifierOptions {
  /** Clock in milliseconds since the epoch. */
  now: () => number;
  logger: Logger;
  /** Clock skew allowed on exp/nbf/iat, seconds (at most 60). Default 60. */
  leewaySeconds?: number;
  /** Oldest accepted `iat`, seconds before now. Default 360 (6 min). */
  maxTokenAgeSeconds?: number;
  /** JWKS cache lifetime, ms. Default 10 min. */
  jwksCacheMaxAgeMs?: number;
  /** Minimum time between two JWKS fetches caused by an unknown `kid`, ms. Default 30 s. */
  jwksCooldownMs?: number;
  /** Timeout of one discovery or JWKS request, ms. Default 5 s. */
  fetchTimeoutMs?: number;
  /** How long a discovery document is trusted before it is fetched again, ms. Default 1 h. */
  discoveryMaxAgeMs?: number;
}

/** GitHub's public OIDC issuer: the default of every trust policy. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** The only signature algorithm accepted (GitHub signs with RS256). */
export const ALLOWED_ALGORITHMS = ['RS256'] as const;
export const MAX_LEEWAY_SECONDS = 60;
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 360;
/** Claims the verifier itself checks; a policy may not name them. */
const RESERVED_CLAIMS = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti']);
/** Names that are properties of every JavaScript object, never claims a policy may bind. */
const OBJECT_KEYS = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf']);
const CLAIM_NAME = /^[a-z0-9_]+$/;
const MAX_CLAIMS = 32;
const MAX_CLAIM_VALUE_LENGTH = 512;
const MAX_JWT_LENGTH = 16 * 1024;

// ---------------------------------------------------------------------------------------------
// Trust policies

/**
 * True for issuers that mint GitHub Actions tokens: github.com's issuer (and its enterprise
 * variants below it), GHE.com (`token.actions.<sub>.ghe.com`) and GHES (`https://HOST/_services/token`).
 */
export function isGitHubStyleIssuer(issuer: string): boolean {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  if (host === 'token.actions.githubusercontent.com' || host.startsWith('token.actions.')) return true;
  return /\/_services\/token\/?$/.test(url.pathname);
}

/** Validates an issuer URL: https, or http on a loopback host only; no credentials, query or fragment. */
function checkIssuerUrl(issuer: string, fail: (message: string) => AppError): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw fail(
      `The OIDC issuer ${JSON.stringify(issuer.slice(0, 200))} is not a URL; give the issuer exactly as it appears in the tokens' "iss" claim, such as ${GITHUB_ISSUER}.`,
    );
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw fail(
        `The OIDC issuer ${issuer} uses plain http; only https issuers are accepted (plain http is allowed on loopback addresses for tests only).`,
      );
    }
  } else if (url.protocol !== 'https:') {
    throw fail(`The OIDC issuer ${issuer} must be an https URL.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw fail(`The OIDC issuer ${url.origin}${url.pathname} must not carry credentials, a query or a fragment.`);
  }
  return url;
}

/**
 * Parses and validates a trust policy (`{issuer?, claims: {name: value}}`) as given to
 * `POST /v1/agents`. Throws AppError('invalid_input') with the fix on anything unsafe: an unknown
 * shape, an insecure issuer, a claim name outside `[a-z0-9_]+`, an empty or wildcard value, and,
 * for GitHub-style issuers, a policy that does not bind `repository_id`.
 */
export function parseTrustPolicy(input: unknown): TrustPolicy {
  const fail = (message: string) => new AppError('invalid_input', message);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw fail(
      'The trust policy must be an object such as {"issuer": "https://token.actions.githubusercontent.com", "claims": {"repository_id": "123456"}}.',
    );
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (key !== 'issuer' && key !== 'claims' && key !== 'scopes') {
      throw fail(
        `The trust policy has the unknown field ${JSON.stringify(key.slice(0, 40))}; it takes only "issuer", "claims" and "scopes".`,
      );
    }
  }
  const issuerInput = raw.issuer === undefined || raw.issuer === null || raw.issuer === '' ? GITHUB_ISSUER : raw.issuer;
  if (typeof issuerInput !== 'string') throw fail(`The trust policy issuer must be a string URL, such as ${GITHUB_ISSUER}.`);
  const issuer = issuerInput.trim();
  checkIssuerUrl(issuer, fail);

  const claimsInput = raw.claims;
  if (typeof claimsInput !== 'object' || claimsInput === null || Array.isArray(claimsInput)) {
    throw fail(
      'The trust policy needs "claims": an object of claim name to exact value, such as {"repository_id": "123456", "repository_owner_id": "654321"}.',
    );
  }
  const entries = Object.entries(claimsInput as Record<string, unknown>);
  if (entries.length === 0) {
    throw fail(
      'The trust policy binds no claims, so any workload the issuer serves could use it; bind at least the repository (for GitHub: --oidc-claim repository_id=<id>).',
    );
  }
  if (entries.length > MAX_CLAIMS) throw fail(`The trust policy has ${entries.length} claims; the limit is ${MAX_CLAIMS}.`);
  // A null-prototype object: a claim name can never reach or replace a prototype.
  const claims: Record<string, string> = Object.create(null);
  for (const [name, value] of entries) {
    if (!CLAIM_NAME.test(name) || name.length > 64 || OBJECT_KEYS.has(name)) {
      throw fail(
        `The trust policy claim name ${JSON.stringify(name.slice(0, 64))} is not valid; claim names are lower-case letters, digits and '_' (such as repository_id).`,
      );
    }
    if (RESERVED_CLAIMS.has(name)) {
      throw fail(
        `The trust policy may not bind "${name}": the vault checks it itself (the issuer is the policy's "issuer", the audience is the vault's own, times and jti are always verified).`,
      );
    }
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value);
    else if (typeof value === 'boolean') text = String(value);
    else throw fail(`The trust policy claim "${name}" must have a string value (claims are compared as exact strings).`);
    if (text === '' || text.trim() === '') {
      throw fail(`The trust policy claim "${name}" is empty; give the exact value the token must carry.`);
    }
    if (text.includes('*')) {
      throw fail(
        `The trust policy claim "${name}" contains '*'; wildcards are not allowed: every claim must match exactly (bind each claim separately, such as repository_id and ref).`,
      );
    }
    if (text.length > MAX_CLAIM_VALUE_LENGTH)
      throw fail(`The trust policy claim "${name}" is longer than ${MAX_CLAIM_VALUE_LENGTH} characters.`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(text)) throw fail(`The trust policy claim "${name}" contains a control character.`);
    claims[name] = text;
  }
  if (isGitHubStyleIssuer(issuer)) {
    if (claims.repository_id === undefined) {
      throw fail(
        'A trust policy for GitHub Actions must bind repository_id (the numeric id, such as --oidc-claim repository_id=123456): ' +
          'repository and owner names can be deleted and re-registered by someone else, ids cannot. ' +
          'Find it with `gh api repos/OWNER/REPO --jq .id`; binding repository_owner_id as well is recommended.',
      );
    }
    for (const idClaim of ['repository_id', 'repository_owner_id', 'actor_id', 'enterprise_id']) {
      const v = claims[idClaim];
      if (v !== undefined && !/^\d+$/.test(v)) {
        throw fail(
          `The trust policy claim "${idClaim}" must be GitHub's numeric id (digits only), not ${JSON.stringify(v.slice(0, 80))}; find it with \`gh api repos/OWNER/REPO --jq .id\` (or .owner.id).`,
        );
      }
    }
  }
  let scopes: string[] | undefined;
  if (raw.scopes !== undefined) {
    if (!Array.isArray(raw.scopes) || raw.scopes.length === 0) {
      throw fail(
        'The trust policy "scopes" must be a non-empty list, such as ["secrets:read:production/app/*"]; leave it out to allow the agent\'s scopes.',
      );
    }
    scopes = formatScopes(parseScopes(raw.scopes));
  }
  return { issuer, claims, ...(scopes ? { scopes } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Verification

interface IssuerKeys {
  jwks: ReturnType<typeof createRemoteJWKSet>;
  jwksUri: string;
}

function reject(message: string, reason: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('oidc_rejected', message, { details: { reason, ...details } });
}

function shown(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 197)}...` : text);
}

function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * Creates a verifier with its own per-issuer JWKS cache. One verifier per server process: the
 * cache is what keeps the exchange fast and keeps an issuer outage from becoming ours.
 */
export function createOidcVerifier(deps: OidcVerifierOptions): OidcVerifier {
  const { now, logger } = deps;
  const leeway = Math.min(Math.max(deps.leewaySeconds ?? MAX_LEEWAY_SECONDS, 0), MAX_LEEWAY_SECONDS);
  const maxAge = deps.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  const cacheMaxAge = deps.jwksCacheMaxAgeMs ?? 10 * 60_000;
  const cooldown = deps.jwksCooldownMs ?? 30_000;
  const timeout = deps.fetchTimeoutMs ?? 5_000;
  const discoveryMaxAge = deps.discoveryMaxAgeMs ?? 60 * 60_000;
  // One in-flight or settled discovery per issuer: concurrent exchanges share a single fetch.
  const issuers = new Map<string, { keys: Promise<IssuerKeys>; at: number }>();

  async function discover(issuer: string): Promise<IssuerKeys> {
    const url = discoveryUrl(issuer);
    let doc: unknown;
    try {
      const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeout), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      doc = await res.json();
    } catch (err) {
      throw reject(
        `Could not read the OIDC discovery document of the issuer ${issuer} (${url}): ${err instanceof Error ? err.message : String(err)}. Check the issuer URL in the agent's trust policy; the vault must be able to reach it.`,
        'issuer_unreachable',
      );
    }
    const d = (doc ?? {}) as Record<string, unknown>;
    if (d.issuer !== issuer) {
      throw reject(
        `The OIDC discovery document at ${url} names the issuer ${shown(d.issuer)}, not ${shown(issuer)}; the trust policy's issuer must be exactly the issuer's own.`,
        'issuer_mismatch',
      );
    }
    if (typeof d.jwks_uri !== 'string') throw reject(`The OIDC discovery document at ${url} has no jwks_uri.`, 'issuer_invalid');
    let jwksUrl: URL;
    try {
      jwksUrl = new URL(d.jwks_uri);
    } catch {
      throw reject(`The OIDC discovery document at ${url} has an invalid jwks_uri.`, 'issuer_invalid');
    }
    // The keys must come from the issuer's own origin: a discovery document that points elsewhere
    // would let whoever controls that other host mint tokens for this issuer.
    if (jwksUrl.origin !== new URL(issuer).origin) {
      throw reject(
        `The OIDC discovery document of ${issuer} points its jwks_uri to another origin (${jwksUrl.origin}); refused.`,
        'issuer_invalid',
      );
    }
    logger.debug(`oidc: discovered ${issuer} → ${jwksUrl.href}`);
    return {
      jwks: createRemoteJWKSet(jwksUrl, { cacheMaxAge, cooldownDuration: cooldown, timeoutDuration: timeout }),
      jwksUri: jwksUrl.href,
    };
  }

  function keysFor(issuer: string): Promise<IssuerKeys> {
    const cached = issuers.get(issuer);
    // Re-discover after a while (the jwks_uri may move); the JWKS itself is refreshed by jose.
    if (cached && now() - cached.at <= discoveryMaxAge) return cached.keys;
    const entry = { keys: discover(issuer), at: now() };
    issuers.set(issuer, entry);
    entry.keys.catch(() => {
      if (issuers.get(issuer) === entry) issuers.delete(issuer); // never cache a failure
    });
    return entry.keys;
  }

  async function verify(jwt: string, policy: TrustPolicy, audience: string): Promise<VerifiedOidcToken> {
    if (typeof jwt !== 'string' || jwt.length === 0) throw reject('No OIDC token was given.', 'malformed');
    if (jwt.length > MAX_JWT_LENGTH) throw reject(`The OIDC token is longer than ${MAX_JWT_LENGTH} characters.`, 'malformed');
    checkIssuerUrl(policy.issuer, (m) => reject(m, 'issuer_invalid'));

    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(jwt);
      unverified = decodeJwt(jwt);
    } catch {
      throw reject('The OIDC token is not a well-formed JWT (three base64url parts with a JSON header and payload).', 'malformed');
    }
    if (header.alg !== 'RS256') {
      throw reject(`The OIDC token is signed with alg ${shown(header.alg)}; only RS256 is accepted.`, 'algorithm', {
        received: header.alg ?? null,
      });
    }
    // Checked before any key is fetched: a token from another issuer never causes a JWKS request.
    if (unverified.iss !== policy.issuer) {
      throw reject(`The OIDC token's issuer is ${shown(unverified.iss)}, but the agent trusts ${shown(policy.issuer)}.`, 'issuer', {
        claim: 'iss',
        expected: policy.issuer,
        received: unverified.iss ?? null,
      });
    }

    const keys = await keysFor(policy.issuer);
    let payload: JWTPayload;
    try {
      const result = await jwtVerify(jwt, keys.jwks, {
        algorithms: [...ALLOWED_ALGORITHMS],
        issuer: policy.issuer,
        audience,
        clockTolerance: leeway,
        currentDate: new Date(now()),
        maxTokenAge: maxAge,
        requiredClaims: ['exp', 'iat', 'jti'],
      });
      payload = result.payload;
    } catch (err) {
      throw translateJoseError(err, unverified, audience, header.kid);
    }
    // jose accepts an array `aud` containing ours; GitHub sends one string, and a token meant for
    // several relying parties is not one this vault should accept.
    const aud = payload.aud;
    if (!(aud === audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === audience))) {
      throw reject(`The OIDC token's audience is ${shown(aud)}, but this vault expects exactly ${shown(audience)}.`, 'audience', {
        claim: 'aud',
        expected: audience,
        received: aud ?? null,
      });
    }
    if (typeof payload.jti !== 'string' || payload.jti === '') {
      throw reject('The OIDC token has no "jti" claim; the vault needs it to refuse replays.', 'claim_missing', { claim: 'jti' });
    }
    for (const [name, expected] of Object.entries(policy.claims)) {
      const received = Object.hasOwn(payload, name) ? (payload as Record<string, unknown>)[name] : undefined;
      if (received === undefined) {
        throw reject(
          `The OIDC token does not match the agent's trust policy: claim "${name}" is missing (expected ${shown(expected)}).`,
          'claim_mismatch',
          { claim: name, expected, received: null },
        );
      }
      if (typeof received !== 'string' || received !== expected) {
        throw reject(
          `The OIDC token does not match the agent's trust policy: claim "${name}" is ${shown(received)}, expected ${shown(expected)}.`,
          'claim_mismatch',
          { claim: name, expected, received },
        );
      }
    }
    return { issuer: policy.issuer, jti: payload.jti, exp: payload.exp as number, claims: { ...payload } };
  }

  return { verify };
}

function translateJoseError(err: unknown, unverified: JWTPayload, audience: string, kid: string | undefined): AppError {
  if (err instanceof AppError) return err;
  const E = joseErrors;
  if (err instanceof E.JWTExpired) {
    if (err.claim === 'iat')
      return reject(
        `The OIDC token was issued too long ago (iat ${shown(unverified.iat)}); request a fresh token right before the exchange.`,
        'too_old',
        { claim: 'iat' },
      );
    return reject(
      `The OIDC token has expired (exp ${shown(unverified.exp)}); request a fresh token right before the exchange.`,
      'expired',
      { claim: 'exp' },
    );
  }
  if (err instanceof E.JWTClaimValidationFailed) {
    const claim = err.claim;
    if (err.reason === 'missing') return reject(`The OIDC token has no "${claim}" claim.`, 'claim_missing', { claim });
    if (claim === 'nbf')
      return reject(
        `The OIDC token is not valid yet (nbf ${shown(unverified.nbf)}); check the clocks of the vault and the issuer.`,
        'not_yet_valid',
        { claim },
      );
    if (claim === 'iat')
      return reject(
        `The OIDC token's issue time lies in the future (iat ${shown(unverified.iat)}); check the clocks of the vault and the issuer.`,
        'not_yet_valid',
        { claim },
      );
    if (claim === 'aud')
      return reject(
        `The OIDC token's audience is ${shown(unverified.aud)}, but this vault expects exactly ${shown(audience)}; request the token with that audience.`,
        'audience',
        { claim, expected: audience, received: unverified.aud ?? null },
      );
    if (claim === 'iss')
      return reject(`The OIDC token's issuer is ${shown(unverified.iss)}, which the agent does not trust.`, 'issuer', { claim });
    return reject(`The OIDC token failed the "${claim}" check.`, 'claim_invalid', { claim });
  }
  if (err instanceof E.JWSSignatureVerificationFailed) {
    return reject(
      `The OIDC token's signature does not verify with the issuer's key ${shown(kid)}; it was not signed by the trusted issuer.`,
      'signature',
    );
  }
  if (err instanceof E.JWKSNoMatchingKey || err instanceof E.JWKSMultipleMatchingKeys) {
    return reject(
      `The issuer's published keys contain no RS256 key with kid ${shown(kid)}; the token was not signed by the trusted issuer.`,
      'unknown_key',
      { kid: kid ?? null },
    );
  }
  if (err instanceof E.JOSEAlgNotAllowed || err instanceof E.JOSENotSupported) {
    return reject('The OIDC token uses an algorithm or key type the vault does not accept; only RS256 is accepted.', 'algorithm');
  }
  if (
    err instanceof E.JWKSTimeout ||
    err instanceof E.JWKSInvalid ||
    (err instanceof Error && err.name === 'TypeError') ||
    // jose's words for a JWKS endpoint that answered with anything but 200.
    (err instanceof E.JOSEError && /JSON Web Key Set HTTP response/.test(err.message))
  ) {
    return reject(
      `Could not read the issuer's signing keys (${err instanceof Error ? err.message : String(err)}); try again shortly.`,
      'issuer_unreachable',
    );
  }
  if (err instanceof E.JWTInvalid || err instanceof E.JWSInvalid) {
    return reject(`The OIDC token is malformed: ${err.message}.`, 'malformed');
  }
  return reject(`The OIDC token could not be verified (${err instanceof Error ? err.name : 'error'}).`, 'invalid');
}
