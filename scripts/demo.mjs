#!/usr/bin/env node
// npm run demo — the product's main job, end to end, on the embedded default:
//   1. a throwaway vault (`ass server --dev`: SQLite in a temp dir),
//   2. a local OIDC issuer standing in for GitHub (real RS256 JWTs with GitHub's claim set, and the
//      runner's ACTIONS_ID_TOKEN_REQUEST_URL endpoint),
//   3. secrets stored and an agent with a trust policy created with the `ass` CLI,
//   4. the built fetch action (dist/actions) run as the runner runs it: main, then post; the
//      critical and sensitive secrets wait for a human approval (the vault's default policy),
//      which an approver gives with the CLI while the step waits,
//   5. and a readable account of what was fetched, masked, exported, summarised and revoked.
// Everything stays on 127.0.0.1 and is deleted at the end.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/index.js');
// The test doubles for GitHub (plain Node, no test framework) are shared with the test suite.
const { startOidcIssuer } = await import(path.join(root, 'test/helpers/oidc-issuer.ts'));
const { runStep, actionDefaults, makeRunnerTemp, visibleLog } = await import(path.join(root, 'test/helpers/action-runner.ts'));

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const say = (s = '') => process.stdout.write(`${s}\n`);
const step = (n, s) => say(`\n${bold(`${n}. ${s}`)}`);

function ass(args, { env = {}, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`ass ${args[0]} ${args[1] ?? ''} failed (${code}): ${err}`)),
    );
    child.stdin.end(input ?? '');
  });
}

const cleanups = [];
try {
  step(1, 'Start a throwaway vault on the embedded store');
  const server = spawn(process.execPath, [cli, 'server', '--dev', '--listen', '127.0.0.1:0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => server.kill('SIGINT'));
  const banner = await new Promise((resolve, reject) => {
    let buf = '';
    server.stdout.on('data', (d) => {
      buf += d;
      try {
        resolve(JSON.parse(buf));
      } catch {}
    });
    server.once('exit', (code) => reject(new Error(`ass server --dev exited ${code}`)));
  });
  const admin = { ASS_URL: banner.url, ASS_TOKEN: banner.adminToken };
  say(`   ass server --dev  →  ${banner.url}  (admin token printed once, kept in this process)`);

  step(2, 'Start a local OIDC issuer standing in for GitHub Actions');
  const issuer = await startOidcIssuer();
  cleanups.push(() => issuer.close());
  say(`   issuer ${issuer.url}  repository ${issuer.claims.repository} (id ${issuer.claims.repository_id}), run ${issuer.claims.run_id}`);

  step(3, 'Store secrets with the CLI (values from stdin, never on the command line)');
  const pem = `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC${'A'.repeat(40)}\n${'b'.repeat(64)}\n-----END PRIVATE KEY-----`;
  const secrets = [
    ['production/app/DATABASE_URL', 'postgres://app:s3cr3t-demo-pw@db.internal:5432/app', 'connection_string', 'sensitive'],
    ['production/app/STRIPE_SECRET_KEY', `sk_live_${'demo'.repeat(6)}`, 'api_key', 'critical'],
    ['production/app/signing-key', pem, 'private_key', 'critical'],
    [
      'production/app/service-account',
      JSON.stringify({ type: 'service_account', client_email: 'deploy@demo.iam', private_key_id: 'demo-key-id-0123456789' }),
      'other',
      'sensitive',
    ],
  ];
  for (const [p, value, type, tier] of secrets) {
    await ass(['secrets', 'set', p, '--type', type, '--tier', tier], { env: admin, input: value });
    say(`   ass secrets set ${p} --type ${type} --tier ${tier}  (value on stdin)`);
  }

  step(4, 'Create one agent for this pipeline, trusting only this repository');
  const created = JSON.parse(
    await ass(
      [
        'agents',
        'create',
        '--name',
        'deploy-app',
        '--scopes',
        'secrets:read:production/app/*',
        '--oidc-issuer',
        issuer.url,
        '--oidc-claim',
        `repository_id=${issuer.claims.repository_id}`,
        '--oidc-claim',
        `repository_owner_id=${issuer.claims.repository_owner_id}`,
        '--oidc-claim',
        'environment=prod',
        '--json',
      ],
      { env: admin },
    ),
  );
  say(`   ass agents create --name deploy-app --scopes secrets:read:production/app/* --oidc-issuer ${issuer.url} \\`);
  say(
    `       --oidc-claim repository_id=${issuer.claims.repository_id} --oidc-claim repository_owner_id=${issuer.claims.repository_owner_id} --oidc-claim environment=prod`,
  );
  say('   → the agent key goes into the repository secret ASS_AGENT_KEY: the only secret stored in CI');

  step(5, 'Make a second person an approver (a viewer: decides, never reads values)');
  const security = JSON.parse(await ass(['users', 'create', 'security', '--role', 'viewer', '--approver', '--json'], { env: admin }));
  say('   ass users create security --role viewer --approver');
  say('   the default approval policy (seed 003): sensitive and critical secrets need 1 approval within 24h');

  step(6, 'Run the fetch action (dist/actions/fetch-main.js) as the runner would; a person approves while it waits');
  const runnerTemp = await makeRunnerTemp();
  cleanups.push(() => rm(runnerTemp, { recursive: true, force: true }));
  const inputs = {
    ...(await actionDefaults(path.join(root, 'action.yml'))),
    url: banner.url,
    'agent-key': created.agentKey,
    secrets: [
      'production/app/DATABASE_URL',
      'production/app/STRIPE_SECRET_KEY',
      'production/app/signing-key => SIGNING_KEY',
      'production/app/service-account => GCP_SA',
    ].join('\n'),
    'approval-timeout': '2m',
  };
  const approver = { ASS_URL: banner.url, ASS_TOKEN: security.token };
  // The approver watches for the pipeline's request and approves it, as a person would from a terminal.
  const approving = (async () => {
    for (let i = 0; i < 120; i++) {
      const { approvals } = JSON.parse(await ass(['approvals', 'list', '--status', 'pending', '--json'], { env: approver }));
      const request = approvals.find((a) => a.requester.type === 'pipeline');
      if (request) {
        await ass(['approvals', 'approve', request.id, '--reason', 'demo deploy of main'], { env: approver });
        return request;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('no approval request appeared');
  })();
  const main = await runStep({ script: path.join(root, 'dist/actions/fetch-main.js'), inputs, runnerTemp, env: issuer.runnerEnv() });
  const approved = await approving;
  say(
    `   the exchange was held: approval ${approved.id} for ${approved.paths.length} secrets (${approved.rule}), asked by ${approved.requester.claims?.repository} run ${approved.requester.claims?.run_id}`,
  );
  say(`   ass approvals approve ${approved.id} --reason "demo deploy of main"   (as security, while the step waited)`);
  if (main.code !== 0) throw new Error(`the main step failed:\n${visibleLog(main)}`);
  const exported = Object.keys(main.env);
  say(`   exit ${main.code} in ${main.ms.toFixed(0)} ms; exported ${exported.join(', ')}`);
  say(
    `   ${main.masks.length} values registered with ::add-mask:: before anything else was printed (whole values, each line, each JSON field, base64url/hex/URL-encoded forms, the pipeline token)`,
  );
  const leaked = secrets.filter(
    ([, value]) => main.stdout.includes(value) && !main.stdout.split('\n').every((l) => !l.includes(value) || l.startsWith('::add-mask::')),
  );
  say(`   values visible in the log outside ::add-mask:: lines: ${leaked.length}`);
  say('   the log as the runner shows it (masks applied):');
  for (const line of visibleLog(main).split('\n').filter(Boolean).slice(0, 12)) say(`     | ${line}`);

  step(7, 'Run the post step: revoke the pipeline token, write the job summary (with the approval)');
  const post = await runStep({
    script: path.join(root, 'dist/actions/fetch-post.js'),
    inputs,
    runnerTemp,
    env: { ...main.env },
    state: main.state,
  });
  if (post.code !== 0) throw new Error(`the post step failed:\n${visibleLog(post)}`);
  say('   job summary (GITHUB_STEP_SUMMARY):');
  for (const line of post.summary.split('\n').filter(Boolean)) say(`     | ${line}`);
  const tokenId = main.outputs['token-id'];
  const listing = JSON.parse(await ass(['tokens', 'list', '--all', '--json'], { env: admin }));
  const tokens = listing.tokens ?? listing;
  const tok = tokens.find((t) => t.id === tokenId);
  say(
    `   pipeline token ${tokenId}: revoked ${tok?.revokedAt ? 'yes' : 'NO'}, bound to run ${tok?.claims?.run_id} attempt ${tok?.claims?.run_attempt}`,
  );

  step(8, 'The audit trail: every access recorded, chained, verifiable');
  const audit = JSON.parse(await ass(['audit', '--limit', '16', '--json'], { env: admin }));
  const events = audit.events ?? audit;
  for (const e of [...events].reverse())
    say(
      `   #${String(e.seq).padStart(3)} ${e.event.padEnd(18)} ${e.status.padEnd(8)} ${(e.actorName ?? e.actorType).padEnd(12)} ${e.path ?? ''}`,
    );
  const verify = JSON.parse(await ass(['audit', 'verify', '--json'], { env: admin }));
  say(`   ass audit verify → ${verify.ok ? 'intact' : 'BROKEN'}: ${verify.count} records, head ${String(verify.headHash).slice(0, 16)}…`);
  const allOutput = [main.stdout, main.stderr, post.stdout, post.stderr, post.summary, JSON.stringify(events)].join('\n');
  const anyValue = secrets.some(([, value]) => allOutput.split('\n').some((l) => l.includes(value) && !l.startsWith('::add-mask::')));
  say(`\n${bold('Done.')} Secret values in logs, summary or audit rows: ${anyValue ? 'FOUND (bug!)' : 'none'}.`);
  if (anyValue || leaked.length) process.exitCode = 1;
} finally {
  for (const c of cleanups.reverse()) await c();
}
