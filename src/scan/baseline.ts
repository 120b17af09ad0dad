/**
 * Baseline files let an existing repository adopt the check without fixing history first. A file
 * holds a random salt and one key per known finding: scrypt(salt, rule, path, secret), see
 * fingerprint.ts. Keys survive line moves and edits elsewhere in the file, never suppress a
 * different secret, hold no secret, and cost an offline guesser one scrypt per guess per file (the
 * salt differs between files, so no work carries over from one baseline to the next).
 *
 * A baseline only works for a scan run with its salt: read it first, then pass `salt` as
 * `baselineSalt` to the scan; to write one, pass `newBaselineSalt()` and then the same salt here.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { Finding } from './engine.js';
import { BASELINE_KDF_ID, BASELINE_SALT_PATTERN, newBaselineSalt } from './fingerprint.js';

export { newBaselineSalt } from './fingerprint.js';

export const BASELINE_VERSION = 2;

const baselineSchema = z.object({
  version: z.literal(BASELINE_VERSION),
  kdf: z.literal(BASELINE_KDF_ID),
  salt: z.string().regex(BASELINE_SALT_PATTERN),
  findings: z.array(
    z.object({
      fingerprint: z.string().regex(/^[a-f0-9]{64}$/),
      ruleId: z.string(),
      path: z.string(),
    }),
  ),
});

export type Baseline = z.infer<typeof baselineSchema>;

function keyOf(f: Finding): string {
  // A programming error, not a user one: the scan was not given the baseline's salt.
  if (f.baselineKey === undefined) throw new Error('finding has no baseline key: scan with options.baselineSalt');
  return f.baselineKey;
}

/** The baseline of `findings`, which must come from a scan run with `baselineSalt: salt`. */
export function baselineFrom(findings: readonly Finding[], salt: string = newBaselineSalt()): Baseline {
  if (!BASELINE_SALT_PATTERN.test(salt)) throw new Error('baseline salt must be 16 bytes of hex');
  const seen = new Map<string, Baseline['findings'][number]>();
  for (const f of findings) seen.set(keyOf(f), { fingerprint: keyOf(f), ruleId: f.ruleId, path: f.path });
  const entries = [...seen.values()].sort(
    (a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint),
  );
  return { version: BASELINE_VERSION, kdf: BASELINE_KDF_ID, salt, findings: entries };
}

export async function writeBaseline(file: string, findings: readonly Finding[], salt: string): Promise<void> {
  await writeFile(file, `${JSON.stringify(baselineFrom(findings, salt), null, 2)}\n`);
}

/** Reads a baseline; `shown` is the path as the user wrote it, for messages. */
export async function readBaseline(file: string, shown = file): Promise<Baseline> {
  const regenerate = `regenerate it with \`ass scan --write-baseline ${shown}\``;
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
    throw new AppError('invalid_input', `baseline file ${shown} is not JSON; ${regenerate}`);
  }
  const version = typeof json === 'object' && json !== null ? (json as { version?: unknown }).version : undefined;
  if (version === 1) {
    // Version 1 held sha256(rule, path, secret): fast and unsalted, so weak secrets could be guessed
    // from it. Accepting it would keep that file in use; refuse, and say how to replace it.
    throw new AppError(
      'invalid_input',
      `baseline file ${shown} has the old version 1 format, whose unsalted sha256 fingerprints let anyone who can read the file test guesses of the secrets; ${regenerate} (it records every current finding: review \`ass scan\` first) and commit the new file`,
    );
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      'invalid_input',
      `baseline file ${shown} is not an ass scan baseline (version ${BASELINE_VERSION}, ${BASELINE_KDF_ID}); ${regenerate}`,
    );
  }
  return parsed.data;
}

/**
 * Splits findings into new ones and baselined ones, and lists baseline entries no longer seen.
 * `findings` must come from a scan run with `baselineSalt: baseline.salt`.
 */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: Baseline,
): { findings: Finding[]; suppressed: number; unused: Baseline['findings'] } {
  const known = new Set(baseline.findings.map((e) => e.fingerprint));
  const used = new Set<string>();
  const kept: Finding[] = [];
  for (const f of findings) {
    const key = keyOf(f);
    if (known.has(key)) used.add(key);
    else kept.push(f);
  }
  return {
    findings: kept,
    suppressed: findings.length - kept.length,
    unused: baseline.findings.filter((e) => !used.has(e.fingerprint)),
  };
}
