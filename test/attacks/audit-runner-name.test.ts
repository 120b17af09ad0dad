/**
 * Attack (whoever holds the key of an agent named `vault-rotator`): the anomaly checks left out every
 * record whose actor was a token of an agent of that name, as the vault's own rotation runner. But
 * the name is not the runner: an admin may create the agent first (README: "create it yourself
 * beforehand with narrower scopes"), and is then shown its key, as on a vault that never runs
 * `--rotate`. Tokens issued from that key read critical secrets at night and secrets the agent never
 * read, unseen by off_hours_critical and first_read. Only the tokens the server issues itself for a
 * pass (operator records, which no request can write) are the runner's.
 */
import { afterEach, expect, it } from 'vitest';
import { fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A Tuesday, 02:00 UTC: outside business hours.
const NOW = Date.parse('2026-11-24T02:00:00Z');
let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

interface Finding {
  check: string;
  subject: Record<string, string>;
}

it('a token of an admin-made vault-rotator agent reading a critical secret at night, for the first time, is reported', async () => {
  const clock = fakeClock(NOW - 10 * DAY);
  const vault = await startTestVault({ now: clock });
  v = vault;
  const admin = vault.adminToken;
  await vault.call('PUT', '/v1/secrets/prod/db', { token: admin, body: { value: 'canary-runner-name-5', tier: 'critical' } });
  await vault.call('PUT', '/v1/secrets/prod/other', { token: admin, body: { value: 'canary-runner-name-5', tier: 'critical' } });
  // As the README allows: the admin makes the rotator's agent first, and is shown its key.
  const created = await vault.call('POST', '/v1/agents', {
    token: admin,
    body: { name: 'vault-rotator', scopes: ['secrets:read:prod/*', 'secrets:rotate:prod/*'] },
  });
  expect(created.status).toBe(201);
  // A week of history in which it read only prod/other, in business hours.
  clock.set(NOW - 7 * DAY + 12 * HOUR);
  const old = await issueToken(vault, created.body.agentKey, { scopes: ['secrets:read:prod/other'], ttl: '10m', maxUses: 1 });
  expect((await vault.call('GET', '/v1/secrets/prod/other', { token: old.token })).status).toBe(200);
  clock.set(NOW);
  const tok = await issueToken(vault, created.body.agentKey, { scopes: ['secrets:read:prod/db'], ttl: '10m', maxUses: 3 });
  for (let i = 0; i < 3; i++) expect((await vault.call('GET', '/v1/secrets/prod/db', { token: tok.token })).status).toBe(200);
  clock.advance(60_000);
  const res = await vault.call('POST', '/v1/audit/anomalies', { token: admin, body: { since: '1h' } });
  expect(res.status).toBe(200);
  const found = res.body.anomalies as Finding[];
  expect(found.find((a) => a.check === 'off_hours_critical')?.subject).toMatchObject({ actor: 'vault-rotator', path: 'prod/db' });
  expect(found.find((a) => a.check === 'first_read')?.subject).toMatchObject({ actor: 'vault-rotator', path: 'prod/db' });
});

it("the server's own passes stay out of the report, also when the agent was made by an admin", async () => {
  const clock = fakeClock(NOW - 10 * DAY);
  const vault = await startTestVault({ now: clock });
  v = vault;
  const admin = vault.adminToken;
  await vault.call('PUT', '/v1/secrets/prod/db', { token: admin, body: { value: 'canary-runner-name-5', tier: 'critical' } });
  const created = await vault.call('POST', '/v1/agents', {
    token: admin,
    body: { name: 'vault-rotator', scopes: ['secrets:read:prod/*', 'secrets:rotate:prod/*'] },
  });
  expect(created.status).toBe(201);
  await vault.stop();
  await vault.start({ rotate: true, rotateEverySeconds: 24 * 3600 });
  expect(
    (await vault.call('PUT', '/v1/rotation/policies/prod/db', { token: admin, body: { rotator: 'random', every: '7d' } })).status,
  ).toBe(200);
  clock.set(NOW);
  const results = await vault.runRotationPass?.();
  expect(results?.map((r) => [r.path, r.status])).toEqual([['prod/db', 'rotated']]);
  clock.advance(60_000);
  const res = await vault.call('POST', '/v1/audit/anomalies', {
    token: admin,
    body: { since: '1h', config: { offHoursHabit: 0, knownRanges: ['10.0.0.0/8'] } },
  });
  expect(res.status).toBe(200);
  const about = (res.body.anomalies as Finding[]).filter((a) => a.subject.actor === 'vault-rotator' || a.subject.ip === '127.0.0.1');
  expect(about).toEqual([]);
});
