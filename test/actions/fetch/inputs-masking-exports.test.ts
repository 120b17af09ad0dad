import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { StageError } from '../../../src/actions/common/stage.js';
import { parseConfig } from '../../../src/actions/fetch/config.js';
import { formatDotenvLine, formatExportFile } from '../../../src/actions/fetch/export-file.js';
import { failureMessage } from '../../../src/actions/fetch/main.js';
import { planMasks } from '../../../src/actions/fetch/masking.js';
import { MISSING_OIDC_HELP, requestOidcToken } from '../../../src/actions/fetch/oidc-token.js';
import {
  batchRequestFor,
  deriveEnvName,
  isReservedName,
  parseSecretsSpec,
  resolveExports,
  scopesFor,
} from '../../../src/actions/fetch/secrets-spec.js';
import { renderSummary } from '../../../src/actions/fetch/summary.js';
import { generateCredential } from '../../../src/core/credentials.js';
import { AppError } from '../../../src/core/errors.js';
import { isRetryableError, withRetry } from '../../../src/core/retry.js';

const KEY = generateCredential('agent').secret;

/** Values that dotenv quoting gets wrong: name → value. */
const NASTY: [string, string][] = [
  ['DOLLAR', 'pa$$word$'],
  ['BRACES', '${HOME}'],
  ['BARE_VAR', '$HOME/x'],
  ['SINGLE', `it's`],
  ['DOUBLE', 'say "hi"'],
  ['BOTH', `it's "q"`],
  ['BACKSLASH', 'a\\b\\n\\'],
  ['BACKSLASH_MID', 'C:\\dir\\file'],
  ['HASH', 'abc #not a comment'],
  ['HASH_START', '#start'],
  ['SPACES', '  padded  value  '],
  ['NEWLINES', '-----BEGIN KEY-----\nline two\n-----END KEY-----\n'],
  ['CRLF', 'a\r\nb'],
  ['EQUALS', 'a=b==c'],
  ['UNICODE', 'pässwörd ✓ 密码 🙂 \u00a0nbsp'],
  ['BACKTICK', 'run `id` $(id)'],
  ['EMPTY', ''],
  ['MIXED', `'$x' "\\" \n`],
];
const HAS_PYTHON_DOTENV = spawnSync('python3', ['-c', 'import dotenv'], { stdio: 'ignore' }).status === 0;

function config(inputs: Record<string, string>) {
  return parseConfig((name) => inputs[name] ?? '');
}

function configError(inputs: Record<string, string>): string {
  try {
    config(inputs);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).message;
  }
  throw new Error('expected an input error');
}

describe('secrets input', () => {
  it('derives names from the last segment, upper-cased, - and . as _', () => {
    expect(deriveEnvName(['stripe-secret.key'])).toBe('STRIPE_SECRET_KEY');
    const spec = parseSecretsSpec(
      'production/payments/stripe-key\n  production/db/main.password  \nprod/x => My_Name\n# comment\n\nprod/app/*\nprod/svc/* => SVC_',
    );
    expect(spec).toEqual([
      { kind: 'path', line: 1, path: 'production/payments/stripe-key', name: 'STRIPE_KEY' },
      { kind: 'path', line: 2, path: 'production/db/main.password', name: 'MAIN_PASSWORD' },
      { kind: 'path', line: 3, path: 'prod/x', name: 'My_Name' },
      { kind: 'prefix', line: 6, prefix: 'prod/app', namePrefix: '' },
      { kind: 'prefix', line: 7, prefix: 'prod/svc', namePrefix: 'SVC_' },
    ]);
    expect(batchRequestFor(spec)).toEqual({
      paths: ['production/payments/stripe-key', 'production/db/main.password', 'prod/x'],
      prefixes: ['prod/app', 'prod/svc'],
    });
    expect(scopesFor(spec)).toContain('secrets:read:prod/app/*');
    expect(scopesFor(spec)).toContain('secrets:read:prod/x');
  });

  it('requests least-privilege scopes, grouped by parent past the vault limit of 64', () => {
    const many = parseSecretsSpec(Array.from({ length: 100 }, (_, i) => `prod/app/s${i}`).join('\n'));
    expect(scopesFor(many)).toEqual(['secrets:read:prod/app/*']);
    const few = parseSecretsSpec('prod/app/a\nprod/db/b');
    expect(scopesFor(few)).toEqual(['secrets:read:prod/app/a', 'secrets:read:prod/db/b']);
  });

  it('fails at the inputs stage instead of requesting no scopes (every scope the agent has) past 64 grouped scopes', () => {
    const scatteredSpec = Array.from({ length: 70 }, (_, i) => `p${i}/s => N${i}`).join('\n');
    const scattered = parseSecretsSpec(scatteredSpec);
    expect(() => scopesFor(scattered)).toThrow(
      /needs 70 scopes, still 70 when paths are grouped by parent.*at most 64.*Set the "scopes" input explicitly.*every scope the agent has/,
    );
    expect(scopesFor(scattered, 70)).toHaveLength(70);
    const base = { url: 'https://vault.example.com', 'agent-key': KEY, secrets: scatteredSpec };
    expect(configError(base)).toMatch(/Set the "scopes" input explicitly/);
    const msg = failureMessage(
      new StageError(
        'inputs',
        (() => {
          try {
            config(base);
          } catch (err) {
            return err;
          }
        })(),
      ),
    );
    expect(msg).toContain('stage "inputs"');
    expect(config({ ...base, scopes: 'secrets:read:p1/* secrets:read:p2/*' }).scopes).toEqual(['secrets:read:p1/*', 'secrets:read:p2/*']);
  });

  it('refuses bad lines with the line number and the fix', () => {
    expect(() => parseSecretsSpec('a/b\na/../c')).toThrow(/line 2/);
    expect(() => parseSecretsSpec('a/9lives')).toThrow(/name it explicitly: `a\/9lives => NAME`/);
    expect(() => parseSecretsSpec('a/b => 1X')).toThrow(/not a valid environment variable name/);
    expect(() => parseSecretsSpec('a/path => PATH')).toThrow(/PATH is reserved/);
    expect(() => parseSecretsSpec('a/b => GITHUB_TOKEN')).toThrow(/reserved/);
    expect(() => parseSecretsSpec('a/node_options')).toThrow(/reserved/);
    expect(() => parseSecretsSpec('x/db\ny/db')).toThrow(/line 2: the name DB is already used on line 1/);
    expect(() => parseSecretsSpec('*')).toThrow(/name a prefix/);
    expect(() => parseSecretsSpec('a/b* ')).toThrow(/'\*' is allowed only as the whole last segment/);
    expect(() => parseSecretsSpec('a => b => c')).toThrow(/at most one/);
    expect(() => parseSecretsSpec('\n# only a comment\n')).toThrow(/is empty/);
  });

  const rec = (path: string) => ({ path, version: 1, value: 'v', type: 'other', tier: 'standard' });
  // Names that change how later steps' programs run or where they connect, as a secret below a prefix could choose them.
  const DANGEROUS = [
    'GIT_SSH_COMMAND',
    'git_ssh_command',
    'GIT_ASKPASS',
    'GIT_CONFIG_GLOBAL',
    'GIT_EXEC_PATH',
    'HTTP_PROXY',
    'http_proxy',
    'HTTPS_PROXY',
    'https_proxy',
    'NO_PROXY',
    'no_proxy',
    'ALL_PROXY',
    'all_proxy',
    'FTP_PROXY',
    'NODE_OPTIONS',
    'NODE_EXTRA_CA_CERTS',
    'NODE_TLS_REJECT_UNAUTHORIZED',
    'NODE_PATH',
    'NPM_CONFIG_REGISTRY',
    'npm_config_registry',
    'npm_config_userconfig',
    'YARN_RC_FILENAME',
    'PYTHONPATH',
    'PYTHONSTARTUP',
    'PYTHONHOME',
    'PIP_INDEX_URL',
    'PIP_EXTRA_INDEX_URL',
    'PERL5OPT',
    'PERL5LIB',
    'RUBYOPT',
    'RUBYLIB',
    'GEM_HOME',
    'GEM_PATH',
    'BUNDLE_GEMFILE',
    '_JAVA_OPTIONS',
    'JAVA_TOOL_OPTIONS',
    'JDK_JAVA_OPTIONS',
    'MAVEN_OPTS',
    'GRADLE_OPTS',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'CURL_CA_BUNDLE',
    'REQUESTS_CA_BUNDLE',
    'SSH_AUTH_SOCK',
    'SSH_ASKPASS',
    'EDITOR',
    'VISUAL',
    'PAGER',
    'GNUPGHOME',
    'DOCKER_HOST',
    'DOCKER_CONFIG',
    'KUBECONFIG',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'TMPDIR',
    'TMP',
    'TEMP',
    'LANG',
    'LC_ALL',
    'lc_ctype',
    'TZ',
    'PS1',
    'PS2',
    'PS3',
    'PS4',
    'PROMPT_COMMAND',
    'SHELLOPTS',
    'BASHOPTS',
    'GLOBIGNORE',
    'CDPATH',
    'MAIL',
    'MAILPATH',
    'MAILCHECK',
    'PATH',
    'path',
    'BASH_ENV',
    'ENV',
    'HOME',
    'SHELL',
    'IFS',
    'CI',
    'LD_PRELOAD',
    'DYLD_INSERT_LIBRARIES',
    'GITHUB_ENV',
    'RUNNER_TEMP',
    'ACTIONS_RUNTIME_TOKEN',
    'INPUT_AGENT_KEY',
    'STATE_TOKEN',
    'GCONV_PATH',
  ];

  it('refuses a prefix export whose derived name is reserved, naming the path and suggesting a name prefix', () => {
    for (const name of DANGEROUS) {
      const path = `production/app/${name.toLowerCase().replace(/_/g, '-')}`;
      const spec = parseSecretsSpec('production/app/*');
      expect(isReservedName(name), name).toBe(true);
      expect(() => resolveExports(spec, [rec(path)]), name).toThrow(`${path} would be exported as ${name.toUpperCase()},`);
    }
    expect(() => resolveExports(parseSecretsSpec('production/app/*'), [rec('production/app/git-ssh-command')])).toThrow(
      /line 1: production\/app\/git-ssh-command would be exported as GIT_SSH_COMMAND, which is reserved.*`production\/app\/\* => APP_`/,
    );
    // deeper paths too: production/app/node/options → NODE_OPTIONS
    expect(() => resolveExports(parseSecretsSpec('production/app/*'), [rec('production/app/node/options')])).toThrow(
      /NODE_OPTIONS, which is reserved/,
    );
  });

  it('checks lower-case and mixed-case names the same way (npm_config_*, http_proxy)', () => {
    for (const name of [
      'npm_config_registry',
      'Npm_Config_Registry',
      'http_proxy',
      'Https_Proxy',
      'no_proxy',
      'git_ssh_command',
      'node_options',
      'Path',
    ]) {
      expect(isReservedName(name), name).toBe(true);
      expect(() => parseSecretsSpec(`a/b => ${name}`), name).toThrow(/is reserved/);
    }
  });

  it('with a name prefix every derived name is safe, and still checked', () => {
    const spec = parseSecretsSpec('production/app/* => APP_');
    const paths = DANGEROUS.map((n) => `production/app/${n.toLowerCase().replace(/_/g, '-')}`).filter((p, i, a) => a.indexOf(p) === i);
    const out = resolveExports(spec, paths.map(rec));
    expect(out.map((e) => e.name)).toContain('APP_GIT_SSH_COMMAND');
    expect(out.map((e) => e.name)).toContain('APP_HTTP_PROXY');
    expect(out.every((e) => e.name.startsWith('APP_') && !isReservedName(e.name))).toBe(true);
    expect(() => resolveExports(parseSecretsSpec('production/app/* => GIT_'), [rec('production/app/ssh-command')])).toThrow(
      /GIT_SSH_COMMAND, which is reserved/,
    );
    expect(() => resolveExports(parseSecretsSpec('production/app/* => NODE_'), [rec('production/app/x')])).toThrow(
      /`production\/app\/\* => APP_NODE_`/,
    );
  });

  it('refuses reserved derived and explicit names; allows ordinary secret names and the credential variables named explicitly', () => {
    expect(() => parseSecretsSpec('production/app/git-ssh-command')).toThrow(
      /production\/app\/git-ssh-command would be exported as GIT_SSH_COMMAND.*`production\/app\/git-ssh-command => NAME`/,
    );
    expect(() => parseSecretsSpec('a/b => NODE_EXTRA_CA_CERTS')).toThrow(/NODE_EXTRA_CA_CERTS is reserved/);
    for (const name of [
      'SSH_PRIVATE_KEY',
      'DOCKER_PASSWORD',
      'DOCKER_USERNAME',
      'GPG_PASSPHRASE',
      'MAILGUN_API_KEY',
      'NPM_TOKEN',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'APP_HTTP_PROXY',
      'DB_PASSWORD',
      'TOKEN',
      'GH_TOKEN',
    ]) {
      expect(isReservedName(name), name).toBe(false);
    }
    expect(
      parseSecretsSpec('a/npm => NODE_AUTH_TOKEN\na/yarn => YARN_NPM_AUTH_TOKEN\na/gem => GEM_HOST_API_KEY').map(
        (r) => (r as { name: string }).name,
      ),
    ).toEqual(['NODE_AUTH_TOKEN', 'YARN_NPM_AUTH_TOKEN', 'GEM_HOST_API_KEY']);
    // ...but never as a derived name: the secret's writer would choose it
    expect(() => parseSecretsSpec('a/node-auth-token')).toThrow(/reserved/);
    expect(() => resolveExports(parseSecretsSpec('p/*'), [rec('p/node-auth-token')])).toThrow(/reserved/);
  });

  it('names prefix reads after the path below the prefix and reports collisions naming both paths', () => {
    const spec = parseSecretsSpec('prod/app/*\nprod/app/db/password => DB_PW');
    expect(resolveExports(spec, [rec('prod/app/db/password'), rec('prod/app/api-key')])).toEqual([
      { name: 'API_KEY', path: 'prod/app/api-key' },
      { name: 'DB_PASSWORD', path: 'prod/app/db/password' },
      { name: 'DB_PW', path: 'prod/app/db/password' },
    ]);
    expect(() => resolveExports(parseSecretsSpec('p/*'), [rec('p/a-b'), rec('p/a/b')])).toThrow(
      /p\/a\/b and p\/a-b would both be exported as A_B/,
    );
    expect(() => resolveExports(parseSecretsSpec('p/*'), [])).toThrow(/matched no secrets/);
    expect(() => resolveExports(parseSecretsSpec('p/x'), [])).toThrow(/returned no secret p\/x/);
  });
});

describe('inputs', () => {
  const base = { url: 'https://vault.example.com/', 'agent-key': KEY, secrets: 'prod/app/db-password' };

  it('parses defaults into a typed config', () => {
    expect(config(base)).toMatchObject({
      url: 'https://vault.example.com',
      audience: 'https://vault.example.com',
      scopes: ['secrets:read:prod/app/db-password'],
      ttlSeconds: 900,
      exportEnv: true,
      exportFile: false,
      exportFileFormat: 'dotenv',
      revoke: true,
      maskMinLength: 4,
      timeoutMs: 60_000,
    });
    expect(
      config({
        ...base,
        audience: 'ass:prod-1',
        scopes: 'secrets:read:prod/*, secrets:list:prod/*',
        ttl: '1h',
        'export-env': 'False',
        revoke: 'false',
        'mask-min-length': '8',
        timeout: '2m',
      }),
    ).toMatchObject({
      audience: 'ass:prod-1',
      scopes: ['secrets:read:prod/*', 'secrets:list:prod/*'],
      ttlSeconds: 3600,
      exportEnv: false,
      revoke: false,
      maskMinLength: 8,
      timeoutMs: 120_000,
    });
  });

  it('lists every bad input by name with its fix', () => {
    const msg = configError({
      url: 'http://vault.example.com',
      'agent-key': 'ass_u_nope',
      secrets: '',
      ttl: '7h',
      'mask-min-length': '0',
      'export-file-format': 'xml',
      scopes: 'secrets:read:a*',
    });
    expect(msg).toContain('Input "url" must use https');
    expect(msg).toContain('Input "agent-key" is not an agent key');
    expect(msg).not.toContain('ass_u_nope');
    expect(msg).toContain('Input "secrets" is empty');
    expect(msg).toContain('Input "ttl" must be between 1m and 6h');
    expect(msg).toContain('Input "mask-min-length"');
    expect(msg).toContain('Input "export-file-format"');
    expect(msg).toContain('Input "scopes":');
    expect(configError({ ...base, url: '' })).toContain('Input "url" is required');
    expect(configError({ ...base, 'agent-key': '' })).toContain('Input "agent-key" is required');
    expect(config({ ...base, url: 'http://127.0.0.1:8200' }).url).toBe('http://127.0.0.1:8200');
  });
});

describe('masking rules', () => {
  it('masks a single value and its base64url, hex and form encodings', () => {
    const v = 'p@ss word+/=~?';
    const { masks } = planMasks(v);
    expect(masks).toContain(v);
    expect(masks).toContain(Buffer.from(v).toString('base64url'));
    expect(masks).toContain(Buffer.from(v).toString('hex'));
    expect(masks).toContain(Buffer.from(v).toString('hex').toUpperCase());
    expect(masks).toContain('p%40ss+word%2B%2F%3D%7E%3F');
    expect(masks).toContain(encodeURIComponent(v));
  });

  it('masks each line; the whole multi-line value only when no line is short (the runner would mask those)', () => {
    const pem = '-----BEGIN KEY-----\nAAAAline\nBBBBline\n-----END KEY-----\n';
    expect(planMasks(pem).masks).toEqual(expect.arrayContaining([pem, 'AAAAline', 'BBBBline', '-----END KEY-----']));
    const braces = '{\n  "k": "secret-value"\n}';
    const plan = planMasks(braces);
    expect(plan.masks).not.toContain(braces);
    expect(plan.masks).not.toContain('{');
    expect(plan.masks).toContain('"k": "secret-value"');
    expect(plan.masks).toContain('secret-value');
    expect(plan.masks).toContain(Buffer.from(braces).toString('base64'));
    expect(plan.masks).toContain(JSON.stringify(braces).slice(1, -1));
    expect(plan.tooShort).toBe(2);
  });

  it('masks JSON leaves (strings and numbers, nested, and multi-line leaves by line), not keys or booleans', () => {
    const v = JSON.stringify({
      user: 'admin-user',
      pw: 'hunter22',
      port: 54321,
      ok: true,
      n: null,
      deep: [{ k: '-----A-----\nline-of-key\n-----B-----' }],
      short: 'ab',
    });
    const { masks, tooShort } = planMasks(v);
    expect(masks).toEqual(expect.arrayContaining([v, 'admin-user', 'hunter22', '54321', 'line-of-key', '-----A-----']));
    expect(masks).not.toContain('true');
    expect(masks).not.toContain('user');
    expect(masks).not.toContain('ab');
    expect(tooShort).toBe(1);
  });

  it('does not mask values shorter than the minimum and says so', () => {
    expect(planMasks('abc')).toEqual({ masks: [], tooShort: 1, wholeTooShort: true });
    expect(planMasks('abc', 3).masks).toContain('abc');
    expect(planMasks('   ')).toEqual({ masks: [], tooShort: 0, wholeTooShort: true });
    expect(planMasks('abcd').masks).toContain('abcd');
  });
});

describe('retry policy', () => {
  const fail = (code: ConstructorParameters<typeof AppError>[0], status?: number) =>
    new AppError(code, 'x', status === undefined ? {} : { details: { status } });

  it('retries network errors, 408, 429 (not a lockout) and 5xx only', () => {
    expect(isRetryableError(new AppError('unavailable', 'connection refused', { details: { retryable: true } }))).toBe(true);
    expect(isRetryableError(Object.assign(new Error('runner token service down'), { retryable: true }))).toBe(true);
    expect(isRetryableError(fail('unavailable', 503))).toBe(true);
    expect(isRetryableError(fail('internal', 500))).toBe(true);
    expect(isRetryableError(fail('rate_limited', 429))).toBe(true);
    for (const [code, status] of [
      ['invalid_input', 400],
      ['unauthenticated', 401],
      ['denied', 403],
      ['oidc_rejected', 403],
      ['not_found', 404],
      ['conflict', 409],
      // A lockout answers only a credential that failed: waiting does not make it valid.
      ['locked_out', 429],
    ] as const) {
      expect(isRetryableError(fail(code, status))).toBe(false);
    }
    expect(
      isRetryableError(new AppError('unavailable', 'Could not reach the vault (no answer within 5s)', { details: { retryable: false } })),
    ).toBe(false);
    expect(isRetryableError(fail('unavailable'))).toBe(false);
  });

  it('backs off with jitter, honours Retry-After and stops at the deadline', async () => {
    let t = 0;
    const sleeps: number[] = [];
    const policy = {
      attempts: 5,
      baseMs: 100,
      maxMs: 1000,
      deadline: 10_000,
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
        sleeps.push(ms, t);
      },
      random: () => 0.5,
    };
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw fail('unavailable', 503);
      }, policy),
    ).rejects.toThrow();
    expect(calls).toBe(5);
    expect(sleeps.filter((_, i) => i % 2 === 0)).toEqual([50, 100, 200, 400]);
    calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw fail('denied', 403);
      }, policy),
    ).rejects.toThrow();
    expect(calls).toBe(1);
    calls = 0;
    t = 0;
    const ra = new AppError('rate_limited', 'slow down', { retryAfter: 20, details: { status: 429 } });
    await expect(
      withRetry(async () => {
        calls++;
        throw ra;
      }, policy),
    ).rejects.toBe(ra);
    expect(calls).toBe(1); // a 20 s Retry-After does not fit before the 10 s deadline
  });
});

describe('OIDC token request', () => {
  it('fails with the permissions YAML when the runner variables are missing', async () => {
    await expect(requestOidcToken({}, 'aud', { attempts: 1, baseMs: 1, maxMs: 1, deadline: Date.now() + 1000 })).rejects.toThrow(
      MISSING_OIDC_HELP,
    );
    expect(MISSING_OIDC_HELP).toContain('permissions:\n  id-token: write');
  });

  it('keeps the query string of the request URL, adds the audience and does not retry a 401', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(req.headers.authorization === 'Bearer good' ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ value: 'a.b.c' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/idtoken?api-version=2.0`;
    const policy = { attempts: 3, baseMs: 1, maxMs: 2, deadline: Date.now() + 5000 };
    try {
      await expect(
        requestOidcToken({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'good' }, 'https://v.example/x y', policy),
      ).resolves.toBe('a.b.c');
      expect(seen[0]).toBe('/idtoken?api-version=2.0&audience=https%3A%2F%2Fv.example%2Fx+y');
      await expect(
        requestOidcToken({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bad' }, 'a', policy),
      ).rejects.toThrow(/HTTP 401/);
      expect(seen).toHaveLength(2);
    } finally {
      server.close();
    }
  });

  it('does not follow a redirect, which would carry the runner token elsewhere', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/idtoken`;
    try {
      await expect(
        requestOidcToken({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'good' }, 'a', {
          attempts: 3,
          baseMs: 1,
          maxMs: 2,
          deadline: Date.now() + 5000,
        }),
      ).rejects.toThrow(/refused the OIDC token request \(HTTP 302\)/);
      expect(seen).toEqual(['/idtoken?audience=a Bearer good']);
    } finally {
      server.close();
    }
  });

  it('retries an unreachable token service, then says so with the network error', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const retried: number[] = [];
    await expect(
      requestOidcToken({ ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/idtoken`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }, 'a', {
        attempts: 3,
        baseMs: 1,
        maxMs: 2,
        deadline: Date.now() + 5000,
        onRetry: (attempt) => retried.push(attempt),
      }),
    ).rejects.toThrow("Could not get an OIDC token: the runner's token service could not be reached (ECONNREFUSED).");
    expect(retried).toEqual([1, 2]);
  });
});

describe('export file and summary', () => {
  it('writes single-line values without quote or backslash single-quoted, verbatim; others double-quoted with \\ " \n \r escaped', () => {
    expect(formatDotenvLine('A', 'p$ss ${HOME} "q" #x = é')).toBe(`A='p$ss \${HOME} "q" #x = é'\n`);
    expect(formatDotenvLine('A', '')).toBe(`A=''\n`);
    expect(formatDotenvLine('A', `it's`)).toBe(`A="it's"\n`);
    expect(formatDotenvLine('A', 'line1\nline2 "q" $HOME \\ end\r')).toBe('A="line1\\nline2 \\"q\\" $HOME \\\\ end\\r"\n');
    expect(formatDotenvLine('A', 'C:\\dir')).toBe('A="C:\\\\dir"\n');
    const entries = [{ name: 'A', value: 'line1\nline2 "q" $HOME \\ end' }];
    expect(JSON.parse(formatExportFile(entries, 'json'))).toEqual({ A: entries[0]?.value });
  });

  it('round-trips nasty values through the npm dotenv package exactly, as documented', () => {
    const file = formatExportFile(
      NASTY.map(([name, value]) => ({ name, value })),
      'dotenv',
    );
    for (const options of [{}, { fast: true }] as const) {
      const parsed = dotenv.parse(file, options as never) as Record<string, string>;
      expect(Object.keys(parsed).sort()).toEqual(NASTY.map(([n]) => n).sort());
      for (const [name, value] of NASTY) {
        // Documented: exact unless the value holds `\` or (double-quoted) `"`; those keep their escapes.
        if (!value.includes('\\') && !(value.includes('"') && /['\r\n]/.test(value))) expect(parsed[name], name).toBe(value);
        else expect(parsed[name], name).not.toBe(value);
      }
    }
    expect(NASTY.filter(([, v]) => v.includes('\\') || (v.includes('"') && /['\r\n]/.test(v)))).toHaveLength(4);
  });

  it('reads single-quoted lines back verbatim in a POSIX shell (set -a; . file)', async () => {
    const single = NASTY.filter(([, v]) => !/['\\\r\n]/.test(v));
    expect(single.length).toBeGreaterThan(8);
    const dir = await mkdtemp(path.join(tmpdir(), 'ass-dotenv-'));
    try {
      const file = path.join(dir, 'x.env');
      await writeFile(
        file,
        formatExportFile(
          single.map(([name, value]) => ({ name, value })),
          'dotenv',
        ),
      );
      const script = `set -a; . "$1"; node -e 'process.stdout.write(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((n) => [n, process.env[n]]))))' ${single.map(([n]) => n).join(' ')}`;
      const out = execFileSync('sh', ['-c', script, 'sh', file], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: '/home/nobody' },
      });
      expect(JSON.parse(out)).toEqual(Object.fromEntries(single));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!HAS_PYTHON_DOTENV)('python-dotenv (where installed) reads the file back as documented', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ass-dotenv-'));
    try {
      const file = path.join(dir, 'x.env');
      // A value ending in a backslash is documented as unreadable by python-dotenv; leave it out here.
      const values = NASTY.filter(([, v]) => !v.endsWith('\\'));
      await writeFile(
        file,
        formatExportFile(
          values.map(([name, value]) => ({ name, value })),
          'dotenv',
        ),
      );
      const read = (interpolate: boolean) =>
        JSON.parse(
          execFileSync(
            'python3',
            [
              '-c',
              `import json,sys,dotenv; print(json.dumps(dotenv.dotenv_values(sys.argv[1], interpolate=${interpolate ? 'True' : 'False'})))`,
              file,
            ],
            { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: '/home/nobody' } },
          ),
        );
      expect(read(false)).toEqual(Object.fromEntries(values));
      const interpolated = read(true);
      for (const [name, value] of values) expect(interpolated[name], name).toBe(value.replaceAll('${HOME}', '/home/nobody'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('escapes everything it renders', () => {
    const html = renderSummary({
      vaultUrl: 'https://v.example/<x>',
      agent: 'deploy\n\n# heading',
      tokenId: 'id<script>',
      scopes: ['secrets:read:a/*'],
      expiresAt: '2030-01-01T00:00:00Z<i>',
      secrets: [{ path: 'a/<b>', version: 2, tier: 'critical', type: 'pass_word', names: ['X|Y'] }],
      exportFile: { path: '/tmp/<f>', deleted: true },
      revocation: { state: 'failed', detail: '</td></tr></table>' },
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<x>');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('<f>');
    expect(html.match(/<\/table>/g)).toHaveLength(2);
    expect(html).toContain('<code>deploy # heading</code>');
    expect(html).toContain('<code>a/&#60;b&#62;</code>');
    expect(html).toContain('<td>2</td><td>critical</td><td>pass&#95;word</td><td><code>X&#124;Y</code></td>');
    expect(html).toContain('<code>secrets:read:a/&#42;</code>');
  });

  it('failure messages carry the stage, the message and the fix', () => {
    const msg = failureMessage(new StageError('read', new AppError('scope_missing', 'The token lacks secrets:read:prod/x.')));
    expect(msg).toContain('stage "read"');
    expect(msg).toContain('secrets:read:prod/x');
    expect(msg).toContain('Grant it to the agent');
  });
});
