/**
 * The embedded store: one SQLite file in WAL mode, through Node's built-in `node:sqlite`. Programs
 * run synchronously, so a transaction is never interleaved with another request's statements.
 */
import { existsSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { AppError } from '../core/errors.js';
import { type Driver, type Program, runSync, type Step } from './sql/program.js';
import { openSchema } from './sql/schema.js';
import { SqlStore } from './sql/store.js';

export interface SqliteStoreOptions {
  /** `full` fsyncs every commit (survives power loss); `normal` (default) survives process crashes. */
  synchronous?: 'normal' | 'full';
  /** Create the schema in a new file (`ass init`); otherwise a file without a vault is refused. */
  create?: boolean;
  /** Open a store made by an earlier build, to migrate it (`ass migrate`); otherwise it is refused. */
  older?: boolean;
}

/** Prepared statements kept per connection (the fixed queries are a few dozen). */
const STATEMENT_CACHE = 200;

class SqliteDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  private readonly stmts = new Map<string, StatementSync>();

  constructor(readonly db: DatabaseSync) {}

  private stmt(sql: string): StatementSync {
    let s = this.stmts.get(sql);
    if (s) {
      // Most recently used last, so the cache drops what has not been used for longest.
      this.stmts.delete(sql);
      this.stmts.set(sql, s);
      return s;
    }
    s = this.db.prepare(sql);
    this.stmts.set(sql, s);
    // Bounded: query texts vary with the filters a request picks, and a cache that only grows is
    // memory anyone allowed to query can spend.
    if (this.stmts.size > STATEMENT_CACHE) this.stmts.delete(this.stmts.keys().next().value as string);
    return s;
  }

  private readonly exec = (step: Step): unknown => {
    if (step.kind === 'script') {
      this.db.exec(step.sql);
      return undefined;
    }
    const args = (step.args.includes(undefined) ? step.args.map((a) => (a === undefined ? null : a)) : step.args) as never[];
    const s = this.stmt(step.sql);
    switch (step.kind) {
      case 'get':
        return s.get(...args);
      case 'all':
        return s.all(...args);
      case 'run':
        return Number(s.run(...args).changes);
    }
  };

  statement(step: Step): Promise<unknown> {
    try {
      return Promise.resolve(this.exec(step));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  read<T>(program: Program<T>): Promise<T> {
    try {
      return Promise.resolve(runSync(program, this.exec));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  transaction<T>(program: Program<T>): Promise<T> {
    this.stmt('BEGIN IMMEDIATE').run();
    try {
      const out = runSync(program, this.exec);
      this.stmt('COMMIT').run();
      return Promise.resolve(out);
    } catch (err) {
      if (this.db.isTransaction) this.stmt('ROLLBACK').run();
      return Promise.reject(err);
    }
  }

  async close() {
    this.stmts.clear();
    if (this.db.isOpen) this.db.close();
  }
}

/** Opens (or, with `create`, creates) the vault store in `file`. */
export async function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Promise<SqlStore> {
  if (!options.create && !existsSync(file)) {
    throw new AppError('not_found', `${file} holds no vault: create one with ass init.`);
  }
  const db = new DatabaseSync(file);
  const driver = new SqliteDriver(db);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA busy_timeout = 5000');
    await driver.transaction(openSchema('sqlite', { create: options.create ?? false, where: file, older: options.older ?? false }));
  } catch (err) {
    await driver.close();
    throw err;
  }
  return new SqlStore(driver);
}
