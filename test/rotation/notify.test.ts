import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { streamLogger } from '../../src/core/logger.js';
import { notifyRotation, type RotationNotice, signWebhookBody, verifyWebhookSignature, webhookBody } from '../../src/rotation/notify.js';

const SECRET = 'whsec_CANARYSHAREDSECRET_4c1e9a';
const PATH_TOKEN = 'CANARYPATHTOKEN'; // webhook paths often embed a token: it must not show up in errors or logs
const notice: RotationNotice = {
  path: 'prod/db/password',
  version: 5,
  previousVersion: 4,
  graceEnds: '2026-06-02T10:00:00.000Z',
  rotationId: 'rot_01J0',
  rotatedAt: '2026-06-01T10:00:00.000Z',
};

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
  verified: boolean;
}

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A real receiver on 127.0.0.1 that checks each request's signature as a user's receiver would. */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const verified = verifyWebhookSignature(body, req.headers['x-ass-signature-256'] as string | undefined, SECRET);
      received.push({ headers: req.headers, body, verified });
      const status = statuses[received.length - 1] ?? 200;
      res.writeHead(verified ? status : 401).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server!.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/${PATH_TOKEN}`, received };
}

function recorder() {
  const lines: string[] = [];
  return { lines, logger: streamLogger((l) => lines.push(l), { debug: true }) };
}

const noSleep = async () => {};

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

describe('notifyRotation', () => {
  it('POSTs the signed notice, which the receiver verifies', async () => {
    const { url, received } = await receiver([204]);
    const { lines, logger } = recorder();
    const result = await notifyRotation(notice, { url, secret: SECRET, logger, newDeliveryId: () => 'delivery-1' });
    expect(result).toEqual({ deliveryId: 'delivery-1', status: 204, attempts: 1 });
    expect(received).toHaveLength(1);
    const [r] = received as [Received];
    expect(r.verified).toBe(true);
    expect(r.headers['x-ass-event']).toBe('secret.rotated');
    expect(r.headers['x-ass-delivery']).toBe('delivery-1');
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body.toString('utf8'))).toEqual({ event: 'secret.rotated', ...notice });
    expect(r.body.toString('utf8')).toBe(webhookBody(notice));
    expect(lines.join('')).toContain('Notified the webhook at http://127.0.0.1:');
    expect(lines.join('')).not.toContain(PATH_TOKEN);
  });

  it('sends only the notice fields, whatever else the caller passes', async () => {
    const { url, received } = await receiver([200]);
    const withValue = { ...notice, value: 'CANARYVALUE' } as RotationNotice;
    await notifyRotation(withValue, { url, secret: SECRET });
    expect(received[0]?.body.toString('utf8')).not.toContain('CANARYVALUE');
  });

  it('retries a 5xx once with the same delivery id and signature', async () => {
    const { url, received } = await receiver([503, 200]);
    const { lines, logger } = recorder();
    const delays: number[] = [];
    const result = await notifyRotation(notice, { url, secret: SECRET, logger, sleep: async (ms) => void delays.push(ms) });
    expect(result.attempts).toBe(2);
    expect(received).toHaveLength(2);
    expect(received[1]?.headers['x-ass-delivery']).toBe(received[0]?.headers['x-ass-delivery']);
    expect(received.every((r) => r.verified)).toBe(true);
    expect(delays).toEqual([1000]);
    expect(lines.join('')).toContain('failed (it answered HTTP 503); retrying once.');
  });

  it('gives up after the one retry', async () => {
    const { url, received } = await receiver([500, 502, 200]);
    const { lines, logger } = recorder();
    const err = await caught(notifyRotation(notice, { url, secret: SECRET, logger, sleep: noSleep }));
    expect(received).toHaveLength(2);
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/^Could not notify the webhook at http:\/\/127\.0\.0\.1:\d+: it answered HTTP 502\./);
    const text = `${err.message}${lines.join('')}`;
    expect(text).not.toContain(PATH_TOKEN);
    expect(text).not.toContain(SECRET);
  });

  it('does not retry a 4xx', async () => {
    const { url, received } = await receiver([404]);
    const err = await caught(notifyRotation(notice, { url, secret: SECRET, sleep: noSleep }));
    expect(received).toHaveLength(1);
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('it answered HTTP 404');
  });

  it('reports a refusal when the receiver holds another secret', async () => {
    const { url, received } = await receiver([200]);
    const err = await caught(notifyRotation(notice, { url, secret: 'another-shared-secret-0000', sleep: noSleep }));
    expect(received[0]?.verified).toBe(false);
    expect(err.code).toBe('denied');
    expect(err.message).toContain('same shared secret');
    expect(err.message).not.toContain('another-shared-secret-0000');
  });

  it('retries a network error once', async () => {
    let calls = 0;
    const fetch = async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    };
    const err = await caught(notifyRotation(notice, { url: 'https://hooks.example.com/x', secret: SECRET, fetch, sleep: noSleep }));
    expect(calls).toBe(2);
    expect(err.message).toBe(
      'Could not notify the webhook at https://hooks.example.com: it could not be reached (ECONNREFUSED). Check that the receiver is up and the URL is right.',
    );
  });

  it('times out an attempt that gets no answer', async () => {
    const fetch = (_url: unknown, init?: RequestInit) =>
      new Promise<never>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const err = await caught(
      notifyRotation(notice, { url: 'https://hooks.example.com/x', secret: SECRET, fetch, timeoutMs: 20, sleep: noSleep }),
    );
    expect(err.message).toContain('no answer within 0.02s');
  });

  it('does not follow a redirect', async () => {
    const { url, received } = await receiver([302]);
    const err = await caught(notifyRotation(notice, { url, secret: SECRET, sleep: noSleep }));
    expect(received).toHaveLength(1);
    expect(err.message).toContain('redirect (HTTP 302)');
  });

  it.each([
    ['http://hooks.example.com/x', /must use https: plain http is accepted only for this machine/],
    ['http://10.0.0.5/x', /must use https/],
    ['ftp://127.0.0.1/x', /must use https/],
    ['not a url', /not a URL/],
  ])('refuses %s before sending anything', async (url, message) => {
    let called = false;
    const fetch = async () => {
      called = true;
      return new Response(null, { status: 200 });
    };
    const err = await caught(notifyRotation(notice, { url, secret: SECRET, fetch }));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(message);
    expect(called).toBe(false);
  });

  it('accepts plain http to ::1 and localhost', async () => {
    const seen: string[] = [];
    const fetch = async (u: URL | string | Request) => {
      seen.push(String(u));
      return new Response(null, { status: 200 });
    };
    await notifyRotation(notice, { url: 'http://[::1]:9/h', secret: SECRET, fetch: fetch as typeof globalThis.fetch });
    await notifyRotation(notice, { url: 'http://localhost:9/h', secret: SECRET, fetch: fetch as typeof globalThis.fetch });
    expect(seen).toEqual(['http://[::1]:9/h', 'http://localhost:9/h']);
  });

  it('refuses a short shared secret', async () => {
    const err = await caught(notifyRotation(notice, { url: 'https://hooks.example.com/x', secret: 'short' }));
    expect(err.message).toContain('at least 16 characters');
  });
});

describe('verifyWebhookSignature', () => {
  const body = webhookBody(notice);
  const good = signWebhookBody(body, SECRET);

  it('accepts the signature of the exact body, as a string or as bytes', () => {
    expect(good).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(body, good, SECRET)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), good, SECRET)).toBe(true);
  });

  it.each([
    ['a changed body', `${body} `, good, SECRET],
    ['another secret', body, good, `${SECRET}x`],
    ['a flipped digit', body, `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`, SECRET],
    ['a missing header', body, undefined, SECRET],
    ['no prefix', body, good.slice('sha256='.length), SECRET],
    ['sha1', body, `sha1=${good.slice(7, 47)}`, SECRET],
    ['a short digest', body, good.slice(0, -2), SECRET],
    ['an empty secret', body, signWebhookBody(body, ''), ''],
  ])('rejects %s', (_name, b, header, secret) => {
    expect(verifyWebhookSignature(b, header, secret)).toBe(false);
  });
});
