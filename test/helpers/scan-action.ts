/** Runs the built scan action the way the runner does: `node dist/actions/scan.js` with INPUT_* env and runner files. */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './scan-git.js';

/** The scan step's stub from this test run's build (global-setup.ts), else the committed dist/. */
export const SCAN_BUNDLE = path.join(process.env.ASS_TEST_DIST ?? path.resolve(import.meta.dirname, '../../dist'), 'actions/scan.js');

export interface RunnerFiles {
  dir: string;
  output: string;
  summary: string;
  event: string;
}

export function runnerFiles(event: unknown): RunnerFiles {
  const dir = tempDir('ass-scan-runner-');
  const files = {
    dir,
    output: path.join(dir, 'output.txt'),
    summary: path.join(dir, 'summary.md'),
    event: path.join(dir, 'event.json'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(event));
  return files;
}

/** Runner-style environment for the action: inputs as INPUT_<NAME>, runner files, event. */
export function actionEnv(files: RunnerFiles, workspace: string, eventName: string, inputs: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'octo/app',
    RUNNER_TEMP: files.dir,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  return env;
}

export function runBundle(env: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SCAN_BUNDLE], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** runBundle without blocking this process's event loop, for a test that serves the step's HTTP calls itself. */
export function runBundleAsync(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCAN_BUNDLE], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Parses GITHUB_OUTPUT's heredoc format into name → value. */
export function readOutputs(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  const out: Record<string, string> = {};
  const re = /^([^<\n]+)<<(ghadelimiter_[^\n]+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]!] = m[3]!;
  return out;
}
