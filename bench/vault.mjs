#!/usr/bin/env node
// npm run bench:vault — secret reads per second through the real vault (the built `ass server`,
// SQLite store, encryption, scoped-token checks and the hash-chained audit log all on), against
// a bare node:http handler on the same machine in the same run. Prints a table; asserts nothing.
//
// Options (env): BENCH_CONNECTIONS (default 16), BENCH_WARMUP (s, default 2), BENCH_DURATION (s,
// default 10), BENCH_RUNS (default 3; the medians are reported), BENCH_CLI (the CLI bundle to
// measure, default dist/cli/index.js), BENCH_BASELINE_CLI (another build's CLI bundle, e.g. an
// earlier commit's dist/cli/index.js from `git archive`: measured in the same rounds, so the
// before/after ratio sees the same machine noise), BENCH_RATE_READS (the vault's --rate-reads, for
// builds that have it: default 1000000000, so every read is counted against a limit it never
// reaches; 0 turns the accounting off).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const cli = process.env.BENCH_CLI ?? path.join(root, 'dist/cli/index.js');
const baselineCli = process.env.BENCH_BASELINE_CLI;
const RATE_READS = process.env.BENCH_RATE_READS ?? '1000000000';

function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`))));
  });
}

/** Starts a long-running child and resolves once a line matching `ready` appears on stdout or stderr. */
function start(args, ready, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    const onData = (d) => {
      buf += d;
      const m = ready.exec(buf);
      if (m) resolve({ child, match: m });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${buf}`)));
  });
}

async function api(url, method, p, token, body) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function load(url, p, token) {
  const out = await run([path.join(root, 'bench/load.mjs'), url, p, token ?? '', String(CONNECTIONS), String(WARMUP), String(DURATION)]);
  return JSON.parse(out.trim().split('\n').pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = await mkdtemp(path.join(tmpdir(), 'ass-bench-'));

/** Starts a vault from a CLI bundle, stores one secret and issues a read token for it. */
async function vaultFrom(bundle, name) {
  const dataDir = path.join(dir, name);
  const { adminToken } = JSON.parse(await run([bundle, 'init', '--data', dataDir, '--json']));
  // One token reads as fast as it can: a build with per-credential rate limits gets one it never reaches.
  const limits = (await run([bundle, 'server', '--help'])).includes('--rate-reads') ? ['--rate-reads', RATE_READS] : [];
  const { child, match } = await start(
    [bundle, 'server', '--data', dataDir, '--listen', '127.0.0.1:0', ...limits],
    /(http:\/\/127\.0\.0\.1:\d+)/,
  );
  const url = match[1];
  // A standard secret: no approval on any build, so both builds do the same work.
  await api(url, 'PUT', '/v1/secrets/bench/app/api-key', adminToken, { value: 'x'.repeat(40), type: 'api_key', tier: 'standard' });
  const { agentKey } = await api(url, 'POST', '/v1/agents', adminToken, { name: 'bench-service', scopes: ['secrets:read:bench/*'] });
  const { token } = await api(url, 'POST', '/v1/tokens', agentKey, { scopes: ['secrets:read:bench/app/*'], ttl: '1h' });
  return { child, url, token, adminToken, approved: await approvedToken(url, adminToken, agentKey) };
}

/**
 * On a build with approvals: a critical secret and a token released by an approved request for it
 * (asked by the agent, approved by a second user, collected once), to measure reads through it.
 */
async function approvedToken(url, adminToken, agentKey) {
  const policy = await fetch(`${url}/v1/approvals/policy`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (policy.status !== 200) return undefined;
  await api(url, 'PUT', '/v1/secrets/bench/pay/stripe-key', adminToken, { value: 'y'.repeat(40), type: 'api_key', tier: 'critical' });
  const { token: approver } = await api(url, 'POST', '/v1/users', adminToken, { name: 'bench-approver', role: 'viewer', approver: true });
  const held = await fetch(`${url}/v1/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scopes: ['secrets:read:bench/pay/*'], ttl: '1h' }),
  });
  const { approvalId } = await held.json();
  await api(url, 'POST', `/v1/approvals/${approvalId}/approve`, approver, {});
  return (await api(url, 'POST', `/v1/approvals/${approvalId}/collect`, agentKey, {})).token.token;
}

const vault = await vaultFrom(cli, 'vault');
const baseline = baselineCli ? await vaultFrom(baselineCli, 'baseline') : undefined;
const { child: bare, match: bareMatch } = await start([path.join(root, 'bench/bare-server.mjs')], /"port":(\d+)/);
const bareUrl = `http://127.0.0.1:${bareMatch[1]}`;

try {
  const vaultRuns = [];
  const approvedRuns = [];
  const baselineRuns = [];
  const bareRuns = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate so that every target sees the same machine noise.
    vaultRuns.push(await load(vault.url, '/v1/secrets/bench/app/api-key', vault.token));
    if (vault.approved) approvedRuns.push(await load(vault.url, '/v1/secrets/bench/pay/stripe-key', vault.approved));
    if (baseline) baselineRuns.push(await load(baseline.url, '/v1/secrets/bench/app/api-key', baseline.token));
    bareRuns.push(await load(bareUrl, '/', undefined));
  }
  const verify = await api(vault.url, 'GET', '/v1/audit/verify', vault.adminToken);
  const row = (name, runs) => {
    const rps = median(runs.map((r) => r.rps));
    return `| ${name} | ${rps.toFixed(0)} | ${median(runs.map((r) => r.p50)).toFixed(2)} | ${median(runs.map((r) => r.p99)).toFixed(2)} | ${runs.reduce((s, r) => s + r.errors, 0)} |`;
  };
  const rps = (runs) => median(runs.map((r) => r.rps));
  console.log(
    `Secret reads, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s measured, median of ${RUNS} runs (Node ${process.version}, ${(await import('node:os')).cpus().length} cores)\n`,
  );
  console.log('| target | requests/s | p50 ms | p99 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(row('vault: GET /v1/secrets/{path} (scoped token, decrypt, audit append)', vaultRuns));
  if (vault.approved) console.log(row('vault: a critical secret, through a token from a collected approval', approvedRuns));
  if (baseline) console.log(row(`baseline build (${path.relative(process.cwd(), baselineCli)})`, baselineRuns));
  console.log(row('bare node:http handler (ceiling)', bareRuns));
  console.log(`\nvault / ceiling: ${((rps(vaultRuns) / rps(bareRuns)) * 100).toFixed(0)} %`);
  if (vault.approved) {
    const ratios = approvedRuns.map((r, i) => r.rps / (vaultRuns[i]?.rps ?? Number.NaN));
    console.log(
      `approved critical / standard reads: ${median(ratios).toFixed(2)} (median of the rounds' ratios: ${ratios.map((x) => x.toFixed(2)).join(', ')})`,
    );
  }
  if (baseline) {
    // Each round measures both builds back to back, so a round's ratio sees one stretch of machine
    // noise; the median of those ratios is steadier than the ratio of the medians.
    const ratios = vaultRuns.map((r, i) => r.rps / (baselineRuns[i]?.rps ?? Number.NaN));
    console.log(
      `vault / baseline build: ${median(ratios).toFixed(2)} (median of the rounds' ratios: ${ratios.map((x) => x.toFixed(2)).join(', ')}; ratio of the medians ${(rps(vaultRuns) / rps(baselineRuns)).toFixed(2)})`,
    );
  }
  console.log(`audit chain after the run: ${verify.count} records, intact: ${verify.ok}`);
} finally {
  vault.child.kill('SIGTERM');
  baseline?.child.kill('SIGTERM');
  bare.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  await rm(dir, { recursive: true, force: true });
}
