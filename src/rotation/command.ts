/**
 * The `command` rotator: the operator's own scripts make, test and revoke a value
 * (`./scripts/create-gemini-key.sh`), for providers the built-in rotators do not know.
 *
 * The settings are trusted operator input: `command`, `testCommand` and `revokeCommand` run
 * through `/bin/sh -c` with the rotation's environment, exactly as written in the rotation policy.
 * Whoever may set a policy may therefore run code where rotations run; guard `ass rotation set`
 * accordingly.
 *
 * Values cross only through pipes: the new value is the create command's stdout, and the test and
 * revoke commands read their value from stdin. Not argv, which every local user can read in
 * /proc/<pid>/cmdline and `ps`; not the environment, which child processes inherit and debugging
 * output (`env`, `set -x`, crash reports) tends to print. Stdout is never echoed; stderr goes to
 * the logger line by line, with the value masked and cut out first.
 */
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { oneLine } from '../core/text.js';
import { parseSettingsWith } from './settings.js';
import { type RotateContext, RotationStepError, type Rotator } from './types.js';

type Step = RotationStepError['step'];

/** The most stdout kept from a command: a value, not a dump. */
export const MAX_STDOUT_BYTES = 1024 * 1024;
/** The most stderr logged per command; more is cut (a runaway script should not flood the log). */
const MAX_STDERR_BYTES = 64 * 1024;
/** Shorter lines of a multi-line value are not cut from logs: they would blank out ordinary words. */
const MIN_MASKED_LINE = 4;

const commandField = (example: string) =>
  z
    .string({ error: `give the command as text, such as ${example}.` })
    .min(1, { error: `give a command, such as ${example}.` })
    .max(4096, { error: 'keep the command under 4096 characters; put longer logic in a script.' })
    .refine((s) => !s.includes('\u0000'), { error: 'remove the NUL character from the command.' });

const TIMEOUT_FIX = 'give a whole number of seconds from 1 to 3600, such as 300.';

const schema = z.strictObject(
  {
    command: commandField('./scripts/create-gemini-key.sh'),
    testCommand: commandField('./scripts/test-gemini-key.sh').optional(),
    revokeCommand: commandField('./scripts/revoke-gemini-key.sh').optional(),
    timeoutSeconds: z
      .number({ error: TIMEOUT_FIX })
      .int({ error: TIMEOUT_FIX })
      .min(1, { error: TIMEOUT_FIX })
      .max(3600, { error: TIMEOUT_FIX })
      .default(300),
    cwd: z
      .string({ error: 'give the working directory as a path.' })
      .min(1, { error: 'give a working directory, or leave cwd out.' })
      .optional(),
  },
  { error: 'unknown setting; the command rotator takes command, testCommand, revokeCommand, timeoutSeconds and cwd.' },
);

export type CommandSettings = z.output<typeof schema>;

export interface CommandRotatorDeps {
  /** How long a command has to exit after SIGTERM before its process group gets SIGKILL (default 5 s). */
  killGraceMs?: number;
}

interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  /** Why the command was stopped, when it was. */
  stopped?: 'timeout' | 'aborted' | 'too-much-output';
}

interface RunOptions {
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  stdin: string | undefined;
  timeoutMs: number;
  killGraceMs: number;
  signal: AbortSignal | undefined;
}

/**
 * Runs `command` with `/bin/sh -c` in its own process group, so that a timeout or an abort stops
 * the whole script (its `sleep`s and `curl`s too), not only the shell. Resolves once every pipe
 * has closed; rejects only when the command could not start.
 */
function run(command: string, o: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: o.cwd,
      env: o.env,
      stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let stopped: RunResult['stopped'];
    let graceTimer: NodeJS.Timeout | undefined;

    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const stop = (why: NonNullable<RunResult['stopped']>, hard = false) => {
      if (stopped) return;
      stopped = why;
      killGroup(hard ? 'SIGKILL' : 'SIGTERM');
      if (!hard) graceTimer = setTimeout(() => killGroup('SIGKILL'), o.killGraceMs);
    };
    const timer = setTimeout(() => stop('timeout'), o.timeoutMs);
    const onAbort = () => stop('aborted');
    o.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout!.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_STDOUT_BYTES) stop('too-much-output', true);
      else stdout.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderrBytes < MAX_STDERR_BYTES) stderr.push(chunk.subarray(0, MAX_STDERR_BYTES - stderrBytes));
      stderrBytes += chunk.length;
    });
    if (child.stdin) {
      // A command that exits without reading its stdin closes the pipe under us (EPIPE): its exit
      // code decides, not the write.
      child.stdin.on('error', () => {});
      child.stdin.end(o.stdin);
    }
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      o.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (err) => {
      finish();
      reject(err);
    });
    child.on('close', (code) => {
      finish();
      // The shell may be gone while something it started in the background still runs.
      if (stopped) killGroup('SIGKILL');
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + (stderrBytes > MAX_STDERR_BYTES ? '\n(more stderr cut)' : ''),
        code,
        ...(stopped ? { stopped } : {}),
      });
    });
  });
}

/** The strings to cut from anything logged: the value and each of its longer lines. */
function secretsOf(value: string): string[] {
  const lines = value.split(/\r?\n/).filter((l) => l.trim().length >= MIN_MASKED_LINE);
  return [...new Set([value, value.trim(), ...lines, ...lines.map((l) => l.trim())])]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
}

function cut(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/** Logs a command's stderr line by line, each with its origin and every secret cut out. */
function logStderr(ctx: RotateContext, label: string, stderr: string, secrets: string[]): void {
  const clean = cut(stderr, secrets);
  for (const line of clean.split(/\r?\n/)) if (line.trim()) ctx.logger.info(`${label}: ${oneLine(line)}`);
}

/** The value a create command printed: its stdout without one trailing newline. */
export function valueFromStdout(stdout: string): string {
  if (stdout.endsWith('\r\n')) return stdout.slice(0, -2);
  if (stdout.endsWith('\n')) return stdout.slice(0, -1);
  return stdout;
}

const LABEL: Record<Step, string> = { create: 'command', test: 'testCommand', revoke: 'revokeCommand', after: 'command' };

/** The error for a command that did not succeed; its stderr is already in the log. */
function failure(step: Step, r: RunResult, timeoutSeconds: number): RotationStepError | undefined {
  const name = LABEL[step];
  if (r.stopped === 'timeout') {
    return new RotationStepError(
      step,
      `The ${name} did not finish within ${timeoutSeconds} s and was stopped.`,
      'Make it finish sooner, or raise the setting timeoutSeconds.',
    );
  }
  if (r.stopped === 'aborted') return new RotationStepError(step, `The ${name} was stopped because the rotation was cancelled.`);
  if (r.stopped === 'too-much-output') {
    return new RotationStepError(
      step,
      `The ${name} printed more than ${MAX_STDOUT_BYTES} bytes on stdout and was stopped.`,
      'Print only the new value on stdout; send progress messages to stderr.',
    );
  }
  if (r.code !== 0) {
    return new RotationStepError(
      step,
      `The ${name} exited with code ${r.code ?? 'unknown'} (its stderr, masked, is in the log above).`,
      step === 'test'
        ? 'The new value was not promoted. Fix the cause and rotate again.'
        : 'Fix the cause and rotate again; make the command safe to rerun.',
    );
  }
  return undefined;
}

/** The `command` rotator. */
export function commandRotator(deps: CommandRotatorDeps = {}): Rotator {
  const killGraceMs = deps.killGraceMs ?? 5000;
  const settingsOf = (ctx: RotateContext): CommandSettings => schema.parse(ctx.settings);

  /** Runs one of the policy's commands for `step`; turns a failure to start into a step error. */
  async function runStep(ctx: RotateContext, step: Step, command: string, stdin: string | undefined): Promise<RunResult> {
    const s = settingsOf(ctx);
    ctx.signal?.throwIfAborted();
    try {
      return await run(command, {
        cwd: s.cwd,
        // Never the value: it goes through stdin.
        env: { ...withoutVaultCredentials(ctx.env), ASS_ROTATION_PATH: ctx.path, ASS_ROTATION_ID: ctx.rotationId },
        stdin,
        timeoutMs: s.timeoutSeconds * 1000,
        killGraceMs,
        signal: ctx.signal,
      });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new RotationStepError(
        step,
        `The ${LABEL[step]} could not start${typeof code === 'string' ? ` (${code})` : ''}.`,
        code === 'ENOENT' && s.cwd
          ? 'The working directory (setting cwd) does not exist; fix or remove it.'
          : 'Check that /bin/sh exists and the setting cwd.',
      );
    }
  }

  /** Runs a command that gets `value` on stdin (test, revoke). */
  async function runWithValue(ctx: RotateContext, step: Step, command: string, value: string): Promise<void> {
    ctx.mask(value);
    const r = await runStep(ctx, step, command, value);
    const secrets = secretsOf(value);
    // Its stdout is not the value, but nothing promises it is not secret either: cut and log it like stderr.
    logStderr(ctx, LABEL[step], `${r.stdout}\n${r.stderr}`, secrets);
    const err = failure(step, r, settingsOf(ctx).timeoutSeconds);
    if (err) throw err;
  }

  return {
    name: 'command',
    parseSettings: (raw) => parseSettingsWith('command', schema, raw),

    /** Rerun safety is the command's own: it gets ASS_ROTATION_ID to recognise a rerun. */
    async create(ctx) {
      const s = settingsOf(ctx);
      const r = await runStep(ctx, 'create', s.command, undefined);
      // Mask before anything is logged, even when the command failed: stdout may hold a partial value.
      const value = valueFromStdout(r.stdout);
      const secrets = secretsOf(value);
      for (const secret of secrets) ctx.mask(secret);
      logStderr(ctx, LABEL.create, r.stderr, secrets);
      const err = failure('create', r, s.timeoutSeconds);
      if (err) throw err;
      if (value.trim() === '') {
        throw new RotationStepError(
          'create',
          'The command printed nothing on stdout.',
          'Make the command print the new value (and only it) on stdout; send messages to stderr.',
        );
      }
      return value;
    },

    async test(ctx, value) {
      const s = settingsOf(ctx);
      if (!s.testCommand) {
        ctx.logger.info('No testCommand is set: the new value is promoted untested.');
        return;
      }
      await runWithValue(ctx, 'test', s.testCommand, value);
    },

    async revoke(ctx, previous) {
      const s = settingsOf(ctx);
      if (!s.revokeCommand) {
        ctx.logger.info('No revokeCommand is set: the previous value stays valid at its provider.');
        return;
      }
      await runWithValue(ctx, 'revoke', s.revokeCommand, previous);
    },
  };
}

/**
 * The rotation's environment without the credentials of the run itself (the vault token or agent
 * key, the GitHub token, a master key or database URL): a script makes a value at its provider and
 * needs none of them.
 */
export function withoutVaultCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^(ASS_TOKEN|ASS_AGENT_KEY|ASS_GITHUB_TOKEN|ASS_MASTER_KEY.*|ASS_DATABASE_URL|GITHUB_TOKEN)$/.test(k)) continue;
    out[k] = v;
  }
  return out;
}
