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

/**
 * Environment variables that change how programs run, what they load, or where they connect and
 * whom they trust. A secret exported under one of these names would let whoever can write that
 * secret run code in, or intercept the traffic of, every later step of the job
 * (`production/app/git-ssh-command` → GIT_SSH_COMMAND). Compared upper-cased, so `npm_config_x`
 * and `http_proxy` are covered too.
 */
const RESERVED_EXACT = new Set([
  // remote shells and hooks other tools run, TLS configuration and key logs, Windows command lookup
  'RSYNC_RSH',
  'CVS_RSH',
  'SVN_SSH',
  'LUA_INIT',
  'LUA_INIT_5_1',
  'LUA_INIT_5_2',
  'LUA_INIT_5_3',
  'LUA_INIT_5_4',
  'LUA_PATH',
  'LUA_CPATH',
  'LESSOPEN',
  'LESSCLOSE',
  'LESSKEY',
  'OPENSSL_CONF',
  'OPENSSL_ENGINES',
  'OPENSSL_MODULES',
  'SSLKEYLOGFILE',
  'COMSPEC',
  'PATHEXT',
  'PSMODULEPATH',
  'SYSTEMROOT',
  'WINDIR',
  'APPDATA',
  'LOCALAPPDATA',
  'USERPROFILE',
  'PROGRAMDATA',
  // the runner, the shell and the dynamic loader
  'PATH',
  'CI',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'PWD',
  'OLDPWD',
  'ENV',
  'IFS',
  'CDPATH',
  'GLOBIGNORE',
  'SHELLOPTS',
  'BASHOPTS',
  'PROMPT_COMMAND',
  'PS0',
  'PS1',
  'PS2',
  'PS3',
  'PS4',
  'MAIL',
  'MAILCHECK',
  'MAILPATH',
  'HISTFILE',
  'INPUTRC',
  'ZDOTDIR',
  'POSIXLY_CORRECT',
  'TERMINFO',
  'TERMINFO_DIRS',
  'GCONV_PATH',
  'LOCPATH',
  'NLSPATH',
  'HOSTALIASES',
  'RES_OPTIONS',
  'LOCALDOMAIN',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TZDIR',
  // programs that other programs start
  'EDITOR',
  'VISUAL',
  'PAGER',
  'MANPAGER',
  'BROWSER',
  'SUDO_ASKPASS',
  // ssh and gpg (not SSH_*/GPG_* as a whole: SSH_PRIVATE_KEY and GPG_PASSPHRASE are ordinary secret names)
  'SSH_ASKPASS',
  'SSH_ASKPASS_REQUIRE',
  'SSH_AUTH_SOCK',
  'SSH_AGENT_PID',
  'SSH_SK_PROVIDER',
  'GNUPGHOME',
  'GPG_AGENT_INFO',
  'GPG_TTY',
  // JVM and build tools
  '_JAVA_OPTIONS',
  'JAVA_TOOL_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'JAVA_OPTS',
  'JAVA_HOME',
  'CLASSPATH',
  'MAVEN_OPTS',
  'MAVEN_ARGS',
  'GRADLE_OPTS',
  'GRADLE_USER_HOME',
  'SBT_OPTS',
  // trust and connections
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  'CURL_HOME',
  'WGETRC',
  'NETRC',
  // (not DOCKER_* as a whole: DOCKER_PASSWORD is an ordinary secret name)
  'DOCKER_HOST',
  'DOCKER_CONFIG',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
  'DOCKER_TLS',
  'DOCKER_CONTEXT',
  'DOCKER_API_VERSION',
  'BUILDKIT_HOST',
  'KUBECONFIG',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CA_BUNDLE',
  'AWS_ENDPOINT_URL',
  'CLOUDSDK_CONFIG',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'AZURE_CONFIG_DIR',
  'XDG_CONFIG_HOME',
  'XDG_CONFIG_DIRS',
  'XDG_DATA_HOME',
  'XDG_DATA_DIRS',
  'XDG_CACHE_HOME',
  'XDG_RUNTIME_DIR',
  // other interpreters and package managers
  'RUSTC_WRAPPER',
  'RUSTFLAGS',
  'RUSTDOCFLAGS',
  'CARGO_HOME',
  'RUSTUP_HOME',
  'GOFLAGS',
  'GOPROXY',
  'GONOSUMDB',
  'GONOSUMCHECK',
  'GOSUMDB',
  'GOPRIVATE',
  'GOINSECURE',
  'GOPATH',
  'GOROOT',
  'GOTOOLCHAIN',
  'CGO_CFLAGS',
  'CGO_LDFLAGS',
  'CC',
  'CXX',
  'LD',
  'CFLAGS',
  'CXXFLAGS',
  'CPPFLAGS',
  'LDFLAGS',
  'MAKEFLAGS',
  'COMPOSER_HOME',
  'PHPRC',
  'PHP_INI_SCAN_DIR',
  'DOTNET_ROOT',
  'DOTNET_STARTUP_HOOKS',
  'DOTNET_ADDITIONAL_DEPS',
  'CORECLR_PROFILER',
  'CORECLR_PROFILER_PATH',
  'CORECLR_ENABLE_PROFILING',
  'NUGET_PACKAGES',
  'ELECTRON_RUN_AS_NODE',
  'DENO_DIR',
  'BUN_INSTALL',
]);

/** Families of such variables, by name prefix. */
const RESERVED_PREFIXES = [
  'GITHUB_',
  'RUNNER_',
  'ACTIONS_',
  'INPUT_',
  'STATE_', // the runner's own
  'LD_',
  'DYLD_',
  'BASH_',
  'LC_', // the loader, the shell, the locale
  'GIT_',
  'KUBE',
  'HELM_',
  'AWS_ENDPOINT_URL', // git, Kubernetes, AWS endpoints
  'NODE_',
  'NPM_CONFIG_',
  'YARN_',
  'PNPM_',
  'COREPACK_', // Node.js (NODE_OPTIONS, NODE_EXTRA_CA_CERTS, npm_config_registry…)
  'PYTHON',
  'PIP_',
  'UV_',
  'POETRY_',
  'PIPENV_',
  'CONDA',
  'VIRTUAL_ENV', // Python (PYTHONPATH, PYTHONSTARTUP, PIP_INDEX_URL…)
  'PERL5',
  'PERL_',
  'PERLLIB',
  'PERLIO',
  'RUBY',
  'GEM_',
  'BUNDLE_', // Perl and Ruby
];

/** Names spelled out as `PATH => NAME` that are credentials, not behaviour: allowed there, never for a derived name. */
const EXPLICIT_CREDENTIAL_NAMES = new Set(['NODE_AUTH_TOKEN', 'YARN_NPM_AUTH_TOKEN', 'GEM_HOST_API_KEY']);

/** `<scheme>_PROXY` (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY, SOCKS_PROXY…), as curl and most HTTP clients read them. */
const PROXY = /^[A-Z0-9]+_PROXY$/;

/**
 * Names an exported secret must never take: the runner's own variables and ones that change how
 * programs run or where they connect and whom they trust (RESERVED_EXACT, RESERVED_PREFIXES and
 * `<scheme>_PROXY`). Case-insensitive.
 */
export function isReservedName(name: string): boolean {
  const upper = name.toUpperCase();
  return RESERVED_EXACT.has(upper) || PROXY.test(upper) || RESERVED_PREFIXES.some((p) => upper.startsWith(p));
}

/** `production/payments/stripe-key` → `STRIPE_KEY`; `a/b` relative parts are joined with `_`. */
export function deriveEnvName(segments: readonly string[]): string {
  return segments.map((s) => s.toUpperCase().replace(/[-.]/g, '_')).join('_');
}

function fail(line: number, message: string): AppError {
  return new AppError('invalid_input', `Input "secrets", line ${line}: ${message}`);
}

/** Where a name came from, for the error message's fix. */
type NameOrigin =
  | { kind: 'explicit' }
  | { kind: 'derived'; path: string }
  | { kind: 'prefix'; path: string; prefix: string; namePrefix: string };

const RESERVED_WHY =
  "reserved: it is the runner's own or changes how later steps' programs run or where they connect (see \"Reserved names\" in the fetch action's docs)";

function checkName(name: string, line: number, origin: NameOrigin): string {
  if (!ENV_NAME.test(name)) {
    const fix =
      origin.kind === 'explicit'
        ? 'write PATH => NAME with a valid NAME.'
        : origin.kind === 'derived'
          ? `name it explicitly: \`${origin.path} => NAME\`.`
          : `list ${origin.path} explicitly with \`${origin.path} => NAME\`.`;
    throw fail(
      line,
      `${JSON.stringify(name.slice(0, 80))} is not a valid environment variable name (letters, digits and '_', not starting with a digit); ${fix}`,
    );
  }
  if (isReservedName(name) && !(origin.kind === 'explicit' && EXPLICIT_CREDENTIAL_NAMES.has(name.toUpperCase()))) {
    if (origin.kind === 'explicit') throw fail(line, `${name} is ${RESERVED_WHY}; choose another name with \`PATH => NAME\`.`);
    if (origin.kind === 'derived')
      throw fail(
        line,
        `${origin.path} would be exported as ${name}, which is ${RESERVED_WHY}; name it explicitly: \`${origin.path} => NAME\`.`,
      );
    const suggestion = origin.namePrefix === '' ? 'APP_' : `APP_${origin.namePrefix}`;
    throw fail(
      line,
      `${origin.path} would be exported as ${name}, which is ${RESERVED_WHY}. Give the prefix a name prefix, such as \`${origin.prefix}/* => ${suggestion}\` (every derived name then starts with it), or read ${origin.path} on its own line with \`${origin.path} => NAME\`.`,
    );
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
      throw fail(
        line,
        `${(err as Error).message}${left.includes('*') ? " ('*' is allowed only as the whole last segment: PREFIX/*)" : ''}`,
      );
    }
    const segments = path.split('/');
    const name =
      right !== undefined
        ? checkName(right, line, { kind: 'explicit' })
        : checkName(deriveEnvName([segments[segments.length - 1] as string]), line, { kind: 'derived', path });
    const seen = names.get(name);
    if (seen !== undefined)
      throw fail(line, `the name ${name} is already used on line ${seen}; give one of them another name with \`PATH => NAME\`.`);
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
 * limit on scopes per request, paths that share a parent are requested as `parent/*`. If that is
 * still too many, this fails (an input error) rather than request nothing: an exchange without
 * scopes would get every scope the agent has, a silent widening.
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
  if (grouped.size <= max) return [...grouped];
  throw new AppError(
    'invalid_input',
    `Input "secrets" needs ${exact.size} scopes, still ${grouped.size} when paths are grouped by parent, and the vault accepts at most ${max} per exchange. ` +
      'Set the "scopes" input explicitly (such as scopes: secrets:read:production/app/*) to the few wider scopes this job may have: ' +
      'requesting no scopes instead would give the pipeline token every scope the agent has, so the action does not fall back to that.',
  );
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
      throw fail(
        line,
        `${path} and ${prev} would both be exported as ${name}; list one of them explicitly with \`PATH => NAME\`, or give the prefix a name prefix (\`PREFIX/* => APP_\`).`,
      );
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
      checkName(name, r.line, { kind: 'prefix', path: s.path, prefix: r.prefix, namePrefix: r.namePrefix });
      add(name, s.path, r.line);
    }
  }
  return out;
}
