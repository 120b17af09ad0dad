/**
 * Requests held for a human approval (HTTP 202, `approval_required`), as every `ass` command meets
 * them: the report of a held request (exit 5, the instructions on stderr, the pending request as
 * JSON with `--json`), and `--wait`, which polls for the decision and then collects what was asked.
 */
import { approvalOf, describeHeld, notApproved, waitForDecision } from '../client/approvals.js';
import type { Approval, VaultClient } from '../client/client.js';
import { formatDuration } from '../core/duration.js';
import { EXIT } from '../core/errors.js';
import { type Ctx, durationOption, json, usage, type Values } from './common.js';

/** How long `--wait` waits by default. */
export const DEFAULT_WAIT_SECONDS = 15 * 60;

/** The options of a command that can wait for an approval. */
export const WAIT_OPTIONS = { wait: { type: 'boolean' }, 'wait-timeout': { type: 'string' } } as const;

export const WAIT_HELP = `  --wait               if the request is held for approval, wait for the decision (polling with backoff),
                       then collect what was asked and finish as usual; denied: exit 3, with the reason
  --wait-timeout D     how long --wait waits (default ${formatDuration(DEFAULT_WAIT_SECONDS)}); still pending then: exit 5`;

export interface WaitSpec {
  timeoutMs: number;
  /** The wait as the user wrote it, for messages (`15m`). */
  label: string;
}

/** `--wait [--wait-timeout D]` → how long to wait, or undefined without `--wait`. */
export function waitOption(values: Values, helpFor: string): WaitSpec | undefined {
  const seconds = durationOption(values, 'wait-timeout', helpFor);
  if (values.wait !== true) {
    if (seconds !== undefined) throw usage('--wait-timeout goes with --wait (add --wait, or drop --wait-timeout).', helpFor);
    return undefined;
  }
  const s = seconds ?? DEFAULT_WAIT_SECONDS;
  return { timeoutMs: s * 1000, label: formatDuration(s) };
}

/**
 * Runs `attempt`; when the vault holds it for approval and `wait` is given, tells the user what is
 * held and who may approve it, waits for the decision, and returns what `collect` releases. A
 * denial, an expiry or a wait that ends first is thrown (exit 3, 3 and 5).
 */
export async function orWaitForApproval<T>(
  ctx: Ctx,
  poller: VaultClient,
  wait: WaitSpec | undefined,
  attempt: () => Promise<T>,
  collect: (id: string) => Promise<T>,
): Promise<T> {
  try {
    return await attempt();
  } catch (err) {
    const held = approvalOf(err);
    if (!held || !wait) throw err;
    if (held.status === 'approved') {
      ctx.err(`Approval ${held.id} for this request was already approved; collecting it.\n`);
      return collect(held.id);
    }
    ctx.err(
      `approval required: ${describeHeld(held)}\nWaiting up to ${wait.label} for the decision (Ctrl-C stops waiting; the request stays pending).\n`,
    );
    const now = ctx.deps.now ?? Date.now;
    let shown = progressKey(held);
    let shownAt = now();
    const decided = await waitForDecision(poller, held.id, {
      timeoutMs: wait.timeoutMs,
      now,
      ...(ctx.deps.sleep ? { sleep: ctx.deps.sleep } : {}),
      onPoll: (a) => {
        // A line when something changed, and otherwise about once a minute, so a long wait shows it is alive.
        const key = progressKey(a);
        if (key === shown && now() - shownAt < 60_000) return;
        shown = key;
        shownAt = now();
        ctx.err(`${progressLine(a)}\n`);
      },
    });
    if (decided.status !== 'approved') {
      if (decided.status === 'pending') ctx.err(`Approval ${decided.id} is still pending after waiting ${wait.label}.\n`);
      throw notApproved(decided, wait.label);
    }
    ctx.err(`Approval ${decided.id} was approved by ${approversOf(decided).join(', ') || 'the approvers'}; collecting it.\n`);
    return collect(held.id);
  }
}

function approversOf(a: Pick<Approval, 'decisions'>): string[] {
  return [...new Set(a.decisions.filter((d) => d.decision === 'approve').map((d) => d.user))];
}

function progressKey(a: Pick<Approval, 'status' | 'decisions'>): string {
  return `${a.status} ${approversOf(a).length}`;
}

function progressLine(a: Approval): string {
  const n = approversOf(a).length;
  if (a.status === 'pending') {
    return `waiting: approval ${a.id} has ${n} of ${a.requiredApprovals} approval(s); it expires at ${a.expiresAt}`;
  }
  return `approval ${a.id} is ${a.status}`;
}

/**
 * The report of a request held for approval: the instructions on stderr and, with `--json`, the
 * request on stdout (`{approvalId, status: "pending", ...}`, or `"approved"` when the same request
 * was already approved and waits to be collected); exit 5. Undefined when `err`
 * is not a held request.
 */
export function reportHeld(ctx: Ctx, err: unknown, opts: { json: boolean; canWait: boolean }): number | undefined {
  const held = approvalOf(err);
  if (!held) return undefined;
  if (opts.json) {
    const { approvalId, ...rest } = held;
    ctx.out(json({ approvalId, ...rest }));
  }
  const collect = `ass approvals collect ${held.id}${held.kind === 'exchange' ? ' --oidc-token -' : ''}`;
  if (held.status === 'approved') {
    ctx.err(
      `approval required: approval ${held.id} for this request was already approved; collect it once with \`${collect}\` (the same credential${held.kind === 'exchange' ? ', and a fresh OIDC token of the same run on stdin' : ''})${opts.canWait ? ', or run this command again with --wait' : ''}.\n`,
    );
    return EXIT.held;
  }
  ctx.err(
    `approval required: ${describeHeld(held)}\n` +
      `Once it is approved, \`ass approvals collect ${held.id}${held.kind === 'exchange' ? ' --oidc-token -' : ''}\` (with the same credential${held.kind === 'exchange' ? ', and a fresh OIDC token of the same run on stdin' : ''}) releases what was asked, once` +
      `${opts.canWait ? '; or, while it is pending, run this command again with --wait to wait for it' : ''}.\n`,
  );
  return EXIT.held;
}
