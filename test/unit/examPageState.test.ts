import { describe, expect, it } from 'vitest';
import { canHandIn, canWrite, initialExamState, PAUSED_BANNER, reduce, TIME_UP_BANNER } from '../../client/src/candidate/exam/state.ts';

const end = Date.parse('2027-05-04T11:00:00Z');
const stop = ['stopped', 'stopped'] as const;

describe("the exam page's state", () => {
  it('stops writing and hand-in at the end by the server clock, and allows both again when extra time moves the end', () => {
    const up = reduce(initialExamState(end, false), { type: 'tick', now: end });
    expect(up).toMatchObject({ timeUp: true, banner: TIME_UP_BANNER });
    expect([canWrite(up), canHandIn(up)]).toEqual([false, false]);
    const extended = reduce(up, { type: 'window', endsAt: end + 600_000, paused: false, now: end + 1_000 });
    expect(extended).toMatchObject({ timeUp: false, banner: null });
    expect([canWrite(extended), canHandIn(extended)]).toEqual([true, true]);
  });

  it('a pause blocks writing (not hand-in) with its banner, and resuming clears it', () => {
    const paused = reduce(initialExamState(end, false), { type: 'window', endsAt: end, paused: true, now: end - 60_000 });
    expect(paused.banner).toBe(PAUSED_BANNER);
    expect([canWrite(paused), canHandIn(paused)]).toEqual([false, true]);
    expect(reduce(paused, { type: 'window', endsAt: end, paused: false, now: end - 60_000 }).banner).toBeNull();
  });

  it('a final close outranks the clock and window messages until an unlock', () => {
    const stopped = reduce(initialExamState(end, false), { type: 'stopped', text: stop });
    const later = reduce(reduce(stopped, { type: 'tick', now: end + 1 }), { type: 'window', endsAt: end, paused: true, now: end + 1 });
    expect(later).toMatchObject({ stopped: stop, banner: stop, timeUp: false });
    expect(canHandIn(later)).toBe(false);
    const unlocked = reduce(stopped, { type: 'unlocked' });
    expect([unlocked.stopped, unlocked.banner, canWrite(unlocked)]).toEqual([null, null, true]);
  });

  it('the lockdown guard blocks writing without touching the banner', () => {
    const blocked = reduce(initialExamState(end, false), { type: 'lockdown', blocked: true });
    expect([canWrite(blocked), canHandIn(blocked), blocked.banner]).toEqual([false, true, null]);
  });
});
