/** The vault's derived keys: credential hashes and row MACs, including the memory of verified rows. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VaultKeys } from '../../src/server/keys.js';

describe('VaultKeys', () => {
  const keys = new VaultKeys(randomBytes(32));
  const other = new VaultKeys(randomBytes(32));
  const row = ['tok1', 'token', 'agent1', 'hash', '["secrets:read:app/*"]', 1, 2, null, '[]', null, null, null];

  it('keys credential hashes: the same credential hashes differently under another vault, and matches only its own', () => {
    const cred = 'ass_u_example';
    expect(keys.credentialHash(cred)).not.toBe(other.credentialHash(cred));
    expect(keys.credentialMatches(cred, keys.credentialHash(cred))).toBe(true);
    expect(keys.credentialMatches(cred, other.credentialHash(cred))).toBe(false);
    expect(keys.credentialMatches(`${cred}x`, keys.credentialHash(cred))).toBe(false);
    // Once remembered, the answer is the same: another vault's hash, or another credential, never matches.
    for (let round = 0; round < 2; round++) {
      expect(keys.credentialMatches(cred, keys.credentialHash(cred))).toBe(true);
      expect(keys.credentialMatches(cred, other.credentialHash(cred))).toBe(false);
      expect(keys.credentialMatches(cred, keys.credentialHash(`${cred}y`))).toBe(false);
      expect(keys.credentialMatches(cred, '')).toBe(false);
    }
  });

  it('accepts a row MAC only for exactly the fields and table it was made for, also once the row is remembered', () => {
    const mac = keys.rowMac('tokens', row);
    for (let round = 0; round < 2; round++) {
      // The second round answers from the memory of verified rows: it must say the same.
      expect(keys.rowMacValid('tokens', row, mac)).toBe(true);
      expect(keys.rowMacValid('tokens', row, `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
      expect(keys.rowMacValid('tokens', row, other.rowMac('tokens', row))).toBe(false);
      expect(keys.rowMacValid('users', row, mac)).toBe(false);
      expect(
        keys.rowMacValid(
          'tokens',
          row.map((f, i) => (i === 4 ? '["secrets:*:*"]' : f)),
          mac,
        ),
      ).toBe(false);
      expect(keys.rowMacValid('tokens', row, null)).toBe(false);
      expect(keys.rowMacValid('tokens', row, '')).toBe(false);
    }
  });

  it('stays correct past the memory bound', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [`id${i}`, i]);
    const macs = rows.map((r) => keys.rowMac('users', r));
    expect(rows.every((r, i) => keys.rowMacValid('users', r, macs[i]))).toBe(true);
    expect(rows.some((r, i) => keys.rowMacValid('users', r, macs[(i + 1) % rows.length]))).toBe(false);
    expect(keys.rowMacValid('users', rows[0] as unknown[], macs[0])).toBe(true);
  });
});
