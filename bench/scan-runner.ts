// Entry of the benchmark's scanner bundle (built by bench/scan.ts with ncc into bench/.corpus/):
// `ass scan` with worker threads enabled, as a standalone process.
import { runCli } from '../src/cli/main.js';
import { isScanWorker, registerScanWorkerScript, runScanWorker } from '../src/scan/pool.js';

if (isScanWorker()) runScanWorker();
else {
  registerScanWorkerScript(process.argv[1]);
  process.exitCode = await runCli(['scan', ...process.argv.slice(2)], {
    stdout: (s: string) => void process.stdout.write(s),
    stderr: (s: string) => void process.stderr.write(s),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
}
