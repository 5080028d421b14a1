import { insertAccessCode } from '../auth/queries.ts';
import { newAccessCode, sha256 } from '../auth/tokens.ts';
import type { Queryable } from '../db/pool.ts';
import { roomSheet } from './queries.ts';

export interface AccessCodeSheet {
  expiresAt: Date;
  codes: { examNumber: string; name: string; className: string; code: string }[];
}

// A sheet is printed for the day of the sitting: its codes must not stay usable after it.
const VALID_HOURS = 16;

/**
 * Issues a fresh one-time code to every pupil of the room who is still to write (docs/rules.md §1, §3).
 * Only hashes are stored; the plain codes exist in the returned sheet alone.
 */
export async function issueAccessCodeSheet(tx: Queryable, sittingId: number, roomId: number, issuedBy: number, now: Date): Promise<AccessCodeSheet> {
  const rows = await roomSheet(tx, sittingId, roomId);
  const expiresAt = new Date(now.getTime() + VALID_HOURS * 3_600_000);
  const codes: AccessCodeSheet['codes'] = [];
  for (const r of rows) {
    const code = newAccessCode();
    await insertAccessCode(tx, { registrationId: r.id, codeHash: sha256(code), issuedBy, expiresAt });
    codes.push({ examNumber: r.exam_number, name: r.full_name, className: r.class_name, code });
  }
  return { expiresAt, codes };
}
