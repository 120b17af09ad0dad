import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { rotatorFor } from '../../src/rotation/registry.js';

describe('rotatorFor', () => {
  it.each(['random', 'postgres', 'command'] as const)('gives the %s rotator', (name) => {
    const rotator = rotatorFor(name);
    expect(rotator.name).toBe(name);
    expect(typeof rotator.create).toBe('function');
  });

  it('passes dependencies through', async () => {
    const rotator = rotatorFor('random', { randomBytes: (n) => Buffer.alloc(n, 1) });
    const value = await rotator.create({
      path: 'p',
      current: undefined,
      settings: rotator.parseSettings({ length: 16 }),
      readSecret: async () => '',
      mask: () => {},
      logger: { debug() {}, info() {}, warning() {}, error() {} },
      rotationId: 'r',
      env: {},
    });
    expect(value).toBe('B'.repeat(16));
  });

  it('says agent-key is not available yet and names the ones that are', () => {
    expect(() => rotatorFor('agent-key')).toThrow(AppError);
    expect(() => rotatorFor('agent-key')).toThrow(/agent-key rotator is not available.*random, postgres, command/);
  });

  it('refuses an unknown name', () => {
    expect(() => rotatorFor('mysql')).toThrow(/no rotator called "mysql"; use one of random, postgres, command/);
  });
});
