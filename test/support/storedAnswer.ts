import * as Y from 'yjs';
import type { Queryable } from '../../src/db/pool.ts';
import { answerPlainText } from '../../src/protocol/answerDocument.ts';
import { loadStoredDocument } from '../../src/sync/queries.ts';

/** A candidate's answer as PostgreSQL holds it (snapshot + update log), as plain text. */
export async function storedAnswerText(q: Queryable, registrationId: number): Promise<string> {
  const stored = await loadStoredDocument(q, registrationId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return answerPlainText(doc);
}
