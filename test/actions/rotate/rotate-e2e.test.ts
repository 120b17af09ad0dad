/**
 * End to end: the built rotate action (main, then post with STATE_*), run with `node` as the runner
 * runs it, against a real vault on loopback with random and command rotation policies, and a local
 * OIDC issuer behind the runner's token request endpoint. Old and new values are canaries: they
 * must appear nowhere but in the runner's ::add-mask:: lines, and those must come first.
 */
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import sodium from 'libsodium-wrappers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepResult } from '../../helpers/action-runner.js';
import { actionDefaults, makeRunnerTemp, runStep, visibleLog } from '../../helpers/action-runner.js';
import type { LocalOidcIssuer } from '../../helpers/oidc-issuer.js';
import { startOidcIssuer } from '../../helpers/oidc-issuer.js';
import type { TestVault } from '../../helpers/vault.js';
import { fakeClock, startTestVault } from '../../helpers/vault.js';

const root = path.resolve(import.meta.dirname, '../../..');

const OLD: Record<string, string> = {
  'app/random-a': 'canary-old-random-a-5e1f9a7b',
  'app/random-b': 'canary-old-random-b-9c2d4e6f',
  'app/cmd-ok': 'canary-old-cmd-ok-1a2b3c4d',
  'app/cmd-bad': 'canary-old-cmd-bad-3c4d5e6f',
  'other/elsewhere': 'canary-old-other-7a8b9c0d',
};
// The values the commands print, spelled so that the command text does not contain them.
const CMD_NEW = 'canary-new-cmd-4d5e6f7a';
const CMD_BAD_NEW = 'canary-bad-new-8b9c0d1e';
// The test command proves too that the rotator's scripts do not see the step's inputs (the agent
// key) or the runner's OIDC request handle.
const CLEAN_ENV_TEST =
  "cat >/dev/null; if env | grep -q -e '^INPUT_' -e '^ACTIONS_ID_TOKEN' -e '^STATE_'; then echo 'the step inputs leaked into the rotator env' >&2; exit 1; fi";
const POLICIES: Record<string, { rotator: string; settings: Record<string, unknown> }> = {
  'app/random-a': { rotator: 'random', settings: { length: 40 } },
  'app/random-b': { rotator: 'random', settings: { length: 32, alphabet: 'hex' } },
  'app/cmd-ok': { rotator: 'command', settings: { command: "printf 'canary-new-cmd-%s' 4d5e6f7a", testCommand: CLEAN_ENV_TEST } },
  'app/cmd-bad': {
    rotator: 'command',
    settings: {
      command: "printf 'canary-bad-new-%s' 8b9c0d1e",
      testCommand: "cat >/dev/null; echo 'the provider refused the new key' >&2; exit 1",
    },
  },
  'other/elsewhere': { rotator: 'random', settings: {} },
};
const APP_SCOPES = 'secrets:rotate:app/* secrets:read:app/*';

let mainJs: string;
let postJs: string;
let defaults: Record<string, string>;
let vault: TestVault;
let issuer: LocalOidcIssuer;
let agentKey: string;
let runnerTemp: string;
const clock = fakeClock(Date.now());
/** Every value seen (old, new, refused): none may show anywhere but in ::add-mask::. */
const canaries = new Set<string>([...Object.values(OLD), CMD_NEW, CMD_BAD_NEW]);

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  // The command policies here are the test's own: this workflow accepts running them.
  return { ...defaults, url: vault.url, 'agent-key': agentKey, 'allow-commands': 'true', ...overrides };
}

async function runMain(overrides: Record<string, string> = {}, env: Record<string, string> = {}): Promise<StepResult> {
  return runStep({ script: mainJs, inputs: inputs(overrides), env: { ...issuer.runnerEnv(), ...env }, runnerTemp });
}

async function runPost(main: StepResult): Promise<StepResult> {
  return runStep({ script: postJs, inputs: inputs(), env: { ...main.env }, state: main.state, runnerTemp });
}

async function secret(p: string, stage?: string): Promise<{ value: string; version: number }> {
  const res = await vault.call('GET', `/v1/secrets/${p}${stage ? `?stage=${stage}` : ''}`, { token: vault.adminToken });
  if (res.status !== 200) throw new Error(`get ${p}: ${res.status} ${res.text}`);
  return res.body;
}

function expectNoCanary(r: StepResult) {
  const places = { log: visibleLog(r), outputs: r.files.output, summary: r.files.summary, state: r.files.state, env: r.files.env };
  for (const [where, text] of Object.entries(places))
    for (const c of canaries) expect(text.includes(c), `${where} contains ${JSON.stringify(c)}`).toBe(false);
}

const parse = (r: StepResult, name: string) => JSON.parse(r.outputs[name] as string) as Array<Record<string, unknown>>;

beforeAll(async () => {
  const dist = process.env.ASS_TEST_DIST ?? path.join(root, 'dist');
  mainJs = path.join(dist, 'actions/rotate-main.js');
  postJs = path.join(dist, 'actions/rotate-post.js');
  defaults = await actionDefaults(path.join(root, 'rotate/action.yml'));
  vault = await startTestVault({ now: clock });
  issuer = await startOidcIssuer({ now: clock });
  for (const [p, value] of Object.entries(OLD)) {
    const res = await vault.call('PUT', `/v1/secrets/${p}`, { token: vault.adminToken, body: { value } });
    if (res.status !== 200 && res.status !== 201) throw new Error(`put ${p}: ${res.status} ${res.text}`);
    const pol = await vault.call('PUT', `/v1/rotation/policies/${p}`, {
      token: vault.adminToken,
      body: { ...POLICIES[p], every: '1h', grace: '30m' },
    });
    if (pol.status !== 200 && pol.status !== 201) throw new Error(`policy ${p}: ${pol.status} ${pol.text}`);
  }
  const agent = await vault.call('POST', '/v1/agents', {
    token: vault.adminToken,
    body: {
      name: 'rotate',
      scopes: ['secrets:rotate:app/*', 'secrets:read:app/*'],
      trustPolicy: { issuer: issuer.url, claims: { repository_id: '74', repository_owner_id: '65' } },
    },
  });
  if (agent.status !== 201) throw new Error(`agent: ${agent.status} ${agent.text}`);
  agentKey = agent.body.agentKey as string;
  runnerTemp = await makeRunnerTemp();
}, 180_000);

afterAll(async () => {
  await vault?.cleanup();
  await issuer?.close();
  if (runnerTemp) await rm(runnerTemp, { recursive: true, force: true });
});

describe('rotate action, nothing due yet', () => {
  it('rotates nothing and says so', async () => {
    const main = await runMain({ scopes: APP_SCOPES });
    expect(main.stderr).toBe('');
    expect(main.code, visibleLog(main)).toBe(0);
    expect(parse(main, 'rotated')).toEqual([]);
    expect(parse(main, 'failed')).toEqual([]);
    expect(main.summary).toContain('Nothing to rotate');
    expect((await secret('app/random-a')).version).toBe(1);
    expect((await runPost(main)).code).toBe(0);
  });
});

describe('rotate action, dry run of everything due', () => {
  let main: StepResult;
  beforeAll(async () => {
    clock.advance(2 * 3600_000); // every policy is now an hour overdue
    main = await runMain({ scopes: APP_SCOPES, 'dry-run': 'true' });
  });

  it('lists what would rotate within the token scopes and changes nothing', async () => {
    expect(main.stderr).toBe('');
    expect(main.code, visibleLog(main)).toBe(0);
    expect(
      parse(main, 'would-rotate')
        .map((e) => e.path)
        .sort(),
    ).toEqual(['app/cmd-bad', 'app/cmd-ok', 'app/random-a', 'app/random-b']);
    expect(parse(main, 'rotated')).toEqual([]);
    for (const p of Object.keys(OLD)) expect(await secret(p)).toMatchObject({ value: OLD[p], version: 1 });
    expect(main.summary).toContain('Dry run: nothing was changed. 4 secret(s) would rotate.');
    expect(main.summary.match(/<td>would rotate<\/td>/g)).toHaveLength(4);
    expectNoCanary(main);
  });
});

describe('rotate action, everything due', () => {
  let main: StepResult;
  let post: StepResult;
  const NEW: Record<string, string> = {};

  beforeAll(async () => {
    main = await runMain({ scopes: APP_SCOPES });
    post = await runPost(main);
    for (const p of ['app/random-a', 'app/random-b', 'app/cmd-ok']) {
      NEW[p] = (await secret(p)).value;
      canaries.add(NEW[p] as string);
    }
  });

  it('rotates the due secrets: the current version moves, the previous one stays readable for the grace period', async () => {
    expect(main.stderr).toBe('');
    for (const p of ['app/random-a', 'app/random-b', 'app/cmd-ok']) {
      expect(await secret(p)).toMatchObject({ version: 2 });
      expect(await secret(p, 'previous')).toEqual(expect.objectContaining({ value: OLD[p], version: 1 }));
    }
    expect(NEW['app/random-a']).toMatch(/^[0-9A-Za-z]{40}$/);
    expect(NEW['app/random-b']).toMatch(/^[0-9a-f]{32}$/);
    expect(NEW['app/cmd-ok']).toBe(CMD_NEW);
    // Out of the agent's scopes: due, but neither listed nor touched.
    expect(await secret('other/elsewhere')).toMatchObject({ value: OLD['other/elsewhere'], version: 1 });
  });

  it('leaves the current value of a secret whose test failed, and fails the step naming it', async () => {
    expect(await secret('app/cmd-bad')).toMatchObject({ value: OLD['app/cmd-bad'], version: 1 });
    expect(main.code).toBe(1);
    const error = main.stdout.split('\n').find((l) => l.startsWith('::error::1 rotation(s) failed')) ?? '';
    expect(error).toContain('app/cmd-bad');
  });

  it('writes the rotated and failed outputs as JSON: paths, versions, ids, never a value', () => {
    const rotated = parse(main, 'rotated');
    expect(rotated.map((e) => e.path).sort()).toEqual(['app/cmd-ok', 'app/random-a', 'app/random-b']);
    for (const e of rotated) {
      expect(Object.keys(e).sort()).toEqual(['fromVersion', 'path', 'rotationId', 'rotator', 'toVersion']);
      expect(e).toMatchObject({ fromVersion: 1, toVersion: 2, rotator: POLICIES[e.path as string]?.rotator });
      expect(e.rotationId).toEqual(expect.any(String));
    }
    const failed = parse(main, 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ path: 'app/cmd-bad', rotator: 'command', fromVersion: 1, toVersion: null });
    expect(failed[0]?.reason).toMatch(/test/);
    expect(failed[0]?.rotationId).toEqual(expect.any(String));
  });

  it('writes one summary row per secret, the failure first with its reason', () => {
    const rows = main.summary.split('\n').filter((l) => l.startsWith('<tr><td>'));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('<code>app/cmd-bad</code>');
    expect(rows[0]).toContain('failed');
    expect(rows[0]).toContain('1 (unchanged)');
    expect(rows[0]).toMatch(/test/);
    for (const row of rows.slice(1)) {
      expect(row).toContain('rotated');
      expect(row).toContain('1 → 2');
      // next due, and the end of the grace period (30 minutes after the fake clock's now)
      expect(row).toMatch(/<td>\d{4}-\d\d-\d\dT[^<]+<\/td><td>\d{4}-\d\d-\d\dT[^<]+<\/td>/);
    }
    expect(rows.find((r) => r.includes('app/cmd-ok'))).toContain('<td>passed</td>');
    expect(main.summary).toContain('3 rotated, 1 failed, 0 skipped.');
  });

  it('masks every new value before anything else is printed, never reads an old one it does not need, and shows none anywhere', () => {
    for (const p of ['app/random-a', 'app/random-b', 'app/cmd-ok']) {
      const maskAt = main.stdout.indexOf(`::add-mask::${NEW[p]}`);
      expect(maskAt, p).toBeGreaterThanOrEqual(0);
      expect(maskAt).toBeLessThan(main.stdout.indexOf(`${p}: version 1`));
      // random and command rotators make the next value without the current one: it is never read.
      expect(main.stdout).not.toContain(OLD[p] as string);
    }
    expect(main.masks).toContain(CMD_BAD_NEW);
    expect(main.stdout).not.toContain(OLD['app/cmd-bad'] as string);
    expect(main.masks).toContain(agentKey);
    expect(main.masks).toContain(main.state.token);
    expectNoCanary(main);
    expectNoCanary(post);
  });

  it('revokes the pipeline token in the post step', async () => {
    const token = main.state.token as string;
    expect(token).toMatch(/^ass_p_/);
    expect(post.stderr).toBe('');
    expect(post.code, visibleLog(post)).toBe(0);
    expect(post.stdout).toContain(`Pipeline token ${main.state['token-id']} revoked.`);
    const res = await vault.call('GET', '/v1/rotation/policies', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_revoked');
  });
});

describe('rotate action, named paths', () => {
  it('rotates the named paths with the default scopes, and reports a path without a policy as failed', async () => {
    // Past the grace period of the last rotation (a rotation inside it would end it early: refused).
    clock.advance(31 * 60_000);
    const before = await secret('app/random-a');
    const main = await runMain({ paths: 'app/random-a, app/no-policy', 'fail-on-error': 'false' });
    expect(main.stderr).toBe('');
    expect(main.code, visibleLog(main)).toBe(0);
    expect(parse(main, 'rotated')).toEqual([expect.objectContaining({ path: 'app/random-a', fromVersion: before.version })]);
    expect(parse(main, 'failed')).toEqual([
      expect.objectContaining({ path: 'app/no-policy', reason: expect.stringMatching(/no rotation policy/) }),
    ]);
    expect(main.stdout).toMatch(/::warning::1 rotation\(s\) failed: app\/no-policy/);
    expect(await secret('app/random-a')).toMatchObject({ version: before.version + 1 });
    canaries.add((await secret('app/random-a')).value);
    expectNoCanary(main);
    expect((await runPost(main)).code).toBe(0);
  });

  it('fails at the exchange with the fix when the default scopes exceed the agent', async () => {
    const main = await runMain();
    expect(main.code).toBe(1);
    const error = (main.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '').replace(/%0A/g, '\n');
    expect(error).toContain('stage "exchange"');
    expect(error).toContain('set the `scopes` input');
    expect(main.state.token).toBeUndefined();
  });
});

describe('rotate action, the agent-key rotator writing the GitHub secret', () => {
  // GitHub's REST API, faked on loopback (the step is a child process, out of nock's reach) and
  // reached through the runner's GITHUB_API_URL, as on GHES.
  const GITHUB_TOKEN = 'github_pat_canary_0123456789abcdefABCDEF';
  let github: Server;
  let apiUrl: string;
  let keys: { publicKey: Uint8Array; privateKey: Uint8Array };
  const puts: Array<{ url: string; auth: string | undefined; body: { encrypted_value: string; key_id: string } }> = [];
  let main: StepResult;

  beforeAll(async () => {
    await sodium.ready;
    keys = sodium.crypto_box_keypair();
    github = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.headers.authorization !== `Bearer ${GITHUB_TOKEN}`) return res.writeHead(401).end('{}');
        if (req.method === 'GET' && req.url === '/repos/octo-org/octo-repo/actions/secrets/public-key') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ key_id: 'key-1', key: Buffer.from(keys.publicKey).toString('base64') }));
        }
        if (req.method === 'PUT' && req.url === '/repos/octo-org/octo-repo/actions/secrets/ASS_AGENT_KEY') {
          puts.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
          return res.writeHead(201).end();
        }
        res.writeHead(404).end('{}');
      });
    });
    await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', () => resolve()));
    apiUrl = `http://127.0.0.1:${(github.address() as { port: number }).port}`;
    canaries.add(agentKey);
    canaries.add(GITHUB_TOKEN);
    await vault.call('PUT', '/v1/secrets/app/agent-key', { token: vault.adminToken, body: { value: agentKey } });
    const pol = await vault.call('PUT', '/v1/rotation/policies/app/agent-key', {
      token: vault.adminToken,
      body: { rotator: 'agent-key', settings: { agent: 'rotate', githubSecret: 'repo:octo-org/octo-repo' }, grace: '30m' },
    });
    if (pol.status !== 200 && pol.status !== 201) throw new Error(`policy: ${pol.status} ${pol.text}`);
    main = await runMain({ paths: 'app/agent-key', 'github-token': GITHUB_TOKEN }, { GITHUB_API_URL: apiUrl });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => github?.close(() => resolve()));
  });

  it("gives the agent a new key, keeps it in the vault, and seals it into the repository's secret", async () => {
    expect(main.stderr).toBe('');
    expect(main.code, visibleLog(main)).toBe(0);
    expect(parse(main, 'rotated')).toEqual([
      expect.objectContaining({ path: 'app/agent-key', rotator: 'agent-key', fromVersion: 1, toVersion: 2 }),
    ]);
    const stored = await secret('app/agent-key');
    canaries.add(stored.value);
    expect(stored.value).toMatch(/^ass_a_/);
    expect(stored.value).not.toBe(agentKey);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.body.key_id).toBe('key-1');
    const opened = sodium.crypto_box_seal_open(
      Buffer.from(puts[0]?.body.encrypted_value as string, 'base64'),
      keys.publicKey,
      keys.privateKey,
      'text',
    );
    expect(opened).toBe(stored.value);
    // The new key works; the old one still does, for the overlap.
    for (const key of [stored.value, agentKey]) expect((await vault.call('GET', '/v1/whoami', { token: key })).status).toBe(200);
    expect(main.masks).toContain(stored.value);
    expect(main.masks).toContain(GITHUB_TOKEN);
    expectNoCanary(main);
  });
});
