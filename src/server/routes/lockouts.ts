/** Lockouts, for admins: who is locked out (or still counting failures), and ending a lockout by hand. */

import { parseCidr } from '../../core/cidr.js';
import { AppError } from '../../core/errors.js';
import { addressSubject, lockoutKey, subjectOf } from '../../core/limits.js';
import type { Handlers } from '../pipeline.js';
import { iso } from './views.js';

export const lockoutHandlers = {
  async listLockouts({ input: { query }, deps }) {
    const now = deps.now();
    const rows = await deps.store.listLockouts(now, deps.limits.lockout);
    return {
      lockouts: rows
        .filter((r) => query.all || r.lockedUntil > now)
        .map((r) => {
          const { subject, id } = subjectOf(r.key);
          const locked = r.lockedUntil > now;
          return {
            subject,
            id,
            lockedUntil: locked ? iso(r.lockedUntil) : null,
            retryAfter: locked ? Math.ceil((r.lockedUntil - now) / 1000) : null,
            failures: r.failures,
            lockouts: r.strikes,
            refused: locked ? r.refused : 0,
          };
        }),
    };
  },

  async clearLockouts({ input: { query }, deps, ctx, commit, principal }) {
    let keys: string[] | 'all';
    if (query.all) keys = 'all';
    else if (query.address !== undefined) keys = [lockoutKey('address', lockedAddress(query.address))];
    else keys = [lockoutKey('credential', query.credential as string)];
    const named = keys === 'all' ? undefined : subjectOf(keys[0] as string);
    const what = named ? `${named.subject} ${named.id}` : 'every lockout';
    let cleared = 0;
    await commit(deps.store.changes.clearLockouts(keys), (n) => {
      cleared = n;
      ctx.audit.reason = `${what} cleared (${n} counter${n === 1 ? '' : 's'})`;
    });
    if (cleared > 0 && principal.kind === 'user') deps.logger.info(`lockouts: ${what} cleared by ${principal.name}`);
    return { cleared };
  },
} satisfies Pick<Handlers, 'listLockouts' | 'clearLockouts'>;

/** The address subject an admin names: an address, or an IPv6 /64 as ass lockouts list shows it. */
function lockedAddress(text: string): string {
  const cidr = parseCidr(text, 'address');
  const [addr, bits] = cidr.range;
  const whole = addr.kind() === 'ipv4' ? bits === 32 : bits === 64 || bits === 128;
  if (!whole) {
    throw new AppError(
      'invalid_input',
      `Lockouts are per address (an IPv6 /64 counts as one): give an address such as 203.0.113.7, or the /64 that ass lockouts list shows, not ${JSON.stringify(text.slice(0, 60))}.`,
    );
  }
  return addressSubject(addr.toString());
}
