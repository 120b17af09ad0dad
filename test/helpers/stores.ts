import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { VaultKeys } from '../../src/server/keys.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { SqlStore } from '../../src/store/sql/store.js';

/** The keys test stores authenticate their rows with (a fixed vault secret). */
export const testKeys = new VaultKeys(Buffer.alloc(32, 9));

const withKeys = (store: SqlStore) => {
  store.useIntegrity(testKeys);
  return store;
};

import { openSqliteStore } from '../../src/store/sqlite.js';

/** The PostgreSQL used by tests: the machine's local server (trust auth), overridable. */
export const PG_URL = process.env.ASS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs SQL on the test PostgreSQL outside any store (in `schema`, when given). */
export async function pgQuery(sql: string, args: unknown[] = [], schema?: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_URL, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return await client.query(sql, args);
  } finally {
    await client.end();
  }
}

export interface StoreFactory {
  name: string;
  open(): Promise<{
    store: SqlStore;
    cleanup(): Promise<void>;
    /** Opens the same database again, without creating anything. */
    reopen(): Promise<SqlStore>;
    /** Opens a database that holds no vault, without `create`; throws if that created anything. */
    openEmpty(): Promise<SqlStore>;
  }>;
}

export const sqliteFactory: StoreFactory = {
  name: 'sqlite',
  async open() {
    const dir = await mkdtemp(path.join(tmpdir(), 'ass-store-'));
    const file = path.join(dir, 'vault.db');
    const store = withKeys(await openSqliteStore(file, { create: true }));
    return {
      store,
      reopen: async () => withKeys(await openSqliteStore(file)),
      async openEmpty() {
        const empty = path.join(dir, 'empty.db');
        const opened = await openSqliteStore(empty).catch((err: unknown) => err as Error);
        if (existsSync(empty)) throw new Error('opening without create made a file');
        if (opened instanceof Error) throw opened;
        return opened;
      },
      async cleanup() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

/** A throwaway schema per store, dropped afterwards, so tests never touch real data. */
export const postgresFactory: StoreFactory = {
  name: 'postgres',
  async open() {
    const schema = `ass_test_${randomBytes(6).toString('hex')}`;
    const store = withKeys(await openPostgresStore({ url: PG_URL, schema, poolSize: 12, create: true }));
    return {
      store,
      reopen: async () => withKeys(await openPostgresStore({ url: PG_URL, schema })),
      async openEmpty() {
        const empty = `${schema}_empty`;
        const opened = await openPostgresStore({ url: PG_URL, schema: empty }).catch((err: unknown) => err as Error);
        const found = await pgQuery('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [empty]);
        if (found.rowCount) throw new Error('opening without create made a schema');
        if (opened instanceof Error) throw opened;
        return opened;
      },
      async cleanup() {
        await store.close();
        await pgQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      },
    };
  },
};
