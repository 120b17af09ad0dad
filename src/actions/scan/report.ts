/** What the action shows people: annotations, job summary, PR comment. All escaped, all redacted. */
import type { Finding } from '../../scan/index.js';
import { escapeMarkdown } from '../common/markdown.js';

export const COMMENT_MARKER = '<!-- ass-scan:pr-comment -->';
const MAX_ROWS = 50;

export function findingsTable(findings: readonly Finding[]): string {
  const rows = findings
    .slice(0, MAX_ROWS)
    .map(
      (f) =>
        `| ${escapeMarkdown(f.path)} | ${f.line} | ${escapeMarkdown(f.ruleId)} | ${escapeMarkdown(f.severity)} | <code>${escapeMarkdown(f.preview)}</code> |`,
    );
  const more = findings.length > MAX_ROWS ? `\n\n…and ${findings.length - MAX_ROWS} more (see the SARIF report).` : '';
  return `| File | Line | Rule | Severity | Preview |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}${more}`;
}

export function summaryMarkdown(findings: readonly Finding[], mode: string, baselined: number): string {
  const scope = mode === 'diff' ? 'lines added by this pull request' : 'the whole tree';
  const base = baselined > 0 ? ` (${baselined} known finding${baselined === 1 ? '' : 's'} in the baseline not shown)` : '';
  if (findings.length === 0) return `## Secret scan\n\nNo secrets found in ${scope}${base}.\n`;
  return `## Secret scan\n\n${findings.length} possible secret${findings.length === 1 ? '' : 's'} in ${scope}${base}.\n\n${findingsTable(findings)}\n\nRemove each credential, rotate it with its provider, and load it at run time instead. A false positive can be silenced with an \`ass:allow\` comment on the line or a baseline entry.\n`;
}

export function commentBody(findings: readonly Finding[], baselined: number): string {
  return `${COMMENT_MARKER}\n${summaryMarkdown(findings, 'diff', baselined)}`;
}

export function annotationMessage(f: Finding): string {
  return `${f.description} (${f.ruleId}, ${f.severity}): ${f.preview}. Remove it, rotate it, and load it at run time.`;
}
