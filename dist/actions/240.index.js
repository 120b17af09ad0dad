export const id = 240;
export const ids = [240];
export const modules = {

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

/***/ 3955:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ StageError),
/* harmony export */   d: () => (/* binding */ stage)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/** The steps of an action's run, so a failure can say where it happened and how to fix it. */

/** An error tagged with the stage it happened in. */
class StageError extends Error {
    stage;
    original;
    constructor(stage, original) {
        super((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(original));
        this.stage = stage;
        this.original = original;
    }
}
/** Runs one stage; an error from it is tagged with the stage (once: an inner tag wins). */
async function stage(name, fn) {
    try {
        return await fn();
    }
    catch (err) {
        throw err instanceof StageError ? err : new StageError(name, err);
    }
}


/***/ }),

/***/ 7192:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cR: () => (/* binding */ writeExportFile),
/* harmony export */   kW: () => (/* binding */ deleteExportFile)
/* harmony export */ });
/* unused harmony exports formatDotenvLine, formatExportFile */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4296);




/**
 * One dotenv line. A value on one line without `'` or `\` is written single-quoted, verbatim
 * (`NAME='value'`): docker compose, the npm `dotenv` package and a POSIX shell read it back
 * unchanged; python-dotenv too, except that it interpolates `${VAR}` in every value unless
 * loaded with `interpolate=False`. Any other value is double-quoted with `\`, `"`, newline and
 * carriage return escaped (`\\`, `\"`, `\n`, `\r`), and nothing else: docker compose reads that back
 * unchanged unless the value holds `$` (interpolated); python-dotenv unless it holds `${VAR}`
 * (interpolated) or ends with `\` (it cannot parse that line); the npm `dotenv` package turns `\n`
 * and `\r` back but keeps `\\` and `\"` as written, so it is exact only for values without `\`
 * and `"`. `json` is exact for any value.
 */
function formatDotenvLine(name, value) {
    if (!/['\\\r\n]/.test(value))
        return `${name}='${value}'\n`;
    const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    return `${name}="${escaped}"\n`;
}
/** The export file: dotenv lines (see formatDotenvLine), or one JSON object, exact for any value. */
function formatExportFile(entries, format) {
    if (format === 'json')
        return `${JSON.stringify(Object.fromEntries(entries.map((e) => [e.name, e.value])), null, 2)}\n`;
    return entries.map((e) => formatDotenvLine(e.name, e.value)).join('');
}
/**
 * Writes the file under RUNNER_TEMP (never the workspace, where it could be committed, cached or
 * uploaded), created exclusively with mode 0600 so an existing file or symlink is never followed.
 */
async function writeExportFile(runnerTemp, entries, format) {
    if (!runnerTemp)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AppError */ .uV('invalid_input', 'RUNNER_TEMP is not set, so export-file has nowhere safe to write; run on a GitHub Actions runner or set export-file: false.');
    const file = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(runnerTemp, `ass-secrets-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(8).toString('hex')}.${format === 'json' ? 'json' : 'env'}`);
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(file, 'wx', 0o600);
    try {
        await handle.writeFile(formatExportFile(entries, format), 'utf8');
        await handle.chmod(0o600);
    }
    finally {
        await handle.close();
    }
    return file;
}
/** Deletes an export file, but only one this action could have written (inside RUNNER_TEMP, our name). */
async function deleteExportFile(file, runnerTemp) {
    const resolved = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(file);
    if (!runnerTemp ||
        node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(resolved) !== node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(runnerTemp) ||
        !/^ass-secrets-[0-9a-f]{16}\.(env|json)$/.test(node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(resolved))) {
        return false;
    }
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(resolved, { force: true });
    return true;
}


/***/ }),

/***/ 154:
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
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/retry.ts
var core_retry = __webpack_require__(7253);
;// CONCATENATED MODULE: ./src/client/approvals.ts
/**
 * What the CLI and the fetch action share about approvals: telling a request held for approval
 * (HTTP 202, `approval_required`) from a failure, and waiting for the approvers' decision with
 * backoff until a deadline.
 */



/**
 * The pending request a held answer carries (its `details`), or undefined for any other error.
 * Its `status` is `pending`, or `approved` when the same request was already approved (the vault
 * answers with that one, to be collected).
 */
function approvalOf(err) {
    if (!(0,errors/* isAppError */.Y6)(err) || err.code !== 'approval_required' || !err.details)
        return undefined;
    // The request as the API declares it, or nothing: a vault's (or a proxy's) answer of another shape
    // is a failure to report, never text to print or put in a job summary as it came.
    const parsed = (0,schemas/* Approval */.CP)().safeParse(err.details);
    if (!parsed.success || typeof err.details.approvalId !== 'string' || err.details.approvalId !== parsed.data.id)
        return undefined;
    // Held answers carry a pending request, or one already approved for the same ask (collect it).
    if (parsed.data.status !== 'pending' && parsed.data.status !== 'approved')
        return undefined;
    return { ...parsed.data, approvalId: parsed.data.id };
}
/** One line for a person: what is held, who may approve, and the command that approves it. */
function describeHeld(a) {
    if (a.approvers.length === 0) {
        return `Approval ${a.id} is needed for ${a.paths.join(', ')} before ${a.expiresAt}, but no one other than the requester may approve it under its rule${a.rule ? ` (${a.rule})` : ''} yet: an admin makes an approver with ass users create NAME --role viewer --approver (or ass users update NAME --approver${a.rule?.startsWith('prefix') ? '; the prefix rule may also need ass approvals policy set --prefix ... --approvers NAME' : ''}), who then runs "${a.approveCommand}".`;
    }
    const who = `${a.requiredApprovals > 1 ? `${a.requiredApprovals} of ` : ''}${a.approvers.join(', ')}`;
    return `Approval ${a.id} is needed for ${a.paths.join(', ')}: ask ${who} to run "${a.approveCommand}" before ${a.expiresAt}.`;
}
/**
 * Polls the request until it leaves `pending` or the deadline passes, and returns it as it stands.
 * Transient failures (the vault restarting) are retried until the deadline; a refusal is thrown.
 */
async function waitForDecision(client, id, options) {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? core_retry/* realSleep */.uk;
    const deadline = now() + options.timeoutMs;
    let delay = options.initialDelayMs ?? 2_000;
    const maxDelay = options.maxDelayMs ?? 30_000;
    let last;
    for (;;) {
        try {
            last = await client.getApproval(id);
            options.onPoll?.(last);
            if (last.status !== 'pending')
                return last;
        }
        catch (err) {
            if (!(0,errors/* isAppError */.Y6)(err) || err.code !== 'unavailable')
                throw err;
        }
        const left = deadline - now();
        if (left <= 0)
            break;
        await sleep(Math.min(delay, left));
        delay = Math.min(maxDelay, Math.round(delay * 1.5));
    }
    if (last)
        return last;
    throw new errors/* AppError */.uV('unavailable', `The vault did not answer about approval ${id} before the wait ended.`);
}
/** The error for a wait that ended without an approval, naming what to do next. */
function notApproved(a, waitedFor) {
    switch (a.status) {
        case 'denied': {
            const why = a.decisions.find((d) => d.decision === 'deny');
            return new errors/* AppError */.uV('approval_denied', `Approval ${a.id} was denied by ${why?.user ?? 'an approver'}${why?.reason ? `: ${why.reason}` : ''}.`);
        }
        case 'expired':
            return new errors/* AppError */.uV('approval_expired', `Approval ${a.id} expired at ${a.expiresAt} without the approvals it needed; ask again.`);
        case 'collected':
            return new errors/* AppError */.uV('conflict', `Approval ${a.id} was already collected; what it released is released once.`);
        default:
            return new errors/* AppError */.uV('approval_required', `${describeHeld(a)} Still pending after waiting ${waitedFor}.`, {
                details: { approvalId: a.id, ...a },
            });
    }
}

// EXTERNAL MODULE: ./src/client/client.ts + 2 modules
var client_client = __webpack_require__(2131);
// EXTERNAL MODULE: ./src/core/text.ts
var core_text = __webpack_require__(2020);
// EXTERNAL MODULE: ./src/actions/common/stage.ts
var stage = __webpack_require__(3955);
// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
// EXTERNAL MODULE: ./src/actions/fetch/constants.ts
var constants = __webpack_require__(3925);
// EXTERNAL MODULE: ./src/actions/fetch/summary.ts
var summary = __webpack_require__(6956);
;// CONCATENATED MODULE: ./src/actions/fetch/approval.ts
/**
 * The fetch action's side of human approvals (src/server/approvals.ts). When the vault holds the
 * exchange or the batch read for an approver (202 `approval_required`), the step says who must
 * approve and how (log lines, a notice, its job summary), then either fails at once
 * (`approval-timeout: 0`) or polls the request until it is decided or the wait ends. What an
 * approved request released is collected by the caller (main.ts), once.
 */







/** The record the post step's summary shows: who approved when, never a value. */
function recordOf(a) {
    const deny = a.decisions.find((d) => d.decision === 'deny');
    return {
        id: a.id,
        kind: a.kind,
        status: a.status,
        paths: a.paths,
        requiredApprovals: a.requiredApprovals,
        approvedBy: a.decisions.filter((d) => d.decision === 'approve').map((d) => ({ user: d.user, at: d.at })),
        ...(deny ? { deniedBy: { user: deny.user, reason: deny.reason } } : {}),
        decidedAt: a.decidedAt,
    };
}
/**
 * The requests this step met, kept in the step state (for the post step's summary) and in the
 * `approval-id` output as they change, so a step that fails or is cancelled still leaves them.
 */
class ApprovalLog {
    records = [];
    note(a) {
        const record = recordOf(a);
        const i = this.records.findIndex((r) => r.id === a.id);
        if (i === -1)
            this.records.push(record);
        else if (JSON.stringify(this.records[i]) === JSON.stringify(record))
            return;
        else
            this.records[i] = record;
        core/* saveState */.LZ(constants/* STATE */.c4.approvals, JSON.stringify(this.records));
        core/* setOutput */.uH(constants/* OUTPUT */.aQ.approvalId, this.records.map((r) => r.id).join(' '));
    }
}
/** How the step will treat a held request, for the log and the summary. */
function waitNote(waitMs) {
    return waitMs > 0
        ? `This step waits up to ${(0,duration/* formatDuration */.a)(Math.ceil(waitMs / 1000))} for the decision (${constants/* INPUT */.bO.approvalTimeout}), then continues if it was approved.`
        : `This step does not wait (${constants/* INPUT */.bO.approvalTimeout} is 0): it fails now and exports nothing.`;
}
/** Tells the log (one line each: vault text never starts a workflow command), a notice and the job summary about a held request. */
async function announceHeld(held, waitMs, summaryFile) {
    const what = held.kind === 'read' ? 'the read of the secrets' : 'the pipeline token';
    const lines = [
        `The vault holds ${what} for a human approval: request ${held.id} (${held.rule}).`,
        `  secrets:   ${held.paths.join(', ')}`,
        `  approvers: ${held.approvers.length ? `${held.requiredApprovals} of ${held.approvers.join(', ')}` : 'none yet (no other admin or approver exists)'}`,
        `  approve:   ${held.approveCommand}`,
        `  deny:      ass approvals deny ${held.id} --reason "..."`,
        `  expires:   ${held.expiresAt}`,
        waitNote(waitMs),
    ];
    for (const line of lines)
        core/* info */.pq((0,core_text/* oneLine */.TN)(line));
    core/* notice */.lm((0,core_text/* oneLine */.TN)(describeHeld(held)), { title: 'Agent Secret Store: approval needed' });
    if (summaryFile) {
        try {
            await core/* summary */.z.addRaw((0,summary/* renderHeldSummary */.iL)(held, waitNote(waitMs))).write();
        }
        catch (err) {
            core/* warning */.$e(`Could not write the job summary: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    }
}
/** The failure of `approval-timeout: 0`: the request, who approves it, and how to wait instead. */
function noWaitError(held) {
    return new errors/* AppError */.uV('approval_required', [
        describeHeld(held),
        `This step does not wait for approvals (${constants/* INPUT */.bO.approvalTimeout} is 0), so it stopped here and exported nothing.`,
        `To have an approver release the secrets during the run, set the input ${constants/* INPUT */.bO.approvalTimeout} (such as \`${constants/* INPUT */.bO.approvalTimeout}: 15m\`, with the job's timeout-minutes above it) and run the job again: the step then prints its request and waits for the decision. Or have it approved and then re-run this job: a re-run attempt of the same run (same commit) collects what the request was approved for.`,
    ].join('\n'));
}
/**
 * Polls the request (backoff from 2 s to 30 s) until it is decided or the wait ends, printing a
 * progress line per answer. Returns the approved request; anything else throws the reason and
 * what to do next.
 */
async function awaitApproval(client, held, o) {
    const now = o.now ?? Date.now;
    const started = now();
    core/* info */.pq((0,core_text/* oneLine */.TN)(`Waiting up to ${(0,duration/* formatDuration */.a)(Math.ceil(o.timeoutMs / 1000))} for approval ${held.id}${o.limit ? ` (${o.limit})` : ''}; the vault is asked again after 2s, then less and less often, at most every 30s.`));
    const approval = await waitForDecision(client, held.id, {
        timeoutMs: o.timeoutMs,
        ...(o.initialDelayMs === undefined ? {} : { initialDelayMs: o.initialDelayMs }),
        ...(o.sleep ? { sleep: o.sleep } : {}),
        now,
        onPoll: (a) => {
            o.onPoll?.(a);
            if (a.status !== 'pending')
                return;
            const approvedBy = [...new Set(a.decisions.filter((d) => d.decision === 'approve').map((d) => d.user))];
            const left = Math.max(0, Math.ceil((started + o.timeoutMs - now()) / 1000));
            core/* info */.pq((0,core_text/* oneLine */.TN)(`Approval ${a.id} is pending: ${approvedBy.length} of ${a.requiredApprovals} approval(s)${approvedBy.length ? ` (${approvedBy.join(', ')})` : ''}; waiting ${(0,duration/* formatDuration */.a)(left) || '0s'} more.`));
        },
    });
    const waited = (0,duration/* formatDuration */.a)(Math.max(1, Math.round((now() - started) / 1000)));
    if (approval.status === 'approved') {
        const by = approval.decisions.filter((d) => d.decision === 'approve').map((d) => d.user);
        core/* info */.pq((0,core_text/* oneLine */.TN)(`Approval ${approval.id} was approved by ${by.join(', ')} at ${approval.decidedAt ?? '?'}, after ${waited}.`));
        return approval;
    }
    const reason = notApproved(approval, waited);
    switch (approval.status) {
        case 'denied':
            throw new errors/* AppError */.uV('approval_denied', `${reason.message}\nA denial is final and nothing was exported; settle it with the approver, then run the job again (a new request).`);
        case 'expired':
            throw new errors/* AppError */.uV('approval_expired', `${reason.message}\nNothing was exported; run the job again to ask anew, while an approver is at hand.`);
        case 'pending':
            throw new errors/* AppError */.uV('approval_required', `${reason.message}\nThe step stopped waiting (${constants/* INPUT */.bO.approvalTimeout}${o.limit ? `; ${o.limit}` : ''}) and exported nothing. To wait longer, raise ${constants/* INPUT */.bO.approvalTimeout} (and the job's timeout-minutes); or have it approved and re-run the job: a re-run attempt of the same run collects it.`);
        default:
            throw reason;
    }
}

// EXTERNAL MODULE: ./src/actions/fetch/config.ts
var fetch_config = __webpack_require__(6816);
// EXTERNAL MODULE: ./src/actions/fetch/export-file.ts
var export_file = __webpack_require__(7192);
// EXTERNAL MODULE: ./src/actions/fetch/masking.ts
var masking = __webpack_require__(8256);
// EXTERNAL MODULE: ./src/actions/fetch/oidc-token.ts
var oidc_token = __webpack_require__(3023);
// EXTERNAL MODULE: ./src/actions/fetch/secrets-spec.ts
var secrets_spec = __webpack_require__(8553);
;// CONCATENATED MODULE: ./src/actions/fetch/main.ts














const STAGE_TITLE = {
    inputs: 'reading the inputs',
    'oidc-token': "requesting the job's OIDC token",
    exchange: 'exchanging the agent key and OIDC token for a pipeline token',
    approval: 'waiting for a human approval',
    read: 'reading the secrets',
    mask: 'masking the secrets',
    export: 'exporting the secrets',
};
/** The failure message: stage, the vault's (or our) message, and the fix for the common cases. */
function failureMessage(err) {
    const stageName = err instanceof stage/* StageError */.Z ? err.stage : undefined;
    const original = err instanceof stage/* StageError */.Z ? err.original : err;
    const head = stageName
        ? `Agent Secret Store failed while ${STAGE_TITLE[stageName]} (stage "${stageName}"):\n`
        : 'Agent Secret Store failed:\n';
    const message = (0,errors/* errorMessage */.gJ)(original);
    let hint = '';
    if ((0,errors/* isAppError */.Y6)(original)) {
        if (stageName === 'exchange') {
            if (original.code === 'oidc_rejected')
                hint =
                    "The vault refused the job's OIDC token. Compare the agent's trust policy (issuer and claims, `ass agents list`) with this job: repository_id, environment, ref... and make sure the action's audience equals the vault's public URL.";
            else if (original.code === 'unauthenticated' || original.code === 'token_revoked' || original.code === 'token_expired')
                hint =
                    'The vault did not accept the agent-key: it may be revoked, mistyped, or for another vault. Create a new one with `ass agents create` and store it as a secret.';
            else if (original.code === 'scope_missing' || original.code === 'denied')
                hint =
                    "The agent may not read everything the `secrets` input lists; widen the agent's scopes or trim the list (the `scopes` input sets what is requested).";
        }
        else if (stageName === 'read') {
            if (original.code === 'scope_missing' || original.code === 'denied')
                hint =
                    "The pipeline token's scopes do not cover a requested path; the message above names the missing scope. Grant it to the agent (its scopes bound what a pipeline token can get), or remove the path from `secrets`.";
            else if (original.code === 'not_found')
                hint = 'Check the path in the `secrets` input (paths are case-sensitive), or create the secret.';
        }
        if (original.code === 'unavailable')
            hint = 'Check the `url` input and that the vault is up and reachable from the runner; the `timeout` input bounds the whole step.';
    }
    return `${head}${message}${hint ? `\n${hint}` : ''}`;
}
/** The main step. Never throws: failures end in core.setFailed with the stage and the fix. */
async function runMain(env = process.env) {
    try {
        await fetchSecrets(env);
    }
    catch (err) {
        core/* setFailed */.C1(failureMessage(err));
    }
}
async function fetchSecrets(env) {
    // The agent key is a secret even when the workflow passed it as plain text: mask it before
    // anything can print it (an input error message, a debug log).
    const rawKey = core/* getInput */.V4(constants/* INPUT */.bO.agentKey);
    if (rawKey.trim())
        core/* setSecret */.Pq(rawKey.trim());
    const config = await (0,stage/* stage */.d)('inputs', () => (0,fetch_config/* parseConfig */.o4)((name) => core/* getInput */.V4(name)));
    core/* saveState */.LZ(constants/* STATE */.c4.url, config.url);
    core/* saveState */.LZ(constants/* STATE */.c4.revoke, String(config.revoke));
    // `timeout` bounds the work, not a wait for a person: it starts again after an approval.
    let deadline = Date.now() + config.timeoutMs;
    const remaining = () => Math.max(1, deadline - Date.now());
    const retry = () => ({ attempts: 4, baseMs: 250, maxMs: 3000, deadline });
    const onRetry = (what) => (attempt, delay, err) => core/* info */.pq((0,core_text/* oneLine */.TN)(`${what}: attempt ${attempt} failed (${(0,errors/* errorMessage */.gJ)(err).split('\n')[0]}); retrying in ${delay} ms`));
    const approvals = new ApprovalLog();
    const client = (credential, retries, timeoutMs = remaining()) => (0,client_client/* createClient */.U)({
        url: config.url,
        urlSource: 'the `url` input',
        credential,
        timeoutMs,
        ...(retries ? { retry: { attempts: 4, baseMs: 250, maxMs: 3000 } } : {}),
        ...(config.caCert ? { caCert: config.caCert } : {}),
    });
    const oidcToken = async () => {
        const jwt = await (0,stage/* stage */.d)('oidc-token', () => (0,oidc_token/* requestOidcToken */.I)(env, config.audience, { ...retry(), onRetry: onRetry('OIDC token request') }));
        core/* setSecret */.Pq(jwt);
        return jwt;
    };
    /**
     * Announces a held request and waits for its decision within `approval-timeout` (never past
     * `pollUntil`, when the poller's credential expires); returns once it is approved, else throws.
     */
    let approvalEnds;
    const approved = async (held, poller, pollUntil) => {
        approvals.note(held);
        if (held.status === 'approved') {
            // Approved already (a re-run of a run whose earlier attempt asked): collect it now.
            core/* info */.pq(`Approval ${held.id} was already approved; collecting it.`);
            return;
        }
        // One budget for every wait of the step (an exchange held, then a read held): approval-timeout in all.
        approvalEnds ??= Date.now() + config.approvalTimeoutMs;
        const budget = Math.max(0, approvalEnds - Date.now());
        await announceHeld(held, budget, env.GITHUB_STEP_SUMMARY);
        if (config.approvalTimeoutMs === 0)
            throw noWaitError(held);
        let timeoutMs = budget;
        let limit;
        if (pollUntil && pollUntil.at - Date.now() < timeoutMs) {
            timeoutMs = Math.max(0, pollUntil.at - Date.now());
            limit = pollUntil.what;
        }
        // Each poll gets its own short limit; one that fails to arrive is asked again (waitForDecision).
        const c = client(poller, false, 15_000);
        try {
            const decided = await awaitApproval(c, held, { timeoutMs, limit, onPoll: (a) => approvals.note(a) });
            approvals.note(decided);
        }
        finally {
            await c.close();
        }
        deadline = Date.now() + config.timeoutMs;
    };
    // Each exchange attempt uses a fresh OIDC token: a token whose jti the vault consumed before an
    // error reached us could not be replayed anyway.
    let exchanged;
    try {
        exchanged = await (0,core_retry/* withRetry */.bD)(async () => {
            const jwt = await oidcToken();
            return (0,stage/* stage */.d)('exchange', async () => {
                const c = client(config.agentKey, false);
                try {
                    const res = await c.exchangeToken({ oidcToken: jwt, scopes: config.scopes, ttl: config.ttlSeconds });
                    // The pipeline token is masked the moment it exists in this process.
                    if (typeof res.token === 'string' && res.token)
                        core/* setSecret */.Pq(res.token);
                    return res;
                }
                finally {
                    await c.close();
                }
            });
        }, { ...retry(), onRetry: onRetry('Token exchange') }, (err) => err instanceof stage/* StageError */.Z && err.stage === 'exchange' && (0,core_retry/* isRetryableError */.$d)(err.original));
    }
    catch (err) {
        const held = approvalOf(err instanceof stage/* StageError */.Z ? err.original : err);
        if (!held)
            throw err;
        exchanged = await (0,stage/* stage */.d)('approval', async () => {
            await approved(held, config.agentKey);
            // The vault gives the token to the agent key with an OIDC token of the same run, once.
            const jwt = await oidcToken();
            const c = client(config.agentKey, false);
            try {
                const collected = await c.collectApproval(held.id, jwt);
                const token = collected.token;
                if (typeof token?.token === 'string' && token.token)
                    core/* setSecret */.Pq(token.token);
                approvals.note(collected.approval);
                if (!token)
                    throw new errors/* AppError */.uV('internal', `The vault released approval ${held.id} without a token.`);
                return token;
            }
            finally {
                await c.close();
            }
        });
    }
    if (typeof exchanged.token !== 'string' || !exchanged.token) {
        throw new stage/* StageError */.Z('exchange', new errors/* AppError */.uV('internal', 'The vault answered the exchange without a token.'));
    }
    // Masked above; only now may it go to the state file (the runner logs state names and values in
    // debug mode, masked only if already registered).
    const pipelineToken = exchanged.token;
    core/* saveState */.LZ(constants/* STATE */.c4.token, pipelineToken);
    core/* saveState */.LZ(constants/* STATE */.c4.tokenId, exchanged.id);
    core/* saveState */.LZ(constants/* STATE */.c4.expiresAt, exchanged.expiresAt);
    core/* saveState */.LZ(constants/* STATE */.c4.agent, exchanged.agent);
    core/* saveState */.LZ(constants/* STATE */.c4.scopes, JSON.stringify(exchanged.scopes ?? []));
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.tokenId, exchanged.id);
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.expiresAt, exchanged.expiresAt);
    // What the vault sent is printed on one line: it must never start a workflow command of its own.
    core/* info */.pq((0,core_text/* oneLine */.TN)(`Pipeline token ${exchanged.id} issued to agent ${exchanged.agent}, scopes ${(exchanged.scopes ?? []).join(', ')}, expires ${exchanged.expiresAt}.`));
    let secrets;
    try {
        secrets = await (0,stage/* stage */.d)('read', async () => {
            const c = client(pipelineToken, true);
            try {
                return (await c.batchRead((0,secrets_spec/* batchRequestFor */.JL)(config.secrets))).secrets;
            }
            finally {
                await c.close();
            }
        });
    }
    catch (err) {
        // A read can be held too (a secret relabelled critical since the exchange): only the pipeline
        // token that asked may collect it, so it is also what polls, while it lives.
        const held = approvalOf(err instanceof stage/* StageError */.Z ? err.original : err);
        if (!held)
            throw err;
        secrets = await (0,stage/* stage */.d)('approval', async () => {
            await approved(held, pipelineToken, {
                at: Date.parse(exchanged.expiresAt),
                what: `the pipeline token expires at ${exchanged.expiresAt}; a longer ttl allows a longer wait`,
            });
            const c = client(pipelineToken, false);
            try {
                const collected = await c.collectApproval(held.id);
                approvals.note(collected.approval);
                if (!collected.secrets)
                    throw new errors/* AppError */.uV('internal', `The vault released approval ${held.id} without the values.`);
                return collected.secrets;
            }
            finally {
                await c.close();
            }
        });
    }
    await (0,stage/* stage */.d)('mask', () => maskAll(secrets, config));
    await (0,stage/* stage */.d)('export', () => exportAll(secrets, config, env));
}
/** Registers every mask of every value before any value is exported, logged or written. */
function maskAll(secrets, config) {
    for (const s of secrets) {
        if (typeof s.value !== 'string')
            throw new errors/* AppError */.uV('internal', `The vault returned a non-text value for ${s.path}.`);
        const plan = (0,masking/* planMasks */.R)(s.value, config.maskMinLength);
        for (const m of plan.masks)
            core/* setSecret */.Pq(m);
        if (plan.wholeTooShort && s.value.trim() !== '') {
            core/* warning */.$e(`The value of ${s.path} is shorter than ${config.maskMinLength} characters and was NOT masked: a mask that short would hide every occurrence of those characters in the log. Store a longer value, or lower mask-min-length if you accept that.`);
        }
        else if (plan.tooShort > 0) {
            core/* warning */.$e(`${plan.tooShort} part(s) of ${s.path} (lines or JSON fields) are shorter than ${config.maskMinLength} characters and were not masked on their own (mask-min-length).`);
        }
    }
}
async function exportAll(secrets, config, env) {
    const exports = (0,secrets_spec/* resolveExports */.uX)(config.secrets, secrets);
    const byPath = new Map(secrets.map((s) => [s.path, s]));
    for (const e of exports) {
        const value = byPath.get(e.path).value;
        if (config.exportEnv)
            core/* exportVariable */.dN(e.name, value);
        core/* setOutput */.uH(e.name, value);
    }
    if (config.exportFile) {
        const file = await (0,export_file/* writeExportFile */.cR)(env.RUNNER_TEMP, exports.map((e) => ({ name: e.name, value: byPath.get(e.path).value })), config.exportFileFormat);
        core/* saveState */.LZ(constants/* STATE */.c4.exportFile, file);
        core/* setOutput */.uH(constants/* OUTPUT */.aQ.exportFile, file);
    }
    const report = secrets
        .map((s) => ({
        path: s.path,
        version: s.version,
        tier: s.tier,
        type: s.type,
        names: exports.filter((e) => e.path === s.path).map((e) => e.name),
    }))
        .sort((a, b) => a.path.localeCompare(b.path));
    core/* saveState */.LZ(constants/* STATE */.c4.report, JSON.stringify(report));
    for (const r of report)
        core/* info */.pq((0,core_text/* oneLine */.TN)(`Read ${r.path} (version ${r.version}, ${r.tier}) → ${r.names.join(', ') || '(not exported)'}`));
    core/* info */.pq(`${exports.length} secret(s) ${config.exportEnv ? 'exported to the environment and ' : ''}set as step outputs${config.exportFile ? ', and written to the export file' : ''}.`);
}


/***/ }),

/***/ 3023:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ requestOidcToken)
/* harmony export */ });
/* unused harmony export MISSING_OIDC_HELP */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6752);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4296);
/* harmony import */ var _core_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7253);



const MISSING_OIDC_HELP = [
    'This job cannot request an OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.',
    'Give the job (or the whole workflow) permission to request one:',
    '',
    'permissions:',
    '  id-token: write',
    '  contents: read',
    '',
    '(Setting `permissions` removes the defaults, hence `contents: read` for actions/checkout.)',
    'Pull requests from forks and Dependabot runs do not get OIDC tokens (nor secrets): run this step only for trusted events,',
    "for example with `if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository`.",
].join('\n');
class RetryableOidcError extends Error {
    retryable = true;
}
/**
 * Requests the job's OIDC token for `audience` from the runner, as core.getIDToken does but with
 * our own retry policy (the toolkit retries only 502/503/504 and loses the status in its error)
 * and an explicit deadline. The request URL already has a query string; the audience is added with
 * a URL parser, not by string concatenation. A redirect is not followed: the request carries the
 * runner's bearer token.
 *
 * It goes through the undici the vault client uses rather than the global fetch: the main step
 * loads that one anyway, while the first global fetch starts up Node's own copy of undici.
 */
async function requestOidcToken(env, audience, retry) {
    const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!requestUrl || !requestToken)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('invalid_input', MISSING_OIDC_HELP);
    let url;
    try {
        url = new URL(requestUrl);
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('invalid_input', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL; this step must run on a GitHub Actions runner.');
    }
    url.searchParams.set('audience', audience);
    const now = retry.now ?? Date.now;
    const dispatcher = new undici__WEBPACK_IMPORTED_MODULE_0__.Agent();
    return (0,_core_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .withRetry */ .bD)(async () => {
        const remaining = retry.deadline - now();
        if (remaining <= 0)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('unavailable', 'No OIDC token from the runner before the timeout.');
        let res;
        try {
            res = await (0,undici__WEBPACK_IMPORTED_MODULE_0__.request)(url, {
                dispatcher,
                headers: {
                    authorization: `Bearer ${requestToken}`,
                    accept: 'application/json; api-version=2.0',
                    'user-agent': 'agent-secret-store-action',
                },
                signal: AbortSignal.timeout(Math.min(remaining, 10_000)),
            });
        }
        catch (err) {
            const e = err;
            throw new RetryableOidcError(`the runner's token service could not be reached (${e.code ?? e.cause?.code ?? err.name})`);
        }
        const text = await res.body.text().catch(() => '');
        const status = res.statusCode;
        if (status === 429 || status >= 500)
            throw new RetryableOidcError(`the runner's token service answered HTTP ${status}`);
        if (status < 200 || status >= 300) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('denied', `The runner refused the OIDC token request (HTTP ${status}). Check that the job has \`permissions: id-token: write\`.`);
        }
        let value;
        try {
            value = JSON.parse(text).value;
        }
        catch {
            value = undefined;
        }
        if (typeof value !== 'string' || value.split('.').length !== 3) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('internal', 'The runner\'s OIDC token response has no token in its "value" field.');
        }
        return value;
    }, retry)
        .catch((err) => {
        if (err instanceof RetryableOidcError)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('unavailable', `Could not get an OIDC token: ${err.message}.`);
        throw err;
    })
        .finally(() => dispatcher.close());
}


/***/ }),

/***/ 6956:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Br: () => (/* binding */ renderSummary),
/* harmony export */   iL: () => (/* binding */ renderHeldSummary)
/* harmony export */ });
/* unused harmony export renderApprovals */
/* harmony import */ var _common_markdown_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2092);

const HELD = {
    exchange: 'the pipeline token',
    read: 'the read',
    token: 'a token',
};
const OUTCOME = {
    collected: 'approved, released to this step',
    approved: 'approved, not collected by this step',
    pending: 'not decided while the step waited',
    denied: 'denied',
    expired: 'expired undecided',
};
/** The approvals table of the post step's summary: request, what it held, outcome, who approved when. */
function renderApprovals(approvals) {
    const rows = approvals.map((a) => {
        const outcome = a.deniedBy
            ? `denied by ${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(a.deniedBy.user)}${a.deniedBy.reason ? `: ${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(a.deniedBy.reason)}` : ''}`
            : (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(OUTCOME[a.status]);
        const approvers = a.approvedBy.length ? a.approvedBy.map((d) => `${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(d.user)} (${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(d.at)})`).join('<br>') : '-';
        const paths = a.paths.map(_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D).join('<br>');
        return `<tr><td>${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(a.id)}</td><td>${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(HELD[a.kind])}: ${paths}</td><td>${outcome}</td><td>${approvers}${a.requiredApprovals > 1 ? ` (${a.requiredApprovals} needed)` : ''}</td><td>${a.decidedAt ? (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(a.decidedAt) : '-'}</td></tr>`;
    });
    return [
        '<h4>Human approval</h4>',
        `<table>\n<tr><th>Request</th><th>Held</th><th>Outcome</th><th>Approved by</th><th>Decided at</th></tr>\n${rows.join('\n')}\n</table>`,
    ].join('\n');
}
/** The main step's summary while the vault holds its request: what to approve, by whom, with which command. */
function renderHeldSummary(held, note) {
    const facts = [
        ['Request', (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(held.id)],
        ['Held', (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(`${HELD[held.kind]} (${held.rule})`)],
        ['Secrets', held.paths.map(_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D).join('<br>')],
        [
            'Approvers',
            held.approvers.length
                ? `${held.requiredApprovals} of ${held.approvers.map(_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D).join(', ')}`
                : (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)('none yet: no other admin or approver exists (ass users create NAME --role viewer --approver)'),
        ],
        ['Approve with', (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(held.approveCommand)],
        ['Deny with', (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(`ass approvals deny ${held.id} --reason "..."`)],
        ['Expires at', (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(held.expiresAt)],
    ];
    return [
        '<h3>Agent Secret Store: approval needed</h3>',
        `<p>${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(note)}</p>`,
        `<table>\n${facts.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`).join('\n')}\n</table>`,
        '',
    ].join('\n');
}
function renderSummary(s) {
    const rows = s.secrets
        .map((r) => `<tr><td>${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(r.path)}</td><td>${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(String(r.version))}</td><td>${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(r.tier)}</td><td>${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(r.type)}</td><td>${r.names.map(_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D).join(' ')}</td></tr>`)
        .join('\n');
    const revoked = {
        revoked: 'yes',
        'already-inactive': 'yes (already expired or revoked)',
        skipped: 'no (revoke: false)',
        failed: 'no: revocation failed',
        'no-token': 'no token was issued',
    }[s.revocation.state];
    const facts = [
        ['Vault', s.vaultUrl ? (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(s.vaultUrl) : '-'],
        ['Agent', s.agent ? (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(s.agent) : '-'],
        ['Pipeline token id', s.tokenId ? (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(s.tokenId) : '-'],
        ['Scopes', s.scopes?.length ? s.scopes.map(_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D).join('<br>') : '-'],
        ['Expires at', s.expiresAt ? (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(s.expiresAt) : '-'],
        ['Revoked', (0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .F)(revoked + (s.revocation.detail ? ` (${s.revocation.detail})` : ''))],
    ];
    if (s.exportFile)
        facts.push(['Export file', `${(0,_common_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownCode */ .D)(s.exportFile.path)} ${s.exportFile.deleted ? 'deleted' : 'not deleted'}`]);
    return [
        '<h3>Agent Secret Store: secrets fetched</h3>',
        s.secrets.length
            ? `<table>\n<tr><th>Path</th><th>Version</th><th>Tier</th><th>Type</th><th>Exported as</th></tr>\n${rows}\n</table>`
            : '<p>No secrets were read.</p>',
        `<table>\n${facts.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`).join('\n')}\n</table>`,
        ...(s.approvals?.length ? [renderApprovals(s.approvals)] : []),
        '',
    ].join('\n');
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
