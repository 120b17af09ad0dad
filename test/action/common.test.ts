/** The helpers every action shares. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { booleanField, inputField, parseBooleanInput } from '../../src/actions/common/inputs.js';

describe('boolean inputs', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    [' true\n', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('reads %j as %s', (text, value) => {
    expect(parseBooleanInput('x', text, !value)).toBe(value);
  });

  it('gives the fallback for an empty input', () => {
    expect(parseBooleanInput('x', '', true)).toBe(true);
    expect(parseBooleanInput('x', '  ', false)).toBe(false);
  });

  it.each(['yes', 'no', '1', '0', 'on', 'tRuE', 'truthy'])('refuses %j, naming the input', (text) => {
    expect(() => parseBooleanInput('export-env', text, true)).toThrow(`Input "export-env" must be true or false, not "${text}".`);
  });

  it('reports every bad field of a schema at once, each by name', () => {
    const schema = z.object({ a: booleanField('a', true), b: booleanField('b', false), n: inputField('n', (v) => Number.parseInt(v, 10)) });
    expect(schema.parse({ a: '', b: 'TRUE', n: '7' })).toEqual({ a: true, b: true, n: 7 });
    const failed = schema.safeParse({ a: 'yes', b: 'no', n: '1' });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues.map((i) => i.message)).toEqual([
      'Input "a" must be true or false, not "yes".',
      'Input "b" must be true or false, not "no".',
    ]);
  });

  it('puts the input name in front of a parser message that lacks it', () => {
    const schema = z.object({
      ttl: inputField('ttl', () => {
        throw new Error('too long');
      }),
    });
    expect(schema.safeParse({ ttl: 'x' }).error?.issues[0]?.message).toBe('Input "ttl": too long');
  });
});
