import type { Queryable } from '../db/pool.ts';

/** The grader's assigned sittings with how many current submissions have their PDF ready. */
export async function gradersSittings(q: Queryable, userId: number) {
  const { rows } = await q.query(
    `SELECT t.id, t.subject, t.level, t.starts_at, t.duration_minutes,
            count(s.id)::int AS submissions, count(s.pdf_sha256)::int AS pdfs_ready, count(g.grade)::int AS graded
       FROM grader_assignments ga
       JOIN sittings t ON t.id = ga.sitting_id
       LEFT JOIN registrations r ON r.sitting_id = t.id
       LEFT JOIN submissions s ON s.registration_id = r.id AND s.superseded_at IS NULL
       LEFT JOIN grades g ON g.registration_id = s.registration_id
      WHERE ga.user_id = $1
      GROUP BY t.id ORDER BY t.starts_at DESC, t.id`,
    [userId],
  );
  return rows.map((r) => ({
    id: r.id as number,
    subject: r.subject as string,
    level: r.level as number,
    startsAt: (r.starts_at as Date).toISOString(),
    durationMinutes: r.duration_minutes as number,
    submissions: r.submissions as number,
    pdfsReady: r.pdfs_ready as number,
    graded: r.graded as number,
  }));
}

/** The sitting, if (and only if) the grader is assigned to it. */
export async function assignedSitting(q: Queryable, userId: number, sittingId: number) {
  const { rows } = await q.query(
    `SELECT t.id, t.subject, t.level, t.starts_at FROM grader_assignments ga JOIN sittings t ON t.id = ga.sitting_id
      WHERE ga.user_id = $1 AND ga.sitting_id = $2`,
    [userId, sittingId],
  );
  const r = rows[0];
  return r ? { id: r.id as number, subject: r.subject as string, level: r.level as number, startsAt: (r.starts_at as Date).toISOString() } : null;
}

export type PdfState = 'ready' | 'pending' | 'failed';

/** Current submissions of a sitting by exam number: hand-in time, PDF state, grade. Never names. */
export async function sittingSubmissions(q: Queryable, sittingId: number) {
  const { rows } = await q.query(
    `SELECT s.id, s.registration_id, r.exam_number, s.handed_in_at, s.handed_in_by, s.version, s.word_count, s.text_sha256,
            s.pdf_sha256, s.pdf_signed_at, j.state AS job_state, g.grade, g.note
       FROM registrations r
       JOIN submissions s ON s.registration_id = r.id AND s.superseded_at IS NULL
       LEFT JOIN pdf_jobs j ON j.submission_id = s.id
       LEFT JOIN grades g ON g.registration_id = r.id
      WHERE r.sitting_id = $1
      ORDER BY r.exam_number`,
    [sittingId],
  );
  return rows.map((r) => ({
    submissionId: r.id as number,
    registrationId: r.registration_id as number,
    examNumber: r.exam_number as string,
    handedInAt: (r.handed_in_at as Date).toISOString(),
    handedInBy: r.handed_in_by as string,
    version: r.version as number,
    wordCount: r.word_count as number,
    answerSha256: r.text_sha256 as string,
    pdf: (r.pdf_sha256 ? 'ready' : r.job_state === 'failed' ? 'failed' : 'pending') as PdfState,
    pdfSha256: r.pdf_sha256 as string | null,
    pdfSignedAt: r.pdf_signed_at ? (r.pdf_signed_at as Date).toISOString() : null,
    grade: r.grade as string | null,
    note: r.note as string | null,
  }));
}

/** A current submission of a sitting the grader is assigned to, or null (→ 404). */
export async function submissionForGrader(q: Queryable, userId: number, submissionId: number) {
  const { rows } = await q.query(
    `SELECT s.id, s.registration_id, r.sitting_id, r.exam_number, s.pdf
       FROM submissions s
       JOIN registrations r ON r.id = s.registration_id
       JOIN grader_assignments ga ON ga.sitting_id = r.sitting_id AND ga.user_id = $1
      WHERE s.id = $2 AND s.superseded_at IS NULL`,
    [userId, submissionId],
  );
  const r = rows[0];
  return r
    ? {
        id: r.id as number,
        registrationId: r.registration_id as number,
        sittingId: r.sitting_id as number,
        examNumber: r.exam_number as string,
        pdf: r.pdf as Buffer | null,
      }
    : null;
}

/** The candidate's own current submission for a registration, or null when not theirs (→ 404). */
export async function ownSubmission(q: Queryable, userId: number, registrationId: number) {
  const { rows } = await q.query(
    `SELECT s.id, r.exam_number, s.pdf, j.state AS job_state
       FROM registrations r
       JOIN candidates c ON c.id = r.candidate_id AND c.user_id = $1
       JOIN submissions s ON s.registration_id = r.id AND s.superseded_at IS NULL
       LEFT JOIN pdf_jobs j ON j.submission_id = s.id
      WHERE r.id = $2`,
    [userId, registrationId],
  );
  const r = rows[0];
  return r ? { id: r.id as number, examNumber: r.exam_number as string, pdf: r.pdf as Buffer | null, jobState: r.job_state as string | null } : null;
}

/** One page of a sitting's ready PDFs after `afterExamNumber`, for streaming a ZIP without holding them all. */
export async function sittingPdfPage(q: Queryable, sittingId: number, afterExamNumber: string, limit: number) {
  const { rows } = await q.query(
    `SELECT r.exam_number, s.pdf, s.handed_in_at
       FROM registrations r
       JOIN submissions s ON s.registration_id = r.id AND s.superseded_at IS NULL
      WHERE r.sitting_id = $1 AND s.pdf IS NOT NULL AND r.exam_number > $2
      ORDER BY r.exam_number LIMIT $3`,
    [sittingId, afterExamNumber, limit],
  );
  return rows.map((r) => ({ examNumber: r.exam_number as string, pdf: r.pdf as Buffer, handedInAt: r.handed_in_at as Date }));
}

export async function countReadyPdfs(q: Queryable, sittingId: number): Promise<number> {
  const { rows } = await q.query(
    `SELECT count(*)::int AS n FROM registrations r
       JOIN submissions s ON s.registration_id = r.id AND s.superseded_at IS NULL
      WHERE r.sitting_id = $1 AND s.pdf_sha256 IS NOT NULL`,
    [sittingId],
  );
  return rows[0].n;
}

/** Sets a grade (insert or change); returns the previous one for the audit entry. Locks the row first. */
export async function upsertGrade(q: Queryable, o: { registrationId: number; grade: string; note: string | null; userId: number; now: Date }) {
  const prev = await q.query('SELECT grade, note FROM grades WHERE registration_id = $1 FOR UPDATE', [o.registrationId]);
  await q.query(
    `INSERT INTO grades (registration_id, grade, note, graded_by, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (registration_id) DO UPDATE SET grade = EXCLUDED.grade, note = EXCLUDED.note,
       graded_by = EXCLUDED.graded_by, updated_at = EXCLUDED.updated_at`,
    [o.registrationId, o.grade, o.note, o.userId, o.now],
  );
  const p = prev.rows[0];
  return p ? { grade: p.grade as string, note: p.note as string | null } : null;
}

/** Every current submission of the sitting with its grade (empty when not yet graded), by exam number. */
export async function sittingGrades(q: Queryable, sittingId: number) {
  const { rows } = await q.query(
    `SELECT r.exam_number, g.grade, g.note FROM registrations r
       JOIN submissions s ON s.registration_id = r.id AND s.superseded_at IS NULL
       LEFT JOIN grades g ON g.registration_id = r.id
      WHERE r.sitting_id = $1 ORDER BY r.exam_number`,
    [sittingId],
  );
  return rows.map((r) => ({ examNumber: r.exam_number as string, grade: r.grade as string | null, note: r.note as string | null }));
}

/**
 * The stored submission a PDF file belongs to: the one whose signed PDF has exactly these bytes, else (a file that
 * differs from the stored one) the latest with this exam number and answer hash, as read from the file's keywords.
 */
export async function submissionOfPdf(
  q: Queryable,
  o: { pdfSha256: string; examNumber: string | null; answerSha256: string | null },
): Promise<{ id: number; exam_number: string; version: number; by: 'pdf' | 'keywords' } | null> {
  const { rows } = await q.query<{ id: number; exam_number: string; version: number; by: 'pdf' | 'keywords' }>(
    `SELECT s.id, r.exam_number, s.version, CASE WHEN s.pdf_sha256 = $1 THEN 'pdf' ELSE 'keywords' END AS by
       FROM submissions s JOIN registrations r ON r.id = s.registration_id
      WHERE s.pdf_sha256 = $1 OR (r.exam_number = $2 AND s.text_sha256 = $3)
      ORDER BY (s.pdf_sha256 = $1) DESC, s.handed_in_at DESC LIMIT 1`,
    [o.pdfSha256, o.examNumber, o.answerSha256],
  );
  return rows[0] ?? null;
}
