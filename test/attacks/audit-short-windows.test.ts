/**
 * Evasion (any reader): the audit action reports every 15 minutes, each window starting where the
 * last one ended (the previous checkpoint's time). The hourly checks counted only the window's own
 * records, so in a 15-minute window "more than readsPerHour reads in an hour" meant more than that
 * in 15 minutes: four times the threshold, read evenly through the hour, was never reported, nor
 * were refusals at three times deniedPerHour. An hour that ends in the window is counted whole,
 * wherever it began.
 */
import { afterEach, expect, it } from 'vitest';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const MINUTE = 60_000;
// A Tuesday, 10:00 UTC (business hours: only the hourly checks have anything to say).
const START = Date.parse('2026-11-24T10:00:00Z');
let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

it('reports every 15 minutes, each from the last one’s end, see an hour of reads and refusals whole', async () => {
  const clock = fakeClock(START - 2 * 24 * 60 * MINUTE);
  const vault = await startTestVault({ now: clock });
  v = vault;
  await vault.call('PUT', '/v1/secrets/prod/db', { token: vault.adminToken, body: { value: 'canary-short-windows-3' } });
  await vault.call('PUT', '/v1/secrets/prod/other', { token: vault.adminToken, body: { value: 'canary-short-windows-3' } });
  const key = await createAgent(vault, 'scraper', ['secrets:read:prod/*']);
  const config = { readsPerHour: 40, deniedPerHour: 10 };
  clock.set(START);
  let since = new Date(START).toISOString();
  const found = new Set<string>();
  for (let quarter = 0; quarter < 4; quarter++) {
    // 20 reads and 6 refusals a quarter: 80 reads (twice readsPerHour) and 24 refusals an hour.
    const tok = await issueToken(vault, key, { scopes: ['secrets:read:prod/db'], ttl: '20m', maxUses: 100 });
    for (let i = 0; i < 20; i++) {
      clock.advance(40_000);
      expect((await vault.call('GET', '/v1/secrets/prod/db', { token: tok.token })).status).toBe(200);
      if (i % 3 === 0 && i < 18) expect((await vault.call('GET', '/v1/secrets/prod/other', { token: tok.token })).status).toBe(403);
    }
    clock.set(START + (quarter + 1) * 15 * MINUTE);
    const res = await vault.call('POST', '/v1/audit/anomalies', { token: vault.adminToken, body: { since, config } });
    expect(res.status).toBe(200);
    for (const a of res.body.anomalies as { check: string }[]) found.add(a.check);
    since = res.body.until;
  }
  expect(found).toContain('read_volume');
  expect(found).toContain('denied_burst');
});

it('a burst reported by one run is not reported again by the next, which holds none of it', async () => {
  const clock = fakeClock(START - 2 * 24 * 60 * MINUTE);
  const vault = await startTestVault({ now: clock });
  v = vault;
  await vault.call('PUT', '/v1/secrets/prod/db', { token: vault.adminToken, body: { value: 'canary-short-windows-3' } });
  const key = await createAgent(vault, 'scraper', ['secrets:read:prod/*']);
  clock.set(START);
  const tok = await issueToken(vault, key, { scopes: ['secrets:read:prod/db'], ttl: '20m', maxUses: 100 });
  for (let i = 0; i < 50; i++) {
    clock.advance(10_000);
    expect((await vault.call('GET', '/v1/secrets/prod/db', { token: tok.token })).status).toBe(200);
  }
  const config = { readsPerHour: 40 };
  clock.set(START + 15 * MINUTE);
  const first = await vault.call('POST', '/v1/audit/anomalies', { token: vault.adminToken, body: { since: '15m', config } });
  expect((first.body.anomalies as { check: string }[]).map((a) => a.check)).toContain('read_volume');
  clock.set(START + 30 * MINUTE);
  const next = await vault.call('POST', '/v1/audit/anomalies', { token: vault.adminToken, body: { since: first.body.until, config } });
  expect((next.body.anomalies as { check: string }[]).map((a) => a.check)).not.toContain('read_volume');
});
