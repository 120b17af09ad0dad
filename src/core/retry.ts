/**
 * The one retry loop of the product (the API client, the actions' OIDC request and exchange):
 * full-jitter exponential backoff, `Retry-After` honoured, an absolute deadline, and retries only
 * for failures a retry can fix.
 */
import { isAppError } from './errors.js';

export interface RetryPolicy {
  /** Total attempts, the first included (1 = no retry). */
  attempts: number;
  /** Base of the exponential backoff, ms. */
  baseMs: number;
  /** Cap of any single wait, ms. */
  maxMs: number;
  /** Absolute deadline (ms since the epoch) after which no new attempt starts. */
  deadline?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff delay for retry number `n` (0-based). */
export function backoffDelay(n: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** n));
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

/**
 * True for failures a retry can fix: a network error (the client marks it `retryable`), 408, 429
 * and 5xx. Never 400/401/403/404/409, nor a timeout that already used the whole budget: retrying
 * a refusal only makes a misconfiguration take longer to report.
 */
export function isRetryableError(err: unknown): boolean {
  if (!isAppError(err)) return (err as { retryable?: unknown } | null)?.retryable === true;
  // A lockout answers only a credential that failed: waiting does not make it valid.
  if (err.code === 'locked_out') return false;
  const status = err.details?.status;
  if (typeof status === 'number') return status === 408 || status === 429 || status >= 500;
  return err.details?.retryable === true;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy, retryable = isRetryableError): Promise<T> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? realSleep;
  const random = policy.random ?? Math.random;
  for (let n = 0; ; n++) {
    try {
      return await fn(n + 1);
    } catch (err) {
      if (n + 1 >= policy.attempts || !retryable(err)) throw err;
      const retryAfter = isAppError(err) && err.retryAfter !== undefined ? err.retryAfter * 1000 : 0;
      const delay = Math.max(backoffDelay(n, policy, random), retryAfter);
      // Waiting past the deadline only delays the same failure.
      if (policy.deadline !== undefined && now() + delay >= policy.deadline) throw err;
      policy.onRetry?.(n + 1, delay, err);
      await sleep(delay);
    }
  }
}
