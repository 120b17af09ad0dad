/**
 * `ass rotate` with the rotators that reach outside the vault: postgres (the machine's real
 * PostgreSQL, alternating roles), agent-key (the agent's key with an overlap, written into a GitHub
 * secret through GitHub's REST API, stood in for by nock and opened with the test's private key),
 * and a rerun after a crash between put and finish.
 */
import { randomBytes } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import nock from 'nock';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ass, type CliResult } from '../helpers/cli-io.js';
import { PG_URL, pgQuery, postgresAvailable } from '../helpers/stores.js';
import { createAgent, startTestVault, type TestVault } from '../helpers/vault.js';

let v: TestVault;
let admin: Record<string, string>;
const printed: string[] = [];
const pgUp = await postgresAvailable();

async function run(args: string[], env = admin): Promise<CliResult> {
  const r = await ass(args, env);
  printed.push(r.stdout, r.stderr);
  return r;
}
const value = async (p: string, extra: string[] = []) => (await ass(['secrets', 'get', p, '--silent', ...extra], admin)).stdout;

beforeAll(async () => {
  v = await startTestVault();
  admin = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
});
afterAll(async () => {
  await v.cleanup();
});

describe.skipIf(!pgUp)('the postgres rotator through ass rotate', () => {
  const tag = randomBytes(4).toString('hex');
  const [A, B, ADM] = [`ass_cli_${tag}_a`, `ass_cli_${tag}_b`, `ass_cli_${tag}_adm`];
  const as = (role: string, password: string) => {
    const u = new URL(PG_URL);
    u.username = role;
    u.password = password;
    return u.href;
  };
  beforeAll(async () => {
    await pgQuery(`CREATE ROLE ${ADM} LOGIN CREATEROLE PASSWORD 'canary-admin-pw'`);
    await pgQuery(`CREATE ROLE ${A} LOGIN PASSWORD 'canary-a-pw'`);
    await pgQuery(`CREATE ROLE ${B} LOGIN PASSWORD 'canary-b-pw'`);
  });
  afterAll(async () => {
    for (const r of [A, B, ADM]) await pgQuery(`DROP ROLE IF EXISTS ${r}`);
  });

  it('alternates the roles: each rotation logs in as the other one with a fresh password, tested before it is promoted', async () => {
    await ass(['secrets', 'set', 'db/admin', as(ADM, 'canary-admin-pw'), '--type', 'connection_string', '--tier', 'critical'], admin);
    await ass(['secrets', 'set', 'db/app', as(A, 'canary-a-pw'), '--type', 'connection_string', '--tier', 'critical'], admin);
    expect(
      (await run(['rotation', 'set', 'db/app', '--rotator', 'postgres', '--admin-secret', 'db/admin', '--roles', `${A},${B}`])).code,
    ).toBe(0);
    const first = JSON.parse((await run(['rotate', 'db/app', '--json'])).stdout).results[0];
    expect(first).toMatchObject({ status: 'rotated', test: 'passed', fromVersion: 1, toVersion: 2 });
    const v2 = new URL(await value('db/app'));
    expect(decodeURIComponent(v2.username)).toBe(B);
    expect(v2.password.length).toBeGreaterThanOrEqual(32);
    // The replaced login (role A) is still what the previous stage holds, for the grace period.
    expect(new URL(await value('db/app', ['--stage', 'previous'])).username).toBe(A);
    // Within the grace period of the first, only a forced rotation runs (it ends that grace).
    const second = JSON.parse((await run(['rotate', 'db/app', '--json', '--force'])).stdout).results[0];
    expect(second).toMatchObject({ status: 'rotated', toVersion: 3 });
    const v3 = new URL(await value('db/app'));
    expect(decodeURIComponent(v3.username)).toBe(A);
    // The new login works against the real server.
    const client = new pg.Client({ connectionString: v3.href });
    await client.connect();
    expect((await client.query('SELECT current_user AS u')).rows[0].u).toBe(A);
    await client.end();
    const all = printed.join('\n');
    for (const secret of ['canary-admin-pw', v2.password, v3.password]) expect(all).not.toContain(secret);
  });
});

describe('the agent-key rotator through ass rotate', () => {
  it('gives the agent a new key (the old one works for the overlap), keeps it at the path, and seals it into the GitHub secret', async () => {
    await sodium.ready;
    const keys = sodium.crypto_box_keypair();
    const oldKey = await createAgent(v, 'deploy', ['secrets:read:app/*']);
    await ass(['secrets', 'set', 'ci/deploy/agent-key', oldKey, '--tier', 'critical'], admin);
    await run([
      'rotation',
      'set',
      'ci/deploy/agent-key',
      '--rotator',
      'agent-key',
      '--agent',
      'deploy',
      '--github-secret',
      'repo:octo-org/app',
    ]);
    let sealed = '';
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
    const scope = nock('https://api.github.com', { reqheaders: { authorization: 'Bearer canary-gh-token' } })
      .get('/repos/octo-org/app/actions/secrets/public-key')
      .reply(200, { key_id: 'k1', key: Buffer.from(keys.publicKey).toString('base64') })
      .put('/repos/octo-org/app/actions/secrets/ASS_AGENT_KEY', (body: { encrypted_value: string; key_id: string }) => {
        sealed = body.encrypted_value;
        return body.key_id === 'k1';
      })
      .reply(204);
    try {
      const r = await run(['rotate', 'ci/deploy/agent-key', '--json'], { ...admin, ASS_GITHUB_TOKEN: 'canary-gh-token' });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).results[0]).toMatchObject({ status: 'rotated', test: 'passed', toVersion: 2 });
      expect(scope.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
    const newKey = await value('ci/deploy/agent-key');
    expect(newKey).toMatch(/^ass_a_/);
    expect(newKey).not.toBe(oldKey);
    expect(sodium.crypto_box_seal_open(Buffer.from(sealed, 'base64'), keys.publicKey, keys.privateKey, 'text')).toBe(newKey);
    expect((await ass(['whoami'], { ASS_URL: v.url, ASS_AGENT_KEY: newKey })).code).toBe(0);
    expect((await ass(['whoami'], { ASS_URL: v.url, ASS_AGENT_KEY: oldKey })).code).toBe(0);
    const all = printed.join('\n');
    for (const secret of [newKey, oldKey, 'canary-gh-token']) expect(all).not.toContain(secret);
  });

  it('without a GitHub token it rotates, keeps the key in the vault, and says the GitHub secret was not written and how to fix it', async () => {
    const r = await run(['rotate', 'ci/deploy/agent-key', '--json', '--force']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout).results[0];
    expect(result.status).toBe('rotated');
    expect(result.reason).toMatch(/ASS_AGENT_KEY .* no GitHub token/);
  });
});

describe('a rerun after a crash between put and finish', () => {
  it('ass rotate --rotation-id resumes: the value put before the crash is tested and promoted, not made again', async () => {
    await ass(['secrets', 'set', 'app/resume', 'canary-before', '--tier', 'sensitive'], admin);
    await run(['rotation', 'set', 'app/resume', '--rotator', 'random']);
    // The crashed run: it began, put its value, and died before finishing.
    const id = 'crashed-run-000001';
    await v.call('POST', '/v1/rotation/begin/app/resume', { token: v.adminToken, body: { rotator: 'random', rotationId: id } });
    await v.call('PUT', '/v1/rotation/pending/app/resume', {
      token: v.adminToken,
      body: { rotationId: id, value: 'CanaryPutBeforeTheCrash012345678' },
    });
    // A new run without the id is refused while the crashed one's lease holds.
    expect((await run(['rotate', 'app/resume'])).code).toBe(1);
    const r = JSON.parse((await run(['rotate', 'app/resume', '--rotation-id', id, '--json'])).stdout).results[0];
    expect(r).toMatchObject({ status: 'rotated', rotationId: id, toVersion: 2 });
    expect(await value('app/resume')).toBe('CanaryPutBeforeTheCrash012345678');
  });
});
