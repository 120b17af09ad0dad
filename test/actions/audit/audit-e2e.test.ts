/**
 * End to end: the built audit action (main, then post with STATE_*), run with `node` as the runner
 * runs it, against a real vault on loopback and a local OIDC issuer behind the runner's token
 * endpoint. The runs follow one another as a schedule would, the checkpoint carried between them in
 * a file: run 1 keeps a checkpoint, traffic happens, run 2 reports the window since run 1 and holds
 * the log to run 1's checkpoint; then a record is edited in the SQLite file and run 3 must report it
 * first, critical, with verified=false and a failed job, keeping run 2's checkpoint; after that the
 * vault itself refuses (its log is broken) and the report says so. A proxy that lies for the vault
 * (hides a record, serves an old checkpoint) is caught too. Canary secret values, read in between,
 * must appear nowhere, and hostile claims and reasons must not inject markup or workflow commands.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential } from '../../../src/core/credentials.js';
import type { StepResult } from '../../helpers/action-runner.js';
import { actionDefaults, makeRunnerTemp, runStep, visibleLog } from '../../helpers/action-runner.js';
import { ass } from '../../helpers/cli-io.js';
import type { LocalOidcIssuer } from '../../helpers/oidc-issuer.js';
import { startOidcIssuer } from '../../helpers/oidc-issuer.js';
import type { TestVault } from '../../helpers/vault.js';
import { createAgent, fakeClock, issueToken, startTestVault } from '../../helpers/vault.js';

const root = path.resolve(import.meta.dirname, '../../..');
const CANARIES: Record<string, string> = {
  'app/db-password': 'canary-audit-db-5c1e8f2a9b',
  'app/api-key': 'canary-audit-api-7d3b1a4c6e',
};
/** Claims and reasons an attacker controls, aimed at Markdown, HTML, Mermaid and the runner's commands. */
const HOSTILE = 'evil|<script>alert(1)</script>`]]";x\n::error::injected';
const HOSTILE_REF = `refs/heads/${HOSTILE}`;

let mainJs: string;
let postJs: string;
let defaults: Record<string, string>;
let vault: TestVault;
let issuer: LocalOidcIssuer;
let auditorKey: string;
let deployerKey: string;
let appToken: string;
let auditorUserToken: string;
let runnerTemp: string;
let workspace: string;
let checkpointFile: string;
const clock = fakeClock(Date.now() - 3 * 3600_000);
const webhook: { bodies: string[]; server?: Server; url?: string } = { bodies: [] };
const WEBHOOK_PATH = '/services/T000/B000/hook-credential-9f8e7d';

interface Run {
  main: StepResult;
  post: StepResult;
  outputs: {
    anomalies: Array<{ check: string; severity: string; title: string; subject: Record<string, string>; count: number }>;
    verified: string;
    checkpoint: string;
  };
}

async function runAudit(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Run> {
  const all = { ...defaults, url: vault.url, ...inputs };
  const base = {
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_RUN_ID: '42',
  };
  const main = await runStep({
    script: mainJs,
    inputs: all,
    env: { ...issuer.runnerEnv(), ...base, ...env },
    runnerTemp,
    timeoutMs: 140_000,
  });
  const post = await runStep({ script: postJs, inputs: all, env: { ...base, ...main.env }, state: main.state, runnerTemp });
  return {
    main,
    post,
    outputs: {
      anomalies: JSON.parse(main.outputs.anomalies ?? '[]'),
      verified: main.outputs.verified ?? '',
      checkpoint: main.outputs.checkpoint ?? '',
    },
  };
}

/** Nothing secret and nothing injected, anywhere the runner or a reader sees. */
function expectClean(r: Run) {
  const places = {
    log: visibleLog(r.main) + visibleLog(r.post),
    outputs: r.main.files.output,
    summary: r.main.summary + r.post.summary,
    state: r.main.files.state,
  };
  for (const [where, text] of Object.entries(places)) {
    for (const c of Object.values(CANARIES)) expect(text.includes(c), `${where} contains a canary`).toBe(false);
    expect(text.includes(WEBHOOK_PATH), `${where} contains the webhook's path`).toBe(false);
  }
  expect(r.main.stderr + r.post.stderr).toBe('');
  // Every line the runner would read as a command is one of the action's own, whole.
  for (const line of (r.main.stdout + r.post.stdout).split('\n')) {
    if (!line.startsWith('::')) continue;
    expect(line).toMatch(/^::(add-mask|error|warning|notice|debug)( title=[^\n]*?)?::/);
    expect(line).not.toMatch(/^::error::injected/);
  }
  const summary = r.main.summary;
  expect(summary).not.toContain('<script>');
  expect(summary).not.toContain('evil|');
  // (The summary is not read for workflow commands, but no vault text starts a line of it either.)
  expect(summary.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
  // The Mermaid block holds only what the action wrote.
  const mermaid = /```mermaid\n([\s\S]*?)```/.exec(summary)?.[1];
  if (mermaid) {
    for (const line of mermaid.trim().split('\n')) {
      expect(line).toMatch(
        /^(xychart-beta| {2}title "[^"]*"| {2}x-axis \[("[0-9 :-]+"(, )?)+\]| {2}y-axis "Requests" 0 --> \d+| {2}(bar|line) \[[0-9, ]+\])$/,
      );
    }
  }
}

async function tokenRow(id: string): Promise<{ revokedAt: string | null }> {
  const res = await vault.call('GET', '/v1/tokens?all=true', { token: vault.adminToken });
  return res.body.tokens.find((t: { id: string }) => t.id === id);
}

async function pipelineRead(claims: Record<string, unknown>) {
  const jwt = await issuer.mint({ audience: vault.url, claims });
  const ex = await vault.call('POST', '/v1/tokens/exchange', {
    token: deployerKey,
    body: { oidcToken: jwt, scopes: ['secrets:read:app/*'] },
  });
  if (ex.status !== 201) throw new Error(`exchange: ${ex.status} ${ex.text}`);
  const read = await vault.call('GET', '/v1/secrets/app/api-key', { token: ex.body.token });
  if (read.status !== 200) throw new Error(`pipeline read: ${read.status} ${read.text}`);
}

/** Some traffic: reads, refusals (one with a hostile query parameter), a pipeline from a hostile ref. */
async function traffic() {
  for (let i = 0; i < 3; i++) {
    for (const p of Object.keys(CANARIES)) {
      const res = await vault.call('GET', `/v1/secrets/${p}`, { token: appToken });
      if (res.status !== 200) throw new Error(`read ${p}: ${res.status}`);
    }
  }
  await vault.call('GET', '/v1/secrets/other/thing', { token: appToken });
  await vault.call('GET', `/v1/secrets/app/db-password?${encodeURIComponent(HOSTILE)}=1`, { token: appToken });
  await pipelineRead({ ref: HOSTILE_REF, workflow_ref: `octo-org/octo-repo/.github/workflows/${HOSTILE}.yml@${HOSTILE_REF}` });
}

beforeAll(async () => {
  const dist = process.env.ASS_TEST_DIST ?? path.join(root, 'dist');
  mainJs = path.join(dist, 'actions/audit-main.js');
  postJs = path.join(dist, 'actions/audit-post.js');
  defaults = await actionDefaults(path.join(root, 'audit/action.yml'));
  vault = await startTestVault({ now: clock });
  issuer = await startOidcIssuer({ now: clock });
  runnerTemp = await makeRunnerTemp();
  workspace = await mkdtemp(path.join(runnerTemp, 'workspace-'));
  checkpointFile = path.join(workspace, '.audit', 'checkpoint.json');
  for (const [p, value] of Object.entries(CANARIES)) {
    const res = await vault.call('PUT', `/v1/secrets/${p}`, { token: vault.adminToken, body: { value } });
    if (res.status !== 201 && res.status !== 200) throw new Error(`put ${p}: ${res.status} ${res.text}`);
  }
  const trustPolicy = { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } };
  const agent = await vault.call('POST', '/v1/agents', {
    token: vault.adminToken,
    body: { name: 'auditor-bot', scopes: ['audit:read'], trustPolicy },
  });
  if (agent.status !== 201) throw new Error(`agent: ${agent.text}`);
  auditorKey = agent.body.agentKey;
  const deployer = await vault.call('POST', '/v1/agents', {
    token: vault.adminToken,
    body: { name: 'deployer', scopes: ['secrets:read:app/*'], trustPolicy },
  });
  deployerKey = deployer.body.agentKey;
  appToken = (
    await issueToken(vault, await createAgent(vault, 'app', ['secrets:read:app/*']), { scopes: ['secrets:read:app/*'], ttl: '24h' })
  ).token;
  const lead = await vault.call('POST', '/v1/users', { token: vault.adminToken, body: { name: 'security-lead', role: 'auditor' } });
  auditorUserToken = lead.body.token;
  // The anomaly configuration a team keeps in its repository: pipelines run from main only.
  await writeFile(path.join(workspace, 'anomalies.json'), JSON.stringify({ pipelines: { refs: ['refs/heads/main'] } }));
  webhook.server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.url === WEBHOOK_PATH) webhook.bodies.push(body);
      res.writeHead(req.url === WEBHOOK_PATH ? 200 : 404).end('ok');
    });
  });
  await new Promise<void>((resolve) => webhook.server?.listen(0, '127.0.0.1', resolve));
  webhook.url = `http://127.0.0.1:${(webhook.server.address() as AddressInfo).port}${WEBHOOK_PATH}`;
}, 180_000);

afterAll(async () => {
  await vault?.cleanup();
  await issuer?.close();
  await new Promise((resolve) => webhook.server?.close(resolve));
  if (runnerTemp) await rm(runnerTemp, { recursive: true, force: true });
});

describe('audit action: a schedule of runs carrying the checkpoint', () => {
  let run1: Run;
  let run2: Run;
  let firstCheckpoint: string;

  it('run 1 (first run): verifies from record 1, writes the checkpoint, revokes its token', async () => {
    await traffic();
    clock.advance(3600_000);
    run1 = await runAudit({ 'agent-key': auditorKey, 'checkpoint-path': '.audit/checkpoint.json', config: 'anomalies.json' });
    expect(run1.main.code, visibleLog(run1.main)).toBe(0);
    expect(run1.post.code).toBe(0);
    expect(run1.outputs.verified).toBe('true');
    const written = JSON.parse(await readFile(checkpointFile, 'utf8'));
    expect(written).toEqual(JSON.parse(run1.outputs.checkpoint));
    expect(Object.keys(written).sort()).toEqual(['hash', 'origin', 'publicKey', 'seq', 'signature', 'time']);
    firstCheckpoint = await readFile(checkpointFile, 'utf8');
    const s = run1.main.summary;
    expect(s).toContain('Agent Secret Store: audit report');
    expect(s).toContain('the last 24 hours');
    expect(s).toContain('xychart-beta');
    expect(s).toContain('trusted on first use');
    expect(s).toMatch(/records 1 to \d+ \(\d+\) lead from record 1 to the new checkpoint/);
    expect(s).toContain('the new checkpoint was written to');
    // The pipeline token had audit:read only, and is revoked.
    const id = run1.main.state['token-id'] as string;
    expect(run1.main.stdout).toContain(`Pipeline token ${id} issued to agent auditor-bot, scopes audit:read.`);
    expect((await tokenRow(id)).revokedAt).not.toBeNull();
    // The hostile ref reached the report (escaped): the pipeline check warns about it.
    const pipeline = run1.outputs.anomalies.find((a) => a.check === 'unexpected_pipeline');
    expect(pipeline?.severity).toBe('warning');
    expect(pipeline?.title).toContain('<script>');
    expect(run1.main.stdout).toMatch(/^::warning title=Audit warning%3A unexpected_pipeline::/m);
    expect(s).toContain('evil&#124;&#60;script&#62;');
    expectClean(run1);
  });

  it('run 2 reports the window since run 1 and holds the log to run 1’s checkpoint', async () => {
    const before = JSON.parse(firstCheckpoint);
    clock.advance(3600_000);
    await traffic();
    clock.advance(600_000);
    run2 = await runAudit({ 'agent-key': auditorKey, 'checkpoint-path': '.audit/checkpoint.json', config: 'anomalies.json' });
    expect(run2.main.code, visibleLog(run2.main)).toBe(0);
    expect(run2.outputs.verified).toBe('true');
    const s = run2.main.summary;
    expect(s).toContain('since the last run');
    expect(s).toContain(`From ${new Date(Date.parse(before.time)).toISOString().slice(0, 16).replace('T', ' ')}`);
    // Read again from the record the previous checkpoint names, up to the new one.
    expect(s).toMatch(new RegExp(`records ${before.seq} to \\d+ \\(\\d+\\) lead from the previous checkpoint \\(record ${before.seq}`));
    expect(s).toContain("the previous checkpoint's key");
    expect(s).toContain('<code>app/db-password</code>');
    expect(s).toContain('<h4>Busiest actors</h4>');
    expect(s).toContain('<h4>CI exchanges by repository and workflow</h4>');
    // The window's reads (three of each secret, one by the pipeline), every one in the chart's bars.
    const bars = /\n {2}bar \[([0-9, ]*)\]/.exec(s)?.[1]?.split(', ').map(Number) ?? [];
    expect(bars.reduce((a, b) => a + b, 0)).toBe(7);
    expect(s).toContain('<tr><th align="left">Secret reads</th><td>7</td></tr>');
    const after = JSON.parse(await readFile(checkpointFile, 'utf8'));
    expect(after.seq).toBeGreaterThan(before.seq);
    expect(after.publicKey).toBe(before.publicKey);
    // The file is a checkpoint as `ass audit checkpoint` writes it: `ass audit verify` takes it too.
    const cliCheck = await ass(['audit', 'verify', '--checkpoint', checkpointFile], { ASS_URL: vault.url, ASS_TOKEN: auditorUserToken });
    expect(cliCheck.code, cliCheck.stderr).toBe(0);
    expect(cliCheck.stdout).toContain('consistent with 1 checkpoint(s)');
    expectClean(run2);
  });

  it('fail-on: warning fails the job on the same findings; the outputs say why', async () => {
    const r = await runAudit({ 'agent-key': auditorKey, 'fail-on': 'warning', since: '3h', config: 'anomalies.json' });
    expect(r.main.code).toBe(1);
    expect(r.outputs.verified).toBe('true');
    expect(r.main.stdout).toMatch(/::error::The audit report has \d+ warning finding\(s\) \(fail-on: warning\)/);
    expect(r.outputs.anomalies.every((a) => ['info', 'warning'].includes(a.severity))).toBe(true);
    expect(r.main.summary).toContain('the <code>since</code> input');
    const none = await runAudit({ 'agent-key': auditorKey, 'fail-on': 'none', since: '3h', config: 'anomalies.json' });
    expect(none.main.code).toBe(0);
    expectClean(r);
  });

  it('a run with an auditor user token instead of an agent key', async () => {
    const r = await runAudit({ token: auditorUserToken, since: '3h' });
    expect(r.main.code, visibleLog(r.main)).toBe(0);
    expect(r.outputs.verified).toBe('true');
    expect(r.main.state.token).toBeUndefined();
    expect(r.main.summary).toContain('the <code>token</code> input (not revoked');
    expect(r.main.masks).toContain(auditorUserToken);
    // The user's token still works: the action never revokes what it did not make.
    expect((await vault.call('GET', '/v1/audit/checkpoint', { token: auditorUserToken })).status).toBe(200);
    expectClean(r);
  });

  it('a token without audit:read is refused with the fix', async () => {
    const editor = await vault.call('POST', '/v1/users', { token: vault.adminToken, body: { name: 'an-editor', role: 'editor' } });
    const r = await runAudit({ token: editor.body.token });
    expect(r.main.code).toBe(1);
    expect(r.main.stdout).toContain('stage "checkpoint"');
    expect(r.main.stdout).toContain('auditor (or admin) role');
    expect(r.outputs.verified).toBe('false');
    // Monitoring that breaks says so where people look: the job summary, and the webhook.
    expect(r.main.summary).toContain('Audit report: not made');
    expect(r.main.summary).toContain('auditor (or admin) role');
  });

  it('a report that cannot be made is posted to the webhook too', async () => {
    const before = webhook.bodies.length;
    const r = await runAudit({ token: generateCredential('user').secret, 'webhook-url': webhook.url as string });
    expect(r.main.code).toBe(1);
    expect(r.main.summary).toContain('Audit report: not made');
    expect(webhook.bodies.length).toBe(before + 1);
    expect(webhook.bodies.at(-1)).toContain('The audit report could not be made');
    // (Later runs count their own notices.)
    webhook.bodies.length = before;
    expectClean(r);
  });

  it('an agent without audit:read is refused at the exchange, with the fix', async () => {
    const r = await runAudit({ 'agent-key': deployerKey });
    expect(r.main.code).toBe(1);
    expect(r.main.stdout).toContain('stage "exchange"');
    expect(r.main.stdout).toContain('may not grant audit:read');
    expect(r.main.stdout).toContain('The agent must hold audit:read');
    expect(r.outputs.verified).toBe('false');
    expect(r.main.state.token).toBeUndefined();
    expectClean(r);
  });

  describe('a vault that lies, through a proxy', () => {
    let proxy: Server;
    let proxyUrl: string;
    let mode: 'hide-record' | 'old-checkpoint' = 'hide-record';
    beforeAll(async () => {
      proxy = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const upstream = await fetch(`${vault.url}${req.url}`, {
          method: req.method,
          headers: Object.fromEntries(
            Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
          ) as Record<string, string>,
          ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
        });
        let body = await upstream.text();
        const url = req.url ?? '';
        if (url.startsWith('/v1/audit/verify')) body = JSON.stringify({ ...JSON.parse(body), ok: true, problems: [] });
        if (mode === 'hide-record' && url.startsWith('/v1/audit?') && upstream.ok) {
          const page = JSON.parse(body);
          // One record of the stretch vanishes: a deletion the vault does not own up to.
          if (page.events.length > 3) page.events.splice(2, 1);
          body = JSON.stringify(page);
        }
        if (mode === 'old-checkpoint' && url.startsWith('/v1/audit/checkpoint')) body = firstCheckpoint;
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(body);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => proxy.close(resolve));
    });

    it('a record hidden from the stretch is caught though the "vault" says its log is intact', async () => {
      mode = 'hide-record';
      const cp = path.join(workspace, 'lie-1.json');
      await copyFile(checkpointFile, cp);
      const kept = await readFile(cp, 'utf8');
      const r = await runAudit({ url: proxyUrl, audience: vault.url, 'agent-key': auditorKey, 'checkpoint-path': cp, 'fail-on': 'none' });
      expect(r.main.code).toBe(1);
      expect(r.outputs.verified).toBe('false');
      expect(r.outputs.anomalies[0]).toMatchObject({ check: 'chain_tampered', severity: 'critical' });
      expect(r.outputs.anomalies[0]?.title).toMatch(/missing|does not link/);
      expect(r.outputs.anomalies.some((a) => a.check === 'vault_verification')).toBe(false);
      expect(await readFile(cp, 'utf8')).toBe(kept);
      expectClean(r);
    });

    it('an older, validly signed checkpoint is a rollback', { timeout: 150_000 }, async () => {
      mode = 'old-checkpoint';
      const cp = path.join(workspace, 'lie-2.json');
      await copyFile(checkpointFile, cp);
      const r = await runAudit({ url: proxyUrl, audience: vault.url, 'agent-key': auditorKey, 'checkpoint-path': cp });
      expect(r.main.code, visibleLog(r.main)).toBe(1);
      expect(r.outputs.anomalies[0]).toMatchObject({ check: 'log_rolled_back', severity: 'critical' });
      expect(r.main.stdout).toMatch(/^::error title=Audit critical%3A log_rolled_back::/m);
    });

    it('a checkpoint signed by another key than the pinned one', async () => {
      mode = 'hide-record';
      const pinned = Buffer.alloc(32, 9).toString('base64');
      const r = await runAudit({ 'agent-key': auditorKey, 'public-key': pinned, since: '1h' });
      expect(r.main.code).toBe(1);
      expect(r.outputs.anomalies[0]).toMatchObject({ check: 'checkpoint_signature', severity: 'critical' });
    });
  });

  it('run 3, after a record was edited in the database, reports it first, fails, keeps the last good checkpoint', async () => {
    const kept = await readFile(checkpointFile, 'utf8');
    const since = JSON.parse(kept).seq as number;
    clock.advance(900_000);
    await traffic();
    const target = (await vault.sql(`SELECT seq FROM audit WHERE seq > ${since} AND event = 'secret.read' ORDER BY seq LIMIT 1`))[0]
      ?.seq as number;
    expect(target).toBeGreaterThan(since);
    // The attacker's view: write access to the database file, the append-only triggers dropped.
    await vault.sql(
      `DROP TRIGGER IF EXISTS audit_append_only_update; UPDATE audit SET reason = 'nothing to see here' WHERE seq = ${target}`,
    );
    clock.advance(60_000);
    const posted = webhook.bodies.length;
    const run3 = await runAudit({
      'agent-key': auditorKey,
      'checkpoint-path': '.audit/checkpoint.json',
      config: 'anomalies.json',
      'fail-on': 'none',
      'webhook-url': webhook.url as string,
    });
    expect(run3.main.code).toBe(1);
    expect(run3.outputs.verified).toBe('false');
    const top = run3.outputs.anomalies[0];
    expect(top).toMatchObject({ check: 'chain_tampered', severity: 'critical', subject: { seq: String(target) } });
    expect(top?.title).toContain(`Record ${target} was edited`);
    // The vault's own verification and its anomaly check agree, after the action's own finding.
    expect(run3.outputs.anomalies.map((a) => a.check)).toContain('vault_verification');
    expect(run3.main.stdout).toMatch(new RegExp(`^::error title=Audit critical%3A chain_tampered::.*Record ${target} was edited`, 'm'));
    expect(run3.main.stdout).toMatch(/^::error::The audit log fails verification: /m);
    expect(run3.main.summary).toContain('The audit log FAILS verification');
    expect(run3.main.summary).toContain('the previous checkpoint was kept');
    expect(await readFile(checkpointFile, 'utf8')).toBe(kept);
    // The vault now refuses every change, the token's revocation included: the report says so.
    expect(run3.main.stdout).toContain('the vault refuses every change while its audit log is broken');
    expect(run3.post.code).toBe(0);
    // The webhook got the findings, escaped for Slack, and its URL's path never showed.
    expect(webhook.bodies).toHaveLength(posted + 1);
    const notice = JSON.parse(webhook.bodies[posted] as string);
    expect(notice.text).toContain('critical');
    expect(notice.blocks[1].text.text).toContain('chain_tampered');
    // What Slack renders is escaped; the findings ride along as data for other receivers.
    const rendered = JSON.stringify([notice.text, notice.blocks]);
    expect(rendered).not.toContain('<script>');
    expect(rendered).toContain('&lt;script&gt;');
    expect(notice.findings.map((f: { check: string }) => f.check)).toEqual(run3.outputs.anomalies.map((a) => a.check));
    for (const c of Object.values(CANARIES)) expect(webhook.bodies[posted]).not.toContain(c);
    expect(run3.main.masks).toContain(webhook.url);
    expectClean(run3);
  });

  it('run 4: the vault reports its log broken and refuses the exchange; that is the top finding', async () => {
    const kept = await readFile(checkpointFile, 'utf8');
    const r = await runAudit({ 'agent-key': auditorKey, 'checkpoint-path': '.audit/checkpoint.json', 'fail-on': 'none' });
    expect(r.main.code).toBe(1);
    expect(r.outputs.verified).toBe('false');
    expect(r.outputs.anomalies[0]).toMatchObject({
      check: 'audit_unavailable',
      severity: 'critical',
      title: 'The vault reports its audit log broken',
    });
    expect(r.outputs.checkpoint).toBe('');
    expect(r.main.summary).toContain('The vault reports its audit log broken');
    expect(await readFile(checkpointFile, 'utf8')).toBe(kept);
    expectClean(r);
  });

  it('run 5, with an auditor token: what the broken vault still serves is checked, the edit found again', async () => {
    const r = await runAudit({ token: auditorUserToken, 'checkpoint-path': '.audit/checkpoint.json' });
    expect(r.main.code).toBe(1);
    const checks = r.outputs.anomalies.map((a) => a.check);
    expect(checks[0]).toBe('audit_unavailable');
    expect(checks).toContain('chain_tampered');
    expect(checks).toContain('vault_verification');
    expect(r.main.summary).toContain('the previous checkpoint was kept: the vault signed no new checkpoint.');
    expect(r.outputs.checkpoint).toBe('');
    expectClean(r);
  });
});

describe('audit action inputs', () => {
  it('names every bad input and how to fix it, echoing no credential', async () => {
    await mkdir(workspace, { recursive: true });
    await writeFile(path.join(workspace, 'bad.json'), JSON.stringify({ businessHours: { start: '9am' } }));
    const r = await runAudit({
      'agent-key': auditorKey,
      token: auditorUserToken,
      'fail-on': 'sometimes',
      since: 'yesterday',
      config: 'bad.json',
      'public-key': 'not-a-key',
      'max-records': '0',
    });
    expect(r.main.code).toBe(1);
    const log = visibleLog(r.main);
    expect(log).toContain('Input "fail-on" must be none, info, warning or critical.');
    expect(log).toContain('Input "since" "yesterday" must be a duration');
    expect(log).toContain('the field businessHours.start must be a time of day');
    expect(log).toContain('Input "public-key" must be');
    expect(log).toContain('Input "max-records" must be');
    expect(log).toContain('not both');
    expect(log).not.toContain(auditorKey);
    expect(log).not.toContain(auditorUserToken);
    expect(r.outputs.verified).toBe('false');
  });
});
