/**
 * A vault with a realistic stretch of traffic behind it, and anomalies planted on its last day
 * (issue 11). Everything goes through the vault's HTTP API, on the fake clock that drives the
 * server's time, from addresses set with X-Forwarded-For (the vault trusts the loopback proxy):
 *
 * - services (one agent each) with their own steady pattern: `billing` reads three secrets every
 *   hour round the clock; `payments` reads its critical key every two hours, day and night, with
 *   one-hour, use-limited tokens; `web` (four pods) reads hourly from 07:00 to 23:00 Berlin time,
 *   twice an hour in business hours; `backup` reads everything under app/ every night at 02:30;
 *   `reports` reads a critical key every weekday at 06:00, before business hours;
 * - pipelines (OIDC exchange, agent `deploy`) from octo-org/octo-repo and octo-org/web on
 *   refs/heads/main, two or three runs a working day, from self-hosted runners in 192.0.2.0/24;
 * - people in business hours: alice and bob (editors) read a few secrets, carol (a viewer) is
 *   refused a value every working day;
 * - rotations: the vault's own runner (`ass server --rotate`, a pass every six hours) rotates the
 *   secrets whose policies it can run when they fall due; the admin rotates the one it cannot;
 * - ordinary refusals, a few a day: a pod asking for a secret outside its scopes, a viewer asking
 *   for a value, a script with a credential that does not exist.
 *
 * The traffic is a plan made from a seeded PRNG: the same seed gives the same requests at the same
 * simulated times, in the same order, so two runs (on SQLite and on PostgreSQL) append the same
 * records. A few thousand requests make five weeks; reads go in batches. The business
 * hours are Europe/Berlin's (08:00-18:00, Monday to Friday), so the time-zone handling of the
 * checks is exercised: a Berlin working day starts at 07:00 UTC.
 */
import { generateCredential, parseCredential } from '../../src/core/credentials.js';
import type { LocalOidcIssuer } from './oidc-issuer.js';
import type { TestVault } from './vault.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const ZONE = 'Europe/Berlin';
/** The day the anomalies are planted on (UTC midnight, a Tuesday); the traffic before it is normal. */
export const PLANT_DAY = Date.parse('2026-12-08T00:00:00Z');

/** Every secret value starts with this: a report must never contain it. */
export const VALUE_CANARY = 'canary-anomaly-value-7c2e';

/** The configuration the checks run with, as an operator of this vault would write it. */
export const ANOMALY_CONFIG = {
  businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00', timeZone: ZONE },
  knownRanges: ['10.0.0.0/16', '192.0.2.0/24'],
  pipelines: { repositories: ['octo-org/octo-repo', 'octo-org/web'], refs: ['refs/heads/main'] },
};

/** What the vault must be started with (on top of the fake clock). */
export const VAULT_OPTIONS = {
  // The addresses come from X-Forwarded-For, set by the fixture through the loopback "proxy".
  trustedProxies: ['127.0.0.1/32'],
  // The rotation runner: passes are made by the fixture (the timer is far away).
  rotate: true,
  rotateEverySeconds: 24 * 3600,
};

/** The admin's workstation: every report is asked for from here. */
export const ADMIN_IP = '10.0.0.5';

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const zoneParts = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

function partsAt(t: number) {
  const p = Object.fromEntries(zoneParts.formatToParts(t).map((x) => [x.type, x.value]));
  return {
    y: Number(p.year),
    m: Number(p.month),
    d: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    weekday: String(p.weekday).toLowerCase().slice(0, 3),
  };
}

/** The UTC time of hh:mm Berlin time on the Berlin calendar day that begins nearest `day` (a UTC midnight). */
export function berlin(day: number, hh: number, mm = 0): number {
  const noon = partsAt(day + 12 * HOUR);
  const guess = Date.UTC(noon.y, noon.m - 1, noon.d, hh, mm);
  // The zone's offset at that moment (the fixture's dates avoid the DST switches, but be exact).
  const at = partsAt(guess);
  const offset = Date.UTC(at.y, at.m - 1, at.d, at.hour, at.minute) - guess;
  return guess - offset;
}

export const weekdayOf = (day: number) => partsAt(day + 12 * HOUR).weekday;
const isWorkday = (day: number) => !['sat', 'sun'].includes(weekdayOf(day));

interface Job {
  at: number;
  run: () => Promise<void>;
}

type Call = Awaited<ReturnType<TestVault['call']>>;

/** One secret of the inventory: its tier and type. */
const SECRETS: Record<string, { tier: 'standard' | 'sensitive' | 'critical'; type?: string }> = {
  'billing/db-password': { tier: 'sensitive', type: 'password' },
  'billing/stripe-webhook': { tier: 'sensitive', type: 'token' },
  'payments/stripe-key': { tier: 'critical', type: 'api_key' },
  'payments/merchant-id': { tier: 'standard' },
  'web/session-key': { tier: 'sensitive' },
  'web/api-key': { tier: 'standard', type: 'api_key' },
  'web/legacy-token': { tier: 'standard', type: 'token' },
  'shared/sentry-dsn': { tier: 'standard' },
  'shared/maps-key': { tier: 'sensitive', type: 'api_key' },
  'finance/ledger-key': { tier: 'critical', type: 'api_key' },
  'prod/db-password': { tier: 'critical', type: 'password' },
  'prod/api-token': { tier: 'sensitive', type: 'token' },
  'app/smtp-password': { tier: 'sensitive', type: 'password' },
  ...Object.fromEntries(Array.from({ length: 39 }, (_, i) => [`app/config-${String(i).padStart(2, '0')}`, { tier: 'standard' as const }])),
};

/**
 * Rotation policies. The vault's own runner (`ass server --rotate`) rotates the random ones when
 * due; app/smtp-password is rotated by a command the runner cannot run, so the admin rotates it by
 * hand (and on the plant day forgets).
 */
const POLICIES: { path: string; body: Record<string, unknown> }[] = [
  { path: 'payments/stripe-key', body: { rotator: 'random', every: '14d' } },
  { path: 'prod/db-password', body: { rotator: 'random', every: '30d' } },
  { path: 'app/smtp-password', body: { rotator: 'command', settings: { command: ['./rotate-smtp.sh'] }, every: '7d' } },
];

/** A service: an agent, the token it keeps, the addresses it calls from. */
class Service {
  private token: { token: string; id: string; expiresAt: number; usesLeft: number | null } | undefined;
  private pod = 0;

  constructor(
    private readonly fx: TrafficFixture,
    readonly name: string,
    readonly key: string,
    readonly ips: string[],
    private readonly tokenBody: { scopes: string[]; ttl: string; maxUses?: number },
    private readonly ttlMs: number,
  ) {}

  /** The next pod's address (round robin). */
  ip(): string {
    return this.ips[this.pod++ % this.ips.length] as string;
  }

  /** A token good for `uses` more reads now: the current one, or a new one. */
  async current(ip: string, uses: number, fresh = false): Promise<string> {
    const now = this.fx.clock();
    const t = this.token;
    if (fresh || !t || t.expiresAt <= now + MINUTE || (t.usesLeft !== null && t.usesLeft < uses)) {
      const res = await this.fx.call(ip, 'POST', '/v1/tokens', { token: this.key, body: this.tokenBody });
      if (res.status !== 201) throw new Error(`${this.name}: token issue failed: ${res.status} ${res.text}`);
      this.token = { token: res.body.token, id: res.body.id, expiresAt: now + this.ttlMs, usesLeft: this.tokenBody.maxUses ?? null };
    }
    const cur = this.token as NonNullable<typeof this.token>;
    if (cur.usesLeft !== null) cur.usesLeft -= uses;
    return cur.token;
  }

  /** A batch read with the current token; throws unless it is granted. */
  async read(ip: string, body: { paths?: string[]; prefixes?: string[] }, fresh = false): Promise<Call> {
    const token = await this.current(ip, (body.paths?.length ?? 0) + (body.prefixes?.length ?? 0), fresh);
    const res = await this.fx.call(ip, 'POST', '/v1/batch/read', { token, body });
    if (res.status !== 200) throw new Error(`${this.name}: read failed: ${res.status} ${res.text}`);
    return res;
  }

  /** The current token as it stands (for a plant that steals it). */
  stolen(): string {
    if (!this.token) throw new Error(`${this.name} has no token`);
    return this.token.token;
  }
}

export interface TrafficOptions {
  /** Days of normal traffic before the plant day (at least 8 for a one-week baseline). */
  days: number;
  seed?: number;
}

/** The built vault: its services and people, and how to ask it things from an address. */
export class TrafficFixture {
  readonly start: number;
  readonly services = new Map<string, Service>();
  readonly users = new Map<string, string>();
  deployKey = '';
  /** Requests made so far (the plan's size). */
  requests = 0;
  private runNumber = 1000;

  constructor(
    readonly v: TestVault,
    readonly clock: (() => number) & { set(ms: number): number },
    readonly issuer: LocalOidcIssuer,
    readonly options: Required<TrafficOptions>,
  ) {
    this.start = PLANT_DAY - options.days * DAY;
  }

  /** A request to the vault from `ip` (through the trusted loopback proxy). */
  call(ip: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<Call> {
    this.requests++;
    return this.v.call(method, path, { ...opts, headers: { 'x-forwarded-for': ip } });
  }

  admin(method: string, path: string, body?: unknown): Promise<Call> {
    return this.call(ADMIN_IP, method, path, { token: this.v.adminToken, ...(body === undefined ? {} : { body }) });
  }

  /** POST /v1/audit/anomalies from the admin's workstation, with the fixture's configuration (and `config` over it). */
  async anomalies(since: string, config: Record<string, unknown> = {}): Promise<Call> {
    return this.admin('POST', '/v1/audit/anomalies', { since, config: { ...ANOMALY_CONFIG, ...config } });
  }

  service(name: string): Service {
    const s = this.services.get(name);
    if (!s) throw new Error(`no service ${name}`);
    return s;
  }

  /** Writes a value (labelled `label`) as the admin. */
  async write(path: string, label: number) {
    const s = SECRETS[path] ?? { tier: 'standard' };
    const res = await this.admin('PUT', `/v1/secrets/${path}`, {
      value: `${VALUE_CANARY}-${path}-${label}`,
      tier: s.tier,
      ...(s.type ? { type: s.type } : {}),
    });
    if (res.status !== 200 && res.status !== 201) throw new Error(`write ${path}: ${res.status} ${res.text}`);
  }

  /** One pipeline run: an OIDC token from the issuer, the exchange, a batch read. */
  async pipelineRun(repository: string, ref: string, ip: string, extraClaims: Record<string, string> = {}): Promise<Call> {
    const run = String(++this.runNumber);
    const jwt = await this.issuer.mint({
      audience: this.v.url,
      claims: {
        repository,
        repository_id: String(100 + (repository.length % 7)),
        ref,
        run_id: `3229${run}`,
        run_number: run,
        sub: `repo:${repository}:ref:${ref}`,
        workflow_ref: `${repository}/.github/workflows/deploy.yml@${ref}`,
        job_workflow_ref: `${repository}/.github/workflows/deploy.yml@${ref}`,
        ...extraClaims,
      },
    });
    const ex = await this.call(ip, 'POST', '/v1/tokens/exchange', {
      token: this.deployKey,
      body: { oidcToken: jwt, scopes: ['secrets:read:prod/*'] },
    });
    if (ex.status !== 201) throw new Error(`exchange failed: ${ex.status} ${ex.text}`);
    const read = await this.call(ip, 'POST', '/v1/batch/read', {
      token: ex.body.token,
      body: { paths: ['prod/db-password', 'prod/api-token'] },
    });
    if (read.status !== 200) throw new Error(`pipeline read failed: ${read.status} ${read.text}`);
    return read;
  }

  /** One pass of the vault's rotation runner (it calls the vault over loopback, as the agent vault-rotator). */
  async rotationPass() {
    if (!this.v.runRotationPass) throw new Error('start the vault with rotate: true');
    const results = await this.v.runRotationPass();
    for (const r of results) if (r.status === 'failed') throw new Error(`rotation of ${r.path} failed: ${r.reason}`);
    return results;
  }

  /**
   * Runs jobs in time order, one at a time (jobs due at the same moment in the order they were
   * planned), so two runs of one plan append the same records in the same order, on either store.
   */
  async runJobs(jobs: Job[]) {
    const ordered = jobs.map((j, i) => ({ j, i })).sort((a, b) => a.j.at - b.j.at || a.i - b.i);
    for (const { j } of ordered) {
      if (j.at < this.clock()) throw new Error(`a job at ${new Date(j.at).toISOString()} is in the past`);
      this.clock.set(j.at);
      await j.run();
    }
  }
}

/**
 * Builds the vault's inventory and runs `days` days of normal traffic, up to PLANT_DAY. The vault
 * must run on `clock` with the options of VAULT_OPTIONS, and `issuer` on the same clock.
 */
export async function seedTraffic(
  v: TestVault,
  clock: TrafficFixture['clock'],
  issuer: LocalOidcIssuer,
  options: TrafficOptions,
): Promise<TrafficFixture> {
  const fx = new TrafficFixture(v, clock, issuer, { seed: 11, ...options });
  // Day one, 10:00 Berlin: the inventory, the policies, the agents and people.
  clock.set(berlin(fx.start, 10));
  for (const path of Object.keys(SECRETS)) await fx.write(path, 0);
  for (const r of POLICIES) {
    const res = await fx.admin('PUT', `/v1/rotation/policies/${r.path}`, r.body);
    if (res.status !== 200) throw new Error(`policy ${r.path}: ${res.status} ${res.text}`);
  }
  const agent = async (name: string, scopes: string[], trustPolicy?: unknown) => {
    const res = await fx.admin('POST', '/v1/agents', { name, scopes, ...(trustPolicy ? { trustPolicy } : {}) });
    if (res.status !== 201) throw new Error(`agent ${name}: ${res.status} ${res.text}`);
    return res.body.agentKey as string;
  };
  const svc = async (
    name: string,
    scopes: string[],
    ips: string[],
    token: { scopes: string[]; ttl: string; maxUses?: number },
    ttlMs: number,
  ) => fx.services.set(name, new Service(fx, name, await agent(name, scopes), ips, token, ttlMs));
  await svc(
    'billing',
    ['secrets:*:billing/*', 'secrets:read:shared/*'],
    ['10.0.1.10'],
    { scopes: ['secrets:read:billing/*', 'secrets:read:shared/sentry-dsn'], ttl: '12h' },
    12 * HOUR,
  );
  await svc(
    'payments',
    ['secrets:read:payments/*'],
    ['10.0.3.10', '10.0.3.11'],
    { scopes: ['secrets:read:payments/*'], ttl: '1h', maxUses: 3 },
    HOUR,
  );
  await svc(
    'web',
    ['secrets:read:web/*', 'secrets:read:shared/*'],
    ['10.0.1.20', '10.0.1.21', '10.0.1.22', '10.0.1.23'],
    { scopes: ['secrets:read:web/*', 'secrets:read:shared/*'], ttl: '12h' },
    12 * HOUR,
  );
  await svc('backup', ['secrets:read:app/*'], ['10.0.4.10'], { scopes: ['secrets:read:app/*'], ttl: '1h' }, HOUR);
  await svc(
    'reports',
    ['secrets:read:finance/*', 'secrets:read:app/config-00'],
    ['10.0.5.10'],
    { scopes: ['secrets:read:finance/ledger-key', 'secrets:read:app/config-00'], ttl: '1h', maxUses: 5 },
    HOUR,
  );
  fx.deployKey = await agent('deploy', ['secrets:read:prod/*'], {
    issuer: issuer.url,
    // Bound to the organisation only: any of its repositories, on any ref, can exchange.
    claims: { repository_owner_id: issuer.claims.repository_owner_id },
  });
  for (const [name, role] of [
    ['alice', 'editor'],
    ['bob', 'editor'],
    ['carol', 'viewer'],
  ] as const) {
    const res = await fx.admin('POST', '/v1/users', { name, role });
    if (res.status !== 201) throw new Error(`user ${name}: ${res.status} ${res.text}`);
    fx.users.set(name, res.body.token as string);
  }

  const rand = prng(fx.options.seed);
  const jobs: Job[] = [];
  for (let day = fx.start; day < PLANT_DAY; day += DAY) jobs.push(...dayOfTraffic(fx, day, rand));
  jobs.push(...rotations(fx, fx.start + DAY, PLANT_DAY));
  await fx.runJobs(jobs.filter((j) => j.at > clock()));
  clock.set(PLANT_DAY);
  return fx;
}

/**
 * Rotations: the vault's runner makes a pass every six hours (it rotates what is due); the admin
 * rotates app/smtp-password every six days, the last time seven days before 11:00 UTC on the plant
 * day, so it falls due that day.
 */
function rotations(fx: TrafficFixture, from: number, to: number): Job[] {
  const jobs: Job[] = [];
  for (let at = from + 55 * MINUTE; at < to; at += 6 * HOUR) {
    jobs.push({ at, run: async () => void (await fx.rotationPass()) });
  }
  for (let at = PLANT_DAY + 11 * HOUR - 7 * DAY; at >= from; at -= 6 * DAY) jobs.push({ at, run: () => fx.write('app/smtp-password', at) });
  return jobs;
}

/** One day of normal traffic (UTC day starting at `day`). */
export function dayOfTraffic(fx: TrafficFixture, day: number, rand: () => number): Job[] {
  const jobs: Job[] = [];
  const at = (t: number, run: () => Promise<unknown>) => jobs.push({ at: t, run: async () => void (await run()) });
  const workday = isWorkday(day);
  const businessMinute = (fromHour = 9, toHour = 17) => berlin(day, fromHour) + Math.floor(rand() * (toHour - fromHour) * 60) * MINUTE;
  const billing = fx.service('billing');
  const payments = fx.service('payments');
  const web = fx.service('web');
  const backup = fx.service('backup');
  const reports = fx.service('reports');

  // billing: every hour at :05 UTC.
  for (let h = 0; h < 24; h++) {
    at(day + h * HOUR + 5 * MINUTE, () =>
      billing.read(billing.ip(), { paths: ['billing/db-password', 'billing/stripe-webhook', 'shared/sentry-dsn'] }),
    );
  }
  // payments: every two hours at :20 UTC, a fresh one-hour token each time.
  for (let h = 0; h < 24; h += 2) {
    at(day + h * HOUR + 20 * MINUTE, () => payments.read(payments.ip(), { paths: ['payments/stripe-key', 'payments/merchant-id'] }, true));
  }
  // web: hourly 07:00-23:00 Berlin, twice an hour in business hours.
  for (let h = 7; h < 23; h++) {
    const busy = workday && h >= 8 && h < 18;
    const minutes = busy ? [35, 50] : [35];
    for (const m of minutes) {
      at(berlin(day, h, m), () => web.read(web.ip(), { paths: ['web/session-key', 'web/api-key', 'shared/sentry-dsn'] }));
    }
  }
  // backup: every night at 02:30 Berlin, everything under app/.
  at(berlin(day, 2, 30), () => backup.read(backup.ip(), { prefixes: ['app'] }, true));
  if (workday) {
    // reports: 06:00 Berlin, before anyone is in.
    at(berlin(day, 6), () => reports.read(reports.ip(), { paths: ['finance/ledger-key', 'app/config-00'] }, true));
    // Pipelines: two or three deploys of main.
    const runs = 2 + Math.floor(rand() * 2);
    for (let i = 0; i < runs; i++) {
      const repository = i % 2 === 0 ? 'octo-org/octo-repo' : 'octo-org/web';
      const ip = `192.0.2.${20 + Math.floor(rand() * 30)}`;
      at(businessMinute(), () => fx.pipelineRun(repository, 'refs/heads/main', ip));
    }
    // People.
    const weekday = weekdayOf(day);
    const alicePath = ['mon', 'wed', 'fri'].includes(weekday) ? 'payments/stripe-key' : 'billing/db-password';
    at(businessMinute(), () => person(fx, 'alice', '10.0.2.11', alicePath));
    at(businessMinute(), () => person(fx, 'bob', '10.0.2.12', 'app/config-01'));
    if (weekday === 'mon') at(businessMinute(), () => person(fx, 'bob', '10.0.2.12', 'web/api-key'));
    // carol, a viewer, asks for a value once a day and is refused (an ordinary refusal).
    at(businessMinute(), () => person(fx, 'carol', '10.0.2.13', 'app/config-02', 403));
  }
  // Ordinary refusals: a pod asking outside its scopes every other day, a stale credential every third.
  const dayIndex = Math.round((day - fx.start) / DAY);
  if (dayIndex % 2 === 0) {
    const t = day + (6 + Math.floor(rand() * 15)) * HOUR + 41 * MINUTE;
    at(t, async () => {
      const res = await fx.call(web.ip(), 'GET', '/v1/secrets/billing/db-password', { token: await web.current('10.0.1.20', 0) });
      if (res.status !== 403) throw new Error(`expected a refusal, got ${res.status}`);
    });
  }
  if (dayIndex % 3 === 1) {
    const t = day + Math.floor(rand() * 24) * HOUR + 47 * MINUTE;
    const ip = `10.0.${1 + Math.floor(rand() * 5)}.${100 + Math.floor(rand() * 50)}`;
    at(t, async () => {
      const res = await fx.call(ip, 'GET', '/v1/whoami', { token: generateCredential('token').secret });
      if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
    });
  }
  return jobs;
}

/** A person reads one secret (or is refused it, `expect`). */
export async function person(fx: TrafficFixture, name: string, ip: string, path: string, expect = 200): Promise<Call> {
  const res = await fx.call(ip, 'GET', `/v1/secrets/${path}`, { token: fx.users.get(name) as string });
  if (res.status !== expect) throw new Error(`${name} reading ${path}: ${res.status}, expected ${expect}: ${res.text}`);
  return res;
}

/** What a finding must be for one planted anomaly. */
export interface Plant {
  check: string;
  severity: 'info' | 'warning' | 'critical';
  subject: Record<string, string>;
  /** How many records triggered it, when the plan knows exactly. */
  count?: number;
  /** Each record the finding shows must pass this. */
  record: (r: { event: string; status: string; actorName: string | null; ip: string | null; path: string | null; time: string }) => boolean;
}

/** Whether a record's time lies in [from, to) minutes of the plant day (UTC). */
const between = (from: number, to: number) => (r: { time: string }) => {
  const t = Date.parse(r.time);
  return t >= PLANT_DAY + from * MINUTE && t < PLANT_DAY + to * MINUTE;
};
const inHour = (hour: number) => between(hour * 60, (hour + 1) * 60);

/**
 * The plant day: its normal traffic, and on top of it one anomaly (or two) of every kind the
 * checks know, except a broken chain (a case of its own). Returns what each should be reported as.
 * Leaves the clock at the end of the day.
 */
export async function plantAnomalies(fx: TrafficFixture): Promise<Plant[]> {
  const rand = prng(fx.options.seed + 1);
  const jobs = [...dayOfTraffic(fx, PLANT_DAY, rand), ...rotations(fx, PLANT_DAY, PLANT_DAY + DAY)];
  const at = (t: number, run: () => Promise<unknown>) => jobs.push({ at: t, run: async () => void (await run()) });
  const billing = fx.service('billing');
  const payments = fx.service('payments');
  const web = fx.service('web');
  const backup = fx.service('backup');
  const reports = fx.service('reports');
  const plants: Plant[] = [];

  // off_hours_critical: alice reads the payments key at 03:10 Berlin (02:10 UTC). Her ordinary
  // read of the day is at 08:20 Berlin, inside Berlin's business hours but not UTC's.
  at(berlin(PLANT_DAY, 3, 10), () => person(fx, 'alice', '10.0.2.11', 'payments/stripe-key'));
  at(berlin(PLANT_DAY, 8, 20), () => person(fx, 'alice', '10.0.2.11', 'payments/stripe-key'));
  plants.push({
    check: 'off_hours_critical',
    severity: 'warning',
    subject: { actor: 'alice', path: 'payments/stripe-key' },
    count: 1,
    record: (r) => r.actorName === 'alice' && r.path === 'payments/stripe-key' && inHour(2)(r),
  });

  // lockout: five wrong secrets for the reports agent's key id, from one address, at 09:00 UTC.
  const reportsKeyId = parseCredential(reports.key)?.id as string;
  for (let i = 0; i < 5; i++) {
    at(PLANT_DAY + 9 * HOUR + i * 10_000 + 1, async () => {
      const res = await fx.call('10.0.7.7', 'GET', '/v1/whoami', { token: generateCredential('agent', reportsKeyId).secret });
      if (res.status !== 401 && res.status !== 429) throw new Error(`guess answered ${res.status}`);
    });
  }
  plants.push({
    check: 'lockout',
    severity: 'warning',
    subject: { ip: '10.0.7.7' },
    count: 1,
    record: (r) => r.event === 'auth.lockout' && r.ip === '10.0.7.7',
  });

  // read_spike: billing reads 20 times in the 10:00 UTC hour (60 reads; 3 in that hour of past weeks).
  for (let i = 0; i < 20; i++) {
    at(PLANT_DAY + 10 * HOUR + (10 + i * 2) * MINUTE, () =>
      billing.read('10.0.1.10', { paths: ['billing/db-password', 'billing/stripe-webhook', 'shared/sentry-dsn'] }),
    );
  }
  plants.push({
    check: 'read_spike',
    severity: 'warning',
    subject: { actor: 'billing' },
    count: 63,
    record: (r) => r.event === 'secret.read' && r.actorName === 'billing' && inHour(10)(r),
  });

  // first_read: web reads a shared secret it never read (sensitive); bob a standard one.
  at(PLANT_DAY + 11 * HOUR + 40 * MINUTE, () => web.read('10.0.1.21', { paths: ['shared/maps-key'] }));
  plants.push({
    check: 'first_read',
    severity: 'warning',
    subject: { actor: 'web', path: 'shared/maps-key' },
    count: 1,
    record: (r) => r.actorName === 'web' && r.path === 'shared/maps-key',
  });
  at(PLANT_DAY + 10 * HOUR + 30 * MINUTE, () => person(fx, 'bob', '10.0.2.12', 'web/legacy-token'));
  plants.push({
    check: 'first_read',
    severity: 'info',
    subject: { actor: 'bob', path: 'web/legacy-token' },
    count: 1,
    record: (r) => r.actorName === 'bob' && r.path === 'web/legacy-token',
  });

  // unexpected_pipeline: a run from a repository of the organisation that never deploys, and one
  // from a branch of an expected repository.
  at(PLANT_DAY + 11 * HOUR + 30 * MINUTE, () => fx.pipelineRun('octo-org/sandbox', 'refs/heads/main', '192.0.2.77'));
  plants.push({
    check: 'unexpected_pipeline',
    severity: 'critical',
    subject: { repository: 'octo-org/sandbox', ref: 'refs/heads/main' },
    count: 2,
    record: (r) => r.event === 'secret.read' && r.ip === '192.0.2.77',
  });
  at(PLANT_DAY + 15 * HOUR + 30 * MINUTE, () => fx.pipelineRun('octo-org/octo-repo', 'refs/heads/feature-x', '192.0.2.78'));
  plants.push({
    check: 'unexpected_pipeline',
    severity: 'warning',
    subject: { repository: 'octo-org/octo-repo', ref: 'refs/heads/feature-x' },
    count: 2,
    record: (r) => r.event === 'secret.read' && r.ip === '192.0.2.78',
  });

  // denied_burst by agent: web asks for billing's password twelve times from its four pods.
  for (let i = 0; i < 12; i++) {
    at(PLANT_DAY + 12 * HOUR + (3 + i * 4) * MINUTE, async () => {
      const res = await fx.call(web.ip(), 'GET', '/v1/secrets/billing/db-password', { token: await web.current('10.0.1.20', 0) });
      if (res.status !== 403) throw new Error(`expected 403, got ${res.status}`);
    });
  }
  plants.push({
    check: 'denied_burst',
    severity: 'warning',
    subject: { actor: 'web' },
    count: 12,
    record: (r) => r.status === 'denied' && r.actorName === 'web' && r.path === 'billing/db-password' && inHour(12)(r),
  });

  // new_agent: an agent made in the afternoon, which reads at once.
  at(PLANT_DAY + 13 * HOUR, async () => {
    const res = await fx.admin('POST', '/v1/agents', { name: 'migrator', scopes: ['secrets:read:app/*'] });
    if (res.status !== 201) throw new Error(`agent migrator: ${res.status} ${res.text}`);
    const tok = await fx.call('10.0.9.9', 'POST', '/v1/tokens', {
      token: res.body.agentKey,
      body: { scopes: ['secrets:read:app/*'], ttl: '15m', maxUses: 5 },
    });
    const read = await fx.call('10.0.9.9', 'POST', '/v1/batch/read', {
      token: tok.body.token,
      body: { paths: ['app/config-03', 'app/config-04'] },
    });
    if (read.status !== 200) throw new Error(`migrator read: ${read.status}`);
  });
  plants.push({
    check: 'new_agent',
    severity: 'warning',
    subject: { agent: 'migrator' },
    count: 1,
    record: (r) => r.event === 'agent.create' && r.ip === '10.0.0.5',
  });

  // read_volume: backup dumps everything under app/ fourteen times from 14:40 to 15:32 UTC, across
  // the hour (200 reads in the clock hour 14, 360 in 15; 560 in the hour from 14:40).
  for (let i = 0; i < 14; i++) {
    at(PLANT_DAY + 14 * HOUR + (40 + i * 4) * MINUTE, () => backup.read('10.0.4.10', { prefixes: ['app'] }, true));
  }
  plants.push({
    check: 'read_volume',
    severity: 'warning',
    subject: { actor: 'backup' },
    record: (r) => r.event === 'secret.read' && r.status === 'granted' && between(14 * 60, 16 * 60)(r),
  });

  // widened_scope: billing gets a token that may also write, which none of its earlier ones could.
  at(PLANT_DAY + 15 * HOUR, async () => {
    const res = await fx.call('10.0.1.10', 'POST', '/v1/tokens', {
      token: billing.key,
      body: { scopes: ['secrets:*:billing/*'], ttl: '1h' },
    });
    if (res.status !== 201) throw new Error(`widened token: ${res.status} ${res.text}`);
  });
  plants.push({
    check: 'widened_scope',
    severity: 'warning',
    subject: { agent: 'billing' },
    count: 1,
    record: (r) => r.event === 'token.issue' && r.actorName === 'billing' && inHour(15)(r),
  });

  // denied_burst from one address: fifteen made-up credentials from 10.0.66.6, one every four
  // minutes from 16:31 (eight in the clock hour 16, seven in 17).
  for (let i = 0; i < 15; i++) {
    at(PLANT_DAY + 16 * HOUR + (31 + i * 4) * MINUTE, async () => {
      const res = await fx.call('10.0.66.6', 'GET', '/v1/secrets/prod/db-password', { token: generateCredential('token').secret });
      if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
    });
  }
  plants.push({
    check: 'denied_burst',
    severity: 'warning',
    subject: { ip: '10.0.66.6' },
    count: 15,
    record: (r) => r.status === 'denied' && r.ip === '10.0.66.6' && between(16 * 60 + 31, 17 * 60 + 31)(r),
  });

  // long_lived_token: payments gets a day-long token without a use limit (it reaches its critical key).
  at(PLANT_DAY + 17 * HOUR, async () => {
    const res = await fx.call('10.0.3.10', 'POST', '/v1/tokens', {
      token: payments.key,
      body: { scopes: ['secrets:read:payments/*'], ttl: '24h' },
    });
    if (res.status !== 201) throw new Error(`long token: ${res.status} ${res.text}`);
  });
  plants.push({
    check: 'long_lived_token',
    severity: 'critical',
    subject: { agent: 'payments', tier: 'critical' },
    count: 1,
    record: (r) => r.event === 'token.issue' && r.actorName === 'payments' && inHour(17)(r),
  });

  // unknown_address: the payments token of the 20:20 run, used from outside at 20:40.
  at(PLANT_DAY + 20 * HOUR + 40 * MINUTE, async () => {
    const res = await fx.call('198.51.100.7', 'POST', '/v1/batch/read', {
      token: payments.stolen(),
      body: { paths: ['payments/stripe-key'] },
    });
    if (res.status !== 200) throw new Error(`stolen read: ${res.status} ${res.text}`);
  });
  plants.push({
    check: 'unknown_address',
    severity: 'critical',
    subject: { ip: '198.51.100.7' },
    count: 2,
    record: (r) => r.ip === '198.51.100.7',
  });

  // rotation_overdue: app/smtp-password was last rotated seven days before 11:00 UTC today.
  plants.push({
    check: 'rotation_overdue',
    severity: 'warning',
    subject: { path: 'app/smtp-password', tier: 'sensitive' },
    count: 1,
    record: (r) => r.path === 'app/smtp-password',
  });

  await fx.runJobs(jobs.filter((j) => j.at >= fx.clock()));
  fx.clock.set(PLANT_DAY + DAY);
  return plants;
}
