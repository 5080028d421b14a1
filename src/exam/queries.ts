import type { Queryable } from '../db/pool.ts';
import type { ReceiptAttachment } from '../protocol/control.ts';

export interface RegistrationContext {
  id: number;
  sitting_id: number;
  room_id: number;
  exam_number: string;
  candidate_user_id: number;
  extra_minutes: number;
  paused_at: Date | null;
  paused_seconds: number;
  ended_at: Date | null;
  state: string;
  handed_in_at: Date | null;
  locked_reason: string | null;
  first_seen_at: Date | null;
  text_to_speech: boolean;
  large_text: boolean;
  high_contrast: boolean;
  /** Simple writing mode allowed (docs/rules.md §13). */
  simple_writing: boolean;
  subject: string;
  level: number;
  starts_at: Date;
  duration_minutes: number;
  lobby_opens_minutes: number;
  aids: Record<string, boolean>;
  lockdown_profile: 'seb_required' | 'browser_fullscreen' | 'browser_monitored';
  sitting_status: string;
  /** The invigilator allowed one device switch, not used yet. */
  device_switch_allowed: boolean;
}

export const SELECT_CONTEXT = `
  SELECT r.id, r.sitting_id, r.room_id, r.exam_number, c.user_id AS candidate_user_id,
         r.extra_minutes, r.paused_at, r.paused_seconds, r.ended_at, r.state, r.handed_in_at, r.locked_reason, r.first_seen_at,
         r.text_to_speech, r.large_text, r.high_contrast, r.simple_writing,
         s.subject, s.level, s.starts_at, s.duration_minutes, s.lobby_opens_minutes, s.aids, s.lockdown_profile,
         s.status AS sitting_status, r.device_switch_allowed
    FROM registrations r
    JOIN candidates c ON c.id = r.candidate_id
    JOIN sittings s ON s.id = r.sitting_id`;

export async function findRegistrationContext(q: Queryable, registrationId: number, lock = false): Promise<RegistrationContext | null> {
  const { rows } = await q.query<RegistrationContext>(`${SELECT_CONTEXT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [registrationId]);
  return rows[0] ?? null;
}

/** Several registrations' contexts in one statement (a start storm's sockets), keyed by id. */
export async function findRegistrationContexts(q: Queryable, registrationIds: number[]): Promise<Map<number, RegistrationContext>> {
  const { rows } = await q.query<RegistrationContext>(`${SELECT_CONTEXT} WHERE r.id = ANY($1::bigint[])`, [registrationIds]);
  return new Map(rows.map((r) => [r.id, r]));
}

/** A candidate's registrations from a day ago onwards (today's and coming sittings). */
export async function listCandidateRegistrations(q: Queryable, userId: number, since: Date): Promise<RegistrationContext[]> {
  const { rows } = await q.query<RegistrationContext>(
    `${SELECT_CONTEXT} WHERE c.user_id = $1 AND s.starts_at + make_interval(mins => s.duration_minutes + r.extra_minutes + 600) > $2
      ORDER BY s.starts_at`,
    [userId, since],
  );
  return rows;
}

export async function markArrived(q: Queryable, registrationId: number, state: 'lobby' | 'writing', now: Date): Promise<boolean> {
  return (await markArrivedMany(q, [{ registrationId, state }], now)).has(registrationId);
}

/** `markArrived` for several pupils in one statement (a start storm's sockets); the ids whose state moved. */
export async function markArrivedMany(q: Queryable, arrivals: { registrationId: number; state: 'lobby' | 'writing' }[], now: Date): Promise<Set<number>> {
  const { rows } = await q.query<{ id: number }>(
    `UPDATE registrations r SET
        first_seen_at = COALESCE(r.first_seen_at, $3),
        started_writing_at = CASE WHEN v.state = 'writing' THEN COALESCE(r.started_writing_at, $3) ELSE r.started_writing_at END,
        state = v.state
       FROM unnest($1::bigint[], $2::text[]) AS v(id, state)
      WHERE r.id = v.id AND (r.state = 'registered' OR (r.state = 'lobby' AND v.state = 'writing'))
      RETURNING r.id`,
    [arrivals.map((a) => a.registrationId), arrivals.map((a) => a.state), now],
  );
  return new Set(rows.map((r) => r.id));
}

export interface ReceiptRow {
  id: number;
  registration_id: number;
  receipt_code: string;
  handed_in_at: Date;
  text_sha256: string;
  word_count: number;
  version: number;
  /** The attachments frozen with this submission, in hand-in order (empty for most answers). */
  attachments: ReceiptAttachment[];
}

/** The frozen attachments as receipt rows; one subquery so every receipt read stays one statement. */
const ATTACHMENTS_OF = `(SELECT COALESCE(json_agg(json_build_object('id', a.upload_id, 'name', a.file_name, 'size', a.size, 'sha256', a.sha256)
                                ORDER BY a.position), '[]'::json)
     FROM submission_attachments a WHERE a.submission_id = submissions.id) AS attachments`;

export async function findCurrentSubmission(q: Queryable, registrationId: number): Promise<ReceiptRow | null> {
  const { rows } = await q.query<ReceiptRow>(
    `SELECT id, registration_id, receipt_code, handed_in_at, text_sha256, word_count, version, ${ATTACHMENTS_OF}
       FROM submissions WHERE registration_id = $1 AND superseded_at IS NULL`,
    [registrationId],
  );
  return rows[0] ?? null;
}

export async function nextSubmissionVersion(q: Queryable, registrationId: number): Promise<number> {
  const { rows } = await q.query<{ v: number }>('SELECT COALESCE(max(version), 0) + 1 AS v FROM submissions WHERE registration_id = $1', [registrationId]);
  return rows[0].v;
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

export async function insertSubmission(q: Queryable, s: NewSubmission): Promise<Omit<ReceiptRow, 'attachments'>> {
  return (await insertSubmissions(q, [s])).get(s.registrationId)!;
}

export async function markHandedIn(q: Queryable, registrationId: number, at: Date): Promise<void> {
  await q.query("UPDATE registrations SET state = 'handed_in', handed_in_at = $2 WHERE id = $1", [registrationId, at]);
}

/**
 * Registrations whose end + grace has passed and which were not handed in. No lock here: handIn() locks the
 * row and re-checks, so two nodes sweeping at once hand in each answer once. Never-arrived candidates are
 * left for the invigilator to mark absent.
 */
export async function findDueHandIns(q: Queryable, now: Date, graceSeconds: number, limit = 50, afterId = 0): Promise<number[]> {
  const { rows } = await q.query<{ id: number }>(
    `SELECT r.id FROM registrations r JOIN sittings s ON s.id = r.sitting_id
      WHERE r.state IN ('lobby', 'writing') AND s.status = 'scheduled' AND r.paused_at IS NULL AND r.id > $4
        AND LEAST(s.starts_at + make_interval(mins => s.duration_minutes + r.extra_minutes, secs => r.paused_seconds),
                  COALESCE(r.ended_at, 'infinity'::timestamptz)) + make_interval(secs => $2) <= $1
      ORDER BY r.id LIMIT $3`,
    [now, graceSeconds, limit, afterId],
  );
  return rows.map((r) => r.id);
}
