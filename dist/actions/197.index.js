export const id = 197;
export const ids = [197];
export const modules = {

/***/ 3506:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   aQ: () => (/* binding */ OUTPUT),
/* harmony export */   bO: () => (/* binding */ INPUT),
/* harmony export */   c4: () => (/* binding */ STATE)
/* harmony export */ });
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
const STATE = {
    url: 'url',
    token: 'token',
    tokenId: 'token-id',
    expiresAt: 'expires-at',
};


/***/ }),

/***/ 5197:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _client_client_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3210);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _fetch_config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6816);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3506);





/**
 * The post step (runs after the job, also after a failure): revokes the pipeline token
 * (`DELETE /v1/tokens/self`). A failed revocation fails the step: a live token someone believes
 * revoked is worse than a red post step.
 */
async function runPost() {
    const token = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .STATE */ .c4.token);
    if (!token) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('No pipeline token was issued by the main step; nothing to revoke.');
        return;
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(token);
    const url = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .STATE */ .c4.url);
    const tokenId = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .STATE */ .c4.tokenId);
    const expiresAt = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .STATE */ .c4.expiresAt) || 'it expires';
    if (!url) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(`Could not revoke pipeline token ${tokenId}: the vault URL is missing from the step state. Revoke it with \`ass tokens revoke ${tokenId}\`.`);
        return;
    }
    let caCert;
    try {
        caCert = (0,_fetch_config_js__WEBPACK_IMPORTED_MODULE_3__/* .parseCaCert */ .C)(_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .INPUT */ .bO.caCert));
    }
    catch {
        caCert = undefined; // main reported a bad ca-cert already
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
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Pipeline token ${tokenId} revoked.`);
    }
    catch (err) {
        if ((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isAppError */ .Y6)(err) && (err.code === 'token_revoked' || err.code === 'token_expired')) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Pipeline token ${tokenId} was already inactive (${err.code}).`);
        }
        else {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(`Could not revoke pipeline token ${tokenId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)} It stays valid until ${expiresAt}; revoke it with \`ass tokens revoke ${tokenId}\`.`);
        }
    }
    finally {
        await client.close();
    }
}


/***/ })

};
