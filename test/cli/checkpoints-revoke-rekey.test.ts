import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { ass } from '../helpers/cli-io.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

describe('ass users revoke, ass audit checkpoint, ass audit verify --checkpoint', () => {
  let v: TestVault;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    v = await startTestVault();
    dir = await mkdtemp(path.join(tmpdir(), 'ass-cli-cp-'));
    env = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
  });
  afterAll(async () => {
    await v.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('revokes a user', async () => {
    const created = await ass(['users', 'create', '--name', 'bob', '--role', 'viewer', '--json'], env);
    const bob = JSON.parse(created.stdout).token as string;
    expect((await ass(['whoami'], { ASS_URL: v.url, ASS_TOKEN: bob })).code).toBe(0);
    const revoked = await ass(['users', 'revoke', 'bob'], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked user bob/);
    expect((await ass(['whoami'], { ASS_URL: v.url, ASS_TOKEN: bob })).code).toBe(3);
    expect((await ass(['users', 'revoke', 'admin'], env)).code).toBe(2);
    expect((await ass(['users', 'revoke'], env)).code).toBe(2);
  });

  it('a saved checkpoint verifies now, and catches a later rollback of log and head together', async () => {
    const db = v.raw();
    // A "backup" of the log as it stands now: its head row (with a valid MAC) and length.
    const backup = db.prepare('SELECT seq, hash, mac FROM audit_head').get() as { seq: number; hash: string; mac: string };
    for (let i = 0; i < 3; i++) expect((await ass(['whoami'], env)).code).toBe(0);
    const file = path.join(dir, 'cp.json');
    expect((await ass(['audit', 'checkpoint', '--output', file], env)).code).toBe(0);
    const cp = JSON.parse(await readFile(file, 'utf8'));
    expect(cp).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), signature: expect.any(String) });
    const ok = await ass(['audit', 'verify', '--checkpoint', file], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/consistent with 1 checkpoint/);

    // Roll the whole log back to before the checkpoint, head included, as a database admin could
    // by restoring an old backup. Only the off-box checkpoint can tell.
    db.exec('DROP TRIGGER IF EXISTS audit_append_only_update; DROP TRIGGER IF EXISTS audit_append_only_delete;');
    db.prepare('DELETE FROM audit WHERE seq > ?').run(backup.seq);
    db.prepare('UPDATE audit_head SET seq = ?, hash = ?, mac = ?').run(backup.seq, backup.hash, backup.mac);
    // The server alone cannot tell: the restored log is internally consistent.
    expect((await ass(['audit', 'verify'], env)).code).toBe(0);
    const broken = await ass(['audit', 'verify', '--checkpoint', file, '--json'], env);
    expect(broken.code).toBe(1);
    const kinds = JSON.parse(broken.stdout).problems.map((p: { kind: string }) => p.kind);
    expect(kinds).toContain('truncated');

    const bad = await ass(['audit', 'verify', '--checkpoint', path.join(dir, 'missing.json')], env);
    expect(bad.code).toBe(2);
  });
});

describe('ass rekey', () => {
  it('reseals under the current key with the previous one given, and says what is missing otherwise', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ass-cli-rekey-'));
    try {
      const keyA = Buffer.alloc(32, 11).toString('base64');
      const keyB = Buffer.alloc(32, 12).toString('base64');
      const init = await ass(['init', '--data', dir, '--json'], { ASS_MASTER_KEY: keyA });
      const admin = JSON.parse(init.stdout).adminToken as string;
      const a = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyA } });
      expect((await ass(['secrets', 'set', 'p/old', 'sealed-under-a'], { ASS_URL: a.url, ASS_TOKEN: admin })).code).toBe(0);
      await a.close();

      const missing = await ass(['rekey', '--data', dir], { ASS_MASTER_KEY: keyB });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/ASS_MASTER_KEY_PREVIOUS/);
      const ok = await ass(['rekey', '--data', dir, '--json'], { ASS_MASTER_KEY: keyB, ASS_MASTER_KEY_PREVIOUS: keyA });
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ versionsRewrapped: 1, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });

      // The old key is no longer needed: the secret reads under the new key alone.
      const b = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyB } });
      const got = await ass(['secrets', 'get', 'p/old', '--silent'], { ASS_URL: b.url, ASS_TOKEN: admin });
      await b.close();
      expect(got.stdout).toBe('sealed-under-a');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
