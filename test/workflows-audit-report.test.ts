/**
 * The ready-to-copy workflows in workflows-examples/ hold what our actions accept: every input they
 * pass is one the action declares, every required one is given, every output they read exists. The
 * audit report's workflow is checked more closely (schedule, least privilege, the checkpoint carried
 * between runs, pinned actions), and the README's tables of the audit action match its action.yml.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { AnomalyConfig } from '../src/api/schemas.js';

const root = path.resolve(import.meta.dirname, '..');
const OURS = /^agent-secret-store\/agent-secret-store(\/([a-z]+))?@(.+)$/;

interface ActionYml {
  inputs?: Record<string, { required?: boolean; default?: string }>;
  outputs?: Record<string, unknown>;
}
interface Step {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  run?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>;
}

const yml = async <T>(file: string) => load(await readFile(path.join(root, file), 'utf8')) as T;
const examples = async () => (await readdir(path.join(root, 'workflows-examples'))).filter((f) => f.endsWith('.yml')).sort();

describe('workflows-examples', () => {
  it('pass our actions only inputs they declare, every required one, and read only outputs they have', async () => {
    const files = await examples();
    expect(files).toContain('audit-report.yml');
    let used = 0;
    for (const file of files) {
      const wf = await yml<Workflow>(`workflows-examples/${file}`);
      for (const job of Object.values(wf.jobs)) {
        const ids = new Map<string, ActionYml>();
        for (const step of job.steps) {
          const m = OURS.exec(step.uses ?? '');
          if (!m) continue;
          used++;
          const action = await yml<ActionYml>(m[2] ? `${m[2]}/action.yml` : 'action.yml');
          const declared = Object.keys(action.inputs ?? {});
          for (const key of Object.keys(step.with ?? {})) expect(declared, `${file}: ${step.uses} with ${key}`).toContain(key);
          for (const [name, input] of Object.entries(action.inputs ?? {})) {
            if (input.required) expect(Object.keys(step.with ?? {}), `${file}: ${step.uses} needs ${name}`).toContain(name);
          }
          if (step.id) ids.set(step.id, action);
        }
        const text = JSON.stringify(job);
        for (const [, id, output] of text.matchAll(/steps\.([a-z0-9-]+)\.outputs\.([a-z0-9-]+)/g)) {
          const action = ids.get(id as string);
          if (action) expect(Object.keys(action.outputs ?? {}), `${file}: steps.${id}.outputs.${output}`).toContain(output);
        }
      }
    }
    expect(used).toBeGreaterThanOrEqual(4);
  });

  describe('audit-report.yml', () => {
    it('runs on a schedule and by hand, one run at a time, with the least privilege', async () => {
      const wf = await yml<Workflow>('workflows-examples/audit-report.yml');
      const cron = (wf.on.schedule as { cron: string }[])[0]?.cron as string;
      // Every 15 minutes: four minutes of the hour, 15 apart.
      const minutes = cron.split(' ')[0]?.split(',').map(Number) ?? [];
      expect(minutes).toHaveLength(4);
      expect(minutes.map((m, i) => m - (minutes[0] as number) - 15 * i)).toEqual([0, 0, 0, 0]);
      expect(cron.split(' ').slice(1)).toEqual(['*', '*', '*', '*']);
      expect(wf.on).toHaveProperty('workflow_dispatch');
      expect(wf.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
      expect(Object.values(wf.jobs).every((j) => j.permissions === undefined)).toBe(true);
      expect(wf.concurrency).toMatchObject({ 'cancel-in-progress': false });
    });

    it('carries the checkpoint: restored before the report, saved after it even when it fails, under keys that chain', async () => {
      const wf = await yml<Workflow>('workflows-examples/audit-report.yml');
      const steps = Object.values(wf.jobs)[0]?.steps ?? [];
      const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);
      const restore = at((s) => (s.uses ?? '').startsWith('actions/cache/restore@'));
      const audit = at((s) => OURS.exec(s.uses ?? '')?.[2] === 'audit');
      const save = at((s) => (s.uses ?? '').startsWith('actions/cache/save@'));
      expect(restore).toBeGreaterThanOrEqual(0);
      expect(restore).toBeLessThan(audit);
      expect(audit).toBeLessThan(save);
      const r = steps[restore] as Step;
      const a = steps[audit] as Step;
      const s = steps[save] as Step;
      expect(r.with?.path).toBe(a.with?.['checkpoint-path']);
      expect(s.with?.path).toBe(a.with?.['checkpoint-path']);
      expect(s.if).toBe('always()');
      // Caches are immutable: each run saves under a key of its own, and the next restores the newest by prefix.
      expect(s.with?.key).toBe(r.with?.key);
      expect(String(s.with?.key)).toContain('${{ github.run_id }}');
      expect(String(s.with?.key).startsWith(String(r.with?.['restore-keys']))).toBe(true);
      // The credential comes from a secret, never inline.
      expect(a.with?.['agent-key']).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
      expect(a.with?.['webhook-url']).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
    });

    it('pins every action to a full commit SHA, and prints no vault text into the log', async () => {
      const wf = await yml<Workflow>('workflows-examples/audit-report.yml');
      const steps = Object.values(wf.jobs)[0]?.steps ?? [];
      for (const step of steps.filter((x) => x.uses)) expect(step.uses, step.name).toMatch(/@[0-9a-f]{40}$/);
      // A `run` step echoing a finding's title would let the vault's text start a workflow command.
      for (const step of steps.filter((x) => x.run)) {
        expect(step.run).not.toMatch(/\.title|\.detail|\.subject/);
        expect(step.run).not.toMatch(/\$\{\{/); // outputs reach the shell through env, not the script text
      }
    });

    it('ships an anomaly configuration the vault accepts', async () => {
      const config = JSON.parse(await readFile(path.join(root, 'workflows-examples/audit-anomalies.json'), 'utf8'));
      expect(AnomalyConfig().safeParse(config).success).toBe(true);
    });
  });
});

describe("the README's audit action tables", () => {
  it('list every input and output of audit/action.yml, and nothing else', async () => {
    const action = await yml<ActionYml>('audit/action.yml');
    const readme = await readFile(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The audit action'), readme.indexOf('\n## ', readme.indexOf('## The audit action') + 5));
    const names = (header: string) =>
      [
        ...(section
          .slice(section.indexOf(`| ${header} |`))
          .split('\n\n')[0]
          ?.matchAll(/^\| `([a-z-]+)` \|/gm) ?? []),
      ].map((m) => m[1]);
    expect(names('input').sort()).toEqual(Object.keys(action.inputs ?? {}).sort());
    expect(names('output').sort()).toEqual(Object.keys(action.outputs ?? {}).sort());
    for (const [name, input] of Object.entries(action.inputs ?? {})) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${name}\` |`)) as string;
      if (input.default) expect(row, name).toContain(`\`${input.default}\``);
    }
  });
});
