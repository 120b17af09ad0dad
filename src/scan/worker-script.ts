/**
 * Which file a scan worker thread starts, and whether this thread is one. Apart from pool.ts so
 * that an entry point can make that check without loading the scanner itself.
 */
import { isMainThread, workerData } from 'node:worker_threads';

/** The workerData key that marks a scan worker. */
export const SCAN_WORKER_FLAG = 'assScanWorker';

let workerScript: string | undefined;

/** Lets this process start scan workers from `script` (a file that calls `runScanWorker` when `isScanWorker()`). */
export function registerScanWorkerScript(script: string | undefined): void {
  workerScript = script;
}

/** The registered worker script, if any. */
export function scanWorkerScript(): string | undefined {
  return workerScript;
}

export function scanWorkersAvailable(): boolean {
  return workerScript !== undefined;
}

/** True inside a scan worker thread. */
export function isScanWorker(): boolean {
  return !isMainThread && typeof workerData === 'object' && workerData !== null && workerData[SCAN_WORKER_FLAG] === true;
}
