/**
 * The product's error model. Two kinds of failure exist: the user's mistake (bad input, denied,
 * not found, a missing workflow permission), whose message states the fix; and everything else,
 * which is reported with a request id and no internals.
 *
 * One table below maps each error code to its HTTP status and CLI exit code, so no caller needs
 * an `instanceof` ladder. Messages must never contain secret values.
 */

export const ERROR_CODES = {
  invalid_input: { status: 400, exit: 2 },
  invalid_path: { status: 400, exit: 2 },
  invalid_scope: { status: 400, exit: 2 },
  unauthenticated: { status: 401, exit: 3 },
  denied: { status: 403, exit: 3 },
  scope_missing: { status: 403, exit: 3 },
  ip_not_allowed: { status: 403, exit: 3 },
  token_exhausted: { status: 403, exit: 3 },
  token_expired: { status: 401, exit: 3 },
  token_revoked: { status: 401, exit: 3 },
  oidc_rejected: { status: 403, exit: 3 },
  not_found: { status: 404, exit: 4 },
  conflict: { status: 409, exit: 2 },
  payload_too_large: { status: 413, exit: 2 },
  approval_required: { status: 202, exit: 5 },
  approval_denied: { status: 403, exit: 3 },
  approval_expired: { status: 410, exit: 3 },
  rate_limited: { status: 429, exit: 1 },
  locked_out: { status: 429, exit: 3 },
  audit_unavailable: { status: 503, exit: 1 },
  unavailable: { status: 503, exit: 1 },
  key_unavailable: { status: 500, exit: 1 },
  integrity_failed: { status: 500, exit: 1 },
  internal: { status: 500, exit: 1 },
} as const satisfies Record<string, { status: number; exit: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Exit codes of the `ass` CLI, as documented in the README. */
export const EXIT = { ok: 0, failure: 1, usage: 2, denied: 3, notFound: 4, held: 5 } as const;

export interface AppErrorOptions {
  /** Extra, non-secret, machine-readable facts (e.g. the missing scope). */
  details?: Record<string, unknown>;
  /** Seconds after which a retry may succeed (rate limits). */
  retryAfter?: number;
  cause?: unknown;
}

/** An error whose code, status and message are safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** True for the user's own mistakes (4xx), and for a request held for approval: their message states the fix. */
  get isUserError(): boolean {
    return this.status < 500;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** Exit code for any thrown value: the table for AppErrors, 1 for everything else. */
export function exitCodeFor(err: unknown): number {
  return isAppError(err) ? err.exitCode : EXIT.failure;
}

/** The message of any thrown value, without assuming it is an Error. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export const invalidInput = (message: string, details?: Record<string, unknown>) =>
  new AppError('invalid_input', message, details ? { details } : {});
