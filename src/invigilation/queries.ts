import type { Queryable } from '../db/pool.ts';
import { PRESENCE_STALE_SECONDS } from '../sync/presence.ts';

export interface AssignedRoom {
  sitting_id: number;
  room_id: number;
  room: string;
  school: string;
  subject: string;
  starts_at: Date;
  duration_minutes: number;
}

export async function assignedRooms(q: Queryable, userId: number): Promise<AssignedRoom[]> {
  const { rows } = await q.query<AssignedRoom>(
    `SELECT a.sitting_id, a.room_id, ro.name AS room, sc.name AS school, s.subject, s.starts_at, s.duration_minutes
       FROM invigilator_assignments a JOIN rooms ro ON ro.id = a.room_id JOIN schools sc ON sc.id = ro.school_id
       JOIN sittings s ON s.id = a.sitting_id
      WHERE a.user_id = $1 AND s.status = 'scheduled' ORDER BY s.starts_at DESC, ro.name`,
    [userId],
  );
  return rows;
}

export async function isAssigned(q: Queryable, userId: number, sittingId: number, roomId: number): Promise<boolean> {
  const { rowCount } = await q.query('SELECT 1 FROM invigilator_assignments WHERE user_id = $1 AND sitting_id = $2 AND room_id = $3', [
    userId,
    sittingId,
    roomId,
  ]);
  return (rowCount ?? 0) > 0;
}

export interface RosterRow {
  registration_id: number;
  exam_number: string;
  full_name: string;
  class_name: string;
  state: string;
  extra_minutes: number;
  paused_at: Date | null;
  paused_seconds: number;
  ended_at: Date | null;
  locked_reason: string | null;
  device_switch_allowed: boolean;
  simple_writing: boolean;
  handed_in_at: Date | null;
  starts_at: Date;
  duration_minutes: number;
  lobby_opens_minutes: number;
  sitting_status: string;
  connected: boolean | null;
  presence_since: Date | null;
  last_saved_at: Date | null;
  words: number | null;
}

/** Every candidate of one room with presence (a stale heartbeat reads as disconnected since it). */
export async function roomRoster(q: Queryable, sittingId: number, roomId: number, now: Date, registrationId?: number): Promise<RosterRow[]> {
  const { rows } = await q.query<RosterRow>(
    `SELECT r.id AS registration_id, r.exam_number, c.full_name, c.class_name, r.state, r.extra_minutes, r.paused_at, r.paused_seconds,
            r.ended_at, r.locked_reason, r.device_switch_allowed, r.simple_writing, r.handed_in_at,
            s.starts_at, s.duration_minutes, s.lobby_opens_minutes, s.status AS sitting_status,
            (p.connected AND p.heartbeat_at > $5::timestamptz - make_interval(secs => $4)) AS connected,
            CASE WHEN p.connected AND p.heartbeat_at <= $5::timestamptz - make_interval(secs => $4) THEN p.heartbeat_at ELSE p.changed_at END AS presence_since,
            p.last_saved_at, p.words
       FROM registrations r JOIN candidates c ON c.id = r.candidate_id JOIN sittings s ON s.id = r.sitting_id
       LEFT JOIN presence p ON p.registration_id = r.id
      WHERE r.sitting_id = $1 AND r.room_id = $2 AND ($3::bigint IS NULL OR r.id = $3)
      ORDER BY r.exam_number`,
    [sittingId, roomId, registrationId ?? null, PRESENCE_STALE_SECONDS, now],
  );
  return rows;
}

export interface LockdownEventRow {
  registration_id: number;
  type: string;
  occurred_at: Date;
  duration_ms: number | null;
}

export async function recentLockdownEvents(q: Queryable, sittingId: number, roomId: number, limit = 200): Promise<LockdownEventRow[]> {
  const { rows } = await q.query<LockdownEventRow>(
    `SELECT e.registration_id, e.type, e.occurred_at, e.duration_ms FROM lockdown_events e
       JOIN registrations r ON r.id = e.registration_id WHERE r.sitting_id = $1 AND r.room_id = $2
      ORDER BY e.id DESC LIMIT $3`,
    [sittingId, roomId, limit],
  );
  return rows;
}

export async function addExtraMinutes(q: Queryable, registrationId: number, minutes: number): Promise<void> {
  await q.query('UPDATE registrations SET extra_minutes = extra_minutes + $2 WHERE id = $1', [registrationId, minutes]);
}

export async function setPaused(q: Queryable, registrationId: number, at: Date): Promise<void> {
  await q.query('UPDATE registrations SET paused_at = $2 WHERE id = $1 AND paused_at IS NULL', [registrationId, at]);
}

/** Resume: the paused span is added back to the candidate's time. */
export async function resume(q: Queryable, registrationId: number, at: Date): Promise<void> {
  await q.query(
    `UPDATE registrations SET paused_seconds = paused_seconds + GREATEST(0, ceil(extract(epoch FROM $2::timestamptz - paused_at)))::int,
    paused_at = NULL WHERE id = $1 AND paused_at IS NOT NULL`,
    [registrationId, at],
  );
}

export async function allowDeviceSwitch(q: Queryable, registrationId: number): Promise<void> {
  await q.query('UPDATE registrations SET device_switch_allowed = true WHERE id = $1', [registrationId]);
}

/** Simple writing mode (docs/rules.md §13): only switched on here; the pupil chooses whether to use it. */
export async function enableSimpleWriting(q: Queryable, registrationId: number): Promise<void> {
  await q.query('UPDATE registrations SET simple_writing = true WHERE id = $1', [registrationId]);
}

export async function markAbsent(q: Queryable, registrationId: number, state: 'absent' | 'ill'): Promise<void> {
  await q.query('UPDATE registrations SET state = $2 WHERE id = $1', [registrationId, state]);
}

/**
 * Reopen: back to 'writing' with no current submission, which is exactly what the exam helper's sync checks
 * (acceptsUpdates: state not handed_in) — the answer socket accepts updates again and the next hand-in is
 * version n+1. The handed-in version stays on record, superseded.
 */
export async function reopenHandIn(q: Queryable, registrationId: number, at: Date): Promise<void> {
  await q.query('UPDATE submissions SET superseded_at = $2 WHERE registration_id = $1 AND superseded_at IS NULL', [registrationId, at]);
  await q.query("UPDATE registrations SET state = 'writing', handed_in_at = NULL WHERE id = $1", [registrationId]);
}

/** Undo a mistaken absent/ill mark: back to how far the pupil had come before it. */
export async function markPresent(q: Queryable, registrationId: number): Promise<void> {
  await q.query(
    `UPDATE registrations SET state = CASE WHEN started_writing_at IS NOT NULL THEN 'writing'
      WHEN first_seen_at IS NOT NULL THEN 'lobby' ELSE 'registered' END WHERE id = $1 AND state IN ('absent', 'ill')`,
    [registrationId],
  );
}

export async function sittingStart(q: Queryable, sittingId: number): Promise<Date | null> {
  const { rows } = await q.query<{ starts_at: Date }>('SELECT starts_at FROM sittings WHERE id = $1', [sittingId]);
  return rows[0]?.starts_at ?? null;
}

export interface PresenceRow {
  registration_id: number;
  sitting_id: number;
  room_id: number;
  heartbeat_at: Date;
  stale: boolean;
}

/**
 * Candidates shown as connected in the given rooms, with whether their node stopped heartbeating (docs/rules.md §9: a
 * node can die without saying goodbye). Read-only: sync owns the presence table.
 */
export async function connectedPresence(q: Queryable, rooms: { sittingId: number; roomId: number }[], now: Date): Promise<PresenceRow[]> {
  if (!rooms.length) return [];
  const { rows } = await q.query<PresenceRow>(
    `SELECT r.id AS registration_id, r.sitting_id, r.room_id, p.heartbeat_at,
            p.heartbeat_at <= $4::timestamptz - make_interval(secs => $3) AS stale
       FROM unnest($1::bigint[], $2::bigint[]) AS w(sitting_id, room_id)
       JOIN registrations r ON r.sitting_id = w.sitting_id AND r.room_id = w.room_id
       JOIN presence p ON p.registration_id = r.id AND p.connected`,
    [rooms.map((r) => r.sittingId), rooms.map((r) => r.roomId), PRESENCE_STALE_SECONDS, now],
  );
  return rows;
}

export async function insertIncident(
  q: Queryable,
  i: { sittingId: number; roomId: number; registrationId: number | null; authorId: number; note: string },
): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    'INSERT INTO incidents (sitting_id, room_id, registration_id, author_id, note) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [i.sittingId, i.roomId, i.registrationId, i.authorId, i.note],
  );
  return rows[0].id;
}

/** End the sitting for a room: every candidate still in it ends now (the automatic hand-in follows). */
export async function endRoom(q: Queryable, sittingId: number, roomId: number, at: Date): Promise<number[]> {
  const { rows } = await q.query<{ id: number }>(
    `UPDATE registrations SET ended_at = $3, paused_seconds = paused_seconds + CASE WHEN paused_at IS NULL THEN 0
        ELSE GREATEST(0, ceil(extract(epoch FROM $3::timestamptz - paused_at)))::int END, paused_at = NULL
      WHERE sitting_id = $1 AND room_id = $2 AND state IN ('registered', 'lobby', 'writing') RETURNING id`,
    [sittingId, roomId, at],
  );
  return rows.map((r) => r.id);
}

export async function roomRegistrationIds(q: Queryable, sittingId: number, roomId: number): Promise<number[]> {
  const { rows } = await q.query<{ id: number }>('SELECT id FROM registrations WHERE sitting_id = $1 AND room_id = $2', [sittingId, roomId]);
  return rows.map((r) => r.id);
}
