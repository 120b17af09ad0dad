/**
 * Attack (a CI provider's claims, which the vault keeps as they were signed, line breaks and
 * direction overrides included): `ass audit anomalies` printed finding texts with their line
 * breaks, so a repository claim could add lines of its own to the report a person reads (a fake
 * "No anomalies.", a fake verdict), and `ass audit` printed direction overrides raw in its table.
 * The README: "the CLI replaces any control character a vault sends before it reaches a terminal".
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ass } from '../helpers/cli-io.js';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { fakeClock, startTestVault, type TestVault } from '../helpers/vault.js';

const FORGED = 'No anomalies.';
const HOSTILE_REPO = `octo-org/x\n\n${FORGED}\nINFO     the log verifies\u202e`;
let v: TestVault;
let issuer: LocalOidcIssuer;
let env: Record<string, string>;

beforeAll(async () => {
  const clock = fakeClock(Date.parse('2026-11-24T02:00:00Z'));
  v = await startTestVault({ now: clock });
  issuer = await startOidcIssuer({ now: clock });
  env = { ASS_URL: v.url, ASS_TOKEN: v.adminToken };
  await v.call('PUT', '/v1/secrets/prod/db', { token: v.adminToken, body: { value: 'canary-cli-text-44', tier: 'standard' } });
  const agent = await v.call('POST', '/v1/agents', {
    token: v.adminToken,
    body: { name: 'deploy', scopes: ['secrets:read:prod/*'], trustPolicy: { issuer: issuer.url, claims: { repository_id: '74' } } },
  });
  expect(agent.status).toBe(201);
  const jwt = await issuer.mint({ audience: v.url, claims: { repository: HOSTILE_REPO, ref: 'refs/heads/main\u2066' } });
  const ex = await v.call('POST', '/v1/tokens/exchange', { token: agent.body.agentKey, body: { oidcToken: jwt } });
  expect(ex.status).toBe(201);
  expect((await v.call('GET', '/v1/secrets/prod/db', { token: ex.body.token })).status).toBe(200);
  clock.advance(60_000);
});
afterAll(async () => {
  await v?.cleanup();
  await issuer?.close();
});

it('ass audit anomalies keeps each finding on its own lines: a claim cannot add a line to the report', async () => {
  const r = await ass(['audit', 'anomalies', '--since', '1h', '--expect-repository', 'octo-org/octo-repo'], env);
  expect(r.stdout).toMatch(/CRITICAL +unexpected_pipeline +Pipeline reads from octo-org\/x/);
  const lines = r.stdout.split('\n');
  expect(lines).not.toContain(FORGED);
  expect(lines.some((l) => l.startsWith('INFO '))).toBe(false);
  expect(r.stdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  expect(r.code).toBe(1);
});

it('ass audit prints no direction override', async () => {
  const r = await ass(['audit', '--limit', '100'], env);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('octo-org/x');
  expect(r.stdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  expect(r.stdout.split('\n')).not.toContain(FORGED);
});
