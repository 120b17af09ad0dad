/**
 * What a scan reports beyond the engine's findings: which commit introduced a finding, whether it
 * is still in the tip, and what was not scanned.
 */
import type { Finding } from './engine.js';

/** The commit that introduced a finding. Text fields are cleaned of control characters and cut short. */
export interface CommitInfo {
  sha: string;
  author: string;
  /** Author date, ISO 8601 with the author's UTC offset (as `git log --format=%aI`). */
  date: string;
  subject: string;
}

/** A finding as reported: in commit-range and history scans, with the commit that introduced it. */
export interface ScanFinding extends Finding {
  commit?: CommitInfo;
  /**
   * Commit-range and history scans: whether the secret is still in the tip (the range's head, or
   * HEAD for history). False means it was removed later but stays in the repository's history.
   */
  inHead?: boolean;
}

/** A file (or blob, or a commit's change to a file) that was not scanned because of the size cap. */
export interface SkippedFile {
  path: string;
  /** Its size in bytes (for diffs: the added bytes, at least). */
  bytes: number;
  /** Commit-range scans: the commit whose change it was. */
  commit?: string;
  /** History scans: the blob id. */
  blob?: string;
}

/** What a scan looked at. */
export type ScanMode = 'tree' | 'diff' | 'staged' | 'commits' | 'history' | 'stdin';
