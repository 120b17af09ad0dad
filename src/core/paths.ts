import { AppError } from './errors.js';

/** Limits on secret paths: generous for real hierarchies, small enough to index and log safely. */
export const MAX_PATH_LENGTH = 512;
export const MAX_PATH_SEGMENTS = 32;

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Checks that `input` is a canonical secret path and returns it unchanged. Paths are
 * case-sensitive segments of `[A-Za-z0-9._-]` joined by `/`. Anything that could be read two ways
 * (`..`, `.`, empty segments, percent-encoding, control characters, leading or trailing slashes)
 * is refused rather than normalised, so that the path a scope was checked against is the path
 * that is stored and audited.
 */
export function parseSecretPath(input: unknown, what = 'secret path'): string {
  if (typeof input !== 'string' || input.length === 0) {
    throw new AppError('invalid_path', `The ${what} is empty: give a path such as production/payments/stripe/secret-key.`);
  }
  const shown = describeForError(input);
  if (input.length > MAX_PATH_LENGTH) {
    throw new AppError('invalid_path', `The ${what} is ${input.length} characters long; the limit is ${MAX_PATH_LENGTH}.`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(input)) {
    throw new AppError(
      'invalid_path',
      `The ${what} ${shown} contains a control character; use only letters, digits, '.', '_', '-' and '/'.`,
    );
  }
  if (input.includes('%')) {
    throw new AppError(
      'invalid_path',
      `The ${what} ${shown} contains '%': encoded characters (such as %2F) are not allowed in paths; write the path out plainly.`,
    );
  }
  if (input.includes('\\')) {
    throw new AppError('invalid_path', `The ${what} ${shown} contains a backslash; separate segments with '/'.`);
  }
  if (input.startsWith('/') || input.endsWith('/')) {
    throw new AppError('invalid_path', `The ${what} ${shown} starts or ends with '/'; write it without leading or trailing slashes.`);
  }
  const segments = input.split('/');
  if (segments.length > MAX_PATH_SEGMENTS) {
    throw new AppError('invalid_path', `The ${what} ${shown} has ${segments.length} segments; the limit is ${MAX_PATH_SEGMENTS}.`);
  }
  for (const segment of segments) {
    if (segment === '') {
      throw new AppError('invalid_path', `The ${what} ${shown} has an empty segment ('//'); remove the doubled slash.`);
    }
    if (segment === '.' || segment === '..') {
      throw new AppError('invalid_path', `The ${what} ${shown} has a '${segment}' segment; relative segments are not allowed.`);
    }
    if (!SEGMENT.test(segment)) {
      throw new AppError(
        'invalid_path',
        `The ${what} ${shown} has the segment ${describeForError(segment)}; segments may contain only letters, digits, '.', '_' and '-'.`,
      );
    }
  }
  return input;
}

/** Validates a path prefix (used for listing and prefix reads): a path, optionally ending in `/`. */
export function parsePathPrefix(input: unknown, what = 'path prefix'): string {
  if (input === undefined || input === '') return '';
  if (typeof input !== 'string') throw new AppError('invalid_path', `The ${what} must be a string.`);
  const trimmed = input.endsWith('/*') ? input.slice(0, -2) : input.endsWith('/') ? input.slice(0, -1) : input;
  return parseSecretPath(trimmed, what);
}

/** True when `path` is `prefix` itself or lies below it, on segment boundaries. */
export function isUnderPrefix(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** A short, printable rendering of user input for error messages (never a secret value). */
export function describeForError(value: string): string {
  const cut = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(cut);
}
