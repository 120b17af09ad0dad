/**
 * What a CLI command may touch: its output streams, stdin, environment and working directory.
 * Injected so that tests run commands in-process with fakes.
 */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}
