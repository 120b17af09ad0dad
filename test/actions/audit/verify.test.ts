/**
 * The audit action's own chain check (src/actions/audit/verify.ts) against fabricated logs and
 * real Ed25519 checkpoints: edits, deletions, a replaced or rewritten stretch, a rollback, another
 * key, partial checks past max-records, and a log that grows while it is read.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildFindings } from '../../../src/actions/audit/findings.js';
import { type ChainCheckInput, verifyAgainstCheckpoints } from '../../../src/actions/audit/verify.js';
import {
  type AuditEntry,
  type AuditRecord,
  type Checkpoint,
  checkpointText,
  GENESIS_HASH,
  recordHash,
} from '../../../src/core/audit-chain.js';

function keyPair(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x as string;
  return { privateKey, publicKey: Buffer.from(x, 'base64url').toString('base64') };
}

const vaultKey = keyPair();

function entry(i: number, reason = `read ${i}`): AuditEntry {
  return {
    time: Date.parse('2026-11-22T10:00:00Z') + i * 1000,
    requestId: `req-${i}`,
    event: 'secret.read',
    status: 'granted',
    actorType: 'token',
    actorId: 't',
    actorName: 'app',
    agent: 'app',
    tokenId: 'tok',
    path: 'app/db',
    tier: 'standard',
    reason,
    ip: '127.0.0.1',
    claims: null,
  };
}

/** A log of `n` records, hashes linked from the genesis hash (from record `from` on, relinked). */
function chain(n: number, edit: (e: AuditEntry, seq: number) => AuditEntry = (e) => e): AuditRecord[] {
  const out: AuditRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = edit(entry(seq), seq);
    const hash = recordHash(e, seq, prev);
    out.push({ ...e, seq, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

function checkpoint(records: readonly AuditRecord[], seq: number, key = vaultKey): Checkpoint {
  const fields = {
    origin: 'https://vault.example.com',
    seq,
    hash: seq === 0 ? GENESIS_HASH : (records[seq - 1] as AuditRecord).hash,
    time: `2026-11-22T10:00:${String(seq % 60).padStart(2, '0')}.000Z`,
  };
  return {
    ...fields,
    signature: sign(null, Buffer.from(checkpointText(fields)), key.privateKey).toString('base64'),
    publicKey: key.publicKey,
  };
}

/** GET /v1/audit?afterSeq&limit over `records`; `grow` appends a record per query, as the vault records each query. */
function pager(records: AuditRecord[], opts: { grow?: boolean } = {}) {
  const calls: { afterSeq: number; limit: number }[] = [];
  const page: ChainCheckInput['page'] = async (afterSeq, limit) => {
    calls.push({ afterSeq, limit });
    const out = records.filter((r) => r.seq > afterSeq).slice(0, limit);
    if (opts.grow) {
      const last = records.at(-1) as AuditRecord;
      const e = entry(last.seq + 1, 'audit.query');
      records.push({ ...e, seq: last.seq + 1, prevHash: last.hash, hash: recordHash(e, last.seq + 1, last.hash) });
    }
    return out;
  };
  return { page, calls };
}

const run = (over: Partial<ChainCheckInput> & Pick<ChainCheckInput, 'page'>) =>
  verifyAgainstCheckpoints({ previous: undefined, current: undefined, pinnedKey: undefined, maxRecords: 1000, pageSize: 4, ...over });

describe("the action's chain check", () => {
  const log = chain(12);
  const prev = checkpoint(log, 5);
  const curr = checkpoint(log, 10);

  it('passes an untouched stretch, reading from the previous checkpoint’s record to the new one, page by page', async () => {
    const { page, calls } = pager([...log]);
    const r = await run({ previous: prev, current: curr, page });
    expect(r).toMatchObject({ from: 5, to: 10, count: 6, complete: true, skipped: undefined, problems: [] });
    expect(r.key).toEqual({ value: vaultKey.publicKey, source: 'previous-checkpoint' });
    expect(calls[0]).toEqual({ afterSeq: 4, limit: 4 });
    expect(calls.every((c) => c.afterSeq < 10)).toBe(true);
  });

  it('finds an edited record (its fields no longer match its hash)', async () => {
    const edited = log.map((r) => (r.seq === 7 ? { ...r, reason: 'nothing to see here' } : r));
    const r = await run({ previous: prev, current: curr, page: pager(edited).page });
    expect(r.problems).toEqual([{ seq: 7, kind: 'hash_mismatch', message: 'Record 7 was edited: its fields no longer match its hash.' }]);
  });

  it('finds a deleted record, and the record the previous checkpoint names being edited', async () => {
    const gap = await run({ previous: prev, current: curr, page: pager(log.filter((r) => r.seq !== 8)).page });
    expect(gap.problems.map((p) => [p.kind, p.seq])).toContainEqual(['gap', 9]);
    const first = await run({ previous: prev, current: curr, page: pager(log.map((r) => (r.seq === 5 ? { ...r, path: 'x' } : r))).page });
    expect(first.problems.map((p) => [p.kind, p.seq])).toEqual([['hash_mismatch', 5]]);
  });

  it('finds a stretch rewritten with fresh hashes (the previous checkpoint no longer matches)', async () => {
    const rewritten = chain(12, (e, seq) => (seq === 3 ? { ...e, path: 'innocent' } : e));
    const r = await run({ previous: prev, current: checkpoint(rewritten, 10), page: pager(rewritten).page });
    expect(r.problems.map((p) => p.kind)).toEqual(['checkpoint_mismatch']);
    expect(r.problems[0]?.message).toBe('Record 5 differs from the signed checkpoint: the log was rewritten.');
  });

  it('finds a rollback: a validly signed checkpoint behind the previous one', async () => {
    const r = await run({ previous: checkpoint(log, 10), current: checkpoint(log, 5), page: pager([...log]).page });
    expect(r.problems[0]).toMatchObject({ kind: 'truncated', seq: 5 });
    expect(r.problems[0]?.message).toContain('before the previous checkpoint’s record 10'.replace('’', "'"));
    expect(r.complete).toBe(false);
  });

  it('finds a replay: the previous run’s checkpoint served again as the new one', async () => {
    // A genuine vault's log always grows between two checkpoints: each checkpoint request is itself
    // recorded, after the head it signs. Something that answers in the vault's place (a lying proxy
    // that kept the last run's answer) would otherwise freeze every later report at "verified".
    const r = await run({ previous: prev, current: { ...prev }, page: pager([...log]).page });
    expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([['checkpoint_replayed', 5]]);
    const findings = buildFindings({
      unavailable: undefined,
      previous: { state: 'read', path: '/tmp/cp.json' },
      chain: r,
      vaultVerification: { ok: true, count: 12, headSeq: 12, headHash: 'x', problems: [] } as never,
      anomalies: undefined,
    });
    expect(findings[0]).toMatchObject({ check: 'checkpoint_replayed', severity: 'critical', verification: true });
  });

  it('finds a truncated log: records the new checkpoint covers are missing', async () => {
    const r = await run({ previous: prev, current: curr, page: pager(log.filter((x) => x.seq <= 8)).page });
    expect(r.problems.map((p) => p.kind)).toContain('truncated');
  });

  it('holds checkpoints to the trusted key: the previous one’s, or the pinned public-key', async () => {
    const other = keyPair();
    const r = await run({ previous: prev, current: checkpoint(log, 10, other), page: pager([...log]).page });
    expect(r.problems[0]).toMatchObject({ kind: 'checkpoint_signature_invalid', seq: 10 });
    const pinned = await run({ previous: prev, current: curr, pinnedKey: other.publicKey, page: pager([...log]).page });
    expect(pinned.key?.source).toBe('input');
    expect(pinned.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['checkpoint_signature_invalid', 5],
      ['checkpoint_signature_invalid', 10],
    ]);
    const forged = await run({ previous: { ...prev, seq: 6 }, current: curr, page: pager([...log]).page });
    expect(forged.problems[0]?.message).toContain('the stored file was edited');
  });

  it('on a first run checks from record 1, trusting the key it is shown', async () => {
    const r = await run({ current: curr, page: pager([...log]).page });
    expect(r).toMatchObject({ from: 1, to: 10, count: 10, complete: true, problems: [] });
    expect(r.key?.source).toBe('first-use');
    const missingStart = await run({ current: curr, page: pager(log.filter((x) => x.seq > 1)).page });
    expect(missingStart.problems[0]?.kind).toBe('missing_start');
  });

  it('past max-records checks part of the chain and says which part it skipped', async () => {
    const long = chain(40);
    const r = await run({ previous: checkpoint(long, 5), current: checkpoint(long, 30), maxRecords: 10, page: pager([...long]).page });
    expect(r).toMatchObject({ from: 5, to: 15, count: 11, complete: false, skipped: { from: 16, to: 30 }, problems: [] });
    // A first run on a long log: the newest records, which must still lead to the signed head.
    const first = await run({ current: checkpoint(long, 30), maxRecords: 10, page: pager([...long]).page });
    expect(first).toMatchObject({ from: 21, to: 30, count: 10, complete: false, skipped: { from: 1, to: 20 }, problems: [] });
    const edited = long.map((x) => (x.seq === 25 ? { ...x, reason: 'edited' } : x));
    const caught = await run({ current: checkpoint(long, 30), maxRecords: 10, page: pager(edited).page });
    expect(caught.problems.map((p) => [p.kind, p.seq])).toEqual([['hash_mismatch', 25]]);
  });

  it('does not chase its own tail while the log grows with every query', async () => {
    const growing = chain(12);
    const { page, calls } = pager(growing, { grow: true });
    const r = await run({ previous: prev, current: curr, page });
    expect(r).toMatchObject({ to: 10, complete: true, problems: [] });
    // Without a new checkpoint (the vault refused to sign): up to the end as it stood.
    const noHead = pager(chain(12), { grow: true });
    const tail = await run({ previous: prev, page: noHead.page });
    expect(tail.complete).toBe(false);
    expect(tail.problems).toEqual([]);
    expect(noHead.calls.length).toBeLessThanOrEqual(3);
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it('a log emptied behind the vault’s back is truncated, read or not', async () => {
    const r = await run({ previous: prev, current: curr, page: pager([]).page });
    expect(r.problems.map((p) => p.kind)).toEqual(['truncated', 'truncated']);
  });
});
