import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../db/pool.ts';
import type { AppDeps } from '../http/context.ts';
import { createPaperVault } from '../scheduling/module.ts';
import { storePaper } from '../scheduling/queries.ts';
import { formatExamNumber } from '../schools/examNumbers.ts';

/**
 * The demo's mathematics sitting (docs/rules.md §15, §16): a problem-solving paper that asks for a formula, a drawing
 * and a GeoGebra file; the calculator and every kind of attachment are allowed. Its pupils are elev41 … elev45.
 */
export const DEMO_MATH_SUBJECT = 'Matematik – problemløsning (FP9)';
export const DEMO_MATH_FIRST = 41;
export const DEMO_MATH_CANDIDATES = 5;
export const DEMO_MATH_USERNAMES = Array.from({ length: DEMO_MATH_CANDIDATES }, (_, i) => `elev${DEMO_MATH_FIRST + i}`);
export const DEMO_MATH_PAPER = join(import.meta.dirname, 'content', 'matematik', 'opgave.json');
const DEMO_MATH_AIDS = { spellCheck: true, textToSpeech: true, internet: false, calculator: true, attachments: true };

const NAMES = ['Liva Thomsen', 'Malthe Søgaard', 'Ella Brøndum', 'Aksel Vestergaard', 'Sofie Ågård'];

export interface MathDemoPlace {
  startsAt: Date;
  lobbyOpensMinutes: number;
  schoolId: number;
  roomId: number;
  ministryId: number;
  invigilatorId: number;
  graderId: number;
  /** Creates (or refreshes) a pupil's user with the demo password and returns its id. */
  pupilUser: (username: string, name: string) => Promise<number>;
}

/** Seeds the sitting, its staff, pupils and sealed paper inside the demo's transaction; returns the sitting id. */
export async function seedMathDemo(deps: AppDeps, tx: Queryable, p: MathDemoPlace): Promise<number> {
  const one = async (sql: string, params: unknown[]) => (await tx.query<{ id: number }>(sql, params)).rows[0].id;
  const sittingId = await one(
    `INSERT INTO sittings (subject, level, starts_at, duration_minutes, lobby_opens_minutes, aids, lockdown_profile, created_by)
     VALUES ($1, 9, $2, 180, $3, $4, 'browser_monitored', $5) RETURNING id`,
    [DEMO_MATH_SUBJECT, p.startsAt, p.lobbyOpensMinutes, JSON.stringify(DEMO_MATH_AIDS), p.ministryId],
  );
  await tx.query('INSERT INTO sitting_schools (sitting_id, school_id) VALUES ($1, $2)', [sittingId, p.schoolId]);
  await tx.query('INSERT INTO invigilator_assignments (sitting_id, room_id, user_id) VALUES ($1, $2, $3)', [sittingId, p.roomId, p.invigilatorId]);
  await tx.query('INSERT INTO grader_assignments (sitting_id, user_id) VALUES ($1, $2)', [sittingId, p.graderId]);
  for (const [i, username] of DEMO_MATH_USERNAMES.entries()) {
    const name = `Elev ${NAMES[i % NAMES.length]}`;
    const userId = await p.pupilUser(username, name);
    const candidateId = await one(
      `INSERT INTO candidates (user_id, school_id, uni_id, full_name, class_name, extra_minutes)
       VALUES ($1, $2, $3, $4, '9.B', 0)
       ON CONFLICT (user_id) DO UPDATE SET full_name = EXCLUDED.full_name RETURNING id`,
      [userId, p.schoolId, username, name],
    );
    await tx.query(`INSERT INTO registrations (sitting_id, candidate_id, room_id, exam_number, extra_minutes) VALUES ($1, $2, $3, $4, 0)`, [
      sittingId,
      candidateId,
      p.roomId,
      formatExamNumber(sittingId, i + 1),
    ]);
  }
  const paper = createPaperVault(deps).seal(Buffer.from(JSON.stringify(JSON.parse(readFileSync(DEMO_MATH_PAPER, 'utf8')))));
  await storePaper(tx, sittingId, 'richtext', paper, p.ministryId);
  return sittingId;
}
