/**
 * `ass rotation` and `ass rotate` end to end against a real vault: each built-in rotator that
 * needs no outside service, a failed test that leaves the current value as it was, dry runs, due
 * rotations, two rotators racing, and no value in anything the commands print.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ass, type CliResult } from '../helpers/cli-io.js';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

const OLD = 'canary-old-rotation-value';
let v: TestVault;
let dir: string;
let admin: Record<string, string>;
const clock = fakeClock(Date.now());
const printed: string[] = [];

async function run(args: string[], env = admin): Promise<CliResult> {
  const r = await ass(args, env);
  printed.push(r.stdout, r.stderr);
  return r;
}

const value = async (p: string, extra: string[] = []) => (await ass(['secrets', 'get', p, '--silent', ...extra], admin)).stdout;

beforeAll(async () => {
  v = await startTestVault({ now: clock });
  admin = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
  dir = await mkdtemp(path.join(tmpdir(), 'ass-rotate-cli-'));
  for (const p of ['app/webhook', 'app/key', 'app/broken', 'app/due']) {
    expect((await ass(['secrets', 'set', p, OLD, '--type', 'api_key', '--tier', 'sensitive'], admin)).code).toBe(0);
  }
});
afterAll(async () => {
  await v.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('ass rotation set / show / list / delete', () => {
  it('sets a policy per secret or prefix, shows it, and refuses bad rotator settings before saving anything', async () => {
    const set = await run([
      'rotation',
      'set',
      'app/webhook',
      '--rotator',
      'random',
      '--length',
      '40',
      '--prefix',
      'whsec_',
      '--every',
      '30d',
      '--grace',
      '2h',
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe('Rotation policy for app/webhook: random, every 30d, grace 2h.\n');
    const bad = await run(['rotation', 'set', 'app/webhook', '--rotator', 'random', '--length', '8']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/length.*at least 16/);
    expect((await run(['rotation', 'set', 'app/x', '--rotator', 'postgres'])).stderr).toMatch(/--admin-secret PATH/);
    expect((await run(['rotation', 'set', 'app/x', '--rotator', 'postgres', '--admin-secret', 'db/a', '--roles', 'a'])).stderr).toMatch(
      /exactly two roles/,
    );
    // An option of another rotator is refused, not dropped.
    const foreign = await run(['rotation', 'set', 'app/x', '--rotator', 'random', '--command', 'ls']);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/--command is an option of the command rotator/);
    const show = await run(['rotation', 'show', 'app/webhook']);
    expect(show.stdout).toMatch(/policy +app\/webhook/);
    expect(show.stdout).toMatch(/settings +length=40 alphabet=alphanumeric prefix=whsec_/);
    const json = JSON.parse((await run(['rotation', 'list', '--json'])).stdout);
    expect(json.secrets.map((s: { path: string }) => s.path)).toEqual(['app/webhook']);
    expect((await run(['rotation', 'list', '--due'])).stdout).toBe('Nothing is due for rotation.\n');
    // A path no policy covers is not found (exit 4), and says how to set one.
    const none = await run(['rotate', 'nope/none']);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/No rotation policy covers nope\/none.*ass rotation set/);
  });
});

describe('ass rotate', () => {
  it('random: a new value, the old one readable as previous for the grace period; nothing printed holds either', async () => {
    const r = await run(['rotate', 'app/webhook', '--json']);
    expect(r.code).toBe(0);
    const [result] = JSON.parse(r.stdout).results;
    expect(result).toMatchObject({
      path: 'app/webhook',
      rotator: 'random',
      status: 'rotated',
      fromVersion: 1,
      toVersion: 2,
      test: 'passed',
    });
    const now = await value('app/webhook');
    expect(now).toMatch(/^whsec_[A-Za-z0-9]{40}$/);
    expect(await value('app/webhook', ['--stage', 'previous'])).toBe(OLD);
    expect(r.stdout + r.stderr).not.toContain(now);
    const versions = await run(['secrets', 'versions', 'app/webhook']);
    expect(versions.stdout).toMatch(/previous readable until/);
    expect(versions.stdout).toMatch(/2 +current/);
  });

  it('command: runs the script for the value and the test command with it on stdin; a failing test aborts and leaves the current value', async () => {
    const create = path.join(dir, 'create-key.sh');
    const test = path.join(dir, 'test-key.sh');
    const failing = path.join(dir, 'test-fail.sh');
    await writeFile(create, '#!/bin/sh\necho "canary-new-from-script-$ASS_ROTATION_ID"\n');
    await writeFile(test, '#!/bin/sh\nread v\ncase "$v" in canary-new-from-script-*) exit 0;; *) exit 1;; esac\n');
    await writeFile(failing, '#!/bin/sh\necho "provider says no" >&2\nexit 1\n');
    for (const f of [create, test, failing]) await chmod(f, 0o755);
    await run(['rotation', 'set', 'app/key', '--rotator', 'command', '--command', create, '--test-command', test]);
    await run(['rotation', 'set', 'app/broken', '--rotator', 'command', '--command', create, '--test-command', failing]);
    // Without --allow-commands a command policy is skipped, and says how to allow it.
    const refused = JSON.parse((await run(['rotate', 'app/key', '--json'])).stdout).results[0];
    expect(refused).toMatchObject({ status: 'skipped', fix: expect.stringMatching(/--allow-commands/) });
    expect(await value('app/key')).toBe(OLD);
    const ok = await run(['rotate', 'app/key', '--allow-commands']);
    expect(ok.code).toBe(0);
    expect(await value('app/key')).toMatch(/^canary-new-from-script-[A-Za-z0-9]{16}$/);
    const bad = await run(['rotate', 'app/broken', 'app/key', '--json', '--allow-commands']);
    expect(bad.code).toBe(1);
    const results = JSON.parse(bad.stdout).results;
    // Failures first, with the step and the reason.
    expect(results[0]).toMatchObject({ path: 'app/broken', status: 'failed', test: 'failed' });
    expect(results[0].reason).toMatch(/test step/);
    expect(await value('app/broken')).toBe(OLD);
    const meta = JSON.parse((await run(['secrets', 'versions', 'app/broken', '--json'])).stdout);
    expect(meta.versions).toHaveLength(1);
    const audit = JSON.parse((await run(['audit', '--event-type', 'rotation.abort', '--json'])).stdout);
    expect(audit.events[0].reason).toMatch(/test failed/);
  });

  it('--dry-run changes nothing; --due takes what is due, by the vault clock', async () => {
    await run(['rotation', 'set', 'app/due', '--rotator', 'random', '--every', '1h']);
    const dry = JSON.parse((await run(['rotate', 'app/due', '--dry-run', '--json'])).stdout);
    expect(dry.results[0]).toMatchObject({ status: 'would-rotate', toVersion: null });
    expect(await value('app/due')).toBe(OLD);
    expect(JSON.parse((await run(['rotate', '--due', '--json'])).stdout).results).toEqual([]);
    clock.advance(3600_000 + 1000);
    const due = await run(['rotation', 'list', '--due']);
    expect(due.stdout).toMatch(/app\/due .* due/);
    const r = JSON.parse((await run(['rotate', '--due', '--prefix', 'app/due', '--json'])).stdout);
    expect(r.results.map((x: { path: string; status: string }) => [x.path, x.status])).toEqual([['app/due', 'rotated']]);
    expect(await value('app/due')).not.toBe(OLD);
  });

  it('after the grace period, the revoke command gets the replaced value on stdin, and the vault forgets it', async () => {
    const create = path.join(dir, 'create-rev.sh');
    const revoke = path.join(dir, 'revoke.sh');
    const revoked = path.join(dir, 'revoked.txt');
    await writeFile(create, '#!/bin/sh\necho "canary-new-from-script-rev"\n');
    await writeFile(revoke, `#!/bin/sh\ncat > '${revoked}'\n`);
    for (const f of [create, revoke]) await chmod(f, 0o755);
    await ass(['secrets', 'set', 'app/rev', OLD], admin);
    await run(['rotation', 'set', 'app/rev', '--rotator', 'command', '--command', create, '--revoke-command', revoke, '--grace', '1m']);
    expect((await run(['rotate', 'app/rev', '--allow-commands'])).code).toBe(0);
    // Within the grace period nothing is revoked.
    const early = JSON.parse((await run(['rotate', '--due', '--prefix', 'app/rev', '--json', '--allow-commands'])).stdout);
    expect(early.results).toEqual([]);
    clock.advance(61_000);
    const listed = JSON.parse((await run(['rotation', 'list', '--due', '--prefix', 'app/rev', '--json'])).stdout);
    expect(listed.secrets[0]).toMatchObject({ path: 'app/rev', revokeDue: true, due: false });
    const r = JSON.parse((await run(['rotate', '--due', '--prefix', 'app/rev', '--json', '--allow-commands'])).stdout);
    expect(r.results.map((x: { status: string; fromVersion: number }) => [x.status, x.fromVersion])).toEqual([['revoked', 1]]);
    expect(await readFile(revoked, 'utf8')).toBe(OLD);
    // Retired: not readable any more, not even by an admin, and not revoked twice.
    expect((await ass(['secrets', 'get', 'app/rev', '--stage', 'previous'], admin)).code).toBe(4);
    expect(JSON.parse((await run(['rotate', '--due', '--prefix', 'app/rev', '--json', '--allow-commands'])).stdout).results).toEqual([]);
  });

  it('a second rotator on the same path is refused while the first holds the lease', async () => {
    const begin = await v.call('POST', '/v1/rotation/begin/app/webhook', { token: v.adminToken, body: { rotator: 'random', force: true } });
    const id = begin.body.rotationId as string;
    const second = await run(['rotate', 'app/webhook', '--json']);
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stdout).results[0].reason).toMatch(new RegExp(`Rotation ${id} .* is rotating app/webhook`));
    expect((await run(['rotate', 'app/webhook', '--abort', id])).stdout).toMatch(/Aborted rotation/);
    // The last rotation's previous value is still in its grace period: another one is refused, unless forced.
    const early = await run(['rotate', 'app/webhook', '--json']);
    expect(JSON.parse(early.stdout).results[0].reason).toMatch(/grace period .* --force/);
    expect((await run(['rotate', 'app/webhook', '--force'])).code).toBe(0);
  });

  it('a token with write but not rotate scope cannot rotate; with rotate scope it can', async () => {
    const key = await createAgent(v, 'rotator', ['secrets:*:app/*']);
    const writer = (await issueToken(v, key, { scopes: ['secrets:write:app/*', 'secrets:read:app/*', 'secrets:list:app/*'] })).token;
    const denied = await run(['rotate', 'app/webhook'], { ASS_URL: v.url, ASS_TOKEN: writer });
    expect(denied.code).not.toBe(0);
    const rotator = (await issueToken(v, key, { scopes: ['secrets:rotate:app/*', 'secrets:read:app/*'] })).token;
    expect((await run(['rotate', 'app/webhook', '--force'], { ASS_URL: v.url, ASS_TOKEN: rotator })).code).toBe(0);
  });

  it('no rotated or replaced value appears in anything these commands printed', () => {
    const all = printed.join('\n');
    expect(all).not.toContain(OLD);
    expect(all).not.toMatch(/canary-new-from-script/);
    expect(all).not.toMatch(/whsec_[A-Za-z0-9]{40}/);
  });
});
