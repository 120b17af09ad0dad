/**
 * The vault's own keys, all derived from one 32-byte vault secret that is stored in the database
 * sealed under the master key (so it survives master-key rotation, and never sits in clear next
 * to the data): the audit chain's head MAC and checkpoint signature, the keyed credential hashes,
 * and the MACs that make every row carrying authority tamper-evident. Whoever can write the
 * database but does not hold the master key can compute none of them.
 */
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  hash,
  hkdfSync,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto';
import type { RowIntegrity } from '../store/types.js';

/** How many verified rows are remembered (oldest forgotten first). */
const VERIFIED_ROWS = 4096;

const rowText = (table: string, fields: readonly unknown[]) => `ass-row/v1\n${table}\n${JSON.stringify(fields)}`;

export class VaultKeys implements RowIntegrity {
  /** HMAC key of the audit chain's head (and of the high-water mark kept outside the store). */
  readonly headKey: Buffer;
  /** Ed25519 key pair of the audit checkpoints. */
  readonly signing: { privateKey: KeyObject; publicKey: KeyObject };
  private readonly credentialKey: KeyObject;
  private readonly rowKey: KeyObject;
  private readonly verifiedRows = new Map<string, string>();
  /** SHA-256 of a credential that matched → its keyed hash (see credentialMatches). */
  private readonly verifiedCredentials = new Map<string, string>();

  constructor(secret: Buffer) {
    const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `ass/${purpose}/v1`, 32));
    this.headKey = derive('audit-head');
    // PKCS#8 wrapper for a raw Ed25519 seed (RFC 8410).
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), derive('audit-checkpoint')]);
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    this.signing = { privateKey, publicKey: createPublicKey(privateKey) };
    this.credentialKey = createSecretKey(derive('credential-hash'));
    this.rowKey = createSecretKey(derive('row-mac'));
  }

  /**
   * What is stored for a credential: HMAC(credential key, SHA-256(credential)). A row with a hash
   * someone computed without the key matches no credential.
   */
  credentialHash(credential: string): string {
    return this.rekeyDigest(hash('sha256', credential, 'hex'));
  }

  /** The stored form of a bare SHA-256 digest (hex), as stores before keyed hashes kept them. */
  rekeyDigest(digestHex: string): string {
    return createHmac('sha256', this.credentialKey).update(Buffer.from(digestHex, 'hex')).digest('hex');
  }

  /**
   * Constant-time check of a presented credential against what is stored. The keyed hash of a
   * credential that matched is remembered by the credential's plain SHA-256 (never the credential
   * itself), so a credential used again and again costs one SHA-256, not an HMAC as well.
   */
  credentialMatches(credential: string, stored: string): boolean {
    const digest = hash('sha256', credential, 'hex');
    const keyed = this.verifiedCredentials.get(digest) ?? this.rekeyDigest(digest);
    const a = Buffer.from(keyed, 'hex');
    const b = Buffer.from(stored, 'hex');
    const ok = a.length === b.length && timingSafeEqual(a, b);
    if (ok && !this.verifiedCredentials.has(digest)) {
      if (this.verifiedCredentials.size >= VERIFIED_ROWS)
        this.verifiedCredentials.delete(this.verifiedCredentials.keys().next().value as string);
      this.verifiedCredentials.set(digest, keyed);
    }
    return ok;
  }

  rowMac(table: string, fields: readonly unknown[]): string {
    return this.macOfText(rowText(table, fields));
  }

  /**
   * Whether `mac` is the row's MAC. Rows read again and again (a token, its agent, a hot secret)
   * are remembered once verified: the text of a row this process verified, with its MAC, is
   * enough to know the same text with the same MAC is valid. The memory is the process's own (a
   * storage writer cannot add to it) and holds only genuine rows, whose MACs are in the store anyway.
   */
  rowMacValid(table: string, fields: readonly unknown[], mac: unknown): boolean {
    if (typeof mac !== 'string') return false;
    const text = rowText(table, fields);
    if (this.verifiedRows.get(text) === mac) return true;
    const a = Buffer.from(this.macOfText(text));
    const b = Buffer.from(mac);
    const ok = a.length === b.length && timingSafeEqual(a, b);
    if (ok) {
      if (this.verifiedRows.size >= VERIFIED_ROWS) this.verifiedRows.delete(this.verifiedRows.keys().next().value as string);
      this.verifiedRows.set(text, mac);
    }
    return ok;
  }

  private macOfText(text: string): string {
    return createHmac('sha256', this.rowKey).update(text).digest('base64url');
  }
}
