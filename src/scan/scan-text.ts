/**
 * Turns raw matches in one text into findings: line and column, redacted preview and, with a
 * baseline salt, the baseline key. The report fingerprint is set later, once a file's findings are
 * sorted (`assignFingerprints`).
 */
import { type CompiledRules, type Finding, findMatches, redact, rulesActiveFor, type ScanWork } from './engine.js';
import { baselineKey } from './fingerprint.js';

export interface TextContext {
  /** Path relative to the scanned directory (`/`-separated). */
  path: string;
  compiled: CompiledRules;
  /** The text was decoded as latin1 (one char per byte); columns and secrets are re-decoded as UTF-8. */
  latin1?: boolean;
  /** Lines before this text (chunked reads of large files). */
  lineOffset?: number;
  /** Diff mode: line i (0-based) of the text is line `lineMap[i]` of the file. */
  lineMap?: readonly number[];
  /** Keep only matches starting before this offset (the rest are in the next chunk's overlap). */
  acceptBefore?: number;
  /** Baseline salt (hex): each finding gets `baselineKey` (scrypt; only computed when set). */
  baselineSalt?: string;
  /** Adds up the work done besides running expressions (for tests; see ScanWork). */
  work?: ScanWork;
}

/**
 * Columns in UTF-16 code units of the file as UTF-8 (what editors and GitHub count), for offsets
 * that only move forward: each call decodes only from the previous offset on its line, so many
 * findings on one long line cost the line once, not once each. Text decoded as latin1 holds one
 * byte per character; the count follows the WHATWG UTF-8 decoder that Buffer uses (one U+FFFD per
 * bad sequence), so it equals `Buffer.from(line.slice(0, at), 'latin1').toString('utf8').length`.
 */
export class ColumnCounter {
  /** Characters decoded so far: the work done, which tests hold to the length of the text. */
  decoded = 0;
  private lineStart = -1;
  private at = 0;
  private units = 0;
  private needed = 0;
  private seen = 0;
  private lower = 0x80;
  private upper = 0xbf;

  private readonly text: string;
  private readonly latin1: boolean;

  constructor(text: string, latin1: boolean) {
    this.text = text;
    this.latin1 = latin1;
  }

  /** Code units from `lineStart` to `offset` (offsets on one line must not go back). */
  column(lineStart: number, offset: number): number {
    if (!this.latin1) return offset - lineStart;
    if (lineStart !== this.lineStart || offset < this.at) {
      this.lineStart = lineStart;
      this.at = lineStart;
      this.units = 0;
      this.needed = 0;
      this.seen = 0;
      this.lower = 0x80;
      this.upper = 0xbf;
    }
    const text = this.text;
    this.decoded += offset - this.at;
    for (; this.at < offset; this.at++) this.take(text.charCodeAt(this.at));
    // A sequence cut off at `offset` decodes to one U+FFFD.
    return this.units + (this.needed > 0 ? 1 : 0);
  }

  private take(b: number): void {
    if (this.needed === 0) {
      if (b < 0x80) this.units++;
      else if (b >= 0xc2 && b <= 0xdf) this.needed = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) this.lower = 0xa0;
        if (b === 0xed) this.upper = 0x9f;
        this.needed = 2;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) this.lower = 0x90;
        if (b === 0xf4) this.upper = 0x8f;
        this.needed = 3;
      } else this.units++;
      return;
    }
    if (b < this.lower || b > this.upper) {
      // The bad sequence becomes one U+FFFD and this byte starts afresh.
      this.units++;
      this.needed = 0;
      this.seen = 0;
      this.lower = 0x80;
      this.upper = 0xbf;
      this.take(b);
      return;
    }
    this.lower = 0x80;
    this.upper = 0xbf;
    this.seen++;
    if (this.seen === this.needed) {
      // Four-byte sequences are outside the BMP: two UTF-16 code units.
      this.units += this.needed === 3 ? 2 : 1;
      this.needed = 0;
      this.seen = 0;
    }
  }
}

/**
 * Line numbers (0-based) and line starts for offsets that only move forward: each line break is
 * searched for once, not again from every finding to the end of a long line.
 */
export class LineCursor {
  line = 0;
  lineStart = 0;
  /** Characters searched for line breaks so far: the work done, which tests hold to the length of the text. */
  searched = 0;
  private at = 0;
  /** The first line break at or after `at`, -1 when there is none, -2 before the first search. */
  private newline = -2;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** Moves to `offset`; an offset behind the last one starts over from the top (never needed in order). */
  moveTo(offset: number): void {
    if (offset < this.at) {
      this.line = 0;
      this.lineStart = 0;
      this.at = 0;
      this.newline = -2;
    }
    for (let i = this.nextNewline(this.at); i !== -1 && i < offset; i = this.nextNewline(i + 1)) {
      this.line++;
      this.lineStart = i + 1;
    }
    this.at = offset;
  }

  private nextNewline(from: number): number {
    if (this.newline !== -1 && this.newline < from) {
      this.newline = this.text.indexOf('\n', from);
      this.searched += (this.newline === -1 ? this.text.length : this.newline + 1) - from;
    }
    return this.newline;
  }
}

export function scanText(text: string, ctx: TextContext): Finding[] {
  const active = rulesActiveFor(ctx.compiled, ctx.path);
  const matches = findMatches(text, ctx.compiled, active, ctx.work);
  if (matches.length === 0) return [];
  const latin1 = ctx.latin1 ?? false;
  const out: Finding[] = [];
  // The same secret twice in one text costs one scrypt.
  const keys = new Map<string, string>();
  // Matches are sorted and do not overlap, so starts and ends only move forward: lines and columns
  // cost the text once however many findings share a line.
  const lines = new LineCursor(text);
  const columns = new ColumnCounter(text, latin1);
  for (const m of matches) {
    if (ctx.acceptBefore !== undefined && m.start >= ctx.acceptBefore) continue;
    const rule = ctx.compiled.rules[m.ruleIndex]!;
    lines.moveTo(m.start);
    const startLine = lines.line;
    const column = columns.column(lines.lineStart, m.start) + 1;
    lines.moveTo(m.end);
    const endLine = lines.line;
    const endColumn = columns.column(lines.lineStart, m.end) + 1;
    const secret = latin1 ? Buffer.from(m.secret, 'latin1').toString('utf8') : m.secret;
    const toReal = (l: number) => (ctx.lineMap ? (ctx.lineMap[l] ?? l + 1) : l + 1 + (ctx.lineOffset ?? 0));
    let key: string | undefined;
    if (ctx.baselineSalt !== undefined) {
      const memo = `${rule.id}\0${secret}`;
      key = keys.get(memo);
      if (key === undefined) {
        key = baselineKey(ctx.baselineSalt, rule.id, ctx.path, secret);
        keys.set(memo, key);
      }
    }
    out.push({
      ruleId: rule.id,
      description: rule.description,
      provider: rule.provider,
      severity: rule.severity,
      path: ctx.path,
      line: toReal(startLine),
      column,
      endLine: toReal(endLine),
      endColumn,
      preview: redact(secret),
      fingerprint: '',
      ...(key !== undefined ? { baselineKey: key } : {}),
    });
  }
  if (ctx.work) {
    ctx.work.lineSearch += lines.searched;
    ctx.work.decoded += columns.decoded;
  }
  return out;
}
