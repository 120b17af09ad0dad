/**
 * Keeps the audit log honest while the vault runs: verifies the whole chain at start-up (and again
 * on a schedule), verifies each new stretch of records as they accumulate, keeps the freshness index
 * and the high-water mark current, and sends signed checkpoints to a sink outside the vault's host.
 * Once the log is known to be broken, the vault answers only what an operator needs to find out why
 * (health, and reading and verifying the log); it releases and changes nothing else.
 */
import { type AuditRecord, ChainVerifier, type Checkpoint, checkpointSignatureValid, type Problem } from '../core/audit-chain.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/types.js';
import type { CheckpointSink } from './checkpoint-sink.js';
import type { FreshnessIndex } from './freshness.js';
import type { HighWater } from './high-water.js';

const PAGE = 5000;

export interface MonitorOptions {
  /** How often the whole chain is verified again (ms). */
  sweepEveryMs: number;
  /** How often new records are verified (ms). */
  followEveryMs: number;
  /** How often a checkpoint goes to the sink (ms). */
  checkpointEveryMs: number;
}

export interface AuditHealth {
  state: 'intact' | 'broken';
  verifiedSeq: number;
  problem: Problem | undefined;
  sink: { ok: boolean; lastAt: number | null; error: string | undefined } | undefined;
}

export class AuditMonitor {
  private verified = { seq: 0, hash: '0'.repeat(64) };
  private problem: Problem | undefined;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> = Promise.resolve();
  private sinkState: AuditHealth['sink'];
  private stopped = false;

  constructor(
    private readonly deps: {
      store: Pick<Store, 'queryAudit' | 'getAuditHead' | 'getAuditTail'>;
      headKey: Buffer;
      logger: Logger;
      now: () => number;
      freshness: FreshnessIndex;
      highWater: HighWater;
      sink: CheckpointSink | undefined;
      /** Signs a checkpoint of the current head (src/server/audit.ts). */
      checkpoint: () => Promise<Checkpoint>;
      /** This vault's checkpoint public key (raw Ed25519, base64). */
      publicKey: string;
    },
    private readonly options: MonitorOptions,
  ) {
    this.sinkState = deps.sink ? { ok: true, lastAt: null, error: undefined } : undefined;
  }

  health(): AuditHealth {
    return { state: this.problem ? 'broken' : 'intact', verifiedSeq: this.verified.seq, problem: this.problem, sink: this.sinkState };
  }

  /** The high-water mark: the newest record this vault wrote or verified (appends below it are refused). */
  mark(): { seq: number; hash: string } {
    return this.deps.highWater.current();
  }

  /** Throws when the log is broken: the request releases and changes nothing. */
  assertIntact(): void {
    const p = this.problem;
    if (!p) return;
    throw new AppError(
      'audit_unavailable',
      `The audit log failed verification (${p.seq === null ? '' : `record ${p.seq}: `}${p.message}); the vault releases and changes nothing until the log is restored from a backup. ass audit verify lists every problem.`,
    );
  }

  /** Records the vault just committed: the freshness index and the high-water mark follow at once. */
  noteCommitted(records: readonly AuditRecord[]): void {
    for (const r of records) {
      this.deps.freshness.apply(r);
      this.deps.highWater.advance(r.seq, r.hash);
      // A record this vault sealed right after the last verified one extends the verified chain as
      // it is: there is nothing to read back. Records other replicas append in between break the
      // run, and the next pass reads and verifies from there. (An edit made later to any record,
      // this one included, is found by the sweep.)
      if (!this.problem && r.seq === this.verified.seq + 1 && r.prevHash === this.verified.hash) {
        this.verified = { seq: r.seq, hash: r.hash };
      }
    }
  }

  /** A problem found elsewhere (an operator's `ass audit verify`): the log is broken. */
  markBroken(problem: Problem): void {
    if (this.problem) return;
    this.problem = problem;
    this.deps.logger.error(`audit log broken: ${problem.seq === null ? '' : `record ${problem.seq}: `}${problem.message}`);
  }

  /**
   * Before the vault serves anything: the log must not be behind the mark outside the store or the
   * newest checkpoint in the sink (else the start is refused), and the whole chain is verified.
   */
  async start(mark: { seq: number; hash: string } | undefined): Promise<void> {
    for (const [what, anchor] of [
      ['high-water mark', mark],
      ['newest checkpoint in the sink', await this.lastSinkCheckpoint()],
    ] as const) {
      if (anchor) await this.assertNotBehind(anchor, what);
    }
    await this.sweep();
    if (this.problem) this.deps.logger.error('the vault started with a broken audit log: it releases nothing until the log is restored');
    const every = (ms: number, fn: () => Promise<void>) => {
      // One pass at a time; a pass that fails (the database is down) is logged and tried again next time.
      const tick = () => {
        this.running = this.running.then(fn).catch((err: unknown) => {
          this.deps.logger.warning(`audit verification pass failed: ${err instanceof Error ? err.message : String(err)}`);
        });
      };
      const t = setInterval(tick, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.options.followEveryMs, () => this.follow());
    every(this.options.sweepEveryMs, () => this.sweep());
    if (this.deps.sink) every(this.options.checkpointEveryMs, () => this.publish());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.running;
    if (this.deps.sink && !this.problem) await this.publish();
    await this.deps.highWater.close();
  }

  private async lastSinkCheckpoint(): Promise<{ seq: number; hash: string } | undefined> {
    const cp = await this.deps.sink?.last();
    if (!cp) return undefined;
    if (!checkpointSignatureValid(cp, this.deps.publicKey)) {
      throw new AppError(
        'integrity_failed',
        `The newest checkpoint in the sink ${this.deps.sink?.target} is not signed by this vault's audit key: the sink holds another vault's checkpoints, or was edited.`,
      );
    }
    return cp;
  }

  /** Refuses a log whose head is behind `anchor`, or whose record at its seq differs. */
  private async assertNotBehind(anchor: { seq: number; hash: string }, what: string): Promise<void> {
    const head = await this.deps.store.getAuditHead();
    const at =
      anchor.seq === 0
        ? undefined
        : (await this.deps.store.queryAudit({ afterSeq: anchor.seq - 1, upToSeq: anchor.seq, newestFirst: false }))[0];
    if (!head || head.seq < anchor.seq || (anchor.seq > 0 && at?.hash !== anchor.hash)) {
      throw new AppError(
        'integrity_failed',
        `The audit log is behind its ${what} (record ${anchor.seq}; the log's head is ${head?.seq ?? 'missing'}${at && at.hash !== anchor.hash ? ', and its record there differs' : ''}): the store was rolled back or rewritten outside the vault. Restore the newest backup of the store; to accept an older one on purpose, move the mark (or the sink's file) aside first.`,
      );
    }
  }

  /** Verifies the chain from `after` up to the current head, page by page, yielding between pages. */
  private async verify(after: { seq: number; hash: string } | undefined): Promise<void> {
    const head = await this.deps.store.getAuditHead();
    const verifier = new ChainVerifier({ head, headKey: this.deps.headKey, ...(after ? { after } : {}), maxProblems: 1 });
    const upToSeq = head?.seq ?? 0;
    let last = after ?? { seq: 0, hash: '0'.repeat(64) };
    for (let from = last.seq; from < upToSeq && !this.stopped; ) {
      const page = await this.deps.store.queryAudit({ afterSeq: from, upToSeq, limit: PAGE, newestFirst: false });
      if (page.length === 0) break;
      for (const r of page) {
        verifier.push(r);
        // The index already holds what came before (a sweep re-reads old records: they must not set it back).
        if (r.seq > this.verified.seq) this.deps.freshness.apply(r);
        last = { seq: r.seq, hash: r.hash };
      }
      from = (page.at(-1) as AuditRecord).seq;
      // Other requests get their turn between pages: a long log never holds the server.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.stopped) return;
    // Records appended after the head was read are left for the next pass.
    const problem = verifier.finish().problems[0];
    if (problem) this.markBroken(problem);
    else if (last.seq >= this.verified.seq) {
      this.verified = last;
      this.deps.highWater.advance(last.seq, last.hash);
    }
    this.deps.freshness.prune(this.deps.now());
  }

  /** The whole chain, from the first record. */
  sweep(): Promise<void> {
    return this.verify(undefined);
  }

  /** Verifies what was appended since the last pass now, in turn with the scheduled passes. */
  catchUp(): Promise<void> {
    const pass = this.running.then(() => this.follow());
    this.running = pass.catch(() => undefined);
    return pass;
  }

  /** The records after the last verified one. */
  follow(): Promise<void> {
    if (this.problem) return Promise.resolve();
    return this.verify(this.verified.seq > 0 ? this.verified : undefined);
  }

  private async publish(): Promise<void> {
    const sink = this.deps.sink;
    // A broken log gets no more checkpoints: the vault vouches only for what it verified.
    if (!sink || !this.sinkState || this.problem) return;
    try {
      await sink.publish(await this.deps.checkpoint());
      this.sinkState = { ok: true, lastAt: this.deps.now(), error: undefined };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.sinkState = { ok: false, lastAt: this.sinkState.lastAt, error };
      this.deps.logger.error(`could not send an audit checkpoint to ${sink.target}: ${error}`);
    }
  }
}
