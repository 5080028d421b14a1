import * as Y from 'yjs';
import { AdvisoryLock } from '../db/advisoryLocks.ts';
import type { Db } from '../db/pool.ts';
import { withTransaction } from '../db/pool.ts';
import { answerPlainText, countWords } from '../protocol/answerDocument.ts';
import { loadStoredDocument, upsertSnapshot } from './queries.ts';
import { docFromStored } from './storedDocument.ts';

/**
 * Folds a document's update log into its snapshot. Built from what PostgreSQL holds, never from a node's
 * in-memory copy: another node may have stored updates this one has not seen, and rows are deleted here.
 * A per-document advisory lock keeps two compactions of one document apart.
 */
export async function compactDocument(db: Db, registrationId: number): Promise<{ words: number } | null> {
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [AdvisoryLock.answerCompaction, registrationId]);
    const stored = await loadStoredDocument(tx, registrationId);
    if (!stored.updates.length) return null;
    const doc = docFromStored(stored);
    const text = answerPlainText(doc);
    const words = countWords(text);
    await upsertSnapshot(tx, {
      registrationId,
      state: Y.encodeStateAsUpdate(doc),
      lastUpdateId: stored.lastId,
      previousLastId: stored.snapshotLastId,
      textLength: text.length,
      wordCount: words,
    });
    doc.destroy();
    return { words };
  });
}
