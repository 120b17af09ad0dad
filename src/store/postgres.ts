/**
 * The PostgreSQL store, for when one machine is not enough: several vault replicas share one
 * database. Everything that must be atomic across replicas is one statement or one transaction
 * with a row lock: spending token uses (a conditional UPDATE), and every commit (it locks the single
 * audit-head row first, so sequence numbers stay gapless, the chain stays linear whichever replica
 * writes, and the changes committed with the records are serialised too).
 */
import pg from 'pg';
import { AppError } from '../core/errors.js';
import { type Driver, type Program, runAsync, type Step } from './sql/program.js';
import { openSchema } from './sql/schema.js';
import { SqlStore } from './sql/store.js';

export interface PostgresStoreOptions {
  /** A connection string, e.g. postgres://vault@db.internal:5432/vault. */
  url: string;
  /** Schema to use. Default `public`. */
  schema?: string;
  poolSize?: number;
  /** Create the schema (and the PostgreSQL schema) when there is none (`ass init`). */
  create?: boolean;
  /** Open a store made by an earlier build, to migrate it (`ass migrate`); otherwise it is refused. */
  older?: boolean;
}

/** PostgreSQL identifiers this vault accepts for its schema (no quoting needed anywhere). */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

type Queryable = Pick<pg.Pool, 'query'>;

/** How many distinct statement texts are prepared by name (see `prepared`). */
const NAMED_STATEMENTS = 200;

class PostgresDriver implements Driver {
  readonly dialect = 'postgres' as const;
  private readonly texts = new Map<string, { name?: string; text: string }>();

  constructor(readonly pool: pg.Pool) {}

  /** `?` placeholders → `$1, $2…`, plus `FOR UPDATE` for locking reads; each text is a named prepared statement. */
  private prepared(sql: string, lock: boolean): { name?: string; text: string } {
    const key = lock ? `${sql}\u0000lock` : sql;
    const known = this.texts.get(key);
    if (known) return known;
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`) + (lock ? ' FOR UPDATE' : '');
    // Each named statement is prepared once per pooled connection and kept there: name the first
    // few hundred texts (the fixed queries are a few dozen) and send any others unnamed, so the
    // variety of filters a caller picks cannot grow the server's memory.
    if (this.texts.size >= NAMED_STATEMENTS) return { text };
    const p = { name: `ass_${this.texts.size}`, text };
    this.texts.set(key, p);
    return p;
  }

  private async exec(client: Queryable, step: Step): Promise<unknown> {
    if (step.kind === 'script') {
      await client.query(step.sql);
      return undefined;
    }
    const values = step.args.map((a) => (a === undefined ? null : a instanceof Uint8Array && !Buffer.isBuffer(a) ? Buffer.from(a) : a));
    const res =
      values.length === 0 && !('lock' in step && step.lock)
        ? await client.query(step.sql)
        : await client.query({ ...this.prepared(step.sql, 'lock' in step && step.lock === true), values });
    switch (step.kind) {
      case 'get':
        return res.rows[0];
      case 'all':
        return res.rows;
      case 'run':
        return res.rowCount ?? 0;
    }
  }

  statement(step: Step): Promise<unknown> {
    return this.exec(this.pool, step);
  }

  async read<T>(program: Program<T>): Promise<T> {
    // One client for the whole program: its statements see each other's effects, in order.
    const client = await this.pool.connect();
    try {
      return await runAsync(program, (s) => this.exec(client, s));
    } finally {
      client.release();
    }
  }

  async transaction<T>(program: Program<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await runAsync(program, (s) => this.exec(client, s));
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async close() {
    await this.pool.end();
  }
}

/** Opens (or, with `create`, creates) the vault store in a PostgreSQL database and schema. */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<SqlStore> {
  const schema = opts.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new AppError(
      'invalid_input',
      `The PostgreSQL schema name ${JSON.stringify(schema.slice(0, 70))} is not valid: use lower-case letters, digits and _.`,
    );
  }
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, options: `-c search_path=${schema}` });
  // An idle client's error (the server restarting) must not crash the process.
  pool.on('error', () => {});
  const driver = new PostgresDriver(pool);
  try {
    if (opts.create) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await driver.transaction(
      (function* () {
        // Replicas starting together create or upgrade the schema one at a time.
        yield { kind: 'get', sql: 'SELECT pg_advisory_xact_lock(7354101)', args: [] } as Step;
        return yield* openSchema('postgres', {
          create: opts.create ?? false,
          where: `The PostgreSQL schema "${schema}"`,
          older: opts.older ?? false,
        });
      })(),
    );
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  return new SqlStore(driver);
}
