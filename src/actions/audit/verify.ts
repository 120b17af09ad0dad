/**
 * The action's own check of the audit chain, which trusts nothing the vault says about itself: the
 * new checkpoint must be signed by the pinned key, must not be behind the previous one, and the
 * records between the two, read page by page, must link from the previous checkpoint's record to
 * the new checkpoint's (src/core/audit-chain.ts's ChainVerifier). A log rewritten, edited, truncated
 * or rolled back since the last run is caught even when the vault's own verification says it is fine.
 */
import { type AuditRecord, ChainVerifier, type Checkpoint, checkpointSignatureValid, type Problem } from '../../core/audit-chain.js';

export type KeySource = 'input' | 'previous-checkpoint' | 'first-use';

export interface ChainCheckInput {
  /** The checkpoint the last run kept; undefined on the first run. */
  previous: Checkpoint | undefined;
  /** The checkpoint the vault signed now; undefined when it refused to sign one. */
  current: Checkpoint | undefined;
  /** The `public-key` input. */
  pinnedKey: string | undefined;
  /** At most this many records are read (the check is then partial). */
  maxRecords: number;
  /** Records with seq > afterSeq, oldest first, at most `limit` (GET /v1/audit?afterSeq=…&limit=…). */
  page: (afterSeq: number, limit: number) => Promise<AuditRecord[]>;
  pageSize: number;
}

export interface ChainCheck {
  /** The key the checkpoints were checked with, and why that one. */
  key: { value: string; source: KeySource } | undefined;
  /** The first and last record read, and how many. */
  from: number | null;
  to: number | null;
  count: number;
  /**
   * Whether every record from the previous checkpoint (or record 1) up to the new checkpoint was
   * read (false without a new checkpoint: nothing then vouches for where the log ends).
   */
  complete: boolean;
  /** What was not read, when the check is partial. */
  skipped: { from: number; to: number } | undefined;
  problems: Problem[];
}

export function checkChain(input: Omit<ChainCheckInput, 'page' | 'pageSize'>): Pick<ChainCheck, 'key' | 'problems'> {
  const { previous, current, pinnedKey } = input;
  const key = pinnedKey
    ? { value: pinnedKey, source: 'input' as const }
    : previous
      ? { value: previous.publicKey, source: 'previous-checkpoint' as const }
      : current
        ? { value: current.publicKey, source: 'first-use' as const }
        : undefined;
  const problems: Problem[] = [];
  if (previous && key && !checkpointSignatureValid(previous, key.value)) {
    problems.push({
      seq: previous.seq,
      kind: 'checkpoint_signature_invalid',
      message:
        key.source === 'input'
          ? `The previous checkpoint (record ${previous.seq}) is not signed by the pinned public-key: the stored checkpoint is another vault's, or was replaced.`
          : `The previous checkpoint (record ${previous.seq}) does not carry a valid signature: the stored file was edited.`,
    });
  }
  if (current && key && !checkpointSignatureValid(current, key.value)) {
    problems.push({
      seq: current.seq,
      kind: 'checkpoint_signature_invalid',
      message: `The vault's new checkpoint (record ${current.seq}) is not signed by the ${key.source === 'input' ? 'pinned public-key' : "previous checkpoint's key"}: the vault's audit key changed, or something else answers in its place.`,
    });
  }
  if (previous && current) {
    if (current.seq < previous.seq) {
      problems.push({
        seq: current.seq,
        kind: 'truncated',
        message: `The vault's log now ends at record ${current.seq}, before the previous checkpoint's record ${previous.seq}: it was truncated or rolled back since the last run.`,
      });
    } else if (current.seq === previous.seq && current.hash !== previous.hash) {
      problems.push({
        seq: current.seq,
        kind: 'checkpoint_mismatch',
        message: `Record ${current.seq} differs from the previous checkpoint's: the log was rewritten since the last run.`,
      });
    } else if (current.seq === previous.seq) {
      // A vault records each checkpoint request after the head it signs, so its log has always grown
      // by the next run: the same checkpoint again is an old answer replayed (by whatever answers in
      // the vault's place), and would hold every later report at "verified" while reading nothing.
      problems.push({
        seq: current.seq,
        kind: 'checkpoint_replayed',
        message: `The vault's new checkpoint is the previous run's (record ${current.seq}, ${current.time}), although the last run's own requests were recorded after it: an old answer was replayed in the vault's place.`,
      });
    }
  }
  return { key, problems };
}

/**
 * Checks the chain between the previous checkpoint and the new one (see the file comment). With no
 * previous checkpoint, from record 1; past `maxRecords`, only the first `maxRecords` after the
 * previous checkpoint (or, on a first run, the last `maxRecords` before the new one), and says so.
 */
export async function verifyAgainstCheckpoints(input: ChainCheckInput): Promise<ChainCheck> {
  const { previous, current, maxRecords } = input;
  const { key, problems } = checkChain(input);
  const signed = (c: Checkpoint | undefined) => c !== undefined && key !== undefined && checkpointSignatureValid(c, key.value);
  const rolledBack = previous && current && current.seq < previous.seq;
  // The record the previous checkpoint names is read again: an edit of it shows, not only of what follows.
  let afterSeq = previous && previous.seq > 0 ? previous.seq - 1 : 0;
  const end = current && !rolledBack ? current.seq : undefined;
  let complete = true;
  let skipped: ChainCheck['skipped'];
  let limit = maxRecords + (previous && previous.seq > 0 ? 1 : 0);
  if (!previous && end !== undefined && end > maxRecords) {
    // First run on a long log: the newest records, which must still lead to the signed head.
    complete = false;
    skipped = { from: 1, to: end - maxRecords };
    afterSeq = end - maxRecords;
    limit = maxRecords;
  } else if (end !== undefined && end - afterSeq > limit) {
    complete = false;
    skipped = { from: afterSeq + limit + 1, to: end };
  }
  const checkpoints = [
    ...(previous && previous.seq > 0 && signed(previous) ? [previous] : []),
    ...(current && complete && !rolledBack && signed(current) ? [current] : []),
  ];
  let verifier: ChainVerifier | undefined;
  let from: number | null = null;
  let to: number | null = null;
  let count = 0;
  let reachedEnd = false;
  while (count < limit && !reachedEnd) {
    const want = Math.min(input.pageSize, limit - count, end === undefined ? Number.POSITIVE_INFINITY : end - afterSeq);
    if (want <= 0) break;
    const records = await input.page(afterSeq, want);
    if (records.length === 0) break;
    for (const r of records) {
      if (end !== undefined && r.seq > end) {
        reachedEnd = true;
        break;
      }
      // The chain is anchored at the first record read: on record 1 at the genesis hash, else at the
      // hash that record links to, which the previous checkpoint (or the new one) then vouches for.
      verifier ??= new ChainVerifier({
        ...(afterSeq === 0 && r.seq >= 1 ? {} : { after: { seq: afterSeq, hash: r.prevHash } }),
        checkpoints,
        ...(key ? { trustedPublicKey: key.value } : {}),
        maxProblems: 20,
      });
      verifier.push(r);
      from ??= r.seq;
      to = r.seq;
      count++;
      if (count >= limit) break;
    }
    const last = records.at(-1) as AuditRecord;
    if (last.seq <= afterSeq) break; // a vault that does not move forward is not asked forever
    afterSeq = last.seq;
    if (end !== undefined && afterSeq >= end) reachedEnd = true;
    // A short page is the log's end as it stood: each query is itself recorded, so reading on
    // would chase the records of this very check.
    if (records.length < want) reachedEnd = true;
  }
  // Nothing read, but checkpoints to hold the log to (a log emptied, or truncated before them).
  verifier ??= new ChainVerifier({
    ...(afterSeq === 0 ? {} : { after: { seq: afterSeq, hash: previous?.hash ?? '' } }),
    checkpoints,
    ...(key ? { trustedPublicKey: key.value } : {}),
    maxProblems: 20,
  });
  // Without a new checkpoint there is no head to reach: the records were read up to the log's end.
  if (end === undefined) complete = false;
  const result = verifier.finish();
  for (const p of result.problems) {
    if (!problems.some((q) => q.kind === p.kind && q.seq === p.seq)) problems.push(p);
  }
  return { key, from, to, count, complete, skipped, problems };
}
