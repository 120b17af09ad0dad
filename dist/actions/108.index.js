export const id = 108;
export const ids = [108];
export const modules = {

/***/ 6108:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  StageError: () => (/* binding */ StageError),
  failureMessage: () => (/* binding */ failureMessage),
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./src/client/client.ts + 4 modules
var client_client = __webpack_require__(6056);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/retry.ts
var core_retry = __webpack_require__(7253);
// EXTERNAL MODULE: ./src/core/text.ts
var core_text = __webpack_require__(2020);
// EXTERNAL MODULE: ./src/actions/fetch/config.ts + 3 modules
var fetch_config = __webpack_require__(5811);
// EXTERNAL MODULE: ./src/actions/fetch/constants.ts
var constants = __webpack_require__(3925);
// EXTERNAL MODULE: ./src/actions/fetch/export-file.ts
var export_file = __webpack_require__(7192);
// EXTERNAL MODULE: ./src/actions/fetch/masking.ts
var masking = __webpack_require__(8256);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
;// CONCATENATED MODULE: ./src/actions/fetch/oidc-token.ts



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
        throw new errors/* AppError */.uV('invalid_input', MISSING_OIDC_HELP);
    let url;
    try {
        url = new URL(requestUrl);
    }
    catch {
        throw new errors/* AppError */.uV('invalid_input', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL; this step must run on a GitHub Actions runner.');
    }
    url.searchParams.set('audience', audience);
    const now = retry.now ?? Date.now;
    const dispatcher = new undici.Agent();
    return (0,core_retry/* withRetry */.bD)(async () => {
        const remaining = retry.deadline - now();
        if (remaining <= 0)
            throw new errors/* AppError */.uV('unavailable', 'No OIDC token from the runner before the timeout.');
        let res;
        try {
            res = await (0,undici.request)(url, {
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
            throw new errors/* AppError */.uV('denied', `The runner refused the OIDC token request (HTTP ${status}). Check that the job has \`permissions: id-token: write\`.`);
        }
        let value;
        try {
            value = JSON.parse(text).value;
        }
        catch {
            value = undefined;
        }
        if (typeof value !== 'string' || value.split('.').length !== 3) {
            throw new errors/* AppError */.uV('internal', 'The runner\'s OIDC token response has no token in its "value" field.');
        }
        return value;
    }, retry)
        .catch((err) => {
        if (err instanceof RetryableOidcError)
            throw new errors/* AppError */.uV('unavailable', `Could not get an OIDC token: ${err.message}.`);
        throw err;
    })
        .finally(() => dispatcher.close());
}

// EXTERNAL MODULE: ./src/actions/fetch/secrets-spec.ts
var secrets_spec = __webpack_require__(8553);
;// CONCATENATED MODULE: ./src/actions/fetch/main.ts











/** An error tagged with the stage it happened in, so the failure message can say where and how to fix it. */
class StageError extends Error {
    stage;
    original;
    constructor(stage, original) {
        super((0,errors/* errorMessage */.gJ)(original));
        this.stage = stage;
        this.original = original;
    }
}
async function stage(name, fn) {
    try {
        return await fn();
    }
    catch (err) {
        throw err instanceof StageError ? err : new StageError(name, err);
    }
}
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
    const stageName = err instanceof StageError ? err.stage : undefined;
    const original = err instanceof StageError ? err.original : err;
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
    const config = await stage('inputs', () => (0,fetch_config/* parseConfig */.o)((name) => core/* getInput */.V4(name)));
    core/* saveState */.LZ(constants/* STATE */.c4.url, config.url);
    core/* saveState */.LZ(constants/* STATE */.c4.revoke, String(config.revoke));
    const started = Date.now();
    const deadline = started + config.timeoutMs;
    const remaining = () => Math.max(1, deadline - Date.now());
    const retry = { attempts: 4, baseMs: 250, maxMs: 3000, deadline };
    const onRetry = (what) => (attempt, delay, err) => core/* info */.pq((0,core_text/* oneLine */.TN)(`${what}: attempt ${attempt} failed (${(0,errors/* errorMessage */.gJ)(err).split('\n')[0]}); retrying in ${delay} ms`));
    // Each exchange attempt uses a fresh OIDC token: a token whose jti the vault consumed before an
    // error reached us could not be replayed anyway.
    const exchanged = await (0,core_retry/* withRetry */.bD)(async () => {
        const jwt = await stage('oidc-token', () => requestOidcToken(env, config.audience, { ...retry, onRetry: onRetry('OIDC token request') }));
        core/* setSecret */.Pq(jwt);
        return stage('exchange', async () => {
            const client = (0,client_client/* createClient */.U)({
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
                    core/* setSecret */.Pq(res.token);
                return res;
            }
            finally {
                await client.close();
            }
        });
    }, { ...retry, onRetry: onRetry('Token exchange') }, (err) => err instanceof StageError && err.stage === 'exchange' && (0,core_retry/* isRetryableError */.$d)(err.original));
    if (typeof exchanged.token !== 'string' || !exchanged.token) {
        throw new StageError('exchange', new errors/* AppError */.uV('internal', 'The vault answered the exchange without a token.'));
    }
    // Masked above; only now may it go to the state file (the runner logs state names and values in
    // debug mode, masked only if already registered).
    core/* saveState */.LZ(constants/* STATE */.c4.token, exchanged.token);
    core/* saveState */.LZ(constants/* STATE */.c4.tokenId, exchanged.id);
    core/* saveState */.LZ(constants/* STATE */.c4.expiresAt, exchanged.expiresAt);
    core/* saveState */.LZ(constants/* STATE */.c4.agent, exchanged.agent);
    core/* saveState */.LZ(constants/* STATE */.c4.scopes, JSON.stringify(exchanged.scopes ?? []));
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.tokenId, exchanged.id);
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.expiresAt, exchanged.expiresAt);
    // What the vault sent is printed on one line: it must never start a workflow command of its own.
    core/* info */.pq((0,core_text/* oneLine */.TN)(`Pipeline token ${exchanged.id} issued to agent ${exchanged.agent}, scopes ${(exchanged.scopes ?? []).join(', ')}, expires ${exchanged.expiresAt}.`));
    const secrets = await stage('read', async () => {
        const client = (0,client_client/* createClient */.U)({
            url: config.url,
            urlSource: 'the `url` input',
            credential: exchanged.token,
            timeoutMs: remaining(),
            retry: { attempts: 4, baseMs: 250, maxMs: 3000 },
            ...(config.caCert ? { caCert: config.caCert } : {}),
        });
        try {
            return (await client.batchRead((0,secrets_spec/* batchRequestFor */.JL)(config.secrets))).secrets;
        }
        finally {
            await client.close();
        }
    });
    await stage('mask', () => maskAll(secrets, config));
    await stage('export', () => exportAll(secrets, config, env));
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


/***/ })

};
