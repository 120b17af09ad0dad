/**
 * A small reader for the regular expressions the scanner's rules use: enough of the syntax to list
 * the character sets a pattern tests, its literal characters, its quantifiers and the literal text
 * a match must start with. The adversarial tests build their inputs from these parts, so a new
 * rule is attacked without anyone writing inputs for it.
 */

export type Node =
  | { kind: 'char'; ch: string }
  | { kind: 'set'; src: string }
  | { kind: 'assert'; src: string }
  | { kind: 'look'; behind: boolean; negative: boolean; alts: Node[][] }
  | { kind: 'group'; capture: boolean; alts: Node[][] }
  | { kind: 'backref'; ref: string }
  | { kind: 'quant'; atom: Node; min: number; max: number; lazy: boolean; src: string };

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };

/** Parses `source` (the syntax the rules use: no unicode sets or class escapes like `\p{...}`). */
export function parseRegex(source: string): Node[][] {
  let i = 0;
  const atom = (): Node => {
    const c = source[i]!;
    if (c === '[') {
      const start = i;
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (source[i] !== ']') {
        if (i >= source.length) throw new Error(`unclosed [ in ${source}`);
        i += source[i] === '\\' ? 2 : 1;
      }
      i++;
      return { kind: 'set', src: source.slice(start, i) };
    }
    if (c === '(') {
      i++;
      let capture = true;
      let look: { behind: boolean; negative: boolean } | undefined;
      if (source[i] === '?') {
        const head = source.slice(i, i + 4);
        if (head.startsWith('?:')) {
          capture = false;
          i += 2;
        } else if (head.startsWith('?<=') || head.startsWith('?<!')) {
          look = { behind: true, negative: head[2] === '!' };
          i += 3;
        } else if (head.startsWith('?=') || head.startsWith('?!')) {
          look = { behind: false, negative: head[1] === '!' };
          i += 2;
        } else if (/^\?<[A-Za-z]/.test(head)) {
          i = source.indexOf('>', i) + 1;
        } else throw new Error(`unsupported group ${head} in ${source}`);
      }
      const alts = alternatives(')');
      i++;
      return look ? { kind: 'look', ...look, alts } : { kind: 'group', capture, alts };
    }
    if (c === '\\') {
      const e = source[i + 1]!;
      i += 2;
      if ('dDsSwW'.includes(e)) return { kind: 'set', src: `\\${e}` };
      if (e === 'b' || e === 'B') return { kind: 'assert', src: `\\${e}` };
      if (/[1-9]/.test(e)) return { kind: 'backref', ref: e };
      if (e === 'k') {
        const end = source.indexOf('>', i);
        const ref = source.slice(i + 1, end);
        i = end + 1;
        return { kind: 'backref', ref };
      }
      if (e === 'x') {
        const hex = source.slice(i, i + 2);
        i += 2;
        return { kind: 'char', ch: String.fromCharCode(Number.parseInt(hex, 16)) };
      }
      if (e === 'u') {
        const hex = source.slice(i, i + 4);
        i += 4;
        return { kind: 'char', ch: String.fromCharCode(Number.parseInt(hex, 16)) };
      }
      return { kind: 'char', ch: SIMPLE_ESCAPES[e] ?? e };
    }
    i++;
    if (c === '.') return { kind: 'set', src: '.' };
    if (c === '^' || c === '$') return { kind: 'assert', src: c };
    return { kind: 'char', ch: c };
  };
  const quantified = (a: Node): Node => {
    const start = i;
    let min: number;
    let max: number;
    const c = source[i];
    if (c === '*') [min, max, i] = [0, Infinity, i + 1];
    else if (c === '+') [min, max, i] = [1, Infinity, i + 1];
    else if (c === '?') [min, max, i] = [0, 1, i + 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return a;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length;
    } else return a;
    const lazy = source[i] === '?';
    if (lazy) i++;
    return { kind: 'quant', atom: a, min, max, lazy, src: source.slice(start, i) };
  };
  const sequence = (end: string): Node[] => {
    const seq: Node[] = [];
    while (i < source.length && source[i] !== '|' && source[i] !== end) seq.push(quantified(atom()));
    return seq;
  };
  const alternatives = (end: string): Node[][] => {
    const alts = [sequence(end)];
    while (source[i] === '|') {
      i++;
      alts.push(sequence(end));
    }
    if (end === ')' && source[i] !== ')') throw new Error(`unclosed ( in ${source}`);
    return alts;
  };
  const top = alternatives('');
  if (i !== source.length) throw new Error(`could not read ${source} past ${i}`);
  return top;
}

/** Every node of the tree, depth first. */
export function* walkNodes(alts: Node[][]): Generator<Node> {
  for (const seq of alts) {
    for (const node of seq) {
      yield node;
      if (node.kind === 'group' || node.kind === 'look') yield* walkNodes(node.alts);
      if (node.kind === 'quant') yield* walkNodes([[node.atom]]);
    }
  }
}

/** The characters probed: ASCII text and whitespace, a few non-ASCII ones, C0/C1 controls. */
export const PROBE_ALPHABET: readonly string[] = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, k) => String.fromCharCode(0x20 + k)),
  '\t',
  '\n',
  '\r',
  '\v',
  '\u0000',
  '\u001b',
  '\u0085',
  '\u00a0',
  '\u00e9',
  '\u2028',
  '\u4e2d',
];

/**
 * Splits the probe alphabet into classes that the pattern cannot tell apart: two characters are in
 * one class when every set in the pattern accepts both or neither and neither is one of the
 * pattern's literal characters (compared as the pattern compares them, case-insensitively under
 * `i`). One character of each class is all a test needs to try.
 */
export function characterClasses(pattern: RegExp): string[][] {
  const flags = pattern.flags.replace(/[gyd]/g, '');
  const tree = parseRegex(pattern.source);
  const tests: RegExp[] = [];
  const seen = new Set<string>();
  for (const node of walkNodes(tree)) {
    let src: string | undefined;
    if (node.kind === 'set') src = node.src;
    else if (node.kind === 'char') src = node.ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    // Assertions tell characters apart too: `\b` word characters, `^` and `$` line breaks.
    else if (node.kind === 'assert') src = node.src === '^' || node.src === '$' ? '[\\n\\r\\u2028\\u2029]' : '\\w';
    if (src === undefined || seen.has(src)) continue;
    seen.add(src);
    tests.push(new RegExp(`^(?:${src})$`, flags));
  }
  const classes = new Map<string, string[]>();
  for (const ch of PROBE_ALPHABET) {
    const signature = tests.map((re) => (re.test(ch) ? '1' : '0')).join('');
    const list = classes.get(signature);
    if (list) list.push(ch);
    else classes.set(signature, [ch]);
  }
  return [...classes.values()];
}

/** A readable member of a class: letters and digits first, then punctuation, then the rest. */
export function representative(cls: readonly string[]): string {
  return (
    cls.find((c) => /[A-Za-z]/.test(c)) ??
    cls.find((c) => /[0-9]/.test(c)) ??
    cls.find((c) => /[!-~]/.test(c)) ??
    cls.find((c) => c === ' ') ??
    cls[0]!
  );
}

/**
 * Literal texts a match must start with (after leading assertions): the pattern's first literal
 * characters, following a group's alternatives; e.g. `\b(ghp_[0-9A-Za-z]{36})` gives `ghp_`.
 */
export function literalPrefixes(pattern: RegExp): string[] {
  const fromSeq = (seq: Node[], at: number): string[] => {
    let text = '';
    for (let k = at; k < seq.length; k++) {
      const node = seq[k]!;
      if (node.kind === 'assert' || node.kind === 'look') {
        if (text === '') continue;
        break;
      }
      if (node.kind === 'char') {
        text += node.ch;
        continue;
      }
      if (node.kind === 'group') {
        const inner = node.alts.flatMap((alt) => fromSeq(alt, 0));
        const rest = fromSeq(seq, k + 1);
        const whole = node.alts.every((alt) => alt.every((n) => n.kind === 'char'));
        if (whole) return inner.flatMap((a) => (rest.length ? rest.map((r) => text + a + r) : [text + a]));
        return inner.map((a) => text + a);
      }
      break;
    }
    return [text];
  };
  const out = parseRegex(pattern.source).flatMap((alt) => fromSeq(alt, 0));
  return [...new Set(out.filter((p) => p.length > 0))];
}

/**
 * The pattern's literal fragments: runs of two or more literal characters (`aws`, `secret`, `:=`,
 * `T3BlbkFJ`), from every alternative, including those inside groups and lookarounds.
 */
export function literalFragments(pattern: RegExp): string[] {
  const out = new Set<string>();
  const visit = (alts: Node[][]) => {
    for (const seq of alts) {
      let run = '';
      const flush = () => {
        if (run.length >= 2) out.add(run);
        run = '';
      };
      for (const node of seq) {
        if (node.kind === 'char') {
          run += node.ch;
          continue;
        }
        flush();
        if (node.kind === 'group' || node.kind === 'look') visit(node.alts);
        if (node.kind === 'quant') visit([[node.atom]]);
      }
      flush();
    }
  };
  visit(parseRegex(pattern.source));
  return [...out];
}
