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

/** Escapes text for HTML (and so for GitHub's Markdown, which passes HTML blocks through). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`|\\*_[\]]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const code = (t: string) => `<code>${escapeHtml(t)}</code>`;

export function renderSummary(s: SummaryInput): string {
  const rows = s.secrets
    .map(
      (r) =>
        `<tr><td>${code(r.path)}</td><td>${r.version}</td><td>${escapeHtml(r.tier)}</td><td>${escapeHtml(r.type)}</td><td>${r.names.map(code).join(' ')}</td></tr>`,
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
    ['Vault', s.vaultUrl ? code(s.vaultUrl) : '-'],
    ['Agent', s.agent ? code(s.agent) : '-'],
    ['Pipeline token id', s.tokenId ? code(s.tokenId) : '-'],
    ['Scopes', s.scopes?.length ? s.scopes.map(code).join('<br>') : '-'],
    ['Expires at', s.expiresAt ? escapeHtml(s.expiresAt) : '-'],
    ['Revoked', escapeHtml(revoked + (s.revocation.detail ? ` (${s.revocation.detail})` : ''))],
  ];
  if (s.exportFile) facts.push(['Export file', `${code(s.exportFile.path)} ${s.exportFile.deleted ? 'deleted' : 'not deleted'}`]);
  return [
    '<h3>Agent Secret Store: secrets fetched</h3>',
    s.secrets.length
      ? `<table>\n<tr><th>Path</th><th>Version</th><th>Tier</th><th>Type</th><th>Exported as</th></tr>\n${rows}\n</table>`
      : '<p>No secrets were read.</p>',
    `<table>\n${facts.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`).join('\n')}\n</table>`,
    '',
  ].join('\n');
}
