import { z } from 'zod';
import { parseCredential } from '../../core/credentials.js';
import { parseDuration } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { parseSecretPath } from '../../core/paths.js';
import { parseScope } from '../../core/scopes.js';
import { booleanField, inputField, parseVaultUrl } from '../common/inputs.js';
import { parseCaCert } from '../fetch/config.js';
import { INPUT } from './constants.js';

/** The rotate action's inputs, parsed and validated once. */
export interface RotateConfig {
  url: string;
  agentKey: string;
  /** The paths to rotate now; empty: every secret due within the pipeline token's rotate scopes. */
  paths: string[];
  dryRun: boolean;
  /** Run `command` policies (their scripts run in this job, with its credentials). */
  allowCommands: boolean;
  githubToken: string | undefined;
  audience: string;
  /** Scopes requested in the exchange (never empty). */
  scopes: string[];
  ttlSeconds: number;
  failOnError: boolean;
  caCert: string | undefined;
}

export type InputReader = (name: string) => string;

const schema = z.object({
  [INPUT.url]: inputField(INPUT.url, parseVaultUrl),
  [INPUT.agentKey]: inputField(INPUT.agentKey, (v) => {
    const text = v.trim();
    if (text === '')
      throw new Error('Input "agent-key" is required: pass it from a secret, such as agent-key: ${{ secrets.ASS_AGENT_KEY }}.');
    if (parseCredential(text)?.kind !== 'agent') {
      throw new Error(
        'Input "agent-key" is not an agent key (ass_a_ followed by 65 letters and digits); pass the key printed by `ass agents create`.',
      );
    }
    return text;
  }),
  [INPUT.paths]: inputField(INPUT.paths, (v) => {
    const paths = v
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter((s) => s !== '' && !s.startsWith('#'))
      .map((s) => parseSecretPath(s, 'path in input "paths"'));
    return [...new Set(paths)];
  }),
  [INPUT.dryRun]: booleanField(INPUT.dryRun, false),
  [INPUT.allowCommands]: booleanField(INPUT.allowCommands, false),
  [INPUT.githubToken]: z.string(),
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
    if (seconds < 60 || seconds > 6 * 3600) throw new Error('Input "ttl" must be between 1m and 6h.');
    return seconds;
  }),
  [INPUT.failOnError]: booleanField(INPUT.failOnError, true),
  [INPUT.caCert]: inputField(INPUT.caCert, (v) => parseCaCert(v)),
});

/**
 * The scopes a rotation needs: rotate (begin, put pending, finish) and read (the current value the
 * rotator is given) on each path, or on everything when the run takes whatever is due. The vault
 * refuses an exchange that asks for more than the agent holds; it does not narrow the request.
 */
export function defaultScopes(paths: readonly string[]): string[] {
  const targets = paths.length > 0 ? paths : ['*'];
  return targets.flatMap((p) => [`secrets:rotate:${p}`, `secrets:read:${p}`]);
}

/**
 * Reads every input once and returns the typed config, or throws one AppError('invalid_input')
 * listing every bad input with its fix. No input value is echoed but the non-secret ones.
 */
export function parseConfig(getInput: InputReader): RotateConfig {
  const raw: Record<string, string> = {};
  for (const name of Object.values(INPUT)) raw[name] = getInput(name) ?? '';
  const result = schema.safeParse(raw);
  if (!result.success) {
    const messages = [...new Set(result.error.issues.map((i) => i.message))];
    throw new AppError('invalid_input', messages.join('\n'));
  }
  const r = result.data;
  const paths = r[INPUT.paths];
  const scopes = r[INPUT.scopes].length > 0 ? r[INPUT.scopes] : defaultScopes(paths);
  return {
    url: r[INPUT.url],
    agentKey: r[INPUT.agentKey],
    paths,
    dryRun: r[INPUT.dryRun],
    allowCommands: r[INPUT.allowCommands],
    githubToken: r[INPUT.githubToken].trim() || undefined,
    audience: r[INPUT.audience].trim() || r[INPUT.url],
    scopes,
    ttlSeconds: r[INPUT.ttl],
    failOnError: r[INPUT.failOnError],
    caCert: r[INPUT.caCert],
  };
}
