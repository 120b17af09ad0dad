import { isAppError } from '../../core/errors.js';

/** Full-jitter exponential backoff with a deadline; retries only what `retryable` allows. */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Absolute deadline (ms since epoch) after which no new attempt starts. */
  deadline: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * True for failures a retry can fix: a network error (the vault client reports those as
 * `unavailable` without an HTTP status), 408, 429 and 5xx. Never 400/401/403/404/409: retrying a
 * refusal only makes a misconfiguration take longer to report.
 */
export function isRetryableError(err: unknown): boolean {
  if (!isAppError(err)) return (err as { retryable?: unknown })?.retryable === true;
  const status = err.details?.status;
  if (typeof status === 'number') return status === 408 || status === 429 || status >= 500;
  return err.code === 'unavailable' && !/no answer within/.test(err.message);
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
      let delay = Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** n));
      const retryAfter = isAppError(err) && err.retryAfter !== undefined ? err.retryAfter * 1000 : 0;
      delay = Math.max(delay, retryAfter);
      if (now() + delay >= policy.deadline) throw err;
      policy.onRetry?.(n + 1, delay, err);
      await sleep(delay);
    }
  }
}
