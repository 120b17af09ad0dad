/**
 * Tells a webhook that a secret was rotated, so a receiver (a deploy hook, a chat bot) can act
 * without polling the vault. The notice carries the path and versions, never a value, and is
 * signed the way GitHub signs its webhooks, so receivers can reuse what they know:
 *
 *   X-Ass-Event: secret.rotated
 *   X-Ass-Delivery: <uuid, the same on the one retry so a receiver can drop a duplicate>
 *   X-Ass-Signature-256: sha256=<hex HMAC-SHA256 of the exact body bytes under the shared secret>
 *
 * Receivers check a request with `verifyWebhookSignature(rawBody, header, secret)`, on the raw
 * bytes as received (a re-serialised JSON body would not match).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError, type ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { isLoopbackHost } from '../core/net.js';
import { realSleep } from '../core/retry.js';

export const ROTATED_EVENT = 'secret.rotated';
export const SIGNATURE_HEADER = 'X-Ass-Signature-256';
export const EVENT_HEADER = 'X-Ass-Event';
export const DELIVERY_HEADER = 'X-Ass-Delivery';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY_DELAY_MS = 1_000;
/** A shorter shared secret is guessable offline from one signed notice. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** What a receiver learns about one rotation (no value, ever). */
export interface RotationNotice {
  path: string;
  /** The new current version. */
  version: number;
  /** The version it replaced (null for a first value). */
  previousVersion: number | null;
  /** ISO 8601: when the previous value stops working (null when it is revoked at once or there is none). */
  graceEnds: string | null;
  rotationId: string;
  /** ISO 8601. */
  rotatedAt: string;
}

export interface WebhookOptions {
  /** https, or plain http only to this machine (`isLoopbackHost`). */
  url: string;
  /** The shared secret the receiver verifies the signature with. */
  secret: string;
  /** Injected for tests and proxies; default the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Deadline of each attempt. Default 10 s. */
  timeoutMs?: number;
  /** Wait before the one retry. Default 1 s. */
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Default `crypto.randomUUID`. */
  newDeliveryId?: () => string;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface WebhookDelivery {
  deliveryId: string;
  /** The receiver's 2xx status. */
  status: number;
  attempts: number;
}

/**
 * Checks a webhook URL: https, or plain http to a loopback host (nothing sent there leaves the
 * machine). Messages show only the URL's origin: webhook paths often embed a token.
 */
export function validateWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid_input', 'The webhook URL is not a URL; write it as https://HOST/PATH.');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new AppError(
    'invalid_input',
    `The webhook URL ${url.protocol}//${url.host} must use https: plain http is accepted only for this machine (localhost, 127.0.0.1, ::1).`,
  );
}

/** The exact JSON body sent, fields picked one by one so nothing else a caller holds can slip in. */
export function webhookBody(notice: RotationNotice): string {
  const { path, version, previousVersion, graceEnds, rotationId, rotatedAt } = notice;
  return JSON.stringify({ event: ROTATED_EVENT, path, version, previousVersion, graceEnds, rotationId, rotatedAt });
}

/** `sha256=<hex HMAC-SHA256 of body under secret>`, the value of `X-Ass-Signature-256`. */
export function signWebhookBody(body: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * For receivers: true when `header` (the `X-Ass-Signature-256` value) is the signature of the raw
 * `body` under `secret`. The comparison takes the same time wherever the first difference is
 * (timingSafeEqual), so a forger cannot learn the signature byte by byte; a missing or malformed
 * header is false.
 */
export function verifyWebhookSignature(body: string | Uint8Array, header: string | null | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header) || !secret) return false;
  const expected = Buffer.from(signWebhookBody(body, secret).slice('sha256='.length), 'hex');
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return timingSafeEqual(expected, given);
}

/**
 * POSTs the signed notice. One retry, after `retryDelayMs`, on a network error, a timeout or a
 * 5xx, with the same delivery id; a 4xx or a redirect is not retried (the receiver refused, or
 * the URL is not the final one, and trying again would not change that). Throws an AppError that
 * names the URL's origin, never its path, the body's secret or the shared secret.
 */
export async function notifyRotation(notice: RotationNotice, options: WebhookOptions): Promise<WebhookDelivery> {
  return postSignedWebhook(ROTATED_EVENT, webhookBody(notice), `${notice.path} was rotated`, options);
}

/**
 * POSTs a signed JSON `body` as event `event` (the approval notices use it too). `what` says what
 * happened, for the log line. Retries and errors as notifyRotation says.
 */
export async function postSignedWebhook(event: string, body: string, what: string, options: WebhookOptions): Promise<WebhookDelivery> {
  if (typeof options.secret !== 'string' || options.secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    throw new AppError(
      'invalid_input',
      `The webhook's shared secret must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters; generate a random one.`,
    );
  }
  return deliver(event, body, what, options, signWebhookBody(body, options.secret));
}

/**
 * POSTs a JSON `body` unsigned, for receivers that take no signature, where the URL itself is the
 * credential (Slack's incoming webhooks): the audit action's report. Same retries and errors as
 * postSignedWebhook; messages name only the URL's origin, never its path.
 */
export async function postWebhook(
  event: string,
  body: string,
  what: string,
  options: Omit<WebhookOptions, 'secret'>,
): Promise<WebhookDelivery> {
  return deliver(event, body, what, options, undefined);
}

async function deliver(
  event: string,
  body: string,
  what: string,
  options: Omit<WebhookOptions, 'secret'>,
  signature: string | undefined,
): Promise<WebhookDelivery> {
  const url = validateWebhookUrl(options.url);
  const deliveryId = (options.newDeliveryId ?? randomUUID)();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'agent-secret-store-webhook',
    [EVENT_HEADER]: event,
    [DELIVERY_HEADER]: deliveryId,
    ...(signature ? { [SIGNATURE_HEADER]: signature } : {}),
  };
  const first = await attempt(url, body, headers, options);
  if (first.ok) return delivered(first.status, 1);
  if (!first.retry) throw first.error;
  options.logger?.warning(`The webhook at ${url.origin} failed (${first.why}); retrying once.`);
  await (options.sleep ?? realSleep)(options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
  const second = await attempt(url, body, headers, options);
  if (second.ok) return delivered(second.status, 2);
  throw second.error;

  function delivered(status: number, attempts: number): WebhookDelivery {
    options.logger?.info(`Notified the webhook at ${url.origin} that ${what} (delivery ${deliveryId}).`);
    return { deliveryId, status, attempts };
  }
}

type Outcome = { ok: true; status: number } | { ok: false; retry: boolean; why: string; error: AppError };

async function attempt(url: URL, body: string, headers: Record<string, string>, options: Omit<WebhookOptions, 'secret'>): Promise<Outcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const fail = (code: ErrorCode, retry: boolean, why: string, fix: string): Outcome => ({
    ok: false,
    retry,
    why,
    error: new AppError(code, `Could not notify the webhook at ${url.origin}: ${why}. ${fix}`, {
      details: retry ? { retryable: true } : {},
    }),
  });
  let res: Response;
  try {
    // A redirect is not followed: it could lead the signed notice to plain http or another host.
    res = await (options.fetch ?? globalThis.fetch)(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    await res.arrayBuffer().catch(() => undefined);
  } catch (err) {
    if (options.signal?.aborted) return fail('unavailable', false, 'the notice was cancelled', 'Nothing to fix.');
    const why = timeout.aborted ? `no answer within ${timeoutMs / 1000}s` : `it could not be reached (${networkCode(err)})`;
    return fail('unavailable', true, why, 'Check that the receiver is up and the URL is right.');
  }
  if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
  if (res.status >= 500) return fail('unavailable', true, `it answered HTTP ${res.status}`, 'The receiver failed; check its logs.');
  if (res.status >= 300 && res.status < 400) {
    return fail(
      'invalid_input',
      false,
      `it answered with a redirect (HTTP ${res.status})`,
      'Configure the final URL; redirects are not followed.',
    );
  }
  if (res.status === 401 || res.status === 403) {
    return fail(
      'denied',
      false,
      `it refused the notice (HTTP ${res.status})`,
      'Check that the receiver verifies with the same shared secret.',
    );
  }
  return fail('invalid_input', false, `it answered HTTP ${res.status}`, 'Check the URL and that the receiver accepts these events.');
}

function networkCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  return code ?? (err instanceof Error ? err.name : 'network error');
}
