import type { Queryable } from '../db/pool.ts';

// Every time written here is the app's clock (deps.now), as every reader compares with it: one clock, never
// the database's now() beside the application's.
import type { DeviceHolder } from './admission.ts';

/** Presence rows older than this without a heartbeat belong to a dead node: read as disconnected. */
export const PRESENCE_STALE_SECONDS = 15;
export const PRESENCE_HEARTBEAT_MS = 5_000;

/** Who connects where: the node, the browser's device id and this socket's own id (the holder from now on). */
export interface PresenceHolder {
  nodeId: string;
  deviceId: string | null;
  connectionId: string;
}

export async function markConnected(q: Queryable, registrationId: number, holder: PresenceHolder, now: Date): Promise<void> {
  await markConnectedMany(q, [{ registrationId, ...holder }], now);
}

/** `markConnected` for several pupils in one statement; one row per registration (the newest holder of each). */
export async function markConnectedMany(q: Queryable, holders: (PresenceHolder & { registrationId: number })[], now: Date): Promise<void> {
  await q.query(
    `INSERT INTO presence (registration_id, connected, node_id, changed_at, heartbeat_at, device_id, connection_id)
     SELECT v.registration_id, true, v.node_id, $5, $5, v.device_id, v.connection_id
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(registration_id, node_id, device_id, connection_id)
     ON CONFLICT (registration_id) DO UPDATE SET connected = true, node_id = EXCLUDED.node_id, changed_at = $5, heartbeat_at = $5,
       device_id = EXCLUDED.device_id, connection_id = EXCLUDED.connection_id`,
    [holders.map((h) => h.registrationId), holders.map((h) => h.nodeId), holders.map((h) => h.deviceId), holders.map((h) => h.connectionId), now],
  );
}

/** Who holds the answer, across nodes; a connected row whose node stopped heartbeating is gone since its last beat. */
export async function deviceHolder(q: Queryable, registrationId: number, now: Date): Promise<DeviceHolder | null> {
  return (await deviceHolders(q, [registrationId], now)).get(registrationId) ?? null;
}

/** `deviceHolder` of several answers in one statement (a start storm's sockets); an answer never held is absent. */
export async function deviceHolders(q: Queryable, registrationIds: number[], now: Date): Promise<Map<number, DeviceHolder>> {
  const { rows } = await q.query<{ registration_id: number; device_id: string | null; connected: boolean; since: Date }>(
    `SELECT registration_id, device_id, (connected AND heartbeat_at > $2::timestamptz - make_interval(secs => $3)) AS connected,
            CASE WHEN connected AND heartbeat_at <= $2::timestamptz - make_interval(secs => $3) THEN heartbeat_at ELSE changed_at END AS since
       FROM presence WHERE registration_id = ANY($1::bigint[])`,
    [registrationIds, now, PRESENCE_STALE_SECONDS],
  );
  return new Map(rows.map((p) => [p.registration_id, { deviceId: p.device_id, connected: p.connected, since: p.since }]));
}

/**
 * Only the socket that holds the presence may mark it gone: a reload, the lobby handing over to the answer, or a
 * device switch on any node made a newer holder, whose presence an older socket's late close must not undo.
 * True when this socket was the holder (and the pupil is now gone).
 */
export async function markDisconnected(q: Queryable, registrationId: number, connectionId: string, now: Date): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE presence SET connected = false, changed_at = $3 WHERE registration_id = $1 AND connection_id = $2 AND connected', [
    registrationId,
    connectionId,
    now,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function heartbeat(q: Queryable, nodeId: string, registrationIds: number[], now: Date): Promise<void> {
  if (!registrationIds.length) return;
  // Rows locked in registration order, as markSavedMany does: two multi-row UPDATEs of presence that lock in the
  // order their plans happen to scan deadlock now and then (seen in a 2,500-pupil soak).
  await q.query(
    `UPDATE presence p SET heartbeat_at = $3
       FROM (SELECT registration_id FROM presence WHERE node_id = $1 AND registration_id = ANY($2::bigint[]) AND connected
              ORDER BY registration_id FOR UPDATE) l
      WHERE p.registration_id = l.registration_id`,
    [nodeId, registrationIds, now],
  );
}

/** "Last saved" and words of several pupils in one statement (the live room's figures, written every few seconds). */
export async function markSavedMany(q: Queryable, saved: { registrationId: number; at: Date; words: number }[]): Promise<void> {
  if (!saved.length) return;
  await q.query(
    `UPDATE presence p SET last_saved_at = v.at, words = v.words
       FROM unnest($1::bigint[], $2::timestamptz[], $3::int[]) AS v(registration_id, at, words),
            (SELECT registration_id FROM presence WHERE registration_id = ANY($1::bigint[]) ORDER BY registration_id FOR UPDATE) l
      WHERE p.registration_id = v.registration_id AND l.registration_id = p.registration_id
        AND (p.last_saved_at IS NULL OR p.last_saved_at <= v.at)`,
    [saved.map((s) => s.registrationId), saved.map((s) => s.at), saved.map((s) => s.words)],
  );
}
