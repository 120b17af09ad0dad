/**
 * A streaming reader of `git diff -U0` / `git log -p -U0 -c` output that keeps only what the
 * scanner needs: per commit, per file, the added lines and their line numbers in the new file.
 *
 * It reads bytes, not text: with `--text` (which the scanner passes so that `.gitattributes`
 * `-diff` or `binary` cannot hide a file) a line may hold any byte, and only `\n` ends a line (a
 * lone `\r` is content). Hunks are counted, so a content line that looks like a header is never
 * read as one. Merge commits come as combined diffs (`-c`): a line is added by the merge itself
 * only when it is new against every parent (`++`); a line that one parent already had came from
 * that parent's commits. Memory per file is bounded by `maxBytes`: past it the file is marked too
 * large and its lines dropped; the first 8 KiB of a file's added bytes holding a NUL marks it
 * binary, as the file scanner does.
 */
import { unquotePath } from './git.js';

/** The added lines of one file in one commit (or one diff). */
export interface PatchFile {
  /** Index of the commit in the stream (0-based), or -1 for a plain diff. */
  commit: number;
  path: string;
  /** Added lines, each followed by `\n`, as raw bytes (UTF-8 or whatever the file holds). */
  data: Buffer;
  /** `numbers[i]` is the line number in the new file of added line i. */
  numbers: number[];
  /** Added bytes seen, kept or not. */
  bytes: number;
  /** Why the lines were not kept, if they were not. */
  skipped?: 'binary' | 'too-large' | 'excluded';
}

export interface PatchCommit {
  sha: string;
  parents: string[];
}

export interface PatchParserOptions {
  /** A file whose added bytes exceed this is skipped as too large. */
  maxBytes: number;
  /** Decides up front whether a path is skipped (excluded, or binary by its extension). */
  classify?: (path: string) => 'binary' | 'excluded' | undefined;
  onCommit?: (commit: PatchCommit, index: number) => void;
  onFile: (file: PatchFile) => void;
  /** A file moved (`-M`), in the commit with this index; paths as in PatchFile. */
  onRename?: (from: string, to: string, commit: number) => void;
}

/** The line that starts each commit in `git log --format=${COMMIT_FORMAT}` output. */
export const COMMIT_FORMAT = '%x01C %H %P';
const COMMIT_MARK = Buffer.from('\x01C ', 'latin1');

const PLUS = 0x2b;
const MINUS = 0x2d;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const AT = 0x40;
const NL = 0x0a;
const BINARY_SNIFF = 8192;
/** Header lines are short; a longer one outside a hunk is not one we need. */
const MAX_HEADER = 1 << 20;

interface Hunk {
  /** Lines still expected from each parent (one for a plain diff). */
  old: number[];
  newLeft: number;
  next: number;
}

class GrowBuffer {
  buf = Buffer.allocUnsafe(0);
  length = 0;
  append(src: Uint8Array, extra?: number): void {
    const need = this.length + src.length + (extra === undefined ? 0 : 1);
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2, 4096));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    this.buf.set(src, this.length);
    this.length += src.length;
    if (extra !== undefined) this.buf[this.length++] = extra;
  }
}

interface OpenFile {
  path: string;
  out: GrowBuffer;
  numbers: number[];
  bytes: number;
  skipped?: PatchFile['skipped'];
}

export class PatchParser {
  private readonly options: PatchParserOptions;
  private commitIndex = -1;
  private file: OpenFile | undefined;
  private hunk: Hunk | undefined;
  /** Bytes of a line split across chunks. */
  private carry: Buffer[] = [];
  private carryLength = 0;
  /** The current line outgrew what is kept of it; its full length. */
  private overflow = -1;
  private renameFrom: string | undefined;

  constructor(options: PatchParserOptions) {
    this.options = options;
  }

  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NL, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (nl === -1) {
        this.keep(chunk.subarray(pos, end));
        return;
      }
      if (this.carryLength === 0 && this.overflow < 0) this.line(chunk.subarray(pos, end), end - pos);
      else {
        this.keep(chunk.subarray(pos, end));
        const full = this.overflow >= 0 ? this.overflow : this.carryLength;
        const line = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryLength);
        this.carry = [];
        this.carryLength = 0;
        this.overflow = -1;
        this.line(line, full);
      }
      pos = nl + 1;
    }
  }

  /** Flushes the last file. Call once the stream has ended. */
  end(): void {
    if (this.carryLength > 0 || this.overflow >= 0) {
      const full = this.overflow >= 0 ? this.overflow : this.carryLength;
      const line = Buffer.concat(this.carry, this.carryLength);
      this.carry = [];
      this.carryLength = 0;
      this.overflow = -1;
      this.line(line, full);
    }
    this.closeFile();
  }

  private keep(part: Buffer): void {
    // A line longer than a whole file may be is kept only up to that: its file is too large anyway.
    const limit = this.options.maxBytes + MAX_HEADER;
    if (this.overflow >= 0) {
      this.overflow += part.length;
      return;
    }
    if (this.carryLength + part.length > limit) {
      this.overflow = this.carryLength + part.length;
      return;
    }
    this.carry.push(part);
    this.carryLength += part.length;
  }

  private line(line: Buffer, fullLength: number): void {
    if (this.hunk && this.hunkLine(line, fullLength)) return;
    if (line.length > MAX_HEADER) return;
    const c = line[0];
    if (c === 0x01 && line.subarray(0, COMMIT_MARK.length).equals(COMMIT_MARK)) {
      this.closeFile();
      const [sha = '', ...parents] = line.subarray(COMMIT_MARK.length).toString('latin1').trim().split(' ');
      this.commitIndex++;
      this.options.onCommit?.({ sha, parents: parents.filter(Boolean) }, this.commitIndex);
    } else if (c === 0x64 /* d */ && /^diff --(?:git|combined|cc) /.test(line.toString('latin1', 0, 16))) {
      this.closeFile();
    } else if (c === PLUS && line[1] === PLUS && line[2] === PLUS && line[3] === SPACE) {
      this.closeFile();
      const target = line.toString('latin1', 4);
      if (target === '/dev/null') return;
      let p = unquotePath(target);
      if (p.startsWith('b/')) p = p.slice(2);
      this.file = { path: p, out: new GrowBuffer(), numbers: [], bytes: 0, skipped: this.options.classify?.(p) };
    } else if (c === AT && line[1] === AT) {
      this.startHunk(line.toString('latin1'));
    } else if (c === 0x72 /* r */) {
      const text = line.toString('latin1');
      if (text.startsWith('rename from ')) this.renameFrom = unquotePath(text.slice('rename from '.length));
      else if (text.startsWith('rename to ') && this.renameFrom !== undefined) {
        this.options.onRename?.(this.renameFrom, unquotePath(text.slice('rename to '.length)), this.commitIndex);
        this.renameFrom = undefined;
      }
    }
  }

  private startHunk(header: string): void {
    const m = /^(@{2,}) ((?:-\d+(?:,\d+)? )+)\+(\d+)(?:,(\d+))? @/.exec(header);
    if (!m) return;
    const old = m[2]!
      .trim()
      .split(' ')
      .map((part) => {
        const comma = part.indexOf(',');
        return comma === -1 ? 1 : Number(part.slice(comma + 1));
      });
    if (old.length !== m[1]!.length - 1) return;
    const newLeft = m[4] === undefined ? 1 : Number(m[4]);
    if (newLeft === 0 && old.every((n) => n === 0)) return;
    this.hunk = { old, newLeft, next: Number(m[3]) };
  }

  /** One line inside a hunk; false when it is not a hunk line (the hunk ended early). */
  private hunkLine(line: Buffer, fullLength: number): boolean {
    const h = this.hunk!;
    if (line[0] === BACKSLASH) return true; // "\ No newline at end of file"
    const n = h.old.length;
    let removed = false;
    let added = true;
    for (let i = 0; i < n; i++) {
      const c = line[i];
      if (c === MINUS) removed = true;
      else if (c === PLUS) continue;
      else if (c === SPACE) added = false;
      else {
        this.hunk = undefined;
        return false;
      }
    }
    if (removed) {
      for (let i = 0; i < n; i++) if (line[i] === MINUS) h.old[i]!--;
    } else {
      for (let i = 0; i < n; i++) if (line[i] === SPACE) h.old[i]!--;
      h.newLeft--;
      const number = h.next++;
      if (added) this.added(line.subarray(n), fullLength - n, number);
    }
    if (h.newLeft <= 0 && h.old.every((left) => left <= 0)) this.hunk = undefined;
    return true;
  }

  private added(content: Buffer, fullLength: number, number: number): void {
    const f = this.file;
    if (!f) return;
    const before = f.bytes;
    f.bytes += fullLength + 1;
    if (f.skipped) return;
    if (f.bytes > this.options.maxBytes || content.length < fullLength) {
      f.skipped = 'too-large';
      f.out = new GrowBuffer();
      f.numbers = [];
      return;
    }
    if (before < BINARY_SNIFF && content.subarray(0, BINARY_SNIFF - before).includes(0)) {
      f.skipped = 'binary';
      f.out = new GrowBuffer();
      f.numbers = [];
      return;
    }
    f.out.append(content, NL);
    f.numbers.push(number);
  }

  private closeFile(): void {
    this.hunk = undefined;
    const f = this.file;
    this.file = undefined;
    if (!f || f.bytes === 0) return;
    this.options.onFile({
      commit: this.commitIndex,
      path: f.path,
      data: f.out.buf.subarray(0, f.out.length),
      numbers: f.numbers,
      bytes: f.bytes,
      ...(f.skipped ? { skipped: f.skipped } : {}),
    });
  }
}
