/**
 * The scanner's public surface: scan a tree, a diff or a string; every mode returns findings with
 * redacted previews and paths relative to the scanned directory.
 */
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { addedLines, type DiffSpec } from './diff.js';
import { type CompiledRules, defaultRules, type Finding } from './engine.js';
import { addStats, emptyStats, type FileEntry, type FileScanOptions, type ScanStats, scanFile, walk } from './files.js';
import { assignFingerprints } from './fingerprint.js';
import { hasBinaryExtension, PathFilter } from './paths.js';
import { defaultWorkerCount, scanOnWorkers, scanWorkersAvailable } from './pool.js';
import { scanText } from './scan-text.js';

export type { Finding } from './engine.js';
export type { ScanStats } from './files.js';

export interface ScanResult {
  findings: Finding[];
  stats: ScanStats;
}

export interface ScanOptions {
  /** Globs (gitignore-like) of paths not to scan. */
  exclude?: readonly string[];
  /** Files larger than this many bytes are skipped. Default 64 MiB. */
  maxFileSize?: number;
  /** Worker threads for tree scans; 0 or 1 = main thread. Default: cores (when a worker script is registered). */
  workers?: number;
  compiled?: CompiledRules;
  /** Prepended to reported paths (several roots in one run). Excludes match the path without it. */
  pathPrefix?: string;
  /**
   * The salt of the baseline to write or apply (`newBaselineSalt()` or `readBaseline().salt`):
   * findings then carry `baselineKey`. Costs one scrypt (~1 ms) per finding; leave unset otherwise.
   */
  baselineSalt?: string;
  logger?: Logger;
}

export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
/** Below this many files a tree is scanned on the main thread: starting workers costs more. */
const WORKER_MIN_FILES = 400;
const BATCH_FILES = 48;

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId),
  );
}

/** Sorts and sets the report fingerprints (they number a file's findings in order). */
function finish(findings: Finding[]): Finding[] {
  return assignFingerprints(sortFindings(findings));
}

/** Scans every file under `root` (or the single file `root`). */
export async function scanTree(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const compiled = options.compiled ?? defaultRules();
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const fileOptions: FileScanOptions = { compiled, maxFileSize, baselineSalt: options.baselineSalt };
  const filter = new PathFilter(options.exclude);
  const stats = emptyStats();
  const { stat } = await import('node:fs/promises');
  const st = await stat(root);
  if (st.isFile()) {
    const rel = (options.pathPrefix ?? '') + path.basename(root);
    const findings = await scanFile({ abs: root, rel }, fileOptions, stats);
    return { findings: finish(findings), stats };
  }
  const workers = options.workers ?? (scanWorkersAvailable() ? defaultWorkerCount() : 1);
  const files = walk(root, filter, stats, options.pathPrefix ?? '');
  if (workers > 1 && scanWorkersAvailable() && !options.compiled) {
    // Peek at the first files: small trees stay on the main thread.
    // Pull with next(): breaking out of for-await would close the walk.
    const head: FileEntry[] = [];
    while (head.length < WORKER_MIN_FILES) {
      const next = await files.next();
      if (next.done) break;
      head.push(next.value);
    }
    if (head.length >= WORKER_MIN_FILES) {
      async function* batches(): AsyncGenerator<FileEntry[]> {
        for (let i = 0; i < head.length; i += BATCH_FILES) yield head.slice(i, i + BATCH_FILES);
        let batch: FileEntry[] = [];
        for (let next = await files.next(); !next.done; next = await files.next()) {
          batch.push(next.value);
          if (batch.length >= BATCH_FILES) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      }
      options.logger?.info(`Scanning on ${workers} worker threads.`);
      const result = await scanOnWorkers(batches(), workers, maxFileSize, options.baselineSalt);
      addStats(stats, result.stats);
      return { findings: finish(result.findings), stats };
    }
    const findings: Finding[] = [];
    for (const f of head) findings.push(...(await scanFile(f, fileOptions, stats)));
    return { findings: finish(findings), stats };
  }
  const findings: Finding[] = [];
  for await (const f of files) findings.push(...(await scanFile(f, fileOptions, stats)));
  return { findings: finish(findings), stats };
}

/** Scans only the lines a change adds. Paths are relative to `cwd`. */
export async function scanDiff(cwd: string, spec: DiffSpec, options: ScanOptions = {}): Promise<ScanResult> {
  const compiled = options.compiled ?? defaultRules();
  const filter = new PathFilter(options.exclude);
  const stats = emptyStats();
  const findings: Finding[] = [];
  for (const file of await addedLines(cwd, spec)) {
    if (filter.excluded(file.path)) {
      stats.excluded++;
      continue;
    }
    if (hasBinaryExtension(file.path)) {
      stats.skippedBinary++;
      continue;
    }
    const text = file.lines.join('\n');
    stats.files++;
    stats.bytes += Buffer.byteLength(text);
    findings.push(...scanText(text, { path: file.path, compiled, lineMap: file.numbers, baselineSalt: options.baselineSalt }));
  }
  return { findings: finish(findings), stats };
}

/** Scans a string (stdin); `name` is the path shown in reports. */
export function scanString(text: string, name: string, options: ScanOptions = {}): ScanResult {
  const compiled = options.compiled ?? defaultRules();
  const stats = emptyStats();
  stats.files = 1;
  stats.bytes = Buffer.byteLength(text);
  return { findings: finish(scanText(text, { path: name, compiled, baselineSalt: options.baselineSalt })), stats };
}
