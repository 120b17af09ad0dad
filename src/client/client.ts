/**
 * Typed client for the vault's HTTP API, used by the `ass` CLI and the GitHub Actions. Requests are
 * built from the route declarations in src/api/routes.ts and every answer is checked against its
 * response schema, so the client and the server cannot drift apart silently.
 *
 * - A server error `{error: {code, message, requestId}}` becomes `AppError(code, message)` with the
 *   request id appended; an unknown code becomes `internal`.
 * - A network failure becomes `AppError('unavailable')` naming the URL and where it came from.
 * - Retries are opt-in (`retry`): the shared policy of src/core/retry.ts. `timeoutMs` is an overall
 *   deadline across every attempt and wait.
 * - The credential and secret values never appear in an error message.
 */
import { Agent, type Dispatcher } from 'undici';
import { z } from 'zod';
import { type BodyInputOf, fillTemplate, type QueryOf, type ResponseOf, type RouteDef } from '../api/define.js';
import { API, type Api, type RouteName } from '../api/routes.js';
import { AppError, type ErrorCode, isErrorCode } from '../core/errors.js';
import { parseRetryAfter, type RetryPolicy, withRetry } from '../core/retry.js';

// ---------------------------------------------------------------------------------------------
// The API's types, from its declarations

export type Health = ResponseOf<Api['health']>;
export type WhoAmI = ResponseOf<Api['whoami']>;
export type IssueTokenRequest = BodyInputOf<Api['issueToken']>;
export type ExchangeTokenRequest = BodyInputOf<Api['exchangeToken']>;
export type IssuedToken = ResponseOf<Api['issueToken']>;
export type TokenInfo = ResponseOf<Api['tokenSelf']>;
export type ListTokensQuery = QueryOf<Api['listTokens']>;
export type Revoked = ResponseOf<Api['revokeToken']>;
export type CreateAgentRequest = BodyInputOf<Api['createAgent']>;
export type CreatedAgent = ResponseOf<Api['createAgent']>;
export type AgentInfo = ResponseOf<Api['listAgents']>['agents'][number];
export type RevokedAgent = ResponseOf<Api['revokeAgent']>;
export type CreateUserRequest = BodyInputOf<Api['createUser']>;
export type CreatedUser = ResponseOf<Api['createUser']>;
export type UserInfo = ResponseOf<Api['listUsers']>['users'][number];
export type PutSecretRequest = BodyInputOf<Api['putSecret']>;
export type PutSecretResult = ResponseOf<Api['putSecret']>;
export type Secret = ResponseOf<Api['getSecret']>;
export type DeletedSecret = ResponseOf<Api['deleteSecret']>;
export type BatchReadRequest = BodyInputOf<Api['batchRead']>;
export type BatchSecret = ResponseOf<Api['batchRead']>['secrets'][number];
export type SecretMetadata = ResponseOf<Api['listMetadata']>['secrets'][number];
export type SecretDetail = ResponseOf<Api['getMetadata']>;
export type ListMetadataQuery = QueryOf<Api['listMetadata']>;
export type AuditQuery = QueryOf<Api['queryAudit']>;
export type AuditFilters = Omit<QueryOf<Api['exportAudit']>, 'format'>;
export type AuditEvent = ResponseOf<Api['queryAudit']>['events'][number];
export type AuditPage = ResponseOf<Api['queryAudit']>;
export type AuditVerification = ResponseOf<Api['verifyAudit']>;
export type AuditSummary = ResponseOf<Api['auditSummary']>;
export type AnomalyReport = ResponseOf<Api['auditAnomalies']>;
export type AuditCheckpoint = ResponseOf<Api['auditCheckpoint']>;
export type AuditExport = ResponseOf<Api['exportAudit']>;
export type AuditExportFormat = 'json' | 'csv';
export type Lockout = ResponseOf<Api['listLockouts']>['lockouts'][number];
export type RotationState = ResponseOf<Api['beginRotation']>;
export type RotationPolicy = ResponseOf<Api['putRotationPolicy']>;
export type RotationPolicyInput = BodyInputOf<Api['putRotationPolicy']>;
export type RotationStatus = ResponseOf<Api['listRotationPolicies']>['secrets'][number];
export type RotatedAgentKey = ResponseOf<Api['rotateAgentKey']>;
export type ClearLockoutsQuery = QueryOf<Api['clearLockouts']>;
export type Approval = ResponseOf<Api['getApproval']>;
export type ApprovalPolicy = ResponseOf<Api['approvalPolicy']>;
export type ApprovalPolicyInput = BodyInputOf<Api['setApprovalPolicy']>;
export type Collected = ResponseOf<Api['collectApproval']>;
export type ListApprovalsQuery = QueryOf<Api['listApprovals']>;
export type { AuditStatus, Role as UserRole, SecretType, Tier as SecretTier } from '../core/model.js';

/** What a request to route `R` needs: its path parameters, query and body (each when it has any). */
export interface RequestInput<R extends RouteDef> {
  params?: Record<string, string>;
  query?: QueryOf<R>;
  body?: BodyInputOf<R>;
}

// ---------------------------------------------------------------------------------------------
// Options

export interface ClientOptions {
  /** Base URL of the vault, e.g. `http://127.0.0.1:8200`. */
  url: string;
  /** Where the URL came from, for error messages: `ASS_URL` (the CLI) or the action's `url` input. */
  urlSource?: string;
  /** User token, agent key, scoped or pipeline token, sent as `Authorization: Bearer`. */
  credential?: string;
  userAgent?: string;
  /** Overall deadline of one call, every retry and wait included. Default 30 s. */
  timeoutMs?: number;
  retry?: Omit<RetryPolicy, 'deadline' | 'now'>;
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
  /** Calls any route by name, with its declared input; the answer is checked against the route's schema. */
  request<K extends RouteName>(name: K, input?: RequestInput<Api[K]>): Promise<ResponseOf<Api[K]>>;
  health(): Promise<Health>;
  whoami(): Promise<WhoAmI>;
  issueToken(req: IssueTokenRequest): Promise<IssuedToken>;
  exchangeToken(req: ExchangeTokenRequest): Promise<IssuedToken>;
  listTokens(query?: ListTokensQuery): Promise<{ tokens: TokenInfo[] }>;
  tokenSelf(): Promise<TokenInfo>;
  revokeSelf(): Promise<Revoked>;
  revokeToken(id: string): Promise<Revoked>;
  createAgent(req: CreateAgentRequest): Promise<CreatedAgent>;
  listAgents(): Promise<{ agents: AgentInfo[] }>;
  revokeAgent(name: string): Promise<RevokedAgent>;
  createUser(req: CreateUserRequest): Promise<CreatedUser>;
  listUsers(): Promise<{ users: UserInfo[] }>;
  revokeUser(name: string): Promise<ResponseOf<Api['revokeUser']>>;
  updateUser(name: string, body: BodyInputOf<Api['updateUser']>): Promise<UserInfo>;
  approvalPolicy(): Promise<ApprovalPolicy>;
  setApprovalPolicy(body: ApprovalPolicyInput): Promise<ApprovalPolicy>;
  listApprovals(query?: ListApprovalsQuery): Promise<{ approvals: Approval[] }>;
  getApproval(id: string): Promise<Approval>;
  approveRequest(id: string, reason?: string): Promise<Approval>;
  denyRequest(id: string, reason: string): Promise<Approval>;
  /** Collects an approved request (an exchange needs a fresh OIDC token of the same run); pending: throws `approval_required`. */
  collectApproval(id: string, oidcToken?: string): Promise<Collected>;
  putSecret(path: string, req: PutSecretRequest): Promise<PutSecretResult>;
  getSecret(
    path: string,
    opts?: { version?: number; stage?: 'current' | 'previous' | 'pending'; revoke?: boolean; reason?: string; rotating?: string },
  ): Promise<Secret>;
  deleteSecret(path: string): Promise<DeletedSecret>;
  batchRead(req: BatchReadRequest): Promise<{ secrets: BatchSecret[] }>;
  listMetadata(query?: ListMetadataQuery): Promise<{ secrets: SecretMetadata[] }>;
  getMetadata(path: string): Promise<SecretDetail>;
  queryAudit(query?: AuditQuery): Promise<AuditPage>;
  verifyAudit(): Promise<AuditVerification>;
  /** Counts over a window of the audit log (`since`: 24h by default). */
  auditSummary(query?: QueryOf<Api['auditSummary']>): Promise<AuditSummary>;
  auditAnomalies(body?: BodyInputOf<Api['auditAnomalies']>): Promise<AnomalyReport>;
  /** The export as the server sends it: a JSON document `{version, events, checkpoint}` or CSV text. */
  exportAudit(format: AuditExportFormat, filters?: AuditFilters): Promise<string>;
  auditCheckpoint(): Promise<AuditCheckpoint>;
  listLockouts(opts?: { all?: boolean }): Promise<{ lockouts: Lockout[] }>;
  clearLockouts(query: ClearLockoutsQuery): Promise<{ cleared: number }>;
  rotateAgentKey(name: string, grace?: string | number, path?: string): Promise<RotatedAgentKey>;
  listRotationPolicies(query?: { due?: boolean; prefix?: string }): Promise<{ policies: RotationPolicy[]; secrets: RotationStatus[] }>;
  putRotationPolicy(path: string, body: RotationPolicyInput): Promise<RotationPolicy>;
  deleteRotationPolicy(path: string): Promise<{ path: string; deleted: true }>;
  beginRotation(
    path: string,
    body: { rotator: RotationPolicy['rotator']; rotationId?: string; lease?: string | number; force?: boolean },
  ): Promise<RotationState>;
  putPendingValue(path: string, rotationId: string, value: string): Promise<RotationState>;
  finishRotation(path: string, rotationId: string, grace?: string | number): Promise<RotationState>;
  abortRotation(path: string, rotationId: string, reason: string): Promise<RotationState>;
  retirePrevious(path: string, version: number): Promise<{ path: string; version: number; retired: true }>;
  /** A client for the same vault and connection pool with another credential. */
  withCredential(credential: string | undefined): VaultClient;
  /** Closes the connection pool (only when this client created it). */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_USER_AGENT = 'agent-secret-store-client/0.1.0';

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

/** Parses and normalises the vault URL (no trailing slash). */
export function normaliseVaultUrl(input: string, source = 'ASS_URL'): string {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new AppError(
      'invalid_input',
      `The vault URL ${JSON.stringify(String(input).slice(0, 100))} is not a URL: give one such as http://127.0.0.1:8200 (${source}).`,
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

/** The query values on the wire, encoded by the route's schema (`all: true` → `all=true`). */
function queryString(def: RouteDef, query: unknown): string {
  if (query === undefined) return '';
  let encoded: Record<string, string | undefined>;
  try {
    encoded = z.encode(def.query, query as never) as Record<string, string | undefined>;
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    const issue = err.issues[0];
    throw new AppError(
      'invalid_input',
      `The query parameter ${issue?.path.join('.') || '(query)'} is not valid: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(encoded)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Creates a client for the vault at `options.url`. */
export function createClient(options: ClientOptions): VaultClient {
  const base = normaliseVaultUrl(options.url, options.urlSource);
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
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const urlSource = options.urlSource ?? 'ASS_URL';
  const parsedBase = new URL(base);
  const origin = parsedBase.origin;
  const basePath = parsedBase.pathname.replace(/\/+$/, '');

  function unavailable(detail: string, retryable: boolean, cause?: unknown): AppError {
    return new AppError(
      'unavailable',
      `Could not reach the vault at ${base} (${detail}); the vault may be down or the URL (${urlSource}) may be wrong.`,
      {
        details: { retryable },
        ...(cause === undefined ? {} : { cause: sanitiseCause(cause) }),
      },
    );
  }

  /** One attempt: the answer's text, or an AppError (retryable ones marked). */
  async function once(def: RouteDef, path: string, body: string | undefined, remainingMs: number): Promise<string> {
    const headers: Record<string, string> = { accept: def.text ? '*/*' : 'application/json', 'user-agent': userAgent };
    if (options.credential) headers.authorization = `Bearer ${options.credential}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(Math.max(1, remainingMs));
    const timedOut = () => unavailable(`no answer within ${Math.round(timeoutMs / 1000)}s`, false);
    let res: Dispatcher.ResponseData;
    try {
      // dispatcher.request with origin + path sends the path as written: a URL parser would fold
      // `%2E%2E` segments away and ask for a different secret than the one named.
      res = await dispatcher.request({ origin, path: `${basePath}${path}`, method: def.method, headers, body, signal });
    } catch (err) {
      if (signal.aborted) throw timedOut();
      throw unavailable(networkDetail(err), true, err);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      if (signal.aborted) throw timedOut();
      throw unavailable(`the connection broke while reading the answer: ${networkDetail(err)}`, true, err);
    }
    // 202: the request was held for a human approval; the body says which (see approvalOf).
    if (res.statusCode >= 200 && res.statusCode < 300 && !(res.statusCode === 202 && text.includes('"approval_required"'))) return text;
    const retryAfterMs = res.statusCode === 429 || res.statusCode === 503 ? parseRetryAfter(res.headers['retry-after'], now()) : undefined;
    throw errorFromResponse(res.statusCode, text, def, path, retryAfterMs);
  }

  function errorFromResponse(status: number, text: string, def: RouteDef, path: string, retryAfterMs: number | undefined): AppError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const err = (parsed as { error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown } } | undefined)?.error;
    const retryAfter = retryAfterMs === undefined ? {} : { retryAfter: Math.ceil(retryAfterMs / 1000) };
    if (err && typeof err === 'object') {
      const code: ErrorCode = isErrorCode(err.code) ? err.code : 'internal';
      const message = typeof err.message === 'string' && err.message ? err.message : `The vault answered ${status}.`;
      // (Said once: the server's own text may already quote it.)
      const rid =
        typeof err.requestId === 'string' && err.requestId && !message.includes(err.requestId) ? ` (request id ${err.requestId})` : '';
      const serverDetails = err.details && typeof err.details === 'object' ? (err.details as Record<string, unknown>) : {};
      // A held request's details are the request itself, whose `status` (pending) is its own; the
      // HTTP status (202) would overwrite it, and says nothing the code does not.
      const details = {
        ...serverDetails,
        ...(isErrorCode(err.code) ? {} : { serverCode: String(err.code).slice(0, 60) }),
        ...(code === 'approval_required' ? {} : { status }),
      };
      return new AppError(code, `${message}${rid}`, { ...retryAfter, details });
    }
    // Not the vault's error shape (a proxy, a wrong URL): say so, without echoing the body.
    const code: ErrorCode = STATUS_CODES[status] ?? (status >= 500 ? 'unavailable' : 'internal');
    return new AppError(
      code,
      `The server at ${base} answered ${def.method} ${stripQuery(path)} with HTTP ${status} and no vault error; check that ${urlSource} points at the vault.`,
      { ...retryAfter, details: { status } },
    );
  }

  async function send(def: RouteDef, input: RequestInput<RouteDef>): Promise<string> {
    const path = fillTemplate(def.path, input.params ?? {}) + queryString(def, input.query);
    const body = input.body === undefined ? undefined : JSON.stringify(input.body);
    const deadline = now() + timeoutMs;
    return withRetry(
      () => {
        const remaining = deadline - now();
        if (remaining <= 0) throw unavailable(`no answer within ${Math.round(timeoutMs / 1000)}s`, false);
        return once(def, path, body, remaining);
      },
      { attempts: 1, baseMs: 1, maxMs: 1, ...options.retry, deadline, now },
    );
  }

  async function request<K extends RouteName>(name: K, input: RequestInput<Api[K]> = {}): Promise<ResponseOf<Api[K]>> {
    const def = API[name] as RouteDef;
    const text = await send(def, input as RequestInput<RouteDef>);
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new AppError(
        'internal',
        `The vault at ${base} answered ${def.method} ${def.path} with a body that is not JSON; is ${urlSource} pointing at the vault?`,
      );
    }
    const checked = def.response.safeParse(json);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new AppError(
        'internal',
        `The vault's answer to ${def.method} ${def.path} does not match the API this client speaks (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}); are the vault and the client the same version?`,
      );
    }
    return checked.data as ResponseOf<Api[K]>;
  }

  const client: VaultClient = {
    url: base,
    request,
    health: () => request('health'),
    whoami: () => request('whoami'),
    issueToken: (body) => request('issueToken', { body }),
    exchangeToken: (body) => request('exchangeToken', { body }),
    listTokens: (query = {}) => request('listTokens', { query }),
    tokenSelf: () => request('tokenSelf'),
    revokeSelf: () => request('revokeSelf'),
    revokeToken: (id) => request('revokeToken', { params: { id } }),
    createAgent: (body) => request('createAgent', { body }),
    listAgents: () => request('listAgents'),
    revokeAgent: (name) => request('revokeAgent', { params: { name } }),
    createUser: (body) => request('createUser', { body }),
    listUsers: () => request('listUsers'),
    revokeUser: (name) => request('revokeUser', { params: { name } }),
    updateUser: (name, body) => request('updateUser', { params: { name }, body }),
    approvalPolicy: () => request('approvalPolicy'),
    setApprovalPolicy: (body) => request('setApprovalPolicy', { body }),
    listApprovals: (query = {}) => request('listApprovals', { query }),
    getApproval: (id) => request('getApproval', { params: { id } }),
    approveRequest: (id, reason) => request('approveRequest', { params: { id }, body: reason === undefined ? {} : { reason } }),
    denyRequest: (id, reason) => request('denyRequest', { params: { id }, body: { reason } }),
    collectApproval: (id, oidcToken) => request('collectApproval', { params: { id }, body: oidcToken === undefined ? {} : { oidcToken } }),
    putSecret: (path, body) => request('putSecret', { params: { path }, body }),
    getSecret: (path, opts = {}) => request('getSecret', { params: { path }, query: opts }),
    deleteSecret: (path) => request('deleteSecret', { params: { path } }),
    batchRead: (body) => request('batchRead', { body }),
    listMetadata: (query = {}) => request('listMetadata', { query }),
    getMetadata: (path) => request('getMetadata', { params: { path } }),
    queryAudit: (query = {}) => request('queryAudit', { query }),
    verifyAudit: () => request('verifyAudit'),
    auditSummary: (query = {}) => request('auditSummary', { query }),
    auditAnomalies: (body = {}) => request('auditAnomalies', { body }),
    exportAudit: (format, filters = {}) => send(API.exportAudit as RouteDef, { query: { format, ...filters } }),
    auditCheckpoint: () => request('auditCheckpoint'),
    listLockouts: (opts = {}) => request('listLockouts', { query: opts }),
    clearLockouts: (query) => request('clearLockouts', { query }),
    rotateAgentKey: (name, grace, path) =>
      request('rotateAgentKey', { params: { name }, body: { ...(grace === undefined ? {} : { grace }), ...(path ? { path } : {}) } }),
    listRotationPolicies: (query = {}) => request('listRotationPolicies', { query }),
    putRotationPolicy: (path, body) => request('putRotationPolicy', { params: { path }, body }),
    deleteRotationPolicy: (path) => request('deleteRotationPolicy', { params: { path } }),
    beginRotation: (path, body) => request('beginRotation', { params: { path }, body }),
    putPendingValue: (path, rotationId, value) => request('putPendingValue', { params: { path }, body: { rotationId, value } }),
    finishRotation: (path, rotationId, grace) =>
      request('finishRotation', { params: { path }, body: grace === undefined ? { rotationId } : { rotationId, grace } }),
    abortRotation: (path, rotationId, reason) => request('abortRotation', { params: { path }, body: { rotationId, reason } }),
    retirePrevious: (path, version) => request('retirePrevious', { params: { path }, body: { version } }),
    withCredential: (credential) => buildClient(base, { ...options, credential }, dispatcher, false),
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
  return client;
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
