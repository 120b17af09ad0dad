import { TOKEN_STATE } from '../common/revoke.js';
/** Names of the audit action's inputs, outputs and state entries (kebab-case, as in audit/action.yml). */
export const INPUT = {
  url: 'url',
  agentKey: 'agent-key',
  token: 'token',
  audience: 'audience',
  caCert: 'ca-cert',
  since: 'since',
  failOn: 'fail-on',
  checkpointPath: 'checkpoint-path',
  config: 'config',
  webhookUrl: 'webhook-url',
  publicKey: 'public-key',
  maxRecords: 'max-records',
} as const;

export const OUTPUT = {
  anomalies: 'anomalies',
  verified: 'verified',
  checkpoint: 'checkpoint',
} as const;

/** GITHUB_STATE entries: the pipeline token, for the post step to revoke if main could not. */
export const STATE = TOKEN_STATE;

/** The only scope the action asks for: the audit log, no secret. */
export const AUDIT_SCOPES = ['audit:read'];
/** The pipeline token's lifetime: the report takes seconds; the token is revoked at the end anyway. */
export const TOKEN_TTL_SECONDS = 600;
/** Records read per page while checking the chain. */
export const PAGE = 5000;
export const DEFAULT_MAX_RECORDS = 100_000;
