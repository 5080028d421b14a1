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
    `SELECT i.item_identifier AS item, i.part_identifier AS part, i.score, i.max_score AS "maxScore", i.response
       FROM item_scores i JOIN submissions s ON s.id = i.submission_id JOIN registrations r ON r.id = s.registration_id
      WHERE r.sitting_id = $1 AND s.superseded_at IS NULL ORDER BY i.part_identifier, i.item_identifier`,
    [sittingId],
  );
  return rows;
}
