import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client.js';
import { AppError } from '../../src/core/errors.js';
import { backoffDelay, parseRetryAfter } from '../../src/core/retry.js';
import { sendJson, startStubServer } from '../helpers/cli-stub-server.js';

const CREDENTIAL = 'ass_u_CANARYcredential0000000000000000000000000000000000000000000000000';
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function stub(handler: Parameters<typeof startStubServer>[0]) {
  const s = await startStubServer(handler);
  closers.push(s.close);
  return s;
}

function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('client', () => {
  it('sends the bearer credential, JSON bodies, encoded paths and query strings', async () => {
    const s = await stub((req, res) => {
      if (req.url.startsWith('/v1/secrets/'))
        return sendJson(res, 200, {
          path: 'a/b',
          version: 3,
          value: 'v',
          type: 'other',
          tier: 'standard',
          createdAt: '2026-11-22T10:00:00.000Z',
        });
      if (req.url.startsWith('/v1/tokens')) return sendJson(res, 200, { tokens: [] });
      sendJson(res, 201, { ok: true });
    });
    const c = createClient({ url: `${s.url}/`, credential: CREDENTIAL });
    closers.push(() => c.close());
    const secret = await c.getSecret('prod/app/key', { version: 3 });
    expect(secret.version).toBe(3);
    await c.putSecret('prod/app/key', { value: 'hello', tier: 'critical', expectedVersion: 0 });
    await c.listTokens({ agent: 'ci', path: 'prod/app/key', all: true });
    expect(s.requests[0]).toMatchObject({ method: 'GET', url: '/v1/secrets/prod/app/key?version=3' });
    expect(s.requests[0]!.headers.authorization).toBe(`Bearer ${CREDENTIAL}`);
    expect(s.requests[1]).toMatchObject({ method: 'PUT', url: '/v1/secrets/prod/app/key' });
    expect(JSON.parse(s.requests[1]!.body)).toEqual({ value: 'hello', tier: 'critical', expectedVersion: 0 });
    expect(s.requests[2]!.url).toBe('/v1/tokens?agent=ci&path=prod%2Fapp%2Fkey&all=true');
  });

  it('never lets dot segments be folded away by URL parsing', async () => {
    const s = await stub((_req, res) => sendJson(res, 400, { error: { code: 'invalid_path', message: 'bad', requestId: 'r1' } }));
    const c = createClient({ url: s.url });
    closers.push(() => c.close());
    await expect(c.getSecret('a/../b')).rejects.toMatchObject({ code: 'invalid_path' });
    expect(s.requests[0]!.url).toBe('/v1/secrets/a/%2E%2E/b');
  });

  it('turns a server error into an AppError with its code and request id', async () => {
    const s = await stub((_req, res) =>
      sendJson(res, 403, { error: { code: 'scope_missing', message: 'Needs secrets:read:a/b.', requestId: 'req-42' } }),
    );
    const c = createClient({ url: s.url, credential: CREDENTIAL });
    closers.push(() => c.close());
    const err = await c.getSecret('a/b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('scope_missing');
    expect((err as AppError).exitCode).toBe(3);
    expect((err as AppError).message).toContain('Needs secrets:read:a/b.');
    expect((err as AppError).message).toContain('req-42');
    expect((err as AppError).message).not.toContain(CREDENTIAL);
  });

  it('maps an unknown server code to internal and a non-vault body to a status-based code', async () => {
    let n = 0;
    const s = await stub((_req, res) => {
      n++;
      if (n === 1) return sendJson(res, 418, { error: { code: 'teapot', message: 'short and stout', requestId: 'r' } });
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>SECRET-ish proxy page</html>');
    });
    const c = createClient({ url: s.url });
    closers.push(() => c.close());
    await expect(c.health()).rejects.toMatchObject({ code: 'internal' });
    const err = (await c.health().catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('not_found');
    expect(err.message).not.toContain('proxy page');
    expect(err.message).toContain('ASS_URL');
  });

  it('reports an unreachable vault as unavailable, naming the URL', async () => {
    const s = await stub((_req, res) => sendJson(res, 200, {}));
    const url = s.url;
    await s.close();
    closers.pop();
    const c = createClient({ url, credential: CREDENTIAL });
    closers.push(() => c.close());
    const err = (await c.whoami().catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(url);
    expect(err.message).toMatch(/down|wrong/);
    expect(err.message).not.toContain(CREDENTIAL);
  });

  it('retries 5xx, 408 and 429 with jittered backoff and honours Retry-After', async () => {
    const statuses = [503, 408, 429, 200];
    const s = await stub((_req, res) => {
      const status = statuses.shift()!;
      if (status === 200) return sendJson(res, 200, { status: 'ok', audit: 'intact' });
      if (status === 429)
        return sendJson(res, 429, { error: { code: 'rate_limited', message: 'slow', requestId: 'r' } }, { 'retry-after': '7' });
      sendJson(res, status, { error: { code: 'unavailable', message: 'later', requestId: 'r' } });
    });
    const { waits, sleep } = fakeSleep();
    const c = createClient({ url: s.url, retry: { attempts: 5, baseMs: 100, maxMs: 1000, sleep, random: () => 0.5 } });
    closers.push(() => c.close());
    await expect(c.health()).resolves.toEqual({ status: 'ok', audit: 'intact' });
    expect(s.requests).toHaveLength(4);
    expect(waits).toEqual([50, 100, 7000]);
  });

  it('retries network errors', async () => {
    let calls = 0;
    const s = await stub((req, res) => {
      calls++;
      if (calls === 1) return req && res.socket?.destroy();
      sendJson(res, 200, { status: 'ok', audit: 'intact' });
    });
    const { waits, sleep } = fakeSleep();
    const c = createClient({ url: s.url, retry: { attempts: 3, baseMs: 10, maxMs: 100, sleep, random: () => 1 } });
    closers.push(() => c.close());
    await expect(c.health()).resolves.toEqual({ status: 'ok', audit: 'intact' });
    expect(waits).toEqual([10]);
  });

  it.each([400, 401, 403, 404, 409])('never retries %i', async (status) => {
    const s = await stub((_req, res) => sendJson(res, status, { error: { code: 'denied', message: 'no', requestId: 'r' } }));
    const { waits, sleep } = fakeSleep();
    const c = createClient({ url: s.url, retry: { attempts: 5, baseMs: 10, maxMs: 100, sleep } });
    closers.push(() => c.close());
    await expect(c.health()).rejects.toBeInstanceOf(AppError);
    expect(s.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('gives up after the attempts and when a wait would pass the deadline', async () => {
    const s = await stub((_req, res) => sendJson(res, 500, { error: { code: 'internal', message: 'boom', requestId: 'r' } }));
    const { waits, sleep } = fakeSleep();
    const c = createClient({ url: s.url, retry: { attempts: 3, baseMs: 10, maxMs: 100, sleep, random: () => 1 } });
    closers.push(() => c.close());
    await expect(c.health()).rejects.toMatchObject({ code: 'internal' });
    expect(s.requests).toHaveLength(3);
    expect(waits).toEqual([10, 20]);

    let t = 0;
    const s2 = await stub((_req, res) =>
      sendJson(res, 429, { error: { code: 'rate_limited', message: 'slow', requestId: 'r' } }, { 'retry-after': '120' }),
    );
    const c2 = createClient({
      url: s2.url,
      timeoutMs: 60_000,
      now: () => t,
      retry: {
        attempts: 5,
        baseMs: 10,
        maxMs: 100,
        sleep: async (ms) => {
          t += ms;
        },
      },
    });
    closers.push(() => c2.close());
    await expect(c2.health()).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 120 });
    expect(s2.requests).toHaveLength(1);
  });

  it('returns the audit export as text', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('seq,eventType\n1,secret.read\n');
    });
    const c = createClient({ url: s.url });
    closers.push(() => c.close());
    await expect(c.exportAudit('csv', { eventType: ['secret.read', 'secret.write'], status: 'denied' })).resolves.toBe(
      'seq,eventType\n1,secret.read\n',
    );
    expect(s.requests[0]!.url).toBe('/v1/audit/export?format=csv&eventType=secret.read%2Csecret.write&status=denied');
  });

  it('rejects a malformed vault URL with a usage error', () => {
    expect(() => createClient({ url: 'not a url' })).toThrow(/not a URL/);
    expect(() => createClient({ url: 'ftp://x' })).toThrow(AppError);
  });

  it('computes full-jitter delays and Retry-After values', () => {
    expect(backoffDelay(0, { baseMs: 100, maxMs: 1000 }, () => 0.999)).toBe(99);
    expect(backoffDelay(10, { baseMs: 100, maxMs: 1000 }, () => 0.5)).toBe(500);
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
