import type { Queryable } from '../db/pool.ts';

/** NOTIFY channel: a committed hand-in wakes every node's PDF runner at once (polling is the fallback). */
export const PDF_JOBS_CHANNEL = 'provesal_pdf_jobs';

/**
 * Puts a submission on the durable PDF queue, in the caller's hand-in transaction: the job exists
 * if and only if the hand-in committed, so no hand-in is ever left without its PDF job.
 * The NOTIFY is delivered at commit, never for a rolled-back hand-in.
 */
export async function enqueuePdfJob(tx: Queryable, submissionId: number): Promise<void> {
  await tx.query('INSERT INTO pdf_jobs (submission_id) VALUES ($1) ON CONFLICT (submission_id) DO NOTHING', [submissionId]);
  await tx.query('SELECT pg_notify($1, $2)', [PDF_JOBS_CHANNEL, String(submissionId)]);
}

/** enqueuePdfJob for a whole batch: one INSERT and one notification (the runners only need waking). */
export async function enqueuePdfJobs(tx: Queryable, submissionIds: number[]): Promise<void> {
  if (!submissionIds.length) return;
  await tx.query('INSERT INTO pdf_jobs (submission_id) SELECT unnest($1::bigint[]) ON CONFLICT (submission_id) DO NOTHING', [submissionIds]);
  await tx.query('SELECT pg_notify($1, $2)', [PDF_JOBS_CHANNEL, String(submissionIds[0])]);
}

export interface ClaimedJob {
  id: number;
  submissionId: number;
  attempts: number;
}

/**
 * Claims up to `limit` jobs for one runner: ready pending jobs, and running jobs whose lease ran out (their
 * runner was killed). SKIP LOCKED lets several nodes claim side by side without waiting on each other.
 * `attempts` counts claims, so a job that kills its runner every time still ends as 'failed'.
 */
export async function claimPdfJobs(q: Queryable, o: { runnerId: string; limit: number; now: Date; leaseMs: number }): Promise<ClaimedJob[]> {
  const { rows } = await q.query<{ id: number; submission_id: number; attempts: number }>(
    `UPDATE pdf_jobs j SET state = 'running', attempts = j.attempts + 1, locked_at = $1, locked_by = $2
      WHERE j.id IN (
        SELECT id FROM pdf_jobs
         WHERE (state = 'pending' AND run_after <= $1)
            OR (state = 'running' AND locked_at < $1::timestamptz - make_interval(secs => $3::double precision / 1000))
         ORDER BY run_after, id
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
      RETURNING j.id, j.submission_id, j.attempts`,
    [o.now, o.runnerId, o.leaseMs, o.limit],
  );
  return rows.map((r) => ({ id: r.id, submissionId: r.submission_id, attempts: r.attempts }));
}

/**
 * Stores the signed PDF and closes the job. `WHERE pdf IS NULL` makes the PDF exactly-once even if a
 * runner whose lease expired finishes after the runner that reclaimed its job. Returns whether this call
 * produced the submission's PDF.
 */
export async function completePdfJob(q: Queryable, job: { id: number; submissionId: number }, pdf: Buffer, sha256: string, signedAt: Date): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE submissions SET pdf = $2, pdf_sha256 = $3, pdf_signed_at = $4 WHERE id = $1 AND pdf IS NULL', [
    job.submissionId,
    pdf,
    sha256,
    signedAt,
  ]);
  await q.query(
    `UPDATE pdf_jobs SET state = 'done', finished_at = $2, locked_at = NULL, last_error = NULL
      WHERE id = $1 AND state <> 'done'`,
    [job.id, signedAt],
  );
  return rowCount === 1;
}

/** Exponential backoff: 5 s, 10 s, 20 s … capped at 5 minutes. */
export const backoffMs = (attempts: number, baseMs = 5_000) => Math.min(300_000, baseMs * 2 ** Math.max(0, attempts - 1));

/**
 * Records a failed attempt: back to 'pending' after a backoff, or 'failed' after `maxAttempts` (kept,
 * visible in the backlog and logged by the caller — never dropped). Only the job's current holder may.
 */
export async function failPdfJob(
  q: Queryable,
  job: ClaimedJob,
  o: { runnerId: string; error: string; now: Date; maxAttempts: number; backoffBaseMs?: number },
): Promise<'retry' | 'failed' | 'lost'> {
  const final = job.attempts >= o.maxAttempts;
  const { rowCount } = await q.query(
    `UPDATE pdf_jobs SET state = $3, run_after = $4, last_error = $5, locked_at = NULL, locked_by = NULL,
            finished_at = CASE WHEN $3 = 'failed' THEN $6::timestamptz END
      WHERE id = $1 AND locked_by = $2 AND state = 'running'`,
    [job.id, o.runnerId, final ? 'failed' : 'pending', new Date(o.now.getTime() + backoffMs(job.attempts, o.backoffBaseMs)), o.error.slice(0, 2000), o.now],
  );
  if (rowCount !== 1) return 'lost';
  return final ? 'failed' : 'retry';
}

/** Gives jobs back to the queue on a graceful stop, without counting the interrupted attempt. */
export async function releasePdfJobs(q: Queryable, runnerId: string, jobIds: number[]): Promise<number> {
  if (!jobIds.length) return 0;
  const { rowCount } = await q.query(
    `UPDATE pdf_jobs SET state = 'pending', attempts = GREATEST(0, attempts - 1), locked_at = NULL, locked_by = NULL
      WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND state = 'running'`,
    [jobIds, runnerId],
  );
  return rowCount ?? 0;
}

export interface PdfBacklog {
  pending: number;
  running: number;
  failed: number;
  done: number;
  /** Age of the oldest job not yet done (pending or running), in seconds; 0 when none. */
  oldestWaitingSeconds: number;
  failedJobs: { submissionId: number; attempts: number; lastError: string | null; finishedAt: string | null }[];
}

/** The PDF backlog for /metrics and the ministry (docs/rules.md §9): counts per state and the failed jobs. */
export async function pdfBacklog(q: Queryable, now: Date = new Date()): Promise<PdfBacklog> {
  const counts = await q.query<{ state: string; n: number; oldest: Date | null }>(
    `SELECT state, count(*)::int AS n, min(created_at) FILTER (WHERE state IN ('pending', 'running')) AS oldest
       FROM pdf_jobs GROUP BY state`,
  );
  const failed = await q.query<{ submission_id: number; attempts: number; last_error: string | null; finished_at: Date | null }>(
    `SELECT submission_id, attempts, last_error, finished_at FROM pdf_jobs WHERE state = 'failed' ORDER BY id LIMIT 100`,
  );
  const by = Object.fromEntries(counts.rows.map((r) => [r.state, r.n]));
  const oldest = counts.rows
    .map((r) => r.oldest)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    pending: by.pending ?? 0,
    running: by.running ?? 0,
    failed: by.failed ?? 0,
    done: by.done ?? 0,
    oldestWaitingSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0,
    failedJobs: failed.rows.map((r) => ({
      submissionId: r.submission_id,
      attempts: r.attempts,
      lastError: r.last_error,
      finishedAt: r.finished_at?.toISOString() ?? null,
    })),
  };
}
