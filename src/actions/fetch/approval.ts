/**
 * The fetch action's side of human approvals (src/server/approvals.ts). When the vault holds the
 * exchange or the batch read for an approver (202 `approval_required`), the step says who must
 * approve and how (log lines, a notice, its job summary), then either fails at once
 * (`approval-timeout: 0`) or polls the request until it is decided or the wait ends. What an
 * approved request released is collected by the caller (main.ts), once.
 */
import * as core from '@actions/core';
import { describeHeld, notApproved, waitForDecision } from '../../client/approvals.js';
import type { Approval, VaultClient } from '../../client/client.js';
import { formatDuration } from '../../core/duration.js';
import { AppError, errorMessage } from '../../core/errors.js';
import { oneLine } from '../../core/text.js';
import { INPUT, OUTPUT, STATE } from './constants.js';
import { type ApprovalRecord, renderHeldSummary } from './summary.js';

/** A request the vault holds, as a held answer's details carry it. */
export type Held = Pick<
  Approval,
  | 'id'
  | 'kind'
  | 'status'
  | 'paths'
  | 'approvers'
  | 'requiredApprovals'
  | 'expiresAt'
  | 'approveCommand'
  | 'rule'
  | 'decisions'
  | 'decidedAt'
>;

/** The record the post step's summary shows: who approved when, never a value. */
export function recordOf(a: Held): ApprovalRecord {
  const deny = a.decisions.find((d) => d.decision === 'deny');
  return {
    id: a.id,
    kind: a.kind,
    status: a.status,
    paths: a.paths,
    requiredApprovals: a.requiredApprovals,
    approvedBy: a.decisions.filter((d) => d.decision === 'approve').map((d) => ({ user: d.user, at: d.at })),
    ...(deny ? { deniedBy: { user: deny.user, reason: deny.reason } } : {}),
    decidedAt: a.decidedAt,
  };
}

/**
 * The requests this step met, kept in the step state (for the post step's summary) and in the
 * `approval-id` output as they change, so a step that fails or is cancelled still leaves them.
 */
export class ApprovalLog {
  private readonly records: ApprovalRecord[] = [];

  note(a: Held): void {
    const record = recordOf(a);
    const i = this.records.findIndex((r) => r.id === a.id);
    if (i === -1) this.records.push(record);
    else if (JSON.stringify(this.records[i]) === JSON.stringify(record)) return;
    else this.records[i] = record;
    core.saveState(STATE.approvals, JSON.stringify(this.records));
    core.setOutput(OUTPUT.approvalId, this.records.map((r) => r.id).join(' '));
  }
}

/** How the step will treat a held request, for the log and the summary. */
export function waitNote(waitMs: number): string {
  return waitMs > 0
    ? `This step waits up to ${formatDuration(Math.ceil(waitMs / 1000))} for the decision (${INPUT.approvalTimeout}), then continues if it was approved.`
    : `This step does not wait (${INPUT.approvalTimeout} is 0): it fails now and exports nothing.`;
}

/** Tells the log (one line each: vault text never starts a workflow command), a notice and the job summary about a held request. */
export async function announceHeld(held: Held, waitMs: number, summaryFile: string | undefined): Promise<void> {
  const what = held.kind === 'read' ? 'the read of the secrets' : 'the pipeline token';
  const lines = [
    `The vault holds ${what} for a human approval: request ${held.id} (${held.rule}).`,
    `  secrets:   ${held.paths.join(', ')}`,
    `  approvers: ${held.approvers.length ? `${held.requiredApprovals} of ${held.approvers.join(', ')}` : 'none yet (no other admin or approver exists)'}`,
    `  approve:   ${held.approveCommand}`,
    `  deny:      ass approvals deny ${held.id} --reason "..."`,
    `  expires:   ${held.expiresAt}`,
    waitNote(waitMs),
  ];
  for (const line of lines) core.info(oneLine(line));
  core.notice(oneLine(describeHeld(held)), { title: 'Agent Secret Store: approval needed' });
  if (summaryFile) {
    try {
      await core.summary.addRaw(renderHeldSummary(held, waitNote(waitMs))).write();
    } catch (err) {
      core.warning(`Could not write the job summary: ${errorMessage(err)}`);
    }
  }
}

/** The failure of `approval-timeout: 0`: the request, who approves it, and how to wait instead. */
export function noWaitError(held: Held): AppError {
  return new AppError(
    'approval_required',
    [
      describeHeld(held),
      `This step does not wait for approvals (${INPUT.approvalTimeout} is 0), so it stopped here and exported nothing.`,
      `To have an approver release the secrets during the run, set the input ${INPUT.approvalTimeout} (such as \`${INPUT.approvalTimeout}: 15m\`, with the job's timeout-minutes above it) and run the job again: the step then prints its request and waits for the decision. Or have it approved and then re-run this job: a re-run attempt of the same run (same commit) collects what the request was approved for.`,
    ].join('\n'),
  );
}

export interface AwaitOptions {
  /** How long to wait (ms): `approval-timeout`, perhaps cut short by `limit`. */
  timeoutMs: number;
  /** Why the wait is shorter than `approval-timeout`, when it is. */
  limit?: string | undefined;
  /** First poll delay (ms); see waitForDecision. */
  initialDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Told of each answer, for the approval log. */
  onPoll?: (a: Approval) => void;
}

/**
 * Polls the request (backoff from 2 s to 30 s) until it is decided or the wait ends, printing a
 * progress line per answer. Returns the approved request; anything else throws the reason and
 * what to do next.
 */
export async function awaitApproval(client: VaultClient, held: Held, o: AwaitOptions): Promise<Approval> {
  const now = o.now ?? Date.now;
  const started = now();
  core.info(
    oneLine(
      `Waiting up to ${formatDuration(Math.ceil(o.timeoutMs / 1000))} for approval ${held.id}${o.limit ? ` (${o.limit})` : ''}; the vault is asked again after 2s, then less and less often, at most every 30s.`,
    ),
  );
  const approval = await waitForDecision(client, held.id, {
    timeoutMs: o.timeoutMs,
    ...(o.initialDelayMs === undefined ? {} : { initialDelayMs: o.initialDelayMs }),
    ...(o.sleep ? { sleep: o.sleep } : {}),
    now,
    onPoll: (a) => {
      o.onPoll?.(a);
      if (a.status !== 'pending') return;
      const approvedBy = [...new Set(a.decisions.filter((d) => d.decision === 'approve').map((d) => d.user))];
      const left = Math.max(0, Math.ceil((started + o.timeoutMs - now()) / 1000));
      core.info(
        oneLine(
          `Approval ${a.id} is pending: ${approvedBy.length} of ${a.requiredApprovals} approval(s)${approvedBy.length ? ` (${approvedBy.join(', ')})` : ''}; waiting ${formatDuration(left) || '0s'} more.`,
        ),
      );
    },
  });
  const waited = formatDuration(Math.max(1, Math.round((now() - started) / 1000)));
  if (approval.status === 'approved') {
    const by = approval.decisions.filter((d) => d.decision === 'approve').map((d) => d.user);
    core.info(oneLine(`Approval ${approval.id} was approved by ${by.join(', ')} at ${approval.decidedAt ?? '?'}, after ${waited}.`));
    return approval;
  }
  const reason = notApproved(approval, waited);
  switch (approval.status) {
    case 'denied':
      throw new AppError(
        'approval_denied',
        `${reason.message}\nA denial is final and nothing was exported; settle it with the approver, then run the job again (a new request).`,
      );
    case 'expired':
      throw new AppError(
        'approval_expired',
        `${reason.message}\nNothing was exported; run the job again to ask anew, while an approver is at hand.`,
      );
    case 'pending':
      throw new AppError(
        'approval_required',
        `${reason.message}\nThe step stopped waiting (${INPUT.approvalTimeout}${o.limit ? `; ${o.limit}` : ''}) and exported nothing. To wait longer, raise ${INPUT.approvalTimeout} (and the job's timeout-minutes); or have it approved and re-run the job: a re-run attempt of the same run collects it.`,
      );
    default:
      throw reason;
  }
}
