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
 * The tail is read per answer (LATERAL) so that "after the snapshot" bounds the index scan: as a join filter it
 * came after a scan of every row the answer ever logged, deleted ones included until vacuumed — 11,000 heap pages
 * for five answers after 20 minutes of typing (docs/performance.md).
 */
export async function loadStoredDocuments(q: Queryable, registrationIds: number[]): Promise<Map<number, StoredDocument>> {
  const { rows } = await q.query<{ rid: number; kind: number; id: number; data: Buffer }>(
    `WITH s AS (SELECT registration_id, state, last_update_id FROM doc_snapshots WHERE registration_id = ANY($1::bigint[]))
     SELECT registration_id AS rid, 0 AS kind, last_update_id AS id, state AS data FROM s
     UNION ALL
     SELECT r.rid, 1, u.id, u.update FROM unnest($1::bigint[]) AS r(rid) LEFT JOIN s ON s.registration_id = r.rid
       CROSS JOIN LATERAL (SELECT id, update FROM doc_updates WHERE registration_id = r.rid AND id > COALESCE(s.last_update_id, 0)) u
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

export interface SnapshotRow {
  registrationId: number;
  state: Uint8Array;
  lastUpdateId: number;
  /** The previous snapshot's last update id (0 without one): the rows after it are the ones folded in. */
  previousLastId?: number;
  textLength: number;
  wordCount: number;
}

/** Stores one snapshot and deletes the log rows it folded in (see upsertSnapshots). */
export function upsertSnapshot(q: Queryable, s: SnapshotRow): Promise<void> {
  return upsertSnapshots(q, [s]);
}

/**
 * Stores snapshots and deletes the log rows each folded in — those after its previous snapshot up to its
 * `lastUpdateId` — two statements for any number of answers. The lower bound matters over a long exam: without it
 * each compaction's index scan walked all of the pupil's earlier rows again (deleted, but dead until vacuumed), a
 * cost that grew with the answer.
 */
export async function upsertSnapshots(q: Queryable, rows: SnapshotRow[]): Promise<void> {
  if (!rows.length) return;
  const ids = rows.map((s) => s.registrationId);
  await q.query(
    `INSERT INTO doc_snapshots (registration_id, state, last_update_id, text_length, word_count, updated_at)
     SELECT *, now() FROM unnest($1::bigint[], $2::bytea[], $3::bigint[], $4::int[], $5::int[])
     ON CONFLICT (registration_id) DO UPDATE SET state = EXCLUDED.state, last_update_id = EXCLUDED.last_update_id,
       text_length = EXCLUDED.text_length, word_count = EXCLUDED.word_count, updated_at = now()`,
    [ids, rows.map((s) => Buffer.from(s.state)), rows.map((s) => s.lastUpdateId), rows.map((s) => s.textLength), rows.map((s) => s.wordCount)],
  );
  await q.query(
    `DELETE FROM doc_updates u USING unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS f(rid, after_id, last_id)
      WHERE u.registration_id = f.rid AND u.id > f.after_id AND u.id <= f.last_id`,
    [ids, rows.map((s) => s.previousLastId ?? 0), rows.map((s) => s.lastUpdateId)],
  );
}
