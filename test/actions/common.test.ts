/** The helpers every action shares: boolean inputs, input fields, Markdown escaping, the actions logger. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { booleanField, inputField, parseBooleanInput } from '../../src/actions/common/inputs.js';
import { actionsLogger } from '../../src/actions/common/logger.js';
import { escapeMarkdown, markdownCode } from '../../src/actions/common/markdown.js';

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

describe('escapeMarkdown', () => {
  it('turns every character HTML or Markdown could read as markup into a numeric reference', () => {
    expect(escapeMarkdown(`&<>"'\`|\\*_[]~`)).toBe('&#38;&#60;&#62;&#34;&#39;&#96;&#124;&#92;&#42;&#95;&#91;&#93;&#126;');
  });

  it('leaves other text alone, Unicode included', () => {
    expect(escapeMarkdown('production/app/db-password v2: ok (100%) é 密码 🙂')).toBe('production/app/db-password v2: ok (100%) é 密码 🙂');
  });

  it('escapes & first in effect: an existing reference shows as typed, not as its character', () => {
    expect(escapeMarkdown('&lt;b&gt; &#124;')).toBe('&#38;lt;b&#38;gt; &#38;#124;');
  });

  it('collapses each run of line breaks to one space, so a value cannot end a table row or an HTML block', () => {
    expect(escapeMarkdown('a\nb\r\n\r\nc\rd')).toBe('a b c d');
    expect(escapeMarkdown('x\n\n<script>')).toBe('x &#60;script&#62;');
  });

  it('keeps hostile input inert in a table cell and in HTML', () => {
    const hostile = '</td></tr></table><img src=x onerror=alert(1)> | [link](javascript:alert(1)) **b** ~~s~~ `c`';
    const out = escapeMarkdown(hostile);
    expect(out).not.toMatch(/[<>|[\]*~`]/);
    expect(markdownCode(hostile)).toBe(`<code>${out}</code>`);
  });
});

describe('actionsLogger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes through @actions/core: info as a plain line, warnings and errors as workflow commands', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    actionsLogger.info('scanned 3 files');
    actionsLogger.warning('slow disk');
    actionsLogger.error('bad baseline');
    actionsLogger.debug('details');
    expect(lines.join('')).toBe('scanned 3 files\n::warning::slow disk\n::error::bad baseline\n::debug::details\n');
  });
});
