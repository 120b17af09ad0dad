import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_PATTERN, generateCredential, parseCredential } from '../../src/core/credentials.js';
import { Keyring } from '../../src/server/crypto.js';
import { VaultKeys } from '../../src/server/keys.js';

const keys = new VaultKeys(Buffer.alloc(32, 3));

describe('credentials', () => {
  it('have a recognisable prefix, 256 random bits and a checksum', () => {
    const seen = new Set<string>();
    for (const kind of ['user', 'agent', 'token', 'pipeline'] as const) {
      const c = generateCredential(kind);
      expect(c.secret).toMatch(CREDENTIAL_PATTERN);
      expect(c.secret.length).toBe(6 + 65);
      expect(parseCredential(c.secret)).toEqual({ kind, id: c.id, secret: c.secret });
      const stored = keys.credentialHash(c.secret);
      expect(keys.credentialMatches(c.secret, stored)).toBe(true);
      expect(stored).not.toContain(c.secret.slice(22));
      seen.add(c.secret.slice(22, 65));
    }
    expect(seen.size).toBe(4);
  });

  it('rejects a credential whose checksum or body was altered', () => {
    const c = generateCredential('token');
    const flipped = c.secret.slice(0, 30) + (c.secret[30] === 'a' ? 'b' : 'a') + c.secret.slice(31);
    expect(parseCredential(flipped)).toBeUndefined();
    expect(parseCredential(`${c.secret}x`)).toBeUndefined();
    expect(parseCredential(c.secret.replace('ass_t_', 'ass_x_'))).toBeUndefined();
    expect(keys.credentialMatches(flipped, keys.credentialHash(c.secret))).toBe(false);
  });

  it('are stored keyed: a hash computed without the vault key matches nothing', () => {
    const c = generateCredential('user');
    const plain = createHash('sha256').update(c.secret).digest('hex');
    expect(keys.credentialMatches(c.secret, plain)).toBe(false);
    expect(new VaultKeys(Buffer.alloc(32, 4)).credentialMatches(c.secret, keys.credentialHash(c.secret))).toBe(false);
    // What an earlier version stored (the bare digest) keys to the same value.
    expect(keys.rekeyDigest(plain)).toBe(keys.credentialHash(c.secret));
  });
});

describe('envelope encryption', () => {
  const keyring = new Keyring(Buffer.alloc(32, 1));

  it('round-trips and never stores the plaintext', () => {
    const blob = keyring.seal(Buffer.from('canary-crypto-value'), 'prod/a', 1);
    expect(Buffer.from(blob).toString('latin1')).not.toContain('canary-crypto-value');
    expect(keyring.open(blob, 'prod/a', 1).toString()).toBe('canary-crypto-value');
  });

  it('fails on a tampered byte, another path, or another version', () => {
    const blob = keyring.seal(Buffer.from('value'), 'prod/a', 1);
    for (let i = 0; i < blob.length; i += 7) {
      const t = Buffer.from(blob);
      t[i] = (t[i] as number) ^ 0x01;
      expect(() => keyring.open(t, 'prod/a', 1)).toThrow(/integrity|master key/);
    }
    expect(() => keyring.open(blob, 'prod/b', 1)).toThrow(/integrity/);
    expect(() => keyring.open(blob, 'prod/a', 2)).toThrow(/integrity/);
  });

  it('decrypts with an older master key after rotation, and names a missing key', () => {
    const oldKey = Buffer.alloc(32, 2);
    const blob = new Keyring(oldKey).seal(Buffer.from('v'), 'p', 1);
    expect(new Keyring(Buffer.alloc(32, 3), [oldKey]).open(blob, 'p', 1).toString()).toBe('v');
    expect(() => new Keyring(Buffer.alloc(32, 3)).open(blob, 'p', 1)).toThrow(/master key [0-9a-f]{16}/);
  });
});

describe('rewrapping after a master-key rotation', () => {
  it('reseals only the data key: the value part is unchanged and opens under the new key alone', () => {
    const oldKey = Buffer.alloc(32, 4);
    const blob = new Keyring(oldKey).seal(Buffer.from('rotate-me'), 'p/x', 3);
    const both = new Keyring(Buffer.alloc(32, 5), [oldKey]);
    const rewrapped = both.rewrap(blob, 'p/x', 3) as Buffer;
    expect(rewrapped.subarray(-(16 + 12 + 9))).toEqual(Buffer.from(blob).subarray(-(16 + 12 + 9)));
    expect(new Keyring(Buffer.alloc(32, 5)).open(rewrapped, 'p/x', 3).toString()).toBe('rotate-me');
    expect(both.rewrap(rewrapped, 'p/x', 3)).toBeUndefined();
    expect(() => both.rewrap(blob, 'p/y', 3)).toThrow(/integrity/);
  });
});
