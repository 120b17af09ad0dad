export const id = 421;
export const ids = [421];
export const modules = {

/***/ 7421:
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
;// CONCATENATED MODULE: ./src/scan/baseline.ts
/**
 * Baseline files let an existing repository adopt the check without fixing history first. Entries
 * are content fingerprints (sha256 of rule, path and secret): they survive line moves and edits
 * elsewhere in the file, never suppress a different secret, and hold no secret themselves.
 */



const BASELINE_VERSION = 1;
const baselineSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(BASELINE_VERSION),
    findings: schemas/* array */.YOg(schemas/* object */.Ikc({
        fingerprint: schemas/* string */.YjP().regex(/^[a-f0-9]{64}$/),
        ruleId: schemas/* string */.YjP(),
        path: schemas/* string */.YjP(),
    })),
});
function baselineFrom(findings) {
    const seen = new Map();
    for (const f of findings)
        seen.set(f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.path });
    const entries = [...seen.values()].sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
    return { version: BASELINE_VERSION, findings: entries };
}
async function writeBaseline(file, findings) {
    await (0,promises_.writeFile)(file, `${JSON.stringify(baselineFrom(findings), null, 2)}\n`);
}
/** Reads a baseline; `shown` is the path as the user wrote it, for messages. */
async function readBaseline(file, shown = file) {
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
        throw new errors/* AppError */.uV('invalid_input', `baseline file ${shown} is not JSON; regenerate it with \`ass scan --write-baseline ${shown}\``);
    }
    const parsed = baselineSchema.safeParse(json);
    if (!parsed.success) {
        throw new errors/* AppError */.uV('invalid_input', `baseline file ${shown} is not an ass scan baseline (version ${BASELINE_VERSION}); regenerate it with \`ass scan --write-baseline ${shown}\``);
    }
    return parsed.data;
}
/** Splits findings into new ones and baselined ones, and lists baseline entries no longer seen. */
function applyBaseline(findings, baseline) {
    const known = new Set(baseline.findings.map((e) => e.fingerprint));
    const used = new Set();
    const kept = [];
    for (const f of findings) {
        if (known.has(f.fingerprint))
            used.add(f.fingerprint);
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

;// CONCATENATED MODULE: ./src/scan/checksum.ts
/**
 * Offline structure checks for credential formats that carry a checksum, so a look-alike string
 * (a test fixture, a truncated or hand-edited token) is not reported as a leak.
 */
const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        table[n] = c >>> 0;
    }
    return table;
})();
/** CRC-32 (IEEE 802.3, the one zlib uses) of the string's UTF-8 bytes; ASCII input expected. */
function crc32(text) {
    const bytes = Buffer.from(text, 'utf8');
    let crc = 0xffffffff;
    for (const b of bytes)
        crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}
const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Base62 encoding (alphabet `0-9A-Za-z`), left-padded with `0` to `width` characters. */
function base62(value, width) {
    let out = '';
    let v = value;
    while (v > 0) {
        out = BASE62_ALPHABET[v % 62] + out;
        v = Math.floor(v / 62);
    }
    return out.padStart(width, '0');
}
/**
 * GitHub (`ghp_` and friends) and npm (`npm_`) tokens: after the prefix come 30 random base62
 * characters and a 6-character base62 CRC32 of those 30 characters.
 */
function validPrefixedCrc62(token) {
    const body = token.slice(token.indexOf('_') + 1);
    if (body.length < 7)
        return false;
    const payload = body.slice(0, -6);
    return base62(crc32(payload), 6) === body.slice(-6);
}
/**
 * This product's own credentials (`ass_<kind>_` + 16 id + 43 random + 6 CRC): the checksum covers
 * everything before it, prefix included (docs/architecture.md, "Credential formats").
 */
function validAssCredential(token) {
    if (token.length < 7)
        return false;
    return base62(crc32(token.slice(0, -6)), 6) === token.slice(-6);
}
/** Cloudflare prefixed tokens: 8 lowercase hex digits of the CRC32 of the body before them. */
function validCloudflareToken(token) {
    const body = token.slice(token.indexOf('_') + 1);
    if (body.length <= 8)
        return false;
    const payload = body.slice(0, -8);
    return crc32(payload).toString(16).padStart(8, '0') === body.slice(-8);
}
/** Appends a valid checksum: used by tests and the benchmark to mint realistic fake tokens. */
function withCrc62(prefix, random30) {
    return `${prefix}${random30}${base62(crc32(random30), 6)}`;
}

;// CONCATENATED MODULE: ./src/scan/rules.ts
/**
 * The rules, as data. Each rule names a credential type: its provider, severity, the literal
 * keywords that must occur near a match (the prefilter runs the expression only around them) and
 * the expression. `secretGroup` picks the secret out of the match (default: group 1 when present).
 *
 * Formats come from the providers' published token formats (see docs/scan.md); expressions are
 * bounded (no nested unbounded quantifiers) because V8's engine backtracks.
 */

const B62 = '[0-9A-Za-z]';
/** `name = "value"`-style context for providers whose keys have no distinctive prefix. */
function named(nameRe, valueRe) {
    return new RegExp(String.raw `(?<![A-Za-z0-9])(?:${nameRe})[A-Za-z0-9_.-]{0,24}["']?\s*(?::=|=>|:|=)\s*["'\x60]?(${valueRe})(?![A-Za-z0-9_+/=-])`, 'i');
}
function githubRule(prefix, id, what) {
    return {
        id,
        description: `GitHub ${what}`,
        provider: 'GitHub',
        severity: 'critical',
        keywords: [prefix],
        pattern: new RegExp(String.raw `\b(${prefix}${B62}{36})\b`),
        validate: validPrefixedCrc62,
        checksum: true,
    };
}
const PEM_BODY = String.raw `((?:[A-Za-z0-9+/=]{16,}(?:\\r)?(?:\\n|[ \t]*\r?\n|[ \t]+)){2,}[A-Za-z0-9+/=]{0,120})`;
const RULES = [
    // ---- This product's own credentials ----
    {
        id: 'ass-credential',
        description: 'Agent Secret Store credential (user, agent, scoped or pipeline token)',
        provider: 'Agent Secret Store',
        severity: 'critical',
        keywords: ['ass_u_', 'ass_a_', 'ass_t_', 'ass_p_'],
        pattern: new RegExp(String.raw `\b(ass_[uatp]_${B62}{65})\b`),
        validate: validAssCredential,
        checksum: true,
    },
    // ---- GitHub ----
    githubRule('ghp_', 'github-pat', 'personal access token (classic)'),
    githubRule('gho_', 'github-oauth-token', 'OAuth access token'),
    githubRule('ghu_', 'github-app-user-token', 'App user-to-server token'),
    githubRule('ghs_', 'github-app-server-token', 'App installation (server-to-server) token'),
    githubRule('ghr_', 'github-refresh-token', 'refresh token'),
    {
        id: 'github-fine-grained-pat',
        description: 'GitHub fine-grained personal access token',
        provider: 'GitHub',
        severity: 'critical',
        keywords: ['github_pat_'],
        pattern: new RegExp(String.raw `\b(github_pat_${B62}{22}_${B62}{59})\b`),
        minEntropy: 3.5,
    },
    // ---- npm, PyPI, package registries ----
    {
        id: 'npm-token',
        description: 'npm access token',
        provider: 'npm',
        severity: 'critical',
        keywords: ['npm_'],
        pattern: new RegExp(String.raw `\b(npm_${B62}{36})\b`),
        validate: validPrefixedCrc62,
        checksum: true,
    },
    {
        id: 'npmrc-auth-token',
        description: 'Registry auth token in an .npmrc file',
        provider: 'npm',
        severity: 'high',
        keywords: ['_authtoken'],
        pattern: /_authToken\s*=\s*["']?([A-Za-z0-9_+/=.-]{20,200})/,
        path: /(?:^|\/)\.npmrc$/,
    },
    {
        id: 'pypi-token',
        description: 'PyPI upload token',
        provider: 'PyPI',
        severity: 'critical',
        keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
        pattern: /\b(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})/,
    },
    {
        id: 'rubygems-api-key',
        description: 'RubyGems API key',
        provider: 'RubyGems',
        severity: 'high',
        keywords: ['rubygems_'],
        pattern: /\b(rubygems_[a-f0-9]{48})\b/,
    },
    {
        id: 'nuget-api-key',
        description: 'NuGet API key',
        provider: 'NuGet',
        severity: 'high',
        keywords: ['oy2'],
        pattern: /\b(oy2[a-z0-9]{43})\b/,
        minEntropy: 3.5,
    },
    {
        id: 'clojars-token',
        description: 'Clojars deploy token',
        provider: 'Clojars',
        severity: 'high',
        keywords: ['clojars_'],
        pattern: /\b(CLOJARS_[a-z0-9]{60})\b/i,
    },
    // ---- AI providers ----
    {
        id: 'openai-api-key',
        description: 'OpenAI API key',
        provider: 'OpenAI',
        severity: 'critical',
        keywords: ['t3blbkfj'],
        pattern: /\b(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,150}T3BlbkFJ[A-Za-z0-9_-]{20,150})(?![A-Za-z0-9_-])/,
    },
    {
        id: 'anthropic-api-key',
        description: 'Anthropic API key',
        provider: 'Anthropic',
        severity: 'critical',
        keywords: ['sk-ant-'],
        pattern: /\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,110}AA)(?![A-Za-z0-9_-])/,
    },
    {
        id: 'google-api-key',
        description: 'Google API key (Gemini, Maps, Firebase and other Google Cloud APIs)',
        provider: 'Google',
        severity: 'high',
        keywords: ['aiza'],
        pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/,
        minEntropy: 3.5,
    },
    {
        id: 'google-oauth-client-secret',
        description: 'Google OAuth client secret',
        provider: 'Google',
        severity: 'high',
        keywords: ['gocspx-'],
        pattern: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
    },
    {
        id: 'gcp-service-account-key',
        description: 'Private key inside a Google Cloud service-account JSON file',
        provider: 'Google',
        severity: 'critical',
        keywords: ['"private_key"'],
        pattern: new RegExp(String.raw `"private_key"\s*:\s*"-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\n|\s)+((?:[A-Za-z0-9+/=]{16,}(?:\\n|\s)+){2,}[A-Za-z0-9+/=]{0,120})`),
        multiline: true,
        validate: (body) => body.startsWith('MI'),
    },
    { id: 'groq-api-key', description: 'Groq API key', provider: 'Groq', severity: 'high', keywords: ['gsk_'], pattern: /\b(gsk_[A-Za-z0-9]{52})\b/ },
    { id: 'xai-api-key', description: 'xAI API key', provider: 'xAI', severity: 'high', keywords: ['xai-'], pattern: /\b(xai-[A-Za-z0-9]{80})\b/ },
    { id: 'huggingface-token', description: 'Hugging Face access token', provider: 'Hugging Face', severity: 'high', keywords: ['hf_'], pattern: /\b(hf_[A-Za-z]{34})\b/, minEntropy: 3.5 },
    { id: 'replicate-api-token', description: 'Replicate API token', provider: 'Replicate', severity: 'high', keywords: ['r8_'], pattern: /\b(r8_[A-Za-z0-9]{37})\b/, minEntropy: 3.5 },
    { id: 'perplexity-api-key', description: 'Perplexity API key', provider: 'Perplexity', severity: 'high', keywords: ['pplx-'], pattern: /\b(pplx-[A-Za-z0-9]{48})\b/ },
    { id: 'langsmith-api-key', description: 'LangSmith API key', provider: 'LangChain', severity: 'high', keywords: ['lsv2_'], pattern: /\b(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b/ },
    { id: 'pinecone-api-key', description: 'Pinecone API key', provider: 'Pinecone', severity: 'high', keywords: ['pcsk_'], pattern: /\b(pcsk_[A-Za-z0-9_]{50,90})\b/ },
    // ---- Cloud ----
    {
        id: 'aws-access-key-id',
        description: 'AWS access key ID (a secret access key is usually nearby)',
        provider: 'AWS',
        severity: 'high',
        keywords: ['akia', 'asia', 'abia', 'acca'],
        pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
        minEntropy: 3.0,
    },
    {
        id: 'aws-secret-access-key',
        description: 'AWS secret access key assigned to an AWS-named setting',
        provider: 'AWS',
        severity: 'critical',
        keywords: ['aws'],
        pattern: /(?<![A-Za-z0-9])aws[A-Za-z0-9_.-]{0,20}(?:secret|private)[A-Za-z0-9_.-]{0,20}["']?\s*(?::=|=>|:|=)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i,
        minEntropy: 4.0,
    },
    {
        id: 'azure-storage-account-key',
        description: 'Azure Storage account key in a connection string',
        provider: 'Microsoft Azure',
        severity: 'critical',
        keywords: ['accountkey='],
        pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/i,
        // The storage emulator's (Azurite) key is published in Microsoft's documentation.
        validate: (key) => !key.startsWith('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq'),
    },
    {
        id: 'azure-ad-client-secret',
        description: 'Microsoft Entra ID (Azure AD) application client secret',
        provider: 'Microsoft Azure',
        severity: 'high',
        keywords: ['q~'],
        pattern: /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/,
        minEntropy: 3.5,
    },
    { id: 'alibaba-access-key-id', description: 'Alibaba Cloud AccessKey ID', provider: 'Alibaba Cloud', severity: 'high', keywords: ['ltai'], pattern: /\b(LTAI[A-Za-z0-9]{20})\b/, minEntropy: 3.5 },
    { id: 'digitalocean-token', description: 'DigitalOcean personal access, OAuth or refresh token', provider: 'DigitalOcean', severity: 'critical', keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'], pattern: /\b(do[opr]_v1_[a-f0-9]{64})\b/ },
    { id: 'heroku-api-key-v2', description: 'Heroku API key', provider: 'Heroku', severity: 'high', keywords: ['hrku-'], pattern: /\b(HRKU-[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/ },
    { id: 'heroku-api-key', description: 'Heroku API key assigned to a Heroku-named setting', provider: 'Heroku', severity: 'high', keywords: ['heroku'], pattern: named('heroku', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}') },
    {
        id: 'cloudflare-api-token',
        description: 'Cloudflare API token (prefixed, with checksum)',
        provider: 'Cloudflare',
        severity: 'critical',
        keywords: ['cfk_', 'cfut_', 'cfat_'],
        pattern: /\b((?:cfk|cfut|cfat)_[A-Za-z0-9]{40}[a-f0-9]{8})\b/,
        validate: validCloudflareToken,
        checksum: true,
    },
    { id: 'cloudflare-api-key', description: 'Cloudflare global API key assigned to a Cloudflare-named setting', provider: 'Cloudflare', severity: 'high', keywords: ['cloudflare', 'cf_api'], pattern: named('cloudflare|cf_api', '[a-f0-9]{37}') },
    { id: 'fly-io-token', description: 'Fly.io access token', provider: 'Fly.io', severity: 'high', keywords: ['flyv1 fm'], pattern: /\b(FlyV1 fm\d_[A-Za-z0-9+/=_-]{100,800})/ },
    { id: 'vault-service-token', description: 'HashiCorp Vault service or batch token', provider: 'HashiCorp', severity: 'critical', keywords: ['hvs.', 'hvb.'], pattern: /\b(hv[sb]\.[A-Za-z0-9_-]{90,200})(?![A-Za-z0-9_-])/ },
    { id: 'terraform-cloud-token', description: 'Terraform Cloud / HCP Terraform API token', provider: 'HashiCorp', severity: 'critical', keywords: ['.atlasv1.'], pattern: /\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/ },
    { id: 'supabase-access-token', description: 'Supabase personal access token', provider: 'Supabase', severity: 'high', keywords: ['sbp_'], pattern: /\b(sbp_[a-f0-9]{40})\b/ },
    { id: 'planetscale-token', description: 'PlanetScale password or API token', provider: 'PlanetScale', severity: 'high', keywords: ['pscale_'], pattern: /\b(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64})\b/ },
    { id: 'databricks-token', description: 'Databricks personal access token', provider: 'Databricks', severity: 'high', keywords: ['dapi'], pattern: /\b(dapi[a-f0-9]{32}(?:-\d)?)\b/, minEntropy: 3.0 },
    { id: 'doppler-token', description: 'Doppler token', provider: 'Doppler', severity: 'high', keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'], pattern: /\b(dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44})\b/ },
    { id: 'onepassword-service-account-token', description: '1Password service account token', provider: '1Password', severity: 'critical', keywords: ['ops_eyj'], pattern: /\b(ops_eyJ[A-Za-z0-9+/=]{250,})/ },
    { id: 'pulumi-access-token', description: 'Pulumi access token', provider: 'Pulumi', severity: 'high', keywords: ['pul-'], pattern: /\b(pul-[a-f0-9]{40})\b/ },
    { id: 'buildkite-token', description: 'Buildkite user access token', provider: 'Buildkite', severity: 'high', keywords: ['bkua_'], pattern: /\b(bkua_[a-f0-9]{40})\b/ },
    { id: 'infracost-api-key', description: 'Infracost API key', provider: 'Infracost', severity: 'medium', keywords: ['ico-'], pattern: /\b(ico-[A-Za-z0-9]{32})\b/, minEntropy: 3.5 },
    { id: 'prefect-api-key', description: 'Prefect API key', provider: 'Prefect', severity: 'high', keywords: ['pnu_'], pattern: /\b(pnu_[A-Za-z0-9]{36})\b/, minEntropy: 3.5 },
    // ---- Source hosting, CI ----
    { id: 'gitlab-pat', description: 'GitLab personal access token', provider: 'GitLab', severity: 'critical', keywords: ['glpat-'], pattern: /\b(glpat-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/, minEntropy: 3.0 },
    { id: 'gitlab-deploy-token', description: 'GitLab deploy token', provider: 'GitLab', severity: 'high', keywords: ['gldt-'], pattern: /\b(gldt-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/, minEntropy: 3.0 },
    { id: 'gitlab-runner-token', description: 'GitLab runner authentication token', provider: 'GitLab', severity: 'high', keywords: ['glrt-'], pattern: /\b(glrt-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/, minEntropy: 3.0 },
    { id: 'gitlab-pipeline-trigger-token', description: 'GitLab pipeline trigger token', provider: 'GitLab', severity: 'high', keywords: ['glptt-'], pattern: /\b(glptt-[a-f0-9]{40})\b/ },
    { id: 'gitlab-oauth-app-secret', description: 'GitLab OAuth application secret', provider: 'GitLab', severity: 'high', keywords: ['gloas-'], pattern: /\b(gloas-[a-f0-9]{64})\b/ },
    { id: 'bitbucket-app-password', description: 'Bitbucket app password', provider: 'Atlassian', severity: 'high', keywords: ['atbb'], pattern: /\b(ATBB[A-Za-z0-9_=.-]{32,})(?![A-Za-z0-9_=.-])/, minEntropy: 3.5 },
    { id: 'atlassian-api-token', description: 'Atlassian API token', provider: 'Atlassian', severity: 'high', keywords: ['atatt'], pattern: /\b(ATATT[A-Za-z0-9_=-]{150,250})(?![A-Za-z0-9_=-])/ },
    // ---- Payments, commerce ----
    { id: 'stripe-secret-key', description: 'Stripe live secret key', provider: 'Stripe', severity: 'critical', keywords: ['sk_live_'], pattern: /\b(sk_live_[A-Za-z0-9]{24,99})\b/ },
    { id: 'stripe-restricted-key', description: 'Stripe live restricted key', provider: 'Stripe', severity: 'critical', keywords: ['rk_live_'], pattern: /\b(rk_live_[A-Za-z0-9]{24,99})\b/ },
    { id: 'stripe-test-secret-key', description: 'Stripe test-mode secret key', provider: 'Stripe', severity: 'low', keywords: ['sk_test_', 'rk_test_'], pattern: /\b([sr]k_test_[A-Za-z0-9]{24,99})\b/ },
    { id: 'stripe-webhook-secret', description: 'Stripe webhook signing secret', provider: 'Stripe', severity: 'high', keywords: ['whsec_'], pattern: /\b(whsec_[A-Za-z0-9+/]{32,64}={0,2})/, minEntropy: 3.5 },
    { id: 'square-access-token', description: 'Square access token', provider: 'Square', severity: 'critical', keywords: ['sq0atp-', 'eaaa'], pattern: /\b(sq0atp-[A-Za-z0-9_-]{22}|EAAA[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/, minEntropy: 3.5 },
    { id: 'square-oauth-secret', description: 'Square OAuth secret', provider: 'Square', severity: 'high', keywords: ['sq0csp-'], pattern: /\b(sq0csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/ },
    { id: 'shopify-access-token', description: 'Shopify Admin API access token', provider: 'Shopify', severity: 'critical', keywords: ['shpat_'], pattern: /\b(shpat_[a-fA-F0-9]{32})\b/ },
    { id: 'shopify-custom-app-token', description: 'Shopify custom app access token', provider: 'Shopify', severity: 'critical', keywords: ['shpca_'], pattern: /\b(shpca_[a-fA-F0-9]{32})\b/ },
    { id: 'shopify-private-app-token', description: 'Shopify private app access token', provider: 'Shopify', severity: 'critical', keywords: ['shppa_'], pattern: /\b(shppa_[a-fA-F0-9]{32})\b/ },
    { id: 'shopify-shared-secret', description: 'Shopify app shared secret', provider: 'Shopify', severity: 'high', keywords: ['shpss_'], pattern: /\b(shpss_[a-fA-F0-9]{32})\b/ },
    { id: 'flutterwave-secret-key', description: 'Flutterwave secret key', provider: 'Flutterwave', severity: 'high', keywords: ['flwseck'], pattern: /\b(FLWSECK(?:_TEST)?-[a-h0-9]{32}-X)\b/ },
    { id: 'duffel-api-token', description: 'Duffel API token', provider: 'Duffel', severity: 'high', keywords: ['duffel_'], pattern: /\b(duffel_(?:test|live)_[A-Za-z0-9_=-]{43})(?![A-Za-z0-9_=-])/ },
    { id: 'easypost-api-key', description: 'EasyPost API key', provider: 'EasyPost', severity: 'high', keywords: ['ezak'], pattern: /\b(EZ[AT]K[a-zA-Z0-9]{54})\b/ },
    { id: 'shippo-api-token', description: 'Shippo API token', provider: 'Shippo', severity: 'high', keywords: ['shippo_'], pattern: /\b(shippo_(?:live|test)_[a-f0-9]{40})\b/ },
    // ---- Messaging, e-mail ----
    { id: 'slack-bot-token', description: 'Slack bot token', provider: 'Slack', severity: 'critical', keywords: ['xoxb-'], pattern: /\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})\b/ },
    { id: 'slack-user-token', description: 'Slack user or workspace token', provider: 'Slack', severity: 'critical', keywords: ['xoxp-', 'xoxe-', 'xoxa-', 'xoxr-', 'xoxs-'], pattern: /\b(xox[pears]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34})\b/ },
    { id: 'slack-app-token', description: 'Slack app-level token', provider: 'Slack', severity: 'high', keywords: ['xapp-'], pattern: /\b(xapp-\d-[A-Z0-9]{9,12}-\d{10,14}-[a-f0-9]{64})\b/ },
    { id: 'slack-webhook-url', description: 'Slack incoming webhook URL', provider: 'Slack', severity: 'high', keywords: ['hooks.slack.com'], pattern: /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{20,40})/ },
    { id: 'discord-webhook-url', description: 'Discord webhook URL', provider: 'Discord', severity: 'high', keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'], pattern: /(https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{15,20}\/[A-Za-z0-9_-]{60,70})/ },
    { id: 'telegram-bot-token', description: 'Telegram bot token', provider: 'Telegram', severity: 'high', keywords: [':aa'], pattern: /\b(\d{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/, minEntropy: 3.5 },
    { id: 'sendgrid-api-key', description: 'SendGrid API key', provider: 'Twilio SendGrid', severity: 'critical', keywords: ['sg.'], pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/ },
    { id: 'twilio-api-key', description: 'Twilio API key SID with a Twilio-named setting', provider: 'Twilio', severity: 'high', keywords: ['twilio'], pattern: named('twilio', 'SK[0-9a-fA-F]{32}') },
    { id: 'twilio-auth-token', description: 'Twilio auth token', provider: 'Twilio', severity: 'critical', keywords: ['twilio'], pattern: named('twilio[A-Za-z0-9_.-]{0,12}(?:auth|token|secret)', '[a-f0-9]{32}') },
    { id: 'mailgun-api-key', description: 'Mailgun API key', provider: 'Mailgun', severity: 'high', keywords: ['mailgun'], pattern: named('mailgun', 'key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}') },
    { id: 'mailchimp-api-key', description: 'Mailchimp API key', provider: 'Mailchimp', severity: 'high', keywords: ['-us'], pattern: /\b([a-f0-9]{32}-us\d{1,2})\b/, minEntropy: 3.0 },
    { id: 'brevo-api-key', description: 'Brevo (Sendinblue) API key', provider: 'Brevo', severity: 'high', keywords: ['xkeysib-'], pattern: /\b(xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})\b/ },
    { id: 'postmark-server-token', description: 'Postmark server token', provider: 'Postmark', severity: 'high', keywords: ['postmark'], pattern: named('postmark', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}') },
    // ---- Observability, SaaS ----
    { id: 'sentry-auth-token', description: 'Sentry auth token', provider: 'Sentry', severity: 'high', keywords: ['sntrys_', 'sntryu_'], pattern: /\b(sntrys_eyJ[A-Za-z0-9+/=_-]{50,400}|sntryu_[a-f0-9]{64})(?![A-Za-z0-9+/=_-])/ },
    { id: 'new-relic-user-api-key', description: 'New Relic user API key', provider: 'New Relic', severity: 'high', keywords: ['nrak-'], pattern: /\b(NRAK-[A-Z0-9]{27})\b/ },
    { id: 'dynatrace-api-token', description: 'Dynatrace API token', provider: 'Dynatrace', severity: 'high', keywords: ['dt0c01.'], pattern: /\b(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b/ },
    { id: 'datadog-api-key', description: 'Datadog API or application key with a Datadog-named setting', provider: 'Datadog', severity: 'high', keywords: ['datadog', 'dd_api', 'dd_app'], pattern: named('datadog|dd_api|dd_app', '[a-f0-9]{40}|[a-f0-9]{32}') },
    { id: 'grafana-service-account-token', description: 'Grafana service account token', provider: 'Grafana', severity: 'high', keywords: ['glsa_'], pattern: /\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b/ },
    { id: 'grafana-cloud-token', description: 'Grafana Cloud access policy token', provider: 'Grafana', severity: 'high', keywords: ['glc_'], pattern: /\b(glc_[A-Za-z0-9+/]{32,400}={0,2})/, minEntropy: 3.5 },
    { id: 'postman-api-key', description: 'Postman API key', provider: 'Postman', severity: 'high', keywords: ['pmak-'], pattern: /\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b/ },
    { id: 'linear-api-key', description: 'Linear API key', provider: 'Linear', severity: 'high', keywords: ['lin_api_'], pattern: /\b(lin_api_[A-Za-z0-9]{40})\b/ },
    { id: 'notion-integration-token', description: 'Notion integration token', provider: 'Notion', severity: 'high', keywords: ['ntn_'], pattern: /\b(ntn_[0-9]{11}[A-Za-z0-9]{35})\b/ },
    { id: 'figma-pat', description: 'Figma personal access token', provider: 'Figma', severity: 'high', keywords: ['figd_'], pattern: /\b(figd_[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])/ },
    { id: 'mapbox-secret-token', description: 'Mapbox secret access token', provider: 'Mapbox', severity: 'high', keywords: ['sk.eyj'], pattern: /\b(sk\.eyJ[A-Za-z0-9_-]{50,400}\.[A-Za-z0-9_-]{20,60})(?![A-Za-z0-9_-])/ },
    { id: 'typeform-pat', description: 'Typeform personal access token', provider: 'Typeform', severity: 'high', keywords: ['tfp_'], pattern: /\b(tfp_[A-Za-z0-9_.=-]{59})(?![A-Za-z0-9_.=-])/ },
    { id: 'readme-api-key', description: 'ReadMe API key', provider: 'ReadMe', severity: 'high', keywords: ['rdme_'], pattern: /\b(rdme_[a-z0-9]{70})\b/ },
    { id: 'age-secret-key', description: 'age encryption secret key', provider: 'age', severity: 'critical', keywords: ['age-secret-key-1'], pattern: /\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/ },
    { id: 'cloudinary-url', description: 'Cloudinary URL with API secret', provider: 'Cloudinary', severity: 'high', keywords: ['cloudinary://'], pattern: /cloudinary:\/\/\d{10,20}:([A-Za-z0-9_-]{25,30})@/ },
    {
        id: 'jwt',
        description: 'JSON Web Token (signed)',
        provider: 'JWT',
        severity: 'medium',
        keywords: ['eyj'],
        pattern: /\b(eyJ[A-Za-z0-9_-]{10,1000}\.eyJ[A-Za-z0-9_-]{10,4000}\.[A-Za-z0-9_-]{20,800})(?![A-Za-z0-9_-])/,
        validate: (jwt) => {
            try {
                const header = JSON.parse(Buffer.from(jwt.slice(0, jwt.indexOf('.')), 'base64url').toString('utf8'));
                return typeof header === 'object' && header !== null && typeof header.alg === 'string' && header.alg !== 'none';
            }
            catch {
                return false;
            }
        },
    },
    // ---- Private keys ----
    {
        id: 'private-key',
        description: 'Private key (PEM: PKCS#1, PKCS#8, SEC1, encrypted PKCS#8)',
        provider: 'PEM',
        severity: 'critical',
        keywords: ['-----begin'],
        pattern: new RegExp(String.raw `-----BEGIN (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----(?:\\r)?(?:\\n|\s)+${PEM_BODY}(?:\\n|\s)*-----END`),
        multiline: true,
        validate: (body) => body.startsWith('MI'),
    },
    {
        id: 'openssh-private-key',
        description: 'OpenSSH private key',
        provider: 'OpenSSH',
        severity: 'critical',
        keywords: ['-----begin openssh'],
        pattern: new RegExp(String.raw `-----BEGIN OPENSSH PRIVATE KEY-----(?:\\r)?(?:\\n|\s)+${PEM_BODY}(?:\\n|\s)*-----END`),
        multiline: true,
        validate: (body) => body.startsWith('b3BlbnNzaC1rZXktdjE'),
    },
    {
        id: 'pgp-private-key',
        description: 'PGP private key block',
        provider: 'PGP',
        severity: 'critical',
        keywords: ['-----begin pgp private'],
        pattern: new RegExp(String.raw `-----BEGIN PGP PRIVATE KEY BLOCK-----(?:\\n|\s)+(?:[A-Za-z-]+: [^\n]*\n)*(?:\\n|\s)*${PEM_BODY}`),
        multiline: true,
        validate: (body) => body.replace(/\s|\\n/g, '').length >= 200,
    },
    {
        id: 'putty-private-key',
        description: 'PuTTY private key',
        provider: 'PuTTY',
        severity: 'critical',
        keywords: ['putty-user-key-file-'],
        pattern: /PuTTY-User-Key-File-\d: [\w-]+\r?\n[\s\S]{0,400}?Private-Lines: \d+\r?\n([A-Za-z0-9+/=\r\n]{40,4000})/,
        multiline: true,
    },
    // ---- Connection strings, URLs with credentials ----
    {
        id: 'database-connection-string',
        description: 'Database connection string with a password',
        provider: 'Database',
        severity: 'critical',
        keywords: ['postgres://', 'postgresql://', 'mysql://', 'mariadb://', 'mongodb://', 'mongodb+srv://', 'redis://', 'rediss://', 'amqp://', 'amqps://', 'mssql://', 'sqlserver://', 'clickhouse://', 'cockroachdb://'],
        pattern: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb):\/\/[^:@/\s'"`]{0,64}:([^@/\s'"`]{4,128})@[A-Za-z0-9._\-[\]]{1,255}/i,
        generic: true,
    },
    {
        id: 'docker-config-auth',
        description: 'Registry credentials in a Docker config.json `auth` field',
        provider: 'Docker',
        severity: 'high',
        keywords: ['"auth"'],
        pattern: /"auth"\s*:\s*"([A-Za-z0-9+/]{16,400}={0,2})"/,
        validate: (b64) => /^[^:\s]{1,100}:\S{4,}$/.test(Buffer.from(b64, 'base64').toString('utf8')),
    },
    {
        id: 'url-credentials',
        description: 'Password embedded in an http(s) URL',
        provider: 'Generic',
        severity: 'medium',
        keywords: ['http://', 'https://'],
        pattern: /\bhttps?:\/\/[A-Za-z0-9._~%-]{1,64}:([^@/\s'"`<>]{6,128})@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}/,
        generic: true,
    },
    // ---- Generic assignments ----
    {
        id: 'generic-secret-assignment',
        description: 'High-entropy value assigned to a secret-sounding name (password, secret, token, api_key, ...)',
        provider: 'Generic',
        severity: 'medium',
        keywords: ['passw', 'pwd', 'secret', 'token', 'apikey', 'api_key', 'api-key', 'api.key', 'accesskey', 'access_key', 'access-key', 'privatekey', 'private_key', 'authkey', 'auth_key', 'credential'],
        pattern: /(?<![A-Za-z0-9_$])([A-Za-z0-9_.$-]{0,40}?(?:passw(?:or)?d|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credentials?)[A-Za-z0-9_.$-]{0,20})["']?\s*(?::=|=>|:|=(?!=))\s*(["'`])([^"'`\s\\]{8,200})\2/i,
        nameGroup: 1,
        secretGroup: 3,
        generic: true,
        minEntropy: 3.0,
    },
    {
        id: 'generic-secret-config',
        description: 'High-entropy unquoted value assigned to a secret-sounding name in a config or .env file',
        provider: 'Generic',
        severity: 'medium',
        keywords: ['passw', 'pwd', 'secret', 'token', 'apikey', 'api_key', 'api-key', 'accesskey', 'access_key', 'authkey', 'auth_key', 'credential'],
        pattern: /^[ \t]*(?:export[ \t]+)?([A-Za-z0-9_.-]{0,40}?(?:passw(?:or)?d|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|credentials?)[A-Za-z0-9_.-]{0,20})[ \t]*[=:][ \t]*(?!["'`])([^\s"'`#;,()]{8,200})[ \t]*(?:#.*)?$/im,
        nameGroup: 1,
        secretGroup: 2,
        generic: true,
        minEntropy: 3.0,
        lineAnchored: true,
    },
];
/** Rules by id. */
const RULES_BY_ID = new Map(RULES.map((r) => [r.id, r]));

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
    lines.push(report.findings.length === 0
        ? `No secrets found (${stats.files} files, ${mb} MB scanned${baselined}).`
        : `${report.findings.length} secret${report.findings.length === 1 ? '' : 's'} found in ${files} file${files === 1 ? '' : 's'} (${stats.files} files, ${mb} MB scanned${baselined}).`);
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
function buildSarif(report, rules = RULES) {
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
                    partialFingerprints: { 'assSecretHash/v1': f.fingerprint },
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/scan/filters.ts
/**
 * False-positive filters. Provider rules (distinct prefixes, checksums) only pass the placeholder
 * check; generic rules (a secret-sounding name assigned a value) pass all of them.
 */
/** Shannon entropy in bits per character. */
function shannonEntropy(value) {
    if (value.length === 0)
        return 0;
    const counts = new Map();
    for (const ch of value)
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let h = 0;
    for (const n of counts.values()) {
        const p = n / value.length;
        h -= p * Math.log2(p);
    }
    return h;
}
/** How many of: lower case, upper case, digits, other characters. */
function characterClasses(value) {
    let classes = 0;
    if (/[a-z]/.test(value))
        classes++;
    if (/[A-Z]/.test(value))
        classes++;
    if (/[0-9]/.test(value))
        classes++;
    if (/[^A-Za-z0-9]/.test(value))
        classes++;
    return classes;
}
const PLACEHOLDER_WORDS = /example|sample|dummy|placeholder|changeme|change[_-]me|replace[_-]?me|your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|token|secret|password|pass)|redacted|insert[_-]?(?:your|key|token)|fake[_-]?(?:key|token|secret)|not[_-]?a[_-]?(?:real[_-]?)?(?:secret|key|token)|xxxxx|\*\*\*|\.\.\.|<[a-z_ -]+>|(.)\1{7,}|0123456789|1234567890|abcdefghij/i;
/** `xxxx`, `<YOUR_KEY>`, `changeme`, `your-api-key-here`, `***REDACTED***`, runs of one character. */
function isPlaceholder(secret) {
    return PLACEHOLDER_WORDS.test(secret);
}
const REFERENCE_PATTERNS = [
    /^\$\{\{.*\}\}?$/, // ${{ secrets.X }} (GitHub Actions expressions)
    /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/, // $VAR, ${VAR}
    /\$\{[^}]*\}/, // strings interpolating a variable
    /^\{\{.*\}\}$/, // templates
    /^%[({]?[A-Za-z_]/, // %(name)s, %{name}
    /^\$\(/, // $(command)
    /(?:^|\W)process\.env\b/,
    /(?:^|\W)os\.(?:environ|getenv)\b/,
    /(?:^|\W)(?:getenv|env|ENV|secrets|vars|inputs)[.[(]/,
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/, // dotted identifiers: config.apiKey, this.token
    /^[A-Za-z_$][\w$]*\(/, // function calls
];
/** A reference to where the value lives (`${{ secrets.X }}`, `${VAR}`, `process.env.X`), not a value. */
function isReference(value) {
    return REFERENCE_PATTERNS.some((re) => re.test(value));
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(value) {
    return UUID.test(value);
}
/** Lockfile / SRI integrity strings (`sha512-...`). */
function isIntegrity(value) {
    return /^sha(?:1|224|256|384|512)-[A-Za-z0-9+/]{20,}={0,2}$/.test(value);
}
/** Hex digests: SHA-1, SHA-256, SHA-512 lengths always; 32-hex (MD5-sized) only under a hash-like name. */
function isHash(value, name) {
    if (/^[a-f0-9]{40}$|^[a-f0-9]{64}$|^[a-f0-9]{96}$|^[a-f0-9]{128}$/i.test(value))
        return true;
    if (/^[a-f0-9]{32}$/i.test(value) && /hash|sum|digest|sha|md5|etag|commit|rev|integrity|checksum/i.test(name))
        return true;
    return false;
}
/** Public material: public keys, certificates, publishable (client-side) keys. */
function isPublicMaterial(value, name) {
    if (/^-----BEGIN (?:RSA |EC |OPENSSH |PGP )?(?:PUBLIC KEY|CERTIFICATE)/.test(value))
        return true;
    if (/^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\S+|sk-ssh-ed25519@openssh\.com) AAAA/.test(value))
        return true;
    if (/^pk_(?:live|test)_/.test(value))
        return true;
    if (/public|publishable|pub[_-]?key|cert(?:ificate)?\b/i.test(name))
        return true;
    return false;
}
/** Names that look secret but label something else (`token_type`, `password_field`, `secret_name`). */
const NAME_STOP_SUFFIX = /(?:^|[_.-]|[a-z])(?:path|file|filename|dir|name|url|uri|type|types|id|ids|length|len|count|field|label|header|prefix|suffix|regex|pattern|env|var|placeholder|hint|policy|rule|rules|ttl|expiry|expires|expiration|endpoint|format|mode|kind|index|size|min|max|version|schema|provider|validator|store|manager|service|helper|getter|setter)$/i;
const NAME_STOP_WORDS = /tokeni[sz]|tokens$|^token$|nextToken|pageToken|csrf|xsrf|cancel(?:lation)?Token|continuation/i;
function isNonSecretName(name) {
    return NAME_STOP_SUFFIX.test(name) || NAME_STOP_WORDS.test(name);
}
/** Words that show a value is prose or a label, not a credential. */
const VALUE_STOP_WORDS = /password|passwd|secret|token|apikey|api_key|credential|bearer|basic|null|undefined|none|true|false|test|todo/i;
/** Filters for generic (name = value) findings. Returns the reason when the value is not a secret. */
function genericRejectReason(value, name, minEntropy) {
    if (value.length < 8)
        return 'short';
    if (isPlaceholder(value))
        return 'placeholder';
    if (isReference(value))
        return 'reference';
    if (isUuid(value))
        return 'uuid';
    if (isIntegrity(value))
        return 'integrity';
    if (isHash(value, name))
        return 'hash';
    if (isPublicMaterial(value, name))
        return 'public';
    if (isNonSecretName(name))
        return 'name';
    if (VALUE_STOP_WORDS.test(value))
        return 'stopword';
    if (/^[A-Za-z_]+$/.test(value))
        return 'word';
    if (/^[\d.:/-]+$/.test(value))
        return 'numeric';
    if (/^(?:https?|file|wss?):\/\//.test(value))
        return 'url';
    if (/^[./~]|\.(?:js|ts|json|ya?ml|txt|pem|key|crt|html?|css|png|svg)$/i.test(value))
        return 'path';
    if (characterClasses(value) < 2)
        return 'classes';
    if (shannonEntropy(value) < minEntropy)
        return 'entropy';
    return undefined;
}

;// CONCATENATED MODULE: ./src/scan/engine.ts
/**
 * The matching core: one keyword pass over the text (a single case-insensitive alternation of all
 * rule keywords, which V8 compiles to a fast automaton), then each rule's expression only in the
 * windows around its keywords, then structure checks, false-positive filters and inline allow
 * comments. Pure: no I/O, so the same code runs in the CLI, the action and worker threads.
 */



const SINGLE_LINE_BEFORE = 256;
const SINGLE_LINE_AFTER = 768;
const MULTILINE_AFTER = 16_384;
/** The longest window a match can need; chunked reads overlap by this much. */
const MAX_WINDOW = MULTILINE_AFTER + SINGLE_LINE_BEFORE + 1024;
function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
/** Compiles rules once: keyword alternation plus each rule's global, index-reporting expression. */
function compileRules(rules = RULES) {
    const direct = new Map();
    rules.forEach((rule, i) => {
        for (const kw of rule.keywords) {
            const k = kw.toLowerCase();
            if (!direct.has(k))
                direct.set(k, new Set());
            direct.get(k).add(i);
        }
    });
    const keywords = [...direct.keys()].sort((a, b) => b.length - a.length);
    // The alternation reports the longest keyword at a position and then moves past it, so a keyword
    // also gates every rule of any keyword contained in it (what an Aho-Corasick output link does).
    const keywordRules = new Map();
    for (const k of keywords) {
        const set = new Set();
        for (const [other, idx] of direct)
            if (k.includes(other))
                for (const i of idx)
                    set.add(i);
        keywordRules.set(k, [...set].sort((a, b) => a - b));
    }
    const keywordRe = new RegExp(keywords.map(escapeRe).join('|'), 'gi');
    const regexes = rules.map((r) => {
        const flags = new Set(r.pattern.flags.replace(/[gyd]/g, '').split(''));
        flags.add('g');
        flags.add('d');
        return new RegExp(r.pattern.source, [...flags].join(''));
    });
    const secretGroups = rules.map((r) => r.secretGroup ?? (new RegExp(`${r.pattern.source}|`).exec('').length > 1 ? 1 : 0));
    return { rules, regexes, keywordRe, keywordRules, secretGroups };
}
let defaultCompiled;
function engine_defaultRules() {
    defaultCompiled ??= compileRules(RULES);
    return defaultCompiled;
}
const LOCKFILE = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|go\.sum|Cargo\.lock|composer\.lock|Gemfile\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|flake\.lock|packages\.lock\.json|mix\.lock|pubspec\.lock|Podfile\.lock)$/;
const GENERATED = /\.(?:min\.js|min\.css|map|svg|lock)$|(?:^|\/)(?:vendor|third_party)\//;
/** Which rules apply to a path: lockfiles, minified and generated files get provider rules only. */
function rulesActiveFor(compiled, path) {
    const noisy = LOCKFILE.test(path) || GENERATED.test(path);
    return compiled.rules.map((r) => {
        if (r.path && !r.path.test(path))
            return false;
        if (r.generic && noisy)
            return false;
        return true;
    });
}
const ALLOW_SAME_LINE = /gitleaks:allow|secretlint-disable-line|pragma:\s*allowlist\s+secret|ass:allow|trufflehog:ignore/;
const ALLOW_NEXT_LINE = /secretlint-disable-next-line|pragma:\s*allowlist\s+nextline\s+secret|ass:allow-next-line/;
function lineBounds(text, offset, limit = 8192) {
    let s = offset;
    const minS = Math.max(0, offset - limit);
    while (s > minS && text.charCodeAt(s - 1) !== 10)
        s--;
    let e = offset;
    const maxE = Math.min(text.length, offset + limit);
    while (e < maxE && text.charCodeAt(e) !== 10)
        e++;
    return [s, e];
}
/** True when an inline allow comment covers the line holding `offset`. */
function isAllowedInline(text, offset) {
    const [s, e] = lineBounds(text, offset);
    if (ALLOW_SAME_LINE.test(text.slice(s, e)))
        return true;
    if (s > 0) {
        const [ps, pe] = lineBounds(text, s - 1);
        if (ALLOW_NEXT_LINE.test(text.slice(ps, pe)))
            return true;
    }
    return false;
}
const CHECKSUMMED_PREFIX = /^(?:gh[pousr]_|npm_|ass_[uatp]_|cf(?:k|ut|at)_)[A-Za-z0-9]/;
/** Whether a candidate secret passes its rule's structure check and false-positive filters. */
function acceptSecret(rule, secret, name) {
    if (rule.validate && !rule.validate(secret))
        return false;
    if (rule.generic) {
        // A value in a checksummed format was judged by its own rule; a wrong checksum is no finding.
        if (CHECKSUMMED_PREFIX.test(secret))
            return false;
        return genericRejectReason(secret, name, rule.minEntropy ?? 0) === undefined;
    }
    if (!rule.multiline && isPlaceholder(secret))
        return false;
    if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy)
        return false;
    return true;
}
/**
 * Finds the accepted matches in `text`. `active` switches rules off for this file. Only the
 * keyword windows are searched, never the whole text, so cost follows the keyword density.
 */
function findMatches(text, compiled, active) {
    const { rules, regexes, keywordRe, keywordRules } = compiled;
    const windows = new Map();
    keywordRe.lastIndex = 0;
    const len = text.length;
    for (let m = keywordRe.exec(text); m !== null; m = keywordRe.exec(text)) {
        const pos = m.index;
        const idxs = keywordRules.get(m[0].toLowerCase());
        if (!idxs)
            continue;
        let lineStart = -1;
        let lineEnd = -1;
        for (const ri of idxs) {
            if (active && !active[ri])
                continue;
            const rule = rules[ri];
            if (lineStart < 0) {
                lineStart = pos;
                const minS = Math.max(0, pos - SINGLE_LINE_BEFORE);
                while (lineStart > minS && text.charCodeAt(lineStart - 1) !== 10)
                    lineStart--;
                lineEnd = pos;
                const maxE = Math.min(len, pos + SINGLE_LINE_AFTER);
                while (lineEnd < maxE && text.charCodeAt(lineEnd) !== 10)
                    lineEnd++;
            }
            const start = lineStart;
            const end = rule.multiline ? Math.min(len, pos + MULTILINE_AFTER) : lineEnd;
            let list = windows.get(ri);
            if (!list)
                windows.set(ri, (list = []));
            const last = list[list.length - 1];
            if (last && start <= last[1]) {
                if (end > last[1])
                    last[1] = end;
            }
            else
                list.push([start, end]);
        }
        // Keywords inside a long match are not re-examined; step one past the hit's start instead of
        // its end so overlapping keywords ("api_key" within "aws_api_key") are still seen.
        keywordRe.lastIndex = pos + 1;
    }
    const out = [];
    for (const [ri, list] of windows) {
        const rule = rules[ri];
        const re = regexes[ri];
        const group = compiled.secretGroups[ri];
        let lastEnd = -1;
        for (const [ws, we] of list) {
            const slice = text.slice(ws, we);
            re.lastIndex = 0;
            for (let m = re.exec(slice); m !== null; m = re.exec(slice)) {
                if (m[0].length === 0) {
                    re.lastIndex++;
                    continue;
                }
                const secret = m[group];
                const span = m.indices?.[group];
                if (secret === undefined || !span)
                    continue;
                const start = ws + span[0];
                if (start < lastEnd)
                    continue;
                if (rule.lineAnchored && ws + m.index > 0 && text.charCodeAt(ws + m.index - 1) !== 10)
                    continue;
                const name = rule.nameGroup !== undefined ? (m[rule.nameGroup] ?? '') : '';
                if (!acceptSecret(rule, secret, name))
                    continue;
                if (isAllowedInline(text, ws + m.index))
                    continue;
                lastEnd = ws + span[1];
                // Key blocks are reported at their BEGIN line, where a reader looks.
                out.push({ ruleIndex: ri, start: rule.multiline ? ws + m.index : start, end: ws + span[1], secret });
            }
        }
    }
    out.sort((a, b) => a.start - b.start || a.ruleIndex - b.ruleIndex);
    return dropContained(out);
}
/** When two rules match overlapping text (a token inside a generic assignment), keep the more specific (earlier) rule. */
function dropContained(matches) {
    const out = [];
    for (const m of matches) {
        const prev = out[out.length - 1];
        if (prev && m.start < prev.end) {
            if (m.ruleIndex < prev.ruleIndex)
                out[out.length - 1] = m;
            continue;
        }
        out.push(m);
    }
    return out;
}
/** Redacted preview: a few leading characters (the public prefix, at most a fifth of the secret), then asterisks. */
function redact(secret) {
    const flat = secret.replace(/\\n|\s+/g, '');
    const show = Math.min(flat.indexOf('_') >= 2 && flat.indexOf('_') <= 8 ? flat.indexOf('_') + 1 : 4, Math.floor(flat.length / 5), 12);
    return `${flat.slice(0, Math.max(0, show))}${'*'.repeat(8)}`;
}
/** Content fingerprint: hash of rule, path and the secret. No line numbers, so it survives edits elsewhere. */
function fingerprint(ruleId, path, secret) {
    const normalized = secret.replace(/\\n|\s+/g, '');
    return (0,external_node_crypto_.createHash)('sha256').update(`${ruleId}\0${path}\0${normalized}`).digest('hex');
}

;// CONCATENATED MODULE: ./src/scan/paths.ts
/**
 * Path selection: default skips, user excludes (gitignore-like globs), binary detection.
 */
/** Directories never entered. */
const DEFAULT_SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
const BINARY_EXT = /\.(?:png|jpe?g|gif|bmp|ico|icns|webp|avif|tiff?|psd|heic|mp[34]|m4a|mov|avi|mkv|webm|wav|flac|ogg|pdf|zip|gz|tgz|bz2|xz|zst|7z|rar|jar|war|ear|class|dll|exe|so|dylib|a|o|obj|lib|node|wasm|woff2?|ttf|otf|eot|pyc|pyo|bin|dat|db|sqlite3?|parquet|avro|pb|onnx|pt|safetensors|glb|gltf|fbx|blend)$/i;
function hasBinaryExtension(path) {
    return BINARY_EXT.test(path);
}
/** A NUL byte in the first 8 KiB means binary (what git does). */
function looksBinary(head) {
    const n = Math.min(head.length, 8192);
    for (let i = 0; i < n; i++)
        if (head[i] === 0)
            return true;
    return false;
}
/**
 * Compiles a gitignore-like glob: `*` within a segment, `**` across segments, `?` one character;
 * a pattern without `/` matches a file or directory name at any depth; a trailing `/` is allowed.
 */
function globToRegExp(glob) {
    let g = glob.trim().replace(/\\/g, '/');
    if (g.startsWith('./'))
        g = g.slice(2);
    if (g.endsWith('/'))
        g = g.slice(0, -1);
    const anchored = g.includes('/');
    if (g.startsWith('/'))
        g = g.slice(1);
    let re = '';
    for (let i = 0; i < g.length; i++) {
        const c = g[i];
        if (c === '*') {
            if (g[i + 1] === '*') {
                const slash = g[i + 2] === '/';
                re += slash ? '(?:.*/)?' : '.*';
                i += slash ? 2 : 1;
            }
            else
                re += '[^/]*';
        }
        else if (c === '?')
            re += '[^/]';
        else
            re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    // Matching a directory excludes everything below it.
    return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}(?:/.*)?$`);
}
class PathFilter {
    excludes;
    constructor(excludeGlobs = []) {
        this.excludes = excludeGlobs.filter((g) => g.trim() !== '' && !g.trim().startsWith('#')).map(globToRegExp);
    }
    /** `rel` is `/`-separated and relative to the scanned directory. */
    excluded(rel) {
        return this.excludes.some((re) => re.test(rel));
    }
}

;// CONCATENATED MODULE: ./src/scan/scan-text.ts
/**
 * Turns raw matches in one text into findings: line and column, redacted preview, fingerprint.
 */

function utf8Length(segment, latin1) {
    return latin1 ? Buffer.from(segment, 'latin1').toString('utf8').length : segment.length;
}
function scanText(text, ctx) {
    const active = rulesActiveFor(ctx.compiled, ctx.path);
    const matches = findMatches(text, ctx.compiled, active);
    if (matches.length === 0)
        return [];
    const latin1 = ctx.latin1 ?? false;
    const out = [];
    let line = 0;
    let lineStart = 0;
    let cursor = 0;
    const advance = (to) => {
        for (let i = text.indexOf('\n', cursor); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) {
            line++;
            lineStart = i + 1;
        }
        cursor = to;
    };
    for (const m of matches) {
        if (ctx.acceptBefore !== undefined && m.start >= ctx.acceptBefore)
            continue;
        const rule = ctx.compiled.rules[m.ruleIndex];
        advance(m.start);
        const startLine = line;
        const column = utf8Length(text.slice(lineStart, m.start), latin1) + 1;
        const startLineStart = lineStart;
        // End position without moving the shared cursor past later matches' starts.
        let endLine = startLine;
        let endLineStart = startLineStart;
        for (let i = text.indexOf('\n', m.start); i !== -1 && i < m.end; i = text.indexOf('\n', i + 1)) {
            endLine++;
            endLineStart = i + 1;
        }
        const endColumn = utf8Length(text.slice(endLineStart, m.end), latin1) + 1;
        const secret = latin1 ? Buffer.from(m.secret, 'latin1').toString('utf8') : m.secret;
        const toReal = (l) => (ctx.lineMap ? (ctx.lineMap[l] ?? l + 1) : l + 1 + (ctx.lineOffset ?? 0));
        out.push({
            ruleId: rule.id,
            description: rule.description,
            provider: rule.provider,
            severity: rule.severity,
            path: ctx.path,
            line: toReal(startLine),
            column,
            endLine: toReal(endLine),
            endColumn,
            preview: redact(secret),
            fingerprint: fingerprint(rule.id, ctx.path, secret),
        });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/scan/files.ts





function files_emptyStats() {
    return { files: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0, excluded: 0 };
}
function addStats(into, from) {
    into.files += from.files;
    into.bytes += from.bytes;
    into.skippedBinary += from.skippedBinary;
    into.skippedLarge += from.skippedLarge;
    into.excluded += from.excluded;
}
/** Walks `root`, yielding files to scan; skips `.git/`, `node_modules/`, excluded paths and symlinks. */
async function* walk(root, filter, stats, displayPrefix = '') {
    const stack = [''];
    while (stack.length > 0) {
        const relDir = stack.pop();
        let entries;
        try {
            entries = await (0,promises_.readdir)(external_node_path_default().join(root, relDir), { withFileTypes: true });
        }
        catch {
            continue;
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const dirs = [];
        for (const e of entries) {
            const rel = relDir === '' ? e.name : `${relDir}/${e.name}`;
            if (e.isDirectory()) {
                if (DEFAULT_SKIP_DIRS.has(e.name))
                    continue;
                if (filter.excluded(rel)) {
                    stats.excluded++;
                    continue;
                }
                dirs.push(rel);
            }
            else if (e.isFile()) {
                if (filter.excluded(rel)) {
                    stats.excluded++;
                    continue;
                }
                if (hasBinaryExtension(e.name)) {
                    stats.skippedBinary++;
                    continue;
                }
                yield { abs: external_node_path_default().join(root, rel), rel: displayPrefix + rel };
            }
        }
        for (let i = dirs.length - 1; i >= 0; i--)
            stack.push(dirs[i]);
    }
}
const DEFAULT_CHUNK = 8 * 1024 * 1024;
/** Scans one file; returns its findings and adds to `stats`. */
async function files_scanFile(file, options, stats) {
    let handle;
    try {
        handle = await (0,promises_.open)(file.abs, 'r');
    }
    catch {
        return [];
    }
    try {
        const { size } = await handle.stat();
        if (size > options.maxFileSize) {
            stats.skippedLarge++;
            return [];
        }
        const chunk = Math.max(options.chunkSize ?? DEFAULT_CHUNK, MAX_WINDOW * 2);
        if (size <= chunk) {
            const buf = Buffer.allocUnsafe(size);
            let read = 0;
            while (read < size) {
                const { bytesRead } = await handle.read(buf, read, size - read, read);
                if (bytesRead === 0)
                    break;
                read += bytesRead;
            }
            const data = buf.subarray(0, read);
            if (looksBinary(data)) {
                stats.skippedBinary++;
                return [];
            }
            stats.files++;
            stats.bytes += read;
            return scanText(data.toString('latin1'), { path: file.rel, compiled: options.compiled, latin1: true });
        }
        return await scanChunked(handle, size, chunk, file, options, stats);
    }
    finally {
        await handle.close();
    }
}
async function scanChunked(handle, size, chunk, file, options, stats) {
    const findings = [];
    const buf = Buffer.allocUnsafe(chunk + MAX_WINDOW);
    let pos = 0;
    let lineOffset = 0;
    let first = true;
    while (pos < size) {
        const want = Math.min(chunk + MAX_WINDOW, size - pos);
        let got = 0;
        while (got < want) {
            const { bytesRead } = await handle.read(buf, got, want - got, pos + got);
            if (bytesRead === 0)
                break;
            got += bytesRead;
        }
        const data = buf.subarray(0, got);
        if (first && looksBinary(data)) {
            stats.skippedBinary++;
            return [];
        }
        first = false;
        const last = pos + got >= size;
        const text = data.toString('latin1');
        const keep = last ? got : Math.min(chunk, got);
        findings.push(...scanText(text, {
            path: file.rel,
            compiled: options.compiled,
            latin1: true,
            lineOffset,
            acceptBefore: last ? undefined : keep,
        }));
        for (let i = text.indexOf('\n'); i !== -1 && i < keep; i = text.indexOf('\n', i + 1))
            lineOffset++;
        pos += keep;
        if (last)
            break;
    }
    stats.files++;
    stats.bytes += size;
    return findings;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
;// CONCATENATED MODULE: ./src/scan/pool.ts
/**
 * Worker threads for large trees. A bundle that wants them registers its own file as the worker
 * script (`registerScanWorkerScript(process.argv[1])`) and, when started as a worker, calls
 * `runScanWorker()` instead of its normal entry. Without a registered script, scans stay on the
 * main thread, which is also right for diffs and small trees.
 */




const WORKER_FLAG = 'assScanWorker';
let workerScript;
/** Lets this process start scan workers from `script` (a file that calls `runScanWorker` when `isScanWorker()`). */
function registerScanWorkerScript(script) {
    workerScript = script;
}
function scanWorkersAvailable() {
    return workerScript !== undefined;
}
/** True inside a scan worker thread. */
function isScanWorker() {
    return !isMainThread && typeof workerData === 'object' && workerData !== null && workerData[WORKER_FLAG] === true;
}
/** The worker side: scans the batches it is sent with the built-in rules. */
function runScanWorker() {
    const port = parentPort;
    if (!port)
        return;
    const compiled = defaultRules();
    port.on('message', (msg) => {
        void (async () => {
            const stats = emptyStats();
            const findings = [];
            try {
                for (const f of msg.files)
                    findings.push(...(await scanFile(f, { compiled, maxFileSize: msg.maxFileSize }, stats)));
                port.postMessage({ findings, stats });
            }
            catch (err) {
                port.postMessage({ findings: [], stats, error: err instanceof Error ? err.message : String(err) });
            }
        })();
    });
}
/** Default worker count: the machine's cores, at most 8. */
function defaultWorkerCount() {
    return Math.max(1, Math.min(8, external_node_os_default().availableParallelism()));
}
/**
 * Scans `files` on `count` workers, pulling batches from an async source so the walk and the scan
 * overlap and memory holds only the batches in flight.
 */
async function scanOnWorkers(batches, count, maxFileSize) {
    if (!workerScript)
        throw new Error('no scan worker script registered');
    const script = workerScript;
    const iterator = batches[Symbol.asyncIterator]();
    const findings = [];
    const stats = files_emptyStats();
    let nextBusy = Promise.resolve();
    const pull = async () => {
        // Serialise pulls: the walk is one generator.
        const prev = nextBusy;
        let release;
        nextBusy = new Promise((r) => (release = r));
        await prev;
        try {
            const n = await iterator.next();
            return n.done ? undefined : n.value;
        }
        finally {
            release();
        }
    };
    const runOne = () => new Promise((resolve, reject) => {
        const worker = new external_node_worker_threads_.Worker(script, { workerData: { [WORKER_FLAG]: true } });
        const feed = async () => {
            const batch = await pull();
            if (!batch) {
                await worker.terminate();
                resolve();
                return;
            }
            worker.postMessage({ files: batch, maxFileSize });
        };
        worker.on('message', (msg) => {
            if (msg.error) {
                void worker.terminate();
                reject(new Error(`scan worker failed: ${msg.error}`));
                return;
            }
            findings.push(...msg.findings);
            addStats(stats, msg.stats);
            feed().catch(reject);
        });
        worker.on('error', reject);
        feed().catch(reject);
    });
    await Promise.all(Array.from({ length: count }, runOne));
    return { findings, stats };
}

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
/** Scans every file under `root` (or the single file `root`). */
async function scanTree(root, options = {}) {
    const compiled = options.compiled ?? engine_defaultRules();
    const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    const filter = new PathFilter(options.exclude);
    const stats = files_emptyStats();
    const { stat } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 23));
    const st = await stat(root);
    if (st.isFile()) {
        const rel = (options.pathPrefix ?? '') + external_node_path_default().basename(root);
        const findings = await files_scanFile({ abs: root, rel }, { compiled, maxFileSize }, stats);
        return { findings: sortFindings(findings), stats };
    }
    const workers = options.workers ?? (scanWorkersAvailable() ? defaultWorkerCount() : 1);
    const files = walk(root, filter, stats, options.pathPrefix ?? '');
    if (workers > 1 && scanWorkersAvailable() && !options.compiled) {
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
            const result = await scanOnWorkers(batches(), workers, maxFileSize);
            addStats(stats, result.stats);
            return { findings: sortFindings(result.findings), stats };
        }
        const findings = [];
        for (const f of head)
            findings.push(...(await files_scanFile(f, { compiled, maxFileSize }, stats)));
        return { findings: sortFindings(findings), stats };
    }
    const findings = [];
    for await (const f of files)
        findings.push(...(await files_scanFile(f, { compiled, maxFileSize }, stats)));
    return { findings: sortFindings(findings), stats };
}
/** Scans only the lines a change adds. Paths are relative to `cwd`. */
async function scanDiff(cwd, spec, options = {}) {
    const compiled = options.compiled ?? engine_defaultRules();
    const filter = new PathFilter(options.exclude);
    const stats = files_emptyStats();
    const findings = [];
    for (const file of await addedLines(cwd, spec)) {
        if (filter.excluded(file.path)) {
            stats.excluded++;
            continue;
        }
        if (hasBinaryExtension(file.path)) {
            stats.skippedBinary++;
            continue;
        }
        const text = file.lines.join('\n');
        stats.files++;
        stats.bytes += Buffer.byteLength(text);
        findings.push(...scanText(text, { path: file.path, compiled, lineMap: file.numbers }));
    }
    return { findings: sortFindings(findings), stats };
}
/** Scans a string (stdin); `name` is the path shown in reports. */
function scanString(text, name, options = {}) {
    const compiled = options.compiled ?? engine_defaultRules();
    const stats = files_emptyStats();
    stats.files = 1;
    stats.bytes = Buffer.byteLength(text);
    return { findings: sortFindings(scanText(text, { path: name, compiled })), stats };
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
        for (const r of RULES)
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
    const options = { exclude: values.exclude ?? [], maxFileSize, workers, logger };
    let findings = [];
    const stats = files_emptyStats();
    if (stdin) {
        const name = values['stdin-name'] ?? 'stdin';
        const r = scanString(await readAll(io.stdin), name, options);
        findings = r.findings;
        addStats(stats, r.stats);
    }
    else if (values.diff !== undefined || values.staged) {
        const spec = values.staged ? { kind: 'staged' } : { kind: 'range', ...parseRange(values.diff) };
        const dir = external_node_path_default().resolve(io.cwd, positionals[0] ?? '.');
        const r = await scanDiff(dir, spec, options);
        findings = r.findings;
        addStats(stats, r.stats);
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
            addStats(stats, r.stats);
        }
        sortFindings(findings);
    }
    if (values['write-baseline'] !== undefined) {
        const file = external_node_path_default().resolve(io.cwd, values['write-baseline']);
        await writeBaseline(file, findings);
        io.stderr(`Wrote ${findings.length} finding${findings.length === 1 ? '' : 's'} to the baseline ${safeText(values['write-baseline'])}.\n`);
        return errors/* EXIT */.dc.ok;
    }
    let baselined = 0;
    if (values.baseline !== undefined) {
        const applied = applyBaseline(findings, await readBaseline(external_node_path_default().resolve(io.cwd, values.baseline), safeText(values.baseline)));
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
