import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/client/client.js';
import { actionDefaults, makeRunnerTemp, runStep, visibleLog } from '../../helpers/action-runner.js';
import { type LocalOidcIssuer, startOidcIssuer } from '../../helpers/oidc-issuer.js';
import { startTestVault, type TestVault } from '../../helpers/vault.js';

const root = path.resolve(import.meta.dirname, '../../..');
const VALUE = 'canary-tls-action-value-5d1e';

describe('fetch action against an https vault with a private CA', () => {
  let dir: string;
  let ca: string;
  let vault: TestVault;
  let issuer: LocalOidcIssuer;
  let agentKey: string;
  let runnerTemp: string;
  let dist: string;

  beforeAll(async () => {
    dist = process.env.ASS_TEST_DIST ?? path.join(root, 'dist');
    dir = await mkdtemp(path.join(tmpdir(), 'ass-action-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    ca = await readFile(path.join(dir, 'cert.pem'), 'utf8');
    vault = await startTestVault({ tlsCertFile: path.join(dir, 'cert.pem'), tlsKeyFile: path.join(dir, 'key.pem') });
    issuer = await startOidcIssuer();
    runnerTemp = await makeRunnerTemp();
    const admin = createClient({ url: vault.url, credential: vault.adminToken, caCert: ca });
    await admin.putSecret('production/app/db-password', { value: VALUE, tier: 'standard' });
    const agent = await admin.createAgent({
      name: 'tls-deploy',
      scopes: ['secrets:read:production/app/*'],
      trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
    });
    agentKey = agent.agentKey;
    await admin.close();
  });
  afterAll(async () => {
    await vault?.cleanup();
    await issuer?.close();
    await rm(dir, { recursive: true, force: true });
    if (runnerTemp) await rm(runnerTemp, { recursive: true, force: true });
  });

  const inputs = async (extra: Record<string, string>) => ({
    ...(await actionDefaults(path.join(root, 'action.yml'))),
    url: vault.url,
    'agent-key': agentKey,
    secrets: 'production/app/db-password',
    timeout: '10s',
    ...extra,
  });

  it('trusts the CA given in ca-cert in main and post', async () => {
    const i = await inputs({ 'ca-cert': ca });
    const main = await runStep({ script: path.join(dist, 'actions/fetch-main.js'), inputs: i, runnerTemp, env: issuer.runnerEnv() });
    expect(main.code, visibleLog(main)).toBe(0);
    expect(main.env.DB_PASSWORD).toBe(VALUE);
    const post = await runStep({
      script: path.join(dist, 'actions/fetch-post.js'),
      inputs: i,
      runnerTemp,
      env: { ...main.env },
      state: main.state,
    });
    expect(post.code, visibleLog(post)).toBe(0);
    expect(post.stdout).toContain('revoked');
    expect(visibleLog(main) + visibleLog(post)).not.toContain(VALUE);
  });

  it('refuses the self-signed certificate without ca-cert, and a private key given as ca-cert', async () => {
    const plain = await runStep({
      script: path.join(dist, 'actions/fetch-main.js'),
      inputs: await inputs({}),
      runnerTemp,
      env: issuer.runnerEnv(),
    });
    expect(plain.code).not.toBe(0);
    expect(plain.stdout).toMatch(/::error::.*exchang/);
    const key = await readFile(path.join(dir, 'key.pem'), 'utf8');
    const wrong = await runStep({
      script: path.join(dist, 'actions/fetch-main.js'),
      inputs: await inputs({ 'ca-cert': key }),
      runnerTemp,
      env: issuer.runnerEnv(),
    });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/holds a private key/);
    expect(wrong.stdout).not.toContain(key.split('\n')[1] as string);
  });
});
