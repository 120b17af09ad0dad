import { parseDuration } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { parsePathPrefix } from '../../core/paths.js';
import type { AuditQuery, AuditRecord, AuditStatus } from '../../store/types.js';
import { ChainVerifier, type Checkpoint, checkHead, signCheckpoint } from '../audit.js';
import { type AuditDraft, actorOf, type RequestContext } from '../context.js';
import type { ServiceDeps } from './deps.js';
import { requireRole } from './guards.js';

const AUDIT_ROLES = ['admin', 'auditor'] as const;

/** Writes the request's audit record(s). Throws if the store cannot append: the caller fails closed. */
export async function writeAudit(deps: ServiceDeps, ctx: RequestContext): Promise<void> {
  const seal = deps.audit.sealer;
  const actor = actorOf(ctx.principal);
  const write = (d: AuditDraft) =>
    deps.store.appendAudit(
      {
        time: deps.now(),
        requestId: ctx.requestId,
        event: d.event,
        status: d.status,
        ...actor,
        path: d.path,
        tier: d.tier,
        reason: d.reason,
        ip: ctx.ip,
        claims: d.claims ?? actor.claims,
      },
      seal,
    );
  // Appended together so that they land in one group commit, in this order.
  await Promise.all([ctx.audit, ...ctx.extraAudit].map(write));
}

export function auditView(r: AuditRecord) {
  return {
    seq: r.seq,
    time: new Date(r.time).toISOString(),
    requestId: r.requestId,
    event: r.event,
    status: r.status,
    actorType: r.actorType,
    actorId: r.actorId,
    actorName: r.actorName,
    agent: r.agent,
    tokenId: r.tokenId,
    path: r.path,
    tier: r.tier,
    reason: r.reason,
    ip: r.ip,
    claims: r.claims,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

const STATUSES: readonly AuditStatus[] = ['granted', 'denied', 'error'];

export function parseAuditQuery(q: Record<string, string | undefined>, now: number): AuditQuery {
  const out: AuditQuery = {};
  if (q.limit !== undefined) {
    if (!/^\d{1,6}$/.test(q.limit) || Number(q.limit) < 1)
      throw new AppError('invalid_input', 'limit must be a whole number from 1 to 100000.');
    out.limit = Math.min(Number(q.limit), 100_000);
  }
  if (q.afterSeq !== undefined) {
    if (!/^\d{1,15}$/.test(q.afterSeq))
      throw new AppError('invalid_input', 'afterSeq must be a whole number (a sequence number from an earlier page).');
    out.afterSeq = Number(q.afterSeq);
  }
  if (q.since !== undefined) {
    const iso = Date.parse(q.since);
    if (/^\d{4}-\d{2}-\d{2}/.test(q.since) && !Number.isNaN(iso)) out.since = iso;
    else out.since = now - parseDuration(q.since, 'since') * 1000;
  }
  if (q.eventType)
    out.eventTypes = q.eventType
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (q.status !== undefined) {
    if (!STATUSES.includes(q.status as AuditStatus)) throw new AppError('invalid_input', `status must be one of ${STATUSES.join(', ')}.`);
    out.status = q.status as AuditStatus;
  }
  if (q.resourcePath) out.resourcePath = parsePathPrefix(q.resourcePath, 'resourcePath');
  return out;
}

export async function queryAudit(deps: ServiceDeps, ctx: RequestContext, q: Record<string, string | undefined>) {
  requireRole(ctx, AUDIT_ROLES, 'read the audit log');
  const query = parseAuditQuery(q, deps.now());
  // With afterSeq (tailing), read forwards; otherwise newest first.
  const rows = await deps.store.queryAudit({ ...query, limit: query.limit ?? 100, newestFirst: query.afterSeq === undefined });
  const nextSeq = rows.reduce((m, r) => Math.max(m, r.seq), query.afterSeq ?? 0);
  return { events: rows.map(auditView), nextSeq };
}

/**
 * Signs a checkpoint of the current head, after checking that the head is authentic and is the
 * last record: the vault never vouches for a log that was truncated or rewritten behind its back.
 */
export async function checkpoint(deps: ServiceDeps): Promise<Checkpoint> {
  const head = await deps.store.getAuditHead();
  // The record the head names (not the newest one: other requests may be appending meanwhile).
  const at =
    head && head.seq > 0 ? (await deps.store.queryAudit({ afterSeq: head.seq - 1, upToSeq: head.seq, newestFirst: false }))[0] : undefined;
  try {
    checkHead(deps.audit.keys.headKey, head, at ? { seq: at.seq, hash: at.hash } : undefined);
  } catch (err) {
    deps.logger.error(`audit checkpoint refused: ${err instanceof Error ? err.message : String(err)}`);
    throw new AppError(
      'audit_unavailable',
      'The audit log does not match its authenticated head, so no checkpoint is signed; run ass audit verify and restore the log from a backup.',
    );
  }
  return signCheckpoint(
    { origin: deps.settings.origin, seq: head?.seq ?? 0, hash: head?.hash ?? '0'.repeat(64), time: new Date(deps.now()).toISOString() },
    deps.audit.keys.signing,
  );
}

export async function verifyAudit(deps: ServiceDeps, ctx: RequestContext) {
  requireRole(ctx, AUDIT_ROLES, 'verify the audit log');
  const head = await deps.store.getAuditHead();
  const verifier = new ChainVerifier({ head, headKey: deps.audit.keys.headKey });
  // Page through the log in order, up to the head read above (requests may append meanwhile),
  // so memory stays bounded however long the log is.
  const PAGE = 5000;
  const upToSeq = head?.seq ?? 0;
  for (let after = 0; ; ) {
    const page = await deps.store.queryAudit({ afterSeq: after, upToSeq, limit: PAGE, newestFirst: false });
    for (const r of page) verifier.push(r);
    if (page.length < PAGE) break;
    after = (page.at(-1) as AuditRecord).seq;
  }
  const result = verifier.finish();
  // Records beyond the head are fine if the head has moved on to cover them (concurrent
  // appends); records beyond the current head were added outside the server.
  const tail = await deps.store.getAuditTail();
  const now = await deps.store.getAuditHead();
  if (tail && now && tail.seq > now.seq) {
    result.problems.push({
      seq: tail.seq,
      kind: 'head_mismatch',
      message: `Records after the authenticated head (${now.seq}) up to ${tail.seq} were added outside the server.`,
    });
    result.ok = false;
  }
  ctx.audit.reason = result.ok ? `chain intact, ${result.count} records` : `chain broken: ${result.problems.length} problem(s)`;
  return result;
}

export async function getCheckpoint(deps: ServiceDeps, ctx: RequestContext) {
  requireRole(ctx, AUDIT_ROLES, 'read audit checkpoints');
  return checkpoint(deps);
}

const CSV_COLUMNS = [
  'seq',
  'time',
  'requestId',
  'event',
  'status',
  'actorType',
  'actorId',
  'actorName',
  'agent',
  'tokenId',
  'path',
  'tier',
  'reason',
  'ip',
  'claims',
  'prevHash',
  'hash',
] as const;

function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Cells that a spreadsheet would treat as formulas are prefixed (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function exportAudit(deps: ServiceDeps, ctx: RequestContext, q: Record<string, string | undefined>) {
  requireRole(ctx, AUDIT_ROLES, 'export the audit log');
  const format = q.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new AppError('invalid_input', 'format must be json or csv.');
  const { format: _f, ...rest } = q;
  const query = parseAuditQuery(rest, deps.now());
  const rows = (await deps.store.queryAudit({ ...query, newestFirst: false })).map(auditView);
  if (format === 'json') {
    // A log that fails its head check is still exported (the records are the evidence), but
    // without a signature vouching for it.
    let cp: Checkpoint | null = null;
    try {
      cp = await checkpoint(deps);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'audit_unavailable')) throw err;
    }
    return {
      kind: 'json' as const,
      body: {
        version: 1,
        events: rows,
        checkpoint: cp,
        ...(cp ? {} : { warning: 'The log does not match its authenticated head; no checkpoint was signed. Run ass audit verify.' }),
      },
    };
  }
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return { kind: 'csv' as const, body: `${lines.join('\r\n')}\r\n` };
}
