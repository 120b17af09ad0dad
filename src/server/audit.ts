/**
 * The vault's side of the audit chain: the sealer the store calls inside its serialised append,
 * and checkpoint signing (the keys are in keys.ts). The pure chain code
 * (hashes, verifier, checkpoint text) is in src/core/audit-chain.ts, shared with the CLI.
 */
import { createSecretKey, type KeyObject, randomUUID, sign } from 'node:crypto';
import {
  type AuditEntry,
  AuditTamperError,
  type Checkpoint,
  checkHead,
  checkpointText,
  GENESIS_HASH,
  headMac,
  recordHash,
} from '../core/audit-chain.js';
import { AppError } from '../core/errors.js';
import type { AuditEvent } from '../core/model.js';
import type { AuditSealer } from '../store/types.js';
import type { ServiceDeps } from './deps.js';

/**
 * The sealer the store calls inside its serialised append. With a `floor` (the high-water mark:
 * the newest record this process has seen), it also refuses a head that is behind it, which an
 * authentic but older head is: the log was rolled back, head MAC and all.
 */
export function makeSealer(headKey: Buffer, floor?: () => { seq: number; hash: string }): AuditSealer {
  const key = createSecretKey(headKey);
  return {
    genesisMac: () => headMac(key, 0, GENESIS_HASH),
    verifyHead: (head, last) => {
      checkHead(key, head, last);
      const mark = floor?.();
      if (mark && head && (head.seq < mark.seq || (head.seq === mark.seq && head.hash !== mark.hash))) {
        throw new AuditTamperError(
          `the audit log's head (${head.seq}) is behind record ${mark.seq}, which this vault already wrote or saw: the log was rolled back outside the vault`,
        );
      }
    },
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
  return { ...fields, signature, publicKey: checkpointPublicKey(keys) };
}

/** The raw Ed25519 public key (base64) that checkpoints carry and verifiers trust. */
export function checkpointPublicKey(keys: { publicKey: KeyObject }): string {
  return Buffer.from(keys.publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');
}

/**
 * Signs a checkpoint of the current head, after checking that the head is authentic and is the
 * last record, and that the log passed its last verification: the vault never vouches for a log
 * that was truncated or rewritten behind its back.
 */
export async function checkpoint(
  deps: Pick<ServiceDeps, 'store' | 'keys' | 'settings' | 'now' | 'logger' | 'monitor'>,
): Promise<Checkpoint> {
  if (deps.monitor.health().state === 'broken') {
    throw new AppError(
      'audit_unavailable',
      'The audit log failed verification, so no checkpoint is signed; run ass audit verify and restore the log from a backup.',
    );
  }
  const head = await deps.store.getAuditHead();
  // The record the head names (not the newest one: other requests may be appending meanwhile).
  const at =
    head && head.seq > 0 ? (await deps.store.queryAudit({ afterSeq: head.seq - 1, upToSeq: head.seq, newestFirst: false }))[0] : undefined;
  try {
    checkHead(deps.keys.headKey, head, at ? { seq: at.seq, hash: at.hash } : undefined);
  } catch (err) {
    deps.logger.error(`audit checkpoint refused: ${err instanceof Error ? err.message : String(err)}`);
    throw new AppError(
      'audit_unavailable',
      'The audit log does not match its authenticated head, so no checkpoint is signed; run ass audit verify and restore the log from a backup.',
    );
  }
  return signCheckpoint(
    { origin: deps.settings.origin, seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH, time: new Date(deps.now()).toISOString() },
    deps.keys.signing,
  );
}

/**
 * An audit record for what the operator or the vault itself did, outside any request and without
 * a credential (`vault.init`, a rotation pass's token, an approval's expiry).
 */
export function systemEntry(
  event: AuditEvent,
  time: number,
  reason: string,
  who: { actorName?: string | null; agent?: string | null; path?: string | null; tokenId?: string | null } = {},
): AuditEntry {
  return {
    time,
    requestId: randomUUID(),
    event,
    status: 'granted',
    actorType: 'operator',
    actorId: null,
    actorName: who.actorName ?? null,
    agent: who.agent ?? null,
    tokenId: who.tokenId ?? null,
    path: who.path ?? null,
    tier: null,
    reason,
    ip: null,
    claims: null,
  };
}
