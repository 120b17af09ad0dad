import pg from 'pg';
import { json, type Row, toAgent, toAuditRecord, toSecret, toToken, toUser, toVersion } from './rows.js';
import type {
  AgentRow,
  AuditEntry,
  AuditHead,
  AuditQuery,
  AuditRecord,
  AuditSealer,
  SecretVersionRow,
  SpendResult,
  Store,
  TokenRow,
  UserRow,
} from './types.js';

const GENESIS = '0'.repeat(64);

/** Same tables as the SQLite adapter; BIGINT milliseconds for times, BYTEA for ciphertext. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, token_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE TABLE IF NOT EXISTS agents (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, description TEXT,
  trust_policy TEXT, key_id TEXT NOT NULL UNIQUE, key_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, agent_id TEXT NOT NULL REFERENCES agents(id), hash TEXT NOT NULL,
  scopes TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, max_uses INTEGER,
  uses INTEGER NOT NULL DEFAULT 0, allowed_ips TEXT NOT NULL, description TEXT, claims TEXT, revoked_at BIGINT);
CREATE INDEX IF NOT EXISTS tokens_agent ON tokens(agent_id);
CREATE TABLE IF NOT EXISTS secrets (
  path TEXT COLLATE "C" PRIMARY KEY, version INTEGER NOT NULL, type TEXT NOT NULL, tier TEXT NOT NULL, description TEXT,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, deleted_at BIGINT);
CREATE TABLE IF NOT EXISTS secret_versions (
  path TEXT COLLATE "C" NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, tier TEXT NOT NULL, ciphertext BYTEA NOT NULL,
  created_at BIGINT NOT NULL, created_by TEXT NOT NULL, deleted_at BIGINT, PRIMARY KEY (path, version));
CREATE TABLE IF NOT EXISTS audit (
  seq BIGINT PRIMARY KEY, time BIGINT NOT NULL, request_id TEXT NOT NULL, event TEXT NOT NULL,
  status TEXT NOT NULL, actor_type TEXT NOT NULL, actor_id TEXT, actor_name TEXT, agent TEXT, token_id TEXT,
  path TEXT COLLATE "C", tier TEXT, reason TEXT, ip TEXT, claims TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_time ON audit(time);
CREATE INDEX IF NOT EXISTS audit_path ON audit(path);
CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL,
  hash TEXT NOT NULL, mac TEXT NOT NULL);
INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, '${'0'.repeat(64)}', '') ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS oidc_jti (issuer TEXT NOT NULL, jti TEXT NOT NULL, exp BIGINT NOT NULL,
  PRIMARY KEY (issuer, jti));
CREATE OR REPLACE FUNCTION ass_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
DROP TRIGGER IF EXISTS audit_append_only ON audit;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION ass_audit_append_only();
`;

export interface PostgresStoreOptions {
  /** A connection string, e.g. postgres://vault@db.internal:5432/vault. */
  url: string;
  /** Schema to use (created if missing). Default `public`. */
  schema?: string;
  poolSize?: number;
}

/**
 * The PostgreSQL adapter, for when one machine is not enough: several vault replicas share one
 * database. Everything that must be atomic across replicas is one statement or one transaction
 * with a row lock: spending token uses (a conditional UPDATE), new secret versions (a row lock on
 * the secret plus the (path, version) key), and audit appends (a lock on the single head row, so
 * sequence numbers stay gapless and the chain stays linear whichever replica writes).
 */
export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  private readonly schema: string;

  private constructor(opts: PostgresStoreOptions) {
    this.schema = opts.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) throw new Error(`Invalid PostgreSQL schema name ${JSON.stringify(this.schema)}.`);
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      options: `-c search_path=${this.schema}`,
    });
    // An idle client's error (the server restarting) must not crash the process.
    this.pool.on('error', () => {});
  }

  static async open(opts: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(opts);
    try {
      const client = await store.pool.connect();
      try {
        // Serialise schema creation between replicas starting together.
        await client.query('SELECT pg_advisory_lock(7354101)');
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${store.schema}`);
        await client.query(SCHEMA);
        await client.query("INSERT INTO meta (key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING");
      } finally {
        await client.query('SELECT pg_advisory_unlock(7354101)').catch(() => {});
        client.release();
      }
    } catch (err) {
      await store.pool.end().catch(() => {});
      throw err;
    }
    return store;
  }

  private async q(sql: string, args: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, args)).rows as Row[];
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  async getMeta(key: string) {
    return (await this.q('SELECT value FROM meta WHERE key = $1', [key]))[0]?.value as string | undefined;
  }
  async setMeta(key: string, value: string) {
    await this.q('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async setMetaIfAbsent(key: string, value: string) {
    await this.q('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
    return (await this.getMeta(key)) as string;
  }
  async revokeUser(id: string, now: number) {
    return this.tx(async (c) => {
      // Lock the active admins first: a concurrent revocation waits here, then sees this one.
      const admins = (await c.query("SELECT id FROM users WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id FOR UPDATE"))
        .rows as Row[];
      const user = (await c.query('SELECT role, revoked_at FROM users WHERE id = $1 FOR UPDATE', [id])).rows[0] as Row | undefined;
      if (!user || user.revoked_at !== null) return 'not_active' as const;
      if (user.role === 'admin' && admins.length <= 1) return 'last_admin' as const;
      await c.query('UPDATE users SET revoked_at = $1 WHERE id = $2', [now, id]);
      return 'revoked' as const;
    });
  }

  async createUser(u: UserRow) {
    await this.q('INSERT INTO users (id, name, role, token_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      u.id,
      u.name,
      u.role,
      u.tokenHash,
      u.createdAt,
      u.revokedAt,
    ]);
  }
  async getUser(id: string) {
    const r = (await this.q('SELECT * FROM users WHERE id = $1', [id]))[0];
    return r ? toUser(r) : undefined;
  }
  async listUsers() {
    return (await this.q('SELECT * FROM users ORDER BY created_at, name')).map(toUser);
  }

  async createAgent(a: AgentRow) {
    await this.q(
      'INSERT INTO agents (id, name, scopes, description, trust_policy, key_id, key_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [a.id, a.name, JSON.stringify(a.scopes), a.description, json(a.trustPolicy), a.keyId, a.keyHash, a.createdAt, a.revokedAt],
    );
  }
  async getAgentByName(name: string) {
    const r = (await this.q('SELECT * FROM agents WHERE name = $1', [name]))[0];
    return r ? toAgent(r) : undefined;
  }
  async getAgentById(id: string) {
    const r = (await this.q('SELECT * FROM agents WHERE id = $1', [id]))[0];
    return r ? toAgent(r) : undefined;
  }
  async getAgentByKeyId(keyId: string) {
    const r = (await this.q('SELECT * FROM agents WHERE key_id = $1', [keyId]))[0];
    return r ? toAgent(r) : undefined;
  }
  async listAgents() {
    return (await this.q('SELECT * FROM agents ORDER BY created_at, name')).map(toAgent);
  }
  async revokeAgent(id: string, now: number) {
    return this.tx(async (c) => {
      await c.query('UPDATE agents SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]);
      const res = await c.query('UPDATE tokens SET revoked_at = $1 WHERE agent_id = $2 AND revoked_at IS NULL AND expires_at > $1', [
        now,
        id,
      ]);
      return { tokensRevoked: res.rowCount ?? 0 };
    });
  }

  async createToken(t: TokenRow) {
    await this.q(
      'INSERT INTO tokens (id, kind, agent_id, hash, scopes, created_at, expires_at, max_uses, uses, allowed_ips, description, claims, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)',
      [
        t.id,
        t.kind,
        t.agentId,
        t.hash,
        JSON.stringify(t.scopes),
        t.createdAt,
        t.expiresAt,
        t.maxUses,
        t.uses,
        JSON.stringify(t.allowedIps),
        t.description,
        json(t.claims),
        t.revokedAt,
      ],
    );
  }
  async getToken(id: string) {
    const r = (await this.q('SELECT * FROM tokens WHERE id = $1', [id]))[0];
    return r ? toToken(r) : undefined;
  }
  async listTokens(filter: { agentId?: string; activeAt?: number }) {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.agentId) {
      args.push(filter.agentId);
      where.push(`agent_id = $${args.length}`);
    }
    if (filter.activeAt !== undefined) {
      args.push(filter.activeAt);
      where.push(`revoked_at IS NULL AND expires_at > $${args.length} AND (max_uses IS NULL OR uses < max_uses)`);
    }
    return (
      await this.q(`SELECT * FROM tokens ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`, args)
    ).map(toToken);
  }
  async revokeToken(id: string, now: number) {
    const res = await this.pool.query('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]);
    return (res.rowCount ?? 0) > 0;
  }
  async spendToken(id: string, n: number, now: number): Promise<SpendResult> {
    const r = (
      await this.q(
        'UPDATE tokens SET uses = uses + $1 WHERE id = $2 AND revoked_at IS NULL AND expires_at > $3 AND (max_uses IS NULL OR uses + $1 <= max_uses) RETURNING uses',
        [n, id, now],
      )
    )[0];
    if (r) return { ok: true, uses: Number(r.uses) };
    const t = await this.getToken(id);
    if (!t) return { ok: false, reason: 'not_found' };
    if (t.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (t.expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'exhausted' };
  }

  async getSecret(path: string) {
    const r = (await this.q('SELECT * FROM secrets WHERE path = $1', [path]))[0];
    return r ? toSecret(r) : undefined;
  }
  async getSecretVersion(path: string, version: number) {
    const r = (await this.q('SELECT * FROM secret_versions WHERE path = $1 AND version = $2', [path, version]))[0];
    return r ? toVersion(r) : undefined;
  }
  async listSecrets(prefix: string, includeDeleted: boolean) {
    const deleted = includeDeleted ? '' : 'AND deleted_at IS NULL';
    if (prefix === '') return (await this.q(`SELECT * FROM secrets WHERE true ${deleted} ORDER BY path`)).map(toSecret);
    return (
      await this.q(`SELECT * FROM secrets WHERE (path = $1 OR (path >= $2 AND path < $3)) ${deleted} ORDER BY path`, [
        prefix,
        `${prefix}/`,
        `${prefix}0`,
      ])
    ).map(toSecret);
  }
  async listVersions(path: string) {
    return (await this.q('SELECT * FROM secret_versions WHERE path = $1 ORDER BY version', [path])).map(toVersion);
  }
  async putSecretVersion(row: SecretVersionRow, description: string | null): Promise<'ok' | 'conflict'> {
    try {
      return await this.tx(async (c) => {
        const cur = (await c.query('SELECT version FROM secrets WHERE path = $1 FOR UPDATE', [row.path])).rows[0] as Row | undefined;
        const currentVersion = cur ? Number(cur.version) : 0;
        if (currentVersion !== row.version - 1) return 'conflict' as const;
        await c.query(
          'INSERT INTO secret_versions (path, version, type, tier, ciphertext, created_at, created_by, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)',
          [row.path, row.version, row.type, row.tier, Buffer.from(row.ciphertext), row.createdAt, row.createdBy],
        );
        if (cur) {
          await c.query(
            'UPDATE secrets SET version = $1, type = $2, tier = $3, description = $4, updated_at = $5, deleted_at = NULL WHERE path = $6',
            [row.version, row.type, row.tier, description, row.createdAt, row.path],
          );
        } else {
          await c.query(
            'INSERT INTO secrets (path, version, type, tier, description, created_at, updated_at, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $6, NULL)',
            [row.path, row.version, row.type, row.tier, description, row.createdAt],
          );
        }
        return 'ok' as const;
      });
    } catch (err) {
      // Two first writes of one path race on the primary keys: the loser is a conflict.
      if ((err as { code?: string }).code === '23505') return 'conflict';
      throw err;
    }
  }
  async rewrapSecretVersions(rewrap: (row: { path: string; version: number; ciphertext: Uint8Array }) => Uint8Array | undefined) {
    return this.tx(async (c) => {
      let changed = 0;
      const rows = (await c.query('SELECT path, version, ciphertext FROM secret_versions FOR UPDATE')).rows as Row[];
      for (const r of rows) {
        const next = rewrap({ path: r.path as string, version: Number(r.version), ciphertext: r.ciphertext as Uint8Array });
        if (next) {
          await c.query('UPDATE secret_versions SET ciphertext = $1 WHERE path = $2 AND version = $3', [
            Buffer.from(next),
            r.path,
            Number(r.version),
          ]);
          changed++;
        }
      }
      return changed;
    });
  }

  async softDeleteSecret(path: string, now: number) {
    return this.tx(async (c) => {
      const res = await c.query('UPDATE secrets SET deleted_at = $1, updated_at = $1 WHERE path = $2 AND deleted_at IS NULL', [now, path]);
      if ((res.rowCount ?? 0) === 0) return false;
      await c.query('UPDATE secret_versions SET deleted_at = $1 WHERE path = $2 AND deleted_at IS NULL', [now, path]);
      return true;
    });
  }

  async appendAudit(entry: AuditEntry, seal: AuditSealer): Promise<AuditRecord> {
    return this.tx(async (c) => {
      const head = (await c.query('SELECT seq, hash, mac FROM audit_head WHERE id = 1 FOR UPDATE')).rows[0] as Row | undefined;
      const last = (await c.query('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')).rows[0] as Row | undefined;
      seal.verifyHead(
        head ? { seq: Number(head.seq), hash: head.hash as string, mac: head.mac as string } : undefined,
        last ? { seq: Number(last.seq), hash: last.hash as string } : undefined,
      );
      const seq = Number((head as Row).seq) + 1;
      const prevHash = (head as Row).hash as string;
      const { hash, headMac } = seal.seal(entry, seq, prevHash);
      await c.query(
        'INSERT INTO audit (seq, time, request_id, event, status, actor_type, actor_id, actor_name, agent, token_id, path, tier, reason, ip, claims, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)',
        [
          seq,
          entry.time,
          entry.requestId,
          entry.event,
          entry.status,
          entry.actorType,
          entry.actorId,
          entry.actorName,
          entry.agent,
          entry.tokenId,
          entry.path,
          entry.tier,
          entry.reason,
          entry.ip,
          json(entry.claims),
          prevHash,
          hash,
        ],
      );
      await c.query('UPDATE audit_head SET seq = $1, hash = $2, mac = $3 WHERE id = 1', [seq, hash, headMac]);
      return { ...entry, seq, prevHash, hash };
    });
  }
  async queryAudit(q: AuditQuery) {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: (n: number) => string, v: unknown) => {
      args.push(v);
      where.push(clause(args.length));
    };
    if (q.afterSeq !== undefined) add((n) => `seq > $${n}`, q.afterSeq);
    if (q.upToSeq !== undefined) add((n) => `seq <= $${n}`, q.upToSeq);
    if (q.since !== undefined) add((n) => `time >= $${n}`, q.since);
    if (q.eventTypes?.length) add((n) => `event = ANY($${n})`, q.eventTypes);
    if (q.status) add((n) => `status = $${n}`, q.status);
    if (q.resourcePath) {
      args.push(q.resourcePath, `${q.resourcePath}/`, `${q.resourcePath}0`);
      const n = args.length;
      where.push(`(path = $${n - 2} OR (path >= $${n - 1} AND path < $${n}))`);
    }
    const order = (q.newestFirst ?? true) ? 'DESC' : 'ASC';
    const limit = q.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(q.limit))}` : '';
    return (
      await this.q(`SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${order} ${limit}`, args)
    ).map(toAuditRecord);
  }
  async initAuditHead(genesisMac: string) {
    await this.tx(async (c) => {
      const head = (await c.query('SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE')).rows[0] as Row | undefined;
      const any = (await c.query('SELECT seq FROM audit LIMIT 1')).rows[0];
      if ((head && Number(head.seq) !== 0) || any) throw new Error('the audit log has already begun');
      await c.query(
        'INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, $1, $2) ON CONFLICT (id) DO UPDATE SET seq = 0, hash = excluded.hash, mac = excluded.mac',
        [GENESIS, genesisMac],
      );
    });
  }

  async getAuditTail() {
    const r = (await this.q('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1'))[0];
    return r ? { seq: Number(r.seq), hash: r.hash as string } : undefined;
  }
  async getAuditHead(): Promise<AuditHead | undefined> {
    const r = (await this.q('SELECT seq, hash, mac FROM audit_head WHERE id = 1'))[0];
    if (!r || r.mac === '') return undefined;
    return { seq: Number(r.seq), hash: r.hash as string, mac: r.mac as string };
  }

  async useJti(issuer: string, jti: string, exp: number, now: number) {
    await this.q('DELETE FROM oidc_jti WHERE exp < $1', [now - 3600_000]);
    const res = await this.pool.query('INSERT INTO oidc_jti (issuer, jti, exp) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      issuer,
      jti,
      exp,
    ]);
    return (res.rowCount ?? 0) === 1;
  }

  async close() {
    await this.pool.end();
  }
}
