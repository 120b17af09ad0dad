import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli/version.js';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
let out: string;

let ownBuild = false;
beforeAll(async () => {
  // The global setup builds every bundle once per run; build our own only when run without it.
  if (process.env.ASS_TEST_DIST) {
    out = process.env.ASS_TEST_DIST;
    return;
  }
  ownBuild = true;
  out = await mkdtemp(path.join(tmpdir(), 'ass-cli-bundle-'));
  const { build } = (await import(path.join(root, 'scripts/build.mjs'))) as { build: (dir: string, only?: string[]) => Promise<void> };
  await build(out, ['cli']);
});
afterAll(async () => {
  if (ownBuild) await rm(out, { recursive: true, force: true });
});

describe('the built ass bundle', () => {
  it('runs: --version and --help from a fresh build', async () => {
    const v = await run(process.execPath, [path.join(out, 'cli/index.js'), '--version']);
    expect(v.stdout).toBe(`${VERSION}\n`);
    const help = await run(process.execPath, [path.join(out, 'cli/index.js'), 'secrets', 'get', '--help']);
    expect(help.stdout).toContain('--silent');
    const bad = await run(process.execPath, [path.join(out, 'cli/index.js'), 'nope']).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown command') });
  });

  it('the committed bin/ass.js and dist/cli run', async () => {
    expect(existsSync(path.join(root, 'dist/cli/index.js'))).toBe(true);
    expect((await run(process.execPath, [path.join(root, 'bin/ass.js'), '--version'])).stdout).toBe(`${VERSION}\n`);
    expect((await run(process.execPath, [path.join(root, 'dist/cli/index.js'), '--version'])).stdout).toBe(`${VERSION}\n`);
  });

  it('serves a dev vault, answers the CLI, and stops cleanly on SIGINT', async () => {
    const bundle = path.join(out, 'cli/index.js');
    const child = spawn(process.execPath, [bundle, 'server', '--dev', '--listen', '127.0.0.1:0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const banner = await new Promise<{ url: string; adminToken: string }>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        try {
          resolve(JSON.parse(stdout));
        } catch {
          /* not complete yet */
        }
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
    });
    const env = { ...process.env, ASS_URL: banner.url, ASS_TOKEN: banner.adminToken };
    await run(process.execPath, [bundle, 'secrets', 'set', 'bundle/check', 'bundled-value'], { env });
    const got = await run(process.execPath, [bundle, 'secrets', 'get', 'bundle/check', '--silent'], { env });
    expect(got.stdout).toBe('bundled-value');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Stopped');
  });

  it('dispatches ass scan', async () => {
    const r = await run(process.execPath, [path.join(out, 'cli/index.js'), 'scan', '--help']).catch(
      (e: { stdout: string; code: number }) => e,
    );
    expect(r.stdout).toMatch(/ass scan/);
  });
});
