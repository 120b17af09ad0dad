/**
 * Scanning texts held in memory (git blobs, the added lines of a commit) in batches that can go to
 * a worker thread in one message: one buffer per batch, items as offsets into it. The same code
 * scans a batch on the main thread or in a worker.
 *
 * Besides the findings, each result carries a `secretId`: an HMAC of the rule and the secret under
 * a random key made for this run (`newSecretIdKey`). It tells two findings of the same secret apart
 * from two of different secrets with the same preview, which deduplication across commits and blob
 * versions needs, and it never leaves the process: reports do not contain it, and the key dies with
 * the run, so it cannot be used to test guesses.
 */
import { createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import type { CompiledRules, Finding } from './engine.js';
import { normalizeSecret } from './fingerprint.js';
import { scanText } from './scan-text.js';

/** Where one text sits in its batch's buffer, and how its lines map to the file's. */
export interface TextItem {
  /** The caller's handle (a commit's file). */
  id: number;
  /** A second handle, echoed in results (a blob id): spares the caller a table of every item. */
  tag?: string;
  /** Path shown in findings; it also selects rules (lockfiles, `.npmrc`...). */
  path: string;
  start: number;
  end: number;
  /** Added-lines texts: line i of the text is line `lineMap[i]` of the file. */
  lineMap?: number[];
  /** A chunk of a large blob: lines before it, and where its own part ends (the rest is overlap). */
  lineOffset?: number;
  acceptBefore?: number;
}

export interface TextBatch {
  /** Owns its ArrayBuffer (never a pooled Buffer slice), so it can be transferred to a worker. */
  data: Uint8Array;
  items: TextItem[];
}

/** A finding of one item, with the run-local identity of its secret. */
export interface ItemFinding {
  item: number;
  tag?: string;
  finding: Finding;
  secretId: string;
}

export interface TextScanOptions {
  compiled: CompiledRules;
  /** Baseline salt (hex): findings get a `baselineKey`. */
  baselineSalt?: string;
  /** Key for `secretId` (hex), from `newSecretIdKey()`. */
  idKey: string;
}

/** A fresh key for this run's secret ids. */
export function newSecretIdKey(): string {
  return randomBytes(32).toString('hex');
}

const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;
const DEFAULT_BATCH_ITEMS = 1024;

/**
 * Packs texts into batches. `add` copies the bytes in; a text larger than a batch gets a batch of
 * its own. Full batches wait in `take()`.
 */
export class BatchBuilder {
  private data: Uint8Array;
  private used = 0;
  private items: TextItem[] = [];
  private ready: TextBatch[] = [];
  /** Bytes and items added so far. */
  bytes = 0;
  count = 0;

  constructor(
    private readonly capacity = DEFAULT_BATCH_BYTES,
    private readonly maxItems = DEFAULT_BATCH_ITEMS,
  ) {
    this.data = new Uint8Array(capacity);
  }

  add(meta: Omit<TextItem, 'start' | 'end'>, parts: readonly Uint8Array[]): void {
    let total = 0;
    for (const p of parts) total += p.length;
    if (this.used + total > this.data.length || this.items.length >= this.maxItems) this.seal();
    if (total > this.data.length) this.data = new Uint8Array(total);
    const start = this.used;
    for (const p of parts) {
      this.data.set(p, this.used);
      this.used += p.length;
    }
    this.items.push({ ...meta, start, end: this.used });
    this.bytes += total;
    this.count++;
  }

  /** Closes the current batch (if it holds anything). */
  seal(): void {
    if (this.items.length === 0) return;
    // The batch owns exactly its bytes: the buffer itself when full, else a copy of the used part.
    const full = this.used === this.data.length;
    this.ready.push({ data: full ? this.data : this.data.slice(0, this.used), items: this.items });
    this.items = [];
    this.used = 0;
    if (full || this.data.length > this.capacity) this.data = new Uint8Array(this.capacity);
  }

  /** Batches completed so far. */
  take(): TextBatch[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }
}

/**
 * The batches a process's output makes: each chunk goes to `parser` (which adds texts to `builder`),
 * and the batches are handed on as they fill; at the end the parser is flushed, the last batch
 * sealed, and `done` awaited (the process's exit status). `stop` always runs, also when the
 * consumer stops early.
 */
export async function* batchesOf(
  output: AsyncIterable<Buffer>,
  parser: { write(chunk: Buffer): void; end(): void },
  builder: BatchBuilder,
  done: () => Promise<unknown>,
  stop: () => void,
): AsyncGenerator<TextBatch> {
  try {
    for await (const chunk of output) {
      parser.write(chunk);
      yield* builder.take();
    }
    parser.end();
    builder.seal();
    yield* builder.take();
    await done();
  } finally {
    stop();
  }
}

function decodeLatin1(data: Uint8Array, start: number, end: number): string {
  return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
}

/** Scans every item of a batch. */
export function scanTextBatch(batch: TextBatch, options: TextScanOptions): ItemFinding[] {
  const out: ItemFinding[] = [];
  let key: KeyObject | undefined;
  for (const item of batch.items) {
    const text = decodeLatin1(batch.data, item.start, item.end);
    const findings = scanText(text, {
      path: item.path,
      compiled: options.compiled,
      latin1: true,
      lineMap: item.lineMap,
      lineOffset: item.lineOffset,
      acceptBefore: item.acceptBefore,
      baselineSalt: options.baselineSalt,
    });
    if (findings.length === 0) continue;
    key ??= createSecretKey(Buffer.from(options.idKey, 'hex'));
    const ids = secretIds(text, item, findings, key);
    findings.forEach((finding, i) => {
      out.push({ item: item.id, ...(item.tag ? { tag: item.tag } : {}), finding, secretId: ids[i]! });
    });
  }
  return out;
}

/**
 * The secret ids of `findings` in `text`: the text between each finding's start and end position
 * (1-based lines, UTF-16 columns of the UTF-8 decoded line), whitespace removed, keyed.
 */
function secretIds(text: string, item: TextItem, findings: readonly Finding[], idKey: KeyObject): string[] {
  const lines = text.split('\n');
  let byNumber: Map<number, number> | undefined;
  const indexOf = (line: number): number => {
    if (item.lineMap) {
      byNumber ??= new Map(item.lineMap.map((n, i) => [n, i]));
      return byNumber.get(line) ?? -1;
    }
    return line - 1 - (item.lineOffset ?? 0);
  };
  const decoded = (i: number) => Buffer.from(lines[i] ?? '', 'latin1').toString('utf8');
  return findings.map((f) => {
    const si = indexOf(f.line);
    const ei = indexOf(f.endLine);
    let span: string;
    if (si < 0 || ei < si) span = `${f.line}:${f.column}`;
    else if (si === ei) span = decoded(si).slice(f.column - 1, f.endColumn - 1);
    else {
      const parts = [decoded(si).slice(f.column - 1)];
      for (let i = si + 1; i < ei; i++) parts.push(decoded(i));
      parts.push(decoded(ei).slice(0, f.endColumn - 1));
      span = parts.join('\n');
    }
    return createHmac('sha256', idKey)
      .update(`${f.ruleId}\0${normalizeSecret(span)}`)
      .digest('hex')
      .slice(0, 32);
  });
}
