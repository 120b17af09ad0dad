/**
 * Fake but well-formed credentials for scanner tests and the benchmark. Random parts come from a
 * seeded generator, so every run plants the same values; checksums are computed, never copied.
 */
import { base62, crc32, withCrc62 } from '../../src/scan/checksum.js';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomString(next: () => number, length: number, alphabet = ALNUM): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

export function githubToken(next: () => number, prefix = 'ghp_'): string {
  return withCrc62(prefix, randomString(next, 30));
}

export function npmToken(next: () => number): string {
  return withCrc62('npm_', randomString(next, 30));
}

/** Same token with its last checksum character changed: structurally a look-alike. */
export function breakChecksum(token: string): string {
  const last = token[token.length - 1]!;
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

export function assCredential(next: () => number, kind: 'u' | 'a' | 't' | 'p' = 'a'): string {
  const body = `ass_${kind}_${randomString(next, 16)}${randomString(next, 43)}`;
  return body + base62(crc32(body), 6);
}

export function cloudflareToken(next: () => number, prefix = 'cfut_'): string {
  const body = randomString(next, 40);
  return `${prefix}${body}${crc32(body).toString(16).padStart(8, '0')}`;
}

/** A PEM private key body that starts like real DER (`MI...`). Not a usable key. */
export function pemPrivateKey(next: () => number, label = 'PRIVATE KEY'): string {
  const body = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${randomString(next, 600, `${ALNUM}+/`)}`;
  const lines = body.match(/.{1,64}/g)!;
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function openSshPrivateKey(next: () => number): string {
  const body = `b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW${randomString(next, 300, `${ALNUM}+/`)}`;
  const lines = body.match(/.{1,70}/g)!;
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

export { ALNUM, HEX };
