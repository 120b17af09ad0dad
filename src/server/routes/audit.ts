/** Reading, verifying, exporting and checkpointing the audit log. */

import { MAX_SPAN_DAYS } from '../../api/schemas.js';
import { type AuditRecord, ChainVerifier, type Checkpoint } from '../../core/audit-chain.js';
import { parseDuration } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import type { AuditStatus } from '../../core/model.js';
import type { AuditQuery } from '../../store/types.js';
import { anomalySettings, findAnomalies, overdueRotations } from '../anomalies.js';
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

/** `since` as a time, against the vault's clock (a duration back from now, or an ISO time). */
function sinceTime(since: string, now: number): number {
  const text = since.trim();
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : now - parseDuration(text, 'since') * 1000;
}

/** The query's filters as the store takes them; `since` is resolved against the vault's clock. */
function storeFilters(f: Filters, now: number): AuditQuery {
  const out: AuditQuery = {};
  if (f.since !== undefined) out.since = sinceTime(f.since, now);
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
  async auditSummary({ input: { query }, deps, ctx }) {
    const now = deps.now();
    const since = sinceTime(query.since ?? '24h', now);
    if (!Number.isFinite(since) || since > now) {
      throw new AppError('invalid_input', 'since must be in the past: a duration back from now (24h, 7d) or an earlier ISO time.');
    }
    const rows = await deps.store.summarizeAudit(since, now + 1, query.limit ?? 50, now);
    const count = (event: string, status = 'granted') =>
      rows.byEventStatus.filter((r) => r.event === event && r.status === status).reduce((n, r) => n + r.count, 0);
    const byStatus = (status: string) => rows.byEventStatus.filter((r) => r.status === status).reduce((n, r) => n + r.count, 0);
    const events = new Map<string, { event: string; granted: number; denied: number; error: number; pending: number }>();
    for (const r of rows.byEventStatus) {
      const e = events.get(r.event) ?? { event: r.event, granted: 0, denied: 0, error: 0, pending: 0 };
      if (r.status === 'granted' || r.status === 'denied' || r.status === 'error' || r.status === 'pending') e[r.status] += r.count;
      events.set(r.event, e);
    }
    const denials = rows.denials.map((d) => ({
      code: /^[a-z_]{3,40}$/.test(d.code) ? d.code : 'other',
      event: d.event,
      count: d.count,
      example: d.reason,
    }));
    const exchanges = new Map<string, { repository: string; workflow: string; granted: number; refused: number }>();
    for (const x of rows.exchanges) {
      const repository = x.claims?.repository ?? x.claims?.project_path ?? x.claims?.iss ?? '(unknown)';
      const workflow = x.claims?.workflow_ref ?? x.claims?.job_workflow_ref ?? x.claims?.pipeline_slug ?? '(unknown)';
      const key = `${repository} ${workflow}`;
      const e = exchanges.get(key) ?? { repository, workflow, granted: 0, refused: 0 };
      if (x.status === 'granted') e.granted += x.count;
      else e.refused += x.count;
      exchanges.set(key, e);
    }
    const overdue = await overdueRotations(deps.store, now);
    ctx.audit.reason = `summary since ${iso(since)}`;
    return {
      since: iso(since),
      until: iso(now),
      requests: rows.byEventStatus.reduce((n, r) => n + r.count, 0),
      granted: byStatus('granted'),
      denied: byStatus('denied'),
      errors: byStatus('error'),
      pending: byStatus('pending'),
      events: [...events.values()].sort(
        (a, b) => b.granted + b.denied + b.error + b.pending - (a.granted + a.denied + a.error + a.pending),
      ),
      secrets: rows.byPath.map((p) => ({ path: p.path, tier: p.tier, reads: p.reads, writes: p.writes, denied: p.denied })),
      actors: rows.byActor.map((a) => ({ type: a.actorType, name: a.actorName, agent: a.agent, requests: a.count, denied: a.denied })),
      addresses: rows.byAddress.map((a) => ({ ip: a.ip, requests: a.count, denied: a.denied })),
      hours: rows.byHour.map((h) => ({ hour: iso(h.hour), requests: h.count, reads: h.reads, denied: h.denied })),
      denials,
      tokens: { issued: count('token.issue'), exchanged: count('token.exchange'), revoked: count('token.revoke') },
      exchanges: [...exchanges.values()].sort((a, b) => b.granted + b.refused - (a.granted + a.refused)),
      approvals: {
        requested: count('approval.request'),
        approved: rows.byEventStatus
          .filter((r) => r.event === 'approval.approve' && r.status === 'granted')
          .reduce((n, r) => n + r.count, 0),
        denied: count('approval.deny'),
        collected: count('approval.collect'),
        expired: count('approval.expire'),
      },
      rotations: {
        finished: count('rotation.finish'),
        aborted: count('rotation.abort'),
        overdueTotal: overdue.length,
        overdue: overdue.slice(0, query.limit ?? 50),
      },
      // (A lockout is recorded as a refusal.)
      lockouts: rows.byEventStatus.filter((r) => r.event === 'auth.lockout').reduce((n, r) => n + r.count, 0),
    };
  },

  async auditAnomalies({ input: { body }, deps, ctx }) {
    const now = deps.now();
    const since = sinceTime(body.since ?? '1h', now);
    if (!Number.isFinite(since) || since > now) {
      throw new AppError('invalid_input', 'since must be in the past: a duration back from now (1h, 24h) or an earlier ISO time.');
    }
    if (now - since > MAX_SPAN_DAYS * 86_400_000) {
      throw new AppError(
        'invalid_input',
        `since reaches more than ${MAX_SPAN_DAYS} days back, the farthest the anomaly checks look: give ${MAX_SPAN_DAYS}d or less (ass audit summary and ass audit export reach further).`,
      );
    }
    const report = await findAnomalies(deps, since, now + 1, anomalySettings(body.config));
    const bySeverity = (s: string) => report.anomalies.filter((a) => a.severity === s).length;
    ctx.audit.reason = `anomalies since ${iso(since)}: ${bySeverity('critical')} critical, ${bySeverity('warning')} warning, ${bySeverity('info')} info`;
    return {
      since: iso(since),
      until: iso(now),
      verified: report.verified,
      checks: report.checks,
      anomalies: report.anomalies.map((a) => ({
        ...a,
        firstTime: a.firstTime === null ? null : iso(a.firstTime),
        lastTime: a.lastTime === null ? null : iso(a.lastTime),
        records: a.records.map(auditView),
      })),
      config: { ...report.config },
    };
  },

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
} satisfies Pick<Handlers, 'auditSummary' | 'auditAnomalies' | 'queryAudit' | 'verifyAudit' | 'auditCheckpoint' | 'exportAudit'>;
