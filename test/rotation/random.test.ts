import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { ALPHABETS, randomRotator, randomString } from '../../src/rotation/random.js';
import { RotationStepError } from '../../src/rotation/types.js';
import { testContext } from '../helpers/rotation.js';

const rotator = randomRotator();

async function make(raw: Record<string, unknown>) {
  const settings = rotator.parseSettings(raw);
  const ctx = testContext({ settings });
  const value = await rotator.create(ctx);
  return { value, ctx, settings };
}

/** Pearson's chi-square statistic of character counts against a uniform distribution. */
function chiSquare(text: string, alphabet: string): number {
  const counts = new Map<string, number>([...alphabet].map((c) => [c, 0]));
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  const expected = text.length / alphabet.length;
  let chi = 0;
  for (const n of counts.values()) chi += (n - expected) ** 2 / expected;
  return chi;
}

describe('random rotator', () => {
  it('defaults to 32 alphanumeric characters, masked before they are returned', async () => {
    const { value, ctx } = await make({});
    expect(value).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(ctx.masked).toEqual([value]);
    await expect(rotator.test!(ctx, value)).resolves.toBeUndefined();
  });

  it.each([
    ['alphanumeric', /^[A-Za-z0-9]+$/],
    ['hex', /^[0-9a-f]+$/],
    ['base64url', /^[A-Za-z0-9_-]+$/],
  ])('draws %s values of the requested length', async (alphabet, pattern) => {
    for (const length of [16, 33, 4096]) {
      const { value } = await make({ length, alphabet });
      expect(value).toHaveLength(length);
      expect(value).toMatch(pattern);
    }
  });

  it('puts the prefix in front of the random part', async () => {
    const { value, ctx } = await make({ prefix: 'whsec_', length: 24, alphabet: 'base64url' });
    expect(value).toMatch(/^whsec_[A-Za-z0-9_-]{24}$/);
    await expect(rotator.test!(ctx, value)).resolves.toBeUndefined();
  });

  it('gives a different value each time', async () => {
    const values = new Set(await Promise.all(Array.from({ length: 50 }, async () => (await make({ length: 16 })).value)));
    expect(values.size).toBe(50);
  });

  it('draws every character of each alphabet about equally often (no modulo bias)', () => {
    // With 200,000 draws the chi-square statistic of a uniform source has mean (alphabet - 1) and
    // exceeds the bound below with probability under 1e-15; folding bytes with `%` into 62
    // characters gives about 1300 here, so the bound catches it.
    for (const [name, alphabet] of Object.entries(ALPHABETS)) {
      const df = alphabet.length - 1;
      const chi = chiSquare(randomString(200_000, alphabet), alphabet);
      expect(chi, name).toBeLessThan(df + 12 * Math.sqrt(2 * df) + 40);
    }
  });

  it('rejects biased bytes instead of folding them (deterministic source)', () => {
    // Bytes 248..255 would map to 'A'..'H' again under `% 62`; they must be skipped.
    let call = 0;
    const source = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (call++ === 0 && i < 4 ? 250 + i : 1)));
    expect(randomString(4, ALPHABETS.alphanumeric, source)).toBe('BBBB');
  });

  it('fails its test step for a value of the wrong shape', async () => {
    const { ctx, value } = await make({ prefix: 'whsec_' });
    await expect(rotator.test!(ctx, value.slice(0, -1))).rejects.toBeInstanceOf(RotationStepError);
    await expect(rotator.test!(ctx, `x${value.slice(1)}`)).rejects.toThrow(/configured shape/);
    await expect(rotator.test!(ctx, `${value.slice(0, -1)}!`)).rejects.toThrow(/configured shape/);
  });

  it.each([
    [{ length: 8 }, /"length".*at least 16/],
    [{ length: 5000 }, /"length".*at most 4096/],
    [{ length: 20.5 }, /"length".*whole number/],
    [{ length: '32' }, /"length".*whole number/],
    [{ alphabet: 'base32' }, /"alphabet".*alphanumeric.*hex.*base64url/],
    [{ prefix: 'wh sec_' }, /"prefix".*printable ASCII/],
    [{ prefix: 'pré_' }, /"prefix".*printable ASCII/],
    [{ prefix: 'p'.repeat(65) }, /"prefix".*64 characters/],
    [{ size: 32 }, /takes length, alphabet and prefix/],
  ])('refuses bad settings %j and names the fix', (raw, message) => {
    let caught: unknown;
    try {
      rotator.parseSettings(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('invalid_input');
    expect((caught as AppError).message).toMatch(message);
  });

  it('fills in defaults', () => {
    expect(rotator.parseSettings({})).toEqual({ length: 32, alphabet: 'alphanumeric', prefix: '' });
  });
});
