export const id = 563;
export const ids = [563];
export const modules = {

/***/ 9120:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LF: () => (/* binding */ inputField),
/* harmony export */   LH: () => (/* binding */ parseVaultUrl),
/* harmony export */   hQ: () => (/* binding */ booleanField)
/* harmony export */ });
/* unused harmony export parseBooleanInput */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3339);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8532);
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8456);
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
    return zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().transform((value, ctx) => {
        try {
            return parse(value);
        }
        catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            ctx.addIssue({ code: 'custom', message: message.startsWith('Input ') ? message : `Input "${name}": ${message}`, path: [name] });
            return zod__WEBPACK_IMPORTED_MODULE_2__/* .NEVER */ .tm;
        }
    });
}
/** The zod field of a boolean input; see parseBooleanInput. */
const booleanField = (name, fallback) => inputField(name, (value) => parseBooleanInput(name, value, fallback));
/**
 * The vault's URL from the `url` input: required, https (plain http only to a loopback address, since
 * a credential travels over it), no credentials, query or fragment; without a trailing slash.
 */
function parseVaultUrl(value) {
    const text = value.trim();
    if (text === '')
        throw new Error('Input "url" is required: the vault URL, such as https://vault.example.com.');
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new Error(`Input "url" ${JSON.stringify(text.slice(0, 100))} is not a URL: give the vault's address, such as https://vault.example.com.`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (0,_core_net_js__WEBPACK_IMPORTED_MODULE_0__/* .isLoopbackHost */ .c)(url.hostname))) {
        throw new Error('Input "url" must use https (plain http is accepted only for a vault on a loopback address): the credentials and secrets travel over this connection.');
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new Error('Input "url" must not contain credentials, a query string or a fragment.');
    }
    return url.toString().replace(/\/+$/, '');
}


/***/ }),

/***/ 4425:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ actionsLogger)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);

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

/***/ 2092:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ markdownCode),
/* harmony export */   F: () => (/* binding */ escapeMarkdown)
/* harmony export */ });
/* harmony import */ var _core_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2020);
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

/***/ 6563:
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
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 7 modules
var schemas = __webpack_require__(3339);
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

// EXTERNAL MODULE: ./src/scan/engine.ts + 3 modules
var engine = __webpack_require__(3288);
;// CONCATENATED MODULE: ./src/scan/regex-safety.ts
/**
 * A structural check of regular expressions for the shapes that make V8's backtracking engine
 * take exponential or polynomial time: a repeated group that itself repeats something (`(a+)+`,
 * `(\w+\s?)*`), and two unbounded repetitions side by side that can take the same characters
 * (`.*.*`, `\s*.*`, `\w+\w+`). Custom rules from a config file are refused when they have one; the
 * built-in provider rules are held to the stricter standard of no unbounded repetition at all.
 *
 * It reads the expression's source (JavaScript syntax, without the `v` flag); it is not a
 * complete ReDoS analysis, only a refusal of the shapes that are always dangerous.
 */
class Parser {
    i = 0;
    src;
    constructor(src) {
        this.src = src;
    }
    alternatives() {
        const alts = [[]];
        while (this.i < this.src.length) {
            const c = this.src[this.i];
            if (c === ')')
                break;
            if (c === '|') {
                this.i++;
                alts.push([]);
                continue;
            }
            const item = this.atom();
            item.quant = this.quantifier();
            alts[alts.length - 1].push(item);
        }
        return alts;
    }
    atom() {
        const start = this.i;
        const c = this.src[this.i];
        if (c === '(') {
            this.i++;
            if (this.src[this.i] === '?') {
                // (?:  (?=  (?!  (?<=  (?<!  (?<name>
                this.i++;
                if (this.src[this.i] === '<' && this.src[this.i + 1] !== '=' && this.src[this.i + 1] !== '!') {
                    const end = this.src.indexOf('>', this.i);
                    this.i = end === -1 ? this.src.length : end + 1;
                }
                else if (this.src[this.i] === '<')
                    this.i += 2;
                else
                    this.i++;
            }
            const alts = this.alternatives();
            if (this.src[this.i] === ')')
                this.i++;
            return { text: this.src.slice(start, this.i), start, broad: false, alts };
        }
        if (c === '[') {
            this.i++;
            const negated = this.src[this.i] === '^';
            while (this.i < this.src.length && this.src[this.i] !== ']')
                this.i += this.src[this.i] === '\\' ? 2 : 1;
            this.i++;
            return { text: this.src.slice(start, this.i), start, broad: negated };
        }
        if (c === '\\') {
            const e = this.src[this.i + 1] ?? '';
            this.i += 2;
            if (e === 'u' && this.src[this.i] === '{')
                this.i = this.src.indexOf('}', this.i) + 1 || this.src.length;
            else if (e === 'u')
                this.i += 4;
            else if (e === 'x')
                this.i += 2;
            else if (e === 'c')
                this.i += 1;
            else if ((e === 'p' || e === 'P') && this.src[this.i] === '{')
                this.i = this.src.indexOf('}', this.i) + 1 || this.src.length;
            else if (e === 'k' && this.src[this.i] === '<')
                this.i = this.src.indexOf('>', this.i) + 1 || this.src.length;
            return { text: this.src.slice(start, this.i), start, broad: e === 'S' || e === 'W' || e === 'D' || e === 'P' };
        }
        this.i++;
        return { text: c, start, broad: c === '.' };
    }
    quantifier() {
        const at = this.i;
        const c = this.src[this.i];
        let q;
        if (c === '*')
            q = { min: 0, max: Number.POSITIVE_INFINITY, at };
        else if (c === '+')
            q = { min: 1, max: Number.POSITIVE_INFINITY, at };
        else if (c === '?')
            q = { min: 0, max: 1, at };
        else if (c === '{') {
            const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
            if (!m)
                return undefined;
            const min = Number(m[1]);
            const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
            this.i += m[0].length - 1;
            q = { min, max, at };
        }
        if (!q)
            return undefined;
        this.i++;
        if (this.src[this.i] === '?')
            this.i++;
        return q;
    }
}
/** The problems of an expression's source. `strict`: any repetition without an upper bound is one too. */
function regexShapeProblems(source, options = {}) {
    const problems = [];
    const p = new Parser(source);
    const top = p.alternatives();
    const walk = (seq, repeatedAround) => {
        for (let k = 0; k < seq.length; k++) {
            const item = seq[k];
            const q = item.quant;
            const repeats = q !== undefined && q.max > 1;
            const unbounded = q !== undefined && q.max === Number.POSITIVE_INFINITY;
            if (unbounded && options.strict) {
                problems.push({
                    kind: 'unbounded',
                    at: q.at,
                    message: `"${item.text}${source.slice(q.at, q.at + 1)}" repeats without an upper bound`,
                });
            }
            if (repeats && repeatedAround) {
                const outerUnbounded = repeatedAround.quant.max === Number.POSITIVE_INFINITY;
                if (options.strict || unbounded || outerUnbounded) {
                    problems.push({
                        kind: 'nested-quantifier',
                        at: q.at,
                        message: `"${item.text}" is repeated inside the repeated group "${repeatedAround.text.slice(0, 40)}"; write the group so each character can be matched one way only`,
                    });
                }
            }
            const next = seq[k + 1];
            if (unbounded && next?.quant?.max === Number.POSITIVE_INFINITY && (item.broad || next.broad || item.text === next.text)) {
                problems.push({
                    kind: 'adjacent-unbounded',
                    at: next.start,
                    message: `"${item.text}" and "${next.text}" both repeat without bound and can take the same characters; bound one or make them disjoint`,
                });
            }
            if (item.alts)
                for (const alt of item.alts)
                    walk(alt, repeats ? item : repeatedAround);
        }
    };
    for (const alt of top)
        walk(alt, undefined);
    return problems;
}

// EXTERNAL MODULE: ./src/scan/rules.ts + 6 modules
var scan_rules = __webpack_require__(1975);
;// CONCATENATED MODULE: ./src/scan/config.ts
/**
 * The project's scanner configuration (`.ass-scan.json`): custom rules, as gitleaks users write
 * them in `.gitleaks.toml` (id, description, regex, keywords, entropy, secretGroup, path,
 * allowlist), built-in rules to switch off, and an allowlist for every rule. The file is checked
 * before anything is scanned; a mistake names its field and says how to fix it. Custom
 * expressions are refused when their shape can make the engine backtrack without end
 * (regex-safety.ts), and run on the same engine as the built-in rules (keyword prefilter, windows,
 * filters, inline suppression).
 */







/** Looked for in the scanned directory when no `--config` is given. */
const CONFIG_FILE_NAME = '.ass-scan.json';
const DOCS = 'docs/scan.md, "Custom rules"';
const allowlistSchema = schemas/* object */.Ikc({
    description: schemas/* string */.YjP().max(500).optional(),
    /** Expressions tested against the secret: a match means "not a finding". */
    regexes: schemas/* array */.YOg(schemas/* string */.YjP().min(1).max(1000)).max(200).optional(),
    /** Expressions tested against the file path. */
    paths: schemas/* array */.YOg(schemas/* string */.YjP().min(1).max(1000)).max(200).optional(),
    /** Words: a secret that contains one (any case) is not a finding. */
    stopwords: schemas/* array */.YOg(schemas/* string */.YjP().min(1).max(200)).max(5000).optional(),
})
    .strict();
const ruleSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP()
        .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters and digits in words joined by hyphens, like "acme-api-key"')
        .max(80),
    description: schemas/* string */.YjP().min(1, 'must say what the secret is').max(300),
    provider: schemas/* string */.YjP().min(1).max(100).optional(),
    regex: schemas/* string */.YjP().min(1, 'must not be empty').max(2000),
    keywords: schemas/* array */.YOg(schemas/* string */.YjP().min(2, 'must be at least 2 characters').max(100))
        .min(1, 'must list at least one literal the secret or its line always contains (the prefilter runs the expression only near one)')
        .max(50),
    entropy: schemas/* number */.aig().min(0).max(8, 'is bits per character: between 0 and 8').optional(),
    severity: schemas/* enum */.k5n(['critical', 'high', 'medium', 'low']).optional(),
    secretGroup: schemas/* number */.aig().int().min(0).max(20).optional(),
    path: schemas/* string */.YjP().min(1).max(1000).optional(),
    allowlist: allowlistSchema.optional(),
})
    .strict();
const configSchema = schemas/* object */.Ikc({
    $schema: schemas/* string */.YjP().optional(),
    description: schemas/* string */.YjP().max(1000).optional(),
    rules: schemas/* array */.YOg(ruleSchema).max(500).optional(),
    disabledRules: schemas/* array */.YOg(schemas/* string */.YjP()).max(1000).optional(),
    allowlist: allowlistSchema.optional(),
})
    .strict();
function fail(source, field, message) {
    throw new errors/* AppError */.uV('invalid_input', `${source}: ${field} ${message} (${DOCS}).`);
}
/** `rules[2].keywords[0]` from a zod issue path. */
function fieldName(pathParts) {
    let out = '';
    for (const p of pathParts)
        out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
    return out || 'the top level';
}
/** Compiles a user expression, taking gitleaks' leading `(?i)` as the `i` flag. */
function compile(source, field, src) {
    let flags = '';
    let body = src;
    const inline = /^\(\?([a-z]+)\)/.exec(body);
    if (inline) {
        if (!/^[ims]+$/.test(inline[1]))
            fail(source, field, `starts with the flags (?${inline[1]}); only i, m and s are supported`);
        flags = [...new Set(inline[1].split(''))].join('');
        body = body.slice(inline[0].length);
    }
    if (/\(\?[a-z]*\)/.test(body))
        fail(source, field, 'sets flags in the middle of the expression; put (?i) at its start, for all of it');
    let re;
    try {
        re = new RegExp(body, flags);
    }
    catch (err) {
        fail(source, field, `is not a valid JavaScript regular expression: ${err.message.replace(/^Invalid regular expression: /, '')}`);
    }
    const problem = regexShapeProblems(body)[0];
    if (problem)
        fail(source, field, `could take time that grows faster than the input: ${problem.message}`);
    return re;
}
/** Number of capture groups in an expression. */
function groupCount(re) {
    return new RegExp(`${re.source}|`, re.flags).exec('').length - 1;
}
function parseAllowlist(source, field, a) {
    return {
        secret: (a?.regexes ?? []).map((r, i) => compile(source, `${field}.regexes[${i}]`, r)),
        paths: (a?.paths ?? []).map((r, i) => compile(source, `${field}.paths[${i}]`, r)),
        stopwords: (a?.stopwords ?? []).map((w) => w.toLowerCase()),
    };
}
function allowed(allow, secret) {
    if (allow.secret.some((re) => re.test(secret)))
        return true;
    const lower = secret.toLowerCase();
    return allow.stopwords.some((w) => lower.includes(w));
}
/** A path expression: matches `include` (when given) and none of `exclude`. */
function pathFilter(include, exclude) {
    if (!include && exclude.length === 0)
        return undefined;
    const pos = include ? `(?=[\\s\\S]*?(?:${include.source}))` : '';
    const neg = exclude.length ? `(?![\\s\\S]*?(?:${exclude.map((r) => r.source).join('|')}))` : '';
    const flags = [include, ...exclude].some((r) => r?.flags.includes('i')) ? 'i' : '';
    return new RegExp(`^${pos}${neg}`, flags);
}
/** Applies an allowlist to a rule: a wrapper around its structure check and its path filter. */
function withAllowlist(rule, allow) {
    if (allow.secret.length === 0 && allow.stopwords.length === 0 && allow.paths.length === 0)
        return rule;
    const validate = rule.validate;
    const out = {
        ...rule,
        validate: (secret) => !allowed(allow, secret) && (validate ? validate(secret) : true),
    };
    const p = pathFilter(rule.path, allow.paths);
    if (p)
        out.path = p;
    return out;
}
/**
 * Checks a configuration's JSON text; throws a user error (exit 2) naming the field at fault.
 * `source` names the file in messages.
 */
function parseScanConfig(text, source, base = scan_rules/* RULES */.y) {
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch (err) {
        throw new errors/* AppError */.uV('invalid_input', `${source} is not JSON (${err.message}); ${DOCS} shows the format.`);
    }
    const parsed = configSchema.safeParse(raw);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = fieldName(issue.path);
        const message = issue.code === 'unrecognized_keys'
            ? `has an unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
            : /received undefined$/.test(issue.message)
                ? 'is required'
                : /^(?:must|is) /.test(issue.message)
                    ? issue.message
                    : `is not valid: ${issue.message.replace(/^Invalid (?:input|option): /, '')}`;
        fail(source, field, message);
    }
    const cfg = parsed.data;
    const builtIn = new Map(base.map((r) => [r.id, r]));
    const disabled = cfg.disabledRules ?? [];
    disabled.forEach((id, i) => {
        if (!builtIn.has(id))
            fail(source, `disabledRules[${i}]`, `names ${JSON.stringify(id.slice(0, 80))}, which is not a built-in rule (\`ass scan --list-rules\` lists them)`);
    });
    const global = parseAllowlist(source, 'allowlist', cfg.allowlist);
    const seen = new Set();
    const custom = (cfg.rules ?? []).map((r, i) => {
        const at = `rules[${i}]`;
        if (seen.has(r.id))
            fail(source, `${at}.id`, `repeats ${JSON.stringify(r.id)}; every rule needs its own id`);
        seen.add(r.id);
        if (builtIn.has(r.id) && !disabled.includes(r.id)) {
            fail(source, `${at}.id`, `is the built-in rule ${JSON.stringify(r.id)}; pick another id, or list it in disabledRules to replace it`);
        }
        const pattern = compile(source, `${at}.regex`, r.regex);
        if (pattern.test(''))
            fail(source, `${at}.regex`, 'matches the empty string; it must match the secret');
        const groups = groupCount(pattern);
        if (r.secretGroup !== undefined && r.secretGroup > groups) {
            fail(source, `${at}.secretGroup`, `is ${r.secretGroup} but the expression has ${groups} capture group${groups === 1 ? '' : 's'}`);
        }
        r.keywords.forEach((k, j) => {
            if (/[^\x20-\x7e]/.test(k))
                fail(source, `${at}.keywords[${j}]`, 'must be printable ASCII (the prefilter compares bytes)');
        });
        const pathRe = r.path !== undefined ? compile(source, `${at}.path`, r.path) : undefined;
        const allow = parseAllowlist(source, `${at}.allowlist`, r.allowlist);
        const rule = {
            id: r.id,
            description: r.description,
            provider: r.provider ?? 'Custom',
            severity: r.severity ?? 'high',
            keywords: r.keywords.map((k) => k.toLowerCase()),
            pattern,
            secretGroup: r.secretGroup ?? (groups > 0 ? 1 : 0),
            ...(r.entropy !== undefined ? { minEntropy: r.entropy } : {}),
            ...(pathRe ? { path: pathRe } : {}),
        };
        return withAllowlist(withAllowlist(rule, allow), global);
    });
    const rules = [...base.filter((r) => !disabled.includes(r.id)).map((r) => withAllowlist(r, global)), ...custom];
    return { source, customRules: custom, disabled, rules };
}
/** Reads and checks a configuration file. */
async function readScanConfig(file, shown = file) {
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (err) {
        throw new errors/* AppError */.uV('invalid_input', `${shown} could not be read (${err.code ?? 'error'}); fix the path or create it (${DOCS}).`);
    }
    return parseScanConfig(text, shown);
}
/** The configuration file for a scan: the one given, else `.ass-scan.json` in `dir` if it exists. */
async function findScanConfig(dir, explicit) {
    if (explicit !== undefined)
        return readScanConfig(explicit, explicit);
    const candidate = external_node_path_default().join(dir, CONFIG_FILE_NAME);
    let text;
    try {
        text = await (0,promises_.readFile)(candidate, 'utf8');
    }
    catch {
        return undefined;
    }
    return parseScanConfig(text, CONFIG_FILE_NAME);
}
/** The compiled rules of a configuration, or undefined when it changes nothing (so the default rules and workers are used). */
function configuredRules(config) {
    if (!config)
        return undefined;
    const changes = config.customRules.length > 0 || config.disabled.length > 0 || config.rules.some((r, i) => r !== scan_rules/* RULES */.y[i]);
    return changes ? (0,engine/* compileRules */.nb)(config.rules) : undefined;
}

// EXTERNAL MODULE: ./src/core/text.ts
var core_text = __webpack_require__(2020);
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
/** What to do about a secret that is only in history; said wherever such a finding is reported. */
const HISTORY_ONLY_ADVICE = 'Deleting a secret from the current files does not remove it from the repository: every clone, fork and cached copy of the old commits still holds it, and rewriting history does not reach those. Rotate it: revoke it with its provider and issue a new one.';
/** One line about the commit that introduced a finding, for people. */
function commitLine(f) {
    if (!f.commit)
        return undefined;
    const c = f.commit;
    const by = [c.date.slice(0, 10), c.author].filter(Boolean).join(', ');
    return `added in commit ${c.sha.slice(0, 12)}${by ? ` (${safeText(by)})` : ''}${c.subject ? `: "${safeText(c.subject)}"` : ''}`;
}
/** The note on a finding that is no longer in the tip. */
function historyNote(f, mode) {
    if (f.inHead !== false)
        return undefined;
    return mode === 'history'
        ? 'in history only: no longer in HEAD, but still in the repository; rotate it'
        : 'removed by a later commit, but still in the branch history; rotate it';
}
function plural(n, word, many = `${word}s`) {
    return `${n} ${n === 1 ? word : many}`;
}
function bytesText(n) {
    return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;
}
/** "12 commits, 30 file changes, 0.4 MB scanned": what a scan covered, in the words of its mode. */
function scannedText(stats, mode) {
    const mb = `${(stats.bytes / 1e6).toFixed(1)} MB scanned`;
    if (mode === 'commits')
        return `${plural(stats.commits, 'commit')}, ${plural(stats.files, 'file change')}, ${mb}`;
    if (mode === 'history')
        return `${plural(stats.commits, 'commit')}, ${plural(stats.files, 'blob')}, ${mb}`;
    return `${plural(stats.files, 'file')}, ${mb}`;
}
/** Lines listing what the size cap kept out of the scan (at most `max` of them). */
function skippedLines(skipped, max = 20) {
    const lines = skipped.slice(0, max).map((s) => {
        const where = s.commit ? `, commit ${s.commit.slice(0, 12)}` : s.blob ? `, blob ${s.blob.slice(0, 12)}` : '';
        return `  ${safeText(s.path)} (${bytesText(s.bytes)}${s.commit ? ' added' : ''}${where})`;
    });
    if (skipped.length > max)
        lines.push(`  …and ${skipped.length - max} more`);
    return lines;
}
function formatText(report) {
    const lines = [];
    for (const f of report.findings) {
        // Every field, not only those that come from the file today: a line is one finding.
        lines.push(`${safeText(f.path)}:${f.line}:${f.column}: ${safeText(f.severity)} ${safeText(f.ruleId)}: ${safeText(f.description)} [${safeText(f.preview)}]`);
        const commit = commitLine(f);
        if (commit)
            lines.push(`    ${commit}`);
        const note = historyNote(f, report.mode);
        if (note)
            lines.push(`    ${note}`);
    }
    const { stats } = report;
    const files = new Set(report.findings.map((f) => f.path)).size;
    const baselined = report.baselined ? `, ${report.baselined} baselined` : '';
    const scanned = `${scannedText(stats, report.mode)}${baselined}`;
    const skipped = report.skipped ?? [];
    lines.push(report.findings.length === 0
        ? skipped.length > 0
            ? `No secrets found in what was scanned (${scanned}); ${plural(skipped.length, 'file was', 'files were')} NOT scanned, over the size cap (--max-file-size):`
            : `No secrets found (${scanned}).`
        : `${report.findings.length} secret${report.findings.length === 1 ? '' : 's'} found in ${files} file${files === 1 ? '' : 's'} (${scanned}).`);
    if (skipped.length > 0) {
        if (report.findings.length > 0)
            lines.push(`${plural(skipped.length, 'file was', 'files were')} NOT scanned, over the size cap (--max-file-size):`);
        lines.push(...skippedLines(skipped));
    }
    const historyOnly = report.findings.filter((f) => f.inHead === false).length;
    if (historyOnly > 0) {
        lines.push(`${historyOnly} of these ${historyOnly === 1 ? 'is' : 'are'} no longer in ${report.mode === 'history' ? 'HEAD' : 'the head of the range'}. ${HISTORY_ONLY_ADVICE}`);
    }
    return `${lines.join('\n')}\n`;
}
function formatJson(report) {
    return `${jsonText({
        version: 1,
        tool: { name: TOOL_NAME, version: TOOL_VERSION },
        ...(report.mode ? { mode: report.mode } : {}),
        ...(report.head ? { head: report.head } : {}),
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
            ...(f.commit ? { commit: { sha: f.commit.sha, author: f.commit.author, date: f.commit.date, subject: f.commit.subject } } : {}),
            ...(f.inHead !== undefined ? { inHead: f.inHead } : {}),
        })),
        stats: { ...report.stats, baselined: report.baselined ?? 0 },
        skipped: (report.skipped ?? []).map((s) => ({
            path: s.path,
            bytes: s.bytes,
            ...(s.commit ? { commit: s.commit } : {}),
            ...(s.blob ? { blob: s.blob } : {}),
        })),
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
function sarifMessage(f, mode) {
    const parts = [`${f.description}: ${f.preview}`];
    const commit = commitLine(f);
    if (commit)
        parts.push(`, ${commit}`);
    const note = historyNote(f, mode);
    if (note)
        parts.push(`. It is ${note.replace(/; rotate it$/, '')}. ${HISTORY_ONLY_ADVICE}`);
    return parts.join('');
}
/** SARIF 2.1.0 as GitHub code scanning accepts it; URIs relative to the scanned directory. */
function buildSarif(report, rules = scan_rules/* RULES */.y) {
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const skipped = report.skipped ?? [];
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
                ...(report.repositoryUri && report.head
                    ? {
                        versionControlProvenance: [
                            { repositoryUri: report.repositoryUri, revisionId: report.head, mappedTo: { uriBaseId: '%SRCROOT%' } },
                        ],
                    }
                    : {}),
                invocations: [
                    {
                        executionSuccessful: true,
                        ...(skipped.length > 0
                            ? {
                                toolExecutionNotifications: skipped.map((sk) => ({
                                    level: 'warning',
                                    message: {
                                        text: `Not scanned: ${sk.path} is over the size cap (${sk.bytes} bytes${sk.commit ? ` added in commit ${sk.commit}` : ''}${sk.blob ? `, blob ${sk.blob}` : ''}).`,
                                    },
                                    locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(sk.path), uriBaseId: '%SRCROOT%' } } }],
                                })),
                            }
                            : {}),
                    },
                ],
                results: report.findings.map((f) => ({
                    ruleId: f.ruleId,
                    ruleIndex: index.get(f.ruleId) ?? 0,
                    level: SARIF_LEVEL[f.severity],
                    message: { text: sarifMessage(f, report.mode) },
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
                    // The commit is a property, not a fingerprint: the same secret keeps one alert whether a
                    // commit-range, history or tree scan reported it.
                    ...(f.commit || f.inHead !== undefined
                        ? {
                            properties: {
                                ...(f.commit
                                    ? { commitSha: f.commit.sha, commitAuthor: f.commit.author, commitDate: f.commit.date, commitSubject: f.commit.subject }
                                    : {}),
                                ...(f.inHead !== undefined ? { inHead: f.inHead } : {}),
                            },
                        }
                        : {}),
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
;// CONCATENATED MODULE: ./src/scan/git.ts
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
    return new errors/* AppError */.uV('invalid_input', `could not run git (${err.message}); install git or scan a directory instead`);
}
/** Runs a short git command and collects its output (UTF-8). */
function git(cwd, args, input) {
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)('git', [...GIT_CONFIG, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
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
    const child = (0,external_node_child_process_.spawn)('git', [...GIT_CONFIG, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
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
                reject(new errors/* AppError */.uV('invalid_input', `${what} failed: ${safeLine(stderr) || `git exited with ${code ?? signal}`}`));
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
        throw new errors/* AppError */.uV('invalid_input', `${cwd} is not inside a git repository; this mode needs one (or scan the directory as files)`);
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
    const file = external_node_path_default().resolve(cwd, r.stdout.trim());
    try {
        return new Set((await (0,promises_.readFile)(file, 'utf8'))
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
        throw new errors/* AppError */.uV('invalid_input', `${which} "${shown}" is not a revision; give a branch, tag or commit id`);
    }
    const r = await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    if (r.code === 0)
        return r.stdout.trim();
    await assertRepository(cwd);
    const other = await git(cwd, ['cat-file', '-t', rev]);
    if (other.code === 0) {
        throw new errors/* AppError */.uV('invalid_input', `${which} "${shown}" is a ${other.stdout.trim()}, not a commit; give a branch, tag or commit id`);
    }
    if (await isShallow(cwd)) {
        throw new errors/* AppError */.uV('invalid_input', `${which} "${shown}" is not in this clone, which is shallow (it holds only the newest commits); ${FETCH_DEPTH_FIX}`);
    }
    if (OBJECT_ID.test(rev)) {
        throw new errors/* AppError */.uV('invalid_input', `${which} commit "${shown}" is not in this clone (which has full history); check the id, or fetch it (\`git fetch origin ${shown}\`; a commit replaced by a force push may exist nowhere any more). On GitHub Actions, check out with \`fetch-depth: 0\` so every branch is fetched`);
    }
    throw new errors/* AppError */.uV('invalid_input', `${which} "${shown}" is not a branch, tag or commit in this repository; check the name (\`git branch -a\` lists branches; remote ones are named like origin/main)`);
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
        throw new errors/* AppError */.uV('invalid_input', `git rev-list ${shown} failed: ${safeLine(r.stderr)}`);
    const cut = r.stdout.split('\n').find((sha) => boundary.has(sha.trim()));
    if (cut) {
        throw new errors/* AppError */.uV('invalid_input', `the clone is shallow and the commits of ${shown} reach past its oldest fetched commit (${cut.slice(0, 12)}), so they cannot all be scanned; ${FETCH_DEPTH_FIX}`);
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
            throw new errors/* AppError */.uV('invalid_input', `no common ancestor of base ${b.slice(0, 12)} and head ${h.slice(0, 12)} in this clone, which is shallow; ${FETCH_DEPTH_FIX}`);
        }
        throw new errors/* AppError */.uV('invalid_input', `base ${b.slice(0, 12)} and head ${h.slice(0, 12)} have no common ancestor (unrelated histories), so there is no merge-base to diff from; scan every commit of head that base lacks with --commits ${shownRev(base)}..${shownRev(head)}`);
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
        throw new errors/* AppError */.uV('invalid_input', `git rev-parse --show-prefix failed: ${safeLine(r.stderr)}`);
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

;// CONCATENATED MODULE: ./src/scan/commit-info.ts
/**
 * Who made a commit, when, and its subject, read from the raw commit objects (`git cat-file
 * --batch`) rather than through a `--format` string: a crafted commit can hold any byte in its
 * author or message, and a format string's separators could then be forged. Every text field is
 * cleaned (control characters, line breaks and direction overrides become `?`) and cut short here,
 * once, so nothing from a commit reaches a terminal, an annotation or a workflow command raw.
 */

const MAX_AUTHOR = 100;
const MAX_SUBJECT = 200;
/** `text` with control characters, line breaks and direction overrides replaced, at most `max` characters. */
function cleanMetadata(text, max) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, '?').trim();
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
function isoDate(seconds, tz) {
    const m = /^([+-])(\d\d)(\d\d)$/.exec(tz);
    const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    const local = new Date((seconds + offsetMin * 60) * 1000);
    if (Number.isNaN(local.getTime()))
        return '';
    const stamp = local.toISOString().slice(0, 19);
    const sign = offsetMin < 0 ? '-' : '+';
    const abs = Math.abs(offsetMin);
    return `${stamp}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
/** Parses a raw commit object (as `git cat-file commit` prints it). */
function parseCommit(sha, raw) {
    const blank = raw.indexOf('\n\n');
    const headers = blank === -1 ? raw : raw.slice(0, blank);
    const message = blank === -1 ? '' : raw.slice(blank + 2);
    let author = '';
    let date = '';
    for (const line of headers.split('\n')) {
        if (!line.startsWith('author '))
            continue;
        const m = /^author (.*) <[^>]*> (\d+) ([+-]\d{4})$/.exec(line);
        if (m) {
            author = m[1];
            date = isoDate(Number(m[2]), m[3]);
        }
        else
            author = line.slice('author '.length);
        break;
    }
    // As git's %s: the first paragraph, its lines joined by spaces.
    const para = message.replace(/^\n+/, '').split(/\n\s*\n/)[0] ?? '';
    const subject = para.split('\n').join(' ');
    return { sha, author: cleanMetadata(author, MAX_AUTHOR), date, subject: cleanMetadata(subject, MAX_SUBJECT) };
}
/** Reads the author, date and subject of each commit in `shas` (one git process). */
async function readCommitInfo(cwd, shas) {
    const out = new Map();
    if (shas.length === 0)
        return out;
    const objects = await readObjects(cwd, shas);
    for (const [sha, obj] of objects)
        if (obj.type === 'commit')
            out.set(sha, parseCommit(sha, obj.data.toString('utf8')));
    return out;
}
/**
 * Reads whole objects by name (`sha`, `rev:path`) with `git cat-file`. For a handful of objects
 * (commits, the blobs at a few paths); missing names are left out. Objects larger than `maxBytes`
 * are not read: they come back with their size and no data.
 */
async function readObjects(cwd, names, maxBytes = Number.POSITIVE_INFINITY) {
    const out = new Map();
    // A name is one line of cat-file's input.
    let wanted = names.filter((n) => !/[\n\r]/.test(n));
    if (wanted.length === 0)
        return out;
    if (Number.isFinite(maxBytes)) {
        const check = await catFile(cwd, wanted, false);
        wanted = [];
        for (const [name, obj] of check) {
            if (obj.size <= maxBytes)
                wanted.push(name);
            else
                out.set(name, obj);
        }
    }
    for (const [name, obj] of await catFile(cwd, wanted, true))
        out.set(name, obj);
    return out;
}
async function catFile(cwd, names, contents) {
    const out = new Map();
    if (names.length === 0)
        return out;
    const proc = gitStream(cwd, ['cat-file', contents ? '--batch' : '--batch-check'], 'git cat-file', { stdin: true });
    proc.stdin.end(`${names.join('\n')}\n`);
    let index = 0;
    let header = [];
    let pending;
    const finish = (p) => out.set(p.name, { type: p.type, size: p.size, data: Buffer.concat(p.parts, p.size) });
    for await (const chunk of proc.stdout) {
        let pos = 0;
        while (pos < chunk.length) {
            if (pending) {
                // The object's bytes, then one LF.
                const take = Math.min(pending.size + 1 - pending.got, chunk.length - pos);
                pending.parts.push(chunk.subarray(pos, pos + take));
                pending.got += take;
                pos += take;
                if (pending.got === pending.size + 1) {
                    pending.parts[pending.parts.length - 1] = pending.parts[pending.parts.length - 1].subarray(0, -1);
                    finish(pending);
                    pending = undefined;
                }
                continue;
            }
            const nl = chunk.indexOf(10, pos);
            if (nl === -1) {
                header.push(chunk.subarray(pos));
                break;
            }
            header.push(chunk.subarray(pos, nl));
            pos = nl + 1;
            const line = Buffer.concat(header).toString('latin1');
            header = [];
            const name = names[index++] ?? '';
            const m = /^\S+ (\S+) (\d+)$/.exec(line);
            if (!m)
                continue; // "<name> missing" or "ambiguous"
            const obj = { name, type: m[1], size: Number(m[2]), parts: [], got: 0 };
            if (contents)
                pending = obj;
            else
                out.set(name, { type: obj.type, size: obj.size, data: Buffer.alloc(0) });
        }
    }
    await proc.done;
    return out;
}

// EXTERNAL MODULE: ./src/scan/files.ts
var scan_files = __webpack_require__(5438);
;// CONCATENATED MODULE: ./src/scan/patch.ts
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
            let p = unquotePath(target);
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
                this.renameFrom = unquotePath(text.slice('rename from '.length));
            else if (text.startsWith('rename to ') && this.renameFrom !== undefined) {
                this.options.onRename?.(this.renameFrom, unquotePath(text.slice('rename to '.length)), this.commitIndex);
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

// EXTERNAL MODULE: ./src/scan/paths.ts
var paths = __webpack_require__(4341);
// EXTERNAL MODULE: ./src/scan/pool.ts
var pool = __webpack_require__(3247);
// EXTERNAL MODULE: ./src/scan/texts.ts
var texts = __webpack_require__(4965);
;// CONCATENATED MODULE: ./src/scan/commits.ts
/**
 * Commit-range scans (`ass scan --commits BASE..HEAD`, the scan action on pull requests and
 * pushes): every commit that HEAD has and BASE lacks, each one's added lines against its parent,
 * from one `git log -p` stream. So a key added in one commit of a pull request and removed in a
 * later one is still found, and reported with the commit that added it.
 *
 * - A merge commit is scanned as a combined diff: only lines new against every parent (an evil
 *   merge, a conflict resolved with new text). What a merge brings in from one parent was added by
 *   that parent's commits, which are in the range or were already in BASE.
 * - Renames (`-M`) add no lines unless the content changed.
 * - `--text`: `.gitattributes` `-diff` or `binary` cannot hide a file; content with a NUL byte in
 *   its first 8 KiB of added bytes, and binary file extensions, are skipped as the file scanner
 *   skips them. A file whose added bytes exceed the size cap is skipped and listed as skipped.
 * - The same secret at the same path, added by several commits (a line edited again, a file
 *   deleted and restored, a commit and its cherry-pick), is reported once: at the earliest commit.
 *   Its baseline key (rule, path, secret) and report fingerprint are those of a tree scan, so
 *   baselines and code scanning alerts carry over.
 */








/** `git log` options for a commit-range patch stream; see the module comment for why each. */
const LOG_PATCH_ARGS = [
    '-p',
    '-U0',
    '--text',
    '--no-ext-diff',
    '--no-textconv',
    '--no-color',
    '-M',
    '-c',
    '--reverse',
    '--topo-order',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    `--format=${COMMIT_FORMAT}`,
];
function refExclusions(ref) {
    const m = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
    const name = m?.[2];
    if (!m || !name)
        return ['--branches', '--remotes', '--tags'];
    if (m[1] === 'tags')
        return ['--branches', '--remotes', `--exclude=${name}`, '--tags'];
    return [`--exclude=${name}`, '--branches', `--exclude=*/${name}`, '--remotes', '--tags'];
}
/** Resolves a selection to rev-list arguments (commit ids only, never a user's text) and a label. */
async function selectionRevs(cwd, sel) {
    if (sel.kind === 'range') {
        const base = await resolveCommit(cwd, sel.base, 'base');
        const head = await resolveCommit(cwd, sel.head, 'head');
        if (base === head)
            return undefined;
        return { revs: [head, '--not', base], head, label: `${shownRev(sel.base)}..${shownRev(sel.head)}` };
    }
    const head = await resolveCommit(cwd, sel.head, 'head');
    return { revs: [head, '--not', ...refExclusions(sel.ref)], head, label: `${head.slice(0, 12)} (commits no other branch or tag has)` };
}
/** A secret at a path: what deduplication keeps once. */
function findingKey(r) {
    return `${r.finding.ruleId}\0${r.finding.path}\0${r.secretId}`;
}
/** Scans every commit of a selection; paths are relative to `cwd` (and limited to it). */
async function scanCommits(cwd, selection, options) {
    const stats = (0,scan_files/* emptyStats */.bD)();
    const skipped = [];
    const sel = await selectionRevs(cwd, selection);
    if (!sel)
        return { findings: [], stats, skipped };
    await assertRangeComplete(cwd, sel.revs, sel.label);
    const filter = new paths/* PathFilter */.uI(options.exclude);
    const commits = [];
    const items = [];
    const renames = [];
    const builder = new texts/* BatchBuilder */.e$();
    const parser = new PatchParser({
        maxBytes: options.maxFileSize,
        classify: (p) => (filter.excluded(p) ? 'excluded' : (0,paths/* hasBinaryExtension */.Tm)(p) ? 'binary' : undefined),
        onCommit: (c) => {
            commits.push(c.sha);
            stats.commits++;
        },
        onRename: (from, to, commit) => renames.push({ commit, from, to }),
        onFile: (f) => {
            if (f.skipped === 'excluded')
                stats.excluded++;
            else if (f.skipped === 'binary')
                stats.skippedBinary++;
            else if (f.skipped === 'too-large') {
                stats.skippedLarge++;
                skipped.push({ path: f.path, bytes: f.bytes, commit: commits[f.commit] });
            }
            else {
                stats.files++;
                stats.bytes += f.data.length;
                const id = items.push({ commit: f.commit, path: f.path }) - 1;
                // A new file's lines are 1..n: no map needed.
                const contiguous = f.numbers[0] === 1 && f.numbers[f.numbers.length - 1] === f.numbers.length;
                builder.add({ id, path: f.path, ...(contiguous ? {} : { lineMap: f.numbers }) }, [f.data]);
            }
        },
    });
    const log = gitStream(cwd, ['log', ...LOG_PATCH_ARGS, '--relative', ...sel.revs, '--'], 'git log');
    const batches = () => (0,texts/* batchesOf */.cS)(log.stdout, parser, builder, () => log.done, () => log.kill());
    const idKey = (0,texts/* newSecretIdKey */.Rd)();
    const workers = options.workers ?? (0,pool.defaultGitWorkerCount)();
    const results = await (0,pool.scanTextBatches)(batches(), {
        workers,
        compiled: options.compiled,
        baselineSalt: options.baselineSalt,
        idKey,
        logger: options.logger,
    });
    await log.done;
    // Earliest commit per (rule, path, secret).
    const earliest = new Map();
    for (const r of results) {
        const it = items[r.item];
        const key = findingKey(r);
        const prev = earliest.get(key);
        if (prev === undefined || it.commit < prev)
            earliest.set(key, it.commit);
    }
    const kept = results.filter((r) => earliest.get(findingKey(r)) === items[r.item].commit);
    const info = await readCommitInfo(cwd, [...new Set(kept.map((r) => commits[items[r.item].commit]))]);
    // Where each finding's file is at the head: renames later in the range move it.
    const headPath = (it) => {
        let p = it.path;
        for (const r of renames)
            if (r.commit > it.commit && r.from === p)
                p = r.to;
        return p;
    };
    const inHead = await keysAtCommit(cwd, sel.head, [...new Set(kept.map((r) => headPath(items[r.item])))], options, idKey);
    const findings = kept.map((r) => {
        const it = items[r.item];
        const sha = commits[it.commit];
        const commit = info.get(sha) ?? { sha, author: '', date: '', subject: '' };
        const present = inHead.get(headPath(it));
        return { ...r.finding, commit, ...(present ? { inHead: present.has(`${r.finding.ruleId}\0${r.secretId}`) } : {}) };
    });
    return { findings, stats, skipped, head: sel.head, range: sel.label };
}
/**
 * For each path, the (rule, secret id) pairs found in its blob at `commit`: whether a finding is
 * still there. Paths missing at that commit map to an empty set; paths whose blob is over the size
 * cap are left out (unknown).
 */
async function keysAtCommit(cwd, commit, paths, options, idKey) {
    const out = new Map();
    const names = paths.filter((p) => !/[\n\r]/.test(p));
    if (names.length === 0)
        return out;
    const objects = await readObjects(cwd, names.map((p) => `${commit}:./${p}`), options.maxFileSize);
    const builder = new texts/* BatchBuilder */.e$();
    names.forEach((p, id) => {
        const obj = objects.get(`${commit}:./${p}`);
        if (!obj)
            out.set(p, new Set());
        else if (obj.type === 'blob' && obj.size <= options.maxFileSize) {
            out.set(p, new Set());
            builder.add({ id, path: p }, [obj.data]);
        }
    });
    builder.seal();
    for (const batch of builder.take()) {
        for (const r of (0,texts/* scanTextBatch */.NQ)(batch, { compiled: options.compiled ?? (0,engine/* defaultRules */.Z4)(), idKey })) {
            out.get(names[r.item])?.add(`${r.finding.ruleId}\0${r.secretId}`);
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/scan/diff.ts
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
        throw new AppError('invalid_input', `${option} expects BASE..HEAD (for example ${option} origin/main..HEAD), got "${spec.slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}"`);
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
    const stats = (0,scan_files/* emptyStats */.bD)();
    const skipped = [];
    const args = [...DIFF_ARGS];
    let head;
    if (spec.kind === 'staged')
        args.push('--cached');
    else {
        const { from, to } = await resolveRange(cwd, spec.base, spec.head);
        if (from === to)
            return { findings: [], stats, skipped, head: to };
        args.push(from, to);
        head = to;
    }
    const filter = new paths/* PathFilter */.uI(options.exclude);
    const builder = new texts/* BatchBuilder */.e$();
    const parser = new PatchParser({
        maxBytes: options.maxFileSize,
        classify: (p) => (filter.excluded(p) ? 'excluded' : (0,paths/* hasBinaryExtension */.Tm)(p) ? 'binary' : undefined),
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
    const diff = gitStream(cwd, [...args, '--'], 'git diff');
    const batches = () => (0,texts/* batchesOf */.cS)(diff.stdout, parser, builder, () => diff.done, () => diff.kill());
    const results = await (0,pool.scanTextBatches)(batches(), {
        workers: options.workers ?? (0,pool.defaultGitWorkerCount)(),
        compiled: options.compiled,
        baselineSalt: options.baselineSalt,
        idKey: (0,texts/* newSecretIdKey */.Rd)(),
        logger: options.logger,
    });
    await diff.done;
    return { findings: results.map((r) => r.finding), stats, skipped, ...(head ? { head } : {}) };
}

;// CONCATENATED MODULE: ./src/scan/history.ts
/**
 * Whole-history scans (`ass scan --history`, the scan action's `mode: history`): every blob
 * reachable from any ref, each scanned once, in parallel, with memory bounded by the batches in
 * flight; then each finding is traced to the commit that introduced it.
 *
 * 1. `git rev-list --all --objects` names every reachable object once (a blob with a path it had)
 *    and counts the commits. `git cat-file --batch-check` gives types and sizes: blobs over the
 *    size cap are listed as skipped, never read. `git cat-file --batch` streams the rest; texts
 *    are packed into batches for the worker threads, blobs over 8 MiB in overlapping chunks. The
 *    three processes run as a pipeline, each paused while the next is busy.
 * 2. Only for blobs with findings: one `git log --all --raw` pass (oldest first, renames
 *    followed, merges as combined diffs) finds where each finding was introduced: a commit whose
 *    new blob holds the secret while none of the blobs it replaced did. A secret that stays in a
 *    file through later edits, or moves with a rename, is reported once, at the commit and path
 *    where it first appeared.
 * 3. Whether each secret is still in HEAD's tree (at any path). One that is not is in history
 *    only: deleting it from the tip did not un-leak it.
 */








/** Blobs larger than this are scanned in chunks of this size (plus an overlap). */
const CHUNK = 8 * 1024 * 1024;
const SNIFF = 8192;
/** A FIFO without Array.shift's O(n). */
class Queue {
    items = [];
    head = 0;
    push(item) {
        this.items.push(item);
    }
    shift() {
        if (this.head >= this.items.length)
            return undefined;
        const item = this.items[this.head++];
        if (this.head > 4096 && this.head * 2 > this.items.length) {
            this.items = this.items.slice(this.head);
            this.head = 0;
        }
        return item;
    }
}
/**
 * Reads `git cat-file --batch` output and hands each blob to the batch builder: whole when small,
 * in overlapping chunks (with their line offsets) when large; binary blobs (a NUL byte in the first
 * 8 KiB) are dropped.
 */
class BlobReader {
    queue;
    builder;
    onBlob;
    header = [];
    current;
    constructor(queue, builder, onBlob) {
        this.queue = queue;
        this.builder = builder;
        this.onBlob = onBlob;
    }
    write(chunk) {
        let pos = 0;
        while (pos < chunk.length) {
            const cur = this.current;
            if (cur && cur.got < cur.size) {
                const take = Math.min(cur.size - cur.got, chunk.length - pos);
                this.data(chunk.subarray(pos, pos + take));
                pos += take;
                continue;
            }
            if (cur) {
                // The LF after the object.
                pos++;
                this.finish();
                continue;
            }
            const nl = chunk.indexOf(10, pos);
            if (nl === -1) {
                this.header.push(chunk.subarray(pos));
                return;
            }
            this.header.push(chunk.subarray(pos, nl));
            pos = nl + 1;
            const line = Buffer.concat(this.header).toString('latin1');
            this.header = [];
            const blob = this.queue.shift();
            const m = /^(\S+) blob (\d+)$/.exec(line);
            if (!blob || !m)
                continue; // "<id> missing"
            this.current = { ...blob, size: Number(m[2]), got: 0, parts: [], partBytes: 0, lineOffset: 0 };
        }
    }
    data(part) {
        const cur = this.current;
        cur.got += part.length;
        if (cur.binary === true)
            return;
        cur.parts.push(part);
        cur.partBytes += part.length;
        if (cur.binary === undefined && (cur.partBytes >= SNIFF || cur.got === cur.size)) {
            cur.binary = (0,paths/* looksBinary */.Wb)(Buffer.concat(cur.parts, Math.min(cur.partBytes, SNIFF)).subarray(0, SNIFF));
            if (cur.binary) {
                cur.parts = [];
                cur.partBytes = 0;
                return;
            }
        }
        // A large blob goes out in chunks: each holds CHUNK bytes of its own plus an overlap that the next chunk scans again.
        while (cur.size > CHUNK && cur.partBytes >= CHUNK + engine/* MAX_WINDOW */.SD && cur.got < cur.size)
            this.emitChunk(cur, false);
    }
    emitChunk(cur, last) {
        const all = Buffer.concat(cur.parts, cur.partBytes);
        const own = last ? all.length : CHUNK;
        this.builder.add({
            id: 0,
            tag: cur.sha,
            path: cur.path,
            lineOffset: cur.lineOffset,
            ...(last ? {} : { acceptBefore: own }),
        }, [last ? all : all.subarray(0, CHUNK + engine/* MAX_WINDOW */.SD)]);
        if (last)
            return;
        for (let i = all.indexOf(10); i !== -1 && i < own; i = all.indexOf(10, i + 1))
            cur.lineOffset++;
        const rest = all.subarray(own);
        cur.parts = [rest];
        cur.partBytes = rest.length;
    }
    finish() {
        const cur = this.current;
        this.current = undefined;
        const binary = cur.binary === true;
        if (!binary) {
            if (cur.size > CHUNK)
                this.emitChunk(cur, true);
            else
                this.builder.add({ id: 0, tag: cur.sha, path: cur.path }, cur.parts);
        }
        this.onBlob(cur, binary);
    }
    end() {
        if (this.current && this.current.got === this.current.size)
            this.finish();
    }
}
/** Scans every blob reachable from any ref; paths are relative to `cwd` (and limited to it). */
async function scanHistory(cwd, options) {
    await assertRepository(cwd);
    if (await isShallow(cwd)) {
        throw new errors/* AppError */.uV('invalid_input', `this clone is shallow: a history scan would miss every commit it lacks; ${FETCH_DEPTH_FIX}, then scan again`);
    }
    const prefix = await repoPrefix(cwd);
    const filter = new paths/* PathFilter */.uI(options.exclude);
    const stats = (0,scan_files/* emptyStats */.bD)();
    const skipped = [];
    const builder = new texts/* BatchBuilder */.e$();
    const checkQueue = new Queue();
    const catQueue = new Queue();
    const revList = gitStream(cwd, ['rev-list', '--all', '--objects'], 'git rev-list');
    const check = gitStream(cwd, ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)', '--buffer'], 'git cat-file', {
        stdin: true,
    });
    const cat = gitStream(cwd, ['cat-file', '--batch', '--buffer'], 'git cat-file', { stdin: true });
    const kill = () => {
        revList.kill();
        check.kill();
        cat.kill();
    };
    // Stage 1: rev-list's objects → ids to check. (Not `--filter=object:type=blob`: git 2.39 leaves
    // some blobs and commits out of its output with it.)
    const listing = (async () => {
        try {
            for await (const lines of lineBatches(revList.stdout)) {
                let out = '';
                for (const line of lines) {
                    const space = line.indexOf(' ');
                    if (space === -1) {
                        if (line !== '')
                            stats.commits++;
                        continue;
                    }
                    out += `${line.slice(0, space)}\n`;
                    checkQueue.push(line.slice(space + 1));
                }
                if (out !== '')
                    await writeTo(check.stdin, out);
            }
            await revList.done;
        }
        finally {
            check.stdin.end();
        }
    })();
    // Stage 2: types and sizes → blobs to read; blobs over the size cap are listed as skipped.
    const sizing = (async () => {
        try {
            for await (const lines of lineBatches(check.stdout)) {
                let out = '';
                for (const line of lines) {
                    const name = checkQueue.shift();
                    const m = /^(\S+) (\S+) (\d+)$/.exec(line);
                    if (name === undefined || !m || m[2] !== 'blob')
                        continue;
                    const sha = m[1];
                    // A blob a tag points at directly has no path.
                    let p = name !== '' ? Buffer.from(name, 'latin1').toString('utf8') : `(blob ${sha.slice(0, 12)})`;
                    if (prefix !== '') {
                        if (!p.startsWith(prefix))
                            continue;
                        p = p.slice(prefix.length);
                    }
                    const size = Number(m[3]);
                    if (filter.excluded(p))
                        stats.excluded++;
                    else if ((0,paths/* hasBinaryExtension */.Tm)(p))
                        stats.skippedBinary++;
                    else if (size > options.maxFileSize) {
                        stats.skippedLarge++;
                        skipped.push({ path: p, bytes: size, blob: sha });
                    }
                    else {
                        out += `${sha}\n`;
                        catQueue.push({ sha, path: p, size });
                    }
                }
                if (out !== '')
                    await writeTo(cat.stdin, out);
            }
            await check.done;
        }
        finally {
            cat.stdin.end();
        }
    })();
    const feeding = Promise.all([listing, sizing]);
    feeding.catch(() => { });
    const reader = new BlobReader(catQueue, builder, (blob, binary) => {
        if (binary)
            stats.skippedBinary++;
        else {
            stats.files++;
            stats.bytes += blob.size;
        }
    });
    // Stage 3: contents → batches, pulled by the scanner.
    const batches = () => (0,texts/* batchesOf */.cS)(cat.stdout, reader, builder, async () => {
        await feeding;
        await cat.done;
    }, kill);
    const idKey = (0,texts/* newSecretIdKey */.Rd)();
    const workers = options.workers ?? (0,pool.defaultGitWorkerCount)();
    let results;
    try {
        results = await (0,pool.scanTextBatches)(batches(), {
            workers,
            compiled: options.compiled,
            baselineSalt: options.baselineSalt,
            idKey,
            logger: options.logger,
        });
    }
    finally {
        kill();
    }
    await feeding;
    const byBlob = new Map();
    for (const r of results) {
        const list = byBlob.get(r.tag);
        if (list)
            list.push(r);
        else
            byBlob.set(r.tag, [r]);
    }
    if (byBlob.size === 0)
        return { findings: [], stats, skipped, head: await headCommit(cwd) };
    const introduced = await attribute(cwd, byBlob, prefix, filter);
    const head = await headCommit(cwd);
    const tipKeys = head ? await keysInTree(cwd, byBlob) : undefined;
    const info = await readCommitInfo(cwd, [...new Set([...introduced.values()].flatMap((x) => (x.commit ? [x.commit] : [])))]);
    const findings = [...introduced.values()].map(({ result, commit, path }) => {
        const f = { ...result.finding, path };
        if (commit)
            f.commit = info.get(commit) ?? { sha: commit, author: '', date: '', subject: '' };
        if (tipKeys)
            f.inHead = tipKeys.has(`${result.finding.ruleId}\0${result.secretId}`);
        return f;
    });
    return { findings, stats, skipped, ...(head ? { head } : {}) };
}
async function headCommit(cwd) {
    const r = await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
    return r.code === 0 ? r.stdout.trim() : undefined;
}
/**
 * Traces findings to the commits that introduced them (see the module comment). Returns one entry
 * per (rule, path, secret), the earliest; blobs the log never shows (a blob a tag points at
 * directly) are reported without a commit, at the path rev-list gave.
 */
async function attribute(cwd, byBlob, prefix, filter) {
    const out = new Map();
    const keysOf = new Map();
    const blobKeys = (sha) => {
        let set = keysOf.get(sha);
        if (!set) {
            set = new Set((byBlob.get(sha) ?? []).map((r) => `${r.finding.ruleId}\0${r.secretId}`));
            keysOf.set(sha, set);
        }
        return set;
    };
    const seen = new Set();
    const log = gitStream(cwd, ['log', '--all', '--reverse', '--topo-order', '--raw', '--no-abbrev', '-M', '--diff-merges=combined', '--format=%x01C %H'], 'git log');
    let commit = '';
    try {
        for await (const lines of lineBatches(log.stdout)) {
            for (const line of lines) {
                if (line.startsWith('\x01C ')) {
                    commit = line.slice(3).trim();
                    continue;
                }
                if (!line.startsWith(':'))
                    continue;
                const tab = line.indexOf('\t');
                if (tab === -1)
                    continue;
                const colons = /^:+/.exec(line)[0].length;
                const fields = line.slice(colons, tab).split(' ');
                const shas = fields.slice(colons + 1, 2 * (colons + 1));
                const result = shas[colons];
                if (!result || !byBlob.has(result))
                    continue;
                seen.add(result);
                const paths = line.slice(tab + 1).split('\t');
                let p = unquotePath(paths[paths.length - 1]);
                if (prefix !== '') {
                    if (!p.startsWith(prefix))
                        continue;
                    p = p.slice(prefix.length);
                }
                if (filter.excluded(p))
                    continue;
                const parents = shas.slice(0, colons);
                for (const r of byBlob.get(result)) {
                    const k = `${r.finding.ruleId}\0${r.secretId}`;
                    if (parents.some((parent) => blobKeys(parent).has(k)))
                        continue;
                    const key = `${r.finding.ruleId}\0${p}\0${r.secretId}`;
                    if (!out.has(key))
                        out.set(key, { result: r, commit, path: p });
                }
            }
        }
        await log.done;
    }
    finally {
        log.kill();
    }
    for (const [sha, list] of byBlob) {
        if (seen.has(sha))
            continue;
        for (const r of list) {
            const key = `${r.finding.ruleId}\0${r.finding.path}\0${r.secretId}`;
            if (!out.has(key))
                out.set(key, { result: r, path: r.finding.path });
        }
    }
    return out;
}
/** The (rule, secret id) pairs of every finding in a blob of HEAD's tree (below `cwd`). */
async function keysInTree(cwd, byBlob) {
    const keys = new Set();
    const tree = gitStream(cwd, ['ls-tree', '-r', 'HEAD'], 'git ls-tree');
    try {
        for await (const lines of lineBatches(tree.stdout)) {
            for (const line of lines) {
                const sha = line.split('\t', 1)[0]?.split(' ')[2];
                for (const r of (sha && byBlob.get(sha)) || [])
                    keys.add(`${r.finding.ruleId}\0${r.secretId}`);
            }
        }
        await tree.done;
    }
    finally {
        tree.kill();
    }
    return keys;
}

// EXTERNAL MODULE: ./src/scan/scan-text.ts
var scan_text = __webpack_require__(1578);
;// CONCATENATED MODULE: ./src/scan/index.ts
/**
 * The scanner's public surface: scan a tree, a diff, the commits of a range, the whole git
 * history or a string; every mode returns findings with redacted previews and paths relative to
 * the scanned directory.
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
function gitOptions(options) {
    return {
        exclude: options.exclude,
        maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
        workers: options.workers,
        compiled: options.compiled,
        baselineSalt: options.baselineSalt,
        logger: options.logger,
    };
}
/** Scans every file under `root` (or the single file `root`). */
async function scanTree(root, options = {}) {
    const compiled = options.compiled ?? (0,engine/* defaultRules */.Z4)();
    const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    const fileOptions = { compiled, maxFileSize, baselineSalt: options.baselineSalt };
    const filter = new paths/* PathFilter */.uI(options.exclude);
    const stats = (0,scan_files/* emptyStats */.bD)();
    const skipped = [];
    const { stat } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 23));
    const st = await stat(root);
    if (st.isFile()) {
        const rel = (options.pathPrefix ?? '') + external_node_path_default().basename(root);
        const findings = await (0,scan_files/* scanFile */.WN)({ abs: root, rel }, fileOptions, stats, skipped);
        return { findings: finish(findings), stats, skipped };
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
            return { findings: finish(result.findings), stats, skipped: result.skipped };
        }
        const findings = [];
        for (const f of head)
            findings.push(...(await (0,scan_files/* scanFile */.WN)(f, fileOptions, stats, skipped)));
        return { findings: finish(findings), stats, skipped };
    }
    const findings = [];
    for await (const f of files)
        findings.push(...(await (0,scan_files/* scanFile */.WN)(f, fileOptions, stats, skipped)));
    return { findings: finish(findings), stats, skipped };
}
/** Scans only the lines a change adds (the net change, from the merge-base). Paths are relative to `cwd`. */
async function scanDiff(cwd, spec, options = {}) {
    const r = await scanAddedLines(cwd, spec, gitOptions(options));
    return { ...r, findings: finish(r.findings) };
}
/**
 * Scans every commit of a selection (`BASE..HEAD`), each against its parent(s); findings carry the
 * commit that introduced them and whether they are still at the head. Paths are relative to `cwd`.
 */
async function scan_scanCommits(cwd, selection, options = {}) {
    const r = await scanCommits(cwd, selection, gitOptions(options));
    return { ...r, findings: finish(r.findings) };
}
/**
 * Scans every blob reachable from any ref once; findings carry the commit that introduced them
 * and whether they are still in HEAD. Paths are relative to `cwd`.
 */
async function scan_scanHistory(cwd, options = {}) {
    const r = await scanHistory(cwd, gitOptions(options));
    return { ...r, findings: finish(r.findings) };
}
/** Scans a string (stdin); `name` is the path shown in reports. */
function scanString(text, name, options = {}) {
    const compiled = options.compiled ?? defaultRules();
    const stats = emptyStats();
    stats.files = 1;
    stats.bytes = Buffer.byteLength(text);
    return { findings: finish(scanText(text, { path: name, compiled, baselineSalt: options.baselineSalt })), stats, skipped: [] };
}

// EXTERNAL MODULE: ./src/actions/common/logger.ts
var logger = __webpack_require__(4425);
// EXTERNAL MODULE: ./src/actions/common/inputs.ts
var inputs = __webpack_require__(9120);
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
    maxFileSize: 'max-file-size',
    config: 'config',
};
const OUTPUT = {
    findingsCount: 'findings-count',
    sarifFile: 'sarif-file',
    mode: 'mode',
};
/** What the action can scan; `auto` picks by event (see main.ts). */
const MODES = ['auto', 'diff', 'commits', 'history', 'tree'];
const schema = schemas/* object */.Ikc({
    path: schemas/* string */.YjP(),
    mode: schemas/* enum */.k5n(MODES, { message: `Input "mode" must be ${MODES.slice(0, -1).join(', ')} or ${MODES[MODES.length - 1]}.` }),
    base: schemas/* string */.YjP(),
    head: schemas/* string */.YjP(),
    exclude: schemas/* array */.YOg(schemas/* string */.YjP()),
    baseline: schemas/* string */.YjP(),
    config: schemas/* string */.YjP(),
    failOnFindings: (0,inputs/* booleanField */.hQ)(INPUT.failOnFindings, true),
    sarifFile: schemas/* string */.YjP(),
    comment: (0,inputs/* booleanField */.hQ)(INPUT.comment, false),
    githubToken: schemas/* string */.YjP(),
    workers: schemas/* string */.YjP().regex(/^(?:\d{1,2})?$/, { message: 'Input "workers" must be a whole number.' }),
    maxFileSize: (0,inputs/* inputField */.LF)(INPUT.maxFileSize, (value) => {
        if (value.trim() === '')
            return undefined;
        const bytes = (0,scan_files/* parseByteSize */.nS)(value);
        if (bytes === undefined || bytes <= 0) {
            throw new Error(`Input "${INPUT.maxFileSize}" must be a size like 10MB or 500KB, not ${JSON.stringify(value.slice(0, 40))}.`);
        }
        return bytes;
    }),
});
function readConfig() {
    const raw = {
        path: core/* getInput */.V4(INPUT.path) || '.',
        mode: (core/* getInput */.V4(INPUT.mode) || 'auto').toLowerCase(),
        base: core/* getInput */.V4(INPUT.base),
        head: core/* getInput */.V4(INPUT.head),
        exclude: core/* getMultilineInput */.q3(INPUT.exclude),
        baseline: core/* getInput */.V4(INPUT.baseline),
        config: core/* getInput */.V4(INPUT.config),
        failOnFindings: core/* getInput */.V4(INPUT.failOnFindings),
        sarifFile: core/* getInput */.V4(INPUT.sarifFile),
        comment: core/* getInput */.V4(INPUT.comment),
        githubToken: core/* getInput */.V4(INPUT.githubToken),
        workers: core/* getInput */.V4(INPUT.workers),
        maxFileSize: core/* getInput */.V4(INPUT.maxFileSize),
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
var markdown = __webpack_require__(2092);
;// CONCATENATED MODULE: ./src/actions/scan/report.ts
/** What the action shows people: annotations, job summary, PR comment. All escaped, all redacted. */


const COMMENT_MARKER = '<!-- ass-scan:pr-comment -->';
const MAX_ROWS = 50;
const MAX_SKIPPED = 20;
function findingsTable(findings, mode) {
    const withCommits = findings.some((f) => f.commit);
    const rows = findings.slice(0, MAX_ROWS).map((f) => {
        const cells = [
            (0,markdown/* escapeMarkdown */.F)(f.path),
            String(f.line),
            (0,markdown/* escapeMarkdown */.F)(f.ruleId),
            (0,markdown/* escapeMarkdown */.F)(f.severity),
            `<code>${(0,markdown/* escapeMarkdown */.F)(f.preview)}</code>`,
        ];
        if (withCommits) {
            const c = f.commit;
            const commit = c
                ? `<code>${(0,markdown/* escapeMarkdown */.F)(c.sha.slice(0, 12))}</code> ${(0,markdown/* escapeMarkdown */.F)(c.date.slice(0, 10))} ${(0,markdown/* escapeMarkdown */.F)(c.author)}: ${(0,markdown/* escapeMarkdown */.F)(c.subject)}`
                : '';
            const note = historyNote(f, mode);
            cells.push(note ? `${commit}<br>**${(0,markdown/* escapeMarkdown */.F)(note.replace(/; rotate it$/, ''))}**` : commit);
        }
        return `| ${cells.join(' | ')} |`;
    });
    const more = findings.length > MAX_ROWS ? `\n\n…and ${findings.length - MAX_ROWS} more (see the SARIF report).` : '';
    const head = withCommits
        ? '| File | Line | Rule | Severity | Preview | Introduced by |\n| --- | --- | --- | --- | --- | --- |'
        : '| File | Line | Rule | Severity | Preview |\n| --- | --- | --- | --- | --- |';
    return `${head}\n${rows.join('\n')}${more}`;
}
function skippedMarkdown(skipped) {
    if (skipped.length === 0)
        return '';
    const items = skipped
        .slice(0, MAX_SKIPPED)
        .map((s) => `- ${(0,markdown/* escapeMarkdown */.F)(s.path)} (${s.bytes} bytes${s.commit ? `, commit <code>${(0,markdown/* escapeMarkdown */.F)(s.commit.slice(0, 12))}</code>` : ''})`);
    const more = skipped.length > MAX_SKIPPED ? `\n- …and ${skipped.length - MAX_SKIPPED} more` : '';
    return `\n\n**${skipped.length} file${skipped.length === 1 ? ' was' : 's were'} not scanned**, over the size cap (raise it with the \`max-file-size\` input, or check them by hand):\n\n${items.join('\n')}${more}\n`;
}
function summaryMarkdown(findings, ctx) {
    const { baselined } = ctx;
    const scope = (0,markdown/* escapeMarkdown */.F)(ctx.scope);
    const base = baselined > 0 ? ` (${baselined} known finding${baselined === 1 ? '' : 's'} in the baseline not shown)` : '';
    const skipped = skippedMarkdown(ctx.skipped ?? []);
    if (findings.length === 0) {
        return `## Secret scan\n\nNo secrets found in ${scope}${base}${skipped ? ' (but see below)' : ''}.\n${skipped}`;
    }
    const historyOnly = findings.filter((f) => f.inHead === false).length;
    const history = historyOnly > 0
        ? `\n\n**${historyOnly} of these ${historyOnly === 1 ? 'is' : 'are'} no longer in ${ctx.mode === 'history' ? 'HEAD' : 'the head'}, but ${historyOnly === 1 ? 'is' : 'are'} still in the git history.** ${(0,markdown/* escapeMarkdown */.F)(HISTORY_ONLY_ADVICE)}`
        : '';
    return `## Secret scan\n\n${findings.length} possible secret${findings.length === 1 ? '' : 's'} in ${scope}${base}.\n\n${findingsTable(findings, ctx.mode)}\n\nRemove each credential, rotate it with its provider, and load it at run time instead. A false positive can be silenced with an \`ass:allow\` comment on the line or a baseline entry.${history}\n${skipped}`;
}
/** The PR comment: the marker that finds it again, then the summary. */
function commentBody(summary) {
    return `${COMMENT_MARKER}\n${summary}`;
}
function annotationTitle(f) {
    return `Hardcoded secret (${f.ruleId})${f.commit ? ` added in ${f.commit.sha.slice(0, 12)}` : ''}`;
}
/**
 * An annotation's text: one line (the runner escapes line breaks in it, and everything from a
 * commit has had its control characters replaced already; safeText again, in case).
 */
function annotationMessage(f, mode) {
    const commit = commitLine(f);
    const note = historyNote(f, mode);
    const parts = [`${f.description} (${f.ruleId}, ${f.severity}): ${f.preview}.`];
    if (commit)
        parts.push(`${commit.charAt(0).toUpperCase()}${commit.slice(1)}.`);
    if (note)
        parts.push(`It is ${note.replace(/; rotate it$/, '')}: deleting it is not enough, rotate it.`);
    else
        parts.push('Remove it, rotate it, and load it at run time.');
    return safeText(parts.join(' '));
}

;// CONCATENATED MODULE: ./src/actions/scan/main.ts
/**
 * The scan action. `mode: auto` scans what lands: on pull_request every commit of the PR
 * (base..head from the event payload), on push the pushed commits (before..after; a new branch or
 * tag, or a force push whose old tip is gone, scans the commits no other branch or tag has), and on
 * any other event the whole tree. `mode: history` scans the whole git history (the scheduled job),
 * `diff` the net change from the merge-base, `tree` the files. Findings become error annotations
 * at the file and line of the commit that introduced them, a job summary, a SARIF file (its path is
 * an output) and optionally one PR comment, updated in place.
 */













const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);
const ZERO = /^0+$/;
function readPayload(name, file) {
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch {
        throw new errors/* AppError */.uV('invalid_input', `cannot read the ${name} event payload at GITHUB_EVENT_PATH; set input mode: tree to scan the whole tree`);
    }
}
function readEvent() {
    const name = process.env.GITHUB_EVENT_NAME ?? '';
    const file = process.env.GITHUB_EVENT_PATH;
    if (!file || (!PR_EVENTS.has(name) && name !== 'push'))
        return { name };
    const payload = readPayload(name, file);
    if (name === 'push') {
        const str = (v) => (typeof v === 'string' ? v : '');
        const after = str(payload.after) || process.env.GITHUB_SHA || '';
        const ref = str(payload.ref) || process.env.GITHUB_REF || '';
        if (!after || !ref) {
            throw new errors/* AppError */.uV('invalid_input', 'the push event payload has no "after" commit or "ref"; set input mode: tree to scan the whole tree');
        }
        return { name, push: { ref, before: str(payload.before), after, deleted: payload.deleted === true || ZERO.test(after) } };
    }
    const pr = payload.pull_request;
    if (!pr?.base?.sha || !pr.head?.sha || typeof pr.number !== 'number') {
        throw new errors/* AppError */.uV('invalid_input', `the ${name} event payload has no pull_request base/head SHAs; set input mode: tree to scan the whole tree`);
    }
    return { name, pr: { number: pr.number, base: pr.base.sha, head: pr.head.sha } };
}
/** The commits of a push: before..after, or for a new ref (or a rewritten one whose old tip is gone) those no other ref has. */
async function pushSelection(root, push) {
    if (push.before && !ZERO.test(push.before)) {
        if ((await hasCommit(root, push.before)) || (await isShallow(root))) {
            // In a shallow clone a missing `before` gets the fetch-depth advice from the scan itself.
            return { selection: { kind: 'range', base: push.before, head: push.after } };
        }
        return {
            selection: { kind: 'new-ref', head: push.after, ref: push.ref },
            note: `The push's previous tip ${push.before.slice(0, 12)} is not in this clone (a force push replaced it), so the commits of ${push.ref} that no other branch or tag has are scanned.`,
        };
    }
    return {
        selection: { kind: 'new-ref', head: push.after, ref: push.ref },
        note: `${push.ref} is new, so the commits it has that no other branch or tag has are scanned.`,
    };
}
async function scan(cfg, root, event, baseline, compiled) {
    // The baseline's salt keys each finding's baseline entry (scrypt), so it is read before scanning.
    const options = {
        exclude: cfg.exclude,
        workers: cfg.workers,
        logger: logger/* actionsLogger */.M,
        baselineSalt: baseline?.salt,
        ...(cfg.maxFileSize !== undefined ? { maxFileSize: cfg.maxFileSize } : {}),
        ...(compiled ? { compiled } : {}),
    };
    const { pr, push } = event;
    const mode = cfg.mode === 'auto' ? (pr || push ? 'commits' : 'tree') : cfg.mode;
    if (mode === 'history') {
        core/* info */.pq('Scanning the whole git history: every blob reachable from any branch, tag or other ref.');
        const result = await scan_scanHistory(root, options);
        return { result, mode, scope: `the whole git history (${result.stats.commits} commits)` };
    }
    if (mode === 'tree') {
        core/* info */.pq(`Scanning the whole tree: ${external_node_path_default().relative(process.env.GITHUB_WORKSPACE ?? process.cwd(), root) || '.'}`);
        return { result: await scanTree(root, options), mode, scope: 'the whole tree' };
    }
    const base = cfg.base || pr?.base;
    const head = cfg.head || pr?.head;
    if (mode === 'diff') {
        if (!base || !head) {
            throw new errors/* AppError */.uV('invalid_input', 'mode: diff needs a pull_request event or the base and head inputs (commit SHAs or refs)');
        }
        core/* info */.pq(`Scanning lines added between ${base.slice(0, 12)} and ${head.slice(0, 12)} (from their merge-base).`);
        const scope = pr && !cfg.base && !cfg.head ? 'lines added by this pull request' : 'lines added since the merge-base of base and head';
        return { result: await scanDiff(root, { kind: 'range', base, head }, options), mode, scope };
    }
    // Commits: inputs first, then the pull request, then the push.
    let selection;
    let what;
    if (base && head) {
        selection = { kind: 'range', base, head };
        what = pr && !cfg.base && !cfg.head ? 'this pull request' : `${base.slice(0, 12)}..${head.slice(0, 12)}`;
    }
    else if (push && !base && !head) {
        if (push.deleted) {
            core/* info */.pq(`The push deleted ${push.ref}: no commits to scan.`);
            return undefined;
        }
        const chosen = await pushSelection(root, push);
        if (chosen.note)
            core/* info */.pq(chosen.note);
        selection = chosen.selection;
        what = 'this push';
    }
    else {
        throw new errors/* AppError */.uV('invalid_input', 'mode: commits needs a pull_request or push event, or the base and head inputs (commit SHAs or refs)');
    }
    core/* info */.pq(selection.kind === 'range'
        ? `Scanning every commit of ${selection.head.slice(0, 12)} that ${selection.base.slice(0, 12)} lacks, each against its parent.`
        : `Scanning the commits of ${selection.head.slice(0, 12)} that no other branch or tag has, each against its parent.`);
    const result = await scan_scanCommits(root, selection, options);
    return { result, mode, scope: `the ${result.stats.commits} commit${result.stats.commits === 1 ? '' : 's'} of ${what}` };
}
async function upsertComment(cfg, pr, body, findings) {
    const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo)
        throw new errors/* AppError */.uV('invalid_input', 'GITHUB_REPOSITORY is not set; the PR comment needs it');
    if (!cfg.githubToken)
        throw new errors/* AppError */.uV('invalid_input', 'input github-token is empty; the PR comment needs a token with pull-requests: write');
    // Loaded here, not at the top: octokit and its own undici are most of the bundle, and only a
    // run with comment: true on a pull request needs them.
    const { getOctokit } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    const octokit = getOctokit(cfg.githubToken);
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr.number, per_page: 100 });
    const existing = comments.find((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER));
    if (existing) {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
        core/* info */.pq(`Updated the scan comment on pull request #${pr.number}.`);
    }
    else if (findings > 0) {
        await octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body });
        core/* info */.pq(`Commented on pull request #${pr.number}.`);
    }
}
async function run() {
    try {
        const cfg = readConfig();
        const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
        const root = external_node_path_default().resolve(workspace, cfg.path);
        const event = readEvent();
        const baseline = cfg.baseline ? await readBaseline(external_node_path_default().resolve(workspace, cfg.baseline), cfg.baseline) : undefined;
        // Custom rules and allowlists: the `config` input, else .ass-scan.json under `path`.
        const scanConfig = await findScanConfig(root, cfg.config ? external_node_path_default().resolve(workspace, cfg.config) : undefined);
        const compiled = configuredRules(scanConfig);
        if (scanConfig && compiled) {
            core/* info */.pq(`${scanConfig.source}: ${scanConfig.customRules.length} custom rule(s), ${scanConfig.disabled.length} built-in rule(s) disabled.`);
        }
        const scanned = (await scan(cfg, root, event, baseline, compiled)) ?? {
            result: { findings: [], stats: { commits: 0, files: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0, excluded: 0 }, skipped: [] },
            mode: 'commits',
            scope: 'this push (it deleted a ref)',
        };
        const { result, mode, scope } = scanned;
        let findings = result.findings;
        let baselined = 0;
        if (baseline) {
            const applied = applyBaseline(findings, baseline);
            findings = applied.findings;
            baselined = applied.suppressed;
        }
        // Annotations and SARIF want repository-relative paths; the scan's are relative to `path`.
        const prefix = external_node_path_default().relative(workspace, root).split((external_node_path_default()).sep).join('/');
        const inRepo = prefix && !prefix.startsWith('..');
        const shown = inRepo ? findings.map((f) => ({ ...f, path: `${prefix}/${f.path}` })) : findings;
        const skipped = inRepo ? result.skipped.map((s) => ({ ...s, path: `${prefix}/${s.path}` })) : result.skipped;
        for (const f of shown) {
            core/* error */.z3(annotationMessage(f, mode), {
                title: annotationTitle(f),
                // The runner shows this as it is: a file name's controls and direction overrides must not reach it.
                file: safeText(f.path),
                startLine: f.line,
                endLine: f.endLine,
                startColumn: f.column,
                ...(f.endLine === f.line ? { endColumn: f.endColumn } : {}),
            });
        }
        if (skipped.length > 0) {
            core/* warning */.$e(`${skipped.length} file${skipped.length === 1 ? ' was' : 's were'} not scanned, over the size cap:\n${skippedLines(skipped).join('\n')}`);
        }
        const sarifFile = external_node_path_default().resolve(workspace, cfg.sarifFile || external_node_path_default().join(process.env.RUNNER_TEMP ?? workspace, 'ass-scan.sarif'));
        const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
        const repository = process.env.GITHUB_REPOSITORY;
        await (0,promises_.mkdir)(external_node_path_default().dirname(sarifFile), { recursive: true });
        await (0,promises_.writeFile)(sarifFile, formatSarif({
            findings: shown,
            stats: result.stats,
            baselined,
            skipped,
            mode,
            ...(result.head ? { head: result.head } : {}),
            ...(repository && /^[\w.-]+\/[\w.-]+$/.test(repository) ? { repositoryUri: `${server}/${repository}` } : {}),
        }));
        core/* setOutput */.uH(OUTPUT.sarifFile, sarifFile);
        core/* setOutput */.uH(OUTPUT.findingsCount, String(shown.length));
        core/* setOutput */.uH(OUTPUT.mode, mode);
        const summary = summaryMarkdown(shown, { scope, mode, baselined, skipped });
        await core/* summary */.z.addRaw(summary).write();
        if (cfg.comment && event.pr)
            await upsertComment(cfg, event.pr, commentBody(summary), shown.length);
        core/* info */.pq(`${scannedText(result.stats, mode)}; ${shown.length} finding(s).`);
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

/***/ 4296:
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


/***/ }),

/***/ 8456:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ isLoopbackHost)
/* harmony export */ });
/* harmony import */ var ipaddr_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8280);
/* harmony import */ var ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(ipaddr_js__WEBPACK_IMPORTED_MODULE_0__);

/**
 * True when `host` names this machine's loopback interface: `localhost`, an IPv4 address in
 * 127.0.0.0/8 (dotted-quad only, so `127.1` or octal spellings are not guessed at), or the IPv6
 * loopback in any spelling (`::1`, `0:0:0:0:0:0:0:1`, the IPv4-mapped `::ffff:127.0.0.1`), bare or
 * in brackets as URL hostnames write it. Plain http is accepted only for such hosts: nothing sent
 * to them leaves the machine.
 */
function isLoopbackHost(host) {
    const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (h === 'localhost')
        return true;
    if (ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default().IPv4.isValidFourPartDecimal(h))
        return ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default().IPv4.parse(h).range() === 'loopback';
    if (!h.includes(':') || !ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default().IPv6.isValid(h))
        return false;
    const address = ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default().IPv6.parse(h);
    return address.isIPv4MappedAddress() ? address.toIPv4Address().range() === 'loopback' : address.range() === 'loopback';
}


/***/ })

};
