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
  return (await loadStoredDocuments(q, [registrationId])).get(registrationId)!;
}

/**
 * `loadStoredDocument` of several answers in the same ONE statement (a start storm's sockets): each answer's
 * snapshot and tail are still read together. Every id asked for is in the map (an answer never written is empty).
 */
export async function loadStoredDocuments(q: Queryable, registrationIds: number[]): Promise<Map<number, StoredDocument>> {
  const { rows } = await q.query<{ rid: number; kind: number; id: number; data: Buffer }>(
    `WITH s AS (SELECT registration_id, state, last_update_id FROM doc_snapshots WHERE registration_id = ANY($1::bigint[]))
     SELECT registration_id AS rid, 0 AS kind, last_update_id AS id, state AS data FROM s
     UNION ALL
     SELECT u.registration_id, 1, u.id, u.update FROM doc_updates u LEFT JOIN s ON s.registration_id = u.registration_id
      WHERE u.registration_id = ANY($1::bigint[]) AND u.id > COALESCE(s.last_update_id, 0)
     ORDER BY rid, kind, id`,
    [registrationIds],
  );
  const docs = new Map<number, StoredDocument>(registrationIds.map((id) => [id, { snapshot: null, snapshotLastId: 0, updates: [], lastId: 0 }]));
  for (const r of rows) {
    const d = docs.get(r.rid)!;
    if (r.kind === 0) {
      d.snapshot = r.data;
      d.snapshotLastId = d.lastId = r.id;
    } else {
      d.updates.push(r.data);
      d.lastId = r.id;
    }
  }
  return docs;
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

/**
 * Stores a snapshot and deletes the log rows it folded in: those after the previous snapshot (`previousLastId`) up to
 * `lastUpdateId`. The lower bound matters over a long exam: without it every compaction's index scan walked all of
 * the pupil's earlier, already deleted rows again (dead until vacuumed), a cost that grew with the answer.
 */
export async function upsertSnapshot(
  q: Queryable,
  s: { registrationId: number; state: Uint8Array; lastUpdateId: number; previousLastId?: number; textLength: number; wordCount: number },
): Promise<void> {
  await q.query(
    `INSERT INTO doc_snapshots (registration_id, state, last_update_id, text_length, word_count, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (registration_id) DO UPDATE SET state = EXCLUDED.state, last_update_id = EXCLUDED.last_update_id,
       text_length = EXCLUDED.text_length, word_count = EXCLUDED.word_count, updated_at = now()`,
    [s.registrationId, Buffer.from(s.state), s.lastUpdateId, s.textLength, s.wordCount],
  );
  await q.query('DELETE FROM doc_updates WHERE registration_id = $1 AND id > $2 AND id <= $3', [s.registrationId, s.previousLastId ?? 0, s.lastUpdateId]);
}
