// Entry of the benchmark's scanner bundle (built by bench/scan.ts with ncc into bench/.corpus/):
// `ass scan` with worker threads enabled, as a standalone process.
import { runScanCommand } from '../src/cli/scan.js';
import { isScanWorker, registerScanWorkerScript, runScanWorker } from '../src/scan/pool.js';

if (isScanWorker()) runScanWorker();
else {
  registerScanWorkerScript(process.argv[1]);
  process.exitCode = await runScanCommand(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
}
