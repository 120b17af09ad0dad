export const id = 759;
export const ids = [759];
export const modules = {

/***/ 2759:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FORMATS: () => (/* binding */ FORMATS),
/* harmony export */   TOOL_NAME: () => (/* binding */ TOOL_NAME),
/* harmony export */   TOOL_URI: () => (/* binding */ TOOL_URI),
/* harmony export */   TOOL_VERSION: () => (/* binding */ TOOL_VERSION),
/* harmony export */   buildSarif: () => (/* binding */ buildSarif),
/* harmony export */   formatJson: () => (/* binding */ formatJson),
/* harmony export */   formatReport: () => (/* binding */ formatReport),
/* harmony export */   formatSarif: () => (/* binding */ formatSarif),
/* harmony export */   formatText: () => (/* binding */ formatText),
/* harmony export */   safeText: () => (/* binding */ safeText)
/* harmony export */ });
/* harmony import */ var _core_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1542);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2595);


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
function formatText(report) {
    const lines = [];
    for (const f of report.findings) {
        // Every field, not only those that come from the file today: a line is one finding.
        lines.push(`${safeText(f.path)}:${f.line}:${f.column}: ${safeText(f.severity)} ${safeText(f.ruleId)}: ${safeText(f.description)} [${safeText(f.preview)}]`);
    }
    const { stats } = report;
    const mb = (stats.bytes / 1e6).toFixed(1);
    const files = new Set(report.findings.map((f) => f.path)).size;
    const baselined = report.baselined ? `, ${report.baselined} baselined` : '';
    const scanned = `${stats.files} file${stats.files === 1 ? '' : 's'}, ${mb} MB scanned${baselined}`;
    lines.push(report.findings.length === 0
        ? `No secrets found (${scanned}).`
        : `${report.findings.length} secret${report.findings.length === 1 ? '' : 's'} found in ${files} file${files === 1 ? '' : 's'} (${scanned}).`);
    return `${lines.join('\n')}\n`;
}
function formatJson(report) {
    return `${jsonText({
        version: 1,
        tool: { name: TOOL_NAME, version: TOOL_VERSION },
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
        })),
        stats: { ...report.stats, baselined: report.baselined ?? 0 },
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
/** SARIF 2.1.0 as GitHub code scanning accepts it; URIs relative to the scanned directory. */
function buildSarif(report, rules = _rules_js__WEBPACK_IMPORTED_MODULE_0__.RULES) {
    const index = new Map(rules.map((r, i) => [r.id, i]));
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
                results: report.findings.map((f) => ({
                    ruleId: f.ruleId,
                    ruleIndex: index.get(f.ruleId) ?? 0,
                    level: SARIF_LEVEL[f.severity],
                    message: { text: `${f.description}: ${f.preview}` },
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
