/**
 * The audit action's webhook: a Slack-compatible `{text, blocks}` post of the findings, when there
 * are any at or above the notice threshold. Posted unsigned (a Slack incoming webhook's URL is its
 * credential) through the vault's own webhook code (src/rotation/notify.ts): https only, no
 * redirects, one retry, errors that name the origin and never the path.
 */
import { slackText } from '../../core/text.js';
import { postWebhook } from '../../rotation/notify.js';
import type { FailOn } from './config.js';
import { type Finding, SEVERITY_RANK, type Severity } from './findings.js';

export const AUDIT_EVENT = 'audit.report';
/** Slack takes at most 50 blocks, each section's text at most 3000 characters. */
const MAX_FINDING_BLOCKS = 20;
const MAX_BLOCK_TEXT = 2900;

/** The lowest severity that is posted: `fail-on` when that is info, else warning. */
export function noticeThreshold(failOn: FailOn): Severity {
  return failOn === 'info' ? 'info' : 'warning';
}

/** The findings worth a notice (verification failures always are). */
export function noticeFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  const min = SEVERITY_RANK[noticeThreshold(failOn)];
  return findings.filter((f) => f.verification || SEVERITY_RANK[f.severity] >= min);
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s);
/**
 * One line of text for mrkdwn: `&`, `<` and `>` escaped, so no vault text can mention @channel or
 * make or hide a link; line breaks flattened. (`*`, `_` and `~` can only change how it looks.)
 */
const line = (s: string, max: number) => slackText(clip(s.replace(/[\r\n]+/g, ' '), max));

const MARK: Record<Severity, string> = {
  critical: ':red_circle: CRITICAL',
  warning: ':large_orange_circle: warning',
  info: ':large_blue_circle: info',
};

export interface NoticeContext {
  vaultUrl: string;
  verified: boolean;
  /** A link to this run (GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID), when known. */
  runUrl: string | undefined;
  window: { since: string; until: string } | undefined;
}

/** The JSON body posted: Slack's `text` (the fallback and notification line) and `blocks`, plus the findings as data. */
export function noticeBody(findings: readonly Finding[], ctx: NoticeContext): string {
  const critical = findings.filter((f) => f.severity === 'critical').length;
  const head = `Agent Secret Store audit report for ${ctx.vaultUrl}: ${findings.length} finding(s), ${critical} critical${ctx.verified ? '' : '; the log was NOT verified'}`;
  const blocks: unknown[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${line(head, 500)}*${ctx.window ? `\n${line(`${ctx.window.since} to ${ctx.window.until}`, 120)}` : ''}`,
      },
    },
  ];
  for (const f of findings.slice(0, MAX_FINDING_BLOCKS)) {
    const body = `${MARK[f.severity]} \`${line(f.check, 40).replace(/`/g, "'")}\` *${line(f.title, 400)}*\n${line(f.detail, 1200)}\n_What to do:_ ${line(f.action, 900)}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(body, MAX_BLOCK_TEXT) } });
  }
  if (findings.length > MAX_FINDING_BLOCKS) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${findings.length - MAX_FINDING_BLOCKS} more in the job summary.` }],
    });
  }
  // The run URL is GitHub's own (from the runner's environment), not the vault's.
  if (ctx.runUrl) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${ctx.runUrl}|The full report>` }] });
  return JSON.stringify({
    text: line(head, 500),
    blocks,
    event: AUDIT_EVENT,
    verified: ctx.verified,
    findings: findings.map((f) => ({ check: f.check, severity: f.severity, title: f.title, subject: f.subject, count: f.count })),
  });
}

/** Posts the notice; resolves to what happened, for the summary and the log. Never throws. */
export async function sendNotice(
  url: string,
  findings: readonly Finding[],
  ctx: NoticeContext,
  opts: { fetch?: typeof globalThis.fetch } = {},
): Promise<{ ok: boolean; message: string }> {
  try {
    const d = await postWebhook(AUDIT_EVENT, noticeBody(findings, ctx), `${findings.length} finding(s) were found`, {
      url,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    return { ok: true, message: `posted ${findings.length} finding(s) to ${new URL(url).origin} (HTTP ${d.status})` };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
