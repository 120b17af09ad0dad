/**
 * No input can stall the scanner: every rule, run through the real engine (keyword prefilter,
 * windows, expression, filters, allow comments, line and column bookkeeping), costs about the same
 * per character on inputs built to stall it, whatever their length.
 *
 * The inputs come from each rule itself (test/helpers/adversarial.ts): runs of every class of
 * characters its pattern tells apart after its literal start, real matches cut short, its keywords
 * repeated along one line, its literal pieces in turn, many real matches on one line. Each shape is
 * scanned as lines of length n and of 16n, the same number of characters in all: a cost that grows
 * with the line (a quadratic one shows 16 times the cost per character) fails; the windows the
 * engine runs expressions in are at most about a kilobyte around a keyword on its line, or 16 KiB
 * after the start of a key block, so n and 16n span them.
 *
 * No wall-clock limit is asserted: only how the cost per character grows, measured side by side.
 * The screen is one pass over every shape (fastest of three timings, so a pause in the machine
 * cannot fake growth); a shape that grows more than SCREEN is timed again with more text (and
 * longer lines for a repeated unit, see confirmSizesFor), seven times interleaved, and fails only
 * when the median still grows more than LIMIT twice in a row.
 * Bounded repetitions grow the cost until their bound and then stop: those stay below 4 here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRules, defaultRules, keywordWindows, MAX_WINDOW, type ScanWork } from '../../src/scan/engine.js';
import { RULES, type Rule } from '../../src/scan/rules.js';
import { ColumnCounter, scanText } from '../../src/scan/scan-text.js';
import { type AttackShape, attackShapes, attackText } from '../helpers/adversarial.js';
import { githubToken, rng } from '../helpers/scan-tokens.js';

const GROWTH = 16;
const SCREEN = 3;
const LIMIT = 7;

/**
 * The shorter line length compared (the longer is 16 times it), and the characters scanned at each.
 * A run after one start is cut by its window (about a kilobyte on a line, 16 KiB after a key
 * block's start), so the lengths must span it; a repeated unit spreads over the whole line, which
 * must hold whole matches already at the shorter length.
 */
function sizesFor(rule: Rule, shape: AttackShape): { n: number; total: number } {
  if (rule.multiline) return { n: 1024, total: 16 * 1024 };
  return shape.kind === 'run' ? { n: 64, total: 1024 } : { n: 256, total: 4096 };
}

/**
 * Sizes for timing a suspect again: eight times the text and, for a repeated unit, lines four
 * times as long. A line's first units can differ from the rest (the first near-JWT of a line has a
 * real header, the next ones decode to garbage and fail their check): at 256 characters that edge
 * is a large part of a line, at 1024 it is not, while a cost that grows with the line still grows.
 */
function confirmSizesFor(rule: Rule, shape: AttackShape): { n: number; total: number } {
  const { n, total } = sizesFor(rule, shape);
  return !rule.multiline && shape.kind === 'repeat' ? { n: 4 * n, total: 8 * 4 * total } : { n, total: 8 * total };
}

type Compiled = ReturnType<typeof compileRules>;

/** Files are read as latin1 and their columns counted as UTF-8: the path `ass scan` takes. */
function costPerChar(text: string, compiled: Compiled): number {
  const t0 = performance.now();
  scanText(text, { path: 'adversarial.txt', compiled, latin1: true });
  return (performance.now() - t0) / text.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Growth of the cost per character from lines of n to lines of 16n: `runs` interleaved timings, median. */
function growth(shape: AttackShape, compiled: Compiled, n: number, total: number, runs: number, pick = median): number {
  const short = attackText(shape, n, total);
  const long = attackText(shape, n * GROWTH, total);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(costPerChar(short, compiled));
    b.push(costPerChar(long, compiled));
  }
  // A timer tick is about a microsecond; the guard keeps an all-but-free short scan from dividing by ~0.
  return pick(b) / Math.max(pick(a), 2e-6 / short.length);
}

/** The shapes of `rule` whose cost per character grows faster than linearly, with their growth. */
function superlinear(rule: Rule): string[] {
  const compiled = compileRules([rule]);
  const failures: string[] = [];
  for (const shape of attackShapes(rule)) {
    const { n, total } = sizesFor(rule, shape);
    if (growth(shape, compiled, n, total, 3, (xs) => Math.min(...xs)) <= SCREEN) continue;
    // Suspect: more text and medians, twice, so a busy machine cannot fail a linear rule.
    const again = confirmSizesFor(rule, shape);
    const first = growth(shape, compiled, again.n, again.total, 7);
    if (first <= LIMIT) continue;
    const second = growth(shape, compiled, again.n, again.total, 7);
    if (second > LIMIT)
      failures.push(`${shape.name} costs ${first.toFixed(1)}x and ${second.toFixed(1)}x more per character at ${GROWTH}x the length`);
  }
  return failures;
}

describe('every rule runs in linear time on inputs built to stall it', () => {
  it('derives dozens of attacks for every rule, including the key-block header and blanks of issue 12', () => {
    for (const rule of RULES) expect(attackShapes(rule).length, rule.id).toBeGreaterThanOrEqual(20);
    const pgp = attackShapes(RULES.find((r) => r.id === 'pgp-private-key')!).map((s) => s.line(64));
    expect(pgp).toContain(`-----BEGIN PGP PRIVATE KEY BLOCK-----${' '.repeat(27)}`);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    expect(superlinear(rule)).toEqual([]);
  });
});

describe('the engine around the expressions', () => {
  it('does the work around the expressions once per character, counted, for every rule', () => {
    // Windows, line numbers and columns are the engine's own loops: counted exactly, not timed.
    for (const rule of RULES) {
      const compiled = compileRules([rule]);
      const shapes = attackShapes(rule);
      for (const shape of [...shapes.filter((s) => s.name.includes('(match ')), ...shapes.filter((s) => s.kind === 'repeat').slice(0, 6)]) {
        const text = attackText(shape, 16_384, 32_768);
        const work: ScanWork = { windowChars: 0, lineSearch: 0, decoded: 0 };
        scanText(text, { path: 'adversarial.txt', compiled, latin1: true, work });
        expect(work.windowChars, shape.name).toBeLessThanOrEqual(text.length);
        expect(work.lineSearch, shape.name).toBeLessThanOrEqual(text.length);
        expect(work.decoded, shape.name).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it('reads each character at most once per rule, however dense the keywords', () => {
    const compiled = defaultRules();
    const keywords = compiled.rules.flatMap((r) => r.keywords);
    const n = rng(5);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...keywords, ' ', '\n', 'x', '"', '=', '-----begin '), { minLength: 1, maxLength: 400 }),
        (parts) => {
          const text = parts.join(n() < 0.5 ? '' : 'a');
          for (const [, list] of keywordWindows(text, compiled)) {
            let covered = 0;
            for (const [i, [s, e]] of list.entries()) {
              expect(s).toBeLessThan(e);
              if (i > 0) expect(s).toBeGreaterThan(list[i - 1]![1]);
              covered += e - s;
            }
            expect(covered).toBeLessThanOrEqual(text.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts columns like decoding the line as UTF-8 from its start, moving forward only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.array(fc.nat({ max: 40 }), { maxLength: 8 }), (bytes, stops) => {
        const text = Buffer.from(bytes).toString('latin1');
        const columns = new ColumnCounter(text, true);
        for (const at of [...stops.map((s) => Math.min(s, text.length))].sort((a, b) => a - b)) {
          expect(columns.column(0, at)).toBe(Buffer.from(text.slice(0, at), 'latin1').toString('utf8').length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('finds every token on a line of thousands of them at the right column', () => {
    const n = rng(6);
    const tokens = Array.from({ length: 3000 }, () => githubToken(n));
    const line = `é ${tokens.join(' é ')}`;
    const work: ScanWork = { windowChars: 0, lineSearch: 0, decoded: 0 };
    const text = Buffer.from(line).toString('latin1');
    const findings = scanText(text, { path: 'x', compiled: defaultRules(), latin1: true, work });
    expect(findings).toHaveLength(3000);
    expect(work.decoded).toBeLessThanOrEqual(text.length);
    expect(work.lineSearch).toBeLessThanOrEqual(text.length);
    let column = 3;
    for (const f of findings) {
      expect([f.line, f.column, f.endColumn]).toEqual([1, column, column + 40]);
      column += 43;
    }
  });

  it('keeps a scan of one long line linear: many findings, allow comments, every rule at once', () => {
    const n = rng(7);
    const units = [
      ...Array.from({ length: 4 }, () => `t = "${githubToken(n)}"; `),
      '// ass:allow ',
      ...RULES.map((r) => `${r.keywords[0]}=${'A'.repeat(24)} `),
    ];
    const shape: AttackShape = {
      name: 'all rules',
      kind: 'repeat',
      line: (len) => units.join('').repeat(Math.ceil(len / units.join('').length)),
    };
    const compiled = defaultRules();
    let g = growth(shape, compiled, 4096, 65_536, 5);
    if (g > LIMIT) g = growth(shape, compiled, 4096, 65_536, 7);
    expect(g).toBeLessThanOrEqual(LIMIT);
  });

  it('scans a PGP or PEM header followed by a megabyte of blanks linearly, with every rule', () => {
    // Issue 12's example: before, a minute of CPU per megabyte.
    for (const header of [
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
    ]) {
      const shape: AttackShape = { name: header, kind: 'run', line: (len) => `${header}${' \t'.repeat(len / 2)}` };
      let g = growth(shape, defaultRules(), MAX_WINDOW / 16, MAX_WINDOW * 4, 5);
      if (g > LIMIT) g = growth(shape, defaultRules(), MAX_WINDOW / 16, MAX_WINDOW * 4, 7);
      expect(g, header).toBeLessThanOrEqual(LIMIT);
    }
  });
});
