import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { ass, fakeIo } from '../helpers/cli-io.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ass-cli-server-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts `ass server ...` in-process; resolves once it printed its JSON banner. */
async function startServerCommand(args: string[], env: Record<string, string> = {}) {
  const ac = new AbortController();
  const io = fakeIo(env, '', dir);
  const exit = runCli(['server', ...args, '--json'], io, { stopSignal: ac.signal });
  for (let i = 0; i < 500 && io.out.length === 0; i++) {
    const done = await Promise.race([exit.then(() => true), new Promise((r) => setTimeout(() => r(false), 10))]);
    if (done) throw new Error(`server exited early: ${io.stderrText}`);
  }
  const banner = JSON.parse(io.stdoutText) as { url: string; adminToken?: string };
  return {
    banner,
    io,
    stop: async () => {
      ac.abort();
      return exit;
    },
  };
}

describe('ass init and ass server', () => {
  it('init creates a data folder and prints the admin token once; a second init exits 2', async () => {
    const r = await ass(['init', '--data', 'vault-data', '--json'], {}, { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toEqual({ adminToken: expect.stringMatching(/^ass_u_[0-9A-Za-z]{65}$/), dataDir: path.join(dir, 'vault-data') });
    expect((await stat(path.join(dir, 'vault-data', 'master.key'))).mode & 0o777).toBe(0o600);
    const again = await ass(['init', '--data', 'vault-data'], {}, { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a vault/);
    expect(again.stderr).not.toContain(body.adminToken);

    const human = await ass(['init', '--data', 'second'], {}, { cwd: dir });
    expect(human.stdout).toMatch(/Admin token \(shown only now/);
    expect(human.stdout).toMatch(/^ass_u_[0-9A-Za-z]{65}$/m);
    expect(human.stdout).toContain('ass server --data');

    // Serve it, use it through the CLI, stop it cleanly.
    const s = await startServerCommand(['--data', 'vault-data', '--listen', '127.0.0.1:0']);
    expect(s.banner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.banner.adminToken).toBeUndefined();
    const env = { ASS_URL: s.banner.url, ASS_TOKEN: body.adminToken };
    expect((await ass(['secrets', 'set', 'a/b', 'persisted'], env)).code).toBe(0);
    expect(await s.stop()).toBe(0);
    expect(s.io.stderrText).toMatch(/Stopped/);
    expect((await ass(['whoami'], env)).code).toBe(1);

    // The data survives a restart.
    const s2 = await startServerCommand(['--data', path.join(dir, 'vault-data'), '--listen', '127.0.0.1:0']);
    const read = await ass(['secrets', 'get', 'a/b', '--silent'], { ASS_URL: s2.banner.url, ASS_TOKEN: body.adminToken });
    expect(read.stdout).toBe('persisted');
    expect(await s2.stop()).toBe(0);
  });

  it('server --dev prints its URL and admin token and works', async () => {
    const s = await startServerCommand(['--dev', '--listen', '127.0.0.1:0']);
    expect(s.banner.adminToken).toMatch(/^ass_u_/);
    const r = await ass(['whoami', '--json'], { ASS_URL: s.banner.url, ASS_TOKEN: s.banner.adminToken! });
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'user', role: 'admin' });
    expect(await s.stop()).toBe(0);
  });

  it('ass lockouts list and clear, against a server started with lockout and rate options', async () => {
    const s = await startServerCommand([
      '--dev',
      '--listen',
      '127.0.0.1:0',
      '--lockout-credential-failures',
      '2',
      '--lockout-address-failures',
      '0',
      '--lockout-first',
      '7s',
      '--rate-reads',
      '2',
    ]);
    const env = { ASS_URL: s.banner.url, ASS_TOKEN: s.banner.adminToken as string };
    try {
      const { generateCredential } = await import('../../src/core/credentials.js');
      const id = JSON.parse((await ass(['whoami', '--json'], env)).stdout).id as string;
      const guess = { ...env, ASS_TOKEN: generateCredential('user', id).secret };
      expect((await ass(['whoami'], guess)).code).toBe(3);
      const locked = await ass(['whoami'], guess);
      // Exit 3 as for any wrong credential: retrying does not make it valid.
      expect(locked.code).toBe(3);
      expect(locked.stderr).toMatch(/try again in 7 s/);
      expect(locked.stderr).not.toContain(guess.ASS_TOKEN);
      const list = await ass(['lockouts', 'list'], env);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`credential +user:${id} .* 7s +0 +1 +1`));
      const json = JSON.parse((await ass(['lockouts', 'list', '--json'], env)).stdout);
      expect(json.lockouts).toEqual([expect.objectContaining({ subject: 'credential', id: `user:${id}`, retryAfter: 7 })]);
      // The address limit is off (0): nothing counted for it.
      expect((await ass(['lockouts', 'list', '--all', '--json'], env)).stdout).not.toContain('"address"');
      expect((await ass(['lockouts', 'clear'], env)).code).toBe(2);
      expect((await ass(['lockouts', 'clear', '--all', '--address', '127.0.0.1'], env)).code).toBe(2);
      const cleared = await ass(['lockouts', 'clear', '--credential', `user:${id}`], env);
      expect(cleared.stdout).toBe('Cleared 1 lockout counter.\n');
      expect((await ass(['lockouts', 'list'], env)).stdout).toMatch(/^No lockouts in force/);
      expect((await ass(['whoami'], guess)).code).toBe(3);
      // --rate-reads 2: the third read in a minute is refused, and says how to fix it.
      expect((await ass(['secrets', 'set', 'r/a', 'canary-rate-cli'], env)).code).toBe(0);
      for (let i = 0; i < 2; i++) expect((await ass(['secrets', 'get', 'r/a', '--silent'], env)).code).toBe(0);
      const limited = await ass(['secrets', 'get', 'r/a', '--silent'], env, {});
      expect(limited.stderr).toMatch(/--rate-reads/);
      expect(limited.stdout).not.toContain('canary-rate-cli');
    } finally {
      await s.stop();
    }
  }, 60_000);

  it('refuses bad server options with exit 2 and a missing data folder with exit 4', async () => {
    for (const bad of [
      ['--lockout-address-failures', '-1'],
      ['--lockout-credential-failures', 'many'],
      ['--lockout-window', 'soon'],
      ['--lockout-first', '2h'],
      ['--rate-reads', '1.5'],
      ['--rate-exchanges', '99999999999'],
    ]) {
      const r = await ass(['server', '--dev', '--listen', '127.0.0.1:0', ...bad], {}, { cwd: dir });
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr).toContain(bad[0]);
    }
    expect((await ass(['server'], {}, { cwd: dir })).code).toBe(2);
    expect((await ass(['server', '--dev', '--data', 'x'], {}, { cwd: dir })).code).toBe(2);
    const listen = await ass(['server', '--dev', '--listen', 'localhost'], {}, { cwd: dir });
    expect(listen.code).toBe(2);
    expect(listen.stderr).toMatch(/HOST:PORT/);
    expect((await ass(['server', '--dev', '--trusted-proxy', '10.0.0.0/99'], {}, { cwd: dir })).code).toBe(2);
    expect((await ass(['server', '--dev', '--max-token-ttl', 'forever'], {}, { cwd: dir })).code).toBe(2);
    const pipeline = await ass(['server', '--dev', '--max-pipeline-ttl', '7h'], {}, { cwd: dir });
    expect(pipeline.code).toBe(2);
    expect(pipeline.stderr).toMatch(/at most 6h/);
    const missing = await ass(['server', '--data', 'no-such-dir', '--listen', '127.0.0.1:0'], {}, { cwd: dir });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/ass init/);
    expect((await ass(['init'], {}, { cwd: dir })).code).toBe(2);
    expect((await ass(['server', '--dev', '--database-url', 'postgres://u:p@127.0.0.1/db'], {}, { cwd: dir })).code).toBe(2);
    const noKey = await ass(['server', '--listen', '127.0.0.1:0'], { ASS_DATABASE_URL: 'postgres://u:hunter2@127.0.0.1/db' }, { cwd: dir });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/ASS_MASTER_KEY/);
    expect(noKey.stderr).not.toContain('hunter2');
    const every = await ass(['server', '--dev', '--checkpoint-every', '1m'], {}, { cwd: dir });
    expect(every.code).toBe(2);
    expect(every.stderr).toMatch(/--checkpoint-every needs --checkpoint-sink/);
    expect((await ass(['server', '--dev', '--audit-sweep-every', 'often'], {}, { cwd: dir })).code).toBe(2);
    const plainSink = await ass(
      ['server', '--dev', '--listen', '127.0.0.1:0', '--checkpoint-sink', 'http://sink.example.com/cp'],
      {},
      { cwd: dir },
    );
    expect(plainSink.code).toBe(2);
    expect(plainSink.stderr).toMatch(/plain http/);
    const userSink = await ass(
      ['server', '--dev', '--listen', '127.0.0.1:0', '--checkpoint-sink', 'https://u:hunter2@sink.example.com/cp'],
      {},
      {
        cwd: dir,
      },
    );
    expect(userSink.code).toBe(2);
    expect(userSink.stderr).not.toContain('hunter2');
    const badUrl = await ass(['init', '--data', 'x', '--database-url', 'mysql://u:hunter2@h/db'], {}, { cwd: dir });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).not.toContain('hunter2');
  });
});
