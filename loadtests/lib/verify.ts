import type pg from 'pg';
import * as Y from 'yjs';
import { answerPlainText } from '../../src/protocol/answerDocument.ts';

/**
 * Lost updates: every candidate's document as stored in PostgreSQL (snapshot + update log, or the handed-in
 * final state) must equal what that candidate typed. Returns the registrations that differ.
 */
export async function findLost(db: pg.Pool, typed: Record<number, string>): Promise<{ lost: number[]; lostChars: number; details: string[] }> {
  const ids = Object.keys(typed).map(Number);
  const lost: number[] = [];
  const details: string[] = [];
  let lostChars = 0;
  // One consistent view of snapshots and update log (the server compacts while we read).
  const client = await db.connect();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const snaps = await client.query<{ registration_id: number; state: Buffer; last_update_id: number }>(
      'SELECT registration_id, state, last_update_id FROM doc_snapshots WHERE registration_id = ANY($1::bigint[])',
      [batch],
    );
    const ups = await client.query<{ registration_id: number; update: Buffer; id: number }>(
      'SELECT registration_id, update, id FROM doc_updates WHERE registration_id = ANY($1::bigint[]) ORDER BY id',
      [batch],
    );
    const docs = new Map(batch.map((id) => [id, new Y.Doc()]));
    for (const s of snaps.rows) Y.applyUpdate(docs.get(s.registration_id)!, s.state);
    for (const u of ups.rows) Y.applyUpdate(docs.get(u.registration_id)!, u.update);
    for (const id of batch) {
      const stored = answerPlainText(docs.get(id)!);
      if (stored !== typed[id]) {
        lost.push(id);
        lostChars += Math.max(0, typed[id].length - stored.length);
        let at = 0;
        while (at < stored.length && stored[at] === typed[id][at]) at++;
        details.push(`registration ${id}: typed ${typed[id].length} chars, stored ${stored.length}, first difference at ${at}`);
      }
      docs.get(id)!.destroy();
    }
  }
  await client.query('COMMIT');
  client.release();
  return { lost, lostChars, details };
}
