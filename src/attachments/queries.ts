import type { Queryable } from '../db/pool.ts';
import type { AttachmentKind } from '../protocol/attachments.ts';

/** One tus upload of an attachment; listed only once `completed_at` is set. */
export interface UploadRow {
  id: string;
  registration_id: number;
  file_name: string;
  claimed_kind: AttachmentKind;
  size: number;
  upload_offset: number;
  metadata: Record<string, string | null>;
  created_at: Date;
  completed_at: Date | null;
  kind: AttachmentKind | null;
  mime_type: string | null;
  sha256: string | null;
}

const COLUMNS = `id, registration_id, file_name, claimed_kind, size, upload_offset, metadata, created_at, completed_at, kind, mime_type, sha256`;

export async function insertUpload(
  q: Queryable,
  u: { id: string; registrationId: number; fileName: string; claimedKind: AttachmentKind; size: number; metadata: Record<string, string | null> },
): Promise<UploadRow> {
  const { rows } = await q.query<UploadRow>(
    `INSERT INTO attachment_uploads (id, registration_id, file_name, claimed_kind, size, metadata)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [u.id, u.registrationId, u.fileName, u.claimedKind, u.size, JSON.stringify(u.metadata)],
  );
  return rows[0];
}

export async function findUpload(q: Queryable, id: string): Promise<UploadRow | null> {
  const { rows } = await q.query<UploadRow>(`SELECT ${COLUMNS} FROM attachment_uploads WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** The pupil's attachments so far, finished or still arriving: what the count and the quota are decided on. */
export async function usageOf(q: Queryable, registrationId: number): Promise<{ files: number; bytes: number }> {
  const { rows } = await q.query<{ files: number; bytes: number }>(
    'SELECT count(*)::int AS files, COALESCE(sum(size), 0)::bigint AS bytes FROM attachment_uploads WHERE registration_id = $1',
    [registrationId],
  );
  return rows[0];
}

/** Finished attachments only, oldest first: an upload still arriving is never listed. */
export async function listFinished(q: Queryable, registrationId: number): Promise<UploadRow[]> {
  const { rows } = await q.query<UploadRow>(
    `SELECT ${COLUMNS} FROM attachment_uploads WHERE registration_id = $1 AND completed_at IS NOT NULL ORDER BY completed_at, id`,
    [registrationId],
  );
  return rows;
}

/**
 * Appends one piece of the body at `offset` and moves the offset, only if nobody moved it meanwhile: two nodes
 * writing the same upload (a stale request on one, the resume on the other) can never interleave bytes.
 */
export async function appendChunk(q: Queryable, id: string, offset: number, data: Buffer): Promise<boolean> {
  const { rowCount } = await q.query(
    `WITH moved AS (
       UPDATE attachment_uploads SET upload_offset = upload_offset + length($3::bytea)
        WHERE id = $1 AND upload_offset = $2 AND completed_at IS NULL AND upload_offset + length($3::bytea) <= size
       RETURNING id)
     INSERT INTO attachment_chunks (upload_id, start_offset, data) SELECT id, $2, $3 FROM moved`,
    [id, offset, data],
  );
  return (rowCount ?? 0) === 1;
}

/** The stored pieces overlapping [from, to), in order. */
export async function chunksBetween(q: Queryable, id: string, from: number, to: number): Promise<{ start_offset: number; data: Buffer }[]> {
  const { rows } = await q.query<{ start_offset: number; data: Buffer }>(
    `SELECT start_offset, data FROM attachment_chunks
      WHERE upload_id = $1 AND start_offset < $3 AND start_offset + length(data) > $2 ORDER BY start_offset`,
    [id, from, to],
  );
  return rows;
}

export async function markCompleted(q: Queryable, id: string, r: { kind: AttachmentKind; mimeType: string; sha256: string; at: Date }): Promise<UploadRow> {
  const { rows } = await q.query<UploadRow>(
    `UPDATE attachment_uploads SET completed_at = $5, kind = $2, mime_type = $3, sha256 = $4
      WHERE id = $1 AND upload_offset = size RETURNING ${COLUMNS}`,
    [id, r.kind, r.mimeType, r.sha256, r.at],
  );
  return rows[0];
}

export async function deleteUpload(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM attachment_uploads WHERE id = $1', [id]);
}

/**
 * Unfinished uploads nobody may finish any more: older than the expiry, or of an answer that was handed in or
 * marked absent/ill. Finished attachments are never swept.
 */
export async function deleteStaleUploads(q: Queryable, olderThan: Date): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM attachment_uploads u
      WHERE u.completed_at IS NULL
        AND (u.created_at < $1 OR EXISTS (SELECT 1 FROM registrations r WHERE r.id = u.registration_id AND r.state IN ('handed_in', 'absent', 'ill')))`,
    [olderThan],
  );
  return rowCount ?? 0;
}

/** An attachment frozen into a submission: what its receipt lists and its PDF embeds. */
export interface HandedInAttachment {
  id: string;
  name: string;
  size: number;
  kind: AttachmentKind;
  mimeType: string;
  sha256: string;
}

/**
 * Freezes the registration's finished attachments into a submission, oldest first. Run under the registration's
 * lock at hand-in: an upload completing concurrently waits for that lock and then finds the answer handed in.
 */
export async function freezeIntoSubmission(q: Queryable, registrationId: number, submissionId: number): Promise<HandedInAttachment[]> {
  const { rows } = await q.query<HandedInAttachment>(
    `INSERT INTO submission_attachments (submission_id, position, upload_id, file_name, size, kind, mime_type, sha256)
     SELECT $2, row_number() OVER (ORDER BY completed_at, id), id, file_name, size, kind, COALESCE(mime_type, 'application/octet-stream'), sha256
       FROM attachment_uploads WHERE registration_id = $1 AND completed_at IS NOT NULL
     RETURNING upload_id AS id, file_name AS name, size, kind, mime_type AS "mimeType", sha256`,
    [registrationId, submissionId],
  );
  return rows;
}

/** freezeIntoSubmission for a whole batch in one statement: each submission's attachments, in hand-in order. */
export async function freezeAllIntoSubmissions(
  q: Queryable,
  frozen: { registrationId: number; submissionId: number }[],
): Promise<Map<number, HandedInAttachment[]>> {
  const { rows } = await q.query<HandedInAttachment & { submissionId: number; position: number }>(
    `INSERT INTO submission_attachments (submission_id, position, upload_id, file_name, size, kind, mime_type, sha256)
     SELECT t.sid, row_number() OVER (PARTITION BY t.sid ORDER BY u.completed_at, u.id), u.id, u.file_name, u.size, u.kind,
            COALESCE(u.mime_type, 'application/octet-stream'), u.sha256
       FROM unnest($1::bigint[], $2::bigint[]) AS t(rid, sid)
       JOIN attachment_uploads u ON u.registration_id = t.rid AND u.completed_at IS NOT NULL
     RETURNING submission_id AS "submissionId", position, upload_id AS id, file_name AS name, size, kind, mime_type AS "mimeType", sha256`,
    [frozen.map((f) => f.registrationId), frozen.map((f) => f.submissionId)],
  );
  const bySubmission = new Map<number, HandedInAttachment[]>();
  for (const { submissionId, position: _, ...a } of rows.sort((x, y) => x.position - y.position)) {
    const sid = Number(submissionId);
    if (!bySubmission.has(sid)) bySubmission.set(sid, []);
    bySubmission.get(sid)!.push(a);
  }
  return bySubmission;
}

/** A submission's frozen attachments in hand-in order. */
export async function listHandedIn(q: Queryable, submissionId: number): Promise<HandedInAttachment[]> {
  const { rows } = await q.query<HandedInAttachment>(
    `SELECT upload_id AS id, file_name AS name, size, kind, mime_type AS "mimeType", sha256
       FROM submission_attachments WHERE submission_id = $1 ORDER BY position`,
    [submissionId],
  );
  return rows;
}
