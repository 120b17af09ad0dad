/**
 * Worker threads for large trees. A bundle that wants them registers its own file as the worker
 * script (`registerScanWorkerScript(fileURLToPath(import.meta.url))`) and, when started as a
 * worker, calls `runScanWorker()` instead of its normal entry. Without a registered script, scans
 * stay on the main thread, which is also right for diffs and small trees.
 */
import os from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { defaultRules, type Finding } from './engine.js';
import { addStats, emptyStats, type FileEntry, type ScanStats, scanFile } from './files.js';
import { SCAN_WORKER_FLAG, scanWorkerScript } from './worker-script.js';

export { isScanWorker, registerScanWorkerScript, scanWorkersAvailable } from './worker-script.js';

interface BatchMessage {
  files: FileEntry[];
  maxFileSize: number;
  baselineSalt?: string;
}
interface ResultMessage {
  findings: Finding[];
  stats: ScanStats;
  error?: string;
}

/** The worker side: scans the batches it is sent with the built-in rules. */
export function runScanWorker(): void {
  const port = parentPort;
  if (!port) return;
  const compiled = defaultRules();
  port.on('message', (msg: BatchMessage) => {
    void (async () => {
      const stats = emptyStats();
      const findings: Finding[] = [];
      try {
        for (const f of msg.files) {
          findings.push(...(await scanFile(f, { compiled, maxFileSize: msg.maxFileSize, baselineSalt: msg.baselineSalt }, stats)));
        }
        port.postMessage({ findings, stats } satisfies ResultMessage);
      } catch (err) {
        port.postMessage({ findings: [], stats, error: err instanceof Error ? err.message : String(err) } satisfies ResultMessage);
      }
    })();
  });
}

/** Default worker count: the machine's cores, at most 8. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, os.availableParallelism()));
}

/**
 * Scans `files` on `count` workers, pulling batches from an async source so the walk and the scan
 * overlap and memory holds only the batches in flight.
 */
export async function scanOnWorkers(
  batches: AsyncIterable<FileEntry[]>,
  count: number,
  maxFileSize: number,
  baselineSalt?: string,
): Promise<{ findings: Finding[]; stats: ScanStats }> {
  const script = scanWorkerScript();
  if (!script) throw new Error('no scan worker script registered');
  const iterator = batches[Symbol.asyncIterator]();
  const findings: Finding[] = [];
  const stats = emptyStats();
  let nextBusy: Promise<void> = Promise.resolve();
  const pull = async (): Promise<FileEntry[] | undefined> => {
    // Serialise pulls: the walk is one generator.
    const prev = nextBusy;
    let release!: () => void;
    nextBusy = new Promise((r) => (release = r));
    await prev;
    try {
      const n = await iterator.next();
      return n.done ? undefined : n.value;
    } finally {
      release();
    }
  };
  const runOne = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(script, { workerData: { [SCAN_WORKER_FLAG]: true } });
      const feed = async () => {
        const batch = await pull();
        if (!batch) {
          await worker.terminate();
          resolve();
          return;
        }
        worker.postMessage({ files: batch, maxFileSize, baselineSalt } satisfies BatchMessage);
      };
      worker.on('message', (msg: ResultMessage) => {
        if (msg.error) {
          void worker.terminate();
          reject(new Error(`scan worker failed: ${msg.error}`));
          return;
        }
        findings.push(...msg.findings);
        addStats(stats, msg.stats);
        feed().catch(reject);
      });
      worker.on('error', reject);
      feed().catch(reject);
    });
  await Promise.all(Array.from({ length: count }, runOne));
  return { findings, stats };
}
