/**
 * The checkpoint the action keeps between runs, in the file the workflow names (`checkpoint-path`,
 * carried by actions/cache or an artifact). The file is the checkpoint exactly as the vault signed
 * it, as `ass audit checkpoint --output` writes it, so `ass audit verify --checkpoint FILE` reads it too.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Checkpoint as CheckpointSchema } from '../../api/schemas.js';
import type { Checkpoint } from '../../core/audit-chain.js';
import type { PreviousState } from './findings.js';

/** A file larger than this is no checkpoint (one is a few hundred bytes). */
const MAX_BYTES = 64 * 1024;

/** Reads the previous checkpoint: none kept, a missing file (a first run), a checkpoint, or a file that is not one. */
export async function readPreviousCheckpoint(file: string | undefined): Promise<{ state: PreviousState; checkpoint?: Checkpoint }> {
  if (!file) return { state: { state: 'none' } };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { state: { state: 'missing', path: file } };
    return { state: { state: 'unreadable', path: file, reason: `it could not be read (${(err as { code?: string }).code ?? 'error'}).` } };
  }
  if (text.length > MAX_BYTES) return { state: { state: 'unreadable', path: file, reason: 'it is far too large to be a checkpoint.' } };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { state: { state: 'unreadable', path: file, reason: 'it is not JSON.' } };
  }
  const parsed = CheckpointSchema().safeParse(raw);
  if (!parsed.success || !Number.isSafeInteger(parsed.data.seq) || parsed.data.seq < 0 || !/^[0-9a-f]{64}$/.test(parsed.data.hash)) {
    return {
      state: { state: 'unreadable', path: file, reason: 'it is not an audit checkpoint (origin, seq, hash, time, signature, publicKey).' },
    };
  }
  const c = parsed.data;
  return {
    state: { state: 'read', path: file },
    checkpoint: { origin: c.origin, seq: c.seq, hash: c.hash, time: c.time, signature: c.signature, publicKey: c.publicKey },
  };
}

/** Writes the checkpoint whole or not at all (a new file renamed over the old one). */
export async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const { origin, seq, hash, time, signature, publicKey } = checkpoint;
  await writeFile(tmp, `${JSON.stringify({ origin, seq, hash, time, signature, publicKey }, null, 2)}\n`, { mode: 0o644 });
  await rename(tmp, file);
}
