/** Data directories: a --dev vault removes itself on close; the database file is owner-only. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.js';

describe('dev vaults and file modes', () => {
  it('a --dev vault deletes its folder on close; the database file is owner-only', async () => {
    const dev = await startServer({ dev: true, listen: '127.0.0.1:0' });
    const db = path.join(dev.dataDir, 'vault.db');
    expect(statSync(db).mode & 0o777).toBe(0o600);
    await dev.close();
    expect(existsSync(dev.dataDir)).toBe(false);
  });
});
