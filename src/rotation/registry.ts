/**
 * Which code rotates a policy's secret. The rotation loop (CLI, action, server) asks here by the
 * name stored in the policy, so adding a rotator means one line below and no change there.
 */
import { AppError } from '../core/errors.js';
import { quoteName } from '../core/text.js';
import { type AgentKeyRotatorDeps, agentKeyRotator } from './agent-key.js';
import { type CommandRotatorDeps, commandRotator } from './command.js';
import { type PostgresRotatorDeps, postgresRotator } from './postgres.js';
import { randomRotator } from './random.js';
import { ROTATORS, type Rotator, type RotatorName } from './types.js';

/** What the built-in rotators may be given instead of their defaults (tests, a server's settings). */
export type RotatorDeps = PostgresRotatorDeps & CommandRotatorDeps & AgentKeyRotatorDeps;

const FACTORIES: Record<RotatorName, ((deps: RotatorDeps) => Rotator) | undefined> = {
  random: (deps) => randomRotator(deps.randomBytes ? { randomBytes: deps.randomBytes } : {}),
  postgres: (deps) => postgresRotator(deps),
  command: (deps) => commandRotator(deps),
  'agent-key': (deps) => agentKeyRotator(deps),
};

/**
 * The rotator called `name`. Throws AppError('invalid_input') for a name that is not a rotator,
 * and for one this build does not include yet, naming the ones it has.
 */
export function rotatorFor(name: string, deps: RotatorDeps = {}): Rotator {
  const available = ROTATORS.filter((r) => FACTORIES[r] !== undefined).join(', ');
  if (!(ROTATORS as readonly string[]).includes(name)) {
    throw new AppError('invalid_input', `There is no rotator called ${quoteName(name)}; use one of ${available}.`);
  }
  const factory = FACTORIES[name as RotatorName];
  if (!factory) {
    throw new AppError('invalid_input', `The ${name} rotator is not available in this version yet; use one of ${available}.`);
  }
  return factory(deps);
}
