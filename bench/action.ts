// npm run bench:action — wall time of the fetch action's main and post steps (the built stubs,
// run with `node` as the runner runs them) fetching 1, 20 and 100 secrets from a local vault
// (the built `ass server --dev`) with a local OIDC issuer, beside `node -e ""` in the same run as
// the floor; then the audit action's main and post (an agent with audit:read, the checkpoint
// carried from run to run in a file). Median of BENCH_RUNS runs (default 7). Prints a table;
// asserts nothing.
// BENCH_BASELINE_MAIN and BENCH_BASELINE_POST name another build's main and post scripts (e.g. an
// earlier commit's bundles from `git archive`): they run in the same rounds, alternating, so the
// before/after comparison sees the same machine noise.
//
// Runs under `node --experimental-strip-types`: the helpers are loaded by their .ts file names at
// run time; only their types are imported statically.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as ActionRunner from '../test/helpers/action-runner.js';
import type * as OidcIssuer from '../test/helpers/oidc-issuer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SIZES = [1, 20, 100];
const cli = path.join(root, 'dist/cli/index.js');
const mainJs = path.join(root, 'dist/actions/fetch-main.js');
const postJs = path.join(root, 'dist/actions/fetch-post.js');
const auditMainJs = path.join(root, 'dist/actions/audit-main.js');
const auditPostJs = path.join(root, 'dist/actions/audit-post.js');
const baseline =
  process.env.BENCH_BASELINE_MAIN && process.env.BENCH_BASELINE_POST
    ? { main: path.resolve(process.env.BENCH_BASELINE_MAIN), post: path.resolve(process.env.BENCH_BASELINE_POST) }
    : undefined;

const runner = (await import(new URL('../test/helpers/action-runner.ts', import.meta.url).href)) as typeof ActionRunner;
const issuerModule = (await import(new URL('../test/helpers/oidc-issuer.ts', import.meta.url).href)) as typeof OidcIssuer;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function startVault(): Promise<{ child: ReturnType<typeof spawn>; url: string; adminToken: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'server', '--dev', '--listen', '127.0.0.1:0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      // `--json` prints {url, adminToken} (possibly over several lines) once listening.
      const m = /\{[^{}]*"adminToken"[^{}]*\}/.exec(buf);
      if (m) {
        const parsed = JSON.parse(m[0]) as { url: string; adminToken: string };
        resolve({ child, url: parsed.url, adminToken: parsed.adminToken });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`ass server exited ${code}: ${buf}`)));
  });
}

async function api(url: string, method: string, p: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function timeNodeEmpty(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t) : reject(new Error(`node -e exited ${code}`))));
  });
}

const vault = await startVault();
const issuer = await issuerModule.startOidcIssuer();
const runnerTemp = await runner.makeRunnerTemp();
try {
  const { agentKey } = await api(vault.url, 'POST', '/v1/agents', vault.adminToken, {
    name: 'bench-pipeline',
    scopes: ['secrets:read:bench/*'],
    trustPolicy: {
      issuer: issuer.url,
      claims: { repository_id: issuer.claims.repository_id, repository_owner_id: issuer.claims.repository_owner_id },
    },
  });
  for (const n of SIZES) {
    for (let i = 0; i < n; i++) {
      const value = `bench-${n}-${i}-${'x'.repeat(32)}`;
      await api(vault.url, 'PUT', `/v1/secrets/bench/n${n}/secret-${String(i).padStart(3, '0')}`, vault.adminToken, {
        value,
        type: 'api_key',
      });
    }
  }
  const defaults = await runner.actionDefaults(path.join(root, 'action.yml'));

  const floor: number[] = [];
  const rows: { n: number; main: number; post: number; baseMain?: number; basePost?: number }[] = [];
  for (let r = 0; r < 2; r++) await timeNodeEmpty(); // warm the file cache
  for (const n of SIZES) {
    const mains: number[] = [];
    const posts: number[] = [];
    const baseMains: number[] = [];
    const basePosts: number[] = [];
    const secrets = Array.from({ length: n }, (_, i) => `bench/n${n}/secret-${String(i).padStart(3, '0')}`).join('\n');
    const inputs = { ...defaults, url: vault.url, 'agent-key': agentKey, secrets };
    const step = async (scripts: { main: string; post: string }) => {
      const main = await runner.runStep({ script: scripts.main, inputs, env: issuer.runnerEnv(), runnerTemp });
      if (main.code !== 0) throw new Error(`main failed (${scripts.main}): ${runner.visibleLog(main)}`);
      const post = await runner.runStep({ script: scripts.post, inputs, env: main.env, state: main.state, runnerTemp });
      if (post.code !== 0) throw new Error(`post failed (${scripts.post}): ${runner.visibleLog(post)}`);
      return { main: main.ms, post: post.ms };
    };
    for (let r = 0; r < RUNS; r++) {
      floor.push(await timeNodeEmpty());
      const now = await step({ main: mainJs, post: postJs });
      mains.push(now.main);
      posts.push(now.post);
      if (baseline) {
        const before = await step(baseline);
        baseMains.push(before.main);
        basePosts.push(before.post);
      }
    }
    rows.push({
      n,
      main: median(mains),
      post: median(posts),
      ...(baseline ? { baseMain: median(baseMains), basePost: median(basePosts) } : {}),
    });
  }
  const f = median(floor);
  console.log(`fetch action wall time, median of ${RUNS} runs (Node ${process.version}, ${process.platform}/${process.arch})`);
  console.log(`node -e "" (floor): ${f.toFixed(0)} ms`);
  if (baseline)
    console.log(`baseline build: ${path.relative(process.cwd(), baseline.main)}, ${path.relative(process.cwd(), baseline.post)}`);
  const extra = baseline ? ' main, baseline | post, baseline |' : '';
  console.log(`| secrets | main (ms) | post (ms) | main − floor | post − floor |${extra}`);
  console.log(`| ---: | ---: | ---: | ---: | ---: |${baseline ? ' ---: | ---: |' : ''}`);
  for (const row of rows) {
    const base = baseline ? ` ${row.baseMain?.toFixed(0)} | ${row.basePost?.toFixed(0)} |` : '';
    console.log(
      `| ${row.n} | ${row.main.toFixed(0)} | ${row.post.toFixed(0)} | ${(row.main - f).toFixed(0)} | ${(row.post - f).toFixed(0)} |${base}`,
    );
  }

  // The audit action: a report of the window since the last run, the chain checked against the checkpoint it keeps.
  const { agentKey: auditorKey } = await api(vault.url, 'POST', '/v1/agents', vault.adminToken, {
    name: 'bench-auditor',
    scopes: ['audit:read'],
    trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
  });
  const auditInputs = {
    ...(await runner.actionDefaults(path.join(root, 'audit/action.yml'))),
    url: vault.url,
    'agent-key': auditorKey,
    'checkpoint-path': path.join(runnerTemp, 'audit-checkpoint.json'),
  };
  const auditMains: number[] = [];
  const auditPosts: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const main = await runner.runStep({ script: auditMainJs, inputs: auditInputs, env: issuer.runnerEnv(), runnerTemp });
    if (main.code !== 0) throw new Error(`audit main failed: ${runner.visibleLog(main)}`);
    const post = await runner.runStep({ script: auditPostJs, inputs: auditInputs, env: main.env, state: main.state, runnerTemp });
    if (post.code !== 0) throw new Error(`audit post failed: ${runner.visibleLog(post)}`);
    auditMains.push(main.ms);
    auditPosts.push(post.ms);
  }
  console.log('');
  console.log(`audit action wall time, median of ${RUNS} runs (the checkpoint carried from run to run)`);
  console.log('| step | ms | − floor |');
  console.log('| --- | ---: | ---: |');
  console.log(`| main | ${median(auditMains).toFixed(0)} | ${(median(auditMains) - f).toFixed(0)} |`);
  console.log(`| post | ${median(auditPosts).toFixed(0)} | ${(median(auditPosts) - f).toFixed(0)} |`);
} finally {
  vault.child.kill('SIGTERM');
  await issuer.close();
  await rm(runnerTemp, { recursive: true, force: true });
}
