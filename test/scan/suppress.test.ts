/**
 * Suppression comments, as users of the other scanners write them: this tool's own `ass:allow`,
 * `ass:allow-next-line` and `ass:disable` / `ass:enable` blocks; secretlint's
 * `secretlint-disable-line`, `-next-line` and `secretlint-disable` / `secretlint-enable` blocks
 * (with or without rule names); gitleaks' `gitleaks:allow`; detect-secrets' `pragma: allowlist
 * secret` and `pragma: allowlist nextline secret`; TruffleHog's `trufflehog:ignore`.
 */
import { describe, expect, it } from 'vitest';
import { scanString } from '../../src/scan/index.js';
import { githubToken, npmToken, rng } from '../helpers/scan-tokens.js';

const n = rng(2024);
const gh = () => githubToken(n);
const lines = (text: string) => scanString(text, 'a.ts').findings.map((f) => `${f.ruleId}@${f.line}`);

describe('suppression: one line', () => {
  it.each([
    ['ass:allow', (t: string) => `const t = "${t}"; // ass:allow`],
    ['gitleaks:allow', (t: string) => `const t = "${t}"; // gitleaks:allow`],
    ['secretlint-disable-line', (t: string) => `const t = "${t}"; // secretlint-disable-line`],
    [
      'secretlint-disable-line with a rule',
      (t: string) => `const t = "${t}"; // secretlint-disable-line @secretlint/secretlint-rule-github`,
    ],
    ['pragma: allowlist secret', (t: string) => `t = "${t}"  # pragma: allowlist secret`],
    ['trufflehog:ignore', (t: string) => `t = "${t}"  # trufflehog:ignore`],
    ['ass:allow-next-line', (t: string) => `// ass:allow-next-line\nconst t = "${t}";`],
    ['secretlint-disable-next-line', (t: string) => `// secretlint-disable-next-line\nconst t = "${t}";`],
    ['pragma: allowlist nextline secret', (t: string) => `# pragma: allowlist nextline secret\nt = "${t}"`],
  ])('%s covers the finding, and only it', (_name, make) => {
    const covered = make(gh());
    expect(lines(covered)).toEqual([]);
    const other = gh();
    // The line after a same-line comment, or two lines after a next-line comment, is still scanned.
    expect(lines(`${covered}\n\nconst u = "${other}";`)).toEqual([`github-pat@${covered.split('\n').length + 2}`]);
  });
});

describe('suppression: blocks', () => {
  it.each([
    ['secretlint-disable / secretlint-enable', '/* secretlint-disable */', '/* secretlint-enable */'],
    ['ass:disable / ass:enable', '// ass:disable', '// ass:enable'],
    ['in YAML comments', '# secretlint-disable', '# secretlint-enable'],
    ['in HTML comments', '<!-- secretlint-disable -->', '<!-- secretlint-enable -->'],
  ])('%s: nothing inside is reported, everything after is', (_name, open, close) => {
    const text = [`a = "${gh()}"`, open, `b = "${gh()}"`, `c = "${npmToken(n)}"`, close, `d = "${gh()}"`].join('\n');
    expect(lines(text)).toEqual(['github-pat@1', 'github-pat@6']);
  });

  it('a disable without an enable lasts to the end of the file', () => {
    const text = [`a = "${gh()}"`, '// secretlint-disable', `b = "${gh()}"`, '', `c = "${gh()}"`].join('\n');
    expect(lines(text)).toEqual(['github-pat@1']);
  });

  it('a block naming our rule ids switches off only those', () => {
    const text = [
      '// ass:disable npm-token',
      `a = "${gh()}"`,
      `b = "${npmToken(n)}"`,
      '// ass:enable npm-token',
      `c = "${npmToken(n)}"`,
    ].join('\n');
    expect(lines(text)).toEqual(['github-pat@2', 'npm-token@5']);
  });

  it("a block naming secretlint's rules switches off our rules for the same provider", () => {
    const text = [
      '/* secretlint-disable @secretlint/secretlint-rule-github */',
      `a = "${gh()}"`,
      `b = "${npmToken(n)}"`,
      '/* secretlint-enable @secretlint/secretlint-rule-github */',
      `c = "${gh()}"`,
    ].join('\n');
    expect(lines(text)).toEqual(['npm-token@3', 'github-pat@5']);
  });

  it("secretlint's preset names mean every rule", () => {
    const text = ['// secretlint-disable @secretlint/secretlint-rule-preset-recommend', `a = "${gh()}"`, `b = "${npmToken(n)}"`].join('\n');
    expect(lines(text)).toEqual([]);
  });

  it('enabling one rule inside an all-rules block reports that rule again', () => {
    const text = ['// ass:disable', '// ass:enable github-pat', `a = "${gh()}"`, `b = "${npmToken(n)}"`].join('\n');
    expect(lines(text)).toEqual(['github-pat@3']);
  });

  it('the line forms are not mistaken for blocks', () => {
    const text = [
      `a = "${gh()}" // secretlint-disable-line`,
      `b = "${gh()}"`,
      '// secretlint-disable-next-line',
      `c = "${gh()}"`,
      `d = "${gh()}"`,
    ].join('\n');
    expect(lines(text)).toEqual(['github-pat@2', 'github-pat@5']);
  });

  it('a private key block inside a disabled block is not reported', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'
      .concat('Q'.repeat(10), 'wXyZ'.repeat(100))
      .match(/.{1,64}/g)!
      .join('\n');
    const key = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`;
    expect(lines(`x\n${key}`)).toEqual(['private-key@2']);
    expect(lines(`// ass:disable\n${key}\n// ass:enable`)).toEqual([]);
  });
});
