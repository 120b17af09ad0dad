/**
 * The anomaly checks over the audit log (POST /v1/audit/anomalies, `ass audit anomalies`, the
 * audit action). Every count is the store's (GROUP BY over the time index); only the records that
 * triggered a finding are read whole. Each check is documented in docs/anomalies.md.
 */
import type { z } from 'zod';
import type { AnomalyCheck, AnomalyConfig, Anomaly as AnomalySchema, Severity } from '../api/schemas.js';
import { ANOMALY_CHECKS, SEVERITIES } from '../api/schemas.js';
import { type AuditRecord, ChainVerifier } from '../core/audit-chain.js';
import { addressAllowed, type Cidr, parseCidr } from '../core/cidr.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { AppError } from '../core/errors.js';
import { dueStatus, policyFor } from '../core/rotation-schedule.js';
import { formatScopes, parseScopesCached, type Scope, scopesCoverPath, scopeWithin } from '../core/scopes.js';
import type { AuditCountQuery, AuditQuery, Store, TokenRow } from '../store/types.js';

export type AnomalyConfigInput = z.output<ReturnType<typeof AnomalyConfig>>;
type Anomaly = Omit<z.output<ReturnType<typeof AnomalySchema>>, 'records' | 'firstTime' | 'lastTime'> & {
  records: AuditRecord[];
  firstTime: number | null;
  lastTime: number | null;
};

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Records shown with each finding. */
const SAMPLE = 10;
/** Groups read from one count (the busiest first); more are not looked at. */
const GROUPS = 10_000;
/** Findings in one report, most severe first. */
const MAX_FINDINGS = 200;
/** The window's records are re-verified here when there are at most this many. */
const VERIFY_WINDOW = 50_000;
const READ = ['secret.read'];
const CRITICAL_ACCESS = ['secret.read', 'secret.write', 'secret.delete', 'secret.metadata', 'approval.collect'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface AnomalySettings {
  readsPerHour: number;
  spikeFactor: number;
  spikeMinimum: number;
  baselineWeeks: number;
  deniedPerHour: number;
  businessHours: { days: (typeof WEEKDAYS)[number][]; start: string; end: string; timeZone: string };
  knownRanges: string[];
  lookback: string;
  maxCriticalTokenTtl: string;
  pipelines: { repositories: string[]; refs: string[] };
  disable: AnomalyCheck[];
}

/** The configuration with the defaults filled in (seed 001's thresholds), checked. */
export function anomalySettings(input: AnomalyConfigInput = {}): AnomalySettings {
  const bh = input.businessHours ?? {};
  const s: AnomalySettings = {
    readsPerHour: input.readsPerHour ?? 500,
    spikeFactor: input.spikeFactor ?? 3,
    spikeMinimum: input.spikeMinimum ?? 50,
    baselineWeeks: input.baselineWeeks ?? 4,
    deniedPerHour: input.deniedPerHour ?? 10,
    businessHours: {
      days: [...(bh.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'])],
      start: bh.start ?? '09:00',
      end: bh.end ?? '19:00',
      timeZone: bh.timeZone ?? 'UTC',
    },
    knownRanges: [...(input.knownRanges ?? [])],
    lookback: input.lookback ?? '30d',
    maxCriticalTokenTtl: input.maxCriticalTokenTtl ?? '1h',
    pipelines: { repositories: [...(input.pipelines?.repositories ?? [])], refs: [...(input.pipelines?.refs ?? [])] },
    disable: [...(input.disable ?? [])],
  };
  if (minutesOf(s.businessHours.start) === minutesOf(s.businessHours.end)) {
    throw new AppError('invalid_input', 'config.businessHours: start and end are the same time; give a range such as 09:00 to 19:00.');
  }
  for (const r of s.knownRanges) parseCidr(r, 'config.knownRanges entry');
  parseDuration(s.lookback, 'config.lookback');
  parseDuration(s.maxCriticalTokenTtl, 'config.maxCriticalTokenTtl');
  return s;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Whether `time` falls in business hours, in the configured time zone. */
export function inBusinessHours(time: number, bh: AnomalySettings['businessHours'], format = zoneFormat(bh.timeZone)): boolean {
  const parts = Object.fromEntries(format.formatToParts(time).map((p) => [p.type, p.value]));
  const day = String(parts.weekday).slice(0, 3).toLowerCase() as (typeof WEEKDAYS)[number];
  const minutes = (Number(parts.hour) % 24) * 60 + Number(parts.minute);
  const start = minutesOf(bh.start);
  const end = minutesOf(bh.end);
  // An overnight range (22:00 to 06:00) belongs to the day it starts on.
  if (start < end) return bh.days.includes(day) && minutes >= start && minutes < end;
  if (minutes >= start) return bh.days.includes(day);
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] as (typeof WEEKDAYS)[number];
  return minutes < end && bh.days.includes(yesterday);
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** A repository or ref pattern: exact, or a trailing `*` for any rest. */
function patternMatch(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value;
}

const actorLabel = (type: string | number | null | undefined, name: string | number | null | undefined) =>
  name === null || name === undefined ? String(type ?? 'anonymous') : `${type} ${name}`;

export interface AnomalyDeps {
  store: Pick<Store, 'countAudit' | 'queryAudit' | 'getToken' | 'listTokens' | 'getAgentByName' | 'listRotationPolicies' | 'listSecrets'>;
  /** The vault's own verification: catches up with the log, then says whether it is intact. */
  monitor: {
    catchUp(): Promise<void>;
    health(): { state: 'intact' | 'broken'; problem?: { seq: number | null; message: string } | undefined };
  };
}

export interface AnomalyReport {
  since: number;
  until: number;
  verified: boolean;
  checks: { check: AnomalyCheck; ran: boolean; note: string | null }[];
  anomalies: Anomaly[];
  config: AnomalySettings;
}

/** Runs every enabled check over [since, until). */
export async function findAnomalies(deps: AnomalyDeps, since: number, until: number, settings: AnomalySettings): Promise<AnomalyReport> {
  const run = new Run(deps, since, until, settings);
  const verified = await run.all();
  const rank = (a: Anomaly) => SEVERITIES.indexOf(a.severity) * 1000 - ANOMALY_CHECKS.indexOf(a.check);
  const anomalies = run.found.sort((a, b) => rank(b) - rank(a) || b.count - a.count || (b.lastTime ?? 0) - (a.lastTime ?? 0));
  return { since, until, verified, checks: run.checks, anomalies: anomalies.slice(0, MAX_FINDINGS), config: settings };
}

class Run {
  readonly found: Anomaly[] = [];
  readonly checks: AnomalyReport['checks'] = [];
  private readonly store: AnomalyDeps['store'];
  private readonly lookbackFrom: number;
  private firstRecordTime: number | null | undefined;
  private readonly tokens = new Map<string, TokenRow | undefined>();
  private newAgents = new Set<string>();

  constructor(
    private readonly deps: AnomalyDeps,
    private readonly since: number,
    private readonly until: number,
    private readonly s: AnomalySettings,
  ) {
    this.store = deps.store;
    this.lookbackFrom = since - parseDuration(s.lookback, 'lookback') * 1000;
  }

  async all(): Promise<boolean> {
    let verified = true;
    const steps: [AnomalyCheck, () => Promise<string | null | undefined>][] = [
      [
        'chain_broken',
        async () => {
          verified = await this.chainBroken();
          return null;
        },
      ],
      ['read_volume', () => this.readVolume()],
      ['read_spike', () => this.readSpike()],
      ['denied_burst', () => this.deniedBurst()],
      ['lockout', () => this.lockouts()],
      ['off_hours_critical', () => this.offHours()],
      ['new_agent', () => this.newAgent()],
      ['unknown_address', () => this.unknownAddress()],
      ['first_read', () => this.firstRead()],
      ['widened_scope', () => this.tokenChecks('widened_scope')],
      ['long_lived_token', () => this.tokenChecks('long_lived_token')],
      ['unexpected_pipeline', () => this.unexpectedPipeline()],
      ['rotation_overdue', () => this.rotationOverdue()],
    ];
    for (const [check, step] of steps) {
      if (this.s.disable.includes(check)) {
        this.checks.push({ check, ran: false, note: 'disabled in the configuration' });
        continue;
      }
      const note = await step();
      this.checks.push({ check, ran: note === undefined || note === null || !note.startsWith('skipped'), note: note ?? null });
    }
    this.checks.sort((a, b) => ANOMALY_CHECKS.indexOf(a.check) - ANOMALY_CHECKS.indexOf(b.check));
    return verified;
  }

  private count(q: Omit<AuditCountQuery, 'limit'> & { limit?: number }) {
    return this.store.countAudit({ since: this.since, until: this.until, limit: GROUPS, ...q });
  }

  /** The newest records matching `q` in the window (the evidence shown with a finding). */
  private sample(q: AuditQuery): Promise<AuditRecord[]> {
    return this.store.queryAudit({ since: this.since, until: this.until, ...q, limit: SAMPLE, newestFirst: true });
  }

  private add(
    a: Omit<Anomaly, 'records' | 'firstTime' | 'lastTime'> & {
      records?: AuditRecord[];
      firstTime?: number | null;
      lastTime?: number | null;
    },
  ) {
    const records = a.records ?? [];
    this.found.push({
      ...a,
      records,
      firstTime: a.firstTime ?? (records.length ? Math.min(...records.map((r) => r.time)) : null),
      lastTime: a.lastTime ?? (records.length ? Math.max(...records.map((r) => r.time)) : null),
    });
  }

  /** The time of the log's first record (how much history the novelty checks can look at). */
  private async historyStart(): Promise<number | null> {
    if (this.firstRecordTime === undefined) {
      const [first] = await this.store.queryAudit({ limit: 1, newestFirst: false });
      this.firstRecordTime = first ? first.time : null;
    }
    return this.firstRecordTime;
  }

  /** Novelty needs history: at least a day of log before the window. */
  private async historyNote(): Promise<string | null> {
    const start = await this.historyStart();
    return start === null || start > this.since - DAY
      ? 'skipped: the log holds less than a day before the window, so nothing can be new yet'
      : null;
  }

  // ---- the log itself ----

  private async chainBroken(): Promise<boolean> {
    await this.deps.monitor.catchUp().catch(() => undefined);
    const health = this.deps.monitor.health();
    if (health.state === 'broken') {
      const seq = health.problem?.seq ?? null;
      this.add({
        check: 'chain_broken',
        severity: 'critical',
        title: 'The audit log fails verification',
        detail: `${seq === null ? '' : `Record ${seq}: `}${health.problem?.message ?? 'the chain does not verify'} The vault releases and changes nothing until the log is restored.`,
        action:
          'Treat the vault host as compromised: run ass audit verify to list every problem, compare with your last off-host checkpoint, restore the store from a backup, and rotate what the log can no longer vouch for.',
        subject: {},
        count: 1,
        records: seq === null ? [] : await this.store.queryAudit({ afterSeq: seq - 1, upToSeq: seq, limit: 1 }),
      });
      return false;
    }
    // The window's records again, link by link (the monitor may not have reached an edit in them yet).
    const [total] = await this.count({ groupBy: [] });
    if (!total || total.count === 0 || total.count > VERIFY_WINDOW) return true;
    const first = (await this.store.queryAudit({ since: this.since, until: this.until, limit: 1, newestFirst: false }))[0];
    if (!first) return true;
    const before =
      first.seq > 1 ? (await this.store.queryAudit({ afterSeq: first.seq - 2, upToSeq: first.seq - 1, limit: 1 }))[0] : undefined;
    const verifier = new ChainVerifier({ after: { seq: first.seq - 1, hash: before?.hash ?? first.prevHash }, maxProblems: 5 });
    const last = (await this.store.queryAudit({ since: this.since, until: this.until, limit: 1, newestFirst: true }))[0] ?? first;
    for (let after = first.seq - 1; ; ) {
      const page = await this.store.queryAudit({ afterSeq: after, upToSeq: last.seq, limit: 5000, newestFirst: false });
      for (const r of page) verifier.push(r);
      if (page.length < 5000) break;
      after = (page.at(-1) as AuditRecord).seq;
    }
    const result = verifier.finish();
    const problem = result.problems[0];
    if (!problem) return true;
    this.add({
      check: 'chain_broken',
      severity: 'critical',
      title: 'The audit log fails verification',
      detail: `${problem.message} (${result.problems.length} problem(s) among the window's records).`,
      action:
        'Run ass audit verify at once (it stops the vault releasing anything while the log is broken), compare with your last off-host checkpoint, and restore the store from a backup.',
      subject: {},
      count: result.problems.length,
      records: problem.seq === null ? [] : await this.store.queryAudit({ afterSeq: problem.seq - 1, upToSeq: problem.seq, limit: 1 }),
    });
    return false;
  }

  // ---- volume ----

  private async readVolume() {
    const hours = await this.count({ eventTypes: READ, status: 'granted', groupBy: ['slot'], slot: { from: this.since, ms: HOUR } });
    for (const h of hours) {
      if (h.count <= this.s.readsPerHour) continue;
      const from = this.since + Number(h.key.slot) * HOUR;
      const to = Math.min(from + HOUR, this.until);
      const top = await this.store.countAudit({
        since: from,
        until: to,
        eventTypes: READ,
        status: 'granted',
        groupBy: ['actorType', 'actorName'],
        limit: 3,
      });
      const who = top.map((t) => `${actorLabel(t.key.actorType, t.key.actorName)} (${t.count})`).join(', ');
      const lead = top[0];
      this.add({
        check: 'read_volume',
        severity: h.count >= 5 * this.s.readsPerHour ? 'critical' : 'warning',
        title: `${h.count} secret reads in one hour (threshold ${this.s.readsPerHour})`,
        detail: `Between ${iso(from)} and ${iso(to)} the vault released ${h.count} secret values; the busiest readers were ${who}.`,
        action:
          'Check whether the busiest reader was deployed or scaled in that hour; if not, revoke its tokens (ass tokens revoke, or ass agents revoke) and treat what it read as exposed (ass incident PATH).',
        subject: lead?.key.actorName ? { actor: String(lead.key.actorName) } : {},
        count: h.count,
        firstTime: h.firstTime,
        lastTime: h.lastTime,
        records: await this.sample({ since: from, until: to, eventTypes: READ, status: 'granted' }),
      });
    }
    return null;
  }

  private async readSpike() {
    const windowMs = this.until - this.since;
    if (windowMs > WEEK) return 'skipped: the window is longer than a week, so it has no same-hour baseline';
    const start = await this.historyStart();
    const weeks: number[] = [];
    for (let k = 1; k <= this.s.baselineWeeks; k++) if (start !== null && start <= this.since - k * WEEK) weeks.push(k);
    if (weeks.length === 0) return 'skipped: the log is younger than a week, so there is no baseline yet (read_volume still applies)';
    const key = ['actorType', 'actorName', 'slot'] as const;
    const now = await this.count({ eventTypes: READ, status: 'granted', groupBy: key, slot: { from: this.since, ms: HOUR } });
    const past = await this.store.countAudit({
      ranges: weeks.map((k) => [this.since - k * WEEK, this.until - k * WEEK] as const),
      eventTypes: READ,
      status: 'granted',
      groupBy: key,
      slot: { from: this.since - 52 * WEEK, ms: HOUR, period: WEEK },
      limit: GROUPS * 4,
    });
    const baseline = new Map(past.map((p) => [`${p.key.actorType}\n${p.key.actorName}\n${p.key.slot}`, p.count]));
    for (const h of now) {
      const mean = (baseline.get(`${h.key.actorType}\n${h.key.actorName}\n${h.key.slot}`) ?? 0) / weeks.length;
      if (h.count < this.s.spikeMinimum || h.count <= this.s.spikeFactor * mean) continue;
      const from = this.since + Number(h.key.slot) * HOUR;
      const to = Math.min(from + HOUR, this.until);
      const who = actorLabel(h.key.actorType, h.key.actorName);
      this.add({
        check: 'read_spike',
        severity: h.count >= 10 * Math.max(mean, 1) && h.count > this.s.readsPerHour ? 'critical' : 'warning',
        title: `${who} read ${h.count} secrets in an hour; the same hour of the past ${weeks.length} week(s) averaged ${round(mean)}`,
        detail: `Between ${iso(from)} and ${iso(to)}, ${who} read ${h.count} secret values, ${mean === 0 ? 'where it read none' : `${round(h.count / mean)}× its mean`} in the same hour of the past ${weeks.length} week(s).`,
        action: `Confirm with the owner of ${who} that a change explains it; otherwise revoke its tokens and run ass incident on what it read.`,
        subject: { actor: String(h.key.actorName ?? h.key.actorType) },
        count: h.count,
        firstTime: h.firstTime,
        lastTime: h.lastTime,
        records: await this.sample({ since: from, until: to, eventTypes: READ, status: 'granted', ...actorFilter(h.key) }),
      });
    }
    return null;
  }

  private async deniedBurst() {
    const byIp = await this.count({ status: 'denied', groupBy: ['slot', 'ip'], slot: { from: this.since, ms: HOUR } });
    const byActor = await this.count({
      status: 'denied',
      groupBy: ['slot', 'actorType', 'actorName'],
      slot: { from: this.since, ms: HOUR },
    });
    const severity = (n: number): Severity => (n >= 5 * this.s.deniedPerHour ? 'critical' : 'warning');
    for (const h of byIp) {
      if (h.count <= this.s.deniedPerHour || h.key.ip === null) continue;
      const from = this.since + Number(h.key.slot) * HOUR;
      const to = Math.min(from + HOUR, this.until);
      const ip = String(h.key.ip);
      const codes = await this.store.countAudit({ since: from, until: to, status: 'denied', ip, groupBy: ['event'], limit: 3 });
      this.add({
        check: 'denied_burst',
        severity: severity(h.count),
        title: `${h.count} refused requests from ${ip} in an hour (threshold ${this.s.deniedPerHour})`,
        detail: `Between ${iso(from)} and ${iso(to)} the vault refused ${h.count} requests from ${ip} (${codes.map((c) => `${c.key.event} ${c.count}`).join(', ')}): someone may be probing for secrets or guessing credentials.`,
        action: `Find what runs at ${ip}; if it is not yours, block it at the network edge and check ass lockouts list. If it is yours, fix the scopes it asks for.`,
        subject: { ip },
        count: h.count,
        firstTime: h.firstTime,
        lastTime: h.lastTime,
        records: await this.sample({ since: from, until: to, status: 'denied', ip }),
      });
    }
    for (const h of byActor) {
      if (h.count <= this.s.deniedPerHour || h.key.actorName === null) continue;
      const from = this.since + Number(h.key.slot) * HOUR;
      const to = Math.min(from + HOUR, this.until);
      const who = actorLabel(h.key.actorType, h.key.actorName);
      this.add({
        check: 'denied_burst',
        severity: severity(h.count),
        title: `${h.count} refused requests by ${who} in an hour (threshold ${this.s.deniedPerHour})`,
        detail: `Between ${iso(from)} and ${iso(to)} the vault refused ${h.count} requests made with ${who}'s credentials: it is reaching beyond its scopes.`,
        action: `Ask the owner of ${who} what it was trying to read; if nobody knows, revoke its credentials (ass agents revoke / ass tokens revoke).`,
        subject: { actor: String(h.key.actorName) },
        count: h.count,
        firstTime: h.firstTime,
        lastTime: h.lastTime,
        records: await this.sample({ since: from, until: to, status: 'denied', ...actorFilter(h.key) }),
      });
    }
    return null;
  }

  private async lockouts() {
    const rows = await this.count({ eventTypes: ['auth.lockout'], groupBy: ['ip'] });
    for (const r of rows) {
      const ip = r.key.ip === null ? undefined : String(r.key.ip);
      this.add({
        check: 'lockout',
        severity: 'warning',
        title: `${r.count} lockout(s)${ip ? ` from ${ip}` : ''}: repeated failed sign-ins`,
        detail: `The vault locked out a credential or address after repeated failures${ip ? ` from ${ip}` : ''}, ${r.count} time(s) in the window.`,
        action: 'ass lockouts list shows what is locked; find out who was guessing before you clear it (ass lockouts clear).',
        subject: ip ? { ip } : {},
        count: r.count,
        firstTime: r.firstTime,
        lastTime: r.lastTime,
        records: await this.sample({ eventTypes: ['auth.lockout'], ...(ip ? { ip } : {}) }),
      });
    }
    return null;
  }

  // ---- when and where ----

  private async offHours() {
    const bh = this.s.businessHours;
    const format = zoneFormat(bh.timeZone);
    const minutes = await this.count({
      eventTypes: CRITICAL_ACCESS,
      status: 'granted',
      tiers: ['critical'],
      groupBy: ['slot', 'actorType', 'actorName'],
      slot: { from: 0, ms: MINUTE },
    });
    const byActor = new Map<
      string,
      { key: (typeof minutes)[number]['key']; count: number; ranges: [number, number][]; first: number; last: number }
    >();
    for (const m of minutes) {
      const at = Number(m.key.slot) * MINUTE;
      if (inBusinessHours(at, bh, format)) continue;
      const id = `${m.key.actorType}\n${m.key.actorName}`;
      const e = byActor.get(id) ?? { key: m.key, count: 0, ranges: [], first: m.firstTime, last: m.lastTime };
      e.count += m.count;
      e.ranges.push([at, at + MINUTE]);
      e.first = Math.min(e.first, m.firstTime);
      e.last = Math.max(e.last, m.lastTime);
      byActor.set(id, e);
    }
    const hours = `${bh.days.join(',')} ${bh.start}-${bh.end} ${bh.timeZone}`;
    for (const e of byActor.values()) {
      const who = actorLabel(e.key.actorType, e.key.actorName);
      const records = await this.sample({
        ranges: e.ranges.slice(-50),
        eventTypes: CRITICAL_ACCESS,
        status: 'granted',
        tiers: ['critical'],
        ...actorFilter(e.key),
      });
      const paths = [...new Set(records.map((r) => r.path).filter((p): p is string => p !== null))];
      this.add({
        check: 'off_hours_critical',
        severity: 'warning',
        title: `${who} used critical secrets ${e.count} time(s) outside business hours`,
        detail: `Outside ${hours}, ${who} used critical-tier secrets (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', ...' : ''}).`,
        action: `Check that a scheduled job or an on-call engineer explains it; if not, revoke ${who}'s tokens and run ass incident on each path.`,
        subject: {
          actor: String(e.key.actorName ?? e.key.actorType),
          tier: 'critical',
          ...(paths.length === 1 ? { path: paths[0] as string } : {}),
        },
        count: e.count,
        firstTime: e.first,
        lastTime: e.last,
        records,
      });
    }
    return null;
  }

  private async unknownAddress() {
    const ranges: Cidr[] = this.s.knownRanges.map((r) => parseCidr(r, 'config.knownRanges entry'));
    let note: string | null = null;
    if (ranges.length === 0) {
      note = await this.historyNote();
      if (note) return note;
    }
    const window = await this.count({ groupBy: ['ip'] });
    let candidates = window.filter((w) => w.key.ip !== null && (ranges.length === 0 || !addressAllowed(String(w.key.ip), ranges)));
    if (ranges.length === 0 && candidates.length > 0) {
      const seen = new Set(
        (await this.store.countAudit({ since: this.lookbackFrom, until: this.since, groupBy: ['ip'], limit: GROUPS * 10 })).map(
          (r) => r.key.ip,
        ),
      );
      candidates = candidates.filter((c) => !seen.has(c.key.ip));
      note = `no known ranges configured: an address is new when the log holds no request from it in the ${this.s.lookback} before the window`;
    }
    for (const c of candidates) {
      const ip = String(c.key.ip);
      const reads = await this.store.countAudit({
        since: this.since,
        until: this.until,
        ip,
        status: 'granted',
        eventTypes: READ,
        groupBy: ['tier'],
        limit: 5,
      });
      const readCount = reads.reduce((n, r) => n + r.count, 0);
      const critical = reads.some((r) => r.key.tier === 'critical');
      const sensitive = critical || reads.some((r) => r.key.tier === 'sensitive');
      const severity: Severity = ranges.length ? (critical ? 'critical' : 'warning') : sensitive ? 'warning' : 'info';
      this.add({
        check: 'unknown_address',
        severity,
        title: `${c.count} request(s) from ${ranges.length ? 'an address outside the known ranges' : 'a new address'}: ${ip}`,
        detail: `${ip} ${ranges.length ? `is outside ${this.s.knownRanges.join(', ')}` : `sent no request in the ${this.s.lookback} before the window`}; it made ${c.count} request(s), ${readCount} of them secret reads${critical ? ' (critical tier among them)' : ''}.`,
        action: `Find what runs at ${ip}. If it is not yours, revoke the credentials it used (the records name them) and run ass incident on what it read; if it is, add its range to knownRanges.`,
        subject: { ip },
        count: c.count,
        firstTime: c.firstTime,
        lastTime: c.lastTime,
        records: await this.sample({ ip }),
      });
    }
    return note;
  }

  // ---- who reads what ----

  private async firstRead() {
    const note = await this.historyNote();
    if (note) return note;
    const key = ['actorType', 'actorName', 'path', 'tier'] as const;
    const window = await this.count({ eventTypes: READ, status: 'granted', groupBy: key });
    const paths = [...new Set(window.map((w) => w.key.path).filter((p) => p !== null))];
    if (paths.length === 0) return null;
    const seen = new Set<string>();
    const id = (k: (typeof window)[number]['key']) => `${k.actorType}\n${k.actorName}\n${k.path}`;
    // The earlier reads of the same paths, in chunks (one grouped count each).
    for (let i = 0; i < paths.length; i += 200) {
      const chunk = paths.slice(i, i + 200) as string[];
      for (const p of chunk) {
        const rows = await this.store.countAudit({
          since: this.lookbackFrom,
          until: this.since,
          eventTypes: READ,
          status: 'granted',
          resourcePath: p,
          groupBy: ['actorType', 'actorName', 'path'],
          limit: GROUPS,
        });
        for (const r of rows) seen.add(id(r.key));
      }
    }
    for (const w of window) {
      if (seen.has(id(w.key))) continue;
      // A new agent's first reads belong to its new_agent finding.
      if (w.key.actorName !== null && this.newAgents.has(String(w.key.actorName))) continue;
      const who = actorLabel(w.key.actorType, w.key.actorName);
      const path = String(w.key.path);
      const tier = w.key.tier === null ? undefined : String(w.key.tier);
      this.add({
        check: 'first_read',
        severity: tier === 'critical' ? 'warning' : 'info',
        title: `${who} read ${path} for the first time`,
        detail: `${who} read ${path}${tier ? ` (${tier} tier)` : ''} ${w.count} time(s); it had not read it in the ${this.s.lookback} before the window.`,
        action: `Confirm that ${who} is meant to use ${path} (a new feature or deployment); if not, narrow its scopes and run ass incident ${path}.`,
        subject: { actor: String(w.key.actorName ?? w.key.actorType), path, ...(tier ? { tier } : {}) },
        count: w.count,
        firstTime: w.firstTime,
        lastTime: w.lastTime,
        records: await this.sample({ eventTypes: READ, status: 'granted', resourcePath: path, ...actorFilter(w.key) }),
      });
    }
    return null;
  }

  private async newAgent() {
    const all = await this.store.queryAudit({
      since: this.since,
      until: this.until,
      eventTypes: ['agent.create'],
      status: 'granted',
      limit: 1000,
      newestFirst: true,
    });
    for (const r of all) {
      const name = /^agent ([a-z0-9][a-z0-9._-]*) created/.exec(r.reason ?? '')?.[1];
      if (!name) continue;
      this.newAgents.add(name);
      const reads = await this.store.countAudit({
        since: this.since,
        until: this.until,
        agent: name,
        eventTypes: READ,
        status: 'granted',
        groupBy: ['path'],
        limit: 20,
      });
      const read = reads.map((x) => x.key.path).filter(Boolean) as string[];
      this.add({
        check: 'new_agent',
        severity: 'warning',
        title: `New agent ${name}, created by ${actorLabel(r.actorType, r.actorName)}`,
        detail: `${(r.reason ?? '').slice(0, 400)}.${read.length ? ` It has read ${read.slice(0, 5).join(', ')}${read.length > 5 ? ', ...' : ''}.` : ''}`,
        action: `Confirm the agent was meant to exist and that its scopes are the narrowest it needs (ass agents list); if not, ass agents revoke ${name}.`,
        subject: { agent: name },
        count: 1,
        records: [r],
      });
    }
    return null;
  }

  private async token(id: string): Promise<TokenRow | undefined> {
    if (!this.tokens.has(id)) this.tokens.set(id, await this.store.getToken(id));
    return this.tokens.get(id);
  }

  private issued: { record: AuditRecord; token: TokenRow }[] | undefined;

  /** Tokens issued or exchanged in the window (from the records that issued them). */
  private async issuedTokens() {
    if (!this.issued) {
      this.issued = [];
      const records = await this.store.queryAudit({
        since: this.since,
        until: this.until,
        eventTypes: ['token.issue', 'token.exchange', 'approval.collect'],
        status: 'granted',
        limit: 5000,
        newestFirst: true,
      });
      for (const r of records) {
        const id = /\btoken ([A-Za-z0-9]{16}) issued/.exec(r.reason ?? '')?.[1];
        const token = id ? await this.token(id) : undefined;
        if (token) this.issued.push({ record: r, token });
      }
    }
    return this.issued;
  }

  private criticalPaths: string[] | undefined;

  private async tokenChecks(check: 'widened_scope' | 'long_lived_token') {
    const issued = await this.issuedTokens();
    if (check === 'long_lived_token') {
      this.criticalPaths ??= (await this.store.listSecrets('', false, 100_000)).filter((s) => s.tier === 'critical').map((s) => s.path);
      const max = parseDuration(this.s.maxCriticalTokenTtl, 'maxCriticalTokenTtl') * 1000;
      for (const { record, token } of issued) {
        const scopes = parseScopesCached(token.scopes);
        const reached = (this.criticalPaths ?? []).filter((p) => scopesCoverPath(scopes, p));
        if (reached.length === 0) continue;
        const ttl = token.expiresAt - token.createdAt;
        const long = ttl > max;
        // Pipeline tokens are bound to one run and expire with it; only their lifetime matters.
        const unlimited = token.maxUses === null && token.kind !== 'pipeline';
        if (!long && !unlimited) continue;
        const why = [
          long ? `lives ${formatDuration(Math.round(ttl / 1000))} (more than ${this.s.maxCriticalTokenTtl})` : '',
          unlimited ? 'has no use limit' : '',
        ]
          .filter(Boolean)
          .join(' and ');
        this.add({
          check,
          severity: long && unlimited && ttl > DAY ? 'critical' : 'warning',
          title: `Token ${token.id} for critical secrets ${why}`,
          detail: `${actorLabel(record.actorType, record.actorName)} got token ${token.id} (scopes ${token.scopes.join(' ')}) reaching ${reached.slice(0, 5).join(', ')}${reached.length > 5 ? ', ...' : ''}; it ${why}. Critical secrets should be read with short-lived, use-limited tokens.`,
          action: `Revoke it if it is not needed any more (ass tokens revoke ${token.id}) and issue critical tokens with --ttl ${this.s.maxCriticalTokenTtl} --max-uses N.`,
          subject: { tokenId: token.id, ...(record.agent ? { agent: record.agent } : {}), tier: 'critical' },
          count: 1,
          records: [record],
        });
      }
      return null;
    }
    const note = await this.historyNote();
    if (note) return note;
    const earlier = new Map<string, Scope[]>();
    for (const { record, token } of issued) {
      if (!earlier.has(token.agentId)) {
        const before = (await this.store.listTokens({ agentId: token.agentId })).filter(
          (t) => t.createdAt >= this.lookbackFrom && t.createdAt < this.since,
        );
        earlier.set(
          token.agentId,
          before.flatMap((t) => parseScopesCached(t.scopes)),
        );
      }
      const had = earlier.get(token.agentId) ?? [];
      if (had.length === 0) continue; // no earlier token to compare with (first_read and new_agent speak for it)
      const scopes = parseScopesCached(token.scopes);
      const wider = scopes.filter((s) => !had.some((h) => scopeWithin(s, h)));
      if (wider.length === 0) continue;
      const text = formatScopes(wider);
      this.add({
        check,
        severity: 'warning',
        title: `${actorLabel(record.actorType, record.actorName)} got a token with wider scopes than before: ${text.join(' ')}`,
        detail: `Token ${token.id} holds ${text.join(', ')}, which no token of the same agent held in the ${this.s.lookback} before the window.`,
        action: `Check why ${record.agent ?? 'the agent'} needs the wider scope; if nobody asked for it, revoke the token (ass tokens revoke ${token.id}) and narrow the agent's scopes.`,
        subject: { tokenId: token.id, ...(record.agent ? { agent: record.agent } : {}) },
        count: 1,
        records: [record],
      });
    }
    return null;
  }

  // ---- pipelines ----

  private async unexpectedPipeline() {
    const { repositories, refs } = this.s.pipelines;
    const configured = repositories.length > 0 || refs.length > 0;
    if (!configured) {
      const note = await this.historyNote();
      if (note) return note;
    }
    const group = (rows: Awaited<ReturnType<Store['countAudit']>>) => {
      const out = new Map<string, { repository: string; ref: string; count: number; first: number; last: number }>();
      for (const r of rows) {
        let claims: Record<string, unknown> = {};
        try {
          claims = typeof r.key.claims === 'string' ? (JSON.parse(r.key.claims) as Record<string, unknown>) : {};
        } catch {}
        const repository = String(claims.repository ?? claims.project_path ?? '');
        if (!repository) continue;
        const ref = String(claims.ref ?? '');
        const k = `${repository}\n${ref}`;
        const e = out.get(k) ?? { repository, ref, count: 0, first: r.firstTime, last: r.lastTime };
        e.count += r.count;
        e.first = Math.min(e.first, r.firstTime);
        e.last = Math.max(e.last, r.lastTime);
        out.set(k, e);
      }
      return out;
    };
    const now = group(await this.count({ actorType: 'pipeline', eventTypes: READ, status: 'granted', groupBy: ['claims'] }));
    let knownRepos: Set<string> | undefined;
    let knownRefs: Set<string> | undefined;
    if (!configured) {
      const before = group(
        await this.store.countAudit({
          since: this.lookbackFrom,
          until: this.since,
          actorType: 'pipeline',
          eventTypes: READ,
          status: 'granted',
          groupBy: ['claims'],
          limit: GROUPS * 10,
        }),
      );
      knownRepos = new Set([...before.values()].map((b) => b.repository));
      knownRefs = new Set([...before.values()].map((b) => `${b.repository}\n${b.ref}`));
    }
    for (const e of now.values()) {
      let why: string | undefined;
      let severity: Severity = 'warning';
      if (configured) {
        if (repositories.length && !repositories.some((p) => patternMatch(p, e.repository))) {
          why = `the repository ${e.repository} is not among the expected ones (${repositories.join(', ')})`;
          severity = 'critical';
        } else if (refs.length && !refs.some((p) => patternMatch(p, e.ref))) {
          why = `the ref ${e.ref || '(none)'} is not among the expected ones (${refs.join(', ')})`;
        }
      } else if (!knownRepos?.has(e.repository)) {
        why = `no pipeline of ${e.repository} read a secret in the ${this.s.lookback} before the window`;
      } else if (!knownRefs?.has(`${e.repository}\n${e.ref}`)) {
        why = `no pipeline on ${e.ref || '(no ref)'} of ${e.repository} read a secret in the ${this.s.lookback} before the window`;
        severity = 'info';
      }
      if (!why) continue;
      const records = (
        await this.store.queryAudit({
          since: this.since,
          until: this.until,
          actorType: 'pipeline',
          eventTypes: READ,
          status: 'granted',
          limit: 500,
        })
      )
        .filter((r) => (r.claims?.repository ?? r.claims?.project_path) === e.repository && (r.claims?.ref ?? '') === e.ref)
        .slice(0, SAMPLE);
      this.add({
        check: 'unexpected_pipeline',
        severity,
        title: `Pipeline reads from ${e.repository}${e.ref ? ` at ${e.ref}` : ''}: ${configured ? 'not expected' : 'new'}`,
        detail: `${e.count} secret read(s) by pipelines of ${e.repository}${e.ref ? ` at ${e.ref}` : ''}; ${why}.`,
        action:
          'Check the workflow runs the records link to. If they are not yours, revoke the agent the trust policy belongs to and pin its bound claims (repository, ref, environment) tighter; if they are, add them to pipelines in the configuration.',
        subject: { repository: e.repository, ...(e.ref ? { ref: e.ref } : {}) },
        count: e.count,
        firstTime: e.first,
        lastTime: e.last,
        records,
      });
    }
    return configured
      ? null
      : 'no pipelines configured: a repository or ref is unexpected when none of its pipelines read a secret in the lookback';
  }

  // ---- rotation ----

  private async rotationOverdue() {
    for (const o of await overdueRotations(this.store, this.until)) {
      this.add({
        check: 'rotation_overdue',
        severity: o.tier === 'critical' ? 'critical' : 'warning',
        title: `Rotation of ${o.path} is overdue by ${formatDuration(o.overdueSeconds)}`,
        detail: `${o.path} (${o.tier} tier, rotator ${o.rotator}) should have been rotated ${formatDuration(o.overdueSeconds)} ago.`,
        action: `Run ass rotate ${o.path} (or check why the scheduled rotation fails: ass rotation list, and the rotate action's logs).`,
        subject: { path: o.path, tier: o.tier },
        count: 1,
        records: await this.store.queryAudit({
          resourcePath: o.path,
          eventTypes: ['rotation.finish', 'rotation.abort', 'secret.write'],
          limit: 3,
          newestFirst: true,
        }),
      });
    }
    return null;
  }
}

/** What is overdue now, from the policies (an overdue rotation leaves no record), most overdue first. */
export async function overdueRotations(store: Pick<Store, 'listRotationPolicies' | 'listSecrets'>, now: number) {
  const policies = await store.listRotationPolicies();
  const overdue: { path: string; tier: string; rotator: string; overdueSeconds: number }[] = [];
  if (policies.length === 0) return overdue;
  for (const s of await store.listSecrets('', false, 100_000)) {
    const policy = policyFor(s.path, policies);
    if (!policy?.enabled) continue;
    const due = dueStatus({ type: s.type, tier: s.tier, currentSince: s.updatedAt }, policy, now);
    if (due.due) overdue.push({ path: s.path, tier: s.tier, rotator: policy.rotator, overdueSeconds: due.overdueSeconds });
  }
  return overdue.sort((a, b) => b.overdueSeconds - a.overdueSeconds);
}

function actorFilter(key: { actorType?: string | number | null; actorName?: string | number | null }): AuditQuery {
  return {
    ...(key.actorType !== null && key.actorType !== undefined ? { actorType: String(key.actorType) } : {}),
    ...(key.actorName !== null && key.actorName !== undefined ? { actorName: String(key.actorName) } : {}),
  };
}

const iso = (t: number) => new Date(t).toISOString();
const round = (n: number) => Math.round(n * 10) / 10;
