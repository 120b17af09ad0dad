/**
 * What the CLI and the fetch action share about approvals: telling a request held for approval
 * (HTTP 202, `approval_required`) from a failure, and waiting for the approvers' decision with
 * backoff until a deadline.
 */

import { Approval as ApprovalSchema } from '../api/schemas.js';
import { AppError, isAppError } from '../core/errors.js';
import { realSleep } from '../core/retry.js';
import type { Approval, VaultClient } from './client.js';

/**
 * The pending request a held answer carries (its `details`), or undefined for any other error.
 * Its `status` is `pending`, or `approved` when the same request was already approved (the vault
 * answers with that one, to be collected).
 */
export function approvalOf(err: unknown): (Approval & { approvalId: string }) | undefined {
  if (!isAppError(err) || err.code !== 'approval_required' || !err.details) return undefined;
  // The request as the API declares it, or nothing: a vault's (or a proxy's) answer of another shape
  // is a failure to report, never text to print or put in a job summary as it came.
  const parsed = ApprovalSchema().safeParse(err.details);
  if (!parsed.success || typeof err.details.approvalId !== 'string' || err.details.approvalId !== parsed.data.id) return undefined;
  // Held answers carry a pending request, or one already approved for the same ask (collect it).
  if (parsed.data.status !== 'pending' && parsed.data.status !== 'approved') return undefined;
  return { ...parsed.data, approvalId: parsed.data.id };
}

/** One line for a person: what is held, who may approve, and the command that approves it. */
export function describeHeld(
  a: Pick<Approval, 'id' | 'paths' | 'approvers' | 'requiredApprovals' | 'expiresAt' | 'approveCommand'> & { rule?: string },
): string {
  if (a.approvers.length === 0) {
    return `Approval ${a.id} is needed for ${a.paths.join(', ')} before ${a.expiresAt}, but no one other than the requester may approve it under its rule${a.rule ? ` (${a.rule})` : ''} yet: an admin makes an approver with ass users create NAME --role viewer --approver (or ass users update NAME --approver${a.rule?.startsWith('prefix') ? '; the prefix rule may also need ass approvals policy set --prefix ... --approvers NAME' : ''}), who then runs "${a.approveCommand}".`;
  }
  const who = `${a.requiredApprovals > 1 ? `${a.requiredApprovals} of ` : ''}${a.approvers.join(', ')}`;
  return `Approval ${a.id} is needed for ${a.paths.join(', ')}: ask ${who} to run "${a.approveCommand}" before ${a.expiresAt}.`;
}

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** First wait between polls (ms, default 2 s); it grows by half each time up to `maxDelayMs` (default 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Told of each poll's answer (for progress lines). */
  onPoll?: (approval: Approval) => void;
}

/**
 * Polls the request until it leaves `pending` or the deadline passes, and returns it as it stands.
 * Transient failures (the vault restarting) are retried until the deadline; a refusal is thrown.
 */
export async function waitForDecision(client: VaultClient, id: string, options: WaitOptions): Promise<Approval> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const deadline = now() + options.timeoutMs;
  let delay = options.initialDelayMs ?? 2_000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let last: Approval | undefined;
  for (;;) {
    try {
      last = await client.getApproval(id);
      options.onPoll?.(last);
      if (last.status !== 'pending') return last;
    } catch (err) {
      if (!isAppError(err) || err.code !== 'unavailable') throw err;
    }
    const left = deadline - now();
    if (left <= 0) break;
    await sleep(Math.min(delay, left));
    delay = Math.min(maxDelay, Math.round(delay * 1.5));
  }
  if (last) return last;
  throw new AppError('unavailable', `The vault did not answer about approval ${id} before the wait ended.`);
}

/** The error for a wait that ended without an approval, naming what to do next. */
export function notApproved(a: Approval, waitedFor: string): AppError {
  switch (a.status) {
    case 'denied': {
      const why = a.decisions.find((d) => d.decision === 'deny');
      return new AppError(
        'approval_denied',
        `Approval ${a.id} was denied by ${why?.user ?? 'an approver'}${why?.reason ? `: ${why.reason}` : ''}.`,
      );
    }
    case 'expired':
      return new AppError('approval_expired', `Approval ${a.id} expired at ${a.expiresAt} without the approvals it needed; ask again.`);
    case 'collected':
      return new AppError('conflict', `Approval ${a.id} was already collected; what it released is released once.`);
    default:
      return new AppError('approval_required', `${describeHeld(a)} Still pending after waiting ${waitedFor}.`, {
        details: { approvalId: a.id, ...a },
      });
  }
}
