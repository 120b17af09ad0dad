/** Runs `ass scan` in-process with captured output, for scanner tests. */
import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

export async function runScan(argv: string[], cwd: string, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    stdin: Readable.from([Buffer.from(stdin)]),
    env: {},
    cwd,
  };
  const code = await runCli(['scan', ...argv], io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}
