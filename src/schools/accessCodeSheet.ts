import { insertAccessCode } from '../auth/queries.ts';
import { newAccessCode, sha256 } from '../auth/tokens.ts';
import type { Queryable } from '../db/pool.ts';
import { endsAt } from '../exam/window.ts';
import { roomSheet } from './queries.ts';

export interface AccessCodeSheet {
  /** The sitting's regular end, which the sheet names as its validity. */
  expiresAt: Date;
  codes: { examNumber: string; name: string; className: string; code: string; validUntil: Date }[];
}

/**
 * Issues a fresh one-time code to every pupil of the room who is still to write (docs/rules.md §1, §3).
 * A code is valid until the pupil's own end (the sitting's end plus their extra minutes): a sheet printed the day
 * before still works on the day, and none stays usable after the pupil's exam. Only hashes are stored; the plain
 * codes exist in the returned sheet alone.
 */
export async function issueAccessCodeSheet(
  tx: Queryable,
  sitting: { id: number; startsAt: Date; durationMinutes: number },
  roomId: number,
  issuedBy: number,
): Promise<AccessCodeSheet> {
  const rows = await roomSheet(tx, sitting.id, roomId);
  const end = (extraMinutes: number) => endsAt({ ...sitting, extraMinutes, pausedSeconds: 0, pausedAt: null, endedAt: null }, sitting.startsAt);
  const codes: AccessCodeSheet['codes'] = [];
  for (const r of rows) {
    const code = newAccessCode();
    const validUntil = end(r.extra_minutes);
    await insertAccessCode(tx, { registrationId: r.id, codeHash: sha256(code), issuedBy, expiresAt: validUntil });
    codes.push({ examNumber: r.exam_number, name: r.full_name, className: r.class_name, code, validUntil });
  }
  return { expiresAt: end(0), codes };
}
