export const id = 998;
export const ids = [998,513];
export const modules = {

/***/ 4998:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseRange: () => (/* binding */ parseRange),
/* harmony export */   resolveRange: () => (/* reexport safe */ _git_js__WEBPACK_IMPORTED_MODULE_2__.resolveRange),
/* harmony export */   scanAddedLines: () => (/* binding */ scanAddedLines)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5438);
/* harmony import */ var _git_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1513);
/* harmony import */ var _patch_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(479);
/* harmony import */ var _paths_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4341);
/* harmony import */ var _pool_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1647);
/* harmony import */ var _texts_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4965);
/**
 * Added lines of a change, from local git: `merge-base(BASE, HEAD)..HEAD` for a PR or a range,
 * or the index for a pre-commit hook. Only `+` lines are scanned: a key committed long ago is not
 * this change's fault. (To scan each commit of a range instead of the net change, see commits.ts.)
 *
 * `--text` makes git show every file's lines, so a `.gitattributes` entry marking a file `-diff`
 * or `binary` cannot hide it; genuinely binary content (a NUL in the first 8 KiB of the added
 * bytes, or a binary file extension) is skipped as the file scanner skips it. A file whose added
 * bytes exceed the size cap is skipped and listed as skipped.
 */








/** Parses `A..B` or `A...B` (both mean: what B adds since it left A). */
function parseRange(spec, option = '--diff') {
    const m = /^([^.\s-][^\s]*?)\.\.\.?([^.\s-][^\s]*)$/.exec(spec.trim());
    if (!m) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_input', `${option} expects BASE..HEAD (for example ${option} origin/main..HEAD), got "${spec.slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}"`);
    }
    return { base: m[1], head: m[2] };
}
/** `git diff` options for the added-lines patch; see the module comment. */
const DIFF_ARGS = [
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--text',
    '--unified=0',
    '--relative',
    '-M',
    '--src-prefix=a/',
    '--dst-prefix=b/',
];
/** Scans the lines a change adds. Paths are relative to `cwd` (and limited to it). */
async function scanAddedLines(cwd, spec, options) {
    const stats = (0,_files_js__WEBPACK_IMPORTED_MODULE_1__.emptyStats)();
    const skipped = [];
    const args = [...DIFF_ARGS];
    let head;
    if (spec.kind === 'staged')
        args.push('--cached');
    else {
        const { from, to } = await (0,_git_js__WEBPACK_IMPORTED_MODULE_2__.resolveRange)(cwd, spec.base, spec.head);
        if (from === to)
            return { findings: [], stats, skipped, head: to };
        args.push(from, to);
        head = to;
    }
    const filter = new _paths_js__WEBPACK_IMPORTED_MODULE_4__/* .PathFilter */ .uI(options.exclude);
    const builder = new _texts_js__WEBPACK_IMPORTED_MODULE_6__/* .BatchBuilder */ .e$();
    const parser = new _patch_js__WEBPACK_IMPORTED_MODULE_3__/* .PatchParser */ .U({
        maxBytes: options.maxFileSize,
        classify: (p) => (filter.excluded(p) ? 'excluded' : (0,_paths_js__WEBPACK_IMPORTED_MODULE_4__/* .hasBinaryExtension */ .Tm)(p) ? 'binary' : undefined),
        onFile: (f) => {
            if (f.skipped === 'excluded')
                stats.excluded++;
            else if (f.skipped === 'binary')
                stats.skippedBinary++;
            else if (f.skipped === 'too-large') {
                stats.skippedLarge++;
                skipped.push({ path: f.path, bytes: f.bytes });
            }
            else {
                stats.files++;
                stats.bytes += f.data.length;
                const contiguous = f.numbers[0] === 1 && f.numbers[f.numbers.length - 1] === f.numbers.length;
                builder.add({ id: 0, path: f.path, ...(contiguous ? {} : { lineMap: f.numbers }) }, [f.data]);
            }
        },
    });
    const diff = (0,_git_js__WEBPACK_IMPORTED_MODULE_2__.gitStream)(cwd, [...args, '--'], 'git diff');
    const batches = () => (0,_texts_js__WEBPACK_IMPORTED_MODULE_6__/* .batchesOf */ .cS)(diff.stdout, parser, builder, () => diff.done, () => diff.kill());
    const results = await (0,_pool_js__WEBPACK_IMPORTED_MODULE_5__/* .scanTextBatches */ .n3)(batches(), {
        workers: options.workers ?? (0,_pool_js__WEBPACK_IMPORTED_MODULE_5__/* .defaultGitWorkerCount */ .ZJ)(),
        compiled: options.compiled,
        baselineSalt: options.baselineSalt,
        idKey: (0,_texts_js__WEBPACK_IMPORTED_MODULE_6__/* .newSecretIdKey */ .Rd)(),
        logger: options.logger,
    });
    await diff.done;
    return { findings: results.map((r) => r.finding), stats, skipped, ...(head ? { head } : {}) };
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


/***/ }),

/***/ 479:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ PatchParser),
/* harmony export */   _: () => (/* binding */ COMMIT_FORMAT)
/* harmony export */ });
/* harmony import */ var _git_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1513);
/**
 * A streaming reader of `git diff -U0` / `git log -p -U0 -c` output that keeps only what the
 * scanner needs: per commit, per file, the added lines and their line numbers in the new file.
 *
 * It reads bytes, not text: with `--text` (which the scanner passes so that `.gitattributes`
 * `-diff` or `binary` cannot hide a file) a line may hold any byte, and only `\n` ends a line (a
 * lone `\r` is content). Hunks are counted, so a content line that looks like a header is never
 * read as one. Merge commits come as combined diffs (`-c`): a line is added by the merge itself
 * only when it is new against every parent (`++`); a line that one parent already had came from
 * that parent's commits. Memory per file is bounded by `maxBytes`: past it the file is marked too
 * large and its lines dropped; the first 8 KiB of a file's added bytes holding a NUL marks it
 * binary, as the file scanner does.
 */

/** The line that starts each commit in `git log --format=${COMMIT_FORMAT}` output. */
const COMMIT_FORMAT = '%x01C %H %P';
const COMMIT_MARK = Buffer.from('\x01C ', 'latin1');
const PLUS = 0x2b;
const MINUS = 0x2d;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const AT = 0x40;
const NL = 0x0a;
const BINARY_SNIFF = 8192;
/** Header lines are short; a longer one outside a hunk is not one we need. */
const MAX_HEADER = 1 << 20;
class GrowBuffer {
    buf = Buffer.allocUnsafe(0);
    length = 0;
    append(src, extra) {
        const need = this.length + src.length + (extra === undefined ? 0 : 1);
        if (need > this.buf.length) {
            const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2, 4096));
            this.buf.copy(grown, 0, 0, this.length);
            this.buf = grown;
        }
        this.buf.set(src, this.length);
        this.length += src.length;
        if (extra !== undefined)
            this.buf[this.length++] = extra;
    }
}
class PatchParser {
    options;
    commitIndex = -1;
    file;
    hunk;
    /** Bytes of a line split across chunks. */
    carry = [];
    carryLength = 0;
    /** The current line outgrew what is kept of it; its full length. */
    overflow = -1;
    renameFrom;
    constructor(options) {
        this.options = options;
    }
    write(chunk) {
        let pos = 0;
        while (pos < chunk.length) {
            const nl = chunk.indexOf(NL, pos);
            const end = nl === -1 ? chunk.length : nl;
            if (nl === -1) {
                this.keep(chunk.subarray(pos, end));
                return;
            }
            if (this.carryLength === 0 && this.overflow < 0)
                this.line(chunk.subarray(pos, end), end - pos);
            else {
                this.keep(chunk.subarray(pos, end));
                const full = this.overflow >= 0 ? this.overflow : this.carryLength;
                const line = this.carry.length === 1 ? this.carry[0] : Buffer.concat(this.carry, this.carryLength);
                this.carry = [];
                this.carryLength = 0;
                this.overflow = -1;
                this.line(line, full);
            }
            pos = nl + 1;
        }
    }
    /** Flushes the last file. Call once the stream has ended. */
    end() {
        if (this.carryLength > 0 || this.overflow >= 0) {
            const full = this.overflow >= 0 ? this.overflow : this.carryLength;
            const line = Buffer.concat(this.carry, this.carryLength);
            this.carry = [];
            this.carryLength = 0;
            this.overflow = -1;
            this.line(line, full);
        }
        this.closeFile();
    }
    keep(part) {
        // A line longer than a whole file may be is kept only up to that: its file is too large anyway.
        const limit = this.options.maxBytes + MAX_HEADER;
        if (this.overflow >= 0) {
            this.overflow += part.length;
            return;
        }
        if (this.carryLength + part.length > limit) {
            this.overflow = this.carryLength + part.length;
            return;
        }
        this.carry.push(part);
        this.carryLength += part.length;
    }
    line(line, fullLength) {
        if (this.hunk && this.hunkLine(line, fullLength))
            return;
        if (line.length > MAX_HEADER)
            return;
        const c = line[0];
        if (c === 0x01 && line.subarray(0, COMMIT_MARK.length).equals(COMMIT_MARK)) {
            this.closeFile();
            const [sha = '', ...parents] = line.subarray(COMMIT_MARK.length).toString('latin1').trim().split(' ');
            this.commitIndex++;
            this.options.onCommit?.({ sha, parents: parents.filter(Boolean) }, this.commitIndex);
        }
        else if (c === 0x64 /* d */ && /^diff --(?:git|combined|cc) /.test(line.toString('latin1', 0, 16))) {
            this.closeFile();
        }
        else if (c === PLUS && line[1] === PLUS && line[2] === PLUS && line[3] === SPACE) {
            this.closeFile();
            const target = line.toString('latin1', 4);
            if (target === '/dev/null')
                return;
            let p = (0,_git_js__WEBPACK_IMPORTED_MODULE_0__.unquotePath)(target);
            if (p.startsWith('b/'))
                p = p.slice(2);
            this.file = { path: p, out: new GrowBuffer(), numbers: [], bytes: 0, skipped: this.options.classify?.(p) };
        }
        else if (c === AT && line[1] === AT) {
            this.startHunk(line.toString('latin1'));
        }
        else if (c === 0x72 /* r */) {
            const text = line.toString('latin1');
            if (text.startsWith('rename from '))
                this.renameFrom = (0,_git_js__WEBPACK_IMPORTED_MODULE_0__.unquotePath)(text.slice('rename from '.length));
            else if (text.startsWith('rename to ') && this.renameFrom !== undefined) {
                this.options.onRename?.(this.renameFrom, (0,_git_js__WEBPACK_IMPORTED_MODULE_0__.unquotePath)(text.slice('rename to '.length)), this.commitIndex);
                this.renameFrom = undefined;
            }
        }
    }
    startHunk(header) {
        const m = /^(@{2,}) ((?:-\d+(?:,\d+)? )+)\+(\d+)(?:,(\d+))? @/.exec(header);
        if (!m)
            return;
        const old = m[2]
            .trim()
            .split(' ')
            .map((part) => {
            const comma = part.indexOf(',');
            return comma === -1 ? 1 : Number(part.slice(comma + 1));
        });
        if (old.length !== m[1].length - 1)
            return;
        const newLeft = m[4] === undefined ? 1 : Number(m[4]);
        if (newLeft === 0 && old.every((n) => n === 0))
            return;
        this.hunk = { old, newLeft, next: Number(m[3]) };
    }
    /** One line inside a hunk; false when it is not a hunk line (the hunk ended early). */
    hunkLine(line, fullLength) {
        const h = this.hunk;
        if (line[0] === BACKSLASH)
            return true; // "\ No newline at end of file"
        const n = h.old.length;
        let removed = false;
        let added = true;
        for (let i = 0; i < n; i++) {
            const c = line[i];
            if (c === MINUS)
                removed = true;
            else if (c === PLUS)
                continue;
            else if (c === SPACE)
                added = false;
            else {
                this.hunk = undefined;
                return false;
            }
        }
        if (removed) {
            for (let i = 0; i < n; i++)
                if (line[i] === MINUS)
                    h.old[i]--;
        }
        else {
            for (let i = 0; i < n; i++)
                if (line[i] === SPACE)
                    h.old[i]--;
            h.newLeft--;
            const number = h.next++;
            if (added)
                this.added(line.subarray(n), fullLength - n, number);
        }
        if (h.newLeft <= 0 && h.old.every((left) => left <= 0))
            this.hunk = undefined;
        return true;
    }
    added(content, fullLength, number) {
        const f = this.file;
        if (!f)
            return;
        const before = f.bytes;
        f.bytes += fullLength + 1;
        if (f.skipped)
            return;
        if (f.bytes > this.options.maxBytes || content.length < fullLength) {
            f.skipped = 'too-large';
            f.out = new GrowBuffer();
            f.numbers = [];
            return;
        }
        if (before < BINARY_SNIFF && content.subarray(0, BINARY_SNIFF - before).includes(0)) {
            f.skipped = 'binary';
            f.out = new GrowBuffer();
            f.numbers = [];
            return;
        }
        f.out.append(content, NL);
        f.numbers.push(number);
    }
    closeFile() {
        this.hunk = undefined;
        const f = this.file;
        this.file = undefined;
        if (!f || f.bytes === 0)
            return;
        this.options.onFile({
            commit: this.commitIndex,
            path: f.path,
            data: f.out.buf.subarray(0, f.out.length),
            numbers: f.numbers,
            bytes: f.bytes,
            ...(f.skipped ? { skipped: f.skipped } : {}),
        });
    }
}


/***/ })

};
