import { AppError } from './errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses a duration such as `90s`, `15m`, `1h`, `24h`, `1h30m` or a bare number of seconds, and
 * returns whole seconds. `what` names the option in the error message.
 */
export function parseDuration(input: unknown, what = 'duration'): number {
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input > 0) return input;
    throw new AppError('invalid_input', `The ${what} must be a positive whole number of seconds or a duration such as 15m or 1h.`);
  }
  if (typeof input !== 'string' || input.trim() === '') {
    throw new AppError('invalid_input', `The ${what} is missing: give a duration such as 90s, 15m or 1h.`);
  }
  const text = input.trim();
  if (/^0+([smhd])?$/.test(text)) {
    throw new AppError('invalid_input', `The ${what} must be longer than 0: give a duration such as 90s, 15m or 1h.`);
  }
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    if (seconds > 0) return seconds;
  } else if (/^(\d+[smhd])+$/.test(text)) {
    let total = 0;
    for (const [, n, unit] of text.matchAll(/(\d+)([smhd])/g)) total += Number(n) * (UNITS[unit as string] ?? 0);
    if (total > 0 && Number.isSafeInteger(total)) return total;
  }
  throw new AppError(
    'invalid_input',
    `The ${what} ${JSON.stringify(text.slice(0, 40))} is not a duration: use a number with a unit, such as 90s, 15m, 1h or 24h.`,
  );
}

/** Formats seconds the way users write them: 900 → "15m", 5400 → "1h30m". */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0s';
  let rest = Math.floor(seconds);
  let out = '';
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
