/**
 * Attack (storage writer, no master key): one audit record's `claims` edited into text that is not
 * JSON. Before the fix, every reader of that record threw: the vault's own sweep failed with a
 * warning and never marked the log broken (so the vault kept releasing secrets), a restart refused
 * with an internal error, and `GET /v1/audit/verify`, the anomaly report, the summary, the query and
 * the export answered 500 instead of naming the edited record. An edit is an edit: it must be
 * reported as one, the way an edited path or address is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalOidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer.js';
import { postgresAvailable } from '../helpers/stores.js';
import { fakeClock, startTestVault, type TestVault } from '../helpers/vault.js';

const pgUp = await postgresAvailable();
const backends = pgUp ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
const START = Date.parse('2026-11-24T10:00:00Z');

describe.each(backends)('an audit record whose claims are not JSON (%s)', (backend) => {
  let v: TestVault | undefined;
  let issuer: LocalOidcIssuer | undefined;
  afterEach(async () => {
    await v?.cleanup();
    await issuer?.close();
    v = undefined;
    issuer = undefined;
  });

  /** A pipeline exchanges and reads a secret; then its read's and its exchange's claims are garbled. */
  async function tampered() {
    const clock = fakeClock(START);
    v = await startTestVault({ now: clock, backend });
    issuer = await startOidcIssuer({ now: clock });
    await v.call('PUT', '/v1/secrets/prod/db', { token: v.adminToken, body: { value: 'canary-claims-93', tier: 'critical' } });
    const agent = await v.call('POST', '/v1/agents', {
      token: v.adminToken,
      body: {
        name: 'deploy',
        scopes: ['secrets:read:prod/*'],
        trustPolicy: { issuer: issuer.url, claims: { repository_id: issuer.claims.repository_id } },
      },
    });
    expect(agent.status).toBe(201);
    const jwt = await issuer.mint({ audience: v.url });
    const ex = await v.call('POST', '/v1/tokens/exchange', { token: agent.body.agentKey, body: { oidcToken: jwt } });
    expect(ex.status).toBe(201);
    expect((await v.call('GET', '/v1/secrets/prod/db', { token: ex.body.token })).status).toBe(200);
    clock.advance(60_000);
    const rows = await v.sql(
      "SELECT seq, event FROM audit WHERE claims IS NOT NULL AND event IN ('secret.read', 'token.exchange') ORDER BY seq",
    );
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs.length).toBe(2);
    if (backend === 'sqlite') await v.sql('DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;');
    else await v.sql('DROP TRIGGER audit_append_only ON audit');
    await v.sql(`UPDATE audit SET claims = '{"repository": "octo-org/octo-repo", ' WHERE seq IN (${seqs.join(', ')})`);
    return { clock, seqs };
  }

  it("the vault's verification names the edited record (200, not 500), and the vault then releases nothing", async () => {
    const { seqs } = await tampered();
    const vault = v as TestVault;
    const res = await vault.call('GET', '/v1/audit/verify', { token: vault.adminToken });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.problems[0]).toMatchObject({ seq: seqs[0], kind: 'hash_mismatch' });
    expect((await vault.call('GET', '/v1/secrets/prod/db', { token: vault.adminToken })).status).toBe(503);
  });

  it('the anomaly report leads with chain_broken instead of failing', async () => {
    const { seqs } = await tampered();
    const vault = v as TestVault;
    const res = await vault.call('POST', '/v1/audit/anomalies', {
      token: vault.adminToken,
      body: { since: '2h', config: { pipelines: { repositories: ['octo-org/octo-repo'] } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(false);
    expect(res.body.anomalies[0]).toMatchObject({ check: 'chain_broken', severity: 'critical' });
    expect(res.body.anomalies[0].detail).toContain(`Record ${seqs[0]} was edited`);
    // The pipeline check still runs over what the records now say.
    const ran = (res.body.checks as { check: string; ran: boolean }[]).find((c) => c.check === 'unexpected_pipeline');
    expect(ran?.ran).toBe(true);
  });

  it('the summary, the query and the export still answer, with the edited text as data', async () => {
    const { seqs } = await tampered();
    const vault = v as TestVault;
    const summary = await vault.call('GET', '/v1/audit/summary?since=2h', { token: vault.adminToken });
    expect(summary.status).toBe(200);
    expect(summary.body.tokens.exchanged).toBe(1);
    const query = await vault.call('GET', '/v1/audit?since=2h&limit=100', { token: vault.adminToken });
    expect(query.status).toBe(200);
    const edited = (query.body.events as { seq: number; claims: Record<string, string> | null }[]).find((e) => e.seq === seqs[1]);
    expect(Object.values(edited?.claims ?? {})).toEqual(['{"repository": "octo-org/octo-repo", ']);
    expect((await vault.call('GET', '/v1/audit/export?format=csv', { token: vault.adminToken })).status).toBe(200);
  });

  it('a restart finds the edit in its first sweep and starts refusing, rather than failing to start', async () => {
    await tampered();
    const vault = v as TestVault;
    await vault.stop();
    await vault.start();
    const health = await vault.call('GET', '/v1/health');
    expect(health.body.audit ?? health.body.state ?? health.text).toMatch(/failing|broken/);
    expect((await vault.call('GET', '/v1/secrets/prod/db', { token: vault.adminToken })).status).toBe(503);
  });
});
