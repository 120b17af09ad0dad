import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/actions/fetch/config.js';
import { formatExportFile } from '../../src/actions/fetch/export-file.js';
import { planMasks } from '../../src/actions/fetch/masking.js';
import { MISSING_OIDC_HELP, requestOidcToken } from '../../src/actions/fetch/oidc-token.js';
import { isRetryableError, withRetry } from '../../src/actions/fetch/retry.js';
import { failureMessage, StageError } from '../../src/actions/fetch/run-main.js';
import { batchRequestFor, deriveEnvName, parseSecretsSpec, resolveExports, scopesFor } from '../../src/actions/fetch/secrets-spec.js';
import { escapeHtml, renderSummary } from '../../src/actions/fetch/summary.js';
import { generateCredential } from '../../src/core/credentials.js';
import { AppError } from '../../src/core/errors.js';

const KEY = generateCredential('agent').secret;

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
    const spec = parseSecretsSpec('production/payments/stripe-key\n  production/db/main.password  \nprod/x => My_Name\n# comment\n\nprod/app/*\nprod/svc/* => SVC_');
    expect(spec).toEqual([
      { kind: 'path', line: 1, path: 'production/payments/stripe-key', name: 'STRIPE_KEY' },
      { kind: 'path', line: 2, path: 'production/db/main.password', name: 'MAIN_PASSWORD' },
      { kind: 'path', line: 3, path: 'prod/x', name: 'My_Name' },
      { kind: 'prefix', line: 6, prefix: 'prod/app', namePrefix: '' },
      { kind: 'prefix', line: 7, prefix: 'prod/svc', namePrefix: 'SVC_' },
    ]);
    expect(batchRequestFor(spec)).toEqual({ paths: ['production/payments/stripe-key', 'production/db/main.password', 'prod/x'], prefixes: ['prod/app', 'prod/svc'] });
    expect(scopesFor(spec)).toContain('secrets:read:prod/app/*');
    expect(scopesFor(spec)).toContain('secrets:read:prod/x');
  });

  it('requests least-privilege scopes, grouped by parent past the vault limit of 64', () => {
    const many = parseSecretsSpec(Array.from({ length: 100 }, (_, i) => `prod/app/s${i}`).join('\n'));
    expect(scopesFor(many)).toEqual(['secrets:read:prod/app/*']);
    const few = parseSecretsSpec('prod/app/a\nprod/db/b');
    expect(scopesFor(few)).toEqual(['secrets:read:prod/app/a', 'secrets:read:prod/db/b']);
    const scattered = parseSecretsSpec(Array.from({ length: 70 }, (_, i) => `p${i}/s => N${i}`).join('\n'));
    expect(scopesFor(scattered)).toEqual([]);
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

  it('names prefix reads after the path below the prefix and reports collisions naming both paths', () => {
    const rec = (path: string) => ({ path, version: 1, value: 'v', type: 'other', tier: 'standard' });
    const spec = parseSecretsSpec('prod/app/*\nprod/app/db/password => DB_PW');
    expect(resolveExports(spec, [rec('prod/app/db/password'), rec('prod/app/api-key')])).toEqual([
      { name: 'API_KEY', path: 'prod/app/api-key' },
      { name: 'DB_PASSWORD', path: 'prod/app/db/password' },
      { name: 'DB_PW', path: 'prod/app/db/password' },
    ]);
    expect(() => resolveExports(parseSecretsSpec('p/*'), [rec('p/a-b'), rec('p/a/b')])).toThrow(/p\/a\/b and p\/a-b would both be exported as A_B/);
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
    expect(config({ ...base, audience: 'ass:prod-1', scopes: 'secrets:read:prod/*, secrets:list:prod/*', ttl: '1h', 'export-env': 'False', revoke: 'false', 'mask-min-length': '8', timeout: '2m' })).toMatchObject({
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
    const msg = configError({ url: 'http://vault.example.com', 'agent-key': 'ass_u_nope', secrets: '', ttl: '7h', 'mask-min-length': '0', 'export-file-format': 'xml', scopes: 'secrets:read:a*' });
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
    const v = JSON.stringify({ user: 'admin-user', pw: 'hunter22', port: 54321, ok: true, n: null, deep: [{ k: '-----A-----\nline-of-key\n-----B-----' }], short: 'ab' });
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

  it('retries network errors, 408, 429 and 5xx only', () => {
    expect(isRetryableError(fail('unavailable'))).toBe(true);
    expect(isRetryableError(fail('unavailable', 503))).toBe(true);
    expect(isRetryableError(fail('internal', 500))).toBe(true);
    expect(isRetryableError(fail('rate_limited', 429))).toBe(true);
    for (const [code, status] of [['invalid_input', 400], ['unauthenticated', 401], ['denied', 403], ['oidc_rejected', 403], ['not_found', 404], ['conflict', 409]] as const) {
      expect(isRetryableError(fail(code, status))).toBe(false);
    }
    expect(isRetryableError(new AppError('unavailable', 'Could not reach the vault (no answer within 5s)'))).toBe(false);
  });

  it('backs off with jitter, honours Retry-After and stops at the deadline', async () => {
    let t = 0;
    const sleeps: number[] = [];
    const policy = { attempts: 5, baseMs: 100, maxMs: 1000, deadline: 10_000, now: () => t, sleep: async (ms: number) => void sleeps.push(ms, (t += ms)), random: () => 0.5 };
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw fail('unavailable', 503); }, policy)).rejects.toThrow();
    expect(calls).toBe(5);
    expect(sleeps.filter((_, i) => i % 2 === 0)).toEqual([50, 100, 200, 400]);
    calls = 0;
    await expect(withRetry(async () => { calls++; throw fail('denied', 403); }, policy)).rejects.toThrow();
    expect(calls).toBe(1);
    calls = 0;
    t = 0;
    const ra = new AppError('rate_limited', 'slow down', { retryAfter: 20, details: { status: 429 } });
    await expect(withRetry(async () => { calls++; throw ra; }, policy)).rejects.toBe(ra);
    expect(calls).toBe(1); // a 20 s Retry-After does not fit before the 10 s deadline
  });
});

describe('OIDC token request', () => {
  it('fails with the permissions YAML when the runner variables are missing', async () => {
    await expect(requestOidcToken({}, 'aud', { attempts: 1, baseMs: 1, maxMs: 1, deadline: Date.now() + 1000 })).rejects.toThrow(MISSING_OIDC_HELP);
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
      await expect(requestOidcToken({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'good' }, 'https://v.example/x y', policy)).resolves.toBe('a.b.c');
      expect(seen[0]).toBe('/idtoken?api-version=2.0&audience=https%3A%2F%2Fv.example%2Fx+y');
      await expect(requestOidcToken({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bad' }, 'a', policy)).rejects.toThrow(/HTTP 401/);
      expect(seen).toHaveLength(2);
    } finally {
      server.close();
    }
  });
});

describe('export file and summary', () => {
  it('writes dotenv with escapes and json exactly', () => {
    const entries = [{ name: 'A', value: 'line1\nline2 "q" $HOME \\ end' }];
    expect(formatExportFile(entries, 'dotenv')).toBe('A="line1\\nline2 \\"q\\" \\$HOME \\\\ end"\n');
    expect(JSON.parse(formatExportFile(entries, 'json'))).toEqual({ A: entries[0]?.value });
  });

  it('escapes everything it renders', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>|*_`')).not.toMatch(/[<>|*_`]/);
    const html = renderSummary({
      tokenId: 'id<script>',
      scopes: ['secrets:read:a/*'],
      secrets: [{ path: 'a/<b>', version: 2, tier: 'critical', type: 'password', names: ['X|Y'] }],
      revocation: { state: 'revoked' },
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('a/&#60;b&#62;');
    expect(html).toContain('<td>2</td><td>critical</td>');
  });

  it('failure messages carry the stage, the message and the fix', () => {
    const msg = failureMessage(new StageError('read', new AppError('scope_missing', 'The token lacks secrets:read:prod/x.')));
    expect(msg).toContain('stage "read"');
    expect(msg).toContain('secrets:read:prod/x');
    expect(msg).toContain('Grant it to the agent');
  });
});
