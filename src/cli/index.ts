import { fileURLToPath } from 'node:url';
import { isScanWorker, registerScanWorkerScript, runScanWorker } from '../scan/pool.js';
import { processIo, runCli } from './main.js';

// The bundle doubles as its own worker-thread script for `ass scan` on large trees.
if (isScanWorker()) runScanWorker();
else {
  registerScanWorkerScript(fileURLToPath(import.meta.url));
  process.exitCode = await runCli(process.argv.slice(2), processIo());
}
