import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/core/net.js';

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'LocalHost',
    '127.0.0.1',
    '127.1.2.3',
    '127.255.255.255',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '[0:0:0:0:0:0:0:1]',
    '::ffff:127.0.0.1',
    '[::ffff:7f00:1]',
  ])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    '',
    '0.0.0.0',
    '::',
    '10.0.0.1',
    '128.0.0.1',
    '126.255.255.255',
    '127.0.0.256',
    '127.1',
    '0177.0.0.1',
    '127.000.000.001',
    '127.0.0.1.example.com',
    'localhost.example.com',
    'notlocalhost',
    'localhost.',
    '::2',
    '[::1',
    '::ffff:10.0.0.1',
    'fe80::1',
  ])('rejects %j', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('agrees with the WHATWG URL parser, which normalises what it can before the check', () => {
    expect(isLoopbackHost(new URL('http://[0:0::1]:8200').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://0x7f.1/').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://LOCALHOST:1/').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://127.0.0.1.nip.io/').hostname)).toBe(false);
  });
});
