/**
 * Attack (something answering in the vault's place: a TLS-intercepting proxy the runner trusts, a
 * wrong `ca-cert`): the token id of the exchange's answer is a string, and the line saying it was
 * revoked (the audit, fetch and rotate actions, main and post steps) printed it as it came. An id
 * with a line break started a line of its own, which the runner reads as a workflow command
 * (`::error::`, `::add-mask::`, `::stop-commands::`). Everything else the actions print from the
 * vault is one line.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { logRevocation } from '../../src/actions/common/revoke.js';

afterEach(() => {
  vi.restoreAllMocks();
});

it('a token id with line breaks never starts a workflow command', () => {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  logRevocation('AbCdEfGh12345678\n::error title=Audit verified::No anomalies\r\n::stop-commands::x', { state: 'revoked' });
  logRevocation('AbCdEfGh12345678\n::warning::forged', { state: 'already-inactive' });
  const lines = written.join('').split(/\r?\n|\r/);
  expect(lines.filter((l) => l.trim().startsWith('::'))).toEqual([]);
  expect(written.join('')).toContain('AbCdEfGh12345678');
});
