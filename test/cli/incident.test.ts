/**
 * `ass incident PATH` end to end: the tokens that reach a leaked secret, who read it, revoking
 * them, rotating it, and its history as CSV; --dry-run changes nothing.
 */
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecordCount } from '../../src/cli/common.js';
import { ass } from '../helpers/cli-io.js';
import { createAgent, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-incident-value-2b8e';
const LEAKED = 'production/payments/stripe/secret-key';

let v: TestVault;
let dir: string;
let env: Record<string, string>;
let reach: { token: string; id: string }[];
let other: { token: string; id: string };

beforeAll(async () => {
  v = await startTestVault();
  dir = await mkdtemp(path.join(tmpdir(), 'ass-incident-'));
  env = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
  await v.call('PUT', `/v1/secrets/${LEAKED}`, { token: v.adminToken, body: { value: CANARY, tier: 'critical' } });
  await v.call('PUT', `/v1/rotation/policies/${LEAKED}`, { token: v.adminToken, body: { rotator: 'random', settings: { length: 32 } } });
  const key = await createAgent(v, 'payment-service', ['secrets:read:production/*']);
  reach = [
    await issueToken(v, key, { scopes: ['secrets:read:production/payments/*'] }),
    await issueToken(v, key, { scopes: [`secrets:read:${LEAKED}`] }),
  ];
  other = await issueToken(v, key, { scopes: ['secrets:read:production/gemini/*'] });
  for (const t of reach) await v.call('GET', `/v1/secrets/${LEAKED}`, { token: t.token });
  await v.call('GET', `/v1/secrets/${LEAKED}`, { token: other.token });
});

afterAll(async () => {
  await v.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('ass incident', () => {
  it('--dry-run lists the tokens that reach the path and who read it, and changes nothing', async () => {
    const r = await ass(['incident', LEAKED, '--revoke', '--rotate', '--dry-run'], env, { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    for (const t of reach) expect(r.stdout).toContain(`would revoke token ${t.id}`);
    // (It tried to read the secret and was refused: a reader with REFUSED 1, but no token that reaches it.)
    expect(r.stdout).not.toContain(`would revoke token ${other.id}`);
    expect(r.stdout).toMatch(/Who read it: 2 read\(s\)/);
    expect(r.stdout).toContain('policy production/payments/stripe/secret-key (random)');
    expect(r.stdout).toContain('would write');
    expect((await readdir(dir)).filter((f) => f.endsWith('.csv'))).toEqual([]);
    const dry = await ass(['incident', LEAKED, '--revoke', '--dry-run', '--json'], env, { cwd: dir });
    expect(JSON.parse(dry.stdout).wouldRevoke.sort()).toEqual(reach.map((t) => t.id).sort());
    const live = await v.call('GET', `/v1/tokens?path=${LEAKED}`, { token: v.adminToken });
    expect(live.body.tokens).toHaveLength(2);
    expect((await v.call('GET', `/v1/metadata/${LEAKED}`, { token: v.adminToken })).body.version).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
  });

  it('--revoke --rotate revokes every token that reaches it, rotates it, and writes the history as CSV', async () => {
    const r = await ass(['incident', LEAKED, '--revoke', '--rotate', '--json'], env, { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.revoked.sort()).toEqual(reach.map((t) => t.id).sort());
    expect(out.rotated).toBe(true);
    expect(out.readers).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'token:payment-service', reads: 1 })]));
    for (const t of reach) expect((await v.call('GET', `/v1/secrets/${LEAKED}`, { token: t.token })).status).toBe(401);
    expect((await v.call('GET', '/v1/tokens/self', { token: other.token })).body.active).toBe(true);
    expect((await v.call('GET', `/v1/metadata/${LEAKED}`, { token: v.adminToken })).body.version).toBe(2);
    const csv = await readFile(out.history.file, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^seq,time,requestId,event,status/);
    expect(csv).toContain('secret.read');
    expect(csv + r.stdout + r.stderr).not.toContain(CANARY);
    // The default name carries the time (no earlier report is overwritten); only its owner reads it.
    expect(path.basename(out.history.file)).toMatch(/^incident-production-payments-stripe-secret-key-\d{8}T\d{6}Z\.csv$/);
    expect((await stat(out.history.file)).mode & 0o777).toBe(0o600);
    expect(out.history.records).toBe(csv.split('\r\n').filter((l) => /^\d+,/.test(l)).length);
  });

  it('writes the CSV as a new private file: a world-readable file or a symlink at the name decides nothing', async () => {
    const open = path.join(dir, 'open.csv');
    await writeFile(open, 'old', { mode: 0o644 });
    const target = path.join(dir, 'target.txt');
    await writeFile(target, 'untouched', { mode: 0o644 });
    const link = path.join(dir, 'link.csv');
    await symlink(target, link);
    for (const file of [open, link]) {
      const r = await ass(['incident', LEAKED, '--output', file], env, { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readFile(file, 'utf8')).toMatch(/^seq,time/);
    }
    expect(await readFile(target, 'utf8')).toBe('untouched');
    const cp = path.join(dir, 'cp.json');
    await writeFile(cp, '{}', { mode: 0o666 });
    expect((await ass(['audit', 'checkpoint', '--output', cp], env, { cwd: dir })).code).toBe(0);
    expect((await stat(cp)).mode & 0o777).toBe(0o600);
  });

  it('refuses a bad path and an unknown option with usage errors', async () => {
    expect((await ass(['incident', '../etc'], env, { cwd: dir })).code).toBe(2);
    expect((await ass(['incident'], env, { cwd: dir })).code).toBe(2);
    expect((await ass(['incident', LEAKED, '--output', '-'], env, { cwd: dir })).code).toBe(2);
  });
});

it('counts CSV records, not lines: a quoted cell may hold line breaks', () => {
  expect(csvRecordCount('a,b\r\n')).toBe(0);
  expect(csvRecordCount('a,b\r\n1,"x\r\ny"\r\n2,z\r\n')).toBe(2);
  expect(csvRecordCount('a,b\r\n1,"say ""hi""\n"\r\n2,z')).toBe(2);
  expect(csvRecordCount('')).toBe(0);
});

it('a mistyped path is an error, not a reassuring empty report', async () => {
  const v2 = await startTestVault();
  try {
    const r = await ass(['incident', 'production/payments/stripe/nope'], { ASS_URL: v2.url, ASS_TOKEN: v2.adminToken }, { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('No secret is stored at production/payments/stripe/nope and the audit log holds no read or write of it');
  } finally {
    await v2.cleanup();
  }
});
