import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { type CliDeps, runCli } from '../../src/cli/main.js';

export interface FakeIo extends CliIo {
  out: string[];
  errs: string[];
  readonly stdoutText: string;
  readonly stderrText: string;
}

/** A CliIo that records output; stdin is `input` (or empty). */
export function fakeIo(env: Record<string, string | undefined> = {}, input = '', cwd = process.cwd()): FakeIo {
  const out: string[] = [];
  const errs: string[] = [];
  return {
    out,
    errs,
    stdout: (s) => void out.push(s),
    stderr: (s) => void errs.push(s),
    stdin: Readable.from(input === '' ? [] : [Buffer.from(input)]),
    env: { ...env },
    cwd,
    get stdoutText() {
      return out.join('');
    },
    get stderrText() {
      return errs.join('');
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ass ...args` in-process. */
export async function ass(
  args: string[],
  env: Record<string, string | undefined> = {},
  opts: { input?: string; deps?: CliDeps; cwd?: string } = {},
): Promise<CliResult> {
  const io = fakeIo(env, opts.input ?? '', opts.cwd);
  const code = await runCli(args, io, { client: { retry: { attempts: 1, baseMs: 1, maxMs: 1 } }, ...opts.deps });
  return { code, stdout: io.stdoutText, stderr: io.stderrText };
}
