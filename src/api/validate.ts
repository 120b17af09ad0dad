import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import { quoteName } from '../core/text.js';

export type InputPart = 'body' | 'query' | 'path';

const WHERE: Record<InputPart, { whole: string; field: (f: string) => string }> = {
  body: { whole: 'request body', field: (f) => `field ${f} in the request body` },
  query: { whole: 'query string', field: (f) => `query parameter ${f}` },
  path: { whole: 'URL path', field: (f) => `path parameter ${f}` },
};

/**
 * Validates one part of a request with its zod schema and turns the first problem into a message
 * that names the field and what it should be. Values are never echoed back (a body can hold a
 * secret). Parsers that throw their own AppError (paths, scopes) keep their code and message.
 */
export function validate<T extends z.ZodType>(schema: T, value: unknown, part: InputPart): z.output<T> {
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  const where = WHERE[part];
  const issue = res.error.issues[0];
  if (!issue) throw new AppError('invalid_input', `The ${where.whole} is not valid.`);
  // Record keys come from the request: each segment is shown quoted and cut short.
  // A query parameter is one string on the wire, whatever it decodes to: name the parameter only.
  const path = part === 'query' ? issue.path.slice(0, 1) : issue.path;
  const field = path.length
    ? path.map((k) => (typeof k === 'string' && /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(k) ? k : quoteName(String(k)))).join('.')
    : undefined;
  let message: string;
  if (issue.code === 'unrecognized_keys') {
    message =
      part === 'body'
        ? `The request body has unknown field(s) ${issue.keys.map((k) => quoteName(k)).join(', ')}; remove them (field names are camelCase).`
        : `Unknown ${part === 'query' ? 'query parameter' : 'field'} ${issue.keys.map((k) => quoteName(k)).join(', ')}.`;
  } else if (field && valueAt(value, path) === undefined) {
    message = `The ${where.whole} is missing the ${part === 'body' ? 'field' : 'parameter'} ${field}.`;
  } else if (!field && value === undefined && part === 'body') {
    message = 'The request body is missing: send a JSON object with Content-Type: application/json.';
  } else {
    message = `The ${field ? where.field(field) : where.whole} is not valid: ${issue.message}.`;
  }
  throw new AppError('invalid_input', message, field ? { details: { field } } : {});
}

/** The value at `path` in the input, or undefined when it is absent (a primitive on the way is present). */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = body;
  for (const key of path) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof cur !== 'object') return cur;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
