import type { Actor, Role } from '../http/context.ts';

/**
 * Who may do what, as pure functions of the actor and the relation the caller looked up
 * (docs/rules.md §1: role AND relation). Routes call these; tests cover both sides of each.
 */
export const hasRole = (actor: Actor, ...roles: Role[]): boolean => roles.includes(actor.role);

/** School staff act only inside their own school. */
export const mayAdministerSchool = (actor: Actor, schoolId: number): boolean =>
  actor.role === 'school_admin' && actor.schoolId === schoolId;

/** Scheduling and the national view belong to the ministry. */
export const mayManageSittings = (actor: Actor): boolean => actor.role === 'ministry';

/** An invigilator acts only in rooms assigned to them for that sitting. */
export const mayInvigilate = (actor: Actor, assignedRoomIds: readonly number[], roomId: number): boolean =>
  actor.role === 'invigilator' && assignedRoomIds.includes(roomId);

/** A grader sees only the sittings assigned to them. */
export const mayGrade = (actor: Actor, assignedSittingIds: readonly number[], sittingId: number): boolean =>
  actor.role === 'grader' && assignedSittingIds.includes(sittingId);

/** A candidate touches only their own registration. */
export const mayWriteAnswer = (actor: Actor, registrationUserId: number): boolean =>
  actor.role === 'candidate' && actor.userId === registrationUserId;

export interface PaperAccess {
  startsAt: Date;
  now: Date;
  /** The actor is a candidate registered for this sitting. */
  registeredCandidate: boolean;
  /** The actor is staff of this sitting: an assigned invigilator or grader, or an admin of a taking-part school. */
  sittingStaff: boolean;
}

/** The sealed paper (docs/rules.md §2): ministry always; from startsAt that sitting's candidates and staff only. */
export function mayReadPaper(actor: Actor, a: PaperAccess): boolean {
  if (actor.role === 'ministry') return true;
  if (a.now.getTime() < a.startsAt.getTime()) return false;
  return actor.role === 'candidate' ? a.registeredCandidate : a.sittingStaff;
}
