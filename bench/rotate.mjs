#!/usr/bin/env node
// npm run bench:rotate — rotation throughput through the built CLI against the built server:
// rotations per second for 100 secrets under a `random` policy (one `ass rotate` run naming all
// of them: begin, current read, pending put, finish, each audited), and the wall time of one
// `postgres` rotation (alternating roles on the machine's PostgreSQL: read the admin secret,
// ALTER ROLE, connect with the new login to test it, finish). Prints a table; asserts nothing.
//
// Options (env): BENCH_RUNS (default 5; medians), BENCH_SECRETS (default 100), ASS_TEST_PG_URL
// (default postgres://postgres@127.0.0.1:5432/test; the postgres figure is skipped if unreachable).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/index.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECRETS = Number(process.env.BENCH_SECRETS ?? 100);
const PG_URL = process.env.ASS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`ass ${args.slice(0, 3).join(' ')} exited ${code}: ${err.slice(-400)}`)),
    );
  });
}

function start(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    const onData = (d) => {
      buf += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
      if (m) resolve({ child, url: m[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${buf}`)));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = await mkdtemp(path.join(tmpdir(), 'ass-bench-rotate-'));
const { adminToken } = JSON.parse(await run(['init', '--data', path.join(dir, 'v'), '--json']));
const { child, url } = await start(['server', '--data', path.join(dir, 'v'), '--listen', '127.0.0.1:0', '--rate-reads', '0']);
const env = { ASS_URL: url, ASS_TOKEN: adminToken };

async function api(method, p, body) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

let pg;
try {
  const paths = Array.from({ length: SECRETS }, (_, i) => `bench/webhooks/w${String(i).padStart(3, '0')}`);
  for (const p of paths) await api('PUT', `/v1/secrets/${p}`, { value: randomBytes(16).toString('hex'), type: 'other', tier: 'standard' });
  await api('PUT', '/v1/rotation/policies/bench/webhooks/*', { rotator: 'random', settings: { length: 32 } });
  const randomRuns = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const out = JSON.parse(await run(['rotate', ...paths, '--json'], env));
    const seconds = (performance.now() - t0) / 1000;
    if (out.results.some((r) => r.status !== 'rotated')) throw new Error('a random rotation did not rotate');
    randomRuns.push(SECRETS / seconds);
  }

  // One postgres rotation: two login roles, an admin connection string kept in the vault.
  const pgRuns = [];
  try {
    pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    await admin.connect();
    const tag = randomBytes(4).toString('hex');
    const roles = [`bench_rot_${tag}_a`, `bench_rot_${tag}_b`, `bench_rot_${tag}_admin`];
    for (const r of roles) await admin.query(`CREATE ROLE ${r} LOGIN ${r.endsWith('admin') ? 'CREATEROLE' : ''} PASSWORD 'initial'`);
    // The admin needs to manage the two roles it rotates.
    await admin.query(`GRANT ${roles[0]}, ${roles[1]} TO ${roles[2]} WITH ADMIN OPTION`).catch(() => {});
    const base = new URL(PG_URL);
    const as = (role) => Object.assign(new URL(base.href), { username: role, password: 'initial' }).href;
    await api('PUT', '/v1/secrets/bench/db/admin', { value: as(roles[2]), type: 'connection_string', tier: 'critical' });
    await api('PUT', '/v1/secrets/bench/db/app', { value: as(roles[0]), type: 'connection_string', tier: 'critical' });
    await api('PUT', '/v1/rotation/policies/bench/db/app', {
      rotator: 'postgres',
      settings: { adminSecret: 'bench/db/admin', roles: roles.slice(0, 2) },
    });
    try {
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const out = JSON.parse(await run(['rotate', 'bench/db/app', '--json'], env));
        if (out.results[0]?.status !== 'rotated') throw new Error(`postgres rotation: ${out.results[0]?.reason}`);
        pgRuns.push(performance.now() - t0);
      }
    } finally {
      for (const r of roles) await admin.query(`DROP ROLE IF EXISTS ${r}`).catch(() => {});
      await admin.end();
    }
  } catch (err) {
    console.log(`(postgres rotation skipped: ${err instanceof Error ? err.message : err})`);
  }
  const floor = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run(['--version']);
    floor.push(performance.now() - t0);
  }

  console.log(
    `Rotation through the built CLI and server, median of ${RUNS} runs (Node ${process.version}, ${(await import('node:os')).cpus().length} cores)\n`,
  );
  console.log('| what | figure |');
  console.log('| --- | ---: |');
  console.log(`| random rotator, ${SECRETS} secrets in one \`ass rotate\` run | ${median(randomRuns).toFixed(1)} rotations/s |`);
  if (pgRuns.length) console.log(`| one postgres rotation (\`ass rotate\`, process start included) | ${median(pgRuns).toFixed(0)} ms |`);
  console.log(`| \`ass --version\` (process start, the floor) | ${median(floor).toFixed(0)} ms |`);
  const verify = await api('GET', '/v1/audit/verify');
  console.log(`\naudit chain after the run: ${verify.count} records, intact: ${verify.ok}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  await rm(dir, { recursive: true, force: true });
}
