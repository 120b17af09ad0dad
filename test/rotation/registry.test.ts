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

  it('has the agent-key rotator, which checks its settings', () => {
    const r = rotatorFor('agent-key');
    expect(r.name).toBe('agent-key');
    expect(r.parseSettings({ agent: 'ci', githubSecret: 'repo:acme/app' })).toMatchObject({
      agent: 'ci',
      secretName: 'ASS_AGENT_KEY',
      overlapSeconds: 3600,
    });
    expect(() => r.parseSettings({ agent: 'ci', githubSecret: 'acme/app' })).toThrow(AppError);
    expect(() => r.parseSettings({ agent: 'ci', secretName: 'GITHUB_TOKEN' })).toThrow(/GitHub secret name/);
  });

  it('refuses an unknown name', () => {
    expect(() => rotatorFor('mysql')).toThrow(/no rotator called "mysql"; use one of random, postgres, command, agent-key/);
  });
});
