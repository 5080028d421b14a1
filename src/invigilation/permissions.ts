import type { Actor } from '../http/context.ts';

/**
 * Who may use the live room and its actions (docs/rules.md §1: role AND relation), as a pure function of the actor and
 * whether the caller found an assignment of this actor to the (sitting, room) — or, for a registration, to
 * the registration's room. Only assigned invigilators: a school admin or the ministry has their own views,
 * and watching a room is a duty that is assigned, not a right of rank (least privilege; decided for issue 5).
 *
 *   'wrong-role' → 403 / close 'forbidden' with a reason (the caller knows what they are)
 *   'unknown'    → 404 / close 'unknown…' (a room or registration of another invigilator must not leak)
 */
export type RoomAccess = 'allowed' | 'wrong-role' | 'unknown';

export function invigilatorAccess(actor: Pick<Actor, 'role'>, assignedToRoom: boolean): RoomAccess {
  if (actor.role !== 'invigilator') return 'wrong-role';
  return assignedToRoom ? 'allowed' : 'unknown';
}
