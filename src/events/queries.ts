import type { Queryable } from '../db/pool.ts';
import type { RoomEvent, StoredRoomEvent } from '../protocol/liveEvents.ts';

/** Stores one room event for the live room's feed; returns its id (the event's `seq`). */
export async function insertRoomEvent(q: Queryable, sittingId: number, roomId: number, event: RoomEvent): Promise<number> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO room_events (sitting_id, room_id, registration_id, type, occurred_at, event)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [sittingId, roomId, event.registrationId, event.type, event.at, JSON.stringify(event)],
  );
  return Number(rows[0].id);
}

/** The room's latest stored events, oldest first, each with its `seq`. */
export async function recentRoomEvents(q: Queryable, sittingId: number, roomId: number, limit: number): Promise<StoredRoomEvent[]> {
  const { rows } = await q.query<{ id: string; event: RoomEvent }>(
    `SELECT id, event FROM (
       SELECT id, event FROM room_events WHERE sitting_id = $1 AND room_id = $2 ORDER BY id DESC LIMIT $3
     ) latest ORDER BY id`,
    [sittingId, roomId, limit],
  );
  return rows.map((r) => ({ ...r.event, seq: Number(r.id) }));
}
