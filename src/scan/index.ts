/**
 * The scanner's public surface: scan a tree, a diff, the commits of a range, the whole git
 * history or a string; every mode returns findings with redacted previews and paths relative to
 * the scanned directory.
 */
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { type CommitSelection, type GitScanOptions, scanCommits as scanCommitRange } from './commits.js';
import { type DiffSpec, scanAddedLines } from './diff.js';
import { type CompiledRules, defaultRules } from './engine.js';
import { addStats, emptyStats, type FileEntry, type FileScanOptions, type ScanStats, scanFile, walk } from './files.js';
import { assignFingerprints } from './fingerprint.js';
import { scanHistory as scanGitHistory } from './history.js';
import { PathFilter } from './paths.js';
import { defaultWorkerCount, scanOnWorkers, scanWorkersAvailable } from './pool.js';
import { scanText } from './scan-text.js';
import type { ScanFinding, SkippedFile } from './types.js';

export type { CommitSelection } from './commits.js';
export type { ScanStats } from './files.js';
export type { CommitInfo, ScanFinding, ScanFinding as Finding, ScanMode, SkippedFile } from './types.js';

export interface ScanResult {
  findings: ScanFinding[];
  stats: ScanStats;
  /** Files not scanned because of the size cap. */
  skipped: SkippedFile[];
  /** Git modes: the commit the findings' `inHead` refers to (and the SARIF run's revision). */
  head?: string;
  /** Commit-range mode: the range as messages show it. */
  range?: string;
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

export function sortFindings<T extends ScanFinding>(findings: T[]): T[] {
  return findings.sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId),
  );
}

/** Sorts and sets the report fingerprints (they number a file's findings in order). */
function finish(findings: ScanFinding[]): ScanFinding[] {
  return assignFingerprints(sortFindings(findings));
}

function gitOptions(options: ScanOptions): GitScanOptions {
  return {
    exclude: options.exclude,
    maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    workers: options.workers,
    compiled: options.compiled,
    baselineSalt: options.baselineSalt,
    logger: options.logger,
  };
}

/** Scans every file under `root` (or the single file `root`). */
export async function scanTree(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const compiled = options.compiled ?? defaultRules();
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const fileOptions: FileScanOptions = { compiled, maxFileSize, baselineSalt: options.baselineSalt };
  const filter = new PathFilter(options.exclude);
  const stats = emptyStats();
  const skipped: SkippedFile[] = [];
  const { stat } = await import('node:fs/promises');
  const st = await stat(root);
  if (st.isFile()) {
    const rel = (options.pathPrefix ?? '') + path.basename(root);
    const findings = await scanFile({ abs: root, rel }, fileOptions, stats, skipped);
    return { findings: finish(findings), stats, skipped };
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
      return { findings: finish(result.findings), stats, skipped: result.skipped };
    }
    const findings: ScanFinding[] = [];
    for (const f of head) findings.push(...(await scanFile(f, fileOptions, stats, skipped)));
    return { findings: finish(findings), stats, skipped };
  }
  const findings: ScanFinding[] = [];
  for await (const f of files) findings.push(...(await scanFile(f, fileOptions, stats, skipped)));
  return { findings: finish(findings), stats, skipped };
}

/** Scans only the lines a change adds (the net change, from the merge-base). Paths are relative to `cwd`. */
export async function scanDiff(cwd: string, spec: DiffSpec, options: ScanOptions = {}): Promise<ScanResult> {
  const r = await scanAddedLines(cwd, spec, gitOptions(options));
  return { ...r, findings: finish(r.findings) };
}

/**
 * Scans every commit of a selection (`BASE..HEAD`), each against its parent(s); findings carry the
 * commit that introduced them and whether they are still at the head. Paths are relative to `cwd`.
 */
export async function scanCommits(cwd: string, selection: CommitSelection, options: ScanOptions = {}): Promise<ScanResult> {
  const r = await scanCommitRange(cwd, selection, gitOptions(options));
  return { ...r, findings: finish(r.findings) };
}

/**
 * Scans every blob reachable from any ref once; findings carry the commit that introduced them
 * and whether they are still in HEAD. Paths are relative to `cwd`.
 */
export async function scanHistory(cwd: string, options: ScanOptions = {}): Promise<ScanResult> {
  const r = await scanGitHistory(cwd, gitOptions(options));
  return { ...r, findings: finish(r.findings) };
}

/** Scans a string (stdin); `name` is the path shown in reports. */
export function scanString(text: string, name: string, options: ScanOptions = {}): ScanResult {
  const compiled = options.compiled ?? defaultRules();
  const stats = emptyStats();
  stats.files = 1;
  stats.bytes = Buffer.byteLength(text);
  return { findings: finish(scanText(text, { path: name, compiled, baselineSalt: options.baselineSalt })), stats, skipped: [] };
}
