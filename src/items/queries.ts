import type { Queryable } from '../db/pool.ts';
import type { SealedPaper } from '../scheduling/paperVault.ts';
import type { PartSchedule } from './testPlan.ts';
import type { TestScore } from './itemScoring.ts';
import type { KeyChange, KeyCorrection } from './keyCorrection.ts';

export interface StoredPackage {
  wrappedKey: Buffer;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
  sha256: string;
  uploadedAt: Date;
}

/** Stores (or replaces) a sitting's sealed package with its plain schedule. */
export async function storeItemPackage(
  q: Queryable,
  sittingId: number,
  p: SealedPaper,
  o: { itemCount: number; parts: PartSchedule[]; by: number },
): Promise<void> {
  await q.query(
    `INSERT INTO item_packages (sitting_id, wrapped_key, iv, auth_tag, ciphertext, sha256, byte_size, item_count, parts, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (sitting_id) DO UPDATE SET wrapped_key = EXCLUDED.wrapped_key, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
       ciphertext = EXCLUDED.ciphertext, sha256 = EXCLUDED.sha256, byte_size = EXCLUDED.byte_size, item_count = EXCLUDED.item_count,
       parts = EXCLUDED.parts, uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()`,
    [sittingId, p.wrappedKey, p.iv, p.authTag, p.ciphertext, p.sha256, p.byteSize, o.itemCount, JSON.stringify(o.parts), o.by],
  );
}

export async function loadItemPackage(q: Queryable, sittingId: number): Promise<StoredPackage | null> {
  const { rows } = await q.query<{ wrapped_key: Buffer; iv: Buffer; auth_tag: Buffer; ciphertext: Buffer; sha256: string; uploaded_at: Date }>(
    'SELECT wrapped_key, iv, auth_tag, ciphertext, sha256, uploaded_at FROM item_packages WHERE sitting_id = $1',
    [sittingId],
  );
  const r = rows[0];
  return r ? { wrappedKey: r.wrapped_key, iv: r.iv, authTag: r.auth_tag, ciphertext: r.ciphertext, sha256: r.sha256, uploadedAt: r.uploaded_at } : null;
}

/** The parts' schedule of a sitting's item test, or null when the sitting is an essay. */
export async function findPartSchedule(q: Queryable, sittingId: number): Promise<PartSchedule[] | null> {
  const { rows } = await q.query<{ parts: PartSchedule[] }>('SELECT parts FROM item_packages WHERE sitting_id = $1', [sittingId]);
  return rows[0]?.parts ?? null;
}

/** What the ministry sees of an uploaded package (never its content). */
export async function packageInfo(q: Queryable, sittingId: number) {
  const { rows } = await q.query<{ sha256: string; byte_size: number; item_count: number; parts: PartSchedule[]; uploaded_at: Date }>(
    'SELECT sha256, byte_size, item_count, parts, uploaded_at FROM item_packages WHERE sitting_id = $1',
    [sittingId],
  );
  const r = rows[0];
  return r ? { sha256: r.sha256, bytes: r.byte_size, items: r.item_count, parts: r.parts, uploadedAt: r.uploaded_at.toISOString() } : null;
}

/** Stores (or, on rescoring, replaces) a submission's item scores and totals. */
export async function storeTestScore(q: Queryable, submissionId: number, s: TestScore): Promise<void> {
  await q.query('DELETE FROM item_scores WHERE submission_id = $1', [submissionId]);
  await q.query(
    `INSERT INTO item_scores (submission_id, item_identifier, part_identifier, score, max_score, manual, response)
     SELECT $1, x.item, x.part, x.score, x."maxScore", x.manual, x.response
       FROM jsonb_to_recordset($2::jsonb) AS x(item text, part text, score float8, "maxScore" float8, manual boolean, response jsonb)`,
    [submissionId, JSON.stringify(s.items)],
  );
  await q.query(
    `INSERT INTO item_results (submission_id, total, max_total, parts) VALUES ($1, $2, $3, $4)
     ON CONFLICT (submission_id) DO UPDATE SET total = EXCLUDED.total, max_total = EXCLUDED.max_total, parts = EXCLUDED.parts, scored_at = now()`,
    [submissionId, s.total, s.maxTotal, JSON.stringify(s.parts)],
  );
  // A grader's scores outlive a rescoring: the totals count them, not the automatic ones they replaced.
  await refreshTotals(q, submissionId);
}

export async function loadItemScores(q: Queryable, submissionId: number): Promise<Map<string, number>> {
  const { rows } = await q.query<{ item_identifier: string; score: number }>('SELECT item_identifier, score FROM item_scores WHERE submission_id = $1', [
    submissionId,
  ]);
  return new Map(rows.map((r) => [r.item_identifier, r.score]));
}

export async function listCorrections(q: Queryable, sittingId: number): Promise<KeyCorrection[]> {
  const { rows } = await q.query<{ item_identifier: string; response_identifier: string; kind: string; change: Record<string, unknown> }>(
    'SELECT item_identifier, response_identifier, kind, change FROM item_key_corrections WHERE sitting_id = $1 ORDER BY id',
    [sittingId],
  );
  return rows.map((r) => ({
    itemIdentifier: r.item_identifier,
    responseIdentifier: r.response_identifier,
    change: { kind: r.kind, ...r.change } as KeyChange,
  }));
}

export async function insertCorrection(q: Queryable, sittingId: number, c: KeyCorrection, by: number | null): Promise<number> {
  const { kind, ...change } = c.change;
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO item_key_corrections (sitting_id, item_identifier, response_identifier, kind, change, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [sittingId, c.itemIdentifier, c.responseIdentifier, kind, JSON.stringify(change), by],
  );
  return rows[0].id;
}

/** The current submissions of a sitting with their frozen documents, for rescoring. */
export async function currentSubmissions(q: Queryable, sittingId: number) {
  const { rows } = await q.query<{ id: number; registration_id: number; exam_number: string; final_state: Buffer }>(
    `SELECT s.id, s.registration_id, r.exam_number, s.final_state FROM submissions s JOIN registrations r ON r.id = s.registration_id
      WHERE r.sitting_id = $1 AND s.superseded_at IS NULL ORDER BY r.exam_number`,
    [sittingId],
  );
  return rows;
}

/** The results list: every current submission's total and parts, by exam number. */
export async function listResults(q: Queryable, sittingId: number) {
  const { rows } = await q.query<{ exam_number: string; submission_id: number; total: number; max_total: number; parts: unknown }>(
    `SELECT r.exam_number, s.id AS submission_id, x.total, x.max_total, x.parts
       FROM submissions s JOIN registrations r ON r.id = s.registration_id JOIN item_results x ON x.submission_id = s.id
      WHERE r.sitting_id = $1 AND s.superseded_at IS NULL ORDER BY r.exam_number`,
    [sittingId],
  );
  return rows.map((r) => ({ examNumber: r.exam_number, submissionId: r.submission_id, total: r.total, maxTotal: r.max_total, parts: r.parts }));
}

/** Every current submission's item scores of a sitting, for the statistics. */
export async function sittingItemScores(q: Queryable, sittingId: number) {
  const { rows } = await q.query<{ item: string; part: string; score: number; maxScore: number; response: Record<string, string | string[]> | null }>(
    `SELECT i.item_identifier AS item, i.part_identifier AS part, COALESCE(g.score, i.score) AS score, i.max_score AS "maxScore", i.response
       FROM item_scores i
       LEFT JOIN item_grader_scores g ON g.submission_id = i.submission_id AND g.item_identifier = i.item_identifier
       JOIN submissions s ON s.id = i.submission_id JOIN registrations r ON r.id = s.registration_id
      WHERE r.sitting_id = $1 AND s.superseded_at IS NULL ORDER BY i.part_identifier, i.item_identifier`,
    [sittingId],
  );
  return rows;
}

export interface SheetRow {
  item: string;
  part: string;
  /** The effective score: the grader's when there is one, else the automatic one. */
  score: number;
  automatic: number;
  maxScore: number;
  manual: boolean;
  graded: { score: number; reason: string | null; at: string } | null;
}

/** A submission's item scores with any grader's score, in stored order (the plan orders them for display). */
export async function loadScoreSheet(q: Queryable, submissionId: number): Promise<SheetRow[]> {
  const { rows } = await q.query(
    `SELECT i.item_identifier, i.part_identifier, i.score, i.max_score, i.manual, g.score AS graded, g.reason, g.graded_at
       FROM item_scores i LEFT JOIN item_grader_scores g ON g.submission_id = i.submission_id AND g.item_identifier = i.item_identifier
      WHERE i.submission_id = $1`,
    [submissionId],
  );
  return rows.map((r) => ({
    item: r.item_identifier as string,
    part: r.part_identifier as string,
    score: (r.graded ?? r.score) as number,
    automatic: r.score as number,
    maxScore: r.max_score as number,
    manual: r.manual as boolean,
    graded: r.graded === null ? null : { score: r.graded as number, reason: r.reason as string | null, at: (r.graded_at as Date).toISOString() },
  }));
}

/** Totals of a submission as stored (parts in delivery order); null before it was scored. */
export async function loadTotals(q: Queryable, submissionId: number) {
  const { rows } = await q.query<{ total: number; max_total: number; parts: { part: string; score: number; maxScore: number }[] }>(
    'SELECT total, max_total, parts FROM item_results WHERE submission_id = $1',
    [submissionId],
  );
  const r = rows[0];
  return r ? { score: r.total, maxScore: r.max_total, parts: r.parts } : null;
}

/** Sets a grader's score for one item (the row is locked by the caller's read); returns the one it replaced. */
export async function upsertGraderScore(q: Queryable, o: { submissionId: number; item: string; score: number; reason: string | null; by: number; at: Date }) {
  await q.query(
    `INSERT INTO item_grader_scores (submission_id, item_identifier, score, reason, graded_by, graded_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (submission_id, item_identifier) DO UPDATE SET score = EXCLUDED.score, reason = EXCLUDED.reason,
       graded_by = EXCLUDED.graded_by, graded_at = EXCLUDED.graded_at`,
    [o.submissionId, o.item, o.score, o.reason, o.by, o.at],
  );
}

/** Recomputes a submission's part scores and total from the effective item scores (grader's score first). */
export async function refreshTotals(q: Queryable, submissionId: number): Promise<void> {
  const totals = await loadTotals(q, submissionId);
  if (!totals) return;
  const sheet = await loadScoreSheet(q, submissionId);
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  const parts = totals.parts.map((p) => ({ ...p, score: round(sheet.filter((r) => r.part === p.part).reduce((n, r) => n + r.score, 0)) }));
  await q.query('UPDATE item_results SET total = $2, parts = $3 WHERE submission_id = $1', [
    submissionId,
    round(parts.reduce((n, p) => n + p.score, 0)),
    JSON.stringify(parts),
  ]);
}

/** A current submission of the sitting with its frozen document, or null (→ 404). */
export async function sittingSubmission(q: Queryable, sittingId: number, submissionId: number) {
  const { rows } = await q.query<{ id: number; exam_number: string; final_state: Buffer }>(
    `SELECT s.id, r.exam_number, s.final_state FROM submissions s JOIN registrations r ON r.id = s.registration_id
      WHERE s.id = $2 AND r.sitting_id = $1 AND s.superseded_at IS NULL`,
    [sittingId, submissionId],
  );
  const r = rows[0];
  return r ? { id: r.id, examNumber: r.exam_number, finalState: r.final_state } : null;
}

/** Locks a submission's result row for a score change; returns the total before it, or null when never scored. */
export async function lockResult(q: Queryable, submissionId: number): Promise<number | null> {
  const { rows } = await q.query<{ total: number }>('SELECT total FROM item_results WHERE submission_id = $1 FOR UPDATE', [submissionId]);
  return rows[0]?.total ?? null;
}
