/**
 * Runs a built action bundle the way the GitHub runner does: inputs as `INPUT_<NAME>` variables
 * (upper-cased, hyphens kept, action.yml defaults filled in), fresh GITHUB_ENV / GITHUB_OUTPUT /
 * GITHUB_STATE / GITHUB_STEP_SUMMARY / GITHUB_PATH files per step, RUNNER_TEMP, and for the post
 * step `STATE_<name>` from the main step's state file plus the env it exported. Reads the file
 * commands back with the runner's rules (`NAME=value` or `NAME<<DELIMITER` heredocs).
 * No vitest import: the benchmark and the demo use it too.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  env: Record<string, string>;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Raw file contents, for "appears nowhere" assertions. */
  files: { env: string; output: string; state: string; summary: string };
  /** Values registered with ::add-mask:: (decoded as the runner decodes them). */
  masks: string[];
  ms: number;
}

/** Parses a file-command file (GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE) as the runner does. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc >= 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const value: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++] as string);
      if (i >= lines.length) throw new Error(`Matching delimiter not found for ${name}`);
      out[name] = value.join('\n');
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`Invalid format: ${line.slice(0, 40)}`);
    }
  }
  return out;
}

/** Input defaults from an action.yml (a small reader for the flat `inputs:` block we write). */
export async function actionDefaults(actionYml: string): Promise<Record<string, string>> {
  const text = await readFile(actionYml, 'utf8');
  const defaults: Record<string, string> = {};
  let inInputs = false;
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) inInputs = line.startsWith('inputs:');
    if (!inInputs) continue;
    const name = /^ {2}([a-z0-9-]+):\s*$/.exec(line);
    if (name) current = name[1];
    const def = /^ {4}default:\s*(.*)$/.exec(line);
    if (def && current) defaults[current] = (def[1] ?? '').replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  }
  return defaults;
}

export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  return env;
}

function decodeMask(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

export interface RunStepOptions {
  script: string;
  inputs: Record<string, string>;
  /** Extra environment (ACTIONS_ID_TOKEN_REQUEST_*, job env...). */
  env?: Record<string, string | undefined>;
  /** STATE_* for a post step. */
  state?: Record<string, string>;
  runnerTemp: string;
  timeoutMs?: number;
}

/** Runs one step (main or post) with `node`, as the runner does, and collects what it wrote. */
export async function runStep(o: RunStepOptions): Promise<StepResult> {
  const dir = await mkdtemp(path.join(o.runnerTemp, '_runner_file_commands-'));
  const files = {
    env: path.join(dir, 'set_env'),
    output: path.join(dir, 'set_output'),
    state: path.join(dir, 'save_state'),
    summary: path.join(dir, 'step_summary'),
    path: path.join(dir, 'add_path'),
  };
  for (const f of Object.values(files)) await writeFile(f, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: o.runnerTemp,
    GITHUB_ENV: files.env,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_PATH: files.path,
    ...inputEnv(o.inputs),
  };
  for (const [k, v] of Object.entries(o.env ?? {})) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(o.state ?? {})) env[`STATE_${k}`] = v;
  const started = performance.now();
  const child = spawn(process.execPath, [o.script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const ms = performance.now() - started;
  const raw = {
    env: await readFile(files.env, 'utf8'),
    output: await readFile(files.output, 'utf8'),
    state: await readFile(files.state, 'utf8'),
    summary: await readFile(files.summary, 'utf8'),
  };
  const masks = stdout
    .split(/\r?\n/)
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => decodeMask(l.slice('::add-mask::'.length)));
  return {
    code,
    stdout,
    stderr,
    env: parseFileCommands(raw.env),
    outputs: parseFileCommands(raw.output),
    state: parseFileCommands(raw.state),
    summary: raw.summary,
    files: raw,
    masks,
    ms,
  };
}

/** stdout without the ::add-mask:: command lines (the runner consumes those; they are never shown). */
export function visibleLog(r: StepResult): string {
  return `${r.stdout
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')}\n${r.stderr}`;
}

export async function makeRunnerTemp(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ass-runner-'));
  await mkdir(dir, { recursive: true });
  return dir;
}
