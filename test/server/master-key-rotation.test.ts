/** Master-key rotation: the chain stays verifiable and the checkpoint key stable; old secrets read with the previous key until ass rekey. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initDataDir, rekeyDataDir, startServer } from '../../src/server/index.js';

describe('master key rotation', () => {
  it('keeps the audit chain verifiable and its checkpoint key stable; old secrets read with the previous key until ass rekey', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ass-rotate-'));
    const keyA = Buffer.alloc(32, 1).toString('base64');
    const keyB = Buffer.alloc(32, 2).toString('base64');
    try {
      const { adminToken } = await initDataDir(dir, { env: { ASS_MASTER_KEY: keyA } });
      const call = async (url: string, method: string, p: string, body?: unknown) => {
        const res = await fetch(`${url}${p}`, {
          method,
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const a = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyA } });
      await call(a.url, 'PUT', '/v1/secrets/p/old', { value: 'sealed-under-a' });
      const before = (await call(a.url, 'GET', '/v1/audit/checkpoint')).body;
      await a.close();

      const b = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyB, ASS_MASTER_KEY_PREVIOUS: keyA } });
      expect((await call(b.url, 'GET', '/v1/secrets/p/old')).body.value).toBe('sealed-under-a');
      const verify = (await call(b.url, 'GET', '/v1/audit/verify')).body;
      expect(verify.problems).toEqual([]);
      const after = (await call(b.url, 'GET', '/v1/audit/checkpoint')).body;
      expect(after.publicKey).toBe(before.publicKey);
      await b.close();

      // Without A, the audit log keeps working (its key was rewrapped under B at start), but the
      // secret sealed under A is unreadable, with an error that says what to do.
      const c = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyB } });
      expect((await call(c.url, 'GET', '/v1/audit/verify')).body.ok).toBe(true);
      const old = await call(c.url, 'GET', '/v1/secrets/p/old');
      expect(old.status).toBe(500);
      expect(old.body.error.code).toBe('key_unavailable');
      expect(old.body.error.message).toMatch(/ASS_MASTER_KEY_PREVIOUS.*ass rekey/);
      expect(old.body.error.message).not.toContain('sealed-under-a');
      await c.close();

      // ass rekey reseals every data key under B; afterwards A is no longer needed.
      await expect(rekeyDataDir(dir, { env: { ASS_MASTER_KEY: keyB } })).rejects.toThrow(/ASS_MASTER_KEY_PREVIOUS/);
      expect(await rekeyDataDir(dir, { env: { ASS_MASTER_KEY: keyB, ASS_MASTER_KEY_PREVIOUS: keyA } })).toMatchObject({
        versionsRewrapped: 1,
      });
      expect(await rekeyDataDir(dir, { env: { ASS_MASTER_KEY: keyB, ASS_MASTER_KEY_PREVIOUS: keyA } })).toMatchObject({
        versionsRewrapped: 0,
      });
      const d = await startServer({ dataDir: dir, listen: '127.0.0.1:0', env: { ASS_MASTER_KEY: keyB } });
      expect((await call(d.url, 'GET', '/v1/secrets/p/old')).body.value).toBe('sealed-under-a');
      expect((await call(d.url, 'GET', '/v1/audit/verify')).body.ok).toBe(true);
      await d.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
