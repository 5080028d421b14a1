import { appendAudit } from '../audit/auditLog.ts';
import { withTransaction } from '../db/pool.ts';
import type { Actor, AppDeps } from '../http/context.ts';
import { parseCandidateCsv, type CandidateRow, type RowRefusal } from './csvRows.ts';
import { candidatesByUniId, insertCandidates, insertCandidateUsers, lockSchoolImport, updateCandidates, type StoredCandidate } from './queries.ts';

export type RowOutcome =
  | { line: number; uniId: string; status: 'created' | 'updated' | 'unchanged' }
  | { line: number; uniId: string | null; status: 'refused'; reason: string; reason_en: string };

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
  rows: RowOutcome[];
}

const same = (row: CandidateRow, db: StoredCandidate) =>
  db.full_name === row.name &&
  db.class_name === row.className &&
  db.extra_minutes === row.extraMinutes &&
  db.text_to_speech === row.textToSpeech &&
  db.large_text === row.largeText &&
  db.high_contrast === row.highContrast;

/**
 * Imports a school's candidates from CSV with a per-row report. Set-based SQL (arrays through unnest), so
 * 10,000 rows take one round trip per step; idempotent: the same file again reports every row unchanged.
 */
export async function importCandidates(
  deps: AppDeps,
  actor: Actor,
  schoolId: number,
  csv: string,
): Promise<ImportReport | { fileError: { da: string; en: string } }> {
  const parsed = parseCandidateCsv(csv);
  if (parsed.fileError) return { fileError: parsed.fileError };
  const outcomes: RowOutcome[] = parsed.refused.map((r: RowRefusal) => ({
    line: r.line,
    uniId: r.uniId,
    status: 'refused',
    reason: r.reason.da,
    reason_en: r.reason.en,
  }));

  await withTransaction(deps.db, async (tx) => {
    await lockSchoolImport(tx, schoolId);
    const existing = new Map(
      (
        await candidatesByUniId(
          tx,
          schoolId,
          parsed.rows.map((r) => r.uniId),
        )
      ).map((r) => [r.uni_id, r]),
    );
    const fresh = parsed.rows.filter((r) => !existing.has(r.uniId));
    const changed = parsed.rows.filter((r) => existing.has(r.uniId) && !same(r, existing.get(r.uniId)!));
    for (const r of parsed.rows)
      if (existing.has(r.uniId) && same(r, existing.get(r.uniId)!)) outcomes.push({ line: r.line, uniId: r.uniId, status: 'unchanged' });

    // Usernames are global; a uni-id already taken by someone else's account is refused, never merged.
    const made = await insertCandidateUsers(
      tx,
      schoolId,
      fresh.map((r) => ({ username: r.uniId.toLowerCase(), name: r.name })),
    );
    const userIds = new Map(made.map((u) => [u.username, u.id]));
    const placed = fresh.filter((r) => userIds.has(r.uniId.toLowerCase()));
    for (const r of fresh)
      if (!userIds.has(r.uniId.toLowerCase())) {
        outcomes.push({
          line: r.line,
          uniId: r.uniId,
          status: 'refused',
          reason: `Brugernavnet ${r.uniId.toLowerCase()} bruges allerede af en anden konto.`,
          reason_en: `The username ${r.uniId.toLowerCase()} is already used by another account.`,
        });
      }
    await insertCandidates(
      tx,
      schoolId,
      placed.map((r) => ({ userId: userIds.get(r.uniId.toLowerCase())!, row: r })),
    );
    await updateCandidates(tx, schoolId, changed);
    for (const r of placed) outcomes.push({ line: r.line, uniId: r.uniId, status: 'created' });
    for (const r of changed) outcomes.push({ line: r.line, uniId: r.uniId, status: 'updated' });
    const count = (s: string) => outcomes.filter((o) => o.status === s).length;
    await appendAudit(tx, {
      actor,
      action: 'schools.candidates_imported',
      subjectType: 'school',
      subjectId: schoolId,
      details: { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), refused: count('refused') },
    });
  });

  outcomes.sort((a, b) => a.line - b.line);
  const count = (s: RowOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), refused: count('refused'), rows: outcomes };
}
