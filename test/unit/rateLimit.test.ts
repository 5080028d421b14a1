import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../src/auth/loginLimiter.ts';
import {
  backoffAfterFailure,
  backoffMs,
  backoffWaitSeconds,
  DEFAULT_LOGIN_RULES,
  loginRulesFrom,
  windowAfterFailure,
  windowWaitSeconds,
  type Backoff,
  type LoginRules,
} from '../../src/auth/rateLimit.ts';
import { loadConfig } from '../../src/config.ts';

const rules: LoginRules = {
  ...DEFAULT_LOGIN_RULES,
  addressFailures: 5,
  addressWindowMs: 10_000,
  codeFailuresPerCode: 3,
  codeWindowMs: 60_000,
  codeFailuresGlobal: 4,
  codeGlobalWindowMs: 60_000,
};

const failTimes = (n: number, now: number, r = rules): Backoff | undefined => {
  let s: Backoff | undefined;
  for (let i = 0; i < n; i++) s = backoffAfterFailure(s, now, r);
  return s;
};

describe('backoff per (account, address)', () => {
  it('costs nothing for the first four typos, then 2 s doubling per failure', () => {
    expect([0, 1, 4, 5, 6, 7, 8, 9].map((n) => backoffMs(n, rules))).toEqual([0, 0, 0, 2_000, 4_000, 8_000, 16_000, 32_000]);
  });

  it('never exceeds 60 s however many failures', () => {
    expect(backoffMs(10, rules)).toBe(60_000);
    expect(backoffMs(10_000, rules)).toBe(60_000);
    expect(backoffWaitSeconds(failTimes(500, 0), 0, rules)).toBe(60);
  });

  it('counts the wait from the last failure and is over exactly when it has passed', () => {
    const s = failTimes(5, 1_000)!;
    expect(backoffWaitSeconds(s, 1_000, rules)).toBe(2);
    expect(backoffWaitSeconds(s, 2_001, rules)).toBe(1);
    expect(backoffWaitSeconds(s, 2_999, rules)).toBe(1);
    expect(backoffWaitSeconds(s, 3_000, rules)).toBe(0);
  });

  it('forgets a pair that has been quiet for the memory period: the next failure is the first again', () => {
    const s = failTimes(9, 0)!;
    expect(backoffAfterFailure(s, rules.pairMemoryMs - 1, rules).failures).toBe(10);
    expect(backoffAfterFailure(s, rules.pairMemoryMs, rules).failures).toBe(1);
    expect(backoffWaitSeconds(s, rules.pairMemoryMs, rules)).toBe(0);
  });
});

describe('sliding failure windows', () => {
  it('allows up to the limit, then waits until the oldest failure that must go has left the window', () => {
    let w: number[] = [];
    for (const t of [0, 1_000, 2_000]) w = windowAfterFailure(w, t, 10_000, 3);
    expect(windowWaitSeconds(w.slice(0, 2), 3, 2_000, 10_000)).toBe(0);
    expect(windowWaitSeconds(w, 3, 2_000, 10_000)).toBe(8);
    expect(windowWaitSeconds(w, 3, 9_999, 10_000)).toBe(1);
    expect(windowWaitSeconds(w, 3, 10_000, 10_000)).toBe(0);
  });

  it('keeps only the newest `limit` failures (memory is bounded by the limit)', () => {
    let w: number[] = [];
    for (let t = 0; t < 100; t++) w = windowAfterFailure(w, t, 10_000, 3);
    expect(w).toEqual([97, 98, 99]);
  });
});

describe('the sign-in limiter', () => {
  it('slows only the failing (account, address) pair: the same account elsewhere and other accounts here go ahead', () => {
    let now = 0;
    const l = new LoginRateLimiter({ ...rules, addressFailures: 100 }, () => now);
    for (let i = 0; i < 5; i++) l.passwordFailed('elev01', '10.0.0.1');
    expect(l.passwordWait('elev01', '10.0.0.1')).toBe(2);
    expect(l.passwordWait('elev01', '10.0.0.2')).toBe(0);
    expect(l.passwordWait('elev02', '10.0.0.1')).toBe(0);
    now += 2_000;
    expect(l.passwordWait('elev01', '10.0.0.1')).toBe(0);
  });

  it('the right password ends the backoff of its pair', () => {
    const l = new LoginRateLimiter({ ...rules, addressFailures: 100 }, () => 0);
    for (let i = 0; i < 7; i++) l.passwordFailed('elev01', 'a');
    l.passwordSucceeded('elev01', 'a');
    expect(l.passwordWait('elev01', 'a')).toBe(0);
  });

  it('slows an address only after its failures reach the ceiling; successes never count', () => {
    let now = 0;
    const l = new LoginRateLimiter(rules, () => now);
    for (let i = 0; i < 1000; i++) l.passwordSucceeded(`elev${i}`, 'nat');
    expect(l.passwordWait('new', 'nat')).toBe(0);
    for (let i = 0; i < 4; i++) l.passwordFailed(`elev${i}`, 'nat');
    expect(l.passwordWait('new', 'nat')).toBe(0);
    l.codeFailed('code-x', 'nat');
    expect(l.passwordWait('new', 'nat')).toBe(10);
    expect(l.passwordWait('new', 'elsewhere')).toBe(0);
    now = 10_000;
    expect(l.passwordWait('new', 'nat')).toBe(0);
  });

  it('never slows one-time codes for wrong passwords, however many, from any address', () => {
    const l = new LoginRateLimiter(rules, () => 0);
    for (let i = 0; i < 500; i++) l.passwordFailed('elev01', `10.0.0.${i % 3}`);
    expect(l.codeWait('the-right-code')).toBe(0);
  });

  it('limits guessing per typed code, not per address', () => {
    const l = new LoginRateLimiter({ ...rules, codeFailuresGlobal: 1000 }, () => 0);
    for (let i = 0; i < 3; i++) l.codeFailed('same-typo', 'nat');
    expect(l.codeWait('same-typo')).toBe(60);
    expect(l.codeWait('another-code')).toBe(0);
  });

  it('refuses all code checks on the node when the global failure budget is spent, until a minute has passed', () => {
    let now = 0;
    const l = new LoginRateLimiter(rules, () => now);
    for (let i = 0; i < 4; i++) l.codeFailed(`guess${i}`, `198.51.100.${i}`);
    expect(l.codeWait('fresh')).toBe(60);
    now = 59_999;
    expect(l.codeWait('fresh')).toBe(1);
    now = 60_000;
    expect(l.codeWait('fresh')).toBe(0);
  });

  it('sweeps forgotten pairs and windows that have run out', () => {
    let now = 0;
    const l = new LoginRateLimiter(rules, () => now);
    l.passwordFailed('a', '1');
    l.codeFailed('c', '2');
    expect(l.size).toBeGreaterThan(0);
    now = rules.pairMemoryMs;
    l.sweep();
    expect(l.size).toBe(0);
  });

  it('takes the ceilings from the configuration', () => {
    const r = loginRulesFrom(loadConfig({ LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE: '7', LOGIN_CODE_FAILURES_PER_MINUTE: '9' }));
    expect(r.addressFailures).toBe(7);
    expect(r.codeFailuresGlobal).toBe(9);
    expect(r.maxBackoffMs).toBe(60_000);
  });
});
