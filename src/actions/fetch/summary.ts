import type { ApprovalKind, ApprovalStatus } from '../../core/model.js';
import { escapeMarkdown, markdownCode } from '../common/markdown.js';

/** The job summary of the post step: what was read and what happened to the token. Never a value. */
export interface ReadRecord {
  path: string;
  version: number;
  tier: string;
  type: string;
  names: string[];
}

/** A human approval the main step met (state `approvals`), for the post step's summary. */
export interface ApprovalRecord {
  id: string;
  kind: ApprovalKind;
  status: ApprovalStatus;
  paths: string[];
  requiredApprovals: number;
  approvedBy: { user: string; at: string }[];
  deniedBy?: { user: string; reason: string | null };
  decidedAt: string | null;
}

export interface SummaryInput {
  vaultUrl?: string | undefined;
  tokenId?: string | undefined;
  agent?: string | undefined;
  scopes?: string[] | undefined;
  expiresAt?: string | undefined;
  secrets: ReadRecord[];
  exportFile?: { path: string; deleted: boolean } | undefined;
  revocation: { state: 'revoked' | 'already-inactive' | 'skipped' | 'failed' | 'no-token'; detail?: string };
  approvals?: ApprovalRecord[] | undefined;
}

const HELD: Record<ApprovalKind, string> = {
  exchange: 'the pipeline token',
  read: 'the read',
  token: 'a token',
};

const OUTCOME: Record<ApprovalStatus, string> = {
  collected: 'approved, released to this step',
  approved: 'approved, not collected by this step',
  pending: 'not decided while the step waited',
  denied: 'denied',
  expired: 'expired undecided',
};

/** The approvals table of the post step's summary: request, what it held, outcome, who approved when. */
export function renderApprovals(approvals: readonly ApprovalRecord[]): string {
  const rows = approvals.map((a) => {
    const outcome = a.deniedBy
      ? `denied by ${markdownCode(a.deniedBy.user)}${a.deniedBy.reason ? `: ${escapeMarkdown(a.deniedBy.reason)}` : ''}`
      : escapeMarkdown(OUTCOME[a.status]);
    const approvers = a.approvedBy.length ? a.approvedBy.map((d) => `${markdownCode(d.user)} (${escapeMarkdown(d.at)})`).join('<br>') : '-';
    const paths = a.paths.map(markdownCode).join('<br>');
    return `<tr><td>${markdownCode(a.id)}</td><td>${escapeMarkdown(HELD[a.kind])}: ${paths}</td><td>${outcome}</td><td>${approvers}${a.requiredApprovals > 1 ? ` (${a.requiredApprovals} needed)` : ''}</td><td>${a.decidedAt ? escapeMarkdown(a.decidedAt) : '-'}</td></tr>`;
  });
  return [
    '<h4>Human approval</h4>',
    `<table>\n<tr><th>Request</th><th>Held</th><th>Outcome</th><th>Approved by</th><th>Decided at</th></tr>\n${rows.join('\n')}\n</table>`,
  ].join('\n');
}

/** The main step's summary while the vault holds its request: what to approve, by whom, with which command. */
export function renderHeldSummary(
  held: Pick<ApprovalRecord, 'id' | 'kind' | 'paths' | 'requiredApprovals'> & {
    approvers: string[];
    approveCommand: string;
    expiresAt: string;
    rule: string;
  },
  note: string,
): string {
  const facts: [string, string][] = [
    ['Request', markdownCode(held.id)],
    ['Held', escapeMarkdown(`${HELD[held.kind]} (${held.rule})`)],
    ['Secrets', held.paths.map(markdownCode).join('<br>')],
    [
      'Approvers',
      held.approvers.length
        ? `${held.requiredApprovals} of ${held.approvers.map(markdownCode).join(', ')}`
        : escapeMarkdown('none yet: no other admin or approver exists (ass users create NAME --role viewer --approver)'),
    ],
    ['Approve with', markdownCode(held.approveCommand)],
    ['Deny with', markdownCode(`ass approvals deny ${held.id} --reason "..."`)],
    ['Expires at', escapeMarkdown(held.expiresAt)],
  ];
  return [
    '<h3>Agent Secret Store: approval needed</h3>',
    `<p>${escapeMarkdown(note)}</p>`,
    `<table>\n${facts.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`).join('\n')}\n</table>`,
    '',
  ].join('\n');
}

export function renderSummary(s: SummaryInput): string {
  const rows = s.secrets
    .map(
      (r) =>
        `<tr><td>${markdownCode(r.path)}</td><td>${escapeMarkdown(String(r.version))}</td><td>${escapeMarkdown(r.tier)}</td><td>${escapeMarkdown(r.type)}</td><td>${r.names.map(markdownCode).join(' ')}</td></tr>`,
    )
    .join('\n');
  const revoked = {
    revoked: 'yes',
    'already-inactive': 'yes (already expired or revoked)',
    skipped: 'no (revoke: false)',
    failed: 'no: revocation failed',
    'no-token': 'no token was issued',
  }[s.revocation.state];
  const facts: [string, string][] = [
    ['Vault', s.vaultUrl ? markdownCode(s.vaultUrl) : '-'],
    ['Agent', s.agent ? markdownCode(s.agent) : '-'],
    ['Pipeline token id', s.tokenId ? markdownCode(s.tokenId) : '-'],
    ['Scopes', s.scopes?.length ? s.scopes.map(markdownCode).join('<br>') : '-'],
    ['Expires at', s.expiresAt ? escapeMarkdown(s.expiresAt) : '-'],
    ['Revoked', escapeMarkdown(revoked + (s.revocation.detail ? ` (${s.revocation.detail})` : ''))],
  ];
  if (s.exportFile) facts.push(['Export file', `${markdownCode(s.exportFile.path)} ${s.exportFile.deleted ? 'deleted' : 'not deleted'}`]);
  return [
    '<h3>Agent Secret Store: secrets fetched</h3>',
    s.secrets.length
      ? `<table>\n<tr><th>Path</th><th>Version</th><th>Tier</th><th>Type</th><th>Exported as</th></tr>\n${rows}\n</table>`
      : '<p>No secrets were read.</p>',
    `<table>\n${facts.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`).join('\n')}\n</table>`,
    ...(s.approvals?.length ? [renderApprovals(s.approvals)] : []),
    '',
  ].join('\n');
}
