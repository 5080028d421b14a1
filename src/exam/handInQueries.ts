import type { Queryable } from '../db/pool.ts';
import { SELECT_CONTEXT, type RegistrationContext } from './queries.ts';

/**
 * The statements of a set-based hand-in (handInSet.ts): each covers a whole batch of registrations, so a batch of
 * 100 automatic hand-ins costs a handful of round trips instead of eleven per pupil (docs/performance.md).
 */

/** Locks the registrations in id order (two batches never wait for each other in a circle) and reads them. */
export async function lockRegistrationContexts(q: Queryable, registrationIds: number[]): Promise<Map<number, RegistrationContext>> {
  const { rows } = await q.query<RegistrationContext>(`${SELECT_CONTEXT} WHERE r.id = ANY($1::bigint[]) ORDER BY r.id FOR UPDATE OF r`, [registrationIds]);
  return new Map(rows.map((r) => [r.id, r]));
}

export async function nextSubmissionVersions(q: Queryable, registrationIds: number[]): Promise<Map<number, number>> {
  const { rows } = await q.query<{ rid: number; v: number }>(
    `SELECT t.rid, COALESCE(max(s.version), 0) + 1 AS v FROM unnest($1::bigint[]) AS t(rid)
       LEFT JOIN submissions s ON s.registration_id = t.rid GROUP BY t.rid`,
    [registrationIds],
  );
  return new Map(rows.map((r) => [Number(r.rid), r.v]));
}

export async function markAllHandedIn(q: Queryable, handedIn: { registrationId: number; at: Date }[]): Promise<void> {
  await q.query(
    `UPDATE registrations r SET state = 'handed_in', handed_in_at = t.at
       FROM unnest($1::bigint[], $2::timestamptz[]) AS t(id, at) WHERE r.id = t.id`,
    [handedIn.map((h) => h.registrationId), handedIn.map((h) => h.at)],
  );
}
