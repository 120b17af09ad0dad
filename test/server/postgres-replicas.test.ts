/** Two vault replicas on one PostgreSQL share max_uses and one linear audit chain. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDataDir, type RunningServer, startServer } from '../../src/server/index.js';
import { PG_URL, postgresAvailable } from '../helpers/stores.js';

const pgUp = await postgresAvailable();
if (!pgUp && process.env.CI) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it (.ci/run starts it).');

describe.skipIf(!pgUp)('two vault replicas on one PostgreSQL', () => {
  const schema = `ass_test_${randomBytes(6).toString('hex')}`;
  const env = { ASS_MASTER_KEY: Buffer.alloc(32, 5).toString('base64') };
  let dir: string;
  let a: RunningServer;
  let b: RunningServer;
  let admin: string;

  const call = async (s: RunningServer, method: string, p: string, token: string, body?: unknown) => {
    const res = await fetch(`${s.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ass-pg-'));
    ({ adminToken: admin } = await initDataDir(dir, { databaseUrl: PG_URL, databaseSchema: schema, env }));
    a = await startServer({ databaseUrl: PG_URL, databaseSchema: schema, env, listen: '127.0.0.1:0' });
    b = await startServer({ databaseUrl: PG_URL, databaseSchema: schema, env, listen: '127.0.0.1:0' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to initialise the same database twice', async () => {
    await expect(initDataDir(dir, { databaseUrl: PG_URL, databaseSchema: schema, env })).rejects.toThrow(/already holds a vault/);
  });

  it('spends max_uses exactly across replicas and keeps one linear audit chain', async () => {
    expect(
      (await call(a, 'PUT', '/v1/secrets/production/db/PRIMARY_URL', admin, { value: 'canary-pg-replica-value', tier: 'standard' })).status,
    ).toBe(200);
    const agent = await call(b, 'POST', '/v1/agents', admin, { name: 'data-pipeline', scopes: ['secrets:read:production/db/*'] });
    const tok = await call(a, 'POST', '/v1/tokens', agent.body.agentKey, {
      scopes: ['secrets:read:production/db/*'],
      ttl: '5m',
      maxUses: 3,
    });
    const reads = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(i % 2 ? a : b, 'GET', '/v1/secrets/production/db/PRIMARY_URL', tok.body.token)),
    );
    expect(reads.filter((r) => r.status === 200)).toHaveLength(3);
    expect(reads.filter((r) => r.status === 200).every((r) => r.body.value === 'canary-pg-replica-value')).toBe(true);
    const verify = await call(b, 'GET', '/v1/audit/verify', admin);
    expect(verify.body.problems).toEqual([]);
    expect(verify.body.ok).toBe(true);
    expect(verify.body.count).toBeGreaterThanOrEqual(53);
  });
});
