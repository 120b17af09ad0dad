/**
 * End to end: the built fetch action (main, then post with STATE_*), run with `node` as the runner
 * runs it, against a real vault on loopback and a local OIDC issuer that serves the runner's token
 * request endpoint. Canary values are planted and must appear nowhere but where they belong.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import dotenv from 'dotenv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../../helpers/action-runner.js';
import { actionDefaults, makeRunnerTemp, runStep, visibleLog } from '../../helpers/action-runner.js';
import type { LocalOidcIssuer } from '../../helpers/oidc-issuer.js';
import { generateSigningKey, startOidcIssuer } from '../../helpers/oidc-issuer.js';
import type { TestVault } from '../../helpers/vault.js';
import { startTestVault } from '../../helpers/vault.js';

const root = path.resolve(import.meta.dirname, '../../..');

const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'canaryPEMline1MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
  'canaryPEMline2pAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyji',
  '-----END PRIVATE KEY-----',
  '',
].join('\n');
const JSON_SECRET = JSON.stringify({
  type: 'service_account',
  private_key: 'canary-json-leaf-private-key',
  port: 58213,
  nested: { token: 'canary-nested-leaf-token', list: ['canary-array-leaf'] },
  enabled: true,
  r: 'eu',
});
const SECRETS: Record<string, string> = {
  'production/app/db-password': 'canary-DBPW-7f3a9c2e',
  'production/app/api-key': 'canary key+with/special=chars&more?~',
  'production/app/tls/key': PEM,
  'production/app/service-account': JSON_SECRET,
  'production/app/pin': 'x7z',
  'production/other/secret': 'canary-other-not-in-scope',
};
const CANARIES = [
  'canary-DBPW-7f3a9c2e',
  'canary key+with/special=chars&more?~',
  'canaryPEMline1',
  'canaryPEMline2',
  'canary-json-leaf-private-key',
  '58213',
  'canary-nested-leaf-token',
  'canary-array-leaf',
  'canary-other-not-in-scope',
  'x7z',
];
const SPEC = [
  'production/app/db-password',
  'production/app/api-key => API_TOKEN',
  '# a comment',
  '',
  'production/app/tls/* => TLS_',
  'production/app/service-account',
  'production/app/pin',
].join('\n');

let mainJs: string;
let postJs: string;
let defaults: Record<string, string>;
let vault: TestVault;
let issuer: LocalOidcIssuer;
let stranger: LocalOidcIssuer;
let agentKey: string;
let runnerTemp: string;

async function createPipelineAgent(name: string, claims: Record<string, string> = {}): Promise<string> {
  const res = await vault.call('POST', '/v1/agents', {
    token: vault.adminToken,
    body: {
      name,
      scopes: ['secrets:read:production/app/*'],
      trustPolicy: { issuer: issuer.url, claims: { repository_id: '74', repository_owner_id: '65', environment: 'prod', ...claims } },
    },
  });
  if (res.status !== 201) throw new Error(`agent: ${res.status} ${res.text}`);
  return res.body.agentKey as string;
}

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...defaults, url: vault.url, 'agent-key': agentKey, secrets: SPEC, timeout: '20s', ...overrides };
}

async function runMain(
  overrides: Record<string, string> = {},
  env: Record<string, string | undefined> = issuer.runnerEnv(),
): Promise<StepResult> {
  return runStep({ script: mainJs, inputs: inputs(overrides), env, runnerTemp });
}

async function runPost(main: StepResult, overrides: Record<string, string> = {}): Promise<StepResult> {
  return runStep({ script: postJs, inputs: inputs(overrides), env: { ...main.env }, state: main.state, runnerTemp });
}

function expectNoCanary(where: string, text: string) {
  for (const c of CANARIES) expect(text.includes(c), `${where} contains ${JSON.stringify(c)}`).toBe(false);
}

/** Asserts a failed main: exit code 1, `::error::` with each fragment, no token issued, nothing exported. */
function expectFailure(r: StepResult, ...fragments: (string | RegExp)[]) {
  expect(r.code).toBe(1);
  const errorLine = r.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
  const message = errorLine.replace(/%0A/g, '\n').replace(/%25/g, '%');
  for (const f of fragments) expect(message).toMatch(f);
  expect(r.state.token).toBeUndefined();
  expect(r.files.env).toBe('');
  expectNoCanary('stdout', visibleLog(r));
  return message;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  // The global setup's fresh build, else the committed dist/.
  const dist = process.env.ASS_TEST_DIST ?? path.join(root, 'dist');
  mainJs = path.join(dist, 'actions/fetch-main.js');
  postJs = path.join(dist, 'actions/fetch-post.js');
  defaults = await actionDefaults(path.join(root, 'action.yml'));
  vault = await startTestVault();
  issuer = await startOidcIssuer();
  stranger = await startOidcIssuer();
  for (const [p, value] of Object.entries(SECRETS)) {
    const res = await vault.call('PUT', `/v1/secrets/${p}`, {
      token: vault.adminToken,
      body: { value, tier: p.includes('db') ? 'critical' : 'standard' },
    });
    if (res.status !== 200 && res.status !== 201) throw new Error(`put ${p}: ${res.status} ${res.text}`);
  }
  agentKey = await createPipelineAgent('deploy');
  runnerTemp = await makeRunnerTemp();
}, 180_000);

afterAll(async () => {
  await vault?.cleanup();
  await issuer?.close();
  await stranger?.close();
  if (runnerTemp) await rm(runnerTemp, { recursive: true, force: true });
});

beforeEach(() => {
  issuer.setRequestOptions(undefined);
  issuer.failTokenRequests(0, 500);
});

describe('fetch action, happy path', () => {
  let main: StepResult;
  let post: StepResult;

  beforeAll(async () => {
    main = await runMain({ 'export-file': 'true' });
    post = await runPost(main);
  });

  it('exports every secret to env and outputs under the documented names', () => {
    expect(main.stderr).toBe('');
    expect(main.code, visibleLog(main)).toBe(0);
    expect(main.env).toEqual({
      DB_PASSWORD: SECRETS['production/app/db-password'],
      API_TOKEN: SECRETS['production/app/api-key'],
      TLS_KEY: PEM,
      SERVICE_ACCOUNT: JSON_SECRET,
      PIN: 'x7z',
    });
    expect(main.outputs).toMatchObject({ DB_PASSWORD: SECRETS['production/app/db-password'], TLS_KEY: PEM });
    expect(main.outputs['token-id']).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(Date.parse(main.outputs['expires-at'] as string)).toBeGreaterThan(Date.now());
  });

  it('requests the OIDC token with the vault URL as audience, through the runner endpoint', () => {
    expect(issuer.stats.audiences).toContain(vault.url);
  });

  it('masks the pipeline token before it is saved or logged, and the OIDC token and agent key', () => {
    const token = main.state.token as string;
    expect(token).toMatch(/^ass_p_/);
    expect(main.masks).toContain(token);
    expect(main.masks).toContain(agentKey);
    expect(main.masks.some((m) => /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(m))).toBe(true);
    const maskAt = main.stdout.indexOf(`::add-mask::${token}`);
    const issuedAt = main.stdout.indexOf('Pipeline token');
    expect(maskAt).toBeGreaterThanOrEqual(0);
    expect(maskAt).toBeLessThan(issuedAt);
    expect(visibleLog(main)).not.toContain(token);
  });

  it('masks whole values, each line, JSON leaves and the encodings the runner misses', () => {
    const m = new Set(main.masks);
    const api = SECRETS['production/app/api-key'] as string;
    for (const v of [SECRETS['production/app/db-password'], api]) expect(m.has(v as string)).toBe(true);
    // encodings of a value with space, +, /, =, &, ?, ~
    expect(m.has(Buffer.from(api).toString('base64url'))).toBe(true);
    expect(m.has(Buffer.from(api).toString('hex'))).toBe(true);
    expect(m.has(new URLSearchParams({ v: api }).toString().slice(2))).toBe(true);
    expect(m.has(encodeURIComponent(api))).toBe(true);
    // multi-line: every line, and the whole value (all its lines are long enough)
    for (const line of PEM.split('\n').filter(Boolean)) expect(m.has(line)).toBe(true);
    expect(m.has(PEM)).toBe(true);
    // JSON: leaves (strings and numbers), not the short ones, not booleans or keys
    for (const leaf of ['canary-json-leaf-private-key', '58213', 'canary-nested-leaf-token', 'canary-array-leaf', 'service_account'])
      expect(m.has(leaf)).toBe(true);
    expect(m.has('eu')).toBe(false);
    expect(m.has('true')).toBe(false);
    expect(m.has('private_key')).toBe(false);
    expect(m.has(JSON_SECRET)).toBe(true);
    // nothing shorter than mask-min-length is registered
    expect(main.masks.filter((x) => x.trim().length < 4)).toEqual([]);
    expect(m.has('x7z')).toBe(false);
  });

  it('warns about values too short to mask, instead of masking them', () => {
    expect(main.stdout).toMatch(/::warning::The value of production\/app\/pin is shorter than 4 characters and was NOT masked/);
    expect(main.stdout).toMatch(/::warning::1 part\(s\) of production\/app\/service-account/);
  });

  it('registers all masks before exporting anything', () => {
    const lastMask = main.stdout.lastIndexOf('::add-mask::');
    const firstRead = main.stdout.indexOf('Read production/');
    expect(lastMask).toBeLessThan(firstRead);
  });

  it('writes the export file under RUNNER_TEMP with mode 0600, and post deletes it', async () => {
    const file = main.outputs['export-file'] as string;
    expect(path.dirname(file)).toBe(runnerTemp);
    expect(main.state['export-file']).toBe(file);
    expect(post.code).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('leaks no value into stdout, stderr, state or summary', () => {
    for (const r of [main, post]) {
      expectNoCanary('log', visibleLog(r));
      expectNoCanary('state', r.files.state);
      expectNoCanary('summary', r.summary);
    }
    expectNoCanary('post env', post.files.env);
    expectNoCanary('post outputs', post.files.output);
  });

  it('revokes the pipeline token in post: it no longer works', async () => {
    expect(post.code, visibleLog(post)).toBe(0);
    expect(post.stdout).toContain(`Pipeline token ${main.state['token-id']} revoked`);
    const res = await vault.call('POST', '/v1/batch/read', { token: main.state.token, body: { paths: ['production/app/db-password'] } });
    expect(res.status).toBe(401);
  });

  it('writes an escaped job summary with paths, versions, tiers, names, token id, scopes, expiry, revoked', () => {
    const s = post.summary;
    expect(s).toContain('<code>production&#47;app&#47;db-password</code>'.replace(/&#47;/g, '/'));
    expect(s).toMatch(/<td>1<\/td><td>critical<\/td>/);
    expect(s).toContain('<code>TLS&#95;KEY</code>');
    expect(s).toContain(main.state['token-id']);
    expect(s).toContain('secrets:read:production/app/tls/&#42;');
    expect(s).toContain(main.state['expires-at']);
    expect(s).toMatch(/Revoked<\/th><td>yes/);
    expect(s).not.toContain(main.state.token);
  });
});

describe('fetch action, export file', () => {
  it('writes a dotenv file a loader can read back exactly', async () => {
    const main = await runMain({ 'export-file': 'true', secrets: 'production/app/tls/key\nproduction/app/api-key' });
    expect(main.code, visibleLog(main)).toBe(0);
    const file = main.outputs['export-file'] as string;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('KEY="-----BEGIN PRIVATE KEY-----\\ncanaryPEMline1');
    expect(text).toContain("API_KEY='canary key+with/special=chars&more?~'");
    expect(dotenv.parse(text)).toEqual({ KEY: SECRETS['production/app/tls/key'], API_KEY: SECRETS['production/app/api-key'] });
    const post = await runPost(main);
    expect(post.code).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});

describe('fetch action, switches', () => {
  it('export-env: false sets outputs only; revoke: false leaves the token to expire and says so', async () => {
    const main = await runMain({ 'export-env': 'false', revoke: 'false', secrets: 'production/app/* => APP_' });
    expect(main.code, visibleLog(main)).toBe(0);
    expect(main.files.env).toBe('');
    expect(
      Object.keys(main.outputs)
        .filter((k) => k.startsWith('APP_'))
        .sort(),
    ).toEqual(['APP_API_KEY', 'APP_DB_PASSWORD', 'APP_PIN', 'APP_SERVICE_ACCOUNT', 'APP_TLS_KEY']);
    const post = await runPost(main, { revoke: 'false' });
    expect(post.code).toBe(0);
    expect(post.summary).toContain('no (revoke: false)');
    const still = await vault.call('GET', '/v1/tokens/self', { token: main.state.token });
    expect(still.status).toBe(200);
    await vault.call('DELETE', '/v1/tokens/self', { token: main.state.token });
  });
});

describe('fetch action, negative matrix', () => {
  // A fresh agent key per test: forged OIDC tokens count toward the key's lockout (5 a minute),
  // and this matrix sends more than that on purpose.
  let agents = 0;
  beforeEach(async () => {
    agentKey = await createPipelineAgent(`deploy-negative-${++agents}`);
  });

  it('fails with the exact permissions YAML when the OIDC request variables are missing', async () => {
    const r = await runMain({}, {});
    const msg = expectFailure(r, /stage "oidc-token"/, 'permissions:\n  id-token: write', /forks and Dependabot/);
    expect(msg).not.toContain(agentKey);
    const post = await runPost(r);
    expect(post.code).toBe(0);
    expect(post.summary).toContain('no token was issued');
  });

  it('names the claim on a wrong repository_id', async () => {
    issuer.setRequestOptions({ claims: { repository_id: '999' } });
    expectFailure(await runMain(), /stage "exchange"/, /"repository_id" is "999", expected "74"/, /trust policy/);
  });

  it('names the claim when repository_id is missing', async () => {
    issuer.setRequestOptions({ claims: { repository_id: undefined } });
    expectFailure(await runMain(), /"repository_id" is missing/);
  });

  it('names the claim when the job has another environment', async () => {
    issuer.setRequestOptions({ claims: { environment: 'staging' } });
    expectFailure(await runMain(), /"environment" is "staging", expected "prod"/);
  });

  it('refuses a token from another issuer', async () => {
    expectFailure(await runMain({}, stranger.runnerEnv()), /issuer is "http:\/\/127\.0\.0\.1:\d+", but the agent trusts/);
  });

  it('refuses a wrong audience', async () => {
    expectFailure(await runMain({ audience: 'https://not-this-vault.example' }), /audience is "https:\/\/not-this-vault\.example"/);
  });

  it('refuses an expired token', async () => {
    issuer.setRequestOptions({ iat: Math.floor(Date.now() / 1000) - 400, lifetimeSeconds: 200 });
    expectFailure(await runMain(), /expired/);
  });

  it('refuses a token that is not valid yet', async () => {
    issuer.setRequestOptions({ claims: { nbf: Math.floor(Date.now() / 1000) + 600 } });
    expectFailure(await runMain(), /not valid yet/);
  });

  it('refuses alg none, HS256 with the public key, a foreign key and an unknown kid', async () => {
    issuer.setRequestOptions({ forge: 'alg-none' });
    expectFailure(await runMain(), /only RS256/);
    issuer.setRequestOptions({ forge: 'hs256-public-key' });
    expectFailure(await runMain(), /"HS256"; only RS256/);
    issuer.setRequestOptions({ key: await generateSigningKey(issuer.key.kid) });
    expectFailure(await runMain(), /signature does not verify/);
    issuer.setRequestOptions({ key: await generateSigningKey('kid-nobody-published') });
    expectFailure(await runMain(), /no RS256 key with kid "kid-nobody-published"/);
  });

  it('refuses a replayed jti', async () => {
    issuer.setRequestOptions({ claims: { jti: `fixed-${Date.now()}` } });
    const first = await runMain({ secrets: 'production/app/db-password' });
    expect(first.code, visibleLog(first)).toBe(0);
    expectFailure(await runMain({ secrets: 'production/app/db-password' }), /already exchanged/);
    await runPost(first);
  });

  it('asks for least privilege: a path outside the agent scopes fails the exchange naming the scope', async () => {
    expectFailure(
      await runMain({ secrets: 'production/app/db-password\nproduction/other/secret' }),
      /stage "exchange"/,
      /secrets:read:production\/other\/secret/,
    );
  });

  it('says which scope is missing when a read goes beyond the pipeline token', async () => {
    const r = await runMain({ secrets: 'production/app/db-password\nproduction/other/secret', scopes: 'secrets:read:production/app/*' });
    expect(r.code).toBe(1);
    const msg = r.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
    expect(msg).toMatch(/stage "read"/);
    expect(msg).toMatch(/production\/other\/secret/);
    expect(r.files.env).toBe('');
    expectNoCanary('log', visibleLog(r));
    // The token was issued, so post still revokes it.
    const post = await runPost(r);
    expect(post.code).toBe(0);
    expect(post.summary).toMatch(/Revoked<\/th><td>yes/);
  });

  it('fails clearly for a revoked agent', async () => {
    const key = await createPipelineAgent('short-lived');
    const del = await vault.call('DELETE', '/v1/agents/short-lived', { token: vault.adminToken });
    expect(del.status).toBe(200);
    expectFailure(await runMain({ 'agent-key': key }), /stage "exchange"/, /agent-key/);
  });

  it('fails clearly, after retrying, when the vault is down', async () => {
    const port = await closedPort();
    const r = await runMain({ url: `http://127.0.0.1:${port}`, timeout: '3s' });
    expectFailure(r, /Could not reach the vault at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/, /Check the `url` input/);
    expect(r.stdout).toMatch(/Token exchange: attempt 1 failed/);
  });

  it('retries the runner token request on 5xx, then succeeds', async () => {
    issuer.failTokenRequests(2, 503);
    const r = await runMain({ secrets: 'production/app/db-password' });
    expect(r.code, visibleLog(r)).toBe(0);
    expect(r.stdout).toMatch(/OIDC token request: attempt 2 failed \(the runner's token service answered HTTP 503\)/);
    await runPost(r);
  });

  it('refuses a secret below a prefix that would be exported under a reserved name (GIT_SSH_COMMAND), exporting nothing', async () => {
    const put = await vault.call('PUT', '/v1/secrets/production/app/git-ssh-command', {
      token: vault.adminToken,
      body: { value: 'canary-evil-ssh-command' },
    });
    expect([200, 201]).toContain(put.status);
    try {
      const r = await runMain({ secrets: 'production/app/*', 'export-file': 'true' });
      expect(r.code).toBe(1);
      const msg = (r.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '').replace(/%0A/g, '\n');
      expect(msg).toContain('stage "export"');
      expect(msg).toContain('production/app/git-ssh-command would be exported as GIT_SSH_COMMAND, which is reserved');
      expect(msg).toContain('`production/app/* => APP_`');
      expect(r.files.env).toBe('');
      expect(Object.keys(r.outputs).filter((k) => k !== 'token-id' && k !== 'expires-at')).toEqual([]);
      expect(r.state['export-file']).toBeUndefined();
      expect(visibleLog(r)).not.toContain('canary-evil-ssh-command');
      await runPost(r);
      const named = await runMain({ secrets: 'production/app/* => APP_', 'export-env': 'true' });
      expect(named.code, visibleLog(named)).toBe(0);
      expect(named.files.env).toContain('APP_GIT_SSH_COMMAND');
      expect(named.files.env).not.toMatch(/^GIT_SSH_COMMAND/m);
      await runPost(named);
    } finally {
      await vault.call('DELETE', '/v1/secrets/production/app/git-ssh-command', { token: vault.adminToken });
    }
  });

  it('fails at the inputs stage, asking for the scopes input, rather than request no scopes past the limit', async () => {
    const secrets = Array.from({ length: 70 }, (_, i) => `production/s${i}/x => N${i}`).join('\n');
    const before = issuer.stats.tokenRequests;
    const r = await runMain({ secrets });
    expectFailure(r, /stage "inputs"/, /Set the "scopes" input explicitly/, /every scope the agent has/);
    expect(issuer.stats.tokenRequests).toBe(before);
  });

  it('reports bad inputs by name with the fix, without echoing the agent key', async () => {
    const badKey = 'ass_a_not-a-real-key-canary-0123456789';
    const r = await runMain({
      'agent-key': badKey,
      ttl: 'forever',
      'export-env': 'yes',
      secrets: 'production/app/db-password\nproduction/../x',
    });
    const msg = expectFailure(
      r,
      /stage "inputs"/,
      /Input "agent-key" is not an agent key/,
      /Input "ttl"/,
      /Input "export-env" must be true or false/,
      /Input "secrets", line 2/,
    );
    expect(msg).not.toContain(badKey);
    expect(r.masks).toContain(badKey);
  });
});
