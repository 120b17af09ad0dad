// The scanner's worst case on inputs built to stall it (issue 12), for `npm run bench:scan`: every
// rule's adversarial shapes (test/helpers/adversarial.ts, the ones test/scan/linear-time.test.ts
// checks for growth) are screened at lines of 4 KiB (16 KiB for key blocks); the slowest shape of
// each of the slowest rules is then scanned as about 1 MB of lines of 16 KiB, median of 5, with
// that rule alone and with every rule. Also issue 12's own example: a megabyte of blanks with a PGP
// private key header every 16 KiB. Prints figures; asserts nothing.
//
// Run: node --experimental-strip-types --import ./bench/ts-hooks.mjs bench/scan-adversarial.ts [SRC]
// where SRC is the scanner's source folder (default src/, e.g. another checkout's for a before and after).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CompiledRules, Finding } from '../src/scan/engine.js';
import type { Rule } from '../src/scan/rules.js';
import type { TextContext } from '../src/scan/scan-text.js';
import { type AttackShape, attackShapes, attackText } from '../test/helpers/adversarial.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.resolve(process.argv[2] ?? path.join(root, 'src'));
const load = (rel: string) => import(pathToFileURL(path.join(src, rel)).href);
const { RULES } = (await load('scan/rules.ts')) as { RULES: readonly Rule[] };
const { compileRules } = (await load('scan/engine.ts')) as { compileRules: (rules?: readonly Rule[]) => CompiledRules };
const { scanText } = (await load('scan/scan-text.ts')) as { scanText: (text: string, ctx: TextContext) => Finding[] };

const TOP = Number(process.env.BENCH_ADVERSARIAL_TOP ?? 8);
const MB = 1_000_000;

function msFor(text: string, compiled: CompiledRules): number {
  const t0 = performance.now();
  scanText(text, { path: 'adversarial.txt', compiled, latin1: true });
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Median MB/s of `runs` scans of about 1 MB of `shape` as lines of `length`. */
function throughput(shape: AttackShape, compiled: CompiledRules, length: number, runs = 5): number {
  const text = attackText(shape, length, MB);
  return text.length / MB / (median(Array.from({ length: runs }, () => msFor(text, compiled))) / 1000);
}

const t0 = performance.now();
const all = compileRules(RULES);
const worst: Array<{ rule: Rule; shape: AttackShape; nsPerChar: number }> = [];
let shapes = 0;
for (const rule of RULES) {
  const compiled = compileRules([rule]);
  const length = rule.multiline ? 16_384 : 4096;
  let slowest: { shape: AttackShape; nsPerChar: number } | undefined;
  for (const shape of attackShapes(rule)) {
    shapes++;
    const text = attackText(shape, length, 8 * length);
    const ns = (Math.min(msFor(text, compiled), msFor(text, compiled)) * 1e6) / text.length;
    if (!slowest || ns > slowest.nsPerChar) slowest = { shape, nsPerChar: ns };
  }
  if (slowest) worst.push({ rule, ...slowest });
}
worst.sort((a, b) => b.nsPerChar - a.nsPerChar);
console.log(
  `adversarial inputs: ${shapes} shapes over ${RULES.length} rules screened in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const measured = worst.slice(0, TOP).map((w) => {
  const length = 16_384;
  return { ...w, alone: throughput(w.shape, compileRules([w.rule]), length), every: throughput(w.shape, all, length) };
});
measured.sort((a, b) => a.alone - b.alone);
console.log('| rule | slowest input shape | MB/s (that rule) | MB/s (every rule) |');
console.log('| --- | --- | ---: | ---: |');
for (const m of measured) {
  console.log(
    `| ${m.rule.id} | ${m.shape.name.slice(m.rule.id.length + 2).replace(/\|/g, '\\|')} | ${m.alone.toFixed(1)} | ${m.every.toFixed(1)} |`,
  );
}
const w = measured[0]!;
console.log(`adversarial worst case: rule ${w.rule.id}, ${w.alone.toFixed(1)} MB/s (${(1000 / w.alone).toFixed(0)} ms per MB)`);
const pgp: AttackShape = {
  name: 'PGP header and blanks',
  kind: 'run',
  line: (n) => `-----BEGIN PGP PRIVATE KEY BLOCK-----\n${' \t'.repeat(n / 2)}`,
};
// A header every 16 KiB: each starts a key-block window of its own.
const pgpText = attackText(pgp, 16_384, MB);
const pgpMs = median(Array.from({ length: 3 }, () => msFor(pgpText, all)));
console.log(`issue 12's example (1 MB of blanks with a PGP private key header every 16 KiB, every rule): ${pgpMs.toFixed(0)} ms`);
