/** Reading, verifying, exporting and checkpointing the audit log. */
import { type AuditRecord, ChainVerifier, type Checkpoint } from '../../core/audit-chain.js';
import { parseDuration } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import type { AuditStatus } from '../../core/model.js';
import type { AuditQuery } from '../../store/types.js';
import { checkpoint } from '../audit.js';
import { type Handlers, TextReply } from '../pipeline.js';
import { iso } from './views.js';

export function auditView(r: AuditRecord) {
  return { ...r, time: iso(r.time) };
}

interface Filters {
  since?: string | undefined;
  eventType?: readonly string[] | undefined;
  status?: AuditStatus | undefined;
  resourcePath?: string | undefined;
}

/** The query's filters as the store takes them; `since` is resolved against the vault's clock. */
function storeFilters(f: Filters, now: number): AuditQuery {
  const out: AuditQuery = {};
  if (f.since !== undefined) {
    const text = f.since.trim();
    out.since = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : now - parseDuration(text, 'since') * 1000;
  }
  if (f.eventType) out.eventTypes = f.eventType;
  if (f.status) out.status = f.status;
  if (f.resourcePath) out.resourcePath = f.resourcePath;
  return out;
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

export const auditHandlers = {
  async queryAudit({ input: { query }, deps }) {
    const filters = storeFilters(query, deps.now());
    // With afterSeq (tailing), read forwards; otherwise newest first.
    const rows = await deps.store.queryAudit({
      ...filters,
      limit: query.limit ?? 100,
      ...(query.afterSeq !== undefined ? { afterSeq: query.afterSeq } : {}),
      newestFirst: query.afterSeq === undefined,
    });
    const nextSeq = rows.reduce((m, r) => Math.max(m, r.seq), query.afterSeq ?? 0);
    return { events: rows.map(auditView), nextSeq };
  },

  async verifyAudit({ deps, ctx }) {
    const head = await deps.store.getAuditHead();
    const verifier = new ChainVerifier({ head, headKey: deps.keys.headKey });
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
    // appends); records beyond the current head were added outside the vault.
    const tail = await deps.store.getAuditTail();
    const now = await deps.store.getAuditHead();
    if (tail && now && tail.seq > now.seq) {
      result.problems.push({
        seq: tail.seq,
        kind: 'head_mismatch',
        message: `Records after the authenticated head (${now.seq}) up to ${tail.seq} were added outside the vault.`,
      });
      result.ok = false;
    }
    ctx.audit.reason = result.ok ? `chain intact, ${result.count} records` : `chain broken: ${result.problems.length} problem(s)`;
    // A broken log stops the vault at once, not at the monitor's next pass.
    const first = result.problems[0];
    if (first) deps.monitor.markBroken(first);
    return result;
  },

  async auditCheckpoint({ deps }) {
    return checkpoint(deps);
  },

  async exportAudit({ input: { query }, deps }) {
    const rows = (await deps.store.queryAudit({ ...storeFilters(query, deps.now()), newestFirst: false })).map(auditView);
    if ((query.format ?? 'json') === 'csv') {
      const lines = [CSV_COLUMNS.join(',')];
      for (const r of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
      return new TextReply('text/csv; charset=utf-8', `${lines.join('\r\n')}\r\n`);
    }
    // A log that fails its head check is still exported (the records are the evidence), but
    // without a signature vouching for it.
    let cp: Checkpoint | null = null;
    try {
      cp = await checkpoint(deps);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'audit_unavailable')) throw err;
    }
    return {
      version: 1 as const,
      events: rows,
      checkpoint: cp,
      ...(cp ? {} : { warning: 'The log does not match its authenticated head; no checkpoint was signed. Run ass audit verify.' }),
    };
  },
} satisfies Pick<Handlers, 'queryAudit' | 'verifyAudit' | 'auditCheckpoint' | 'exportAudit'>;
