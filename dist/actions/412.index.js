export const id = 412;
export const ids = [412];
export const modules = {

/***/ 9120:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LF: () => (/* binding */ inputField),
/* harmony export */   LH: () => (/* binding */ parseVaultUrl),
/* harmony export */   hQ: () => (/* binding */ booleanField)
/* harmony export */ });
/* unused harmony export parseBooleanInput */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3339);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8532);
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8456);
/** Reading action inputs, the same way in every action. */


const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
/**
 * Parses a boolean input spelled as the YAML 1.2 core schema spells booleans, the set
 * `core.getBooleanInput` accepts too: `true`, `True`, `TRUE`, `false`, `False`, `FALSE`. An empty
 * value (the input left out and no default in action.yml) gives `fallback`.
 *
 * @throws Error naming the input, when the value is anything else (`yes`, `1`, `on`...)
 */
function parseBooleanInput(name, value, fallback) {
    const text = value.trim();
    if (text === '')
        return fallback;
    if (TRUE.includes(text))
        return true;
    if (FALSE.includes(text))
        return false;
    throw new Error(`Input "${name}" must be true or false, not ${JSON.stringify(text.slice(0, 40))}.`);
}
/**
 * A zod field for the input `name` that runs `parse` on its text. An error thrown by `parse`
 * becomes an issue on that input whose message names it, so one failed parse can report every
 * bad input at once.
 */
function inputField(name, parse) {
    return zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().transform((value, ctx) => {
        try {
            return parse(value);
        }
        catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            ctx.addIssue({ code: 'custom', message: message.startsWith('Input ') ? message : `Input "${name}": ${message}`, path: [name] });
            return zod__WEBPACK_IMPORTED_MODULE_2__/* .NEVER */ .tm;
        }
    });
}
/** The zod field of a boolean input; see parseBooleanInput. */
const booleanField = (name, fallback) => inputField(name, (value) => parseBooleanInput(name, value, fallback));
/**
 * The vault's URL from the `url` input: required, https (plain http only to a loopback address, since
 * a credential travels over it), no credentials, query or fragment; without a trailing slash.
 */
function parseVaultUrl(value) {
    const text = value.trim();
    if (text === '')
        throw new Error('Input "url" is required: the vault URL, such as https://vault.example.com.');
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new Error(`Input "url" ${JSON.stringify(text.slice(0, 100))} is not a URL: give the vault's address, such as https://vault.example.com.`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (0,_core_net_js__WEBPACK_IMPORTED_MODULE_0__/* .isLoopbackHost */ .c)(url.hostname))) {
        throw new Error('Input "url" must use https (plain http is accepted only for a vault on a loopback address): the credentials and secrets travel over this connection.');
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new Error('Input "url" must not contain credentials, a query string or a fragment.');
    }
    return url.toString().replace(/\/+$/, '');
}


/***/ }),

/***/ 6816:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CH: () => (/* binding */ parseCaCert),
/* harmony export */   o4: () => (/* binding */ parseConfig)
/* harmony export */ });
/* unused harmony exports MAX_APPROVAL_TIMEOUT_SECONDS, parseApprovalTimeout */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(3339);
/* harmony import */ var _core_credentials_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2633);
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8571);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _core_scopes_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1074);
/* harmony import */ var _common_inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9120);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3925);
/* harmony import */ var _masking_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(8256);
/* harmony import */ var _secrets_spec_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8553);









const required = (name, example) => (v) => {
    if (v.trim() === '')
        throw new Error(`Input "${name}" is required: ${example}.`);
    return v.trim();
};
const schema = zod__WEBPACK_IMPORTED_MODULE_7__/* .object */ .Ikc({
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.url]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.url, _common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .parseVaultUrl */ .LH),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.agentKey]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.agentKey, (v) => {
        const text = required(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.agentKey, 'pass the agent key from a repository or environment secret, such as agent-key: ${{ secrets.ASS_AGENT_KEY }}')(v);
        const parsed = (0,_core_credentials_js__WEBPACK_IMPORTED_MODULE_0__/* .parseCredential */ .nx)(text);
        if (parsed?.kind !== 'agent') {
            throw new Error('Input "agent-key" is not an agent key (ass_a_ followed by 65 letters and digits); pass the key printed by `ass agents create`, from a secret.');
        }
        return text;
    }),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.secrets]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.secrets, (v) => (0,_secrets_spec_js__WEBPACK_IMPORTED_MODULE_6__/* .parseSecretsSpec */ .aD)(v)),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.audience]: zod__WEBPACK_IMPORTED_MODULE_7__/* .string */ .YjP(),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.scopes]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.scopes, (v) => v
        .split(/[\s,]+/)
        .filter((s) => s !== '')
        .map((s) => {
        (0,_core_scopes_js__WEBPACK_IMPORTED_MODULE_3__/* .parseScope */ .Sk)(s);
        return s;
    })),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.ttl]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.ttl, (v) => {
        const seconds = (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDuration */ .E)(v.trim() === '' ? '15m' : v.trim(), 'input "ttl"');
        if (seconds < 60 || seconds > 6 * 3600)
            throw new Error('Input "ttl" must be between 1m and 6h; the token is revoked at the end of the job anyway.');
        return seconds;
    }),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.exportEnv]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .booleanField */ .hQ)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.exportEnv, true),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.exportFile]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .booleanField */ .hQ)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.exportFile, false),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.exportFileFormat]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.exportFileFormat, (v) => {
        const t = v.trim() || 'dotenv';
        if (t !== 'dotenv' && t !== 'json')
            throw new Error('Input "export-file-format" must be dotenv or json.');
        return t;
    }),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.revoke]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .booleanField */ .hQ)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.revoke, true),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.maskMinLength]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.maskMinLength, (v) => {
        const t = v.trim();
        if (t === '')
            return _masking_js__WEBPACK_IMPORTED_MODULE_8__/* .DEFAULT_MASK_MIN_LENGTH */ .$;
        if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 64)
            throw new Error('Input "mask-min-length" must be a whole number from 1 to 64 (default 4).');
        return Number(t);
    }),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.timeout]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.timeout, (v) => {
        const seconds = (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDuration */ .E)(v.trim() === '' ? '60s' : v.trim(), 'input "timeout"');
        if (seconds > 3600)
            throw new Error('Input "timeout" must be at most 1h.');
        return seconds * 1000;
    }),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.caCert]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.caCert, (v) => parseCaCert(v)),
    [_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.approvalTimeout]: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .inputField */ .LF)(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.approvalTimeout, (v) => parseApprovalTimeout(v) * 1000),
});
/** The longest `approval-timeout`: a day, the vault's default for a request to wait (and past a hosted runner's 6 h job limit). */
const MAX_APPROVAL_TIMEOUT_SECONDS = 24 * 3600;
/** The `approval-timeout` input in seconds: empty or `0` (any unit) is 0, no wait; else a duration up to a day. */
function parseApprovalTimeout(v) {
    const text = v.trim();
    if (text === '' || /^0+[smhd]?$/.test(text))
        return 0;
    const seconds = (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDuration */ .E)(text, 'input "approval-timeout"');
    if (seconds > MAX_APPROVAL_TIMEOUT_SECONDS) {
        throw new Error('Input "approval-timeout" must be at most 24h; give the job a matching timeout-minutes (a GitHub-hosted job ends after 6h anyway).');
    }
    return seconds;
}
/** The `ca-cert` input: empty, or PEM certificates (never a private key: that would be a leak). */
function parseCaCert(v) {
    const text = v.trim();
    if (text === '')
        return undefined;
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
        throw new Error('Input "ca-cert" holds a private key; give only the CA certificate (-----BEGIN CERTIFICATE-----), and rotate that key if it was stored in a workflow.');
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) {
        throw new Error('Input "ca-cert" must be PEM certificate text (-----BEGIN CERTIFICATE----- ...), such as ca-cert: ${{ vars.VAULT_CA_CERT }}.');
    }
    return `${text}\n`;
}
/**
 * Reads every input once and returns the typed config, or throws one AppError('invalid_input')
 * listing every bad input with its fix. Input values are never echoed except for non-secret ones.
 */
function parseConfig(getInput) {
    const raw = {};
    for (const name of Object.values(_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO))
        raw[name] = getInput(name) ?? '';
    const result = schema.safeParse(raw);
    if (!result.success) {
        const messages = [...new Set(result.error.issues.map((i) => i.message))];
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('invalid_input', messages.join('\n'));
    }
    const r = result.data;
    const audience = r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.audience].trim() || r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.url];
    const secrets = r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.secrets];
    // Never empty: an exchange without scopes would get every scope the agent has. scopesFor throws
    // (an input error asking for the `scopes` input) rather than return none.
    const scopes = r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.scopes].length > 0 ? r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.scopes] : (0,_secrets_spec_js__WEBPACK_IMPORTED_MODULE_6__/* .scopesFor */ .lN)(secrets);
    if (scopes.length === 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AppError */ .uV('internal', 'No scopes to request; set the "scopes" input.');
    return {
        url: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.url],
        agentKey: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.agentKey],
        secrets,
        audience,
        scopes,
        ttlSeconds: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.ttl],
        exportEnv: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.exportEnv],
        exportFile: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.exportFile],
        exportFileFormat: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.exportFileFormat],
        revoke: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.revoke],
        maskMinLength: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.maskMinLength],
        timeoutMs: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.timeout],
        caCert: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.caCert],
        approvalTimeoutMs: r[_constants_js__WEBPACK_IMPORTED_MODULE_5__/* .INPUT */ .bO.approvalTimeout],
    };
}


/***/ }),

/***/ 3925:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   aQ: () => (/* binding */ OUTPUT),
/* harmony export */   bO: () => (/* binding */ INPUT),
/* harmony export */   c4: () => (/* binding */ STATE)
/* harmony export */ });
/* unused harmony export ACTION_NAME */
/** Names of the fetch action's inputs, outputs and state entries (kebab-case, as in action.yml). */
const INPUT = {
    url: 'url',
    agentKey: 'agent-key',
    secrets: 'secrets',
    audience: 'audience',
    scopes: 'scopes',
    ttl: 'ttl',
    exportEnv: 'export-env',
    exportFile: 'export-file',
    exportFileFormat: 'export-file-format',
    revoke: 'revoke',
    maskMinLength: 'mask-min-length',
    timeout: 'timeout',
    caCert: 'ca-cert',
    approvalTimeout: 'approval-timeout',
};
const OUTPUT = {
    tokenId: 'token-id',
    expiresAt: 'expires-at',
    exportFile: 'export-file',
    approvalId: 'approval-id',
};
/** GITHUB_STATE entries: how main hands the revocation handle and the audit record to post. */
const STATE = {
    url: 'url',
    token: 'token',
    tokenId: 'token-id',
    expiresAt: 'expires-at',
    agent: 'agent',
    scopes: 'scopes',
    exportFile: 'export-file',
    report: 'report',
    revoke: 'revoke',
    stage: 'stage',
    /** The approval requests the main step met (ApprovalRecord[] as JSON), for the post step's summary. */
    approvals: 'approvals',
};
const ACTION_NAME = 'agent-secret-store';


/***/ }),

/***/ 8256:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ DEFAULT_MASK_MIN_LENGTH),
/* harmony export */   R: () => (/* binding */ planMasks)
/* harmony export */ });
const DEFAULT_MASK_MIN_LENGTH = 4;
function encodings(text) {
    const bytes = Buffer.from(text, 'utf8');
    const hex = bytes.toString('hex');
    return [
        bytes.toString('base64url'),
        bytes.toString('base64'), // the runner does this too; cheap insurance for older runners
        hex,
        hex.toUpperCase(),
        encodeURIComponent(text),
        new URLSearchParams({ v: text }).toString().slice(2),
        JSON.stringify(text).slice(1, -1),
    ].filter((e) => e !== text && e !== '');
}
function splitLines(text) {
    return text
        .split(/\r\n|\r|\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
}
function parseJsonContainer(text) {
    const t = text.trim();
    if (!(t.startsWith('{') || t.startsWith('[')))
        return undefined;
    try {
        const parsed = JSON.parse(t);
        return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
    }
    catch {
        return undefined;
    }
}
function planMasks(value, minLength = DEFAULT_MASK_MIN_LENGTH) {
    const masks = new Set();
    let tooShort = 0;
    const addText = (text, depth) => {
        const lines = splitLines(text);
        if (lines.length === 0)
            return;
        let shortLine = false;
        for (const line of lines) {
            if (line.length >= minLength) {
                masks.add(line);
                for (const e of encodings(line))
                    masks.add(e);
            }
            else {
                shortLine = true;
                tooShort++;
            }
        }
        const whole = text.trim();
        if (lines.length > 1 && whole.length >= minLength) {
            // A multi-line registration makes the runner mask every line, short ones included.
            if (!shortLine)
                masks.add(text);
            for (const e of encodings(text))
                masks.add(e);
            if (whole !== text)
                for (const e of encodings(whole))
                    masks.add(e);
        }
        else if (lines.length === 1 && text !== whole && whole.length >= minLength) {
            for (const e of encodings(text))
                masks.add(e);
        }
        if (depth < 16) {
            const json = parseJsonContainer(text);
            if (json !== undefined)
                addLeaves(json, depth + 1);
        }
    };
    const addLeaves = (node, depth) => {
        if (typeof node === 'string')
            return addText(node, depth);
        if (typeof node === 'number' && Number.isFinite(node))
            return addText(String(node), depth);
        if (Array.isArray(node))
            for (const item of node)
                addLeaves(item, depth);
        else if (typeof node === 'object' && node !== null)
            for (const item of Object.values(node))
                addLeaves(item, depth);
    };
    const wholeTooShort = value.trim().length < minLength;
    if (wholeTooShort) {
        if (value.trim() !== '')
            tooShort++;
    }
    else {
        addText(value, 0);
    }
    // Every mask must itself be long enough: an encoding of a long text always is.
    const list = [...masks].filter((m) => m.trim().length >= minLength).sort((a, b) => b.length - a.length);
    return { masks: list, tooShort, wholeTooShort };
}


/***/ }),

/***/ 8553:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JL: () => (/* binding */ batchRequestFor),
/* harmony export */   aD: () => (/* binding */ parseSecretsSpec),
/* harmony export */   lN: () => (/* binding */ scopesFor),
/* harmony export */   uX: () => (/* binding */ resolveExports)
/* harmony export */ });
/* unused harmony exports isReservedName, deriveEnvName, MAX_REQUESTED_SCOPES */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _core_paths_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6107);


const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Environment variables that change how programs run, what they load, or where they connect and
 * whom they trust. A secret exported under one of these names would let whoever can write that
 * secret run code in, or intercept the traffic of, every later step of the job
 * (`production/app/git-ssh-command` → GIT_SSH_COMMAND). Compared upper-cased, so `npm_config_x`
 * and `http_proxy` are covered too.
 */
const RESERVED_EXACT = new Set([
    // remote shells and hooks other tools run, TLS configuration and key logs, Windows command lookup
    'RSYNC_RSH',
    'CVS_RSH',
    'SVN_SSH',
    'LUA_INIT',
    'LUA_INIT_5_1',
    'LUA_INIT_5_2',
    'LUA_INIT_5_3',
    'LUA_INIT_5_4',
    'LUA_PATH',
    'LUA_CPATH',
    'LESSOPEN',
    'LESSCLOSE',
    'LESSKEY',
    'OPENSSL_CONF',
    'OPENSSL_ENGINES',
    'OPENSSL_MODULES',
    'SSLKEYLOGFILE',
    'COMSPEC',
    'PATHEXT',
    'PSMODULEPATH',
    'SYSTEMROOT',
    'WINDIR',
    'APPDATA',
    'LOCALAPPDATA',
    'USERPROFILE',
    'PROGRAMDATA',
    // the runner, the shell and the dynamic loader
    'PATH',
    'CI',
    'HOME',
    'USER',
    'LOGNAME',
    'SHELL',
    'PWD',
    'OLDPWD',
    'ENV',
    'IFS',
    'CDPATH',
    'GLOBIGNORE',
    'SHELLOPTS',
    'BASHOPTS',
    'PROMPT_COMMAND',
    'PS0',
    'PS1',
    'PS2',
    'PS3',
    'PS4',
    'MAIL',
    'MAILCHECK',
    'MAILPATH',
    'HISTFILE',
    'INPUTRC',
    'ZDOTDIR',
    'POSIXLY_CORRECT',
    'TERMINFO',
    'TERMINFO_DIRS',
    'GCONV_PATH',
    'LOCPATH',
    'NLSPATH',
    'HOSTALIASES',
    'RES_OPTIONS',
    'LOCALDOMAIN',
    'TMPDIR',
    'TMP',
    'TEMP',
    'LANG',
    'LANGUAGE',
    'TZ',
    'TZDIR',
    // programs that other programs start
    'EDITOR',
    'VISUAL',
    'PAGER',
    'MANPAGER',
    'BROWSER',
    'SUDO_ASKPASS',
    // ssh and gpg (not SSH_*/GPG_* as a whole: SSH_PRIVATE_KEY and GPG_PASSPHRASE are ordinary secret names)
    'SSH_ASKPASS',
    'SSH_ASKPASS_REQUIRE',
    'SSH_AUTH_SOCK',
    'SSH_AGENT_PID',
    'SSH_SK_PROVIDER',
    'GNUPGHOME',
    'GPG_AGENT_INFO',
    'GPG_TTY',
    // JVM and build tools
    '_JAVA_OPTIONS',
    'JAVA_TOOL_OPTIONS',
    'JDK_JAVA_OPTIONS',
    'JAVA_OPTS',
    'JAVA_HOME',
    'CLASSPATH',
    'MAVEN_OPTS',
    'MAVEN_ARGS',
    'GRADLE_OPTS',
    'GRADLE_USER_HOME',
    'SBT_OPTS',
    // trust and connections
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'CURL_CA_BUNDLE',
    'REQUESTS_CA_BUNDLE',
    'CURL_HOME',
    'WGETRC',
    'NETRC',
    // (not DOCKER_* as a whole: DOCKER_PASSWORD is an ordinary secret name)
    'DOCKER_HOST',
    'DOCKER_CONFIG',
    'DOCKER_CERT_PATH',
    'DOCKER_TLS_VERIFY',
    'DOCKER_TLS',
    'DOCKER_CONTEXT',
    'DOCKER_API_VERSION',
    'BUILDKIT_HOST',
    'KUBECONFIG',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_CA_BUNDLE',
    'AWS_ENDPOINT_URL',
    'CLOUDSDK_CONFIG',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'AZURE_CONFIG_DIR',
    'XDG_CONFIG_HOME',
    'XDG_CONFIG_DIRS',
    'XDG_DATA_HOME',
    'XDG_DATA_DIRS',
    'XDG_CACHE_HOME',
    'XDG_RUNTIME_DIR',
    // other interpreters and package managers
    'RUSTC_WRAPPER',
    'RUSTFLAGS',
    'RUSTDOCFLAGS',
    'CARGO_HOME',
    'RUSTUP_HOME',
    'GOFLAGS',
    'GOPROXY',
    'GONOSUMDB',
    'GONOSUMCHECK',
    'GOSUMDB',
    'GOPRIVATE',
    'GOINSECURE',
    'GOPATH',
    'GOROOT',
    'GOTOOLCHAIN',
    'CGO_CFLAGS',
    'CGO_LDFLAGS',
    'CC',
    'CXX',
    'LD',
    'CFLAGS',
    'CXXFLAGS',
    'CPPFLAGS',
    'LDFLAGS',
    'MAKEFLAGS',
    'COMPOSER_HOME',
    'PHPRC',
    'PHP_INI_SCAN_DIR',
    'DOTNET_ROOT',
    'DOTNET_STARTUP_HOOKS',
    'DOTNET_ADDITIONAL_DEPS',
    'CORECLR_PROFILER',
    'CORECLR_PROFILER_PATH',
    'CORECLR_ENABLE_PROFILING',
    'NUGET_PACKAGES',
    'ELECTRON_RUN_AS_NODE',
    'DENO_DIR',
    'BUN_INSTALL',
]);
/** Families of such variables, by name prefix. */
const RESERVED_PREFIXES = [
    'GITHUB_',
    'RUNNER_',
    'ACTIONS_',
    'INPUT_',
    'STATE_', // the runner's own
    'LD_',
    'DYLD_',
    'BASH_',
    'LC_', // the loader, the shell, the locale
    'GIT_',
    'KUBE',
    'HELM_',
    'AWS_ENDPOINT_URL', // git, Kubernetes, AWS endpoints
    'NODE_',
    'NPM_CONFIG_',
    'YARN_',
    'PNPM_',
    'COREPACK_', // Node.js (NODE_OPTIONS, NODE_EXTRA_CA_CERTS, npm_config_registry…)
    'PYTHON',
    'PIP_',
    'UV_',
    'POETRY_',
    'PIPENV_',
    'CONDA',
    'VIRTUAL_ENV', // Python (PYTHONPATH, PYTHONSTARTUP, PIP_INDEX_URL…)
    'PERL5',
    'PERL_',
    'PERLLIB',
    'PERLIO',
    'RUBY',
    'GEM_',
    'BUNDLE_', // Perl and Ruby
];
/** Names spelled out as `PATH => NAME` that are credentials, not behaviour: allowed there, never for a derived name. */
const EXPLICIT_CREDENTIAL_NAMES = new Set(['NODE_AUTH_TOKEN', 'YARN_NPM_AUTH_TOKEN', 'GEM_HOST_API_KEY']);
/** `<scheme>_PROXY` (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY, SOCKS_PROXY…), as curl and most HTTP clients read them. */
const PROXY = /^[A-Z0-9]+_PROXY$/;
/**
 * Names an exported secret must never take: the runner's own variables and ones that change how
 * programs run or where they connect and whom they trust (RESERVED_EXACT, RESERVED_PREFIXES and
 * `<scheme>_PROXY`). Case-insensitive.
 */
function isReservedName(name) {
    const upper = name.toUpperCase();
    return RESERVED_EXACT.has(upper) || PROXY.test(upper) || RESERVED_PREFIXES.some((p) => upper.startsWith(p));
}
/** `production/payments/stripe-key` → `STRIPE_KEY`; `a/b` relative parts are joined with `_`. */
function deriveEnvName(segments) {
    return segments.map((s) => s.toUpperCase().replace(/[-.]/g, '_')).join('_');
}
function fail(line, message) {
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_input', `Input "secrets", line ${line}: ${message}`);
}
const RESERVED_WHY = "reserved: it is the runner's own or changes how later steps' programs run or where they connect (see \"Reserved names\" in the fetch action's docs)";
function checkName(name, line, origin) {
    if (!ENV_NAME.test(name)) {
        const fix = origin.kind === 'explicit'
            ? 'write PATH => NAME with a valid NAME.'
            : origin.kind === 'derived'
                ? `name it explicitly: \`${origin.path} => NAME\`.`
                : `list ${origin.path} explicitly with \`${origin.path} => NAME\`.`;
        throw fail(line, `${JSON.stringify(name.slice(0, 80))} is not a valid environment variable name (letters, digits and '_', not starting with a digit); ${fix}`);
    }
    if (isReservedName(name) && !(origin.kind === 'explicit' && EXPLICIT_CREDENTIAL_NAMES.has(name.toUpperCase()))) {
        if (origin.kind === 'explicit')
            throw fail(line, `${name} is ${RESERVED_WHY}; choose another name with \`PATH => NAME\`.`);
        if (origin.kind === 'derived')
            throw fail(line, `${origin.path} would be exported as ${name}, which is ${RESERVED_WHY}; name it explicitly: \`${origin.path} => NAME\`.`);
        const suggestion = origin.namePrefix === '' ? 'APP_' : `APP_${origin.namePrefix}`;
        throw fail(line, `${origin.path} would be exported as ${name}, which is ${RESERVED_WHY}. Give the prefix a name prefix, such as \`${origin.prefix}/* => ${suggestion}\` (every derived name then starts with it), or read ${origin.path} on its own line with \`${origin.path} => NAME\`.`);
    }
    return name;
}
/** Parses the `secrets` input (one request per line; blank lines and `#` comments ignored). */
function parseSecretsSpec(text) {
    const out = [];
    const names = new Map();
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
        const line = i + 1;
        const raw = (lines[i] ?? '').trim();
        if (raw === '' || raw.startsWith('#'))
            continue;
        const parts = raw.split('=>');
        if (parts.length > 2)
            throw fail(line, 'use at most one "=>" (PATH => NAME).');
        const left = (parts[0] ?? '').trim();
        const right = parts.length === 2 ? (parts[1] ?? '').trim() : undefined;
        if (right === '')
            throw fail(line, 'nothing follows "=>"; write PATH => NAME or leave out "=>".');
        if (left === '*' || left === '/*')
            throw fail(line, 'reading every secret is not supported; name a prefix such as production/app/*.');
        if (left.endsWith('/*')) {
            let prefix;
            try {
                prefix = (0,_core_paths_js__WEBPACK_IMPORTED_MODULE_1__/* .parseSecretPath */ .TK)(left.slice(0, -2), 'prefix');
            }
            catch (err) {
                throw fail(line, err.message);
            }
            if (right !== undefined && !NAME_PREFIX.test(right)) {
                throw fail(line, `the name prefix ${JSON.stringify(right.slice(0, 80))} must be letters, digits and '_' (such as APP_).`);
            }
            out.push({ kind: 'prefix', line, prefix, namePrefix: right ?? '' });
            continue;
        }
        let path;
        try {
            path = (0,_core_paths_js__WEBPACK_IMPORTED_MODULE_1__/* .parseSecretPath */ .TK)(left);
        }
        catch (err) {
            throw fail(line, `${err.message}${left.includes('*') ? " ('*' is allowed only as the whole last segment: PREFIX/*)" : ''}`);
        }
        const segments = path.split('/');
        const name = right !== undefined
            ? checkName(right, line, { kind: 'explicit' })
            : checkName(deriveEnvName([segments[segments.length - 1]]), line, { kind: 'derived', path });
        const seen = names.get(name);
        if (seen !== undefined)
            throw fail(line, `the name ${name} is already used on line ${seen}; give one of them another name with \`PATH => NAME\`.`);
        names.set(name, line);
        out.push({ kind: 'path', line, path, name });
    }
    if (out.length === 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_input', 'Input "secrets" is empty: list one secret path per line (PATH, PATH => NAME, or PREFIX/*).');
    }
    return out;
}
/** The batch-read request for a parsed spec. */
function batchRequestFor(requests) {
    const paths = new Set();
    const prefixes = new Set();
    for (const r of requests) {
        if (r.kind === 'path')
            paths.add(r.path);
        else
            prefixes.add(r.prefix);
    }
    return { paths: [...paths], prefixes: [...prefixes] };
}
/** The vault's limit on the number of scopes in one request. */
const MAX_REQUESTED_SCOPES = 64;
/**
 * Least-privilege scopes to request in the exchange: exactly what the spec reads. Past the vault's
 * limit on scopes per request, paths that share a parent are requested as `parent/*`. If that is
 * still too many, this fails (an input error) rather than request nothing: an exchange without
 * scopes would get every scope the agent has, a silent widening.
 */
function scopesFor(requests, max = MAX_REQUESTED_SCOPES) {
    const exact = new Set();
    for (const r of requests)
        exact.add(r.kind === 'path' ? `secrets:read:${r.path}` : `secrets:read:${r.prefix}/*`);
    if (exact.size <= max)
        return [...exact];
    const grouped = new Set();
    for (const r of requests) {
        if (r.kind === 'prefix')
            grouped.add(`secrets:read:${r.prefix}/*`);
        else {
            const parent = r.path.includes('/') ? r.path.slice(0, r.path.lastIndexOf('/')) : undefined;
            grouped.add(parent ? `secrets:read:${parent}/*` : `secrets:read:${r.path}`);
        }
    }
    if (grouped.size <= max)
        return [...grouped];
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_input', `Input "secrets" needs ${exact.size} scopes, still ${grouped.size} when paths are grouped by parent, and the vault accepts at most ${max} per exchange. ` +
        'Set the "scopes" input explicitly (such as scopes: secrets:read:production/app/*) to the few wider scopes this job may have: ' +
        'requesting no scopes instead would give the pipeline token every scope the agent has, so the action does not fall back to that.');
}
/**
 * Maps the secrets the vault returned to the names they are exported under. Fails (naming both
 * paths) when two secrets would land on one name, when a requested path is missing from the
 * answer, or when a prefix matched nothing.
 */
function resolveExports(requests, secrets) {
    const byPath = new Map(secrets.map((s) => [s.path, s]));
    const out = [];
    const owner = new Map();
    const add = (name, path, line) => {
        const prev = owner.get(name);
        if (prev !== undefined && prev !== path) {
            throw fail(line, `${path} and ${prev} would both be exported as ${name}; list one of them explicitly with \`PATH => NAME\`, or give the prefix a name prefix (\`PREFIX/* => APP_\`).`);
        }
        if (prev === path)
            return;
        owner.set(name, path);
        out.push({ name, path });
    };
    for (const r of requests) {
        if (r.kind === 'path') {
            if (!byPath.has(r.path))
                throw fail(r.line, `the vault returned no secret ${r.path}.`);
            add(r.name, r.path, r.line);
            continue;
        }
        const below = secrets.filter((s) => s.path.startsWith(`${r.prefix}/`)).sort((a, b) => a.path.localeCompare(b.path));
        if (below.length === 0) {
            throw fail(r.line, `${r.prefix}/* matched no secrets; check the prefix, or remove the line.`);
        }
        for (const s of below) {
            const name = r.namePrefix + deriveEnvName(s.path.slice(r.prefix.length + 1).split('/'));
            checkName(name, r.line, { kind: 'prefix', path: s.path, prefix: r.prefix, namePrefix: r.namePrefix });
            add(name, s.path, r.line);
        }
    }
    return out;
}


/***/ }),

/***/ 8164:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ac: () => (/* binding */ RotationId),
/* harmony export */   Ah: () => (/* binding */ queryInt),
/* harmony export */   CP: () => (/* binding */ Approval),
/* harmony export */   F7: () => (/* binding */ Ttl),
/* harmony export */   F9: () => (/* binding */ Checkpoint),
/* harmony export */   H$: () => (/* binding */ SecretType),
/* harmony export */   I1: () => (/* binding */ AuditSummary),
/* harmony export */   Ir: () => (/* binding */ CreatedUser),
/* harmony export */   Ju: () => (/* binding */ Tier),
/* harmony export */   K0: () => (/* binding */ SecretMetadata),
/* harmony export */   K2: () => (/* binding */ ApprovalPolicy),
/* harmony export */   KG: () => (/* binding */ AnomalyConfig),
/* harmony export */   KJ: () => (/* binding */ User),
/* harmony export */   L_: () => (/* binding */ ScopeList),
/* harmony export */   NE: () => (/* binding */ RotationStatus),
/* harmony export */   PF: () => (/* binding */ RotationPolicy),
/* harmony export */   Pr: () => (/* binding */ Revoked),
/* harmony export */   RZ: () => (/* binding */ lazy),
/* harmony export */   SX: () => (/* binding */ Name),
/* harmony export */   S_: () => (/* binding */ RotationState),
/* harmony export */   Tu: () => (/* binding */ BatchPrefixes),
/* harmony export */   VY: () => (/* binding */ Description),
/* harmony export */   Xk: () => (/* binding */ Health),
/* harmony export */   YI: () => (/* binding */ RotationNotify),
/* harmony export */   YS: () => (/* binding */ AuditExport),
/* harmony export */   a1: () => (/* binding */ SecretPath),
/* harmony export */   b1: () => (/* binding */ LIMITS),
/* harmony export */   bq: () => (/* binding */ Grace),
/* harmony export */   cf: () => (/* binding */ SecretDetail),
/* harmony export */   "do": () => (/* binding */ NullableTime),
/* harmony export */   dw: () => (/* binding */ Duration),
/* harmony export */   e2: () => (/* binding */ AnomalyReport),
/* harmony export */   es: () => (/* binding */ MAX_SPAN_DAYS),
/* harmony export */   fX: () => (/* binding */ IssuedToken),
/* harmony export */   g6: () => (/* binding */ Agent),
/* harmony export */   iG: () => (/* binding */ Collected),
/* harmony export */   iJ: () => (/* binding */ SecretValue),
/* harmony export */   mi: () => (/* binding */ WhoAmI),
/* harmony export */   mk: () => (/* binding */ CreatedAgent),
/* harmony export */   n$: () => (/* binding */ TrustPolicyInput),
/* harmony export */   np: () => (/* binding */ AuditRecord),
/* harmony export */   o6: () => (/* binding */ Verification),
/* harmony export */   ou: () => (/* binding */ Token),
/* harmony export */   sG: () => (/* binding */ StoredSecret),
/* harmony export */   uh: () => (/* binding */ PathPrefix),
/* harmony export */   vA: () => (/* binding */ ApprovalId),
/* harmony export */   vI: () => (/* binding */ AuditFilters),
/* harmony export */   vl: () => (/* binding */ BatchPaths),
/* harmony export */   yI: () => (/* binding */ ApprovalPolicyInput),
/* harmony export */   z9: () => (/* binding */ Since),
/* harmony export */   zg: () => (/* binding */ TokenId),
/* harmony export */   zv: () => (/* binding */ QueryFlag)
/* harmony export */ });
/* unused harmony exports Time, TrustPolicy, SecretVersion, AuditStatus, EventTypes, Problem, ANOMALY_CHECKS, SEVERITIES, Anomaly */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4377);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3339);
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8571);
/* harmony import */ var _core_model_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4146);
/* harmony import */ var _core_paths_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6107);
/* harmony import */ var _core_text_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2020);
/**
 * The shapes that cross the wire: request fields (validated on the server, typed for the client)
 * and response objects (the server serialises every answer through them, so a field that is not
 * declared here never leaves it; the client checks every answer against them).
 */





/**
 * Builds a schema on first use and keeps it. zod builds schemas eagerly, and at a cost (tens of
 * microseconds per node): a process that uses three routes of twenty-four (the fetch action) must
 * not pay for the rest when it starts.
 */
function lazy(make) {
    let value;
    return Object.assign(() => (value ??= make()), { lazySchema: true });
}
/** Size limits for stored values and free text. */
const LIMITS = {
    valueBytes: 64 * 1024,
    description: 512,
    name: 64,
    scopes: 64,
    allowedIps: 64,
    batch: 500,
    maxUses: 1_000_000,
    auditPage: 100_000,
};
// ---------------------------------------------------------------------------------------------
// Building blocks
/** Times on the wire: ISO 8601 in UTC. */
const Time = lazy(() => zod__WEBPACK_IMPORTED_MODULE_2__/* .datetime */ .w$());
const NullableTime = lazy(() => Time().nullable());
/** A secret path as a path parameter or body field: checked by the path rules, never normalised. */
const SecretPath = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .codec */ .rLB(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), {
    decode: (s) => (0,_core_paths_js__WEBPACK_IMPORTED_MODULE_1__/* .parseSecretPath */ .TK)(s),
    encode: (s) => s,
})
    .describe('a secret path, such as production/payments/stripe/secret-key'));
/** A path prefix: the secrets below it, at any depth. `what` names it in errors (default "path prefix"). */
const PathPrefix = (what) => zod__WEBPACK_IMPORTED_MODULE_3__/* .codec */ .rLB(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), {
    decode: (s) => (0,_core_paths_js__WEBPACK_IMPORTED_MODULE_1__/* .parsePathPrefix */ .TO)(s, what),
    encode: (s) => s,
})
    .describe('a path prefix such as production/payments: the secrets below it, at any depth');
const Name = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
    .min(1, 'give a name')
    .max(LIMITS.name)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit'));
/** A token id as shown in listings: 16 letters and digits. */
const TokenId = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().regex(/^[0-9A-Za-z]{16}$/, 'a token id is 16 letters and digits, as shown by ass tokens list'));
const ScopeList = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().max(600)).min(1, 'give at least one scope').max(LIMITS.scopes));
/** A duration as `15m`/`1h`, or whole seconds; parsed to seconds. */
const Ttl = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().max(40), zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()])
    .transform((v) => (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDuration */ .E)(v, 'TTL'))
    .describe('a duration such as 15m or 1h, or whole seconds'));
const Description = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
    .max(LIMITS.description)
    .regex(
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
/^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/, 'a description is one line of text, without control characters or direction overrides'));
/** A boolean query parameter: `true` or `false`. */
const QueryFlag = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .codec */ .rLB(zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['true', 'false'], { error: 'must be true or false' }), zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(), {
    decode: (s) => s === 'true',
    encode: (b) => (b ? 'true' : 'false'),
}));
/** A whole-number query parameter. */
const queryInt = (min, max) => zod__WEBPACK_IMPORTED_MODULE_3__/* .codec */ .rLB(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().regex(/^\d{1,15}$/, `must be a whole number from ${min} to ${max}`), zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`), {
    decode: (s) => Number(s),
    encode: (n) => String(n),
});
// ---------------------------------------------------------------------------------------------
// Identities
const TrustPolicyInput = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    issuer: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().max(512).optional(),
    claims: zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig(), zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY()])),
    scopes: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().max(600)).max(LIMITS.scopes).optional(),
}));
const TrustPolicy = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    issuer: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    claims: zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
    scopes: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()).optional(),
}));
const trustPolicyIsOneType = true;
void trustPolicyIsOneType;
const WhoAmI = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .discriminatedUnion */ .gMt('kind', [
    zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ kind: zod__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz('user'), id: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), name: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), role: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .ROLES */ .gg) }),
    zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        kind: zod__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz('agent'),
        id: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
        name: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
        scopes: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
        trustPolicy: TrustPolicy().nullable(),
    }),
    zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        kind: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['token', 'pipeline']),
        id: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
        agent: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
        scopes: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
        expiresAt: Time(),
        claims: zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()).nullable(),
    }),
]));
const Agent = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    id: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    name: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    scopes: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
    description: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    trustPolicy: TrustPolicy().nullable(),
    createdAt: Time(),
    revokedAt: NullableTime(),
}));
const CreatedAgent = lazy(() => Agent().extend({ agentKey: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP() }));
const User = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    id: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    name: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    role: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .ROLES */ .gg),
    /** May decide approval requests (admins may whether or not this is set). */
    approver: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    createdAt: Time(),
    revokedAt: NullableTime(),
}));
const CreatedUser = lazy(() => User().extend({ token: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP() }));
// ---------------------------------------------------------------------------------------------
// Tokens
/** A scoped or pipeline token as listings show it: never the credential or its hash. */
const Token = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    id: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    kind: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['token', 'pipeline']),
    agent: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    scopes: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
    createdAt: Time(),
    expiresAt: Time(),
    maxUses: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().nullable(),
    uses: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    allowedIps: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
    description: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    revokedAt: NullableTime(),
    active: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    /** Pipeline tokens: the CI claims they are bound to (repository, run_id, ...). */
    claims: zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()).nullable(),
}));
/** A token just minted: the credential, shown once, and its listing entry. */
const IssuedToken = lazy(() => Token().extend({ token: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP() }));
const Revoked = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ id: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), revoked: zod__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz(true) }));
// ---------------------------------------------------------------------------------------------
// Secrets
const SecretType = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .SECRET_TYPES */ .J1));
const Tier = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .TIERS */ .iB));
const StoredSecret = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), version: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(), type: SecretType(), tier: Tier(), createdAt: Time() }));
const SecretValue = lazy(() => StoredSecret().extend({ value: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP() }));
const SecretMetadata = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    version: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    type: SecretType(),
    tier: Tier(),
    description: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    createdAt: Time(),
    updatedAt: Time(),
    deleted: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
}));
const SecretVersion = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    version: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    /** current, previous (readable with ?stage=previous until `previousUntil`), pending (being rotated in), or null. */
    stage: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .STAGES */ .an).nullable(),
    type: SecretType(),
    tier: Tier(),
    createdAt: Time(),
    createdBy: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    deletedAt: NullableTime(),
}));
const SecretDetail = lazy(() => SecretMetadata().extend({
    versions: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(SecretVersion()),
    /** Until when the previous version stays readable (null: there is none). */
    previousUntil: NullableTime(),
    /** The rotation holding the secret's lease, if one does. */
    rotation: zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ rotationId: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), rotator: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(), leaseUntil: NullableTime() }).nullable(),
}));
const BatchPaths = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(SecretPath()).max(LIMITS.batch));
const BatchPrefixes = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(PathPrefix()).max(LIMITS.batch));
// ---------------------------------------------------------------------------------------------
// Audit
const AuditStatus = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .AUDIT_STATUSES */ .dB));
const AuditRecord = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    seq: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    time: Time(),
    requestId: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    event: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    status: AuditStatus(),
    actorType: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .ACTOR_TYPES */ .i6),
    actorId: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    actorName: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    agent: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    tokenId: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    tier: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    reason: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    ip: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    claims: zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()).nullable(),
    prevHash: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    hash: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
}));
/** `eventType=secret.read,secret.write`: a list of known events. */
const EventTypes = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .codec */ .rLB(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().max(2000), zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .AUDIT_EVENTS */ .QZ, {
    error: (iss) => `${(0,_core_text_js__WEBPACK_IMPORTED_MODULE_5__/* .quoteName */ .AB)(String(iss.input))} is not an audit event; the events are ${_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .AUDIT_EVENTS */ .QZ.join(', ')}`,
}))
    .min(1, 'name at least one audit event'), {
    decode: (s) => s
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    encode: (list) => list.join(','),
})
    .describe('audit events, comma-separated: secret.read,secret.write'));
/** `since`: a duration back from now (`15m`, `7d`) or an ISO time. The server resolves it against its clock. */
const Since = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
    .max(40)
    .refine((s) => (/^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s))) || /^(\d+|(\d+[smhd])+)$/.test(s.trim()), {
    message: 'must be a duration back from now (15m, 1h, 7d) or an ISO time (2026-01-31T12:00:00Z)',
})
    .describe('a duration back from now (15m, 1h, 7d) or an ISO time (2026-01-31T12:00:00Z)'));
/** The audit filters, as query parameters (every audit route that filters takes them). */
const AuditFilters = lazy(() => ({
    since: Since().optional(),
    eventType: EventTypes().optional(),
    status: AuditStatus().optional(),
    resourcePath: PathPrefix('resourcePath').optional(),
}));
const Problem = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ seq: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().nullable(), kind: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), message: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP() }));
const Health = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    status: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['ok', 'degraded', 'failing'])
        .describe('ok; degraded: the vault serves, but the last checkpoint could not be sent to the sink; failing: the audit log failed verification and the vault releases and changes nothing until it is restored'),
    audit: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['intact', 'broken']).describe('whether the audit log passed its last verification'),
    checkpoints: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['ok', 'failing'])
        .optional()
        .describe('with a checkpoint sink: whether the last checkpoint reached it (the server log says why not)'),
}));
const Verification = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    ok: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    count: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    headSeq: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    headHash: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    problems: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(Problem()),
}));
const Checkpoint = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    origin: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    seq: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    hash: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    time: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    signature: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    publicKey: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
}));
const AuditExport = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    version: zod__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz(1),
    events: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(AuditRecord()),
    checkpoint: Checkpoint().nullable(),
    warning: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional(),
}));

// ---------------------------------------------------------------------------------------------
// Rotation
/** A duration option (`--every 30d`, `--grace 1h`): a string with units, or whole seconds. */
const Duration = (what) => zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().max(40), zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()])
    .transform((v) => (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDuration */ .E)(v, what))
    .describe('a duration such as 1h, 30d or 90m, or whole seconds');
/** A grace period: a duration, or 0 (also "0s") to end the replaced value's life at once. */
const Grace = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .union */ .KCZ([zod__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz(0), zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['0', '0s', '0m', '0h']).transform(() => 0), Duration('grace period')]));
const RotationId = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'a rotation id is 8 to 64 letters, digits, _ or - (the begin step returns one)')
    .describe('the id the begin step returned (or chose: a rerun with the same id resumes)'));
const RotationState = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    rotationId: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    state: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['pending', 'finished', 'aborted']),
    rotator: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    fromVersion: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    toVersion: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().nullable(),
    pendingVersion: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().nullable(),
    leaseUntil: NullableTime(),
    previousVersion: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().nullable(),
    previousUntil: NullableTime(),
    resumed: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    reason: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
}));
const RotationNotify = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    webhook: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().max(2000).optional().describe('an https URL told of each rotation (plain http only to loopback)'),
    webhookSecret: SecretPath().optional().describe('the vault path of the HMAC-SHA256 key that signs each webhook'),
    dispatch: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        repository: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'OWNER/REPO'),
        eventType: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().min(1).max(100),
    })
        .optional()
        .describe('a repository_dispatch event sent after each rotation'),
}));
const RotationPolicy = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    rotator: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .ROTATORS */ .XO),
    settings: zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .unknown */ .L5J()),
    /** Seconds; null: the default for each secret's type and tier. */
    intervalSeconds: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().nullable(),
    graceSeconds: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    notify: RotationNotify().nullable(),
    enabled: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    createdAt: Time(),
    updatedAt: Time(),
    updatedBy: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
}));
/** Where one secret stands with its rotation policy. */
const RotationStatus = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    type: SecretType(),
    tier: Tier(),
    policy: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    rotator: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .ROTATORS */ .XO),
    enabled: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    intervalSeconds: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    version: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    lastRotatedAt: Time(),
    nextDue: Time(),
    /** The interval has passed (for a disabled policy too: a schedule that stopped must show). */
    due: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    overdueSeconds: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    rotating: zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ rotationId: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), leaseUntil: NullableTime() }).nullable(),
    previousUntil: NullableTime(),
    /** The grace period of the value the last rotation replaced has ended, and it has not been revoked yet. */
    revokeDue: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
}));
// ---------------------------------------------------------------------------------------------
// Approvals
/** Approval request ids, as listings show them: 16 letters and digits. */
const ApprovalId = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().regex(/^[0-9A-Za-z]{16}$/, 'an approval id is 16 letters and digits, as ass approvals list shows it'));
/** How many distinct approvers a rule wants, and how long a request waits for them. */
const ApprovalRuleInput = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    requiredApprovals: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().min(0, 'requiredApprovals is 0 (no approval) or more').max(10, 'requiredApprovals is at most 10'),
    timeout: Duration('approval timeout').optional().describe('how long a request waits for its approvals (default 24h, at most 7d)'),
}));
const ApprovalPolicyInput = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    tiers: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({ standard: ApprovalRuleInput(), sensitive: ApprovalRuleInput(), critical: ApprovalRuleInput() }),
    prefixes: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(ApprovalRuleInput().extend({
        prefix: PathPrefix('approval prefix'),
        tier: Tier().optional().describe('only secrets of this tier below the prefix (default: every tier)'),
        approvers: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(Name()).max(100).optional().describe('only these users may approve (each an admin or an approver)'),
    }))
        .max(100)
        .optional()
        .describe('rules for the secrets below a prefix; the longest matching prefix wins over the tier rule'),
    approvers: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(Name())
        .max(100)
        .optional()
        .describe('only these users may approve (each an admin or an approver); empty: every admin and approver'),
    notify: RotationNotify()
        .omit({ dispatch: true })
        .optional()
        .describe('a webhook told of each request and decision, in a shape a Slack incoming webhook accepts'),
    expectedRevision: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().min(0).optional().describe('refuse the change unless the stored policy is at this revision'),
}));
const ApprovalRule = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ requiredApprovals: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(), timeoutSeconds: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int() }));
const ApprovalPolicy = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    tiers: zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ standard: ApprovalRule(), sensitive: ApprovalRule(), critical: ApprovalRule() }),
    prefixes: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(ApprovalRule().extend({ prefix: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), tier: Tier().nullable(), approvers: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()) })),
    approvers: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
    notify: zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ webhook: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), webhookSecret: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP() }).nullable(),
    /** 0 for the built-in default (no policy was ever set). */
    revision: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    updatedAt: NullableTime(),
    updatedBy: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
}));
const Approval = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    id: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    kind: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .APPROVAL_KINDS */ ._1),
    status: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(_core_model_js__WEBPACK_IMPORTED_MODULE_4__/* .APPROVAL_STATUSES */ .NY),
    requester: zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        type: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['user', 'agent', 'token', 'pipeline']),
        name: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
        tokenId: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
        /** A pipeline's CI claims: repository, workflow, ref, run. */
        claims: zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()).nullable(),
    }),
    /** The secrets the approvers decide on. */
    paths: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
    /** The scopes a token request asked for (none for a read). */
    scopes: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
    ttl: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().nullable(),
    maxUses: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().nullable(),
    description: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(),
    ip: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    requiredApprovals: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    /** The approvals that count: by distinct users who may still approve (all of them once decided). */
    approvals: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int(),
    /** Who may approve: admins and approvers, as the policy narrows them, never the requester. */
    approvers: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()),
    rule: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    decisions: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ user: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), decision: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(['approve', 'deny']), reason: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(), at: Time() })),
    createdAt: Time(),
    expiresAt: Time(),
    decidedAt: NullableTime(),
    collectedAt: NullableTime(),
    approveCommand: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
}));
/** What a collection releases: the token asked for, or the values a held read asked for. */
const Collected = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    approval: Approval(),
    token: IssuedToken().optional(),
    secrets: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(SecretValue().omit({ createdAt: true })).optional(),
}));
// ---------------------------------------------------------------------------------------------
// Audit summaries
const Count = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int());
const AuditSummary = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    since: Time(),
    until: Time(),
    requests: Count(),
    granted: Count(),
    denied: Count(),
    errors: Count(),
    pending: Count(),
    events: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ event: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), granted: Count(), denied: Count(), error: Count(), pending: Count() })),
    secrets: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), tier: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(), reads: Count(), writes: Count(), denied: Count() })),
    actors: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ type: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), name: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(), agent: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(), requests: Count(), denied: Count() })),
    addresses: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ ip: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable(), requests: Count(), denied: Count() })),
    hours: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ hour: Time(), requests: Count(), reads: Count(), denied: Count() })),
    /** Refusals grouped by their code (the reason's first word), with one reason as an example. */
    denials: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ code: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), event: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), count: Count(), example: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable() })),
    tokens: zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ issued: Count(), exchanged: Count(), revoked: Count() }),
    exchanges: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ repository: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), workflow: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), granted: Count(), refused: Count() })),
    approvals: zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ requested: Count(), approved: Count(), denied: Count(), collected: Count(), expired: Count() }),
    rotations: zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        finished: Count(),
        aborted: Count(),
        /** How many are overdue; `overdue` lists the most overdue first, at most `limit`. */
        overdueTotal: Count(),
        overdue: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), tier: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), rotator: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), overdueSeconds: Count() })),
    }),
    lockouts: Count(),
}));
/** The anomaly checks of `POST /v1/audit/anomalies`, each documented in docs/anomalies.md. */
const ANOMALY_CHECKS = [
    'chain_broken',
    'read_volume',
    'read_spike',
    'denied_burst',
    'lockout',
    'off_hours_critical',
    'unknown_address',
    'first_read',
    'new_agent',
    'widened_scope',
    'long_lived_token',
    'unexpected_pipeline',
    'rotation_overdue',
];
const SEVERITIES = ['info', 'warning', 'critical'];
const ClockTime = () => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time of day as HH:MM (09:00, 18:30; 24:00 for midnight at the end)');
const TimeZone = () => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
    .max(64)
    .refine((tz) => {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
    }
    catch {
        return false;
    }
}, { message: 'must be an IANA time zone such as UTC, Europe/Berlin or America/New_York' });
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/**
 * How far back the anomaly checks' window, and their lookback before it, may each reach. What a
 * report costs grows with both (business hours are worked out over them, and each off-hours stretch
 * is a term of one query), so an `audit:read` token cannot ask for decades.
 */
const MAX_SPAN_DAYS = 366;
const withinSpan = (text) => {
    try {
        return (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDuration */ .E)(text) <= MAX_SPAN_DAYS * 86_400;
    }
    catch {
        return true; // not a duration: Since() and the server say what it should be
    }
};
/**
 * What the anomaly checks count as normal: thresholds, business hours, known address ranges and
 * pipelines. Every field is optional; the defaults are seed 001's.
 */
const AnomalyConfig = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
    readsPerHour: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()
        .int()
        .min(1)
        .max(10_000_000)
        .optional()
        .describe('reads in any hour of the window above which read_volume reports (default 500)'),
    spikeFactor: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()
        .min(1.5)
        .max(1000)
        .optional()
        .describe("an actor's reads in an hour above this multiple of the same hour's mean in past weeks is a spike (default 3)"),
    spikeMinimum: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()
        .int()
        .min(1)
        .max(10_000_000)
        .optional()
        .describe('fewer reads than this in an hour are never a spike (default 50)'),
    baselineWeeks: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().int().min(1).max(12).optional().describe('how many past weeks make the baseline of read_spike (default 4)'),
    deniedPerHour: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()
        .int()
        .min(1)
        .max(10_000_000)
        .optional()
        .describe('refused requests from one actor or address in an hour above which denied_burst reports (default 10)'),
    businessHours: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        days: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }))
            .min(1)
            .max(7)
            .optional(),
        start: ClockTime().optional(),
        end: ClockTime().optional(),
        timeZone: TimeZone().optional(),
    })
        .optional()
        .describe('when critical-tier access is expected (default mon-fri 09:00-19:00 UTC)'),
    offHoursHabit: zod__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()
        .int()
        .min(0)
        .max(1000)
        .optional()
        .describe('an actor that used a critical secret outside business hours in at least this many separate nights or weekends of the lookback does so by habit, and is not reported for it (default 4; 0 reports every use)'),
    checkPipelineAddresses: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY()
        .optional()
        .describe("also check the addresses of pipelines (OIDC exchanges and pipeline tokens) against knownRanges: for self-hosted runners only (default false: a hosted runner's address changes with every run, and unexpected_pipeline checks who a pipeline is)"),
    knownRanges: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().max(64))
        .max(500)
        .optional()
        .describe('address ranges (CIDR) requests are expected from; empty: any address not seen in the lookback is new'),
    lookback: Since()
        .refine(withinSpan, { message: `must be at most ${MAX_SPAN_DAYS}d` })
        .optional()
        .describe(`how far back "never before" and "new" look (default 30d, at most ${MAX_SPAN_DAYS}d)`),
    maxCriticalTokenTtl: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
        .max(40)
        .optional()
        .describe('tokens for critical paths living longer than this are reported (default 1h)'),
    pipelines: zod__WEBPACK_IMPORTED_MODULE_3__/* .strictObject */ .rej({
        repositories: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().min(1).max(200)).max(500).optional(),
        refs: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().min(1).max(300)).max(500).optional(),
    })
        .optional()
        .describe('the repositories and refs (a trailing * matches any rest) pipelines are expected from; empty: those seen in the lookback'),
    disable: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(ANOMALY_CHECKS)).max(ANOMALY_CHECKS.length).optional().describe('checks not to run'),
}));
const Anomaly = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    check: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(ANOMALY_CHECKS),
    severity: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(SEVERITIES),
    title: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().describe('one line'),
    detail: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    action: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().describe('what to do about it'),
    subject: zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        actor: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional(),
        agent: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional(),
        path: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional(),
        tier: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional(),
        ip: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional(),
        repository: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional(),
        ref: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional(),
        tokenId: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().optional(),
    })
        .describe('what the finding is about'),
    count: Count().describe('how many records triggered it'),
    firstTime: NullableTime(),
    lastTime: NullableTime(),
    records: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(AuditRecord()).describe('the records that triggered it, at most 10, newest first'),
}));
const AnomalyReport = lazy(() => zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    since: Time(),
    until: Time(),
    /** Whether the vault's own verification of its log is intact (the monitor, and the records up to now). */
    verified: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    checks: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ check: zod__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(ANOMALY_CHECKS), ran: zod__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(), note: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().nullable() })),
    anomalies: zod__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(Anomaly()).describe('most severe first'),
    /** The configuration the checks ran with, defaults filled in. */
    config: zod__WEBPACK_IMPORTED_MODULE_3__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_3__/* .unknown */ .L5J()),
}));


/***/ }),

/***/ 2131:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  U: () => (/* binding */ createClient)
});

// UNUSED EXPORTS: normaliseVaultUrl

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/parse.js
var parse = __webpack_require__(9171);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/errors.js
var errors = __webpack_require__(961);
;// CONCATENATED MODULE: ./src/api/define.ts
function defineRoute(def) {
    return { ...def, status: def.status ?? 200 };
}
/** Compiles `/v1/secrets/{path+}` into a matcher. */
function compileTemplate(template) {
    const names = [];
    const rest = new Set();
    const source = template.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\{([a-zA-Z]+)(\+?)\}/g, (_, name, plus) => {
        names.push(name);
        if (plus)
            rest.add(name);
        return plus ? '(.+)' : '([^/]+)';
    });
    return { regex: new RegExp(`^${source}$`), names, rest };
}
/** `/v1/secrets/{path+}` with `{path: 'a/b'}` → `/v1/secrets/a/b`, each segment percent-encoded. */
function fillTemplate(template, params) {
    return template.replace(/\{([a-zA-Z]+)(\+?)\}/g, (_, name, plus) => {
        const value = params[name];
        if (typeof value !== 'string')
            throw new TypeError(`missing path parameter ${name}`);
        return plus ? value.split('/').map(encodeSegment).join('/') : encodeSegment(value);
    });
}
/** Percent-encodes one segment; `.` and `..` are encoded too, so no URL parser folds them away. */
function encodeSegment(segment) {
    return segment === '.' || segment === '..' ? segment.replace(/\./g, '%2E') : encodeURIComponent(segment);
}
/**
 * A table whose entries are built on first read and kept (see `lazy` in schemas.ts): the keys are
 * there from the start, for listing and typing; each value costs its construction only when used.
 */
function lazily(thunks) {
    const table = {};
    for (const [key, make] of Object.entries(thunks)) {
        Object.defineProperty(table, key, {
            enumerable: true,
            configurable: true,
            get() {
                const value = make();
                Object.defineProperty(table, key, { value, enumerable: true, writable: false, configurable: false });
                return value;
            },
        });
    }
    return table;
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 7 modules
var schemas = __webpack_require__(3339);
// EXTERNAL MODULE: ./src/core/model.ts
var model = __webpack_require__(4146);
// EXTERNAL MODULE: ./src/api/schemas.ts
var api_schemas = __webpack_require__(8164);
;// CONCATENATED MODULE: ./src/api/routes.ts
/**
 * The vault's HTTP API, one declaration per route (see define.ts). docs/api.md is generated from
 * this table (`npm run docs:api`) and a test fails when it drifts.
 */




const NoParams = (0,api_schemas/* lazy */.RZ)(() => schemas/* strictObject */.rej({}));
const NoQuery = (0,api_schemas/* lazy */.RZ)(() => schemas/* strictObject */.rej({}));
const NoBody = (0,api_schemas/* lazy */.RZ)(() => schemas/* undefined */.Vxk());
const PathParam = (0,api_schemas/* lazy */.RZ)(() => schemas/* strictObject */.rej({ path: (0,api_schemas/* SecretPath */.a1)() }));
/** Roles that may use secret values, those that may see metadata, and those that read the audit log. */
const VALUE_ROLES = ['admin', 'editor'];
const METADATA_ROLES = ['admin', 'editor', 'viewer'];
const AUDIT_ROLES = ['admin', 'auditor'];
const ADMIN = ['admin'];
const Lockout = (0,api_schemas/* lazy */.RZ)(() => schemas/* object */.Ikc({
    subject: schemas/* enum */.k5n(['address', 'credential']),
    /** The address (an IPv6 /64 counts as one) or KIND:ID of the credential. */
    id: schemas/* string */.YjP(),
    /** When the lockout ends (ISO 8601); null while it is only counting. */
    lockedUntil: schemas/* string */.YjP().nullable(),
    retryAfter: schemas/* number */.aig().int().nullable(),
    failures: schemas/* number */.aig().int(),
    lockouts: schemas/* number */.aig().int(),
    refused: schemas/* number */.aig().int(),
}));
const API = lazily({
    health: () => defineRoute({
        method: 'GET',
        path: '/v1/health',
        summary: 'Liveness probe, and whether the audit log verifies.',
        params: NoParams(),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* Health */.Xk)(),
        access: { anonymous: true, what: 'check health' },
        event: null,
        servesBrokenLog: true,
    }),
    whoami: () => defineRoute({
        method: 'GET',
        path: '/v1/whoami',
        summary: 'Who the credential belongs to.',
        params: NoParams(),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* WhoAmI */.mi)(),
        access: { users: model/* ROLES */.gg, agent: true, tokens: true, what: 'look themselves up' },
        event: 'auth.whoami',
    }),
    issueToken: () => defineRoute({
        method: 'POST',
        path: '/v1/tokens',
        summary: "An agent issues itself a short-lived token whose scopes lie within the agent's; a `ttl` over the vault's maximum is refused.",
        params: NoParams(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            scopes: (0,api_schemas/* ScopeList */.L_)(),
            ttl: (0,api_schemas/* Ttl */.F7)(),
            maxUses: schemas/* number */.aig().int().min(1).max(api_schemas/* LIMITS */.b1.maxUses).optional(),
            allowedIps: schemas/* array */.YOg(schemas/* string */.YjP().max(100).describe('an IPv4 or IPv6 address or CIDR range')).max(api_schemas/* LIMITS */.b1.allowedIps).optional(),
            description: (0,api_schemas/* Description */.VY)().optional(),
        }),
        response: (0,api_schemas/* IssuedToken */.fX)(),
        status: 201,
        access: { agent: true, what: 'issue tokens' },
        event: 'token.issue',
        rate: 'exchange',
    }),
    exchangeToken: () => defineRoute({
        method: 'POST',
        path: '/v1/tokens/exchange',
        summary: "The agent key plus a CI OIDC token that passes the agent's trust policy become a pipeline token bound to the run; `ttl` defaults to the vault's maximum for pipeline tokens and is capped at it.",
        params: NoParams(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            oidcToken: schemas/* string */.YjP()
                .min(1, 'oidcToken is empty')
                .max(16 * 1024),
            scopes: schemas/* array */.YOg(schemas/* string */.YjP().max(600))
                .min(1, "give at least one scope, or leave scopes out to get the agent's")
                .max(api_schemas/* LIMITS */.b1.scopes)
                .optional(),
            ttl: (0,api_schemas/* Ttl */.F7)().optional(),
            maxUses: schemas/* number */.aig().int().min(1).max(api_schemas/* LIMITS */.b1.maxUses).optional(),
            description: (0,api_schemas/* Description */.VY)().optional(),
        }),
        response: (0,api_schemas/* IssuedToken */.fX)(),
        status: 201,
        access: { agent: true, what: 'exchange an OIDC token' },
        event: 'token.exchange',
        // (Its exchange allowance is taken in the handler, once the OIDC token has passed: the key
        // alone, or a run the policy refuses, must not use up the production pipeline's.)
    }),
    listTokens: () => defineRoute({
        method: 'GET',
        path: '/v1/tokens',
        summary: 'Tokens, live ones unless `all`; `path`: those whose scopes reach a secret (incident response).',
        params: NoParams(),
        query: schemas/* strictObject */.rej({ agent: (0,api_schemas/* Name */.SX)().optional(), path: (0,api_schemas/* SecretPath */.a1)().optional(), all: (0,api_schemas/* QueryFlag */.zv)().optional() }),
        body: NoBody(),
        response: schemas/* object */.Ikc({ tokens: schemas/* array */.YOg((0,api_schemas/* Token */.ou)()) }),
        access: { users: ADMIN, what: 'list tokens' },
        event: 'token.list',
    }),
    tokenSelf: () => defineRoute({
        method: 'GET',
        path: '/v1/tokens/self',
        summary: 'A scoped or pipeline token looks itself up.',
        params: NoParams(),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* Token */.ou)(),
        access: { tokens: true, what: 'look a token up' },
        event: 'token.lookup',
    }),
    revokeSelf: () => defineRoute({
        method: 'DELETE',
        path: '/v1/tokens/self',
        summary: 'A scoped or pipeline token revokes itself (the fetch action does at the end of the job).',
        params: NoParams(),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* Revoked */.Pr)(),
        access: { tokens: true, what: 'revoke a token' },
        event: 'token.revoke',
    }),
    revokeToken: () => defineRoute({
        method: 'DELETE',
        path: '/v1/tokens/{id}',
        summary: 'Revoke a token by its id.',
        params: schemas/* strictObject */.rej({ id: (0,api_schemas/* TokenId */.zg)() }),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* Revoked */.Pr)(),
        access: { users: ADMIN, what: 'revoke tokens' },
        event: 'token.revoke',
    }),
    createAgent: () => defineRoute({
        method: 'POST',
        path: '/v1/agents',
        summary: 'Register an agent (one per service); its key is in the answer, once.',
        params: NoParams(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            name: (0,api_schemas/* Name */.SX)(),
            scopes: (0,api_schemas/* ScopeList */.L_)(),
            description: (0,api_schemas/* Description */.VY)().optional(),
            trustPolicy: (0,api_schemas/* TrustPolicyInput */.n$)().optional(),
        }),
        response: (0,api_schemas/* CreatedAgent */.mk)(),
        status: 201,
        access: { users: ADMIN, what: 'create agents' },
        event: 'agent.create',
    }),
    listAgents: () => defineRoute({
        method: 'GET',
        path: '/v1/agents',
        summary: 'Agents, with their scopes and trust policies.',
        params: NoParams(),
        query: NoQuery(),
        body: NoBody(),
        response: schemas/* object */.Ikc({ agents: schemas/* array */.YOg((0,api_schemas/* Agent */.g6)()) }),
        access: { users: ADMIN, what: 'list agents' },
        event: 'agent.list',
    }),
    revokeAgent: () => defineRoute({
        method: 'DELETE',
        path: '/v1/agents/{name}',
        summary: 'Revoke an agent: its key and every live token it issued, in one transaction.',
        params: schemas/* strictObject */.rej({ name: (0,api_schemas/* Name */.SX)() }),
        query: NoQuery(),
        body: NoBody(),
        response: schemas/* object */.Ikc({ name: schemas/* string */.YjP(), revoked: schemas/* literal */.euz(true), tokensRevoked: schemas/* number */.aig().int() }),
        access: { users: ADMIN, what: 'revoke agents' },
        event: 'agent.revoke',
    }),
    createUser: () => defineRoute({
        method: 'POST',
        path: '/v1/users',
        summary: "Create a person's account; their token is in the answer, once.",
        params: NoParams(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            name: (0,api_schemas/* Name */.SX)(),
            role: schemas/* enum */.k5n(model/* ROLES */.gg, { error: `role must be one of ${model/* ROLES */.gg.join(', ')}` }),
            approver: schemas/* boolean */.zMY().optional().describe('may decide approval requests (admins may anyway)'),
        }),
        response: (0,api_schemas/* CreatedUser */.Ir)(),
        status: 201,
        access: { users: ADMIN, what: 'create users' },
        event: 'user.create',
    }),
    listUsers: () => defineRoute({
        method: 'GET',
        path: '/v1/users',
        summary: 'Users, revoked ones included.',
        params: NoParams(),
        query: NoQuery(),
        body: NoBody(),
        response: schemas/* object */.Ikc({ users: schemas/* array */.YOg((0,api_schemas/* User */.KJ)()) }),
        access: { users: ADMIN, what: 'list users' },
        event: 'user.list',
    }),
    updateUser: () => defineRoute({
        method: 'PATCH',
        path: '/v1/users/{name}',
        summary: 'Make a user an approver of approval requests, or no longer one.',
        params: schemas/* strictObject */.rej({ name: (0,api_schemas/* Name */.SX)() }),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({ approver: schemas/* boolean */.zMY({ error: 'approver must be true or false' }) }),
        response: (0,api_schemas/* User */.KJ)(),
        access: { users: ADMIN, what: 'update users' },
        event: 'user.update',
    }),
    revokeUser: () => defineRoute({
        method: 'DELETE',
        path: '/v1/users/{name}',
        summary: "Revoke a user's token (never the last active admin).",
        params: schemas/* strictObject */.rej({ name: (0,api_schemas/* Name */.SX)() }),
        query: NoQuery(),
        body: NoBody(),
        response: schemas/* object */.Ikc({ name: schemas/* string */.YjP(), revoked: schemas/* literal */.euz(true) }),
        access: { users: ADMIN, what: 'revoke users' },
        event: 'user.revoke',
    }),
    putSecret: () => defineRoute({
        method: 'PUT',
        path: '/v1/secrets/{path+}',
        summary: 'Store a new version (`expectedVersion`: compare-and-set, 0 = create only).',
        params: PathParam(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            value: schemas/* string */.YjP({ error: 'value must be a string' })
                .min(1, 'value is empty: a secret needs a value')
                .describe(`at most ${api_schemas/* LIMITS */.b1.valueBytes} bytes in UTF-8`),
            type: (0,api_schemas/* SecretType */.H$)().optional(),
            tier: (0,api_schemas/* Tier */.Ju)().optional(),
            description: (0,api_schemas/* Description */.VY)().optional(),
            expectedVersion: schemas/* number */.aig().int().min(0).optional(),
        }),
        response: (0,api_schemas/* StoredSecret */.sG)(),
        access: {
            users: VALUE_ROLES,
            tokens: true,
            secret: { verb: 'write', paths: (i) => [i.params.path] },
            uses: 1,
            what: 'write secrets',
        },
        event: 'secret.write',
    }),
    getSecret: () => defineRoute({
        method: 'GET',
        path: '/v1/secrets/{path+}',
        summary: 'Read a secret value: the current version, `version`, or a rotation `stage` (`previous` until its grace period ends; `pending` needs `secrets:rotate` too).',
        params: PathParam(),
        query: schemas/* strictObject */.rej({
            version: (0,api_schemas/* queryInt */.Ah)(1, 999_999_999).optional(),
            stage: schemas/* enum */.k5n(model/* STAGES */.an, { error: 'must be current, previous or pending' }).optional(),
            revoke: (0,api_schemas/* QueryFlag */.zv)()
                .optional()
                .describe('with stage=previous: a rotator reading the replaced value once more after its grace period, to revoke it'),
            reason: (0,api_schemas/* Description */.VY)().optional().describe('why, for the approvers, should the read be held for approval'),
            rotating: (0,api_schemas/* SecretPath */.a1)()
                .optional()
                .describe("a rotator's read within the rotation of this secret (its lease is held, or its replaced value is due to be revoked): the secret itself, or a vault path its rotation policy names; needs secrets:rotate on it, and is not held for approval"),
        })
            .refine((q) => q.version === undefined || q.stage === undefined, { message: 'give version or stage, not both' }),
        body: NoBody(),
        response: (0,api_schemas/* SecretValue */.iJ)(),
        access: { users: VALUE_ROLES, tokens: true, secret: { verb: 'read', paths: (i) => [i.params.path] }, uses: 1, what: 'read secrets' },
        event: 'secret.read',
        rate: 'read',
    }),
    deleteSecret: () => defineRoute({
        method: 'DELETE',
        path: '/v1/secrets/{path+}',
        summary: 'Soft-delete a secret; its versions are kept.',
        params: PathParam(),
        query: NoQuery(),
        body: NoBody(),
        response: schemas/* object */.Ikc({ path: schemas/* string */.YjP(), deleted: schemas/* literal */.euz(true), version: schemas/* number */.aig().int() }),
        access: {
            users: VALUE_ROLES,
            tokens: true,
            secret: { verb: 'write', paths: (i) => [i.params.path] },
            uses: 1,
            what: 'delete secrets',
        },
        event: 'secret.delete',
    }),
    batchRead: () => defineRoute({
        method: 'POST',
        path: '/v1/batch/read',
        summary: 'Read many secrets at once, all or nothing: each path, and every live secret below each prefix.',
        params: NoParams(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            paths: (0,api_schemas/* BatchPaths */.vl)().optional(),
            prefixes: (0,api_schemas/* BatchPrefixes */.Tu)().optional(),
            description: (0,api_schemas/* Description */.VY)().optional().describe('why, for the approvers, should the read be held for approval'),
        })
            // The same path or prefix twice would cost the same work twice.
            .transform((b) => ({
            paths: [...new Set(b.paths ?? [])],
            prefixes: [...new Set(b.prefixes ?? [])],
            ...(b.description === undefined ? {} : { description: b.description }),
        }))
            .refine((b) => b.paths.length + b.prefixes.length > 0, 'give at least one entry in paths or prefixes')
            .refine((b) => b.paths.length + b.prefixes.length <= api_schemas/* LIMITS */.b1.batch, `at most ${api_schemas/* LIMITS */.b1.batch} paths and prefixes in all`)
            .describe(`At least one entry in paths or prefixes and at most ${api_schemas/* LIMITS */.b1.batch} in all (a repeated entry counts once); at most ${api_schemas/* LIMITS */.b1.batch} secrets in the answer.`),
        response: schemas/* object */.Ikc({ secrets: schemas/* array */.YOg((0,api_schemas/* SecretValue */.iJ)().omit({ createdAt: true })) }),
        access: {
            users: VALUE_ROLES,
            tokens: true,
            secret: { verb: 'read', paths: (i) => i.body.paths, prefixes: (i) => i.body.prefixes },
            uses: (i) => i.body.paths.length + i.body.prefixes.length,
            what: 'read secrets',
        },
        event: 'secret.batch_read',
        rate: 'read',
    }),
    listMetadata: () => defineRoute({
        method: 'GET',
        path: '/v1/metadata',
        summary: "Secrets' metadata below `prefix`, never values; a token sees what its list scopes cover.",
        params: NoParams(),
        query: schemas/* strictObject */.rej({
            prefix: (0,api_schemas/* PathPrefix */.uh)().optional(),
            deleted: (0,api_schemas/* QueryFlag */.zv)().optional(),
        }),
        body: NoBody(),
        response: schemas/* object */.Ikc({ secrets: schemas/* array */.YOg((0,api_schemas/* SecretMetadata */.K0)()) }),
        access: {
            users: METADATA_ROLES,
            tokens: true,
            secret: { verb: 'list', filter: true, prefixes: (i) => [i.query.prefix ?? ''] },
            uses: 1,
            what: 'list secrets',
        },
        event: 'secret.list',
    }),
    getMetadata: () => defineRoute({
        method: 'GET',
        path: '/v1/metadata/{path+}',
        summary: "One secret's metadata and versions, never values.",
        params: PathParam(),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* SecretDetail */.cf)(),
        access: {
            users: METADATA_ROLES,
            tokens: true,
            secret: { verb: 'list', paths: (i) => [i.params.path] },
            uses: 1,
            what: 'read secret metadata',
        },
        event: 'secret.metadata',
    }),
    queryAudit: () => defineRoute({
        method: 'GET',
        path: '/v1/audit',
        summary: 'Audit records, newest first; with `afterSeq`, oldest first from there (tailing).',
        params: NoParams(),
        query: schemas/* strictObject */.rej({
            limit: (0,api_schemas/* queryInt */.Ah)(1, api_schemas/* LIMITS */.b1.auditPage).optional(),
            afterSeq: (0,api_schemas/* queryInt */.Ah)(0, Number.MAX_SAFE_INTEGER).optional(),
            ...(0,api_schemas/* AuditFilters */.vI)(),
        }),
        body: NoBody(),
        response: schemas/* object */.Ikc({ events: schemas/* array */.YOg((0,api_schemas/* AuditRecord */.np)()), nextSeq: schemas/* number */.aig().int() }),
        access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'read the audit log' },
        event: 'audit.query',
        servesBrokenLog: true,
    }),
    auditSummary: () => defineRoute({
        method: 'GET',
        path: '/v1/audit/summary',
        summary: 'What happened in a window (`since`, default 24h): requests by event and result, reads and writes per secret, per actor and per address, an hourly series, refusals by reason, tokens, exchanges by repository and workflow, approvals, rotations (and what is overdue), lockouts. Counted by the store.',
        params: NoParams(),
        query: schemas/* strictObject */.rej({ since: (0,api_schemas/* Since */.z9)().optional(), limit: (0,api_schemas/* queryInt */.Ah)(1, 1000).optional() }),
        body: NoBody(),
        response: (0,api_schemas/* AuditSummary */.I1)(),
        access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'summarise the audit log' },
        event: 'audit.summary',
    }),
    auditAnomalies: () => defineRoute({
        method: 'POST',
        path: '/v1/audit/anomalies',
        summary: 'Suspicious patterns in a window (`since`, default 1h), each with a severity, what to do and the records that triggered it: read volume and spikes against past weeks, bursts of refusals, lockouts, critical access outside business hours, unknown addresses, first reads, new agents and widened scopes, long-lived tokens for critical paths, pipelines from unexpected repositories or refs, overdue rotations, and a log that fails verification. The body carries the thresholds (docs/anomalies.md).',
        params: NoParams(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({ since: (0,api_schemas/* Since */.z9)().optional(), config: (0,api_schemas/* AnomalyConfig */.KG)().optional() }),
        response: (0,api_schemas/* AnomalyReport */.e2)(),
        access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'check the audit log for anomalies' },
        event: 'audit.anomalies',
        servesBrokenLog: true,
    }),
    verifyAudit: () => defineRoute({
        method: 'GET',
        path: '/v1/audit/verify',
        summary: 'Recompute the whole hash chain and check it against the authenticated head.',
        params: NoParams(),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* Verification */.o6)(),
        access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'verify the audit log' },
        event: 'audit.verify',
        servesBrokenLog: true,
        answersWithoutAudit: true,
    }),
    exportAudit: () => defineRoute({
        method: 'GET',
        path: '/v1/audit/export',
        summary: 'Every matching record with its chain fields: JSON with a signed checkpoint, or CSV.',
        params: NoParams(),
        query: schemas/* strictObject */.rej({ format: schemas/* enum */.k5n(['json', 'csv'], { error: 'must be json or csv' }).optional(), ...(0,api_schemas/* AuditFilters */.vI)() }),
        body: NoBody(),
        response: (0,api_schemas/* AuditExport */.YS)(),
        text: 'text/csv; charset=utf-8',
        access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'export the audit log' },
        event: 'audit.export',
        servesBrokenLog: true,
        answersWithoutAudit: true,
    }),
    auditCheckpoint: () => defineRoute({
        method: 'GET',
        path: '/v1/audit/checkpoint',
        summary: 'A signed (Ed25519) checkpoint of the chain head, to keep off the vault machine.',
        params: NoParams(),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* Checkpoint */.F9)(),
        access: { users: AUDIT_ROLES, tokens: true, audit: 'read', what: 'read audit checkpoints' },
        event: 'audit.checkpoint',
    }),
    rotateAgentKey: () => defineRoute({
        method: 'POST',
        path: '/v1/agents/{name}/key',
        summary: "Give an agent a new key (shown once). The old key keeps working for `grace` (default 1h; 0 ends it now), so whatever holds it can switch over. An admin, the agent's own key, or a rotator with `secrets:rotate` on `path`, a secret under an agent-key rotation policy for this agent.",
        params: schemas/* strictObject */.rej({ name: (0,api_schemas/* Name */.SX)() }),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            grace: (0,api_schemas/* Grace */.bq)().optional(),
            path: (0,api_schemas/* SecretPath */.a1)().optional().describe('for a rotator: the secret whose agent-key rotation policy names this agent'),
        }),
        response: schemas/* object */.Ikc({
            name: schemas/* string */.YjP(),
            agentKey: schemas/* string */.YjP(),
            keyId: schemas/* string */.YjP(),
            previousKeyId: schemas/* string */.YjP(),
            previousKeyUntil: (0,api_schemas/* NullableTime */["do"])(),
        }),
        access: { users: ADMIN, agent: true, tokens: true, what: 'rotate agent keys' },
        event: 'agent.rotate_key',
    }),
    listRotationPolicies: () => defineRoute({
        method: 'GET',
        path: '/v1/rotation/policies',
        summary: 'Rotation policies, and every secret one covers with when it is due (`due`: only those due or overdue, disabled policies included, or whose replaced value is due to be revoked). A token sees what its rotate scopes cover.',
        params: NoParams(),
        query: schemas/* strictObject */.rej({ due: (0,api_schemas/* QueryFlag */.zv)().optional(), prefix: (0,api_schemas/* PathPrefix */.uh)().optional() }),
        body: NoBody(),
        response: schemas/* object */.Ikc({ policies: schemas/* array */.YOg((0,api_schemas/* RotationPolicy */.PF)()), secrets: schemas/* array */.YOg((0,api_schemas/* RotationStatus */.NE)()) }),
        access: {
            users: METADATA_ROLES,
            tokens: true,
            secret: { verb: 'rotate', filter: true, prefixes: (i) => [i.query.prefix ?? ''] },
            what: 'list rotation policies',
        },
        event: 'rotation.list',
    }),
    putRotationPolicy: () => defineRoute({
        method: 'PUT',
        path: '/v1/rotation/policies/{path+}',
        summary: 'Set the rotation policy of a secret (`path`) or of every secret below a prefix (`prefix/*`): the rotator and its settings, the interval (default by type and tier), the grace period, where to notify.',
        params: schemas/* strictObject */.rej({ path: schemas/* string */.YjP().min(1).max(1100) }),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            rotator: schemas/* enum */.k5n(model/* ROTATORS */.XO, { error: `must be one of ${model/* ROTATORS */.XO.join(', ')}` }),
            settings: schemas/* record */.g1P(schemas/* string */.YjP().max(64), schemas/* unknown */.L5J()).optional(),
            every: (0,api_schemas/* Duration */.dw)('rotation interval').optional(),
            grace: (0,api_schemas/* Grace */.bq)().optional(),
            notify: (0,api_schemas/* RotationNotify */.YI)().optional(),
            enabled: schemas/* boolean */.zMY().optional(),
        }),
        response: (0,api_schemas/* RotationPolicy */.PF)(),
        access: { users: ADMIN, what: 'set rotation policies' },
        event: 'rotation.policy_set',
    }),
    deleteRotationPolicy: () => defineRoute({
        method: 'DELETE',
        path: '/v1/rotation/policies/{path+}',
        summary: 'Remove a rotation policy (the secrets stay as they are).',
        params: schemas/* strictObject */.rej({ path: schemas/* string */.YjP().min(1).max(1100) }),
        query: NoQuery(),
        body: NoBody(),
        response: schemas/* object */.Ikc({ path: schemas/* string */.YjP(), deleted: schemas/* literal */.euz(true) }),
        access: { users: ADMIN, what: 'delete rotation policies' },
        event: 'rotation.policy_delete',
    }),
    beginRotation: () => defineRoute({
        method: 'POST',
        path: '/v1/rotation/begin/{path+}',
        summary: "Begin rotating a secret: takes its lease (`lease`, default 15m) and returns the rotation's id. Refused while another rotation holds it; the same `rotationId` again resumes (or says how it ended).",
        params: PathParam(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            rotationId: (0,api_schemas/* RotationId */.Ac)().optional(),
            rotator: schemas/* enum */.k5n(model/* ROTATORS */.XO, { error: `must be one of ${model/* ROTATORS */.XO.join(', ')}` }),
            lease: (0,api_schemas/* Duration */.dw)('lease').optional(),
            force: schemas/* boolean */.zMY()
                .optional()
                .describe('rotate even while the previous value is in its grace period, ending it early (a leaked value)'),
        }),
        response: (0,api_schemas/* RotationState */.S_)(),
        access: {
            users: VALUE_ROLES,
            tokens: true,
            secret: { verb: 'rotate', paths: (i) => [i.params.path] },
            uses: 1,
            what: 'rotate secrets',
        },
        event: 'rotation.begin',
    }),
    putPendingValue: () => defineRoute({
        method: 'PUT',
        path: '/v1/rotation/pending/{path+}',
        summary: 'Store the new value as the pending version (not yet what a read returns); again replaces it.',
        params: PathParam(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            rotationId: (0,api_schemas/* RotationId */.Ac)(),
            value: schemas/* string */.YjP({ error: 'value must be a string' })
                .min(1, 'value is empty')
                .describe(`at most ${api_schemas/* LIMITS */.b1.valueBytes} bytes in UTF-8`),
        }),
        response: (0,api_schemas/* RotationState */.S_)(),
        access: {
            users: VALUE_ROLES,
            tokens: true,
            secret: { verb: 'rotate', paths: (i) => [i.params.path] },
            uses: 1,
            what: 'rotate secrets',
        },
        event: 'rotation.pending',
    }),
    finishRotation: () => defineRoute({
        method: 'POST',
        path: '/v1/rotation/finish/{path+}',
        summary: "Promote the pending version to current; the current one becomes previous, readable for `grace` (default: the policy's, else 1h).",
        params: PathParam(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({ rotationId: (0,api_schemas/* RotationId */.Ac)(), grace: (0,api_schemas/* Grace */.bq)().optional() }),
        response: (0,api_schemas/* RotationState */.S_)(),
        access: {
            users: VALUE_ROLES,
            tokens: true,
            secret: { verb: 'rotate', paths: (i) => [i.params.path] },
            uses: 1,
            what: 'rotate secrets',
        },
        event: 'rotation.finish',
    }),
    abortRotation: () => defineRoute({
        method: 'POST',
        path: '/v1/rotation/abort/{path+}',
        summary: 'Drop the pending version and release the lease; the current value stays.',
        params: PathParam(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({ rotationId: (0,api_schemas/* RotationId */.Ac)(), reason: schemas/* string */.YjP().min(1).max(500) }),
        response: (0,api_schemas/* RotationState */.S_)(),
        access: {
            users: VALUE_ROLES,
            tokens: true,
            secret: { verb: 'rotate', paths: (i) => [i.params.path] },
            uses: 1,
            what: 'rotate secrets',
        },
        event: 'rotation.abort',
    }),
    retirePrevious: () => defineRoute({
        method: 'POST',
        path: '/v1/rotation/retire/{path+}',
        summary: 'After its grace period, once the rotator has revoked the replaced value at its provider: forget it (the previous stage is gone, for rotators too).',
        params: PathParam(),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({ version: schemas/* number */.aig().int().min(1) }),
        response: schemas/* object */.Ikc({ path: schemas/* string */.YjP(), version: schemas/* number */.aig().int(), retired: schemas/* literal */.euz(true) }),
        access: {
            users: VALUE_ROLES,
            tokens: true,
            secret: { verb: 'rotate', paths: (i) => [i.params.path] },
            uses: 1,
            what: 'rotate secrets',
        },
        event: 'rotation.retire',
    }),
    listLockouts: () => defineRoute({
        method: 'GET',
        path: '/v1/lockouts',
        summary: 'Addresses and credential ids in a lockout, or still counting failed credential checks (`all`), with when each lockout ends.',
        params: NoParams(),
        query: schemas/* strictObject */.rej({ all: (0,api_schemas/* QueryFlag */.zv)().optional() }),
        body: NoBody(),
        response: schemas/* object */.Ikc({ lockouts: schemas/* array */.YOg(Lockout()) }),
        access: { users: ADMIN, what: 'list lockouts' },
        event: 'lockout.list',
        servesBrokenLog: true,
    }),
    clearLockouts: () => defineRoute({
        method: 'DELETE',
        path: '/v1/lockouts',
        summary: 'End lockouts and forget their counters: one `address`, one `credential` id, or `all`.',
        params: NoParams(),
        query: schemas/* strictObject */.rej({
            address: schemas/* string */.YjP().min(1).max(100).optional(),
            credential: schemas/* string */.YjP()
                .regex(/^(user|agent|token|pipeline):[A-Za-z0-9]{1,100}$/, 'must be KIND:ID as ass lockouts list shows it, such as token:4f7KpQ2mX9aB3cD1')
                .optional(),
            all: (0,api_schemas/* QueryFlag */.zv)().optional(),
        })
            .refine((q) => [q.address, q.credential, q.all].filter((x) => x !== undefined && x !== false).length === 1, {
            message: 'give exactly one of address, credential or all',
        }),
        body: NoBody(),
        response: schemas/* object */.Ikc({ cleared: schemas/* number */.aig().int() }),
        access: { users: ADMIN, what: 'clear lockouts' },
        event: 'lockout.clear',
    }),
    approvalPolicy: () => defineRoute({
        method: 'GET',
        path: '/v1/approvals/policy',
        summary: 'The approval policy: required approvals and timeout per tier and per path prefix, who may approve, the webhook.',
        params: NoParams(),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* ApprovalPolicy */.K2)(),
        access: { users: model/* ROLES */.gg, agent: true, tokens: true, what: 'read the approval policy' },
        event: 'approval.policy_show',
    }),
    setApprovalPolicy: () => defineRoute({
        method: 'PUT',
        path: '/v1/approvals/policy',
        summary: 'Replace the approval policy (`expectedRevision`: only if nobody changed it since). Every approver it names must be an admin or an approver.',
        params: NoParams(),
        query: NoQuery(),
        body: (0,api_schemas/* ApprovalPolicyInput */.yI)(),
        response: (0,api_schemas/* ApprovalPolicy */.K2)(),
        access: { users: ADMIN, what: 'set the approval policy' },
        event: 'approval.policy_set',
    }),
    listApprovals: () => defineRoute({
        method: 'GET',
        path: '/v1/approvals',
        summary: 'Approval requests, newest first: every one for admins and approvers, their own for everybody else (`status` narrows; default pending and approved).',
        params: NoParams(),
        query: schemas/* strictObject */.rej({
            status: schemas/* enum */.k5n(['pending', 'approved', 'denied', 'expired', 'collected', 'all'], {
                error: 'must be pending, approved, denied, expired, collected or all',
            })
                .optional(),
            limit: (0,api_schemas/* queryInt */.Ah)(1, 1000).optional(),
        }),
        body: NoBody(),
        response: schemas/* object */.Ikc({ approvals: schemas/* array */.YOg((0,api_schemas/* Approval */.CP)()) }),
        access: { users: model/* ROLES */.gg, agent: true, tokens: true, what: 'list approval requests' },
        event: 'approval.list',
    }),
    getApproval: () => defineRoute({
        method: 'GET',
        path: '/v1/approvals/{id}',
        summary: 'One approval request: what it covers, who asked, who may approve, the decisions so far (approvers, and the requester polling).',
        params: schemas/* strictObject */.rej({ id: (0,api_schemas/* ApprovalId */.vA)() }),
        query: NoQuery(),
        body: NoBody(),
        response: (0,api_schemas/* Approval */.CP)(),
        access: { users: model/* ROLES */.gg, agent: true, tokens: true, what: 'read approval requests' },
        event: 'approval.show',
    }),
    approveRequest: () => defineRoute({
        method: 'POST',
        path: '/v1/approvals/{id}/approve',
        summary: 'Approve a pending request (an admin or approver, never the requester; N required approvals means N distinct approvers). Final.',
        params: schemas/* strictObject */.rej({ id: (0,api_schemas/* ApprovalId */.vA)() }),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({ reason: (0,api_schemas/* Description */.VY)().optional() }),
        response: (0,api_schemas/* Approval */.CP)(),
        access: { users: model/* ROLES */.gg, what: 'approve requests' },
        event: 'approval.approve',
    }),
    denyRequest: () => defineRoute({
        method: 'POST',
        path: '/v1/approvals/{id}/deny',
        summary: 'Deny a pending request, with a reason the requester sees. One denial ends it.',
        params: schemas/* strictObject */.rej({ id: (0,api_schemas/* ApprovalId */.vA)() }),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({ reason: (0,api_schemas/* Description */.VY)().min(1, 'give a reason: the requester sees it') }),
        response: (0,api_schemas/* Approval */.CP)(),
        access: { users: model/* ROLES */.gg, what: 'deny requests' },
        event: 'approval.deny',
    }),
    collectApproval: () => defineRoute({
        method: 'POST',
        path: '/v1/approvals/{id}/collect',
        summary: "The requester collects what an approved request asked for, once: a token (the requested TTL and `maxUses`, reading only the approved paths among those needing approval) or the held read's values. A pipeline sends a fresh OIDC token of the same run. Pending: 202 `approval_required` again.",
        params: schemas/* strictObject */.rej({ id: (0,api_schemas/* ApprovalId */.vA)() }),
        query: NoQuery(),
        body: schemas/* strictObject */.rej({
            oidcToken: schemas/* string */.YjP()
                .min(1)
                .max(16 * 1024)
                .optional()
                .describe('for an exchange held for approval: a fresh OIDC token of the same CI run'),
        }),
        response: (0,api_schemas/* Collected */.iG)(),
        access: { users: model/* ROLES */.gg, agent: true, tokens: true, what: 'collect approved requests' },
        event: 'approval.collect',
    }),
});
// Every entry is a route declaration.
API;

// EXTERNAL MODULE: ./src/core/errors.ts
var core_errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(7253);
;// CONCATENATED MODULE: ./src/client/client.ts
/**
 * Typed client for the vault's HTTP API, used by the `ass` CLI and the GitHub Actions. Requests are
 * built from the route declarations in src/api/routes.ts and every answer is checked against its
 * response schema, so the client and the server cannot drift apart silently.
 *
 * - A server error `{error: {code, message, requestId}}` becomes `AppError(code, message)` with the
 *   request id appended; an unknown code becomes `internal`.
 * - A network failure becomes `AppError('unavailable')` naming the URL and where it came from.
 * - Retries are opt-in (`retry`): the shared policy of src/core/retry.ts. `timeoutMs` is an overall
 *   deadline across every attempt and wait.
 * - The credential and secret values never appear in an error message.
 */






const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_USER_AGENT = 'agent-secret-store-client/0.1.0';
const STATUS_CODES = {
    400: 'invalid_input',
    401: 'unauthenticated',
    403: 'denied',
    404: 'not_found',
    409: 'conflict',
    413: 'payload_too_large',
    429: 'rate_limited',
    503: 'unavailable',
};
/** Parses and normalises the vault URL (no trailing slash). */
function normaliseVaultUrl(input, source = 'ASS_URL') {
    let parsed;
    try {
        parsed = new URL(input);
    }
    catch {
        throw new core_errors/* AppError */.uV('invalid_input', `The vault URL ${JSON.stringify(String(input).slice(0, 100))} is not a URL: give one such as http://127.0.0.1:8200 (${source}).`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new core_errors/* AppError */.uV('invalid_input', `The vault URL must start with http:// or https://, not ${parsed.protocol}//.`);
    }
    if (parsed.username || parsed.password) {
        throw new core_errors/* AppError */.uV('invalid_input', 'The vault URL must not contain a user name or password; pass credentials through ASS_TOKEN or ASS_AGENT_KEY.');
    }
    if (parsed.search || parsed.hash) {
        throw new core_errors/* AppError */.uV('invalid_input', 'The vault URL must not contain a query string or fragment; give only the scheme, host, port and optional base path.');
    }
    return parsed.toString().replace(/\/+$/, '');
}
/** The query values on the wire, encoded by the route's schema (`all: true` → `all=true`). */
function queryString(def, query) {
    if (query === undefined)
        return '';
    let encoded;
    try {
        encoded = parse/* encode */.lF(def.query, query);
    }
    catch (err) {
        if (!(err instanceof errors/* ZodError */.G))
            throw err;
        const issue = err.issues[0];
        throw new core_errors/* AppError */.uV('invalid_input', `The query parameter ${issue?.path.join('.') || '(query)'} is not valid: ${issue?.message ?? 'invalid'}.`);
    }
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(encoded))
        if (v !== undefined)
            q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
}
/** Creates a client for the vault at `options.url`. */
function createClient(options) {
    const base = normaliseVaultUrl(options.url, options.urlSource);
    const ownsDispatcher = !options.dispatcher;
    const dispatcher = options.dispatcher ??
        new undici.Agent({
            keepAliveTimeout: 10_000,
            keepAliveMaxTimeout: 60_000,
            connections: 16,
            ...(options.caCert ? { connect: { ca: options.caCert } } : {}),
        });
    return buildClient(base, options, dispatcher, ownsDispatcher);
}
function buildClient(base, options, dispatcher, ownsDispatcher) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const now = options.now ?? Date.now;
    const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    const urlSource = options.urlSource ?? 'ASS_URL';
    const parsedBase = new URL(base);
    const origin = parsedBase.origin;
    const basePath = parsedBase.pathname.replace(/\/+$/, '');
    function unavailable(detail, retryable, cause) {
        return new core_errors/* AppError */.uV('unavailable', `Could not reach the vault at ${base} (${detail}); the vault may be down or the URL (${urlSource}) may be wrong.`, {
            details: { retryable },
            ...(cause === undefined ? {} : { cause: sanitiseCause(cause) }),
        });
    }
    /** One attempt: the answer's text, or an AppError (retryable ones marked). */
    async function once(def, path, body, remainingMs) {
        const headers = { accept: def.text ? '*/*' : 'application/json', 'user-agent': userAgent };
        if (options.credential)
            headers.authorization = `Bearer ${options.credential}`;
        if (body !== undefined)
            headers['content-type'] = 'application/json';
        const signal = AbortSignal.timeout(Math.max(1, remainingMs));
        const timedOut = () => unavailable(`no answer within ${Math.round(timeoutMs / 1000)}s`, false);
        let res;
        try {
            // dispatcher.request with origin + path sends the path as written: a URL parser would fold
            // `%2E%2E` segments away and ask for a different secret than the one named.
            res = await dispatcher.request({ origin, path: `${basePath}${path}`, method: def.method, headers, body, signal });
        }
        catch (err) {
            if (signal.aborted)
                throw timedOut();
            throw unavailable(networkDetail(err), true, err);
        }
        let text;
        try {
            text = await res.body.text();
        }
        catch (err) {
            if (signal.aborted)
                throw timedOut();
            throw unavailable(`the connection broke while reading the answer: ${networkDetail(err)}`, true, err);
        }
        // 202: the request was held for a human approval; the body says which (see approvalOf).
        if (res.statusCode >= 200 && res.statusCode < 300 && !(res.statusCode === 202 && text.includes('"approval_required"')))
            return text;
        const retryAfterMs = res.statusCode === 429 || res.statusCode === 503 ? (0,retry/* parseRetryAfter */.mu)(res.headers['retry-after'], now()) : undefined;
        throw errorFromResponse(res.statusCode, text, def, path, retryAfterMs);
    }
    function errorFromResponse(status, text, def, path, retryAfterMs) {
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            parsed = undefined;
        }
        const err = parsed?.error;
        const retryAfter = retryAfterMs === undefined ? {} : { retryAfter: Math.ceil(retryAfterMs / 1000) };
        if (err && typeof err === 'object') {
            const code = (0,core_errors/* isErrorCode */.We)(err.code) ? err.code : 'internal';
            const message = typeof err.message === 'string' && err.message ? err.message : `The vault answered ${status}.`;
            // (Said once: the server's own text may already quote it.)
            const rid = typeof err.requestId === 'string' && err.requestId && !message.includes(err.requestId) ? ` (request id ${err.requestId})` : '';
            const serverDetails = err.details && typeof err.details === 'object' ? err.details : {};
            // A held request's details are the request itself, whose `status` (pending) is its own; the
            // HTTP status (202) would overwrite it, and says nothing the code does not.
            const details = {
                ...serverDetails,
                ...((0,core_errors/* isErrorCode */.We)(err.code) ? {} : { serverCode: String(err.code).slice(0, 60) }),
                ...(code === 'approval_required' ? {} : { status }),
            };
            return new core_errors/* AppError */.uV(code, `${message}${rid}`, { ...retryAfter, details });
        }
        // Not the vault's error shape (a proxy, a wrong URL): say so, without echoing the body.
        const code = STATUS_CODES[status] ?? (status >= 500 ? 'unavailable' : 'internal');
        return new core_errors/* AppError */.uV(code, `The server at ${base} answered ${def.method} ${stripQuery(path)} with HTTP ${status} and no vault error; check that ${urlSource} points at the vault.`, { ...retryAfter, details: { status } });
    }
    async function send(def, input) {
        const path = fillTemplate(def.path, input.params ?? {}) + queryString(def, input.query);
        const body = input.body === undefined ? undefined : JSON.stringify(input.body);
        const deadline = now() + timeoutMs;
        return (0,retry/* withRetry */.bD)(() => {
            const remaining = deadline - now();
            if (remaining <= 0)
                throw unavailable(`no answer within ${Math.round(timeoutMs / 1000)}s`, false);
            return once(def, path, body, remaining);
        }, { attempts: 1, baseMs: 1, maxMs: 1, ...options.retry, deadline, now });
    }
    async function request(name, input = {}) {
        const def = API[name];
        const text = await send(def, input);
        let json;
        try {
            json = text === '' ? {} : JSON.parse(text);
        }
        catch {
            throw new core_errors/* AppError */.uV('internal', `The vault at ${base} answered ${def.method} ${def.path} with a body that is not JSON; is ${urlSource} pointing at the vault?`);
        }
        const checked = def.response.safeParse(json);
        if (!checked.success) {
            const issue = checked.error.issues[0];
            throw new core_errors/* AppError */.uV('internal', `The vault's answer to ${def.method} ${def.path} does not match the API this client speaks (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}); are the vault and the client the same version?`);
        }
        return checked.data;
    }
    const client = {
        url: base,
        request,
        health: () => request('health'),
        whoami: () => request('whoami'),
        issueToken: (body) => request('issueToken', { body }),
        exchangeToken: (body) => request('exchangeToken', { body }),
        listTokens: (query = {}) => request('listTokens', { query }),
        tokenSelf: () => request('tokenSelf'),
        revokeSelf: () => request('revokeSelf'),
        revokeToken: (id) => request('revokeToken', { params: { id } }),
        createAgent: (body) => request('createAgent', { body }),
        listAgents: () => request('listAgents'),
        revokeAgent: (name) => request('revokeAgent', { params: { name } }),
        createUser: (body) => request('createUser', { body }),
        listUsers: () => request('listUsers'),
        revokeUser: (name) => request('revokeUser', { params: { name } }),
        updateUser: (name, body) => request('updateUser', { params: { name }, body }),
        approvalPolicy: () => request('approvalPolicy'),
        setApprovalPolicy: (body) => request('setApprovalPolicy', { body }),
        listApprovals: (query = {}) => request('listApprovals', { query }),
        getApproval: (id) => request('getApproval', { params: { id } }),
        approveRequest: (id, reason) => request('approveRequest', { params: { id }, body: reason === undefined ? {} : { reason } }),
        denyRequest: (id, reason) => request('denyRequest', { params: { id }, body: { reason } }),
        collectApproval: (id, oidcToken) => request('collectApproval', { params: { id }, body: oidcToken === undefined ? {} : { oidcToken } }),
        putSecret: (path, body) => request('putSecret', { params: { path }, body }),
        getSecret: (path, opts = {}) => request('getSecret', { params: { path }, query: opts }),
        deleteSecret: (path) => request('deleteSecret', { params: { path } }),
        batchRead: (body) => request('batchRead', { body }),
        listMetadata: (query = {}) => request('listMetadata', { query }),
        getMetadata: (path) => request('getMetadata', { params: { path } }),
        queryAudit: (query = {}) => request('queryAudit', { query }),
        verifyAudit: () => request('verifyAudit'),
        auditSummary: (query = {}) => request('auditSummary', { query }),
        auditAnomalies: (body = {}) => request('auditAnomalies', { body }),
        exportAudit: (format, filters = {}) => send(API.exportAudit, { query: { format, ...filters } }),
        auditCheckpoint: () => request('auditCheckpoint'),
        listLockouts: (opts = {}) => request('listLockouts', { query: opts }),
        clearLockouts: (query) => request('clearLockouts', { query }),
        rotateAgentKey: (name, grace, path) => request('rotateAgentKey', { params: { name }, body: { ...(grace === undefined ? {} : { grace }), ...(path ? { path } : {}) } }),
        listRotationPolicies: (query = {}) => request('listRotationPolicies', { query }),
        putRotationPolicy: (path, body) => request('putRotationPolicy', { params: { path }, body }),
        deleteRotationPolicy: (path) => request('deleteRotationPolicy', { params: { path } }),
        beginRotation: (path, body) => request('beginRotation', { params: { path }, body }),
        putPendingValue: (path, rotationId, value) => request('putPendingValue', { params: { path }, body: { rotationId, value } }),
        finishRotation: (path, rotationId, grace) => request('finishRotation', { params: { path }, body: grace === undefined ? { rotationId } : { rotationId, grace } }),
        abortRotation: (path, rotationId, reason) => request('abortRotation', { params: { path }, body: { rotationId, reason } }),
        retirePrevious: (path, version) => request('retirePrevious', { params: { path }, body: { version } }),
        withCredential: (credential) => buildClient(base, { ...options, credential }, dispatcher, false),
        close: async () => {
            if (ownsDispatcher)
                await dispatcher.close();
        },
    };
    return client;
}
function stripQuery(path) {
    const i = path.indexOf('?');
    return i < 0 ? path : path.slice(0, i);
}
function networkDetail(err) {
    const e = err;
    const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
    switch (code) {
        case 'ECONNREFUSED':
            return 'connection refused';
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return 'host name not found';
        case 'ECONNRESET':
        case 'UND_ERR_SOCKET':
            return 'connection reset';
        case 'UND_ERR_CONNECT_TIMEOUT':
            return 'connect timed out';
        case 'ETIMEDOUT':
            return 'timed out';
        default:
            return code ? `network error ${code}` : 'network error';
    }
}
/** Keeps the error code of a network failure as the cause, without anything request-specific. */
function sanitiseCause(err) {
    const code = err?.code;
    return new Error(typeof code === 'string' ? code : 'network error');
}


/***/ }),

/***/ 2633:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nx: () => (/* binding */ parseCredential)
/* harmony export */ });
/* unused harmony exports CREDENTIAL_KINDS, BASE62, CREDENTIAL_PATTERN, randomBase62, base62Crc, checksum, newId, generateCredential */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_1__);


/**
 * Credential strings. Every credential is `ass_<kind>_` followed by 65 base62 characters: a
 * 16-character id (non-secret: it names the row and appears in listings and audit records), 43
 * random characters (256 bits) and a 6-character base62 CRC32 of everything before it. The
 * prefix lets secret scanners recognise a leaked credential; the checksum lets them reject
 * look-alikes offline. The vault stores only a keyed hash of each (src/server/keys.ts).
 */
const CREDENTIAL_KINDS = {
    user: 'u',
    agent: 'a',
    token: 't',
    pipeline: 'p',
};
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 16;
const SECRET_LENGTH = 43;
const CRC_LENGTH = 6;
const CREDENTIAL_PATTERN = /^ass_([uatp])_([0-9A-Za-z]{65})$/;
/** Uniformly random base62 string, by rejection sampling (no modulo bias). */
function randomBase62(length) {
    let out = '';
    while (out.length < length) {
        for (const byte of randomBytes(length * 2)) {
            if (byte < 248)
                out += BASE62[byte % 62];
            if (out.length === length)
                break;
        }
    }
    return out;
}
/** Base62 of a 32-bit unsigned integer, left-padded with '0' to `width`. */
function base62Crc(value, width = CRC_LENGTH) {
    let n = value >>> 0;
    let out = '';
    do {
        out = BASE62[n % 62] + out;
        n = Math.floor(n / 62);
    } while (n > 0);
    return out.padStart(width, '0');
}
function checksum(text) {
    return base62Crc((0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.crc32)(text));
}
/** A new random id of the kind embedded in credentials (also used for row ids). */
function newId() {
    return randomBase62(ID_LENGTH);
}
function generateCredential(kind, id = newId()) {
    const body = `ass_${CREDENTIAL_KINDS[kind]}_${id}${randomBase62(SECRET_LENGTH)}`;
    const secret = body + checksum(body);
    return { kind, id, secret };
}
const KIND_BY_LETTER = { u: 'user', a: 'agent', t: 'token', p: 'pipeline' };
/** Parses a credential string; undefined when it is not one (wrong shape or checksum). */
function parseCredential(text) {
    const m = CREDENTIAL_PATTERN.exec(text);
    if (!m)
        return undefined;
    const letter = m[1];
    const rest = m[2];
    const body = text.slice(0, text.length - CRC_LENGTH);
    if (checksum(body) !== rest.slice(ID_LENGTH + SECRET_LENGTH))
        return undefined;
    const kind = KIND_BY_LETTER[letter];
    if (!kind)
        return undefined;
    return { kind, id: rest.slice(0, ID_LENGTH), secret: text };
}


/***/ }),

/***/ 8571:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ parseDuration),
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);

const UNITS = { s: 1, m: 60, h: 3600, d: 86400 };
/**
 * Parses a duration such as `90s`, `15m`, `1h`, `24h`, `1h30m` or a bare number of seconds, and
 * returns whole seconds. `what` names the option in the error message.
 */
function parseDuration(input, what = 'duration') {
    if (typeof input === 'number') {
        if (Number.isInteger(input) && input > 0)
            return input;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_input', `The ${what} must be a positive whole number of seconds or a duration such as 15m or 1h.`);
    }
    if (typeof input !== 'string' || input.trim() === '') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_input', `The ${what} is missing: give a duration such as 90s, 15m or 1h.`);
    }
    const text = input.trim();
    if (/^0+([smhd])?$/.test(text)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_input', `The ${what} must be longer than 0: give a duration such as 90s, 15m or 1h.`);
    }
    if (/^\d+$/.test(text)) {
        const seconds = Number(text);
        if (seconds > 0)
            return seconds;
    }
    else if (/^(\d+[smhd])+$/.test(text)) {
        let total = 0;
        for (const [, n, unit] of text.matchAll(/(\d+)([smhd])/g))
            total += Number(n) * (UNITS[unit] ?? 0);
        if (total > 0 && Number.isSafeInteger(total))
            return total;
    }
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_input', `The ${what} ${JSON.stringify(text.slice(0, 40))} is not a duration: use a number with a unit, such as 90s, 15m, 1h or 24h.`);
}
/** Formats seconds the way users write them: 900 → "15m", 5400 → "1h30m". */
function formatDuration(seconds) {
    if (seconds <= 0)
        return '0s';
    let rest = Math.floor(seconds);
    let out = '';
    for (const [unit, size] of [
        ['d', 86400],
        ['h', 3600],
        ['m', 60],
        ['s', 1],
    ]) {
        if (rest >= size) {
            out += `${Math.floor(rest / size)}${unit}`;
            rest %= size;
        }
    }
    return out;
}


/***/ }),

/***/ 4296:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   We: () => (/* binding */ isErrorCode),
/* harmony export */   Y6: () => (/* binding */ isAppError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   uV: () => (/* binding */ AppError)
/* harmony export */ });
/* unused harmony exports ERROR_CODES, EXIT, exitCodeFor, invalidInput */
/**
 * The product's error model. Two kinds of failure exist: the user's mistake (bad input, denied,
 * not found, a missing workflow permission), whose message states the fix; and everything else,
 * which is reported with a request id and no internals.
 *
 * One table below maps each error code to its HTTP status and CLI exit code, so no caller needs
 * an `instanceof` ladder. Messages must never contain secret values.
 */
const ERROR_CODES = {
    invalid_input: { status: 400, exit: 2 },
    invalid_path: { status: 400, exit: 2 },
    invalid_scope: { status: 400, exit: 2 },
    unauthenticated: { status: 401, exit: 3 },
    denied: { status: 403, exit: 3 },
    scope_missing: { status: 403, exit: 3 },
    ip_not_allowed: { status: 403, exit: 3 },
    token_exhausted: { status: 403, exit: 3 },
    token_expired: { status: 401, exit: 3 },
    token_revoked: { status: 401, exit: 3 },
    oidc_rejected: { status: 403, exit: 3 },
    not_found: { status: 404, exit: 4 },
    conflict: { status: 409, exit: 2 },
    payload_too_large: { status: 413, exit: 2 },
    approval_required: { status: 202, exit: 5 },
    approval_denied: { status: 403, exit: 3 },
    approval_expired: { status: 410, exit: 3 },
    rate_limited: { status: 429, exit: 1 },
    locked_out: { status: 429, exit: 3 },
    audit_unavailable: { status: 503, exit: 1 },
    unavailable: { status: 503, exit: 1 },
    key_unavailable: { status: 500, exit: 1 },
    integrity_failed: { status: 500, exit: 1 },
    internal: { status: 500, exit: 1 },
};
/** Exit codes of the `ass` CLI, as documented in the README. */
const EXIT = { ok: 0, failure: 1, usage: 2, denied: 3, notFound: 4, held: 5 };
/** An error whose code, status and message are safe to show to the caller. */
class AppError extends Error {
    code;
    details;
    retryAfter;
    constructor(code, message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'AppError';
        this.code = code;
        this.details = options.details;
        this.retryAfter = options.retryAfter;
    }
    get status() {
        return ERROR_CODES[this.code].status;
    }
    get exitCode() {
        return ERROR_CODES[this.code].exit;
    }
    /** True for the user's own mistakes (4xx), and for a request held for approval: their message states the fix. */
    get isUserError() {
        return this.status < 500;
    }
}
function isAppError(err) {
    return err instanceof AppError;
}
function isErrorCode(code) {
    return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
/** Exit code for any thrown value: the table for AppErrors, 1 for everything else. */
function exitCodeFor(err) {
    return isAppError(err) ? err.exitCode : EXIT.failure;
}
/** The message of any thrown value, without assuming it is an Error. */
function errorMessage(err) {
    if (err instanceof Error)
        return err.message;
    return String(err);
}
const invalidInput = (message, details) => new AppError('invalid_input', message, details ? { details } : {});


/***/ }),

/***/ 4146:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J1: () => (/* binding */ SECRET_TYPES),
/* harmony export */   NY: () => (/* binding */ APPROVAL_STATUSES),
/* harmony export */   QZ: () => (/* binding */ AUDIT_EVENTS),
/* harmony export */   XO: () => (/* binding */ ROTATORS),
/* harmony export */   _1: () => (/* binding */ APPROVAL_KINDS),
/* harmony export */   an: () => (/* binding */ STAGES),
/* harmony export */   dB: () => (/* binding */ AUDIT_STATUSES),
/* harmony export */   gg: () => (/* binding */ ROLES),
/* harmony export */   i6: () => (/* binding */ ACTOR_TYPES),
/* harmony export */   iB: () => (/* binding */ TIERS)
/* harmony export */ });
/** The vocabulary shared by the vault, its store, the API client and the CLI. */
const SECRET_TYPES = ['api_key', 'password', 'connection_string', 'private_key', 'certificate', 'token', 'other'];
const TIERS = ['standard', 'sensitive', 'critical'];
/** Human roles: admin (everything), editor (secrets), viewer (metadata only), auditor (audit log only). */
const ROLES = ['admin', 'editor', 'viewer', 'auditor'];
/** `pending`: a request held for a human approval (it released nothing, and was not refused). */
const AUDIT_STATUSES = ['granted', 'denied', 'error', 'pending'];
/**
 * Every audit event the vault records. `vault.init` and `vault.rekey` come from the operator's
 * commands, `auth.lockout` from the pipeline; the others each belong to one API route.
 */
const AUDIT_EVENTS = [
    'vault.init',
    'vault.rekey',
    'vault.migrate',
    'auth.whoami',
    'token.issue',
    'token.exchange',
    'token.list',
    'token.lookup',
    'token.revoke',
    'agent.create',
    'agent.list',
    'agent.revoke',
    'user.create',
    'user.list',
    'user.revoke',
    'secret.read',
    'secret.write',
    'secret.delete',
    'secret.batch_read',
    'secret.list',
    'secret.metadata',
    'audit.query',
    'audit.summary',
    'audit.anomalies',
    'audit.verify',
    'audit.export',
    'audit.checkpoint',
    'agent.rotate_key',
    'rotation.begin',
    'rotation.pending',
    'rotation.finish',
    'rotation.abort',
    'rotation.retire',
    'rotation.policy_set',
    'rotation.policy_delete',
    'rotation.list',
    // A lockout began (recorded with the request that began it); an admin listed or ended lockouts.
    'auth.lockout',
    'lockout.list',
    'lockout.clear',
    // Approvals: a request held for approval, the approvers' decisions, its collection, its expiry.
    'approval.request',
    'approval.list',
    'approval.show',
    'approval.approve',
    'approval.deny',
    'approval.collect',
    'approval.expire',
    'approval.policy_show',
    'approval.policy_set',
    'user.update',
    // Recorded by earlier versions for a refused request before its route was known; still queryable.
    'request.invalid',
];
/** What kind of caller an audit record names: the credential's kind, or nobody. */
const ACTOR_TYPES = ['user', 'agent', 'token', 'pipeline', 'anonymous', 'operator'];
/** The rotators a rotation policy can name (src/rotation/). */
const ROTATORS = ['random', 'postgres', 'command', 'agent-key'];
/** A secret's rotation stages: what a read returns, what is being rotated in, what was rotated out. */
const STAGES = ['current', 'previous', 'pending'];
/** What an approval request asked for: a token from an agent key, a pipeline token, or a read. */
const APPROVAL_KINDS = ['token', 'exchange', 'read'];
/** An approval request's life: pending → approved → collected, or denied, or expired. */
const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired', 'collected'];


/***/ }),

/***/ 8456:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ isLoopbackHost)
/* harmony export */ });
/* harmony import */ var ipaddr_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8280);
/* harmony import */ var ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(ipaddr_js__WEBPACK_IMPORTED_MODULE_0__);

/**
 * True when `host` names this machine's loopback interface: `localhost`, an IPv4 address in
 * 127.0.0.0/8 (dotted-quad only, so `127.1` or octal spellings are not guessed at), or the IPv6
 * loopback in any spelling (`::1`, `0:0:0:0:0:0:0:1`, the IPv4-mapped `::ffff:127.0.0.1`), bare or
 * in brackets as URL hostnames write it. Plain http is accepted only for such hosts: nothing sent
 * to them leaves the machine.
 */
function isLoopbackHost(host) {
    const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (h === 'localhost')
        return true;
    if (ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default().IPv4.isValidFourPartDecimal(h))
        return ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default().IPv4.parse(h).range() === 'loopback';
    if (!h.includes(':') || !ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default().IPv6.isValid(h))
        return false;
    const address = ipaddr_js__WEBPACK_IMPORTED_MODULE_0___default().IPv6.parse(h);
    return address.isIPv4MappedAddress() ? address.toIPv4Address().range() === 'loopback' : address.range() === 'loopback';
}


/***/ }),

/***/ 6107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kw: () => (/* binding */ MAX_PATH_SEGMENTS),
/* harmony export */   TK: () => (/* binding */ parseSecretPath),
/* harmony export */   TO: () => (/* binding */ parsePathPrefix)
/* harmony export */ });
/* unused harmony exports MAX_PATH_LENGTH, isUnderPrefix, describeForError */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);

/** Limits on secret paths: generous for real hierarchies, small enough to index and log safely. */
const MAX_PATH_LENGTH = 512;
const MAX_PATH_SEGMENTS = 32;
const SEGMENT = /^[A-Za-z0-9._-]+$/;
/**
 * Checks that `input` is a canonical secret path and returns it unchanged. Paths are
 * case-sensitive segments of `[A-Za-z0-9._-]` joined by `/`. Anything that could be read two ways
 * (`..`, `.`, empty segments, percent-encoding, control characters, leading or trailing slashes)
 * is refused rather than normalised, so that the path a scope was checked against is the path
 * that is stored and audited.
 */
function parseSecretPath(input, what = 'secret path') {
    if (typeof input !== 'string' || input.length === 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} is empty: give a path such as production/payments/stripe/secret-key.`);
    }
    const shown = describeForError(input);
    if (input.length > MAX_PATH_LENGTH) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} is ${input.length} characters long; the limit is ${MAX_PATH_LENGTH}.`);
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(input)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} ${shown} contains a control character; use only letters, digits, '.', '_', '-' and '/'.`);
    }
    if (input.includes('%')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} ${shown} contains '%': encoded characters (such as %2F) are not allowed in paths; write the path out plainly.`);
    }
    if (input.includes('\\')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} ${shown} contains a backslash; separate segments with '/'.`);
    }
    if (input.startsWith('/') || input.endsWith('/')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} ${shown} starts or ends with '/'; write it without leading or trailing slashes.`);
    }
    const segments = input.split('/');
    if (segments.length > MAX_PATH_SEGMENTS) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} ${shown} has ${segments.length} segments; the limit is ${MAX_PATH_SEGMENTS}.`);
    }
    for (const segment of segments) {
        if (segment === '') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} ${shown} has an empty segment ('//'); remove the doubled slash.`);
        }
        if (segment === '.' || segment === '..') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} ${shown} has a '${segment}' segment; relative segments are not allowed.`);
        }
        if (!SEGMENT.test(segment)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} ${shown} has the segment ${describeForError(segment)}; segments may contain only letters, digits, '.', '_' and '-'.`);
        }
    }
    return input;
}
/** Validates a path prefix (used for listing and prefix reads): a path, optionally ending in `/`. */
function parsePathPrefix(input, what = 'path prefix') {
    if (input === undefined || input === '')
        return '';
    if (typeof input !== 'string')
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_path', `The ${what} must be a string.`);
    const trimmed = input.endsWith('/*') ? input.slice(0, -2) : input.endsWith('/') ? input.slice(0, -1) : input;
    return parseSecretPath(trimmed, what);
}
/** True when `path` is `prefix` itself or lies below it, on segment boundaries. */
function isUnderPrefix(path, prefix) {
    if (prefix === '')
        return true;
    return path === prefix || path.startsWith(`${prefix}/`);
}
/** A short, printable rendering of user input for error messages (never a secret value). */
function describeForError(value) {
    const cut = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(cut);
}


/***/ }),

/***/ 7253:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $d: () => (/* binding */ isRetryableError),
/* harmony export */   bD: () => (/* binding */ withRetry),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   uk: () => (/* binding */ realSleep)
/* harmony export */ });
/* unused harmony export backoffDelay */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/**
 * The one retry loop of the product (the API client, the actions' OIDC request and exchange):
 * full-jitter exponential backoff, `Retry-After` honoured, an absolute deadline, and retries only
 * for failures a retry can fix.
 */

const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Full-jitter exponential backoff delay for retry number `n` (0-based). */
function backoffDelay(n, policy, random) {
    return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** n));
}
/** `Retry-After` as seconds or an HTTP date → ms, or undefined. */
function parseRetryAfter(value, now) {
    const text = Array.isArray(value) ? value[0] : value;
    if (!text)
        return undefined;
    if (/^\s*\d+\s*$/.test(text))
        return Number(text) * 1000;
    const date = Date.parse(text);
    if (Number.isNaN(date))
        return undefined;
    return Math.max(0, date - now);
}
/**
 * True for failures a retry can fix: a network error (the client marks it `retryable`), 408, 429
 * and 5xx. Never 400/401/403/404/409, nor a timeout that already used the whole budget: retrying
 * a refusal only makes a misconfiguration take longer to report.
 */
function isRetryableError(err) {
    if (!(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAppError */ .Y6)(err))
        return err?.retryable === true;
    // A lockout answers only a credential that failed: waiting does not make it valid.
    if (err.code === 'locked_out')
        return false;
    const status = err.details?.status;
    if (typeof status === 'number')
        return status === 408 || status === 429 || status >= 500;
    return err.details?.retryable === true;
}
async function withRetry(fn, policy, retryable = isRetryableError) {
    const now = policy.now ?? Date.now;
    const sleep = policy.sleep ?? realSleep;
    const random = policy.random ?? Math.random;
    for (let n = 0;; n++) {
        try {
            return await fn(n + 1);
        }
        catch (err) {
            if (n + 1 >= policy.attempts || !retryable(err))
                throw err;
            const retryAfter = (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAppError */ .Y6)(err) && err.retryAfter !== undefined ? err.retryAfter * 1000 : 0;
            const delay = Math.max(backoffDelay(n, policy, random), retryAfter);
            // Waiting past the deadline only delays the same failure.
            if (policy.deadline !== undefined && now() + delay >= policy.deadline)
                throw err;
            policy.onRetry?.(n + 1, delay, err);
            await sleep(delay);
        }
    }
}


/***/ }),

/***/ 1074:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Sk: () => (/* binding */ parseScope)
/* harmony export */ });
/* unused harmony exports VERBS, RESOURCES, AUDIT_READ, AUDIT_READ_TEXT, parseScopes, formatScope, secretScopes, scopesAllowAudit, formatScopes, patternMatches, scopesAllow, scopesCoverPath, patternWithin, scopeWithin, scopesOutside, intersectScopes, missingScopeHint, parseScopesCached */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _paths_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6107);


/** What a token may do to a secret. `*` stands for every verb. */
const VERBS = ['read', 'write', 'list', 'rotate'];
/** What a scope grants access to: secrets (by verb and path pattern), or the audit log. */
const RESOURCES = (/* unused pure expression or super */ null && (['secrets', 'audit']));
/** The one audit scope. */
const AUDIT_READ = Object.freeze({ resource: 'audit', access: 'read' });
const AUDIT_READ_TEXT = 'audit:read';
const SEGMENT = /^[A-Za-z0-9._-]+$/;
const EXAMPLE = 'scopes look like secrets:read:production/gemini/* or secrets:write:staging/app/db-password, or audit:read for the audit log';
const FORMS = 'the valid forms are secrets:VERB:PATTERN (secrets:read:production/gemini/*) and audit:read';
function parseScope(input) {
    if (typeof input !== 'string' || input.trim() === '') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_scope', `A scope is empty; ${EXAMPLE}.`);
    }
    const text = input.trim();
    const shown = JSON.stringify(text.slice(0, 120));
    const parts = text.split(':');
    if (parts[0] === 'audit') {
        if (text === AUDIT_READ_TEXT)
            return AUDIT_READ;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_scope', `The scope ${shown} is not valid: the only audit scope is audit:read (reading the audit log; it takes no other verb and no path pattern). ${capitalise(FORMS)}.`);
    }
    if (parts[0] !== 'secrets' && parts.length >= 2) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_scope', `The scope ${shown} names the resource ${JSON.stringify((parts[0] ?? '').slice(0, 40))}; the resources are "secrets" and "audit": ${FORMS}.`);
    }
    if (parts.length !== 3) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_scope', `The scope ${shown} is not valid: ${EXAMPLE}.`);
    }
    const [, verb, pattern] = parts;
    if (verb !== '*' && !VERBS.includes(verb)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_scope', `The scope ${shown} has the verb ${JSON.stringify(verb.slice(0, 40))}; use one of ${VERBS.join(', ')} or *.`);
    }
    if (pattern === '') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_scope', `The scope ${shown} has no path pattern; ${EXAMPLE}.`);
    }
    const segments = pattern.split('/');
    if (segments.length > _paths_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_PATH_SEGMENTS */ .Kw) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_scope', `The scope ${shown} has more than ${_paths_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_PATH_SEGMENTS */ .Kw} segments.`);
    }
    for (const segment of segments) {
        if (segment === '*')
            continue;
        if (segment === '' || segment === '.' || segment === '..' || !SEGMENT.test(segment)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AppError */ .uV('invalid_scope', segment.includes('*')
                ? `The scope ${shown} uses '*' inside a segment; '*' must stand for a whole segment (production/gemini/*, not production/gem*).`
                : `The scope ${shown} has an invalid path segment; segments may contain only letters, digits, '.', '_' and '-'.`);
        }
    }
    return { resource: 'secrets', verb: verb, segments };
}
const capitalise = (t) => t.charAt(0).toUpperCase() + t.slice(1);
/** Parses a list of scopes, or one comma-separated string of them. Duplicates are dropped. */
function parseScopes(input) {
    const items = typeof input === 'string' ? input.split(',') : Array.isArray(input) ? input : undefined;
    if (!items)
        throw new AppError('invalid_scope', `Scopes must be a list; ${EXAMPLE}.`);
    const scopes = items.filter((s) => !(typeof s === 'string' && s.trim() === '')).map(parseScope);
    if (scopes.length === 0)
        throw new AppError('invalid_scope', `No scope was given; ${EXAMPLE}.`);
    return dedupe(scopes);
}
function formatScope(scope) {
    return scope.resource === 'audit' ? AUDIT_READ_TEXT : `secrets:${scope.verb}:${scope.segments.join('/')}`;
}
/** The secrets scopes of a list (an audit scope grants nothing on any secret). */
function secretScopes(scopes) {
    return scopes.filter((s) => s.resource === 'secrets');
}
/** True when the scopes include `audit:read`. No secrets scope, not even `secrets:*:*`, grants it. */
function scopesAllowAudit(scopes) {
    return scopes.some((s) => s.resource === 'audit');
}
function formatScopes(scopes) {
    return scopes.map(formatScope);
}
/** True when the pattern matches the (canonical) path. */
function patternMatches(pattern, path) {
    const segs = path.split('/');
    for (let i = 0; i < pattern.length; i++) {
        const p = pattern[i];
        if (p === '*' && i === pattern.length - 1)
            return segs.length > i;
        if (i >= segs.length)
            return false;
        if (p !== '*' && p !== segs[i])
            return false;
    }
    return segs.length === pattern.length;
}
function verbCovers(granted, wanted) {
    return granted === '*' || granted === wanted;
}
/** True when any secrets scope grants `verb` on `path`. */
function scopesAllow(scopes, verb, path) {
    return scopes.some((s) => s.resource === 'secrets' && verbCovers(s.verb, verb) && patternMatches(s.segments, path));
}
/**
 * True when any secrets scope (whatever its verb) reaches `path`: the incident runbook's "tokens
 * covering a path". `audit:read` reaches no path.
 */
function scopesCoverPath(scopes, path) {
    return scopes.some((s) => s.resource === 'secrets' && patternMatches(s.segments, path));
}
/** True when every path matched by pattern `a` is matched by pattern `b`. */
function patternWithin(a, b) {
    for (let i = 0; i < b.length; i++) {
        const bs = b[i];
        const bRest = bs === '*' && i === b.length - 1;
        if (bRest)
            return a.length > i;
        if (i >= a.length)
            return false;
        const as = a[i];
        const aRest = as === '*' && i === a.length - 1;
        if (aRest)
            return false;
        if (bs === '*')
            continue;
        if (as !== bs)
            return false;
    }
    return a.length === b.length;
}
/** True when scope `a` grants nothing that scope `b` does not (never across resources). */
function scopeWithin(a, b) {
    if (a.resource === 'audit' || b.resource === 'audit')
        return a.resource === b.resource;
    return verbCovers(b.verb, a.verb) && patternWithin(a.segments, b.segments);
}
/** The requested scopes that are not within any of the allowed ones (empty when all are). */
function scopesOutside(requested, allowed) {
    return requested.filter((r) => !allowed.some((a) => scopeWithin(r, a)));
}
function intersectPatterns(a, b) {
    const out = [];
    for (let i = 0;; i++) {
        const aEnd = i >= a.length;
        const bEnd = i >= b.length;
        if (aEnd && bEnd)
            return out;
        if (aEnd || bEnd)
            return undefined;
        const as = a[i];
        const bs = b[i];
        const aRest = as === '*' && i === a.length - 1;
        const bRest = bs === '*' && i === b.length - 1;
        if (aRest && bRest)
            return [...out, '*'];
        if (aRest)
            return [...out, ...b.slice(i)];
        if (bRest)
            return [...out, ...a.slice(i)];
        if (as === '*')
            out.push(bs);
        else if (bs === '*' || as === bs)
            out.push(as);
        else
            return undefined;
    }
}
/**
 * The scopes granted by both lists: every path and verb in the result is allowed by some scope
 * of `a` and by some scope of `b`; `audit:read` is in it only when both lists hold it.
 */
function intersectScopes(a, b) {
    const out = [];
    if (scopesAllowAudit(a) && scopesAllowAudit(b))
        out.push(AUDIT_READ);
    for (const x of secretScopes(a)) {
        for (const y of secretScopes(b)) {
            const verb = x.verb === '*' ? y.verb : y.verb === '*' || y.verb === x.verb ? x.verb : undefined;
            if (!verb)
                continue;
            const segments = intersectPatterns(x.segments, y.segments);
            if (segments)
                out.push({ resource: 'secrets', verb, segments });
        }
    }
    return dedupe(out);
}
/** Removes exact duplicates and scopes already within another scope of the list. */
function dedupe(scopes) {
    const out = [];
    scopes.forEach((s, i) => {
        const redundant = scopes.some((t, j) => j !== i && scopeWithin(s, t) && (!scopeWithin(t, s) || j < i));
        if (!redundant)
            out.push(s);
    });
    return out;
}
/** Human-readable hint naming the scope that would allow `verb` on `path`. */
function missingScopeHint(verb, path) {
    return `secrets:${verb}:${path}`;
}
const parsedCache = new Map();
/**
 * `parseScopes` for scope lists read from the store, memoised: the same token's scopes are checked
 * on every request it makes. Bounded; only lists that parsed cleanly are kept.
 */
function parseScopesCached(scopes) {
    const key = scopes.join('\n');
    let parsed = parsedCache.get(key);
    if (!parsed) {
        parsed = parseScopes(scopes);
        if (parsedCache.size >= 10_000)
            parsedCache.clear();
        parsedCache.set(key, parsed);
    }
    return parsed;
}


/***/ }),

/***/ 2020:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AB: () => (/* binding */ quoteName),
/* harmony export */   Eo: () => (/* binding */ escapeUnshowableJson),
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   a4: () => (/* binding */ slackText),
/* harmony export */   f$: () => (/* binding */ shownText)
/* harmony export */ });
/* unused harmony export storableText */
/**
 * Text that came from outside (a request, a token's claims, an error about either) before it is
 * stored, hashed or shown. JavaScript strings can hold what a database will not keep as written:
 * PostgreSQL refuses NUL, and UTF-8 has no lone surrogates (a stored one comes back as U+FFFD, so a
 * hash taken before storing no longer matches). Made safe once, the text is the same everywhere.
 */
/** Control characters other than tab and line feed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
/** Well-formed, without control characters (tab and line feed kept), at most `max` code points. */
function storableText(text, max = Number.POSITIVE_INFINITY) {
    let out = text.toWellFormed().replace(CONTROL, '\uFFFD');
    if (out.length > max) {
        // Cut by code point, never between the halves of a surrogate pair.
        out = Array.from(out).slice(0, max).join('');
    }
    return out;
}
/** A credential-shaped string (`ass_u_…`, `ass_t_…`): never echoed, even in part. */
const CREDENTIAL_LIKE = /ass_[uatp]_/;
/**
 * A name from the request (an unknown field or parameter) as an error message may quote it: JSON
 * quoted, cut short, and not at all when it looks like a credential pasted in the wrong place.
 */
function quoteName(name, max = 40) {
    if (CREDENTIAL_LIKE.test(name))
        return '(a value that looks like a credential)';
    return JSON.stringify(storableText(name, max));
}
/**
 * One line for a log that a runner parses (GitHub's workflow commands start a line with `::`):
 * text from a server or a file never starts a line of its own.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const oneLine = (text) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
/**
 * Text for Slack's mrkdwn (approval notices, the audit action's webhook): `&`, `<` and `>` are its
 * markup, so a requester's or a log record's text cannot mention @channel, open a link or hide one.
 */
function slackText(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/**
 * Characters that must not reach a person's screen from text they did not write (a scanned file's
 * contents or name): C0 and C1 controls and DEL (terminal escapes start with ESC or the 8-bit CSI
 * U+009B; NUL and CR can hide what came before), the line and paragraph separators, and the
 * direction marks and overrides that reorder what is shown (U+202E makes `exe.txt` read `txt.exe`).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** `text` for a terminal, an annotation, a job summary or a comment: each unshowable character becomes `?`. */
function shownText(text) {
    return text.replace(UNSHOWABLE, '?');
}
/**
 * JSON text with the unshowable characters that `JSON.stringify` leaves as they are (DEL, C1
 * controls, separators, direction marks) written as `\uXXXX` escapes: the same JSON, but it cannot
 * drive a terminal it is printed to.
 */
function escapeUnshowableJson(json) {
    // Not C0: JSON.stringify escapes those inside strings, and its own line breaks are layout.
    return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}


/***/ })

};
