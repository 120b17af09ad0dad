/**
 * Inline allow comments, found once per text (AllowComments) instead of once per finding by
 * searching the finding's line: the same lines are covered as before, including on lines longer
 * than the 8 KiB around a finding that a comment may be.
 */
import { describe, expect, it } from 'vitest';
import { AllowComments } from '../../src/scan/engine.js';
import { scanString } from '../../src/scan/index.js';
import { githubToken, rng } from '../helpers/scan-tokens.js';

/** The previous definition: search the finding's line (within 8 KiB of it) and the line before. */
function naive(text: string, offset: number): boolean {
  const bounds = (at: number): [number, number] => {
    let s = at;
    while (s > Math.max(0, at - 8192) && text.charCodeAt(s - 1) !== 10) s--;
    let e = at;
    while (e < Math.min(text.length, at + 8192) && text.charCodeAt(e) !== 10) e++;
    return [s, e];
  };
  const [s, e] = bounds(offset);
  if (/gitleaks:allow|secretlint-disable-line|pragma:\s*allowlist\s+secret|ass:allow|trufflehog:ignore/.test(text.slice(s, e))) return true;
  if (s === 0 || text.charCodeAt(s - 1) !== 10) return false;
  const [ps, pe] = bounds(s - 1);
  return /secretlint-disable-next-line|pragma:\s*allowlist\s+nextline\s+secret|ass:allow-next-line/.test(text.slice(ps, pe));
}

describe('inline allow comments', () => {
  it('cover the same findings as searching each line, on short and very long lines', () => {
    const n = rng(41);
    const pieces = [
      'x',
      ' ',
      '\n',
      'ass:allow',
      'ass:allow-next-line',
      'pragma:  allowlist \t secret',
      'pragma: allowlist\nsecret',
      '# gitleaks:allow',
      'y'.repeat(5000),
    ];
    for (let round = 0; round < 200; round++) {
      let text = '';
      const parts = 1 + Math.floor(n() * 12);
      for (let i = 0; i < parts; i++) text += pieces[Math.floor(n() * pieces.length)];
      const allow = new AllowComments(text);
      for (let at = 0; at < text.length; at += 1 + Math.floor(n() * 700))
        expect(allow.covers(at), `${JSON.stringify(text.slice(0, 80))} @${at}`).toBe(naive(text, at));
    }
  });

  it('reach 8 KiB along a long line, and the line before with next-line comments', () => {
    const t = githubToken(rng(42));
    const near = `x = "${t}" ${'y'.repeat(8000)} // ass:allow`;
    const far = `x = "${t}" ${'y'.repeat(9000)} // ass:allow`;
    expect(scanString(near, 'a.js').findings).toEqual([]);
    expect(scanString(far, 'a.js').findings.map((f) => f.ruleId)).toEqual(['github-pat']);
    expect(scanString(`// ass:allow-next-line\n${far}`, 'a.js').findings).toEqual([]);
    expect(scanString(`// ass:allow-next-line\n\n${far}`, 'a.js').findings.map((f) => f.ruleId)).toEqual(['github-pat']);
  });
});
