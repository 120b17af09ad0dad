export const id = 333;
export const ids = [333];
export const modules = {

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

/***/ 5197:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _common_revoke_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6267);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3506);



/** The post step (runs after the job, also after a failure): revokes the pipeline token. */
async function runPost() {
    await (0,_common_revoke_js__WEBPACK_IMPORTED_MODULE_1__/* .revokeLeftoverToken */ .ZM)(_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.caCert));
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
