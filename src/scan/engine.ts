/**
 * The matching core: one keyword pass over the text (an Aho-Corasick automaton over all rule
 * keywords, see prefilter.ts), then each rule's expression only in the
 * windows around its keywords, then structure checks, false-positive filters and inline allow
 * comments. Pure: no I/O, so the same code runs in the CLI, the action and worker threads.
 */
import { looksLikeAzureIdentifiableKey } from './checksum.js';
import { genericRejectReason, isPlaceholder, shannonEntropy } from './filters.js';
import { KeywordAutomaton } from './prefilter.js';
import { RULES, type Rule, type Severity } from './rules.js';
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
  secretGroups: readonly number[];
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

const ALLOW_SAME_LINE = /gitleaks:allow|secretlint-disable-line|pragma:\s*allowlist\s+secret|ass:allow|trufflehog:ignore/;
const ALLOW_NEXT_LINE = /secretlint-disable-next-line|pragma:\s*allowlist\s+nextline\s+secret|ass:allow-next-line/;

function lineBounds(text: string, offset: number, limit = 8192): [number, number] {
  let s = offset;
  const minS = Math.max(0, offset - limit);
  while (s > minS && text.charCodeAt(s - 1) !== 10) s--;
  let e = offset;
  const maxE = Math.min(text.length, offset + limit);
  while (e < maxE && text.charCodeAt(e) !== 10) e++;
  return [s, e];
}

/** True when an inline allow comment covers the line holding `offset`. */
export function isAllowedInline(text: string, offset: number): boolean {
  const [s, e] = lineBounds(text, offset);
  if (ALLOW_SAME_LINE.test(text.slice(s, e))) return true;
  if (s > 0) {
    const [ps, pe] = lineBounds(text, s - 1);
    if (ALLOW_NEXT_LINE.test(text.slice(ps, pe))) return true;
  }
  return false;
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
 * Finds the accepted matches in `text`. `active` switches rules off for this file. Only the
 * keyword windows are searched, never the whole text, so cost follows the keyword density.
 */
export function findMatches(text: string, compiled: CompiledRules, active?: readonly boolean[]): RawMatch[] {
  const { rules, regexes, automaton, keywordRules } = compiled;
  const windows = new Map<number, Array<[number, number]>>();
  const len = text.length;
  automaton.scan(text, (pos, kw) => {
    let lineStart = -1;
    let lineEnd = -1;
    for (const ri of keywordRules[kw]!) {
      if (active && !active[ri]) continue;
      const rule = rules[ri]!;
      if (lineStart < 0) {
        lineStart = pos;
        const minS = Math.max(0, pos - SINGLE_LINE_BEFORE);
        while (lineStart > minS && text.charCodeAt(lineStart - 1) !== 10) lineStart--;
        lineEnd = pos;
        const maxE = Math.min(len, pos + SINGLE_LINE_AFTER);
        while (lineEnd < maxE && text.charCodeAt(lineEnd) !== 10) lineEnd++;
      }
      const start = lineStart;
      const end = rule.multiline ? Math.min(len, pos + MULTILINE_AFTER) : lineEnd;
      let list = windows.get(ri);
      if (!list) {
        list = [];
        windows.set(ri, list);
      }
      const last = list[list.length - 1];
      // Hits arrive by end position, so a window can start before the previous one.
      if (last && start <= last[1]) {
        if (start < last[0]) last[0] = start;
        if (end > last[1]) last[1] = end;
      } else list.push([start, end]);
    }
  });
  const out: RawMatch[] = [];
  for (const [ri, list] of windows) {
    const rule = rules[ri]!;
    const re = regexes[ri]!;
    const group = compiled.secretGroups[ri]!;
    let lastEnd = -1;
    for (const [ws, we] of list) {
      const slice = text.slice(ws, we);
      re.lastIndex = 0;
      for (let m = re.exec(slice); m !== null; m = re.exec(slice)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const secret = m[group];
        const span = m.indices?.[group];
        if (secret === undefined || !span) continue;
        const start = ws + span[0];
        if (start < lastEnd) continue;
        if (rule.lineAnchored && ws + m.index > 0 && text.charCodeAt(ws + m.index - 1) !== 10) continue;
        const name = rule.nameGroup !== undefined ? (m[rule.nameGroup] ?? '') : '';
        if (!acceptSecret(rule, secret, name)) continue;
        if (isAllowedInline(text, ws + m.index)) continue;
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

/** Redacted preview: a few leading characters (the public prefix, at most a fifth of the secret), then asterisks. */
export function redact(secret: string): string {
  const flat = secret.replace(/\\n|\s+/g, '');
  const show = Math.min(flat.indexOf('_') >= 2 && flat.indexOf('_') <= 8 ? flat.indexOf('_') + 1 : 4, Math.floor(flat.length / 5), 12);
  return `${flat.slice(0, Math.max(0, show))}${'*'.repeat(8)}`;
}
