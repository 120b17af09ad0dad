/** The lockout and rate-limit rules (src/core/limits.ts), on their own. */
import { describe, expect, it } from 'vitest';
import {
  addFailure,
  addressSubject,
  checkLockoutPolicy,
  DEFAULT_LOCKOUT,
  type LockoutRow,
  RATE_WINDOW_MS,
  rateEstimate,
  rateRetryAfterMs,
} from '../../src/core/limits.js';

const policy = { ...DEFAULT_LOCKOUT, windowMs: 60_000, baseMs: 1000, maxMs: 8000 };

function fail(times: number, start: LockoutRow | undefined, at: number, threshold = 3) {
  let row = start;
  let began = 0;
  for (let i = 0; i < times; i++) {
    const r = addFailure(row, 'credential:user:x', at, threshold, policy);
    row = r.row;
    if (r.lockedNow) began++;
  }
  return { row: row as LockoutRow, began };
}

describe('lockout counting', () => {
  it('locks at the threshold within the window, and not across windows', () => {
    expect(fail(2, undefined, 0).row.lockedUntil).toBe(0);
    const spread = fail(2, fail(2, undefined, 0).row, 60_000);
    expect(spread.row.lockedUntil).toBe(0);
    const { row, began } = fail(3, undefined, 0);
    expect(began).toBe(1);
    expect(row.lockedUntil).toBe(1000);
  });

  it('failures during a lockout are refusals: they neither extend it nor count toward the next', () => {
    const { row } = fail(10, undefined, 0);
    expect(row.lockedUntil).toBe(1000);
    expect(row.refused).toBe(8);
    expect(row.failures).toBe(0);
    expect(row.strikes).toBe(1);
  });

  it('doubles each lockout up to the maximum, and forgets after a quiet spell of the maximum', () => {
    let row: LockoutRow | undefined;
    let t = 0;
    const lengths: number[] = [];
    for (let i = 0; i < 6; i++) {
      row = fail(3, row, t).row;
      lengths.push(row.lockedUntil - t);
      t = row.lockedUntil;
    }
    expect(lengths).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    row = fail(3, row, t + 8000).row;
    expect((row as LockoutRow).lockedUntil - (t + 8000)).toBe(1000);
  });

  it('a threshold of 0 never locks', () => {
    expect(fail(1000, undefined, 0, 0).row.lockedUntil).toBe(0);
  });

  it('refuses a policy that makes no sense', () => {
    expect(() => checkLockoutPolicy({ ...policy, maxMs: 500 })).toThrow(/at least/);
    expect(() => checkLockoutPolicy({ ...policy, addressFailures: -1 })).toThrow(/whole numbers/);
    expect(() => checkLockoutPolicy({ ...policy, windowMs: 0.5 })).toThrow();
  });
});

describe('addresses', () => {
  it('an IPv4 address is itself (mapped forms folded); an IPv6 address counts as its /64', () => {
    expect(addressSubject('203.0.113.7')).toBe('203.0.113.7');
    expect(addressSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressSubject('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressSubject('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(addressSubject('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
  });
});

describe('the sliding rate window', () => {
  it('weighs the previous minute by how much of it the window still covers', () => {
    expect(rateEstimate({ windowStart: 0, count: 10, previous: 100 }, 0)).toBe(110);
    expect(rateEstimate({ windowStart: 0, count: 10, previous: 100 }, RATE_WINDOW_MS / 2)).toBe(60);
    expect(rateEstimate({ windowStart: 0, count: 10, previous: 100 }, RATE_WINDOW_MS)).toBe(10);
  });

  it('Retry-After is when one more request fits, and waiting that long is enough', () => {
    const limit = 60;
    for (const w of [
      { windowStart: 0, count: 60, previous: 0 },
      { windowStart: 0, count: 30, previous: 60 },
      { windowStart: 0, count: 5, previous: 200 },
      { windowStart: 0, count: 200, previous: 200 },
    ]) {
      for (const now of [0, 1000, 30_000, 59_000]) {
        if (rateEstimate(w, now) + 1 <= limit) continue;
        const wait = rateRetryAfterMs(w, now, limit);
        expect(wait).toBeGreaterThanOrEqual(1000);
        const at = now + wait;
        // As the store would see the window then: rolled over if a new minute began.
        const rolled =
          at >= w.windowStart + RATE_WINDOW_MS ? { windowStart: w.windowStart + RATE_WINDOW_MS, count: 0, previous: w.count } : w;
        expect(rateEstimate(rolled, at) + 1, JSON.stringify({ w, now })).toBeLessThanOrEqual(limit + 1e-9);
      }
    }
  });
});
