import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { genericRejectReason } from '../../src/scan/filters.js';
import { KeywordAutomaton } from '../../src/scan/prefilter.js';

function naive(text: string, keywords: string[]): Array<[number, number]> {
  const lower = text.toLowerCase();
  const hits: Array<[number, number]> = [];
  keywords.forEach((k, i) => {
    for (let p = lower.indexOf(k); p !== -1; p = lower.indexOf(k, p + 1)) hits.push([p, i]);
  });
  return hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

describe('keyword automaton', () => {
  it('reports every occurrence, overlapping and case-insensitive, like a naive search', () => {
    const keywords = ['ghp_', 'token', 'api_key', 'key', 'aaa', 'aa', '-----begin'];
    const ac = new KeywordAutomaton(keywords);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('g', 'h', 'P', '_', 'T', 'o', 'k', 'e', 'n', 'a', 'A', 'p', 'i', 'y', '-', 'b', 'é', '\n'), {
          maxLength: 200,
        }),
        (chars) => {
          const text = chars.join('');
          const hits: Array<[number, number]> = [];
          ac.scan(text, (start, k) => hits.push([start, k]));
          hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          expect(hits).toEqual(naive(text, keywords));
        },
      ),
    );
  });

  it('finds a keyword after non-ASCII text', () => {
    const hits: number[] = [];
    new KeywordAutomaton(['ghp_']).scan('ééghp_xGHP_', (s) => hits.push(s));
    expect(hits).toEqual([2, 7]);
  });
});

describe('generic filters', () => {
  it.each([
    ['same-origin', 'credentials', 'word'],
    ['?InterpolationInTemplate', 'lastSignificantToken', 'word'],
    ['abc123xyz456', 'apiToken', 'placeholder'],
    ['${DB_PASS}', 'password', 'reference'],
    ['6f1c2a3b-9d4e-4f5a-8b7c-1d2e3f4a5b6c', 'token', 'uuid'],
  ])('rejects %s as %s', (value, name, reason) => {
    expect(genericRejectReason(value, name, 3)).toBe(reason);
  });

  it('accepts a random password', () => {
    expect(genericRejectReason('hT9$kq2LmZ8vR4x', 'password', 3)).toBeUndefined();
  });
});
