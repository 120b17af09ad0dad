import type { z } from 'zod';
import { AppError } from '../core/errors.js';

/**
 * Validates a request body (or query) with zod and turns the first problem into a message that
 * names the field and what it should be. Values are never echoed back.
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, where = 'request body'): z.infer<T> {
  const res = schema.safeParse(body ?? {});
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  if (!issue) throw new AppError('invalid_input', `The ${where} is not valid.`);
  const field = issue.path.length ? issue.path.join('.') : undefined;
  let message: string;
  if (issue.code === 'unrecognized_keys') {
    message = `The ${where} has unknown field(s) ${issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; remove them (field names are camelCase).`;
  } else if (field && valueAt(body, issue.path) === undefined) {
    message = `The ${where} is missing the field ${field}.`;
  } else {
    message = `The field ${field ?? '(body)'} in the ${where} is not valid: ${issue.message}.`;
  }
  throw new AppError('invalid_input', message, field ? { details: { field } } : {});
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = body;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
