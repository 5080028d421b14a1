import { describe, expect, it } from 'vitest';
import { mayAdministerSchool, mayGrade, mayInvigilate, mayManageSittings, mayReadPaper, mayWriteAnswer } from '../../src/auth/permissions.ts';
import type { Actor, Role } from '../../src/http/context.ts';

const actor = (role: Role, o: Partial<Actor> = {}): Actor =>
  ({ userId: 7, username: 'u', displayName: 'U', role, schoolId: 1, sessionId: 1, ...o });
const roles: Role[] = ['ministry', 'school_admin', 'invigilator', 'grader', 'candidate'];

describe('permissions', () => {
  it('only the ministry manages sittings', () => {
    expect(roles.filter((r) => mayManageSittings(actor(r)))).toEqual(['ministry']);
  });

  it('a school admin administers their own school and no other', () => {
    expect(mayAdministerSchool(actor('school_admin', { schoolId: 1 }), 1)).toBe(true);
    expect(mayAdministerSchool(actor('school_admin', { schoolId: 1 }), 2)).toBe(false);
    expect(mayAdministerSchool(actor('invigilator', { schoolId: 1 }), 1)).toBe(false);
  });

  it('an invigilator acts only in an assigned room', () => {
    expect(mayInvigilate(actor('invigilator'), [3, 4], 4)).toBe(true);
    expect(mayInvigilate(actor('invigilator'), [3], 4)).toBe(false);
    expect(mayInvigilate(actor('school_admin'), [4], 4)).toBe(false);
  });

  it('a grader sees only assigned sittings', () => {
    expect(mayGrade(actor('grader'), [9], 9)).toBe(true);
    expect(mayGrade(actor('grader'), [9], 10)).toBe(false);
    expect(mayGrade(actor('ministry'), [9], 9)).toBe(false);
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
    it('releases it at the start to the sitting\'s candidates and staff', () => {
      expect(roles.filter((r) => mayReadPaper(actor(r), { startsAt, now: after, ...all }))).toEqual(roles);
    });
    it('never to a candidate or staff member of another sitting', () => {
      const none = { registeredCandidate: false, sittingStaff: false };
      expect(roles.filter((r) => mayReadPaper(actor(r), { startsAt, now: after, ...none }))).toEqual(['ministry']);
    });
  });
});
