export const id = 598;
export const ids = [598];
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

/***/ 1300:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4296);
/* harmony import */ var _common_revoke_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6267);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3925);
/* harmony import */ var _export_file_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7192);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6956);






function parseJson(text, fallback) {
    if (!text)
        return fallback;
    try {
        return JSON.parse(text);
    }
    catch {
        return fallback;
    }
}
/**
 * The post step (runs after the job, also after a failure): revoke the pipeline token, delete the
 * export file, write the job summary. After a failed main some state is missing; do what can be
 * done. A failed revocation fails the step: a live token the user believes revoked is worse than a
 * red post step.
 */
async function runPost(env = process.env) {
    const token = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.token);
    if (token)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(token);
    const url = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.url);
    const revoke = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.revoke) !== 'false';
    const summary = {
        vaultUrl: url || undefined,
        tokenId: _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.tokenId) || undefined,
        agent: _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.agent) || undefined,
        expiresAt: _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.expiresAt) || undefined,
        scopes: parseJson(_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.scopes), []),
        secrets: parseJson(_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.report), []),
        revocation: { state: 'no-token' },
        approvals: parseJson(_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.approvals), []),
    };
    const failures = [];
    if (!token) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('No pipeline token was issued by the main step; nothing to revoke.');
    }
    else if (!revoke) {
        summary.revocation = { state: 'skipped' };
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Pipeline token ${summary.tokenId ?? ''} left to expire at ${summary.expiresAt ?? 'its expiry'} (revoke: false).`);
    }
    else if (!url) {
        summary.revocation = { state: 'failed', detail: 'the vault URL is missing from the state' };
        failures.push('Could not revoke the pipeline token: the vault URL is missing from the step state.');
    }
    else {
        const r = await (0,_common_revoke_js__WEBPACK_IMPORTED_MODULE_2__/* .revokePipelineToken */ .mt)(url, token, _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .INPUT */ .bO.caCert));
        (0,_common_revoke_js__WEBPACK_IMPORTED_MODULE_2__/* .logRevocation */ .r9)(summary.tokenId, r);
        if (r.state === 'failed') {
            summary.revocation = { state: 'failed', detail: r.code };
            failures.push((0,_common_revoke_js__WEBPACK_IMPORTED_MODULE_2__/* .revocationFailure */ .J_)(summary.tokenId, summary.expiresAt, r.message));
        }
        else {
            summary.revocation = { state: r.state };
        }
    }
    const file = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE */ .c4.exportFile);
    if (file) {
        try {
            const deleted = await (0,_export_file_js__WEBPACK_IMPORTED_MODULE_4__/* .deleteExportFile */ .kW)(file, env.RUNNER_TEMP);
            summary.exportFile = { path: file, deleted };
            if (!deleted)
                failures.push(`The export file ${file} is not one this action wrote under RUNNER_TEMP; it was left alone.`);
        }
        catch (err) {
            summary.exportFile = { path: file, deleted: false };
            failures.push(`Could not delete the export file ${file}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    if (env.GITHUB_STEP_SUMMARY) {
        try {
            await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addRaw((0,_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .renderSummary */ .Br)(summary)).write();
        }
        catch (err) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not write the job summary: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    if (failures.length)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(failures.join('\n'));
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
