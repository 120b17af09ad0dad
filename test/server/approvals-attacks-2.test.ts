/**
 * Second attack review of human approvals (issue 10), the server: the fixes of the first review
 * (the rotation exemption, the per-credential pending cap) and requester-controlled text, against
 * a real vault over loopback on its default policy (sensitive and critical secrets need one
 * approval).
 *
 * Tests named `attack ...` replay a hole this review found, since closed (the comment above
 * each says how it worked). The other tests are regression tests for promises that held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, startTestVault, type TestVault } from '../helpers/vault.js';

const CANARY = 'canary-attack2-value-5d0e1c';
const OTHER = 'canary-attack2-named-88a2f4';

let v: TestVault;
let seq = 0;
const fresh = (what: string) => `${what}${++seq}`;

async function put(path: string, tier: 'standard' | 'sensitive' | 'critical', value = CANARY) {
  const res = await v.call('PUT', `/v1/secrets/${path}`, { token: v.adminToken, body: { value, tier } });
  expect(res.status, res.text).toBe(200);
  return path;
}

async function rotationPolicy(path: string, body: Record<string, unknown>) {
  const res = await v.call('PUT', `/v1/rotation/policies/${path}`, { token: v.adminToken, body });
  expect(res.status, res.text).toBe(200);
}

async function token(agentKey: string, scopes: string[]) {
  const res = await v.call('POST', '/v1/tokens', { token: agentKey, body: { scopes, ttl: '15m' } });
  expect(res.status, res.text).toBe(201);
  return res.body.token as string;
}

beforeAll(async () => {
  v = await startTestVault({ approvals: 'default' });
  const res = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: 'alice', role: 'viewer', approver: true } });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await v.cleanup();
});

describe('the rotation exemption (rotating=)', () => {
  it('(holds) a rotator token cannot read a path its rotation policy names without read scope on it', async () => {
    const base = `production/${fresh('pg')}`;
    await put(`${base}/app`, 'standard', 'app-password');
    await put(`${base}/admin`, 'critical', OTHER);
    await rotationPolicy(`${base}/app`, {
      rotator: 'postgres',
      settings: { adminSecret: `${base}/admin`, roles: ['app_a', 'app_b'] },
    });
    const key = await createAgent(v, fresh('rot'), [`secrets:read:${base}/app`, `secrets:rotate:${base}/app`]);
    const tok = await token(key, [`secrets:read:${base}/app`, `secrets:rotate:${base}/app`]);
    const begun = await v.call('POST', `/v1/rotation/begin/${base}/app`, { token: tok, body: { rotator: 'postgres' } });
    expect(begun.status, begun.text).toBe(200);
    const read = await v.call('GET', `/v1/secrets/${base}/admin?rotating=${base}/app`, { token: tok });
    expect(read.status).toBe(403);
    expect(read.text).not.toContain(OTHER);
  });

  it('(holds) naming a rotation the token may not rotate exempts nothing: its read scopes decide', async () => {
    const base = `production/${fresh('pg')}`;
    await put(`${base}/app`, 'standard', 'app-password');
    await put(`${base}/admin`, 'critical', OTHER);
    await rotationPolicy(`${base}/app`, {
      rotator: 'postgres',
      settings: { adminSecret: `${base}/admin`, roles: ['app_a', 'app_b'] },
    });
    const key = await createAgent(v, fresh('rot'), [`secrets:read:${base}/*`, `secrets:rotate:${base}/admin`]);
    const tok = await token(key, [`secrets:read:${base}/app`]);
    const read = await v.call('GET', `/v1/secrets/${base}/app?rotating=${base}/app`, { token: tok });
    expect(read.status).toBe(200); // standard: never held
    const crit = await v.call('GET', `/v1/secrets/${base}/admin?rotating=${base}/app`, { token: tok });
    expect(crit.status).toBe(403); // no read scope on admin
  });

  // Was (a review found this hole; closed): rotation-begin-read-abort: a token with read and rotate on a critical secret that a
  // rotation policy covers is issued without approval (Approvals.readableBy's rotatorOf), and
  // although "its plain reads of them are held", the same token takes the lease itself
  // (POST /v1/rotation/begin), reads the current value with ?rotating=PATH (withinRotation: not
  // held), and aborts: the value is released on the agent key alone and nothing was rotated, so the
  // value read stays the live one. Medium: any agent whose scopes carry rotate (or the `*` verb) on
  // a policy-covered sensitive/critical secret reads it unapproved at will. Fix ideas: exempt the
  // current-value read only once the rotation has put its pending value (have the engine put
  // first, or read current only after put), or treat an abort after an exempt read as a held read
  // (hold it, alert), or hold the rotator token at issue like any other and let the server's own
  // rotator (ass server --rotate) be the only exempt reader.
  it('attack rotation-begin-read-abort: a rotator token reads a policy-covered critical value unapproved and leaves it unrotated', async () => {
    const base = `production/${fresh('rnd')}`;
    await put(`${base}/db`, 'critical');
    await rotationPolicy(`${base}/*`, { rotator: 'random' });
    const key = await createAgent(v, fresh('svc'), [`secrets:*:${base}/*`]);
    // Held? No: rotatorOf exempts it at issue.
    const tok = await token(key, [`secrets:read:${base}/*`, `secrets:rotate:${base}/*`]);
    expect((await v.call('GET', `/v1/secrets/${base}/db`, { token: tok })).status).toBe(202);
    const begun = await v.call('POST', `/v1/rotation/begin/${base}/db`, { token: tok, body: { rotator: 'random' } });
    expect(begun.status, begun.text).toBe(200);
    const read = await v.call('GET', `/v1/secrets/${base}/db?rotating=${base}/db`, { token: tok });
    const aborted = await v.call('POST', `/v1/rotation/abort/${base}/db`, {
      token: tok,
      body: { rotationId: begun.body.rotationId, reason: 'only wanted the value' },
    });
    expect(aborted.status).toBe(200);
    const meta = await v.call('GET', `/v1/metadata/${base}/db`, { token: v.adminToken });
    expect(meta.body.version).toBe(1); // nothing was rotated
    // The promise: a critical secret is never released on a credential alone.
    expect(read.text).not.toContain(CANARY);
  });

  // Was (a review found this hole; closed): rotation-named-any-string: withinRotation's named() exempts a read of ANY vault path that
  // equals ANY string anywhere in the rotation policy's settings or notify (src/server/routes/
  // secrets.ts), not just the fields that name vault paths (postgres adminSecret,
  // notify.webhookSecret). A command policy's `cwd`, a dispatch repository ("acme/deploy"), a host
  // or a database name that happens to equal a secret's path makes that secret readable unapproved
  // by the rotator's token during any rotation. Low (needs read scope and an admin's policy whose
  // string collides), but the exemption is wider than the rotators use. Fix: name the path fields
  // per rotator (the rotators' own settings schemas know them).
  it('attack rotation-named-any-string: a command policy whose cwd equals a critical path exempts reads of that secret', async () => {
    const base = `production/${fresh('cmd')}`;
    await put(`${base}/app`, 'standard', 'app-value');
    const key = await createAgent(v, fresh('svc'), [`secrets:read:${base}/*`, `secrets:rotate:${base}/app`]);
    // A token issued while nothing under base needs approval (no hold at issue).
    const tok = await token(key, [`secrets:read:${base}/*`, `secrets:rotate:${base}/app`]);
    await put(`${base}/scripts`, 'critical', OTHER);
    await rotationPolicy(`${base}/app`, { rotator: 'command', settings: { command: './rotate.sh', cwd: `${base}/scripts` } });
    expect((await v.call('GET', `/v1/secrets/${base}/scripts`, { token: tok })).status).toBe(202);
    const begun = await v.call('POST', `/v1/rotation/begin/${base}/app`, { token: tok, body: { rotator: 'command' } });
    expect(begun.status, begun.text).toBe(200);
    const read = await v.call('GET', `/v1/secrets/${base}/scripts?rotating=${base}/app`, { token: tok });
    await v.call('POST', `/v1/rotation/abort/${base}/app`, { token: tok, body: { rotationId: begun.body.rotationId, reason: 'x' } });
    expect(read.text).not.toContain(OTHER);
  });
});

describe('the pending cap', () => {
  // Was (hole pending-cap-per-agent): the cap was 20 pending requests per credential (or CI run),
  // and an agent key mints tokens freely, so one leaked agent key filed any number of requests: 20
  // per token it minted. Closed: a second cap, five times the first, over all of one agent's (or
  // user's) credentials and runs.
  it('attack pending-cap-per-agent: an agent key cannot keep more than 100 requests pending through the tokens it mints', async () => {
    const base = `production/${fresh('flood')}`;
    const key = await createAgent(v, fresh('svc'), [`secrets:read:${base}/*`]);
    const tokens = [];
    for (let i = 0; i < 6; i++) tokens.push(await token(key, [`secrets:read:${base}/*`]));
    await put(`${base}/db`, 'critical');
    const statuses: number[] = [];
    for (const [t, tok] of tokens.entries()) {
      for (let i = 0; i < 20; i++) {
        const r = await v.call('GET', `/v1/secrets/${base}/db?reason=${encodeURIComponent(`ask ${t}.${i}`)}`, { token: tok });
        statuses.push(r.status);
      }
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });
});

describe('requester text: the 202, the webhook and the audit', () => {
  it('(holds) control characters (newline, ESC, CR) and over-long text in a reason or description are refused before anything is stored', async () => {
    const path = await put(`production/${fresh('d')}/key`, 'critical');
    const editor = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: fresh('ed'), role: 'editor' } });
    const tok = editor.body.token as string;
    for (const reason of ['a\nb', 'a\u001b[2Jb', 'a\rb', 'x'.repeat(513)]) {
      const r = await v.call('GET', `/v1/secrets/${path}?reason=${encodeURIComponent(reason)}`, { token: tok });
      expect(r.status, JSON.stringify(reason)).toBe(400);
      const b = await v.call('POST', '/v1/batch/read', { token: tok, body: { paths: [path], description: reason } });
      expect(b.status, JSON.stringify(reason)).toBe(400);
    }
    const list = await v.call('GET', '/v1/approvals?status=all', { token: v.adminToken });
    expect(JSON.stringify(list.body)).not.toMatch(/a\\nb|\\u001b/);
  });

  // Was (a review found this hole; closed): description-c1-bidi: the API's Description pattern (src/api/schemas.ts) refuses C0
  // controls and DEL only. A requester's `reason`/`description` may carry C1 controls (U+009B is
  // an 8-bit CSI that xterm obeys in UTF-8) and bidi overrides (U+202E), which go unchanged into
  // the 202, the stored request (ass approvals list/show --json, see the CLI file's
  // cli-json-c1), the Slack notice and the audit record (storableText keeps them too). With U+202E
  // a reason can make the rest of an approver's line read backwards. Low. Fix: refuse
  // U+0080-U+009F and the bidi controls (U+202A-U+202E, U+2066-U+2069) in Description, or
  // storableText them away.
  it('attack description-c1-bidi: a reason with a C1 CSI or a bidi override is refused or neutralised', async () => {
    const path = await put(`production/${fresh('d')}/key`, 'critical');
    const editor = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: fresh('ed'), role: 'editor' } });
    const tok = editor.body.token as string;
    const reason = 'routine \u009b2J\u009bH \u202Edecrypt-all';
    const r = await v.call('GET', `/v1/secrets/${path}?reason=${encodeURIComponent(reason)}`, { token: tok });
    if (r.status === 400) return;
    expect(r.status).toBe(202);
    expect(r.text).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('(holds) the 202 of a held read carries no value, and its message names the approve command built from its own id', async () => {
    const path = await put(`production/${fresh('d')}/key`, 'critical');
    const editor = await v.call('POST', '/v1/users', { token: v.adminToken, body: { name: fresh('ed'), role: 'editor' } });
    const r = await v.call('GET', `/v1/secrets/${path}?reason=${encodeURIComponent('*bold* <!channel> `code` _it_')}`, {
      token: editor.body.token as string,
    });
    expect(r.status).toBe(202);
    expect(r.text).not.toContain(CANARY);
    const d = r.body.error.details;
    expect(d.approveCommand).toBe(`ass approvals approve ${d.id}`);
    expect(d.id).toMatch(/^[0-9A-Za-z]{16}$/);
  });
});
