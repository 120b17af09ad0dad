/**
 * `ass server --rotate`: the server runs due rotations itself, as the agent vault-rotator with a
 * token per pass, only with the rotators that need nothing outside its host, and logs no value.
 * Passes are run by hand (runRotationPass) while a fake clock makes secrets due.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/logger.js';
import { fakeClock, startTestVault, type TestVault } from '../helpers/vault.js';

let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

function capturingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  return { lines, logger };
}

async function setup() {
  const clock = fakeClock();
  const { lines, logger } = capturingLogger();
  // A timer far away: only the test runs passes.
  v = await startTestVault({ now: clock, logger, rotate: true, rotateEverySeconds: 24 * 3600 });
  const vault = v;
  const call = (method: string, p: string, body?: unknown) => vault.call(method, p, { token: vault.adminToken, body });
  const pass = () => {
    if (!vault.runRotationPass) throw new Error('the vault does not rotate');
    return vault.runRotationPass();
  };
  return { vault, clock, lines, call, pass };
}

describe('ass server --rotate', () => {
  it('rotates a random secret once it is due, as vault-rotator, with the previous value readable and no value in the log', async () => {
    const { vault, clock, lines, call, pass } = await setup();
    expect((await call('PUT', '/v1/secrets/app/key', { value: 'canary-old-value-7f3a', type: 'api_key' })).status).toBe(200);
    expect((await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'random', every: '1h' })).status).toBe(200);

    expect(await pass()).toEqual([]);
    expect((await call('GET', '/v1/secrets/app/key')).body.version).toBe(1);

    clock.advance(3600_000 + 1000);
    const results = await pass();
    expect(results).toMatchObject([{ path: 'app/key', status: 'rotated', fromVersion: 1, toVersion: 2 }]);
    const current = (await call('GET', '/v1/secrets/app/key')).body;
    expect(current.version).toBe(2);
    expect(current.value).not.toBe('canary-old-value-7f3a');
    expect((await call('GET', '/v1/secrets/app/key?stage=previous')).body).toMatchObject({ version: 1, value: 'canary-old-value-7f3a' });
    // No longer due: the next pass leaves it alone.
    expect(await pass()).toEqual([]);

    const audit = (await call('GET', '/v1/audit?eventType=rotation.begin,rotation.pending,rotation.finish&limit=20')).body.events;
    expect(audit).toHaveLength(3);
    for (const e of audit) expect(e).toMatchObject({ actorType: 'token', agent: 'vault-rotator', status: 'granted' });
    const made = (await call('GET', '/v1/audit?eventType=agent.create,token.issue,token.revoke&limit=20')).body.events;
    expect(made.filter((e: { event: string }) => e.event === 'agent.create')).toHaveLength(1);
    // One token per pass, each revoked when its pass ends.
    expect(made.filter((e: { event: string }) => e.event === 'token.issue')).toHaveLength(3);
    expect(made.filter((e: { event: string }) => e.event === 'token.revoke')).toHaveLength(3);
    for (const e of made) expect(e).toMatchObject({ actorType: 'operator', agent: 'vault-rotator' });
    const tokens = await vault.sql('SELECT description, created_at, expires_at, revoked_at FROM tokens');
    expect(tokens).toHaveLength(3);
    for (const t of tokens) {
      expect(t.description).toBe('ass server --rotate');
      expect(Number(t.expires_at) - Number(t.created_at)).toBe(5 * 60_000);
      expect(t.revoked_at).not.toBeNull();
    }

    const log = lines.join('\n');
    expect(log).toContain('app/key: version 1 → 2');
    expect(log).not.toContain('canary-old-value-7f3a');
    expect(log).not.toContain(current.value);
    expect(log).not.toMatch(/ass_[uatp]_[0-9A-Za-z]{20}/);
  });

  it('skips command policies, saying why in the log (once), and rotates the rest, agent keys included', async () => {
    const { vault, clock, lines, call, pass } = await setup();
    await call('PUT', '/v1/secrets/ops/cmd', { value: 'canary-cmd-value-91b2' });
    await call('PUT', '/v1/secrets/ops/rand', { value: 'canary-rand-value-44c1' });
    await call('PUT', '/v1/rotation/policies/ops/cmd', { rotator: 'command', settings: { command: 'echo never-run' }, every: '1h' });
    await call('PUT', '/v1/rotation/policies/ops/rand', { rotator: 'random', every: '1h' });
    const svcKey = (await call('POST', '/v1/agents', { name: 'svc', scopes: ['secrets:read:ops/*'] })).body.agentKey as string;
    await call('PUT', '/v1/secrets/ops/agent-key', { value: svcKey });
    const akp = await call('PUT', '/v1/rotation/policies/ops/agent-key', { rotator: 'agent-key', settings: { agent: 'svc' }, every: '1h' });
    expect(akp.status, akp.text).toBe(200);
    clock.advance(2 * 3600_000);
    const results = await pass();
    expect(results.map((r) => [r.path, r.status]).sort()).toEqual([
      ['ops/agent-key', 'rotated'],
      ['ops/cmd', 'skipped'],
      ['ops/rand', 'rotated'],
    ]);
    expect(results.find((r) => r.path === 'ops/cmd')?.reason).toMatch(/command rotator .* never inside the vault server/);
    expect((await call('GET', '/v1/secrets/ops/cmd')).body).toMatchObject({ version: 1, value: 'canary-cmd-value-91b2' });
    // The agent's new key is at the path and works; the old one works for the overlap.
    const newKey = (await call('GET', '/v1/secrets/ops/agent-key')).body.value as string;
    expect(newKey).not.toBe(svcKey);
    expect((await vault.call('GET', '/v1/whoami', { token: newKey })).body.name).toBe('svc');
    // Still due, still skipped, but the log says so only once.
    expect((await pass()).map((r) => [r.path, r.status]).sort()).toEqual([['ops/cmd', 'skipped']]);
    const warnings = lines.filter((l) => l.includes('ops/cmd: skipped by ass server --rotate (command rotator)'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: .*ass rotate/);
    // Never begun: no lease was taken on it.
    const begun = (await call('GET', '/v1/audit?eventType=rotation.begin&limit=20')).body.events.map((e: { path: string }) => e.path);
    expect(begun.sort()).toEqual(['ops/agent-key', 'ops/rand']);
    const log = lines.join('\n');
    for (const canary of ['canary-cmd-value-91b2', 'canary-rand-value-44c1', svcKey, newKey, 'never-run'])
      expect(log).not.toContain(canary);
  });

  it('uses a vault-rotator an admin made first: with narrower scopes, only what it may rotate is rotated', async () => {
    const clock = fakeClock();
    const { lines, logger } = capturingLogger();
    v = await startTestVault({ now: clock, logger });
    const vault = v;
    const call = (method: string, p: string, body?: unknown) => vault.call(method, p, { token: vault.adminToken, body });
    expect((await call('POST', '/v1/agents', { name: 'vault-rotator', scopes: ['secrets:rotate:a/*', 'secrets:read:a/*'] })).status).toBe(
      201,
    );
    for (const p of ['a/one', 'b/two']) {
      await call('PUT', `/v1/secrets/${p}`, { value: `canary-${p}` });
      await call('PUT', `/v1/rotation/policies/${p}`, { rotator: 'random', every: '1h' });
    }
    await vault.stop();
    await vault.start({ rotate: true, rotateEverySeconds: 24 * 3600 });
    clock.advance(2 * 3600_000);
    expect(
      (await (vault.runRotationPass as () => Promise<Array<{ path: string; status: string }>>)()).map((r) => [r.path, r.status]),
    ).toEqual([['a/one', 'rotated']]);
    expect((await call('GET', '/v1/secrets/b/two')).body.version).toBe(1);
    const agents = (await call('GET', '/v1/agents')).body.agents.filter((a: { name: string }) => a.name === 'vault-rotator');
    expect(agents).toHaveLength(1);
    expect(
      (await call('GET', '/v1/audit?eventType=agent.create&limit=5')).body.events.map((e: { actorType: string }) => e.actorType),
    ).toEqual(['user']);
    expect(lines.join('\n')).not.toContain('created the agent');
  });

  it('a revoked vault-rotator stops the passes, which log why and rotate nothing', async () => {
    const { clock, lines, call, pass } = await setup();
    await call('PUT', '/v1/secrets/app/key', { value: 'canary-r1' });
    await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'random', every: '1h' });
    expect((await call('DELETE', '/v1/agents/vault-rotator')).status).toBe(200);
    clock.advance(2 * 3600_000);
    expect(await pass()).toEqual([]);
    expect(lines.join('\n')).toMatch(/error: rotation pass failed: The agent vault-rotator is revoked/);
    expect((await call('GET', '/v1/secrets/app/key')).body.version).toBe(1);
  });

  it('close() waits for a running pass, which revokes its token before the store closes', async () => {
    const { vault, clock, lines, call, pass } = await setup();
    await call('PUT', '/v1/secrets/app/key', { value: 'canary-s1' });
    await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'random', every: '1h' });
    clock.advance(2 * 3600_000);
    let settled = false;
    const running = pass().then((r) => {
      settled = true;
      return r;
    });
    await vault.stop();
    expect(settled).toBe(true);
    await running;
    expect(lines.join('\n')).not.toContain('rotation pass failed');
    expect(lines.join('\n')).not.toContain('could not revoke');
    const rows = await vault.sql("SELECT revoked_at FROM tokens WHERE description = 'ass server --rotate'");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.revoked_at).not.toBeNull();
  });

  it('without --rotate the server rotates nothing and makes no agent', async () => {
    v = await startTestVault();
    expect(v.runRotationPass).toBeUndefined();
    const agents = (await v.call('GET', '/v1/agents', { token: v.adminToken })).body.agents;
    expect(agents).toEqual([]);
  });
});
