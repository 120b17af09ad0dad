import { Agent, type Dispatcher, request } from 'undici';
import { AppError } from '../../core/errors.js';
import type { RetryPolicy } from '../../core/retry.js';
import { withRetry } from '../../core/retry.js';

export const MISSING_OIDC_HELP = [
  'This job cannot request an OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.',
  'Give the job (or the whole workflow) permission to request one:',
  '',
  'permissions:',
  '  id-token: write',
  '  contents: read',
  '',
  '(Setting `permissions` removes the defaults, hence `contents: read` for actions/checkout.)',
  'Pull requests from forks and Dependabot runs do not get OIDC tokens (nor secrets): run this step only for trusted events,',
  "for example with `if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository`.",
].join('\n');

export interface OidcRequestEnv {
  ACTIONS_ID_TOKEN_REQUEST_URL?: string | undefined;
  ACTIONS_ID_TOKEN_REQUEST_TOKEN?: string | undefined;
}

class RetryableOidcError extends Error {
  readonly retryable = true;
}

/**
 * Requests the job's OIDC token for `audience` from the runner, as core.getIDToken does but with
 * our own retry policy (the toolkit retries only 502/503/504 and loses the status in its error)
 * and an explicit deadline. The request URL already has a query string; the audience is added with
 * a URL parser, not by string concatenation. A redirect is not followed: the request carries the
 * runner's bearer token.
 *
 * It goes through the undici the vault client uses rather than the global fetch: the main step
 * loads that one anyway, while the first global fetch starts up Node's own copy of undici.
 */
export async function requestOidcToken(env: OidcRequestEnv, audience: string, retry: RetryPolicy & { deadline: number }): Promise<string> {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) throw new AppError('invalid_input', MISSING_OIDC_HELP);
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    throw new AppError('invalid_input', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL; this step must run on a GitHub Actions runner.');
  }
  url.searchParams.set('audience', audience);
  const now = retry.now ?? Date.now;
  const dispatcher = new Agent();
  return withRetry(async () => {
    const remaining = retry.deadline - now();
    if (remaining <= 0) throw new AppError('unavailable', 'No OIDC token from the runner before the timeout.');
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        dispatcher,
        headers: {
          authorization: `Bearer ${requestToken}`,
          accept: 'application/json; api-version=2.0',
          'user-agent': 'agent-secret-store-action',
        },
        signal: AbortSignal.timeout(Math.min(remaining, 10_000)),
      });
    } catch (err) {
      const e = err as { code?: string; cause?: { code?: string } };
      throw new RetryableOidcError(`the runner's token service could not be reached (${e.code ?? e.cause?.code ?? (err as Error).name})`);
    }
    const text = await res.body.text().catch(() => '');
    const status = res.statusCode;
    if (status === 429 || status >= 500) throw new RetryableOidcError(`the runner's token service answered HTTP ${status}`);
    if (status < 200 || status >= 300) {
      throw new AppError(
        'denied',
        `The runner refused the OIDC token request (HTTP ${status}). Check that the job has \`permissions: id-token: write\`.`,
      );
    }
    let value: unknown;
    try {
      value = (JSON.parse(text) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string' || value.split('.').length !== 3) {
      throw new AppError('internal', 'The runner\'s OIDC token response has no token in its "value" field.');
    }
    return value;
  }, retry)
    .catch((err: unknown) => {
      if (err instanceof RetryableOidcError) throw new AppError('unavailable', `Could not get an OIDC token: ${err.message}.`);
      throw err;
    })
    .finally(() => dispatcher.close());
}
