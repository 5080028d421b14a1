import * as Y from 'yjs';
import { RESPONSES_MAP } from '../../../src/protocol/itemResponses.ts';
import { loadStoredDocument } from '../../../src/sync/queries.ts';
import type { Demo } from './demo.ts';

/** The demo pupil's registration and sitting. */
export async function registrationOf(demo: Demo, username: string): Promise<{ id: number; sittingId: number }> {
  const { rows } = await demo.database.db.query(
    `SELECT r.id, r.sitting_id FROM registrations r JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = $1`,
    [username],
  );
  return { id: Number(rows[0].id), sittingId: Number(rows[0].sitting_id) };
}

/** The item responses PostgreSQL holds for a registration (snapshot + update log), and its answer document. */
export async function storedItemDocument(demo: Demo, registrationId: number): Promise<{ responses: Record<string, unknown>; doc: Y.Doc }> {
  const stored = await loadStoredDocument(demo.database.db, registrationId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return { responses: doc.getMap(RESPONSES_MAP).toJSON(), doc };
}
