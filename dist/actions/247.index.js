export const id = 247;
export const ids = [247];
export const modules = {

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


/***/ }),

/***/ 2530:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cx: () => (/* binding */ validPrefixedCrc62),
/* harmony export */   FH: () => (/* binding */ validAzureIdentifiableKey),
/* harmony export */   HO: () => (/* binding */ validAssCredential),
/* harmony export */   KD: () => (/* binding */ looksLikeAzureIdentifiableKey),
/* harmony export */   MJ: () => (/* binding */ validSasSignature),
/* harmony export */   fG: () => (/* binding */ validCloudflareToken),
/* harmony export */   y4: () => (/* binding */ decodeBase64)
/* harmony export */ });
/* unused harmony exports crc32, BASE62_ALPHABET, base62, withCrc62, marvin32, marvinSeed */
/**
 * Offline structure checks for credential formats that carry a checksum, so a look-alike string
 * (a test fixture, a truncated or hand-edited token) is not reported as a leak.
 */
const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        table[n] = c >>> 0;
    }
    return table;
})();
/** CRC-32 (IEEE 802.3, the one zlib uses) of the string's UTF-8 bytes; ASCII input expected. */
function crc32(text) {
    const bytes = Buffer.from(text, 'utf8');
    let crc = 0xffffffff;
    for (const b of bytes)
        crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}
const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Base62 encoding (alphabet `0-9A-Za-z`), left-padded with `0` to `width` characters. */
function base62(value, width) {
    let out = '';
    let v = value;
    while (v > 0) {
        out = BASE62_ALPHABET[v % 62] + out;
        v = Math.floor(v / 62);
    }
    return out.padStart(width, '0');
}
/**
 * GitHub (`ghp_` and friends) and npm (`npm_`) tokens: after the prefix come 30 random base62
 * characters and a 6-character base62 CRC32 of those 30 characters.
 */
function validPrefixedCrc62(token) {
    const body = token.slice(token.indexOf('_') + 1);
    if (body.length < 7)
        return false;
    const payload = body.slice(0, -6);
    return base62(crc32(payload), 6) === body.slice(-6);
}
/**
 * This product's own credentials (`ass_<kind>_` + 16 id + 43 random + 6 CRC): the checksum covers
 * everything before it, prefix included (docs/architecture.md, "Credential formats").
 */
function validAssCredential(token) {
    if (token.length < 7)
        return false;
    return base62(crc32(token.slice(0, -6)), 6) === token.slice(-6);
}
/** Cloudflare prefixed tokens: 8 lowercase hex digits of the CRC32 of the body before them. */
function validCloudflareToken(token) {
    const body = token.slice(token.indexOf('_') + 1);
    if (body.length <= 8)
        return false;
    const payload = body.slice(0, -8);
    return crc32(payload).toString(16).padStart(8, '0') === body.slice(-8);
}
/** Appends a valid checksum: used by tests and the benchmark to mint realistic fake tokens. */
function withCrc62(prefix, random30) {
    return `${prefix}${random30}${base62(crc32(random30), 6)}`;
}
// ---- Microsoft's identifiable keys (Azure) ----
//
// Azure services mint keys that carry a fixed four-character signature (`+ASt` for storage, `AzFu`
// for function keys, `+ACR` for container registry, ...) followed by a 32-bit Marvin checksum of
// the key bytes before it, seeded per key kind. The newer "common annotated security keys"
// (84 characters, `JQQJ9` at offset 52, a provider signature at offset 76) end in a Marvin
// checksum of their first 60 bytes; the scanner checks only their fixed structure there, because
// no independent sample confirmed how services encode that checksum. Facts from
// microsoft/security-utilities (MIT).
/**
 * Marvin32, the seeded 32-bit hash .NET uses for strings and Azure uses to checksum its keys:
 * the input as little-endian words mixed into two 32-bit registers, then the two XORed.
 */
function marvin32(data, seed) {
    let p0 = Number(seed & 0xffffffffn) >>> 0;
    let p1 = Number((seed >> 32n) & 0xffffffffn) >>> 0;
    const mix = () => {
        p1 = (p1 ^ p0) >>> 0;
        p0 = ((p0 << 20) | (p0 >>> 12)) >>> 0;
        p0 = (p0 + p1) >>> 0;
        p1 = ((p1 << 9) | (p1 >>> 23)) >>> 0;
        p1 = (p1 ^ p0) >>> 0;
        p0 = ((p0 << 27) | (p0 >>> 5)) >>> 0;
        p0 = (p0 + p1) >>> 0;
        p1 = ((p1 << 19) | (p1 >>> 13)) >>> 0;
    };
    const whole = data.length - (data.length % 4);
    for (let i = 0; i < whole; i += 4) {
        p0 = (p0 + ((data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0)) >>> 0;
        mix();
    }
    // The last 0-3 bytes, then a 0x80 marker byte, as one final word.
    let last = 0x80 << (8 * (data.length - whole));
    for (let i = whole; i < data.length; i++)
        last |= data[i] << (8 * (i - whole));
    p0 = (p0 + (last >>> 0)) >>> 0;
    mix();
    mix();
    return (p0 ^ p1) >>> 0;
}
/** Seed from an 8-character kind name (its ASCII bytes reversed, read as a 64-bit number). */
function marvinSeed(kind) {
    let seed = 0n;
    for (const ch of kind)
        seed = (seed << 8n) | BigInt(ch.charCodeAt(0));
    return seed;
}
/** Base64 (standard or URL-safe, padded or not) to bytes; undefined when it is not base64. */
function decodeBase64(text) {
    const std = text.replace(/%3d/gi, '=').replace(/-/g, '+').replace(/_/g, '/');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std))
        return undefined;
    return Buffer.from(std, 'base64');
}
/**
 * An Azure identifiable key (Service Bus, Storage, Function, ...): its last four bytes are the
 * little-endian Marvin32 of the bytes before them under one of the kind's seeds.
 */
function validAzureIdentifiableKey(key, seeds) {
    const bytes = decodeBase64(key);
    if (!bytes || bytes.length < 12)
        return false;
    const stored = bytes.readUInt32LE(bytes.length - 4);
    const body = bytes.subarray(0, bytes.length - 4);
    return seeds.some((seed) => marvin32(body, seed) === stored);
}
/** An Azure SAS `sig=` value: URL-encoded base64 of an HMAC-SHA256 (32 bytes). */
function validSasSignature(sig) {
    let text;
    try {
        text = decodeURIComponent(sig);
    }
    catch {
        return false;
    }
    const bytes = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : undefined;
    return bytes?.length === 32;
}
/** The shape of an Azure identifiable key (its signature at its offset), checksum not checked. */
function looksLikeAzureIdentifiableKey(value) {
    return AZURE_IDENTIFIABLE_SHAPE.test(value);
}
const AZURE_IDENTIFIABLE_SHAPE = /^(?:[A-Za-z0-9+/]{76}(?:\+ASt|ACDb|\+ABa|\+AMC|APIM)[A-Za-z0-9+/]{5}[AQgw]==|[A-Za-z0-9+/]{33}(?:\+ASb|\+AEh|\+ARm|AIoT|AzCa|AZEG)[A-P][A-Za-z0-9+/]{5}=|[A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw](?:==)?|[A-Za-z0-9]{42}AzSe[A-D][A-Za-z0-9]{5}|[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5})$/;


/***/ }),

/***/ 3288:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  SD: () => (/* binding */ MAX_WINDOW),
  nb: () => (/* binding */ compileRules),
  Z4: () => (/* binding */ defaultRules),
  Np: () => (/* binding */ findMatches),
  E$: () => (/* binding */ redact),
  l: () => (/* binding */ rulesActiveFor)
});

// UNUSED EXPORTS: AllowComments, acceptSecret, isAllowedInline, keywordWindows

// EXTERNAL MODULE: ./src/core/text.ts
var core_text = __webpack_require__(2020);
// EXTERNAL MODULE: ./src/scan/checksum.ts
var checksum = __webpack_require__(2530);
;// CONCATENATED MODULE: ./src/scan/filters.ts
/**
 * False-positive filters. Provider rules (distinct prefixes, checksums) only pass the placeholder
 * check; generic rules (a secret-sounding name assigned a value) pass all of them.
 */
/** Shannon entropy in bits per character. */
function shannonEntropy(value) {
    if (value.length === 0)
        return 0;
    const counts = new Map();
    for (const ch of value)
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let h = 0;
    for (const n of counts.values()) {
        const p = n / value.length;
        h -= p * Math.log2(p);
    }
    return h;
}
/** How many of: lower case, upper case, digits, other characters. */
function characterClasses(value) {
    let classes = 0;
    if (/[a-z]/.test(value))
        classes++;
    if (/[A-Z]/.test(value))
        classes++;
    if (/[0-9]/.test(value))
        classes++;
    if (/[^A-Za-z0-9]/.test(value))
        classes++;
    return classes;
}
const PLACEHOLDER_WORDS = /example|sample|dummy|placeholder|changeme|change[_-]me|replace[_-]?me|your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|token|secret|password|pass)|redacted|insert[_-]?(?:your|key|token)|fake[_-]?(?:key|token|secret)|not[_-]?a[_-]?(?:real[_-]?)?(?:secret|key|token)|xxxxx|\*\*\*|\.\.\.|<[a-z_ -]+>|(.)\1{7,}|0123456789|1234567890|abcdefghij|abc123|123abc|xyz123|xyz456|qwerty|letmein|p[a@]ssw[o0]rd|s3cr3t/i;
/** `xxxx`, `<YOUR_KEY>`, `changeme`, `your-api-key-here`, `***REDACTED***`, runs of one character. */
function isPlaceholder(secret) {
    return PLACEHOLDER_WORDS.test(secret);
}
const REFERENCE_PATTERNS = [
    /^\$\{\{.*\}\}?$/, // ${{ secrets.X }} (GitHub Actions expressions)
    /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/, // $VAR, ${VAR}
    /\$\{[^}]*\}/, // strings interpolating a variable
    /^\{\{.*\}\}$/, // templates
    /^%[({]?[A-Za-z_]/, // %(name)s, %{name}
    /^\$\(/, // $(command)
    /(?:^|\W)process\.env\b/,
    /(?:^|\W)os\.(?:environ|getenv)\b/,
    /(?:^|\W)(?:getenv|env|ENV|secrets|vars|inputs)[.[(]/,
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/, // dotted identifiers: config.apiKey, this.token
    /^[A-Za-z_$][\w$]*\(/, // function calls
];
/** A reference to where the value lives (`${{ secrets.X }}`, `${VAR}`, `process.env.X`), not a value. */
function isReference(value) {
    return REFERENCE_PATTERNS.some((re) => re.test(value));
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(value) {
    return UUID.test(value);
}
/** Lockfile / SRI integrity strings (`sha512-...`). */
function isIntegrity(value) {
    return /^sha(?:1|224|256|384|512)-[A-Za-z0-9+/]{20,}={0,2}$/.test(value);
}
/** Hex digests: SHA-1, SHA-256, SHA-512 lengths always; 32-hex (MD5-sized) only under a hash-like name. */
function isHash(value, name) {
    if (/^[a-f0-9]{40}$|^[a-f0-9]{64}$|^[a-f0-9]{96}$|^[a-f0-9]{128}$/i.test(value))
        return true;
    if (/^[a-f0-9]{32}$/i.test(value) && /hash|sum|digest|sha|md5|etag|commit|rev|integrity|checksum/i.test(name))
        return true;
    return false;
}
/** Public material: public keys, certificates, publishable (client-side) keys. */
function isPublicMaterial(value, name) {
    if (/^-----BEGIN (?:RSA |EC |OPENSSH |PGP )?(?:PUBLIC KEY|CERTIFICATE)/.test(value))
        return true;
    if (/^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\S+|sk-ssh-ed25519@openssh\.com) AAAA/.test(value))
        return true;
    if (/^pk_(?:live|test)_/.test(value))
        return true;
    if (/public|publishable|pub[_-]?key|cert(?:ificate)?\b/i.test(name))
        return true;
    return false;
}
/** Names that look secret but label something else (`token_type`, `password_field`, `secret_name`). */
const NAME_STOP_SUFFIX = /(?:^|[_.-]|[a-z])(?:path|file|filename|dir|name|url|uri|type|types|id|ids|length|len|count|field|label|header|prefix|suffix|regex|pattern|env|var|placeholder|hint|policy|rule|rules|ttl|expiry|expires|expiration|endpoint|format|mode|kind|index|size|min|max|version|schema|provider|validator|store|manager|service|helper|getter|setter)$/i;
const NAME_STOP_WORDS = /tokeni[sz]|tokens$|^token$|nextToken|pageToken|csrf|xsrf|cancel(?:lation)?Token|continuation/i;
function isNonSecretName(name) {
    return NAME_STOP_SUFFIX.test(name) || NAME_STOP_WORDS.test(name);
}
/** Words that show a value is prose or a label, not a credential. */
const VALUE_STOP_WORDS = /password|passwd|secret|token|apikey|api_key|credential|bearer|basic|null|undefined|none|true|false|test|todo/i;
/** Filters for generic (name = value) findings. Returns the reason when the value is not a secret. */
function genericRejectReason(value, name, minEntropy) {
    if (value.length < 8)
        return 'short';
    if (isPlaceholder(value))
        return 'placeholder';
    if (isReference(value))
        return 'reference';
    if (isUuid(value))
        return 'uuid';
    if (isIntegrity(value))
        return 'integrity';
    if (isHash(value, name))
        return 'hash';
    if (isPublicMaterial(value, name))
        return 'public';
    if (isNonSecretName(name))
        return 'name';
    if (VALUE_STOP_WORDS.test(value))
        return 'stopword';
    // Identifiers, labels and kebab/snake words, optionally wrapped in punctuation ("?NoLineTerminatorHere", "same-origin").
    if (/^[^A-Za-z0-9]?[A-Za-z]+(?:[-_.:/ ][A-Za-z]+)*[^A-Za-z0-9]?$/.test(value))
        return 'word';
    if (/^[\d.:/-]+$/.test(value))
        return 'numeric';
    if (/^(?:https?|file|wss?):\/\//.test(value))
        return 'url';
    if (/^[./~]|\.(?:js|ts|json|ya?ml|txt|pem|key|crt|html?|css|png|svg)$/i.test(value))
        return 'path';
    if (characterClasses(value) < 2)
        return 'classes';
    if (shannonEntropy(value) < minEntropy)
        return 'entropy';
    return undefined;
}

;// CONCATENATED MODULE: ./src/scan/prefilter.ts
/**
 * Aho-Corasick keyword automaton, case-insensitive over ASCII, compiled to a dense DFA table so
 * the scan is one table lookup per character. This is the scanner's hot loop: every byte of a
 * tree passes through it, and rule expressions only run near the hits it reports.
 */
const ALPHABET = 128;
class KeywordAutomaton {
    keywords;
    /** next state = delta[state * 128 + char]; characters >= 128 reset to the root. */
    delta;
    /** For each state, the keyword indexes that end there (own and via suffix links), or undefined. */
    outputs;
    hasOutput;
    constructor(keywords) {
        this.keywords = keywords.map((k) => k.toLowerCase());
        const gotoTable = [new Array(ALPHABET).fill(-1)];
        const out = [[]];
        this.keywords.forEach((kw, idx) => {
            let s = 0;
            for (let i = 0; i < kw.length; i++) {
                const c = kw.charCodeAt(i);
                if (c >= ALPHABET)
                    throw new Error(`keyword "${kw}" is not ASCII`);
                let next = gotoTable[s][c];
                if (next === -1) {
                    next = gotoTable.length;
                    gotoTable.push(new Array(ALPHABET).fill(-1));
                    out.push([]);
                    gotoTable[s][c] = next;
                }
                s = next;
            }
            out[s].push(idx);
        });
        const n = gotoTable.length;
        const fail = new Int32Array(n);
        const delta = n < 65536 ? new Uint16Array(n * ALPHABET) : new Uint32Array(n * ALPHABET);
        // Breadth-first: fill the DFA and merge outputs along failure links.
        const queue = [];
        for (let c = 0; c < ALPHABET; c++) {
            const s = gotoTable[0][c];
            if (s === -1)
                delta[c] = 0;
            else {
                delta[c] = s;
                fail[s] = 0;
                queue.push(s);
            }
        }
        for (let qi = 0; qi < queue.length; qi++) {
            const s = queue[qi];
            const f = fail[s];
            if (out[f].length)
                out[s] = [...out[s], ...out[f]];
            for (let c = 0; c < ALPHABET; c++) {
                const t = gotoTable[s][c];
                if (t === -1)
                    delta[s * ALPHABET + c] = delta[f * ALPHABET + c];
                else {
                    delta[s * ALPHABET + c] = t;
                    fail[t] = delta[f * ALPHABET + c];
                    queue.push(t);
                }
            }
        }
        // Case-insensitive: upper-case letters move like lower-case ones.
        for (let s = 0; s < n; s++) {
            for (let c = 65; c <= 90; c++)
                delta[s * ALPHABET + c] = delta[s * ALPHABET + c + 32];
        }
        this.delta = delta;
        this.outputs = out.map((o) => (o.length ? o : undefined));
        this.hasOutput = Uint8Array.from(out, (o) => (o.length ? 1 : 0));
    }
    /**
     * Calls `onHit(start, keywordIndex)` for every keyword occurrence (overlapping ones included),
     * in order of their end position.
     */
    scan(text, onHit) {
        const delta = this.delta;
        const hasOutput = this.hasOutput;
        const len = text.length;
        let s = 0;
        for (let i = 0; i < len; i++) {
            const c = text.charCodeAt(i);
            s = c < ALPHABET ? delta[s * ALPHABET + c] : 0;
            if (hasOutput[s] === 1) {
                for (const k of this.outputs[s])
                    onHit(i - this.keywords[k].length + 1, k);
            }
        }
    }
}

// EXTERNAL MODULE: ./src/scan/rules.ts + 6 modules
var scan_rules = __webpack_require__(1975);
;// CONCATENATED MODULE: ./src/scan/suppress.ts
/**
 * Block suppression comments: `ass:disable` ... `ass:enable`, and secretlint's
 * `secretlint-disable` ... `secretlint-enable`, each optionally naming rules. Without names a block
 * switches off every rule; with names, only those. Our rule ids are taken as they are; secretlint's
 * (`@secretlint/secretlint-rule-aws`) are mapped to the rules for the same provider, so a file
 * written for secretlint keeps its meaning. A `disable` with no `enable` after it lasts to the end
 * of the text.
 *
 * The line forms (`ass:allow`, `gitleaks:allow`, `secretlint-disable-line`, `pragma: allowlist
 * secret`, `trufflehog:ignore`, and the next-line forms) are checked per finding in engine.ts.
 */
/** secretlint rule names whose rules do not share their prefix with ours. */
const SECRETLINT_ALIASES = {
    privatekey: /^(?:private-key|openssh-private-key|pgp-private-key|putty-private-key|ssh2-private-key|kubeconfig-client-key|gcp-service-account-key)$/,
    'secp256k1-privatekey': /^(?:private-key)$/,
    basicauth: /^(?:url-credentials|service-url-credentials)$/,
    gcp: /^(?:gcp-|google-)/,
    '1password': /^onepassword-/,
    'database-connection-string': /^(?:database-connection-string|jdbc-connection-string|oracle-jdbc-thin-credentials|sqlserver-connection-string|postgres-dsn-password)$/,
    'hashicorp-vault': /^vault-/,
    npm: /^(?:npm-|npmrc-)/,
};
/** The rules a name in a directive covers: `true` for all of them. */
function covers(name) {
    const m = /^@secretlint\/secretlint-rule-(.+)$/.exec(name);
    if (!m)
        return (id) => id === name;
    const short = m[1];
    if (short.startsWith('preset-'))
        return true;
    const alias = SECRETLINT_ALIASES[short];
    if (alias)
        return (id) => alias.test(id);
    return (id) => id === short || id.startsWith(`${short}-`);
}
const DIRECTIVE = /(?:secretlint-|ass:)(disable|enable)(?![\w-])([^\r\n]*)/g;
/** Rule names after a directive, up to the end of the comment. */
function names(rest) {
    const body = rest.split(/\*\/|-->|#}|%}/)[0];
    return body
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter((s) => /^(?:@secretlint\/[a-z0-9-]+|[a-z0-9]+(?:-[a-z0-9]+)*)$/.test(s));
}
function anyCovers(list, ruleId) {
    return list.some((n) => {
        const c = covers(n);
        return c === true || c(ruleId);
    });
}
/**
 * For a text with block directives, a function that says whether a finding of `ruleId` starting at
 * `offset` is inside a block that switches its rule off; undefined when the text has none (cheap:
 * two substring searches).
 */
function blockSuppression(text) {
    if (!text.includes('secretlint-disable') && !text.includes('ass:disable'))
        return undefined;
    const changes = [];
    let state = { all: false, except: [], only: [] };
    DIRECTIVE.lastIndex = 0;
    for (let m = DIRECTIVE.exec(text); m !== null; m = DIRECTIVE.exec(text)) {
        const listed = names(m[2]);
        const everything = listed.length === 0 || listed.some((n) => covers(n) === true);
        if (m[1] === 'disable') {
            state = everything
                ? { all: true, except: [], only: [] }
                : { ...state, only: [...state.only, ...listed], except: state.except.filter((n) => !listed.includes(n)) };
        }
        else if (everything)
            state = { all: false, except: [], only: [] };
        else
            state = { ...state, except: state.all ? [...state.except, ...listed] : [], only: state.only.filter((n) => !listed.includes(n)) };
        changes.push({ at: m.index, state });
    }
    return (offset, ruleId) => {
        let s;
        for (const c of changes) {
            if (c.at > offset)
                break;
            s = c.state;
        }
        if (!s)
            return false;
        if (s.all)
            return !anyCovers(s.except, ruleId);
        return anyCovers(s.only, ruleId);
    };
}

;// CONCATENATED MODULE: ./src/scan/engine.ts
/**
 * The matching core: one keyword pass over the text (an Aho-Corasick automaton over all rule
 * keywords, see prefilter.ts), then each rule's expression only in the
 * windows around its keywords, then structure checks, false-positive filters and inline allow
 * comments. Pure: no I/O, so the same code runs in the CLI, the action and worker threads.
 */






const SINGLE_LINE_BEFORE = 256;
const SINGLE_LINE_AFTER = 768;
const MULTILINE_AFTER = 16_384;
/** The longest window a match can need; chunked reads overlap by this much. */
const MAX_WINDOW = MULTILINE_AFTER + SINGLE_LINE_BEFORE + 1024;
/** Compiles rules once: keyword alternation plus each rule's global, index-reporting expression. */
function compileRules(rules = scan_rules/* RULES */.y) {
    const direct = new Map();
    rules.forEach((rule, i) => {
        for (const kw of rule.keywords) {
            const k = kw.toLowerCase();
            if (!direct.has(k))
                direct.set(k, new Set());
            direct.get(k).add(i);
        }
    });
    const keywords = [...direct.keys()];
    const automaton = new KeywordAutomaton(keywords);
    const keywordRules = keywords.map((k) => [...direct.get(k)].sort((a, b) => a - b));
    const regexes = rules.map((r) => {
        const flags = new Set(r.pattern.flags.replace(/[gyd]/g, '').split(''));
        flags.add('g');
        flags.add('d');
        return new RegExp(r.pattern.source, [...flags].join(''));
    });
    const secretGroups = rules.map((r) => r.secretGroup ?? (new RegExp(`${r.pattern.source}|`).exec('').length > 1 ? 1 : 0));
    return { rules, regexes, automaton, keywordRules, secretGroups };
}
let defaultCompiled;
function defaultRules() {
    defaultCompiled ??= compileRules(scan_rules/* RULES */.y);
    return defaultCompiled;
}
const LOCKFILE = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|go\.sum|Cargo\.lock|composer\.lock|Gemfile\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|flake\.lock|packages\.lock\.json|mix\.lock|pubspec\.lock|Podfile\.lock)$/;
const GENERATED = /\.(?:min\.js|min\.css|map|svg|lock)$|(?:^|\/)(?:vendor|third_party)\//;
/** Which rules apply to a path: lockfiles, minified and generated files get provider rules only. */
function rulesActiveFor(compiled, path) {
    const noisy = LOCKFILE.test(path) || GENERATED.test(path);
    return compiled.rules.map((r) => {
        if (r.path && !r.path.test(path))
            return false;
        if (r.generic && noisy)
            return false;
        return true;
    });
}
// Searched over the whole text once, so `\s` becomes "blank but not a line break": a marker must
// sit on one line, as it did when each line was searched on its own.
const ALLOW_SAME_LINE = /gitleaks:allow|secretlint-disable-line|pragma:[^\S\n]*allowlist[^\S\n]+secret|ass:allow|trufflehog:ignore/g;
const ALLOW_NEXT_LINE = /secretlint-disable-next-line|pragma:[^\S\n]*allowlist[^\S\n]+nextline[^\S\n]+secret|ass:allow-next-line/g;
/** How far along its line from a finding an allow comment may be (lines can be megabytes long). */
const ALLOW_REACH = 8192;
/** Start and end offsets of every match of a global expression, overlapping ones included. */
function spans(re, text) {
    const out = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        out.push(m.index, m.index + m[0].length);
        re.lastIndex = m.index + 1;
    }
    return Int32Array.from(out);
}
/** How many of the sorted values `a[offset], a[offset + step], ...` are below `x`. */
function countBelow(a, x, step = 1, offset = 0) {
    let lo = 0;
    let hi = Math.ceil((a.length - offset) / step);
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (a[mid * step + offset] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
/** Whether one of the (start, end) pairs, sorted by start, lies within [from, to]. */
function spanWithin(pairs, from, to) {
    // Spans that start in range but end past it all overlap `to`: a few at most.
    for (let i = countBelow(pairs, from, 2) * 2; i < pairs.length && pairs[i] < to; i += 2)
        if (pairs[i + 1] <= to)
            return true;
    return false;
}
/**
 * The inline allow comments of one text, found in one pass on first use. A finding then costs a few
 * binary searches, however long its line and however many findings share it.
 */
class AllowComments {
    same;
    next;
    newlines;
    text;
    constructor(text) {
        this.text = text;
    }
    /**
     * True when an allow comment covers the line holding `offset`: one on that line within
     * ALLOW_REACH of it, or a "next line" one at the end of the line before.
     */
    covers(offset) {
        const text = this.text;
        this.same ??= spans(ALLOW_SAME_LINE, text);
        this.next ??= spans(ALLOW_NEXT_LINE, text);
        if (this.same.length === 0 && this.next.length === 0)
            return false;
        if (!this.newlines) {
            const nl = [];
            for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
                nl.push(i);
            this.newlines = Int32Array.from(nl);
        }
        const k = countBelow(this.newlines, offset);
        const lineStart = k > 0 ? this.newlines[k - 1] + 1 : 0;
        const lineEnd = k < this.newlines.length ? this.newlines[k] : text.length;
        if (spanWithin(this.same, Math.max(lineStart, offset - ALLOW_REACH), Math.min(lineEnd, offset + ALLOW_REACH)))
            return true;
        if (lineStart === 0)
            return false;
        const prevStart = k > 1 ? this.newlines[k - 2] + 1 : 0;
        return spanWithin(this.next, Math.max(prevStart, lineStart - 1 - ALLOW_REACH), lineStart - 1);
    }
}
/** True when an inline allow comment covers the line holding `offset` (for one query; findMatches keeps one AllowComments per text). */
function isAllowedInline(text, offset) {
    return new AllowComments(text).covers(offset);
}
const CHECKSUMMED_PREFIX = /^(?:gh[pousr]_|npm_|ass_[uatp]_|cf(?:k|ut|at)_)[A-Za-z0-9]/;
/** Whether a candidate secret passes its rule's structure check and false-positive filters. */
function acceptSecret(rule, secret, name) {
    if (rule.validate && !rule.validate(secret))
        return false;
    if (rule.generic) {
        // A value in a checksummed format was judged by its own rule; a wrong checksum is no finding.
        if (CHECKSUMMED_PREFIX.test(secret) || (0,checksum/* looksLikeAzureIdentifiableKey */.KD)(secret))
            return false;
        return genericRejectReason(secret, name, rule.minEntropy ?? 0) === undefined;
    }
    if (!rule.multiline && isPlaceholder(rule.placeholderPart ? rule.placeholderPart(secret) : secret))
        return false;
    if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy)
        return false;
    return true;
}
/**
 * The windows each rule's expression runs in: around every hit of one of its keywords, the line
 * (at most SINGLE_LINE_BEFORE before the keyword and SINGLE_LINE_AFTER after it), or for key blocks
 * MULTILINE_AFTER characters. Overlapping windows of one rule are merged, so a rule reads each
 * character at most once, however dense its keywords.
 */
function keywordWindows(text, compiled, active) {
    const { rules, automaton, keywordRules } = compiled;
    const windows = new Map();
    const len = text.length;
    // The line holding the latest hit, found once per line: a keyword every few characters of a
    // megabyte-long line must not each walk to the line's ends.
    let lineStart = 0;
    let lineEnd = -1;
    automaton.scan(text, (pos, kw) => {
        let start = -1;
        let end = -1;
        for (const ri of keywordRules[kw]) {
            if (active && !active[ri])
                continue;
            const rule = rules[ri];
            if (start < 0) {
                // Keywords hold no line break and hits come in order of their end, so lines only move on.
                if (pos > lineEnd) {
                    lineStart = text.lastIndexOf('\n', pos - 1) + 1;
                    lineEnd = text.indexOf('\n', pos);
                    if (lineEnd === -1)
                        lineEnd = len;
                }
                start = Math.max(lineStart, pos - SINGLE_LINE_BEFORE);
                end = Math.min(lineEnd, pos + SINGLE_LINE_AFTER);
            }
            const windowEnd = rule.multiline ? Math.min(len, pos + MULTILINE_AFTER) : end;
            let list = windows.get(ri);
            if (!list) {
                list = [];
                windows.set(ri, list);
            }
            const last = list[list.length - 1];
            if (last && start <= last[1]) {
                if (windowEnd > last[1])
                    last[1] = windowEnd;
                if (start < last[0]) {
                    // Hits arrive by end position, so a longer keyword's window can start before the last
                    // one, even before the one before that: merge back until windows are apart again.
                    last[0] = start;
                    while (list.length > 1 && list[list.length - 2][1] >= last[0]) {
                        const prev = list[list.length - 2];
                        last[0] = Math.min(last[0], prev[0]);
                        last[1] = Math.max(last[1], prev[1]);
                        list.splice(list.length - 2, 1);
                    }
                }
            }
            else
                list.push([start, windowEnd]);
        }
    });
    return windows;
}
/**
 * Finds the accepted matches in `text`. `active` switches rules off for this file. Only the
 * keyword windows are searched, never the whole text, so cost follows the keyword density.
 */
function findMatches(text, compiled, active, work) {
    const { rules, regexes } = compiled;
    const windows = keywordWindows(text, compiled, active);
    const out = [];
    const allow = new AllowComments(text);
    for (const [ri, list] of windows) {
        const rule = rules[ri];
        const re = regexes[ri];
        const group = compiled.secretGroups[ri];
        let lastEnd = -1;
        for (const [ws, we] of list) {
            if (work)
                work.windowChars += we - ws;
            const slice = text.slice(ws, we);
            re.lastIndex = 0;
            for (let m = re.exec(slice); m !== null; m = re.exec(slice)) {
                if (m[0].length === 0) {
                    re.lastIndex++;
                    continue;
                }
                const span = groupSpan(m, group);
                if (!span)
                    continue;
                const secret = slice.slice(span[0], span[1]);
                const start = ws + span[0];
                if (start < lastEnd)
                    continue;
                if (rule.lineAnchored && ws + m.index > 0 && text.charCodeAt(ws + m.index - 1) !== 10)
                    continue;
                const nameSpan = rule.nameGroup !== undefined ? groupSpan(m, rule.nameGroup) : undefined;
                const name = nameSpan ? slice.slice(nameSpan[0], nameSpan[1]) : '';
                if (!acceptSecret(rule, secret, name))
                    continue;
                if (allow.covers(ws + m.index))
                    continue;
                lastEnd = ws + span[1];
                // Key blocks are reported at their BEGIN line, where a reader looks.
                out.push({ ruleIndex: ri, start: rule.multiline ? ws + m.index : start, end: ws + span[1], secret });
            }
        }
    }
    out.sort((a, b) => a.start - b.start || a.ruleIndex - b.ruleIndex);
    const kept = dropContained(out);
    const blocked = kept.length > 0 ? blockSuppression(text) : undefined;
    return blocked ? kept.filter((m) => !blocked(m.start, rules[m.ruleIndex].id)) : kept;
}
/** Where a group (or the text from one group's start to another's end) lies in the searched text. */
function groupSpan(m, ref) {
    const indices = m.indices;
    if (!indices)
        return undefined;
    if (typeof ref === 'number')
        return indices[ref];
    const first = indices[ref[0]];
    const last = indices[ref[1]];
    return first && last ? [first[0], last[1]] : undefined;
}
/** When two rules match overlapping text (a token inside a generic assignment), keep the more specific (earlier) rule. */
function dropContained(matches) {
    const out = [];
    for (const m of matches) {
        const prev = out[out.length - 1];
        if (prev && m.start < prev.end) {
            if (m.ruleIndex < prev.ruleIndex)
                out[out.length - 1] = m;
            continue;
        }
        out.push(m);
    }
    return out;
}
/**
 * Redacted preview: a few leading characters (the public prefix, at most a fifth of the secret), then
 * asterisks. The characters come from the scanned file, so controls, separators and direction
 * overrides among them become `?` here, once, for every report, annotation and comment.
 */
function redact(secret) {
    const flat = secret.replace(/\\n|\s+/g, '');
    const show = Math.min(flat.indexOf('_') >= 2 && flat.indexOf('_') <= 8 ? flat.indexOf('_') + 1 : 4, Math.floor(flat.length / 5), 12);
    return `${(0,core_text/* shownText */.f$)(flat.slice(0, Math.max(0, show)))}${'*'.repeat(8)}`;
}


/***/ }),

/***/ 5438:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FD: () => (/* binding */ addStats),
/* harmony export */   GG: () => (/* binding */ walk),
/* harmony export */   WN: () => (/* binding */ scanFile),
/* harmony export */   bD: () => (/* binding */ emptyStats),
/* harmony export */   nS: () => (/* binding */ parseByteSize)
/* harmony export */ });
/* unused harmony export scanFileSync */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _engine_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3288);
/* harmony import */ var _paths_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4341);
/* harmony import */ var _scan_text_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1578);
/**
 * Reading and scanning files from disk: directory walk, binary and size guards, chunked reads of
 * large files so memory stays bounded by the chunk size, not the file size.
 */





/** `10MB`, `500KB`, `2g`, `1024` → bytes (KB = 1024 bytes); undefined when it is not a size. */
function parseByteSize(value) {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(value.trim());
    if (!m)
        return undefined;
    const unit = (m[2] ?? 'b').toLowerCase()[0];
    const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
    return Math.floor(Number(m[1]) * mult);
}
function emptyStats() {
    return { commits: 0, files: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0, excluded: 0 };
}
function addStats(into, from) {
    into.commits += from.commits;
    into.files += from.files;
    into.bytes += from.bytes;
    into.skippedBinary += from.skippedBinary;
    into.skippedLarge += from.skippedLarge;
    into.excluded += from.excluded;
}
/** Walks `root`, yielding files to scan; skips `.git/`, `node_modules/`, excluded paths and symlinks. */
async function* walk(root, filter, stats, displayPrefix = '') {
    const stack = [''];
    while (stack.length > 0) {
        const relDir = stack.pop();
        let entries;
        try {
            entries = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(root, relDir), { withFileTypes: true });
        }
        catch {
            continue;
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const dirs = [];
        for (const e of entries) {
            const rel = relDir === '' ? e.name : `${relDir}/${e.name}`;
            if (e.isDirectory()) {
                if (_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .DEFAULT_SKIP_DIRS */ .vF.has(e.name))
                    continue;
                if (filter.excluded(rel)) {
                    stats.excluded++;
                    continue;
                }
                dirs.push(rel);
            }
            else if (e.isFile()) {
                if (filter.excluded(rel)) {
                    stats.excluded++;
                    continue;
                }
                if ((0,_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .hasBinaryExtension */ .Tm)(e.name)) {
                    stats.skippedBinary++;
                    continue;
                }
                yield { abs: node_path__WEBPACK_IMPORTED_MODULE_1___default().join(root, rel), rel: displayPrefix + rel };
            }
        }
        for (let i = dirs.length - 1; i >= 0; i--)
            stack.push(dirs[i]);
    }
}
const DEFAULT_CHUNK = 8 * 1024 * 1024;
/**
 * Scans one file; returns its findings and adds to `stats`. Reads synchronously: scanning is
 * CPU-bound and runs on worker threads for large trees, and per-file promise round trips through
 * the libuv pool cost more than the reads themselves on trees of small files.
 */
async function scanFile(file, options, stats, skipped) {
    return scanFileSync(file, options, stats, skipped);
}
function readFully(fd, buf, length, position) {
    let got = 0;
    while (got < length) {
        const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, buf, got, length - got, position + got);
        if (n === 0)
            break;
        got += n;
    }
    return got;
}
/** Like scanFile; files over the size cap are added to `skipped` when given. */
function scanFileSync(file, options, stats, skipped) {
    let fd;
    try {
        fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(file.abs, 'r');
    }
    catch {
        return [];
    }
    try {
        const { size } = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd);
        if (size > options.maxFileSize) {
            stats.skippedLarge++;
            skipped?.push({ path: file.rel, bytes: size });
            return [];
        }
        const chunk = Math.max(options.chunkSize ?? DEFAULT_CHUNK, _engine_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_WINDOW */ .SD * 2);
        if (size <= chunk) {
            const buf = Buffer.allocUnsafe(size);
            const data = buf.subarray(0, readFully(fd, buf, size, 0));
            if ((0,_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .looksBinary */ .Wb)(data)) {
                stats.skippedBinary++;
                return [];
            }
            stats.files++;
            stats.bytes += data.length;
            return (0,_scan_text_js__WEBPACK_IMPORTED_MODULE_4__/* .scanText */ .Ff)(data.toString('latin1'), {
                path: file.rel,
                compiled: options.compiled,
                latin1: true,
                baselineSalt: options.baselineSalt,
            });
        }
        return scanChunked(fd, size, chunk, file, options, stats);
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}
function scanChunked(fd, size, chunk, file, options, stats) {
    const findings = [];
    const buf = Buffer.allocUnsafe(chunk + _engine_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_WINDOW */ .SD);
    let pos = 0;
    let lineOffset = 0;
    let first = true;
    while (pos < size) {
        const got = readFully(fd, buf, Math.min(chunk + _engine_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_WINDOW */ .SD, size - pos), pos);
        if (got === 0)
            break;
        const data = buf.subarray(0, got);
        if (first && (0,_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .looksBinary */ .Wb)(data)) {
            stats.skippedBinary++;
            return [];
        }
        first = false;
        const last = pos + got >= size;
        const text = data.toString('latin1');
        const keep = last ? got : Math.min(chunk, got);
        findings.push(...(0,_scan_text_js__WEBPACK_IMPORTED_MODULE_4__/* .scanText */ .Ff)(text, {
            path: file.rel,
            compiled: options.compiled,
            latin1: true,
            baselineSalt: options.baselineSalt,
            lineOffset,
            acceptBefore: last ? undefined : keep,
        }));
        for (let i = text.indexOf('\n'); i !== -1 && i < keep; i = text.indexOf('\n', i + 1))
            lineOffset++;
        pos += keep;
        if (last)
            break;
    }
    stats.files++;
    stats.bytes += size;
    return findings;
}


/***/ }),

/***/ 3565:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dz: () => (/* binding */ assignFingerprints),
/* harmony export */   Qo: () => (/* binding */ BASELINE_KDF_ID),
/* harmony export */   YL: () => (/* binding */ normalizeSecret),
/* harmony export */   kE: () => (/* binding */ BASELINE_SALT_PATTERN),
/* harmony export */   x2: () => (/* binding */ baselineKey)
/* harmony export */ });
/* unused harmony exports BASELINE_KDF, BASELINE_SALT_BYTES, newBaselineSalt */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/**
 * The two identities a finding has, neither of them a fast function of the secret alone:
 *
 * - `findingFingerprint` (JSON `fingerprint`, SARIF `partialFingerprints`): computed from data the
 *   report already shows — rule, path, redacted preview — plus the occurrence index of that
 *   (rule, preview) in the file. It carries no information about the secret beyond the preview, so
 *   nothing can be guessed from it, and it stays the same across runs while the file's findings do.
 * - `baselineKey` (baseline files): scrypt, memory-hard and deliberately slow, over the baseline's
 *   random salt, rule, path and secret. Survives line moves, never matches a different secret, and a
 *   guess at the secret costs one scrypt per baseline file.
 */

/**
 * scrypt cost: N=2^10, r=4, p=1 (512 KiB of memory per guess). About 1.1 ms per key on one core of
 * a 2-vCPU VM, so 50 baselined findings add ~55 ms. Changing these invalidates every baseline:
 * bump BASELINE_VERSION with them.
 */
const BASELINE_KDF = { name: 'scrypt', N: 1024, r: 4, p: 1, keyLength: 32 };
/** The KDF as baseline files name it; a file with another value is refused. */
const BASELINE_KDF_ID = `scrypt:N=${BASELINE_KDF.N},r=${BASELINE_KDF.r},p=${BASELINE_KDF.p}`;
const BASELINE_SALT_BYTES = 16;
const BASELINE_SALT_PATTERN = /^[a-f0-9]{32}$/;
/** A fresh random baseline salt, hex. */
function newBaselineSalt() {
    return randomBytes(BASELINE_SALT_BYTES).toString('hex');
}
/** Whitespace and `\n` escapes inside a secret (wrapped key blocks) do not change its identity. */
function normalizeSecret(secret) {
    return secret.replace(/\\n|\s+/g, '');
}
/** The baseline entry key of (rule, path, secret) under `salt` (hex). Slow on purpose. */
function baselineKey(salt, ruleId, path, secret) {
    const input = `ass-scan-baseline/v2\0${ruleId}\0${path}\0${normalizeSecret(secret)}`;
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.scryptSync)(input, Buffer.from(salt, 'hex'), BASELINE_KDF.keyLength, {
        N: BASELINE_KDF.N,
        r: BASELINE_KDF.r,
        p: BASELINE_KDF.p,
    }).toString('hex');
}
/**
 * Sets each finding's report fingerprint from non-secret data: rule, path, preview and the index of
 * this (rule, preview) among the file's findings in file order. `findings` must be sorted by path
 * and position; modified in place.
 */
function assignFingerprints(findings) {
    const seen = new Map();
    for (const f of findings) {
        const group = `${f.ruleId}\0${f.path}\0${f.preview}`;
        const index = seen.get(group) ?? 0;
        seen.set(group, index + 1);
        f.fingerprint = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(`ass-scan-finding/v2\0${group}\0${index}`).digest('hex');
    }
    return findings;
}


/***/ }),

/***/ 4341:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Tm: () => (/* binding */ hasBinaryExtension),
/* harmony export */   Wb: () => (/* binding */ looksBinary),
/* harmony export */   uI: () => (/* binding */ PathFilter),
/* harmony export */   vF: () => (/* binding */ DEFAULT_SKIP_DIRS)
/* harmony export */ });
/* unused harmony export globToRegExp */
/**
 * Path selection: default skips, user excludes (gitignore-like globs), binary detection.
 */
/** Directories never entered. */
const DEFAULT_SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
const BINARY_EXT = /\.(?:png|jpe?g|gif|bmp|ico|icns|webp|avif|tiff?|psd|heic|mp[34]|m4a|mov|avi|mkv|webm|wav|flac|ogg|pdf|zip|gz|tgz|bz2|xz|zst|7z|rar|jar|war|ear|class|dll|exe|so|dylib|a|o|obj|lib|node|wasm|woff2?|ttf|otf|eot|pyc|pyo|bin|dat|db|sqlite3?|parquet|avro|pb|onnx|pt|safetensors|glb|gltf|fbx|blend)$/i;
function hasBinaryExtension(path) {
    return BINARY_EXT.test(path);
}
/** A NUL byte in the first 8 KiB means binary (what git does). */
function looksBinary(head) {
    const n = Math.min(head.length, 8192);
    for (let i = 0; i < n; i++)
        if (head[i] === 0)
            return true;
    return false;
}
/**
 * Compiles a gitignore-like glob: `*` within a segment, `**` across segments, `?` one character;
 * a pattern without `/` matches a file or directory name at any depth; a trailing `/` is allowed.
 */
function globToRegExp(glob) {
    let g = glob.trim().replace(/\\/g, '/');
    if (g.startsWith('./'))
        g = g.slice(2);
    if (g.endsWith('/'))
        g = g.slice(0, -1);
    const anchored = g.includes('/');
    if (g.startsWith('/'))
        g = g.slice(1);
    let re = '';
    for (let i = 0; i < g.length; i++) {
        const c = g[i];
        if (c === '*') {
            if (g[i + 1] === '*') {
                const slash = g[i + 2] === '/';
                re += slash ? '(?:.*/)?' : '.*';
                i += slash ? 2 : 1;
            }
            else
                re += '[^/]*';
        }
        else if (c === '?')
            re += '[^/]';
        else
            re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    // Matching a directory excludes everything below it.
    return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}(?:/.*)?$`);
}
class PathFilter {
    excludes;
    constructor(excludeGlobs = []) {
        this.excludes = excludeGlobs.filter((g) => g.trim() !== '' && !g.trim().startsWith('#')).map(globToRegExp);
    }
    /** `rel` is `/`-separated and relative to the scanned directory. */
    excluded(rel) {
        return this.excludes.some((re) => re.test(rel));
    }
}


/***/ }),

/***/ 3247:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   defaultGitWorkerCount: () => (/* binding */ defaultGitWorkerCount),
/* harmony export */   defaultWorkerCount: () => (/* binding */ defaultWorkerCount),
/* harmony export */   isScanWorker: () => (/* reexport safe */ _worker_script_js__WEBPACK_IMPORTED_MODULE_5__.WJ),
/* harmony export */   registerScanWorkerScript: () => (/* reexport safe */ _worker_script_js__WEBPACK_IMPORTED_MODULE_5__.yg),
/* harmony export */   runScanWorker: () => (/* binding */ runScanWorker),
/* harmony export */   scanOnWorkers: () => (/* binding */ scanOnWorkers),
/* harmony export */   scanTextBatches: () => (/* binding */ scanTextBatches),
/* harmony export */   scanWorkersAvailable: () => (/* reexport safe */ _worker_script_js__WEBPACK_IMPORTED_MODULE_5__.GF)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5919);
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_worker_threads__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _engine_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3288);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5438);
/* harmony import */ var _texts_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4965);
/* harmony import */ var _worker_script_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6887);
/**
 * Worker threads for large scans: files of a tree, or in-memory texts (git blobs, the added lines
 * of commits). A bundle that wants them registers its own file as the worker script
 * (`registerScanWorkerScript(fileURLToPath(import.meta.url))`) and, when started as a worker, calls
 * `runScanWorker()` instead of its normal entry. Without a registered script, scans stay on the
 * main thread, which is also right for small diffs and small trees.
 */







/** The worker side: scans what it is sent with the built-in rules. */
function runScanWorker() {
    const port = node_worker_threads__WEBPACK_IMPORTED_MODULE_1__.parentPort;
    if (!port)
        return;
    const compiled = (0,_engine_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultRules */ .Z4)();
    port.on('message', (msg) => {
        void (async () => {
            try {
                if (msg.kind === 'texts') {
                    const results = (0,_texts_js__WEBPACK_IMPORTED_MODULE_4__/* .scanTextBatch */ .NQ)(msg.batch, { compiled, baselineSalt: msg.baselineSalt, idKey: msg.idKey });
                    port.postMessage({ kind: 'texts', results });
                    return;
                }
                const stats = (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .emptyStats */ .bD)();
                const skipped = [];
                const findings = [];
                for (const f of msg.files) {
                    findings.push(...(await (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .scanFile */ .WN)(f, { compiled, maxFileSize: msg.maxFileSize, baselineSalt: msg.baselineSalt }, stats, skipped)));
                }
                port.postMessage({ kind: 'files', findings, stats, skipped });
            }
            catch (err) {
                port.postMessage({ kind: 'error', error: err instanceof Error ? err.message : String(err) });
            }
        })();
    });
}
/** Default worker count: the machine's cores, at most 8. */
function defaultWorkerCount() {
    return Math.max(1, Math.min(8, node_os__WEBPACK_IMPORTED_MODULE_0___default().availableParallelism()));
}
/**
 * Default worker count for git scans: one fewer than for trees, because the main thread has work
 * of its own there (reading git's output and packing it), and so do git's processes. On two cores
 * that is none: measured, the main thread alone was as fast as two workers (docs/scan.md).
 */
function defaultGitWorkerCount() {
    return (0,_worker_script_js__WEBPACK_IMPORTED_MODULE_5__/* .scanWorkersAvailable */ .GF)() ? Math.max(1, defaultWorkerCount() - 1) : 1;
}
/**
 * Runs `count` workers over `source`, each pulling the next unit as it finishes one, so producing
 * and scanning overlap and memory holds only the units in flight. Any failure stops every worker.
 */
async function onWorkers(source, count, post, onResult) {
    const script = (0,_worker_script_js__WEBPACK_IMPORTED_MODULE_5__/* .scanWorkerScript */ .VG)();
    if (!script)
        throw new Error('no scan worker script registered');
    const iterator = source[Symbol.asyncIterator]();
    const workers = [];
    let failed = false;
    // Read ahead up to one unit per worker, so the source (a directory walk, a git process) keeps
    // producing while every worker is busy, and memory holds at most twice the units in flight.
    const ready = [];
    const waiting = [];
    let done = false;
    let producing = false;
    let sourceError;
    const produce = async () => {
        if (producing)
            return;
        producing = true;
        try {
            while (!done && !failed && ready.length < count) {
                const n = await iterator.next();
                if (n.done)
                    done = true;
                else if (waiting.length > 0)
                    waiting.shift()(n.value);
                else
                    ready.push(n.value);
            }
        }
        catch (err) {
            sourceError = err;
            done = true;
        }
        finally {
            producing = false;
        }
        if (done)
            for (const w of waiting.splice(0))
                w(undefined);
    };
    const pull = async () => {
        if (sourceError !== undefined)
            throw sourceError;
        const unit = ready.shift();
        void produce();
        if (unit !== undefined || done) {
            if (unit === undefined && sourceError !== undefined)
                throw sourceError;
            return unit;
        }
        const next = await new Promise((resolve) => waiting.push(resolve));
        if (next === undefined && sourceError !== undefined)
            throw sourceError;
        return next;
    };
    const runOne = () => new Promise((resolve, reject) => {
        const worker = new node_worker_threads__WEBPACK_IMPORTED_MODULE_1__.Worker(script, { workerData: { [_worker_script_js__WEBPACK_IMPORTED_MODULE_5__/* .SCAN_WORKER_FLAG */ .Ic]: true } });
        workers.push(worker);
        const feed = async () => {
            const unit = await pull();
            if (unit === undefined) {
                await worker.terminate();
                resolve();
                return;
            }
            post(worker, unit);
        };
        worker.on('message', (msg) => {
            if (msg.kind === 'error') {
                reject(new Error(`scan worker failed: ${msg.error}`));
                return;
            }
            onResult(msg);
            feed().catch(reject);
        });
        worker.on('error', reject);
        feed().catch(reject);
    });
    try {
        await Promise.all(Array.from({ length: count }, runOne));
    }
    catch (err) {
        failed = true;
        await Promise.all(workers.map((w) => w.terminate()));
        await iterator.return?.();
        throw err;
    }
}
/**
 * Scans `files` on `count` workers, pulling batches from an async source so the walk and the scan
 * overlap and memory holds only the batches in flight.
 */
async function scanOnWorkers(batches, count, maxFileSize, baselineSalt) {
    const findings = [];
    const stats = (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .emptyStats */ .bD)();
    const skipped = [];
    await onWorkers(batches, count, (worker, files) => worker.postMessage({ kind: 'files', files, maxFileSize, baselineSalt }), (msg) => {
        if (msg.kind !== 'files')
            return;
        findings.push(...msg.findings);
        (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .addStats */ .FD)(stats, msg.stats);
        skipped.push(...msg.skipped);
    });
    return { findings, stats, skipped };
}
/** Below this many bytes in the first batches, texts are scanned on the main thread: starting workers costs more. */
const TEXT_WORKER_MIN_BYTES = 2 * 1024 * 1024;
/**
 * Scans batches of texts, on workers when there are enough of them (and a worker script is
 * registered), else on the main thread. Batches are pulled as they are scanned, so the producer
 * (a git process) is paused while every worker is busy.
 */
async function scanTextBatches(source, run) {
    const results = [];
    const iterator = source[Symbol.asyncIterator]();
    const useWorkers = run.workers > 1 && (0,_worker_script_js__WEBPACK_IMPORTED_MODULE_5__/* .scanWorkerScript */ .VG)() !== undefined && run.compiled === undefined;
    const head = [];
    let headBytes = 0;
    let ended = false;
    if (useWorkers) {
        // Peek: a small input stays on the main thread.
        while (headBytes < TEXT_WORKER_MIN_BYTES) {
            const next = await iterator.next();
            if (next.done) {
                ended = true;
                break;
            }
            head.push(next.value);
            headBytes += next.value.data.length;
        }
    }
    if (useWorkers && !ended) {
        async function* all() {
            yield* head;
            for (let next = await iterator.next(); !next.done; next = await iterator.next())
                yield next.value;
        }
        run.logger?.info(`Scanning on ${run.workers} worker threads.`);
        await onWorkers(all(), run.workers, (worker, batch) => worker.postMessage({ kind: 'texts', batch, baselineSalt: run.baselineSalt, idKey: run.idKey }, [
            batch.data.buffer,
        ]), (msg) => {
            if (msg.kind === 'texts')
                results.push(...msg.results);
        });
        return results;
    }
    const options = { compiled: run.compiled ?? (0,_engine_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultRules */ .Z4)(), baselineSalt: run.baselineSalt, idKey: run.idKey };
    for (const batch of head)
        results.push(...(0,_texts_js__WEBPACK_IMPORTED_MODULE_4__/* .scanTextBatch */ .NQ)(batch, options));
    if (!ended)
        for (let next = await iterator.next(); !next.done; next = await iterator.next())
            results.push(...(0,_texts_js__WEBPACK_IMPORTED_MODULE_4__/* .scanTextBatch */ .NQ)(next.value, options));
    return results;
}


/***/ }),

/***/ 1975:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  y: () => (/* binding */ RULES)
});

// UNUSED EXPORTS: RULES_BY_ID

// EXTERNAL MODULE: ./src/scan/checksum.ts
var checksum = __webpack_require__(2530);
;// CONCATENATED MODULE: ./src/scan/rules-helpers.ts
/** The families rules are grouped by in docs, `--list-rules` and the precision/recall figures. */
const FAMILIES = [
    'cloud',
    'source-ci',
    'secrets-management',
    'package-registry',
    'ai',
    'payment',
    'messaging',
    'observability',
    'saas',
    'database',
    'private-key',
    'generic',
];
/** Escapes a literal for use inside an expression. */
function lit(text) {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
/** A literal matched in either case, without the `i` flag (which would loosen the value's alphabet). */
function ci(text) {
    return text.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).replace(/[.+?^$(){}|\\/]/g, '\\$&');
}
function finish(base, pattern, keywords, extra = {}) {
    const { severity = 'high', keywords: _k, ...rest } = base;
    return { ...rest, severity, keywords: base.keywords ?? keywords, pattern, ...extra };
}
/**
 * A token that starts with a literal prefix: `prefix` + `body` (an expression of bounded
 * repetitions), standing alone: no token character right before or after it.
 */
function prefixed(base) {
    const prefixes = typeof base.prefix === 'string' ? [base.prefix] : base.prefix;
    const edge = base.edge ?? 'A-Za-z0-9_-';
    const alt = prefixes.map((p) => (base.anyCase ? ci(p) : lit(p))).join('|');
    // `=` can end a base64 token but also introduces one (`KEY=token`): it only bounds the end.
    const before = edge.replace('=', '');
    const pattern = new RegExp(`(?<![${before}])((?:${alt})${base.body})(?![${edge}])`);
    const { prefix: _p, body: _b, edge: _e, anyCase: _a, ...rest } = base;
    return finish(rest, pattern, prefixes.map((p) => p.toLowerCase()));
}
/** Setting-name endings that label an identifier, an address or a user, not a secret. */
const NOT_A_SECRET_NAME = `(?<![_.-](?:[iI][dD]|[uU][rR][lLiI]|[hH][oO][sS][tT]|[nN][aA][mM][eE]|[uU][sS][eE][rR]|[eE][mM][aA][iI][lL]|[rR][eE][gG][iI][oO][nN]|[dD][oO][mM][aA][iI][nN]|[pP][aA][tT][hH]|[fF][iI][lL][eE]|[vV][eE][rR][sS][iI][oO][nN]))`;
/**
 * A setting name in any of its spellings: `ALGOLIA_ADMIN`, `algoliaAdmin`, `algolia-admin`,
 * `algolia.admin` all match `algolia_admin`. The prefilter keyword is its first word (or, when that
 * is under three letters, the name as written).
 */
function nameSpellings(names) {
    const seen = new Map();
    for (const n of names) {
        const parts = n.toLowerCase().split(/[_.-]/);
        const key = parts.join('');
        if (!seen.has(key))
            seen.set(key, parts);
    }
    const spellings = [...seen.values()];
    const pattern = spellings.map((parts) => parts.map(ci).join('[_.-]?')).join('|');
    const keywords = [...new Set(spellings.map((parts) => (parts[0].length >= 3 ? parts[0] : parts.join('-'))))];
    return { pattern, keywords };
}
/**
 * A value assigned to a setting whose name contains one of `names` (for providers whose keys have
 * no distinctive prefix): `ACME_API_KEY=...`, `"acmeToken": "..."`, `acme_secret: ...`,
 * `$acmeKey = '...'`. The name matches in either case and any spelling, the value in its own
 * alphabet only; names that end like an id, URL, host or user name do not count.
 */
function assigned(base) {
    const spelled = nameSpellings(base.names);
    const pattern = new RegExp(String.raw `(?:${spelled.pattern})[A-Za-z0-9_.-]{0,32}${NOT_A_SECRET_NAME}["']?[ \t]{0,4}(?::=|=>|:|=)[ \t]{0,4}["'\x60]?(${base.value})(?![A-Za-z0-9_+/=-])`);
    const { names: _n, value: _v, ...rest } = base;
    return finish(rest, pattern, spelled.keywords);
}
/**
 * A token on a line that mentions the provider (`keywords`), for formats too plain to stand on
 * their own but unmistakable next to the provider's name or host (`key-<32 hex>` near `mailgun`).
 */
function nearby(base) {
    const edge = base.edge ?? 'A-Za-z0-9_-';
    const pattern = new RegExp(`(?<![${edge}])(${base.token})(?![${edge}])`);
    const { token: _t, edge: _e, ...rest } = base;
    return finish(rest, pattern, base.keywords);
}
/** Any rule written out in full (its expression built by hand, still under the rules above). */
function custom(base) {
    const { pattern, keywords, ...rest } = base;
    return finish(rest, pattern, keywords);
}
// ---- structure checks shared by several rules ----
/** Decodes base64 or base64url (padding optional); undefined when the text is not base64. */
function b64(text) {
    const std = text.replace(/-/g, '+').replace(/_/g, '/');
    if (!/^[A-Za-z0-9+/]*={0,3}$/.test(std))
        return undefined;
    return Buffer.from(std, 'base64');
}
/** The decoded text when it is printable ASCII (a token that wraps readable data), else undefined. */
function b64Text(text) {
    const bytes = b64(text);
    if (!bytes)
        return undefined;
    const s = bytes.toString('latin1');
    return /^[\x20-\x7e\r\n\t]*$/.test(s) ? s : undefined;
}
/** The JSON object a base64 text decodes to, or undefined. */
function b64Json(text) {
    const s = b64Text(text);
    if (s === undefined)
        return undefined;
    try {
        const v = JSON.parse(s);
        return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
    }
    catch {
        return undefined;
    }
}
/** The claims of a JWT (header must name a signing algorithm), or undefined. */
function jwtClaims(jwt) {
    const [h, p, sig] = jwt.split('.');
    if (!h || !p || !sig)
        return undefined;
    const header = b64Json(h);
    if (!header || typeof header.alg !== 'string' || header.alg === 'none')
        return undefined;
    return b64Json(p);
}
/** Mixed letters and digits: a generated key, not a word or a number. */
function mixed(value) {
    return /[A-Za-z]/.test(value) && /[0-9]/.test(value);
}
/** At least two of lower case, upper case and digits (a long random string may lack one class). */
function twoClasses(value) {
    return (/[a-z]/.test(value) ? 1 : 0) + (/[A-Z]/.test(value) ? 1 : 0) + (/[0-9]/.test(value) ? 1 : 0) >= 2;
}
/** Upper and lower case letters and digits: a random base62 string, not an identifier. */
function mixedCase(value) {
    return /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
}
/** Common fragments. */
const HEX = '[a-f0-9]';
const HEXU = '[A-Fa-f0-9]';
const ALNUM = '[A-Za-z0-9]';
const B64 = '[A-Za-z0-9+/]';
const B64URL = '[A-Za-z0-9_-]';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UUID_ANYCASE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

;// CONCATENATED MODULE: ./src/scan/rules-cloud.ts
/**
 * Cloud and infrastructure providers: Microsoft Azure, AWS, Google Cloud and the smaller clouds,
 * CDNs and hosting platforms. Formats are the providers' own (Microsoft's identifiable keys carry a
 * signature and a Marvin32 checksum, verified offline); see docs/scan.md.
 */


const AZURE = 'Microsoft Azure';
const B64C = 'A-Za-z0-9+/';
// Checksum seeds per key kind (microsoft/security-utilities, IdentifiableMetadata).
const SEED = {
    storage: [0x44656661756c7430n],
    cosmos: [
        0x537973416c6c3030n,
        0x5265736f75723030n,
        0x4d617374524f3030n,
        0x53797374524f3030n,
        0x456e637279703030n,
        0x4d61737452573030n,
        0x5379737452573030n,
    ],
    batch: [0x4162416363743030n],
    mlClassic: [0x436c617373696330n],
    apim: [0x54656e616e743030n, 0x496f544875623030n, 0x4761746577793030n, 0x4769744b65793030n],
    function: [0x46756e6374693030n, 0x53797374656d3030n, 0x4d61737465723030n],
    search: [0x5175657279303030n, 0x5041646d696e3030n],
    acr: [0x41435244666c7430n],
    messaging: [0x53656e6430303030n, 0x4c697374656e3030n, 0x4d616e6167653030n, 0x53797374656d3030n, 0x556e6b6e6f776e30n],
    iot: [0x496f544875623030n, 0x4470734b65793030n, 0x4465766963653030n],
    redis: [0x4163636573733030n],
    eventGrid: [0x53656e6452656376n],
};
/** A 64-byte identifiable key: 76 base64 characters, the signature, the checksum, `==`. */
function azure64(id, what, signature, seeds, severity = 'critical') {
    return custom({
        id,
        description: `Azure ${what} (identifiable key, checksum verified)`,
        provider: AZURE,
        severity,
        keywords: [signature.toLowerCase()],
        pattern: new RegExp(`(?<![${B64C}_-])([${B64C}]{76}${signature.replace('+', '\\+')}[${B64C}]{5}[AQgw]==)(?![${B64C}=_-])`),
        validate: (key) => (0,checksum/* validAzureIdentifiableKey */.FH)(key, seeds),
        checksum: true,
    });
}
/** A 32-byte identifiable key: 33 base64 characters, the signature, the checksum, `=`. */
function azure32(id, what, signature, seeds, severity = 'critical') {
    return custom({
        id,
        description: `Azure ${what} (identifiable key, checksum verified)`,
        provider: AZURE,
        severity,
        keywords: [signature.toLowerCase()],
        pattern: new RegExp(`(?<![${B64C}_-])([${B64C}]{33}${signature.replace('+', '\\+')}[A-P][${B64C}]{5}=)(?![${B64C}=_-])`),
        validate: (key) => (0,checksum/* validAzureIdentifiableKey */.FH)(key, seeds),
        checksum: true,
    });
}
/**
 * A common annotated security key (Azure AI services, Azure OpenAI, Maps, DevOps, ...): 52
 * base62 characters, `JQQJ9` and a kind, a year and a month (`A-L`), reserved characters, the
 * provider's four-character signature at offset 76, and the checksum.
 */
function cask(id, what, signature, severity = 'critical') {
    return custom({
        id,
        description: `${what} (common annotated security key)`,
        provider: AZURE,
        severity,
        keywords: ['jqqj9'],
        pattern: new RegExp(`(?<![A-Za-z0-9+/_-])([A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}${signature}[A-Za-z0-9]{4}(?:[A-Za-z0-9]{2}==)?)(?![A-Za-z0-9+/=_-])`),
        // The reserved characters are often a run of `A`s; only the random part can be a placeholder.
        placeholderPart: (key) => key.slice(0, 52),
        minEntropy: 3,
    });
}
const AZURE_RULES = [
    azure64('azure-storage-identifiable-key', 'Storage account key', '+ASt', SEED.storage),
    azure64('azure-cosmosdb-key', 'Cosmos DB key', 'ACDb', SEED.cosmos),
    azure64('azure-batch-key', 'Batch account key', '+ABa', SEED.batch),
    azure64('azure-ml-classic-key', 'Machine Learning (classic) web service key', '+AMC', SEED.mlClassic, 'high'),
    azure64('azure-apim-key', 'API Management key (direct management, subscription, gateway or repository)', 'APIM', SEED.apim),
    custom({
        id: 'azure-function-key',
        description: 'Azure Functions key (identifiable key, checksum verified)',
        provider: AZURE,
        severity: 'critical',
        keywords: ['azfu'],
        pattern: /(?<![A-Za-z0-9_+/-])([A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw](?:==|%3[dD]%3[dD])?)(?![A-Za-z0-9_+/=-])/,
        validate: (key) => (0,checksum/* validAzureIdentifiableKey */.FH)(key, SEED.function),
        checksum: true,
    }),
    custom({
        id: 'azure-search-key',
        description: 'Azure AI Search admin or query key (identifiable key, checksum verified)',
        provider: AZURE,
        severity: 'high',
        keywords: ['azse'],
        pattern: /(?<![A-Za-z0-9+/_-])([A-Za-z0-9]{42}AzSe[A-D][A-Za-z0-9]{5})(?![A-Za-z0-9+/=_-])/,
        validate: (key) => (0,checksum/* validAzureIdentifiableKey */.FH)(key, SEED.search),
        checksum: true,
    }),
    custom({
        id: 'azure-container-registry-key',
        description: 'Azure Container Registry access key or token password (identifiable key, checksum verified)',
        provider: AZURE,
        severity: 'critical',
        keywords: ['+acr'],
        pattern: /(?<![A-Za-z0-9+/_-])([A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5})(?![A-Za-z0-9+/=_-])/,
        validate: (key) => (0,checksum/* validAzureIdentifiableKey */.FH)(key, SEED.acr),
        checksum: true,
    }),
    azure32('azure-service-bus-key', 'Service Bus shared access key', '+ASb', SEED.messaging),
    azure32('azure-event-hubs-key', 'Event Hubs shared access key', '+AEh', SEED.messaging),
    azure32('azure-relay-key', 'Relay shared access key', '+ARm', SEED.messaging),
    azure32('azure-iot-key', 'IoT Hub, device or provisioning service key', 'AIoT', SEED.iot),
    azure32('azure-cache-redis-key', 'Cache for Redis access key', 'AzCa', SEED.redis),
    azure32('azure-event-grid-key', 'Event Grid access key', 'AZEG', SEED.eventGrid),
    cask('azure-devops-pat', 'Azure DevOps personal access token', 'AZDO'),
    cask('azure-ai-services-key', 'Azure AI services / Azure OpenAI key', 'ACOG'),
    cask('azure-maps-key', 'Azure Maps key', 'AZMP', 'high'),
    cask('azure-communication-services-key', 'Azure Communication Services key', 'AZCS'),
    cask('azure-app-configuration-key', 'Azure App Configuration access key', 'AZAC'),
    custom({
        id: 'azure-sas-token',
        description: 'Azure shared access signature (SAS) in a URL or connection string',
        provider: AZURE,
        severity: 'high',
        keywords: ['sig='],
        pattern: /(?<![A-Za-z0-9])sv=20\d\d-\d\d-\d\d&[^\s"'<>`]{0,400}?\bsig=([A-Za-z0-9%+/]{43,70}(?:=|%3[dD]))(?![A-Za-z0-9%+/=])/,
        validate: checksum/* validSasSignature */.MJ,
    }),
    custom({
        id: 'azure-shared-access-key',
        description: 'Azure Service Bus, Event Hubs, Relay or IoT Hub connection string with a shared access key',
        provider: AZURE,
        severity: 'critical',
        keywords: ['sharedaccesskey='],
        pattern: /[sS]hared[aA]ccess[kK]ey=([A-Za-z0-9+/]{42,43}=)(?![A-Za-z0-9+/=])/,
        validate: (key) => (0,checksum/* decodeBase64 */.y4)(key)?.length === 32,
        minEntropy: 3.5,
    }),
    custom({
        id: 'azure-app-configuration-connection-string',
        description: 'Azure App Configuration connection string with its secret',
        provider: AZURE,
        severity: 'critical',
        keywords: ['.azconfig.io'],
        pattern: /Endpoint=https:\/\/[A-Za-z0-9-]{1,63}\.azconfig\.io\/?;Id=[A-Za-z0-9+/=_:.-]{1,64};Secret=([A-Za-z0-9+/]{40,90}={0,2})(?![A-Za-z0-9+/=])/,
        minEntropy: 3.5,
    }),
    custom({
        id: 'azure-communication-connection-string',
        description: 'Azure Communication Services connection string with its access key',
        provider: AZURE,
        severity: 'critical',
        keywords: ['.communication.azure.com'],
        pattern: /endpoint=https:\/\/[A-Za-z0-9-]{1,63}\.(?:[a-z]{2,20}\.)?communication\.azure\.com\/?;accesskey=([A-Za-z0-9+/]{86}==)/i,
        minEntropy: 3.5,
    }),
    assigned({
        id: 'azure-storage-key-setting',
        description: 'Azure Storage account key assigned to a storage-key setting',
        provider: AZURE,
        severity: 'critical',
        names: ['storage_account_key', 'storage_key', 'account_key'],
        value: `${B64}{86}==`,
        minEntropy: 4,
        validate: (key) => !key.startsWith('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq'),
    }),
    custom({
        id: 'azure-function-url-key',
        description: 'Azure Functions key in a function URL (`?code=`)',
        provider: AZURE,
        severity: 'high',
        keywords: ['.azurewebsites.net/api/'],
        pattern: /https:\/\/[A-Za-z0-9-]{1,60}\.azurewebsites\.net\/api\/[^\s"'#?]{1,100}\?[^\s"'#]{0,300}?(?<=[?&])code=([A-Za-z0-9_/+-]{40,90}(?:==|%3[dD]%3[dD])?)(?![A-Za-z0-9_/+=%-])/,
        minEntropy: 3.5,
    }),
    custom({
        id: 'azure-apim-subscription-key',
        description: 'Azure API Management subscription key in an Ocp-Apim-Subscription-Key header or parameter',
        provider: AZURE,
        severity: 'high',
        keywords: ['ocp-apim-subscription-key', 'subscription-key='],
        pattern: /(?:[oO]cp-[aA]pim-[sS]ubscription-[kK]ey["']?[ \t]{0,4}[:=,][ \t]{0,4}["']?|[?&]subscription-key=)([a-f0-9]{32}|[A-Za-z0-9+/]{76}APIM[A-Za-z0-9+/]{5}[AQgw]==)(?![A-Za-z0-9+/=])/,
    }),
    assigned({
        id: 'azure-devops-legacy-pat',
        description: 'Azure DevOps personal access token (52-character form) assigned to a DevOps-named setting',
        provider: AZURE,
        severity: 'critical',
        keywords: ['devops', 'azdo', 'vsts', 'system_accesstoken', 'system.accesstoken'],
        names: ['azure_devops', 'azdo', 'vsts', 'system_accesstoken', 'devops_pat', 'devops_token'],
        value: '[a-z2-7]{52}',
        minEntropy: 3.8,
    }),
];
const AWS_RULES = [
    prefixed({
        id: 'aws-bedrock-api-key',
        description: 'Amazon Bedrock API key (long-term)',
        provider: 'AWS',
        severity: 'critical',
        prefix: 'ABSK',
        body: `${B64}{109,269}={0,2}`,
        edge: 'A-Za-z0-9+/=_-',
        minEntropy: 4,
    }),
    custom({
        id: 'aws-bedrock-short-term-api-key',
        description: 'Amazon Bedrock API key (short-term, a presigned token)',
        provider: 'AWS',
        severity: 'high',
        keywords: ['bedrock-api-key-ymvkcm9jay5hbwf6b25hd3muy29t'],
        // The body is taken whole (a lookahead capture and its backreference are an atomic group): a run
        // longer than a token fails at once instead of being backtracked over.
        pattern: /(?<![A-Za-z0-9+/=%&_.-])(bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t(?=(?<bedrockBody>[A-Za-z0-9+/=%&_.-]{40,3000}))\k<bedrockBody>)(?![A-Za-z0-9+/=%&_.-])/,
    }),
    prefixed({
        id: 'aws-session-token',
        description: 'AWS temporary session token (STS)',
        provider: 'AWS',
        severity: 'high',
        prefix: ['IQoJb3JpZ2luX2Vj', 'FwoGZXIvYXdzE'],
        body: `${B64}{100,2000}={0,2}`,
        edge: 'A-Za-z0-9+/=',
        minEntropy: 4,
    }),
    prefixed({
        id: 'aws-mws-auth-token',
        description: 'Amazon Marketplace Web Service (MWS) auth token',
        provider: 'AWS',
        severity: 'high',
        prefix: 'amzn.mws.',
        body: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    }),
    prefixed({
        id: 'aws-appsync-api-key',
        description: 'AWS AppSync API key',
        provider: 'AWS',
        severity: 'medium',
        prefix: 'da2-',
        body: '[a-z0-9]{26}',
        validate: mixed,
        minEntropy: 3.5,
    }),
];
const GOOGLE_RULES = [
    prefixed({
        id: 'google-oauth-access-token',
        description: 'Google OAuth 2.0 access token',
        provider: 'Google',
        severity: 'high',
        prefix: 'ya29.',
        body: '[A-Za-z0-9_-]{30,2000}',
        minEntropy: 4,
    }),
    prefixed({
        id: 'google-oauth-refresh-token',
        description: 'Google OAuth 2.0 refresh token',
        provider: 'Google',
        severity: 'critical',
        prefix: '1//0',
        body: '[A-Za-z0-9_-]{40,300}',
        edge: 'A-Za-z0-9_/-',
        minEntropy: 4,
    }),
    custom({
        id: 'firebase-cloud-messaging-server-key',
        description: 'Firebase Cloud Messaging (legacy) server key',
        provider: 'Google',
        severity: 'high',
        keywords: [':apa91b'],
        pattern: /(?<![A-Za-z0-9_-])(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134})(?![A-Za-z0-9_-])/,
        minEntropy: 4,
    }),
];
const OTHER_CLOUD_RULES = [
    assigned({
        id: 'alibaba-access-key-secret',
        description: 'Alibaba Cloud AccessKey secret assigned to an Alibaba-named setting',
        provider: 'Alibaba Cloud',
        severity: 'critical',
        names: ['alibaba', 'aliyun', 'alicloud', 'accesskeysecret', 'access_key_secret'],
        value: `${ALNUM}{30}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    prefixed({
        id: 'tencent-cloud-secret-id',
        description: 'Tencent Cloud SecretId (its SecretKey is usually nearby)',
        provider: 'Tencent Cloud',
        severity: 'high',
        prefix: 'AKID',
        body: `${ALNUM}{32}`,
        validate: twoClasses,
        minEntropy: 4,
    }),
    assigned({
        id: 'ibm-cloud-api-key',
        description: 'IBM Cloud API key assigned to an IBM-named setting',
        provider: 'IBM Cloud',
        severity: 'critical',
        names: ['ibm_cloud', 'ibmcloud', 'ibm-cloud', 'ibm_api', 'ibmapi', 'ibm_iam'],
        value: '[A-Za-z0-9_-]{44}',
        validate: mixedCase,
        minEntropy: 4,
    }),
    prefixed({
        id: 'yandex-cloud-api-key',
        description: 'Yandex Cloud API key',
        provider: 'Yandex Cloud',
        severity: 'high',
        prefix: 'AQVN',
        body: '[A-Za-z0-9_-]{35,38}',
        validate: mixedCase,
        minEntropy: 4,
    }),
    assigned({
        id: 'scaleway-secret-key',
        description: 'Scaleway secret key assigned to a Scaleway-named setting',
        provider: 'Scaleway',
        severity: 'critical',
        names: ['scw_secret', 'scaleway'],
        value: UUID,
    }),
    assigned({
        id: 'linode-token',
        description: 'Linode (Akamai Cloud) API token assigned to a Linode-named setting',
        provider: 'Linode',
        severity: 'critical',
        names: ['linode'],
        value: `${HEX}{64}`,
    }),
    assigned({
        id: 'vultr-api-key',
        description: 'Vultr API key assigned to a Vultr-named setting',
        provider: 'Vultr',
        severity: 'critical',
        names: ['vultr'],
        value: '[A-Z0-9]{36}',
        validate: mixed,
        minEntropy: 3.6,
    }),
    assigned({
        id: 'hetzner-cloud-token',
        description: 'Hetzner Cloud API token assigned to a Hetzner-named setting',
        provider: 'Hetzner',
        severity: 'critical',
        names: ['hetzner', 'hcloud'],
        value: `${ALNUM}{64}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    prefixed({
        id: 'digitalocean-spaces-access-key',
        description: 'DigitalOcean Spaces access key ID (its secret is usually nearby)',
        provider: 'DigitalOcean',
        severity: 'medium',
        prefix: 'DO00',
        body: '[A-Z0-9]{16}',
        validate: mixed,
        minEntropy: 3,
    }),
    prefixed({
        id: 'netlify-access-token',
        description: 'Netlify personal access token',
        provider: 'Netlify',
        severity: 'critical',
        prefix: 'nfp_',
        body: `${ALNUM}{36}`,
        validate: mixed,
        minEntropy: 3.5,
    }),
    assigned({
        id: 'vercel-token',
        description: 'Vercel access token assigned to a Vercel-named setting',
        provider: 'Vercel',
        severity: 'critical',
        names: ['vercel'],
        value: `${ALNUM}{24}`,
        validate: mixedCase,
        minEntropy: 3.5,
    }),
    prefixed({
        id: 'render-api-key',
        description: 'Render API key',
        provider: 'Render',
        severity: 'critical',
        prefix: 'rnd_',
        body: `${ALNUM}{32}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    prefixed({
        id: 'fly-io-macaroon',
        description: 'Fly.io token without the FlyV1 scheme (fo1_, fm1a_, fm1r_, fm2_)',
        provider: 'Fly.io',
        severity: 'high',
        prefix: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
        body: `(?:${B64}{100,1000}={0,3}|[A-Za-z0-9_-]{43})`,
        edge: 'A-Za-z0-9+/=_-',
        minEntropy: 4,
    }),
    prefixed({
        id: 'cloudflare-origin-ca-key',
        description: 'Cloudflare Origin CA key',
        provider: 'Cloudflare',
        severity: 'critical',
        prefix: 'v1.0-',
        body: `${HEX}{24}-${HEX}{146}`,
    }),
    custom({
        id: 'cloudflare-tunnel-token',
        description: 'Cloudflare Tunnel token (account, tunnel and tunnel secret)',
        provider: 'Cloudflare',
        severity: 'critical',
        keywords: ['eyjhijoi'],
        pattern: /(?<![A-Za-z0-9+/_-])(eyJhIjoi[A-Za-z0-9+/_-]{100,400}={0,2})(?![A-Za-z0-9+/=_-])/,
        validate: (token) => {
            const v = b64Json(token);
            return v !== undefined && typeof v.a === 'string' && typeof v.t === 'string' && typeof v.s === 'string';
        },
    }),
    assigned({
        id: 'fastly-api-token',
        description: 'Fastly API token assigned to a Fastly-named setting',
        provider: 'Fastly',
        severity: 'critical',
        names: ['fastly'],
        value: '[A-Za-z0-9_-]{32}',
        validate: mixedCase,
        minEntropy: 4,
    }),
    prefixed({
        id: 'akamai-edgegrid-token',
        description: 'Akamai EdgeGrid client or access token (the client secret is usually nearby)',
        provider: 'Akamai',
        severity: 'high',
        prefix: 'akab-',
        body: '[a-z0-9]{16}-[a-z0-9]{16}',
        validate: mixed,
        minEntropy: 3.5,
    }),
    custom({
        id: 'kubeconfig-client-key',
        description: 'Private key embedded in a kubeconfig (`client-key-data`)',
        provider: 'Kubernetes',
        severity: 'critical',
        keywords: ['client-key-data'],
        pattern: /client-key-data["']?[ \t]{0,4}:[ \t]{0,4}["']?(LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,12000}={0,2})/,
        validate: (data) => /PRIVATE KEY-----/.test(b64Text(data) ?? ''),
    }),
    custom({
        id: 'supabase-service-role-key',
        description: 'Supabase service_role key (a JWT that bypasses row-level security)',
        provider: 'Supabase',
        severity: 'critical',
        keywords: ['eyj'],
        pattern: /(?<![A-Za-z0-9_.-])(eyJ[A-Za-z0-9_-]{10,500}\.ey[IJ][A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{20,200})(?![A-Za-z0-9_.-])/,
        // The published demo key of `supabase start` (issuer supabase-demo) is not a secret.
        validate: (jwt) => {
            const claims = jwtClaims(jwt);
            return claims?.role === 'service_role' && claims.iss === 'supabase';
        },
    }),
    prefixed({
        id: 'supabase-secret-key',
        description: 'Supabase secret API key',
        provider: 'Supabase',
        severity: 'critical',
        prefix: 'sb_secret_',
        body: '[A-Za-z0-9_-]{20,80}',
        validate: (k) => mixedCase(k.slice(10)),
        minEntropy: 3.8,
    }),
    assigned({
        id: 'confluent-api-secret',
        description: 'Confluent Cloud API secret assigned to a Confluent-named setting',
        provider: 'Confluent',
        severity: 'critical',
        names: ['confluent'],
        value: `${B64}{64}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    prefixed({
        id: 'clickhouse-cloud-api-secret',
        description: 'ClickHouse Cloud API secret key',
        provider: 'ClickHouse',
        severity: 'critical',
        prefix: '4b1d',
        body: `${ALNUM}{38}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    prefixed({
        id: 'aiven-service-password',
        description: 'Aiven service password',
        provider: 'Aiven',
        severity: 'high',
        prefix: 'AVNS_',
        body: '[A-Za-z0-9_-]{16,64}',
        validate: mixedCase,
        minEntropy: 3.5,
    }),
    assigned({
        id: 'algolia-admin-api-key',
        description: 'Algolia admin or write API key assigned to an Algolia-named setting',
        provider: 'Algolia',
        severity: 'high',
        names: ['algolia_admin', 'algoliaadmin', 'algolia-admin', 'algolia_write', 'algolia_api_key', 'algoliaapikey'],
        value: `${HEX}{32}`,
    }),
];
const CLOUD_RULES = [...AZURE_RULES, ...AWS_RULES, ...GOOGLE_RULES, ...OTHER_CLOUD_RULES];

;// CONCATENATED MODULE: ./src/scan/rules-config.ts

/** Schemes whose URLs carry `user:password@host` (http, https and database schemes have rules of their own). */
const URL_SCHEMES = [
    'ftp',
    'ftps',
    'sftp',
    'smtp',
    'smtps',
    'imap',
    'imaps',
    'pop3',
    'pop3s',
    'ssh',
    'ldap',
    'ldaps',
    'nats',
    'mqtt',
    'mqtts',
    'ws',
    'wss',
    'svn',
    'git',
    'rsync',
    'socks5',
    'socks5h',
    'influxdb',
    'neo4j',
    'bolt',
    'couchdb',
    'snowflake',
    'oracle',
    'db2',
    'kafka',
    'memcached',
    'cassandra',
];
const DATABASE_RULES = [
    custom({
        id: 'jdbc-connection-string',
        description: 'JDBC URL with a password property (password=, pwd=)',
        provider: 'Database',
        severity: 'critical',
        keywords: ['jdbc:'],
        pattern: /jdbc:[^\s"'<>`]{0,300}?[;?&:](?:password|pwd)=([^\s;&"'<>`]{4,128})/i,
        generic: true,
    }),
    custom({
        id: 'oracle-jdbc-thin-credentials',
        description: 'Oracle JDBC thin or OCI URL with user/password@',
        provider: 'Database',
        severity: 'critical',
        keywords: ['jdbc:oracle:'],
        pattern: /jdbc:oracle:(?:thin|oci):[A-Za-z0-9_$#]{1,64}\/([^@\s"'<>`/]{4,128})@/,
        generic: true,
    }),
    custom({
        id: 'sqlserver-connection-string',
        description: 'SQL Server / ADO.NET / ODBC connection string with a password (Server=...;Password=...)',
        provider: 'Database',
        severity: 'critical',
        keywords: ['password', 'pwd'],
        pattern: /(?<![A-Za-z0-9_])(?:server|data source|address|addr|network address|host)[ \t]{0,4}=[^;"'\r\n]{1,200};[^"'\r\n]{0,400}?(?<=[;\s])(?:password|pwd)[ \t]{0,4}=([^;"'\s]{4,128})/i,
        generic: true,
    }),
    custom({
        id: 'postgres-dsn-password',
        description: 'libpq / keyword-value database DSN with a password (host=... password=...)',
        provider: 'Database',
        severity: 'critical',
        keywords: ['password='],
        pattern: /(?<![A-Za-z0-9_])(?:host|hostaddr|dbname)=[^\s'"]{1,255}[ \t][^'"\r\n]{0,300}?(?<=[ \t])password=([^\s'"]{4,128})/,
        generic: true,
    }),
    custom({
        id: 'service-url-credentials',
        description: 'Password in an ftp, sftp, smtp, imap, ssh, ldap, mqtt, git or other service URL',
        provider: 'Generic',
        severity: 'high',
        keywords: URL_SCHEMES.map((s) => `${s}://`),
        pattern: new RegExp(String.raw `(?<![A-Za-z0-9+.-])(?:${URL_SCHEMES.join('|')}):\/\/[^:@/\s'"\x60]{1,64}:([^@/\s'"\x60]{4,128})@[A-Za-z0-9._\-[\]]{1,255}`, 'i'),
        generic: true,
    }),
    custom({
        id: 'netrc-password',
        description: 'Password in .netrc syntax (machine ... login ... password ...)',
        provider: 'Generic',
        severity: 'high',
        keywords: ['machine'],
        pattern: /(?<![A-Za-z0-9_])machine[ \t]{1,8}[^\s]{1,255}[ \t\r\n]{1,8}login[ \t]{1,8}[^\s]{1,255}[ \t\r\n]{1,8}password[ \t]{1,8}([^\s]{4,255})/,
        multiline: true,
        generic: true,
    }),
];
const PRIVATE_KEY_RULES = [
    custom({
        id: 'wireguard-private-key',
        description: 'WireGuard private key in an interface configuration',
        provider: 'WireGuard',
        severity: 'critical',
        keywords: ['privatekey'],
        pattern: /(?<![A-Za-z0-9_])PrivateKey[ \t]{0,4}=[ \t]{0,4}([A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=)(?![A-Za-z0-9+/=])/,
        validate: (k) => b64(k)?.length === 32,
        minEntropy: 4,
    }),
    custom({
        id: 'openvpn-static-key',
        description: 'OpenVPN static key (tls-auth / tls-crypt)',
        provider: 'OpenVPN',
        severity: 'critical',
        keywords: ['-----begin openvpn static key'],
        pattern: /-----BEGIN OpenVPN Static key V1-----\r?\n([0-9a-f\r\n]{500,700})-----END OpenVPN Static key V1-----/,
        multiline: true,
        validate: (body) => body.replace(/\s/g, '').length === 512,
    }),
    custom({
        id: 'ssh2-private-key',
        description: 'SSH2 (ssh.com / Tectia) private key',
        provider: 'SSH',
        severity: 'critical',
        keywords: ['---- begin ssh2 encrypted private key ----'],
        // The header line, up to two "Name: value" lines, then the first two lines of the body: a
        // bounded match at each header, without searching ahead for the END line.
        pattern: /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\r?\n(?:[A-Za-z-]{1,40}: [^\r\n]{0,200}\r?\n)?(?:[A-Za-z-]{1,40}: [^\r\n]{0,200}\r?\n)?([A-Za-z0-9+/]{60,80}\r?\n[A-Za-z0-9+/=]{20,80})/,
        multiline: true,
        minEntropy: 4,
    }),
];

;// CONCATENATED MODULE: ./src/scan/rules-devtools.ts

function gitlab(id, prefix, what, body, severity = 'high') {
    return prefixed({ id, description: `GitLab ${what}`, provider: 'GitLab', severity, prefix, body, minEntropy: 3 });
}
const SOURCE_CI_RULES = [
    gitlab('gitlab-cicd-job-token', 'glcbt-', 'CI/CD job token', '[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}'),
    gitlab('gitlab-feed-token', 'glft-', 'feed token', '[0-9a-zA-Z_-]{20}', 'medium'),
    gitlab('gitlab-incoming-mail-token', 'glimt-', 'incoming mail token', '[0-9a-zA-Z_-]{25}', 'medium'),
    gitlab('gitlab-kubernetes-agent-token', 'glagent-', 'Kubernetes agent token', '[0-9a-zA-Z_-]{50}', 'critical'),
    gitlab('gitlab-scim-token', 'glsoat-', 'SCIM OAuth token', '[0-9a-zA-Z_-]{20}', 'critical'),
    gitlab('gitlab-feature-flag-client-token', 'glffct-', 'feature flags client token', '[0-9a-zA-Z_-]{20}', 'medium'),
    gitlab('gitlab-runner-registration-token', 'GR1348941', 'runner registration token (deprecated kind)', '[0-9a-zA-Z_-]{20}'),
    custom({
        id: 'gitlab-session-cookie',
        description: 'GitLab session cookie',
        provider: 'GitLab',
        severity: 'high',
        keywords: ['_gitlab_session='],
        pattern: /_gitlab_session=([0-9a-z]{32})(?![0-9a-z])/,
        validate: mixed,
    }),
    custom({
        id: 'bitbucket-access-token',
        description: 'Bitbucket repository, project or workspace access token',
        provider: 'Atlassian',
        severity: 'critical',
        keywords: ['atctt3xffg'],
        pattern: /(?<![A-Za-z0-9_=-])(ATCTT3xFfG[A-Za-z0-9_=-]{100,300}=[A-F0-9]{8})(?![A-Za-z0-9_=-])/,
        minEntropy: 4,
    }),
    prefixed({
        id: 'bitbucket-data-center-token',
        description: 'Bitbucket Data Center HTTP access token',
        provider: 'Atlassian',
        severity: 'critical',
        prefix: 'BBDC-',
        body: '[A-Za-z0-9+/@_-]{40,50}',
        edge: 'A-Za-z0-9+/@_-',
        validate: mixedCase,
        minEntropy: 4,
    }),
    assigned({
        id: 'atlassian-data-center-pat',
        description: 'Jira or Confluence Data Center personal access token assigned to an Atlassian-named setting',
        provider: 'Atlassian',
        severity: 'critical',
        names: ['jira', 'confluence', 'atlassian'],
        value: `${B64}{44}`,
        // The token is base64 of "<numeric id>:<random bytes>".
        validate: (t) => /^\d{6,16}:/.test(b64(t)?.toString('latin1') ?? ''),
    }),
    prefixed({
        id: 'circleci-token',
        description: 'CircleCI personal or project API token',
        provider: 'CircleCI',
        severity: 'critical',
        prefix: ['CCIPAT_', 'CCIPRJ_'],
        body: `${ALNUM}{22}_${HEX}{40}`,
    }),
    assigned({
        id: 'travis-ci-token',
        description: 'Travis CI API token assigned to a Travis-named setting',
        provider: 'Travis CI',
        severity: 'high',
        names: ['travis'],
        value: '[A-Za-z0-9_-]{22}',
        validate: mixedCase,
        minEntropy: 3.5,
    }),
    assigned({
        id: 'drone-ci-token',
        description: 'Drone CI token assigned to a Drone-named setting',
        provider: 'Drone CI',
        severity: 'high',
        names: ['drone_token', 'dronetoken', 'drone-token', 'droneci'],
        value: `${ALNUM}{32}`,
        validate: mixedCase,
        minEntropy: 3.8,
    }),
    assigned({
        id: 'jenkins-api-token',
        description: 'Jenkins API token assigned to a Jenkins-named setting',
        provider: 'Jenkins',
        severity: 'high',
        names: ['jenkins'],
        value: `11${HEX}{32}`,
    }),
    prefixed({
        id: 'teamcity-access-token',
        description: 'TeamCity access token',
        provider: 'JetBrains TeamCity',
        severity: 'critical',
        prefix: 'eyJ0eXAiOiAiVENWMiJ9.',
        body: '[A-Za-z0-9_-]{20,200}\\.[A-Za-z0-9_-]{20,200}',
    }),
    prefixed({
        id: 'octopus-deploy-api-key',
        description: 'Octopus Deploy API key',
        provider: 'Octopus Deploy',
        severity: 'high',
        prefix: 'API-',
        body: '[A-Z0-9]{26,32}',
        // API-ENVIRONMENTVARIABLENAMES is a word, not a key: letters and digits both.
        validate: (k) => /[0-9].*[0-9].*[0-9]/.test(k.slice(4)) && /[A-Z].*[A-Z].*[A-Z]/.test(k.slice(4)),
        minEntropy: 3.8,
    }),
    assigned({
        id: 'codecov-token',
        description: 'Codecov upload or API token assigned to a Codecov-named setting',
        provider: 'Codecov',
        severity: 'medium',
        names: ['codecov'],
        value: `${UUID}|${HEX}{40}`,
    }),
    prefixed({
        id: 'sonarqube-token',
        description: 'SonarQube or SonarCloud token',
        provider: 'Sonar',
        severity: 'high',
        prefix: ['sqp_', 'squ_', 'sqa_'],
        body: `${HEX}{40}`,
    }),
    prefixed({
        id: 'sonarcloud-token',
        description: 'SonarQube Cloud token',
        provider: 'Sonar',
        severity: 'high',
        prefix: 'sqco_',
        body: `${ALNUM}{59}`,
        validate: mixed,
        minEntropy: 4,
    }),
    assigned({
        id: 'snyk-api-token',
        description: 'Snyk API token assigned to a Snyk-named setting',
        provider: 'Snyk',
        severity: 'high',
        names: ['snyk'],
        value: UUID,
    }),
    custom({
        id: 'harness-api-key',
        description: 'Harness personal access or service account token',
        provider: 'Harness',
        severity: 'critical',
        keywords: ['pat.', 'sat.'],
        pattern: /(?<![A-Za-z0-9_.-])((?:pat|sat)\.[A-Za-z0-9_-]{22}\.[a-f0-9]{24}\.[A-Za-z0-9]{20})(?![A-Za-z0-9_.-])/,
        minEntropy: 3.8,
    }),
    prefixed({
        id: 'jfrog-api-key',
        description: 'JFrog Artifactory API key',
        provider: 'JFrog',
        severity: 'critical',
        prefix: 'AKCp',
        body: `${ALNUM}{69}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    prefixed({
        id: 'jfrog-reference-token',
        description: 'JFrog Artifactory reference token',
        provider: 'JFrog',
        severity: 'critical',
        prefix: 'cmVmdGtu',
        body: `${ALNUM}{56}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    custom({
        id: 'docker-hub-token',
        description: 'Docker Hub personal or organization access token',
        provider: 'Docker',
        severity: 'critical',
        keywords: ['dckr_pat_', 'dckr_oat_'],
        pattern: /(?<![A-Za-z0-9_-])(dckr_pat_[A-Za-z0-9_-]{27}|dckr_oat_[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])/,
        minEntropy: 3.8,
    }),
    prefixed({
        id: 'sourcegraph-access-token',
        description: 'Sourcegraph access token',
        provider: 'Sourcegraph',
        severity: 'high',
        prefix: 'sgp_',
        body: `(?:${HEX}{16}_|local_)?${HEX}{40}`,
    }),
    prefixed({
        id: 'sourcegraph-cody-gateway-key',
        description: 'Sourcegraph Cody gateway key',
        provider: 'Sourcegraph',
        severity: 'high',
        prefix: 'slk_',
        body: `${HEX}{64}`,
    }),
    prefixed({
        id: 'deno-deploy-token',
        description: 'Deno Deploy access token',
        provider: 'Deno',
        severity: 'high',
        prefix: ['ddp_', 'ddw_'],
        body: `${ALNUM}{36}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    prefixed({
        id: 'openshift-user-token',
        description: 'OpenShift user (OAuth) token',
        provider: 'Red Hat OpenShift',
        severity: 'high',
        prefix: 'sha256~',
        body: '[A-Za-z0-9_-]{43}',
        minEntropy: 4,
    }),
    custom({
        id: 'tailscale-key',
        description: 'Tailscale auth, API, OAuth client or webhook key',
        provider: 'Tailscale',
        severity: 'critical',
        keywords: ['tskey-'],
        pattern: /(?<![A-Za-z0-9_-])(tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,64})(?![A-Za-z0-9_-])/,
        minEntropy: 3.8,
    }),
    assigned({
        id: 'ngrok-authtoken',
        description: 'ngrok authtoken or API key assigned to an ngrok-named setting',
        provider: 'ngrok',
        severity: 'high',
        names: ['ngrok'],
        value: '[0-9A-Za-z]{20,30}_[0-9A-Za-z]{15,30}',
        validate: mixedCase,
    }),
    assigned({
        id: 'github-oauth-client-secret',
        description: 'GitHub OAuth app client secret assigned to a GitHub-named setting',
        provider: 'GitHub',
        severity: 'high',
        // `github` alone is on most lines of most repositories; the setting's tail is rarer.
        keywords: ['client_secret', 'clientsecret', 'client-secret', 'client.secret'],
        names: [
            'github_client_secret',
            'githubclientsecret',
            'github-client-secret',
            'github_oauth_client_secret',
            'github_app_client_secret',
            'gh_client_secret',
        ],
        value: `${HEX}{40}`,
    }),
    custom({
        id: 'sidekiq-enterprise-credentials',
        description: 'Sidekiq Pro/Enterprise gem server credentials in a Bundler setting',
        provider: 'Contribsys',
        severity: 'high',
        keywords: ['__contribsys__com'],
        pattern: /BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM["']?[ \t]{0,4}[:=][ \t]{0,4}["']?([a-f0-9]{8}:[a-f0-9]{8})(?![A-Za-z0-9])/,
    }),
    custom({
        id: 'sidekiq-enterprise-url',
        description: 'Sidekiq Pro/Enterprise gem server URL with credentials',
        provider: 'Contribsys',
        severity: 'high',
        keywords: ['gems.contribsys.com', 'enterprise.contribsys.com'],
        pattern: /https?:\/\/([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com/,
    }),
];
const SECRETS_MANAGEMENT_RULES = [
    prefixed({
        id: 'vault-recovery-token',
        description: 'HashiCorp Vault recovery token',
        provider: 'HashiCorp',
        severity: 'critical',
        prefix: 'hvr.',
        body: '[A-Za-z0-9_-]{24,250}',
        minEntropy: 3.8,
    }),
    assigned({
        id: 'vault-legacy-token',
        description: 'HashiCorp Vault token in the pre-1.10 format (s. or b.) assigned to a Vault-named setting',
        provider: 'HashiCorp',
        severity: 'critical',
        names: ['vault_token', 'vaulttoken', 'vault-token', 'x-vault-token', 'vault_root_token', 'vault_auth_token'],
        value: '[sb]\\.[A-Za-z0-9]{24}',
        validate: (t) => mixedCase(t.slice(2)),
    }),
    assigned({
        id: 'consul-acl-token',
        description: 'HashiCorp Consul ACL token assigned to a Consul-named setting',
        provider: 'HashiCorp',
        severity: 'high',
        names: ['consul_http_token', 'consul_token', 'consultoken', 'consul-token', 'consul_acl_token', 'consul_master_token'],
        value: UUID,
    }),
    assigned({
        id: 'nomad-acl-token',
        description: 'HashiCorp Nomad ACL secret assigned to a Nomad-named setting',
        provider: 'HashiCorp',
        severity: 'high',
        names: ['nomad_token', 'nomadtoken', 'nomad-token', 'nomad_acl_token'],
        value: UUID,
    }),
    assigned({
        id: 'hcp-client-secret',
        description: 'HashiCorp Cloud Platform service principal secret',
        provider: 'HashiCorp',
        severity: 'critical',
        names: ['hcp_client_secret', 'hcpclientsecret', 'hcp-client-secret'],
        value: '[A-Za-z0-9_-]{64}',
        validate: mixedCase,
        minEntropy: 4,
    }),
    custom({
        id: 'onepassword-secret-key',
        description: '1Password account secret key',
        provider: '1Password',
        severity: 'critical',
        keywords: ['a3-'],
        pattern: /(?<![A-Za-z0-9-])(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})(?![A-Za-z0-9-])/,
        validate: (k) => mixed(k.slice(3)),
    }),
    custom({
        id: 'onepassword-connect-token',
        description: '1Password Connect server access token',
        provider: '1Password',
        severity: 'critical',
        keywords: ['eyj'],
        pattern: /(?<![A-Za-z0-9_.-])(eyJ[A-Za-z0-9_-]{10,500}\.ey[IJ][A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{40,200})(?![A-Za-z0-9_.-])/,
        validate: (jwt) => {
            const aud = jwtClaims(jwt)?.aud;
            const list = Array.isArray(aud) ? aud : [aud];
            return list.some((a) => typeof a === 'string' && a.startsWith('com.1password.connect'));
        },
    }),
];
const PACKAGE_REGISTRY_RULES = [
    custom({
        id: 'npmrc-auth-token-inline',
        description: 'npm registry auth token in .npmrc syntax outside an .npmrc file (Dockerfile, script, CI config)',
        provider: 'npm',
        severity: 'high',
        keywords: [':_authtoken='],
        // Starts at the rare literal and looks back for the registry (`//host/:`), so a run of slashes
        // is not tried from every slash; the token is taken whole (lookahead capture, backreference).
        pattern: /:_authToken=(?<=\/\/[A-Za-z0-9._~:/@-]{1,200}:_authToken=)["']?(?=(?<npmrcToken>[A-Za-z0-9_+/=.-]{20,200}))\k<npmrcToken>(?![A-Za-z0-9_+/=.-])/,
        generic: true,
    }),
    custom({
        id: 'npmrc-basic-auth',
        description: 'npm registry password or user:password (`_auth`, `_password`, base64) in .npmrc syntax',
        provider: 'npm',
        severity: 'high',
        keywords: ['_auth', '_password'],
        // The value is taken whole (lookahead capture and backreference): a run of padding after it
        // fails at once instead of being backtracked over.
        pattern: /(?<![A-Za-z0-9])_(?:auth|password)[ \t]{0,4}=[ \t]{0,4}["']?(?=(?<npmAuth>[A-Za-z0-9+/]{8,400}={0,2}))\k<npmAuth>(?![A-Za-z0-9+/=])/,
        // Base64 of readable text: `user:password` for _auth, the password for _password.
        validate: (v) => {
            const t = b64Text(v);
            return t !== undefined && t.length >= 6 && !/\s/.test(t);
        },
        generic: true,
    }),
    custom({
        id: 'yarnrc-npm-auth-token',
        description: 'Registry token in a Yarn (berry) `.yarnrc.yml` (npmAuthToken, npmAuthIdent)',
        provider: 'Yarn',
        severity: 'high',
        keywords: ['npmauthtoken', 'npmauthident'],
        pattern: /npmAuth(?:Token|Ident)["']?[ \t]{0,4}:[ \t]{0,4}["']?([A-Za-z0-9_+/=.:-]{16,400})(?![A-Za-z0-9_+/=.:-])/,
        generic: true,
    }),
    custom({
        id: 'nuget-config-password',
        description: 'Password in a NuGet.Config package source (ClearTextPassword or Password)',
        provider: 'NuGet',
        severity: 'high',
        keywords: ['cleartextpassword', 'key="password"', "key='password'"],
        pattern: /<add[ \t]{1,8}key=["'](?:ClearText)?Password["'][ \t]{1,8}value=["']([^"'\s<>]{8,400})["']/i,
        generic: true,
    }),
    custom({
        id: 'maven-settings-password',
        description: 'Server password in a Maven settings.xml',
        provider: 'Maven',
        severity: 'high',
        keywords: ['<password>'],
        pattern: /<password>([^<>\s]{6,200})<\/password>/,
        path: /(?:^|\/)settings(?:-security)?\.xml$/,
        generic: true,
    }),
    prefixed({
        id: 'crates-io-api-token',
        description: 'crates.io API token',
        provider: 'crates.io',
        severity: 'high',
        prefix: 'cio',
        body: `${ALNUM}{32}`,
        validate: (t) => mixedCase(t.slice(3)),
        minEntropy: 4,
    }),
    custom({
        id: 'docker-config-json-base64',
        description: 'Base64-encoded Docker config.json with registry credentials (Kubernetes `.dockerconfigjson`)',
        provider: 'Docker',
        severity: 'high',
        keywords: ['eyjhdxrocyi6', 'ewogicjhdxrocyi6'],
        pattern: /(?<![A-Za-z0-9+/])((?:eyJhdXRocyI6|ewogICJhdXRocyI6)[A-Za-z0-9+/]{20,8000}={0,2})(?![A-Za-z0-9+/=])/,
        validate: (data) => {
            const auths = b64Json(data)?.auths;
            if (typeof auths !== 'object' || auths === null)
                return false;
            return Object.values(auths).some((entry) => {
                const e = entry;
                if (!e)
                    return false;
                if (typeof e.password === 'string' && e.password.length >= 4)
                    return true;
                return typeof e.auth === 'string' && /^[^:\s]{1,100}:\S{4,}$/.test(b64Text(e.auth) ?? '');
            });
        },
    }),
];

;// CONCATENATED MODULE: ./src/scan/rules-services.ts

/** A Discord bot token's first part is the bot's numeric id in base64. */
function discordToken(token) {
    const id = b64Text(token.slice(0, token.indexOf('.')));
    return id !== undefined && /^\d{17,20}$/.test(id);
}
const AI_RULES = [
    prefixed({
        id: 'openrouter-api-key',
        description: 'OpenRouter API key',
        provider: 'OpenRouter',
        severity: 'high',
        prefix: 'sk-or-v1-',
        body: `${HEX}{64}`,
    }),
    assigned({
        id: 'cohere-api-key',
        description: 'Cohere API key assigned to a Cohere-named setting',
        provider: 'Cohere',
        severity: 'high',
        names: ['cohere'],
        value: `${ALNUM}{40}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    assigned({
        id: 'mistral-api-key',
        description: 'Mistral AI API key assigned to a Mistral-named setting',
        provider: 'Mistral AI',
        severity: 'high',
        names: ['mistral'],
        value: `${ALNUM}{32}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    assigned({
        id: 'deepseek-api-key',
        description: 'DeepSeek API key assigned to a DeepSeek-named setting',
        provider: 'DeepSeek',
        severity: 'high',
        names: ['deepseek'],
        value: `sk-${HEX}{32}`,
    }),
    assigned({
        id: 'together-ai-api-key',
        description: 'Together AI API key assigned to a Together-named setting',
        provider: 'Together AI',
        severity: 'high',
        names: ['together_api_key', 'togetherapikey', 'together-api-key', 'together_ai', 'togetherai'],
        value: `${HEX}{64}|tgp_v1_[A-Za-z0-9_-]{40,50}`,
    }),
    prefixed({
        id: 'nvidia-api-key',
        description: 'NVIDIA API key (NGC, build.nvidia.com)',
        provider: 'NVIDIA',
        severity: 'high',
        prefix: 'nvapi-',
        body: '[A-Za-z0-9_-]{64}',
        minEntropy: 4,
    }),
    assigned({
        id: 'elevenlabs-api-key',
        description: 'ElevenLabs API key assigned to an ElevenLabs-named setting',
        provider: 'ElevenLabs',
        severity: 'high',
        names: ['eleven_labs', 'xi-api-key'],
        value: `sk_${HEX}{48}|${HEX}{32}`,
    }),
    assigned({
        id: 'assemblyai-api-key',
        description: 'AssemblyAI API key assigned to an AssemblyAI-named setting',
        provider: 'AssemblyAI',
        severity: 'high',
        names: ['assemblyai', 'assembly_ai'],
        value: `${HEX}{32}`,
    }),
    assigned({
        id: 'deepgram-api-key',
        description: 'Deepgram API key assigned to a Deepgram-named setting',
        provider: 'Deepgram',
        severity: 'high',
        names: ['deepgram'],
        value: `${HEX}{40}`,
    }),
    assigned({
        id: 'stability-ai-api-key',
        description: 'Stability AI API key assigned to a Stability-named setting',
        provider: 'Stability AI',
        severity: 'high',
        names: ['stability'],
        value: `sk-${ALNUM}{48}`,
        validate: (k) => mixedCase(k.slice(3)),
    }),
    prefixed({
        id: 'huggingface-org-token',
        description: 'Hugging Face organization API token (legacy)',
        provider: 'Hugging Face',
        severity: 'high',
        prefix: 'api_org_',
        body: '[A-Za-z]{34}',
        minEntropy: 3.5,
    }),
    prefixed({
        id: 'langfuse-secret-key',
        description: 'Langfuse secret key',
        provider: 'Langfuse',
        severity: 'high',
        prefix: 'sk-lf-',
        body: UUID,
    }),
    assigned({
        id: 'wandb-api-key',
        description: 'Weights & Biases API key assigned to a W&B-named setting',
        provider: 'Weights & Biases',
        severity: 'high',
        names: ['wandb'],
        value: `${HEX}{40}`,
    }),
    prefixed({
        id: 'tavily-api-key',
        description: 'Tavily API key',
        provider: 'Tavily',
        severity: 'high',
        prefix: 'tvly-',
        body: `(?:dev-|prod-)?${ALNUM}{32}`,
        validate: (k) => mixedCase(k.slice(-32)),
    }),
    assigned({
        id: 'serpapi-api-key',
        description: 'SerpApi API key assigned to a SerpApi-named setting',
        provider: 'SerpApi',
        severity: 'medium',
        names: ['serpapi', 'serp_api'],
        value: `${HEX}{64}`,
    }),
    prefixed({
        id: 'firecrawl-api-key',
        description: 'Firecrawl API key',
        provider: 'Firecrawl',
        severity: 'medium',
        prefix: 'fc-',
        body: `${HEX}{32}`,
        validate: mixed,
    }),
    prefixed({
        id: 'e2b-api-key',
        description: 'E2B API key',
        provider: 'E2B',
        severity: 'high',
        prefix: 'e2b_',
        body: `${HEX}{40}`,
    }),
];
const PAYMENT_RULES = [
    custom({
        id: 'braintree-access-token',
        description: 'PayPal Braintree access token',
        provider: 'PayPal Braintree',
        severity: 'critical',
        keywords: ['access_token$production$', 'access_token$sandbox$'],
        pattern: /(access_token\$(?:production|sandbox)\$[a-z0-9]{16}\$[a-f0-9]{32})(?![A-Za-z0-9])/,
    }),
    prefixed({
        id: 'razorpay-live-key-id',
        description: 'Razorpay live key ID (its key secret is usually nearby)',
        provider: 'Razorpay',
        severity: 'medium',
        prefix: 'rzp_live_',
        body: `${ALNUM}{14}`,
        validate: mixed,
    }),
    assigned({
        id: 'razorpay-key-secret',
        description: 'Razorpay key secret assigned to a Razorpay-named setting',
        provider: 'Razorpay',
        severity: 'critical',
        names: ['razorpay'],
        value: `${ALNUM}{24}`,
        validate: mixedCase,
        minEntropy: 3.5,
    }),
    prefixed({
        id: 'plaid-access-token',
        description: 'Plaid access token',
        provider: 'Plaid',
        severity: 'critical',
        prefix: ['access-production-', 'access-development-', 'access-sandbox-'],
        body: UUID,
    }),
    assigned({
        id: 'plaid-secret',
        description: 'Plaid API secret assigned to a Plaid-named setting',
        provider: 'Plaid',
        severity: 'critical',
        names: ['plaid'],
        value: `${HEX}{30}`,
    }),
    assigned({
        id: 'gocardless-access-token',
        description: 'GoCardless access token assigned to a GoCardless-named setting',
        provider: 'GoCardless',
        severity: 'critical',
        names: ['gocardless'],
        value: '(?:live|sandbox)_[A-Za-z0-9_=-]{40}',
    }),
    prefixed({
        id: 'paddle-api-key',
        description: 'Paddle Billing API key',
        provider: 'Paddle',
        severity: 'critical',
        prefix: ['pdl_live_apikey_', 'pdl_sdbx_apikey_'],
        body: '[A-Za-z0-9_]{40,80}',
        minEntropy: 3.8,
    }),
    assigned({
        id: 'mollie-api-key',
        description: 'Mollie live API key assigned to a Mollie-named setting',
        provider: 'Mollie',
        severity: 'critical',
        names: ['mollie'],
        value: `live_${ALNUM}{30}`,
    }),
    assigned({
        id: 'binance-api-secret',
        description: 'Binance API key or secret assigned to a Binance-named setting',
        provider: 'Binance',
        severity: 'critical',
        names: ['binance'],
        value: `${ALNUM}{64}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    assigned({
        id: 'chargebee-api-key',
        description: 'Chargebee API key assigned to a Chargebee-named setting',
        provider: 'Chargebee',
        severity: 'high',
        names: ['chargebee'],
        value: `(?:live|test)_${ALNUM}{26,40}`,
    }),
    prefixed({
        id: 'ramp-api-secret',
        description: 'Ramp API client secret',
        provider: 'Ramp',
        severity: 'critical',
        prefix: 'ramp_sec_',
        body: `${ALNUM}{48}`,
        validate: mixedCase,
    }),
    prefixed({
        id: 'pagarme-api-key',
        description: 'Pagar.me live API key',
        provider: 'Pagar.me',
        severity: 'critical',
        prefix: 'ak_live_',
        body: `${ALNUM}{30}`,
        validate: mixed,
    }),
];
function slack(id, description, keywords, pattern) {
    return custom({ id, description, provider: 'Slack', severity: 'critical', keywords, pattern });
}
const MESSAGING_RULES = [
    slack('slack-legacy-bot-token', 'Slack bot token (legacy format)', ['xoxb-'], /(?<![A-Za-z0-9-])(xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26})(?![A-Za-z0-9-])/),
    slack('slack-legacy-token', 'Slack legacy token (xoxo-, xoxs-)', ['xoxo-', 'xoxs-'], /(?<![A-Za-z0-9-])(xox[os]-[0-9]{1,14}-[0-9]{1,14}-[0-9]{1,14}-[a-fA-F0-9]{16,64})(?![A-Za-z0-9-])/),
    slack('slack-legacy-workspace-token', 'Slack legacy workspace access or refresh token (xoxa-, xoxr-)', ['xoxa-', 'xoxr-'], /(?<![A-Za-z0-9-])(xox[ar]-(?:[0-9]-)?[0-9a-zA-Z]{8,48})(?![A-Za-z0-9-])/),
    slack('slack-config-access-token', 'Slack app configuration access token', ['xoxe.xoxb-', 'xoxe.xoxp-'], /(?<![A-Za-z0-9.-])(xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{163,166})(?![A-Za-z0-9-])/),
    slack('slack-config-refresh-token', 'Slack app configuration refresh token', ['xoxe-'], /(?<![A-Za-z0-9.-])(xoxe-[0-9]-[A-Za-z0-9]{146})(?![A-Za-z0-9-])/),
    custom({
        id: 'slack-legacy-webhook-url',
        description: 'Slack legacy incoming webhook URL (token in the query string)',
        provider: 'Slack',
        severity: 'high',
        keywords: ['.slack.com/services/hooks/'],
        pattern: /https:\/\/[A-Za-z0-9-]{1,63}\.slack\.com\/services\/hooks\/[a-z-]{1,40}\?token=([A-Za-z0-9]{20,40})(?![A-Za-z0-9])/,
        validate: mixed,
    }),
    custom({
        id: 'discord-bot-token',
        description: 'Discord bot token',
        provider: 'Discord',
        severity: 'critical',
        keywords: ['discord', 'token', '.login('],
        pattern: /(?<![A-Za-z0-9_.-])([MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_.-])/,
        validate: discordToken,
        minEntropy: 4,
    }),
    assigned({
        id: 'discord-client-secret',
        description: 'Discord OAuth2 client secret assigned to a Discord-named setting',
        provider: 'Discord',
        severity: 'high',
        names: ['discord_client_secret', 'discordclientsecret', 'discord-client-secret', 'discord_secret', 'discord_oauth_secret'],
        value: '[A-Za-z0-9_-]{32}',
        validate: mixedCase,
        minEntropy: 3.8,
    }),
    custom({
        id: 'microsoft-teams-webhook-url',
        description: 'Microsoft Teams incoming webhook URL',
        provider: 'Microsoft',
        severity: 'high',
        keywords: ['.webhook.office.com/webhookb2/'],
        pattern: new RegExp(String.raw `(https:\/\/[A-Za-z0-9-]{1,63}\.webhook\.office\.com\/webhookb2\/${UUID}@${UUID}\/IncomingWebhook\/${HEX}{32}\/${UUID}(?:\/[A-Za-z0-9_-]{20,80})?)`),
    }),
    assigned({
        id: 'mattermost-access-token',
        description: 'Mattermost access token assigned to a Mattermost-named setting',
        provider: 'Mattermost',
        severity: 'high',
        names: ['mattermost'],
        value: '[a-z0-9]{26}',
        validate: mixed,
        minEntropy: 3.3,
    }),
    nearby({
        id: 'mailgun-private-key',
        description: 'Mailgun private API key (key-...) on a line that mentions Mailgun',
        provider: 'Mailgun',
        severity: 'high',
        keywords: ['mailgun'],
        token: `key-${HEX}{32}`,
    }),
    assigned({
        id: 'mailgun-webhook-signing-key',
        description: 'Mailgun webhook signing key assigned to a Mailgun-named setting',
        provider: 'Mailgun',
        severity: 'medium',
        names: ['mailgun_webhook', 'mailgunwebhook', 'mailgun-webhook', 'mailgun_signing', 'mailgunsigning', 'mailgun-signing'],
        value: `${HEX}{32}`,
    }),
    assigned({
        id: 'mailjet-api-secret',
        description: 'Mailjet API key or secret assigned to a Mailjet-named setting',
        provider: 'Mailjet',
        severity: 'high',
        names: ['mailjet', 'mj_apikey'],
        value: `${HEX}{32}`,
    }),
    assigned({
        id: 'mandrill-api-key',
        description: 'Mailchimp Transactional (Mandrill) API key assigned to a Mandrill-named setting',
        provider: 'Mailchimp',
        severity: 'high',
        names: ['mandrill'],
        value: '[A-Za-z0-9_-]{22}',
        validate: mixedCase,
    }),
    assigned({
        id: 'sparkpost-api-key',
        description: 'SparkPost API key assigned to a SparkPost-named setting',
        provider: 'SparkPost',
        severity: 'high',
        names: ['sparkpost'],
        value: `${HEX}{40}`,
    }),
    nearby({
        id: 'resend-api-key',
        description: 'Resend API key on a line that mentions Resend',
        provider: 'Resend',
        severity: 'high',
        // `re_` alone starts every snake_case word after "before", "store", "secure"...
        keywords: ['resend'],
        token: `re_${ALNUM}{8}_${ALNUM}{24}`,
        validate: (k) => mixedCase(k.slice(3)),
    }),
    prefixed({
        id: 'mailersend-api-token',
        description: 'MailerSend API token',
        provider: 'MailerSend',
        severity: 'high',
        prefix: 'mlsn.',
        body: `${HEX}{64}`,
    }),
    assigned({
        id: 'pusher-app-secret',
        description: 'Pusher Channels app secret assigned to a Pusher-named setting',
        provider: 'Pusher',
        severity: 'high',
        names: ['pusher_secret', 'pushersecret', 'pusher-secret', 'pusher_app_secret', 'pusherappsecret'],
        value: `${HEX}{20}`,
    }),
    prefixed({
        id: 'pubnub-secret-key',
        description: 'PubNub secret key',
        provider: 'PubNub',
        severity: 'critical',
        prefix: 'sec-c-',
        body: `${ALNUM}{48}`,
        validate: mixedCase,
    }),
    assigned({
        id: 'vonage-api-secret',
        description: 'Vonage (Nexmo) API secret assigned to a Vonage-named setting',
        provider: 'Vonage',
        severity: 'high',
        names: ['vonage_api_secret', 'vonageapisecret', 'vonage_secret', 'nexmo_api_secret', 'nexmoapisecret', 'nexmo_secret'],
        value: `${ALNUM}{16}`,
        validate: mixedCase,
    }),
    assigned({
        id: 'messagebird-api-key',
        description: 'MessageBird (Bird) API key assigned to a MessageBird-named setting',
        provider: 'MessageBird',
        severity: 'high',
        names: ['messagebird', 'message_bird', 'message-bird'],
        value: `${ALNUM}{25}`,
        validate: mixedCase,
    }),
    assigned({
        id: 'plivo-auth-token',
        description: 'Plivo auth token assigned to a Plivo-named setting',
        provider: 'Plivo',
        severity: 'high',
        names: ['plivo'],
        value: `${ALNUM}{40}`,
        validate: mixedCase,
    }),
    custom({
        id: 'intercom-access-token',
        description: 'Intercom access token',
        provider: 'Intercom',
        severity: 'high',
        keywords: ['dg9ro'],
        pattern: /(?<![A-Za-z0-9+/_-])(dG9rO[A-Za-z0-9+/_-]{40,100}={0,2})(?![A-Za-z0-9+/=_-])/,
        // base64 of "tok:<uuid-like>"
        validate: (t) => /^tok:[A-Za-z0-9_:-]{20,}$/.test(b64Text(t) ?? ''),
    }),
    assigned({
        id: 'zendesk-api-token',
        description: 'Zendesk API token assigned to a Zendesk-named setting',
        provider: 'Zendesk',
        severity: 'high',
        names: ['zendesk'],
        value: `${ALNUM}{40}`,
        validate: mixedCase,
    }),
    assigned({
        id: 'twitch-client-secret',
        description: 'Twitch client secret or OAuth token assigned to a Twitch-named setting',
        provider: 'Twitch',
        severity: 'high',
        names: ['twitch'],
        value: '[a-z0-9]{30}',
        validate: mixed,
        minEntropy: 3.3,
    }),
    custom({
        id: 'twitter-bearer-token',
        description: 'X (Twitter) API bearer token',
        provider: 'X',
        severity: 'high',
        keywords: ['aaaaaaaaaaaaaaaaaaaaa'],
        // Exactly 21 A's, then the body taken whole (a lookahead capture and its backreference are an
        // atomic group), so a run too long to be a token fails at once instead of being backtracked over.
        pattern: /(?<![A-Za-z0-9%])(A{21}(?=(?<twBody>[A-Za-z0-9%]{80,121}))\k<twBody>)(?![A-Za-z0-9%])/,
        // The leading run of A's is the format's, not a placeholder.
        placeholderPart: (t) => t.replace(/^A+/, ''),
        validate: (t) => mixedCase(t.replace(/^A+/, '')),
    }),
    prefixed({
        id: 'facebook-access-token',
        description: 'Facebook (Meta) Graph API user or page access token',
        provider: 'Meta',
        severity: 'high',
        prefix: ['EAAB', 'EAAC', 'EAAG', 'EAAM', 'EAAJ'],
        body: `${ALNUM}{100,400}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    assigned({
        id: 'facebook-app-secret',
        description: 'Facebook (Meta) app secret assigned to a Facebook-named setting',
        provider: 'Meta',
        severity: 'high',
        names: ['facebook_app_secret', 'facebook_secret', 'fb_app_secret', 'fb_secret'],
        value: `${HEX}{32}`,
    }),
    prefixed({
        id: 'instagram-access-token',
        description: 'Instagram API access token',
        provider: 'Meta',
        severity: 'high',
        prefix: ['IGQV', 'IGAA'],
        body: '[A-Za-z0-9_-]{100,300}',
        validate: mixedCase,
        minEntropy: 4,
    }),
    custom({
        id: 'google-chat-webhook-url',
        description: 'Google Chat incoming webhook URL',
        provider: 'Google',
        severity: 'high',
        keywords: ['chat.googleapis.com/v1/spaces/'],
        pattern: /https:\/\/chat\.googleapis\.com\/v1\/spaces\/[A-Za-z0-9_-]{8,20}\/messages\?key=[A-Za-z0-9_-]{20,60}(?:&|&amp;|\\u0026)token=([A-Za-z0-9_%-]{40,64})/,
    }),
    custom({
        id: 'zapier-webhook-url',
        description: 'Zapier catch hook URL',
        provider: 'Zapier',
        severity: 'medium',
        keywords: ['hooks.zapier.com/hooks/catch/'],
        pattern: /(https:\/\/hooks\.zapier\.com\/hooks\/catch\/[0-9]{4,12}\/[a-z0-9]{5,12})(?![a-z0-9])/,
        validate: mixed,
    }),
    custom({
        id: 'ifttt-webhook-key',
        description: 'IFTTT Webhooks (Maker) key',
        provider: 'IFTTT',
        severity: 'medium',
        keywords: ['maker.ifttt.com/'],
        pattern: /maker\.ifttt\.com\/(?:trigger\/[A-Za-z0-9_-]{1,100}\/(?:json\/)?with\/key|use)\/([A-Za-z0-9_-]{22,43})(?![A-Za-z0-9_-])/,
        validate: mixedCase,
    }),
    custom({
        id: 'feishu-lark-webhook-url',
        description: 'Feishu / Lark bot webhook URL',
        provider: 'ByteDance',
        severity: 'medium',
        keywords: ['/open-apis/bot/v2/hook/'],
        pattern: new RegExp(String.raw `(https:\/\/open\.(?:feishu\.cn|larksuite\.com)\/open-apis\/bot\/v2\/hook\/${UUID})`),
    }),
    custom({
        id: 'dingtalk-webhook-url',
        description: 'DingTalk robot webhook URL',
        provider: 'DingTalk',
        severity: 'medium',
        keywords: ['oapi.dingtalk.com/robot/send'],
        pattern: /oapi\.dingtalk\.com\/robot\/send\?access_token=([a-f0-9]{64})(?![a-f0-9])/,
    }),
    custom({
        id: 'wecom-webhook-url',
        description: 'WeCom (WeChat Work) group robot webhook URL',
        provider: 'Tencent',
        severity: 'medium',
        keywords: ['qyapi.weixin.qq.com/cgi-bin/webhook/send'],
        pattern: new RegExp(String.raw `qyapi\.weixin\.qq\.com\/cgi-bin\/webhook\/send\?key=(${UUID})`),
    }),
    assigned({
        id: 'pagerduty-api-key',
        description: 'PagerDuty API key assigned to a PagerDuty-named setting',
        provider: 'PagerDuty',
        severity: 'high',
        names: ['pagerduty', 'pager_duty'],
        value: '[A-Za-z0-9_+-]{20}|[a-f0-9]{32}',
        validate: mixed,
        minEntropy: 3.5,
    }),
    assigned({
        id: 'opsgenie-api-key',
        description: 'Opsgenie API key assigned to an Opsgenie-named setting',
        provider: 'Atlassian',
        severity: 'high',
        names: ['opsgenie'],
        value: UUID,
    }),
];
const OBSERVABILITY_RULES = [
    custom({
        id: 'new-relic-license-key',
        description: 'New Relic ingest license key',
        provider: 'New Relic',
        severity: 'high',
        keywords: ['nral'],
        pattern: /(?<![A-Za-z0-9])([a-f0-9]{36}NRAL)(?![A-Za-z0-9])/,
        validate: (k) => mixed(k.slice(0, 36)),
    }),
    prefixed({
        id: 'new-relic-insert-key',
        description: 'New Relic Insights insert key',
        provider: 'New Relic',
        severity: 'high',
        prefix: 'NRII-',
        body: '[A-Za-z0-9_-]{32}',
        minEntropy: 3.8,
    }),
    prefixed({
        id: 'new-relic-query-key',
        description: 'New Relic Insights query key',
        provider: 'New Relic',
        severity: 'medium',
        prefix: 'NRIQ-',
        body: '[A-Za-z0-9_-]{32}',
        minEntropy: 3.8,
    }),
    prefixed({
        id: 'new-relic-rest-api-key',
        description: 'New Relic REST API key',
        provider: 'New Relic',
        severity: 'high',
        prefix: 'NRRA-',
        body: `${HEX}{42}`,
    }),
    prefixed({
        id: 'new-relic-browser-key',
        description: 'New Relic browser monitoring key',
        provider: 'New Relic',
        severity: 'low',
        prefix: 'NRJS-',
        body: `${HEX}{19}`,
    }),
    assigned({
        id: 'honeycomb-api-key',
        description: 'Honeycomb API key assigned to a Honeycomb-named setting',
        provider: 'Honeycomb',
        severity: 'high',
        names: ['honeycomb'],
        value: `${ALNUM}{22}|${ALNUM}{32}|hc[a-z]{2}k_[a-z0-9]{58}`,
        validate: mixed,
        minEntropy: 3.3,
    }),
    assigned({
        id: 'splunk-hec-token',
        description: 'Splunk HTTP Event Collector token assigned to a Splunk-named setting',
        provider: 'Splunk',
        severity: 'high',
        names: ['splunk'],
        value: `${UUID}|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`,
    }),
    custom({
        id: 'splunk-hec-authorization',
        description: 'Splunk HTTP Event Collector token in an Authorization header',
        provider: 'Splunk',
        severity: 'high',
        keywords: ['splunk '],
        pattern: new RegExp(String.raw `[aA]uthorization["']?[ \t]{0,4}[:=,][ \t]{0,4}["']?Splunk (${UUID}|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})`),
    }),
    assigned({
        id: 'sumologic-access-key',
        description: 'Sumo Logic access key assigned to a Sumo-named setting',
        provider: 'Sumo Logic',
        severity: 'high',
        names: ['sumo_access_key', 'sumoaccesskey', 'sumo-access-key', 'sumologic', 'sumo_logic'],
        value: `${ALNUM}{64}`,
        validate: mixedCase,
        minEntropy: 4,
    }),
    assigned({
        id: 'rollbar-access-token',
        description: 'Rollbar access token assigned to a Rollbar-named setting',
        provider: 'Rollbar',
        severity: 'high',
        names: ['rollbar'],
        value: `${HEX}{32}`,
    }),
    assigned({
        id: 'bugsnag-api-key',
        description: 'Bugsnag (Insight Hub) API key assigned to a Bugsnag-named setting',
        provider: 'SmartBear',
        severity: 'medium',
        names: ['bugsnag'],
        value: `${HEX}{32}`,
    }),
    custom({
        id: 'grafana-legacy-api-key',
        description: 'Grafana API key (legacy, base64 JSON)',
        provider: 'Grafana',
        severity: 'high',
        keywords: ['eyjrijoi'],
        pattern: /(?<![A-Za-z0-9+/])(eyJrIjoi[A-Za-z0-9+/]{70,400}={0,3})(?![A-Za-z0-9+/=])/,
        validate: (k) => /^\{"k":"[A-Za-z0-9]{20,64}","n":"/.test(b64Text(k) ?? ''),
    }),
    prefixed({
        id: 'posthog-personal-api-key',
        description: 'PostHog personal API key',
        provider: 'PostHog',
        severity: 'high',
        prefix: 'phx_',
        body: '[A-Za-z0-9_]{43,48}',
        validate: mixedCase,
    }),
    prefixed({
        id: 'axiom-token',
        description: 'Axiom API or personal token',
        provider: 'Axiom',
        severity: 'high',
        prefix: ['xaat-', 'xapt-'],
        body: UUID,
    }),
];
const SAAS_RULES = [
    prefixed({
        id: 'notion-legacy-integration-token',
        description: 'Notion integration token (secret_ format)',
        provider: 'Notion',
        severity: 'high',
        prefix: 'secret_',
        body: `${ALNUM}{43}`,
        validate: (k) => mixedCase(k.slice(7)),
        minEntropy: 4,
    }),
    nearby({
        id: 'airtable-personal-access-token',
        description: 'Airtable personal access token on a line that mentions Airtable',
        provider: 'Airtable',
        severity: 'high',
        keywords: ['airtable'],
        token: `pat${ALNUM}{14}\\.${HEX}{64}`,
    }),
    assigned({
        id: 'asana-personal-access-token',
        description: 'Asana personal access token assigned to an Asana-named setting',
        provider: 'Asana',
        severity: 'high',
        names: ['asana'],
        value: `[0-9]/[0-9/]{10,40}:${ALNUM}{32}`,
    }),
    prefixed({
        id: 'clickup-api-token',
        description: 'ClickUp personal API token',
        provider: 'ClickUp',
        severity: 'high',
        prefix: 'pk_',
        body: '[0-9]{6,10}_[A-Z0-9]{32}',
        validate: (k) => mixed(k.slice(-32)),
    }),
    assigned({
        id: 'trello-token',
        description: 'Trello API token assigned to a Trello-named setting',
        provider: 'Atlassian',
        severity: 'high',
        names: ['trello'],
        value: `ATTA[A-Fa-f0-9]{64,72}|${HEX}{64}`,
    }),
    assigned({
        id: 'dropbox-access-token',
        description: 'Dropbox access token assigned to a Dropbox-named setting',
        provider: 'Dropbox',
        severity: 'high',
        names: ['dropbox'],
        value: 'sl\\.[A-Za-z0-9_.-]{130,1300}',
        minEntropy: 4,
    }),
    prefixed({
        id: 'contentful-pat',
        description: 'Contentful personal access token',
        provider: 'Contentful',
        severity: 'high',
        prefix: 'CFPAT-',
        body: '[A-Za-z0-9_-]{43}',
        minEntropy: 3.8,
    }),
    prefixed({
        id: 'hubspot-private-app-token',
        description: 'HubSpot private app access token',
        provider: 'HubSpot',
        severity: 'critical',
        prefix: ['pat-na1-', 'pat-eu1-', 'pat-na2-', 'pat-ap1-'],
        body: UUID,
    }),
    assigned({
        id: 'hubspot-api-key',
        description: 'HubSpot API key (legacy) assigned to a HubSpot-named setting',
        provider: 'HubSpot',
        severity: 'high',
        names: ['hubspot', 'hapikey'],
        value: `${UUID}|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`,
    }),
    custom({
        id: 'salesforce-access-token',
        description: 'Salesforce session or OAuth access token',
        provider: 'Salesforce',
        severity: 'critical',
        keywords: ['00d'],
        pattern: /(?<![A-Za-z0-9])(00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,120})(?![A-Za-z0-9._])/,
        minEntropy: 4,
    }),
    assigned({
        id: 'okta-api-token',
        description: 'Okta API token assigned to an Okta-named setting',
        provider: 'Okta',
        severity: 'critical',
        names: ['okta'],
        value: '00[A-Za-z0-9_-]{40}',
        validate: mixedCase,
    }),
    assigned({
        id: 'auth0-client-secret',
        description: 'Auth0 client secret assigned to an Auth0-named setting',
        provider: 'Okta',
        severity: 'high',
        names: ['auth0'],
        value: '[A-Za-z0-9_-]{64}',
        validate: mixedCase,
        minEntropy: 4,
    }),
    custom({
        id: 'stytch-secret',
        description: 'Stytch project secret',
        provider: 'Stytch',
        severity: 'critical',
        keywords: ['secret-live-', 'secret-test-'],
        pattern: /(?<![A-Za-z0-9_-])(secret-(?:live|test)-[A-Za-z0-9_=-]{36})(?![A-Za-z0-9_=-])/,
        validate: (k) => mixedCase(k.slice(12)),
    }),
    assigned({
        id: 'ably-api-key',
        description: 'Ably API key assigned to an Ably-named setting',
        provider: 'Ably',
        severity: 'high',
        // `ably` alone matches "probably".
        keywords: ['ably_', 'ably-', 'ablyapi', 'ablykey'],
        names: ['ably'],
        value: '[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{6}:[A-Za-z0-9_-]{43}',
    }),
    prefixed({
        id: 'frameio-api-token',
        description: 'Frame.io API token',
        provider: 'Adobe',
        severity: 'high',
        prefix: 'fio-u-',
        body: '[A-Za-z0-9_-]{64}',
        minEntropy: 4,
    }),
    prefixed({
        id: 'adobe-client-secret',
        description: 'Adobe developer console client secret',
        provider: 'Adobe',
        severity: 'high',
        prefix: 'p8e-',
        body: `${ALNUM}{32}`,
        validate: mixed,
    }),
    custom({
        id: 'maxmind-license-key',
        description: 'MaxMind license key',
        provider: 'MaxMind',
        severity: 'medium',
        keywords: ['_mmk'],
        pattern: /(?<![A-Za-z0-9_])([A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk)(?![A-Za-z0-9_])/,
    }),
    prefixed({
        id: 'scalingo-api-token',
        description: 'Scalingo API token',
        provider: 'Scalingo',
        severity: 'high',
        prefix: 'tk-us-',
        body: '[A-Za-z0-9_-]{48}',
        minEntropy: 3.8,
    }),
    custom({
        id: 'settlemint-token',
        description: 'SettleMint personal, application or service access token',
        provider: 'SettleMint',
        severity: 'high',
        keywords: ['sm_pat_', 'sm_aat_', 'sm_sat_'],
        pattern: /(?<![A-Za-z0-9_-])(sm_(?:pat|aat|sat)_[A-Za-z0-9]{16})(?![A-Za-z0-9_-])/,
        validate: (k) => mixed(k.slice(7)),
    }),
    custom({
        id: 'defined-networking-api-token',
        description: 'Defined Networking (Nebula) API token',
        provider: 'Defined Networking',
        severity: 'high',
        keywords: ['dnkey-'],
        pattern: /(?<![A-Za-z0-9_-])(dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52})(?![A-Za-z0-9=_-])/,
    }),
    prefixed({
        id: 'intra42-client-secret',
        description: '42 Intra API client secret',
        provider: '42',
        severity: 'high',
        prefix: ['s-s4t2ud-', 's-s4t2af-'],
        body: `${HEX}{64}`,
    }),
    prefixed({
        id: 'ubidots-token',
        description: 'Ubidots API token',
        provider: 'Ubidots',
        severity: 'medium',
        prefix: 'BBFF-',
        body: `${ALNUM}{30}`,
        validate: mixed,
    }),
    prefixed({
        id: 'rootly-api-key',
        description: 'Rootly API key',
        provider: 'Rootly',
        severity: 'high',
        prefix: 'rootly_',
        body: `${HEX}{64}`,
    }),
    custom({
        id: 'bannerbear-api-key',
        description: 'Bannerbear project or master API key',
        provider: 'Bannerbear',
        severity: 'medium',
        keywords: ['bb_pr_', 'bb_ma_'],
        pattern: /(?<![A-Za-z0-9_-])(bb_(?:pr|ma)_[a-f0-9]{30})(?![A-Za-z0-9_-])/,
    }),
    prefixed({
        id: 'apify-api-token',
        description: 'Apify API token',
        provider: 'Apify',
        severity: 'high',
        prefix: 'apify_api_',
        body: `${ALNUM}{36}`,
        validate: mixedCase,
    }),
    prefixed({
        id: 'adafruit-io-key',
        description: 'Adafruit IO key',
        provider: 'Adafruit',
        severity: 'medium',
        prefix: 'aio_',
        body: `${ALNUM}{28}`,
        validate: mixedCase,
    }),
    prefixed({
        id: 'flexport-api-key',
        description: 'Flexport API key',
        provider: 'Flexport',
        severity: 'high',
        prefix: 'shltm_',
        body: '[A-Za-z0-9_-]{40}',
        minEntropy: 3.8,
    }),
    prefixed({
        id: 'robinhood-crypto-api-key',
        description: 'Robinhood Crypto API key',
        provider: 'Robinhood',
        severity: 'high',
        prefix: 'rh-api-',
        body: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
    }),
    custom({
        id: 'zoho-refresh-token',
        description: 'Zoho OAuth refresh or access token',
        provider: 'Zoho',
        severity: 'high',
        keywords: ['1000.'],
        pattern: /(?<![A-Za-z0-9.])(1000\.[a-f0-9]{32}\.[a-f0-9]{32})(?![A-Za-z0-9.])/,
    }),
    prefixed({
        id: 'postman-collection-access-key',
        description: 'Postman collection access key',
        provider: 'Postman',
        severity: 'medium',
        prefix: 'PMAT-',
        body: '[A-Z0-9]{26}',
        validate: mixed,
        minEntropy: 3.5,
    }),
    assigned({
        id: 'looker-client-secret',
        description: 'Looker API client secret assigned to a Looker-named setting',
        provider: 'Google',
        severity: 'high',
        names: ['looker'],
        value: `${ALNUM}{24}`,
        validate: mixedCase,
        minEntropy: 3.5,
    }),
    assigned({
        id: 'rapidapi-key',
        description: 'RapidAPI key assigned to a RapidAPI-named setting or header',
        provider: 'RapidAPI',
        severity: 'high',
        names: ['rapidapi', 'rapid_api'],
        value: `${ALNUM}{50}`,
        validate: mixed,
        minEntropy: 4,
    }),
    assigned({
        id: 'shodan-api-key',
        description: 'Shodan API key assigned to a Shodan-named setting',
        provider: 'Shodan',
        severity: 'medium',
        names: ['shodan'],
        value: `${ALNUM}{32}`,
        validate: mixedCase,
    }),
    assigned({
        id: 'virustotal-api-key',
        description: 'VirusTotal API key assigned to a VirusTotal-named setting',
        provider: 'VirusTotal',
        severity: 'medium',
        names: ['virustotal', 'vt_api_key', 'vtapikey'],
        value: `${HEX}{64}`,
    }),
    assigned({
        id: 'openweathermap-api-key',
        description: 'OpenWeatherMap API key assigned to an OpenWeather-named setting',
        provider: 'OpenWeather',
        severity: 'low',
        names: ['openweather', 'owm_api_key', 'owm_key'],
        value: `${HEX}{32}`,
    }),
    assigned({
        id: 'etherscan-api-key',
        description: 'Etherscan API key assigned to an Etherscan-named setting',
        provider: 'Etherscan',
        severity: 'medium',
        names: ['etherscan'],
        value: '[A-Z0-9]{34}',
        validate: mixed,
    }),
    assigned({
        id: 'infura-api-key',
        description: 'Infura project secret or API key assigned to an Infura-named setting',
        provider: 'Infura',
        severity: 'high',
        names: ['infura'],
        value: `${HEX}{32}`,
    }),
    assigned({
        id: 'alchemy-api-key',
        description: 'Alchemy API key assigned to an Alchemy-named setting',
        provider: 'Alchemy',
        severity: 'high',
        names: ['alchemy'],
        value: '[A-Za-z0-9_-]{32}',
        validate: mixedCase,
    }),
    custom({
        id: 'laravel-app-key',
        description: 'Laravel application encryption key (APP_KEY)',
        provider: 'Laravel',
        severity: 'high',
        keywords: ['app_key'],
        pattern: /(?<![A-Za-z0-9_])APP_KEY[ \t]{0,4}=[ \t]{0,4}["']?(base64:[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/,
        minEntropy: 3.5,
    }),
];

;// CONCATENATED MODULE: ./src/scan/rules-providers.ts






/** What each family covers, for reports. */
const FAMILY_LABELS = {
    cloud: 'Cloud and infrastructure',
    'source-ci': 'Source hosting and CI/CD',
    'secrets-management': 'Secrets managers and vaults',
    'package-registry': 'Package and container registries',
    ai: 'AI providers',
    payment: 'Payments and commerce',
    messaging: 'Messaging, e-mail and webhooks',
    observability: 'Observability and incident response',
    saas: 'SaaS and developer APIs',
    database: 'Databases and connection strings',
    'private-key': 'Private keys',
    generic: 'Generic (name = value, URLs)',
};
const NEW_RULES = {
    cloud: CLOUD_RULES,
    'source-ci': SOURCE_CI_RULES,
    'secrets-management': SECRETS_MANAGEMENT_RULES,
    'package-registry': PACKAGE_REGISTRY_RULES,
    ai: AI_RULES,
    payment: PAYMENT_RULES,
    messaging: MESSAGING_RULES,
    observability: OBSERVABILITY_RULES,
    saas: SAAS_RULES,
    database: DATABASE_RULES,
    'private-key': PRIVATE_KEY_RULES,
    generic: [],
};
/** The rules rules.ts inserts ahead of its generic ones (so they win when both match a value). */
const PROVIDER_RULES = FAMILIES.flatMap((f) => NEW_RULES[f]);
/** Families of the rules defined in rules.ts itself, by id prefix or id. */
const BUILT_IN = (/* unused pure expression or super */ null && ([
    [/^ass-credential$/, 'secrets-management'],
    [/^(?:vault-|doppler-|onepassword-)/, 'secrets-management'],
    [/^(?:github-|gitlab-|bitbucket-|atlassian-|buildkite-)/, 'source-ci'],
    [/^(?:npm-|npmrc-|pypi-|rubygems-|nuget-|clojars-|docker-)/, 'package-registry'],
    [/^(?:openai-|anthropic-|groq-|xai-|huggingface-|replicate-|perplexity-|langsmith-|pinecone-)/, 'ai'],
    [
        /^(?:google-|gcp-|aws-|azure-|alibaba-|digitalocean-|heroku-|cloudflare-|fly-io-|terraform-|supabase-|planetscale-|databricks-|pulumi-|infracost-)/,
        'cloud',
    ],
    [/^(?:stripe-|square-|shopify-|flutterwave-)/, 'payment'],
    [/^(?:slack-|discord-|telegram-|sendgrid-|twilio-|mailgun-|mailchimp-|brevo-|postmark-)/, 'messaging'],
    [/^(?:sentry-|new-relic-|dynatrace-|datadog-|grafana-)/, 'observability'],
    [/^(?:prefect-|duffel-|easypost-|shippo-|postman-|linear-|notion-|figma-|mapbox-|typeform-|readme-|cloudinary-)/, 'saas'],
    [/^(?:age-secret-key|private-key|openssh-private-key|pgp-private-key|putty-private-key)$/, 'private-key'],
    [/^database-connection-string$/, 'database'],
]));
const FAMILY_OF_NEW = new Map(FAMILIES.flatMap((f) => NEW_RULES[f].map((r) => [r.id, f])));
/** The family a rule belongs to (custom rules from a config file, and anything unknown: generic). */
function ruleFamily(rule) {
    const direct = FAMILY_OF_NEW.get(rule.id);
    if (direct)
        return direct;
    for (const [re, family] of BUILT_IN)
        if (re.test(rule.id))
            return family;
    return 'generic';
}

;// CONCATENATED MODULE: ./src/scan/rules.ts
/**
 * The rules, as data. Each rule names a credential type: its provider, severity, the literal
 * keywords that must occur near a match (the prefilter runs the expression only around them) and
 * the expression. `secretGroup` picks the secret out of the match (default: group 1 when present).
 *
 * Formats come from the providers' published token formats (see docs/scan.md); expressions are
 * bounded (no nested unbounded quantifiers) because V8's engine backtracks.
 */


const B62 = '[0-9A-Za-z]';
/** `name = "value"`-style context for providers whose keys have no distinctive prefix. */
function named(nameRe, valueRe) {
    return new RegExp(String.raw `(?<![A-Za-z0-9])(?:${nameRe})[A-Za-z0-9_.-]{0,24}["']?\s*(?::=|=>|:|=)\s*["'\x60]?(${valueRe})(?![A-Za-z0-9_+/=-])`, 'i');
}
function githubRule(prefix, id, what) {
    return {
        id,
        description: `GitHub ${what}`,
        provider: 'GitHub',
        severity: 'critical',
        keywords: [prefix],
        pattern: new RegExp(String.raw `\b(${prefix}${B62}{36})\b`),
        validate: checksum/* validPrefixedCrc62 */.Cx,
        checksum: true,
    };
}
/**
 * `(?=(?<name>x))\k<name>`: `x` matched once, as long as it goes, and never given back (an atomic
 * group, which JavaScript lacks). Where what follows could also take some of `x`'s characters,
 * backtracking would otherwise try every split between the two: quadratic in their length.
 */
function atomic(name, x) {
    return String.raw `(?=(?<${name}>${x}))\k<${name}>`;
}
/**
 * Key block lines (base64, 16 or more characters) with their line breaks: real ones, escaped ones
 * (`\n` in a JSON or code string) or blanks (a key pasted on one line). A line break is taken whole:
 * a run of blanks after a line is either its break or, after the last line, the blanks before
 * `-----END`, never split between the two, so blanks cost once whatever follows them.
 */
const PEM_BODY = String.raw `((?:[A-Za-z0-9+/=]{16,}(?:\\r)?${atomic('pemBreak', String.raw `\\n|[ \t]*\r?\n|[ \t]+`)}){2,}[A-Za-z0-9+/=]{0,120})`;
/** The words that make a name secret-sounding, for the generic assignment rule. */
const SECRET_WORD = '(?:passw(?:or)?d|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credentials?)';
const RULES = [
    // ---- This product's own credentials ----
    {
        id: 'ass-credential',
        description: 'Agent Secret Store credential (user, agent, scoped or pipeline token)',
        provider: 'Agent Secret Store',
        severity: 'critical',
        keywords: ['ass_u_', 'ass_a_', 'ass_t_', 'ass_p_'],
        pattern: new RegExp(String.raw `\b(ass_[uatp]_${B62}{65})\b`),
        validate: checksum/* validAssCredential */.HO,
        checksum: true,
    },
    // ---- GitHub ----
    githubRule('ghp_', 'github-pat', 'personal access token (classic)'),
    githubRule('gho_', 'github-oauth-token', 'OAuth access token'),
    githubRule('ghu_', 'github-app-user-token', 'App user-to-server token'),
    githubRule('ghs_', 'github-app-server-token', 'App installation (server-to-server) token'),
    githubRule('ghr_', 'github-refresh-token', 'refresh token'),
    {
        id: 'github-fine-grained-pat',
        description: 'GitHub fine-grained personal access token',
        provider: 'GitHub',
        severity: 'critical',
        keywords: ['github_pat_'],
        pattern: new RegExp(String.raw `\b(github_pat_${B62}{22}_${B62}{59})\b`),
        minEntropy: 3.5,
    },
    // ---- npm, PyPI, package registries ----
    {
        id: 'npm-token',
        description: 'npm access token',
        provider: 'npm',
        severity: 'critical',
        keywords: ['npm_'],
        pattern: new RegExp(String.raw `\b(npm_${B62}{36})\b`),
        validate: checksum/* validPrefixedCrc62 */.Cx,
        checksum: true,
    },
    {
        id: 'npmrc-auth-token',
        description: 'Registry auth token in an .npmrc file',
        provider: 'npm',
        severity: 'high',
        keywords: ['_authtoken'],
        pattern: /_authToken\s*=\s*["']?([A-Za-z0-9_+/=.-]{20,200})/,
        path: /(?:^|\/)\.npmrc$/,
    },
    {
        id: 'pypi-token',
        description: 'PyPI upload token',
        provider: 'PyPI',
        severity: 'critical',
        keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
        pattern: /\b(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})/,
    },
    {
        id: 'rubygems-api-key',
        description: 'RubyGems API key',
        provider: 'RubyGems',
        severity: 'high',
        keywords: ['rubygems_'],
        pattern: /\b(rubygems_[a-f0-9]{48})\b/,
    },
    {
        id: 'nuget-api-key',
        description: 'NuGet API key',
        provider: 'NuGet',
        severity: 'high',
        keywords: ['oy2'],
        pattern: /\b(oy2[a-z0-9]{43})\b/,
        minEntropy: 3.5,
    },
    {
        id: 'clojars-token',
        description: 'Clojars deploy token',
        provider: 'Clojars',
        severity: 'high',
        keywords: ['clojars_'],
        pattern: /\b(CLOJARS_[a-z0-9]{60})\b/i,
    },
    // ---- AI providers ----
    {
        id: 'openai-api-key',
        description: 'OpenAI API key',
        provider: 'OpenAI',
        severity: 'critical',
        keywords: ['t3blbkfj'],
        // Matched from the `T3BlbkFJ` in the middle, looking back for `sk-` (see the JWT rule).
        pattern: new RegExp(String.raw `(?=T3BlbkFJ)(?<=\b(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,150}))(T3BlbkFJ${atomic('openaiTail', '[A-Za-z0-9_-]{20,150}')})(?![A-Za-z0-9_-])`),
        secretGroup: [1, 2],
    },
    {
        id: 'anthropic-api-key',
        description: 'Anthropic API key',
        provider: 'Anthropic',
        severity: 'critical',
        keywords: ['sk-ant-'],
        pattern: /\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,110}AA)(?![A-Za-z0-9_-])/,
    },
    {
        id: 'google-api-key',
        description: 'Google API key (Gemini, Maps, Firebase and other Google Cloud APIs)',
        provider: 'Google',
        severity: 'high',
        keywords: ['aiza'],
        pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/,
        minEntropy: 3.5,
    },
    {
        id: 'google-oauth-client-secret',
        description: 'Google OAuth client secret',
        provider: 'Google',
        severity: 'high',
        keywords: ['gocspx-'],
        pattern: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
    },
    {
        id: 'gcp-service-account-key',
        description: 'Private key inside a Google Cloud service-account JSON file',
        provider: 'Google',
        severity: 'critical',
        keywords: ['"private_key"'],
        pattern: /"private_key"\s*:\s*"-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\n|\s)+((?:[A-Za-z0-9+/=]{16,}(?:\\n|\s)+){2,}[A-Za-z0-9+/=]{0,120})/,
        multiline: true,
        validate: (body) => body.startsWith('MI'),
    },
    {
        id: 'groq-api-key',
        description: 'Groq API key',
        provider: 'Groq',
        severity: 'high',
        keywords: ['gsk_'],
        pattern: /\b(gsk_[A-Za-z0-9]{52})\b/,
    },
    {
        id: 'xai-api-key',
        description: 'xAI API key',
        provider: 'xAI',
        severity: 'high',
        keywords: ['xai-'],
        pattern: /\b(xai-[A-Za-z0-9]{80})\b/,
    },
    {
        id: 'huggingface-token',
        description: 'Hugging Face access token',
        provider: 'Hugging Face',
        severity: 'high',
        keywords: ['hf_'],
        pattern: /\b(hf_[A-Za-z]{34})\b/,
        minEntropy: 3.5,
    },
    {
        id: 'replicate-api-token',
        description: 'Replicate API token',
        provider: 'Replicate',
        severity: 'high',
        keywords: ['r8_'],
        pattern: /\b(r8_[A-Za-z0-9]{37})\b/,
        minEntropy: 3.5,
    },
    {
        id: 'perplexity-api-key',
        description: 'Perplexity API key',
        provider: 'Perplexity',
        severity: 'high',
        keywords: ['pplx-'],
        pattern: /\b(pplx-[A-Za-z0-9]{48})\b/,
    },
    {
        id: 'langsmith-api-key',
        description: 'LangSmith API key',
        provider: 'LangChain',
        severity: 'high',
        keywords: ['lsv2_'],
        pattern: /\b(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b/,
    },
    {
        id: 'pinecone-api-key',
        description: 'Pinecone API key',
        provider: 'Pinecone',
        severity: 'high',
        keywords: ['pcsk_'],
        pattern: /\b(pcsk_[A-Za-z0-9_]{50,90})\b/,
    },
    // ---- Cloud ----
    {
        id: 'aws-access-key-id',
        description: 'AWS access key ID (a secret access key is usually nearby)',
        provider: 'AWS',
        severity: 'high',
        keywords: ['akia', 'asia', 'abia', 'acca'],
        pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
        minEntropy: 3.0,
    },
    {
        id: 'aws-secret-access-key',
        description: 'AWS secret access key assigned to an AWS-named setting',
        provider: 'AWS',
        severity: 'critical',
        keywords: ['aws'],
        pattern: /(?<![A-Za-z0-9])aws[A-Za-z0-9_.-]{0,20}(?:secret|private)[A-Za-z0-9_.-]{0,20}["']?\s*(?::=|=>|:|=)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i,
        minEntropy: 4.0,
    },
    {
        id: 'azure-storage-account-key',
        description: 'Azure Storage account key in a connection string',
        provider: 'Microsoft Azure',
        severity: 'critical',
        keywords: ['accountkey='],
        pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/i,
        // The storage emulator's (Azurite) key is published in Microsoft's documentation.
        validate: (key) => !key.startsWith('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq'),
    },
    {
        id: 'azure-ad-client-secret',
        description: 'Microsoft Entra ID (Azure AD) application client secret',
        provider: 'Microsoft Azure',
        severity: 'high',
        keywords: ['q~'],
        pattern: /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/,
        minEntropy: 3.5,
    },
    {
        id: 'alibaba-access-key-id',
        description: 'Alibaba Cloud AccessKey ID',
        provider: 'Alibaba Cloud',
        severity: 'high',
        keywords: ['ltai'],
        pattern: /\b(LTAI[A-Za-z0-9]{20})\b/,
        minEntropy: 3.5,
    },
    {
        id: 'digitalocean-token',
        description: 'DigitalOcean personal access, OAuth or refresh token',
        provider: 'DigitalOcean',
        severity: 'critical',
        keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
        pattern: /\b(do[opr]_v1_[a-f0-9]{64})\b/,
    },
    {
        id: 'heroku-api-key-v2',
        description: 'Heroku API key',
        provider: 'Heroku',
        severity: 'high',
        keywords: ['hrku-'],
        pattern: /\b(HRKU-[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/,
    },
    {
        id: 'heroku-api-key',
        description: 'Heroku API key assigned to a Heroku-named setting',
        provider: 'Heroku',
        severity: 'high',
        keywords: ['heroku'],
        pattern: named('heroku', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
    },
    {
        id: 'cloudflare-api-token',
        description: 'Cloudflare API token (prefixed, with checksum)',
        provider: 'Cloudflare',
        severity: 'critical',
        keywords: ['cfk_', 'cfut_', 'cfat_'],
        pattern: /\b((?:cfk|cfut|cfat)_[A-Za-z0-9]{40}[a-f0-9]{8})\b/,
        validate: checksum/* validCloudflareToken */.fG,
        checksum: true,
    },
    {
        id: 'cloudflare-api-key',
        description: 'Cloudflare global API key assigned to a Cloudflare-named setting',
        provider: 'Cloudflare',
        severity: 'high',
        keywords: ['cloudflare', 'cf_api'],
        pattern: named('cloudflare|cf_api', '[a-f0-9]{37}'),
    },
    {
        id: 'fly-io-token',
        description: 'Fly.io access token',
        provider: 'Fly.io',
        severity: 'high',
        keywords: ['flyv1 fm'],
        pattern: /\b(FlyV1 fm\d_[A-Za-z0-9+/=_-]{100,800})/,
    },
    {
        id: 'vault-service-token',
        description: 'HashiCorp Vault service or batch token',
        provider: 'HashiCorp',
        severity: 'critical',
        keywords: ['hvs.', 'hvb.'],
        pattern: /\b(hv[sb]\.[A-Za-z0-9_-]{90,200})(?![A-Za-z0-9_-])/,
    },
    {
        id: 'terraform-cloud-token',
        description: 'Terraform Cloud / HCP Terraform API token',
        provider: 'HashiCorp',
        severity: 'critical',
        keywords: ['.atlasv1.'],
        pattern: /\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/,
    },
    {
        id: 'supabase-access-token',
        description: 'Supabase personal access token',
        provider: 'Supabase',
        severity: 'high',
        keywords: ['sbp_'],
        pattern: /\b(sbp_[a-f0-9]{40})\b/,
    },
    {
        id: 'planetscale-token',
        description: 'PlanetScale password or API token',
        provider: 'PlanetScale',
        severity: 'high',
        keywords: ['pscale_'],
        pattern: /\b(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64})\b/,
    },
    {
        id: 'databricks-token',
        description: 'Databricks personal access token',
        provider: 'Databricks',
        severity: 'high',
        keywords: ['dapi'],
        pattern: /\b(dapi[a-f0-9]{32}(?:-\d)?)\b/,
        minEntropy: 3.0,
    },
    {
        id: 'doppler-token',
        description: 'Doppler token',
        provider: 'Doppler',
        severity: 'high',
        keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'],
        pattern: /\b(dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44})\b/,
    },
    {
        id: 'onepassword-service-account-token',
        description: '1Password service account token',
        provider: '1Password',
        severity: 'critical',
        keywords: ['ops_eyj'],
        pattern: /\b(ops_eyJ[A-Za-z0-9+/=]{250,})/,
    },
    {
        id: 'pulumi-access-token',
        description: 'Pulumi access token',
        provider: 'Pulumi',
        severity: 'high',
        keywords: ['pul-'],
        pattern: /\b(pul-[a-f0-9]{40})\b/,
    },
    {
        id: 'buildkite-token',
        description: 'Buildkite user access token',
        provider: 'Buildkite',
        severity: 'high',
        keywords: ['bkua_'],
        pattern: /\b(bkua_[a-f0-9]{40})\b/,
    },
    {
        id: 'infracost-api-key',
        description: 'Infracost API key',
        provider: 'Infracost',
        severity: 'medium',
        keywords: ['ico-'],
        pattern: /\b(ico-[A-Za-z0-9]{32})\b/,
        minEntropy: 3.5,
    },
    {
        id: 'prefect-api-key',
        description: 'Prefect API key',
        provider: 'Prefect',
        severity: 'high',
        keywords: ['pnu_'],
        pattern: /\b(pnu_[A-Za-z0-9]{36})\b/,
        minEntropy: 3.5,
    },
    // ---- Source hosting, CI ----
    {
        id: 'gitlab-pat',
        description: 'GitLab personal access token',
        provider: 'GitLab',
        severity: 'critical',
        keywords: ['glpat-'],
        pattern: /\b(glpat-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/,
        minEntropy: 3.0,
    },
    {
        id: 'gitlab-deploy-token',
        description: 'GitLab deploy token',
        provider: 'GitLab',
        severity: 'high',
        keywords: ['gldt-'],
        pattern: /\b(gldt-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/,
        minEntropy: 3.0,
    },
    {
        id: 'gitlab-runner-token',
        description: 'GitLab runner authentication token',
        provider: 'GitLab',
        severity: 'high',
        keywords: ['glrt-'],
        pattern: /\b(glrt-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/,
        minEntropy: 3.0,
    },
    {
        id: 'gitlab-pipeline-trigger-token',
        description: 'GitLab pipeline trigger token',
        provider: 'GitLab',
        severity: 'high',
        keywords: ['glptt-'],
        pattern: /\b(glptt-[a-f0-9]{40})\b/,
    },
    {
        id: 'gitlab-oauth-app-secret',
        description: 'GitLab OAuth application secret',
        provider: 'GitLab',
        severity: 'high',
        keywords: ['gloas-'],
        pattern: /\b(gloas-[a-f0-9]{64})\b/,
    },
    {
        id: 'bitbucket-app-password',
        description: 'Bitbucket app password',
        provider: 'Atlassian',
        severity: 'high',
        keywords: ['atbb'],
        pattern: /\b(ATBB[A-Za-z0-9_=.-]{32,})(?![A-Za-z0-9_=.-])/,
        minEntropy: 3.5,
    },
    {
        id: 'atlassian-api-token',
        description: 'Atlassian API token',
        provider: 'Atlassian',
        severity: 'high',
        keywords: ['atatt'],
        // `-` and `=` are in the alphabet, so `ATATT=ATATT=...` offers a start every 6 characters; the
        // body is taken whole (atomic) so a start in such a run fails after one scan, not 100 retries.
        pattern: new RegExp(String.raw `\b(ATATT${atomic('atlassianBody', '[A-Za-z0-9_=-]{150,250}')})(?![A-Za-z0-9_=-])`),
    },
    // ---- Payments, commerce ----
    {
        id: 'stripe-secret-key',
        description: 'Stripe live secret key',
        provider: 'Stripe',
        severity: 'critical',
        keywords: ['sk_live_'],
        pattern: /\b(sk_live_[A-Za-z0-9]{24,99})\b/,
    },
    {
        id: 'stripe-restricted-key',
        description: 'Stripe live restricted key',
        provider: 'Stripe',
        severity: 'critical',
        keywords: ['rk_live_'],
        pattern: /\b(rk_live_[A-Za-z0-9]{24,99})\b/,
    },
    {
        id: 'stripe-test-secret-key',
        description: 'Stripe test-mode secret key',
        provider: 'Stripe',
        severity: 'low',
        keywords: ['sk_test_', 'rk_test_'],
        pattern: /\b([sr]k_test_[A-Za-z0-9]{24,99})\b/,
    },
    {
        id: 'stripe-webhook-secret',
        description: 'Stripe webhook signing secret',
        provider: 'Stripe',
        severity: 'high',
        keywords: ['whsec_'],
        pattern: /\b(whsec_[A-Za-z0-9+/]{32,64}={0,2})/,
        minEntropy: 3.5,
    },
    {
        id: 'square-access-token',
        description: 'Square access token',
        provider: 'Square',
        severity: 'critical',
        keywords: ['sq0atp-', 'eaaa'],
        pattern: /\b(sq0atp-[A-Za-z0-9_-]{22}|EAAA[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/,
        minEntropy: 3.5,
    },
    {
        id: 'square-oauth-secret',
        description: 'Square OAuth secret',
        provider: 'Square',
        severity: 'high',
        keywords: ['sq0csp-'],
        pattern: /\b(sq0csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    },
    {
        id: 'shopify-access-token',
        description: 'Shopify Admin API access token',
        provider: 'Shopify',
        severity: 'critical',
        keywords: ['shpat_'],
        pattern: /\b(shpat_[a-fA-F0-9]{32})\b/,
    },
    {
        id: 'shopify-custom-app-token',
        description: 'Shopify custom app access token',
        provider: 'Shopify',
        severity: 'critical',
        keywords: ['shpca_'],
        pattern: /\b(shpca_[a-fA-F0-9]{32})\b/,
    },
    {
        id: 'shopify-private-app-token',
        description: 'Shopify private app access token',
        provider: 'Shopify',
        severity: 'critical',
        keywords: ['shppa_'],
        pattern: /\b(shppa_[a-fA-F0-9]{32})\b/,
    },
    {
        id: 'shopify-shared-secret',
        description: 'Shopify app shared secret',
        provider: 'Shopify',
        severity: 'high',
        keywords: ['shpss_'],
        pattern: /\b(shpss_[a-fA-F0-9]{32})\b/,
    },
    {
        id: 'flutterwave-secret-key',
        description: 'Flutterwave secret key',
        provider: 'Flutterwave',
        severity: 'high',
        keywords: ['flwseck'],
        pattern: /\b(FLWSECK(?:_TEST)?-[a-h0-9]{32}-X)\b/,
    },
    {
        id: 'duffel-api-token',
        description: 'Duffel API token',
        provider: 'Duffel',
        severity: 'high',
        keywords: ['duffel_'],
        pattern: /\b(duffel_(?:test|live)_[A-Za-z0-9_=-]{43})(?![A-Za-z0-9_=-])/,
    },
    {
        id: 'easypost-api-key',
        description: 'EasyPost API key',
        provider: 'EasyPost',
        severity: 'high',
        keywords: ['ezak'],
        pattern: /\b(EZ[AT]K[a-zA-Z0-9]{54})\b/,
    },
    {
        id: 'shippo-api-token',
        description: 'Shippo API token',
        provider: 'Shippo',
        severity: 'high',
        keywords: ['shippo_'],
        pattern: /\b(shippo_(?:live|test)_[a-f0-9]{40})\b/,
    },
    // ---- Messaging, e-mail ----
    {
        id: 'slack-bot-token',
        description: 'Slack bot token',
        provider: 'Slack',
        severity: 'critical',
        keywords: ['xoxb-'],
        pattern: /\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})\b/,
    },
    {
        id: 'slack-user-token',
        description: 'Slack user or workspace token',
        provider: 'Slack',
        severity: 'critical',
        keywords: ['xoxp-', 'xoxe-', 'xoxa-', 'xoxr-', 'xoxs-'],
        pattern: /\b(xox[pears]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34})\b/,
    },
    {
        id: 'slack-app-token',
        description: 'Slack app-level token',
        provider: 'Slack',
        severity: 'high',
        keywords: ['xapp-'],
        pattern: /\b(xapp-\d-[A-Z0-9]{9,12}-\d{10,14}-[a-f0-9]{64})\b/,
    },
    {
        id: 'slack-webhook-url',
        description: 'Slack incoming webhook URL',
        provider: 'Slack',
        severity: 'high',
        keywords: ['hooks.slack.com'],
        pattern: /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{20,40})/,
    },
    {
        id: 'discord-webhook-url',
        description: 'Discord webhook URL',
        provider: 'Discord',
        severity: 'high',
        keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
        pattern: /(https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{15,20}\/[A-Za-z0-9_-]{60,70})/,
    },
    {
        id: 'telegram-bot-token',
        description: 'Telegram bot token',
        provider: 'Telegram',
        severity: 'high',
        keywords: [':aa'],
        pattern: /\b(\d{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/,
        minEntropy: 3.5,
    },
    {
        id: 'sendgrid-api-key',
        description: 'SendGrid API key',
        provider: 'Twilio SendGrid',
        severity: 'critical',
        keywords: ['sg.'],
        pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    },
    {
        id: 'twilio-api-key',
        description: 'Twilio API key SID with a Twilio-named setting',
        provider: 'Twilio',
        severity: 'high',
        keywords: ['twilio'],
        pattern: named('twilio', 'SK[0-9a-fA-F]{32}'),
    },
    {
        id: 'twilio-auth-token',
        description: 'Twilio auth token',
        provider: 'Twilio',
        severity: 'critical',
        keywords: ['twilio'],
        pattern: named('twilio[A-Za-z0-9_.-]{0,12}(?:auth|token|secret)', '[a-f0-9]{32}'),
    },
    {
        id: 'mailgun-api-key',
        description: 'Mailgun API key',
        provider: 'Mailgun',
        severity: 'high',
        keywords: ['mailgun'],
        pattern: named('mailgun', 'key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}'),
    },
    {
        id: 'mailchimp-api-key',
        description: 'Mailchimp API key',
        provider: 'Mailchimp',
        severity: 'high',
        keywords: ['-us'],
        pattern: /\b([a-f0-9]{32}-us\d{1,2})\b/,
        minEntropy: 3.0,
    },
    {
        id: 'brevo-api-key',
        description: 'Brevo (Sendinblue) API key',
        provider: 'Brevo',
        severity: 'high',
        keywords: ['xkeysib-'],
        pattern: /\b(xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})\b/,
    },
    {
        id: 'postmark-server-token',
        description: 'Postmark server token',
        provider: 'Postmark',
        severity: 'high',
        keywords: ['postmark'],
        pattern: named('postmark', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
    },
    // ---- Observability, SaaS ----
    {
        id: 'sentry-auth-token',
        description: 'Sentry auth token',
        provider: 'Sentry',
        severity: 'high',
        keywords: ['sntrys_', 'sntryu_'],
        // As for Atlassian: `+`, `/`, `=` and `-` let a run offer a start every 11 characters.
        pattern: new RegExp(String.raw `\b(sntrys_eyJ${atomic('sentryBody', '[A-Za-z0-9+/=_-]{50,400}')}|sntryu_[a-f0-9]{64})(?![A-Za-z0-9+/=_-])`),
    },
    {
        id: 'new-relic-user-api-key',
        description: 'New Relic user API key',
        provider: 'New Relic',
        severity: 'high',
        keywords: ['nrak-'],
        pattern: /\b(NRAK-[A-Z0-9]{27})\b/,
    },
    {
        id: 'dynatrace-api-token',
        description: 'Dynatrace API token',
        provider: 'Dynatrace',
        severity: 'high',
        keywords: ['dt0c01.'],
        pattern: /\b(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b/,
    },
    {
        id: 'datadog-api-key',
        description: 'Datadog API or application key with a Datadog-named setting',
        provider: 'Datadog',
        severity: 'high',
        keywords: ['datadog', 'dd_api', 'dd_app'],
        pattern: named('datadog|dd_api|dd_app', '[a-f0-9]{40}|[a-f0-9]{32}'),
    },
    {
        id: 'grafana-service-account-token',
        description: 'Grafana service account token',
        provider: 'Grafana',
        severity: 'high',
        keywords: ['glsa_'],
        pattern: /\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b/,
    },
    {
        id: 'grafana-cloud-token',
        description: 'Grafana Cloud access policy token',
        provider: 'Grafana',
        severity: 'high',
        keywords: ['glc_'],
        pattern: /\b(glc_[A-Za-z0-9+/]{32,400}={0,2})/,
        minEntropy: 3.5,
    },
    {
        id: 'postman-api-key',
        description: 'Postman API key',
        provider: 'Postman',
        severity: 'high',
        keywords: ['pmak-'],
        pattern: /\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b/,
    },
    {
        id: 'linear-api-key',
        description: 'Linear API key',
        provider: 'Linear',
        severity: 'high',
        keywords: ['lin_api_'],
        pattern: /\b(lin_api_[A-Za-z0-9]{40})\b/,
    },
    {
        id: 'notion-integration-token',
        description: 'Notion integration token',
        provider: 'Notion',
        severity: 'high',
        keywords: ['ntn_'],
        pattern: /\b(ntn_[0-9]{11}[A-Za-z0-9]{35})\b/,
    },
    {
        id: 'figma-pat',
        description: 'Figma personal access token',
        provider: 'Figma',
        severity: 'high',
        keywords: ['figd_'],
        pattern: /\b(figd_[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])/,
    },
    {
        id: 'mapbox-secret-token',
        description: 'Mapbox secret access token',
        provider: 'Mapbox',
        severity: 'high',
        keywords: ['sk.eyj'],
        pattern: /\b(sk\.eyJ[A-Za-z0-9_-]{50,400}\.[A-Za-z0-9_-]{20,60})(?![A-Za-z0-9_-])/,
    },
    {
        id: 'typeform-pat',
        description: 'Typeform personal access token',
        provider: 'Typeform',
        severity: 'high',
        keywords: ['tfp_'],
        pattern: /\b(tfp_[A-Za-z0-9_.=-]{59})(?![A-Za-z0-9_.=-])/,
    },
    {
        id: 'readme-api-key',
        description: 'ReadMe API key',
        provider: 'ReadMe',
        severity: 'high',
        keywords: ['rdme_'],
        pattern: /\b(rdme_[a-z0-9]{70})\b/,
    },
    {
        id: 'age-secret-key',
        description: 'age encryption secret key',
        provider: 'age',
        severity: 'critical',
        keywords: ['age-secret-key-1'],
        pattern: /\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/,
    },
    {
        id: 'cloudinary-url',
        description: 'Cloudinary URL with API secret',
        provider: 'Cloudinary',
        severity: 'high',
        keywords: ['cloudinary://'],
        pattern: /cloudinary:\/\/\d{10,20}:([A-Za-z0-9_-]{25,30})@/,
    },
    ...PROVIDER_RULES, // rules-providers.ts: the long tail, ahead of the JWT, key and generic rules
    {
        id: 'jwt',
        description: 'JSON Web Token (signed)',
        provider: 'JWT',
        severity: 'medium',
        keywords: ['eyj'],
        // Matched from the dot after the header, looking back for `eyJ`: tried from every `eyJ`, a
        // run like `eyJ-eyJ-eyJ-...` would cost each start a scan of up to 1000 characters for a dot.
        // The furthest `eyJ` back is the one a left-to-right search would have started at.
        pattern: new RegExp(String.raw `(?=\.eyJ)(?<=\b(eyJ[A-Za-z0-9_-]{10,1000}))\.(eyJ${atomic('jwtPayload', '[A-Za-z0-9_-]{10,4000}')}\.${atomic('jwtSignature', '[A-Za-z0-9_-]{20,800}')})(?![A-Za-z0-9_-])`),
        secretGroup: [1, 2],
        validate: (jwt) => {
            const text = Buffer.from(jwt.slice(0, jwt.indexOf('.')), 'base64url').toString('utf8');
            // Only an object can have an alg: anything else is refused without the thrown SyntaxError
            // (a few microseconds each, on a line crafted to be nothing but near-JWTs).
            if (!/^[ \t\n\r]*\{[\s\S]*\}[ \t\n\r]*$/.test(text))
                return false;
            try {
                const header = JSON.parse(text);
                return typeof header === 'object' && header !== null && typeof header.alg === 'string' && header.alg !== 'none';
            }
            catch {
                return false;
            }
        },
    },
    // ---- Private keys ----
    {
        id: 'private-key',
        description: 'Private key (PEM: PKCS#1, PKCS#8, SEC1, encrypted PKCS#8)',
        provider: 'PEM',
        severity: 'critical',
        keywords: ['-----begin'],
        pattern: new RegExp(String.raw `-----BEGIN (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----(?:\\r)?(?:\\n|\s)+${PEM_BODY}(?:\\n|\s)*-----END`),
        multiline: true,
        validate: (body) => body.startsWith('MI'),
    },
    {
        id: 'openssh-private-key',
        description: 'OpenSSH private key',
        provider: 'OpenSSH',
        severity: 'critical',
        keywords: ['-----begin openssh'],
        pattern: new RegExp(String.raw `-----BEGIN OPENSSH PRIVATE KEY-----(?:\\r)?(?:\\n|\s)+${PEM_BODY}(?:\\n|\s)*-----END`),
        multiline: true,
        validate: (body) => body.startsWith('b3BlbnNzaC1rZXktdjE'),
    },
    {
        id: 'pgp-private-key',
        description: 'PGP private key block',
        provider: 'PGP',
        severity: 'critical',
        keywords: ['-----begin pgp private'],
        // Armor headers (`Version: ...`) are optional; the blanks before them and those after them are
        // separate runs, so no run of blanks can be split two ways.
        pattern: new RegExp(String.raw `-----BEGIN PGP PRIVATE KEY BLOCK-----(?:\\n|\s)+(?:(?:[A-Za-z-]+: [^\n]*\n)+(?:\\n|\s)*)?${PEM_BODY}`),
        multiline: true,
        validate: (body) => body.replace(/\s|\\n/g, '').length >= 200,
    },
    {
        id: 'putty-private-key',
        description: 'PuTTY private key',
        provider: 'PuTTY',
        severity: 'critical',
        keywords: ['putty-user-key-file-'],
        pattern: /PuTTY-User-Key-File-\d: [\w-]+\r?\n[\s\S]{0,400}?Private-Lines: \d+\r?\n([A-Za-z0-9+/=\r\n]{40,4000})/,
        multiline: true,
    },
    // ---- Connection strings, URLs with credentials ----
    {
        id: 'database-connection-string',
        description: 'Database connection string with a password',
        provider: 'Database',
        severity: 'critical',
        keywords: [
            'postgres://',
            'postgresql://',
            'mysql://',
            'mariadb://',
            'mongodb://',
            'mongodb+srv://',
            'redis://',
            'rediss://',
            'amqp://',
            'amqps://',
            'mssql://',
            'sqlserver://',
            'clickhouse://',
            'cockroachdb://',
        ],
        pattern: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb):\/\/[^:@/\s'"`]{0,64}:([^@/\s'"`]{4,128})@[A-Za-z0-9._\-[\]]{1,255}/i,
        generic: true,
    },
    {
        id: 'docker-config-auth',
        description: 'Registry credentials in a Docker config.json `auth` field',
        provider: 'Docker',
        severity: 'high',
        keywords: ['"auth"'],
        pattern: /"auth"\s*:\s*"([A-Za-z0-9+/]{16,400}={0,2})"/,
        validate: (b64) => /^[^:\s]{1,100}:\S{4,}$/.test(Buffer.from(b64, 'base64').toString('utf8')),
    },
    {
        id: 'url-credentials',
        description: 'Password embedded in an http(s) URL',
        provider: 'Generic',
        severity: 'medium',
        keywords: ['http://', 'https://'],
        pattern: /\bhttps?:\/\/[A-Za-z0-9._~%-]{1,64}:([^@/\s'"`<>]{6,128})@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}/,
        generic: true,
    },
    // ---- Generic assignments ----
    {
        id: 'generic-secret-assignment',
        description: 'High-entropy value assigned to a secret-sounding name (password, secret, token, api_key, ...)',
        provider: 'Generic',
        severity: 'medium',
        keywords: [
            'passw',
            'pwd',
            'secret',
            'token',
            'apikey',
            'api_key',
            'api-key',
            'api.key',
            'accesskey',
            'access_key',
            'access-key',
            'privatekey',
            'private_key',
            'authkey',
            'auth_key',
            'credential',
        ],
        // The name is up to 40 characters, the secret-sounding word, then up to 20 more to the end of
        // the name. Matched from the word, looking back for the name's start: tried from every place a
        // name could start, each would scan up to 40 characters for the word (`pwd-pwd-pwd-...`). The
        // furthest start back is the one a left-to-right search would have found.
        pattern: new RegExp(String.raw `(?=${SECRET_WORD})(?<=(?<![A-Za-z0-9_$])([A-Za-z0-9_.$-]{0,40}))(${SECRET_WORD}${atomic('nameEnd', '[A-Za-z0-9_.$-]{0,20}')})(?![A-Za-z0-9_.$-])["']?\s*(?::=|=>|:|=(?!=))\s*(["'\x60])([^"'\x60\s\\]{8,200})\4`, 'i'),
        nameGroup: [1, 2],
        secretGroup: 5,
        generic: true,
        minEntropy: 3.0,
    },
    {
        id: 'generic-secret-config',
        description: 'High-entropy unquoted value assigned to a secret-sounding name in a config or .env file',
        provider: 'Generic',
        severity: 'medium',
        keywords: [
            'passw',
            'pwd',
            'secret',
            'token',
            'apikey',
            'api_key',
            'api-key',
            'accesskey',
            'access_key',
            'authkey',
            'auth_key',
            'credential',
        ],
        pattern: /^[ \t]*(?:export[ \t]+)?([A-Za-z0-9_.-]{0,40}?(?:passw(?:or)?d|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|credentials?)[A-Za-z0-9_.-]{0,20})[ \t]*[=:][ \t]*(?!["'`])([^\s"'`#;,()]{8,200})[ \t]*(?:#.*)?$/im,
        nameGroup: 1,
        secretGroup: 2,
        generic: true,
        minEntropy: 3.0,
        lineAnchored: true,
    },
];
/** Rules by id. */
const RULES_BY_ID = new Map(RULES.map((r) => [r.id, r]));


/***/ }),

/***/ 1578:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ff: () => (/* binding */ scanText)
/* harmony export */ });
/* unused harmony exports ColumnCounter, LineCursor */
/* harmony import */ var _engine_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3288);
/* harmony import */ var _fingerprint_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3565);
/**
 * Turns raw matches in one text into findings: line and column, redacted preview and, with a
 * baseline salt, the baseline key. The report fingerprint is set later, once a file's findings are
 * sorted (`assignFingerprints`).
 */


/**
 * Columns in UTF-16 code units of the file as UTF-8 (what editors and GitHub count), for offsets
 * that only move forward: each call decodes only from the previous offset on its line, so many
 * findings on one long line cost the line once, not once each. Text decoded as latin1 holds one
 * byte per character; the count follows the WHATWG UTF-8 decoder that Buffer uses (one U+FFFD per
 * bad sequence), so it equals `Buffer.from(line.slice(0, at), 'latin1').toString('utf8').length`.
 */
class ColumnCounter {
    /** Characters decoded so far: the work done, which tests hold to the length of the text. */
    decoded = 0;
    lineStart = -1;
    at = 0;
    units = 0;
    needed = 0;
    seen = 0;
    lower = 0x80;
    upper = 0xbf;
    text;
    latin1;
    constructor(text, latin1) {
        this.text = text;
        this.latin1 = latin1;
    }
    /** Code units from `lineStart` to `offset` (offsets on one line must not go back). */
    column(lineStart, offset) {
        if (!this.latin1)
            return offset - lineStart;
        if (lineStart !== this.lineStart || offset < this.at) {
            this.lineStart = lineStart;
            this.at = lineStart;
            this.units = 0;
            this.needed = 0;
            this.seen = 0;
            this.lower = 0x80;
            this.upper = 0xbf;
        }
        const text = this.text;
        this.decoded += offset - this.at;
        for (; this.at < offset; this.at++)
            this.take(text.charCodeAt(this.at));
        // A sequence cut off at `offset` decodes to one U+FFFD.
        return this.units + (this.needed > 0 ? 1 : 0);
    }
    take(b) {
        if (this.needed === 0) {
            if (b < 0x80)
                this.units++;
            else if (b >= 0xc2 && b <= 0xdf)
                this.needed = 1;
            else if (b >= 0xe0 && b <= 0xef) {
                if (b === 0xe0)
                    this.lower = 0xa0;
                if (b === 0xed)
                    this.upper = 0x9f;
                this.needed = 2;
            }
            else if (b >= 0xf0 && b <= 0xf4) {
                if (b === 0xf0)
                    this.lower = 0x90;
                if (b === 0xf4)
                    this.upper = 0x8f;
                this.needed = 3;
            }
            else
                this.units++;
            return;
        }
        if (b < this.lower || b > this.upper) {
            // The bad sequence becomes one U+FFFD and this byte starts afresh.
            this.units++;
            this.needed = 0;
            this.seen = 0;
            this.lower = 0x80;
            this.upper = 0xbf;
            this.take(b);
            return;
        }
        this.lower = 0x80;
        this.upper = 0xbf;
        this.seen++;
        if (this.seen === this.needed) {
            // Four-byte sequences are outside the BMP: two UTF-16 code units.
            this.units += this.needed === 3 ? 2 : 1;
            this.needed = 0;
            this.seen = 0;
        }
    }
}
/**
 * Line numbers (0-based) and line starts for offsets that only move forward: each line break is
 * searched for once, not again from every finding to the end of a long line.
 */
class LineCursor {
    line = 0;
    lineStart = 0;
    /** Characters searched for line breaks so far: the work done, which tests hold to the length of the text. */
    searched = 0;
    at = 0;
    /** The first line break at or after `at`, -1 when there is none, -2 before the first search. */
    newline = -2;
    text;
    constructor(text) {
        this.text = text;
    }
    /** Moves to `offset`; an offset behind the last one starts over from the top (never needed in order). */
    moveTo(offset) {
        if (offset < this.at) {
            this.line = 0;
            this.lineStart = 0;
            this.at = 0;
            this.newline = -2;
        }
        for (let i = this.nextNewline(this.at); i !== -1 && i < offset; i = this.nextNewline(i + 1)) {
            this.line++;
            this.lineStart = i + 1;
        }
        this.at = offset;
    }
    nextNewline(from) {
        if (this.newline !== -1 && this.newline < from) {
            this.newline = this.text.indexOf('\n', from);
            this.searched += (this.newline === -1 ? this.text.length : this.newline + 1) - from;
        }
        return this.newline;
    }
}
function scanText(text, ctx) {
    const active = (0,_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .rulesActiveFor */ .l)(ctx.compiled, ctx.path);
    const matches = (0,_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .findMatches */ .Np)(text, ctx.compiled, active, ctx.work);
    if (matches.length === 0)
        return [];
    const latin1 = ctx.latin1 ?? false;
    const out = [];
    // The same secret twice in one text costs one scrypt.
    const keys = new Map();
    // Matches are sorted and do not overlap, so starts and ends only move forward: lines and columns
    // cost the text once however many findings share a line.
    const lines = new LineCursor(text);
    const columns = new ColumnCounter(text, latin1);
    for (const m of matches) {
        if (ctx.acceptBefore !== undefined && m.start >= ctx.acceptBefore)
            continue;
        const rule = ctx.compiled.rules[m.ruleIndex];
        lines.moveTo(m.start);
        const startLine = lines.line;
        const column = columns.column(lines.lineStart, m.start) + 1;
        lines.moveTo(m.end);
        const endLine = lines.line;
        const endColumn = columns.column(lines.lineStart, m.end) + 1;
        const secret = latin1 ? Buffer.from(m.secret, 'latin1').toString('utf8') : m.secret;
        const toReal = (l) => (ctx.lineMap ? (ctx.lineMap[l] ?? l + 1) : l + 1 + (ctx.lineOffset ?? 0));
        let key;
        if (ctx.baselineSalt !== undefined) {
            const memo = `${rule.id}\0${secret}`;
            key = keys.get(memo);
            if (key === undefined) {
                key = (0,_fingerprint_js__WEBPACK_IMPORTED_MODULE_1__/* .baselineKey */ .x2)(ctx.baselineSalt, rule.id, ctx.path, secret);
                keys.set(memo, key);
            }
        }
        out.push({
            ruleId: rule.id,
            description: rule.description,
            provider: rule.provider,
            severity: rule.severity,
            path: ctx.path,
            line: toReal(startLine),
            column,
            endLine: toReal(endLine),
            endColumn,
            preview: (0,_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(secret),
            fingerprint: '',
            ...(key !== undefined ? { baselineKey: key } : {}),
        });
    }
    if (ctx.work) {
        ctx.work.lineSearch += lines.searched;
        ctx.work.decoded += columns.decoded;
    }
    return out;
}


/***/ }),

/***/ 4965:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NQ: () => (/* binding */ scanTextBatch),
/* harmony export */   Rd: () => (/* binding */ newSecretIdKey),
/* harmony export */   cS: () => (/* binding */ batchesOf),
/* harmony export */   e$: () => (/* binding */ BatchBuilder)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _fingerprint_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3565);
/* harmony import */ var _scan_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1578);
/**
 * Scanning texts held in memory (git blobs, the added lines of a commit) in batches that can go to
 * a worker thread in one message: one buffer per batch, items as offsets into it. The same code
 * scans a batch on the main thread or in a worker.
 *
 * Besides the findings, each result carries a `secretId`: an HMAC of the rule and the secret under
 * a random key made for this run (`newSecretIdKey`). It tells two findings of the same secret apart
 * from two of different secrets with the same preview, which deduplication across commits and blob
 * versions needs, and it never leaves the process: reports do not contain it, and the key dies with
 * the run, so it cannot be used to test guesses.
 */



/** A fresh key for this run's secret ids. */
function newSecretIdKey() {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(32).toString('hex');
}
const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;
const DEFAULT_BATCH_ITEMS = 1024;
/**
 * Packs texts into batches. `add` copies the bytes in; a text larger than a batch gets a batch of
 * its own. Full batches wait in `take()`.
 */
class BatchBuilder {
    capacity;
    maxItems;
    data;
    used = 0;
    items = [];
    ready = [];
    /** Bytes and items added so far. */
    bytes = 0;
    count = 0;
    constructor(capacity = DEFAULT_BATCH_BYTES, maxItems = DEFAULT_BATCH_ITEMS) {
        this.capacity = capacity;
        this.maxItems = maxItems;
        this.data = new Uint8Array(capacity);
    }
    add(meta, parts) {
        let total = 0;
        for (const p of parts)
            total += p.length;
        if (this.used + total > this.data.length || this.items.length >= this.maxItems)
            this.seal();
        if (total > this.data.length)
            this.data = new Uint8Array(total);
        const start = this.used;
        for (const p of parts) {
            this.data.set(p, this.used);
            this.used += p.length;
        }
        this.items.push({ ...meta, start, end: this.used });
        this.bytes += total;
        this.count++;
    }
    /** Closes the current batch (if it holds anything). */
    seal() {
        if (this.items.length === 0)
            return;
        // The batch owns exactly its bytes: the buffer itself when full, else a copy of the used part.
        const full = this.used === this.data.length;
        this.ready.push({ data: full ? this.data : this.data.slice(0, this.used), items: this.items });
        this.items = [];
        this.used = 0;
        if (full || this.data.length > this.capacity)
            this.data = new Uint8Array(this.capacity);
    }
    /** Batches completed so far. */
    take() {
        const out = this.ready;
        this.ready = [];
        return out;
    }
}
/**
 * The batches a process's output makes: each chunk goes to `parser` (which adds texts to `builder`),
 * and the batches are handed on as they fill; at the end the parser is flushed, the last batch
 * sealed, and `done` awaited (the process's exit status). `stop` always runs, also when the
 * consumer stops early.
 */
async function* batchesOf(output, parser, builder, done, stop) {
    try {
        for await (const chunk of output) {
            parser.write(chunk);
            yield* builder.take();
        }
        parser.end();
        builder.seal();
        yield* builder.take();
        await done();
    }
    finally {
        stop();
    }
}
function decodeLatin1(data, start, end) {
    return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
}
/** Scans every item of a batch. */
function scanTextBatch(batch, options) {
    const out = [];
    let key;
    for (const item of batch.items) {
        const text = decodeLatin1(batch.data, item.start, item.end);
        const findings = (0,_scan_text_js__WEBPACK_IMPORTED_MODULE_2__/* .scanText */ .Ff)(text, {
            path: item.path,
            compiled: options.compiled,
            latin1: true,
            lineMap: item.lineMap,
            lineOffset: item.lineOffset,
            acceptBefore: item.acceptBefore,
            baselineSalt: options.baselineSalt,
        });
        if (findings.length === 0)
            continue;
        key ??= (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createSecretKey)(Buffer.from(options.idKey, 'hex'));
        const ids = secretIds(text, item, findings, key);
        findings.forEach((finding, i) => {
            out.push({ item: item.id, ...(item.tag ? { tag: item.tag } : {}), finding, secretId: ids[i] });
        });
    }
    return out;
}
/**
 * The secret ids of `findings` in `text`: the text between each finding's start and end position
 * (1-based lines, UTF-16 columns of the UTF-8 decoded line), whitespace removed, keyed.
 */
function secretIds(text, item, findings, idKey) {
    const lines = text.split('\n');
    let byNumber;
    const indexOf = (line) => {
        if (item.lineMap) {
            byNumber ??= new Map(item.lineMap.map((n, i) => [n, i]));
            return byNumber.get(line) ?? -1;
        }
        return line - 1 - (item.lineOffset ?? 0);
    };
    const decoded = (i) => Buffer.from(lines[i] ?? '', 'latin1').toString('utf8');
    return findings.map((f) => {
        const si = indexOf(f.line);
        const ei = indexOf(f.endLine);
        let span;
        if (si < 0 || ei < si)
            span = `${f.line}:${f.column}`;
        else if (si === ei)
            span = decoded(si).slice(f.column - 1, f.endColumn - 1);
        else {
            const parts = [decoded(si).slice(f.column - 1)];
            for (let i = si + 1; i < ei; i++)
                parts.push(decoded(i));
            parts.push(decoded(ei).slice(0, f.endColumn - 1));
            span = parts.join('\n');
        }
        return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHmac)('sha256', idKey)
            .update(`${f.ruleId}\0${(0,_fingerprint_js__WEBPACK_IMPORTED_MODULE_1__/* .normalizeSecret */ .YL)(span)}`)
            .digest('hex')
            .slice(0, 32);
    });
}


/***/ })

};
