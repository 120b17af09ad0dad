import type { Logger } from '../../src/core/logger.js';
import type { RotateContext } from '../../src/rotation/types.js';

/** A Logger that keeps every line, so tests can assert a canary appears in none. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

/** A RotateContext for one secret with a capturing logger and a record of masked values. */
export function testContext(
  overrides: Partial<RotateContext> & { secrets?: Record<string, string> } = {},
): RotateContext & { logger: ReturnType<typeof capturingLogger>; masked: string[] } {
  const masked: string[] = [];
  const { secrets = {}, ...rest } = overrides;
  return {
    path: 'test/rotation/secret',
    current: undefined,
    settings: {},
    async readSecret(path) {
      const value = secrets[path];
      if (value === undefined) throw new Error(`no secret at ${path}`);
      masked.push(value);
      return value;
    },
    mask: (v) => masked.push(v),
    rotationId: 'rot_test_1',
    env: { PATH: process.env.PATH },
    ...rest,
    logger: capturingLogger(),
    masked,
  };
}

/** The text of a rejected promise's error (message, fix and step), for canary checks. */
export async function errorText(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { fix?: string; step?: string; cause?: unknown };
    return [e.name, e.message, e.fix ?? '', e.step ?? '', String(e.stack ?? ''), String(e.cause ?? '')].join('\n');
  }
  throw new Error('expected the promise to reject');
}
