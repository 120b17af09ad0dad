import { DatabaseSync, type StatementSync } from 'node:sqlite';
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

const SCHEMA_VERSION = '1';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL, revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS agents (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, description TEXT,
  trust_policy TEXT, key_id TEXT NOT NULL UNIQUE, key_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL, revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, agent_id TEXT NOT NULL REFERENCES agents(id), hash TEXT NOT NULL,
  scopes TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, max_uses INTEGER,
  uses INTEGER NOT NULL DEFAULT 0, allowed_ips TEXT NOT NULL, description TEXT, claims TEXT, revoked_at INTEGER);
CREATE INDEX IF NOT EXISTS tokens_agent ON tokens(agent_id);
CREATE TABLE IF NOT EXISTS secrets (
  path TEXT PRIMARY KEY, version INTEGER NOT NULL, type TEXT NOT NULL, tier TEXT NOT NULL, description TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, deleted_at INTEGER);
CREATE TABLE IF NOT EXISTS secret_versions (
  path TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, tier TEXT NOT NULL, ciphertext BLOB NOT NULL,
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL, deleted_at INTEGER, PRIMARY KEY (path, version));
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, request_id TEXT NOT NULL, event TEXT NOT NULL,
  status TEXT NOT NULL, actor_type TEXT NOT NULL, actor_id TEXT, actor_name TEXT, agent TEXT, token_id TEXT,
  path TEXT, tier TEXT, reason TEXT, ip TEXT, claims TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_time ON audit(time);
CREATE INDEX IF NOT EXISTS audit_path ON audit(path);
CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,
  hash TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS oidc_jti (issuer TEXT NOT NULL, jti TEXT NOT NULL, exp INTEGER NOT NULL,
  PRIMARY KEY (issuer, jti));
`;

export interface SqliteStoreOptions {
  /** `full` fsyncs every commit (survives power loss); `normal` (default) survives process crashes. */
  synchronous?: 'normal' | 'full';
}

/** The embedded store: one SQLite file in WAL mode, through Node's built-in node:sqlite. */
export class SqliteStore implements Store {
  readonly db: DatabaseSync;
  private readonly stmts = new Map<string, StatementSync>();

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.db = new DatabaseSync(file);
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec(`PRAGMA synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.exec('PRAGMA foreign_keys = ON');
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const version = this.stmt('SELECT value FROM meta WHERE key = ?').get('schema_version') as Row | undefined;
    if (!version) this.stmt('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', SCHEMA_VERSION);
    else if (version.value !== SCHEMA_VERSION) {
      throw new Error(`The store at ${file} has schema version ${String(version.value)}; this build reads ${SCHEMA_VERSION}.`);
    }
  }

  private stmt(sql: string): StatementSync {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private tx<T>(fn: () => T): T {
    this.stmt('BEGIN IMMEDIATE').run();
    try {
      const out = fn();
      this.stmt('COMMIT').run();
      return out;
    } catch (err) {
      if (this.db.isTransaction) this.stmt('ROLLBACK').run();
      throw err;
    }
  }

  async getMeta(key: string) {
    const r = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined;
    return r ? (r.value as string) : undefined;
  }

  async setMeta(key: string, value: string) {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  async setMetaIfAbsent(key: string, value: string) {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(key, value);
    return (await this.getMeta(key)) as string;
  }

  async revokeUser(id: string, now: number) {
    return this.tx(() => {
      const user = this.stmt('SELECT role, revoked_at FROM users WHERE id = ?').get(id) as Row | undefined;
      if (!user || user.revoked_at !== null) return 'not_active' as const;
      if (user.role === 'admin') {
        const admins = this.stmt("SELECT count(*) AS n FROM users WHERE role = 'admin' AND revoked_at IS NULL").get() as Row;
        if (Number(admins.n) <= 1) return 'last_admin' as const;
      }
      this.stmt('UPDATE users SET revoked_at = ? WHERE id = ?').run(now, id);
      return 'revoked' as const;
    });
  }

  async createUser(u: UserRow) {
    this.stmt('INSERT INTO users (id, name, role, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      u.id,
      u.name,
      u.role,
      u.tokenHash,
      u.createdAt,
      u.revokedAt,
    );
  }

  async getUser(id: string) {
    const r = this.stmt('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return r ? toUser(r) : undefined;
  }

  async listUsers() {
    return (this.stmt('SELECT * FROM users ORDER BY created_at, name').all() as Row[]).map(toUser);
  }

  async createAgent(a: AgentRow) {
    this.stmt(
      'INSERT INTO agents (id, name, scopes, description, trust_policy, key_id, key_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(a.id, a.name, JSON.stringify(a.scopes), a.description, json(a.trustPolicy), a.keyId, a.keyHash, a.createdAt, a.revokedAt);
  }

  async getAgentByName(name: string) {
    const r = this.stmt('SELECT * FROM agents WHERE name = ?').get(name) as Row | undefined;
    return r ? toAgent(r) : undefined;
  }

  async getAgentById(id: string) {
    const r = this.stmt('SELECT * FROM agents WHERE id = ?').get(id) as Row | undefined;
    return r ? toAgent(r) : undefined;
  }

  async getAgentByKeyId(keyId: string) {
    const r = this.stmt('SELECT * FROM agents WHERE key_id = ?').get(keyId) as Row | undefined;
    return r ? toAgent(r) : undefined;
  }

  async listAgents() {
    return (this.stmt('SELECT * FROM agents ORDER BY created_at, name').all() as Row[]).map(toAgent);
  }

  async revokeAgent(id: string, now: number) {
    return this.tx(() => {
      this.stmt('UPDATE agents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
      const res = this.stmt('UPDATE tokens SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL AND expires_at > ?').run(
        now,
        id,
        now,
      );
      return { tokensRevoked: Number(res.changes) };
    });
  }

  async createToken(t: TokenRow) {
    this.stmt(
      'INSERT INTO tokens (id, kind, agent_id, hash, scopes, created_at, expires_at, max_uses, uses, allowed_ips, description, claims, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
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
    );
  }

  async getToken(id: string) {
    const r = this.stmt('SELECT * FROM tokens WHERE id = ?').get(id) as Row | undefined;
    return r ? toToken(r) : undefined;
  }

  async listTokens(filter: { agentId?: string; activeAt?: number }) {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.agentId) {
      where.push('agent_id = ?');
      args.push(filter.agentId);
    }
    if (filter.activeAt !== undefined) {
      where.push('revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)');
      args.push(filter.activeAt);
    }
    const sql = `SELECT * FROM tokens ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(toToken);
  }

  async revokeToken(id: string, now: number) {
    const res = this.stmt('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
    return Number(res.changes) > 0;
  }

  async spendToken(id: string, n: number, now: number): Promise<SpendResult> {
    // One conditional UPDATE: the check and the spend cannot be separated by another request.
    const r = this.stmt(
      'UPDATE tokens SET uses = uses + ? WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses + ? <= max_uses) RETURNING uses',
    ).get(n, id, now, n) as Row | undefined;
    if (r) return { ok: true, uses: Number(r.uses) };
    const t = await this.getToken(id);
    if (!t) return { ok: false, reason: 'not_found' };
    if (t.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (t.expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'exhausted' };
  }

  async getSecret(path: string) {
    const r = this.stmt('SELECT * FROM secrets WHERE path = ?').get(path) as Row | undefined;
    return r ? toSecret(r) : undefined;
  }

  async getSecretVersion(path: string, version: number) {
    const r = this.stmt('SELECT * FROM secret_versions WHERE path = ? AND version = ?').get(path, version) as Row | undefined;
    return r ? toVersion(r) : undefined;
  }

  async listSecrets(prefix: string, includeDeleted: boolean) {
    const deleted = includeDeleted ? '' : 'AND deleted_at IS NULL';
    if (prefix === '') {
      return (this.db.prepare(`SELECT * FROM secrets WHERE 1 = 1 ${deleted} ORDER BY path`).all() as Row[]).map(toSecret);
    }
    // Range scan on the primary key: paths equal to the prefix or below it ('/' sorts before '0').
    return (
      this.db
        .prepare(`SELECT * FROM secrets WHERE (path = ? OR (path >= ? AND path < ?)) ${deleted} ORDER BY path`)
        .all(prefix, `${prefix}/`, `${prefix}0`) as Row[]
    ).map(toSecret);
  }

  async listVersions(path: string) {
    return (this.stmt('SELECT * FROM secret_versions WHERE path = ? ORDER BY version').all(path) as Row[]).map(toVersion);
  }

  async putSecretVersion(row: SecretVersionRow, description: string | null): Promise<'ok' | 'conflict'> {
    return this.tx(() => {
      const current = this.stmt('SELECT version FROM secrets WHERE path = ?').get(row.path) as Row | undefined;
      const currentVersion = current ? Number(current.version) : 0;
      if (currentVersion !== row.version - 1) return 'conflict';
      this.stmt(
        'INSERT INTO secret_versions (path, version, type, tier, ciphertext, created_at, created_by, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
      ).run(row.path, row.version, row.type, row.tier, row.ciphertext, row.createdAt, row.createdBy);
      if (current) {
        this.stmt(
          'UPDATE secrets SET version = ?, type = ?, tier = ?, description = ?, updated_at = ?, deleted_at = NULL WHERE path = ?',
        ).run(row.version, row.type, row.tier, description, row.createdAt, row.path);
      } else {
        this.stmt(
          'INSERT INTO secrets (path, version, type, tier, description, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
        ).run(row.path, row.version, row.type, row.tier, description, row.createdAt, row.createdAt);
      }
      return 'ok';
    });
  }

  async rewrapSecretVersions(rewrap: (row: { path: string; version: number; ciphertext: Uint8Array }) => Uint8Array | undefined) {
    return this.tx(() => {
      let changed = 0;
      const update = this.stmt('UPDATE secret_versions SET ciphertext = ? WHERE path = ? AND version = ?');
      for (const r of this.stmt('SELECT path, version, ciphertext FROM secret_versions').all() as Row[]) {
        const next = rewrap({ path: r.path as string, version: Number(r.version), ciphertext: r.ciphertext as Uint8Array });
        if (next) {
          update.run(next, r.path as string, Number(r.version));
          changed++;
        }
      }
      return changed;
    });
  }

  async softDeleteSecret(path: string, now: number) {
    return this.tx(() => {
      const res = this.stmt('UPDATE secrets SET deleted_at = ?, updated_at = ? WHERE path = ? AND deleted_at IS NULL').run(now, now, path);
      if (Number(res.changes) === 0) return false;
      this.stmt('UPDATE secret_versions SET deleted_at = ? WHERE path = ? AND deleted_at IS NULL').run(now, path);
      return true;
    });
  }

  /**
   * Appends are group-committed: the records of all requests that arrive within one turn of the
   * event loop are chained and written in one transaction, and each caller's promise settles only
   * after that commit (so no secret is released before its record is stored). If the transaction
   * fails, every caller in it gets the error.
   */
  appendAudit(entry: AuditEntry, seal: AuditSealer): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      this.auditQueue.push({ entry, seal, resolve, reject });
      if (!this.auditFlushScheduled) {
        this.auditFlushScheduled = true;
        setImmediate(() => this.flushAudit());
      }
    });
  }

  private auditQueue: { entry: AuditEntry; seal: AuditSealer; resolve: (r: AuditRecord) => void; reject: (e: unknown) => void }[] = [];
  private auditFlushScheduled = false;

  private flushAudit(): void {
    this.auditFlushScheduled = false;
    const batch = this.auditQueue;
    this.auditQueue = [];
    let records: AuditRecord[];
    try {
      records = this.tx(() => {
        const head = this.stmt('SELECT seq, hash, mac FROM audit_head WHERE id = 1').get() as Row | undefined;
        const last = this.stmt('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as Row | undefined;
        const sealer = (batch[0] as { seal: AuditSealer }).seal;
        sealer.verifyHead(
          head ? { seq: Number(head.seq), hash: head.hash as string, mac: head.mac as string } : undefined,
          last ? { seq: Number(last.seq), hash: last.hash as string } : undefined,
        );
        let seq = Number((head as Row).seq);
        let prevHash = (head as Row).hash as string;
        let headMac = '';
        const out: AuditRecord[] = [];
        const insert = this.stmt(
          'INSERT INTO audit (seq, time, request_id, event, status, actor_type, actor_id, actor_name, agent, token_id, path, tier, reason, ip, claims, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        );
        for (const { entry, seal } of batch) {
          seq += 1;
          const sealed = seal.seal(entry, seq, prevHash);
          insert.run(
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
            sealed.hash,
          );
          out.push({ ...entry, seq, prevHash, hash: sealed.hash });
          prevHash = sealed.hash;
          headMac = sealed.headMac;
        }
        this.stmt(
          'INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac',
        ).run(seq, prevHash, headMac);
        return out;
      });
    } catch (err) {
      for (const b of batch) b.reject(err);
      return;
    }
    for (const [i, b] of batch.entries()) b.resolve(records[i] as AuditRecord);
  }

  async queryAudit(q: AuditQuery) {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.afterSeq !== undefined) {
      where.push('seq > ?');
      args.push(q.afterSeq);
    }
    if (q.upToSeq !== undefined) {
      where.push('seq <= ?');
      args.push(q.upToSeq);
    }
    if (q.since !== undefined) {
      where.push('time >= ?');
      args.push(q.since);
    }
    if (q.eventTypes?.length) {
      where.push(`event IN (${q.eventTypes.map(() => '?').join(', ')})`);
      args.push(...q.eventTypes);
    }
    if (q.status) {
      where.push('status = ?');
      args.push(q.status);
    }
    if (q.resourcePath) {
      where.push('(path = ? OR (path >= ? AND path < ?))');
      args.push(q.resourcePath, `${q.resourcePath}/`, `${q.resourcePath}0`);
    }
    const order = (q.newestFirst ?? true) ? 'DESC' : 'ASC';
    const limit = q.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(q.limit))}` : '';
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${order} ${limit}`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(toAuditRecord);
  }

  async initAuditHead(genesisMac: string) {
    this.tx(() => {
      const head = this.stmt('SELECT seq FROM audit_head WHERE id = 1').get() as Row | undefined;
      const any = this.stmt('SELECT seq FROM audit LIMIT 1').get() as Row | undefined;
      if ((head && Number(head.seq) !== 0) || any) throw new Error('the audit log has already begun');
      this.stmt(
        'INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = 0, hash = excluded.hash, mac = excluded.mac',
      ).run(GENESIS_HASH, genesisMac);
    });
  }

  async getAuditTail() {
    const r = this.stmt('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as Row | undefined;
    return r ? { seq: Number(r.seq), hash: r.hash as string } : undefined;
  }

  async getAuditHead(): Promise<AuditHead | undefined> {
    const r = this.stmt('SELECT seq, hash, mac FROM audit_head WHERE id = 1').get() as Row | undefined;
    return r ? { seq: Number(r.seq), hash: r.hash as string, mac: r.mac as string } : undefined;
  }

  async useJti(issuer: string, jti: string, exp: number, now: number) {
    return this.tx(() => {
      this.stmt('DELETE FROM oidc_jti WHERE exp < ?').run(now - 3600_000);
      const res = this.stmt('INSERT INTO oidc_jti (issuer, jti, exp) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(issuer, jti, exp);
      return Number(res.changes) === 1;
    });
  }

  async close() {
    this.stmts.clear();
    if (this.db.isOpen) this.db.close();
  }
}

export const GENESIS_HASH = '0'.repeat(64);
