import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type VaultClient } from '../../src/client/client.js';
import { AppError } from '../../src/core/errors.js';
import { startTestVault, type TestVault } from '../helpers/vault.js';

/** The client's routes that the CLI does not exercise, against a real vault. */
describe('client against a real vault', () => {
  let v: TestVault;
  let admin: VaultClient;
  beforeAll(async () => {
    v = await startTestVault();
    admin = createClient({ url: v.url, credential: v.adminToken });
  });
  afterAll(async () => {
    await admin.close();
    await v.cleanup();
  });

  it('health, batch read, token self-lookup and self-revocation, checkpoint, users, JSON export', async () => {
    const anon = createClient({ url: v.url });
    await expect(anon.health()).resolves.toEqual({ status: 'ok', audit: 'intact' });
    await anon.close();
    await admin.putSecret('prod/app/a', { value: 'value-a', type: 'password' });
    await admin.putSecret('prod/app/b', { value: 'value-b' });
    const agent = await admin.createAgent({ name: 'app', scopes: ['secrets:read:prod/app/*'] });
    const agentClient = admin.withCredential(agent.agentKey);
    const issued = await agentClient.issueToken({ scopes: ['secrets:read:prod/app/*'], ttl: '5m', maxUses: 3 });
    const scoped = admin.withCredential(issued.token);

    const batch = await scoped.batchRead({ prefixes: ['prod/app'] });
    expect(batch.secrets.map((s) => [s.path, s.value]).sort()).toEqual([
      ['prod/app/a', 'value-a'],
      ['prod/app/b', 'value-b'],
    ]);
    const self = await scoped.tokenSelf();
    expect(self).toMatchObject({ id: issued.id, agent: 'app', maxUses: 3 });
    expect(await scoped.revokeSelf()).toEqual({ id: issued.id, revoked: true });
    const after = await scoped.batchRead({ paths: ['prod/app/a'] }).catch((e: unknown) => e);
    expect(after).toBeInstanceOf(AppError);
    expect((after as AppError).exitCode).toBe(3);
    expect((after as AppError).message).not.toContain(issued.token);

    const users = await admin.listUsers();
    expect(users.users.map((u) => u.name)).toContain('admin');
    const cp = await admin.auditCheckpoint();
    expect(cp).toMatchObject({
      seq: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      signature: expect.any(String),
      publicKey: expect.any(String),
    });
    const exported = JSON.parse(await admin.exportAudit('json', { eventType: ['secret.batch_read', 'secret.read'] }));
    expect(exported.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(exported)).not.toContain('value-a');
    const meta = await admin.getMetadata('prod/app/a');
    expect(meta.versions).toHaveLength(1);
  });
});
