export const id = 146;
export const ids = [146];
export const modules = {

/***/ 6146:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CONFIG_FILE_NAME: () => (/* binding */ CONFIG_FILE_NAME),
  configuredRules: () => (/* binding */ configuredRules),
  findScanConfig: () => (/* binding */ findScanConfig),
  parseScanConfig: () => (/* binding */ parseScanConfig),
  readScanConfig: () => (/* binding */ readScanConfig)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 2 modules
var schemas = __webpack_require__(8343);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
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
function parseScanConfig(text, source, base = scan_rules.RULES) {
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
    const changes = config.customRules.length > 0 || config.disabled.length > 0 || config.rules.some((r, i) => r !== scan_rules.RULES[i]);
    return changes ? (0,engine/* compileRules */.nb)(config.rules) : undefined;
}


/***/ })

};
