import { TOKEN_STATE } from '../common/revoke.js';
/** Names of the rotate action's inputs, outputs and state entries (kebab-case, as in rotate/action.yml). */
export const INPUT = {
  url: 'url',
  agentKey: 'agent-key',
  paths: 'paths',
  dryRun: 'dry-run',
  allowCommands: 'allow-commands',
  githubToken: 'github-token',
  audience: 'audience',
  scopes: 'scopes',
  ttl: 'ttl',
  failOnError: 'fail-on-error',
  caCert: 'ca-cert',
} as const;

export const OUTPUT = {
  rotated: 'rotated',
  failed: 'failed',
  skipped: 'skipped',
  wouldRotate: 'would-rotate',
  revoked: 'revoked',
  tokenId: 'token-id',
} as const;

/** GITHUB_STATE entries: how main hands the revocation handle to post. */
export const STATE = TOKEN_STATE;
