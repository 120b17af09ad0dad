/**
 * The anomaly checks (POST /v1/audit/anomalies) against weeks of realistic traffic made through the
 * vault's API (test/helpers/audit-traffic.ts): the normal traffic is never reported, and every
 * anomaly planted on the last day is, with the right check, severity, subject and the records that
 * triggered it, and nothing else is. Five weeks on SQLite; nine days on both stores, which must
 * agree finding for finding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANOMALY_CONFIG,
  DAY,
  HOUR,
  PLANT_DAY,
  type Plant,
  plantAnomalies,
  seedTraffic,
  type TrafficFixture,
  VALUE_CANARY,
  VAULT_OPTIONS,
} from '../helpers/audit-traffic.js';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { fakeClock, startTestVault, type TestVault } from '../helpers/vault.js';

interface Finding {
  check: string;
  severity: string;
  title: string;
  detail: string;
  action: string;
  subject: Record<string, string>;
  count: number;
  firstTime: string | null;
  lastTime: string | null;
  records: { seq: number; event: string; status: string; actorName: string | null; ip: string | null; path: string | null; time: string }[];
}
interface Report {
  since: string;
  until: string;
  verified: boolean;
  checks: { check: string; ran: boolean; note: string | null }[];
  anomalies: Finding[];
  config: Record<string, unknown>;
}

type Answer = { status: number; body: Report; text: string };

/** A vault with `days` of normal traffic, the reports asked for before the plants, and after. */
async function build(backend: 'sqlite' | 'postgres', days: number) {
  const clock = fakeClock(PLANT_DAY - days * DAY);
  const v = await startTestVault({ backend, now: clock, ...VAULT_OPTIONS });
  const issuer = await startOidcIssuer({ now: clock });
  const fx = await seedTraffic(v, clock, issuer, { days });
  const noise: Record<string, Answer> = {};
  for (const since of ['1h', '24h', '7d']) noise[since] = await fx.anomalies(since);
  const plants = await plantAnomalies(fx);
  const planted: Answer = await fx.anomalies('24h');
  return { v, issuer, fx, noise, plants, planted };
}

const matches = (f: Finding, p: Plant) => f.check === p.check && Object.entries(p.subject).every(([k, val]) => f.subject[k] === val);

/** Every plant is reported once, as it should be; every finding is a plant's. */
function expectExactlyThePlants(report: Report, plants: Plant[]) {
  for (const p of plants) {
    const found = report.anomalies.filter((f) => matches(f, p));
    expect(found, `${p.check} ${JSON.stringify(p.subject)}`).toHaveLength(1);
    const f = found[0] as Finding;
    expect(f.severity, `${p.check} ${JSON.stringify(p.subject)}`).toBe(p.severity);
    if (p.count !== undefined) expect(f.count, `${p.check} ${JSON.stringify(p.subject)}`).toBe(p.count);
    expect(f.records.length, `${p.check}: the records behind it`).toBeGreaterThan(0);
    for (const r of f.records) expect(p.record(r), `${p.check}: record ${JSON.stringify(r)}`).toBe(true);
    expect(f.title.length).toBeGreaterThan(10);
    expect(f.action.length).toBeGreaterThan(10);
  }
  const unplanned = report.anomalies.filter((f) => !plants.some((p) => matches(f, p)));
  expect(
    unplanned.map((f) => `${f.severity} ${f.check}: ${f.title}`),
    'findings no plant explains',
  ).toEqual([]);
}

/** A report without what differs between two runs of the same plan (random ids and hashes). */
function normalised(report: Report) {
  return report.anomalies.map((f) => ({
    check: f.check,
    severity: f.severity,
    subject: { ...f.subject, tokenId: f.subject.tokenId ? 'T' : undefined },
    count: f.count,
    firstTime: f.firstTime,
    lastTime: f.lastTime,
    records: f.records.map((r) => [r.time, r.event, r.status, r.actorName, r.ip, r.path]),
  }));
}

describe('five weeks of traffic on SQLite', () => {
  let built: Awaited<ReturnType<typeof build>>;
  let v: TestVault;
  let fx: TrafficFixture;
  let issuer: LocalOidcIssuer;

  beforeAll(async () => {
    built = await build('sqlite', 35);
    ({ v, fx, issuer } = built);
  });
  afterAll(async () => {
    await v?.cleanup();
    await issuer?.close();
  });

  it('made a few thousand requests, tens of thousands of records', async () => {
    expect(fx.requests).toBeGreaterThan(2500);
    expect(fx.requests).toBeLessThan(5000);
    const [row] = await v.sql("SELECT count(*) AS n, sum(CASE WHEN event = 'secret.read' THEN 1 ELSE 0 END) AS reads FROM audit");
    expect(Number(row?.n)).toBeGreaterThan(10_000);
    expect(Number(row?.reads)).toBeGreaterThan(6000);
  });

  it('reports nothing in the normal traffic: the last hour, day and week before the plants', () => {
    for (const [since, res] of Object.entries(built.noise)) {
      expect(res.status, since).toBe(200);
      expect(res.body.verified).toBe(true);
      expect(
        res.body.anomalies.map((f) => `${f.severity} ${f.check}: ${f.title}`),
        `findings in the normal traffic of the last ${since}`,
      ).toEqual([]);
      // Every check ran (a week-long window has no same-hour baseline).
      for (const c of res.body.checks)
        expect(c.ran, `${since}: ${c.check} (${c.note})`).toBe(!(since === '7d' && c.check === 'read_spike'));
    }
  });

  it('reports every planted anomaly with its check, severity, subject and the records that triggered it, and nothing else', () => {
    expect(built.planted.status).toBe(200);
    const report = built.planted.body;
    expect(report.verified).toBe(true);
    expect(new Set(built.plants.map((p) => p.check))).toEqual(
      new Set(report.checks.map((c) => c.check).filter((c) => c !== 'chain_broken')),
    );
    expectExactlyThePlants(report, built.plants);
  });

  it('shows each finding with its evidence: counts and times that agree with its records', () => {
    const report = built.planted.body;
    for (const f of report.anomalies) {
      if (f.firstTime === null || f.lastTime === null) continue;
      expect(Date.parse(f.firstTime)).toBeLessThanOrEqual(Date.parse(f.lastTime));
      const times = f.records.map((r) => Date.parse(r.time));
      // Newest first; the rotation finding shows the secret's last writes, from before the window.
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      if (f.check !== 'rotation_overdue') {
        expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse(f.lastTime));
        expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse(f.firstTime));
        expect(f.records.length).toBeLessThanOrEqual(Math.min(f.count, 10));
      }
    }
    // The busiest hour of the dump, which straddles 15:00: every read the store holds from its first.
    const volume = report.anomalies.find((f) => f.check === 'read_volume') as Finding;
    expect(volume.detail).toMatch(/the busiest readers were agent backup \(560\)/);
    expect(volume.count).toBeGreaterThan(560);
    expect(Date.parse(volume.firstTime as string)).toBeGreaterThan(PLANT_DAY + 14 * HOUR);
    expect(Date.parse(volume.firstTime as string)).toBeLessThanOrEqual(PLANT_DAY + 14 * HOUR + 40 * 60_000);
    expect(Date.parse(volume.lastTime as string)).toBeGreaterThanOrEqual(PLANT_DAY + 15 * HOUR + 32 * 60_000);
    expect(Date.parse(volume.lastTime as string)).toBeLessThan(Date.parse(volume.firstTime as string) + HOUR);
    const burst = report.anomalies.find((f) => f.check === 'denied_burst' && f.subject.ip === '10.0.66.6') as Finding;
    expect([burst.firstTime, burst.lastTime]).toEqual(['2026-12-08T16:31:00.000Z', '2026-12-08T17:27:00.000Z']);
  });

  it("a burst across o'clock is one hour's; read_spike, in clock hours, leaves read_volume's busiest reader to it", async () => {
    const spikes = built.planted.body.anomalies.filter((f) => f.check === 'read_spike');
    expect(spikes.map((f) => f.subject.actor)).toEqual(['billing']);
    const res = await fx.anomalies('24h', { disable: ['read_volume'] });
    expect(res.status).toBe(200);
    const report: Report = res.body;
    expect(report.checks.find((c) => c.check === 'read_volume')).toEqual({
      check: 'read_volume',
      ran: false,
      note: 'disabled in the configuration',
    });
    expect(report.anomalies.some((f) => f.check === 'read_volume')).toBe(false);
    // Without read_volume, the dump is backup's spikes: the clock hours 14 and 15 against the same
    // hours of past weeks, when it never read.
    const backup = report.anomalies.filter((f) => f.check === 'read_spike' && f.subject.actor === 'backup');
    expect(backup.map((f) => [f.severity, f.count, f.firstTime])).toEqual([
      ['warning', 360, '2026-12-08T15:00:00.000Z'],
      ['warning', 200, '2026-12-08T14:40:00.000Z'],
    ]);
    for (const f of backup) expect(f.title).toMatch(/averaged 0$/);
  });

  it('keeps to the configured time zone: 08:20 in Berlin is business hours there, not in UTC', async () => {
    const berlin = built.planted.body.anomalies.find((f) => f.check === 'off_hours_critical') as Finding;
    expect(berlin.count).toBe(1);
    expect(berlin.detail).toContain('at Tue 03:10 (Europe/Berlin)');
    const utc = await fx.anomalies('24h', { businessHours: { ...ANOMALY_CONFIG.businessHours, timeZone: 'UTC' } });
    const alice = (utc.body as Report).anomalies.filter((f) => f.check === 'off_hours_critical');
    // Only alice: the services that use critical secrets at night do so every night (their habit).
    expect(alice.map((f) => f.subject.actor)).toEqual(['alice']);
    expect(alice[0]?.count).toBe(2);
    expect(alice[0]?.records.map((r) => r.time)).toEqual(['2026-12-08T07:20:00.000Z', '2026-12-08T02:10:00.000Z']);
    // With no habit allowed, the payments service's reads at night are reported too.
    const strict = await fx.anomalies('24h', { offHoursHabit: 0 });
    const actors = (strict.body as Report).anomalies.filter((f) => f.check === 'off_hours_critical').map((f) => f.subject.actor);
    expect(actors.sort()).toEqual(['alice', 'payments', 'reports']);
  });

  it('without known ranges or expected pipelines, compares with the lookback instead', async () => {
    const res = await fx.admin('POST', '/v1/audit/anomalies', {
      since: '24h',
      config: { businessHours: ANOMALY_CONFIG.businessHours },
    });
    expect(res.status).toBe(200);
    const report: Report = res.body;
    const find = (check: string, subject: Record<string, string>) =>
      report.anomalies.find((f) => f.check === check && Object.entries(subject).every(([k, val]) => f.subject[k] === val));
    // New addresses: the stolen token's (it read a critical secret), the prober's, the guesser's, the new agent's.
    expect(find('unknown_address', { ip: '198.51.100.7' })?.severity).toBe('warning');
    for (const ip of ['10.0.66.6', '10.0.7.7', '10.0.9.9']) expect(find('unknown_address', { ip }), ip).toBeDefined();
    // ...but none of the addresses the services, people and runners always use.
    const known = report.anomalies.filter((f) => f.check === 'unknown_address' && /^10\.0\.[0-5]\.\d+$/.test(f.subject.ip ?? ''));
    expect(known).toEqual([]);
    expect(find('unexpected_pipeline', { repository: 'octo-org/sandbox' })?.severity).toBe('warning');
    expect(find('unexpected_pipeline', { repository: 'octo-org/octo-repo', ref: 'refs/heads/feature-x' })?.severity).toBe('info');
    expect(report.anomalies.filter((f) => f.check === 'unexpected_pipeline')).toHaveLength(2);
    expect(report.checks.find((c) => c.check === 'unexpected_pipeline')?.note).toMatch(/no pipelines configured/);
  });

  it('never shows a secret value', async () => {
    expect(built.planted.text).not.toContain(VALUE_CANARY);
    for (const res of Object.values(built.noise)) expect(res.text).not.toContain(VALUE_CANARY);
    const all = await fx.anomalies('30d', { offHoursHabit: 0, readsPerHour: 1, deniedPerHour: 1 });
    expect(all.status).toBe(200);
    expect((all.body as Report).anomalies.length).toBeGreaterThan(10);
    expect(all.text).not.toContain(VALUE_CANARY);
  });

  it('finds a record edited in the window first, as critical, whatever else it finds', async () => {
    const [row] = await v.sql(`SELECT seq FROM audit WHERE event = 'secret.read' AND ip = '198.51.100.7' ORDER BY seq DESC LIMIT 1`);
    const seq = Number(row?.seq);
    // The thief covers their tracks: the read now looks like one from the payments service.
    await v.sql('DROP TRIGGER audit_append_only_update');
    await v.sql(`UPDATE audit SET ip = '10.0.3.10' WHERE seq = ${seq}`);
    const res = await fx.anomalies('24h');
    expect(res.status).toBe(200);
    const report: Report = res.body;
    expect(report.verified).toBe(false);
    expect(report.anomalies[0]).toMatchObject({ check: 'chain_broken', severity: 'critical' });
    expect(report.anomalies[0]?.records.map((r) => r.seq)).toEqual([seq]);
    expect(report.anomalies[0]?.detail).toContain(`Record ${seq} was edited`);
    // The rest of the report is still there.
    expect(report.anomalies.length).toBeGreaterThan(built.plants.length);
  });
});

describe('nine days of traffic on SQLite and on PostgreSQL', () => {
  const runs: Awaited<ReturnType<typeof build>>[] = [];

  beforeAll(async () => {
    // The same plan on each store.
    for (const backend of ['sqlite', 'postgres'] as const) runs.push(await build(backend, 9));
  });
  afterAll(async () => {
    for (const r of runs) {
      await r.v.cleanup();
      await r.issuer.close();
    }
  });

  it.each([0, 1])('reports nothing in the normal traffic, and every plant (%i: 0 SQLite, 1 PostgreSQL)', (i) => {
    const run = runs[i] as (typeof runs)[number];
    expect(run.noise['24h']?.body.anomalies).toEqual([]);
    expect(run.noise['1h']?.body.anomalies).toEqual([]);
    const report = run.planted.body;
    expect(report.checks.find((c) => c.check === 'read_spike')?.note).toBeNull();
    expectExactlyThePlants(report, run.plants);
  });

  it('both stores agree, finding for finding and record for record', () => {
    const [a, b] = runs as [(typeof runs)[number], (typeof runs)[number]];
    expect(a.fx.requests).toBe(b.fx.requests);
    expect(normalised(b.planted.body)).toEqual(normalised(a.planted.body));
    expect(b.planted.body.checks).toEqual(a.planted.body.checks);
  });
});
