/**
 * Reading an anomaly configuration (a file, or flags gathered into one) before it is sent, the same
 * way in the CLI and the audit action: the first problem named by its field, with the nearest known
 * field for a misspelt one. The vault checks the body again on its own.
 */
import type { z } from 'zod';
import { quoteName } from '../core/text.js';
import { AnomalyConfig } from './schemas.js';

export type AnomalyConfigInput = z.output<ReturnType<typeof AnomalyConfig>>;

/** The fields an object at `path` of the configuration may have (for "did you mean"). */
function fieldsAt(path: readonly PropertyKey[]): string[] {
  // biome-ignore lint/suspicious/noExplicitAny: walking zod's object shapes
  let shape: any = AnomalyConfig().shape;
  for (const key of path) {
    // biome-ignore lint/suspicious/noExplicitAny: an optional wraps the object
    let field: any = shape?.[key as string];
    while (field && !field.shape && field.unwrap) field = field.unwrap();
    shape = field?.shape;
  }
  return shape ? Object.keys(shape) : [];
}

/** The known name closest to `word` (case ignored, at most two edits, or a prefix of it), if any. */
function nearest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const n = name.toLowerCase();
    const d = n.startsWith(w) || w.startsWith(n) ? 1 : editDistance(w, n);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The configuration, or the first problem in it as a sentence fragment ("the field x ..."). */
export function checkAnomalyConfig(raw: unknown): { ok: true; config: AnomalyConfigInput } | { ok: false; problem: string } {
  const parsed = AnomalyConfig().safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  if (!issue) return { ok: false, problem: 'the configuration is not valid' };
  const where = issue.path.length ? `field ${issue.path.join('.')}` : 'top level';
  if (issue.code === 'unrecognized_keys') {
    const known = fieldsAt(issue.path);
    const named = issue.keys.map((k) => {
      const near = nearest(k, known);
      return `${quoteName(k)}${near ? ` (did you mean ${near}?)` : ''}`;
    });
    return { ok: false, problem: `the ${where} has unknown field(s) ${named.join(', ')}; the fields are ${known.join(', ')}` };
  }
  return { ok: false, problem: `the ${where} ${issue.message}` };
}
