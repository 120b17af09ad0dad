/**
 * The scan action with a project scan configuration: `.ass-scan.json` under `path` is read without
 * being asked for (as gitleaks-action reads `.gitleaks.toml`), the `config` input names another
 * file, and a mistake in it fails the step with the field to fix.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionEnv, readOutputs, runBundle, runnerFiles, SCAN_BUNDLE } from '../../helpers/scan-action.js';
import { tempDir } from '../../helpers/scan-git.js';
import { githubToken, HEX, randomString, rng } from '../../helpers/scan-tokens.js';

const n = rng(4711);
const ACME_KEY = `acme_${randomString(n, 32, HEX)}`;
const GH = githubToken(n);
const ACME = {
  id: 'acme-api-key',
  description: 'Acme API key',
  regex: '\\b(acme_[a-f0-9]{32})\\b',
  keywords: ['acme_'],
  severity: 'critical',
};

beforeAll(() => {
  expect(existsSync(SCAN_BUNDLE), 'dist/actions/scan.js missing: run npm run build').toBe(true);
});

function workspace(config?: { name: string; body: unknown }): string {
  const dir = tempDir('ass-scan-ws-');
  writeFileSync(path.join(dir, 'app.ts'), `export const acme = "${ACME_KEY}";\nexport const gh = "${GH}";\n`);
  if (config) writeFileSync(path.join(dir, config.name), JSON.stringify(config.body));
  return dir;
}

describe('the scan action with a scan configuration', () => {
  it('reads .ass-scan.json under path: custom rules are reported, disabled ones are not', () => {
    const dir = workspace({ name: '.ass-scan.json', body: { rules: [ACME], disabledRules: ['github-pat'] } });
    const files = runnerFiles({});
    const r = runBundle(actionEnv(files, dir, 'workflow_dispatch', { mode: 'tree', workers: '1', 'fail-on-findings': 'false' }));
    expect(r.code).toBe(0);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error title=Hardcoded secret \(acme-api-key\),file=app\.ts,line=1,/);
    expect(r.stdout).toContain('.ass-scan.json: 1 custom rule(s), 1 built-in rule(s) disabled.');
    expect(readOutputs(files.output)['findings-count']).toBe('1');
    expect(r.stdout + r.stderr).not.toContain(ACME_KEY);
  });

  it('the config input names another file', () => {
    const dir = workspace({ name: 'scan.json', body: { rules: [ACME] } });
    const files = runnerFiles({});
    const r = runBundle(
      actionEnv(files, dir, 'workflow_dispatch', { mode: 'tree', workers: '1', config: 'scan.json', 'fail-on-findings': 'false' }),
    );
    expect(r.code).toBe(0);
    expect(readOutputs(files.output)['findings-count']).toBe('2');
  });

  it('without a configuration the built-in rules run as before', () => {
    const files = runnerFiles({});
    const r = runBundle(actionEnv(files, workspace(), 'workflow_dispatch', { mode: 'tree', workers: '1', 'fail-on-findings': 'false' }));
    expect(r.code).toBe(0);
    expect(readOutputs(files.output)['findings-count']).toBe('1');
  });

  it('a mistake fails the step and names the file and field', () => {
    const dir = workspace({ name: '.ass-scan.json', body: { rules: [{ ...ACME, keywords: [] }] } });
    const files = runnerFiles({});
    const r = runBundle(actionEnv(files, dir, 'workflow_dispatch', { mode: 'tree', workers: '1' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::\.ass-scan\.json: rules\[0\]\.keywords must list at least one literal/);
  });
});
