/**
 * Inputs built to stall a rule, derived from the rule itself: its keywords, the literal text its
 * pattern starts with, its other literal pieces, real matches cut short, and runs of one character
 * from each class of characters its pattern can tell apart (regex-parts.ts). Every input is a line
 * shape taken at a given length and repeated to a given total, so a rule whose cost per line grows
 * faster than the line shows up as a higher cost per character at the longer length.
 */
import type { GroupRef, Rule } from '../../src/scan/rules.js';
import { characterClasses, literalFragments, literalPrefixes, representative } from './regex-parts.js';
import { type PositiveCase, positiveCases } from './scan-cases.js';

export interface AttackShape {
  /** Rule id, shape and the characters involved, for messages. */
  name: string;
  /**
   * `run`: one start then a run as long as the line (its windows are capped: compare short lines).
   * `repeat`: a unit repeated along the line (its windows merge into the line: any length will do,
   * but lines must hold whole matches at both lengths, or the longer one only adds findings).
   */
  kind: 'run' | 'repeat';
  /** The attack as one line of about `length` characters (several when its filler is a line break). */
  line: (length: number) => string;
}

/** Repeats `unit` to at least `length` characters. */
function fill(unit: string, length: number): string {
  return unit.repeat(Math.max(1, Math.ceil(length / unit.length)));
}

function groupStart(m: RegExpExecArray, ref: GroupRef | undefined): number {
  const g = m.indices?.[ref === undefined ? 0 : typeof ref === 'number' ? ref : ref[0]];
  return g ? g[0] : m.index;
}

/**
 * The text of each positive example that the rule matches, from wherever the token starts (some
 * expressions start their match inside the token and look back for its start).
 */
export function exampleMatches(rule: Rule, cases: readonly PositiveCase[] = positiveCases()): string[] {
  const re = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace(/[gyd]/g, '')}d`);
  const out: string[] = [];
  for (const c of cases) {
    if (c.ruleId !== rule.id) continue;
    const m = re.exec(c.text);
    if (!m) continue;
    const start = Math.min(m.index, groupStart(m, rule.secretGroup ?? 0), groupStart(m, rule.nameGroup));
    out.push(c.text.slice(start, m.index + m[0].length));
  }
  return out;
}

/** At most `n` entries spread over `list`, first and last included. */
function spread<T>(list: readonly T[], n: number): T[] {
  if (list.length <= n) return [...list];
  return Array.from({ length: n }, (_, i) => list[Math.round((i * (list.length - 1)) / (n - 1))]!);
}

/**
 * Text that starts a match: the pattern's literal start (or, without one, the keywords), and real
 * matches cut at a third, two thirds and one character short. Many alternatives of one literal
 * (fourteen database schemes) attack alike: four of them, spread over the list, stand for all.
 */
export function nearMissPrefixes(rule: Rule, cases: readonly PositiveCase[] = positiveCases()): string[] {
  const out = new Set<string>();
  const literal = literalPrefixes(rule.pattern);
  const keywords = rule.pattern.flags.includes('i') ? rule.keywords : rule.keywords.flatMap((k) => [k, k.toUpperCase()]);
  for (const p of spread(literal.length > 0 ? literal : keywords, 4)) out.add(p);
  const keyword = new RegExp(rule.keywords.map((k) => k.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|'), 'i');
  for (const m of exampleMatches(rule, cases)) {
    for (const cut of [m.slice(0, Math.max(1, Math.floor(m.length / 3))), m.slice(0, Math.floor((2 * m.length) / 3)), m.slice(0, -1)]) {
      // The expression runs only near a keyword: a cut that lost it gets one in front.
      out.add(keyword.test(cut) ? cut : `${rule.keywords[0]} ${cut}`);
    }
  }
  return [...out];
}

/** One character of each class the pattern tells apart, plus a line break and a space. */
export function fillers(rule: Rule): string[] {
  const reps = new Set(characterClasses(rule.pattern).map(representative));
  reps.add('\n');
  reps.add(' ');
  return [...reps];
}

const show = (s: string) => JSON.stringify(s.length > 24 ? `${s.slice(0, 24)}…` : s);

/** Every attack shape for one rule. */
export function attackShapes(rule: Rule, cases: readonly PositiveCase[] = positiveCases()): AttackShape[] {
  const shapes: AttackShape[] = [];
  const chars = fillers(rule);
  for (const p of nearMissPrefixes(rule, cases)) {
    for (const c of chars) {
      // One start, then a run as long as the line: the cost of a start must not grow with the run.
      shapes.push({ name: `${rule.id}: ${show(p)} then ${show(c)}…`, kind: 'run', line: (n) => p + c.repeat(Math.max(1, n - p.length)) });
      // Starts everywhere (a minified file): the cost of each must not grow with the line either.
      shapes.push({ name: `${rule.id}: (${show(p)} ${show(c)})…`, kind: 'repeat', line: (n) => fill(p + c, n) });
      shapes.push({ name: `${rule.id}: (${show(p)} ${show(c.repeat(24))})…`, kind: 'repeat', line: (n) => fill(p + c.repeat(24), n) });
    }
  }
  // The pattern's literal pieces in turn, each filler between them (`aws-secret-aws-secret-`).
  const pieces = [rule.keywords[0]!, ...literalFragments(rule.pattern)];
  for (const c of chars) {
    const unit = pieces.map((p) => p + c).join('');
    shapes.push({ name: `${rule.id}: (literal pieces ${show(c)})…`, kind: 'repeat', line: (n) => fill(unit, n) });
  }
  // Many real matches on one line: the work for each finding must not grow with the line.
  for (const m of exampleMatches(rule, cases)) {
    for (const sep of [' ', '"']) shapes.push({ name: `${rule.id}: (match ${show(sep)})…`, kind: 'repeat', line: (n) => fill(m + sep, n) });
  }
  return shapes;
}

/** About `total` characters: the attack at `length`, line after line. */
export function attackText(shape: AttackShape, length: number, total: number): string {
  const line = `${shape.line(length)}\n`;
  return line.repeat(Math.max(1, Math.round(total / line.length)));
}
