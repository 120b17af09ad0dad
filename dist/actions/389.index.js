export const id = 389;
export const ids = [389];
export const modules = {

/***/ 1161:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ StageError),
/* harmony export */   d: () => (/* binding */ stage)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7406);
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

/***/ 5777:
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
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7406);




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

/***/ 1389:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   failureMessage: () => (/* binding */ failureMessage),
/* harmony export */   runMain: () => (/* binding */ runMain)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2405);
/* harmony import */ var _client_client_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7515);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7406);
/* harmony import */ var _core_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(595);
/* harmony import */ var _core_text_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(1542);
/* harmony import */ var _common_stage_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1161);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8965);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6815);
/* harmony import */ var _export_file_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5777);
/* harmony import */ var _masking_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(962);
/* harmony import */ var _oidc_token_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(441);
/* harmony import */ var _secrets_spec_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(2823);












const STAGE_TITLE = {
    inputs: 'reading the inputs',
    'oidc-token': "requesting the job's OIDC token",
    exchange: 'exchanging the agent key and OIDC token for a pipeline token',
    read: 'reading the secrets',
    mask: 'masking the secrets',
    export: 'exporting the secrets',
};
/** The failure message: stage, the vault's (or our) message, and the fix for the common cases. */
function failureMessage(err) {
    const stageName = err instanceof _common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .StageError */ .Z ? err.stage : undefined;
    const original = err instanceof _common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .StageError */ .Z ? err.original : err;
    const head = stageName
        ? `Agent Secret Store failed while ${STAGE_TITLE[stageName]} (stage "${stageName}"):\n`
        : 'Agent Secret Store failed:\n';
    const message = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(original);
    let hint = '';
    if ((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isAppError */ .Y6)(original)) {
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
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(failureMessage(err));
    }
}
async function fetchSecrets(env) {
    // The agent key is a secret even when the workflow passed it as plain text: mask it before
    // anything can print it (an input error message, a debug log).
    const rawKey = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .INPUT */ .bO.agentKey);
    if (rawKey.trim())
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(rawKey.trim());
    const config = await (0,_common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .stage */ .d)('inputs', () => (0,_config_js__WEBPACK_IMPORTED_MODULE_5__/* .parseConfig */ .o)((name) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4(name)));
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .STATE */ .c4.url, config.url);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .STATE */ .c4.revoke, String(config.revoke));
    const started = Date.now();
    const deadline = started + config.timeoutMs;
    const remaining = () => Math.max(1, deadline - Date.now());
    const retry = { attempts: 4, baseMs: 250, maxMs: 3000, deadline };
    const onRetry = (what) => (attempt, delay, err) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_core_text_js__WEBPACK_IMPORTED_MODULE_10__/* .oneLine */ .TN)(`${what}: attempt ${attempt} failed (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err).split('\n')[0]}); retrying in ${delay} ms`));
    // Each exchange attempt uses a fresh OIDC token: a token whose jti the vault consumed before an
    // error reached us could not be replayed anyway.
    const exchanged = await (0,_core_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .withRetry */ .bD)(async () => {
        const jwt = await (0,_common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .stage */ .d)('oidc-token', () => (0,_oidc_token_js__WEBPACK_IMPORTED_MODULE_8__/* .requestOidcToken */ .I)(env, config.audience, { ...retry, onRetry: onRetry('OIDC token request') }));
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(jwt);
        return (0,_common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .stage */ .d)('exchange', async () => {
            const client = (0,_client_client_js__WEBPACK_IMPORTED_MODULE_1__/* .createClient */ .U)({
                url: config.url,
                urlSource: 'the `url` input',
                credential: config.agentKey,
                timeoutMs: remaining(),
                ...(config.caCert ? { caCert: config.caCert } : {}),
            });
            try {
                const res = await client.exchangeToken({ oidcToken: jwt, scopes: config.scopes, ttl: config.ttlSeconds });
                // The pipeline token is masked the moment it exists in this process.
                if (typeof res.token === 'string' && res.token)
                    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(res.token);
                return res;
            }
            finally {
                await client.close();
            }
        });
    }, { ...retry, onRetry: onRetry('Token exchange') }, (err) => err instanceof _common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .StageError */ .Z && err.stage === 'exchange' && (0,_core_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .isRetryableError */ .$d)(err.original));
    if (typeof exchanged.token !== 'string' || !exchanged.token) {
        throw new _common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .StageError */ .Z('exchange', new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('internal', 'The vault answered the exchange without a token.'));
    }
    // Masked above; only now may it go to the state file (the runner logs state names and values in
    // debug mode, masked only if already registered).
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .STATE */ .c4.token, exchanged.token);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .STATE */ .c4.tokenId, exchanged.id);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .STATE */ .c4.expiresAt, exchanged.expiresAt);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .STATE */ .c4.agent, exchanged.agent);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .STATE */ .c4.scopes, JSON.stringify(exchanged.scopes ?? []));
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .OUTPUT */ .aQ.tokenId, exchanged.id);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .OUTPUT */ .aQ.expiresAt, exchanged.expiresAt);
    // What the vault sent is printed on one line: it must never start a workflow command of its own.
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_core_text_js__WEBPACK_IMPORTED_MODULE_10__/* .oneLine */ .TN)(`Pipeline token ${exchanged.id} issued to agent ${exchanged.agent}, scopes ${(exchanged.scopes ?? []).join(', ')}, expires ${exchanged.expiresAt}.`));
    const secrets = await (0,_common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .stage */ .d)('read', async () => {
        const client = (0,_client_client_js__WEBPACK_IMPORTED_MODULE_1__/* .createClient */ .U)({
            url: config.url,
            urlSource: 'the `url` input',
            credential: exchanged.token,
            timeoutMs: remaining(),
            retry: { attempts: 4, baseMs: 250, maxMs: 3000 },
            ...(config.caCert ? { caCert: config.caCert } : {}),
        });
        try {
            return (await client.batchRead((0,_secrets_spec_js__WEBPACK_IMPORTED_MODULE_9__/* .batchRequestFor */ .JL)(config.secrets))).secrets;
        }
        finally {
            await client.close();
        }
    });
    await (0,_common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .stage */ .d)('mask', () => maskAll(secrets, config));
    await (0,_common_stage_js__WEBPACK_IMPORTED_MODULE_4__/* .stage */ .d)('export', () => exportAll(secrets, config, env));
}
/** Registers every mask of every value before any value is exported, logged or written. */
function maskAll(secrets, config) {
    for (const s of secrets) {
        if (typeof s.value !== 'string')
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('internal', `The vault returned a non-text value for ${s.path}.`);
        const plan = (0,_masking_js__WEBPACK_IMPORTED_MODULE_11__/* .planMasks */ .R)(s.value, config.maskMinLength);
        for (const m of plan.masks)
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(m);
        if (plan.wholeTooShort && s.value.trim() !== '') {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`The value of ${s.path} is shorter than ${config.maskMinLength} characters and was NOT masked: a mask that short would hide every occurrence of those characters in the log. Store a longer value, or lower mask-min-length if you accept that.`);
        }
        else if (plan.tooShort > 0) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${plan.tooShort} part(s) of ${s.path} (lines or JSON fields) are shorter than ${config.maskMinLength} characters and were not masked on their own (mask-min-length).`);
        }
    }
}
async function exportAll(secrets, config, env) {
    const exports = (0,_secrets_spec_js__WEBPACK_IMPORTED_MODULE_9__/* .resolveExports */ .uX)(config.secrets, secrets);
    const byPath = new Map(secrets.map((s) => [s.path, s]));
    for (const e of exports) {
        const value = byPath.get(e.path).value;
        if (config.exportEnv)
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .exportVariable */ .dN(e.name, value);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(e.name, value);
    }
    if (config.exportFile) {
        const file = await (0,_export_file_js__WEBPACK_IMPORTED_MODULE_7__/* .writeExportFile */ .cR)(env.RUNNER_TEMP, exports.map((e) => ({ name: e.name, value: byPath.get(e.path).value })), config.exportFileFormat);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .STATE */ .c4.exportFile, file);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .OUTPUT */ .aQ.exportFile, file);
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
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_6__/* .STATE */ .c4.report, JSON.stringify(report));
    for (const r of report)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_core_text_js__WEBPACK_IMPORTED_MODULE_10__/* .oneLine */ .TN)(`Read ${r.path} (version ${r.version}, ${r.tier}) → ${r.names.join(', ') || '(not exported)'}`));
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${exports.length} secret(s) ${config.exportEnv ? 'exported to the environment and ' : ''}set as step outputs${config.exportFile ? ', and written to the export file' : ''}.`);
}


/***/ }),

/***/ 441:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ requestOidcToken)
/* harmony export */ });
/* unused harmony export MISSING_OIDC_HELP */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2480);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7406);
/* harmony import */ var _core_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(595);



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


/***/ })

};
