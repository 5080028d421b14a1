import type { Actor } from '../http/context.ts';

/**
 * Who may do what, as pure functions of the actor and the relation the caller looked up
 * (docs/rules.md §1: role AND relation). Routes call these; tests cover both sides of each. Rules of one
 * domain live with it (invigilation/permissions.ts): this file holds those several domains share.
 */

/** School staff act only inside their own school. */
export const mayAdministerSchool = (actor: Actor, schoolId: number): boolean => actor.role === 'school_admin' && actor.schoolId === schoolId;

/** A candidate touches only their own registration. */
export const mayWriteAnswer = (actor: Actor, registrationUserId: number): boolean => actor.role === 'candidate' && actor.userId === registrationUserId;

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
