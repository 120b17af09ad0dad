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

// ---- Microsoft's identifiable keys (Azure) ----
//
// Azure services mint keys that carry a fixed four-character signature (`+ASt` for storage, `AzFu`
// for function keys, `+ACR` for container registry, ...) followed by a 32-bit Marvin checksum of
// the key bytes before it, seeded per key kind. The newer "common annotated security keys"
// (84 characters, `JQQJ9` at offset 52, a provider signature at offset 76) end in a Marvin
// checksum of their first 60 bytes; the scanner checks only their fixed structure there, because
// no independent sample confirmed how services encode that checksum. Facts from
// microsoft/security-utilities (MIT).

/**
 * Marvin32, the seeded 32-bit hash .NET uses for strings and Azure uses to checksum its keys:
 * the input as little-endian words mixed into two 32-bit registers, then the two XORed.
 */
export function marvin32(data: Uint8Array, seed: bigint): number {
  let p0 = Number(seed & 0xffffffffn) >>> 0;
  let p1 = Number((seed >> 32n) & 0xffffffffn) >>> 0;
  const mix = () => {
    p1 = (p1 ^ p0) >>> 0;
    p0 = ((p0 << 20) | (p0 >>> 12)) >>> 0;
    p0 = (p0 + p1) >>> 0;
    p1 = ((p1 << 9) | (p1 >>> 23)) >>> 0;
    p1 = (p1 ^ p0) >>> 0;
    p0 = ((p0 << 27) | (p0 >>> 5)) >>> 0;
    p0 = (p0 + p1) >>> 0;
    p1 = ((p1 << 19) | (p1 >>> 13)) >>> 0;
  };
  const whole = data.length - (data.length % 4);
  for (let i = 0; i < whole; i += 4) {
    p0 = (p0 + ((data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0)) >>> 0;
    mix();
  }
  // The last 0-3 bytes, then a 0x80 marker byte, as one final word.
  let last = 0x80 << (8 * (data.length - whole));
  for (let i = whole; i < data.length; i++) last |= data[i]! << (8 * (i - whole));
  p0 = (p0 + (last >>> 0)) >>> 0;
  mix();
  mix();
  return (p0 ^ p1) >>> 0;
}

/** Seed from an 8-character kind name (its ASCII bytes reversed, read as a 64-bit number). */
export function marvinSeed(kind: string): bigint {
  let seed = 0n;
  for (const ch of kind) seed = (seed << 8n) | BigInt(ch.charCodeAt(0));
  return seed;
}

/** Base64 (standard or URL-safe, padded or not) to bytes; undefined when it is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  const std = text.replace(/%3d/gi, '=').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std)) return undefined;
  return Buffer.from(std, 'base64');
}

/**
 * An Azure identifiable key (Service Bus, Storage, Function, ...): its last four bytes are the
 * little-endian Marvin32 of the bytes before them under one of the kind's seeds.
 */
export function validAzureIdentifiableKey(key: string, seeds: readonly bigint[]): boolean {
  const bytes = decodeBase64(key);
  if (!bytes || bytes.length < 12) return false;
  const stored = bytes.readUInt32LE(bytes.length - 4);
  const body = bytes.subarray(0, bytes.length - 4);
  return seeds.some((seed) => marvin32(body, seed) === stored);
}

/** An Azure SAS `sig=` value: URL-encoded base64 of an HMAC-SHA256 (32 bytes). */
export function validSasSignature(sig: string): boolean {
  let text: string;
  try {
    text = decodeURIComponent(sig);
  } catch {
    return false;
  }
  const bytes = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  return bytes?.length === 32;
}

/** The shape of an Azure identifiable key (its signature at its offset), checksum not checked. */
export function looksLikeAzureIdentifiableKey(value: string): boolean {
  return AZURE_IDENTIFIABLE_SHAPE.test(value);
}

const AZURE_IDENTIFIABLE_SHAPE =
  /^(?:[A-Za-z0-9+/]{76}(?:\+ASt|ACDb|\+ABa|\+AMC|APIM)[A-Za-z0-9+/]{5}[AQgw]==|[A-Za-z0-9+/]{33}(?:\+ASb|\+AEh|\+ARm|AIoT|AzCa|AZEG)[A-P][A-Za-z0-9+/]{5}=|[A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw](?:==)?|[A-Za-z0-9]{42}AzSe[A-D][A-Za-z0-9]{5}|[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5})$/;
