export const id = 305;
export const ids = [305];
export const modules = {

/***/ 8305:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   leakedCredentials: () => (/* binding */ leakedCredentials),
/* harmony export */   revokeLeaked: () => (/* binding */ revokeLeaked)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _core_credentials_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2633);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4296);
/* harmony import */ var _scan_checksum_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2530);
/* harmony import */ var _common_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(577);
/**
 * `ass scan --revoke-leaked`: a finding that is one of this vault's own credentials is revoked at
 * once, the self-hosted counterpart of a provider's partner revocation. The credential is read back
 * from where the scan found it (the scanner never keeps secrets), checked (prefix and CRC), and then:
 * a token or pipeline token revokes itself; an agent key's agent is revoked with an admin token
 * (ASS_TOKEN), or else the key replaces itself with grace 0 (the new key is thrown away, so nobody
 * holds it); a user token's user is revoked with an admin token. Only the vault at ASS_URL is asked:
 * a credential it does not know is reported as such. Nothing here prints a credential.
 */








const run = (0,node_util__WEBPACK_IMPORTED_MODULE_3__.promisify)(node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile);
/** At most this many credentials are tried per scan: a repository full of foreign keys must not lock this machine out. */
const MAX_ATTEMPTS = 25;
const CREDENTIAL = /ass_([uatp])_[0-9A-Za-z]{65}/g;
const KIND_OF = Object.fromEntries(Object.entries(_core_credentials_js__WEBPACK_IMPORTED_MODULE_4__/* .CREDENTIAL_KINDS */ .aq).map(([k, v]) => [v, k]));
async function lineOf(source, f) {
    try {
        let text;
        if (source.kind === 'text')
            text = source.text;
        else if (source.kind === 'tree')
            text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(source.root, f.path), 'utf8');
        else {
            const rev = f.commit?.sha ?? source.rev;
            const { stdout } = await run('git', ['-C', source.dir, 'show', `${rev ?? ''}:${f.path}`], { maxBuffer: 256 * 1024 * 1024 });
            text = stdout;
        }
        return text.split('\n')[f.line - 1];
    }
    catch {
        return undefined;
    }
}
/** The vault credentials among the findings, read back from their lines and checked. */
async function leakedCredentials(findings, source) {
    const out = new Map();
    for (const f of findings) {
        if (f.ruleId !== 'ass-credential')
            continue;
        const line = await lineOf(source, f);
        if (line === undefined)
            continue;
        for (const m of line.matchAll(CREDENTIAL)) {
            const credential = m[0];
            if ((0,_scan_checksum_js__WEBPACK_IMPORTED_MODULE_6__/* .validAssCredential */ .HO)(credential) && !out.has(credential))
                out.set(credential, { credential, finding: f });
        }
    }
    return [...out.values()];
}
/** Revokes each credential at the vault; never throws for one credential's failure. */
async function revokeLeaked(ctx, values, leaked, adminToken) {
    const out = [];
    let stop;
    for (const [i, { credential, finding }] of leaked.entries()) {
        const kind = KIND_OF[credential[4]];
        const id = credential.slice(6, 22);
        const where = `${finding.path}:${finding.line}${finding.commit ? ` (commit ${finding.commit.sha.slice(0, 12)})` : ''}`;
        const base = { id, kind, where };
        if (stop || i >= MAX_ATTEMPTS) {
            out.push({ ...base, result: 'not-tried', message: stop ?? `only the first ${MAX_ATTEMPTS} vault credentials are tried per scan` });
            continue;
        }
        try {
            out.push({ ...base, ...(await revokeOne(ctx, values, kind, id, credential, adminToken)) });
        }
        catch (e) {
            const code = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .isAppError */ .Y6)(e) ? e.code : 'internal';
            if (code === 'unauthenticated') {
                out.push({
                    ...base,
                    result: 'unknown',
                    message: 'this vault does not know it as a live credential (expired, revoked already, or another vault’s)',
                });
            }
            else {
                const message = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .isAppError */ .Y6)(e)
                    ? e.message
                    : `the vault could not be reached (${e instanceof Error ? e.message.slice(0, 200) : 'error'})`;
                out.push({ ...base, result: 'failed', message });
                // Locked out or limited: trying more would only make it worse.
                if (code === 'rate_limited' || code === 'locked_out')
                    stop = `not tried: the vault refused the last attempt (${code})`;
            }
        }
    }
    return out;
}
async function revokeOne(ctx, values, kind, id, credential, adminToken) {
    const leaked = () => (0,_common_js__WEBPACK_IMPORTED_MODULE_7__/* .makeClient */ .yu)(ctx, values, credential);
    if (kind === 'token' || kind === 'pipeline') {
        await (0,_common_js__WEBPACK_IMPORTED_MODULE_7__/* .withClient */ .SV)(leaked(), (c) => c.revokeSelf());
        return { result: 'revoked', message: `${kind === 'pipeline' ? 'pipeline token' : 'token'} ${id} revoked` };
    }
    const who = await (0,_common_js__WEBPACK_IMPORTED_MODULE_7__/* .withClient */ .SV)(leaked(), (c) => c.whoami());
    const name = 'name' in who ? who.name : id;
    if (kind === 'agent') {
        if (adminToken) {
            const r = await (0,_common_js__WEBPACK_IMPORTED_MODULE_7__/* .withClient */ .SV)((0,_common_js__WEBPACK_IMPORTED_MODULE_7__/* .makeClient */ .yu)(ctx, values, adminToken), (c) => c.revokeAgent(name));
            return { result: 'revoked', message: `agent ${name} revoked with its key and ${r.tokensRevoked ?? 0} live token(s)` };
        }
        // The key replaces itself and the new one is dropped: the leaked key stops working now.
        await (0,_common_js__WEBPACK_IMPORTED_MODULE_7__/* .withClient */ .SV)(leaked(), (c) => c.rotateAgentKey(name, 0));
        return {
            result: 'key-replaced',
            message: `agent ${name}'s leaked key no longer works (its replacement was discarded); an admin gives the agent a new key (POST /v1/agents/{name}/key with an admin token) and revokes the tokens it issued (ass tokens list --agent ${name})`,
        };
    }
    if (!adminToken)
        return {
            result: 'needs-admin',
            message: `user ${name}'s token is live: set ASS_TOKEN to an admin token, or run ass users revoke ${name}`,
        };
    await (0,_common_js__WEBPACK_IMPORTED_MODULE_7__/* .withClient */ .SV)((0,_common_js__WEBPACK_IMPORTED_MODULE_7__/* .makeClient */ .yu)(ctx, values, adminToken), (c) => c.revokeUser(name));
    return { result: 'revoked', message: `user ${name} revoked` };
}


/***/ }),

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


/***/ })

};
