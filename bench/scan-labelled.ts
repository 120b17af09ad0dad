// Entry of the benchmark's labelled-set bundle (built by bench/scan.ts with ncc): scans the
// labelled set (test/helpers/scan-cases.ts and provider-cases.ts, several independent draws) and
// prints, as JSON, true and false findings by rule family. Env: BENCH_DRAWS (default 20).
import { compileRules } from '../src/scan/engine.js';
import { scanString } from '../src/scan/index.js';
import { RULES } from '../src/scan/rules.js';
import { FAMILIES, FAMILY_LABELS, type Family, ruleFamily } from '../src/scan/rules-providers.js';
import { providerNearMisses } from '../test/helpers/provider-cases.js';
import { negativeCases, positiveCases } from '../test/helpers/scan-cases.js';

interface Tally {
  rules: number;
  positives: number;
  found: number;
  /** Findings by this family's rules that are not the expected one: on near-misses, or the wrong rule on a true example. */
  falses: number;
  nearMisses: number;
  missedIds: Record<string, number>;
  falseIds: Record<string, number>;
}

const draws = Math.max(1, Math.min(200, Number(process.env.BENCH_DRAWS ?? 20)));
const byId = new Map(RULES.map((r) => [r.id, r]));
const family = (id: string): Family => ruleFamily(byId.get(id) ?? { id });
const tally = Object.fromEntries(
  FAMILIES.map((f) => [f, { rules: 0, positives: 0, found: 0, falses: 0, nearMisses: 0, missedIds: {}, falseIds: {} } satisfies Tally]),
) as Record<Family, Tally>;
for (const r of RULES) tally[family(r.id)].rules++;

const t0 = performance.now();
let texts = 0;
let otherNearMisses = 0;
for (let d = 0; d < draws; d++) {
  for (const c of positiveCases(9000 + d * 31)) {
    texts++;
    const t = tally[family(c.ruleId)];
    t.positives++;
    const found = scanString(c.text, c.path ?? 'case.txt').findings;
    let hit = false;
    for (const f of found) {
      if (f.ruleId === c.ruleId && !hit) hit = true;
      else {
        tally[family(f.ruleId)].falses++;
        tally[family(f.ruleId)].falseIds[f.ruleId] = (tally[family(f.ruleId)].falseIds[f.ruleId] ?? 0) + 1;
      }
    }
    if (hit) t.found++;
    else t.missedIds[c.ruleId] = (t.missedIds[c.ruleId] ?? 0) + 1;
  }
  // Near-misses: the provider rules' own (counted for the family of the rule they imitate) and
  // the older set (look-alikes of every kind; counted apart). A finding on either is false.
  const misses = [
    ...providerNearMisses(7000 + d * 17).map((c) => ({
      imitates: c.ruleId as string | undefined,
      text: c.text,
      path: c.path,
      allowed: c.reportedBy ?? [],
    })),
    ...negativeCases(5000 + d * 13)
      .filter((c) => !/^[a-z0-9]+(?:-[a-z0-9]+)*: /.test(c.name))
      .map((c) => ({ imitates: undefined, text: c.text, path: undefined, allowed: [] as readonly string[] })),
  ];
  for (const c of misses) {
    texts++;
    if (c.imitates) tally[family(c.imitates)].nearMisses++;
    else otherNearMisses++;
    for (const f of scanString(c.text, c.path ?? 'case.txt').findings) {
      if (c.allowed.includes(f.ruleId)) continue;
      tally[family(f.ruleId)].falses++;
      tally[family(f.ruleId)].falseIds[f.ruleId] = (tally[family(f.ruleId)].falseIds[f.ruleId] ?? 0) + 1;
    }
  }
}
process.stdout.write(
  `${JSON.stringify({
    draws,
    texts,
    otherNearMisses,
    ms: performance.now() - t0,
    rules: RULES.length,
    keywords: compileRules(RULES).automaton.keywords.length,
    labels: FAMILY_LABELS,
    familyOf: Object.fromEntries(RULES.map((r) => [r.id, family(r.id)])),
    tally,
  })}\n`,
);
