/** The vault over TLS. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client.js';
import { ass } from '../helpers/cli-io.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

describe('TLS', () => {
  let dir: string;
  let v: TestVault;
  let ca: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ass-tls-'));
    // A throwaway self-signed certificate for 127.0.0.1, made where the test runs (never committed).
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
    v = await startTestVault({ tlsCertFile: path.join(dir, 'cert.pem'), tlsKeyFile: path.join(dir, 'key.pem') });
  });
  afterAll(async () => {
    await v?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS; clients trust a private CA only when told to', async () => {
    expect(v.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const trusting = createClient({ url: v.url, credential: v.adminToken, caCert: ca });
    expect(await trusting.whoami()).toMatchObject({ kind: 'user', role: 'admin' });
    await trusting.close();
    const untrusting = createClient({ url: v.url, credential: v.adminToken });
    await expect(untrusting.whoami()).rejects.toThrow();
    await untrusting.close();
  });

  it('the CLI reads the CA from ASS_CA_CERT, and names a missing file', async () => {
    const ok = await ass(['whoami', '--json'], { ASS_URL: v.url, ASS_TOKEN: v.adminToken, ASS_CA_CERT: path.join(dir, 'cert.pem') });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).role).toBe('admin');
    const bad = await ass(['whoami'], { ASS_URL: v.url, ASS_TOKEN: v.adminToken, ASS_CA_CERT: path.join(dir, 'nope.pem') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ASS_CA_CERT/);
    const without = await ass(['whoami'], { ASS_URL: v.url, ASS_TOKEN: v.adminToken });
    expect(without.code).not.toBe(0);
  });
});
