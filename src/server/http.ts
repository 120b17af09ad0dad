/** The HTTP transport around the pipeline: client address, request body, response. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addressAllowed, type Cidr, normaliseAddress, parseAddress } from '../core/cidr.js';
import { AppError } from '../core/errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

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
    const hop = parseAddress(withoutPort(chain[i] as string));
    // A hop that is no address at all is not believed: the request counts as the proxy's own.
    if (!hop) return peer;
    if (!addressAllowed(hop.toString(), trustedProxies)) return hop.toString();
  }
  return peer;
}

/** A forwarded address without the port some proxies add (`203.0.113.7:40000`, `[2001:db8::1]:443`). */
function withoutPort(hop: string): string {
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/.exec(hop);
  if (bracketed) return bracketed[1] as string;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(hop);
  return v4 ? (v4[1] as string) : hop;
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
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
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('invalid_input', 'The request body is not valid JSON; send a JSON object with Content-Type: application/json.');
  }
  // JSON.parse keeps a "__proto__" key as an own property, but any plain object built from it (a
  // zod record, a spread) drops it without a word: a trust-policy claim could vanish. No field of
  // this API is named so; refuse it rather than let it disappear.
  if (text.includes('__proto__') && hasProtoKey(body)) {
    throw new AppError('invalid_input', 'The request body uses the key "__proto__", which no field of this API has; remove it.');
  }
  return body;
}

function hasProtoKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Object.hasOwn(value, '__proto__')) return true;
  return Object.values(value).some(hasProtoKey);
}

export function send(
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
