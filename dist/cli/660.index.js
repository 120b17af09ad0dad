export const id = 660;
export const ids = [660];
export const modules = {

/***/ 3660:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BASELINE_VERSION: () => (/* binding */ BASELINE_VERSION),
/* harmony export */   applyBaseline: () => (/* binding */ applyBaseline),
/* harmony export */   baselineFrom: () => (/* binding */ baselineFrom),
/* harmony export */   newBaselineSalt: () => (/* reexport safe */ _fingerprint_js__WEBPACK_IMPORTED_MODULE_2__.Aw),
/* harmony export */   readBaseline: () => (/* binding */ readBaseline),
/* harmony export */   writeBaseline: () => (/* binding */ writeBaseline)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6279);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7406);
/* harmony import */ var _fingerprint_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3963);
/**
 * Baseline files let an existing repository adopt the check without fixing history first. A file
 * holds a random salt and one key per known finding: scrypt(salt, rule, path, secret), see
 * fingerprint.ts. Keys survive line moves and edits elsewhere in the file, never suppress a
 * different secret, hold no secret, and cost an offline guesser one scrypt per guess per file (the
 * salt differs between files, so no work carries over from one baseline to the next).
 *
 * A baseline only works for a scan run with its salt: read it first, then pass `salt` as
 * `baselineSalt` to the scan; to write one, pass `newBaselineSalt()` and then the same salt here.
 */





const BASELINE_VERSION = 2;
const baselineSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    version: zod__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz(BASELINE_VERSION),
    kdf: zod__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz(_fingerprint_js__WEBPACK_IMPORTED_MODULE_2__/* .BASELINE_KDF_ID */ .Qo),
    salt: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().regex(_fingerprint_js__WEBPACK_IMPORTED_MODULE_2__/* .BASELINE_SALT_PATTERN */ .kE),
    findings: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        fingerprint: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().regex(/^[a-f0-9]{64}$/),
        ruleId: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
        path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    })),
});
function keyOf(f) {
    // A programming error, not a user one: the scan was not given the baseline's salt.
    if (f.baselineKey === undefined)
        throw new Error('finding has no baseline key: scan with options.baselineSalt');
    return f.baselineKey;
}
/** The baseline of `findings`, which must come from a scan run with `baselineSalt: salt`. */
function baselineFrom(findings, salt = (0,_fingerprint_js__WEBPACK_IMPORTED_MODULE_2__/* .newBaselineSalt */ .Aw)()) {
    if (!_fingerprint_js__WEBPACK_IMPORTED_MODULE_2__/* .BASELINE_SALT_PATTERN */ .kE.test(salt))
        throw new Error('baseline salt must be 16 bytes of hex');
    const seen = new Map();
    for (const f of findings)
        seen.set(keyOf(f), { fingerprint: keyOf(f), ruleId: f.ruleId, path: f.path });
    const entries = [...seen.values()].sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
    return { version: BASELINE_VERSION, kdf: _fingerprint_js__WEBPACK_IMPORTED_MODULE_2__/* .BASELINE_KDF_ID */ .Qo, salt, findings: entries };
}
async function writeBaseline(file, findings, salt) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)(file, `${JSON.stringify(baselineFrom(findings, salt), null, 2)}\n`);
}
/** Reads a baseline; `shown` is the path as the user wrote it, for messages. */
async function readBaseline(file, shown = file) {
    const regenerate = `regenerate it with \`ass scan --write-baseline ${shown}\``;
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(file, 'utf8');
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('invalid_input', `baseline file ${shown} cannot be read; create it with \`ass scan --write-baseline ${shown}\``);
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('invalid_input', `baseline file ${shown} is not JSON; ${regenerate}`);
    }
    const version = typeof json === 'object' && json !== null ? json.version : undefined;
    if (version === 1) {
        // Version 1 held sha256(rule, path, secret): fast and unsalted, so weak secrets could be guessed
        // from it. Accepting it would keep that file in use; refuse, and say how to replace it.
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('invalid_input', `baseline file ${shown} has the old version 1 format, whose unsalted sha256 fingerprints let anyone who can read the file test guesses of the secrets; ${regenerate} (it records every current finding: review \`ass scan\` first) and commit the new file`);
    }
    const parsed = baselineSchema.safeParse(json);
    if (!parsed.success) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AppError */ .uV('invalid_input', `baseline file ${shown} is not an ass scan baseline (version ${BASELINE_VERSION}, ${_fingerprint_js__WEBPACK_IMPORTED_MODULE_2__/* .BASELINE_KDF_ID */ .Qo}); ${regenerate}`);
    }
    return parsed.data;
}
/**
 * Splits findings into new ones and baselined ones, and lists baseline entries no longer seen.
 * `findings` must come from a scan run with `baselineSalt: baseline.salt`.
 */
function applyBaseline(findings, baseline) {
    const known = new Set(baseline.findings.map((e) => e.fingerprint));
    const used = new Set();
    const kept = [];
    for (const f of findings) {
        const key = keyOf(f);
        if (known.has(key))
            used.add(key);
        else
            kept.push(f);
    }
    return {
        findings: kept,
        suppressed: findings.length - kept.length,
        unused: baseline.findings.filter((e) => !used.has(e.fingerprint)),
    };
}


/***/ })

};
