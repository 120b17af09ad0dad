/**
 * Added lines of a change, from local git: `merge-base(BASE, HEAD)..HEAD` for a PR or a range,
 * or the index for a pre-commit hook. Only `+` lines are scanned: a key committed long ago is not
 * this change's fault. (To scan each commit of a range instead of the net change, see commits.ts.)
 *
 * `--text` makes git show every file's lines, so a `.gitattributes` entry marking a file `-diff`
 * or `binary` cannot hide it; genuinely binary content (a NUL in the first 8 KiB of the added
 * bytes, or a binary file extension) is skipped as the file scanner skips it. A file whose added
 * bytes exceed the size cap is skipped and listed as skipped.
 */
import { AppError } from '../core/errors.js';
import type { GitScanOptions, GitScanResult } from './commits.js';
import { emptyStats } from './files.js';
import { gitStream, resolveRange } from './git.js';
import { PatchParser } from './patch.js';
import { hasBinaryExtension, PathFilter } from './paths.js';
import { defaultGitWorkerCount, scanTextBatches } from './pool.js';
import { BatchBuilder, batchesOf, newSecretIdKey } from './texts.js';
import type { SkippedFile } from './types.js';

export { resolveRange } from './git.js';

export type DiffSpec = { kind: 'range'; base: string; head: string } | { kind: 'staged' };

/** Parses `A..B` or `A...B` (both mean: what B adds since it left A). */
export function parseRange(spec: string, option = '--diff'): { base: string; head: string } {
  const m = /^([^.\s-][^\s]*?)\.\.\.?([^.\s-][^\s]*)$/.exec(spec.trim());
  if (!m) {
    throw new AppError(
      'invalid_input',
      `${option} expects BASE..HEAD (for example ${option} origin/main..HEAD), got "${spec.slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}"`,
    );
  }
  return { base: m[1]!, head: m[2]! };
}

/** `git diff` options for the added-lines patch; see the module comment. */
const DIFF_ARGS = [
  'diff',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--text',
  '--unified=0',
  '--relative',
  '-M',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

/** Scans the lines a change adds. Paths are relative to `cwd` (and limited to it). */
export async function scanAddedLines(cwd: string, spec: DiffSpec, options: GitScanOptions): Promise<GitScanResult> {
  const stats = emptyStats();
  const skipped: SkippedFile[] = [];
  const args = [...DIFF_ARGS];
  let head: string | undefined;
  if (spec.kind === 'staged') args.push('--cached');
  else {
    const { from, to } = await resolveRange(cwd, spec.base, spec.head);
    if (from === to) return { findings: [], stats, skipped, head: to };
    args.push(from, to);
    head = to;
  }
  const filter = new PathFilter(options.exclude);
  const builder = new BatchBuilder();
  const parser = new PatchParser({
    maxBytes: options.maxFileSize,
    classify: (p) => (filter.excluded(p) ? 'excluded' : hasBinaryExtension(p) ? 'binary' : undefined),
    onFile: (f) => {
      if (f.skipped === 'excluded') stats.excluded++;
      else if (f.skipped === 'binary') stats.skippedBinary++;
      else if (f.skipped === 'too-large') {
        stats.skippedLarge++;
        skipped.push({ path: f.path, bytes: f.bytes });
      } else {
        stats.files++;
        stats.bytes += f.data.length;
        const contiguous = f.numbers[0] === 1 && f.numbers[f.numbers.length - 1] === f.numbers.length;
        builder.add({ id: 0, path: f.path, ...(contiguous ? {} : { lineMap: f.numbers }) }, [f.data]);
      }
    },
  });
  const diff = gitStream(cwd, [...args, '--'], 'git diff');
  const batches = () =>
    batchesOf(
      diff.stdout as AsyncIterable<Buffer>,
      parser,
      builder,
      () => diff.done,
      () => diff.kill(),
    );

  const results = await scanTextBatches(batches(), {
    workers: options.workers ?? defaultGitWorkerCount(),
    compiled: options.compiled,
    baselineSalt: options.baselineSalt,
    idKey: newSecretIdKey(),
    logger: options.logger,
  });
  await diff.done;
  return { findings: results.map((r) => r.finding), stats, skipped, ...(head ? { head } : {}) };
}
