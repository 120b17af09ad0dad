import { escapeMarkdown, markdownCode } from '../common/markdown.js';

/** The job summary of the post step: what was read and what happened to the token. Never a value. */
export interface ReadRecord {
  path: string;
  version: number;
  tier: string;
  type: string;
  names: string[];
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
    '',
  ].join('\n');
}
