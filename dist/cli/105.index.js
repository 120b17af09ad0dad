export const id = 105;
export const ids = [105];
export const modules = {

/***/ 4105:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FORMATS: () => (/* binding */ FORMATS),
/* harmony export */   HISTORY_ONLY_ADVICE: () => (/* binding */ HISTORY_ONLY_ADVICE),
/* harmony export */   TOOL_NAME: () => (/* binding */ TOOL_NAME),
/* harmony export */   TOOL_URI: () => (/* binding */ TOOL_URI),
/* harmony export */   TOOL_VERSION: () => (/* binding */ TOOL_VERSION),
/* harmony export */   buildSarif: () => (/* binding */ buildSarif),
/* harmony export */   commitLine: () => (/* binding */ commitLine),
/* harmony export */   formatJson: () => (/* binding */ formatJson),
/* harmony export */   formatReport: () => (/* binding */ formatReport),
/* harmony export */   formatSarif: () => (/* binding */ formatSarif),
/* harmony export */   formatText: () => (/* binding */ formatText),
/* harmony export */   historyNote: () => (/* binding */ historyNote),
/* harmony export */   safeText: () => (/* binding */ safeText),
/* harmony export */   scannedText: () => (/* binding */ scannedText),
/* harmony export */   skippedLines: () => (/* binding */ skippedLines)
/* harmony export */ });
/* harmony import */ var _core_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2020);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1975);


const FORMATS = ['text', 'json', 'sarif'];
const TOOL_NAME = 'ass-scan';
const TOOL_VERSION = '0.1.0';
const TOOL_URI = 'https://github.com/agent-secret-store/agent-secret-store/blob/main/docs/scan.md';
/**
 * Replaces control characters, separators and direction overrides with `?`, so a crafted file name
 * or file cannot drive the terminal or reorder what it shows (see shownText).
 */
function safeText(s) {
    return (0,_core_text_js__WEBPACK_IMPORTED_MODULE_1__/* .shownText */ .f$)(s);
}
/** What to do about a secret that is only in history; said wherever such a finding is reported. */
const HISTORY_ONLY_ADVICE = 'Deleting a secret from the current files does not remove it from the repository: every clone, fork and cached copy of the old commits still holds it, and rewriting history does not reach those. Rotate it: revoke it with its provider and issue a new one.';
/** One line about the commit that introduced a finding, for people. */
function commitLine(f) {
    if (!f.commit)
        return undefined;
    const c = f.commit;
    const by = [c.date.slice(0, 10), c.author].filter(Boolean).join(', ');
    return `added in commit ${c.sha.slice(0, 12)}${by ? ` (${safeText(by)})` : ''}${c.subject ? `: "${safeText(c.subject)}"` : ''}`;
}
/** The note on a finding that is no longer in the tip. */
function historyNote(f, mode) {
    if (f.inHead !== false)
        return undefined;
    return mode === 'history'
        ? 'in history only: no longer in HEAD, but still in the repository; rotate it'
        : 'removed by a later commit, but still in the branch history; rotate it';
}
function plural(n, word, many = `${word}s`) {
    return `${n} ${n === 1 ? word : many}`;
}
function bytesText(n) {
    return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;
}
/** "12 commits, 30 file changes, 0.4 MB scanned": what a scan covered, in the words of its mode. */
function scannedText(stats, mode) {
    const mb = `${(stats.bytes / 1e6).toFixed(1)} MB scanned`;
    if (mode === 'commits')
        return `${plural(stats.commits, 'commit')}, ${plural(stats.files, 'file change')}, ${mb}`;
    if (mode === 'history')
        return `${plural(stats.commits, 'commit')}, ${plural(stats.files, 'blob')}, ${mb}`;
    return `${plural(stats.files, 'file')}, ${mb}`;
}
/** Lines listing what the size cap kept out of the scan (at most `max` of them). */
function skippedLines(skipped, max = 20) {
    const lines = skipped.slice(0, max).map((s) => {
        const where = s.commit ? `, commit ${s.commit.slice(0, 12)}` : s.blob ? `, blob ${s.blob.slice(0, 12)}` : '';
        return `  ${safeText(s.path)} (${bytesText(s.bytes)}${s.commit ? ' added' : ''}${where})`;
    });
    if (skipped.length > max)
        lines.push(`  …and ${skipped.length - max} more`);
    return lines;
}
function formatText(report) {
    const lines = [];
    for (const f of report.findings) {
        // Every field, not only those that come from the file today: a line is one finding.
        lines.push(`${safeText(f.path)}:${f.line}:${f.column}: ${safeText(f.severity)} ${safeText(f.ruleId)}: ${safeText(f.description)} [${safeText(f.preview)}]`);
        const commit = commitLine(f);
        if (commit)
            lines.push(`    ${commit}`);
        const note = historyNote(f, report.mode);
        if (note)
            lines.push(`    ${note}`);
    }
    const { stats } = report;
    const files = new Set(report.findings.map((f) => f.path)).size;
    const baselined = report.baselined ? `, ${report.baselined} baselined` : '';
    const scanned = `${scannedText(stats, report.mode)}${baselined}`;
    const skipped = report.skipped ?? [];
    lines.push(report.findings.length === 0
        ? skipped.length > 0
            ? `No secrets found in what was scanned (${scanned}); ${plural(skipped.length, 'file was', 'files were')} NOT scanned, over the size cap (--max-file-size):`
            : `No secrets found (${scanned}).`
        : `${report.findings.length} secret${report.findings.length === 1 ? '' : 's'} found in ${files} file${files === 1 ? '' : 's'} (${scanned}).`);
    if (skipped.length > 0) {
        if (report.findings.length > 0)
            lines.push(`${plural(skipped.length, 'file was', 'files were')} NOT scanned, over the size cap (--max-file-size):`);
        lines.push(...skippedLines(skipped));
    }
    const historyOnly = report.findings.filter((f) => f.inHead === false).length;
    if (historyOnly > 0) {
        lines.push(`${historyOnly} of these ${historyOnly === 1 ? 'is' : 'are'} no longer in ${report.mode === 'history' ? 'HEAD' : 'the head of the range'}. ${HISTORY_ONLY_ADVICE}`);
    }
    return `${lines.join('\n')}\n`;
}
function formatJson(report) {
    return `${jsonText({
        version: 1,
        tool: { name: TOOL_NAME, version: TOOL_VERSION },
        ...(report.mode ? { mode: report.mode } : {}),
        ...(report.head ? { head: report.head } : {}),
        findings: report.findings.map((f) => ({
            ruleId: f.ruleId,
            description: f.description,
            provider: f.provider,
            severity: f.severity,
            path: f.path,
            line: f.line,
            column: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
            preview: f.preview,
            fingerprint: f.fingerprint,
            ...(f.commit ? { commit: { sha: f.commit.sha, author: f.commit.author, date: f.commit.date, subject: f.commit.subject } } : {}),
            ...(f.inHead !== undefined ? { inHead: f.inHead } : {}),
        })),
        stats: { ...report.stats, baselined: report.baselined ?? 0 },
        skipped: (report.skipped ?? []).map((s) => ({
            path: s.path,
            bytes: s.bytes,
            ...(s.commit ? { commit: s.commit } : {}),
            ...(s.blob ? { blob: s.blob } : {}),
        })),
    })}\n`;
}
const SARIF_LEVEL = {
    critical: 'error',
    high: 'error',
    medium: 'warning',
    low: 'note',
};
/** GitHub code scanning reads `security-severity` (0-10) to rank alerts. */
const SECURITY_SEVERITY = { critical: '9.5', high: '8.0', medium: '6.0', low: '3.0' };
function sarifRule(rule) {
    return {
        id: rule.id,
        name: rule.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c) => c.toUpperCase()),
        shortDescription: { text: rule.description },
        fullDescription: { text: `${rule.description} (${rule.provider}).` },
        help: {
            text: `Remove the credential from the code, rotate it at ${rule.provider}, and load it at run time (for example from Agent Secret Store). If it is not a secret, add an inline "ass:allow" comment or a baseline entry.`,
        },
        helpUri: TOOL_URI,
        defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
        properties: {
            tags: ['security', 'secret', rule.provider],
            precision: rule.checksum ? 'very-high' : rule.generic ? 'medium' : 'high',
            'security-severity': SECURITY_SEVERITY[rule.severity],
        },
    };
}
function sarifMessage(f, mode) {
    const parts = [`${f.description}: ${f.preview}`];
    const commit = commitLine(f);
    if (commit)
        parts.push(`, ${commit}`);
    const note = historyNote(f, mode);
    if (note)
        parts.push(`. It is ${note.replace(/; rotate it$/, '')}. ${HISTORY_ONLY_ADVICE}`);
    return parts.join('');
}
/** SARIF 2.1.0 as GitHub code scanning accepts it; URIs relative to the scanned directory. */
function buildSarif(report, rules = _rules_js__WEBPACK_IMPORTED_MODULE_0__.RULES) {
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const skipped = report.skipped ?? [];
    return {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: TOOL_NAME,
                        version: TOOL_VERSION,
                        semanticVersion: TOOL_VERSION,
                        informationUri: TOOL_URI,
                        rules: rules.map(sarifRule),
                    },
                },
                originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The scanned directory.' } } },
                ...(report.repositoryUri && report.head
                    ? {
                        versionControlProvenance: [
                            { repositoryUri: report.repositoryUri, revisionId: report.head, mappedTo: { uriBaseId: '%SRCROOT%' } },
                        ],
                    }
                    : {}),
                invocations: [
                    {
                        executionSuccessful: true,
                        ...(skipped.length > 0
                            ? {
                                toolExecutionNotifications: skipped.map((sk) => ({
                                    level: 'warning',
                                    message: {
                                        text: `Not scanned: ${sk.path} is over the size cap (${sk.bytes} bytes${sk.commit ? ` added in commit ${sk.commit}` : ''}${sk.blob ? `, blob ${sk.blob}` : ''}).`,
                                    },
                                    locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(sk.path), uriBaseId: '%SRCROOT%' } } }],
                                })),
                            }
                            : {}),
                    },
                ],
                results: report.findings.map((f) => ({
                    ruleId: f.ruleId,
                    ruleIndex: index.get(f.ruleId) ?? 0,
                    level: SARIF_LEVEL[f.severity],
                    message: { text: sarifMessage(f, report.mode) },
                    locations: [
                        {
                            physicalLocation: {
                                artifactLocation: { uri: encodeURI(f.path), uriBaseId: '%SRCROOT%' },
                                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
                            },
                        },
                    ],
                    // Derived from rule, path, preview and occurrence index, never from the secret. Setting
                    // primaryLocationLineHash too keeps upload-sarif from adding its own: a fast rolling hash
                    // of the line text, secret included.
                    partialFingerprints: { 'assFinding/v2': f.fingerprint, primaryLocationLineHash: f.fingerprint },
                    // The commit is a property, not a fingerprint: the same secret keeps one alert whether a
                    // commit-range, history or tree scan reported it.
                    ...(f.commit || f.inHead !== undefined
                        ? {
                            properties: {
                                ...(f.commit
                                    ? { commitSha: f.commit.sha, commitAuthor: f.commit.author, commitDate: f.commit.date, commitSubject: f.commit.subject }
                                    : {}),
                                ...(f.inHead !== undefined ? { inHead: f.inHead } : {}),
                            },
                        }
                        : {}),
                })),
                columnKind: 'utf16CodeUnits',
            },
        ],
    };
}
function formatSarif(report) {
    return `${jsonText(buildSarif(report))}\n`;
}
/** Pretty JSON that a terminal can show safely (C1 controls and direction overrides escaped). */
function jsonText(value) {
    return (0,_core_text_js__WEBPACK_IMPORTED_MODULE_1__/* .escapeUnshowableJson */ .Eo)(JSON.stringify(value, null, 2));
}
function formatReport(format, report) {
    switch (format) {
        case 'json':
            return formatJson(report);
        case 'sarif':
            return formatSarif(report);
        default:
            return formatText(report);
    }
}


/***/ })

};
