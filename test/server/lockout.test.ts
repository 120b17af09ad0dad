/**
 * Lockouts and rate limits. The promise under attack: a request with a valid credential is never
 * refused because of what other clients sent (from its address, or with its public id); only
 * guesses count (a wrong secret for a known id, an unknown id, a forged OIDC token); a lockout
 * backs off exponentially, is audited once, and is shared by replicas; rate limits are per
 * credential, shared, and say when to come back.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCredential } from '../../src/core/credentials.js';
import { startOidcIssuer } from '../helpers/oidc-issuer.js';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

/** A request from a chosen loopback source address (127.0.0.2 is another client). */
function callFrom(
  localAddress: string,
  url: string,
  token: string | undefined,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = request(url, { method: opts.method ?? 'GET', localAddress, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

const auditCount = async (vault: TestVault, event: string) =>
  Number((await vault.sql(`SELECT count(*) AS n FROM audit WHERE event = '${event}'`))[0]?.n);

describe('a shared address (NAT, a runner egress, a proxy without --trusted-proxy)', () => {
  it('a guesser locks only its own failures out: valid credentials from the same address are served', async () => {
    v = await startTestVault({ lockout: { addressFailures: 5, credentialFailures: 100 } });
    const key = await createAgent(v, 'svc', ['secrets:read:p/*']);
    const { token } = await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    for (let i = 0; i < 4; i++)
      expect((await callFrom('127.0.0.2', `${v.url}/v1/whoami`, generateCredential('user').secret)).status).toBe(401);
    const locked = await callFrom('127.0.0.2', `${v.url}/v1/whoami`, generateCredential('token').secret);
    expect(locked.status).toBe(429);
    expect(JSON.parse(locked.body).error.code).toBe('locked_out');
    expect(Number(locked.retryAfter)).toBe(30);
    // Everyone else behind that address, with a valid credential, is served.
    expect((await callFrom('127.0.0.2', `${v.url}/v1/whoami`, v.adminToken)).status).toBe(200);
    expect((await callFrom('127.0.0.2', `${v.url}/v1/tokens/self`, token)).status).toBe(200);
    expect((await callFrom('127.0.0.2', `${v.url}/v1/whoami`, key)).status).toBe(200);
    // The guesser's further guesses are refused, and so is any other failing credential from there.
    expect((await callFrom('127.0.0.2', `${v.url}/v1/whoami`, generateCredential('agent').secret)).status).toBe(429);
    // Another address is untouched.
    expect((await callFrom('127.0.0.1', `${v.url}/v1/whoami`, generateCredential('user').secret)).status).toBe(401);
  });

  it('what is not guessing counts toward nothing: no credential, a malformed one, unknown routes, bad input, an expired or revoked token', async () => {
    const clock = fakeClock();
    v = await startTestVault({ now: clock, lockout: { addressFailures: 3, credentialFailures: 3 } });
    const key = await createAgent(v, 'svc', ['secrets:read:p/*']);
    const expiring = await issueToken(v, key, { scopes: ['secrets:read:p/*'], ttl: '1m' });
    const revoked = await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    expect((await v.call('DELETE', `/v1/tokens/${revoked.id}`, { token: v.adminToken })).status).toBe(200);
    clock.advance(61_000);
    for (let i = 0; i < 10; i++) {
      expect((await v.call('GET', '/v1/whoami')).status).toBe(401);
      expect((await v.call('GET', '/v1/whoami', { token: 'not-a-credential' })).status).toBe(401);
      expect((await v.call('GET', `/v1/nothing-here-${i}`)).status).toBe(404);
      expect((await v.call('GET', '/v1/metadata?prefx=a')).status).toBe(400);
      expect((await v.call('GET', '/v1/tokens/self', { token: expiring.token })).status).toBe(401);
      expect((await v.call('GET', '/v1/tokens/self', { token: revoked.token })).status).toBe(401);
    }
    const list = await v.call('GET', '/v1/lockouts?all=true', { token: v.adminToken });
    expect(list.status).toBe(200);
    expect(list.body.lockouts).toEqual([]);
  });
});

describe('wrong secrets for a credential id', () => {
  it('lock the id out for guessers, while its holder goes on using it, from anywhere, the guesser’s address included', async () => {
    v = await startTestVault({ lockout: { addressFailures: 100, credentialFailures: 3 } });
    const key = await createAgent(v, 'svc', ['secrets:read:p/*']);
    const { token, id } = await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    // A credential with the real (public) id and a well-formed, wrong secret.
    const forged = generateCredential('token', id).secret;
    for (let i = 0; i < 2; i++) expect((await callFrom('127.0.0.2', `${v.url}/v1/tokens/self`, forged)).status).toBe(401);
    expect((await callFrom('127.0.0.3', `${v.url}/v1/tokens/self`, forged)).status).toBe(429);
    expect((await callFrom('127.0.0.4', `${v.url}/v1/tokens/self`, forged)).status).toBe(429);
    expect((await callFrom('127.0.0.2', `${v.url}/v1/tokens/self`, token)).status).toBe(200);
    expect((await callFrom('127.0.0.1', `${v.url}/v1/tokens/self`, token)).status).toBe(200);
    const list = await v.call('GET', '/v1/lockouts', { token: v.adminToken });
    expect(list.body.lockouts).toEqual([
      expect.objectContaining({ subject: 'credential', id: `token:${id}`, lockouts: 1, refused: 2, retryAfter: 30 }),
    ]);
  });

  it('back off exponentially, and a quiet spell as long as the longest lockout forgets', async () => {
    const clock = fakeClock();
    v = await startTestVault({ now: clock, lockout: { addressFailures: 1000, credentialFailures: 2, baseMs: 10_000, maxMs: 60_000 } });
    const forged = generateCredential('user', (await v.call('GET', '/v1/whoami', { token: v.adminToken })).body.id).secret;
    const lockOnce = async () => {
      expect((await v?.call('GET', '/v1/whoami', { token: forged }))?.status).toBe(401);
      const r = await v?.call('GET', '/v1/whoami', { token: forged });
      expect(r?.status).toBe(429);
      return Number(r?.headers.get('retry-after'));
    };
    const lengths: number[] = [];
    for (let i = 0; i < 5; i++) {
      const seconds = await lockOnce();
      lengths.push(seconds);
      clock.advance(seconds * 1000);
    }
    expect(lengths).toEqual([10, 20, 40, 60, 60]);
    clock.advance(60_000);
    expect(await lockOnce()).toBe(10);
  });
});

describe('a lockout is audited and logged once', () => {
  it('one auth.lockout record and one first refusal, however long the guessing goes on; an admin ends it (audited)', async () => {
    const warnings: string[] = [];
    v = await startTestVault({
      lockout: { addressFailures: 1000, credentialFailures: 3 },
      logger: { debug() {}, info() {}, error() {}, warning: (m) => warnings.push(m) },
    });
    const id = (await v.call('GET', '/v1/whoami', { token: v.adminToken })).body.id as string;
    const forged = generateCredential('user', id).secret;
    const before = Number((await v.sql('SELECT count(*) AS n FROM audit'))[0]?.n);
    for (let i = 0; i < 100; i++) await v.call('GET', '/v1/whoami', { token: forged });
    const after = Number((await v.sql('SELECT count(*) AS n FROM audit'))[0]?.n);
    // Two refused (401), the third began the lockout (429, with its auth.lockout record), then silence.
    expect(after - before).toBe(3 + 1);
    expect(await auditCount(v, 'auth.lockout')).toBe(1);
    const [rec] = await v.sql("SELECT reason, status FROM audit WHERE event = 'auth.lockout'");
    expect(rec?.status).toBe('denied');
    expect(String(rec?.reason)).toContain(`credential user:${id} locked out for 30s after 3 failed credential checks`);
    expect(warnings.filter((w) => w.includes('lockout'))).toHaveLength(1);
    const list = await v.call('GET', '/v1/lockouts', { token: v.adminToken });
    expect(list.body.lockouts[0]).toMatchObject({ subject: 'credential', id: `user:${id}`, refused: 98 });

    const cleared = await v.call('DELETE', `/v1/lockouts?credential=user:${id}`, { token: v.adminToken });
    expect(cleared.status).toBe(200);
    expect(cleared.body.cleared).toBe(1);
    expect((await v.call('GET', '/v1/whoami', { token: forged })).status).toBe(401);
    const [clear] = await v.sql("SELECT reason, actor_name FROM audit WHERE event = 'lockout.clear'");
    expect(clear).toMatchObject({ actor_name: 'admin', reason: `credential user:${id} cleared (1 counter)` });
  });

  it('clearing needs exactly one of address, credential or all, and an address it can name', async () => {
    v = await startTestVault();
    for (const q of ['', '?all=true&address=127.0.0.1', '?address=10.0.0.0/8', '?credential=nope', '?address=not-an-ip']) {
      const r = await v.call('DELETE', `/v1/lockouts${q}`, { token: v.adminToken });
      expect(r.status, q).toBe(400);
    }
    expect((await v.call('DELETE', '/v1/lockouts?address=2001:db8:1:2::/64', { token: v.adminToken })).status).toBe(200);
  });
});

describe('an IPv6 /64 is one address', () => {
  it('guesses from addresses in one /64 add up; another /64 is untouched', async () => {
    v = await startTestVault({ trustedProxies: ['127.0.0.1/32'], lockout: { addressFailures: 3, credentialFailures: 100 } });
    const from = (ip: string) =>
      callFrom('127.0.0.1', `${v?.url}/v1/whoami`, generateCredential('user').secret, { headers: { 'x-forwarded-for': ip } });
    expect((await from('2001:db8:1:2::1')).status).toBe(401);
    expect((await from('2001:db8:1:2:ffff::9')).status).toBe(401);
    expect((await from('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).status).toBe(429);
    expect((await from('2001:db8:1:3::1')).status).toBe(401);
    const list = await v.call('GET', '/v1/lockouts', { token: v.adminToken });
    expect(list.body.lockouts.map((l: { id: string }) => l.id)).toEqual(['2001:db8:1:2::/64']);
  });
});

describe('OIDC tokens', () => {
  it('genuine tokens that fail the trust policy are explained, never counted: the production pipeline keeps working', async () => {
    // The exchange allowance is small too: refused runs must not use it up either.
    v = await startTestVault({ lockout: { addressFailures: 3, credentialFailures: 3 }, rateLimits: { exchangesPerMinute: 2 } });
    const issuer = await startOidcIssuer();
    try {
      const res = await v.call('POST', '/v1/agents', {
        token: v.adminToken,
        body: {
          name: 'ci',
          scopes: ['secrets:read:x/*'],
          trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id, environment: 'production' } },
        },
      });
      const key = res.body.agentKey as string;
      const exchange = async (claims: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        v?.call('POST', '/v1/tokens/exchange', {
          token: key,
          body: { oidcToken: await issuer.mint({ audience: v?.url, claims, ...extra }) },
        });
      // A feature-branch run, a wrong environment, an expired token, another audience, a key the
      // issuer has not published (yet: it may be rotating keys), garbage from the key alone.
      const { generateSigningKey } = await import('../helpers/oidc-issuer.js');
      const unpublished = await generateSigningKey('kid-not-yet-published');
      for (let i = 0; i < 10; i++) {
        expect((await exchange({ environment: 'production' }, { key: unpublished }))?.status).toBe(403);
        expect((await v.call('POST', '/v1/tokens/exchange', { token: key, body: { oidcToken: 'x' } })).status).toBe(403);
        expect((await exchange({ environment: 'staging' }))?.status).toBe(403);
        expect((await exchange({ environment: undefined }))?.status).toBe(403);
        expect(
          (await exchange({ environment: 'production' }, { iat: Math.floor(Date.now() / 1000) - 3600, lifetimeSeconds: 60 }))?.status,
        ).toBe(403);
        const aud = await v.call('POST', '/v1/tokens/exchange', {
          token: key,
          body: { oidcToken: await issuer.mint({ audience: 'https://elsewhere.example', claims: { environment: 'production' } }) },
        });
        expect(aud.status).toBe(403);
      }
      expect((await exchange({ environment: 'production' }))?.status).toBe(201);
      expect((await v.call('GET', '/v1/lockouts?all=true', { token: v.adminToken })).body.lockouts).toEqual([]);
    } finally {
      await issuer.close();
    }
  });

  it('forged or foreign-signed tokens lock the agent key out for forgers, audited once; the real pipeline still gets its token', async () => {
    v = await startTestVault({ lockout: { addressFailures: 100, credentialFailures: 3 } });
    const issuer = await startOidcIssuer();
    const { generateSigningKey } = await import('../helpers/oidc-issuer.js');
    // The issuer's own kid, but another private key: a foreign signature.
    const foreign = await generateSigningKey(issuer.key.kid);
    try {
      const res = await v.call('POST', '/v1/agents', {
        token: v.adminToken,
        body: {
          name: 'ci',
          scopes: ['secrets:read:x/*'],
          trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
        },
      });
      const key = res.body.agentKey as string;
      const keyId = key.slice('ass_a_'.length, 'ass_a_'.length + 16);
      const forge = async (opts: Parameters<typeof issuer.mint>[0]) =>
        (
          await v?.call('POST', '/v1/tokens/exchange', {
            token: key,
            body: { oidcToken: await issuer.mint({ audience: v?.url, ...opts }) },
          })
        )?.status;
      expect(await forge({ key: foreign })).toBe(403);
      expect(await forge({ forge: 'alg-none' })).toBe(403);
      expect(await forge({ forge: 'hs256-public-key' })).toBe(429);
      expect(await forge({ key: foreign })).toBe(429);
      const good = await v.call('POST', '/v1/tokens/exchange', { token: key, body: { oidcToken: await issuer.mint({ audience: v.url }) } });
      expect(good.status).toBe(201);
      expect(await auditCount(v, 'auth.lockout')).toBe(1);
      const list = await v.call('GET', '/v1/lockouts', { token: v.adminToken });
      expect(list.body.lockouts.map((l: { id: string }) => l.id)).toEqual([`agent:${keyId}`]);
    } finally {
      await issuer.close();
    }
  });
});

describe('what a lockout counts against', () => {
  it('a token id sent under the other prefix counts against the token as stored: no second counter', async () => {
    v = await startTestVault({ lockout: { addressFailures: 1000, credentialFailures: 3 } });
    const key = await createAgent(v, 'svc', ['secrets:read:p/*']);
    const { token, id } = await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    const statuses = [];
    for (const kind of ['token', 'pipeline', 'pipeline'] as const) {
      statuses.push((await v.call('GET', '/v1/tokens/self', { token: generateCredential(kind, id).secret })).status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    const list = await v.call('GET', '/v1/lockouts?all=true', { token: v.adminToken });
    expect(list.body.lockouts.filter((l: { subject: string }) => l.subject === 'credential').map((l: { id: string }) => l.id)).toEqual([
      `token:${id}`,
    ]);
    expect((await v.call('GET', '/v1/tokens/self', { token })).status).toBe(200);
  });

  it('a forwarded address with a port is the address: the port does not make a new client', async () => {
    v = await startTestVault({ trustedProxies: ['127.0.0.1/32'], lockout: { addressFailures: 3, credentialFailures: 100 } });
    const statuses = [];
    for (const hop of ['203.0.113.7:40000', '203.0.113.7:40001', '203.0.113.7']) {
      statuses.push(
        (await callFrom('127.0.0.1', `${v.url}/v1/whoami`, generateCredential('user').secret, { headers: { 'x-forwarded-for': hop } }))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 429]);
    for (const hop of ['[2001:db8::1]:443', '2001:db8::2', '[2001:db8::3]']) {
      await callFrom('127.0.0.1', `${v.url}/v1/whoami`, generateCredential('user').secret, { headers: { 'x-forwarded-for': hop } });
    }
    const ids = (await v.call('GET', '/v1/lockouts', { token: v.adminToken })).body.lockouts.map((l: { id: string }) => l.id);
    expect(ids.sort()).toEqual(['2001:db8::/64', '203.0.113.7']);
    // Garbage from the proxy is counted as the proxy's own address, never as a new client each time.
    await callFrom('127.0.0.1', `${v.url}/v1/whoami`, generateCredential('user').secret, {
      headers: { 'x-forwarded-for': 'not-an-address' },
    });
    const all = (await v.call('GET', '/v1/lockouts?all=true', { token: v.adminToken })).body.lockouts.map((l: { id: string }) => l.id);
    expect(all.sort()).toEqual(['127.0.0.1', '2001:db8::/64', '203.0.113.7']);
  });

  it('counters of guesses from ever new addresses do not outlive their use', async () => {
    const clock = fakeClock();
    v = await startTestVault({ now: clock, trustedProxies: ['127.0.0.1/32'], lockout: { addressFailures: 3, maxMs: 600_000 } });
    for (let i = 0; i < 300; i++) {
      await callFrom('127.0.0.1', `${v.url}/v1/whoami`, generateCredential('user').secret, {
        headers: { 'x-forwarded-for': `2001:db8:${i.toString(16)}::1` },
      });
    }
    expect(Number((await v.sql('SELECT count(*) AS n FROM lockouts'))[0]?.n)).toBe(300);
    clock.advance(3600_000);
    expect((await v.call('GET', '/v1/lockouts?all=true', { token: v.adminToken })).body.lockouts).toEqual([]);
    expect(Number((await v.sql('SELECT count(*) AS n FROM lockouts'))[0]?.n)).toBe(0);
  });
});

describe('rate limits per credential', () => {
  it('refuse reads past the limit with Retry-After, one credential at a time, and a client that waits is served', async () => {
    const clock = fakeClock(Date.parse('2026-11-22T10:00:00Z'));
    v = await startTestVault({ now: clock, rateLimits: { readsPerMinute: 3 } });
    for (const name of ['a', 'b'])
      await v.call('PUT', `/v1/secrets/p/${name}`, { token: v.adminToken, body: { value: `canary-rate-${name}` } });
    const key = await createAgent(v, 'svc', ['secrets:read:p/*']);
    const one = await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    const two = await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    for (let i = 0; i < 2; i++) expect((await v.call('GET', '/v1/secrets/p/a', { token: one.token })).status).toBe(200);
    expect((await v.call('POST', '/v1/batch/read', { token: one.token, body: { paths: ['p/a'] } })).status).toBe(200);
    const refused = await v.call('GET', '/v1/secrets/p/a', { token: one.token });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.text).not.toContain('canary-rate-a');
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(120);
    // Another credential has its own allowance; a batch counts one per path or prefix, like its uses.
    expect((await v.call('POST', '/v1/batch/read', { token: two.token, body: { paths: ['p/a', 'p/b'], prefixes: ['p'] } })).status).toBe(
      200,
    );
    expect((await v.call('GET', '/v1/secrets/p/a', { token: two.token })).status).toBe(429);
    const three = await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    const tooBig = await v.call('POST', '/v1/batch/read', { token: three.token, body: { paths: ['p/a', 'p/b', 'p/c', 'p/d'] } });
    expect(tooBig.status).toBe(429);
    expect(tooBig.body.error.message).toMatch(/counts 4 secret reads/);
    clock.advance(wait * 1000);
    expect((await v.call('GET', '/v1/secrets/p/a', { token: one.token })).status).toBe(200);
    // The refusal is audited as denied, and says why.
    const [rec] = await v.sql("SELECT status, reason FROM audit WHERE event = 'secret.read' AND reason LIKE 'rate_limited%'");
    expect(rec?.status).toBe('denied');
  });

  it('limit exchanges and token issues per agent key', async () => {
    v = await startTestVault({ rateLimits: { exchangesPerMinute: 2 } });
    const key = await createAgent(v, 'svc', ['secrets:read:p/*']);
    await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    const third = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:p/*'], ttl: '5m' } });
    expect(third.status).toBe(429);
    expect(third.body.error.message).toMatch(/--rate-exchanges/);
    const other = await createAgent(v, 'other', ['secrets:read:p/*']);
    await issueToken(v, other, { scopes: ['secrets:read:p/*'] });
  });
});

describe('replicas on one PostgreSQL store share lockouts and rate limits', () => {
  it('guesses and reads spread over two replicas add up', async () => {
    v = await startTestVault({
      backend: 'postgres',
      lockout: { addressFailures: 1000, credentialFailures: 4 },
      rateLimits: { readsPerMinute: 4 },
    });
    const replica = await v.replica();
    const key = await createAgent(v, 'svc', ['secrets:read:p/*']);
    await v.call('PUT', '/v1/secrets/p/a', { token: v.adminToken, body: { value: 'canary-pg' } });
    const { token, id } = await issueToken(v, key, { scopes: ['secrets:read:p/*'] });
    const forged = generateCredential('token', id).secret;
    const urls = [v.url, replica.url];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await callFrom('127.0.0.1', `${urls[i % 2]}/v1/tokens/self`, forged)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    expect(Number((await v.sql("SELECT count(*) AS n FROM audit WHERE event = 'auth.lockout'"))[0]?.n)).toBe(1);
    const reads: number[] = [];
    for (let i = 0; i < 6; i++) reads.push((await callFrom('127.0.0.1', `${urls[i % 2]}/v1/secrets/p/a`, token)).status);
    expect(reads).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('two replicas racing on one counter lock it exactly once', async () => {
    v = await startTestVault({ backend: 'postgres', lockout: { addressFailures: 1000, credentialFailures: 10 } });
    const replica = await v.replica();
    const id = (await v.call('GET', '/v1/whoami', { token: v.adminToken })).body.id as string;
    const forged = generateCredential('user', id).secret;
    const all = await Promise.all(
      Array.from({ length: 30 }, (_, i) => callFrom('127.0.0.1', `${i % 2 ? v?.url : replica.url}/v1/whoami`, forged)),
    );
    expect(all.filter((r) => r.status === 401)).toHaveLength(9);
    expect(all.filter((r) => r.status === 429)).toHaveLength(21);
    expect(Number((await v.sql("SELECT count(*) AS n FROM audit WHERE event = 'auth.lockout'"))[0]?.n)).toBe(1);
  });
});
