/**
 * The audit summary (GET /v1/audit/summary, `ass audit summary`): counts over a window, grouped by
 * the store, on both stores, against traffic whose counts the test knows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../src/core/credentials.js';
import { ass } from '../helpers/cli-io.js';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-summary-value-5e1f';

describe.each(['sqlite', 'postgres'] as const)('the audit summary on %s', (backend) => {
  let v: TestVault;
  const clock = fakeClock(Date.parse('2026-11-30T08:00:00Z'));

  beforeAll(async () => {
    v = await startTestVault({ backend, now: clock });
    const admin = v.adminToken;
    // Two days ago: outside a 24h window.
    await v.call('PUT', '/v1/secrets/prod/old', { token: admin, body: { value: CANARY, tier: 'critical' } });
    clock.advance(2 * 86_400_000);
    await v.call('PUT', '/v1/secrets/prod/db', { token: admin, body: { value: CANARY, tier: 'critical' } });
    await v.call('PUT', '/v1/secrets/prod/api', { token: admin, body: { value: CANARY, tier: 'standard' } });
    const key = await createAgent(v, 'billing', ['secrets:read:prod/*']);
    const tok = await issueToken(v, key, { scopes: ['secrets:read:prod/db'], ttl: '6h' });
    for (let i = 0; i < 5; i++) await v.call('GET', '/v1/secrets/prod/db', { token: tok.token });
    clock.advance(3600_000);
    for (let i = 0; i < 3; i++) expect((await v.call('GET', '/v1/secrets/prod/api', { token: tok.token })).status).toBe(403);
    // Another token's refusals name another token id: one code all the same.
    const tok2 = await issueToken(v, key, { scopes: ['secrets:read:prod/db'], ttl: '6h' });
    for (let i = 0; i < 2; i++) expect((await v.call('GET', '/v1/secrets/prod/api', { token: tok2.token })).status).toBe(403);
    // Guesses from one address until it is locked out (recorded as a refusal).
    for (let i = 0; i < 21; i++) await v.call('GET', '/v1/whoami', { token: generateCredential('user').secret });
    await v.call('DELETE', `/v1/tokens/${tok.id}`, { token: admin });
    await v.call('PUT', '/v1/rotation/policies/prod/api', { token: admin, body: { rotator: 'random', every: '1d' } });
    clock.advance(2 * 86_400_000 - 3 * 3600_000);
  });

  afterAll(async () => {
    await v?.cleanup();
  });

  it('counts reads, writes, refusals, tokens and actors of the window, and what is overdue', async () => {
    const res = await v.call('GET', '/v1/audit/summary?since=3d', { token: v.adminToken });
    expect(res.status).toBe(200);
    const s = res.body;
    const db = s.secrets.find((x: { path: string }) => x.path === 'prod/db');
    expect(db).toMatchObject({ reads: 5, writes: 1, denied: 0, tier: 'critical' });
    expect(s.secrets.find((x: { path: string }) => x.path === 'prod/api')).toMatchObject({ reads: 0, writes: 1, denied: 5 });
    expect(s.secrets.some((x: { path: string }) => x.path === 'prod/old')).toBe(false);
    expect(s.tokens).toEqual({ issued: 2, exchanged: 0, revoked: 1 });
    expect(s.denials).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'scope_missing', event: 'secret.read', count: 5 })]));
    expect(s.lockouts).toBeGreaterThanOrEqual(1);
    expect(s.actors.find((a: { name: string }) => a.name === 'billing')).toMatchObject({ type: 'token', requests: 10, denied: 5 });
    expect(s.rotations.overdue).toEqual([expect.objectContaining({ path: 'prod/api', rotator: 'random' })]);
    const hours = s.hours.filter((h: { reads: number }) => h.reads > 0);
    expect(hours).toHaveLength(1);
    expect(hours[0].reads).toBe(5);
    expect(s.denied).toBeGreaterThanOrEqual(5);
    expect(res.text).not.toContain(CANARY);
  });

  it('counts whole hours from sealed rollups: an altered or deleted rollup is counted again from the log', async () => {
    // (Each summary adds its own record: compare what it does not change.)
    const strip = (b: Record<string, unknown>) => ({
      secrets: b.secrets,
      tokens: b.tokens,
      denials: b.denials,
      rotations: b.rotations,
      hours: (b.hours as { reads: number; denied: number }[]).filter((h) => h.reads + h.denied > 0),
    });
    const first = await v.call('GET', '/v1/audit/summary?since=3d', { token: v.adminToken });
    const rollups = await v.sql('SELECT hour, records, counts FROM audit_rollups ORDER BY hour');
    expect(rollups.length).toBeGreaterThanOrEqual(48);
    const busy = rollups.find((r) => Number(r.records) > 0 && String(r.counts).includes('prod/db'));
    expect(busy).toBeDefined();
    // Someone with the database hides the hour's reads: the rollup's MAC no longer matches.
    const hidden = String(busy?.counts)
      .replace(/"reads":\d+/g, '"reads":0')
      .replace(/"count":\d+/g, '"count":0');
    await v.sql(`UPDATE audit_rollups SET counts = '${hidden.replace(/'/g, "''")}' WHERE hour = ${busy?.hour}`);
    const again = await v.call('GET', '/v1/audit/summary?since=3d', { token: v.adminToken });
    expect(strip(again.body)).toEqual(strip(first.body));
    await v.sql('DELETE FROM audit_rollups');
    const remade = await v.call('GET', '/v1/audit/summary?since=3d', { token: v.adminToken });
    expect(strip(remade.body)).toEqual(strip(first.body));
    expect(Number((await v.sql('SELECT COUNT(*) AS n FROM audit_rollups'))[0]?.n)).toBeGreaterThanOrEqual(48);
    // And the same counts as a window that starts mid-hour (rollups inside, the log at both ends).
    const mid = await v.call('GET', `/v1/audit/summary?since=${new Date(clock() - 3 * 86_400_000 + 1_234_567).toISOString()}`, {
      token: v.adminToken,
    });
    expect(mid.body.secrets).toEqual(first.body.secrets);
    expect(mid.body.tokens).toEqual(first.body.tokens);
  });

  it('is for admins and auditors, and refuses a window in the future', async () => {
    const viewer = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: `viewer-${backend}`, role: 'viewer' } });
    expect((await v.call('GET', '/v1/audit/summary', { token: viewer.body.token })).status).toBe(403);
    expect((await v.call('GET', '/v1/audit/summary?since=2099-01-01T00:00:00Z', { token: v.adminToken })).status).toBe(400);
    expect((await v.call('GET', '/v1/audit/summary?since=yesterday', { token: v.adminToken })).status).toBe(400);
  });

  it('ass audit summary prints the sections, and --json the answer', async () => {
    const env = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
    const text = await ass(['audit', 'summary', '--since', '3d'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\d+ requests: \d+ granted, \d+ denied/);
    expect(text.stdout).toContain('Secrets (busiest first)');
    expect(text.stdout).toContain('scope_missing');
    expect(text.stdout).toContain('Rotations overdue');
    const asJson = await ass(['audit', 'summary', '--since', '3d', '--json'], env);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout).tokens.issued).toBe(2);
    expect(text.stdout + asJson.stdout).not.toContain(CANARY);
  });
});
