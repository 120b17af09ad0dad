/**
 * The audit log's high-water mark: the newest record this vault has written or seen, kept in the
 * process and in a file outside the store (next to the master key), MAC'd under the audit head key.
 * An authentic head is not proof of a current log (an earlier head is authentic too): whoever can
 * write the store could delete the newest records and put an earlier head back. The vault refuses
 * to start, or to append, when the log is behind its mark.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { GENESIS_HASH } from '../core/audit-chain.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

export interface Mark {
  seq: number;
  hash: string;
  /** When the mark was written (ms). */
  time: number;
}

function macOf(key: Buffer, m: Mark): string {
  return createHmac('sha256', key).update(`ass-audit-high-water/v1\n${m.seq}\n${m.hash}\n${m.time}`).digest('hex');
}

export class HighWater {
  private mark: Mark = { seq: 0, hash: GENESIS_HASH, time: 0 };
  private written = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  /**
   * @param file where the mark is kept outside the store; none keeps it in the process only.
   * @param initial the mark read from the file: the mark never moves below it.
   */
  constructor(
    readonly file: string | undefined,
    private readonly key: Buffer,
    private readonly logger: Logger,
    private readonly now: () => number,
    initial?: Mark,
  ) {
    if (initial) {
      this.mark = initial;
      this.written = initial.seq;
    }
  }

  /** The mark in the file, if there is one; a file that is not authentic is refused. */
  static async read(file: string, key: Buffer): Promise<Mark | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    let parsed: Partial<Mark & { mac: string }>;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = {};
    }
    const m = { seq: Number(parsed.seq), hash: String(parsed.hash), time: Number(parsed.time) };
    const mac = Buffer.from(String(parsed.mac ?? ''), 'hex');
    const expected = Buffer.from(macOf(key, m), 'hex');
    if (!Number.isSafeInteger(m.seq) || mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
      throw new AppError(
        'integrity_failed',
        `The audit high-water mark ${file} is not authentic: it was edited, or belongs to another vault. Restore it with the store it was taken with, or move it aside to start from the store as it is (its rollback protection starts over).`,
      );
    }
    return m;
  }

  current(): { seq: number; hash: string } {
    return this.mark;
  }

  /** Moves the mark up to a record the vault wrote or verified; the file follows within a second. */
  advance(seq: number, hash: string): void {
    if (seq <= this.mark.seq) return;
    this.mark = { seq, hash, time: this.now() };
    if (this.file && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.persist();
      }, 1000);
      this.timer.unref();
    }
  }

  /** Writes the mark (atomically: a temporary file renamed over the old one, fsynced). */
  persist(): Promise<void> {
    const file = this.file;
    if (!file || this.written === this.mark.seq) return this.writing;
    const mark = this.mark;
    this.writing = this.writing.then(async () => {
      const tmp = `${file}.tmp`;
      try {
        const handle = await open(tmp, 'w', 0o600);
        try {
          await handle.writeFile(`${JSON.stringify({ version: 1, ...mark, mac: macOf(this.key, mark) })}\n`);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tmp, file);
        this.written = mark.seq;
      } catch (err) {
        this.logger.error(`could not write the audit high-water mark ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return this.writing;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.persist();
  }
}
