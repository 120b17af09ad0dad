import { createCipheriv, createDecipheriv, createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.js';

/**
 * Envelope encryption at rest. Each secret version gets a fresh 256-bit data key; the value is
 * sealed with AES-256-GCM under that data key, and the data key is sealed with AES-256-GCM under
 * the master key. Both seals bind the secret's path and version as associated data, so a
 * ciphertext copied to another row (or another version) fails to open. Every blob starts with
 * the id of the master key that wrapped it, so the master key can rotate: old keys stay
 * available for decryption while new writes use the current one.
 *
 * Layout: 0x01 | keyId (8) | dekNonce (12) | wrappedDek (32) | dekTag (16) | nonce (12) | tag (16) | ciphertext
 */
const FORMAT = 0x01;
const KEY_ID_LEN = 8;
const NONCE_LEN = 12;
const TAG_LEN = 16;
const KEY_LEN = 32;
const HEADER_LEN = 1 + KEY_ID_LEN + NONCE_LEN + KEY_LEN + TAG_LEN + NONCE_LEN + TAG_LEN;

export interface MasterKey {
  id: Buffer;
  key: Buffer;
}

/** Parses a master key given as base64 or 64 hex digits; it must be exactly 32 bytes. */
export function parseMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_LEN) {
    throw new AppError(
      'invalid_input',
      `The master key from ${source} is not 32 bytes: give 32 random bytes as base64 or 64 hex digits (for example: openssl rand -base64 32).`,
    );
  }
  return key;
}

export function newMasterKey(): Buffer {
  return randomBytes(KEY_LEN);
}

function keyIdOf(key: Buffer): Buffer {
  return createHmac('sha256', key).update('ass/master-key-id/v1').digest().subarray(0, KEY_ID_LEN);
}

function aad(kind: 'dek' | 'value', path: string, version: number): Buffer {
  return Buffer.from(`ass/${kind}/v1\u0000${path}\u0000${version}`, 'utf8');
}

/** The keys the server holds: the current master key and any older ones kept for decryption. */
export class Keyring {
  readonly current: MasterKey;
  private readonly byId = new Map<string, KeyObject>();
  private readonly currentKey: KeyObject;

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.current = { id: keyIdOf(current), key: current };
    // KeyObjects are made once: converting a Buffer key on every call is measurable per request.
    this.currentKey = createSecretKey(current);
    for (const key of [current, ...previous]) this.byId.set(keyIdOf(key).toString('hex'), createSecretKey(key));
  }

  /** Hex id of the current master key (not secret; shown by `ass server` at start-up). */
  get currentKeyId(): string {
    return this.current.id.toString('hex');
  }

  seal(plaintext: Buffer, path: string, version: number): Buffer {
    const dek = randomBytes(KEY_LEN);
    const dekNonce = randomBytes(NONCE_LEN);
    const wrap = createCipheriv('aes-256-gcm', this.currentKey, dekNonce);
    wrap.setAAD(aad('dek', path, version));
    const wrapped = Buffer.concat([wrap.update(dek), wrap.final()]);
    const dekTag = wrap.getAuthTag();

    const nonce = randomBytes(NONCE_LEN);
    // A KeyObject costs a fifth of what a raw Buffer key costs per cipher on Node 24.
    const cipher = createCipheriv('aes-256-gcm', createSecretKey(dek), nonce);
    cipher.setAAD(aad('value', path, version));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    dek.fill(0);
    return Buffer.concat([Buffer.from([FORMAT]), this.current.id, dekNonce, wrapped, dekTag, nonce, tag, ciphertext]);
  }

  open(blob: Uint8Array, path: string, version: number): Buffer {
    const b = parseBlob(blob);
    const master = this.masterFor(b.keyId);
    try {
      const dek = unwrapDek(master, b, path, version);
      const decipher = createDecipheriv('aes-256-gcm', createSecretKey(dek), b.nonce);
      decipher.setAAD(aad('value', path, version));
      decipher.setAuthTag(b.tag);
      const out = Buffer.concat([decipher.update(b.ciphertext), decipher.final()]);
      dek.fill(0);
      return out;
    } catch {
      throw integrityError();
    }
  }

  private masterFor(keyId: Buffer): KeyObject {
    const master = this.byId.get(keyId.toString('hex'));
    if (!master) {
      throw new AppError(
        'key_unavailable',
        `This data is sealed under master key ${keyId.toString('hex')}, which this server was not given: set ASS_MASTER_KEY_PREVIOUS to that key, then run ass rekey to reseal everything under the current key.`,
      );
    }
    return master;
  }

  /**
   * Reseals a blob's data key under the current master key, leaving the sealed value as it is;
   * undefined when it already is. Needs the old master key in the keyring.
   */
  rewrap(blob: Uint8Array, path: string, version: number): Buffer | undefined {
    if (this.sealedWithCurrent(blob)) return undefined;
    const b = parseBlob(blob);
    const master = this.masterFor(b.keyId);
    let dek: Buffer;
    try {
      dek = unwrapDek(master, b, path, version);
    } catch {
      throw integrityError();
    }
    const newNonce = randomBytes(NONCE_LEN);
    const wrap = createCipheriv('aes-256-gcm', this.currentKey, newNonce);
    wrap.setAAD(aad('dek', path, version));
    const rewrapped = Buffer.concat([wrap.update(dek), wrap.final()]);
    const tag = wrap.getAuthTag();
    dek.fill(0);
    return Buffer.concat([Buffer.from([FORMAT]), this.current.id, newNonce, rewrapped, tag, b.sealedValue]);
  }

  /** True when `blob` was sealed under the current master key (false: rewrap it). */
  sealedWithCurrent(blob: Uint8Array): boolean {
    return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
      .subarray(1, 1 + KEY_ID_LEN)
      .equals(this.current.id);
  }
}

interface Blob {
  keyId: Buffer;
  dekNonce: Buffer;
  wrappedDek: Buffer;
  dekTag: Buffer;
  nonce: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  /** nonce | tag | ciphertext: the part a rewrap leaves as it is. */
  sealedValue: Buffer;
}

/** Splits a blob into its fields (the layout in the comment at the top of this file). */
function parseBlob(blob: Uint8Array): Blob {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < HEADER_LEN || buf[0] !== FORMAT) throw integrityError();
  const at = (start: number, len: number) => buf.subarray(start, start + len);
  const keyIdAt = 1;
  const dekNonceAt = keyIdAt + KEY_ID_LEN;
  const wrappedAt = dekNonceAt + NONCE_LEN;
  const dekTagAt = wrappedAt + KEY_LEN;
  const nonceAt = dekTagAt + TAG_LEN;
  const tagAt = nonceAt + NONCE_LEN;
  return {
    keyId: at(keyIdAt, KEY_ID_LEN),
    dekNonce: at(dekNonceAt, NONCE_LEN),
    wrappedDek: at(wrappedAt, KEY_LEN),
    dekTag: at(dekTagAt, TAG_LEN),
    nonce: at(nonceAt, NONCE_LEN),
    tag: at(tagAt, TAG_LEN),
    ciphertext: buf.subarray(HEADER_LEN),
    sealedValue: buf.subarray(nonceAt),
  };
}

function unwrapDek(master: KeyObject, b: Blob, path: string, version: number): Buffer {
  const unwrap = createDecipheriv('aes-256-gcm', master, b.dekNonce);
  unwrap.setAAD(aad('dek', path, version));
  unwrap.setAuthTag(b.dekTag);
  return Buffer.concat([unwrap.update(b.wrappedDek), unwrap.final()]);
}

function integrityError(): AppError {
  return new AppError('internal', 'A stored secret failed its integrity check: the ciphertext was altered or moved to another row.');
}
