import { isScanWorker, registerScanWorkerScript, runScanWorker } from '../../scan/pool.js';
import { run } from './run.js';

// The bundle doubles as its own worker-thread script for large trees.
if (isScanWorker()) runScanWorker();
else {
  registerScanWorkerScript(process.argv[1]);
  await run();
}
