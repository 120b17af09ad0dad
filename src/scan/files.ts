/**
 * Reading and scanning files from disk: directory walk, binary and size guards, chunked reads of
 * large files so memory stays bounded by the chunk size, not the file size.
 */
import { closeSync, type Dirent, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { type CompiledRules, type Finding, MAX_WINDOW } from './engine.js';
import { DEFAULT_SKIP_DIRS, hasBinaryExtension, looksBinary, type PathFilter } from './paths.js';
import { scanText } from './scan-text.js';
import type { SkippedFile } from './types.js';

export interface FileEntry {
  abs: string;
  rel: string;
}

export interface ScanStats {
  /** Commits looked at (commit-range and history scans). */
  commits: number;
  /** Files scanned: in diffs, a commit's changes to one file; in history scans, distinct blobs. */
  files: number;
  bytes: number;
  skippedBinary: number;
  skippedLarge: number;
  excluded: number;
}

/** `10MB`, `500KB`, `2g`, `1024` → bytes (KB = 1024 bytes); undefined when it is not a size. */
export function parseByteSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}

export function emptyStats(): ScanStats {
  return { commits: 0, files: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0, excluded: 0 };
}

export function addStats(into: ScanStats, from: ScanStats): void {
  into.commits += from.commits;
  into.files += from.files;
  into.bytes += from.bytes;
  into.skippedBinary += from.skippedBinary;
  into.skippedLarge += from.skippedLarge;
  into.excluded += from.excluded;
}

/** Walks `root`, yielding files to scan; skips `.git/`, `node_modules/`, excluded paths and symlinks. */
export async function* walk(root: string, filter: PathFilter, stats: ScanStats, displayPrefix = ''): AsyncGenerator<FileEntry> {
  const stack: string[] = [''];
  while (stack.length > 0) {
    const relDir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(root, relDir), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const dirs: string[] = [];
    for (const e of entries) {
      const rel = relDir === '' ? e.name : `${relDir}/${e.name}`;
      if (e.isDirectory()) {
        if (DEFAULT_SKIP_DIRS.has(e.name)) continue;
        if (filter.excluded(rel)) {
          stats.excluded++;
          continue;
        }
        dirs.push(rel);
      } else if (e.isFile()) {
        if (filter.excluded(rel)) {
          stats.excluded++;
          continue;
        }
        if (hasBinaryExtension(e.name)) {
          stats.skippedBinary++;
          continue;
        }
        yield { abs: path.join(root, rel), rel: displayPrefix + rel };
      }
    }
    for (let i = dirs.length - 1; i >= 0; i--) stack.push(dirs[i]!);
  }
}

export interface FileScanOptions {
  compiled: CompiledRules;
  /** Files larger than this are skipped (counted in stats). */
  maxFileSize: number;
  /** Files larger than this are read in chunks of this size. */
  chunkSize?: number;
  /** Baseline salt (hex): findings get a `baselineKey`. */
  baselineSalt?: string;
}

const DEFAULT_CHUNK = 8 * 1024 * 1024;

/**
 * Scans one file; returns its findings and adds to `stats`. Reads synchronously: scanning is
 * CPU-bound and runs on worker threads for large trees, and per-file promise round trips through
 * the libuv pool cost more than the reads themselves on trees of small files.
 */
export async function scanFile(file: FileEntry, options: FileScanOptions, stats: ScanStats, skipped?: SkippedFile[]): Promise<Finding[]> {
  return scanFileSync(file, options, stats, skipped);
}

function readFully(fd: number, buf: Buffer, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** Like scanFile; files over the size cap are added to `skipped` when given. */
export function scanFileSync(file: FileEntry, options: FileScanOptions, stats: ScanStats, skipped?: SkippedFile[]): Finding[] {
  let fd: number;
  try {
    fd = openSync(file.abs, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = fstatSync(fd);
    if (size > options.maxFileSize) {
      stats.skippedLarge++;
      skipped?.push({ path: file.rel, bytes: size });
      return [];
    }
    const chunk = Math.max(options.chunkSize ?? DEFAULT_CHUNK, MAX_WINDOW * 2);
    if (size <= chunk) {
      const buf = Buffer.allocUnsafe(size);
      const data = buf.subarray(0, readFully(fd, buf, size, 0));
      if (looksBinary(data)) {
        stats.skippedBinary++;
        return [];
      }
      stats.files++;
      stats.bytes += data.length;
      return scanText(data.toString('latin1'), {
        path: file.rel,
        compiled: options.compiled,
        latin1: true,
        baselineSalt: options.baselineSalt,
      });
    }
    return scanChunked(fd, size, chunk, file, options, stats);
  } finally {
    closeSync(fd);
  }
}

function scanChunked(fd: number, size: number, chunk: number, file: FileEntry, options: FileScanOptions, stats: ScanStats): Finding[] {
  const findings: Finding[] = [];
  const buf = Buffer.allocUnsafe(chunk + MAX_WINDOW);
  let pos = 0;
  let lineOffset = 0;
  let first = true;
  while (pos < size) {
    const got = readFully(fd, buf, Math.min(chunk + MAX_WINDOW, size - pos), pos);
    if (got === 0) break;
    const data = buf.subarray(0, got);
    if (first && looksBinary(data)) {
      stats.skippedBinary++;
      return [];
    }
    first = false;
    const last = pos + got >= size;
    const text = data.toString('latin1');
    const keep = last ? got : Math.min(chunk, got);
    findings.push(
      ...scanText(text, {
        path: file.rel,
        compiled: options.compiled,
        latin1: true,
        baselineSalt: options.baselineSalt,
        lineOffset,
        acceptBefore: last ? undefined : keep,
      }),
    );
    for (let i = text.indexOf('\n'); i !== -1 && i < keep; i = text.indexOf('\n', i + 1)) lineOffset++;
    pos += keep;
    if (last) break;
  }
  stats.files++;
  stats.bytes += size;
  return findings;
}
