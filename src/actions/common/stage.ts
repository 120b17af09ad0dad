/** The steps of an action's run, so a failure can say where it happened and how to fix it. */
import { errorMessage } from '../../core/errors.js';

/** An error tagged with the stage it happened in. */
export class StageError<S extends string = string> extends Error {
  constructor(
    readonly stage: S,
    readonly original: unknown,
  ) {
    super(errorMessage(original));
  }
}

/** Runs one stage; an error from it is tagged with the stage (once: an inner tag wins). */
export async function stage<S extends string, T>(name: S, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof StageError ? err : new StageError(name, err);
  }
}
