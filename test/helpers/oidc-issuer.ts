/**
 * A local OIDC issuer that stands in for GitHub Actions' token service in tests, the demo and the
 * benchmark. It serves, on 127.0.0.1 (plain http, which the vault accepts on loopback only):
 *
 * - `/.well-known/openid-configuration` and `/.well-known/jwks` (discovery and keys, like
 *   https://token.actions.githubusercontent.com);
 * - the runner's token-request endpoint: `ACTIONS_ID_TOKEN_REQUEST_URL` (which, as on GitHub,
 *   already carries a query string) checks `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>`,
 *   reads `audience` from the query and answers `{"count": 1, "value": "<jwt>"}`.
 *
 * Tokens are real RS256 JWTs (jose) with GitHub's full claim set. Claims, header and signing key
 * can be overridden per token, and tokens can be forged (`alg: none`, HS256 keyed with the public
 * key) for negative tests. No vitest import: plain Node, usable from scripts via strip-types.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CryptoKey, JWK } from 'jose';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** GitHub's claim set; every custom claim is a string, as in real tokens. */
export interface GitHubClaims {
  sub: string;
  actor: string;
  actor_id: string;
  base_ref: string;
  head_ref: string;
  check_run_id: string;
  environment?: string;
  event_name: string;
  job_workflow_ref: string;
  job_workflow_sha: string;
  ref: string;
  ref_type: string;
  ref_protected: string;
  repository: string;
  repository_id: string;
  repository_owner: string;
  repository_owner_id: string;
  repository_visibility: string;
  run_id: string;
  run_number: string;
  run_attempt: string;
  runner_environment: string;
  sha: string;
  workflow: string;
  workflow_ref: string;
  workflow_sha: string;
}

export interface MintOptions {
  /** Claims to add or replace; a value of `undefined` removes the claim (e.g. `{ jti: undefined }`). */
  claims?: Record<string, unknown>;
  /** Audience; default the owner URL, like GitHub when no audience is requested. */
  audience?: string | string[];
  /** Issuer to put in `iss` (default: this issuer's URL). */
  issuer?: string;
  /** Header fields to add or replace (e.g. `{ kid: 'unknown' }`). */
  header?: Record<string, unknown>;
  /** Sign with this key instead of the issuer's current key (its kid is used unless `header.kid`). */
  key?: SigningKey;
  /** Forge instead of signing: an unsigned `alg: none` token, or HS256 keyed with the public key PEM. */
  forge?: 'alg-none' | 'hs256-public-key';
  /** The issue time, seconds since the epoch (default: now). */
  iat?: number;
  /** Lifetime in seconds (default 300, as GitHub). */
  lifetimeSeconds?: number;
}

export interface LocalOidcIssuer {
  /** The issuer URL (`iss`), e.g. http://127.0.0.1:41234 */
  url: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL: already has a query string, like the runner's. */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN */
  requestToken: string;
  /** The current signing key (published in the JWKS). */
  key: SigningKey;
  /** Default claims of every minted token. */
  claims: GitHubClaims;
  /** Counters of requests served, for cache and retry assertions. */
  stats: { discovery: number; jwks: number; tokenRequests: number; audiences: (string | null)[] };
  /** The two runner variables, ready to merge into a child process environment. */
  runnerEnv(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** Mints a token directly. */
  mint(options?: MintOptions): Promise<string>;
  /** What the token-request endpoint mints from now on (merged over the request's audience). */
  setRequestOptions(options: MintOptions | undefined): void;
  /** Make the next `count` token requests fail with `status` (retry tests). */
  failTokenRequests(count: number, status: number): void;
  /** Publish an additional key in the JWKS (key rotation) and optionally sign with it from now on. */
  addKey(key: SigningKey, makeCurrent?: boolean): void;
  /** Overrides fields of the discovery document (e.g. a foreign jwks_uri). */
  setDiscovery(overrides: Record<string, unknown> | undefined): void;
  close(): Promise<void>;
}

export interface StartIssuerOptions {
  /** Claim overrides applied to every token. */
  claims?: Partial<GitHubClaims>;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  port?: number;
}

export async function generateSigningKey(kid: string = `key-${randomBytes(6).toString('hex')}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, publicJwk };
}

/** A realistic default claim set for repository octo-org/octo-repo (ids 74 / 65), environment prod. */
export function defaultGitHubClaims(overrides: Partial<GitHubClaims> = {}): GitHubClaims {
  const sha = 'b8962f4e3d1a5c7b9e0f2a4c6d8e0f1a3b5c7d9e';
  const base: GitHubClaims = {
    sub: 'repo:octo-org/octo-repo:environment:prod',
    actor: 'octocat',
    actor_id: '12',
    base_ref: '',
    head_ref: '',
    check_run_id: '96193868770',
    environment: 'prod',
    event_name: 'workflow_dispatch',
    job_workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
    job_workflow_sha: sha,
    ref: 'refs/heads/main',
    ref_type: 'branch',
    ref_protected: 'true',
    repository: 'octo-org/octo-repo',
    repository_id: '74',
    repository_owner: 'octo-org',
    repository_owner_id: '65',
    repository_visibility: 'private',
    run_id: '32291736541',
    run_number: '10',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    sha,
    workflow: 'deploy',
    workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
    workflow_sha: sha,
  };
  return { ...base, ...overrides };
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

async function mintToken(
  issuerUrl: string,
  key: SigningKey,
  claims: GitHubClaims,
  now: () => number,
  options: MintOptions,
): Promise<string> {
  const iat = options.iat ?? Math.floor(now() / 1000);
  const lifetime = options.lifetimeSeconds ?? 300;
  const payload: Record<string, unknown> = {
    jti: randomUUID(),
    ...claims,
    aud: options.audience ?? `https://github.com/${claims.repository_owner}`,
    iss: options.issuer ?? issuerUrl,
    // As observed on GitHub: nbf 5-10 min before iat, exp 5 min after.
    nbf: iat - 300,
    iat,
    exp: iat + lifetime,
  };
  for (const [name, value] of Object.entries(options.claims ?? {})) {
    if (value === undefined) delete payload[name];
    else payload[name] = value;
  }
  const signer = options.key ?? key;
  const header: Record<string, unknown> = { typ: 'JWT', alg: 'RS256', kid: signer.kid, x5t: b64url(signer.kid), ...options.header };
  if (options.forge === 'alg-none') {
    return `${b64url(JSON.stringify({ ...header, alg: 'none' }))}.${b64url(JSON.stringify(payload))}.`;
  }
  if (options.forge === 'hs256-public-key') {
    // The classic key-confusion attack: HMAC keyed with the bytes of the RSA public key.
    const pem = await exportSPKI(signer.publicKey);
    const signingInput = `${b64url(JSON.stringify({ ...header, alg: 'HS256' }))}.${b64url(JSON.stringify(payload))}`;
    return `${signingInput}.${createHmac('sha256', pem).update(signingInput).digest('base64url')}`;
  }
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(signer.privateKey);
}

/** Starts a local issuer on 127.0.0.1 (an ephemeral port unless `port` is given). */
export async function startOidcIssuer(options: StartIssuerOptions = {}): Promise<LocalOidcIssuer> {
  const now = options.now ?? Date.now;
  let current = await generateSigningKey();
  const published: SigningKey[] = [current];
  const claims = defaultGitHubClaims(options.claims);
  const requestToken = randomBytes(24).toString('base64url');
  const stats = { discovery: 0, jwks: 0, tokenRequests: 0, audiences: [] as (string | null)[] };
  let requestOptions: MintOptions | undefined;
  let discoveryOverrides: Record<string, unknown> | undefined;
  let failures = { count: 0, status: 500 };
  let url = '';

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', url);
    if (req.method === 'GET' && u.pathname === '/.well-known/openid-configuration') {
      stats.discovery++;
      return send(res, 200, {
        issuer: url,
        jwks_uri: `${url}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', ...Object.keys(claims)],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
        ...discoveryOverrides,
      });
    }
    if (req.method === 'GET' && u.pathname === '/.well-known/jwks') {
      stats.jwks++;
      return send(res, 200, { keys: published.map((k) => k.publicJwk) });
    }
    if (req.method === 'GET' && u.pathname.endsWith('/idtoken')) {
      stats.tokenRequests++;
      if (req.headers.authorization !== `Bearer ${requestToken}`) {
        return send(res, 401, { message: 'Bad credentials' });
      }
      if (u.searchParams.get('api-version') !== '2.0')
        return send(res, 400, { message: 'api-version missing: the query string of the request URL was lost' });
      if (failures.count > 0) {
        failures.count--;
        return send(res, failures.status, { message: 'simulated failure' });
      }
      const audience = u.searchParams.get('audience');
      stats.audiences.push(audience);
      const jwt = await mintToken(url, current, claims, now, { ...(audience ? { audience } : {}), ...requestOptions });
      return send(res, 200, { count: 1, value: jwt });
    }
    send(res, 404, { message: 'not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  const requestUrl = `${url}/00000000-0000-0000-0000-000000000000/_apis/distributedtask/hubs/Actions/plans/p1/jobs/j1/idtoken?api-version=2.0`;

  return {
    url,
    requestUrl,
    requestToken,
    get key() {
      return current;
    },
    claims,
    stats,
    runnerEnv: () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }),
    mint: (opts: MintOptions = {}) => mintToken(url, current, claims, now, opts),
    setRequestOptions: (opts) => {
      requestOptions = opts;
    },
    failTokenRequests: (count, status) => {
      failures = { count, status };
    },
    addKey: (key, makeCurrent = false) => {
      published.push(key);
      if (makeCurrent) current = key;
    },
    setDiscovery: (overrides) => {
      discoveryOverrides = overrides;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
