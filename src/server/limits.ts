/**
 * Lockouts and rate limits as the vault applies them (the rules are in src/core/limits.ts, the
 * state in the store, shared by every replica).
 *
 * A lockout only ever answers a request that failed anyway: whoever keeps guessing gets 429 with
 * Retry-After instead of 401, and the lockout is logged and audited once, when it begins. A request
 * with a valid credential is checked as usual and served, whatever others sent from its address or
 * with its credential id. Rate limits, by contrast, apply to a valid credential's own requests.
 */
import { formatDuration } from '../core/duration.js';
import { AppError } from '../core/errors.js';
import {
  addressSubject,
  type LockoutPolicy,
  type LockoutRow,
  lockoutKey,
  type RateLimits,
  rateRetryAfterMs,
  subjectOf,
} from '../core/limits.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/types.js';
import type { AuditDraft } from './context.js';

/** A credential's lockout subject: its kind and public id (`agent:k_...`, `token:t_...`). */
export function credentialSubject(kind: string, id: string): string {
  return `${kind}:${id}`;
}

/** What one guessing failure led to. */
export interface GuessOutcome {
  /** Seconds until the longest lockout in force on this request's subjects ends; none if none is. */
  retryAfter?: number;
  /** Lockouts this failure began: each is audited (once) with the request. */
  began: AuditDraft[];
  /** Not the first refusal of the lockouts in force: the refusal is counted, not audited again. */
  repeated: boolean;
}

export class Limits {
  constructor(
    private readonly store: Pick<Store, 'recordFailures' | 'takeRate'>,
    readonly lockout: LockoutPolicy,
    readonly rates: RateLimits,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /**
   * Records a failure that looks like guessing, from `ip` and, when the credential id exists,
   * against `credential` (a `credentialSubject`).
   */
  async guess(ip: string, credential?: string): Promise<GuessOutcome> {
    const now = this.now();
    const failures = [{ key: lockoutKey('address', addressSubject(ip)), threshold: this.lockout.addressFailures }];
    if (credential) failures.push({ key: lockoutKey('credential', credential), threshold: this.lockout.credentialFailures });
    // A lockout turned off (threshold 0) counts nothing.
    const counted = failures.filter((f) => f.threshold > 0);
    if (counted.length === 0) return { began: [], repeated: false };
    const results = await this.store.recordFailures(counted, now, this.lockout);
    const began: AuditDraft[] = [];
    let until = 0;
    let repeated = true;
    for (const { row, lockedNow } of results) {
      if (row.lockedUntil <= now) continue;
      until = Math.max(until, row.lockedUntil);
      if (lockedNow) {
        began.push(this.describe(row, now));
        repeated = false;
      } else if (row.refused <= 1) {
        repeated = false;
      }
    }
    if (until === 0) return { began, repeated: false };
    return { retryAfter: Math.max(1, Math.ceil((until - now) / 1000)), began, repeated };
  }

  private describe(row: LockoutRow, now: number): AuditDraft {
    const { subject, id } = subjectOf(row.key);
    const threshold = subject === 'address' ? this.lockout.addressFailures : this.lockout.credentialFailures;
    const length = formatDuration(Math.ceil((row.lockedUntil - now) / 1000));
    const reason = `${subject} ${id} locked out for ${length} after ${threshold} failed credential checks within ${formatDuration(this.lockout.windowMs / 1000)} (lockout ${row.strikes}; requests with a valid credential are still served)`;
    this.logger.warning(`lockout: ${reason}. See ass lockouts list; ass lockouts clear ends it.`);
    return { event: 'auth.lockout', status: 'denied', path: null, tier: null, reason };
  }

  /**
   * Takes `n` from a credential's allowance (`kind` read or exchange); throws `rate_limited` with
   * Retry-After when it has not that many left. More than the whole allowance is refused outright.
   */
  async take(kind: 'read' | 'exchange', credential: string, n = 1): Promise<void> {
    const limit = kind === 'read' ? this.rates.readsPerMinute : this.rates.exchangesPerMinute;
    if (limit <= 0) return;
    if (n > limit) {
      throw new AppError(
        'rate_limited',
        `This request counts ${n} secret reads (one per path or prefix), more than this vault allows a credential in a minute (${limit}): split it, or ask the operator to raise --rate-reads.`,
      );
    }
    const now = this.now();
    const res = await this.store.takeRate(`${kind}:${credential}`, now, limit, n);
    if (res.ok) return;
    const retryAfter = Math.ceil(rateRetryAfterMs(res.window, now, limit, n) / 1000);
    throw new AppError(
      'rate_limited',
      kind === 'read'
        ? `This credential has used its ${limit} secret reads a minute; try again in ${retryAfter} s. Read once and keep the value for the job, use one batch read for many secrets, or ask the operator to raise --rate-reads.`
        : `This agent key has asked for its ${limit} tokens a minute (OIDC exchanges and token issues; every ass secrets command run with only ASS_AGENT_KEY issues one); try again in ${retryAfter} s. Issue one token for the whole job (ass tokens issue) and use it as ASS_TOKEN, or ask the operator to raise --rate-exchanges.`,
      { retryAfter },
    );
  }
}

/**
 * The refusal of a request that failed while a lockout is in force on its address or credential
 * id. `oidc`: the agent key was valid and the OIDC token it brought was forged or foreign-signed.
 */
export function lockedOut(retryAfter: number, oidc = false): AppError {
  const what = oidc
    ? 'Too many OIDC tokens with a forged or foreign signature were sent with this agent key or from this address'
    : 'Too many failed credential checks from this address or for this credential id';
  const fix = oidc
    ? "The agent key is valid, and a genuine OIDC token from the issuer the agent trusts is still accepted: check where the job's token comes from."
    : 'A valid credential is still accepted: check that ASS_TOKEN / ASS_AGENT_KEY is the one you were given.';
  return new AppError(
    'locked_out',
    `${what}; try again in ${retryAfter} s. ${fix} If this is unexpected, someone may be guessing: see ass lockouts list and ass audit --status denied.`,
    { retryAfter },
  );
}
