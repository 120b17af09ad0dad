/**
 * The scan action as the runner runs it, on files whose names and contents try to drive the log:
 * terminal escapes, direction overrides, NUL, CR, line breaks and `::error::` commands. The runner
 * obeys any line of the step's output that starts with `::`, and shows annotations, the job summary
 * and comments as they are written.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostileTree, INJECTED_COMMAND, UNSHOWABLE } from '../../helpers/hostile-files.js';
import { actionEnv, readOutputs, runBundle, runnerFiles } from '../../helpers/scan-action.js';

describe('the scan action on hostile file names and contents', () => {
  it('annotates every finding, and nothing from the files starts a command or reaches the log, summary or SARIF raw', () => {
    const tree = hostileTree();
    const files = runnerFiles({});
    const r = runBundle(actionEnv(files, tree.dir, 'workflow_dispatch', { 'fail-on-findings': 'true' }));
    expect(r.code).toBe(1);
    const summary = readFileSync(files.summary, 'utf8');
    const sarif = readFileSync(readOutputs(files.output)['sarif-file']!, 'utf8');
    for (const text of [r.stdout, r.stderr, summary, sarif]) expect(text).not.toMatch(UNSHOWABLE);

    const commands = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    const annotations = commands.filter((l) => l.startsWith('::error title=Hardcoded secret ('));
    expect(annotations).toHaveLength(tree.findings);
    // Only the action's own commands: one annotation per finding and the failure.
    expect(commands).toEqual([
      ...annotations,
      `::error::${tree.findings} possible secrets found; see the annotations and the job summary.`,
    ]);
    expect(r.stdout).not.toContain(`\n${INJECTED_COMMAND}`);
    expect(annotations).toContain(
      '::error title=Hardcoded secret (github-pat),file=esc?[2J?31m?txt.env,line=1,endLine=1,col=4,endColumn=44::GitHub personal access token (classic) (github-pat, critical): ghp_********. Remove it, rotate it, and load it at run time.',
    );
    // A line break in a name becomes `?` before the runner's own escaping (`:` is %3A in a property).
    expect(annotations.some((l) => l.includes(',file=line?%3A%3Aerror%3A%3Apwned?.env,'))).toBe(true);
    expect(annotations.filter((l) => l.includes('file=values.py,')).map((l) => l.slice(l.lastIndexOf('): ') + 3))).toEqual([
      '?]0;********. Remove it, rotate it, and load it at run time.',
      '?31m********. Remove it, rotate it, and load it at run time.',
      '?Zq8********. Remove it, rotate it, and load it at run time.',
      '::er********. Remove it, rotate it, and load it at run time.',
      '??[2********. Remove it, rotate it, and load it at run time.',
    ]);
    expect(summary).toContain(`| line ${INJECTED_COMMAND} .env | 1 | github-pat | critical |`);
    expect(summary).toContain(`| esc?&#91;2J?31m?txt.env | 1 | github-pat | critical |`);
  });
});
