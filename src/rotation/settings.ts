/**
 * Shared parsing of rotator settings: one zod schema per rotator, and one error that lists every
 * bad setting with its fix, so `ass rotation set` reports all mistakes at once.
 */
import type { z } from 'zod';
import { AppError } from '../core/errors.js';

/**
 * Parses `raw` with `schema`, or throws AppError('invalid_input') naming each bad setting. The
 * schemas' messages state the fix; setting values are never echoed (a command or a path may be
 * sensitive enough not to belong in a log).
 */
export function parseSettingsWith<T extends z.ZodType>(rotator: string, schema: T, raw: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const messages = [
    ...new Set(
      result.error.issues.map((i) => {
        const key = i.path.map(String).join('.');
        return key ? `Setting "${key}" of the ${rotator} rotator: ${i.message}` : `The ${rotator} rotator: ${i.message}`;
      }),
    ),
  ];
  throw new AppError('invalid_input', messages.join('\n'));
}
