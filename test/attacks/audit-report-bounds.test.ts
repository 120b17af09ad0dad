/**
 * Attack (an `audit:read` token): a summary or anomaly report over a window reaching far before the
 * log began. Before the fix, a summary with `since` years back made and stored a sealed rollup for
 * every hour of it (17,500 rows for two years, half a million for 1970, each seven GROUP BYs), and
 * the anomaly checks computed business hours and sent every off-hours stretch of the span to the
 * store in one expression, which SQLite refuses past about a thousand (500, "Expression tree is too
 * large"); a long `lookback` did the same. The work a report does is now bounded by the log it has
 * (hours before its first record are not rolled up) and by a year (the anomaly window and lookback).
 */
import { afterEach, expect, it } from 'vitest';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A Tuesday 02:00 UTC: outside business hours.
const NOW = Date.parse('2026-11-24T02:00:00Z');
let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

async function auditor(clock: ReturnType<typeof fakeClock>) {
  const vault = await startTestVault({ now: clock });
  v = vault;
  await vault.call('PUT', '/v1/secrets/prod/db', { token: vault.adminToken, body: { value: 'canary-bounds-17', tier: 'critical' } });
  const key = await createAgent(vault, 'auditor', ['audit:read']);
  return { vault, key };
}

it('a summary since two years before a day-old log rolls up the day, not two years', async () => {
  const clock = fakeClock(NOW - DAY);
  const { vault, key } = await auditor(clock);
  clock.set(NOW);
  const tok = await issueToken(vault, key, { scopes: ['audit:read'], ttl: '30m' });
  const res = await vault.call('GET', '/v1/audit/summary?since=2024-11-24T00:00:00Z', { token: tok.token });
  expect(res.status).toBe(200);
  expect(res.body.since).toBe('2024-11-24T00:00:00.000Z');
  expect(res.body.secrets.map((s: { path: string }) => s.path)).toEqual(['prod/db']);
  const [rows] = await vault.sql('SELECT count(*) AS n FROM audit_rollups');
  expect(Number(rows?.n)).toBeLessThanOrEqual(25);
});

it('the anomaly checks look at most a year back: a longer since or lookback is a 400 that says so', async () => {
  const clock = fakeClock(NOW - DAY);
  const { vault, key } = await auditor(clock);
  clock.set(NOW);
  const tok = await issueToken(vault, key, { scopes: ['audit:read'], ttl: '30m' });
  const far = await vault.call('POST', '/v1/audit/anomalies', { token: tok.token, body: { since: '2016-11-24T00:00:00Z' } });
  expect(far.status).toBe(400);
  expect(far.body.error.message).toMatch(/since.*366 days/);
  const lookback = await vault.call('POST', '/v1/audit/anomalies', {
    token: tok.token,
    body: { since: '1h', config: { lookback: '3650d' } },
  });
  expect(lookback.status).toBe(400);
  expect(lookback.body.error.message).toMatch(/config\.lookback.*366d/);
});

it('within a year, on a log older than two, the off-hours check answers (every day of the week, both spans)', async () => {
  const clock = fakeClock(NOW - 800 * DAY);
  const { vault, key } = await auditor(clock);
  const reader = await createAgent(vault, 'nightly', ['secrets:read:prod/*']);
  // A read of the critical secret at 02:00 every fortnight for two years: off hours, in window and lookback.
  for (let t = NOW - 780 * DAY; t < NOW; t += 14 * DAY) {
    clock.set(t);
    const tok = await issueToken(vault, reader, { scopes: ['secrets:read:prod/db'], ttl: '10m', maxUses: 1 });
    expect((await vault.call('GET', '/v1/secrets/prod/db', { token: tok.token })).status).toBe(200);
  }
  clock.set(NOW);
  const tok = await issueToken(vault, key, { scopes: ['audit:read'], ttl: '30m' });
  const res = await vault.call('POST', '/v1/audit/anomalies', {
    token: tok.token,
    body: {
      since: '366d',
      config: {
        lookback: '366d',
        offHoursHabit: 1000,
        businessHours: { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '09:00', end: '17:00' },
      },
    },
  });
  expect(res.status).toBe(200);
  const finding = (res.body.anomalies as { check: string; count: number }[]).find((a) => a.check === 'off_hours_critical');
  expect(finding?.count).toBeGreaterThanOrEqual(26);
}, 120_000);
