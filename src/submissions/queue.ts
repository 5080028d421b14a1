import type { Queryable } from '../db/pool.ts';

/**
 * Puts a submission on the durable PDF queue, in the caller's hand-in transaction: the job exists
 * if and only if the hand-in committed, so no hand-in is ever left without its PDF job.
 */
export async function enqueuePdfJob(tx: Queryable, submissionId: number): Promise<void> {
  await tx.query('INSERT INTO pdf_jobs (submission_id) VALUES ($1) ON CONFLICT (submission_id) DO NOTHING', [submissionId]);
}
