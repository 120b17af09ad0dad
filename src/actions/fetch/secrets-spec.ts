import { AppError } from '../../core/errors.js';
import { parseSecretPath } from '../../core/paths.js';

/**
 * One line of the `secrets` input.
 * - `PATH`            → one secret, exported as the last segment upper-cased (`-` and `.` become `_`)
 * - `PATH => NAME`    → one secret, exported as NAME
 * - `PREFIX/*`        → every secret below PREFIX, each named after its path below the prefix
 *                       (`app/*` reads `app/db/password` as DB_PASSWORD)
 * - `PREFIX/* => P_`  → the same, with P_ put in front of each derived name
 */
export type SecretRequest =
  | { kind: 'path'; line: number; path: string; name: string }
  | { kind: 'prefix'; line: number; prefix: string; namePrefix: string };

export interface SecretRecord {
  path: string;
  version: number;
  value: string;
  type: string;
  tier: string;
}

export interface ResolvedExport {
  name: string;
  path: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names a step must never overwrite: the runner's own variables and ones that change how programs run. */
export function isReservedName(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    /^(GITHUB|RUNNER|ACTIONS|INPUT|STATE)_/.test(upper) ||
    /^(LD|DYLD)_/.test(upper) ||
    ['PATH', 'NODE_OPTIONS', 'NODE_PATH', 'BASH_ENV', 'ENV', 'HOME', 'SHELL', 'IFS', 'CI', 'PS4', 'PROMPT_COMMAND', 'PYTHONPATH', 'PYTHONSTARTUP', 'PERL5OPT', 'RUBYOPT', 'JAVA_TOOL_OPTIONS'].includes(upper)
  );
}

/** `production/payments/stripe-key` → `STRIPE_KEY`; `a/b` relative parts are joined with `_`. */
export function deriveEnvName(segments: readonly string[]): string {
  return segments.map((s) => s.toUpperCase().replace(/[-.]/g, '_')).join('_');
}

function fail(line: number, message: string): AppError {
  return new AppError('invalid_input', `Input "secrets", line ${line}: ${message}`);
}

function checkName(name: string, line: number, fix: string): string {
  if (!ENV_NAME.test(name)) {
    throw fail(line, `${JSON.stringify(name.slice(0, 80))} is not a valid environment variable name (letters, digits and '_', not starting with a digit); ${fix}`);
  }
  if (isReservedName(name)) {
    throw fail(line, `${name} is reserved (runner, loader or shell variable); choose another name with \`PATH => NAME\`.`);
  }
  return name;
}

/** Parses the `secrets` input (one request per line; blank lines and `#` comments ignored). */
export function parseSecretsSpec(text: string): SecretRequest[] {
  const out: SecretRequest[] = [];
  const names = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = (lines[i] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const parts = raw.split('=>');
    if (parts.length > 2) throw fail(line, 'use at most one "=>" (PATH => NAME).');
    const left = (parts[0] ?? '').trim();
    const right = parts.length === 2 ? (parts[1] ?? '').trim() : undefined;
    if (right === '') throw fail(line, 'nothing follows "=>"; write PATH => NAME or leave out "=>".');
    if (left === '*' || left === '/*') throw fail(line, 'reading every secret is not supported; name a prefix such as production/app/*.');
    if (left.endsWith('/*')) {
      let prefix: string;
      try {
        prefix = parseSecretPath(left.slice(0, -2), 'prefix');
      } catch (err) {
        throw fail(line, (err as Error).message);
      }
      if (right !== undefined && !NAME_PREFIX.test(right)) {
        throw fail(line, `the name prefix ${JSON.stringify(right.slice(0, 80))} must be letters, digits and '_' (such as APP_).`);
      }
      out.push({ kind: 'prefix', line, prefix, namePrefix: right ?? '' });
      continue;
    }
    let path: string;
    try {
      path = parseSecretPath(left);
    } catch (err) {
      throw fail(line, `${(err as Error).message}${left.includes('*') ? " ('*' is allowed only as the whole last segment: PREFIX/*)" : ''}`);
    }
    const segments = path.split('/');
    const name =
      right !== undefined
        ? checkName(right, line, 'write PATH => NAME with a valid NAME.')
        : checkName(deriveEnvName([segments[segments.length - 1] as string]), line, `name it explicitly: \`${path} => NAME\`.`);
    const seen = names.get(name);
    if (seen !== undefined) throw fail(line, `the name ${name} is already used on line ${seen}; give one of them another name with \`PATH => NAME\`.`);
    names.set(name, line);
    out.push({ kind: 'path', line, path, name });
  }
  if (out.length === 0) {
    throw new AppError('invalid_input', 'Input "secrets" is empty: list one secret path per line (PATH, PATH => NAME, or PREFIX/*).');
  }
  return out;
}

/** The batch-read request for a parsed spec. */
export function batchRequestFor(requests: readonly SecretRequest[]): { paths: string[]; prefixes: string[] } {
  const paths = new Set<string>();
  const prefixes = new Set<string>();
  for (const r of requests) {
    if (r.kind === 'path') paths.add(r.path);
    else prefixes.add(r.prefix);
  }
  return { paths: [...paths], prefixes: [...prefixes] };
}

/** The vault's limit on the number of scopes in one request. */
export const MAX_REQUESTED_SCOPES = 64;

/**
 * Least-privilege scopes to request in the exchange: exactly what the spec reads. Past the vault's
 * limit on scopes per request, paths that share a parent are requested as `parent/*`; if that is
 * still too many, no scopes are requested (the token gets the agent's scopes ∩ the trust policy).
 */
export function scopesFor(requests: readonly SecretRequest[], max = MAX_REQUESTED_SCOPES): string[] {
  const exact = new Set<string>();
  for (const r of requests) exact.add(r.kind === 'path' ? `secrets:read:${r.path}` : `secrets:read:${r.prefix}/*`);
  if (exact.size <= max) return [...exact];
  const grouped = new Set<string>();
  for (const r of requests) {
    if (r.kind === 'prefix') grouped.add(`secrets:read:${r.prefix}/*`);
    else {
      const parent = r.path.includes('/') ? r.path.slice(0, r.path.lastIndexOf('/')) : undefined;
      grouped.add(parent ? `secrets:read:${parent}/*` : `secrets:read:${r.path}`);
    }
  }
  return grouped.size <= max ? [...grouped] : [];
}

/**
 * Maps the secrets the vault returned to the names they are exported under. Fails (naming both
 * paths) when two secrets would land on one name, when a requested path is missing from the
 * answer, or when a prefix matched nothing.
 */
export function resolveExports(requests: readonly SecretRequest[], secrets: readonly SecretRecord[]): ResolvedExport[] {
  const byPath = new Map(secrets.map((s) => [s.path, s]));
  const out: ResolvedExport[] = [];
  const owner = new Map<string, string>();
  const add = (name: string, path: string, line: number) => {
    const prev = owner.get(name);
    if (prev !== undefined && prev !== path) {
      throw fail(line, `${path} and ${prev} would both be exported as ${name}; list one of them explicitly with \`PATH => NAME\`, or give the prefix a name prefix (\`PREFIX/* => APP_\`).`);
    }
    if (prev === path) return;
    owner.set(name, path);
    out.push({ name, path });
  };
  for (const r of requests) {
    if (r.kind === 'path') {
      if (!byPath.has(r.path)) throw fail(r.line, `the vault returned no secret ${r.path}.`);
      add(r.name, r.path, r.line);
      continue;
    }
    const below = secrets.filter((s) => s.path.startsWith(`${r.prefix}/`)).sort((a, b) => a.path.localeCompare(b.path));
    if (below.length === 0) {
      throw fail(r.line, `${r.prefix}/* matched no secrets; check the prefix, or remove the line.`);
    }
    for (const s of below) {
      const name = r.namePrefix + deriveEnvName(s.path.slice(r.prefix.length + 1).split('/'));
      checkName(name, r.line, `list ${s.path} explicitly with \`${s.path} => NAME\`.`);
      add(name, s.path, r.line);
    }
  }
  return out;
}
