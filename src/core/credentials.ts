import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Credential strings. Every credential is `ass_<kind>_` followed by 65 base62 characters: a
 * 16-character id (non-secret: it names the row and appears in listings and audit records), 43
 * random characters (256 bits) and a 6-character base62 CRC32 of everything before it. The
 * prefix lets secret scanners recognise a leaked credential; the checksum lets them reject
 * look-alikes offline. The vault stores only a keyed hash of each (src/server/keys.ts).
 */
export const CREDENTIAL_KINDS = {
  user: 'u',
  agent: 'a',
  token: 't',
  pipeline: 'p',
} as const;
export type CredentialKind = keyof typeof CREDENTIAL_KINDS;

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 16;
const SECRET_LENGTH = 43;
const CRC_LENGTH = 6;
export const CREDENTIAL_PATTERN = /^ass_([uatp])_([0-9A-Za-z]{65})$/;

/** Uniformly random base62 string, by rejection sampling (no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Base62 of a 32-bit unsigned integer, left-padded with '0' to `width`. */
export function base62Crc(value: number, width = CRC_LENGTH): string {
  let n = value >>> 0;
  let out = '';
  do {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

export function checksum(text: string): string {
  return base62Crc(crc32(text));
}

/** A new random id of the kind embedded in credentials (also used for row ids). */
export function newId(): string {
  return randomBase62(ID_LENGTH);
}

export interface NewCredential {
  kind: CredentialKind;
  id: string;
  /** The full credential: shown once, never stored (the vault stores a keyed hash of it). */
  secret: string;
}

export function generateCredential(kind: CredentialKind, id = newId()): NewCredential {
  const body = `ass_${CREDENTIAL_KINDS[kind]}_${id}${randomBase62(SECRET_LENGTH)}`;
  const secret = body + checksum(body);
  return { kind, id, secret };
}

export interface ParsedCredential {
  kind: CredentialKind;
  id: string;
  secret: string;
}

const KIND_BY_LETTER: Record<string, CredentialKind> = { u: 'user', a: 'agent', t: 'token', p: 'pipeline' };

/** Parses a credential string; undefined when it is not one (wrong shape or checksum). */
export function parseCredential(text: string): ParsedCredential | undefined {
  const m = CREDENTIAL_PATTERN.exec(text);
  if (!m) return undefined;
  const letter = m[1] as string;
  const rest = m[2] as string;
  const body = text.slice(0, text.length - CRC_LENGTH);
  if (checksum(body) !== rest.slice(ID_LENGTH + SECRET_LENGTH)) return undefined;
  const kind = KIND_BY_LETTER[letter];
  if (!kind) return undefined;
  return { kind, id: rest.slice(0, ID_LENGTH), secret: text };
}
