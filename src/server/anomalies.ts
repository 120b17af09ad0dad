/**
 * The anomaly checks over the audit log (POST /v1/audit/anomalies, `ass audit anomalies`, the
 * audit action). Every count is the store's (GROUP BY over the time index); only the records that
 * triggered a finding are read whole. Each check is documented in docs/anomalies.md.
 */
import type { z } from 'zod';
import type { AnomalyConfigInput } from '../api/anomaly-config.js';
import type { AnomalyCheck, Anomaly as AnomalySchema, Severity } from '../api/schemas.js';
import { ANOMALY_CHECKS, MAX_SPAN_DAYS, SEVERITIES } from '../api/schemas.js';
import { type AuditRecord, ChainVerifier } from '../core/audit-chain.js';
import { addressAllowed, type Cidr, parseCidr } from '../core/cidr.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { AppError } from '../core/errors.js';
import { TIERS } from '../core/model.js';
import { dueStatus, policyFor } from '../core/rotation-schedule.js';
import { formatScopes, parseScopesCached, type Scope, scopesCoverPath, scopeWithin, secretScopes } from '../core/scopes.js';
import type { AuditCountQuery, AuditCountRow, AuditQuery, Store, TokenRow } from '../store/types.js';
import { ROTATOR_AGENT, TOKEN_TTL_SECONDS as RUNNER_TOKEN_TTL_SECONDS } from './rotation-runner.js';

type Anomaly = Omit<z.output<ReturnType<typeof AnomalySchema>>, 'records' | 'firstTime' | 'lastTime'> & {
  records: AuditRecord[];
  firstTime: number | null;
  lastTime: number | null;
};

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** The store counts bursts in slots this long; an hour is any twelve consecutive ones. */
const SLOT = 5 * MINUTE;
const SLOTS_PER_HOUR = HOUR / SLOT;
/** Records shown with each finding. */
const SAMPLE = 10;
/** Groups read from one count (the busiest first); more are not looked at. */
const GROUPS = 10_000;
/** Token issues looked at in one window, the newest first. */
const ISSUED = 5000;
/** Findings in one report, most severe first. */
const MAX_FINDINGS = 200;
/** The records a report stands on are re-verified when there are at most this many. */
const VERIFY_SPAN = 100_000;

const READ = ['secret.read'];
const LOOPBACK = [parseCidr('127.0.0.0/8'), parseCidr('::1/128')];

/**
 * The vault's own rotation runner (`ass server --rotate`): a token the vault mints for each pass,
 * which reads a secret within its rotation (the replaced value once more to retire it when its grace
 * ends, the current one for a rotator that derives the next from it) whenever the schedule says,
 * day or night. Its reads are the vault's schedule, not someone's access. The name alone is not the
 * runner: an admin may make the agent `vault-rotator` (and is shown its key), so only the tokens the
 * server issued itself (see `Run.runnerTokens`) are left out, never the agent's other tokens.
 */
const runnerNamed = (key: { actorType?: string | number | null; actorName?: string | number | null }) =>
  key.actorType === 'token' && key.actorName === ROTATOR_AGENT;
/** A runner's token is used at most this long after its issue. */
const RUNNER_TOKEN_MS = RUNNER_TOKEN_TTL_SECONDS * 1000;
const CRITICAL_ACCESS = ['secret.read', 'secret.write', 'secret.delete', 'secret.metadata', 'approval.collect'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Tiers, least sensitive first. */
const TIER_ORDER: readonly string[] = TIERS;

export interface AnomalySettings {
  readsPerHour: number;
  spikeFactor: number;
  spikeMinimum: number;
  baselineWeeks: number;
  deniedPerHour: number;
  businessHours: { days: (typeof WEEKDAYS)[number][]; start: string; end: string; timeZone: string };
  offHoursHabit: number;
  checkPipelineAddresses: boolean;
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
    offHoursHabit: input.offHoursHabit ?? 4,
    checkPipelineAddresses: input.checkPipelineAddresses ?? false,
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
  if (parseDuration(s.lookback, 'config.lookback') > MAX_SPAN_DAYS * 86_400) {
    throw new AppError(
      'invalid_input',
      `config.lookback is longer than ${MAX_SPAN_DAYS}d, the farthest the checks look back; give ${MAX_SPAN_DAYS}d or less (30d by default).`,
    );
  }
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

/**
 * The stretches of [from, to) outside business hours, as [start, end) ranges, oldest first.
 * Whether a moment is in business hours changes only at the configured times and at local
 * midnight, and every zone's offset (and each change of it) is a whole number of quarter hours;
 * so the answer holds across each step of 15 minutes (5 or 1 when the configured times are not
 * on quarter hours), and one look per step finds every change.
 */
export function offHoursRanges(from: number, to: number, bh: AnomalySettings['businessHours']): [number, number][] {
  const format = zoneFormat(bh.timeZone);
  const times = [minutesOf(bh.start), minutesOf(bh.end)];
  const step = (times.every((m) => m % 15 === 0) ? 15 : times.every((m) => m % 5 === 0) ? 5 : 1) * MINUTE;
  const out: [number, number][] = [];
  for (let t = Math.floor(from / step) * step; t < to; t += step) {
    if (inBusinessHours(t, bh, format)) continue;
    const start = Math.max(t, from);
    const end = Math.min(t + step, to);
    const last = out.at(-1);
    if (last && last[1] === start) last[1] = end;
    else out.push([start, end]);
  }
  return out;
}

/** A time as the configured zone shows it (`Tue 03:10`), for the text of a finding. */
function localTime(time: number, timeZone: string): string {
  const parts = Object.fromEntries(
    zoneFormat(timeZone)
      .formatToParts(time)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${String(Number(parts.hour) % 24).padStart(2, '0')}:${parts.minute}`;
}

/** A repository or ref pattern: exact, or a trailing `*` for any rest. */
function patternMatch(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value;
}

/**
 * Who an audit record names, for a reader: an agent's key and its tokens are the agent
 * (`agent billing`), a pipeline token its agent's pipeline (`pipeline deploy`), a person a user.
 */
const actorLabel = (type: string | number | null | undefined, name: string | number | null | undefined) => {
  if (name === null || name === undefined) return String(type ?? 'anonymous');
  return `${type === 'token' ? 'agent' : String(type)} ${name}`;
};

export interface AnomalyDeps {
  store: Pick<Store, 'countAudit' | 'queryAudit' | 'listTokens' | 'getAgentByName' | 'listRotationPolicies' | 'listSecrets'>;
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
  // Nothing is older than the log's first record: the window and the lookback start there at the earliest.
  const first = (await deps.store.queryAudit({ limit: 1, newestFirst: false }))[0]?.time ?? null;
  const run = new Run(deps, first === null ? since : Math.max(since, Math.min(first, until)), until, settings, first);
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
  private newAgents = new Set<string>();
  /** The hours read_volume reported, with their busiest readers (read_spike leaves those to it). */
  private readonly volume: { from: number; to: number; readers: Set<string> }[] = [];
  /** What chain_broken re-verified. */
  private chainNote: string | null = null;

  constructor(
    private readonly deps: AnomalyDeps,
    private readonly since: number,
    private readonly until: number,
    private readonly s: AnomalySettings,
    firstRecordTime: number | null,
  ) {
    this.store = deps.store;
    this.firstRecordTime = firstRecordTime;
    this.lookbackFrom = Math.max(since - parseDuration(s.lookback, 'lookback') * 1000, firstRecordTime ?? since);
  }

  async all(): Promise<boolean> {
    let verified = true;
    const steps: [AnomalyCheck, () => Promise<string | null | undefined>][] = [
      [
        'chain_broken',
        async () => {
          verified = await this.chainBroken();
          return this.chainNote;
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

  /**
   * Which of `ids` (tokens of the agent vault-rotator used in the window) the server issued itself
   * for a rotation pass: its `token.issue` records are the operator's, which no request can write.
   */
  private async runnerTokens(ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.store.countAudit({
        since: this.since - RUNNER_TOKEN_MS,
        until: this.until,
        eventTypes: ['token.issue'],
        status: 'granted',
        actorType: 'operator',
        agent: ROTATOR_AGENT,
        tokenIds: chunk,
        groupBy: ['tokenId'],
        limit: chunk.length,
      });
      for (const r of rows) if (r.key.tokenId !== null && r.key.tokenId !== undefined) out.add(String(r.key.tokenId));
    }
    return out;
  }

  /**
   * A count of the window (`q`, grouped by the actor among other keys) without the records of the
   * rotation runner's own tokens: a group of the agent vault-rotator is counted again by token, and
   * what its other tokens did stays in.
   */
  private async countWithoutRunner(q: Omit<AuditCountQuery, 'limit'>): Promise<AuditCountRow[]> {
    const groups = await this.count(q);
    if (!groups.some((g) => runnerNamed(g.key))) return groups;
    const byToken = await this.count({ ...q, actorType: 'token', actorName: ROTATOR_AGENT, groupBy: [...q.groupBy, 'tokenId'] });
    const runner = await this.runnerTokens([...new Set(byToken.map((r) => String(r.key.tokenId ?? '')).filter(Boolean))]);
    const rest = new Map<string, AuditCountRow>();
    for (const r of byToken) {
      if (runner.has(String(r.key.tokenId ?? ''))) continue;
      const key = Object.fromEntries(q.groupBy.map((k) => [k, r.key[k] ?? null])) as AuditCountRow['key'];
      const id = JSON.stringify(q.groupBy.map((k) => key[k]));
      const e = rest.get(id);
      if (!e) rest.set(id, { key, count: r.count, firstTime: r.firstTime, lastTime: r.lastTime });
      else {
        e.count += r.count;
        e.firstTime = Math.min(e.firstTime, r.firstTime);
        e.lastTime = Math.max(e.lastTime, r.lastTime);
      }
    }
    return [...groups.filter((g) => !runnerNamed(g.key)), ...rest.values()].sort((a, b) => b.count - a.count);
  }

  /** The newest records matching `q` in the window (the evidence shown with a finding). */
  private sample(q: AuditQuery): Promise<AuditRecord[]> {
    return this.store.queryAudit({ since: this.since, until: this.until, ...q, limit: SAMPLE, newestFirst: true });
  }

  /**
   * The hours of the window in which more than `threshold` records match `q`: the store counts them
   * in 5-minute slots, and each hour is any twelve consecutive slots, so a burst that straddles the
   * hour is counted whole. Each run of such hours is one episode, given by its busiest hour (from
   * its first record). Oldest first.
   */
  private async busyHours(q: Omit<AuditCountQuery, 'limit' | 'groupBy' | 'slot'>, threshold: number) {
    const from = this.hoursFrom;
    const n = Math.max(1, Math.ceil((this.until - from) / SLOT));
    const rows = await this.count({ ...q, since: from, groupBy: ['slot'], slot: { from, ms: SLOT }, limit: n });
    const counts = new Array<number>(n).fill(0);
    const first = new Array<number>(n).fill(0);
    const last = new Array<number>(n).fill(0);
    for (const r of rows) {
      const i = Number(r.key.slot);
      if (i < 0 || i >= n) continue;
      counts[i] = r.count;
      first[i] = r.firstTime;
      last[i] = r.lastTime;
    }
    const episodes: { from: number; to: number; count: number; firstTime: number; lastTime: number }[] = [];
    let peak: { start: number; count: number } | undefined;
    let sum = counts.slice(0, SLOTS_PER_HOUR).reduce((a, b) => a + b, 0);
    for (let i = 0; i <= n; i++) {
      const above = i < n && sum > threshold;
      if (above && (!peak || sum > peak.count)) peak = { start: i, count: sum };
      if (!above && peak) {
        // The busiest hour, from its first record (the same count: the slots it skips are empty).
        const start = peak.start;
        const slots = Array.from({ length: SLOTS_PER_HOUR }, (_, k) => start + k).filter((k) => k < n && (counts[k] ?? 0) > 0);
        const from = first[slots[0] as number] as number;
        episodes.push({
          from,
          to: Math.min(from + HOUR, this.until),
          count: peak.count,
          firstTime: from,
          lastTime: Math.max(...slots.map((k) => last[k] as number)),
        });
        peak = undefined;
      }
      if (i < n) sum += (counts[i + SLOTS_PER_HOUR] ?? 0) - (counts[i] ?? 0);
    }
    // An episode with nothing in the window was a report's before this one.
    return episodes.filter((e) => e.lastTime >= this.since);
  }

  /**
   * Where the hourly counts (read_volume, denied_burst) start: an hour before the window's first
   * five minutes, so every hour that ends in the window is counted whole. A report every 15 minutes,
   * each window starting where the last ended (the audit action), would otherwise count no more
   * than 15 minutes as "an hour", and a burst read evenly through the hour at three times the
   * threshold would never be reported.
   */
  private get hoursFrom(): number {
    return this.since - (HOUR - SLOT);
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

  /** The lookback in two parts, the most recent `recent` of it first (empty parts left out). */
  private recentFirst(recent: number): [number, number][] {
    const cut = Math.max(this.lookbackFrom, this.since - recent);
    return (
      [
        [cut, this.since],
        [this.lookbackFrom, cut],
      ] as [number, number][]
    ).filter(([a, b]) => a < b);
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
    // The records the report stands on, link by link: the window and the lookback its baselines
    // read (the monitor verifies each record once as it arrives; an edit made since, behind the
    // vault's back, is found here rather than at the monitor's next full sweep).
    const spans = [Math.min(this.lookbackFrom, this.since - this.s.baselineWeeks * WEEK), this.since];
    let from = this.since;
    let total = 0;
    for (const f of spans) {
      total = (await this.store.countAudit({ since: f, until: this.until, groupBy: [], limit: 1 }))[0]?.count ?? 0;
      from = f;
      if (total <= VERIFY_SPAN) break;
    }
    if (total === 0) return true;
    if (total > VERIFY_SPAN) {
      this.chainNote = `the window holds ${total} records, more than the ${VERIFY_SPAN} re-verified here: only the vault's own verification (the monitor) vouches for them`;
      return true;
    }
    const first = (await this.store.queryAudit({ since: from, until: this.until, limit: 1, newestFirst: false }))[0];
    if (!first) return true;
    this.chainNote = `re-verified ${total} records since ${iso(from)}${from < this.since ? ' (the window and the lookback its baselines read)' : ' (the window)'}`;
    const before =
      first.seq > 1 ? (await this.store.queryAudit({ afterSeq: first.seq - 2, upToSeq: first.seq - 1, limit: 1 }))[0] : undefined;
    const verifier = new ChainVerifier({ after: { seq: first.seq - 1, hash: before?.hash ?? first.prevHash }, maxProblems: 5 });
    const last = (await this.store.queryAudit({ since: from, until: this.until, limit: 1, newestFirst: true }))[0] ?? first;
    for (let after = first.seq - 1; ; ) {
      const page = await this.store.queryAudit({ afterSeq: after, upToSeq: last.seq, limit: 5000, newestFirst: false });
      for (const r of page) verifier.push(r);
      if (page.length < 5000) break;
      after = (page.at(-1) as AuditRecord).seq;
    }
    const result = verifier.finish();
    // The record just before the span is gone: the first one's link cannot be checked, and a
    // record was deleted.
    if (first.seq > 1 && !before) {
      result.problems.unshift({
        seq: first.seq - 1,
        kind: 'gap',
        message: `Record ${first.seq - 1} is missing (deleted): the log jumps to record ${first.seq}.`,
      });
    }
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
    for (const h of await this.busyHours({ eventTypes: READ, status: 'granted' }, this.s.readsPerHour)) {
      const top = await this.store.countAudit({
        since: h.from,
        until: h.to,
        eventTypes: READ,
        status: 'granted',
        groupBy: ['actorType', 'actorName'],
        limit: 3,
      });
      const who = top.map((t) => `${actorLabel(t.key.actorType, t.key.actorName)} (${t.count})`).join(', ');
      const lead = top[0];
      this.volume.push({ from: h.from, to: h.to, readers: new Set(top.map((t) => `${t.key.actorType}\n${t.key.actorName}`)) });
      this.add({
        check: 'read_volume',
        severity: h.count >= 5 * this.s.readsPerHour ? 'critical' : 'warning',
        title: `${h.count} secret reads in one hour (threshold ${this.s.readsPerHour})`,
        detail: `Between ${iso(h.from)} and ${iso(h.to)} the vault released ${h.count} secret values; the busiest readers were ${who}.`,
        action:
          'Check whether the busiest reader was deployed or scaled in that hour; if not, revoke its tokens (ass tokens revoke, or ass agents revoke) and treat what it read as exposed (ass incident PATH).',
        subject: lead?.key.actorName ? { actor: String(lead.key.actorName) } : {},
        count: h.count,
        firstTime: h.firstTime,
        lastTime: h.lastTime,
        records: await this.sample({ since: h.from, until: h.to, eventTypes: READ, status: 'granted' }),
      });
    }
    return null;
  }

  private async readSpike() {
    const windowMs = this.until - this.since;
    if (windowMs > WEEK) return 'skipped: the window is longer than a week, so it has no same-hour baseline';
    // A window shorter than an hour is compared as the hour that ends with it (only spikes with
    // records in the window are reported), for the reason given at hoursFrom.
    const base = Math.min(this.since, this.until - HOUR);
    const start = await this.historyStart();
    const weeks: number[] = [];
    for (let k = 1; k <= this.s.baselineWeeks; k++) if (start !== null && start <= base - k * WEEK) weeks.push(k);
    if (weeks.length === 0) return 'skipped: the log is younger than a week, so there is no baseline yet (read_volume still applies)';
    const key = ['actorType', 'actorName', 'slot'] as const;
    const now = (
      await this.count({ since: base, eventTypes: READ, status: 'granted', groupBy: key, slot: { from: base, ms: HOUR } })
    ).filter((h) => h.lastTime >= this.since);
    const past = await this.store.countAudit({
      ranges: weeks.map((k) => [base - k * WEEK, this.until - k * WEEK] as const),
      eventTypes: READ,
      status: 'granted',
      groupBy: key,
      slot: { from: base - 52 * WEEK, ms: HOUR, period: WEEK },
      limit: GROUPS * 4,
    });
    const baseline = new Map(past.map((p) => [`${p.key.actorType}\n${p.key.actorName}\n${p.key.slot}`, p.count]));
    // A busiest reader of an hour that read_volume reported is that finding's (it names them).
    const reported = (key: (typeof now)[number]['key'], from: number, to: number) =>
      this.volume.some((v) => v.from < to && v.to > from && v.readers.has(`${key.actorType}\n${key.actorName}`));
    for (const h of now) {
      const mean = (baseline.get(`${h.key.actorType}\n${h.key.actorName}\n${h.key.slot}`) ?? 0) / weeks.length;
      if (h.count < this.s.spikeMinimum || h.count <= this.s.spikeFactor * mean) continue;
      const from = base + Number(h.key.slot) * HOUR;
      const to = Math.min(from + HOUR, this.until);
      if (reported(h.key, from, to)) continue;
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
    const severity = (n: number): Severity => (n >= 5 * this.s.deniedPerHour ? 'critical' : 'warning');
    // Only an address or actor refused more than the threshold in the whole window can be in an hour.
    const over = (rows: Awaited<ReturnType<Store['countAudit']>>) =>
      rows.filter((r) => r.count > this.s.deniedPerHour).slice(0, MAX_FINDINGS);
    const span = { since: this.hoursFrom };
    for (const a of over(await this.count({ ...span, status: 'denied', groupBy: ['ip'] }))) {
      if (a.key.ip === null) continue;
      const ip = String(a.key.ip);
      for (const h of await this.busyHours({ status: 'denied', ip }, this.s.deniedPerHour)) {
        const codes = await this.store.countAudit({ since: h.from, until: h.to, status: 'denied', ip, groupBy: ['event'], limit: 3 });
        this.add({
          check: 'denied_burst',
          severity: severity(h.count),
          title: `${h.count} refused requests from ${ip} in an hour (threshold ${this.s.deniedPerHour})`,
          detail: `Between ${iso(h.from)} and ${iso(h.to)} the vault refused ${h.count} requests from ${ip} (${codes.map((c) => `${c.key.event} ${c.count}`).join(', ')}): someone may be probing for secrets or guessing credentials.`,
          action: `Find what runs at ${ip}; if it is not yours, block it at the network edge and check ass lockouts list. If it is yours, fix the scopes it asks for.`,
          subject: { ip },
          count: h.count,
          firstTime: h.firstTime,
          lastTime: h.lastTime,
          records: await this.sample({ since: h.from, until: h.to, status: 'denied', ip }),
        });
      }
    }
    for (const a of over(await this.count({ ...span, status: 'denied', groupBy: ['actorType', 'actorName'] }))) {
      if (a.key.actorName === null) continue;
      const who = actorLabel(a.key.actorType, a.key.actorName);
      for (const h of await this.busyHours({ status: 'denied', ...actorFilter(a.key) }, this.s.deniedPerHour)) {
        this.add({
          check: 'denied_burst',
          severity: severity(h.count),
          title: `${h.count} refused requests by ${who} in an hour (threshold ${this.s.deniedPerHour})`,
          detail: `Between ${iso(h.from)} and ${iso(h.to)} the vault refused ${h.count} requests made with ${who}'s credentials: it is reaching beyond its scopes.`,
          action: `Ask the owner of ${who} what it was trying to read; if nobody knows, revoke its credentials (ass agents revoke / ass tokens revoke).`,
          subject: { actor: String(a.key.actorName) },
          count: h.count,
          firstTime: h.firstTime,
          lastTime: h.lastTime,
          records: await this.sample({ since: h.from, until: h.to, status: 'denied', ...actorFilter(a.key) }),
        });
      }
    }
    return null;
  }

  private async lockouts() {
    // As many as a report shows (the most lockouts first): each is asked about once more.
    const rows = (await this.count({ eventTypes: ['auth.lockout'], groupBy: ['ip'] })).slice(0, MAX_FINDINGS);
    for (const r of rows) {
      const ip = r.key.ip === null ? undefined : String(r.key.ip);
      const records = await this.sample({ eventTypes: ['auth.lockout'], ...(ip ? { ip } : {}) });
      // What was locked: the address, or a credential by its kind and public id (the vault's own text).
      const locked = [...new Set(records.map((x) => /^(.*?) locked out/.exec(x.reason ?? '')?.[1]).filter(Boolean))];
      this.add({
        check: 'lockout',
        severity: 'warning',
        title: `${r.count} lockout(s)${ip ? ` from ${ip}` : ''}: repeated failed sign-ins`,
        detail: `The vault locked out ${locked.length ? locked.slice(0, 5).join(', ') : 'a credential or address'} after repeated failed credential checks${ip ? ` from ${ip}` : ''}, ${r.count} time(s) in the window.`,
        action: 'ass lockouts list shows what is locked; find out who was guessing before you clear it (ass lockouts clear).',
        subject: ip ? { ip } : {},
        count: r.count,
        firstTime: r.firstTime,
        lastTime: r.lastTime,
        records,
      });
    }
    return null;
  }

  // ---- when and where ----

  /**
   * Critical secrets used outside business hours, unless the same actor used the same path outside
   * business hours in at least `offHoursHabit` separate off-hours stretches (nights, weekends) of
   * the lookback: a service that reads its key round the clock, a job that runs at 06:00.
   */
  private async offHours() {
    const bh = this.s.businessHours;
    const ranges = offHoursRanges(this.since, this.until, bh);
    if (ranges.length === 0) return null;
    const critical = { eventTypes: CRITICAL_ACCESS, status: 'granted' as const, tiers: ['critical'] };
    const used = await this.countWithoutRunner({ ...critical, ranges, groupBy: ['actorType', 'actorName', 'path'] });
    if (used.length === 0) return null;
    const byActor = new Map<string, { key: (typeof used)[number]['key']; paths: typeof used }>();
    for (const u of used) {
      const id = `${u.key.actorType}\n${u.key.actorName}`;
      const e = byActor.get(id) ?? { key: u.key, paths: [] };
      e.paths.push(u);
      byActor.set(id, e);
    }
    const before = this.s.offHoursHabit > 0 ? offHoursRanges(this.lookbackFrom, this.since, bh) : [];
    const hours = `${bh.days.join(',')} ${bh.start}-${bh.end} ${bh.timeZone}`;
    for (const e of byActor.values()) {
      // In how many separate off-hours stretches of the lookback the actor used each path (counted
      // by hour in the store; each hour's first record says which stretch it belongs to).
      const stretches = new Map<string, Set<number>>();
      if (before.length > 0) {
        const rows = await this.store.countAudit({
          since: this.lookbackFrom,
          until: this.since,
          ...critical,
          ranges: before,
          ...actorFilter(e.key),
          paths: e.paths.map((p) => String(p.key.path)),
          groupBy: ['path', 'slot'],
          slot: { from: this.lookbackFrom, ms: HOUR },
          limit: GROUPS,
        });
        for (const r of rows) {
          const set = stretches.get(String(r.key.path)) ?? new Set<number>();
          set.add(rangeIndex(before, r.firstTime));
          stretches.set(String(r.key.path), set);
        }
      }
      const habit = (p: (typeof used)[number]) =>
        this.s.offHoursHabit > 0 && (stretches.get(String(p.key.path))?.size ?? 0) >= this.s.offHoursHabit;
      const unusual = e.paths.filter((p) => !habit(p));
      if (unusual.length === 0) continue;
      const paths = unusual.map((p) => String(p.key.path)).sort();
      const who = actorLabel(e.key.actorType, e.key.actorName);
      const records = await this.sample({ ranges, ...critical, ...actorFilter(e.key), paths });
      const count = unusual.reduce((n, p) => n + p.count, 0);
      const earlier = Math.max(...unusual.map((p) => stretches.get(String(p.key.path))?.size ?? 0));
      const habitText =
        this.s.offHoursHabit > 0
          ? `in the ${this.s.lookback} before, it had done so in ${earlier} separate night(s) or weekend(s), fewer than the ${this.s.offHoursHabit} that make a habit`
          : 'every such use is reported (offHoursHabit 0)';
      const when = [...new Set(records.map((r) => localTime(r.time, bh.timeZone)))].reverse();
      this.add({
        check: 'off_hours_critical',
        severity: 'warning',
        title: `${who} used ${paths.length === 1 ? `the critical secret ${paths[0]}` : `${paths.length} critical secrets`} outside business hours`,
        detail: `Outside business hours (${hours}), ${who} used ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', ...' : ''} ${count} time(s), at ${when.slice(0, 5).join(', ')}${when.length > 5 ? ', ...' : ''} (${bh.timeZone}); ${habitText}.`,
        action: `Check that a scheduled job or an on-call engineer explains it; if not, revoke ${who}'s tokens and run ass incident on each path.`,
        subject: {
          actor: String(e.key.actorName ?? e.key.actorType),
          tier: 'critical',
          ...(paths.length === 1 ? { path: paths[0] as string } : {}),
        },
        count,
        firstTime: Math.min(...unusual.map((p) => p.firstTime)),
        lastTime: Math.max(...unusual.map((p) => p.lastTime)),
        records,
      });
    }
    return null;
  }

  private async unknownAddress() {
    const ranges: Cidr[] = this.s.knownRanges.map((r) => parseCidr(r, 'config.knownRanges entry'));
    const notes: string[] = [];
    if (ranges.length === 0) {
      const note = await this.historyNote();
      if (note) return note;
      notes.push(
        `no known ranges configured: an address is new when the log holds no request from it in the ${this.s.lookback} before the window`,
      );
    }
    // Every address that read a secret (what it read, by tier: one grouped count), and the busiest
    // others. Requests without a credential are recorded and limited by nothing, so thousands of
    // addresses that each sent one must neither push a reader out of the count nor make the report
    // ask about each of them.
    const reads = new Map<string, { count: number; tiers: Set<string> }>();
    for (const r of await this.count({ eventTypes: READ, status: 'granted', groupBy: ['ip', 'tier'] })) {
      if (r.key.ip === null) continue;
      const e = reads.get(String(r.key.ip)) ?? { count: 0, tiers: new Set<string>() };
      e.count += r.count;
      e.tiers.add(String(r.key.tier ?? 'standard'));
      reads.set(String(r.key.ip), e);
    }
    const window = await this.count({ groupBy: ['ip'] });
    if (window.length >= GROUPS) {
      notes.push(
        `more than ${GROUPS} addresses sent requests in the window: every one that read a secret, and the ${GROUPS} busiest, were looked at`,
      );
    }
    const byIp = new Map(window.filter((w) => w.key.ip !== null).map((w) => [String(w.key.ip), w]));
    const unlisted = [...reads.keys()].filter((ip) => !byIp.has(ip));
    for (let i = 0; i < unlisted.length; i += 500) {
      const ips = unlisted.slice(i, i + 500);
      for (const r of await this.count({ ips, groupBy: ['ip'], limit: ips.length })) byIp.set(String(r.key.ip), r);
    }
    const rank = (ip: string) => {
      const r = reads.get(ip);
      return r ? (r.tiers.has('critical') ? 3 : r.tiers.has('sensitive') ? 2 : 1) : 0;
    };
    // Most telling first: what an address read, then how much it sent.
    let candidates = [...byIp.entries()]
      .filter(([ip]) => ranges.length === 0 || !addressAllowed(ip, ranges))
      .sort(([a, x], [b, y]) => rank(b) - rank(a) || y.count - x.count || (a < b ? -1 : 1))
      .map(([, c]) => c);
    // The vault's own rotation runner calls it over loopback: a loopback address whose requests
    // are all the runner's tokens' is the vault itself.
    for (const c of candidates.filter((w) => addressAllowed(String(w.key.ip), LOOPBACK))) {
      const who = await this.count({ ip: String(c.key.ip), groupBy: ['actorType', 'actorName', 'tokenId'], limit: 1000 });
      if (who.length === 1000 || !who.every((w) => runnerNamed(w.key) && w.key.tokenId !== null)) continue;
      const runner = await this.runnerTokens(who.map((w) => String(w.key.tokenId)));
      if (who.every((w) => runner.has(String(w.key.tokenId)))) candidates = candidates.filter((x) => x !== c);
    }
    // A pipeline proves who it is with its CI provider's signed claims, which unexpected_pipeline
    // checks; a hosted runner's address says nothing (GitHub's change with every run). An address
    // whose every request is a pipeline's (its OIDC exchange, then its pipeline token) is left out
    // unless the configuration asks for pipelines' addresses to be checked too (self-hosted runners).
    // (A refused exchange is someone without a valid CI token: it stays a finding.) One grouped count.
    if (!this.s.checkPipelineAddresses && candidates.length > 0) {
      const other = new Set<string | number | null | undefined>();
      const groups = await this.count({ groupBy: ['ip', 'actorType', 'event', 'status'], limit: GROUPS * 10 });
      for (const w of groups) {
        if (!(w.key.actorType === 'pipeline' || (w.key.event === 'token.exchange' && w.key.status === 'granted'))) other.add(w.key.ip);
      }
      // (Cut short by a flood of groups, it cannot tell who is a pipeline alone: it leaves out nobody.)
      if (groups.length < GROUPS * 10) candidates = candidates.filter((c) => other.has(c.key.ip));
    }
    // Whether some were left unexamined (below), so that more may be unknown than are reported.
    let unexamined = false;
    if (ranges.length === 0) {
      // Which of them sent no request in the lookback, a chunk at a time in the order above, until
      // there are as many as a report shows: the last day first (most addresses are regulars), then
      // the rest of the lookback for those not seen yet.
      const fresh: typeof candidates = [];
      let i = 0;
      for (; i < candidates.length && fresh.length < MAX_FINDINGS; i += 500) {
        let chunk = candidates.slice(i, i + 500);
        for (const [from, to] of this.recentFirst(DAY)) {
          if (chunk.length === 0) break;
          const ips = chunk.map((c) => String(c.key.ip));
          const seen = new Set(
            (await this.store.countAudit({ since: from, until: to, ips, groupBy: ['ip'], limit: ips.length })).map((r) => r.key.ip),
          );
          chunk = chunk.filter((c) => !seen.has(c.key.ip));
        }
        fresh.push(...chunk);
      }
      unexamined = i < candidates.length;
      candidates = fresh;
    }
    if (candidates.length > MAX_FINDINGS || unexamined) {
      notes.push(
        `more addresses than a report shows are unknown: the ${MAX_FINDINGS} that read the most sensitive secrets, then sent the most requests, are reported`,
      );
    }
    for (const c of candidates.slice(0, MAX_FINDINGS)) {
      const ip = String(c.key.ip);
      const read = reads.get(ip);
      const readCount = read?.count ?? 0;
      const critical = read?.tiers.has('critical') ?? false;
      const sensitive = critical || (read?.tiers.has('sensitive') ?? false);
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
    return notes.length ? notes.join('; ') : null;
  }

  // ---- who reads what ----

  /**
   * Secrets an existing actor read in the window and not once in the lookback before it, one
   * finding per actor. Machines (agents, their tokens, pipelines) keep to their secrets, so a first
   * read of a sensitive one is a warning; a person's is information unless the secret is critical.
   */
  private async firstRead() {
    const note = await this.historyNote();
    if (note) return note;
    const window = await this.countWithoutRunner({
      eventTypes: READ,
      status: 'granted',
      groupBy: ['actorType', 'actorName', 'path', 'tier'],
    });
    const paths = [...new Set(window.map((w) => w.key.path).filter((p) => p !== null))].map(String);
    if (paths.length === 0) return null;
    const id = (k: (typeof window)[number]['key']) => `${k.actorType}\n${k.actorName}\n${k.path}`;
    const seen = new Set<string>();
    // Who read the same paths before, a chunk of paths per grouped count: the last week first (an
    // actor's secrets are mostly read weekly), then the rest of the lookback for the paths with a
    // reader not seen yet.
    let open = paths;
    for (const [from, to] of this.recentFirst(WEEK)) {
      for (let i = 0; i < open.length; i += 200) {
        const rows = await this.store.countAudit({
          since: from,
          until: to,
          eventTypes: READ,
          status: 'granted',
          paths: open.slice(i, i + 200),
          groupBy: ['actorType', 'actorName', 'path'],
          limit: GROUPS * 100,
        });
        for (const r of rows) seen.add(id(r.key));
      }
      const unseen = new Set(window.filter((w) => !seen.has(id(w.key))).map((w) => String(w.key.path)));
      open = open.filter((p) => unseen.has(p));
      if (open.length === 0) break;
    }
    const byActor = new Map<string, { key: (typeof window)[number]['key']; reads: typeof window }>();
    for (const w of window) {
      if (w.key.path === null || seen.has(id(w.key))) continue;
      // A new agent's first reads belong to its new_agent finding.
      if (w.key.actorName !== null && this.newAgents.has(String(w.key.actorName))) continue;
      const actor = `${w.key.actorType}\n${w.key.actorName}`;
      const e = byActor.get(actor) ?? { key: w.key, reads: [] };
      e.reads.push(w);
      byActor.set(actor, e);
    }
    for (const { key, reads } of byActor.values()) {
      const tierOf = new Map<string, string>();
      for (const r of reads) {
        const tier = r.key.tier === null ? 'standard' : String(r.key.tier);
        const had = tierOf.get(String(r.key.path));
        if (!had || TIER_ORDER.indexOf(tier) > TIER_ORDER.indexOf(had)) tierOf.set(String(r.key.path), tier);
      }
      // Most sensitive first.
      const newPaths = [...tierOf.keys()].sort(
        (a, b) => TIER_ORDER.indexOf(tierOf.get(b) as string) - TIER_ORDER.indexOf(tierOf.get(a) as string) || (a < b ? -1 : 1),
      );
      const top = tierOf.get(newPaths[0] as string) as string;
      const machine = key.actorType !== 'user';
      const who = actorLabel(key.actorType, key.actorName);
      const listed = newPaths
        .slice(0, 10)
        .map((p) => `${p} (${tierOf.get(p)})`)
        .join(', ');
      const count = reads.reduce((n, r) => n + r.count, 0);
      this.add({
        check: 'first_read',
        severity: top === 'critical' || (machine && top === 'sensitive') ? 'warning' : 'info',
        title: `${who} read ${newPaths.length === 1 ? newPaths[0] : `${newPaths.length} secrets`} for the first time`,
        detail: `${who} read ${listed}${newPaths.length > 10 ? ', ...' : ''}, ${count} time(s) in all; it had read none of them in the ${this.s.lookback} before the window.`,
        action: `Confirm that ${who} is meant to use ${newPaths.length === 1 ? newPaths[0] : 'them'} (a new feature or deployment); if not, narrow its scopes and run ass incident on each path.`,
        subject: {
          actor: String(key.actorName ?? key.actorType),
          ...(newPaths.length === 1 ? { path: newPaths[0] as string } : {}),
          tier: top,
        },
        count,
        firstTime: Math.min(...reads.map((r) => r.firstTime)),
        lastTime: Math.max(...reads.map((r) => r.lastTime)),
        records: await this.sample({ eventTypes: READ, status: 'granted', paths: newPaths.slice(0, 500), ...actorFilter(key) }),
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

  private issued: { record: AuditRecord; token: TokenRow }[] | undefined;
  private issuedNote: string | null = null;

  /**
   * Tokens issued, exchanged or collected in the window, each with the record that issued it (two
   * queries: the records, and the tokens created in the window). Tokens the vault issued itself
   * (the rotation runner's, recorded as the operator's) are left out: they live for one pass and
   * are revoked at its end.
   */
  private async issuedTokens() {
    if (!this.issued) {
      this.issued = [];
      const records = await this.store.queryAudit({
        since: this.since,
        until: this.until,
        eventTypes: ['token.issue', 'token.exchange', 'approval.collect'],
        status: 'granted',
        limit: ISSUED,
        newestFirst: true,
      });
      if (records.length === ISSUED) this.issuedNote = `only the newest ${ISSUED} tokens issued in the window were looked at`;
      const tokens = new Map((await this.store.listTokens({ createdSince: this.since, createdBefore: this.until })).map((t) => [t.id, t]));
      for (const r of records) {
        if (r.actorType === 'operator') continue;
        // `token ID issued` (issue, exchange) or `approval ID collected: token ID, ...` (collection).
        const id = /\btoken ([A-Za-z0-9]{16})(?: issued|, ttl )/.exec(r.reason ?? '')?.[1];
        const token = id ? tokens.get(id) : undefined;
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
        // Already revoked (by ass incident, say) or expired: nothing left to do about it.
        if (token.revokedAt !== null || token.expiresAt <= this.until) continue;
        // A list scope shows names only; what reaches a value is read, write, rotate (or *).
        const scopes = secretScopes(parseScopesCached(token.scopes)).filter((sc) => sc.verb !== 'list');
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
          // A day-long token that any number of requests may use is as good as a password.
          severity: long && unlimited && ttl >= DAY ? 'critical' : 'warning',
          title: `${actorLabel(record.actorType, record.actorName)} got a token for critical secrets that ${why}`,
          detail: `Token ${token.id} (scopes ${token.scopes.join(' ')}) reaches ${reached.slice(0, 5).join(', ')}${reached.length > 5 ? ', ...' : ''}; it ${why}. Critical secrets should be read with short-lived, use-limited tokens.`,
          action: `Revoke it if it is not needed any more (ass tokens revoke ${token.id}) and issue critical tokens with --ttl ${this.s.maxCriticalTokenTtl} --max-uses N.`,
          subject: { tokenId: token.id, ...(record.agent ? { agent: record.agent } : {}), tier: 'critical' },
          count: 1,
          records: [record],
        });
      }
      return this.issuedNote;
    }
    const note = await this.historyNote();
    if (note) return note;
    // What each agent's tokens held in the lookback (one query per agent that got a token).
    const earlier = new Map<string, Scope[]>();
    for (const { record, token } of issued) {
      if (!earlier.has(token.agentId)) {
        const before = await this.store.listTokens({ agentId: token.agentId, createdSince: this.lookbackFrom, createdBefore: this.since });
        const held = [...new Set(before.flatMap((t) => t.scopes))];
        earlier.set(token.agentId, held.length ? parseScopesCached(held) : []);
      }
      const had = earlier.get(token.agentId) ?? [];
      if (had.length === 0) continue; // no earlier token to compare with (first_read and new_agent speak for it)
      const scopes = parseScopesCached(token.scopes);
      const wider = scopes.filter((s) => !had.some((h) => scopeWithin(s, h)));
      if (wider.length === 0) continue;
      const text = formatScopes(wider);
      const who = actorLabel(record.actorType, record.actorName);
      this.add({
        check,
        severity: 'warning',
        title: `${who} got a token with wider scopes than before: ${text.join(' ')}`,
        detail: `Token ${token.id} holds ${text.join(', ')}, which no token of ${record.agent ?? 'the same agent'} held in the ${this.s.lookback} before the window (they held ${formatScopes(had).slice(0, 10).join(', ')}).`,
        action: `Check why ${record.agent ?? 'the agent'} needs the wider scope; if nobody asked for it, revoke the token (ass tokens revoke ${token.id}) and narrow the agent's scopes.`,
        subject: { tokenId: token.id, ...(record.agent ? { agent: record.agent } : {}) },
        count: 1,
        records: [record],
      });
    }
    return this.issuedNote;
  }

  // ---- pipelines ----

  private async unexpectedPipeline() {
    const { repositories, refs } = this.s.pipelines;
    const configured = repositories.length > 0 || refs.length > 0;
    if (!configured) {
      const note = await this.historyNote();
      if (note) return note;
    }
    // Pipeline reads by the repository and ref their claims name, counted by the store.
    const pipelineReads = { actorType: 'pipeline', eventTypes: READ, status: 'granted' as const, groupBy: ['repository', 'ref'] as const };
    const now = (await this.count(pipelineReads)).filter((r) => r.key.repository !== null && r.key.repository !== '');
    let knownRepos: Set<string> | undefined;
    let knownRefs: Set<string> | undefined;
    if (!configured && now.length > 0) {
      const before = await this.store.countAudit({ ...pipelineReads, since: this.lookbackFrom, until: this.since, limit: GROUPS });
      knownRepos = new Set(before.map((b) => String(b.key.repository)));
      knownRefs = new Set(before.map((b) => `${b.key.repository}\n${b.key.ref}`));
    }
    const found: { r: (typeof now)[number]; repository: string; ref: string; why: string; severity: Severity }[] = [];
    for (const r of now) {
      const repository = String(r.key.repository);
      const ref = String(r.key.ref ?? '');
      let why: string | undefined;
      let severity: Severity = 'warning';
      if (configured) {
        if (repositories.length && !repositories.some((p) => patternMatch(p, repository))) {
          why = `the repository ${repository} is not among the expected ones (${repositories.join(', ')})`;
          severity = 'critical';
        } else if (refs.length && !refs.some((p) => patternMatch(p, ref))) {
          why = `the ref ${ref || '(none)'} is not among the expected ones (${refs.join(', ')})`;
        }
      } else if (!knownRepos?.has(repository)) {
        why = `no pipeline of ${repository} read a secret in the ${this.s.lookback} before the window`;
      } else if (!knownRefs?.has(`${repository}\n${ref}`)) {
        why = `no pipeline on ${ref || '(no ref)'} of ${repository} read a secret in the ${this.s.lookback} before the window`;
        severity = 'info';
      }
      if (why) found.push({ r, repository, ref, why, severity });
    }
    // As many as a report shows, the most severe first: the records of each are read once more.
    found.sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || b.r.count - a.r.count);
    for (const { r, repository, ref, why, severity } of found.slice(0, MAX_FINDINGS)) {
      this.add({
        check: 'unexpected_pipeline',
        severity,
        title: `Pipeline reads from ${repository}${ref ? ` at ${ref}` : ''}: ${configured ? 'not expected' : 'new'}`,
        detail: `${r.count} secret read(s) by pipelines of ${repository}${ref ? ` at ${ref}` : ''}; ${why}.`,
        action:
          'Check the workflow runs the records link to. If they are not yours, revoke the agent the trust policy belongs to and pin its bound claims (repository, ref, environment) tighter; if they are, add them to pipelines in the configuration.',
        subject: { repository, ...(ref ? { ref } : {}) },
        count: r.count,
        firstTime: r.firstTime,
        lastTime: r.lastTime,
        records: await this.sample({ actorType: 'pipeline', eventTypes: READ, status: 'granted', repository, ref }),
      });
    }
    return configured
      ? null
      : 'no pipelines configured: a repository or ref is unexpected when none of its pipelines read a secret in the lookback';
  }

  // ---- rotation ----

  private async rotationOverdue() {
    // As many as a report shows, critical secrets first, then the most overdue: each is asked about once more.
    const overdue = (await overdueRotations(this.store, this.until))
      .map((o, i) => ({ o, i }))
      .sort((a, b) => Number(b.o.tier === 'critical') - Number(a.o.tier === 'critical') || a.i - b.i)
      .slice(0, MAX_FINDINGS)
      .map(({ o }) => o);
    for (const o of overdue) {
      this.add({
        check: 'rotation_overdue',
        severity: o.tier === 'critical' ? 'critical' : 'warning',
        title: `Rotation of ${o.path} is overdue by ${formatDuration(o.overdueSeconds)}`,
        detail: `${o.path} (${o.tier} tier, rotator ${o.rotator}) should have been rotated ${formatDuration(o.overdueSeconds)} ago.`,
        action: `Run ass rotate ${o.path} (or check why the scheduled rotation fails: ass rotation list, and the rotate action's logs).`,
        subject: { path: o.path, tier: o.tier },
        count: 1,
        records: await this.store.queryAudit({
          paths: [o.path],
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

/** Which of the sorted, disjoint `ranges` holds `time` (-1: none). */
function rangeIndex(ranges: readonly (readonly [number, number])[], time: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid] as readonly [number, number];
    if (time < a) hi = mid - 1;
    else if (time >= b) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function actorFilter(key: { actorType?: string | number | null; actorName?: string | number | null }): AuditQuery {
  return {
    ...(key.actorType !== null && key.actorType !== undefined ? { actorType: String(key.actorType) } : {}),
    ...(key.actorName !== null && key.actorName !== undefined ? { actorName: String(key.actorName) } : {}),
  };
}

const iso = (t: number) => new Date(t).toISOString();
const round = (n: number) => Math.round(n * 10) / 10;
