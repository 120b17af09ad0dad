import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli/version.js';
import { ass, type CliResult } from '../helpers/cli-io.js';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-Zq8vK2pLx7-do-not-print';
const TOKEN_RE = /ass_[uatp]_[0-9A-Za-z]{65}/;

let v: TestVault;
let admin: Record<string, string>;
/** Every stderr written in this file: the canary must never be in any of it. */
const allStderr: string[] = [];

async function run(args: string[], env: Record<string, string | undefined>, opts: Parameters<typeof ass>[2] = {}): Promise<CliResult> {
  const r = await ass(args, env, opts);
  allStderr.push(r.stderr);
  return r;
}

beforeAll(async () => {
  v = await startTestVault();
  admin = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
});
afterAll(async () => {
  await v.cleanup();
});

describe('ass basics', () => {
  it('prints the version, equal to package.json', async () => {
    const pkg = JSON.parse(await readFile(path.join(__dirname, '../../package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
    const r = await run(['--version'], {});
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('shows help for the tool, a group and a command', async () => {
    const top = await run(['--help'], {});
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('secrets get');
    expect(top.stdout).toContain('ASS_AGENT_KEY');
    const group = await run(['help', 'tokens'], {});
    expect(group.stdout).toContain('ass tokens exchange');
    const cmd = await run(['secrets', 'get', '--help'], {});
    expect(cmd.code).toBe(0);
    expect(cmd.stdout).toContain('--silent');
    expect((await run(['audit', '--help'], {})).stdout).toContain('--tail');
    expect((await run(['server', '--help'], {})).stdout).toContain('--database-url');
    for (const name of ['ASS_CA_CERT', 'ASS_MASTER_KEY_PREVIOUS', 'ASS_DATABASE_URL', 'ASS_DEBUG']) expect(top.stdout).toContain(name);
  });

  it("describes what --json prints from the route's response schema", async () => {
    const users = (await run(['users', 'list', '--help'], {})).stdout;
    expect(users).toContain(
      '--json   print the answer of GET /v1/users (docs/api.md): {users: [{id, name, role, approver, createdAt, revokedAt}]}',
    );
    const versions = (await run(['secrets', 'versions', '--help'], {})).stdout;
    expect(versions).toMatch(/versions: \[\{version, stage, type, tier, createdAt, createdBy, deletedAt\}\]/);
  });

  it('exits 2 naming the problem on bad usage', async () => {
    const none = await run([], {});
    expect(none.code).toBe(2);
    const group = await run(['secrets'], {});
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('ass secrets get');
    const sub = await run(['secrets', 'fetch'], {});
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/Unknown command "ass secrets fetch"/);
    const unknown = await run(['frobnicate'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
    const badOpt = await run(['secrets', 'get', 'a/b', '--bogus'], admin);
    expect(badOpt.code).toBe(2);
    expect(badOpt.stderr).toMatch(/Unknown option --bogus/);
    expect(badOpt.stderr).toMatch(/ass secrets get --help/);
    const missing = await run(['secrets', 'get'], admin);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Missing PATH/);
    const badPath = await run(['secrets', 'get', 'a/../b'], admin);
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toMatch(/relative segments/);
    const badType = await run(['secrets', 'set', 'a/b', 'x', '--type', 'ssh'], admin);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/--type must be one of api_key/);
    const badVersion = await run(['secrets', 'get', 'a/b', '--version', 'latest'], admin);
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toMatch(/--version must be a whole number/);
    const badTtl = await run(['tokens', 'issue', '--scopes', 'secrets:read:a/*', '--ttl', 'soon'], { ...admin, ASS_AGENT_KEY: 'x' });
    expect(badTtl.code).toBe(2);
    expect(badTtl.stderr).toMatch(/not a duration/);
  });

  it('exits 3 without a credential and says which variable to set', async () => {
    const r = await run(['secrets', 'list'], { ASS_URL: v.url });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ASS_TOKEN/);
    const agents = await run(['agents', 'list'], { ASS_URL: v.url });
    expect(agents.code).toBe(3);
    const bad = await run(['whoami'], {
      ASS_URL: v.url,
      ASS_TOKEN: 'ass_u_0000000000000000000000000000000000000000000000000000000000000000000',
    });
    expect(bad.code).toBe(3);
  });

  it('reports an unreachable vault with exit 1, naming the URL', async () => {
    const r = await run(['whoami'], { ASS_URL: 'http://127.0.0.1:1', ASS_TOKEN: v.adminToken });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('http://127.0.0.1:1');
    expect(r.stderr).not.toContain(v.adminToken);
  });

  it('whoami shows the identity', async () => {
    const r = await run(['whoami', '--json'], admin);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'user', name: 'admin', role: 'admin' });
    expect((await run(['whoami'], admin)).stdout).toMatch(/role\s+admin/);
  });
});

describe('plain http beyond loopback', () => {
  it('is refused before any credential is sent, unless --insecure says so', async () => {
    const refused = await run(['secrets', 'get', 'app/db'], { ASS_URL: 'http://vault.example.com:8200', ASS_TOKEN: v.adminToken });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Refusing to send your credential to vault\.example\.com:8200 over plain http/);
    expect(refused.stderr).toMatch(/--insecure/);
    expect(refused.stderr).not.toContain(v.adminToken);
    const agent = await run(['tokens', 'issue', '--scopes', 'secrets:read:app/*', '--ttl', '1h', '--url', 'http://10.1.2.3:8200'], {
      ASS_AGENT_KEY: 'ass_a_x',
    });
    expect(agent.code).toBe(2);
    expect(agent.stderr).toMatch(/over plain http/);
    // Loopback in any spelling, and https, are fine.
    for (const url of [v.url, v.url.replace('127.0.0.1', 'localhost')]) {
      expect((await run(['whoami'], { ASS_URL: url, ASS_TOKEN: v.adminToken })).code, url).toBe(0);
    }
    // --insecure to this machine's own non-loopback address (it never leaves the host).
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!address) return;
    const wide = await startTestVault({ listen: '0.0.0.0:0' });
    try {
      const url = `http://${address}:${new URL(wide.url).port}`;
      expect((await run(['whoami'], { ASS_URL: url, ASS_TOKEN: wide.adminToken })).code).toBe(2);
      const insecure = await run(['whoami', '--insecure'], { ASS_URL: url, ASS_TOKEN: wide.adminToken });
      expect(insecure.code).toBe(0);
      expect(insecure.stderr).toMatch(/^warning: sending your credential .* over plain http \(--insecure\)/);
    } finally {
      await wide.cleanup();
    }
  });
});

describe('ass secrets', () => {
  it('stores from an argument and reads back in every output form', async () => {
    const set = await run(
      [
        'secrets',
        'set',
        'production/gemini/GEMINI_API_KEY',
        'first-value',
        '--type',
        'api_key',
        '--tier',
        'sensitive',
        '--description',
        'Gemini key',
        '--json',
      ],
      admin,
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      path: 'production/gemini/GEMINI_API_KEY',
      version: 1,
      type: 'api_key',
      tier: 'sensitive',
    });
    const human = await run(['secrets', 'set', 'production/gemini/GEMINI_API_KEY', 'second-value'], admin);
    expect(human.stdout).toBe('Stored production/gemini/GEMINI_API_KEY version 2 (api_key, sensitive).\n');

    const silent = await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY', '--silent'], admin);
    expect(silent).toEqual({ code: 0, stdout: 'second-value', stderr: '' });
    const json = await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY', '--json'], admin);
    expect(JSON.parse(json.stdout)).toEqual({
      path: 'production/gemini/GEMINI_API_KEY',
      version: 2,
      value: 'second-value',
      type: 'api_key',
      tier: 'sensitive',
      createdAt: expect.any(String),
    });
    const old = await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY', '--version', '1', '--silent'], admin);
    expect(old.stdout).toBe('first-value');
    const plain = await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY'], admin);
    expect(plain.stdout).toMatch(/^path\s+production\/gemini\/GEMINI_API_KEY$/m);
    expect(plain.stdout).toMatch(/^version\s+2$/m);
    expect(plain.stdout).toContain('second-value');
  });

  it('reads the value from stdin, stripping exactly one trailing newline', async () => {
    const a = await run(['secrets', 'set', 'staging/db/password'], admin, { input: 'pw-from-stdin\n\n' });
    expect(a.code).toBe(0);
    expect((await run(['secrets', 'get', 'staging/db/password', '--silent'], admin)).stdout).toBe('pw-from-stdin\n');
    await run(['secrets', 'set', 'staging/db/password', '-'], admin, { input: 'dash\r\n' });
    expect((await run(['secrets', 'get', 'staging/db/password', '--silent'], admin)).stdout).toBe('dash');
    await run(['secrets', 'set', 'staging/db/password', '--stdin'], admin, { input: '-----BEGIN KEY-----\nline\n-----END KEY-----\n' });
    expect((await run(['secrets', 'get', 'staging/db/password', '--silent'], admin)).stdout).toBe(
      '-----BEGIN KEY-----\nline\n-----END KEY-----',
    );
    const empty = await run(['secrets', 'set', 'staging/db/password'], admin, { input: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/value is empty/);
  });

  it('checks the expected version (0 = create only) with exit 2 on a conflict', async () => {
    expect((await run(['secrets', 'set', 'staging/app/key', 'v1', '--expected-version', '0'], admin)).code).toBe(0);
    const again = await run(['secrets', 'set', 'staging/app/key', 'v2', '--expected-version', '0'], admin);
    expect(again.code).toBe(2);
    expect((await run(['secrets', 'set', 'staging/app/key', 'v2', '--expected-version', '1'], admin)).code).toBe(0);
  });

  it('lists metadata and versions without values', async () => {
    const list = await run(['secrets', 'list', 'production', '--json'], admin);
    expect(list.code).toBe(0);
    const body = JSON.parse(list.stdout);
    expect(body.secrets.map((s: { path: string }) => s.path)).toEqual(['production/gemini/GEMINI_API_KEY']);
    expect(body.secrets[0]).toMatchObject({ version: 2, type: 'api_key', tier: 'sensitive', description: 'Gemini key', deleted: false });
    expect(list.stdout).not.toContain('second-value');
    const table = await run(['secrets', 'list'], admin);
    expect(table.stdout.split('\n')[0]).toMatch(/^PATH\s+VERSION\s+TYPE\s+TIER\s+UPDATED\s+DESCRIPTION$/);
    expect(table.stdout).toMatch(/production\/gemini\/GEMINI_API_KEY\s+2\s+api_key\s+sensitive/);
    expect(table.stdout).not.toContain('second-value');
    // Columns are aligned: every row starts its second column at the same offset.
    const rows = table.stdout.trimEnd().split('\n');
    const col = rows[0]!.indexOf('VERSION');
    for (const row of rows.slice(1)) expect(row[col - 1]).toBe(' ');

    const versions = await run(['secrets', 'versions', 'production/gemini/GEMINI_API_KEY', '--json'], admin);
    const vb = JSON.parse(versions.stdout);
    expect(vb.versions.map((x: { version: number }) => x.version).sort()).toEqual([1, 2]);
    expect(versions.stdout).not.toContain('value');
    const vh = await run(['secrets', 'versions', 'production/gemini/GEMINI_API_KEY'], admin);
    expect(vh.stdout).toMatch(/^VERSION\s+STAGE\s+TYPE\s+TIER\s+CREATED\s+CREATED BY\s+DELETED$/m);
  });

  it('soft-deletes, then get exits 4', async () => {
    await run(['secrets', 'set', 'tmp/delete-me', 'x'], admin);
    const del = await run(['secrets', 'delete', 'tmp/delete-me', '--json'], admin);
    expect(del.code).toBe(0);
    expect(JSON.parse(del.stdout)).toEqual({ path: 'tmp/delete-me', deleted: true, version: 1 });
    const get = await run(['secrets', 'get', 'tmp/delete-me'], admin);
    expect(get.code).toBe(4);
    expect(get.stderr).toMatch(/^error: /);
    expect((await run(['secrets', 'list', 'tmp', '--deleted', '--json'], admin)).stdout).toContain('"deleted": true');
    expect((await run(['secrets', 'get', 'never/existed'], admin)).code).toBe(4);
  });

  it('exits 3 when the role may not read values', async () => {
    const user = await run(['users', 'create', '--name', 'vera', '--role', 'viewer', '--json'], admin);
    expect(user.code).toBe(0);
    const created = JSON.parse(user.stdout);
    expect(created).toMatchObject({
      id: expect.any(String),
      name: 'vera',
      role: 'viewer',
      token: expect.stringMatching(/^ass_u_/),
      createdAt: expect.any(String),
    });
    const viewer = { ASS_URL: v.url, ASS_TOKEN: created.token };
    const r = await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY', '--silent'], viewer);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect((await run(['secrets', 'list'], viewer)).code).toBe(0);
    expect((await run(['agents', 'list'], viewer)).code).toBe(3);
  });
});

describe('agents and tokens', () => {
  let agentKey: string;

  it('creates an agent and prints its key once', async () => {
    const r = await run(
      [
        'agents',
        'create',
        '--name',
        'inference-service',
        '--scopes',
        'secrets:read:production/gemini/*, secrets:write:staging/*,secrets:list:production/*',
        '--description',
        'LLM worker',
        '--json',
      ],
      admin,
    );
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({
      id: expect.any(String),
      name: 'inference-service',
      description: 'LLM worker',
      agentKey: expect.stringMatching(/^ass_a_[0-9A-Za-z]{65}$/),
    });
    expect(body.scopes).toEqual(['secrets:read:production/gemini/*', 'secrets:write:staging/*', 'secrets:list:production/*']);
    agentKey = body.agentKey;
    const human = await run(['agents', 'create', '--name', 'other-service', '--scopes', 'secrets:read:other/*'], admin);
    expect(human.stdout).toMatch(/Agent key \(shown only now/);
    expect(human.stdout).toMatch(/^ass_a_[0-9A-Za-z]{65}$/m);
    const list = await run(['agents', 'list'], admin);
    expect(list.stdout).toMatch(/^NAME\s+ID\s+SCOPES/);
    expect(list.stdout).toContain('inference-service');
    expect(list.stdout).not.toMatch(TOKEN_RE);
  });

  it('refuses bad scopes and claims with exit 2', async () => {
    const bad = await run(['agents', 'create', '--name', 'x', '--scopes', 'secrets:read:prod/gem*'], admin);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/whole segment/);
    const noScopes = await run(['agents', 'create', '--name', 'x'], admin);
    expect(noScopes.code).toBe(2);
    expect(noScopes.stderr).toMatch(/--scopes is required/);
    const claim = await run(['agents', 'create', '--name', 'x', '--scopes', 'secrets:read:a/*', '--oidc-claim', 'repository_id'], admin);
    expect(claim.code).toBe(2);
    expect(claim.stderr).toMatch(/NAME=VALUE/);
  });

  it('with only ASS_AGENT_KEY, secrets commands issue themselves a single-use token', async () => {
    const env = { ASS_URL: v.url, ASS_AGENT_KEY: agentKey };
    const get = await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY', '--silent'], env);
    expect(get).toEqual({ code: 0, stdout: 'second-value', stderr: '' });
    const set = await run(['secrets', 'set', 'staging/gemini/key'], env, { input: 'rotated\n' });
    expect(set.code).toBe(0);
    expect((await run(['secrets', 'list', 'production', '--json'], env)).code).toBe(0);
    const versions = await run(['secrets', 'versions', 'production/gemini/GEMINI_API_KEY', '--json'], env);
    expect(versions.code).toBe(0);
    expect(JSON.parse(versions.stdout).version).toBe(2);
    expect((await run(['secrets', 'delete', 'staging/gemini/key'], env)).code).toBe(0);
    // --url overrides ASS_URL.
    const viaFlag = await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY', '--silent', '--url', v.url], {
      ASS_URL: 'http://127.0.0.1:1',
      ASS_AGENT_KEY: agentKey,
    });
    expect(viaFlag.stdout).toBe('second-value');
    const tokens = JSON.parse((await run(['tokens', 'list', '--agent', 'inference-service', '--all', '--json'], admin)).stdout).tokens;
    const read = tokens.find((t: { scopes: string[] }) => t.scopes[0] === 'secrets:read:production/gemini/GEMINI_API_KEY');
    expect(read).toMatchObject({ maxUses: 1, uses: 1 });
    expect(tokens.find((t: { scopes: string[] }) => t.scopes[0] === 'secrets:write:staging/gemini/key')).toBeTruthy();
    // Outside the agent's scopes: denied, exit 3.
    const denied = await run(['secrets', 'get', 'production/stripe/key', '--silent'], env);
    expect(denied.code).toBe(3);
    expect(denied.stdout).toBe('');
  });

  it('issues, lists (by path) and revokes scoped tokens', async () => {
    const env = { ASS_URL: v.url, ASS_AGENT_KEY: agentKey };
    const r = await run(
      [
        'tokens',
        'issue',
        '--scopes',
        'secrets:read:production/gemini/*',
        '--ttl',
        '1h',
        '--max-uses',
        '5',
        '--allowed-ips',
        '127.0.0.1,10.0.0.0/24',
        '--description',
        'batch job',
        '--json',
      ],
      env,
    );
    expect(r.code).toBe(0);
    const token = JSON.parse(r.stdout);
    expect(token).toMatchObject({
      token: expect.stringMatching(/^ass_t_[0-9A-Za-z]{65}$/),
      id: expect.any(String),
      agent: 'inference-service',
      scopes: ['secrets:read:production/gemini/*'],
      expiresAt: expect.any(String),
      maxUses: 5,
      allowedIps: ['127.0.0.1', '10.0.0.0/24'],
      description: 'batch job',
    });
    const ttl = Date.parse(token.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(3500_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);

    const scoped = { ASS_URL: v.url, ASS_TOKEN: token.token };
    expect((await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY', '--silent'], scoped)).stdout).toBe('second-value');
    expect((await run(['whoami', '--json'], scoped)).stdout).toContain('"kind": "token"');

    const byPath = await run(['tokens', 'list', '--path', 'production/gemini/GEMINI_API_KEY', '--json'], admin);
    expect(JSON.parse(byPath.stdout).tokens.map((t: { id: string }) => t.id)).toContain(token.id);
    const table = await run(['tokens', 'list', '--path', 'production/gemini/GEMINI_API_KEY'], admin);
    expect(table.stdout).toMatch(/^ID\s+KIND\s+AGENT\s+SCOPES\s+EXPIRES\s+USES\s+ACTIVE\s+REVOKED\s+DESCRIPTION$/m);
    expect(table.stdout).toContain(token.id);
    expect(table.stdout).not.toContain(token.token);

    const rev = await run(['tokens', 'revoke', token.id, '--json'], admin);
    expect(JSON.parse(rev.stdout)).toEqual({ id: token.id, revoked: true });
    expect((await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY'], scoped)).code).toBe(3);
    const notFound = await run(['tokens', 'revoke', 'AAAAAAAAAAAAAAAA'], admin);
    expect(notFound.code).toBe(4);
    const wrong = await run(['tokens', 'revoke', token.token], admin);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).not.toContain(token.token);
  });

  it('refuses bad token options with exit 2 and a scope beyond the agent with exit 3', async () => {
    const env = { ASS_URL: v.url, ASS_AGENT_KEY: agentKey };
    const ip = await run(
      ['tokens', 'issue', '--scopes', 'secrets:read:production/gemini/*', '--ttl', '1h', '--allowed-ips', '10.0.0.300'],
      env,
    );
    expect(ip.code).toBe(2);
    expect(ip.stderr).toMatch(/not a valid IPv4 or IPv6/);
    const noTtl = await run(['tokens', 'issue', '--scopes', 'secrets:read:production/gemini/*'], env);
    expect(noTtl.code).toBe(2);
    expect(noTtl.stderr).toMatch(/--ttl is required/);
    const uses = await run(['tokens', 'issue', '--scopes', 'secrets:read:production/gemini/*', '--ttl', '1h', '--max-uses', '0'], env);
    expect(uses.code).toBe(2);
    const beyond = await run(['tokens', 'issue', '--scopes', 'secrets:read:production/*', '--ttl', '1h'], env);
    expect(beyond.code).toBe(3);
    const noKey = await run(['tokens', 'issue', '--scopes', 'secrets:read:production/gemini/*', '--ttl', '1h'], admin);
    expect(noKey.code).toBe(3);
    expect(noKey.stderr).toMatch(/ASS_AGENT_KEY/);
  });

  it('revokes an agent and its tokens; a missing agent exits 4', async () => {
    const created = JSON.parse(
      (await run(['agents', 'create', '--name', 'doomed', '--scopes', 'secrets:read:x/*', '--json'], admin)).stdout,
    );
    await run(['tokens', 'issue', '--scopes', 'secrets:read:x/*', '--ttl', '10m'], { ASS_URL: v.url, ASS_AGENT_KEY: created.agentKey });
    const r = await run(['agents', 'revoke', 'doomed'], admin);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Revoked agent doomed and 1 token it issued.\n');
    expect(
      (await run(['tokens', 'issue', '--scopes', 'secrets:read:x/*', '--ttl', '10m'], { ASS_URL: v.url, ASS_AGENT_KEY: created.agentKey }))
        .code,
    ).toBe(3);
    expect((await run(['agents', 'revoke', 'no-such-agent'], admin)).code).toBe(4);
  });
});

describe('tokens exchange', () => {
  let issuer: LocalOidcIssuer;
  beforeAll(async () => {
    issuer = await startOidcIssuer();
  });
  afterAll(async () => {
    await issuer.close();
  });

  it('exchanges an OIDC token and the agent key for a pipeline token', async () => {
    const created = await run(
      [
        'agents',
        'create',
        '--name',
        'deploy',
        '--scopes',
        'secrets:read:production/*',
        '--oidc-issuer',
        issuer.url,
        '--oidc-claim',
        `repository_id=${issuer.claims.repository_id}`,
        '--oidc-claim',
        `repository_owner_id=${issuer.claims.repository_owner_id}`,
        '--json',
      ],
      admin,
    );
    expect(created.code).toBe(0);
    const agent = JSON.parse(created.stdout);
    expect(agent.trustPolicy).toMatchObject({ issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } });
    const env = { ASS_URL: v.url, ASS_AGENT_KEY: agent.agentKey };
    const jwt = await issuer.mint({ audience: v.url });
    const r = await run(
      ['tokens', 'exchange', '--oidc-token', jwt, '--scopes', 'secrets:read:production/gemini/*', '--ttl', '10m', '--json'],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({
      token: expect.stringMatching(/^ass_p_/),
      id: expect.any(String),
      agent: 'deploy',
      scopes: ['secrets:read:production/gemini/*'],
      expiresAt: expect.any(String),
    });
    expect(body.claims).toMatchObject({ run_id: issuer.claims.run_id, repository: issuer.claims.repository });
    const read = await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY', '--silent'], { ASS_URL: v.url, ASS_TOKEN: body.token });
    expect(read.stdout).toBe('second-value');

    // Replay refused (exit 3); the JWT comes from stdin with '-'.
    const replay = await run(['tokens', 'exchange', '--oidc-token', '-'], env, { input: `${jwt}\n` });
    expect(replay.code).toBe(3);
    expect(replay.stderr).not.toContain(jwt);
    const wrongClaim = await run(
      ['tokens', 'exchange', '--oidc-token', await issuer.mint({ audience: v.url, claims: { repository_id: '1' } })],
      env,
    );
    expect(wrongClaim.code).toBe(3);
    expect(wrongClaim.stderr).toMatch(/repository_id/);
    expect((await run(['tokens', 'exchange'], env)).code).toBe(2);
  });
});

describe('ass audit', () => {
  it('queries with filters, as a table and as JSON', async () => {
    const json = await run(
      ['audit', '--limit', '3', '--event-type', 'secret.read', '--status', 'granted', '--since', '1h', '--json'],
      admin,
    );
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.events).toHaveLength(3);
    expect(body.events.every((e: { event: string; status: string }) => e.event === 'secret.read' && e.status === 'granted')).toBe(true);
    expect(typeof body.nextSeq).toBe('number');
    // The viewer's denied read (above) is found by status and path.
    const denied = JSON.parse(
      (await run(['audit', '--status', 'denied', '--resource-path', 'production/gemini/GEMINI_API_KEY', '--json'], admin)).stdout,
    );
    expect(denied.events.length).toBeGreaterThan(0);
    expect(
      denied.events.every((e: { path: string; status: string }) => e.path === 'production/gemini/GEMINI_API_KEY' && e.status === 'denied'),
    ).toBe(true);
    const table = await run(['audit', '--limit', '5'], admin);
    expect(table.stdout).toMatch(/^SEQ\s+TIME\s+EVENT\s+STATUS\s+ACTOR\s+PATH\s+IP\s+CI RUN\s+REASON$/m);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(6);
    for (const bad of [
      ['--since', 'yesterday'],
      ['--status', 'ok'],
      ['--limit', '0'],
    ]) {
      expect((await run(['audit', ...bad], admin)).code).toBe(2);
    }
  });

  it('--tail polls after the last seq until stopped', async () => {
    const ac = new AbortController();
    let polls = 0;
    const sleep = async () => {
      polls++;
      if (polls === 1) await run(['secrets', 'get', 'production/gemini/GEMINI_API_KEY', '--silent'], admin);
      if (polls === 3) ac.abort();
    };
    const r = await run(['audit', '--tail', '--limit', '2', '--json', '--event-type', 'secret.read'], admin, {
      deps: { sleep, stopSignal: ac.signal },
    });
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].seq).toBeLessThan(lines[1].seq);
    expect(lines[2]).toMatchObject({ event: 'secret.read', path: 'production/gemini/GEMINI_API_KEY' });
    expect(polls).toBe(3);
  });

  it('--tail prints a table once, then only new rows, oldest first', async () => {
    const ac = new AbortController();
    let polls = 0;
    const sleep = async () => {
      polls++;
      if (polls === 1) await run(['secrets', 'get', 'staging/app/key', '--silent'], admin);
      if (polls === 2) ac.abort();
    };
    const r = await run(['audit', '--tail', '--limit', '3', '--event-type', 'secret.read'], admin, {
      deps: { sleep, stopSignal: ac.signal },
    });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEQ\s+TIME\s+EVENT/);
    expect(lines.filter((l) => l.startsWith('SEQ'))).toHaveLength(1);
    expect(lines).toHaveLength(5);
    const seqs = lines.slice(1).map((l) => Number(l.split(/\s+/)[0]));
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(lines[4]).toContain('staging/app/key');
  });

  it('exports CSV and JSON', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ass-cli-export-'));
    try {
      const r = await run(['audit', 'export', '--format', 'csv', '--output', 'audit.csv', '--event-type', 'secret.read'], admin, {
        cwd: dir,
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      const csv = await readFile(path.join(dir, 'audit.csv'), 'utf8');
      expect(csv.split('\n')[0]).toContain('prevHash');
      expect(csv).toContain('secret.read');
      expect(csv).not.toContain('second-value');
      expect((await stat(path.join(dir, 'audit.csv'))).mode & 0o777).toBe(0o600);
      const j = await run(['audit', 'export', '--format', 'json'], admin);
      const doc = JSON.parse(j.stdout);
      expect(Array.isArray(doc.events)).toBe(true);
      expect(doc.checkpoint).toMatchObject({ signature: expect.any(String) });
      expect((await run(['audit', 'export'], admin)).code).toBe(2);
      expect((await run(['audit', 'export', '--format', 'xml'], admin)).code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('verify passes on an intact chain and exits 1 listing the problems when a record was edited; the vault then releases nothing', async () => {
    // Its own vault: a broken log stops the vault, and the other tests need theirs.
    const own = await startTestVault();
    try {
      const env = { ASS_URL: own.url, ASS_TOKEN: own.adminToken };
      await run(['secrets', 'set', 'app/db', 'canary-verify-cli'], env);
      const ok = await run(['audit', 'verify', '--json'], env);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, problems: [] });
      expect((await run(['audit', 'verify'], env)).stdout).toMatch(/^Audit chain intact/);

      const db = new DatabaseSync(path.join(own.dataDir, 'vault.db'));
      db.exec('DROP TRIGGER audit_append_only_update');
      db.prepare("UPDATE audit SET reason = 'edited' WHERE seq = 2").run();
      db.close();
      const broken = await run(['audit', 'verify'], env);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/BROKEN/);
      expect(broken.stdout).toMatch(/^2\s+/m);
      const brokenJson = await run(['audit', 'verify', '--json'], env);
      expect(brokenJson.code).toBe(1);
      expect(JSON.parse(brokenJson.stdout).problems[0]).toMatchObject({ seq: 2 });
      const refused = await run(['secrets', 'get', 'app/db'], env);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/audit log failed verification/);
      expect(refused.stdout + refused.stderr).not.toContain('canary-verify-cli');
    } finally {
      await own.cleanup();
    }
  });
});

describe('secrets never leak', () => {
  it('no error output ever contains a secret value or credential', async () => {
    await run(['secrets', 'set', 'canary/value'], admin, { input: CANARY });
    const attempts: Array<[string[], Record<string, string>, string?]> = [
      [['secrets', 'set', 'canary//bad', CANARY], admin],
      [['secrets', 'set', 'canary/value', CANARY, 'extra'], admin],
      [['secrets', 'set', 'canary/value', `-${CANARY}`], admin],
      [['secrets', 'set', 'canary/value', CANARY, '--type', 'nope'], admin],
      [['secrets', 'set', 'canary/value', CANARY, '--expected-version', '0'], admin],
      [['secrets', 'set', 'canary/value', '--stdin', CANARY], admin],
      [['secrets', 'set', 'canary/value', CANARY], { ASS_URL: 'http://127.0.0.1:1', ASS_TOKEN: v.adminToken }],
      [['secrets', 'get', 'canary/value', '--silent', '--json'], admin],
      [['secrets', 'get', 'canary/value'], { ASS_URL: v.url, ASS_TOKEN: `ass_u_${'0'.repeat(65)}` }],
      [['secrets', 'set', 'canary/value'], { ASS_URL: v.url }, `${CANARY}\n`],
    ];
    for (const [args, env, input] of attempts) {
      const r = await run(args, env, input === undefined ? {} : { input });
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(/^error: /);
    }
    expect((await run(['secrets', 'get', 'canary/value', '--silent'], admin)).stdout).toBe(CANARY);
    const joined = allStderr.join('\n');
    expect(joined).not.toContain(CANARY);
    expect(joined).not.toContain(v.adminToken);
    expect(joined).not.toMatch(TOKEN_RE);
    expect(joined).not.toContain('second-value');
  });
});
