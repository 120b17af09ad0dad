export const id = 305;
export const ids = [305,513];
export const modules = {

/***/ 8305:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   leakedCredentials: () => (/* binding */ leakedCredentials),
/* harmony export */   revokeLeaked: () => (/* binding */ revokeLeaked)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_credentials_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2633);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4296);
/* harmony import */ var _scan_checksum_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2530);
/* harmony import */ var _scan_git_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1513);
/* harmony import */ var _common_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(577);
/**
 * `ass scan --revoke-leaked`: a finding that is one of this vault's own credentials is revoked at
 * once, the self-hosted counterpart of a provider's partner revocation. The credential is read back
 * from where the scan found it (the scanner never keeps secrets), checked (prefix and CRC), and then:
 * a token or pipeline token revokes itself; an agent key's agent is revoked with an admin token
 * (ASS_TOKEN), or else the key replaces itself with grace 0 (the new key is thrown away, so nobody
 * holds it); a user token's user is revoked with an admin token. Only the vault at ASS_URL is asked:
 * a credential it does not know is reported as such. Nothing here prints a credential.
 */







/** At most this many credentials are tried per scan: a repository full of foreign keys must not lock this machine out. */
const MAX_ATTEMPTS = 25;
const CREDENTIAL = /ass_([uatp])_[0-9A-Za-z]{65}/g;
const KIND_OF = Object.fromEntries(Object.entries(_core_credentials_js__WEBPACK_IMPORTED_MODULE_2__/* .CREDENTIAL_KINDS */ .aq).map(([k, v]) => [v, k]));
async function lineOf(source, f) {
    try {
        let text;
        if (source.kind === 'text')
            text = source.text;
        else if (source.kind === 'tree')
            text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(source.root, f.path), 'utf8');
        else {
            const rev = f.commit?.sha ?? source.rev;
            const shown = await (0,_scan_git_js__WEBPACK_IMPORTED_MODULE_5__.git)(source.dir, ['show', `${rev ?? ''}:${f.path}`]);
            if (shown.code !== 0)
                return undefined;
            text = shown.stdout;
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
            if ((0,_scan_checksum_js__WEBPACK_IMPORTED_MODULE_4__/* .validAssCredential */ .HO)(credential) && !out.has(credential))
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
            const code = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .isAppError */ .Y6)(e) ? e.code : 'internal';
            if (code === 'unauthenticated') {
                out.push({
                    ...base,
                    result: 'unknown',
                    message: 'this vault does not know it as a live credential (expired, revoked already, or another vault’s)',
                });
            }
            else {
                const message = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .isAppError */ .Y6)(e)
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
    const leaked = () => (0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .makeClient */ .yu)(ctx, values, credential);
    if (kind === 'token' || kind === 'pipeline') {
        await (0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .withClient */ .SV)(leaked(), (c) => c.revokeSelf());
        return { result: 'revoked', message: `${kind === 'pipeline' ? 'pipeline token' : 'token'} ${id} revoked` };
    }
    const who = await (0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .withClient */ .SV)(leaked(), (c) => c.whoami());
    const name = 'name' in who ? who.name : id;
    if (kind === 'agent') {
        if (adminToken) {
            const r = await (0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .withClient */ .SV)((0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .makeClient */ .yu)(ctx, values, adminToken), (c) => c.revokeAgent(name));
            return { result: 'revoked', message: `agent ${name} revoked with its key and ${r.tokensRevoked ?? 0} live token(s)` };
        }
        // The key replaces itself and the new one is dropped: the leaked key stops working now.
        await (0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .withClient */ .SV)(leaked(), (c) => c.rotateAgentKey(name, 0));
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
    await (0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .withClient */ .SV)((0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .makeClient */ .yu)(ctx, values, adminToken), (c) => c.revokeUser(name));
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


/***/ }),

/***/ 1513:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FETCH_DEPTH_FIX: () => (/* binding */ FETCH_DEPTH_FIX),
/* harmony export */   GIT_CONFIG: () => (/* binding */ GIT_CONFIG),
/* harmony export */   assertRangeComplete: () => (/* binding */ assertRangeComplete),
/* harmony export */   assertRepository: () => (/* binding */ assertRepository),
/* harmony export */   git: () => (/* binding */ git),
/* harmony export */   gitStream: () => (/* binding */ gitStream),
/* harmony export */   hasCommit: () => (/* binding */ hasCommit),
/* harmony export */   isShallow: () => (/* binding */ isShallow),
/* harmony export */   lineBatches: () => (/* binding */ lineBatches),
/* harmony export */   repoPrefix: () => (/* binding */ repoPrefix),
/* harmony export */   repositoryUrl: () => (/* binding */ repositoryUrl),
/* harmony export */   resolveCommit: () => (/* binding */ resolveCommit),
/* harmony export */   resolveRange: () => (/* binding */ resolveRange),
/* harmony export */   shallowBoundary: () => (/* binding */ shallowBoundary),
/* harmony export */   shownRev: () => (/* binding */ shownRev),
/* harmony export */   unquotePath: () => (/* binding */ unquotePath),
/* harmony export */   writeTo: () => (/* binding */ writeTo)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4296);
/**
 * Running git for the scanner: short commands whose output is collected, long ones streamed as
 * bytes, and the errors a user can act on. A revision that does not resolve is told apart by
 * cause: a name that is not there (check the spelling), a commit missing from a complete clone
 * (fetch it), or a shallow clone (fetch more history). Only the last one gets the fetch-depth
 * advice, so a typo is never blamed on `actions/checkout`.
 */




/**
 * Options every scanner git command gets: paths unquoted where git allows it (non-ASCII stays
 * raw, control characters stay quoted), and no user configuration that would change the output
 * we parse (an external diff or textconv, colour, signatures, prefixes, relative paths).
 */
const GIT_CONFIG = [
    '-c',
    'core.quotepath=off',
    '-c',
    'color.ui=never',
    '-c',
    'log.showSignature=false',
    '-c',
    'diff.relative=false',
];
function gitMissing(err) {
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `could not run git (${err.message}); install git or scan a directory instead`);
}
/** Runs a short git command and collects its output (UTF-8). */
function git(cwd, args, input) {
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)('git', [...GIT_CONFIG, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        child.on('error', (err) => reject(gitMissing(err)));
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
        child.stdin.on('error', () => { });
        child.stdin.end(input);
    });
}
function gitStream(cwd, args, what, options = {}) {
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)('git', [...GIT_CONFIG, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => {
        if (stderr.length < 4096)
            stderr += d;
    });
    let killed = false;
    const done = new Promise((resolve, reject) => {
        child.on('error', (err) => reject(gitMissing(err)));
        child.on('close', (code, signal) => {
            if (code === 0 || killed)
                resolve();
            else
                reject(new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `${what} failed: ${safeLine(stderr) || `git exited with ${code ?? signal}`}`));
        });
    });
    // Awaited by the caller when it is done reading; marked handled now so that a failure while the
    // caller is still busy elsewhere is not an unhandled rejection.
    done.catch(() => { });
    // A consumer that stopped early closes our end of a pipe: git then exits on EPIPE, which is not an error.
    child.stdin.on('error', () => { });
    if (!options.stdin)
        child.stdin.end();
    return {
        child,
        stdout: child.stdout,
        stdin: child.stdin,
        done,
        kill() {
            killed = true;
            child.kill();
        },
    };
}
/** The first line of git's stderr, without control characters, for a message. */
function safeLine(text) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    return (text.trim().split('\n')[0] ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?').slice(0, 200);
}
/** A revision as a message shows it: no control characters, at most 80 characters. */
function shownRev(rev) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    return rev.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?').slice(0, 80);
}
/** What to do about a shallow clone, for every message that has to say it. */
const FETCH_DEPTH_FIX = 'check out with full history (actions/checkout with `fetch-depth: 0`, or a depth that reaches the base) or run `git fetch --unshallow`';
async function assertRepository(cwd) {
    const top = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
    if (top.code !== 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `${cwd} is not inside a git repository; this mode needs one (or scan the directory as files)`);
    }
}
/** True when the repository is a shallow clone (some commits' parents were not fetched). */
async function isShallow(cwd) {
    const r = await git(cwd, ['rev-parse', '--is-shallow-repository']);
    return r.code === 0 && r.stdout.trim() === 'true';
}
/** The commits at the edge of a shallow clone (their parents are missing); empty for a full clone. */
async function shallowBoundary(cwd) {
    const r = await git(cwd, ['rev-parse', '--git-path', 'shallow']);
    if (r.code !== 0)
        return new Set();
    const file = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(cwd, r.stdout.trim());
    try {
        return new Set((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(file, 'utf8'))
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean));
    }
    catch {
        return new Set();
    }
}
const OBJECT_ID = /^[0-9a-f]{7,64}$/i;
/**
 * Resolves `rev` to a commit id. `which` names it in messages ("base", "head"). Errors say why it
 * failed: not a repository, a name that does not exist, an object that is not a commit, a commit
 * id not in a complete clone, or any of these in a shallow clone (then: fetch more history).
 */
async function resolveCommit(cwd, rev, which) {
    const shown = shownRev(rev);
    if (rev.startsWith('-') || rev.trim() === '') {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `${which} "${shown}" is not a revision; give a branch, tag or commit id`);
    }
    const r = await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    if (r.code === 0)
        return r.stdout.trim();
    await assertRepository(cwd);
    const other = await git(cwd, ['cat-file', '-t', rev]);
    if (other.code === 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `${which} "${shown}" is a ${other.stdout.trim()}, not a commit; give a branch, tag or commit id`);
    }
    if (await isShallow(cwd)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `${which} "${shown}" is not in this clone, which is shallow (it holds only the newest commits); ${FETCH_DEPTH_FIX}`);
    }
    if (OBJECT_ID.test(rev)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `${which} commit "${shown}" is not in this clone (which has full history); check the id, or fetch it (\`git fetch origin ${shown}\`; a commit replaced by a force push may exist nowhere any more). On GitHub Actions, check out with \`fetch-depth: 0\` so every branch is fetched`);
    }
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `${which} "${shown}" is not a branch, tag or commit in this repository; check the name (\`git branch -a\` lists branches; remote ones are named like origin/main)`);
}
/**
 * Fails when a shallow clone cuts into the commits selected by `revs` (for example `^BASE HEAD`):
 * the oldest of them would then look like root commits and their parents' changes like theirs.
 */
async function assertRangeComplete(cwd, revs, shown) {
    const boundary = await shallowBoundary(cwd);
    if (boundary.size === 0)
        return;
    const r = await git(cwd, ['rev-list', ...revs, '--']);
    if (r.code !== 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `git rev-list ${shown} failed: ${safeLine(r.stderr)}`);
    const cut = r.stdout.split('\n').find((sha) => boundary.has(sha.trim()));
    if (cut) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `the clone is shallow and the commits of ${shown} reach past its oldest fetched commit (${cut.slice(0, 12)}), so they cannot all be scanned; ${FETCH_DEPTH_FIX}`);
    }
}
/** The commits a diff compares: merge-base of base and head, and head. Equal when nothing changed. */
async function resolveRange(cwd, base, head) {
    const b = await resolveCommit(cwd, base, 'base');
    const h = await resolveCommit(cwd, head, 'head');
    if (b === h)
        return { from: h, to: h };
    const mb = await git(cwd, ['merge-base', b, h]);
    if (mb.code !== 0) {
        if (await isShallow(cwd)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `no common ancestor of base ${b.slice(0, 12)} and head ${h.slice(0, 12)} in this clone, which is shallow; ${FETCH_DEPTH_FIX}`);
        }
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `base ${b.slice(0, 12)} and head ${h.slice(0, 12)} have no common ancestor (unrelated histories), so there is no merge-base to diff from; scan every commit of head that base lacks with --commits ${shownRev(base)}..${shownRev(head)}`);
    }
    return { from: mb.stdout.trim(), to: h };
}
/**
 * A path as git prints it with core.quotepath=off, read as latin1 (one char per byte): either raw
 * bytes, or a C-style quoted string when it holds control characters, quotes or backslashes.
 * Returns the path decoded as UTF-8.
 */
function unquotePath(p) {
    if (!p.startsWith('"') || !p.endsWith('"') || p.length < 2)
        return Buffer.from(p, 'latin1').toString('utf8');
    const inner = p.slice(1, -1);
    const bytes = [];
    for (let i = 0; i < inner.length; i++) {
        const c = inner.charCodeAt(i);
        if (c !== 92) {
            bytes.push(c & 0xff);
            continue;
        }
        const n = inner[++i] ?? '';
        if (/[0-7]/.test(n)) {
            bytes.push(Number.parseInt(inner.slice(i, i + 3), 8) & 0xff);
            i += 2;
        }
        else
            bytes.push({ n: 10, t: 9, '"': 34, '\\': 92, a: 7, b: 8, f: 12, r: 13, v: 11 }[n] ?? n.charCodeAt(0));
    }
    return Buffer.from(bytes).toString('utf8');
}
/** The directory of `cwd` inside its repository, `/`-terminated ('' at the top). */
async function repoPrefix(cwd) {
    const r = await git(cwd, ['rev-parse', '--show-prefix']);
    if (r.code !== 0) {
        await assertRepository(cwd);
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', `git rev-parse --show-prefix failed: ${safeLine(r.stderr)}`);
    }
    return Buffer.from(r.stdout.replace(/\n$/, ''), 'utf8').toString('utf8');
}

/** Writes to a child's stdin, waiting while its pipe is full (or until it closes). */
async function writeTo(stream, data) {
    if (stream.write(data))
        return;
    await new Promise((resolve) => {
        const done = () => {
            stream.off('drain', done);
            stream.off('close', done);
            stream.off('error', done);
            resolve();
        };
        stream.on('drain', done);
        stream.on('close', done);
        stream.on('error', done);
    });
}
/** A stream's lines (split on LF only, decoded as latin1), a chunk's worth at a time. */
async function* lineBatches(stream) {
    let rest = '';
    for await (const chunk of stream) {
        const lines = (rest + chunk.toString('latin1')).split('\n');
        rest = lines.pop() ?? '';
        if (lines.length > 0)
            yield lines;
    }
    if (rest !== '')
        yield [rest];
}
/**
 * The repository's `origin` as a URL without credentials (for SARIF's versionControlProvenance),
 * or undefined. A remote URL can hold a token (`https://x:TOKEN@host/...`): only scheme, host and
 * path are kept.
 */
async function repositoryUrl(cwd) {
    const r = await git(cwd, ['config', '--get', 'remote.origin.url']);
    if (r.code !== 0)
        return undefined;
    const raw = r.stdout.trim();
    const scp = /^[^@/:]+@([^:/]+):(.+)$/.exec(raw);
    try {
        const url = new URL(scp ? `ssh://${scp[1]}/${scp[2]}` : raw);
        if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol) || url.hostname === '')
            return undefined;
        return `${url.protocol}//${url.host}${url.pathname}`;
    }
    catch {
        return undefined;
    }
}
/** True when `rev` names a commit in this clone. */
async function hasCommit(cwd, rev) {
    if (rev.startsWith('-'))
        return false;
    return (await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).code === 0;
}


/***/ })

};
