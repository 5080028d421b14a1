import { appendAudit } from '../audit/auditLog.ts';
import { withTransaction } from '../db/pool.ts';
import type { Actor, AppDeps } from '../http/context.ts';
import { parseCandidateCsv, type CandidateRow, type RowRefusal } from './csvRows.ts';

export type RowOutcome =
  | { line: number; uniId: string; status: 'created' | 'updated' | 'unchanged' }
  | { line: number; uniId: string | null; status: 'refused'; reason: string; reason_en: string };

export interface ImportReport { created: number; updated: number; unchanged: number; refused: number; rows: RowOutcome[] }

const same = (row: CandidateRow, db: { full_name: string; class_name: string; extra_minutes: number; text_to_speech: boolean; large_text: boolean; high_contrast: boolean }) =>
  db.full_name === row.name && db.class_name === row.className && db.extra_minutes === row.extraMinutes &&
  db.text_to_speech === row.textToSpeech && db.large_text === row.largeText && db.high_contrast === row.highContrast;

/**
 * Imports a school's candidates from CSV with a per-row report. Set-based SQL (arrays through unnest), so
 * 10,000 rows take one round trip per step; idempotent: the same file again reports every row unchanged.
 */
export async function importCandidates(deps: AppDeps, actor: Actor, schoolId: number, csv: string): Promise<ImportReport | { fileError: { da: string; en: string } }> {
  const parsed = parseCandidateCsv(csv);
  if (parsed.fileError) return { fileError: parsed.fileError };
  const outcomes: RowOutcome[] = parsed.refused.map((r: RowRefusal) => ({ line: r.line, uniId: r.uniId, status: 'refused', reason: r.reason.da, reason_en: r.reason.en }));

  await withTransaction(deps.db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(726413, $1::int)', [schoolId]); // one import per school at a time
    const existing = new Map((await tx.query(
      `SELECT c.uni_id, c.full_name, c.class_name, c.extra_minutes, c.text_to_speech, c.large_text, c.high_contrast
         FROM candidates c WHERE c.school_id = $1 AND c.uni_id = ANY($2::text[])`, [schoolId, parsed.rows.map((r) => r.uniId)])).rows.map((r) => [r.uni_id, r]));
    const fresh = parsed.rows.filter((r) => !existing.has(r.uniId));
    const changed = parsed.rows.filter((r) => existing.has(r.uniId) && !same(r, existing.get(r.uniId)));
    for (const r of parsed.rows) if (existing.has(r.uniId) && same(r, existing.get(r.uniId))) outcomes.push({ line: r.line, uniId: r.uniId, status: 'unchanged' });

    // Usernames are global; a uni-id already taken by someone else's account is refused, never merged.
    const usernames = fresh.map((r) => r.uniId.toLowerCase());
    const made = await tx.query<{ id: number; username: string }>(
      `INSERT INTO users (username, display_name, role, school_id)
       SELECT u, n, 'candidate', $3 FROM unnest($1::text[], $2::text[]) AS t(u, n)
       ON CONFLICT (username) DO NOTHING RETURNING id, username`, [usernames, fresh.map((r) => r.name), schoolId]);
    const userIds = new Map(made.rows.map((u) => [u.username, u.id]));
    const placed = fresh.filter((r) => userIds.has(r.uniId.toLowerCase()));
    for (const r of fresh) if (!userIds.has(r.uniId.toLowerCase())) {
      outcomes.push({ line: r.line, uniId: r.uniId, status: 'refused', reason: `Brugernavnet ${r.uniId.toLowerCase()} bruges allerede af en anden konto.`,
        reason_en: `The username ${r.uniId.toLowerCase()} is already used by another account.` });
    }
    const cols = (rows: CandidateRow[]) => [rows.map((r) => r.uniId), rows.map((r) => r.name), rows.map((r) => r.className), rows.map((r) => r.extraMinutes),
      rows.map((r) => r.textToSpeech), rows.map((r) => r.largeText), rows.map((r) => r.highContrast)];
    await tx.query(
      `INSERT INTO candidates (user_id, school_id, uni_id, full_name, class_name, extra_minutes, text_to_speech, large_text, high_contrast)
       SELECT u, $1, i, n, c, e, t, l, h FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bool[], $8::bool[], $9::bool[])
         AS v(u, i, n, c, e, t, l, h)`,
      [schoolId, placed.map((r) => userIds.get(r.uniId.toLowerCase())), ...cols(placed)]);
    await tx.query(
      `UPDATE candidates c SET full_name = v.n, class_name = v.c, extra_minutes = v.e, text_to_speech = v.t, large_text = v.l, high_contrast = v.h
         FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bool[], $7::bool[], $8::bool[]) AS v(i, n, c, e, t, l, h)
        WHERE c.school_id = $1 AND c.uni_id = v.i`, [schoolId, ...cols(changed)]);
    await tx.query(
      `UPDATE users u SET display_name = c.full_name FROM candidates c
        WHERE c.user_id = u.id AND c.school_id = $1 AND c.uni_id = ANY($2::text[])`, [schoolId, changed.map((r) => r.uniId)]);
    for (const r of placed) outcomes.push({ line: r.line, uniId: r.uniId, status: 'created' });
    for (const r of changed) outcomes.push({ line: r.line, uniId: r.uniId, status: 'updated' });
    const count = (s: string) => outcomes.filter((o) => o.status === s).length;
    await appendAudit(tx, { actor, action: 'schools.candidates_imported', subjectType: 'school', subjectId: schoolId,
      details: { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), refused: count('refused') } });
  });

  outcomes.sort((a, b) => a.line - b.line);
  const count = (s: RowOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), refused: count('refused'), rows: outcomes };
}
