import { describe, expect, it } from 'vitest';
import { LoginRateLimiter, retryAfterSeconds } from '../../src/auth/rateLimit.ts';

const rules = { accountFailures: 3, accountWindowMs: 60_000, addressAttempts: 5, addressWindowMs: 10_000 };

describe('login rate limits', () => {
  it('locks an account after the allowed failures and releases it when the window passes', () => {
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(rules, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('elev01', 'a')).toBe(0);
      limiter.recordFailure('elev01');
    }
    expect(limiter.check('elev01', 'a')).toBe(60);
    now += 30_000;
    expect(limiter.check('elev01', 'a')).toBe(30);
    now += 30_001;
    expect(limiter.check('elev01', 'a')).toBe(0);
  });

  it('a success clears the account failures', () => {
    const limiter = new LoginRateLimiter(rules, () => 5);
    limiter.recordFailure('x'); limiter.recordFailure('x');
    limiter.recordSuccess('x');
    limiter.recordFailure('x'); limiter.recordFailure('x');
    expect(limiter.check('x', 'a')).toBe(0);
  });

  it('caps attempts per address across accounts', () => {
    let now = 0;
    const limiter = new LoginRateLimiter(rules, () => now);
    for (let i = 0; i < 5; i++) expect(limiter.check(`user${i}`, '10.0.0.1')).toBe(0);
    expect(limiter.check('user9', '10.0.0.1')).toBe(10);
    expect(limiter.check('user9', '10.0.0.2')).toBe(0);
    now += 10_001;
    expect(limiter.check('user9', '10.0.0.1')).toBe(0);
  });

  it('retryAfterSeconds is at least one second while limited', () => {
    expect(retryAfterSeconds([0, 1, 2], 3, 59_999, 60_000)).toBe(1);
    expect(retryAfterSeconds([0, 1], 3, 10, 60_000)).toBe(0);
  });
});
