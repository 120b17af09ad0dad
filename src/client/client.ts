/**
 * Typed client for the vault's HTTP API (`/v1`, see docs/architecture.md), used by the `ass` CLI
 * and the GitHub Actions.
 *
 * - A server error `{error: {code, message, requestId}}` becomes `AppError(code, message)` with the
 *   request id appended; an unknown code becomes `internal`.
 * - A network failure becomes `AppError('unavailable')` naming the URL.
 * - Retries are opt-in (`retry`): full-jitter exponential backoff on network errors, 408, 429
 *   (honouring `Retry-After`) and 5xx only; never on 400/401/403/404/409. `timeoutMs` is an overall
 *   deadline across every attempt and wait.
 * - The credential and secret values never appear in an error message.
 */
import { Agent, type Dispatcher } from 'undici';
import { AppError, type ErrorCode, isErrorCode } from '../core/errors.js';

// ---------------------------------------------------------------------------------------------
// Types of the API (camelCase, as on the wire)

import type { AuditStatus, Role, SecretType, Tier } from '../core/model.js';

export type { AuditStatus, SecretType } from '../core/model.js';
export type SecretTier = Tier;
export type UserRole = Role;

export interface Health {
  status: 'ok' | string;
}

export interface WhoAmI {
  kind: string;
  id: string;
  name: string;
  role?: UserRole;
  agent?: string;
  scopes?: string[];
  expiresAt?: string | null;
  [key: string]: unknown;
}

export interface IssueTokenRequest {
  scopes: string[];
  /** A duration such as `15m`, or whole seconds. */
  ttl: string | number;
  maxUses?: number;
  allowedIps?: string[];
  description?: string;
}

export interface IssuedToken {
  token: string;
  id: string;
  agent: string;
  scopes: string[];
  expiresAt: string;
  maxUses: number | null;
  allowedIps: string[];
  description: string | null;
}

export interface ExchangeTokenRequest {
  oidcToken: string;
  scopes?: string[];
  ttl?: string | number;
}

export interface ExchangedToken {
  token: string;
  id: string;
  agent: string;
  scopes: string[];
  expiresAt: string;
  claims: Record<string, unknown>;
  [key: string]: unknown;
}

export interface TokenInfo {
  id: string;
  kind: string;
  agent: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  maxUses: number | null;
  uses: number;
  allowedIps: string[];
  description: string | null;
  revokedAt: string | null;
  active: boolean;
  claims?: Record<string, unknown>;
}

export interface ListTokensQuery {
  agent?: string;
  path?: string;
  all?: boolean;
}

export interface Revoked {
  id: string;
  revoked: true;
}

export interface TrustPolicyInput {
  issuer?: string;
  claims: Record<string, string>;
  /** A further limit on pipeline tokens: the agent's ∩ these ∩ the requested. */
  scopes?: string[];
}

export interface CreateAgentRequest {
  name: string;
  scopes: string[];
  description?: string;
  trustPolicy?: TrustPolicyInput;
}

export interface CreatedAgent {
  id: string;
  name: string;
  scopes: string[];
  description: string | null;
  trustPolicy: TrustPolicyInput | null;
  agentKey: string;
  createdAt: string;
}

export interface AgentInfo {
  id: string;
  name: string;
  scopes: string[];
  description: string | null;
  createdAt: string;
  revokedAt: string | null;
  trustPolicy?: TrustPolicyInput | null;
}

export interface RevokedAgent {
  name: string;
  revoked: true;
  tokensRevoked: number;
}

export interface CreateUserRequest {
  name: string;
  role: UserRole;
}

export interface CreatedUser {
  id: string;
  name: string;
  role: UserRole;
  token: string;
  createdAt: string;
}

export interface UserInfo {
  id: string;
  name: string;
  role: UserRole;
  createdAt: string;
}

export interface PutSecretRequest {
  value: string;
  type?: SecretType;
  tier?: SecretTier;
  description?: string;
  /** `0` creates only; otherwise the write fails with `conflict` unless this is the current version. */
  expectedVersion?: number;
}

export interface PutSecretResult {
  path: string;
  version: number;
  type: SecretType;
  tier: SecretTier;
  createdAt: string;
}

export interface Secret {
  path: string;
  version: number;
  value: string;
  type: SecretType;
  tier: SecretTier;
  createdAt: string;
}

export interface DeletedSecret {
  path: string;
  deleted: true;
  version: number;
}

export interface BatchReadRequest {
  paths?: string[];
  prefixes?: string[];
}

export interface BatchSecret {
  path: string;
  version: number;
  value: string;
  type: SecretType;
  tier: SecretTier;
}

export interface SecretMetadata {
  path: string;
  version: number;
  type: SecretType;
  tier: SecretTier;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

export interface SecretVersionInfo {
  version: number;
  createdAt: string;
  createdBy: string | null;
  deletedAt: string | null;
}

export interface SecretDetail {
  path: string;
  version: number;
  type: SecretType;
  tier: SecretTier;
  description: string | null;
  deleted: boolean;
  versions: SecretVersionInfo[];
}

export interface ListMetadataQuery {
  prefix?: string;
  deleted?: boolean;
}

export interface AuditQuery {
  limit?: number;
  afterSeq?: number;
  /** ISO time (or whatever the server accepts for `since`). */
  since?: string;
  eventType?: string[];
  status?: AuditStatus;
  resourcePath?: string;
}

/** One audit record. The contract fixes the query, not every field; the known ones are typed. */
export interface AuditEvent {
  seq: number;
  time?: string;
  eventType?: string;
  status?: AuditStatus;
  [key: string]: unknown;
}

export interface AuditPage {
  events: AuditEvent[];
  nextSeq: number;
}

export interface AuditProblem {
  seq: number;
  kind: string;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  count: number;
  headSeq: number;
  headHash: string;
  problems: AuditProblem[];
}

export interface AuditCheckpoint {
  origin: string;
  seq: number;
  hash: string;
  time: string;
  signature: string;
  publicKey: string;
}

export type AuditExportFormat = 'json' | 'csv';

// ---------------------------------------------------------------------------------------------
// Options

export interface RetryOptions {
  /** Total attempts, the first included (1 = no retry). */
  attempts: number;
  /** Base of the exponential backoff, in ms. */
  baseMs: number;
  /** Cap of any single wait, in ms. */
  maxMs: number;
  /** Injected for tests; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
}

export interface ClientOptions {
  /** Base URL of the vault, e.g. `http://127.0.0.1:8200`. */
  url: string;
  /** User token, agent key, scoped or pipeline token, sent as `Authorization: Bearer`. */
  credential?: string;
  userAgent?: string;
  /** Overall deadline of one call, every retry and wait included. Default 30 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Injected for tests (the deadline clock); defaults to Date.now. */
  now?: () => number;
  /** Share a connection pool (e.g. between `withCredential` clients). */
  dispatcher?: Dispatcher;
  /** PEM certificate(s) to trust for an https vault with a private CA (instead of the system roots). */
  caCert?: string;
}

export interface VaultClient {
  /** The normalised base URL. */
  readonly url: string;
  health(): Promise<Health>;
  whoami(): Promise<WhoAmI>;
  issueToken(req: IssueTokenRequest): Promise<IssuedToken>;
  exchangeToken(req: ExchangeTokenRequest): Promise<ExchangedToken>;
  listTokens(query?: ListTokensQuery): Promise<{ tokens: TokenInfo[] }>;
  tokenSelf(): Promise<TokenInfo>;
  revokeSelf(): Promise<Revoked>;
  revokeToken(id: string): Promise<Revoked>;
  createAgent(req: CreateAgentRequest): Promise<CreatedAgent>;
  listAgents(): Promise<{ agents: AgentInfo[] }>;
  revokeAgent(name: string): Promise<RevokedAgent>;
  createUser(req: CreateUserRequest): Promise<CreatedUser>;
  listUsers(): Promise<{ users: UserInfo[] }>;
  revokeUser(name: string): Promise<{ name: string; revoked: boolean }>;
  putSecret(path: string, req: PutSecretRequest): Promise<PutSecretResult>;
  getSecret(path: string, opts?: { version?: number }): Promise<Secret>;
  deleteSecret(path: string): Promise<DeletedSecret>;
  batchRead(req: BatchReadRequest): Promise<{ secrets: BatchSecret[] }>;
  listMetadata(query?: ListMetadataQuery): Promise<{ secrets: SecretMetadata[] }>;
  getMetadata(path: string): Promise<SecretDetail>;
  queryAudit(query?: AuditQuery): Promise<AuditPage>;
  verifyAudit(): Promise<AuditVerification>;
  /** The export as the server sends it: a JSON document `{events, checkpoint}` or CSV text. */
  exportAudit(format: AuditExportFormat, query?: Omit<AuditQuery, 'afterSeq'>): Promise<string>;
  auditCheckpoint(): Promise<AuditCheckpoint>;
  /** A client for the same vault and connection pool with another credential. */
  withCredential(credential: string | undefined): VaultClient;
  /** Closes the connection pool (only when this client created it). */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_USER_AGENT = 'agent-secret-store-client/0.1.0';
const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'denied',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Parses and normalises the vault URL (no trailing slash). */
export function normaliseVaultUrl(input: string): string {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new AppError(
      'invalid_input',
      `The vault URL ${JSON.stringify(String(input).slice(0, 100))} is not a URL: give one such as http://127.0.0.1:8200 (ASS_URL).`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('invalid_input', `The vault URL must start with http:// or https://, not ${parsed.protocol}//.`);
  }
  if (parsed.username || parsed.password) {
    throw new AppError(
      'invalid_input',
      'The vault URL must not contain a user name or password; pass credentials through ASS_TOKEN or ASS_AGENT_KEY.',
    );
  }
  if (parsed.search || parsed.hash) {
    throw new AppError(
      'invalid_input',
      'The vault URL must not contain a query string or fragment; give only the scheme, host, port and optional base path.',
    );
  }
  return parsed.toString().replace(/\/+$/, '');
}

/** `a/b/c` → `a/b/c` with each segment percent-encoded, so `.`/`..` cannot be folded by URL parsing. */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((seg) => (seg === '.' || seg === '..' ? seg.replace(/\./g, '%2E') : encodeURIComponent(seg)))
    .join('/');
}

function queryString(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === false) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Full-jitter exponential backoff delay for retry number `n` (0-based). */
export function backoffDelay(n: number, retry: Pick<RetryOptions, 'baseMs' | 'maxMs'>, random: () => number): number {
  const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** n);
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as seconds or an HTTP date → ms, or undefined. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

interface CallSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  /** Return the body as text instead of parsing JSON. */
  raw?: boolean;
}

class Attempt {
  constructor(
    readonly error: AppError,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {}
}

/** Creates a client for the vault at `options.url`. */
export function createClient(options: ClientOptions): VaultClient {
  const base = normaliseVaultUrl(options.url);
  const ownsDispatcher = !options.dispatcher;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connections: 16,
      ...(options.caCert ? { connect: { ca: options.caCert } } : {}),
    });
  return buildClient(base, options, dispatcher, ownsDispatcher);
}

function buildClient(base: string, options: ClientOptions, dispatcher: Dispatcher, ownsDispatcher: boolean): VaultClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const retry = options.retry;
  const sleep = retry?.sleep ?? realSleep;
  const random = retry?.random ?? Math.random;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const parsedBase = new URL(base);
  const origin = parsedBase.origin;
  const basePath = parsedBase.pathname.replace(/\/+$/, '');

  function unavailable(detail: string, cause?: unknown): AppError {
    return new AppError(
      'unavailable',
      `Could not reach the vault at ${base} (${detail}); the vault may be down or the URL (ASS_URL) may be wrong.`,
      cause === undefined ? {} : { cause: sanitiseCause(cause) },
    );
  }

  async function once(spec: CallSpec, remainingMs: number): Promise<unknown | Attempt> {
    const headers: Record<string, string> = { accept: spec.raw ? '*/*' : 'application/json', 'user-agent': userAgent };
    if (options.credential) headers.authorization = `Bearer ${options.credential}`;
    let body: string | undefined;
    if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.body);
    }
    const signal = AbortSignal.timeout(Math.max(1, remainingMs));
    let res: Dispatcher.ResponseData;
    try {
      // dispatcher.request with origin + path sends the path as written: a URL parser would fold
      // `%2E%2E` segments away and ask for a different secret than the one named.
      res = await dispatcher.request({
        origin,
        path: `${basePath}${spec.path}`,
        method: spec.method,
        headers,
        body,
        signal,
      });
    } catch (err) {
      if (signal.aborted) {
        return new Attempt(unavailable(`no answer within ${Math.round(timeoutMs / 1000)}s`), false);
      }
      return new Attempt(unavailable(networkDetail(err), err), true);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      if (signal.aborted) return new Attempt(unavailable(`no answer within ${Math.round(timeoutMs / 1000)}s`), false);
      return new Attempt(unavailable(`the connection broke while reading the answer: ${networkDetail(err)}`, err), true);
    }
    const status = res.statusCode;
    if (status >= 200 && status < 300) {
      if (spec.raw) return text;
      if (text === '') return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return new Attempt(
          new AppError(
            'internal',
            `The vault at ${base} answered ${spec.method} ${stripQuery(spec.path)} with a body that is not JSON; is ASS_URL pointing at the vault?`,
          ),
          false,
        );
      }
    }
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after'], now()) : undefined;
    return new Attempt(errorFromResponse(status, text, spec, retryAfterMs), RETRYABLE_STATUS(status), retryAfterMs);
  }

  function errorFromResponse(status: number, text: string, spec: CallSpec, retryAfterMs: number | undefined): AppError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const err = (parsed as { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | undefined)?.error;
    const retryAfter = retryAfterMs === undefined ? {} : { retryAfter: Math.ceil(retryAfterMs / 1000) };
    if (err && typeof err === 'object') {
      const code: ErrorCode = isErrorCode(err.code) ? err.code : 'internal';
      const message = typeof err.message === 'string' && err.message ? err.message : `The vault answered ${status}.`;
      const rid = typeof err.requestId === 'string' && err.requestId ? ` (request id ${err.requestId})` : '';
      const details = { ...(isErrorCode(err.code) ? {} : { serverCode: String(err.code).slice(0, 60) }), status };
      return new AppError(code, `${message}${rid}`, { ...retryAfter, details });
    }
    // Not the vault's error shape (a proxy, a wrong URL): say so, without echoing the body.
    const code: ErrorCode = STATUS_CODES[status] ?? (status >= 500 ? 'unavailable' : 'internal');
    return new AppError(
      code,
      `The server at ${base} answered ${spec.method} ${stripQuery(spec.path)} with HTTP ${status} and no vault error; check that ASS_URL points at the vault.`,
      { ...retryAfter, details: { status } },
    );
  }

  async function call<T>(spec: CallSpec): Promise<T> {
    const deadline = now() + timeoutMs;
    const attempts = Math.max(1, Math.floor(retry?.attempts ?? 1));
    for (let n = 0; ; n++) {
      const remaining = deadline - now();
      if (remaining <= 0) throw unavailable(`no answer within ${Math.round(timeoutMs / 1000)}s`);
      const result = await once(spec, remaining);
      if (!(result instanceof Attempt)) return result as T;
      if (!retry || !result.retryable || n + 1 >= attempts) throw result.error;
      let wait = backoffDelay(n, retry, random);
      if (result.retryAfterMs !== undefined) wait = Math.max(wait, result.retryAfterMs);
      // Waiting past the deadline only delays the same failure.
      if (now() + wait >= deadline) throw result.error;
      await sleep(wait);
    }
  }

  const client: VaultClient = {
    url: base,
    health: () => call({ method: 'GET', path: '/v1/health' }),
    whoami: () => call({ method: 'GET', path: '/v1/whoami' }),
    issueToken: (req) => call({ method: 'POST', path: '/v1/tokens', body: req }),
    exchangeToken: (req) => call({ method: 'POST', path: '/v1/tokens/exchange', body: req }),
    listTokens: (q = {}) =>
      call({ method: 'GET', path: `/v1/tokens${queryString({ agent: q.agent, path: q.path, all: q.all ? 'true' : undefined })}` }),
    tokenSelf: () => call({ method: 'GET', path: '/v1/tokens/self' }),
    revokeSelf: () => call({ method: 'DELETE', path: '/v1/tokens/self' }),
    revokeToken: (id) => call({ method: 'DELETE', path: `/v1/tokens/${encodeURIComponent(id)}` }),
    createAgent: (req) => call({ method: 'POST', path: '/v1/agents', body: req }),
    listAgents: () => call({ method: 'GET', path: '/v1/agents' }),
    revokeAgent: (name) => call({ method: 'DELETE', path: `/v1/agents/${encodeURIComponent(name)}` }),
    createUser: (req) => call({ method: 'POST', path: '/v1/users', body: req }),
    listUsers: () => call({ method: 'GET', path: '/v1/users' }),
    revokeUser: (name) => call({ method: 'DELETE', path: `/v1/users/${encodeURIComponent(name)}` }),
    putSecret: (path, req) => call({ method: 'PUT', path: `/v1/secrets/${encodePath(path)}`, body: req }),
    getSecret: (path, opts = {}) =>
      call({ method: 'GET', path: `/v1/secrets/${encodePath(path)}${queryString({ version: opts.version })}` }),
    deleteSecret: (path) => call({ method: 'DELETE', path: `/v1/secrets/${encodePath(path)}` }),
    batchRead: (req) => call({ method: 'POST', path: '/v1/batch/read', body: req }),
    listMetadata: (q = {}) =>
      call({
        method: 'GET',
        path: `/v1/metadata${queryString({ prefix: q.prefix || undefined, deleted: q.deleted ? 'true' : undefined })}`,
      }),
    getMetadata: (path) => call({ method: 'GET', path: `/v1/metadata/${encodePath(path)}` }),
    queryAudit: (q = {}) => call({ method: 'GET', path: `/v1/audit${auditQuery(q)}` }),
    verifyAudit: () => call({ method: 'GET', path: '/v1/audit/verify' }),
    exportAudit: (format, q = {}) => call({ method: 'GET', path: `/v1/audit/export${auditQuery(q, { format })}`, raw: true }),
    auditCheckpoint: () => call({ method: 'GET', path: '/v1/audit/checkpoint' }),
    withCredential: (credential) => buildClient(base, { ...options, credential }, dispatcher, false),
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
  return client;
}

function auditQuery(q: AuditQuery, extra: Record<string, string> = {}): string {
  return queryString({
    ...extra,
    limit: q.limit,
    afterSeq: q.afterSeq,
    since: q.since,
    eventType: q.eventType?.length ? q.eventType.join(',') : undefined,
    status: q.status,
    resourcePath: q.resourcePath,
  });
}

function stripQuery(path: string): string {
  const i = path.indexOf('?');
  return i < 0 ? path : path.slice(0, i);
}

function networkDetail(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect timed out';
    case 'ETIMEDOUT':
      return 'timed out';
    default:
      return code ? `network error ${code}` : 'network error';
  }
}

/** Keeps the error code of a network failure as the cause, without anything request-specific. */
function sanitiseCause(err: unknown): Error {
  const code = (err as { code?: unknown })?.code;
  return new Error(typeof code === 'string' ? code : 'network error');
}
