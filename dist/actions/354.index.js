export const id = 354;
export const ids = [354];
export const modules = {

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

/***/ 3506:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   aQ: () => (/* binding */ OUTPUT),
/* harmony export */   bO: () => (/* binding */ INPUT),
/* harmony export */   c4: () => (/* binding */ STATE)
/* harmony export */ });
/* harmony import */ var _common_revoke_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6267);

/** Names of the rotate action's inputs, outputs and state entries (kebab-case, as in rotate/action.yml). */
const INPUT = {
    url: 'url',
    agentKey: 'agent-key',
    paths: 'paths',
    dryRun: 'dry-run',
    allowCommands: 'allow-commands',
    githubToken: 'github-token',
    audience: 'audience',
    scopes: 'scopes',
    ttl: 'ttl',
    failOnError: 'fail-on-error',
    caCert: 'ca-cert',
};
const OUTPUT = {
    rotated: 'rotated',
    failed: 'failed',
    skipped: 'skipped',
    wouldRotate: 'would-rotate',
    revoked: 'revoked',
    tokenId: 'token-id',
};
/** GITHUB_STATE entries: how main hands the revocation handle to post. */
const STATE = _common_revoke_js__WEBPACK_IMPORTED_MODULE_0__/* .TOKEN_STATE */ .u2;


/***/ }),

/***/ 4354:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  failureMessage: () => (/* binding */ failureMessage),
  outputEntries: () => (/* binding */ outputEntries),
  rotatorEnv: () => (/* binding */ rotatorEnv),
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./src/client/client.ts + 2 modules
var client_client = __webpack_require__(2131);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/text.ts
var core_text = __webpack_require__(2020);
// EXTERNAL MODULE: ./src/core/model.ts
var model = __webpack_require__(4146);
;// CONCATENATED MODULE: ./src/rotation/types.ts

/** A failed step, with what to do about it (never a value). */
class RotationStepError extends Error {
    step;
    fix;
    constructor(step, message, fix) {
        super(message);
        this.step = step;
        this.fix = fix;
        this.name = 'RotationStepError';
    }
}

;// CONCATENATED MODULE: ./src/rotation/engine.ts


/** Why a command policy did not run here, and how to let it. */
function commandsRefused(status) {
    return result(status, {
        status: 'skipped',
        reason: 'a command policy runs a script set in the vault with the privileges of this run (its environment, files and credentials)',
        fix: 'to accept that, pass --allow-commands (the rotate action: allow-commands: true)',
    });
}
/** What a failure says, without a value: the message of a vault error or a rotator's step. */
function describe(err) {
    if (err instanceof RotationStepError)
        return { reason: `${err.step} step: ${err.message}`, ...(err.fix ? { fix: err.fix } : {}) };
    if ((0,errors/* isAppError */.Y6)(err) && err.code === 'approval_required') {
        return {
            reason: err.message,
            fix: "this rotator reads the current value, and a person's reads of a secret that needs approval are held: rotate it with a rotator's token (ASS_TOKEN set to a scoped token with secrets:rotate and secrets:read on it), or let ass server --rotate or the rotate action do it",
        };
    }
    if ((0,errors/* isAppError */.Y6)(err))
        return { reason: err.message };
    return { reason: err instanceof Error ? `${err.name}: ${err.message}` : 'the rotation failed' };
}
const result = (status, extra) => ({
    path: status.path,
    rotator: status.rotator,
    status: 'skipped',
    fromVersion: status.version,
    toVersion: null,
    test: 'none',
    rotationId: null,
    nextDue: status.nextDue,
    graceEnds: null,
    ...extra,
});
/** What a rotator gets for one secret; every value it reads through it is masked first. */
function contextFor(deps, path, settings, rotationId, current) {
    return {
        path,
        current,
        settings,
        rotationId,
        env: deps.env,
        logger: deps.logger,
        mask: deps.mask,
        ...(deps.signal ? { signal: deps.signal } : {}),
        // Within the rotation of `path`: the vault does not hold these reads for approval (see getSecret's `rotating`).
        readSecret: async (p) => {
            const s = await deps.client.getSecret(p, { rotating: path });
            deps.mask(s.value);
            return s.value;
        },
    };
}
/** Rotates one secret under its policy. Never throws for a failed rotation: the result says why. */
async function rotateSecret(deps, status, policy, opts = {}) {
    const { client, logger } = deps;
    const path = status.path;
    if (policy.rotator === 'command' && !deps.allowCommands && !opts.dryRun)
        return commandsRefused(status);
    let rotator;
    let settings;
    try {
        rotator = deps.rotatorFor(policy.rotator);
        settings = rotator.parseSettings(policy.settings);
    }
    catch (err) {
        return result(status, { status: 'failed', ...describe(err) });
    }
    if (!policy.enabled && !opts.rotationId) {
        return result(status, {
            status: 'skipped',
            reason: `the policy for ${policy.path} is disabled`,
            fix: `enable it (ass rotation set ${policy.path} --enable) or rotate it by name`,
        });
    }
    if (opts.dryRun)
        return result(status, { status: 'would-rotate' });
    let rotationId;
    let state;
    try {
        state = await client.beginRotation(path, {
            rotator: policy.rotator,
            ...(opts.rotationId ? { rotationId: opts.rotationId } : {}),
            ...(opts.force ? { force: true } : {}),
        });
        rotationId = state.rotationId;
    }
    catch (err) {
        return result(status, { status: 'failed', ...describe(err) });
    }
    if (state.state !== 'pending') {
        return result(status, {
            status: 'skipped',
            rotationId,
            toVersion: state.toVersion,
            reason: `rotation ${rotationId} already ${state.state}${state.reason ? `: ${state.reason}` : ''}`,
        });
    }
    logger.info(`${path}: rotation ${rotationId} ${state.resumed ? 'resumed' : 'began'} (${policy.rotator})`);
    const ctx = contextFor(deps, path, settings, rotationId, undefined);
    let step = 'create';
    let tested = 'none';
    let made;
    try {
        // Only a rotator that derives the new value from the current one reads it (every read of a
        // secret that needs approval is one a person's rotation would wait for).
        const current = rotator.usesCurrent ? await client.getSecret(path, { rotating: path }) : undefined;
        if (current) {
            deps.mask(current.value);
            ctx.current = { value: current.value, version: current.version };
        }
        const fromVersion = current?.version ?? state.fromVersion;
        let value;
        if (state.resumed && state.pendingVersion !== null) {
            // A rerun after a crash between put and finish: test and finish what was put.
            value = (await client.getSecret(path, { stage: 'pending' })).value;
            deps.mask(value);
        }
        else {
            value = await rotator.create(ctx);
            deps.mask(value);
            made = value;
            if (value === '')
                throw new RotationStepError('create', 'the rotator made an empty value');
            await client.putPendingValue(path, rotationId, value);
        }
        step = 'test';
        if (rotator.test) {
            await rotator.test(ctx, value);
            tested = 'passed';
        }
        step = 'finish';
        const done = await client.finishRotation(path, rotationId);
        const rotated = result(status, {
            status: 'rotated',
            rotationId,
            fromVersion,
            toVersion: done.toVersion,
            test: tested,
            graceEnds: done.previousUntil,
            nextDue: status.intervalSeconds ? new Date(Date.now() + status.intervalSeconds * 1000).toISOString() : null,
        });
        logger.info(`${path}: version ${fromVersion} → ${done.toVersion}; the previous value is readable until ${done.previousUntil ?? 'now'}`);
        await after(deps, rotator, policy, rotated, ctx, value);
        return rotated;
    }
    catch (err) {
        if (step === 'test')
            tested = 'failed';
        const why = describe(err);
        if (step !== 'finish') {
            // The current value stays; the pending one goes, and the audit log says why.
            await client.abortRotation(path, rotationId, `${step} failed: ${why.reason}`.slice(0, 500)).catch((abortErr) => {
                logger.warning(`${path}: could not abort rotation ${rotationId} (${describe(abortErr).reason}); its lease expires on its own`);
            });
        }
        logger.error(`${path}: rotation ${rotationId} failed: ${why.reason}`);
        if (step === 'test' && made !== undefined && rotator.revoke) {
            // The value made for this rotation failed its test: invalidate it at the provider too, so a
            // failed run leaves no live credential behind.
            await rotator.revoke(ctx, made).then(() => logger.info(`${path}: the value that failed its test was revoked at its provider`), (err) => logger.warning(`${path}: could not revoke the value that failed its test: ${describe(err).reason}`));
        }
        return result(status, { status: 'failed', rotationId, test: tested, ...why });
    }
}
/**
 * The value a rotation replaced, once its grace period is over: the rotator revokes it at its
 * provider (the revoke command, the postgres role reset), then the vault forgets it. A rotator with
 * nothing to revoke (random) just retires it.
 */
async function revokePrevious(deps, status, policy, opts = {}) {
    const { client, logger } = deps;
    const path = status.path;
    if (opts.dryRun)
        return result(status, { status: 'would-revoke', fromVersion: null });
    if (policy.rotator === 'command' && !deps.allowCommands)
        return commandsRefused(status);
    let version = null;
    try {
        const rotator = deps.rotatorFor(policy.rotator);
        const settings = rotator.parseSettings(policy.settings);
        const previous = await client.getSecret(path, { stage: 'previous', revoke: true });
        deps.mask(previous.value);
        version = previous.version;
        if (rotator.revoke) {
            const current = rotator.usesCurrent ? await client.getSecret(path, { rotating: path }) : undefined;
            if (current)
                deps.mask(current.value);
            const ctx = contextFor(deps, path, settings, `revoke-${path}`.slice(0, 64), current ? { value: current.value, version: current.version } : undefined);
            await rotator.revoke(ctx, previous.value);
        }
        await client.retirePrevious(path, previous.version);
        logger.info(`${path}: version ${previous.version}, replaced at its last rotation, ${rotator.revoke ? 'revoked at its provider and ' : ''}retired`);
        return result(status, { status: 'revoked', fromVersion: previous.version, toVersion: null });
    }
    catch (err) {
        const why = describe(err);
        logger.error(`${path}: revoking the previous value failed: ${why.reason}`);
        return result(status, {
            status: 'failed',
            fromVersion: version,
            reason: `revoke: ${why.reason}`,
            ...(why.fix ? { fix: why.fix } : {}),
        });
    }
}
/** What follows a finished rotation; a failure here is reported, never undone. */
async function after(deps, rotator, policy, rotated, ctx, value) {
    const problems = [];
    if (rotator.afterFinish) {
        await rotator.afterFinish(ctx, value).catch((err) => problems.push(describe(err).reason));
    }
    if (deps.notify)
        await deps.notify(policy, rotated, ctx).catch((err) => problems.push(`notify: ${describe(err).reason}`));
    if (problems.length > 0) {
        rotated.reason = `rotated, but ${problems.join('; ')}`;
        for (const p of problems)
            deps.logger.warning(`${rotated.path}: ${p}`);
    }
}
/** The secrets a run takes: the named paths, or every one due (within what the credential may rotate). */
async function plan(client, opts) {
    const listing = await client.listRotationPolicies({
        ...(opts.due ? { due: true } : {}),
        ...(opts.prefix ? { prefix: opts.prefix } : {}),
    });
    const byPolicy = new Map(listing.policies.map((p) => [p.path, p]));
    const statuses = opts.paths ? listing.secrets.filter((s) => opts.paths?.includes(s.path)) : listing.secrets;
    const missing = (opts.paths ?? []).filter((p) => !statuses.some((s) => s.path === p));
    const items = statuses.flatMap((status) => {
        const policy = byPolicy.get(status.policy);
        return policy ? [{ status, policy }] : [];
    });
    return { items, missing };
}
/** Rotates each planned secret in turn (one rotation at a time: each holds its own lease). */
async function rotateAll(deps, items, opts = {}) {
    const results = [];
    for (const { status, policy } of items) {
        if (deps.signal?.aborted)
            break;
        // The last rotation's replaced value first: its grace is over, revoke it before making another.
        if (status.revokeDue)
            results.push(await revokePrevious(deps, status, policy, opts));
        if (status.due || opts.explicit)
            results.push(await rotateSecret(deps, status, policy, opts));
    }
    // Failures first: they are what someone has to act on.
    const rank = { failed: 0, rotated: 1, revoked: 2, 'would-rotate': 3, 'would-revoke': 4, skipped: 5 };
    return results.sort((a, b) => rank[a.status] - rank[b.status]);
}

// EXTERNAL MODULE: ./src/core/net.ts
var net = __webpack_require__(8456);
;// CONCATENATED MODULE: ./src/rotation/github-api.ts
/**
 * The few GitHub REST calls rotation makes (write an Actions secret, send a `repository_dispatch`),
 * through an injected `fetch` rather than Octokit: three endpoints do not need a generated client
 * of a few hundred kilobytes, every failure must become a message that states the fix for that
 * endpoint (Octokit's RequestError would be mapped back from its status anyway), and tests stand
 * GitHub in with nock, which intercepts the global fetch. The token is sent only as
 * `Authorization: Bearer` and never appears in a message, a log line or an error's cause.
 */


/** The REST API of github.com; GitHub Enterprise Server sets `GITHUB_API_URL` to its own. */
const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
/** The REST API version every request names, so a new default version cannot change an answer. */
const GITHUB_API_VERSION = '2022-11-28';
const DEFAULT_TIMEOUT_MS = 30_000;
const USER_AGENT = 'agent-secret-store-rotation';
/** The API base without a trailing slash; https only, or plain http to this machine (a test double). */
function githubApiBase(apiUrl) {
    const raw = apiUrl?.trim() || DEFAULT_GITHUB_API_URL;
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw new errors/* AppError */.uV('invalid_input', `The GitHub API URL "${raw}" is not a URL; use https://api.github.com or, on GHES, GITHUB_API_URL.`);
    }
    const loopbackHttp = url.protocol === 'http:' && (0,net/* isLoopbackHost */.c)(url.hostname);
    if (url.protocol !== 'https:' && !loopbackHttp) {
        throw new errors/* AppError */.uV('invalid_input', `The GitHub API URL must use https (got ${url.protocol}//${url.host}); the request carries a token.`);
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new errors/* AppError */.uV('invalid_input', 'The GitHub API URL must not carry credentials, a query or a fragment; pass the token separately.');
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
/** Owner and repository names as GitHub allows them (checked before any request, so a typo costs no call). */
const OWNER_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO_RE = /^[A-Za-z0-9._-]{1,100}$/;
/** Checks an account (user or organisation) name; `what` names the input in the message. */
function validateOwner(owner, what = 'owner') {
    if (!OWNER_RE.test(owner)) {
        throw new errors/* AppError */.uV('invalid_input', `The ${what} "${owner.slice(0, 60)}" is not a GitHub account name: use letters, digits and hyphens, at most 39 characters, not starting with a hyphen.`);
    }
    return owner;
}
/** Parses `OWNER/REPO`. */
function parseRepository(text) {
    const parts = text.split('/');
    if (parts.length !== 2) {
        throw new errors/* AppError */.uV('invalid_input', `The repository "${text.slice(0, 140)}" must be written OWNER/REPO, for example octo-org/app.`);
    }
    const [owner, repo] = parts;
    validateOwner(owner, 'repository owner');
    if (!REPO_RE.test(repo) || repo === '.' || repo === '..') {
        throw new errors/* AppError */.uV('invalid_input', `The repository name "${repo.slice(0, 100)}" is not valid: use letters, digits, '.', '-' and '_', at most 100 characters.`);
    }
    return { owner, repo };
}
/**
 * Makes one REST call and returns its status and JSON body, or throws an AppError whose message
 * says what failed and how to fix it (GitHub's own short `message` appended, never the request).
 * Redirects are followed: GitHub answers a renamed repository with a same-origin 301, and fetch
 * drops `Authorization` on a redirect to another origin.
 */
async function githubRequest(options, method, path, body, context) {
    const base = githubApiBase(options.apiUrl);
    const doFetch = options.fetch ?? globalThis.fetch;
    const headers = {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${options.token}`,
        'x-github-api-version': GITHUB_API_VERSION,
        'user-agent': USER_AGENT,
    };
    if (body !== undefined)
        headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    options.logger?.debug(`GitHub: ${method} ${path}`);
    let res;
    let text;
    try {
        res = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
        text = await res.text();
    }
    catch (err) {
        // The cause is left off: a fetch error can carry the request it failed on.
        const why = timeout.aborted ? 'no answer in time' : networkDetail(err);
        throw new errors/* AppError */.uV('unavailable', `Could not ${context.action}: GitHub's API at ${base} could not be reached (${why}).`, {
            details: { retryable: true },
        });
    }
    if (res.status >= 200 && res.status < 300)
        return { status: res.status, json: parseJson(text) };
    throw errorForStatus(res, text, base, context);
}
function errorForStatus(res, text, base, context) {
    const status = res.status;
    const said = githubMessage(text);
    const suffix = said ? ` GitHub said: "${said}".` : '';
    const details = { status };
    const fail = (code, help) => new errors/* AppError */.uV(code, `Could not ${context.action}: GitHub answered HTTP ${status}. ${help}${suffix}`, { details });
    if ((status === 403 || status === 429) && (res.headers.get('x-ratelimit-remaining') === '0' || res.headers.has('retry-after'))) {
        return fail('rate_limited', 'The token has used up its API rate limit; try again later.');
    }
    if (status === 401)
        return fail('unauthenticated', `The token was not accepted (expired, revoked or mistyped). ${context.permissionHelp}`);
    if (status === 403)
        return fail('denied', context.permissionHelp);
    if (status === 404)
        return fail('not_found', context.notFoundHelp);
    if (status === 422)
        return fail('invalid_input', context.invalidHelp);
    if (status >= 500) {
        return new errors/* AppError */.uV('unavailable', `Could not ${context.action}: GitHub's API at ${base} answered HTTP ${status}; try again later.`, {
            details: { status, retryable: true },
        });
    }
    return fail('internal', 'This answer was not expected; check the API URL.');
}
/** GitHub's `message` field, shortened and on one line (it names the problem, never the request). */
function githubMessage(text) {
    const message = parseJson(text)?.message;
    if (typeof message !== 'string' || !message)
        return undefined;
    return message.replace(/\s+/g, ' ').slice(0, 200);
}
function parseJson(text) {
    if (!text)
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
function networkDetail(err) {
    const e = err;
    const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
    return code ?? (err instanceof Error ? err.name : 'network error');
}

;// CONCATENATED MODULE: ./src/rotation/dispatch.ts
/**
 * Sends a `repository_dispatch` event: how a rotation starts the workflows that must pick up the
 * new value (redeploy, restart). GitHub starts every workflow with `on: repository_dispatch`
 * whose `types` include the event type; unlike most events, one sent with a workflow's own
 * `GITHUB_TOKEN` does start workflows.
 */


/** GitHub's limits: an event type of 1 to 100 characters, at most 10 top-level payload properties. */
const MAX_EVENT_TYPE_LENGTH = 100;
const MAX_PAYLOAD_PROPERTIES = 10;
/** Checks the event type and payload as GitHub would, so a mistake costs no request. */
function validateDispatch(input) {
    const target = parseRepository(input.repository);
    const type = input.eventType;
    if (typeof type !== 'string' || type.trim() === '' || type.length > MAX_EVENT_TYPE_LENGTH) {
        throw new errors/* AppError */.uV('invalid_input', `The repository_dispatch event type must be 1 to ${MAX_EVENT_TYPE_LENGTH} characters and not blank (got ${typeof type === 'string' ? `${type.length} characters` : typeof type}); use the name in the workflow's on.repository_dispatch.types.`);
    }
    const payload = input.clientPayload;
    if (payload !== undefined) {
        if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
            throw new errors/* AppError */.uV('invalid_input', 'The repository_dispatch client payload must be a JSON object.');
        }
        const count = Object.keys(payload).length;
        if (count > MAX_PAYLOAD_PROPERTIES) {
            throw new errors/* AppError */.uV('invalid_input', `The repository_dispatch client payload has ${count} top-level properties; GitHub accepts at most ${MAX_PAYLOAD_PROPERTIES}. Nest the rest under one property.`);
        }
    }
    return target;
}
/**
 * POSTs `/repos/{owner}/{repo}/dispatches` (GitHub answers 204). The token needs "Contents: Read
 * and write" on the repository: a workflow's `GITHUB_TOKEN` with `permissions: contents: write`
 * for its own repository, a fine-grained token or GitHub App for another.
 */
async function sendRepositoryDispatch(input, options) {
    const { owner, repo } = validateDispatch(input);
    const body = { event_type: input.eventType, client_payload: input.clientPayload ?? {} };
    await githubRequest(options, 'POST', `/repos/${owner}/${repo}/dispatches`, body, {
        action: `send repository_dispatch "${input.eventType}" to ${owner}/${repo}`,
        permissionHelp: `The token needs the repository permission "Contents: Read and write" on ${owner}/${repo}: for the workflow's own repository, add \`permissions: contents: write\` to the job; for another repository, use a fine-grained personal access token or a GitHub App installation token with that permission.`,
        notFoundHelp: `Check the repository name ${owner}/${repo} and that the token has access to it (GitHub answers 404 for a private repository the token cannot see).`,
        invalidHelp: `GitHub refused the event: check the event type (1 to ${MAX_EVENT_TYPE_LENGTH} characters) and that the client payload has at most ${MAX_PAYLOAD_PROPERTIES} top-level properties.`,
    });
    options.logger?.info(`Sent repository_dispatch "${input.eventType}" to ${owner}/${repo}.`);
}

// EXTERNAL MODULE: ./src/rotation/notify.ts
var rotation_notify = __webpack_require__(2565);
;// CONCATENATED MODULE: ./src/rotation/notifier.ts


function makeNotifier(deps = {}) {
    return async (policy, result, ctx) => {
        const notify = policy.notify;
        if (!notify || result.status !== 'rotated' || result.toVersion === null || result.rotationId === null)
            return;
        const notice = {
            path: result.path,
            version: result.toVersion,
            previousVersion: result.fromVersion,
            graceEnds: result.graceEnds,
            rotationId: result.rotationId,
            rotatedAt: new Date().toISOString(),
        };
        if (notify.webhook && notify.webhookSecret) {
            const secret = await ctx.readSecret(notify.webhookSecret);
            await (0,rotation_notify/* notifyRotation */.Me)(notice, { url: notify.webhook, secret, logger: ctx.logger, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
        }
        if (notify.dispatch) {
            const token = deps.githubToken ?? ctx.env.ASS_GITHUB_TOKEN ?? ctx.env.GITHUB_TOKEN;
            if (!token)
                throw new Error(`no GitHub token to send repository_dispatch to ${notify.dispatch.repository} (give github-token or ASS_GITHUB_TOKEN)`);
            await sendRepositoryDispatch({ repository: notify.dispatch.repository, eventType: notify.dispatch.eventType, clientPayload: { ...notice } }, {
                token,
                ...(deps.githubApiUrl ? { apiUrl: deps.githubApiUrl } : {}),
                ...(deps.fetch ? { fetch: deps.fetch } : {}),
                logger: ctx.logger,
            });
        }
    };
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 7 modules
var schemas = __webpack_require__(3339);
// EXTERNAL MODULE: ./node_modules/libsodium-wrappers/dist/modules-esm/libsodium-wrappers.mjs + 1 modules
var libsodium_wrappers = __webpack_require__(4768);
;// CONCATENATED MODULE: ./src/rotation/github-secrets.ts
/**
 * Writes a GitHub Actions secret: how a freshly rotated agent key reaches the `ASS_AGENT_KEY`
 * secret that workflows use. GitHub only accepts a value sealed (libsodium `crypto_box_seal`)
 * under the target's current public key, so every write is: GET the public key, seal, PUT
 * `{encrypted_value, key_id}`. The value leaves this process only as that ciphertext.
 *
 * A workflow's own `GITHUB_TOKEN` can never write secrets; the caller brings a fine-grained
 * token or a GitHub App installation token with the permission each target names below.
 */



const ORG_VISIBILITIES = ['all', 'private', 'selected'];
const TARGET_SYNTAX = 'repo:OWNER/REPO, env:OWNER/REPO:ENVIRONMENT or org:ORG[:all|private|selected]';
/**
 * Parses a target spec: `repo:OWNER/REPO`, `env:OWNER/REPO:ENVIRONMENT` (the environment is the
 * rest, colons included) or `org:ORG[:VISIBILITY]` (visibility `all`, `private` (default) or
 * `selected`). Throws AppError('invalid_input') naming the accepted forms.
 */
function parseSecretTarget(spec) {
    const text = spec.trim();
    const colon = text.indexOf(':');
    const kind = colon < 0 ? text : text.slice(0, colon);
    const rest = colon < 0 ? '' : text.slice(colon + 1);
    if (!rest)
        throw new errors/* AppError */.uV('invalid_input', `The secret target "${text.slice(0, 200)}" is incomplete; write ${TARGET_SYNTAX}.`);
    switch (kind) {
        case 'repo':
            return validateTarget({ kind: 'repo', ...parseRepository(rest) });
        case 'env': {
            const sep = rest.indexOf(':');
            if (sep < 0)
                throw new errors/* AppError */.uV('invalid_input', `The secret target "${text.slice(0, 200)}" names no environment; write env:OWNER/REPO:ENVIRONMENT.`);
            return validateTarget({ kind: 'env', ...parseRepository(rest.slice(0, sep)), environment: rest.slice(sep + 1) });
        }
        case 'org': {
            const [org = '', visibility = 'private', ...extra] = rest.split(':');
            if (extra.length > 0)
                throw new errors/* AppError */.uV('invalid_input', `The secret target "${text.slice(0, 200)}" has too many parts; write org:ORG[:all|private|selected].`);
            return validateTarget({ kind: 'org', org, visibility: visibility });
        }
        default:
            throw new errors/* AppError */.uV('invalid_input', `The secret target "${text.slice(0, 200)}" has an unknown kind "${kind.slice(0, 20)}"; write ${TARGET_SYNTAX}.`);
    }
}
/** Checks a target built in code (names, environment, visibility); returns it unchanged. */
function validateTarget(target) {
    if (target.kind === 'org') {
        validateOwner(target.org, 'organisation');
        if (!ORG_VISIBILITIES.includes(target.visibility)) {
            throw new errors/* AppError */.uV('invalid_input', `The organisation secret visibility "${String(target.visibility).slice(0, 20)}" is not one of all, private, selected.`);
        }
        const ids = target.selectedRepositoryIds;
        if (ids !== undefined && (target.visibility !== 'selected' || !ids.every((id) => Number.isSafeInteger(id) && id > 0))) {
            throw new errors/* AppError */.uV('invalid_input', 'Selected repository ids are positive integers and go only with visibility "selected".');
        }
        return target;
    }
    parseRepository(`${target.owner}/${target.repo}`);
    if (target.kind === 'env')
        validateEnvironment(target.environment);
    return target;
}
function validateEnvironment(name) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
    if (!name || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name) || name.trim() !== name) {
        throw new errors/* AppError */.uV('invalid_input', 'The environment name must be 1 to 255 characters, without control characters or surrounding spaces, as in the repository settings.');
    }
}
/**
 * Checks a secret name as GitHub does: letters, digits and `_`, not starting with a digit, and
 * not starting with `GITHUB_` (reserved; GitHub compares names without case).
 */
function validateSecretName(name) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new errors/* AppError */.uV('invalid_input', `The secret name "${name.slice(0, 100)}" is not valid: use letters, digits and underscores, not starting with a digit (e.g. ASS_AGENT_KEY).`);
    }
    if (/^GITHUB_/i.test(name)) {
        throw new errors/* AppError */.uV('invalid_input', `The secret name "${name.slice(0, 100)}" starts with GITHUB_, which GitHub reserves; choose another name.`);
    }
    return name;
}
/** A short description of the target for messages: `repository octo/app`, `environment prod of octo/app`, `organisation acme`. */
function describeTarget(target) {
    if (target.kind === 'repo')
        return `repository ${target.owner}/${target.repo}`;
    if (target.kind === 'env')
        return `environment "${target.environment}" of ${target.owner}/${target.repo}`;
    return `organisation ${target.org}`;
}
/**
 * Seals `value` under GitHub's base64 Curve25519 public key (libsodium `crypto_box_seal`, an
 * anonymous sender: only the holder of GitHub's private key can open it) and returns it base64.
 */
async function sealSecretValue(value, publicKeyBase64) {
    await libsodium_wrappers/* default.ready */.Ay.ready;
    const key = Buffer.from(publicKeyBase64, 'base64');
    if (key.length !== libsodium_wrappers/* default */.Ay.crypto_box_PUBLICKEYBYTES || key.toString('base64') !== publicKeyBase64) {
        throw new errors/* AppError */.uV('internal', "GitHub's secrets public key is not a base64 32-byte Curve25519 key; check the API URL.");
    }
    const sealed = libsodium_wrappers/* default */.Ay.crypto_box_seal(Buffer.from(value, 'utf8'), new Uint8Array(key));
    return Buffer.from(sealed).toString('base64');
}
/**
 * Writes (creates or replaces) an Actions secret. The name and target are checked before any
 * request. Needs a fine-grained token or GitHub App with, on the repository, "Secrets: read and
 * write" (repository secrets) or "Environments: read and write" (environment secrets); on the
 * organisation, "Secrets: read and write" (classic tokens: `repo` / `admin:org`).
 */
async function writeGitHubSecret(input, options) {
    const target = validateTarget(input.target);
    const name = validateSecretName(input.name);
    if (typeof input.value !== 'string' || input.value === '') {
        throw new errors/* AppError */.uV('invalid_input', `No value to write to secret ${name}: GitHub refuses an empty secret.`);
    }
    const context = callContext(target, name);
    const base = await secretsBasePath(target, options, context);
    const keyAnswer = await githubRequest(options, 'GET', `${base}/public-key`, undefined, {
        ...context,
        action: `read the secrets public key of ${describeTarget(target)}`,
    });
    const { key_id: keyId, key } = (keyAnswer.json ?? {});
    if (typeof keyId !== 'string' || typeof key !== 'string') {
        throw new errors/* AppError */.uV('internal', `GitHub's answer for the secrets public key of ${describeTarget(target)} has no key_id and key; check the API URL.`);
    }
    const body = { encrypted_value: await sealSecretValue(input.value, key), key_id: keyId };
    if (target.kind === 'org') {
        body.visibility = target.visibility;
        if (target.selectedRepositoryIds)
            body.selected_repository_ids = target.selectedRepositoryIds;
    }
    const put = await githubRequest(options, 'PUT', `${base}/${name}`, body, context);
    const created = put.status === 201;
    options.logger?.info(`${created ? 'Created' : 'Updated'} GitHub Actions secret ${name} in ${describeTarget(target)}.`);
    return { created, keyId };
}
/** The secrets collection's path; an environment's is addressed by the repository's numeric id. */
async function secretsBasePath(target, options, context) {
    if (target.kind === 'repo')
        return `/repos/${target.owner}/${target.repo}/actions/secrets`;
    if (target.kind === 'org')
        return `/orgs/${target.org}/actions/secrets`;
    const answer = await githubRequest(options, 'GET', `/repos/${target.owner}/${target.repo}`, undefined, {
        ...context,
        action: `look up repository ${target.owner}/${target.repo}`,
        notFoundHelp: `Check the repository name ${target.owner}/${target.repo} and that the token has access to it (GitHub answers 404 for a private repository the token cannot see).`,
    });
    const id = answer.json?.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
        throw new errors/* AppError */.uV('internal', `GitHub's answer for repository ${target.owner}/${target.repo} has no numeric id; check the API URL.`);
    }
    return `/repositories/${id}/environments/${encodeURIComponent(target.environment)}/secrets`;
}
function callContext(target, name) {
    const where = describeTarget(target);
    return {
        action: `write secret ${name} to ${where}`,
        permissionHelp: `A workflow's GITHUB_TOKEN cannot write secrets: use a fine-grained personal access token or a GitHub App installation token with ${permissionFor(target)}, and give it to this step as a secret.`,
        notFoundHelp: notFoundFor(target),
        invalidHelp: `GitHub refused the secret: check the name ${name} (letters, digits and underscores, not starting with a digit or GITHUB_)${target.kind === 'org' ? ' and the visibility and repository ids' : ''}.`,
    };
}
function permissionFor(target) {
    if (target.kind === 'repo')
        return `the repository permission "Secrets: Read and write" on ${target.owner}/${target.repo}`;
    if (target.kind === 'env')
        return `the repository permission "Environments: Read and write" on ${target.owner}/${target.repo}`;
    return `the organisation permission "Secrets: Read and write" on ${target.org} (a classic token needs admin:org)`;
}
function notFoundFor(target) {
    if (target.kind === 'org')
        return `Check the organisation name ${target.org} and that the token belongs to it (GitHub answers 404 when the token cannot see it).`;
    const repo = `${target.owner}/${target.repo}`;
    const env = target.kind === 'env' ? `the environment "${target.environment}" exists in ${repo} (Settings → Environments), ` : '';
    return `Check the repository name ${repo}, that ${env}and that the token has access to it (GitHub answers 404 for what the token cannot see).`;
}

;// CONCATENATED MODULE: ./src/rotation/settings.ts

/**
 * Parses `raw` with `schema`, or throws AppError('invalid_input') naming each bad setting. The
 * schemas' messages state the fix; setting values are never echoed (a command or a path may be
 * sensitive enough not to belong in a log).
 */
function parseSettingsWith(rotator, schema, raw) {
    const result = schema.safeParse(raw);
    if (result.success)
        return result.data;
    const messages = [
        ...new Set(result.error.issues.map((i) => {
            const key = i.path.map(String).join('.');
            return key ? `Setting "${key}" of the ${rotator} rotator: ${i.message}` : `The ${rotator} rotator: ${i.message}`;
        })),
    ];
    throw new errors/* AppError */.uV('invalid_input', messages.join('\n'));
}

;// CONCATENATED MODULE: ./src/rotation/agent-key.ts
/**
 * The `agent-key` rotator: an agent's own key, with an overlap (the old key keeps working for the
 * policy's grace period, so jobs that hold it finish), and, when the key lives in a GitHub secret
 * (the one `ASS_AGENT_KEY` a workflow stores), the new key written there through GitHub's REST API,
 * sealed to the repository's public key. This closes the loop: the one credential kept in CI is
 * itself rotated on a schedule. The secret at the policy's path keeps the key too, versioned.
 */




const schema = schemas/* strictObject */.rej({
    agent: schemas/* string */.YjP({ error: 'give the agent whose key rotates (--agent NAME).' }).min(1).max(64),
    githubSecret: schemas/* string */.YjP()
        .max(300)
        .optional()
        .refine((s) => {
        if (s === undefined)
            return true;
        try {
            parseSecretTarget(s);
            return true;
        }
        catch {
            return false;
        }
    }, { error: 'write it as repo:OWNER/REPO, env:OWNER/REPO:ENVIRONMENT or org:ORG.' }),
    secretName: schemas/* string */.YjP()
        .default('ASS_AGENT_KEY')
        .refine((n) => {
        try {
            validateSecretName(n);
            return true;
        }
        catch {
            return false;
        }
    }, { error: 'a GitHub secret name is letters, digits and _, not starting with a digit or GITHUB_.' }),
    overlapSeconds: schemas/* number */.aig()
        .int()
        .min(0)
        .max(7 * 86_400)
        .default(3600),
});
function agentKeyRotator(deps = {}) {
    const need = () => {
        if (!deps.client)
            throw new RotationStepError('create', 'the agent-key rotator needs the vault client of the rotation run');
        return deps.client;
    };
    return {
        name: 'agent-key',
        parseSettings: (raw) => parseSettingsWith('agent-key', schema, raw),
        async create(ctx) {
            const s = ctx.settings;
            // The path lets a rotator holding only secrets:rotate on it (a pipeline token, the server's own
            // rotator) rotate the key its policy names.
            const rotated = await need().rotateAgentKey(s.agent, s.overlapSeconds, ctx.path);
            ctx.mask(rotated.agentKey);
            ctx.logger.info(`${ctx.path}: agent ${s.agent} has key ${rotated.keyId}; the old key ${rotated.previousKeyId} works until ${rotated.previousKeyUntil ?? 'now'}`);
            return rotated.agentKey;
        },
        async test(ctx, value) {
            const s = ctx.settings;
            const me = await need()
                .withCredential(value)
                .whoami()
                .catch((err) => {
                throw new RotationStepError('test', `the new key of ${s.agent} was refused (${err instanceof Error ? err.message : 'error'})`);
            });
            if (me.kind !== 'agent' || me.name !== s.agent)
                throw new RotationStepError('test', `the new key opens ${me.kind} ${'name' in me ? me.name : ''}, not agent ${s.agent}`);
        },
        async afterFinish(ctx, value) {
            const s = ctx.settings;
            if (!s.githubSecret)
                return;
            const token = deps.githubToken ?? ctx.env.ASS_GITHUB_TOKEN;
            const target = parseSecretTarget(s.githubSecret);
            if (!token) {
                throw new RotationStepError('after', `the new key could not be written to the GitHub secret ${s.secretName} (${describeTarget(target)}): no GitHub token`, 'give a token with "Secrets: write" (the github-token input, or ASS_GITHUB_TOKEN); the old key works until its overlap ends');
            }
            await writeGitHubSecret({ target, name: s.secretName, value }, {
                token,
                ...(deps.githubApiUrl ? { apiUrl: deps.githubApiUrl } : {}),
                ...(deps.fetch ? { fetch: deps.fetch } : {}),
                logger: ctx.logger,
            });
            ctx.logger.info(`${ctx.path}: wrote the new key to the GitHub secret ${s.secretName} (${describeTarget(target)})`);
        },
    };
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/rotation/command.ts
/**
 * The `command` rotator: the operator's own scripts make, test and revoke a value
 * (`./scripts/create-gemini-key.sh`), for providers the built-in rotators do not know.
 *
 * The settings are trusted operator input: `command`, `testCommand` and `revokeCommand` run
 * through `/bin/sh -c` with the rotation's environment, exactly as written in the rotation policy.
 * Whoever may set a policy may therefore run code where rotations run; guard `ass rotation set`
 * accordingly.
 *
 * Values cross only through pipes: the new value is the create command's stdout, and the test and
 * revoke commands read their value from stdin. Not argv, which every local user can read in
 * /proc/<pid>/cmdline and `ps`; not the environment, which child processes inherit and debugging
 * output (`env`, `set -x`, crash reports) tends to print. Stdout is never echoed; stderr goes to
 * the logger line by line, with the value masked and cut out first.
 */





/** The most stdout kept from a command: a value, not a dump. */
const MAX_STDOUT_BYTES = 1024 * 1024;
/** The most stderr logged per command; more is cut (a runaway script should not flood the log). */
const MAX_STDERR_BYTES = 64 * 1024;
/** Shorter lines of a multi-line value are not cut from logs: they would blank out ordinary words. */
const MIN_MASKED_LINE = 4;
const commandField = (example) => schemas/* string */.YjP({ error: `give the command as text, such as ${example}.` })
    .min(1, { error: `give a command, such as ${example}.` })
    .max(4096, { error: 'keep the command under 4096 characters; put longer logic in a script.' })
    .refine((s) => !s.includes('\u0000'), { error: 'remove the NUL character from the command.' });
const TIMEOUT_FIX = 'give a whole number of seconds from 1 to 3600, such as 300.';
const command_schema = schemas/* strictObject */.rej({
    command: commandField('./scripts/create-gemini-key.sh'),
    testCommand: commandField('./scripts/test-gemini-key.sh').optional(),
    revokeCommand: commandField('./scripts/revoke-gemini-key.sh').optional(),
    timeoutSeconds: schemas/* number */.aig({ error: TIMEOUT_FIX })
        .int({ error: TIMEOUT_FIX })
        .min(1, { error: TIMEOUT_FIX })
        .max(3600, { error: TIMEOUT_FIX })
        .default(300),
    cwd: schemas/* string */.YjP({ error: 'give the working directory as a path.' })
        .min(1, { error: 'give a working directory, or leave cwd out.' })
        .optional(),
}, { error: 'unknown setting; the command rotator takes command, testCommand, revokeCommand, timeoutSeconds and cwd.' });
/**
 * Runs `command` with `/bin/sh -c` in its own process group, so that a timeout or an abort stops
 * the whole script (its `sleep`s and `curl`s too), not only the shell. Resolves once every pipe
 * has closed; rejects only when the command could not start.
 */
function run(command, o) {
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)('/bin/sh', ['-c', command], {
            cwd: o.cwd,
            env: o.env,
            stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
            detached: true,
        });
        const stdout = [];
        const stderr = [];
        let stdoutBytes = 0;
        let stderrBytes = 0;
        let stopped;
        let graceTimer;
        const killGroup = (signal) => {
            try {
                if (child.pid !== undefined)
                    process.kill(-child.pid, signal);
            }
            catch {
                // Already gone.
            }
        };
        const stop = (why, hard = false) => {
            if (stopped)
                return;
            stopped = why;
            killGroup(hard ? 'SIGKILL' : 'SIGTERM');
            if (!hard)
                graceTimer = setTimeout(() => killGroup('SIGKILL'), o.killGraceMs);
        };
        const timer = setTimeout(() => stop('timeout'), o.timeoutMs);
        const onAbort = () => stop('aborted');
        o.signal?.addEventListener('abort', onAbort, { once: true });
        child.stdout.on('data', (chunk) => {
            stdoutBytes += chunk.length;
            if (stdoutBytes > MAX_STDOUT_BYTES)
                stop('too-much-output', true);
            else
                stdout.push(chunk);
        });
        child.stderr.on('data', (chunk) => {
            if (stderrBytes < MAX_STDERR_BYTES)
                stderr.push(chunk.subarray(0, MAX_STDERR_BYTES - stderrBytes));
            stderrBytes += chunk.length;
        });
        if (child.stdin) {
            // A command that exits without reading its stdin closes the pipe under us (EPIPE): its exit
            // code decides, not the write.
            child.stdin.on('error', () => { });
            child.stdin.end(o.stdin);
        }
        const finish = () => {
            clearTimeout(timer);
            clearTimeout(graceTimer);
            o.signal?.removeEventListener('abort', onAbort);
        };
        child.on('error', (err) => {
            finish();
            reject(err);
        });
        child.on('close', (code) => {
            finish();
            // The shell may be gone while something it started in the background still runs.
            if (stopped)
                killGroup('SIGKILL');
            resolve({
                stdout: Buffer.concat(stdout).toString('utf8'),
                stderr: Buffer.concat(stderr).toString('utf8') + (stderrBytes > MAX_STDERR_BYTES ? '\n(more stderr cut)' : ''),
                code,
                ...(stopped ? { stopped } : {}),
            });
        });
    });
}
/** The strings to cut from anything logged: the value and each of its longer lines. */
function secretsOf(value) {
    const lines = value.split(/\r?\n/).filter((l) => l.trim().length >= MIN_MASKED_LINE);
    return [...new Set([value, value.trim(), ...lines, ...lines.map((l) => l.trim())])]
        .filter((s) => s.length > 0)
        .sort((a, b) => b.length - a.length);
}
function cut(text, secrets) {
    let out = text;
    for (const s of secrets)
        out = out.split(s).join('***');
    return out;
}
/** Logs a command's stderr line by line, each with its origin and every secret cut out. */
function logStderr(ctx, label, stderr, secrets) {
    const clean = cut(stderr, secrets);
    for (const line of clean.split(/\r?\n/))
        if (line.trim())
            ctx.logger.info(`${label}: ${(0,core_text/* oneLine */.TN)(line)}`);
}
/** The value a create command printed: its stdout without one trailing newline. */
function valueFromStdout(stdout) {
    if (stdout.endsWith('\r\n'))
        return stdout.slice(0, -2);
    if (stdout.endsWith('\n'))
        return stdout.slice(0, -1);
    return stdout;
}
const LABEL = { create: 'command', test: 'testCommand', revoke: 'revokeCommand', after: 'command' };
/** The error for a command that did not succeed; its stderr is already in the log. */
function failure(step, r, timeoutSeconds) {
    const name = LABEL[step];
    if (r.stopped === 'timeout') {
        return new RotationStepError(step, `The ${name} did not finish within ${timeoutSeconds} s and was stopped.`, 'Make it finish sooner, or raise the setting timeoutSeconds.');
    }
    if (r.stopped === 'aborted')
        return new RotationStepError(step, `The ${name} was stopped because the rotation was cancelled.`);
    if (r.stopped === 'too-much-output') {
        return new RotationStepError(step, `The ${name} printed more than ${MAX_STDOUT_BYTES} bytes on stdout and was stopped.`, 'Print only the new value on stdout; send progress messages to stderr.');
    }
    if (r.code !== 0) {
        return new RotationStepError(step, `The ${name} exited with code ${r.code ?? 'unknown'} (its stderr, masked, is in the log above).`, step === 'test'
            ? 'The new value was not promoted. Fix the cause and rotate again.'
            : 'Fix the cause and rotate again; make the command safe to rerun.');
    }
    return undefined;
}
/** The `command` rotator. */
function commandRotator(deps = {}) {
    const killGraceMs = deps.killGraceMs ?? 5000;
    const settingsOf = (ctx) => command_schema.parse(ctx.settings);
    /** Runs one of the policy's commands for `step`; turns a failure to start into a step error. */
    async function runStep(ctx, step, command, stdin) {
        const s = settingsOf(ctx);
        ctx.signal?.throwIfAborted();
        try {
            return await run(command, {
                cwd: s.cwd,
                // Never the value: it goes through stdin.
                env: { ...withoutVaultCredentials(ctx.env), ASS_ROTATION_PATH: ctx.path, ASS_ROTATION_ID: ctx.rotationId },
                stdin,
                timeoutMs: s.timeoutSeconds * 1000,
                killGraceMs,
                signal: ctx.signal,
            });
        }
        catch (err) {
            const code = err.code;
            throw new RotationStepError(step, `The ${LABEL[step]} could not start${typeof code === 'string' ? ` (${code})` : ''}.`, code === 'ENOENT' && s.cwd
                ? 'The working directory (setting cwd) does not exist; fix or remove it.'
                : 'Check that /bin/sh exists and the setting cwd.');
        }
    }
    /** Runs a command that gets `value` on stdin (test, revoke). */
    async function runWithValue(ctx, step, command, value) {
        ctx.mask(value);
        const r = await runStep(ctx, step, command, value);
        const secrets = secretsOf(value);
        // Its stdout is not the value, but nothing promises it is not secret either: cut and log it like stderr.
        logStderr(ctx, LABEL[step], `${r.stdout}\n${r.stderr}`, secrets);
        const err = failure(step, r, settingsOf(ctx).timeoutSeconds);
        if (err)
            throw err;
    }
    return {
        name: 'command',
        parseSettings: (raw) => parseSettingsWith('command', command_schema, raw),
        /** Rerun safety is the command's own: it gets ASS_ROTATION_ID to recognise a rerun. */
        async create(ctx) {
            const s = settingsOf(ctx);
            const r = await runStep(ctx, 'create', s.command, undefined);
            // Mask before anything is logged, even when the command failed: stdout may hold a partial value.
            const value = valueFromStdout(r.stdout);
            const secrets = secretsOf(value);
            for (const secret of secrets)
                ctx.mask(secret);
            logStderr(ctx, LABEL.create, r.stderr, secrets);
            const err = failure('create', r, s.timeoutSeconds);
            if (err)
                throw err;
            if (value.trim() === '') {
                throw new RotationStepError('create', 'The command printed nothing on stdout.', 'Make the command print the new value (and only it) on stdout; send messages to stderr.');
            }
            return value;
        },
        async test(ctx, value) {
            const s = settingsOf(ctx);
            if (!s.testCommand) {
                ctx.logger.info('No testCommand is set: the new value is promoted untested.');
                return;
            }
            await runWithValue(ctx, 'test', s.testCommand, value);
        },
        async revoke(ctx, previous) {
            const s = settingsOf(ctx);
            if (!s.revokeCommand) {
                ctx.logger.info('No revokeCommand is set: the previous value stays valid at its provider.');
                return;
            }
            await runWithValue(ctx, 'revoke', s.revokeCommand, previous);
        },
    };
}
/**
 * The rotation's environment without the credentials of the run itself (the vault token or agent
 * key, the GitHub token, a master key or database URL): a script makes a value at its provider and
 * needs none of them.
 */
function withoutVaultCredentials(env) {
    const out = {};
    for (const [k, v] of Object.entries(env)) {
        if (/^(ASS_TOKEN|ASS_AGENT_KEY|ASS_GITHUB_TOKEN|ASS_MASTER_KEY.*|ASS_DATABASE_URL|GITHUB_TOKEN)$/.test(k))
            continue;
        out[k] = v;
    }
    return out;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
// EXTERNAL MODULE: ./src/core/paths.ts
var core_paths = __webpack_require__(6107);
;// CONCATENATED MODULE: ./src/rotation/postgres.ts
/**
 * The `postgres` rotator, with AWS's "alternating users" strategy: the secret is a connection
 * string for one of two login roles with the same privileges. Each rotation sets a new password on
 * the role the current value does NOT use, so the current value keeps working through the grace
 * period while clients pick up the new one; nothing ever changes the password of a role in use.
 *
 * Passwords are set through an admin connection string kept in another secret (`adminSecret`),
 * whose role needs CREATEROLE (PostgreSQL 16 and later: CREATEROLE plus ADMIN OPTION on both
 * roles) or superuser. The password reaches the server as a SCRAM-SHA-256 verifier computed here,
 * as psql's `\password` does, so even a server that logs DDL (`log_statement = 'ddl'`) never
 * writes the password itself to its log.
 */








/** A plain, unquoted PostgreSQL identifier (what `CREATE ROLE app_a` makes). */
const IDENTIFIER = /^[a-z_][a-z0-9_$]{0,62}$/;
const roleField = schemas/* string */.YjP().regex(IDENTIFIER, {
    error: 'give two existing login roles as plain lowercase identifiers (letters, digits, _), such as ["app_a", "app_b"].',
});
const PORT_FIX = 'give a TCP port from 1 to 65535, such as 5432.';
const postgres_schema = schemas/* strictObject */.rej({
    adminSecret: schemas/* string */.YjP({ error: 'give the vault path of the secret that holds the admin connection string, such as production/db/admin.' })
        .refine(isSecretPath, {
        error: 'give the vault path of the secret that holds the admin connection string, such as production/db/admin.',
    }),
    roles: schemas/* tuple */.PVZ([roleField, roleField], {
        error: 'give exactly two existing login roles with the same privileges, such as ["app_a", "app_b"].',
    })
        .refine(([a, b]) => a !== b, { error: 'the two roles must differ: alternating needs two roles, such as ["app_a", "app_b"].' }),
    database: schemas/* string */.YjP()
        .regex(/^[^\s/?#%]{1,63}$/, { error: 'give a database name without spaces, "/", "?", "#" or "%", such as app.' })
        .optional(),
    host: schemas/* string */.YjP()
        .regex(/^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]+\])$/, { error: 'give a host name or address, such as db.internal or [::1].' })
        .optional(),
    port: schemas/* number */.aig({ error: PORT_FIX }).int({ error: PORT_FIX }).min(1, { error: PORT_FIX }).max(65535, { error: PORT_FIX }).optional(),
}, { error: 'unknown setting; the postgres rotator takes adminSecret, roles, database, host and port.' });
function isSecretPath(text) {
    try {
        (0,core_paths/* parseSecretPath */.TK)(text);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802, RFC 7677): the server
 * recognises this form in `ALTER ROLE ... PASSWORD` and keeps it as given. The passwords made here
 * are ASCII, for which SASLprep changes nothing.
 */
function scramVerifier(password, salt, iterations = 4096) {
    const salted = (0,external_node_crypto_.pbkdf2Sync)(password, salt, iterations, 32, 'sha256');
    const clientKey = (0,external_node_crypto_.createHmac)('sha256', salted).update('Client Key').digest();
    const storedKey = (0,external_node_crypto_.createHash)('sha256').update(clientKey).digest();
    const serverKey = (0,external_node_crypto_.createHmac)('sha256', salted).update('Server Key').digest();
    return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
/** A connection string as messages may show it: `postgres://user:****@host:port/db`, nothing after. */
function redactConnectionString(url) {
    const user = url.username ? `${decodeURIComponent(url.username)}:****@` : '';
    return (0,core_text/* oneLine */.TN)(`${url.protocol}//${user}${url.host}${url.pathname}`);
}
/** Replaces every known secret (and any `user:password@` in a URL) in text from PostgreSQL or a driver. */
function scrub(text, secrets) {
    let out = text;
    for (const s of secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length))
        out = out.split(s).join('****');
    return (0,core_text/* oneLine */.TN)(out.replace(/(\/\/[^:/@\s]*):[^@\s]*@/g, '$1:****@'));
}
/** Parses a connection string; the error says which one failed, never its text. */
function parseUrl(text, step, what, fix) {
    let url;
    try {
        url = new URL(text);
    }
    catch { }
    if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
        throw new RotationStepError(step, `${what} is not a postgres:// connection string.`, fix);
    }
    return url;
}
const userOf = (url) => decodeURIComponent(url.username);
/** What a rotation needs from one connection string besides the URL: its secrets, for scrubbing. */
function postgres_secretsOf(text, url) {
    return [text, url.password, decodeURIComponent(url.password)];
}
/** Turns a failure of the driver or the server into a step error with the fix; never a value. */
function explain(err, where) {
    if (err instanceof RotationStepError)
        return err;
    const shown = redactConnectionString(where.target);
    const code = err.code;
    const role = where.role ? (0,core_text/* quoteName */.AB)(where.role) : 'the role';
    switch (code) {
        case '28P01':
        case '28000':
            return new RotationStepError(where.step, `PostgreSQL refused the login for ${shown}.`, where.authFix);
        case '3D000':
            return new RotationStepError(where.step, `The database in ${shown} does not exist.`, 'Set the rotation setting "database" to an existing database, or fix the database in the connection string.');
        case '42501':
            return new RotationStepError(where.step, `Permission denied: ${(0,core_text/* quoteName */.AB)(userOf(where.target))} may not change the password of ${role}.`, 'Use an admin connection string whose role has CREATEROLE (on PostgreSQL 16 and later also ADMIN OPTION on both roles, which the role that created them has) or is a superuser.');
        case '42704':
            return missingRole(where.step, where.role ?? '?');
        case 'ECONNREFUSED':
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
        case 'EHOSTUNREACH':
        case 'ETIMEDOUT':
        case 'ECONNRESET':
            return new RotationStepError(where.step, `Could not reach PostgreSQL at ${shown} (${code}).`, 'Check the host and port (the settings "host" and "port" override them) and that this machine can reach the server.');
    }
    const detail = scrub((0,errors/* errorMessage */.gJ)(err), where.secrets);
    return new RotationStepError(where.step, `PostgreSQL failed at ${shown}${typeof code === 'string' ? ` (${code})` : ''}: ${detail}`, 'Fix the cause above and rotate again; rerunning is safe.');
}
function missingRole(step, role) {
    return new RotationStepError(step, `The role ${(0,core_text/* quoteName */.AB)(role)} does not exist.`, `Create it with the same privileges as the other role (CREATE ROLE ${role} LOGIN; then the same GRANTs), or fix "roles" in the rotation policy.`);
}
/** Runs `work` on a fresh connection and always closes it. */
async function withClient(connectionString, timeoutMs, work, opts = {}) {
    const client = new esm/* default.Client */.Ay.Client({
        connectionString,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: 30_000,
        application_name: 'ass-rotation',
    });
    // A dropped connection is also reported by the pending query; without a listener the process would crash.
    client.on('error', () => { });
    if (opts.scramOnly) {
        // The new password proves itself with SCRAM only, which never shows it to the server: a server
        // that asks for it in clear or as MD5 (a host someone put into a connection string to catch it)
        // gets nothing. pg binds these handlers when it connects, so overriding them here takes effect.
        const refuse = (method) => () => {
            client.connection.stream.destroy(new Error(`the server asked for the password by ${method}; only SCRAM-SHA-256 is allowed for a new password`));
        };
        Object.assign(client, { _handleAuthCleartextPassword: refuse('cleartext'), _handleAuthMD5Password: refuse('MD5') });
    }
    try {
        await client.connect();
        return await work(client);
    }
    finally {
        await client.end().catch(() => { });
    }
}
/** Checks the role exists and may log in, so the failure names the fix rather than a later login error. */
async function checkRole(client, role, step) {
    const found = await client.query('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [role]);
    if (found.rows.length === 0)
        throw missingRole(step, role);
    if (!found.rows[0].rolcanlogin) {
        throw new RotationStepError(step, `The role ${(0,core_text/* quoteName */.AB)(role)} cannot log in.`, `Allow it: ALTER ROLE ${role} LOGIN;`);
    }
}
/**
 * ALTER ROLE takes no bind parameters, so the statement is built with pg's escaping; what it
 * carries is the SCRAM verifier, not the password, and nothing here logs it.
 */
async function setPassword(client, role, password, randomBytes) {
    const verifier = scramVerifier(password, randomBytes(16));
    await client.query(`ALTER ROLE ${esm/* default.escapeIdentifier */.Ay.escapeIdentifier(role)} PASSWORD ${esm/* default.escapeLiteral */.Ay.escapeLiteral(verifier)}`);
}
/** 43 URL-safe characters (256 bits): no quoting needed in a connection string. */
const newPassword = (randomBytes) => randomBytes(32).toString('base64url');
/** The role the next value uses: the one the current value does not (ROLE_A when there is none). */
function nextRole(roles, current, path) {
    if (!current)
        return roles[0];
    const user = userOf(current);
    if (user === roles[0])
        return roles[1];
    if (user === roles[1])
        return roles[0];
    throw new RotationStepError('create', `The current value of ${path} connects as ${(0,core_text/* quoteName */.AB)(user)}, which is neither of the rotation's roles ${(0,core_text/* quoteName */.AB)(roles[0])} and ${(0,core_text/* quoteName */.AB)(roles[1])}.`, 'Put the role the current value uses into "roles" (with a second role), or store a connection string for the first role as the current value.');
}
/** The new value: the base's scheme, host, port, database and options, with overrides and the new credentials. */
function connectionStringFor(base, role, password, s) {
    const url = new URL(base.href);
    url.username = encodeURIComponent(role);
    url.password = password;
    if (s.host)
        url.hostname = s.host;
    if (s.port)
        url.port = String(s.port);
    if (s.database)
        url.pathname = `/${encodeURIComponent(s.database)}`;
    return url.href;
}
async function readAdmin(ctx, s, step) {
    let text;
    try {
        text = await ctx.readSecret(s.adminSecret);
    }
    catch (err) {
        throw new RotationStepError(step, `Could not read the admin secret ${s.adminSecret}: ${scrub((0,errors/* errorMessage */.gJ)(err), [])}`, 'Store the admin connection string at that path and give the rotation read access to it (scope secrets:read on the path).');
    }
    const url = parseUrl(text, step, `The admin secret ${s.adminSecret}`, 'Store a connection string such as postgres://admin:…@host:5432/app there.');
    return { text, url };
}
/** Sets a new password nobody else knows on `role` through the admin connection. */
async function resetPassword(admin, role, password, step, deps, extraSecrets) {
    if (userOf(admin.url) === role) {
        throw new RotationStepError(step, `The admin secret connects as ${(0,core_text/* quoteName */.AB)(role)}, one of the rotated roles; changing its password would lock the rotation out.`, 'Use a separate admin role for the admin secret.');
    }
    const secrets = [password, ...postgres_secretsOf(admin.text, admin.url), ...extraSecrets];
    try {
        await withClient(admin.text, deps.connectTimeoutMs, async (client) => {
            await checkRole(client, role, step);
            await setPassword(client, role, password, deps.randomBytes);
        });
    }
    catch (err) {
        throw explain(err, {
            step,
            target: admin.url,
            role,
            secrets,
            authFix: 'Update the admin secret with a working admin connection string.',
        });
    }
}
/** The `postgres` rotator (alternating roles). */
function postgresRotator(options = {}) {
    const deps = { randomBytes: options.randomBytes ?? external_node_crypto_.randomBytes, connectTimeoutMs: options.connectTimeoutMs ?? 10_000 };
    const settingsOf = (ctx) => postgres_schema.parse(ctx.settings);
    const currentUrl = (ctx, step) => ctx.current
        ? parseUrl(ctx.current.value, step, `The current value of ${ctx.path}`, 'Store a postgres:// connection string for one of the two roles as the current value.')
        : undefined;
    return {
        name: 'postgres',
        usesCurrent: true,
        parseSettings: (raw) => parseSettingsWith('postgres', postgres_schema, raw),
        /** Safe to repeat: a rerun sets yet another password on the same (unused) role. */
        async create(ctx) {
            const s = settingsOf(ctx);
            ctx.signal?.throwIfAborted();
            const admin = await readAdmin(ctx, s, 'create');
            const current = currentUrl(ctx, 'create');
            const role = nextRole(s.roles, current, ctx.path);
            const password = newPassword(deps.randomBytes);
            ctx.mask(password);
            // Host, port and database come from the admin connection (or the policy), never from the
            // current value: whoever can write the secret must not choose where the new password goes.
            const value = connectionStringFor(admin.url, role, password, s);
            ctx.mask(value);
            await resetPassword(admin, role, password, 'create', deps, current && ctx.current ? postgres_secretsOf(ctx.current.value, current) : []);
            ctx.logger.info(`Set a new password on role ${(0,core_text/* quoteName */.AB)(role)}; the other role keeps its password until the grace period ends.`);
            return value;
        },
        async test(ctx, value) {
            const s = settingsOf(ctx);
            const url = parseUrl(value, 'test', 'The new value', 'Rotate again; the rotator made a value it cannot parse.');
            const expected = userOf(url);
            if (!s.roles.includes(expected)) {
                throw new RotationStepError('test', `The new value connects as ${(0,core_text/* quoteName */.AB)(expected)}, which is neither of the rotation's roles.`);
            }
            ctx.signal?.throwIfAborted();
            let actual;
            try {
                actual = await withClient(value, deps.connectTimeoutMs, async (client) => {
                    const result = await client.query('SELECT current_user AS "user"');
                    return result.rows[0]?.user;
                }, { scramOnly: true });
            }
            catch (err) {
                throw explain(err, {
                    step: 'test',
                    target: url,
                    role: expected,
                    secrets: postgres_secretsOf(value, url),
                    authFix: 'The password just set was not accepted: check that pg_hba.conf allows this role with scram-sha-256 (or md5) and that the admin secret points at the same server as the connection string.',
                });
            }
            if (actual !== expected) {
                throw new RotationStepError('test', `Connected with the new value as ${(0,core_text/* quoteName */.AB)(actual ?? '?')} instead of ${(0,core_text/* quoteName */.AB)(expected)}.`, 'Check for a login hook or pooler that maps roles, and point the connection string straight at the server.');
            }
        },
        /**
         * Hardening, not a requirement of the strategy (the next rotation resets this role anyway):
         * once the grace period is over, the previous role gets a random password that is neither
         * returned nor stored, so a leaked copy of the old connection string stops working. Sessions
         * already open stay open until they disconnect; PostgreSQL checks passwords only at login.
         */
        async revoke(ctx, previous) {
            const s = settingsOf(ctx);
            const prev = parseUrl(previous, 'revoke', 'The previous value', 'Nothing to revoke: it was not a connection string.');
            const role = userOf(prev);
            if (!s.roles.includes(role)) {
                throw new RotationStepError('revoke', `The previous value connects as ${(0,core_text/* quoteName */.AB)(role)}, which is neither of the rotation's roles; its password is left alone.`, "Change that role's password by hand if the old connection string must stop working.");
            }
            const current = currentUrl(ctx, 'revoke');
            if (current && userOf(current) === role) {
                throw new RotationStepError('revoke', `The previous and the current value both connect as ${(0,core_text/* quoteName */.AB)(role)}; resetting its password would cut off the current value.`, 'Nothing to do now: the next rotation moves the secret to the other role.');
            }
            ctx.signal?.throwIfAborted();
            const admin = await readAdmin(ctx, s, 'revoke');
            const unknown = newPassword(deps.randomBytes);
            ctx.mask(unknown);
            await resetPassword(admin, role, unknown, 'revoke', deps, postgres_secretsOf(previous, prev));
            ctx.logger.info(`Reset the password of role ${(0,core_text/* quoteName */.AB)(role)}: the previous connection string no longer logs in.`);
        },
    };
}

;// CONCATENATED MODULE: ./src/rotation/random.ts
/**
 * The `random` rotator: a new value from the operating system's CSPRNG, for secrets the vault can
 * simply replace (webhook signing secrets, session keys, internal API keys). Nothing outside the
 * vault needs to change, so there is no provider to call and nothing to revoke.
 */




const ALPHABETS = {
    alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
    hex: '0123456789abcdef',
    base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
};
const MIN_LENGTH = 16;
const MAX_LENGTH = 4096;
const MAX_PREFIX_LENGTH = 64;
const random_schema = schemas/* strictObject */.rej({
    length: schemas/* number */.aig({ error: `give a whole number of characters from ${MIN_LENGTH} to ${MAX_LENGTH}, such as 32.` })
        .int({ error: `give a whole number of characters from ${MIN_LENGTH} to ${MAX_LENGTH}, such as 32.` })
        .min(MIN_LENGTH, { error: `use at least ${MIN_LENGTH} characters; fewer is guessable.` })
        .max(MAX_LENGTH, { error: `use at most ${MAX_LENGTH} characters.` })
        .default(32),
    alphabet: schemas/* enum */.k5n(Object.keys(ALPHABETS), {
        error: 'use one of alphanumeric (the default), hex or base64url.',
    })
        .default('alphanumeric'),
    prefix: schemas/* string */.YjP({ error: 'give the prefix as text, such as whsec_.' })
        .max(MAX_PREFIX_LENGTH, { error: `keep the prefix to ${MAX_PREFIX_LENGTH} characters or fewer.` })
        // No spaces or control characters: the value must survive env files, headers and shell quoting.
        .regex(/^[\x21-\x7e]*$/, { error: 'use printable ASCII without spaces in the prefix, such as whsec_.' })
        .default(''),
}, { error: 'unknown setting; the random rotator takes length, alphabet and prefix.' });
/**
 * `length` characters drawn uniformly from `alphabet` (at most 256 characters). Bytes at or above
 * the largest multiple of the alphabet's size are thrown away rather than folded in with `%`, which
 * would make the first characters more likely (62 does not divide 256).
 */
function randomString(length, alphabet, randomBytes = external_node_crypto_.randomBytes) {
    if (alphabet.length < 2 || alphabet.length > 256)
        throw new RangeError('alphabet must have 2 to 256 characters');
    const limit = 256 - (256 % alphabet.length);
    let out = '';
    while (out.length < length) {
        // A little more than needed, so one draw usually suffices even with rejections.
        for (const byte of randomBytes(Math.ceil((length - out.length) * 1.1) + 8)) {
            if (byte >= limit)
                continue;
            out += alphabet[byte % alphabet.length];
            if (out.length === length)
                break;
        }
    }
    return out;
}
/** Checks `value` has the shape the settings ask for: catches a value that was cut or altered on the way. */
function checkShape(value, s) {
    const body = value.slice(s.prefix.length);
    const alphabet = ALPHABETS[s.alphabet];
    if (!value.startsWith(s.prefix) || body.length !== s.length || [...body].some((c) => !alphabet.includes(c))) {
        throw new RotationStepError('test', `The new value does not have the configured shape (${s.length} ${s.alphabet} characters after the prefix).`, 'Rotate again; if it fails again, check that nothing rewrites values between the rotator and the vault.');
    }
}
/** The `random` rotator; `randomBytes` is injectable for tests of the sampling itself. */
function randomRotator(deps = {}) {
    const randomBytes = deps.randomBytes ?? external_node_crypto_.randomBytes;
    const settingsOf = (ctx) => random_schema.parse(ctx.settings);
    return {
        name: 'random',
        parseSettings: (raw) => parseSettingsWith('random', random_schema, raw),
        async create(ctx) {
            const s = settingsOf(ctx);
            const value = s.prefix + randomString(s.length, ALPHABETS[s.alphabet], randomBytes);
            ctx.mask(value);
            return value;
        },
        async test(ctx, value) {
            checkShape(value, settingsOf(ctx));
        },
    };
}

;// CONCATENATED MODULE: ./src/rotation/registry.ts
/**
 * Which code rotates a policy's secret. The rotation loop (CLI, action, server) asks here by the
 * name stored in the policy, so adding a rotator means one line below and no change there.
 */







const FACTORIES = {
    random: (deps) => randomRotator(deps.randomBytes ? { randomBytes: deps.randomBytes } : {}),
    postgres: (deps) => postgresRotator(deps),
    command: (deps) => commandRotator(deps),
    'agent-key': (deps) => agentKeyRotator(deps),
};
/**
 * The rotator called `name`. Throws AppError('invalid_input') for a name that is not a rotator,
 * and for one this build does not include yet, naming the ones it has.
 */
function rotatorFor(name, deps = {}) {
    const available = model/* ROTATORS */.XO.filter((r) => FACTORIES[r] !== undefined).join(', ');
    if (!model/* ROTATORS */.XO.includes(name)) {
        throw new errors/* AppError */.uV('invalid_input', `There is no rotator called ${(0,core_text/* quoteName */.AB)(name)}; use one of ${available}.`);
    }
    const factory = FACTORIES[name];
    if (!factory) {
        throw new errors/* AppError */.uV('invalid_input', `The ${name} rotator is not available in this version yet; use one of ${available}.`);
    }
    return factory(deps);
}

// EXTERNAL MODULE: ./src/actions/common/exchange.ts
var exchange = __webpack_require__(2448);
// EXTERNAL MODULE: ./src/actions/common/logger.ts
var logger = __webpack_require__(4425);
// EXTERNAL MODULE: ./src/actions/common/stage.ts
var stage = __webpack_require__(3955);
// EXTERNAL MODULE: ./src/actions/fetch/masking.ts
var masking = __webpack_require__(8256);
// EXTERNAL MODULE: ./src/core/credentials.ts
var credentials = __webpack_require__(2633);
// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
// EXTERNAL MODULE: ./src/core/scopes.ts
var scopes = __webpack_require__(1074);
// EXTERNAL MODULE: ./src/actions/common/inputs.ts
var inputs = __webpack_require__(9120);
// EXTERNAL MODULE: ./src/actions/fetch/config.ts
var config = __webpack_require__(6816);
// EXTERNAL MODULE: ./src/actions/rotate/constants.ts
var constants = __webpack_require__(3506);
;// CONCATENATED MODULE: ./src/actions/rotate/config.ts









const config_schema = schemas/* object */.Ikc({
    [constants/* INPUT */.bO.url]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.url, inputs/* parseVaultUrl */.LH),
    [constants/* INPUT */.bO.agentKey]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.agentKey, (v) => {
        const text = v.trim();
        if (text === '')
            throw new Error('Input "agent-key" is required: pass it from a secret, such as agent-key: ${{ secrets.ASS_AGENT_KEY }}.');
        if ((0,credentials/* parseCredential */.nx)(text)?.kind !== 'agent') {
            throw new Error('Input "agent-key" is not an agent key (ass_a_ followed by 65 letters and digits); pass the key printed by `ass agents create`.');
        }
        return text;
    }),
    [constants/* INPUT */.bO.paths]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.paths, (v) => {
        const paths = v
            .split(/[\n,]/)
            .map((s) => s.trim())
            .filter((s) => s !== '' && !s.startsWith('#'))
            .map((s) => (0,core_paths/* parseSecretPath */.TK)(s, 'path in input "paths"'));
        return [...new Set(paths)];
    }),
    [constants/* INPUT */.bO.dryRun]: (0,inputs/* booleanField */.hQ)(constants/* INPUT */.bO.dryRun, false),
    [constants/* INPUT */.bO.allowCommands]: (0,inputs/* booleanField */.hQ)(constants/* INPUT */.bO.allowCommands, false),
    [constants/* INPUT */.bO.githubToken]: schemas/* string */.YjP(),
    [constants/* INPUT */.bO.audience]: schemas/* string */.YjP(),
    [constants/* INPUT */.bO.scopes]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.scopes, (v) => v
        .split(/[\s,]+/)
        .filter((s) => s !== '')
        .map((s) => {
        (0,scopes/* parseScope */.Sk)(s);
        return s;
    })),
    [constants/* INPUT */.bO.ttl]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.ttl, (v) => {
        const seconds = (0,duration/* parseDuration */.E)(v.trim() === '' ? '15m' : v.trim(), 'input "ttl"');
        if (seconds < 60 || seconds > 6 * 3600)
            throw new Error('Input "ttl" must be between 1m and 6h.');
        return seconds;
    }),
    [constants/* INPUT */.bO.failOnError]: (0,inputs/* booleanField */.hQ)(constants/* INPUT */.bO.failOnError, true),
    [constants/* INPUT */.bO.caCert]: (0,inputs/* inputField */.LF)(constants/* INPUT */.bO.caCert, (v) => (0,config/* parseCaCert */.CH)(v)),
});
/**
 * The scopes a rotation needs: rotate (begin, put pending, finish) and read (the current value the
 * rotator is given) on each path, or on everything when the run takes whatever is due. The vault
 * refuses an exchange that asks for more than the agent holds; it does not narrow the request.
 */
function defaultScopes(paths) {
    const targets = paths.length > 0 ? paths : ['*'];
    return targets.flatMap((p) => [`secrets:rotate:${p}`, `secrets:read:${p}`]);
}
/**
 * Reads every input once and returns the typed config, or throws one AppError('invalid_input')
 * listing every bad input with its fix. No input value is echoed but the non-secret ones.
 */
function parseConfig(getInput) {
    const raw = {};
    for (const name of Object.values(constants/* INPUT */.bO))
        raw[name] = getInput(name) ?? '';
    const result = config_schema.safeParse(raw);
    if (!result.success) {
        const messages = [...new Set(result.error.issues.map((i) => i.message))];
        throw new errors/* AppError */.uV('invalid_input', messages.join('\n'));
    }
    const r = result.data;
    const paths = r[constants/* INPUT */.bO.paths];
    const scopes = r[constants/* INPUT */.bO.scopes].length > 0 ? r[constants/* INPUT */.bO.scopes] : defaultScopes(paths);
    return {
        url: r[constants/* INPUT */.bO.url],
        agentKey: r[constants/* INPUT */.bO.agentKey],
        paths,
        dryRun: r[constants/* INPUT */.bO.dryRun],
        allowCommands: r[constants/* INPUT */.bO.allowCommands],
        githubToken: r[constants/* INPUT */.bO.githubToken].trim() || undefined,
        audience: r[constants/* INPUT */.bO.audience].trim() || r[constants/* INPUT */.bO.url],
        scopes,
        ttlSeconds: r[constants/* INPUT */.bO.ttl],
        failOnError: r[constants/* INPUT */.bO.failOnError],
        caCert: r[constants/* INPUT */.bO.caCert],
    };
}

// EXTERNAL MODULE: ./src/actions/common/markdown.ts
var markdown = __webpack_require__(2092);
;// CONCATENATED MODULE: ./src/actions/rotate/summary.ts

const RESULT = {
    failed: '❌ failed',
    rotated: '✅ rotated',
    'would-rotate': 'would rotate',
    revoked: '🔒 previous value revoked',
    'would-revoke': 'would revoke the previous value',
    skipped: 'skipped',
};
const TEST = { passed: 'passed', failed: 'failed', none: '-' };
function versions(r) {
    const from = r.fromVersion === null ? '-' : String(r.fromVersion);
    if (r.status === 'rotated')
        return `${from} → ${r.toVersion ?? '?'}`;
    if (r.status === 'would-rotate')
        return `${from} → (new)`;
    if (r.status === 'revoked' || r.status === 'would-revoke')
        return `${from} (replaced; grace over)`;
    return `${from} (unchanged)`;
}
function note(r) {
    const parts = [];
    if (r.reason)
        parts.push((0,markdown/* escapeMarkdown */.F)(r.reason));
    if (r.fix)
        parts.push(`<b>Fix:</b> ${(0,markdown/* escapeMarkdown */.F)(r.fix)}`);
    if (r.rotationId)
        parts.push(`rotation ${(0,markdown/* markdownCode */.D)(r.rotationId)}`);
    return parts.join('<br>') || '-';
}
/** Renders the summary as HTML (GitHub's Markdown allows it), with every field escaped. */
function renderRotateSummary(s) {
    const count = (status) => s.results.filter((r) => r.status === status).length;
    const head = s.dryRun
        ? `<h3>Agent Secret Store: rotation dry run</h3>\n<p>Dry run: nothing was changed. ${count('would-rotate')} secret(s) would rotate.</p>`
        : `<h3>Agent Secret Store: secrets rotated</h3>\n<p>${count('rotated')} rotated, ${count('failed')} failed, ${count('skipped')} skipped.${count('revoked') > 0 ? ` ${count('revoked')} replaced value(s) revoked after their grace period.` : ''}</p>`;
    const rows = s.results
        .map((r) => `<tr><td>${(0,markdown/* markdownCode */.D)(r.path)}</td><td>${(0,markdown/* escapeMarkdown */.F)(r.rotator)}</td><td>${RESULT[r.status]}</td><td>${(0,markdown/* escapeMarkdown */.F)(versions(r))}</td><td>${TEST[r.test]}</td><td>${(0,markdown/* escapeMarkdown */.F)(r.nextDue ?? '-')}</td><td>${(0,markdown/* escapeMarkdown */.F)(r.graceEnds ?? '-')}</td><td>${note(r)}</td></tr>`)
        .join('\n');
    const table = s.results.length
        ? `<table>\n<tr><th>Path</th><th>Rotator</th><th>Result</th><th>Version</th><th>Test</th><th>Next due</th><th>Previous readable until</th><th>Reason</th></tr>\n${rows}\n</table>`
        : `<p>Nothing to rotate${s.due ? ': no secret within the token’s rotate scopes is due.' : '.'}</p>`;
    const facts = [
        ['Vault', (0,markdown/* markdownCode */.D)(s.vaultUrl)],
        ['Agent', s.agent ? (0,markdown/* markdownCode */.D)(s.agent) : '-'],
        ['Pipeline token id', s.tokenId ? (0,markdown/* markdownCode */.D)(s.tokenId) : '-'],
        ['Selection', s.due ? 'every secret due within the token’s rotate scopes' : 'the paths named in the <code>paths</code> input'],
    ];
    return [
        head,
        table,
        `<table>\n${facts.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`).join('\n')}\n</table>`,
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./src/actions/rotate/main.ts














const STAGE_TITLE = {
    inputs: 'reading the inputs',
    'oidc-token': "requesting the job's OIDC token",
    exchange: 'exchanging the agent key and OIDC token for a pipeline token',
    plan: 'listing what to rotate',
};
/** The failure message of a step that could not rotate at all: the stage, the vault's (or our) message, and the fix. */
function failureMessage(err) {
    const stageName = err instanceof stage/* StageError */.Z ? err.stage : undefined;
    const original = err instanceof stage/* StageError */.Z ? err.original : err;
    const head = stageName
        ? `Agent Secret Store rotation failed while ${STAGE_TITLE[stageName]} (stage "${stageName}"):\n`
        : 'Agent Secret Store rotation failed:\n';
    let hint = '';
    if ((0,errors/* isAppError */.Y6)(original)) {
        if (stageName === 'exchange' && original.code === 'oidc_rejected')
            hint =
                "The vault refused the job's OIDC token. Compare the agent's trust policy (`ass agents list`) with this job's claims, and make sure `audience` equals the vault's public URL.";
        else if (stageName === 'exchange' && (original.code === 'denied' || original.code === 'scope_missing'))
            hint =
                "The agent may not grant the requested scopes (the vault refuses rather than narrows). With `paths` empty the action asks for secrets:rotate:* and secrets:read:*; set the `scopes` input to the agent's own, such as `secrets:rotate:app/* secrets:read:app/*`, or name the `paths`.";
        else if (stageName === 'exchange' && ['unauthenticated', 'token_revoked', 'token_expired'].includes(original.code))
            hint = 'The vault did not accept the agent-key: it may be revoked, mistyped, or for another vault.';
        else if (original.code === 'unavailable')
            hint = 'Check the `url` input and that the vault is reachable from the runner.';
    }
    return `${head}${(0,errors/* errorMessage */.gJ)(original)}${hint ? `\n${hint}` : ''}`;
}
/** Rotation results as the outputs show them: paths, versions and ids, never a value. */
function outputEntries(results) {
    return results.map((r) => ({
        path: r.path,
        rotator: r.rotator,
        fromVersion: r.fromVersion,
        toVersion: r.toVersion,
        rotationId: r.rotationId,
        ...(r.reason ? { reason: r.reason } : {}),
    }));
}
/**
 * What rotators (the command rotator's scripts) see of the environment: the job's, without the
 * step's inputs (the agent key, the github-token), state, and the runner's OIDC request handle.
 */
function rotatorEnv(env) {
    const out = {};
    for (const [k, v] of Object.entries(env)) {
        if (/^(INPUT_|STATE_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_RUNTIME_TOKEN$)/.test(k))
            continue;
        out[k] = v;
    }
    return out;
}
/** Registers a value, each of its lines and the encodings the runner misses, before anything can print it. */
function maskValue(value) {
    if (value.trim() === '')
        return;
    const { masks } = (0,masking/* planMasks */.R)(value);
    for (const m of masks)
        core/* setSecret */.Pq(m);
    // A value too short for the fetch action's masking policy is still masked: a rotated value must
    // never show, and rotators make long ones anyway.
    if (masks.length === 0)
        core/* setSecret */.Pq(value);
}
/** The main step. Never throws: failures end in core.setFailed with the stage and the fix. */
async function runMain(env = process.env) {
    try {
        await rotate(env);
    }
    catch (err) {
        core/* setFailed */.C1(failureMessage(err));
    }
}
async function rotate(env) {
    // Secrets even when a workflow passed them as plain text: masked before an input error could echo them.
    for (const name of [constants/* INPUT */.bO.agentKey, constants/* INPUT */.bO.githubToken]) {
        const raw = core/* getInput */.V4(name).trim();
        if (raw)
            core/* setSecret */.Pq(raw);
    }
    const config = await (0,stage/* stage */.d)('inputs', () => parseConfig((name) => core/* getInput */.V4(name)));
    core/* saveState */.LZ(constants/* STATE */.c4.url, config.url);
    const issued = await (0,exchange/* exchangeForPipelineToken */.E)({
        url: config.url,
        agentKey: config.agentKey,
        audience: config.audience,
        scopes: config.scopes,
        ttlSeconds: config.ttlSeconds,
        caCert: config.caCert,
    }, env);
    // Masked above; only now may it go to the state file, which the runner logs in debug mode.
    core/* saveState */.LZ(constants/* STATE */.c4.token, issued.token);
    core/* saveState */.LZ(constants/* STATE */.c4.tokenId, issued.id);
    core/* saveState */.LZ(constants/* STATE */.c4.expiresAt, issued.expiresAt);
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.tokenId, issued.id);
    core/* info */.pq((0,core_text/* oneLine */.TN)(`Pipeline token ${issued.id} issued to agent ${issued.agent}, scopes ${(issued.scopes ?? []).join(', ')}.`));
    const client = (0,client_client/* createClient */.U)({
        url: config.url,
        urlSource: 'the `url` input',
        credential: issued.token,
        timeoutMs: 60_000,
        retry: { attempts: 4, baseMs: 250, maxMs: 3000 },
        ...(config.caCert ? { caCert: config.caCert } : {}),
    });
    let results;
    try {
        const due = config.paths.length === 0;
        const planned = await (0,stage/* stage */.d)('plan', () => plan(client, due ? { due: true } : { paths: config.paths }));
        const missing = planned.missing.map((path) => ({
            path,
            rotator: 'random',
            status: 'failed',
            fromVersion: null,
            toVersion: null,
            test: 'none',
            rotationId: null,
            nextDue: null,
            graceEnds: null,
            reason: 'no rotation policy covers this path, or the pipeline token may not rotate it',
            fix: `set a policy (ass rotation set ${path} ...) and give the agent secrets:rotate and secrets:read on it`,
        }));
        core/* info */.pq(due
            ? `${planned.items.length} secret(s) due for rotation within the token's scopes.`
            : `${planned.items.length} of ${config.paths.length} named secret(s) have a rotation policy.`);
        // The runner's API URL: api.github.com, or the GHES host's /api/v3.
        const github = {
            ...(config.githubToken ? { githubToken: config.githubToken } : {}),
            ...(env.GITHUB_API_URL?.trim() ? { githubApiUrl: env.GITHUB_API_URL.trim() } : {}),
        };
        const rotated = await rotateAll({
            client,
            rotatorFor: (name) => rotatorFor(name, { client, ...github }),
            notify: makeNotifier(github),
            logger: logger/* actionsLogger */.M,
            mask: maskValue,
            env: rotatorEnv(env),
            allowCommands: config.allowCommands,
        }, planned.items, 
        // Named paths rotate whether or not they are due; with none, only what is due.
        { ...(config.dryRun ? { dryRun: true } : {}), explicit: config.paths.length > 0 });
        results = [...missing, ...rotated];
    }
    finally {
        await client.close();
    }
    const of = (status) => outputEntries(results.filter((r) => r.status === status));
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.rotated, JSON.stringify(of('rotated')));
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.failed, JSON.stringify(of('failed')));
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.skipped, JSON.stringify(of('skipped')));
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.wouldRotate, JSON.stringify([...of('would-rotate'), ...of('would-revoke')]));
    core/* setOutput */.uH(constants/* OUTPUT */.aQ.revoked, JSON.stringify(of('revoked')));
    for (const r of results) {
        const line = `${r.path}: ${r.status}${r.status === 'rotated' ? ` (version ${r.fromVersion} → ${r.toVersion})` : ''}${r.reason ? `: ${r.reason}` : ''}`;
        // A recap: the engine has already annotated each failure as it happened.
        core/* info */.pq((0,core_text/* oneLine */.TN)(line));
    }
    if (env.GITHUB_STEP_SUMMARY) {
        try {
            await core/* summary */.z
                .addRaw(renderRotateSummary({
                vaultUrl: config.url,
                dryRun: config.dryRun,
                due: config.paths.length === 0,
                tokenId: issued.id,
                agent: issued.agent ?? undefined,
                results,
            }))
                .write();
        }
        catch (err) {
            core/* warning */.$e(`Could not write the job summary: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
    }
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length > 0) {
        const message = `${failed.length} rotation(s) failed: ${failed.map((r) => r.path).join(', ')}. The current values of those secrets are unchanged; the job summary says why and how to fix it.`;
        if (config.failOnError)
            core/* setFailed */.C1(message);
        else
            core/* warning */.$e(message);
    }
}


/***/ })

};
