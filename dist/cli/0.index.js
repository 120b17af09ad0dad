export const id = 0;
export const ids = [0];
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


/***/ })

};
