/**
 * Offline structure checks for credential formats that carry a checksum, so a look-alike string
 * (a test fixture, a truncated or hand-edited token) is not reported as a leak.
 */

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, the one zlib uses) of the string's UTF-8 bytes; ASCII input expected. */
export function crc32(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 encoding (alphabet `0-9A-Za-z`), left-padded with `0` to `width` characters. */
export function base62(value: number, width: number): string {
  let out = '';
  let v = value;
  while (v > 0) {
    out = BASE62_ALPHABET[v % 62]! + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub (`ghp_` and friends) and npm (`npm_`) tokens: after the prefix come 30 random base62
 * characters and a 6-character base62 CRC32 of those 30 characters.
 */
export function validPrefixedCrc62(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1);
  if (body.length < 7) return false;
  const payload = body.slice(0, -6);
  return base62(crc32(payload), 6) === body.slice(-6);
}

/**
 * This product's own credentials (`ass_<kind>_` + 16 id + 43 random + 6 CRC): the checksum covers
 * everything before it, prefix included (docs/architecture.md, "Credential formats").
 */
export function validAssCredential(token: string): boolean {
  if (token.length < 7) return false;
  return base62(crc32(token.slice(0, -6)), 6) === token.slice(-6);
}

/** Cloudflare prefixed tokens: 8 lowercase hex digits of the CRC32 of the body before them. */
export function validCloudflareToken(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1);
  if (body.length <= 8) return false;
  const payload = body.slice(0, -8);
  return crc32(payload).toString(16).padStart(8, '0') === body.slice(-8);
}

/** Appends a valid checksum: used by tests and the benchmark to mint realistic fake tokens. */
export function withCrc62(prefix: string, random30: string): string {
  return `${prefix}${random30}${base62(crc32(random30), 6)}`;
}
