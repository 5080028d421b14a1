import type { Queryable } from '../db/pool.ts';
import { SELECT_CONTEXT, type ReceiptRow, type RegistrationContext } from './queries.ts';

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

export interface NewSubmission {
  registrationId: number;
  version: number;
  finalState: Uint8Array;
  plainText: string;
  sha256: string;
  wordCount: number;
  handedInBy: 'candidate' | 'auto' | 'invigilator';
  receiptCode: string;
}

/** One multi-row INSERT; the rows come back keyed by registration (one new submission per registration). */
export async function insertSubmissions(q: Queryable, s: NewSubmission[]): Promise<Map<number, Omit<ReceiptRow, 'attachments'>>> {
  const { rows } = await q.query<Omit<ReceiptRow, 'attachments'>>(
    `INSERT INTO submissions (registration_id, version, final_state, plain_text, text_sha256, word_count, handed_in_by, receipt_code)
     SELECT * FROM unnest($1::bigint[], $2::int[], $3::bytea[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])
     RETURNING id, registration_id, receipt_code, handed_in_at, text_sha256, word_count, version`,
    [
      s.map((x) => x.registrationId),
      s.map((x) => x.version),
      s.map((x) => Buffer.from(x.finalState.buffer, x.finalState.byteOffset, x.finalState.byteLength)),
      s.map((x) => x.plainText),
      s.map((x) => x.sha256),
      s.map((x) => x.wordCount),
      s.map((x) => x.handedInBy),
      s.map((x) => x.receiptCode),
    ],
  );
  return new Map(rows.map((r) => [Number(r.registration_id), r]));
}

export async function markAllHandedIn(q: Queryable, handedIn: { registrationId: number; at: Date }[]): Promise<void> {
  await q.query(
    `UPDATE registrations r SET state = 'handed_in', handed_in_at = t.at
       FROM unnest($1::bigint[], $2::timestamptz[]) AS t(id, at) WHERE r.id = t.id`,
    [handedIn.map((h) => h.registrationId), handedIn.map((h) => h.at)],
  );
}
