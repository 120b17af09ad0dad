import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { initDataDir, type RunningServer, type StartOptions, startServer } from '../../src/server/index.js';
import { PG_URL, pgQuery } from './stores.js';

/** A clock the test moves by hand. */
export function fakeClock(start = Date.parse('2026-11-22T10:00:00Z')) {
  let t = start;
  const now = () => t;
  return Object.assign(now, { advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) });
}

export interface TestVault extends RunningServer {
  adminToken: string;
  /**
   * A second connection to the vault's SQLite file, as an attacker (or a careless operator) with
   * write access to the file would have; closed with the vault.
   */
  raw(): DatabaseSync;
  /** Runs SQL on the store behind the vault's back (SQLite file or PostgreSQL schema); returns the rows. */
  sql(text: string): Promise<Record<string, unknown>[]>;
  /** Which store the vault runs on. */
  backend: 'sqlite' | 'postgres';
  /** Calls the API; returns status, JSON body and headers. */
  call(
    method: string,
    urlPath: string,
    opts?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  /** Stops the vault, keeping its store, master key and data directory. */
  stop(): Promise<void>;
  /** Starts the vault again on the same store (after stop()), with these options on top of the first start's. */
  start(extra?: Partial<StartOptions>): Promise<void>;
  /** The directory ass init made. */
  dataPath: string;
  /** PostgreSQL only: a second vault process on the same store (another host: no data directory). */
  replica(extra?: Partial<StartOptions>): Promise<RunningServer>;
  cleanup(): Promise<void>;
}

/**
 * A real vault on 127.0.0.1 with a real SQLite file in a temp directory, or (`backend: 'postgres'`)
 * in a throwaway schema of the local PostgreSQL, dropped on cleanup.
 */
export async function startTestVault(
  opts: Partial<StartOptions> & {
    backend?: 'sqlite' | 'postgres';
    /**
     * `default`: the vault's own approval policy (sensitive and critical reads wait for an approver).
     * `off` (the default here): a policy that asks for no approval, set through the API, so the
     * tests of everything else read what they stored; the approval tests take `default`.
     */
    approvals?: 'default' | 'off';
  } = {},
): Promise<TestVault> {
  // (Over TLS the helper's own fetch does not trust the test certificate: those vaults keep the default.)
  const { backend = 'sqlite', approvals = opts.tlsCertFile ? 'default' : 'off', ...startOpts } = opts;
  const dir = await mkdtemp(path.join(tmpdir(), 'ass-test-'));
  const env = { ASS_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };
  const schema = backend === 'postgres' ? `ass_test_${randomBytes(6).toString('hex')}` : undefined;
  const database = schema ? { databaseUrl: PG_URL, databaseSchema: schema } : {};
  const { adminToken } = await initDataDir(path.join(dir, 'data'), { env, now: opts.now, ...database });
  const startWith = (extra: Partial<StartOptions>) =>
    startServer({ dataDir: path.join(dir, 'data'), listen: '127.0.0.1:0', env, ...database, ...startOpts, ...extra });
  let server: RunningServer | undefined = await startWith({});
  const call: TestVault['call'] = async (method, urlPath, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    if (!server) throw new Error('the test vault is stopped');
    const res = await fetch(`${server.url}${urlPath}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  let raw: DatabaseSync | undefined;
  const replicas: RunningServer[] = [];
  if (approvals === 'off') {
    const none = { requiredApprovals: 0 };
    const res = await call('PUT', '/v1/approvals/policy', {
      token: adminToken,
      body: { tiers: { standard: none, sensitive: none, critical: none } },
    });
    if (res.status !== 200) throw new Error(`could not turn approvals off: ${res.text}`);
  }
  const vault: TestVault = Object.assign(server, {
    adminToken,
    call,
    backend,
    dataPath: path.join(dir, 'data'),
    async replica(extra: Partial<StartOptions> = {}) {
      if (!schema) throw new Error('replicas share a PostgreSQL store');
      const r = await startServer({ listen: '127.0.0.1:0', env, ...database, ...startOpts, ...extra });
      replicas.push(r);
      return r;
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
    async start(extra: Partial<StartOptions> = {}) {
      if (server) throw new Error('the test vault is running');
      server = await startWith(extra);
      Object.assign(vault, {
        url: server.url,
        store: server.store,
        server: server.server,
        close: server.close,
        runRotationPass: server.runRotationPass,
        sweepApprovals: server.sweepApprovals,
      });
    },
    raw() {
      if (schema) throw new Error('raw() is the SQLite file; use sql() on PostgreSQL');
      raw ??= new DatabaseSync(path.join(dir, 'data', 'vault.db'));
      return raw;
    },
    async sql(text: string) {
      if (schema) return (await pgQuery(text, [], schema)).rows as Record<string, unknown>[];
      raw ??= new DatabaseSync(path.join(dir, 'data', 'vault.db'));
      if (/^\s*select/i.test(text)) return raw.prepare(text).all() as Record<string, unknown>[];
      raw.exec(text);
      return [];
    },
    async cleanup() {
      raw?.close();
      for (const r of replicas) await r.close();
      await server?.close();
      if (schema) await pgQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await rm(dir, { recursive: true, force: true });
    },
  });
  return vault;
}

/** Creates an agent and returns its key. */
export async function createAgent(v: TestVault, name: string, scopes: string[]): Promise<string> {
  const res = await v.call('POST', '/v1/agents', { token: v.adminToken, body: { name, scopes } });
  if (res.status !== 201) throw new Error(`create agent failed: ${res.status} ${res.text}`);
  return res.body.agentKey as string;
}

/** Issues a scoped token with an agent key. */
export async function issueToken(v: TestVault, agentKey: string, body: Record<string, unknown>): Promise<{ token: string; id: string }> {
  const res = await v.call('POST', '/v1/tokens', { token: agentKey, body: { ttl: '15m', ...body } });
  if (res.status !== 201) throw new Error(`issue token failed: ${res.status} ${res.text}`);
  return res.body;
}
