import { describe, expect, it } from 'vitest';
import { mayAdministerSchool, mayReadPaper, mayWriteAnswer } from '../../src/auth/permissions.ts';
import type { Actor, Role } from '../../src/http/context.ts';

const actor = (role: Role, o: Partial<Actor> = {}): Actor => ({ userId: 7, username: 'u', displayName: 'U', role, schoolId: 1, sessionId: 1, ...o });
const roles: Role[] = ['ministry', 'school_admin', 'invigilator', 'grader', 'candidate'];

describe('permissions', () => {
  it('a school admin administers their own school and no other', () => {
    expect(mayAdministerSchool(actor('school_admin', { schoolId: 1 }), 1)).toBe(true);
    expect(mayAdministerSchool(actor('school_admin', { schoolId: 1 }), 2)).toBe(false);
    expect(mayAdministerSchool(actor('invigilator', { schoolId: 1 }), 1)).toBe(false);
  });

  it('a candidate writes only their own answer', () => {
    expect(mayWriteAnswer(actor('candidate', { userId: 5 }), 5)).toBe(true);
    expect(mayWriteAnswer(actor('candidate', { userId: 5 }), 6)).toBe(false);
    expect(mayWriteAnswer(actor('invigilator', { userId: 5 }), 5)).toBe(false);
  });

  describe('the sealed question paper', () => {
    const startsAt = new Date('2027-05-04T07:00:00Z');
    const before = new Date(startsAt.getTime() - 1);
    const after = startsAt;
    const all = { registeredCandidate: true, sittingStaff: true };

    it('refuses every role but the ministry one millisecond before the start', () => {
      expect(roles.filter((r) => mayReadPaper(actor(r), { startsAt, now: before, ...all }))).toEqual(['ministry']);
    });
    it("releases it at the start to the sitting's candidates and staff", () => {
      expect(roles.filter((r) => mayReadPaper(actor(r), { startsAt, now: after, ...all }))).toEqual(roles);
    });
    it('never to a candidate or staff member of another sitting', () => {
      const none = { registeredCandidate: false, sittingStaff: false };
      expect(roles.filter((r) => mayReadPaper(actor(r), { startsAt, now: after, ...none }))).toEqual(['ministry']);
    });
  });
});
