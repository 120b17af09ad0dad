/** What the action shows people: annotations, job summary, PR comment. All escaped, all redacted. */
import { commitLine, HISTORY_ONLY_ADVICE, historyNote, safeText } from '../../scan/formats.js';
import type { Finding, ScanMode, SkippedFile } from '../../scan/index.js';
import { escapeMarkdown } from '../common/markdown.js';

export const COMMENT_MARKER = '<!-- ass-scan:pr-comment -->';
const MAX_ROWS = 50;
const MAX_SKIPPED = 20;

export function findingsTable(findings: readonly Finding[], mode?: ScanMode): string {
  const withCommits = findings.some((f) => f.commit);
  const rows = findings.slice(0, MAX_ROWS).map((f) => {
    const cells = [
      escapeMarkdown(f.path),
      String(f.line),
      escapeMarkdown(f.ruleId),
      escapeMarkdown(f.severity),
      `<code>${escapeMarkdown(f.preview)}</code>`,
    ];
    if (withCommits) {
      const c = f.commit;
      const commit = c
        ? `<code>${escapeMarkdown(c.sha.slice(0, 12))}</code> ${escapeMarkdown(c.date.slice(0, 10))} ${escapeMarkdown(c.author)}: ${escapeMarkdown(c.subject)}`
        : '';
      const note = historyNote(f, mode);
      cells.push(note ? `${commit}<br>**${escapeMarkdown(note.replace(/; rotate it$/, ''))}**` : commit);
    }
    return `| ${cells.join(' | ')} |`;
  });
  const more = findings.length > MAX_ROWS ? `\n\n…and ${findings.length - MAX_ROWS} more (see the SARIF report).` : '';
  const head = withCommits
    ? '| File | Line | Rule | Severity | Preview | Introduced by |\n| --- | --- | --- | --- | --- | --- |'
    : '| File | Line | Rule | Severity | Preview |\n| --- | --- | --- | --- | --- |';
  return `${head}\n${rows.join('\n')}${more}`;
}

function skippedMarkdown(skipped: readonly SkippedFile[]): string {
  if (skipped.length === 0) return '';
  const items = skipped
    .slice(0, MAX_SKIPPED)
    .map(
      (s) =>
        `- ${escapeMarkdown(s.path)} (${s.bytes} bytes${s.commit ? `, commit <code>${escapeMarkdown(s.commit.slice(0, 12))}</code>` : ''})`,
    );
  const more = skipped.length > MAX_SKIPPED ? `\n- …and ${skipped.length - MAX_SKIPPED} more` : '';
  return `\n\n**${skipped.length} file${skipped.length === 1 ? ' was' : 's were'} not scanned**, over the size cap (raise it with the \`max-file-size\` input, or check them by hand):\n\n${items.join('\n')}${more}\n`;
}

export interface SummaryContext {
  /** What was scanned, in words ("the 3 commits of this pull request"). */
  scope: string;
  mode?: ScanMode;
  baselined: number;
  skipped?: readonly SkippedFile[];
}

export function summaryMarkdown(findings: readonly Finding[], ctx: SummaryContext): string {
  const { baselined } = ctx;
  const scope = escapeMarkdown(ctx.scope);
  const base = baselined > 0 ? ` (${baselined} known finding${baselined === 1 ? '' : 's'} in the baseline not shown)` : '';
  const skipped = skippedMarkdown(ctx.skipped ?? []);
  if (findings.length === 0) {
    return `## Secret scan\n\nNo secrets found in ${scope}${base}${skipped ? ' (but see below)' : ''}.\n${skipped}`;
  }
  const historyOnly = findings.filter((f) => f.inHead === false).length;
  const history =
    historyOnly > 0
      ? `\n\n**${historyOnly} of these ${historyOnly === 1 ? 'is' : 'are'} no longer in ${ctx.mode === 'history' ? 'HEAD' : 'the head'}, but ${historyOnly === 1 ? 'is' : 'are'} still in the git history.** ${escapeMarkdown(HISTORY_ONLY_ADVICE)}`
      : '';
  return `## Secret scan\n\n${findings.length} possible secret${findings.length === 1 ? '' : 's'} in ${scope}${base}.\n\n${findingsTable(findings, ctx.mode)}\n\nRemove each credential, rotate it with its provider, and load it at run time instead. A false positive can be silenced with an \`ass:allow\` comment on the line or a baseline entry.${history}\n${skipped}`;
}

/** The PR comment: the marker that finds it again, then the summary. */
export function commentBody(summary: string): string {
  return `${COMMENT_MARKER}\n${summary}`;
}

export function annotationTitle(f: Finding): string {
  return `Hardcoded secret (${f.ruleId})${f.commit ? ` added in ${f.commit.sha.slice(0, 12)}` : ''}`;
}

/**
 * An annotation's text: one line (the runner escapes line breaks in it, and everything from a
 * commit has had its control characters replaced already; safeText again, in case).
 */
export function annotationMessage(f: Finding, mode?: ScanMode): string {
  const commit = commitLine(f);
  const note = historyNote(f, mode);
  const parts = [`${f.description} (${f.ruleId}, ${f.severity}): ${f.preview}.`];
  if (commit) parts.push(`${commit.charAt(0).toUpperCase()}${commit.slice(1)}.`);
  if (note) parts.push(`It is ${note.replace(/; rotate it$/, '')}: deleting it is not enough, rotate it.`);
  else parts.push('Remove it, rotate it, and load it at run time.');
  return safeText(parts.join(' '));
}
