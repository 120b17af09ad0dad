/**
 * The example workflows (workflows-examples/*.yml) and the README's workflow snippets, checked
 * against this repository's action.yml files: every input they pass exists, every output they read
 * exists, actions are pinned (a major version tag, or a full commit SHA), permissions are least privilege, and
 * the scans that need history check it out whole.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const OWN = 'agent-secret-store/agent-secret-store';

type Dict = Record<string, unknown>;
interface Step {
  id?: string;
  uses?: string;
  with?: Dict;
  if?: string;
}
interface Job {
  permissions?: Dict | string;
  steps: Step[];
}
interface Workflow {
  name?: string;
  on: Dict;
  permissions?: Dict | string;
  jobs: Record<string, Job>;
}
interface ActionYml {
  inputs?: Record<string, { required?: boolean; default?: unknown }>;
  outputs?: Record<string, unknown>;
}

function actionYml(dir: string): ActionYml {
  return load(readFileSync(path.join(root, dir, 'action.yml'), 'utf8')) as ActionYml;
}

/** This repository's actions by `uses:` path: the root action and each folder with an action.yml. */
const ACTIONS: Record<string, ActionYml> = { [OWN]: actionYml('.') };
for (const e of readdirSync(root, { withFileTypes: true })) {
  if (
    e.isDirectory() &&
    !e.name.startsWith('.') &&
    e.name !== 'node_modules' &&
    readdirSync(path.join(root, e.name)).includes('action.yml')
  ) {
    ACTIONS[`${OWN}/${e.name}`] = actionYml(e.name);
  }
}

const EXAMPLES = readdirSync(path.join(root, 'workflows-examples'))
  .filter((f) => f.endsWith('.yml'))
  .sort();

function workflow(file: string): Workflow {
  return load(readFileSync(path.join(root, 'workflows-examples', file), 'utf8')) as Workflow;
}

/** Problems with one job's use of this repository's actions and others'. */
function stepProblems(job: Job, where: string): string[] {
  const problems: string[] = [];
  const byId = new Map<string, string>();
  for (const step of job.steps) {
    if (!step.uses) continue;
    const [name, version] = step.uses.split('@') as [string, string | undefined];
    if (step.id) byId.set(step.id, name);
    // Pinned: a major version tag, or (safer: a tag can move) a full commit SHA.
    if (!/^(v\d+|[0-9a-f]{40})$/.test(version ?? ''))
      problems.push(`${where}: ${step.uses} is pinned to neither a major version nor a commit SHA`);
    if (name === 'github/codeql-action/upload-sarif' && version !== 'v4')
      problems.push(`${where}: upload-sarif@${version} (v3 is retired; use v4)`);
    if (!name.startsWith(OWN)) continue;
    const action = ACTIONS[name];
    if (!action) {
      problems.push(`${where}: ${name} is not an action of this repository`);
      continue;
    }
    if (version !== 'v1' && !/^[0-9a-f]{40}$/.test(version ?? ''))
      problems.push(`${where}: ${step.uses} (this repository's actions are referenced @v1)`);
    for (const input of Object.keys(step.with ?? {})) {
      if (!action.inputs?.[input]) problems.push(`${where}: ${name} has no input "${input}"`);
    }
    for (const [input, spec] of Object.entries(action.inputs ?? {})) {
      if (spec.required && spec.default === undefined && !(input in (step.with ?? {})))
        problems.push(`${where}: ${name} needs input "${input}"`);
    }
  }
  // Outputs read by later steps exist.
  const text = JSON.stringify(job.steps);
  for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    const action = ACTIONS[byId.get(m[1]!) ?? ''];
    if (action && !action.outputs?.[m[2]!]) problems.push(`${where}: step ${m[1]} has no output "${m[2]}"`);
  }
  return problems;
}

function permissionsOf(wf: Workflow, job: Job): Dict | string | undefined {
  return job.permissions ?? wf.permissions;
}

describe('workflows-examples/', () => {
  it('holds the history scan beside the others', () => {
    expect(EXAMPLES).toContain('secret-history-scan.yml');
    expect(EXAMPLES).toContain('secret-scan.yml');
  });

  it.each(EXAMPLES)('%s: inputs and outputs exist, actions are pinned, every job states its permissions', (file) => {
    const wf = workflow(file);
    expect(wf.name, file).toBeTruthy();
    const problems: string[] = [];
    for (const [name, job] of Object.entries(wf.jobs)) {
      const where = `${file} job ${name}`;
      problems.push(...stepProblems(job, where));
      const perms = permissionsOf(wf, job);
      if (typeof perms !== 'object') problems.push(`${where}: no permissions block (or a blanket ${String(perms)})`);
      else {
        for (const [scope, level] of Object.entries(perms))
          if (!['read', 'write', 'none'].includes(String(level))) problems.push(`${where}: ${scope}: ${level}`);
        const uploads = job.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
        if (uploads && perms['security-events'] !== 'write') problems.push(`${where}: upload-sarif needs security-events: write`);
        if (!uploads && perms['security-events'] === 'write') problems.push(`${where}: security-events: write without an upload`);
      }
      // Scans of commits or history need the history in the clone.
      const scan = job.steps.find((s) => s.uses?.startsWith(`${OWN}/scan@`));
      const mode = String(scan?.with?.mode ?? 'auto');
      if (scan && mode !== 'tree') {
        const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
        if (checkout?.with?.['fetch-depth'] !== 0)
          problems.push(`${where}: the scan (mode ${mode}) needs actions/checkout with fetch-depth: 0`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('secret-history-scan.yml: weekly and on demand, least privilege, whole history, SARIF to code scanning', () => {
    const wf = workflow('secret-history-scan.yml');
    const schedule = wf.on.schedule as Array<{ cron: string }>;
    expect(schedule).toHaveLength(1);
    // Weekly: a fixed minute, hour and day of week.
    expect(schedule[0]!.cron).toMatch(/^\d{1,2} \d{1,2} \* \* [0-6]$/);
    expect(wf.on).toHaveProperty('workflow_dispatch');
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.permissions).toEqual({ contents: 'read' });
    const [job, ...others] = Object.values(wf.jobs);
    expect(others).toEqual([]);
    expect(job!.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const [checkout, scan, upload] = job!.steps;
    expect(checkout!.uses).toBe('actions/checkout@v5');
    expect(checkout!.with).toMatchObject({ 'fetch-depth': 0 });
    expect(scan).toMatchObject({ id: 'scan', uses: `${OWN}/scan@v1`, with: { mode: 'history' } });
    expect(upload!.uses).toBe('github/codeql-action/upload-sarif@v4');
    expect(upload!.if).toContain('always()');
    expect(upload!.with).toMatchObject({ sarif_file: '${{ steps.scan.outputs.sarif-file }}' });
    // Its own category, so the pull-request check's narrower scans do not close its alerts.
    expect(upload!.with?.category).not.toBe(workflow('secret-scan.yml').jobs.scan!.steps[2]!.with?.category);
  });
});

describe("the README's workflow snippets", () => {
  const blocks = (file: string) =>
    [...readFileSync(path.join(root, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((b) => b.includes('jobs:'));

  it.each(['README.md', 'scan/README.md', 'rotate/README.md'])(
    '%s: parse, and use this repository’s actions as their action.yml allows',
    (file) => {
      const problems: string[] = [];
      for (const [i, block] of blocks(file).entries()) {
        const wf = load(block) as Workflow;
        for (const [name, job] of Object.entries(wf.jobs)) problems.push(...stepProblems(job, `${file} block ${i + 1} job ${name}`));
      }
      expect(problems).toEqual([]);
    },
  );
});
