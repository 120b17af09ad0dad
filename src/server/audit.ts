import { createHash, createHmac, createSecretKey, sign, timingSafeEqual, verify, createPublicKey, type KeyObject } from 'node:crypto';
import type { AuditEntry, AuditHead, AuditRecord, AuditSealer } from '../store/types.js';

/**
 * The tamper-evident audit chain. Each record's hash covers the previous record's hash and a
 * canonical encoding of its own fields, and sequence numbers are gapless, so an edited, deleted
 * or reordered record breaks the chain for anyone holding an export. Two things catch what a
 * bare chain cannot: the head (last seq and hash) is stored with an HMAC under a key derived from
 * the master key, which never touches the database, so truncating the tail or rewriting the whole
 * chain is detected by the server; and signed checkpoints (Ed25519) can be kept off-box, so a
 * verifier holding one detects truncation or rollback without trusting the server at all.
 */
export const GENESIS_HASH = '0'.repeat(64);
const DOMAIN = 'ass-audit-record/v1';

/** Fixed-order encoding of a record's fields; the claims object is key-sorted. */
export function canonicalRecord(entry: AuditEntry, seq: number): string {
  const claims = entry.claims
    ? Object.fromEntries(Object.entries(entry.claims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : null;
  return JSON.stringify([
    seq,
    entry.time,
    entry.requestId,
    entry.event,
    entry.status,
    entry.actorType,
    entry.actorId,
    entry.actorName,
    entry.agent,
    entry.tokenId,
    entry.path,
    entry.tier,
    entry.reason,
    entry.ip,
    claims,
  ]);
}

export function recordHash(entry: AuditEntry, seq: number, prevHash: string): string {
  return createHash('sha256').update(`${DOMAIN}\n${prevHash}\n${canonicalRecord(entry, seq)}`).digest('hex');
}

export function headMac(key: Buffer | KeyObject, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`ass-audit-head/v1\n${seq}\n${hash}`).digest('hex');
}

export function makeSealer(headKey: Buffer): AuditSealer {
  const key = createSecretKey(headKey);
  return (entry, seq, prevHash) => {
    const hash = recordHash(entry, seq, prevHash);
    return { hash, headMac: headMac(key, seq, hash) };
  };
}

export interface Checkpoint {
  origin: string;
  seq: number;
  hash: string;
  time: string;
  /** Ed25519 signature over `checkpointText`, base64. */
  signature: string;
  /** Raw Ed25519 public key, base64. Pin it: a checkpoint is only as good as the key you trust. */
  publicKey: string;
}

export function checkpointText(c: Pick<Checkpoint, 'origin' | 'seq' | 'hash' | 'time'>): string {
  return `ass-audit-checkpoint/v1\n${c.origin}\n${c.seq}\n${c.hash}\n${c.time}\n`;
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

export function checkpointSignatureValid(c: Checkpoint, trustedPublicKey?: string): boolean {
  const keyB64 = trustedPublicKey ?? c.publicKey;
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(keyB64, 'base64').toString('base64url') },
      format: 'jwk',
    });
    return verify(null, Buffer.from(checkpointText(c)), key, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

export type ProblemKind =
  | 'gap'
  | 'missing_start'
  | 'broken_link'
  | 'hash_mismatch'
  | 'head_mismatch'
  | 'head_mac_invalid'
  | 'truncated'
  | 'checkpoint_mismatch'
  | 'checkpoint_signature_invalid';

export interface Problem {
  seq: number | null;
  kind: ProblemKind;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  count: number;
  headSeq: number;
  headHash: string;
  problems: Problem[];
}

export interface VerifyOptions {
  /** The head row stored beside the chain, with its MAC. */
  head?: AuditHead | undefined;
  /** The key to check the head's MAC; without it the head is compared but not authenticated. */
  headKey?: Buffer;
  /** Checkpoints to check the chain against (signature, then that the chain extends each). */
  checkpoints?: Checkpoint[];
  trustedPublicKey?: string;
  /** Stop collecting problems after this many (a rewritten log would otherwise list them all). */
  maxProblems?: number;
}

/**
 * Verifies records in ascending seq order. Detects an edited record (its hash no longer matches
 * its fields), a deleted record (a gap, or a broken link), reordered records (broken links), a
 * truncated tail (the authenticated head or a checkpoint is ahead of the last record) and a
 * rewritten chain (head MAC or checkpoint hash mismatch).
 */
export function verifyChain(records: readonly AuditRecord[], options: VerifyOptions = {}): VerifyResult {
  const problems: Problem[] = [];
  const max = options.maxProblems ?? 100;
  const add = (p: Problem) => {
    if (problems.length < max) problems.push(p);
  };
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const hashBySeq = new Map<number, string>();
  for (const r of records) {
    if (r.seq !== expectedSeq) {
      if (expectedSeq === 1) add({ seq: r.seq, kind: 'missing_start', message: `The log starts at record ${r.seq}; records 1 to ${r.seq - 1} are missing.` });
      else if (r.seq > expectedSeq) add({ seq: r.seq, kind: 'gap', message: `Records ${expectedSeq} to ${r.seq - 1} are missing (deleted).` });
      else add({ seq: r.seq, kind: 'gap', message: `Record ${r.seq} appears out of order after record ${expectedSeq - 1} (reordered or duplicated).` });
    }
    if (r.prevHash !== prevHash) {
      add({ seq: r.seq, kind: 'broken_link', message: `Record ${r.seq} does not link to the record before it (a record before it was deleted, reordered or rewritten).` });
    }
    const computed = recordHash(r, r.seq, r.prevHash);
    if (computed !== r.hash) {
      add({ seq: r.seq, kind: 'hash_mismatch', message: `Record ${r.seq} was edited: its fields no longer match its hash.` });
    }
    hashBySeq.set(r.seq, r.hash);
    prevHash = r.hash;
    expectedSeq = r.seq + 1;
  }
  const last = records.at(-1);
  const headSeq = last?.seq ?? 0;
  const headHash = last?.hash ?? GENESIS_HASH;

  if (options.head) {
    const h = options.head;
    if (options.headKey) {
      const expected = Buffer.from(headMac(options.headKey, h.seq, h.hash), 'hex');
      const actual = Buffer.from(h.mac, 'hex');
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        add({ seq: h.seq, kind: 'head_mac_invalid', message: 'The stored chain head is not authentic: it was written without the server key (the log was rewritten or rolled back).' });
      }
    }
    if (h.seq > headSeq) {
      add({ seq: h.seq, kind: 'truncated', message: `The log ends at record ${headSeq}, but the chain head says ${h.seq}: the tail was truncated.` });
    } else if (h.seq < headSeq || h.hash !== headHash) {
      add({ seq: headSeq, kind: 'head_mismatch', message: `The last record (${headSeq}) does not match the authenticated chain head (${h.seq}): records were added or rewritten outside the server.` });
    }
  } else if (options.headKey && records.length > 0) {
    add({ seq: null, kind: 'head_mac_invalid', message: 'The chain head is missing although the log has records.' });
  }

  for (const c of options.checkpoints ?? []) {
    if (!checkpointSignatureValid(c, options.trustedPublicKey)) {
      add({ seq: c.seq, kind: 'checkpoint_signature_invalid', message: `The checkpoint at record ${c.seq} has an invalid signature (or was signed by another key).` });
      continue;
    }
    if (c.seq > headSeq) {
      add({ seq: c.seq, kind: 'truncated', message: `A signed checkpoint covers record ${c.seq}, but the log ends at ${headSeq}: the tail was truncated or rolled back.` });
    } else if (c.seq > 0 && hashBySeq.has(c.seq) && hashBySeq.get(c.seq) !== c.hash) {
      add({ seq: c.seq, kind: 'checkpoint_mismatch', message: `Record ${c.seq} differs from the signed checkpoint: the log was rewritten.` });
    }
  }
  return { ok: problems.length === 0, count: records.length, headSeq, headHash, problems };
}
