import type { RotationResult } from '../../rotation/types.js';
import { escapeMarkdown, markdownCode } from '../common/markdown.js';

/** What the job summary of a rotation run shows: paths, versions, dates and reasons, never a value. */
export interface RotateSummaryInput {
  vaultUrl: string;
  dryRun: boolean;
  /** Whether the run took every due secret (no `paths` input). */
  due: boolean;
  tokenId?: string | undefined;
  agent?: string | undefined;
  /** Failures first (rotateAll sorts them so). */
  results: readonly RotationResult[];
}

const RESULT: Record<RotationResult['status'], string> = {
  failed: '❌ failed',
  rotated: '✅ rotated',
  'would-rotate': 'would rotate',
  revoked: '🔒 previous value revoked',
  'would-revoke': 'would revoke the previous value',
  skipped: 'skipped',
};

const TEST: Record<RotationResult['test'], string> = { passed: 'passed', failed: 'failed', none: '-' };

function versions(r: RotationResult): string {
  const from = r.fromVersion === null ? '-' : String(r.fromVersion);
  if (r.status === 'rotated') return `${from} → ${r.toVersion ?? '?'}`;
  if (r.status === 'would-rotate') return `${from} → (new)`;
  if (r.status === 'revoked' || r.status === 'would-revoke') return `${from} (replaced; grace over)`;
  return `${from} (unchanged)`;
}

function note(r: RotationResult): string {
  const parts: string[] = [];
  if (r.reason) parts.push(escapeMarkdown(r.reason));
  if (r.fix) parts.push(`<b>Fix:</b> ${escapeMarkdown(r.fix)}`);
  if (r.rotationId) parts.push(`rotation ${markdownCode(r.rotationId)}`);
  return parts.join('<br>') || '-';
}

/** Renders the summary as HTML (GitHub's Markdown allows it), with every field escaped. */
export function renderRotateSummary(s: RotateSummaryInput): string {
  const count = (status: RotationResult['status']) => s.results.filter((r) => r.status === status).length;
  const head = s.dryRun
    ? `<h3>Agent Secret Store: rotation dry run</h3>\n<p>Dry run: nothing was changed. ${count('would-rotate')} secret(s) would rotate.</p>`
    : `<h3>Agent Secret Store: secrets rotated</h3>\n<p>${count('rotated')} rotated, ${count('failed')} failed, ${count('skipped')} skipped.${count('revoked') > 0 ? ` ${count('revoked')} replaced value(s) revoked after their grace period.` : ''}</p>`;
  const rows = s.results
    .map(
      (r) =>
        `<tr><td>${markdownCode(r.path)}</td><td>${escapeMarkdown(r.rotator)}</td><td>${RESULT[r.status]}</td><td>${escapeMarkdown(versions(r))}</td><td>${TEST[r.test]}</td><td>${escapeMarkdown(r.nextDue ?? '-')}</td><td>${escapeMarkdown(r.graceEnds ?? '-')}</td><td>${note(r)}</td></tr>`,
    )
    .join('\n');
  const table = s.results.length
    ? `<table>\n<tr><th>Path</th><th>Rotator</th><th>Result</th><th>Version</th><th>Test</th><th>Next due</th><th>Previous readable until</th><th>Reason</th></tr>\n${rows}\n</table>`
    : `<p>Nothing to rotate${s.due ? ': no secret within the token’s rotate scopes is due.' : '.'}</p>`;
  const facts: [string, string][] = [
    ['Vault', markdownCode(s.vaultUrl)],
    ['Agent', s.agent ? markdownCode(s.agent) : '-'],
    ['Pipeline token id', s.tokenId ? markdownCode(s.tokenId) : '-'],
    ['Selection', s.due ? 'every secret due within the token’s rotate scopes' : 'the paths named in the <code>paths</code> input'],
  ];
  return [
    head,
    table,
    `<table>\n${facts.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`).join('\n')}\n</table>`,
    '',
  ].join('\n');
}
