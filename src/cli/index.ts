import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: (s) => void process.stdout.write(s), stderr: (s) => void process.stderr.write(s), stdin: process.stdin, env: process.env, cwd: process.cwd() });
