/**
 * `ass` against a real vault whose approval policy is the default one (sensitive and critical
 * secrets need one approval within 24 h): held commands exit 5 with instructions, approvers decide
 * with `ass approvals`, `--wait` waits and then prints what was asked, and the policy is edited
 * read-modify-write. Waits never sleep: the injected sleep is where the approver acts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ass, type CliResult } from '../helpers/cli-io.js';
import { startOidcIssuer } from '../helpers/oidc-issuer.js';
import { createAgent, fakeClock, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-Appr0val-Zx81-do-not-print';
const CANARY_TOO = 'canary-Second-Qw37-do-not-print';
const HELD = /^approval required: Approval ([0-9A-Za-z]{16}) is needed for /;

let v: TestVault;
let dir: string;
let admin: Record<string, string>;
let bob: Record<string, string>; // a viewer marked approver: decides, cannot read
let carol: Record<string, string>; // an editor, made an approver later
let dave: Record<string, string>; // a plain viewer
let erin: Record<string, string>; // an editor who asks
/** Every stderr written in this file: the canaries must never be in any of it. */
const allStderr: string[] = [];

async function run(args: string[], env: Record<string, string | undefined>, opts: Parameters<typeof ass>[2] = {}): Promise<CliResult> {
  const r = await ass(args, env, opts);
  allStderr.push(r.stderr);
  return r;
}

/** The id of the held request in a command's stderr. */
function heldId(r: CliResult): string {
  const m = HELD.exec(r.stderr);
  if (!m) throw new Error(`not held: ${r.code} ${r.stderr}`);
  return m[1]!;
}

/** The pending request for `path` (as an approver sees it). */
async function pendingFor(path: string): Promise<{ id: string; description: string | null; requester: { name: string } }> {
  const r = await run(['approvals', 'list', '--status', 'pending', '--json'], bob);
  const found = JSON.parse(r.stdout).approvals.find((a: { paths: string[] }) => a.paths.includes(path));
  if (!found) throw new Error(`no pending request for ${path}`);
  return found;
}

/** A sleep that runs `act` at the first wait, then returns at once. */
function actOnFirstSleep(act: () => Promise<void>): { sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
      if (sleeps.length === 1) await act();
    },
  };
}

async function userToken(name: string, role: string, extra: string[] = []): Promise<Record<string, string>> {
  const r = await run(['users', 'create', name, '--role', role, ...extra, '--json'], admin);
  expect(r.code, r.stderr).toBe(0);
  return { ASS_URL: v.url, ASS_TOKEN: JSON.parse(r.stdout).token };
}

beforeAll(async () => {
  v = await startTestVault({ approvals: 'default' });
  dir = await mkdtemp(path.join(tmpdir(), 'ass-approvals-cli-'));
  admin = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
  for (const [p, value, tier] of [
    ['crit/db', CANARY, 'critical'],
    ['crit/other', CANARY_TOO, 'critical'],
    ['plain/key', 'plain-value', 'standard'],
  ] as const) {
    expect((await run(['secrets', 'set', p, '--tier', tier], admin, { input: value })).code).toBe(0);
  }
});
afterAll(async () => {
  await v.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('approvers', () => {
  it('users create NAME --approver, users update, and users list showing who may approve', async () => {
    const created = await run(['users', 'create', 'bob', '--role', 'viewer', '--approver', '--json'], admin);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'bob', role: 'viewer', approver: true });
    bob = { ASS_URL: v.url, ASS_TOKEN: JSON.parse(created.stdout).token };
    const human = await run(['users', 'create', '--name', 'carol', '--role', 'editor'], admin);
    expect(human.stdout).toMatch(/^approver\s+no$/m);
    carol = { ASS_URL: v.url, ASS_TOKEN: /^(ass_u_\S+)$/m.exec(human.stdout)![1]! };
    dave = await userToken('dave', 'viewer');
    erin = await userToken('erin', 'editor');

    const on = await run(['users', 'update', 'carol', '--approver'], admin);
    expect(on).toMatchObject({ code: 0, stdout: 'carol is now an approver: they can approve or deny requests (ass approvals list).\n' });
    const again = await run(['users', 'update', 'carol', '--approver'], admin);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/carol is already an approver; nothing changed/);
    const off = await run(['users', 'update', 'carol', '--no-approver', '--json'], admin);
    expect(JSON.parse(off.stdout)).toMatchObject({ name: 'carol', approver: false });
    expect((await run(['users', 'update', 'carol', '--approver'], admin)).code).toBe(0);

    const neither = await run(['users', 'update', 'carol'], admin);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/exactly one of --approver or --no-approver[\s\S]*ass users update --help/);
    const both = await run(['users', 'create', 'x', '--name', 'y', '--role', 'viewer'], admin);
    expect(both.code).toBe(2);
    expect((await run(['users', 'update', 'nobody', '--approver'], admin)).code).toBe(4);
    expect((await run(['users', 'update', 'dave', '--approver'], bob)).code).toBe(3);

    const list = await run(['users', 'list'], admin);
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+ID\s+ROLE\s+APPROVER\s+CREATED\s+REVOKED$/);
    expect(list.stdout).toMatch(/^admin\s+\S+\s+admin\s+yes \(admin\)/m);
    expect(list.stdout).toMatch(/^bob\s+\S+\s+viewer\s+yes\s/m);
    expect(list.stdout).toMatch(/^dave\s+\S+\s+viewer\s+no\s/m);
  });
});

describe('a held read', () => {
  let id: string;

  it('exits 5 with who may approve and the command to run; --json prints the pending request', async () => {
    const r = await run(['secrets', 'get', 'crit/db', '--silent'], admin);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    id = heldId(r);
    expect(r.stderr).toContain(`Approval ${id} is needed for crit/db: ask bob, carol to run "ass approvals approve ${id}" before `);
    expect(r.stderr).toContain(`ass approvals collect ${id}`);
    expect(r.stderr).toContain('run this command again with --wait');

    // The same request again is the same request.
    const j = await run(['secrets', 'get', 'crit/db', '--json'], admin);
    expect(j.code).toBe(5);
    const body = JSON.parse(j.stdout);
    expect(body).toMatchObject({
      approvalId: id,
      id,
      status: 'pending',
      kind: 'read',
      paths: ['crit/db'],
      approvers: ['bob', 'carol'],
      requiredApprovals: 1,
      approveCommand: `ass approvals approve ${id}`,
      requester: { type: 'user', name: 'admin' },
    });
    expect(Object.keys(body)[0]).toBe('approvalId');
    expect(j.stdout).not.toContain(CANARY);
    expect(j.stderr).toMatch(HELD);

    // Nothing held for a standard secret.
    expect((await run(['secrets', 'get', 'plain/key', '--silent'], admin)).stdout).toBe('plain-value');
  });

  it('lists and shows it to approvers', async () => {
    const list = await run(['approvals', 'list'], bob);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+REQUESTER\s+PATHS\s+APPROVALS\s+EXPIRES$/);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+pending\\s+user admin\\s+crit/db\\s+0/1\\s+\\d{4}-`, 'm'));
    const show = await run(['approvals', 'show', id], bob);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^status\s+pending$/m);
    expect(show.stdout).toMatch(/^requester\s+user admin$/m);
    expect(show.stdout).toMatch(/^paths\s+crit\/db$/m);
    expect(show.stdout).toMatch(/^approvals\s+0 of 1$/m);
    expect(show.stdout).toMatch(/^rule\s+tier critical$/m);
    expect(show.stdout).toContain(`Approve: ass approvals approve ${id}`);
    expect(show.stdout).toContain(`Deny:    ass approvals deny ${id} --reason TEXT`);
    const json = JSON.parse((await run(['approvals', 'show', id, '--json'], bob)).stdout);
    expect(json).toMatchObject({ id, status: 'pending', decisions: [] });
    // The requester sees its own; a plain viewer sees none of it.
    expect((await run(['approvals', 'show', id], admin)).code).toBe(0);
    const other = await run(['approvals', 'show', id], dave);
    expect(other.code).toBe(3);
    expect(JSON.parse((await run(['approvals', 'list', '--json'], dave)).stdout).approvals).toEqual([]);
    expect((await run(['approvals', 'list', '--status', 'all', '--json'], bob)).stdout).not.toContain(CANARY);
  });

  it('refuses a plain viewer, the requester, an unknown id and a malformed one, each clearly', async () => {
    const viewer = await run(['approvals', 'approve', id], dave);
    expect(viewer.code).toBe(3);
    expect(viewer.stderr).toMatch(/The viewer role cannot approve requests: only admins and approvers can/);
    const own = await run(['approvals', 'approve', id], admin);
    expect(own.code).toBe(3);
    expect(own.stderr).toMatch(/No one approves their own request/);
    const unknown = await run(['approvals', 'approve', 'AAAAAAAAAAAAAAAA'], bob);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/No approval request AAAAAAAAAAAAAAAA; see ass approvals list/);
    const malformed = await run(['approvals', 'approve', 'abc'], bob);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/16 letters and digits[\s\S]*ass approvals approve --help/);
    const noReason = await run(['approvals', 'deny', id], bob);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--reason is required: say why, the requester sees it/);
    expect(noReason.stderr).toContain('ass approvals deny --help');
    // Still pending after all that.
    expect(JSON.parse((await run(['approvals', 'show', id, '--json'], bob)).stdout).status).toBe('pending');
  });

  it('is approved by another user, collected once by the requester, and deciding again is a conflict', async () => {
    const ok = await run(['approvals', 'approve', id, '--reason', 'on call'], bob);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^Approved ${id} \\(1 of 1\\): user admin can now collect crit/db, once, until `));
    const twice = await run(['approvals', 'approve', id], carol);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(new RegExp(`Approval ${id} is already approved; a decision is final`));
    expect((await run(['approvals', 'deny', id, '--reason', 'too late'], carol)).code).toBe(2);

    const collected = await run(['approvals', 'collect', id], admin);
    expect(collected.code, collected.stderr).toBe(0);
    expect(collected.stdout).toMatch(/^path\s+crit\/db$/m);
    expect(collected.stdout).toContain(`value\n${CANARY}\n`);
    const again = await run(['approvals', 'collect', id], admin);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already collected/);
    const show = await run(['approvals', 'show', id], bob);
    expect(show.stdout).toMatch(/^status\s+collected$/m);
    expect(show.stdout).toMatch(/^approve\s+bob\s+\S+\s+on call$/m);
    expect(show.stdout).not.toContain('Approve:');
    expect((await run(['approvals', 'show', id, '--json'], admin)).stdout).not.toContain(CANARY);
  });
});

describe('--wait', () => {
  it('secrets get --wait: waits while another user approves, then prints the value', async () => {
    const approver = actOnFirstSleep(async () => {
      const pending = await pendingFor('crit/db');
      expect(pending.description).toBe('incident 42');
      expect((await run(['approvals', 'approve', pending.id], bob)).code).toBe(0);
    });
    const r = await run(['secrets', 'get', 'crit/db', '--silent', '--wait', '--reason', 'incident 42'], admin, {
      deps: { sleep: approver.sleep },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(CANARY);
    expect(r.stderr).toMatch(HELD);
    expect(r.stderr).toContain('Waiting up to 15m for the decision');
    expect(r.stderr).toMatch(/approved by bob; collecting it/);
    expect(approver.sleeps).toEqual([2000]);
  });

  it("denied while waiting: exit 3 with the approver's reason", async () => {
    const denier = actOnFirstSleep(async () => {
      const pending = await pendingFor('crit/other');
      const d = await run(['approvals', 'deny', pending.id, '--reason', 'not during the freeze'], carol);
      expect(d.stdout).toMatch(/^Denied \S+: user erin gets nothing for crit\/other/);
    });
    const r = await run(['secrets', 'get', 'crit/other', '--wait', '--json'], erin, { deps: { sleep: denier.sleep } });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error: Approval \S+ was denied by carol: not during the freeze\./);
  });

  it('a wait that ends first exits 5 with the instructions (and the pending request with --json)', async () => {
    const clock = fakeClock(Date.now());
    const r = await run(['secrets', 'get', 'crit/other', '--wait', '--wait-timeout', '1m', '--json'], erin, {
      deps: { now: clock, sleep: async (ms) => void clock.advance(ms) },
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/still pending after waiting 1m/);
    expect(r.stderr).toMatch(/approval required: Approval \S+ is needed for crit\/other/);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'pending', paths: ['crit/other'], approvers: ['admin', 'bob', 'carol'] });
    expect(r.stdout).not.toContain(CANARY_TOO);
    const bad = await run(['secrets', 'get', 'crit/other', '--wait-timeout', '1m'], erin);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--wait-timeout goes with --wait/);
  });

  it('tokens issue --wait with an agent key: the approved token reads what it asked for', async () => {
    const agentKey = await createAgent(v, 'deployer', ['secrets:read:crit/*']);
    const agent = { ASS_URL: v.url, ASS_AGENT_KEY: agentKey };
    const args = ['tokens', 'issue', '--scopes', 'secrets:read:crit/*', '--ttl', '10m', '--description', 'deploy 7'];
    const held = await run(args, agent);
    expect(held.code).toBe(5);
    expect(held.stderr).toMatch(/is needed for crit\/db, crit\/other: ask admin, bob, carol to run/);
    expect(held.stderr).toContain('run this command again with --wait');

    const approver = actOnFirstSleep(async () => {
      const pending = await pendingFor('crit/db');
      expect(pending).toMatchObject({ description: 'deploy 7', requester: { name: 'deployer' } });
      expect((await run(['approvals', 'approve', pending.id], bob)).code).toBe(0);
    });
    const r = await run([...args, '--wait', '--json'], agent, { deps: { sleep: approver.sleep } });
    expect(r.code, r.stderr).toBe(0);
    const token = JSON.parse(r.stdout);
    expect(token).toMatchObject({ token: expect.stringMatching(/^ass_t_/), agent: 'deployer', scopes: ['secrets:read:crit/*'] });
    expect(r.stdout).not.toContain(CANARY);
    const read = await run(['secrets', 'get', 'crit/db', '--silent'], { ASS_URL: v.url, ASS_TOKEN: token.token });
    expect(read).toEqual({ code: 0, stdout: CANARY, stderr: '' });
  });

  it('secrets get --wait with only an agent key: the token request is what waits, the reason goes to the approvers', async () => {
    const agentKey = await createAgent(v, 'reader', ['secrets:read:crit/*']);
    const approver = actOnFirstSleep(async () => {
      const pending = await pendingFor('crit/db');
      expect(pending).toMatchObject({ description: 'ass CLI: secrets get crit/db; reason: nightly job', requester: { name: 'reader' } });
      expect((await run(['approvals', 'approve', pending.id], carol)).code).toBe(0);
    });
    const r = await run(
      ['secrets', 'get', 'crit/db', '--silent', '--wait', '--reason', 'nightly job'],
      { ASS_URL: v.url, ASS_AGENT_KEY: agentKey },
      {
        deps: { sleep: approver.sleep },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(CANARY);
  });
});

describe('a held exchange', () => {
  it('exits 5 saying how to collect with a fresh OIDC token of the run; collect --oidc-token - releases the pipeline token', async () => {
    const issuer = await startOidcIssuer();
    try {
      const created = await run(
        [
          'agents',
          'create',
          '--name',
          'pipeline',
          '--scopes',
          'secrets:read:crit/*',
          '--oidc-issuer',
          issuer.url,
          '--oidc-claim',
          `repository_id=${issuer.claims.repository_id}`,
          '--json',
        ],
        admin,
      );
      expect(created.code, created.stderr).toBe(0);
      const env = { ASS_URL: v.url, ASS_AGENT_KEY: JSON.parse(created.stdout).agentKey };
      const held = await run(['tokens', 'exchange', '--oidc-token', '-', '--json'], env, {
        input: await issuer.mint({ audience: v.url }),
      });
      expect(held.code).toBe(5);
      const pending = JSON.parse(held.stdout);
      expect(pending).toMatchObject({ status: 'pending', kind: 'exchange', requester: { type: 'pipeline', name: 'pipeline' } });
      expect(held.stderr).toContain(
        `ass approvals collect ${pending.id} --oidc-token -\` (with the same credential, and a fresh OIDC token`,
      );
      const show = await run(['approvals', 'show', pending.id], bob);
      expect(show.stdout).toMatch(/^kind\s+exchange \(a CI run\)$/m);
      expect(show.stdout).toMatch(new RegExp(`^claim repository\\s+${issuer.claims.repository}$`, 'm'));
      expect((await run(['approvals', 'approve', pending.id], bob)).code).toBe(0);

      const noJwt = await run(['approvals', 'collect', pending.id], env);
      expect(noJwt.code).toBe(2);
      expect(noJwt.stderr).toMatch(/collect it with a fresh OIDC token of the same run/);
      const collected = await run(['approvals', 'collect', pending.id, '--oidc-token', '-'], env, {
        input: await issuer.mint({ audience: v.url }),
      });
      expect(collected.code, collected.stderr).toBe(0);
      expect(collected.stdout).toMatch(/Token \(shown only now; use it as ASS_TOKEN\):\nass_p_/);
      const token = /^(ass_p_\S+)$/m.exec(collected.stdout)![1]!;
      expect((await run(['secrets', 'get', 'crit/other', '--silent'], { ASS_URL: v.url, ASS_TOKEN: token })).stdout).toBe(CANARY_TOO);
    } finally {
      await issuer.close();
    }
  });
});

describe('expiry', () => {
  it('a request that expires while --wait waits: exit 3, saying it expired and to ask again', async () => {
    const clock = fakeClock(Date.now());
    const w = await startTestVault({ approvals: 'default', now: clock });
    try {
      const env = { ASS_URL: w.url, ASS_TOKEN: w.adminToken };
      expect((await run(['secrets', 'set', 'crit/db', '--tier', 'critical'], env, { input: CANARY })).code).toBe(0);
      const ticking = actOnFirstSleep(async () => void clock.advance(25 * 3600_000));
      const r = await run(['secrets', 'get', 'crit/db', '--wait', '--wait-timeout', '2d'], env, { deps: { sleep: ticking.sleep } });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      // Nobody else may approve in that vault: the instructions say how to make an approver.
      expect(r.stderr).toMatch(
        /but no one other than the requester may approve it under its rule \(tier critical\) yet: an admin makes an approver with ass users create NAME --role viewer --approver/,
      );
      expect(r.stderr).toMatch(/error: Approval \S+ expired at \S+ without the approvals it needed; ask again\./);
    } finally {
      await w.cleanup();
    }
  });
});

describe('approvals policy', () => {
  it('shows the default policy, then sets a tier rule and says what changed', async () => {
    const shown = await run(['approvals', 'policy', 'show'], dave);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/built-in default/);
    expect(shown.stdout).toMatch(/^tier critical\s+1\s+1d\s+any admin or approver$/m);
    expect(shown.stdout).toMatch(/^tier standard\s+0\s+-\s+-$/m);
    expect(JSON.parse((await run(['approvals', 'policy', 'show', '--json'], dave)).stdout)).toMatchObject({ revision: 0 });

    const set = await run(['approvals', 'policy', 'set', '--tier', 'critical', '--required', '2'], admin);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(
      /^Approval policy updated \(revision \d+\):\n {2}tier critical: 1 approval within 1d -> 2 approvals within 1d\n$/,
    );
    const same = await run(['approvals', 'policy', 'set', '--tier', 'critical', '--required', '2'], admin);
    expect(same.stdout).toMatch(/^Nothing changed: the policy already says that \(revision \d+\)/);
    const notAdmin = await run(['approvals', 'policy', 'set', '--tier', 'critical', '--required', '3'], bob);
    expect(notAdmin.code).toBe(3);
  });

  it('a change made by someone else between the read and the write is a conflict, not overwritten', async () => {
    const pool = new Agent();
    let raced = false;
    // The other admin's change lands just before this command's write.
    const racing = {
      request: async (opts: Dispatcher.RequestOptions) => {
        if (opts.method === 'PUT' && String(opts.path).endsWith('/v1/approvals/policy') && !raced) {
          raced = true;
          expect((await run(['approvals', 'policy', 'set', '--tier', 'sensitive', '--timeout', '2h'], admin)).code).toBe(0);
        }
        return pool.request(opts);
      },
    } as unknown as Dispatcher;
    try {
      const r = await run(['approvals', 'policy', 'set', '--tier', 'standard', '--required', '1'], admin, {
        deps: { client: { dispatcher: racing, retry: { attempts: 1, baseMs: 1, maxMs: 1 } } },
      });
      expect(raced).toBe(true);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Someone changed the approval policy while this command ran \(it read revision \d+\); nothing was written/);
      const p = JSON.parse((await run(['approvals', 'policy', 'show', '--json'], admin)).stdout);
      expect(p.tiers).toMatchObject({ standard: { requiredApprovals: 0 }, sensitive: { requiredApprovals: 1, timeoutSeconds: 7200 } });
    } finally {
      await pool.close();
    }
  });

  it('two required approvals take two different approvers; the same one twice is a clear conflict', async () => {
    const id = heldId(await run(['secrets', 'get', 'crit/db'], erin));
    const first = await run(['approvals', 'approve', id], bob);
    expect(first.stdout).toMatch(new RegExp(`^Recorded your approval of ${id}: 1 of 2; 1 more needed \\(from admin, carol\\) before `));
    const twice = await run(['approvals', 'approve', id], bob);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/You already decided on approval \S+; it needs 2 distinct approvers, so ask another one/);
    const second = await run(['approvals', 'approve', id, '--json'], admin);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'approved' });
    const collected = await run(['approvals', 'collect', id, '--json'], erin);
    expect(JSON.parse(collected.stdout).secrets).toEqual([expect.objectContaining({ path: 'crit/db', value: CANARY })]);
  });

  it("set --file takes seed 003's JSON", async () => {
    const seed = path.join(dir, 'seed-003.json');
    const policy = {
      approval_policy: {
        tiers: {
          standard: { required_approvals: 0 },
          sensitive: { required_approvals: 1, timeout_hours: 24 },
          critical: { required_approvals: 1, timeout_hours: 4 },
        },
        approvers: ['bob', 'carol'],
      },
    };
    await writeFile(seed, JSON.stringify(policy));
    const r = await run(['approvals', 'policy', 'set', '--file', seed], admin);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('tier critical: 2 approvals within 1d -> 1 approval within 4h');
    expect(r.stdout).toContain('approvers: every admin and approver -> bob, carol');
    const p = JSON.parse((await run(['approvals', 'policy', 'show', '--json'], admin)).stdout);
    expect(p).toMatchObject({
      tiers: { critical: { requiredApprovals: 1, timeoutSeconds: 14_400 }, standard: { requiredApprovals: 0 } },
      approvers: ['bob', 'carol'],
      updatedBy: 'user:admin',
    });

    // Seed 003 verbatim names people the vault does not know: a clear refusal, nothing changed.
    await writeFile(seed, JSON.stringify({ ...policy, approval_policy: { ...policy.approval_policy, approvers: ['you@company.com'] } }));
    const unknown = await run(['approvals', 'policy', 'set', '--file', seed], admin);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/approvers: "you@company\.com" is not a vault user name\. Approvers are vault users, by name/);
    expect(unknown.stderr).toContain('ass approvals policy set --help');
    await writeFile(seed, JSON.stringify({ approval_policy: { tiers: { critical: { required_approvals: 1 } } } }));
    const partial = await run(['approvals', 'policy', 'set', '--file', seed], admin);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toMatch(/no rule for the standard tier/);
    await writeFile(seed, '{"approval_policy": {"tiers": ');
    expect((await run(['approvals', 'policy', 'set', '--file', seed], admin)).stderr).toMatch(/is not valid JSON/);
    expect((await run(['approvals', 'policy', 'set', '--file', path.join(dir, 'missing.json')], admin)).code).toBe(2);
  });

  it("set --file takes the API's own shape (what policy show --json prints)", async () => {
    const file = path.join(dir, 'api.json');
    const shown = (await run(['approvals', 'policy', 'show', '--json'], admin)).stdout;
    await writeFile(file, shown);
    expect((await run(['approvals', 'policy', 'set', '--file', file], admin)).stdout).toMatch(/^Nothing changed/);
    const p = JSON.parse(shown);
    p.prefixes = [{ prefix: 'crit/db', tier: null, requiredApprovals: 2, timeoutSeconds: 3600, approvers: ['bob', 'carol'] }];
    await writeFile(file, JSON.stringify(p));
    const r = await run(['approvals', 'policy', 'set', '--file', file], admin);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('prefix crit/db: added, 2 approvals within 1h, by bob, carol');
    expect((await run(['approvals', 'policy', 'set', '--file', file, '--tier', 'critical'], admin)).code).toBe(2);
  });

  it('edits prefix rules, approvers and the webhook with flags', async () => {
    const add = await run(
      [
        'approvals',
        'policy',
        'set',
        '--prefix',
        'plain',
        '--tier',
        'standard',
        '--required',
        '1',
        '--timeout',
        '2h',
        '--approvers',
        'carol',
      ],
      admin,
    );
    expect(add.stdout).toContain('prefix plain (standard only): added, 1 approval within 2h, by carol');
    const held = await run(['secrets', 'get', 'plain/key'], erin);
    expect(held.code).toBe(5);
    expect(held.stderr).toMatch(/is needed for plain\/key: ask carol to run/);
    const change = await run(['approvals', 'policy', 'set', '--prefix', 'plain/', '--tier', 'standard', '--timeout', '30m'], admin);
    expect(change.stdout).toContain('prefix plain (standard only): 1 approval within 2h, by carol -> 1 approval within 30m, by carol');
    const remove = await run(['approvals', 'policy', 'set', '--remove-prefix', 'plain', '--tier', 'standard'], admin);
    expect(remove.stdout).toContain('prefix plain (standard only): removed (was 1 approval within 30m, by carol)');
    const missing = await run(['approvals', 'policy', 'set', '--remove-prefix', 'plain'], admin);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no rule for prefix plain \(every tier\); its prefix rules: crit\/db/);

    const clear = await run(['approvals', 'policy', 'set', '--approvers', ''], admin);
    expect(clear.stdout).toContain('approvers: bob, carol -> every admin and approver');
    const notApprover = await run(['approvals', 'policy', 'set', '--approvers', 'dave'], admin);
    expect(notApprover.code).toBe(2);
    expect(notApprover.stderr).toMatch(/dave is not an approver; make them one first \(ass users update dave --approver\)/);

    expect((await run(['approvals', 'policy', 'set', '--no-webhook'], admin)).stdout).toMatch(/^Nothing changed/);
    const half = await run(['approvals', 'policy', 'set', '--webhook', 'https://hooks.example.com/x'], admin);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--webhook URL and --webhook-secret VAULT_PATH go together/);
    const noKey = await run(
      ['approvals', 'policy', 'set', '--webhook', 'https://hooks.example.com/x', '--webhook-secret', 'ops/hook-key'],
      admin,
    );
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/No secret at ops\/hook-key holds the webhook's signing key/);

    const nothing = await run(['approvals', 'policy', 'set'], admin);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/Say what to change/);
    const tierAlone = await run(['approvals', 'policy', 'set', '--tier', 'critical'], admin);
    expect(tierAlone.stderr).toMatch(/--tier critical needs --required N and\/or --timeout D/);
    const requiredAlone = await run(['approvals', 'policy', 'set', '--required', '1'], admin);
    expect(requiredAlone.stderr).toMatch(/name it with --tier T \(a tier\) or --prefix PATH/);
    const newPrefix = await run(['approvals', 'policy', 'set', '--prefix', 'new/one', '--timeout', '1h'], admin);
    expect(newPrefix.stderr).toMatch(/A new rule for prefix new\/one needs --required N/);
  });
});

describe('help', () => {
  it('lists the approvals commands, two-word ones included, and exit code 5', async () => {
    const top = await run(['--help'], {});
    expect(top.stdout).toMatch(/approvals policy set\s+Change the approval policy/);
    expect(top.stdout).toMatch(/5 held for a human approval/);
    const group = await run(['approvals', '--help'], {});
    expect(group.stdout).toContain('ass approvals policy show');
    const sub = await run(['approvals', 'policy'], {});
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('ass approvals policy set');
    expect((await run(['approvals', 'policy', 'frob'], {})).code).toBe(2);
    expect((await run(['help', 'approvals', 'policy', 'set'], {})).stdout).toMatch(
      /^Change the approval policy[\s\S]*--remove-prefix PATH/,
    );
    expect((await run(['approvals', 'policy', 'set', '--help'], {})).stdout).toContain('seed 003');
    expect((await run(['secrets', 'get', '--help'], {})).stdout).toContain('--wait-timeout D');
    expect((await run(['tokens', 'issue', '--help'], {})).stdout).toContain('--wait');
  });
});

describe('canaries', () => {
  it('no secret value in any stderr of this file', () => {
    expect(allStderr.length).toBeGreaterThan(50);
    for (const s of allStderr) {
      expect(s).not.toContain(CANARY);
      expect(s).not.toContain(CANARY_TOO);
    }
  });
});
