#!/usr/bin/env node
// npm run bench:audit — how long the audit summary takes on a log of 10k, 100k and 1M records:
// GET /v1/audit/summary through the built `ass server` on the embedded SQLite store (the store's
// GROUP BYs over the time index, plus the rotation-overdue scan). Prints a table; asserts nothing.
//
// The log is made the way the vault makes it, through its API: batch reads of 500 secrets (501
// records each, every one sealed into the hash chain). The records are written in real time, so
// "the last 24 h" holds all of them: the worst case for a one-day summary (a month-long log of the
// same size would hold about a thirtieth of them in its last day). Options (env):
// BENCH_AUDIT_SIZES (default 10000,100000,1000000), BENCH_RUNS (default 5; the median is reported).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/index.js');
const SIZES = (process.env.BENCH_AUDIT_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PER_REQUEST = 501;

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`ass ${args[0]} exited ${code}: ${err}`))));
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
    child.on('exit', (code) => reject(new Error(`ass server exited ${code}: ${buf}`)));
  });
}

async function api(url, method, p, token, body) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return json;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(size, dir) {
  const dataDir = path.join(dir, `vault-${size}`);
  const { adminToken } = JSON.parse(await run(['init', '--data', dataDir, '--json']));
  const { child, url } = await start([
    'server',
    '--data',
    dataDir,
    '--listen',
    '127.0.0.1:0',
    '--rate-reads',
    '0',
    '--rate-exchanges',
    '0',
  ]);
  try {
    // Standard secrets: the default approval policy holds no read of them.
    const paths = Array.from({ length: 500 }, (_, i) => `bench/app-${i % 20}/key-${i}`);
    for (const p of paths) await api(url, 'PUT', `/v1/secrets/${p}`, adminToken, { value: 'x'.repeat(40), tier: 'standard' });
    await api(url, 'PUT', '/v1/rotation/policies/bench/*', adminToken, { rotator: 'random', every: '30d' });
    const { agentKey } = await api(url, 'POST', '/v1/agents', adminToken, { name: 'bench', scopes: ['secrets:read:bench/*'] });
    const { token } = await api(url, 'POST', '/v1/tokens', agentKey, { scopes: ['secrets:read:bench/*'], ttl: '24h' });
    const requests = Math.max(1, Math.round(size / PER_REQUEST));
    const filled = Date.now();
    // A few requests in flight at once, as several pipelines would.
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < requests) {
          next++;
          await api(url, 'POST', '/v1/batch/read', token, { paths });
        }
      }),
    );
    const fillSeconds = (Date.now() - filled) / 1000;
    const records = (await api(url, 'GET', '/v1/audit?limit=1', adminToken)).events[0].seq;
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await api(url, 'GET', '/v1/audit/summary?since=24h', adminToken);
      ms.push(performance.now() - t0);
    }
    const hour = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await api(url, 'GET', '/v1/audit/summary?since=1h', adminToken);
      hour.push(performance.now() - t0);
    }
    return { records, fillSeconds, day: median(ms), hour: median(hour) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
  }
}

const dir = await mkdtemp(path.join(tmpdir(), 'ass-bench-audit-'));
try {
  const rows = [];
  for (const size of SIZES) rows.push(await measure(size, dir));
  console.log(`Audit summary latency (GET /v1/audit/summary, SQLite, median of ${RUNS}; Node ${process.version})\n`);
  console.log('| records in the window | since=24h | since=1h | log written in |');
  console.log('| ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.records.toLocaleString('en')} | ${r.day.toFixed(0)} ms | ${r.hour.toFixed(0)} ms | ${r.fillSeconds.toFixed(0)} s |`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
