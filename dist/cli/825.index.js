export const id = 825;
export const ids = [825];
export const modules = {

/***/ 9825:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DB_FILE: () => (/* binding */ DB_FILE),
  KEY_FILE: () => (/* binding */ KEY_FILE),
  initDataDir: () => (/* binding */ initDataDir),
  rekeyDataDir: () => (/* binding */ rekeyDataDir),
  startServer: () => (/* binding */ startServer)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/core/cidr.ts
var cidr = __webpack_require__(7753);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/core/credentials.ts


/**
 * Credential strings. Every credential is `ass_<kind>_` followed by 65 base62 characters: a
 * 16-character id (non-secret: it names the row and appears in listings and audit records), 43
 * random characters (256 bits) and a 6-character base62 CRC32 of everything before it. The
 * prefix lets secret scanners recognise a leaked credential; the checksum lets them reject
 * look-alikes offline. Only SHA-256 hashes of credentials are stored.
 */
const CREDENTIAL_KINDS = {
    user: 'u',
    agent: 'a',
    token: 't',
    pipeline: 'p',
};
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 16;
const SECRET_LENGTH = 43;
const CRC_LENGTH = 6;
const CREDENTIAL_PATTERN = /^ass_([uatp])_([0-9A-Za-z]{65})$/;
/** Uniformly random base62 string, by rejection sampling (no modulo bias). */
function randomBase62(length) {
    let out = '';
    while (out.length < length) {
        for (const byte of (0,external_node_crypto_.randomBytes)(length * 2)) {
            if (byte < 248)
                out += BASE62[byte % 62];
            if (out.length === length)
                break;
        }
    }
    return out;
}
/** Base62 of a 32-bit unsigned integer, left-padded with '0' to `width`. */
function base62Crc(value, width = CRC_LENGTH) {
    let n = value >>> 0;
    let out = '';
    do {
        out = BASE62[n % 62] + out;
        n = Math.floor(n / 62);
    } while (n > 0);
    return out.padStart(width, '0');
}
function checksum(text) {
    return base62Crc((0,external_node_zlib_.crc32)(text));
}
/** A new random id of the kind embedded in credentials (also used for row ids). */
function newId() {
    return randomBase62(ID_LENGTH);
}
function generateCredential(kind, id = newId()) {
    const body = `ass_${CREDENTIAL_KINDS[kind]}_${id}${randomBase62(SECRET_LENGTH)}`;
    const secret = body + checksum(body);
    return { kind, id, secret, hash: hashCredential(secret) };
}
const KIND_BY_LETTER = { u: 'user', a: 'agent', t: 'token', p: 'pipeline' };
/** Parses a credential string; undefined when it is not one (wrong shape or checksum). */
function parseCredential(text) {
    const m = CREDENTIAL_PATTERN.exec(text);
    if (!m)
        return undefined;
    const letter = m[1];
    const rest = m[2];
    const body = text.slice(0, text.length - CRC_LENGTH);
    if (checksum(body) !== rest.slice(ID_LENGTH + SECRET_LENGTH))
        return undefined;
    const kind = KIND_BY_LETTER[letter];
    if (!kind)
        return undefined;
    return { kind, id: rest.slice(0, ID_LENGTH), secret: text };
}
function hashCredential(secret) {
    return (0,external_node_crypto_.createHash)('sha256').update(secret).digest('hex');
}
/** Constant-time comparison of a presented credential against a stored hash. */
function credentialMatches(secret, storedHash) {
    const a = Buffer.from(hashCredential(secret), 'hex');
    const b = Buffer.from(storedHash, 'hex');
    return a.length === b.length && (0,external_node_crypto_.timingSafeEqual)(a, b);
}

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/logger.ts
var core_logger = __webpack_require__(1227);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
;// CONCATENATED MODULE: ./src/store/rows.ts
const json = (v) => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = (v) => (typeof v === 'string' ? JSON.parse(v) : null);
const num = (v) => (v === null || v === undefined ? null : Number(v));
function toUser(r) {
    return {
        id: r.id,
        name: r.name,
        role: r.role,
        tokenHash: r.token_hash,
        createdAt: Number(r.created_at),
        revokedAt: num(r.revoked_at),
    };
}
function toAgent(r) {
    return {
        id: r.id,
        name: r.name,
        scopes: parse(r.scopes) ?? [],
        description: r.description ?? null,
        trustPolicy: parse(r.trust_policy),
        keyId: r.key_id,
        keyHash: r.key_hash,
        createdAt: Number(r.created_at),
        revokedAt: num(r.revoked_at),
    };
}
function toToken(r) {
    return {
        id: r.id,
        kind: r.kind,
        agentId: r.agent_id,
        hash: r.hash,
        scopes: parse(r.scopes) ?? [],
        createdAt: Number(r.created_at),
        expiresAt: Number(r.expires_at),
        maxUses: num(r.max_uses),
        uses: Number(r.uses),
        allowedIps: parse(r.allowed_ips) ?? [],
        description: r.description ?? null,
        claims: parse(r.claims),
        revokedAt: num(r.revoked_at),
    };
}
function toSecret(r) {
    return {
        path: r.path,
        version: Number(r.version),
        type: r.type,
        tier: r.tier,
        description: r.description ?? null,
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
        deletedAt: num(r.deleted_at),
    };
}
function toVersion(r) {
    return {
        path: r.path,
        version: Number(r.version),
        type: r.type,
        tier: r.tier,
        ciphertext: r.ciphertext,
        createdAt: Number(r.created_at),
        createdBy: r.created_by,
        deletedAt: num(r.deleted_at),
    };
}
function toAuditRecord(r) {
    return {
        seq: Number(r.seq),
        time: Number(r.time),
        requestId: r.request_id,
        event: r.event,
        status: r.status,
        actorType: r.actor_type,
        actorId: r.actor_id ?? null,
        actorName: r.actor_name ?? null,
        agent: r.agent ?? null,
        tokenId: r.token_id ?? null,
        path: r.path ?? null,
        tier: r.tier ?? null,
        reason: r.reason ?? null,
        ip: r.ip ?? null,
        claims: parse(r.claims),
        prevHash: r.prev_hash,
        hash: r.hash,
    };
}

;// CONCATENATED MODULE: ./src/store/postgres.ts


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
/**
 * The PostgreSQL adapter, for when one machine is not enough: several vault replicas share one
 * database. Everything that must be atomic across replicas is one statement or one transaction
 * with a row lock: spending token uses (a conditional UPDATE), new secret versions (a row lock on
 * the secret plus the (path, version) key), and audit appends (a lock on the single head row, so
 * sequence numbers stay gapless and the chain stays linear whichever replica writes).
 */
class PostgresStore {
    pool;
    schema;
    constructor(opts) {
        this.schema = opts.schema ?? 'public';
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema))
            throw new Error(`Invalid PostgreSQL schema name ${JSON.stringify(this.schema)}.`);
        this.pool = new esm/* default.Pool */.Ay.Pool({
            connectionString: opts.url,
            max: opts.poolSize ?? 10,
            options: `-c search_path=${this.schema}`,
        });
        // An idle client's error (the server restarting) must not crash the process.
        this.pool.on('error', () => { });
    }
    static async open(opts) {
        const store = new PostgresStore(opts);
        try {
            const client = await store.pool.connect();
            try {
                // Serialise schema creation between replicas starting together.
                await client.query('SELECT pg_advisory_lock(7354101)');
                await client.query(`CREATE SCHEMA IF NOT EXISTS ${store.schema}`);
                await client.query(SCHEMA);
                await client.query("INSERT INTO meta (key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING");
            }
            finally {
                await client.query('SELECT pg_advisory_unlock(7354101)').catch(() => { });
                client.release();
            }
        }
        catch (err) {
            await store.pool.end().catch(() => { });
            throw err;
        }
        return store;
    }
    async q(sql, args = []) {
        return (await this.pool.query(sql, args)).rows;
    }
    async tx(fn) {
        const c = await this.pool.connect();
        try {
            await c.query('BEGIN');
            const out = await fn(c);
            await c.query('COMMIT');
            return out;
        }
        catch (err) {
            await c.query('ROLLBACK').catch(() => { });
            throw err;
        }
        finally {
            c.release();
        }
    }
    async getMeta(key) {
        return (await this.q('SELECT value FROM meta WHERE key = $1', [key]))[0]?.value;
    }
    async setMeta(key, value) {
        await this.q('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    }
    async setMetaIfAbsent(key, value) {
        await this.q('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
        return (await this.getMeta(key));
    }
    async revokeUser(id, now) {
        return this.tx(async (c) => {
            // Lock the active admins first: a concurrent revocation waits here, then sees this one.
            const admins = (await c.query("SELECT id FROM users WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id FOR UPDATE"))
                .rows;
            const user = (await c.query('SELECT role, revoked_at FROM users WHERE id = $1 FOR UPDATE', [id])).rows[0];
            if (!user || user.revoked_at !== null)
                return 'not_active';
            if (user.role === 'admin' && admins.length <= 1)
                return 'last_admin';
            await c.query('UPDATE users SET revoked_at = $1 WHERE id = $2', [now, id]);
            return 'revoked';
        });
    }
    async createUser(u) {
        await this.q('INSERT INTO users (id, name, role, token_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)', [
            u.id,
            u.name,
            u.role,
            u.tokenHash,
            u.createdAt,
            u.revokedAt,
        ]);
    }
    async getUser(id) {
        const r = (await this.q('SELECT * FROM users WHERE id = $1', [id]))[0];
        return r ? toUser(r) : undefined;
    }
    async listUsers() {
        return (await this.q('SELECT * FROM users ORDER BY created_at, name')).map(toUser);
    }
    async createAgent(a) {
        await this.q('INSERT INTO agents (id, name, scopes, description, trust_policy, key_id, key_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [a.id, a.name, JSON.stringify(a.scopes), a.description, json(a.trustPolicy), a.keyId, a.keyHash, a.createdAt, a.revokedAt]);
    }
    async getAgentByName(name) {
        const r = (await this.q('SELECT * FROM agents WHERE name = $1', [name]))[0];
        return r ? toAgent(r) : undefined;
    }
    async getAgentById(id) {
        const r = (await this.q('SELECT * FROM agents WHERE id = $1', [id]))[0];
        return r ? toAgent(r) : undefined;
    }
    async getAgentByKeyId(keyId) {
        const r = (await this.q('SELECT * FROM agents WHERE key_id = $1', [keyId]))[0];
        return r ? toAgent(r) : undefined;
    }
    async listAgents() {
        return (await this.q('SELECT * FROM agents ORDER BY created_at, name')).map(toAgent);
    }
    async revokeAgent(id, now) {
        return this.tx(async (c) => {
            await c.query('UPDATE agents SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]);
            const res = await c.query('UPDATE tokens SET revoked_at = $1 WHERE agent_id = $2 AND revoked_at IS NULL AND expires_at > $1', [
                now,
                id,
            ]);
            return { tokensRevoked: res.rowCount ?? 0 };
        });
    }
    async createToken(t) {
        await this.q('INSERT INTO tokens (id, kind, agent_id, hash, scopes, created_at, expires_at, max_uses, uses, allowed_ips, description, claims, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)', [
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
        ]);
    }
    async getToken(id) {
        const r = (await this.q('SELECT * FROM tokens WHERE id = $1', [id]))[0];
        return r ? toToken(r) : undefined;
    }
    async listTokens(filter) {
        const where = [];
        const args = [];
        if (filter.agentId) {
            args.push(filter.agentId);
            where.push(`agent_id = $${args.length}`);
        }
        if (filter.activeAt !== undefined) {
            args.push(filter.activeAt);
            where.push(`revoked_at IS NULL AND expires_at > $${args.length} AND (max_uses IS NULL OR uses < max_uses)`);
        }
        return (await this.q(`SELECT * FROM tokens ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`, args)).map(toToken);
    }
    async revokeToken(id, now) {
        const res = await this.pool.query('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]);
        return (res.rowCount ?? 0) > 0;
    }
    async spendToken(id, n, now) {
        const r = (await this.q('UPDATE tokens SET uses = uses + $1 WHERE id = $2 AND revoked_at IS NULL AND expires_at > $3 AND (max_uses IS NULL OR uses + $1 <= max_uses) RETURNING uses', [n, id, now]))[0];
        if (r)
            return { ok: true, uses: Number(r.uses) };
        const t = await this.getToken(id);
        if (!t)
            return { ok: false, reason: 'not_found' };
        if (t.revokedAt !== null)
            return { ok: false, reason: 'revoked' };
        if (t.expiresAt <= now)
            return { ok: false, reason: 'expired' };
        return { ok: false, reason: 'exhausted' };
    }
    async getSecret(path) {
        const r = (await this.q('SELECT * FROM secrets WHERE path = $1', [path]))[0];
        return r ? toSecret(r) : undefined;
    }
    async getSecretVersion(path, version) {
        const r = (await this.q('SELECT * FROM secret_versions WHERE path = $1 AND version = $2', [path, version]))[0];
        return r ? toVersion(r) : undefined;
    }
    async listSecrets(prefix, includeDeleted) {
        const deleted = includeDeleted ? '' : 'AND deleted_at IS NULL';
        if (prefix === '')
            return (await this.q(`SELECT * FROM secrets WHERE true ${deleted} ORDER BY path`)).map(toSecret);
        return (await this.q(`SELECT * FROM secrets WHERE (path = $1 OR (path >= $2 AND path < $3)) ${deleted} ORDER BY path`, [
            prefix,
            `${prefix}/`,
            `${prefix}0`,
        ])).map(toSecret);
    }
    async listVersions(path) {
        return (await this.q('SELECT * FROM secret_versions WHERE path = $1 ORDER BY version', [path])).map(toVersion);
    }
    async putSecretVersion(row, description) {
        try {
            return await this.tx(async (c) => {
                const cur = (await c.query('SELECT version FROM secrets WHERE path = $1 FOR UPDATE', [row.path])).rows[0];
                const currentVersion = cur ? Number(cur.version) : 0;
                if (currentVersion !== row.version - 1)
                    return 'conflict';
                await c.query('INSERT INTO secret_versions (path, version, type, tier, ciphertext, created_at, created_by, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)', [row.path, row.version, row.type, row.tier, Buffer.from(row.ciphertext), row.createdAt, row.createdBy]);
                if (cur) {
                    await c.query('UPDATE secrets SET version = $1, type = $2, tier = $3, description = $4, updated_at = $5, deleted_at = NULL WHERE path = $6', [row.version, row.type, row.tier, description, row.createdAt, row.path]);
                }
                else {
                    await c.query('INSERT INTO secrets (path, version, type, tier, description, created_at, updated_at, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $6, NULL)', [row.path, row.version, row.type, row.tier, description, row.createdAt]);
                }
                return 'ok';
            });
        }
        catch (err) {
            // Two first writes of one path race on the primary keys: the loser is a conflict.
            if (err.code === '23505')
                return 'conflict';
            throw err;
        }
    }
    async rewrapSecretVersions(rewrap) {
        return this.tx(async (c) => {
            let changed = 0;
            const rows = (await c.query('SELECT path, version, ciphertext FROM secret_versions FOR UPDATE')).rows;
            for (const r of rows) {
                const next = rewrap({ path: r.path, version: Number(r.version), ciphertext: r.ciphertext });
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
    async softDeleteSecret(path, now) {
        return this.tx(async (c) => {
            const res = await c.query('UPDATE secrets SET deleted_at = $1, updated_at = $1 WHERE path = $2 AND deleted_at IS NULL', [now, path]);
            if ((res.rowCount ?? 0) === 0)
                return false;
            await c.query('UPDATE secret_versions SET deleted_at = $1 WHERE path = $2 AND deleted_at IS NULL', [now, path]);
            return true;
        });
    }
    async appendAudit(entry, seal) {
        return this.tx(async (c) => {
            const head = (await c.query('SELECT seq, hash, mac FROM audit_head WHERE id = 1 FOR UPDATE')).rows[0];
            const last = (await c.query('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')).rows[0];
            seal.verifyHead(head ? { seq: Number(head.seq), hash: head.hash, mac: head.mac } : undefined, last ? { seq: Number(last.seq), hash: last.hash } : undefined);
            const seq = Number(head.seq) + 1;
            const prevHash = head.hash;
            const { hash, headMac } = seal.seal(entry, seq, prevHash);
            await c.query('INSERT INTO audit (seq, time, request_id, event, status, actor_type, actor_id, actor_name, agent, token_id, path, tier, reason, ip, claims, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)', [
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
            ]);
            await c.query('UPDATE audit_head SET seq = $1, hash = $2, mac = $3 WHERE id = 1', [seq, hash, headMac]);
            return { ...entry, seq, prevHash, hash };
        });
    }
    async queryAudit(q) {
        const where = [];
        const args = [];
        const add = (clause, v) => {
            args.push(v);
            where.push(clause(args.length));
        };
        if (q.afterSeq !== undefined)
            add((n) => `seq > $${n}`, q.afterSeq);
        if (q.upToSeq !== undefined)
            add((n) => `seq <= $${n}`, q.upToSeq);
        if (q.since !== undefined)
            add((n) => `time >= $${n}`, q.since);
        if (q.eventTypes?.length)
            add((n) => `event = ANY($${n})`, q.eventTypes);
        if (q.status)
            add((n) => `status = $${n}`, q.status);
        if (q.resourcePath) {
            args.push(q.resourcePath, `${q.resourcePath}/`, `${q.resourcePath}0`);
            const n = args.length;
            where.push(`(path = $${n - 2} OR (path >= $${n - 1} AND path < $${n}))`);
        }
        const order = (q.newestFirst ?? true) ? 'DESC' : 'ASC';
        const limit = q.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(q.limit))}` : '';
        return (await this.q(`SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${order} ${limit}`, args)).map(toAuditRecord);
    }
    async initAuditHead(genesisMac) {
        await this.tx(async (c) => {
            const head = (await c.query('SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE')).rows[0];
            const any = (await c.query('SELECT seq FROM audit LIMIT 1')).rows[0];
            if ((head && Number(head.seq) !== 0) || any)
                throw new Error('the audit log has already begun');
            await c.query('INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, $1, $2) ON CONFLICT (id) DO UPDATE SET seq = 0, hash = excluded.hash, mac = excluded.mac', [GENESIS, genesisMac]);
        });
    }
    async getAuditTail() {
        const r = (await this.q('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1'))[0];
        return r ? { seq: Number(r.seq), hash: r.hash } : undefined;
    }
    async getAuditHead() {
        const r = (await this.q('SELECT seq, hash, mac FROM audit_head WHERE id = 1'))[0];
        if (!r || r.mac === '')
            return undefined;
        return { seq: Number(r.seq), hash: r.hash, mac: r.mac };
    }
    async useJti(issuer, jti, exp, now) {
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

// EXTERNAL MODULE: external "node:sqlite"
var external_node_sqlite_ = __webpack_require__(99);
;// CONCATENATED MODULE: ./src/store/sqlite.ts


const SCHEMA_VERSION = '1';
const sqlite_SCHEMA = `
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
/** The embedded store: one SQLite file in WAL mode, through Node's built-in node:sqlite. */
class SqliteStore {
    db;
    stmts = new Map();
    constructor(file, options = {}) {
        this.db = new external_node_sqlite_.DatabaseSync(file);
        this.db.exec('PRAGMA journal_mode = WAL');
        this.db.exec(`PRAGMA synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
        this.db.exec('PRAGMA foreign_keys = ON');
        this.db.exec('PRAGMA busy_timeout = 5000');
        this.db.exec(sqlite_SCHEMA);
        const version = this.stmt('SELECT value FROM meta WHERE key = ?').get('schema_version');
        if (!version)
            this.stmt('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', SCHEMA_VERSION);
        else if (version.value !== SCHEMA_VERSION) {
            throw new Error(`The store at ${file} has schema version ${String(version.value)}; this build reads ${SCHEMA_VERSION}.`);
        }
    }
    stmt(sql) {
        let s = this.stmts.get(sql);
        if (!s) {
            s = this.db.prepare(sql);
            this.stmts.set(sql, s);
        }
        return s;
    }
    tx(fn) {
        this.stmt('BEGIN IMMEDIATE').run();
        try {
            const out = fn();
            this.stmt('COMMIT').run();
            return out;
        }
        catch (err) {
            if (this.db.isTransaction)
                this.stmt('ROLLBACK').run();
            throw err;
        }
    }
    async getMeta(key) {
        const r = this.stmt('SELECT value FROM meta WHERE key = ?').get(key);
        return r ? r.value : undefined;
    }
    async setMeta(key, value) {
        this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    }
    async setMetaIfAbsent(key, value) {
        this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(key, value);
        return (await this.getMeta(key));
    }
    async revokeUser(id, now) {
        return this.tx(() => {
            const user = this.stmt('SELECT role, revoked_at FROM users WHERE id = ?').get(id);
            if (!user || user.revoked_at !== null)
                return 'not_active';
            if (user.role === 'admin') {
                const admins = this.stmt("SELECT count(*) AS n FROM users WHERE role = 'admin' AND revoked_at IS NULL").get();
                if (Number(admins.n) <= 1)
                    return 'last_admin';
            }
            this.stmt('UPDATE users SET revoked_at = ? WHERE id = ?').run(now, id);
            return 'revoked';
        });
    }
    async createUser(u) {
        this.stmt('INSERT INTO users (id, name, role, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)').run(u.id, u.name, u.role, u.tokenHash, u.createdAt, u.revokedAt);
    }
    async getUser(id) {
        const r = this.stmt('SELECT * FROM users WHERE id = ?').get(id);
        return r ? toUser(r) : undefined;
    }
    async listUsers() {
        return this.stmt('SELECT * FROM users ORDER BY created_at, name').all().map(toUser);
    }
    async createAgent(a) {
        this.stmt('INSERT INTO agents (id, name, scopes, description, trust_policy, key_id, key_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(a.id, a.name, JSON.stringify(a.scopes), a.description, json(a.trustPolicy), a.keyId, a.keyHash, a.createdAt, a.revokedAt);
    }
    async getAgentByName(name) {
        const r = this.stmt('SELECT * FROM agents WHERE name = ?').get(name);
        return r ? toAgent(r) : undefined;
    }
    async getAgentById(id) {
        const r = this.stmt('SELECT * FROM agents WHERE id = ?').get(id);
        return r ? toAgent(r) : undefined;
    }
    async getAgentByKeyId(keyId) {
        const r = this.stmt('SELECT * FROM agents WHERE key_id = ?').get(keyId);
        return r ? toAgent(r) : undefined;
    }
    async listAgents() {
        return this.stmt('SELECT * FROM agents ORDER BY created_at, name').all().map(toAgent);
    }
    async revokeAgent(id, now) {
        return this.tx(() => {
            this.stmt('UPDATE agents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
            const res = this.stmt('UPDATE tokens SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL AND expires_at > ?').run(now, id, now);
            return { tokensRevoked: Number(res.changes) };
        });
    }
    async createToken(t) {
        this.stmt('INSERT INTO tokens (id, kind, agent_id, hash, scopes, created_at, expires_at, max_uses, uses, allowed_ips, description, claims, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(t.id, t.kind, t.agentId, t.hash, JSON.stringify(t.scopes), t.createdAt, t.expiresAt, t.maxUses, t.uses, JSON.stringify(t.allowedIps), t.description, json(t.claims), t.revokedAt);
    }
    async getToken(id) {
        const r = this.stmt('SELECT * FROM tokens WHERE id = ?').get(id);
        return r ? toToken(r) : undefined;
    }
    async listTokens(filter) {
        const where = [];
        const args = [];
        if (filter.agentId) {
            where.push('agent_id = ?');
            args.push(filter.agentId);
        }
        if (filter.activeAt !== undefined) {
            where.push('revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)');
            args.push(filter.activeAt);
        }
        const sql = `SELECT * FROM tokens ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`;
        return this.db.prepare(sql).all(...args).map(toToken);
    }
    async revokeToken(id, now) {
        const res = this.stmt('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
        return Number(res.changes) > 0;
    }
    async spendToken(id, n, now) {
        // One conditional UPDATE: the check and the spend cannot be separated by another request.
        const r = this.stmt('UPDATE tokens SET uses = uses + ? WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses + ? <= max_uses) RETURNING uses').get(n, id, now, n);
        if (r)
            return { ok: true, uses: Number(r.uses) };
        const t = await this.getToken(id);
        if (!t)
            return { ok: false, reason: 'not_found' };
        if (t.revokedAt !== null)
            return { ok: false, reason: 'revoked' };
        if (t.expiresAt <= now)
            return { ok: false, reason: 'expired' };
        return { ok: false, reason: 'exhausted' };
    }
    async getSecret(path) {
        const r = this.stmt('SELECT * FROM secrets WHERE path = ?').get(path);
        return r ? toSecret(r) : undefined;
    }
    async getSecretVersion(path, version) {
        const r = this.stmt('SELECT * FROM secret_versions WHERE path = ? AND version = ?').get(path, version);
        return r ? toVersion(r) : undefined;
    }
    async listSecrets(prefix, includeDeleted) {
        const deleted = includeDeleted ? '' : 'AND deleted_at IS NULL';
        if (prefix === '') {
            return this.db.prepare(`SELECT * FROM secrets WHERE 1 = 1 ${deleted} ORDER BY path`).all().map(toSecret);
        }
        // Range scan on the primary key: paths equal to the prefix or below it ('/' sorts before '0').
        return this.db
            .prepare(`SELECT * FROM secrets WHERE (path = ? OR (path >= ? AND path < ?)) ${deleted} ORDER BY path`)
            .all(prefix, `${prefix}/`, `${prefix}0`).map(toSecret);
    }
    async listVersions(path) {
        return this.stmt('SELECT * FROM secret_versions WHERE path = ? ORDER BY version').all(path).map(toVersion);
    }
    async putSecretVersion(row, description) {
        return this.tx(() => {
            const current = this.stmt('SELECT version FROM secrets WHERE path = ?').get(row.path);
            const currentVersion = current ? Number(current.version) : 0;
            if (currentVersion !== row.version - 1)
                return 'conflict';
            this.stmt('INSERT INTO secret_versions (path, version, type, tier, ciphertext, created_at, created_by, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)').run(row.path, row.version, row.type, row.tier, row.ciphertext, row.createdAt, row.createdBy);
            if (current) {
                this.stmt('UPDATE secrets SET version = ?, type = ?, tier = ?, description = ?, updated_at = ?, deleted_at = NULL WHERE path = ?').run(row.version, row.type, row.tier, description, row.createdAt, row.path);
            }
            else {
                this.stmt('INSERT INTO secrets (path, version, type, tier, description, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)').run(row.path, row.version, row.type, row.tier, description, row.createdAt, row.createdAt);
            }
            return 'ok';
        });
    }
    async rewrapSecretVersions(rewrap) {
        return this.tx(() => {
            let changed = 0;
            const update = this.stmt('UPDATE secret_versions SET ciphertext = ? WHERE path = ? AND version = ?');
            for (const r of this.stmt('SELECT path, version, ciphertext FROM secret_versions').all()) {
                const next = rewrap({ path: r.path, version: Number(r.version), ciphertext: r.ciphertext });
                if (next) {
                    update.run(next, r.path, Number(r.version));
                    changed++;
                }
            }
            return changed;
        });
    }
    async softDeleteSecret(path, now) {
        return this.tx(() => {
            const res = this.stmt('UPDATE secrets SET deleted_at = ?, updated_at = ? WHERE path = ? AND deleted_at IS NULL').run(now, now, path);
            if (Number(res.changes) === 0)
                return false;
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
    appendAudit(entry, seal) {
        return new Promise((resolve, reject) => {
            this.auditQueue.push({ entry, seal, resolve, reject });
            if (!this.auditFlushScheduled) {
                this.auditFlushScheduled = true;
                setImmediate(() => this.flushAudit());
            }
        });
    }
    auditQueue = [];
    auditFlushScheduled = false;
    flushAudit() {
        this.auditFlushScheduled = false;
        const batch = this.auditQueue;
        this.auditQueue = [];
        let records;
        try {
            records = this.tx(() => {
                const head = this.stmt('SELECT seq, hash, mac FROM audit_head WHERE id = 1').get();
                const last = this.stmt('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get();
                const sealer = batch[0].seal;
                sealer.verifyHead(head ? { seq: Number(head.seq), hash: head.hash, mac: head.mac } : undefined, last ? { seq: Number(last.seq), hash: last.hash } : undefined);
                let seq = Number(head.seq);
                let prevHash = head.hash;
                let headMac = '';
                const out = [];
                const insert = this.stmt('INSERT INTO audit (seq, time, request_id, event, status, actor_type, actor_id, actor_name, agent, token_id, path, tier, reason, ip, claims, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
                for (const { entry, seal } of batch) {
                    seq += 1;
                    const sealed = seal.seal(entry, seq, prevHash);
                    insert.run(seq, entry.time, entry.requestId, entry.event, entry.status, entry.actorType, entry.actorId, entry.actorName, entry.agent, entry.tokenId, entry.path, entry.tier, entry.reason, entry.ip, json(entry.claims), prevHash, sealed.hash);
                    out.push({ ...entry, seq, prevHash, hash: sealed.hash });
                    prevHash = sealed.hash;
                    headMac = sealed.headMac;
                }
                this.stmt('INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac').run(seq, prevHash, headMac);
                return out;
            });
        }
        catch (err) {
            for (const b of batch)
                b.reject(err);
            return;
        }
        for (const [i, b] of batch.entries())
            b.resolve(records[i]);
    }
    async queryAudit(q) {
        const where = [];
        const args = [];
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
        return this.db.prepare(sql).all(...args).map(toAuditRecord);
    }
    async initAuditHead(genesisMac) {
        this.tx(() => {
            const head = this.stmt('SELECT seq FROM audit_head WHERE id = 1').get();
            const any = this.stmt('SELECT seq FROM audit LIMIT 1').get();
            if ((head && Number(head.seq) !== 0) || any)
                throw new Error('the audit log has already begun');
            this.stmt('INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = 0, hash = excluded.hash, mac = excluded.mac').run(GENESIS_HASH, genesisMac);
        });
    }
    async getAuditTail() {
        const r = this.stmt('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get();
        return r ? { seq: Number(r.seq), hash: r.hash } : undefined;
    }
    async getAuditHead() {
        const r = this.stmt('SELECT seq, hash, mac FROM audit_head WHERE id = 1').get();
        return r ? { seq: Number(r.seq), hash: r.hash, mac: r.mac } : undefined;
    }
    async useJti(issuer, jti, exp, now) {
        return this.tx(() => {
            this.stmt('DELETE FROM oidc_jti WHERE exp < ?').run(now - 3600_000);
            const res = this.stmt('INSERT INTO oidc_jti (issuer, jti, exp) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(issuer, jti, exp);
            return Number(res.changes) === 1;
        });
    }
    async close() {
        this.stmts.clear();
        if (this.db.isOpen)
            this.db.close();
    }
}
const GENESIS_HASH = '0'.repeat(64);

// EXTERNAL MODULE: ./src/server/audit.ts
var audit = __webpack_require__(3488);
;// CONCATENATED MODULE: ./src/server/crypto.ts


/**
 * Envelope encryption at rest. Each secret version gets a fresh 256-bit data key; the value is
 * sealed with AES-256-GCM under that data key, and the data key is sealed with AES-256-GCM under
 * the master key. Both seals bind the secret's path and version as associated data, so a
 * ciphertext copied to another row (or another version) fails to open. Every blob starts with
 * the id of the master key that wrapped it, so the master key can rotate: old keys stay
 * available for decryption while new writes use the current one.
 *
 * Layout: 0x01 | keyId (8) | dekNonce (12) | wrappedDek (32) | dekTag (16) | nonce (12) | tag (16) | ciphertext
 */
const FORMAT = 0x01;
const KEY_ID_LEN = 8;
const NONCE_LEN = 12;
const TAG_LEN = 16;
const KEY_LEN = 32;
const HEADER_LEN = 1 + KEY_ID_LEN + NONCE_LEN + KEY_LEN + TAG_LEN + NONCE_LEN + TAG_LEN;
/** Parses a master key given as base64 or 64 hex digits; it must be exactly 32 bytes. */
function parseMasterKey(text, source) {
    const trimmed = text.trim();
    const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
    if (key.length !== KEY_LEN) {
        throw new errors/* AppError */.uV('invalid_input', `The master key from ${source} is not 32 bytes: give 32 random bytes as base64 or 64 hex digits (for example: openssl rand -base64 32).`);
    }
    return key;
}
function newMasterKey() {
    return (0,external_node_crypto_.randomBytes)(KEY_LEN);
}
function keyIdOf(key) {
    return (0,external_node_crypto_.createHmac)('sha256', key).update('ass/master-key-id/v1').digest().subarray(0, KEY_ID_LEN);
}
function aad(kind, path, version) {
    return Buffer.from(`ass/${kind}/v1\u0000${path}\u0000${version}`, 'utf8');
}
/** The keys the server holds: the current master key and any older ones kept for decryption. */
class Keyring {
    current;
    byId = new Map();
    currentKey;
    constructor(current, previous = []) {
        this.current = { id: keyIdOf(current), key: current };
        // KeyObjects are made once: converting a Buffer key on every call is measurable per request.
        this.currentKey = (0,external_node_crypto_.createSecretKey)(current);
        for (const key of [current, ...previous])
            this.byId.set(keyIdOf(key).toString('hex'), (0,external_node_crypto_.createSecretKey)(key));
    }
    /** Hex id of the current master key (not secret; shown by `ass server` at start-up). */
    get currentKeyId() {
        return this.current.id.toString('hex');
    }
    seal(plaintext, path, version) {
        const dek = (0,external_node_crypto_.randomBytes)(KEY_LEN);
        const dekNonce = (0,external_node_crypto_.randomBytes)(NONCE_LEN);
        const wrap = (0,external_node_crypto_.createCipheriv)('aes-256-gcm', this.currentKey, dekNonce);
        wrap.setAAD(aad('dek', path, version));
        const wrapped = Buffer.concat([wrap.update(dek), wrap.final()]);
        const dekTag = wrap.getAuthTag();
        const nonce = (0,external_node_crypto_.randomBytes)(NONCE_LEN);
        // A KeyObject costs a fifth of what a raw Buffer key costs per cipher on Node 24.
        const cipher = (0,external_node_crypto_.createCipheriv)('aes-256-gcm', (0,external_node_crypto_.createSecretKey)(dek), nonce);
        cipher.setAAD(aad('value', path, version));
        const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
        const tag = cipher.getAuthTag();
        dek.fill(0);
        return Buffer.concat([Buffer.from([FORMAT]), this.current.id, dekNonce, wrapped, dekTag, nonce, tag, ciphertext]);
    }
    open(blob, path, version) {
        const b = parseBlob(blob);
        const master = this.masterFor(b.keyId);
        try {
            const dek = unwrapDek(master, b, path, version);
            const decipher = (0,external_node_crypto_.createDecipheriv)('aes-256-gcm', (0,external_node_crypto_.createSecretKey)(dek), b.nonce);
            decipher.setAAD(aad('value', path, version));
            decipher.setAuthTag(b.tag);
            const out = Buffer.concat([decipher.update(b.ciphertext), decipher.final()]);
            dek.fill(0);
            return out;
        }
        catch {
            throw integrityError();
        }
    }
    masterFor(keyId) {
        const master = this.byId.get(keyId.toString('hex'));
        if (!master) {
            throw new errors/* AppError */.uV('key_unavailable', `This data is sealed under master key ${keyId.toString('hex')}, which this server was not given: set ASS_MASTER_KEY_PREVIOUS to that key, then run ass rekey to reseal everything under the current key.`);
        }
        return master;
    }
    /**
     * Reseals a blob's data key under the current master key, leaving the sealed value as it is;
     * undefined when it already is. Needs the old master key in the keyring.
     */
    rewrap(blob, path, version) {
        if (this.sealedWithCurrent(blob))
            return undefined;
        const b = parseBlob(blob);
        const master = this.masterFor(b.keyId);
        let dek;
        try {
            dek = unwrapDek(master, b, path, version);
        }
        catch {
            throw integrityError();
        }
        const newNonce = (0,external_node_crypto_.randomBytes)(NONCE_LEN);
        const wrap = (0,external_node_crypto_.createCipheriv)('aes-256-gcm', this.currentKey, newNonce);
        wrap.setAAD(aad('dek', path, version));
        const rewrapped = Buffer.concat([wrap.update(dek), wrap.final()]);
        const tag = wrap.getAuthTag();
        dek.fill(0);
        return Buffer.concat([Buffer.from([FORMAT]), this.current.id, newNonce, rewrapped, tag, b.sealedValue]);
    }
    /** True when `blob` was sealed under the current master key (false: rewrap it). */
    sealedWithCurrent(blob) {
        return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
            .subarray(1, 1 + KEY_ID_LEN)
            .equals(this.current.id);
    }
}
/** Splits a blob into its fields (the layout in the comment at the top of this file). */
function parseBlob(blob) {
    const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    if (buf.length < HEADER_LEN || buf[0] !== FORMAT)
        throw integrityError();
    const at = (start, len) => buf.subarray(start, start + len);
    const keyIdAt = 1;
    const dekNonceAt = keyIdAt + KEY_ID_LEN;
    const wrappedAt = dekNonceAt + NONCE_LEN;
    const dekTagAt = wrappedAt + KEY_LEN;
    const nonceAt = dekTagAt + TAG_LEN;
    const tagAt = nonceAt + NONCE_LEN;
    return {
        keyId: at(keyIdAt, KEY_ID_LEN),
        dekNonce: at(dekNonceAt, NONCE_LEN),
        wrappedDek: at(wrappedAt, KEY_LEN),
        dekTag: at(dekTagAt, TAG_LEN),
        nonce: at(nonceAt, NONCE_LEN),
        tag: at(tagAt, TAG_LEN),
        ciphertext: buf.subarray(HEADER_LEN),
        sealedValue: buf.subarray(nonceAt),
    };
}
function unwrapDek(master, b, path, version) {
    const unwrap = (0,external_node_crypto_.createDecipheriv)('aes-256-gcm', master, b.dekNonce);
    unwrap.setAAD(aad('dek', path, version));
    unwrap.setAuthTag(b.dekTag);
    return Buffer.concat([unwrap.update(b.wrappedDek), unwrap.final()]);
}
function integrityError() {
    return new errors/* AppError */.uV('internal', 'A stored secret failed its integrity check: the ciphertext was altered or moved to another row.');
}

;// CONCATENATED MODULE: ./src/server/services/auth.ts



const DEFAULT_LOCKOUT = {
    ipFailures: 20,
    credentialFailures: 5,
    windowMs: 60_000,
    lockoutMs: 15 * 60_000,
};
/**
 * Counts authentication failures per client address and per credential id, and locks either out
 * for a while once it crosses its limit. Held in process memory: a multi-replica deployment
 * needs the shared store for it (noted in the README).
 */
class AuthGuard {
    policy;
    now;
    byKey = new Map();
    constructor(policy, now) {
        this.policy = policy;
        this.now = now;
    }
    /** The lockout in force for `key`, if any; `first` is true for the first request it refuses. */
    state(key) {
        const c = this.byKey.get(key);
        const now = this.now();
        if (!c || c.lockedUntil <= now)
            return undefined;
        c.refusals += 1;
        return { retryAfter: Math.ceil((c.lockedUntil - now) / 1000), first: c.refusals === 1 };
    }
    check(key) {
        const s = this.state(key);
        if (s)
            throw lockedOut(s.retryAfter);
    }
    fail(key, limit) {
        const now = this.now();
        const c = this.byKey.get(key) ?? { failures: [], lockedUntil: 0, refusals: 0 };
        c.failures = c.failures.filter((t) => t > now - this.policy.windowMs);
        c.failures.push(now);
        if (c.failures.length >= limit) {
            c.lockedUntil = now + this.policy.lockoutMs;
            c.failures = [];
            c.refusals = 0;
        }
        this.byKey.set(key, c);
        if (this.byKey.size > 100_000)
            this.prune(now);
    }
    prune(now) {
        for (const [k, c] of this.byKey) {
            if (c.lockedUntil <= now && c.failures.every((t) => t <= now - this.policy.windowMs))
                this.byKey.delete(k);
        }
    }
}
/** The lockout counter that rejected OIDC exchanges feed, per agent key id. */
function exchangeLockoutKey(keyId) {
    return `exchange:${keyId}`;
}
function lockedOut(retryAfter) {
    return new errors/* AppError */.uV('locked_out', `Too many failed requests from this address or for this credential; try again in ${retryAfter} s. If this is unexpected, someone may be guessing credentials: check \`ass audit --status denied\`.`, { retryAfter });
}
const BAD_CREDENTIAL = 'The credential is not valid: it is unknown, revoked, or mistyped. Check ASS_TOKEN / ASS_AGENT_KEY.';
/** Turns an Authorization header into a principal, or throws a 401/403/429 AppError. */
async function authenticate(deps, header, ip) {
    if (!header) {
        throw new errors/* AppError */.uV('unauthenticated', 'No credential was sent: set the Authorization header to "Bearer <token>" (the CLI reads ASS_TOKEN or ASS_AGENT_KEY).');
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const parsed = m ? parseCredential(m[1]) : undefined;
    if (!m || !parsed) {
        throw new errors/* AppError */.uV('unauthenticated', 'The Authorization header does not hold an Agent Secret Store credential: expected "Bearer ass_..." (a user token, agent key, or scoped token).');
    }
    // Wrong secrets for a known id count per (address, id): ids are public (listings, logs, job
    // summaries), so a per-id counter alone would let anyone lock a real credential out.
    const idKey = `id:${ip}:${parsed.kind}:${parsed.id}`;
    deps.guard.check(idKey);
    // Rejected OIDC tokens count against the agent key itself: only its holder can make them.
    if (parsed.kind === 'agent')
        deps.guard.check(exchangeLockoutKey(parsed.id));
    const failed = () => {
        deps.guard.fail(idKey, deps.policy.credentialFailures);
        throw new errors/* AppError */.uV('unauthenticated', BAD_CREDENTIAL);
    };
    const now = deps.now();
    switch (parsed.kind) {
        case 'user': {
            const user = await deps.store.getUser(parsed.id);
            if (!user || !credentialMatches(parsed.secret, user.tokenHash) || user.revokedAt !== null)
                return failed();
            return { kind: 'user', id: user.id, name: user.name, role: user.role };
        }
        case 'agent': {
            const agent = await deps.store.getAgentByKeyId(parsed.id);
            if (!agent || !credentialMatches(parsed.secret, agent.keyHash))
                return failed();
            if (agent.revokedAt !== null) {
                throw new errors/* AppError */.uV('unauthenticated', `The agent "${agent.name}" was revoked; an admin must create a new agent (ass agents create).`);
            }
            return { kind: 'agent', id: agent.id, name: agent.name, agent };
        }
        case 'token':
        case 'pipeline': {
            const token = await deps.store.getToken(parsed.id);
            if (!token || !credentialMatches(parsed.secret, token.hash))
                return failed();
            if ((parsed.kind === 'pipeline') !== (token.kind === 'pipeline'))
                return failed();
            const agent = await deps.store.getAgentById(token.agentId);
            if (!agent || agent.revokedAt !== null) {
                throw new errors/* AppError */.uV('token_revoked', 'This token was revoked together with its agent.');
            }
            if (token.revokedAt !== null)
                throw new errors/* AppError */.uV('token_revoked', `Token ${token.id} was revoked; issue a new one.`);
            if (token.expiresAt <= now) {
                throw new errors/* AppError */.uV('token_expired', `Token ${token.id} expired at ${new Date(token.expiresAt).toISOString()}; issue a new one.`);
            }
            if (token.allowedIps.length > 0 &&
                !(0,cidr/* addressAllowed */.lg)(ip, token.allowedIps.map((c) => (0,cidr/* parseCidr */.GN)(c)))) {
                throw new errors/* AppError */.uV('ip_not_allowed', `Token ${token.id} may not be used from ${ip}: the address is outside its IP allowlist.`);
            }
            return { kind: 'token', id: token.id, token, agent };
        }
    }
}

;// CONCATENATED MODULE: ./src/server/http.ts




const MAX_BODY_BYTES = 1024 * 1024;
/**
 * The client address: the TCP peer, unless the peer is a configured trusted proxy, in which case
 * the right-most X-Forwarded-For address that is not itself a trusted proxy. Headers from any
 * other peer are ignored, so a client cannot claim an allowlisted address.
 */
function clientAddress(req, trustedProxies) {
    const peer = (0,cidr/* normaliseAddress */.DC)(req.socket.remoteAddress);
    if (trustedProxies.length === 0 || !(0,cidr/* addressAllowed */.lg)(peer, trustedProxies))
        return peer;
    const header = req.headers['x-forwarded-for'];
    const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    for (let i = chain.length - 1; i >= 0; i--) {
        const hop = (0,cidr/* normaliseAddress */.DC)(chain[i]);
        if (!(0,cidr/* addressAllowed */.lg)(hop, trustedProxies))
            return hop;
    }
    return peer;
}
async function readBody(req) {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') {
        req.resume();
        return undefined;
    }
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES)
            throw new errors/* AppError */.uV('payload_too_large', `The request body is over ${MAX_BODY_BYTES} bytes.`);
        chunks.push(chunk);
    }
    if (size === 0)
        return undefined;
    try {
        return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    }
    catch {
        throw new errors/* AppError */.uV('invalid_input', 'The request body is not valid JSON; send a JSON object with Content-Type: application/json.');
    }
}
function parseQuery(search) {
    const out = {};
    for (const [k, v] of new URLSearchParams(search))
        out[k] = v;
    return out;
}
function send(res, status, requestId, payload, contentType, extra = {}) {
    res.writeHead(status, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(payload),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-request-id': requestId,
        ...extra,
    });
    res.end(payload);
}
function statusForAudit(err) {
    return err.status === 401 || err.status === 403 || err.status === 429 ? 'denied' : 'error';
}
function createHandler(deps) {
    return async (req, res) => {
        const requestId = (0,external_node_crypto_.randomUUID)();
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        // The path is matched raw, never percent-decoded: an encoded slash cannot smuggle a segment.
        const pathname = q === -1 ? url : url.slice(0, q);
        const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
        const method = req.method ?? 'GET';
        const ctx = {
            requestId,
            ip: clientAddress(req, deps.trustedProxies),
            audit: { event: 'request.invalid', status: 'granted', path: null, tier: null, reason: null },
            extraAudit: [],
        };
        let route;
        let params = [];
        let methodMismatch = false;
        for (const r of deps.routes) {
            const m = r.pattern.exec(pathname);
            if (!m)
                continue;
            if (r.method !== method) {
                methodMismatch = true;
                continue;
            }
            route = r;
            params = m.slice(1);
            break;
        }
        let status = 200;
        let payload;
        let contentType = 'application/json; charset=utf-8';
        const headers = {};
        try {
            if (!route?.anonymous) {
                const lock = deps.addressGuard.state(ctx.ip);
                if (lock) {
                    if (!lock.first)
                        ctx.skipAudit = true;
                    throw lockedOut(lock.retryAfter);
                }
            }
            if (!route) {
                throw new errors/* AppError */.uV(methodMismatch ? 'invalid_input' : 'not_found', methodMismatch
                    ? `${method} is not supported on ${pathname.slice(0, 200)}.`
                    : `There is no API route ${pathname.slice(0, 200)}; see the API table in the README.`);
            }
            ctx.audit.event = route.event;
            const allowed = route.query ?? [];
            const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
            if (unknown.length > 0) {
                throw new errors/* AppError */.uV('invalid_input', `Unknown query parameter ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; ${allowed.length ? `this route takes ${allowed.join(', ')}` : 'this route takes none'}.`);
            }
            const body = await readBody(req);
            if (!route.anonymous)
                await deps.authenticate(ctx, req.headers.authorization);
            const result = await route.handler({ ctx, params, query, body, headers: req.headers });
            status = result.status ?? 200;
            if ('text' in result) {
                payload = result.text;
                contentType = result.contentType;
            }
            else
                payload = JSON.stringify(result.body);
        }
        catch (err) {
            const appErr = (0,errors/* isAppError */.Y6)(err) ? err : undefined;
            if (!ctx.principal && appErr?.isUserError && appErr.code !== 'locked_out' && !route?.anonymous)
                deps.addressGuard.fail(ctx.ip);
            if (!appErr)
                deps.logger.error(`request ${requestId} failed: ${err instanceof Error ? err.message : String(err)}`);
            const e = appErr ?? new errors/* AppError */.uV('internal', 'The vault hit an internal error.');
            ctx.audit.status = statusForAudit(e);
            if (!e.isUserError)
                ctx.audit.status = 'error';
            ctx.audit.reason = `${e.code}: ${e.message}`.slice(0, 500);
            ctx.extraAudit = [];
            status = e.status;
            if (e.retryAfter !== undefined)
                headers['retry-after'] = String(e.retryAfter);
            const message = e.isUserError ? e.message : `${e.message} Quote request id ${requestId} to the operator.`;
            payload = JSON.stringify({ error: { code: e.code, message, requestId, ...(e.details ? { details: e.details } : {}) } });
        }
        if (route && route.audited !== false && !ctx.skipAudit) {
            try {
                await deps.writeAudit(ctx);
            }
            catch (err) {
                // Fail closed: whatever the request produced (a secret value included) is not released.
                deps.logger.error(`request ${requestId}: audit append failed${route.answersWithoutAudit ? '' : ', response withheld'}: ${err instanceof Error ? err.message : String(err)}`);
                if (route.answersWithoutAudit) {
                    send(res, status, requestId, payload, contentType, headers);
                    return;
                }
                status = 503;
                contentType = 'application/json; charset=utf-8';
                payload = JSON.stringify({
                    error: {
                        code: 'audit_unavailable',
                        message: `The audit log could not be written, so nothing was released. Quote request id ${requestId} to the operator.`,
                        requestId,
                    },
                });
            }
        }
        send(res, status, requestId, payload, contentType, headers);
    };
}

// EXTERNAL MODULE: ./node_modules/jose/dist/webapi/jwks/remote.js + 1 modules
var remote = __webpack_require__(7315);
// EXTERNAL MODULE: ./node_modules/jose/dist/webapi/util/decode_protected_header.js
var decode_protected_header = __webpack_require__(1196);
// EXTERNAL MODULE: ./node_modules/jose/dist/webapi/util/decode_jwt.js
var decode_jwt = __webpack_require__(7961);
// EXTERNAL MODULE: ./node_modules/jose/dist/webapi/jwt/verify.js + 2 modules
var jwt_verify = __webpack_require__(4490);
// EXTERNAL MODULE: ./node_modules/jose/dist/webapi/util/errors.js
var util_errors = __webpack_require__(5674);
// EXTERNAL MODULE: ./src/core/scopes.ts
var core_scopes = __webpack_require__(1074);
;// CONCATENATED MODULE: ./src/server/oidc.ts
/**
 * Verification of CI OIDC tokens (GitHub Actions and any other OIDC issuer) against an agent's trust
 * policy. The exchange service (`services/exchange.ts`) owns the agent key check, `jti` single use,
 * scope intersection and run binding; this module answers one question: is this JWT a genuine,
 * current token from the trusted issuer, addressed to this vault, whose claims match the policy?
 *
 * Security decisions (docs/fetch-action.md, reference vault-security.md O-1..O-9):
 * - The issuer, and through its discovery document the JWKS URL, come from the stored policy only,
 *   never from the token; the JWKS URL must share the issuer's origin.
 * - RS256 only. `none`, HS* (key confusion with the public key) and every other alg are refused
 *   before any key is looked up.
 * - `iss` and `aud` exact; `exp`/`nbf`/`iat` with at most 60 s leeway; `iat` no older than a bound
 *   (default 6 min); `jti` required.
 * - Policy claims compare as exact strings, one claim at a time: no globs, no string building.
 * - JWKS per issuer cached by jose (10 min; an unknown `kid` refetches at most once per 30 s).
 */



/** GitHub's public OIDC issuer: the default of every trust policy. */
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** The only signature algorithm accepted (GitHub signs with RS256). */
const ALLOWED_ALGORITHMS = ['RS256'];
const MAX_LEEWAY_SECONDS = 60;
const DEFAULT_MAX_TOKEN_AGE_SECONDS = 360;
/** Claims the verifier itself checks; a policy may not name them. */
const RESERVED_CLAIMS = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti']);
const CLAIM_NAME = /^[a-z0-9_]+$/;
const MAX_CLAIMS = 32;
const MAX_CLAIM_VALUE_LENGTH = 512;
const MAX_JWT_LENGTH = 16 * 1024;
// ---------------------------------------------------------------------------------------------
// Trust policies
/** True for loopback hosts, the only ones on which a plain-http issuer is accepted (tests, demos). */
function isLoopbackHost(hostname) {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host === '::1')
        return true;
    return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
/**
 * True for issuers that mint GitHub Actions tokens: github.com's issuer (and its enterprise
 * variants below it), GHE.com (`token.actions.<sub>.ghe.com`) and GHES (`https://HOST/_services/token`).
 */
function isGitHubStyleIssuer(issuer) {
    let url;
    try {
        url = new URL(issuer);
    }
    catch {
        return false;
    }
    const host = url.hostname.toLowerCase();
    if (host === 'token.actions.githubusercontent.com' || host.startsWith('token.actions.'))
        return true;
    return /\/_services\/token\/?$/.test(url.pathname);
}
/** Validates an issuer URL: https, or http on a loopback host only; no credentials, query or fragment. */
function checkIssuerUrl(issuer, fail) {
    let url;
    try {
        url = new URL(issuer);
    }
    catch {
        throw fail(`The OIDC issuer ${JSON.stringify(issuer.slice(0, 200))} is not a URL; give the issuer exactly as it appears in the tokens' "iss" claim, such as ${GITHUB_ISSUER}.`);
    }
    if (url.protocol === 'http:') {
        if (!isLoopbackHost(url.hostname)) {
            throw fail(`The OIDC issuer ${issuer} uses plain http; only https issuers are accepted (plain http is allowed on loopback addresses for tests only).`);
        }
    }
    else if (url.protocol !== 'https:') {
        throw fail(`The OIDC issuer ${issuer} must be an https URL.`);
    }
    if (url.username || url.password || url.search || url.hash) {
        throw fail(`The OIDC issuer ${url.origin}${url.pathname} must not carry credentials, a query or a fragment.`);
    }
    return url;
}
/**
 * Parses and validates a trust policy (`{issuer?, claims: {name: value}}`) as given to
 * `POST /v1/agents`. Throws AppError('invalid_input') with the fix on anything unsafe: an unknown
 * shape, an insecure issuer, a claim name outside `[a-z0-9_]+`, an empty or wildcard value, and,
 * for GitHub-style issuers, a policy that does not bind `repository_id`.
 */
function parseTrustPolicy(input) {
    const fail = (message) => new errors/* AppError */.uV('invalid_input', message);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw fail('The trust policy must be an object such as {"issuer": "https://token.actions.githubusercontent.com", "claims": {"repository_id": "123456"}}.');
    }
    const raw = input;
    for (const key of Object.keys(raw)) {
        if (key !== 'issuer' && key !== 'claims' && key !== 'scopes') {
            throw fail(`The trust policy has the unknown field ${JSON.stringify(key.slice(0, 40))}; it takes only "issuer", "claims" and "scopes".`);
        }
    }
    const issuerInput = raw.issuer === undefined || raw.issuer === null || raw.issuer === '' ? GITHUB_ISSUER : raw.issuer;
    if (typeof issuerInput !== 'string')
        throw fail(`The trust policy issuer must be a string URL, such as ${GITHUB_ISSUER}.`);
    const issuer = issuerInput.trim();
    checkIssuerUrl(issuer, fail);
    const claimsInput = raw.claims;
    if (typeof claimsInput !== 'object' || claimsInput === null || Array.isArray(claimsInput)) {
        throw fail('The trust policy needs "claims": an object of claim name to exact value, such as {"repository_id": "123456", "repository_owner_id": "654321"}.');
    }
    const entries = Object.entries(claimsInput);
    if (entries.length === 0) {
        throw fail('The trust policy binds no claims, so any workload the issuer serves could use it; bind at least the repository (for GitHub: --oidc-claim repository_id=<id>).');
    }
    if (entries.length > MAX_CLAIMS)
        throw fail(`The trust policy has ${entries.length} claims; the limit is ${MAX_CLAIMS}.`);
    const claims = {};
    for (const [name, value] of entries) {
        if (!CLAIM_NAME.test(name) || name.length > 64) {
            throw fail(`The trust policy claim name ${JSON.stringify(name.slice(0, 64))} is not valid; claim names are lower-case letters, digits and '_' (such as repository_id).`);
        }
        if (RESERVED_CLAIMS.has(name)) {
            throw fail(`The trust policy may not bind "${name}": the vault checks it itself (the issuer is the policy's "issuer", the audience is the vault's own, times and jti are always verified).`);
        }
        let text;
        if (typeof value === 'string')
            text = value;
        else if (typeof value === 'number' && Number.isSafeInteger(value))
            text = String(value);
        else if (typeof value === 'boolean')
            text = String(value);
        else
            throw fail(`The trust policy claim "${name}" must have a string value (claims are compared as exact strings).`);
        if (text === '' || text.trim() === '') {
            throw fail(`The trust policy claim "${name}" is empty; give the exact value the token must carry.`);
        }
        if (text.includes('*')) {
            throw fail(`The trust policy claim "${name}" contains '*'; wildcards are not allowed: every claim must match exactly (bind each claim separately, such as repository_id and ref).`);
        }
        if (text.length > MAX_CLAIM_VALUE_LENGTH)
            throw fail(`The trust policy claim "${name}" is longer than ${MAX_CLAIM_VALUE_LENGTH} characters.`);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
        if (/[\u0000-\u001f\u007f]/.test(text))
            throw fail(`The trust policy claim "${name}" contains a control character.`);
        claims[name] = text;
    }
    if (isGitHubStyleIssuer(issuer)) {
        if (claims.repository_id === undefined) {
            throw fail('A trust policy for GitHub Actions must bind repository_id (the numeric id, such as --oidc-claim repository_id=123456): ' +
                'repository and owner names can be deleted and re-registered by someone else, ids cannot. ' +
                'Find it with `gh api repos/OWNER/REPO --jq .id`; binding repository_owner_id as well is recommended.');
        }
        for (const idClaim of ['repository_id', 'repository_owner_id', 'actor_id', 'enterprise_id']) {
            const v = claims[idClaim];
            if (v !== undefined && !/^\d+$/.test(v)) {
                throw fail(`The trust policy claim "${idClaim}" must be GitHub's numeric id (digits only), not ${JSON.stringify(v.slice(0, 80))}; find it with \`gh api repos/OWNER/REPO --jq .id\` (or .owner.id).`);
            }
        }
    }
    let scopes;
    if (raw.scopes !== undefined) {
        if (!Array.isArray(raw.scopes) || raw.scopes.length === 0) {
            throw fail('The trust policy "scopes" must be a non-empty list, such as ["secrets:read:production/app/*"]; leave it out to allow the agent\'s scopes.');
        }
        scopes = (0,core_scopes/* formatScopes */.$u)((0,core_scopes/* parseScopes */.Fg)(raw.scopes));
    }
    return { issuer, claims, ...(scopes ? { scopes } : {}) };
}
function reject(message, reason, details = {}) {
    return new errors/* AppError */.uV('oidc_rejected', message, { details: { reason, ...details } });
}
function shown(value) {
    if (value === undefined)
        return '(missing)';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return JSON.stringify(text.length > 200 ? `${text.slice(0, 197)}...` : text);
}
function discoveryUrl(issuer) {
    return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}
/**
 * Creates a verifier with its own per-issuer JWKS cache. One verifier per server process: the
 * cache is what keeps the exchange fast and keeps an issuer outage from becoming ours.
 */
function createOidcVerifier(deps) {
    const { now, logger } = deps;
    const leeway = Math.min(Math.max(deps.leewaySeconds ?? MAX_LEEWAY_SECONDS, 0), MAX_LEEWAY_SECONDS);
    const maxAge = deps.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
    const cacheMaxAge = deps.jwksCacheMaxAgeMs ?? 10 * 60_000;
    const cooldown = deps.jwksCooldownMs ?? 30_000;
    const timeout = deps.fetchTimeoutMs ?? 5_000;
    const discoveryMaxAge = deps.discoveryMaxAgeMs ?? 60 * 60_000;
    // One in-flight or settled discovery per issuer: concurrent exchanges share a single fetch.
    const issuers = new Map();
    async function discover(issuer) {
        const url = discoveryUrl(issuer);
        let doc;
        try {
            const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeout), headers: { accept: 'application/json' } });
            if (!res.ok)
                throw new Error(`HTTP ${res.status}`);
            doc = await res.json();
        }
        catch (err) {
            throw reject(`Could not read the OIDC discovery document of the issuer ${issuer} (${url}): ${err instanceof Error ? err.message : String(err)}. Check the issuer URL in the agent's trust policy; the vault must be able to reach it.`, 'issuer_unreachable');
        }
        const d = (doc ?? {});
        if (d.issuer !== issuer) {
            throw reject(`The OIDC discovery document at ${url} names the issuer ${shown(d.issuer)}, not ${shown(issuer)}; the trust policy's issuer must be exactly the issuer's own.`, 'issuer_mismatch');
        }
        if (typeof d.jwks_uri !== 'string')
            throw reject(`The OIDC discovery document at ${url} has no jwks_uri.`, 'issuer_invalid');
        let jwksUrl;
        try {
            jwksUrl = new URL(d.jwks_uri);
        }
        catch {
            throw reject(`The OIDC discovery document at ${url} has an invalid jwks_uri.`, 'issuer_invalid');
        }
        // The keys must come from the issuer's own origin: a discovery document that points elsewhere
        // would let whoever controls that other host mint tokens for this issuer.
        if (jwksUrl.origin !== new URL(issuer).origin) {
            throw reject(`The OIDC discovery document of ${issuer} points its jwks_uri to another origin (${jwksUrl.origin}); refused.`, 'issuer_invalid');
        }
        logger.debug(`oidc: discovered ${issuer} → ${jwksUrl.href}`);
        return {
            jwks: (0,remote/* createRemoteJWKSet */.RD)(jwksUrl, { cacheMaxAge, cooldownDuration: cooldown, timeoutDuration: timeout }),
            jwksUri: jwksUrl.href,
        };
    }
    function keysFor(issuer) {
        const cached = issuers.get(issuer);
        // Re-discover after a while (the jwks_uri may move); the JWKS itself is refreshed by jose.
        if (cached && now() - cached.at <= discoveryMaxAge)
            return cached.keys;
        const entry = { keys: discover(issuer), at: now() };
        issuers.set(issuer, entry);
        entry.keys.catch(() => {
            if (issuers.get(issuer) === entry)
                issuers.delete(issuer); // never cache a failure
        });
        return entry.keys;
    }
    async function verify(jwt, policy, audience) {
        if (typeof jwt !== 'string' || jwt.length === 0)
            throw reject('No OIDC token was given.', 'malformed');
        if (jwt.length > MAX_JWT_LENGTH)
            throw reject(`The OIDC token is longer than ${MAX_JWT_LENGTH} characters.`, 'malformed');
        checkIssuerUrl(policy.issuer, (m) => reject(m, 'issuer_invalid'));
        let header;
        let unverified;
        try {
            header = (0,decode_protected_header/* decodeProtectedHeader */._)(jwt);
            unverified = (0,decode_jwt/* decodeJwt */.i)(jwt);
        }
        catch {
            throw reject('The OIDC token is not a well-formed JWT (three base64url parts with a JSON header and payload).', 'malformed');
        }
        if (header.alg !== 'RS256') {
            throw reject(`The OIDC token is signed with alg ${shown(header.alg)}; only RS256 is accepted.`, 'algorithm', {
                received: header.alg ?? null,
            });
        }
        // Checked before any key is fetched: a token from another issuer never causes a JWKS request.
        if (unverified.iss !== policy.issuer) {
            throw reject(`The OIDC token's issuer is ${shown(unverified.iss)}, but the agent trusts ${shown(policy.issuer)}.`, 'issuer', {
                claim: 'iss',
                expected: policy.issuer,
                received: unverified.iss ?? null,
            });
        }
        const keys = await keysFor(policy.issuer);
        let payload;
        try {
            const result = await (0,jwt_verify/* jwtVerify */.V)(jwt, keys.jwks, {
                algorithms: [...ALLOWED_ALGORITHMS],
                issuer: policy.issuer,
                audience,
                clockTolerance: leeway,
                currentDate: new Date(now()),
                maxTokenAge: maxAge,
                requiredClaims: ['exp', 'iat', 'jti'],
            });
            payload = result.payload;
        }
        catch (err) {
            throw translateJoseError(err, unverified, audience, header.kid);
        }
        // jose accepts an array `aud` containing ours; GitHub sends one string, and a token meant for
        // several relying parties is not one this vault should accept.
        const aud = payload.aud;
        if (!(aud === audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === audience))) {
            throw reject(`The OIDC token's audience is ${shown(aud)}, but this vault expects exactly ${shown(audience)}.`, 'audience', {
                claim: 'aud',
                expected: audience,
                received: aud ?? null,
            });
        }
        if (typeof payload.jti !== 'string' || payload.jti === '') {
            throw reject('The OIDC token has no "jti" claim; the vault needs it to refuse replays.', 'claim_missing', { claim: 'jti' });
        }
        for (const [name, expected] of Object.entries(policy.claims)) {
            const received = payload[name];
            if (received === undefined) {
                throw reject(`The OIDC token does not match the agent's trust policy: claim "${name}" is missing (expected ${shown(expected)}).`, 'claim_mismatch', { claim: name, expected, received: null });
            }
            if (typeof received !== 'string' || received !== expected) {
                throw reject(`The OIDC token does not match the agent's trust policy: claim "${name}" is ${shown(received)}, expected ${shown(expected)}.`, 'claim_mismatch', { claim: name, expected, received });
            }
        }
        return { issuer: policy.issuer, jti: payload.jti, exp: payload.exp, claims: { ...payload } };
    }
    return { verify };
}
function translateJoseError(err, unverified, audience, kid) {
    if (err instanceof errors/* AppError */.uV)
        return err;
    const E = util_errors;
    if (err instanceof E.JWTExpired) {
        if (err.claim === 'iat')
            return reject(`The OIDC token was issued too long ago (iat ${shown(unverified.iat)}); request a fresh token right before the exchange.`, 'too_old', { claim: 'iat' });
        return reject(`The OIDC token has expired (exp ${shown(unverified.exp)}); request a fresh token right before the exchange.`, 'expired', { claim: 'exp' });
    }
    if (err instanceof E.JWTClaimValidationFailed) {
        const claim = err.claim;
        if (err.reason === 'missing')
            return reject(`The OIDC token has no "${claim}" claim.`, 'claim_missing', { claim });
        if (claim === 'nbf')
            return reject(`The OIDC token is not valid yet (nbf ${shown(unverified.nbf)}); check the clocks of the vault and the issuer.`, 'not_yet_valid', { claim });
        if (claim === 'iat')
            return reject(`The OIDC token's issue time lies in the future (iat ${shown(unverified.iat)}); check the clocks of the vault and the issuer.`, 'not_yet_valid', { claim });
        if (claim === 'aud')
            return reject(`The OIDC token's audience is ${shown(unverified.aud)}, but this vault expects exactly ${shown(audience)}; request the token with that audience.`, 'audience', { claim, expected: audience, received: unverified.aud ?? null });
        if (claim === 'iss')
            return reject(`The OIDC token's issuer is ${shown(unverified.iss)}, which the agent does not trust.`, 'issuer', { claim });
        return reject(`The OIDC token failed the "${claim}" check.`, 'claim_invalid', { claim });
    }
    if (err instanceof E.JWSSignatureVerificationFailed) {
        return reject(`The OIDC token's signature does not verify with the issuer's key ${shown(kid)}; it was not signed by the trusted issuer.`, 'signature');
    }
    if (err instanceof E.JWKSNoMatchingKey || err instanceof E.JWKSMultipleMatchingKeys) {
        return reject(`The issuer's published keys contain no RS256 key with kid ${shown(kid)}; the token was not signed by the trusted issuer.`, 'unknown_key', { kid: kid ?? null });
    }
    if (err instanceof E.JOSEAlgNotAllowed || err instanceof E.JOSENotSupported) {
        return reject('The OIDC token uses an algorithm or key type the vault does not accept; only RS256 is accepted.', 'algorithm');
    }
    if (err instanceof E.JWKSTimeout || err instanceof E.JWKSInvalid || (err instanceof Error && err.name === 'TypeError')) {
        return reject(`Could not read the issuer's signing keys (${err instanceof Error ? err.message : String(err)}); try again shortly.`, 'issuer_unreachable');
    }
    if (err instanceof E.JWTInvalid || err instanceof E.JWSInvalid) {
        return reject(`The OIDC token is malformed: ${err.message}.`, 'malformed');
    }
    return reject(`The OIDC token could not be verified (${err instanceof Error ? err.name : 'error'}).`, 'invalid');
}

// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
// EXTERNAL MODULE: ./src/core/paths.ts
var core_paths = __webpack_require__(6107);
;// CONCATENATED MODULE: ./src/server/context.ts
function actorOf(p) {
    if (!p)
        return { actorType: 'anonymous', actorId: null, actorName: null, agent: null, tokenId: null, claims: null };
    switch (p.kind) {
        case 'user':
            return { actorType: 'user', actorId: p.id, actorName: p.name, agent: null, tokenId: null, claims: null };
        case 'agent':
            return { actorType: 'agent', actorId: p.agent.id, actorName: p.agent.name, agent: p.agent.name, tokenId: null, claims: null };
        case 'token':
            return {
                actorType: p.token.kind === 'pipeline' ? 'pipeline' : 'token',
                actorId: p.agent.id,
                actorName: p.agent.name,
                agent: p.agent.name,
                tokenId: p.token.id,
                claims: p.token.claims,
            };
    }
}

;// CONCATENATED MODULE: ./src/server/services/guards.ts


function principal(ctx) {
    if (!ctx.principal)
        throw new errors/* AppError */.uV('unauthenticated', 'No credential was sent: set the Authorization header to "Bearer <token>".');
    return ctx.principal;
}
/** Only human users with one of `roles` pass. */
function requireRole(ctx, roles, what) {
    const p = principal(ctx);
    if (p.kind !== 'user') {
        throw new errors/* AppError */.uV('denied', `Only a human user with the ${roles.join(' or ')} role can ${what}; this request used ${p.kind === 'agent' ? 'an agent key' : 'a scoped token'}.`);
    }
    if (!roles.includes(p.role)) {
        throw new errors/* AppError */.uV('denied', `The ${p.role} role cannot ${what}; it needs ${roles.join(' or ')}.`);
    }
    return p;
}
function requireAgentKey(ctx, what) {
    const p = principal(ctx);
    if (p.kind !== 'agent') {
        throw new errors/* AppError */.uV('denied', `Only an agent key can ${what}: set ASS_AGENT_KEY (the key printed by ass agents create).`);
    }
    return p;
}
/** Roles that may use secret values, and those that may see metadata. */
const VALUE_ROLES = ['admin', 'editor'];
const METADATA_ROLES = ['admin', 'editor', 'viewer'];
/** Whether the caller may `verb` the path; throws a 403 that names the missing scope. */
function authorizeSecret(ctx, verb, path) {
    const p = principal(ctx);
    if (p.kind === 'user') {
        const roles = verb === 'list' ? METADATA_ROLES : VALUE_ROLES;
        if (!roles.includes(p.role)) {
            throw new errors/* AppError */.uV('denied', `The ${p.role} role cannot ${verb} secrets${verb === 'read' ? ' (it never sees values)' : ''}; ask an admin or editor.`);
        }
        return;
    }
    if (p.kind === 'agent') {
        throw new errors/* AppError */.uV('denied', 'An agent key cannot use secrets directly: issue a scoped token first (ass tokens issue), or let the CLI do it for you.');
    }
    const scopes = (0,core_scopes/* parseScopes */.Fg)(p.token.scopes);
    if (!(0,core_scopes/* scopesAllow */.TH)(scopes, verb, path)) {
        throw new errors/* AppError */.uV('scope_missing', `Token ${p.token.id} lacks the scope ${(0,core_scopes/* missingScopeHint */.SI)(verb, path)}; its scopes are ${p.token.scopes.join(', ')}. Issue a token whose scopes cover this path.`, {
            details: { missingScope: (0,core_scopes/* missingScopeHint */.SI)(verb, path) },
        });
    }
}

;// CONCATENATED MODULE: ./src/server/services/audit-log.ts






const AUDIT_ROLES = ['admin', 'auditor'];
/** Writes the request's audit record(s). Throws if the store cannot append: the caller fails closed. */
async function writeAudit(deps, ctx) {
    const seal = deps.audit.sealer;
    const actor = actorOf(ctx.principal);
    const write = (d) => deps.store.appendAudit({
        time: deps.now(),
        requestId: ctx.requestId,
        event: d.event,
        status: d.status,
        ...actor,
        path: d.path,
        tier: d.tier,
        reason: d.reason,
        ip: ctx.ip,
        claims: d.claims ?? actor.claims,
    }, seal);
    // Appended together so that they land in one group commit, in this order.
    await Promise.all([ctx.audit, ...ctx.extraAudit].map(write));
}
function auditView(r) {
    return {
        seq: r.seq,
        time: new Date(r.time).toISOString(),
        requestId: r.requestId,
        event: r.event,
        status: r.status,
        actorType: r.actorType,
        actorId: r.actorId,
        actorName: r.actorName,
        agent: r.agent,
        tokenId: r.tokenId,
        path: r.path,
        tier: r.tier,
        reason: r.reason,
        ip: r.ip,
        claims: r.claims,
        prevHash: r.prevHash,
        hash: r.hash,
    };
}
const STATUSES = ['granted', 'denied', 'error'];
function parseAuditQuery(q, now) {
    const out = {};
    if (q.limit !== undefined) {
        if (!/^\d{1,6}$/.test(q.limit) || Number(q.limit) < 1)
            throw new errors/* AppError */.uV('invalid_input', 'limit must be a whole number from 1 to 100000.');
        out.limit = Math.min(Number(q.limit), 100_000);
    }
    if (q.afterSeq !== undefined) {
        if (!/^\d{1,15}$/.test(q.afterSeq))
            throw new errors/* AppError */.uV('invalid_input', 'afterSeq must be a whole number (a sequence number from an earlier page).');
        out.afterSeq = Number(q.afterSeq);
    }
    if (q.since !== undefined) {
        const iso = Date.parse(q.since);
        if (/^\d{4}-\d{2}-\d{2}/.test(q.since) && !Number.isNaN(iso))
            out.since = iso;
        else
            out.since = now - (0,duration/* parseDuration */.E)(q.since, 'since') * 1000;
    }
    if (q.eventType)
        out.eventTypes = q.eventType
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
    if (q.status !== undefined) {
        if (!STATUSES.includes(q.status))
            throw new errors/* AppError */.uV('invalid_input', `status must be one of ${STATUSES.join(', ')}.`);
        out.status = q.status;
    }
    if (q.resourcePath)
        out.resourcePath = (0,core_paths/* parsePathPrefix */.TO)(q.resourcePath, 'resourcePath');
    return out;
}
async function queryAudit(deps, ctx, q) {
    requireRole(ctx, AUDIT_ROLES, 'read the audit log');
    const query = parseAuditQuery(q, deps.now());
    // With afterSeq (tailing), read forwards; otherwise newest first.
    const rows = await deps.store.queryAudit({ ...query, limit: query.limit ?? 100, newestFirst: query.afterSeq === undefined });
    const nextSeq = rows.reduce((m, r) => Math.max(m, r.seq), query.afterSeq ?? 0);
    return { events: rows.map(auditView), nextSeq };
}
/**
 * Signs a checkpoint of the current head, after checking that the head is authentic and is the
 * last record: the vault never vouches for a log that was truncated or rewritten behind its back.
 */
async function checkpoint(deps) {
    const head = await deps.store.getAuditHead();
    // The record the head names (not the newest one: other requests may be appending meanwhile).
    const at = head && head.seq > 0 ? (await deps.store.queryAudit({ afterSeq: head.seq - 1, upToSeq: head.seq, newestFirst: false }))[0] : undefined;
    try {
        (0,audit/* checkHead */.Xj)(deps.audit.keys.headKey, head, at ? { seq: at.seq, hash: at.hash } : undefined);
    }
    catch (err) {
        deps.logger.error(`audit checkpoint refused: ${err instanceof Error ? err.message : String(err)}`);
        throw new errors/* AppError */.uV('audit_unavailable', 'The audit log does not match its authenticated head, so no checkpoint is signed; run ass audit verify and restore the log from a backup.');
    }
    return (0,audit/* signCheckpoint */.Ch)({ origin: deps.settings.origin, seq: head?.seq ?? 0, hash: head?.hash ?? '0'.repeat(64), time: new Date(deps.now()).toISOString() }, deps.audit.keys.signing);
}
async function verifyAudit(deps, ctx) {
    requireRole(ctx, AUDIT_ROLES, 'verify the audit log');
    const head = await deps.store.getAuditHead();
    const verifier = new audit/* ChainVerifier */.O6({ head, headKey: deps.audit.keys.headKey });
    // Page through the log in order, up to the head read above (requests may append meanwhile),
    // so memory stays bounded however long the log is.
    const PAGE = 5000;
    const upToSeq = head?.seq ?? 0;
    for (let after = 0;;) {
        const page = await deps.store.queryAudit({ afterSeq: after, upToSeq, limit: PAGE, newestFirst: false });
        for (const r of page)
            verifier.push(r);
        if (page.length < PAGE)
            break;
        after = page.at(-1).seq;
    }
    const result = verifier.finish();
    // Records beyond the head are fine if the head has moved on to cover them (concurrent
    // appends); records beyond the current head were added outside the server.
    const tail = await deps.store.getAuditTail();
    const now = await deps.store.getAuditHead();
    if (tail && now && tail.seq > now.seq) {
        result.problems.push({
            seq: tail.seq,
            kind: 'head_mismatch',
            message: `Records after the authenticated head (${now.seq}) up to ${tail.seq} were added outside the server.`,
        });
        result.ok = false;
    }
    ctx.audit.reason = result.ok ? `chain intact, ${result.count} records` : `chain broken: ${result.problems.length} problem(s)`;
    return result;
}
async function getCheckpoint(deps, ctx) {
    requireRole(ctx, AUDIT_ROLES, 'read audit checkpoints');
    return checkpoint(deps);
}
const CSV_COLUMNS = [
    'seq',
    'time',
    'requestId',
    'event',
    'status',
    'actorType',
    'actorId',
    'actorName',
    'agent',
    'tokenId',
    'path',
    'tier',
    'reason',
    'ip',
    'claims',
    'prevHash',
    'hash',
];
function csvCell(v) {
    let s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    // Cells that a spreadsheet would treat as formulas are prefixed (CSV injection).
    if (/^[=+\-@\t\r]/.test(s))
        s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
async function exportAudit(deps, ctx, q) {
    requireRole(ctx, AUDIT_ROLES, 'export the audit log');
    const format = q.format ?? 'json';
    if (format !== 'json' && format !== 'csv')
        throw new errors/* AppError */.uV('invalid_input', 'format must be json or csv.');
    const { format: _f, ...rest } = q;
    const query = parseAuditQuery(rest, deps.now());
    const rows = (await deps.store.queryAudit({ ...query, newestFirst: false })).map(auditView);
    if (format === 'json') {
        // A log that fails its head check is still exported (the records are the evidence), but
        // without a signature vouching for it.
        let cp = null;
        try {
            cp = await checkpoint(deps);
        }
        catch (err) {
            if (!(err instanceof errors/* AppError */.uV && err.code === 'audit_unavailable'))
                throw err;
        }
        return {
            kind: 'json',
            body: {
                version: 1,
                events: rows,
                checkpoint: cp,
                ...(cp ? {} : { warning: 'The log does not match its authenticated head; no checkpoint was signed. Run ass audit verify.' }),
            },
        };
    }
    const lines = [CSV_COLUMNS.join(',')];
    for (const r of rows)
        lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
    return { kind: 'csv', body: `${lines.join('\r\n')}\r\n` };
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
// EXTERNAL MODULE: ./src/core/model.ts
var model = __webpack_require__(4146);
;// CONCATENATED MODULE: ./src/server/validate.ts

/**
 * Validates a request body (or query) with zod and turns the first problem into a message that
 * names the field and what it should be. Values are never echoed back.
 */
function parseBody(schema, body, where = 'request body') {
    const res = schema.safeParse(body ?? {});
    if (res.success)
        return res.data;
    const issue = res.error.issues[0];
    if (!issue)
        throw new errors/* AppError */.uV('invalid_input', `The ${where} is not valid.`);
    const field = issue.path.length ? issue.path.join('.') : undefined;
    let message;
    if (issue.code === 'unrecognized_keys') {
        message = `The ${where} has unknown field(s) ${issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; remove them (field names are camelCase).`;
    }
    else if (field && valueAt(body, issue.path) === undefined) {
        message = `The ${where} is missing the field ${field}.`;
    }
    else {
        message = `The field ${field ?? '(body)'} in the ${where} is not valid: ${issue.message}.`;
    }
    throw new errors/* AppError */.uV('invalid_input', message, field ? { details: { field } } : {});
}
function valueAt(body, path) {
    let cur = body;
    for (const key of path) {
        if (cur === null || typeof cur !== 'object')
            return undefined;
        cur = cur[key];
    }
    return cur;
}

;// CONCATENATED MODULE: ./src/server/services/deps.ts
/** Size limits for stored values and free text. */
const LIMITS = {
    valueBytes: 64 * 1024,
    description: 512,
    name: 64,
    scopes: 64,
    allowedIps: 64,
    batch: 500,
    maxUses: 1_000_000,
};

;// CONCATENATED MODULE: ./src/server/services/identities.ts








const NAME = schemas/* string */.YjP()
    .min(1)
    .max(LIMITS.name)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit');
const agentSchema = schemas/* strictObject */.rej({
    name: NAME,
    scopes: schemas/* array */.YOg(schemas/* string */.YjP()).min(1, 'give at least one scope').max(LIMITS.scopes),
    description: schemas/* string */.YjP().max(LIMITS.description).optional(),
    trustPolicy: schemas/* unknown */.L5J().optional(),
});
const userSchema = schemas/* strictObject */.rej({
    name: NAME,
    role: schemas/* enum */.k5n(model/* ROLES */.gg, { error: `role must be one of ${model/* ROLES */.gg.join(', ')}` }),
});
function agentView(a) {
    return {
        id: a.id,
        name: a.name,
        scopes: a.scopes,
        description: a.description,
        trustPolicy: a.trustPolicy,
        createdAt: new Date(a.createdAt).toISOString(),
        revokedAt: a.revokedAt === null ? null : new Date(a.revokedAt).toISOString(),
    };
}
async function createAgent(deps, ctx, body) {
    requireRole(ctx, ['admin'], 'create agents');
    const input = parseBody(agentSchema, body);
    const scopes = (0,core_scopes/* formatScopes */.$u)((0,core_scopes/* parseScopes */.Fg)(input.scopes));
    let trustPolicy = null;
    if (input.trustPolicy !== undefined) {
        if (!deps.parseTrustPolicy)
            throw new errors/* AppError */.uV('invalid_input', 'This server does not support OIDC trust policies.');
        trustPolicy = deps.parseTrustPolicy(input.trustPolicy);
    }
    if (await deps.store.getAgentByName(input.name)) {
        throw new errors/* AppError */.uV('conflict', `An agent named ${input.name} already exists; pick another name or revoke the old one first (one agent per service).`);
    }
    const key = generateCredential('agent');
    const row = {
        id: newId(),
        name: input.name,
        scopes,
        description: input.description ?? null,
        trustPolicy,
        keyId: key.id,
        keyHash: key.hash,
        createdAt: deps.now(),
        revokedAt: null,
    };
    await deps.store.createAgent(row);
    ctx.audit.reason = `agent ${row.name} created with scopes ${scopes.join(' ')}`;
    return { ...agentView(row), agentKey: key.secret };
}
async function listAgents(deps, ctx) {
    requireRole(ctx, ['admin'], 'list agents');
    return { agents: (await deps.store.listAgents()).map(agentView) };
}
async function revokeAgent(deps, ctx, name) {
    requireRole(ctx, ['admin'], 'revoke agents');
    const agent = await deps.store.getAgentByName(name);
    if (!agent)
        throw new errors/* AppError */.uV('not_found', `No agent named ${JSON.stringify(name.slice(0, 64))}; see ass agents list.`);
    const { tokensRevoked } = await deps.store.revokeAgent(agent.id, deps.now());
    ctx.audit.reason = `agent ${agent.name} revoked with ${tokensRevoked} live token(s)`;
    return { name: agent.name, revoked: true, tokensRevoked };
}
async function createUser(deps, ctx, body) {
    requireRole(ctx, ['admin'], 'create users');
    const input = parseBody(userSchema, body);
    if ((await deps.store.listUsers()).some((u) => u.name === input.name)) {
        throw new errors/* AppError */.uV('conflict', `A user named ${input.name} already exists; every person gets their own account.`);
    }
    const cred = generateCredential('user');
    const now = deps.now();
    await deps.store.createUser({ id: cred.id, name: input.name, role: input.role, tokenHash: cred.hash, createdAt: now, revokedAt: null });
    ctx.audit.reason = `user ${input.name} created with role ${input.role}`;
    return { id: cred.id, name: input.name, role: input.role, token: cred.secret, createdAt: new Date(now).toISOString() };
}
async function revokeUser(deps, ctx, name) {
    requireRole(ctx, ['admin'], 'revoke users');
    const users = await deps.store.listUsers();
    const user = users.find((u) => u.name === name);
    if (!user)
        throw new errors/* AppError */.uV('not_found', `No user named ${JSON.stringify(name.slice(0, 64))}; see ass users list.`);
    const result = await deps.store.revokeUser(user.id, deps.now());
    if (result === 'last_admin') {
        throw new errors/* AppError */.uV('conflict', `${user.name} is the last active admin; create another admin (ass users create --role admin) before revoking this one.`);
    }
    ctx.audit.reason = `user ${user.name} (${user.role}) revoked`;
    return { name: user.name, revoked: true };
}
async function listUsers(deps, ctx) {
    requireRole(ctx, ['admin'], 'list users');
    const users = await deps.store.listUsers();
    return {
        users: users.map((u) => ({
            id: u.id,
            name: u.name,
            role: u.role,
            createdAt: new Date(u.createdAt).toISOString(),
            revoked: u.revokedAt !== null,
        })),
    };
}

;// CONCATENATED MODULE: ./src/server/services/secrets.ts








const putSchema = schemas/* strictObject */.rej({
    value: schemas/* string */.YjP({ error: 'value must be a string' }).min(1, 'value is empty: a secret needs a value'),
    type: schemas/* enum */.k5n(model/* SECRET_TYPES */.J1).optional(),
    tier: schemas/* enum */.k5n(model/* TIERS */.iB).optional(),
    description: schemas/* string */.YjP().max(LIMITS.description).optional(),
    expectedVersion: schemas/* number */.aig().int().min(0).optional(),
});
const batchSchema = schemas/* strictObject */.rej({
    paths: schemas/* array */.YOg(schemas/* string */.YjP()).max(LIMITS.batch).optional(),
    prefixes: schemas/* array */.YOg(schemas/* string */.YjP()).max(LIMITS.batch).optional(),
});
/**
 * Spends one use of a scoped token per unit of work, before the work (and before the scope
 * check, so a probing request burns a use too). Users and agent keys have no use counter.
 */
async function spendUses(deps, ctx, n) {
    const p = principal(ctx);
    if (p.kind !== 'token')
        return;
    const res = await deps.store.spendToken(p.token.id, n, deps.now());
    if (res.ok)
        return;
    switch (res.reason) {
        case 'exhausted':
            throw new errors/* AppError */.uV('token_exhausted', `Token ${p.token.id} has no uses left (max uses ${p.token.maxUses ?? 'unlimited'}${n > 1 ? `, this request needs ${n}` : ''}); issue a new token.`);
        case 'expired':
            throw new errors/* AppError */.uV('token_expired', `Token ${p.token.id} has expired; issue a new one.`);
        default:
            throw new errors/* AppError */.uV('token_revoked', `Token ${p.token.id} was revoked; issue a new one.`);
    }
}
function actorLabel(ctx) {
    const p = principal(ctx);
    if (p.kind === 'user')
        return `user:${p.name}`;
    if (p.kind === 'agent')
        return `agent:${p.agent.name}`;
    return `${p.token.kind === 'pipeline' ? 'pipeline' : 'token'}:${p.token.id}`;
}
function notFound(path) {
    return new errors/* AppError */.uV('not_found', `No secret at ${path}. Check the path (paths are case-sensitive), or list what exists with ass secrets list.`);
}
async function putSecret(deps, ctx, rawPath, body) {
    const path = (0,core_paths/* parseSecretPath */.TK)(rawPath);
    ctx.audit.path = path;
    const input = parseBody(putSchema, body);
    await spendUses(deps, ctx, 1);
    authorizeSecret(ctx, 'write', path);
    const bytes = Buffer.byteLength(input.value, 'utf8');
    if (bytes > LIMITS.valueBytes) {
        throw new errors/* AppError */.uV('payload_too_large', `The value is ${bytes} bytes; the limit is ${LIMITS.valueBytes}. Store large files elsewhere and keep their key here.`);
    }
    const current = await deps.store.getSecret(path);
    const currentVersion = current?.version ?? 0;
    if (input.expectedVersion !== undefined && input.expectedVersion !== currentVersion) {
        throw new errors/* AppError */.uV('conflict', input.expectedVersion === 0
            ? `A secret already exists at ${path} (version ${currentVersion}); drop --expected-version 0 to write a new version.`
            : `The secret at ${path} is at version ${currentVersion}, not ${input.expectedVersion}: someone else wrote it. Read it again and retry.`);
    }
    const type = input.type ?? current?.type ?? 'other';
    const tier = input.tier ?? current?.tier ?? 'standard';
    ctx.audit.tier = tier;
    const version = currentVersion + 1;
    const now = deps.now();
    const ciphertext = deps.keyring.seal(Buffer.from(input.value, 'utf8'), path, version);
    const res = await deps.store.putSecretVersion({ path, version, type, tier, ciphertext, createdAt: now, createdBy: actorLabel(ctx), deletedAt: null }, input.description ?? current?.description ?? null);
    if (res === 'conflict') {
        throw new errors/* AppError */.uV('conflict', `The secret at ${path} was written by another request at the same time; read it again and retry.`);
    }
    return { path, version, type, tier, createdAt: new Date(now).toISOString() };
}
async function loadValue(deps, path, version) {
    const secret = await deps.store.getSecret(path);
    if (!secret || (secret.deletedAt !== null && version === undefined))
        throw notFound(path);
    const v = version ?? secret.version;
    const row = await deps.store.getSecretVersion(path, v);
    if (!row)
        throw new errors/* AppError */.uV('not_found', `The secret at ${path} has no version ${v}; its latest version is ${secret.version}.`);
    if (row.deletedAt !== null)
        throw new errors/* AppError */.uV('not_found', `Version ${v} of ${path} was deleted.`);
    const value = deps.keyring.open(row.ciphertext, path, v).toString('utf8');
    return { path, version: v, value, type: row.type, tier: row.tier, createdAt: new Date(row.createdAt).toISOString() };
}
async function getSecret(deps, ctx, rawPath, rawVersion) {
    const path = (0,core_paths/* parseSecretPath */.TK)(rawPath);
    ctx.audit.path = path;
    let version;
    if (rawVersion !== undefined) {
        if (!/^[1-9]\d{0,8}$/.test(rawVersion))
            throw new errors/* AppError */.uV('invalid_input', 'version must be a positive whole number, such as ?version=3.');
        version = Number(rawVersion);
    }
    await spendUses(deps, ctx, 1);
    authorizeSecret(ctx, 'read', path);
    const secret = await loadValue(deps, path, version);
    ctx.audit.tier = secret.tier;
    return secret;
}
async function deleteSecret(deps, ctx, rawPath) {
    const path = (0,core_paths/* parseSecretPath */.TK)(rawPath);
    ctx.audit.path = path;
    await spendUses(deps, ctx, 1);
    authorizeSecret(ctx, 'write', path);
    const secret = await deps.store.getSecret(path);
    if (!secret || secret.deletedAt !== null)
        throw notFound(path);
    ctx.audit.tier = secret.tier;
    await deps.store.softDeleteSecret(path, deps.now());
    return { path, deleted: true, version: secret.version };
}
/**
 * Reads many secrets in one request: all or nothing. Each path and each prefix counts as one use
 * of a scoped token. A prefix needs read access to everything below it, so listing the names
 * below it reveals nothing the caller could not read anyway. One audit record is written per
 * secret released.
 */
async function batchRead(deps, ctx, body) {
    const input = parseBody(batchSchema, body);
    const paths = (input.paths ?? []).map((p, i) => (0,core_paths/* parseSecretPath */.TK)(p, `paths[${i}]`));
    const prefixes = (input.prefixes ?? []).map((p, i) => (0,core_paths/* parsePathPrefix */.TO)(p, `prefixes[${i}]`));
    if (paths.length + prefixes.length === 0) {
        throw new errors/* AppError */.uV('invalid_input', 'Give at least one entry in paths or prefixes.');
    }
    ctx.audit.path = paths[0] ?? prefixes[0] ?? null;
    await spendUses(deps, ctx, paths.length + prefixes.length);
    for (const path of paths)
        authorizeSecret(ctx, 'read', path);
    const p = principal(ctx);
    for (const prefix of prefixes) {
        if (p.kind === 'token') {
            const wanted = { verb: 'read', segments: prefix === '' ? ['*'] : [...prefix.split('/'), '*'] };
            const scopes = (0,core_scopes/* parseScopes */.Fg)(p.token.scopes);
            if (!scopes.some((s) => (0,core_scopes/* scopeWithin */.IL)(wanted, s))) {
                const needed = `secrets:read:${prefix === '' ? '*' : `${prefix}/*`}`;
                ctx.audit.path = prefix || null;
                throw new errors/* AppError */.uV('scope_missing', `Token ${p.token.id} lacks the scope ${needed}, which reading every secret below ${prefix || 'the root'} needs; its scopes are ${p.token.scopes.join(', ')}.`, {
                    details: { missingScope: needed },
                });
            }
        }
        else {
            // Users and agent keys: the role (or the refusal for agent keys) does not depend on the path.
            authorizeSecret(ctx, 'read', prefix || 'root');
        }
    }
    const wanted = new Set(paths);
    for (const prefix of prefixes) {
        for (const s of await deps.store.listSecrets(prefix, false)) {
            if (s.path !== prefix)
                wanted.add(s.path);
        }
    }
    if (wanted.size > LIMITS.batch) {
        throw new errors/* AppError */.uV('invalid_input', `The request would read ${wanted.size} secrets; the limit is ${LIMITS.batch} per request.`);
    }
    const secrets = [];
    for (const path of wanted) {
        ctx.audit.path = path;
        const s = await loadValue(deps, path);
        secrets.push({ path: s.path, version: s.version, value: s.value, type: s.type, tier: s.tier });
    }
    ctx.audit.path = null;
    ctx.audit.event = 'secret.batch_read';
    for (const s of secrets) {
        ctx.extraAudit.push({ event: 'secret.read', status: 'granted', path: s.path, tier: s.tier, reason: 'batch read' });
    }
    return { secrets };
}
function metaOf(s) {
    return {
        path: s.path,
        version: s.version,
        type: s.type,
        tier: s.tier,
        description: s.description,
        createdAt: new Date(s.createdAt).toISOString(),
        updatedAt: new Date(s.updatedAt).toISOString(),
        deleted: s.deletedAt !== null,
    };
}
async function listMetadata(deps, ctx, rawPrefix, includeDeleted) {
    const prefix = (0,core_paths/* parsePathPrefix */.TO)(rawPrefix);
    ctx.audit.path = prefix || null;
    const p = principal(ctx);
    await spendUses(deps, ctx, 1);
    if (p.kind === 'user')
        requireRole(ctx, METADATA_ROLES, 'list secrets');
    else if (p.kind === 'agent')
        authorizeSecret(ctx, 'list', prefix || 'root');
    const rows = await deps.store.listSecrets(prefix, includeDeleted);
    let visible = rows;
    if (p.kind === 'token') {
        const scopes = (0,core_scopes/* parseScopes */.Fg)(p.token.scopes);
        if (!scopes.some((s) => s.verb === 'list' || s.verb === '*'))
            authorizeSecret(ctx, 'list', prefix || 'root');
        visible = rows.filter((r) => (0,core_scopes/* scopesAllow */.TH)(scopes, 'list', r.path));
    }
    return { secrets: visible.filter((r) => (0,core_paths/* isUnderPrefix */.Re)(r.path, prefix)).map(metaOf) };
}
async function getMetadata(deps, ctx, rawPath) {
    const path = (0,core_paths/* parseSecretPath */.TK)(rawPath);
    ctx.audit.path = path;
    await spendUses(deps, ctx, 1);
    const p = principal(ctx);
    if (p.kind === 'user')
        requireRole(ctx, METADATA_ROLES, 'read secret metadata');
    else
        authorizeSecret(ctx, 'list', path);
    const secret = await deps.store.getSecret(path);
    if (!secret)
        throw notFound(path);
    ctx.audit.tier = secret.tier;
    const versions = await deps.store.listVersions(path);
    return {
        ...metaOf(secret),
        versions: versions.map((v) => ({
            version: v.version,
            type: v.type,
            tier: v.tier,
            createdAt: new Date(v.createdAt).toISOString(),
            createdBy: v.createdBy,
            deletedAt: v.deletedAt === null ? null : new Date(v.deletedAt).toISOString(),
        })),
    };
}

;// CONCATENATED MODULE: ./src/server/services/tokens.ts










const issueSchema = schemas/* strictObject */.rej({
    scopes: schemas/* array */.YOg(schemas/* string */.YjP()).min(1, 'give at least one scope').max(LIMITS.scopes),
    ttl: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]),
    maxUses: schemas/* number */.aig().int().min(1).max(LIMITS.maxUses).optional(),
    allowedIps: schemas/* array */.YOg(schemas/* string */.YjP()).max(LIMITS.allowedIps).optional(),
    description: schemas/* string */.YjP().max(LIMITS.description).optional(),
});
/** A token as listings show it: never the credential or its hash. */
function tokenView(t, agent, now) {
    const active = t.revokedAt === null && t.expiresAt > now && (t.maxUses === null || t.uses < t.maxUses);
    return {
        id: t.id,
        kind: t.kind,
        agent: agent?.name ?? null,
        scopes: t.scopes,
        createdAt: new Date(t.createdAt).toISOString(),
        expiresAt: new Date(t.expiresAt).toISOString(),
        maxUses: t.maxUses,
        uses: t.uses,
        allowedIps: t.allowedIps,
        description: t.description,
        revokedAt: t.revokedAt === null ? null : new Date(t.revokedAt).toISOString(),
        active,
        ...(t.claims ? { claims: t.claims } : {}),
    };
}
/** Checks a TTL against a maximum, with a message that says what to do. */
function checkTtl(raw, maxSeconds, what) {
    const ttl = (0,duration/* parseDuration */.E)(raw, `${what} TTL`);
    if (ttl > maxSeconds) {
        throw new errors/* AppError */.uV('invalid_input', `The ${what} TTL ${(0,duration/* formatDuration */.a)(ttl)} exceeds this vault's maximum of ${(0,duration/* formatDuration */.a)(maxSeconds)}; ask for a shorter TTL and refresh before it expires.`);
    }
    return ttl;
}
/** An agent issues itself a short-lived token whose scopes lie within its own. */
async function issueToken(deps, ctx, body) {
    const p = requireAgentKey(ctx, 'issue tokens');
    if (p.agent.trustPolicy) {
        // An agent bound to a CI trust policy gets tokens only with both factors: its key alone, if
        // stolen, must not be enough.
        throw new errors/* AppError */.uV('denied', `The agent "${p.agent.name}" is bound to a CI OIDC trust policy, so it gets tokens only through the exchange (agent key plus the job's OIDC token: ass tokens exchange, or the fetch action). For tokens from the key alone, create a separate agent without --oidc-issuer.`);
    }
    const input = parseBody(issueSchema, body);
    const scopes = (0,core_scopes/* parseScopes */.Fg)(input.scopes);
    const outside = (0,core_scopes/* scopesOutside */.nS)(scopes, (0,core_scopes/* parseScopes */.Fg)(p.agent.scopes));
    if (outside.length > 0) {
        throw new errors/* AppError */.uV('denied', `The agent "${p.agent.name}" may not grant ${(0,core_scopes/* formatScopes */.$u)(outside).join(', ')}: a token's scopes must lie within the agent's (${p.agent.scopes.join(', ')}).`);
    }
    const ttl = checkTtl(input.ttl, deps.settings.maxTokenTtlSeconds, 'token');
    const allowedIps = (input.allowedIps ?? []).map((c) => (0,cidr/* parseCidr */.GN)(c).text);
    const now = deps.now();
    const { secret, row } = await mintToken(deps, {
        kind: 'agent',
        agent: p.agent,
        scopes: (0,core_scopes/* formatScopes */.$u)(scopes),
        now,
        ttlSeconds: ttl,
        maxUses: input.maxUses ?? null,
        allowedIps,
        description: input.description ?? null,
        claims: null,
    });
    ctx.audit.reason = `token ${row.id} issued, scopes ${row.scopes.join(' ')}, ttl ${(0,duration/* formatDuration */.a)(ttl)}`;
    return { token: secret, ...tokenView(row, p.agent, now) };
}
/** Creates and stores a new token; returns the credential (shown once) and its row. */
async function mintToken(deps, t) {
    const cred = generateCredential(t.kind === 'pipeline' ? 'pipeline' : 'token');
    const row = {
        id: cred.id,
        kind: t.kind,
        agentId: t.agent.id,
        hash: cred.hash,
        scopes: t.scopes,
        createdAt: t.now,
        expiresAt: t.now + t.ttlSeconds * 1000,
        maxUses: t.maxUses,
        uses: 0,
        allowedIps: t.allowedIps,
        description: t.description,
        claims: t.claims,
        revokedAt: null,
    };
    await deps.store.createToken(row);
    return { secret: cred.secret, row };
}
async function listTokens(deps, ctx, query) {
    requireRole(ctx, ['admin'], 'list tokens');
    const now = deps.now();
    let agentId;
    if (query.agent) {
        const agent = await deps.store.getAgentByName(query.agent);
        if (!agent)
            throw new errors/* AppError */.uV('not_found', `No agent named ${JSON.stringify(query.agent.slice(0, 64))}; see ass agents list.`);
        agentId = agent.id;
    }
    const path = query.path ? (0,core_paths/* parseSecretPath */.TK)(query.path, 'path filter') : undefined;
    ctx.audit.path = path ?? null;
    const rows = await deps.store.listTokens({ agentId, activeAt: query.all === 'true' ? undefined : now });
    const agents = new Map((await deps.store.listAgents()).map((a) => [a.id, a]));
    const filtered = path ? rows.filter((t) => (0,core_scopes/* scopesCoverPath */.i2)((0,core_scopes/* parseScopes */.Fg)(t.scopes), path)) : rows;
    return { tokens: filtered.map((t) => tokenView(t, agents.get(t.agentId), now)) };
}
async function tokenSelf(deps, ctx) {
    const p = principal(ctx);
    if (p.kind !== 'token')
        throw new errors/* AppError */.uV('denied', 'Only a scoped or pipeline token can look itself up.');
    return tokenView(p.token, p.agent, deps.now());
}
async function revokeSelf(deps, ctx) {
    const p = principal(ctx);
    if (p.kind !== 'token')
        throw new errors/* AppError */.uV('denied', 'Only a scoped or pipeline token can revoke itself; admins revoke by id.');
    await deps.store.revokeToken(p.token.id, deps.now());
    ctx.audit.reason = `token ${p.token.id} revoked itself`;
    return { id: p.token.id, revoked: true };
}
async function revokeToken(deps, ctx, id) {
    requireRole(ctx, ['admin'], 'revoke tokens');
    if (!/^[0-9A-Za-z]{16}$/.test(id))
        throw new errors/* AppError */.uV('invalid_input', 'A token id is 16 letters and digits, as shown by ass tokens list.');
    const token = await deps.store.getToken(id);
    if (!token)
        throw new errors/* AppError */.uV('not_found', `No token with id ${id}; see ass tokens list --all.`);
    await deps.store.revokeToken(id, deps.now());
    ctx.audit.reason = `token ${id} revoked`;
    return { id, revoked: true };
}

;// CONCATENATED MODULE: ./src/server/routes.ts






const SECRET = /^\/v1\/secrets\/(.+)$/;
const AUDIT_QUERY = ['limit', 'afterSeq', 'since', 'eventType', 'status', 'resourcePath'];
/** A boolean query parameter: absent, `true` or `false`; anything else is refused. */
function flag(query, name) {
    const v = query[name];
    if (v === undefined || v === 'false')
        return false;
    if (v === 'true')
        return true;
    throw new errors/* AppError */.uV('invalid_input', `The query parameter ${name} must be true or false.`);
}
const META = /^\/v1\/metadata\/(.+)$/;
/** The route table. Order matters only where patterns overlap (`/v1/tokens/self` before `/v1/tokens/{id}`). */
function buildRoutes(deps) {
    return [
        {
            method: 'GET',
            pattern: /^\/v1\/health$/,
            event: 'health',
            anonymous: true,
            audited: false,
            handler: async () => ({ body: { status: 'ok' } }),
        },
        {
            method: 'GET',
            pattern: /^\/v1\/whoami$/,
            event: 'auth.whoami',
            handler: async ({ ctx }) => {
                const p = principal(ctx);
                if (p.kind === 'user')
                    return { body: { kind: 'user', id: p.id, name: p.name, role: p.role } };
                if (p.kind === 'agent')
                    return { body: { kind: 'agent', id: p.agent.id, name: p.agent.name, scopes: p.agent.scopes } };
                return {
                    body: {
                        kind: p.token.kind === 'pipeline' ? 'pipeline' : 'token',
                        id: p.token.id,
                        agent: p.agent.name,
                        scopes: p.token.scopes,
                        expiresAt: new Date(p.token.expiresAt).toISOString(),
                    },
                };
            },
        },
        {
            method: 'POST',
            pattern: /^\/v1\/tokens$/,
            event: 'token.issue',
            handler: async ({ ctx, body }) => ({ status: 201, body: await issueToken(deps, ctx, body) }),
        },
        {
            method: 'POST',
            pattern: /^\/v1\/tokens\/exchange$/,
            event: 'token.exchange',
            handler: async ({ ctx, body }) => {
                if (!deps.exchange)
                    throw new Error('exchange not configured');
                return { status: 201, body: await deps.exchange(ctx, body) };
            },
        },
        {
            method: 'GET',
            pattern: /^\/v1\/tokens$/,
            event: 'token.list',
            query: ['agent', 'path', 'all'],
            handler: async ({ ctx, query }) => ({
                body: await listTokens(deps, ctx, { ...query, all: flag(query, 'all') ? 'true' : 'false' }),
            }),
        },
        {
            method: 'GET',
            pattern: /^\/v1\/tokens\/self$/,
            event: 'token.lookup',
            handler: async ({ ctx }) => ({ body: await tokenSelf(deps, ctx) }),
        },
        {
            method: 'DELETE',
            pattern: /^\/v1\/tokens\/self$/,
            event: 'token.revoke',
            handler: async ({ ctx }) => ({ body: await revokeSelf(deps, ctx) }),
        },
        {
            method: 'DELETE',
            pattern: /^\/v1\/tokens\/([^/]+)$/,
            event: 'token.revoke',
            handler: async ({ ctx, params }) => ({ body: await revokeToken(deps, ctx, params[0]) }),
        },
        {
            method: 'POST',
            pattern: /^\/v1\/agents$/,
            event: 'agent.create',
            handler: async ({ ctx, body }) => ({ status: 201, body: await createAgent(deps, ctx, body) }),
        },
        {
            method: 'GET',
            pattern: /^\/v1\/agents$/,
            event: 'agent.list',
            handler: async ({ ctx }) => ({ body: await listAgents(deps, ctx) }),
        },
        {
            method: 'DELETE',
            pattern: /^\/v1\/agents\/([^/]+)$/,
            event: 'agent.revoke',
            handler: async ({ ctx, params }) => ({ body: await revokeAgent(deps, ctx, params[0]) }),
        },
        {
            method: 'POST',
            pattern: /^\/v1\/users$/,
            event: 'user.create',
            handler: async ({ ctx, body }) => ({ status: 201, body: await createUser(deps, ctx, body) }),
        },
        { method: 'GET', pattern: /^\/v1\/users$/, event: 'user.list', handler: async ({ ctx }) => ({ body: await listUsers(deps, ctx) }) },
        {
            method: 'DELETE',
            pattern: /^\/v1\/users\/([^/]+)$/,
            event: 'user.revoke',
            handler: async ({ ctx, params }) => ({ body: await revokeUser(deps, ctx, params[0]) }),
        },
        {
            method: 'GET',
            pattern: SECRET,
            event: 'secret.read',
            query: ['version'],
            handler: async ({ ctx, params, query }) => ({ body: await getSecret(deps, ctx, params[0], query.version) }),
        },
        {
            method: 'PUT',
            pattern: SECRET,
            event: 'secret.write',
            handler: async ({ ctx, params, body }) => ({ body: await putSecret(deps, ctx, params[0], body) }),
        },
        {
            method: 'DELETE',
            pattern: SECRET,
            event: 'secret.delete',
            handler: async ({ ctx, params }) => ({ body: await deleteSecret(deps, ctx, params[0]) }),
        },
        {
            method: 'POST',
            pattern: /^\/v1\/batch\/read$/,
            event: 'secret.batch_read',
            handler: async ({ ctx, body }) => ({ body: await batchRead(deps, ctx, body) }),
        },
        {
            method: 'GET',
            pattern: /^\/v1\/metadata$/,
            event: 'secret.list',
            query: ['prefix', 'deleted'],
            handler: async ({ ctx, query }) => ({ body: await listMetadata(deps, ctx, query.prefix, flag(query, 'deleted')) }),
        },
        {
            method: 'GET',
            pattern: META,
            event: 'secret.metadata',
            handler: async ({ ctx, params }) => ({ body: await getMetadata(deps, ctx, params[0]) }),
        },
        {
            method: 'GET',
            pattern: /^\/v1\/audit$/,
            event: 'audit.query',
            query: AUDIT_QUERY,
            handler: async ({ ctx, query }) => ({ body: await queryAudit(deps, ctx, query) }),
        },
        {
            method: 'GET',
            pattern: /^\/v1\/audit\/verify$/,
            event: 'audit.verify',
            answersWithoutAudit: true,
            handler: async ({ ctx }) => ({ body: await verifyAudit(deps, ctx) }),
        },
        {
            method: 'GET',
            pattern: /^\/v1\/audit\/checkpoint$/,
            event: 'audit.checkpoint',
            handler: async ({ ctx }) => ({ body: await getCheckpoint(deps, ctx) }),
        },
        {
            method: 'GET',
            pattern: /^\/v1\/audit\/export$/,
            event: 'audit.export',
            answersWithoutAudit: true,
            query: ['format', ...AUDIT_QUERY],
            handler: async ({ ctx, query }) => {
                const out = await exportAudit(deps, ctx, query);
                return out.kind === 'csv' ? { text: out.body, contentType: 'text/csv; charset=utf-8' } : { body: out.body };
            },
        },
    ];
}

;// CONCATENATED MODULE: ./src/server/services/exchange.ts








const exchangeSchema = schemas/* strictObject */.rej({
    oidcToken: schemas/* string */.YjP()
        .min(1, 'oidcToken is empty')
        .max(16 * 1024),
    scopes: schemas/* array */.YOg(schemas/* string */.YjP()).min(1, "give at least one scope, or leave scopes out to get the agent's").max(LIMITS.scopes).optional(),
    ttl: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).optional(),
    maxUses: schemas/* number */.aig().int().min(1).max(LIMITS.maxUses).optional(),
    description: schemas/* string */.YjP().max(LIMITS.description).optional(),
});
/** Claims copied onto the pipeline token and into every audit record made with it. */
const RECORDED_CLAIMS = [
    'iss',
    'sub',
    'jti',
    'repository',
    'repository_id',
    'repository_owner',
    'repository_owner_id',
    'run_id',
    'run_attempt',
    'run_number',
    'sha',
    'ref',
    'environment',
    'event_name',
    'workflow_ref',
    'job_workflow_ref',
    'actor',
    'actor_id',
    'runner_environment',
];
/**
 * Exchanges the two factors — the agent key that authenticated this request and a CI OIDC token
 * that passes the agent's trust policy — for a short-lived pipeline token bound to the CI run.
 * Either factor alone gets nothing. Each OIDC token (`jti`) is accepted once, also across restarts.
 */
async function exchange(deps, ctx, body) {
    const p = requireAgentKey(ctx, 'exchange an OIDC token');
    const input = parseBody(exchangeSchema, body);
    const policy = p.agent.trustPolicy;
    if (!policy) {
        throw new errors/* AppError */.uV('denied', `The agent "${p.agent.name}" has no OIDC trust policy, so it cannot exchange OIDC tokens. Create the agent with --oidc-issuer and --oidc-claim repository_id=... (see the README).`);
    }
    const verified = await deps.verifier.verify(input.oidcToken, policy, deps.settings.audience);
    const now = deps.now();
    const fresh = await deps.store.useJti(verified.issuer, verified.jti, verified.exp * 1000, now);
    if (!fresh) {
        throw new errors/* AppError */.uV('oidc_rejected', `This OIDC token (jti ${verified.jti.slice(0, 64)}) was already exchanged once; request a fresh token for every exchange.`);
    }
    // Pipeline scopes = the agent's ∩ the trust policy's (if it sets any) ∩ the requested.
    const agentScopes = policy.scopes
        ? (0,core_scopes/* intersectScopes */.xB)((0,core_scopes/* parseScopes */.Fg)(p.agent.scopes), (0,core_scopes/* parseScopes */.Fg)(policy.scopes))
        : (0,core_scopes/* parseScopes */.Fg)(p.agent.scopes);
    if (agentScopes.length === 0) {
        throw new errors/* AppError */.uV('denied', `The trust policy of agent "${p.agent.name}" allows no scope the agent has; fix the policy's scopes.`);
    }
    let scopes = agentScopes;
    if (input.scopes && input.scopes.length > 0) {
        const requested = (0,core_scopes/* parseScopes */.Fg)(input.scopes);
        const outside = (0,core_scopes/* scopesOutside */.nS)(requested, agentScopes);
        if (outside.length > 0) {
            throw new errors/* AppError */.uV('denied', `The agent "${p.agent.name}" may not grant ${(0,core_scopes/* formatScopes */.$u)(outside).join(', ')} to a pipeline; it may grant ${(0,core_scopes/* formatScopes */.$u)(agentScopes).join(', ')}.`);
        }
        scopes = (0,core_scopes/* intersectScopes */.xB)(requested, agentScopes);
    }
    // A pipeline asking for more than this vault allows gets the maximum (its expiresAt says so),
    // rather than a failed deploy: the cap is the operator's decision, not the workflow's mistake.
    const max = deps.settings.maxPipelineTtlSeconds;
    const ttl = input.ttl === undefined ? max : Math.min((0,duration/* parseDuration */.E)(input.ttl, 'pipeline token TTL'), max);
    const claims = {};
    for (const name of RECORDED_CLAIMS) {
        const v = verified.claims[name];
        if (typeof v === 'string' || typeof v === 'number')
            claims[name] = String(v).slice(0, 256);
    }
    const { secret, row } = await mintToken(deps, {
        kind: 'pipeline',
        agent: p.agent,
        scopes: (0,core_scopes/* formatScopes */.$u)(scopes),
        now,
        ttlSeconds: ttl,
        maxUses: input.maxUses ?? null,
        allowedIps: [],
        description: input.description ??
            (claims.repository ? `${claims.repository} run ${claims.run_id ?? '?'} attempt ${claims.run_attempt ?? '?'}` : null),
        claims,
    });
    ctx.audit.claims = claims;
    ctx.audit.reason = `pipeline token ${row.id} issued for ${(0,duration/* formatDuration */.a)(ttl)}, scopes ${row.scopes.join(' ')}`;
    return { token: secret, ...tokenView(row, p.agent, now) };
}

;// CONCATENATED MODULE: ./src/server/index.ts




















const DB_FILE = 'vault.db';
const KEY_FILE = 'master.key';
async function exists(p) {
    try {
        await (0,promises_.stat)(p);
        return true;
    }
    catch {
        return false;
    }
}
async function loadKeyring(dataDir, env) {
    const previous = (env.ASS_MASTER_KEY_PREVIOUS ?? '')
        .split(',')
        .filter((s) => s.trim() !== '')
        .map((s, i) => parseMasterKey(s, `ASS_MASTER_KEY_PREVIOUS entry ${i + 1}`));
    if (env.ASS_MASTER_KEY)
        return new Keyring(parseMasterKey(env.ASS_MASTER_KEY, 'ASS_MASTER_KEY'), previous);
    const file = external_node_path_default().join(dataDir, KEY_FILE);
    if (!(await exists(file))) {
        throw new errors/* AppError */.uV('invalid_input', `No master key: set ASS_MASTER_KEY, or keep the ${KEY_FILE} file that ass init wrote in ${dataDir}.`);
    }
    return new Keyring(parseMasterKey(await (0,promises_.readFile)(file, 'utf8'), file), previous);
}
/**
 * Creates a data directory: the store, a master key file (0600) unless ASS_MASTER_KEY is set, and
 * the first admin user, whose token is returned once and never stored.
 */
async function initDataDir(dir, opts = {}) {
    const env = opts.env ?? process.env;
    const dataDir = external_node_path_default().resolve(dir);
    if (!opts.databaseUrl && (await exists(external_node_path_default().join(dataDir, DB_FILE)))) {
        throw new errors/* AppError */.uV('conflict', `${dataDir} already holds a vault; start it with ass server --data ${dir}, or pick an empty directory.`);
    }
    await (0,promises_.mkdir)(dataDir, { recursive: true, mode: 0o700 });
    const keyText = opts.masterKey ?? env.ASS_MASTER_KEY;
    const keyFile = external_node_path_default().join(dataDir, KEY_FILE);
    if (keyText)
        parseMasterKey(keyText, 'ASS_MASTER_KEY');
    else if (!(opts.databaseUrl && (await exists(keyFile)))) {
        await (0,promises_.writeFile)(keyFile, `${newMasterKey().toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
        await (0,promises_.chmod)(keyFile, 0o600);
    }
    const keyring = await loadKeyring(dataDir, keyText ? { ...env, ASS_MASTER_KEY: keyText } : { ...env, ASS_MASTER_KEY: '' });
    const store = await openStore(dataDir, opts, false);
    try {
        if ((await store.listUsers()).length > 0 || (await store.getMeta('audit_key'))) {
            throw new errors/* AppError */.uV('conflict', 'That database already holds a vault (it has users); start it with ass server, or point --database-url at an empty database or schema.');
        }
        await createAuditKeys(store, keyring);
        const now = opts.now ?? Date.now;
        const cred = generateCredential('user');
        await store.createUser({ id: cred.id, name: 'admin', role: 'admin', tokenHash: cred.hash, createdAt: now(), revokedAt: null });
        return { adminToken: cred.secret, dataDir };
    }
    finally {
        await store.close();
    }
}
async function openStore(dataDir, opts, durable) {
    if (opts.databaseUrl) {
        try {
            return await PostgresStore.open({ url: opts.databaseUrl, schema: opts.databaseSchema });
        }
        catch (err) {
            // The connection string may hold a password: name the failure, never the URL.
            throw new errors/* AppError */.uV('unavailable', `Could not open the PostgreSQL store: ${err instanceof Error ? err.message.replace(/postgres(ql)?:\/\/\S+/g, '<url>') : 'unknown error'}. Check --database-url and that the server is up.`);
        }
    }
    const file = external_node_path_default().join(dataDir, DB_FILE);
    // The database holds ciphertext and credential hashes: owner-only, whatever the umask or the
    // folder's mode (SQLite gives its -wal and -shm files the database file's mode).
    await (0,promises_.writeFile)(file, '', { flag: 'a', mode: 0o600 });
    await (0,promises_.chmod)(file, 0o600);
    return new SqliteStore(file, { synchronous: durable ? 'full' : 'normal' });
}
const AUDIT_KEY_AAD = 'meta/audit-key';
/**
 * The audit log's secret: made once, when the vault is created, and stored sealed under the
 * master key; rewrapped under the current master key after a rotation (the previous key must be
 * in ASS_MASTER_KEY_PREVIOUS once). A store without it was not made by `ass init`, or was
 * altered: the server refuses to start rather than begin a fresh, unanchored log.
 */
async function loadAuditKeys(store, keyring) {
    const stored = await store.getMeta('audit_key');
    if (!stored) {
        throw new errors/* AppError */.uV('internal', 'The store has no audit key, so its audit log cannot be trusted: it was not created by ass init, or it was altered. Restore it from a backup.');
    }
    const blob = Buffer.from(stored, 'base64');
    const secret = keyring.open(blob, AUDIT_KEY_AAD, 1);
    if (!keyring.sealedWithCurrent(blob))
        await store.setMeta('audit_key', keyring.seal(secret, AUDIT_KEY_AAD, 1).toString('base64'));
    return new audit/* AuditKeys */.yA(secret);
}
/** Makes the audit key of a new vault and anchors its chain with a MAC'd genesis head. */
async function createAuditKeys(store, keyring) {
    const secret = (0,external_node_crypto_.randomBytes)(32);
    const stored = await store.setMetaIfAbsent('audit_key', keyring.seal(secret, AUDIT_KEY_AAD, 1).toString('base64'));
    const keys = new audit/* AuditKeys */.yA(keyring.open(Buffer.from(stored, 'base64'), AUDIT_KEY_AAD, 1));
    await store.initAuditHead((0,audit/* makeSealer */.Z8)(keys.headKey).genesisMac());
}
/**
 * After a master-key rotation: reseals every secret version's data key, and the audit key, under
 * the current master key (ASS_MASTER_KEY), reading them with the keys in ASS_MASTER_KEY_PREVIOUS.
 * Values themselves are not decrypted. Afterwards the previous keys are no longer needed.
 */
async function rekeyDataDir(dir, opts = {}) {
    const env = opts.env ?? process.env;
    const dataDir = external_node_path_default().resolve(dir);
    if (!env.ASS_MASTER_KEY_PREVIOUS?.trim()) {
        throw new errors/* AppError */.uV('invalid_input', 'ass rekey reseals data under the current master key (ASS_MASTER_KEY, or the master.key file) and needs the old key(s) in ASS_MASTER_KEY_PREVIOUS.');
    }
    if (!opts.databaseUrl && !(await exists(external_node_path_default().join(dataDir, DB_FILE)))) {
        throw new errors/* AppError */.uV('not_found', `${dataDir} holds no vault.`);
    }
    const keyring = await loadKeyring(dataDir, env);
    const store = await openStore(dataDir, opts, false);
    try {
        await loadAuditKeys(store, keyring);
        const versions = await store.rewrapSecretVersions((r) => keyring.rewrap(r.ciphertext, r.path, r.version));
        return { versionsRewrapped: versions, keyId: keyring.currentKeyId };
    }
    finally {
        await store.close();
    }
}
function parseListen(listen) {
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
    if (!m || Number(m[3]) > 65535)
        throw new errors/* AppError */.uV('invalid_input', `--listen ${JSON.stringify(listen)} is not host:port (for example 127.0.0.1:8200).`);
    return { host: (m[1] ?? m[2]), port: Number(m[3]) };
}
/** Starts the vault's HTTP API. */
async function startServer(opts) {
    const env = opts.env ?? process.env;
    const logger = opts.logger ?? core_logger/* silentLogger */.q;
    const now = opts.now ?? Date.now;
    let dataDir = opts.dataDir;
    let adminToken;
    if (opts.dev) {
        dataDir = await (0,promises_.mkdtemp)(external_node_path_default().join((0,external_node_os_.tmpdir)(), 'ass-dev-'));
        ({ adminToken } = await initDataDir(dataDir, { env: { ...env, ASS_MASTER_KEY: '' }, now }));
    }
    if (!dataDir && !(opts.databaseUrl && env.ASS_MASTER_KEY)) {
        throw new errors/* AppError */.uV('invalid_input', 'Give --data DIR (a directory made by ass init), or use --dev for a throwaway vault.');
    }
    dataDir = external_node_path_default().resolve(dataDir ?? '.');
    if (!opts.databaseUrl && !(await exists(external_node_path_default().join(dataDir, DB_FILE)))) {
        throw new errors/* AppError */.uV('not_found', `${dataDir} holds no vault; create one with ass init --data ${dataDir}.`);
    }
    const keyring = await loadKeyring(dataDir, opts.dev ? { ...env, ASS_MASTER_KEY: '' } : env);
    const store = await openStore(dataDir, opts, opts.durable ?? false);
    const { host, port } = parseListen(opts.listen ?? '127.0.0.1:8200');
    const trustedProxies = (opts.trustedProxies ?? []).map((c) => (0,cidr/* parseCidr */.GN)(c, 'trusted proxy'));
    const lockout = { ...DEFAULT_LOCKOUT, ...opts.lockout };
    const guard = new AuthGuard(lockout, now);
    const settings = {
        maxTokenTtlSeconds: opts.maxTokenTtlSeconds ?? 24 * 3600,
        maxPipelineTtlSeconds: Math.min(opts.maxPipelineTtlSeconds ?? 15 * 60, 6 * 3600),
        audience: '',
        origin: '',
    };
    let auditKeys;
    try {
        auditKeys = await loadAuditKeys(store, keyring);
    }
    catch (err) {
        await store.close();
        throw err;
    }
    const deps = { store, keyring, now, logger, settings, audit: { keys: auditKeys, sealer: (0,audit/* makeSealer */.Z8)(auditKeys.headKey) } };
    if (Boolean(opts.tlsCertFile) !== Boolean(opts.tlsKeyFile)) {
        throw new errors/* AppError */.uV('invalid_input', 'TLS needs both a certificate and its private key (--tls-cert FILE --tls-key FILE).');
    }
    const httpOptions = { keepAliveTimeout: 65_000, requestTimeout: 30_000, headersTimeout: 20_000 };
    let server;
    if (opts.tlsCertFile && opts.tlsKeyFile) {
        let cert;
        let key;
        try {
            [cert, key] = await Promise.all([(0,promises_.readFile)(opts.tlsCertFile), (0,promises_.readFile)(opts.tlsKeyFile)]);
        }
        catch (err) {
            throw new errors/* AppError */.uV('invalid_input', `Could not read the TLS certificate or key: ${err.code ?? 'unreadable'}. Check --tls-cert and --tls-key.`);
        }
        try {
            server = (0,external_node_https_.createServer)({ ...httpOptions, cert, key, minVersion: 'TLSv1.2' });
        }
        catch {
            throw new errors/* AppError */.uV('invalid_input', 'The TLS certificate or key is not valid PEM, or they do not belong together.');
        }
    }
    else {
        server = (0,external_node_http_.createServer)(httpOptions);
    }
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
    });
    const addr = server.address();
    const boundPort = typeof addr === 'object' && addr ? addr.port : port;
    const tls = Boolean(opts.tlsCertFile);
    const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
    if (!tls && !/^(127\.|::1$|localhost$)/.test(host)) {
        logger.warning(`listening on ${host} without TLS: credentials and secrets cross the network in clear text unless a TLS proxy sits in front (use --tls-cert/--tls-key, or bind to 127.0.0.1 behind the proxy).`);
    }
    const publicUrl = (opts.publicUrl ?? url).replace(/\/+$/, '');
    settings.audience = publicUrl;
    settings.origin = publicUrl;
    const verifier = createOidcVerifier({ now, logger });
    deps.parseTrustPolicy = parseTrustPolicy;
    deps.exchange = async (ctx, body) => {
        try {
            return await exchange({ ...deps, verifier }, ctx, body);
        }
        catch (err) {
            // A rejected OIDC token counts as a failed authentication of the agent key that sent it:
            // someone holding a stolen key cannot keep trying forged or foreign workflow tokens.
            // An unreachable issuer is GitHub's outage, not an attack: it must not lock deploys out.
            if ((0,errors/* isAppError */.Y6)(err) &&
                err.code === 'oidc_rejected' &&
                err.details?.reason !== 'issuer_unreachable' &&
                ctx.principal?.kind === 'agent') {
                guard.fail(exchangeLockoutKey(ctx.principal.agent.keyId), lockout.credentialFailures);
            }
            throw err;
        }
    };
    opts.extend?.(deps);
    server.on('request', createHandler({
        routes: buildRoutes(deps),
        logger,
        trustedProxies,
        authenticate: async (ctx, header) => {
            ctx.principal = await authenticate({ store, guard, policy: lockout, now }, header, ctx.ip);
        },
        writeAudit: (ctx) => writeAudit(deps, ctx),
        addressGuard: { state: (ip) => guard.state(`ip:${ip}`), fail: (ip) => guard.fail(`ip:${ip}`, lockout.ipFailures) },
    }));
    logger.info(`vault listening on ${url} (data ${dataDir}, master key ${keyring.currentKeyId})`);
    let closed = false;
    return {
        url,
        adminToken,
        dataDir,
        store,
        server,
        async close() {
            if (closed)
                return;
            closed = true;
            server.closeAllConnections();
            await new Promise((resolve) => server.close(() => resolve()));
            await store.close();
            // A --dev vault is a throwaway: its store and master key go with it.
            if (opts.dev)
                await (0,promises_.rm)(dataDir, { recursive: true, force: true });
        },
    };
}


/***/ })

};
