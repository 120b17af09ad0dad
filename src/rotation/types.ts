/**
 * Rotation, as the CLI, the `rotate/` action and `ass server --rotate` run it: a rotator makes a
 * new value for one secret (at its provider, or from a CSPRNG), tests it, and later revokes the
 * value it replaced; the vault keeps the stages (pending → current → previous until the grace
 * period ends) and the lease that keeps two rotators off one path. Rotators run where the rotation
 * runs, never inside the vault's request handling, and never print a value: every value they make
 * or read goes through `mask` first.
 */
import type { Logger } from '../core/logger.js';

export { ROTATORS, type RotatorName } from '../core/model.js';

import type { RotatorName } from '../core/model.js';

/** What a rotator is given for one secret. */
export interface RotateContext {
  /** The secret's path in the vault. */
  path: string;
  /** The current value and its version (undefined when the secret has no value yet). */
  current: { value: string; version: number } | undefined;
  /** The policy's rotator settings (already validated by the rotator's `parseSettings`). */
  settings: Record<string, unknown>;
  /**
   * Reads another secret the rotator needs (the postgres rotator's admin connection string); the
   * value is masked before it is returned.
   */
  readSecret(path: string): Promise<string>;
  /** Registers a value so that no log line, summary or error can show it (`core.setSecret` in an action). */
  mask(value: string): void;
  logger: Logger;
  /** The rotation's id: a rotator that creates something at a provider uses it to make a rerun safe. */
  rotationId: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** A failed step, with what to do about it (never a value). */
export class RotationStepError extends Error {
  constructor(
    readonly step: 'create' | 'test' | 'revoke' | 'after',
    message: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'RotationStepError';
  }
}

export interface Rotator {
  readonly name: RotatorName;
  /** Reads the current value (`ctx.current`) to make the next one; the others never read it. */
  readonly usesCurrent?: true;
  /** Checks a policy's settings (from `ass rotation set` flags); throws an AppError('invalid_input') naming the fix. */
  parseSettings(raw: Record<string, unknown>): Record<string, unknown>;
  /** Makes the new value. Called again on a rerun after a crash, so it must be safe to repeat. */
  create(ctx: RotateContext): Promise<string>;
  /** Proves the new value works before it is promoted (connect with it, run the test command). */
  test?(ctx: RotateContext, value: string): Promise<void>;
  /** Runs once the new value is current (write it where it is used: a GitHub secret). */
  afterFinish?(ctx: RotateContext, value: string): Promise<void>;
  /** Invalidates the replaced value at its provider once its grace period has ended. */
  revoke?(ctx: RotateContext, previous: string): Promise<void>;
}

/** One secret's outcome, as `ass rotate --json`, the action's outputs and its job summary show it (never a value). */
export interface RotationResult {
  path: string;
  rotator: RotatorName;
  /** `revoked`: the value a rotation replaced was revoked at its provider after its grace period, and retired. */
  status: 'rotated' | 'revoked' | 'failed' | 'skipped' | 'would-rotate' | 'would-revoke';
  /** The current version before and after (after: only when rotated). */
  fromVersion: number | null;
  toVersion: number | null;
  test: 'passed' | 'failed' | 'none';
  rotationId: string | null;
  /** ISO 8601. */
  nextDue: string | null;
  graceEnds: string | null;
  /** Why it failed or was skipped, and the fix. */
  reason?: string;
  fix?: string;
}
