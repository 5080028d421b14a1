import type { Queryable } from '../db/pool.ts';

export interface StoredDocument { snapshot: Buffer | null; snapshotLastId: number; updates: Buffer[]; lastId: number }

/** A document = its latest snapshot + every update logged after it. */
export async function loadStoredDocument(q: Queryable, registrationId: number): Promise<StoredDocument> {
  const snap = await q.query<{ state: Buffer; last_update_id: number }>(
    'SELECT state, last_update_id FROM doc_snapshots WHERE registration_id = $1', [registrationId]);
  const snapshotLastId = snap.rows[0]?.last_update_id ?? 0;
  const tail = await q.query<{ id: number; update: Buffer }>(
    'SELECT id, update FROM doc_updates WHERE registration_id = $1 AND id > $2 ORDER BY id', [registrationId, snapshotLastId]);
  return {
    snapshot: snap.rows[0]?.state ?? null,
    snapshotLastId,
    updates: tail.rows.map((r) => r.update),
    lastId: tail.rows.length ? tail.rows[tail.rows.length - 1].id : snapshotLastId,
  };
}

/** One multi-row INSERT for a whole group-commit batch (many candidates' updates). */
export async function insertUpdates(q: Queryable, registrationIds: number[], updates: Uint8Array[]): Promise<void> {
  await q.query('INSERT INTO doc_updates (registration_id, update) SELECT * FROM unnest($1::bigint[], $2::bytea[])',
    [registrationIds, updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength))]);
}

export async function countUpdatesSinceSnapshot(q: Queryable, registrationId: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM doc_updates u
      WHERE u.registration_id = $1
        AND u.id > COALESCE((SELECT last_update_id FROM doc_snapshots WHERE registration_id = $1), 0)`, [registrationId]);
  return rows[0].n;
}

export async function upsertSnapshot(q: Queryable, s: { registrationId: number; state: Uint8Array; lastUpdateId: number; textLength: number; wordCount: number }): Promise<void> {
  await q.query(
    `INSERT INTO doc_snapshots (registration_id, state, last_update_id, text_length, word_count, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (registration_id) DO UPDATE SET state = EXCLUDED.state, last_update_id = EXCLUDED.last_update_id,
       text_length = EXCLUDED.text_length, word_count = EXCLUDED.word_count, updated_at = now()`,
    [s.registrationId, Buffer.from(s.state), s.lastUpdateId, s.textLength, s.wordCount]);
  await q.query('DELETE FROM doc_updates WHERE registration_id = $1 AND id <= $2', [s.registrationId, s.lastUpdateId]);
}
