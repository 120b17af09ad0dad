export const id = 703;
export const ids = [703,0];
export const modules = {

/***/ 7000:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   addedLines: () => (/* binding */ addedLines),
/* harmony export */   parseRange: () => (/* binding */ parseRange),
/* harmony export */   resolveRange: () => (/* binding */ resolveRange)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_readline__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(481);
/* harmony import */ var node_readline__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_readline__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7406);
/**
 * Added lines of a change, from local git: `merge-base(BASE, HEAD)..HEAD` for a PR or a range,
 * or the index for a pre-commit hook. Only `+` lines are scanned: a key committed long ago is not
 * this change's fault.
 */



function git(cwd, args) {
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        child.on('error', (err) => reject(new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('invalid_input', `could not run git (${err.message}); install git or scan a directory instead of a diff`)));
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
}
/** Parses `A..B` or `A...B` (both mean: what B adds since it left A). */
function parseRange(spec) {
    const m = /^([^.\s][^\s]*?)\.\.\.?([^.\s][^\s]*)$/.exec(spec.trim());
    if (!m) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('invalid_input', `--diff expects BASE..HEAD (for example --diff origin/main..HEAD), got "${spec.slice(0, 80)}"`);
    }
    return { base: m[1], head: m[2] };
}
const SHALLOW_HINT = 'the clone is probably shallow: check out with full history (actions/checkout with `fetch-depth: 0`) or run `git fetch --unshallow`';
async function resolveCommit(cwd, rev, which) {
    const r = await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    if (r.code !== 0) {
        const top = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
        if (top.code !== 0) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('invalid_input', `${cwd} is not inside a git repository; diff mode needs one (or scan the directory without --diff)`);
        }
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('invalid_input', `${which} commit "${rev.slice(0, 80)}" is not in this clone; ${SHALLOW_HINT}`);
    }
    return r.stdout.trim();
}
/** The commits a range scan compares: merge-base of base and head, and head. Equal when nothing changed. */
async function resolveRange(cwd, base, head) {
    const b = await resolveCommit(cwd, base, 'base');
    const h = await resolveCommit(cwd, head, 'head');
    if (b === h)
        return { from: h, to: h };
    const mb = await git(cwd, ['merge-base', b, h]);
    if (mb.code !== 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('invalid_input', `no common ancestor of base ${b.slice(0, 12)} and head ${h.slice(0, 12)} in this clone; ${SHALLOW_HINT}`);
    }
    return { from: mb.stdout.trim(), to: h };
}
function unquote(p) {
    if (!p.startsWith('"'))
        return p;
    const inner = p.slice(1, -1);
    const bytes = [];
    for (let i = 0; i < inner.length; i++) {
        const c = inner[i];
        if (c !== '\\') {
            bytes.push(...Buffer.from(c, 'utf8'));
            continue;
        }
        const n = inner[++i];
        if (/[0-7]/.test(n)) {
            bytes.push(parseInt(inner.slice(i, i + 3), 8));
            i += 2;
        }
        else
            bytes.push({ n: 10, t: 9, '"': 34, '\\': 92, a: 7, b: 8, f: 12, r: 13, v: 11 }[n] ?? n.charCodeAt(0));
    }
    return Buffer.from(bytes).toString('utf8');
}
/** Runs `git diff -U0` and collects the added lines per file (paths relative to `cwd`). */
async function addedLines(cwd, spec) {
    const args = [
        '-c',
        'core.quotepath=off',
        'diff',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        '--unified=0',
        '--relative',
        '-M',
        '--src-prefix=a/',
        '--dst-prefix=b/',
    ];
    if (spec.kind === 'staged')
        args.push('--cached');
    else {
        const { from, to } = await resolveRange(cwd, spec.base, spec.head);
        if (from === to)
            return [];
        args.push(from, to);
    }
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => resolve(code ?? 1));
    });
    const files = [];
    let current;
    let next = 0;
    const rl = (0,node_readline__WEBPACK_IMPORTED_MODULE_1__.createInterface)({ input: child.stdout.setEncoding('utf8'), crlfDelay: Infinity });
    let remaining = 0;
    for await (const line of rl) {
        // Inside a hunk, count added lines so a content line like "++ x" is not read as a header.
        if (remaining > 0 && line.startsWith('+')) {
            if (current) {
                current.numbers.push(next);
                current.lines.push(line.slice(1));
            }
            next++;
            remaining--;
            continue;
        }
        if (remaining > 0 && (line.startsWith('-') || line.startsWith('\\')))
            continue;
        if (line.startsWith('+++ ')) {
            const target = line.slice(4);
            current = undefined;
            if (target !== '/dev/null') {
                const p = unquote(target);
                current = { path: p.startsWith('b/') ? p.slice(2) : p, numbers: [], lines: [] };
                files.push(current);
            }
        }
        else if (line.startsWith('@@')) {
            const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
            next = m ? Number(m[1]) : 0;
            remaining = m ? Number(m[2] ?? '1') : 0;
        }
        else if (line.startsWith('diff --git ')) {
            current = undefined;
            remaining = 0;
        }
    }
    const code = await exited;
    if (code !== 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('invalid_input', `git diff failed: ${stderr.trim().split('\n')[0]?.slice(0, 200) ?? ''}`);
    }
    return files.filter((f) => f.lines.length > 0);
}


/***/ }),

/***/ 7703:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_MAX_FILE_SIZE: () => (/* binding */ DEFAULT_MAX_FILE_SIZE),
/* harmony export */   scanDiff: () => (/* binding */ scanDiff),
/* harmony export */   scanString: () => (/* binding */ scanString),
/* harmony export */   scanTree: () => (/* binding */ scanTree),
/* harmony export */   sortFindings: () => (/* binding */ sortFindings)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _diff_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7000);
/* harmony import */ var _engine_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8035);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7844);
/* harmony import */ var _fingerprint_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3963);
/* harmony import */ var _paths_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3271);
/* harmony import */ var _pool_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5713);
/* harmony import */ var _scan_text_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9740);
/**
 * The scanner's public surface: scan a tree, a diff or a string; every mode returns findings with
 * redacted previews and paths relative to the scanned directory.
 */








const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
/** Below this many files a tree is scanned on the main thread: starting workers costs more. */
const WORKER_MIN_FILES = 400;
const BATCH_FILES = 48;
function sortFindings(findings) {
    return findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
}
/** Sorts and sets the report fingerprints (they number a file's findings in order). */
function finish(findings) {
    return (0,_fingerprint_js__WEBPACK_IMPORTED_MODULE_4__/* .assignFingerprints */ .Dz)(sortFindings(findings));
}
/** Scans every file under `root` (or the single file `root`). */
async function scanTree(root, options = {}) {
    const compiled = options.compiled ?? (0,_engine_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultRules */ .Z4)();
    const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    const fileOptions = { compiled, maxFileSize, baselineSalt: options.baselineSalt };
    const filter = new _paths_js__WEBPACK_IMPORTED_MODULE_5__/* .PathFilter */ .uI(options.exclude);
    const stats = (0,_files_js__WEBPACK_IMPORTED_MODULE_3__.emptyStats)();
    const { stat } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 23));
    const st = await stat(root);
    if (st.isFile()) {
        const rel = (options.pathPrefix ?? '') + node_path__WEBPACK_IMPORTED_MODULE_0___default().basename(root);
        const findings = await (0,_files_js__WEBPACK_IMPORTED_MODULE_3__.scanFile)({ abs: root, rel }, fileOptions, stats);
        return { findings: finish(findings), stats };
    }
    const workers = options.workers ?? ((0,_pool_js__WEBPACK_IMPORTED_MODULE_6__/* .scanWorkersAvailable */ .GF)() ? (0,_pool_js__WEBPACK_IMPORTED_MODULE_6__/* .defaultWorkerCount */ .Zx)() : 1);
    const files = (0,_files_js__WEBPACK_IMPORTED_MODULE_3__.walk)(root, filter, stats, options.pathPrefix ?? '');
    if (workers > 1 && (0,_pool_js__WEBPACK_IMPORTED_MODULE_6__/* .scanWorkersAvailable */ .GF)() && !options.compiled) {
        // Peek at the first files: small trees stay on the main thread.
        // Pull with next(): breaking out of for-await would close the walk.
        const head = [];
        while (head.length < WORKER_MIN_FILES) {
            const next = await files.next();
            if (next.done)
                break;
            head.push(next.value);
        }
        if (head.length >= WORKER_MIN_FILES) {
            async function* batches() {
                for (let i = 0; i < head.length; i += BATCH_FILES)
                    yield head.slice(i, i + BATCH_FILES);
                let batch = [];
                for (let next = await files.next(); !next.done; next = await files.next()) {
                    batch.push(next.value);
                    if (batch.length >= BATCH_FILES) {
                        yield batch;
                        batch = [];
                    }
                }
                if (batch.length > 0)
                    yield batch;
            }
            options.logger?.info(`Scanning on ${workers} worker threads.`);
            const result = await (0,_pool_js__WEBPACK_IMPORTED_MODULE_6__/* .scanOnWorkers */ .An)(batches(), workers, maxFileSize, options.baselineSalt);
            (0,_files_js__WEBPACK_IMPORTED_MODULE_3__.addStats)(stats, result.stats);
            return { findings: finish(result.findings), stats };
        }
        const findings = [];
        for (const f of head)
            findings.push(...(await (0,_files_js__WEBPACK_IMPORTED_MODULE_3__.scanFile)(f, fileOptions, stats)));
        return { findings: finish(findings), stats };
    }
    const findings = [];
    for await (const f of files)
        findings.push(...(await (0,_files_js__WEBPACK_IMPORTED_MODULE_3__.scanFile)(f, fileOptions, stats)));
    return { findings: finish(findings), stats };
}
/** Scans only the lines a change adds. Paths are relative to `cwd`. */
async function scanDiff(cwd, spec, options = {}) {
    const compiled = options.compiled ?? (0,_engine_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultRules */ .Z4)();
    const filter = new _paths_js__WEBPACK_IMPORTED_MODULE_5__/* .PathFilter */ .uI(options.exclude);
    const stats = (0,_files_js__WEBPACK_IMPORTED_MODULE_3__.emptyStats)();
    const findings = [];
    for (const file of await (0,_diff_js__WEBPACK_IMPORTED_MODULE_1__.addedLines)(cwd, spec)) {
        if (filter.excluded(file.path)) {
            stats.excluded++;
            continue;
        }
        if ((0,_paths_js__WEBPACK_IMPORTED_MODULE_5__/* .hasBinaryExtension */ .Tm)(file.path)) {
            stats.skippedBinary++;
            continue;
        }
        const text = file.lines.join('\n');
        stats.files++;
        stats.bytes += Buffer.byteLength(text);
        findings.push(...(0,_scan_text_js__WEBPACK_IMPORTED_MODULE_7__/* .scanText */ .Ff)(text, { path: file.path, compiled, lineMap: file.numbers, baselineSalt: options.baselineSalt }));
    }
    return { findings: finish(findings), stats };
}
/** Scans a string (stdin); `name` is the path shown in reports. */
function scanString(text, name, options = {}) {
    const compiled = options.compiled ?? (0,_engine_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultRules */ .Z4)();
    const stats = (0,_files_js__WEBPACK_IMPORTED_MODULE_3__.emptyStats)();
    stats.files = 1;
    stats.bytes = Buffer.byteLength(text);
    return { findings: finish((0,_scan_text_js__WEBPACK_IMPORTED_MODULE_7__/* .scanText */ .Ff)(text, { path: name, compiled, baselineSalt: options.baselineSalt })), stats };
}


/***/ })

};
