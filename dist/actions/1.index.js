export const id = 1;
export const ids = [1];
export const modules = {

/***/ 8622:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KL: () => (/* binding */ PAGE),
/* harmony export */   QO: () => (/* binding */ DEFAULT_MAX_RECORDS),
/* harmony export */   aQ: () => (/* binding */ OUTPUT),
/* harmony export */   bO: () => (/* binding */ INPUT),
/* harmony export */   c4: () => (/* binding */ STATE),
/* harmony export */   k1: () => (/* binding */ AUDIT_SCOPES),
/* harmony export */   xX: () => (/* binding */ TOKEN_TTL_SECONDS)
/* harmony export */ });
/* harmony import */ var _common_revoke_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6267);

/** Names of the audit action's inputs, outputs and state entries (kebab-case, as in audit/action.yml). */
const INPUT = {
    url: 'url',
    agentKey: 'agent-key',
    token: 'token',
    audience: 'audience',
    caCert: 'ca-cert',
    since: 'since',
    failOn: 'fail-on',
    checkpointPath: 'checkpoint-path',
    config: 'config',
    webhookUrl: 'webhook-url',
    publicKey: 'public-key',
    maxRecords: 'max-records',
};
const OUTPUT = {
    anomalies: 'anomalies',
    verified: 'verified',
    checkpoint: 'checkpoint',
};
/** GITHUB_STATE entries: the pipeline token, for the post step to revoke if main could not. */
const STATE = _common_revoke_js__WEBPACK_IMPORTED_MODULE_0__/* .TOKEN_STATE */ .u2;
/** The only scope the action asks for: the audit log, no secret. */
const AUDIT_SCOPES = ['audit:read'];
/** The pipeline token's lifetime: the report takes seconds; the token is revoked at the end anyway. */
const TOKEN_TTL_SECONDS = 600;
/** Records read per page while checking the chain. */
const PAGE = 5000;
const DEFAULT_MAX_RECORDS = 100_000;


/***/ }),

/***/ 1913:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  failureMessage: () => (/* binding */ failureMessage),
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./src/api/schemas.ts
var schemas = __webpack_require__(8164);
// EXTERNAL MODULE: ./src/client/client.ts + 2 modules
var client_client = __webpack_require__(2131);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(7253);
// EXTERNAL MODULE: ./src/core/text.ts
var core_text = __webpack_require__(2020);
// EXTERNAL MODULE: ./src/actions/common/exchange.ts
var exchange = __webpack_require__(2448);
// EXTERNAL MODULE: ./src/actions/common/markdown.ts
var markdown = __webpack_require__(2092);
// EXTERNAL MODULE: ./src/actions/common/revoke.ts
var common_revoke = __webpack_require__(6267);
// EXTERNAL MODULE: ./src/actions/common/stage.ts
var stage = __webpack_require__(3955);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/actions/audit/checkpoint-file.ts
/**
 * The checkpoint the action keeps between runs, in the file the workflow names (`checkpoint-path`,
 * carried by actions/cache or an artifact). The file is the checkpoint exactly as the vault signed
 * it, as `ass audit checkpoint --output` writes it, so `ass audit verify --checkpoint FILE` reads it too.
 */



/** A file larger than this is no checkpoint (one is a few hundred bytes). */
const MAX_BYTES = 64 * 1024;
/** Reads the previous checkpoint: none kept, a missing file (a first run), a checkpoint, or a file that is not one. */
async function readPreviousCheckpoint(file) {
    if (!file)
        return { state: { state: 'none' } };
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return { state: { state: 'missing', path: file } };
        return { state: { state: 'unreadable', path: file, reason: `it could not be read (${err.code ?? 'error'}).` } };
    }
    if (text.length > MAX_BYTES)
        return { state: { state: 'unreadable', path: file, reason: 'it is far too large to be a checkpoint.' } };
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch {
        return { state: { state: 'unreadable', path: file, reason: 'it is not JSON.' } };
    }
    const parsed = (0,schemas/* Checkpoint */.F9)().safeParse(raw);
    if (!parsed.success || !Number.isSafeInteger(parsed.data.seq) || parsed.data.seq < 0 || !/^[0-9a-f]{64}$/.test(parsed.data.hash)) {
        return {
            state: { state: 'unreadable', path: file, reason: 'it is not an audit checkpoint (origin, seq, hash, time, signature, publicKey).' },
        };
    }
    const c = parsed.data;
    return {
        state: { state: 'read', path: file },
        checkpoint: { origin: c.origin, seq: c.seq, hash: c.hash, time: c.time, signature: c.signature, publicKey: c.publicKey },
    };
}
/** Writes the checkpoint whole or not at all (a new file renamed over the old one). */
async function writeCheckpoint(file, checkpoint) {
    await (0,promises_.mkdir)(external_node_path_default().dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const { origin, seq, hash, time, signature, publicKey } = checkpoint;
    await (0,promises_.writeFile)(tmp, `${JSON.stringify({ origin, seq, hash, time, signature, publicKey }, null, 2)}\n`, { mode: 0o644 });
    await (0,promises_.rename)(tmp, file);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 7 modules
var classic_schemas = __webpack_require__(3339);
;// CONCATENATED MODULE: ./src/api/anomaly-config.ts


/** The fields an object at `path` of the configuration may have (for "did you mean"). */
function fieldsAt(path) {
    // biome-ignore lint/suspicious/noExplicitAny: walking zod's object shapes
    let shape = (0,schemas/* AnomalyConfig */.KG)().shape;
    for (const key of path) {
        // biome-ignore lint/suspicious/noExplicitAny: an optional wraps the object
        let field = shape?.[key];
        while (field && !field.shape && field.unwrap)
            field = field.unwrap();
        shape = field?.shape;
    }
    return shape ? Object.keys(shape) : [];
}
/** The known name closest to `word` (case ignored, at most two edits, or a prefix of it), if any. */
function nearest(word, known) {
    const w = word.toLowerCase();
    let best;
    for (const name of known) {
        const n = name.toLowerCase();
        const d = n.startsWith(w) || w.startsWith(n) ? 1 : editDistance(w, n);
        if (d <= 2 && (!best || d < best.d))
            best = { name, d };
    }
    return best?.name;
}
function editDistance(a, b) {
    if (Math.abs(a.length - b.length) > 2)
        return 3;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++)
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
    }
    return prev[b.length];
}
/** The configuration, or the first problem in it as a sentence fragment ("the field x ..."). */
function checkAnomalyConfig(raw) {
    const parsed = (0,schemas/* AnomalyConfig */.KG)().safeParse(raw);
    if (parsed.success)
        return { ok: true, config: parsed.data };
    const issue = parsed.error.issues[0];
    if (!issue)
        return { ok: false, problem: 'the configuration is not valid' };
    const where = issue.path.length ? `field ${issue.path.join('.')}` : 'top level';
    if (issue.code === 'unrecognized_keys') {
        const known = fieldsAt(issue.path);
        const named = issue.keys.map((k) => {
            const near = nearest(k, known);
            return `${(0,core_text/* quoteName */.AB)(k)}${near ? ` (did you mean ${near}?)` : ''}`;
        });
        return { ok: false, problem: `the ${where} has unknown field(s) ${named.join(', ')}; the fields are ${known.join(', ')}` };
    }
    return { ok: false, problem: `the ${where} ${issue.message}` };
}

// EXTERNAL MODULE: ./src/core/credentials.ts
var credentials = __webpack_require__(2633);
// EXTERNAL MODULE: ./src/core/net.ts
var net = __webpack_require__(8456);
// EXTERNAL MODULE: ./src/actions/common/inputs.ts
var inputs = __webpack_require__(9120);
// EXTERNAL MODULE: ./src/actions/fetch/config.ts
var config = __webpack_require__(6816);
// EXTERNAL MODULE: ./src/actions/audit/constants.ts
var constants = __webpack_require__(8622);
;// CONCATENATED MODULE: ./src/actions/audit/findings.ts
const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 };
const RESTORE = 'Treat the vault host as compromised: run `ass audit verify` (admin or auditor) to list every problem, compare the log with your off-host checkpoints, restore the store from a backup, and rotate what the log can no longer vouch for.';
const CHAIN_KINDS = {
    checkpoint_signature_invalid: { check: 'checkpoint_signature', title: 'A checkpoint is not signed by the trusted audit key' },
    truncated: { check: 'log_rolled_back', title: 'The audit log was truncated or rolled back since the last run' },
    checkpoint_mismatch: { check: 'log_rewritten', title: 'The audit log was rewritten since the last run' },
    checkpoint_replayed: { check: 'checkpoint_replayed', title: "The vault answered with the last run's checkpoint" },
};
/** The findings, most important first: verification failures, then critical, warning, info. */
function buildFindings(input) {
    const own = [];
    if (input.unavailable) {
        own.push({
            check: 'audit_unavailable',
            severity: 'critical',
            title: 'The vault reports its audit log broken',
            detail: `The vault refused ${input.unavailable.during} with audit_unavailable: ${input.unavailable.message} While its log is broken, the vault releases and changes nothing, so this report is incomplete.`,
            action: RESTORE,
            subject: {},
            count: 1,
            verification: true,
        });
    }
    if (input.previous.state === 'unreadable') {
        own.push({
            check: 'checkpoint_unreadable',
            severity: 'critical',
            title: 'The previous checkpoint cannot be read',
            detail: `${input.previous.path}: ${input.previous.reason} Without it the log cannot be held to what the last run saw, and it was not overwritten.`,
            action: 'Find out what changed the file (the cache or artifact it comes from). If you reset it on purpose, delete it: the next run starts over from the first record, trusting the key the vault shows then (or pin public-key).',
            subject: { path: input.previous.path },
            count: 1,
            verification: true,
        });
    }
    const chain = input.chain;
    if (chain && chain.problems.length > 0) {
        const groups = new Map();
        for (const p of chain.problems) {
            const check = CHAIN_KINDS[p.kind]?.check ?? 'chain_tampered';
            groups.set(check, [...(groups.get(check) ?? []), p]);
        }
        for (const [check, problems] of groups) {
            const first = problems[0];
            const title = CHAIN_KINDS[first.kind]?.title ?? 'The audit log was edited or records were deleted since the last run';
            own.push({
                check,
                severity: 'critical',
                title: `${title}: ${first.message}`,
                detail: `Found by this action, which reads the records from ${input.previous.state === 'read' ? 'the previous checkpoint' : 'the first record'} on and checks them whatever the vault says of itself. ${problems
                    .slice(0, 5)
                    .map((p) => p.message)
                    .join(' ')}${problems.length > 5 ? ` (${problems.length - 5} more)` : ''}`,
                action: RESTORE,
                subject: first.seq === null ? {} : { seq: String(first.seq) },
                count: problems.length,
                verification: true,
            });
        }
    }
    const vv = input.vaultVerification;
    if (vv && !vv.ok) {
        const first = vv.problems[0];
        own.push({
            check: 'vault_verification',
            severity: 'critical',
            title: `The vault's own verification of its audit log fails${first ? `: ${first.message}` : ''}`,
            detail: `GET /v1/audit/verify found ${vv.problems.length} problem(s) in ${vv.count} records. ${vv.problems
                .slice(0, 5)
                .map((p) => `${p.seq === null ? '' : `Record ${p.seq}: `}${p.message}`)
                .join(' ')}`,
            action: RESTORE,
            subject: first?.seq === null || first === undefined ? {} : { seq: String(first.seq) },
            count: vv.problems.length,
            verification: true,
        });
    }
    if (chain && !chain.complete && chain.skipped && chain.problems.length === 0) {
        own.push({
            check: 'verification_partial',
            severity: 'warning',
            title: `Only ${chain.count} records were checked against the checkpoints; records ${chain.skipped.from} to ${chain.skipped.to} were not`,
            detail: 'More records were written since the last checkpoint than max-records allows, so this action checked part of the chain and relied on the vault for the rest.',
            action: 'Raise max-records, or run the report more often (each run starts from the checkpoint the last one kept).',
            subject: {},
            count: chain.skipped.to - chain.skipped.from + 1,
            verification: false,
        });
    }
    const vault = (input.anomalies?.anomalies ?? []).map((a) => ({
        check: a.check,
        severity: a.check === 'chain_broken' ? 'critical' : a.severity,
        title: a.title,
        detail: a.detail,
        action: a.action,
        subject: Object.fromEntries(Object.entries(a.subject).filter((e) => typeof e[1] === 'string')),
        count: a.count,
        verification: a.check === 'chain_broken',
    }));
    const all = [...own, ...vault];
    // Stable: within a rank, the vault's order (most severe first) is kept.
    return all
        .map((f, i) => ({ f, i }))
        .sort((a, b) => Number(b.f.verification) - Number(a.f.verification) || SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] || a.i - b.i)
        .map(({ f }) => f);
}
/** Whether the log passed every verification this run could make, completely. */
function isVerified(input, findings) {
    return (!findings.some((f) => f.verification) &&
        input.chain !== undefined &&
        input.chain.complete &&
        input.vaultVerification?.ok === true &&
        input.anomalies?.verified !== false);
}
/** Whether the job fails: a failed verification always; else a finding at or above `failOn`. */
function shouldFail(findings, failOn) {
    if (findings.some((f) => f.verification))
        return true;
    return failOn !== 'none' && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
}
/** The `anomalies` output: compact, one entry per finding. */
function compactFindings(findings) {
    return findings.map((f) => ({ check: f.check, severity: f.severity, title: f.title, subject: f.subject, count: f.count }));
}

;// CONCATENATED MODULE: ./src/actions/audit/config.ts












const optional = (v) => (v.trim() === '' ? undefined : v.trim());
/** A file input: resolved against the workspace (the step's working directory). */
const resolveIn = (workspace, file) => external_node_path_default().resolve(workspace, file);
function parseConfigFile(file) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch (e) {
        throw new Error(`Input "config": ${JSON.stringify(file)} could not be read (${e.code ?? 'error'}); check out the repository first, or fix the path.`);
    }
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch {
        throw new Error(`Input "config": ${JSON.stringify(file)} is not JSON; docs/anomalies.md shows the format.`);
    }
    const checked = checkAnomalyConfig(raw);
    if (!checked.ok)
        throw new Error(`Input "config": in ${JSON.stringify(file)}, ${checked.problem} (docs/anomalies.md).`);
    return checked.config;
}
function parsePublicKey(v) {
    const text = v.trim();
    if (text === '')
        return undefined;
    if (!/^[A-Za-z0-9+/]{43}=$/.test(text) || Buffer.from(text, 'base64').length !== 32) {
        throw new Error('Input "public-key" must be the vault\'s Ed25519 audit key as base64 (44 characters, the `publicKey` field of `ass audit checkpoint`).');
    }
    return text;
}
const schema = (workspace) => classic_schemas/* object */.Ikc({
    [constants/* INPUT */.bO.url]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.url, inputs/* parseVaultUrl */.LH),
    [constants/* INPUT */.bO.agentKey]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.agentKey, (v) => {
        const text = optional(v);
        if (text !== undefined && (0,credentials/* parseCredential */.nx)(text)?.kind !== 'agent') {
            throw new Error('Input "agent-key" is not an agent key (ass_a_ followed by 65 letters and digits); pass the key `ass agents create` printed.');
        }
        return text;
    }),
    [constants/* INPUT */.bO.token]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.token, (v) => {
        const text = optional(v);
        if (text === undefined)
            return undefined;
        const kind = (0,credentials/* parseCredential */.nx)(text)?.kind;
        if (kind === 'agent')
            throw new Error('Input "token" holds an agent key; pass it as agent-key (it is exchanged with the job\'s OIDC token).');
        if (kind === undefined) {
            throw new Error('Input "token" is not a vault credential: pass the token of a user with the auditor role (ass users create NAME --role auditor), from a secret.');
        }
        return text;
    }),
    [constants/* INPUT */.bO.audience]: classic_schemas/* string */.YjP(),
    [constants/* INPUT */.bO.caCert]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.caCert, (v) => (0,config/* parseCaCert */.CH)(v)),
    [constants/* INPUT */.bO.since]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.since, (v) => {
        const text = optional(v);
        if (text === undefined)
            return undefined;
        if (!(0,schemas/* Since */.z9)().safeParse(text).success) {
            throw new Error(`Input "since" ${JSON.stringify(text.slice(0, 40))} must be a duration back from now (15m, 24h, 7d) or an ISO time (2026-01-31T12:00:00Z); leave it empty for "since the last run".`);
        }
        return text;
    }),
    [constants/* INPUT */.bO.failOn]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.failOn, (v) => {
        const text = v.trim() || 'critical';
        if (text !== 'none' && !(text in SEVERITY_RANK))
            throw new Error('Input "fail-on" must be none, info, warning or critical.');
        return text;
    }),
    [constants/* INPUT */.bO.checkpointPath]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.checkpointPath, (v) => {
        const text = optional(v);
        return text === undefined ? undefined : resolveIn(workspace, text);
    }),
    [constants/* INPUT */.bO.config]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.config, (v) => {
        const text = optional(v);
        return text === undefined ? undefined : parseConfigFile(resolveIn(workspace, text));
    }),
    [constants/* INPUT */.bO.webhookUrl]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.webhookUrl, (v) => {
        const text = optional(v);
        if (text === undefined)
            return undefined;
        let url;
        try {
            url = new URL(text);
        }
        catch {
            throw new Error('Input "webhook-url" is not a URL; pass it from a secret, such as webhook-url: ${{ secrets.AUDIT_WEBHOOK_URL }}.');
        }
        // Only the origin is ever shown: a webhook's path usually is its credential.
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (0,net/* isLoopbackHost */.c)(url.hostname))) {
            throw new Error(`Input "webhook-url" (${url.protocol}//${url.host}) must use https; plain http is accepted only on a loopback address.`);
        }
        return text;
    }),
    [constants/* INPUT */.bO.publicKey]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.publicKey, parsePublicKey),
    [constants/* INPUT */.bO.maxRecords]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.maxRecords, (v) => {
        const text = v.trim();
        if (text === '')
            return constants/* DEFAULT_MAX_RECORDS */.QO;
        if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 10_000_000) {
            throw new Error(`Input "max-records" must be a whole number from 1 to 10000000 (default ${constants/* DEFAULT_MAX_RECORDS */.QO}).`);
        }
        return Number(text);
    }),
});
/**
 * Reads every input once and returns the typed config, or throws one AppError('invalid_input')
 * listing every bad input with its fix. Secret inputs (the agent key, the token, the webhook URL)
 * are never echoed. File inputs are resolved against `workspace` (the step's working directory).
 */
function parseConfig(getInput, workspace = process.cwd()) {
    const raw = {};
    for (const name of Object.values(constants/* INPUT */.bO))
        raw[name] = getInput(name) ?? '';
    const messages = [];
    const given = (name) => (raw[name] ?? '').trim() !== '';
    if (given(constants/* INPUT */.bO.agentKey) && given(constants/* INPUT */.bO.token)) {
        messages.push('Give either "agent-key" (an agent holding audit:read, with the job\'s OIDC token) or "token" (an auditor\'s token), not both.');
    }
    else if (!given(constants/* INPUT */.bO.agentKey) && !given(constants/* INPUT */.bO.token)) {
        messages.push('Input "agent-key" or "token" is required: an agent key whose agent holds audit:read (agent-key: ${{ secrets.ASS_AUDIT_AGENT_KEY }}), or the token of a user with the auditor role.');
    }
    const result = schema(workspace).safeParse(raw);
    if (!result.success)
        messages.unshift(...result.error.issues.map((i) => i.message));
    if (!result.success || messages.length > 0)
        throw new errors/* AppError */.uV('invalid_input', [...new Set(messages)].join('\n'));
    const r = result.data;
    const agentKey = r[constants/* INPUT */.bO.agentKey];
    const token = r[constants/* INPUT */.bO.token];
    return {
        url: r[constants/* INPUT */.bO.url],
        credential: agentKey ? { kind: 'agent-key', agentKey } : { kind: 'token', token: token },
        audience: r[constants/* INPUT */.bO.audience].trim() || r[constants/* INPUT */.bO.url],
        caCert: r[constants/* INPUT */.bO.caCert],
        since: r[constants/* INPUT */.bO.since],
        failOn: r[constants/* INPUT */.bO.failOn],
        checkpointPath: r[constants/* INPUT */.bO.checkpointPath],
        anomalyConfig: r[constants/* INPUT */.bO.config],
        webhookUrl: r[constants/* INPUT */.bO.webhookUrl],
        publicKey: r[constants/* INPUT */.bO.publicKey],
        maxRecords: r[constants/* INPUT */.bO.maxRecords],
    };
}

// EXTERNAL MODULE: ./src/rotation/notify.ts
var notify = __webpack_require__(2565);
;// CONCATENATED MODULE: ./src/actions/audit/notify.ts
/**
 * The audit action's webhook: a Slack-compatible `{text, blocks}` post of the findings, when there
 * are any at or above the notice threshold. Posted unsigned (a Slack incoming webhook's URL is its
 * credential) through the vault's own webhook code (src/rotation/notify.ts): https only, no
 * redirects, one retry, errors that name the origin and never the path.
 */



const AUDIT_EVENT = 'audit.report';
/** Slack takes at most 50 blocks, each section's text at most 3000 characters. */
const MAX_FINDING_BLOCKS = 20;
const MAX_BLOCK_TEXT = 2900;
/** The lowest severity that is posted: `fail-on` when that is info, else warning. */
function noticeThreshold(failOn) {
    return failOn === 'info' ? 'info' : 'warning';
}
/** The findings worth a notice (verification failures always are). */
function noticeFindings(findings, failOn) {
    const min = SEVERITY_RANK[noticeThreshold(failOn)];
    return findings.filter((f) => f.verification || SEVERITY_RANK[f.severity] >= min);
}
const clip = (s, max) => (s.length > max ? `${s.slice(0, max)}…` : s);
/**
 * One line of text for mrkdwn: `&`, `<` and `>` escaped, so no vault text can mention @channel or
 * make or hide a link; line breaks flattened. (`*`, `_` and `~` can only change how it looks.)
 */
const line = (s, max) => (0,core_text/* slackText */.a4)(clip(s.replace(/[\r\n]+/g, ' '), max));
const MARK = {
    critical: ':red_circle: CRITICAL',
    warning: ':large_orange_circle: warning',
    info: ':large_blue_circle: info',
};
/** The JSON body posted: Slack's `text` (the fallback and notification line) and `blocks`, plus the findings as data. */
function noticeBody(findings, ctx) {
    const critical = findings.filter((f) => f.severity === 'critical').length;
    const head = `Agent Secret Store audit report for ${ctx.vaultUrl}: ${findings.length} finding(s), ${critical} critical${ctx.verified ? '' : '; the log was NOT verified'}`;
    const blocks = [
        {
            type: 'section',
            text: {
                type: 'mrkdwn',
                text: `*${line(head, 500)}*${ctx.window ? `\n${line(`${ctx.window.since} to ${ctx.window.until}`, 120)}` : ''}`,
            },
        },
    ];
    for (const f of findings.slice(0, MAX_FINDING_BLOCKS)) {
        const body = `${MARK[f.severity]} \`${line(f.check, 40).replace(/`/g, "'")}\` *${line(f.title, 400)}*\n${line(f.detail, 1200)}\n_What to do:_ ${line(f.action, 900)}`;
        blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(body, MAX_BLOCK_TEXT) } });
    }
    if (findings.length > MAX_FINDING_BLOCKS) {
        blocks.push({
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `${findings.length - MAX_FINDING_BLOCKS} more in the job summary.` }],
        });
    }
    // The run URL is GitHub's own (from the runner's environment), not the vault's.
    if (ctx.runUrl)
        blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${ctx.runUrl}|The full report>` }] });
    return JSON.stringify({
        text: line(head, 500),
        blocks,
        event: AUDIT_EVENT,
        verified: ctx.verified,
        findings: findings.map((f) => ({ check: f.check, severity: f.severity, title: f.title, subject: f.subject, count: f.count })),
    });
}
/** Posts the notice; resolves to what happened, for the summary and the log. Never throws. */
async function sendNotice(url, findings, ctx, opts = {}) {
    try {
        const d = await (0,notify/* postWebhook */.WW)(AUDIT_EVENT, noticeBody(findings, ctx), `${findings.length} finding(s) were found`, {
            url,
            ...(opts.fetch ? { fetch: opts.fetch } : {}),
        });
        return { ok: true, message: `posted ${findings.length} finding(s) to ${new URL(url).origin} (HTTP ${d.status})` };
    }
    catch (err) {
        return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
}

// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
;// CONCATENATED MODULE: ./src/actions/audit/summary.ts


/** Findings shown in full; the rest are counted (all are in the `anomalies` output). */
const MAX_FINDINGS_SHOWN = 50;
/** The summary stays well under GitHub's 1 MiB per step. */
const MAX_SUMMARY_BYTES = 900 * 1024;
/** A vault string: cut to `max` characters, then escaped for a table cell. */
function summary_text(s, max = 300) {
    if (s === null || s === undefined || s === '')
        return '-';
    const cut = s.length > max ? `${s.slice(0, max)}…` : s;
    return (0,markdown/* escapeMarkdown */.F)(cut);
}
/** A vault string shown monospaced (paths, names, ids). */
function code(s, max = 200) {
    if (s === null || s === undefined || s === '')
        return '-';
    return (0,markdown/* markdownCode */.D)(s.length > max ? `${s.slice(0, max)}…` : s);
}
/**
 * A label inside a Mermaid chart: only letters, digits, space and `:._/-` survive, so no quote,
 * semicolon, bracket or line break can end the label, the statement or the block.
 */
function mermaidLabel(s, max = 32) {
    return s
        .replace(/[^A-Za-z0-9 :._/-]/g, '')
        .slice(0, max)
        .trim();
}
const SEVERITY_MARK = { critical: '🔴 critical', warning: '🟠 warning', info: '🔵 info' };
function table(head, rows) {
    return `<table>\n<tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>\n${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}\n</table>`;
}
function facts(pairs) {
    return `<table>\n${pairs.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`).join('\n')}\n</table>`;
}
const n = (x) => x.toLocaleString('en-US');
/** A UTC time, short: `2026-11-22 10:00`. */
function shortTime(iso) {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}
/**
 * Reads and refusals per hour as a Mermaid xychart-beta (bars: reads, line: refusals), every hour of
 * the window present (the vault lists only hours with records), in at most 48 buckets.
 */
function hourlyChart(summary) {
    const HOUR = 3_600_000;
    const since = Date.parse(summary.since);
    const until = Date.parse(summary.until);
    if (Number.isNaN(since) || Number.isNaN(until) || until < since)
        return undefined;
    const start = Math.floor(since / HOUR) * HOUR;
    const hours = Math.max(1, Math.ceil((until + 1 - start) / HOUR));
    const per = [1, 2, 3, 4, 6, 8, 12, 24].find((h) => hours / h <= 48) ?? Math.ceil(hours / 48 / 24) * 24;
    const buckets = Math.ceil(hours / per);
    const reads = new Array(buckets).fill(0);
    const denied = new Array(buckets).fill(0);
    let any = false;
    for (const h of summary.hours) {
        const t = Date.parse(h.hour);
        if (Number.isNaN(t))
            continue;
        const i = Math.floor((t - start) / (per * HOUR));
        if (i < 0 || i >= buckets)
            continue;
        reads[i] = reads[i] + Math.max(0, h.reads);
        denied[i] = denied[i] + Math.max(0, h.denied);
        if (h.requests > 0)
            any = true;
    }
    if (!any)
        return undefined;
    const days = hours > 24;
    const labels = reads.map((_, i) => {
        const iso = new Date(start + i * per * HOUR).toISOString();
        return mermaidLabel(per >= 24 ? iso.slice(5, 10) : days ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16));
    });
    const max = Math.max(1, ...reads, ...denied);
    const unit = per === 1 ? 'hour' : `${per} hours`;
    return [
        '```mermaid',
        'xychart-beta',
        `  title "Secret reads (bars) and refused requests (line) per ${unit}, UTC"`,
        `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
        `  y-axis "Requests" 0 --> ${Math.ceil(max * 1.1)}`,
        `  bar [${reads.join(', ')}]`,
        `  line [${denied.join(', ')}]`,
        '```',
    ].join('\n');
}
function headline(v) {
    const critical = v.findings.filter((f) => f.severity === 'critical').length;
    const warning = v.findings.filter((f) => f.severity === 'warning').length;
    const info = v.findings.filter((f) => f.severity === 'info').length;
    const verification = v.findings.some((f) => f.verification)
        ? '❌ <b>The audit log FAILS verification.</b>'
        : v.verified
            ? '✅ The audit log verifies, by the vault and against the checkpoints.'
            : '⚠️ The audit log was not fully verified (see Verification).';
    const counts = `${critical} critical, ${warning} warning, ${info} info finding(s).`;
    const outcome = v.failing
        ? `The job fails${v.findings.some((f) => f.verification) ? ' (a failed verification always fails it)' : ` (fail-on: ${v.failOn})`}.`
        : '';
    return `<p>${verification} ${counts} ${outcome}</p>`;
}
function numbers(s) {
    const reads = s.hours.filter((h) => !Number.isNaN(Date.parse(h.hour))).reduce((sum, h) => sum + Math.max(0, h.reads), 0);
    return facts([
        [
            'Requests',
            `${n(s.requests)} (${n(s.granted)} granted, ${n(s.denied)} refused, ${n(s.errors)} failed, ${n(s.pending)} held for approval)`,
        ],
        ['Secret reads', n(reads)],
        ['Secrets touched', `${n(s.secrets.length)}${s.secrets.length >= 15 ? '+' : ''}`],
        ['Actors', `${n(s.actors.length)}${s.actors.length >= 15 ? '+' : ''}`],
        ['Tokens', `${n(s.tokens.issued)} issued, ${n(s.tokens.exchanged)} from CI exchanges, ${n(s.tokens.revoked)} revoked`],
        [
            'Approvals',
            `${n(s.approvals.requested)} requested, ${n(s.approvals.approved)} approved, ${n(s.approvals.denied)} denied, ${n(s.approvals.expired)} expired`,
        ],
        ['Rotations', `${n(s.rotations.finished)} done, ${n(s.rotations.aborted)} aborted, ${n(s.rotations.overdueTotal)} overdue now`],
        ['Lockouts', n(s.lockouts)],
    ]);
}
function findingsSection(findings) {
    if (findings.length === 0)
        return '<h4>Findings</h4>\n<p>None: no anomaly, and nothing wrong with the log.</p>';
    const shown = findings.slice(0, MAX_FINDINGS_SHOWN);
    const rows = shown.map((f) => [
        f.severity === 'critical' ? `<b>${SEVERITY_MARK[f.severity]}</b>` : SEVERITY_MARK[f.severity],
        code(f.check, 40),
        `<b>${summary_text(f.title, 300)}</b><br>${summary_text(f.detail, 800)}`,
        summary_text(f.action, 600),
    ]);
    const more = findings.length > shown.length
        ? `\n<p>${findings.length - shown.length} more finding(s) in the <code>anomalies</code> output.</p>`
        : '';
    return `<h4>Findings</h4>\n${table(['Severity', 'Check', 'Finding', 'What to do'], rows)}${more}`;
}
function tables(s) {
    const out = [];
    if (s.secrets.length) {
        out.push('<h4>Busiest secrets</h4>', table(['Path', 'Tier', 'Reads', 'Writes', 'Refused'], s.secrets.map((p) => [code(p.path), summary_text(p.tier), n(p.reads), n(p.writes), n(p.denied)])));
    }
    if (s.actors.length) {
        out.push('<h4>Busiest actors</h4>', table(['Actor', 'Kind', 'Agent', 'Requests', 'Refused'], s.actors.map((a) => [code(a.name), summary_text(a.type, 40), code(a.agent), n(a.requests), n(a.denied)])));
    }
    if (s.denials.length) {
        out.push('<h4>Refusals by reason</h4>', table(['Code', 'Event', 'Count', 'Example'], s.denials.map((d) => [code(d.code, 60), code(d.event, 60), n(d.count), summary_text(d.example, 300)])));
    }
    if (s.addresses.length) {
        out.push('<h4>Addresses</h4>', table(['Address', 'Requests', 'Refused'], s.addresses.map((a) => [code(a.ip), n(a.requests), n(a.denied)])));
    }
    const r = s.rotations;
    out.push('<h4>Rotations</h4>', `<p>${n(r.finished)} rotation(s) done and ${n(r.aborted)} aborted in the window; ${n(r.overdueTotal)} secret(s) overdue now.</p>`);
    if (r.overdue.length) {
        out.push(table(['Overdue secret', 'Tier', 'Rotator', 'Overdue by'], r.overdue.map((o) => [code(o.path), summary_text(o.tier, 40), summary_text(o.rotator, 40), summary_text((0,duration/* formatDuration */.a)(o.overdueSeconds), 40)])));
    }
    if (s.exchanges.length) {
        out.push('<h4>CI exchanges by repository and workflow</h4>', table(['Repository', 'Workflow', 'Granted', 'Refused'], s.exchanges.map((x) => [code(x.repository), code(x.workflow, 300), n(x.granted), n(x.refused)])));
    }
    return out;
}
const KEY_SOURCE = {
    input: 'pinned by the <code>public-key</code> input',
    'previous-checkpoint': "the previous checkpoint's key",
    'first-use': 'trusted on first use: no previous checkpoint, no <code>public-key</code>',
};
function verificationSection(v) {
    const rows = [];
    const vv = v.vaultVerification;
    rows.push([
        "The vault's own check",
        vv === undefined
            ? 'not run (the vault refused)'
            : vv.ok
                ? `✅ intact: ${n(vv.count)} records, head record ${n(vv.headSeq)}`
                : `❌ ${vv.problems.length} problem(s): ${vv.problems
                    .slice(0, 5)
                    .map((p) => summary_text(`${p.seq === null ? '' : `record ${p.seq}: `}${p.message}`, 300))
                    .join('<br>')}`,
    ]);
    const c = v.chain;
    const prev = v.previousCheckpoint;
    const against = prev ? `the previous checkpoint (record ${n(prev.seq)}, ${summary_text(shortTime(prev.time), 40)})` : 'record 1';
    let own;
    if (!c)
        own = 'not run';
    else if (c.problems.length > 0) {
        own = `❌ ${c.problems.length} problem(s): ${c.problems
            .slice(0, 5)
            .map((p) => summary_text(p.message, 300))
            .join('<br>')}`;
    }
    else if (c.count === 0 && c.complete) {
        own = `✅ nothing new since ${against}`;
    }
    else if (c.complete) {
        own = `✅ records ${n(c.from ?? 0)} to ${n(c.to ?? 0)} (${n(c.count)}) lead from ${against} to the new checkpoint`;
    }
    else if (c.skipped) {
        own = `⚠️ partial: records ${n(c.from ?? 0)} to ${n(c.to ?? 0)} checked; ${n(c.skipped.from)} to ${n(c.skipped.to)} not (max-records)`;
    }
    else {
        own = `⚠️ records ${n(c.from ?? 0)} to ${n(c.to ?? 0)} read, but no new checkpoint vouches for the end of the log`;
    }
    rows.push(['This action\u2019s check', own]);
    if (v.current)
        rows.push(['New checkpoint', `record ${n(v.current.seq)}, ${summary_text(shortTime(v.current.time), 40)}, hash ${code(v.current.hash, 64)}`]);
    if (c?.key)
        rows.push(['Audit key', `${code(c.key.value, 60)} (${KEY_SOURCE[c.key.source] ?? ''})`]);
    const prevState = v.previous;
    rows.push([
        'Previous checkpoint',
        prevState.state === 'none'
            ? 'none kept (no <code>checkpoint-path</code>)'
            : prevState.state === 'missing'
                ? `none at ${code(prevState.path)}: a first run, checked from record 1`
                : prevState.state === 'unreadable'
                    ? `❌ ${code(prevState.path)} is unreadable`
                    : `${code(prevState.path)}`,
    ]);
    const f = v.checkpointFile;
    rows.push([
        'Checkpoint kept',
        f.state === 'written'
            ? `✅ the new checkpoint was written to ${code(f.path)}`
            : f.state === 'kept'
                ? `the previous checkpoint was kept: ${summary_text(f.reason ?? '', 300)}`
                : f.state === 'failed'
                    ? `❌ could not write ${code(f.path)}: ${summary_text(f.reason ?? '', 200)}`
                    : 'not kept (no <code>checkpoint-path</code>)',
    ]);
    return `<h4>Verification</h4>\n${facts(rows)}`;
}
function footer(v) {
    const cred = v.credential;
    const rows = [['Vault', code(v.vaultUrl)]];
    if (cred.kind === 'pipeline') {
        rows.push([
            'Credential',
            `pipeline token ${code(cred.tokenId)} of agent ${code(cred.agent)} (scope <code>audit:read</code>), ${summary_text(cred.revocation, 200)}`,
        ]);
    }
    else if (cred.kind === 'token') {
        rows.push(['Credential', 'the <code>token</code> input (not revoked: it is not this run\u2019s)']);
    }
    const skipped = (v.anomalies?.checks ?? []).filter((c) => !c.ran || c.note);
    if (skipped.length) {
        rows.push(['Anomaly checks', skipped.map((c) => `${code(c.check, 40)}: ${c.ran ? '' : 'not run. '}${summary_text(c.note, 200)}`).join('<br>')]);
    }
    if (v.webhook)
        rows.push(['Webhook', summary_text(v.webhook, 300)]);
    return facts(rows);
}
/** The whole summary. */
function renderAuditSummary(v) {
    const window = v.window
        ? `<p>From ${summary_text(shortTime(v.window.since), 40)} to ${summary_text(shortTime(v.window.until), 40)} UTC (${v.window.basis === 'last-run'
            ? 'since the last run'
            : v.window.basis === 'input'
                ? 'the <code>since</code> input'
                : 'the last 24 hours'}).</p>`
        : '';
    const parts = ['<h3>Agent Secret Store: audit report</h3>', window, headline(v), findingsSection(v.findings)];
    if (v.summary) {
        parts.push('<h4>In numbers</h4>', numbers(v.summary));
        const chart = hourlyChart(v.summary);
        parts.push('', chart ?? '<p>No requests in the window.</p>', '');
        parts.push(...tables(v.summary));
    }
    else {
        parts.push('<p>No summary: the vault refused it (see the findings).</p>');
    }
    parts.push(verificationSection(v), footer(v), '');
    let out = parts.join('\n');
    if (Buffer.byteLength(out) > MAX_SUMMARY_BYTES) {
        // Only long vault texts can get here: keep the verdict, the findings' titles and the verification.
        out = [
            parts[0],
            window,
            headline(v),
            table(['Severity', 'Finding'], v.findings.slice(0, MAX_FINDINGS_SHOWN).map((f) => [SEVERITY_MARK[f.severity], summary_text(f.title, 200)])),
            '<p>The full report was too large for a job summary; the <code>anomalies</code> output lists every finding.</p>',
            verificationSection(v),
            footer(v),
            '',
        ].join('\n');
    }
    return out;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/core/audit-chain.ts
/**
 * The tamper-evident audit chain, as pure functions that the vault and the CLI share: the canonical
 * encoding of a record, record and head hashes, the verifier, and checkpoint text and signatures.
 *
 * Each record's hash covers the previous record's hash and a canonical encoding of its own fields,
 * and sequence numbers are gapless, so an edited, deleted or reordered record breaks the chain for
 * anyone holding an export. Two things catch what a bare chain cannot: the head (last seq and hash)
 * is stored with an HMAC under a key the database never holds, so truncating the tail or rewriting
 * the whole chain is detected by the vault; and signed checkpoints (Ed25519) can be kept off-box,
 * so a verifier holding one detects truncation or rollback without trusting the vault at all.
 */

const GENESIS_HASH = '0'.repeat(64);
const DOMAIN = 'ass-audit-record/v1';
/** Fixed-order encoding of a record's fields; the claims object is key-sorted. */
function canonicalRecord(entry, seq) {
    const claims = entry.claims ? Object.fromEntries(Object.entries(entry.claims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : null;
    return JSON.stringify([
        seq,
        entry.time,
        entry.requestId,
        entry.event,
        entry.status,
        entry.actorType,
        entry.actorId,
        entry.actorName,
        entry.agent,
        entry.tokenId,
        entry.path,
        entry.tier,
        entry.reason,
        entry.ip,
        claims,
    ]);
}
function recordHash(entry, seq, prevHash) {
    return (0,external_node_crypto_.createHash)('sha256')
        .update(`${DOMAIN}\n${prevHash}\n${canonicalRecord(entry, seq)}`)
        .digest('hex');
}
function headMac(key, seq, hash) {
    return (0,external_node_crypto_.createHmac)('sha256', key).update(`ass-audit-head/v1\n${seq}\n${hash}`).digest('hex');
}
/** Thrown when the stored head does not match the log: it was truncated or rewritten outside the server. */
class AuditTamperError extends Error {
    constructor(message) {
        super(message);
        this.name = 'AuditTamperError';
    }
}
/**
 * Checks that the stored head is authentic and names the last record; throws AuditTamperError.
 * Every vault has a head from the moment it is created (seq 0, the genesis hash, MAC'd), so a
 * missing head means the log was wiped behind the server's back, not that it is new.
 */
function checkHead(headKey, head, last) {
    if (!head) {
        throw new AuditTamperError(`the audit chain head is missing${last ? ` although records up to ${last.seq} exist` : ''}: the log was wiped or altered outside the server`);
    }
    const expected = Buffer.from(headMac(headKey, head.seq, head.hash), 'hex');
    const actual = Buffer.from(head.mac, 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        throw new AuditTamperError('the audit chain head is not authentic: the log was rewritten or rolled back outside the server');
    }
    if (head.seq === 0 ? last !== undefined : !last || last.seq !== head.seq || last.hash !== head.hash) {
        throw new AuditTamperError(`the last audit record (${last?.seq ?? 'none'}) is not the authenticated head (${head.seq}): records were deleted or added outside the server`);
    }
}
function checkpointText(c) {
    return `ass-audit-checkpoint/v1\n${c.origin}\n${c.seq}\n${c.hash}\n${c.time}\n`;
}
function checkpointSignatureValid(c, trustedPublicKey) {
    const keyB64 = trustedPublicKey ?? c.publicKey;
    try {
        const key = (0,external_node_crypto_.createPublicKey)({
            key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(keyB64, 'base64').toString('base64url') },
            format: 'jwk',
        });
        return (0,external_node_crypto_.verify)(null, Buffer.from(checkpointText(c)), key, Buffer.from(c.signature, 'base64'));
    }
    catch {
        return false;
    }
}
/**
 * Verifies records pushed in ascending seq order, without holding them: detects an edited record
 * (its hash no longer matches its fields), a deleted record (a gap, or a broken link), reordered
 * records (broken links), a truncated tail (the authenticated head or a checkpoint is ahead of the
 * last record) and a rewritten chain (head MAC or checkpoint hash mismatch).
 */
class ChainVerifier {
    options;
    problems = [];
    expectedSeq = 1;
    prevHash = GENESIS_HASH;
    count = 0;
    lastSeq = 0;
    lastHash = GENESIS_HASH;
    wanted = new Map();
    constructor(options = {}) {
        this.options = options;
        for (const c of options.checkpoints ?? [])
            this.wanted.set(c.seq, undefined);
        if (options.after) {
            this.expectedSeq = options.after.seq + 1;
            this.prevHash = options.after.hash;
            this.lastSeq = options.after.seq;
            this.lastHash = options.after.hash;
        }
    }
    add(p) {
        if (this.problems.length < (this.options.maxProblems ?? 100))
            this.problems.push(p);
    }
    push(r) {
        if (r.seq !== this.expectedSeq) {
            if (this.expectedSeq === 1 && !this.options.after)
                this.add({
                    seq: r.seq,
                    kind: 'missing_start',
                    message: `The log starts at record ${r.seq}; records 1 to ${r.seq - 1} are missing.`,
                });
            else if (r.seq > this.expectedSeq)
                this.add({ seq: r.seq, kind: 'gap', message: `Records ${this.expectedSeq} to ${r.seq - 1} are missing (deleted).` });
            else
                this.add({
                    seq: r.seq,
                    kind: 'gap',
                    message: `Record ${r.seq} appears out of order after record ${this.expectedSeq - 1} (reordered or duplicated).`,
                });
        }
        if (r.prevHash !== this.prevHash) {
            this.add({
                seq: r.seq,
                kind: 'broken_link',
                message: `Record ${r.seq} does not link to the record before it (a record before it was deleted, reordered or rewritten).`,
            });
        }
        if (recordHash(r, r.seq, r.prevHash) !== r.hash) {
            this.add({ seq: r.seq, kind: 'hash_mismatch', message: `Record ${r.seq} was edited: its fields no longer match its hash.` });
        }
        if (this.wanted.has(r.seq))
            this.wanted.set(r.seq, r.hash);
        this.prevHash = r.hash;
        this.expectedSeq = r.seq + 1;
        this.count++;
        this.lastSeq = r.seq;
        this.lastHash = r.hash;
    }
    finish() {
        const { head, headKey, checkpoints, trustedPublicKey } = this.options;
        const headSeq = this.lastSeq;
        const headHash = this.lastHash;
        if (head) {
            if (headKey) {
                const expected = Buffer.from(headMac(headKey, head.seq, head.hash), 'hex');
                const actual = Buffer.from(head.mac, 'hex');
                if (expected.length !== actual.length || !(0,external_node_crypto_.timingSafeEqual)(expected, actual)) {
                    this.add({
                        seq: head.seq,
                        kind: 'head_mac_invalid',
                        message: 'The stored chain head is not authentic: it was written without the server key (the log was rewritten or rolled back).',
                    });
                }
            }
            if (head.seq > headSeq) {
                this.add({
                    seq: head.seq,
                    kind: 'truncated',
                    message: `The log ends at record ${headSeq}, but the chain head says ${head.seq}: the tail was truncated.`,
                });
            }
            else if (head.seq < headSeq || head.hash !== headHash) {
                this.add({
                    seq: headSeq,
                    kind: 'head_mismatch',
                    message: `The last record (${headSeq}) does not match the authenticated chain head (${head.seq}): records were added or rewritten outside the server.`,
                });
            }
        }
        else if (headKey) {
            this.add({
                seq: null,
                kind: 'head_mac_invalid',
                message: 'The chain head is missing: the log was wiped or altered outside the server.',
            });
        }
        for (const c of checkpoints ?? []) {
            if (!checkpointSignatureValid(c, trustedPublicKey)) {
                this.add({
                    seq: c.seq,
                    kind: 'checkpoint_signature_invalid',
                    message: `The checkpoint at record ${c.seq} has an invalid signature (or was signed by another key).`,
                });
                continue;
            }
            const seen = this.wanted.get(c.seq);
            if (c.seq > headSeq) {
                this.add({
                    seq: c.seq,
                    kind: 'truncated',
                    message: `A signed checkpoint covers record ${c.seq}, but the log ends at ${headSeq}: the tail was truncated or rolled back.`,
                });
            }
            else if (c.seq > 0 && seen !== undefined && seen !== c.hash) {
                this.add({
                    seq: c.seq,
                    kind: 'checkpoint_mismatch',
                    message: `Record ${c.seq} differs from the signed checkpoint: the log was rewritten.`,
                });
            }
            else if (c.seq > 0 && seen === undefined) {
                this.add({
                    seq: c.seq,
                    kind: 'checkpoint_mismatch',
                    message: `The record a signed checkpoint covers (${c.seq}) is missing from the log.`,
                });
            }
        }
        return { ok: this.problems.length === 0, count: this.count, headSeq, headHash, problems: this.problems };
    }
}
/** Verifies a whole list of records at once (exports, tests). */
function verifyChain(records, options = {}) {
    const v = new ChainVerifier(options);
    for (const r of records)
        v.push(r);
    return v.finish();
}

;// CONCATENATED MODULE: ./src/actions/audit/verify.ts
/**
 * The action's own check of the audit chain, which trusts nothing the vault says about itself: the
 * new checkpoint must be signed by the pinned key, must not be behind the previous one, and the
 * records between the two, read page by page, must link from the previous checkpoint's record to
 * the new checkpoint's (src/core/audit-chain.ts's ChainVerifier). A log rewritten, edited, truncated
 * or rolled back since the last run is caught even when the vault's own verification says it is fine.
 */

function checkChain(input) {
    const { previous, current, pinnedKey } = input;
    const key = pinnedKey
        ? { value: pinnedKey, source: 'input' }
        : previous
            ? { value: previous.publicKey, source: 'previous-checkpoint' }
            : current
                ? { value: current.publicKey, source: 'first-use' }
                : undefined;
    const problems = [];
    if (previous && key && !checkpointSignatureValid(previous, key.value)) {
        problems.push({
            seq: previous.seq,
            kind: 'checkpoint_signature_invalid',
            message: key.source === 'input'
                ? `The previous checkpoint (record ${previous.seq}) is not signed by the pinned public-key: the stored checkpoint is another vault's, or was replaced.`
                : `The previous checkpoint (record ${previous.seq}) does not carry a valid signature: the stored file was edited.`,
        });
    }
    if (current && key && !checkpointSignatureValid(current, key.value)) {
        problems.push({
            seq: current.seq,
            kind: 'checkpoint_signature_invalid',
            message: `The vault's new checkpoint (record ${current.seq}) is not signed by the ${key.source === 'input' ? 'pinned public-key' : "previous checkpoint's key"}: the vault's audit key changed, or something else answers in its place.`,
        });
    }
    if (previous && current) {
        if (current.seq < previous.seq) {
            problems.push({
                seq: current.seq,
                kind: 'truncated',
                message: `The vault's log now ends at record ${current.seq}, before the previous checkpoint's record ${previous.seq}: it was truncated or rolled back since the last run.`,
            });
        }
        else if (current.seq === previous.seq && current.hash !== previous.hash) {
            problems.push({
                seq: current.seq,
                kind: 'checkpoint_mismatch',
                message: `Record ${current.seq} differs from the previous checkpoint's: the log was rewritten since the last run.`,
            });
        }
        else if (current.seq === previous.seq) {
            // A vault records each checkpoint request after the head it signs, so its log has always grown
            // by the next run: the same checkpoint again is an old answer replayed (by whatever answers in
            // the vault's place), and would hold every later report at "verified" while reading nothing.
            problems.push({
                seq: current.seq,
                kind: 'checkpoint_replayed',
                message: `The vault's new checkpoint is the previous run's (record ${current.seq}, ${current.time}), although the last run's own requests were recorded after it: an old answer was replayed in the vault's place.`,
            });
        }
    }
    return { key, problems };
}
/**
 * Checks the chain between the previous checkpoint and the new one (see the file comment). With no
 * previous checkpoint, from record 1; past `maxRecords`, only the first `maxRecords` after the
 * previous checkpoint (or, on a first run, the last `maxRecords` before the new one), and says so.
 */
async function verifyAgainstCheckpoints(input) {
    const { previous, current, maxRecords } = input;
    const { key, problems } = checkChain(input);
    const signed = (c) => c !== undefined && key !== undefined && checkpointSignatureValid(c, key.value);
    const rolledBack = previous && current && current.seq < previous.seq;
    // The record the previous checkpoint names is read again: an edit of it shows, not only of what follows.
    let afterSeq = previous && previous.seq > 0 ? previous.seq - 1 : 0;
    const end = current && !rolledBack ? current.seq : undefined;
    let complete = true;
    let skipped;
    let limit = maxRecords + (previous && previous.seq > 0 ? 1 : 0);
    if (!previous && end !== undefined && end > maxRecords) {
        // First run on a long log: the newest records, which must still lead to the signed head.
        complete = false;
        skipped = { from: 1, to: end - maxRecords };
        afterSeq = end - maxRecords;
        limit = maxRecords;
    }
    else if (end !== undefined && end - afterSeq > limit) {
        complete = false;
        skipped = { from: afterSeq + limit + 1, to: end };
    }
    const checkpoints = [
        ...(previous && previous.seq > 0 && signed(previous) ? [previous] : []),
        ...(current && complete && !rolledBack && signed(current) ? [current] : []),
    ];
    let verifier;
    let from = null;
    let to = null;
    let count = 0;
    let reachedEnd = false;
    while (count < limit && !reachedEnd) {
        const want = Math.min(input.pageSize, limit - count, end === undefined ? Number.POSITIVE_INFINITY : end - afterSeq);
        if (want <= 0)
            break;
        const records = await input.page(afterSeq, want);
        if (records.length === 0)
            break;
        for (const r of records) {
            if (end !== undefined && r.seq > end) {
                reachedEnd = true;
                break;
            }
            // The chain is anchored at the first record read: on record 1 at the genesis hash, else at the
            // hash that record links to, which the previous checkpoint (or the new one) then vouches for.
            verifier ??= new ChainVerifier({
                ...(afterSeq === 0 && r.seq >= 1 ? {} : { after: { seq: afterSeq, hash: r.prevHash } }),
                checkpoints,
                ...(key ? { trustedPublicKey: key.value } : {}),
                maxProblems: 20,
            });
            verifier.push(r);
            from ??= r.seq;
            to = r.seq;
            count++;
            if (count >= limit)
                break;
        }
        const last = records.at(-1);
        if (last.seq <= afterSeq)
            break; // a vault that does not move forward is not asked forever
        afterSeq = last.seq;
        if (end !== undefined && afterSeq >= end)
            reachedEnd = true;
        // A short page is the log's end as it stood: each query is itself recorded, so reading on
        // would chase the records of this very check.
        if (records.length < want)
            reachedEnd = true;
    }
    // Nothing read, but checkpoints to hold the log to (a log emptied, or truncated before them).
    verifier ??= new ChainVerifier({
        ...(afterSeq === 0 ? {} : { after: { seq: afterSeq, hash: previous?.hash ?? '' } }),
        checkpoints,
        ...(key ? { trustedPublicKey: key.value } : {}),
        maxProblems: 20,
    });
    // Without a new checkpoint there is no head to reach: the records were read up to the log's end.
    if (end === undefined)
        complete = false;
    const result = verifier.finish();
    for (const p of result.problems) {
        if (!problems.some((q) => q.kind === p.kind && q.seq === p.seq))
            problems.push(p);
    }
    return { key, from, to, count, complete, skipped, problems };
}

;// CONCATENATED MODULE: ./src/actions/audit/main.ts

















const STAGE_TITLE = {
    inputs: 'reading the inputs',
    'oidc-token': "requesting the job's OIDC token",
    exchange: 'exchanging the agent key and OIDC token for a pipeline token',
    checkpoint: 'getting a signed checkpoint',
    summary: 'getting the summary of the window',
    anomalies: 'running the anomaly checks',
    records: 'reading the records since the previous checkpoint',
    verify: "running the vault's verification",
};
/** The failure message of a run that could not make its report: the stage, the vault's (or our) message, and the fix. */
function failureMessage(err) {
    const stageName = err instanceof stage/* StageError */.Z ? err.stage : undefined;
    const original = err instanceof stage/* StageError */.Z ? err.original : err;
    const head = stageName
        ? `Agent Secret Store audit report failed while ${STAGE_TITLE[stageName]} (stage "${stageName}"):\n`
        : 'Agent Secret Store audit report failed:\n';
    let hint = '';
    if ((0,errors/* isAppError */.Y6)(original)) {
        if (stageName === 'exchange' && original.code === 'oidc_rejected') {
            hint =
                "The vault refused the job's OIDC token. Compare the agent's trust policy (`ass agents list`) with this job's claims, and make sure `audience` equals the vault's public URL.";
        }
        else if (stageName === 'exchange' && (original.code === 'denied' || original.code === 'scope_missing')) {
            hint =
                'The agent must hold audit:read (and its trust policy, if it lists scopes, too): `ass agents create --name auditor-bot --scopes audit:read --oidc-claim repository_id=...`.';
        }
        else if (stageName === 'exchange' && ['unauthenticated', 'token_revoked', 'token_expired'].includes(original.code)) {
            hint = 'The vault did not accept the agent-key: it may be revoked, mistyped, or for another vault.';
        }
        else if (['unauthenticated', 'token_revoked', 'token_expired'].includes(original.code)) {
            hint = 'The vault did not accept the `token` input: it may be revoked, expired, mistyped, or for another vault.';
        }
        else if (original.code === 'denied' || original.code === 'scope_missing') {
            hint =
                'The `token` input must belong to a user with the auditor (or admin) role (`ass users create NAME --role auditor`), or be a token with audit:read.';
        }
        else if (original.code === 'unavailable') {
            hint = 'Check the `url` input and that the vault is reachable from the runner.';
        }
    }
    return `${head}${(0,errors/* errorMessage */.gJ)(original)}${hint ? `\n${hint}` : ''}`;
}
const isAuditUnavailable = (err) => (0,errors/* isAppError */.Y6)(err) && err.code === 'audit_unavailable';
/** Retries what may pass on a second try; never `audit_unavailable` (a broken log stays broken within a run). */
const RETRY = { attempts: 4, baseMs: 250, maxMs: 3000 };
const retryable = (err) => !isAuditUnavailable(err) && (0,retry/* isRetryableError */.$d)(err);
/** A record as the API shows it (ISO time) back in the form its hash covers (milliseconds). */
function chainRecord(e) {
    return { ...e, time: Date.parse(e.time) };
}
/** GitHub's link to this run, from the runner's environment. */
function runUrl(env) {
    const url = `${env.GITHUB_SERVER_URL ?? ''}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
    return /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/actions\/runs\/\d+$/.test(url) ? url : undefined;
}
/**
 * Asks the vault for the report's parts. The checkpoint comes first, so the next run's window (from
 * this checkpoint's time) overlaps this one rather than leaving a gap; the vault's verification comes
 * last, since a log it finds broken makes the vault refuse what follows. A refusal because the log
 * is broken (`audit_unavailable`) is a finding (`noteUnavailable`), not an error: the report goes on
 * with what the vault still serves (records, anomalies and verification are served while broken).
 */
async function gather(config, credential, previous, noteUnavailable) {
    const client = (0,client_client/* createClient */.U)({
        url: config.url,
        urlSource: 'the `url` input',
        credential,
        timeoutMs: 120_000,
        ...(config.caCert ? { caCert: config.caCert } : {}),
    });
    const call = async (name, during, fn) => {
        try {
            return await (0,stage/* stage */.d)(name, () => (0,retry/* withRetry */.bD)(fn, { ...RETRY, deadline: Date.now() + 120_000 }, retryable));
        }
        catch (err) {
            const original = err instanceof stage/* StageError */.Z ? err.original : err;
            if (!isAuditUnavailable(original))
                throw err;
            noteUnavailable(during, original);
            return undefined;
        }
    };
    try {
        // Since the last run: the previous checkpoint's time, when it is one the vault can take (the
        // anomaly checks look back a year at most; the chain check still reads every record since it).
        const last = previous && (0,schemas/* Since */.z9)().safeParse(previous.time).success && Date.now() - Date.parse(previous.time) < (schemas/* MAX_SPAN_DAYS */.es - 1) * 86_400_000
            ? previous.time
            : undefined;
        const since = config.since ?? last ?? '24h';
        const basis = config.since ? 'input' : last ? 'last-run' : 'default';
        const current = await call('checkpoint', 'to sign a checkpoint', () => client.auditCheckpoint());
        const summary = await call('summary', 'the summary', () => client.auditSummary({ since, limit: 15 }));
        const anomalies = await call('anomalies', 'the anomaly checks', () => client.auditAnomalies({ since, ...(config.anomalyConfig ? { config: config.anomalyConfig } : {}) }));
        const chain = await (0,stage/* stage */.d)('records', () => verifyAgainstCheckpoints({
            previous,
            current,
            pinnedKey: config.publicKey,
            maxRecords: config.maxRecords,
            pageSize: constants/* PAGE */.KL,
            page: async (afterSeq, limit) => (await (0,retry/* withRetry */.bD)(() => client.queryAudit({ afterSeq, limit }), { ...RETRY, deadline: Date.now() + 120_000 }, retryable)).events.map(chainRecord),
        }));
        const vaultVerification = await call('verify', 'its own verification', () => client.verifyAudit());
        const w = summary ?? anomalies;
        return { current, summary, anomalies, chain, vaultVerification, window: w ? { since: w.since, until: w.until, basis } : undefined };
    }
    finally {
        await client.close();
    }
}
/** The main step. Never throws: failures end in core.setFailed with the stage and the fix. */
async function runMain(env = process.env) {
    let pipeline;
    let config;
    let revocation;
    const revoke = async () => {
        if (!pipeline || !config || revocation)
            return;
        revocation = await (0,common_revoke/* revokePipelineToken */.mt)(config.url, pipeline.token, core/* getInput */.V4(constants/* INPUT */.bO.caCert));
        (0,common_revoke/* logRevocation */.r9)(pipeline.id, revocation);
        core/* saveState */.LZ(constants/* STATE */.c4.revokeTried, 'true');
    };
    try {
        // Credentials even when a workflow passed them as plain text: masked before an input error could echo them.
        for (const name of [constants/* INPUT */.bO.agentKey, constants/* INPUT */.bO.token, constants/* INPUT */.bO.webhookUrl]) {
            const raw = core/* getInput */.V4(name).trim();
            if (raw)
                core/* setSecret */.Pq(raw);
        }
        config = await (0,stage/* stage */.d)('inputs', () => parseConfig((name) => core/* getInput */.V4(name), env.GITHUB_WORKSPACE || process.cwd()));
        const cfg = config;
        const previous = await readPreviousCheckpoint(cfg.checkpointPath);
        let unavailable;
        const noteUnavailable = (during, err) => {
            unavailable ??= { during, message: (0,errors/* errorMessage */.gJ)(err) };
        };
        let credential;
        if (cfg.credential.kind === 'agent-key') {
            try {
                pipeline = await (0,exchange/* exchangeForPipelineToken */.E)({
                    url: cfg.url,
                    agentKey: cfg.credential.agentKey,
                    audience: cfg.audience,
                    scopes: constants/* AUDIT_SCOPES */.k1,
                    ttlSeconds: constants/* TOKEN_TTL_SECONDS */.xX,
                    caCert: cfg.caCert,
                }, env);
                // Masked by the exchange; only now may it go to the state file, which the runner logs in debug mode.
                core/* saveState */.LZ(constants/* STATE */.c4.url, cfg.url);
                core/* saveState */.LZ(constants/* STATE */.c4.token, pipeline.token);
                core/* saveState */.LZ(constants/* STATE */.c4.tokenId, pipeline.id);
                core/* saveState */.LZ(constants/* STATE */.c4.expiresAt, pipeline.expiresAt);
                core/* info */.pq((0,core_text/* oneLine */.TN)(`Pipeline token ${pipeline.id} issued to agent ${pipeline.agent}, scopes ${(pipeline.scopes ?? []).join(', ')}.`));
                credential = pipeline.token;
            }
            catch (err) {
                const original = err instanceof stage/* StageError */.Z ? err.original : err;
                if (!isAuditUnavailable(original))
                    throw err;
                noteUnavailable('the token exchange', original);
            }
        }
        else {
            credential = cfg.credential.token;
        }
        const g = credential
            ? await gather(cfg, credential, previous.checkpoint, noteUnavailable)
            : { current: undefined, summary: undefined, anomalies: undefined, chain: undefined, vaultVerification: undefined, window: undefined };
        await revoke();
        const input = {
            unavailable,
            previous: previous.state,
            chain: g.chain,
            vaultVerification: g.vaultVerification,
            anomalies: g.anomalies,
        };
        const findings = buildFindings(input);
        const verified = isVerified(input, findings);
        const failing = shouldFail(findings, cfg.failOn);
        const failures = [];
        // Never replace a good checkpoint with one of a log that failed verification.
        let checkpointFile;
        if (!cfg.checkpointPath)
            checkpointFile = { state: 'not-configured' };
        else if (!g.current)
            checkpointFile = { state: 'kept', path: cfg.checkpointPath, reason: 'the vault signed no new checkpoint.' };
        else if (findings.some((f) => f.verification)) {
            checkpointFile = {
                state: 'kept',
                path: cfg.checkpointPath,
                reason: 'the log failed verification, so its checkpoint does not replace the last good one.',
            };
        }
        else {
            try {
                await writeCheckpoint(cfg.checkpointPath, g.current);
                checkpointFile = { state: 'written', path: cfg.checkpointPath };
            }
            catch (err) {
                checkpointFile = { state: 'failed', path: cfg.checkpointPath, reason: err.code ?? (0,errors/* errorMessage */.gJ)(err) };
                failures.push(`Could not write the new checkpoint to ${cfg.checkpointPath} (${checkpointFile.reason}); the next run cannot hold the log to this one.`);
            }
        }
        core/* setOutput */.uH(constants/* OUTPUT */.aQ.anomalies, JSON.stringify(compactFindings(findings)));
        core/* setOutput */.uH(constants/* OUTPUT */.aQ.verified, String(verified));
        core/* setOutput */.uH(constants/* OUTPUT */.aQ.checkpoint, g.current ? JSON.stringify(g.current) : '');
        annotate(findings);
        logReport(g, findings, verified);
        let webhook;
        const notice = noticeFindings(findings, cfg.failOn);
        if (cfg.webhookUrl && notice.length > 0) {
            const sent = await sendNotice(cfg.webhookUrl, notice, {
                vaultUrl: cfg.url,
                verified,
                runUrl: runUrl(env),
                window: g.window ? { since: g.window.since, until: g.window.until } : undefined,
            });
            webhook = sent.message;
            if (sent.ok)
                core/* info */.pq((0,core_text/* oneLine */.TN)(`Webhook: ${sent.message}.`));
            else
                failures.push(`Could not post the findings to the webhook: ${sent.message}`);
        }
        else if (cfg.webhookUrl) {
            webhook = 'nothing to post (no finding at or above the notice threshold)';
        }
        if (revocation?.state === 'failed') {
            failures.push((0,common_revoke/* revocationFailure */.J_)(pipeline?.id, pipeline?.expiresAt, revocation.code === 'audit_unavailable' ? 'the vault refuses every change while its audit log is broken.' : revocation.message));
        }
        if (env.GITHUB_STEP_SUMMARY) {
            try {
                const view = {
                    vaultUrl: cfg.url,
                    window: g.window,
                    credential: pipeline
                        ? { kind: 'pipeline', tokenId: pipeline.id, agent: pipeline.agent ?? null, revocation: revocationText(revocation) }
                        : cfg.credential.kind === 'token'
                            ? { kind: 'token' }
                            : { kind: 'none' },
                    summary: g.summary,
                    anomalies: g.anomalies,
                    findings,
                    verified,
                    failing,
                    failOn: cfg.failOn,
                    vaultVerification: g.vaultVerification,
                    chain: g.chain,
                    previous: previous.state,
                    previousCheckpoint: previous.checkpoint,
                    current: g.current,
                    checkpointFile,
                    webhook,
                };
                await core/* summary */.z.addRaw(renderAuditSummary(view)).write();
            }
            catch (err) {
                failures.push(`Could not write the job summary: ${(0,errors/* errorMessage */.gJ)(err)}`);
            }
        }
        if (failing)
            failures.unshift(failingMessage(findings, cfg.failOn));
        if (failures.length)
            core/* setFailed */.C1((0,core_text/* oneLine */.TN)(failures.join(' ')));
    }
    catch (err) {
        core/* setOutput */.uH(constants/* OUTPUT */.aQ.verified, 'false');
        await revoke().catch(() => undefined);
        const message = failureMessage(err);
        // Monitoring that breaks must say so where people look: the job summary, and the webhook.
        const failed = {
            check: 'report_failed',
            severity: 'critical',
            title: 'The audit report could not be made',
            detail: message,
            action: 'Fix what the message names; until then nothing checks the vault’s audit log.',
            subject: {},
            count: 1,
            verification: false,
        };
        if (env.GITHUB_STEP_SUMMARY) {
            await core/* summary */.z
                .addRaw(`## Audit report: not made\n\n**${(0,markdown/* escapeMarkdown */.F)(message)}**\n\nNo summary, anomaly check or verification ran, so nothing checked the vault's audit log in this run.\n`)
                .write()
                .catch(() => undefined);
        }
        if (config?.webhookUrl) {
            await sendNotice(config.webhookUrl, [failed], {
                vaultUrl: config.url,
                verified: false,
                runUrl: runUrl(env),
                window: undefined,
            }).catch(() => undefined);
        }
        core/* setFailed */.C1(message);
    }
}
function revocationText(r) {
    if (!r)
        return 'not revoked';
    if (r.state === 'failed')
        return `NOT revoked (${r.code}); it expires on its own`;
    return r.state === 'revoked' ? 'revoked at the end of the report' : 'already inactive at the end of the report';
}
function failingMessage(findings, failOn) {
    const top = findings[0];
    if (top.verification)
        return `The audit log fails verification: ${top.title}.`;
    const count = findings.filter((f) => failOn !== 'none' && f.severity !== 'info' && f.severity === top.severity).length;
    return `The audit report has ${count} ${top.severity} finding(s) (fail-on: ${failOn}); the first: ${top.title}.`;
}
/** Each finding as an annotation: critical → error, warning → warning, info → notice. The toolkit escapes their text. */
function annotate(findings) {
    for (const f of findings) {
        const message = main_clip(`${sentence(f.title)} ${sentence(f.detail)} What to do: ${f.action}`, 1500);
        const props = { title: main_clip(`Audit ${f.severity}: ${f.check}`, 100) };
        if (f.severity === 'critical')
            core/* error */.z3(message, props);
        else if (f.severity === 'warning')
            core/* warning */.$e(message, props);
        else
            core/* notice */.lm(message, props);
    }
}
const main_clip = (s, max) => (s.length > max ? `${s.slice(0, max)}…` : s);
const sentence = (s) => (/[.!?)]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);
/** A few lines for the job log; what the vault sent is printed on one line each, so it never starts a workflow command. */
function logReport(g, findings, verified) {
    if (g.window)
        core/* info */.pq((0,core_text/* oneLine */.TN)(`Audit report from ${g.window.since} to ${g.window.until}.`));
    if (g.summary) {
        core/* info */.pq(`${g.summary.requests} request(s): ${g.summary.granted} granted, ${g.summary.denied} refused, ${g.summary.errors} failed.`);
    }
    if (g.chain) {
        core/* info */.pq(`Chain check: ${g.chain.count} record(s) read${g.chain.from !== null ? ` (${g.chain.from} to ${g.chain.to})` : ''}, ${g.chain.problems.length} problem(s)${g.chain.complete ? '' : ', partial'}.`);
    }
    if (g.vaultVerification)
        core/* info */.pq(`The vault's verification: ${g.vaultVerification.ok ? 'intact' : `${g.vaultVerification.problems.length} problem(s)`}.`);
    core/* info */.pq(`${findings.length} finding(s); verified: ${verified}.`);
}


/***/ }),

/***/ 4377:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   w$: () => (/* binding */ datetime)
/* harmony export */ });
/* unused harmony exports date, time, duration */
/* harmony import */ var _core_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3759);
/* harmony import */ var _schemas_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3339);



function datetime(params) {
    return _core_index_js__WEBPACK_IMPORTED_MODULE_0__/* ._isoDateTime */ .G1(_schemas_js__WEBPACK_IMPORTED_MODULE_1__/* .ZodISODateTime */ .You, params);
}
function date(params) {
    return core._isoDate(ZodISODate, params);
}
function time(params) {
    return core._isoTime(ZodISOTime, params);
}
function duration(params) {
    return core._isoDuration(ZodISODuration, params);
}


/***/ })

};
