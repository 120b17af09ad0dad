/**
 * POST /v1/audit/anomalies beyond the traffic fixture: the configuration (each mistake a 400 that
 * names the field and the fix), `disable`, the bounds of `since`, business hours across a DST
 * change, hostile text in claims coming back as data, no secret value in a report, and a log
 * edited or cut behind the vault's back reported first.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anomalySettings, offHoursRanges } from '../../src/server/anomalies.js';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-anomalies-value-93d1';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A Tuesday, 02:00 UTC: outside business hours in UTC and in Berlin.
const START = Date.parse('2026-11-24T02:00:00Z');

interface Finding {
  check: string;
  severity: string;
  title: string;
  detail: string;
  subject: Record<string, string>;
  count: number;
  records: { seq: number; event: string; status?: string; path: string | null; ip: string | null; claims: Record<string, string> | null }[];
}

/**
 * A small vault: a secret written ten and eight days ago; two days ago a critical secret and an
 * agent, which reads it twice at 02:00 today and is refused once.
 */
async function smallVault() {
  const clock = fakeClock(START - 10 * DAY);
  const v = await startTestVault({ now: clock });
  const admin = v.adminToken;
  await v.call('PUT', '/v1/secrets/archive/a', { token: admin, body: { value: CANARY } });
  clock.set(START - 8 * DAY);
  await v.call('PUT', '/v1/secrets/archive/b', { token: admin, body: { value: CANARY } });
  clock.set(START - 2 * DAY);
  await v.call('PUT', '/v1/secrets/prod/db', { token: admin, body: { value: CANARY, tier: 'critical' } });
  await v.call('PUT', '/v1/secrets/prod/other', { token: admin, body: { value: CANARY, tier: 'standard' } });
  const key = await createAgent(v, 'nightly', ['secrets:read:prod/*']);
  clock.set(START);
  const tok = await issueToken(v, key, { scopes: ['secrets:read:prod/db'], ttl: '30m', maxUses: 10 });
  for (let i = 0; i < 2; i++) expect((await v.call('GET', '/v1/secrets/prod/db', { token: tok.token })).status).toBe(200);
  expect((await v.call('GET', '/v1/secrets/prod/other', { token: tok.token })).status).toBe(403);
  clock.advance(60_000);
  const report = (body: unknown = { since: '2h' }) => v.call('POST', '/v1/audit/anomalies', { token: admin, body });
  return { v, clock, report };
}

describe('the configuration', () => {
  let s: Awaited<ReturnType<typeof smallVault>>;
  beforeAll(async () => {
    s = await smallVault();
  });
  afterAll(async () => s?.v.cleanup());

  it.each([
    [
      { knownRanges: ['10.0.0.0/33'] },
      /config\.knownRanges entry "10\.0\.0\.0\/33" is not a valid IPv4 or IPv6 address or CIDR \(examples: /,
    ],
    [{ knownRanges: [''] }, /config\.knownRanges entry is empty: give a CIDR such as 10\.0\.1\.0\/24/],
    [
      { businessHours: { timeZone: 'Mars/Olympus' } },
      /field config\.businessHours\.timeZone .*must be an IANA time zone such as UTC, Europe\/Berlin/,
    ],
    [{ businessHours: { start: '24:30' } }, /field config\.businessHours\.start .*must be a time of day as HH:MM/],
    [{ businessHours: { days: ['mon', 'someday'] } }, /field config\.businessHours\.days\."1" .*must be one of sun, mon, tue/],
    [
      { businessHours: { start: '09:00', end: '09:00' } },
      /config\.businessHours: start and end are the same time; give a range such as 09:00 to 19:00/,
    ],
    [{ disable: ['read_spike', 'read_volumes'] }, /field config\.disable\."1" .*expected one of .*"read_volume"/],
    [{ lookback: 'a month' }, /field config\.lookback .*must be a duration back from now/],
    [{ maxCriticalTokenTtl: 'forever' }, /config\.maxCriticalTokenTtl/],
    [{ offHoursHabit: -1 }, /field config\.offHoursHabit/],
    [{ spikeFactor: 1 }, /field config\.spikeFactor .*1\.5/],
    [{ readsPerHours: 5 }, /unknown field\(s\) "readsPerHours"|readsPerHours/],
  ])('%j is refused with a message that names the field and the fix', async (config, message) => {
    const res = await s.report({ since: '2h', config });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.message).toMatch(message);
  });

  it('disable leaves a check out, and the report says so', async () => {
    const all = await s.report();
    expect(all.status).toBe(200);
    expect(all.body.anomalies.map((a: Finding) => a.check).sort()).toEqual(['first_read', 'off_hours_critical']);
    const res = await s.report({ since: '2h', config: { disable: ['off_hours_critical', 'first_read'] } });
    expect(res.status).toBe(200);
    expect(res.body.anomalies).toEqual([]);
    const checks = res.body.checks as { check: string; ran: boolean; note: string | null }[];
    expect(checks.filter((c) => !c.ran).map((c) => [c.check, c.note])).toEqual([
      ['off_hours_critical', 'disabled in the configuration'],
      ['first_read', 'disabled in the configuration'],
    ]);
    expect(res.body.config.disable).toEqual(['off_hours_critical', 'first_read']);
  });

  it('echoes the configuration it ran with, defaults filled in', async () => {
    const res = await s.report({ since: '2h', config: { readsPerHour: 100, businessHours: { timeZone: 'Europe/Berlin' } } });
    expect(res.body.config).toMatchObject({
      readsPerHour: 100,
      spikeFactor: 3,
      offHoursHabit: 4,
      businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '19:00', timeZone: 'Europe/Berlin' },
      lookback: '30d',
    });
  });
});

describe('the window', () => {
  let s: Awaited<ReturnType<typeof smallVault>>;
  beforeAll(async () => {
    s = await smallVault();
  });
  afterAll(async () => s?.v.cleanup());

  it('starts at since, to the millisecond', async () => {
    const reads = await s.v.sql("SELECT time FROM audit WHERE event = 'secret.read' AND status = 'granted' ORDER BY seq");
    const [first, second] = reads.map((r) => Number(r.time));
    const off = async (since: number) =>
      ((await s.report({ since: new Date(since).toISOString() })).body.anomalies as Finding[]).find(
        (a) => a.check === 'off_hours_critical',
      );
    expect((await off(first as number))?.count).toBe(2);
    // Both reads happened in the same millisecond of the fake clock: one later, none.
    expect(second).toBe(first);
    expect(await off((first as number) + 1)).toBeUndefined();
  });

  it('defaults to the last hour; refuses a window that starts in the future or that is not a time', async () => {
    const res = await s.v.call('POST', '/v1/audit/anomalies', { token: s.v.adminToken, body: {} });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.until) - Date.parse(res.body.since)).toBe(HOUR);
    const future = await s.report({ since: '2099-01-01T00:00:00Z' });
    expect(future.status).toBe(400);
    expect(future.body.error.message).toMatch(/since must be in the past/);
    const words = await s.report({ since: 'yesterday' });
    expect(words.status).toBe(400);
    expect(words.body.error.message).toMatch(/field since .*a duration back from now \(15m, 1h, 7d\) or an ISO time/);
  });

  it('notes the checks that a long window or a short history leave out', async () => {
    const res = await s.report({ since: '11d' });
    const note = (check: string) => (res.body.checks as { check: string; note: string | null }[]).find((c) => c.check === check)?.note;
    expect(note('read_spike')).toMatch(/^skipped: the window is longer than a week/);
    // The log began ten days ago: nothing before an 11-day window to compare with.
    expect(note('first_read')).toMatch(/^skipped: the log holds less than a day before the window/);
  });

  it('is for admins and auditors only', async () => {
    const viewer = await s.v.call('POST', '/v1/users', { token: s.v.adminToken, body: { name: 'vera', role: 'viewer' } });
    expect((await s.v.call('POST', '/v1/audit/anomalies', { token: viewer.body.token, body: {} })).status).toBe(403);
    const auditor = await s.v.call('POST', '/v1/users', { token: s.v.adminToken, body: { name: 'aud', role: 'auditor' } });
    expect((await s.v.call('POST', '/v1/audit/anomalies', { token: auditor.body.token, body: {} })).status).toBe(200);
  });
});

describe('business hours in a time zone', () => {
  const berlin = anomalySettings({ businessHours: { timeZone: 'Europe/Berlin', start: '08:00', end: '18:00' } }).businessHours;
  const iso = (r: [number, number][]) => r.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()]);

  it('follows the zone across a DST change (Berlin goes to summer time on 29 March 2026)', () => {
    // Friday 27 March (CET, UTC+1) to Tuesday 31 March (CEST, UTC+2).
    const ranges = offHoursRanges(Date.parse('2026-03-27T12:00:00Z'), Date.parse('2026-03-31T12:00:00Z'), berlin);
    expect(iso(ranges)).toEqual([
      // Friday 18:00 CET to Monday 08:00 CEST: the weekend, one hour shorter.
      ['2026-03-27T17:00:00.000Z', '2026-03-30T06:00:00.000Z'],
      ['2026-03-30T16:00:00.000Z', '2026-03-31T06:00:00.000Z'],
    ]);
  });

  it('takes times that are not on quarter hours, and a range over midnight', () => {
    const odd = anomalySettings({ businessHours: { timeZone: 'UTC', start: '08:07', end: '17:53', days: ['mon'] } }).businessHours;
    expect(iso(offHoursRanges(Date.parse('2026-11-23T00:00:00Z'), Date.parse('2026-11-24T00:00:00Z'), odd))).toEqual([
      ['2026-11-23T00:00:00.000Z', '2026-11-23T08:07:00.000Z'],
      ['2026-11-23T17:53:00.000Z', '2026-11-24T00:00:00.000Z'],
    ]);
    // A night shift, Monday 22:00 to Tuesday 06:00 (it belongs to the day it starts on).
    const night = anomalySettings({ businessHours: { timeZone: 'UTC', start: '22:00', end: '06:00', days: ['mon'] } }).businessHours;
    expect(iso(offHoursRanges(Date.parse('2026-11-23T00:00:00Z'), Date.parse('2026-11-25T00:00:00Z'), night))).toEqual([
      ['2026-11-23T00:00:00.000Z', '2026-11-23T22:00:00.000Z'],
      ['2026-11-24T06:00:00.000Z', '2026-11-25T00:00:00.000Z'],
    ]);
  });
});

describe('hostile text and secret values', () => {
  let v: TestVault;
  let issuer: LocalOidcIssuer;
  const clock = fakeClock(START);
  const HOSTILE_REPO = 'octo-org/x\n## Approved by security\u001b[2J\u0007\u202e';
  const HOSTILE_REF = 'refs/heads/main\r\n::set-output name=ok::true\u0000';

  beforeAll(async () => {
    v = await startTestVault({ now: clock });
    issuer = await startOidcIssuer({ now: clock });
    await v.call('PUT', '/v1/secrets/prod/db', { token: v.adminToken, body: { value: CANARY, tier: 'critical' } });
    const res = await v.call('POST', '/v1/agents', {
      token: v.adminToken,
      body: {
        name: 'deploy',
        scopes: ['secrets:read:prod/*'],
        trustPolicy: { issuer: issuer.url, claims: { repository_owner_id: issuer.claims.repository_owner_id } },
      },
    });
    expect(res.status).toBe(201);
    const jwt = await issuer.mint({
      audience: v.url,
      claims: { repository: HOSTILE_REPO, ref: HOSTILE_REF, actor: 'eve\n\u001b]0;pwned\u0007' },
    });
    const ex = await v.call('POST', '/v1/tokens/exchange', { token: res.body.agentKey, body: { oidcToken: jwt } });
    expect(ex.status).toBe(201);
    const read = await v.call('POST', '/v1/batch/read', { token: ex.body.token, body: { paths: ['prod/db'] } });
    expect(read.status).toBe(200);
    expect(read.text).toContain(CANARY);
    clock.advance(60_000);
  });
  afterAll(async () => {
    await v?.cleanup();
    await issuer?.close();
  });

  it('claims with line breaks and control characters come back as data in a well-formed report', async () => {
    const res = await v.call('POST', '/v1/audit/anomalies', {
      token: v.adminToken,
      body: { since: '1h', config: { pipelines: { repositories: ['octo-org/octo-repo'] } } },
    });
    expect(res.status).toBe(200);
    // JSON escapes every control character: none reaches the wire raw.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters is the point
    expect(res.text).not.toMatch(/[\u0000-\u001f]/);
    const finding = (res.body.anomalies as Finding[]).find((a) => a.check === 'unexpected_pipeline') as Finding;
    expect(finding.severity).toBe('critical');
    // As the vault stored them: line breaks kept, other controls replaced (src/core/text.ts), nothing dropped.
    const storedRepo = 'octo-org/x\n## Approved by security\uFFFD[2J\uFFFD\u202e';
    const storedRef = 'refs/heads/main\uFFFD\n::set-output name=ok::true\uFFFD';
    expect(finding.subject).toEqual({ repository: storedRepo, ref: storedRef });
    expect(finding.title).toContain(storedRepo);
    expect(finding.records[0]?.claims).toMatchObject({ repository: storedRepo, ref: storedRef });
    expect(finding.count).toBe(1);
  });

  it('paths and names with line breaks and escapes, refused as requests, come back as data in the records', async () => {
    const path = await v.call('GET', '/v1/secrets/x%0A%1B%5B31m%07/y', { token: v.adminToken });
    expect(path.status).toBe(400);
    const agent = await v.call('POST', '/v1/agents', {
      token: v.adminToken,
      body: { name: 'evil\n\u001b[2Jname', scopes: ['secrets:read:x/*'] },
    });
    expect(agent.status).toBe(400);
    clock.advance(1000);
    // From loopback, outside the known range: the address's newest requests are the finding's records.
    const res = await v.call('POST', '/v1/audit/anomalies', {
      token: v.adminToken,
      body: { since: '1h', config: { knownRanges: ['10.0.0.0/8'] } },
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters is the point
    expect(res.text).not.toMatch(/[\u0000-\u001f]/);
    const finding = (res.body.anomalies as Finding[]).find((a) => a.check === 'unknown_address' && a.subject.ip === '127.0.0.1');
    expect(finding?.severity).toBe('critical');
    const reasons = (finding?.records ?? []).map((r) => (r as unknown as { reason: string | null }).reason ?? '');
    expect(reasons.some((r) => r.startsWith('invalid_input:'))).toBe(true);
    for (const r of reasons) for (const c of ['\u001b', '\u0007']) expect(r).not.toContain(c);
  });

  it('no secret value appears in any report', async () => {
    for (const config of [{}, { readsPerHour: 1, deniedPerHour: 1, offHoursHabit: 0, knownRanges: ['10.0.0.0/8'] }]) {
      const res = await v.call('POST', '/v1/audit/anomalies', { token: v.adminToken, body: { since: '2h', config } });
      expect(res.status).toBe(200);
      expect(res.body.anomalies.length).toBeGreaterThan(0);
      expect(res.text).not.toContain(CANARY);
    }
  });
});

describe('a log changed behind the vault', () => {
  let s: Awaited<ReturnType<typeof smallVault>> | undefined;
  afterEach(async () => {
    await s?.v.cleanup();
    s = undefined;
  });
  const dropTriggers = (v: TestVault) => v.sql('DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;');
  const lastRead = async (v: TestVault) =>
    Number((await v.sql("SELECT max(seq) AS seq FROM audit WHERE event = 'secret.read' AND status = 'granted'"))[0]?.seq);

  it('an edited record: critical, first, with the record', async () => {
    s = await smallVault();
    const seq = await lastRead(s.v);
    await dropTriggers(s.v);
    await s.v.sql(`UPDATE audit SET path = 'prod/other', tier = 'standard' WHERE seq = ${seq}`);
    const res = await s.report();
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(false);
    expect(res.body.anomalies[0]).toMatchObject({ check: 'chain_broken', severity: 'critical', count: 1 });
    expect(res.body.anomalies[0].detail).toContain(`Record ${seq} was edited`);
    expect(res.body.anomalies[0].records.map((r: { seq: number }) => r.seq)).toEqual([seq]);
    // What the edit hid is still counted as it now reads; the broken chain says not to trust it.
    expect(res.body.anomalies.length).toBeGreaterThan(1);
  });

  it('a deleted record: critical, naming the gap', async () => {
    s = await smallVault();
    const seq = await lastRead(s.v);
    await dropTriggers(s.v);
    await s.v.sql(`DELETE FROM audit WHERE seq = ${seq}`);
    const res = await s.report();
    expect(res.body.verified).toBe(false);
    expect(res.body.anomalies[0]).toMatchObject({ check: 'chain_broken', severity: 'critical' });
    expect(res.body.anomalies[0].detail).toMatch(new RegExp(`Records? ${seq}( to ${seq})? (is|are) missing`));
  });

  it('the record just before the records it verifies deleted: the cut is found all the same', async () => {
    s = await smallVault();
    // With a one-day lookback and a one-week baseline, a 2h report verifies back to a week and 2h
    // ago: from the records of two days ago. The one before them is archive/b's, eight days ago.
    const [row] = await s.v.sql("SELECT seq FROM audit WHERE event = 'secret.write' AND path = 'archive/b'");
    const seq = Number(row?.seq);
    await dropTriggers(s.v);
    await s.v.sql(`DELETE FROM audit WHERE seq = ${seq}`);
    const res = await s.report({ since: '2h', config: { lookback: '1d', baselineWeeks: 1 } });
    expect(res.body.verified).toBe(false);
    expect(res.body.anomalies[0]).toMatchObject({ check: 'chain_broken', severity: 'critical' });
    expect(res.body.anomalies[0].detail).toContain(`Record ${seq} is missing (deleted): the log jumps to record ${seq + 1}.`);
    const note = (res.body.checks as { check: string; note: string }[]).find((c) => c.check === 'chain_broken')?.note;
    expect(note).toMatch(/since 2026-11-1[67]T/);
  });

  it('an edit in the lookback, before the window: its baselines are not to be trusted either', async () => {
    s = await smallVault();
    // The first records (the secrets written two days ago) are outside a 2h window, inside the 30d lookback.
    await dropTriggers(s.v);
    await s.v.sql("UPDATE audit SET reason = 'nothing to see' WHERE seq = 3");
    const res = await s.report();
    expect(res.body.verified).toBe(false);
    expect(res.body.anomalies[0]).toMatchObject({ check: 'chain_broken', severity: 'critical' });
    const note = (res.body.checks as { check: string; note: string }[]).find((c) => c.check === 'chain_broken')?.note;
    expect(note).toMatch(/^re-verified \d+ records since .* \(the window and the lookback its baselines read\)$/);
  });

  it('once ass audit verify has found it, the vault serves only the log, and the report still leads with it', async () => {
    s = await smallVault();
    const seq = await lastRead(s.v);
    await dropTriggers(s.v);
    await s.v.sql(`UPDATE audit SET ip = '10.9.9.9' WHERE seq = ${seq}`);
    const verify = await s.v.call('GET', '/v1/audit/verify', { token: s.v.adminToken });
    expect(verify.body.ok).toBe(false);
    expect((await s.v.call('GET', '/v1/secrets/prod/db', { token: s.v.adminToken })).status).toBe(503);
    const res = await s.report();
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(false);
    expect(res.body.anomalies[0]).toMatchObject({ check: 'chain_broken', severity: 'critical' });
    expect(res.body.anomalies[0].records.map((r: { seq: number }) => r.seq)).toEqual([seq]);
    expect(res.body.anomalies[0].detail).toMatch(/releases and changes nothing until the log is restored/);
  });
});

describe('findings a new user hit', () => {
  it('long_lived_token sees a token released by an approval, as it sees one issued directly', async () => {
    const clock = fakeClock(START);
    const v = await startTestVault({ now: clock, approvals: 'default' });
    try {
      await v.call('PUT', '/v1/secrets/prod/pay', { token: v.adminToken, body: { value: CANARY, tier: 'critical' } });
      const key = await createAgent(v, 'payments', ['secrets:read:prod/*']);
      const held = await v.call('POST', '/v1/tokens', { token: key, body: { scopes: ['secrets:read:prod/pay'], ttl: '24h' } });
      expect(held.status).toBe(202);
      const id = held.body.error.details.id as string;
      expect((await v.call('POST', `/v1/approvals/${id}/approve`, { token: v.adminToken, body: {} })).status).toBe(200);
      const collected = await v.call('POST', `/v1/approvals/${id}/collect`, { token: key, body: {} });
      expect(collected.status).toBe(200);
      clock.advance(60_000);
      const res = await v.call('POST', '/v1/audit/anomalies', { token: v.adminToken, body: { since: '1h' } });
      const found = (res.body.anomalies as Finding[]).find((a) => a.check === 'long_lived_token');
      expect(found?.subject.tokenId).toBe(collected.body.token.id);
      expect(found?.records[0]?.event).toBe('approval.collect');
      expect(res.text).not.toContain(CANARY);
      // Revoked since (by ass incident, say): nothing left to do, no finding.
      expect((await v.call('DELETE', `/v1/tokens/${collected.body.token.id}`, { token: v.adminToken })).status).toBe(200);
      const after = await v.call('POST', '/v1/audit/anomalies', { token: v.adminToken, body: { since: '1h' } });
      expect((after.body.anomalies as Finding[]).some((a) => a.check === 'long_lived_token')).toBe(false);
    } finally {
      await v.cleanup();
    }
  });

  it('unknown_address leaves out a pipeline on a hosted runner (its claims say who it is), unless asked to check pipelines', async () => {
    const clock = fakeClock(START);
    const v = await startTestVault({ now: clock });
    const issuer = await startOidcIssuer({ now: clock });
    try {
      await v.call('PUT', '/v1/secrets/prod/db', { token: v.adminToken, body: { value: CANARY, tier: 'critical' } });
      const res = await v.call('POST', '/v1/agents', {
        token: v.adminToken,
        body: {
          name: 'deploy',
          scopes: ['secrets:read:prod/*'],
          trustPolicy: { issuer: issuer.url, claims: { repository_owner_id: issuer.claims.repository_owner_id } },
        },
      });
      clock.advance(60_000);
      const since = new Date(clock() - 1000).toISOString();
      const ex = await v.call('POST', '/v1/tokens/exchange', {
        token: res.body.agentKey,
        body: { oidcToken: await issuer.mint({ audience: v.url }) },
      });
      expect(ex.status).toBe(201);
      expect((await v.call('GET', '/v1/secrets/prod/db', { token: ex.body.token })).status).toBe(200);
      // (The admin's own calls come before and after the pipeline's minute.)
      clock.advance(60_000);
      const config = { knownRanges: ['10.0.0.0/8'] };
      const quiet = await v.call('POST', '/v1/audit/anomalies', { token: v.adminToken, body: { since, config } });
      expect((quiet.body.anomalies as Finding[]).filter((a) => a.check === 'unknown_address')).toEqual([]);
      const strict = await v.call('POST', '/v1/audit/anomalies', {
        token: v.adminToken,
        body: { since, config: { ...config, checkPipelineAddresses: true } },
      });
      expect((strict.body.anomalies as Finding[]).find((a) => a.check === 'unknown_address')?.severity).toBe('critical');
      // A refused exchange from the same address is someone without a valid CI token: reported.
      const forged = await v.call('POST', '/v1/tokens/exchange', { token: res.body.agentKey, body: { oidcToken: 'not.a.jwt' } });
      expect(forged.status).toBeGreaterThanOrEqual(400);
      clock.advance(1000);
      const after = await v.call('POST', '/v1/audit/anomalies', { token: v.adminToken, body: { since, config } });
      const finding = (after.body.anomalies as Finding[]).find((a) => a.check === 'unknown_address');
      expect(finding?.records.some((r) => r.event === 'token.exchange' && r.status === 'denied')).toBe(true);
    } finally {
      await v.cleanup();
      await issuer.close();
    }
  });
});
