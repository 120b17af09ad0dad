import { describe, expect, it } from 'vitest';
import { addressAllowed, parseCidr } from '../../src/core/cidr.js';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { isUnderPrefix, parseSecretPath } from '../../src/core/paths.js';

describe('secret paths', () => {
  it('accepts canonical paths', () => {
    for (const p of ['production/payments/stripe/secret-key', 'production/gemini/GEMINI_API_KEY', 'a', 'x.y/z_1-2']) {
      expect(parseSecretPath(p)).toBe(p);
    }
  });

  it.each([
    ['', /empty/],
    ['production/../admin', /relative segments/],
    ['production/./x', /relative segments/],
    ['production//x', /empty segment/],
    ['/production/x', /leading or trailing/],
    ['production/x/', /leading or trailing/],
    ['production%2Fx', /encoded/],
    ['production/x%2e%2e', /encoded/],
    ['production/\u0000x', /control character/],
    ['production/x\ny', /control character/],
    ['production\\x', /backslash/],
    ['production/sp ace', /segments may contain only/],
    ['production/ünïcode', /segments may contain only/],
    [`${'a/'.repeat(40)}a`, /segments/],
    ['a'.repeat(600), /limit is 512/],
  ])('rejects %j', (p, message) => {
    expect(() => parseSecretPath(p)).toThrow(message);
  });

  it('prefixes are segment-bounded', () => {
    expect(isUnderPrefix('production/payments/x', 'production/payments')).toBe(true);
    expect(isUnderPrefix('production/payments-legacy/x', 'production/payments')).toBe(false);
  });
});

describe('CIDR allowlists', () => {
  it('matches IPv4 and IPv6 ranges and single addresses', () => {
    const list = ['10.0.1.50', '10.128.0.0/20', '2001:db8::/32'].map((c) => parseCidr(c));
    expect(addressAllowed('10.0.1.50', list)).toBe(true);
    expect(addressAllowed('10.0.1.51', list)).toBe(false);
    expect(addressAllowed('10.128.15.255', list)).toBe(true);
    expect(addressAllowed('10.128.16.0', list)).toBe(false);
    expect(addressAllowed('2001:db8:1::5', list)).toBe(true);
    expect(addressAllowed('2001:db9::5', list)).toBe(false);
  });

  it('folds IPv4-mapped IPv6 peers to IPv4', () => {
    expect(addressAllowed('::ffff:10.0.1.50', [parseCidr('10.0.1.50/32')])).toBe(true);
    expect(addressAllowed('10.0.1.50', [parseCidr('::ffff:10.0.1.0/120')])).toBe(true);
  });

  it('refuses malformed entries with an example', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0', 'example.com', '2001:db8::/129', '']) {
      expect(() => parseCidr(bad)).toThrow(/10\.0\.1|CIDR/);
    }
    expect(addressAllowed('not-an-ip', [parseCidr('0.0.0.0/0')])).toBe(false);
  });
});

describe('durations', () => {
  it('reads what users write', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('24h')).toBe(86400);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('300')).toBe(300);
    expect(formatDuration(5400)).toBe('1h30m');
  });

  it.each(['', '0', '-5m', '1.5h', '10 minutes', 'h', '1y'])('rejects %j', (d) => {
    expect(() => parseDuration(d)).toThrow(/duration|seconds/);
  });
});
