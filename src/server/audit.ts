/**
 * The vault's side of the audit chain: the audit keys (derived from the sealed audit secret), the
 * sealer the store calls inside its serialised append, and checkpoint signing. The pure chain code
 * (hashes, verifier, checkpoint text) is in src/core/audit-chain.ts, shared with the CLI.
 */
import { createPrivateKey, createPublicKey, createSecretKey, hkdfSync, type KeyObject, sign } from 'node:crypto';
import { type Checkpoint, checkHead, checkpointText, GENESIS_HASH, headMac, recordHash } from '../core/audit-chain.js';
import type { AuditSealer } from '../store/types.js';

/**
 * The audit log's own keys, derived from one 32-byte audit secret that is stored in the database
 * sealed under the master key (so it survives master-key rotation, and never sits in clear next
 * to the log): an HMAC key for the chain head and an Ed25519 key pair for checkpoints.
 */
export class AuditKeys {
  readonly headKey: Buffer;
  readonly signing: { privateKey: KeyObject; publicKey: KeyObject };

  constructor(secret: Buffer) {
    const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `ass/${purpose}/v1`, 32));
    this.headKey = derive('audit-head');
    // PKCS#8 wrapper for a raw Ed25519 seed (RFC 8410).
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), derive('audit-checkpoint')]);
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    this.signing = { privateKey, publicKey: createPublicKey(privateKey) };
  }
}

export function makeSealer(headKey: Buffer): AuditSealer {
  const key = createSecretKey(headKey);
  return {
    genesisMac: () => headMac(key, 0, GENESIS_HASH),
    verifyHead: (head, last) => checkHead(key, head, last),
    seal: (entry, seq, prevHash) => {
      const hash = recordHash(entry, seq, prevHash);
      return { hash, headMac: headMac(key, seq, hash) };
    },
  };
}

export function signCheckpoint(
  fields: Pick<Checkpoint, 'origin' | 'seq' | 'hash' | 'time'>,
  keys: { privateKey: KeyObject; publicKey: KeyObject },
): Checkpoint {
  const signature = sign(null, Buffer.from(checkpointText(fields)), keys.privateKey).toString('base64');
  const jwk = keys.publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(jwk.x as string, 'base64url').toString('base64');
  return { ...fields, signature, publicKey: raw };
}
