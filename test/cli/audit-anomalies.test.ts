/**
 * `ass audit anomalies` end to end: findings printed with what to do, --json, --fail-on and the exit
 * status, the configuration from a file and from flags (mistakes are usage errors naming the field),
 * and a tampered log that fails the command whatever --fail-on says.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ass } from '../helpers/cli-io.js';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-anomaly-cli-value-71c3';

describe('ass audit anomalies', () => {
  let v: TestVault;
  let env: Record<string, string>;
  let dir: string;
  // A Wednesday, 03:00 UTC: outside the default business hours.
  const clock = fakeClock(Date.parse('2026-11-25T03:00:00Z'));

  beforeAll(async () => {
    v = await startTestVault({ now: clock });
    dir = await mkdtemp(path.join(tmpdir(), 'ass-anomalies-'));
    env = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
    await v.call('PUT', '/v1/secrets/prod/db', { token: v.adminToken, body: { value: CANARY, tier: 'critical' } });
    await v.call('PUT', '/v1/secrets/prod/other', { token: v.adminToken, body: { value: CANARY, tier: 'standard' } });
    const key = await createAgent(v, 'nightly', ['secrets:read:prod/*']);
    const tok = await issueToken(v, key, { scopes: ['secrets:read:prod/db'], ttl: '30m', maxUses: 100 });
    for (let i = 0; i < 2; i++) expect((await v.call('GET', '/v1/secrets/prod/db', { token: tok.token })).status).toBe(200);
    for (let i = 0; i < 12; i++) expect((await v.call('GET', '/v1/secrets/prod/other', { token: tok.token })).status).toBe(403);
    clock.advance(60_000);
  });

  afterAll(async () => {
    await v?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints each finding with its severity, what to do and its records; warnings pass the default --fail-on', async () => {
    const r = await ass(['audit', 'anomalies', '--since', '2h'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Audit anomalies .*: 0 critical, \d+ warning, \d+ info; the log verifies/);
    expect(r.stdout).toMatch(/WARNING +off_hours_critical +agent nightly used the critical secret prod\/db outside business hours/);
    expect(r.stdout).toMatch(/WARNING +denied_burst +12 refused requests by agent nightly/);
    expect(r.stdout).toContain('what to do:');
    expect(r.stdout).toMatch(/#\d+ 2026-11-25T03:00:00.000Z secret.read granted token nightly prod\/db from 127.0.0.1/);
    expect(r.stdout).not.toContain(CANARY);
  });

  it('--fail-on warning exits 1; --fail-on none exits 0; --json prints the report', async () => {
    expect((await ass(['audit', 'anomalies', '--since', '2h', '--fail-on', 'warning'], env)).code).toBe(1);
    expect((await ass(['audit', 'anomalies', '--since', '2h', '--fail-on', 'none'], env)).code).toBe(0);
    const r = await ass(['audit', 'anomalies', '--since', '2h', '--json', '--fail-on', 'warning'], env);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verified).toBe(true);
    expect(report.anomalies.map((a: { check: string }) => a.check)).toEqual(expect.arrayContaining(['off_hours_critical', 'denied_burst']));
    const off = report.anomalies.find((a: { check: string }) => a.check === 'off_hours_critical');
    expect(off.records).toHaveLength(2);
    expect(off.records.every((x: { path: string; tier: string }) => x.path === 'prod/db' && x.tier === 'critical')).toBe(true);
    expect(r.stdout).not.toContain(CANARY);
  });

  it('takes business hours, time zone and known ranges from flags and from a config file', async () => {
    const allDay = await ass(['audit', 'anomalies', '--since', '2h', '--business-hours', 'mon-sun 00:00-24:00', '--json'], env);
    expect(JSON.parse(allDay.stdout).anomalies.some((a: { check: string }) => a.check === 'off_hours_critical')).toBe(false);
    // 03:00 UTC is 12:00 in Tokyo: business hours there.
    const tokyo = await ass(['audit', 'anomalies', '--since', '2h', '--time-zone', 'Asia/Tokyo', '--json'], env);
    expect(JSON.parse(tokyo.stdout).anomalies.some((a: { check: string }) => a.check === 'off_hours_critical')).toBe(false);
    const file = path.join(dir, 'anomalies.json');
    await writeFile(file, JSON.stringify({ knownRanges: ['10.0.0.0/8'], deniedPerHour: 50 }));
    const r = await ass(['audit', 'anomalies', '--since', '2h', '--config', file, '--json'], env);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.anomalies[0]).toMatchObject({ check: 'unknown_address', severity: 'critical', subject: { ip: '127.0.0.1' } });
    expect(report.anomalies.some((a: { check: string }) => a.check === 'denied_burst')).toBe(false);
    expect(report.config).toMatchObject({ knownRanges: ['10.0.0.0/8'], deniedPerHour: 50 });
    // A flag overrides the file's field.
    const flags = await ass(['audit', 'anomalies', '--since', '2h', '--config', file, '--known-range', '127.0.0.0/8', '--json'], env);
    expect(JSON.parse(flags.stdout).anomalies.some((a: { check: string }) => a.check === 'unknown_address')).toBe(false);
  });

  it('names the mistake in a configuration (exit 2) and changes nothing', async () => {
    const bad = async (args: string[], pattern: RegExp) => {
      const r = await ass(['audit', 'anomalies', ...args], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe('');
    };
    await bad(
      ['--business-hours', 'weekdays'],
      /--business-hours "weekdays" is not a range of days and times such as "mon-fri 09:00-19:00"/,
    );
    await bad(['--time-zone', 'Mars/Olympus'], /businessHours\.timeZone must be an IANA time zone/);
    await bad(['--known-range', '10.0.0.0/99'], /knownRanges entry "10.0.0.0\/99" is not a valid IPv4 or IPv6 address or CIDR/);
    await bad(['--disable', 'read_spike,nope'], /disable\.1/);
    await bad(['--fail-on', 'loud'], /--fail-on must be one of none, info, warning, critical/);
    await bad(['--since', 'yesterday'], /--since "yesterday" is neither a duration/);
    await bad(['--config', path.join(dir, 'missing.json')], /could not be read \(ENOENT\)/);
    const notJson = path.join(dir, 'bad.json');
    await writeFile(notJson, '{ readsPerHour: 5 ');
    await bad(['--config', notJson], /is not JSON/);
    await writeFile(notJson, JSON.stringify({ readsPerHour: 5, typo: 1 }));
    await bad(['--config', notJson], /the top level has unknown field\(s\) "typo"; the fields are readsPerHour, /);
    await writeFile(notJson, JSON.stringify({ knownRange: ['10.0.0.0/8'] }));
    await bad(['--config', notJson], /unknown field\(s\) "knownRange" \(did you mean knownRanges\?\)/);
    await writeFile(notJson, JSON.stringify({ businessHours: { timezone: 'UTC' } }));
    await bad(['--config', notJson], /the field businessHours has unknown field\(s\) "timezone" \(did you mean timeZone\?\)/);
    await bad(['--business-hours', 'mon-fri 09:00-09:00'], /start and end are the same time/);
  });

  it('a tampered log fails the command whatever --fail-on says, and comes first', async () => {
    // The attacker has the database file: the append-only triggers are theirs to drop.
    await v.sql('DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;');
    await v.sql(
      "UPDATE audit SET reason = 'rewritten' WHERE seq = (SELECT MAX(seq) FROM audit WHERE event = 'secret.read' AND status = 'granted')",
    );
    const r = await ass(['audit', 'anomalies', '--since', '2h', '--fail-on', 'none', '--json'], env);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verified).toBe(false);
    expect(report.anomalies[0]).toMatchObject({ check: 'chain_broken', severity: 'critical' });
    const text = await ass(['audit', 'anomalies', '--since', '2h', '--fail-on', 'none'], env);
    expect(text.stdout).toContain('THE LOG FAILS VERIFICATION');
  });
});
