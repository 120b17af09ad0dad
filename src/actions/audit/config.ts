import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type AnomalyConfigInput, checkAnomalyConfig } from '../../api/anomaly-config.js';
import { Since } from '../../api/schemas.js';
import { parseCredential } from '../../core/credentials.js';
import { AppError } from '../../core/errors.js';
import { isLoopbackHost } from '../../core/net.js';
import { inputField, parseVaultUrl } from '../common/inputs.js';
import { parseCaCert } from '../fetch/config.js';
import { DEFAULT_MAX_RECORDS, INPUT } from './constants.js';
import { SEVERITY_RANK, type Severity } from './findings.js';

export type { AnomalyConfigInput };
export type FailOn = Severity | 'none';

/** The audit action's inputs, parsed and validated once. */
export interface AuditConfig {
  url: string;
  /** How the action authenticates: an agent key exchanged with the job's OIDC token, or a token as is. */
  credential: { kind: 'agent-key'; agentKey: string } | { kind: 'token'; token: string };
  audience: string;
  caCert: string | undefined;
  /** The report's window as the vault takes it (a duration or an ISO time); undefined: since the last run, else 24h. */
  since: string | undefined;
  failOn: FailOn;
  /** Where the previous checkpoint is read from and the new one written to (absolute); undefined: none kept. */
  checkpointPath: string | undefined;
  /** The anomaly checks' configuration (the `config` body of POST /v1/audit/anomalies). */
  anomalyConfig: AnomalyConfigInput | undefined;
  webhookUrl: string | undefined;
  /** The Ed25519 key (raw, base64) checkpoints must be signed with; undefined: the previous checkpoint's. */
  publicKey: string | undefined;
  maxRecords: number;
}

export type InputReader = (name: string) => string;

const optional = (v: string) => (v.trim() === '' ? undefined : v.trim());

/** A file input: resolved against the workspace (the step's working directory). */
const resolveIn = (workspace: string, file: string) => path.resolve(workspace, file);

function parseConfigFile(file: string): AnomalyConfigInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(
      `Input "config": ${JSON.stringify(file)} could not be read (${(e as { code?: string }).code ?? 'error'}); check out the repository first, or fix the path.`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`Input "config": ${JSON.stringify(file)} is not JSON; docs/anomalies.md shows the format.`);
  }
  const checked = checkAnomalyConfig(raw);
  if (!checked.ok) throw new Error(`Input "config": in ${JSON.stringify(file)}, ${checked.problem} (docs/anomalies.md).`);
  return checked.config;
}

function parsePublicKey(v: string): string | undefined {
  const text = v.trim();
  if (text === '') return undefined;
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text) || Buffer.from(text, 'base64').length !== 32) {
    throw new Error(
      'Input "public-key" must be the vault\'s Ed25519 audit key as base64 (44 characters, the `publicKey` field of `ass audit checkpoint`).',
    );
  }
  return text;
}

const schema = (workspace: string) =>
  z.object({
    [INPUT.url]: inputField(INPUT.url, parseVaultUrl),
    [INPUT.agentKey]: inputField(INPUT.agentKey, (v) => {
      const text = optional(v);
      if (text !== undefined && parseCredential(text)?.kind !== 'agent') {
        throw new Error(
          'Input "agent-key" is not an agent key (ass_a_ followed by 65 letters and digits); pass the key `ass agents create` printed.',
        );
      }
      return text;
    }),
    [INPUT.token]: inputField(INPUT.token, (v) => {
      const text = optional(v);
      if (text === undefined) return undefined;
      const kind = parseCredential(text)?.kind;
      if (kind === 'agent')
        throw new Error('Input "token" holds an agent key; pass it as agent-key (it is exchanged with the job\'s OIDC token).');
      if (kind === undefined) {
        throw new Error(
          'Input "token" is not a vault credential: pass the token of a user with the auditor role (ass users create NAME --role auditor), from a secret.',
        );
      }
      return text;
    }),
    [INPUT.audience]: z.string(),
    [INPUT.caCert]: inputField(INPUT.caCert, (v) => parseCaCert(v)),
    [INPUT.since]: inputField(INPUT.since, (v) => {
      const text = optional(v);
      if (text === undefined) return undefined;
      if (!Since().safeParse(text).success) {
        throw new Error(
          `Input "since" ${JSON.stringify(text.slice(0, 40))} must be a duration back from now (15m, 24h, 7d) or an ISO time (2026-01-31T12:00:00Z); leave it empty for "since the last run".`,
        );
      }
      return text;
    }),
    [INPUT.failOn]: inputField(INPUT.failOn, (v) => {
      const text = v.trim() || 'critical';
      if (text !== 'none' && !(text in SEVERITY_RANK)) throw new Error('Input "fail-on" must be none, info, warning or critical.');
      return text as FailOn;
    }),
    [INPUT.checkpointPath]: inputField(INPUT.checkpointPath, (v) => {
      const text = optional(v);
      return text === undefined ? undefined : resolveIn(workspace, text);
    }),
    [INPUT.config]: inputField(INPUT.config, (v) => {
      const text = optional(v);
      return text === undefined ? undefined : parseConfigFile(resolveIn(workspace, text));
    }),
    [INPUT.webhookUrl]: inputField(INPUT.webhookUrl, (v) => {
      const text = optional(v);
      if (text === undefined) return undefined;
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        throw new Error('Input "webhook-url" is not a URL; pass it from a secret, such as webhook-url: ${{ secrets.AUDIT_WEBHOOK_URL }}.');
      }
      // Only the origin is ever shown: a webhook's path usually is its credential.
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
        throw new Error(
          `Input "webhook-url" (${url.protocol}//${url.host}) must use https; plain http is accepted only on a loopback address.`,
        );
      }
      return text;
    }),
    [INPUT.publicKey]: inputField(INPUT.publicKey, parsePublicKey),
    [INPUT.maxRecords]: inputField(INPUT.maxRecords, (v) => {
      const text = v.trim();
      if (text === '') return DEFAULT_MAX_RECORDS;
      if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 10_000_000) {
        throw new Error(`Input "max-records" must be a whole number from 1 to 10000000 (default ${DEFAULT_MAX_RECORDS}).`);
      }
      return Number(text);
    }),
  });

/**
 * Reads every input once and returns the typed config, or throws one AppError('invalid_input')
 * listing every bad input with its fix. Secret inputs (the agent key, the token, the webhook URL)
 * are never echoed. File inputs are resolved against `workspace` (the step's working directory).
 */
export function parseConfig(getInput: InputReader, workspace = process.cwd()): AuditConfig {
  const raw: Record<string, string> = {};
  for (const name of Object.values(INPUT)) raw[name] = getInput(name) ?? '';
  const messages: string[] = [];
  const given = (name: string) => (raw[name] ?? '').trim() !== '';
  if (given(INPUT.agentKey) && given(INPUT.token)) {
    messages.push(
      'Give either "agent-key" (an agent holding audit:read, with the job\'s OIDC token) or "token" (an auditor\'s token), not both.',
    );
  } else if (!given(INPUT.agentKey) && !given(INPUT.token)) {
    messages.push(
      'Input "agent-key" or "token" is required: an agent key whose agent holds audit:read (agent-key: ${{ secrets.ASS_AUDIT_AGENT_KEY }}), or the token of a user with the auditor role.',
    );
  }
  const result = schema(workspace).safeParse(raw);
  if (!result.success) messages.unshift(...result.error.issues.map((i) => i.message));
  if (!result.success || messages.length > 0) throw new AppError('invalid_input', [...new Set(messages)].join('\n'));
  const r = result.data;
  const agentKey = r[INPUT.agentKey];
  const token = r[INPUT.token];
  return {
    url: r[INPUT.url],
    credential: agentKey ? { kind: 'agent-key', agentKey } : { kind: 'token', token: token as string },
    audience: r[INPUT.audience].trim() || r[INPUT.url],
    caCert: r[INPUT.caCert],
    since: r[INPUT.since],
    failOn: r[INPUT.failOn],
    checkpointPath: r[INPUT.checkpointPath],
    anomalyConfig: r[INPUT.config],
    webhookUrl: r[INPUT.webhookUrl],
    publicKey: r[INPUT.publicKey],
    maxRecords: r[INPUT.maxRecords],
  };
}
