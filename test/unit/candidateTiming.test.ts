import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../../client/src/shell/backoff.ts';
import { remainingText } from '../../client/src/candidate/remaining.ts';

describe('reconnectDelay (answer socket)', () => {
  it('doubles from 0.5 s and is capped at 30 s before jitter', () => {
    const mid = () => 0.5; // jitter factor 1.0
    expect([0, 1, 2, 3, 6, 7, 40].map((a) => reconnectDelay(a, mid))).toEqual([500, 1000, 2000, 4000, 30000, 30000, 30000]);
  });

  it('spreads one attempt over 0.5–1.5 × the base so a room does not reconnect in the same millisecond', () => {
    expect(reconnectDelay(2, () => 0)).toBe(1000);
    expect(reconnectDelay(2, () => 0.999999)).toBe(3000);
    const delays = new Set(Array.from({ length: 1000 }, () => reconnectDelay(3)));
    expect(delays.size).toBeGreaterThan(500);
  });
});

describe('remainingText', () => {
  it('shows hours and minutes while there is plenty of time, rounding up', () => {
    expect(remainingText(4 * 3600_000, false)).toEqual({ da: '4 t 0 min tilbage', en: '4 h 0 min left', soon: false });
    expect(remainingText(61 * 60_000 + 1, false).da).toBe('1 t 2 min tilbage');
    expect(remainingText(30 * 60_000, false).da).toBe('30 min tilbage');
  });

  it('shows minutes and seconds in the last 10 minutes and marks them as soon', () => {
    expect(remainingText(10 * 60_000, false)).toEqual({ da: '10:00 tilbage', en: '10:00 left', soon: true });
    expect(remainingText(59_001, false).da).toBe('01:00 tilbage');
    expect(remainingText(1, false).da).toBe('00:01 tilbage');
  });

  it('says the time is up at zero and that the clock stands still while paused', () => {
    expect(remainingText(0, false).da).toBe('Tiden er gået');
    expect(remainingText(3600_000, true).da).toBe('Pause – tiden står stille');
  });
});
