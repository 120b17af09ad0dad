/**
 * Amplification (anyone who can reach the vault, from many addresses): the lockout check read the
 * records of every address locked out in the window, one query each over the window, and the
 * pipeline and overdue-rotation checks did the same for every repository and ref and every overdue
 * secret. A report shows 200 findings at most; 400 lockouts (one failed guess from each of 400
 * addresses, under a strict lockout policy) made it ask twice as many questions as it could show
 * answers for, and ten thousand fifty times. A check asks about as many subjects as a report shows.
 */
import { afterEach, expect, it } from 'vitest';
import { generateCredential } from '../../src/core/credentials.js';
import { fakeClock, startTestVault, type TestVault } from '../helpers/vault.js';

const START = Date.parse('2026-11-24T10:00:00Z');
let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

it('a report over 400 lockouts reads the records of at most 200 of them', async () => {
  const clock = fakeClock(START);
  const vault = await startTestVault({ now: clock, trustedProxies: ['127.0.0.1/32'], lockout: { addressFailures: 1 } });
  v = vault;
  const addresses = Array.from({ length: 400 }, (_, i) => `10.2.${i >> 8}.${i & 255}`);
  // Well formed, with an id that does not exist: a guess.
  const wrong = generateCredential('token').secret;
  for (let i = 0; i < addresses.length; i += 100) {
    await Promise.all(
      addresses.slice(i, i + 100).map((ip) => vault.call('GET', '/v1/whoami', { token: wrong, headers: { 'x-forwarded-for': ip } })),
    );
  }
  const [locks] = await vault.sql("SELECT count(*) AS n FROM audit WHERE event = 'auth.lockout'");
  expect(Number(locks?.n)).toBe(400);
  clock.advance(60_000);
  let queries = 0;
  const store = vault.store as unknown as { queryAudit: (...args: unknown[]) => Promise<unknown> };
  const original = store.queryAudit.bind(store);
  store.queryAudit = (...args: unknown[]) => {
    queries++;
    return original(...args);
  };
  const res = await vault.call('POST', '/v1/audit/anomalies', { token: vault.adminToken, body: { since: '1h' } });
  expect(res.status).toBe(200);
  expect((res.body.anomalies as { check: string }[]).filter((a) => a.check === 'lockout')).toHaveLength(200);
  expect(queries).toBeLessThan(260);
}, 120_000);
