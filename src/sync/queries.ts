import type { Queryable } from '../db/pool.ts';

export interface StoredDocument {
  snapshot: Buffer | null;
  /** The log rows not yet folded into the snapshot, in id order, and their ids (a compaction deletes exactly these). */
  updates: Buffer[];
  updateIds: number[];
  /** The highest id read (the snapshot's or a row's); 0 for an answer never written. */
  lastId: number;
}

/**
 * A document = its latest snapshot + every update row still in the log, read in ONE statement: a compaction that
 * commits between two separate reads (snapshot, then tail) would leave the reader with neither the new snapshot
 * nor the rows it replaced — an answer missing a stretch, at load or, worse, at hand-in.
 *
 * Every row left in the log is read, never only those with an id above the snapshot's: ids are drawn when a row is
 * inserted, not when it commits, and two group-commit batches commit side by side. A row with a lower id can commit
 * after a compaction folded (and stopped at) a higher one; a reader that skipped ids below the snapshot's lost it,
 * and with it everything the pupil typed after it (10 answers of 5,000 in a 30-minute soak, docs/performance.md).
 * Compaction therefore deletes exactly the rows it folded in, and whatever is left is not in the snapshot yet
 * (applying an update twice changes nothing in Yjs, so a row folded in and also read would still be harmless).
 */
export async function loadStoredDocument(q: Queryable, registrationId: number): Promise<StoredDocument> {
  return (await loadStoredDocuments(q, [registrationId])).get(registrationId)!;
}

/**
 * `loadStoredDocument` of several answers in the same ONE statement (a start storm's sockets): each answer's
 * snapshot and log are still read together. Every id asked for is in the map (an answer never written is empty).
 * The log is read per answer (LATERAL) so that each is one scan of the (registration_id, id) index.
 */
export async function loadStoredDocuments(q: Queryable, registrationIds: number[]): Promise<Map<number, StoredDocument>> {
  const { rows } = await q.query<{ rid: number; kind: number; id: number; data: Buffer }>(
    `SELECT registration_id AS rid, 0 AS kind, last_update_id AS id, state AS data FROM doc_snapshots WHERE registration_id = ANY($1::bigint[])
     UNION ALL
     SELECT r.rid, 1, u.id, u.update FROM unnest($1::bigint[]) AS r(rid)
       CROSS JOIN LATERAL (SELECT id, update FROM doc_updates WHERE registration_id = r.rid) u
     ORDER BY rid, kind, id`,
    [registrationIds],
  );
  const docs = new Map<number, StoredDocument>(registrationIds.map((id) => [id, { snapshot: null, updates: [], updateIds: [], lastId: 0 }]));
  for (const r of rows) {
    const d = docs.get(r.rid)!;
    if (r.kind === 0) d.snapshot = r.data;
    else {
      d.updates.push(r.data);
      d.updateIds.push(Number(r.id));
    }
    d.lastId = Math.max(d.lastId, Number(r.id));
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

/** The log rows not yet folded into the answer's snapshot. */
export async function countUpdatesSinceSnapshot(q: Queryable, registrationId: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE registration_id = $1', [registrationId]);
  return rows[0].n;
}

export interface SnapshotRow {
  registrationId: number;
  state: Uint8Array;
  /** The highest id folded in (kept for inspection; readers never filter by it). */
  lastUpdateId: number;
  /** The ids of the log rows folded into `state`: exactly these are deleted. */
  foldedIds: number[];
  textLength: number;
  wordCount: number;
}

/** Stores one snapshot and deletes the log rows it folded in (see upsertSnapshots). */
export function upsertSnapshot(q: Queryable, s: SnapshotRow): Promise<void> {
  return upsertSnapshots(q, [s]);
}

/**
 * Stores snapshots and deletes the log rows each folded in, by id — two statements for any number of answers. Never
 * a range of ids: a row inside the range that was not committed when the compaction read would be lost (see
 * loadStoredDocument).
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
  await q.query('DELETE FROM doc_updates WHERE id = ANY($1::bigint[])', [rows.flatMap((s) => s.foldedIds)]);
}
