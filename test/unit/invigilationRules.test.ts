import { describe, expect, it } from 'vitest';
import { absentRefusal, extraTimeRefusal, pauseRefusal, reopenRefusal, resumeRefusal, type RegistrationState } from '../../src/invigilation/rules.ts';

const startsAt = new Date('2027-05-04T07:00:00Z');
const endsAt = new Date('2027-05-04T11:00:00Z');
const during = new Date('2027-05-04T08:00:00Z');
const s = (o: Partial<RegistrationState> = {}): RegistrationState => ({ state: 'writing', pausedAt: null, startsAt, endsAt, ...o });

describe('invigilation rules', () => {
  it('extra time: allowed while not handed in, refused after hand-in or absence', () => {
    expect(extraTimeRefusal(s())).toBeNull();
    expect(extraTimeRefusal(s({ state: 'lobby' }))).toBeNull();
    expect(extraTimeRefusal(s({ state: 'handed_in' }))?.id).toBe('not-writing');
    expect(extraTimeRefusal(s({ state: 'ill' }))?.id).toBe('not-writing');
  });
  it('pause: only while running and not already paused; resume only when paused', () => {
    expect(pauseRefusal(s(), during)).toBeNull();
    expect(pauseRefusal(s({ pausedAt: during }), during)?.id).toBe('already-paused');
    expect(pauseRefusal(s(), new Date(startsAt.getTime() - 1))?.id).toBe('outside-window');
    expect(pauseRefusal(s(), endsAt)?.id).toBe('outside-window');
    expect(resumeRefusal(s({ pausedAt: during }))).toBeNull();
    expect(resumeRefusal(s())?.id).toBe('not-paused');
  });
  it('reopen: a hand-in, and only before the candidate\'s end', () => {
    expect(reopenRefusal(s({ state: 'handed_in' }), during)).toBeNull();
    expect(reopenRefusal(s({ state: 'handed_in' }), endsAt)?.id).toBe('window-closed');
    expect(reopenRefusal(s(), during)?.id).toBe('not-handed-in');
  });
  it('absent: not once handed in', () => {
    expect(absentRefusal(s({ state: 'registered' }))).toBeNull();
    expect(absentRefusal(s({ state: 'handed_in' }))?.id).toBe('already-handed-in');
  });
});
