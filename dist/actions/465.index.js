export const id = 465;
export const ids = [465];
export const modules = {

/***/ 7434:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LF: () => (/* binding */ inputField),
/* harmony export */   hQ: () => (/* binding */ booleanField)
/* harmony export */ });
/* unused harmony export parseBooleanInput */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5835);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3412);
/** Reading action inputs, the same way in every action. */

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
/**
 * Parses a boolean input spelled as the YAML 1.2 core schema spells booleans, the set
 * `core.getBooleanInput` accepts too: `true`, `True`, `TRUE`, `false`, `False`, `FALSE`. An empty
 * value (the input left out and no default in action.yml) gives `fallback`.
 *
 * @throws Error naming the input, when the value is anything else (`yes`, `1`, `on`...)
 */
function parseBooleanInput(name, value, fallback) {
    const text = value.trim();
    if (text === '')
        return fallback;
    if (TRUE.includes(text))
        return true;
    if (FALSE.includes(text))
        return false;
    throw new Error(`Input "${name}" must be true or false, not ${JSON.stringify(text.slice(0, 40))}.`);
}
/**
 * A zod field for the input `name` that runs `parse` on its text. An error thrown by `parse`
 * becomes an issue on that input whose message names it, so one failed parse can report every
 * bad input at once.
 */
function inputField(name, parse) {
    return zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().transform((value, ctx) => {
        try {
            return parse(value);
        }
        catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            ctx.addIssue({ code: 'custom', message: message.startsWith('Input ') ? message : `Input "${name}": ${message}`, path: [name] });
            return zod__WEBPACK_IMPORTED_MODULE_1__/* .NEVER */ .tm;
        }
    });
}
/** The zod field of a boolean input; see parseBooleanInput. */
const booleanField = (name, fallback) => inputField(name, (value) => parseBooleanInput(name, value, fallback));


/***/ }),

/***/ 5851:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ actionsLogger)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2405);

/**
 * The Logger an action hands to domain code (the scanner, the client...): lines go to the job log
 * through @actions/core, so warnings and errors also become annotations, and debug lines show only
 * when the run has step debug logging on.
 */
const actionsLogger = {
    debug: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message),
    info: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(message),
    warning: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(message),
    error: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(message),
};


/***/ }),

/***/ 7058:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ markdownCode),
/* harmony export */   F: () => (/* binding */ escapeMarkdown)
/* harmony export */ });
/* harmony import */ var _core_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1542);
/**
 * Text for job summaries and pull request comments, which GitHub renders as GitHub-flavoured
 * Markdown with HTML allowed: a path, rule id or token id put there unescaped could open a tag,
 * a link or a table column of its own.
 */

const MARKUP = /[&<>"'`|\\*_[\]~]/g;
/**
 * Escapes `text` so that GitHub shows it literally and on one line wherever a summary or comment
 * puts it: a Markdown table cell, an HTML table cell, a `<code>` element. Every character that HTML
 * or Markdown could read as markup (`& < > " ' ` | \ * _ [ ] ~`) becomes a numeric character
 * reference, which renders as the character itself. Each run of line breaks becomes one space: a
 * line break ends a Markdown table row, and a blank line ends an HTML block, after which Markdown
 * is live again. Other control characters and direction overrides become `?` (see shownText): a
 * file name could otherwise reorder how its table row reads.
 */
function escapeMarkdown(text) {
    return (0,_core_text_js__WEBPACK_IMPORTED_MODULE_0__/* .shownText */ .f$)(text.replace(/[\r\n]+/g, ' ')).replace(MARKUP, (c) => `&#${c.charCodeAt(0)};`);
}
/** `text` escaped (see escapeMarkdown) in a `<code>` element, which shows it monospaced but escapes nothing itself. */
function markdownCode(text) {
    return `<code>${escapeMarkdown(text)}</code>`;
}


/***/ }),

/***/ 1465:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ../main/node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(2405);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(7406);
// EXTERNAL MODULE: ../main/node_modules/zod/v4/classic/schemas.js + 7 modules
var schemas = __webpack_require__(5835);
// EXTERNAL MODULE: ./src/scan/fingerprint.ts
var fingerprint = __webpack_require__(3963);
;// CONCATENATED MODULE: ./src/scan/baseline.ts
/**
 * Baseline files let an existing repository adopt the check without fixing history first. A file
 * holds a random salt and one key per known finding: scrypt(salt, rule, path, secret), see
 * fingerprint.ts. Keys survive line moves and edits elsewhere in the file, never suppress a
 * different secret, hold no secret, and cost an offline guesser one scrypt per guess per file (the
 * salt differs between files, so no work carries over from one baseline to the next).
 *
 * A baseline only works for a scan run with its salt: read it first, then pass `salt` as
 * `baselineSalt` to the scan; to write one, pass `newBaselineSalt()` and then the same salt here.
 */





const BASELINE_VERSION = 2;
const baselineSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(BASELINE_VERSION),
    kdf: schemas/* literal */.euz(fingerprint/* BASELINE_KDF_ID */.Qo),
    salt: schemas/* string */.YjP().regex(fingerprint/* BASELINE_SALT_PATTERN */.kE),
    findings: schemas/* array */.YOg(schemas/* object */.Ikc({
        fingerprint: schemas/* string */.YjP().regex(/^[a-f0-9]{64}$/),
        ruleId: schemas/* string */.YjP(),
        path: schemas/* string */.YjP(),
    })),
});
function keyOf(f) {
    // A programming error, not a user one: the scan was not given the baseline's salt.
    if (f.baselineKey === undefined)
        throw new Error('finding has no baseline key: scan with options.baselineSalt');
    return f.baselineKey;
}
/** The baseline of `findings`, which must come from a scan run with `baselineSalt: salt`. */
function baselineFrom(findings, salt = newBaselineSalt()) {
    if (!BASELINE_SALT_PATTERN.test(salt))
        throw new Error('baseline salt must be 16 bytes of hex');
    const seen = new Map();
    for (const f of findings)
        seen.set(keyOf(f), { fingerprint: keyOf(f), ruleId: f.ruleId, path: f.path });
    const entries = [...seen.values()].sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
    return { version: BASELINE_VERSION, kdf: BASELINE_KDF_ID, salt, findings: entries };
}
async function writeBaseline(file, findings, salt) {
    await writeFile(file, `${JSON.stringify(baselineFrom(findings, salt), null, 2)}\n`);
}
/** Reads a baseline; `shown` is the path as the user wrote it, for messages. */
async function readBaseline(file, shown = file) {
    const regenerate = `regenerate it with \`ass scan --write-baseline ${shown}\``;
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch {
        throw new errors/* AppError */.uV('invalid_input', `baseline file ${shown} cannot be read; create it with \`ass scan --write-baseline ${shown}\``);
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw new errors/* AppError */.uV('invalid_input', `baseline file ${shown} is not JSON; ${regenerate}`);
    }
    const version = typeof json === 'object' && json !== null ? json.version : undefined;
    if (version === 1) {
        // Version 1 held sha256(rule, path, secret): fast and unsalted, so weak secrets could be guessed
        // from it. Accepting it would keep that file in use; refuse, and say how to replace it.
        throw new errors/* AppError */.uV('invalid_input', `baseline file ${shown} has the old version 1 format, whose unsalted sha256 fingerprints let anyone who can read the file test guesses of the secrets; ${regenerate} (it records every current finding: review \`ass scan\` first) and commit the new file`);
    }
    const parsed = baselineSchema.safeParse(json);
    if (!parsed.success) {
        throw new errors/* AppError */.uV('invalid_input', `baseline file ${shown} is not an ass scan baseline (version ${BASELINE_VERSION}, ${fingerprint/* BASELINE_KDF_ID */.Qo}); ${regenerate}`);
    }
    return parsed.data;
}
/**
 * Splits findings into new ones and baselined ones, and lists baseline entries no longer seen.
 * `findings` must come from a scan run with `baselineSalt: baseline.salt`.
 */
function applyBaseline(findings, baseline) {
    const known = new Set(baseline.findings.map((e) => e.fingerprint));
    const used = new Set();
    const kept = [];
    for (const f of findings) {
        const key = keyOf(f);
        if (known.has(key))
            used.add(key);
        else
            kept.push(f);
    }
    return {
        findings: kept,
        suppressed: findings.length - kept.length,
        unused: baseline.findings.filter((e) => !used.has(e.fingerprint)),
    };
}

// EXTERNAL MODULE: ./src/core/text.ts
var core_text = __webpack_require__(1542);
// EXTERNAL MODULE: ./src/scan/rules.ts + 1 modules
var scan_rules = __webpack_require__(2595);
;// CONCATENATED MODULE: ./src/scan/formats.ts


const FORMATS = (/* unused pure expression or super */ null && (['text', 'json', 'sarif']));
const TOOL_NAME = 'ass-scan';
const TOOL_VERSION = '0.1.0';
const TOOL_URI = 'https://github.com/agent-secret-store/agent-secret-store/blob/main/docs/scan.md';
/**
 * Replaces control characters, separators and direction overrides with `?`, so a crafted file name
 * or file cannot drive the terminal or reorder what it shows (see shownText).
 */
function safeText(s) {
    return (0,core_text/* shownText */.f$)(s);
}
function formatText(report) {
    const lines = [];
    for (const f of report.findings) {
        // Every field, not only those that come from the file today: a line is one finding.
        lines.push(`${safeText(f.path)}:${f.line}:${f.column}: ${safeText(f.severity)} ${safeText(f.ruleId)}: ${safeText(f.description)} [${safeText(f.preview)}]`);
    }
    const { stats } = report;
    const mb = (stats.bytes / 1e6).toFixed(1);
    const files = new Set(report.findings.map((f) => f.path)).size;
    const baselined = report.baselined ? `, ${report.baselined} baselined` : '';
    const scanned = `${stats.files} file${stats.files === 1 ? '' : 's'}, ${mb} MB scanned${baselined}`;
    lines.push(report.findings.length === 0
        ? `No secrets found (${scanned}).`
        : `${report.findings.length} secret${report.findings.length === 1 ? '' : 's'} found in ${files} file${files === 1 ? '' : 's'} (${scanned}).`);
    return `${lines.join('\n')}\n`;
}
function formatJson(report) {
    return `${jsonText({
        version: 1,
        tool: { name: TOOL_NAME, version: TOOL_VERSION },
        findings: report.findings.map((f) => ({
            ruleId: f.ruleId,
            description: f.description,
            provider: f.provider,
            severity: f.severity,
            path: f.path,
            line: f.line,
            column: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
            preview: f.preview,
            fingerprint: f.fingerprint,
        })),
        stats: { ...report.stats, baselined: report.baselined ?? 0 },
    })}\n`;
}
const SARIF_LEVEL = {
    critical: 'error',
    high: 'error',
    medium: 'warning',
    low: 'note',
};
/** GitHub code scanning reads `security-severity` (0-10) to rank alerts. */
const SECURITY_SEVERITY = { critical: '9.5', high: '8.0', medium: '6.0', low: '3.0' };
function sarifRule(rule) {
    return {
        id: rule.id,
        name: rule.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c) => c.toUpperCase()),
        shortDescription: { text: rule.description },
        fullDescription: { text: `${rule.description} (${rule.provider}).` },
        help: {
            text: `Remove the credential from the code, rotate it at ${rule.provider}, and load it at run time (for example from Agent Secret Store). If it is not a secret, add an inline "ass:allow" comment or a baseline entry.`,
        },
        helpUri: TOOL_URI,
        defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
        properties: {
            tags: ['security', 'secret', rule.provider],
            precision: rule.checksum ? 'very-high' : rule.generic ? 'medium' : 'high',
            'security-severity': SECURITY_SEVERITY[rule.severity],
        },
    };
}
/** SARIF 2.1.0 as GitHub code scanning accepts it; URIs relative to the scanned directory. */
function buildSarif(report, rules = scan_rules/* RULES */.y) {
    const index = new Map(rules.map((r, i) => [r.id, i]));
    return {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: TOOL_NAME,
                        version: TOOL_VERSION,
                        semanticVersion: TOOL_VERSION,
                        informationUri: TOOL_URI,
                        rules: rules.map(sarifRule),
                    },
                },
                originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The scanned directory.' } } },
                results: report.findings.map((f) => ({
                    ruleId: f.ruleId,
                    ruleIndex: index.get(f.ruleId) ?? 0,
                    level: SARIF_LEVEL[f.severity],
                    message: { text: `${f.description}: ${f.preview}` },
                    locations: [
                        {
                            physicalLocation: {
                                artifactLocation: { uri: encodeURI(f.path), uriBaseId: '%SRCROOT%' },
                                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
                            },
                        },
                    ],
                    // Derived from rule, path, preview and occurrence index, never from the secret. Setting
                    // primaryLocationLineHash too keeps upload-sarif from adding its own: a fast rolling hash
                    // of the line text, secret included.
                    partialFingerprints: { 'assFinding/v2': f.fingerprint, primaryLocationLineHash: f.fingerprint },
                })),
                columnKind: 'utf16CodeUnits',
            },
        ],
    };
}
function formatSarif(report) {
    return `${jsonText(buildSarif(report))}\n`;
}
/** Pretty JSON that a terminal can show safely (C1 controls and direction overrides escaped). */
function jsonText(value) {
    return (0,core_text/* escapeUnshowableJson */.Eo)(JSON.stringify(value, null, 2));
}
function formatReport(format, report) {
    switch (format) {
        case 'json':
            return formatJson(report);
        case 'sarif':
            return formatSarif(report);
        default:
            return formatText(report);
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(481);
;// CONCATENATED MODULE: ./src/scan/diff.ts
/**
 * Added lines of a change, from local git: `merge-base(BASE, HEAD)..HEAD` for a PR or a range,
 * or the index for a pre-commit hook. Only `+` lines are scanned: a key committed long ago is not
 * this change's fault.
 */



function git(cwd, args) {
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        child.on('error', (err) => reject(new errors/* AppError */.uV('invalid_input', `could not run git (${err.message}); install git or scan a directory instead of a diff`)));
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
}
/** Parses `A..B` or `A...B` (both mean: what B adds since it left A). */
function parseRange(spec) {
    const m = /^([^.\s][^\s]*?)\.\.\.?([^.\s][^\s]*)$/.exec(spec.trim());
    if (!m) {
        throw new AppError('invalid_input', `--diff expects BASE..HEAD (for example --diff origin/main..HEAD), got "${spec.slice(0, 80)}"`);
    }
    return { base: m[1], head: m[2] };
}
const SHALLOW_HINT = 'the clone is probably shallow: check out with full history (actions/checkout with `fetch-depth: 0`) or run `git fetch --unshallow`';
async function resolveCommit(cwd, rev, which) {
    const r = await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    if (r.code !== 0) {
        const top = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
        if (top.code !== 0) {
            throw new errors/* AppError */.uV('invalid_input', `${cwd} is not inside a git repository; diff mode needs one (or scan the directory without --diff)`);
        }
        throw new errors/* AppError */.uV('invalid_input', `${which} commit "${rev.slice(0, 80)}" is not in this clone; ${SHALLOW_HINT}`);
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
        throw new errors/* AppError */.uV('invalid_input', `no common ancestor of base ${b.slice(0, 12)} and head ${h.slice(0, 12)} in this clone; ${SHALLOW_HINT}`);
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
    const child = (0,external_node_child_process_.spawn)('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => resolve(code ?? 1));
    });
    const files = [];
    let current;
    let next = 0;
    const rl = (0,external_node_readline_.createInterface)({ input: child.stdout.setEncoding('utf8'), crlfDelay: Infinity });
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
        throw new errors/* AppError */.uV('invalid_input', `git diff failed: ${stderr.trim().split('\n')[0]?.slice(0, 200) ?? ''}`);
    }
    return files.filter((f) => f.lines.length > 0);
}

// EXTERNAL MODULE: ./src/scan/engine.ts + 2 modules
var engine = __webpack_require__(8035);
// EXTERNAL MODULE: ./src/scan/files.ts
var scan_files = __webpack_require__(7844);
// EXTERNAL MODULE: ./src/scan/paths.ts
var paths = __webpack_require__(3271);
// EXTERNAL MODULE: ./src/scan/pool.ts
var pool = __webpack_require__(4745);
// EXTERNAL MODULE: ./src/scan/scan-text.ts
var scan_text = __webpack_require__(9740);
;// CONCATENATED MODULE: ./src/scan/index.ts
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
    return (0,fingerprint/* assignFingerprints */.Dz)(sortFindings(findings));
}
/** Scans every file under `root` (or the single file `root`). */
async function scanTree(root, options = {}) {
    const compiled = options.compiled ?? (0,engine/* defaultRules */.Z4)();
    const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    const fileOptions = { compiled, maxFileSize, baselineSalt: options.baselineSalt };
    const filter = new paths/* PathFilter */.uI(options.exclude);
    const stats = (0,scan_files/* emptyStats */.bD)();
    const { stat } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 23));
    const st = await stat(root);
    if (st.isFile()) {
        const rel = (options.pathPrefix ?? '') + external_node_path_default().basename(root);
        const findings = await (0,scan_files/* scanFile */.WN)({ abs: root, rel }, fileOptions, stats);
        return { findings: finish(findings), stats };
    }
    const workers = options.workers ?? ((0,pool.scanWorkersAvailable)() ? (0,pool.defaultWorkerCount)() : 1);
    const files = (0,scan_files/* walk */.GG)(root, filter, stats, options.pathPrefix ?? '');
    if (workers > 1 && (0,pool.scanWorkersAvailable)() && !options.compiled) {
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
            const result = await (0,pool.scanOnWorkers)(batches(), workers, maxFileSize, options.baselineSalt);
            (0,scan_files/* addStats */.FD)(stats, result.stats);
            return { findings: finish(result.findings), stats };
        }
        const findings = [];
        for (const f of head)
            findings.push(...(await (0,scan_files/* scanFile */.WN)(f, fileOptions, stats)));
        return { findings: finish(findings), stats };
    }
    const findings = [];
    for await (const f of files)
        findings.push(...(await (0,scan_files/* scanFile */.WN)(f, fileOptions, stats)));
    return { findings: finish(findings), stats };
}
/** Scans only the lines a change adds. Paths are relative to `cwd`. */
async function scanDiff(cwd, spec, options = {}) {
    const compiled = options.compiled ?? (0,engine/* defaultRules */.Z4)();
    const filter = new paths/* PathFilter */.uI(options.exclude);
    const stats = (0,scan_files/* emptyStats */.bD)();
    const findings = [];
    for (const file of await addedLines(cwd, spec)) {
        if (filter.excluded(file.path)) {
            stats.excluded++;
            continue;
        }
        if ((0,paths/* hasBinaryExtension */.Tm)(file.path)) {
            stats.skippedBinary++;
            continue;
        }
        const text = file.lines.join('\n');
        stats.files++;
        stats.bytes += Buffer.byteLength(text);
        findings.push(...(0,scan_text/* scanText */.Ff)(text, { path: file.path, compiled, lineMap: file.numbers, baselineSalt: options.baselineSalt }));
    }
    return { findings: finish(findings), stats };
}
/** Scans a string (stdin); `name` is the path shown in reports. */
function scanString(text, name, options = {}) {
    const compiled = options.compiled ?? defaultRules();
    const stats = emptyStats();
    stats.files = 1;
    stats.bytes = Buffer.byteLength(text);
    return { findings: finish(scanText(text, { path: name, compiled, baselineSalt: options.baselineSalt })), stats };
}

// EXTERNAL MODULE: ./src/actions/common/logger.ts
var logger = __webpack_require__(5851);
// EXTERNAL MODULE: ./src/actions/common/inputs.ts
var inputs = __webpack_require__(7434);
;// CONCATENATED MODULE: ./src/actions/scan/config.ts
/** The scan action's inputs, read once and validated. */




const INPUT = {
    path: 'path',
    mode: 'mode',
    base: 'base',
    head: 'head',
    exclude: 'exclude',
    baseline: 'baseline',
    failOnFindings: 'fail-on-findings',
    sarifFile: 'sarif-file',
    comment: 'comment',
    githubToken: 'github-token',
    workers: 'workers',
};
const OUTPUT = {
    findingsCount: 'findings-count',
    sarifFile: 'sarif-file',
    mode: 'mode',
};
const schema = schemas/* object */.Ikc({
    path: schemas/* string */.YjP(),
    mode: schemas/* enum */.k5n(['auto', 'diff', 'tree'], { message: 'Input "mode" must be auto, diff or tree.' }),
    base: schemas/* string */.YjP(),
    head: schemas/* string */.YjP(),
    exclude: schemas/* array */.YOg(schemas/* string */.YjP()),
    baseline: schemas/* string */.YjP(),
    failOnFindings: (0,inputs/* booleanField */.hQ)(INPUT.failOnFindings, true),
    sarifFile: schemas/* string */.YjP(),
    comment: (0,inputs/* booleanField */.hQ)(INPUT.comment, false),
    githubToken: schemas/* string */.YjP(),
    workers: schemas/* string */.YjP().regex(/^(?:\d{1,2})?$/, { message: 'Input "workers" must be a whole number.' }),
});
function readConfig() {
    const raw = {
        path: core/* getInput */.V4(INPUT.path) || '.',
        mode: (core/* getInput */.V4(INPUT.mode) || 'auto').toLowerCase(),
        base: core/* getInput */.V4(INPUT.base),
        head: core/* getInput */.V4(INPUT.head),
        exclude: core/* getMultilineInput */.q3(INPUT.exclude),
        baseline: core/* getInput */.V4(INPUT.baseline),
        failOnFindings: core/* getInput */.V4(INPUT.failOnFindings),
        sarifFile: core/* getInput */.V4(INPUT.sarifFile),
        comment: core/* getInput */.V4(INPUT.comment),
        githubToken: core/* getInput */.V4(INPUT.githubToken),
        workers: core/* getInput */.V4(INPUT.workers),
    };
    if (raw.githubToken)
        core/* setSecret */.Pq(raw.githubToken);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
        throw new errors/* AppError */.uV('invalid_input', parsed.error.issues.map((i) => i.message).join(' '));
    }
    const c = parsed.data;
    return { ...c, workers: c.workers === '' ? undefined : Number(c.workers) };
}

// EXTERNAL MODULE: ./src/actions/common/markdown.ts
var markdown = __webpack_require__(7058);
;// CONCATENATED MODULE: ./src/actions/scan/report.ts

const COMMENT_MARKER = '<!-- ass-scan:pr-comment -->';
const MAX_ROWS = 50;
function findingsTable(findings) {
    const rows = findings
        .slice(0, MAX_ROWS)
        .map((f) => `| ${(0,markdown/* escapeMarkdown */.F)(f.path)} | ${f.line} | ${(0,markdown/* escapeMarkdown */.F)(f.ruleId)} | ${(0,markdown/* escapeMarkdown */.F)(f.severity)} | <code>${(0,markdown/* escapeMarkdown */.F)(f.preview)}</code> |`);
    const more = findings.length > MAX_ROWS ? `\n\n…and ${findings.length - MAX_ROWS} more (see the SARIF report).` : '';
    return `| File | Line | Rule | Severity | Preview |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}${more}`;
}
function summaryMarkdown(findings, mode, baselined) {
    const scope = mode === 'diff' ? 'lines added by this pull request' : 'the whole tree';
    const base = baselined > 0 ? ` (${baselined} known finding${baselined === 1 ? '' : 's'} in the baseline not shown)` : '';
    if (findings.length === 0)
        return `## Secret scan\n\nNo secrets found in ${scope}${base}.\n`;
    return `## Secret scan\n\n${findings.length} possible secret${findings.length === 1 ? '' : 's'} in ${scope}${base}.\n\n${findingsTable(findings)}\n\nRemove each credential, rotate it with its provider, and load it at run time instead. A false positive can be silenced with an \`ass:allow\` comment on the line or a baseline entry.\n`;
}
function commentBody(findings, baselined) {
    return `${COMMENT_MARKER}\n${summaryMarkdown(findings, 'diff', baselined)}`;
}
function annotationMessage(f) {
    return `${f.description} (${f.ruleId}, ${f.severity}): ${f.preview}. Remove it, rotate it, and load it at run time.`;
}

;// CONCATENATED MODULE: ./src/actions/scan/main.ts
/**
 * The scan action: on pull_request, scans the lines the PR adds (merge-base...head, from the
 * event payload); elsewhere the whole tree. Findings become error annotations, a job summary,
 * a SARIF file (its path is an output) and optionally one PR comment, updated in place.
 */











const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);
function readEvent() {
    const name = process.env.GITHUB_EVENT_NAME ?? '';
    const file = process.env.GITHUB_EVENT_PATH;
    if (!PR_EVENTS.has(name) || !file)
        return { name, pr: undefined };
    let payload;
    try {
        payload = JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch {
        throw new errors/* AppError */.uV('invalid_input', `cannot read the ${name} event payload at GITHUB_EVENT_PATH; set input mode: tree to scan the whole tree`);
    }
    const pr = payload.pull_request;
    if (!pr?.base?.sha || !pr.head?.sha || typeof pr.number !== 'number') {
        throw new errors/* AppError */.uV('invalid_input', `the ${name} event payload has no pull_request base/head SHAs; set input mode: tree to scan the whole tree`);
    }
    return { name, pr: { number: pr.number, base: pr.base.sha, head: pr.head.sha } };
}
async function scan(cfg, root, pr, baseline) {
    // The baseline's salt keys each finding's baseline entry (scrypt), so it is read before scanning.
    const options = { exclude: cfg.exclude, workers: cfg.workers, logger: logger/* actionsLogger */.M, baselineSalt: baseline?.salt };
    const base = cfg.base || pr?.base;
    const head = cfg.head || pr?.head;
    const wantDiff = cfg.mode === 'diff' || (cfg.mode === 'auto' && pr !== undefined);
    if (wantDiff) {
        if (!base || !head) {
            throw new errors/* AppError */.uV('invalid_input', 'mode: diff needs a pull_request event or the base and head inputs (commit SHAs or refs)');
        }
        core/* info */.pq(`Scanning lines added between ${base.slice(0, 12)} and ${head.slice(0, 12)} (from their merge-base).`);
        return { result: await scanDiff(root, { kind: 'range', base, head }, options), mode: 'diff' };
    }
    core/* info */.pq(`Scanning the whole tree: ${external_node_path_default().relative(process.env.GITHUB_WORKSPACE ?? process.cwd(), root) || '.'}`);
    return { result: await scanTree(root, options), mode: 'tree' };
}
async function upsertComment(cfg, pr, findings, baselined) {
    const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo)
        throw new errors/* AppError */.uV('invalid_input', 'GITHUB_REPOSITORY is not set; the PR comment needs it');
    if (!cfg.githubToken)
        throw new errors/* AppError */.uV('invalid_input', 'input github-token is empty; the PR comment needs a token with pull-requests: write');
    // Loaded here, not at the top: octokit and its own undici are most of the bundle, and only a
    // run with comment: true on a pull request needs them.
    const { getOctokit } = await __webpack_require__.e(/* import() */ 925).then(__webpack_require__.bind(__webpack_require__, 2925));
    const octokit = getOctokit(cfg.githubToken);
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr.number, per_page: 100 });
    const existing = comments.find((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER));
    const body = commentBody(findings, baselined);
    if (existing) {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
        core/* info */.pq(`Updated the scan comment on pull request #${pr.number}.`);
    }
    else if (findings.length > 0) {
        await octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body });
        core/* info */.pq(`Commented on pull request #${pr.number}.`);
    }
}
async function run() {
    try {
        const cfg = readConfig();
        const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
        const root = external_node_path_default().resolve(workspace, cfg.path);
        const { pr } = readEvent();
        const baseline = cfg.baseline ? await readBaseline(external_node_path_default().resolve(workspace, cfg.baseline), cfg.baseline) : undefined;
        const { result, mode } = await scan(cfg, root, pr, baseline);
        let findings = result.findings;
        let baselined = 0;
        if (baseline) {
            const applied = applyBaseline(findings, baseline);
            findings = applied.findings;
            baselined = applied.suppressed;
        }
        // Annotations and SARIF want repository-relative paths; the scan's are relative to `path`.
        const prefix = external_node_path_default().relative(workspace, root).split((external_node_path_default()).sep).join('/');
        const shown = prefix && !prefix.startsWith('..') ? findings.map((f) => ({ ...f, path: `${prefix}/${f.path}` })) : findings;
        for (const f of shown) {
            core/* error */.z3(annotationMessage(f), {
                title: `Hardcoded secret (${f.ruleId})`,
                // The runner shows this as it is: a file name's controls and direction overrides must not reach it.
                file: safeText(f.path),
                startLine: f.line,
                endLine: f.endLine,
                startColumn: f.column,
                ...(f.endLine === f.line ? { endColumn: f.endColumn } : {}),
            });
        }
        const sarifFile = external_node_path_default().resolve(workspace, cfg.sarifFile || external_node_path_default().join(process.env.RUNNER_TEMP ?? workspace, 'ass-scan.sarif'));
        await (0,promises_.mkdir)(external_node_path_default().dirname(sarifFile), { recursive: true });
        await (0,promises_.writeFile)(sarifFile, formatSarif({ findings: shown, stats: result.stats, baselined }));
        core/* setOutput */.uH(OUTPUT.sarifFile, sarifFile);
        core/* setOutput */.uH(OUTPUT.findingsCount, String(shown.length));
        core/* setOutput */.uH(OUTPUT.mode, mode);
        await core/* summary */.z.addRaw(summaryMarkdown(shown, mode, baselined)).write();
        if (cfg.comment && pr)
            await upsertComment(cfg, pr, shown, baselined);
        const mb = (result.stats.bytes / 1e6).toFixed(1);
        core/* info */.pq(`Scanned ${result.stats.files} file(s), ${mb} MB; ${shown.length} finding(s).`);
        if (shown.length > 0) {
            const msg = `${shown.length} possible secret${shown.length === 1 ? '' : 's'} found; see the annotations and the job summary.`;
            if (cfg.failOnFindings)
                core/* setFailed */.C1(msg);
            else
                core/* warning */.$e(`${msg} Not failing because fail-on-findings is false.`);
        }
    }
    catch (err) {
        if ((0,errors/* isAppError */.Y6)(err) && err.isUserError)
            core/* setFailed */.C1(err.message);
        else
            core/* setFailed */.C1(`internal error in the scan action: ${(0,errors/* errorMessage */.gJ)(err).slice(0, 300)}`);
    }
}


/***/ }),

/***/ 7406:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   We: () => (/* binding */ isErrorCode),
/* harmony export */   Y6: () => (/* binding */ isAppError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   uV: () => (/* binding */ AppError)
/* harmony export */ });
/* unused harmony exports ERROR_CODES, EXIT, exitCodeFor, invalidInput */
/**
 * The product's error model. Two kinds of failure exist: the user's mistake (bad input, denied,
 * not found, a missing workflow permission), whose message states the fix; and everything else,
 * which is reported with a request id and no internals.
 *
 * One table below maps each error code to its HTTP status and CLI exit code, so no caller needs
 * an `instanceof` ladder. Messages must never contain secret values.
 */
const ERROR_CODES = {
    invalid_input: { status: 400, exit: 2 },
    invalid_path: { status: 400, exit: 2 },
    invalid_scope: { status: 400, exit: 2 },
    unauthenticated: { status: 401, exit: 3 },
    denied: { status: 403, exit: 3 },
    scope_missing: { status: 403, exit: 3 },
    ip_not_allowed: { status: 403, exit: 3 },
    token_exhausted: { status: 403, exit: 3 },
    token_expired: { status: 401, exit: 3 },
    token_revoked: { status: 401, exit: 3 },
    oidc_rejected: { status: 403, exit: 3 },
    not_found: { status: 404, exit: 4 },
    conflict: { status: 409, exit: 2 },
    payload_too_large: { status: 413, exit: 2 },
    approval_required: { status: 202, exit: 5 },
    approval_denied: { status: 403, exit: 3 },
    approval_expired: { status: 410, exit: 3 },
    rate_limited: { status: 429, exit: 1 },
    locked_out: { status: 429, exit: 3 },
    audit_unavailable: { status: 503, exit: 1 },
    unavailable: { status: 503, exit: 1 },
    key_unavailable: { status: 500, exit: 1 },
    integrity_failed: { status: 500, exit: 1 },
    internal: { status: 500, exit: 1 },
};
/** Exit codes of the `ass` CLI, as documented in the README. */
const EXIT = { ok: 0, failure: 1, usage: 2, denied: 3, notFound: 4, held: 5 };
/** An error whose code, status and message are safe to show to the caller. */
class AppError extends Error {
    code;
    details;
    retryAfter;
    constructor(code, message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'AppError';
        this.code = code;
        this.details = options.details;
        this.retryAfter = options.retryAfter;
    }
    get status() {
        return ERROR_CODES[this.code].status;
    }
    get exitCode() {
        return ERROR_CODES[this.code].exit;
    }
    /** True for the user's own mistakes (4xx), and for a request held for approval: their message states the fix. */
    get isUserError() {
        return this.status < 500;
    }
}
function isAppError(err) {
    return err instanceof AppError;
}
function isErrorCode(code) {
    return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
/** Exit code for any thrown value: the table for AppErrors, 1 for everything else. */
function exitCodeFor(err) {
    return isAppError(err) ? err.exitCode : EXIT.failure;
}
/** The message of any thrown value, without assuming it is an Error. */
function errorMessage(err) {
    if (err instanceof Error)
        return err.message;
    return String(err);
}
const invalidInput = (message, details) => new AppError('invalid_input', message, details ? { details } : {});


/***/ })

};
