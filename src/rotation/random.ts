/**
 * The `random` rotator: a new value from the operating system's CSPRNG, for secrets the vault can
 * simply replace (webhook signing secrets, session keys, internal API keys). Nothing outside the
 * vault needs to change, so there is no provider to call and nothing to revoke.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseSettingsWith } from './settings.js';
import { type RotateContext, RotationStepError, type Rotator } from './types.js';

export const ALPHABETS = {
  alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
} as const;
export type AlphabetName = keyof typeof ALPHABETS;

export const MIN_LENGTH = 16;
export const MAX_LENGTH = 4096;
export const MAX_PREFIX_LENGTH = 64;

export interface RandomSettings {
  /** Characters drawn from the CSPRNG, not counting the prefix. */
  length: number;
  alphabet: AlphabetName;
  /** Fixed text in front of the random part (`whsec_`), so scanners and people recognise the value. */
  prefix: string;
}

const schema = z.strictObject(
  {
    length: z
      .number({ error: `give a whole number of characters from ${MIN_LENGTH} to ${MAX_LENGTH}, such as 32.` })
      .int({ error: `give a whole number of characters from ${MIN_LENGTH} to ${MAX_LENGTH}, such as 32.` })
      .min(MIN_LENGTH, { error: `use at least ${MIN_LENGTH} characters; fewer is guessable.` })
      .max(MAX_LENGTH, { error: `use at most ${MAX_LENGTH} characters.` })
      .default(32),
    alphabet: z
      .enum(Object.keys(ALPHABETS) as [AlphabetName, ...AlphabetName[]], {
        error: 'use one of alphanumeric (the default), hex or base64url.',
      })
      .default('alphanumeric'),
    prefix: z
      .string({ error: 'give the prefix as text, such as whsec_.' })
      .max(MAX_PREFIX_LENGTH, { error: `keep the prefix to ${MAX_PREFIX_LENGTH} characters or fewer.` })
      // No spaces or control characters: the value must survive env files, headers and shell quoting.
      .regex(/^[\x21-\x7e]*$/, { error: 'use printable ASCII without spaces in the prefix, such as whsec_.' })
      .default(''),
  },
  { error: 'unknown setting; the random rotator takes length, alphabet and prefix.' },
);

export type RandomBytes = (size: number) => Buffer;

/**
 * `length` characters drawn uniformly from `alphabet` (at most 256 characters). Bytes at or above
 * the largest multiple of the alphabet's size are thrown away rather than folded in with `%`, which
 * would make the first characters more likely (62 does not divide 256).
 */
export function randomString(length: number, alphabet: string, randomBytes: RandomBytes = nodeRandomBytes): string {
  if (alphabet.length < 2 || alphabet.length > 256) throw new RangeError('alphabet must have 2 to 256 characters');
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    // A little more than needed, so one draw usually suffices even with rejections.
    for (const byte of randomBytes(Math.ceil((length - out.length) * 1.1) + 8)) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Checks `value` has the shape the settings ask for: catches a value that was cut or altered on the way. */
function checkShape(value: string, s: RandomSettings): void {
  const body = value.slice(s.prefix.length);
  const alphabet = ALPHABETS[s.alphabet];
  if (!value.startsWith(s.prefix) || body.length !== s.length || [...body].some((c) => !alphabet.includes(c))) {
    throw new RotationStepError(
      'test',
      `The new value does not have the configured shape (${s.length} ${s.alphabet} characters after the prefix).`,
      'Rotate again; if it fails again, check that nothing rewrites values between the rotator and the vault.',
    );
  }
}

/** The `random` rotator; `randomBytes` is injectable for tests of the sampling itself. */
export function randomRotator(deps: { randomBytes?: RandomBytes } = {}): Rotator {
  const randomBytes = deps.randomBytes ?? nodeRandomBytes;
  const settingsOf = (ctx: RotateContext) => schema.parse(ctx.settings) as RandomSettings;
  return {
    name: 'random',
    parseSettings: (raw) => parseSettingsWith('random', schema, raw),
    async create(ctx) {
      const s = settingsOf(ctx);
      const value = s.prefix + randomString(s.length, ALPHABETS[s.alphabet], randomBytes);
      ctx.mask(value);
      return value;
    },
    async test(ctx, value) {
      checkShape(value, settingsOf(ctx));
    },
  };
}
