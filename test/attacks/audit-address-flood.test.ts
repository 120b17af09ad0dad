/**
 * Evasion (anyone who can reach the vault, from many addresses: an IPv6 /64 is plenty): the
 * unknown_address check looked at the 10,000 busiest addresses of the window and no others, without
 * saying so. Ten thousand anonymous requests, one from each of as many addresses (requests without
 * a credential are recorded and limited by nothing), push the address that then reads a critical
 * secret out of the count: its critical finding is gone, and what is left is warnings, which the
 * default fail-on (critical) lets pass. And the check then asked the store about each address in
 * turn, twice (its reads, its records), over the window: the report took 42 s instead of half a
 * second. An address that read a secret is always looked at, the report asks about as many
 * addresses as it shows, and a count that reached its cap says so.
 */
import { afterEach, expect, it } from 'vitest';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const START = Date.parse('2026-11-24T10:00:00Z');
let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

it('ten thousand anonymous addresses do not hide the one that read a critical secret', async () => {
  const clock = fakeClock(START - 2 * 24 * 3_600_000);
  const vault = await startTestVault({ now: clock, trustedProxies: ['127.0.0.1/32'] });
  v = vault;
  await vault.call('PUT', '/v1/secrets/prod/db', { token: vault.adminToken, body: { value: 'canary-flood-61', tier: 'critical' } });
  const key = await createAgent(vault, 'billing', ['secrets:read:prod/*']);
  clock.set(START);
  const flood = Array.from({ length: 10_000 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
  for (let i = 0; i < flood.length; i += 200) {
    await Promise.all(
      flood.slice(i, i + 200).map((ip) => vault.call('GET', '/v1/secrets/prod/db', { headers: { 'x-forwarded-for': ip } })),
    );
  }
  const tok = await issueToken(vault, key, { scopes: ['secrets:read:prod/db'], ttl: '10m', maxUses: 1 });
  const read = await vault.call('GET', '/v1/secrets/prod/db', { token: tok.token, headers: { 'x-forwarded-for': '192.0.2.66' } });
  expect(read.status).toBe(200);
  clock.advance(60_000);
  const res = await vault.call('POST', '/v1/audit/anomalies', {
    token: vault.adminToken,
    body: { since: '1h', config: { knownRanges: ['127.0.0.0/8'] } },
  });
  expect(res.status).toBe(200);
  const found = res.body.anomalies as { check: string; severity: string; subject: { ip?: string } }[];
  expect(found.find((a) => a.check === 'unknown_address' && a.subject.ip === '192.0.2.66')).toMatchObject({ severity: 'critical' });
  const note = (res.body.checks as { check: string; note: string | null }[]).find((c) => c.check === 'unknown_address')?.note;
  expect(note).toMatch(/10,?000/);
}, 180_000);
