import { describe, expect, it } from 'vitest';
import { allowedActions, type RegistrationState } from '../../src/invigilation/rules.ts';

const startsAt = new Date('2027-05-04T07:00:00Z');
const endsAt = new Date('2027-05-04T11:00:00Z');
const before = new Date(startsAt.getTime() - 600_000);
const during = new Date('2027-05-04T08:00:00Z');
const lastMs = new Date(endsAt.getTime() - 1);
const s = (o: Partial<RegistrationState> = {}): RegistrationState => ({ state: 'writing', pausedAt: null, extraMinutes: 0, startsAt, endsAt, ...o });
const sorted = (a: string[]) => [...a].sort();

describe('allowedActions: the buttons the live room offers for one pupil', () => {
  it('a pupil writing mid-exam: extra time, pause, one-time code, device switch, simple writing, absent; nothing that undoes', () => {
    expect(sorted(allowedActions(s(), during, false))).toEqual(['absent', 'access-code', 'device-switch', 'extra-time', 'pause', 'simple-writing']);
  });

  it('simple writing is offered once: not again when the pupil already has it (docs/rules.md §13)', () => {
    expect(allowedActions(s({ simpleWriting: true }), during, false)).not.toContain('simple-writing');
  });

  it('a paused pupil can be resumed but not paused again', () => {
    const a = allowedActions(s({ pausedAt: during }), during, false);
    expect(a).toContain('resume');
    expect(a).not.toContain('pause');
  });

  it('a handed-in pupil within the window: reopen and a one-time code, but no extra time, pause, device switch or absent', () => {
    expect(sorted(allowedActions(s({ state: 'handed_in' }), lastMs, false))).toEqual(['access-code', 'reopen']);
  });

  it('a handed-in pupil at the end: nothing, not even reopen (the answer stays as handed in)', () => {
    expect(allowedActions(s({ state: 'handed_in' }), endsAt, false)).toEqual([]);
  });

  it('an absent or ill pupil within the window: only undo the absence', () => {
    expect(allowedActions(s({ state: 'absent' }), during, false)).toEqual(['present']);
    expect(allowedActions(s({ state: 'ill' }), during, false)).toEqual(['present']);
  });

  it('an absent pupil after the end: nothing (the absence can no longer be undone)', () => {
    expect(allowedActions(s({ state: 'absent' }), endsAt, false)).toEqual([]);
  });

  it('before the start: extra time, code, device switch, simple writing and absent, but no pause (the clock is not running)', () => {
    expect(sorted(allowedActions(s({ state: 'registered' }), before, false))).toEqual([
      'absent',
      'access-code',
      'device-switch',
      'extra-time',
      'simple-writing',
    ]);
  });

  it('at the end a writing pupil still gets extra time (it moves the end), but no pause, code or device switch', () => {
    expect(sorted(allowedActions(s(), endsAt, false))).toEqual(['absent', 'extra-time']);
  });

  it('extra time is offered up to 599 minutes granted and not at the 600-minute ceiling', () => {
    expect(allowedActions(s({ extraMinutes: 599 }), during, false)).toContain('extra-time');
    expect(allowedActions(s({ extraMinutes: 600 }), during, false)).not.toContain('extra-time');
  });

  it('unlock is offered exactly when the answer is locked, whatever the state', () => {
    expect(allowedActions(s(), during, true)).toContain('unlock');
    expect(allowedActions(s(), during, false)).not.toContain('unlock');
    expect(allowedActions(s({ state: 'handed_in' }), endsAt, true)).toEqual(['unlock']);
  });
});
