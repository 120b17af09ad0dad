/** `ass audit [filters] [--tail]`, `ass audit verify`, `ass audit checkpoint`, `ass audit export` (admin or auditor token). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkAnomalyConfig } from '../api/anomaly-config.js';
import { AuditExport } from '../api/schemas.js';
import type { AuditEvent, AuditFilters, AuditStatus } from '../client/client.js';
import { type AuditRecord, type Checkpoint, verifyChain } from '../core/audit-chain.js';
import { parseDuration } from '../core/duration.js';
import { AUDIT_EVENTS, type AuditEvent as EventName } from '../core/model.js';
import { parsePathPrefix } from '../core/paths.js';
import { oneLine } from '../core/text.js';
import {
  asUsage,
  type Command,
  type CommandGroup,
  type Ctx,
  int,
  json,
  list,
  oneOf,
  sleepUntil,
  stopSignal,
  str,
  table,
  terminalSafe,
  usage,
  userClient,
  type Values,
  withClient,
  writePrivateFile,
} from './common.js';

const STATUSES = ['granted', 'denied', 'error'] as const;
const FILTER_OPTIONS = {
  since: { type: 'string' },
  'event-type': { type: 'string', multiple: true },
  status: { type: 'string' },
  'resource-path': { type: 'string' },
} as const;
const FILTER_HELP = `  --since S             only records after S: a duration back from now (15m, 1h, 7d) or an ISO time
  --event-type a,b      only these event types (secret.read, secret.write, token.issue, ...)
  --status S            granted, denied or error
  --resource-path P     only records about this path or below it (a prefix: production/payments)`;

/** `--since 1h` → the ISO time one hour ago; `--since 2026-01-01T00:00:00Z` → that time. */
export function parseSince(input: string, now: number, helpFor: string): string {
  const text = input.trim();
  if (/^\d+[smhd]?(\d+[smhd])*$/.test(text)) {
    return new Date(now - asUsage(helpFor, () => parseDuration(text, '--since')) * 1000).toISOString();
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw usage(
      `--since ${JSON.stringify(text.slice(0, 40))} is neither a duration (15m, 1h, 7d) nor an ISO time (2026-01-31T12:00:00Z).`,
      helpFor,
    );
  }
  return new Date(ms).toISOString();
}

function filters(ctx: Ctx, values: Values, helpFor: string): AuditFilters {
  const q: AuditFilters = {};
  const since = str(values, 'since');
  if (since !== undefined) q.since = parseSince(since, (ctx.deps.now ?? Date.now)(), helpFor);
  const types = list(values, 'event-type');
  const unknown = types.filter((t) => !(AUDIT_EVENTS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw usage(
      `--event-type ${unknown.map((t) => JSON.stringify(t.slice(0, 40))).join(', ')} is not an audit event; the events are ${AUDIT_EVENTS.join(', ')}.`,
      helpFor,
    );
  }
  if (types.length) q.eventType = types as EventName[];
  const status = oneOf<AuditStatus>(values, 'status', STATUSES, helpFor);
  if (status) q.status = status;
  const resourcePath = str(values, 'resource-path');
  if (resourcePath !== undefined) q.resourcePath = asUsage(helpFor, () => parsePathPrefix(resourcePath, '--resource-path'));
  return q;
}

/** Who made the request: the user or agent name, and for pipeline tokens the CI run behind it. */
function actorCell(e: AuditEvent): string {
  const who = e.actorName ?? e.actorId ?? e.actorType;
  return e.actorType === 'anonymous' || e.actorType === 'operator' ? e.actorType : `${e.actorType}:${who}`;
}

function runCell(e: AuditEvent): string | undefined {
  const c = e.claims;
  if (!c?.repository) return undefined;
  return `${c.repository}#${c.run_id ?? '?'}/${c.run_attempt ?? '?'}`;
}

function eventRows(events: AuditEvent[]): unknown[][] {
  return events.map((e) => [e.seq, e.time, e.event, e.status, actorCell(e), e.path, e.ip, runCell(e), e.reason]);
}
const EVENT_HEADERS = ['SEQ', 'TIME', 'EVENT', 'STATUS', 'ACTOR', 'PATH', 'IP', 'CI RUN', 'REASON'];

const query: Command = {
  usage: 'ass audit [--limit N] [--since S] [--event-type a,b] [--status S] [--resource-path P] [--tail] [--json]',
  summary: 'Query the audit log, or follow it with --tail.',
  details: `  --limit N             at most N records (default 50)
${FILTER_HELP}
  --tail                keep polling for new records until Ctrl-C (with --json: one JSON record per line);
                        hides audit.query records (its own polling makes one per poll) unless --event-type asks for them`,
  options: { limit: { type: 'string' }, tail: { type: 'boolean', short: 'f' }, json: { type: 'boolean' }, ...FILTER_OPTIONS },
  positionals: [],
  remote: true,
  json: 'queryAudit',
  async run(ctx, values) {
    const help = 'ass audit';
    const limit = int(values, 'limit', { min: 1, helpFor: help }) ?? 50;
    const q = filters(ctx, values, help);
    return withClient(userClient(ctx, values, 'audit'), async (c) => {
      const first = await c.queryAudit({ ...q, limit });
      if (!values.tail) {
        if (values.json) ctx.out(json(first));
        else if (first.events.length === 0) ctx.out('No audit records match.\n');
        else ctx.out(table(EVENT_HEADERS, eventRows(first.events)));
        return 0;
      }
      const hideOwn = !q.eventType;
      const show = (events: AuditEvent[], header: boolean) => {
        const shown = hideOwn ? events.filter((e) => e.event !== 'audit.query') : events;
        if (values.json) for (const e of shown) ctx.out(`${JSON.stringify(e)}\n`);
        else if (shown.length) {
          const text = table(EVENT_HEADERS, eventRows(shown));
          ctx.out(header ? text : text.slice(text.indexOf('\n') + 1));
        }
        return shown.length;
      };
      // Without afterSeq the server answers newest first; a tail reads oldest to newest.
      let printed = show(
        [...first.events].sort((a, b) => a.seq - b.seq),
        true,
      );
      let after = maxSeq(first.events, 0);
      const { signal, dispose } = stopSignal(ctx);
      const interval = ctx.deps.tailIntervalMs ?? 2000;
      try {
        while (!signal.aborted) {
          await sleepUntil(interval, signal, ctx.deps.sleep);
          if (signal.aborted) break;
          const page = await c.queryAudit({ ...q, limit: 500, afterSeq: after });
          after = maxSeq(page.events, after);
          printed += show(page.events, printed === 0);
        }
      } finally {
        dispose();
      }
      return 0;
    });
  },
};

function maxSeq(events: AuditEvent[], current: number): number {
  return events.reduce((m, e) => (typeof e.seq === 'number' && e.seq > m ? e.seq : m), current);
}

/** Seconds as a short duration for a table (`3d 4h`). */
function ago(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m`;
}

const summary: Command = {
  usage: 'ass audit summary [--since 24h] [--limit N] [--json]',
  summary: 'What happened in a window: reads and writes per secret and per actor, refusals, tokens, exchanges, approvals, rotations.',
  details: `  --since S   a duration back from now (1h, 24h, 7d) or an ISO time (default 24h)
  --limit N   at most N rows per table (default 10; the server keeps at most 1000)
Counted by the vault's store over the window (an index range scan), not by reading every record here.`,
  options: { since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'auditSummary',
  async run(ctx, values) {
    const help = 'ass audit summary';
    const limit = int(values, 'limit', { min: 1, helpFor: help }) ?? 10;
    if (limit > 1000) throw usage('--limit is at most 1000.', help);
    const since = str(values, 'since') ?? '24h';
    const s = await withClient(userClient(ctx, values, 'audit summary'), (c) => c.auditSummary({ since, limit }));
    if (values.json) {
      ctx.out(json(s));
      return 0;
    }
    const out: string[] = [];
    out.push(`Audit summary ${s.since} to ${s.until}`);
    out.push(
      `${s.requests} requests: ${s.granted} granted, ${s.denied} denied, ${s.errors} errors, ${s.pending} held for approval; ${s.lockouts} lockout(s)`,
    );
    out.push(
      `tokens: ${s.tokens.issued} issued, ${s.tokens.exchanged} exchanged for pipelines, ${s.tokens.revoked} revoked; approvals: ${s.approvals.requested} requested, ${s.approvals.approved} approved, ${s.approvals.denied} denied, ${s.approvals.collected} collected, ${s.approvals.expired} expired; rotations: ${s.rotations.finished} done, ${s.rotations.aborted} aborted, ${s.rotations.overdueTotal} overdue`,
    );
    const section = (title: string, headers: string[], rows: unknown[][]) => {
      out.push('', title);
      out.push(rows.length ? table(headers, rows.slice(0, limit)).trimEnd() : '  (none)');
    };
    section(
      'Secrets (busiest first)',
      ['PATH', 'TIER', 'READS', 'WRITES', 'DENIED'],
      s.secrets.map((x) => [x.path, x.tier, x.reads, x.writes, x.denied]),
    );
    section(
      'Actors',
      ['TYPE', 'NAME', 'AGENT', 'REQUESTS', 'DENIED'],
      s.actors.map((a) => [a.type, a.name, a.agent, a.requests, a.denied]),
    );
    section(
      'Refusals and errors',
      ['EVENT', 'CODE', 'COUNT', 'EXAMPLE'],
      s.denials.map((d) => [d.event, d.code, d.count, (d.example ?? '').slice(0, 100)]),
    );
    section(
      'Pipeline exchanges',
      ['REPOSITORY', 'WORKFLOW', 'GRANTED', 'REFUSED'],
      s.exchanges.map((x) => [x.repository, x.workflow, x.granted, x.refused]),
    );
    section(
      'Addresses',
      ['ADDRESS', 'REQUESTS', 'DENIED'],
      s.addresses.map((a) => [a.ip, a.requests, a.denied]),
    );
    section(
      'Rotations overdue',
      ['PATH', 'TIER', 'ROTATOR', 'OVERDUE'],
      s.rotations.overdue.map((r) => [r.path, r.tier, r.rotator, ago(r.overdueSeconds)]),
    );
    // The newest hours (at least a day's), not cut by --limit.
    const hours = s.hours.slice(-Math.max(limit, 24));
    out.push('', 'Per hour (records)');
    out.push(
      hours.length
        ? table(
            ['HOUR', 'RECORDS', 'READS', 'DENIED'],
            hours.map((h) => [h.hour, h.requests, h.reads, h.denied]),
          ).trimEnd()
        : '  (none)',
    );
    ctx.out(`${terminalSafe(out.join('\n'))}\n`);
    return 0;
  },
};

const SEVERITY_RANK = { none: 3, info: 0, warning: 1, critical: 2 } as const;

/** `--business-hours "mon-fri 09:00-19:00"` → the config's businessHours fields. */
function businessHours(text: string, help: string): { days: string[]; start: string; end: string } {
  const m = /^\s*([a-z]{3})(?:-([a-z]{3}))?((?:,[a-z]{3})*)\s+(\d{2}:\d{2})-(\d{2}:\d{2})\s*$/i.exec(text);
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const bad = () =>
    usage(
      `--business-hours ${JSON.stringify(text.slice(0, 60))} is not a range of days and times such as "mon-fri 09:00-19:00" or "mon,wed,fri 08:30-17:00".`,
      help,
    );
  if (!m) throw bad();
  const [, a, b, more, start, end] = m as unknown as [string, string, string | undefined, string, string, string];
  const from = days.indexOf(a.toLowerCase());
  if (from < 0) throw bad();
  const picked: string[] = [];
  if (b) {
    const to = days.indexOf(b.toLowerCase());
    if (to < 0) throw bad();
    for (let i = from; ; i = (i + 1) % 7) {
      picked.push(days[i] as string);
      if (i === to) break;
    }
  } else picked.push(days[from] as string);
  for (const d of more.split(',').filter(Boolean)) {
    if (!days.includes(d.toLowerCase())) throw bad();
    picked.push(d.toLowerCase());
  }
  return { days: [...new Set(picked)], start, end };
}

const anomalies: Command = {
  usage:
    'ass audit anomalies [--since 1h] [--config FILE] [--known-range CIDR]... [--business-hours "mon-fri 09:00-19:00"] [--time-zone TZ] [--reads-per-hour N] [--denied-per-hour N] [--expect-repository R]... [--expect-ref R]... [--disable CHECK,...] [--fail-on critical] [--json]',
  summary: 'Check a window of the audit log for suspicious patterns; exit 1 when a finding reaches --fail-on.',
  details: `Runs the vault's anomaly checks over the window (docs/anomalies.md describes each): read volume and
spikes against the same hour of past weeks, bursts of refusals, lockouts, critical secrets used outside
business hours, unknown addresses, first reads, new agents, widened scopes, long-lived tokens for
critical paths, pipelines from unexpected repositories or refs, overdue rotations, and a log that fails
verification. Each finding has a severity (info, warning, critical), what to do, and the records behind it.
  --since S                a duration back from now (15m, 1h, 24h) or an ISO time (default 1h)
  --config FILE            thresholds, business hours, known ranges, pipelines as JSON (docs/anomalies.md);
                           the flags below override its fields
  --known-range CIDR       an address range requests are expected from (repeatable)
  --business-hours SPEC    when critical secrets are used: "mon-fri 09:00-19:00" (default)
  --time-zone TZ           the business hours' IANA time zone (default UTC)
  --reads-per-hour N       reads in an hour above which read_volume reports (default 500)
  --denied-per-hour N      refusals per actor or address in an hour for denied_burst (default 10)
  --expect-repository R    a repository pipelines read from (repeatable; a trailing * matches any rest)
  --expect-ref R           a ref pipelines read from (repeatable: refs/heads/main, refs/tags/*)
  --disable a,b            checks not to run
  --fail-on LEVEL          exit 1 when a finding is at least this severe: info, warning, critical (default)
                           or none; a log that fails verification always exits 1
Exit status: 0 nothing at --fail-on or above, 1 findings at --fail-on or above, 2 usage, 3 the vault refused.`,
  options: {
    since: { type: 'string' },
    config: { type: 'string' },
    'known-range': { type: 'string', multiple: true },
    'business-hours': { type: 'string' },
    'time-zone': { type: 'string' },
    'reads-per-hour': { type: 'string' },
    'denied-per-hour': { type: 'string' },
    'expect-repository': { type: 'string', multiple: true },
    'expect-ref': { type: 'string', multiple: true },
    disable: { type: 'string', multiple: true },
    'fail-on': { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
  remote: true,
  json: 'auditAnomalies',
  async run(ctx, values) {
    const help = 'ass audit anomalies';
    const failOn = oneOf(values, 'fail-on', ['none', 'info', 'warning', 'critical'] as const, help) ?? 'critical';
    const since = str(values, 'since') ?? '1h';
    if (str(values, 'since') !== undefined) parseSince(since, Date.now(), help);
    let config: Record<string, unknown> = {};
    const file = str(values, 'config');
    if (file !== undefined) {
      let text: string;
      try {
        text = await readFile(path.resolve(ctx.io.cwd, file), 'utf8');
      } catch (e) {
        throw usage(`--config ${JSON.stringify(file.slice(0, 80))} could not be read (${(e as { code?: string }).code ?? 'error'}).`, help);
      }
      try {
        config = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw usage(`--config ${JSON.stringify(file.slice(0, 80))} is not JSON; docs/anomalies.md shows the format.`, help);
      }
      if (typeof config !== 'object' || config === null || Array.isArray(config)) {
        throw usage(`--config ${JSON.stringify(file.slice(0, 80))} must hold a JSON object; docs/anomalies.md shows the format.`, help);
      }
    }
    const ranges = list(values, 'known-range');
    if (ranges.length) config.knownRanges = ranges;
    const bh = str(values, 'business-hours');
    const tz = str(values, 'time-zone');
    if (bh !== undefined || tz !== undefined) {
      config.businessHours = {
        ...((config.businessHours as object | undefined) ?? {}),
        ...(bh !== undefined ? businessHours(bh, help) : {}),
        ...(tz !== undefined ? { timeZone: tz } : {}),
      };
    }
    const reads = int(values, 'reads-per-hour', { min: 1, helpFor: help });
    if (reads !== undefined) config.readsPerHour = reads;
    const denied = int(values, 'denied-per-hour', { min: 1, helpFor: help });
    if (denied !== undefined) config.deniedPerHour = denied;
    const repos = list(values, 'expect-repository');
    const refs = list(values, 'expect-ref');
    if (repos.length || refs.length) {
      config.pipelines = {
        ...((config.pipelines as object | undefined) ?? {}),
        ...(repos.length ? { repositories: repos } : {}),
        ...(refs.length ? { refs } : {}),
      };
    }
    const disable = list(values, 'disable');
    if (disable.length) config.disable = disable;
    // Checked here first, so a mistake is a usage error that names the field.
    const checked = checkAnomalyConfig(config);
    if (!checked.ok) throw usage(`In the anomaly configuration, ${checked.problem} (docs/anomalies.md).`, help);
    const report = await withClient(userClient(ctx, values, 'audit anomalies'), (c) => c.auditAnomalies({ since, config: checked.config }));
    const failing =
      !report.verified || (failOn !== 'none' && report.anomalies.some((a) => SEVERITY_RANK[a.severity] >= SEVERITY_RANK[failOn]));
    if (values.json) {
      ctx.out(json(report));
      return failing ? 1 : 0;
    }
    const counts = (sev: string) => report.anomalies.filter((a) => a.severity === sev).length;
    const out: string[] = [];
    out.push(
      `Audit anomalies ${report.since} to ${report.until}: ${counts('critical')} critical, ${counts('warning')} warning, ${counts('info')} info; ${report.verified ? 'the log verifies' : 'THE LOG FAILS VERIFICATION'}`,
    );
    // Finding texts quote the log (claims keep their line breaks): each is kept to its own line.
    const line = oneLine;
    for (const a of report.anomalies) {
      out.push('', `${a.severity.toUpperCase().padEnd(8)} ${a.check}  ${line(a.title)}`);
      out.push(`  ${line(a.detail)}`);
      out.push(`  what to do: ${line(a.action)}`);
      if (a.records.length) {
        out.push(`  records (${a.count} in all, newest first):`);
        for (const r of a.records.slice(0, 5)) {
          out.push(
            `    ${line(`#${r.seq} ${r.time} ${r.event} ${r.status} ${r.actorType}${r.actorName ? ` ${r.actorName}` : ''}${r.path ? ` ${r.path}` : ''}${r.ip ? ` from ${r.ip}` : ''}${r.claims?.repository ? ` ${r.claims.repository}@${r.claims.ref ?? ''}` : ''}`)}`,
          );
        }
      }
    }
    if (report.anomalies.length === 0) out.push('', 'No anomalies.');
    const skipped = report.checks.filter((c) => !c.ran || c.note);
    if (skipped.length) {
      out.push('', 'Checks');
      for (const c of skipped) out.push(`  ${c.check}: ${line(c.note ?? (c.ran ? '' : 'not run'))}`);
    }
    ctx.out(`${terminalSafe(out.join('\n'))}\n`);
    return failing ? 1 : 0;
  },
};

const verify: Command = {
  usage: 'ass audit verify [--checkpoint FILE] [--public-key KEY] [--json]',
  summary: 'Check the hash chain of the whole audit log; exit 1 when it is broken.',
  details: `Detects edited, deleted, reordered and truncated records, and a chain rewritten without the
server's key. With --checkpoint, also checks the log on this machine against a signed checkpoint you
kept off the vault's machine (from ass audit checkpoint): a log rolled back or truncated since then,
even together with its database head, fails.
  --checkpoint FILE   a checkpoint saved earlier (repeatable)
  --public-key KEY    the Ed25519 key (base64) to trust; default the key in the checkpoint file`,
  options: { json: { type: 'boolean' }, checkpoint: { type: 'string', multiple: true }, 'public-key': { type: 'string' } },
  positionals: [],
  remote: true,
  json: 'verifyAudit',
  async run(ctx, values) {
    const help = 'ass audit verify';
    const checkpoints: Checkpoint[] = [];
    for (const file of (values.checkpoint as string[] | undefined) ?? []) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(path.resolve(ctx.io.cwd, file), 'utf8'));
      } catch (e) {
        throw usage(
          `--checkpoint ${JSON.stringify(file.slice(0, 80))} could not be read as JSON (${(e as { code?: string }).code ?? 'invalid JSON'}); save one with ass audit checkpoint --output FILE.`,
          help,
        );
      }
      const c = parsed as Partial<Checkpoint>;
      if (
        typeof c.seq !== 'number' ||
        typeof c.hash !== 'string' ||
        typeof c.signature !== 'string' ||
        typeof c.publicKey !== 'string' ||
        typeof c.origin !== 'string' ||
        typeof c.time !== 'string'
      ) {
        throw usage(`${file} is not an audit checkpoint (from ass audit checkpoint).`, help);
      }
      checkpoints.push(c as Checkpoint);
    }
    const trusted = str(values, 'public-key');
    const client = userClient(ctx, values, 'audit verify');
    const result = await withClient(client, async (c) => {
      const server = await c.verifyAudit();
      if (checkpoints.length === 0) return server;
      // Verified here, not by the server: the export is checked against checkpoints it cannot forge.
      const exported = AuditExport().parse(JSON.parse(await c.exportAudit('json', {})));
      const records: AuditRecord[] = exported.events.map((e) => ({ ...e, time: Date.parse(e.time) }));
      const local = verifyChain(records, { checkpoints, ...(trusted ? { trustedPublicKey: trusted } : {}) });
      const problems = [
        ...server.problems,
        ...local.problems.filter((p) => !server.problems.some((q) => q.kind === p.kind && q.seq === p.seq)),
      ];
      return { ...server, ok: server.ok && local.ok, problems };
    });
    if (values.json) ctx.out(json(result));
    else if (result.ok) {
      ctx.out(
        `Audit chain intact: ${result.count} records, head seq ${result.headSeq}, head hash ${result.headHash}${checkpoints.length ? `; consistent with ${checkpoints.length} checkpoint(s)` : ''}.\n`,
      );
    } else {
      ctx.out(
        `Audit chain BROKEN: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${result.count} records.\n`,
      );
      ctx.out(
        table(
          ['SEQ', 'KIND', 'PROBLEM'],
          result.problems.map((p) => [p.seq, p.kind, p.message]),
        ),
      );
    }
    return result.ok ? 0 : 1;
  },
};

const checkpointCmd: Command = {
  usage: 'ass audit checkpoint [--output FILE] [--json]',
  summary: 'Print a signed checkpoint of the audit log (keep it off the vault machine).',
  details: `The checkpoint names the last record and its hash, signed with the vault's Ed25519 audit key.
Store it somewhere the vault's operators cannot rewrite (another system, a git repository, object
storage with retention); ass audit verify --checkpoint FILE later proves the log still extends it.
  --output FILE   write to FILE (created 0600) instead of stdout, and say so on stderr
  --json          (the checkpoint is JSON either way)`,
  options: { output: { type: 'string', short: 'o' }, json: { type: 'boolean' } },
  positionals: [],
  remote: true,
  json: 'auditCheckpoint',
  async run(ctx, values) {
    const cp = await withClient(userClient(ctx, values, 'audit checkpoint'), (c) => c.auditCheckpoint());
    const text = json(cp);
    const output = str(values, 'output');
    if (output === undefined || output === '-') {
      ctx.out(text);
      return 0;
    }
    const file = path.resolve(ctx.io.cwd, output);
    await writePrivateFile(file, text);
    ctx.err(`Wrote the checkpoint (record ${cp.seq}) to ${file}; keep a copy off this machine.\n`);
    return 0;
  },
};

const exportCmd: Command = {
  usage: 'ass audit export --format csv|json [--output FILE] [filters]',
  summary: 'Export audit records with their chain fields (and a signed checkpoint in JSON).',
  details: `  --format F      csv or json
  --output FILE   write to FILE (created 0600) instead of stdout
${FILTER_HELP}`,
  options: { format: { type: 'string' }, output: { type: 'string', short: 'o' }, ...FILTER_OPTIONS },
  positionals: [],
  remote: true,
  async run(ctx, values) {
    const help = 'ass audit export';
    const format = oneOf(values, 'format', ['csv', 'json'] as const, help);
    if (!format) throw usage('--format is required: csv or json.', help);
    const q = filters(ctx, values, help);
    const output = str(values, 'output');
    const body = await withClient(userClient(ctx, values, 'audit export'), (c) => c.exportAudit(format, q));
    if (output === undefined || output === '-') {
      ctx.out(body);
      return 0;
    }
    const file = path.resolve(ctx.io.cwd, output);
    await writePrivateFile(file, body, 'check that the folder exists and is writable');
    ctx.err(`Wrote the audit export (${format}, ${Buffer.byteLength(body)} bytes) to ${file}.\n`);
    return 0;
  },
};

export const auditGroup: CommandGroup = {
  name: 'audit',
  summary: 'Query, follow, verify and export the audit log.',
  commands: { summary, anomalies, verify, checkpoint: checkpointCmd, export: exportCmd },
  fallback: query,
};
