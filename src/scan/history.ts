/**
 * Whole-history scans (`ass scan --history`, the scan action's `mode: history`): every blob
 * reachable from any ref, each scanned once, in parallel, with memory bounded by the batches in
 * flight; then each finding is traced to the commit that introduced it.
 *
 * 1. `git rev-list --all --objects` names every reachable object once (a blob with a path it had)
 *    and counts the commits. `git cat-file --batch-check` gives types and sizes: blobs over the
 *    size cap are listed as skipped, never read. `git cat-file --batch` streams the rest; texts
 *    are packed into batches for the worker threads, blobs over 8 MiB in overlapping chunks. The
 *    three processes run as a pipeline, each paused while the next is busy.
 * 2. Only for blobs with findings: one `git log --all --raw` pass (oldest first, renames
 *    followed, merges as combined diffs) finds where each finding was introduced: a commit whose
 *    new blob holds the secret while none of the blobs it replaced did. A secret that stays in a
 *    file through later edits, or moves with a rename, is reported once, at the commit and path
 *    where it first appeared.
 * 3. Whether each secret is still in HEAD's tree (at any path). One that is not is in history
 *    only: deleting it from the tip did not un-leak it.
 */
import { AppError } from '../core/errors.js';
import { readCommitInfo } from './commit-info.js';
import type { GitScanOptions, GitScanResult } from './commits.js';
import { MAX_WINDOW } from './engine.js';
import { emptyStats } from './files.js';
import { assertRepository, FETCH_DEPTH_FIX, git, gitStream, isShallow, lineBatches, repoPrefix, unquotePath, writeTo } from './git.js';
import { hasBinaryExtension, looksBinary, PathFilter } from './paths.js';
import { defaultGitWorkerCount, scanTextBatches } from './pool.js';
import { BatchBuilder, batchesOf, type ItemFinding, newSecretIdKey } from './texts.js';
import type { ScanFinding, SkippedFile } from './types.js';

/** Blobs larger than this are scanned in chunks of this size (plus an overlap). */
const CHUNK = 8 * 1024 * 1024;
const SNIFF = 8192;

/** A FIFO without Array.shift's O(n). */
class Queue<T> {
  private items: T[] = [];
  private head = 0;
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

interface PendingBlob {
  sha: string;
  path: string;
  size: number;
}

/**
 * Reads `git cat-file --batch` output and hands each blob to the batch builder: whole when small,
 * in overlapping chunks (with their line offsets) when large; binary blobs (a NUL byte in the first
 * 8 KiB) are dropped.
 */
class BlobReader {
  private header: Buffer[] = [];
  private current: (PendingBlob & { got: number; parts: Buffer[]; partBytes: number; lineOffset: number; binary?: boolean }) | undefined;

  constructor(
    private readonly queue: Queue<PendingBlob>,
    private readonly builder: BatchBuilder,
    private readonly onBlob: (blob: PendingBlob, binary: boolean) => void,
  ) {}

  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const cur = this.current;
      if (cur && cur.got < cur.size) {
        const take = Math.min(cur.size - cur.got, chunk.length - pos);
        this.data(chunk.subarray(pos, pos + take));
        pos += take;
        continue;
      }
      if (cur) {
        // The LF after the object.
        pos++;
        this.finish();
        continue;
      }
      const nl = chunk.indexOf(10, pos);
      if (nl === -1) {
        this.header.push(chunk.subarray(pos));
        return;
      }
      this.header.push(chunk.subarray(pos, nl));
      pos = nl + 1;
      const line = Buffer.concat(this.header).toString('latin1');
      this.header = [];
      const blob = this.queue.shift();
      const m = /^(\S+) blob (\d+)$/.exec(line);
      if (!blob || !m) continue; // "<id> missing"
      this.current = { ...blob, size: Number(m[2]), got: 0, parts: [], partBytes: 0, lineOffset: 0 };
    }
  }

  private data(part: Buffer): void {
    const cur = this.current!;
    cur.got += part.length;
    if (cur.binary === true) return;
    cur.parts.push(part);
    cur.partBytes += part.length;
    if (cur.binary === undefined && (cur.partBytes >= SNIFF || cur.got === cur.size)) {
      cur.binary = looksBinary(Buffer.concat(cur.parts, Math.min(cur.partBytes, SNIFF)).subarray(0, SNIFF));
      if (cur.binary) {
        cur.parts = [];
        cur.partBytes = 0;
        return;
      }
    }
    // A large blob goes out in chunks: each holds CHUNK bytes of its own plus an overlap that the next chunk scans again.
    while (cur.size > CHUNK && cur.partBytes >= CHUNK + MAX_WINDOW && cur.got < cur.size) this.emitChunk(cur, false);
  }

  private emitChunk(cur: NonNullable<BlobReader['current']>, last: boolean): void {
    const all = Buffer.concat(cur.parts, cur.partBytes);
    const own = last ? all.length : CHUNK;
    this.builder.add(
      {
        id: 0,
        tag: cur.sha,
        path: cur.path,
        lineOffset: cur.lineOffset,
        ...(last ? {} : { acceptBefore: own }),
      },
      [last ? all : all.subarray(0, CHUNK + MAX_WINDOW)],
    );
    if (last) return;
    for (let i = all.indexOf(10); i !== -1 && i < own; i = all.indexOf(10, i + 1)) cur.lineOffset++;
    const rest = all.subarray(own);
    cur.parts = [rest];
    cur.partBytes = rest.length;
  }

  private finish(): void {
    const cur = this.current!;
    this.current = undefined;
    const binary = cur.binary === true;
    if (!binary) {
      if (cur.size > CHUNK) this.emitChunk(cur, true);
      else this.builder.add({ id: 0, tag: cur.sha, path: cur.path }, cur.parts);
    }
    this.onBlob(cur, binary);
  }

  end(): void {
    if (this.current && this.current.got === this.current.size) this.finish();
  }
}

/** Scans every blob reachable from any ref; paths are relative to `cwd` (and limited to it). */
export async function scanHistory(cwd: string, options: GitScanOptions): Promise<GitScanResult> {
  await assertRepository(cwd);
  if (await isShallow(cwd)) {
    throw new AppError(
      'invalid_input',
      `this clone is shallow: a history scan would miss every commit it lacks; ${FETCH_DEPTH_FIX}, then scan again`,
    );
  }
  const prefix = await repoPrefix(cwd);
  const filter = new PathFilter(options.exclude);
  const stats = emptyStats();
  const skipped: SkippedFile[] = [];
  const builder = new BatchBuilder();
  const checkQueue = new Queue<string>();
  const catQueue = new Queue<PendingBlob>();

  const revList = gitStream(cwd, ['rev-list', '--all', '--objects'], 'git rev-list');
  const check = gitStream(cwd, ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)', '--buffer'], 'git cat-file', {
    stdin: true,
  });
  const cat = gitStream(cwd, ['cat-file', '--batch', '--buffer'], 'git cat-file', { stdin: true });
  const kill = () => {
    revList.kill();
    check.kill();
    cat.kill();
  };

  // Stage 1: rev-list's objects → ids to check. (Not `--filter=object:type=blob`: git 2.39 leaves
  // some blobs and commits out of its output with it.)
  const listing = (async () => {
    try {
      for await (const lines of lineBatches(revList.stdout)) {
        let out = '';
        for (const line of lines) {
          const space = line.indexOf(' ');
          if (space === -1) {
            if (line !== '') stats.commits++;
            continue;
          }
          out += `${line.slice(0, space)}\n`;
          checkQueue.push(line.slice(space + 1));
        }
        if (out !== '') await writeTo(check.stdin, out);
      }
      await revList.done;
    } finally {
      check.stdin.end();
    }
  })();
  // Stage 2: types and sizes → blobs to read; blobs over the size cap are listed as skipped.
  const sizing = (async () => {
    try {
      for await (const lines of lineBatches(check.stdout)) {
        let out = '';
        for (const line of lines) {
          const name = checkQueue.shift();
          const m = /^(\S+) (\S+) (\d+)$/.exec(line);
          if (name === undefined || !m || m[2] !== 'blob') continue;
          const sha = m[1]!;
          // A blob a tag points at directly has no path.
          let p = name !== '' ? Buffer.from(name, 'latin1').toString('utf8') : `(blob ${sha.slice(0, 12)})`;
          if (prefix !== '') {
            if (!p.startsWith(prefix)) continue;
            p = p.slice(prefix.length);
          }
          const size = Number(m[3]);
          if (filter.excluded(p)) stats.excluded++;
          else if (hasBinaryExtension(p)) stats.skippedBinary++;
          else if (size > options.maxFileSize) {
            stats.skippedLarge++;
            skipped.push({ path: p, bytes: size, blob: sha });
          } else {
            out += `${sha}\n`;
            catQueue.push({ sha, path: p, size });
          }
        }
        if (out !== '') await writeTo(cat.stdin, out);
      }
      await check.done;
    } finally {
      cat.stdin.end();
    }
  })();
  const feeding = Promise.all([listing, sizing]);
  feeding.catch(() => {});

  const reader = new BlobReader(catQueue, builder, (blob, binary) => {
    if (binary) stats.skippedBinary++;
    else {
      stats.files++;
      stats.bytes += blob.size;
    }
  });
  // Stage 3: contents → batches, pulled by the scanner.
  const batches = () =>
    batchesOf(
      cat.stdout as AsyncIterable<Buffer>,
      reader,
      builder,
      async () => {
        await feeding;
        await cat.done;
      },
      kill,
    );

  const idKey = newSecretIdKey();
  const workers = options.workers ?? defaultGitWorkerCount();
  let results: ItemFinding[];
  try {
    results = await scanTextBatches(batches(), {
      workers,
      compiled: options.compiled,
      baselineSalt: options.baselineSalt,
      idKey,
      logger: options.logger,
    });
  } finally {
    kill();
  }
  await feeding;

  const byBlob = new Map<string, ItemFinding[]>();
  for (const r of results) {
    const list = byBlob.get(r.tag!);
    if (list) list.push(r);
    else byBlob.set(r.tag!, [r]);
  }
  if (byBlob.size === 0) return { findings: [], stats, skipped, head: await headCommit(cwd) };

  const introduced = await attribute(cwd, byBlob, prefix, filter);
  const head = await headCommit(cwd);
  const tipKeys = head ? await keysInTree(cwd, byBlob) : undefined;
  const info = await readCommitInfo(cwd, [...new Set([...introduced.values()].flatMap((x) => (x.commit ? [x.commit] : [])))]);
  const findings = [...introduced.values()].map(({ result, commit, path }): ScanFinding => {
    const f: ScanFinding = { ...result.finding, path };
    if (commit) f.commit = info.get(commit) ?? { sha: commit, author: '', date: '', subject: '' };
    if (tipKeys) f.inHead = tipKeys.has(`${result.finding.ruleId}\0${result.secretId}`);
    return f;
  });
  return { findings, stats, skipped, ...(head ? { head } : {}) };
}

async function headCommit(cwd: string): Promise<string | undefined> {
  const r = await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * Traces findings to the commits that introduced them (see the module comment). Returns one entry
 * per (rule, path, secret), the earliest; blobs the log never shows (a blob a tag points at
 * directly) are reported without a commit, at the path rev-list gave.
 */
async function attribute(
  cwd: string,
  byBlob: ReadonlyMap<string, ItemFinding[]>,
  prefix: string,
  filter: PathFilter,
): Promise<Map<string, { result: ItemFinding; commit?: string; path: string }>> {
  const out = new Map<string, { result: ItemFinding; commit?: string; path: string }>();
  const keysOf = new Map<string, Set<string>>();
  const blobKeys = (sha: string): Set<string> => {
    let set = keysOf.get(sha);
    if (!set) {
      set = new Set((byBlob.get(sha) ?? []).map((r) => `${r.finding.ruleId}\0${r.secretId}`));
      keysOf.set(sha, set);
    }
    return set;
  };
  const seen = new Set<string>();
  const log = gitStream(
    cwd,
    ['log', '--all', '--reverse', '--topo-order', '--raw', '--no-abbrev', '-M', '--diff-merges=combined', '--format=%x01C %H'],
    'git log',
  );
  let commit = '';
  try {
    for await (const lines of lineBatches(log.stdout)) {
      for (const line of lines) {
        if (line.startsWith('\x01C ')) {
          commit = line.slice(3).trim();
          continue;
        }
        if (!line.startsWith(':')) continue;
        const tab = line.indexOf('\t');
        if (tab === -1) continue;
        const colons = /^:+/.exec(line)![0].length;
        const fields = line.slice(colons, tab).split(' ');
        const shas = fields.slice(colons + 1, 2 * (colons + 1));
        const result = shas[colons];
        if (!result || !byBlob.has(result)) continue;
        seen.add(result);
        const paths = line.slice(tab + 1).split('\t');
        let p = unquotePath(paths[paths.length - 1]!);
        if (prefix !== '') {
          if (!p.startsWith(prefix)) continue;
          p = p.slice(prefix.length);
        }
        if (filter.excluded(p)) continue;
        const parents = shas.slice(0, colons);
        for (const r of byBlob.get(result)!) {
          const k = `${r.finding.ruleId}\0${r.secretId}`;
          if (parents.some((parent) => blobKeys(parent).has(k))) continue;
          const key = `${r.finding.ruleId}\0${p}\0${r.secretId}`;
          if (!out.has(key)) out.set(key, { result: r, commit, path: p });
        }
      }
    }
    await log.done;
  } finally {
    log.kill();
  }
  for (const [sha, list] of byBlob) {
    if (seen.has(sha)) continue;
    for (const r of list) {
      const key = `${r.finding.ruleId}\0${r.finding.path}\0${r.secretId}`;
      if (!out.has(key)) out.set(key, { result: r, path: r.finding.path });
    }
  }
  return out;
}

/** The (rule, secret id) pairs of every finding in a blob of HEAD's tree (below `cwd`). */
async function keysInTree(cwd: string, byBlob: ReadonlyMap<string, ItemFinding[]>): Promise<Set<string>> {
  const keys = new Set<string>();
  const tree = gitStream(cwd, ['ls-tree', '-r', 'HEAD'], 'git ls-tree');
  try {
    for await (const lines of lineBatches(tree.stdout)) {
      for (const line of lines) {
        const sha = line.split('\t', 1)[0]?.split(' ')[2];
        for (const r of (sha && byBlob.get(sha)) || []) keys.add(`${r.finding.ruleId}\0${r.secretId}`);
      }
    }
    await tree.done;
  } finally {
    tree.kill();
  }
  return keys;
}
