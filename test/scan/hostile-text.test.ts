/**
 * What a scanned file says never drives the terminal that shows `ass scan`'s report: names and
 * previews lose their control characters and direction overrides in text, and JSON and SARIF
 * escape them (the data stays exact for machines, the bytes stay inert for people).
 */
import { describe, expect, it } from 'vitest';
import { commentBody, summaryMarkdown } from '../../src/actions/scan/report.js';
import { scanString } from '../../src/scan/index.js';
import { hostileTree, INJECTED_COMMAND, UNSHOWABLE } from '../helpers/hostile-files.js';
import { runScan } from '../helpers/scan-cli.js';

describe('hostile file names and contents', () => {
  const tree = hostileTree();

  it('text: every finding is shown, names and previews with ? for each unshowable character', async () => {
    const r = await runScan(['--format', 'text'], tree.dir);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(UNSHOWABLE);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(tree.findings + 1);
    expect(lines).toContain(`esc?[2J?31m?txt.env:1:4: critical github-pat: GitHub personal access token (classic) [ghp_********]`);
    expect(lines.some((l) => l.startsWith(`line?${INJECTED_COMMAND}?.env:1:4: `))).toBe(true);
    const generic =
      'medium generic-secret-assignment: High-entropy value assigned to a secret-sounding name (password, secret, token, api_key, ...)';
    expect(lines.filter((l) => l.startsWith('values.py:'))).toEqual([
      `values.py:1:13: ${generic} [?]0;********]`,
      `values.py:2:14: ${generic} [?31m********]`,
      `values.py:3:15: ${generic} [?Zq8********]`,
      `values.py:4:15: ${generic} [::er********]`,
      `values.py:7:16: ${generic} [??[2********]`,
    ]);
    expect(lines.every((l) => !l.startsWith('::'))).toBe(true);
  });

  it('json and sarif: the same data, with every unshowable character escaped', async () => {
    const json = await runScan(['--format', 'json'], tree.dir);
    const sarif = await runScan(['--format', 'sarif'], tree.dir);
    for (const r of [json, sarif]) {
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toMatch(UNSHOWABLE);
    }
    const findings = JSON.parse(json.stdout).findings as Array<{ path: string; preview: string }>;
    expect(findings).toHaveLength(tree.findings);
    // Paths are data: exact, so a machine reading the report finds the file.
    expect(new Set(findings.map((f) => f.path))).toEqual(new Set(tree.names));
    expect(findings.every((f) => !UNSHOWABLE.test(f.preview))).toBe(true);
    const results = JSON.parse(sarif.stdout).runs[0].results as Array<{
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
    }>;
    expect(results.map((x) => decodeURI(x.locations[0]!.physicalLocation.artifactLocation.uri)).sort()).toEqual(
      findings.map((f) => f.path).sort(),
    );
    expect(results.every((x) => !UNSHOWABLE.test(x.message.text))).toBe(true);
  });

  it('the scan action summary and PR comment show the names and previews inert, on one line each', () => {
    const text = ['password = "\u001b]0;x\u0007Zq8vR4xLmT9kW2pQ7"', 'api_token = "\u202e\u009bZq8vR4xLmT9kW2pQ7x"'].join('\n');
    const findings = scanString(text, `a\u202e\n${INJECTED_COMMAND}\r\u0000.env`).findings;
    expect(findings).toHaveLength(2);
    const summary = summaryMarkdown(findings, { scope: 'the lines this pull request adds', baselined: 0 });
    for (const body of [summary, commentBody(summary)]) {
      expect(body).not.toMatch(UNSHOWABLE);
      const rows = body.split('\n').filter((l) => l.startsWith('| a'));
      // Line breaks become spaces (a table row is one line), the rest `?`; Markdown is escaped.
      const stars = '&#42;'.repeat(8);
      expect(rows).toEqual([
        `| a? ${INJECTED_COMMAND} ?.env | 1 | generic-secret-assignment | medium | <code>?&#93;0;${stars}</code> |`,
        `| a? ${INJECTED_COMMAND} ?.env | 2 | generic-secret-assignment | medium | <code>??Zq${stars}</code> |`,
      ]);
    }
  });
});
