/**
 * Aho-Corasick keyword automaton, case-insensitive over ASCII, compiled to a dense DFA table so
 * the scan is one table lookup per character. This is the scanner's hot loop: every byte of a
 * tree passes through it, and rule expressions only run near the hits it reports.
 */

const ALPHABET = 128;

export class KeywordAutomaton {
  readonly keywords: readonly string[];
  /** next state = delta[state * 128 + char]; characters >= 128 reset to the root. */
  private readonly delta: Uint16Array | Uint32Array;
  /** For each state, the keyword indexes that end there (own and via suffix links), or undefined. */
  private readonly outputs: ReadonlyArray<readonly number[] | undefined>;
  private readonly hasOutput: Uint8Array;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    const gotoTable: number[][] = [new Array<number>(ALPHABET).fill(-1)];
    const out: number[][] = [[]];
    this.keywords.forEach((kw, idx) => {
      let s = 0;
      for (let i = 0; i < kw.length; i++) {
        const c = kw.charCodeAt(i);
        if (c >= ALPHABET) throw new Error(`keyword "${kw}" is not ASCII`);
        let next = gotoTable[s]![c]!;
        if (next === -1) {
          next = gotoTable.length;
          gotoTable.push(new Array<number>(ALPHABET).fill(-1));
          out.push([]);
          gotoTable[s]![c] = next;
        }
        s = next;
      }
      out[s]!.push(idx);
    });
    const n = gotoTable.length;
    const fail = new Int32Array(n);
    const delta = n < 65536 ? new Uint16Array(n * ALPHABET) : new Uint32Array(n * ALPHABET);
    // Breadth-first: fill the DFA and merge outputs along failure links.
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const s = gotoTable[0]![c]!;
      if (s === -1) delta[c] = 0;
      else {
        delta[c] = s;
        fail[s] = 0;
        queue.push(s);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      if (out[f]!.length) out[s] = [...out[s]!, ...out[f]!];
      for (let c = 0; c < ALPHABET; c++) {
        const t = gotoTable[s]![c]!;
        if (t === -1) delta[s * ALPHABET + c] = delta[f * ALPHABET + c]!;
        else {
          delta[s * ALPHABET + c] = t;
          fail[t] = delta[f * ALPHABET + c]!;
          queue.push(t);
        }
      }
    }
    // Case-insensitive: upper-case letters move like lower-case ones.
    for (let s = 0; s < n; s++) {
      for (let c = 65; c <= 90; c++) delta[s * ALPHABET + c] = delta[s * ALPHABET + c + 32]!;
    }
    this.delta = delta;
    this.outputs = out.map((o) => (o.length ? o : undefined));
    this.hasOutput = Uint8Array.from(out, (o) => (o.length ? 1 : 0));
  }

  /**
   * Calls `onHit(start, keywordIndex)` for every keyword occurrence (overlapping ones included),
   * in order of their end position.
   */
  scan(text: string, onHit: (start: number, keyword: number) => void): void {
    const delta = this.delta;
    const hasOutput = this.hasOutput;
    const len = text.length;
    let s = 0;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      s = c < ALPHABET ? delta[s * ALPHABET + c]! : 0;
      if (hasOutput[s] === 1) {
        for (const k of this.outputs[s]!) onHit(i - this.keywords[k]!.length + 1, k);
      }
    }
  }
}
