import type { Queryable } from '../db/pool.ts';

export interface StoredDocument {
  snapshot: Buffer | null;
  snapshotLastId: number;
  updates: Buffer[];
  lastId: number;
}

/**
 * A document = its latest snapshot + every update logged after it, read in ONE statement: a compaction that
 * commits between two separate reads (snapshot, then tail) would leave the reader with neither the new snapshot
 * nor the rows it replaced — an answer missing a stretch, at load or, worse, at hand-in.
 */
export async function loadStoredDocument(q: Queryable, registrationId: number): Promise<StoredDocument> {
  const { rows } = await q.query<{ kind: number; id: number; data: Buffer }>(
    `WITH s AS (SELECT state, last_update_id FROM doc_snapshots WHERE registration_id = $1)
     SELECT 0 AS kind, last_update_id AS id, state AS data FROM s
     UNION ALL
     SELECT 1, u.id, u.update FROM doc_updates u
      WHERE u.registration_id = $1 AND u.id > COALESCE((SELECT last_update_id FROM s), 0)
     ORDER BY kind, id`,
    [registrationId],
  );
  const snap = rows[0]?.kind === 0 ? rows[0] : null;
  const tail = rows.filter((r) => r.kind === 1);
  const snapshotLastId = snap?.id ?? 0;
  return {
    snapshot: snap?.data ?? null,
    snapshotLastId,
    updates: tail.map((r) => r.data),
    lastId: tail.length ? tail[tail.length - 1].id : snapshotLastId,
  };
}

/** One multi-row INSERT for a whole group-commit batch (many candidates' updates). */
export async function insertUpdates(q: Queryable, registrationIds: number[], updates: Uint8Array[]): Promise<void> {
  await q.query('INSERT INTO doc_updates (registration_id, update) SELECT * FROM unnest($1::bigint[], $2::bytea[])', [
    registrationIds,
    updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)),
  ]);
}

export async function countUpdatesSinceSnapshot(q: Queryable, registrationId: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM doc_updates u
      WHERE u.registration_id = $1
        AND u.id > COALESCE((SELECT last_update_id FROM doc_snapshots WHERE registration_id = $1), 0)`,
    [registrationId],
  );
  return rows[0].n;
}

export async function upsertSnapshot(
  q: Queryable,
  s: { registrationId: number; state: Uint8Array; lastUpdateId: number; textLength: number; wordCount: number },
): Promise<void> {
  await q.query(
    `INSERT INTO doc_snapshots (registration_id, state, last_update_id, text_length, word_count, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (registration_id) DO UPDATE SET state = EXCLUDED.state, last_update_id = EXCLUDED.last_update_id,
       text_length = EXCLUDED.text_length, word_count = EXCLUDED.word_count, updated_at = now()`,
    [s.registrationId, Buffer.from(s.state), s.lastUpdateId, s.textLength, s.wordCount],
  );
  await q.query('DELETE FROM doc_updates WHERE registration_id = $1 AND id <= $2', [s.registrationId, s.lastUpdateId]);
}
