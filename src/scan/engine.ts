/**
 * The matching core: one keyword pass over the text (an Aho-Corasick automaton over all rule
 * keywords, see prefilter.ts), then each rule's expression only in the
 * windows around its keywords, then structure checks, false-positive filters and inline allow
 * comments. Pure: no I/O, so the same code runs in the CLI, the action and worker threads.
 */
import { shownText } from '../core/text.js';
import { looksLikeAzureIdentifiableKey } from './checksum.js';
import { genericRejectReason, isPlaceholder, shannonEntropy } from './filters.js';
import { KeywordAutomaton } from './prefilter.js';
import { type GroupRef, RULES, type Rule, type Severity } from './rules.js';
import { blockSuppression } from './suppress.js';

/** A finding: where, which rule, and a redacted preview. It never holds the secret itself. */
export interface Finding {
  ruleId: string;
  description: string;
  provider: string;
  severity: Severity;
  /** Path relative to the scanned directory, `/`-separated. */
  path: string;
  /** 1-based line and column (UTF-16 code units, as editors and GitHub count). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The first few characters of the secret followed by asterisks. */
  preview: string;
  /**
   * Report identity (JSON `fingerprint`, SARIF `partialFingerprints`): a hash of rule, path,
   * preview and occurrence index, never of the secret (see fingerprint.ts). Set once a file's
   * findings are sorted.
   */
  fingerprint: string;
  /** Baseline key, only when the scan was given a baseline salt: scrypt(salt, rule, path, secret). */
  baselineKey?: string;
}

export interface CompiledRules {
  rules: readonly Rule[];
  regexes: readonly RegExp[];
  automaton: KeywordAutomaton;
  /** Keyword index (in the automaton) → indexes of the rules it gates. */
  keywordRules: ReadonlyArray<readonly number[]>;
  secretGroups: readonly GroupRef[];
}

const SINGLE_LINE_BEFORE = 256;
const SINGLE_LINE_AFTER = 768;
const MULTILINE_AFTER = 16_384;
/** The longest window a match can need; chunked reads overlap by this much. */
export const MAX_WINDOW = MULTILINE_AFTER + SINGLE_LINE_BEFORE + 1024;

/** Compiles rules once: keyword alternation plus each rule's global, index-reporting expression. */
export function compileRules(rules: readonly Rule[] = RULES): CompiledRules {
  const direct = new Map<string, Set<number>>();
  rules.forEach((rule, i) => {
    for (const kw of rule.keywords) {
      const k = kw.toLowerCase();
      if (!direct.has(k)) direct.set(k, new Set());
      direct.get(k)!.add(i);
    }
  });
  const keywords = [...direct.keys()];
  const automaton = new KeywordAutomaton(keywords);
  const keywordRules = keywords.map((k) => [...direct.get(k)!].sort((a, b) => a - b));
  const regexes = rules.map((r) => {
    const flags = new Set(r.pattern.flags.replace(/[gyd]/g, '').split(''));
    flags.add('g');
    flags.add('d');
    return new RegExp(r.pattern.source, [...flags].join(''));
  });
  const secretGroups = rules.map((r) => r.secretGroup ?? (new RegExp(`${r.pattern.source}|`).exec('')!.length > 1 ? 1 : 0));
  return { rules, regexes, automaton, keywordRules, secretGroups };
}

let defaultCompiled: CompiledRules | undefined;
export function defaultRules(): CompiledRules {
  defaultCompiled ??= compileRules(RULES);
  return defaultCompiled;
}

const LOCKFILE =
  /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|go\.sum|Cargo\.lock|composer\.lock|Gemfile\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|flake\.lock|packages\.lock\.json|mix\.lock|pubspec\.lock|Podfile\.lock)$/;
const GENERATED = /\.(?:min\.js|min\.css|map|svg|lock)$|(?:^|\/)(?:vendor|third_party)\//;

/** Which rules apply to a path: lockfiles, minified and generated files get provider rules only. */
export function rulesActiveFor(compiled: CompiledRules, path: string): boolean[] {
  const noisy = LOCKFILE.test(path) || GENERATED.test(path);
  return compiled.rules.map((r) => {
    if (r.path && !r.path.test(path)) return false;
    if (r.generic && noisy) return false;
    return true;
  });
}

/** A raw match before positions are turned into lines: offsets into the scanned text. */
export interface RawMatch {
  ruleIndex: number;
  start: number;
  end: number;
  secret: string;
}

// Searched over the whole text once, so `\s` becomes "blank but not a line break": a marker must
// sit on one line, as it did when each line was searched on its own.
const ALLOW_SAME_LINE = /gitleaks:allow|secretlint-disable-line|pragma:[^\S\n]*allowlist[^\S\n]+secret|ass:allow|trufflehog:ignore/g;
const ALLOW_NEXT_LINE = /secretlint-disable-next-line|pragma:[^\S\n]*allowlist[^\S\n]+nextline[^\S\n]+secret|ass:allow-next-line/g;
/** How far along its line from a finding an allow comment may be (lines can be megabytes long). */
const ALLOW_REACH = 8192;

/** Start and end offsets of every match of a global expression, overlapping ones included. */
function spans(re: RegExp, text: string): Int32Array {
  const out: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m.index, m.index + m[0].length);
    re.lastIndex = m.index + 1;
  }
  return Int32Array.from(out);
}

/** How many of the sorted values `a[offset], a[offset + step], ...` are below `x`. */
function countBelow(a: Int32Array, x: number, step = 1, offset = 0): number {
  let lo = 0;
  let hi = Math.ceil((a.length - offset) / step);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid * step + offset]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether one of the (start, end) pairs, sorted by start, lies within [from, to]. */
function spanWithin(pairs: Int32Array, from: number, to: number): boolean {
  // Spans that start in range but end past it all overlap `to`: a few at most.
  for (let i = countBelow(pairs, from, 2) * 2; i < pairs.length && pairs[i]! < to; i += 2) if (pairs[i + 1]! <= to) return true;
  return false;
}

/**
 * The inline allow comments of one text, found in one pass on first use. A finding then costs a few
 * binary searches, however long its line and however many findings share it.
 */
export class AllowComments {
  private same?: Int32Array;
  private next?: Int32Array;
  private newlines?: Int32Array;

  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /**
   * True when an allow comment covers the line holding `offset`: one on that line within
   * ALLOW_REACH of it, or a "next line" one at the end of the line before.
   */
  covers(offset: number): boolean {
    const text = this.text;
    this.same ??= spans(ALLOW_SAME_LINE, text);
    this.next ??= spans(ALLOW_NEXT_LINE, text);
    if (this.same.length === 0 && this.next.length === 0) return false;
    if (!this.newlines) {
      const nl: number[] = [];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) nl.push(i);
      this.newlines = Int32Array.from(nl);
    }
    const k = countBelow(this.newlines, offset);
    const lineStart = k > 0 ? this.newlines[k - 1]! + 1 : 0;
    const lineEnd = k < this.newlines.length ? this.newlines[k]! : text.length;
    if (spanWithin(this.same, Math.max(lineStart, offset - ALLOW_REACH), Math.min(lineEnd, offset + ALLOW_REACH))) return true;
    if (lineStart === 0) return false;
    const prevStart = k > 1 ? this.newlines[k - 2]! + 1 : 0;
    return spanWithin(this.next, Math.max(prevStart, lineStart - 1 - ALLOW_REACH), lineStart - 1);
  }
}

/** True when an inline allow comment covers the line holding `offset` (for one query; findMatches keeps one AllowComments per text). */
export function isAllowedInline(text: string, offset: number): boolean {
  return new AllowComments(text).covers(offset);
}

const CHECKSUMMED_PREFIX = /^(?:gh[pousr]_|npm_|ass_[uatp]_|cf(?:k|ut|at)_)[A-Za-z0-9]/;

/** Whether a candidate secret passes its rule's structure check and false-positive filters. */
export function acceptSecret(rule: Rule, secret: string, name: string): boolean {
  if (rule.validate && !rule.validate(secret)) return false;
  if (rule.generic) {
    // A value in a checksummed format was judged by its own rule; a wrong checksum is no finding.
    if (CHECKSUMMED_PREFIX.test(secret) || looksLikeAzureIdentifiableKey(secret)) return false;
    return genericRejectReason(secret, name, rule.minEntropy ?? 0) === undefined;
  }
  if (!rule.multiline && isPlaceholder(rule.placeholderPart ? rule.placeholderPart(secret) : secret)) return false;
  if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) return false;
  return true;
}

/**
 * The windows each rule's expression runs in: around every hit of one of its keywords, the line
 * (at most SINGLE_LINE_BEFORE before the keyword and SINGLE_LINE_AFTER after it), or for key blocks
 * MULTILINE_AFTER characters. Overlapping windows of one rule are merged, so a rule reads each
 * character at most once, however dense its keywords.
 */
export function keywordWindows(text: string, compiled: CompiledRules, active?: readonly boolean[]): Map<number, Array<[number, number]>> {
  const { rules, automaton, keywordRules } = compiled;
  const windows = new Map<number, Array<[number, number]>>();
  const len = text.length;
  // The line holding the latest hit, found once per line: a keyword every few characters of a
  // megabyte-long line must not each walk to the line's ends.
  let lineStart = 0;
  let lineEnd = -1;
  automaton.scan(text, (pos, kw) => {
    let start = -1;
    let end = -1;
    for (const ri of keywordRules[kw]!) {
      if (active && !active[ri]) continue;
      const rule = rules[ri]!;
      if (start < 0) {
        // Keywords hold no line break and hits come in order of their end, so lines only move on.
        if (pos > lineEnd) {
          lineStart = text.lastIndexOf('\n', pos - 1) + 1;
          lineEnd = text.indexOf('\n', pos);
          if (lineEnd === -1) lineEnd = len;
        }
        start = Math.max(lineStart, pos - SINGLE_LINE_BEFORE);
        end = Math.min(lineEnd, pos + SINGLE_LINE_AFTER);
      }
      const windowEnd = rule.multiline ? Math.min(len, pos + MULTILINE_AFTER) : end;
      let list = windows.get(ri);
      if (!list) {
        list = [];
        windows.set(ri, list);
      }
      const last = list[list.length - 1];
      if (last && start <= last[1]) {
        if (windowEnd > last[1]) last[1] = windowEnd;
        if (start < last[0]) {
          // Hits arrive by end position, so a longer keyword's window can start before the last
          // one, even before the one before that: merge back until windows are apart again.
          last[0] = start;
          while (list.length > 1 && list[list.length - 2]![1] >= last[0]) {
            const prev = list[list.length - 2]!;
            last[0] = Math.min(last[0], prev[0]);
            last[1] = Math.max(last[1], prev[1]);
            list.splice(list.length - 2, 1);
          }
        }
      } else list.push([start, windowEnd]);
    }
  });
  return windows;
}

/**
 * Work a scan did besides running expressions, counted in characters: what tests hold to the
 * length of the text, since no wall clock can show it reliably on a shared machine.
 */
export interface ScanWork {
  /** Characters handed to rule expressions (each rule's windows added up). */
  windowChars: number;
  /** Characters searched for line breaks to number the findings' lines. */
  lineSearch: number;
  /** Characters decoded to count the findings' columns. */
  decoded: number;
}

/**
 * Finds the accepted matches in `text`. `active` switches rules off for this file. Only the
 * keyword windows are searched, never the whole text, so cost follows the keyword density.
 */
export function findMatches(text: string, compiled: CompiledRules, active?: readonly boolean[], work?: ScanWork): RawMatch[] {
  const { rules, regexes } = compiled;
  const windows = keywordWindows(text, compiled, active);
  const out: RawMatch[] = [];
  const allow = new AllowComments(text);
  for (const [ri, list] of windows) {
    const rule = rules[ri]!;
    const re = regexes[ri]!;
    const group = compiled.secretGroups[ri]!;
    let lastEnd = -1;
    for (const [ws, we] of list) {
      if (work) work.windowChars += we - ws;
      const slice = text.slice(ws, we);
      re.lastIndex = 0;
      for (let m = re.exec(slice); m !== null; m = re.exec(slice)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const span = groupSpan(m, group);
        if (!span) continue;
        const secret = slice.slice(span[0], span[1]);
        const start = ws + span[0];
        if (start < lastEnd) continue;
        if (rule.lineAnchored && ws + m.index > 0 && text.charCodeAt(ws + m.index - 1) !== 10) continue;
        const nameSpan = rule.nameGroup !== undefined ? groupSpan(m, rule.nameGroup) : undefined;
        const name = nameSpan ? slice.slice(nameSpan[0], nameSpan[1]) : '';
        if (!acceptSecret(rule, secret, name)) continue;
        if (allow.covers(ws + m.index)) continue;
        lastEnd = ws + span[1];
        // Key blocks are reported at their BEGIN line, where a reader looks.
        out.push({ ruleIndex: ri, start: rule.multiline ? ws + m.index : start, end: ws + span[1], secret });
      }
    }
  }
  out.sort((a, b) => a.start - b.start || a.ruleIndex - b.ruleIndex);
  const kept = dropContained(out);
  const blocked = kept.length > 0 ? blockSuppression(text) : undefined;
  return blocked ? kept.filter((m) => !blocked(m.start, rules[m.ruleIndex]!.id)) : kept;
}

/** Where a group (or the text from one group's start to another's end) lies in the searched text. */
function groupSpan(m: RegExpExecArray, ref: GroupRef): readonly [number, number] | undefined {
  const indices = m.indices;
  if (!indices) return undefined;
  if (typeof ref === 'number') return indices[ref];
  const first = indices[ref[0]];
  const last = indices[ref[1]];
  return first && last ? [first[0], last[1]] : undefined;
}

/** When two rules match overlapping text (a token inside a generic assignment), keep the more specific (earlier) rule. */
function dropContained(matches: RawMatch[]): RawMatch[] {
  const out: RawMatch[] = [];
  for (const m of matches) {
    const prev = out[out.length - 1];
    if (prev && m.start < prev.end) {
      if (m.ruleIndex < prev.ruleIndex) out[out.length - 1] = m;
      continue;
    }
    out.push(m);
  }
  return out;
}

/**
 * Redacted preview: a few leading characters (the public prefix, at most a fifth of the secret), then
 * asterisks. The characters come from the scanned file, so controls, separators and direction
 * overrides among them become `?` here, once, for every report, annotation and comment.
 */
export function redact(secret: string): string {
  const flat = secret.replace(/\\n|\s+/g, '');
  const show = Math.min(flat.indexOf('_') >= 2 && flat.indexOf('_') <= 8 ? flat.indexOf('_') + 1 : 4, Math.floor(flat.length / 5), 12);
  return `${shownText(flat.slice(0, Math.max(0, show)))}${'*'.repeat(8)}`;
}
