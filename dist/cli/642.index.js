export const id = 642;
export const ids = [642];
export const modules = {

/***/ 2633:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L8: () => (/* binding */ generateCredential),
/* harmony export */   Si: () => (/* binding */ newId),
/* harmony export */   aq: () => (/* binding */ CREDENTIAL_KINDS),
/* harmony export */   nx: () => (/* binding */ parseCredential)
/* harmony export */ });
/* unused harmony exports BASE62, CREDENTIAL_PATTERN, randomBase62, base62Crc, checksum */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_1__);


/**
 * Credential strings. Every credential is `ass_<kind>_` followed by 65 base62 characters: a
 * 16-character id (non-secret: it names the row and appears in listings and audit records), 43
 * random characters (256 bits) and a 6-character base62 CRC32 of everything before it. The
 * prefix lets secret scanners recognise a leaked credential; the checksum lets them reject
 * look-alikes offline. The vault stores only a keyed hash of each (src/server/keys.ts).
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
        for (const byte of (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(length * 2)) {
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
    return base62Crc((0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.crc32)(text));
}
/** A new random id of the kind embedded in credentials (also used for row ids). */
function newId() {
    return randomBase62(ID_LENGTH);
}
function generateCredential(kind, id = newId()) {
    const body = `ass_${CREDENTIAL_KINDS[kind]}_${id}${randomBase62(SECRET_LENGTH)}`;
    const secret = body + checksum(body);
    return { kind, id, secret };
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


/***/ }),

/***/ 7642:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DB_FILE: () => (/* binding */ DB_FILE),
  HIGH_WATER_FILE: () => (/* binding */ HIGH_WATER_FILE),
  KEY_FILE: () => (/* binding */ KEY_FILE),
  initDataDir: () => (/* binding */ initDataDir),
  migrateDataDir: () => (/* binding */ migrateDataDir),
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
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/core/cidr.ts
var core_cidr = __webpack_require__(7753);
// EXTERNAL MODULE: ./src/core/credentials.ts
var credentials = __webpack_require__(2633);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./node_modules/ipaddr.js/lib/ipaddr.js
var ipaddr = __webpack_require__(8280);
var ipaddr_default = /*#__PURE__*/__webpack_require__.n(ipaddr);
;// CONCATENATED MODULE: ./src/core/limits.ts
/**
 * Lockouts and rate limits, as pure rules over the state the store keeps (so every replica on one
 * PostgreSQL database applies them to the same numbers).
 *
 * Lockouts count only failures that look like guessing: a wrong secret for a credential id that
 * exists, a credential id that does not, an OIDC token whose signature is forged or foreign. They
 * are counted per credential id and per client address (an IPv6 /64 counts as one address), each
 * against its own threshold within a window. Crossing it locks the subject for `baseMs`, doubling
 * with each further lockout up to `maxMs`; a quiet spell of `maxMs` forgets the past lockouts. A
 * lockout never refuses a request whose credential is valid: it turns the failures of whoever is
 * guessing into 429s with Retry-After, and is logged and audited once.
 */



const { IPv6 } = (ipaddr_default());
const DEFAULT_LOCKOUT = {
    addressFailures: 20,
    credentialFailures: 5,
    windowMs: 60_000,
    baseMs: 30_000,
    maxMs: 3600_000,
};
/** A policy that makes sense (whole, non-negative numbers; a window and lockout length of at least a second). */
function checkLockoutPolicy(p) {
    const whole = (n) => Number.isSafeInteger(n) && n >= 0;
    if (!whole(p.addressFailures) || !whole(p.credentialFailures)) {
        throw new errors/* AppError */.uV('invalid_input', 'Lockout thresholds must be whole numbers of failures (0 turns that lockout off).');
    }
    if (!whole(p.windowMs) || p.windowMs < 1000 || !whole(p.baseMs) || p.baseMs < 1000 || !whole(p.maxMs) || p.maxMs < p.baseMs) {
        throw new errors/* AppError */.uV('invalid_input', 'The lockout window and first lockout must be at least 1s, and the longest lockout at least as long as the first.');
    }
    return p;
}
const DEFAULT_RATE_LIMITS = { readsPerMinute: 1200, exchangesPerMinute: 60 };
const RATE_WINDOW_MS = 60_000;
function lockoutKey(subject, id) {
    return `${subject}:${id}`;
}
function subjectOf(key) {
    const i = key.indexOf(':');
    return { subject: key.slice(0, i) === 'address' ? 'address' : 'credential', id: key.slice(i + 1) };
}
/**
 * The address a failure counts against: an IPv4 address, or the /64 an IPv6 address lies in
 * (one host usually holds a whole /64, so counting single IPv6 addresses would count nothing).
 */
function addressSubject(ip) {
    const addr = (0,core_cidr/* parseAddress */.or)(ip);
    if (!addr)
        return ip.slice(0, 100);
    if (addr.kind() === 'ipv4')
        return addr.toString();
    const parts = addr.parts.slice(0, 4);
    return `${new IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}
/** How long the lockout after `strikes` earlier ones lasts. */
function lockoutLength(policy, strikes) {
    return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(strikes, 40));
}
/**
 * One more guessing failure. Returns the new row and whether this failure started a lockout.
 * A failure during a lockout only counts as a refusal: it neither extends the lockout nor counts
 * toward the next one, so a Retry-After is honest.
 */
function addFailure(row, key, now, threshold, policy) {
    const r = row ? { ...row } : { key, failures: 0, windowStart: now, strikes: 0, lockedUntil: 0, lastFailure: 0, refused: 0 };
    if (r.lockedUntil > now) {
        r.refused += 1;
        return { row: r, lockedNow: false };
    }
    // A quiet spell as long as the longest lockout forgets the earlier ones.
    if (r.strikes > 0 && now - Math.max(r.lastFailure, r.lockedUntil) >= policy.maxMs)
        r.strikes = 0;
    if (now - r.windowStart >= policy.windowMs) {
        r.windowStart = now;
        r.failures = 0;
    }
    r.failures += 1;
    r.lastFailure = now;
    if (threshold > 0 && r.failures >= threshold) {
        r.lockedUntil = now + lockoutLength(policy, r.strikes);
        r.strikes += 1;
        r.failures = 0;
        r.windowStart = now;
        r.refused = 1;
        return { row: r, lockedNow: true };
    }
    return { row: r, lockedNow: false };
}
/** Whether a row is worth keeping: in a lockout, counting, or remembering strikes. */
function rowLive(r, now, policy) {
    return (r.lockedUntil > now ||
        now - r.windowStart < policy.windowMs ||
        (r.strikes > 0 && now - Math.max(r.lastFailure, r.lockedUntil) < policy.maxMs));
}
/** The requests the sliding window holds at `now`: this window's, plus the share of the last one still inside it. */
function rateEstimate(w, now) {
    const into = Math.min(1, Math.max(0, (now - w.windowStart) / RATE_WINDOW_MS));
    return w.previous * (1 - into) + w.count;
}
/**
 * How long until one more request fits under `limit`, given the window as it stands without the
 * refused request (ms, at least 1000 so a client does not spin).
 */
function rateRetryAfterMs(w, now, limit, n = 1) {
    const end = w.windowStart + RATE_WINDOW_MS;
    // Within this window: previous * (1 - (t - start)/W) + count + n <= limit.
    if (w.count + n <= limit && w.previous > 0) {
        const t = w.windowStart + RATE_WINDOW_MS * (1 - (limit - w.count - n) / w.previous);
        if (t < end)
            return Math.max(1000, Math.ceil(t - now));
    }
    // In the next window the current count becomes the previous one: count * (1 - (t - end)/W) + n <= limit.
    const t = w.count > 0 ? end + RATE_WINDOW_MS * Math.max(0, 1 - (limit - n) / w.count) : end;
    return Math.max(1000, Math.ceil(t - now));
}

// EXTERNAL MODULE: ./src/core/logger.ts
var core_logger = __webpack_require__(1227);
// EXTERNAL MODULE: ./src/core/net.ts
var net = __webpack_require__(8456);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
;// CONCATENATED MODULE: ./src/store/sql/program.ts
/**
 * Store operations are written once, as generator "programs" that yield SQL statements and receive
 * their results; each adapter runs them on its own connection. The embedded SQLite adapter runs a
 * program synchronously inside one transaction (nothing else can run on its connection meanwhile),
 * PostgreSQL runs it on one pooled client. So the rules (the last admin, spending a use, the audit
 * head) exist once, and each adapter keeps only its connection, transaction and locking code.
 *
 * Statements use `?` placeholders (PostgreSQL's adapter numbers them) and never put `?` in a
 * literal. `lock` asks for a row lock (`FOR UPDATE` on PostgreSQL; SQLite's write transactions are
 * exclusive already).
 */
function* get(sql, args = [], opts = {}) {
    return (yield { kind: 'get', sql, args, ...(opts.lock ? { lock: true } : {}) });
}
function* program_all(sql, args = [], opts = {}) {
    return (yield { kind: 'all', sql, args, ...(opts.lock ? { lock: true } : {}) });
}
/** Runs a statement; returns how many rows it changed. */
function* run(sql, args = []) {
    return (yield { kind: 'run', sql, args });
}
/** Runs several statements without parameters (schema definitions). */
function* script(sql) {
    yield { kind: 'script', sql };
}
/**
 * Drives a program step by step with `exec` (synchronous for SQLite). A statement's error is thrown
 * into the program, so a program can catch it (a savepoint rollback) or let it end the transaction.
 */
function runSync(program, exec) {
    let next = program.next();
    while (!next.done) {
        let result;
        try {
            result = exec(next.value);
        }
        catch (err) {
            next = program.throw(err);
            continue;
        }
        next = program.next(result);
    }
    return next.value;
}
async function runAsync(program, exec) {
    let next = program.next();
    while (!next.done) {
        let result;
        try {
            result = await exec(next.value);
        }
        catch (err) {
            next = program.throw(err);
            continue;
        }
        next = program.next(result);
    }
    return next.value;
}

;// CONCATENATED MODULE: ./src/store/sql/integrity.ts
/**
 * Which fields of each row carry authority, in a fixed order, for the row MACs (see RowIntegrity in
 * ../types.ts). Everything a storage writer could change to gain or restore access is here: roles
 * and revocation, scopes and trust policies, credential hashes, token expiry, address allowlists and
 * kind, a secret's current version, tier and deletion. A token's use counter is not: it changes on
 * every request, and setting it back is outside the model (see the README's threat model).
 */

const rowFields = {
    // An approver's flag is sealed only when set, so the rows of earlier versions keep their MACs.
    users: (u) => [u.id, u.name, u.role, u.tokenHash, u.createdAt, u.revokedAt, ...(u.approver ? ['approver'] : [])],
    agents: (a) => [a.id, a.name, a.scopes, a.description, a.trustPolicy, a.keyId, a.keyHash, a.createdAt, a.revokedAt],
    tokens: (t) => [
        t.id,
        t.kind,
        t.agentId,
        t.hash,
        t.scopes,
        t.createdAt,
        t.expiresAt,
        t.maxUses,
        t.allowedIps,
        t.description,
        t.claims,
        t.revokedAt,
    ],
    secrets: (s) => [s.path, s.version, s.type, s.tier, s.description, s.createdAt, s.updatedAt, s.deletedAt],
    secret_versions: (v) => [v.path, v.version, v.type, v.tier, v.createdAt, v.createdBy, v.deletedAt],
    secret_stages: (s) => [
        s.path,
        s.rotationId,
        s.rotator,
        s.leaseUntil,
        s.pendingVersion,
        s.previousVersion,
        s.previousUntil,
        s.updatedAt,
    ],
    // The command a `command` rotator runs is here: a policy someone wrote into the database must
    // never make the next rotation run their command.
    rotation_policies: (p) => [
        p.path,
        p.rotator,
        p.settings,
        p.intervalSeconds,
        p.graceSeconds,
        p.notify,
        p.enabled,
        p.createdAt,
        p.updatedAt,
        p.updatedBy,
    ],
    agent_previous_keys: (k) => [k.keyId, k.agentId, k.keyHash, k.until],
    // Everything of an approval: a request someone wrote into the database, or one they marked
    // approved, must never release a token.
    approval_policy: (p) => [p.policy, p.revision, p.updatedBy],
    approvals: (a) => [
        a.id,
        a.kind,
        a.status,
        a.requesterType,
        a.requesterId,
        a.requesterName,
        a.tokenId,
        a.claims,
        a.paths,
        a.ask,
        a.description,
        a.ip,
        a.requiredApprovals,
        a.approvers,
        a.rule,
        a.createdAt,
        a.expiresAt,
        a.decidedAt,
        a.collectedAt,
        a.collectedTokenId,
    ],
    approval_decisions: (d) => [d.approvalId, d.userId, d.userName, d.decision, d.reason, d.time],
    // Counts derived from the log: a rollup someone edited to hide an hour's reads is counted again.
    audit_rollups: (r) => [r.hour, r.records, r.counts],
};
const KEY_OF = {
    users: (u) => `user ${u.name} (${u.id})`,
    agents: (a) => `agent ${a.name} (${a.id})`,
    tokens: (t) => `token ${t.id}`,
    secrets: (s) => `secret ${s.path}`,
    secret_versions: (v) => `version ${v.version} of ${v.path}`,
    secret_stages: (s) => `the rotation stages of ${s.path}`,
    rotation_policies: (p) => `the rotation policy for ${p.path}`,
    agent_previous_keys: (k) => `the replaced key ${k.keyId}`,
    approval_policy: () => 'the approval policy',
    approvals: (a) => `approval ${a.id}`,
    approval_decisions: (d) => `${d.userName}'s decision on approval ${d.approvalId}`,
    audit_rollups: (r) => `the audit rollup of ${new Date(r.hour).toISOString()}`,
};
function macOf(integrity, table, row) {
    return integrity.rowMac(table, rowFields[table](row));
}
/** The row, if its MAC verifies; otherwise the request fails (and is audited) without using it. */
function verified(integrity, table, row, mac) {
    if (integrity.rowMacValid(table, rowFields[table](row), mac))
        return row;
    throw new errors/* AppError */.uV('integrity_failed', `The stored record of ${KEY_OF[table](row)} failed its integrity check: the database was changed outside the vault, so the record is not used. Restore the database from a backup, and check the audit log (ass audit verify).`);
}

;// CONCATENATED MODULE: ./src/store/sql/rows.ts
const json = (v) => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = (v) => (typeof v === 'string' ? JSON.parse(v) : null);
const num = (v) => (v === null || v === undefined ? null : Number(v));
const str = (v) => (v === null || v === undefined ? null : v);
function toUser(r) {
    return {
        id: r.id,
        name: r.name,
        role: r.role,
        tokenHash: r.token_hash,
        approver: Number(r.approver ?? 0) === 1,
        createdAt: Number(r.created_at),
        revokedAt: num(r.revoked_at),
    };
}
function toApprovalPolicy(r) {
    return { policy: JSON.parse(r.policy), revision: Number(r.revision), updatedBy: r.updated_by };
}
function toApproval(r) {
    return {
        id: r.id,
        kind: r.kind,
        status: r.status,
        requesterType: r.requester_type,
        requesterId: r.requester_id,
        requesterName: r.requester_name,
        tokenId: str(r.token_id),
        claims: parse(r.claims),
        paths: parse(r.paths) ?? [],
        ask: JSON.parse(r.ask),
        description: str(r.description),
        ip: r.ip,
        requiredApprovals: Number(r.required_approvals),
        approvers: parse(r.approvers) ?? [],
        rule: r.rule,
        createdAt: Number(r.created_at),
        expiresAt: Number(r.expires_at),
        decidedAt: num(r.decided_at),
        collectedAt: num(r.collected_at),
        collectedTokenId: str(r.collected_token_id),
    };
}
function toDecision(r) {
    return {
        approvalId: r.approval_id,
        userId: r.user_id,
        userName: r.user_name,
        decision: r.decision,
        reason: str(r.reason),
        time: Number(r.time),
    };
}
/** Column names with a join's alias prefix (`a_id`, ...), made once per prefix rather than per row. */
function columns(names) {
    const byPrefix = new Map();
    return (prefix) => {
        let k = byPrefix.get(prefix);
        if (!k) {
            k = Object.fromEntries(names.map((n) => [n, `${prefix}${n}`]));
            byPrefix.set(prefix, k);
        }
        return k;
    };
}
const AGENT_COLUMNS = [
    'id',
    'name',
    'scopes',
    'description',
    'trust_policy',
    'key_id',
    'key_hash',
    'created_at',
    'revoked_at',
];
const VERSION_COLUMNS = ['path', 'version', 'type', 'tier', 'ciphertext', 'created_at', 'created_by', 'deleted_at'];
const agentColumns = columns(AGENT_COLUMNS);
const versionColumns = columns(VERSION_COLUMNS);
/** `prefix` selects aliased columns of a join (`a_id`, `a_name`, ...). */
function toAgent(r, prefix = '') {
    const c = agentColumns(prefix);
    return {
        id: r[c.id],
        name: r[c.name],
        scopes: parse(r[c.scopes]) ?? [],
        description: str(r[c.description]),
        trustPolicy: parse(r[c.trust_policy]),
        keyId: r[c.key_id],
        keyHash: r[c.key_hash],
        createdAt: Number(r[c.created_at]),
        revokedAt: num(r[c.revoked_at]),
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
        description: str(r.description),
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
        description: str(r.description),
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
        deletedAt: num(r.deleted_at),
    };
}
function toVersion(r, prefix = '') {
    const c = versionColumns(prefix);
    return {
        path: r[c.path],
        version: Number(r[c.version]),
        type: r[c.type],
        tier: r[c.tier],
        ciphertext: r[c.ciphertext],
        createdAt: Number(r[c.created_at]),
        createdBy: r[c.created_by],
        deletedAt: num(r[c.deleted_at]),
    };
}
/** The key that holds an audit record's claims column when it is not what the vault writes. */
const UNREADABLE_CLAIMS = '(not a JSON object of strings)';
/**
 * An audit record's claims as stored. The vault writes a JSON object of strings or nothing; any
 * other text was put there behind its back, and is kept (cut short) under a key of its own, so the
 * record fails its hash and is reported as edited, instead of failing every read of the log (the
 * monitor's sweep, `ass audit verify`, the anomaly checks) and so hiding the edit.
 */
function auditClaims(v) {
    if (v === null || v === undefined)
        return null;
    const text = String(v);
    try {
        const parsed = JSON.parse(text);
        if (parsed === null)
            return null;
        if (typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((x) => typeof x === 'string')) {
            return parsed;
        }
    }
    catch { }
    return { [UNREADABLE_CLAIMS]: text.slice(0, 1000) };
}
function toAuditRecord(r) {
    return {
        seq: Number(r.seq),
        time: Number(r.time),
        requestId: r.request_id,
        event: r.event,
        status: r.status,
        actorType: r.actor_type,
        actorId: str(r.actor_id),
        actorName: str(r.actor_name),
        agent: str(r.agent),
        tokenId: str(r.token_id),
        path: str(r.path),
        tier: str(r.tier),
        reason: str(r.reason),
        ip: str(r.ip),
        claims: auditClaims(r.claims),
        prevHash: r.prev_hash,
        hash: r.hash,
    };
}
function toStages(r) {
    return {
        path: r.path,
        rotationId: str(r.rotation_id),
        rotator: str(r.rotator),
        leaseUntil: num(r.lease_until),
        pendingVersion: num(r.pending_version),
        previousVersion: num(r.previous_version),
        previousUntil: num(r.previous_until),
        updatedAt: Number(r.updated_at),
    };
}
function toRotation(r) {
    return {
        id: r.id,
        path: r.path,
        rotator: r.rotator,
        state: r.state,
        startedBy: r.started_by,
        startedAt: Number(r.started_at),
        finishedAt: num(r.finished_at),
        fromVersion: Number(r.from_version),
        toVersion: num(r.to_version),
        reason: str(r.reason),
    };
}
function toPolicy(r) {
    return {
        path: r.path,
        rotator: r.rotator,
        settings: parse(r.settings) ?? {},
        intervalSeconds: num(r.interval_seconds),
        graceSeconds: Number(r.grace_seconds),
        notify: parse(r.notify),
        enabled: Number(r.enabled) === 1,
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
        updatedBy: r.updated_by,
    };
}
function toPreviousKey(r) {
    return { keyId: r.key_id, agentId: r.agent_id, keyHash: r.key_hash, until: Number(r.until) };
}

;// CONCATENATED MODULE: ./src/store/sql/schema.ts
/**
 * The store's tables, written once for both SQL dialects, and the versions they went through.
 * Times are milliseconds since the epoch; JSON columns hold lists and objects; path columns sort
 * byte-wise on both databases (SQLite's default, `COLLATE "C"` on PostgreSQL), which the prefix
 * range scans rely on.
 */




/** The schema this build reads and writes. */
const SCHEMA_VERSION = 7;
function types(d) {
    return d === 'sqlite' ? { int: 'INTEGER', blob: 'BLOB', path: 'TEXT' } : { int: 'BIGINT', blob: 'BYTEA', path: 'TEXT COLLATE "C"' };
}
function schemaSql(d) {
    const t = types(d);
    const appendOnly = d === 'sqlite'
        ? `CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;`
        : `CREATE OR REPLACE FUNCTION ass_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION ass_audit_append_only();`;
    return `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, token_hash TEXT NOT NULL,
  created_at ${t.int} NOT NULL, revoked_at ${t.int}, mac TEXT NOT NULL, approver ${t.int} NOT NULL DEFAULT 0);
CREATE TABLE agents (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, description TEXT,
  trust_policy TEXT, key_id TEXT NOT NULL UNIQUE, key_hash TEXT NOT NULL,
  created_at ${t.int} NOT NULL, revoked_at ${t.int}, mac TEXT NOT NULL);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, agent_id TEXT NOT NULL REFERENCES agents(id), hash TEXT NOT NULL,
  scopes TEXT NOT NULL, created_at ${t.int} NOT NULL, expires_at ${t.int} NOT NULL, max_uses ${t.int},
  uses ${t.int} NOT NULL DEFAULT 0, allowed_ips TEXT NOT NULL, description TEXT, claims TEXT, revoked_at ${t.int},
  mac TEXT NOT NULL);
CREATE INDEX tokens_agent ON tokens(agent_id);
CREATE TABLE secrets (
  path ${t.path} PRIMARY KEY, version ${t.int} NOT NULL, type TEXT NOT NULL, tier TEXT NOT NULL, description TEXT,
  created_at ${t.int} NOT NULL, updated_at ${t.int} NOT NULL, deleted_at ${t.int}, mac TEXT NOT NULL);
CREATE TABLE secret_versions (
  path ${t.path} NOT NULL, version ${t.int} NOT NULL, type TEXT NOT NULL, tier TEXT NOT NULL, ciphertext ${t.blob} NOT NULL,
  created_at ${t.int} NOT NULL, created_by TEXT NOT NULL, deleted_at ${t.int}, mac TEXT NOT NULL, PRIMARY KEY (path, version));
CREATE TABLE audit (
  seq ${t.int} PRIMARY KEY, time ${t.int} NOT NULL, request_id TEXT NOT NULL, event TEXT NOT NULL,
  status TEXT NOT NULL, actor_type TEXT NOT NULL, actor_id TEXT, actor_name TEXT, agent TEXT, token_id TEXT,
  path ${t.path}, tier TEXT, reason TEXT, ip TEXT, claims TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_time ON audit(time);
CREATE INDEX audit_path ON audit(path);
${appendOnly}
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq ${t.int} NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE oidc_jti (issuer TEXT NOT NULL, jti TEXT NOT NULL, exp ${t.int} NOT NULL, PRIMARY KEY (issuer, jti));
${limitTablesSql(d)}${rotationTablesSql(d)}${approvalTablesSql(d)}${rollupTablesSql(d)}`;
}
/** Approvals: the policy (one row), each request, each approver's decision (one per approver and request). */
function approvalTablesSql(d) {
    const t = types(d);
    return `CREATE TABLE approval_policy (id INTEGER PRIMARY KEY CHECK (id = 1), policy TEXT NOT NULL, revision ${t.int} NOT NULL,
  updated_by TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE approvals (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, requester_type TEXT NOT NULL, requester_id TEXT NOT NULL,
  requester_name TEXT NOT NULL, token_id TEXT, claims TEXT, paths TEXT NOT NULL, ask TEXT NOT NULL, description TEXT,
  ip TEXT NOT NULL, required_approvals ${t.int} NOT NULL, approvers TEXT NOT NULL, rule TEXT NOT NULL,
  created_at ${t.int} NOT NULL, expires_at ${t.int} NOT NULL, decided_at ${t.int}, collected_at ${t.int},
  collected_token_id TEXT, mac TEXT NOT NULL);
CREATE INDEX approvals_status ON approvals(status, expires_at);
CREATE INDEX approvals_requester ON approvals(requester_id, status);
CREATE TABLE approval_decisions (
  approval_id TEXT NOT NULL, user_id TEXT NOT NULL, user_name TEXT NOT NULL, decision TEXT NOT NULL, reason TEXT,
  time ${t.int} NOT NULL, mac TEXT NOT NULL, PRIMARY KEY (approval_id, user_id));
`;
}
/** Rotation: a secret's stages and lease, each rotation for reruns, the policies, an agent's replaced keys. */
function rotationTablesSql(d) {
    const t = types(d);
    return `CREATE TABLE secret_stages (
  path ${t.path} PRIMARY KEY, rotation_id TEXT, rotator TEXT, lease_until ${t.int}, pending_version ${t.int},
  previous_version ${t.int}, previous_until ${t.int}, updated_at ${t.int} NOT NULL, mac TEXT NOT NULL);
CREATE TABLE rotations (
  id TEXT PRIMARY KEY, path ${t.path} NOT NULL, rotator TEXT NOT NULL, state TEXT NOT NULL, started_by TEXT NOT NULL,
  started_at ${t.int} NOT NULL, finished_at ${t.int}, from_version ${t.int} NOT NULL, to_version ${t.int}, reason TEXT);
CREATE INDEX rotations_path ON rotations(path);
CREATE TABLE rotation_policies (
  path ${t.path} PRIMARY KEY, rotator TEXT NOT NULL, settings TEXT NOT NULL, interval_seconds ${t.int},
  grace_seconds ${t.int} NOT NULL, notify TEXT, enabled ${t.int} NOT NULL, created_at ${t.int} NOT NULL,
  updated_at ${t.int} NOT NULL, updated_by TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE agent_previous_keys (
  key_id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, key_hash TEXT NOT NULL, until ${t.int} NOT NULL, mac TEXT NOT NULL);
`;
}
/**
 * Lockout counters and rate windows, shared by every replica. Not sealed: they can only ever
 * refuse a request, never grant one, so a storage writer gains nothing by editing them.
 */
function limitTablesSql(d) {
    const t = types(d);
    return `CREATE TABLE lockouts (
  key TEXT PRIMARY KEY, failures ${t.int} NOT NULL, window_start ${t.int} NOT NULL, strikes ${t.int} NOT NULL,
  locked_until ${t.int} NOT NULL, last_failure ${t.int} NOT NULL, refused ${t.int} NOT NULL);
CREATE TABLE rate_windows (key TEXT PRIMARY KEY, window_start ${t.int} NOT NULL, count ${t.int} NOT NULL, previous ${t.int} NOT NULL);
`;
}
/** Hourly counts of the audit log for summaries (derived, sealed, made again when missing or altered). */
function rollupTablesSql(d) {
    const t = types(d);
    return `CREATE TABLE audit_rollups (hour ${t.int} PRIMARY KEY, records ${t.int} NOT NULL, counts TEXT NOT NULL, mac TEXT NOT NULL);
`;
}
/** Steps from one schema version to the next, for stores made by earlier builds (`ass migrate`). */
const MIGRATIONS = {
    // 1 → 2: scoped tokens are kind 'token' (as their credential prefix and the API say), and no
    // store keeps a placeholder head row before `ass init` has anchored the chain.
    1: function* () {
        yield* run("UPDATE tokens SET kind = 'token' WHERE kind = 'agent'");
        yield* run("DELETE FROM audit_head WHERE mac = ''");
    },
    // 2 → 3: credential hashes keyed under the vault's key, and every row that carries authority
    // sealed with a MAC. Run by the operator, on a store they trust: whatever it holds now is sealed.
    2: function* (_d, keys) {
        for (const table of ['users', 'agents', 'tokens', 'secrets', 'secret_versions']) {
            yield* run(`ALTER TABLE ${table} ADD COLUMN mac TEXT NOT NULL DEFAULT ''`);
        }
        for (const r of yield* program_all('SELECT * FROM users')) {
            const u = { ...toUser(r), tokenHash: keys.rekeyDigest(r.token_hash) };
            yield* run('UPDATE users SET token_hash = ?, mac = ? WHERE id = ?', [u.tokenHash, macOf(keys, 'users', u), u.id]);
        }
        for (const r of yield* program_all('SELECT * FROM agents')) {
            const a = { ...toAgent(r), keyHash: keys.rekeyDigest(r.key_hash) };
            yield* run('UPDATE agents SET key_hash = ?, mac = ? WHERE id = ?', [a.keyHash, macOf(keys, 'agents', a), a.id]);
        }
        for (const r of yield* program_all('SELECT * FROM tokens')) {
            const t = { ...toToken(r), hash: keys.rekeyDigest(r.hash) };
            yield* run('UPDATE tokens SET hash = ?, mac = ? WHERE id = ?', [t.hash, macOf(keys, 'tokens', t), t.id]);
        }
        for (const r of yield* program_all('SELECT * FROM secrets')) {
            const sec = toSecret(r);
            yield* run('UPDATE secrets SET mac = ? WHERE path = ?', [macOf(keys, 'secrets', sec), sec.path]);
        }
        for (const r of yield* program_all('SELECT path, version, type, tier, created_at, created_by, deleted_at FROM secret_versions')) {
            const v = toVersion({ ...r, ciphertext: null });
            yield* run('UPDATE secret_versions SET mac = ? WHERE path = ? AND version = ?', [
                macOf(keys, 'secret_versions', v),
                v.path,
                v.version,
            ]);
        }
    },
    // 3 → 4: lockout and rate-limit state moves into the store, shared by every replica.
    3: function* (d) {
        yield* script(limitTablesSql(d));
    },
    // 4 → 5: rotation (stages, rotations, policies, agents' replaced keys).
    4: function* (d) {
        yield* script(rotationTablesSql(d));
    },
    // 5 → 6: approvals, and users that may decide them (an existing user is no approver; its MAC stays valid).
    5: function* (d) {
        yield* run(`ALTER TABLE users ADD COLUMN approver ${types(d).int} NOT NULL DEFAULT 0`);
        yield* script(approvalTablesSql(d));
    },
    // 6 → 7: hourly rollups of the audit log (made on first use; nothing to convert).
    6: function* (d) {
        yield* script(rollupTablesSql(d));
    },
};
/** Runs every step from the store's schema version to this build's, inside the caller's transaction. */
function* migrations(d, keys) {
    const row = yield* get('SELECT value FROM meta WHERE key = ?', ['schema_version']);
    const from = Number(row?.value ?? 0);
    for (let v = from; v < SCHEMA_VERSION; v++) {
        const step = MIGRATIONS[v];
        if (!step)
            throw new errors/* AppError */.uV('internal', `No migration from schema version ${v}.`);
        yield* step(d, keys);
        yield* run('UPDATE meta SET value = ? WHERE key = ?', [String(v + 1), 'schema_version']);
    }
    return { from, to: SCHEMA_VERSION };
}
function* metaTableExists(d) {
    const row = d === 'sqlite'
        ? yield* get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
        : yield* get("SELECT to_regclass('meta') AS name");
    return Boolean(row?.name);
}
/**
 * Opens the schema inside the caller's transaction: creates it when `create` and the database has
 * none, and refuses one written by a newer build. An older one is refused too (it needs `ass
 * migrate`, which opens it with `older` and then runs `migrations`). Without `create`, a database
 * with no vault is refused and left as it was.
 */
function* openSchema(d, opts) {
    if (!(yield* metaTableExists(d))) {
        if (!opts.create) {
            throw new errors/* AppError */.uV('not_found', `${opts.where} holds no vault: create one with ass init (with the same --data or --database-url).`);
        }
        yield* script(schemaSql(d));
        yield* run('INSERT INTO meta (key, value) VALUES (?, ?)', ['schema_version', String(SCHEMA_VERSION)]);
        return 'created';
    }
    const row = yield* get('SELECT value FROM meta WHERE key = ?', ['schema_version']);
    const version = Number(row?.value ?? 0);
    if (!Number.isInteger(version) || version < 1) {
        throw new errors/* AppError */.uV('internal', `${opts.where} has a meta table without a valid schema version; it was not made by ass init.`);
    }
    if (version > SCHEMA_VERSION) {
        throw new errors/* AppError */.uV('conflict', `${opts.where} has schema version ${version}, newer than this build reads (${SCHEMA_VERSION}): upgrade ass, or restore a backup made for this version.`);
    }
    if (version < SCHEMA_VERSION && !opts.older) {
        throw new errors/* AppError */.uV('conflict', `${opts.where} has schema version ${version}; this build reads ${SCHEMA_VERSION}. Stop every vault process using it, back it up, then run ass migrate with the same --data (and --database-url) to upgrade it.`);
    }
    return 'opened';
}

// EXTERNAL MODULE: ./src/core/audit-chain.ts
var audit_chain = __webpack_require__(4860);
;// CONCATENATED MODULE: ./src/store/types.ts
/**
 * The storage contract. Both adapters (the embedded SQLite default and PostgreSQL) are one
 * implementation over a small driver (src/store/sql/), and pass the same contract tests.
 *
 * Reads are plain methods. Every change the vault makes on a caller's behalf is a `Change`: a
 * program the caller hands to `commit` together with the audit records that describe it, and the
 * two land in one transaction or not at all. The operations that must be atomic under concurrency
 * (spending token uses, a new secret version, the audit chain, a `jti`) are each one statement or
 * one transaction.
 */

/** What `countAudit` can group records by (`slot`: the record's time slot, see AuditCountQuery). */
const AUDIT_GROUP_KEYS = (/* unused pure expression or super */ null && ([
    'event',
    'status',
    'actorType',
    'actorName',
    'agent',
    'tokenId',
    'path',
    'tier',
    'ip',
    'claims',
    /** The repository its CI claims name (`repository`, or GitLab's `project_path`). */
    'repository',
    /** The ref its CI claims name ('' when they name none). */
    'ref',
    'slot',
]));
/**
 * A commit's transaction failed as a whole (the audit head did not verify, or the records could not
 * be written): nothing it carried was kept. A change that fails on its own rejects with its own error.
 */
class CommitFailed extends Error {
    constructor(cause) {
        super(`the audit transaction failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
        this.name = 'CommitFailed';
    }
}

;// CONCATENATED MODULE: ./src/store/sql/store.ts







const change = (program) => ({ program });
/**
 * What makes two pipeline requests the same: the run (every attempt of it) and what it runs, not
 * the OIDC token's own id or who clicked re-run.
 */
const SAME_RUN = [
    'iss',
    'repository_id',
    'repository',
    'run_id',
    'ref',
    'sha',
    'environment',
    'workflow_ref',
    'job_workflow_ref',
    'project_id',
    'pipeline_id',
    'pipeline_slug',
    'build_number',
    'oidc.circleci.com/workflow-id',
];
function sameRun(claims) {
    if (!claims)
        return null;
    return Object.fromEntries(SAME_RUN.flatMap((k) => (claims[k] === undefined ? [] : [[k, claims[k]]])));
}
/** Rows equal to `prefix` or below it: a range scan on a byte-ordered key ('/' sorts before '0'). */
function prefixRange(column, prefix) {
    return { sql: `(${column} = ? OR (${column} >= ? AND ${column} < ?))`, args: [prefix, `${prefix}/`, `${prefix}0`] };
}
const TOKEN_WITH_AGENT = `SELECT t.*, ${AGENT_COLUMNS.map((c) => `a.${c} AS a_${c}`).join(', ')}, a.mac AS a_mac FROM tokens t JOIN agents a ON a.id = t.agent_id WHERE t.id = ?`;
const SECRET_AND = `SELECT s.*, ${VERSION_COLUMNS.map((c) => `v.${c} AS v_${c}`).join(', ')}, v.mac AS v_mac FROM secrets s LEFT JOIN secret_versions v ON v.path = s.path`;
const SECRET_WITH_CURRENT = `${SECRET_AND} AND v.version = s.version WHERE s.path = ?`;
const SECRET_WITH_VERSION = `${SECRET_AND} AND v.version = ? WHERE s.path = ?`;
/**
 * How many times a read is tried while commits the vault notes meanwhile make its rows look older
 * than the audit log (see SqlStore's `fresh`): each retry races only the commits of its own moment.
 */
const FRESH_READ_TRIES = 5;
/** At most this many counters in a listing (lockouts in force first). */
const LOCKOUT_LISTING = 1000;
const toLockout = (r) => ({
    key: r.key,
    failures: Number(r.failures),
    windowStart: Number(r.window_start),
    strikes: Number(r.strikes),
    lockedUntil: Number(r.locked_until),
    lastFailure: Number(r.last_failure),
    refused: Number(r.refused),
});
/**
 * One request more in a key's window: rolls the window over when a new minute began (this
 * minute's count becomes the previous one), in one statement, so replicas never lose a count.
 */
const TAKE_RATE = `INSERT INTO rate_windows (key, window_start, count, previous) VALUES (?, ?, ?, 0)
ON CONFLICT (key) DO UPDATE SET
  previous = CASE WHEN rate_windows.window_start >= excluded.window_start THEN rate_windows.previous
    WHEN rate_windows.window_start = excluded.window_start - ${RATE_WINDOW_MS} THEN rate_windows.count ELSE 0 END,
  count = CASE WHEN rate_windows.window_start >= excluded.window_start THEN rate_windows.count + excluded.count ELSE excluded.count END,
  window_start = CASE WHEN rate_windows.window_start >= excluded.window_start THEN rate_windows.window_start ELSE excluded.window_start END
RETURNING window_start, count, previous`;
const INSERT_AUDIT = 'INSERT INTO audit (seq, time, request_id, event, status, actor_type, actor_id, actor_name, agent, token_id, path, tier, reason, ip, claims, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Every change, bound to the keys that seal the rows it writes and check the rows it reads. */
function makeChanges(keys, fresh) {
    const mac = (table, row) => macOf(keys(), table, row);
    /** A row a change reads: authentic and the latest, or the change fails. */
    const checked = (table, row, rowMac) => {
        const authentic = verified(keys(), table, row, rowMac);
        fresh(table, authentic);
        return authentic;
    };
    /** A secret's stages, authenticated (locked for the change). */
    function* stagesOf(path) {
        const r = yield* get('SELECT * FROM secret_stages WHERE path = ?', [path], { lock: true });
        return r ? checked('secret_stages', toStages(r), r.mac) : undefined;
    }
    /** The stages, if `rotationId` holds an unexpired lease on the path. */
    function* leaseOf(path, rotationId, now) {
        const stages = yield* stagesOf(path);
        return stages && stages.rotationId === rotationId && (stages.leaseUntil ?? 0) > now ? stages : undefined;
    }
    /** Removes the version a rotation put but never made current. */
    function* dropPending(stages) {
        if (stages.pendingVersion !== null) {
            yield* run('DELETE FROM secret_versions WHERE path = ? AND version = ?', [stages.path, stages.pendingVersion]);
        }
    }
    /** A new secret version, sealed (a plain write, or a rotation's pending value). */
    function* insertVersion(row) {
        yield* run(`INSERT INTO secret_versions (${VERSION_COLUMNS.join(', ')}, mac) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`, [
            row.path,
            row.version,
            row.type,
            row.tier,
            row.ciphertext,
            row.createdAt,
            row.createdBy,
            mac('secret_versions', { ...row, deletedAt: null }),
        ]);
    }
    /** A new token row, sealed (issued directly, or released by a collected approval). */
    function* insertToken(t) {
        yield* run('INSERT INTO tokens (id, kind, agent_id, hash, scopes, created_at, expires_at, max_uses, uses, allowed_ips, description, claims, revoked_at, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
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
            mac('tokens', t),
        ]);
    }
    function* writeStages(s, exists) {
        const args = [
            s.rotationId,
            s.rotator,
            s.leaseUntil,
            s.pendingVersion,
            s.previousVersion,
            s.previousUntil,
            s.updatedAt,
            mac('secret_stages', s),
        ];
        if (exists) {
            yield* run('UPDATE secret_stages SET rotation_id = ?, rotator = ?, lease_until = ?, pending_version = ?, previous_version = ?, previous_until = ?, updated_at = ?, mac = ? WHERE path = ?', [...args, s.path]);
        }
        else {
            yield* run('INSERT INTO secret_stages (rotation_id, rotator, lease_until, pending_version, previous_version, previous_until, updated_at, mac, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [...args, s.path]);
        }
    }
    return {
        createUser: (u) => change(function* () {
            if (yield* get('SELECT id FROM users WHERE name = ?', [u.name]))
                return 'name_taken';
            yield* run('INSERT INTO users (id, name, role, token_hash, created_at, revoked_at, approver, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [u.id, u.name, u.role, u.tokenHash, u.createdAt, u.revokedAt, u.approver ? 1 : 0, mac('users', u)]);
            return 'created';
        }),
        revokeUser: (id, now) => change(function* () {
            // Lock the active admins first: a concurrent revocation (another replica) waits here, then sees this one.
            const admins = (yield* program_all("SELECT * FROM users WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id", [], { lock: true })).map((r) => checked('users', toUser(r), r.mac));
            const row = yield* get('SELECT * FROM users WHERE id = ?', [id], { lock: true });
            if (!row)
                return 'not_active';
            const user = checked('users', toUser(row), row.mac);
            if (user.revokedAt !== null)
                return 'not_active';
            if (user.role === 'admin' && admins.length <= 1)
                return 'last_admin';
            const revoked = { ...user, revokedAt: now };
            yield* run('UPDATE users SET revoked_at = ?, mac = ? WHERE id = ?', [now, mac('users', revoked), id]);
            return 'revoked';
        }),
        createAgent: (a) => change(function* () {
            if (yield* get('SELECT id FROM agents WHERE name = ?', [a.name]))
                return 'name_taken';
            yield* run(`INSERT INTO agents (${AGENT_COLUMNS.join(', ')}, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
                a.id,
                a.name,
                JSON.stringify(a.scopes),
                a.description,
                json(a.trustPolicy),
                a.keyId,
                a.keyHash,
                a.createdAt,
                a.revokedAt,
                mac('agents', a),
            ]);
            return 'created';
        }),
        revokeAgent: (id, now) => change(function* () {
            const row = yield* get('SELECT * FROM agents WHERE id = ?', [id], { lock: true });
            if (!row)
                return { revoked: false, tokensRevoked: 0 };
            const agent = checked('agents', toAgent(row), row.mac);
            let revoked = false;
            if (agent.revokedAt === null) {
                yield* run('UPDATE agents SET revoked_at = ?, mac = ? WHERE id = ?', [now, mac('agents', { ...agent, revokedAt: now }), id]);
                revoked = true;
            }
            let tokensRevoked = 0;
            const live = yield* program_all('SELECT * FROM tokens WHERE agent_id = ? AND revoked_at IS NULL AND expires_at > ?', [id, now], {
                lock: true,
            });
            for (const r of live) {
                const token = checked('tokens', toToken(r), r.mac);
                yield* run('UPDATE tokens SET revoked_at = ?, mac = ? WHERE id = ?', [
                    now,
                    mac('tokens', { ...token, revokedAt: now }),
                    token.id,
                ]);
                tokensRevoked++;
            }
            return { revoked, tokensRevoked };
        }),
        createToken: (t) => change(function* () {
            yield* insertToken(t);
        }),
        revokeToken: (id, now) => change(function* () {
            const row = yield* get('SELECT * FROM tokens WHERE id = ?', [id], { lock: true });
            if (!row)
                return false;
            const token = checked('tokens', toToken(row), row.mac);
            if (token.revokedAt !== null)
                return false;
            yield* run('UPDATE tokens SET revoked_at = ?, mac = ? WHERE id = ?', [now, mac('tokens', { ...token, revokedAt: now }), id]);
            return true;
        }),
        putSecretVersion: (row, description) => change(function* () {
            const currentRow = yield* get('SELECT * FROM secrets WHERE path = ?', [row.path], { lock: true });
            const current = currentRow ? checked('secrets', toSecret(currentRow), currentRow.mac) : undefined;
            const currentVersion = current ? current.version : 0;
            if (currentVersion !== row.version - 1)
                return 'conflict';
            const stages = current ? yield* stagesOf(row.path) : undefined;
            if (stages?.rotationId) {
                if ((stages.leaseUntil ?? 0) > row.createdAt)
                    return 'rotating';
                // A rotation that stopped half-way: its pending value (this version number) goes.
                yield* dropPending(stages);
                yield* writeStages({ ...stages, rotationId: null, rotator: null, leaseUntil: null, pendingVersion: null, updatedAt: row.createdAt }, true);
                yield* run("UPDATE rotations SET state = 'aborted', finished_at = ?, reason = ? WHERE id = ? AND state = 'pending'", [
                    row.createdAt,
                    'its lease expired; the secret was written directly',
                    stages.rotationId,
                ]);
            }
            yield* insertVersion(row);
            const secret = {
                path: row.path,
                version: row.version,
                type: row.type,
                tier: row.tier,
                description,
                createdAt: current ? current.createdAt : row.createdAt,
                updatedAt: row.createdAt,
                deletedAt: null,
            };
            if (current) {
                yield* run('UPDATE secrets SET version = ?, type = ?, tier = ?, description = ?, updated_at = ?, deleted_at = NULL, mac = ? WHERE path = ?', [secret.version, secret.type, secret.tier, secret.description, secret.updatedAt, mac('secrets', secret), row.path]);
            }
            else {
                yield* run('INSERT INTO secrets (path, version, type, tier, description, created_at, updated_at, deleted_at, mac) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)', [
                    secret.path,
                    secret.version,
                    secret.type,
                    secret.tier,
                    secret.description,
                    secret.createdAt,
                    secret.updatedAt,
                    mac('secrets', secret),
                ]);
            }
            return 'ok';
        }),
        softDeleteSecret: (path, now) => change(function* () {
            const row = yield* get('SELECT * FROM secrets WHERE path = ?', [path], { lock: true });
            if (!row)
                return false;
            const secret = checked('secrets', toSecret(row), row.mac);
            if (secret.deletedAt !== null)
                return false;
            const deleted = { ...secret, deletedAt: now, updatedAt: now };
            yield* run('UPDATE secrets SET deleted_at = ?, updated_at = ?, mac = ? WHERE path = ?', [now, now, mac('secrets', deleted), path]);
            for (const r of yield* program_all('SELECT * FROM secret_versions WHERE path = ? AND deleted_at IS NULL', [path], { lock: true })) {
                const version = checked('secret_versions', toVersion(r), r.mac);
                yield* run('UPDATE secret_versions SET deleted_at = ?, mac = ? WHERE path = ? AND version = ?', [
                    now,
                    mac('secret_versions', { ...version, deletedAt: now }),
                    path,
                    version.version,
                ]);
            }
            return true;
        }),
        beginRotation: (rotation, leaseUntil, now, force = false) => change(function* () {
            const secretRow = yield* get('SELECT * FROM secrets WHERE path = ?', [rotation.path], { lock: true });
            const secret = secretRow ? checked('secrets', toSecret(secretRow), secretRow.mac) : undefined;
            if (!secret || secret.deletedAt !== null)
                return { result: 'no_secret' };
            const knownRow = yield* get('SELECT * FROM rotations WHERE id = ?', [rotation.id], { lock: true });
            const known = knownRow ? toRotation(knownRow) : undefined;
            if (known && known.path !== rotation.path)
                return { result: 'conflict_id', rotation: known };
            if (known && known.state !== 'pending')
                return { result: 'ended', rotation: known };
            const stagesRow = yield* get('SELECT * FROM secret_stages WHERE path = ?', [rotation.path], { lock: true });
            const stages = stagesRow ? checked('secret_stages', toStages(stagesRow), stagesRow.mac) : undefined;
            const holder = stages?.rotationId ?? null;
            if (holder !== null && holder !== rotation.id && (stages?.leaseUntil ?? 0) > now) {
                return { result: 'busy', stages: stages };
            }
            if (!force &&
                holder !== rotation.id &&
                stages?.previousVersion !== null &&
                stages?.previousVersion !== undefined &&
                (stages.previousUntil ?? 0) > now) {
                // Another rotation now would end the previous value's grace period early.
                return { result: 'in_grace', stages };
            }
            if (holder !== null && holder !== rotation.id) {
                // An expired lease: that rotation stopped half-way (a crashed job). Its pending value goes.
                yield* dropPending(stages);
                yield* run("UPDATE rotations SET state = 'aborted', finished_at = ?, reason = ? WHERE id = ? AND state = 'pending'", [
                    now,
                    `its lease expired; rotation ${rotation.id} took over`,
                    holder,
                ]);
            }
            const resumed = known !== undefined && holder === rotation.id;
            if (!known) {
                yield* run('INSERT INTO rotations (id, path, rotator, state, started_by, started_at, finished_at, from_version, to_version, reason) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL, NULL)', [rotation.id, rotation.path, rotation.rotator, 'pending', rotation.startedBy, rotation.startedAt, secret.version]);
            }
            const next = {
                path: rotation.path,
                rotationId: rotation.id,
                rotator: rotation.rotator,
                leaseUntil,
                pendingVersion: resumed ? (stages?.pendingVersion ?? null) : null,
                previousVersion: stages?.previousVersion ?? null,
                previousUntil: stages?.previousUntil ?? null,
                updatedAt: now,
            };
            yield* writeStages(next, stages !== undefined);
            const row = known ?? { ...rotation, fromVersion: secret.version };
            return { result: resumed ? 'resumed' : 'begun', rotation: row, stages: next };
        }),
        putPendingVersion: (rotationId, row, now) => change(function* () {
            const stages = yield* leaseOf(row.path, rotationId, now);
            if (!stages)
                return { result: 'no_lease', stages: yield* stagesOf(row.path) };
            const secretRow = yield* get('SELECT * FROM secrets WHERE path = ?', [row.path], { lock: true });
            const secret = secretRow ? checked('secrets', toSecret(secretRow), secretRow.mac) : undefined;
            if (!secret || secret.version + 1 !== row.version)
                return { result: 'no_lease', stages };
            yield* dropPending(stages);
            yield* insertVersion(row);
            yield* writeStages({ ...stages, pendingVersion: row.version, updatedAt: now }, true);
            return { result: 'ok', version: row.version };
        }),
        finishRotation: (rotationId, path, now, previousUntil) => change(function* () {
            const stages = yield* leaseOf(path, rotationId, now);
            if (!stages)
                return { result: 'no_lease' };
            if (stages.pendingVersion === null)
                return { result: 'no_pending' };
            const secretRow = yield* get('SELECT * FROM secrets WHERE path = ?', [path], { lock: true });
            const secret = secretRow ? checked('secrets', toSecret(secretRow), secretRow.mac) : undefined;
            if (!secret || secret.deletedAt !== null || secret.version + 1 !== stages.pendingVersion)
                return { result: 'no_lease' };
            const promoted = { ...secret, version: stages.pendingVersion, updatedAt: now };
            yield* run('UPDATE secrets SET version = ?, updated_at = ?, mac = ? WHERE path = ?', [
                promoted.version,
                now,
                mac('secrets', promoted),
                path,
            ]);
            yield* writeStages({
                ...stages,
                rotationId: null,
                rotator: null,
                leaseUntil: null,
                pendingVersion: null,
                previousVersion: secret.version,
                previousUntil,
                updatedAt: now,
            }, true);
            yield* run("UPDATE rotations SET state = 'finished', finished_at = ?, to_version = ? WHERE id = ?", [
                now,
                promoted.version,
                rotationId,
            ]);
            return { result: 'ok', version: promoted.version, previousVersion: secret.version };
        }),
        abortRotation: (rotationId, path, now, reason) => change(function* () {
            const stages = yield* stagesOf(path);
            if (!stages || stages.rotationId !== rotationId)
                return 'no_lease';
            yield* dropPending(stages);
            yield* writeStages({ ...stages, rotationId: null, rotator: null, leaseUntil: null, pendingVersion: null, updatedAt: now }, true);
            yield* run("UPDATE rotations SET state = 'aborted', finished_at = ?, reason = ? WHERE id = ?", [now, reason, rotationId]);
            return 'ok';
        }),
        retirePrevious: (path, version, now) => change(function* () {
            const stages = yield* stagesOf(path);
            if (!stages || stages.previousVersion !== version || (stages.previousUntil ?? 0) > now)
                return 'not_previous';
            yield* writeStages({ ...stages, previousVersion: null, previousUntil: null, updatedAt: now }, true);
            return 'ok';
        }),
        putRotationPolicy: (p) => change(function* () {
            const existing = yield* get('SELECT created_at FROM rotation_policies WHERE path = ?', [p.path], { lock: true });
            const row = existing ? { ...p, createdAt: Number(existing.created_at) } : p;
            const args = [
                row.rotator,
                JSON.stringify(row.settings),
                row.intervalSeconds,
                row.graceSeconds,
                json(row.notify),
                row.enabled ? 1 : 0,
                row.createdAt,
                row.updatedAt,
                row.updatedBy,
                mac('rotation_policies', row),
            ];
            if (existing) {
                yield* run('UPDATE rotation_policies SET rotator = ?, settings = ?, interval_seconds = ?, grace_seconds = ?, notify = ?, enabled = ?, created_at = ?, updated_at = ?, updated_by = ?, mac = ? WHERE path = ?', [...args, row.path]);
                return 'updated';
            }
            yield* run('INSERT INTO rotation_policies (rotator, settings, interval_seconds, grace_seconds, notify, enabled, created_at, updated_at, updated_by, mac, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [...args, row.path]);
            return 'created';
        }),
        deleteRotationPolicy: (path) => change(function* () {
            return (yield* run('DELETE FROM rotation_policies WHERE path = ?', [path])) > 0;
        }),
        rotateAgentKey: (agentId, newKeyId, newKeyHash, previousUntil, now) => change(function* () {
            const row = yield* get('SELECT * FROM agents WHERE id = ?', [agentId], { lock: true });
            if (!row)
                return 'not_active';
            const agent = checked('agents', toAgent(row), row.mac);
            if (agent.revokedAt !== null)
                return 'not_active';
            // Earlier replaced keys keep their own overlaps (a rerun after a crash must not cut short
            // the key that jobs still hold); only those whose time is up go.
            yield* run('DELETE FROM agent_previous_keys WHERE until <= ?', [now]);
            if (previousUntil > now) {
                const prev = { keyId: agent.keyId, agentId, keyHash: agent.keyHash, until: previousUntil };
                yield* run('INSERT INTO agent_previous_keys (key_id, agent_id, key_hash, until, mac) VALUES (?, ?, ?, ?, ?)', [
                    prev.keyId,
                    agentId,
                    prev.keyHash,
                    prev.until,
                    mac('agent_previous_keys', prev),
                ]);
            }
            const next = { ...agent, keyId: newKeyId, keyHash: newKeyHash };
            yield* run('UPDATE agents SET key_id = ?, key_hash = ?, mac = ? WHERE id = ?', [
                newKeyId,
                newKeyHash,
                mac('agents', next),
                agentId,
            ]);
            return 'ok';
        }),
        setUserApprover: (id, approver) => change(function* () {
            const row = yield* get('SELECT * FROM users WHERE id = ?', [id], { lock: true });
            if (!row)
                return { result: 'not_active' };
            const user = checked('users', toUser(row), row.mac);
            if (user.revokedAt !== null)
                return { result: 'not_active' };
            if (user.approver === approver)
                return { result: 'unchanged', user };
            const updated = { ...user, approver };
            yield* run('UPDATE users SET approver = ?, mac = ? WHERE id = ?', [approver ? 1 : 0, mac('users', updated), id]);
            return { result: 'updated', user: updated };
        }),
        putApprovalPolicy: (p, expectedRevision) => change(function* () {
            const r = yield* get('SELECT * FROM approval_policy WHERE id = 1', [], { lock: true });
            const current = r ? checked('approval_policy', toApprovalPolicy(r), r.mac) : undefined;
            if (expectedRevision !== undefined && (current?.revision ?? 0) !== expectedRevision)
                return 'conflict';
            // Revisions only go forward, even when two changes land in the same millisecond.
            const row = { ...p, revision: Math.max(p.revision, (current?.revision ?? 0) + 1) };
            const args = [JSON.stringify(row.policy), row.revision, row.updatedBy, mac('approval_policy', row)];
            if (current)
                yield* run('UPDATE approval_policy SET policy = ?, revision = ?, updated_by = ?, mac = ? WHERE id = 1', args);
            else
                yield* run('INSERT INTO approval_policy (policy, revision, updated_by, mac, id) VALUES (?, ?, ?, ?, 1)', args);
            p.revision = row.revision;
            return 'ok';
        }),
        createApproval: (a, now, maxPending) => change(function* () {
            const open = (yield* program_all("SELECT * FROM approvals WHERE requester_id = ? AND status IN ('pending', 'approved') AND expires_at > ?", [a.requesterId, now], { lock: true })).map((r) => checked('approvals', toApproval(r), r.mac));
            // The same request again (a client retrying, a CI job re-run) is the same request: approvers
            // see it once, and one already approved is collected rather than asked for again.
            const same = open.find((p) => p.kind === a.kind &&
                p.tokenId === a.tokenId &&
                p.requesterType === a.requesterType &&
                p.description === a.description &&
                JSON.stringify(p.paths) === JSON.stringify(a.paths) &&
                JSON.stringify(p.ask) === JSON.stringify(a.ask) &&
                JSON.stringify(sameRun(p.claims)) === JSON.stringify(sameRun(a.claims)));
            if (same)
                return { result: 'existing', row: same };
            // The cap is per credential (and per CI run): one leaked token or one looping run cannot
            // use up the agent's other tokens' and runs' requests.
            const capOf = (r) => r.tokenId ?? (r.kind === 'exchange' ? `run:${JSON.stringify(sameRun(r.claims))}` : `${r.requesterType}:${r.requesterId}`);
            const pending = open.filter((p) => p.status === 'pending');
            if (pending.filter((p) => capOf(p) === capOf(a)).length >= maxPending)
                return { result: 'too_many' };
            // And all of one agent's (or user's) credentials and runs together: five times that.
            if (pending.length >= maxPending * 5)
                return { result: 'too_many' };
            yield* run(`INSERT INTO approvals (id, kind, status, requester_type, requester_id, requester_name, token_id, claims, paths, ask, description, ip,
            required_approvals, approvers, rule, created_at, expires_at, decided_at, collected_at, collected_token_id, mac)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
                a.id,
                a.kind,
                a.status,
                a.requesterType,
                a.requesterId,
                a.requesterName,
                a.tokenId,
                json(a.claims),
                JSON.stringify(a.paths),
                JSON.stringify(a.ask),
                a.description,
                a.ip,
                a.requiredApprovals,
                JSON.stringify(a.approvers),
                a.rule,
                a.createdAt,
                a.expiresAt,
                a.decidedAt,
                a.collectedAt,
                a.collectedTokenId,
                mac('approvals', a),
            ]);
            return { result: 'created', row: a };
        }),
        decideApproval: (d, now, counts) => change(function* () {
            const r = yield* get('SELECT * FROM approvals WHERE id = ?', [d.approvalId], { lock: true });
            if (!r)
                return { result: 'not_found' };
            const row = checked('approvals', toApproval(r), r.mac);
            if (row.status !== 'pending')
                return { result: 'not_pending', row };
            if (row.expiresAt <= now)
                return { result: 'expired', row };
            const decisions = (yield* program_all('SELECT * FROM approval_decisions WHERE approval_id = ? ORDER BY time, user_id', [row.id], {
                lock: true,
            })).map((x) => checked('approval_decisions', toDecision(x), x.mac));
            const count = (list) => new Set(list.filter((x) => x.decision === 'approve' && counts.has(x.userId)).map((x) => x.userId)).size;
            const mine = decisions.find((x) => x.userId === d.userId);
            if (mine) {
                // An approver who approved, stopped counting (unflagged) and counts again confirms it by
                // approving again: the request is counted afresh rather than stuck.
                if (mine.decision !== 'approve' || d.decision !== 'approve' || count(decisions) < row.requiredApprovals) {
                    return { result: 'already_decided', row, decisions };
                }
                const decided = { ...row, status: 'approved', decidedAt: now };
                yield* run('UPDATE approvals SET status = ?, decided_at = ?, mac = ? WHERE id = ?', [
                    'approved',
                    now,
                    mac('approvals', decided),
                    row.id,
                ]);
                return { result: 'approved', row: decided, decisions };
            }
            yield* run('INSERT INTO approval_decisions (approval_id, user_id, user_name, decision, reason, time, mac) VALUES (?, ?, ?, ?, ?, ?, ?)', [d.approvalId, d.userId, d.userName, d.decision, d.reason, d.time, mac('approval_decisions', d)]);
            const all_ = [...decisions, d];
            // Distinct approvers, counted inside the transaction that holds the request's row.
            const approvals = count(all_);
            const status = d.decision === 'deny' ? 'denied' : approvals >= row.requiredApprovals ? 'approved' : 'pending';
            if (status === 'pending')
                return { result: 'recorded', row, decisions: all_ };
            const decided = { ...row, status, decidedAt: now };
            yield* run('UPDATE approvals SET status = ?, decided_at = ?, mac = ? WHERE id = ?', [
                status,
                now,
                mac('approvals', decided),
                row.id,
            ]);
            return { result: status === 'denied' ? 'denied' : 'approved', row: decided, decisions: all_ };
        }),
        collectApproval: (id, now, token) => change(function* () {
            const r = yield* get('SELECT * FROM approvals WHERE id = ?', [id], { lock: true });
            if (!r)
                return { result: 'not_found' };
            const row = checked('approvals', toApproval(r), r.mac);
            if (row.status !== 'approved')
                return { result: 'not_approved', row };
            if (row.expiresAt <= now)
                return { result: 'expired', row };
            const collected = { ...row, status: 'collected', collectedAt: now, collectedTokenId: token?.id ?? null };
            yield* run('UPDATE approvals SET status = ?, collected_at = ?, collected_token_id = ?, mac = ? WHERE id = ?', [
                'collected',
                now,
                collected.collectedTokenId,
                mac('approvals', collected),
                id,
            ]);
            if (token)
                yield* insertToken(token);
            return { result: 'collected', row: collected };
        }),
        expireApprovals: (now, limit) => change(function* () {
            const rows = (yield* program_all("SELECT * FROM approvals WHERE status IN ('pending', 'approved') AND expires_at <= ? ORDER BY expires_at LIMIT ?", [now, limit], {
                lock: true,
            })).map((r) => checked('approvals', toApproval(r), r.mac));
            const expired = [];
            for (const row of rows) {
                const e = { ...row, status: 'expired' };
                yield* run('UPDATE approvals SET status = ?, mac = ? WHERE id = ?', ['expired', mac('approvals', e), row.id]);
                expired.push(e);
            }
            return expired;
        }),
        clearLockouts: (keys) => change(function* () {
            if (keys === 'all')
                return yield* run('DELETE FROM lockouts');
            let n = 0;
            for (const key of keys)
                n += yield* run('DELETE FROM lockouts WHERE key = ?', [key]);
            return n;
        }),
        rewrapSecretVersions: (rewrap) => change(function* () {
            let changed = 0;
            // The ciphertext is sealed to its path and version by its own AEAD tags, not by the row MAC.
            for (const r of yield* program_all('SELECT path, version, ciphertext FROM secret_versions ORDER BY path, version', [], { lock: true })) {
                const next = rewrap({ path: r.path, version: Number(r.version), ciphertext: r.ciphertext });
                if (next) {
                    yield* run('UPDATE secret_versions SET ciphertext = ? WHERE path = ? AND version = ?', [next, r.path, Number(r.version)]);
                    changed++;
                }
            }
            return changed;
        }),
    };
}
/**
 * One transaction for a batch of commits: the authenticated head is checked against the last
 * record once, then each commit (its change and its records) runs in a savepoint: one that fails
 * is rolled back alone and its caller gets the error. If anything else fails (the head check, the
 * commit itself), the whole transaction rolls back and every caller in it gets the error.
 */
function* flushProgram(batch) {
    const headRow = yield* get('SELECT seq, hash, mac FROM audit_head WHERE id = 1', [], { lock: true });
    const lastRow = yield* get('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    const head = headRow ? { seq: Number(headRow.seq), hash: headRow.hash, mac: headRow.mac } : undefined;
    batch[0].seal.verifyHead(head, lastRow ? { seq: Number(lastRow.seq), hash: lastRow.hash } : undefined);
    let seq = head.seq;
    let prevHash = head.hash;
    let headMac = '';
    const outcomes = [];
    for (const item of batch) {
        // Each commit in its own savepoint: a change or a record that fails takes only its own
        // request down, and the chain goes on from the last record that stayed.
        const mark = { seq, prevHash, headMac };
        // The change and the caller's `entries` may refuse (their errors reach the caller as they are);
        // once the records are being written, a failure means the audit log could not take them.
        let writingRecords = false;
        yield* run('SAVEPOINT ass_commit');
        try {
            const result = item.change ? yield* item.change.program() : undefined;
            const entries = item.entries(result);
            writingRecords = true;
            const records = [];
            for (const entry of entries) {
                seq += 1;
                const sealed = item.seal.seal(entry, seq, prevHash);
                yield* run(INSERT_AUDIT, [
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
                ]);
                records.push({ ...entry, seq, prevHash, hash: sealed.hash });
                prevHash = sealed.hash;
                headMac = sealed.headMac;
            }
            yield* run('RELEASE SAVEPOINT ass_commit');
            outcomes.push({ ok: true, value: { result, records } });
        }
        catch (error) {
            yield* run('ROLLBACK TO SAVEPOINT ass_commit');
            yield* run('RELEASE SAVEPOINT ass_commit');
            ({ seq, prevHash, headMac } = mark);
            outcomes.push({ ok: false, error: writingRecords ? new CommitFailed(error) : error });
        }
    }
    if (headMac)
        yield* run('UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1', [seq, prevHash, headMac]);
    return outcomes;
}
const HOUR_MS = 3_600_000;
/** An hour is rolled up once it ended this long ago (appends stamped just before its end have landed). */
const ROLLUP_MARGIN_MS = 2 * 60_000;
/** Groups kept per part of a summary before the parts are merged and cut to the caller's limit. */
const SUMMARY_PART_LIMIT = 100_000;
/** The claims a summary names a pipeline by (the run's own ids would make every run a group). */
const PIPELINE_CLAIMS = ['repository', 'project_path', 'iss', 'workflow_ref', 'job_workflow_ref', 'pipeline_slug'];
function pipelineNames(claims) {
    return Object.fromEntries(PIPELINE_CLAIMS.filter((k) => typeof claims[k] === 'string').map((k) => [k, claims[k]]));
}
function mergeExchanges(rows) {
    const out = new Map();
    for (const r of rows) {
        const key = `${r.status}\n${JSON.stringify(r.claims)}`;
        const e = out.get(key);
        if (e)
            e.count += r.count;
        else
            out.set(key, { ...r });
    }
    return [...out.values()].sort((a, b) => b.count - a.count).slice(0, 10_000);
}
/** Adds up summaries of disjoint ranges, and cuts each table to `limit` in the order the SQL gives. */
function mergeSummaries(parts, limit) {
    const sum = (rows, key, add) => {
        const out = new Map();
        for (const r of rows) {
            const e = out.get(key(r));
            if (e)
                add(e, r);
            else
                out.set(key(r), { ...r });
        }
        return [...out.values()];
    };
    const text = (v) => v ?? '';
    const all = (k) => parts.flatMap((p) => p[k]);
    return {
        byEventStatus: sum(all('byEventStatus'), (r) => `${r.event}\n${r.status}`, (e, r) => {
            e.count += r.count;
        }),
        byActor: sum(all('byActor'), (r) => JSON.stringify([r.actorType, r.actorName, r.agent]), (e, r) => {
            e.count += r.count;
            e.denied += r.denied;
        })
            .sort((a, b) => b.count - a.count || cmp(text(a.actorName), text(b.actorName)))
            .slice(0, limit),
        byPath: sum(all('byPath'), (r) => r.path, (e, r) => {
            e.reads += r.reads;
            e.writes += r.writes;
            e.denied += r.denied;
            e.count += r.count;
            if (e.tier === null || (r.tier !== null && r.tier > e.tier))
                e.tier = r.tier;
        })
            .sort((a, b) => b.count - a.count || cmp(a.path, b.path))
            .slice(0, limit),
        byAddress: sum(all('byAddress'), (r) => r.ip, (e, r) => {
            e.count += r.count;
            e.denied += r.denied;
        })
            .sort((a, b) => b.count - a.count || cmp(text(a.ip), text(b.ip)))
            .slice(0, limit),
        byHour: sum(all('byHour'), (r) => r.hour, (e, r) => {
            e.count += r.count;
            e.reads += r.reads;
            e.denied += r.denied;
        }).sort((a, b) => a.hour - b.hour),
        denials: sum(all('denials'), (r) => `${r.event}\n${r.code}`, (e, r) => {
            e.count += r.count;
            if (e.reason === null || (r.reason !== null && r.reason < e.reason))
                e.reason = r.reason;
        })
            .sort((a, b) => b.count - a.count || cmp(a.event, b.event))
            .slice(0, limit),
        exchanges: mergeExchanges(all('exchanges')),
    };
}
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** A JSON string as JSON.stringify writes it: no raw control character, only JSON's own escapes. */
const JSON_STRING = String.raw `"([^"\\\x01-\x1f]|\\(["\\/bfnrt]|u[0-9a-fA-F]{4}))*"`;
/**
 * The claims the vault writes (a flat JSON object of strings), matched exactly. PostgreSQL before 16
 * cannot ask whether text is JSON without failing the whole query on text that is not, and a claims
 * column edited behind the vault's back must not stop the anomaly checks (it fails its record's hash,
 * which they report).
 */
const CLAIMS_OBJECT = String.raw `^\{\}$|^\{${JSON_STRING}:${JSON_STRING}(,${JSON_STRING}:${JSON_STRING})*\}$`;
/** The column (or, for a claim, the expression) each audit grouping key reads, in each dialect (a fixed list: never text from a request). */
function auditColumns(d) {
    const claim = (name) => d === 'sqlite'
        ? `CASE WHEN json_valid(claims) THEN json_extract(claims, '$.${name}') END`
        : `CASE WHEN claims ~ '${CLAIMS_OBJECT}' THEN claims::json ->> '${name}' END`;
    return {
        event: 'event',
        status: 'status',
        actorType: 'actor_type',
        actorName: 'actor_name',
        agent: 'agent',
        tokenId: 'token_id',
        path: 'path',
        tier: 'tier',
        ip: 'ip',
        claims: 'claims',
        // GitHub names the repository, GitLab the project; a claim set without a ref groups under ''.
        repository: `COALESCE(${claim('repository')}, ${claim('project_path')})`,
        ref: `COALESCE(${claim('ref')}, '')`,
    };
}
class SqlStore {
    driver;
    changes = makeChanges(() => this.keys(), (table, row) => this.freshness?.check(table, row));
    queue = [];
    scheduled = false;
    flushing = false;
    integrity;
    freshness;
    /** The audit grouping expressions of this store's dialect. */
    columns;
    constructor(driver) {
        this.driver = driver;
        this.columns = auditColumns(driver.dialect);
    }
    useIntegrity(integrity, freshness) {
        this.integrity = integrity;
        this.freshness = freshness;
    }
    keys() {
        if (!this.integrity)
            throw new Error('the store read or wrote a row before its keys were loaded');
        return this.integrity;
    }
    /** A mapped row, if its MAC verifies (`mac` is the row's MAC column, or the alias of a join's). */
    checked(table, row, mac) {
        const authentic = verified(this.keys(), table, row, mac);
        try {
            this.freshness?.check(table, authentic);
        }
        catch (err) {
            if (typeof err === 'object' && err !== null)
                this.refusedAsOlder.add(err);
            throw err;
        }
        return authentic;
    }
    /** The errors of rows the freshness index refused (as older than the log says), for `fresh`. */
    refusedAsOlder = new WeakSet();
    /**
     * Runs a read outside a transaction, again if the freshness index refused a row it read while the
     * index took in new records. On PostgreSQL such a read sees the rows as they were when its
     * statement began, on a pooled connection of its own, while the vault notes a commit that lands
     * meanwhile (its own, or another replica's): the row it read is then honestly older than the
     * index, and a read begun after that note sees the commit. A row refused by an index that did
     * not move while it was read is an earlier copy put back, and so is one still refused after a few
     * tries. (SQLite reads run whole before anything else does: nothing moves under them.)
     */
    async fresh(read) {
        for (let attempt = 1;; attempt++) {
            const before = this.freshness?.generation;
            try {
                return await read();
            }
            catch (err) {
                const raced = typeof err === 'object' && err !== null && this.refusedAsOlder.has(err) && this.freshness?.generation !== before;
                if (!raced || attempt >= FRESH_READ_TRIES)
                    throw err;
            }
        }
    }
    /** One row, mapped by `map` (which checks it), by `fresh`. */
    row(sql, args, map) {
        return this.fresh(async () => {
            const r = await this.one(sql, args);
            return r ? map(r) : undefined;
        });
    }
    /** Rows, each mapped by `map` (which checks it), by `fresh`. */
    rows(sql, args, map) {
        return this.fresh(async () => (await this.many(sql, args)).map(map));
    }
    async migrate(keys) {
        return this.driver.transaction(migrations(this.driver.dialect, keys));
    }
    one(sql, args = []) {
        return this.driver.statement({ kind: 'get', sql, args });
    }
    many(sql, args = []) {
        return this.driver.statement({ kind: 'all', sql, args });
    }
    async getMeta(key) {
        return (await this.one('SELECT value FROM meta WHERE key = ?', [key]))?.value;
    }
    async setMeta(key, value) {
        await this.driver.read(run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]));
    }
    async setMetaIfAbsent(key, value) {
        await this.driver.read(run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]));
        return (await this.getMeta(key));
    }
    getUser(id) {
        return this.row('SELECT * FROM users WHERE id = ?', [id], (r) => this.checked('users', toUser(r), r.mac));
    }
    getUserByName(name) {
        return this.row('SELECT * FROM users WHERE name = ?', [name], (r) => this.checked('users', toUser(r), r.mac));
    }
    listUsers() {
        return this.rows('SELECT * FROM users ORDER BY created_at, name', [], (r) => this.checked('users', toUser(r), r.mac));
    }
    getApprovalPolicy() {
        return this.row('SELECT * FROM approval_policy WHERE id = 1', [], (r) => this.checked('approval_policy', toApprovalPolicy(r), r.mac));
    }
    async getApproval(id) {
        const row = await this.row('SELECT * FROM approvals WHERE id = ?', [id], (r) => this.checked('approvals', toApproval(r), r.mac));
        if (!row)
            return undefined;
        return { row, decisions: await this.listApprovalDecisions([id]) };
    }
    async listApprovals(filter) {
        const where = [];
        const args = [];
        if (filter.statuses?.length) {
            where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
            args.push(...filter.statuses);
        }
        if (filter.requesterId) {
            where.push('requester_id = ?');
            args.push(filter.requesterId);
        }
        const sql = `SELECT * FROM approvals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`;
        return this.rows(sql, [...args, filter.limit], (r) => this.checked('approvals', toApproval(r), r.mac));
    }
    async listApprovalDecisions(ids) {
        if (ids.length === 0)
            return [];
        return this.rows(`SELECT * FROM approval_decisions WHERE approval_id IN (${ids.map(() => '?').join(', ')}) ORDER BY time, user_id`, ids, (r) => this.checked('approval_decisions', toDecision(r), r.mac));
    }
    agentBy(column, value) {
        return this.row(`SELECT * FROM agents WHERE ${column} = ?`, [value], (r) => this.checked('agents', toAgent(r), r.mac));
    }
    getAgentByName(name) {
        return this.agentBy('name', name);
    }
    getAgentById(id) {
        return this.agentBy('id', id);
    }
    async getAgentByKeyId(keyId, now) {
        const agent = await this.agentBy('key_id', keyId);
        if (agent || now === undefined)
            return agent;
        // A key replaced with an overlap still opens its agent until its time is up.
        const prev = await this.row('SELECT * FROM agent_previous_keys WHERE key_id = ?', [keyId], (r) => this.checked('agent_previous_keys', toPreviousKey(r), r.mac));
        if (!prev || prev.until <= now)
            return undefined;
        const owner = await this.agentBy('id', prev.agentId);
        return owner ? { ...owner, keyId: prev.keyId, keyHash: prev.keyHash, replacedKeyUntil: prev.until } : undefined;
    }
    listAgents() {
        return this.rows('SELECT * FROM agents ORDER BY created_at, name', [], (r) => this.checked('agents', toAgent(r), r.mac));
    }
    getToken(id) {
        return this.row('SELECT * FROM tokens WHERE id = ?', [id], (r) => this.checked('tokens', toToken(r), r.mac));
    }
    getTokenWithAgent(id) {
        return this.row(TOKEN_WITH_AGENT, [id], (r) => ({
            token: this.checked('tokens', toToken(r), r.mac),
            agent: this.checked('agents', toAgent(r, 'a_'), r.a_mac),
        }));
    }
    async listTokens(filter) {
        const where = [];
        const args = [];
        if (filter.agentId) {
            where.push('agent_id = ?');
            args.push(filter.agentId);
        }
        if (filter.createdSince !== undefined) {
            where.push('created_at >= ?');
            args.push(filter.createdSince);
        }
        if (filter.createdBefore !== undefined) {
            where.push('created_at < ?');
            args.push(filter.createdBefore);
        }
        if (filter.activeAt !== undefined) {
            where.push('revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)');
            args.push(filter.activeAt);
        }
        const sql = `SELECT * FROM tokens ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`;
        return this.rows(sql, args, (r) => this.checked('tokens', toToken(r), r.mac));
    }
    async spendToken(id, n, now) {
        // One conditional UPDATE: the check and the spend cannot be separated by another request.
        const spent = await this.one('UPDATE tokens SET uses = uses + ? WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses + ? <= max_uses) RETURNING uses', [n, id, now, n]);
        if (spent)
            return { ok: true, uses: Number(spent.uses) };
        // Only to say why: nothing was spent.
        const t = await this.one('SELECT revoked_at, expires_at FROM tokens WHERE id = ?', [id]);
        if (!t)
            return { ok: false, reason: 'not_found' };
        if (t.revoked_at !== null)
            return { ok: false, reason: 'revoked' };
        if (Number(t.expires_at) <= now)
            return { ok: false, reason: 'expired' };
        return { ok: false, reason: 'exhausted' };
    }
    getSecret(path) {
        return this.row('SELECT * FROM secrets WHERE path = ?', [path], (r) => this.checked('secrets', toSecret(r), r.mac));
    }
    getSecretStages(path) {
        return this.row('SELECT * FROM secret_stages WHERE path = ?', [path], (r) => this.checked('secret_stages', toStages(r), r.mac));
    }
    async getRotation(id) {
        const r = await this.one('SELECT * FROM rotations WHERE id = ?', [id]);
        return r ? toRotation(r) : undefined;
    }
    listRotationPolicies() {
        return this.rows('SELECT * FROM rotation_policies ORDER BY path', [], (r) => this.checked('rotation_policies', toPolicy(r), r.mac));
    }
    getSecretVersion(path, version) {
        return this.row('SELECT * FROM secret_versions WHERE path = ? AND version = ?', [path, version], (r) => this.checked('secret_versions', toVersion(r), r.mac));
    }
    readSecret(path, version) {
        const [sql, args] = version === undefined ? [SECRET_WITH_CURRENT, [path]] : [SECRET_WITH_VERSION, [version, path]];
        return this.row(sql, args, (r) => ({
            // The secrets row's MAC covers its current version and deletion: neither can be set back.
            secret: this.checked('secrets', toSecret(r), r.mac),
            version: r.v_path === null || r.v_path === undefined ? undefined : this.checked('secret_versions', toVersion(r, 'v_'), r.v_mac),
        }));
    }
    async listSecrets(prefix, includeDeleted, limit) {
        const deleted = includeDeleted ? '' : 'AND deleted_at IS NULL';
        const range = prefix === '' ? { sql: '1 = 1', args: [] } : prefixRange('path', prefix);
        const map = (r) => this.checked('secrets', toSecret(r), r.mac);
        return limit === undefined
            ? this.rows(`SELECT * FROM secrets WHERE ${range.sql} ${deleted} ORDER BY path`, range.args, map)
            : this.rows(`SELECT * FROM secrets WHERE ${range.sql} ${deleted} ORDER BY path LIMIT ?`, [...range.args, limit], map);
    }
    listVersions(path) {
        return this.rows('SELECT * FROM secret_versions WHERE path = ? ORDER BY version', [path], (r) => this.checked('secret_versions', toVersion(r), r.mac));
    }
    commit(change, entries, seal) {
        return new Promise((resolve, reject) => {
            this.queue.push({
                change: change,
                entries: entries,
                seal,
                resolve: resolve,
                reject,
            });
            this.schedule();
        });
    }
    /**
     * Group commit: what arrives within one turn of the event loop (and, on PostgreSQL, while the
     * previous batch is committing) goes into one transaction, and each caller's promise settles
     * only after that transaction commits, so nothing is released before its record is stored.
     */
    schedule() {
        if (this.scheduled || this.flushing)
            return;
        this.scheduled = true;
        setImmediate(() => void this.flush());
    }
    async flush() {
        this.scheduled = false;
        const batch = this.queue;
        if (batch.length === 0)
            return;
        this.queue = [];
        this.flushing = true;
        let outcomes;
        try {
            outcomes = await this.driver.transaction(flushProgram(batch));
        }
        catch (err) {
            const failed = new CommitFailed(err);
            for (const b of batch)
                b.reject(failed);
            return;
        }
        finally {
            this.flushing = false;
            if (this.queue.length > 0)
                this.schedule();
        }
        for (const [i, b] of batch.entries()) {
            const o = outcomes[i];
            if (o.ok)
                b.resolve(o.value);
            else
                b.reject(o.error);
        }
    }
    async initAuditHead(genesisMac) {
        await this.driver.transaction((function* () {
            const head = yield* get('SELECT seq FROM audit_head WHERE id = 1', [], { lock: true });
            const any = yield* get('SELECT seq FROM audit LIMIT 1');
            if (head || any)
                throw new Error('the audit log has already begun');
            yield* run('INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, ?, ?)', [audit_chain/* GENESIS_HASH */.si, genesisMac]);
        })());
    }
    /** The WHERE clause of an audit query (every filter is a bound argument). */
    auditWhere(q) {
        const where = [];
        const args = [];
        const add = (sql, ...values) => {
            where.push(sql);
            args.push(...values);
        };
        const list = (column, values) => add(`${column} IN (${values.map(() => '?').join(', ')})`, ...values);
        if (q.afterSeq !== undefined)
            add('seq > ?', q.afterSeq);
        if (q.upToSeq !== undefined)
            add('seq <= ?', q.upToSeq);
        if (q.since !== undefined)
            add('time >= ?', q.since);
        if (q.until !== undefined)
            add('time < ?', q.until);
        if (q.ranges) {
            if (q.ranges.length === 0)
                add('1 = 0');
            else
                add(`(${q.ranges.map(() => '(time >= ? AND time < ?)').join(' OR ')})`, ...q.ranges.flat());
        }
        if (q.eventTypes?.length)
            list('event', [...new Set(q.eventTypes)].sort());
        if (q.status)
            add('status = ?', q.status);
        if (q.actorType !== undefined)
            add('actor_type = ?', q.actorType);
        if (q.actorName !== undefined)
            add('actor_name = ?', q.actorName);
        if (q.agent !== undefined)
            add('agent = ?', q.agent);
        if (q.ip !== undefined)
            add('ip = ?', q.ip);
        if (q.tokenId !== undefined)
            add('token_id = ?', q.tokenId);
        if (q.tiers?.length)
            list('tier', [...new Set(q.tiers)].sort());
        if (q.paths) {
            if (q.paths.length === 0)
                add('1 = 0');
            else
                list('path', [...new Set(q.paths)].sort());
        }
        if (q.ips) {
            if (q.ips.length === 0)
                add('1 = 0');
            else
                list('ip', [...new Set(q.ips)].sort());
        }
        if (q.tokenIds) {
            if (q.tokenIds.length === 0)
                add('1 = 0');
            else
                list('token_id', [...new Set(q.tokenIds)].sort());
        }
        if (q.repository !== undefined)
            add(`${this.columns.repository} = ?`, q.repository);
        if (q.ref !== undefined)
            add(`${this.columns.ref} = ?`, q.ref);
        if (q.resourcePath) {
            const range = prefixRange('path', q.resourcePath);
            add(range.sql, ...range.args);
        }
        return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
    }
    async queryAudit(q) {
        const { sql: where, args } = this.auditWhere(q);
        const order = (q.newestFirst ?? true) ? 'DESC' : 'ASC';
        if (q.limit !== undefined)
            args.push(Math.max(0, Math.floor(q.limit)));
        const limit = q.limit !== undefined ? 'LIMIT ?' : '';
        return (await this.many(`SELECT * FROM audit ${where} ORDER BY seq ${order} ${limit}`, args)).map(toAuditRecord);
    }
    async countAudit(q) {
        const { sql: where, args } = this.auditWhere(q);
        const columns = [];
        const slotArgs = [];
        for (const k of q.groupBy) {
            if (k === 'slot') {
                const s = q.slot;
                if (!s || !(s.ms > 0))
                    throw new Error('countAudit: grouping by slot needs slot.ms');
                // Integer arithmetic on both dialects: node:sqlite binds every JS number as a REAL, which
                // would make the division fractional (one group per record), hence the casts.
                const int = 'CAST(? AS BIGINT)';
                columns.push(s.period ? `((time - ${int}) % ${int}) / ${int}` : `(time - ${int}) / ${int}`);
                slotArgs.push(...(s.period ? [Math.floor(s.from), Math.floor(s.period), Math.floor(s.ms)] : [Math.floor(s.from), Math.floor(s.ms)]));
            }
            else
                columns.push(this.columns[k]);
        }
        const keys = columns.map((c, i) => `${c} AS k${i}`);
        const groups = columns.map((_, i) => `k${i}`);
        // Ties in the same order on both stores (their NULLs sort apart by default).
        const sql = `SELECT ${[...keys, 'COUNT(*) AS n', 'MIN(time) AS t0', 'MAX(time) AS t1'].join(', ')} FROM audit ${where}${groups.length ? ` GROUP BY ${groups.join(', ')}` : ''} ORDER BY n DESC${groups.length ? `, ${groups.map((g) => `${g} NULLS FIRST`).join(', ')}` : ''} LIMIT ?`;
        const rows = await this.many(sql, [...slotArgs, ...args, Math.max(1, Math.floor(q.limit))]);
        return rows.map((r) => {
            const key = {};
            q.groupBy.forEach((k, i) => {
                const v = r[`k${i}`];
                key[k] = v === null || v === undefined ? null : k === 'slot' ? Math.floor(Number(v)) : String(v);
            });
            return { key, count: Number(r.n ?? 0), firstTime: Number(r.t0 ?? 0), lastTime: Number(r.t1 ?? 0) };
        });
    }
    async summarizeAudit(requestedSince, until, limit, now) {
        // Nothing is older than the log's first record: a `since` of years (or of 1970) must not make
        // and store a rollup for every hour before it.
        const oldest = await this.one('SELECT MIN(time) AS t FROM audit');
        const since = Math.max(requestedSince, oldest?.t === null || oldest?.t === undefined ? until : Number(oldest.t));
        // Whole hours that ended (with a margin for appends stamped just before) come from rollups.
        const first = Math.ceil(since / HOUR_MS) * HOUR_MS;
        const end = Math.min(Math.floor(until / HOUR_MS) * HOUR_MS, Math.floor((now - ROLLUP_MARGIN_MS) / HOUR_MS) * HOUR_MS);
        if (end - first < 2 * HOUR_MS)
            return this.summarizeRange(since, until, limit);
        const parts = await Promise.all([
            this.summarizeRange(since, first, SUMMARY_PART_LIMIT),
            this.rollups(first, end),
            this.summarizeRange(end, until, SUMMARY_PART_LIMIT),
        ]);
        return mergeSummaries([parts[0], ...parts[1], parts[2]], limit);
    }
    async rollUpAudit(from, now) {
        const first = Math.ceil(from / HOUR_MS) * HOUR_MS;
        const end = Math.floor((now - ROLLUP_MARGIN_MS) / HOUR_MS) * HOUR_MS;
        if (end <= first)
            return 0;
        const have = new Set((await this.many('SELECT hour FROM audit_rollups WHERE hour >= ? AND hour < ?', [first, end])).map((r) => Number(r.hour)));
        let made = 0;
        for (let h = first; h < end; h += HOUR_MS) {
            if (have.has(h))
                continue;
            if ((await this.makeRollup(h)).sealed)
                made++;
        }
        return made;
    }
    /** The sealed rollups of the hours in [first, end), making those missing or failing their MAC. */
    async rollups(first, end) {
        const rows = await this.many('SELECT hour, records, counts, mac FROM audit_rollups WHERE hour >= ? AND hour < ?', [first, end]);
        const have = new Map();
        for (const r of rows) {
            const row = { hour: Number(r.hour), records: Number(r.records), counts: r.counts };
            if (!this.keys().rowMacValid('audit_rollups', rowFields.audit_rollups(row), r.mac))
                continue; // altered: counted again
            try {
                have.set(row.hour, JSON.parse(row.counts));
            }
            catch { }
        }
        const out = [];
        for (let h = first; h < end; h += HOUR_MS)
            out.push(have.get(h) ?? (await this.makeRollup(h)).counts);
        return out;
    }
    /** The hour's counts from the log, sealed as its rollup when the hour's records verify (see hourInChain). */
    async makeRollup(hour) {
        const counts = await this.summarizeRange(hour, hour + HOUR_MS, SUMMARY_PART_LIMIT);
        const row = { hour, records: counts.byEventStatus.reduce((n, r) => n + r.count, 0), counts: JSON.stringify(counts) };
        if (!(await this.hourInChain(hour, row.records)))
            return { counts, sealed: false };
        await this.driver.statement({
            kind: 'run',
            sql: 'INSERT INTO audit_rollups (hour, records, counts, mac) VALUES (?, ?, ?, ?) ON CONFLICT (hour) DO UPDATE SET records = excluded.records, counts = excluded.counts, mac = excluded.mac',
            args: [row.hour, row.records, row.counts, macOf(this.keys(), 'audit_rollups', row)],
        });
        return { counts, sealed: true };
    }
    /**
     * Whether the hour's `records`, as the log holds them now, are a stretch of the chain: every record
     * from the last one before the hour to the first one after it is there, links to the one before
     * and matches its hash, and the hour's records are all among them. A rollup is sealed for good, so
     * it is made only from an hour that verifies: reads deleted (or edited) behind the vault's back
     * once the hour is over and put back after it was rolled up would otherwise stay out of every
     * summary, under a valid MAC. An hour that does not verify (or ends the log, or whose records a
     * replica's clock put out of order) is counted from the log each time, and the monitor's sweep
     * reports the log.
     */
    async hourInChain(hour, records) {
        const end = hour + HOUR_MS;
        const before = await this.one('SELECT seq FROM audit WHERE time < ? ORDER BY time DESC, seq DESC LIMIT 1', [hour]);
        const after = await this.one('SELECT seq FROM audit WHERE time >= ? ORDER BY time, seq LIMIT 1', [end]);
        const head = await this.getAuditHead();
        if (!after || !head || Number(after.seq) > head.seq)
            return false;
        const from = before ? Number(before.seq) : 1;
        const to = Number(after.seq);
        if (to < from)
            return false;
        const stretch = (await this.many('SELECT * FROM audit WHERE seq >= ? AND seq <= ? ORDER BY seq', [from, to])).map(toAuditRecord);
        const first = stretch[0];
        if (!first || stretch.length !== to - from + 1 || (from === 1 && first.prevHash !== audit_chain/* GENESIS_HASH */.si))
            return false;
        const verifier = new audit_chain/* ChainVerifier */.O6({ after: { seq: from - 1, hash: first.prevHash }, maxProblems: 1 });
        for (const r of stretch)
            verifier.push(r);
        if (verifier.finish().problems.length > 0)
            return false;
        return stretch.filter((r) => r.time >= hour && r.time < end).length === records;
    }
    /** The summary's counts straight from the log (GROUP BYs over the time index). */
    async summarizeRange(since, until, limit) {
        const w = 'time >= ? AND time < ?';
        const args = [since, until];
        const denied = "SUM(CASE WHEN status = 'denied' THEN 1 ELSE 0 END)";
        const code = this.driver.dialect === 'sqlite'
            ? "CASE WHEN instr(reason, ':') > 0 THEN substr(reason, 1, instr(reason, ':') - 1) ELSE 'other' END"
            : "CASE WHEN strpos(reason, ':') > 0 THEN split_part(reason, ':', 1) ELSE 'other' END";
        const n = (v) => Number(v ?? 0);
        const [byEventStatus, byActor, byPath, byAddress, byHour, denials, exchanges] = await Promise.all([
            this.many(`SELECT event, status, COUNT(*) AS n FROM audit WHERE ${w} GROUP BY event, status`, args),
            this.many(`SELECT actor_type, actor_name, agent, COUNT(*) AS n, ${denied} AS d FROM audit WHERE ${w} GROUP BY actor_type, actor_name, agent ORDER BY n DESC, COALESCE(actor_name, '') LIMIT ?`, [...args, limit]),
            this.many(`SELECT path, MAX(tier) AS tier, SUM(CASE WHEN event = 'secret.read' AND status = 'granted' THEN 1 ELSE 0 END) AS r,
           SUM(CASE WHEN event IN ('secret.write', 'secret.delete', 'rotation.finish') AND status = 'granted' THEN 1 ELSE 0 END) AS wr,
           ${denied} AS d, COUNT(*) AS n
         FROM audit WHERE ${w} AND path IS NOT NULL GROUP BY path ORDER BY n DESC, path LIMIT ?`, [...args, limit]),
            this.many(`SELECT ip, COUNT(*) AS n, ${denied} AS d FROM audit WHERE ${w} GROUP BY ip ORDER BY n DESC, COALESCE(ip, '') LIMIT ?`, [
                ...args,
                limit,
            ]),
            this.many(`SELECT time / 3600000 AS h, COUNT(*) AS n, SUM(CASE WHEN event = 'secret.read' AND status = 'granted' THEN 1 ELSE 0 END) AS r, ${denied} AS d
         FROM audit WHERE ${w} GROUP BY time / 3600000 ORDER BY h`, args),
            // Grouped by the reason's code (its text up to the first ':'), so ids in the text do not split a code.
            this.many(`SELECT event, ${code} AS code, MIN(reason) AS reason, COUNT(*) AS n FROM audit WHERE ${w} AND status IN ('denied', 'error') GROUP BY event, ${code} ORDER BY n DESC, event LIMIT ?`, [...args, limit]),
            this.many(`SELECT status, claims, COUNT(*) AS n FROM audit WHERE ${w} AND event = 'token.exchange' GROUP BY status, claims ORDER BY n DESC LIMIT 10000`, args),
        ]);
        return {
            byEventStatus: byEventStatus.map((r) => ({ event: r.event, status: r.status, count: n(r.n) })),
            byActor: byActor.map((r) => ({
                actorType: r.actor_type,
                actorName: r.actor_name ?? null,
                agent: r.agent ?? null,
                count: n(r.n),
                denied: n(r.d),
            })),
            byPath: byPath.map((r) => ({
                path: r.path,
                tier: r.tier ?? null,
                reads: n(r.r),
                writes: n(r.wr),
                denied: n(r.d),
                count: n(r.n),
            })),
            byAddress: byAddress.map((r) => ({ ip: r.ip ?? null, count: n(r.n), denied: n(r.d) })),
            byHour: byHour.map((r) => ({ hour: Math.floor(n(r.h)) * 3_600_000, count: n(r.n), reads: n(r.r), denied: n(r.d) })),
            denials: denials.map((r) => ({
                event: r.event,
                code: r.code ?? 'other',
                reason: r.reason ?? null,
                count: n(r.n),
            })),
            exchanges: mergeExchanges(exchanges.map((r) => ({
                status: r.status,
                claims: typeof r.claims === 'string' ? pipelineNames(auditClaims(r.claims) ?? {}) : null,
                count: n(r.n),
            }))),
        };
    }
    async getAuditHead() {
        const r = await this.one('SELECT seq, hash, mac FROM audit_head WHERE id = 1');
        return r ? { seq: Number(r.seq), hash: r.hash, mac: r.mac } : undefined;
    }
    async getAuditTail() {
        const r = await this.one('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
        return r ? { seq: Number(r.seq), hash: r.hash } : undefined;
    }
    failuresRecorded = 0;
    async recordFailures(failures, now, policy) {
        // Every so often the dead counters go, so guesses from ever new addresses leave no lasting rows.
        if (++this.failuresRecorded % 256 === 0)
            await this.pruneLockouts(now, policy);
        return this.driver.transaction((function* () {
            const out = [];
            // In key order, so two replicas locking the same pair of rows cannot deadlock.
            for (const f of [...failures].sort((a, b) => (a.key < b.key ? -1 : 1))) {
                // The row exists before it is locked, so a replica counting the same key at the same moment
                // waits for this one instead of writing over it.
                yield* run('INSERT INTO lockouts (key, failures, window_start, strikes, locked_until, last_failure, refused) VALUES (?, 0, ?, 0, 0, 0, 0) ON CONFLICT (key) DO NOTHING', [f.key, now]);
                const stored = yield* get('SELECT * FROM lockouts WHERE key = ?', [f.key], { lock: true });
                const next = addFailure(stored && toLockout(stored), f.key, now, f.threshold, policy);
                const r = next.row;
                const updated = yield* run('UPDATE lockouts SET failures = ?, window_start = ?, strikes = ?, locked_until = ?, last_failure = ?, refused = ? WHERE key = ?', [r.failures, r.windowStart, r.strikes, r.lockedUntil, r.lastFailure, r.refused, r.key]);
                // (Pruned in between by another replica: the row is written afresh.)
                if (updated === 0) {
                    yield* run('INSERT INTO lockouts (key, failures, window_start, strikes, locked_until, last_failure, refused) VALUES (?, ?, ?, ?, ?, ?, ?)', [r.key, r.failures, r.windowStart, r.strikes, r.lockedUntil, r.lastFailure, r.refused]);
                }
                out.push(next);
            }
            return failures.map((f) => out.find((o) => o.row.key === f.key));
        })());
    }
    async listLockouts(now, policy) {
        await this.pruneLockouts(now, policy);
        const rows = await this.many(`SELECT * FROM lockouts ORDER BY locked_until DESC, key LIMIT ${LOCKOUT_LISTING}`);
        return rows.map(toLockout).filter((r) => rowLive(r, now, policy));
    }
    /** Drops the counters that have nothing left to say (see `rowLive`), in one statement. */
    async pruneLockouts(now, policy) {
        await this.driver.read(run('DELETE FROM lockouts WHERE locked_until <= ? AND window_start <= ? AND (strikes = 0 OR (last_failure <= ? AND locked_until <= ?))', [now, now - policy.windowMs, now - policy.maxMs, now - policy.maxMs]));
    }
    rateTakes = 0;
    /** The embedded store's rate windows (see takeRate). */
    rateWindows = new Map();
    async takeRate(key, now, limit, n = 1) {
        const windowStart = Math.floor(now / RATE_WINDOW_MS) * RATE_WINDOW_MS;
        // The embedded SQLite store has one process, so its windows are that process's own: exact,
        // and without a write on every read (a restart starts the minute afresh). PostgreSQL, shared
        // by replicas, keeps them in a table.
        if (this.driver.dialect === 'sqlite')
            return this.takeRateInMemory(key, now, windowStart, limit, n);
        if (++this.rateTakes % 1000 === 0) {
            await this.driver.read(run('DELETE FROM rate_windows WHERE window_start < ?', [windowStart - RATE_WINDOW_MS]));
        }
        const r = (await this.one(TAKE_RATE, [key, windowStart, n]));
        const window = { windowStart: Number(r.window_start), count: Number(r.count), previous: Number(r.previous) };
        if (rateEstimate(window, now) <= limit)
            return { ok: true };
        // Over the limit: give the requests back, so a client that waits as told is served.
        await this.driver.read(run('UPDATE rate_windows SET count = count - ? WHERE key = ? AND window_start = ? AND count >= ?', [n, key, window.windowStart, n]));
        return { ok: false, window: { ...window, count: window.count - n } };
    }
    takeRateInMemory(key, now, windowStart, limit, n) {
        if (++this.rateTakes % 1000 === 0) {
            for (const [k, w] of this.rateWindows)
                if (w.windowStart < windowStart - RATE_WINDOW_MS)
                    this.rateWindows.delete(k);
        }
        const stored = this.rateWindows.get(key);
        const window = !stored || stored.windowStart < windowStart - RATE_WINDOW_MS
            ? { windowStart, count: 0, previous: 0 }
            : stored.windowStart < windowStart
                ? { windowStart, count: 0, previous: stored.count }
                : stored;
        if (rateEstimate({ ...window, count: window.count + n }, now) > limit) {
            this.rateWindows.set(key, window);
            return { ok: false, window: { ...window } };
        }
        this.rateWindows.set(key, { ...window, count: window.count + n });
        return { ok: true };
    }
    useJti(issuer, jti, exp, now) {
        return this.driver.transaction((function* () {
            yield* run('DELETE FROM oidc_jti WHERE exp < ?', [now - 3600_000]);
            return (yield* run('INSERT INTO oidc_jti (issuer, jti, exp) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [issuer, jti, exp])) === 1;
        })());
    }
    async close() {
        // Let a pending group commit finish before the connection goes.
        while (this.scheduled || this.flushing || this.queue.length > 0)
            await new Promise((r) => setImmediate(r));
        await this.driver.close();
    }
}

;// CONCATENATED MODULE: ./src/store/postgres.ts
/**
 * The PostgreSQL store, for when one machine is not enough: several vault replicas share one
 * database. Everything that must be atomic across replicas is one statement or one transaction
 * with a row lock: spending token uses (a conditional UPDATE), and every commit (it locks the single
 * audit-head row first, so sequence numbers stay gapless, the chain stays linear whichever replica
 * writes, and the changes committed with the records are serialised too).
 */





/** PostgreSQL identifiers this vault accepts for its schema (no quoting needed anywhere). */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** How many distinct statement texts are prepared by name (see `prepared`). */
const NAMED_STATEMENTS = 200;
class PostgresDriver {
    pool;
    dialect = 'postgres';
    texts = new Map();
    constructor(pool) {
        this.pool = pool;
    }
    /** `?` placeholders → `$1, $2…`, plus `FOR UPDATE` for locking reads; each text is a named prepared statement. */
    prepared(sql, lock) {
        const key = lock ? `${sql}\u0000lock` : sql;
        const known = this.texts.get(key);
        if (known)
            return known;
        let n = 0;
        const text = sql.replace(/\?/g, () => `$${++n}`) + (lock ? ' FOR UPDATE' : '');
        // Each named statement is prepared once per pooled connection and kept there: name the first
        // few hundred texts (the fixed queries are a few dozen) and send any others unnamed, so the
        // variety of filters a caller picks cannot grow the server's memory.
        if (this.texts.size >= NAMED_STATEMENTS)
            return { text };
        const p = { name: `ass_${this.texts.size}`, text };
        this.texts.set(key, p);
        return p;
    }
    async exec(client, step) {
        if (step.kind === 'script') {
            await client.query(step.sql);
            return undefined;
        }
        const values = step.args.map((a) => (a === undefined ? null : a instanceof Uint8Array && !Buffer.isBuffer(a) ? Buffer.from(a) : a));
        const res = values.length === 0 && !('lock' in step && step.lock)
            ? await client.query(step.sql)
            : await client.query({ ...this.prepared(step.sql, 'lock' in step && step.lock === true), values });
        switch (step.kind) {
            case 'get':
                return res.rows[0];
            case 'all':
                return res.rows;
            case 'run':
                return res.rowCount ?? 0;
        }
    }
    statement(step) {
        return this.exec(this.pool, step);
    }
    async read(program) {
        // One client for the whole program: its statements see each other's effects, in order.
        const client = await this.pool.connect();
        try {
            return await runAsync(program, (s) => this.exec(client, s));
        }
        finally {
            client.release();
        }
    }
    async transaction(program) {
        const client = await this.pool.connect();
        try {
            await client.query('BEGIN');
            const out = await runAsync(program, (s) => this.exec(client, s));
            await client.query('COMMIT');
            return out;
        }
        catch (err) {
            await client.query('ROLLBACK').catch(() => { });
            throw err;
        }
        finally {
            client.release();
        }
    }
    async close() {
        await this.pool.end();
    }
}
/** Opens (or, with `create`, creates) the vault store in a PostgreSQL database and schema. */
async function openPostgresStore(opts) {
    const schema = opts.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
        throw new errors/* AppError */.uV('invalid_input', `The PostgreSQL schema name ${JSON.stringify(schema.slice(0, 70))} is not valid: use lower-case letters, digits and _.`);
    }
    const pool = new esm/* default.Pool */.Ay.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, options: `-c search_path=${schema}` });
    // An idle client's error (the server restarting) must not crash the process.
    pool.on('error', () => { });
    const driver = new PostgresDriver(pool);
    try {
        if (opts.create)
            await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await driver.transaction((function* () {
            // Replicas starting together create or upgrade the schema one at a time.
            yield { kind: 'get', sql: 'SELECT pg_advisory_xact_lock(7354101)', args: [] };
            return yield* openSchema('postgres', {
                create: opts.create ?? false,
                where: `The PostgreSQL schema "${schema}"`,
                older: opts.older ?? false,
            });
        })());
    }
    catch (err) {
        await pool.end().catch(() => { });
        throw err;
    }
    return new SqlStore(driver);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:sqlite"
var external_node_sqlite_ = __webpack_require__(99);
;// CONCATENATED MODULE: ./src/store/sqlite.ts
/**
 * The embedded store: one SQLite file in WAL mode, through Node's built-in `node:sqlite`. Programs
 * run synchronously, so a transaction is never interleaved with another request's statements.
 */






/** Prepared statements kept per connection (the fixed queries are a few dozen). */
const STATEMENT_CACHE = 200;
class SqliteDriver {
    db;
    dialect = 'sqlite';
    stmts = new Map();
    constructor(db) {
        this.db = db;
    }
    stmt(sql) {
        let s = this.stmts.get(sql);
        if (s) {
            // Most recently used last, so the cache drops what has not been used for longest.
            this.stmts.delete(sql);
            this.stmts.set(sql, s);
            return s;
        }
        s = this.db.prepare(sql);
        this.stmts.set(sql, s);
        // Bounded: query texts vary with the filters a request picks, and a cache that only grows is
        // memory anyone allowed to query can spend.
        if (this.stmts.size > STATEMENT_CACHE)
            this.stmts.delete(this.stmts.keys().next().value);
        return s;
    }
    exec = (step) => {
        if (step.kind === 'script') {
            this.db.exec(step.sql);
            return undefined;
        }
        const args = (step.args.includes(undefined) ? step.args.map((a) => (a === undefined ? null : a)) : step.args);
        const s = this.stmt(step.sql);
        switch (step.kind) {
            case 'get':
                return s.get(...args);
            case 'all':
                return s.all(...args);
            case 'run':
                return Number(s.run(...args).changes);
        }
    };
    statement(step) {
        try {
            return Promise.resolve(this.exec(step));
        }
        catch (err) {
            return Promise.reject(err);
        }
    }
    read(program) {
        try {
            return Promise.resolve(runSync(program, this.exec));
        }
        catch (err) {
            return Promise.reject(err);
        }
    }
    transaction(program) {
        this.stmt('BEGIN IMMEDIATE').run();
        try {
            const out = runSync(program, this.exec);
            this.stmt('COMMIT').run();
            return Promise.resolve(out);
        }
        catch (err) {
            if (this.db.isTransaction)
                this.stmt('ROLLBACK').run();
            return Promise.reject(err);
        }
    }
    async close() {
        this.stmts.clear();
        if (this.db.isOpen)
            this.db.close();
    }
}
/** Opens (or, with `create`, creates) the vault store in `file`. */
async function openSqliteStore(file, options = {}) {
    if (!options.create && !(0,external_node_fs_.existsSync)(file)) {
        throw new errors/* AppError */.uV('not_found', `${file} holds no vault: create one with ass init.`);
    }
    const db = new external_node_sqlite_.DatabaseSync(file);
    const driver = new SqliteDriver(db);
    try {
        db.exec('PRAGMA journal_mode = WAL');
        db.exec(`PRAGMA synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
        db.exec('PRAGMA foreign_keys = ON');
        db.exec('PRAGMA busy_timeout = 5000');
        await driver.transaction(openSchema('sqlite', { create: options.create ?? false, where: file, older: options.older ?? false }));
    }
    catch (err) {
        await driver.close();
        throw err;
    }
    return new SqlStore(driver);
}

// EXTERNAL MODULE: ./src/core/paths.ts
var core_paths = __webpack_require__(6107);
;// CONCATENATED MODULE: ./src/core/rotation-schedule.ts

const DAY = 86_400;
/**
 * Default intervals by tier and type. Critical: payment and other critical API keys 14 days,
 * production database credentials, SSH and signing keys 30 days. Sensitive: OAuth and other
 * tokens 60 days, write-capable API keys and the rest 90 days. Standard (read-only, non-production)
 * a year. Staging keys and webhook secrets that want 180 days say so with --every.
 */
function defaultIntervalSeconds(type, tier) {
    if (tier === 'critical')
        return (type === 'api_key' ? 14 : 30) * DAY;
    if (tier === 'sensitive')
        return (type === 'token' ? 60 : 90) * DAY;
    return 365 * DAY;
}
/** A policy path: a secret's own path, or `prefix/*` for every secret below the prefix. */
function policyCovers(policyPath, secretPath) {
    if (policyPath.endsWith('/*'))
        return (0,core_paths/* isUnderPrefix */.Re)(secretPath, policyPath.slice(0, -2)) && secretPath !== policyPath.slice(0, -2);
    return policyPath === secretPath;
}
/** The policy that governs a secret: its own, else the longest covering prefix. */
function policyFor(secretPath, policies) {
    let best;
    for (const p of policies) {
        if (!policyCovers(p.path, secretPath))
            continue;
        if (!p.path.endsWith('/*'))
            return p;
        if (!best || p.path.length > best.path.length)
            best = p;
    }
    return best;
}
/** When the secret is next due: its current version's age against the interval. */
function dueStatus(secret, policy, now) {
    const intervalSeconds = policy.intervalSeconds ?? defaultIntervalSeconds(secret.type, secret.tier);
    const nextDue = secret.currentSince + intervalSeconds * 1000;
    return { intervalSeconds, nextDue, due: nextDue <= now, overdueSeconds: Math.max(0, Math.floor((now - nextDue) / 1000)) };
}

// EXTERNAL MODULE: ./src/core/scopes.ts
var core_scopes = __webpack_require__(1074);
// EXTERNAL MODULE: ./src/core/text.ts
var core_text = __webpack_require__(2020);
// EXTERNAL MODULE: ./src/rotation/notify.ts
var notify = __webpack_require__(2565);
;// CONCATENATED MODULE: ./src/server/audit.ts
/**
 * The vault's side of the audit chain: the sealer the store calls inside its serialised append,
 * and checkpoint signing (the keys are in keys.ts). The pure chain code
 * (hashes, verifier, checkpoint text) is in src/core/audit-chain.ts, shared with the CLI.
 */



/**
 * The sealer the store calls inside its serialised append. With a `floor` (the high-water mark:
 * the newest record this process has seen), it also refuses a head that is behind it, which an
 * authentic but older head is: the log was rolled back, head MAC and all.
 */
function makeSealer(headKey, floor) {
    const key = (0,external_node_crypto_.createSecretKey)(headKey);
    return {
        genesisMac: () => (0,audit_chain/* headMac */.aR)(key, 0, audit_chain/* GENESIS_HASH */.si),
        verifyHead: (head, last) => {
            (0,audit_chain/* checkHead */.Xj)(key, head, last);
            const mark = floor?.();
            if (mark && head && (head.seq < mark.seq || (head.seq === mark.seq && head.hash !== mark.hash))) {
                throw new audit_chain/* AuditTamperError */.vL(`the audit log's head (${head.seq}) is behind record ${mark.seq}, which this vault already wrote or saw: the log was rolled back outside the vault`);
            }
        },
        seal: (entry, seq, prevHash) => {
            const hash = (0,audit_chain/* recordHash */.oj)(entry, seq, prevHash);
            return { hash, headMac: (0,audit_chain/* headMac */.aR)(key, seq, hash) };
        },
    };
}
function signCheckpoint(fields, keys) {
    const signature = (0,external_node_crypto_.sign)(null, Buffer.from((0,audit_chain/* checkpointText */.am)(fields)), keys.privateKey).toString('base64');
    return { ...fields, signature, publicKey: checkpointPublicKey(keys) };
}
/** The raw Ed25519 public key (base64) that checkpoints carry and verifiers trust. */
function checkpointPublicKey(keys) {
    return Buffer.from(keys.publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64');
}
/**
 * Signs a checkpoint of the current head, after checking that the head is authentic and is the
 * last record, and that the log passed its last verification: the vault never vouches for a log
 * that was truncated or rewritten behind its back.
 */
async function checkpoint(deps) {
    if (deps.monitor.health().state === 'broken') {
        throw new errors/* AppError */.uV('audit_unavailable', 'The audit log failed verification, so no checkpoint is signed; run ass audit verify and restore the log from a backup.');
    }
    const head = await deps.store.getAuditHead();
    // The record the head names (not the newest one: other requests may be appending meanwhile).
    const at = head && head.seq > 0 ? (await deps.store.queryAudit({ afterSeq: head.seq - 1, upToSeq: head.seq, newestFirst: false }))[0] : undefined;
    try {
        (0,audit_chain/* checkHead */.Xj)(deps.keys.headKey, head, at ? { seq: at.seq, hash: at.hash } : undefined);
    }
    catch (err) {
        deps.logger.error(`audit checkpoint refused: ${err instanceof Error ? err.message : String(err)}`);
        throw new errors/* AppError */.uV('audit_unavailable', 'The audit log does not match its authenticated head, so no checkpoint is signed; run ass audit verify and restore the log from a backup.');
    }
    return signCheckpoint({ origin: deps.settings.origin, seq: head?.seq ?? 0, hash: head?.hash ?? audit_chain/* GENESIS_HASH */.si, time: new Date(deps.now()).toISOString() }, deps.keys.signing);
}
/**
 * An audit record for what the operator or the vault itself did, outside any request and without
 * a credential (`vault.init`, a rotation pass's token, an approval's expiry).
 */
function systemEntry(event, time, reason, who = {}) {
    return {
        time,
        requestId: (0,external_node_crypto_.randomUUID)(),
        event,
        status: 'granted',
        actorType: 'operator',
        actorId: null,
        actorName: who.actorName ?? null,
        agent: who.agent ?? null,
        tokenId: who.tokenId ?? null,
        path: who.path ?? null,
        tier: null,
        reason,
        ip: null,
        claims: null,
    };
}

;// CONCATENATED MODULE: ./src/server/freshness.ts

/** Reasons of granted records that change authority or a secret's current state. */
const REASON = {
    userRevoked: (name, id, role) => `user ${name} (${id}, ${role}) revoked`,
    agentRevoked: (name, id, tokens) => `agent ${name} (${id}) revoked with ${tokens} live token(s)`,
    tokenRevoked: (id, self) => `token ${id} revoked${self ? ' itself' : ''}`,
    secretWritten: (version) => `version ${version} written`,
    secretDeleted: (version) => `deleted at version ${version}`,
    rotationFinished: (version, rotationId, rotator, previous, previousUntil) => `version ${version} rotated in by rotation ${rotationId} (${rotator}); version ${previous} is previous until ${previousUntil}`,
    policySet: (outcome, revision) => `rotation policy ${outcome} (revision ${revision})`,
    agentKeyRotated: (name, id, keyId, overlap) => `agent ${name} (${id}) key rotated to ${keyId}; ${overlap}`,
    userApprover: (name, id, approver) => `user ${name} (${id}) approver ${approver ? 'on' : 'off'}`,
    approvalPolicySet: (revision) => `approval policy set (revision ${revision})`,
    /** A request's final states: approved, denied, collected, expired (with what follows, free text). */
    approvalEnded: (id, status, rest = '') => `approval ${id} ${status}${rest}`,
};
const PATTERN = {
    'user.revoke': /^user \S+ \(([0-9A-Za-z]{16}), /,
    'agent.revoke': /^agent \S+ \(([0-9A-Za-z]{16})\) revoked/,
    'token.revoke': /^token ([0-9A-Za-z]{16}) revoked/,
    'secret.write': /^version (\d+) written$/,
    'secret.delete': /^deleted at version (\d+)$/,
    'rotation.finish': /^version (\d+) rotated in by rotation [A-Za-z0-9_-]+ \([a-z-]+\); version (\d+) is previous until (\S+)$/,
    'rotation.retire': /^version (\d+) retired/,
    'rotation.policy_set': /^rotation policy (?:created|updated) \(revision (\d+)\)/,
    'agent.rotate_key': /^agent \S+ \(([0-9A-Za-z]{16})\) key rotated to ([0-9A-Za-z]{16});/,
    'user.update': /^user \S+ \(([0-9A-Za-z]{16})\) approver (on|off)$/,
    'approval.policy_set': /^approval policy set \(revision (\d+)\)$/,
    approval: /^approval ([0-9A-Za-z]{16}) (approved|denied|collected|expired)\b/,
};
/** How long the index remembers how an approval ended: past the longest timeout, its row is expired anyway. */
const APPROVAL_MEMORY_MS = 8 * 86_400_000;
function stale(what) {
    return new errors/* AppError */.uV('integrity_failed', `The stored record of ${what} failed its integrity check: it is older than the audit log says (an earlier copy was put back outside the vault), so it is not used. Restore the database from a backup, and check the audit log (ass audit verify).`);
}
class FreshnessIndex {
    tokenLifetimeMs;
    /** `user:ID`, `agent:ID`, `token:ID` → when the log revoked it. */
    revoked = new Map();
    /**
     * A secret's latest version, whether it is deleted, and the highest version a delete covered
     * (those versions stay deleted after a later write), as the log last said.
     */
    secrets = new Map();
    /**
     * What the last rotation of each secret replaced and until when it is readable: read from the log,
     * never from the store, so a storage writer cannot bring a rotated-out value back.
     */
    rotations = new Map();
    /** Each rotation policy's latest revision, or when it was deleted (an earlier row must not come back). */
    policies = new Map();
    /** An agent's current key id, as the log last said (a row with an earlier key must not come back). */
    agentKeys = new Map();
    /** A user's approver flag, as the log last changed it. */
    approverFlags = new Map();
    /** How each approval request last changed state (a row from before must not come back). */
    approvals = new Map();
    /** The approval policy's latest revision (its row must not go back to an earlier one, or go). */
    approvalPolicy;
    /** How many records that may change the index it has taken in (RowFreshness.generation). */
    taken = 0;
    get generation() {
        return this.taken;
    }
    /** @param tokenLifetimeMs the longest a token lives: a revoked token's entry can go after that. */
    constructor(tokenLifetimeMs) {
        this.tokenLifetimeMs = tokenLifetimeMs;
    }
    /**
     * Takes one record into account. A record may come twice (the vault notes what it commits, and
     * its verification passes read the same records again): one older than what the index holds for
     * its secret changes nothing.
     */
    apply(r) {
        if (r.status !== 'granted' || r.reason === null)
            return;
        this.taken++;
        switch (r.event) {
            case 'user.update': {
                const m = PATTERN[r.event].exec(r.reason);
                const before = m ? this.approverFlags.get(m[1]) : undefined;
                if (m && (!before || before.seq < r.seq))
                    this.approverFlags.set(m[1], { seq: r.seq, approver: m[2] === 'on' });
                return;
            }
            case 'approval.policy_set': {
                const revision = Number(PATTERN[r.event].exec(r.reason)?.[1]);
                if (Number.isSafeInteger(revision) && (!this.approvalPolicy || this.approvalPolicy.seq < r.seq)) {
                    this.approvalPolicy = { seq: r.seq, revision };
                }
                return;
            }
            case 'approval.approve':
            case 'approval.deny':
            case 'approval.collect':
            case 'approval.expire': {
                const m = PATTERN.approval.exec(r.reason);
                const before = m ? this.approvals.get(m[1]) : undefined;
                if (m && (!before || before.seq < r.seq))
                    this.approvals.set(m[1], { seq: r.seq, status: m[2], time: r.time });
                return;
            }
            case 'user.revoke':
            case 'agent.revoke':
            case 'token.revoke': {
                const id = PATTERN[r.event].exec(r.reason)?.[1];
                if (id)
                    this.revoked.set(`${r.event.slice(0, r.event.indexOf('.'))}:${id}`, r.time);
                return;
            }
            case 'agent.rotate_key': {
                const m = PATTERN[r.event].exec(r.reason);
                if (!m)
                    return;
                const before = this.agentKeys.get(m[1]);
                if (!before || before.seq < r.seq)
                    this.agentKeys.set(m[1], { seq: r.seq, keyId: m[2] });
                return;
            }
            case 'rotation.policy_set':
            case 'rotation.policy_delete': {
                if (!r.path)
                    return;
                const known = this.policies.get(r.path);
                if (known && known.seq >= r.seq)
                    return;
                if (r.event === 'rotation.policy_delete') {
                    this.policies.set(r.path, { seq: r.seq, revision: known?.revision ?? 0, deletedAt: r.time });
                    return;
                }
                const revision = Number(PATTERN['rotation.policy_set'].exec(r.reason)?.[1]);
                if (Number.isSafeInteger(revision))
                    this.policies.set(r.path, { seq: r.seq, revision, deletedAt: null });
                return;
            }
            case 'rotation.retire': {
                const version = Number(PATTERN[r.event].exec(r.reason)?.[1]);
                const known = r.path ? this.rotations.get(r.path) : undefined;
                if (known && known.previousVersion === version && known.seq < r.seq)
                    this.rotations.set(r.path, { ...known, seq: r.seq, retired: true });
                return;
            }
            case 'rotation.finish':
            case 'secret.write':
            case 'secret.delete': {
                if (r.event === 'rotation.finish')
                    this.noteRotation(r);
                const version = Number(PATTERN[r.event].exec(r.reason)?.[1]);
                if (!r.path || !Number.isSafeInteger(version))
                    return;
                const before = this.secrets.get(r.path);
                if (before && before.seq >= r.seq)
                    return;
                const deleted = r.event === 'secret.delete';
                this.secrets.set(r.path, { seq: r.seq, version, deleted, deletedThrough: deleted ? version : (before?.deletedThrough ?? 0) });
                return;
            }
        }
    }
    /** Forgets revoked tokens that have expired anyway, and approvals long ended (the index stays bounded). */
    prune(now) {
        for (const [key, at] of this.revoked) {
            if (key.startsWith('token:') && at < now - this.tokenLifetimeMs)
                this.revoked.delete(key);
        }
        for (const [id, a] of this.approvals)
            if (a.time < now - APPROVAL_MEMORY_MS)
                this.approvals.delete(id);
    }
    /** The approval policy's revision as the log last set it (undefined: never set, the default applies). */
    approvalPolicyRevision() {
        return this.approvalPolicy?.revision;
    }
    noteRotation(r) {
        const m = PATTERN['rotation.finish'].exec(r.reason ?? '');
        if (!m || !r.path)
            return;
        const known = this.rotations.get(r.path);
        if (known && known.seq >= r.seq)
            return;
        this.rotations.set(r.path, { seq: r.seq, previousVersion: Number(m[2]), previousUntil: Date.parse(m[3]), retired: false });
    }
    /** The last rotation of `path` as the log says it: the version it replaced, until when that is readable, whether it was retired. */
    rotationOf(path) {
        return this.rotations.get(path);
    }
    check(table, row) {
        switch (table) {
            case 'users': {
                const u = row;
                if (u.revokedAt === null && this.revoked.has(`user:${u.id}`))
                    throw stale(`user ${u.name} (${u.id})`);
                const flag = this.approverFlags.get(u.id);
                if (flag && flag.approver !== u.approver)
                    throw stale(`user ${u.name} (${u.id})`);
                return;
            }
            case 'approvals': {
                const a = row;
                const known = this.approvals.get(a.id);
                if (known && known.status !== a.status)
                    throw stale(`approval ${a.id}`);
                return;
            }
            case 'approval_policy': {
                const p = row;
                if (this.approvalPolicy && p.revision !== this.approvalPolicy.revision)
                    throw stale('the approval policy');
                return;
            }
            case 'agents': {
                const a = row;
                if (a.revokedAt === null && this.revoked.has(`agent:${a.id}`))
                    throw stale(`agent ${a.name} (${a.id})`);
                const key = this.agentKeys.get(a.id);
                if (key && key.keyId !== a.keyId)
                    throw stale(`agent ${a.name} (${a.id})`);
                return;
            }
            case 'tokens': {
                const t = row;
                if (t.revokedAt === null && this.revoked.has(`token:${t.id}`))
                    throw stale(`token ${t.id}`);
                return;
            }
            case 'secrets': {
                const s = row;
                const known = this.secrets.get(s.path);
                if (!known)
                    return;
                if (s.version < known.version || (s.version === known.version && known.deleted && s.deletedAt === null)) {
                    throw stale(`secret ${s.path}`);
                }
                return;
            }
            case 'rotation_policies': {
                const p = row;
                const known = this.policies.get(p.path);
                if (known && (p.updatedAt < known.revision || (known.deletedAt !== null && p.updatedAt <= known.deletedAt))) {
                    throw stale(`the rotation policy for ${p.path}`);
                }
                return;
            }
            case 'secret_versions': {
                const v = row;
                const known = this.secrets.get(v.path);
                if (known && v.deletedAt === null && v.version <= known.deletedThrough)
                    throw stale(`version ${v.version} of ${v.path}`);
                return;
            }
        }
    }
}

;// CONCATENATED MODULE: ./src/server/routes/views.ts

const iso = (ms) => new Date(ms).toISOString();
const isoOrNull = (ms) => (ms === null ? null : iso(ms));
/** A token as listings show it: never the credential or its hash. */
function tokenView(t, agent, now) {
    return {
        id: t.id,
        kind: t.kind,
        agent: agent.name,
        scopes: t.scopes,
        createdAt: iso(t.createdAt),
        expiresAt: iso(t.expiresAt),
        maxUses: t.maxUses,
        uses: t.uses,
        allowedIps: t.allowedIps,
        description: t.description,
        revokedAt: isoOrNull(t.revokedAt),
        active: t.revokedAt === null && t.expiresAt > now && (t.maxUses === null || t.uses < t.maxUses),
        claims: t.claims,
    };
}
function agentView(a) {
    return {
        id: a.id,
        name: a.name,
        scopes: a.scopes,
        description: a.description,
        trustPolicy: a.trustPolicy,
        createdAt: iso(a.createdAt),
        revokedAt: isoOrNull(a.revokedAt),
    };
}
function userView(u) {
    return { id: u.id, name: u.name, role: u.role, approver: u.approver, createdAt: iso(u.createdAt), revokedAt: isoOrNull(u.revokedAt) };
}
function metadataView(s) {
    return {
        path: s.path,
        version: s.version,
        type: s.type,
        tier: s.tier,
        description: s.description,
        createdAt: iso(s.createdAt),
        updatedAt: iso(s.updatedAt),
        deleted: s.deletedAt !== null,
    };
}

function wrongKind() {
    // The pipeline authorised the caller against the route's policy; reaching this is a bug.
    throw new errors/* AppError */.uV('internal', 'The request reached a handler its credential may not use.');
}
function asUser(p) {
    return p.kind === 'user' ? p : wrongKind();
}
function asAgent(p) {
    return p.kind === 'agent' ? p : wrongKind();
}
function asToken(p) {
    return p.kind === 'token' ? p : wrongKind();
}
/** How a writer is named on a secret version. */
function actorLabel(p) {
    if (p.kind === 'user')
        return `user:${p.name}`;
    if (p.kind === 'agent')
        return `agent:${p.agent.name}`;
    return `${p.token.kind}:${p.token.id}`;
}

;// CONCATENATED MODULE: ./src/server/approvals.ts
/**
 * Human approval for the secrets whose policy asks for it (seed 003's shape: a rule per tier, by
 * default one approval within 24 hours for sensitive and critical secrets).
 *
 * A token request, an OIDC exchange or a read that touches such a secret is held: the vault stores
 * an approval request (who asks, which paths, what exactly they asked for) and answers 202
 * `approval_required` instead of releasing anything. Approvers (admins, and users marked as
 * approvers, as the policy narrows them; never the requester) decide; N required approvals take N
 * distinct approvers, one denial ends it, a request expires at its timeout. The requester then
 * collects what it asked for, once (src/server/routes/approvals.ts): a token that reads only the
 * approved paths among those that need approval, or the held read's values.
 *
 * Everything that carries authority here is sealed (row MACs) and checked against the audit log
 * (the freshness index): a request marked approved, or put back as it was before its collection,
 * by someone who can write the database releases nothing.
 */










const DAY_SECONDS = 86_400;
/** The longest an approval request may wait. */
const MAX_TIMEOUT_SECONDS = 7 * DAY_SECONDS;
/** Pending requests one requester may have at once (more is a runaway loop, not a person waiting). */
const MAX_PENDING_PER_REQUESTER = 20;
/** Secrets one request may hold (a token whose scopes reach more asks for too much at once). */
const MAX_HELD_PATHS = 500;
/** Seed 003's policy: what a new vault asks for before anyone sets one. */
const DEFAULT_APPROVAL_POLICY = {
    tiers: {
        standard: { requiredApprovals: 0, timeoutSeconds: DAY_SECONDS },
        sensitive: { requiredApprovals: 1, timeoutSeconds: DAY_SECONDS },
        critical: { requiredApprovals: 1, timeoutSeconds: DAY_SECONDS },
    },
    prefixes: [],
    approvers: [],
    notify: null,
};
const TIER_RANK = { standard: 0, sensitive: 1, critical: 2 };
/** The stricter of two tiers (a version written as critical stays critical when the secret is relabelled). */
function stricterTier(a, b) {
    return TIER_RANK[a] >= TIER_RANK[b] ? a : b;
}
/** The rule for one secret: the longest prefix rule that covers it (for its tier), else its tier's. */
function ruleFor(policy, path, tier) {
    let best;
    for (const p of policy.prefixes) {
        if (!(0,core_paths/* isUnderPrefix */.Re)(path, p.prefix) || (p.tier !== null && p.tier !== tier))
            continue;
        if (!best || p.prefix.length > best.prefix.length || (p.prefix.length === best.prefix.length && p.tier !== null))
            best = p;
    }
    const restrict = (names) => (names.length > 0 ? names : null);
    if (best) {
        return {
            requiredApprovals: best.requiredApprovals,
            timeoutSeconds: best.timeoutSeconds,
            approvers: restrict(best.approvers.length > 0 ? best.approvers : policy.approvers),
            label: `prefix ${best.prefix}${best.tier ? ` (${best.tier})` : ''}`,
        };
    }
    const t = policy.tiers[tier];
    return {
        requiredApprovals: t.requiredApprovals,
        timeoutSeconds: t.timeoutSeconds,
        approvers: restrict(policy.approvers),
        label: `tier ${tier}`,
    };
}
/** One request over several secrets: the most approvals any wants, the shortest timeout, approvers every rule allows. */
function combineRules(rules) {
    let approvers = null;
    for (const r of rules) {
        if (r.approvers === null)
            continue;
        approvers = approvers === null ? [...r.approvers] : approvers.filter((n) => r.approvers?.includes(n));
    }
    return {
        requiredApprovals: Math.max(...rules.map((r) => r.requiredApprovals)),
        timeoutSeconds: Math.min(...rules.map((r) => r.timeoutSeconds)),
        approvers,
        label: [...new Set(rules.map((r) => r.label))].join(', '),
    };
}
/** The literal start of a scope's pattern: the prefix below which everything it may match lies. */
function literalPrefix(scope) {
    const i = scope.segments.indexOf('*');
    return (i === -1 ? scope.segments : scope.segments.slice(0, i)).join('/');
}
class Approvals {
    deps;
    constructor(deps) {
        this.deps = deps;
    }
    /** The policy last read from the store, kept while the log names the same revision. */
    cached;
    /**
     * The policy: the default until one is set, else the stored one. The audit log says which
     * revision is current (the freshness index), so every read of a secret does not read the policy
     * row again: only a new revision is loaded, and a row that is missing or older than the log says
     * is refused.
     */
    async policy() {
        const known = this.deps.freshness.approvalPolicyRevision();
        if (known === undefined) {
            return { policy: DEFAULT_APPROVAL_POLICY, revision: 0, updatedBy: 'default', isDefault: true, updatedAt: null };
        }
        if (this.cached?.revision === known)
            return this.cached;
        const row = await this.deps.store.getApprovalPolicy();
        if (!row) {
            throw new errors/* AppError */.uV('integrity_failed', 'The approval policy was removed from the database outside the vault, so no request touching a secret that may need approval is served. Restore the database from a backup, or set the policy again (ass approvals policy set), and check the audit log (ass audit verify).');
        }
        this.cached = { ...row, isDefault: false, updatedAt: row.revision };
        return this.cached;
    }
    /** Whether any rule asks for an approval at all (else nothing needs to be looked up). */
    async anyApproval() {
        const { policy } = await this.policy();
        return Object.values(policy.tiers).some((t) => t.requiredApprovals > 0) || policy.prefixes.some((p) => p.requiredApprovals > 0);
    }
    /** Which of `touched` need approval under the current policy, each with its rule. */
    async needing(touched) {
        if (touched.length === 0)
            return [];
        const { policy } = await this.policy();
        return touched.map((t) => ({ ...t, rule: ruleFor(policy, t.path, t.tier) })).filter((t) => t.rule.requiredApprovals > 0);
    }
    /**
     * The live secrets a token with these scopes could read: what a token request or an exchange
     * touches. Each scope is looked up below its literal prefix only; `audit:read` reads no secret.
     */
    async readableBy(all) {
        const scopes = (0,core_scopes/* secretScopes */.kl)(all);
        const readers = scopes.filter((s) => s.verb === 'read' || s.verb === '*');
        if (readers.length === 0 || !(await this.anyApproval()))
            return [];
        const found = new Map();
        // A rotator's token (rotate on a secret a rotation policy covers) is not held for that secret:
        // its reads of it are, unless they are part of a rotation (getSecret's `rotating`).
        const policies = readers.length > 0 && scopes.some((s) => s.verb === 'rotate' || s.verb === '*') ? await this.deps.store.listRotationPolicies() : [];
        const rotatorOf = (path) => policies.length > 0 && (0,core_scopes/* scopesAllow */.TH)(scopes, 'rotate', path) && policyFor(path, policies) !== undefined;
        for (const s of readers) {
            const prefix = literalPrefix(s);
            const rows = s.segments.includes('*')
                ? await this.deps.store.listSecrets(prefix, false, MAX_HELD_PATHS * 20)
                : [await this.deps.store.getSecret(prefix)].filter((r) => r !== undefined && r.deletedAt === null);
            for (const r of rows)
                if ((0,core_scopes/* scopesAllow */.TH)(readers, 'read', r.path) && !rotatorOf(r.path))
                    found.set(r.path, r);
        }
        return [...found.values()].map((r) => ({ path: r.path, tier: r.tier }));
    }
    /**
     * Whether a token released by a collected approval covers `path`: the token carries the
     * approval's id (sealed with the token), and the approval, collected by this very token, names it.
     */
    async coveredByToken(principal, paths) {
        const covered = new Set();
        if (principal.kind !== 'token')
            return covered;
        const id = principal.token.claims?.approval;
        if (!id)
            return covered;
        let released = this.released.get(id);
        if (!released) {
            const found = await this.deps.store.getApproval(id);
            if (found?.row.status !== 'collected' || !found.row.collectedTokenId)
                return covered;
            // Collected is final: what it released is remembered (a bounded number), not read on every request.
            released = { tokenId: found.row.collectedTokenId, paths: new Set(found.row.paths) };
            if (this.released.size >= 10_000)
                this.released.delete(this.released.keys().next().value);
            this.released.set(id, released);
        }
        if (released.tokenId !== principal.token.id)
            return covered;
        for (const p of paths)
            if (released.paths.has(p))
                covered.add(p);
        return covered;
    }
    /** Collected approvals: the token each released and the paths it covers. */
    released = new Map();
    /** The active users who may approve under `restrict` (null: every admin and approver). */
    async eligibleApprovers(restrict) {
        return (await this.deps.store.listUsers()).filter((u) => u.revokedAt === null && (u.role === 'admin' || u.approver) && (restrict === null || restrict.includes(u.name)));
    }
    /**
     * Stores the request (or finds the same one pending) with the request's own records, then
     * throws the 202 that tells the caller what is held and who may approve it.
     */
    async hold(req, ctx, commit) {
        if (req.held.length > MAX_HELD_PATHS) {
            throw new errors/* AppError */.uV('invalid_input', `The request reaches ${req.held.length} secrets that need approval; at most ${MAX_HELD_PATHS} can be approved at once. Ask for narrower scopes or fewer paths.`);
        }
        if (req.principal.kind === 'agent' && req.principal.agent.replacedKeyUntil !== undefined) {
            // Whoever kept (or stole) a replaced key must not be the one an approval releases to.
            throw new errors/* AppError */.uV('denied', `This key of ${req.principal.agent.name} was replaced; it cannot ask for what needs approval (${req.held.length} secret(s)). Use the current key.`);
        }
        const now = this.deps.now();
        const rule = combineRules(req.held.map((h) => h.rule));
        // An exchange is asked for by the agent key on behalf of a CI run: the run is the requester.
        const requester = { ...requesterOf(req.principal), ...(req.kind === 'exchange' ? { requesterType: 'pipeline' } : {}) };
        const eligible = (await this.eligibleApprovers(rule.approvers)).filter((u) => !selfApproval(requester, req.claims, u));
        const paths = [...new Set(req.held.map((h) => h.path))].sort();
        const row = {
            id: (0,credentials/* newId */.Si)(),
            kind: req.kind,
            status: 'pending',
            ...requester,
            claims: req.claims ?? requester.claims,
            paths,
            ask: { ...req.ask, allowedApprovers: rule.approvers },
            description: req.description,
            ip: ctx.ip,
            requiredApprovals: rule.requiredApprovals,
            approvers: eligible.map((u) => u.name).sort(),
            rule: rule.label,
            createdAt: now,
            expiresAt: now + rule.timeoutSeconds * 1000,
            decidedAt: null,
            collectedAt: null,
            collectedTokenId: null,
        };
        ctx.audit.status = 'pending';
        ctx.audit.path = paths[0] ?? null;
        ctx.audit.tier = req.held.reduce((t, h) => stricterTier(t, h.tier), 'standard');
        let stored = row;
        let created = false;
        await commit(this.deps.store.changes.createApproval(row, now, MAX_PENDING_PER_REQUESTER), (r) => {
            if (r.result === 'too_many') {
                throw new errors/* AppError */.uV('rate_limited', `${req.kind === 'exchange' ? 'This CI run' : row.tokenId ? `Token ${row.tokenId}` : requester.requesterName} already has ${MAX_PENDING_PER_REQUESTER} approval requests pending; wait for them to be decided or to expire (ass approvals list).`);
            }
            stored = r.row;
            created = r.result === 'created';
            const what = `${paths.length} secret(s): ${paths.slice(0, 5).join(' ')}${paths.length > 5 ? ' ...' : ''}`;
            ctx.audit.reason = `approval_required: held for approval ${stored.id} (${stored.rule}; ${stored.requiredApprovals} approval(s) by ${iso(stored.expiresAt)})`;
            if (created) {
                ctx.extraAudit.push({
                    event: 'approval.request',
                    status: 'granted',
                    path: paths[0] ?? null,
                    tier: ctx.audit.tier,
                    reason: `approval ${stored.id} requested (${stored.kind}) for ${what}${stored.description ? `; reason given: ${stored.description}` : ''}`,
                });
            }
        });
        const view = this.view(stored, created ? [] : await this.deps.store.listApprovalDecisions([stored.id]), now);
        if (created)
            void this.notify('approval.requested', view);
        throw heldError(view);
    }
    /**
     * Who may decide each pending request now: admins and approvers as they are today (made or unmade
     * since it was asked), within the rule it was held under, never its requester.
     */
    async approversNow(rows) {
        const out = new Map();
        if (!rows.some((r) => r.status === 'pending'))
            return out;
        const users = await this.eligibleApprovers(null);
        for (const r of rows) {
            if (r.status !== 'pending')
                continue;
            const allowed = r.ask.allowedApprovers ?? null;
            out.set(r.id, users
                .filter((u) => (allowed === null || allowed.includes(u.name)) && !selfApproval(r, r.claims, u))
                .map((u) => u.name)
                .sort());
        }
        return out;
    }
    /** The request as the API shows it, with its effective status (pending past its timeout is expired). */
    view(row, decisions, now, approvers = row.approvers) {
        const status = (row.status === 'pending' || row.status === 'approved') && row.expiresAt <= now ? 'expired' : row.status;
        return {
            id: row.id,
            kind: row.kind,
            status,
            requester: { type: row.requesterType, name: row.requesterName, tokenId: row.tokenId, claims: row.claims },
            paths: row.paths,
            scopes: row.ask.scopes,
            ttl: row.ask.ttlSeconds,
            maxUses: row.ask.maxUses,
            description: row.description,
            ip: row.ip,
            requiredApprovals: row.requiredApprovals,
            approvals: new Set(decisions.filter((d) => d.decision === 'approve' && (status !== 'pending' || approvers.includes(d.userName))).map((d) => d.userId)).size,
            approvers,
            rule: row.rule,
            decisions: decisions.map((d) => ({ user: d.userName, decision: d.decision, reason: d.reason, at: iso(d.time) })),
            createdAt: iso(row.createdAt),
            expiresAt: iso(row.expiresAt),
            decidedAt: row.decidedAt === null ? null : iso(row.decidedAt),
            collectedAt: row.collectedAt === null ? null : iso(row.collectedAt),
            approveCommand: `ass approvals approve ${row.id}`,
        };
    }
    /** Marks the requests past their timeout expired, each with its record (run by the server every so often). */
    async sweep() {
        const now = this.deps.now();
        const { result, records } = await this.deps.store.commit(this.deps.store.changes.expireApprovals(now, 200), (rows) => rows.map((r) => systemEntry('approval.expire', now, REASON.approvalEnded(r.id, 'expired', ` at its timeout (${r.rule})`), {
            actorName: 'vault',
            path: r.paths[0] ?? null,
        })), this.deps.sealer);
        this.deps.noteCommitted(records);
        for (const r of result)
            void this.notify('approval.expired', this.view(r, [], now));
        return result.length;
    }
    /**
     * Tells the policy's webhook about a request or a decision: a Slack-compatible `text` and
     * `blocks`, plus the request as fields. Never a value; signed with the key stored at the policy's
     * `webhookSecret`. Failures are logged, never raised: a notice is a courtesy, the request stands.
     */
    async notify(event, view) {
        try {
            const { policy } = await this.policy();
            if (!policy.notify)
                return;
            const key = await this.deps.store.readSecret(policy.notify.webhookSecret);
            if (!key?.version || key.secret.deletedAt !== null) {
                this.deps.logger.warning(`The approval webhook's key at ${policy.notify.webhookSecret} does not exist; no notice was sent.`);
                return;
            }
            const secret = this.deps.keyring.open(key.version.ciphertext, key.secret.path, key.secret.version).toString('utf8');
            const verb = event.slice('approval.'.length);
            const who = `${view.requester.type} ${view.requester.name}${view.requester.claims?.repository ? ` (${view.requester.claims.repository} run ${view.requester.claims.run_id ?? '?'})` : ''}`;
            const headline = `Approval ${view.id} ${verb}: ${who} asks for ${view.paths.join(', ')}`;
            const link = this.deps.dashboardUrl ? `${this.deps.dashboardUrl.replace(/\/+$/, '')}/approvals/${view.id}` : null;
            const lines = [
                `*${(0,core_text/* slackText */.a4)(headline)}*`,
                view.description ? `The requester's reason: ${(0,core_text/* slackText */.a4)(view.description)}` : '',
                ...view.decisions.map((d) => `${d.decision === 'approve' ? 'Approved' : 'Denied'} by ${(0,core_text/* slackText */.a4)(d.user)}${d.reason ? `: ${(0,core_text/* slackText */.a4)(d.reason)}` : ''}`),
                event === 'approval.requested'
                    ? `Needs ${view.requiredApprovals} approval(s) from ${(0,core_text/* slackText */.a4)(view.approvers.join(', ') || 'an admin or approver')} before ${view.expiresAt}.`
                    : '',
                event === 'approval.requested' ? `Approve: \`${view.approveCommand}\`  Deny: \`ass approvals deny ${view.id} --reason ...\`` : '',
                link ? `<${link}|Open in the dashboard>` : '',
            ].filter(Boolean);
            const body = JSON.stringify({
                text: lines.join('\n'),
                blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }],
                event,
                approval: {
                    id: view.id,
                    status: view.status,
                    kind: view.kind,
                    requester: view.requester,
                    paths: view.paths,
                    description: view.description,
                    requiredApprovals: view.requiredApprovals,
                    approvers: view.approvers,
                    decisions: view.decisions,
                    expiresAt: view.expiresAt,
                    approveCommand: view.approveCommand,
                    ...(link ? { url: link } : {}),
                },
            });
            await (0,notify/* postSignedWebhook */.e8)(event, body, `approval ${view.id} was ${verb}`, {
                url: policy.notify.webhook,
                secret,
                logger: this.deps.logger,
                ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
            });
        }
        catch (err) {
            this.deps.logger.warning(`The approval notice for ${view.id} was not delivered: ${err instanceof Error ? err.message : String(err)}`);
        }
    }
}
/** Who asks, as an approval request records it. */
function requesterOf(p) {
    switch (p.kind) {
        case 'user':
            return { requesterType: 'user', requesterId: p.id, requesterName: p.name, tokenId: null, claims: null };
        case 'agent':
            return { requesterType: 'agent', requesterId: p.agent.id, requesterName: p.agent.name, tokenId: null, claims: null };
        case 'token':
            return {
                requesterType: p.token.kind,
                requesterId: p.agent.id,
                requesterName: p.agent.name,
                tokenId: p.token.id,
                claims: p.token.claims,
            };
    }
}
/**
 * Nobody approves their own request: the user who asked, or, for a pipeline, the person whose push
 * or click started the run or re-ran it (`actor`, `triggering_actor`, GitLab's `user_login`), when
 * a vault user has that name.
 */
const RUN_PEOPLE = ['actor', 'triggering_actor', 'user_login'];
function selfApproval(requester, claims, user) {
    if (requester.requesterType === 'user')
        return requester.requesterId === user.id;
    return RUN_PEOPLE.some((c) => typeof claims?.[c] === 'string' && claims[c].toLowerCase() === user.name.toLowerCase());
}
/** The 202 answer: the pending request in `details` (the pipeline puts them at the top level too). */
function heldError(view) {
    const who = view.approvers.length > 0
        ? `${view.requiredApprovals > 1 ? `${view.requiredApprovals} of ` : ''}${view.approvers.join(', ')}`
        : `an admin or approver other than the requester, though none may decide under its rule (${view.rule}) yet: an admin makes one (ass users create NAME --role viewer --approver, or ass users update NAME --approver${view.rule.startsWith('prefix') ? ', and ass approvals policy set --prefix ... --approvers NAME' : ''})`;
    const what = view.paths.length === 1 ? `${view.paths[0]} needs` : `${view.paths.length} secrets need`;
    return new errors/* AppError */.uV('approval_required', view.status === 'approved'
        ? `${what} a human approval (${view.rule}): request ${view.id} was approved; collect it once before ${view.expiresAt} (ass approvals collect ${view.id}, or --wait; POST /v1/approvals/${view.id}/collect).`
        : `${what} a human approval (${view.rule}): request ${view.id} is pending until ${view.expiresAt}. Ask ${who} to run: ${view.approveCommand}`, { details: { approvalId: view.id, ...view } });
}

;// CONCATENATED MODULE: ./src/server/audit-monitor.ts
/**
 * Keeps the audit log honest while the vault runs: verifies the whole chain at start-up (and again
 * on a schedule), verifies each new stretch of records as they accumulate, keeps the freshness index
 * and the high-water mark current, and sends signed checkpoints to a sink outside the vault's host.
 * Once the log is known to be broken, the vault answers only what an operator needs to find out why
 * (health, and reading and verifying the log); it releases and changes nothing else.
 */


const PAGE = 5000;
class AuditMonitor {
    deps;
    options;
    verified = { seq: 0, hash: '0'.repeat(64) };
    problem;
    timers = [];
    running = Promise.resolve();
    sinkState;
    stopped = false;
    constructor(deps, options) {
        this.deps = deps;
        this.options = options;
        this.sinkState = deps.sink ? { ok: true, lastAt: null, error: undefined } : undefined;
    }
    health() {
        return { state: this.problem ? 'broken' : 'intact', verifiedSeq: this.verified.seq, problem: this.problem, sink: this.sinkState };
    }
    /** The high-water mark: the newest record this vault wrote or verified (appends below it are refused). */
    mark() {
        return this.deps.highWater.current();
    }
    /** Throws when the log is broken: the request releases and changes nothing. */
    assertIntact() {
        const p = this.problem;
        if (!p)
            return;
        throw new errors/* AppError */.uV('audit_unavailable', `The audit log failed verification (${p.seq === null ? '' : `record ${p.seq}: `}${p.message}); the vault releases and changes nothing until the log is restored from a backup. ass audit verify lists every problem.`);
    }
    /** Records the vault just committed: the freshness index and the high-water mark follow at once. */
    noteCommitted(records) {
        for (const r of records) {
            this.deps.freshness.apply(r);
            this.deps.highWater.advance(r.seq, r.hash);
            // A record this vault sealed right after the last verified one extends the verified chain as
            // it is: there is nothing to read back. Records other replicas append in between break the
            // run, and the next pass reads and verifies from there. (An edit made later to any record,
            // this one included, is found by the sweep.)
            if (!this.problem && r.seq === this.verified.seq + 1 && r.prevHash === this.verified.hash) {
                this.verified = { seq: r.seq, hash: r.hash };
            }
        }
    }
    /** A problem found elsewhere (an operator's `ass audit verify`): the log is broken. */
    markBroken(problem) {
        if (this.problem)
            return;
        this.problem = problem;
        this.deps.logger.error(`audit log broken: ${problem.seq === null ? '' : `record ${problem.seq}: `}${problem.message}`);
    }
    /**
     * Before the vault serves anything: the log must not be behind the mark outside the store or the
     * newest checkpoint in the sink (else the start is refused), and the whole chain is verified.
     */
    async start(mark) {
        for (const [what, anchor] of [
            ['high-water mark', mark],
            ['newest checkpoint in the sink', await this.lastSinkCheckpoint()],
        ]) {
            if (anchor)
                await this.assertNotBehind(anchor, what);
        }
        await this.sweep();
        if (this.problem)
            this.deps.logger.error('the vault started with a broken audit log: it releases nothing until the log is restored');
        const every = (ms, fn) => {
            // One pass at a time; a pass that fails (the database is down) is logged and tried again next time.
            const tick = () => {
                this.running = this.running.then(fn).catch((err) => {
                    this.deps.logger.warning(`audit verification pass failed: ${err instanceof Error ? err.message : String(err)}`);
                });
            };
            const t = setInterval(tick, ms);
            t.unref();
            this.timers.push(t);
        };
        every(this.options.followEveryMs, () => this.follow());
        every(this.options.sweepEveryMs, () => this.sweep());
        if (this.deps.sink)
            every(this.options.checkpointEveryMs, () => this.publish());
    }
    async stop() {
        this.stopped = true;
        for (const t of this.timers)
            clearInterval(t);
        this.timers = [];
        await this.running;
        if (this.deps.sink && !this.problem)
            await this.publish();
        await this.deps.highWater.close();
    }
    async lastSinkCheckpoint() {
        const cp = await this.deps.sink?.last();
        if (!cp)
            return undefined;
        if (!(0,audit_chain/* checkpointSignatureValid */.H6)(cp, this.deps.publicKey)) {
            throw new errors/* AppError */.uV('integrity_failed', `The newest checkpoint in the sink ${this.deps.sink?.target} is not signed by this vault's audit key: the sink holds another vault's checkpoints, or was edited.`);
        }
        return cp;
    }
    /** Refuses a log whose head is behind `anchor`, or whose record at its seq differs. */
    async assertNotBehind(anchor, what) {
        const head = await this.deps.store.getAuditHead();
        const at = anchor.seq === 0
            ? undefined
            : (await this.deps.store.queryAudit({ afterSeq: anchor.seq - 1, upToSeq: anchor.seq, newestFirst: false }))[0];
        if (!head || head.seq < anchor.seq || (anchor.seq > 0 && at?.hash !== anchor.hash)) {
            throw new errors/* AppError */.uV('integrity_failed', `The audit log is behind its ${what} (record ${anchor.seq}; the log's head is ${head?.seq ?? 'missing'}${at && at.hash !== anchor.hash ? ', and its record there differs' : ''}): the store was rolled back or rewritten outside the vault. Restore the newest backup of the store; to accept an older one on purpose, move the mark (or the sink's file) aside first.`);
        }
    }
    /** Verifies the chain from `after` up to the current head, page by page, yielding between pages. */
    async verify(after) {
        const head = await this.deps.store.getAuditHead();
        const verifier = new audit_chain/* ChainVerifier */.O6({ head, headKey: this.deps.headKey, ...(after ? { after } : {}), maxProblems: 1 });
        const upToSeq = head?.seq ?? 0;
        let last = after ?? { seq: 0, hash: '0'.repeat(64) };
        for (let from = last.seq; from < upToSeq && !this.stopped;) {
            const page = await this.deps.store.queryAudit({ afterSeq: from, upToSeq, limit: PAGE, newestFirst: false });
            if (page.length === 0)
                break;
            for (const r of page) {
                verifier.push(r);
                // The index already holds what came before (a sweep re-reads old records: they must not set it back).
                if (r.seq > this.verified.seq)
                    this.deps.freshness.apply(r);
                last = { seq: r.seq, hash: r.hash };
            }
            from = page.at(-1).seq;
            // Other requests get their turn between pages: a long log never holds the server.
            await new Promise((resolve) => setImmediate(resolve));
        }
        if (this.stopped)
            return;
        // Records appended after the head was read are left for the next pass.
        const problem = verifier.finish().problems[0];
        if (problem)
            this.markBroken(problem);
        else if (last.seq >= this.verified.seq) {
            this.verified = last;
            this.deps.highWater.advance(last.seq, last.hash);
        }
        this.deps.freshness.prune(this.deps.now());
    }
    /** The whole chain, from the first record. */
    sweep() {
        return this.verify(undefined);
    }
    /** Verifies what was appended since the last pass now, in turn with the scheduled passes. */
    catchUp() {
        const pass = this.running.then(() => this.follow());
        this.running = pass.catch(() => undefined);
        return pass;
    }
    /** The records after the last verified one. */
    follow() {
        if (this.problem)
            return Promise.resolve();
        return this.verify(this.verified.seq > 0 ? this.verified : undefined);
    }
    async publish() {
        const sink = this.deps.sink;
        // A broken log gets no more checkpoints: the vault vouches only for what it verified.
        if (!sink || !this.sinkState || this.problem)
            return;
        try {
            await sink.publish(await this.deps.checkpoint());
            this.sinkState = { ok: true, lastAt: this.deps.now(), error: undefined };
        }
        catch (err) {
            const error = err instanceof Error ? err.message : String(err);
            this.sinkState = { ok: false, lastAt: this.sinkState.lastAt, error };
            this.deps.logger.error(`could not send an audit checkpoint to ${sink.target}: ${error}`);
        }
    }
}

;// CONCATENATED MODULE: ./src/server/checkpoint-sink.ts
/**
 * Where signed checkpoints go, outside the vault's host: a file (on another mount, a synced folder)
 * that gets one JSON line per checkpoint, or an HTTP endpoint that gets each one POSTed as JSON.
 * A file sink is also read back at start-up: a log behind its newest checkpoint is refused.
 */




/** `https://…` (or `http://` on loopback) posts; anything else is a file path. */
function openCheckpointSink(target, cwd = process.cwd()) {
    if (/^https?:\/\//i.test(target)) {
        const url = new URL(target);
        if (url.protocol === 'http:' && !(0,net/* isLoopbackHost */.c)(url.hostname)) {
            throw new errors/* AppError */.uV('invalid_input', `The checkpoint sink ${url.origin} uses plain http; use https (plain http only on loopback).`);
        }
        if (url.username || url.password) {
            throw new errors/* AppError */.uV('invalid_input', 'The checkpoint sink URL must not carry a user name or password.');
        }
        return {
            target: `${url.origin}${url.pathname}`,
            async publish(cp) {
                const res = await fetch(url, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json', 'user-agent': 'agent-secret-store-vault' },
                    body: JSON.stringify(cp),
                    signal: AbortSignal.timeout(10_000),
                    redirect: 'error',
                });
                await res.body?.cancel();
                if (!res.ok)
                    throw new Error(`the sink answered HTTP ${res.status}`);
            },
            last: async () => undefined,
        };
    }
    const file = external_node_path_default().resolve(cwd, target);
    return {
        target: file,
        async publish(cp) {
            const handle = await (0,promises_.open)(file, 'a', 0o600);
            try {
                await handle.appendFile(`${JSON.stringify(cp)}\n`);
                await handle.sync();
            }
            finally {
                await handle.close();
            }
        },
        async last() {
            let text;
            try {
                text = await (0,promises_.readFile)(file, 'utf8');
            }
            catch (err) {
                if (err.code === 'ENOENT')
                    return undefined;
                throw err;
            }
            const lines = text.split('\n').filter((l) => l.trim() !== '');
            const line = lines.at(-1);
            if (!line)
                return undefined;
            try {
                return JSON.parse(line);
            }
            catch {
                throw new errors/* AppError */.uV('integrity_failed', `The last line of the checkpoint sink ${file} is not a checkpoint: the file was edited.`);
            }
        },
    };
}

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

;// CONCATENATED MODULE: ./src/server/high-water.ts
/**
 * The audit log's high-water mark: the newest record this vault has written or seen, kept in the
 * process and in a file outside the store (next to the master key), MAC'd under the audit head key.
 * An authentic head is not proof of a current log (an earlier head is authentic too): whoever can
 * write the store could delete the newest records and put an earlier head back. The vault refuses
 * to start, or to append, when the log is behind its mark.
 */




function high_water_macOf(key, m) {
    return (0,external_node_crypto_.createHmac)('sha256', key).update(`ass-audit-high-water/v1\n${m.seq}\n${m.hash}\n${m.time}`).digest('hex');
}
class HighWater {
    file;
    key;
    logger;
    now;
    mark = { seq: 0, hash: audit_chain/* GENESIS_HASH */.si, time: 0 };
    written = 0;
    timer;
    writing = Promise.resolve();
    /**
     * @param file where the mark is kept outside the store; none keeps it in the process only.
     * @param initial the mark read from the file: the mark never moves below it.
     */
    constructor(file, key, logger, now, initial) {
        this.file = file;
        this.key = key;
        this.logger = logger;
        this.now = now;
        if (initial) {
            this.mark = initial;
            this.written = initial.seq;
        }
    }
    /** The mark in the file, if there is one; a file that is not authentic is refused. */
    static async read(file, key) {
        let text;
        try {
            text = await (0,promises_.readFile)(file, 'utf8');
        }
        catch (err) {
            if (err.code === 'ENOENT')
                return undefined;
            throw err;
        }
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            parsed = {};
        }
        const m = { seq: Number(parsed.seq), hash: String(parsed.hash), time: Number(parsed.time) };
        const mac = Buffer.from(String(parsed.mac ?? ''), 'hex');
        const expected = Buffer.from(high_water_macOf(key, m), 'hex');
        if (!Number.isSafeInteger(m.seq) || mac.length !== expected.length || !(0,external_node_crypto_.timingSafeEqual)(mac, expected)) {
            throw new errors/* AppError */.uV('integrity_failed', `The audit high-water mark ${file} is not authentic: it was edited, or belongs to another vault. Restore it with the store it was taken with, or move it aside to start from the store as it is (its rollback protection starts over).`);
        }
        return m;
    }
    current() {
        return this.mark;
    }
    /** Moves the mark up to a record the vault wrote or verified; the file follows within a second. */
    advance(seq, hash) {
        if (seq <= this.mark.seq)
            return;
        this.mark = { seq, hash, time: this.now() };
        if (this.file && !this.timer) {
            this.timer = setTimeout(() => {
                this.timer = undefined;
                void this.persist();
            }, 1000);
            this.timer.unref();
        }
    }
    /** Writes the mark (atomically: a temporary file renamed over the old one, fsynced). */
    persist() {
        const file = this.file;
        if (!file || this.written === this.mark.seq)
            return this.writing;
        const mark = this.mark;
        this.writing = this.writing.then(async () => {
            const tmp = `${file}.tmp`;
            try {
                const handle = await (0,promises_.open)(tmp, 'w', 0o600);
                try {
                    await handle.writeFile(`${JSON.stringify({ version: 1, ...mark, mac: high_water_macOf(this.key, mark) })}\n`);
                    await handle.sync();
                }
                finally {
                    await handle.close();
                }
                await (0,promises_.rename)(tmp, file);
                this.written = mark.seq;
            }
            catch (err) {
                this.logger.error(`could not write the audit high-water mark ${file}: ${err instanceof Error ? err.message : String(err)}`);
            }
        });
        return this.writing;
    }
    async close() {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = undefined;
        await this.persist();
    }
}

;// CONCATENATED MODULE: ./src/server/keys.ts
/**
 * The vault's own keys, all derived from one 32-byte vault secret that is stored in the database
 * sealed under the master key (so it survives master-key rotation, and never sits in clear next
 * to the data): the audit chain's head MAC and checkpoint signature, the keyed credential hashes,
 * and the MACs that make every row carrying authority tamper-evident. Whoever can write the
 * database but does not hold the master key can compute none of them.
 */

/** How many verified rows are remembered (oldest forgotten first). */
const VERIFIED_ROWS = 4096;
const rowText = (table, fields) => `ass-row/v1\n${table}\n${JSON.stringify(fields)}`;
class VaultKeys {
    /** HMAC key of the audit chain's head (and of the high-water mark kept outside the store). */
    headKey;
    /** Ed25519 key pair of the audit checkpoints. */
    signing;
    credentialKey;
    rowKey;
    verifiedRows = new Map();
    /** SHA-256 of a credential that matched → its keyed hash (see credentialMatches). */
    verifiedCredentials = new Map();
    constructor(secret) {
        const derive = (purpose) => Buffer.from((0,external_node_crypto_.hkdfSync)('sha256', secret, Buffer.alloc(0), `ass/${purpose}/v1`, 32));
        this.headKey = derive('audit-head');
        // PKCS#8 wrapper for a raw Ed25519 seed (RFC 8410).
        const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), derive('audit-checkpoint')]);
        const privateKey = (0,external_node_crypto_.createPrivateKey)({ key: der, format: 'der', type: 'pkcs8' });
        this.signing = { privateKey, publicKey: (0,external_node_crypto_.createPublicKey)(privateKey) };
        this.credentialKey = (0,external_node_crypto_.createSecretKey)(derive('credential-hash'));
        this.rowKey = (0,external_node_crypto_.createSecretKey)(derive('row-mac'));
    }
    /**
     * What is stored for a credential: HMAC(credential key, SHA-256(credential)). A row with a hash
     * someone computed without the key matches no credential.
     */
    credentialHash(credential) {
        return this.rekeyDigest((0,external_node_crypto_.hash)('sha256', credential, 'hex'));
    }
    /** The stored form of a bare SHA-256 digest (hex), as stores before keyed hashes kept them. */
    rekeyDigest(digestHex) {
        return (0,external_node_crypto_.createHmac)('sha256', this.credentialKey).update(Buffer.from(digestHex, 'hex')).digest('hex');
    }
    /**
     * Constant-time check of a presented credential against what is stored. The keyed hash of a
     * credential that matched is remembered by the credential's plain SHA-256 (never the credential
     * itself), so a credential used again and again costs one SHA-256, not an HMAC as well.
     */
    credentialMatches(credential, stored) {
        const digest = (0,external_node_crypto_.hash)('sha256', credential, 'hex');
        const keyed = this.verifiedCredentials.get(digest) ?? this.rekeyDigest(digest);
        const a = Buffer.from(keyed, 'hex');
        const b = Buffer.from(stored, 'hex');
        const ok = a.length === b.length && (0,external_node_crypto_.timingSafeEqual)(a, b);
        if (ok && !this.verifiedCredentials.has(digest)) {
            if (this.verifiedCredentials.size >= VERIFIED_ROWS)
                this.verifiedCredentials.delete(this.verifiedCredentials.keys().next().value);
            this.verifiedCredentials.set(digest, keyed);
        }
        return ok;
    }
    rowMac(table, fields) {
        return this.macOfText(rowText(table, fields));
    }
    /**
     * Whether `mac` is the row's MAC. Rows read again and again (a token, its agent, a hot secret)
     * are remembered once verified: the text of a row this process verified, with its MAC, is
     * enough to know the same text with the same MAC is valid. The memory is the process's own (a
     * storage writer cannot add to it) and holds only genuine rows, whose MACs are in the store anyway.
     */
    rowMacValid(table, fields, mac) {
        if (typeof mac !== 'string')
            return false;
        const text = rowText(table, fields);
        if (this.verifiedRows.get(text) === mac)
            return true;
        const a = Buffer.from(this.macOfText(text));
        const b = Buffer.from(mac);
        const ok = a.length === b.length && (0,external_node_crypto_.timingSafeEqual)(a, b);
        if (ok) {
            if (this.verifiedRows.size >= VERIFIED_ROWS)
                this.verifiedRows.delete(this.verifiedRows.keys().next().value);
            this.verifiedRows.set(text, mac);
        }
        return ok;
    }
    macOfText(text) {
        return (0,external_node_crypto_.createHmac)('sha256', this.rowKey).update(text).digest('base64url');
    }
}

// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
;// CONCATENATED MODULE: ./src/server/limits.ts
/**
 * Lockouts and rate limits as the vault applies them (the rules are in src/core/limits.ts, the
 * state in the store, shared by every replica).
 *
 * A lockout only ever answers a request that failed anyway: whoever keeps guessing gets 429 with
 * Retry-After instead of 401, and the lockout is logged and audited once, when it begins. A request
 * with a valid credential is checked as usual and served, whatever others sent from its address or
 * with its credential id. Rate limits, by contrast, apply to a valid credential's own requests.
 */



/** A credential's lockout subject: its kind and public id (`agent:k_...`, `token:t_...`). */
function credentialSubject(kind, id) {
    return `${kind}:${id}`;
}
class Limits {
    store;
    lockout;
    rates;
    now;
    logger;
    constructor(store, lockout, rates, now, logger) {
        this.store = store;
        this.lockout = lockout;
        this.rates = rates;
        this.now = now;
        this.logger = logger;
    }
    /**
     * Records a failure that looks like guessing, from `ip` and, when the credential id exists,
     * against `credential` (a `credentialSubject`).
     */
    async guess(ip, credential) {
        const now = this.now();
        const failures = [{ key: lockoutKey('address', addressSubject(ip)), threshold: this.lockout.addressFailures }];
        if (credential)
            failures.push({ key: lockoutKey('credential', credential), threshold: this.lockout.credentialFailures });
        // A lockout turned off (threshold 0) counts nothing.
        const counted = failures.filter((f) => f.threshold > 0);
        if (counted.length === 0)
            return { began: [], repeated: false };
        const results = await this.store.recordFailures(counted, now, this.lockout);
        const began = [];
        let until = 0;
        let repeated = true;
        for (const { row, lockedNow } of results) {
            if (row.lockedUntil <= now)
                continue;
            until = Math.max(until, row.lockedUntil);
            if (lockedNow) {
                began.push(this.describe(row, now));
                repeated = false;
            }
            else if (row.refused <= 1) {
                repeated = false;
            }
        }
        if (until === 0)
            return { began, repeated: false };
        return { retryAfter: Math.max(1, Math.ceil((until - now) / 1000)), began, repeated };
    }
    describe(row, now) {
        const { subject, id } = subjectOf(row.key);
        const threshold = subject === 'address' ? this.lockout.addressFailures : this.lockout.credentialFailures;
        const length = (0,duration/* formatDuration */.a)(Math.ceil((row.lockedUntil - now) / 1000));
        const reason = `${subject} ${id} locked out for ${length} after ${threshold} failed credential checks within ${(0,duration/* formatDuration */.a)(this.lockout.windowMs / 1000)} (lockout ${row.strikes}; requests with a valid credential are still served)`;
        this.logger.warning(`lockout: ${reason}. See ass lockouts list; ass lockouts clear ends it.`);
        return { event: 'auth.lockout', status: 'denied', path: null, tier: null, reason };
    }
    /**
     * Takes `n` from a credential's allowance (`kind` read or exchange); throws `rate_limited` with
     * Retry-After when it has not that many left. More than the whole allowance is refused outright.
     */
    async take(kind, credential, n = 1) {
        const limit = kind === 'read' ? this.rates.readsPerMinute : this.rates.exchangesPerMinute;
        if (limit <= 0)
            return;
        if (n > limit) {
            throw new errors/* AppError */.uV('rate_limited', `This request counts ${n} secret reads (one per path or prefix), more than this vault allows a credential in a minute (${limit}): split it, or ask the operator to raise --rate-reads.`);
        }
        const now = this.now();
        const res = await this.store.takeRate(`${kind}:${credential}`, now, limit, n);
        if (res.ok)
            return;
        const retryAfter = Math.ceil(rateRetryAfterMs(res.window, now, limit, n) / 1000);
        throw new errors/* AppError */.uV('rate_limited', kind === 'read'
            ? `This credential has used its ${limit} secret reads a minute; try again in ${retryAfter} s. Read once and keep the value for the job, use one batch read for many secrets, or ask the operator to raise --rate-reads.`
            : `This agent key has asked for its ${limit} tokens a minute (OIDC exchanges and token issues; every ass secrets command run with only ASS_AGENT_KEY issues one); try again in ${retryAfter} s. Issue one token for the whole job (ass tokens issue) and use it as ASS_TOKEN, or ask the operator to raise --rate-exchanges.`, { retryAfter });
    }
}
/**
 * The refusal of a request that failed while a lockout is in force on its address or credential
 * id. `oidc`: the agent key was valid and the OIDC token it brought was forged or foreign-signed.
 */
function lockedOut(retryAfter, oidc = false) {
    const what = oidc
        ? 'Too many OIDC tokens with a forged or foreign signature were sent with this agent key or from this address'
        : 'Too many failed credential checks from this address or for this credential id';
    const fix = oidc
        ? "The agent key is valid, and a genuine OIDC token from the issuer the agent trusts is still accepted: check where the job's token comes from."
        : 'A valid credential is still accepted: check that ASS_TOKEN / ASS_AGENT_KEY is the one you were given.';
    return new errors/* AppError */.uV('locked_out', `${what}; try again in ${retryAfter} s. ${fix} If this is unexpected, someone may be guessing: see ass lockouts list and ass audit --status denied.`, { retryAfter });
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
/** Names that are properties of every JavaScript object, never claims a policy may bind. */
const OBJECT_KEYS = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf']);
const CLAIM_NAME = /^[a-z0-9_]+$/;
const MAX_CLAIMS = 32;
const MAX_CLAIM_VALUE_LENGTH = 512;
const MAX_JWT_LENGTH = 16 * 1024;
// ---------------------------------------------------------------------------------------------
// Trust policies
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
        if (!(0,net/* isLoopbackHost */.c)(url.hostname)) {
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
    // A null-prototype object: a claim name can never reach or replace a prototype.
    const claims = Object.create(null);
    for (const [name, value] of entries) {
        if (!CLAIM_NAME.test(name) || name.length > 64 || OBJECT_KEYS.has(name)) {
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
            const received = Object.hasOwn(payload, name) ? payload[name] : undefined;
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
    if (err instanceof E.JWKSTimeout ||
        err instanceof E.JWKSInvalid ||
        (err instanceof Error && err.name === 'TypeError') ||
        // jose's words for a JWKS endpoint that answered with anything but 200.
        (err instanceof E.JOSEError && /JSON Web Key Set HTTP response/.test(err.message))) {
        return reject(`Could not read the issuer's signing keys (${err instanceof Error ? err.message : String(err)}); try again shortly.`, 'issuer_unreachable');
    }
    if (err instanceof E.JWTInvalid || err instanceof E.JWSInvalid) {
        return reject(`The OIDC token is malformed: ${err.message}.`, 'malformed');
    }
    return reject(`The OIDC token could not be verified (${err instanceof Error ? err.name : 'error'}).`, 'invalid');
}

// EXTERNAL MODULE: ./src/api/define.ts
var api_define = __webpack_require__(7073);
// EXTERNAL MODULE: ./src/api/routes.ts
var routes = __webpack_require__(4200);
;// CONCATENATED MODULE: ./src/api/validate.ts


const WHERE = {
    body: { whole: 'request body', field: (f) => `field ${f} in the request body` },
    query: { whole: 'query string', field: (f) => `query parameter ${f}` },
    path: { whole: 'URL path', field: (f) => `path parameter ${f}` },
};
/**
 * Validates one part of a request with its zod schema and turns the first problem into a message
 * that names the field and what it should be. Values are never echoed back (a body can hold a
 * secret). Parsers that throw their own AppError (paths, scopes) keep their code and message.
 */
function validate(schema, value, part) {
    const res = schema.safeParse(value);
    if (res.success)
        return res.data;
    const where = WHERE[part];
    const issue = res.error.issues[0];
    if (!issue)
        throw new errors/* AppError */.uV('invalid_input', `The ${where.whole} is not valid.`);
    // Record keys come from the request: each segment is shown quoted and cut short.
    // A query parameter is one string on the wire, whatever it decodes to: name the parameter only.
    const path = part === 'query' ? issue.path.slice(0, 1) : issue.path;
    const field = path.length
        ? path.map((k) => (typeof k === 'string' && /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(k) ? k : (0,core_text/* quoteName */.AB)(String(k)))).join('.')
        : undefined;
    let message;
    if (issue.code === 'unrecognized_keys') {
        message =
            part === 'body'
                ? `The request body has unknown field(s) ${issue.keys.map((k) => (0,core_text/* quoteName */.AB)(k)).join(', ')}; remove them (field names are camelCase).`
                : `Unknown ${part === 'query' ? 'query parameter' : 'field'} ${issue.keys.map((k) => (0,core_text/* quoteName */.AB)(k)).join(', ')}.`;
    }
    else if (field && valueAt(value, path) === undefined) {
        message = `The ${where.whole} is missing the ${part === 'body' ? 'field' : 'parameter'} ${field}.`;
    }
    else if (!field && value === undefined && part === 'body') {
        message = 'The request body is missing: send a JSON object with Content-Type: application/json.';
    }
    else {
        message = `The ${field ? where.field(field) : where.whole} is not valid: ${issue.message}.`;
    }
    throw new errors/* AppError */.uV('invalid_input', message, field ? { details: { field } } : {});
}
/** The value at `path` in the input, or undefined when it is absent (a primitive on the way is present). */
function valueAt(body, path) {
    let cur = body;
    for (const key of path) {
        if (cur === null || cur === undefined)
            return undefined;
        if (typeof cur !== 'object')
            return cur;
        cur = cur[key];
    }
    return cur;
}

;// CONCATENATED MODULE: ./src/server/auth.ts




const BAD_CREDENTIAL = 'The credential is not valid: it is unknown, revoked, or mistyped. Check ASS_TOKEN / ASS_AGENT_KEY.';
/**
 * Turns an Authorization header into a principal, or throws a 401/403/429 AppError. A credential
 * that fails like a guess (an id that does not exist, a wrong secret for one that does) counts
 * toward the lockouts of its address and its id; `noted` hears what that led to. A missing or
 * malformed header, or a genuine credential that is revoked, expired or used from outside its
 * allowlist, is a mistake to explain, not a guess, and counts toward nothing.
 */
async function authenticate(deps, header, ip, noted = () => { }) {
    if (!header) {
        throw new errors/* AppError */.uV('unauthenticated', 'No credential was sent: set the Authorization header to "Bearer <token>" (the CLI reads ASS_TOKEN or ASS_AGENT_KEY).');
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const parsed = m ? (0,credentials/* parseCredential */.nx)(m[1]) : undefined;
    if (!m || !parsed) {
        throw new errors/* AppError */.uV('unauthenticated', 'The Authorization header does not hold an Agent Secret Store credential: expected "Bearer ass_..." (a user token, agent key, or scoped token).');
    }
    /** A failed guess: counted, and refused as a lockout once one is in force. */
    const failed = async (known) => {
        const outcome = await deps.limits.guess(ip, known);
        noted(outcome);
        if (outcome.retryAfter !== undefined)
            throw lockedOut(outcome.retryAfter);
        throw new errors/* AppError */.uV('unauthenticated', BAD_CREDENTIAL);
    };
    const now = deps.now();
    switch (parsed.kind) {
        case 'user': {
            const user = await deps.store.getUser(parsed.id);
            if (!user)
                return failed();
            if (!deps.keys.credentialMatches(parsed.secret, user.tokenHash))
                return failed(credentialSubject('user', user.id));
            if (user.revokedAt !== null)
                throw new errors/* AppError */.uV('unauthenticated', `The user "${user.name}" was revoked; ask an admin for a new user token.`);
            return { kind: 'user', id: user.id, name: user.name, role: user.role };
        }
        case 'agent': {
            // A key replaced with an overlap opens its agent until the overlap ends.
            const agent = await deps.store.getAgentByKeyId(parsed.id, now);
            if (!agent)
                return failed();
            if (!deps.keys.credentialMatches(parsed.secret, agent.keyHash))
                return failed(credentialSubject('agent', agent.keyId));
            if (agent.revokedAt !== null) {
                throw new errors/* AppError */.uV('unauthenticated', `The agent "${agent.name}" was revoked; an admin must create a new agent (ass agents create).`);
            }
            return { kind: 'agent', id: agent.id, name: agent.name, agent };
        }
        case 'token':
        case 'pipeline': {
            const found = await deps.store.getTokenWithAgent(parsed.id);
            if (!found)
                return failed();
            // Counted against the token as stored: a scoped and a pipeline token never share an id, so
            // sending one id under both prefixes does not double the guesses.
            if (!deps.keys.credentialMatches(parsed.secret, found.token.hash) || found.token.kind !== parsed.kind) {
                return failed(credentialSubject(found.token.kind, found.token.id));
            }
            const { token, agent } = found;
            if (agent.revokedAt !== null) {
                throw new errors/* AppError */.uV('token_revoked', 'This token was revoked together with its agent.');
            }
            if (token.revokedAt !== null)
                throw new errors/* AppError */.uV('token_revoked', `Token ${token.id} was revoked; issue a new one.`);
            if (token.expiresAt <= now) {
                throw new errors/* AppError */.uV('token_expired', `Token ${token.id} expired at ${new Date(token.expiresAt).toISOString()}; issue a new one.`);
            }
            if (token.allowedIps.length > 0 &&
                !(0,core_cidr/* addressAllowed */.lg)(ip, token.allowedIps.map((c) => (0,core_cidr/* parseCidr */.GN)(c)))) {
                throw new errors/* AppError */.uV('ip_not_allowed', `Token ${token.id} may not be used from ${ip}: the address is outside its IP allowlist.`);
            }
            return { kind: 'token', id: token.id, token, agent };
        }
    }
}

;// CONCATENATED MODULE: ./src/server/context.ts
/** The credential kind a principal presented: `token` and `pipeline` are told apart. */
function credentialKind(p) {
    return p.kind === 'token' ? p.token.kind : p.kind;
}
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
                actorType: p.token.kind,
                actorId: p.agent.id,
                actorName: p.agent.name,
                agent: p.agent.name,
                tokenId: p.token.id,
                claims: p.token.claims,
            };
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
    const peer = (0,core_cidr/* normaliseAddress */.DC)(req.socket.remoteAddress);
    if (trustedProxies.length === 0 || !(0,core_cidr/* addressAllowed */.lg)(peer, trustedProxies))
        return peer;
    const header = req.headers['x-forwarded-for'];
    const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    for (let i = chain.length - 1; i >= 0; i--) {
        const hop = (0,core_cidr/* parseAddress */.or)(withoutPort(chain[i]));
        // A hop that is no address at all is not believed: the request counts as the proxy's own.
        if (!hop)
            return peer;
        if (!(0,core_cidr/* addressAllowed */.lg)(hop.toString(), trustedProxies))
            return hop.toString();
    }
    return peer;
}
/** A forwarded address without the port some proxies add (`203.0.113.7:40000`, `[2001:db8::1]:443`). */
function withoutPort(hop) {
    const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/.exec(hop);
    if (bracketed)
        return bracketed[1];
    const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(hop);
    return v4 ? v4[1] : hop;
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
    const text = Buffer.concat(chunks).toString('utf8');
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        throw new errors/* AppError */.uV('invalid_input', 'The request body is not valid JSON; send a JSON object with Content-Type: application/json.');
    }
    // JSON.parse keeps a "__proto__" key as an own property, but any plain object built from it (a
    // zod record, a spread) drops it without a word: a trust-policy claim could vanish. No field of
    // this API is named so; refuse it rather than let it disappear.
    if (text.includes('__proto__') && hasProtoKey(body)) {
        throw new errors/* AppError */.uV('invalid_input', 'The request body uses the key "__proto__", which no field of this API has; remove it.');
    }
    return body;
}
function hasProtoKey(value) {
    if (value === null || typeof value !== 'object')
        return false;
    if (Object.hasOwn(value, '__proto__'))
        return true;
    return Object.values(value).some(hasProtoKey);
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

;// CONCATENATED MODULE: ./src/server/pipeline.ts
/**
 * The request pipeline: every API request goes through `handleRequest`, in one fixed order.
 *
 *   validate → authenticate (guesses count toward lockouts) → rate limit → spend uses → authorise →
 *   handler → audit → send
 *
 * Each step is driven by the route's declaration in src/api/routes.ts; handlers hold only what is
 * particular to their route. A handler that changes something commits the change together with
 * the request's audit records (`call.commit`), so a change is never kept without its record; for
 * every other request the records are appended before the answer leaves, and if they cannot be,
 * nothing is released (fail closed).
 */













/** A text answer (the CSV export) instead of the route's JSON response. */
class TextReply {
    contentType;
    text;
    constructor(contentType, text) {
        this.contentType = contentType;
        this.text = text;
    }
}
function compileRoutes(handlers) {
    // Literal paths before templated ones: /v1/tokens/self before /v1/tokens/{id}.
    return Object.keys(routes/* API */.nC)
        .map((name) => ({
        name,
        def: routes/* API */.nC[name],
        template: (0,api_define/* compileTemplate */.Gq)(routes/* API */.nC[name].path),
        handler: handlers[name],
    }))
        .sort((a, b) => a.template.names.length - b.template.names.length);
}
function statusForAudit(err) {
    if (err.code === 'approval_required')
        return 'pending';
    if (!err.isUserError)
        return 'error';
    return err.status === 401 || err.status === 403 || err.status === 429 ? 'denied' : 'error';
}
/** Every string of a record made storable (see src/core/text.ts): what is hashed is what is stored. */
const pipeline_text = (s, max = 500) => (s === null ? null : (0,core_text/* storableText */._O)(s, max));
function entriesOf(ctx, time) {
    const actor = actorOf(ctx.principal);
    return [ctx.audit, ...ctx.extraAudit].map((d) => {
        const claims = d.claims ?? actor.claims;
        return {
            time,
            requestId: ctx.requestId,
            event: d.event,
            status: d.status,
            actorType: actor.actorType,
            actorId: pipeline_text(actor.actorId),
            actorName: pipeline_text(actor.actorName),
            agent: pipeline_text(actor.agent),
            tokenId: pipeline_text(actor.tokenId),
            path: pipeline_text(d.path),
            tier: pipeline_text(d.tier),
            reason: pipeline_text(d.reason),
            ip: pipeline_text(ctx.ip, 100),
            claims: claims && Object.fromEntries(Object.entries(claims).map(([k, v]) => [(0,core_text/* storableText */._O)(k, 64), (0,core_text/* storableText */._O)(v, 256)])),
        };
    });
}
function auditUnavailable(requestId) {
    return new errors/* AppError */.uV('audit_unavailable', `The audit log could not be written, so nothing was changed or released. Quote request id ${requestId} to the operator.`);
}
/** A commit refused because the log's head failed its check: the log is broken. */
function noteTamper(deps, err) {
    const cause = err instanceof CommitFailed ? err.cause : undefined;
    if (cause instanceof audit_chain/* AuditTamperError */.vL)
        deps.monitor.markBroken({ seq: null, kind: 'head_mismatch', message: cause.message });
}
/**
 * What a guessed credential led to: a lockout that began is recorded with the request (once); a
 * refusal during a lockout after its first is counted on the lockout, not recorded again, so a
 * guesser cannot flood the log.
 */
function noteGuess(ctx, o) {
    ctx.extraAudit.push(...o.began);
    if (o.retryAfter !== undefined && o.repeated && o.began.length === 0)
        ctx.skipAudit = true;
}
/** The credential a principal presented, as lockouts and rate limits name it. */
function principalSubject(p) {
    switch (p.kind) {
        case 'user':
            return credentialSubject('user', p.id);
        case 'agent':
            return credentialSubject('agent', p.agent.keyId);
        case 'token':
            return credentialSubject(p.token.kind, p.token.id);
    }
}
/** The route's query parameters: a strict object schema's keys. */
function queryKeys(def) {
    return Object.keys(def.query.shape ?? {});
}
function createPipeline(deps) {
    const routes = compileRoutes(deps.handlers);
    const { store, logger } = deps;
    const seal = deps.audit.sealer;
    return async function handleRequest(req, res) {
        const requestId = (0,external_node_crypto_.randomUUID)();
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        // The path is matched raw, never percent-decoded: an encoded slash cannot smuggle a segment.
        const pathname = q === -1 ? url : url.slice(0, q);
        const method = req.method ?? 'GET';
        const ctx = {
            requestId,
            ip: clientAddress(req, deps.trustedProxies),
            audit: { event: 'request.invalid', status: 'granted', path: null, tier: null, reason: null },
            extraAudit: [],
        };
        let route;
        let captures = [];
        let methodMismatch = false;
        for (const r of routes) {
            const m = r.template.regex.exec(pathname);
            if (!m)
                continue;
            if (r.def.method !== method) {
                methodMismatch = true;
                continue;
            }
            route = r;
            captures = m.slice(1);
            break;
        }
        const def = route?.def;
        if (def?.event)
            ctx.audit.event = def.event;
        let status = def?.status ?? 200;
        let payload = '';
        let contentType = 'application/json; charset=utf-8';
        let errorCode;
        const headers = {};
        try {
            // A log that failed verification: only what tells the operator why is served.
            if (def && !def.servesBrokenLog)
                deps.monitor.assertIntact();
            if (!route || !def) {
                req.resume();
                // Probing for routes touches nothing, so it is not audited (and, guessing no credential, not counted).
                throw new errors/* AppError */.uV(methodMismatch ? 'invalid_input' : 'not_found', methodMismatch
                    ? `${method} is not supported on ${pathname.slice(0, 200)}.`
                    : `There is no API route ${pathname.slice(0, 200)}; see docs/api.md.`);
            }
            // 1. Validate the path parameters, the query and the body against the route's schemas.
            const access = def.access;
            const noted = (o) => noteGuess(ctx, o);
            let input;
            try {
                input = parseInput(route, captures, url.slice(q === -1 ? url.length : q + 1), await readBody(req));
            }
            catch (err) {
                // The record of a malformed request says who sent it, when the credential is valid.
                if (!access.anonymous)
                    ctx.principal = await authenticate(deps, req.headers.authorization, ctx.ip, noted).catch(() => undefined);
                throw err;
            }
            ctx.audit.path = auditPath(access, input);
            // 2. Authenticate. A guessed credential counts toward the lockouts of its address and id.
            if (!access.anonymous)
                ctx.principal = await authenticate(deps, req.headers.authorization, ctx.ip, noted);
            const principal = ctx.principal;
            // 3. The credential's own rate limit, shared by every replica; a batch counts as its uses do.
            if (def.rate && principal) {
                await deps.limits.take(def.rate, principalSubject(principal), typeof access.uses === 'function' ? access.uses(input) : 1);
            }
            // 4. Spend uses (before the check, so a probing request burns a use too).
            if (principal?.kind === 'token' && access.uses) {
                await spendUses(deps, principal, typeof access.uses === 'number' ? access.uses : access.uses(input));
            }
            // 5. Authorise.
            if (!access.anonymous)
                authorise(access, input, principal);
            // 6. The route's own work.
            const scopes = principal?.kind === 'token' ? (0,core_scopes/* parseScopesCached */.p9)(principal.token.scopes) : undefined;
            const result = await route.handler({
                input,
                ctx,
                principal,
                deps,
                can: (verb, path) => !scopes || (0,core_scopes/* scopesAllow */.TH)(scopes, verb, path),
                commit: async (change, finish) => {
                    if (ctx.audited)
                        throw new Error('a request commits at most once');
                    try {
                        const { result, records } = await store.commit(change, (r) => {
                            finish?.(r);
                            return entriesOf(ctx, deps.now());
                        }, seal);
                        ctx.audited = true;
                        deps.monitor.noteCommitted(records);
                        return result;
                    }
                    catch (err) {
                        if (err instanceof CommitFailed) {
                            logger.error(`request ${requestId}: ${err.message}; nothing was changed`);
                            noteTamper(deps, err);
                            throw auditUnavailable(requestId);
                        }
                        throw err;
                    }
                },
            });
            if (result instanceof TextReply) {
                payload = result.text;
                contentType = result.contentType;
            }
            else {
                // The response schema is an allowlist: a field it does not declare never leaves the server.
                const parsed = def.response.safeParse(result);
                if (!parsed.success) {
                    logger.error(`request ${requestId}: ${route.name} answered outside its schema: ${parsed.error.issues[0]?.message ?? ''}`);
                    throw new errors/* AppError */.uV('internal', 'The vault built an answer that does not match its API.');
                }
                payload = JSON.stringify(parsed.data);
            }
        }
        catch (err) {
            const appErr = (0,errors/* isAppError */.Y6)(err) ? err : undefined;
            if (!appErr)
                logger.error(`request ${requestId} failed: ${err instanceof Error ? err.message : String(err)}`);
            const e = appErr ?? new errors/* AppError */.uV('internal', 'The vault hit an internal error.');
            errorCode = e.code;
            ctx.audit.status = statusForAudit(e);
            ctx.audit.reason = `${e.code}: ${e.message}`;
            ctx.extraAudit = ctx.extraAudit.filter((d) => d.event === 'auth.lockout');
            status = e.status;
            contentType = 'application/json; charset=utf-8';
            if (e.retryAfter !== undefined)
                headers['retry-after'] = String(e.retryAfter);
            const message = e.isUserError ? e.message : `${e.message} Quote request id ${requestId} to the operator.`;
            const error = { code: e.code, message, requestId, ...(e.details ? { details: e.details } : {}) };
            // A request held for approval (202) answers with the pending request itself, its error beside it.
            payload = JSON.stringify(e.code === 'approval_required' ? { ...e.details, error } : { error });
        }
        // 7. Audit: every request to a route, granted or not, unless its records went in with its change.
        if (def?.event && !ctx.skipAudit && !ctx.audited) {
            try {
                const { records } = await store.commit(null, () => entriesOf(ctx, deps.now()), seal);
                deps.monitor.noteCommitted(records);
            }
            catch (err) {
                noteTamper(deps, err);
                // Fail closed: whatever the request produced (a secret value included) is not released.
                logger.error(`request ${requestId}: audit append failed${def.answersWithoutAudit ? '' : ', response withheld'}: ${err instanceof Error ? err.message : String(err)}`);
                // (A refusal that already says the log is unavailable keeps its own, more precise, words.)
                if (!def.answersWithoutAudit && errorCode !== 'audit_unavailable') {
                    status = 503;
                    contentType = 'application/json; charset=utf-8';
                    const e = auditUnavailable(requestId);
                    payload = JSON.stringify({ error: { code: e.code, message: e.message, requestId } });
                }
            }
        }
        // 8. Send.
        send(res, status, requestId, payload, contentType, headers);
    };
}
function parseInput(route, captures, search, rawBody) {
    const { def, template } = route;
    const rawParams = {};
    template.names.forEach((name, i) => {
        rawParams[name] = captures[i];
    });
    const params = validate(def.params, rawParams, 'path');
    // A null-prototype object: a "__proto__" parameter is an unknown parameter like any other, not a prototype.
    const rawQuery = Object.create(null);
    for (const [k, v] of new URLSearchParams(search))
        rawQuery[k] = v;
    const allowed = queryKeys(def);
    const unknown = Object.keys(rawQuery).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) {
        throw new errors/* AppError */.uV('invalid_input', `Unknown query parameter ${unknown.map((k) => (0,core_text/* quoteName */.AB)(k)).join(', ')}; ${allowed.length ? `this route takes ${allowed.join(', ')}` : 'this route takes none'}.`);
    }
    const query = validate(def.query, rawQuery, 'query');
    // A route without a body ignores one; a route with one treats an empty body as {}.
    const body = def.method === 'GET' || def.method === 'DELETE' ? undefined : validate(def.body, rawBody ?? {}, 'body');
    return { params, query, body };
}
/** The path the request's audit record names: the first secret path or prefix it touches. */
function auditPath(access, input) {
    const s = access.secret;
    if (!s)
        return null;
    return s.paths?.(input)[0] || s.prefixes?.(input)[0] || null;
}
async function spendUses(deps, p, n) {
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
function describeKind(p) {
    switch (credentialKind(p)) {
        case 'user':
            return 'a user token';
        case 'agent':
            return 'an agent key';
        case 'token':
            return 'a scoped token';
        case 'pipeline':
            return 'a pipeline token';
    }
}
function allowedCallers(access) {
    const who = [];
    if (access.users)
        who.push(`a user with the ${access.users.join(' or ')} role`);
    if (access.agent)
        who.push('an agent key');
    if (access.tokens) {
        who.push(access.audit ? `a token with ${core_scopes/* AUDIT_READ_TEXT */.Dh}` : access.secret ? 'a token with the right scope' : 'a scoped or pipeline token');
    }
    return who.join(' or ');
}
/** Checks the caller against the route's policy; throws a 403 that says what would be allowed. */
function authorise(access, input, p) {
    const kind = credentialKind(p);
    const allowed = kind === 'user' ? access.users !== undefined : kind === 'agent' ? access.agent === true : access.tokens === true;
    if (!allowed) {
        let hint = '';
        if (kind === 'agent' && access.secret) {
            hint = ' An agent key cannot use secrets directly: issue a scoped token first (ass tokens issue), or let the CLI do it for you.';
        }
        else if (access.agent && !access.users && !access.tokens) {
            hint = ' Set ASS_AGENT_KEY to the key ass agents create printed.';
        }
        throw new errors/* AppError */.uV('denied', `Only ${allowedCallers(access)} can ${access.what}; this request used ${describeKind(p)}.${hint}`);
    }
    if (p.kind === 'user') {
        const roles = access.users;
        if (!roles.includes(p.role)) {
            const never = access.secret?.verb === 'read' && p.role === 'viewer' ? ' (it never sees values)' : '';
            throw new errors/* AppError */.uV('denied', `The ${p.role} role cannot ${access.what}${never}; it needs ${roles.join(' or ')}.`);
        }
        return;
    }
    if (p.kind !== 'token')
        return;
    const scopes = (0,core_scopes/* parseScopesCached */.p9)(p.token.scopes);
    const missing = (needed, why = '', fix = 'Issue a token whose scopes cover this path.') => {
        throw new errors/* AppError */.uV('scope_missing', `Token ${p.token.id} lacks the scope ${needed}${why}; its scopes are ${p.token.scopes.join(', ')}. ${fix}`, {
            details: { missingScope: needed },
        });
    };
    // The audit log is its own resource: only audit:read opens it (secrets:*:* does not).
    if (access.audit === 'read' && !(0,core_scopes/* scopesAllowAudit */.YN)(scopes)) {
        missing(core_scopes/* AUDIT_READ_TEXT */.Dh, `, which reading the audit log needs`, 'Issue a token with audit:read, from an agent that holds it (ass agents create --scopes audit:read).');
    }
    if (!access.secret)
        return;
    const s = access.secret;
    for (const path of s.paths?.(input) ?? []) {
        if (!(0,core_scopes/* scopesAllow */.TH)(scopes, s.verb, path))
            missing((0,core_scopes/* missingScopeHint */.SI)(s.verb, path));
    }
    for (const prefix of s.prefixes?.(input) ?? []) {
        const whole = { resource: 'secrets', verb: s.verb, segments: prefix === '' ? ['*'] : [...prefix.split('/'), '*'] };
        if (s.filter) {
            // A listing shows what the scopes cover; it needs at least one secrets scope with this verb.
            if (!(0,core_scopes/* secretScopes */.kl)(scopes).some((x) => x.verb === s.verb || x.verb === '*'))
                missing((0,core_scopes/* missingScopeHint */.SI)(s.verb, prefix === '' ? '*' : `${prefix}/*`));
        }
        else if (!scopes.some((x) => (0,core_scopes/* scopeWithin */.IL)(whole, x))) {
            missing(`secrets:${s.verb}:${prefix === '' ? '*' : `${prefix}/*`}`, `, which ${s.verb === 'read' ? 'reading' : 'using'} every secret below ${prefix || 'the root'} needs`);
        }
    }
}

// EXTERNAL MODULE: ./src/client/client.ts
var client_client = __webpack_require__(4064);
// EXTERNAL MODULE: ./src/rotation/engine.ts
var engine = __webpack_require__(9562);
// EXTERNAL MODULE: ./src/rotation/notifier.ts + 1 modules
var notifier = __webpack_require__(4973);
// EXTERNAL MODULE: ./src/rotation/registry.ts + 8 modules
var registry = __webpack_require__(3593);
;// CONCATENATED MODULE: ./src/server/routes/tokens.ts
/** Scoped tokens (issued by an agent key), pipeline tokens (the OIDC exchange), listing and revocation. */








/** Claims copied onto a pipeline token and into every audit record made with it. */
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
    'triggering_actor',
    'runner_environment',
    // GitLab, Buildkite and CircleCI name their projects, runs and people differently.
    'project_id',
    'project_path',
    'namespace_id',
    'pipeline_id',
    'pipeline_source',
    'job_id',
    'user_login',
    'user_id',
    'organization_slug',
    'pipeline_slug',
    'build_number',
    'oidc.circleci.com/project-id',
    'oidc.circleci.com/workflow-id',
];
/**
 * The claims that name one CI run, per CI: an approval given to a run is collected only by that run
 * (and a CI whose tokens name no run cannot have its exchanges approved).
 */
const RUN_ID_CLAIMS = ['run_id', 'pipeline_id', 'build_number', 'oidc.circleci.com/workflow-id'];
/** A new token row with a fresh credential (returned once; only its hash is stored); also used by ass server --rotate. */
function newToken(keys, t) {
    const cred = (0,credentials/* generateCredential */.L8)(t.kind);
    return {
        secret: cred.secret,
        row: {
            id: cred.id,
            kind: t.kind,
            agentId: t.agent.id,
            hash: keys.credentialHash(cred.secret),
            scopes: t.scopes,
            createdAt: t.now,
            expiresAt: t.now + t.ttlSeconds * 1000,
            maxUses: t.maxUses,
            uses: 0,
            allowedIps: t.allowedIps,
            description: t.description,
            claims: t.claims,
            revokedAt: null,
        },
    };
}
function checkTtl(ttl, maxSeconds) {
    if (ttl > maxSeconds) {
        throw new errors/* AppError */.uV('invalid_input', `The token TTL ${(0,duration/* formatDuration */.a)(ttl)} exceeds this vault's maximum of ${(0,duration/* formatDuration */.a)(maxSeconds)}; ask for a shorter TTL and refresh before it expires.`);
    }
    return ttl;
}
/**
 * OIDC rejections that can only be forgery: a signature that does not verify under the issuer's
 * published key, or an algorithm the issuer never uses (`none`, HS256 keyed with the public key).
 * A key id the issuer has not published (yet: it may be rotating its keys), an issuer outage, and
 * a genuine token that fails the trust policy, has expired, or names another audience or issuer
 * are mistakes or accidents to explain, not attacks, and count toward nothing.
 */
const FORGED = new Set(['signature', 'algorithm']);
/** A forged OIDC token counts against the agent key that sent it and its address; a lockout answers 429. */
async function countOidcRejection(deps, ctx, keyId, err) {
    if (!(0,errors/* isAppError */.Y6)(err) || err.code !== 'oidc_rejected' || !FORGED.has(String(err.details?.reason)))
        return;
    const outcome = await deps.limits.guess(ctx.ip, credentialSubject('agent', keyId));
    ctx.extraAudit.push(...outcome.began);
    if (outcome.retryAfter !== undefined) {
        if (outcome.repeated && outcome.began.length === 0)
            ctx.skipAudit = true;
        throw lockedOut(outcome.retryAfter, true);
    }
}
/**
 * A key the agent replaced (still in its overlap) gets tokens that end with the overlap and say
 * where they came from, so they can never read the agent's new key (see secrets.ts): else whoever
 * kept the old key could read the new one and take the agent back.
 */
function replacedKeyTtl(agent, ttl, now) {
    if (agent.replacedKeyUntil === undefined)
        return ttl;
    return Math.max(1, Math.min(ttl, Math.floor((agent.replacedKeyUntil - now) / 1000)));
}
function replacedKeyClaims(agent) {
    return agent.replacedKeyUntil === undefined ? null : { replaced_key: agent.keyId };
}
/**
 * Checks a CI run's OIDC token against the agent's trust policy, spends its `jti` (each is accepted
 * once, also across restarts), and returns the claims recorded on the pipeline token. A forged one
 * counts toward the key's lockout; only a token the policy accepts draws on the key's allowance.
 */
async function verifyRun(deps, ctx, agent, oidcToken) {
    const policy = agent.trustPolicy;
    if (!policy) {
        throw new errors/* AppError */.uV('denied', `The agent "${agent.name}" has no OIDC trust policy, so it cannot exchange OIDC tokens. Create the agent with --oidc-issuer and --oidc-claim repository_id=... (see the README).`);
    }
    let verified;
    try {
        verified = await deps.verifier.verify(oidcToken, policy, deps.settings.audience);
    }
    catch (err) {
        await countOidcRejection(deps, ctx, agent.keyId, err);
        throw err;
    }
    // Only an exchange the trust policy accepts draws on the key's allowance: a run the policy
    // refuses, or the key alone, cannot use up the production pipeline's exchanges.
    await deps.limits.take('exchange', credentialSubject('agent', agent.keyId));
    if (!(await deps.store.useJti(verified.issuer, verified.jti, verified.exp * 1000, deps.now()))) {
        throw new errors/* AppError */.uV('oidc_rejected', `This OIDC token (jti ${verified.jti.slice(0, 64)}) was already exchanged once; request a fresh token for every exchange.`);
    }
    const claims = {};
    for (const name of RECORDED_CLAIMS) {
        const v = verified.claims[name];
        if (typeof v === 'string' || typeof v === 'number')
            claims[name] = String(v).slice(0, 256);
    }
    return claims;
}
/**
 * Holds a token request or exchange whose read scopes reach a secret that needs approval: stores
 * the request (what was asked, to release exactly that) and throws the 202.
 */
async function holdForApproval(call, kind, scopes, ask, claims) {
    const { deps } = call;
    const held = await deps.approvals.needing(await deps.approvals.readableBy(scopes));
    if (held.length === 0)
        return;
    if (claims && !RUN_ID_CLAIMS.some((c) => claims[c] !== undefined)) {
        throw new errors/* AppError */.uV('denied', `The scopes reach ${held.length} secret(s) that need approval, and this CI's OIDC token names no run (${RUN_ID_CLAIMS.join(', ')}) an approval could be bound to. Ask for scopes that reach none of them, or let a person fetch them.`);
    }
    const { description, ...rest } = ask;
    await deps.approvals.hold({
        kind,
        principal: call.principal,
        held,
        ask: { scopes: (0,core_scopes/* formatScopes */.$u)(scopes), ...rest, read: null },
        description,
        ...(claims ? { claims } : {}),
    }, call.ctx, call.commit);
}
const tokenHandlers = {
    async issueToken({ input: { body }, principal, deps, ctx, commit }) {
        const { agent } = asAgent(principal);
        if (agent.trustPolicy) {
            // An agent bound to a CI trust policy gets tokens only with both factors: its key alone, if
            // stolen, must not be enough.
            throw new errors/* AppError */.uV('denied', `The agent "${agent.name}" is bound to a CI OIDC trust policy, so it gets tokens only through the exchange (agent key plus the job's OIDC token: ass tokens exchange, or the fetch action). For tokens from the key alone, create a separate agent without --oidc-issuer.`);
        }
        const scopes = (0,core_scopes/* parseScopes */.Fg)(body.scopes);
        const outside = (0,core_scopes/* scopesOutside */.nS)(scopes, (0,core_scopes/* parseScopesCached */.p9)(agent.scopes));
        if (outside.length > 0) {
            throw new errors/* AppError */.uV('denied', `The agent "${agent.name}" may not grant ${(0,core_scopes/* formatScopes */.$u)(outside).join(', ')}: a token's scopes must lie within the agent's (${agent.scopes.join(', ')}).`);
        }
        const ttl = replacedKeyTtl(agent, checkTtl(body.ttl, deps.settings.maxTokenTtlSeconds), deps.now());
        const now = deps.now();
        const allowedIps = (body.allowedIps ?? []).map((c) => (0,core_cidr/* parseCidr */.GN)(c).text);
        await holdForApproval({ deps, ctx, principal, commit }, 'token', scopes, {
            ttlSeconds: ttl,
            maxUses: body.maxUses ?? null,
            allowedIps,
            description: body.description ?? null,
        });
        const { secret, row } = newToken(deps.keys, {
            kind: 'token',
            agent,
            scopes: (0,core_scopes/* formatScopes */.$u)(scopes),
            now,
            ttlSeconds: ttl,
            maxUses: body.maxUses ?? null,
            allowedIps,
            description: body.description ?? null,
            claims: replacedKeyClaims(agent),
        });
        ctx.audit.reason = `token ${row.id} issued, scopes ${row.scopes.join(' ')}, ttl ${(0,duration/* formatDuration */.a)(ttl)}`;
        await commit(deps.store.changes.createToken(row));
        return { token: secret, ...tokenView(row, agent, now) };
    },
    /**
     * Exchanges the two factors (the agent key that authenticated this request and a CI OIDC token
     * that passes the agent's trust policy) for a short-lived pipeline token bound to the CI run.
     * Either factor alone gets nothing. Each OIDC token (`jti`) is accepted once, also across restarts.
     */
    async exchangeToken({ input: { body }, principal, deps, ctx, commit }) {
        const { agent } = asAgent(principal);
        const policy = agent.trustPolicy;
        const claims = await verifyRun(deps, ctx, agent, body.oidcToken);
        const now = deps.now();
        // Pipeline scopes = the agent's ∩ the trust policy's (if it sets any) ∩ the requested.
        const agentScopes = policy.scopes
            ? (0,core_scopes/* intersectScopes */.xB)((0,core_scopes/* parseScopesCached */.p9)(agent.scopes), (0,core_scopes/* parseScopes */.Fg)(policy.scopes))
            : (0,core_scopes/* parseScopesCached */.p9)(agent.scopes);
        if (agentScopes.length === 0) {
            throw new errors/* AppError */.uV('denied', `The trust policy of agent "${agent.name}" allows no scope the agent has; fix the policy's scopes.`);
        }
        let scopes = agentScopes;
        if (body.scopes) {
            const requested = (0,core_scopes/* parseScopes */.Fg)(body.scopes);
            const outside = (0,core_scopes/* scopesOutside */.nS)(requested, agentScopes);
            if (outside.length > 0) {
                throw new errors/* AppError */.uV('denied', `The agent "${agent.name}" may not grant ${(0,core_scopes/* formatScopes */.$u)(outside).join(', ')} to a pipeline; it may grant ${(0,core_scopes/* formatScopes */.$u)(agentScopes).join(', ')}.`);
            }
            scopes = (0,core_scopes/* intersectScopes */.xB)(requested, agentScopes);
        }
        // A pipeline asking for more than this vault allows gets the maximum (its expiresAt says so),
        // rather than a failed deploy: the cap is the operator's decision, not the workflow's mistake.
        const max = deps.settings.maxPipelineTtlSeconds;
        const ttl = replacedKeyTtl(agent, body.ttl === undefined ? max : Math.min(body.ttl, max), now);
        ctx.audit.claims = claims;
        await holdForApproval({ deps, ctx, principal, commit }, 'exchange', scopes, { ttlSeconds: body.ttl ?? null, maxUses: body.maxUses ?? null, allowedIps: [], description: body.description ?? null }, claims);
        const { secret, row } = newToken(deps.keys, {
            kind: 'pipeline',
            agent,
            scopes: (0,core_scopes/* formatScopes */.$u)(scopes),
            now,
            ttlSeconds: ttl,
            maxUses: body.maxUses ?? null,
            allowedIps: [],
            description: body.description ??
                (claims.repository ? `${claims.repository} run ${claims.run_id ?? '?'} attempt ${claims.run_attempt ?? '?'}` : null),
            claims,
        });
        Object.assign(claims, replacedKeyClaims(agent));
        ctx.audit.claims = claims;
        ctx.audit.reason = `pipeline token ${row.id} issued for ${(0,duration/* formatDuration */.a)(ttl)}, scopes ${row.scopes.join(' ')}`;
        await commit(deps.store.changes.createToken(row));
        return { token: secret, ...tokenView(row, agent, now) };
    },
    async listTokens({ input: { query }, deps, ctx }) {
        const now = deps.now();
        ctx.audit.path = query.path ?? null;
        let agentId;
        if (query.agent) {
            const agent = await deps.store.getAgentByName(query.agent);
            if (!agent)
                throw new errors/* AppError */.uV('not_found', `No agent named ${JSON.stringify(query.agent)}; see ass agents list.`);
            agentId = agent.id;
        }
        const rows = await deps.store.listTokens({ agentId, activeAt: query.all ? undefined : now });
        const agents = new Map((await deps.store.listAgents()).map((a) => [a.id, a]));
        const path = query.path;
        const filtered = path ? rows.filter((t) => (0,core_scopes/* scopesCoverPath */.i2)((0,core_scopes/* parseScopesCached */.p9)(t.scopes), path)) : rows;
        return { tokens: filtered.flatMap((t) => (agents.has(t.agentId) ? [tokenView(t, agents.get(t.agentId), now)] : [])) };
    },
    async tokenSelf({ principal, deps }) {
        const p = asToken(principal);
        return tokenView(p.token, p.agent, deps.now());
    },
    async revokeSelf({ principal, deps, ctx, commit }) {
        const p = asToken(principal);
        ctx.audit.reason = REASON.tokenRevoked(p.token.id, true);
        await commit(deps.store.changes.revokeToken(p.token.id, deps.now()), (revoked) => {
            if (!revoked)
                throw new errors/* AppError */.uV('token_revoked', `Token ${p.token.id} was revoked meanwhile.`);
        });
        return { id: p.token.id, revoked: true };
    },
    async revokeToken({ input: { params }, principal, deps, ctx, commit }) {
        asUser(principal);
        const token = await deps.store.getToken(params.id);
        if (!token)
            throw new errors/* AppError */.uV('not_found', `No token with id ${params.id}; see ass tokens list --all.`);
        ctx.audit.reason = REASON.tokenRevoked(params.id, false);
        await commit(deps.store.changes.revokeToken(params.id, deps.now()), (revoked) => {
            if (!revoked)
                throw new errors/* AppError */.uV('conflict', `Token ${params.id} is already revoked.`);
        });
        return { id: params.id, revoked: true };
    },
};

;// CONCATENATED MODULE: ./src/server/rotation-runner.ts










/** The agent the server rotates as. */
const ROTATOR_AGENT = 'vault-rotator';
/** What the agent is made with; an admin may create it first with narrower scopes to limit what the server rotates. */
const ROTATOR_SCOPES = ['secrets:rotate:*', 'secrets:read:*'];
const TOKEN_DESCRIPTION = 'ass server --rotate';
/** A pass's token lives this long at most. */
const TOKEN_TTL_SECONDS = 5 * 60;
/** The rotators the server runs: random and postgres; the others are refused with the reason. */
function serverRotatorFor(name, deps) {
    if (name === 'command') {
        throw new errors/* AppError */.uV('invalid_input', 'the command rotator runs programs, so it runs where the operator runs `ass rotate --allow-commands` (or the rotate action with allow-commands: true), never inside the vault server');
    }
    // No GitHub token, no environment: the server writes nowhere outside its own host.
    return (0,registry/* rotatorFor */.j)(name, { client: deps.client });
}
/**
 * An audit record for what the server did on its own (no request, no credential). A pass's token
 * is named in its issue and revocation: those records, which no request can write, are how the
 * anomaly checks tell the runner's reads from those of any other token of an agent with its name.
 */
function serverEntry(event, time, reason, tokenId) {
    return systemEntry(event, time, reason, { actorName: TOKEN_DESCRIPTION, agent: ROTATOR_AGENT, tokenId: tokenId ?? null });
}
class RotationRunner {
    deps;
    timer;
    running;
    stopped = false;
    abort = new AbortController();
    /** Paths whose policy the server will not run, reported once per start rather than every pass. */
    reported = new Set();
    constructor(deps) {
        this.deps = deps;
    }
    /** Makes sure the agent exists (creating it, audited, if not); the first pass comes one interval later. */
    async start() {
        await this.agent();
        this.schedule();
    }
    schedule() {
        if (this.stopped)
            return;
        this.timer = setTimeout(() => {
            void this.runPass().finally(() => this.schedule());
        }, this.deps.everyMs);
        this.timer.unref();
    }
    /** The rotator agent, created on first use; a revoked one or one bound to OIDC stops the server's rotations. */
    async agent() {
        const { store, now, logger } = this.deps;
        let agent = await store.getAgentByName(ROTATOR_AGENT);
        if (!agent) {
            const time = now();
            // The key is never shown or kept: the agent only ever gets tokens from this process.
            const key = (0,credentials/* generateCredential */.L8)('agent');
            const row = {
                id: (0,credentials/* newId */.Si)(),
                name: ROTATOR_AGENT,
                scopes: [...ROTATOR_SCOPES],
                description: 'rotates secrets inside the vault server (ass server --rotate); its key was never shown',
                trustPolicy: null,
                keyId: key.id,
                keyHash: this.deps.keys.credentialHash(key.secret),
                createdAt: time,
                revokedAt: null,
            };
            // Another replica may create it at the same moment: then its row is the one used.
            await store.commit(store.changes.createAgent(row), (r) => r === 'created'
                ? [
                    serverEntry('agent.create', time, `agent ${ROTATOR_AGENT} created by ass server --rotate with scopes ${row.scopes.join(' ')}`),
                ]
                : [], this.deps.sealer);
            agent = await store.getAgentByName(ROTATOR_AGENT);
            if (agent?.id === row.id)
                logger.info(`created the agent ${ROTATOR_AGENT} for ass server --rotate`);
        }
        if (!agent)
            throw new errors/* AppError */.uV('internal', `The agent ${ROTATOR_AGENT} could not be created.`);
        if (agent.revokedAt !== null || agent.trustPolicy) {
            throw new errors/* AppError */.uV('conflict', `The agent ${ROTATOR_AGENT} is ${agent.revokedAt !== null ? 'revoked' : 'bound to an OIDC trust policy'}, so ass server --rotate cannot rotate as it: run the server without --rotate and rotate with ass rotate --due instead.`);
        }
        return agent;
    }
    /** A token for one pass: the agent's rotate and read scopes, within what the agent holds, for 5 minutes at most. */
    async issueToken() {
        const { store, now } = this.deps;
        const agent = await this.agent();
        const scopes = (0,core_scopes/* formatScopes */.$u)((0,core_scopes/* intersectScopes */.xB)((0,core_scopes/* parseScopes */.Fg)([...ROTATOR_SCOPES]), (0,core_scopes/* parseScopesCached */.p9)(agent.scopes)));
        if (scopes.length === 0) {
            throw new errors/* AppError */.uV('denied', `The agent ${ROTATOR_AGENT} holds no rotate or read scope (${agent.scopes.join(', ')}).`);
        }
        const ttl = Math.min(TOKEN_TTL_SECONDS, this.deps.maxTokenTtlSeconds);
        const time = now();
        const { secret, row } = newToken(this.deps.keys, {
            kind: 'token',
            agent,
            scopes,
            now: time,
            ttlSeconds: ttl,
            maxUses: null,
            allowedIps: this.deps.allowedIps,
            description: TOKEN_DESCRIPTION,
            claims: null,
        });
        await store.commit(store.changes.createToken(row), () => [
            serverEntry('token.issue', time, `token ${row.id} issued for a rotation pass, scopes ${scopes.join(' ')}, ttl ${(0,duration/* formatDuration */.a)(ttl)}`, row.id),
        ], this.deps.sealer);
        return { secret, id: row.id };
    }
    async revokeToken(id) {
        const { store, now } = this.deps;
        const time = now();
        await store.commit(store.changes.revokeToken(id, time), () => [serverEntry('token.revoke', time, `token ${id} revoked at the end of its rotation pass`, id)], this.deps.sealer);
    }
    /**
     * One pass: every due rotation the agent may do, one at a time. A pass already running is joined,
     * not doubled. A pass that fails is logged and tried again at the next interval.
     */
    runPass() {
        if (this.running)
            return this.running;
        if (this.stopped)
            return Promise.resolve([]);
        const pass = this.pass()
            .catch((err) => {
            this.deps.logger.error(`rotation pass failed: ${(0,errors/* isAppError */.Y6)(err) ? err.message : err instanceof Error ? err.name : 'unknown error'}; trying again in ${(0,duration/* formatDuration */.a)(this.deps.everyMs / 1000)}`);
            return [];
        })
            .finally(() => {
            this.running = undefined;
        });
        this.running = pass;
        return pass;
    }
    async pass() {
        const { logger } = this.deps;
        const token = await this.issueToken();
        const client = (0,client_client/* createClient */.U)({
            url: this.deps.url,
            credential: token.secret,
            urlSource: 'the vault server itself',
            userAgent: 'ass-server-rotate',
            ...(this.deps.dispatcher ? { dispatcher: this.deps.dispatcher } : {}),
        });
        try {
            const { items } = await (0,engine/* plan */.et)(client, { due: true });
            const runnable = [];
            const skipped = [];
            for (const item of items) {
                try {
                    serverRotatorFor(item.policy.rotator, { client }).parseSettings(item.policy.settings);
                    runnable.push(item);
                }
                catch (err) {
                    const reason = (0,errors/* isAppError */.Y6)(err) ? err.message : 'its rotator cannot run here';
                    skipped.push({
                        path: item.status.path,
                        rotator: item.status.rotator,
                        status: 'skipped',
                        fromVersion: item.status.version,
                        toVersion: null,
                        test: 'none',
                        rotationId: null,
                        nextDue: item.status.nextDue,
                        graceEnds: null,
                        reason,
                    });
                    const key = `${item.status.path}\n${item.policy.rotator}`;
                    if (!this.reported.has(key)) {
                        this.reported.add(key);
                        logger.warning(`${item.status.path}: skipped by ass server --rotate (${item.policy.rotator} rotator): ${reason}`);
                    }
                }
            }
            const results = await (0,engine/* rotateAll */.$9)({
                client,
                rotatorFor: (name) => serverRotatorFor(name, { client }),
                logger,
                // The server prints no value: every line the engine logs names paths and versions only.
                mask: () => { },
                // No environment: nothing of the server's own (a GitHub token, say) reaches a rotator.
                env: {},
                notify: (0,notifier/* makeNotifier */.p)(),
                signal: this.abort.signal,
            }, runnable);
            for (const r of results) {
                if (r.status === 'failed')
                    logger.error(`${r.path}: not rotated: ${r.reason ?? 'failed'}${r.fix ? ` (${r.fix})` : ''}`);
                else if (r.status === 'skipped')
                    logger.info(`${r.path}: skipped: ${r.reason ?? ''}`);
            }
            return [...results, ...skipped];
        }
        finally {
            await client.close();
            await this.revokeToken(token.id).catch((err) => {
                logger.warning(`could not revoke rotation token ${token.id} (${err instanceof Error ? err.message : 'error'}); it expires within ${(0,duration/* formatDuration */.a)(TOKEN_TTL_SECONDS)}`);
            });
        }
    }
    /** No new pass; the running one finishes the secret in hand (the rest wait for the next start), and is awaited. */
    async stop() {
        this.stopped = true;
        if (this.timer)
            clearTimeout(this.timer);
        this.abort.abort();
        await this.running;
    }
}

// EXTERNAL MODULE: ./src/api/schemas.ts + 1 modules
var schemas = __webpack_require__(3819);
;// CONCATENATED MODULE: ./src/server/routes/secrets.ts
/** Secret values and metadata. Who may do what on which path is the pipeline's job (src/api/routes.ts). */








function notFound(path) {
    return new errors/* AppError */.uV('not_found', `No secret at ${path}. Check the path (paths are case-sensitive), or list what exists with ass secrets list.`);
}
/**
 * A secret's value (the current version, or `version`), decrypted; throws not_found with the reason.
 * `gateTier` is the tier its approval rule goes by: the stricter of the secret's and the version's.
 */
async function loadValue(deps, path, version, pending = false) {
    const found = await deps.store.readSecret(path, version);
    if (!found || (found.secret.deletedAt !== null && version === undefined))
        throw notFound(path);
    // A version above the current one is a rotation's pending value: only the pending stage reads it.
    if (version !== undefined && version > found.secret.version && !pending) {
        throw new errors/* AppError */.uV('not_found', `Version ${version} of ${path} is not current yet (a rotation's pending value); its current version is ${found.secret.version}.`);
    }
    const row = found.version;
    const v = version ?? found.secret.version;
    if (!row)
        throw new errors/* AppError */.uV('not_found', `The secret at ${path} has no version ${v}; its latest version is ${found.secret.version}.`);
    if (row.deletedAt !== null)
        throw new errors/* AppError */.uV('not_found', `Version ${v} of ${path} was deleted.`);
    const value = deps.keyring.open(row.ciphertext, path, v).toString('utf8');
    return {
        path,
        version: v,
        value,
        type: row.type,
        tier: row.tier,
        createdAt: iso(row.createdAt),
        gateTier: stricterTier(found.secret.tier, row.tier),
    };
}
/**
 * Whether reading `path` is part of the rotation of `rotating` right now, by a rotator: a token (a
 * person's reads are always held) with secrets:rotate on a secret a rotation policy covers, while a
 * rotation holds its lease or its replaced value is due to be revoked; `path` is the secret itself
 * or a vault path its rotation policy names (an admin credential, a webhook key).
 */
async function withinRotation(deps, principal, rotating, path, stage, can) {
    if (principal.kind !== 'token' || !can('rotate', rotating))
        return false;
    const policy = policyFor(rotating, await deps.store.listRotationPolicies());
    if (!policy)
        return false;
    const now = deps.now();
    const stages = await deps.store.getSecretStages(rotating);
    const leased = stages?.rotationId !== null && stages?.rotationId !== undefined && (stages.leaseUntil ?? 0) > now;
    const rotated = deps.freshness.rotationOf(rotating);
    const revoking = rotated !== undefined && !rotated.retired && rotated.previousUntil <= now;
    if (!leased && !revoking)
        return false;
    // The current value only for a rotator that makes the next one from it (postgres); the others
    // never need it, so a rotation begun and aborted cannot be a way to read it.
    if (path === rotating)
        return stage !== 'current' || (0,registry/* rotatorFor */.j)(policy.rotator).usesCurrent === true;
    // The vault paths a policy names: the postgres admin credential, the webhook's signing key.
    return path === policy.settings.adminSecret || path === policy.notify?.webhookSecret;
}
/**
 * Holds a read whose secrets need approval, unless the caller's token was released by an approval
 * that covers them: stores the request and throws the 202 (nothing was released).
 */
async function gateRead(call, loaded, read, description) {
    const { deps, principal } = call;
    const needing = await deps.approvals.needing(loaded.map((l) => ({ path: l.path, tier: l.gateTier })));
    if (needing.length === 0)
        return;
    const covered = await deps.approvals.coveredByToken(principal, needing.map((n) => n.path));
    const held = needing.filter((n) => !covered.has(n.path));
    if (held.length === 0)
        return;
    await deps.approvals.hold({ kind: 'read', principal, held, ask: { scopes: [], ttlSeconds: null, maxUses: null, allowedIps: [], read }, description }, call.ctx, call.commit);
}
/**
 * A token issued with a key its agent has replaced never reads the agent's current key (a secret
 * under that agent's agent-key rotation policy): the overlap lets old jobs finish, not take over.
 */
async function refuseOwnKeyToReplacedKey(deps, principal, paths) {
    if (principal.kind !== 'token' || !principal.token.claims?.replaced_key)
        return;
    const policies = await deps.store.listRotationPolicies();
    for (const path of paths) {
        const policy = policyFor(path, policies);
        if (policy?.rotator === 'agent-key' && policy.settings.agent === principal.agent.name) {
            throw new errors/* AppError */.uV('denied', `This token was issued with a replaced key of ${principal.agent.name}, so it cannot read that agent's current key at ${path}. Use the current key.`);
        }
    }
}
/**
 * The secrets a batch read releases, all or nothing: each path, and every live secret below each
 * prefix (at most LIMITS.batch), decrypted but not yet released (the approval gate comes next).
 */
async function readBatch(deps, ctx, principal, paths, requestedPrefixes) {
    const wanted = new Set(paths);
    // A prefix below another one in the request adds nothing; each listing stops one row past the
    // limit (plus the prefix's own path), so a request costs at most a bounded number of rows.
    const prefixes = requestedPrefixes.filter((p) => !requestedPrefixes.some((o) => o !== p && (0,core_paths/* isUnderPrefix */.Re)(p, o)));
    for (const prefix of prefixes) {
        for (const s of await deps.store.listSecrets(prefix, false, schemas/* LIMITS */.b1.batch + 2)) {
            if (s.path !== prefix)
                wanted.add(s.path);
        }
        if (wanted.size > schemas/* LIMITS */.b1.batch)
            break;
    }
    if (wanted.size > schemas/* LIMITS */.b1.batch) {
        throw new errors/* AppError */.uV('invalid_input', `The request would read more than ${schemas/* LIMITS */.b1.batch} secrets; the limit is ${schemas/* LIMITS */.b1.batch} per request.`);
    }
    await refuseOwnKeyToReplacedKey(deps, principal, [...wanted]);
    const secrets = [];
    for (const path of wanted) {
        ctx.audit.path = path;
        const s = await loadValue(deps, path);
        secrets.push({ path: s.path, version: s.version, value: s.value, type: s.type, tier: s.tier, gateTier: s.gateTier });
    }
    ctx.audit.path = null;
    return secrets;
}
const secretHandlers = {
    async putSecret({ input: { params, body }, principal, deps, ctx, commit }) {
        const { path } = params;
        const bytes = Buffer.byteLength(body.value, 'utf8');
        if (bytes > schemas/* LIMITS */.b1.valueBytes) {
            throw new errors/* AppError */.uV('payload_too_large', `The value is ${bytes} bytes; the limit is ${schemas/* LIMITS */.b1.valueBytes}. Store large files elsewhere and keep their key here.`);
        }
        const current = await deps.store.getSecret(path);
        const currentVersion = current?.version ?? 0;
        if (body.expectedVersion !== undefined && body.expectedVersion !== currentVersion) {
            throw new errors/* AppError */.uV('conflict', body.expectedVersion === 0
                ? `A secret already exists at ${path} (version ${currentVersion}); drop --expected-version 0 to write a new version.`
                : `The secret at ${path} is at version ${currentVersion}, not ${body.expectedVersion}: someone else wrote it. Read it again and retry.`);
        }
        const type = body.type ?? current?.type ?? 'other';
        const tier = body.tier ?? current?.tier ?? 'standard';
        ctx.audit.tier = tier;
        const version = currentVersion + 1;
        ctx.audit.reason = REASON.secretWritten(version);
        const now = deps.now();
        const ciphertext = deps.keyring.seal(Buffer.from(body.value, 'utf8'), path, version);
        await commit(deps.store.changes.putSecretVersion({ path, version, type, tier, ciphertext, createdAt: now, createdBy: actorLabel(principal), deletedAt: null }, body.description ?? current?.description ?? null), (result) => {
            if (result === 'conflict') {
                throw new errors/* AppError */.uV('conflict', `The secret at ${path} was written by another request at the same time; read it again and retry.`);
            }
            if (result === 'rotating') {
                throw new errors/* AppError */.uV('conflict', `The secret at ${path} is being rotated (ass rotation show ${path}); write it once the rotation has finished, or abort the rotation first.`);
            }
        });
        return { path, version, type, tier, createdAt: iso(now) };
    },
    async getSecret({ input: { params, query }, deps, ctx, can, principal, commit }) {
        const { path } = params;
        const now = deps.now();
        // What was rotated out, and until when it is readable, comes from the audit log (the
        // freshness index), not from the store: deleting or putting back a stages row revives nothing.
        const rotated = deps.freshness.rotationOf(path);
        let version = query.version;
        if (query.stage === 'previous') {
            if (!rotated || rotated.retired) {
                throw new errors/* AppError */.uV('not_found', `${path} has no previous version: it has not been rotated, or the replaced value was revoked and retired.`);
            }
            if (query.revoke === true && rotated.previousUntil > now) {
                // Revoking a value still in its grace would cut off whoever still holds it.
                throw new errors/* AppError */.uV('conflict', `The previous version of ${path} is in its grace period until ${iso(rotated.previousUntil)}: revoke it after that.`);
            }
            if (rotated.previousUntil <= now && query.revoke === true && can('rotate', path)) {
                // A rotator reads it once more to revoke it at its provider, then retires it.
                ctx.audit.reason = 'previous stage after its grace period, read by a rotator to revoke it';
            }
            else if (rotated.previousUntil <= now) {
                throw new errors/* AppError */.uV('not_found', `The previous version of ${path} (${rotated.previousVersion}) was readable until ${iso(rotated.previousUntil)}, when its grace period ended; read the current one.`);
            }
            version = rotated.previousVersion;
        }
        else if (query.stage === 'pending') {
            if (!can('rotate', path)) {
                throw new errors/* AppError */.uV('denied', `Reading the pending value of ${path} needs secrets:rotate:${path} as well: it is a rotator's, until the rotation finishes.`);
            }
            const stages = await deps.store.getSecretStages(path);
            if (!stages?.pendingVersion || !stages.rotationId || (stages.leaseUntil ?? 0) <= now) {
                throw new errors/* AppError */.uV('not_found', `${path} has no pending value: no rotation holds its lease, or it has put none yet.`);
            }
            version = stages.pendingVersion;
        }
        else if (version !== undefined && rotated) {
            // Versions a rotation replaced are readable only as the previous stage, within its grace.
            if (version < rotated.previousVersion || (version === rotated.previousVersion && (rotated.retired || rotated.previousUntil <= now))) {
                throw new errors/* AppError */.uV('not_found', `Version ${version} of ${path} was rotated out${version === rotated.previousVersion ? `, and its grace period ended at ${iso(rotated.previousUntil)}` : ' by a later rotation'}; read the current version.`);
            }
        }
        await refuseOwnKeyToReplacedKey(deps, principal, [path]);
        const secret = await loadValue(deps, path, version, query.stage === 'pending');
        ctx.audit.tier = secret.tier;
        // A rotator's reads inside the rotation protocol (the pending value; the replaced one, once more,
        // to revoke it; the current value and the settings it names, within a rotation) are not held: a
        // schedule has nobody to wait for. Only a rotator's token, on a secret a rotation policy covers.
        const protocolRead = query.stage === 'pending' || (query.stage === 'previous' && query.revoke === true);
        const rotatorRead = (protocolRead && (await withinRotation(deps, principal, path, path, query.stage ?? 'current', can))) ||
            (query.rotating !== undefined && (await withinRotation(deps, principal, query.rotating, path, query.stage ?? 'current', can)));
        // (A read naming a rotation it is not part of is an ordinary read: held if its secret needs approval.)
        if (rotatorRead && query.rotating !== undefined)
            ctx.audit.reason = `read within the rotation of ${query.rotating} (not held for approval)`;
        if (query.stage === 'pending' && !rotatorRead && (await deps.approvals.needing([{ path, tier: secret.gateTier }])).length > 0) {
            throw new errors/* AppError */.uV('denied', `The pending value of ${path} is read only by its rotator's token while it needs approval; read the current value once the rotation has finished.`);
        }
        if (!rotatorRead) {
            await gateRead({ deps, ctx, principal, commit }, [secret], { paths: [path], prefixes: [], version: query.version ?? null, stage: query.stage === 'previous' ? 'previous' : null }, query.reason ?? null);
        }
        if (query.stage && query.stage !== 'current')
            ctx.audit.reason ??= `${query.stage} stage, version ${secret.version}`;
        const { gateTier: _, ...answer } = secret;
        return answer;
    },
    async deleteSecret({ input: { params }, deps, ctx, commit }) {
        const { path } = params;
        const secret = await deps.store.getSecret(path);
        if (!secret || secret.deletedAt !== null)
            throw notFound(path);
        ctx.audit.tier = secret.tier;
        ctx.audit.reason = REASON.secretDeleted(secret.version);
        await commit(deps.store.changes.softDeleteSecret(path, deps.now()), (deleted) => {
            if (!deleted)
                throw notFound(path);
        });
        return { path, deleted: true, version: secret.version };
    },
    /**
     * Reads many secrets in one request, all or nothing. A prefix needs read access to everything
     * below it (the pipeline checks), so listing the names below it reveals nothing the caller could
     * not read anyway. One audit record is written per secret released.
     */
    async batchRead({ input: { body }, deps, ctx, principal, commit }) {
        const secrets = await readBatch(deps, ctx, principal, body.paths, body.prefixes);
        await gateRead({ deps, ctx, principal, commit }, secrets, { paths: body.paths, prefixes: body.prefixes, version: null, stage: null }, body.description ?? null);
        for (const s of secrets) {
            ctx.extraAudit.push({ event: 'secret.read', status: 'granted', path: s.path, tier: s.tier, reason: 'batch read' });
        }
        return { secrets: secrets.map(({ gateTier: _, ...s }) => s) };
    },
    async listMetadata({ input: { query }, deps, can }) {
        const prefix = query.prefix ?? '';
        const rows = await deps.store.listSecrets(prefix, query.deleted ?? false);
        return { secrets: rows.filter((r) => (0,core_paths/* isUnderPrefix */.Re)(r.path, prefix) && can('list', r.path)).map(metadataView) };
    },
    async getMetadata({ input: { params }, deps, ctx }) {
        const secret = await deps.store.getSecret(params.path);
        if (!secret)
            throw notFound(params.path);
        ctx.audit.tier = secret.tier;
        const now = deps.now();
        const [versions, stages] = await Promise.all([deps.store.listVersions(params.path), deps.store.getSecretStages(params.path)]);
        const leased = stages?.rotationId && (stages.leaseUntil ?? 0) > now ? stages : undefined;
        const previousLive = stages?.previousVersion !== null && stages?.previousVersion !== undefined && (stages.previousUntil ?? 0) > now;
        const stageOf = (v) => v === secret.version
            ? 'current'
            : leased && v === leased.pendingVersion
                ? 'pending'
                : previousLive && v === stages?.previousVersion
                    ? 'previous'
                    : null;
        return {
            ...metadataView(secret),
            previousUntil: previousLive && stages?.previousUntil ? iso(stages.previousUntil) : null,
            rotation: leased
                ? {
                    rotationId: leased.rotationId,
                    rotator: leased.rotator,
                    leaseUntil: leased.leaseUntil ? iso(leased.leaseUntil) : null,
                }
                : null,
            versions: versions.map((v) => ({
                version: v.version,
                stage: stageOf(v.version),
                type: v.type,
                tier: v.tier,
                createdAt: iso(v.createdAt),
                createdBy: v.createdBy,
                deletedAt: v.deletedAt === null ? null : iso(v.deletedAt),
            })),
        };
    },
};

;// CONCATENATED MODULE: ./src/server/routes/approvals.ts
/**
 * Approval requests (see src/server/approvals.ts): the policy, listing and showing requests, the
 * approvers' decisions, and the requester's one collection of what an approved request asked for.
 */











/**
 * The CI claims a pipeline's later OIDC token must repeat to collect what its run asked for: the
 * same run (a re-run attempt of it, after the approval came, may collect), of the same commit.
 */
const RUN_CLAIMS = [
    'repository_id',
    'repository',
    'sha',
    'ref',
    'environment',
    'project_id',
    'pipeline_slug',
    'oidc.circleci.com/project-id',
    ...RUN_ID_CLAIMS,
];
function unknownApproval(id) {
    return new errors/* AppError */.uV('not_found', `No approval request ${id}; see ass approvals list (--status all for decided ones).`);
}
/** Admins and approvers see every request; everybody else their own. */
function mayView(principal, row) {
    if (principal.kind === 'user')
        return principal.role === 'admin' || row.requesterId === principal.id;
    return row.requesterId === principal.agent.id;
}
async function isApprover(deps, principal) {
    if (principal.kind !== 'user')
        return false;
    if (principal.role === 'admin')
        return true;
    return (await deps.store.getUser(principal.id))?.approver === true;
}
async function load(deps, principal, id) {
    const found = await deps.store.getApproval(id);
    if (!found)
        throw unknownApproval(id);
    if (!(mayView(principal, found.row) || (await isApprover(deps, principal))))
        throw notYours(id);
    return found;
}
function notYours(id) {
    return new errors/* AppError */.uV('denied', `Only the requester, admins and approvers can see approval ${id}.`);
}
/** A timeout in seconds from the policy input: 24 h by default, from a minute to 7 days. */
function timeoutOf(t, where) {
    const s = t ?? 86_400;
    if (s < 60 || s > MAX_TIMEOUT_SECONDS) {
        throw new errors/* AppError */.uV('invalid_input', `The timeout of ${where} is ${(0,duration/* formatDuration */.a)(s)}; give one from 1m to 7d.`);
    }
    return s;
}
/** Approval decisions are the decided rows' last word (the row MACs and the log keep them honest). */
function finalWord(row, now, decisions = []) {
    const status = row.status === 'pending' || row.status === 'approved' ? (row.expiresAt <= now ? 'expired' : row.status) : row.status;
    switch (status) {
        case 'denied': {
            const no = decisions.find((d) => d.decision === 'deny');
            return new errors/* AppError */.uV('approval_denied', `Approval ${row.id} was denied${no ? ` by ${no.userName}${no.reason ? `: ${no.reason}` : ''}` : ''}; a decision is final. Ask again if things have changed.`);
        }
        case 'expired':
            return new errors/* AppError */.uV('approval_expired', `Approval ${row.id} expired at ${iso(row.expiresAt)}; ask again.`);
        case 'collected':
            return new errors/* AppError */.uV('conflict', `Approval ${row.id} was already collected at ${iso(row.collectedAt ?? now)}; what it released is released once.`);
        default:
            return new errors/* AppError */.uV('conflict', `Approval ${row.id} is already ${status}; a decision is final.`);
    }
}
const approvalHandlers = {
    async approvalPolicy({ deps, ctx }) {
        const p = await deps.approvals.policy();
        ctx.audit.reason = p.isDefault ? 'the default policy' : `revision ${p.revision}`;
        return {
            ...p.policy,
            revision: p.revision,
            updatedAt: p.updatedAt === null ? null : iso(p.updatedAt),
            updatedBy: p.isDefault ? null : p.updatedBy,
        };
    },
    async setApprovalPolicy({ input: { body }, principal, deps, ctx, commit }) {
        const user = asUser(principal);
        const policy = {
            tiers: {
                standard: {
                    requiredApprovals: body.tiers.standard.requiredApprovals,
                    timeoutSeconds: timeoutOf(body.tiers.standard.timeout, 'the standard tier'),
                },
                sensitive: {
                    requiredApprovals: body.tiers.sensitive.requiredApprovals,
                    timeoutSeconds: timeoutOf(body.tiers.sensitive.timeout, 'the sensitive tier'),
                },
                critical: {
                    requiredApprovals: body.tiers.critical.requiredApprovals,
                    timeoutSeconds: timeoutOf(body.tiers.critical.timeout, 'the critical tier'),
                },
            },
            prefixes: (body.prefixes ?? []).map((p) => ({
                prefix: p.prefix,
                tier: (p.tier ?? null),
                requiredApprovals: p.requiredApprovals,
                timeoutSeconds: timeoutOf(p.timeout, `prefix ${p.prefix}`),
                approvers: [...new Set(p.approvers ?? [])].sort(),
            })),
            approvers: [...new Set(body.approvers ?? [])].sort(),
            notify: body.notify?.webhook && body.notify.webhookSecret
                ? { webhook: body.notify.webhook, webhookSecret: body.notify.webhookSecret }
                : null,
        };
        const seen = new Set();
        for (const p of policy.prefixes) {
            const key = `${p.prefix}|${p.tier ?? ''}`;
            if (seen.has(key))
                throw new errors/* AppError */.uV('invalid_input', `The prefix ${p.prefix}${p.tier ? ` (${p.tier})` : ''} has two rules; keep one.`);
            seen.add(key);
        }
        if (body.notify && (!body.notify.webhook || !body.notify.webhookSecret)) {
            throw new errors/* AppError */.uV('invalid_input', 'An approval webhook needs both notify.webhook (its https URL) and notify.webhookSecret (the vault path of the key that signs each notice).');
        }
        if (policy.notify) {
            (0,notify/* validateWebhookUrl */.l_)(policy.notify.webhook);
            const key = await deps.store.getSecret(policy.notify.webhookSecret);
            if (!key || key.deletedAt !== null) {
                throw new errors/* AppError */.uV('invalid_input', `No secret at ${policy.notify.webhookSecret} holds the webhook's signing key; store a random one first (openssl rand -hex 32 | ass secrets set ${policy.notify.webhookSecret}).`);
            }
        }
        // Every approver named must be able to approve: a typo must not leave a rule nobody can satisfy.
        const users = new Map((await deps.store.listUsers()).map((u) => [u.name, u]));
        for (const name of new Set([...policy.approvers, ...policy.prefixes.flatMap((p) => p.approvers)])) {
            const u = users.get(name);
            if (!u || u.revokedAt !== null)
                throw new errors/* AppError */.uV('invalid_input', `No active user named ${name} (approvers are vault users, by name; see ass users list).`);
            if (u.role !== 'admin' && !u.approver) {
                throw new errors/* AppError */.uV('invalid_input', `${name} is not an approver; make them one first (ass users update ${name} --approver).`);
            }
        }
        const now = deps.now();
        const row = { policy, revision: now, updatedBy: `user:${user.name}` };
        await commit(deps.store.changes.putApprovalPolicy(row, body.expectedRevision), (r) => {
            if (r === 'conflict') {
                throw new errors/* AppError */.uV('conflict', `The approval policy changed since revision ${body.expectedRevision}; show it again and redo the change.`);
            }
            ctx.audit.reason = REASON.approvalPolicySet(row.revision);
        });
        return { ...policy, revision: row.revision, updatedAt: iso(row.revision), updatedBy: row.updatedBy };
    },
    async listApprovals({ input: { query }, principal, deps, ctx }) {
        const now = deps.now();
        const all = await isApprover(deps, principal);
        const status = query.status ?? 'open';
        const statuses = status === 'all'
            ? undefined
            : status === 'open'
                ? ['pending', 'approved']
                : status === 'expired'
                    ? ['pending', 'approved', 'expired']
                    : [status];
        const requesterId = all ? undefined : principal.kind === 'user' ? principal.id : principal.agent.id;
        const rows = await deps.store.listApprovals({ statuses, requesterId, limit: query.limit ?? 100 });
        const decisions = await deps.store.listApprovalDecisions(rows.map((r) => r.id));
        const approvers = await deps.approvals.approversNow(rows);
        const views = rows
            .map((r) => deps.approvals.view(r, decisions.filter((d) => d.approvalId === r.id), now, approvers.get(r.id)))
            .filter((v) => (status === 'open' ? v.status === 'pending' || v.status === 'approved' : status === 'all' || v.status === status));
        ctx.audit.reason = `${views.length} request(s)${all ? '' : ', own only'}`;
        return { approvals: views };
    },
    async getApproval({ input: { params }, principal, deps, ctx }) {
        const { row, decisions } = await load(deps, principal, params.id);
        ctx.audit.path = row.paths[0] ?? null;
        const view = deps.approvals.view(row, decisions, deps.now(), (await deps.approvals.approversNow([row])).get(row.id));
        ctx.audit.reason = `request ${row.id} is ${view.status}`;
        return view;
    },
    async approveRequest({ input: { params, body }, principal, deps, ctx, commit }) {
        return decide(deps, principal, ctx, commit, params.id, 'approve', body.reason ?? null);
    },
    async denyRequest({ input: { params, body }, principal, deps, ctx, commit }) {
        return decide(deps, principal, ctx, commit, params.id, 'deny', body.reason);
    },
    async collectApproval({ input: { params, body }, principal, deps, ctx, commit }) {
        const found = await deps.store.getApproval(params.id);
        if (!found)
            throw unknownApproval(params.id);
        if (!mayView(principal, found.row))
            throw notYours(params.id);
        const { row, decisions } = found;
        const now = deps.now();
        ctx.audit.path = row.paths[0] ?? null;
        const isRequester = row.kind === 'read'
            ? row.tokenId === null
                ? principal.kind === 'user' && principal.id === row.requesterId
                : principal.kind === 'token' && principal.token.id === row.tokenId
            : principal.kind === 'agent' && principal.agent.id === row.requesterId;
        if (!isRequester) {
            const who = row.kind === 'read'
                ? row.tokenId
                    ? `the token ${row.tokenId}`
                    : `the user ${row.requesterName}`
                : `the agent key of ${row.requesterName}`;
            throw new errors/* AppError */.uV('denied', `Only whoever asked can collect approval ${row.id}: ${who}.`);
        }
        const view = deps.approvals.view(row, decisions, now);
        if (view.status === 'pending') {
            ctx.audit.status = 'pending';
            throw heldError(view);
        }
        if (view.status !== 'approved')
            throw finalWord(row, now, decisions);
        if (row.kind === 'read') {
            if (principal.kind === 'user' && !routes/* VALUE_ROLES */.qS.includes(principal.role)) {
                throw new errors/* AppError */.uV('denied', `The ${principal.role} role cannot read secrets any more; the approval was for a read.`);
            }
            const secrets = await releaseRead(deps, ctx, principal, row, now);
            ctx.audit.reason = REASON.approvalEnded(row.id, 'collected', `: ${secrets.length} value(s) read`);
            await commit(deps.store.changes.collectApproval(row.id, now, null), (r) => {
                if (r.result !== 'collected')
                    throw r.result === 'not_found' ? unknownApproval(row.id) : finalWord(r.row, now);
            });
            return { approval: { ...view, status: 'collected', collectedAt: iso(now) }, secrets };
        }
        const agent = principal.kind === 'agent' ? principal.agent : undefined;
        if (!agent)
            throw new errors/* AppError */.uV('internal', 'The requester check let a non-agent collect a token.');
        if (agent.replacedKeyUntil !== undefined) {
            throw new errors/* AppError */.uV('denied', `This key of ${agent.name} was replaced; it cannot collect approval ${row.id}. Use the current key.`);
        }
        const scopes = (0,core_scopes/* parseScopes */.Fg)(row.ask.scopes);
        if ((0,core_scopes/* scopesOutside */.nS)(scopes, (0,core_scopes/* parseScopes */.Fg)(agent.scopes)).length > 0) {
            throw new errors/* AppError */.uV('denied', `The agent ${agent.name} no longer has the scopes approval ${row.id} asked for.`);
        }
        let token;
        if (row.kind === 'exchange') {
            if (!body.oidcToken) {
                throw new errors/* AppError */.uV('invalid_input', `Approval ${row.id} was for a CI run's exchange: collect it with a fresh OIDC token of the same run (oidcToken; ass approvals collect ${row.id} --oidc-token -, or the fetch action, which does).`);
            }
            const claims = await verifyRun(deps, ctx, agent, body.oidcToken);
            if (!RUN_ID_CLAIMS.some((c) => row.claims?.[c] !== undefined)) {
                throw new errors/* AppError */.uV('denied', `Approval ${row.id} names no CI run, so no run can collect it.`);
            }
            for (const name of RUN_CLAIMS) {
                const asked = row.claims?.[name];
                if (asked !== undefined && claims[name] !== asked) {
                    throw new errors/* AppError */.uV('denied', `Approval ${row.id} was given to ${row.claims?.repository ?? 'another'} run ${row.claims?.run_id ?? '?'}; this OIDC token is from another run (its ${name} differs).`);
                }
            }
            const max = deps.settings.maxPipelineTtlSeconds;
            token = newToken(deps.keys, {
                kind: 'pipeline',
                agent,
                scopes: (0,core_scopes/* formatScopes */.$u)(scopes),
                now,
                ttlSeconds: replacedKeyTtl(agent, Math.min(row.ask.ttlSeconds ?? max, max), now),
                maxUses: row.ask.maxUses,
                allowedIps: [],
                description: row.description ?? (row.claims?.repository ? `${row.claims.repository} run ${row.claims.run_id ?? '?'} (approved)` : null),
                // The claims of the run that collects (a re-run attempt is itself), with the approval's id.
                claims: { ...claims, ...replacedKeyClaims(agent), approval: row.id },
            });
            ctx.audit.claims = token.row.claims;
        }
        else {
            token = newToken(deps.keys, {
                kind: 'token',
                agent,
                scopes: (0,core_scopes/* formatScopes */.$u)(scopes),
                now,
                ttlSeconds: replacedKeyTtl(agent, Math.min(row.ask.ttlSeconds ?? 900, deps.settings.maxTokenTtlSeconds), now),
                maxUses: row.ask.maxUses,
                allowedIps: row.ask.allowedIps.map((c) => (0,core_cidr/* parseCidr */.GN)(c).text),
                description: row.description,
                claims: { ...replacedKeyClaims(agent), approval: row.id },
            });
        }
        ctx.audit.reason = REASON.approvalEnded(row.id, 'collected', `: token ${token.row.id}, ttl ${(0,duration/* formatDuration */.a)(Math.round((token.row.expiresAt - now) / 1000))}`);
        await commit(deps.store.changes.collectApproval(row.id, now, token.row), (r) => {
            if (r.result !== 'collected')
                throw r.result === 'not_found' ? unknownApproval(row.id) : finalWord(r.row, now);
        });
        return {
            approval: { ...view, status: 'collected', collectedAt: iso(now) },
            token: { token: token.secret, ...tokenView(token.row, agent, now) },
        };
    },
    async updateUser({ input: { params, body }, deps, ctx, commit }) {
        const user = await deps.store.getUserByName(params.name);
        if (!user)
            throw new errors/* AppError */.uV('not_found', `No user named ${JSON.stringify(params.name)}; see ass users list.`);
        ctx.audit.reason = REASON.userApprover(user.name, user.id, body.approver);
        const r = await commit(deps.store.changes.setUserApprover(user.id, body.approver), (result) => {
            if (result.result === 'not_active')
                throw new errors/* AppError */.uV('conflict', `${user.name} is revoked; create a new user instead.`);
            if (result.result === 'unchanged') {
                throw new errors/* AppError */.uV('conflict', `${user.name} is ${body.approver ? 'already' : 'not'} an approver; nothing changed.`);
            }
        });
        return userView(r.result === 'not_active' ? user : r.user);
    },
};
async function decide(deps, principal, ctx, commit, id, decision, reason) {
    const user = asUser(principal);
    const found = await deps.store.getApproval(id);
    if (!found)
        throw unknownApproval(id);
    const { row } = found;
    ctx.audit.path = row.paths[0] ?? null;
    if (selfApproval(row, row.claims, user)) {
        throw new errors/* AppError */.uV('denied', `No one ${decision === 'approve' ? 'approves' : 'decides'} their own request: approval ${row.id} was asked for by ${row.requesterType === 'user' ? 'you' : `a run you started (${row.claims?.repository ?? 'CI'})`}. Ask another approver.`);
    }
    if (!(await isApprover(deps, principal))) {
        throw new errors/* AppError */.uV('denied', `The ${user.role} role cannot ${decision} requests: only admins and approvers can (an admin makes someone one with ass users update ${user.name} --approver).`);
    }
    // The approvers the current policy allows for these paths (a policy narrowed since applies).
    const { policy } = await deps.approvals.policy();
    const tiers = new Map((await Promise.all(row.paths.map((p) => deps.store.getSecret(p)))).flatMap((s) => (s ? [[s.path, s.tier]] : [])));
    const now_ = combineRules(row.paths.map((p) => ruleFor(policy, p, tiers.get(p) ?? 'critical'))).approvers;
    // Both the rule it was held under and the policy now must allow the decider (a secret relabelled
    // since, or a policy narrowed since, cannot widen who decides).
    for (const restrict of [row.ask.allowedApprovers ?? null, now_]) {
        if (restrict !== null && !restrict.includes(user.name)) {
            throw new errors/* AppError */.uV('denied', `The approval policy lets only ${restrict.join(', ') || 'nobody'} decide on ${row.paths.join(', ')}.`);
        }
    }
    const now = deps.now();
    const d = { approvalId: row.id, userId: user.id, userName: user.name, decision, reason, time: now };
    // Only the approvals of users who may still decide count (not a revoked or former approver's).
    const counts = new Set((await deps.approvals.eligibleApprovers(null))
        .filter((u) => [row.ask.allowedApprovers ?? null, now_].every((r) => r === null || r.includes(u.name)))
        .map((u) => u.id));
    const result = await commit(deps.store.changes.decideApproval(d, now, counts), (r) => {
        switch (r.result) {
            case 'not_found':
                throw unknownApproval(id);
            case 'expired':
                throw finalWord(r.row, now);
            case 'not_pending':
                throw r.row.expiresAt <= now && r.row.status === 'approved'
                    ? finalWord(r.row, now)
                    : new errors/* AppError */.uV('conflict', `Approval ${id} is already ${r.row.status}; a decision is final.`);
            case 'already_decided':
                throw new errors/* AppError */.uV('conflict', `You already decided on approval ${id}; it needs ${r.row.requiredApprovals} distinct approvers, so ask another one.`);
            case 'recorded': {
                const n = new Set(r.decisions.filter((x) => x.decision === 'approve' && counts.has(x.userId)).map((x) => x.userId)).size;
                ctx.audit.reason = `approval ${id}: approval ${n} of ${r.row.requiredApprovals} recorded`;
                return;
            }
            case 'approved':
                ctx.audit.reason = REASON.approvalEnded(id, 'approved', ` (${r.row.requiredApprovals} of ${r.row.requiredApprovals})${reason ? `: ${reason}` : ''}`);
                return;
            case 'denied':
                ctx.audit.reason = REASON.approvalEnded(id, 'denied', `: ${reason ?? ''}`);
                return;
        }
    });
    if (result.result === 'not_found')
        throw unknownApproval(id);
    const view = deps.approvals.view(result.row, 'decisions' in result ? result.decisions : [], now, (await deps.approvals.approversNow([result.row])).get(result.row.id));
    if (result.result === 'approved' || result.result === 'denied')
        void deps.approvals.notify(`approval.${result.result}`, view);
    return view;
}
/** The held read, again, as it was asked: every secret that needs approval must be one the approvers saw. */
async function releaseRead(deps, ctx, principal, row, now) {
    const read = row.ask.read;
    if (!read)
        throw new errors/* AppError */.uV('internal', `Approval ${row.id} is a read without its request.`);
    let loaded;
    if (read.prefixes.length > 0 || read.paths.length !== 1) {
        loaded = await readBatch(deps, ctx, principal, read.paths, read.prefixes);
    }
    else {
        const path = read.paths[0];
        let version = read.version ?? undefined;
        const rotated = deps.freshness.rotationOf(path);
        if (read.stage === 'previous') {
            if (!rotated || rotated.retired || rotated.previousUntil <= now) {
                throw new errors/* AppError */.uV('not_found', `The previous version of ${path} is no longer readable (its grace period ended); read the current one.`);
            }
            version = rotated.previousVersion;
        }
        else if (version !== undefined &&
            rotated &&
            (version < rotated.previousVersion || (version === rotated.previousVersion && (rotated.retired || rotated.previousUntil <= now)))) {
            throw new errors/* AppError */.uV('not_found', `Version ${version} of ${path} was rotated out since the request; read the current version.`);
        }
        await refuseOwnKeyToReplacedKey(deps, principal, [path]);
        loaded = [await loadValue(deps, path, version)];
    }
    const needing = await deps.approvals.needing(loaded.map((l) => ({ path: l.path, tier: l.gateTier })));
    const unapproved = needing.filter((n) => !row.paths.includes(n.path));
    if (unapproved.length > 0) {
        throw new errors/* AppError */.uV('conflict', `Since approval ${row.id} was asked for, ${unapproved.map((n) => n.path).join(', ')} came to need approval too; ask again for the read.`);
    }
    for (const s of loaded)
        ctx.extraAudit.push({ event: 'secret.read', status: 'granted', path: s.path, tier: s.tier, reason: `approved by ${row.id}` });
    return loaded.map((s) => ({ path: s.path, version: s.version, value: s.value, type: s.type, tier: s.tier }));
}

// EXTERNAL MODULE: ./src/core/model.ts
var model = __webpack_require__(4146);
;// CONCATENATED MODULE: ./src/server/anomalies.ts









const MINUTE = 60_000;
const HOUR = 3_600_000;
const anomalies_DAY = 24 * HOUR;
const WEEK = 7 * anomalies_DAY;
/** The store counts bursts in slots this long; an hour is any twelve consecutive ones. */
const SLOT = 5 * MINUTE;
const SLOTS_PER_HOUR = HOUR / SLOT;
/** Records shown with each finding. */
const SAMPLE = 10;
/** Groups read from one count (the busiest first); more are not looked at. */
const GROUPS = 10_000;
/** Token issues looked at in one window, the newest first. */
const ISSUED = 5000;
/** Findings in one report, most severe first. */
const MAX_FINDINGS = 200;
/** The records a report stands on are re-verified when there are at most this many. */
const VERIFY_SPAN = 100_000;
const READ = ['secret.read'];
const LOOPBACK = [(0,core_cidr/* parseCidr */.GN)('127.0.0.0/8'), (0,core_cidr/* parseCidr */.GN)('::1/128')];
/**
 * The vault's own rotation runner (`ass server --rotate`): a token the vault mints for each pass,
 * which reads a secret within its rotation (the replaced value once more to retire it when its grace
 * ends, the current one for a rotator that derives the next from it) whenever the schedule says,
 * day or night. Its reads are the vault's schedule, not someone's access. The name alone is not the
 * runner: an admin may make the agent `vault-rotator` (and is shown its key), so only the tokens the
 * server issued itself (see `Run.runnerTokens`) are left out, never the agent's other tokens.
 */
const runnerNamed = (key) => key.actorType === 'token' && key.actorName === ROTATOR_AGENT;
/** A runner's token is used at most this long after its issue. */
const RUNNER_TOKEN_MS = TOKEN_TTL_SECONDS * 1000;
const CRITICAL_ACCESS = ['secret.read', 'secret.write', 'secret.delete', 'secret.metadata', 'approval.collect'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Tiers, least sensitive first. */
const TIER_ORDER = model/* TIERS */.iB;
/** The configuration with the defaults filled in (seed 001's thresholds), checked. */
function anomalySettings(input = {}) {
    const bh = input.businessHours ?? {};
    const s = {
        readsPerHour: input.readsPerHour ?? 500,
        spikeFactor: input.spikeFactor ?? 3,
        spikeMinimum: input.spikeMinimum ?? 50,
        baselineWeeks: input.baselineWeeks ?? 4,
        deniedPerHour: input.deniedPerHour ?? 10,
        businessHours: {
            days: [...(bh.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'])],
            start: bh.start ?? '09:00',
            end: bh.end ?? '19:00',
            timeZone: bh.timeZone ?? 'UTC',
        },
        offHoursHabit: input.offHoursHabit ?? 4,
        checkPipelineAddresses: input.checkPipelineAddresses ?? false,
        knownRanges: [...(input.knownRanges ?? [])],
        lookback: input.lookback ?? '30d',
        maxCriticalTokenTtl: input.maxCriticalTokenTtl ?? '1h',
        pipelines: { repositories: [...(input.pipelines?.repositories ?? [])], refs: [...(input.pipelines?.refs ?? [])] },
        disable: [...(input.disable ?? [])],
    };
    if (minutesOf(s.businessHours.start) === minutesOf(s.businessHours.end)) {
        throw new errors/* AppError */.uV('invalid_input', 'config.businessHours: start and end are the same time; give a range such as 09:00 to 19:00.');
    }
    for (const r of s.knownRanges)
        (0,core_cidr/* parseCidr */.GN)(r, 'config.knownRanges entry');
    if ((0,duration/* parseDuration */.E)(s.lookback, 'config.lookback') > schemas/* MAX_SPAN_DAYS */.es * 86_400) {
        throw new errors/* AppError */.uV('invalid_input', `config.lookback is longer than ${schemas/* MAX_SPAN_DAYS */.es}d, the farthest the checks look back; give ${schemas/* MAX_SPAN_DAYS */.es}d or less (30d by default).`);
    }
    (0,duration/* parseDuration */.E)(s.maxCriticalTokenTtl, 'config.maxCriticalTokenTtl');
    return s;
}
function minutesOf(hhmm) {
    const [h, m] = hhmm.split(':').map(Number);
    return h * 60 + m;
}
/** Whether `time` falls in business hours, in the configured time zone. */
function inBusinessHours(time, bh, format = zoneFormat(bh.timeZone)) {
    const parts = Object.fromEntries(format.formatToParts(time).map((p) => [p.type, p.value]));
    const day = String(parts.weekday).slice(0, 3).toLowerCase();
    const minutes = (Number(parts.hour) % 24) * 60 + Number(parts.minute);
    const start = minutesOf(bh.start);
    const end = minutesOf(bh.end);
    // An overnight range (22:00 to 06:00) belongs to the day it starts on.
    if (start < end)
        return bh.days.includes(day) && minutes >= start && minutes < end;
    if (minutes >= start)
        return bh.days.includes(day);
    const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7];
    return minutes < end && bh.days.includes(yesterday);
}
function zoneFormat(timeZone) {
    return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
/**
 * The stretches of [from, to) outside business hours, as [start, end) ranges, oldest first.
 * Whether a moment is in business hours changes only at the configured times and at local
 * midnight, and every zone's offset (and each change of it) is a whole number of quarter hours;
 * so the answer holds across each step of 15 minutes (5 or 1 when the configured times are not
 * on quarter hours), and one look per step finds every change.
 */
function offHoursRanges(from, to, bh) {
    const format = zoneFormat(bh.timeZone);
    const times = [minutesOf(bh.start), minutesOf(bh.end)];
    const step = (times.every((m) => m % 15 === 0) ? 15 : times.every((m) => m % 5 === 0) ? 5 : 1) * MINUTE;
    const out = [];
    for (let t = Math.floor(from / step) * step; t < to; t += step) {
        if (inBusinessHours(t, bh, format))
            continue;
        const start = Math.max(t, from);
        const end = Math.min(t + step, to);
        const last = out.at(-1);
        if (last && last[1] === start)
            last[1] = end;
        else
            out.push([start, end]);
    }
    return out;
}
/** A time as the configured zone shows it (`Tue 03:10`), for the text of a finding. */
function localTime(time, timeZone) {
    const parts = Object.fromEntries(zoneFormat(timeZone)
        .formatToParts(time)
        .map((p) => [p.type, p.value]));
    return `${parts.weekday} ${String(Number(parts.hour) % 24).padStart(2, '0')}:${parts.minute}`;
}
/** A repository or ref pattern: exact, or a trailing `*` for any rest. */
function patternMatch(pattern, value) {
    return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value;
}
/**
 * Who an audit record names, for a reader: an agent's key and its tokens are the agent
 * (`agent billing`), a pipeline token its agent's pipeline (`pipeline deploy`), a person a user.
 */
const anomalies_actorLabel = (type, name) => {
    if (name === null || name === undefined)
        return String(type ?? 'anonymous');
    return `${type === 'token' ? 'agent' : String(type)} ${name}`;
};
/** Runs every enabled check over [since, until). */
async function findAnomalies(deps, since, until, settings) {
    // Nothing is older than the log's first record: the window and the lookback start there at the earliest.
    const first = (await deps.store.queryAudit({ limit: 1, newestFirst: false }))[0]?.time ?? null;
    const run = new Run(deps, first === null ? since : Math.max(since, Math.min(first, until)), until, settings, first);
    const verified = await run.all();
    const rank = (a) => schemas/* SEVERITIES */.oC.indexOf(a.severity) * 1000 - schemas/* ANOMALY_CHECKS */.yR.indexOf(a.check);
    const anomalies = run.found.sort((a, b) => rank(b) - rank(a) || b.count - a.count || (b.lastTime ?? 0) - (a.lastTime ?? 0));
    return { since, until, verified, checks: run.checks, anomalies: anomalies.slice(0, MAX_FINDINGS), config: settings };
}
class Run {
    deps;
    since;
    until;
    s;
    found = [];
    checks = [];
    store;
    lookbackFrom;
    firstRecordTime;
    newAgents = new Set();
    /** The hours read_volume reported, with their busiest readers (read_spike leaves those to it). */
    volume = [];
    /** What chain_broken re-verified. */
    chainNote = null;
    constructor(deps, since, until, s, firstRecordTime) {
        this.deps = deps;
        this.since = since;
        this.until = until;
        this.s = s;
        this.store = deps.store;
        this.firstRecordTime = firstRecordTime;
        this.lookbackFrom = Math.max(since - (0,duration/* parseDuration */.E)(s.lookback, 'lookback') * 1000, firstRecordTime ?? since);
    }
    async all() {
        let verified = true;
        const steps = [
            [
                'chain_broken',
                async () => {
                    verified = await this.chainBroken();
                    return this.chainNote;
                },
            ],
            ['read_volume', () => this.readVolume()],
            ['read_spike', () => this.readSpike()],
            ['denied_burst', () => this.deniedBurst()],
            ['lockout', () => this.lockouts()],
            ['off_hours_critical', () => this.offHours()],
            ['new_agent', () => this.newAgent()],
            ['unknown_address', () => this.unknownAddress()],
            ['first_read', () => this.firstRead()],
            ['widened_scope', () => this.tokenChecks('widened_scope')],
            ['long_lived_token', () => this.tokenChecks('long_lived_token')],
            ['unexpected_pipeline', () => this.unexpectedPipeline()],
            ['rotation_overdue', () => this.rotationOverdue()],
        ];
        for (const [check, step] of steps) {
            if (this.s.disable.includes(check)) {
                this.checks.push({ check, ran: false, note: 'disabled in the configuration' });
                continue;
            }
            const note = await step();
            this.checks.push({ check, ran: note === undefined || note === null || !note.startsWith('skipped'), note: note ?? null });
        }
        this.checks.sort((a, b) => schemas/* ANOMALY_CHECKS */.yR.indexOf(a.check) - schemas/* ANOMALY_CHECKS */.yR.indexOf(b.check));
        return verified;
    }
    count(q) {
        return this.store.countAudit({ since: this.since, until: this.until, limit: GROUPS, ...q });
    }
    /**
     * Which of `ids` (tokens of the agent vault-rotator used in the window) the server issued itself
     * for a rotation pass: its `token.issue` records are the operator's, which no request can write.
     */
    async runnerTokens(ids) {
        const out = new Set();
        for (let i = 0; i < ids.length; i += 500) {
            const chunk = ids.slice(i, i + 500);
            const rows = await this.store.countAudit({
                since: this.since - RUNNER_TOKEN_MS,
                until: this.until,
                eventTypes: ['token.issue'],
                status: 'granted',
                actorType: 'operator',
                agent: ROTATOR_AGENT,
                tokenIds: chunk,
                groupBy: ['tokenId'],
                limit: chunk.length,
            });
            for (const r of rows)
                if (r.key.tokenId !== null && r.key.tokenId !== undefined)
                    out.add(String(r.key.tokenId));
        }
        return out;
    }
    /**
     * A count of the window (`q`, grouped by the actor among other keys) without the records of the
     * rotation runner's own tokens: a group of the agent vault-rotator is counted again by token, and
     * what its other tokens did stays in.
     */
    async countWithoutRunner(q) {
        const groups = await this.count(q);
        if (!groups.some((g) => runnerNamed(g.key)))
            return groups;
        const byToken = await this.count({ ...q, actorType: 'token', actorName: ROTATOR_AGENT, groupBy: [...q.groupBy, 'tokenId'] });
        const runner = await this.runnerTokens([...new Set(byToken.map((r) => String(r.key.tokenId ?? '')).filter(Boolean))]);
        const rest = new Map();
        for (const r of byToken) {
            if (runner.has(String(r.key.tokenId ?? '')))
                continue;
            const key = Object.fromEntries(q.groupBy.map((k) => [k, r.key[k] ?? null]));
            const id = JSON.stringify(q.groupBy.map((k) => key[k]));
            const e = rest.get(id);
            if (!e)
                rest.set(id, { key, count: r.count, firstTime: r.firstTime, lastTime: r.lastTime });
            else {
                e.count += r.count;
                e.firstTime = Math.min(e.firstTime, r.firstTime);
                e.lastTime = Math.max(e.lastTime, r.lastTime);
            }
        }
        return [...groups.filter((g) => !runnerNamed(g.key)), ...rest.values()].sort((a, b) => b.count - a.count);
    }
    /** The newest records matching `q` in the window (the evidence shown with a finding). */
    sample(q) {
        return this.store.queryAudit({ since: this.since, until: this.until, ...q, limit: SAMPLE, newestFirst: true });
    }
    /**
     * The hours of the window in which more than `threshold` records match `q`: the store counts them
     * in 5-minute slots, and each hour is any twelve consecutive slots, so a burst that straddles the
     * hour is counted whole. Each run of such hours is one episode, given by its busiest hour (from
     * its first record). Oldest first.
     */
    async busyHours(q, threshold) {
        const from = this.hoursFrom;
        const n = Math.max(1, Math.ceil((this.until - from) / SLOT));
        const rows = await this.count({ ...q, since: from, groupBy: ['slot'], slot: { from, ms: SLOT }, limit: n });
        const counts = new Array(n).fill(0);
        const first = new Array(n).fill(0);
        const last = new Array(n).fill(0);
        for (const r of rows) {
            const i = Number(r.key.slot);
            if (i < 0 || i >= n)
                continue;
            counts[i] = r.count;
            first[i] = r.firstTime;
            last[i] = r.lastTime;
        }
        const episodes = [];
        let peak;
        let sum = counts.slice(0, SLOTS_PER_HOUR).reduce((a, b) => a + b, 0);
        for (let i = 0; i <= n; i++) {
            const above = i < n && sum > threshold;
            if (above && (!peak || sum > peak.count))
                peak = { start: i, count: sum };
            if (!above && peak) {
                // The busiest hour, from its first record (the same count: the slots it skips are empty).
                const start = peak.start;
                const slots = Array.from({ length: SLOTS_PER_HOUR }, (_, k) => start + k).filter((k) => k < n && (counts[k] ?? 0) > 0);
                const from = first[slots[0]];
                episodes.push({
                    from,
                    to: Math.min(from + HOUR, this.until),
                    count: peak.count,
                    firstTime: from,
                    lastTime: Math.max(...slots.map((k) => last[k])),
                });
                peak = undefined;
            }
            if (i < n)
                sum += (counts[i + SLOTS_PER_HOUR] ?? 0) - (counts[i] ?? 0);
        }
        // An episode with nothing in the window was a report's before this one.
        return episodes.filter((e) => e.lastTime >= this.since);
    }
    /**
     * Where the hourly counts (read_volume, denied_burst) start: an hour before the window's first
     * five minutes, so every hour that ends in the window is counted whole. A report every 15 minutes,
     * each window starting where the last ended (the audit action), would otherwise count no more
     * than 15 minutes as "an hour", and a burst read evenly through the hour at three times the
     * threshold would never be reported.
     */
    get hoursFrom() {
        return this.since - (HOUR - SLOT);
    }
    add(a) {
        const records = a.records ?? [];
        this.found.push({
            ...a,
            records,
            firstTime: a.firstTime ?? (records.length ? Math.min(...records.map((r) => r.time)) : null),
            lastTime: a.lastTime ?? (records.length ? Math.max(...records.map((r) => r.time)) : null),
        });
    }
    /** The lookback in two parts, the most recent `recent` of it first (empty parts left out). */
    recentFirst(recent) {
        const cut = Math.max(this.lookbackFrom, this.since - recent);
        return [
            [cut, this.since],
            [this.lookbackFrom, cut],
        ].filter(([a, b]) => a < b);
    }
    /** The time of the log's first record (how much history the novelty checks can look at). */
    async historyStart() {
        if (this.firstRecordTime === undefined) {
            const [first] = await this.store.queryAudit({ limit: 1, newestFirst: false });
            this.firstRecordTime = first ? first.time : null;
        }
        return this.firstRecordTime;
    }
    /** Novelty needs history: at least a day of log before the window. */
    async historyNote() {
        const start = await this.historyStart();
        return start === null || start > this.since - anomalies_DAY
            ? 'skipped: the log holds less than a day before the window, so nothing can be new yet'
            : null;
    }
    // ---- the log itself ----
    async chainBroken() {
        await this.deps.monitor.catchUp().catch(() => undefined);
        const health = this.deps.monitor.health();
        if (health.state === 'broken') {
            const seq = health.problem?.seq ?? null;
            this.add({
                check: 'chain_broken',
                severity: 'critical',
                title: 'The audit log fails verification',
                detail: `${seq === null ? '' : `Record ${seq}: `}${health.problem?.message ?? 'the chain does not verify'} The vault releases and changes nothing until the log is restored.`,
                action: 'Treat the vault host as compromised: run ass audit verify to list every problem, compare with your last off-host checkpoint, restore the store from a backup, and rotate what the log can no longer vouch for.',
                subject: {},
                count: 1,
                records: seq === null ? [] : await this.store.queryAudit({ afterSeq: seq - 1, upToSeq: seq, limit: 1 }),
            });
            return false;
        }
        // The records the report stands on, link by link: the window and the lookback its baselines
        // read (the monitor verifies each record once as it arrives; an edit made since, behind the
        // vault's back, is found here rather than at the monitor's next full sweep).
        const spans = [Math.min(this.lookbackFrom, this.since - this.s.baselineWeeks * WEEK), this.since];
        let from = this.since;
        let total = 0;
        for (const f of spans) {
            total = (await this.store.countAudit({ since: f, until: this.until, groupBy: [], limit: 1 }))[0]?.count ?? 0;
            from = f;
            if (total <= VERIFY_SPAN)
                break;
        }
        if (total === 0)
            return true;
        if (total > VERIFY_SPAN) {
            this.chainNote = `the window holds ${total} records, more than the ${VERIFY_SPAN} re-verified here: only the vault's own verification (the monitor) vouches for them`;
            return true;
        }
        const first = (await this.store.queryAudit({ since: from, until: this.until, limit: 1, newestFirst: false }))[0];
        if (!first)
            return true;
        this.chainNote = `re-verified ${total} records since ${anomalies_iso(from)}${from < this.since ? ' (the window and the lookback its baselines read)' : ' (the window)'}`;
        const before = first.seq > 1 ? (await this.store.queryAudit({ afterSeq: first.seq - 2, upToSeq: first.seq - 1, limit: 1 }))[0] : undefined;
        const verifier = new audit_chain/* ChainVerifier */.O6({ after: { seq: first.seq - 1, hash: before?.hash ?? first.prevHash }, maxProblems: 5 });
        const last = (await this.store.queryAudit({ since: from, until: this.until, limit: 1, newestFirst: true }))[0] ?? first;
        for (let after = first.seq - 1;;) {
            const page = await this.store.queryAudit({ afterSeq: after, upToSeq: last.seq, limit: 5000, newestFirst: false });
            for (const r of page)
                verifier.push(r);
            if (page.length < 5000)
                break;
            after = page.at(-1).seq;
        }
        const result = verifier.finish();
        // The record just before the span is gone: the first one's link cannot be checked, and a
        // record was deleted.
        if (first.seq > 1 && !before) {
            result.problems.unshift({
                seq: first.seq - 1,
                kind: 'gap',
                message: `Record ${first.seq - 1} is missing (deleted): the log jumps to record ${first.seq}.`,
            });
        }
        const problem = result.problems[0];
        if (!problem)
            return true;
        this.add({
            check: 'chain_broken',
            severity: 'critical',
            title: 'The audit log fails verification',
            detail: `${problem.message} (${result.problems.length} problem(s) among the window's records).`,
            action: 'Run ass audit verify at once (it stops the vault releasing anything while the log is broken), compare with your last off-host checkpoint, and restore the store from a backup.',
            subject: {},
            count: result.problems.length,
            records: problem.seq === null ? [] : await this.store.queryAudit({ afterSeq: problem.seq - 1, upToSeq: problem.seq, limit: 1 }),
        });
        return false;
    }
    // ---- volume ----
    async readVolume() {
        for (const h of await this.busyHours({ eventTypes: READ, status: 'granted' }, this.s.readsPerHour)) {
            const top = await this.store.countAudit({
                since: h.from,
                until: h.to,
                eventTypes: READ,
                status: 'granted',
                groupBy: ['actorType', 'actorName'],
                limit: 3,
            });
            const who = top.map((t) => `${anomalies_actorLabel(t.key.actorType, t.key.actorName)} (${t.count})`).join(', ');
            const lead = top[0];
            this.volume.push({ from: h.from, to: h.to, readers: new Set(top.map((t) => `${t.key.actorType}\n${t.key.actorName}`)) });
            this.add({
                check: 'read_volume',
                severity: h.count >= 5 * this.s.readsPerHour ? 'critical' : 'warning',
                title: `${h.count} secret reads in one hour (threshold ${this.s.readsPerHour})`,
                detail: `Between ${anomalies_iso(h.from)} and ${anomalies_iso(h.to)} the vault released ${h.count} secret values; the busiest readers were ${who}.`,
                action: 'Check whether the busiest reader was deployed or scaled in that hour; if not, revoke its tokens (ass tokens revoke, or ass agents revoke) and treat what it read as exposed (ass incident PATH).',
                subject: lead?.key.actorName ? { actor: String(lead.key.actorName) } : {},
                count: h.count,
                firstTime: h.firstTime,
                lastTime: h.lastTime,
                records: await this.sample({ since: h.from, until: h.to, eventTypes: READ, status: 'granted' }),
            });
        }
        return null;
    }
    async readSpike() {
        const windowMs = this.until - this.since;
        if (windowMs > WEEK)
            return 'skipped: the window is longer than a week, so it has no same-hour baseline';
        // A window shorter than an hour is compared as the hour that ends with it (only spikes with
        // records in the window are reported), for the reason given at hoursFrom.
        const base = Math.min(this.since, this.until - HOUR);
        const start = await this.historyStart();
        const weeks = [];
        for (let k = 1; k <= this.s.baselineWeeks; k++)
            if (start !== null && start <= base - k * WEEK)
                weeks.push(k);
        if (weeks.length === 0)
            return 'skipped: the log is younger than a week, so there is no baseline yet (read_volume still applies)';
        const key = ['actorType', 'actorName', 'slot'];
        const now = (await this.count({ since: base, eventTypes: READ, status: 'granted', groupBy: key, slot: { from: base, ms: HOUR } })).filter((h) => h.lastTime >= this.since);
        const past = await this.store.countAudit({
            ranges: weeks.map((k) => [base - k * WEEK, this.until - k * WEEK]),
            eventTypes: READ,
            status: 'granted',
            groupBy: key,
            slot: { from: base - 52 * WEEK, ms: HOUR, period: WEEK },
            limit: GROUPS * 4,
        });
        const baseline = new Map(past.map((p) => [`${p.key.actorType}\n${p.key.actorName}\n${p.key.slot}`, p.count]));
        // A busiest reader of an hour that read_volume reported is that finding's (it names them).
        const reported = (key, from, to) => this.volume.some((v) => v.from < to && v.to > from && v.readers.has(`${key.actorType}\n${key.actorName}`));
        for (const h of now) {
            const mean = (baseline.get(`${h.key.actorType}\n${h.key.actorName}\n${h.key.slot}`) ?? 0) / weeks.length;
            if (h.count < this.s.spikeMinimum || h.count <= this.s.spikeFactor * mean)
                continue;
            const from = base + Number(h.key.slot) * HOUR;
            const to = Math.min(from + HOUR, this.until);
            if (reported(h.key, from, to))
                continue;
            const who = anomalies_actorLabel(h.key.actorType, h.key.actorName);
            this.add({
                check: 'read_spike',
                severity: h.count >= 10 * Math.max(mean, 1) && h.count > this.s.readsPerHour ? 'critical' : 'warning',
                title: `${who} read ${h.count} secrets in an hour; the same hour of the past ${weeks.length} week(s) averaged ${round(mean)}`,
                detail: `Between ${anomalies_iso(from)} and ${anomalies_iso(to)}, ${who} read ${h.count} secret values, ${mean === 0 ? 'where it read none' : `${round(h.count / mean)}× its mean`} in the same hour of the past ${weeks.length} week(s).`,
                action: `Confirm with the owner of ${who} that a change explains it; otherwise revoke its tokens and run ass incident on what it read.`,
                subject: { actor: String(h.key.actorName ?? h.key.actorType) },
                count: h.count,
                firstTime: h.firstTime,
                lastTime: h.lastTime,
                records: await this.sample({ since: from, until: to, eventTypes: READ, status: 'granted', ...actorFilter(h.key) }),
            });
        }
        return null;
    }
    async deniedBurst() {
        const severity = (n) => (n >= 5 * this.s.deniedPerHour ? 'critical' : 'warning');
        // Only an address or actor refused more than the threshold in the whole window can be in an hour.
        const over = (rows) => rows.filter((r) => r.count > this.s.deniedPerHour).slice(0, MAX_FINDINGS);
        const span = { since: this.hoursFrom };
        for (const a of over(await this.count({ ...span, status: 'denied', groupBy: ['ip'] }))) {
            if (a.key.ip === null)
                continue;
            const ip = String(a.key.ip);
            for (const h of await this.busyHours({ status: 'denied', ip }, this.s.deniedPerHour)) {
                const codes = await this.store.countAudit({ since: h.from, until: h.to, status: 'denied', ip, groupBy: ['event'], limit: 3 });
                this.add({
                    check: 'denied_burst',
                    severity: severity(h.count),
                    title: `${h.count} refused requests from ${ip} in an hour (threshold ${this.s.deniedPerHour})`,
                    detail: `Between ${anomalies_iso(h.from)} and ${anomalies_iso(h.to)} the vault refused ${h.count} requests from ${ip} (${codes.map((c) => `${c.key.event} ${c.count}`).join(', ')}): someone may be probing for secrets or guessing credentials.`,
                    action: `Find what runs at ${ip}; if it is not yours, block it at the network edge and check ass lockouts list. If it is yours, fix the scopes it asks for.`,
                    subject: { ip },
                    count: h.count,
                    firstTime: h.firstTime,
                    lastTime: h.lastTime,
                    records: await this.sample({ since: h.from, until: h.to, status: 'denied', ip }),
                });
            }
        }
        for (const a of over(await this.count({ ...span, status: 'denied', groupBy: ['actorType', 'actorName'] }))) {
            if (a.key.actorName === null)
                continue;
            const who = anomalies_actorLabel(a.key.actorType, a.key.actorName);
            for (const h of await this.busyHours({ status: 'denied', ...actorFilter(a.key) }, this.s.deniedPerHour)) {
                this.add({
                    check: 'denied_burst',
                    severity: severity(h.count),
                    title: `${h.count} refused requests by ${who} in an hour (threshold ${this.s.deniedPerHour})`,
                    detail: `Between ${anomalies_iso(h.from)} and ${anomalies_iso(h.to)} the vault refused ${h.count} requests made with ${who}'s credentials: it is reaching beyond its scopes.`,
                    action: `Ask the owner of ${who} what it was trying to read; if nobody knows, revoke its credentials (ass agents revoke / ass tokens revoke).`,
                    subject: { actor: String(a.key.actorName) },
                    count: h.count,
                    firstTime: h.firstTime,
                    lastTime: h.lastTime,
                    records: await this.sample({ since: h.from, until: h.to, status: 'denied', ...actorFilter(a.key) }),
                });
            }
        }
        return null;
    }
    async lockouts() {
        // As many as a report shows (the most lockouts first): each is asked about once more.
        const rows = (await this.count({ eventTypes: ['auth.lockout'], groupBy: ['ip'] })).slice(0, MAX_FINDINGS);
        for (const r of rows) {
            const ip = r.key.ip === null ? undefined : String(r.key.ip);
            const records = await this.sample({ eventTypes: ['auth.lockout'], ...(ip ? { ip } : {}) });
            // What was locked: the address, or a credential by its kind and public id (the vault's own text).
            const locked = [...new Set(records.map((x) => /^(.*?) locked out/.exec(x.reason ?? '')?.[1]).filter(Boolean))];
            this.add({
                check: 'lockout',
                severity: 'warning',
                title: `${r.count} lockout(s)${ip ? ` from ${ip}` : ''}: repeated failed sign-ins`,
                detail: `The vault locked out ${locked.length ? locked.slice(0, 5).join(', ') : 'a credential or address'} after repeated failed credential checks${ip ? ` from ${ip}` : ''}, ${r.count} time(s) in the window.`,
                action: 'ass lockouts list shows what is locked; find out who was guessing before you clear it (ass lockouts clear).',
                subject: ip ? { ip } : {},
                count: r.count,
                firstTime: r.firstTime,
                lastTime: r.lastTime,
                records,
            });
        }
        return null;
    }
    // ---- when and where ----
    /**
     * Critical secrets used outside business hours, unless the same actor used the same path outside
     * business hours in at least `offHoursHabit` separate off-hours stretches (nights, weekends) of
     * the lookback: a service that reads its key round the clock, a job that runs at 06:00.
     */
    async offHours() {
        const bh = this.s.businessHours;
        const ranges = offHoursRanges(this.since, this.until, bh);
        if (ranges.length === 0)
            return null;
        const critical = { eventTypes: CRITICAL_ACCESS, status: 'granted', tiers: ['critical'] };
        const used = await this.countWithoutRunner({ ...critical, ranges, groupBy: ['actorType', 'actorName', 'path'] });
        if (used.length === 0)
            return null;
        const byActor = new Map();
        for (const u of used) {
            const id = `${u.key.actorType}\n${u.key.actorName}`;
            const e = byActor.get(id) ?? { key: u.key, paths: [] };
            e.paths.push(u);
            byActor.set(id, e);
        }
        const before = this.s.offHoursHabit > 0 ? offHoursRanges(this.lookbackFrom, this.since, bh) : [];
        const hours = `${bh.days.join(',')} ${bh.start}-${bh.end} ${bh.timeZone}`;
        for (const e of byActor.values()) {
            // In how many separate off-hours stretches of the lookback the actor used each path (counted
            // by hour in the store; each hour's first record says which stretch it belongs to).
            const stretches = new Map();
            if (before.length > 0) {
                const rows = await this.store.countAudit({
                    since: this.lookbackFrom,
                    until: this.since,
                    ...critical,
                    ranges: before,
                    ...actorFilter(e.key),
                    paths: e.paths.map((p) => String(p.key.path)),
                    groupBy: ['path', 'slot'],
                    slot: { from: this.lookbackFrom, ms: HOUR },
                    limit: GROUPS,
                });
                for (const r of rows) {
                    const set = stretches.get(String(r.key.path)) ?? new Set();
                    set.add(rangeIndex(before, r.firstTime));
                    stretches.set(String(r.key.path), set);
                }
            }
            const habit = (p) => this.s.offHoursHabit > 0 && (stretches.get(String(p.key.path))?.size ?? 0) >= this.s.offHoursHabit;
            const unusual = e.paths.filter((p) => !habit(p));
            if (unusual.length === 0)
                continue;
            const paths = unusual.map((p) => String(p.key.path)).sort();
            const who = anomalies_actorLabel(e.key.actorType, e.key.actorName);
            const records = await this.sample({ ranges, ...critical, ...actorFilter(e.key), paths });
            const count = unusual.reduce((n, p) => n + p.count, 0);
            const earlier = Math.max(...unusual.map((p) => stretches.get(String(p.key.path))?.size ?? 0));
            const habitText = this.s.offHoursHabit > 0
                ? `in the ${this.s.lookback} before, it had done so in ${earlier} separate night(s) or weekend(s), fewer than the ${this.s.offHoursHabit} that make a habit`
                : 'every such use is reported (offHoursHabit 0)';
            const when = [...new Set(records.map((r) => localTime(r.time, bh.timeZone)))].reverse();
            this.add({
                check: 'off_hours_critical',
                severity: 'warning',
                title: `${who} used ${paths.length === 1 ? `the critical secret ${paths[0]}` : `${paths.length} critical secrets`} outside business hours`,
                detail: `Outside business hours (${hours}), ${who} used ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', ...' : ''} ${count} time(s), at ${when.slice(0, 5).join(', ')}${when.length > 5 ? ', ...' : ''} (${bh.timeZone}); ${habitText}.`,
                action: `Check that a scheduled job or an on-call engineer explains it; if not, revoke ${who}'s tokens and run ass incident on each path.`,
                subject: {
                    actor: String(e.key.actorName ?? e.key.actorType),
                    tier: 'critical',
                    ...(paths.length === 1 ? { path: paths[0] } : {}),
                },
                count,
                firstTime: Math.min(...unusual.map((p) => p.firstTime)),
                lastTime: Math.max(...unusual.map((p) => p.lastTime)),
                records,
            });
        }
        return null;
    }
    async unknownAddress() {
        const ranges = this.s.knownRanges.map((r) => (0,core_cidr/* parseCidr */.GN)(r, 'config.knownRanges entry'));
        const notes = [];
        if (ranges.length === 0) {
            const note = await this.historyNote();
            if (note)
                return note;
            notes.push(`no known ranges configured: an address is new when the log holds no request from it in the ${this.s.lookback} before the window`);
        }
        // Every address that read a secret (what it read, by tier: one grouped count), and the busiest
        // others. Requests without a credential are recorded and limited by nothing, so thousands of
        // addresses that each sent one must neither push a reader out of the count nor make the report
        // ask about each of them.
        const reads = new Map();
        for (const r of await this.count({ eventTypes: READ, status: 'granted', groupBy: ['ip', 'tier'] })) {
            if (r.key.ip === null)
                continue;
            const e = reads.get(String(r.key.ip)) ?? { count: 0, tiers: new Set() };
            e.count += r.count;
            e.tiers.add(String(r.key.tier ?? 'standard'));
            reads.set(String(r.key.ip), e);
        }
        const window = await this.count({ groupBy: ['ip'] });
        if (window.length >= GROUPS) {
            notes.push(`more than ${GROUPS} addresses sent requests in the window: every one that read a secret, and the ${GROUPS} busiest, were looked at`);
        }
        const byIp = new Map(window.filter((w) => w.key.ip !== null).map((w) => [String(w.key.ip), w]));
        const unlisted = [...reads.keys()].filter((ip) => !byIp.has(ip));
        for (let i = 0; i < unlisted.length; i += 500) {
            const ips = unlisted.slice(i, i + 500);
            for (const r of await this.count({ ips, groupBy: ['ip'], limit: ips.length }))
                byIp.set(String(r.key.ip), r);
        }
        const rank = (ip) => {
            const r = reads.get(ip);
            return r ? (r.tiers.has('critical') ? 3 : r.tiers.has('sensitive') ? 2 : 1) : 0;
        };
        // Most telling first: what an address read, then how much it sent.
        let candidates = [...byIp.entries()]
            .filter(([ip]) => ranges.length === 0 || !(0,core_cidr/* addressAllowed */.lg)(ip, ranges))
            .sort(([a, x], [b, y]) => rank(b) - rank(a) || y.count - x.count || (a < b ? -1 : 1))
            .map(([, c]) => c);
        // The vault's own rotation runner calls it over loopback: a loopback address whose requests
        // are all the runner's tokens' is the vault itself.
        for (const c of candidates.filter((w) => (0,core_cidr/* addressAllowed */.lg)(String(w.key.ip), LOOPBACK))) {
            const who = await this.count({ ip: String(c.key.ip), groupBy: ['actorType', 'actorName', 'tokenId'], limit: 1000 });
            if (who.length === 1000 || !who.every((w) => runnerNamed(w.key) && w.key.tokenId !== null))
                continue;
            const runner = await this.runnerTokens(who.map((w) => String(w.key.tokenId)));
            if (who.every((w) => runner.has(String(w.key.tokenId))))
                candidates = candidates.filter((x) => x !== c);
        }
        // A pipeline proves who it is with its CI provider's signed claims, which unexpected_pipeline
        // checks; a hosted runner's address says nothing (GitHub's change with every run). An address
        // whose every request is a pipeline's (its OIDC exchange, then its pipeline token) is left out
        // unless the configuration asks for pipelines' addresses to be checked too (self-hosted runners).
        // (A refused exchange is someone without a valid CI token: it stays a finding.) One grouped count.
        if (!this.s.checkPipelineAddresses && candidates.length > 0) {
            const other = new Set();
            const groups = await this.count({ groupBy: ['ip', 'actorType', 'event', 'status'], limit: GROUPS * 10 });
            for (const w of groups) {
                if (!(w.key.actorType === 'pipeline' || (w.key.event === 'token.exchange' && w.key.status === 'granted')))
                    other.add(w.key.ip);
            }
            // (Cut short by a flood of groups, it cannot tell who is a pipeline alone: it leaves out nobody.)
            if (groups.length < GROUPS * 10)
                candidates = candidates.filter((c) => other.has(c.key.ip));
        }
        // Whether some were left unexamined (below), so that more may be unknown than are reported.
        let unexamined = false;
        if (ranges.length === 0) {
            // Which of them sent no request in the lookback, a chunk at a time in the order above, until
            // there are as many as a report shows: the last day first (most addresses are regulars), then
            // the rest of the lookback for those not seen yet.
            const fresh = [];
            let i = 0;
            for (; i < candidates.length && fresh.length < MAX_FINDINGS; i += 500) {
                let chunk = candidates.slice(i, i + 500);
                for (const [from, to] of this.recentFirst(anomalies_DAY)) {
                    if (chunk.length === 0)
                        break;
                    const ips = chunk.map((c) => String(c.key.ip));
                    const seen = new Set((await this.store.countAudit({ since: from, until: to, ips, groupBy: ['ip'], limit: ips.length })).map((r) => r.key.ip));
                    chunk = chunk.filter((c) => !seen.has(c.key.ip));
                }
                fresh.push(...chunk);
            }
            unexamined = i < candidates.length;
            candidates = fresh;
        }
        if (candidates.length > MAX_FINDINGS || unexamined) {
            notes.push(`more addresses than a report shows are unknown: the ${MAX_FINDINGS} that read the most sensitive secrets, then sent the most requests, are reported`);
        }
        for (const c of candidates.slice(0, MAX_FINDINGS)) {
            const ip = String(c.key.ip);
            const read = reads.get(ip);
            const readCount = read?.count ?? 0;
            const critical = read?.tiers.has('critical') ?? false;
            const sensitive = critical || (read?.tiers.has('sensitive') ?? false);
            const severity = ranges.length ? (critical ? 'critical' : 'warning') : sensitive ? 'warning' : 'info';
            this.add({
                check: 'unknown_address',
                severity,
                title: `${c.count} request(s) from ${ranges.length ? 'an address outside the known ranges' : 'a new address'}: ${ip}`,
                detail: `${ip} ${ranges.length ? `is outside ${this.s.knownRanges.join(', ')}` : `sent no request in the ${this.s.lookback} before the window`}; it made ${c.count} request(s), ${readCount} of them secret reads${critical ? ' (critical tier among them)' : ''}.`,
                action: `Find what runs at ${ip}. If it is not yours, revoke the credentials it used (the records name them) and run ass incident on what it read; if it is, add its range to knownRanges.`,
                subject: { ip },
                count: c.count,
                firstTime: c.firstTime,
                lastTime: c.lastTime,
                records: await this.sample({ ip }),
            });
        }
        return notes.length ? notes.join('; ') : null;
    }
    // ---- who reads what ----
    /**
     * Secrets an existing actor read in the window and not once in the lookback before it, one
     * finding per actor. Machines (agents, their tokens, pipelines) keep to their secrets, so a first
     * read of a sensitive one is a warning; a person's is information unless the secret is critical.
     */
    async firstRead() {
        const note = await this.historyNote();
        if (note)
            return note;
        const window = await this.countWithoutRunner({
            eventTypes: READ,
            status: 'granted',
            groupBy: ['actorType', 'actorName', 'path', 'tier'],
        });
        const paths = [...new Set(window.map((w) => w.key.path).filter((p) => p !== null))].map(String);
        if (paths.length === 0)
            return null;
        const id = (k) => `${k.actorType}\n${k.actorName}\n${k.path}`;
        const seen = new Set();
        // Who read the same paths before, a chunk of paths per grouped count: the last week first (an
        // actor's secrets are mostly read weekly), then the rest of the lookback for the paths with a
        // reader not seen yet.
        let open = paths;
        for (const [from, to] of this.recentFirst(WEEK)) {
            for (let i = 0; i < open.length; i += 200) {
                const rows = await this.store.countAudit({
                    since: from,
                    until: to,
                    eventTypes: READ,
                    status: 'granted',
                    paths: open.slice(i, i + 200),
                    groupBy: ['actorType', 'actorName', 'path'],
                    limit: GROUPS * 100,
                });
                for (const r of rows)
                    seen.add(id(r.key));
            }
            const unseen = new Set(window.filter((w) => !seen.has(id(w.key))).map((w) => String(w.key.path)));
            open = open.filter((p) => unseen.has(p));
            if (open.length === 0)
                break;
        }
        const byActor = new Map();
        for (const w of window) {
            if (w.key.path === null || seen.has(id(w.key)))
                continue;
            // A new agent's first reads belong to its new_agent finding.
            if (w.key.actorName !== null && this.newAgents.has(String(w.key.actorName)))
                continue;
            const actor = `${w.key.actorType}\n${w.key.actorName}`;
            const e = byActor.get(actor) ?? { key: w.key, reads: [] };
            e.reads.push(w);
            byActor.set(actor, e);
        }
        for (const { key, reads } of byActor.values()) {
            const tierOf = new Map();
            for (const r of reads) {
                const tier = r.key.tier === null ? 'standard' : String(r.key.tier);
                const had = tierOf.get(String(r.key.path));
                if (!had || TIER_ORDER.indexOf(tier) > TIER_ORDER.indexOf(had))
                    tierOf.set(String(r.key.path), tier);
            }
            // Most sensitive first.
            const newPaths = [...tierOf.keys()].sort((a, b) => TIER_ORDER.indexOf(tierOf.get(b)) - TIER_ORDER.indexOf(tierOf.get(a)) || (a < b ? -1 : 1));
            const top = tierOf.get(newPaths[0]);
            const machine = key.actorType !== 'user';
            const who = anomalies_actorLabel(key.actorType, key.actorName);
            const listed = newPaths
                .slice(0, 10)
                .map((p) => `${p} (${tierOf.get(p)})`)
                .join(', ');
            const count = reads.reduce((n, r) => n + r.count, 0);
            this.add({
                check: 'first_read',
                severity: top === 'critical' || (machine && top === 'sensitive') ? 'warning' : 'info',
                title: `${who} read ${newPaths.length === 1 ? newPaths[0] : `${newPaths.length} secrets`} for the first time`,
                detail: `${who} read ${listed}${newPaths.length > 10 ? ', ...' : ''}, ${count} time(s) in all; it had read none of them in the ${this.s.lookback} before the window.`,
                action: `Confirm that ${who} is meant to use ${newPaths.length === 1 ? newPaths[0] : 'them'} (a new feature or deployment); if not, narrow its scopes and run ass incident on each path.`,
                subject: {
                    actor: String(key.actorName ?? key.actorType),
                    ...(newPaths.length === 1 ? { path: newPaths[0] } : {}),
                    tier: top,
                },
                count,
                firstTime: Math.min(...reads.map((r) => r.firstTime)),
                lastTime: Math.max(...reads.map((r) => r.lastTime)),
                records: await this.sample({ eventTypes: READ, status: 'granted', paths: newPaths.slice(0, 500), ...actorFilter(key) }),
            });
        }
        return null;
    }
    async newAgent() {
        const all = await this.store.queryAudit({
            since: this.since,
            until: this.until,
            eventTypes: ['agent.create'],
            status: 'granted',
            limit: 1000,
            newestFirst: true,
        });
        for (const r of all) {
            const name = /^agent ([a-z0-9][a-z0-9._-]*) created/.exec(r.reason ?? '')?.[1];
            if (!name)
                continue;
            this.newAgents.add(name);
            const reads = await this.store.countAudit({
                since: this.since,
                until: this.until,
                agent: name,
                eventTypes: READ,
                status: 'granted',
                groupBy: ['path'],
                limit: 20,
            });
            const read = reads.map((x) => x.key.path).filter(Boolean);
            this.add({
                check: 'new_agent',
                severity: 'warning',
                title: `New agent ${name}, created by ${anomalies_actorLabel(r.actorType, r.actorName)}`,
                detail: `${(r.reason ?? '').slice(0, 400)}.${read.length ? ` It has read ${read.slice(0, 5).join(', ')}${read.length > 5 ? ', ...' : ''}.` : ''}`,
                action: `Confirm the agent was meant to exist and that its scopes are the narrowest it needs (ass agents list); if not, ass agents revoke ${name}.`,
                subject: { agent: name },
                count: 1,
                records: [r],
            });
        }
        return null;
    }
    issued;
    issuedNote = null;
    /**
     * Tokens issued, exchanged or collected in the window, each with the record that issued it (two
     * queries: the records, and the tokens created in the window). Tokens the vault issued itself
     * (the rotation runner's, recorded as the operator's) are left out: they live for one pass and
     * are revoked at its end.
     */
    async issuedTokens() {
        if (!this.issued) {
            this.issued = [];
            const records = await this.store.queryAudit({
                since: this.since,
                until: this.until,
                eventTypes: ['token.issue', 'token.exchange', 'approval.collect'],
                status: 'granted',
                limit: ISSUED,
                newestFirst: true,
            });
            if (records.length === ISSUED)
                this.issuedNote = `only the newest ${ISSUED} tokens issued in the window were looked at`;
            const tokens = new Map((await this.store.listTokens({ createdSince: this.since, createdBefore: this.until })).map((t) => [t.id, t]));
            for (const r of records) {
                if (r.actorType === 'operator')
                    continue;
                // `token ID issued` (issue, exchange) or `approval ID collected: token ID, ...` (collection).
                const id = /\btoken ([A-Za-z0-9]{16})(?: issued|, ttl )/.exec(r.reason ?? '')?.[1];
                const token = id ? tokens.get(id) : undefined;
                if (token)
                    this.issued.push({ record: r, token });
            }
        }
        return this.issued;
    }
    criticalPaths;
    async tokenChecks(check) {
        const issued = await this.issuedTokens();
        if (check === 'long_lived_token') {
            this.criticalPaths ??= (await this.store.listSecrets('', false, 100_000)).filter((s) => s.tier === 'critical').map((s) => s.path);
            const max = (0,duration/* parseDuration */.E)(this.s.maxCriticalTokenTtl, 'maxCriticalTokenTtl') * 1000;
            for (const { record, token } of issued) {
                // Already revoked (by ass incident, say) or expired: nothing left to do about it.
                if (token.revokedAt !== null || token.expiresAt <= this.until)
                    continue;
                // A list scope shows names only; what reaches a value is read, write, rotate (or *).
                const scopes = (0,core_scopes/* secretScopes */.kl)((0,core_scopes/* parseScopesCached */.p9)(token.scopes)).filter((sc) => sc.verb !== 'list');
                const reached = (this.criticalPaths ?? []).filter((p) => (0,core_scopes/* scopesCoverPath */.i2)(scopes, p));
                if (reached.length === 0)
                    continue;
                const ttl = token.expiresAt - token.createdAt;
                const long = ttl > max;
                // Pipeline tokens are bound to one run and expire with it; only their lifetime matters.
                const unlimited = token.maxUses === null && token.kind !== 'pipeline';
                if (!long && !unlimited)
                    continue;
                const why = [
                    long ? `lives ${(0,duration/* formatDuration */.a)(Math.round(ttl / 1000))} (more than ${this.s.maxCriticalTokenTtl})` : '',
                    unlimited ? 'has no use limit' : '',
                ]
                    .filter(Boolean)
                    .join(' and ');
                this.add({
                    check,
                    // A day-long token that any number of requests may use is as good as a password.
                    severity: long && unlimited && ttl >= anomalies_DAY ? 'critical' : 'warning',
                    title: `${anomalies_actorLabel(record.actorType, record.actorName)} got a token for critical secrets that ${why}`,
                    detail: `Token ${token.id} (scopes ${token.scopes.join(' ')}) reaches ${reached.slice(0, 5).join(', ')}${reached.length > 5 ? ', ...' : ''}; it ${why}. Critical secrets should be read with short-lived, use-limited tokens.`,
                    action: `Revoke it if it is not needed any more (ass tokens revoke ${token.id}) and issue critical tokens with --ttl ${this.s.maxCriticalTokenTtl} --max-uses N.`,
                    subject: { tokenId: token.id, ...(record.agent ? { agent: record.agent } : {}), tier: 'critical' },
                    count: 1,
                    records: [record],
                });
            }
            return this.issuedNote;
        }
        const note = await this.historyNote();
        if (note)
            return note;
        // What each agent's tokens held in the lookback (one query per agent that got a token).
        const earlier = new Map();
        for (const { record, token } of issued) {
            if (!earlier.has(token.agentId)) {
                const before = await this.store.listTokens({ agentId: token.agentId, createdSince: this.lookbackFrom, createdBefore: this.since });
                const held = [...new Set(before.flatMap((t) => t.scopes))];
                earlier.set(token.agentId, held.length ? (0,core_scopes/* parseScopesCached */.p9)(held) : []);
            }
            const had = earlier.get(token.agentId) ?? [];
            if (had.length === 0)
                continue; // no earlier token to compare with (first_read and new_agent speak for it)
            const scopes = (0,core_scopes/* parseScopesCached */.p9)(token.scopes);
            const wider = scopes.filter((s) => !had.some((h) => (0,core_scopes/* scopeWithin */.IL)(s, h)));
            if (wider.length === 0)
                continue;
            const text = (0,core_scopes/* formatScopes */.$u)(wider);
            const who = anomalies_actorLabel(record.actorType, record.actorName);
            this.add({
                check,
                severity: 'warning',
                title: `${who} got a token with wider scopes than before: ${text.join(' ')}`,
                detail: `Token ${token.id} holds ${text.join(', ')}, which no token of ${record.agent ?? 'the same agent'} held in the ${this.s.lookback} before the window (they held ${(0,core_scopes/* formatScopes */.$u)(had).slice(0, 10).join(', ')}).`,
                action: `Check why ${record.agent ?? 'the agent'} needs the wider scope; if nobody asked for it, revoke the token (ass tokens revoke ${token.id}) and narrow the agent's scopes.`,
                subject: { tokenId: token.id, ...(record.agent ? { agent: record.agent } : {}) },
                count: 1,
                records: [record],
            });
        }
        return this.issuedNote;
    }
    // ---- pipelines ----
    async unexpectedPipeline() {
        const { repositories, refs } = this.s.pipelines;
        const configured = repositories.length > 0 || refs.length > 0;
        if (!configured) {
            const note = await this.historyNote();
            if (note)
                return note;
        }
        // Pipeline reads by the repository and ref their claims name, counted by the store.
        const pipelineReads = { actorType: 'pipeline', eventTypes: READ, status: 'granted', groupBy: ['repository', 'ref'] };
        const now = (await this.count(pipelineReads)).filter((r) => r.key.repository !== null && r.key.repository !== '');
        let knownRepos;
        let knownRefs;
        if (!configured && now.length > 0) {
            const before = await this.store.countAudit({ ...pipelineReads, since: this.lookbackFrom, until: this.since, limit: GROUPS });
            knownRepos = new Set(before.map((b) => String(b.key.repository)));
            knownRefs = new Set(before.map((b) => `${b.key.repository}\n${b.key.ref}`));
        }
        const found = [];
        for (const r of now) {
            const repository = String(r.key.repository);
            const ref = String(r.key.ref ?? '');
            let why;
            let severity = 'warning';
            if (configured) {
                if (repositories.length && !repositories.some((p) => patternMatch(p, repository))) {
                    why = `the repository ${repository} is not among the expected ones (${repositories.join(', ')})`;
                    severity = 'critical';
                }
                else if (refs.length && !refs.some((p) => patternMatch(p, ref))) {
                    why = `the ref ${ref || '(none)'} is not among the expected ones (${refs.join(', ')})`;
                }
            }
            else if (!knownRepos?.has(repository)) {
                why = `no pipeline of ${repository} read a secret in the ${this.s.lookback} before the window`;
            }
            else if (!knownRefs?.has(`${repository}\n${ref}`)) {
                why = `no pipeline on ${ref || '(no ref)'} of ${repository} read a secret in the ${this.s.lookback} before the window`;
                severity = 'info';
            }
            if (why)
                found.push({ r, repository, ref, why, severity });
        }
        // As many as a report shows, the most severe first: the records of each are read once more.
        found.sort((a, b) => schemas/* SEVERITIES */.oC.indexOf(b.severity) - schemas/* SEVERITIES */.oC.indexOf(a.severity) || b.r.count - a.r.count);
        for (const { r, repository, ref, why, severity } of found.slice(0, MAX_FINDINGS)) {
            this.add({
                check: 'unexpected_pipeline',
                severity,
                title: `Pipeline reads from ${repository}${ref ? ` at ${ref}` : ''}: ${configured ? 'not expected' : 'new'}`,
                detail: `${r.count} secret read(s) by pipelines of ${repository}${ref ? ` at ${ref}` : ''}; ${why}.`,
                action: 'Check the workflow runs the records link to. If they are not yours, revoke the agent the trust policy belongs to and pin its bound claims (repository, ref, environment) tighter; if they are, add them to pipelines in the configuration.',
                subject: { repository, ...(ref ? { ref } : {}) },
                count: r.count,
                firstTime: r.firstTime,
                lastTime: r.lastTime,
                records: await this.sample({ actorType: 'pipeline', eventTypes: READ, status: 'granted', repository, ref }),
            });
        }
        return configured
            ? null
            : 'no pipelines configured: a repository or ref is unexpected when none of its pipelines read a secret in the lookback';
    }
    // ---- rotation ----
    async rotationOverdue() {
        // As many as a report shows, critical secrets first, then the most overdue: each is asked about once more.
        const overdue = (await overdueRotations(this.store, this.until))
            .map((o, i) => ({ o, i }))
            .sort((a, b) => Number(b.o.tier === 'critical') - Number(a.o.tier === 'critical') || a.i - b.i)
            .slice(0, MAX_FINDINGS)
            .map(({ o }) => o);
        for (const o of overdue) {
            this.add({
                check: 'rotation_overdue',
                severity: o.tier === 'critical' ? 'critical' : 'warning',
                title: `Rotation of ${o.path} is overdue by ${(0,duration/* formatDuration */.a)(o.overdueSeconds)}`,
                detail: `${o.path} (${o.tier} tier, rotator ${o.rotator}) should have been rotated ${(0,duration/* formatDuration */.a)(o.overdueSeconds)} ago.`,
                action: `Run ass rotate ${o.path} (or check why the scheduled rotation fails: ass rotation list, and the rotate action's logs).`,
                subject: { path: o.path, tier: o.tier },
                count: 1,
                records: await this.store.queryAudit({
                    paths: [o.path],
                    eventTypes: ['rotation.finish', 'rotation.abort', 'secret.write'],
                    limit: 3,
                    newestFirst: true,
                }),
            });
        }
        return null;
    }
}
/** What is overdue now, from the policies (an overdue rotation leaves no record), most overdue first. */
async function overdueRotations(store, now) {
    const policies = await store.listRotationPolicies();
    const overdue = [];
    if (policies.length === 0)
        return overdue;
    for (const s of await store.listSecrets('', false, 100_000)) {
        const policy = policyFor(s.path, policies);
        if (!policy?.enabled)
            continue;
        const due = dueStatus({ type: s.type, tier: s.tier, currentSince: s.updatedAt }, policy, now);
        if (due.due)
            overdue.push({ path: s.path, tier: s.tier, rotator: policy.rotator, overdueSeconds: due.overdueSeconds });
    }
    return overdue.sort((a, b) => b.overdueSeconds - a.overdueSeconds);
}
/** Which of the sorted, disjoint `ranges` holds `time` (-1: none). */
function rangeIndex(ranges, time) {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const [a, b] = ranges[mid];
        if (time < a)
            hi = mid - 1;
        else if (time >= b)
            lo = mid + 1;
        else
            return mid;
    }
    return -1;
}
function actorFilter(key) {
    return {
        ...(key.actorType !== null && key.actorType !== undefined ? { actorType: String(key.actorType) } : {}),
        ...(key.actorName !== null && key.actorName !== undefined ? { actorName: String(key.actorName) } : {}),
    };
}
const anomalies_iso = (t) => new Date(t).toISOString();
const round = (n) => Math.round(n * 10) / 10;

;// CONCATENATED MODULE: ./src/server/routes/audit.ts
/** Reading, verifying, exporting and checkpointing the audit log. */








function auditView(r) {
    return { ...r, time: iso(r.time) };
}
/** `since` as a time, against the vault's clock (a duration back from now, or an ISO time). */
function sinceTime(since, now) {
    const text = since.trim();
    return /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : now - (0,duration/* parseDuration */.E)(text, 'since') * 1000;
}
/** The query's filters as the store takes them; `since` is resolved against the vault's clock. */
function storeFilters(f, now) {
    const out = {};
    if (f.since !== undefined)
        out.since = sinceTime(f.since, now);
    if (f.eventType)
        out.eventTypes = f.eventType;
    if (f.status)
        out.status = f.status;
    if (f.resourcePath)
        out.resourcePath = f.resourcePath;
    return out;
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
const auditHandlers = {
    async auditSummary({ input: { query }, deps, ctx }) {
        const now = deps.now();
        const since = sinceTime(query.since ?? '24h', now);
        if (!Number.isFinite(since) || since > now) {
            throw new errors/* AppError */.uV('invalid_input', 'since must be in the past: a duration back from now (24h, 7d) or an earlier ISO time.');
        }
        const rows = await deps.store.summarizeAudit(since, now + 1, query.limit ?? 50, now);
        const count = (event, status = 'granted') => rows.byEventStatus.filter((r) => r.event === event && r.status === status).reduce((n, r) => n + r.count, 0);
        const byStatus = (status) => rows.byEventStatus.filter((r) => r.status === status).reduce((n, r) => n + r.count, 0);
        const events = new Map();
        for (const r of rows.byEventStatus) {
            const e = events.get(r.event) ?? { event: r.event, granted: 0, denied: 0, error: 0, pending: 0 };
            if (r.status === 'granted' || r.status === 'denied' || r.status === 'error' || r.status === 'pending')
                e[r.status] += r.count;
            events.set(r.event, e);
        }
        const denials = rows.denials.map((d) => ({
            code: /^[a-z_]{3,40}$/.test(d.code) ? d.code : 'other',
            event: d.event,
            count: d.count,
            example: d.reason,
        }));
        const exchanges = new Map();
        for (const x of rows.exchanges) {
            const repository = x.claims?.repository ?? x.claims?.project_path ?? x.claims?.iss ?? '(unknown)';
            const workflow = x.claims?.workflow_ref ?? x.claims?.job_workflow_ref ?? x.claims?.pipeline_slug ?? '(unknown)';
            const key = `${repository} ${workflow}`;
            const e = exchanges.get(key) ?? { repository, workflow, granted: 0, refused: 0 };
            if (x.status === 'granted')
                e.granted += x.count;
            else
                e.refused += x.count;
            exchanges.set(key, e);
        }
        const overdue = await overdueRotations(deps.store, now);
        ctx.audit.reason = `summary since ${iso(since)}`;
        return {
            since: iso(since),
            until: iso(now),
            requests: rows.byEventStatus.reduce((n, r) => n + r.count, 0),
            granted: byStatus('granted'),
            denied: byStatus('denied'),
            errors: byStatus('error'),
            pending: byStatus('pending'),
            events: [...events.values()].sort((a, b) => b.granted + b.denied + b.error + b.pending - (a.granted + a.denied + a.error + a.pending)),
            secrets: rows.byPath.map((p) => ({ path: p.path, tier: p.tier, reads: p.reads, writes: p.writes, denied: p.denied })),
            actors: rows.byActor.map((a) => ({ type: a.actorType, name: a.actorName, agent: a.agent, requests: a.count, denied: a.denied })),
            addresses: rows.byAddress.map((a) => ({ ip: a.ip, requests: a.count, denied: a.denied })),
            hours: rows.byHour.map((h) => ({ hour: iso(h.hour), requests: h.count, reads: h.reads, denied: h.denied })),
            denials,
            tokens: { issued: count('token.issue'), exchanged: count('token.exchange'), revoked: count('token.revoke') },
            exchanges: [...exchanges.values()].sort((a, b) => b.granted + b.refused - (a.granted + a.refused)),
            approvals: {
                requested: count('approval.request'),
                approved: rows.byEventStatus
                    .filter((r) => r.event === 'approval.approve' && r.status === 'granted')
                    .reduce((n, r) => n + r.count, 0),
                denied: count('approval.deny'),
                collected: count('approval.collect'),
                expired: count('approval.expire'),
            },
            rotations: {
                finished: count('rotation.finish'),
                aborted: count('rotation.abort'),
                overdueTotal: overdue.length,
                overdue: overdue.slice(0, query.limit ?? 50),
            },
            // (A lockout is recorded as a refusal.)
            lockouts: rows.byEventStatus.filter((r) => r.event === 'auth.lockout').reduce((n, r) => n + r.count, 0),
        };
    },
    async auditAnomalies({ input: { body }, deps, ctx }) {
        const now = deps.now();
        const since = sinceTime(body.since ?? '1h', now);
        if (!Number.isFinite(since) || since > now) {
            throw new errors/* AppError */.uV('invalid_input', 'since must be in the past: a duration back from now (1h, 24h) or an earlier ISO time.');
        }
        if (now - since > schemas/* MAX_SPAN_DAYS */.es * 86_400_000) {
            throw new errors/* AppError */.uV('invalid_input', `since reaches more than ${schemas/* MAX_SPAN_DAYS */.es} days back, the farthest the anomaly checks look: give ${schemas/* MAX_SPAN_DAYS */.es}d or less (ass audit summary and ass audit export reach further).`);
        }
        const report = await findAnomalies(deps, since, now + 1, anomalySettings(body.config));
        const bySeverity = (s) => report.anomalies.filter((a) => a.severity === s).length;
        ctx.audit.reason = `anomalies since ${iso(since)}: ${bySeverity('critical')} critical, ${bySeverity('warning')} warning, ${bySeverity('info')} info`;
        return {
            since: iso(since),
            until: iso(now),
            verified: report.verified,
            checks: report.checks,
            anomalies: report.anomalies.map((a) => ({
                ...a,
                firstTime: a.firstTime === null ? null : iso(a.firstTime),
                lastTime: a.lastTime === null ? null : iso(a.lastTime),
                records: a.records.map(auditView),
            })),
            config: { ...report.config },
        };
    },
    async queryAudit({ input: { query }, deps }) {
        const filters = storeFilters(query, deps.now());
        // With afterSeq (tailing), read forwards; otherwise newest first.
        const rows = await deps.store.queryAudit({
            ...filters,
            limit: query.limit ?? 100,
            ...(query.afterSeq !== undefined ? { afterSeq: query.afterSeq } : {}),
            newestFirst: query.afterSeq === undefined,
        });
        const nextSeq = rows.reduce((m, r) => Math.max(m, r.seq), query.afterSeq ?? 0);
        return { events: rows.map(auditView), nextSeq };
    },
    async verifyAudit({ deps, ctx }) {
        const head = await deps.store.getAuditHead();
        const verifier = new audit_chain/* ChainVerifier */.O6({ head, headKey: deps.keys.headKey });
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
        // appends); records beyond the current head were added outside the vault.
        const tail = await deps.store.getAuditTail();
        const now = await deps.store.getAuditHead();
        if (tail && now && tail.seq > now.seq) {
            result.problems.push({
                seq: tail.seq,
                kind: 'head_mismatch',
                message: `Records after the authenticated head (${now.seq}) up to ${tail.seq} were added outside the vault.`,
            });
            result.ok = false;
        }
        ctx.audit.reason = result.ok ? `chain intact, ${result.count} records` : `chain broken: ${result.problems.length} problem(s)`;
        // A broken log stops the vault at once, not at the monitor's next pass.
        const first = result.problems[0];
        if (first)
            deps.monitor.markBroken(first);
        return result;
    },
    async auditCheckpoint({ deps }) {
        return checkpoint(deps);
    },
    async exportAudit({ input: { query }, deps }) {
        const rows = (await deps.store.queryAudit({ ...storeFilters(query, deps.now()), newestFirst: false })).map(auditView);
        if ((query.format ?? 'json') === 'csv') {
            const lines = [CSV_COLUMNS.join(',')];
            for (const r of rows)
                lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
            return new TextReply('text/csv; charset=utf-8', `${lines.join('\r\n')}\r\n`);
        }
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
            version: 1,
            events: rows,
            checkpoint: cp,
            ...(cp ? {} : { warning: 'The log does not match its authenticated head; no checkpoint was signed. Run ass audit verify.' }),
        };
    },
};

;// CONCATENATED MODULE: ./src/server/routes/identities.ts
/** Who may call the vault: whoami, agents and users. */






const identityHandlers = {
    async whoami({ principal: p }) {
        if (p.kind === 'user')
            return { kind: 'user', id: p.id, name: p.name, role: p.role };
        if (p.kind === 'agent')
            return { kind: 'agent', id: p.agent.id, name: p.agent.name, scopes: p.agent.scopes, trustPolicy: p.agent.trustPolicy };
        return {
            kind: p.token.kind,
            id: p.token.id,
            agent: p.agent.name,
            scopes: p.token.scopes,
            expiresAt: iso(p.token.expiresAt),
            claims: p.token.claims,
        };
    },
    async createAgent({ input: { body }, deps, ctx, commit }) {
        const scopes = (0,core_scopes/* formatScopes */.$u)((0,core_scopes/* parseScopes */.Fg)(body.scopes));
        const trustPolicy = body.trustPolicy === undefined ? null : deps.parseTrustPolicy(body.trustPolicy);
        const key = (0,credentials/* generateCredential */.L8)('agent');
        const row = {
            id: (0,credentials/* newId */.Si)(),
            name: body.name,
            scopes,
            description: body.description ?? null,
            trustPolicy,
            keyId: key.id,
            keyHash: deps.keys.credentialHash(key.secret),
            createdAt: deps.now(),
            revokedAt: null,
        };
        ctx.audit.reason = `agent ${row.name} created with scopes ${scopes.join(' ')}${trustPolicy ? ` and a trust policy for ${trustPolicy.issuer}` : ''}`;
        await commit(deps.store.changes.createAgent(row), (result) => {
            if (result === 'name_taken') {
                throw new errors/* AppError */.uV('conflict', `An agent named ${row.name} already exists; pick another name or revoke the old one first (one agent per service).`);
            }
        });
        return { ...agentView(row), agentKey: key.secret };
    },
    async listAgents({ deps }) {
        return { agents: (await deps.store.listAgents()).map(agentView) };
    },
    async revokeAgent({ input: { params }, deps, ctx, commit }) {
        const agent = await deps.store.getAgentByName(params.name);
        if (!agent)
            throw new errors/* AppError */.uV('not_found', `No agent named ${JSON.stringify(params.name)}; see ass agents list.`);
        const { tokensRevoked } = await commit(deps.store.changes.revokeAgent(agent.id, deps.now()), (r) => {
            if (!r.revoked)
                throw new errors/* AppError */.uV('conflict', `The agent ${agent.name} is already revoked.`);
            ctx.audit.reason = REASON.agentRevoked(agent.name, agent.id, r.tokensRevoked);
        });
        return { name: agent.name, revoked: true, tokensRevoked };
    },
    async createUser({ input: { body }, deps, ctx, commit }) {
        const cred = (0,credentials/* generateCredential */.L8)('user');
        const now = deps.now();
        const row = {
            id: cred.id,
            name: body.name,
            role: body.role,
            approver: body.approver ?? false,
            tokenHash: deps.keys.credentialHash(cred.secret),
            createdAt: now,
            revokedAt: null,
        };
        ctx.audit.reason = `user ${body.name} created with role ${body.role}${body.approver ? ', approver' : ''}`;
        await commit(deps.store.changes.createUser(row), (result) => {
            if (result === 'name_taken') {
                throw new errors/* AppError */.uV('conflict', `A user named ${body.name} already exists; every person gets their own account.`);
            }
        });
        return { ...userView(row), token: cred.secret };
    },
    async listUsers({ deps }) {
        return { users: (await deps.store.listUsers()).map(userView) };
    },
    async revokeUser({ input: { params }, deps, ctx, commit }) {
        const user = await deps.store.getUserByName(params.name);
        if (!user)
            throw new errors/* AppError */.uV('not_found', `No user named ${JSON.stringify(params.name)}; see ass users list.`);
        ctx.audit.reason = REASON.userRevoked(user.name, user.id, user.role);
        await commit(deps.store.changes.revokeUser(user.id, deps.now()), (result) => {
            if (result === 'last_admin') {
                throw new errors/* AppError */.uV('conflict', `${user.name} is the last active admin; create another admin (ass users create --role admin) before revoking this one.`);
            }
            if (result === 'not_active')
                throw new errors/* AppError */.uV('conflict', `${user.name} is already revoked.`);
        });
        return { name: user.name, revoked: true };
    },
    async rotateAgentKey({ input: { params, body }, principal, deps, ctx, commit, can }) {
        const agent = await deps.store.getAgentByName(params.name);
        if (!agent)
            throw new errors/* AppError */.uV('not_found', `No agent named ${JSON.stringify(params.name)}; see ass agents list.`);
        if (principal.kind === 'token') {
            // A rotator rotates an agent's key as part of rotating the secret whose agent-key policy names
            // that agent: it needs secrets:rotate on that secret, and nothing else.
            const policy = body.path ? policyFor(body.path, await deps.store.listRotationPolicies()) : undefined;
            if (!body.path || policy?.rotator !== 'agent-key' || policy.settings.agent !== agent.name || !can('rotate', body.path)) {
                throw new errors/* AppError */.uV('denied', `A token rotates ${agent.name}'s key only for a secret whose agent-key rotation policy names ${agent.name}, with secrets:rotate on it (give its path); or use an admin token or the agent's own key.`);
            }
            ctx.audit.path = body.path;
        }
        if (principal.kind === 'agent' && principal.agent.id !== agent.id) {
            throw new errors/* AppError */.uV('denied', `An agent key can rotate only its own agent's key; ${params.name} is another agent.`);
        }
        if (principal.kind === 'agent' && principal.agent.replacedKeyUntil !== undefined) {
            // Else whoever kept (or stole) a replaced key could take the agent back from its new key.
            throw new errors/* AppError */.uV('denied', `This key of ${agent.name} was replaced; it works until ${iso(principal.agent.replacedKeyUntil)} to finish what it was doing, but cannot rotate the agent's key. Use the current key.`);
        }
        if (agent.revokedAt !== null)
            throw new errors/* AppError */.uV('conflict', `The agent ${agent.name} was revoked; create a new agent instead.`);
        const now = deps.now();
        const grace = body.grace ?? 3600;
        if (grace > 7 * 86_400)
            throw new errors/* AppError */.uV('invalid_input', 'The overlap of an old agent key may be at most 7d.');
        const previousUntil = grace > 0 ? now + grace * 1000 : 0;
        const key = (0,credentials/* generateCredential */.L8)('agent');
        const overlap = grace > 0 ? `the old key ${agent.keyId} works until ${iso(previousUntil)}` : `the old key ${agent.keyId} stopped working`;
        ctx.audit.reason = REASON.agentKeyRotated(agent.name, agent.id, key.id, overlap);
        await commit(deps.store.changes.rotateAgentKey(agent.id, key.id, deps.keys.credentialHash(key.secret), previousUntil, now), (r) => {
            if (r !== 'ok')
                throw new errors/* AppError */.uV('conflict', `The agent ${agent.name} was revoked; create a new agent instead.`);
        });
        return {
            name: agent.name,
            agentKey: key.secret,
            keyId: key.id,
            previousKeyId: agent.keyId,
            previousKeyUntil: previousUntil > 0 ? iso(previousUntil) : null,
        };
    },
};

;// CONCATENATED MODULE: ./src/server/routes/lockouts.ts
/** Lockouts, for admins: who is locked out (or still counting failures), and ending a lockout by hand. */




const lockoutHandlers = {
    async listLockouts({ input: { query }, deps }) {
        const now = deps.now();
        const rows = await deps.store.listLockouts(now, deps.limits.lockout);
        return {
            lockouts: rows
                .filter((r) => query.all || r.lockedUntil > now)
                .map((r) => {
                const { subject, id } = subjectOf(r.key);
                const locked = r.lockedUntil > now;
                return {
                    subject,
                    id,
                    lockedUntil: locked ? iso(r.lockedUntil) : null,
                    retryAfter: locked ? Math.ceil((r.lockedUntil - now) / 1000) : null,
                    failures: r.failures,
                    lockouts: r.strikes,
                    refused: locked ? r.refused : 0,
                };
            }),
        };
    },
    async clearLockouts({ input: { query }, deps, ctx, commit, principal }) {
        let keys;
        if (query.all)
            keys = 'all';
        else if (query.address !== undefined)
            keys = [lockoutKey('address', lockedAddress(query.address))];
        else
            keys = [lockoutKey('credential', query.credential)];
        const named = keys === 'all' ? undefined : subjectOf(keys[0]);
        const what = named ? `${named.subject} ${named.id}` : 'every lockout';
        let cleared = 0;
        await commit(deps.store.changes.clearLockouts(keys), (n) => {
            cleared = n;
            ctx.audit.reason = `${what} cleared (${n} counter${n === 1 ? '' : 's'})`;
        });
        if (cleared > 0 && principal.kind === 'user')
            deps.logger.info(`lockouts: ${what} cleared by ${principal.name}`);
        return { cleared };
    },
};
/** The address subject an admin names: an address, or an IPv6 /64 as ass lockouts list shows it. */
function lockedAddress(text) {
    const cidr = (0,core_cidr/* parseCidr */.GN)(text, 'address');
    const [addr, bits] = cidr.range;
    const whole = addr.kind() === 'ipv4' ? bits === 32 : bits === 64 || bits === 128;
    if (!whole) {
        throw new errors/* AppError */.uV('invalid_input', `Lockouts are per address (an IPv6 /64 counts as one): give an address such as 203.0.113.7, or the /64 that ass lockouts list shows, not ${JSON.stringify(text.slice(0, 60))}.`);
    }
    return addressSubject(addr.toString());
}

;// CONCATENATED MODULE: ./src/server/routes/rotation.ts









/** The lease a rotation gets unless it asks for less (a rotation that stops half-way frees the path after it). */
const DEFAULT_LEASE_SECONDS = 15 * 60;
const MAX_LEASE_SECONDS = 3600;
/** How long the replaced value stays readable unless the policy or the finish step says otherwise. */
const DEFAULT_GRACE_SECONDS = 3600;
const MAX_GRACE_SECONDS = 30 * 86_400;
const MAX_SETTINGS_BYTES = 8 * 1024;
function noLease(path, rotationId, stages) {
    const holder = stages?.rotationId;
    return new errors/* AppError */.uV('conflict', holder && holder !== rotationId
        ? `Rotation ${rotationId} does not hold the lease on ${path}: rotation ${holder} does. Begin again once it has finished.`
        : `Rotation ${rotationId} does not hold the lease on ${path}: it expired, finished or was aborted. Begin the rotation again (the same id resumes it while it holds the lease).`);
}
/** The answer for a rotation: its record and the secret's stages. */
async function stateOf(deps, rotationId, path, resumed = false) {
    const [rotation, stages] = await Promise.all([deps.store.getRotation(rotationId), deps.store.getSecretStages(path)]);
    if (!rotation)
        throw new errors/* AppError */.uV('not_found', `No rotation ${rotationId}.`);
    const holds = stages?.rotationId === rotationId;
    return {
        rotationId,
        path,
        state: rotation.state,
        rotator: rotation.rotator,
        fromVersion: rotation.fromVersion,
        toVersion: rotation.toVersion,
        pendingVersion: holds ? (stages?.pendingVersion ?? null) : null,
        leaseUntil: holds && stages?.leaseUntil ? iso(stages.leaseUntil) : null,
        previousVersion: stages?.previousVersion ?? null,
        previousUntil: stages?.previousUntil ? iso(stages.previousUntil) : null,
        resumed,
        reason: rotation.reason,
    };
}
function checkSeconds(seconds, max, what) {
    if (seconds > max)
        throw new errors/* AppError */.uV('invalid_input', `The ${what} may be at most ${(0,duration/* formatDuration */.a)(max)}; ${(0,duration/* formatDuration */.a)(seconds)} was given.`);
    return seconds;
}
/** A policy path: a secret path, or `prefix/*` for every secret below the prefix. */
function policyPath(raw) {
    if (raw.endsWith('/*'))
        return `${(0,core_paths/* parsePathPrefix */.TO)(raw.slice(0, -2), 'policy prefix')}/*`;
    return (0,core_paths/* parseSecretPath */.TK)(raw, 'policy path');
}
function checkNotify(notify) {
    if (!notify?.webhook) {
        if (notify?.webhookSecret)
            throw new errors/* AppError */.uV('invalid_input', 'A webhook key (notify.webhookSecret, --webhook-secret) needs the webhook URL it signs for (notify.webhook, --webhook).');
        return;
    }
    let url;
    try {
        url = new URL(notify.webhook);
    }
    catch {
        throw new errors/* AppError */.uV('invalid_input', 'notify.webhook is not a URL: give an https:// URL, such as https://deploy.example.com/hooks/rotated.');
    }
    if (url.username || url.password)
        throw new errors/* AppError */.uV('invalid_input', 'notify.webhook must not carry a user or password; sign with notify.webhookSecret instead.');
    if (!(url.protocol === 'https:' || (url.protocol === 'http:' && (0,net/* isLoopbackHost */.c)(url.hostname)))) {
        throw new errors/* AppError */.uV('invalid_input', 'notify.webhook must be https:// (plain http only to loopback): the notice names the secret that changed.');
    }
    if (!notify.webhookSecret) {
        throw new errors/* AppError */.uV('invalid_input', 'A webhook (notify.webhook, --webhook) needs the vault path of the key that signs each notice (notify.webhookSecret, --webhook-secret), so the receiver can tell it is genuine.');
    }
}
function policyView(p) {
    return {
        path: p.path,
        rotator: p.rotator,
        settings: p.settings,
        intervalSeconds: p.intervalSeconds,
        graceSeconds: p.graceSeconds,
        notify: (p.notify ?? null),
        enabled: p.enabled,
        createdAt: iso(p.createdAt),
        updatedAt: iso(p.updatedAt),
        updatedBy: p.updatedBy,
    };
}
const rotationHandlers = {
    async listRotationPolicies({ input: { query }, deps, principal, can }) {
        const now = deps.now();
        const prefix = query.prefix ?? '';
        const policies = await deps.store.listRotationPolicies();
        const secrets = [];
        for (const s of await deps.store.listSecrets(prefix, false)) {
            if (!can('rotate', s.path))
                continue;
            const policy = policyFor(s.path, policies);
            if (!policy)
                continue;
            const due = dueStatus({ type: s.type, tier: s.tier, currentSince: s.updatedAt }, policy, now);
            const stages = await deps.store.getSecretStages(s.path);
            // From the log, like every read of the previous stage: the store cannot hide or revive it.
            const rotated = deps.freshness.rotationOf(s.path);
            const revokeDue = rotated !== undefined && !rotated.retired && rotated.previousUntil <= now;
            if (query.due && !due.due && !revokeDue)
                continue;
            const leased = stages?.rotationId && (stages.leaseUntil ?? 0) > now ? stages : undefined;
            secrets.push({
                path: s.path,
                type: s.type,
                tier: s.tier,
                policy: policy.path,
                rotator: policyView(policy).rotator,
                enabled: policy.enabled,
                intervalSeconds: due.intervalSeconds,
                version: s.version,
                lastRotatedAt: iso(s.updatedAt),
                nextDue: iso(due.nextDue),
                due: due.due,
                overdueSeconds: due.overdueSeconds,
                rotating: leased
                    ? { rotationId: leased.rotationId, leaseUntil: leased.leaseUntil ? iso(leased.leaseUntil) : null }
                    : null,
                previousUntil: rotated && !rotated.retired && rotated.previousUntil > now ? iso(rotated.previousUntil) : null,
                revokeDue,
            });
        }
        // Most urgent first: critical before sensitive before standard, then the longest overdue.
        const rank = { critical: 0, sensitive: 1, standard: 2 };
        secrets.sort((a, b) => rank[a.tier] - rank[b.tier] || b.overdueSeconds - a.overdueSeconds || a.path.localeCompare(b.path));
        // A token sees the policies behind what it may rotate; a user sees them all.
        const shown = principal.kind === 'user' ? policies : policies.filter((p) => secrets.some((s) => s.policy === p.path));
        return { policies: shown.map(policyView), secrets };
    },
    async putRotationPolicy({ input: { params, body }, principal, deps, ctx, commit }) {
        const path = policyPath(params.path);
        ctx.audit.path = path;
        const settings = body.settings ?? {};
        if (Buffer.byteLength(JSON.stringify(settings)) > MAX_SETTINGS_BYTES) {
            throw new errors/* AppError */.uV('invalid_input', `The rotator settings are over ${MAX_SETTINGS_BYTES} bytes.`);
        }
        if (body.rotator === 'agent-key' && (typeof settings.agent !== 'string' || !(await deps.store.getAgentByName(settings.agent)))) {
            throw new errors/* AppError */.uV('invalid_input', 'The agent-key rotator needs the name of an existing agent (settings.agent; ass rotation set --agent NAME; see ass agents list).');
        }
        if (path.endsWith('/*') && body.rotator !== 'random') {
            // A prefix policy covers whatever anyone with write access creates below it: only the random
            // rotator is harmless there. A command would mint provider credentials for a planted secret,
            // a postgres rotation would reset the real login's role.
            throw new errors/* AppError */.uV('invalid_input', `Only the random rotator may cover a prefix (${path}); set a ${body.rotator} policy on each secret's own path, since anyone who can write below the prefix could put a secret under it.`);
        }
        if (body.every !== undefined && body.every < 60)
            throw new errors/* AppError */.uV('invalid_input', 'The rotation interval must be at least 1m.');
        checkNotify(body.notify);
        // Each change gets a later revision than the last, even within one millisecond: the log names
        // it, so a copy of an earlier row put back is refused (freshness.ts).
        const before = (await deps.store.listRotationPolicies()).find((p) => p.path === path);
        const now = Math.max(deps.now(), (before?.updatedAt ?? 0) + 1);
        const row = {
            path,
            rotator: body.rotator,
            settings,
            intervalSeconds: body.every ?? null,
            graceSeconds: checkSeconds(body.grace ?? DEFAULT_GRACE_SECONDS, MAX_GRACE_SECONDS, 'grace period'),
            notify: body.notify ?? null,
            enabled: body.enabled ?? true,
            createdAt: now,
            updatedAt: now,
            updatedBy: actorLabel(principal),
        };
        let outcome = 'created';
        await commit(deps.store.changes.putRotationPolicy(row), (r) => {
            outcome = r;
            ctx.audit.reason = `${REASON.policySet(r, row.updatedAt)}: ${row.rotator}, every ${row.intervalSeconds ? (0,duration/* formatDuration */.a)(row.intervalSeconds) : 'default for type and tier'}, grace ${(0,duration/* formatDuration */.a)(row.graceSeconds)}${row.enabled ? '' : ', disabled'}`;
        });
        const stored = (await deps.store.listRotationPolicies()).find((p) => p.path === path);
        deps.logger.info(`rotation policy for ${path} ${outcome} by ${actorLabel(principal)}`);
        return policyView(stored ?? row);
    },
    async deleteRotationPolicy({ input: { params }, deps, ctx, commit }) {
        const path = policyPath(params.path);
        ctx.audit.path = path;
        ctx.audit.reason = 'rotation policy deleted';
        await commit(deps.store.changes.deleteRotationPolicy(path), (deleted) => {
            if (!deleted)
                throw new errors/* AppError */.uV('not_found', `No rotation policy for ${path}; see ass rotation list.`);
        });
        return { path, deleted: true };
    },
    async beginRotation({ input: { params, body }, principal, deps, ctx, commit }) {
        const { path } = params;
        const now = deps.now();
        const rotationId = body.rotationId ?? (0,credentials/* newId */.Si)();
        const lease = checkSeconds(body.lease ?? DEFAULT_LEASE_SECONDS, MAX_LEASE_SECONDS, 'lease');
        const leaseUntil = now + lease * 1000;
        const rotation = {
            id: rotationId,
            path,
            rotator: body.rotator,
            state: 'pending',
            startedBy: actorLabel(principal),
            startedAt: now,
            finishedAt: null,
            fromVersion: 0,
            toVersion: null,
            reason: null,
        };
        let resumed = false;
        await commit(deps.store.changes.beginRotation(rotation, leaseUntil, now, body.force === true), (r) => {
            switch (r.result) {
                case 'no_secret':
                    throw new errors/* AppError */.uV('not_found', `No secret at ${path} to rotate: create it first (ass secrets set), then rotate it.`);
                case 'conflict_id':
                    throw new errors/* AppError */.uV('conflict', `Rotation id ${rotationId} belongs to a rotation of another secret; use a new id.`);
                case 'busy':
                    throw new errors/* AppError */.uV('conflict', `Rotation ${r.stages.rotationId} (${r.stages.rotator}) is rotating ${path} until ${iso(r.stages.leaseUntil ?? now)}; wait for it, or abort it (ass rotate ${path} --abort ${r.stages.rotationId}).`, { retryAfter: Math.max(1, Math.ceil(((r.stages.leaseUntil ?? now) - now) / 1000)) });
                case 'in_grace':
                    throw new errors/* AppError */.uV('conflict', `The previous value of ${path} (version ${r.stages.previousVersion}) is in its grace period until ${iso(r.stages.previousUntil ?? now)}; rotating now would end it early. Wait, or rotate with --force if the current value leaked.`, { retryAfter: Math.max(1, Math.ceil(((r.stages.previousUntil ?? now) - now) / 1000)) });
                case 'ended':
                    ctx.audit.reason = `rotation ${rotationId} (${r.rotation.rotator}) asked again: it ${r.rotation.state}`;
                    return;
                default:
                    resumed = r.result === 'resumed';
                    ctx.audit.tier = null;
                    ctx.audit.reason = `rotation ${rotationId} (${body.rotator}) ${resumed ? 'resumed' : 'began'} at version ${r.rotation.fromVersion}, lease until ${iso(leaseUntil)}${body.force ? ', forced: the previous value’s grace period ends now' : ''}`;
            }
        });
        return stateOf(deps, rotationId, path, resumed);
    },
    async putPendingValue({ input: { params, body }, principal, deps, ctx, commit }) {
        const { path } = params;
        const bytes = Buffer.byteLength(body.value, 'utf8');
        if (bytes > schemas/* LIMITS */.b1.valueBytes)
            throw new errors/* AppError */.uV('payload_too_large', `The value is ${bytes} bytes; the limit is ${schemas/* LIMITS */.b1.valueBytes}.`);
        const now = deps.now();
        const secret = await deps.store.getSecret(path);
        if (!secret || secret.deletedAt !== null)
            throw new errors/* AppError */.uV('not_found', `No secret at ${path}.`);
        ctx.audit.tier = secret.tier;
        const version = secret.version + 1;
        const rotator = (await deps.store.getRotation(body.rotationId))?.rotator ?? 'unknown rotator';
        const ciphertext = deps.keyring.seal(Buffer.from(body.value, 'utf8'), path, version);
        await commit(deps.store.changes.putPendingVersion(body.rotationId, {
            path,
            version,
            type: secret.type,
            tier: secret.tier,
            ciphertext,
            createdAt: now,
            createdBy: actorLabel(principal),
            deletedAt: null,
        }, now), (r) => {
            if (r.result === 'no_lease')
                throw noLease(path, body.rotationId, r.stages);
            ctx.audit.reason = `rotation ${body.rotationId} (${rotator}) put version ${r.version} as pending`;
        });
        return stateOf(deps, body.rotationId, path);
    },
    async finishRotation({ input: { params, body }, principal, deps, ctx, commit }) {
        const { path } = params;
        const now = deps.now();
        const secret = await deps.store.getSecret(path);
        if (!secret)
            throw new errors/* AppError */.uV('not_found', `No secret at ${path}.`);
        ctx.audit.tier = secret.tier;
        const policy = policyFor(path, await deps.store.listRotationPolicies());
        const policyGrace = policy?.graceSeconds ?? DEFAULT_GRACE_SECONDS;
        if (principal.kind !== 'user' && body.grace !== undefined && body.grace > policyGrace) {
            // The grace period is the admin's call (the policy): a rotator may shorten it, never stretch it.
            throw new errors/* AppError */.uV('denied', `A rotator may not keep the replaced value of ${path} readable longer than its policy's grace period (${(0,duration/* formatDuration */.a)(policyGrace)}); an admin changes that with ass rotation set.`);
        }
        const grace = checkSeconds(body.grace ?? policyGrace, MAX_GRACE_SECONDS, 'grace period');
        const previousUntil = now + grace * 1000;
        const rotator = (await deps.store.getRotation(body.rotationId))?.rotator ?? 'unknown';
        await commit(deps.store.changes.finishRotation(body.rotationId, path, now, previousUntil), (r) => {
            if (r.result === 'no_pending') {
                throw new errors/* AppError */.uV('conflict', `Rotation ${body.rotationId} has put no pending value for ${path}: put one, test it, then finish.`);
            }
            if (r.result !== 'ok')
                throw noLease(path, body.rotationId, undefined);
            ctx.audit.reason = REASON.rotationFinished(r.version, body.rotationId, rotator, r.previousVersion, iso(previousUntil));
        });
        return stateOf(deps, body.rotationId, path);
    },
    async retirePrevious({ input: { params, body }, deps, ctx, commit }) {
        const { path } = params;
        const now = deps.now();
        const stages = await deps.store.getSecretStages(path);
        if (stages?.previousVersion === body.version && (stages.previousUntil ?? 0) > now) {
            throw new errors/* AppError */.uV('conflict', `Version ${body.version} of ${path} is in its grace period until ${iso(stages.previousUntil ?? 0)}: retire it after that.`);
        }
        await commit(deps.store.changes.retirePrevious(path, body.version, now), (r) => {
            if (r !== 'ok')
                throw new errors/* AppError */.uV('conflict', `Version ${body.version} is not the previous version of ${path}; nothing to retire.`);
            ctx.audit.reason = `version ${body.version} retired after its grace period (revoked at its provider first, where its rotator has one)`;
        });
        return { path, version: body.version, retired: true };
    },
    async abortRotation({ input: { params, body }, deps, ctx, commit }) {
        const { path } = params;
        const now = deps.now();
        const reason = body.reason.replace(/\s+/g, ' ').slice(0, 300);
        const rotator = (await deps.store.getRotation(body.rotationId))?.rotator ?? 'unknown';
        await commit(deps.store.changes.abortRotation(body.rotationId, path, now, reason), (r) => {
            if (r !== 'ok')
                throw noLease(path, body.rotationId, undefined);
            ctx.audit.reason = `rotation ${body.rotationId} (${rotator}) aborted, the current version stays: ${reason}`;
        });
        return stateOf(deps, body.rotationId, path);
    },
};

;// CONCATENATED MODULE: ./src/server/routes/index.ts







const handlers = {
    async health({ deps }) {
        const { state, sink } = deps.monitor.health();
        const status = state === 'broken' ? 'failing' : sink && !sink.ok ? 'degraded' : 'ok';
        return { status, audit: state, ...(sink ? { checkpoints: sink.ok ? 'ok' : 'failing' } : {}) };
    },
    ...identityHandlers,
    ...tokenHandlers,
    ...secretHandlers,
    ...auditHandlers,
    ...lockoutHandlers,
    ...rotationHandlers,
    ...approvalHandlers,
};

;// CONCATENATED MODULE: ./src/server/index.ts





























const DB_FILE = 'vault.db';
const KEY_FILE = 'master.key';
const HIGH_WATER_FILE = 'audit-high-water.json';
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
    const store = await openStore(dataDir, opts, { create: true });
    try {
        if (await store.getMeta('audit_key')) {
            throw new errors/* AppError */.uV('conflict', 'That database already holds a vault (it has users); start it with ass server, or point --database-url at an empty database or schema.');
        }
        const keys = await createVaultKeys(store, keyring);
        const sealer = makeSealer(keys.headKey);
        const now = (opts.now ?? Date.now)();
        const cred = (0,credentials/* generateCredential */.L8)('user');
        const admin = {
            id: cred.id,
            name: 'admin',
            role: 'admin',
            approver: false,
            tokenHash: keys.credentialHash(cred.secret),
            createdAt: now,
            revokedAt: null,
        };
        // The log's first record: the vault was made, and by whom its first admin was created.
        await store.commit(store.changes.createUser(admin), () => [operatorEntry('vault.init', now, `vault created; first admin user ${admin.id}`)], sealer);
        return { adminToken: cred.secret, dataDir };
    }
    finally {
        await store.close();
    }
}
/** An audit record for what an operator did on the vault's machine (no request, no credential). */
function operatorEntry(event, time, reason) {
    return systemEntry(event, time, reason);
}
async function openStore(dataDir, opts, how) {
    if (opts.databaseUrl) {
        try {
            return await openPostgresStore({
                url: opts.databaseUrl,
                schema: opts.databaseSchema,
                create: how.create ?? false,
                older: how.older ?? false,
            });
        }
        catch (err) {
            if (err instanceof errors/* AppError */.uV)
                throw err;
            // The connection string may hold a password: name the failure, never the URL.
            throw new errors/* AppError */.uV('unavailable', `Could not open the PostgreSQL store: ${err instanceof Error ? err.message.replace(/postgres(ql)?:\/\/\S+/g, '<url>') : 'unknown error'}. Check --database-url and that the server is up.`);
        }
    }
    const file = external_node_path_default().join(dataDir, DB_FILE);
    if (how.create) {
        // The database holds ciphertext and credential hashes: owner-only, whatever the umask or the
        // folder's mode (SQLite gives its -wal and -shm files the database file's mode).
        await (0,promises_.writeFile)(file, '', { flag: 'a', mode: 0o600 });
        await (0,promises_.chmod)(file, 0o600);
    }
    return openSqliteStore(file, { synchronous: how.durable ? 'full' : 'normal', create: how.create ?? false, older: how.older ?? false });
}
const AUDIT_KEY_AAD = 'meta/audit-key';
/**
 * The vault secret (stored as `audit_key`, its first use): made once, when the vault is created,
 * and stored sealed under the master key; rewrapped under the current master key after a rotation
 * (the previous key must be in ASS_MASTER_KEY_PREVIOUS once). Every key of src/server/keys.ts
 * derives from it. A store without it was not made by `ass init`, or was altered: the server
 * refuses to start rather than begin a fresh, unanchored log. The store gets the keys that
 * authenticate its rows before anything reads one.
 */
async function loadVaultKeys(store, keyring) {
    const stored = await store.getMeta('audit_key');
    if (!stored) {
        throw new errors/* AppError */.uV('internal', 'The store has no audit key, so its audit log cannot be trusted: it was not created by ass init, or it was altered. Restore it from a backup.');
    }
    const blob = Buffer.from(stored, 'base64');
    const secret = keyring.open(blob, AUDIT_KEY_AAD, 1);
    if (!keyring.sealedWithCurrent(blob))
        await store.setMeta('audit_key', keyring.seal(secret, AUDIT_KEY_AAD, 1).toString('base64'));
    const keys = new VaultKeys(secret);
    store.useIntegrity(keys);
    return keys;
}
/** Makes the vault secret of a new vault and anchors its chain with a MAC'd genesis head. */
async function createVaultKeys(store, keyring) {
    const secret = (0,external_node_crypto_.randomBytes)(32);
    const stored = await store.setMetaIfAbsent('audit_key', keyring.seal(secret, AUDIT_KEY_AAD, 1).toString('base64'));
    const keys = new VaultKeys(keyring.open(Buffer.from(stored, 'base64'), AUDIT_KEY_AAD, 1));
    store.useIntegrity(keys);
    await store.initAuditHead(makeSealer(keys.headKey).genesisMac());
    return keys;
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
    const store = await openStore(dataDir, opts, {});
    try {
        const keys = await loadVaultKeys(store, keyring);
        const { result: versions } = await store.commit(store.changes.rewrapSecretVersions((r) => keyring.rewrap(r.ciphertext, r.path, r.version)), (n) => [operatorEntry('vault.rekey', Date.now(), `${n} secret version(s) resealed under master key ${keyring.currentKeyId}`)], makeSealer(keys.headKey));
        return { versionsRewrapped: versions, keyId: keyring.currentKeyId };
    }
    finally {
        await store.close();
    }
}
/**
 * Upgrades a store made by an earlier build to this build's schema, in one transaction, and
 * records it in the audit log. The operator runs it on a store they trust: rows that earlier
 * versions kept without a MAC are sealed as they are now.
 */
async function migrateDataDir(dir, opts = {}) {
    const env = opts.env ?? process.env;
    const dataDir = external_node_path_default().resolve(dir);
    if (!opts.databaseUrl && !(await exists(external_node_path_default().join(dataDir, DB_FILE)))) {
        throw new errors/* AppError */.uV('not_found', `${dataDir} holds no vault; create one with ass init --data ${dataDir}.`);
    }
    const keyring = await loadKeyring(dataDir, env);
    const store = await openStore(dataDir, opts, { older: true });
    try {
        const keys = await loadVaultKeys(store, keyring);
        const { from, to } = await store.migrate(keys);
        if (from !== to) {
            await store.commit(null, () => [operatorEntry('vault.migrate', Date.now(), `store upgraded from schema version ${from} to ${to}`)], makeSealer(keys.headKey));
        }
        return { from, to };
    }
    finally {
        await store.close();
    }
}
/**
 * What keeps the audit log honest while the vault runs (audit-monitor.ts): the high-water mark
 * outside the store, the checkpoint sink, the freshness index that row reads are checked against.
 * The whole chain is verified, and the log checked against the mark and the sink, before the vault
 * serves anything.
 */
async function startAuditMonitor(store, keys, settings, opts) {
    const { logger, now, markFile } = opts;
    const freshness = new FreshnessIndex(Math.max(settings.maxTokenTtlSeconds, settings.maxPipelineTtlSeconds) * 1000);
    store.useIntegrity(keys, freshness);
    const mark = markFile ? await HighWater.read(markFile, keys.headKey) : undefined;
    if (!markFile) {
        logger.warning('no data directory: the audit high-water mark lives in this process only, so a rollback of the database while the vault is stopped goes unnoticed unless a --checkpoint-sink file says otherwise. Give --data DIR to keep it.');
    }
    const highWater = new HighWater(markFile, keys.headKey, logger, now, mark);
    const sink = opts.checkpointSink ? openCheckpointSink(opts.checkpointSink) : undefined;
    const seconds = (v, fallback, flag) => {
        const n = v ?? fallback;
        if (!Number.isFinite(n) || n <= 0)
            throw new errors/* AppError */.uV('invalid_input', `${flag} must be a positive number of seconds.`);
        return n * 1000;
    };
    const monitor = new AuditMonitor({
        store,
        headKey: keys.headKey,
        logger,
        now,
        freshness,
        highWater,
        sink,
        publicKey: checkpointPublicKey(keys.signing),
        checkpoint: () => checkpoint({ store, keys, settings, now, logger, monitor }),
    }, {
        sweepEveryMs: seconds(opts.auditSweepEverySeconds, 3600, '--audit-sweep-every'),
        checkpointEveryMs: seconds(opts.checkpointEverySeconds, 600, '--checkpoint-every'),
        followEveryMs: opts.auditFollowEveryMs ?? 2000,
    });
    await monitor.start(mark);
    return { monitor, freshness };
}
/**
 * How the server reaches itself for --rotate: the listen address, or loopback for a wildcard one,
 * and the addresses its rotation tokens may be used from (so a copied token is no use elsewhere).
 */
function selfAddress(host) {
    const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    if ((0,external_node_net_.isIP)(h))
        return { host: h, allowedIps: [h] };
    return { host: h, allowedIps: (0,net/* isLoopbackHost */.c)(h) ? ['127.0.0.0/8', '::1/128'] : [] };
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
    const rotateEverySeconds = opts.rotateEverySeconds ?? 60;
    if (opts.rotate && (!Number.isFinite(rotateEverySeconds) || rotateEverySeconds < 1)) {
        throw new errors/* AppError */.uV('invalid_input', '--rotate-every must be at least 1s.');
    }
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
    const store = await openStore(dataDir, opts, { durable: opts.durable ?? false });
    const { host, port } = parseListen(opts.listen ?? '127.0.0.1:8200');
    const trustedProxies = (opts.trustedProxies ?? []).map((c) => (0,core_cidr/* parseCidr */.GN)(c, 'trusted proxy'));
    const limits = new Limits(store, checkLockoutPolicy({ ...DEFAULT_LOCKOUT, ...opts.lockout }), { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits }, now, logger);
    const settings = {
        maxTokenTtlSeconds: opts.maxTokenTtlSeconds ?? 24 * 3600,
        maxPipelineTtlSeconds: Math.min(opts.maxPipelineTtlSeconds ?? 15 * 60, 6 * 3600),
        audience: '',
        origin: '',
    };
    let keys;
    let monitor;
    let freshness;
    try {
        keys = await loadVaultKeys(store, keyring);
        ({ monitor, freshness } = await startAuditMonitor(store, keys, settings, {
            ...opts,
            markFile: opts.dataDir || opts.dev ? external_node_path_default().join(dataDir, HIGH_WATER_FILE) : undefined,
            logger,
            now,
        }));
    }
    catch (err) {
        await store.close();
        throw err;
    }
    const deps = {
        store,
        keyring,
        now,
        logger,
        settings,
        keys,
        audit: { sealer: makeSealer(keys.headKey, () => monitor.mark()) },
        monitor,
        freshness,
        verifier: createOidcVerifier({ now, logger }),
        parseTrustPolicy: parseTrustPolicy,
        limits,
        approvals: undefined,
    };
    deps.approvals = new Approvals({
        store,
        keyring,
        now,
        logger,
        freshness,
        sealer: deps.audit.sealer,
        noteCommitted: (records) => monitor.noteCommitted(records),
        ...(opts.dashboardUrl ? { dashboardUrl: opts.dashboardUrl } : {}),
    });
    if (Boolean(opts.tlsCertFile) !== Boolean(opts.tlsKeyFile)) {
        throw new errors/* AppError */.uV('invalid_input', 'TLS needs both a certificate and its private key (--tls-cert FILE --tls-key FILE).');
    }
    const httpOptions = { keepAliveTimeout: 65_000, requestTimeout: 30_000, headersTimeout: 20_000 };
    let server;
    let cert;
    if (opts.tlsCertFile && opts.tlsKeyFile) {
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
    if (!tls && !(0,net/* isLoopbackHost */.c)(host)) {
        logger.warning(`listening on ${host} without TLS: credentials and secrets cross the network in clear text unless a TLS proxy sits in front (use --tls-cert/--tls-key, or bind to 127.0.0.1 behind the proxy).`);
    }
    const publicUrl = (opts.publicUrl ?? url).replace(/\/+$/, '');
    settings.audience = publicUrl;
    settings.origin = publicUrl;
    server.on('request', createPipeline({ ...deps, handlers: handlers, trustedProxies }));
    logger.info(`vault listening on ${url} (data ${dataDir}, master key ${keyring.currentKeyId})`);
    let rotation;
    let selfDispatcher;
    if (opts.rotate) {
        const self = selfAddress(host);
        if (cert) {
            // Over TLS the server trusts exactly its own certificate, whatever name or CA it carries.
            const pin = new external_node_crypto_.X509Certificate(cert).fingerprint256;
            selfDispatcher = new undici/* Agent */.g6({
                connect: {
                    ca: cert.toString('utf8'),
                    allowPartialTrustChain: true,
                    checkServerIdentity: (_name, peer) => peer.fingerprint256 === pin ? undefined : new Error('the peer is not this vault server (its certificate differs)'),
                },
            });
        }
        rotation = new RotationRunner({
            store,
            keys,
            sealer: deps.audit.sealer,
            now,
            logger,
            url: `${tls ? 'https' : 'http'}://${self.host.includes(':') ? `[${self.host}]` : self.host}:${boundPort}`,
            ...(selfDispatcher ? { dispatcher: selfDispatcher } : {}),
            allowedIps: self.allowedIps,
            maxTokenTtlSeconds: settings.maxTokenTtlSeconds,
            everyMs: rotateEverySeconds * 1000,
        });
        try {
            await rotation.start();
        }
        catch (err) {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(() => resolve()));
            await selfDispatcher?.close();
            await monitor.stop();
            await store.close();
            throw err;
        }
        logger.info(`rotating due secrets every ${rotateEverySeconds}s as the agent vault-rotator (built-in rotators only, never command)`);
    }
    // Requests past their timeout are marked expired (and their webhook told) within a sweep's interval;
    // until then every route already treats them as expired.
    const sweepApprovals = () => deps.approvals.sweep();
    const sweeper = setInterval(() => {
        sweepApprovals().catch((err) => logger.warning(`approval sweep failed: ${err instanceof Error ? err.message : String(err)}`));
    }, (opts.approvalSweepSeconds ?? 30) * 1000);
    sweeper.unref();
    // The audit summary reads whole hours from sealed rollups; each hour is rolled up soon after it ends
    // (the summary makes any that are missing, so this only keeps it fast).
    let rolling = Promise.resolve();
    const roller = setInterval(() => {
        const now = deps.now();
        rolling = store
            .rollUpAudit(now - 48 * 3_600_000, now)
            .catch((err) => logger.warning(`audit rollup failed: ${err instanceof Error ? err.message : String(err)}`));
    }, 5 * 60_000);
    roller.unref();
    let closed = false;
    return {
        url,
        adminToken,
        sweepApprovals,
        dataDir,
        store,
        server,
        ...(rotation ? { runRotationPass: () => rotation.runPass() } : {}),
        async close() {
            if (closed)
                return;
            closed = true;
            clearInterval(sweeper);
            clearInterval(roller);
            await rolling;
            // First the rotation pass, which talks to this server over loopback, finishes its secret.
            await rotation?.stop();
            await selfDispatcher?.close();
            server.closeAllConnections();
            await new Promise((resolve) => server.close(() => resolve()));
            await monitor.stop();
            await store.close();
            // A --dev vault is a throwaway: its store and master key go with it.
            if (opts.dev)
                await (0,promises_.rm)(dataDir, { recursive: true, force: true });
        },
    };
}


/***/ })

};
