/**
 * The tamper-evident audit chain, as pure functions that the vault and the CLI share: the canonical
 * encoding of a record, record and head hashes, the verifier, and checkpoint text and signatures.
 *
 * Each record's hash covers the previous record's hash and a canonical encoding of its own fields,
 * and sequence numbers are gapless, so an edited, deleted or reordered record breaks the chain for
 * anyone holding an export. Two things catch what a bare chain cannot: the head (last seq and hash)
 * is stored with an HMAC under a key the database never holds, so truncating the tail or rewriting
 * the whole chain is detected by the vault; and signed checkpoints (Ed25519) can be kept off-box,
 * so a verifier holding one detects truncation or rollback without trusting the vault at all.
 */
import { createHash, createHmac, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import type { ActorType, AuditStatus } from './model.js';

/** One audit record as the vault hands it to the store (seq and hashes are added there). */
export interface AuditEntry {
  time: number;
  requestId: string;
  event: string;
  status: AuditStatus;
  actorType: ActorType;
  actorId: string | null;
  actorName: string | null;
  agent: string | null;
  tokenId: string | null;
  path: string | null;
  tier: string | null;
  reason: string | null;
  ip: string | null;
  claims: Record<string, string> | null;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The chain head stored beside the log: the last seq and hash, with an HMAC the store cannot forge. */
export interface AuditHead {
  seq: number;
  hash: string;
  mac: string;
}

export const GENESIS_HASH = '0'.repeat(64);
const DOMAIN = 'ass-audit-record/v1';

/** Fixed-order encoding of a record's fields; the claims object is key-sorted. */
export function canonicalRecord(entry: AuditEntry, seq: number): string {
  const claims = entry.claims ? Object.fromEntries(Object.entries(entry.claims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : null;
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
  return createHash('sha256')
    .update(`${DOMAIN}\n${prevHash}\n${canonicalRecord(entry, seq)}`)
    .digest('hex');
}

export function headMac(key: Buffer | KeyObject, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`ass-audit-head/v1\n${seq}\n${hash}`).digest('hex');
}

/** Thrown when the stored head does not match the log: it was truncated or rewritten outside the server. */
export class AuditTamperError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditTamperError';
  }
}

/**
 * Checks that the stored head is authentic and names the last record; throws AuditTamperError.
 * Every vault has a head from the moment it is created (seq 0, the genesis hash, MAC'd), so a
 * missing head means the log was wiped behind the server's back, not that it is new.
 */
export function checkHead(headKey: Buffer | KeyObject, head: AuditHead | undefined, last: { seq: number; hash: string } | undefined): void {
  if (!head) {
    throw new AuditTamperError(
      `the audit chain head is missing${last ? ` although records up to ${last.seq} exist` : ''}: the log was wiped or altered outside the server`,
    );
  }
  const expected = Buffer.from(headMac(headKey, head.seq, head.hash), 'hex');
  const actual = Buffer.from(head.mac, 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new AuditTamperError('the audit chain head is not authentic: the log was rewritten or rolled back outside the server');
  }
  if (head.seq === 0 ? last !== undefined : !last || last.seq !== head.seq || last.hash !== head.hash) {
    throw new AuditTamperError(
      `the last audit record (${last?.seq ?? 'none'}) is not the authenticated head (${head.seq}): records were deleted or added outside the server`,
    );
  }
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
  | 'checkpoint_replayed'
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
  headKey?: Buffer | KeyObject;
  /** Checkpoints to check the chain against (signature, then that the chain extends each). */
  checkpoints?: Checkpoint[];
  trustedPublicKey?: string;
  /** Stop collecting problems after this many (a rewritten log would otherwise list them all). */
  maxProblems?: number;
  /** Continue from a record already verified (incremental verification): its seq and hash. */
  after?: { seq: number; hash: string };
}

/**
 * Verifies records pushed in ascending seq order, without holding them: detects an edited record
 * (its hash no longer matches its fields), a deleted record (a gap, or a broken link), reordered
 * records (broken links), a truncated tail (the authenticated head or a checkpoint is ahead of the
 * last record) and a rewritten chain (head MAC or checkpoint hash mismatch).
 */
export class ChainVerifier {
  private readonly problems: Problem[] = [];
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private readonly wanted = new Map<number, string | undefined>();

  constructor(private readonly options: VerifyOptions = {}) {
    for (const c of options.checkpoints ?? []) this.wanted.set(c.seq, undefined);
    if (options.after) {
      this.expectedSeq = options.after.seq + 1;
      this.prevHash = options.after.hash;
      this.lastSeq = options.after.seq;
      this.lastHash = options.after.hash;
    }
  }

  private add(p: Problem) {
    if (this.problems.length < (this.options.maxProblems ?? 100)) this.problems.push(p);
  }

  push(r: AuditRecord): void {
    if (r.seq !== this.expectedSeq) {
      if (this.expectedSeq === 1 && !this.options.after)
        this.add({
          seq: r.seq,
          kind: 'missing_start',
          message: `The log starts at record ${r.seq}; records 1 to ${r.seq - 1} are missing.`,
        });
      else if (r.seq > this.expectedSeq)
        this.add({ seq: r.seq, kind: 'gap', message: `Records ${this.expectedSeq} to ${r.seq - 1} are missing (deleted).` });
      else
        this.add({
          seq: r.seq,
          kind: 'gap',
          message: `Record ${r.seq} appears out of order after record ${this.expectedSeq - 1} (reordered or duplicated).`,
        });
    }
    if (r.prevHash !== this.prevHash) {
      this.add({
        seq: r.seq,
        kind: 'broken_link',
        message: `Record ${r.seq} does not link to the record before it (a record before it was deleted, reordered or rewritten).`,
      });
    }
    if (recordHash(r, r.seq, r.prevHash) !== r.hash) {
      this.add({ seq: r.seq, kind: 'hash_mismatch', message: `Record ${r.seq} was edited: its fields no longer match its hash.` });
    }
    if (this.wanted.has(r.seq)) this.wanted.set(r.seq, r.hash);
    this.prevHash = r.hash;
    this.expectedSeq = r.seq + 1;
    this.count++;
    this.lastSeq = r.seq;
    this.lastHash = r.hash;
  }

  finish(): VerifyResult {
    const { head, headKey, checkpoints, trustedPublicKey } = this.options;
    const headSeq = this.lastSeq;
    const headHash = this.lastHash;
    if (head) {
      if (headKey) {
        const expected = Buffer.from(headMac(headKey, head.seq, head.hash), 'hex');
        const actual = Buffer.from(head.mac, 'hex');
        if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
          this.add({
            seq: head.seq,
            kind: 'head_mac_invalid',
            message:
              'The stored chain head is not authentic: it was written without the server key (the log was rewritten or rolled back).',
          });
        }
      }
      if (head.seq > headSeq) {
        this.add({
          seq: head.seq,
          kind: 'truncated',
          message: `The log ends at record ${headSeq}, but the chain head says ${head.seq}: the tail was truncated.`,
        });
      } else if (head.seq < headSeq || head.hash !== headHash) {
        this.add({
          seq: headSeq,
          kind: 'head_mismatch',
          message: `The last record (${headSeq}) does not match the authenticated chain head (${head.seq}): records were added or rewritten outside the server.`,
        });
      }
    } else if (headKey) {
      this.add({
        seq: null,
        kind: 'head_mac_invalid',
        message: 'The chain head is missing: the log was wiped or altered outside the server.',
      });
    }
    for (const c of checkpoints ?? []) {
      if (!checkpointSignatureValid(c, trustedPublicKey)) {
        this.add({
          seq: c.seq,
          kind: 'checkpoint_signature_invalid',
          message: `The checkpoint at record ${c.seq} has an invalid signature (or was signed by another key).`,
        });
        continue;
      }
      const seen = this.wanted.get(c.seq);
      if (c.seq > headSeq) {
        this.add({
          seq: c.seq,
          kind: 'truncated',
          message: `A signed checkpoint covers record ${c.seq}, but the log ends at ${headSeq}: the tail was truncated or rolled back.`,
        });
      } else if (c.seq > 0 && seen !== undefined && seen !== c.hash) {
        this.add({
          seq: c.seq,
          kind: 'checkpoint_mismatch',
          message: `Record ${c.seq} differs from the signed checkpoint: the log was rewritten.`,
        });
      } else if (c.seq > 0 && seen === undefined) {
        this.add({
          seq: c.seq,
          kind: 'checkpoint_mismatch',
          message: `The record a signed checkpoint covers (${c.seq}) is missing from the log.`,
        });
      }
    }
    return { ok: this.problems.length === 0, count: this.count, headSeq, headHash, problems: this.problems };
  }
}

/** Verifies a whole list of records at once (exports, tests). */
export function verifyChain(records: readonly AuditRecord[], options: VerifyOptions = {}): VerifyResult {
  const v = new ChainVerifier(options);
  for (const r of records) v.push(r);
  return v.finish();
}
