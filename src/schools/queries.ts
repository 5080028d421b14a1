import type { Queryable } from '../db/pool.ts';

export async function listRooms(q: Queryable, schoolId: number) {
  return (await q.query<{ id: number; name: string }>('SELECT id, name FROM rooms WHERE school_id = $1 ORDER BY name', [schoolId])).rows;
}

export async function insertRoom(q: Queryable, schoolId: number, name: string): Promise<number | null> {
  const { rows } = await q.query<{ id: number }>('INSERT INTO rooms (school_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id', [schoolId, name]);
  return rows[0]?.id ?? null;
}

export async function roomOfSchool(q: Queryable, roomId: number, schoolId: number): Promise<boolean> {
  return ((await q.query('SELECT 1 FROM rooms WHERE id = $1 AND school_id = $2', [roomId, schoolId])).rowCount ?? 0) > 0;
}

export async function schoolTakesPart(q: Queryable, sittingId: number, schoolId: number): Promise<boolean> {
  return ((await q.query("SELECT 1 FROM sitting_schools ss JOIN sittings s ON s.id = ss.sitting_id WHERE ss.sitting_id = $1 AND ss.school_id = $2 AND s.status = 'scheduled'",
    [sittingId, schoolId])).rowCount ?? 0) > 0;
}

export async function schoolSittings(q: Queryable, schoolId: number) {
  return (await q.query<{ id: number; subject: string; level: number; starts_at: Date; duration_minutes: number; registered: number }>(
    `SELECT s.id, s.subject, s.level, s.starts_at, s.duration_minutes,
            (SELECT count(*)::int FROM registrations r JOIN rooms ro ON ro.id = r.room_id WHERE r.sitting_id = s.id AND ro.school_id = $1) AS registered
       FROM sittings s JOIN sitting_schools ss ON ss.sitting_id = s.id WHERE ss.school_id = $1 AND s.status = 'scheduled' ORDER BY s.starts_at`, [schoolId])).rows;
}

export async function listCandidates(q: Queryable, schoolId: number) {
  return (await q.query<{ id: number; uni_id: string; full_name: string; class_name: string; extra_minutes: number; text_to_speech: boolean; large_text: boolean; high_contrast: boolean }>(
    `SELECT id, uni_id, full_name, class_name, extra_minutes, text_to_speech, large_text, high_contrast
       FROM candidates WHERE school_id = $1 ORDER BY class_name, full_name LIMIT 20000`, [schoolId])).rows;
}

export async function candidateUser(q: Queryable, candidateId: number, schoolId: number): Promise<number | null> {
  const { rows } = await q.query<{ user_id: number }>('SELECT user_id FROM candidates WHERE id = $1 AND school_id = $2', [candidateId, schoolId]);
  return rows[0]?.user_id ?? null;
}

/** Registers candidates; exam numbers continue the sitting's sequence (the sitting row is locked meanwhile). */
export async function registerCandidates(q: Queryable, sittingId: number, roomId: number, schoolId: number, candidateIds: number[] | null, className: string | null) {
  await q.query('SELECT 1 FROM sittings WHERE id = $1 FOR UPDATE', [sittingId]);
  const { rows } = await q.query<{ id: number; exam_number: string; candidate_id: number }>(
    `WITH chosen AS (
       SELECT c.* FROM candidates c
        WHERE c.school_id = $3 AND ($4::bigint[] IS NULL OR c.id = ANY($4)) AND ($5::text IS NULL OR c.class_name = $5)
          AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.sitting_id = $1 AND r.candidate_id = c.id)
        ORDER BY c.class_name, c.full_name),
     base AS (SELECT COALESCE(max(split_part(exam_number, '-', 2)::int), 0) AS n FROM registrations WHERE sitting_id = $1)
     INSERT INTO registrations (sitting_id, candidate_id, room_id, exam_number, extra_minutes, text_to_speech, large_text, high_contrast)
     SELECT $1, c.id, $2, 'S' || $1 || '-' || lpad((base.n + row_number() OVER ())::text, 4, '0'), c.extra_minutes, c.text_to_speech, c.large_text, c.high_contrast
       FROM chosen c, base
     RETURNING id, exam_number, candidate_id`, [sittingId, roomId, schoolId, candidateIds, className]);
  return rows;
}

export async function registrationOfSchool(q: Queryable, registrationId: number, schoolId: number) {
  const { rows } = await q.query<{ id: number; sitting_id: number; room_id: number }>(
    'SELECT r.id, r.sitting_id, r.room_id FROM registrations r JOIN rooms ro ON ro.id = r.room_id WHERE r.id = $1 AND ro.school_id = $2', [registrationId, schoolId]);
  return rows[0] ?? null;
}

export async function setAccommodations(q: Queryable, registrationId: number, a: { extraMinutes?: number; textToSpeech?: boolean; largeText?: boolean; highContrast?: boolean }) {
  await q.query(`UPDATE registrations SET extra_minutes = COALESCE($2, extra_minutes), text_to_speech = COALESCE($3, text_to_speech),
    large_text = COALESCE($4, large_text), high_contrast = COALESCE($5, high_contrast) WHERE id = $1`,
  [registrationId, a.extraMinutes ?? null, a.textToSpeech ?? null, a.largeText ?? null, a.highContrast ?? null]);
}

export async function roomSheet(q: Queryable, sittingId: number, roomId: number) {
  return (await q.query<{ id: number; exam_number: string; full_name: string; class_name: string }>(
    `SELECT r.id, r.exam_number, c.full_name, c.class_name FROM registrations r JOIN candidates c ON c.id = r.candidate_id
      WHERE r.sitting_id = $1 AND r.room_id = $2 AND r.state NOT IN ('handed_in', 'absent', 'ill') ORDER BY r.exam_number`, [sittingId, roomId])).rows;
}

export async function userOfSchool(q: Queryable, userId: number, schoolId: number, role: string): Promise<boolean> {
  return ((await q.query('SELECT 1 FROM users WHERE id = $1 AND school_id = $2 AND role = $3', [userId, schoolId, role])).rowCount ?? 0) > 0;
}
