/**
 * Lockouts and rate limits, as pure rules over the state the store keeps (so every replica on one
 * PostgreSQL database applies them to the same numbers).
 *
 * Lockouts count only failures that look like guessing: a wrong secret for a credential id that
 * exists, a credential id that does not, an OIDC token whose signature is forged or foreign. They
 * are counted per credential id and per client address (an IPv6 /64 counts as one address), each
 * against its own threshold within a window. Crossing it locks the subject for `baseMs`, doubling
 * with each further lockout up to `maxMs`; a quiet spell of `maxMs` forgets the past lockouts. A
 * lockout never refuses a request whose credential is valid: it turns the failures of whoever is
 * guessing into 429s with Retry-After, and is logged and audited once.
 */
import ipaddr from 'ipaddr.js';
import { parseAddress } from './cidr.js';
import { AppError } from './errors.js';

const { IPv6 } = ipaddr;
type IPv6 = ipaddr.IPv6;

export interface LockoutPolicy {
  /** Guessing failures from one address within `windowMs` that lock the address out (0: never). */
  addressFailures: number;
  /** Guessing failures against one credential id within `windowMs` that lock it out (0: never). */
  credentialFailures: number;
  windowMs: number;
  /** The first lockout's length; each further one doubles it, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  addressFailures: 20,
  credentialFailures: 5,
  windowMs: 60_000,
  baseMs: 30_000,
  maxMs: 3600_000,
};

/** Requests per minute per credential; 0 turns a limit off. */
export interface RateLimits {
  /** Secret reads (single and batch requests) per credential. */
  readsPerMinute: number;
  /** OIDC exchanges and token issues per agent key. */
  exchangesPerMinute: number;
}

/** A policy that makes sense (whole, non-negative numbers; a window and lockout length of at least a second). */
export function checkLockoutPolicy(p: LockoutPolicy): LockoutPolicy {
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!whole(p.addressFailures) || !whole(p.credentialFailures)) {
    throw new AppError('invalid_input', 'Lockout thresholds must be whole numbers of failures (0 turns that lockout off).');
  }
  if (!whole(p.windowMs) || p.windowMs < 1000 || !whole(p.baseMs) || p.baseMs < 1000 || !whole(p.maxMs) || p.maxMs < p.baseMs) {
    throw new AppError(
      'invalid_input',
      'The lockout window and first lockout must be at least 1s, and the longest lockout at least as long as the first.',
    );
  }
  return p;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { readsPerMinute: 1200, exchangesPerMinute: 60 };

export const RATE_WINDOW_MS = 60_000;

export type LockoutSubject = 'address' | 'credential';

/** One counter, as the store keeps it. */
export interface LockoutRow {
  /** `address:<ip or /64>` or `credential:<kind>:<id>`. */
  key: string;
  /** Failures in the window that began at `windowStart`. */
  failures: number;
  windowStart: number;
  /** Lockouts so far (the next lasts `baseMs * 2^strikes`). */
  strikes: number;
  lockedUntil: number;
  lastFailure: number;
  /** Requests refused during the current lockout. */
  refused: number;
}

export function lockoutKey(subject: LockoutSubject, id: string): string {
  return `${subject}:${id}`;
}

export function subjectOf(key: string): { subject: LockoutSubject; id: string } {
  const i = key.indexOf(':');
  return { subject: key.slice(0, i) === 'address' ? 'address' : 'credential', id: key.slice(i + 1) };
}

/**
 * The address a failure counts against: an IPv4 address, or the /64 an IPv6 address lies in
 * (one host usually holds a whole /64, so counting single IPv6 addresses would count nothing).
 */
export function addressSubject(ip: string): string {
  const addr = parseAddress(ip);
  if (!addr) return ip.slice(0, 100);
  if (addr.kind() === 'ipv4') return addr.toString();
  const parts = (addr as IPv6).parts.slice(0, 4);
  return `${new IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/** How long the lockout after `strikes` earlier ones lasts. */
export function lockoutLength(policy: LockoutPolicy, strikes: number): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(strikes, 40));
}

/**
 * One more guessing failure. Returns the new row and whether this failure started a lockout.
 * A failure during a lockout only counts as a refusal: it neither extends the lockout nor counts
 * toward the next one, so a Retry-After is honest.
 */
export function addFailure(
  row: LockoutRow | undefined,
  key: string,
  now: number,
  threshold: number,
  policy: LockoutPolicy,
): { row: LockoutRow; lockedNow: boolean } {
  const r: LockoutRow = row ? { ...row } : { key, failures: 0, windowStart: now, strikes: 0, lockedUntil: 0, lastFailure: 0, refused: 0 };
  if (r.lockedUntil > now) {
    r.refused += 1;
    return { row: r, lockedNow: false };
  }
  // A quiet spell as long as the longest lockout forgets the earlier ones.
  if (r.strikes > 0 && now - Math.max(r.lastFailure, r.lockedUntil) >= policy.maxMs) r.strikes = 0;
  if (now - r.windowStart >= policy.windowMs) {
    r.windowStart = now;
    r.failures = 0;
  }
  r.failures += 1;
  r.lastFailure = now;
  if (threshold > 0 && r.failures >= threshold) {
    r.lockedUntil = now + lockoutLength(policy, r.strikes);
    r.strikes += 1;
    r.failures = 0;
    r.windowStart = now;
    r.refused = 1;
    return { row: r, lockedNow: true };
  }
  return { row: r, lockedNow: false };
}

/** Whether a row is worth keeping: in a lockout, counting, or remembering strikes. */
export function rowLive(r: LockoutRow, now: number, policy: LockoutPolicy): boolean {
  return (
    r.lockedUntil > now ||
    now - r.windowStart < policy.windowMs ||
    (r.strikes > 0 && now - Math.max(r.lastFailure, r.lockedUntil) < policy.maxMs)
  );
}

/** A credential's sliding-window count, as the store keeps it (this minute and the one before). */
export interface RateWindow {
  windowStart: number;
  count: number;
  previous: number;
}

/** The requests the sliding window holds at `now`: this window's, plus the share of the last one still inside it. */
export function rateEstimate(w: RateWindow, now: number): number {
  const into = Math.min(1, Math.max(0, (now - w.windowStart) / RATE_WINDOW_MS));
  return w.previous * (1 - into) + w.count;
}

/**
 * How long until one more request fits under `limit`, given the window as it stands without the
 * refused request (ms, at least 1000 so a client does not spin).
 */
export function rateRetryAfterMs(w: RateWindow, now: number, limit: number, n = 1): number {
  const end = w.windowStart + RATE_WINDOW_MS;
  // Within this window: previous * (1 - (t - start)/W) + count + n <= limit.
  if (w.count + n <= limit && w.previous > 0) {
    const t = w.windowStart + RATE_WINDOW_MS * (1 - (limit - w.count - n) / w.previous);
    if (t < end) return Math.max(1000, Math.ceil(t - now));
  }
  // In the next window the current count becomes the previous one: count * (1 - (t - end)/W) + n <= limit.
  const t = w.count > 0 ? end + RATE_WINDOW_MS * Math.max(0, 1 - (limit - n) / w.count) : end;
  return Math.max(1000, Math.ceil(t - now));
}
