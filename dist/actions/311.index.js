export const id = 311;
export const ids = [311];
export const modules = {

/***/ 2448:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ exchangeForPipelineToken)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _client_client_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2131);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _core_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7253);
/* harmony import */ var _core_text_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2020);
/* harmony import */ var _fetch_oidc_token_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3023);
/* harmony import */ var _stage_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3955);
/** The two-factor exchange every action that works for a pipeline starts with. */







/**
 * Exchanges the agent key plus a fresh OIDC token of this job for a pipeline token (stages
 * `oidc-token`, then `exchange`), retrying what may pass on a second try. Each attempt asks the
 * runner for a new OIDC token: the vault accepts each `jti` once. The pipeline token is masked the
 * moment it exists in this process. A vault that refuses because its audit log is broken
 * (`audit_unavailable`) is not asked again: it will not change its mind within the step.
 *
 * @throws StageError tagged `oidc-token` or `exchange`
 */
async function exchangeForPipelineToken(req, env) {
    const deadline = Date.now() + (req.timeoutMs ?? 60_000);
    const retry = { attempts: 4, baseMs: 250, maxMs: 3000, deadline };
    const onRetry = (what) => (attempt, delay, err) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_core_text_js__WEBPACK_IMPORTED_MODULE_6__/* .oneLine */ .TN)(`${what}: attempt ${attempt} failed (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err).split('\n')[0]}); retrying in ${delay} ms`));
    const issued = await (0,_core_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .withRetry */ .bD)(async () => {
        const jwt = await (0,_stage_js__WEBPACK_IMPORTED_MODULE_5__/* .stage */ .d)('oidc-token', () => (0,_fetch_oidc_token_js__WEBPACK_IMPORTED_MODULE_4__/* .requestOidcToken */ .I)(env, req.audience, { ...retry, onRetry: onRetry('OIDC token request') }));
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(jwt);
        return (0,_stage_js__WEBPACK_IMPORTED_MODULE_5__/* .stage */ .d)('exchange', async () => {
            const client = (0,_client_client_js__WEBPACK_IMPORTED_MODULE_1__/* .createClient */ .U)({
                url: req.url,
                urlSource: 'the `url` input',
                credential: req.agentKey,
                timeoutMs: Math.max(1, deadline - Date.now()),
                ...(req.caCert ? { caCert: req.caCert } : {}),
            });
            try {
                const res = await client.exchangeToken({ oidcToken: jwt, scopes: req.scopes, ttl: req.ttlSeconds });
                if (typeof res.token === 'string' && res.token)
                    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(res.token);
                return res;
            }
            finally {
                await client.close();
            }
        });
    }, { ...retry, onRetry: onRetry('Token exchange') }, (err) => err instanceof _stage_js__WEBPACK_IMPORTED_MODULE_5__/* .StageError */ .Z &&
        err.stage === 'exchange' &&
        !((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isAppError */ .Y6)(err.original) && err.original.code === 'audit_unavailable') &&
        (0,_core_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .isRetryableError */ .$d)(err.original));
    if (typeof issued.token !== 'string' || !issued.token) {
        throw new _stage_js__WEBPACK_IMPORTED_MODULE_5__/* .StageError */ .Z('exchange', new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('internal', 'The vault answered the exchange without a token.'));
    }
    return issued;
}


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

/***/ 6267:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J_: () => (/* binding */ revocationFailure),
/* harmony export */   ZM: () => (/* binding */ revokeLeftoverToken),
/* harmony export */   mt: () => (/* binding */ revokePipelineToken),
/* harmony export */   r9: () => (/* binding */ logRevocation),
/* harmony export */   u2: () => (/* binding */ TOKEN_STATE)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _client_client_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2131);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _core_text_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2020);
/* harmony import */ var _fetch_config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6816);
/** The post steps' last duty: revoke the pipeline token the main step received. */





/**
 * `DELETE /v1/tokens/self` with the token, against the vault main used (trusting the `ca-cert`
 * input the post step sees too; main already reported a bad one). Never throws: the caller says
 * what a failure means for its step.
 */
async function revokePipelineToken(url, token, caCertInput) {
    let caCert;
    try {
        caCert = (0,_fetch_config_js__WEBPACK_IMPORTED_MODULE_3__/* .parseCaCert */ .CH)(caCertInput);
    }
    catch {
        caCert = undefined;
    }
    const client = (0,_client_client_js__WEBPACK_IMPORTED_MODULE_1__/* .createClient */ .U)({
        url,
        urlSource: 'the `url` input',
        credential: token,
        timeoutMs: 15_000,
        retry: { attempts: 4, baseMs: 250, maxMs: 3000 },
        ...(caCert ? { caCert } : {}),
    });
    try {
        await client.revokeSelf();
        return { state: 'revoked' };
    }
    catch (err) {
        if ((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isAppError */ .Y6)(err) && (err.code === 'token_revoked' || err.code === 'token_expired'))
            return { state: 'already-inactive' };
        return { state: 'failed', code: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isAppError */ .Y6)(err) ? err.code : 'error', message: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err) };
    }
    finally {
        await client.close();
    }
}
/** The line for a failed revocation: what stays valid until when, and the command that ends it. */
function revocationFailure(tokenId, expiresAt, message) {
    return `Could not revoke pipeline token ${tokenId ?? ''}: ${message} It stays valid until ${expiresAt ?? 'it expires'}; revoke it with \`ass tokens revoke ${tokenId ?? '<id>'}\`.`;
}
/** The id comes from the vault's answer: one line, so it never starts a workflow command of its own. */
function logRevocation(tokenId, r) {
    if (r.state === 'revoked')
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_core_text_js__WEBPACK_IMPORTED_MODULE_4__/* .oneLine */ .TN)(`Pipeline token ${tokenId ?? ''} revoked.`));
    else if (r.state === 'already-inactive')
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_core_text_js__WEBPACK_IMPORTED_MODULE_4__/* .oneLine */ .TN)(`Pipeline token ${tokenId ?? ''} was already inactive.`));
}
/** The step-state names under which a main step leaves its pipeline token for the post step. */
const TOKEN_STATE = {
    url: 'url',
    token: 'token',
    tokenId: 'token-id',
    expiresAt: 'expires-at',
    /** `true` once main tried to revoke the token itself (and reported how that went). */
    revokeTried: 'revoke-tried',
};
/**
 * A post step's revocation of the pipeline token main left in the step state (DELETE
 * /v1/tokens/self), unless main already tried. A failed revocation fails the step: a live token
 * someone believes revoked is worse than a red post step.
 */
async function revokeLeftoverToken(caCertInput) {
    const token = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(TOKEN_STATE.token);
    if (!token) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('No pipeline token was issued by the main step; nothing to revoke.');
        return;
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(token);
    const tokenId = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(TOKEN_STATE.tokenId);
    if (_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(TOKEN_STATE.revokeTried) === 'true')
        return;
    const url = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(TOKEN_STATE.url);
    const expiresAt = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(TOKEN_STATE.expiresAt) || 'it expires';
    if (!url) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(revocationFailure(tokenId, expiresAt, 'the vault URL is missing from the step state.'));
        return;
    }
    const r = await revokePipelineToken(url, token, caCertInput);
    logRevocation(tokenId, r);
    if (r.state === 'failed')
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(revocationFailure(tokenId, expiresAt, r.message));
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

/***/ 2565:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Me: () => (/* binding */ notifyRotation),
/* harmony export */   WW: () => (/* binding */ postWebhook)
/* harmony export */ });
/* unused harmony exports ROTATED_EVENT, SIGNATURE_HEADER, EVENT_HEADER, DELIVERY_HEADER, MIN_WEBHOOK_SECRET_LENGTH, validateWebhookUrl, webhookBody, signWebhookBody, verifyWebhookSignature, postSignedWebhook */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4296);
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8456);
/* harmony import */ var _core_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7253);
/**
 * Tells a webhook that a secret was rotated, so a receiver (a deploy hook, a chat bot) can act
 * without polling the vault. The notice carries the path and versions, never a value, and is
 * signed the way GitHub signs its webhooks, so receivers can reuse what they know:
 *
 *   X-Ass-Event: secret.rotated
 *   X-Ass-Delivery: <uuid, the same on the one retry so a receiver can drop a duplicate>
 *   X-Ass-Signature-256: sha256=<hex HMAC-SHA256 of the exact body bytes under the shared secret>
 *
 * Receivers check a request with `verifyWebhookSignature(rawBody, header, secret)`, on the raw
 * bytes as received (a re-serialised JSON body would not match).
 */




const ROTATED_EVENT = 'secret.rotated';
const SIGNATURE_HEADER = 'X-Ass-Signature-256';
const EVENT_HEADER = 'X-Ass-Event';
const DELIVERY_HEADER = 'X-Ass-Delivery';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY_DELAY_MS = 1_000;
/** A shorter shared secret is guessable offline from one signed notice. */
const MIN_WEBHOOK_SECRET_LENGTH = 16;
/**
 * Checks a webhook URL: https, or plain http to a loopback host (nothing sent there leaves the
 * machine). Messages show only the URL's origin: webhook paths often embed a token.
 */
function validateWebhookUrl(raw) {
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('invalid_input', 'The webhook URL is not a URL; write it as https://HOST/PATH.');
    }
    if (url.protocol === 'https:')
        return url;
    if (url.protocol === 'http:' && (0,_core_net_js__WEBPACK_IMPORTED_MODULE_2__/* .isLoopbackHost */ .c)(url.hostname))
        return url;
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('invalid_input', `The webhook URL ${url.protocol}//${url.host} must use https: plain http is accepted only for this machine (localhost, 127.0.0.1, ::1).`);
}
/** The exact JSON body sent, fields picked one by one so nothing else a caller holds can slip in. */
function webhookBody(notice) {
    const { path, version, previousVersion, graceEnds, rotationId, rotatedAt } = notice;
    return JSON.stringify({ event: ROTATED_EVENT, path, version, previousVersion, graceEnds, rotationId, rotatedAt });
}
/** `sha256=<hex HMAC-SHA256 of body under secret>`, the value of `X-Ass-Signature-256`. */
function signWebhookBody(body, secret) {
    return `sha256=${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHmac)('sha256', secret).update(body).digest('hex')}`;
}
/**
 * For receivers: true when `header` (the `X-Ass-Signature-256` value) is the signature of the raw
 * `body` under `secret`. The comparison takes the same time wherever the first difference is
 * (timingSafeEqual), so a forger cannot learn the signature byte by byte; a missing or malformed
 * header is false.
 */
function verifyWebhookSignature(body, header, secret) {
    if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header) || !secret)
        return false;
    const expected = Buffer.from(signWebhookBody(body, secret).slice('sha256='.length), 'hex');
    const given = Buffer.from(header.slice('sha256='.length), 'hex');
    return timingSafeEqual(expected, given);
}
/**
 * POSTs the signed notice. One retry, after `retryDelayMs`, on a network error, a timeout or a
 * 5xx, with the same delivery id; a 4xx or a redirect is not retried (the receiver refused, or
 * the URL is not the final one, and trying again would not change that). Throws an AppError that
 * names the URL's origin, never its path, the body's secret or the shared secret.
 */
async function notifyRotation(notice, options) {
    return postSignedWebhook(ROTATED_EVENT, webhookBody(notice), `${notice.path} was rotated`, options);
}
/**
 * POSTs a signed JSON `body` as event `event` (the approval notices use it too). `what` says what
 * happened, for the log line. Retries and errors as notifyRotation says.
 */
async function postSignedWebhook(event, body, what, options) {
    if (typeof options.secret !== 'string' || options.secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('invalid_input', `The webhook's shared secret must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters; generate a random one.`);
    }
    return deliver(event, body, what, options, signWebhookBody(body, options.secret));
}
/**
 * POSTs a JSON `body` unsigned, for receivers that take no signature, where the URL itself is the
 * credential (Slack's incoming webhooks): the audit action's report. Same retries and errors as
 * postSignedWebhook; messages name only the URL's origin, never its path.
 */
async function postWebhook(event, body, what, options) {
    return deliver(event, body, what, options, undefined);
}
async function deliver(event, body, what, options, signature) {
    const url = validateWebhookUrl(options.url);
    const deliveryId = (options.newDeliveryId ?? node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)();
    const headers = {
        'content-type': 'application/json',
        'user-agent': 'agent-secret-store-webhook',
        [EVENT_HEADER]: event,
        [DELIVERY_HEADER]: deliveryId,
        ...(signature ? { [SIGNATURE_HEADER]: signature } : {}),
    };
    const first = await attempt(url, body, headers, options);
    if (first.ok)
        return delivered(first.status, 1);
    if (!first.retry)
        throw first.error;
    options.logger?.warning(`The webhook at ${url.origin} failed (${first.why}); retrying once.`);
    await (options.sleep ?? _core_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .realSleep */ .uk)(options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
    const second = await attempt(url, body, headers, options);
    if (second.ok)
        return delivered(second.status, 2);
    throw second.error;
    function delivered(status, attempts) {
        options.logger?.info(`Notified the webhook at ${url.origin} that ${what} (delivery ${deliveryId}).`);
        return { deliveryId, status, attempts };
    }
}
async function attempt(url, body, headers, options) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const fail = (code, retry, why, fix) => ({
        ok: false,
        retry,
        why,
        error: new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV(code, `Could not notify the webhook at ${url.origin}: ${why}. ${fix}`, {
            details: retry ? { retryable: true } : {},
        }),
    });
    let res;
    try {
        // A redirect is not followed: it could lead the signed notice to plain http or another host.
        res = await (options.fetch ?? globalThis.fetch)(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
        await res.arrayBuffer().catch(() => undefined);
    }
    catch (err) {
        if (options.signal?.aborted)
            return fail('unavailable', false, 'the notice was cancelled', 'Nothing to fix.');
        const why = timeout.aborted ? `no answer within ${timeoutMs / 1000}s` : `it could not be reached (${networkCode(err)})`;
        return fail('unavailable', true, why, 'Check that the receiver is up and the URL is right.');
    }
    if (res.status >= 200 && res.status < 300)
        return { ok: true, status: res.status };
    if (res.status >= 500)
        return fail('unavailable', true, `it answered HTTP ${res.status}`, 'The receiver failed; check its logs.');
    if (res.status >= 300 && res.status < 400) {
        return fail('invalid_input', false, `it answered with a redirect (HTTP ${res.status})`, 'Configure the final URL; redirects are not followed.');
    }
    if (res.status === 401 || res.status === 403) {
        return fail('denied', false, `it refused the notice (HTTP ${res.status})`, 'Check that the receiver verifies with the same shared secret.');
    }
    return fail('invalid_input', false, `it answered HTTP ${res.status}`, 'Check the URL and that the receiver accepts these events.');
}
function networkCode(err) {
    const e = err;
    const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
    return code ?? (err instanceof Error ? err.name : 'network error');
}


/***/ })

};
