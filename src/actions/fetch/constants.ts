/** Names of the fetch action's inputs, outputs and state entries (kebab-case, as in action.yml). */
export const INPUT = {
  url: 'url',
  agentKey: 'agent-key',
  secrets: 'secrets',
  audience: 'audience',
  scopes: 'scopes',
  ttl: 'ttl',
  exportEnv: 'export-env',
  exportFile: 'export-file',
  exportFileFormat: 'export-file-format',
  revoke: 'revoke',
  maskMinLength: 'mask-min-length',
  timeout: 'timeout',
  caCert: 'ca-cert',
  approvalTimeout: 'approval-timeout',
} as const;

export const OUTPUT = {
  tokenId: 'token-id',
  expiresAt: 'expires-at',
  exportFile: 'export-file',
  approvalId: 'approval-id',
} as const;

/** GITHUB_STATE entries: how main hands the revocation handle and the audit record to post. */
export const STATE = {
  url: 'url',
  token: 'token',
  tokenId: 'token-id',
  expiresAt: 'expires-at',
  agent: 'agent',
  scopes: 'scopes',
  exportFile: 'export-file',
  report: 'report',
  revoke: 'revoke',
  stage: 'stage',
  /** The approval requests the main step met (ApprovalRecord[] as JSON), for the post step's summary. */
  approvals: 'approvals',
} as const;

export const ACTION_NAME = 'agent-secret-store';
