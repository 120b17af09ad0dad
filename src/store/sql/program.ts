/**
 * Store operations are written once, as generator "programs" that yield SQL statements and receive
 * their results; each adapter runs them on its own connection. The embedded SQLite adapter runs a
 * program synchronously inside one transaction (nothing else can run on its connection meanwhile),
 * PostgreSQL runs it on one pooled client. So the rules (the last admin, spending a use, the audit
 * head) exist once, and each adapter keeps only its connection, transaction and locking code.
 *
 * Statements use `?` placeholders (PostgreSQL's adapter numbers them) and never put `?` in a
 * literal. `lock` asks for a row lock (`FOR UPDATE` on PostgreSQL; SQLite's write transactions are
 * exclusive already).
 */

export type Row = Record<string, unknown>;

export type Step =
  | { kind: 'get'; sql: string; args: readonly unknown[]; lock?: boolean }
  | { kind: 'all'; sql: string; args: readonly unknown[]; lock?: boolean }
  | { kind: 'run'; sql: string; args: readonly unknown[] }
  | { kind: 'script'; sql: string };

/** A store operation: yields statements, gets back a row (get), rows (all) or a change count (run). */
export type Program<T> = Generator<Step, T, unknown>;

export function* get(sql: string, args: readonly unknown[] = [], opts: { lock?: boolean } = {}): Generator<Step, Row | undefined, unknown> {
  return (yield { kind: 'get', sql, args, ...(opts.lock ? { lock: true } : {}) }) as Row | undefined;
}

export function* all(sql: string, args: readonly unknown[] = [], opts: { lock?: boolean } = {}): Generator<Step, Row[], unknown> {
  return (yield { kind: 'all', sql, args, ...(opts.lock ? { lock: true } : {}) }) as Row[];
}

/** Runs a statement; returns how many rows it changed. */
export function* run(sql: string, args: readonly unknown[] = []): Generator<Step, number, unknown> {
  return (yield { kind: 'run', sql, args }) as number;
}

/** Runs several statements without parameters (schema definitions). */
export function* script(sql: string): Generator<Step, void, unknown> {
  yield { kind: 'script', sql };
}

/** How an adapter runs programs. */
export interface Driver {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs a program without a transaction (reads, and single statements that are atomic on their own). */
  read<T>(program: Program<T>): Promise<T>;
  /** Runs one statement on its own: the hot path of every request, without a program around it. */
  statement(step: Step): Promise<unknown>;
  /** Runs a program in one transaction: all of its writes, or none. */
  transaction<T>(program: Program<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Drives a program step by step with `exec` (synchronous for SQLite). A statement's error is thrown
 * into the program, so a program can catch it (a savepoint rollback) or let it end the transaction.
 */
export function runSync<T>(program: Program<T>, exec: (step: Step) => unknown): T {
  let next = program.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = exec(next.value);
    } catch (err) {
      next = program.throw(err);
      continue;
    }
    next = program.next(result);
  }
  return next.value;
}

export async function runAsync<T>(program: Program<T>, exec: (step: Step) => Promise<unknown>): Promise<T> {
  let next = program.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await exec(next.value);
    } catch (err) {
      next = program.throw(err);
      continue;
    }
    next = program.next(result);
  }
  return next.value;
}
