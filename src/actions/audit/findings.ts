/**
 * The audit report's findings: the vault's anomalies and the action's own verification results in
 * one list, the verification failures first (always critical), then by severity. Pure functions.
 */
import type { AnomalyReport, AuditVerification } from '../../client/client.js';
import type { ChainCheck } from './verify.js';

export const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;
export type Severity = keyof typeof SEVERITY_RANK;

/** One finding of the report. Strings may come from the vault: escape them wherever they are shown. */
export interface Finding {
  /** The vault's anomaly check (`read_spike`, ...) or the action's own (`audit_unavailable`, `chain_tampered`, ...). */
  check: string;
  severity: Severity;
  title: string;
  detail: string;
  action: string;
  subject: Record<string, string>;
  count: number;
  /** Whether the log failed a verification: always critical, always first, always fails the job. */
  verification: boolean;
}

/** Where the previous checkpoint stood. */
export type PreviousState =
  | { state: 'none' }
  | { state: 'missing'; path: string }
  | { state: 'read'; path: string }
  | { state: 'unreadable'; path: string; reason: string };

export interface FindingsInput {
  /** The vault refused because its audit log is broken (`audit_unavailable`), with its message. */
  unavailable: { during: string; message: string } | undefined;
  previous: PreviousState;
  chain: ChainCheck | undefined;
  vaultVerification: AuditVerification | undefined;
  anomalies: AnomalyReport | undefined;
}

const RESTORE =
  'Treat the vault host as compromised: run `ass audit verify` (admin or auditor) to list every problem, compare the log with your off-host checkpoints, restore the store from a backup, and rotate what the log can no longer vouch for.';

const CHAIN_KINDS: Record<string, { check: string; title: string }> = {
  checkpoint_signature_invalid: { check: 'checkpoint_signature', title: 'A checkpoint is not signed by the trusted audit key' },
  truncated: { check: 'log_rolled_back', title: 'The audit log was truncated or rolled back since the last run' },
  checkpoint_mismatch: { check: 'log_rewritten', title: 'The audit log was rewritten since the last run' },
  checkpoint_replayed: { check: 'checkpoint_replayed', title: "The vault answered with the last run's checkpoint" },
};

/** The findings, most important first: verification failures, then critical, warning, info. */
export function buildFindings(input: FindingsInput): Finding[] {
  const own: Finding[] = [];
  if (input.unavailable) {
    own.push({
      check: 'audit_unavailable',
      severity: 'critical',
      title: 'The vault reports its audit log broken',
      detail: `The vault refused ${input.unavailable.during} with audit_unavailable: ${input.unavailable.message} While its log is broken, the vault releases and changes nothing, so this report is incomplete.`,
      action: RESTORE,
      subject: {},
      count: 1,
      verification: true,
    });
  }
  if (input.previous.state === 'unreadable') {
    own.push({
      check: 'checkpoint_unreadable',
      severity: 'critical',
      title: 'The previous checkpoint cannot be read',
      detail: `${input.previous.path}: ${input.previous.reason} Without it the log cannot be held to what the last run saw, and it was not overwritten.`,
      action:
        'Find out what changed the file (the cache or artifact it comes from). If you reset it on purpose, delete it: the next run starts over from the first record, trusting the key the vault shows then (or pin public-key).',
      subject: { path: input.previous.path },
      count: 1,
      verification: true,
    });
  }
  const chain = input.chain;
  if (chain && chain.problems.length > 0) {
    const groups = new Map<string, typeof chain.problems>();
    for (const p of chain.problems) {
      const check = CHAIN_KINDS[p.kind]?.check ?? 'chain_tampered';
      groups.set(check, [...(groups.get(check) ?? []), p]);
    }
    for (const [check, problems] of groups) {
      const first = problems[0] as (typeof problems)[number];
      const title = CHAIN_KINDS[first.kind]?.title ?? 'The audit log was edited or records were deleted since the last run';
      own.push({
        check,
        severity: 'critical',
        title: `${title}: ${first.message}`,
        detail: `Found by this action, which reads the records from ${input.previous.state === 'read' ? 'the previous checkpoint' : 'the first record'} on and checks them whatever the vault says of itself. ${problems
          .slice(0, 5)
          .map((p) => p.message)
          .join(' ')}${problems.length > 5 ? ` (${problems.length - 5} more)` : ''}`,
        action: RESTORE,
        subject: first.seq === null ? {} : { seq: String(first.seq) },
        count: problems.length,
        verification: true,
      });
    }
  }
  const vv = input.vaultVerification;
  if (vv && !vv.ok) {
    const first = vv.problems[0];
    own.push({
      check: 'vault_verification',
      severity: 'critical',
      title: `The vault's own verification of its audit log fails${first ? `: ${first.message}` : ''}`,
      detail: `GET /v1/audit/verify found ${vv.problems.length} problem(s) in ${vv.count} records. ${vv.problems
        .slice(0, 5)
        .map((p) => `${p.seq === null ? '' : `Record ${p.seq}: `}${p.message}`)
        .join(' ')}`,
      action: RESTORE,
      subject: first?.seq === null || first === undefined ? {} : { seq: String(first.seq) },
      count: vv.problems.length,
      verification: true,
    });
  }
  if (chain && !chain.complete && chain.skipped && chain.problems.length === 0) {
    own.push({
      check: 'verification_partial',
      severity: 'warning',
      title: `Only ${chain.count} records were checked against the checkpoints; records ${chain.skipped.from} to ${chain.skipped.to} were not`,
      detail:
        'More records were written since the last checkpoint than max-records allows, so this action checked part of the chain and relied on the vault for the rest.',
      action: 'Raise max-records, or run the report more often (each run starts from the checkpoint the last one kept).',
      subject: {},
      count: chain.skipped.to - chain.skipped.from + 1,
      verification: false,
    });
  }
  const vault: Finding[] = (input.anomalies?.anomalies ?? []).map((a) => ({
    check: a.check,
    severity: a.check === 'chain_broken' ? 'critical' : a.severity,
    title: a.title,
    detail: a.detail,
    action: a.action,
    subject: Object.fromEntries(Object.entries(a.subject).filter((e): e is [string, string] => typeof e[1] === 'string')),
    count: a.count,
    verification: a.check === 'chain_broken',
  }));
  const all = [...own, ...vault];
  // Stable: within a rank, the vault's order (most severe first) is kept.
  return all
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        Number(b.f.verification) - Number(a.f.verification) || SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] || a.i - b.i,
    )
    .map(({ f }) => f);
}

/** Whether the log passed every verification this run could make, completely. */
export function isVerified(input: FindingsInput, findings: readonly Finding[]): boolean {
  return (
    !findings.some((f) => f.verification) &&
    input.chain !== undefined &&
    input.chain.complete &&
    input.vaultVerification?.ok === true &&
    input.anomalies?.verified !== false
  );
}

/** Whether the job fails: a failed verification always; else a finding at or above `failOn`. */
export function shouldFail(findings: readonly Finding[], failOn: Severity | 'none'): boolean {
  if (findings.some((f) => f.verification)) return true;
  return failOn !== 'none' && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
}

/** The `anomalies` output: compact, one entry per finding. */
export function compactFindings(findings: readonly Finding[]) {
  return findings.map((f) => ({ check: f.check, severity: f.severity, title: f.title, subject: f.subject, count: f.count }));
}
