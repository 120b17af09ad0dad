import { z } from 'zod';
import { parseCredential } from '../../core/credentials.js';
import { parseDuration } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { parseScope } from '../../core/scopes.js';
import { booleanField, inputField, parseVaultUrl } from '../common/inputs.js';
import { INPUT } from './constants.js';
import { DEFAULT_MASK_MIN_LENGTH } from './masking.js';
import type { SecretRequest } from './secrets-spec.js';
import { parseSecretsSpec, scopesFor } from './secrets-spec.js';

/** The action's inputs, parsed and validated once. */
export interface FetchConfig {
  url: string;
  agentKey: string;
  secrets: SecretRequest[];
  audience: string;
  /** Scopes requested in the exchange (never empty); by default exactly the paths and prefixes in `secrets`. */
  scopes: string[];
  ttlSeconds: number;
  exportEnv: boolean;
  exportFile: boolean;
  exportFileFormat: 'dotenv' | 'json';
  revoke: boolean;
  maskMinLength: number;
  timeoutMs: number;
  /** PEM certificate(s) to trust for a vault whose certificate comes from a private CA. */
  caCert: string | undefined;
  /** How long to wait for a human approval the vault asks for (ms); 0: fail at once with the instructions. */
  approvalTimeoutMs: number;
}

export type InputReader = (name: string) => string;

const required = (name: string, example: string) => (v: string) => {
  if (v.trim() === '') throw new Error(`Input "${name}" is required: ${example}.`);
  return v.trim();
};

const schema = z.object({
  [INPUT.url]: inputField(INPUT.url, parseVaultUrl),
  [INPUT.agentKey]: inputField(INPUT.agentKey, (v) => {
    const text = required(
      INPUT.agentKey,
      'pass the agent key from a repository or environment secret, such as agent-key: ${{ secrets.ASS_AGENT_KEY }}',
    )(v);
    const parsed = parseCredential(text);
    if (parsed?.kind !== 'agent') {
      throw new Error(
        'Input "agent-key" is not an agent key (ass_a_ followed by 65 letters and digits); pass the key printed by `ass agents create`, from a secret.',
      );
    }
    return text;
  }),
  [INPUT.secrets]: inputField(INPUT.secrets, (v) => parseSecretsSpec(v)),
  [INPUT.audience]: z.string(),
  [INPUT.scopes]: inputField(INPUT.scopes, (v) =>
    v
      .split(/[\s,]+/)
      .filter((s) => s !== '')
      .map((s) => {
        parseScope(s);
        return s;
      }),
  ),
  [INPUT.ttl]: inputField(INPUT.ttl, (v) => {
    const seconds = parseDuration(v.trim() === '' ? '15m' : v.trim(), 'input "ttl"');
    if (seconds < 60 || seconds > 6 * 3600)
      throw new Error('Input "ttl" must be between 1m and 6h; the token is revoked at the end of the job anyway.');
    return seconds;
  }),
  [INPUT.exportEnv]: booleanField(INPUT.exportEnv, true),
  [INPUT.exportFile]: booleanField(INPUT.exportFile, false),
  [INPUT.exportFileFormat]: inputField(INPUT.exportFileFormat, (v) => {
    const t = v.trim() || 'dotenv';
    if (t !== 'dotenv' && t !== 'json') throw new Error('Input "export-file-format" must be dotenv or json.');
    return t as 'dotenv' | 'json';
  }),
  [INPUT.revoke]: booleanField(INPUT.revoke, true),
  [INPUT.maskMinLength]: inputField(INPUT.maskMinLength, (v) => {
    const t = v.trim();
    if (t === '') return DEFAULT_MASK_MIN_LENGTH;
    if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 64)
      throw new Error('Input "mask-min-length" must be a whole number from 1 to 64 (default 4).');
    return Number(t);
  }),
  [INPUT.timeout]: inputField(INPUT.timeout, (v) => {
    const seconds = parseDuration(v.trim() === '' ? '60s' : v.trim(), 'input "timeout"');
    if (seconds > 3600) throw new Error('Input "timeout" must be at most 1h.');
    return seconds * 1000;
  }),
  [INPUT.caCert]: inputField(INPUT.caCert, (v) => parseCaCert(v)),
  [INPUT.approvalTimeout]: inputField(INPUT.approvalTimeout, (v) => parseApprovalTimeout(v) * 1000),
});

/** The longest `approval-timeout`: a day, the vault's default for a request to wait (and past a hosted runner's 6 h job limit). */
export const MAX_APPROVAL_TIMEOUT_SECONDS = 24 * 3600;

/** The `approval-timeout` input in seconds: empty or `0` (any unit) is 0, no wait; else a duration up to a day. */
export function parseApprovalTimeout(v: string): number {
  const text = v.trim();
  if (text === '' || /^0+[smhd]?$/.test(text)) return 0;
  const seconds = parseDuration(text, 'input "approval-timeout"');
  if (seconds > MAX_APPROVAL_TIMEOUT_SECONDS) {
    throw new Error(
      'Input "approval-timeout" must be at most 24h; give the job a matching timeout-minutes (a GitHub-hosted job ends after 6h anyway).',
    );
  }
  return seconds;
}

/** The `ca-cert` input: empty, or PEM certificates (never a private key: that would be a leak). */
export function parseCaCert(v: string): string | undefined {
  const text = v.trim();
  if (text === '') return undefined;
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new Error(
      'Input "ca-cert" holds a private key; give only the CA certificate (-----BEGIN CERTIFICATE-----), and rotate that key if it was stored in a workflow.',
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(
      'Input "ca-cert" must be PEM certificate text (-----BEGIN CERTIFICATE----- ...), such as ca-cert: ${{ vars.VAULT_CA_CERT }}.',
    );
  }
  return `${text}\n`;
}

/**
 * Reads every input once and returns the typed config, or throws one AppError('invalid_input')
 * listing every bad input with its fix. Input values are never echoed except for non-secret ones.
 */
export function parseConfig(getInput: InputReader): FetchConfig {
  const raw: Record<string, string> = {};
  for (const name of Object.values(INPUT)) raw[name] = getInput(name) ?? '';
  const result = schema.safeParse(raw);
  if (!result.success) {
    const messages = [...new Set(result.error.issues.map((i) => i.message))];
    throw new AppError('invalid_input', messages.join('\n'));
  }
  const r = result.data;
  const audience = r[INPUT.audience].trim() || r[INPUT.url];
  const secrets = r[INPUT.secrets];
  // Never empty: an exchange without scopes would get every scope the agent has. scopesFor throws
  // (an input error asking for the `scopes` input) rather than return none.
  const scopes = r[INPUT.scopes].length > 0 ? r[INPUT.scopes] : scopesFor(secrets);
  if (scopes.length === 0) throw new AppError('internal', 'No scopes to request; set the "scopes" input.');
  return {
    url: r[INPUT.url],
    agentKey: r[INPUT.agentKey],
    secrets,
    audience,
    scopes,
    ttlSeconds: r[INPUT.ttl],
    exportEnv: r[INPUT.exportEnv],
    exportFile: r[INPUT.exportFile],
    exportFileFormat: r[INPUT.exportFileFormat],
    revoke: r[INPUT.revoke],
    maskMinLength: r[INPUT.maskMinLength],
    timeoutMs: r[INPUT.timeout],
    caCert: r[INPUT.caCert],
    approvalTimeoutMs: r[INPUT.approvalTimeout],
  };
}
