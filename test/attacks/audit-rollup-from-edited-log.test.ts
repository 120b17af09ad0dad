/**
 * Attack (a storage writer without the master key): a rollup is sealed once, from the log as it
 * stands when it is made, and never checked against the log again. So: delete your reads of an
 * hour from the log once the hour is over, let the vault roll the hour up (its timer does, every
 * five minutes), and put the records back as they were. The chain verifies again, the rollup's MAC
 * is the vault's own, and every later summary (the audit action's busiest secrets and actors, its
 * chart of reads per hour) leaves those reads out for good. A rollup must be made only from an hour
 * whose records are, as they stand, a stretch of the chain.
 */
import { afterEach, expect, it } from 'vitest';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const HOUR = 3_600_000;
const H = Date.parse('2026-11-24T10:00:00Z');
let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

it('reads deleted while the hour is rolled up, and put back after, are still counted', async () => {
  const clock = fakeClock(H - 2 * HOUR);
  const vault = await startTestVault({ now: clock });
  v = vault;
  await vault.call('PUT', '/v1/secrets/prod/db', { token: vault.adminToken, body: { value: 'canary-rollup-82', tier: 'critical' } });
  await vault.call('PUT', '/v1/secrets/prod/other', { token: vault.adminToken, body: { value: 'canary-rollup-82' } });
  const key = await createAgent(vault, 'mallory-svc', ['secrets:read:prod/*']);
  clock.set(H + 30 * 60_000);
  const tok = await issueToken(vault, key, { scopes: ['secrets:read:prod/db'], ttl: '10m', maxUses: 3 });
  for (let i = 0; i < 3; i++) expect((await vault.call('GET', '/v1/secrets/prod/db', { token: tok.token })).status).toBe(200);
  // Some traffic after the hour, so that the hour is not the end of the log.
  clock.set(H + HOUR + 60_000);
  expect((await vault.call('GET', '/v1/secrets/prod/other', { token: vault.adminToken })).status).toBe(200);
  clock.set(H + HOUR + 10 * 60_000);

  const raw = vault.raw();
  raw.exec('DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;');
  const hidden = raw.prepare("SELECT * FROM audit WHERE event = 'secret.read' AND actor_name = 'mallory-svc' ORDER BY seq").all();
  expect(hidden).toHaveLength(3);
  raw.exec("DELETE FROM audit WHERE event = 'secret.read' AND actor_name = 'mallory-svc'");
  // The vault's own timer rolls up the hours that ended (src/server/index.ts).
  await vault.store.rollUpAudit(clock() - 48 * HOUR, clock());
  const columns = Object.keys(hidden[0] as object);
  const insert = raw.prepare(`INSERT INTO audit (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const row of hidden) insert.run(...(columns.map((c) => (row as Record<string, unknown>)[c]) as never[]));

  expect((await vault.call('GET', '/v1/audit/verify', { token: vault.adminToken })).body.ok).toBe(true);
  const summary = await vault.call('GET', '/v1/audit/summary?since=6h', { token: vault.adminToken });
  expect(summary.status).toBe(200);
  expect(summary.body.secrets.find((s: { path: string }) => s.path === 'prod/db')?.reads).toBe(3);
  const actor = (a: { type: string; name: string }) => a.type === 'token' && a.name === 'mallory-svc';
  expect(summary.body.actors.find(actor)?.requests).toBe(3);
  expect(summary.body.hours.find((h: { hour: string }) => h.hour === new Date(H).toISOString())?.reads).toBe(3);
});

it('an hour that verifies is sealed once and read from its rollup', async () => {
  const clock = fakeClock(H);
  const vault = await startTestVault({ now: clock });
  v = vault;
  await vault.call('PUT', '/v1/secrets/prod/db', { token: vault.adminToken, body: { value: 'canary-rollup-82' } });
  clock.set(H + HOUR + 60_000);
  expect((await vault.call('GET', '/v1/secrets/prod/db', { token: vault.adminToken })).status).toBe(200);
  clock.set(H + 3 * HOUR);
  expect((await vault.call('GET', '/v1/secrets/prod/db', { token: vault.adminToken })).status).toBe(200);
  clock.set(H + 3 * HOUR + 10 * 60_000);
  expect(await vault.store.rollUpAudit(H, clock())).toBe(3);
  const rows = await vault.sql('SELECT hour FROM audit_rollups ORDER BY hour');
  expect(rows.map((r) => new Date(Number(r.hour)).toISOString())).toEqual([
    '2026-11-24T10:00:00.000Z',
    '2026-11-24T11:00:00.000Z',
    '2026-11-24T12:00:00.000Z',
  ]);
});
