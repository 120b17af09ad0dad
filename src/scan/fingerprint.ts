/**
 * The two identities a finding has, neither of them a fast function of the secret alone:
 *
 * - `findingFingerprint` (JSON `fingerprint`, SARIF `partialFingerprints`): computed from data the
 *   report already shows — rule, path, redacted preview — plus the occurrence index of that
 *   (rule, preview) in the file. It carries no information about the secret beyond the preview, so
 *   nothing can be guessed from it, and it stays the same across runs while the file's findings do.
 * - `baselineKey` (baseline files): scrypt, memory-hard and deliberately slow, over the baseline's
 *   random salt, rule, path and secret. Survives line moves, never matches a different secret, and a
 *   guess at the secret costs one scrypt per baseline file.
 */
import { createHash, randomBytes, scryptSync } from 'node:crypto';

/**
 * scrypt cost: N=2^10, r=4, p=1 (512 KiB of memory per guess). About 1.1 ms per key on one core of
 * a 2-vCPU VM, so 50 baselined findings add ~55 ms. Changing these invalidates every baseline:
 * bump BASELINE_VERSION with them.
 */
export const BASELINE_KDF = { name: 'scrypt', N: 1024, r: 4, p: 1, keyLength: 32 } as const;
/** The KDF as baseline files name it; a file with another value is refused. */
export const BASELINE_KDF_ID = `scrypt:N=${BASELINE_KDF.N},r=${BASELINE_KDF.r},p=${BASELINE_KDF.p}`;
export const BASELINE_SALT_BYTES = 16;
export const BASELINE_SALT_PATTERN = /^[a-f0-9]{32}$/;

/** A fresh random baseline salt, hex. */
export function newBaselineSalt(): string {
  return randomBytes(BASELINE_SALT_BYTES).toString('hex');
}

/** Whitespace and `\n` escapes inside a secret (wrapped key blocks) do not change its identity. */
export function normalizeSecret(secret: string): string {
  return secret.replace(/\\n|\s+/g, '');
}

/** The baseline entry key of (rule, path, secret) under `salt` (hex). Slow on purpose. */
export function baselineKey(salt: string, ruleId: string, path: string, secret: string): string {
  const input = `ass-scan-baseline/v2\0${ruleId}\0${path}\0${normalizeSecret(secret)}`;
  return scryptSync(input, Buffer.from(salt, 'hex'), BASELINE_KDF.keyLength, {
    N: BASELINE_KDF.N,
    r: BASELINE_KDF.r,
    p: BASELINE_KDF.p,
  }).toString('hex');
}

interface Locatable {
  ruleId: string;
  path: string;
  preview: string;
  fingerprint: string;
}

/**
 * Sets each finding's report fingerprint from non-secret data: rule, path, preview and the index of
 * this (rule, preview) among the file's findings in file order. `findings` must be sorted by path
 * and position; modified in place.
 */
export function assignFingerprints<T extends Locatable>(findings: T[]): T[] {
  const seen = new Map<string, number>();
  for (const f of findings) {
    const group = `${f.ruleId}\0${f.path}\0${f.preview}`;
    const index = seen.get(group) ?? 0;
    seen.set(group, index + 1);
    f.fingerprint = createHash('sha256').update(`ass-scan-finding/v2\0${group}\0${index}`).digest('hex');
  }
  return findings;
}
