import { listHandedIn } from '../attachments/queries.ts';
import type { Queryable } from '../db/pool.ts';
import { endsAt as endsAtRule } from '../exam/window.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';
import { loadItemSection } from '../items/printSection.ts';
import type { SubmissionPdfInput } from './pdfRenderer.ts';

/**
 * Everything the PDF shows about one submission (main thread; workers do no I/O). An item test's items come from its
 * package when `items` is given; `copy` 'grader' adds scores and key and is never stored as the archived PDF.
 */
export async function loadPdfInput(
  q: Queryable,
  submissionId: number,
  items?: Pick<ItemTestReader, 'open'>,
  copy: 'pupil' | 'grader' = 'pupil',
): Promise<SubmissionPdfInput | null> {
  const { rows } = await q.query(
    `SELECT s.id, s.version, s.final_state, s.text_sha256, s.handed_in_at, s.handed_in_by,
            r.exam_number, r.sitting_id, r.extra_minutes, r.paused_seconds, r.ended_at,
            t.subject, t.level, t.starts_at, t.duration_minutes
       FROM submissions s
       JOIN registrations r ON r.id = s.registration_id
       JOIN sittings t ON t.id = r.sitting_id
      WHERE s.id = $1`,
    [submissionId],
  );
  const r = rows[0];
  if (!r) return null;
  const startsAt: Date = r.starts_at;
  // The one end-time rule (docs/rules.md §4.6), as at hand-in: no pause runs once the answer is handed in, and
  // an invigilator who ended the room early makes the PDF show when it really ended.
  const endsAt = endsAtRule(
    { startsAt, durationMinutes: r.duration_minutes, extraMinutes: r.extra_minutes, pausedSeconds: r.paused_seconds, pausedAt: null, endedAt: r.ended_at },
    r.handed_in_at,
  );
  const finalState = new Uint8Array(r.final_state);
  const section = items ? await loadItemSection(q, items, { sittingId: r.sitting_id, submissionId: r.id, finalState, copy }) : null;
  return {
    ...(section ? { items: section } : {}),
    submissionId: r.id,
    version: r.version,
    examNumber: r.exam_number,
    subject: r.subject,
    level: r.level,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    extraMinutes: r.extra_minutes,
    handedInAt: r.handed_in_at.toISOString(),
    handedInBy: r.handed_in_by,
    textSha256: r.text_sha256,
    finalState,
    attachments: await listHandedIn(q, r.id),
  };
}
