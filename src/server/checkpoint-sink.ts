/**
 * Where signed checkpoints go, outside the vault's host: a file (on another mount, a synced folder)
 * that gets one JSON line per checkpoint, or an HTTP endpoint that gets each one POSTed as JSON.
 * A file sink is also read back at start-up: a log behind its newest checkpoint is refused.
 */
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Checkpoint } from '../core/audit-chain.js';
import { AppError } from '../core/errors.js';
import { isLoopbackHost } from '../core/net.js';

export interface CheckpointSink {
  readonly target: string;
  publish(cp: Checkpoint): Promise<void>;
  /** The newest checkpoint the sink holds, when it can be read back (files only). */
  last(): Promise<Checkpoint | undefined>;
}

/** `https://…` (or `http://` on loopback) posts; anything else is a file path. */
export function openCheckpointSink(target: string, cwd = process.cwd()): CheckpointSink {
  if (/^https?:\/\//i.test(target)) {
    const url = new URL(target);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw new AppError('invalid_input', `The checkpoint sink ${url.origin} uses plain http; use https (plain http only on loopback).`);
    }
    if (url.username || url.password) {
      throw new AppError('invalid_input', 'The checkpoint sink URL must not carry a user name or password.');
    }
    return {
      target: `${url.origin}${url.pathname}`,
      async publish(cp) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'agent-secret-store-vault' },
          body: JSON.stringify(cp),
          signal: AbortSignal.timeout(10_000),
          redirect: 'error',
        });
        await res.body?.cancel();
        if (!res.ok) throw new Error(`the sink answered HTTP ${res.status}`);
      },
      last: async () => undefined,
    };
  }
  const file = path.resolve(cwd, target);
  return {
    target: file,
    async publish(cp) {
      const handle = await open(file, 'a', 0o600);
      try {
        await handle.appendFile(`${JSON.stringify(cp)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async last() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const line = lines.at(-1);
      if (!line) return undefined;
      try {
        return JSON.parse(line) as Checkpoint;
      } catch {
        throw new AppError('integrity_failed', `The last line of the checkpoint sink ${file} is not a checkpoint: the file was edited.`);
      }
    },
  };
}
