/**
 * Commit-range scans (`ass scan --commits BASE..HEAD`, the scan action on pull requests and
 * pushes): every commit that HEAD has and BASE lacks, each one's added lines against its parent,
 * from one `git log -p` stream. So a key added in one commit of a pull request and removed in a
 * later one is still found, and reported with the commit that added it.
 *
 * - A merge commit is scanned as a combined diff: only lines new against every parent (an evil
 *   merge, a conflict resolved with new text). What a merge brings in from one parent was added by
 *   that parent's commits, which are in the range or were already in BASE.
 * - Renames (`-M`) add no lines unless the content changed.
 * - `--text`: `.gitattributes` `-diff` or `binary` cannot hide a file; content with a NUL byte in
 *   its first 8 KiB of added bytes, and binary file extensions, are skipped as the file scanner
 *   skips them. A file whose added bytes exceed the size cap is skipped and listed as skipped.
 * - The same secret at the same path, added by several commits (a line edited again, a file
 *   deleted and restored, a commit and its cherry-pick), is reported once: at the earliest commit.
 *   Its baseline key (rule, path, secret) and report fingerprint are those of a tree scan, so
 *   baselines and code scanning alerts carry over.
 */
import { readCommitInfo, readObjects } from './commit-info.js';
import { defaultRules } from './engine.js';
import { emptyStats } from './files.js';
import { assertRangeComplete, gitStream, resolveCommit, shownRev } from './git.js';
import { COMMIT_FORMAT, PatchParser } from './patch.js';
import { hasBinaryExtension, PathFilter } from './paths.js';
import { defaultGitWorkerCount, scanTextBatches } from './pool.js';
import { BatchBuilder, batchesOf, type ItemFinding, newSecretIdKey, scanTextBatch } from './texts.js';
import type { ScanFinding, SkippedFile } from './types.js';

/** Which commits to scan. */
export type CommitSelection =
  /** The commits `head` has and `base` lacks (`git log BASE..HEAD`). */
  | { kind: 'range'; base: string; head: string }
  /**
   * A ref pushed for the first time, or rewritten by a force push whose old tip is gone: the
   * commits of `head` that no other branch, remote branch or tag has. `ref` is the pushed ref
   * (`refs/heads/x` or `refs/tags/x`), left out of that comparison.
   */
  | { kind: 'new-ref'; head: string; ref: string };

/** Options shared with the other scan modes (see ScanOptions in index.ts). */
export interface GitScanOptions {
  exclude?: readonly string[];
  maxFileSize: number;
  workers?: number;
  compiled?: import('./engine.js').CompiledRules;
  baselineSalt?: string;
  logger?: import('../core/logger.js').Logger;
}

export interface GitScanResult {
  findings: ScanFinding[];
  stats: import('./files.js').ScanStats;
  skipped: SkippedFile[];
  /** The commit the tip check compared against (the range's head, or HEAD). */
  head?: string;
  /** The range as a message shows it. */
  range?: string;
}

/** `git log` options for a commit-range patch stream; see the module comment for why each. */
export const LOG_PATCH_ARGS = [
  '-p',
  '-U0',
  '--text',
  '--no-ext-diff',
  '--no-textconv',
  '--no-color',
  '-M',
  '-c',
  '--reverse',
  '--topo-order',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  `--format=${COMMIT_FORMAT}`,
];

function refExclusions(ref: string): string[] {
  const m = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
  const name = m?.[2];
  if (!m || !name) return ['--branches', '--remotes', '--tags'];
  if (m[1] === 'tags') return ['--branches', '--remotes', `--exclude=${name}`, '--tags'];
  return [`--exclude=${name}`, '--branches', `--exclude=*/${name}`, '--remotes', '--tags'];
}

/** Resolves a selection to rev-list arguments (commit ids only, never a user's text) and a label. */
async function selectionRevs(cwd: string, sel: CommitSelection): Promise<{ revs: string[]; head: string; label: string } | undefined> {
  if (sel.kind === 'range') {
    const base = await resolveCommit(cwd, sel.base, 'base');
    const head = await resolveCommit(cwd, sel.head, 'head');
    if (base === head) return undefined;
    return { revs: [head, '--not', base], head, label: `${shownRev(sel.base)}..${shownRev(sel.head)}` };
  }
  const head = await resolveCommit(cwd, sel.head, 'head');
  return { revs: [head, '--not', ...refExclusions(sel.ref)], head, label: `${head.slice(0, 12)} (commits no other branch or tag has)` };
}

/** A secret at a path: what deduplication keeps once. */
function findingKey(r: ItemFinding): string {
  return `${r.finding.ruleId}\0${r.finding.path}\0${r.secretId}`;
}

/** Scans every commit of a selection; paths are relative to `cwd` (and limited to it). */
export async function scanCommits(cwd: string, selection: CommitSelection, options: GitScanOptions): Promise<GitScanResult> {
  const stats = emptyStats();
  const skipped: SkippedFile[] = [];
  const sel = await selectionRevs(cwd, selection);
  if (!sel) return { findings: [], stats, skipped };
  await assertRangeComplete(cwd, sel.revs, sel.label);

  const filter = new PathFilter(options.exclude);
  const commits: string[] = [];
  const items: Array<{ commit: number; path: string }> = [];
  const renames: Array<{ commit: number; from: string; to: string }> = [];
  const builder = new BatchBuilder();
  const parser = new PatchParser({
    maxBytes: options.maxFileSize,
    classify: (p) => (filter.excluded(p) ? 'excluded' : hasBinaryExtension(p) ? 'binary' : undefined),
    onCommit: (c) => {
      commits.push(c.sha);
      stats.commits++;
    },
    onRename: (from, to, commit) => renames.push({ commit, from, to }),
    onFile: (f) => {
      if (f.skipped === 'excluded') stats.excluded++;
      else if (f.skipped === 'binary') stats.skippedBinary++;
      else if (f.skipped === 'too-large') {
        stats.skippedLarge++;
        skipped.push({ path: f.path, bytes: f.bytes, commit: commits[f.commit] });
      } else {
        stats.files++;
        stats.bytes += f.data.length;
        const id = items.push({ commit: f.commit, path: f.path }) - 1;
        // A new file's lines are 1..n: no map needed.
        const contiguous = f.numbers[0] === 1 && f.numbers[f.numbers.length - 1] === f.numbers.length;
        builder.add({ id, path: f.path, ...(contiguous ? {} : { lineMap: f.numbers }) }, [f.data]);
      }
    },
  });
  const log = gitStream(cwd, ['log', ...LOG_PATCH_ARGS, '--relative', ...sel.revs, '--'], 'git log');
  const batches = () =>
    batchesOf(
      log.stdout as AsyncIterable<Buffer>,
      parser,
      builder,
      () => log.done,
      () => log.kill(),
    );

  const idKey = newSecretIdKey();
  const workers = options.workers ?? defaultGitWorkerCount();
  const results = await scanTextBatches(batches(), {
    workers,
    compiled: options.compiled,
    baselineSalt: options.baselineSalt,
    idKey,
    logger: options.logger,
  });
  await log.done;

  // Earliest commit per (rule, path, secret).
  const earliest = new Map<string, number>();
  for (const r of results) {
    const it = items[r.item]!;
    const key = findingKey(r);
    const prev = earliest.get(key);
    if (prev === undefined || it.commit < prev) earliest.set(key, it.commit);
  }
  const kept = results.filter((r) => earliest.get(findingKey(r)) === items[r.item]!.commit);
  const info = await readCommitInfo(cwd, [...new Set(kept.map((r) => commits[items[r.item]!.commit]!))]);
  // Where each finding's file is at the head: renames later in the range move it.
  const headPath = (it: { commit: number; path: string }) => {
    let p = it.path;
    for (const r of renames) if (r.commit > it.commit && r.from === p) p = r.to;
    return p;
  };
  const inHead = await keysAtCommit(cwd, sel.head, [...new Set(kept.map((r) => headPath(items[r.item]!)))], options, idKey);
  const findings = kept.map((r): ScanFinding => {
    const it = items[r.item]!;
    const sha = commits[it.commit]!;
    const commit = info.get(sha) ?? { sha, author: '', date: '', subject: '' };
    const present = inHead.get(headPath(it));
    return { ...r.finding, commit, ...(present ? { inHead: present.has(`${r.finding.ruleId}\0${r.secretId}`) } : {}) };
  });
  return { findings, stats, skipped, head: sel.head, range: sel.label };
}

/**
 * For each path, the (rule, secret id) pairs found in its blob at `commit`: whether a finding is
 * still there. Paths missing at that commit map to an empty set; paths whose blob is over the size
 * cap are left out (unknown).
 */
export async function keysAtCommit(
  cwd: string,
  commit: string,
  paths: readonly string[],
  options: Pick<GitScanOptions, 'maxFileSize' | 'compiled' | 'baselineSalt'>,
  idKey: string,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const names = paths.filter((p) => !/[\n\r]/.test(p));
  if (names.length === 0) return out;
  const objects = await readObjects(
    cwd,
    names.map((p) => `${commit}:./${p}`),
    options.maxFileSize,
  );
  const builder = new BatchBuilder();
  names.forEach((p, id) => {
    const obj = objects.get(`${commit}:./${p}`);
    if (!obj) out.set(p, new Set());
    else if (obj.type === 'blob' && obj.size <= options.maxFileSize) {
      out.set(p, new Set());
      builder.add({ id, path: p }, [obj.data]);
    }
  });
  builder.seal();
  for (const batch of builder.take()) {
    for (const r of scanTextBatch(batch, { compiled: options.compiled ?? defaultRules(), idKey })) {
      out.get(names[r.item]!)?.add(`${r.finding.ruleId}\0${r.secretId}`);
    }
  }
  return out;
}
