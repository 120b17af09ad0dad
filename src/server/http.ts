import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addressAllowed, type Cidr, normaliseAddress } from '../core/cidr.js';
import { AppError, isAppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RequestContext } from './context.js';
import { lockedOut } from './services/auth.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RouteInput {
  ctx: RequestContext;
  params: string[];
  query: Record<string, string | undefined>;
  body: unknown;
  headers: IncomingMessage['headers'];
}

export type RouteResult = { status?: number; body: unknown } | { status?: number; text: string; contentType: string };

export interface Route {
  method: string;
  pattern: RegExp;
  /** Audit event type recorded for this route. */
  event: string;
  /** False only for the health probe: every other request is authenticated and audited. */
  audited?: boolean;
  /** Whether the route can run without a credential (the health probe). */
  anonymous?: boolean;
  /** The query parameters the route takes; any other is refused (a typo must not be ignored). */
  query?: readonly string[];
  /**
   * Answer even when the request's own audit record cannot be written. Only for the chain
   * verification and the audit export: they release nothing secret, and they are how an
   * operator learns why the log refuses new records.
   */
  answersWithoutAudit?: boolean;
  handler: (input: RouteInput) => Promise<RouteResult>;
}

export interface HttpDeps {
  routes: Route[];
  logger: Logger;
  trustedProxies: Cidr[];
  authenticate: (ctx: RequestContext, header: string | undefined) => Promise<void>;
  /** Writes the audit record(s) of a request; throwing fails the request closed. */
  writeAudit: (ctx: RequestContext) => Promise<void>;
  /**
   * Per-address limits on failures: every request that fails before a credential is accepted (no
   * credential, a bad one, bad query or body, no such route) counts, and a locked-out address is
   * refused before anything else is done.
   */
  addressGuard: { state(ip: string): { retryAfter: number; first: boolean } | undefined; fail(ip: string): void };
}

/**
 * The client address: the TCP peer, unless the peer is a configured trusted proxy, in which case
 * the right-most X-Forwarded-For address that is not itself a trusted proxy. Headers from any
 * other peer are ignored, so a client cannot claim an allowlisted address.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: Cidr[]): string {
  const peer = normaliseAddress(req.socket.remoteAddress);
  if (trustedProxies.length === 0 || !addressAllowed(peer, trustedProxies)) return peer;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = normaliseAddress(chain[i]);
    if (!addressAllowed(hop, trustedProxies)) return hop;
  }
  return peer;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AppError('payload_too_large', `The request body is over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('invalid_input', 'The request body is not valid JSON; send a JSON object with Content-Type: application/json.');
  }
}

function parseQuery(search: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of new URLSearchParams(search)) out[k] = v;
  return out;
}

function send(
  res: ServerResponse,
  status: number,
  requestId: string,
  payload: string,
  contentType: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-request-id': requestId,
    ...extra,
  });
  res.end(payload);
}

function statusForAudit(err: AppError): 'denied' | 'error' {
  return err.status === 401 || err.status === 403 || err.status === 429 ? 'denied' : 'error';
}

export function createHandler(deps: HttpDeps) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    // The path is matched raw, never percent-decoded: an encoded slash cannot smuggle a segment.
    const pathname = q === -1 ? url : url.slice(0, q);
    const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
    const method = req.method ?? 'GET';
    const ctx: RequestContext = {
      requestId,
      ip: clientAddress(req, deps.trustedProxies),
      audit: { event: 'request.invalid', status: 'granted', path: null, tier: null, reason: null },
      extraAudit: [],
    };
    let route: Route | undefined;
    let params: string[] = [];
    let methodMismatch = false;
    for (const r of deps.routes) {
      const m = r.pattern.exec(pathname);
      if (!m) continue;
      if (r.method !== method) {
        methodMismatch = true;
        continue;
      }
      route = r;
      params = m.slice(1);
      break;
    }
    let status = 200;
    let payload: string;
    let contentType = 'application/json; charset=utf-8';
    const headers: Record<string, string> = {};
    try {
      if (!route?.anonymous) {
        const lock = deps.addressGuard.state(ctx.ip);
        if (lock) {
          if (!lock.first) ctx.skipAudit = true;
          throw lockedOut(lock.retryAfter);
        }
      }
      if (!route) {
        throw new AppError(
          methodMismatch ? 'invalid_input' : 'not_found',
          methodMismatch
            ? `${method} is not supported on ${pathname.slice(0, 200)}.`
            : `There is no API route ${pathname.slice(0, 200)}; see the API table in the README.`,
        );
      }
      ctx.audit.event = route.event;
      const allowed = route.query ?? [];
      const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
      if (unknown.length > 0) {
        throw new AppError(
          'invalid_input',
          `Unknown query parameter ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; ${allowed.length ? `this route takes ${allowed.join(', ')}` : 'this route takes none'}.`,
        );
      }
      const body = await readBody(req);
      if (!route.anonymous) await deps.authenticate(ctx, req.headers.authorization);
      const result = await route.handler({ ctx, params, query, body, headers: req.headers });
      status = result.status ?? 200;
      if ('text' in result) {
        payload = result.text;
        contentType = result.contentType;
      } else payload = JSON.stringify(result.body);
    } catch (err) {
      const appErr = isAppError(err) ? err : undefined;
      if (!ctx.principal && appErr?.isUserError && appErr.code !== 'locked_out' && !route?.anonymous) deps.addressGuard.fail(ctx.ip);
      if (!appErr) deps.logger.error(`request ${requestId} failed: ${err instanceof Error ? err.message : String(err)}`);
      const e = appErr ?? new AppError('internal', 'The vault hit an internal error.');
      ctx.audit.status = statusForAudit(e);
      if (!e.isUserError) ctx.audit.status = 'error';
      ctx.audit.reason = `${e.code}: ${e.message}`.slice(0, 500);
      ctx.extraAudit = [];
      status = e.status;
      if (e.retryAfter !== undefined) headers['retry-after'] = String(e.retryAfter);
      const message = e.isUserError ? e.message : `${e.message} Quote request id ${requestId} to the operator.`;
      payload = JSON.stringify({ error: { code: e.code, message, requestId, ...(e.details ? { details: e.details } : {}) } });
    }
    if (route && route.audited !== false && !ctx.skipAudit) {
      try {
        await deps.writeAudit(ctx);
      } catch (err) {
        // Fail closed: whatever the request produced (a secret value included) is not released.
        deps.logger.error(
          `request ${requestId}: audit append failed${route.answersWithoutAudit ? '' : ', response withheld'}: ${err instanceof Error ? err.message : String(err)}`,
        );
        if (route.answersWithoutAudit) {
          send(res, status, requestId, payload, contentType, headers);
          return;
        }
        status = 503;
        contentType = 'application/json; charset=utf-8';
        payload = JSON.stringify({
          error: {
            code: 'audit_unavailable',
            message: `The audit log could not be written, so nothing was released. Quote request id ${requestId} to the operator.`,
            requestId,
          },
        });
      }
    }
    send(res, status, requestId, payload, contentType, headers);
  };
}
