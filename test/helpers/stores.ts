import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

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

export interface StoreFactory {
  name: string;
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

export const sqliteFactory: StoreFactory = {
  name: 'sqlite',
  async open() {
    const dir = await mkdtemp(path.join(tmpdir(), 'ass-store-'));
    const store = new SqliteStore(path.join(dir, 'vault.db'));
    return {
      store,
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
    const store = await PostgresStore.open({ url: PG_URL, schema, poolSize: 12 });
    return {
      store,
      async cleanup() {
        await store.close();
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  },
};
