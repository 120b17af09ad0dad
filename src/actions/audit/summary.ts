/**
 * The job summary of the audit action: the report a security lead reads. GitHub renders it as
 * Markdown with HTML allowed, and Mermaid in ```mermaid blocks. Every string from the vault (paths,
 * names, reasons, claims, finding texts) is escaped (src/actions/common/markdown.ts) and cut short;
 * chart labels are made by this file from times, and cleaned once more for Mermaid. Nothing secret
 * is in the input: the vault's audit answers hold no values.
 */
import type { AnomalyReport, AuditSummary, AuditVerification } from '../../client/client.js';
import type { Checkpoint } from '../../core/audit-chain.js';
import { formatDuration } from '../../core/duration.js';
import { escapeMarkdown, markdownCode } from '../common/markdown.js';
import type { FailOn } from './config.js';
import type { Finding, PreviousState } from './findings.js';
import type { ChainCheck } from './verify.js';

export interface ReportView {
  vaultUrl: string;
  /** The window as the vault resolved it, and where its start came from. */
  window: { since: string; until: string; basis: 'input' | 'last-run' | 'default' } | undefined;
  credential: { kind: 'pipeline'; tokenId: string; agent: string | null; revocation: string } | { kind: 'token' } | { kind: 'none' };
  summary: AuditSummary | undefined;
  anomalies: AnomalyReport | undefined;
  findings: readonly Finding[];
  verified: boolean;
  failing: boolean;
  failOn: FailOn;
  vaultVerification: AuditVerification | undefined;
  chain: ChainCheck | undefined;
  previous: PreviousState;
  previousCheckpoint: Checkpoint | undefined;
  current: Checkpoint | undefined;
  checkpointFile: { state: 'written' | 'kept' | 'not-configured' | 'failed'; path?: string | undefined; reason?: string | undefined };
  /** What happened to the webhook notice, when there is a webhook. */
  webhook?: string | undefined;
}

/** Findings shown in full; the rest are counted (all are in the `anomalies` output). */
export const MAX_FINDINGS_SHOWN = 50;
/** The summary stays well under GitHub's 1 MiB per step. */
const MAX_SUMMARY_BYTES = 900 * 1024;

/** A vault string: cut to `max` characters, then escaped for a table cell. */
export function text(s: string | null | undefined, max = 300): string {
  if (s === null || s === undefined || s === '') return '-';
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return escapeMarkdown(cut);
}

/** A vault string shown monospaced (paths, names, ids). */
export function code(s: string | null | undefined, max = 200): string {
  if (s === null || s === undefined || s === '') return '-';
  return markdownCode(s.length > max ? `${s.slice(0, max)}…` : s);
}

/**
 * A label inside a Mermaid chart: only letters, digits, space and `:._/-` survive, so no quote,
 * semicolon, bracket or line break can end the label, the statement or the block.
 */
export function mermaidLabel(s: string, max = 32): string {
  return s
    .replace(/[^A-Za-z0-9 :._/-]/g, '')
    .slice(0, max)
    .trim();
}

const SEVERITY_MARK: Record<Finding['severity'], string> = { critical: '🔴 critical', warning: '🟠 warning', info: '🔵 info' };

function table(head: string[], rows: string[][]): string {
  return `<table>\n<tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>\n${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}\n</table>`;
}

function facts(pairs: [string, string][]): string {
  return `<table>\n${pairs.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`).join('\n')}\n</table>`;
}

const n = (x: number) => x.toLocaleString('en-US');

/** A UTC time, short: `2026-11-22 10:00`. */
function shortTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Reads and refusals per hour as a Mermaid xychart-beta (bars: reads, line: refusals), every hour of
 * the window present (the vault lists only hours with records), in at most 48 buckets.
 */
export function hourlyChart(summary: Pick<AuditSummary, 'since' | 'until' | 'hours'>): string | undefined {
  const HOUR = 3_600_000;
  const since = Date.parse(summary.since);
  const until = Date.parse(summary.until);
  if (Number.isNaN(since) || Number.isNaN(until) || until < since) return undefined;
  const start = Math.floor(since / HOUR) * HOUR;
  const hours = Math.max(1, Math.ceil((until + 1 - start) / HOUR));
  const per = [1, 2, 3, 4, 6, 8, 12, 24].find((h) => hours / h <= 48) ?? Math.ceil(hours / 48 / 24) * 24;
  const buckets = Math.ceil(hours / per);
  const reads = new Array<number>(buckets).fill(0);
  const denied = new Array<number>(buckets).fill(0);
  let any = false;
  for (const h of summary.hours) {
    const t = Date.parse(h.hour);
    if (Number.isNaN(t)) continue;
    const i = Math.floor((t - start) / (per * HOUR));
    if (i < 0 || i >= buckets) continue;
    reads[i] = (reads[i] as number) + Math.max(0, h.reads);
    denied[i] = (denied[i] as number) + Math.max(0, h.denied);
    if (h.requests > 0) any = true;
  }
  if (!any) return undefined;
  const days = hours > 24;
  const labels = reads.map((_, i) => {
    const iso = new Date(start + i * per * HOUR).toISOString();
    return mermaidLabel(per >= 24 ? iso.slice(5, 10) : days ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16));
  });
  const max = Math.max(1, ...reads, ...denied);
  const unit = per === 1 ? 'hour' : `${per} hours`;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "Secret reads (bars) and refused requests (line) per ${unit}, UTC"`,
    `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
    `  y-axis "Requests" 0 --> ${Math.ceil(max * 1.1)}`,
    `  bar [${reads.join(', ')}]`,
    `  line [${denied.join(', ')}]`,
    '```',
  ].join('\n');
}

function headline(v: ReportView): string {
  const critical = v.findings.filter((f) => f.severity === 'critical').length;
  const warning = v.findings.filter((f) => f.severity === 'warning').length;
  const info = v.findings.filter((f) => f.severity === 'info').length;
  const verification = v.findings.some((f) => f.verification)
    ? '❌ <b>The audit log FAILS verification.</b>'
    : v.verified
      ? '✅ The audit log verifies, by the vault and against the checkpoints.'
      : '⚠️ The audit log was not fully verified (see Verification).';
  const counts = `${critical} critical, ${warning} warning, ${info} info finding(s).`;
  const outcome = v.failing
    ? `The job fails${v.findings.some((f) => f.verification) ? ' (a failed verification always fails it)' : ` (fail-on: ${v.failOn})`}.`
    : '';
  return `<p>${verification} ${counts} ${outcome}</p>`;
}

function numbers(s: AuditSummary): string {
  const reads = s.hours.filter((h) => !Number.isNaN(Date.parse(h.hour))).reduce((sum, h) => sum + Math.max(0, h.reads), 0);
  return facts([
    [
      'Requests',
      `${n(s.requests)} (${n(s.granted)} granted, ${n(s.denied)} refused, ${n(s.errors)} failed, ${n(s.pending)} held for approval)`,
    ],
    ['Secret reads', n(reads)],
    ['Secrets touched', `${n(s.secrets.length)}${s.secrets.length >= 15 ? '+' : ''}`],
    ['Actors', `${n(s.actors.length)}${s.actors.length >= 15 ? '+' : ''}`],
    ['Tokens', `${n(s.tokens.issued)} issued, ${n(s.tokens.exchanged)} from CI exchanges, ${n(s.tokens.revoked)} revoked`],
    [
      'Approvals',
      `${n(s.approvals.requested)} requested, ${n(s.approvals.approved)} approved, ${n(s.approvals.denied)} denied, ${n(s.approvals.expired)} expired`,
    ],
    ['Rotations', `${n(s.rotations.finished)} done, ${n(s.rotations.aborted)} aborted, ${n(s.rotations.overdueTotal)} overdue now`],
    ['Lockouts', n(s.lockouts)],
  ]);
}

function findingsSection(findings: readonly Finding[]): string {
  if (findings.length === 0) return '<h4>Findings</h4>\n<p>None: no anomaly, and nothing wrong with the log.</p>';
  const shown = findings.slice(0, MAX_FINDINGS_SHOWN);
  const rows = shown.map((f) => [
    f.severity === 'critical' ? `<b>${SEVERITY_MARK[f.severity]}</b>` : SEVERITY_MARK[f.severity],
    code(f.check, 40),
    `<b>${text(f.title, 300)}</b><br>${text(f.detail, 800)}`,
    text(f.action, 600),
  ]);
  const more =
    findings.length > shown.length
      ? `\n<p>${findings.length - shown.length} more finding(s) in the <code>anomalies</code> output.</p>`
      : '';
  return `<h4>Findings</h4>\n${table(['Severity', 'Check', 'Finding', 'What to do'], rows)}${more}`;
}

function tables(s: AuditSummary): string[] {
  const out: string[] = [];
  if (s.secrets.length) {
    out.push(
      '<h4>Busiest secrets</h4>',
      table(
        ['Path', 'Tier', 'Reads', 'Writes', 'Refused'],
        s.secrets.map((p) => [code(p.path), text(p.tier), n(p.reads), n(p.writes), n(p.denied)]),
      ),
    );
  }
  if (s.actors.length) {
    out.push(
      '<h4>Busiest actors</h4>',
      table(
        ['Actor', 'Kind', 'Agent', 'Requests', 'Refused'],
        s.actors.map((a) => [code(a.name), text(a.type, 40), code(a.agent), n(a.requests), n(a.denied)]),
      ),
    );
  }
  if (s.denials.length) {
    out.push(
      '<h4>Refusals by reason</h4>',
      table(
        ['Code', 'Event', 'Count', 'Example'],
        s.denials.map((d) => [code(d.code, 60), code(d.event, 60), n(d.count), text(d.example, 300)]),
      ),
    );
  }
  if (s.addresses.length) {
    out.push(
      '<h4>Addresses</h4>',
      table(
        ['Address', 'Requests', 'Refused'],
        s.addresses.map((a) => [code(a.ip), n(a.requests), n(a.denied)]),
      ),
    );
  }
  const r = s.rotations;
  out.push(
    '<h4>Rotations</h4>',
    `<p>${n(r.finished)} rotation(s) done and ${n(r.aborted)} aborted in the window; ${n(r.overdueTotal)} secret(s) overdue now.</p>`,
  );
  if (r.overdue.length) {
    out.push(
      table(
        ['Overdue secret', 'Tier', 'Rotator', 'Overdue by'],
        r.overdue.map((o) => [code(o.path), text(o.tier, 40), text(o.rotator, 40), text(formatDuration(o.overdueSeconds), 40)]),
      ),
    );
  }
  if (s.exchanges.length) {
    out.push(
      '<h4>CI exchanges by repository and workflow</h4>',
      table(
        ['Repository', 'Workflow', 'Granted', 'Refused'],
        s.exchanges.map((x) => [code(x.repository), code(x.workflow, 300), n(x.granted), n(x.refused)]),
      ),
    );
  }
  return out;
}

const KEY_SOURCE: Record<string, string> = {
  input: 'pinned by the <code>public-key</code> input',
  'previous-checkpoint': "the previous checkpoint's key",
  'first-use': 'trusted on first use: no previous checkpoint, no <code>public-key</code>',
};

function verificationSection(v: ReportView): string {
  const rows: [string, string][] = [];
  const vv = v.vaultVerification;
  rows.push([
    "The vault's own check",
    vv === undefined
      ? 'not run (the vault refused)'
      : vv.ok
        ? `✅ intact: ${n(vv.count)} records, head record ${n(vv.headSeq)}`
        : `❌ ${vv.problems.length} problem(s): ${vv.problems
            .slice(0, 5)
            .map((p) => text(`${p.seq === null ? '' : `record ${p.seq}: `}${p.message}`, 300))
            .join('<br>')}`,
  ]);
  const c = v.chain;
  const prev = v.previousCheckpoint;
  const against = prev ? `the previous checkpoint (record ${n(prev.seq)}, ${text(shortTime(prev.time), 40)})` : 'record 1';
  let own: string;
  if (!c) own = 'not run';
  else if (c.problems.length > 0) {
    own = `❌ ${c.problems.length} problem(s): ${c.problems
      .slice(0, 5)
      .map((p) => text(p.message, 300))
      .join('<br>')}`;
  } else if (c.count === 0 && c.complete) {
    own = `✅ nothing new since ${against}`;
  } else if (c.complete) {
    own = `✅ records ${n(c.from ?? 0)} to ${n(c.to ?? 0)} (${n(c.count)}) lead from ${against} to the new checkpoint`;
  } else if (c.skipped) {
    own = `⚠️ partial: records ${n(c.from ?? 0)} to ${n(c.to ?? 0)} checked; ${n(c.skipped.from)} to ${n(c.skipped.to)} not (max-records)`;
  } else {
    own = `⚠️ records ${n(c.from ?? 0)} to ${n(c.to ?? 0)} read, but no new checkpoint vouches for the end of the log`;
  }
  rows.push(['This action\u2019s check', own]);
  if (v.current)
    rows.push(['New checkpoint', `record ${n(v.current.seq)}, ${text(shortTime(v.current.time), 40)}, hash ${code(v.current.hash, 64)}`]);
  if (c?.key) rows.push(['Audit key', `${code(c.key.value, 60)} (${KEY_SOURCE[c.key.source] ?? ''})`]);
  const prevState = v.previous;
  rows.push([
    'Previous checkpoint',
    prevState.state === 'none'
      ? 'none kept (no <code>checkpoint-path</code>)'
      : prevState.state === 'missing'
        ? `none at ${code(prevState.path)}: a first run, checked from record 1`
        : prevState.state === 'unreadable'
          ? `❌ ${code(prevState.path)} is unreadable`
          : `${code(prevState.path)}`,
  ]);
  const f = v.checkpointFile;
  rows.push([
    'Checkpoint kept',
    f.state === 'written'
      ? `✅ the new checkpoint was written to ${code(f.path)}`
      : f.state === 'kept'
        ? `the previous checkpoint was kept: ${text(f.reason ?? '', 300)}`
        : f.state === 'failed'
          ? `❌ could not write ${code(f.path)}: ${text(f.reason ?? '', 200)}`
          : 'not kept (no <code>checkpoint-path</code>)',
  ]);
  return `<h4>Verification</h4>\n${facts(rows)}`;
}

function footer(v: ReportView): string {
  const cred = v.credential;
  const rows: [string, string][] = [['Vault', code(v.vaultUrl)]];
  if (cred.kind === 'pipeline') {
    rows.push([
      'Credential',
      `pipeline token ${code(cred.tokenId)} of agent ${code(cred.agent)} (scope <code>audit:read</code>), ${text(cred.revocation, 200)}`,
    ]);
  } else if (cred.kind === 'token') {
    rows.push(['Credential', 'the <code>token</code> input (not revoked: it is not this run\u2019s)']);
  }
  const skipped = (v.anomalies?.checks ?? []).filter((c) => !c.ran || c.note);
  if (skipped.length) {
    rows.push(['Anomaly checks', skipped.map((c) => `${code(c.check, 40)}: ${c.ran ? '' : 'not run. '}${text(c.note, 200)}`).join('<br>')]);
  }
  if (v.webhook) rows.push(['Webhook', text(v.webhook, 300)]);
  return facts(rows);
}

/** The whole summary. */
export function renderAuditSummary(v: ReportView): string {
  const window = v.window
    ? `<p>From ${text(shortTime(v.window.since), 40)} to ${text(shortTime(v.window.until), 40)} UTC (${
        v.window.basis === 'last-run'
          ? 'since the last run'
          : v.window.basis === 'input'
            ? 'the <code>since</code> input'
            : 'the last 24 hours'
      }).</p>`
    : '';
  const parts = ['<h3>Agent Secret Store: audit report</h3>', window, headline(v), findingsSection(v.findings)];
  if (v.summary) {
    parts.push('<h4>In numbers</h4>', numbers(v.summary));
    const chart = hourlyChart(v.summary);
    parts.push('', chart ?? '<p>No requests in the window.</p>', '');
    parts.push(...tables(v.summary));
  } else {
    parts.push('<p>No summary: the vault refused it (see the findings).</p>');
  }
  parts.push(verificationSection(v), footer(v), '');
  let out = parts.join('\n');
  if (Buffer.byteLength(out) > MAX_SUMMARY_BYTES) {
    // Only long vault texts can get here: keep the verdict, the findings' titles and the verification.
    out = [
      parts[0],
      window,
      headline(v),
      table(
        ['Severity', 'Finding'],
        v.findings.slice(0, MAX_FINDINGS_SHOWN).map((f) => [SEVERITY_MARK[f.severity], text(f.title, 200)]),
      ),
      '<p>The full report was too large for a job summary; the <code>anomalies</code> output lists every finding.</p>',
      verificationSection(v),
      footer(v),
      '',
    ].join('\n');
  }
  return out;
}
