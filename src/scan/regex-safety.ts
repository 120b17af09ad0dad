/**
 * A structural check of regular expressions for the shapes that make V8's backtracking engine
 * take exponential or polynomial time: a repeated group that itself repeats something (`(a+)+`,
 * `(\w+\s?)*`), and two unbounded repetitions side by side that can take the same characters
 * (`.*.*`, `\s*.*`, `\w+\w+`). Custom rules from a config file are refused when they have one; the
 * built-in provider rules are held to the stricter standard of no unbounded repetition at all.
 *
 * It reads the expression's source (JavaScript syntax, without the `v` flag); it is not a
 * complete ReDoS analysis, only a refusal of the shapes that are always dangerous.
 */

export interface RegexShapeProblem {
  kind: 'nested-quantifier' | 'adjacent-unbounded' | 'unbounded';
  /** Offset in the source. */
  at: number;
  message: string;
}

interface Quant {
  min: number;
  max: number;
  at: number;
}

interface Item {
  text: string;
  start: number;
  /** Matches a wide set (`.`, `\S`, `\W`, `\D`, a negated class). */
  broad: boolean;
  quant?: Quant;
  /** Groups: their alternatives, each a sequence. */
  alts?: Item[][];
}

class Parser {
  i = 0;
  readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  alternatives(): Item[][] {
    const alts: Item[][] = [[]];
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (c === ')') break;
      if (c === '|') {
        this.i++;
        alts.push([]);
        continue;
      }
      const item = this.atom();
      item.quant = this.quantifier();
      alts[alts.length - 1]!.push(item);
    }
    return alts;
  }

  private atom(): Item {
    const start = this.i;
    const c = this.src[this.i]!;
    if (c === '(') {
      this.i++;
      if (this.src[this.i] === '?') {
        // (?:  (?=  (?!  (?<=  (?<!  (?<name>
        this.i++;
        if (this.src[this.i] === '<' && this.src[this.i + 1] !== '=' && this.src[this.i + 1] !== '!') {
          const end = this.src.indexOf('>', this.i);
          this.i = end === -1 ? this.src.length : end + 1;
        } else if (this.src[this.i] === '<') this.i += 2;
        else this.i++;
      }
      const alts = this.alternatives();
      if (this.src[this.i] === ')') this.i++;
      return { text: this.src.slice(start, this.i), start, broad: false, alts };
    }
    if (c === '[') {
      this.i++;
      const negated = this.src[this.i] === '^';
      while (this.i < this.src.length && this.src[this.i] !== ']') this.i += this.src[this.i] === '\\' ? 2 : 1;
      this.i++;
      return { text: this.src.slice(start, this.i), start, broad: negated };
    }
    if (c === '\\') {
      const e = this.src[this.i + 1] ?? '';
      this.i += 2;
      if (e === 'u' && this.src[this.i] === '{') this.i = this.src.indexOf('}', this.i) + 1 || this.src.length;
      else if (e === 'u') this.i += 4;
      else if (e === 'x') this.i += 2;
      else if (e === 'c') this.i += 1;
      else if ((e === 'p' || e === 'P') && this.src[this.i] === '{') this.i = this.src.indexOf('}', this.i) + 1 || this.src.length;
      else if (e === 'k' && this.src[this.i] === '<') this.i = this.src.indexOf('>', this.i) + 1 || this.src.length;
      return { text: this.src.slice(start, this.i), start, broad: e === 'S' || e === 'W' || e === 'D' || e === 'P' };
    }
    this.i++;
    return { text: c, start, broad: c === '.' };
  }

  private quantifier(): Quant | undefined {
    const at = this.i;
    const c = this.src[this.i];
    let q: Quant | undefined;
    if (c === '*') q = { min: 0, max: Number.POSITIVE_INFINITY, at };
    else if (c === '+') q = { min: 1, max: Number.POSITIVE_INFINITY, at };
    else if (c === '?') q = { min: 0, max: 1, at };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      this.i += m[0].length - 1;
      q = { min, max, at };
    }
    if (!q) return undefined;
    this.i++;
    if (this.src[this.i] === '?') this.i++;
    return q;
  }
}

/** The problems of an expression's source. `strict`: any repetition without an upper bound is one too. */
export function regexShapeProblems(source: string, options: { strict?: boolean } = {}): RegexShapeProblem[] {
  const problems: RegexShapeProblem[] = [];
  const p = new Parser(source);
  const top = p.alternatives();
  const walk = (seq: Item[], repeatedAround: Item | undefined) => {
    for (let k = 0; k < seq.length; k++) {
      const item = seq[k]!;
      const q = item.quant;
      const repeats = q !== undefined && q.max > 1;
      const unbounded = q !== undefined && q.max === Number.POSITIVE_INFINITY;
      if (unbounded && options.strict) {
        problems.push({
          kind: 'unbounded',
          at: q.at,
          message: `"${item.text}${source.slice(q.at, q.at + 1)}" repeats without an upper bound`,
        });
      }
      if (repeats && repeatedAround) {
        const outerUnbounded = repeatedAround.quant!.max === Number.POSITIVE_INFINITY;
        if (options.strict || unbounded || outerUnbounded) {
          problems.push({
            kind: 'nested-quantifier',
            at: q.at,
            message: `"${item.text}" is repeated inside the repeated group "${repeatedAround.text.slice(0, 40)}"; write the group so each character can be matched one way only`,
          });
        }
      }
      const next = seq[k + 1];
      if (unbounded && next?.quant?.max === Number.POSITIVE_INFINITY && (item.broad || next.broad || item.text === next.text)) {
        problems.push({
          kind: 'adjacent-unbounded',
          at: next.start,
          message: `"${item.text}" and "${next.text}" both repeat without bound and can take the same characters; bound one or make them disjoint`,
        });
      }
      if (item.alts) for (const alt of item.alts) walk(alt, repeats ? item : repeatedAround);
    }
  };
  for (const alt of top) walk(alt, undefined);
  return problems;
}
