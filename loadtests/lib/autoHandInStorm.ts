import type { Db } from '../../src/db/pool.ts';

/**
 * The automatic hand-in storm: the whole sitting's end + grace is moved to `leadMs` from now, and the server's own
 * sweep (every node runs one) hands every pupil in. Each pupil's receipt time is its submission's `handed_in_at`
 * minus that moment, so the figure includes the sweep's beat, exactly as a pupil at the end of the exam sees it.
 */
export async function autoHandInStorm(
  db: Db,
  o: { sittingId: number; candidates: number; graceSeconds: number; leadMs: number },
): Promise<{ dueAt: number; receiptsMs: number[] }> {
  const dueAt = Date.now() + o.leadMs;
  await db.query(`UPDATE sittings SET starts_at = $2::timestamptz - make_interval(mins => duration_minutes, secs => $3::int) WHERE id = $1`, [
    o.sittingId,
    new Date(dueAt),
    o.graceSeconds,
  ]);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM submissions s JOIN registrations r ON r.id = s.registration_id WHERE r.sitting_id = $1',
      [o.sittingId],
    );
    if (rows[0].n >= o.candidates) break;
  }
  const { rows } = await db.query<{ ms: number }>(
    `SELECT (extract(epoch FROM s.handed_in_at) * 1000 - $2::float8)::float8 AS ms
       FROM submissions s JOIN registrations r ON r.id = s.registration_id WHERE r.sitting_id = $1`,
    [o.sittingId, dueAt],
  );
  return { dueAt, receiptsMs: rows.map((r) => Number(r.ms)).sort((a, b) => a - b) };
}
