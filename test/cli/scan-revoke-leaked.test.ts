/**
 * `ass scan --revoke-leaked`: this vault's own credentials found by a scan are revoked at once at the
 * vault (a token revokes itself; an agent key replaces itself, or its agent is revoked with an
 * admin token; a user needs an admin token); a credential the vault does not know, or a look-alike
 * with a bad checksum, is left alone; no credential is ever printed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../src/core/credentials.js';
import { ass } from '../helpers/cli-io.js';
import { TempRepo } from '../helpers/scan-git.js';
import { createAgent, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

describe('ass scan --revoke-leaked', () => {
  let v: TestVault;
  let dir: string;
  let token: { token: string; id: string };
  let agentKey: string;
  let userToken: string;
  let foreign: string;

  beforeAll(async () => {
    v = await startTestVault();
    dir = await mkdtemp(path.join(tmpdir(), 'ass-revoke-leaked-'));
    agentKey = await createAgent(v, 'ci-bot', ['secrets:read:app/*']);
    token = await issueToken(v, agentKey, { scopes: ['secrets:read:app/*'], ttl: '1h' });
    userToken = (await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: 'dana', role: 'viewer' } })).body.token;
    foreign = generateCredential('token').secret;
    const lookalike = `${token.token.slice(0, -6)}000000`;
    await writeFile(path.join(dir, 'config.env'), `VAULT_TOKEN=${token.token}\nAGENT_KEY=${agentKey}\n`);
    await writeFile(path.join(dir, 'notes.md'), `old: ${foreign}\nuser: ${userToken}\nnot one: ${lookalike}\n`);
  });

  afterAll(async () => {
    await v?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('revokes the token and replaces the agent key without an admin; a user token needs one; an unknown one is said', async () => {
    const r = await ass(['scan', dir, '--revoke-leaked'], { ASS_URL: v.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`revoked: token credential ${token.id} found at config.env:1: token ${token.id} revoked`));
    expect(r.stderr).toMatch(/revoked: agent credential \w{16} found at config.env:2: agent ci-bot's leaked key no longer works/);
    expect(r.stderr).toMatch(/needs-admin: user credential \w{16} found at notes.md:2: user dana's token is live/);
    expect(r.stderr).toMatch(/unknown: token credential \w{16} found at notes.md:1: this vault does not know it/);
    // The look-alike fails its checksum: not a finding, never sent.
    expect(r.stderr.split('\n').filter((l) => / credential \w{16} found at /.test(l))).toHaveLength(4);
    for (const c of [token.token, agentKey, userToken, foreign]) expect(r.stdout + r.stderr).not.toContain(c);
    expect((await v.call('GET', '/v1/whoami', { token: token.token })).status).toBe(401);
    expect((await v.call('GET', '/v1/whoami', { token: agentKey })).status).toBe(401);
    expect((await v.call('GET', '/v1/whoami', { token: userToken })).status).toBe(200);
    const audit = await v.call('GET', '/v1/audit?eventType=token.revoke,agent.rotate_key&status=granted&limit=10', { token: v.adminToken });
    expect(audit.body.events.map((e: { event: string }) => e.event).sort()).toEqual(['agent.rotate_key', 'token.revoke']);
  });

  it('with an admin token in ASS_TOKEN, revokes the user (and reads stdin too)', async () => {
    const r = await ass(['scan', '-', '--revoke-leaked'], { ASS_URL: v.url, ASS_TOKEN: v.adminToken }, { input: `x = "${userToken}"\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/revoked: user credential \w{16} found at stdin:1: user dana revoked/);
    expect((await v.call('GET', '/v1/whoami', { token: userToken })).status).toBe(401);
    expect(r.stdout + r.stderr).not.toContain(userToken);
  });

  it('without --revoke-leaked, sends nothing to any vault', async () => {
    const fresh = await issueToken(
      v,
      (await v.call('POST', '/v1/agents', { token: v.adminToken, body: { name: 'other', scopes: ['secrets:read:app/*'] } })).body.agentKey,
      {
        scopes: ['secrets:read:app/*'],
        ttl: '1h',
      },
    );
    const r = await ass(['scan', '-'], { ASS_URL: v.url }, { input: `t = ${fresh.token}\n` });
    expect(r.code).toBe(1);
    expect((await v.call('GET', '/v1/whoami', { token: fresh.token })).status).toBe(200);
  });

  it('never sends a found credential over plain http to a host that is not loopback', async () => {
    const fresh = (await v.call('POST', '/v1/agents', { token: v.adminToken, body: { name: 'third', scopes: ['secrets:read:app/*'] } }))
      .body.agentKey as string;
    const t = await issueToken(v, fresh, { scopes: ['secrets:read:app/*'], ttl: '1h' });
    // A non-routable address: were the credential sent, the request would hang or fail on the network.
    const r = await ass(['scan', '-', '--revoke-leaked', '--url', 'http://10.255.255.1:8200'], {}, { input: `t = ${t.token}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `failed: token credential ${t.id} found at stdin:1: Refusing to send your credential to 10.255.255.1:8200 over plain http`,
      ),
    );
    expect(r.stdout + r.stderr).not.toContain(t.token);
    expect((await v.call('GET', '/v1/whoami', { token: t.token })).status).toBe(200);
  });

  it('reads a credential back from the commit that added it, though a later commit removed it (--history)', async () => {
    const key = (await v.call('POST', '/v1/agents', { token: v.adminToken, body: { name: 'fourth', scopes: ['secrets:read:app/*'] } })).body
      .agentKey as string;
    const t = await issueToken(v, key, { scopes: ['secrets:read:app/*'], ttl: '1h' });
    const repo = new TempRepo();
    repo.write('ci.env', `VAULT_TOKEN=${t.token}\n`);
    repo.commit('add ci config');
    repo.write('ci.env', 'VAULT_TOKEN=${{ secrets.VAULT_TOKEN }}\n');
    repo.commit('use the secret instead');
    const r = await ass(['scan', repo.dir, '--history', '--revoke-leaked'], { ASS_URL: v.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`revoked: token credential ${t.id} found at ci.env:1 \\(commit [0-9a-f]{12}\\)`));
    expect((await v.call('GET', '/v1/whoami', { token: t.token })).status).toBe(401);
    expect(r.stdout + r.stderr).not.toContain(t.token);
  });
});
