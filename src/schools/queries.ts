import { AdvisoryLock } from '../db/advisoryLocks.ts';
import type { Queryable } from '../db/pool.ts';
import type { CandidateRow } from './csvRows.ts';

/** Every school by name, for the ministry's choice of participating schools. */
export async function listAllSchools(q: Queryable) {
  return (await q.query<{ id: number; name: string; institution_no: string }>('SELECT id, name, institution_no FROM schools ORDER BY name, id')).rows;
}

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
  return (
    ((
      await q.query(
        "SELECT 1 FROM sitting_schools ss JOIN sittings s ON s.id = ss.sitting_id WHERE ss.sitting_id = $1 AND ss.school_id = $2 AND s.status = 'scheduled'",
        [sittingId, schoolId],
      )
    ).rowCount ?? 0) > 0
  );
}

export async function schoolSittings(q: Queryable, schoolId: number) {
  return (
    await q.query<{ id: number; subject: string; level: number; starts_at: Date; duration_minutes: number; registered: number }>(
      `SELECT s.id, s.subject, s.level, s.starts_at, s.duration_minutes,
            (SELECT count(*)::int FROM registrations r JOIN rooms ro ON ro.id = r.room_id WHERE r.sitting_id = s.id AND ro.school_id = $1) AS registered
       FROM sittings s JOIN sitting_schools ss ON ss.sitting_id = s.id WHERE ss.school_id = $1 AND s.status = 'scheduled' ORDER BY s.starts_at`,
      [schoolId],
    )
  ).rows;
}

export async function listCandidates(q: Queryable, schoolId: number) {
  return (
    await q.query<StoredCandidate & { id: number }>(
      `SELECT id, uni_id, full_name, class_name, extra_minutes, text_to_speech, large_text, high_contrast
       FROM candidates WHERE school_id = $1 ORDER BY class_name, full_name LIMIT 20000`,
      [schoolId],
    )
  ).rows;
}

export async function candidateUser(q: Queryable, candidateId: number, schoolId: number): Promise<number | null> {
  const { rows } = await q.query<{ user_id: number }>('SELECT user_id FROM candidates WHERE id = $1 AND school_id = $2', [candidateId, schoolId]);
  return rows[0]?.user_id ?? null;
}

/** Registers candidates; exam numbers continue the sitting's sequence (the sitting row is locked meanwhile). */
export async function registerCandidates(
  q: Queryable,
  sittingId: number,
  roomId: number,
  schoolId: number,
  candidateIds: number[] | null,
  className: string | null,
) {
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
     RETURNING id, exam_number, candidate_id`,
    [sittingId, roomId, schoolId, candidateIds, className],
  );
  return rows;
}

export async function registrationOfSchool(q: Queryable, registrationId: number, schoolId: number) {
  const { rows } = await q.query<{ id: number; sitting_id: number; room_id: number; starts_at: Date }>(
    `SELECT r.id, r.sitting_id, r.room_id, s.starts_at FROM registrations r JOIN rooms ro ON ro.id = r.room_id
       JOIN sittings s ON s.id = r.sitting_id WHERE r.id = $1 AND ro.school_id = $2`,
    [registrationId, schoolId],
  );
  return rows[0] ?? null;
}

export async function setAccommodations(
  q: Queryable,
  registrationId: number,
  a: { extraMinutes?: number; textToSpeech?: boolean; largeText?: boolean; highContrast?: boolean; simpleWriting?: boolean },
) {
  await q.query(
    `UPDATE registrations SET extra_minutes = COALESCE($2, extra_minutes), text_to_speech = COALESCE($3, text_to_speech),
    large_text = COALESCE($4, large_text), high_contrast = COALESCE($5, high_contrast), simple_writing = COALESCE($6, simple_writing)
    WHERE id = $1`,
    [registrationId, a.extraMinutes ?? null, a.textToSpeech ?? null, a.largeText ?? null, a.highContrast ?? null, a.simpleWriting ?? null],
  );
}

export async function roomSheet(q: Queryable, sittingId: number, roomId: number) {
  return (
    await q.query<{ id: number; exam_number: string; full_name: string; class_name: string; extra_minutes: number }>(
      `SELECT r.id, r.exam_number, c.full_name, c.class_name, r.extra_minutes FROM registrations r JOIN candidates c ON c.id = r.candidate_id
      WHERE r.sitting_id = $1 AND r.room_id = $2 AND r.state NOT IN ('handed_in', 'absent', 'ill') ORDER BY r.exam_number`,
      [sittingId, roomId],
    )
  ).rows;
}

export async function userOfSchool(q: Queryable, userId: number, schoolId: number, role: string): Promise<boolean> {
  return ((await q.query('SELECT 1 FROM users WHERE id = $1 AND school_id = $2 AND role = $3', [userId, schoolId, role])).rowCount ?? 0) > 0;
}

/** Sets a user's password hash (the hash is made off the event loop by the caller). */
export async function setPasswordHash(q: Queryable, userId: number, passwordHash: string): Promise<void> {
  await q.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
}

/** Creates an invigilator of the school; null when the username is taken (usernames are global). */
export async function insertInvigilator(
  q: Queryable,
  schoolId: number,
  s: { username: string; displayName: string },
  passwordHash: string,
): Promise<number | null> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO users (username, display_name, role, school_id, password_hash) VALUES ($1, $2, 'invigilator', $3, $4)
     ON CONFLICT (username) DO NOTHING RETURNING id`,
    [s.username, s.displayName, schoolId, passwordHash],
  );
  return rows[0]?.id ?? null;
}

/** Assigns an invigilator to a room for a sitting; assigning twice is a no-op. */
export async function insertInvigilatorAssignment(q: Queryable, a: { sittingId: number; roomId: number; userId: number }): Promise<void> {
  await q.query('INSERT INTO invigilator_assignments (sitting_id, room_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    a.sittingId,
    a.roomId,
    a.userId,
  ]);
}

/** One candidate import per school at a time, until the caller's transaction ends. */
export async function lockSchoolImport(tx: Queryable, schoolId: number): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [AdvisoryLock.candidateImport, schoolId]);
}

export interface StoredCandidate {
  uni_id: string;
  full_name: string;
  class_name: string;
  extra_minutes: number;
  text_to_speech: boolean;
  large_text: boolean;
  high_contrast: boolean;
}

/** The school's candidates with these uni-ids, for comparing an import against what is stored. */
export async function candidatesByUniId(q: Queryable, schoolId: number, uniIds: string[]): Promise<StoredCandidate[]> {
  return (
    await q.query<StoredCandidate>(
      `SELECT c.uni_id, c.full_name, c.class_name, c.extra_minutes, c.text_to_speech, c.large_text, c.high_contrast
       FROM candidates c WHERE c.school_id = $1 AND c.uni_id = ANY($2::text[])`,
      [schoolId, uniIds],
    )
  ).rows;
}

/** Creates candidate users in one statement; a username already taken is skipped (absent from the result). */
export async function insertCandidateUsers(q: Queryable, schoolId: number, users: { username: string; name: string }[]) {
  return (
    await q.query<{ id: number; username: string }>(
      `INSERT INTO users (username, display_name, role, school_id)
     SELECT u, n, 'candidate', $3 FROM unnest($1::text[], $2::text[]) AS t(u, n)
     ON CONFLICT (username) DO NOTHING RETURNING id, username`,
      [users.map((u) => u.username), users.map((u) => u.name), schoolId],
    )
  ).rows;
}

// Column arrays for unnest: 10,000 rows travel as seven arrays in one round trip.
const columns = (rows: CandidateRow[]) => [
  rows.map((r) => r.uniId),
  rows.map((r) => r.name),
  rows.map((r) => r.className),
  rows.map((r) => r.extraMinutes),
  rows.map((r) => r.textToSpeech),
  rows.map((r) => r.largeText),
  rows.map((r) => r.highContrast),
];

/** Inserts candidates, each with the user id made for it. */
export async function insertCandidates(q: Queryable, schoolId: number, rows: { userId: number; row: CandidateRow }[]): Promise<void> {
  await q.query(
    `INSERT INTO candidates (user_id, school_id, uni_id, full_name, class_name, extra_minutes, text_to_speech, large_text, high_contrast)
     SELECT u, $1, i, n, c, e, t, l, h FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bool[], $8::bool[], $9::bool[])
       AS v(u, i, n, c, e, t, l, h)`,
    [schoolId, rows.map((r) => r.userId), ...columns(rows.map((r) => r.row))],
  );
}

/** Updates the school's candidates matched by uni-id, and their users' display names to match. */
export async function updateCandidates(q: Queryable, schoolId: number, rows: CandidateRow[]): Promise<void> {
  await q.query(
    `UPDATE candidates c SET full_name = v.n, class_name = v.c, extra_minutes = v.e, text_to_speech = v.t, large_text = v.l, high_contrast = v.h
       FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bool[], $7::bool[], $8::bool[]) AS v(i, n, c, e, t, l, h)
      WHERE c.school_id = $1 AND c.uni_id = v.i`,
    [schoolId, ...columns(rows)],
  );
  await q.query(
    `UPDATE users u SET display_name = c.full_name FROM candidates c
      WHERE c.user_id = u.id AND c.school_id = $1 AND c.uni_id = ANY($2::text[])`,
    [schoolId, rows.map((r) => r.uniId)],
  );
}
