/**
 * Worker threads for large scans: files of a tree, or in-memory texts (git blobs, the added lines
 * of commits). A bundle that wants them registers its own file as the worker script
 * (`registerScanWorkerScript(fileURLToPath(import.meta.url))`) and, when started as a worker, calls
 * `runScanWorker()` instead of its normal entry. Without a registered script, scans stay on the
 * main thread, which is also right for small diffs and small trees.
 */
import os from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import type { Logger } from '../core/logger.js';
import { type CompiledRules, defaultRules, type Finding } from './engine.js';
import { addStats, emptyStats, type FileEntry, type ScanStats, scanFile } from './files.js';
import { type ItemFinding, scanTextBatch, type TextBatch } from './texts.js';
import type { SkippedFile } from './types.js';
import { SCAN_WORKER_FLAG, scanWorkerScript, scanWorkersAvailable } from './worker-script.js';

export { isScanWorker, registerScanWorkerScript, scanWorkersAvailable } from './worker-script.js';

type Request =
  | { kind: 'files'; files: FileEntry[]; maxFileSize: number; baselineSalt?: string }
  | { kind: 'texts'; batch: TextBatch; baselineSalt?: string; idKey: string };

type Response =
  | { kind: 'files'; findings: Finding[]; stats: ScanStats; skipped: SkippedFile[] }
  | { kind: 'texts'; results: ItemFinding[] }
  | { kind: 'error'; error: string };

/** The worker side: scans what it is sent with the built-in rules. */
export function runScanWorker(): void {
  const port = parentPort;
  if (!port) return;
  const compiled = defaultRules();
  port.on('message', (msg: Request) => {
    void (async () => {
      try {
        if (msg.kind === 'texts') {
          const results = scanTextBatch(msg.batch, { compiled, baselineSalt: msg.baselineSalt, idKey: msg.idKey });
          port.postMessage({ kind: 'texts', results } satisfies Response);
          return;
        }
        const stats = emptyStats();
        const skipped: SkippedFile[] = [];
        const findings: Finding[] = [];
        for (const f of msg.files) {
          findings.push(...(await scanFile(f, { compiled, maxFileSize: msg.maxFileSize, baselineSalt: msg.baselineSalt }, stats, skipped)));
        }
        port.postMessage({ kind: 'files', findings, stats, skipped } satisfies Response);
      } catch (err) {
        port.postMessage({ kind: 'error', error: err instanceof Error ? err.message : String(err) } satisfies Response);
      }
    })();
  });
}

/** Default worker count: the machine's cores, at most 8. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, os.availableParallelism()));
}

/**
 * Default worker count for git scans: one fewer than for trees, because the main thread has work
 * of its own there (reading git's output and packing it), and so do git's processes. On two cores
 * that is none: measured, the main thread alone was as fast as two workers (docs/scan.md).
 */
export function defaultGitWorkerCount(): number {
  return scanWorkersAvailable() ? Math.max(1, defaultWorkerCount() - 1) : 1;
}

/**
 * Runs `count` workers over `source`, each pulling the next unit as it finishes one, so producing
 * and scanning overlap and memory holds only the units in flight. Any failure stops every worker.
 */
async function onWorkers<T>(
  source: AsyncIterable<T>,
  count: number,
  post: (worker: Worker, unit: T) => void,
  onResult: (msg: Response) => void,
): Promise<void> {
  const script = scanWorkerScript();
  if (!script) throw new Error('no scan worker script registered');
  const iterator = source[Symbol.asyncIterator]();
  const workers: Worker[] = [];
  let failed = false;
  // Read ahead up to one unit per worker, so the source (a directory walk, a git process) keeps
  // producing while every worker is busy, and memory holds at most twice the units in flight.
  const ready: T[] = [];
  const waiting: Array<(unit: T | undefined) => void> = [];
  let done = false;
  let producing = false;
  let sourceError: unknown;
  const produce = async () => {
    if (producing) return;
    producing = true;
    try {
      while (!done && !failed && ready.length < count) {
        const n = await iterator.next();
        if (n.done) done = true;
        else if (waiting.length > 0) waiting.shift()!(n.value);
        else ready.push(n.value);
      }
    } catch (err) {
      sourceError = err;
      done = true;
    } finally {
      producing = false;
    }
    if (done) for (const w of waiting.splice(0)) w(undefined);
  };
  const pull = async (): Promise<T | undefined> => {
    if (sourceError !== undefined) throw sourceError;
    const unit = ready.shift();
    void produce();
    if (unit !== undefined || done) {
      if (unit === undefined && sourceError !== undefined) throw sourceError;
      return unit;
    }
    const next = await new Promise<T | undefined>((resolve) => waiting.push(resolve));
    if (next === undefined && sourceError !== undefined) throw sourceError;
    return next;
  };
  const runOne = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(script, { workerData: { [SCAN_WORKER_FLAG]: true } });
      workers.push(worker);
      const feed = async () => {
        const unit = await pull();
        if (unit === undefined) {
          await worker.terminate();
          resolve();
          return;
        }
        post(worker, unit);
      };
      worker.on('message', (msg: Response) => {
        if (msg.kind === 'error') {
          reject(new Error(`scan worker failed: ${msg.error}`));
          return;
        }
        onResult(msg);
        feed().catch(reject);
      });
      worker.on('error', reject);
      feed().catch(reject);
    });
  try {
    await Promise.all(Array.from({ length: count }, runOne));
  } catch (err) {
    failed = true;
    await Promise.all(workers.map((w) => w.terminate()));
    await iterator.return?.();
    throw err;
  }
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
): Promise<{ findings: Finding[]; stats: ScanStats; skipped: SkippedFile[] }> {
  const findings: Finding[] = [];
  const stats = emptyStats();
  const skipped: SkippedFile[] = [];
  await onWorkers(
    batches,
    count,
    (worker, files) => worker.postMessage({ kind: 'files', files, maxFileSize, baselineSalt } satisfies Request),
    (msg) => {
      if (msg.kind !== 'files') return;
      findings.push(...msg.findings);
      addStats(stats, msg.stats);
      skipped.push(...msg.skipped);
    },
  );
  return { findings, stats, skipped };
}

export interface TextScanRun {
  /** Worker threads to use when the input is large enough; 0 or 1 = main thread. */
  workers: number;
  /** Rules for the main thread; workers always use the built-in rules, so custom rules keep the scan on the main thread. */
  compiled?: CompiledRules;
  baselineSalt?: string;
  idKey: string;
  logger?: Logger;
}

/** Below this many bytes in the first batches, texts are scanned on the main thread: starting workers costs more. */
const TEXT_WORKER_MIN_BYTES = 2 * 1024 * 1024;

/**
 * Scans batches of texts, on workers when there are enough of them (and a worker script is
 * registered), else on the main thread. Batches are pulled as they are scanned, so the producer
 * (a git process) is paused while every worker is busy.
 */
export async function scanTextBatches(source: AsyncIterable<TextBatch>, run: TextScanRun): Promise<ItemFinding[]> {
  const results: ItemFinding[] = [];
  const iterator = source[Symbol.asyncIterator]();
  const useWorkers = run.workers > 1 && scanWorkerScript() !== undefined && run.compiled === undefined;
  const head: TextBatch[] = [];
  let headBytes = 0;
  let ended = false;
  if (useWorkers) {
    // Peek: a small input stays on the main thread.
    while (headBytes < TEXT_WORKER_MIN_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      headBytes += next.value.data.length;
    }
  }
  if (useWorkers && !ended) {
    async function* all(): AsyncGenerator<TextBatch> {
      yield* head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    }
    run.logger?.info(`Scanning on ${run.workers} worker threads.`);
    await onWorkers(
      all(),
      run.workers,
      (worker, batch) =>
        worker.postMessage({ kind: 'texts', batch, baselineSalt: run.baselineSalt, idKey: run.idKey } satisfies Request, [
          batch.data.buffer as ArrayBuffer,
        ]),
      (msg) => {
        if (msg.kind === 'texts') results.push(...msg.results);
      },
    );
    return results;
  }
  const options = { compiled: run.compiled ?? defaultRules(), baselineSalt: run.baselineSalt, idKey: run.idKey };
  for (const batch of head) results.push(...scanTextBatch(batch, options));
  if (!ended)
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) results.push(...scanTextBatch(next.value, options));
  return results;
}
