import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/http/context.ts';
import { invigilatorAccess } from '../../src/invigilation/permissions.ts';
import {
  absentRefusal,
  accessCodeRefusal,
  deviceSwitchRefusal,
  endRoomRefusal,
  extraTimeRefusal,
  pauseRefusal,
  presentRefusal,
  reopenRefusal,
  resumeRefusal,
  type RegistrationState,
} from '../../src/invigilation/rules.ts';
import { absentInput, extraTimeInput, incidentInput, withReason } from '../../src/invigilation/schema.ts';

const startsAt = new Date('2027-05-04T07:00:00Z');
const endsAt = new Date('2027-05-04T11:00:00Z');
const during = new Date('2027-05-04T08:00:00Z');
const s = (o: Partial<RegistrationState> = {}): RegistrationState => ({ state: 'writing', pausedAt: null, extraMinutes: 0, startsAt, endsAt, ...o });

describe('invigilation permissions', () => {
  const actor = (role: Actor['role']) => ({ role });
  it('allows an invigilator assigned to the room', () => {
    expect(invigilatorAccess(actor('invigilator'), true)).toBe('allowed');
  });
  it('treats a room or registration of another invigilator as unknown (404, no existence leak)', () => {
    expect(invigilatorAccess(actor('invigilator'), false)).toBe('unknown');
  });
  it('refuses every other role by role (403), assigned or not', () => {
    for (const role of ['candidate', 'grader', 'school_admin', 'ministry'] as const) {
      expect(invigilatorAccess(actor(role), true)).toBe('wrong-role');
      expect(invigilatorAccess(actor(role), false)).toBe('wrong-role');
    }
  });
});

describe('invigilation rules', () => {
  it('extra time: allowed before and while writing; refused after hand-in or absence and beyond 600 minutes in total', () => {
    expect(extraTimeRefusal(s(), 10)).toBeNull();
    expect(extraTimeRefusal(s({ state: 'lobby' }), 10)).toBeNull();
    expect(extraTimeRefusal(s({ state: 'registered', extraMinutes: 590 }), 10)).toBeNull();
    expect(extraTimeRefusal(s({ state: 'handed_in' }), 10)?.id).toBe('not-writing');
    expect(extraTimeRefusal(s({ state: 'ill' }), 10)?.id).toBe('not-writing');
    expect(extraTimeRefusal(s({ extraMinutes: 591 }), 10)?.id).toBe('extra-time-limit');
  });

  it('pause: only while running and not already paused', () => {
    expect(pauseRefusal(s(), during)).toBeNull();
    expect(pauseRefusal(s({ pausedAt: during }), during)?.id).toBe('already-paused');
    expect(pauseRefusal(s(), new Date(startsAt.getTime() - 1))?.id).toBe('outside-window');
    expect(pauseRefusal(s(), endsAt)?.id).toBe('outside-window');
    expect(pauseRefusal(s({ state: 'handed_in' }), during)?.id).toBe('not-writing');
  });

  it('resume: only when paused', () => {
    expect(resumeRefusal(s({ pausedAt: during }))).toBeNull();
    expect(resumeRefusal(s())?.id).toBe('not-paused');
  });

  it("access code: until the candidate's end, not for a candidate marked absent", () => {
    expect(accessCodeRefusal(s({ state: 'registered' }), new Date(startsAt.getTime() - 600_000))).toBeNull();
    expect(accessCodeRefusal(s(), new Date(endsAt.getTime() - 1))).toBeNull();
    expect(accessCodeRefusal(s(), endsAt)?.id).toBe('window-closed');
    expect(accessCodeRefusal(s({ state: 'absent' }), during)?.id).toBe('marked-absent');
  });

  it('device switch: while the candidate can still write', () => {
    expect(deviceSwitchRefusal(s(), during)).toBeNull();
    expect(deviceSwitchRefusal(s({ state: 'handed_in' }), during)?.id).toBe('not-writing');
    expect(deviceSwitchRefusal(s(), endsAt)?.id).toBe('window-closed');
  });

  it('absent or ill: not once handed in, not twice; present undoes it while the time runs', () => {
    expect(absentRefusal(s({ state: 'registered' }))).toBeNull();
    expect(absentRefusal(s({ state: 'writing' }))).toBeNull();
    expect(absentRefusal(s({ state: 'handed_in' }))?.id).toBe('already-handed-in');
    expect(absentRefusal(s({ state: 'ill' }))?.id).toBe('already-absent');
    expect(presentRefusal(s({ state: 'absent' }), during)).toBeNull();
    expect(presentRefusal(s({ state: 'writing' }), during)?.id).toBe('not-absent');
    expect(presentRefusal(s({ state: 'ill' }), endsAt)?.id).toBe('window-closed');
  });

  it("reopen: a hand-in, and only before the candidate's end", () => {
    expect(reopenRefusal(s({ state: 'handed_in' }), during)).toBeNull();
    expect(reopenRefusal(s({ state: 'handed_in' }), endsAt)?.id).toBe('window-closed');
    expect(reopenRefusal(s(), during)?.id).toBe('not-handed-in');
  });

  it('end the room: from the start on, not before', () => {
    expect(endRoomRefusal(startsAt, startsAt)).toBeNull();
    expect(endRoomRefusal(startsAt, new Date(startsAt.getTime() - 1))?.id).toBe('not-started');
  });
});

describe('invigilation input', () => {
  it('requires a reason of at least three characters after trimming, for every action', () => {
    expect(withReason.safeParse({ reason: 'Syg' }).success).toBe(true);
    expect(withReason.safeParse({ reason: '   x  ' }).success).toBe(false);
    expect(withReason.safeParse({}).success).toBe(false);
    expect(absentInput.safeParse({ kind: 'ill' }).success).toBe(false);
    expect(extraTimeInput.safeParse({ minutes: 10 }).success).toBe(false);
  });
  it('extra time: whole minutes from 1 to 240', () => {
    expect(extraTimeInput.safeParse({ minutes: 1, reason: 'Ordblind' }).success).toBe(true);
    expect(extraTimeInput.safeParse({ minutes: 240, reason: 'Ordblind' }).success).toBe(true);
    for (const minutes of [0, 241, 2.5, '10']) expect(extraTimeInput.safeParse({ minutes, reason: 'Ordblind' }).success).toBe(false);
  });
  it('absent kind: absent, ill or present only; incident note non-empty', () => {
    expect(absentInput.parse({ reason: 'Mødte ikke' }).kind).toBe('absent');
    expect(absentInput.safeParse({ kind: 'late', reason: 'Mødte ikke' }).success).toBe(false);
    expect(incidentInput.safeParse({ note: '  ' }).success).toBe(false);
    expect(incidentInput.safeParse({ note: 'Brandalarm 10:12' }).success).toBe(true);
  });
});
