/**
 * The few GitHub REST calls rotation makes (write an Actions secret, send a `repository_dispatch`),
 * through an injected `fetch` rather than Octokit: three endpoints do not need a generated client
 * of a few hundred kilobytes, every failure must become a message that states the fix for that
 * endpoint (Octokit's RequestError would be mapped back from its status anyway), and tests stand
 * GitHub in with nock, which intercepts the global fetch. The token is sent only as
 * `Authorization: Bearer` and never appears in a message, a log line or an error's cause.
 */
import { AppError, type ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { isLoopbackHost } from '../core/net.js';

/** The REST API of github.com; GitHub Enterprise Server sets `GITHUB_API_URL` to its own. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
/** The REST API version every request names, so a new default version cannot change an answer. */
export const GITHUB_API_VERSION = '2022-11-28';
const DEFAULT_TIMEOUT_MS = 30_000;
const USER_AGENT = 'agent-secret-store-rotation';

export interface GitHubApiOptions {
  /** A token that may make the call (see each function for the permission it needs). */
  token: string;
  /** REST API base URL: default https://api.github.com; on GHES the runner's `GITHUB_API_URL` (`https://HOST/api/v3`). */
  apiUrl?: string;
  /** Injected for tests and proxies (undici's `fetch` with an `EnvHttpProxyAgent`); default the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Deadline of each request. Default 30 s. */
  timeoutMs?: number;
  logger?: Logger;
  signal?: AbortSignal;
}

/** What a failed call was about, so the error can name the thing and the permission it needs. */
export interface CallContext {
  /** What was being done, for the message: `write secret ASS_AGENT_KEY to repository octo/app`. */
  action: string;
  /** The fix for 401/403: which token and permission the call needs. */
  permissionHelp: string;
  /** The fix for 404: which names to check. */
  notFoundHelp: string;
  /** The fix for 422: what GitHub rejects as invalid here. */
  invalidHelp: string;
}

export interface GitHubAnswer {
  status: number;
  json: unknown;
}

/** The API base without a trailing slash; https only, or plain http to this machine (a test double). */
export function githubApiBase(apiUrl: string | undefined): string {
  const raw = apiUrl?.trim() || DEFAULT_GITHUB_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(
      'invalid_input',
      `The GitHub API URL "${raw}" is not a URL; use https://api.github.com or, on GHES, GITHUB_API_URL.`,
    );
  }
  const loopbackHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new AppError(
      'invalid_input',
      `The GitHub API URL must use https (got ${url.protocol}//${url.host}); the request carries a token.`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError('invalid_input', 'The GitHub API URL must not carry credentials, a query or a fragment; pass the token separately.');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Owner and repository names as GitHub allows them (checked before any request, so a typo costs no call). */
const OWNER_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO_RE = /^[A-Za-z0-9._-]{1,100}$/;

/** Checks an account (user or organisation) name; `what` names the input in the message. */
export function validateOwner(owner: string, what = 'owner'): string {
  if (!OWNER_RE.test(owner)) {
    throw new AppError(
      'invalid_input',
      `The ${what} "${owner.slice(0, 60)}" is not a GitHub account name: use letters, digits and hyphens, at most 39 characters, not starting with a hyphen.`,
    );
  }
  return owner;
}

/** Parses `OWNER/REPO`. */
export function parseRepository(text: string): { owner: string; repo: string } {
  const parts = text.split('/');
  if (parts.length !== 2) {
    throw new AppError('invalid_input', `The repository "${text.slice(0, 140)}" must be written OWNER/REPO, for example octo-org/app.`);
  }
  const [owner, repo] = parts as [string, string];
  validateOwner(owner, 'repository owner');
  if (!REPO_RE.test(repo) || repo === '.' || repo === '..') {
    throw new AppError(
      'invalid_input',
      `The repository name "${repo.slice(0, 100)}" is not valid: use letters, digits, '.', '-' and '_', at most 100 characters.`,
    );
  }
  return { owner, repo };
}

/**
 * Makes one REST call and returns its status and JSON body, or throws an AppError whose message
 * says what failed and how to fix it (GitHub's own short `message` appended, never the request).
 * Redirects are followed: GitHub answers a renamed repository with a same-origin 301, and fetch
 * drops `Authorization` on a redirect to another origin.
 */
export async function githubRequest(
  options: GitHubApiOptions,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  body: unknown,
  context: CallContext,
): Promise<GitHubAnswer> {
  const base = githubApiBase(options.apiUrl);
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'x-github-api-version': GITHUB_API_VERSION,
    'user-agent': USER_AGENT,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  options.logger?.debug(`GitHub: ${method} ${path}`);
  let res: Response;
  let text: string;
  try {
    res = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    text = await res.text();
  } catch (err) {
    // The cause is left off: a fetch error can carry the request it failed on.
    const why = timeout.aborted ? 'no answer in time' : networkDetail(err);
    throw new AppError('unavailable', `Could not ${context.action}: GitHub's API at ${base} could not be reached (${why}).`, {
      details: { retryable: true },
    });
  }
  if (res.status >= 200 && res.status < 300) return { status: res.status, json: parseJson(text) };
  throw errorForStatus(res, text, base, context);
}

function errorForStatus(res: Response, text: string, base: string, context: CallContext): AppError {
  const status = res.status;
  const said = githubMessage(text);
  const suffix = said ? ` GitHub said: "${said}".` : '';
  const details = { status };
  const fail = (code: ErrorCode, help: string) =>
    new AppError(code, `Could not ${context.action}: GitHub answered HTTP ${status}. ${help}${suffix}`, { details });
  if ((status === 403 || status === 429) && (res.headers.get('x-ratelimit-remaining') === '0' || res.headers.has('retry-after'))) {
    return fail('rate_limited', 'The token has used up its API rate limit; try again later.');
  }
  if (status === 401)
    return fail('unauthenticated', `The token was not accepted (expired, revoked or mistyped). ${context.permissionHelp}`);
  if (status === 403) return fail('denied', context.permissionHelp);
  if (status === 404) return fail('not_found', context.notFoundHelp);
  if (status === 422) return fail('invalid_input', context.invalidHelp);
  if (status >= 500) {
    return new AppError('unavailable', `Could not ${context.action}: GitHub's API at ${base} answered HTTP ${status}; try again later.`, {
      details: { status, retryable: true },
    });
  }
  return fail('internal', 'This answer was not expected; check the API URL.');
}

/** GitHub's `message` field, shortened and on one line (it names the problem, never the request). */
function githubMessage(text: string): string | undefined {
  const message = (parseJson(text) as { message?: unknown } | undefined)?.message;
  if (typeof message !== 'string' || !message) return undefined;
  return message.replace(/\s+/g, ' ').slice(0, 200);
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkDetail(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  return code ?? (err instanceof Error ? err.name : 'network error');
}
