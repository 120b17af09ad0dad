export const id = 100;
export const ids = [100];
export const modules = {

/***/ 5100:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  SCAN_USAGE: () => (/* binding */ SCAN_USAGE),
  runScanCommand: () => (/* binding */ runScanCommand)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/logger.ts
var core_logger = __webpack_require__(1227);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
// EXTERNAL MODULE: ./src/scan/fingerprint.ts
var fingerprint = __webpack_require__(3565);
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
function baselineFrom(findings, salt = (0,fingerprint/* newBaselineSalt */.Aw)()) {
    if (!fingerprint/* BASELINE_SALT_PATTERN */.kE.test(salt))
        throw new Error('baseline salt must be 16 bytes of hex');
    const seen = new Map();
    for (const f of findings)
        seen.set(keyOf(f), { fingerprint: keyOf(f), ruleId: f.ruleId, path: f.path });
    const entries = [...seen.values()].sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
    return { version: BASELINE_VERSION, kdf: fingerprint/* BASELINE_KDF_ID */.Qo, salt, findings: entries };
}
async function writeBaseline(file, findings, salt) {
    await (0,promises_.writeFile)(file, `${JSON.stringify(baselineFrom(findings, salt), null, 2)}\n`);
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
        throw new errors/* AppError */.uV('invalid_input', `--diff expects BASE..HEAD (for example --diff origin/main..HEAD), got "${spec.slice(0, 80)}"`);
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

// EXTERNAL MODULE: ./src/scan/rules.ts + 1 modules
var scan_rules = __webpack_require__(7203);
;// CONCATENATED MODULE: ./src/scan/formats.ts

const FORMATS = ['text', 'json', 'sarif'];
const TOOL_NAME = 'ass-scan';
const TOOL_VERSION = '0.1.0';
const TOOL_URI = 'https://github.com/agent-secret-store/agent-secret-store/blob/main/docs/scan.md';
/** Strips control characters so a crafted file name cannot drive the terminal. */
function safeText(s) {
    // eslint-disable-next-line no-control-regex
    return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}
function formatText(report) {
    const lines = [];
    for (const f of report.findings) {
        lines.push(`${safeText(f.path)}:${f.line}:${f.column}: ${f.severity} ${f.ruleId}: ${f.description} [${f.preview}]`);
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
    return `${JSON.stringify({
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
    }, null, 2)}\n`;
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
    return `${JSON.stringify(buildSarif(report), null, 2)}\n`;
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

// EXTERNAL MODULE: ./src/scan/engine.ts + 2 modules
var engine = __webpack_require__(947);
// EXTERNAL MODULE: ./src/scan/files.ts
var scan_files = __webpack_require__(5438);
// EXTERNAL MODULE: ./src/scan/paths.ts
var paths = __webpack_require__(4341);
// EXTERNAL MODULE: ./src/scan/pool.ts
var pool = __webpack_require__(3247);
// EXTERNAL MODULE: ./src/scan/scan-text.ts
var scan_text = __webpack_require__(1578);
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
    const workers = options.workers ?? ((0,pool/* scanWorkersAvailable */.GF)() ? (0,pool/* defaultWorkerCount */.Zx)() : 1);
    const files = (0,scan_files/* walk */.GG)(root, filter, stats, options.pathPrefix ?? '');
    if (workers > 1 && (0,pool/* scanWorkersAvailable */.GF)() && !options.compiled) {
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
            const result = await (0,pool/* scanOnWorkers */.An)(batches(), workers, maxFileSize, options.baselineSalt);
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
        findings.push(...(0,scan_text/* scanText */.F)(text, { path: file.path, compiled, lineMap: file.numbers, baselineSalt: options.baselineSalt }));
    }
    return { findings: finish(findings), stats };
}
/** Scans a string (stdin); `name` is the path shown in reports. */
function scanString(text, name, options = {}) {
    const compiled = options.compiled ?? (0,engine/* defaultRules */.Z4)();
    const stats = (0,scan_files/* emptyStats */.bD)();
    stats.files = 1;
    stats.bytes = Buffer.byteLength(text);
    return { findings: finish((0,scan_text/* scanText */.F)(text, { path: name, compiled, baselineSalt: options.baselineSalt })), stats };
}

;// CONCATENATED MODULE: ./src/cli/scan.ts
/**
 * `ass scan`: find hardcoded credentials in trees, diffs, staged changes or stdin.
 * Exit codes: 0 no findings, 1 findings, 2 bad usage.
 */











const SCAN_USAGE = `Usage: ass scan [options] [PATH...]

Find hardcoded credentials. PATH defaults to the current directory; "-" reads stdin.

Modes:
  (default)              scan every file under each PATH (skips .git/, node_modules/, binaries)
  --diff BASE..HEAD      scan only lines HEAD adds since it left BASE (merge-base), e.g. origin/main..HEAD
  --staged               scan only lines added in the git index (pre-commit hook)
  --stdin, -             scan text piped to stdin (--stdin-name NAME sets the reported path)

Output:
  -f, --format FORMAT    text (default), json or sarif (2.1.0)
  -o, --output FILE      write the report to FILE instead of stdout

Filtering:
  -e, --exclude GLOB     skip paths matching GLOB (repeatable; gitignore-like: "*.test.ts", "fixtures/")
  --baseline FILE        ignore findings recorded in FILE
  --write-baseline FILE  record all current findings in FILE and exit 0
  --max-file-size SIZE   skip larger files (default 64MB; suffixes KB, MB)
  --workers N            worker threads for tree scans (default: CPU cores; 1 = none)
  --list-rules           print the rules and exit

Inline suppression: put "ass:allow" (or gitleaks:allow, secretlint-disable-line,
"pragma: allowlist secret", trufflehog:ignore) in a comment on the line.

Exit codes: 0 no findings, 1 findings, 2 bad usage.
`;
function usageError(message) {
    return new errors/* AppError */.uV('invalid_input', `${message}\nRun \`ass scan --help\` for usage.`);
}
function parseSize(value) {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(value.trim());
    if (!m)
        throw usageError(`--max-file-size must be a size like 10MB or 500KB, got "${value.slice(0, 40)}"`);
    const unit = (m[2] ?? 'b').toLowerCase()[0];
    const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
    return Math.floor(Number(m[1]) * mult);
}
async function readAll(stream) {
    const chunks = [];
    for await (const c of stream)
        chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    return Buffer.concat(chunks).toString('utf8');
}
async function runScanCommand(argv, io) {
    try {
        return await scanCommand(argv, io);
    }
    catch (err) {
        if ((0,errors/* isAppError */.Y6)(err) && err.isUserError) {
            io.stderr(`ass scan: ${err.message}\n`);
            return errors/* EXIT */.dc.usage;
        }
        // Messages of unexpected errors could carry anything; report the kind only.
        io.stderr(`ass scan: internal error (${err instanceof Error ? err.name : 'unknown'}): ${safeText((0,errors/* errorMessage */.gJ)(err)).slice(0, 200)}\n`);
        return errors/* EXIT */.dc.failure;
    }
}
async function scanCommand(argv, io) {
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({
            args: argv,
            allowPositionals: true,
            strict: true,
            options: {
                help: { type: 'boolean', short: 'h' },
                diff: { type: 'string' },
                staged: { type: 'boolean' },
                stdin: { type: 'boolean' },
                'stdin-name': { type: 'string' },
                format: { type: 'string', short: 'f' },
                output: { type: 'string', short: 'o' },
                exclude: { type: 'string', short: 'e', multiple: true },
                baseline: { type: 'string' },
                'write-baseline': { type: 'string' },
                'max-file-size': { type: 'string' },
                workers: { type: 'string' },
                'list-rules': { type: 'boolean' },
            },
        });
    }
    catch (err) {
        throw usageError((0,errors/* errorMessage */.gJ)(err));
    }
    const { values, positionals } = parsed;
    if (values.help) {
        io.stdout(SCAN_USAGE);
        return errors/* EXIT */.dc.ok;
    }
    if (values['list-rules']) {
        for (const r of scan_rules/* RULES */.y)
            io.stdout(`${r.id}\t${r.provider}\t${r.severity}\t${r.description}\n`);
        return errors/* EXIT */.dc.ok;
    }
    const format = (values.format ?? 'text');
    if (!FORMATS.includes(format))
        throw usageError(`--format must be one of ${FORMATS.join(', ')}, got "${String(values.format).slice(0, 40)}"`);
    const stdin = values.stdin === true || positionals.includes('-');
    const modes = [stdin, values.diff !== undefined, values.staged === true].filter(Boolean).length;
    if (modes > 1)
        throw usageError('choose one of --diff, --staged and --stdin/-');
    if (stdin && positionals.some((p) => p !== '-'))
        throw usageError('--stdin reads only stdin; do not also pass paths');
    if ((values.diff !== undefined || values.staged) && positionals.length > 1) {
        throw usageError('diff modes take at most one PATH (the repository or a directory inside it)');
    }
    let workers;
    if (values.workers !== undefined) {
        if (!/^\d{1,3}$/.test(values.workers))
            throw usageError(`--workers must be a whole number, got "${values.workers.slice(0, 20)}"`);
        workers = Number(values.workers);
    }
    const maxFileSize = values['max-file-size'] !== undefined ? parseSize(values['max-file-size']) : DEFAULT_MAX_FILE_SIZE;
    const logger = (0,core_logger/* streamLogger */.V)(io.stderr, { debug: io.env.ASS_DEBUG === '1' });
    // Baseline keys are salted per file: read the baseline (or pick a new salt) before scanning.
    const writing = values['write-baseline'] !== undefined;
    const baseline = values.baseline !== undefined && !writing ? await readBaseline(external_node_path_default().resolve(io.cwd, values.baseline), safeText(values.baseline)) : undefined;
    const baselineSalt = writing ? (0,fingerprint/* newBaselineSalt */.Aw)() : baseline?.salt;
    const options = { exclude: values.exclude ?? [], maxFileSize, workers, logger, baselineSalt };
    let findings = [];
    const stats = (0,scan_files/* emptyStats */.bD)();
    if (stdin) {
        const name = values['stdin-name'] ?? 'stdin';
        const r = scanString(await readAll(io.stdin), name, options);
        findings = r.findings;
        (0,scan_files/* addStats */.FD)(stats, r.stats);
    }
    else if (values.diff !== undefined || values.staged) {
        const spec = values.staged ? { kind: 'staged' } : { kind: 'range', ...parseRange(values.diff) };
        const dir = external_node_path_default().resolve(io.cwd, positionals[0] ?? '.');
        const r = await scanDiff(dir, spec, options);
        findings = r.findings;
        (0,scan_files/* addStats */.FD)(stats, r.stats);
    }
    else {
        const roots = positionals.length > 0 ? positionals : ['.'];
        for (const root of roots) {
            const abs = external_node_path_default().resolve(io.cwd, root);
            // One root: paths relative to it. Several: relative to the working directory, so they stay apart.
            const prefix = roots.length > 1 ? `${external_node_path_default().relative(io.cwd, abs).split((external_node_path_default()).sep).join('/') || '.'}/` : '';
            let r;
            try {
                r = await scanTree(abs, { ...options, pathPrefix: prefix === './' ? '' : prefix });
            }
            catch (err) {
                if (err.code === 'ENOENT')
                    throw usageError(`no such file or directory: ${safeText(root)}`);
                throw err;
            }
            findings.push(...r.findings);
            (0,scan_files/* addStats */.FD)(stats, r.stats);
        }
        sortFindings(findings);
    }
    if (values['write-baseline'] !== undefined) {
        const file = external_node_path_default().resolve(io.cwd, values['write-baseline']);
        await writeBaseline(file, findings, baselineSalt);
        io.stderr(`Wrote ${findings.length} finding${findings.length === 1 ? '' : 's'} to the baseline ${safeText(values['write-baseline'])}.\n`);
        return errors/* EXIT */.dc.ok;
    }
    let baselined = 0;
    if (baseline !== undefined) {
        const applied = applyBaseline(findings, baseline);
        findings = applied.findings;
        baselined = applied.suppressed;
        if (applied.unused.length > 0) {
            logger.info(`${applied.unused.length} baseline entr${applied.unused.length === 1 ? 'y is' : 'ies are'} no longer found; rewrite the baseline to drop them.`);
        }
    }
    const report = formatReport(format, { findings, stats, baselined });
    if (values.output !== undefined) {
        await (0,promises_.writeFile)(external_node_path_default().resolve(io.cwd, values.output), report);
        io.stderr(`${findings.length} finding${findings.length === 1 ? '' : 's'}; ${format} report written to ${safeText(values.output)}.\n`);
    }
    else
        io.stdout(report);
    return findings.length > 0 ? errors/* EXIT */.dc.failure : errors/* EXIT */.dc.ok;
}


/***/ })

};
