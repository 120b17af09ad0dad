/**
 * Baseline files let an existing repository adopt the check without fixing history first. Entries
 * are content fingerprints (sha256 of rule, path and secret): they survive line moves and edits
 * elsewhere in the file, never suppress a different secret, and hold no secret themselves.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { Finding } from './engine.js';

export const BASELINE_VERSION = 1;

const baselineSchema = z.object({
  version: z.literal(BASELINE_VERSION),
  findings: z.array(
    z.object({
      fingerprint: z.string().regex(/^[a-f0-9]{64}$/),
      ruleId: z.string(),
      path: z.string(),
    }),
  ),
});

export type Baseline = z.infer<typeof baselineSchema>;

export function baselineFrom(findings: readonly Finding[]): Baseline {
  const seen = new Map<string, Baseline['findings'][number]>();
  for (const f of findings) seen.set(f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.path });
  const entries = [...seen.values()].sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: BASELINE_VERSION, findings: entries };
}

export async function writeBaseline(file: string, findings: readonly Finding[]): Promise<void> {
  await writeFile(file, `${JSON.stringify(baselineFrom(findings), null, 2)}\n`);
}

/** Reads a baseline; `shown` is the path as the user wrote it, for messages. */
export async function readBaseline(file: string, shown = file): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new AppError('invalid_input', `baseline file ${shown} cannot be read; create it with \`ass scan --write-baseline ${shown}\``);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('invalid_input', `baseline file ${shown} is not JSON; regenerate it with \`ass scan --write-baseline ${shown}\``);
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('invalid_input', `baseline file ${shown} is not an ass scan baseline (version ${BASELINE_VERSION}); regenerate it with \`ass scan --write-baseline ${shown}\``);
  }
  return parsed.data;
}

/** Splits findings into new ones and baselined ones, and lists baseline entries no longer seen. */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: Baseline,
): { findings: Finding[]; suppressed: number; unused: Baseline['findings'] } {
  const known = new Set(baseline.findings.map((e) => e.fingerprint));
  const used = new Set<string>();
  const kept: Finding[] = [];
  for (const f of findings) {
    if (known.has(f.fingerprint)) used.add(f.fingerprint);
    else kept.push(f);
  }
  return {
    findings: kept,
    suppressed: findings.length - kept.length,
    unused: baseline.findings.filter((e) => !used.has(e.fingerprint)),
  };
}
